"""SK5xx: the description and the prose of the body."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.lazymodel import Field
from skillkit.model import MarkdownDoc, Skill
from skillkit.rules import Options, rule
from skillkit.textscan import hit_windows, prose_scan

TRIGGER = re.compile(
    r"\b(use|used|useful|invoke|trigger|apply|choose)\w*\b[^.;]{0,60}?\b(when|whenever|if|for|before|after|during|while)\b"
    r"|\bwhen(ever)?\b"
    # a sentence or closing clause that names the tasks it is for: "For evolutionary analysis, microbial
    # genomics, ...", "... volcano plots, for RNA-seq analysis."
    r"|(?:^|[.!?;,]\s+)(?:(?:best|ideal|ideally|especially|mainly|primarily|built|designed|meant|made)\s+)?for\s+"
    r"(?!more\b|details?\b|example\b|instance\b|information\b|further\b|reference\b|a full\b|the full\b)",
    re.IGNORECASE,
)
# "I" only as a subject (at the start of a clause, before a lowercase word), so "Type I error" is not it.
FIRST_PERSON = re.compile(
    r"(?:^|[.!?;:,]\s+)I\s+[a-z]|\b(?:I'm|I've|I'll)\b|(?i:\b(?:we|we're|we'll|my|our|ours|let me|let us)\b)"
)
SECOND_PERSON = re.compile(r"\b(?:you (?:can|could|should|will|must|may)|you'll|you're|you've|your|yours)\b", re.IGNORECASE)
# a quotation: straight or curly double quotes, or single quotes that are not apostrophes (`don't`, `users'`)
QUOTED = re.compile(r'"[^"\n]{1,200}"|\u201c[^\u201d\n]{1,200}\u201d|\u2018[^\u2019\n]{1,200}\u2019|(?<!\w)\'[^\'\n]{1,200}\'(?!\w)')
VAGUE_LEAD = re.compile(r"^\s*(helps?|assists?|handles?|does|works)\s+(with|on)\b", re.IGNORECASE)


def _description(skill: Skill) -> tuple[str, int | None, int | None] | None:
    data = skill.data
    if data is None or not isinstance(data.get("description"), str) or not data["description"].strip():
        return None
    line, column = skill.loc("description", value=True)
    return data["description"], line, column


@rule("SK501", "description-missing-when", Severity.WARNING)
def description_missing_when(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the description says *when* to use the skill: a trigger clause such as "Use when
    ...", "useful for ...", "use this before ...", "invoke after ...", a plain "when", or a sentence
    or closing clause that names the tasks it is for ("For evolutionary analysis, microbial
    genomics, ...", "... volcano plots, for RNA-seq analysis.").

    ## Why is this bad?
    Agents see only names and descriptions when choosing a skill. A description that says what the
    skill is but not when it applies is picked too rarely, or for the wrong tasks.

    ## Example
    `description: Expert guidance for vLLM serving.` Use instead: `... Use when deploying an LLM
    behind an OpenAI-compatible API or tuning vLLM throughput.`
    """
    found = _description(skill)
    if found and not TRIGGER.search(found[0]):
        yield Violation("the description does not say when to use the skill; add a `Use when ...` clause",
                        found[1], found[2])


