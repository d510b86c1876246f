"""Console-script entry point: answers `--version`, `--help` and a plain `lint` without importing the CLI framework.

A plain lint (`lint [--format F] [--no-cache] [PATH...]`, what a pre-commit hook runs) is parsed here and run by
``skillkit.lint_command.run``, the function the Typer command calls too; every other command line, and every
one with an error in it, goes to Typer, which owns the help and the error messages.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from skillkit import __version__

        print(f"skillkit {__version__}")
        return
    if args in (["--help"], ["-h"]):
        from skillkit._help import TEXT

        sys.stdout.write(TEXT)
        return
    from skillkit.lint_command import parse_fast

    fast = parse_fast(args)
    if fast is not None:
        sys.exit(_lint(fast))
    from skillkit.cli import main as cli_main

    cli_main()


def _lint(kwargs: dict) -> int:  # type: ignore[type-arg]
    """Run a lint as the Typer app would: streams set up as its callback does, its exit codes, Ctrl-C and EPIPE."""
    import errno

    from skillkit.escape import install
    from skillkit.lint_command import Stop, run

    install(sys.stdout, sys.stderr)
    try:
        return run(**kwargs)
    except Stop as stop:
        return stop.code
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _Pacify(sys.stdout)  # type: ignore[assignment]
        sys.stderr = _Pacify(sys.stderr)  # type: ignore[assignment]
        return 1


class _Pacify:
    """A stream whose flush ignores a closed pipe (Click's PacifyFlushWrapper), so exiting prints no error."""

    def __init__(self, wrapped):  # type: ignore[no-untyped-def]
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as exc:
            import errno

            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, attr):  # type: ignore[no-untyped-def]
        return getattr(self.wrapped, attr)
