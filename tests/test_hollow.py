"""Issue 17: a skill made from `skillkit new whisper`'s template with its markers removed, in any of the
ways under tests/fixtures/hollow/, is draft, fails lint in the library profile and is never ticked done."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app

runner = CliRunner()
REPO = Path(__file__).parent.parent
HOLLOW = Path(__file__).parent / "fixtures" / "hollow"
CASES = sorted(p.name for p in HOLLOW.iterdir() if p.is_dir())


def test_at_least_five_ways_of_hollowing() -> None:
    assert len(CASES) >= 5


@lru_cache(maxsize=None)
def _score(path: Path) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["score", str(path), "--format", "json", "--no-cache", "--profile", "library"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["skills"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", CASES)
def test_hollow_skill_is_draft_and_fails_lint(case: str) -> None:
    skill = HOLLOW / case / "whisper"
    lint = runner.invoke(app, ["lint", str(skill), "--format", "json", "--no-cache", "--profile", "library"])
    assert lint.exit_code == 1, lint.output
    score = _score(skill)
    assert score["tier"] == "draft", score
    # the score itself, not only the error gate, sees that it holds nothing: content points stay low
    assert score["content"] <= 10, score["components"]
    assert score["score"] < 60, score


def test_roadmap_does_not_tick_a_hollow_skill(tmp_path: Path) -> None:
    shutil.copy(REPO / "ROADMAP.md", tmp_path / "ROADMAP.md")
    shutil.copytree(HOLLOW / "delete-todo-lines" / "whisper", tmp_path / "skills" / "specialized" / "whisper")
    args = ["roadmap", "--roadmap", str(tmp_path / "ROADMAP.md"), "--root", str(tmp_path / "skills")]
    status = runner.invoke(app, [*args, "--format", "json"])
    items = {i["name"]: i for p in json.loads(status.stdout)["phases"] for i in p["items"]}
    assert items["Whisper"]["status"] == "in progress", items["Whisper"]
    assert runner.invoke(app, [*args, "--update"]).exit_code == 0
    text = (tmp_path / "ROADMAP.md").read_text(encoding="utf-8", errors="surrogateescape")
    assert "- [ ] **Whisper**" in text and "- [x] **Whisper**" not in text


#: Pairs (better, worse) from this repository, each judged by reading both; the full set with the public
#: libraries is in docs/score-calibration.md and bench/score_pairs.py.
PAIRS = [
    ("tests/fixtures/complete/huggingface-datasets", f"tests/fixtures/hollow/{case}/whisper") for case in CASES
] + [
    (f"skills/{skill}", f"tests/fixtures/hollow/{case}/whisper")
    for skill, case in [("inference/vllm", "duplicate-sentence"), ("distributed-training/deepspeed", "empty-blocks"),
                        ("post-training/trl", "ellipsis"), ("inference/awq", "lorem-ipsum"),
                        ("fine-tuning/unsloth", "template-sentences"), ("evaluation/lm-evaluation-harness",
                                                                       "delete-todo-lines")]
] + [
    # a hollow skill that at least names its headings is not better than the template's own words
    ("tests/fixtures/hollow/duplicate-sentence/whisper", "tests/fixtures/hollow/delete-todo-lines/whisper"),
]


def test_score_orders_the_pairs() -> None:
    right = sum(_score(REPO / better)["score"] > _score(REPO / worse)["score"] for better, worse in PAIRS)
    assert len(PAIRS) >= 10
    assert right / len(PAIRS) >= 0.9, f"{right} of {len(PAIRS)}"
