"""The mutation fuzzing campaign, kept in the suite: a fixed seed, ~120 mutants, every invariant.

The mutator and the invariants live in ``skill_fuzz.py`` (shared with ``bench/fuzz.py``, which runs the
same campaign for as long as a maintainer likes). On failure the message lists each broken invariant
with the mutant's seed skill and mutations; ``python bench/fuzz.py --seed 24 --count 120 --once`` makes
the same mutants and saves the failing ones.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from skill_fuzz import (Run, check_tree, fix_drift, frontmatter_drift, make_tree, output_problems, report,
                        seed_skills)

SEED = 24
COUNT = 120


def test_mutants_keep_every_invariant(tmp_path: Path) -> None:
    mutants = make_tree(random.Random(SEED), seed_skills(), tmp_path / "tree", tmp_path / "outside", COUNT)
    failures = check_tree(tmp_path / "tree", mutants)
    assert not failures, report(failures, mutants, limit=5)


def test_the_same_seed_makes_the_same_mutants(tmp_path: Path) -> None:
    seeds = seed_skills()
    assert len(seeds) > 100
    for run in ("a", "b"):
        make_tree(random.Random(7), seeds, tmp_path / run, tmp_path / f"out-{run}", 12)
    for a in sorted((tmp_path / "a").rglob("SKILL.md")):
        assert a.read_bytes() == (tmp_path / "b" / a.relative_to(tmp_path / "a")).read_bytes()


# --- the checkers themselves must be able to fail


def test_frontmatter_checker_accepts_the_intended_fixes() -> None:
    before = b"name: x\nversion: 1.10\ntags: [a, b]\nmetadata: {n: 3, ok: yes}\nallowed-tools: [Bash, Read]\n"
    after = (b'name: x\nmetadata:\n  n: "3"\n  ok: "yes"\n  version: "1.10"\n  tags: "a, b"\n'
             b'allowed-tools: "Bash Read"\n')
    assert frontmatter_drift(before, after) is None


@pytest.mark.parametrize(("before", "after", "needle"), [
    (b"metadata: {version: 1.0, n: 3}\n", b'metadata:\n  version: "1.0, n: 3}"\n', "metadata.version"),
    (b"name: x\nauthor: me\n", b"name: x\n", "'author' was lost"),
    (b"name: x\n", b"name: y\n", "name"),
    (b"name: x\n", b"name: x\nversion: '2'\n", "new key"),
    (b"a: 1\n", b"a: [\n", "no longer loads"),
])
def test_frontmatter_checker_catches_changed_values(before: bytes, after: bytes, needle: str) -> None:
    drift = frontmatter_drift(before, after)
    assert drift is not None and needle in drift


def test_fix_checker_allows_bom_and_crlf_but_not_a_lone_cr() -> None:
    before = b"\xef\xbb\xbf---\r\nname: x\r\n---\r\n\r\n# T\r\n"
    assert fix_drift(before, b"---\nname: x\n---\n\n# T\n") is None
    assert fix_drift(b"---\nname: x\n---\n# a\rb\n", b"---\nname: x\n---\n# a\nb\n")[0] == "fix-body-changed"
    assert fix_drift(b"\xef\xbb\xbf\xef\xbb\xbf# T\n", b"# T\n") is None  # every leading BOM goes in one run
    assert fix_drift(b"\xef\xbb\xbf# T\xef\xbb\xbf\n", b"# T\n")[0] == "fix-body-changed"  # not one inside


def test_output_checker_catches_bad_output() -> None:
    assert output_problems(Run(1, b'{"a": 1}\n', b"", None), "json", (0, 1)) == []
    kinds = {k for k, _ in output_problems(Run(1, b'{"a": "\xff"', b"Traceback (most recent call last):\n",
                                              None), "json", (0, 1))}
    assert kinds == {"not-utf8", "json-invalid", "traceback"}
    assert output_problems(Run(3, b"", b"", None), None, (0, 1))[0][0] == "exit-code"
    assert output_problems(Run(1, b"", b"", KeyError("x")), None, (0, 1))[0][0] == "crash"
