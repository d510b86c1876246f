"""JSON Schemas generated from the pydantic models, for editors and other tools (`schemas/`).

Optional fields are typed `str` with a `None` default (not `str | None`), so the schema says "a string
when present" and an editor flags `license:` left empty, as the specification requires.

`skillkit schema --write` regenerates the files; a test fails when one is out of date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skillkit.atomic import write_if_changed
from skillkit.rules.frontmatter import MAX_COMPATIBILITY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class LibraryMetadata(BaseModel):
    """`metadata`: a map of strings. The library's own keys are listed; others are allowed, as strings."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": {"type": "string"}})

    version: str = Field(None, description="Semantic version of the skill, quoted: \"1.0.0\".",
                                pattern=r"^\d+\.\d+(\.\d+)?([-+.][0-9A-Za-z.-]+)?$")
    author: str = Field(None, description="Who maintains the skill.")
    tags: str = Field(None, description="One comma-separated string: \"Evaluation, Benchmarks\".")
    dependencies: str = Field(  # type: ignore[assignment]
        None, description="Space-separated PEP 508 requirements the skill was checked against: \"vllm==0.33.0\"."
    )


class SkillFrontmatter(BaseModel):
    """The YAML frontmatter of a SKILL.md (Agent Skills specification)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="Agent Skill frontmatter")

    name: str = Field(
        ..., min_length=1, max_length=MAX_NAME_LENGTH, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Lowercase letters, digits and single hyphens; equals the skill's folder name.",
    )
    description: str = Field(
        ..., min_length=1, max_length=MAX_DESCRIPTION_LENGTH,
        description="What the skill does and when to use it, in the third person.",
    )
    license: str = Field(None, description="A license name or a bundled license file.")
    compatibility: str = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=MAX_COMPATIBILITY_LENGTH,
        description="Environment requirements: product, system packages, network access.",
    )
    metadata: LibraryMetadata = Field(None, description="A map of string keys to string values.")
    allowed_tools: str = Field(  # type: ignore[assignment]
        None, alias="allowed-tools", description="Space-separated tools the skill may use, e.g. `Bash(git:*) Read`.",
    )


def schemas() -> dict[str, dict[str, Any]]:
    from skillkit.config import Config
    from skillkit.profiles import Profile

    out = {}
    for filename, model in (
        ("skill-frontmatter.schema.json", SkillFrontmatter),
        ("skillkit-config.schema.json", Config),
        ("quality-profile.schema.json", Profile),
    ):
        schema = model.model_json_schema(by_alias=True)
        out[filename] = {"$schema": SCHEMA_DIALECT, **schema}
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` atomically; returns the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for filename, schema in schemas().items():
        path = folder / filename
        if write_if_changed(path, render(schema)):
            changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[str]:
    return [name for name, schema in schemas().items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != render(schema)]
