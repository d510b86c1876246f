"""Whole-text regex scans with line numbers.

Running one ``finditer`` over a file is many times faster than one ``search`` per line; a :class:`Scan`
joins the lines it is given and maps match offsets back to (line, column).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

from skillkit.model import MarkdownDoc


class Scan:
    """A text made of numbered lines; maps offsets back to (line, column). Line starts are worked out on
    the first call of :meth:`position`: most scans find nothing and never need them."""

    __slots__ = ("path", "text", "numbers", "anchors", "_parts", "_starts", "_line")

    def __init__(self, path: Path | None, text: str, numbers: Sequence[int], parts: Sequence[str]) -> None:
        self.path = path
        self.text = text
        self.numbers = numbers
        self.anchors: dict[str, list[int] | None] | None = None  # prefilter lines, filled by the first rule asking
        self._parts: Sequence[str] | None = parts
        self._starts: list[int] | None = None
        self._line: tuple[int, int, str] = (0, -1, "")

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            parts = self._parts or []
            self._starts = list(accumulate((len(line) + 1 for line in parts[:-1]), initial=0)) if parts else []
            self._parts = None
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        starts = self.starts
        index = bisect_right(starts, offset) - 1
        return self.numbers[index], offset - starts[index] + 1

    def line_at(self, offset: int) -> str:
        """The whole (logical) line around ``offset``: with folded continuations, the whole command.
        The last answer is kept: rules ask once per match, and a line can hold thousands of them."""
        start, end, line = self._line
        if start <= offset <= end:
            return line
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        end = end if end != -1 else len(self.text)
        self._line = (start, end, self.text[start:end])
        return self._line[2]


def make_scan(path: Path | None, numbered: list[tuple[int, str]], fold_continuations: bool = False) -> Scan:
    """A Scan of ``(line_number, text)`` pairs. With ``fold_continuations`` a backslash-newline becomes two
    spaces, so a continued shell command reads as one line while offsets stay where they were."""
    parts = [line for _, line in numbered]
    text = "\n".join(parts)
    if fold_continuations:
        text = text.replace("\\\n", "  ")
    return Scan(path, text, [number for number, _ in numbered], parts)


def scan_lines(path: Path | None, lines: Sequence[str], fold_continuations: bool = False) -> Scan:
    """A Scan of a whole file's lines, numbered from 1 (no pairs built, no copy of the list)."""
    text = "\n".join(lines)
    if fold_continuations and "\\\n" in text:
        text = text.replace("\\\n", "  ")
    return Scan(path, text, range(1, len(lines) + 1), lines)


def candidate_lines(text: str, words: Sequence[str]) -> list[tuple[int, str]]:
    """``(offset, line)`` of each line of ``text`` that contains one of ``words``, once per line, in order.

    For rules whose patterns cannot cross a line: a ``str.find`` pass per word (C speed; an alternation
    regex such as ``curl|wget|scp`` runs some 40 times slower, because the engine tries it at every
    position), then the costly patterns on the few lines that can match. A line that ends in a pipe `|`
    is taken with the line below it, as the shell does.
    """
    return logical_lines(text, first_per_line(text, words))


def first_per_line(text: str, finders: Sequence[str | re.Pattern[str]]) -> list[int]:
    """An offset on each line holding a match of one of ``finders`` (words or compiled patterns), per
    finder, unsorted: after a hit the search resumes at the end of its line, so each line costs one hit."""
    hits: list[int] = []
    for finder in finders:
        if isinstance(finder, str):
            index = text.find(finder)
            while index != -1:
                hits.append(index)
                end = text.find("\n", index)
                if end == -1:
                    break
                index = text.find(finder, end)
        else:
            match = finder.search(text)
            while match is not None:
                hits.append(match.start())
                end = text.find("\n", match.start())
                if end == -1:
                    break
                match = finder.search(text, end)
    return hits


def logical_lines(text: str, hits: list[int]) -> list[tuple[int, str]]:
    """``(offset, line)`` of each logical line (lines ending in `|` joined to the one below) of ``text``
    holding one of the ``hits`` (offsets, e.g. line starts from :mod:`skillkit.prefilter`), in order."""
    hits.sort()
    # Hits in order, each logical line built once: walking back from every hit over a file of `x |`
    # lines (one logical line) cost the file's length per hit.
    out = []
    done = -1  # where the last logical line taken ends
    for index in hits:
        if index <= done:
            continue
        start = text.rfind("\n", 0, index) + 1
        while start > 0:  # a line ending in `cmd |` goes on in the line below: take both
            above = text.rfind("\n", 0, start - 1) + 1
            if not text[above : start - 1].rstrip(" \t").endswith("|"):
                break
            start = above
        line_start = start
        end = text.find("\n", start)
        while end != -1 and text[line_start:end].rstrip(" \t").endswith("|"):
            line_start = end + 1
            end = text.find("\n", line_start)
        done = end if end != -1 else len(text)
        out.append((start, text[start:done]))
    return out


def hit_windows(text: str, words: Sequence[str], radius: int) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` spans of ``text`` reaching ``radius`` characters either side of each
    occurrence of one of ``words``: where a regex that must contain one of them can match, across line
    breaks too. Run the regex on each span instead of the whole text (see :func:`candidate_lines`)."""
    hits: list[int] = []
    for word in words:
        index = text.find(word)
        while index != -1:
            hits.append(index)
            index = text.find(word, index + 1)
    hits.sort()
    spans: list[tuple[int, int]] = []
    for hit in hits:
        start, end = max(0, hit - radius), min(len(text), hit + radius)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def prose_scan(doc: MarkdownDoc) -> Scan:
    """The prose of ``doc`` (code blocks left out, inline code spans blanked), built once per document."""
    if doc._prose_scan is None:
        from skillkit.rules.links import blank_code_spans

        doc._prose_scan = make_scan(doc.path, [(n, blank_code_spans(t)) for n, t in doc.prose_lines()])
    return doc._prose_scan  # type: ignore[no-any-return]
