"""Baselines: record today's findings once, then report only new ones (adopting skillkit on an old library).

A finding's fingerprint is its file, rule, message (digits folded, so "612 lines" and "615 lines" match)
and the text of its line, not the line number: inserting lines above a finding does not make it "new".
Identical fingerprints are counted, so a second copy of a known problem is still reported.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from skillkit.atomic import write_atomic
from skillkit.diagnostics import Diagnostic

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used (exit 2)."""


def _line_text(path: str, line: int | None, cache: dict[str, list[str]]) -> str:
    if not line:
        return ""
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


def fingerprint(d: Diagnostic, cache: dict[str, list[str]]) -> str:
    message = re.sub(r"\d+", "#", d.message)
    raw = "\x1f".join((d.path, d.rule, message, _line_text(d.path, d.line, cache)))
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def write_baseline(path: Path, diagnostics: list[Diagnostic]) -> int:
    cache: dict[str, list[str]] = {}
    counts = Counter(fingerprint(d, cache) for d in diagnostics)
    data = {"tool": "skillkit", "version": FORMAT_VERSION, "findings": dict(sorted(counts.items()))}
    write_atomic(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return sum(counts.values())


def load_baseline(path: Path) -> Counter[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (make one with --write-baseline)") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a skillkit baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "skillkit" or not isinstance(data.get("findings"), dict):
        raise BaselineError(f"{path}: not a skillkit baseline file")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format {data.get('version')} is not {FORMAT_VERSION}; write it again")
    return Counter({str(k): int(v) for k, v in data["findings"].items()})


def apply_baseline(diagnostics: list[Diagnostic], known: Counter[str]) -> tuple[list[Diagnostic], int]:
    """The diagnostics that are not in the baseline, and how many were."""
    cache: dict[str, list[str]] = {}
    left = Counter(known)
    new, hidden = [], 0
    for d in diagnostics:
        fp = fingerprint(d, cache)
        if left[fp] > 0:
            left[fp] -= 1
            hidden += 1
        else:
            new.append(d)
    return new, hidden
