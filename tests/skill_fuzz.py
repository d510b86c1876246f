"""Mutation fuzzing of skills through the real command line; shared by tests/test_fuzz.py and bench/fuzz.py.

A *mutant* is a copy of a seed skill (the rule fixtures, tests/fixtures and the bundled skills/) with
one to three mutations: byte flips, hostile YAML in the frontmatter, `---` lines doubled or removed,
BOMs, lone CRs, CRLF, truncation, unterminated fences / heredocs / quotes, long lines, bytes that are
not UTF-8 in the text or in a file name, symbolic links. :func:`check_tree` runs `skillkit` (the Typer
app, in this process, through ``typer.testing.CliRunner``) over a folder of mutants and returns each
broken invariant as a :class:`Failure`:

(a) no traceback, no rule crash ("internal error in rule"), exit code 0/1 (2 only for usage) for lint in
    every format and for score; (b) every output is UTF-8, JSON and SARIF parse; (c) ``--fix
    --unsafe-fixes`` twice: the second run changes no byte, the body after the frontmatter keeps its
    bytes (a BOM removed and CRLF -> LF aside), and the frontmatter (PyYAML ``safe_load``) keeps its keys
    and values apart from the intended moves under ``metadata`` and quoting (:func:`frontmatter_drift`);
    (d) a mutant linted alone gets the same findings as in the tree with all the others; (e) a run from
    the cache gives the same findings as a cold run.

Everything is decided by ``random.Random(seed)``: the same seed makes the same mutants.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BOM = b"\xef\xbb\xbf"
SPEC_FIELDS = ("name", "description", "license", "allowed-tools", "metadata", "compatibility")
LINT_FORMATS = ("text", "json", "github", "sarif")
SCORE_FORMATS = ("text", "json", "markdown")

# --------------------------------------------------------------------------------------- seeds


def seed_skills(repo: Path = REPO) -> list[Path]:
    """Every skill folder of the rule fixtures, tests/fixtures and skills/, sorted (deterministic)."""
    found = set()
    for base in (repo / "tests" / "rules", repo / "tests" / "fixtures", repo / "skills"):
        for skill_md in base.rglob("SKILL.md"):
            if skill_md.is_file() and not skill_md.is_symlink():
                found.add(skill_md.parent)
    return sorted(found)


def _copy_seed(seed: Path, dest: Path, with_references: bool) -> None:
    if with_references:
        shutil.copytree(seed, dest, symlinks=True)
    else:
        dest.mkdir(parents=True)
        shutil.copy2(seed / "SKILL.md", dest / "SKILL.md")


# --------------------------------------------------------------------------------------- mutations

HOSTILE_YAML = [
    "metadata: {version: 1.0, n: 3}\n",
    "<<: {version: 2}\n",
    "a: &x {b: 1}\n<<: *x\n",
    "metadata:\n  <<: {z: 1}\n  version: 1.0\n",
    "x: !!bool maybe\n",
    "x: !!int 0x\n",
    "x: !!float nope\n",
    "x: !!binary '%%%'\n",
    "x: !!timestamp 2024-13-45\n",
    "x: !!python/object/apply:os.system [ls]\n",
    "x: !custom {a: 1}\n",
    "%YAML 2.0\n",
    "%TAG ! tag:example.com,2000:\n",
    "anchor: &a [1, 2]\nalias: *a\n",
    "version: 1.10\n",
    "version: 1.0.0\n",
    "tags: [a, b, 'c, d']\n",
    "tags: [x, y]\n",
    "author: {name: x, mail: y}\n",
    "dependencies: [torch>=2.0, 'pkg @ https://example.com/p.zip']\n",
    "allowed-tools: [Bash, Read]\n",
    "allowed-tools: [Bash, {x: 1}]\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "1: int key\n",
    "null: null key\n",
    "k: 'unterminated\n",
    'k: "unterminated\n',
    'k: "\\ud800 lone surrogate escape"\n',
    "name: duplicated-name\n",
    "date: 2024-01-01\n",
    "empty:\n",
    "b: yes\n",
    "metadata:\n  a: [1, 2]\n  b: {c: d}\n  c: 2024-01-01\n  d: true\n",
    "metadata: [1, 2]\n",
    "metadata: ~\n",
    "k: |\n  block\n  scalar\n",
    "k: >-\n  folded\n",
    "\tk: tab indented\n",
    "k: v # comment\n",
    "k: [a, [b, [c, {d: e}]]]\n",
    "k: {a: [1, {b: 2}], c: }\n",
    "...\n",
    "--- \n",
    "k: *undefined\n",
    "k: &a\n",
    "x: 0o17\ny: 0x1F\nz: 1_000\nw: .inf\n",
    "version: 1e3\n",
    "k: \u00e9t\u00e9 \u2603\n",
    "k: \ufeffbom inside\n",
]


def _deep_flow(depth: int) -> str:
    return "deep: " + "{a: " * depth + "1" + "}" * depth + "\n"


def _deep_block(depth: int) -> str:
    return "deep:\n" + "".join("  " * i + "a:\n" for i in range(1, depth)) + "  " * depth + "a: 1\n"


def _deep_list(depth: int) -> str:
    return "deep: " + "[" * depth + "]" * depth + "\n"


BODY_SNIPPETS = [
    "```python\nx = (\n",  # unterminated fence
    "```bash\ncat <<EOF\nhello\n```\n",  # unterminated heredoc
    "```bash\ncat <<'EOF' > f\nx\nEOF\necho \"$((\n```\n",
    "```bash\necho \"unterminated\n```\n",
    "```bash\necho 'unterminated\n```\n",
    "```sh\nif then fi done\n```\n",
    "```yaml\na: [\n```\n",
    "```json\n{\"a\": \n```\n",
    "```toml\n[a\n```\n",
    "~~~python\nprint(1)\n",
    "    ```\n    indented\n",
    "> ```python\n> x = (\n",
    "- item\n  ```python\n  x = (\n",
    "[a](" * 400 + "\n",
    "[x](references/missing.md) [y](../outside.md) [z](#no-anchor) [w](</a b.md>)\n",
    "<!-- skillkit: disable=SK999 -->\n<!-- skillkit: disable=\n<!-- unterminated comment\n",
    "\u200b\u202e\u2066 hidden \U000e0041\n",
    "# " + "h" * 300 + "\n",
    "| a | b |\n|---|\n| 1 |\n",
    "api_key = \"sk-ant-" + "a" * 40 + "\"\n",
    "rm -rf $HOME/\n",
]


@dataclass
class Mutant:
    name: str
    seed: str
    mutations: list[str] = field(default_factory=list)


def _split_frontmatter_offsets(data: bytes) -> tuple[int, int] | None:
    """(start, end) byte offsets of the frontmatter text between the `---` lines, or None."""
    if not data.startswith(b"---\n") and not data.startswith(b"---\r\n"):
        return None
    start = data.index(b"\n") + 1
    m = re.compile(rb"^---[ \t]*\r?$", re.M).search(data, start)
    if m is None:
        return None
    return start, m.start()


def _line_starts(data: bytes, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(data) if hi is None else hi
    out = [lo]
    pos = data.find(b"\n", lo)
    while pos != -1 and pos + 1 <= hi:
        out.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return out


def _insert_frontmatter(rng: random.Random, data: bytes, snippet: str) -> bytes:
    span = _split_frontmatter_offsets(data)
    raw = snippet.encode("utf-8", "surrogatepass")
    if span is None:
        return b"---\n" + raw + b"---\n" + data
    start, end = span
    at = rng.choice(_line_starts(data, start, end))
    return data[:at] + raw + data[at:]


def _insert_body(rng: random.Random, data: bytes, snippet: bytes) -> bytes:
    span = _split_frontmatter_offsets(data)
    lo = (data.find(b"\n", span[1]) + 1) if span else 0
    at = rng.choice(_line_starts(data, lo))
    return data[:at] + snippet + data[at:]


def _text_mutations() -> list[Callable[[random.Random, bytes], tuple[bytes, str]]]:
    def byte_flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        b = bytearray(data or b"\n")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
        return bytes(b), "byte-flip"

    def hostile_yaml(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        pick = rng.randrange(len(HOSTILE_YAML) + 3)
        if pick < len(HOSTILE_YAML):
            snippet = HOSTILE_YAML[pick]
        else:
            depth = rng.choice([30, 65, 100, 300])
            snippet = (_deep_flow, _deep_block, _deep_list)[pick - len(HOSTILE_YAML)](depth)
        return _insert_frontmatter(rng, data, snippet), f"yaml:{snippet[:40]!r}"

    def only_merge_key(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        span = _split_frontmatter_offsets(data)
        body = data[data.find(b"\n", span[1]) + 1 :] if span else data
        head = rng.choice([b"<<: {version: 2}\n", b"<<: [{a: 1}, {b: 2}]\n", b"name: x\n<<: {name: y}\n"])
        return b"---\n" + head + b"---\n" + body, "frontmatter-replaced-by-merge-key"

    def fences(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        span = _split_frontmatter_offsets(data)
        choice = rng.choice(["double-open", "double-close", "drop-open", "drop-close", "extra-doc"])
        lines = data.split(b"\n")
        if choice == "double-open":
            data = b"---\n" + data
        elif choice == "drop-open" and span:
            data = data[data.index(b"\n") + 1 :]
        elif choice == "double-close" and span:
            data = data[: span[1]] + b"---\n" + data[span[1] :]
        elif choice == "drop-close" and span:
            end = data.find(b"\n", span[1])
            data = data[: span[1]] + (data[end + 1 :] if end != -1 else b"")
        else:
            lines.insert(rng.randrange(len(lines) + 1), b"---")
            data = b"\n".join(lines)
        return data, f"fence:{choice}"

    def bom(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        n = rng.choice([1, 1, 2])
        return BOM * n + data, f"bom*{n}"

    def lone_cr(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        b = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            b.insert(rng.randrange(len(b) + 1), 13)
        return bytes(b), "lone-cr"

    def crlf(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        if rng.random() < 0.5:
            return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), "crlf"
        lines = data.split(b"\n")
        return b"\n".join(l + b"\r" if rng.random() < 0.5 else l for l in lines), "crlf-mixed"

    def truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        at = rng.randrange(len(data) + 1)
        return data[:at], f"truncate@{at}"

    def body_snippet(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        snippet = rng.choice(BODY_SNIPPETS)
        return _insert_body(rng, data, snippet.encode("utf-8")), f"body:{snippet[:30]!r}"

    def long_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        n = rng.choice([2000, 20000, 200000])
        if rng.random() < 0.3:
            return _insert_frontmatter(rng, data, f"description: {'x' * n}\n"), f"long-description:{n}"
        return _insert_body(rng, data, b"w " * (n // 2) + b"\n"), f"long-line:{n}"

    def non_utf8(rng: random.Random, data: bytes) -> tuple[bytes, str]:
        bad = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x00", b"\xc0\xaf"])
        b = bytearray(data)
        at = rng.randrange(len(b) + 1)
        return bytes(b[:at]) + bad + bytes(b[at:]), f"non-utf8:{bad!r}"

    # a list, not a dict: a mutation listed twice is picked twice as often
    return [byte_flip, hostile_yaml, hostile_yaml, hostile_yaml, hostile_yaml, only_merge_key, fences, bom, lone_cr,
            crlf, truncate, body_snippet, body_snippet, body_snippet, long_line, non_utf8]


TEXT_MUTATIONS = _text_mutations()


def _fs_mutation(rng: random.Random, folder: Path, outside: Path) -> str:
    choice = rng.choice(["bad-name", "bad-dir", "dangling", "loop", "out-file", "out-dir", "self-dir"])
    try:
        return _fs_apply(choice, folder, outside)
    except OSError:  # the same mutation twice, or `references` is not a folder: nothing more to do
        return f"fs:{choice}-again"


def _fs_apply(choice: str, folder: Path, outside: Path) -> str:
    refs = folder / "references"
    refs.mkdir(exist_ok=True)
    if choice == "bad-name":
        with open(os.fsencode(refs) + b"/bad\xff\xfe.md", "wb") as handle:
            handle.write(b"# R\n\n```python\nx = (\n```\n[l](gone.md)\n")
        with open(folder / "SKILL.md", "ab") as handle:
            handle.write(b"\n[odd](references/bad\xff\xfe.md)\n")
    elif choice == "bad-dir":
        os.mkdir(os.fsencode(refs) + b"/d\xe9j\xe0")
        with open(os.fsencode(refs) + b"/d\xe9j\xe0/x.md", "wb") as handle:
            handle.write(b"x \xff\n")
    elif choice == "dangling":
        os.symlink("nowhere.md", refs / "dangling.md")
    elif choice == "loop":
        os.symlink(".", refs / "loop")
        os.symlink("b.md", refs / "a.md")
        os.symlink("a.md", refs / "b.md")
    elif choice == "out-file":
        target = outside / "secret.md"
        target.write_text("api_key = 'sk-ant-" + "b" * 40 + "'\n")
        os.symlink(target, refs / "out.md")
    elif choice == "out-dir":
        os.symlink(outside, refs / "outdir")
    else:
        os.symlink("..", refs / "up")
    return f"fs:{choice}"


def make_mutant(rng: random.Random, seeds: list[Path], dest: Path, outside: Path) -> Mutant:
    """Copy a seed to ``dest`` and mutate it; ``outside`` is a folder out of the tree for links to point to."""
    seed = rng.choice(seeds)
    _copy_seed(seed, dest, with_references=rng.random() < 0.3)
    mutant = Mutant(dest.name, str(seed.relative_to(REPO)) if seed.is_relative_to(REPO) else str(seed))
    data = (dest / "SKILL.md").read_bytes()
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        if rng.random() < 0.12:
            (dest / "SKILL.md").write_bytes(data)
            mutant.mutations.append(_fs_mutation(rng, dest, outside))
            data = (dest / "SKILL.md").read_bytes()
            continue
        data, label = rng.choice(TEXT_MUTATIONS)(rng, data)
        mutant.mutations.append(label)
    (dest / "SKILL.md").write_bytes(data)
    return mutant


def make_tree(rng: random.Random, seeds: list[Path], tree: Path, outside: Path, count: int, start: int = 0) -> list[Mutant]:
    tree.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    return [make_mutant(rng, seeds, tree / f"m{i:05d}", outside) for i in range(start, start + count)]


# --------------------------------------------------------------------------------------- the fix checker


def split_frontmatter(data: bytes) -> tuple[bytes | None, bytes]:
    """(frontmatter bytes or None, body bytes) of a normalised file: `---` line, text, `---` line, body."""
    if not data.startswith(b"---\n"):
        return None, data
    m = re.compile(rb"^---\n", re.M).search(data, 4)
    if m is None:
        if data.endswith(b"\n---"):
            return data[4 : len(data) - 3], b""
        return None, data
    return data[4 : m.start()], data[m.end() :]


def normalise(data: bytes) -> bytes:
    """What the safe byte-level fixes intend: every leading BOM removed (in one run, so a second run has
    nothing left to do), CRLF -> LF (a lone CR stays)."""
    while data.startswith(BOM):
        data = data[len(BOM) :]
    return data.replace(b"\r\n", b"\n")


_UNSET = object()


def _load(text: bytes) -> Any:
    try:
        return yaml.safe_load(text.decode("utf-8"))
    except Exception:  # noqa: BLE001 - PyYAML raises AttributeError on `!!timestamp 2024-13-45`
        return _UNSET


def _same_scalar(before: Any, after: Any) -> bool:
    if before == after and type(before) is type(after):
        return True
    if isinstance(after, str) and not isinstance(before, (str, list, dict)):
        # quoted as written: `version: 1.10` -> "1.10"; `yes` -> "yes"; `2024-01-01` -> "2024-01-01"
        return _load(after.encode()) == before or str(before) == after
    return False


def _same_value(key: str, before: Any, after: Any) -> bool:
    """``after`` holds what ``before`` held: the same, or (a fix's intent) a string of it, lists joined."""
    if _same_scalar(before, after):
        return True
    if isinstance(before, list) and isinstance(after, str):
        sep = " " if key in ("dependencies", "allowed-tools") else ", "
        parts = after.split(sep) if after else []
        if key == "dependencies":
            return len(parts) == len(before) and all(re.sub(r"\s*@\s*", "@", str(b).strip()) == p
                                                     for b, p in zip(before, parts))
        return len(parts) == len(before) and all(_same_scalar(b, p) or str(b).strip() == p for b, p in zip(before, parts))
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(_same_value(str(k), before[k], after[k]) for k in before)
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(_same_value(key, b, a) for b, a in zip(before, after))
    return False


def frontmatter_drift(before: bytes, after: bytes) -> str | None:
    """None when ``after``'s frontmatter holds ``before``'s keys and values (allowing the fixes' moves
    under `metadata` and quoting); else what differs. Frontmatter PyYAML cannot load is not compared."""
    old, new = _load(before), _load(after)
    if old is _UNSET:
        return None
    if new is _UNSET:
        return "the fixed frontmatter no longer loads"
    if not isinstance(old, dict):
        return None if old == new else f"frontmatter {old!r:.80} became {new!r:.80}"
    if not isinstance(new, dict):
        return f"a mapping became {type(new).__name__}"
    if "metadata" in old and old["metadata"] is None:  # `metadata: ~` is no metadata: the fixes may fill it
        old = {k: v for k, v in old.items() if k != "metadata"}
    old_meta = old.get("metadata") if isinstance(old.get("metadata"), dict) else None
    new_meta = new.get("metadata")
    for key, value in old.items():
        if key == "metadata" and old_meta is not None:
            if not isinstance(new_meta, dict):
                return "metadata is no longer a mapping"
            for k, v in old_meta.items():
                if k not in new_meta or not _same_value(str(k), v, new_meta[k]):
                    return f"metadata.{k}: {v!r:.60} became {new_meta.get(k, '<missing>')!r:.60}"
            continue
        if key in new:
            if not _same_value(str(key), value, new[key]):
                return f"{key}: {value!r:.60} became {new[key]!r:.60}"
            continue
        if key not in SPEC_FIELDS and isinstance(new_meta, dict) and key in new_meta and \
                _same_value(str(key), value, new_meta[key]):
            continue  # moved under metadata (unsafe fix)
        return f"{key!r} was lost (value {value!r:.60})"
    for key in new:
        if key not in old and key != "metadata":
            return f"new key {key!r}"
    if isinstance(new_meta, dict):
        for k in new_meta:
            if (old_meta is None or k not in old_meta) and k not in old:
                return f"new key metadata.{k}"
    return None


def fix_drift(before: bytes, after: bytes) -> tuple[str, str] | None:
    """(kind, detail) when a fix changed more than it means to, else None."""
    if before == after:
        return None  # left untouched: nothing can have been lost
    b, a = normalise(before), normalise(after)
    fm_b, body_b = split_frontmatter(b)
    fm_a, body_a = split_frontmatter(a)
    if body_a != body_b:
        return "fix-body-changed", _first_difference(body_b, body_a)
    if fm_b is None:
        return None if fm_a is None else ("fix-body-changed", "a frontmatter appeared")
    if fm_a is None:
        return "fix-frontmatter-lost", "the frontmatter delimiters are gone"
    drift = frontmatter_drift(fm_b, fm_a)
    return ("fix-frontmatter-changed", drift) if drift else None


def _first_difference(a: bytes, b: bytes) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at byte {i}: {a[max(0, i - 20): i + 20]!r} -> {b[max(0, i - 20): i + 20]!r}"


# --------------------------------------------------------------------------------------- running the CLI


@dataclass
class Failure:
    kind: str
    mutant: str  # the mutant's folder name, or "tree"
    command: str
    detail: str


@dataclass
class Run:
    exit_code: int
    stdout: bytes
    stderr: bytes
    exception: BaseException | None


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _Timeout(f"took more than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def invoke(args: list[str], cwd: Path, timeout: float = 60.0) -> Run:
    from typer.testing import CliRunner

    from skillkit.cli import app

    here = os.getcwd()
    os.chdir(cwd)
    try:
        with _time_limit(timeout):
            result = CliRunner().invoke(app, args, env={"GITHUB_ACTIONS": "", "NO_COLOR": "1", "CI": "1"})
    except _Timeout as exc:  # raised outside the runner's own exception capture
        return Run(-1, b"", b"", exc)
    finally:
        os.chdir(here)
    exc = result.exception
    if isinstance(exc, SystemExit):
        exc = None
    return Run(result.exit_code, result.stdout_bytes, result.stderr_bytes, exc)


def output_problems(run: Run, fmt: str | None, codes: tuple[int, ...]) -> list[tuple[str, str]]:
    """Invariants (a) and (b) on one run: (kind, detail) for each broken one."""
    out: list[tuple[str, str]] = []
    if run.exception is not None:
        kind = "timeout" if isinstance(run.exception, _Timeout) else "crash"
        out.append((kind, f"{type(run.exception).__name__}: {run.exception}"[:300]))
        return out
    if run.exit_code not in codes:
        out.append(("exit-code", f"exit {run.exit_code}: {run.stderr[-300:]!r}"))
    for name, data in (("stdout", run.stdout), ("stderr", run.stderr)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append(("not-utf8", f"{name}: {exc}"))
            continue
        if "Traceback (most recent call last)" in text:
            out.append(("traceback", f"{name}: {text[text.index('Traceback'):][-400:]}"))
        for line in text.splitlines():
            if "internal error" in line and line.startswith("skillkit: cannot fix"):
                out.append(("crash", line[:300]))  # --fix survived a bug in fix_file; it is still one
    if fmt in ("json", "sarif") and run.exit_code in (0, 1):
        try:
            json.loads(run.stdout.decode("utf-8", "replace"))
        except ValueError as exc:
            out.append(("json-invalid", f"{fmt}: {exc}"))
    return out


def _owner(path: str) -> str:
    return path.split("/", 1)[0]


def _by_mutant(diagnostics: list[dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for d in diagnostics:
        out.setdefault(_owner(d["path"]), []).append(
            (d["path"], d["line"], d["column"], d["rule"], d["severity"], d["message"]))
    return out


def check_tree(tree: Path, mutants: list[Mutant], *, isolation: bool = True, fix: bool = True,
               timeout: float = 60.0) -> list[Failure]:
    """Every invariant over a folder of mutants; ``tree`` is the working folder of every run."""
    failures: list[Failure] = []
    names = [m.name for m in mutants]

    def record(problems: list[tuple[str, str]], mutant: str, command: str) -> None:
        failures.extend(Failure(kind, mutant, command, detail) for kind, detail in problems)

    def per_mutant(args: list[str], fmt: str | None, codes: tuple[int, ...]) -> None:
        """A run over the whole tree broke: find the mutants that break it alone."""
        for name in names:
            record(output_problems(invoke([*args[:1], name, *args[2:]], tree, timeout), fmt, codes), name,
                   " ".join(args).replace(" . ", f" {name} "))

    # (a) (b) lint: a cold JSON run is the truth, then the cache is written, read, and every format printed
    cold = invoke(["lint", ".", "--no-cache", "--format", "json"], tree, timeout)
    problems = output_problems(cold, "json", (0, 1))
    truth: dict[str, list[tuple[Any, ...]]] = {}
    if problems:
        record(problems, "tree", "lint --no-cache --format json")
        per_mutant(["lint", ".", "--no-cache", "--format", "json"], "json", (0, 1))
    else:
        diagnostics = json.loads(cold.stdout)["diagnostics"]
        truth = _by_mutant(diagnostics)
        for d in diagnostics:
            if d["message"].startswith("internal error in rule"):
                failures.append(Failure("rule-crash", _owner(d["path"]), "lint --format json", d["message"][:300]))
    shutil.rmtree(tree / ".skillkit_cache", ignore_errors=True)
    for attempt in ("write", "read"):
        run = invoke(["lint", ".", "--format", "json"], tree, timeout)
        problems = output_problems(run, "json", (0, 1))
        record(problems, "tree", f"lint --format json (cache {attempt})")
        if not problems and truth and _by_mutant(json.loads(run.stdout)["diagnostics"]) != truth:
            got = _by_mutant(json.loads(run.stdout)["diagnostics"])
            for name in sorted(set(got) | set(truth)):
                if got.get(name) != truth.get(name):
                    failures.append(Failure("cache-mismatch", name, f"lint --format json (cache {attempt})",
                                            f"cold {truth.get(name)!r:.200} cached {got.get(name)!r:.200}"))
    for fmt in LINT_FORMATS:
        if fmt == "json":
            continue
        run = invoke(["lint", ".", "--format", fmt], tree, timeout)
        problems = output_problems(run, fmt, (0, 1))
        if problems:
            record(problems, "tree", f"lint --format {fmt}")
            per_mutant(["lint", ".", "--no-cache", "--format", fmt], fmt, (0, 1))
    for fmt in SCORE_FORMATS:
        run = invoke(["score", ".", "--format", fmt], tree, timeout)
        problems = output_problems(run, fmt, (0,))
        if problems:
            record(problems, "tree", f"score --format {fmt}")
            per_mutant(["score", ".", "--no-cache", "--format", fmt], fmt, (0,))

    # (d) isolation: each mutant alone gets the findings it got in the tree
    if isolation and truth is not None:
        for name in names:
            alone = invoke(["lint", name, "--no-cache", "--format", "json"], tree, timeout)
            problems = output_problems(alone, "json", (0, 1))
            if problems:
                record(problems, name, f"lint {name} --no-cache --format json")
                continue
            got = _by_mutant(json.loads(alone.stdout)["diagnostics"]).get(name, [])
            if cold.exit_code in (0, 1) and truth and got != truth.get(name, []):
                failures.append(Failure("isolation", name, f"lint {name} --format json",
                                        f"alone {_diff_rows(got, truth.get(name, []))}"))

    # (c) --fix --unsafe-fixes twice, on a copy
    if fix:
        failures.extend(check_fixes(tree, names, timeout))
    return failures


def _diff_rows(alone: list[tuple[Any, ...]], in_tree: list[tuple[Any, ...]]) -> str:
    only_alone = [r for r in alone if r not in in_tree]
    only_tree = [r for r in in_tree if r not in alone]
    return f"only alone: {only_alone[:3]!r:.250}; only in the tree: {only_tree[:3]!r:.250}"


def check_fixes(tree: Path, names: list[str], timeout: float = 60.0) -> list[Failure]:
    failures: list[Failure] = []
    work = tree.parent / (tree.name + "-fix")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, work, symlinks=True, ignore=shutil.ignore_patterns(".skillkit_cache"))
    args = ["--fix", "--unsafe-fixes", "--no-cache", "--select", "SK101", "--format", "json"]
    for name in names:
        skill_md = work / name / "SKILL.md"
        if skill_md.is_symlink() or not skill_md.is_file():
            continue
        before = skill_md.read_bytes()
        snapshots = []
        for attempt in ("first", "second"):
            run = invoke(["lint", name, *args], work, timeout)
            problems = output_problems(run, "json", (0, 1))
            if problems:
                failures.extend(Failure(f"fix-{kind}", name, f"lint --fix --unsafe-fixes ({attempt} run)", detail)
                                for kind, detail in problems)
                break
            snapshots.append(skill_md.read_bytes())
        if len(snapshots) < 2:
            continue
        if snapshots[1] != snapshots[0]:
            failures.append(Failure("fix-not-idempotent", name, "lint --fix --unsafe-fixes (twice)",
                                    _first_difference(snapshots[0], snapshots[1])))
        drift = fix_drift(before, snapshots[0])
        if drift:
            failures.append(Failure(drift[0], name, "lint --fix --unsafe-fixes", drift[1]))
    shutil.rmtree(work, ignore_errors=True)
    return failures


def report(failures: list[Failure], mutants: list[Mutant], limit: int = 3) -> str:
    """Failures grouped by kind, with up to ``limit`` examples each (mutant, seed, mutations, detail)."""
    by_name = {m.name: m for m in mutants}
    kinds: dict[str, list[Failure]] = {}
    for f in failures:
        kinds.setdefault(f.kind, []).append(f)
    lines = [f"{len(failures)} failures in {len(mutants)} mutants"]
    for kind, found in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"{kind}: {len(found)}")
        for f in found[:limit]:
            m = by_name.get(f.mutant)
            origin = f" from {m.seed} with {m.mutations}" if m else ""
            lines.append(f"    {f.mutant}{origin}: {f.command}: {f.detail[:300]}")
    return "\n".join(lines)
