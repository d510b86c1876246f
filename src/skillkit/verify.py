"""`skillkit verify`: prove a skill's Python and CLI claims against the real, installed packages.

The work that imports packages happens in a separate interpreter (`--python`, default: this one)
running :mod:`skillkit.verify_probe` under a time limit; skillkit itself never imports a skill's
packages. Findings are stored on each skill and reported through the SK7xx rules.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.diagnostics import Violation
from skillkit.model import Skill
from skillkit.packaged import package_folder
from skillkit.rules.code import PYTHON_TAGS, SHELL_TAGS, fence_body, normalise_python

KIND_TO_RULE = {"unknown-name": "SK701", "unknown-keyword": "SK702", "not-installed": "SK703", "unverified": "SK703"}


@dataclass
class SkillReport:
    """What verification saw of one skill, for the summary and the JSON output."""

    path: str
    checked: int = 0
    unknown: int = 0
    unverified: int = 0
    cli_flags_checked: int = 0
    cli_flags_unverified: int = 0
    packages: dict[str, str | None] = field(default_factory=dict)
    requirements: dict[str, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path, "checked": self.checked, "unknown": self.unknown, "unverified": self.unverified,
            "cli_flags_checked": self.cli_flags_checked, "cli_flags_unverified": self.cli_flags_unverified,
            "packages": self.packages, "requirements": self.requirements,
        }


def _add(skill: Skill, rule_id: str, violation: Violation) -> None:
    skill.cache.setdefault(("verify", rule_id), []).append(violation)  # type: ignore[union-attr]


def python_blocks(skill: Skill) -> list[dict[str, object]]:
    blocks = []
    for doc in skill.markdown_docs():
        for fence in doc.fences:
            if fence.language in PYTHON_TAGS:
                first, text = fence_body(doc, fence)
                blocks.append({"file": str(doc.path), "first_line": first, "code": normalise_python(text)})
    return blocks


def requirements(skill: Skill) -> list[object]:
    """`metadata.dependencies` parsed as PEP 508 requirements (space-separated)."""
    from packaging.requirements import InvalidRequirement, Requirement

    data = skill.data or {}
    meta = data.get("metadata")
    deps = meta.get("dependencies") if isinstance(meta, dict) else None
    if not isinstance(deps, str):
        return []
    out = []
    for token in deps.split():
        try:
            out.append(Requirement(token))
        except InvalidRequirement:
            continue
    return out


def _probe_path() -> Path:
    return Path(str(package_folder("skillkit").joinpath("verify_probe.py")))


def run_probe(skills: Sequence[Skill], python: str, timeout: float) -> tuple[dict[int, dict], dict, str | None]:
    """Run the probe once for all skills. Returns reports by skill index, the environment, and an error."""
    job = {"skills": [{"id": i, "blocks": python_blocks(s), "distributions": [r.name for r in requirements(s)]}
                      for i, s in enumerate(skills)]}
    reports: dict[int, dict] = {}
    env_info: dict = {}
    with tempfile.TemporaryDirectory(prefix="skillkit-verify-") as tmp:
        probe = Path(tmp) / "skillkit_verify_probe.py"
        shutil.copyfile(_probe_path(), probe)
        try:
            proc = subprocess.run([python, str(probe)], input=json.dumps(job), capture_output=True, text=True,
                                  timeout=timeout, cwd=tmp, check=False)
            out, err, code = proc.stdout, proc.stderr, proc.returncode
            problem = None if code == 0 else f"the probe exited with {code}: {_tail(err)}"
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            problem = f"timed out after {timeout:g} s (importing the skill's packages took too long)"
        except OSError as exc:
            return {}, {}, f"cannot run {python}: {exc.strerror or exc}"
    for line in out.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if "skill" in item:
            reports[int(item["skill"])] = item
        elif "python" in item:
            env_info = item
    return reports, env_info, problem


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def apply_report(skill: Skill, report: dict, summary: SkillReport) -> None:
    for item in report.get("results", []):
        kind = item["kind"]
        if kind == "checked":
            summary.checked += 1
            continue
        rule_id = KIND_TO_RULE.get(kind)
        if rule_id is None:
            continue
        if rule_id == "SK703":
            summary.unverified += 1
        else:
            summary.unknown += 1
            summary.checked += 1
        path = Path(item["file"])
        _add(skill, rule_id, Violation(item["message"], item.get("line"), item.get("column"),
                                       path=None if skill.skill_md and path == skill.skill_md else path))
    summary.packages = dict(report.get("packages", {}))
    installed = report.get("requirements", {})
    for req in requirements(skill):
        version = installed.get(req.name)
        summary.requirements[str(req)] = version
        line, column = skill.loc("metadata", "dependencies", value=True)
        if version is None:
            _add(skill, "SK704", Violation(f"`{req}` is declared in metadata.dependencies but `{req.name}` is not "
                                           "installed in the verified interpreter", line, column))
        elif req.specifier and not req.specifier.contains(version, prereleases=True):
            _add(skill, "SK704", Violation(f"`{req}` is declared but {req.name} {version} is installed; the results "
                                           f"are for {version}", line, column))


# --------------------------------------------------------------------------- --cli

_FLAG = re.compile(r"^--[A-Za-z0-9][\w-]*")


def shell_commands(text: str) -> list[tuple[int, list[str]]]:
    """``(line_offset, tokens)`` for each simple command of a shell block (continuations joined)."""
    commands = []
    logical: list[tuple[int, str]] = []
    buffer, start = "", 0
    for index, line in enumerate(text.split("\n")):
        if line.startswith("$ "):
            line = line[2:]
        if not buffer:
            start = index
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        logical.append((start, buffer + line))
        buffer = ""
    for offset, line in logical:
        line = line.split(" #", 1)[0]
        for part in re.split(r"\|\||&&|;|\||&", line):
            try:
                tokens = shlex.split(part, comments=True)
            except ValueError:
                continue
            while tokens and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", tokens[0]):
                tokens = tokens[1:]  # VAR=value prefixes
            if tokens:
                commands.append((offset, tokens))
    return commands


def own_arguments(tokens: list[str]) -> list[str]:
    """The tool's own arguments: a launcher's (`accelerate launch -m pkg ...`, `torchrun x.py ...`,
    `python -m pkg ...`) end where the program it launches begins."""
    out = []
    for token in tokens[1:]:
        if token in ("--", "-m", "-c") or token.endswith(".py"):
            break
        out.append(token)
    return out


def _tool_path(tool: str, python: str) -> str | None:
    if "/" in tool:
        return None
    candidate = Path(python).parent / tool
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return None


#: What ``_help`` stores when ``--help`` did not answer in time: unknown, not failed.
TIMED_OUT = "\0timed out"


def _run_help(cmd: list[str], flag: str, timeout: float) -> str | None:
    # a wide, plain terminal: Rich and Click cut long option names to the width (`--disable-remote-in…`)
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([*cmd, flag], capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL, env=env)
    text = proc.stdout + proc.stderr
    return text if proc.returncode == 0 and "--" in text else None


_PYTHON = re.compile(r"python(?:3(?:\.\d+)?)?")


def _python_module(tokens: list[str]) -> str | None:
    """``pkg.cli`` for ``python -m pkg.cli ...`` (``python3``, ``python3.11`` too), else ``None``."""
    if len(tokens) >= 3 and _PYTHON.fullmatch(tokens[0]) and tokens[1] == "-m" and re.fullmatch(
            r"[A-Za-z_][\w.]*", tokens[2]):
        return tokens[2]
    return None


_SITE_CHECK = ("import importlib.util, sys\n"
               "spec = importlib.util.find_spec(sys.argv[1].split('.')[0])\n"
               "print('site' if spec and spec.origin and 'site-packages' in spec.origin else 'other')")


def _installed_module(module: str, python: str, timeout: float, cache: dict) -> bool:
    """Whether ``module``'s package is installed in the target environment's site-packages. Only those
    get ``python -m MODULE --help``: standard-library modules such as ``http.server`` are left alone."""
    key = ("site", module.split(".")[0])
    if key not in cache:
        try:
            proc = subprocess.run([python, "-c", _SITE_CHECK, module], capture_output=True, text=True,
                                  timeout=timeout, check=False, stdin=subprocess.DEVNULL)
            cache[key] = proc.stdout.strip() == "site"
        except (OSError, subprocess.TimeoutExpired):
            cache[key] = False
    return bool(cache[key])


def _help(cmd: list[str], timeout: float, cache: dict[tuple[str, ...], str | None]) -> str | None:
    """``cmd --help`` (``None`` when it fails, :data:`TIMED_OUT` when it does not answer in time). Help
    that lists only groups and points at ``--help=all`` (vLLM's CLI) is completed with that output."""
    key = tuple(cmd)
    if key not in cache:
        try:
            text = _run_help(cmd, "--help", timeout)
            if text is not None and "--help=all" in text:
                text += _run_help(cmd, "--help=all", timeout) or ""
            cache[key] = text
        except subprocess.TimeoutExpired:
            cache[key] = TIMED_OUT
        except OSError:
            cache[key] = None
    return cache[key]


def check_cli(skill: Skill, python: str, timeout: float, cache: dict, summary: SkillReport) -> None:
    for doc in skill.markdown_docs():
        for fence in doc.fences:
            if fence.language not in SHELL_TAGS:
                continue
            first, text = fence_body(doc, fence)
            for offset, tokens in shell_commands(text):
                module = _python_module(tokens)
                if module is not None:  # `python -m pkg.cli ...`: the module is the program
                    if not _installed_module(module, python, timeout, cache):
                        continue
                    base, name, tokens = [python, "-m", module], f"python -m {module}", tokens[2:]
                else:
                    tool = _tool_path(tokens[0], python)
                    if tool is None:
                        continue
                    base, name = [tool], tokens[0]
                flags = [t.split("=", 1)[0] for t in own_arguments(tokens) if _FLAG.match(t)]
                if not flags:
                    continue
                # the subcommand chain (`hf cache rm ...`): leading command-like words; the deepest one
                # whose --help works is the command the flags belong to
                chain: list[str] = []
                for token in tokens[1:4]:
                    if not re.fullmatch(r"[a-z][a-z0-9_-]*", token):
                        break
                    chain.append(token)
                text_help, words = None, []
                for depth in range(len(chain), -1, -1):
                    text_help = _help([*base, *chain[:depth]], timeout, cache)
                    if text_help is not None:
                        words = chain[:depth]
                        break
                if text_help is None:
                    continue
                where = " ".join([name, *words])
                if text_help is TIMED_OUT:  # a parent's help would wrongly call the flags unknown
                    summary.cli_flags_unverified += len(flags)
                    _add(skill, "SK707", Violation(f"`{where} --help` did not answer within {timeout:g} s: "
                                                   f"{len(flags)} flag(s) not checked (raise --timeout)",
                                                   first + offset, None,
                                                   path=None if doc is skill.body else doc.path))
                    continue
                # dotted names too (`--ds.param_dtype`, OmegaConf/jsonargparse style); not a sentence's full stop
                known = {f.rstrip(".") for f in re.findall(r"--[A-Za-z0-9][\w.-]*", text_help)}
                for flag in flags:
                    summary.cli_flags_checked += 1
                    if flag in ("--help", "--version") or flag in known:
                        continue
                    _add(skill, "SK705", Violation(f"`{where}` has no flag `{flag}` (not in `{where} --help`)",
                                                   first + offset, None,
                                                   path=None if doc is skill.body else doc.path))


def verify(skills: Sequence[Skill], python: str = sys.executable, timeout: float = 120.0, cli: bool = False
           ) -> tuple[list[SkillReport], dict]:
    """Verify every skill; findings are stored on each skill for the SK7xx rules."""
    reports, env_info, problem = run_probe(skills, python, timeout)
    summaries = []
    help_cache: dict = {}
    for index, skill in enumerate(skills):
        summary = SkillReport(str(skill.skill_md or skill.dir))
        report = reports.get(index)
        if report is None:
            why = problem or "the probe returned nothing for this skill"
            _add(skill, "SK706", Violation(f"verification did not finish: {why}", None, None))
        else:
            apply_report(skill, report, summary)
        if cli:
            check_cli(skill, python, timeout, help_cache, summary)
        summaries.append(summary)
    return summaries, env_info
