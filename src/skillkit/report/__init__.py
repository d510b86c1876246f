"""Reporters, looked up by name: ``REPORTERS[format](result, stream)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from skillkit.engine import LintResult
from skillkit.report.json import report_json
from skillkit.report.text import report_text

Reporter = Callable[[LintResult, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
}
