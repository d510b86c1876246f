"""skillkit verify against a tiny package built in tmp_path: every kind of finding, the time limit,
the not-installed path, --cli, and that snippets are never executed."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.rules import all_rules

runner = CliRunner()

PKG = '''
from . import sub
class Widget:
    """A class whose signature is known."""
    def __init__(self, a, b=1):
        self.a = a
    def run(self, fast=False):
        return 1
def make(x, *, y=2):
    return x
def loose(x, **kwargs):
    return x
from pydantic import BaseModel, ConfigDict
class Doc(BaseModel):
    id_: str = ""
    def __init__(self, **data):
        if "doc_id" in data:
            data["id_"] = data.pop("doc_id")
        super().__init__(**data)
class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: int = 0
class Plain(BaseModel):
    a: int = 0
'''

BLOCK = """```python
import mypkg
from mypkg import Widget, Gadget
from mypkg.sub import helper, nothelper
import not_installed_anywhere
w = Widget(a=1, c=3)
mypkg.make(1, y=2, z=3)
mypkg.loose(1, anything=2)
mypkg.sub.helper(n=1)
mypkg.missing_fn()
open("pwned", "w").write("x")
```
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    (site / "mypkg").mkdir(parents=True)
    (site / "mypkg" / "__init__.py").write_text(PKG)
    (site / "mypkg" / "sub.py").write_text("def helper(n):\n    return n\n")
    dist = site / "mypkg-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mypkg\nVersion: 1.0\n")
    (dist / "top_level.txt").write_text("mypkg\n")
    (site / "mypkg" / "lazy.py").write_text("raise ModuleNotFoundError(\"Could not import module 'Trainer'\")\n")
    (site / "slowpkg").mkdir()
    (site / "slowpkg" / "__init__.py").write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def skill(root: Path, body: str, deps: str = "mypkg==1.0", name: str = "demo") -> Path:
    folder = root / "skills" / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: Demo. Use when testing.\nmetadata:\n  dependencies: \"{deps}\"\n---\n\n{body}"
    )
    return folder


