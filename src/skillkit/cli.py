"""The command line: argument parsing and exit codes only; the work happens in importable modules.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage error (unknown option, missing PATH,
bad configuration). Heavy modules are imported inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from skillkit import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="skillkit",
    help="Lint, score and scaffold Agent Skills (folders with a SKILL.md).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skillkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Optional[bool] = typer.Option(
        None, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Lint, score and scaffold Agent Skills (folders with a SKILL.md)."""


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"skillkit: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


@app.command()
def lint(
    paths: Optional[list[Path]] = typer.Argument(
        None,
        help="Skill folders, SKILL.md files, files inside a skill, or folders to search for skills. "
        "Default: the configured root (`skills`).",
        show_default=False,
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    config_file: Optional[Path] = typer.Option(
        None, "--config", help="Configuration file (default: the closest skillkit.toml or pyproject.toml)."
    ),
) -> None:
    """Check skills against the Agent Skills specification and skillkit's rules."""
    from skillkit.config import ConfigError, load_config
    from skillkit.engine import lint as run_lint
    from skillkit.report import REPORTERS

    if not paths:
        try:
            loaded = load_config(config_file)
        except ConfigError as exc:
            raise _usage_error(str(exc)) from None
        root = loaded.root
        if not root.is_dir():
            where = f" (set in {loaded.path})" if loaded.path else ""
            raise _usage_error(f"no PATH given and the skills root `{root}`{where} does not exist")
        paths = [root]
    elif config_file is not None:
        try:
            load_config(config_file)
        except ConfigError as exc:
            raise _usage_error(str(exc)) from None
    result = run_lint(paths)
    if result.missing:
        raise _usage_error("path does not exist: " + ", ".join(result.missing))
    for note in result.notes:
        typer.echo(f"skillkit: {note}", err=True)
    REPORTERS[output_format.value](result, sys.stdout)
    raise typer.Exit(EXIT_FINDINGS if result.errors else EXIT_OK)


def main() -> None:
    """Console-script entry point."""
    app()
