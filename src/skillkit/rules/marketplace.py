"""SK8xx: repository files that decide whether clients can install the skills at all."""

from __future__ import annotations

import os
from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.model import Repository
from skillkit.rules import rule

#: skillkit.marketplace.MARKETPLACE_FILE, without importing that module (a test keeps them equal).
MARKETPLACE_FILE = os.path.join(".claude-plugin", "marketplace.json")


@rule("SK801", "marketplace-json-invalid", Severity.ERROR, scope="repository")
def marketplace_json_invalid(repo: Repository) -> Iterator[Violation]:
    """## What it does
    Checks a `.claude-plugin/marketplace.json` found at the root of a lint PATH: valid JSON, a
    kebab-case marketplace name that Claude Code does not reserve (`claude-plugins-official`,
    `agent-skills`, ...; allowed in a github.com/anthropics clone or for an anthropic.com owner) or
    refuse as a look-alike, an `owner` with a `name`, kebab-case and unique
    plugin names, a relative `source` that is a folder of the repository, and each path of a plugin's
    `skills` list existing, holding a `SKILL.md` and listed once; a plugin `version` behind the
    project's (pyproject.toml) is reported, and a skill under `skills/` that no plugin lists is a
    warning.

    ## Why is this bad?
    Claude Code loads a plugin's skills only from the paths the marketplace lists (or one level below
    its `skills/` folder). A listed path that does not exist is dropped without a message, and
    `claude plugin validate` passes it, so a typo or a moved folder silently uninstalls a skill for
    every user; a reserved or non-kebab-case name makes `claude plugin marketplace add` fail.

    ## Example
    `"skills": ["./skills/inference/vlm"]` where the folder is `skills/inference/vllm`. Use instead
    the real path, or generate the file from the folders on disk: `skillkit marketplace --write`.
    """
    path = repo.root / MARKETPLACE_FILE
    if not os.path.lexists(path):
        return
    from skillkit.marketplace import validate  # only now: most lint PATHs hold no marketplace.json

    for p in validate(repo.root):
        yield Violation(p.message, p.line, p.column, path,
                        Severity.WARNING if p.severity == "warning" else None)
