"""`skillkit verify --latest`: what breaks when a skill's packages move from the versions it pins to
their newest releases.

For each skill, two virtual environments are built from ``metadata.dependencies``: one with the
pinned requirements as written and one with every package at its newest release on the index
(:mod:`skillkit.outdated`). ``skillkit verify`` runs against both; a finding of SK701 (unknown name),
SK702 (unknown keyword) or SK705 (unknown CLI flag) that the newest environment has and the pinned one
has not is a *break*. Only wheels are installed (``--only-binary :all:``: nothing is compiled); a
package whose requirements cannot be met is installed again with ``--no-deps``, and one that cannot
be installed at all (no wheel for this machine, a CUDA-only build, a version the local pip constraints
forbid) is reported as *not checked*. Environments are cached in the user's cache folder under a key
of the interpreter and the requirements, so a second run installs nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from skillkit.atomic import write_atomic
from skillkit.outdated import Index, IndexError_, user_cache_dir

#: Rules whose new findings on the newest release count as breaks.
BREAK_RULES = ("SK701", "SK702", "SK705")
#: Bump to make old cached environments unusable (they are rebuilt).
ENV_SCHEME = 1
MARKER = "skillkit-env.json"


@dataclass
class Env:
    """A built environment: its interpreter and what went into it."""

    python: str | None
    requirements: list[str]
    installed: list[str] = field(default_factory=list)  # with their dependencies
    no_deps: list[str] = field(default_factory=list)  # installed alone (--no-deps)
    not_checked: dict[str, str] = field(default_factory=dict)  # requirement -> why
    problem: str | None = None  # the environment itself could not be made
    cached: bool = False

    def to_json(self) -> dict[str, object]:
        return {"python": self.python, "requirements": self.requirements, "installed": self.installed,
                "no_deps": self.no_deps, "not_checked": self.not_checked, "problem": self.problem,
                "cached": self.cached}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or ["no output"])[-1][:300]


def _interpreter(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def python_version(python: str) -> str:
    out = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True,
                         timeout=60, check=False)
    return out.stdout.strip()


def _outer_pip(python: str) -> bool:
    """Whether ``python``'s own pip can install into another environment (``pip --python``: pip 22.3+)."""
    try:
        out = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, text=True, timeout=60,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) < 2:
        return False
    try:
        major, minor = (int(x) for x in parts[1].split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (22, 3)


def env_key(python: str, requirements: Sequence[str]) -> str:
    blob = json.dumps([ENV_SCHEME, python_version(python), sorted(requirements)])
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def build_env(requirements: Sequence[str], python: str, root: Path, timeout: float = 900.0,
              log: Callable[[str], None] | None = None) -> Env:
    """A virtualenv under ``root`` holding ``requirements`` (or as many of them as install here)."""
    reqs = sorted(requirements)
    folder = root / env_key(python, reqs)
    marker = folder / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            env = Env(**{k: data[k] for k in ("python", "requirements", "installed", "no_deps", "not_checked",
                                               "problem")})
            if env.python and Path(env.python).exists():
                env.cached = True
                return env
        except (OSError, ValueError, KeyError, TypeError):
            pass
    shutil.rmtree(folder, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    env = Env(None, list(reqs))
    if log:
        log(f"building an environment with {', '.join(reqs) or 'nothing'} in {folder}")
    # A venv without pip, filled by the base interpreter's pip (`pip --python`, pip >= 22.3), is made in
    # a fraction of a second; ensurepip takes seconds per environment. Without a usable pip: ensurepip.
    outer = _outer_pip(python)
    made = subprocess.run([python, "-m", "venv", *(["--without-pip"] if outer else []), str(folder)],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if made.returncode != 0:
        env.problem = f"`{python} -m venv` failed: {_last_line(made.stderr + made.stdout)}"
        return env
    env.python = str(_interpreter(folder))

    def pip(*args: str) -> subprocess.CompletedProcess[str] | None:
        runner = [python, "-m", "pip", "--python", env.python] if outer else [env.python, "-m", "pip"]
        command = [*runner, "install", "--disable-pip-version-check", "--quiet", "--only-binary", ":all:", *args]
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None

    if reqs:
        together = pip(*reqs)
        if together is not None and together.returncode == 0:
            env.installed = list(reqs)
        else:
            for req in reqs:
                alone = pip(req)
                if alone is not None and alone.returncode == 0:
                    env.installed.append(req)
                    continue
                bare = pip("--no-deps", req)
                if bare is not None and bare.returncode == 0:
                    env.no_deps.append(req)
                    continue
                why = "timed out" if bare is None else _last_line(bare.stderr + bare.stdout)
                env.not_checked[req] = why
    write_atomic(marker, json.dumps(env.to_json(), indent=1).encode())
    return env


# --------------------------------------------------------------------------- requirements


def pinned_requirements(deps: str) -> list[str]:
    """The skill's requirements as written (``metadata.dependencies`` is space-separated)."""
    out = []
    for token in deps.split():
        try:
            Requirement(token)
        except Exception:  # packaging's InvalidRequirement
            continue
        out.append(token)
    return out


def newest_requirements(deps: str, index: Index) -> tuple[list[str], dict[str, str]]:
    """Each requirement moved to the newest final release of its package (extras kept), and the
    packages the index could not answer for (name -> why)."""
    out, problems = [], {}
    for token in pinned_requirements(deps):
        req = Requirement(token)
        try:
            releases = [r for r in index.releases(req.name) if not r.version.is_prerelease]
        except IndexError_ as exc:
            problems[canonicalize_name(req.name)] = str(exc)
            continue
        if not releases:
            problems[canonicalize_name(req.name)] = "the index lists no final release"
            continue
        extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
        out.append(f"{req.name}{extras}=={max(r.version for r in releases)}")
    return out, problems


# --------------------------------------------------------------------------- comparison


@dataclass
class Finding:
    rule: str
    path: str
    line: int | None
    message: str

    def key(self) -> tuple[str, str, int | None, str]:
        return (self.rule, self.path, self.line, self.message)

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "path": self.path, "line": self.line, "message": self.message}


@dataclass
class SkillResult:
    path: str
    pinned: Env | None = None
    newest: Env | None = None
    index_problems: dict[str, str] = field(default_factory=dict)
    breaks: list[Finding] = field(default_factory=list)  # new on the newest release
    fixed: list[Finding] = field(default_factory=list)  # gone on the newest release
    already: list[Finding] = field(default_factory=list)  # on both
    checked_pinned: int = 0
    checked_newest: int = 0
    problem: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path, "problem": self.problem, "index_problems": self.index_problems,
            "pinned_env": self.pinned.to_json() if self.pinned else None,
            "newest_env": self.newest.to_json() if self.newest else None,
            "names_checked": {"pinned": self.checked_pinned, "newest": self.checked_newest},
            "breaks": [f.to_json() for f in self.breaks], "fixed": [f.to_json() for f in self.fixed],
            "already_failing": [f.to_json() for f in self.already],
        }


def diff(pinned: list[Finding], newest: list[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(breaks, fixed, already): findings only on the newest release, only on the pin, on both."""
    old = {f.key() for f in pinned}
    new = {f.key() for f in newest}
    return ([f for f in newest if f.key() not in old], [f for f in pinned if f.key() not in new],
            [f for f in newest if f.key() in old])


def default_env_root() -> Path:
    return user_cache_dir() / "envs"


def _findings(skill: object, python: str, settings: object, timeout: float, cli: bool, cwd: str
              ) -> tuple[list[Finding], int]:
    from skillkit.engine import check_skill
    from skillkit.verify import verify

    summaries, _ = verify([skill], python, timeout, cli)  # type: ignore[list-item]
    found = [Finding(d.rule, d.path, d.line, d.message)
             for d in check_skill(skill, settings, cwd) if d.rule in BREAK_RULES]  # type: ignore[arg-type]
    return found, summaries[0].checked


def verify_latest(skills: Sequence[tuple[str, Callable[[], object]]], settings: object, index: Index,
                  python: str, root: Path, timeout: float = 120.0, install_timeout: float = 900.0,
                  cli: bool = False, cwd: str = ".", log: Callable[[str], None] | None = None) -> list[SkillResult]:
    """For each ``(display path, loader)`` pair: build the pinned and newest environments, verify the
    skill (a fresh copy from ``loader``) against each, and compare."""
    results = []
    for shown, load in skills:
        result = SkillResult(shown)
        results.append(result)
        skill = load()
        data = getattr(skill, "data", None) or {}
        meta = data.get("metadata") if isinstance(data, dict) else None
        deps = meta.get("dependencies") if isinstance(meta, dict) else None
        if not isinstance(deps, str) or not pinned_requirements(deps):
            result.problem = "no metadata.dependencies to compare"
            continue
        newest, result.index_problems = newest_requirements(deps, index)
        result.pinned = build_env(pinned_requirements(deps), python, root, install_timeout, log)
        result.newest = build_env(newest, python, root, install_timeout, log)
        for env in (result.pinned, result.newest):
            if env.problem or not env.python:
                result.problem = env.problem or "the environment could not be made"
        if result.problem:
            continue
        assert result.pinned.python and result.newest.python
        old, result.checked_pinned = _findings(load(), result.pinned.python, settings, timeout, cli, cwd)
        new, result.checked_newest = _findings(load(), result.newest.python, settings, timeout, cli, cwd)
        result.breaks, result.fixed, result.already = diff(old, new)
    return results


def _changes(result: SkillResult) -> str:
    pinned = {canonicalize_name(Requirement(r).name): r for r in (result.pinned.requirements if result.pinned else [])}
    moves = []
    for req in result.newest.requirements if result.newest else []:
        name = canonicalize_name(Requirement(req).name)
        old = pinned.get(name, name)
        if old != req:
            moves.append(f"{old} -> {req.split('==')[-1]}")
    return ", ".join(moves) or "no newer releases"


def render_text(results: Sequence[SkillResult], root: Path) -> str:
    lines = []
    for r in results:
        if r.problem:
            lines.append(f"{r.path}: not checked: {r.problem}")
            continue
        head = f"{r.path}: {len(r.breaks)} break(s) on the newest releases" if r.breaks else f"{r.path}: no breaks"
        lines.append(f"{head} ({_changes(r)}; {r.checked_pinned} names checked on the pins, "
                     f"{r.checked_newest} on the newest)")
        for f in r.breaks:
            where = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"  {where}: {f.rule} {f.message}")
        if r.fixed:
            lines.append(f"  {len(r.fixed)} finding(s) on the pins are gone on the newest releases")
        if r.already:
            lines.append(f"  {len(r.already)} finding(s) fail on the pins too (run `skillkit verify` on the pins)")
        for label, env in (("pins", r.pinned), ("newest", r.newest)):
            assert env is not None
            for req, why in env.not_checked.items():
                lines.append(f"  not checked ({label}): {req}: {why}")
            if env.no_deps:
                lines.append(f"  installed without dependencies ({label}): {', '.join(env.no_deps)}")
        for name, why in r.index_problems.items():
            lines.append(f"  not checked (newest): {name}: {why}")
    broken = sum(1 for r in results if r.breaks)
    lines.append(f"verify --latest: {broken} of {len(results)} skill(s) break on the newest releases; "
                 f"environments cached in {root}")
    return "\n".join(lines) + "\n"
