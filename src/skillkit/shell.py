"""Shell syntax checks with `bash -n`, batched: one process for many blocks in the common case.

`bash -n` reads and parses without executing anything. Blocks are concatenated into one script; if it
parses, every block does (the common case: one process for a whole skill). On an error, the blocks up
to the one the error's line falls in are each checked on their own, for exact positions and so that a
quote left open in one block never blames its neighbour; then the blocks after it are checked again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

_ERROR_LINE = re.compile(r"line (\d+): (.*)")
TIMEOUT_SECONDS = 20


def bash_path() -> str | None:
    return shutil.which("bash")


def _run(script: str) -> tuple[int, str] | None:
    """``(line, message)`` of the first syntax error, ``None`` if it parses."""
    bash = bash_path()
    if bash is None:
        return None
    proc = subprocess.run(
        [bash, "--norc", "--noprofile", "-n"],
        input=script.encode("utf-8", "replace"),
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
        check=False,
    )
    if proc.returncode == 0:
        return None
    text = proc.stderr.decode("utf-8", "replace")
    for line in text.splitlines():
        match = _ERROR_LINE.search(line)
        if match:
            return int(match.group(1)), match.group(2).strip()
    return (1, text.strip().splitlines()[-1] if text.strip() else "syntax error")


def check_blocks(blocks: list[str]) -> list[tuple[int, str] | None]:
    """For each block, ``None`` or ``(line_in_block, message)`` of its first syntax error."""
    results: list[tuple[int, str] | None] = [None] * len(blocks)
    if bash_path() is None:
        return results
    start = 0
    while start < len(blocks):
        offsets = []
        parts = []
        line = 1
        for block in blocks[start:]:
            offsets.append(line)
            text = block if block.endswith("\n") else block + "\n"
            parts.append(text)
            line += text.count("\n")
        error = _run("".join(parts))
        if error is None:
            return results
        failing = start + max(i for i, off in enumerate(offsets) if off <= error[0])
        # An earlier block may have left an `if` or a quote open that only the end of the script shows,
        # so every block up to the one blamed is checked on its own.
        for i in range(start, failing + 1):
            results[i] = _run(blocks[i])
        start = failing + 1
    return results
