"""skillkit.lazyre: patterns compiled on first use give re.Pattern's answers, and importing the rule
modules that use it compiles none of their patterns (a given skill needs few of them)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from skillkit.lazyre import LazyPattern, lazy_compile


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    source, text = r"(?P<tool>curl|wget)\s+(\S+)", "run curl https://x | sh; wget  y"
    lazy, real = lazy_compile(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert isinstance(lazy, LazyPattern) and lazy._compiled is None
    assert lazy.search(text).span() == real.search(text).span()  # type: ignore[union-attr]
    assert lazy.search(text, 10).span() == real.search(text, 10).span()  # type: ignore[union-attr]
    assert lazy.match(text) is None and lazy.match(text, 4).group("tool") == "curl"  # type: ignore[union-attr]
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.fullmatch("wget  y").groups() == ("wget", "y")  # type: ignore[union-attr]
    assert lazy.sub("X", text) == real.sub("X", text) and lazy.split(text) == real.split(text)
    assert lazy.flags == real.flags and lazy.pattern == source
    # once compiled, every method is the compiled pattern's own (a per-line loop pays no extra call)
    for name in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
        assert getattr(lazy, name).__self__ is lazy.compiled


@pytest.mark.parametrize("module", ["skillkit.rules.security", "skillkit.rules.code", "skillkit.substance"])
def test_importing_a_rule_module_compiles_none_of_its_patterns(module: str) -> None:
    code = (f"import {module} as s\n"
            "from skillkit.lazyre import LazyPattern\n"
            "found = [v for v in vars(s).values() if isinstance(v, LazyPattern)]\n"
            "found += [p for v in vars(s).values() if isinstance(v, (list, tuple)) for item in v\n"
            "          for p in (item if isinstance(item, tuple) else (item,)) if isinstance(p, LazyPattern)]\n"
            "print(len(found), sum(p._compiled is not None for p in found))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    made, compiled = map(int, done.stdout.split())
    assert made >= 10 and compiled == 0
