"""ROADMAP.md <-> skills/: parse the plan, match its items to skills, render status, rewrite in place.

The file is read as bytes and decoded with ``surrogateescape``, so odd or mis-encoded bytes (the
seed's emoji) survive a rewrite untouched; ``--update`` changes only checkbox characters and the
Current column of the metrics table; the CLI writes the result atomically, encoded back the same
way (:func:`skillkit.atomic.write_if_changed` with ``surrogateescape``). Everything here is pure
except the gathering of skills from disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


PHASE = re.compile(r"^#{2,4}\s+.*?\bPhase\s+(\d+)\s*:\s*(.+?)\s*(?:\(.*)?$")
CHECK_ITEM = re.compile(r"^(\s*[-*]\s+\[)([ xX])(\]\s+)\*\*(.+?)\*\*\s*(?:[-\u2013\u2014:]\s*)?(.*)$")
PLAIN_ITEM = re.compile(r"^\s*[-*]\s+(?!\[)(?:\*\*)?([^*\n]+?)(?:\*\*)?\s+[-\u2013\u2014]\s+(.+)$")
LINKED = re.compile(r"^\[(.+?)\]\((.+?)\)$")
GROUP = re.compile(r"^\*\*([^*]+)\*\*:\s*$")
FOLDER = re.compile(r"^\*\*Folder\*\*:\s*`?skills/([a-z0-9][a-z0-9/-]*?)/?`?\s*$")
COMPLETED = re.compile(r"completed skills", re.IGNORECASE)
METRIC_ROW = re.compile(r"^\|\s*\*\*(.+?)\*\*\s*\|([^|]*)\|([^|]*)\|\s*$")


def key_of(name: str) -> str:
    """Matching key: lowercase letters and digits only, `&` read as `and` ("Weights & Biases")."""
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))


def slug_of(name: str) -> str:
    """A skill-name slug: `Weights & Biases` -> `weights-and-biases`, `llama.cpp` -> `llama-cpp`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", " and ")).strip("-")


@dataclass
class Item:
    name: str
    summary: str
    line: int  # 0-based index into Roadmap.lines
    phase: int
    category: str
    checkbox: bool
    checked: bool
    link: str | None = None

    @property
    def slug(self) -> str:
        return slug_of(self.name)


@dataclass
class Phase:
    number: int
    title: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Roadmap:
    lines: list[str]  # with their line endings, decoded with surrogateescape
    phases: list[Phase]
    metrics: dict[str, int]  # metric name -> line index

    @property
    def items(self) -> list[Item]:
        return [item for phase in self.phases for item in phase.items]

    def text(self) -> str:
        return "".join(self.lines)


def read_roadmap(path: Path) -> Roadmap:
    return parse_roadmap(path.read_bytes().decode("utf-8", "surrogateescape"))


def parse_roadmap(text: str) -> Roadmap:
    lines = text.splitlines(keepends=True)
    phases: list[Phase] = []
    metrics: dict[str, int] = {}
    group: str | None = None
    folder: str | None = None
    in_completed = False
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        heading = PHASE.match(line)
        if heading:
            phases.append(Phase(int(heading.group(1)), heading.group(2).strip(), index))
            group, folder, in_completed = None, None, False
            continue
        metric = METRIC_ROW.match(line)
        if metric and not phases:
            metrics[metric.group(1).strip()] = index
            continue
        if line.startswith("## ") and phases and phases[-1].number >= 0:
            # a level-2 heading after the phases ("## Contributing") ends them: a sentinel phase
            phases.append(Phase(-1, "", index))
            continue
        if not phases or phases[-1].number < 0:
            continue
        phase = phases[-1]
        match = FOLDER.match(line.strip())
        if match:
            folder = match.group(1)
            continue
        match = GROUP.match(line.strip())
        if match:
            if COMPLETED.search(match.group(1)):
                in_completed = True
            else:
                group = slug_of(match.group(1))
            continue
        category = group or folder or slug_of(phase.title)
        match = CHECK_ITEM.match(line)
        if match:
            name, link = match.group(4), None
            linked = LINKED.match(name)
            if linked:
                name, link = linked.group(1), linked.group(2)
            phase.items.append(Item(name.strip(), match.group(5).strip(), index, phase.number, category, True,
                                    match.group(2) in "xX", link))
            continue
        if in_completed:
            match = PLAIN_ITEM.match(line)
            if match:
                name, link = match.group(1).strip(), None
                linked = LINKED.match(name)
                if linked:
                    name, link = linked.group(1), linked.group(2)
                phase.items.append(Item(name, match.group(2).strip(), index, phase.number, category, False, True, link))
    return Roadmap(lines, [p for p in phases if p.number >= 0], metrics)


