"""SK2xx: size and sections of SKILL.md."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.lazymodel import Field
from skillkit.model import Heading, Skill
from skillkit.rules import Options, rule

TASK_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[[ xX]\]")


class LengthOptions(Options):
    max_lines: int = Field(500, ge=1, description="Most body lines SKILL.md may have.")
    min_lines: int = Field(50, ge=0, description="Fewest non-blank body lines.")


@rule("SK201", "skill-md-length", Severity.WARNING, options=LengthOptions)
def skill_md_length(skill: Skill, options: LengthOptions) -> Iterator[Violation]:
    """## What it does
    Checks that the SKILL.md body (after the frontmatter) has at most `max-lines` lines (500) and at
    least `min-lines` non-blank lines (50).

    ## Why is this bad?
    The whole body enters the agent's context when the skill triggers: past 500 lines it crowds out
    the task, and the specification says to move detail into `references/`. A body of a few lines is
    a stub that gives the agent nothing it could not guess.

    ## Example
    A 900-line SKILL.md. Use instead: keep the workflows in SKILL.md and move API tables and long
    examples into `references/*.md`, linked from it.
    """
    body = skill.body
    if body is None:
        return
    lines = body.lines[body.first_line - 1 :]
    if len(lines) > options.max_lines:
        yield Violation(
            f"the SKILL.md body is {len(lines)} lines, over {options.max_lines}; move detail into references/",
            body.first_line + options.max_lines, None,
        )
    filled = sum(1 for line in lines if line.strip())
    if filled < options.min_lines:
        yield Violation(
            f"the SKILL.md body has {filled} non-blank lines, under {options.min_lines}; a skill this short is a stub",
            body.first_line if lines else None, None,
        )


class TokenOptions(Options):
    max_tokens: int = Field(5000, ge=1, description="Largest estimated body size in tokens (characters / 4).")


@rule("SK202", "token-budget-exceeded", Severity.WARNING, options=TokenOptions)
def token_budget_exceeded(skill: Skill, options: TokenOptions) -> Iterator[Violation]:
    """## What it does
    Estimates the SKILL.md body's size in tokens as characters / 4 and warns above `max-tokens`
    (5,000). The estimate is rough: code-heavy text has more tokens per character.

    ## Why is this bad?
    The specification recommends under 5,000 tokens for the instructions an agent loads on
    activation; the rest belongs in references loaded on demand.

    ## Example
    A SKILL.md that pastes a 30,000-character API reference. Use instead: link
    `references/api.md`.
    """
    text = skill.body_text
    tokens = math.ceil(len(text) / 4)
    if tokens > options.max_tokens:
        yield Violation(f"the SKILL.md body is about {tokens:,} tokens ({len(text):,} characters / 4), "
                        f"over {options.max_tokens:,}; move detail into references/", None, None)


DEFAULT_SECTIONS = {
    "quick-start": r"quick\s*-?\s*start|getting started|basic usage|minimal example",
    "workflows": r"\bworkflows?\b",
    "when-to-use": r"when (not )?to use|alternatives|\bvs\.?\b|comparison|choosing",
    "troubleshooting": r"common issues|troubleshoot|pitfalls?|gotchas?|debugging|known issues|\bfaq\b"
    r"|common (errors|problems|mistakes)",
    "references": r"references?|resources|see also|further reading|advanced topics|documentation",
}
SECTION_EXAMPLES = {
    "quick-start": "## Quick start",
    "workflows": "## Workflow 1: ...",
    "when-to-use": "## When to use vs alternatives",
    "troubleshooting": "## Common issues",
    "references": "## References",
}


class SectionOptions(Options):
    sections: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_SECTIONS),
        description="Section key -> regular expression an H2/H3 heading must match (case-insensitive).",
    )


@rule("SK203", "missing-required-section", Severity.WARNING, options=SectionOptions)
def missing_required_section(skill: Skill, options: SectionOptions) -> Iterator[Violation]:
    """## What it does
    Checks that SKILL.md has an H2 or H3 heading for each required section. The library's sections
    are Quick start, Workflows, When to use vs alternatives, Common issues, and References; each is a
    case-insensitive pattern in the rule's `sections` option.

    ## Why is this bad?
    Agents act on a predictable outline: a quick start to copy, workflows to follow, when not to use
    the tool, and fixes for the errors they will meet. A skill without them is a summary, not
    guidance.

    ## Example
    A skill with no troubleshooting section. Use instead: `## Common issues` with the real error
    messages and their fixes.
    """
    body = skill.body
    if body is None:
        return
    headings = [h.text for h in body.headings if h.level in (2, 3)]
    for key, pattern in options.sections.items():
        regex = re.compile(pattern, re.IGNORECASE)
        if not any(regex.search(text) for text in headings):
            example = SECTION_EXAMPLES.get(key, f"a heading matching /{pattern}/")
            yield Violation(f"missing section `{key}` (e.g. `{example}`)", body.first_line, None)


def section_ends(headings: list[Heading], last_line: int) -> list[int]:
    """The last line of each heading's section: the line before the next heading of the same or a higher
    level, else ``last_line``. One stack pass (searching onwards from every heading was quadratic on a
    file of headings)."""
    ends = [last_line] * len(headings)
    open_: list[int] = []
    for index, heading in enumerate(headings):
        while open_ and headings[open_[-1]].level >= heading.level:
            ends[open_.pop()] = heading.line - 1
        open_.append(index)
    return ends


def workflow_units(headings: list[Heading], last_line: int) -> list[tuple[Heading, int]]:
    """``(heading, end_line)`` for each workflow: a heading with "workflow" in it, or each child heading
    of a "Workflows" section that has children."""
    units: dict[int, tuple[Heading, int]] = {}
    ends = section_ends(headings, last_line)
    parents: list[int] = []  # the enclosing heading of each (-1 at the top); levels are 1-6, so chains are short
    stack: list[int] = []
    for index, heading in enumerate(headings):
        while stack and headings[stack[-1]].level >= heading.level:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(index)

    for i, h in enumerate(headings):
        if "workflow" not in h.text.lower():
            continue
        end = ends[i]
        children = []
        j = i + 1
        while j < len(headings) and headings[j].line <= end:
            if headings[j].level == h.level + 1:
                children.append(j)
            j += 1
        if re.search(r"workflows\b", h.text, re.IGNORECASE) and children:
            for j in children:
                units.setdefault(headings[j].line, (headings[j], ends[j]))
        else:
            # not inside a unit already taken (a unit around h is one of its enclosing headings)
            parent = parents[i]
            while parent != -1 and headings[parent].line not in units:
                parent = parents[parent]
            if parent == -1:
                units.setdefault(h.line, (h, end))
    return [units[line] for line in sorted(units)]


class ChecklistOptions(Options):
    min_workflows_with_checklist: int = Field(
        2, ge=0, description="Workflows (at least; all of them when there are fewer) that must have a checklist.")
    max_steps_without_checklist: int = Field(
        4, ge=0, description="Most steps (list items, or code blocks when there are none) a workflow may have "
        "without a checklist.")


def workflow_steps(lines: list[str], start: int, end: int) -> int:
    """Steps of the workflow on lines ``start..end`` (1-based): its outermost list items, or its code
    blocks when it has no list."""
    items = [len(lines[n - 1]) - len(lines[n - 1].lstrip()) for n in range(start, end + 1)
             if re.match(r"^\s*(?:[-*+]|\d+[.)])\s+\S", lines[n - 1])]
    if items:
        return sum(1 for indent in items if indent == min(items))
    return sum(1 for n in range(start, end + 1) if lines[n - 1].lstrip().startswith(("```", "~~~"))) // 2


@rule("SK204", "workflow-without-checklist", Severity.WARNING, options=ChecklistOptions)
def workflow_without_checklist(skill: Skill, options: ChecklistOptions) -> Iterator[Violation]:
    """## What it does
    Checks that the workflows that need a checklist have one (a task-list line such as `- [ ] Validate
    the config`): at least `min-workflows-with-checklist` (2) workflows of the skill (each one when it
    has fewer), and every workflow of more than `max-steps-without-checklist` (4) steps. A workflow is a
    heading containing "workflow", or each sub-heading of a "Workflows" section; its steps are its
    outermost list items, or its code blocks when it has no list.

    ## Why is this bad?
    A checklist lets the agent track multi-step work and report progress step by step; without one,
    steps get skipped. Anthropic's authoring guide recommends a checklist for complex workflows; a
    two-step workflow (one request, one call) does not need one.

    ## Example
    `## Workflow 1: Fine-tune` followed by eight numbered steps in prose. Use instead: make them
    `- [ ] Step 1: ...` items.
    """
    body = skill.body
    if body is None:
        return
    units = workflow_units(body.headings, len(body.lines))
    bare = [(h, end) for h, end in units
            if not any(TASK_ITEM.match(body.lines[n - 1]) for n in range(h.line + 1, end + 1))]
    wanted = min(options.min_workflows_with_checklist, len(units))
    too_few = len(units) - len(bare) < wanted
    for heading, end in bare:
        steps = workflow_steps(body.lines, heading.line + 1, end)
        if steps > options.max_steps_without_checklist:
            yield Violation(f"workflow `{heading.text}` has {steps} steps and no `- [ ]` checklist", heading.line, None)
        elif too_few:
            yield Violation(f"workflow `{heading.text}` has no `- [ ]` checklist; at least {wanted} workflows of a "
                            "skill should have one", heading.line, None)


class EmptySectionOptions(Options):
    headings: str = Field(
        "", description="Regular expression a heading must match to be checked (case-insensitive); empty: every heading.")


@rule("SK205", "empty-section", Severity.WARNING, options=EmptySectionOptions)
def empty_section(skill: Skill, options: EmptySectionOptions) -> Iterator[Violation]:
    """## What it does
    Reports a heading of SKILL.md followed by nothing (blank lines or HTML comments only) before the
    next heading of the same or a higher level.

    ## Why is this bad?
    An empty section is unfinished work: the outline promises a quick start or a troubleshooting
    entry that the agent then does not find, and it makes a hollow skill look complete.

    ## Example
    `## Common issues` directly followed by `## Advanced topics`. Use instead: the real error
    messages and their fixes, or no heading.
    """
    pattern = re.compile(options.headings, re.IGNORECASE) if options.headings else None
    doc = skill.body
    if doc is None:
        return
    headings = doc.headings
    ends = section_ends(headings, len(doc.lines))  # one pass: searching onwards per heading was quadratic
    for i, h in enumerate(headings):
        if pattern is not None and not pattern.search(h.text):
            continue
        first = next((n for n in range(h.line, ends[i]) if doc.lines[n].strip()), None)  # stops at content
        if first is None:
            yield Violation(f"section `{h.text}` is empty", h.line, None)
        elif "<!--" in doc.lines[first]:  # only comments? (rare: read the section once)
            text = "\n".join(doc.lines[first : ends[i]])
            if not re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip():
                yield Violation(f"section `{h.text}` is empty", h.line, None)


@rule("SK206", "placeholder-checklist-item", Severity.WARNING)
def placeholder_checklist_item(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a task-list item that says nothing once its label and template markers are removed:
    `- [ ] Step 1:`, `- [ ] Step 2: ...`, `- [ ] TODO`.

    ## Why is this bad?
    A checklist of empty steps looks like a workflow and gives the agent nothing to do; it is the
    scaffold left unfilled.

    ## Example
    `- [ ] Step 1: ...`. Use instead: `- [ ] Step 1: Convert the audio to 16 kHz mono: ffmpeg -i in.mp3 -ar 16000 -ac 1 in.wav`.
    """
    from skillkit.substance import content_words

    for doc in skill.markdown_docs():
        where = None if doc is skill.body else doc.path
        for number, line in doc.prose_lines():
            if TASK_ITEM.match(line) and not content_words(line):
                yield Violation("checklist item with no content; say what to do in this step", number, None,
                                path=where)


