"""Console-script entry point: answers `--version` and `--help` without importing the CLI framework."""

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
    from skillkit.cli import main as cli_main

    cli_main()
