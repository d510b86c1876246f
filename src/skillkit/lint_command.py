"""`skillkit lint` without the CLI framework: the body both the Typer command and the fast path run.

`cli.lint` parses options with Typer and calls :func:`run`; `entry.py` parses the common shapes of a lint
command line (`lint [--format F] [--no-cache] PATH...`) by hand and calls the same function, so both give
the same output and exit code, and a one-skill run (a pre-commit hook) never imports Typer, Click or Rich.
Messages go through :func:`echo`, which writes what ``typer.echo`` writes.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from skillkit.wording import plural

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
LINT_FORMATS = ("auto", "text", "json", "github", "sarif")

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # what Click strips from messages to a stream that is no terminal


class Stop(Exception):
    """Ends the command with ``code``; whatever it had to say is already printed."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """``typer.echo``: the message (and a newline) to stdout or stderr, ANSI codes dropped off a terminal, flushed."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = message + "\n" if nl else message
    if out:
        try:
            tty = stream.isatty()
        except Exception:  # noqa: BLE001 - Click treats any failure as "not a terminal"
            tty = False
        if not tty:
            out = _ANSI.sub("", out)
        stream.write(out)
    stream.flush()


def usage_error(message: str) -> Stop:
    echo(f"skillkit: error: {message}", err=True)
    return Stop(EXIT_USAGE)


def no_skills(paths) -> Stop:  # type: ignore[no-untyped-def]
    """A run that found no skill is a usage error: it must never look like a pass."""
    where = ", ".join(str(p) for p in paths)
    return usage_error(f"no skills found in {where} (a skill is a folder holding a SKILL.md; hidden folders "
                       "are skipped except .claude/skills, .agents/skills, .codex/skills, .cursor/skills and "
                       ".gemini/skills)")


