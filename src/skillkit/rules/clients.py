"""SK12x: what one client accepts beyond, or instead of, the specification (see ``skillkit.targets``).

Each rule here runs only for its target (``--target``). The Claude Code checks follow what Claude Code
2.1.332 does when it loads a skill (its frontmatter schema and loader, read from the npm package
`@anthropic-ai/claude-code`) and its documentation, https://code.claude.com/docs/en/skills.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.lazymodel import Field
from skillkit.model import Skill
from skillkit.rules import Options, rule
from skillkit.rules.frontmatter import BROAD_SHELL, TOOL_SHAPE, _type_name
from skillkit.targets import top_level_fields

#: Claude Code's words for true and false in a boolean field (anything else is neither).
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
#: Model aliases Claude Code 2.1.332 knows, besides `inherit` and full model IDs.
MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "fable", "best", "sonnet[1m]", "opus[1m]", "fable[1m]",
                           "opusplan"})
#: A value shaped like an alias (one word), as opposed to a full model ID such as `claude-sonnet-4-5`.
ALIAS_SHAPE = re.compile(r"^[A-Za-z]+(\[1m\])?$")
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")
CONTEXTS = ("inline", "fork")
SHELLS = ("bash", "powershell")
#: Hook events Claude Code 2.1.332 accepts in `hooks` (the same as in settings.json).
HOOK_EVENTS = frozenset(
    "PreToolUse PostToolUse PostToolUseFailure PostToolBatch Notification UserPromptSubmit UserPromptExpansion "
    "SessionStart SessionEnd Stop StopFailure SubagentStart SubagentStop PreCompact PostCompact PreModelSwitch "
    "PostModelSwitch PermissionRequest PermissionDenied Setup TeammateIdle TaskCreated TaskCompleted Elicitation "
    "ElicitationResult ConfigChange WorktreeCreate WorktreeRemove InstructionsLoaded CwdChanged FileChanged "
    "DirectoryAdded MessageDisplay PreSkillShellCommand".split()
)
#: Each hook type and the keys it requires.
HOOK_TYPES = {"command": ("command",), "prompt": ("prompt",), "agent": ("prompt",), "http": ("url",),
              "mcp_tool": ("server", "tool")}
CLAUDE_CODE_KNOWN = top_level_fields("claude-code")
#: claude.ai refuses an upload above these: "Zip file uncompressed size exceeds 30MB" and "exceeds the 200
#: files limit" are the errors it shows (quoted in tw93/Kami#7 and nextlevelbuilder/ui-ux-pro-max-skill#414,
#: K-Dense-AI/scientific-agent-skills#113). 30 MB is read as 30 MiB, so a skill is never refused here
#: that claude.ai would take.
CLAUDE_AI_MAX_FILES = 200
CLAUDE_AI_MAX_BYTES = 30 * 1024 * 1024


def claude_code_bool(value: object) -> bool | None:
    """How Claude Code reads a boolean field: ``True``, ``False``, or ``None`` when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int, float)):
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


@rule("SK120", "claude-code-unknown-field", Severity.WARNING, targets=("claude-code",))
def claude_code_unknown_field(skill: Skill) -> Iterator[Violation]:
    """## What it does
    With `--target claude-code`: reports a top-level frontmatter field that is neither one of the
    specification's six nor one of Claude Code's own skill fields (`when_to_use`, `argument-hint`,
    `arguments`, `disable-model-invocation`, `user-invocable`, `disallowed-tools`, `model`, `effort`,
    `context`, `agent`, `background`, `hooks`, `paths`, `shell`, `version`). Those fields are accepted
    here (SK105 does not run for this target); their values are SK121's.

    ## Why is this bad?
    Claude Code keeps an unknown field but does nothing with it, so a misspelt `user_invocable` or
    `allowed_tools` silently has no effect. Source: the frontmatter reference,
    https://code.claude.com/docs/en/skills.md#frontmatter-reference, and Claude Code 2.1.332's schema.

    ## Example
    `user_invocable: false`. Use instead: `user-invocable: false`; put your own data under `metadata`.
    """
    data = skill.data
    if data is None:
        return
    for key in data:
        if key not in CLAUDE_CODE_KNOWN:
            close = next((k for k in CLAUDE_CODE_KNOWN if k.replace("_", "-") == str(key).replace("_", "-")), None)
            hint = f"; did you mean `{close}`?" if close else "; put your own fields under `metadata`"
            yield Violation(f"Claude Code does not use the field `{key}`{hint}", *skill.loc(str(key)))


