"""Quality profiles: data files (TOML) in this folder, described by the :class:`Profile` model.

A profile chooses which rules run, at what severity, and with which options; a project's
configuration then adjusts the profile it names. The files ship with the package and a test validates
each with the pydantic twin (``Profile.model_validate``), so loading one trusts it and imports no pydantic.
"""

from __future__ import annotations

import sys
from typing import Any, Literal

from skillkit.lazymodel import ConfigDict, Field, Model
from skillkit.packaged import package_folder

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SeverityName = Literal["off", "info", "warning", "error"]
DEFAULT_PROFILE = "recommended"


class Band(Model):
    """``points`` when a measure lies in ``[low, high]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: int
    high: int
    points: float


class Penalty(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    each: float
    most: float
    #: Count only findings in SKILL.md (not in references or scripts).
    skill_md_only: bool = False


class Scoring(Model):
    """The 0-100 quality model: component weights, bands and tier thresholds (rules-catalogue section 2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # D: discoverability (15)
    trigger_clause: float = 6
    description_good: Band = Band(low=100, high=1024, points=4)
    description_short: Band = Band(low=50, high=99, points=1)
    third_person: float = 2
    specific_name: float = 3
    # P: specification conformance (10)
    spec_points: float = 10
    per_error_rule: float = 3
    # S: size and sections (15)
    #: On the body's substantive lines (skillkit.substance: distinct lines that say something, code lines
    #: that are not comments), about 70% of the lines of a well-written body: 140-380 is 200-540 lines.
    body_line_bands: list[Band] = Field(default_factory=lambda: [
        Band(low=140, high=380, points=6), Band(low=70, high=139, points=4), Band(low=381, high=450, points=4),
        Band(low=35, high=69, points=2), Band(low=451, high=560, points=2),
    ])
    per_section: float = 1.8
    # W: workflows (20)
    workflow_units: list[float] = Field(default_factory=lambda: [4, 7, 8])
    checklist_groups: list[float] = Field(default_factory=lambda: [2, 4, 5])
    checklist_items_bonus_at: int = 5
    checklist_items_bonus: float = 1
    units_with_checklist: list[float] = Field(default_factory=lambda: [1, 2])
    checklist_max: float = 8
    feedback_loop: float = 4
    # C: code (20)
    code_block_steps: list[Band] = Field(default_factory=lambda: [
        Band(low=10, high=10**9, points=8), Band(low=6, high=9, points=6), Band(low=3, high=5, points=4),
        Band(low=1, high=2, points=2),
    ])
    labelled_fraction: float = 4
    parse_valid_fraction: float = 8
    # T: troubleshooting (10)
    per_issue_entry: float = 1.25
    troubleshooting_max: float = 10
    # R: references (10)
    per_bundled_item: float = 2
    bundled_max: float = 6
    link_hygiene: float = 2
    nesting_hygiene: float = 2
    # penalties, by rule
    penalties: dict[str, Penalty] = Field(default_factory=lambda: {
        "SK504": Penalty(each=5, most=15),
        "SK505": Penalty(each=1, most=5),
        "SK602": Penalty(each=5, most=10, skill_md_only=True),
        "SK603": Penalty(each=5, most=10, skill_md_only=True),
        "SK506": Penalty(each=2, most=6),
        "SK601": Penalty(each=20, most=20),
    })
    # tiers
    gold: float = 80
    standard: float = 60
    #: Findings of these rules mark a skill blocked (not publishable), whatever its score.
    blocking_rules: list[str] = Field(default_factory=lambda: ["SK601", "SK603", "SK606"])
    #: Characters an agent's skill listing holds: Claude Code gives it 1% of a 200k-token context
    #: (200,000 x 4 characters x 0.01); descriptions past it are silently dropped.
    description_budget_chars: int = 8000


class Profile(Model):
    """A named set of rules with their severities and options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    scoring: Scoring = Field(default_factory=Scoring)


def profile_names() -> list[str]:
    return sorted(p.name[:-5] for p in package_folder(__name__).iterdir() if p.name.endswith(".toml"))


def load_profile(name: str) -> Profile:
    """The shipped profile ``name``; ``KeyError`` names the valid ones."""
    if name not in profile_names():
        raise KeyError(f"unknown profile `{name}` (valid: {', '.join(profile_names())})")
    data = tomllib.loads(package_folder(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    return Profile(**data)
