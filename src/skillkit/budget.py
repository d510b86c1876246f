"""What the skill listing costs: the characters and tokens an agent puts in every session for a set of
installed skills, against the client's listing budget.

Claude Code (2.1.332, read from its `claude plugin details` code and checked against its numbers on
every category plugin of this library) puts one entry per skill in the listing: the skill's name
(``plugin:skill`` for a plugin's skill) and its description, whitespace collapsed and ``<``/``>``
escaped, joined by one space (plus ``when_to_use`` when the frontmatter has it); its "Always-on"
figure is the entries' characters / 4, rounded. The listing budget is 1% of the context window in
tokens (8,000 characters at 200k), each description cut at 1,536 characters; over budget the least
used skills lose their descriptions and stop triggering. Codex gives its listing about 2%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.discover import discover, find_skill_file

CHARS_PER_TOKEN = 4
DEFAULT_CONTEXT = 200_000
#: Share of the context window each client gives its skill listing.
CLIENT_SHARE = {"claude-code": 0.01, "codex": 0.02}
#: Claude Code cuts each description in the listing here.
DESCRIPTION_CAP = 1536
_SPACE = re.compile(r"\s+")


def budget_chars(client: str, context: int = DEFAULT_CONTEXT) -> int:
    """The listing budget in characters: the client's share of ``context`` tokens, at 4 characters a token."""
    return int(context * CLIENT_SHARE[client] * CHARS_PER_TOKEN)


def default_plugin_limit(context: int = DEFAULT_CONTEXT) -> int:
    """Tokens one category plugin may cost: a quarter of Claude Code's budget, so any four fit together."""
    return budget_chars("claude-code", context) // CHARS_PER_TOKEN // 4


def tokens(chars: int) -> int:
    """Characters / 4, halves rounded up (JavaScript's Math.round, as Claude Code rounds)."""
    return (chars + CHARS_PER_TOKEN // 2) // CHARS_PER_TOKEN


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip().replace("<", "&lt;").replace(">", "&gt;")


def _fallback_description(body: str) -> str:
    """What Claude Code lists when there is no description: the first non-blank body line."""
    for line in body.split("\n"):
        line = line.strip()
        if line:
            heading = re.match(r"^#+\s+(\S.*)$", line)
            text = heading.group(1) if heading else line
            return text if len(text) <= 100 else text[:97] + "..."
    return "Skill"


@dataclass(frozen=True)
class Entry:
    """One skill's line in the listing."""

    name: str
    path: str
    description_chars: int
    chars: int

    @property
    def tokens(self) -> int:
        return tokens(self.chars)


def entry(skill_dir: Path, plugin: str | None = None, cwd: Path | None = None) -> Entry:
    """The listing entry of the skill in ``skill_dir`` (as part of ``plugin`` when given)."""
    from skillkit.parse import load_skill

    skill = load_skill(skill_dir, find_skill_file(skill_dir), skill_dir)
    data = skill.data or {}
    name = str(data.get("name") or skill_dir.name)
    raw = data.get("description")
    description = _clean(str(raw)) if isinstance(raw, (str, int, float, bool)) and str(raw).strip() else ""
    if not description:
        description = _clean(_fallback_description(skill.body_text))
    listed = f"{plugin}:{re.sub(r'[^a-zA-Z0-9_-]', '-', name)}" if plugin else name
    parts = [listed, description]
    if data.get("when_to_use") is not None:
        parts.append(_clean(str(data["when_to_use"])))
    text = " ".join(p for p in parts if p)
    try:
        shown = skill_dir.resolve().relative_to((cwd or Path.cwd()).resolve()).as_posix()
    except ValueError:
        shown = str(skill_dir)
    return Entry(name, shown, len(description), len(text))


@dataclass
class Group:
    """A set of skills installed together: the library, a category plugin, or the PATHs given."""

    name: str
    kind: str  # "library", "plugin" or "selection"
    entries: list[Entry] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(e.chars for e in self.entries)

    @property
    def description_chars(self) -> int:
        return sum(e.description_chars for e in self.entries)

    @property
    def tokens(self) -> int:
        return tokens(self.chars)

    def dropped(self, budget: int) -> list[str]:
        """Skills whose entries no longer fit in ``budget`` characters, counted in listing order. Claude
        Code strips the least used skills' descriptions first; before any use, that order is unknown,
        so these are the skills past the budget, and their number is what matters."""
        used, out = 0, []
        for e in self.entries:
            used += e.chars
            if used > budget:
                out.append(e.name)
        return out


@dataclass
class Report:
    client: str
    context: int
    budget_chars: int
    plugin_limit: int
    groups: list[Group]

    @property
    def over(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "plugin" and g.tokens > self.plugin_limit]

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "context_tokens": self.context,
            "budget": {"chars": self.budget_chars, "tokens": tokens(self.budget_chars)},
            "plugin_limit_tokens": self.plugin_limit,
            "groups": [
                {
                    "name": g.name, "kind": g.kind, "skills": len(g.entries), "chars": g.chars,
                    "description_chars": g.description_chars, "tokens": g.tokens,
                    "share_of_budget": round(g.chars / self.budget_chars, 3) if self.budget_chars else None,
                    "over_plugin_limit": g.kind == "plugin" and g.tokens > self.plugin_limit,
                    "descriptions_dropped": g.dropped(self.budget_chars),
                    "over_description_cap": [e.name for e in g.entries if e.description_chars > DESCRIPTION_CAP],
                    "entries": [{"name": e.name, "path": e.path, "chars": e.chars, "tokens": e.tokens}
                                for e in g.entries],
                }
                for g in self.groups
            ],
        }


