"""The rule registry.

A rule is a function ``(Skill) -> Iterable[Violation]`` registered with :func:`rule`, which gives it
an ID (``SK107``), a kebab-case name (``name-dir-mismatch``) and a default severity. Its docstring is
its documentation, in three sections: ``## What it does``, ``## Why is this bad?``, ``## Example``.
The registry refuses a duplicate ID or name and a rule without those sections, so the catalogue can
never drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from skillkit.diagnostics import Severity, Violation
from skillkit.lazymodel import ConfigDict, Model
from skillkit.model import Repository, Skill

#: ``(skill)`` or, for a rule with options, ``(skill, options)``.
Check = Callable[..., Iterable[Violation]]


class Options(Model):
    """Base of every rule's options: unknown keys are refused, keys are written in kebab-case.

    A plain class (``skillkit.lazymodel``): a rule's defaults and the shipped profiles' options cost no
    pydantic import; a user's options are validated by the pydantic twin (``Options.model_validate``).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, alias_generator=lambda n: n.replace("_", "-")
    )

_ID = re.compile(r"^SK\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")
#: Rule modules, one per family, imported on first use.
FAMILIES = ("frontmatter", "clients", "structure", "code", "links", "prose", "security", "verify", "marketplace")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    check: Check
    fixable: bool = False
    #: The pydantic model of this rule's options, or ``None`` when it has none.
    options: type[Options] | None = None
    #: False for rules that an inline ``<!-- skillkit: disable=... -->`` comment must not silence.
    suppressible: bool = True
    #: The command that runs the rule: `lint`, or `verify` (which imports packages, so never in lint).
    command: str = "lint"
    #: What the check receives: `skill` (a parsed Skill) or `repository` (a Repository: a lint PATH's
    #: root, for files such as `.claude-plugin/marketplace.json` that belong to no skill).
    scope: str = "skill"
    #: The client targets (``skillkit.targets``) the rule applies to; ``None``: every target.
    targets: tuple[str, ...] | None = None

    def applies_to(self, target: str) -> bool:
        return self.targets is None or target in self.targets

    def run(self, skill: Skill | Repository, options: Options | None = None) -> Iterable[Violation]:
        if self.options is None:
            return self.check(skill)
        return self.check(skill, options if options is not None else self.options())

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first sentence of *What it does*."""
        body = self.doc.split(DOC_SECTIONS[0], 1)[-1].split("\n## ", 1)[0]
        text = " ".join(body.split())
        return text.split(". ", 1)[0].rstrip(".") + "."


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    name: str,
    severity: Severity,
    *,
    fixable: bool = False,
    options: type[Options] | None = None,
    suppressible: bool = True,
    command: str = "lint",
    scope: str = "skill",
    targets: tuple[str, ...] | None = None,
) -> Callable[[Check], Check]:
    """Register a rule. Raises at import time on a malformed or duplicate ID, name or docstring."""

    def register(check: Check) -> Check:
        if not _ID.match(rule_id):
            raise ValueError(f"rule ID {rule_id!r} is not of the form SKnnn")
        if not _NAME.match(name):
            raise ValueError(f"rule name {name!r} is not kebab-case")
        if rule_id in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {rule_id} {name} is registered twice")
        doc = inspect.cleandoc(check.__doc__ or "")
        missing = [s for s in DOC_SECTIONS if s not in doc]
        if missing:
            raise ValueError(f"rule {rule_id} docstring lacks {', '.join(missing)}")
        if scope not in ("skill", "repository"):
            raise ValueError(f"rule {rule_id} scope {scope!r} is not skill or repository")
        if targets is not None:
            from skillkit.targets import TARGETS

            unknown = [t for t in targets if t not in TARGETS]
            if unknown or not targets:
                raise ValueError(f"rule {rule_id} targets {targets!r} are not among {TARGETS}")
        REGISTRY[rule_id] = Rule(rule_id, name, severity, check, fixable, options, suppressible, command, scope, targets)
        return check

    return register


def find_rule(key: str) -> Rule | None:
    """A rule by ID (any case) or by name."""
    all_rules()
    key = key.strip()
    return REGISTRY.get(key.upper()) or next((r for r in REGISTRY.values() if r.name == key.lower()), None)


def option_defaults(r: Rule) -> dict[str, Any]:
    return r.options().model_dump(by_alias=True) if r.options is not None else {}


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by ID."""
    for family in FAMILIES:
        importlib.import_module(f"skillkit.rules.{family}")
    return [REGISTRY[key] for key in sorted(REGISTRY)]


def rules_table() -> str:
    """The Markdown table of all rules that the README carries (kept in sync by a test)."""
    rows = ["| ID | Name | Severity | What it checks |", "|---|---|---|---|"]
    for r in all_rules():
        rows.append(f"| {r.id} | `{r.name}` | {r.severity.value} | {r.summary} |")
    return "\n".join(rows) + "\n"
