"""Reporters, looked up by name: ``REPORTERS[format](result, stream)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from skillkit.engine import LintResult

Reporter = Callable[["LintResult", TextIO], None]

_WHERE = {
    "text": ("skillkit.report.text", "report_text"),
    "json": ("skillkit.report.json", "report_json"),
    "github": ("skillkit.report.github", "report_github"),
    "sarif": ("skillkit.report.sarif", "report_sarif"),
}


class _Reporters(dict):  # type: ignore[type-arg]
    """Imports a reporter when it is first asked for: JSON output never loads Rich (30 ms)."""

    def __missing__(self, key: str) -> Reporter:
        module, name = _WHERE[key]
        found: Reporter = getattr(importlib.import_module(module), name)
        self[key] = found
        return found


REPORTERS: dict[str, Reporter] = _Reporters()


def resolve_format(name: str, environ: dict[str, str]) -> str:
    """`auto` is `github` inside GitHub Actions (GITHUB_ACTIONS=true), `text` elsewhere."""
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return name