def _is_library(folder: Path) -> bool:
    """A folder of category folders: no SKILL.md of its own, and skills two levels below it."""
    return folder.is_dir() and find_skill_file(folder) is None and any(folder.glob("*/*/SKILL.md"))


def build(paths: list[Path], client: str = "claude-code", context: int = DEFAULT_CONTEXT,
          plugin_limit: int | None = None) -> Report:
    """The library and its category plugins for each library PATH; the other PATHs as one selection."""
    groups: list[Group] = []
    selection = Group("selection", "selection")
    for path in paths:
        if _is_library(path):
            library = Group(_shown(path), "library")
            plugins = []
            for category in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
                refs = [r for r in discover([category]).skills if r.skill_md is not None]
                if not refs:
                    continue
                plugin = Group(category.name, "plugin", [entry(r.dir, category.name) for r in refs])
                library.entries.extend(plugin.entries)
                plugins.append(plugin)
            groups.append(library)
            groups.extend(plugins)
        else:
            selection.entries.extend(entry(r.dir) for r in discover([path]).skills if r.skill_md is not None)
    if selection.entries:
        groups.append(selection)
    limit = plugin_limit if plugin_limit is not None else default_plugin_limit(context)
    return Report(client, context, budget_chars(client, context), limit, groups)


def render_text(report: Report) -> str:
    lines = [
        f"{report.client}: listing budget {report.budget_chars:,} characters (~{tokens(report.budget_chars):,} tokens, "
        f"{CLIENT_SHARE[report.client]:.0%} of {report.context:,}); per category plugin: {report.plugin_limit:,} tokens",
        "",
        f"{'group':<28} {'skills':>6} {'desc chars':>10} {'chars':>7} {'~tokens':>8} {'budget':>7}  status",
    ]
    for g in report.groups:
        share = f"{g.chars / report.budget_chars:.0%}" if report.budget_chars else "-"
        if g.kind == "plugin":
            status = "OVER plugin limit" if g.tokens > report.plugin_limit else "ok"
        else:
            status = "OVER budget" if g.chars > report.budget_chars else "fits"
        label = g.name if g.kind != "plugin" else f"  {g.name}"
        lines.append(f"{label:<28} {len(g.entries):>6} {g.description_chars:>10,} {g.chars:>7,} {g.tokens:>8,} "
                     f"{share:>7}  {status}")
    for g in report.groups:
        dropped = g.dropped(report.budget_chars)
        if g.kind != "plugin" and dropped:
            lines.append(f"\n{g.name}: over budget by {g.chars - report.budget_chars:,} characters; "
                         f"{len(dropped)} skills would lose their descriptions (the least used first), e.g. "
                         + ", ".join(dropped[:8]) + (" ..." if len(dropped) > 8 else ""))
        capped = [e.name for e in g.entries if e.description_chars > DESCRIPTION_CAP]
        if capped and g.kind != "plugin":
            lines.append(f"{g.name}: descriptions cut at {DESCRIPTION_CAP} characters: " + ", ".join(capped))
    if report.over:
        lines.append("\nover the per-plugin limit: " + ", ".join(f"{g.name} (~{g.tokens:,} tokens)" for g in report.over))
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()
