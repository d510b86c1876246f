#!/usr/bin/env python3
"""Is `symtable.symtable` a safe, cheaper stand-in for `ast.parse` in the Python syntax check?

Lints the skills under each PATH (serially, every rule, as `bench/rule_costs.py` does) and records every
text the linter hands to `skillkit.rules.code.python_problem` (SK303 blocks after normalising, SK305's
"is this shell block Python?" check, SK306 scripts). Then gives each text to `ast.parse` and to
`symtable.symtable` and prints how many verdicts (ok, or the exception's type, line, column and message)
differ, the first differences, and the CPU time of each parser over all texts:

    python bench/syntax_check.py /work/pub/* skills tests/fixtures
"""

from __future__ import annotations

import argparse
import ast
import sys
import symtable
import time
from pathlib import Path

from skillkit.config import default_settings
from skillkit.discover import discover
from skillkit.engine import BATCH
from skillkit.parse import load_skill
from skillkit.rules import code
from skillkit.rules.code import prepare_shell


def collect(paths: list[Path]) -> list[str]:
    texts: list[str] = []
    original = code.python_problem

    def recording(text: str):  # type: ignore[no-untyped-def]
        texts.append(text)
        return original(text)

    code.python_problem = recording  # type: ignore[assignment]
    try:
        rules = default_settings().rules
        for path in paths:
            refs = discover([path]).skills
            for start in range(0, len(refs), BATCH):
                skills = [load_skill(r.dir, r.skill_md, r.root) for r in refs[start : start + BATCH]]
                prepare_shell(skills)
                for skill in skills:
                    for active in rules:
                        for _ in active.rule.run(skill, active.options):
                            pass
    finally:
        code.python_problem = original  # type: ignore[assignment]
    return texts


def verdict(parse, text: str) -> object:  # type: ignore[no-untyped-def]
    try:
        parse(text)
    except SyntaxError as exc:
        return ("SyntaxError", exc.lineno, exc.offset, exc.msg)
    except code.PARSER_LIMITS as exc:
        return (type(exc).__name__, str(exc))
    return "ok"


def timed(parse, texts: list[str]) -> tuple[list[object], float]:  # type: ignore[no-untyped-def]
    start = time.process_time()
    out = [verdict(parse, text) for text in texts]
    return out, time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=10, help="differences to print")
    args = parser.parse_args()
    texts = collect(args.paths)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    contenders = {
        "ast.parse": ast.parse,
        "symtable": lambda text: symtable.symtable(text, "<block>", "exec"),
        "python_problem": code.python_problem,  # what the linter uses now
    }
    results = {}
    for name, parse in contenders.items():
        if name == "python_problem":
            start = time.process_time()
            problems = [parse(text) for text in texts]
            results[name] = (problems, time.process_time() - start)
        else:
            results[name] = timed(parse, texts)
    reference, _ = results["ast.parse"]
    failing = sum(v != "ok" for v in reference)
    print(f"{len(texts)} texts ({sum(map(len, texts)):,} characters), {failing} do not parse with ast.parse")
    for name, (found, seconds) in results.items():
        if name == "python_problem":
            expected = [None if v == "ok" else (v[1], v[2], v[3]) if v[0] == "SyntaxError" else v for v in reference]
            same = [p == e or (p is not None and p[0] is None and e != "ok" and e[0] != "SyntaxError")
                    for p, e in zip(found, expected)]
        else:
            same = [a == b for a, b in zip(found, reference)]
        print(f"{name:15s} {seconds:7.2f} s CPU, {same.count(False)} verdicts differ from ast.parse")
        shown = 0
        for ok, text, mine, theirs in zip(same, texts, found, reference):
            if not ok and shown < args.show:
                shown += 1
                print(f"    {mine!r} vs {theirs!r}: {text[:80]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
