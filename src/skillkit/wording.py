"""Small helpers for the words skillkit prints."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 line``, ``2 lines``, ``0 entries`` (pass ``many`` where adding an s is wrong)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
