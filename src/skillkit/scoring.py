"""The 0-100 quality score: pure functions of a parsed skill and its diagnostics.

Seven components (rules-catalogue section 2) group into *content* (workflows, code,
troubleshooting: 50) and *packaging* (discoverability, spec conformance, size and sections,
references: 50); penalties subtract. Weights, bands and tier thresholds come from the profile's
:class:`~skillkit.profiles.Scoring`, not from code. Every component also says what would raise it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.wording import plural
from skillkit.model import MarkdownDoc, Skill
from skillkit.profiles import Band, Scoring
from skillkit.rules.code import JSON_TAGS, PYTHON_TAGS, SHELL_TAGS, TOML_TAGS, YAML_TAGS
from skillkit.rules.frontmatter import VAGUE_WORDS
from skillkit.rules.links import BUNDLE_DIRS
from skillkit.rules.prose import FIRST_PERSON, SECOND_PERSON, TRIGGER
from skillkit.rules.structure import DEFAULT_SECTIONS, SECTION_EXAMPLES, TASK_ITEM, section_ends, workflow_units
from skillkit.substance import content_words, fence_has_content, is_concrete, is_substantive, substantive_lines

COMPONENTS = {
    "discoverability": 15,
    "spec": 10,
    "size_sections": 15,
    "workflows": 20,
    "code": 20,
    "troubleshooting": 10,
    "references": 10,
}
CONTENT = ("workflows", "code", "troubleshooting")
PACKAGING = ("discoverability", "spec", "size_sections", "references")
CHECKED_TAGS = PYTHON_TAGS | YAML_TAGS | JSON_TAGS | TOML_TAGS | SHELL_TAGS
TROUBLESHOOTING = re.compile(DEFAULT_SECTIONS["troubleshooting"], re.IGNORECASE)
VALIDATE = re.compile(r"\b(validat\w*|verif\w*|check\w*|test\w*|assert\w*)\b", re.IGNORECASE)
REMEDY = re.compile(
    r"\b(fix\w*|re-?run\w*|repeat\w*|retry|try again|only proceed|until|if (?:it|this|that|the \w+|any) fails?\w*|"
    r"otherwise|go back)\b",
    re.IGNORECASE,
)


@dataclass
class Gain:
    """A way to raise the score: ``points`` more if the skill did ``advice``."""

    component: str
    points: float
    advice: str


@dataclass
class Score:
    path: str
    name: str
    total: float
    tier: str
    blocked: bool
    components: dict[str, float]
    penalties: dict[str, float]
    content: float
    packaging: float
    skill_md_lines: int
    total_lines: int
    description_chars: int
    errors: int
    gains: list[Gain] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "name": self.name,
            "score": self.total,
            "tier": self.tier,
            "blocked": self.blocked,
            "content": self.content,
            "packaging": self.packaging,
            "components": self.components,
            "penalties": self.penalties,
            "errors": self.errors,
            "lines": {"skill_md": self.skill_md_lines, "with_references": self.total_lines},
            "description_chars": self.description_chars,
            "explain": [{"component": g.component, "points": g.points, "advice": g.advice} for g in self.gains],
        }


def _band(value: int, bands: Sequence[Band]) -> float:
    return next((b.points for b in bands if b.low <= value <= b.high), 0.0)


def _step(count: int, steps: Sequence[float]) -> float:
    return steps[min(count, len(steps)) - 1] if count > 0 else 0.0


def _r(value: float) -> float:
    return round(value + 0.0, 1)


def checklist_groups(doc: MarkdownDoc, start: int, end: int) -> list[int]:
    """Sizes of the runs of consecutive task-list lines between ``start`` and ``end`` (1-based); an item
    that says nothing (`- [ ] Step 1: ...`) does not count."""
    groups: list[int] = []
    run = 0
    for number in range(start, end + 1):
        line = doc.lines[number - 1]
        if TASK_ITEM.match(line):
            run += 1 if content_words(line) else 0
        elif run and doc.lines[number - 1].strip():
            groups.append(run)
            run = 0
    if run:
        groups.append(run)
    return groups


def has_feedback_loop(doc: MarkdownDoc) -> bool:
    """A validate/verify/check line followed within three lines by a remedy (fix, re-run, if it fails...),
    where the loop names something concrete (a command, a file, a value) to check or fix."""
    lines = doc.lines[doc.first_line - 1 :]
    for index, line in enumerate(lines):
        near = lines[index : index + 4]
        if VALIDATE.search(line) and any(REMEDY.search(x) for x in near) and any(is_concrete(x) for x in near):
            return True
    return False


def concrete_unit(doc: MarkdownDoc, start: int, end: int) -> bool:
    """A workflow whose steps say something concrete: a line naming a command, a file or a value, or a
    code block with content, between lines ``start`` and ``end``."""
    code = doc.code_lines
    if any(start <= f.start <= end and fence_has_content(doc, f) for f in doc.fences):
        return True
    return any(is_concrete(doc.lines[n - 1]) for n in range(start, end + 1) if n not in code)


def _entry_has_fix(doc: MarkdownDoc, first: int, last: int) -> bool:
    """Lines ``first..last`` hold a substantive line or a code block with content (the cause and fix)."""
    if any(first <= f.start <= last and fence_has_content(doc, f) for f in doc.fences):
        return True
    return any(is_substantive(doc.lines[n - 1]) for n in range(first, last + 1) if n not in doc.code_lines)


def troubleshooting_entries(doc: MarkdownDoc) -> int:
    entries = 0
    headings = doc.headings
    ends = section_ends(headings, len(doc.lines))
    prose = doc.prose_lines()
    numbers = [number for number, _ in prose]
    for i, h in enumerate(headings):
        if h.level > 3 or not TROUBLESHOOTING.search(h.text):
            continue
        end = ends[i]
        j = i + 1
        while j < len(headings) and headings[j].line <= end:  # sections nest at most six deep: linear
            x = headings[j]
            if x.level > h.level:
                entries += is_substantive(x.text, 1) and _entry_has_fix(doc, x.line + 1, min(ends[j], end))
            j += 1
        in_table = False
        for number, raw in prose[bisect_right(numbers, h.line) : bisect_right(numbers, end)]:
            line = raw.strip()
            if re.match(r"^\|?\s*:?-{3,}", line):
                in_table = True
                continue
            if in_table and line.startswith("|"):
                cells = [c for c in line.strip("|").split("|") if content_words(c)]
                entries += len(cells) >= 2
                continue
            in_table = False
            if re.match(r"^\*\*[^*]+\*\*:?$", line) or line.startswith("**Issue") or re.match(r"^(?:[-*+]|\d+[.)])\s+\*\*", line):
                following = next((n for n in range(number + 1, end + 1) if doc.lines[n - 1].strip()), number)
                entries += is_substantive(line, 1) and (is_substantive(line.split("**")[-1], 2)
                                                        or _entry_has_fix(doc, following, following))
    return entries


def _mentioned(text: str, rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return rel in text or f"]({rel}" in text or (len(name) > 3 and name in text)


def score_skill(skill: Skill, diagnostics: Sequence[Diagnostic], model: Scoring, path: str,
                sections: dict[str, str] | None = None) -> Score:
    """Score one skill from its parse and its diagnostics (which decide spec errors, tiers, penalties)."""
    comp = dict.fromkeys(COMPONENTS, 0.0)
    gains: list[Gain] = []
    data = skill.data or {}
    body = skill.body
    name = data.get("name") if isinstance(data.get("name"), str) else skill.dir.absolute().name
    description = data.get("description") if isinstance(data.get("description"), str) else ""

    # D: discoverability
    if description and TRIGGER.search(description):
        comp["discoverability"] += model.trigger_clause
    else:
        gains.append(Gain("discoverability", model.trigger_clause, "add a `Use when ...` clause to the description"))
    length = len(description.strip())
    if model.description_good.low <= length <= model.description_good.high:
        comp["discoverability"] += model.description_good.points
    else:
        got = model.description_short.points if model.description_short.low <= length <= model.description_short.high else 0
        comp["discoverability"] += got
        gains.append(Gain("discoverability", model.description_good.points - got,
                          f"write a description of {model.description_good.low}-{model.description_good.high} "
                          f"characters (it has {length})"))
    if description and not (FIRST_PERSON.search(description) or SECOND_PERSON.search(description)):
        comp["discoverability"] += model.third_person
    else:
        gains.append(Gain("discoverability", model.third_person, "write the description in the third person"))
    words = [w for w in str(name).lower().split("-") if w]
    if words and not all(w in VAGUE_WORDS for w in words):
        comp["discoverability"] += model.specific_name
    else:
        gains.append(Gain("discoverability", model.specific_name, "give the skill a specific name"))

    # P: spec conformance
    # Spec errors count even where the project downgraded them (tiers still follow the configured severity).
    error_rules = sorted({d.rule for d in diagnostics if (d.default_severity or d.severity) is Severity.ERROR})
    comp["spec"] = max(0.0, model.spec_points - model.per_error_rule * len(error_rules))
    if error_rules:
        gains.append(Gain("spec", model.spec_points - comp["spec"], f"fix the errors of {', '.join(error_rules)}"))

    # S: size and sections
    body_lines = substantive_lines(body) if body else 0
    size_points = _band(body_lines, model.body_line_bands)
    comp["size_sections"] += size_points
    best = max(b.points for b in model.body_line_bands)
    if size_points < best:
        ideal = next(b for b in model.body_line_bands if b.points == best)
        gains.append(Gain("size_sections", best - size_points,
                          f"bring the SKILL.md body to {ideal.low}-{ideal.high} lines that say something "
                          f"(it has {plural(body_lines, 'line')})"))
    headings = [h.text for h in body.headings if h.level in (2, 3)] if body else []
    for key, pattern in (sections or DEFAULT_SECTIONS).items():
        if any(re.search(pattern, text, re.IGNORECASE) for text in headings):
            comp["size_sections"] += model.per_section
        else:
            gains.append(Gain("size_sections", model.per_section,
                              f"add a {key} section (`{SECTION_EXAMPLES.get(key, key)}`)"))

    # W: workflows
    units = workflow_units(body.headings, len(body.lines)) if body else []
    units = [(h, end) for h, end in units if concrete_unit(body, h.line + 1, end)]
    comp["workflows"] += _step(len(units), model.workflow_units)
    if len(units) < len(model.workflow_units):
        gains.append(Gain("workflows", model.workflow_units[-1] - _step(len(units), model.workflow_units),
                          f"write {len(model.workflow_units)} workflows whose steps name a command, a file or a "
                          f"value (it has {len(units)})"))
    groups = checklist_groups(body, body.first_line, len(body.lines)) if body else []
    with_checklist = sum(1 for h, end in units if checklist_groups(body, h.line, end)) if body else 0
    checklist = _step(len(groups), model.checklist_groups)
    if sum(groups) >= model.checklist_items_bonus_at:
        checklist += model.checklist_items_bonus
    checklist += _step(with_checklist, model.units_with_checklist)
    checklist = min(checklist, model.checklist_max)
    comp["workflows"] += checklist
    if checklist < model.checklist_max:
        advice = (f"give each workflow a `- [ ]` checklist ({with_checklist} of {len(units)} have one)" if units
                  else "add `- [ ]` checklists to the workflows")
        gains.append(Gain("workflows", model.checklist_max - checklist, advice))
    if body and has_feedback_loop(body):
        comp["workflows"] += model.feedback_loop
    else:
        gains.append(Gain("workflows", model.feedback_loop,
                          "add a feedback loop: validate, and say what to fix and re-run when it fails"))

    # C: code
    fences = [f for f in body.fences if fence_has_content(body, f)] if body else []
    comp["code"] += _band(len(fences), model.code_block_steps)
    top = max(b.points for b in model.code_block_steps)
    if comp["code"] < top:
        gains.append(Gain("code", top - comp["code"], f"show more runnable examples ({len(fences)} code blocks)"))
    if fences:
        labelled = sum(1 for f in fences if f.language) / len(fences)
        comp["code"] += model.labelled_fraction * labelled
        if labelled < 1:
            gains.append(Gain("code", model.labelled_fraction * (1 - labelled), "tag every code block with its language"))
        checked = [f for f in fences if f.language in CHECKED_TAGS]
        broken_lines = {d.line for d in diagnostics if d.rule in ("SK303", "SK304", "SK305") and d.line
                        and skill.skill_md and d.path.endswith(skill.skill_md.name)}
        ordered = sorted(broken_lines)
        broken = sum(1 for f in checked if bisect_right(ordered, f.end) > bisect_left(ordered, f.start))
        valid = (len(checked) - broken) / len(checked) if checked else 1.0
        comp["code"] += model.parse_valid_fraction * valid
        if broken:
            gains.append(Gain("code", model.parse_valid_fraction * (1 - valid),
                              f"{broken} of {len(checked)} checked code blocks do not parse"))
    else:
        gains.append(Gain("code", model.labelled_fraction + model.parse_valid_fraction, "add code examples that parse"))

    # T: troubleshooting
    entries = troubleshooting_entries(body) if body else 0
    comp["troubleshooting"] = min(model.troubleshooting_max, entries * model.per_issue_entry)
    if comp["troubleshooting"] < model.troubleshooting_max:
        gains.append(Gain("troubleshooting", model.troubleshooting_max - comp["troubleshooting"],
                          f"document more common issues with their fixes ({plural(entries, 'entry', 'entries')})"))

    # R: references
    text = "\n".join(body.lines) if body else ""
    bundled = [rel for rel in skill.files if rel.startswith(BUNDLE_DIRS) and "/__pycache__/" not in rel]
    dirs = sorted({rel.split("/", 1)[0] + "/" for rel in bundled})
    mentioned = [rel for rel in bundled if _mentioned(text, rel)] + [d for d in dirs if d in text]
    comp["references"] += min(model.bundled_max, model.per_bundled_item * len(mentioned))
    if comp["references"] < model.bundled_max:
        gains.append(Gain("references", model.bundled_max - comp["references"],
                          "move depth into references/ files and link each from SKILL.md"))
    rules_hit = {d.rule for d in diagnostics}
    if not rules_hit & {"SK401", "SK402", "SK403"}:
        comp["references"] += model.link_hygiene
    else:
        gains.append(Gain("references", model.link_hygiene, "fix broken, escaping or absolute links"))
    if not rules_hit & {"SK404", "SK405"}:
        comp["references"] += model.nesting_hygiene
    elif "SK404" not in rules_hit:
        comp["references"] += model.nesting_hygiene / 2
        gains.append(Gain("references", model.nesting_hygiene / 2, "mention every bundled file in SKILL.md"))
    else:
        gains.append(Gain("references", model.nesting_hygiene, "keep references one level deep"))

    # penalties
    penalties: dict[str, float] = {}
    for rule_id, penalty in model.penalties.items():
        hits = [d for d in diagnostics if d.rule == rule_id
                and (not penalty.skill_md_only or (skill.skill_md is not None and d.path.endswith("/" + skill.skill_md.name))
                     or d.path == (skill.skill_md.name if skill.skill_md else ""))]
        if hits:
            penalties[rule_id] = min(penalty.most, penalty.each * len(hits))
            gains.append(Gain("penalty", penalties[rule_id], f"fix the {len(hits)} {rule_id} finding(s)"))

    total = max(0.0, min(100.0, sum(comp.values()) - sum(penalties.values())))
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    blocked = any(d.rule in model.blocking_rules for d in diagnostics)
    if errors == 0 and total >= model.gold:
        tier = "gold"
    elif errors == 0 and total >= model.standard:
        tier = "standard"
    else:
        tier = "draft"
    ref_lines = sum(len(doc.lines) for doc in skill.references)
    md_lines = len(body.lines) if body else 0
    gains.sort(key=lambda g: -g.points)
    return Score(
        path=path,
        name=str(name),
        total=_r(total),
        tier=tier,
        blocked=blocked,
        components={k: _r(v) for k, v in comp.items()},
        penalties={k: _r(v) for k, v in penalties.items()},
        content=_r(sum(comp[k] for k in CONTENT)),
        packaging=_r(sum(comp[k] for k in PACKAGING)),
        skill_md_lines=md_lines,
        total_lines=md_lines + ref_lines,
        description_chars=len(description),
        errors=errors,
        gains=[Gain(g.component, _r(g.points), g.advice) for g in gains if g.points > 0],
    )


@dataclass
class LibrarySummary:
    skills: int
    mean_skill_md_lines: float
    mean_total_lines: float
    tiers: dict[str, int]
    blocked: int
    mean_score: float
    description_chars: int
    description_budget: int

    @property
    def over_budget(self) -> bool:
        return self.description_chars > self.description_budget

    def to_json(self) -> dict[str, object]:
        return {
            "skills": self.skills,
            "mean_score": self.mean_score,
            "mean_lines": {"skill_md": self.mean_skill_md_lines, "with_references": self.mean_total_lines},
            "tiers": self.tiers,
            "blocked": self.blocked,
            "description_chars": self.description_chars,
            "description_budget": self.description_budget,
            "over_description_budget": self.over_budget,
        }


def summarise(scores: Sequence[Score], model: Scoring) -> LibrarySummary:
    n = len(scores)
    return LibrarySummary(
        skills=n,
        mean_skill_md_lines=_r(sum(s.skill_md_lines for s in scores) / n) if n else 0.0,
        mean_total_lines=_r(sum(s.total_lines for s in scores) / n) if n else 0.0,
        tiers={tier: sum(1 for s in scores if s.tier == tier) for tier in ("gold", "standard", "draft")},
        blocked=sum(1 for s in scores if s.blocked),
        mean_score=_r(sum(s.total for s in scores) / n) if n else 0.0,
        description_chars=sum(s.description_chars for s in scores),
        description_budget=model.description_budget_chars,
    )
