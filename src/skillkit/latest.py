"""`skillkit verify --latest`: what breaks when a skill's packages move from the versions it pins to
their newest releases.

Two small environments are layered on a base interpreter (``--python``: the environment that holds
the heavy, compiled packages, such as torch): a virtualenv without pip whose ``.pth`` file puts the
base's import path after its own. Into one go the skill's pinned releases, into the other the newest
releases, each installed with ``--no-deps`` from wheels for any platform (``*-none-any.whl``): pure
Python, nothing compiled, nothing of several gigabytes pulled in. A package with no such wheel for the
version (torch, vllm, CUDA builds) is *not checked*: both sides use the base's copy, if it has one.
``skillkit verify`` runs against both environments; a finding of SK701 (unknown name), SK702 (unknown
keyword) or SK705 (unknown CLI flag) that the newest side has and the pinned side has not is a
*break*. Environments are cached in the user's cache folder under a key of the base interpreter and the
requirements, so the next run installs nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from skillkit.atomic import write_atomic
from skillkit.outdated import Index, IndexError_, Release, user_cache_dir

#: Rules whose new findings on the newest release count as breaks.
BREAK_RULES = ("SK701", "SK702", "SK705")
#: Bump to make old cached environments unusable (they are rebuilt).
ENV_SCHEME = 2
MARKER = "skillkit-env.json"
PTH = "_skillkit_base.pth"


@dataclass
class Env:
    """A built overlay environment: its interpreter and what went into it."""

    python: str | None
    requirements: list[str]  # name==version, what was asked for
    installed: list[str] = field(default_factory=list)
    not_checked: dict[str, str] = field(default_factory=dict)  # requirement -> why
    problem: str | None = None  # the environment itself could not be made
    cached: bool = False

    def to_json(self) -> dict[str, object]:
        return {"python": self.python, "requirements": self.requirements, "installed": self.installed,
                "not_checked": self.not_checked, "problem": self.problem, "cached": self.cached}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or ["no output"])[-1][:300]


def _interpreter(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _ask(python: str, code: str, timeout: float = 60) -> str | None:
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


_PROBE = """import json, sys
path = [p for p in sys.path if p]
try:
    import pip
    pip_version = pip.__version__
except Exception:
    pip_version = None
print(json.dumps({"version": sys.version, "pip": pip_version, "path": path}))"""
_SYS_PATH = "import json, sys; print(json.dumps([p for p in sys.path if p]))"


@dataclass(frozen=True)
class Base:
    """What the environments need to know of the base interpreter, asked once per run."""

    python: str
    version: str  # `sys.version`; "?" when the interpreter does not run
    outer_pip: bool  # its pip can install into another environment (`pip --python`: pip 22.3+)
    path: tuple[str, ...] | None  # its import path; None when it does not run

    @classmethod
    def probe(cls, python: str) -> Base:
        answer = _ask(python, _PROBE)
        try:
            data = json.loads(answer) if answer else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls(python, "?", False, None)
        outer = False
        try:
            major, minor = (int(x) for x in str(data.get("pip") or "").split(".")[:2])
            outer = (major, minor) >= (22, 3)
        except ValueError:
            pass
        return cls(python, str(data.get("version")), outer, tuple(data.get("path") or ()))


def env_key(base: Base, requirements: Sequence[str]) -> str:
    blob = json.dumps([ENV_SCHEME, os.path.abspath(base.python), base.version, sorted(requirements)])
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def build_env(requirements: Sequence[str], base: Base, root: Path, timeout: float = 900.0,
              log: Callable[[str], None] | None = None) -> Env:
    """An overlay on the ``base`` interpreter under ``root`` holding ``requirements`` (exact
    ``name==version`` of pure wheels), each installed without its dependencies; or as many as install."""
    python = base.python
    reqs = sorted(requirements)
    folder = root / env_key(base, reqs)
    marker = folder / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            env = Env(**{k: data[k] for k in ("python", "requirements", "installed", "not_checked", "problem")})
            if env.python and Path(env.python).exists():
                env.cached = True
                return env
        except (OSError, ValueError, KeyError, TypeError):
            pass
    shutil.rmtree(folder, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    env = Env(None, list(reqs))
    if log:
        log(f"building an environment with {', '.join(reqs) or 'nothing'} over {python} in {folder}")
    if base.path is None:
        env.problem = f"cannot run {python}"
        return env
    # pip in the base (22.3+) installs into a venv made without pip in a fraction of a second;
    # otherwise the venv gets its own pip (ensurepip: seconds)
    outer = base.outer_pip
    try:
        made = subprocess.run([python, "-m", "venv", *(["--without-pip"] if outer else []), str(folder)],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        env.problem = f"`{python} -m venv` timed out"
        return env
    if made.returncode != 0:
        env.problem = f"`{python} -m venv` failed: {_last_line(made.stderr + made.stdout)}"
        return env
    env.python = str(_interpreter(folder))
    own_path = _ask(env.python, _SYS_PATH)
    purelib = _ask(env.python, "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    if own_path is None or purelib is None:
        env.problem = f"the new environment's interpreter {env.python} does not run"
        return env
    own = set(json.loads(own_path))
    extra = [p for p in base.path if p not in own]
    Path(purelib, PTH).write_text("".join(f"{p}\n" for p in extra), encoding="utf-8")

    def pip(*args: str) -> subprocess.CompletedProcess[str] | None:
        runner = [python, "-m", "pip", "--python", env.python] if outer else [env.python, "-m", "pip"]
        command = [*runner, "install", "--disable-pip-version-check", "--quiet", "--no-deps",
                   "--only-binary", ":all:", "--ignore-installed", *args]
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
                else:
                    env.not_checked[req] = "timed out" if alone is None else _last_line(alone.stderr + alone.stdout)
    write_atomic(marker, json.dumps(env.to_json(), indent=1).encode())
    return env


# --------------------------------------------------------------------------- requirements


@dataclass
class Plan:
    """What the two environments of one skill hold, and what is left to the base."""

    pinned: list[str] = field(default_factory=list)  # name==version
    newest: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)  # "name 1.0 -> 2.0"
    not_checked: dict[str, str] = field(default_factory=dict)  # package -> why


def requirements_of(deps: str) -> list[Requirement]:
    """The skill's requirements (``metadata.dependencies`` is space-separated)."""
    out = []
    for token in deps.split():
        try:
            out.append(Requirement(token))
        except Exception:  # packaging's InvalidRequirement
            continue
    return out


