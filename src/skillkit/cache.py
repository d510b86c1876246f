"""The lint cache: `.skillkit_cache/`, one small JSON file per skill.

A skill's entry is keyed on skillkit's version, the effective settings, the working folder, and the
identity of every file and folder in the skill (path, size, modification time, inode; for a symbolic
link also those of what it points to, since the parser reads through links inside the tree): nothing
is read to decide a hit. What a skill's findings read outside its folder (a link to `../other/x.md`)
is stored with the entry, each path with whether it existed, and checked again on lookup: the entry
is stale as soon as one answer differs. Entries are written atomically (temporary file + `os.replace`), so two runs writing at once
corrupt nothing; an unreadable, corrupt or foreign entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from skillkit import __version__
from skillkit.diagnostics import Diagnostic, Severity

CACHE_DIR = ".skillkit_cache"
SCHEMA = 3  # 2: diagnostics stored as rows; 3: paths outside the skill, with existence
_SEVERITY = {s.value: s for s in Severity}


def settings_fingerprint(settings: object) -> str:
    """A stable digest of what decides findings: rules, severities, options, per-path ignores, base."""
    from skillkit.config import Settings

    if not isinstance(settings, Settings):
        return "rules:" + ",".join(sorted(getattr(r, "id", str(r)) for r in settings))  # type: ignore[attr-defined]
    parts = [
        f"{a.rule.id}:{a.severity.value if a.severity else '-'}:"
        f"{a.options.model_dump_json() if a.options is not None else ''}"
        for a in settings.rules
    ]
    parts.append(repr(settings.per_path_ignores))
    parts.append(f"target:{settings.target}")
    parts.append(str(settings.base.absolute()))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _target(path: str) -> str:
    """What a symbolic link points to, as size, mtime, inode and mode (or that it points nowhere)."""
    try:
        st = os.stat(path)
    except OSError:
        return "\0dangling"
    return f"\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{st.st_mode}"


def skill_identity(skill_dir: Path) -> str | None:
    """Digest of every file's path, size, mtime and inode below ``skill_dir``, and every folder's path.

    Folder links are not walked; a link's row also holds its target's identity (content read through
    a link changes the key). Folders count, so a link to an empty folder that appears is seen.
    """
    rows: list[str] = []
    stack = [str(skill_dir)]
    try:
        while stack:
            folder = stack.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != ".git":
                            stack.append(entry.path)
                            rows.append(f"{entry.path}\0dir\n")
                        continue
                    st = entry.stat(follow_symlinks=False)
                    link = _target(entry.path) if entry.is_symlink() else ""
                    rows.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{st.st_mode}{link}\n")
                    if len(rows) > 20_000:
                        return None  # not worth caching
    except OSError:
        return None
    rows.sort()  # directory order differs between file systems and runs
    return hashlib.sha256("".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


class LintCache:
    def __init__(self, root: Path, settings: object, cwd: str) -> None:
        self.folder = root / CACHE_DIR / f"v{SCHEMA}"
        self.context = hashlib.sha256(
            f"{__version__}\0{settings_fingerprint(settings)}\0{cwd}".encode("utf-8", "surrogateescape")
        ).hexdigest()
        self.hits = 0
        self.misses = 0

    def key(self, skill_dir: Path, skill_md: Path | None, root: Path) -> str | None:
        identity = skill_identity(skill_dir)
        if identity is None:
            return None
        raw = f"{self.context}\0{os.path.abspath(skill_dir)}\0{skill_md}\0{os.path.abspath(root)}\0{identity}"
        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str) -> list[Diagnostic] | None:
        path = os.path.join(self.folder, key[:2], key + ".json")
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            if data.get("schema") != SCHEMA or data.get("key") != key:
                return None
            if any(os.path.exists(path) != bool(found) for path, found in data.get("outside", ())):
                return None  # a path outside the skill appeared or went away since: stale
            paths: dict[str, str] = {}  # one string per file, shared by its findings
            found = [
                Diagnostic(paths.setdefault(p, p), line, col, rule, name, _SEVERITY[sev], msg, bool(fix),
                           _SEVERITY.get(default or ""))
                for p, line, col, rule, name, sev, msg, fix, default in data["diagnostics"]
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        self.hits += 1
        return found

    def put(self, key: str, diagnostics: list[Diagnostic], outside: dict[str, bool] | None = None) -> None:
        """Store a skill's findings with ``outside``: the paths beyond the skill they depend on."""
        self.misses += 1
        folder = self.folder / key[:2]
        payload = {
            "schema": SCHEMA,
            "key": key,
            "outside": sorted([path, found] for path, found in (outside or {}).items()),
            "diagnostics": [  # rows, not objects: a third of the bytes to read back
                [d.path, d.line, d.column, d.rule, d.name, d.severity.value, d.message, d.fixable,
                 d.default_severity.value if d.default_severity else None]
                for d in diagnostics
            ],
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, separators=(",", ":"))
            os.replace(tmp, folder / f"{key}.json")
        except OSError:
            pass  # a read-only tree: run without caching
