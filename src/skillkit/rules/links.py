"""SK4xx: links and bundled files."""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

from skillkit.diagnostics import Severity, Violation
from skillkit.model import MarkdownDoc, Skill
from skillkit.parse import is_within
from skillkit.rules import Options, rule
from skillkit.textscan import candidate_lines, prose_scan

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*(<[^>]*>|\S+)")


_TICK_RUN = re.compile(r"`+")


def blank_code_spans(line: str) -> str:
    """Replace inline code spans (`` `x` ``, ``` ``x`` ```) with spaces, keeping columns.

    A run of backticks opens a span closed by the next run of the same length; a run with no such
    closer is literal text (CommonMark). Linear: each run's closer is looked up, not searched for.
    """
    if "`" not in line:
        return line
    runs = [(m.start(), m.end() - m.start()) for m in _TICK_RUN.finditer(line)]
    closer = [-1] * len(runs)  # index of the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1]
        closer[index] = last.get(length, -1)
        last[length] = index
    pieces = []
    done = 0
    i = 0
    while i < len(runs):
        start, length = runs[i]
        close = closer[i]
        if close == -1:
            i += 1
            continue
        end = runs[close][0] + length
        pieces.append(line[done:start])
        pieces.append(" " * (end - start))
        done = end
        i = close + 1
    if not pieces:
        return line
    pieces.append(line[done:])
    return "".join(pieces)


_BLANKS = re.compile(r"[ \t]+")
_PAREN_EVENTS = re.compile(r"\\.|[() \t]", re.DOTALL)


class _LinkLine:
    """One line's link syntax, with every look-ahead answered from tables built once per line.

    Scanning forward from each ``](`` (to the end of its destination, to a title's closing quote) costs
    the rest of the line each time: a line of 100,000 ``[a](`` took hours. Here each question is a
    bisect into positions found by one regex pass, so a line costs time linear in its length.
    """

    def __init__(self, line: str) -> None:
        self.line = line
        self._blank_runs: tuple[list[int], list[int]] | None = None
        self._found: dict[str, list[int]] = {}
        self._events: tuple[list[int], list[int], list[int]] | None = None

    def skip_blanks(self, i: int) -> int:
        """The first index at or after ``i`` that is not a space or a tab."""
        if self._blank_runs is None:
            runs = [(m.start(), m.end()) for m in _BLANKS.finditer(self.line)]
            self._blank_runs = ([s for s, _ in runs], [e for _, e in runs])
        starts, ends = self._blank_runs
        k = bisect_right(starts, i) - 1
        return ends[k] if k >= 0 and ends[k] > i else i

    def find(self, char: str, start: int) -> int:
        """``line.find(char, start)``, from a table of the character's positions."""
        positions = self._found.get(char)
        if positions is None:
            positions = self._found[char] = [m.start() for m in re.finditer(re.escape(char), self.line)]
        k = bisect_left(positions, start)
        return positions[k] if k < len(positions) else -1

    def destination_end(self, i: int) -> int:
        """Where a destination without ``<>`` that starts at ``i`` ends: at the first unescaped blank, or
        at the first unescaped ``)`` that balances the ``(`` after ``i``; else at the end of the line.

        ``i`` is never inside a run of backslashes (it follows ``(`` or a blank), so reading escapes
        from the start of the line agrees with reading them from ``i``.
        """
        if self._events is None:
            positions: list[int] = []
            balance: list[int] = []  # unbalanced `(` before each event
            kinds: list[str] = []
            depth = 0
            for m in _PAREN_EVENTS.finditer(self.line):
                char = m.group(0)
                if len(char) == 2:
                    continue
                positions.append(m.start())
                balance.append(depth)
                kinds.append(char)
                depth += 1 if char == "(" else -1 if char == ")" else 0
            count = len(positions)
            end_at = [count] * (count + 1)  # the event that ends a scan starting at each event
            next_blank = count
            closes: dict[int, int] = {}  # balance -> the first `)` event at it, of those seen (right to left)
            for e in range(count - 1, -1, -1):
                if kinds[e] in " \t":
                    next_blank = e
                elif kinds[e] == ")":
                    closes[balance[e]] = e
                end_at[e] = min(next_blank, closes.get(balance[e], count))
            self._events = (positions, end_at, [*positions, len(self.line)])
        positions, end_at, stops = self._events
        return stops[end_at[bisect_left(positions, i)]]


