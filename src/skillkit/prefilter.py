"""One pass per text for the literal anchors of the text-scanning rules (SK601-SK606).

Each exact pattern needs one of a few literal *anchors* (`curl`, `sk-`, `AKIA`, ...): it cannot match
where none occurs. An :class:`Anchors` set finds, in one pass over a text, the lines holding each group
of anchors; the rules then run their exact patterns on those lines only, or skip a text with no hit.
Two back ends give the same lines: Hyperscan (``pip install 'agent-skillkit[fast]'``: one automaton scan
for every anchor) when it imports, else a portable ``str.find`` loop per anchor (an alternation regex
of the anchors ran slower on real skills). ``SKILLKIT_PREFILTER=portable`` forces the portable one.

Caseless groups match ASCII letters in any case. Python's case-insensitive match and ``str.lower``
also map a few non-ASCII letters onto ASCII ones (U+0130, U+0131, U+017F, U+212A): a text holding one
of them reports such a group everywhere (``None``), so the caller falls back to the whole text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from skillkit.textscan import first_per_line

#: Non-ASCII letters that case-insensitive matching or ``str.lower`` turns into ASCII ones.
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"

_BACKEND: str | None = None  # "hyperscan" or "portable", decided on first use


def backend() -> str:
    """The back end in use: Hyperscan when it imports (and is not turned off), else portable."""
    global _BACKEND
    if _BACKEND is None:
        _BACKEND = "portable"
        if os.environ.get("SKILLKIT_PREFILTER", "").lower() != "portable":
            try:
                import hyperscan

                hyperscan.Database().compile(expressions=[b"a"])  # the CPU may lack what the library needs
            except Exception:  # noqa: BLE001 - an optional extra: any failure means the portable path
                pass
            else:
                _BACKEND = "hyperscan"
    return _BACKEND


def set_backend(name: str | None) -> None:
    """Force a back end (``"hyperscan"``, ``"portable"``), or ``None`` to decide again. For tests."""
    global _BACKEND
    _BACKEND = name


def line_starts(text: str, hits: list[int]) -> list[int]:
    """The start of each line of ``text`` holding one of ``hits`` (offsets), once each, in order. Linear:
    hits on a line already taken are skipped without walking back to its start."""
    hits.sort()
    out: list[int] = []
    end = -1  # where the last line taken ends (its newline)
    for hit in hits:
        if hit <= end:
            continue
        out.append(text.rfind("\n", 0, hit) + 1)
        end = text.find("\n", hit)
        if end == -1:
            break
    return out


class Anchors:
    """Named groups of literal anchors, found together in one pass per text.

    ``groups`` maps a name to its anchor words; the names in ``caseless`` match ASCII case-insensitively.
    """

    def __init__(self, groups: dict[str, Sequence[str]], caseless: Sequence[str] = ()) -> None:
        self.groups = {name: tuple(words) for name, words in groups.items()}
        self.caseless = frozenset(caseless)
        for name, words in self.groups.items():
            if not words or any(not w or "\n" in w or (name in self.caseless and not w.isascii()) for w in words):
                raise ValueError(f"anchor group {name!r} needs non-empty words without line breaks (ASCII if caseless)")
        # (group, word) pairs, each word once per group
        self.entries = [(name, word) for name, words in self.groups.items() for word in dict.fromkeys(words)]
        self._finders = {name: _portable_finders([w.lower() for w in words] if name in self.caseless else words)
                         for name, words in self.groups.items()}
        self._sizes = [len(word.encode("utf-8")) for _, word in self.entries]
        self._hs: tuple[object, object] | None = None

    def lines(self, text: str) -> dict[str, list[int] | None]:
        """For each group, the starts of the lines of ``text`` holding one of its anchors (``None``: treat
        every line as a hit)."""
        if backend() == "hyperscan":
            return self._hyperscan_lines(text)
        return self._portable_lines(text)

    def _portable_lines(self, text: str) -> dict[str, list[int] | None]:
        folds = not text.isascii() and any(c in text for c in FOLDS_TO_ASCII)
        lowered: str | None = None
        found: dict[str, list[int] | None] = {}
        for name, finders in self._finders.items():
            if name in self.caseless:
                if folds:
                    found[name] = None
                    continue
                if lowered is None:  # without FOLDS_TO_ASCII, lowering keeps every offset
                    lowered = text.lower()
                found[name] = line_starts(text, first_per_line(lowered, finders))
            else:
                found[name] = line_starts(text, first_per_line(text, finders))
        return found

    def _database(self) -> tuple[object, object]:
        if self._hs is None:
            import hyperscan

            db = hyperscan.Database()
            flags = [hyperscan.HS_FLAG_CASELESS if name in self.caseless else 0 for name, _ in self.entries]
            db.compile(expressions=[_literal(word) for _, word in self.entries],
                       ids=list(range(len(self.entries))), elements=len(self.entries), flags=flags)
            self._hs = (db, hyperscan.Scratch(db))
        return self._hs

    def _hyperscan_lines(self, text: str) -> dict[str, list[int] | None]:
        db, scratch = self._database()
        ascii_text = text.isascii()
        data = text.encode("ascii") if ascii_text else text.encode("utf-8", "surrogatepass")
        ids: list[int] = []
        ends: list[int] = []

        def on_match(id_: int, start: int, end: int, flags: int, context: object) -> None:
            ids.append(id_)
            ends.append(end)

        db.scan(data, match_event_handler=on_match, scratch=scratch)  # type: ignore[attr-defined]
        sizes = self._sizes
        starts = [end - sizes[i] for i, end in zip(ids, ends)]  # byte offsets, equal to character ones in ASCII
        if not ascii_text and starts:
            starts = _char_offsets(data, starts)
        hits: dict[str, list[int]] = {name: [] for name in self.groups}
        for i, start in zip(ids, starts):
            hits[self.entries[i][0]].append(start)
        folds = not ascii_text and any(c in text for c in FOLDS_TO_ASCII)
        return {name: None if (folds and name in self.caseless) else line_starts(text, group_hits)
                for name, group_hits in hits.items()}


def _portable_finders(words: Sequence[str]) -> list[str | re.Pattern[str]]:
    """What the portable path looks for: each word with ``str.find``, except that three or more words
    differing in one character only (`nc ` `nc\t` ..., `ghp_` `gho_` ...) become one regex: its literal
    start is searched at C speed, much faster than one ``find`` pass per word."""
    left = list(dict.fromkeys(words))
    out: list[str | re.Pattern[str]] = []
    while left:
        word = left[0]
        best: list[str] = [word]
        for i in range(len(word) - 1, 0, -1):  # a literal start of at least one character
            family = [w for w in left if len(w) == len(word) and w[:i] == word[:i] and w[i + 1 :] == word[i + 1 :]]
            if len(family) > len(best):
                best, position = family, i
        if len(best) > 2:
            head, tail = word[:position], word[position + 1 :]
            out.append(re.compile(re.escape(head) + "[" + "".join(re.escape(w[position]) for w in best) + "]"
                                  + re.escape(tail)))
        else:
            best = [word]
            out.append(word)
        left = [w for w in left if w not in best]
    return out


def _literal(word: str) -> bytes:
    """A Hyperscan expression matching exactly the UTF-8 bytes of ``word``."""
    return "".join(f"\\x{byte:02x}" for byte in word.encode("utf-8")).encode()


def _char_offsets(data: bytes, offsets: list[int]) -> list[int]:
    """Character offsets of the UTF-8 byte ``offsets`` (each on a character boundary) of ``data``,
    decoding each stretch between two of them once."""
    order = sorted(range(len(offsets)), key=offsets.__getitem__)
    out = [0] * len(offsets)
    byte = char = 0
    for k in order:
        target = offsets[k]
        if target > byte:
            char += len(data[byte:target].decode("utf-8", "surrogatepass"))
            byte = target
        out[k] = char
    return out
