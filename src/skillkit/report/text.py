"""Human output: findings grouped by file, then one summary line.

Colour only on a terminal, and never when ``NO_COLOR`` is set (Rich honours both). Lines are not
wrapped, so output piped to a file or CI log stays one finding per line. A run with no findings written
where Rich would print no colour is the one summary line, printed without importing Rich (a pre-commit
hook on a clean skill).
"""

from __future__ import annotations

from itertools import groupby
import builtins
import os
from typing import TextIO

from skillkit.diagnostics import Severity
from skillkit.engine import LintResult
from skillkit.wording import plural

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def summary_line(result: LintResult) -> str:
    skills = plural(result.skills, "skill")
    if not result.diagnostics:
        return f"All checks passed: {skills}, no findings."
    infos = result.count(Severity.INFO)
    parts = [plural(result.errors, "error"), plural(result.warnings, "warning")]
    if infos:
        parts.append(plural(infos, "info"))
    return f"Found {', '.join(parts)} ({skills} checked)."


def _plain(stream: TextIO) -> bool:
    """True when Rich would print to ``stream`` without styles: no terminal, no colour forced, not Jupyter."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ or hasattr(builtins, "get_ipython"):
        return False
    try:
        return not stream.isatty()
    except Exception:  # noqa: BLE001 - let Rich decide what such a stream is
        return False


def report_text(result: LintResult, stream: TextIO) -> None:
    if not result.diagnostics and _plain(stream):
        stream.write(summary_line(result) + "\n")
        stream.flush()
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    for path, group in groupby(result.diagnostics, key=lambda d: d.path):
        console.print(f"[bold]{escape(path)}[/bold]")
        for d in group:
            where = f"{d.line}:{d.column}" if d.line and d.column else (str(d.line) if d.line else "-")
            console.print(
                f"  {where:>7}  [{_STYLE[d.severity]}]{d.severity.value:<7}[/]  "
                f"[bold]{d.rule}[/bold]  {escape(d.message)}  [dim]({d.name})[/dim]"
            )
        console.print()
    style = "bold red" if result.errors else ("yellow" if result.diagnostics else "bold green")
    console.print(f"[{style}]{escape(summary_line(result))}[/]")