# --------------------------------------------------------------------------- status


@dataclass
class SkillInfo:
    """What the roadmap needs to know of a skill on disk."""

    name: str
    path: str  # folder, relative to the repository (POSIX)
    score: float
    tier: str
    errors: int
    lines: int  # SKILL.md + references


@dataclass
class ItemStatus:
    item: Item
    status: str  # done | in progress | planned
    skill: SkillInfo | None


def match_items(roadmap: Roadmap, skills: list[SkillInfo], base: Path) -> list[ItemStatus]:
    by_key: dict[str, SkillInfo] = {}
    by_path: dict[str, SkillInfo] = {}
    for info in skills:
        by_key.setdefault(key_of(info.name), info)
        by_key.setdefault(key_of(info.path.rstrip("/").rsplit("/", 1)[-1]), info)
        by_path[os.path.normpath(info.path)] = info
    out = []
    for item in roadmap.items:
        info = None
        if item.link:
            info = by_path.get(os.path.normpath(os.path.relpath(base / item.link, base)))
        info = info or by_key.get(key_of(item.name))
        if info is None:
            status = "planned"
        elif info.errors == 0 and info.tier in ("gold", "standard"):
            status = "done"
        else:
            status = "in progress"
        out.append(ItemStatus(item, status, info))
    return out


@dataclass
class Metrics:
    skills: int
    done: int
    avg_lines: int
    gold: int
    phases_started: int
    phases: int


def compute_metrics(statuses: list[ItemStatus], skills: list[SkillInfo], phases: int) -> Metrics:
    started = {s.item.phase for s in statuses if s.status != "planned"}
    return Metrics(
        skills=len(skills),
        done=sum(1 for s in statuses if s.status == "done"),
        avg_lines=round(sum(s.lines for s in skills) / len(skills)) if skills else 0,
        gold=sum(1 for s in skills if s.tier == "gold"),
        phases_started=len(started),
        phases=phases,
    )


def metric_values(metrics: Metrics) -> dict[str, str]:
    """The Current column, by the metric names of the seed's table."""
    return {
        "skills": f"{metrics.skills} ({metrics.done} done)",
        "avg lines/skill": f"{metrics.avg_lines} lines",
        "gold standard skills": str(metrics.gold),
        "coverage": f"{metrics.phases_started} of {metrics.phases} phases started",
    }


def render_update(roadmap: Roadmap, statuses: list[ItemStatus], metrics: Metrics) -> str:
    """The file as --update writes it: boxes ticked for done items, the Current column rewritten."""
    lines = list(roadmap.lines)
    for st in statuses:
        if not st.item.checkbox:
            continue
        line = lines[st.item.line]
        match = CHECK_ITEM.match(line.rstrip("\r\n"))
        if match is None:  # pragma: no cover - parse and render read the same line
            continue
        mark = "x" if st.status == "done" else " "
        start = match.start(2)
        lines[st.item.line] = line[:start] + mark + line[start + 1 :]
    values = metric_values(metrics)
    for name, index in roadmap.metrics.items():
        value = values.get(name.lower())
        if value is None:
            continue
        line = lines[index]
        ending = line[len(line.rstrip("\r\n")) :]
        cells = line.rstrip("\r\n").split("|")
        if len(cells) >= 4:
            old = cells[2]
            pad_left = old[: len(old) - len(old.lstrip())] or " "
            cells[2] = f"{pad_left}{value} "
            lines[index] = "|".join(cells) + ending
    return "".join(lines)


