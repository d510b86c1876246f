"""`skillkit lint --fix`: rewrite what can be rewritten without changing meaning, atomically.

Safe fixes: strip a UTF-8 BOM; CRLF to LF; flow-style lists in the frontmatter to block style;
non-string `metadata` values to the quoted text they were written as (`1.10` stays `"1.10"`, never
`1.1`); an `allowed-tools` list to one space-separated string. Unsafe fixes (`--unsafe-fixes`, they
change what tools see): move fields the specification does not allow (`version`, `author`, `tags`,
`dependencies`, ...) under `metadata` as strings, lists joined. Frontmatter edits go through
ruamel.yaml's round trip, so comments, key order and quoting survive; the Markdown body is never
re-encoded: its bytes are copied through (line endings aside, when CRLF is being fixed).
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.model import SPEC_FIELDS

BOM = b"\xef\xbb\xbf"


@dataclass
class FixResult:
    path: Path
    before: bytes
    after: bytes
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, label: str) -> str:
        a = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        b = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(a, b, f"a/{label}", f"b/{label}"))


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16  # never re-wrap a long description
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _source_text(lines: list[str], line: int, column: int) -> str | None:
    """The literal text of a one-line scalar starting at (line, column), comments removed."""
    if line >= len(lines):
        return None
    text = lines[line][column:]
    text = re.split(r"\s+#", text, maxsplit=1)[0].strip()
    if not text or text[0] in "[{&*!|>'\"":
        return None
    return text


def _join(key: str, items: list[Any]) -> str | None:
    if not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
        return None
    texts = [str(i).strip() for i in items]
    if key == "dependencies":  # PEP 508 requirements, space-separated; `name @ url` -> `name@url`
        return " ".join(re.sub(r"\s*@\s*", "@", t) for t in texts)
    if any("," in t for t in texts):
        return None  # joining with ", " would be ambiguous: leave it for a person
    return ", ".join(texts)


def _fix_frontmatter(text: str, unsafe: bool, changes: list[str]) -> str | None:
    """The fixed frontmatter text, or None when nothing changed or it cannot be edited safely."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    y = _yaml()
    try:
        data = y.load(text)
    except (YAMLError, ValueError, TypeError):
        return None  # invalid or non-strict YAML that ruamel refuses (duplicate keys...): a person's job
    if not isinstance(data, CommentedMap):
        return None
    lines = text.split("\n")
    touched = False

    def literal(container: CommentedMap, key: Any, value: Any) -> str | None:
        pos = container.lc.data.get(key)
        if pos is None or isinstance(value, (list, dict)):
            return None
        return _source_text(lines, pos[2], pos[3])

    if unsafe:
        unknown = [k for k in list(data) if k not in SPEC_FIELDS and isinstance(k, str)]
        movable = {}
        for key in unknown:
            value = data[key]
            if isinstance(value, str):
                new = value
            elif isinstance(value, list):
                new = _join(key, list(value))
            elif value is None or isinstance(value, dict):
                new = None
            else:
                new = literal(data, key, value)
            if new is not None:
                movable[key] = new
        if movable:
            meta = data.get("metadata")
            if meta is None:
                meta = CommentedMap()
                data["metadata"] = meta
            if isinstance(meta, CommentedMap):
                for key, new in movable.items():
                    if key in meta:
                        continue
                    meta[key] = DoubleQuotedScalarString(new)
                    del data[key]
                    changes.append(f"moved `{key}` under `metadata` as a string (unsafe fix)")
                    touched = True

    meta = data.get("metadata")
    if isinstance(meta, CommentedMap):
        for key in list(meta):
            value = meta[key]
            if isinstance(value, str):
                continue
            if isinstance(value, list):
                new = _join(str(key), list(value)) if unsafe else None
            else:
                new = literal(meta, key, value)
            if new is not None:
                meta[key] = DoubleQuotedScalarString(new)
                changes.append(f"`metadata.{key}` written as the string \"{new}\"")
                touched = True

    tools = data.get("allowed-tools")
    if isinstance(tools, list) and all(isinstance(t, str) for t in tools):
        data["allowed-tools"] = " ".join(tools)
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
        if is_list:
            for item in node:
                blockify(item, where)
        else:
            for key in node:
                blockify(node[key], f"{where}.{key}" if where else str(key))

    blockify(data, "")
    if not touched:
        return None
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def fix_file(path: Path, unsafe: bool = False) -> FixResult:
    """Compute the fixed bytes of one SKILL.md (nothing is written here)."""
    before = path.read_bytes()
    result = FixResult(path, before, before)
    data = before
    if data.startswith(BOM):
        data = data[len(BOM) :]
        result.changes.append("removed the UTF-8 byte-order mark")
    if b"\r\n" in data or b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        result.changes.append("line endings CRLF -> LF")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return result
    if text.startswith("---\n"):
        close = text.find("\n---\n", 3)
        if close == -1 and text.endswith("\n---"):
            close = len(text) - 4
        if close != -1:
            head = text[4 : close + 1]
            new_head = _fix_frontmatter(head, unsafe, result.changes)
            if new_head is not None:
                body = data[len(("---\n" + head).encode("utf-8")) :]  # the body's bytes, untouched
                data = ("---\n" + new_head).encode("utf-8") + body
    result.after = data
    return result

