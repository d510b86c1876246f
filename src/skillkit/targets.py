"""Client targets: which agent the skills are written for (`--target`, `target = ...` in `[tool.skillkit]`).

A target only decides which rules apply: a rule registered with ``targets=(...)`` runs when the active
target is one of them, and every other rule runs for all targets. ``spec`` and ``agents`` are the
Agent Skills specification as written (the six top-level fields); ``claude-code`` accepts Claude
Code's own frontmatter fields and checks their values; ``claude-ai`` adds the limits that claude.ai
uploads enforce; ``codex`` is the specification (Codex skips a skill without ``name``: SK106, an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

TargetName = Literal["agents", "spec", "claude-code", "claude-ai", "codex"]
TARGETS: tuple[str, ...] = get_args(TargetName)
DEFAULT_TARGET: TargetName = "agents"

#: Every target but Claude Code: those whose clients accept only the specification's six fields.
SPEC_FIELD_TARGETS: tuple[str, ...] = tuple(t for t in TARGETS if t != "claude-code")

#: The top-level fields Claude Code reads from a skill's SKILL.md beyond the specification's six, from its
#: frontmatter schema (Claude Code 2.1.332, fields not marked `@internal`, plus `version` and `arguments`,
#: which it reads) and https://code.claude.com/docs/en/skills.md#frontmatter-reference.
CLAUDE_CODE_FIELDS: tuple[str, ...] = (
    "when_to_use",
    "argument-hint",
    "arguments",
    "disable-model-invocation",
    "user-invocable",
    "disallowed-tools",
    "model",
    "effort",
    "context",
    "agent",
    "background",
    "hooks",
    "paths",
    "shell",
    "version",
)


def top_level_fields(target: str) -> frozenset[str]:
    """The top-level frontmatter fields ``target``'s client reads: the specification's six, plus Claude
    Code's own under ``claude-code`` (what SK105/SK120 accept and what the unsafe fix leaves in place)."""
    from skillkit.model import SPEC_FIELDS

    return frozenset(SPEC_FIELDS + (CLAUDE_CODE_FIELDS if target == "claude-code" else ()))


@dataclass(frozen=True)
class Target:
    name: str
    summary: str


_SUMMARIES = {
    "agents": "the open Agent Skills format as Codex, Cursor, Gemini CLI and others read it (the specification)",
    "spec": "the Agent Skills specification as written (same rules as agents)",
    "claude-code": "Claude Code: its extra frontmatter fields are accepted and their values checked",
    "claude-ai": "claude.ai uploads and the Skills API: the six specification fields and the upload limits",
    "codex": "OpenAI Codex: the specification (Codex skips a skill without `name`)",
}


def get_target(name: str) -> Target:
    """The target called ``name``; raises ``KeyError`` with the valid names."""
    if name not in TARGETS:
        raise KeyError(f"unknown target `{name}` (valid targets: {', '.join(TARGETS)})")
    return Target(name, _SUMMARIES[name])
