"""Inline suppression comments.

In Markdown: ``<!-- skillkit: disable=SK302,SK505 -->`` alone on a line silences those rules on the next
line (the whole block when the next line opens a code fence); after text on a line, it silences that
line. ``<!-- skillkit: disable-file=SK406 -->`` silences rules in the whole file. In the frontmatter the
same directives are YAML comments: ``# skillkit: disable=SK105``. Rule names work as well as IDs.
Rules registered with ``suppressible=False`` (hidden-content detection) ignore them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.model import MarkdownDoc, Skill

# A rule list holds only IDs (SK302) and rule names (kebab-case with a hyphen), so a "directive" with
# other words in it is not one (and SK604 reports it as a hidden comment).
_RULE_LIST = r"(?:SK\d{3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?:\s*,\s*(?:SK\d{3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+))*"
DIRECTIVE = re.compile(
    rf"(?:<!--\s*skillkit:\s*(?P<kind>disable|disable-file)\s*=\s*(?P<rules>{_RULE_LIST})\s*-->)"
    rf"|(?:^\s*#\s*skillkit:\s*(?P<ykind>disable|disable-file)\s*=\s*(?P<yrules>{_RULE_LIST})\s*$)"
)


@dataclass
class FileSuppressions:
    whole_file: set[str] = field(default_factory=set)
    by_line: dict[int, set[str]] = field(default_factory=dict)

    def covers(self, line: int | None, keys: tuple[str, str]) -> bool:
        if any(k in self.whole_file for k in keys):
            return True
        if line is None:
            return False
        here = self.by_line.get(line, ())
        return any(k in here for k in keys)


def _keys(text: str) -> set[str]:
    out = set()
    for part in re.split(r"[\s,]+", text.strip()):
        if part:
            out.add(part.upper() if part.upper().startswith("SK") else part.lower())
    return out


def _scan(doc: MarkdownDoc, first: int) -> FileSuppressions:
    found = FileSuppressions()
    fences = {f.start: f.end for f in doc.fences}
    for number in range(first, len(doc.lines) + 1):
        line = doc.lines[number - 1]
        if "skillkit:" not in line:
            continue
        for match in DIRECTIVE.finditer(line):
            kind = match.group("kind") or match.group("ykind")
            keys = _keys(match.group("rules") or match.group("yrules"))
            if kind == "disable-file":
                found.whole_file |= keys
                continue
            if line[: match.start()].strip() and not match.group("ykind"):
                targets = [number]
            else:
                nxt = number + 1
                targets = list(range(nxt, fences.get(nxt, nxt) + 1))
            for target in targets:
                found.by_line.setdefault(target, set()).update(keys)
    return found


def collect(skill: Skill) -> dict[Path, FileSuppressions]:
    """Suppressions of every Markdown file of ``skill``, by path."""
    out: dict[Path, FileSuppressions] = {}
    if skill.body is not None:
        out[skill.body.path] = _scan(skill.body, 1)
    for doc in skill.references:
        out[doc.path] = _scan(doc, 1)
    return {path: sup for path, sup in out.items() if sup.whole_file or sup.by_line}
