"""The score model, component by component, on fixtures; and the score command as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.config import default_settings
from skillkit.discover import discover
from skillkit.engine import iter_checked
from skillkit.profiles import Scoring
from skillkit.scoring import Score, score_skill

runner = CliRunner()
COMPLETE = Path(__file__).parent / "fixtures" / "complete" / "huggingface-datasets"
DESC = "Checks PDF forms for missing fields with pypdf and repairs them. Use when a user asks to validate or repair a PDF form."


def score_of(folder: Path, model: Scoring | None = None) -> Score:
    settings = default_settings()
    ((skill, diagnostics),) = list(iter_checked(discover([folder]).skills, settings))
    assert skill is not None
    return score_skill(skill, diagnostics, model or settings.profile.scoring, str(folder))


def write(tmp_path: Path, body: str, name: str = "pdf-forms", fm: str | None = None, files: dict | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    front = fm if fm is not None else f"name: {name}\ndescription: {DESC}\n"
    (folder / "SKILL.md").write_text(f"---\n{front}---\n\n{body}")
    for rel, text in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def test_complete_skill_is_gold_with_full_marks() -> None:
    s = score_of(COMPLETE)
    assert s.tier == "gold" and s.total == 100 and s.content == 50 and s.packaging == 50
    assert s.gains == []


def test_complete_skill_outranks_a_thin_one(tmp_path: Path) -> None:
    thin = score_of(write(tmp_path, "# PDF forms\n\nUse pypdf.\n"))
    assert thin.total < 40 < score_of(COMPLETE).total
    assert thin.tier == "draft"


def test_discoverability(tmp_path: Path) -> None:
    good = score_of(write(tmp_path / "a", "# T\n"))
    assert good.components["discoverability"] == 15
    vague = score_of(write(tmp_path / "b", "# T\n", name="data-tools",
                           fm="name: data-tools\ndescription: I can help you with PDFs.\n"))
    # no trigger (-6), 23 characters (-4), first person (-2), vague name (-3)
    assert vague.components["discoverability"] == 0
    advice = " ".join(g.advice for g in vague.gains)
    assert "Use when" in advice and "third person" in advice and "specific name" in advice


def test_spec_conformance_loses_three_per_error_rule(tmp_path: Path) -> None:
    s = score_of(write(tmp_path, "# T\n[x](missing.md)\n", fm=f"name: pdf-forms\ndescription: {DESC}\nversion: 1\n"))
    assert s.components["spec"] == 10 - 3 * 2  # SK105 and SK401
    assert s.tier == "draft" and s.errors == 2


def test_size_and_sections(tmp_path: Path) -> None:
    # size counts distinct lines that say something (issue 17): 250 of them, not 250 copies of one word
    body = "# T\n\n## Quick start\n\n## When to use vs alternatives\n\n" + "".join(f"Check field {i}.\n" for i in range(250))
    s = score_of(write(tmp_path, body))
    assert s.components["size_sections"] == pytest.approx(6 + 2 * 1.8)


def test_workflows_checklists_and_feedback_loop(tmp_path: Path) -> None:
    body = ("# T\n\n## Workflow 1: Check\n\n- [ ] Open `form.pdf`\n- [ ] List the fields\n- [ ] Find empty ones\n\n"
            "## Workflow 2: Repair\n\n- [ ] Fill `name`\n- [ ] Save the form\n\n"
            "## Workflow 3: Ship\n\n- [ ] Upload `form.pdf`\n\nValidate with `check.py`; if it fails, fix the fields and re-run.\n")
    s = score_of(write(tmp_path, body))
    # 3 units 8 + checklists min(8, 5 groups(3) + 1 (>=5 items) + 2 (>=2 units)) + feedback 4
    assert s.components["workflows"] == 20
    no_loop = score_of(write(tmp_path / "b", body.replace("if it fails, fix the fields and re-run", "done")))
    assert no_loop.components["workflows"] == 16


def test_code_component_counts_labels_and_parse_failures(tmp_path: Path) -> None:
    blocks = "".join(f"```python\nx{i} = {i}\n```\n\n" for i in range(9)) + "```python\nx = (\n```\n\n```\nuntagged\n```\n"
    s = score_of(write(tmp_path, "# T\n\n" + blocks))
    # 11 blocks: 8; labelled 10/11 x 4; parse-valid 9/10 x 8
    assert s.components["code"] == pytest.approx(round(8 + 4 * 10 / 11 + 8 * 9 / 10, 1))


def test_troubleshooting_entries(tmp_path: Path) -> None:
    body = ("# T\n\n## Common issues\n\n### `ValueError: bad form`\n\nFill the field.\n\n**Issue: slow**\n\nRaise the timeout.\n\n"
            "- **Timeout**: raise it\n\n1. **Out of memory.** Lower the batch.\n\n| error | fix |\n|---|---|\n"
            "| Bad form | Fill it |\n| No font | Embed it |\n\n## Next\n\n### Not an issue\n\nText here.\n")
    s = score_of(write(tmp_path, body))
    assert s.components["troubleshooting"] == round(6 * 1.25, 1)  # six entries


def test_references_and_hygiene(tmp_path: Path) -> None:
    files = {"references/a.md": "# A\n", "references/b.md": "# B\n", "scripts/run.py": "print(1)\n", "references/orphan.md": "# O\n"}
    s = score_of(write(tmp_path, "# T\n\n[a](references/a.md), [b](references/b.md), run `scripts/run.py`.\n", files=files))
    assert s.components["references"] == 6 + 2 + 1  # three linked, clean links, one orphan


def test_penalties_and_blocked(tmp_path: Path) -> None:
    key = "AKIA" + "Q7W3E9R1T5Y2U8I4"
    s = score_of(write(tmp_path, f"# T\n\nTODO: finish.\n\n```python\nKEY = '{key}'\n```\n"))
    assert s.penalties == {"SK504": 5, "SK601": 20}
    assert s.blocked and s.tier == "draft"


def test_weights_come_from_the_profile(tmp_path: Path) -> None:
    folder = write(tmp_path, "# T\n\nFill PDF forms with pypdf.\n")
    assert score_of(folder, Scoring(trigger_clause=1)).components["discoverability"] == 15 - 5
    assert score_of(folder, Scoring(gold=0, standard=0)).tier == "gold"


def test_score_command_formats_sort_and_min_score(tmp_path: Path) -> None:
    lib = tmp_path / "skills"
    shutil.copytree(COMPLETE, lib / "huggingface-datasets")
    write(lib, "# PDF forms\n\nUse pypdf.\n")
    data = json.loads(runner.invoke(app, ["score", str(lib), "--format", "json"]).stdout)
    assert [s["name"] for s in data["skills"]] == ["huggingface-datasets", "pdf-forms"]
    first = data["skills"][0]
    assert set(first) >= {"path", "name", "score", "tier", "components"} and 0 <= first["score"] <= 100
    assert set(first["components"]) == {"discoverability", "spec", "size_sections", "workflows", "code",
                                        "troubleshooting", "references"}
    summary = data["summary"]
    assert summary["skills"] == 2 and summary["tiers"] == {"gold": 1, "standard": 0, "draft": 1}
    assert summary["description_budget"] == 8000 and summary["over_description_budget"] is False
    by_name = json.loads(runner.invoke(app, ["score", str(lib), "--format", "json", "--sort", "name"]).stdout)
    assert [s["name"] for s in by_name["skills"]] == ["huggingface-datasets", "pdf-forms"]
    assert runner.invoke(app, ["score", str(lib), "--min-score", "50"]).exit_code == 1
    assert runner.invoke(app, ["score", str(lib / "huggingface-datasets"), "--min-score", "50"]).exit_code == 0
    md = runner.invoke(app, ["score", str(lib), "--format", "markdown"]).stdout
    assert md.startswith("## Skill quality") and "| `pdf-forms` |" in md
    text = runner.invoke(app, ["score", str(lib / "pdf-forms"), "--explain"]).stdout
    assert "workflows" in text and "+6: add a" not in text and "+" in text
    both = runner.invoke(app, ["score", str(lib), "--explain"]).stdout  # several skills: each is explained
    assert both.count("workflows") >= 2 and "pdf-forms" in both and "huggingface-datasets" in both


def test_description_budget_warning(tmp_path: Path) -> None:
    lib = tmp_path / "skills"
    for i in range(12):
        long = "Checks PDF forms in depth. " * 30 + "Use when validating forms."
        write(lib, "# T\n", name=f"pdf-{i}", fm=f"name: pdf-{i}\ndescription: {long}\n")
    result = runner.invoke(app, ["score", str(lib)])
    assert "OVER BUDGET" in result.stdout


def test_score_missing_path_is_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score", str(tmp_path / "none")]).exit_code == 2


def test_downgraded_spec_errors_still_cost_spec_points_but_not_the_tier(tmp_path: Path) -> None:
    from skillkit.config import LoadedConfig, resolve
    from skillkit.config import Config

    folder = write(tmp_path, "# T\n\nFill PDF forms with pypdf.\n", fm=f"name: pdf-forms\ndescription: {DESC}\nversion: 1\n")
    settings = resolve(LoadedConfig(Config.model_validate({"severity": {"SK105": "warning"}}), None))
    ((skill, diagnostics),) = list(iter_checked(discover([folder]).skills, settings))
    s = score_skill(skill, diagnostics, settings.profile.scoring, "x")
    assert s.components["spec"] == 7 and s.errors == 0


def test_hollow_content_earns_nothing(tmp_path: Path) -> None:
    """Issue 17: headings, fences and checkboxes with nothing in them are not workflows, code or fixes."""
    body = ("# T\n\n## Workflow 1: Check\n\n- [ ] Step 1: TODO\n- [ ] Step 2: ...\n\n## Workflow 2: Ship\n\n- [ ] Step 1:\n\n"
            "```bash\n# install and run the smallest real example\n```\n\n```python\n\n```\n\n"
            "## Common issues\n\n### ... the exact error message users hit\n\n... the cause, then the fix.\n\n"
            "| error | fix |\n|---|---|\n| ... | ... |\n")
    s = score_of(write(tmp_path, body))
    assert s.components["workflows"] == 0 and s.components["code"] == 0 and s.components["troubleshooting"] == 0


def test_placeholder_shaped_key_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: `'sk-or-v1-project1-key'` in a setup guide is a placeholder, not a leaked key: not blocked."""
    fixture = Path(__file__).parent / "rules" / "SK601"
    monkeypatch.chdir(tmp_path)
    for case, blocked in [("pass/placeholder-keys", False), ("fail/random-key", True)]:
        result = CliRunner().invoke(app, ["score", "--format", "json", "--no-cache", str(fixture / case)])
        (skill,) = json.loads(result.stdout)["skills"]
        assert skill["blocked"] is blocked, skill
