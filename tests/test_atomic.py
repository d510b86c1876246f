"""One atomic writer for every file skillkit rewrites (fix, roadmap, baseline, schemas, docs)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from skillkit import atomic
from skillkit.atomic import write_atomic, write_if_changed


def test_keeps_an_existing_files_mode_and_gives_a_new_file_the_usual_one(tmp_path: Path) -> None:
    old = tmp_path / "SKILL.md"
    old.write_text("a")
    old.chmod(0o640)
    write_atomic(old, b"b")
    assert old.read_bytes() == b"b" and stat.S_IMODE(old.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        new = tmp_path / "ROADMAP.md"
        write_atomic(new, b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not the 0600 of a temporary file


def test_unchanged_text_is_not_rewritten_and_undecodable_bytes_survive(tmp_path: Path) -> None:
    path = tmp_path / "ROADMAP.md"
    text = b"caf\xe9 \xf0\x9f\x9a\x80\n".decode("utf-8", "surrogateescape")
    assert write_if_changed(path, text, "surrogateescape") is True
    mtime = path.stat().st_mtime_ns
    assert write_if_changed(path, text, "surrogateescape") is False
    assert path.stat().st_mtime_ns == mtime and path.read_bytes() == b"caf\xe9 \xf0\x9f\x9a\x80\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.md"
    path.write_text("old")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.md"]