def _skip_title(scan: _LinkLine, i: int) -> int | None:
    """Index just past an optional link title and the closing ``)``; ``None`` if this is no link."""
    line = scan.line
    n = len(line)
    i = scan.skip_blanks(i)
    if i < n and line[i] in "\"'(":
        end = scan.find(")" if line[i] == "(" else line[i], i + 1)
        if end == -1:
            return None
        i = scan.skip_blanks(end + 1)
    return i + 1 if i < n and line[i] == ")" else None


def _destination(scan: _LinkLine, start: int) -> tuple[str, int] | None:
    """The link destination that begins at ``start`` (just after ``](``) and its column, if a link."""
    line = scan.line
    i = scan.skip_blanks(start)
    if i < len(line) and line[i] == "<":
        end = scan.find(">", i + 1)
        if end == -1 or _skip_title(scan, end + 1) is None:
            return None
        return line[i + 1 : end], i + 1
    j = scan.destination_end(i)
    if _skip_title(scan, j) is None:
        return None
    return line[i:j], i


def iter_links(doc: MarkdownDoc) -> list[tuple[str, int, int]]:
    """``(target, line, column)`` of every inline link, image and reference definition in prose (cached)."""
    if doc._links is None:
        doc._links = list(_find_links(doc))
    return doc._links  # type: ignore[return-value]


def _find_links(doc: MarkdownDoc) -> Iterator[tuple[str, int, int]]:
    for number, raw in doc.prose_lines():
        if "](" not in raw and "]:" not in raw:
            continue
        line = blank_code_spans(raw)
        match = _REF_DEF.match(line)
        if match:
            target, column = match.group(2), match.start(2) + 1
            if target.startswith("<"):
                target, column = target[1:-1], column + 1
            yield target, number, column
            continue
        first = line.find("[")
        if first == -1:
            continue
        scan = _LinkLine(line)
        pos = line.find("](", first)  # a `](` counts once a `[` stands before it
        while pos != -1:
            found = _destination(scan, pos + 2)
            if found is not None:
                target, column = found
                yield target, number, column + 1
            pos = line.find("](", pos + 2)


def local_target(target: str) -> str | None:
    """The file path a link points to inside the skill, or ``None`` for URLs, anchors and absolute paths."""
    target = target.strip()
    if not target or target.startswith(("#", "/", "~", "\\")) or _SCHEME.match(target):
        return None
    path = re.split(r"[#?]", target, maxsplit=1)[0]
    return unquote(path) or None


