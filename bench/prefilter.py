#!/usr/bin/env python3
"""CPU time of the security rules (SK601-SK606) per prefilter back end, in one process, interleaved.

The shared text scans are built outside the timing; each back end gets freshly loaded skills, chunk by
chunk, so a loaded machine slows every contender alike. ``--against OLD_SECURITY_PY`` adds an older
``rules/security.py`` (e.g. ``git show main:src/skillkit/rules/security.py > /tmp/old.py``) as a column:

    python bench/prefilter.py /tmp/skillkit-bench/tree-1000 --against /tmp/old.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import skillkit.rules as registry
from skillkit import prefilter
from skillkit.config import default_settings
from skillkit.discover import discover
from skillkit.parse import load_skill
from skillkit.rules import security

RULES = ["SK601", "SK602", "SK603", "SK604", "SK605", "SK606"]


def load_old(path: Path) -> ModuleType:
    saved = dict(registry.REGISTRY)
    registry.REGISTRY.clear()  # the old module registers the same rule IDs
    try:
        spec = importlib.util.spec_from_file_location("old_security", path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return module
    finally:
        registry.REGISTRY.clear()
        registry.REGISTRY.update(saved)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--against", type=Path, help="an older rules/security.py to time as well")
    parser.add_argument("--chunk", type=int, default=50)
    args = parser.parse_args()
    contenders: dict[str, tuple[ModuleType, str]] = {}
    if args.against:
        contenders["old"] = (load_old(args.against), "portable")
    contenders["portable"] = (security, "portable")
    prefilter.set_backend(None)
    if prefilter.backend() == "hyperscan":
        contenders["hyperscan"] = (security, "hyperscan")
    active = {a.rule.id: a for a in default_settings().rules if a.rule.id in RULES}
    refs = discover([args.path]).skills
    costs = {name: dict.fromkeys(RULES, 0.0) for name in contenders}
    for start in range(0, len(refs), args.chunk):
        chunk = refs[start : start + args.chunk]
        for name, (module, backend) in contenders.items():
            prefilter.set_backend(backend)
            skills = [load_skill(r.dir, r.skill_md, r.root) for r in chunk]
            for skill in skills:
                module.text_files(skill)
                module.text_files(skill, True)
            for rule_id in RULES:
                run = getattr(module, active[rule_id].rule.check.__name__)
                options = active[rule_id].options or active[rule_id].rule.options and active[rule_id].rule.options()
                t = time.process_time()
                for skill in skills:
                    for _ in run(skill, options) if active[rule_id].rule.options else run(skill):
                        pass
                costs[name][rule_id] += time.process_time() - t
    print(f"{len(refs)} skills; CPU s per rule, shared scans built outside the timing\n")
    print("| rule | " + " | ".join(contenders) + " |")
    print("|---|" + "---:|" * len(contenders))
    for rule_id in RULES + ["total"]:
        cells = [sum(c.values()) if rule_id == "total" else c[rule_id] for c in costs.values()]
        print(f"| {rule_id} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
