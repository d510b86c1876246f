"""Bytes on disk -> :class:`~skillkit.model.Skill`, never raising.

Every failure (a FIFO named ``SKILL.md``, invalid UTF-8, YAML that would build Python objects, an
alias bomb, frontmatter that never closes) becomes a recorded :class:`~skillkit.model.Problem` that a
rule reports, so one broken file never stops the others from being checked.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from skillkit.model import Fence, Frontmatter, Heading, MarkdownDoc, Problem, Skill


class _LazyYaml:
    """PyYAML, imported when first used: a lint run answered from the cache parses no YAML."""

    def __getattr__(self, name: str) -> Any:
        import yaml as module

        globals()["yaml"] = module
        return getattr(module, name)


yaml: Any = _LazyYaml()


def safe_loader_class() -> Any:
    """PyYAML's safe loader: the C one (many times faster) where libyaml is built in, else pure Python."""
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def _Loader(text: str) -> Any:  # noqa: N802 - stands for the loader class
    return safe_loader_class()(text)


_value_loader: list[Any] = []


def _ValueLoader(text: str) -> Any:  # noqa: N802 - stands for the loader class
    """The safe loader, except that a value its constructor fails on (``!!bool maybe``, ``!!timestamp
    notadate``, an integer over Python's digit limit: PyYAML raises KeyError, AttributeError, IndexError,
    ValueError...) becomes a ``ConstructorError`` at that node, like any other YAML error."""
    if not _value_loader:
        base = safe_loader_class()

        class ValueLoader(base):  # type: ignore[misc, valid-type]
            def construct_object(self, node: Any, deep: bool = False) -> Any:
                try:
                    return super().construct_object(node, deep)
                except yaml.YAMLError:
                    raise
                except Exception as exc:  # noqa: BLE001 - every constructor failure is a bad value
                    raise yaml.constructor.ConstructorError(None, None, bad_value(node, exc),
                                                            node.start_mark) from exc

        _value_loader.append(ValueLoader)
    return _value_loader[0](text)


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:bool`` -> ``!!bool``."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def huge_integer(exc: BaseException) -> str | None:
    """A clear message for the ValueError of Python's limit on the digits of an int (``int('9' * 5000)``)."""
    text = str(exc)
    if isinstance(exc, ValueError) and "integer string conversion" in text:
        limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
        digits = re.search(r"value has (\d+) digits", text)
        size = f"{int(digits.group(1)):,} digits" if digits else "too many digits"
        return f"an integer of {size}, over Python's {limit:,}-digit limit; quote it if it is text"
    return None


def bad_value(node: Any, exc: BaseException) -> str:
    """What is wrong with a YAML node the constructor could not turn into a value."""
    tag = short_tag(str(getattr(node, "tag", "") or ""))
    value = getattr(node, "value", None)
    if not isinstance(value, str):
        return f"a `{tag}` node cannot be loaded ({type(exc).__name__})"
    shown = "an empty value" if not value else f"`{value[:40]}`" if len(value) <= 40 else (
        f"`{value[:40]}…` ({len(value):,} characters)")
    detail = huge_integer(exc)
    if detail is not None:
        return f"{shown} cannot be loaded as `{tag}`: {detail}"
    detail = f" ({exc})" if isinstance(exc, (ValueError, OverflowError)) and str(exc) else ""
    return f"{shown} is not a valid `{tag}` value{detail}"

#: Files larger than this are reported, not read.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deeper YAML nesting is refused before it is composed (no RecursionError, no C stack overflow).
MAX_YAML_DEPTH = 64
#: Aliases may expand the frontmatter to at most this many nodes ("billion laughs" guard).
MAX_YAML_NODES = 10_000

_KIND = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def is_within(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (plain strings: resolve links first where they matter)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def read_bytes(path: Path, root: Path, cap: int = MAX_FILE_BYTES) -> bytes | Problem:
    """Read a regular file below ``root`` without following links out of it or blocking on FIFOs."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(path)
            except OSError as exc:
                return Problem(f"is a symbolic link that cannot be followed ({exc.strerror or exc}); not read")
            target = os.path.realpath(path)
            if not is_within(target, os.path.realpath(root)):
                return Problem(f"is a symbolic link to {target}, outside the checked tree; not followed")
        kind = _KIND.get(stat.S_IFMT(st.st_mode))
        if kind is not None or not stat.S_ISREG(st.st_mode):
            return Problem(f"is {kind or 'not a regular file'}, not a regular file; not read")
        if st.st_size > cap:
            return Problem(f"is {st.st_size:,} bytes, over the {cap:,}-byte limit; not read")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the stat and the open
                return Problem("is not a regular file; not read")
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(cap + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        return Problem(f"cannot be read: {exc.strerror or exc}")
    if len(data) > cap:
        return Problem(f"is over the {cap:,}-byte limit; not read")
    return data


def decode_text(data: bytes) -> str | Problem:
    """UTF-8 text, or a Problem pointing at binary content or the first undecodable byte."""
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        return Problem("is binary (contains NUL bytes), not UTF-8 text", line, None)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
            line,
            column,
        )


def split_lines(text: str) -> list[str]:
    """Lines without their endings; CRLF and lone CR count as line breaks, as in CommonMark."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_delimiter(line: str) -> bool:
    return line.rstrip(" \t") == "---"


# --------------------------------------------------------------------------- YAML


def _mark(mark: Any, offset: int) -> tuple[int, int]:
    return (mark.line + offset, mark.column + 1)


def _yaml_error(exc: Exception, offset: int) -> Problem:
    problem_mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc).splitlines()[0]
    if problem_mark is not None:
        line, column = _mark(problem_mark, offset)
        return Problem(text, line, column)
    return Problem(text, offset, None)