@rule("SK401", "broken-relative-link", Severity.ERROR)
def broken_relative_link(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks every relative Markdown link and image in `SKILL.md` and `references/` files (inline or
    reference-style, outside code) and reports those whose file does not exist. Fragments (`#part`)
    and queries are ignored, `%20` is decoded, and the path is resolved from the linking file's folder.

    ## Why is this bad?
    Skills load their depth on demand: the agent follows the link and gets nothing, so the guidance it
    was promised is missing exactly when it is needed.

    ## Example
    `[API reference](references/api.md)` with no `references/api.md`. Use instead: add the file or fix
    the path.
    """
    for doc in skill.markdown_docs():
        base = doc.path.parent
        for target, line, column in iter_links(doc):
            path = local_target(target)
            if path is None:
                continue
            if not skill.exists(base / path):
                yield Violation(
                    f"link target `{path}` does not exist",
                    line,
                    column,
                    path=None if doc is skill.body else doc.path,
                )


def _doc_path(skill: Skill, doc: MarkdownDoc) -> object:
    return None if doc is skill.body else doc.path


@rule("SK402", "link-escapes-skill-root", Severity.WARNING)
def link_escapes_skill_root(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a relative link that leads out of the skill's folder (`../other-skill/...`), even when
    the target exists in the repository.

    ## Why is this bad?
    Skills are installed one folder at a time (zipped, copied or linked); a link out of the folder
    breaks as soon as the skill is installed anywhere else.

    ## Example
    `[shared tips](../common/tips.md)`. Use instead: copy what is needed into `references/`, or
    name the other skill in prose.
    """
    root = os.path.abspath(skill.dir)
    for doc in skill.markdown_docs():
        for target, line, column in iter_links(doc):
            path = local_target(target)
            if path is not None and not is_within(os.path.abspath(doc.path.parent / path), root):
                yield Violation(f"link `{path}` leads out of the skill folder; it breaks once the skill is "
                                "installed on its own", line, column, path=_doc_path(skill, doc))  # type: ignore[arg-type]


_USER_PATH = re.compile(r"(?<![\w/])(/(?:Users|home)/[A-Za-z0-9._-]+/|[A-Z]:\\[\w$]|file:///?\w)")
_BACKSLASH_PATH = re.compile(r"(?<![\w\\])((?:references|scripts|assets|templates|examples)\\[\w.\\-]+)")
_PATH_CHECKS = (
    (_USER_PATH, ("/Users/", "/home/", ":\\", "file:"), "a home-folder path"),
    (_BACKSLASH_PATH, ("references\\", "scripts\\", "assets\\", "templates\\", "examples\\"), "a backslash path"),
)


@rule("SK403", "non-portable-path", Severity.WARNING)
def non_portable_path(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports paths that only work on the author's machine: link targets that start with `/`, `~` or
    `file://`; home folders such as `/Users/ana/`, drive paths such as `C:\\Users\\`, and `file://`
    URLs in prose; and Windows-style backslash paths such as `scripts\\run.py`.

    ## Why is this bad?
    Skills run on other machines and operating systems. File references in a skill are relative to
    its root, with forward slashes.

    ## Example
    `[guide](/home/ana/skills/vllm/references/guide.md)`. Use instead: `[guide](references/guide.md)`.
    """
    for doc in skill.markdown_docs():
        where = _doc_path(skill, doc)
        reported: set[tuple[int, int]] = set()
        for target, line, column in iter_links(doc):
            if target.startswith(("/", "~", "file:")):
                reported.add((line, column))
                yield Violation(f"link `{target}` is an absolute local path; use a path relative to the skill",
                                line, column, path=where)  # type: ignore[arg-type]
        scan = prose_scan(doc)
        # Neither pattern crosses a line; each holds one of its words: run it on those lines only (a
        # pattern that opens with a look-behind is otherwise tried at every position of the file).
        for pattern, words, what in _PATH_CHECKS:
            for start, line_text in candidate_lines(scan.text, words):
                for match in pattern.finditer(line_text):
                    position = scan.position(start + match.start(1))
                    if position not in reported:
                        yield Violation(f"`{match.group(1)}` is {what}; use a relative path with `/`",
                                        *position, path=where)  # type: ignore[arg-type]


@rule("SK404", "nested-reference", Severity.WARNING)
def nested_reference(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a Markdown file linked from SKILL.md that itself links to a further local Markdown file
    (other than SKILL.md). References should be one level deep.

    ## Why is this bad?
    Agents often read a reference only partly (`head`), and follow links from SKILL.md, not chains
    of links: guidance two levels down is rarely reached. The specification asks for one level.

    ## Example
    SKILL.md -> `references/advanced.md` -> `references/details.md`. Use instead: link
    `references/details.md` from SKILL.md directly.
    """
    if skill.body is None:
        return
    skill_md = os.path.abspath(skill.skill_md) if skill.skill_md else ""
    linked = set()
    for target, _, _ in iter_links(skill.body):
        path = local_target(target)
        if path and path.lower().endswith(".md"):
            linked.add(os.path.abspath(skill.body.path.parent / path))
    for doc in skill.references:
        here = os.path.abspath(doc.path)
        if here not in linked:
            continue
        for target, line, column in iter_links(doc):
            path = local_target(target)
            if not path or not path.lower().endswith(".md"):
                continue
            resolved = os.path.abspath(doc.path.parent / path)
            if resolved not in (skill_md, here):
                yield Violation(f"`{path}` is a second level of references; link it from SKILL.md instead",
                                line, column, path=doc.path)


BUNDLE_DIRS = ("references/", "scripts/", "assets/", "templates/", "examples/")
DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".rst")


def _mentions(skill: Skill) -> str:
    if skill.body is None:
        return ""
    return "\n".join(skill.body.lines)


#: Characters that IGNORECASE matches to an ASCII letter but str.lower() does not turn into it (`İ`, `ı`, `ſ`).
_FOLD_SPECIALS = ("\u0130", "\u0131", "\u017f")


@lru_cache(maxsize=8)
def _folded(text: str) -> str | None:
    """``text`` lower-cased, for a substring test that must hold before an IGNORECASE match can; ``None``
    when the text holds a character that the test would miss."""
    if not text.isascii() and any(c in text for c in _FOLD_SPECIALS):
        return None
    return text.lower()


def _named(text: str, word: str) -> bool:
    """``word`` (a file or folder name, or a path) stands in ``text`` with no name character glued on."""
    folded = _folded(text) if word.isascii() else None
    if folded is not None and word.lower() not in folded:
        return False  # most names are absent: no pattern to build and compile
    return re.search(r"(?<![\w.-])" + re.escape(word) + r"(?![\w-]|\.\w)", text, re.IGNORECASE) is not None


def _used_files(skill: Skill, text: str) -> set[str]:
    """Bundled files something uses: SKILL.md names them (their path, their file name, or a folder that
    holds them below the top level, such as `scripts/office`), or a used file does (a script that reads
    `schemas/wml.xsd`, an `import helpers`, a reference that links another, a schema that imports one):
    followed to a fixed point, each file read once."""
    from skillkit.parse import text_of

    # any file may use another (a root `forms.md` that SKILL.md names may run `scripts/fill.py`)
    bundled = [rel for rel in skill.files if rel != "SKILL.md" and "__pycache__/" not in rel
               and not any(part.startswith(".") for part in rel.split("/"))]

    def users_name(rel: str, where: str, skill_md: bool) -> bool:
        parts = rel.split("/")
        stem = rel.rsplit(".", 1)[0] if "." in parts[-1] else rel
        # its path, its file name, its path without the extension (`python scripts/fill_fields`), or
        # a Python module path (`python -m scripts.aggregate`)
        if rel in where or _named(where, parts[-1]) or (stem != rel and "/" in stem and (
                _named(where, stem) or (rel.endswith(".py") and _named(where, stem.replace("/", "."))))):
            return True
        if parts[-1].endswith(".py") and parts[-1][:-3] in where and re.search(r"\b(?:import|from)\s+\.*(?:[\w.]+\.)?" + re.escape(parts[-1][:-3])
                                                   + r"\b", where):
            return True
        # a folder below the top level (`scripts/office`, `references/api`): SKILL.md names it by its
        # path; a bundled file (which lives inside the skill) by its own name (`schemas`, `helpers`).
        # SKILL.md that points to a whole top folder ("documentation in `references/`") has the agent
        # browse its documents; a script or asset still needs saying when to run or use it.
        if skill_md and len(parts) > 1 and rel.lower().endswith(DOCUMENT_SUFFIXES) and parts[0] + "/" in where and re.search(r"(?<![\w./-])" + re.escape(parts[0]) + r"/(?![\w.-])", where):
            return True
        for depth in range(2, len(parts)):
            folder = "/".join(parts[:depth])
            if _named(where, folder) or (not skill_md and _named(where, parts[depth - 1])):
                return True
        return False

    used = {rel for rel in bundled if users_name(rel, text, True)}
    todo = list(used)
    while todo:
        user = todo.pop()
        # a package's `__init__.py` runs when any module of its folder is imported
        package = user.rsplit("/", 1)[0] + "/__init__.py" if "/" in user else "__init__.py"
        if user.endswith(".py") and package in bundled and package not in used:
            used.add(package)
        lines = text_of(skill, user)
        if not lines:
            continue
        where = "\n".join(lines)
        for rel in bundled:
            if rel not in used and users_name(rel, where, False):
                used.add(rel)
                todo.append(rel)
    return used


@rule("SK405", "orphan-bundled-file", Severity.WARNING)
def orphan_bundled_file(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a file under `references/`, `scripts/`, `assets/`, `templates/` or `examples/` that
    nothing uses: SKILL.md names neither its path, its file name, nor a folder that holds it (below
    the top level, such as `scripts/office/`; for a document, `.md` or `.txt`, the whole top folder
    too: "documentation in `references/`"), and no file that is used names it either (a script that
    reads `schemas/wml.xsd`, imports `helpers`, a reference that links another).

    ## Why is this bad?
    The agent only loads what SKILL.md tells it about, and what those files in turn read; a file
    that nothing reaches is dead weight that nobody reads. Say when to load each file.

    ## Example
    `references/quantization.md` that no line of SKILL.md names. Use instead: "For 4-bit setups read
    [quantization](references/quantization.md)".
    """
    text = _mentions(skill)
    if not text:
        return
    used = _used_files(skill, text)
    for rel in skill.files:
        if not rel.startswith(BUNDLE_DIRS) or "/__pycache__/" in rel or rel.rsplit("/", 1)[-1].startswith("."):
            continue
        if rel in used:
            continue
        yield Violation(f"`{rel}` is never mentioned in SKILL.md, nor by a file it uses; say when to read or run it",
                        None, None, path=skill.dir / rel)


class TocOptions(Options):
    max_lines: int = 100


@rule("SK406", "long-reference-without-toc", Severity.WARNING, options=TocOptions)
def long_reference_without_toc(skill: Skill, options: TocOptions) -> Iterator[Violation]:
    """## What it does
    Reports a reference Markdown file longer than `max-lines` (100) that has no "Contents" or "Table
    of contents" heading and fewer than three `](#...)` links in its first 40 lines.

    ## Why is this bad?
    Agents preview long files partly; a table of contents at the top shows them what the file holds
    and where to read on.

    ## Example
    A 600-line `references/api.md` that starts straight with the first class. Use instead: a
    `## Contents` list of links to its sections.
    """
    for doc in skill.references:
        if len(doc.lines) <= options.max_lines:
            continue
        has_heading = any(re.search(r"\bcontents\b|\btoc\b", h.text, re.IGNORECASE) for h in doc.headings)
        anchors = sum(line.count("](#") for line in doc.lines[:40])
        if not has_heading and anchors < 3:
            yield Violation(f"{len(doc.lines)} lines and no table of contents; add `## Contents` with links to "
                            "the sections", 1, None, path=doc.path)


_MENTION = re.compile(r"(?<![\w/.-])((?:references|scripts|assets|templates|examples)/[\w./-]*[\w-])")
# "e.g. `references/finance.md`", "for example scripts/x.py": a hypothetical file, not one of this skill's
_HYPOTHETICAL = re.compile(r"(?i)(?:\be\.g\.|\bfor example|\bfor instance|\bsuch as)(?:[^.;!?]|\.(?=\w))*$")


def _looks_like_own_path(skill: Skill, raw: str, start: int, path: str) -> bool:
    """A mention is a path of this skill only when it looks like one: a file name with an extension, or a
    folder where the skill keeps folders (`assets/examples` beside `assets/forms/`); prose such as
    "assets/code" or an upstream project's `scripts/models` is not, nor is a file named as an example."""
    if _HYPOTHETICAL.search(raw, 0, start):
        return False
    if "." in path.rsplit("/", 1)[-1]:
        return True
    top = path.split("/", 1)[0] + "/"
    return any(f.startswith(top) and f.count("/") >= 2 for f in skill.files)


_CLONE = re.compile(r"\bgit\s+clone\b")


def _upstream_paths(body: MarkdownDoc) -> set[str]:
    """Paths that SKILL.md's code blocks use when they clone a repository (`git clone .../openpi.git`,
    `cd openpi`, `uv run scripts/train.py`): those paths are the cloned project's, not this skill's."""
    blocks = ["\n".join(body.lines[fence.start : fence.end]) for fence in body.fences]
    if not any(_CLONE.search(block) for block in blocks):
        return set()
    return {m.group(1) for block in blocks for m in _MENTION.finditer(block)}


@rule("SK407", "mentioned-path-missing", Severity.WARNING)
def mentioned_path_missing(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a path under `references/`, `scripts/`, `assets/`, `templates/` or `examples/` named in
    the prose of SKILL.md (bare or in backticks, not as a link: SK401 covers links) that does not
    exist in the skill. Code blocks are skipped: they often name paths of the upstream project, and
    so does prose that names a path those code blocks use after a `git clone` (the cloned project's
    `scripts/train.py`). A mention counts only when it looks like one of this skill's files: a file
    name with an extension (not one given as an example: "e.g. `references/finance.md`"), or a
    folder where the skill keeps folders; prose such as "assets/code" is not a path.

    ## Why is this bad?
    "Run `scripts/convert.py`" sends the agent to a file that is not there.

    ## Example
    "See `references/api.md`" with no such file. Use instead: add the file or drop the mention.
    """
    body = skill.body
    if body is None:
        return
    upstream: set[str] | None = None
    for number, raw in body.prose_lines():
        if "/" not in raw:
            continue
        links = {local_target(t) for t, n, _ in iter_links(body) if n == number}
        for match in _MENTION.finditer(raw):
            path = match.group(1)
            if path in links or any(c in path for c in "*<{"):
                continue
            if raw[match.end(1) : match.end(1) + 1] in ("*", "<", "{"):
                continue
            if not _looks_like_own_path(skill, raw, match.start(1), path):
                continue
            if skill.exists(skill.dir / path):
                continue
            if upstream is None:
                upstream = _upstream_paths(body)
            if path not in upstream:
                yield Violation(f"`{path}` is mentioned but does not exist in the skill", number, match.start(1) + 1)


JUNK = re.compile(r"(^|/)(__pycache__/|\.DS_Store$|node_modules/|\.ipynb_checkpoints/|[^/]*\.pyc$|[^/]*\.swp$|Thumbs\.db$)")
EXTRA_DOCS = frozenset({"README.md", "CHANGELOG.md", "INSTALLATION_GUIDE.md", "QUICK_REFERENCE.md"})


@rule("SK408", "junk-or-extraneous-file", Severity.WARNING)
def junk_or_extraneous_file(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports junk in the skill folder (`__pycache__/`, `*.pyc`, `.DS_Store`, `node_modules/`, `*.swp`,
    `.ipynb_checkpoints/`) and extra documents at its root (`README.md`, `CHANGELOG.md`,
    `INSTALLATION_GUIDE.md`, `QUICK_REFERENCE.md`) beside SKILL.md.

    ## Why is this bad?
    Everything in the folder ships with the skill. Junk bloats it; a README beside SKILL.md splits
    the guidance, and agents read SKILL.md, not the README.

    ## Example
    `scripts/__pycache__/run.cpython-311.pyc`. Use instead: delete it and ignore it in git.
    """
    seen_dirs: set[str] = set()
    for rel in skill.files:
        match = JUNK.search(rel)
        if match:
            junk = rel[: match.end()].rstrip("/")
            if junk not in seen_dirs:
                seen_dirs.add(junk)
                yield Violation(f"`{junk}` is junk that should not ship with the skill", None, None,
                                path=skill.dir / junk)
        elif rel in EXTRA_DOCS:
            yield Violation(f"`{rel}` beside SKILL.md splits the guidance; fold it into SKILL.md or references/",
                            None, None, path=skill.dir / rel)
