"""The mutation fuzzing campaign of tests/test_fuzz.py, for as long as you like.

    python bench/fuzz.py --minutes 60 --seed 1 --out fuzz-failures

Makes rounds of ``--count`` mutants (seed skills: the rule fixtures, tests/fixtures and skills/), checks
every invariant through the real command line (see ``tests/skill_fuzz.py``), and at the end prints the
number of mutants and of failures by kind. Each failing mutant is copied to ``OUT/<kind>/<round>-<mutant>/``
with ``failure.txt`` (seed skill, mutations, command, what broke) to reproduce it:
``skillkit lint OUT/<kind>/<...>/<mutant>``. Round r uses ``random.Random(f"{seed}:{r}")``, so a seed
replays the same campaign; ``--once --test-seed --seed 24 --count 120`` makes exactly the mutants of
tests/test_fuzz.py (``random.Random(24)``).
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import skill_fuzz  # noqa: E402


def save(failure: skill_fuzz.Failure, mutant: skill_fuzz.Mutant | None, tree: Path, out: Path, round_no: int) -> None:
    folder = out / failure.kind / f"{round_no:04d}-{failure.mutant}"
    if folder.exists():
        with open(folder / "failure.txt", "a", encoding="utf-8") as handle:
            handle.write(f"\n{failure.command}\n{failure.detail}\n")
        return
    folder.mkdir(parents=True)
    source = tree / failure.mutant
    if source.is_dir():
        shutil.copytree(source, folder / failure.mutant, symlinks=True)
    origin = f"seed skill: {mutant.seed}\nmutations: {mutant.mutations}\n" if mutant else ""
    (folder / "failure.txt").write_text(f"{origin}{failure.command}\n{failure.detail}\n", encoding="utf-8",
                                        errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="Stop starting rounds after this long.")
    parser.add_argument("--seed", default="1", help="Seed of the campaign (any string).")
    parser.add_argument("--count", type=int, default=150, help="Mutants per round.")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="Folder for failing mutants.")
    parser.add_argument("--once", action="store_true", help="One round only.")
    parser.add_argument("--test-seed", action="store_true",
                        help="Use random.Random(int(seed)) for the first round, as tests/test_fuzz.py does.")
    parser.add_argument("--no-isolation", action="store_true", help="Skip the lint-alone runs (faster).")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds one command may take.")
    args = parser.parse_args(argv)

    seeds = skill_fuzz.seed_skills()
    deadline = time.monotonic() + args.minutes * 60
    kinds: collections.Counter[str] = collections.Counter()
    mutants_done = rounds = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="skillkit-fuzz-") as scratch:
        while True:
            rng = random.Random(int(args.seed)) if args.test_seed and rounds == 0 else random.Random(f"{args.seed}:{rounds}")
            base = Path(scratch) / f"r{rounds}"
            mutants = skill_fuzz.make_tree(rng, seeds, base / "tree", base / "outside", args.count)
            failures = skill_fuzz.check_tree(base / "tree", mutants, isolation=not args.no_isolation,
                                             timeout=args.timeout)
            by_name = {m.name: m for m in mutants}
            for failure in failures:
                kinds[failure.kind] += 1
                save(failure, by_name.get(failure.mutant), base / "tree", args.out, rounds)
            mutants_done += len(mutants)
            rounds += 1
            print(f"round {rounds}: {len(mutants)} mutants, {len(failures)} failures "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
            shutil.rmtree(base, ignore_errors=True)
            if args.once or time.monotonic() >= deadline:
                break
    print(f"\n{mutants_done} mutants in {rounds} rounds, {sum(kinds.values())} failures"
          + (f"; failing mutants saved under {args.out}/" if kinds else ""))
    for kind, n in kinds.most_common():
        print(f"  {kind:<28} {n}")
    return 1 if kinds else 0


if __name__ == "__main__":
    raise SystemExit(main())