def _scan(fm: Frontmatter) -> bool:
    """Token pass: strict-YAML constructs and nesting depth. False when loading must not go on."""
    offset = fm.start_line
    loader = _Loader(fm.text)
    depth = 0
    flow = 0
    try:
        while True:
            token = loader.get_token()
            if token is None or isinstance(token, yaml.StreamEndToken):
                return True
            line, column = _mark(token.start_mark, offset)
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                if flow == 0:
                    kind = "list" if isinstance(token, yaml.FlowSequenceStartToken) else "mapping"
                    fm.strict_issues.append(
                        Problem(f"flow-style {kind} (`{'[...]' if kind == 'list' else '{...}'}`); "
                                "strict YAML parsers such as the reference validator refuse it: "
                                "use block style or one string", line, column)
                    )
                flow += 1
                depth += 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                flow -= 1
                depth -= 1
            elif isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)):
                depth += 1
            elif isinstance(token, yaml.BlockEndToken):
                depth -= 1
            elif isinstance(token, yaml.AnchorToken):
                fm.strict_issues.append(Problem(f"anchor `&{token.value}`; strict YAML refuses anchors and aliases", line, column))
            elif isinstance(token, yaml.AliasToken):
                fm.strict_issues.append(Problem(f"alias `*{token.value}`; strict YAML refuses anchors and aliases", line, column))
            elif isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                fm.strict_issues.append(Problem(f"explicit tag `{handle or ''}{suffix}`; strict YAML refuses tags", line, column))
            if depth > MAX_YAML_DEPTH:
                fm.error = Problem(f"nested deeper than {MAX_YAML_DEPTH} levels; not loaded", line, column)
                return False
    except yaml.YAMLError as exc:
        fm.error = _yaml_error(exc, offset)
        return False
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node) -> int | None:
    """Nodes the document would have with every alias expanded; None for a recursive alias."""
    sizes: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_YAML_NODES + 1)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            return None
        state[key] = 1
        stack.append((node, True))
        for child in _children(node):
            if state.get(id(child)) == 1:
                return None
            if state.get(id(child)) != 2:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_keys(fm: Frontmatter, root: yaml.Node) -> None:
    """Record duplicate keys (PyYAML silently keeps the last) and where each key stands."""
    offset = fm.start_line
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...] | None]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                child_path = None
                if isinstance(key_node, yaml.ScalarNode):
                    line, column = _mark(key_node.start_mark, offset)
                    if key_node.value in keys:
                        fm.strict_issues.append(
                            Problem(f"duplicate key `{key_node.value}` (first on line {keys[key_node.value]}); "
                                    "most parsers silently keep the last value", line, column)
                        )
                    else:
                        keys[key_node.value] = line
                    if path is not None and len(path) < 2:
                        child_path = (*path, key_node.value)
                        fm.locations.setdefault(child_path, (line, column))
                        fm.value_locations.setdefault(child_path, _mark(value_node.start_mark, offset))
                stack.append((value_node, child_path))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, None) for child in node.value)


def load_frontmatter(text: str, start_line: int, end_line: int) -> Frontmatter:
    """Load frontmatter YAML safely: no Python objects, no alias bombs, no unbounded recursion."""
    fm = Frontmatter(text=text, start_line=start_line, end_line=end_line)
    for index, line in enumerate(text.split("\n")):
        column = line.find("---")
        if column != -1:
            fm.strict_issues.append(
                Problem("`---` inside the frontmatter; parsers that split the file on `---` "
                        "(the reference validator does) cut the frontmatter here", start_line + index, column + 1)
            )
    if not _scan(fm):
        return fm
    loader = _ValueLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            fm.data = None
            return fm
        size = _expanded_size(node)
        if size is None:
            fm.error = Problem("a YAML alias refers to the node that contains it (recursive); not loaded",
                               *_mark(node.start_mark, start_line))
            return fm
        if size > MAX_YAML_NODES:
            fm.error = Problem(f"YAML aliases expand to over {MAX_YAML_NODES:,} nodes (an alias bomb); not loaded",
                               *_mark(node.start_mark, start_line))
            return fm
        _check_keys(fm, node)
        fm.data = loader.construct_document(node)
    except yaml.YAMLError as exc:  # a value the constructor failed on is one too (see _ValueLoader)
        fm.error = _yaml_error(exc, start_line)
    except Exception as exc:  # noqa: BLE001 - never let the frontmatter stop the other checks
        fm.error = Problem(f"the YAML cannot be loaded ({type(exc).__name__}: {exc})", start_line, None)
    finally:
        loader.dispose()
    return fm


