"""The lint cache and parallel runs: same output as a plain serial run, whatever happens to the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cache import CACHE_DIR
from skillkit.cli import app
from skillkit.config import default_settings
from skillkit.engine import lint

runner = CliRunner()
VARIANTS = [
    "---\nname: {name}\ndescription: Checks forms. Use when validating.\n---\n\n# T\n\n```python\nx = (\n```\n",
    "---\nname: wrong\ndescription: x\nversion: 1\n---\n\n[a](missing.md)\n",
    "no frontmatter at all\n",
    "---\nname: {name}\ndescription: Checks PDF forms for missing fields. Use when validating forms.\n---\n\n# T\n",
]


def tree(root: Path, count: int = 70) -> Path:
    for i in range(count):
        folder = root / "skills" / f"s{i:03d}"
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(VARIANTS[i % len(VARIANTS)].format(name=f"s{i:03d}"))
    return root / "skills"


def as_rows(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(d.path, d.line, d.column, d.rule, d.severity.value, d.message) for d in result.diagnostics]


def test_parallel_output_is_identical_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    skills = tree(tmp_path)
    settings = default_settings()
    serial = lint([skills], settings, jobs=1)
    parallel = lint([skills], settings, jobs=2)
    assert as_rows(parallel) == as_rows(serial) and len(serial.diagnostics) > 100
    assert parallel.skills == serial.skills == 70


def json_lint(*args: str) -> str:
    result = runner.invoke(app, ["lint", "--format", "json", *args])
    return result.stdout


def test_cache_hits_give_the_same_output_and_changes_invalidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    skills = tree(tmp_path, 12)
    cold = json_lint("--no-cache", "skills")
    assert not (tmp_path / CACHE_DIR).exists()  # --no-cache writes nothing
    first = json_lint("skills")
    entries = list((tmp_path / CACHE_DIR).rglob("*.json"))
    assert len(entries) == 12
    assert json_lint("skills") == first == cold
    # a changed file is a miss
    (skills / "s003" / "SKILL.md").write_text(VARIANTS[0].format(name="s003") + "\n[b](gone.md)\n")
    changed = json.loads(json_lint("skills"))
    assert any(d["path"] == "skills/s003/SKILL.md" and d["rule"] == "SK401" for d in changed["diagnostics"])
    # a different configuration is a miss too
    (tmp_path / "skillkit.toml").write_text('ignore = ["SK401"]\n')
    assert not any(d["rule"] == "SK401" for d in json.loads(json_lint("skills"))["diagnostics"])


@pytest.mark.parametrize("damage", ["{truncated", '{"schema": 1, "key": "other", "diagnostics": []}', "[1, 2]", ""])
def test_corrupt_or_foreign_entries_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, 6)
    first = json_lint("skills")
    for entry in (tmp_path / CACHE_DIR).rglob("*.json"):
        entry.write_text(damage)
    assert json_lint("skills") == first
    assert json_lint("skills") == first  # rebuilt


def test_two_runs_writing_the_cache_at_once(tmp_path: Path) -> None:
    tree(tmp_path, 40)
    cmd = [sys.executable, "-m", "skillkit", "lint", "--format", "json", "-j", "1", "skills"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert outputs[0] == outputs[1] == outputs[2]
    for entry in (tmp_path / CACHE_DIR).rglob("*.json"):
        json.loads(entry.read_text())  # every entry is whole
    again = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.stdout == outputs[0]
    assert not list((tmp_path / CACHE_DIR).rglob(".tmp-*"))


def test_score_shares_the_lint_cache_and_gives_the_same_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillkit.engine

    monkeypatch.chdir(tmp_path)
    tree(tmp_path, 8)
    cold = runner.invoke(app, ["score", "--format", "json", "--no-cache", "skills"]).stdout
    assert not (tmp_path / CACHE_DIR).exists()
    json_lint("skills")  # lint fills the cache ...

    def no_checks(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a cached skill was checked again")

    monkeypatch.setattr(skillkit.engine, "check_skill", no_checks)
    cached = runner.invoke(app, ["score", "--format", "json", "skills"])  # ... and score reads it
    assert cached.exception is None, cached.output
    assert cached.stdout == cold and json.loads(cold)


def test_freed_memory_is_handed_back_after_every_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillkit.engine as engine

    calls: list[int] = []
    monkeypatch.setattr(engine, "_TRIM", [lambda pad: calls.append(pad) or 1])
    monkeypatch.chdir(tmp_path)
    refs = engine.discover([tree(tmp_path, 70)]).skills
    assert len(list(engine.iter_checked(refs, default_settings()))) == 70
    assert calls == [0, 0, 0]  # 70 skills in batches of 32


def test_release_memory_finds_malloc_trim_on_glibc_linux() -> None:
    import platform

    import skillkit.engine as engine

    engine.release_memory()
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert engine._TRIM[0] is not None


def test_a_batch_closes_early_when_its_skills_hold_much_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillkit.engine as engine

    calls: list[int] = []
    monkeypatch.setattr(engine, "_TRIM", [lambda pad: calls.append(pad) or 1])
    monkeypatch.setattr(engine, "BATCH_CHARS", 150)  # each test skill holds about 100 characters
    monkeypatch.chdir(tmp_path)
    refs = engine.discover([tree(tmp_path, 12)]).skills
    sizes = []
    for skill, _ in engine.iter_checked(refs, default_settings()):
        sizes.append(engine.loaded_chars(skill))
    expected, held = 0, 0
    for size in sizes:  # a batch closes once the text it holds reaches BATCH_CHARS
        held += size
        if held >= 150:
            expected, held = expected + 1, 0
    expected += 1 if held else 0
    assert len(sizes) == 12 and 1 < expected < 12
    assert len(calls) == expected
