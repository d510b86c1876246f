"""schemas/ is generated from the pydantic models; this keeps the files true."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.schema import SkillFrontmatter, stale_schemas

SCHEMAS = Path(__file__).parent.parent / "schemas"


def test_schema_files_are_up_to_date() -> None:
    assert stale_schemas(SCHEMAS) == [], "run: skillkit schema --write"


def test_schema_check_and_write(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["schema", "--check", "--dir", str(tmp_path)]).exit_code == 1
    assert runner.invoke(app, ["schema", "--write", "--dir", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["schema", "--check", "--dir", str(tmp_path)]).exit_code == 0
    again = runner.invoke(app, ["schema", "--write", "--dir", str(tmp_path)])
    assert again.stdout == ""  # a second write changes nothing
    schema = json.loads((tmp_path / "skill-frontmatter.schema.json").read_text())
    assert schema["properties"]["name"]["maxLength"] == 64
    assert schema["additionalProperties"] is False


def test_frontmatter_model_accepts_the_complete_fixture_and_refuses_extras() -> None:
    text = (Path(__file__).parent / "fixtures/complete/huggingface-datasets/SKILL.md").read_text()
    data = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
    SkillFrontmatter.model_validate(data)
    with pytest.raises(ValidationError):
        SkillFrontmatter.model_validate({**data, "version": "1.0"})
    with pytest.raises(ValidationError):
        SkillFrontmatter.model_validate({**data, "name": "Bad_Name"})
