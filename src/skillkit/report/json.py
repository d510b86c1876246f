"""Machine-readable output; the shape is a public interface and is tested key by key."""

from __future__ import annotations

import json
from typing import TextIO

from skillkit.engine import LintResult
from skillkit.escape import dumps, json_text


def to_dict(result: LintResult) -> dict[str, object]:
    return {
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "summary": {"skills": result.skills, "errors": result.errors, "warnings": result.warnings},
    }


def report_json(result: LintResult, stream: TextIO) -> None:
    # Indented for a person at a terminal; compact when piped: the C encoder is used only without
    # indentation, and is about 10x faster on a run with tens of thousands of findings. Piped output is
    # written in chunks, so a 10,000-skill run never holds its whole JSON text (or a dict per finding)
    # in memory at once; the bytes are those of ``json.dumps(to_dict(result))``.
    if stream.isatty():
        stream.write(dumps(to_dict(result), indent=2))
        stream.write("\n")
        return
    write_compact(result, stream)


def write_compact(result: LintResult, stream: TextIO, chunk: int = 2000) -> None:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    stream.write('{"diagnostics": [')
    found = result.diagnostics
    for start in range(0, len(found), chunk):
        if start:
            stream.write(", ")
        stream.write(json_text(encode([d.to_json() for d in found[start : start + chunk]])[1:-1]))  # one C call a chunk
    summary = {"skills": result.skills, "errors": result.errors, "warnings": result.warnings}
    stream.write('], "summary": ' + encode(summary) + "}\n")