def diff_lines(before: str, after: str) -> list[str]:
    out = []
    for number, (a, b) in enumerate(zip(before.splitlines(), after.splitlines()), 1):
        if a != b:
            out.append(f"line {number}: {a.strip()}  ->  {b.strip()}")
    return out


# --------------------------------------------------------------------------- gathering (impure)


def collect_skills(root: Path, base: Path, settings: object) -> list[SkillInfo]:
    """Lint and score every skill below ``root``; paths relative to ``base`` (the roadmap's folder)."""
    from skillkit.discover import discover
    from skillkit.engine import iter_checked
    from skillkit.scoring import score_skill

    if not root.is_dir():
        return []
    out = []
    model = settings.profile.scoring  # type: ignore[attr-defined]
    for skill, diagnostics in iter_checked(discover([root]).skills, settings):  # type: ignore[arg-type]
        if skill is None:
            continue
        score = score_skill(skill, diagnostics, model, str(skill.dir))
        rel = os.path.relpath(os.path.abspath(skill.dir), os.path.abspath(base)).replace(os.sep, "/")
        out.append(SkillInfo(skill.dir.absolute().name, rel, score.total, score.tier, score.errors, score.total_lines))
    return out


@dataclass
class Report:
    roadmap: Roadmap
    statuses: list[ItemStatus]
    metrics: Metrics
    unlisted: list[SkillInfo]
    updated_text: str

    @property
    def differences(self) -> list[str]:
        return diff_lines(self.roadmap.text(), self.updated_text)

    def targets(self) -> dict[str, str]:
        out = {}
        for name, index in self.roadmap.metrics.items():
            cells = self.roadmap.lines[index].rstrip("\r\n").split("|")
            if len(cells) >= 4:
                out[name] = cells[3].strip()
        return out

    def to_json(self) -> dict[str, object]:
        values = metric_values(self.metrics)
        targets = self.targets()
        return {
            "phases": [
                {
                    "number": phase.number,
                    "title": phase.title,
                    "items": [
                        {"name": st.item.name, "status": st.status, "category": st.item.category,
                         "path": st.skill.path if st.skill else None,
                         "score": st.skill.score if st.skill else None,
                         "tier": st.skill.tier if st.skill else None}
                        for st in self.statuses if st.item.phase == phase.number
                    ],
                }
                for phase in self.roadmap.phases
            ],
            "metrics": {
                name: {"current": values.get(name.lower()), "target": targets.get(name)}
                for name in self.roadmap.metrics
            },
            "summary": {
                "items": len(self.statuses),
                "done": sum(1 for s in self.statuses if s.status == "done"),
                "in_progress": sum(1 for s in self.statuses if s.status == "in progress"),
                "planned": sum(1 for s in self.statuses if s.status == "planned"),
                "skills_on_disk": self.metrics.skills,
                "unlisted": [s.path for s in self.unlisted],
                "in_sync": not self.differences,
            },
        }


def build_report(roadmap_path: Path, root: Path, settings: object) -> Report:
    roadmap = read_roadmap(roadmap_path)
    base = roadmap_path.parent
    skills = collect_skills(root, base, settings)
    statuses = match_items(roadmap, skills, base)
    matched = {id(s.skill) for s in statuses if s.skill is not None}
    unlisted = [s for s in skills if id(s) not in matched]
    metrics = compute_metrics(statuses, skills, len(roadmap.phases))
    return Report(roadmap, statuses, metrics, unlisted, render_update(roadmap, statuses, metrics))
