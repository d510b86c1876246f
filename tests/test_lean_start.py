"""Issue 22 item 5: a plain `skillkit lint` imports only what it needs, and says exactly what the Typer command says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skillkit.lint_command import parse_fast

GOOD = ("---\nname: {name}\ndescription: Checks PDF forms for missing fields. Use when a user asks to "
        "validate a PDF form.\n---\n\n# PDF forms\n\nGuidance.\n")
BAD = "---\nname: Bad_Name\ndescription: x\n---\n\n```python\ndef f(:\n```\n\n[gone](missing.md)\n"

#: What a one-skill lint must not load: the CLI framework, Rich, modules of other commands, pydantic
#: (with no configuration file there is nothing to validate: skillkit.lazymodel), and importlib.resources
#: with zipfile (the packaged profiles and templates are read as files: skillkit.packaged), and tomllib
#: (no configuration file to parse; the profiles are Python data: skillkit/profiles/_shipped.py).
LAZY = ("typer", "click", "rich", "skillkit.cli", "skillkit.marketplace", "skillkit.fix", "skillkit.scoring",
        "pydantic", "pydantic_core", "importlib.resources", "zipfile", "tomllib")


def _run(tmp_path: Path, entry: str, args: list[str]) -> tuple[int, str, str]:
    """Run ``entry``'s main() with ``args`` as the console script would (argv[0] `skillkit`), in ``tmp_path``."""
    code = f"import sys; sys.argv[0] = 'skillkit'; from {entry} import main; main()"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True,
                          env=dict(env, NO_PROGRESS="1"), timeout=120)
    return done.returncode, done.stdout, done.stderr


def _tree(tmp_path: Path) -> None:
    for name, text in (("good", GOOD.format(name="good")), ("bad", BAD)):
        (tmp_path / "lib" / name).mkdir(parents=True)
        (tmp_path / "lib" / name / "SKILL.md").write_text(text)
    (tmp_path / "empty").mkdir()


def test_a_one_skill_lint_does_not_import_the_cli_framework_or_rich(tmp_path: Path) -> None:
    _tree(tmp_path)
    code = ("import sys; sys.argv = ['skillkit', 'lint', 'lib/good']\n"
            "from skillkit.entry import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, sorted(sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout == "All checks passed: 1 skill, no findings.\n"
    code_text, _, names = done.stderr.strip().partition(" ")
    assert code_text == "0"
    loaded = set(eval(names))  # noqa: S307 - our own subprocess printed a list of strings
    assert "skillkit.engine" in loaded  # the lint did run
    assert not [m for m in loaded if any(m == lazy or m.startswith(lazy + ".") for lazy in LAZY)]


@pytest.mark.parametrize("args", [
    ["lint"],                                 # no PATH, no skills root here: usage error
    ["lint", "lib/good"],
    ["lint", "lib/bad"],
    ["lint", "lib"],
    ["lint", "--format", "json", "lib"],
    ["lint", "-f", "sarif", "lib/bad"],
    ["lint", "--format=github", "--no-cache", "lib/good", "lib/bad"],
    ["lint", "--no-cache", "lib/good", "--format", "text"],
    ["lint", "missing"],
    ["lint", "empty"],
    ["lint", "--format", "yaml", "lib"],      # bad value: Typer's error
    ["lint", "-f"],                           # missing value: Typer's error
    ["lint", "--bogus", "lib"],               # unknown option: Typer's error
    ["lint", "--profile", "spec", "lib"],     # an option the fast path leaves to Typer
])
def test_the_fast_path_prints_what_the_typer_command_prints(tmp_path: Path, args: list[str]) -> None:
    _tree(tmp_path)
    fast = _run(tmp_path, "skillkit.entry", args)
    typer_path = _run(tmp_path, "skillkit.cli", args)
    assert fast == typer_path
    if "json" in args:
        json.loads(fast[1])


@pytest.mark.parametrize("args,expected", [
    (["lint", "a", "b"], {"paths": [Path("a"), Path("b")], "output_format": "auto", "no_cache": False}),
    (["lint"], {"paths": None, "output_format": "auto", "no_cache": False}),
    (["lint", "-f", "json", "--no-cache", "a"], {"paths": [Path("a")], "output_format": "json", "no_cache": True}),
    (["lint", "--format=sarif", "a"], {"paths": [Path("a")], "output_format": "sarif", "no_cache": False}),
])
def test_plain_lint_command_lines_take_the_fast_path(args: list[str], expected: dict) -> None:  # type: ignore[type-arg]
    assert parse_fast(args) == expected


@pytest.mark.parametrize("args", [
    [], ["score", "a"], ["lint", "--help"], ["lint", "-h"], ["lint", "--", "a"], ["lint", "-"], ["lint", ""],
    ["lint", "--format", "yaml"], ["lint", "--format"], ["lint", "--format=", "a"], ["lint", "-fjson", "a"],
    ["lint", "--fix", "a"], ["lint", "--select", "SK1", "a"], ["--version", "lint"],
])
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert parse_fast(args) is None


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_SKILLKIT_COMPLETE", "bash_source")
    assert parse_fast(["lint", "a"]) is None


def test_the_marketplace_rule_names_the_file_skillkit_marketplace_writes() -> None:
    from skillkit.marketplace import MARKETPLACE_FILE
    from skillkit.rules.marketplace import MARKETPLACE_FILE as checked

    assert Path(checked) == MARKETPLACE_FILE
