"""Reporters, looked up by name: ``REPORTERS[format](result, stream)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from skillkit.engine import LintResult
from skillkit.report.github import report_github
from skillkit.report.json import report_json
from skillkit.report.sarif import report_sarif
from skillkit.report.text import report_text

Reporter = Callable[[LintResult, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
}


def resolve_format(name: str, environ: dict[str, str]) -> str:
    """`auto` is `github` inside GitHub Actions (GITHUB_ACTIONS=true), `text` elsewhere."""
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return name
