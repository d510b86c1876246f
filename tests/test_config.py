"""Profiles, [tool.skillkit] selection, severities, options and per-path ignores, as a user sets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.config import ConfigError, LoadedConfig, load_config, resolve

runner = CliRunner()
SKILL = (
    "---\nname: {name}\ndescription: Checks PDF forms for missing fields. Use when a user asks to validate a form.\n"
    "version: 1.0\n---\n\n# PDF\n\n```\nplain\n```\n"
)


def project(tmp_path: Path, config: str, name: str = "pdf-forms") -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.skillkit]\n" + config)
    folder = tmp_path / "skills" / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(SKILL.format(name=name))
    return tmp_path


def rules_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[tuple[str, str]]]:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    return result.exit_code, sorted({(d["rule"], d["severity"]) for d in data["diagnostics"]})


def test_recommended_is_the_default_profile_between_spec_and_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: with no configuration skillkit runs `recommended`; the house style is `library`."""
    project(tmp_path, "")
    _, default = rules_found(tmp_path, monkeypatch)
    _, recommended = rules_found(tmp_path, monkeypatch, "--profile", "recommended")
    _, library = rules_found(tmp_path, monkeypatch, "--profile", "library")
    _, spec = rules_found(tmp_path, monkeypatch, "--profile", "spec")
    assert default == recommended
    assert ("SK105", "error") in spec and ("SK105", "error") in recommended and ("SK105", "error") in library
    assert ("SK302", "warning") in library and ("SK302", "warning") not in recommended
    assert ("SK203", "warning") in library and ("SK203", "warning") not in recommended
    assert set(spec) <= set(recommended) < set(library)
    ids = {
        name: {a.rule.id for a in resolve(LoadedConfig(load_config(start=Path("/")).config, None), profile=name).rules}
        for name in ("spec", "recommended", "library")
    }
    assert ids["spec"] < ids["recommended"] < ids["library"]
    (tmp_path / "pyproject.toml").write_text('[tool.skillkit]\nprofile = "library"\n')
    _, configured = rules_found(tmp_path, monkeypatch)
    assert configured == library


def test_select_and_ignore_by_id_prefix_and_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, 'select = ["SK3", "unknown-frontmatter-field"]\nignore = ["code-fence-missing-language"]\n')
    _, found = rules_found(tmp_path, monkeypatch)
    assert {r for r, _ in found} == {"SK105"}
    _, found = rules_found(tmp_path, monkeypatch, "--select", "SK302")
    assert {r for r, _ in found} == {"SK302"}
    _, found = rules_found(tmp_path, monkeypatch, "--ignore", "SK1,SK2,SK3,SK4,SK5")
    assert found == []


def test_severity_overrides_and_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, 'profile = "library"\n[tool.skillkit.severity]\nSK105 = "warning"\nSK302 = "error"\nSK203 = "off"\n')
    code, found = rules_found(tmp_path, monkeypatch)
    assert ("SK105", "warning") in found and ("SK302", "error") in found
    assert not any(r == "SK203" for r, _ in found)
    assert code == 1  # SK302 is now an error


def test_rule_options_change_thresholds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "[tool.skillkit.rules.SK201]\nmin-lines = 1\n")
    _, found = rules_found(tmp_path, monkeypatch, "--select", "SK201")
    assert found == []
    (tmp_path / "pyproject.toml").write_text("[tool.skillkit.rules.SK201]\nmin-lines = 5\n")
    _, found = rules_found(tmp_path, monkeypatch, "--select", "SK201")
    assert found == [("SK201", "warning")]


def test_per_path_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.skillkit.per-path-ignores]\n"skills/legacy/**" = ["SK105"]\n')
    legacy = tmp_path / "skills" / "legacy" / "old-skill"
    legacy.mkdir(parents=True)
    (legacy / "SKILL.md").write_text(SKILL.format(name="old-skill"))
    monkeypatch.chdir(tmp_path)
    data = json.loads(runner.invoke(app, ["lint", "--format", "json", "--select", "SK105"]).stdout)
    assert [d["path"] for d in data["diagnostics"]] == ["skills/pdf-forms/SKILL.md"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('profile = "strictest"\n', "unknown profile `strictest`"),
        ('select = ["SK999"]\n', "`SK999` matches no rule"),
        ("[tool.skillkit.rules.SK201]\nmax_line = 3\n", "unknown option"),
        ("[tool.skillkit.rules.SK201]\nmax-lines = -3\n", "SK201"),
        ("[tool.skillkit.rules.SK301]\nfoo = 1\n", "has no options"),
        ('[tool.skillkit.severity]\nSK301 = "fatal"\n', "severity"),
        ("colour = true\n", "unknown key `colour`"),
    ],
)
def test_bad_configuration_exits_2_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    project(tmp_path, config)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unknown_cli_selector_and_profile_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["lint", "--select", "nope"]).exit_code == 2
    assert runner.invoke(app, ["lint", "--profile", "nope"]).exit_code == 2


