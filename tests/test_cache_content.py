"""The lint cache is keyed by content (issue 22): a restored cache hits in a fresh clone, and every change
that can change a finding is a miss, even one that leaves size and modification time as they were."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import skillkit.cache
from skillkit.cache import CACHE_DIR, LintCache
from skillkit.cli import app
from skillkit.config import default_settings, load_config, resolve
from skillkit.engine import lint

runner = CliRunner()
SKILL = (
    "---\nname: {name}\ndescription: Checks forms. Use when validating forms.\n---\n\n# T\n\n"
    "See [the guide](references/guide.md).\n\n```python\nx = 1\n```\n"
)


def make_tree(root: Path, count: int = 4) -> Path:
    for i in range(count):
        folder = root / "skills" / f"s{i}"
        (folder / "references").mkdir(parents=True)
        (folder / "SKILL.md").write_text(SKILL.format(name=f"s{i}"))
        (folder / "references" / "guide.md").write_text("# Guide\n\nSome text.\n")
    return root / "skills"


def key_of(root: Path, skill: Path, settings: object = None) -> str | None:
    cache = LintCache(root, settings if settings is not None else default_settings(), os.getcwd())
    return cache.key(skill, skill / "SKILL.md", skill.parent)


def json_lint(*args: str) -> str:
    result = runner.invoke(app, ["lint", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture
def skill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_tree(tmp_path, 1) / "s0"


def test_a_changed_byte_with_the_same_size_and_mtime_is_a_miss(skill: Path, tmp_path: Path) -> None:
    md = skill / "SKILL.md"
    before = key_of(tmp_path, skill)
    first = json_lint("skills")
    st = md.stat()
    with open(md, "r+b") as handle:  # in place: same inode, same size
        data = handle.read()
        handle.seek(data.index(b"x = 1"))
        handle.write(b"x = (")  # now a Python syntax error
    os.utime(md, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = md.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    assert key_of(tmp_path, skill) != before
    second = json.loads(json_lint("skills"))
    assert "SK303" in {d["rule"] for d in second["diagnostics"]}
    assert json.dumps(second) != first


def test_a_changed_setting_is_a_miss(skill: Path, tmp_path: Path) -> None:
    before = key_of(tmp_path, skill)
    (tmp_path / "skillkit.toml").write_text('ignore = ["SK401"]\n')
    settings = resolve(load_config(start=tmp_path))
    assert key_of(tmp_path, skill, settings) != before


def test_a_new_skillkit_version_is_a_miss(skill: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = key_of(tmp_path, skill)
    monkeypatch.setattr(skillkit.cache, "__version__", "999.0.0")
    assert key_of(tmp_path, skill) != before


def test_a_renamed_file_is_a_miss(skill: Path, tmp_path: Path) -> None:
    before = key_of(tmp_path, skill)
    (skill / "references" / "guide.md").rename(skill / "references" / "other.md")
    assert key_of(tmp_path, skill) != before
    assert "SK401" in {d["rule"] for d in json.loads(json_lint("skills"))["diagnostics"]}


def test_a_changed_mode_bit_is_a_miss(skill: Path, tmp_path: Path) -> None:
    before = key_of(tmp_path, skill)
    guide = skill / "references" / "guide.md"
    guide.chmod(guide.stat().st_mode | 0o100)
    assert key_of(tmp_path, skill) != before


def test_a_retargeted_link_is_a_miss_even_to_the_same_content(skill: Path, tmp_path: Path) -> None:
    refs = skill / "references"
    (refs / "copy.md").write_bytes((refs / "guide.md").read_bytes())
    os.symlink("guide.md", refs / "link.md")
    before = key_of(tmp_path, skill)
    (refs / "link.md").unlink()
    os.symlink("copy.md", refs / "link.md")
    assert key_of(tmp_path, skill) != before
    (refs / "copy.md").write_text("# Changed\n")  # content behind the link
    changed = key_of(tmp_path, skill)
    (refs / "copy.md").write_text("# Guide\n\nSome text.\n")
    assert key_of(tmp_path, skill) not in (changed, None)


def copy_checkout(source: Path, target: Path) -> None:
    """A fresh checkout: new inodes and modification times, the same files; the cache copied in."""
    shutil.copytree(source / "skills", target / "skills", copy_function=shutil.copy)  # copy: new mtimes
    shutil.copytree(source / CACHE_DIR, target / CACHE_DIR)
    os.utime(target / "skills" / "s0" / "SKILL.md", ns=(1, 1))


def hits_after_restore(source: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    monkeypatch.chdir(target)
    cache = LintCache(target, default_settings(), os.getcwd())
    result = lint([Path("skills")], default_settings(), cache=cache)
    assert result.skills == 4
    return cache.hits, cache.misses


def test_a_cache_restored_into_a_fresh_clone_at_another_path_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "first" / "repo"
    first.mkdir(parents=True)
    monkeypatch.chdir(first)
    make_tree(first)
    cold = json_lint("skills")
    clone = tmp_path / "second" / "repo"
    copy_checkout(first, clone)
    assert hits_after_restore(first, clone, monkeypatch) == (4, 0)
    assert json_lint("skills") == cold == json_lint("--no-cache", "skills")


def test_a_cache_restored_into_a_fresh_clone_at_the_same_path_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    make_tree(repo)
    cold = json_lint("skills")
    saved = tmp_path / "saved"
    shutil.move(str(repo), saved)  # CI: the checkout is gone, the cache was saved
    copy_checkout(saved, repo)
    assert hits_after_restore(saved, repo, monkeypatch) == (4, 0)
    assert json_lint("skills") == cold


def test_a_clone_under_another_folder_name_misses_where_the_name_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # linted from inside the skill, the folder's own name is not in the relative path, but SK101 compares it
    first = tmp_path / "a" / "s0"
    first.mkdir(parents=True)
    (first / "SKILL.md").write_text(SKILL.format(name="s0"))
    monkeypatch.chdir(first)
    json_lint(".")
    other = tmp_path / "b" / "renamed"
    shutil.copytree(first, other)
    monkeypatch.chdir(other)
    assert json_lint(".") == json_lint("--no-cache", ".")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "..", ".", "", "x y", "é"]), max_size=6),
       st.lists(st.sampled_from(["a", "b", "c"]), max_size=3))
def test_location_below_the_working_folder_is_what_relpath_says(parts: list[str], cwd_parts: list[str]) -> None:
    """location() cuts the working folder off the absolute path instead of calling os.path.relpath (15% of
    a cached run's CPU); both must give the same key, `//` (which POSIX keeps) included."""
    cwd = "/" + "/".join(cwd_parts)
    path = cwd.rstrip("/") + "/" + "/".join(parts)
    absolute = os.path.abspath(path)
    below = absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep)
    expected = "rel\0" + os.path.relpath(absolute, cwd) if below else f"abs\0{absolute}\0{path}"
    assert skillkit.cache.location(path, cwd) == expected
