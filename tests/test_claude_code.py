"""Proof in the real client: Claude Code, installed from npm at a pinned version into a temporary prefix
with a temporary HOME (no account is needed), adds this repository's marketplace and lists, per category
plugin, exactly the skills of that category; the plugins together list every skill once.

Skipped only when npm is missing or the registry does not answer (checked with `npm view`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from skillkit.marketplace import MARKETPLACE_FILE, categories

REPO = Path(__file__).resolve().parent.parent
CLAUDE_CODE = "@anthropic-ai/claude-code@2.1.332"


@dataclass(frozen=True)
class Details:
    skills: list[str]
    always_on: int
    text: str


def parse_details(text: str) -> Details:
    """`claude plugin details` output -> the skills it lists and its "Always-on: ~N tok"."""
    found = re.search(r"^\s*Skills \((\d+)\)(?:\s+(.*))?$", text, re.M)
    cost = re.search(r"Always-on:\s+~([\d,.]+)(k?) tok", text)
    assert found and cost, text
    skills = [s.strip() for s in (found.group(2) or "").split(",") if s.strip()]
    assert len(skills) == int(found.group(1)), text
    number = float(cost.group(1).replace(",", ""))
    return Details(skills, int(number * (1000 if cost.group(2) else 1)), text)


def test_parse_details() -> None:
    sample = ("inference 0.1.0\n  Description: d\n\nComponent inventory\n  Skills (2)  awq, vllm\n  Agents (0)\n\n"
              "Projected token cost\n  Always-on:   ~2,792 tok   added to every session\n")
    assert parse_details(sample) == Details(["awq", "vllm"], 2792, sample)


class Claude:
    def __init__(self, binary: Path, home: Path) -> None:
        self.binary = binary
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_STATE_HOME": str(home / ".local/state"),
            "DISABLE_AUTOUPDATER": "1",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "NO_COLOR": "1",
        }

    def __call__(self, *args: str) -> str:
        done = subprocess.run([str(self.binary), *args], env=self.env, capture_output=True, text=True, timeout=180,
                              cwd=self.env["HOME"])
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout


@pytest.fixture(scope="session")
def claude_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Claude Code from npm, once per test session."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot install Claude Code")
    try:
        probe = subprocess.run([npm, "view", CLAUDE_CODE, "version"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.skip("the npm registry did not answer `npm view` within 60 s")
    if probe.returncode != 0 or not probe.stdout.strip():
        pytest.skip(f"the npm registry is unreachable (`npm view {CLAUDE_CODE} version` failed: "
                    f"{(probe.stderr or probe.stdout).strip()[:200]})")
    prefix = tmp_path_factory.mktemp("claude-code")
    done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", CLAUDE_CODE],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    binary = prefix / "node_modules" / ".bin" / "claude"
    assert binary.exists(), list((prefix / "node_modules" / ".bin").iterdir())
    return binary


@pytest.fixture(scope="session")
def plugin_details(claude_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Details]:
    """`claude plugin details` of every plugin of this repository's marketplace, in a fresh HOME."""
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "skills", repo / "skills")
    shutil.copytree(REPO / ".claude-plugin", repo / ".claude-plugin")
    home = tmp_path_factory.mktemp("home")
    claude = Claude(claude_binary, home)
    marketplace = json.loads((repo / MARKETPLACE_FILE).read_text())
    assert "Validation passed" in claude("plugin", "validate", str(repo))
    claude("plugin", "marketplace", "add", str(repo))
    out = {}
    for plugin in marketplace["plugins"]:
        ident = f"{plugin['name']}@{marketplace['name']}"
        claude("plugin", "install", ident)
        out[plugin["name"]] = parse_details(claude("plugin", "details", ident))
    return out


def test_every_skill_once_across_the_category_plugins(plugin_details: dict[str, Details]) -> None:
    cats = categories(REPO / "skills")
    assert set(plugin_details) == set(cats)
    for name, details in plugin_details.items():
        assert sorted(details.skills) == sorted(f.name for f in cats[name]), details.text
    listed = [s for d in plugin_details.values() for s in d.skills]
    on_disk = [p.parent.name for p in (REPO / "skills").glob("*/*/SKILL.md")]
    assert sorted(listed) == sorted(on_disk)
    assert len(set(listed)) == len(listed)
    assert all(d.always_on > 0 for d in plugin_details.values())


#: `skillkit budget` must agree with Claude Code's "Always-on" figure within this many tokens per plugin
#: (measured: 0 on all six category plugins with 2.1.332; 1 allows for a rounding change).
BUDGET_MARGIN_TOKENS = 1


def test_budget_agrees_with_claude_code_always_on(plugin_details: dict[str, Details]) -> None:
    from skillkit.budget import build

    report = build([REPO / "skills"])
    ours = {g.name: g.tokens for g in report.groups if g.kind == "plugin"}
    assert set(ours) == set(plugin_details)
    for name, details in plugin_details.items():
        assert abs(ours[name] - details.always_on) <= BUDGET_MARGIN_TOKENS, (name, ours[name], details.always_on)
