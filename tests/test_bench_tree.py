"""bench/bench.py builds honest trees (issue 22): no two skills share a code block, and the mutation
keeps code parseable (every Python block that parsed before still parses)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

from skillkit.discover import discover
from skillkit.parse import load_skill
from skillkit.rules.code import fence_body

REPO = Path(__file__).resolve().parent.parent


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("skillkit_bench", REPO / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["skillkit_bench"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def blocks(tree: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Per skill folder name: (file relative to the skill, language, body) of every fenced block."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for ref in discover([tree]).skills:
        skill = load_skill(ref.dir, ref.skill_md, ref.root)
        found = []
        for doc in skill.markdown_docs():
            for fence in doc.fences:
                found.append((str(Path(doc.path).relative_to(ref.dir)), fence.language, fence_body(doc, fence)[1]))
        out[ref.dir.name] = found
    return out


def parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def test_every_code_block_is_unique_to_its_skill_and_python_still_parses(tmp_path: Path) -> None:
    bench = load_bench()
    sources = bench.find_skills(REPO / "skills")[:8]
    tree = bench.build_tree(sources, 20, tmp_path / "tree")  # each source copied two or three times
    plain = bench.build_tree(sources, 20, tmp_path / "plain", unique=False)
    mutated, original = blocks(tree), blocks(plain)
    assert len(mutated) == 20 and mutated.keys() == original.keys()

    owners: dict[str, set[str]] = defaultdict(set)
    for skill, found in mutated.items():
        for _, _, body in found:
            if body.strip():
                owners[body].add(skill)
    shared = {body[:60]: skills for body, skills in owners.items() if len(skills) > 1}
    assert len(owners) > 200 and not shared
    # without the mutation the copies do share blocks: the check above can fail
    plain_owners: dict[str, set[str]] = defaultdict(set)
    for skill, found in original.items():
        for _, _, body in found:
            plain_owners[body].add(skill)
    assert any(len(skills) > 1 for body, skills in plain_owners.items() if body.strip())

    python = 0
    for skill, found in original.items():
        assert len(found) == len(mutated[skill])
        for (path, language, before), (path2, language2, after) in zip(found, mutated[skill]):
            assert (path, language) == (path2, language2)
            if language in ("python", "py") and parses(before):
                python += 1
                assert parses(after), f"{skill}/{path}: mutated block no longer parses:\n{after}"
                assert after != before
    assert python > 50