# --------------------------------------------------------------------------- Markdown

_md_parser: Any = None


def _markdown() -> Any:
    global _md_parser
    if _md_parser is None:
        from markdown_it import MarkdownIt

        _md_parser = MarkdownIt("commonmark").disable("inline")
    return _md_parser


def _closes(line: str, char: str, length: int) -> bool:
    stripped = line.lstrip(" \t>")
    run = len(stripped) - len(stripped.lstrip(char))
    return run >= length and stripped[run:].strip(" \t") == ""


def parse_markdown(path: Path, lines: list[str], first_line: int = 1) -> MarkdownDoc:
    """Block-level CommonMark parse: fences (closed or not) and the lines that are code."""
    doc = MarkdownDoc(path=path, lines=lines, first_line=first_line)
    source = "\n".join(lines[first_line - 1 :])
    if not source.strip():
        return doc
    offset = first_line - 1
    code: set[int] = set()
    for token in _markdown().parse(source):
        if token.map is None or token.type not in ("fence", "code_block"):
            continue
        start, end = token.map[0] + 1 + offset, token.map[1] + offset
        code.update(range(start, end + 1))
        if token.type == "fence":
            char = token.markup[0]
            closed = end > start and _closes(lines[end - 1], char, len(token.markup))
            doc.fences.append(Fence(start, end, char, len(token.markup), token.info.strip(), closed))
    doc.code_lines = frozenset(code)
    _find_headings(doc)
    return doc


_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?")


def _strip_quotes(line: str) -> str:
    if ">" not in line[:4]:
        return line  # no block quote marker where one can stand (at most three spaces in)
    while True:
        match = _QUOTE.match(line)
        if match is None:
            return line
        line = line[match.end() :]


def scan_fences(path: Path, lines: list[str], first_line: int = 1) -> MarkdownDoc:
    """A cheap line pass for fences, for reference files (most of a skill's bytes).

    It follows CommonMark for fences at any indentation and inside block quotes; unlike the full parse
    it does not end an open fence at the end of its list item or quote, so an open fence there is
    reported at the end of the file instead.
    """
    doc = MarkdownDoc(path=path, lines=lines, first_line=first_line)
    code: set[int] = set()
    open_fence: tuple[int, str, int, str] | None = None
    # Only a line with three backticks or tildes in a row can open or close a fence (an inline code
    # span's single backticks cannot): visit those, and mark the lines of each fence as code in one step.
    candidates = [n for n, line in enumerate(lines[first_line - 1 :], first_line) if "```" in line or "~~~" in line]
    for number in candidates:
        text = _strip_quotes(lines[number - 1])
        if open_fence is not None:
            start, char, length, info = open_fence
            if _closes(text, char, length):
                doc.fences.append(Fence(start, number, char, length, info, True))
                code.update(range(start, number + 1))
                open_fence = None
            continue
        match = _FENCE_OPEN.match(text)
        if match is None:
            continue
        fence, info = match.group("fence"), match.group("info")
        if fence[0] == "`" and "`" in info:
            continue  # an inline code span such as ```x```, not a fence
        open_fence = (number, fence[0], len(fence), info.strip())
    if open_fence is not None:
        start, char, length, info = open_fence
        doc.fences.append(Fence(start, len(lines), char, length, info, False))
        code.update(range(start, len(lines) + 1))
    doc.code_lines = frozenset(code)
    _find_headings(doc)
    return doc


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def _find_headings(doc: MarkdownDoc) -> None:
    for number, line in doc.prose_lines():
        if "#" in line and line.lstrip(" ").startswith("#"):
            match = _HEADING.match(line)
            if match:
                doc.headings.append(Heading(number, len(match.group(1)), (match.group(2) or "").strip()))


_INDENTED = re.compile(r"^(?: {4}|\t)")


