#!/usr/bin/env python3
"""Benchmark skillkit (and agnix, if installed) on synthetic skill trees, as whole processes.

Builds trees of N skills by copying real skills with their references round-robin, renaming each
copy's folder and `name:` (N = 100 and 1,000 by default; add 10000 with --sizes), and mutating every
fenced code block per copy (identifiers get the copy's suffix, integers grow by a step, both
deterministic from the copy index; keywords and the commands rules look for are kept), so no two
skills share a code block and no tool can save work by recognising content it has seen (--plain:
copies as they are). Then, per tree: one warm-up and --runs timed runs of each command, reporting the
median wall and CPU time, skills per second, the peak RSS of the process (os.wait4) and the ratio to
agnix timed on the same tree in the same run; a re-run in a copy of the tree at another path with the
cache copied in (a fresh clone with the cache restored); and a one-skill lint against a bare start of
the same interpreter (`python -I -c "import json, re"`). Run it with skillkit installed:

    python bench/bench.py --source PATH/TO/AI-research-SKILLs --runs 5
    python bench/bench.py                      # falls back to this repository's skills/

agnix (`pip install agnix`, a Rust binary in a wheel) is timed on the same trees in the same run when
found on PATH or given with --agnix.
"""

from __future__ import annotations

import argparse
import builtins
import keyword
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def find_skills(source: Path) -> list[Path]:
    found = []
    for md in sorted(source.rglob("SKILL.md")):
        if any(part.startswith(".") or part in ("node_modules", "__pycache__") for part in md.parts):
            continue
        found.append(md.parent)
    return found


#: Words never renamed: the keywords of the languages the blocks hold (renaming `fi` or `match` would
#: break the block) and the commands and modules the security and code rules look for (renaming `curl`
#: would take findings away and make the tree cheaper than the real one).
KEEP = frozenset(
    keyword.kwlist + keyword.softkwlist + dir(builtins)
    + """if then else elif fi case esac for while until do done in function select time coproc declare
    local export readonly unset return break continue source alias set shift trap exec eval true false
    null none yes no on off inf nan
    sudo su curl wget bash sh zsh fish nc ncat netcat scp ssh rsync git pip pip3 python python3 uv uvx npm
    npx node yarn pnpm docker kubectl helm brew apt apt-get yum dnf conda mamba rm mv cp chmod chown ln
    mkdir cat echo printf tee dd mkfs shred base64 xxd openssl gpg tar unzip cd ls grep sed awk find xargs
    env history crontab systemctl launchctl iptables http https ftp file localhost
    os sys subprocess shutil pickle marshal shelve yaml json requests urllib socket ctypes importlib
    system popen run call check_output check_call getoutput load loads safe_load dump dumps
    """.split()
)
_WORD = re.compile(r"(?<![\w\\!])[A-Za-z_][A-Za-z0-9_]*(?!\w)")
_PREFIXES = frozenset("r u f b rb br fr rf".split())
_COMMENTS = {**dict.fromkeys("js javascript ts typescript jsx tsx c cpp c++ java go rust rs kotlin swift scala "
                             "jsonc json5 cuda cu proto".split(), "// {}"),
             **dict.fromkeys("sql lua haskell".split(), "-- {}"),
             **dict.fromkeys("html xml markdown md".split(), "<!-- {} -->"), "json": ""}
