"""Adopting skillkit on an existing library: baselines, --changed-since, and a quiet progress bar."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app

runner = CliRunner()
BAD = "---\nname: {name}\ndescription: Checks forms. Use when validating.\nversion: 1\n---\n\n# T\n"


def make(root: Path, name: str, text: str | None = None) -> Path:
    folder = root / "skills" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SKILL.md").write_text(text if text is not None else BAD.format(name=name))
    return folder


def lint(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["lint", "--profile", "spec", "--format", "json", *args])


def test_baseline_hides_known_findings_and_survives_line_shifts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = make(tmp_path, "pdf-forms")
    written = lint("skills", "--write-baseline", "baseline.json")
    assert written.exit_code == 1 and "wrote 1 finding to" in written.stderr  # "1 finding", not "1 findings"
    assert lint("skills", "--baseline", "baseline.json").exit_code == 0
    # lines inserted above the known finding: still known
    text = (folder / "SKILL.md").read_text().replace("name: pdf-forms\n", "name: pdf-forms\nlicense: MIT\n")
    (folder / "SKILL.md").write_text(text)
    again = lint("skills", "--baseline", "baseline.json")
    assert again.exit_code == 0 and json.loads(again.stdout)["diagnostics"] == []
    assert "1 finding in the baseline baseline.json is not shown" in again.stderr
    # a new problem is reported
    (folder / "SKILL.md").write_text(text.replace("version: 1\n", "version: 1\nauthor: me\n"))
    new = json.loads(lint("skills", "--baseline", "baseline.json").stdout)["diagnostics"]
    assert [d["message"].split("`")[1] for d in new] == ["author"]


def test_second_copy_of_a_known_problem_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "a")
    lint("skills", "--write-baseline", "b.json")
    make(tmp_path, "b")
    out = json.loads(lint("skills", "--baseline", "b.json").stdout)["diagnostics"]
    assert [d["path"] for d in out] == ["skills/b/SKILL.md"]


@pytest.mark.parametrize("content", ["{not json", '{"tool": "other"}', '{"tool": "skillkit", "version": 99, "findings": {}}'])
def test_bad_baseline_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "a")
    (tmp_path / "b.json").write_text(content)
    assert lint("skills", "--baseline", "b.json").exit_code == 2
    assert lint("skills", "--baseline", "missing.json").exit_code == 2


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_changed_since_lints_only_touched_skills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    make(tmp_path, "a")
    make(tmp_path, "b")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "init")
    assert json.loads(lint("skills", "--changed-since", "HEAD").stdout)["summary"]["skills"] == 0
    (tmp_path / "skills" / "b" / "references").mkdir()
    (tmp_path / "skills" / "b" / "references" / "new.md").write_text("# new\n")  # untracked counts
    data = json.loads(lint("skills", "--changed-since", "HEAD").stdout)
    assert data["summary"]["skills"] == 1 and {d["path"] for d in data["diagnostics"]} == {"skills/b/SKILL.md"}
    assert lint("skills", "--changed-since", "no-such-ref").exit_code == 2


def test_changed_since_outside_git_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "a")
    result = lint("skills", "--changed-since", "HEAD")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_progress_bar_only_on_a_terminal_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.chdir(tmp_path)
    for i in range(25):
        make(tmp_path, f"s{i}")
    plain = lint("skills")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    in_ci = runner.invoke(app, ["lint", "--profile", "spec", "--format", "json", "skills"])
    assert in_ci.stderr == plain.stderr and in_ci.stdout == plain.stdout


@pytest.mark.skipif(not Path("/usr/bin/script").exists(), reason="needs util-linux `script` for a pseudo-terminal")
def test_progress_bar_draws_on_a_pty_and_never_in_ci(tmp_path: Path) -> None:
    import os
    import shutil
    import sys

    for i in range(25):
        make(tmp_path, f"s{i}")
    exe = shutil.which("skillkit", path=str(Path(sys.executable).parent))
    assert exe
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    cmd = f"{exe} lint --profile spec --format json {tmp_path / 'skills'} > {tmp_path / 'out.json'}"
    for ci, expect in ((None, True), ("true", False)):
        run_env = dict(env, **({"CI": ci} if ci else {}))
        log = tmp_path / "pty.log"
        subprocess.run(["script", "-qc", cmd, str(log)], env=run_env, capture_output=True, timeout=120, check=False)
        assert ("linting" in log.read_text(errors="replace")) is expect
        assert json.loads((tmp_path / "out.json").read_text())["summary"]["skills"] == 25
