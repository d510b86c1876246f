"""The parsed form of a skill that every rule reads.

Deliberately not a strict pydantic model: when validation rejected bad frontmatter, no rule could
report on it. The raw YAML mapping is kept as loaded, with the line of every key, and the facts the
parser met on the way (a BOM, CRLF, YAML that strict parsers refuse) are recorded as data for the
rules to report. Nothing here raises on bad input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The frontmatter fields the Agent Skills specification allows at the top level.
SPEC_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
)


@dataclass(frozen=True)
class Problem:
    """A fact about a file that a rule reports: a message and a 1-based position."""

    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Fence:
    """A fenced code block. Lines are 1-based line numbers of the file it is in."""

    start: int
    end: int
    char: str
    length: int
    info: str
    closed: bool

    @property
    def language(self) -> str:
        return self.info.split(maxsplit=1)[0].lower() if self.info.strip() else ""


@dataclass(frozen=True)
class Heading:
    """An ATX heading outside code: ``## Quick start`` on ``line`` is level 2, text ``Quick start``."""

    line: int
    level: int
    text: str


@dataclass
class MarkdownDoc:
    """A Markdown file (or the body of SKILL.md): its lines and where its code is."""

    path: Path
    lines: list[str]
    first_line: int = 1
    fences: list[Fence] = field(default_factory=list)
    code_lines: frozenset[int] = frozenset()
    headings: list[Heading] = field(default_factory=list)
    _prose: list[tuple[int, str]] | None = field(default=None, repr=False)
    _prose_scan: object = field(default=None, repr=False)
    _links: object = field(default=None, repr=False)

    def prose_lines(self) -> list[tuple[int, str]]:
        """``(line_number, text)`` for every line outside code blocks (computed once)."""
        if self._prose is None:
            code = self.code_lines
            self._prose = [
                (number, self.lines[number - 1])
                for number in range(self.first_line, len(self.lines) + 1)
                if number not in code
            ]
        return self._prose


@dataclass
class Frontmatter:
    """The YAML between the two ``---`` lines, loaded safely, with positions."""

    text: str
    start_line: int
    end_line: int
    data: Any = None
    error: Problem | None = None
    strict_issues: list[Problem] = field(default_factory=list)
    #: Where each key of the top level and of ``metadata`` stands: ``("metadata", "version")``.
    locations: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict)
    #: Where the value of each such key starts.
    value_locations: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict)


@dataclass
class Skill:
    """One skill folder as the parser saw it."""

    dir: Path
    skill_md: Path | None
    root: Path
    read_problem: Problem | None = None
    empty: bool = False
    bom: bool = False
    crlf_lines: int = 0
    lf_lines: int = 0
    frontmatter_problem: Problem | None = None
    frontmatter: Frontmatter | None = None
    body: MarkdownDoc | None = None
    references: list[MarkdownDoc] = field(default_factory=list)
    reference_problems: list[tuple[Path, Problem]] = field(default_factory=list)
    #: Every file in the skill folder (links not followed, `.git` skipped), relative, POSIX-style.
    files: list[str] = field(default_factory=list)
    #: Text of bundled files, read once on demand by :func:`skillkit.parse.text_of`.
    _texts: dict[Path, list[str] | None] = field(default_factory=dict, repr=False)
    #: Derived data that several rules share, computed once (e.g. the security rules' text scans).
    cache: dict[object, object] = field(default_factory=dict, repr=False)
    #: Existence checks the skill's own files do not decide (absolute path -> found), recorded by
    #: :meth:`exists`: the lint cache stores them with the skill's entry and checks them again.
    outside: dict[str, bool] = field(default_factory=dict, repr=False)

    def exists(self, path: Path | str) -> bool:
        """``os.path.exists(path)``, recorded unless the skill's own files decide it.

        Every rule that asks whether a path exists asks here: a link to ``../other/x.md`` (or through a
        folder link) must be checked again when ``x.md`` appears, though nothing in this skill changed.
        """
        found = os.path.exists(path)
        if not self._decided_inside(os.fspath(path)):
            self.outside[os.path.abspath(path)] = found
        return found

    def _decided_inside(self, path: str) -> bool:
        """Whether ``path`` lies in the skill folder without `..` or a folder link on the way."""
        base = os.fspath(self.dir).rstrip(os.sep)
        if not path.startswith(base + os.sep):
            return False
        parts = path[len(base) + 1 :].split(os.sep)
        if ".." in parts:
            return False
        folder = base
        for part in parts[:-1]:  # the last part may be a link: the cache key follows links in the skill
            folder = os.path.join(folder, part)
            if os.path.islink(folder):
                return False
            if not os.path.isdir(folder):
                break
        return True

    @property
    def body_text(self) -> str:
        """The SKILL.md body (after the frontmatter) as one string."""
        if self.body is None:
            return ""
        return "\n".join(self.body.lines[self.body.first_line - 1 :])

    @property
    def data(self) -> dict[Any, Any] | None:
        """The frontmatter mapping, or ``None`` when there is no loadable mapping."""
        fm = self.frontmatter
        if fm is None or fm.error is not None or not isinstance(fm.data, dict):
            return None
        return fm.data

    def loc(self, *keys: str, value: bool = False) -> tuple[int | None, int | None]:
        """Line and column of a frontmatter key (``loc("metadata", "version")``), or of its value."""
        fm = self.frontmatter
        if fm is None:
            return (1, None)
        table = fm.value_locations if value else fm.locations
        for depth in range(len(keys), 0, -1):
            hit = table.get(tuple(keys[:depth]))
            if hit is not None:
                return hit
        return (fm.start_line - 1, 1)

    def markdown_docs(self) -> Iterator[MarkdownDoc]:
        """The SKILL.md body, then every readable ``references/**/*.md`` file."""
        if self.body is not None:
            yield self.body
        yield from self.references


@dataclass(frozen=True)
class Repository:
    """A lint PATH seen as a repository: what repository-scoped rules (SK8xx) check, e.g. its
    ``.claude-plugin/marketplace.json``."""

    root: Path