_NUMBER = re.compile(r"(?<![\w.\\])[0-9]+(?!\w)")
_FENCE = re.compile(r"^(?P<indent>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def tag_of(index: int) -> str:
    """A short suffix unique to copy ``index`` (base 36, so it stays short)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        index, rest = divmod(index, 36)
        out = digits[rest] + out
        if index == 0:
            return "k" + out


def mutate_block(code: str, index: int, language: str = "") -> str:
    """``code`` made unique to copy ``index``: every identifier not in KEEP gets the copy's suffix (the
    same one everywhere, so the block's own references still agree) and every decimal integer grows by
    ``index % 97 + 1``. Words after a backslash (escapes such as ``\\N{...}``), string prefixes (``f"``),
    exponents and hex digits are left alone, so a block that parsed still parses. A block with nothing
    to rename gets a comment line naming the copy (in ``language``'s comment syntax)."""
    comment = _COMMENTS.get(language, "# {}")
    suffix = "_" + tag_of(index)
    step = index % 97 + 1

    def rename(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in KEEP or word.lower() in KEEP:
            return word
        if word.lower() in _PREFIXES and code[m.end() : m.end() + 1] in ("'", '"'):
            return word  # a string prefix: f"...", rb'...'
        start = m.start()
        if start and code[start - 1] == "-" and code[max(0, start - 2) : start] != "--":
            return word  # a short option (`-sSL`) or the tail of a hyphenated word
        return word + suffix

    mutated = _WORD.sub(rename, code)
    if suffix not in mutated and mutated.strip() and comment:  # (JSON has no comments: left as is)
        # nothing to rename (`--`, `pip install -e .`): a comment line makes the block the copy's own
        mutated += ("\n" if mutated and not mutated.endswith("\n") else "") + comment.format(tag_of(index))
    code = mutated
    return _NUMBER.sub(lambda m: str(int(m.group(0)) + step), code)


def mutate_markdown(text: str, index: int) -> str:
    """Every fenced code block of a Markdown text passed through :func:`mutate_block`."""
    lines = text.split("\n")
    out: list[str] = []
    fence: tuple[str, int] | None = None
    body: list[str] = []
    language = ""
    for line in lines:
        if fence is None:
            m = _FENCE.match(line)
            if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
                fence = (m.group("fence")[0], len(m.group("fence")))
                language = (m.group("info").split() or [""])[0].lower()
                body = []
            out.append(line)
            continue
        stripped = line.lstrip(" \t>")
        if stripped.startswith(fence[0] * fence[1]) and not stripped.strip(fence[0]).strip():
            out.extend(mutate_block("\n".join(body), index, language).split("\n") if body else [])
            out.append(line)
            fence = None
        else:
            body.append(line)
    if fence is not None:  # an unclosed fence runs to the end of the file
        out.extend(mutate_block("\n".join(body), index, language).split("\n") if body else [])
    return "\n".join(out)


def build_tree(skills: list[Path], count: int, target: Path, unique: bool = True) -> Path:
    """``count`` copies of ``skills`` (round-robin) under ``target``, renamed; with ``unique`` every
    Markdown code block is mutated per copy (:func:`mutate_markdown`), so no two skills share one and
    no tool can save work by recognising a block it has seen."""
    stamp = target / ".bench-tree"
    want = f"{count} unique={unique} {BUILDER_VERSION}"
    if stamp.exists() and stamp.read_text() == want:
        return target  # reuse a tree built by an earlier run
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for i in range(count):
        src = skills[i % len(skills)]
        name = f"{src.name}-{i:05d}"
        dst = target / f"group-{i % 20:02d}" / name
        shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        for md in sorted(dst.rglob("*.md")):
            if md.is_symlink() or not md.is_file():
                continue
            text = md.read_bytes().decode("utf-8", errors="surrogateescape")
            new = mutate_markdown(text, i) if unique else text
            if md == dst / "SKILL.md":
                new = re.sub(r"(?m)^name:.*$", f"name: {name}", new, count=1)
            if new != text:
                md.write_bytes(new.encode("utf-8", errors="surrogateescape"))
    stamp.write_text(want)
    return target


BUILDER_VERSION = "4"


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, with the worker processes it waited for) and peak RSS
    (MB, of the largest single process) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_PROGRESS": "1"})
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(cmd: list[str], cwd: Path, runs: int, warmup: bool = True) -> tuple[float, float, float]:
    """Median wall seconds, median CPU seconds and the largest peak RSS over ``runs`` runs."""
    if warmup:
        run_once(cmd, cwd)
    times, cpus, rss = [], [], []
    for _ in range(runs):
        t, c, m = run_once(cmd, cwd)
        times.append(t)
        cpus.append(c)
        rss.append(m)
    return statistics.median(times), statistics.median(cpus), max(rss)


def interpreter_of(script: str) -> str:
    """The Python that runs the ``skillkit`` script (its ``#!`` line), else this one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode().strip()
        if first.startswith("#!") and os.path.exists(first[2:].split()[0]):
            return first[2:].split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        pass
    return sys.executable


def fresh_clone(work: Path, name: str) -> Path:
    """``work/clone/NAME``: the tree copied to another folder (new inodes and times), as a fresh checkout
    at another path; lint runs there with the same relative layout."""
    clone = work / "clone"
    if not (clone / name / ".bench-tree").exists() or (clone / name / ".bench-tree").read_text() != \
            (work / name / ".bench-tree").read_text():
        shutil.rmtree(clone / name, ignore_errors=True)
        clone.mkdir(parents=True, exist_ok=True)
        shutil.copytree(work / name, clone / name, symlinks=True, copy_function=shutil.copy)
    return clone


def restore_cache(work: Path, clone: Path) -> None:
    """Replace the clone's `.skillkit_cache/` by the one in ``work`` (what `actions/cache` restores)."""
    shutil.rmtree(clone / ".skillkit_cache", ignore_errors=True)
    if (work / ".skillkit_cache").exists():
        shutil.copytree(work / ".skillkit_cache", clone / ".skillkit_cache")


def compile_package(python: str) -> None:
    """Write skillkit's bytecode before timing, as `pip install` of a wheel does. An editable install
    under PYTHONDONTWRITEBYTECODE=1 (set on some machines) otherwise compiles every module from source
    in every process: about 0.1 s per process, a third of a one-skill lint, that no installed user pays."""
    folder = subprocess.run([python, "-c", "import os, skillkit; print(os.path.dirname(skillkit.__file__))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", folder], check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("skills"), help="folder of real skills to copy")
    parser.add_argument("--sizes", default="100,1000", help="comma-separated tree sizes (e.g. 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median reported)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the untimed first run (for 10,000-skill trees; the cached row still gets one)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillkit-bench"), help="where trees are built")
    parser.add_argument("--skillkit", default=shutil.which("skillkit") or "skillkit")
    parser.add_argument("--agnix", default=shutil.which("agnix"))
    parser.add_argument("--plain", action="store_true",
                        help="copy skills as they are (copies share every code block) instead of mutating each copy")
    args = parser.parse_args()
    for attr in ("agnix", "skillkit"):  # the commands run in the tree's folder: a relative path must not break
        value = getattr(args, attr, None)
        if value and os.sep in value:
            setattr(args, attr, os.path.abspath(value))

    skills = find_skills(args.source)
    if not skills:
        print(f"no skills under {args.source}", file=sys.stderr)
        return 2
    sk = os.path.abspath(args.skillkit) if os.sep in args.skillkit else (shutil.which(args.skillkit) or args.skillkit)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = interpreter_of(sk)
    compile_package(python)
    print(f"cores: {os.cpu_count()}; load average at start: {load:.2f}; source: {args.source} ({len(skills)} skills); "
          f"runs: {args.runs}; python {python}; code blocks mutated per copy: {not args.plain}; skillkit's bytecode "
          "compiled first, as pip install does")
    print()
    print("| skills | command | median wall s | median CPU s | skills/s (wall) | vs agnix (wall) | vs agnix (CPU) "
          "| peak RSS MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    bare_t, bare_c, bare_m = measure([python, "-I", "-c", "import json, re"], Path.cwd(), args.runs)
    print(f"| - | `python -I -c \"import json, re\"` (bare start) | {bare_t:.3f} | {bare_c:.3f} | - | - | - | {bare_m:.0f} |")
    for label, cmd in (("skillkit --version", [sk, "--version"]), ("skillkit --help", [sk, "--help"])):
        t, c, m = measure(cmd, Path.cwd(), args.runs)
        print(f"| - | `{label}` | {t:.3f} | {c:.3f} | - | {t / bare_t:.1f}x bare | {c / bare_c:.1f}x bare | {m:.0f} |")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        name = f"tree-{size}" + ("-plain" if args.plain else "")
        tree = build_tree(skills, size, args.work / name, unique=not args.plain)
        clone = fresh_clone(args.work, name)
        one = os.path.relpath(find_skills(tree)[0], args.work)
        rows = [
            ("skillkit lint --format json --no-cache (cold)", [sk, "lint", "--format", "json", "--no-cache", name],
             args.work, not args.no_warmup),
            ("skillkit lint --format json (re-run, cached)", [sk, "lint", "--format", "json", name], args.work, True),
            ("skillkit lint --format json (fresh clone elsewhere, cache restored)", [sk, "lint", "--format", "json", name],
             clone, False),
            ("skillkit score --format json", [sk, "score", "--format", "json", name], args.work, not args.no_warmup),
        ]
        results = []
        if args.agnix:  # first, so every skillkit row can be compared with it
            t, c, m = measure([args.agnix, "--format", "json", name], args.work, args.runs, not args.no_warmup)
            results.append(("agnix --format json", t, c, m))
        agnix_t, agnix_c = (results[0][1], results[0][2]) if results else (None, None)
        for label, cmd, cwd, warm in rows:
            if cwd == clone:
                restore_cache(args.work, clone)  # the cache the runs above left, as CI would restore it
            t, c, m = measure(cmd, cwd, args.runs, warm)
            results.append((label, t, c, m))
        for label, t, c, m in results:
            ratio = f"{t / agnix_t:.2f}x" if agnix_t else "-"
            cpu_ratio = f"{c / agnix_c:.2f}x" if agnix_c else "-"
            print(f"| {size:,} | `{label}` | {t:.2f} | {c:.2f} | {size / t:,.0f} | {ratio} | {cpu_ratio} | {m:.0f} |",
                  flush=True)
        # one skill (a pre-commit hook on one changed skill): against a bare interpreter start
        one_rows = [("skillkit lint --format json --no-cache ONE_SKILL", [sk, "lint", "--format", "json", "--no-cache", one])]
        if args.agnix:
            one_rows.insert(0, ("agnix --format json ONE_SKILL", [args.agnix, "--format", "json", one]))
        for label, cmd in one_rows:
            t, c, m = measure(cmd, args.work, max(args.runs, 5))
            print(f"| 1 | `{label}` | {t:.3f} | {c:.3f} | - | {t / bare_t:.1f}x bare | {c / bare_c:.1f}x bare | {m:.0f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
