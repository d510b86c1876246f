"""Paths on the command line -> skill folders.

A PATH is a skill folder, a ``SKILL.md`` file, a file inside a skill (its skill is checked), or any
folder, below which every folder holding a ``SKILL.md`` is a skill. Hidden folders (but the ``skills/``
folders of the agents' own: ``.claude/skills``, ``.agents/skills``, ``.codex/skills``, ``.cursor/skills``,
``.gemini/skills``), ``node_modules``,
``__pycache__`` and virtualenvs are skipped; symbolic links to folders are followed only when they
stay inside the PATH, and each real folder is visited once, so link loops end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SKILL_FILE = "SKILL.md"
#: Folders never searched for skills.
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env"})
#: Hidden folders where agents look for skills: only their `skills/` subfolder is searched (every other
#: hidden folder stays skipped). Claude Code, Codex/the `agents` convention, Codex, Cursor, Gemini CLI.
CLIENT_DIRS = frozenset({".claude", ".agents", ".codex", ".cursor", ".gemini"})
#: A folder holding one of these but no SKILL.md looks like a skill that lost its SKILL.md. Only
#: `references/`: `scripts/` and `assets/` are too common in ordinary repositories.
RESOURCE_DIRS = ("references",)


@dataclass(frozen=True)
class SkillRef:
    """A skill to check: its folder, the SKILL.md found in it (``None`` if none), the tree it came from."""

    dir: Path
    skill_md: Path | None
    root: Path


@dataclass
class Discovery:
    skills: list[SkillRef] = field(default_factory=list)
    #: PATHs that do not exist: a usage error (exit 2).
    missing: list[str] = field(default_factory=list)
    #: Informational notes for stderr (a file that is in no skill, a PATH with no skill below it).
    notes: list[str] = field(default_factory=list)


def find_skill_file(folder: Path) -> Path | None:
    """``SKILL.md`` in ``folder`` (whatever its file type), else a differently-cased ``skill.md``."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    if SKILL_FILE in names:
        return folder / SKILL_FILE
    for name in sorted(names):
        if name.lower() == "skill.md":
            return folder / name
    return None


def _is_venv(entry: os.DirEntry[str]) -> bool:
    return os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))


def _walk(top: Path, root_real: str, out: list[SkillRef], root: Path) -> None:
    """Depth-first, sorted, iterative; each real folder once."""
    visited: set[tuple[int, int]] = set()
    # stack items: (folder, post) - post-order entries decide "looks like a skill without SKILL.md"
    stack: list[tuple[Path, bool, int]] = [(top, False, 0)]
    while stack:
        folder, post, found_before = stack.pop()
        if post:
            if len(out) == found_before and any((folder / d).is_dir() for d in RESOURCE_DIRS):
                out.append(SkillRef(folder, None, root))
            continue
        try:
            st = folder.stat()
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            continue
        visited.add(key)
        skill_md = find_skill_file(folder)
        if skill_md is not None:
            out.append(SkillRef(folder, skill_md, root))
            continue  # a skill's subfolders are its resources, not more skills
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        children: list[Path] = []
        if folder.name in CLIENT_DIRS and folder != top:
            entries = [e for e in entries if e.name == "skills"]  # .claude/skills, not .claude/anything-else
        for entry in entries:
            if (entry.name.startswith(".") and entry.name not in CLIENT_DIRS) or entry.name in SKIP_DIRS:
                continue
            try:
                if not entry.is_dir():  # follows links; a dangling or looping link is not a folder
                    continue
            except OSError:
                continue
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not (real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)):
                    continue
            if _is_venv(entry):
                continue
            children.append(Path(entry.path))
        if folder != top:
            stack.append((folder, True, len(out)))
        stack.extend((child, False, 0) for child in reversed(children))


def _containing_skill(path: Path) -> Path | None:
    for parent in path.parents:
        if find_skill_file(parent) is not None:
            return parent
    return None


def discover(paths: list[Path]) -> Discovery:
    """Turn PATH arguments into an ordered, de-duplicated list of skills."""
    result = Discovery()
    seen: set[str] = set()

    def add(ref: SkillRef) -> None:
        key = os.path.realpath(ref.dir)
        if key not in seen:
            seen.add(key)
            result.skills.append(ref)

    for path in paths:
        if not os.path.lexists(path) or (path.is_symlink() and not path.exists()):
            result.missing.append(str(path))
            continue
        if path.is_dir():
            skill_md = find_skill_file(path)
            if skill_md is not None:
                add(SkillRef(path, skill_md, path))
                continue
            found: list[SkillRef] = []
            _walk(path, os.path.realpath(path), found, path)
            if (path / ".claude-plugin" / "marketplace.json").is_file():  # skills a marketplace lists, wherever
                from skillkit.marketplace import listed_skills

                found.extend(SkillRef(folder, find_skill_file(folder), path) for folder in listed_skills(path))
            if not found and any((path / d).is_dir() for d in RESOURCE_DIRS):
                found.append(SkillRef(path, None, path))
            if not found:
                result.notes.append(f"no skills (folders holding a SKILL.md) found in {path}")
            for ref in found:
                add(ref)
            continue
        if path.name.lower() == "skill.md":
            add(SkillRef(path.parent, path, path.parent))
            continue
        owner = _containing_skill(path.absolute())
        if owner is None:
            result.notes.append(f"{path} is not inside a skill folder; skipped")
        else:
            add(SkillRef(owner, find_skill_file(owner), owner))
    return result
