"""`skillkit budget`: the listing cost per library, category plugin and chosen set, and its exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.budget import budget_chars, build, default_plugin_limit, entry, tokens
from skillkit.cli import app

runner = CliRunner()


def _skill(folder: Path, description: str, extra: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(f"---\nname: {folder.name}\ndescription: {description}\n{extra}---\n\n# Title\n")
    return folder


def test_entry_is_plugin_name_then_description_as_claude_code_builds_it(tmp_path: Path) -> None:
    folder = _skill(tmp_path / "vllm", '"Serves   LLMs\\n with <vLLM>. Use when serving."')
    e = entry(folder, "inference")
    text = "inference:vllm Serves LLMs with &lt;vLLM&gt;. Use when serving."
    assert (e.chars, e.description_chars) == (len(text), len(text) - len("inference:vllm "))
    assert entry(folder).chars == len(text) - len("inference:")  # installed alone: the bare name


def test_when_to_use_and_missing_description(tmp_path: Path) -> None:
    e = entry(_skill(tmp_path / "a", "Does a.", "when_to_use: Use for a.\n"), "p")
    assert e.chars == len("p:a Does a. Use for a.")
    bare = tmp_path / "b"
    bare.mkdir()
    (bare / "SKILL.md").write_text("---\nname: b\n---\n\n# Heading of b\n")
    assert entry(bare).chars == len("b Heading of b")


def test_rounding_and_budgets() -> None:
    assert [tokens(n) for n in (1126, 1713, 2869, 2, 6)] == [282, 428, 717, 1, 2]
    assert budget_chars("claude-code") == 8000 and budget_chars("codex") == 16000
    assert budget_chars("claude-code", 1_000_000) == 40000
    assert default_plugin_limit() == 500


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "skills"
    _skill(root / "small" / "tiny", "Does tiny things. Use when tiny.")
    for i in range(3):
        _skill(root / "big" / f"huge-{i}", "Does huge things with many words. " * 25 + "Use when huge.")
    return root


def test_library_plugins_and_exit_code(library: Path) -> None:
    report = build([library])
    kinds = [(g.kind, g.name) for g in report.groups]
    assert kinds[1:] == [("plugin", "big"), ("plugin", "small")]
    big = report.groups[1]
    assert big.tokens > 500 and [g.name for g in report.over] == ["big"]
    assert report.groups[0].chars == sum(g.chars for g in report.groups[1:])
    result = runner.invoke(app, ["budget", str(library)])
    assert result.exit_code == 1 and "OVER plugin limit" in result.output
    result = runner.invoke(app, ["budget", str(library / "small")])
    assert result.exit_code == 0, result.output


def test_config_sets_the_plugin_limit(library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "skillkit.toml").write_text("plugin-budget = 5000\n")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["budget"]).exit_code == 0
    (tmp_path / "skillkit.toml").write_text("plugin-budget = 10\n")
    assert runner.invoke(app, ["budget"]).exit_code == 1
    (tmp_path / "skillkit.toml").write_text("plugin-budget = -3\n")
    assert runner.invoke(app, ["budget"]).exit_code == 2


def test_json_and_dropped_descriptions(library: Path) -> None:
    result = runner.invoke(app, ["budget", str(library), "--format", "json", "--context", "20000"])
    data = json.loads(result.output)
    assert data["budget"]["chars"] == 800 and data["client"] == "claude-code"
    lib = data["groups"][0]
    assert lib["kind"] == "library" and lib["skills"] == 4
    assert lib["descriptions_dropped"]  # 4 long entries do not fit 800 characters


def test_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["budget", str(tmp_path / "nowhere")]).exit_code == 2
    assert runner.invoke(app, ["budget", "--client", "nobody"]).exit_code == 2
