"""Data files that ship inside skillkit's packages (profiles, templates), read as plain files.

``importlib.resources.files`` imports zipfile, tempfile and their dependencies: about 75 M instructions,
more than a bare interpreter start, paid by every lint for two small folders. An installed wheel or a
checkout keeps a package's files in its folder, so that folder is read directly; only a package that
is not a folder on disk (a zip import) goes through ``importlib.resources``.

Example: ``(package_folder("skillkit.profiles") / "spec.toml").read_text(encoding="utf-8")``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any


def package_folder(package: str) -> Any:
    """The folder of ``package``: a :class:`pathlib.Path`, or an ``importlib.resources`` Traversable
    (the same ``iterdir``, ``joinpath``, ``/``, ``name`` and ``read_text``) when it is not on disk."""
    module = importlib.import_module(package)
    folder = os.path.dirname(getattr(module, "__file__", None) or "")
    if folder and os.path.isdir(folder):
        return Path(folder)
    from importlib import resources

    return resources.files(package)
