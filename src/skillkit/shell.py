"""Shell syntax checks with `bash -n`, batched: one process for many blocks in the common case.

`bash -n` reads and parses without executing anything. Blocks are checked together in one script, but
a script that parses does not prove that each block does: a heredoc left open in one block swallows
the blocks after it, an `if` opened in one block can be closed by a `fi` in another, an odd quote in
one cancels an odd quote in the next, a trailing backslash joins the next block's first line. So the
batch carries a witness: after every block a sentinel line `:  __skillkit_<nonce>_<i>__ &`, and bash
(`--pretty-print -n`, bash 5.2+: parse only, print each top-level command in canonical form) prints
it as exactly `: __skillkit_<nonce>_<i>__ &` only where the parser was at top level with nothing
pending: inside a heredoc, a quote, `$((`...`))` it is copied with its two spaces; inside a compound
command it is indented; after `\\`, `&&`, `|` or inside `$(`...`)` it shares a line with other words.
Every block between two witnessed sentinels was parsed from a clean start to a clean end, exactly as
it would be alone, so it parses alone. The first block without its sentinel is checked alone and the
rest checked again as a batch. Where bash has no `--pretty-print`, each block is checked alone.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import shutil
import subprocess
import tempfile

_ERROR_LINE = re.compile(r"line (\d+): (.*)")
TIMEOUT_SECONDS = 20


def bash_path() -> str | None:
    return shutil.which("bash")


def _bash(script: str, *flags: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run bash with ``flags`` (always parse-only ``-n``) on ``script``; ``None`` without bash.

    The script goes through a temporary file, not a pipe: bash reads a pipe one byte per system call
    (so as not to read past what it executes), which made a 80 KB batch several times slower.
    """
    bash = bash_path()
    if bash is None:
        return None
    fd, name = tempfile.mkstemp(prefix="skillkit-", suffix=".sh")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(script.encode("utf-8", "replace"))
        proc = subprocess.run(
            [bash, "--norc", "--noprofile", *flags, "-n", name],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
            check=False,
        )
    finally:
        try:
            os.unlink(name)
        except OSError:
            pass
    proc.stderr = proc.stderr.replace(name.encode() + b": ", b"")
    return proc


def _run(script: str) -> tuple[int, str] | None:
    """``(line, message)`` of the first syntax error of ``script`` checked alone, ``None`` if it parses."""
    proc = _bash(script)
    if proc is None or proc.returncode == 0:
        return None
    text = proc.stderr.decode("utf-8", "replace")
    for line in text.splitlines():
        match = _ERROR_LINE.search(line)
        if match:
            return int(match.group(1)), match.group(2).strip()
    return (1, text.strip().splitlines()[-1] if text.strip() else "syntax error")


def _sentinel(nonce: str, index: int) -> tuple[str, str]:
    """The line written after block ``index`` and the line bash prints for it at top level."""
    word = f"__skillkit_{nonce}_{index}__"
    return f":  {word} &\n", f": {word} &"


@functools.lru_cache(maxsize=None)
def witness_supported() -> bool:
    """Whether this bash prints a top-level sentinel as the batch check expects (bash 5.2+)."""
    written, printed = _sentinel("probe", 0)
    proc = _bash("if true; then\n" + written + "fi\n" + written, "--pretty-print")
    if proc is None or proc.returncode != 0:
        return False
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    return lines.count(printed) == 1  # the copy inside `if` is indented, the top-level one is not


def _witnessed(texts: list[str]) -> int:
    """How many leading blocks of ``texts`` bash parsed, in one batch, each from and to top level."""
    nonce = secrets.token_hex(8)
    parts: list[str] = []
    for index, text in enumerate(texts):
        parts.append(text)
        parts.append(_sentinel(nonce, index)[0])
    proc = _bash("".join(parts), "--pretty-print")
    if proc is None:
        return 0
    printed = set(proc.stdout.decode("utf-8", "replace").splitlines())
    count = 0
    while count < len(texts) and _sentinel(nonce, count)[1] in printed:
        count += 1
    return count


def check_blocks(blocks: list[str]) -> list[tuple[int, str] | None]:
    """For each block, ``None`` or ``(line_in_block, message)`` of its first syntax error.

    The answer for every block is the one `bash -n` gives for the block alone, whatever its
    neighbours. All blocks are checked as one batch (the common case: one process). The blocks before
    the first missing sentinel are proven to parse; the block at it is checked alone (so its error
    line and message are exact) and the rest go round again: k broken or leaking blocks cost about
    2k + 1 processes. A block holding a NUL byte is checked alone (bash only inspects a file's start
    for binary content, so its verdict depends on its place).
    """
    results: list[tuple[int, str] | None] = [None] * len(blocks)
    if bash_path() is None or not blocks:
        return results
    texts = [b if b.endswith("\n") else b + "\n" for b in blocks]
    if not witness_supported():
        return [_run(text) for text in texts]
    pending: list[int] = []
    for index, text in enumerate(texts):
        if "\0" in text:
            results[index] = _run(text)
        else:
            pending.append(index)
    while pending:
        if len(pending) == 1:
            results[pending[0]] = _run(texts[pending[0]])
            break
        good = _witnessed([texts[i] for i in pending])
        if good == len(pending):
            break
        suspect = pending[good]
        results[suspect] = _run(texts[suspect])
        pending = pending[good + 1 :]
    return results
