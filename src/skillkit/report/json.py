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
    json.dump(to_dict(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
