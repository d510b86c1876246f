"""SK4xx: links and bundled files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import unquote

from skillkit.diagnostics import Severity, Violation
from skillkit.model import MarkdownDoc, Skill
from skillkit.rules import rule

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*(<[^>]*>|\S+)")


def blank_code_spans(line: str) -> str:
    """Replace inline code spans (`` `x` ``, ``` ``x`` ```) with spaces, keeping columns."""
    if "`" not in line:
        return line
    out = list(line)
    i = 0
    n = len(line)
    while i < n:
        if line[i] != "`":
            i += 1
            continue
        j = i
        while j < n and line[j] == "`":
            j += 1
        run = j - i
        k = j
        close = -1
        while k < n:
            if line[k] == "`":
                m = k
                while m < n and line[m] == "`":
                    m += 1
                if m - k == run:
                    close = k
                    break
                k = m
            else:
                k += 1
        if close == -1:
            i = j
            continue
        for p in range(i, close + run):
            out[p] = " "
        i = close + run
    return "".join(out)


def _skip_title(line: str, i: int) -> int | None:
    """Index just past an optional link title and the closing ``)``; ``None`` if this is no link."""
    n = len(line)
    while i < n and line[i] in " \t":
        i += 1
    if i < n and line[i] in "\"'(":
        close = ")" if line[i] == "(" else line[i]
        end = line.find(close, i + 1)
        if end == -1:
            return None
        i = end + 1
        while i < n and line[i] in " \t":
            i += 1
    return i + 1 if i < n and line[i] == ")" else None


def _destination(line: str, start: int) -> tuple[str, int] | None:
    """The link destination that begins at ``start`` (just after ``](``) and its column, if a link."""
    n = len(line)
    i = start
    while i < n and line[i] in " \t":
        i += 1
    if i < n and line[i] == "<":
        end = line.find(">", i + 1)
        if end == -1 or _skip_title(line, end + 1) is None:
            return None
        return line[i + 1 : end], i + 1
    depth = 0
    j = i
    while j < n:
        c = line[j]
        if c == "\\" and j + 1 < n:
            j += 2
            continue
        if c in " \t":
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    if _skip_title(line, j) is None:
        return None
    return line[i:j], i


def iter_links(doc: MarkdownDoc) -> Iterator[tuple[str, int, int]]:
    """``(target, line, column)`` of every inline link, image and reference definition in prose."""
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
        pos = line.find("](")
        while pos != -1:
            if "[" in line[:pos]:
                found = _destination(line, pos + 2)
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
            if not os.path.exists(base / path):
                yield Violation(
                    f"link target `{path}` does not exist",
                    line,
                    column,
                    path=None if doc is skill.body else doc.path,
                )
