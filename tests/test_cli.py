"""The command line as a user drives it: exit codes, formats, configuration, the installed script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit import __version__
from skillkit.cli import app

GOOD = (
    "---\nname: {name}\ndescription: Checks PDF forms for missing fields. Use when a user asks to "
    "validate a PDF form.\n---\n\n# PDF forms\n\nGuidance.\n"
)
runner = CliRunner()


def make(root: Path, name: str, text: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text if text is not None else GOOD.format(name=name))
    return folder


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"skillkit {__version__}"


def test_help_lists_lint() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "lint" in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["lint", "--profile", "spec", "--no-such-option"])
    assert result.exit_code == 2


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "--profile", "spec", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_clean_skill_exits_0(tmp_path: Path) -> None:
    folder = make(tmp_path, "pdf-forms")
    result = runner.invoke(app, ["lint", "--profile", "spec", str(folder)])
    assert result.exit_code == 0, result.output
    assert "All checks passed: 1 skill, no findings." in result.stdout


def test_error_finding_exits_1_and_warning_only_exits_0(tmp_path: Path) -> None:
    bad = make(tmp_path / "a", "pdf", GOOD.format(name="pdf-tools"))
    assert runner.invoke(app, ["lint", "--profile", "spec", str(bad)]).exit_code == 1
    warn = make(tmp_path / "b", "data-tools")
    result = runner.invoke(app, ["lint", str(warn)])
    assert result.exit_code == 0
    assert "SK109" in result.stdout


def test_json_output_has_the_documented_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "skills", "pdf", GOOD.format(name="pdf-tools") + "\nversion: x\n")
    make(tmp_path / "skills", "pdf-forms")
    result = runner.invoke(app, ["lint", "--profile", "spec", "skills", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"diagnostics", "summary"}
    assert data["summary"] == {"skills": 2, "errors": 1, "warnings": 0}
    (diag,) = data["diagnostics"]
    assert diag == {
        "path": "skills/pdf/SKILL.md",
        "line": 2,
        "column": 7,
        "rule": "SK107",
        "severity": "error",
        "message": diag["message"],
        "fixable": False,
    }
    assert "pdf-tools" in diag["message"] and "`pdf`" in diag["message"]


def test_text_output_groups_by_file_without_colour_when_piped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = GOOD.format(name="pdf-tools").replace("---\n\n", "version: 1\nauthor: me\n---\n\n")
    make(tmp_path / "skills", "pdf", text)
    result = runner.invoke(app, ["lint", "--profile", "spec", "skills"])
    lines = result.stdout.splitlines()
    assert lines[0] == "skills/pdf/SKILL.md"
    assert sum("SK105" in line for line in lines) == 2
    assert any("SK107" in line and "2:7" in line for line in lines)
    assert lines[-1] == "Found 3 errors, 0 warnings (1 skill checked)."
    assert "\x1b[" not in result.stdout


def test_no_color_env_is_honoured_on_a_terminal(tmp_path: Path) -> None:
    folder = make(tmp_path, "pdf", GOOD.format(name="pdf-tools"))
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": ""}
    script = (
        "import sys; from rich.console import Console; import skillkit.report.text as t;"
        "from skillkit.engine import lint; from pathlib import Path;"
        "import io; s=io.StringIO(); s.isatty=lambda: True;"
        f"t.report_text(lint([Path({str(folder)!r})]), s); print(repr(s.getvalue()))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert "SK107" in out and "\\x1b[" not in out
    env.pop("NO_COLOR")
    env["FORCE_COLOR"] = "1"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert "\\x1b[" in out


def test_default_root_comes_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.skillkit]\nroot = "library"\n')
    make(tmp_path / "library", "pdf", GOOD.format(name="pdf-tools"))
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)  # the config is found by walking up
    result = runner.invoke(app, ["lint", "--profile", "spec", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["skills"] == 1


def test_default_root_is_skills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--profile", "spec"])
    assert result.exit_code == 2
    assert "skills" in result.output and "does not exist" in result.output
    make(tmp_path / "skills", "pdf-forms")
    assert runner.invoke(app, ["lint", "--profile", "spec"]).exit_code == 0


def test_unknown_config_key_is_refused_with_the_valid_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "skillkit.toml").write_text('rooot = "skills"\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--profile", "spec"])
    assert result.exit_code == 2
    assert "unknown key `rooot`" in result.output and "root" in result.output


def test_invalid_toml_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "skillkit.toml").write_text("root = \n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--profile", "spec"])
    assert result.exit_code == 2
    assert "invalid TOML" in result.output


def test_paths_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = make(tmp_path, "pdf", GOOD.format(name="pdf-tools"))
    (folder / "references").mkdir()
    (folder / "references" / "x.md").write_text("# X\n")
    for arg in ["pdf", "pdf/SKILL.md", "pdf/references/x.md", "."]:
        result = runner.invoke(app, ["lint", "--profile", "spec", arg, "--format", "json"])
        data = json.loads(result.stdout)
        assert data["summary"]["skills"] == 1, arg
        assert [d["rule"] for d in data["diagnostics"]] == ["SK107"], arg
    # the same skill named twice is checked once
    data = json.loads(runner.invoke(app, ["lint", "--profile", "spec", "pdf", "pdf/SKILL.md", "--format", "json"]).stdout)
    assert data["summary"]["skills"] == 1


def test_skill_md_given_from_inside_its_folder_uses_the_real_folder_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make(tmp_path, "pdf-forms")
    monkeypatch.chdir(folder)
    assert runner.invoke(app, ["lint", "--profile", "spec", "SKILL.md"]).exit_code == 0
    assert runner.invoke(app, ["lint", "--profile", "spec", "."]).exit_code == 0


def test_hidden_vendor_and_venv_folders_are_skipped(tmp_path: Path) -> None:
    make(tmp_path / "skills", "pdf-forms")
    for skipped in [".git", "node_modules", ".hidden", "__pycache__"]:
        make(tmp_path / "skills" / skipped, "bad", "no frontmatter\n")
    venv = tmp_path / "skills" / "myenv"
    make(venv / "lib", "bad", "no frontmatter\n")
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    result = runner.invoke(app, ["lint", "--profile", "spec", str(tmp_path / "skills"), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["summary"]["skills"] == 1 and result.exit_code == 0


def test_folder_without_skills_is_a_usage_error_never_a_pass(tmp_path: Path) -> None:
    for command in (["lint", "--profile", "spec"], ["score"], ["score", "--min-score", "50"], ["verify"]):
        result = runner.invoke(app, [*command, str(tmp_path)])
        assert result.exit_code == 2, (command, result.output)
        assert "no skills" in result.stderr and "passed" not in result.stdout


def test_the_agents_own_hidden_skill_folders_are_searched(tmp_path: Path) -> None:
    good = "---\nname: {0}\ndescription: Does {0}. Use when testing.\n---\n# T\n"
    for home in (".claude", ".agents", ".codex", ".cursor", ".gemini"):
        name = home.strip(".") + "-skill"
        make(tmp_path / home / "skills", name, good.format(name))
    make(tmp_path / ".claude" / "worktrees", "hidden-copy", good.format("hidden-copy"))  # not skills/: skipped
    make(tmp_path / ".git", "in-git", good.format("in-git"))  # other hidden folders stay skipped
    result = runner.invoke(app, ["lint", "--profile", "spec", str(tmp_path), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["summary"]["skills"] == 5, data
    assert not any("hidden-copy" in d["path"] or "in-git" in d["path"] for d in data["diagnostics"])


def test_changed_since_with_nothing_changed_says_so_and_passes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    monkeypatch.chdir(tmp_path)
    make(tmp_path / "skills", "a-skill", "---\nname: a-skill\ndescription: Does a. Use when testing.\n---\n# A\n")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], check=True, cwd=tmp_path)
    result = runner.invoke(app, ["lint", "--profile", "spec", "skills", "--changed-since", "HEAD"])
    assert result.exit_code == 0 and "no skill changed since HEAD" in result.stderr


def test_a_crashing_rule_is_reported_not_raised(tmp_path: Path) -> None:
    from skillkit.diagnostics import Severity
    from skillkit.engine import lint
    from skillkit.rules import Rule

    def boom(skill):  # noqa: ANN001, ANN202
        raise RuntimeError("bug")

    make(tmp_path, "pdf-forms")
    result = lint([tmp_path], [Rule("SK999", "boom", Severity.WARNING, boom)])
    (diag,) = result.diagnostics
    assert diag.rule == "SK999" and diag.severity is Severity.ERROR and "internal error" in diag.message


def test_installed_console_script_and_module_run(tmp_path: Path) -> None:
    folder = make(tmp_path, "pdf", GOOD.format(name="pdf-tools"))
    exe = shutil.which("skillkit", path=str(Path(sys.executable).parent)) or shutil.which("skillkit")
    assert exe, "the skillkit console script is not installed"
    proc = subprocess.run([exe, "lint", "--profile", "spec", str(folder), "--format", "json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["diagnostics"][0]["rule"] == "SK107"
    proc = subprocess.run([sys.executable, "-m", "skillkit", "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == f"skillkit {__version__}"
    proc = subprocess.run([exe, "lint", str(tmp_path / "missing")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_rules_lists_every_rule() -> None:
    from skillkit.rules import all_rules

    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    for r in all_rules():
        assert r.id in result.stdout and r.name in result.stdout
    data = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert {d["id"] for d in data} == {r.id for r in all_rules()}
    sk201 = next(d for d in data if d["id"] == "SK201")
    assert sk201["options"] == {"max-lines": 500, "min-lines": 50} and sk201["profiles"] == ["library", "recommended"]
    sk604 = next(d for d in data if d["id"] == "SK604")
    assert sk604["suppressible"] is False


def test_rule_prints_its_documentation_by_id_or_name() -> None:
    for key in ["SK301", "sk301", "unclosed-code-fence"]:
        result = runner.invoke(app, ["rule", key])
        assert result.exit_code == 0
        assert result.stdout.startswith("# SK301 unclosed-code-fence")
        for section in ("## What it does", "## Why is this bad?", "## Example"):
            assert section in result.stdout
    result = runner.invoke(app, ["rule", "SK999"])
    assert result.exit_code == 2 and "no rule" in result.output


def test_help_shows_flags_as_flags() -> None:
    for command in ("lint", "score", "roadmap", "verify", "rules", "new"):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "160"})
        assert result.exit_code == 0
        assert "<bool>" not in result.stdout, command  # `--fix`, not `--fix <bool>`
    assert "--select" in runner.invoke(app, ["lint", "--help"], env={"COLUMNS": "160"}).stdout


def test_a_crash_fixing_one_skill_does_not_stop_the_others(tmp_path, monkeypatch) -> None:
    """Found by tests/test_fuzz.py: `x: !!float nope` made fix_file raise, and --fix stopped with a traceback."""
    from typer.testing import CliRunner

    import skillkit.fix
    from skillkit.cli import app

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "SKILL.md").write_bytes(
            f"---\r\nname: {name}\r\ndescription: Does {name}. Use when {name}.\r\n---\r\n\r\n# T\r\n".encode())
    real = skillkit.fix.fix_file

    def broken(path, unsafe=False, *args):  # type: ignore[no-untyped-def]
        if path.parent.name == "a":
            raise IndexError("string index out of range")
        return real(path, unsafe, *args)

    monkeypatch.setattr(skillkit.fix, "fix_file", broken)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["lint", ".", "--fix", "--no-cache", "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "cannot fix a/SKILL.md: internal error (IndexError: string index out of range)" in result.stderr
    assert b"\r\n" not in (tmp_path / "b" / "SKILL.md").read_bytes()  # the other skill was still fixed


def test_rules_shows_each_rules_severity_in_the_active_profile(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no configuration: the default profile

    def active(*args: str) -> dict:
        result = runner.invoke(app, ["rules", "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return {r["id"]: r["active"] for r in json.loads(result.stdout)}

    assert active()["SK504"] == "warning" and active()["SK203"] == "off"  # recommended
    library = active("--profile", "library")
    assert library["SK504"] == "error" and library["SK203"] == "warning"
    assert active("--profile", "spec")["SK504"] == "off"
    (tmp_path / "skillkit.toml").write_text('profile = "library"\n[severity]\nSK203 = "error"\n')
    assert active()["SK203"] == "error"  # the configuration's own severities
    text = runner.invoke(app, ["rules"]).stdout
    assert "active profile: library" in text and "active" in text.splitlines()[1]


def test_skills_a_marketplace_lists_are_found_even_in_hidden_folders(tmp_path: Path) -> None:
    good = "---\nname: {0}\ndescription: Does {0}. Use when testing.\n---\n# T\n"
    make(tmp_path / ".plugins" / "bundle" / "skills", "listed-skill", good.format("listed-skill"))
    make(tmp_path / "plugins" / "p" / "skills", "plugin-skill", good.format("plugin-skill"))  # plugins/*/skills
    (tmp_path / ".claude-plugin").mkdir()
    (tmp_path / ".claude-plugin" / "marketplace.json").write_text(json.dumps({
        "name": "m", "owner": {"name": "o"},
        "plugins": [{"name": "bundle", "source": "./", "skills": ["./.plugins/bundle/skills/listed-skill"]}]}))
    result = runner.invoke(app, ["lint", "--profile", "spec", str(tmp_path), "--format", "json"])
    assert json.loads(result.stdout)["summary"]["skills"] == 2, result.output
