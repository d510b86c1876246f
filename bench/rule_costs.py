#!/usr/bin/env python3
"""Where a cold lint spends its CPU time: parsing, the shared `bash -n` batch, and each rule.

Runs in one process, serially, on the skills under PATH, and prints a table sorted by cost. It is the
profile behind the README's Performance section; run it before and after a speed change:

    python bench/rule_costs.py /tmp/skillkit-bench/tree-100
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from skillkit.config import default_settings
from skillkit.discover import discover
from skillkit.engine import BATCH
from skillkit.parse import load_skill
from skillkit.rules.code import prepare_shell


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=20, help="rows to print")
    args = parser.parse_args()
    refs = discover([args.path]).skills
    rules = default_settings().rules
    costs: dict[str, float] = {}
    total_start = time.process_time()
    for start in range(0, len(refs), BATCH):
        t = time.process_time()
        skills = [load_skill(r.dir, r.skill_md, r.root) for r in refs[start : start + BATCH]]
        costs["(parse)"] = costs.get("(parse)", 0.0) + time.process_time() - t
        t = time.perf_counter()  # bash runs in a child process: wall time, not this process's CPU
        prepare_shell(skills)
        costs["(bash -n batch, wall)"] = costs.get("(bash -n batch, wall)", 0.0) + time.perf_counter() - t
        for skill in skills:
            for ar in rules:
                t = time.process_time()
                for _ in ar.rule.run(skill, ar.options):
                    pass
                key = f"{ar.rule.id} {ar.rule.name}"
                costs[key] = costs.get(key, 0.0) + time.process_time() - t
    total = time.process_time() - total_start
    print(f"{len(refs)} skills, {total:.2f} s CPU in this process (bash children not included)\n")
    print("| step | CPU s | share |")
    print("|---|---:|---:|")
    for key, cost in sorted(costs.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"| {key} | {cost:.3f} | {cost / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
