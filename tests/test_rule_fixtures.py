"""One generic test runs every fixture case of every rule.

``tests/rules/<ID>/pass/<skill>/`` must give no finding of rule <ID>; ``tests/rules/<ID>/fail/<skill>/``
must give exactly the findings listed in ``fail/<skill>.expected`` (``PATH:LINE:COL SEVERITY``, ``-`` for
an unknown line or column). The folder name is part of each fixture. A case runs with the rule's
default options, or with those of ``<kind>/<skill>.options.toml`` (kebab-case keys, as in a profile).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import RULES_DIR, run_rules
from skillkit.config import ActiveRule
from skillkit.rules import all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

RULES = {r.id: r for r in all_rules()}


def _cases(kind: str) -> list[tuple[str, Path]]:
    return [
        (rule_dir.name, case)
        for rule_dir in sorted(RULES_DIR.iterdir())
        if (rule_dir / kind).is_dir()
        for case in sorted((rule_dir / kind).iterdir())
        if case.is_dir()
    ]


def _rule_for(rule_id: str, case: Path) -> list[ActiveRule]:
    """The rule with the case's options file applied, validated by the rule's own Options model."""
    rule = RULES[rule_id]
    options_file = case.parent / f"{case.name}.options.toml"
    if not options_file.is_file():
        return [ActiveRule(rule, None, None)]
    assert rule.options is not None, f"{options_file}: {rule_id} has no options"
    return [ActiveRule(rule, None, rule.options.model_validate(tomllib.loads(options_file.read_text())))]


@pytest.mark.parametrize(("rule_id", "case"), _cases("pass"), ids=lambda v: v if isinstance(v, str) else v.name)
def test_pass_case_has_no_finding(rule_id: str, case: Path) -> None:
    found = run_rules(case, _rule_for(rule_id, case))  # a repository rule looks at this folder as the PATH root
    assert found == [], [f"{d.path}:{d.line}: {d.message}" for d in found]


@pytest.mark.parametrize(("rule_id", "case"), _cases("fail"), ids=lambda v: v if isinstance(v, str) else v.name)
def test_fail_case_has_expected_findings(rule_id: str, case: Path) -> None:
    expected_file = case.parent / f"{case.name}.expected"
    expected = sorted(expected_file.read_text().split("\n")[:-1])
    found = run_rules(case, _rule_for(rule_id, case))
    got = sorted(f"{d.path}:{d.line or '-'}:{d.column or '-'} {d.severity.value}" for d in found)
    assert got == expected, [d.message for d in found]
    assert all(d.rule == rule_id for d in found)
    assert all(d.message.strip() for d in found)


def test_every_rule_has_pass_and_fail_cases() -> None:
    for rule_id in (r for r, rule in RULES.items() if rule.command == "lint"):  # verify rules: test_verify.py
        for kind in ("pass", "fail"):
            cases = [p for p in (RULES_DIR / rule_id / kind).glob("*") if p.is_dir()]
            assert cases, f"{rule_id} has no {kind} fixture"


def test_every_fixture_folder_names_a_rule() -> None:
    assert {p.name for p in RULES_DIR.iterdir() if p.is_dir()} <= set(RULES)


def test_every_fail_case_has_an_expected_file() -> None:
    for _, case in _cases("fail"):
        assert (case.parent / f"{case.name}.expected").is_file(), case
