"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one rule entry per rule."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from skillkit import __version__
from skillkit.engine import LintResult
from skillkit.escape import dumps, printable
from skillkit.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A SARIF artifact URI: relative paths stay relative (to the working folder), percent-encoded.

    The path is the printable one (a byte that is not UTF-8 is ``\\xNN``, percent-encoded as ``%5CxNN``),
    the same text every other format shows; ``printable`` again for a path from an older cache entry.
    """
    path = printable(path)
    if path.startswith("/"):
        return Path(path).as_uri()
    return quote(path)


def to_sarif(result: LintResult) -> dict[str, object]:
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "skillkit",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.id,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {"text": r.doc.split("## Why is this bad?")[0]
                                                    .replace("## What it does", "").strip()},
                                "help": {"text": r.doc, "markdown": r.doc},
                                "defaultConfiguration": {"level": LEVEL[r.severity.value]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": d.rule,
                        "ruleIndex": index.get(d.rule, -1),
                        "level": LEVEL[d.severity.value],
                        "message": {"text": d.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": _uri(d.path)},
                                    **(
                                        {"region": {"startLine": d.line,
                                                    **({"startColumn": d.column} if d.column else {})}}
                                        if d.line else {}
                                    ),
                                }
                            }
                        ],
                    }
                    for d in result.diagnostics
                ],
            }
        ],
    }


def report_sarif(result: LintResult, stream: TextIO) -> None:
    stream.write(dumps(to_sarif(result), indent=2))
    stream.write("\n")
