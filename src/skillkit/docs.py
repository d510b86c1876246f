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


def active_severities(settings: object | None) -> dict[str, str]:
    """Rule ID -> the severity it has in this run's settings (``off`` when it does not run)."""
    if settings is None:
        return {}
    active = {a.rule.id: (a.severity or a.rule.severity).value for a in settings.rules}  # type: ignore[attr-defined]
    return {r.id: active.get(r.id, "off") for r in all_rules()}


def rules_as_json(settings: object | None = None) -> str:
    active = active_severities(settings)
    return json.dumps(
        [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.value,
                **({"active": active[r.id]} if active else {}),
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


def rules_as_text(stream: TextIO, settings: object | None = None) -> None:
    """The rules table; with ``settings``, an ``active`` column: each rule's severity in this run (or off)."""
    from rich.console import Console
    from rich.table import Table

    active = active_severities(settings)
    table = Table(show_lines=False, box=None, pad_edge=False)
    columns = ("ID", "name", "severity", *(("active",) if active else ()), "fix", "profiles", "summary")
    for column in columns:
        table.add_column(column, no_wrap=column != "summary", overflow="fold")
    for r in all_rules():
        table.add_row(r.id, r.name, r.severity.value, *((active[r.id],) if active else ()),
                      "yes" if r.fixable else "", ",".join(_profiles_of(r)), r.summary)
    Console(file=stream, highlight=False, width=None if stream.isatty() else 200).print(table)


def _shift(markdown: str, by: int) -> str:
    return "\n".join(("#" * by + line) if line.startswith("#") else line for line in markdown.split("\n"))


def rule_markdown(r: Rule, level: int = 1) -> str:
    """One rule's full documentation as Markdown, its title at heading ``level``."""
    lines = [f"# {r.id} {r.name}", "", f"Default severity: **{r.severity.value}**. "
             f"Fixable: {'yes' if r.fixable else 'no'}. Profiles: {', '.join(_profiles_of(r)) or 'none'}."]
    if not r.suppressible:
        lines.append("Inline `skillkit: disable` comments do not silence this rule.")
    if r.targets is not None:
        lines.append(f"Runs only with `--target` {', '.join(r.targets)}.")
    lines += ["", r.doc]
    defaults = option_defaults(r)
    if defaults:
        lines += ["", "## Options", "", "| option | default |", "|---|---|"]
        lines += [f"| `{k}` | `{'off' if v is None else json.dumps(v)}` |" for k, v in defaults.items()]
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


def top_help_text() -> str:
    """`skillkit --help` as plain text, generated from the Typer app; entry.py prints it without
    importing Typer, Rich or pydantic (a quarter of a second of imports)."""
    import textwrap

    from skillkit.cli import app

    rows = []
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        doc = command.help or command.callback.__doc__ or ""  # type: ignore[union-attr]
        rows.append((name, " ".join(doc.strip().split("\n\n")[0].split())))
    width = max(len(name) for name, _ in rows)
    lines = ["Usage: skillkit [OPTIONS] COMMAND [ARGS]...", "", f"  {app.info.help}", "", "Options:",
             "  -V, --version  Show the version and exit.",
             "  -h, --help     Show this message and exit.", "", "Commands:"]
    for name, summary in rows:
        wrapped = textwrap.wrap(summary, 78 - width - 4) or [""]
        lines.append(f"  {name.ljust(width)}  {wrapped[0]}")
        lines += [f"  {' ' * width}  {more}" for more in wrapped[1:]]
    lines += ["", "Run `skillkit COMMAND --help` for a command's options.",
              "Shell completion: `skillkit --install-completion` or `--show-completion`."]
    return "\n".join(lines) + "\n"


def help_module() -> str:
    return ('"""`skillkit --help`, generated by `python -m skillkit.docs --write` (a test keeps it in sync)."""\n\n'
            f"TEXT = {top_help_text()!r}\n")


def write_docs(repo: "Path") -> list["Path"]:
    """Regenerate docs/rules.md, the README's rules table, _help.py and profiles/_shipped.py in ``repo``;
    returns the files changed."""
    from skillkit.atomic import write_if_changed
    from skillkit.rules import rules_table

    from skillkit.profiles import shipped_module

    targets = {repo / "docs" / "rules.md": rules_document(), repo / "src" / "skillkit" / "_help.py": help_module(),
               repo / "src" / "skillkit" / "profiles" / "_shipped.py": shipped_module()}
    readme = repo / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"
    head, rest = text.split(start, 1)
    targets[readme] = head + start + rules_table() + end + rest.split(end, 1)[1]
    return [path for path, content in targets.items() if write_if_changed(path, content)]


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys
    from pathlib import Path

    if sys.argv[1:] == ["--write"]:
        for changed_path in write_docs(Path.cwd()):
            print(f"rewrote {changed_path}")
    else:
        print(rules_document(), end="")
