"""Compiled regular expressions that compile on first use.

Python compiles a pattern in pure Python (``re._parser``, ``re._compiler``): the 45 patterns of the
security rules took about 6 ms in every process, a pre-commit hook's one-skill lint included, although
the anchor prefilter (``skillkit.prefilter``) lets only a few of them run on a given skill. A
:class:`LazyPattern` holds the source and compiles it the first time a method is called; it then puts
the compiled pattern's own methods on itself, so later calls (a rule's per-line loop) go straight to C.

Example::

    PIPE = lazy_compile(r"\\|\\s*sh\\b")   # nothing compiled yet
    PIPE.search("curl x | sh")           # compiled now, then a normal re.Pattern call
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class LazyPattern:
    """The methods of ``re.Pattern`` that the rules use, compiled on first call."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
            # instance attributes shadow the methods below: from now on no Python call in between
            for name in _METHODS:
                setattr(self, name, getattr(self._compiled, name))
        return self._compiled

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.search(string, *args)

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.match(string, *args)

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, *args)

    def findall(self, string: str, *args: int) -> list[Any]:
        return self.compiled.findall(string, *args)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` deferred to the first call; typed as a Pattern, which it stands in for."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