def _tool_list_problems(field: str, value: object) -> Iterator[tuple[str, Severity | None]]:
    if isinstance(value, str):
        tokens = [t for t in re.split(r"[,\s]+(?![^()]*\))", value) if t]
    elif isinstance(value, list):
        bad = [item for item in value if not isinstance(item, str)]
        if bad:
            yield f"`{field}` entries must be tool names; {_type_name(bad[0])} is not", None
            return
        tokens = [t.strip() for t in value if t.strip()]
    else:
        yield f"`{field}` must be a string or a list of tool names, not {_type_name(value)}", None
        return
    for token in tokens:
        if not TOOL_SHAPE.match(token):
            yield f"`{field}` entry `{token}` is not a tool name like `Read` or `Bash(git:*)`", None
        elif field == "allowed-tools" and token in BROAD_SHELL:
            yield (f"`{field}` entry `{token}` pre-approves every shell command; restrict it, e.g. `Bash(git:*)`",
                   Severity.WARNING)


def _glob_problem(pattern: str) -> str | None:
    if not pattern.strip():
        return "an empty pattern"
    if pattern.count("{") != pattern.count("}") or pattern.count("[") != pattern.count("]"):
        return f"`{pattern}` has unbalanced brackets or braces"
    return None


def _paths_problems(value: object) -> Iterator[tuple[str, Severity | None]]:
    if isinstance(value, str):
        patterns = [p.strip() for p in re.split(r",(?![^{]*\})", value)]
    elif isinstance(value, list):
        if any(not isinstance(p, str) for p in value):
            bad = next(p for p in value if not isinstance(p, str))
            yield f"`paths` entries must be glob strings; {_type_name(bad)} is not", None
            return
        patterns = [p.strip() for p in value]
    else:
        yield f"`paths` must be a glob or a list of globs, not {_type_name(value)}", None
        return
    for pattern in patterns:
        problem = _glob_problem(pattern)
        if problem:
            yield f"`paths` is not a list of globs: {problem}", None
    if patterns and all(p in ("**", "**/*") for p in patterns):
        yield "`paths` matches every file, so it restricts nothing; remove it", Severity.WARNING


def _hooks_problem(value: object) -> Iterator[tuple[str, Severity | None]]:
    if not isinstance(value, dict):
        yield (f"`hooks` must map hook events to lists of matchers, not {_type_name(value)}; Claude Code loads the "
               "skill with no hooks and no allowed-tools", None)
        return
    for event, matchers in value.items():
        where = f"hooks.{event}"
        if event not in HOOK_EVENTS:
            yield f"`{where}` is not a Claude Code hook event (such as PreToolUse, PostToolUse, Stop); ignored", None
            continue
        if not isinstance(matchers, list):
            yield f"`{where}` must be a list of matchers, not {_type_name(matchers)}", None
            continue
        for i, matcher in enumerate(matchers):
            spot = f"{where}[{i}]"
            if not isinstance(matcher, dict) or not isinstance(matcher.get("hooks"), list):
                yield f"`{spot}` must be a mapping with a `hooks` list (and an optional `matcher`)", None
                continue
            if "matcher" in matcher and not isinstance(matcher["matcher"], str):
                yield f"`{spot}.matcher` must be a string, not {_type_name(matcher['matcher'])}", None
            for j, hook in enumerate(matcher["hooks"]):
                kind = hook.get("type") if isinstance(hook, dict) else None
                if kind not in HOOK_TYPES:
                    yield (f"`{spot}.hooks[{j}]` needs a `type`: one of {', '.join(HOOK_TYPES)}", None)
                    continue
                missing = [k for k in HOOK_TYPES[kind] if not isinstance(hook.get(k), str) or not hook[k].strip()]
                if missing:
                    yield f"`{spot}.hooks[{j}]` of type {kind} needs `{missing[0]}` (a string)", None


