"""Shell syntax checks with `bash -n`, batched: one process for many blocks in the common case.

`bash -n` reads and parses without executing anything. Blocks are concatenated into one script; if it
parses, every block does (the common case: one process for a whole batch of skills). A group that
fails is halved until the broken blocks stand alone, so a quote left open in one block never blames
its neighbour and positions are exact.
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
    """For each block, ``None`` or ``(line_in_block, message)`` of its first syntax error.

    Halving: a group that parses as one script is fine; a group that does not is split in two and each
    half checked again, down to single blocks, which give exact positions. So k broken blocks among n
    cost about 2k log2(n) processes, and a clean group costs one.
    """
    results: list[tuple[int, str] | None] = [None] * len(blocks)
    if bash_path() is None or not blocks:
        return results

    def joined(indexes: range) -> str:
        return "".join(b if b.endswith("\n") else b + "\n" for b in (blocks[i] for i in indexes))

    stack = [range(len(blocks))]
    while stack:
        group = stack.pop()
        error = _run(joined(group))
        if error is None:
            continue
        if len(group) == 1:
            results[group[0]] = error
            continue
        middle = group.start + len(group) // 2
        stack.append(range(middle, group.stop))
        stack.append(range(group.start, middle))
    return results
