"""The labelled precision set as a regression test (docs/precision.md, issue 16).

``tests/precision/cases/<case>/`` are excerpts (a few lines each, never the public files) of findings drawn
from the default profile on four public libraries: every false-positive shape found in the draws must stay
silent, and a sample of true findings must still fire. ``cases.json`` names each case's rule, what is
expected (``fires`` or ``silent``), where the excerpt comes from and its shape. The cases run with the
default (`recommended`) profile, as `skillkit lint` does in a folder with no configuration.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import run_rules
from skillkit.config import LoadedConfig, load_config, resolve
from skillkit.profiles import DEFAULT_PROFILE

PRECISION = Path(__file__).parent / "precision"
CASES = PRECISION / "cases"
MANIFEST = json.loads((PRECISION / "cases.json").read_text())


@pytest.fixture(scope="module")
def found() -> dict[str, set[str]]:
    """Rules that fire on each case, with the default profile (no configuration)."""
    settings = resolve(LoadedConfig(load_config(start=Path("/")).config, None))
    assert settings.profile.name == DEFAULT_PROFILE == "recommended"
    rules: dict[str, set[str]] = defaultdict(set)
    for d in run_rules(CASES, settings):
        rules[Path(d.path).parts[0]].add(d.rule)
    return rules


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: f"{e['case']}-{e['rule']}-{e['expected']}")
def test_case(entry: dict[str, str], found: dict[str, set[str]]) -> None:
    fired = entry["rule"] in found[entry["case"]]
    assert fired == (entry["expected"] == "fires"), f"{entry['case']}: {entry['shape']} ({entry['source']})"


def test_manifest_and_cases_agree() -> None:
    assert sorted(e["case"] for e in MANIFEST) == sorted(p.name for p in CASES.iterdir() if p.is_dir())
    assert {e["expected"] for e in MANIFEST} == {"fires", "silent"}
    assert sum(e["expected"] == "fires" for e in MANIFEST) >= 10


def test_labels_match_the_table() -> None:
    """labels.json holds the final draw of docs/precision.md: at least 100 findings on four libraries,
    at least 95% true and no false finding at error level."""
    labels = json.loads((PRECISION / "labels.json").read_text())
    assert len(labels) >= 100 and len({row["library"] for row in labels}) >= 4
    true = sum(row["verdict"] for row in labels)
    assert true / len(labels) >= 0.95
    assert not [row for row in labels if not row["verdict"] and row["severity"] == "error"]
    table = (Path(__file__).parent.parent / "docs" / "precision.md").read_text()
    assert f"**{true} of {len(labels)} true" in table
