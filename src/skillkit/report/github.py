"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from typing import TextIO

from skillkit.engine import LintResult
from skillkit.report.text import summary_line

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(result: LintResult, stream: TextIO) -> None:
    for d in result.diagnostics:
        props = [f"file={_prop(d.path)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={_prop(f'{d.rule} {d.name}')}")
        stream.write(f"::{LEVEL[d.severity.value]} {','.join(props)}::{_data(d.message)}\n")
    stream.write(summary_line(result) + "\n")
