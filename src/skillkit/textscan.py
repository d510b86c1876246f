"""Whole-text regex scans with line numbers.

Running one ``finditer`` over a file is many times faster than one ``search`` per line; a :class:`Scan`
joins the lines it is given and maps match offsets back to (line, column).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass
from pathlib import Path

from skillkit.model import MarkdownDoc


@dataclass
class Scan:
    path: Path | None
    text: str
    starts: list[int]
    numbers: list[int]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.numbers[index], offset - self.starts[index] + 1

    def line_at(self, offset: int) -> str:
        """The whole (logical) line around ``offset``: with folded continuations, the whole command."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start : end if end != -1 else len(self.text)]


def make_scan(path: Path | None, numbered: list[tuple[int, str]], fold_continuations: bool = False) -> Scan:
    """A Scan of ``(line_number, text)`` pairs. With ``fold_continuations`` a backslash-newline becomes two
    spaces, so a continued shell command reads as one line while offsets stay where they were."""
    parts = [line for _, line in numbered]
    numbers = [number for number, _ in numbered]
    text = "\n".join(parts)
    starts = list(accumulate((len(line) + 1 for line in parts[:-1]), initial=0)) if parts else []
    if fold_continuations:
        text = text.replace("\\\n", "  ")
    return Scan(path, text, starts, numbers)


def prose_scan(doc: MarkdownDoc) -> Scan:
    """The prose of ``doc`` (code blocks left out, inline code spans blanked), built once per document."""
    if doc._prose_scan is None:
        from skillkit.rules.links import blank_code_spans

        doc._prose_scan = make_scan(doc.path, [(n, blank_code_spans(t)) for n, t in doc.prose_lines()])
    return doc._prose_scan  # type: ignore[no-any-return]