class RepeatOptions(Options):
    min_words: int = Field(8, ge=1, description="Shortest line (in words) that counts.")
    max_repeats: int = Field(2, ge=1, description="Most times one line of prose may appear in SKILL.md.")


@rule("SK207", "repeated-text", Severity.WARNING, options=RepeatOptions)
def repeated_text(skill: Skill, options: RepeatOptions) -> Iterator[Violation]:
    """## What it does
    Reports a line of prose (at least `min-words` (8) words, once markup, links and `Step N:` labels
    are removed; table rows aside) that appears more than `max-repeats` (2) times in the SKILL.md body.

    ## Why is this bad?
    The same sentence pasted into every section fills the outline without saying anything; it is
    padding, and it makes a hollow skill look long.

    ## Example
    "Whisper turns speech into accurate text." as the quick start, each step and each issue. Use
    instead: what each section asks for.
    """
    from skillkit.substance import LINK, content_words

    body = skill.body
    if body is None:
        return
    seen: dict[str, int] = {}
    for number, line in body.prose_lines():
        words = content_words(LINK.sub(" ", line)) if not line.lstrip().startswith("|") else []
        if len(words) < options.min_words:
            continue
        key = " ".join(words)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == options.max_repeats + 1:
            yield Violation(f"this line appears more than {options.max_repeats} times; write what each place needs",
                            number, None)