@rule("SK121", "claude-code-field-invalid", Severity.ERROR, targets=("claude-code",))
def claude_code_field_invalid(skill: Skill) -> Iterator[Violation]:
    """## What it does
    With `--target claude-code`: checks the values of Claude Code's frontmatter fields the way Claude
    Code 2.1.332 reads them. `disable-model-invocation`, `user-invocable` and `background` are booleans;
    `model` is `inherit`, an alias (`haiku`, `sonnet`, `opus`, `fable`, `best`, `opusplan`, with
    `[1m]` where offered) or a full model ID; `effort` is `low`, `medium`, `high`, `xhigh`, `max` or
    an integer; `context` is `inline` or `fork`; `shell` is `bash` or `powershell`; `paths` is a glob
    or a list of globs; `hooks` maps hook events to matchers with typed hooks, as in settings.json;
    `allowed-tools` and `disallowed-tools` are a string or a list of tool names. `agent` and
    `background` without `context: fork` are warnings, and so is pre-approving every shell command.

    ## Why is this bad?
    Claude Code does not refuse these values; it drops them. `user-invocable: maybe` reads as false,
    an unknown `effort` or `shell` is ignored with a log line, any other `context` runs inline, and an
    invalid `hooks` makes it load the skill with no hooks and no `allowed-tools`. Source:
    https://code.claude.com/docs/en/skills.md#frontmatter-reference and Claude Code 2.1.332's loader.

    ## Example
    `effort: extreme` and `context: subagent`. Use instead: `effort: max` and `context: fork`.
    """
    data = skill.data
    if not isinstance(data, dict):
        return

    def at(field: str, message: str, severity: Severity | None = None) -> Violation:
        return Violation(message, *skill.loc(field, value=True), severity=severity)

    for field, when_unknown in (("disable-model-invocation", "reads it as false"),
                                ("user-invocable", "reads it as false"), ("background", "ignores it")):
        if field in data and claude_code_bool(data[field]) is None:
            yield at(field, f"`{field}` must be true or false; Claude Code {when_unknown} "
                            f"(got {_type_name(data[field]) if not isinstance(data[field], str) else repr(data[field])})")
    if "model" in data:
        value = data["model"]
        if not isinstance(value, str) or not value.strip():
            shown = "empty" if value is None or (isinstance(value, str) and not value.strip()) else _type_name(value)
            yield at("model", f"`model` must be a model name, not {shown}; "
                              "Claude Code ignores it")
        else:
            word = value.strip().lower()
            if word != "inherit" and word not in MODEL_ALIASES and ALIAS_SHAPE.match(word):
                yield at("model", f"`model: {value}` is not a model Claude Code knows; use inherit, "
                                  f"{', '.join(sorted(MODEL_ALIASES))} or a full model ID")
    if "effort" in data:
        value = data["effort"]
        ok = (isinstance(value, int) and not isinstance(value, bool) and value > 0) or (
            isinstance(value, str) and (value.strip().lower() in (*EFFORT_LEVELS, "med") or value.strip().isdigit()))
        if not ok:
            yield at("effort", f"`effort: {value}` is not an effort level ({', '.join(EFFORT_LEVELS)} or a positive "
                               "integer); Claude Code ignores it")
    if data.get("context") is not None and data["context"] not in CONTEXTS:
        yield at("context", f"`context` must be inline or fork, not `{data['context']}`; Claude Code runs it inline")
    if data.get("shell") is not None and str(data["shell"]).strip().lower() not in (*SHELLS, ""):
        yield at("shell", f"`shell` must be bash or powershell, not `{data['shell']}`; Claude Code falls back to bash")
    for field in ("agent", "background"):
        if field in data and data.get("context") != "fork":
            yield at(field, f"`{field}` has an effect only with `context: fork`", Severity.WARNING)
    for field in ("argument-hint", "when_to_use", "agent", "version"):
        if isinstance(data.get(field), (list, dict)):
            yield at(field, f"`{field}` must be a string, not {_type_name(data[field])}")
    for field in ("allowed-tools", "disallowed-tools"):
        if field in data:
            for message, severity in _tool_list_problems(field, data[field]):
                yield at(field, message, severity)
    if "paths" in data:
        for message, severity in _paths_problems(data["paths"]):
            yield at("paths", message, severity)
    if "hooks" in data and data["hooks"] is not None:
        for message, severity in _hooks_problem(data["hooks"]):
            yield at("hooks", message, severity)


