"""The TOML parser: ``tomllib`` on Python 3.11+, ``tomli`` on 3.10.

Import it inside the function that parses (``from skillkit.toml import tomllib``), not at the top of a
module: the import costs about 43 M instructions, two thirds of a bare interpreter start, which a lint
with no TOML to read (no configuration file, no TOML block) does not pay.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["tomllib"]
