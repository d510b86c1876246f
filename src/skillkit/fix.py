"""`skillkit lint --fix`: rewrite what can be rewritten without changing meaning, atomically.

Safe fixes: strip leading UTF-8 BOMs; CRLF to LF (a lone CR is content and stays); flow-style
collections in the frontmatter to block style; non-string `metadata` values to the quoted text they
were written as (`1.10` stays `"1.10"`, never `1.1`); an `allowed-tools` list to one space-separated
string. Unsafe fixes (`--unsafe-fixes`, they change what tools see): move fields the specification
does not allow (`version`, `author`, `tags`, `dependencies`, ...) under `metadata` as strings, lists
joined.

Each file is all or nothing. Frontmatter edits go through ruamel.yaml's round trip (comments, key
order and quoting survive); then the new frontmatter is loaded again with the linter's own safe
loader and must hold exactly the data of the old one with only the intended edits (a value quoted as
the text it was written as, a field moved, a list joined), and a second pass over the result must
change nothing. A file that fails any of this, or whose frontmatter cannot be loaded for editing
(ruamel refuses it, it uses YAML merge keys), is left untouched and ``FixResult.skipped`` says why.
The Markdown body is never decoded for editing: its bytes are copied through, CRLF aside.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.model import SPEC_FIELDS

BOM = b"\xef\xbb\xbf"
#: The top-level fields the specification allows: the unsafe fix moves every other one under `metadata`.
SPEC = frozenset(SPEC_FIELDS)
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class FixResult:
    path: Path
    before: bytes
    after: bytes
    changes: list[str] = field(default_factory=list)
    #: Why the file was left untouched although something in it is fixable (None: not skipped).
    skipped: str | None = None
    #: What a fix deliberately left as it is, and why (printed whether or not the file changed).
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, label: str) -> str:
        a = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        b = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(a, b, f"a/{label}", f"b/{label}"))


class _Refused(Exception):
    """The frontmatter cannot be edited safely; the message says why."""


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16  # never re-wrap a long description
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _join(key: str, items: list[Any]) -> str | None:
    if not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
        return None
    texts = [str(i).strip() for i in items]
    if key == "dependencies":  # PEP 508 requirements, space-separated; `name @ url` -> `name@url`
        requirements = [re.sub(r"\s*@\s*", "@", t) for t in texts]
        if any(re.search(r"\s", r) for r in requirements):
            return None  # `torch >= 2.0` would split into three: ambiguous, leave it for a person
        return " ".join(requirements)
    if any("," in t for t in texts):
        return None  # joining with ", " would be ambiguous: leave it for a person
    return ", ".join(texts)


def same(a: Any, b: Any) -> bool:
    """Equal data with equal types all the way down (``1 == 1.0 == True`` is not enough here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b  # NaN
    return bool(a == b)


# --------------------------------------------------------------------------- what the file says


def _load(head: str) -> Any:
    """The frontmatter's data as the linter loads it, or ``_Refused``."""
    from skillkit.parse import load_frontmatter

    try:
        fm = load_frontmatter(head, 2, 2)
    except Exception as exc:  # noqa: BLE001 - a loader bug must not stop the run
        raise _Refused(f"its frontmatter does not load ({type(exc).__name__}: {exc})") from None
    if fm.error is not None:
        raise _Refused(f"its frontmatter does not load ({fm.error.message})")
    return fm.data


def _written(head: str) -> tuple[dict[tuple[str, ...], str], bool]:
    """The text of each plain scalar as written (top level and under `metadata`), and whether the
    frontmatter uses a merge key anywhere. Read from the composed node tree, never from the line."""
    import yaml

    from skillkit.parse import safe_loader_class

    texts: dict[tuple[str, ...], str] = {}
    merges = False
    root = yaml.compose(head, Loader=safe_loader_class())
    stack = [root]
    while stack:  # merge keys anywhere (the depth is capped by the loader's guard before this)
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                merges = merges or key.tag == _MERGE_TAG
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)

    def plain(mapping: Any, prefix: tuple[str, ...]) -> None:
        if not isinstance(mapping, yaml.MappingNode):
            return
        for key, value in mapping.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode) and not value.style:  # plain ("" from libyaml)
                texts[prefix + (key.value,)] = value.value
                if "\n" in value.value or "\r" in value.value:
                    del texts[prefix + (key.value,)]

    plain(root, ())
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "metadata":
                plain(value, ("metadata",))
    return texts, merges


