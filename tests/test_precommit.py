"""The pre-commit hook, proved with `pre-commit try-repo` against a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="try-repo needs this checkout to be a git repository")
def test_pre_commit_hook_checks_changed_skills(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env.pop("PRE_COMMIT", None)
    work = tmp_path / "project"
    skill = work / "skills" / "pdf"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: pdf-tools\ndescription: Checks PDF forms. Use when validating.\n---\n")
    (work / "notes.md").write_text("not a skill\n")
    assert run(["git", "init", "-q"], work, env).returncode == 0
    run(["git", "add", "."], work, env)
    run(["git", "commit", "-qm", "init"], work, env)

    bad = run([pre_commit, "try-repo", str(REPO), "skillkit-lint", "--all-files"], work, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "SK107" in bad.stdout and "skills/pdf/SKILL.md" in bad.stdout
    assert "notes.md" not in bad.stdout

    (skill / "SKILL.md").write_text("---\nname: pdf\ndescription: Checks PDF forms. Use when validating.\n---\n")
    good = run([pre_commit, "try-repo", str(REPO), "skillkit-lint", "--all-files"], work, env)
    assert "SK107" not in good.stdout
    assert "skillkit lint" in good.stdout and "Passed" in good.stdout  # warnings only: the hook passes
    assert good.returncode == 0, good.stdout + good.stderr
