"""Output of `skillkit roadmap`: text (progress bars), json, markdown."""

from __future__ import annotations

from typing import TextIO

from skillkit.escape import dumps
from skillkit.roadmap import Report, metric_values
from skillkit.wording import plural

MARK = {"done": "x", "in progress": "~", "planned": " "}


def _bar(done: int, progress: int, total: int, width: int = 20) -> str:
    if total == 0:
        return "[" + " " * width + "]"
    full = round(width * done / total)
    half = min(width - full, round(width * progress / total))
    return "[" + "#" * full + "~" * half + "." * (width - full - half) + "]"


def _phase_rows(report: Report) -> list[tuple[str, int, int, int, int]]:
    rows = []
    for phase in report.roadmap.phases:
        sts = [s for s in report.statuses if s.item.phase == phase.number]
        done = sum(1 for s in sts if s.status == "done")
        prog = sum(1 for s in sts if s.status == "in progress")
        rows.append((f"Phase {phase.number}: {phase.title}", done, prog, len(sts) - done - prog, len(sts)))
    return rows


def report_text(report: Report, stream: TextIO, verbose: bool = False) -> None:
    width = max((len(r[0]) for r in _phase_rows(report)), default=10)
    for (label, done, prog, planned, total), phase in zip(_phase_rows(report), report.roadmap.phases):
        stream.write(f"{label:<{width}}  {_bar(done, prog, total)}  {done}/{total} done"
                     f"{f', {prog} in progress' if prog else ''}{f', {planned} planned' if planned else ''}\n")
        for st in report.statuses:
            if st.item.phase == phase.number and (verbose or st.status == "in progress"):
                extra = f"  {st.skill.path} ({st.skill.tier}, {st.skill.score:g})" if st.skill else ""
                stream.write(f"    [{MARK[st.status]}] {st.item.name}{extra}\n")
    stream.write("\n")
    values = metric_values(report.metrics)
    targets = report.targets()
    for name in report.roadmap.metrics:
        stream.write(f"{name:<22} {values.get(name.lower(), '?'):<28} target {targets.get(name, '?')}\n")
    if report.unlisted:
        stream.write("\nSkills on disk that the roadmap does not list:\n")
        for info in report.unlisted:
            stream.write(f"    {info.path} ({info.tier}, {info.score:g})\n")
    if report.differences:
        stream.write(f"\nThe roadmap is out of date ({plural(len(report.differences), 'line')}); run `skillkit roadmap --update`.\n")
    else:
        stream.write("\nThe roadmap agrees with the skills on disk.\n")


def report_json(report: Report, stream: TextIO, verbose: bool = False) -> None:
    stream.write(dumps(report.to_json(), indent=2))
    stream.write("\n")


def report_markdown(report: Report, stream: TextIO, verbose: bool = False) -> None:
    stream.write("## Roadmap progress\n\n| phase | done | in progress | planned | progress |\n|---|---:|---:|---:|---|\n")
    for label, done, prog, planned, total in _phase_rows(report):
        stream.write(f"| {label} | {done} | {prog} | {planned} | `{_bar(done, prog, total, 10)}` |\n")
    values = metric_values(report.metrics)
    targets = report.targets()
    stream.write("\n| metric | current | target |\n|---|---|---|\n")
    for name in report.roadmap.metrics:
        stream.write(f"| {name} | {values.get(name.lower(), '?')} | {targets.get(name, '?')} |\n")
    if report.unlisted:
        stream.write("\nNot on the roadmap: " + ", ".join(f"`{s.path}`" for s in report.unlisted) + "\n")


ROADMAP_REPORTERS = {"text": report_text, "json": report_json, "markdown": report_markdown}
