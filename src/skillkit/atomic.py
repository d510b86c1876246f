"""Atomic file writes: a temporary file in the same folder, then ``os.replace``.

A reader sees the old file or the new one, never half of one; a failed write leaves no temporary file
behind; a file that existed keeps its permissions, a new one gets the usual ones (0666 less the umask,
not the 0600 of a temporary file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, text: str, errors: str = "strict") -> bool:
    """Write ``text`` (UTF-8) atomically unless ``path`` already holds exactly it; True if written."""
    data = text.encode("utf-8", errors)
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True
