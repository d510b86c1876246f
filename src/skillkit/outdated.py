"""`skillkit outdated`: how far the package versions each skill was checked against
(``metadata.dependencies``) are behind the newest releases on the package index.

The index is PyPI's JSON API (``{index}/{name}/json``) or anything that answers in its shape, a
``file://`` folder included; each answer is kept for a day in the user's cache folder
(:func:`user_cache_dir`). A pin is compared with the newest final release (pre-releases only when the
pin is one), not yanked: *behind* is the first version part that differs (major, minor, patch) and
*days* is how long the pin has been superseded (today minus the day its first successor came out).
A range (``torch>=2.4``) is behind only when it excludes the newest release; it is then measured from
the highest release it allows. One package the index cannot answer for never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from skillkit.atomic import write_atomic

INDEX_URL = "https://pypi.org/pypi"
CACHE_TTL = 24 * 3600
LEVELS = ("patch", "minor", "major")
FAIL_ON = ("major", "minor", "patch", "never")


def user_cache_dir() -> Path:
    """The user's cache folder for skillkit: ``$SKILLKIT_CACHE_DIR``, else the platform's usual place
    (``$XDG_CACHE_HOME/skillkit`` or ``~/.cache/skillkit``; ``~/Library/Caches/skillkit`` on macOS;
    ``%LOCALAPPDATA%\\skillkit\\Cache`` on Windows)."""
    explicit = os.environ.get("SKILLKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "skillkit" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "skillkit"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillkit"


class IndexError_(Exception):
    """The index could not say anything about one package; the message says why, for a person."""


@dataclass(frozen=True)
class Release:
    version: Version
    date: datetime | None
    #: The release has a wheel for any platform (`*-none-any.whl`): it installs without compiling
    #: and without a platform-specific build.
    pure: bool = False


def parse_releases(data: Any) -> list[Release]:
    """The not-yanked releases with files in a JSON API answer, oldest first."""
    if not isinstance(data, dict) or not isinstance(data.get("releases"), dict):
        raise IndexError_("the index did not answer in the JSON API's shape (no `releases`)")
    out = []
    for text, files in data["releases"].items():
        try:
            version = Version(str(text))
        except InvalidVersion:
            continue
        if not isinstance(files, list) or not files:
            continue
        live = [f for f in files if isinstance(f, dict) and not f.get("yanked")]
        if not live:
            continue
        dates = []
        for f in live:
            stamp = f.get("upload_time_iso_8601") or f.get("upload_time")
            if isinstance(stamp, str):
                try:
                    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
                except ValueError:
                    continue
                dates.append(parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc))
        pure = any(str(f.get("filename", "")).endswith("-none-any.whl") for f in live)
        out.append(Release(version, min(dates) if dates else None, pure))
    return sorted(out, key=lambda r: r.version)


class Index:
    """A package index answering PyPI's JSON API, with a day-long cache of its answers."""

    def __init__(self, url: str = INDEX_URL, cache_dir: Path | None = None, ttl: float = CACHE_TTL,
                 refresh: bool = False, timeout: float = 20.0) -> None:
        self.url = url.rstrip("/")
        key = hashlib.sha256(self.url.encode()).hexdigest()[:16]
        self.cache_dir = (cache_dir if cache_dir is not None else user_cache_dir()) / "index-v2" / key
        self.ttl, self.refresh, self.timeout = ttl, refresh, timeout

    def _cached(self, name: str) -> list[Release] | None:
        path = self.cache_dir / f"{name}.json"
        if self.refresh:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if time.time() - float(entry["fetched"]) > self.ttl:
                return None
            return parse_releases(entry["answer"])
        except (OSError, ValueError, KeyError, TypeError, IndexError_):
            return None

    def releases(self, name: str) -> list[Release]:
        """Every release of ``name``; raises :class:`IndexError_` with a message when the index cannot say."""
        name = canonicalize_name(name)
        cached = self._cached(name)
        if cached is not None:
            return cached
        where = f"{self.url}/{urllib.parse.quote(name)}/json"
        try:
            with urllib.request.urlopen(where, timeout=self.timeout) as response:  # noqa: S310 (http(s)/file only)
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise IndexError_(f"not on the index ({self.url})") from None
            raise IndexError_(f"the index answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, FileNotFoundError) or (isinstance(reason, OSError) and reason.errno == 2):
                raise IndexError_(f"not on the index ({self.url})") from None
            raise IndexError_(f"cannot reach {self.url}: {getattr(reason, 'strerror', None) or reason}") from None
        except (OSError, ValueError) as exc:  # timeouts, bad URLs
            raise IndexError_(f"cannot reach {self.url}: {exc}") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise IndexError_("the index answered with something that is not JSON") from None
        releases = parse_releases(answer)
        slim = {"releases": {str(r.version): [{"upload_time_iso_8601": r.date.isoformat() if r.date else None,
                                               "filename": "x-none-any.whl" if r.pure else "x.tar.gz"}]
                             for r in releases}}
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache_dir / f"{name}.json",
                         json.dumps({"fetched": time.time(), "url": where, "answer": slim}).encode())
        except OSError:
            pass  # a cache that cannot be written only costs a lookup next time
        return releases


