"""`python -m skillkit` runs the command-line interface."""

from skillkit.entry import main

if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess test
    main()
