from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.config import Settings
from skillkit.diagnostics import Diagnostic
from skillkit.discover import discover
from skillkit.engine import check_repository, check_skill
from skillkit.parse import load_skill
from skillkit.rules import Rule, all_rules

RULES_DIR = Path(__file__).parent / "rules"


def run_rules(folder: Path, rules: "list[Rule] | Settings | None" = None) -> list[Diagnostic]:
    """Diagnostics for the skills under ``folder``, paths relative to ``folder``."""
    found = discover([folder])
    assert not found.missing
    out: list[Diagnostic] = []
    for ref in found.skills:
        skill = load_skill(ref.dir, ref.skill_md, ref.root)
        out.extend(check_skill(skill, rules if rules is not None else all_rules(), str(folder)))
    out.extend(check_repository(folder, rules if rules is not None else all_rules(), str(folder)))
    return out


@pytest.fixture
def write_skill(tmp_path: Path):
    """Write a skill folder: ``write_skill("name", {"SKILL.md": "...", "references/x.md": b"..."})``."""

    def write(name: str, files: dict[str, str | bytes]) -> Path:
        base = tmp_path / name
        for rel, content in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return base

    return write