# --------------------------------------------------------------------------- pins


@dataclass
class Pin:
    """One package as one or more skills declare it."""

    package: str  # canonical name
    spec: str  # the requirement's version part: `==5.24.0`, `>=2.4`, ...
    skills: list[str] = field(default_factory=list)


def collect_pins(skills: Sequence[tuple[str, Any]]) -> tuple[list[Pin], list[str]]:
    """Pins from ``(skill name, frontmatter data)`` pairs, one per (package, spec); and notes on
    requirements that name no version or cannot be read."""
    pins: dict[tuple[str, str], Pin] = {}
    notes: list[str] = []
    for skill_name, data in skills:
        meta = data.get("metadata") if isinstance(data, dict) else None
        deps = meta.get("dependencies") if isinstance(meta, dict) else None
        if not isinstance(deps, str):
            continue
        for token in deps.split():
            try:
                req = Requirement(token)
            except Exception:  # packaging's InvalidRequirement and friends
                notes.append(f"{skill_name}: `{token}` in metadata.dependencies is not a requirement")
                continue
            if not str(req.specifier):
                notes.append(f"{skill_name}: `{token}` names no version; nothing to compare")
                continue
            key = (canonicalize_name(req.name), str(req.specifier))
            pin = pins.setdefault(key, Pin(key[0], key[1]))
            if skill_name not in pin.skills:
                pin.skills.append(skill_name)
    return sorted(pins.values(), key=lambda p: (p.package, p.spec)), notes


@dataclass
class Row:
    """A pin against the index: what it allows, what is newest, how far behind."""

    pin: Pin
    pinned: Version | None = None  # the highest release the spec allows
    newest: Version | None = None
    behind: str | None = None  # major | minor | patch | None (current)
    days: int | None = None  # since the first release newer than `pinned`
    successor: Version | None = None
    problem: str | None = None
    over: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.pin.package, "spec": self.pin.spec, "skills": self.pin.skills,
            "pinned": str(self.pinned) if self.pinned else None, "newest": str(self.newest) if self.newest else None,
            "behind": self.behind, "days": self.days,
            "first_newer": str(self.successor) if self.successor else None,
            "over_limit": self.over, "problem": self.problem,
        }


def level(old: Version, new: Version) -> str | None:
    """The first version part that differs: ``major``, ``minor`` or ``patch`` (anything after the third
    part, a post-release or a pre-release counts as patch); ``None`` when ``new`` is not newer."""
    if new <= old:
        return None
    a, b = (list(old.release) + [0, 0, 0])[:3], (list(new.release) + [0, 0, 0])[:3]
    if b[0] != a[0]:
        return "major"
    if b[1] != a[1]:
        return "minor"
    return "patch"


def compare(pin: Pin, releases: list[Release], now: datetime) -> Row:
    from packaging.specifiers import SpecifierSet

    row = Row(pin)
    spec = SpecifierSet(pin.spec)
    wants_pre = any(Version(s.version).is_prerelease for s in spec if _is_version(s.version))
    usable = [r for r in releases if wants_pre or not r.version.is_prerelease]
    if not usable:
        row.problem = "the index lists no release"
        return row
    newest = max(usable, key=lambda r: r.version)
    row.newest = newest.version
    allowed = [r for r in releases if spec.contains(r.version, prereleases=True)]
    if not allowed:
        row.problem = f"no release on the index matches `{pin.spec}`"
        return row
    pinned = max(allowed, key=lambda r: r.version)
    row.pinned = pinned.version
    if spec.contains(newest.version, prereleases=True):
        return row  # the range allows the newest release
    row.behind = level(pinned.version, newest.version)
    if row.behind is None:
        return row  # pinned to something newer than the newest final release (a pre-release)
    newer = [r for r in usable if r.version > pinned.version]
    first = min(newer, key=lambda r: r.version)
    row.successor = first.version
    dated = [r.date for r in newer if r.date is not None]
    if dated:
        row.days = max(0, (now - min(dated)).days)
    return row


