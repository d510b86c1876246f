"""Score quartiles (and tiers) of skill libraries: `python bench/score_quartiles.py DIR ...`.

Runs `skillkit score DIR --format json --no-cache` per folder (absent ones are skipped) and prints the
minimum, quartiles and maximum of the scores with the tier counts, to compare scoring models.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path


def quartiles(values: list[float]) -> tuple[float, float, float, float, float]:
    values = sorted(values)
    if len(values) < 2:
        v = values[0] if values else 0.0
        return v, v, v, v, v
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return values[0], q1, q2, q3, values[-1]


def main(argv: list[str]) -> int:
    skillkit = str(Path(sys.executable).with_name("skillkit"))
    print("| library | skills | min | Q1 | median | Q3 | max | gold / standard / draft |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for folder in argv:
        if not Path(folder).is_dir():
            print(f"skipped {folder}: absent", file=sys.stderr)
            continue
        run = subprocess.run([skillkit, "score", folder, "--format", "json", "--no-cache"],
                             capture_output=True, text=True, check=False)
        skills = json.loads(run.stdout)["skills"]
        scores = [s["score"] for s in skills]
        tiers = [sum(1 for s in skills if s["tier"] == t) for t in ("gold", "standard", "draft")]
        low, q1, q2, q3, high = quartiles(scores)
        print(f"| {Path(folder).name} | {len(scores)} | {low:.1f} | {q1:.1f} | {q2:.1f} | {q3:.1f} | {high:.1f} | "
              f"{' / '.join(map(str, tiers))} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
