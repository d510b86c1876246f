"""The README's "Install the skills" commands, run against a temporary HOME: the manual copy that flattens
the category level, and `npx skills add` with the real npm package `skills` (pinned)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SKILLS_PACKAGE = "skills@1.7.4"
ON_DISK = sorted(p.parent.name for p in (REPO / "skills").glob("*/*/SKILL.md"))


def _readme_block(marker: str) -> str:
    """The bash block of the README that contains ``marker``."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    found = [b for b in blocks if marker in b]
    assert found, f"no README bash block with {marker!r}"
    return found[0]


def _installed(folder: Path) -> list[str]:
    return sorted(p.parent.name for p in folder.glob("*/SKILL.md"))


def test_manual_copy_flattens_the_category_level(tmp_path: Path) -> None:
    script = _readme_block('DEST="$HOME/.agents/skills"')
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _installed(home / ".agents/skills") == ON_DISK
    # a second run replaces, never nests (cp -R into an existing folder would create skills/x/x)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not list((home / ".agents/skills").glob("*/*/SKILL.md"))


@pytest.fixture(scope="session")
def skills_cli(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The `skills` CLI (npm), with a Node 22 from npm when this Node is older (it needs fs.glob)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    try:
        probe = subprocess.run([npm, "view", SKILLS_PACKAGE, "version"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.skip("the npm registry did not answer `npm view` within 60 s")
    if probe.returncode != 0:
        pytest.skip(f"the npm registry is unreachable (`npm view {SKILLS_PACKAGE} version` failed)")
    prefix = tmp_path_factory.mktemp("skills-cli")
    packages = [SKILLS_PACKAGE]
    node = shutil.which("node")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout if node else ""
    if not version.startswith("v") or int(version[1:].split(".")[0]) < 22:
        packages.append("node@22")
    done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", *packages],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    runner = str(prefix / "node_modules/.bin/node") if "node@22" in packages else node
    return [runner, str(prefix / "node_modules/skills/bin/cli.mjs")]  # type: ignore[list-item]


def test_npx_skills_add_finds_every_skill_two_levels_deep(skills_cli: list[str], tmp_path: Path) -> None:
    command = _readme_block("npx skills add").strip().splitlines()[0]
    assert command.startswith("npx skills add OWNER/REPO")
    args = shlex.split(command)[4:]  # after `npx skills add SOURCE`
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DISABLE_TELEMETRY": "1",
           "DO_NOT_TRACK": "1", "NO_COLOR": "1", "CI": "1"}
    done = subprocess.run([*skills_cli, "add", str(REPO), *args], cwd=home, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _installed(home / ".claude/skills") == ON_DISK  # Claude Code's folder
    assert _installed(home / ".agents/skills") == ON_DISK  # Codex, Cursor, Gemini CLI
