"""A complete, realistic skill (Hugging Face Datasets, checked against datasets 5.2.0) must get zero
findings from every rule: a false positive here is a bug in a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_rules
from skillkit.config import LoadedConfig, default_settings, load_config, resolve

COMPLETE = Path(__file__).parent / "fixtures" / "complete"


@pytest.mark.parametrize("profile", ["library", "recommended"])
def test_complete_skill_has_no_findings(profile: str) -> None:
    settings = resolve(LoadedConfig(load_config(start=Path("/")).config, None), profile=profile)
    assert settings.profile.name == profile
    assert len(settings.rules) >= 35
    found = run_rules(COMPLETE, settings)  # type: ignore[arg-type]
    assert found == [], [f"{d.path}:{d.line} {d.rule} {d.message}" for d in found]


def test_the_default_is_the_recommended_profile() -> None:
    assert default_settings().profile.name == "recommended"


def test_complete_skill_is_substantial() -> None:
    skill_md = (COMPLETE / "huggingface-datasets" / "SKILL.md").read_text(encoding="utf-8")
    assert 200 <= skill_md.count("\n") <= 500
    for section in ("## Quick start", "## Workflow 1", "## When to use vs alternatives", "## Common issues"):
        assert section in skill_md


def test_complete_skill_passes_the_reference_validator() -> None:
    validator = pytest.importorskip("skills_ref.validator")
    assert validator.validate(COMPLETE / "huggingface-datasets") == []
