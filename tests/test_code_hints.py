"""The advice in SK303's message must be right: YAML in a python block gets the `yaml` hint; a signature or an
indented `if ...:` excerpt (read by YAML as a key) does not."""

from __future__ import annotations

from conftest import RULES_DIR, run_rules
from skillkit.rules import all_rules

SK303 = [r for r in all_rules() if r.id == "SK303"]


def test_yaml_in_python_block_gets_the_yaml_hint() -> None:
    found = run_rules(RULES_DIR / "SK303" / "fail" / "broken", SK303)
    assert [d.line for d in found if "tag it `yaml`" in d.message] == [15]


def test_a_signature_is_not_called_yaml() -> None:
    found = run_rules(RULES_DIR / "SK303" / "fail" / "elided-but-broken", SK303)
    assert [d.line for d in found] == [13, 17, 22, 30, 35]
    assert not any("yaml" in d.message for d in found), [d.message for d in found]