def plan(deps: str, index: Index) -> Plan:
    """For each requirement: the highest release it allows (the pinned side) and the newest final
    release (the newest side), each only where that release has a wheel for any platform."""
    result = Plan()
    for req in requirements_of(deps):
        name = canonicalize_name(req.name)
        try:
            releases = index.releases(req.name)
        except IndexError_ as exc:
            result.not_checked[name] = str(exc)
            continue
        finals = [r for r in releases if not r.version.is_prerelease]
        allowed = [r for r in releases if req.specifier.contains(r.version, prereleases=True)]
        if not finals or not allowed:
            result.not_checked[name] = (f"no release on the index matches `{req.specifier}`" if finals
                                        else "the index lists no final release")
            continue
        old: Release = max(allowed, key=lambda r: r.version)
        new: Release = max(finals, key=lambda r: r.version)
        if old.version != new.version:
            result.moves.append(f"{name} {old.version} -> {new.version}")
        impure = [str(r.version) for r in (old, new) if not r.pure]
        if impure:
            result.not_checked[name] = (f"no wheel for any platform for {name} {' and '.join(dict.fromkeys(impure))} "
                                        "(compiled or platform builds are not installed): the base's copy, if any, "
                                        "serves both sides")
            continue
        result.pinned.append(f"{name}=={old.version}")
        result.newest.append(f"{name}=={new.version}")
    return result




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
    plan: Plan | None = None
    pinned: Env | None = None
    newest: Env | None = None
    breaks: list[Finding] = field(default_factory=list)  # new on the newest release
    fixed: list[Finding] = field(default_factory=list)  # gone on the newest release
    already: list[Finding] = field(default_factory=list)  # on both
    checked_pinned: int = 0
    checked_newest: int = 0
    problem: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path, "problem": self.problem,
            "moves": self.plan.moves if self.plan else [],
            "not_checked": self.plan.not_checked if self.plan else {},
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
    """For each ``(display path, loader)`` pair: build the pinned and newest overlays on ``python``,
    verify the skill (a fresh copy from ``loader``) against each, and compare."""
    results = []
    base = Base.probe(python)
    for shown, load in skills:
        result = SkillResult(shown)
        results.append(result)
        skill = load()
        data = getattr(skill, "data", None) or {}
        meta = data.get("metadata") if isinstance(data, dict) else None
        deps = meta.get("dependencies") if isinstance(meta, dict) else None
        if not isinstance(deps, str) or not requirements_of(deps):
            result.problem = "no metadata.dependencies to compare"
            continue
        result.plan = plan(deps, index)
        result.pinned = build_env(result.plan.pinned, base, root, install_timeout, log)
        result.newest = build_env(result.plan.newest, base, root, install_timeout, log)
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


def render_text(results: Sequence[SkillResult], root: Path) -> str:
    lines = []
    for r in results:
        if r.problem:
            lines.append(f"{r.path}: not checked: {r.problem}")
            continue
        assert r.plan is not None and r.pinned is not None and r.newest is not None
        head = f"{r.path}: {len(r.breaks)} break(s) on the newest releases" if r.breaks else f"{r.path}: no breaks"
        lines.append(f"{head} ({', '.join(r.plan.moves) or 'no newer releases'}; {r.checked_pinned} names "
                     f"checked on the pins, {r.checked_newest} on the newest)")
        for f in r.breaks:
            where = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"  {where}: {f.rule} {f.message}")
        if r.fixed:
            lines.append(f"  {len(r.fixed)} finding(s) on the pins are gone on the newest releases")
        if r.already:
            lines.append(f"  {len(r.already)} finding(s) fail on the pins too (run `skillkit verify` on the pins)")
        for name, why in r.plan.not_checked.items():
            lines.append(f"  not checked: {name}: {why}")
        for label, env in (("pins", r.pinned), ("newest", r.newest)):
            for req, why in env.not_checked.items():
                lines.append(f"  not checked ({label}): {req} did not install: {why}")
    broken = sum(1 for r in results if r.breaks)
    lines.append(f"verify --latest: {broken} of {len(results)} skill(s) break on the newest releases; "
                 f"environments cached in {root}")
    return "\n".join(lines) + "\n"
