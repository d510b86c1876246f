"""The Python syntax check (SK303, SK305's Python hint, SK306) parses with ``symtable`` and must give
``ast.parse``'s verdict on every text, also where the symbol table alone objects."""

from __future__ import annotations

import ast

import pytest

from conftest import run_rules
from skillkit.rules import all_rules
from skillkit.rules.code import PARSER_LIMITS, python_problem

# symtable.symtable raises SyntaxError on each of these; ast.parse accepts them.
SYMTABLE_ONLY = [
    "nonlocal x",
    "def f(x, x): pass",
    "lambda a, a: 0",
    "def f():\n    x = 1\n    global x",
    "def f():\n    from os import *",
    "class A:\n    [y := 1 for x in range(3)]",
    "def f():\n    global x\n    x: int = 1",
    "from __future__ import braces",
    "[x for x in (y := [1])]",
    "def f():\n    nonlocal q",
]
BROKEN = ["x = (", "def f(:\n    pass", "x=1\0", "(" * 300 + ")" * 300, "None = 1", "print 'x'", "  x = 1\ny = 2"]


def _ast_verdict(text: str) -> tuple[int | None, int | None, str] | None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.lineno, exc.offset, exc.msg
    except PARSER_LIMITS as exc:
        return None, None, str(exc)
    return None


@pytest.mark.parametrize("text", SYMTABLE_ONLY + BROKEN + ["x = 1", "async def f():\n    await g()"])
def test_the_verdict_is_ast_parse_s(text):
    assert python_problem(text) == _ast_verdict(text)


def test_a_block_only_the_symbol_table_rejects_is_not_reported(write_skill):
    body = "".join(f"```python\n{text}\n```\n\n" for text in SYMTABLE_ONLY)
    text = "---\nname: symtable\ndescription: Checks blocks. Use when testing.\n---\n\n# T\n\n" + body
    broken_line = text.count("\n") + 2  # the line of `x = (` below
    folder = write_skill("symtable", {"SKILL.md": text + "```python\nx = (\n```\n", "scripts/s.py": "nonlocal x\n"})
    rules = [r for r in all_rules() if r.id in ("SK303", "SK306")]
    found = [(d.rule, d.line) for d in run_rules(folder.parent, rules)]
    assert found == [("SK303", broken_line)]
