"""Rule documentation generated from the registry: `skillkit rules`, `skillkit rule ID`, docs/rules.md."""

from __future__ import annotations

import json
from typing import TextIO

from skillkit.profiles import load_profile, profile_names
from skillkit.rules import Rule, all_rules, option_defaults


def _profiles_of(r: Rule) -> list[str]:
    from skillkit.config import selector_matches

    out = []
    for name in profile_names():
        prof = load_profile(name)
        on = any(selector_matches(s, r) for s in prof.select) and not any(selector_matches(s, r) for s in prof.ignore)
        if on and prof.severity.get(r.id) != "off":
            out.append(name)
    return out


def rules_as_json() -> str:
    return json.dumps(
        [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.value,
                "fixable": r.fixable,
                "suppressible": r.suppressible,
                "profiles": _profiles_of(r),
                "options": option_defaults(r),
                "summary": r.summary,
            }
            for r in all_rules()
        ],
        indent=2,
    )


def rules_as_text(stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("ID", "name", "severity", "fix", "profiles", "summary"):
        table.add_column(column, no_wrap=column != "summary", overflow="fold")
    for r in all_rules():
        table.add_row(r.id, r.name, r.severity.value, "yes" if r.fixable else "", ",".join(_profiles_of(r)), r.summary)
    Console(file=stream, highlight=False, width=None if stream.isatty() else 200).print(table)


def _shift(markdown: str, by: int) -> str:
    return "\n".join(("#" * by + line) if line.startswith("#") else line for line in markdown.split("\n"))


def rule_markdown(r: Rule, level: int = 1) -> str:
    """One rule's full documentation as Markdown, its title at heading ``level``."""
    lines = [f"# {r.id} {r.name}", "", f"Default severity: **{r.severity.value}**. "
             f"Fixable: {'yes' if r.fixable else 'no'}. Profiles: {', '.join(_profiles_of(r)) or 'none'}."]
    if not r.suppressible:
        lines.append("Inline `skillkit: disable` comments do not silence this rule.")
    lines += ["", r.doc]
    defaults = option_defaults(r)
    if defaults:
        lines += ["", "## Options", "", "| option | default |", "|---|---|"]
        lines += [f"| `{k}` | `{json.dumps(v)}` |" for k, v in defaults.items()]
    return _shift("\n".join(lines).rstrip(), level - 1) + "\n"


def rules_document() -> str:
    """The whole of docs/rules.md."""
    head = [
        "# Rules",
        "",
        "Generated from the rule registry by `python -m skillkit.docs --write`; a test keeps it in sync.",
        "Silence a rule on the next line with `<!-- skillkit: disable=SK302 -->`, in a whole file with",
        "`<!-- skillkit: disable-file=SK302 -->`, or configure it in `[tool.skillkit]` (see the README).",
        "",
        "| ID | name | severity | summary |",
        "|---|---|---|---|",
    ]
    head += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | `{r.name}` | {r.severity.value} | {r.summary} |" for r in all_rules()]
    return "\n".join(head) + "\n\n" + "\n".join(rule_markdown(r, level=2) for r in all_rules())


def write_docs(repo: "Path") -> list["Path"]:
    """Regenerate docs/rules.md and the README's rules table in ``repo``; returns the files changed."""
    import os
    import tempfile

    from skillkit.rules import rules_table

    changed = []
    targets = {repo / "docs" / "rules.md": rules_document()}
    readme = repo / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"
    head, rest = text.split(start, 1)
    targets[readme] = head + start + rules_table() + end + rest.split(end, 1)[1]
    for path, content in targets.items():
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
        changed.append(path)
    return changed


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys
    from pathlib import Path

    if sys.argv[1:] == ["--write"]:
        for changed_path in write_docs(Path.cwd()):
            print(f"rewrote {changed_path}")
    else:
        print(rules_document(), end="")
