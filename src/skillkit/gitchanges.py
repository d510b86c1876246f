"""`--changed-since REF`: the skills with a file changed since a git revision (or not yet committed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, this is no repository, or the revision is unknown (exit 2)."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"git {' '.join(args)} failed")
    return proc.stdout


def changed_files(ref: str, cwd: Path) -> set[str]:
    """Absolute paths changed since ``ref`` (committed, staged or not) plus untracked, unignored files."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    names = _git(["diff", "--name-only", "-z", ref, "--"], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], cwd).split("\0")
    return {os.path.realpath(top / name) for name in names if name}


def touches(skill_dir: Path, changed: set[str]) -> bool:
    root = os.path.realpath(skill_dir).rstrip(os.sep) + os.sep
    return any(path.startswith(root) for path in changed)
