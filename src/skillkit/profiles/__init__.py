"""Quality profiles: data files (TOML) in this folder, validated by the :class:`Profile` model.

A profile chooses which rules run, at what severity, and with which options; a project's
configuration then adjusts the profile it names.
"""

from __future__ import annotations

import sys
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SeverityName = Literal["off", "info", "warning", "error"]
DEFAULT_PROFILE = "library"


class Profile(BaseModel):
    """A named set of rules with their severities and options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)


def profile_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".toml"))


def load_profile(name: str) -> Profile:
    """The shipped profile ``name``; ``KeyError`` names the valid ones."""
    if name not in profile_names():
        raise KeyError(f"unknown profile `{name}` (valid: {', '.join(profile_names())})")
    data = tomllib.loads(resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    return Profile.model_validate(data)