@rule("SK502", "description-not-third-person", Severity.WARNING)
def description_not_third_person(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports first-person (`I`, `we`, `my`, `our`, `let me`) or second-person (`you can`, `you'll`,
    `your`) wording in the description. The imperative "Use when ...", the skill's own name and
    wording in quotation marks (a user's request: "the xlsx in my downloads") are fine.

    ## Why is this bad?
    The description is injected into the agent's system prompt; a changing point of view there
    confuses who is speaking and hurts discovery. Anthropic's guide says: always third person.

    ## Example
    `I can help you convert PDFs.` Use instead: `Converts PDFs to text. Use when ...`.
    """
    found = _description(skill)
    if not found:
        return
    text, line, column = found
    name = skill.data.get("name") if skill.data else None
    if isinstance(name, str) and name.strip():
        # the skill's own name (`my-own-tool`, "my own tool") is not first-person wording
        own = re.escape(name.strip()).replace(r"\-", "[-_ ]")
        text = re.sub(rf"(?i)(?<![\w-]){own}(?![\w-])", lambda m: "x" * len(m.group(0)), text)
    # words in quotation marks are someone else's (the user's request, "the xlsx in my downloads")
    text = QUOTED.sub(lambda m: "x" * len(m.group(0)), text)
    match = FIRST_PERSON.search(text) or SECOND_PERSON.search(text)
    if match:
        word = match.group(0).strip(" .!?;:,")
        word = "I" if word.startswith("I ") else word
        yield Violation(f"the description uses `{word}`; write it in the third person "
                        "(\"Converts ...\", \"Use when ...\")", line, column)


class DescriptionOptions(Options):
    min_chars: int = Field(100, ge=1)
    max_words: int = Field(200, ge=1)
    #: Off unless a profile or configuration sets it: the library profile sets 250.
    max_chars: int | None = Field(None, ge=1)


@rule("SK503", "description-length-quality", Severity.WARNING, options=DescriptionOptions)
def description_length_quality(skill: Skill, options: DescriptionOptions) -> Iterator[Violation]:
    """## What it does
    Warns when the description is shorter than `min-chars` (100), longer than `max-words` (200) or
    `max-chars` (off by default; 250 in the library profile), or opens vaguely ("Helps with ...",
    "Handles ...").

    ## Why is this bad?
    A few specific sentences are what an agent needs to match a task to the skill: "Helps with
    PDFs." matches everything and nothing. Every installed skill's description sits in the agent's
    skill listing, which has a budget (Claude Code: 1% of the context, about 8,000 characters); past
    it, descriptions are dropped and those skills stop triggering.

    ## Example
    `description: Helps with PDFs.` Use instead: what it does with PDFs, and when to use it.
    """
    found = _description(skill)
    if not found:
        return
    text, line, column = found
    stripped = text.strip()
    if len(stripped) < options.min_chars:
        yield Violation(f"the description is {len(stripped)} characters; say what the skill does and when to use "
                        f"it in at least {options.min_chars}", line, column)
    if options.max_chars is not None and len(stripped) > options.max_chars:
        yield Violation(f"the description is {len(stripped)} characters, over {options.max_chars}: every installed "
                        "skill's description sits in the agent's skill listing (Claude Code: 1% of the context, "
                        "about 8,000 characters); say what it does and \"Use when ...\" with the words a user "
                        "would type, and move feature and version lists into the body", line, column)
    words = len(stripped.split())
    if words > options.max_words:
        yield Violation(f"the description is {words} words, over {options.max_words}; keep it to a short paragraph",
                        line, column)
    if VAGUE_LEAD.search(stripped):
        yield Violation("the description opens vaguely (\"Helps with ...\"); lead with what the skill does",
                        line, column)


# Literal starts and no leading \b, so the engine can skip ahead; word edges are checked by hand.
PLACEHOLDER = re.compile(
    r"\[TODO|TODO:|TODO|TBD|FIXME|XXX|Lorem ipsum|lorem ipsum"
    r"|\[(?:Skill Title|Skill Name|URL|First action|Second action|Alternative|Error message or problem|"
    r"Brief description|Description|Your [A-Za-z ]+|Insert [A-Za-z ]+|Tool Name|Package Name)\](?![(\[:])"
    r"|example-skill-name|package1>=1\.0\.0|Tag One|Structuring This Skill"
)


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019"}
# "never write TBD", "avoid TODO markers", "no FIXME": the marker named as something not to leave
AVOIDED = re.compile(r"\b(?:avoid\w*|never|no|not|don't|without|forbid\w*|ban\w*|flag\w*|reject\w*)\b[^.;:!?\n]{0,30}$",
                     re.IGNORECASE)


# "TODO/FIXME", "TODO, FIXME or XXX": markers listed as a kind, not one left in place
LISTED = re.compile(r"\s*(?:/|,|\bor\b|\band\b)\s*(?:\[?TODO|TBD|FIXME|XXX|Lorem ipsum|lorem ipsum)")
LISTED_BEFORE = re.compile(r"(?:TODO|TBD|FIXME|XXX|Lorem ipsum|lorem ipsum)\s*(?:/|,|\bor\b|\band\b)\s*$")
# "No placeholder text remaining (Lorem ipsum, TODO, etc.)", "All TODO comments removed": the sentence is about
# placeholders themselves
ABOUT_MARKERS = re.compile(r"\b(?:placeholders?|markers?|leftovers?|comments?|remov\w*|remaining)\b", re.IGNORECASE)


def _mentioned_not_used(text: str, start: int, end: int) -> bool:
    """A marker quoted (`"TBD"`, `` `TODO` ``), named as something to avoid, listed with other markers, or
    in a sentence about placeholders themselves is talk about placeholders, not one left in place."""
    before = text[start - 1] if start > 0 else ""
    if before in QUOTES and text[end:end + 1] == QUOTES[before]:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if AVOIDED.search(text, line_start, start) is not None:
        return True
    if text[end - 1] != ":" and (LISTED.match(text, end) or LISTED_BEFORE.search(text, line_start, start)):
        return True
    line_end = text.find("\n", end)
    line = text[line_start: len(text) if line_end == -1 else line_end]
    sentence = re.split(r"(?<=[.!?])\s", line[start - line_start:], maxsplit=1)[0]
    head = re.split(r"[.!?]\s", line[: start - line_start])[-1]
    return text[end - 1] != ":" and ABOUT_MARKERS.search(head + " " + sentence) is not None


def find_placeholders(text: str) -> Iterator[re.Match[str]]:
    for match in PLACEHOLDER.finditer(text):
        word = match.group(0)
        if word[0].isalpha() and not word.endswith(":") and not _whole_word(text, match.start(), match.end()):
            continue
        if word == "XXX" and match.start() > 0 and text[match.start() - 1] in "-_#":
            continue  # a number slot in a naming pattern (`SOP-XXX`, `RFC-XXX`), not unfinished work
        if _mentioned_not_used(text, match.start(), match.end()):
            continue
        yield match


class PlaceholderOptions(Options):
    in_code: bool = Field(False, description="Also report `TODO`/`FIXME` markers and the scaffold's sentences in code blocks.")


@rule("SK504", "template-placeholder", Severity.WARNING, options=PlaceholderOptions)
def template_placeholder(skill: Skill, options: PlaceholderOptions) -> Iterator[Violation]:
    """## What it does
    Reports template leftovers in the frontmatter and prose: `TODO` (with or without a colon, in
    headings and list items too), `[TODO`, `TBD`, `FIXME`, `XXX`, lorem ipsum, bracketed template
    slots (`[Skill Title]`, `[URL]`, `[First action]`), a `[language]` fence tag, and the markers and
    placeholder sentences that `skillkit new` leaves in a fresh skill (read from its template, so
    "... the cause, then the fix." is found with its marker removed). Bracketed slots count in
    SKILL.md only: in a reference they are an output template for the agent to fill in (a report
    table with `[Description]` cells). With `in-code` (the library profile) code blocks are searched
    too.

    ## Why is this bad?
    A placeholder tells the agent nothing and marks an unfinished skill; it must never ship, so the
    scaffold's markers make CI fail until they are replaced.

    ## Example
    `## [Skill Title]`. Use instead: the real title.
    """
    from skillkit.substance import MARKER, template_phrase

    fm = skill.frontmatter
    if fm is not None:
        for index, line in enumerate(fm.text.split("\n")):
            match = next(find_placeholders(line), None)
            if match:
                yield Violation(f"template placeholder `{match.group(0)}` in the frontmatter", fm.start_line + index,
                                match.start() + 1)
    for doc in skill.markdown_docs():
        where = None if doc is skill.body else doc.path
        scan = prose_scan(doc)
        marked: set[int] = set()
        for match in find_placeholders(scan.text):
            if where is not None and match.group(0).startswith("[") and not match.group(0).startswith("[TODO"):
                continue  # a reference's `[Description]` is a slot of an output template the agent fills in
            number, column = scan.position(match.start())
            marked.add(number)
            yield Violation(f"template placeholder `{match.group(0)}`", number, column, path=where)
        for number, line in doc.prose_lines():
            phrase = template_phrase(line) if number not in marked else None
            if phrase:
                yield Violation(f"the template's placeholder text `{phrase}`; write what it asks for", number, None,
                                path=where)
        for fence in doc.fences:
            if fence.info.strip().lower() in ("[language]", "language"):
                yield Violation("template placeholder `[language]` as the code block's language", fence.start, None,
                                path=where)
            if not options.in_code:
                continue
            last = fence.end - 1 if fence.closed else fence.end
            for number in range(fence.start + 1, last + 1):
                line = doc.lines[number - 1]
                match = MARKER.search(line)
                phrase = None if match else template_phrase(line)
                if match:
                    yield Violation(f"template placeholder `{match.group(0)}` in a code block", number,
                                    match.start() + 1, path=where)
                elif phrase:
                    yield Violation(f"the template's placeholder text `{phrase}` in a code block", number, None,
                                    path=where)


MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# Matched against lower-cased text, with literal starts (word edges checked by hand): fast on large files.
TIME_WORDING = re.compile(
    # "as of 2024" is a snapshot and "by 2025" a forecast; "since Mar 2026", "before 2025", "until 2026" date a
    # change, which stays true
    rf"(?:as of|by)\s+(?:{MONTH}\s+)?(?:q[1-4]\s+)?20\d\d(?!\d)"
    r"|as of (?:now|today|writing|this writing)"
    r"|(?:currently|recently|just) (?:released|announced|launched)"
    r"|coming soon|newly released"
    # "last year we released" is the writer's year; "using last year's style file" the reader's, whenever read
    r"|(?:this|next|last) (?:year|month|quarter)(?!['\u2019]s)"
    r"|latest (?:version|release) (?:is|was)"
)
#: Every match of TIME_WORDING holds one of these: the engine runs only near them (an alternation over a
#: whole file is slow). 80 characters either side covers the longest phrase with its spacing.
TIME_HINTS = ("20", "as of", "released", "announced", "launched", "coming soon", "year", "month", "quarter", "latest")
# after "as of 2023": a document's name or an edition word, so the year labels an edition
EDITION = re.compile(r"[ \t]+(?:[A-Z][A-Z0-9]+\b|(?i:edition|release|version|revision|guidelines?|spec(?:ification)?|standard)\b)")
EXEMPT_SECTION = re.compile(r"old patterns|legacy|deprecat|changelog|history|migration|release notes", re.IGNORECASE)


def _exempt_lines(doc: MarkdownDoc) -> set[int]:
    """Lines inside sections about history, and inside `<details>` blocks."""
    exempt: set[int] = set()
    from skillkit.rules.structure import section_ends

    headings = doc.headings
    for h, end in zip(headings, section_ends(headings, len(doc.lines))):
        if EXEMPT_SECTION.search(h.text) and h.line not in exempt:  # a section inside one is covered
            exempt.update(range(h.line, end + 1))
    inside = False
    for number, line in enumerate(doc.lines, 1):
        if "<details" in line:
            inside = True
        if inside:
            exempt.add(number)
        if "</details>" in line:
            inside = False
    return exempt


@rule("SK505", "time-sensitive-wording", Severity.WARNING)
def time_sensitive_wording(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports wording that goes stale: "as of 2024", "by 2025", "recently released", "coming soon",
    "this year", "the latest version is". A date that dates a change ("since Mar 2026", "before
    2025", "until 2026") stays true and is not reported, nor is a year that names an edition ("as of
    2023 PAPPG", "as of 2024 edition") or a phrase in quotation marks (a label quoted: listed as
    "coming soon" in 26.02), nor a possessive that is the reader's time ("using last year's style
    file"). Sections about history (Legacy, Deprecated,
    Changelog, Migration) and `<details>` blocks are exempt.

    ## Why is this bad?
    A skill is read long after it was written; relative time claims become wrong without anyone
    noticing. State versions instead ("since vLLM 0.6", "removed in trl 0.20").

    ## Example
    `As of 2024, the latest version is 0.4.` Use instead: `Requires vllm>=0.6 (checked against 0.8.3).`
    """
    for doc in skill.markdown_docs():
        where = None if doc is skill.body else doc.path
        scan = prose_scan(doc)
        exempt: set[int] | None = None
        reported: set[int] = set()
        lowered = scan.text.lower()
        matches = (m for start, end in hit_windows(lowered, TIME_HINTS, 80)
                   for m in TIME_WORDING.finditer(lowered, start, end))
        for match in matches:
            if not _whole_word(scan.text, match.start(), match.end()):
                continue
            if EDITION.match(scan.text, match.end()):
                continue  # "as of 2023 PAPPG": the year names an edition, which is what the rule asks for
            before = scan.text[match.start() - 1] if match.start() else ""
            if before in QUOTES and scan.text[match.end() : match.end() + 1] == QUOTES[before]:
                continue  # a label quoted ("listed as "coming soon" in 26.02"): someone else's words, dated
            number, column = scan.position(match.start())
            if exempt is None:
                exempt = _exempt_lines(doc)
            if number in exempt or number in reported:
                continue
            reported.add(number)
            phrase = scan.text[match.start() : match.end()]
            yield Violation(f"time-sensitive wording `{phrase}`; name the version instead", number, column, path=where)


class WallOptions(Options):
    max_chars: int = Field(1000, ge=80)


@rule("SK506", "scraped-wall-of-text", Severity.WARNING, options=WallOptions)
def scraped_wall_of_text(skill: Skill, options: WallOptions) -> Iterator[Violation]:
    """## What it does
    Reports a prose line longer than `max-chars` (1,000 characters), in SKILL.md and references.

    ## Why is this bad?
    Lines that long are nearly always documentation scraped whole: they spend the agent's context
    without telling it what to do.

    ## Example
    A 60,000-character line of pasted HTML text. Use instead: the few facts that matter, as a list.
    """
    for doc in skill.markdown_docs():
        where = None if doc is skill.body else doc.path
        for number, raw in doc.prose_lines():
            if len(raw) > options.max_chars:
                yield Violation(f"a {len(raw):,}-character line; summarise it into what the agent needs", number, None,
                                path=where)