def parse_body(path: Path, lines: list[str], first_line: int) -> MarkdownDoc:
    """The SKILL.md body: the cheap line pass when it is unambiguous, else the full CommonMark parse.

    Ambiguous means an unclosed fence, a fence indented four or more spaces or inside a block quote,
    or an indented line after a blank one (an indented code block or a list continuation); there
    markdown-it-py decides, so the result is always CommonMark's.
    """
    doc = scan_fences(path, lines, first_line)
    if any(not f.closed for f in doc.fences):
        return parse_markdown(path, lines, first_line)
    previous_blank = True  # the start of the document counts as a blank line
    fence_starts = {f.start for f in doc.fences}
    for number in range(first_line, len(lines) + 1):
        line = lines[number - 1]
        if number not in doc.code_lines or number in fence_starts:
            if (previous_blank and _INDENTED.match(line) and line.strip()) or (
                line.lstrip().startswith(">") and ("```" in line or "~~~" in line)
            ):
                return parse_markdown(path, lines, first_line)
            if number in doc.code_lines and _INDENTED.match(line):
                return parse_markdown(path, lines, first_line)
        previous_blank = not line.strip()
    return doc


# --------------------------------------------------------------------------- skill


def read_text(path: Path, root: Path) -> str | Problem:
    data = read_bytes(path, root)
    if isinstance(data, Problem):
        return data
    return decode_text(data)


def _load_references(skill: Skill) -> None:
    ref_dir = skill.dir / "references"
    if not ref_dir.is_dir() or ref_dir.is_symlink():
        return
    stack = [ref_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skill.reference_problems.append((folder, Problem(f"cannot be listed: {exc.strerror or exc}")))
            continue
        for entry in reversed(entries):
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    stack.append(path)
            elif entry.name.lower().endswith(".md"):
                text = read_text(path, skill.dir)
                if isinstance(text, Problem):
                    skill.reference_problems.append((path, text))
                else:
                    skill.references.append(scan_fences(path, split_lines(text.lstrip("\ufeff"))))
    skill.references.sort(key=lambda doc: doc.path)


#: At most this many files of one skill are listed.
MAX_SKILL_FILES = 10_000
#: Bundled files larger than this are not read for the content rules.
MAX_TEXT_BYTES = 1024 * 1024


def _list_files(skill: Skill) -> None:
    stack = [skill.dir]
    while stack and len(skill.files) < MAX_SKILL_FILES:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != ".git":
                    stack.append(Path(entry.path))
            else:
                skill.files.append(Path(entry.path).relative_to(skill.dir).as_posix())
    skill.files.sort()


def text_of(skill: Skill, rel: str) -> list[str] | None:
    """Lines of a bundled file (``rel`` relative to the skill), or ``None`` if binary, huge or unreadable."""
    path = skill.dir / rel
    if path not in skill._texts:
        data = read_bytes(path, skill.dir, MAX_TEXT_BYTES)
        text = None if isinstance(data, Problem) else decode_text(data)
        skill._texts[path] = None if text is None or isinstance(text, Problem) else split_lines(text)
    return skill._texts[path]


def load_skill(skill_dir: Path, skill_md: Path | None, root: Path) -> Skill:
    """Parse one skill folder. ``skill_md`` is ``None`` when the folder has no SKILL.md."""
    skill = Skill(dir=skill_dir, skill_md=skill_md, root=root)
    _list_files(skill)
    if skill_md is None:
        return skill
    _load_references(skill)
    raw = read_bytes(skill_md, root)
    if isinstance(raw, Problem):
        skill.read_problem = raw
        return skill
    if not raw.strip():
        skill.empty = True
        return skill
    text = decode_text(raw)
    if isinstance(text, Problem):
        skill.read_problem = text
        return skill
    if text.startswith("\ufeff"):
        skill.bom = True
        text = text[1:]
    if "\r" in text:
        skill.crlf_lines = text.count("\r\n")
    skill.lf_lines = text.count("\n") - skill.crlf_lines
    lines = split_lines(text)

    start = 0
    if not lines or not _is_delimiter(lines[0]):
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None or not _is_delimiter(lines[first]):
            skill.frontmatter_problem = Problem("no YAML frontmatter: SKILL.md must start with a line `---`", 1, 1)
            skill.body = parse_body(skill_md, lines, 1)
            return skill
        skill.frontmatter_problem = Problem(
            f"the frontmatter must start on line 1; {first} blank line(s) come before `---`", 1, 1
        )
        start = first
    close = next((i for i in range(start + 1, len(lines)) if _is_delimiter(lines[i])), None)
    if close is None:
        skill.frontmatter_problem = Problem(
            f"the frontmatter opened on line {start + 1} is never closed (no later line `---`); "
            "the body was not checked", start + 1, 1
        )
        return skill
    skill.frontmatter = load_frontmatter("\n".join(lines[start + 1 : close]), start + 2, close + 1)
    skill.body = parse_body(skill_md, lines, close + 2)
    return skill
