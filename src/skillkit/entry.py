"""Console-script entry point: answers `--version` without importing the CLI framework (fast start)."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from skillkit import __version__

        print(f"skillkit {__version__}")
        return
    from skillkit.cli import main as cli_main

    cli_main()
