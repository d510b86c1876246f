"""SK7xx: facts checked against the installed packages by `skillkit verify` (never by `lint`).

`skillkit verify` runs a probe in the interpreter being verified and stores what it found on the
skill; these rules turn that into diagnostics, so suppressions, severities and reporters work as for
lint. Under `skillkit lint` they find nothing: importing packages runs their code.
"""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Severity, Violation
from skillkit.model import Skill
from skillkit.rules import rule


def _found(skill: Skill, rule_id: str) -> Iterator[Violation]:
    yield from skill.cache.get(("verify", rule_id), [])  # type: ignore[misc]


@rule("SK701", "unknown-name", Severity.ERROR, command="verify")
def unknown_name(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports an import, or an attribute chain on an imported name (`trl.GRPOConfig`,
    `F.scaled_dot_product_attention`), in a `python` block that does not exist in the installed package.

    ## Why is this bad?
    Invented or removed APIs are the most common factual error in AI-research skills: the agent's code
    fails with `ImportError` or `AttributeError` on first use.

    ## Example
    `from trl import GRPOTrainer; GRPOTrainer.generate_completions` (no such method). Use instead: a
    name that exists in the release named in `metadata.dependencies`.
    """
    yield from _found(skill, "SK701")


@rule("SK702", "unknown-keyword", Severity.ERROR, command="verify")
def unknown_keyword(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports a keyword argument that the called class or function does not accept, when its signature
    has no `**kwargs` (checked with `inspect.signature` on the installed release).

    ## Why is this bad?
    Renamed and removed arguments raise `TypeError` before any work starts: `GRPOConfig(max_prompt_length=...)`
    after the argument was removed upstream, for instance.

    ## Example
    `TrainingArguments(evaluation_strategy="steps")` on transformers 5. Use instead: `eval_strategy`.
    """
    yield from _found(skill, "SK702")


@rule("SK703", "unverified-import", Severity.INFO, command="verify")
def unverified_import(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Notes a module a `python` block imports that is not installed in the verified interpreter (or that
    fails to import there), so the names taken from it could not be checked.

    ## Why is this bad?
    It is not wrong, only unverified: a result should say what it was checked against. Install the
    package in the environment given to `--python` to verify it.

    ## Example
    `import vllm` verified on a CPU machine without vLLM. Use instead: `skillkit verify --python
    .venv-vllm/bin/python`.
    """
    yield from _found(skill, "SK703")


@rule("SK704", "dependency-not-satisfied", Severity.WARNING, command="verify")
def dependency_not_satisfied(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Compares each requirement in `metadata.dependencies` with the version installed in the verified
    interpreter and reports one that is missing or does not satisfy the specifier.

    ## Why is this bad?
    A verification is only as good as the versions it ran against: checking an `lm_eval==0.4.13` skill
    against 0.4.5 proves nothing about 0.4.13.

    ## Example
    `dependencies: "trl==1.16.0"` with trl 0.20 installed. Use instead: install the named release, or
    update the skill and its pin together.
    """
    yield from _found(skill, "SK704")


@rule("SK705", "unknown-cli-flag", Severity.ERROR, command="verify")
def unknown_cli_flag(skill: Skill) -> Iterator[Violation]:
    """## What it does
    With `skillkit verify --cli`: for `bash`/`sh` blocks that call a console script installed in the
    verified environment (or `python -m PKG.MODULE` of a package installed there), runs
    `TOOL [SUBCOMMAND] --help` once and reports long flags its help text does not know. Only `--help`
    ever runs.

    ## Why is this bad?
    Invented flags (`vllm serve --metrics-port`) and flags that live on a sibling command fail at once
    or, worse, are silently ignored.

    ## Example
    `lm-eval run --tasks x --num_fewshots 5`. Use instead: `--num_fewshot 5`.
    """
    yield from _found(skill, "SK705")


@rule("SK707", "unverified-cli-flags", Severity.INFO, command="verify")
def unverified_cli_flags(skill: Skill) -> Iterator[Violation]:
    """## What it does
    With `skillkit verify --cli`: notes a command whose `--help` did not answer within `--timeout`
    seconds, so its flags were not checked (rather than checking them against a parent command's
    help and calling them unknown).

    ## Why is this bad?
    It is not wrong, only unverified: some CLIs import a whole framework before printing help
    (`vllm serve --help` can take most of a minute on a busy machine).

    ## Example
    `vllm serve MODEL --max-model-len 8192` verified with `--timeout 20`. Use instead:
    `skillkit verify --cli --timeout 120`.
    """
    yield from _found(skill, "SK707")


@rule("SK706", "verify-failed", Severity.ERROR, command="verify")
def verify_failed(skill: Skill) -> Iterator[Violation]:
    """## What it does
    Reports that verification could not finish for this skill: the probe timed out (importing a
    package hung) or the interpreter crashed.

    ## Why is this bad?
    Nothing was verified, and silence would read as success.

    ## Example
    `skillkit verify --timeout 5` while `import torch` takes longer. Use instead: a larger `--timeout`.
    """
    yield from _found(skill, "SK706")
