"""Draw findings of the default profile at random for labelling: `python bench/precision_draw.py [--pub /work/pub]`.

Runs `skillkit lint LIB --format json --no-cache` on each public library under PUB from an empty temporary
folder (no configuration: the default `recommended` profile), then draws with `random.Random(--seed)` (SEED unless given): every
finding of a library with at most `--per-library` of them, else `--per-library` at random. Prints JSON rows
(library, library-relative path, line, rule, severity, message, the line's text) for docs/precision.md and
tests/precision/labels.json; the labels themselves are written by reading each skill.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

LIBRARIES = ("anthropics+skills", "obra+superpowers", "K-Dense-AI+claude-scientific-skills",
             "zechenzhangAGI+AI-research-SKILLs")
SEED = 2026  # the final draw of docs/precision.md


def findings(skillkit: str, library: Path) -> list[dict]:
    with tempfile.TemporaryDirectory() as empty:
        out = subprocess.run([skillkit, "lint", str(library), "--format", "json", "--no-cache"], capture_output=True,
                             text=True, check=False, cwd=empty)
    return json.loads(out.stdout)["diagnostics"]


def line_text(path: Path, line: int | None) -> str:
    if not line:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")[line - 1].strip()
    except (OSError, IndexError):
        return ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pub", default="/work/pub")
    parser.add_argument("--per-library", type=int, default=32)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    skillkit = str(Path(sys.executable).with_name("skillkit"))
    rng = random.Random(args.seed)
    rows = []
    for name in LIBRARIES:
        library = Path(args.pub) / name
        found = sorted(findings(skillkit, library), key=lambda d: (d["path"], d["line"] or 0, d["rule"], d["message"]))
        drawn = found if len(found) <= args.per_library else rng.sample(found, args.per_library)
        for d in sorted(drawn, key=lambda d: (d["rule"], d["path"], d["line"] or 0)):
            path = Path(d["path"])
            rows.append({"library": name, "path": str(path.relative_to(library)), "line": d["line"], "rule": d["rule"],
                         "severity": d["severity"], "message": d["message"], "line_text": line_text(path, d["line"])})
    json.dump(rows, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
