"""SK1xx: the file, its frontmatter, and every check of the Agent Skills specification.

Limits are the specification's, as named constants (the reference validator ``skills-ref`` uses the
same numbers).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from skillkit.diagnostics import Severity, Violation
from skillkit.model import SPEC_FIELDS, Skill
from skillkit.rules import rule
from skillkit.targets import SPEC_FIELD_TARGETS

MAX_NAME_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 1024
MAX_COMPATIBILITY_LENGTH = 500
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED_WORDS = ("anthropic", "claude")
VAGUE_WORDS = frozenset(
    "helper helpers util utils utilities tool tools misc stuff documents data files skill general common".split()
)
XML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][\w:-]*[^<>]*>")
TOOL_TOKEN = re.compile(r"[^\s(]+(?:\([^)]*\))?")
TOOL_SHAPE = re.compile(r"^[A-Za-z][\w.-]*(\([^()]*\))?$")
BROAD_SHELL = frozenset({"Bash", "Bash(*)", "Bash(*:*)"})


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime, date)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _text_field_problem(field: str, value: object, limit: int, empty_hint: str = "") -> str | None:
    """What is wrong with a field that must be a non-empty string of at most ``limit`` characters."""
    if not isinstance(value, str):
        return f"`{field}` must be a string, but YAML reads it as {_type_name(value)}"
    if not value.strip():
        return f"`{field}` is empty{empty_hint}"
    if len(value) > limit:
        return f"`{field}` is {len(value):,} characters, over the {limit:,}-character limit"
    return None


def _folder_name(skill: Skill) -> str:
    return Path(skill.dir).absolute().name


@rule("SK100", "unreadable-file", Severity.ERROR)
def unreadable_file(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a `SKILL.md` or `references/` Markdown file that cannot be read as UTF-8 text. That is
    binary content, invalid UTF-8, a folder, FIFO or device in place of a file, a symbolic link loop or
    a link leading outside the checked tree, or a file over the 5 MB size cap.

    ## Why is this bad?
    Agents read skills as UTF-8 text. A file they cannot read is a skill they cannot use, and a FIFO or
    a link out of the tree could block or leak when a tool opens it, so skillkit never does.

    ## Example
    A `SKILL.md` saved as UTF-16 or Latin-1. Use instead: re-save it as UTF-8.
    """
    if skill.read_problem is not None:
        p = skill.read_problem
        yield Violation(f"{skill.skill_md.name if skill.skill_md else 'SKILL.md'} {p.message}", p.line, p.column)
    for path, p in skill.reference_problems:
        yield Violation(f"{path.name} {p.message}", p.line, p.column, path=path)