@rule("SK122", "claude-code-uninvocable", Severity.ERROR, targets=("claude-code",))
def claude_code_uninvocable(skill: Skill) -> Iterator[Violation]:
    """## What it does
    With `--target claude-code`: reports a skill with `disable-model-invocation: true` and
    `user-invocable: false`, read as Claude Code reads booleans (`"yes"`, `on`, `1` are true).

    ## Why is this bad?
    The first keeps Claude from invoking the skill, the second hides its `/name` command from the
    user: no one can invoke it, and it only costs a place in the skill list. Source:
    https://code.claude.com/docs/en/skills.md#control-who-invokes-a-skill.

    ## Example
    `disable-model-invocation: true` with `user-invocable: false`. Use instead: keep one of them, e.g.
    only `disable-model-invocation: true` for a skill the user runs as `/name`.
    """
    data = skill.data
    if not isinstance(data, dict):
        return
    if claude_code_bool(data.get("disable-model-invocation")) and claude_code_bool(data.get("user-invocable")) is False:
        yield Violation("no one can invoke this skill: `disable-model-invocation: true` keeps Claude from it and "
                        "`user-invocable: false` hides `/name` from the user; drop one of them",
                        *skill.loc("user-invocable"))


class UploadLimits(Options):
    max_files: int = Field(CLAUDE_AI_MAX_FILES, ge=1)
    """Most files an upload may hold."""
    max_bytes: int = Field(CLAUDE_AI_MAX_BYTES, ge=1)
    """Most bytes, uncompressed, an upload may hold."""


@rule("SK123", "claude-ai-upload-limits", Severity.ERROR, options=UploadLimits, targets=("claude-ai",))
def claude_ai_upload_limits(skill: Skill, options: UploadLimits) -> Iterator[Violation]:
    """## What it does
    With `--target claude-ai`: checks that the skill folder, zipped for upload, stays within the
    limits claude.ai enforces: at most 200 files and at most 30 MB uncompressed.

    ## Why is this bad?
    claude.ai refuses the whole upload ("exceeds the 200 files limit", "Zip file uncompressed size
    exceeds 30MB"; the errors users quote in tw93/Kami#7, K-Dense-AI/scientific-agent-skills#113 and
    nextlevelbuilder/ui-ux-pro-max-skill#414; Anthropic's help pages give no number). The Skills API
    and uploads also accept only the specification's six fields, which SK105 checks.

    ## Example
    A skill that bundles 300 example images. Use instead: keep the few the instructions need, or
    link to the rest.
    """
    count = len(skill.files)
    if count > options.max_files:
        yield Violation(f"the skill has {count:,} files; claude.ai uploads take at most {options.max_files:,}",
                        path=skill.dir)
    total = 0
    for rel in skill.files:
        try:
            total += os.lstat(os.path.join(skill.dir, rel)).st_size
        except OSError:
            continue
    if total > options.max_bytes:
        yield Violation(f"the skill's files total {total:,} bytes; claude.ai uploads take at most "
                        f"{options.max_bytes:,} bytes uncompressed", path=skill.dir)
