#!/usr/bin/env python3
"""Benchmark skillkit (and agnix, if installed) on synthetic skill trees, as whole processes.

Builds trees of N skills by copying real skills with their references round-robin, renaming each
copy's folder and `name:` (N = 100 and 1,000 by default; add 10000 with --sizes). Then, per tree: one
warm-up and --runs timed runs of each command, reporting the median wall time, skills per second and
the peak RSS of the process (os.wait4). Run it from the repository with skillkit installed:

    python bench/bench.py --source PATH/TO/AI-research-SKILLs --runs 5
    python bench/bench.py                      # falls back to this repository's skills/

agnix (`pip install agnix`, a Rust binary in a wheel) is timed on the same trees in the same run when
found on PATH or given with --agnix.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def find_skills(source: Path) -> list[Path]:
    found = []
    for md in sorted(source.rglob("SKILL.md")):
        if any(part.startswith(".") or part in ("node_modules", "__pycache__") for part in md.parts):
            continue
        found.append(md.parent)
    return found


def build_tree(skills: list[Path], count: int, target: Path) -> Path:
    if target.exists() and len(find_skills(target)) == count:
        return target  # reuse a tree built by an earlier run
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for i in range(count):
        src = skills[i % len(skills)]
        name = f"{src.name}-{i:05d}"
        dst = target / f"group-{i % 20:02d}" / name
        shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        md = dst / "SKILL.md"
        text = md.read_text(encoding="utf-8", errors="surrogateescape")
        md.write_text(re.sub(r"(?m)^name:.*$", f"name: {name}", text, count=1), encoding="utf-8",
                      errors="surrogateescape")
    return target


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, with the worker processes it waited for) and peak RSS
    (MB, of the largest single process) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_PROGRESS": "1"})
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(cmd: list[str], cwd: Path, runs: int, warmup: bool = True) -> tuple[float, float, float]:
    """Median wall seconds, median CPU seconds and the largest peak RSS over ``runs`` runs."""
    if warmup:
        run_once(cmd, cwd)
    times, cpus, rss = [], [], []
    for _ in range(runs):
        t, c, m = run_once(cmd, cwd)
        times.append(t)
        cpus.append(c)
        rss.append(m)
    return statistics.median(times), statistics.median(cpus), max(rss)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("skills"), help="folder of real skills to copy")
    parser.add_argument("--sizes", default="100,1000", help="comma-separated tree sizes (e.g. 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median reported)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the untimed first run (for 10,000-skill trees; the cached row still gets one)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillkit-bench"), help="where trees are built")
    parser.add_argument("--skillkit", default=shutil.which("skillkit") or "skillkit")
    parser.add_argument("--agnix", default=shutil.which("agnix"))
    args = parser.parse_args()

    skills = find_skills(args.source)
    if not skills:
        print(f"no skills under {args.source}", file=sys.stderr)
        return 2
    sk = os.path.abspath(args.skillkit) if os.sep in args.skillkit else (shutil.which(args.skillkit) or args.skillkit)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}; load average at start: {load:.2f}; source: {args.source} ({len(skills)} skills); "
          f"runs: {args.runs}; python {sys.version.split()[0]}")
    print()
    print("| skills | command | median wall s | median CPU s | skills/s (wall) | vs agnix (wall) | vs agnix (CPU) "
          "| peak RSS MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for label, cmd in (("skillkit --version", [sk, "--version"]), ("skillkit --help", [sk, "--help"])):
        t, c, m = measure(cmd, Path.cwd(), args.runs)
        print(f"| - | `{label}` | {t:.3f} | {c:.3f} | - | - | - | {m:.0f} |")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        tree = build_tree(skills, size, args.work / f"tree-{size}")
        rows = [
            ("skillkit lint --format json --no-cache (cold)", [sk, "lint", "--format", "json", "--no-cache", str(tree)],
             not args.no_warmup),
            ("skillkit lint --format json (re-run, cached)", [sk, "lint", "--format", "json", str(tree)], True),
            ("skillkit score --format json", [sk, "score", "--format", "json", str(tree)], not args.no_warmup),
        ]
        results = []
        if args.agnix:  # first, so every skillkit row can be compared with it
            t, c, m = measure([args.agnix, "--format", "json", str(tree)], args.work, args.runs, not args.no_warmup)
            results.append(("agnix --format json", t, c, m))
        agnix_t, agnix_c = (results[0][1], results[0][2]) if results else (None, None)
        for label, cmd, warm in rows:
            t, c, m = measure(cmd, args.work, args.runs, warm)
            results.append((label, t, c, m))
        for label, t, c, m in results:
            ratio = f"{t / agnix_t:.2f}x" if agnix_t else "-"
            cpu_ratio = f"{c / agnix_c:.2f}x" if agnix_c else "-"
            print(f"| {size:,} | `{label}` | {t:.2f} | {c:.2f} | {size / t:,.0f} | {ratio} | {cpu_ratio} | {m:.0f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