def _reads_as(text: str, value: Any) -> bool:
    """Whether YAML reads ``text`` (a plain scalar) as ``value``: the quoted text is what was written."""
    import yaml

    from skillkit.parse import safe_loader_class

    try:
        return same(yaml.load(text, Loader=safe_loader_class()), value)
    except Exception:  # noqa: BLE001
        return False


def _literal(texts: dict[tuple[str, ...], str], path: tuple[str, ...], value: Any) -> str | None:
    """The text ``value`` was written as, if loading that text alone gives ``value`` back."""
    text = texts.get(path)
    if text is None or isinstance(value, (list, dict)):
        return None
    return text if _reads_as(text, value) else None


# --------------------------------------------------------------------------- the edit


def _edit(head: str, data: dict, unsafe: bool, changes: list[str], allowed: frozenset[str] = SPEC,
          notes: list[str] | None = None) -> tuple[str, dict, list[tuple[Any, str]]] | None:
    """The edited frontmatter text, the data it must load to, and each (value, text it is now quoted as);
    None when nothing is to change."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    texts, merges = _written(head)
    if merges and _wanted(data, head, unsafe, allowed):
        raise _Refused("its frontmatter uses a YAML merge key (`<<`): moving or quoting fields could change "
                       "what the merge provides; edit it by hand")
    y = _yaml()
    try:
        doc = y.load(head)
    except Exception as exc:  # noqa: BLE001 - ruamel refuses what PyYAML takes (duplicate keys, ...)
        raise _Refused(f"ruamel.yaml cannot round-trip its frontmatter ({type(exc).__name__}: {exc})") from None
    if not isinstance(doc, CommentedMap):
        return None
    expected = copy.deepcopy(data)
    quoted: list[tuple[Any, str]] = []
    touched = False

    def meta_of(container: Any) -> Any:
        return container.get("metadata") if isinstance(container, dict) else None

    if unsafe:
        movable: dict[str, str] = {}
        for key in [k for k in list(doc) if isinstance(k, str) and k not in allowed]:
            value = data.get(key)
            if isinstance(value, str):
                movable[key] = value
            elif isinstance(value, list):
                joined = _join(key, value)
                if joined is not None:
                    movable[key] = joined
            elif value is not None and not isinstance(value, dict):
                literal = _literal(texts, (key,), value)
                if literal is not None:
                    movable[key] = literal
                    quoted.append((value, literal))
        meta = doc.get("metadata")
        if movable and (meta is None or isinstance(meta, CommentedMap)):
            if meta is None:
                meta = CommentedMap()
                doc["metadata"] = meta
                expected["metadata"] = {}
            for key, new in movable.items():
                if key in meta:
                    if notes is not None:
                        same_value = str(meta[key]) == new
                        notes.append(f"left `{key}` at the top level: `metadata.{key}` exists already"
                                     + (" with the same value; delete the top-level one" if same_value else
                                        f" with another value (\"{meta[key]}\" vs \"{new}\"); keep one by hand"))
                    continue
                meta[key] = DoubleQuotedScalarString(new)
                del doc[key]
                expected["metadata"][key] = new
                del expected[key]
                changes.append(f"moved `{key}` under `metadata` as a string (unsafe fix)")
                touched = True

    meta = doc.get("metadata")
    if isinstance(meta, CommentedMap) and isinstance(meta_of(expected), dict):
        for key in list(meta):
            value = expected["metadata"].get(key)
            if isinstance(value, str) or not isinstance(key, str):
                continue
            if isinstance(value, list):
                new = _join(key, value) if unsafe else None
            else:
                new = _literal(texts, ("metadata", key), value)
                if new is not None:
                    quoted.append((value, new))
            if new is not None:
                meta[key] = DoubleQuotedScalarString(new)
                expected["metadata"][key] = new
                changes.append(f"`metadata.{key}` written as the string \"{new}\"")
                touched = True

    tools = doc.get("allowed-tools")
    if isinstance(tools, list) and tools and all(isinstance(t, str) for t in tools):
        doc["allowed-tools"] = " ".join(tools)
        expected["allowed-tools"] = " ".join(tools)
        changes.append("`allowed-tools` list written as one space-separated string")
        touched = True

    def blockify(node: Any, where: str) -> None:
        nonlocal touched
        if not isinstance(node, (CommentedSeq, CommentedMap)):
            return
        is_list = isinstance(node, CommentedSeq)
        if node.fa.flow_style():
            node.fa.set_block_style()
            changes.append(f"flow {'list' if is_list else 'mapping'} `{where}` written in block style")
            touched = True
        for key in range(len(node)) if is_list else list(node):
            blockify(node[key], where if is_list else (f"{where}.{key}" if where else str(key)))

    blockify(doc, "")
    if not touched:
        return None
    out = io.StringIO()
    try:
        y.dump(doc, out)
    except Exception as exc:  # noqa: BLE001
        raise _Refused(f"ruamel.yaml cannot write its frontmatter back ({type(exc).__name__}: {exc})") from None
    return out.getvalue(), expected, quoted


# --------------------------------------------------------------------------- the file


def _split(text: str) -> tuple[str, str, str] | None:
    """(opening line, frontmatter, rest from the closing `---` line on) of a LF-only text, or None."""
    from skillkit.parse import _is_delimiter

    first = text.find("\n")
    if first == -1 or not _is_delimiter(text[:first]):
        return None
    start = pos = first + 1
    while pos < len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end == -1 else text[pos:end]
        if _is_delimiter(line):
            return text[:start], text[start:pos], text[pos:]
        if end == -1:
            return None
        pos = end + 1
    return None


def fix_bytes(before: bytes, unsafe: bool = False, *, recheck: bool = True,
              allowed: frozenset[str] = SPEC, notes: list[str] | None = None) -> tuple[bytes, list[str], str | None]:
    """``(after, changes, skipped)`` for one SKILL.md's bytes. Never raises. ``allowed``: the top-level
    fields the target client reads, which the unsafe fix leaves in place (the specification's six;
    Claude Code's own fields too under ``--target claude-code``)."""
    changes: list[str] = []
    data = before
    if data.startswith(BOM):
        while data.startswith(BOM):
            data = data[len(BOM):]
        changes.append("removed the UTF-8 byte-order mark")
    if b"\r\n" in data:
        data = data.replace(b"\r\n", b"\n")  # a lone CR is content (e.g. in a code block) and stays
        changes.append("line endings CRLF -> LF")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""  # byte fixes only; the linter reports the encoding
    parts = _split(text)
    front = None
    if parts is not None:
        opening, head, _ = parts
        try:
            front = _load(head)
        except _Refused:
            front = None  # the linter reports why it does not load; there is nothing to edit safely
    if parts is not None and isinstance(front, dict):
        noted = len(changes)
        try:
            edited = _edit(head, front, unsafe, changes, allowed, notes)
            if edited is not None:
                new_head, expected, quoted = edited
                if not same(_load(new_head), expected) or not all(_reads_as(t, v) for v, t in quoted):
                    raise _Refused("the rewritten frontmatter would not hold the same data "
                                   "(a value would change, not only be quoted or moved)")
                prefix = (opening + head).encode("utf-8")
                data = (opening + new_head).encode("utf-8") + data[len(prefix):]  # the rest's bytes, as they were
        except _Refused as why:
            if _wanted(front, head, unsafe, allowed):
                return before, [], str(why)
            del changes[noted:]
        except RecursionError:
            return before, [], "its frontmatter is nested too deeply to rewrite safely"
        except Exception as exc:  # noqa: BLE001 - one file's surprise never stops the run
            return before, [], f"rewriting its frontmatter failed ({type(exc).__name__}: {exc})"
    if recheck and data != before:
        again, more, _ = fix_bytes(data, unsafe, recheck=False, allowed=allowed)
        if again != data:
            return before, [], "a second pass would change it again (" + "; ".join(more) + "); left for a person"
    return data, changes, None


def _wanted(data: dict, head: str, unsafe: bool, allowed: frozenset[str] = SPEC) -> bool:
    """Whether the (loaded) frontmatter holds something a fix would change."""
    if "[" in head or "{" in head:
        return True  # a flow collection (or a bracket in a value): the safe fixes may apply
    meta = data.get("metadata")
    if isinstance(meta, dict) and any(not isinstance(v, str) for v in meta.values()):
        return True
    if isinstance(data.get("allowed-tools"), list):
        return True
    return unsafe and any(k not in allowed for k in data)


def fix_file(path: Path, unsafe: bool = False, allowed: frozenset[str] = SPEC) -> FixResult:
    """Compute the fixed bytes of one SKILL.md (nothing is written here); only OSError escapes."""
    before = path.read_bytes()
    notes: list[str] = []
    after, changes, skipped = fix_bytes(before, unsafe, allowed=allowed, notes=notes)
    return FixResult(path, before, after, changes, skipped, notes)
