"""Severity, the Violation a rule yields, and the Diagnostic the engine stamps from it.

A rule only says *where* and *what* (a :class:`Violation`); the engine adds the rule's ID, name and
severity, so rules never repeat their own metadata and configuration can change it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How serious a finding is. Only ``ERROR`` makes ``skillkit lint`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Violation:
    """What a rule found and where.

    ``path`` is the file the finding is in; ``None`` means the skill's ``SKILL.md`` (or, when the skill
    has none, its folder). ``line`` and ``column`` are 1-based. ``severity`` is set only by a rule
    with a sub-check of another level than its default (e.g. a BOM is a warning under SK102).
    """

    message: str
    line: int | None = None
    column: int | None = None
    path: Path | None = None
    severity: Severity | None = None
    fixable: bool = False


_VALUE = {s: s.value for s in Severity}  # a dict lookup; `Enum.value` is a slow descriptor


@dataclass(frozen=True, slots=True)  # slots: a 10,000-skill run holds 200,000 of them
class Diagnostic:
    """One finding, as reporters show it. ``path`` is already a display string."""

    path: str
    line: int | None
    column: int | None
    rule: str
    name: str
    severity: Severity
    message: str
    fixable: bool = False
    #: The severity before configuration changed it (the rule's own, or its sub-check's): the score's
    #: spec-conformance component counts spec errors even where a project has downgraded them.
    default_severity: Severity | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.rule, self.message)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": _VALUE[self.severity],
            "message": self.message,
            "fixable": self.fixable,
        }