@rule("SK101", "skill-md-missing", Severity.ERROR)
def skill_md_missing(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the skill folder holds a file named exactly `SKILL.md`. A folder with a `references/`
    folder but no `SKILL.md` (and no skill below it) is reported; a lowercase `skill.md` is a warning.

    ## Why is this bad?
    The specification requires `SKILL.md`; agents and packaging scripts look for that exact name, so a
    skill without it is never loaded.

    ## Example
    `pdf/skill.md`. Use instead: `git mv pdf/skill.md pdf/SKILL.md`.
    """
    if skill.skill_md is None:
        yield Violation("folder has a references/ folder but no SKILL.md", path=skill.dir)
    elif skill.skill_md.name != "SKILL.md":
        yield Violation(
            f"the file is named `{skill.skill_md.name}`; the specification and most agents require `SKILL.md`",
            severity=Severity.WARNING,
        )


@rule("SK102", "frontmatter-missing", Severity.ERROR, fixable=True)
def frontmatter_missing(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `SKILL.md` starts at byte 0 with a `---` line and that a later line `---` closes the
    frontmatter. An empty file fails. A UTF-8 byte-order mark or CRLF line endings are warnings.

    ## Why is this bad?
    Without frontmatter an agent has no name or description to find the skill by. A BOM makes the
    reference validator (`content.startswith("---")`) refuse the file, and byte-level `^---\\n`
    parsers in some clients miss CRLF frontmatter, though most agents accept both.

    ## Example
    A SKILL.md whose first line is `# My skill`. Use instead: start with `---`, `name: ...`,
    `description: ...`, `---`.
    """
    if skill.empty:
        yield Violation("SKILL.md is empty; it needs YAML frontmatter with a name and a description", 1, 1)
    if skill.bom:
        yield Violation(
            "starts with a UTF-8 byte-order mark; the reference validator refuses it (most agents accept it)",
            1, 1, severity=Severity.WARNING, fixable=True,
        )
    if skill.crlf_lines:
        kind = "mixed CRLF and LF" if skill.lf_lines else "CRLF"
        yield Violation(
            f"uses {kind} line endings ({skill.crlf_lines} CRLF lines); byte-level `---\\n` parsers expect LF",
            1, None, severity=Severity.WARNING, fixable=True,
        )
    if skill.frontmatter_problem is not None:
        p = skill.frontmatter_problem
        yield Violation(p.message, p.line, p.column)


@rule("SK103", "frontmatter-invalid-yaml", Severity.ERROR)
def frontmatter_invalid_yaml(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the frontmatter is YAML that a safe loader accepts and that it is a mapping. Tags that
    would build Python objects, alias bombs and nesting deeper than 64 levels are refused, never run.

    ## Why is this bad?
    If the YAML does not load, no agent can read the skill's name or description. The most common cause
    is an unquoted `: ` inside a value.

    ## Example
    `description: Tools: PDF and Word`. Use instead: `description: "Tools: PDF and Word"` or a
    folded block `description: >-`.
    """
    fm = skill.frontmatter
    if fm is None:
        return
    if fm.error is not None:
        hint = ""
        if "mapping values are not allowed" in fm.error.message:
            hint = "; a value containing `: ` must be quoted or written as a `>-` block"
        yield Violation(f"invalid YAML: {fm.error.message}{hint}", fm.error.line, fm.error.column)
    elif fm.data is None:
        yield Violation("the frontmatter is empty; it needs at least `name` and `description`", fm.start_line - 1, 1)
    elif not isinstance(fm.data, dict):
        yield Violation(
            f"the frontmatter must be a YAML mapping of fields, not {_type_name(fm.data)}", fm.start_line, 1
        )


@rule("SK104", "frontmatter-not-strict-yaml", Severity.ERROR, fixable=True)
def frontmatter_not_strict_yaml(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports YAML that PyYAML accepts but strict parsers refuse. That is flow collections (`[a, b]`,
    `{k: v}`), anchors and aliases, explicit tags, duplicate keys, and a `---` anywhere inside the
    frontmatter.

    ## Why is this bad?
    The reference validator parses frontmatter with strictyaml, which refuses all of these, and splits
    the file on `---`. Tools then disagree on whether the skill is valid; duplicate keys silently
    lose a value.

    ## Example
    `tags: [RLHF, TRL]`. Use instead, under `metadata`: `tags: "RLHF, TRL"`.
    """
    fm = skill.frontmatter
    if fm is None:
        return
    for p in fm.strict_issues:
        yield Violation(p.message, p.line, p.column, fixable=p.message.startswith("flow-style"))


@rule("SK105", "unknown-frontmatter-field", Severity.ERROR, fixable=True, targets=SPEC_FIELD_TARGETS)
def unknown_frontmatter_field(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the frontmatter has only the specification's top-level fields: `name`, `description`,
    `license`, `compatibility`, `metadata` and `allowed-tools`.

    ## Why is this bad?
    The reference validator rejects any other field, and so do claude.ai uploads and the Skills API.
    Extra information belongs under `metadata`, as strings. With `--target claude-code` this rule does
    not run: SK120 accepts Claude Code's own fields instead.

    ## Example
    `version: 1.0.0` at the top level. Use instead: `metadata:` then `  version: "1.0.0"`.
    """
    data = skill.data
    if data is None:
        return
    for key in data:
        if key not in SPEC_FIELDS:
            line, column = skill.loc(str(key))
            yield Violation(
                f"unknown top-level field `{key}`; the specification allows only {', '.join(SPEC_FIELDS)} "
                "(move it under `metadata` as a string; `--fix --unsafe-fixes` does it)",
                line, column,
            )


def _name_problems(name: str) -> list[str]:
    problems = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"is {len(name)} characters, over the {MAX_NAME_LENGTH}-character limit")
    if name != name.lower():
        problems.append("has uppercase letters")
    if name.startswith("-") or name.endswith("-"):
        problems.append("starts or ends with a hyphen")
    if "--" in name:
        problems.append("has consecutive hyphens")
    bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c == "-"))})
    if bad:
        problems.append("has characters other than a-z, 0-9 and '-': " + " ".join(repr(c) for c in bad))
    if not problems and not NAME_PATTERN.match(name):  # pragma: no cover - the checks above cover the regex
        problems.append("is not of the form lowercase-words-with-hyphens")
    return problems


def suggest_slug(text: str) -> str:
    """A valid skill name close to ``text``: lowercase ASCII words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_NAME_LENGTH].rstrip("-")


@rule("SK106", "name-format", Severity.ERROR)
def name_format(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the required `name` is a non-empty string of at most 64 characters (after NFKC
    normalisation) made of lowercase letters, digits and single inner hyphens.

    ## Why is this bad?
    The specification defines the name this way; agents use it as an identifier and the reference
    validator rejects anything else.

    ## Example
    `name: PDF_Tools`. Use instead: `name: pdf-tools`.
    """
    data = skill.data
    if data is None:
        return
    if "name" not in data:
        yield Violation("missing required field `name`", skill.frontmatter.start_line - 1 if skill.frontmatter else 1, 1)
        return
    line, column = skill.loc("name", value=True)
    value = data["name"]
    if not isinstance(value, str):
        yield Violation(f"`name` must be a string, but YAML reads it as {_type_name(value)}; quote it", line, column)
        return
    name = unicodedata.normalize("NFKC", value.strip())
    if not name:
        yield Violation("`name` is empty", line, column)
        return
    problems = _name_problems(name)
    if problems:
        slug = suggest_slug(name)
        hint = f"; try `{slug}`" if slug and slug != name else ""
        yield Violation(f"`name` {'; '.join(problems)}{hint}", line, column)


@rule("SK107", "name-dir-mismatch", Severity.ERROR)
def name_dir_mismatch(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `name` equals the skill's folder name (both NFKC-normalised).

    ## Why is this bad?
    Agents and installers find skills by folder; the specification requires the match and the
    reference validator fails without it.

    ## Example
    `name: pdf-tools` in `pdf/SKILL.md`. Use instead: `git mv pdf pdf-tools`, or change the name.
    """
    data = skill.data
    if data is None or not isinstance(data.get("name"), str) or not data["name"].strip():
        return
    name = unicodedata.normalize("NFKC", data["name"].strip())
    folder = unicodedata.normalize("NFKC", _folder_name(skill))
    if name != folder:
        line, column = skill.loc("name", value=True)
        yield Violation(
            f"`name` is `{name}` but the folder is `{folder}`; rename the folder (`git mv`) or the name",
            line, column,
        )


@rule("SK108", "name-reserved-word", Severity.ERROR, targets=SPEC_FIELD_TARGETS)
def name_reserved_word(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `name` does not contain the reserved words `anthropic` or `claude`.

    ## Why is this bad?
    Anthropic's skill authoring rules reserve these words; skills named with them are refused on
    upload to Claude. Claude Code loads them (its reserved names are only those of the skills synced
    from a claude.ai account), so this rule does not run with `--target claude-code`.

    ## Example
    `name: claude-pdf`. Use instead: `name: pdf-processing`.
    """
    data = skill.data
    if data is None or not isinstance(data.get("name"), str):
        return
    lowered = data["name"].lower()
    for word in RESERVED_WORDS:
        if word in lowered:
            line, column = skill.loc("name", value=True)
            yield Violation(f"`name` contains the reserved word `{word}`", line, column)


@rule("SK109", "name-vague", Severity.WARNING)
def name_vague(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Warns when `name`, or every hyphen-separated word of it, is a vague word such as `helper`,
    `utils`, `tools`, `misc`, `data` or `files`.

    ## Why is this bad?
    An agent chooses a skill by its name and description; a vague name says nothing about when to use
    it and collides with other skills.

    ## Example
    `name: data-tools`. Use instead: `name: parquet-profiling`.
    """
    data = skill.data
    if data is None or not isinstance(data.get("name"), str):
        return
    words = [w for w in data["name"].lower().split("-") if w]
    if words and all(w in VAGUE_WORDS for w in words):
        line, column = skill.loc("name", value=True)
        yield Violation(f"`name` `{data['name']}` is vague; name what the skill does", line, column)


@rule("SK110", "description-length", Severity.ERROR)
def description_length(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the required `description` is a non-empty string of at most 1024 characters.

    ## Why is this bad?
    The description is what an agent reads to decide whether to load the skill; the specification
    requires it and caps it at 1024 characters, and longer ones are cut.

    ## Example
    A missing description, or a 1,500-character one. Use instead: two or three sentences that say what
    the skill does and when to use it.
    """
    data = skill.data
    if data is None:
        return
    if "description" not in data:
        yield Violation("missing required field `description`", skill.frontmatter.start_line - 1 if skill.frontmatter else 1, 1)
        return
    problem = _text_field_problem("description", data["description"], MAX_DESCRIPTION_LENGTH)
    if problem:
        yield Violation(problem, *skill.loc("description", value=True))


@rule("SK111", "description-xml-tags", Severity.ERROR)
def description_xml_tags(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `name` and `description` contain no XML or HTML tags.

    ## Why is this bad?
    Agents inline descriptions into an XML skill listing (`<available_skills>`); not every client
    escapes them, so a tag can break the listing or inject instructions. Anthropic's rules forbid them.

    ## Example
    `description: Converts <input> files`. Use instead: `description: Converts input files`.
    """
    data = skill.data
    if data is None:
        return
    for field in ("name", "description"):
        value = data.get(field)
        if isinstance(value, str):
            match = XML_TAG.search(value)
            if match:
                line, column = skill.loc(field, value=True)
                yield Violation(f"`{field}` contains an XML tag `{match.group(0)[:40]}`", line, column)


@rule("SK112", "compatibility-invalid", Severity.ERROR)
def compatibility_invalid(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `compatibility`, when present, is a string of 1 to 500 characters.

    ## Why is this bad?
    The specification defines it as a short string of environment requirements; a list or an overlong
    text is rejected by validators and is not shown to users as intended.

    ## Example
    `compatibility: [linux, gpu]`. Use instead: `compatibility: Requires Linux and an NVIDIA GPU`.
    """
    data = skill.data
    if data is None or "compatibility" not in data:
        return
    problem = _text_field_problem("compatibility", data["compatibility"], MAX_COMPATIBILITY_LENGTH,
                                  "; remove it or say what the skill requires")
    if problem:
        yield Violation(problem, *skill.loc("compatibility", value=True))


@rule("SK113", "metadata-not-string-map", Severity.ERROR, fixable=True)
def metadata_not_string_map(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that `metadata`, when present, maps string keys to string values.

    ## Why is this bad?
    The specification defines `metadata` as a string-to-string map. YAML reads `1.0` as a number and
    `[a, b]` as a list; the reference validator silently turns a list into `"['a', 'b']"`.

    ## Example
    `version: 1.0` under `metadata`. Use instead: `version: "1.0"`; write lists as one string.
    """
    data = skill.data
    if data is None or "metadata" not in data:
        return
    value = data["metadata"]
    if not isinstance(value, dict):
        line, column = skill.loc("metadata")
        yield Violation(f"`metadata` must be a mapping of strings, not {_type_name(value)}", line, column)
        return
    for key, item in value.items():
        line, column = skill.loc("metadata", str(key), value=True)
        if not isinstance(key, str):
            yield Violation(f"`metadata` key `{key}` is {_type_name(key)}; quote it", line, column)
        if not isinstance(item, str):
            advice = "write it as one string" if isinstance(item, (list, dict)) else "quote it"
            yield Violation(f"`metadata.{key}` is {_type_name(item)}, not a string; {advice}", line, column,
                            fixable=not isinstance(item, (list, dict)))


@rule("SK114", "allowed-tools-invalid", Severity.WARNING, fixable=True, targets=SPEC_FIELD_TARGETS)
def allowed_tools_invalid(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Checks that the experimental `allowed-tools` field is one space-separated string of tool names
    such as `Read Bash(git:*)`, and warns about unrestricted shell access (`Bash`, `Bash(*)`).

    ## Why is this bad?
    The specification defines it as a space-separated string; a YAML list is read differently by
    different agents. Pre-approving every shell command removes the user's chance to review them.
    Claude Code also takes a comma-separated string or a list: with `--target claude-code`, SK121
    checks the field instead.

    ## Example
    `allowed-tools: [Bash, Read]`. Use instead: `allowed-tools: Bash(git:*) Read`.
    """
    data = skill.data
    if data is None or "allowed-tools" not in data:
        return
    value = data["allowed-tools"]
    line, column = skill.loc("allowed-tools", value=True)
    if not isinstance(value, str):
        yield Violation(f"`allowed-tools` must be one space-separated string, not {_type_name(value)}", line, column,
                        fixable=isinstance(value, list))
        return
    for token in TOOL_TOKEN.findall(value):
        if not TOOL_SHAPE.match(token):
            yield Violation(f"`allowed-tools` entry `{token}` is not a tool name like `Read` or `Bash(git:*)`", line, column)
        elif token in BROAD_SHELL:
            yield Violation(f"`allowed-tools` entry `{token}` pre-approves every shell command; restrict it, "
                            "e.g. `Bash(git:*)`", line, column)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


@rule("SK115", "metadata-copies-text", Severity.WARNING)
def metadata_copies_text(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a `metadata` value that is a copy of the description (or a sentence of it), or of another
    `metadata` value of three words or more: `author` and `dependencies` holding the same sentence.

    ## Why is this bad?
    Each field has its own meaning (who maintains the skill, which versions it was checked against);
    a copied sentence fills the field without answering it, which is what a half-finished skill
    from the template looks like.

    ## Example
    `dependencies: "Transcribes speech to text with Whisper."`. Use instead:
    `dependencies: "openai-whisper==20240930, torch>=2.1"`.
    """
    data = skill.data
    if data is None or not isinstance(data.get("metadata"), dict):
        return
    description = _words(data["description"]) if isinstance(data.get("description"), str) else ""
    sentences = {_words(s) for s in re.split(r"(?<=[.!?])\s+", str(data.get("description") or ""))} - {""}
    seen: dict[str, str] = {}
    for key, value in data["metadata"].items():
        if not isinstance(value, str):
            continue
        text = _words(value)
        line, column = skill.loc("metadata", str(key), value=True)
        if text and (text == description or (len(text.split()) >= 3 and text in sentences)):
            yield Violation(f"`metadata.{key}` copies the description; give it its own value", line, column)
        elif len(text.split()) >= 3 and text in seen:
            yield Violation(f"`metadata.{key}` copies `metadata.{seen[text]}`; give it its own value", line, column)
        seen.setdefault(text, str(key))