def _is_version(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


@dataclass(frozen=True)
class Limit:
    """When a pin is too far behind: by ``fail_on`` or more (``never``: no version limit), or superseded
    for more than ``max_days`` days (0: no day limit)."""

    fail_on: str = "minor"
    max_days: int = 120

    def over(self, row: Row) -> bool:
        if row.behind is None:
            return False
        if self.fail_on != "never" and LEVELS.index(row.behind) >= LEVELS.index(self.fail_on):
            return True
        return bool(self.max_days) and row.days is not None and row.days > self.max_days

    def describe(self) -> str:
        parts = []
        if self.fail_on != "never":
            parts.append("a patch release" if self.fail_on == "patch" else f"a {self.fail_on} release")
        if self.max_days:
            parts.append(f"{self.max_days} days")
        return " or ".join(parts) if parts else "none"


@dataclass
class Report:
    index: str
    limit: Limit
    rows: list[Row]
    notes: list[str]

    @property
    def over(self) -> list[Row]:
        return [r for r in self.rows if r.over]

    @property
    def problems(self) -> list[Row]:
        return [r for r in self.rows if r.problem]

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "limit": {"fail_on": self.limit.fail_on, "max_days": self.limit.max_days},
            "pins": [r.to_json() for r in self.rows], "notes": self.notes,
            "summary": {"pins": len(self.rows), "behind": sum(1 for r in self.rows if r.behind),
                        "over_limit": len(self.over), "not_checked": len(self.problems)},
        }


def build(skills: Sequence[tuple[str, Any]], index: Index, limit: Limit, now: datetime | None = None,
          jobs: int = 8) -> Report:
    """Look every pinned package up once (in parallel) and compare each pin with it."""
    now = now or datetime.now(timezone.utc)
    pins, notes = collect_pins(skills)
    names = sorted({p.package for p in pins})

    def look(name: str) -> tuple[str, list[Release] | IndexError_]:
        try:
            return name, index.releases(name)
        except IndexError_ as exc:
            return name, exc

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(names) or 1))) as pool:
        answers: dict[str, list[Release] | IndexError_] = dict(pool.map(look, names))
    rows = []
    for pin in pins:
        answer = answers[pin.package]
        if isinstance(answer, IndexError_):
            rows.append(Row(pin, problem=str(answer)))
            continue
        row = compare(pin, answer, now)
        row.over = limit.over(row)
        rows.append(row)
    rows.sort(key=lambda r: (not r.over, r.behind is None, r.problem is not None, r.pin.package, r.pin.spec))
    return Report(index.url, limit, rows, notes)


# --------------------------------------------------------------------------- output


def _cells(row: Row) -> list[str]:
    return [
        row.pin.package,
        _pinned(row),
        str(row.newest) if row.newest else "?",
        row.behind or ("-" if not row.problem else "?"),
        str(row.days) if row.days is not None else "",
        ("OVER " if row.over else "") + (row.problem or ""),
        ", ".join(row.pin.skills),
    ]


def _pinned(row: Row) -> str:
    if row.pin.spec.startswith("==") and "," not in row.pin.spec:
        return row.pin.spec[2:]
    return row.pin.spec + (f" ({row.pinned})" if row.behind and row.pinned else "")


HEADER = ["package", "pinned", "newest", "behind", "days", "status", "skills"]


def summary_line(report: Report) -> str:
    behind = sum(1 for r in report.rows if r.behind)
    text = (f"{len(report.rows)} pins: {behind} behind, {len(report.over)} over the limit "
            f"({report.limit.describe()})")
    if report.problems:
        text += f"; {len(report.problems)} not checked"
    return text


def render_text(report: Report) -> str:
    table = [HEADER] + [_cells(r) for r in report.rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths)) + "  " + row[-1] for row in table]
    lines = [line.rstrip() for line in lines]
    lines += [f"note: {n}" for n in report.notes]
    lines.append(summary_line(report) + f"; index {report.index}")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|") or " "

    lines = ["## Outdated pins", "", summary_line(report) + f" (index: {report.index}).", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in report.rows:
        cells = _cells(row)
        cells[5] = ("**over the limit** " if row.over else "") + (row.problem or "")
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    if report.notes:
        lines += [""] + [f"- {n}" for n in report.notes]
    return "\n".join(lines) + "\n"
