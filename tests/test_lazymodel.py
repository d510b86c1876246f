"""skillkit.lazymodel: settings models that import pydantic only to validate a user's data."""

from __future__ import annotations

import pickle
import subprocess
import sys
from importlib import resources

import pytest

from skillkit.config import Config, OutdatedConfig
from skillkit.lazymodel import ConfigDict, Field, Model, ValidationFailed
from skillkit.profiles import Profile, Scoring, load_profile, profile_names
from skillkit.rules import all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Limits(Model):
    """Two limits."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=lambda n: n.replace("_", "-"))
    max_lines: int = Field(500, ge=1)
    names: list[str] = Field(default_factory=list)
    cap: int | None = None


def test_defaults_and_trusted_construction_accept_names_and_aliases() -> None:
    assert Limits().max_lines == 500 and Limits().names == [] and Limits().cap is None
    assert Limits(**{"max-lines": 3}) == Limits(max_lines=3) != Limits()
    assert Limits().names is not Limits().names  # a factory per instance, as pydantic does
    with pytest.raises(TypeError, match="no field 'colour'"):
        Limits(colour=1)


def test_validation_is_pydantics_and_returns_the_plain_class() -> None:
    checked = Limits.model_validate({"max-lines": "7", "names": ["a"]})
    assert type(checked) is Limits and checked == Limits(max_lines=7, names=["a"])  # "7" coerced, as pydantic
    with pytest.raises(ValidationFailed) as info:
        Limits.model_validate({"max-lines": 0, "colour": 1})
    kinds = {(e["loc"], e["type"]) for e in info.value.errors()}
    assert kinds == {(("max-lines",), "greater_than_equal"), (("colour",), "extra_forbidden")}
    assert "greater than or equal to 1" in str(info.value)


def test_frozen_hashable_and_picklable_for_worker_processes() -> None:
    limits = Limits(max_lines=9)
    with pytest.raises(AttributeError):
        limits.max_lines = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(limits)) == limits
    assert Limits(cap=1, max_lines=2).model_dump_json() == Limits(max_lines=2, cap=1).model_dump_json()
    assert limits.model_dump(by_alias=True) == {"max-lines": 9, "names": [], "cap": None}
    assert limits.model_dump_json() == '{"max_lines":9,"names":[],"cap":null}'


def test_nested_models_validate_into_plain_instances() -> None:
    config = Config.model_validate({"outdated": {"fail-on": "major"}, "plugin-budget": 300})
    assert type(config.outdated) is OutdatedConfig and config.outdated.fail_on == "major"
    assert config.outdated.max_days == OutdatedConfig().max_days
    scoring = Profile.model_validate({"name": "x", "description": "y"}).scoring
    assert type(scoring) is Scoring and scoring == Scoring()
    assert type(scoring.body_line_bands[0]) is type(Scoring().body_line_bands[0])


def test_the_twin_has_the_same_fields_aliases_and_defaults() -> None:
    twin = Config.twin()
    assert twin.__name__ == "Config" and twin.__doc__ == Config.__doc__
    assert [f.alias or n for n, f in twin.model_fields.items()] == Config.field_aliases()
    assert Config.model_validate({}) == Config()


@pytest.mark.parametrize("name", profile_names())
def test_every_shipped_profile_and_its_options_pass_validation_unchanged(name: str) -> None:
    """load_profile and resolve trust the shipped TOML; this is the check that earns the trust."""
    data = tomllib.loads(resources.files("skillkit.profiles").joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    profile = load_profile(name)
    assert Profile.model_validate(data) == profile
    rules = {r.id: r for r in all_rules()}
    for key, options in profile.options.items():
        rule = rules[key.upper()]
        assert rule.options is not None, f"{name}: {key} has no options"
        assert rule.options.model_validate(options) == rule.options(**options)


def test_a_user_configuration_is_still_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "skillkit.toml").write_text("[rules.SK201]\nmax-lines = 0\n")
    (tmp_path / "skills").mkdir()
    done = subprocess.run([sys.executable, "-m", "skillkit", "lint"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "options of SK201 (skill-md-length): max-lines: Input should be greater than or equal to 1" in done.stderr