def test_skillkit_toml_and_explicit_config(tmp_path: Path) -> None:
    (tmp_path / "skillkit.toml").write_text('profile = "spec"\nroot = "lib"\n')
    loaded = load_config(start=tmp_path)
    assert loaded.config.profile == "spec" and loaded.root == tmp_path / "lib"
    other = tmp_path / "other.toml"
    other.write_text('ignore = ["SK1"]\n')
    settings = resolve(load_config(other))
    assert not any(a.rule.id.startswith("SK1") for a in settings.rules)
    with pytest.raises(ConfigError):
        load_config(tmp_path / "missing.toml")


def test_security_allowlist_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = "AKIA" + "Q7W3E9R1T5Y2U8I4"
    folder = project(tmp_path, "") / "skills" / "pdf-forms"
    (folder / "SKILL.md").write_text(SKILL.format(name="pdf-forms") + f"\n```python\nKEY = '{key}'\n```\n")
    code, found = rules_found(tmp_path, monkeypatch, "--select", "SK601")
    assert found == [("SK601", "error")] and code == 1
    (tmp_path / "pyproject.toml").write_text(f'[tool.skillkit.rules.SK601]\nallow = ["{key}"]\n')
    code, found = rules_found(tmp_path, monkeypatch, "--select", "SK601")
    assert found == [] and code == 0


def test_resolve_defaults() -> None:
    settings = resolve(LoadedConfig(load_config(start=Path("/")).config, None))
    assert settings.profile.name == "recommended"


def test_explicit_config_may_use_a_tool_skillkit_table(tmp_path: Path) -> None:
    other = tmp_path / "ci.toml"
    other.write_text('[tool.skillkit]\nprofile = "spec"\n')
    assert load_config(other).config.profile == "spec"


def test_description_max_chars_comes_from_the_library_profile_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: the library profile caps descriptions at 250 characters; the rule itself and `spec` do not."""
    long = "Converts PDF forms to JSON and back with pypdf. Use when a user asks to validate a form. " * 3
    folder = project(tmp_path, "") / "skills" / "pdf-forms"
    (folder / "SKILL.md").write_text(f"---\nname: pdf-forms\ndescription: {long.strip()}\n---\n\n# PDF\n")
    monkeypatch.chdir(tmp_path)

    def sk503(*args: str) -> list[str]:
        result = runner.invoke(app, ["lint", "--format", "json", "--select", "SK503", *args])
        assert result.exit_code == 0, result.output  # a warning: the exit code stays 0
        return [d["message"] for d in json.loads(result.stdout)["diagnostics"]]

    (message,) = sk503("--profile", "library")
    assert f"{len(long.strip())} characters, over 250" in message and "8,000 characters" in message
    assert sk503("--profile", "spec") == []
    assert sk503() == []  # the default (recommended) profile has no cap
    (tmp_path / "pyproject.toml").write_text("[tool.skillkit.rules.SK503]\nmax-chars = 400\n")
    assert sk503("--profile", "library") == []
    spec = resolve(LoadedConfig(load_config(start=Path("/")).config, None), profile="spec")
    assert not any(a.rule.id == "SK503" for a in spec.rules)
    library = resolve(LoadedConfig(load_config(start=Path("/")).config, None), profile="library")
    (active,) = [a for a in library.rules if a.rule.id == "SK503"]
    assert active.options is not None and active.options.max_chars == 250
    assert active.rule.options is not None and active.rule.options().max_chars is None


def test_recommended_accepts_a_one_sentence_description_with_a_trigger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: an 85-character description with a trigger clause is fine by default; `library` asks for 100."""
    description = "Reviews pull requests for security issues. Use when a user asks to audit a change."
    assert 80 <= len(description) < 100
    folder = project(tmp_path, "") / "skills" / "pdf-forms"
    (folder / "SKILL.md").write_text(f"---\nname: pdf-forms\ndescription: {description}\n---\n\n# PDF\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").unlink()

    def sk503(*args: str) -> list[str]:
        result = runner.invoke(app, ["lint", "--format", "json", "--no-cache", "--select", "SK503", *args, "skills"])
        return [d["message"] for d in json.loads(result.stdout)["diagnostics"]]

    assert sk503() == []
    assert sk503("--profile", "recommended") == []
    (message,) = sk503("--profile", "library")
    assert "at least 100" in message


def test_a_pyproject_that_cannot_configure_skillkit_is_not_parsed(tmp_path: Path) -> None:
    """Without `skillkit` in its text (nor a \\u escape that could spell it) a pyproject.toml holds no
    [tool.skillkit]: it is skipped unparsed, broken or not, and the search goes on upwards."""
    (tmp_path / "skillkit.toml").write_text('profile = "spec"\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project\nname = broken\n")
    loaded = load_config(start=inner)
    assert loaded.path == tmp_path / "skillkit.toml" and loaded.config.profile == "spec"
    (inner / "pyproject.toml").write_text('[tool."\\u0073killkit"]\nprofile = "library"\n')
    assert load_config(start=inner).config.profile == "library"
    (inner / "pyproject.toml").write_text("[tool.skillkit\nprofile = 1\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(start=inner)