def verify(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["verify", "--format", "json", *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)


def test_each_kind_of_finding(env: Path) -> None:
    skill(env, BLOCK)
    code, data = verify("skills")
    found = sorted((d["rule"], d["line"], d["severity"]) for d in data["diagnostics"])
    first = 9  # the line after ```python
    assert found == [
        ("SK701", first + 1, "error"),  # Gadget
        ("SK701", first + 2, "error"),  # nothelper
        ("SK701", first + 8, "error"),  # mypkg.missing_fn
        ("SK702", first + 4, "error"),  # Widget(c=)
        ("SK702", first + 5, "error"),  # make(z=)
        ("SK703", first + 3, "info"),  # not installed: unverified
    ]
    messages = " ".join(d["message"] for d in data["diagnostics"])
    assert "`mypkg.Widget()` has no keyword argument `c`" in messages
    assert code == 1
    (summary,) = data["skills"]
    assert summary["unknown"] == 5 and summary["unverified"] == 1 and summary["checked"] >= 8
    assert summary["requirements"] == {"mypkg==1.0": "1.0"} and summary["packages"].get("mypkg") == "1.0"
    assert data["environment"]["python"] == sys.version.split()[0]
    assert not (env / "pwned").exists()  # snippets are never run


def test_a_module_that_raises_modulenotfounderror_itself_is_unverified_not_unknown(env: Path) -> None:
    # transformers' lazy modules raise ModuleNotFoundError (no `name`) when an optional import fails;
    # the module exists, so calling it unknown would be a false SK701
    skill(env, "```python\nimport mypkg.lazy\nfrom mypkg.gone import x\n```\n")
    code, data = verify("skills")
    found = sorted((d["rule"], d["line"]) for d in data["diagnostics"])
    assert found == [("SK701", 10), ("SK703", 9)], data["diagnostics"]


def test_cli_help_is_read_at_full_width(env: Path) -> None:
    # Rich-based CLIs cut long option names to the terminal width; the help is asked for 250 columns
    bindir = fake_venv(env, "widetool", 'if [ "${COLUMNS:-80}" -ge 200 ]; then echo "usage: widetool '
                       '[--disable-remote-inferencing]"; else echo "usage: widetool [--disable-remote-in…]"; fi')
    skill(env, "```bash\nwidetool --disable-remote-inferencing\n```\n", deps="")
    code, data = verify("skills", "--cli", "--python", str(bindir / "python"))
    assert [d for d in data["diagnostics"] if d["rule"] == "SK705"] == [] and code == 0
    assert data["skills"][0]["cli_flags_checked"] == 1


def test_pydantic_models_that_take_more_keywords_than_their_fields(env: Path) -> None:
    # pydantic publishes the fields as the signature; a custom __init__(**data) or extra="allow" takes more
    skill(env, "```python\nimport mypkg\nmypkg.Doc(doc_id='x')\nmypkg.Open(b=1)\nmypkg.Plain(b=1)\nmypkg.Plain(a=1)\n```\n")
    code, data = verify("skills")
    found = sorted((d["rule"], d["line"]) for d in data["diagnostics"])
    assert found == [("SK702", 12)], data["diagnostics"]


def test_requirement_not_satisfied(env: Path) -> None:
    skill(env, "```python\nimport mypkg\n```\n", deps="mypkg==2.0 absent-dist>=1")
    code, data = verify("skills")
    msgs = sorted(d["message"] for d in data["diagnostics"] if d["rule"] == "SK704")
    assert len(msgs) == 2 and "mypkg 1.0 is installed" in msgs[1] and "absent-dist" in msgs[0]
    assert code == 0  # warnings only


def test_not_installed_is_info_and_exit_0(env: Path) -> None:
    skill(env, "```python\nimport torch_not_here\nfrom nope.sub import x\n```\n", deps="")
    code, data = verify("skills")
    assert {d["rule"] for d in data["diagnostics"]} == {"SK703"} and code == 0


def test_time_limit(env: Path) -> None:
    skill(env, "```python\nimport slowpkg\n```\n", deps="")
    code, data = verify("skills", "--timeout", "2")
    (diag,) = data["diagnostics"]
    assert diag["rule"] == "SK706" and "timed out after 2 s" in diag["message"] and code == 1


def test_bad_interpreter_is_a_usage_error(env: Path) -> None:
    skill(env, "x\n", deps="")
    assert runner.invoke(app, ["verify", "skills", "--python", str(env / "no-python")]).exit_code == 2


def fake_venv(env: Path, tool: str | None = None, script: str = "") -> Path:
    """``env/venv/bin`` with ``python`` (this interpreter) and, if given, an executable shell ``tool``."""
    bindir = env / "venv" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "python").symlink_to(sys.executable)
    if tool is not None:
        path = bindir / tool
        path.write_text("#!/bin/sh\n" + script + "\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return bindir


def test_cli_flags_against_help(env: Path) -> None:
    bindir = fake_venv(env, "mytool", 'if [ "$1 $2" = "sub deep" ]; then echo "usage: mytool sub deep [--epsilon]"; '
                       'elif [ "$1" = "sub" ] && [ "$2" = "--help" ]; then echo "usage: mytool sub [--beta]"; '
                       'elif [ "$1" = "--help" ]; then echo "usage: mytool [--alpha] {sub}"; else exit 2; fi')
    body = ("```bash\nmytool --alpha --gamma\nmytool sub --beta=1 \\\n  --delta\n"
            "mytool sub -m x --ignored-after-m\nnot-installed-tool --whatever\n"
            "mytool sub deep --epsilon --beta\nmytool sub positional/arg --beta\n```\n")
    skill(env, body, deps="")
    code, data = verify("skills", "--cli", "--python", str(bindir / "python"))
    flagged = sorted((d["line"], d["message"].split("`")[3]) for d in data["diagnostics"] if d["rule"] == "SK705")
    assert flagged == [(9, "--gamma"), (10, "--delta"), (14, "--beta")]
    assert data["skills"][0]["cli_flags_checked"] == 7 and code == 1


def test_lint_never_runs_verify_rules(env: Path) -> None:
    skill(env, BLOCK)
    data = json.loads(runner.invoke(app, ["lint", "--format", "json", "skills"]).stdout)
    assert not any(d["rule"].startswith("SK7") for d in data["diagnostics"])


def test_every_verify_rule_is_covered_here() -> None:
    source = Path(__file__).read_text()
    for r in all_rules():
        if r.command == "verify":
            assert f'"{r.id}"' in source, r.id


def test_cli_help_all_and_a_help_that_does_not_answer(env: Path) -> None:
    """vLLM's `vllm serve --help` lists only groups and points at `--help=all`; a help that times out
    leaves its flags unverified (SK707) instead of checking them against the parent's help."""
    bindir = fake_venv(env, "grouped",
                       'if [ "$1 $2" = "serve --help=all" ]; then echo "usage: grouped serve [--max-model-len] '
                       '[--ds.param_dtype]."; '
                       'elif [ "$1 $2" = "serve --help" ]; then echo "usage: grouped serve [--help=all] [--port]"; '
                       'elif [ "$1 $2" = "slow --help" ]; then sleep 30; '
                       'elif [ "$1" = "--help" ]; then echo "usage: grouped [--top] {serve,slow}"; else exit 2; fi')
    body = "```bash\ngrouped serve m --max-model-len 8 --port 1 --ds.param_dtype bf16 --nope\ngrouped slow --whatever\n```\n"
    skill(env, body, deps="")
    code, data = verify("skills", "--cli", "--timeout", "3", "--python", str(bindir / "python"))
    by_rule = {(d["rule"], d["line"]) for d in data["diagnostics"]}
    assert ("SK705", 9) in by_rule and ("SK707", 10) in by_rule
    assert [d["message"].split("`")[3] for d in data["diagnostics"] if d["rule"] == "SK705"] == ["--nope"]
    assert data["skills"][0]["cli_flags_checked"] == 4 and data["skills"][0]["cli_flags_unverified"] == 1


def test_python_dash_m_commands_of_installed_packages(env: Path) -> None:
    """`python -m pkg.cli --flags` is checked against `python -m pkg.cli --help` when the package lives in
    the environment's site-packages (pip here); standard-library modules are never run."""
    bindir = fake_venv(env)
    body = ("```bash\npython -m pip install --upgrade --no-such-pip-flag pkg\n"
            "python3 -m http.server --bind 127.0.0.1 --not-checked\n```\n")
    skill(env, body, deps="")
    code, data = verify("skills", "--cli", "--python", str(bindir / "python"))
    flagged = [d["message"] for d in data["diagnostics"] if d["rule"] == "SK705"]
    assert len(flagged) == 1 and "`python -m pip install` has no flag `--no-such-pip-flag`" in flagged[0]
    assert data["skills"][0]["cli_flags_checked"] == 2 and code == 1
