"""Output of `skillkit score`: text (Rich table), json and markdown (for a pull request or job summary)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from skillkit.escape import dumps
from skillkit.scoring import COMPONENTS, LibrarySummary, Score
from skillkit.wording import plural

SHORT = {"discoverability": "D", "spec": "P", "size_sections": "S", "workflows": "W", "code": "C",
         "troubleshooting": "T", "references": "R"}


def _missing(score: Score, limit: int = 2) -> str:
    return "; ".join(f"{g.advice} (+{g.points:g})" for g in score.gains[:limit])


def _budget_line(summary: LibrarySummary) -> str:
    line = (f"descriptions: {summary.description_chars:,} of {summary.description_budget:,} characters an agent's "
            "skill listing holds")
    if summary.over_budget:
        line += " - OVER BUDGET: agents drop the descriptions past it"
    return line


def _summary_lines(summary: LibrarySummary) -> list[str]:
    t = summary.tiers
    return [
        f"{plural(summary.skills, 'skill')}, mean score {summary.mean_score:g}: {t['gold']} gold, {t['standard']} standard, "
        f"{t['draft']} draft" + (f", {summary.blocked} blocked" if summary.blocked else ""),
        f"mean lines: SKILL.md {summary.mean_skill_md_lines:g}, with references {summary.mean_total_lines:g}",
        _budget_line(summary),
    ]


def explain_lines(score: Score) -> list[str]:
    out = [f"{score.name} ({score.path}): {score.total:g}/100, {score.tier}"
           + (" (blocked)" if score.blocked else "")
           + f"; content {score.content:g}/50, packaging {score.packaging:g}/50"]
    for key, most in COMPONENTS.items():
        out.append(f"  {key:<16} {score.components[key]:>5g} / {most}")
        for gain in score.gains:
            if gain.component == key:
                out.append(f"      +{gain.points:g}: {gain.advice}")
    for rule_id, points in score.penalties.items():
        out.append(f"  penalty {rule_id:<8} -{points:g}")
    return out


def report_text(scores: Sequence[Score], summary: LibrarySummary, stream: TextIO, explain: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=stream, highlight=False, emoji=False, width=None if stream.isatty() else 240)
    table = Table(box=None, pad_edge=False)
    for column in ("skill", "score", "tier", "content", "packaging", "biggest missing points"):
        table.add_column(column, justify="right" if column in ("score", "content", "packaging") else "left",
                         no_wrap=column != "biggest missing points")
    style = {"gold": "bold yellow", "standard": "green", "draft": "red"}
    for s in scores:
        tier = s.tier + (" (blocked)" if s.blocked else "")
        table.add_row(escape(s.name), f"{s.total:g}", f"[{style[s.tier]}]{tier}[/]", f"{s.content:g}",
                      f"{s.packaging:g}", escape(_missing(s)))
    console.print(table)
    if explain:
        for s in scores:
            console.print()
            for line in explain_lines(s):
                console.print(escape(line))
    console.print()
    for i, line in enumerate(_summary_lines(summary)):
        console.print(f"[bold red]{escape(line)}[/]" if i == 2 and summary.over_budget else escape(line))


def report_json(scores: Sequence[Score], summary: LibrarySummary, stream: TextIO, explain: bool) -> None:
    stream.write(dumps({"skills": [s.to_json() for s in scores], "summary": summary.to_json()}, indent=2))
    stream.write("\n")


def report_markdown(scores: Sequence[Score], summary: LibrarySummary, stream: TextIO, explain: bool) -> None:
    rows = ["| skill | score | tier | content | packaging | " + " | ".join(SHORT.values()) + " | biggest missing points |",
            "|---|---:|---|---:|---:|" + "---:|" * len(SHORT) + "---|"]
    for s in scores:
        cells = " | ".join(f"{s.components[k]:g}" for k in SHORT)
        tier = s.tier + (" (blocked)" if s.blocked else "")
        rows.append(f"| `{s.name}` | {s.total:g} | {tier} | {s.content:g} | {s.packaging:g} | {cells} | "
                    f"{_missing(s).replace('|', '/')} |")
    legend = ", ".join(f"{v} {k.replace('_', ' & ')}" for k, v in SHORT.items())
    stream.write("## Skill quality\n\n" + "\n".join(rows) + "\n\n")
    stream.write(f"Components: {legend}.\n\n")
    stream.write("\n".join(f"- {line}" for line in _summary_lines(summary)) + "\n")
    if explain:
        stream.write("\n```text\n" + "\n\n".join("\n".join(explain_lines(s)) for s in scores) + "\n```\n")


SCORE_REPORTERS = {"text": report_text, "json": report_json, "markdown": report_markdown}