def split(values: Optional[list[str]]) -> Optional[list[str]]:
    """``--select SK1,SK3 --select SK401`` -> ``["SK1", "SK3", "SK401"]``."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def lint_cache(loaded, settings):  # type: ignore[no-untyped-def]
    """The `.skillkit_cache/` that lint and score share: beside the config file, else in the working folder."""
    from skillkit.cache import LintCache

    return LintCache(loaded.path.parent if loaded.path is not None else Path.cwd(), settings, os.getcwd())


@contextmanager
def progress():  # type: ignore[no-untyped-def]
    """A progress bar on stderr for long runs, only on a terminal and never in CI."""
    if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("NO_PROGRESS"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("linting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("lint", total=None, visible=False)

        def update(done: int, total: int) -> None:
            if total >= 20:
                bar.update(task, completed=done, total=total, visible=True)

        yield update


def run(
    paths: Optional[list[Path]] = None,
    output_format: str = "auto",
    config_file: Optional[Path] = None,
    profile: Optional[str] = None,
    target: Optional[str] = None,
    select: Optional[list[str]] = None,
    extend_select: Optional[list[str]] = None,
    ignore: Optional[list[str]] = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    baseline: Optional[Path] = None,
    write_baseline: Optional[Path] = None,
    changed_since: Optional[str] = None,
    no_cache: bool = False,
    jobs: int = 0,
) -> int:
    """Lint ``paths`` and print the report; the exit code (raises :class:`Stop` on a usage error)."""
    from skillkit.config import ConfigError, load_config, resolve
    from skillkit.engine import lint as run_lint
    from skillkit.report import REPORTERS, resolve_format

    try:
        loaded = load_config(config_file)
        settings = resolve(
            loaded, profile=profile, select=split(select), extend_select=split(extend_select), ignore=split(ignore),
            target=target,
        )
    except ConfigError as exc:
        raise usage_error(str(exc)) from None
    if not paths:
        root = loaded.root
        if not root.is_dir():
            where = f" (set in {loaded.path})" if loaded.path else ""
            raise usage_error(f"no PATH given and the skills root `{root}`{where} does not exist")
        paths = [root]
    if unsafe_fixes and not (fix or diff):
        raise usage_error("--unsafe-fixes goes with --fix or --diff")
    if fix and diff:
        raise usage_error("--fix and --diff do not go together (--diff writes nothing)")
    if fix or diff:
        changed = apply_fixes(paths, unsafe_fixes, write=fix, target=settings.target)
        if diff:
            return EXIT_FINDINGS if changed else EXIT_OK
    if baseline is not None and write_baseline is not None:
        raise usage_error("--baseline and --write-baseline do not go together")
    known = None
    if baseline is not None:
        from skillkit.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(baseline)
        except BaselineError as exc:
            raise usage_error(str(exc)) from None
    keep = None
    if changed_since is not None:
        from skillkit.gitchanges import GitError, changed_files, touches

        try:
            changed = changed_files(changed_since, Path.cwd())
        except GitError as exc:
            raise usage_error(f"--changed-since {changed_since}: {exc}") from None

        def keep(ref):  # type: ignore[no-untyped-def]
            return touches(ref.dir, changed)

    cache = None if no_cache or fix else lint_cache(loaded, settings)
    with progress() as bar:
        result = run_lint(paths, settings, keep=keep, progress=bar, cache=cache, jobs=jobs)
    if result.missing:
        raise usage_error("path does not exist: " + ", ".join(result.missing))
    for note in result.notes:
        echo(f"skillkit: {note}", err=True)
    if not result.found:
        raise no_skills(paths)
    if not result.skills and changed_since is not None:
        echo(f"skillkit: no skill changed since {changed_since}; nothing to check", err=True)
    if write_baseline is not None:
        from skillkit.baseline import write_baseline as record

        count = record(write_baseline, result.diagnostics)
        echo(f"skillkit: wrote {plural(count, 'finding')} to {write_baseline}", err=True)
    if known is not None:
        from skillkit.baseline import apply_baseline

        result.diagnostics, hidden = apply_baseline(result.diagnostics, known)
        if hidden:
            echo(f"skillkit: {plural(hidden, 'finding')} in the baseline {baseline} "
                 f"{'is' if hidden == 1 else 'are'} not shown", err=True)
    REPORTERS[resolve_format(output_format, dict(os.environ))](result, sys.stdout)
    return EXIT_FINDINGS if result.errors else EXIT_OK


def apply_fixes(paths: list[Path], unsafe: bool, write: bool, target: str = "agents") -> int:
    """Fix (or, without ``write``, diff) every SKILL.md under ``paths``; messages go to stderr."""
    from skillkit.discover import discover
    from skillkit.engine import display_path
    from skillkit.atomic import write_atomic
    from skillkit.fix import fix_file
    from skillkit.targets import top_level_fields

    allowed = top_level_fields(target)

    found = discover(paths)
    if found.missing:
        raise usage_error("path does not exist: " + ", ".join(found.missing))
    changed = skipped = 0
    cwd = os.getcwd()
    for ref in found.skills:
        if ref.skill_md is None or not ref.skill_md.is_file() or ref.skill_md.is_symlink():
            continue
        try:
            result = fix_file(ref.skill_md, unsafe, allowed)
        except OSError as exc:
            echo(f"skillkit: cannot fix {display_path(ref.skill_md, cwd)}: {exc.strerror or exc}", err=True)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the fixes of the others
            echo(f"skillkit: cannot fix {display_path(ref.skill_md, cwd)}: internal error "
                 f"({type(exc).__name__}: {exc}); please report it", err=True)
            continue
        label = display_path(ref.skill_md, cwd)
        for note in result.notes:
            echo(f"skillkit: {label}: {note}", err=True)
        if result.skipped:
            skipped += 1
            echo(f"skillkit: left {label} untouched: {result.skipped}", err=True)
            continue
        if not result.changed:
            continue
        changed += 1
        if write:
            write_atomic(ref.skill_md, result.after)
            echo(f"fixed {label}: " + "; ".join(result.changes), err=True)
        else:
            echo(result.diff(label), nl=False)
    verb = "fixed" if write else "would fix"
    left = f", left {skipped} untouched" if skipped else ""
    echo(f"skillkit: {verb} {plural(changed, 'file')}{left}", err=True)
    return changed


def parse_fast(args: list[str]) -> Optional[dict]:  # type: ignore[type-arg]
    """The keyword arguments of :func:`run` for a plain `lint` command line, or ``None`` to leave it to Typer.

    Only `lint`, paths, ``--no-cache`` and a valid ``--format``/``-f`` are taken; anything else (help,
    another option, a bad value, ``--``, a path that starts with ``-``, shell completion) goes to Typer, which
    owns every error message.
    """
    if not args or args[0] != "lint" or any(key.endswith("_COMPLETE") for key in os.environ):
        return None
    paths: list[Path] = []
    output_format, no_cache = "auto", False
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--no-cache":
            no_cache = True
        elif arg in ("--format", "-f"):
            value = next(rest, None)
            if value not in LINT_FORMATS:
                return None
            output_format = value
        elif arg.startswith("--format=") and arg[len("--format="):] in LINT_FORMATS:
            output_format = arg[len("--format="):]
        elif arg.startswith("-") or not arg:
            return None
        else:
            paths.append(Path(arg))
    return {"paths": paths or None, "output_format": output_format, "no_cache": no_cache}
