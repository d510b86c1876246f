"""Machine-readable output; the shape is a public interface and is tested key by key."""

from __future__ import annotations

import json
from typing import TextIO

from skillkit.engine import LintResult


def to_dict(result: LintResult) -> dict[str, object]:
    return {
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "summary": {"skills": result.skills, "errors": result.errors, "warnings": result.warnings},
    }


def report_json(result: LintResult, stream: TextIO) -> None:
    # Indented for a person at a terminal; compact when piped: the C encoder is used only without
    # indentation, and is about 10x faster on a run with tens of thousands of findings.
    indent = 2 if stream.isatty() else None
    stream.write(json.dumps(to_dict(result), indent=indent, ensure_ascii=False))
    stream.write("\n")
