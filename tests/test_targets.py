"""Client targets: `--target` and `target = ...` decide which rules apply (issue 16, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.config import Config, ConfigError, LoadedConfig, load_config, resolve
from skillkit.targets import DEFAULT_TARGET, TARGETS

runner = CliRunner()

#: A valid Claude Code skill (its own fields) that no one can invoke.
CLAUDE_CODE_SKILL = """---
name: rotate-secret
description: Rotates the staging database password. Use when the user asks to rotate staging credentials.
model: sonnet
effort: high
disable-model-invocation: true
user-invocable: false
allowed-tools: Bash(vault:*), Read
---

# Rotate

Generate a new password with the vault CLI and update the staging secret.
"""


def _project(tmp_path: Path, config: str = "", files: int = 0) -> Path:
    if config:
        (tmp_path / "pyproject.toml").write_text("[tool.skillkit]\n" + config)
    folder = tmp_path / "skills" / "rotate-secret"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(CLAUDE_CODE_SKILL)
    for i in range(files):
        (folder / f"note-{i}.txt").write_text("x")
    return tmp_path


def _lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, set[str]]:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--no-cache", "--format", "json", "--select", "SK1", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


def test_default_target_is_the_specification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    assert DEFAULT_TARGET == "agents"
    code, rules = _lint(tmp_path, monkeypatch)
    # Claude Code's fields are unknown to the specification, and no Claude Code rule runs.
    assert code == 1 and "SK105" in rules and not rules & {"SK120", "SK121", "SK122", "SK123"}
    assert _lint(tmp_path, monkeypatch, "--target", "spec") == (code, rules)


def test_claude_code_accepts_its_fields_and_reports_an_uninvocable_skill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path)
    code, rules = _lint(tmp_path, monkeypatch, "--target", "claude-code")
    assert code == 1 and rules == {"SK122"}, rules


def test_config_key_selects_the_target_and_the_flag_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'target = "claude-code"\n')
    assert _lint(tmp_path, monkeypatch)[1] == {"SK122"}
    assert "SK105" in _lint(tmp_path, monkeypatch, "--target", "agents")[1]


def test_claude_ai_reports_the_upload_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, "[tool.skillkit.rules.SK123]\nmax-files = 5\n", files=5)
    code, rules = _lint(tmp_path, monkeypatch, "--target", "claude-ai")
    assert {"SK105", "SK123"} <= rules and "SK122" not in rules
    assert "SK123" not in _lint(tmp_path, monkeypatch)[1]


def test_codex_reports_a_skill_without_name_as_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "skills" / "no-name"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text("---\ndescription: Lists open tickets. Use when asked for open work.\n---\n\n# T\n")
    code, rules = _lint(tmp_path, monkeypatch, "--target", "codex")
    assert code == 1 and "SK106" in rules


@pytest.mark.parametrize("command", ["lint", "score"])
def test_unknown_target_is_a_usage_error_listing_the_valid_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [command, "--target", "cursor"])
    assert result.exit_code == 2
    assert "unknown target `cursor`" in result.output and all(t in result.output for t in TARGETS)


def test_unknown_target_in_the_configuration_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'target = "cursor"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="target"):
        load_config()
    assert runner.invoke(app, ["lint"]).exit_code == 2


def test_rules_of_other_targets_stay_off_even_when_selected() -> None:
    settings = resolve(LoadedConfig(Config(), None), select=["ALL"], target="spec")
    active = {a.rule.id for a in settings.rules}
    assert "SK105" in active and not active & {"SK120", "SK121", "SK122", "SK123"}
    claude = {a.rule.id for a in resolve(LoadedConfig(Config(), None), select=["ALL"], target="claude-code").rules}
    assert {"SK120", "SK121", "SK122"} <= claude and not claude & {"SK105", "SK108", "SK114", "SK123"}


def test_score_takes_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    spec = json.loads(runner.invoke(app, ["score", "--no-cache", "--format", "json"]).stdout)
    claude = json.loads(runner.invoke(app, ["score", "--no-cache", "--format", "json", "--target", "claude-code"]).stdout)
    assert spec != claude
