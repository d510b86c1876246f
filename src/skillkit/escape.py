"""Printable text for every output: bytes that are not UTF-8 are shown as ``\\xNN``.

On Linux a file name is bytes. Python hands a name that is not valid UTF-8 (``bad\\xff.md``) to
skillkit as a str holding a lone surrogate (U+DCFF, the ``surrogateescape`` error handler), and
ROADMAP.md is read the same way. Written as is, such a string either crashes an encoder
(UnicodeEncodeError) or puts the raw byte on stdout, so the output is not UTF-8 and JSON does not parse.

One way of escaping, everywhere: each such byte becomes the four characters ``\\xNN``, as Python's
``backslashreplace`` error handler writes undecodable bytes (``b"bad\\xff.md".decode("utf-8",
"backslashreplace")``); any other lone surrogate becomes ``\\udNNN``. It is applied at the two places all
output goes through: :func:`printable` for display strings (``engine.display_path``) and the ``"skillkit-escape"``
error handler that the command line installs on stdout and stderr, and :func:`dumps` for every JSON
document (there the backslash is itself escaped, so the document parses and holds ``\\xNN``).
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any, TextIO

_SURROGATE = re.compile("[\ud800-\udfff]")
HANDLER = "skillkit-escape"


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every lone surrogate escaped (``\\xff`` for an undecodable byte); valid UTF-8."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_escape_one, text)


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start : error.end]:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            out.append(printable(ch))
        else:  # a stream whose encoding is not UTF-8: backslashreplace's escape
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out), error.end


codecs.register_error(HANDLER, _handler)


def _json_escape(match: re.Match[str]) -> str:
    return _escape_one(match).replace("\\", "\\\\")


def json_text(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with lone surrogates escaped.

    A surrogate can only stand inside a JSON string, so writing ``\\\\xff`` for it keeps the document
    valid, and the string it decodes to is ``printable()`` of the original.
    """
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_json_escape, text)


def dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)`` that is always valid UTF-8."""
    return json_text(json.dumps(obj, ensure_ascii=False, **kwargs))


def install(*streams: TextIO) -> None:
    """Make text streams escape what they cannot encode (instead of raising or passing raw bytes on)."""
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=HANDLER)
        except (ValueError, OSError, AttributeError):  # closed or detached stream: leave it alone
            pass
