"""Run the rules over discovered skills and stamp each Violation into a Diagnostic.

A rule that crashes becomes an error diagnostic under its own ID (so a bug in skillkit is visible
and never hides the other findings); one broken skill never stops the others from being checked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillkit.cache import LintCache
from skillkit.config import ActiveRule, Settings, default_settings
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.escape import printable
from skillkit.discover import SkillRef, discover
from skillkit.model import Repository, Skill
from skillkit.parse import load_skill
from skillkit.rules import Rule
from skillkit.suppress import collect


@dataclass
class LintResult:
    skills: int = 0
    #: Skills the PATHs hold before any selection (``--changed-since``): 0 is a usage error.
    found: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: PATHs that do not exist (usage error).
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)


def display_path(path: Path, cwd: str) -> str:
    """``path`` relative to ``cwd`` when it is below it, with forward slashes, printable (see
    :mod:`skillkit.escape`: a byte of the name that is not UTF-8 shows as ``\\xNN``)."""
    absolute = os.path.abspath(path)
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        shown = os.path.relpath(absolute, cwd)
    else:
        shown = str(path)
    return printable(shown.replace(os.sep, "/"))


def _active(rules: Settings | Iterable[Rule | ActiveRule]) -> tuple[Sequence[ActiveRule], Settings | None]:
    if isinstance(rules, Settings):
        return rules.rules, rules
    return [r if isinstance(r, ActiveRule) else ActiveRule(r, None, None) for r in rules], None


def check_skill(skill: Skill, rules: Settings | Iterable[Rule | ActiveRule], cwd: str) -> list[Diagnostic]:
    """All diagnostics of one parsed skill, sorted, after suppressions and per-path ignores."""
    active, settings = _active(rules)
    default_path = skill.skill_md if skill.skill_md is not None else skill.dir
    skill_rules = [ar for ar in active if ar.rule.scope == "skill"]
    return _run(skill, skill_rules, settings, default_path, collect(skill), cwd)


def check_repository(root: Path, rules: Settings | Iterable[Rule | ActiveRule], cwd: str) -> list[Diagnostic]:
    """The findings of the repository-scoped rules (SK8xx) for a lint PATH that is a folder."""
    active, settings = _active(rules)
    repo_rules = [ar for ar in active if ar.rule.scope == "repository"]
    return _run(Repository(root), repo_rules, settings, root, {}, cwd) if repo_rules else []


def _run(target: Skill | Repository, active: Sequence[ActiveRule], settings: Settings | None, default_path: Path,
         suppressions: dict, cwd: str) -> list[Diagnostic]:  # type: ignore[type-arg]
    out: list[Diagnostic] = []
    shown: dict[Path, str] = {}  # one display string per file, shared by its findings
    for ar in active:
        r = ar.rule
        try:
            for v in r.run(target, ar.options):
                path = v.path or default_path
                if settings is not None and settings.ignored_at(str(path), r):
                    continue
                sup = suppressions.get(path)
                if sup is not None and r.suppressible and sup.covers(v.line, (r.id, r.name)):
                    continue
                text = shown.get(path)
                if text is None:
                    text = shown[path] = display_path(path, cwd)
                out.append(
                    Diagnostic(
                        path=text,
                        line=v.line,
                        column=v.column,
                        rule=r.id,
                        name=r.name,
                        severity=ar.severity or v.severity or r.severity,
                        message=printable(v.message),
                        fixable=v.fixable,
                        default_severity=v.severity or r.severity,
                    )
                )
        except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the run
            out.append(
                Diagnostic(display_path(default_path, cwd), None, None, r.id, r.name, Severity.ERROR,
                           printable(f"internal error in rule {r.id} ({type(exc).__name__}: {exc}); please report it"))
            )
    out.sort(key=Diagnostic.sort_key)
    return out


def iter_checked(
    refs: Sequence[SkillRef], settings: Settings | Sequence[Rule] | None = None, cache: LintCache | None = None
) -> Iterator[tuple[Skill | None, list[Diagnostic]]]:
    """Each skill parsed and checked, in order; ``None`` for the rare skill the parser itself failed on.

    With ``cache`` (as `skillkit score` uses it), a skill whose entry is there is parsed but not checked
    again, and new results are stored: lint and score share one cache.
    """
    rules = default_settings() if settings is None else settings
    cwd = os.getcwd()
    index = 0
    while index < len(refs):
        # A batch: up to BATCH skills, fewer when their text passes BATCH_CHARS (a scraped 10 MB
        # reference costs several times its size while it is checked; five in one batch were 300 MB).
        loaded: list[tuple[Skill | None, Diagnostic | None]] = []
        keys: list[str | None] = []
        hits: list[list[Diagnostic] | None] = []
        chars = 0
        while index < len(refs) and len(loaded) < BATCH and chars < BATCH_CHARS:
            ref = refs[index]
            index += 1
            key = cache.key(ref.dir, ref.skill_md, ref.root) if cache is not None else None
            keys.append(key)
            hits.append(cache.get(key) if cache is not None and key else None)
            try:
                loaded.append((load_skill(ref.dir, ref.skill_md, ref.root), None))
                chars += loaded_chars(loaded[-1][0])  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - last line of defence; parse is written not to raise
                path = display_path(ref.skill_md or ref.dir, cwd)
                loaded.append((None, Diagnostic(path, None, None, "SK100", "unreadable-file", Severity.ERROR,
                                                f"internal error while reading ({type(exc).__name__}: {exc})")))
        skills = [skill for (skill, _), hit in zip(loaded, hits) if skill is not None and hit is None]
        if len(skills) > 1:
            try:
                from skillkit.rules.code import prepare_shell

                prepare_shell(skills)  # one `bash -n` for the whole batch
            except Exception:  # noqa: BLE001 - the rules fall back to checking each skill alone
                pass
        for (skill, failure), key, hit in zip(loaded, keys, hits):
            if skill is None:
                yield None, [failure]  # type: ignore[list-item]
            elif hit is not None:
                yield skill, hit
            else:
                found = check_skill(skill, rules, cwd)
                if cache is not None and key is not None:
                    cache.put(key, found, skill.outside)
                yield skill, found
        del loaded, skills
        release_memory()


_TRIM: list[Callable[[int], int] | None] = []


def release_memory() -> None:
    """Hand freed heap pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A batch reads megabytes of reference text; glibc keeps the freed pages, so without this a worker's
    resident size grew with every batch (125 MB after 1,000 skills, 320 MB for a 10,000-skill run) though
    no Python object was kept. With it a worker stays near 60 MB.
    """
    if not _TRIM:
        trim = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                trim = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):
                trim = None
        _TRIM.append(trim)
    if _TRIM[0] is not None:
        _TRIM[0](0)


def lint_refs(refs: Sequence[SkillRef], settings: Settings | Sequence[Rule] | None = None) -> list[Diagnostic]:
    return [d for _, found in iter_checked(refs, settings) for d in found]


#: Skills parsed together: one `bash -n` checks all their shell blocks; memory stays bounded.
BATCH = 32
#: ... and no more than about this much Markdown text per batch.
BATCH_CHARS = 4_000_000


def loaded_chars(skill: Skill) -> int:
    """Characters of Markdown a parsed skill holds (SKILL.md and references)."""
    return sum(len(line) for doc in skill.markdown_docs() for line in doc.lines)

_WORKER_RULES: object = None


def _init_worker(rules: object) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _check_batch(refs: list[SkillRef]) -> list[tuple[list[Diagnostic], dict[str, bool]]]:
    return [(found, skill.outside if skill is not None else {})
            for skill, found in iter_checked(refs, _WORKER_RULES)]  # type: ignore[arg-type]


def auto_jobs(count: int) -> int:
    """Processes for ``count`` skills: every core for large runs, one for small ones (start-up costs)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if count < 64 else max(1, cores)


def lint(
    paths: Sequence[Path],
    rules: Settings | Sequence[Rule] | None = None,
    keep: Callable[[SkillRef], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: LintCache | None = None,
    jobs: int = 1,
) -> LintResult:
    """Discover the skills under ``paths`` (those ``keep`` accepts) and check each one.

    Cached skills are not parsed again; the rest are checked in ``jobs`` processes (0: automatic). The
    output is the same, in the same order, whatever the number of processes. ``progress(done, total)``
    is called as skills finish, for a progress bar.
    """
    found = discover(list(paths))
    refs = [ref for ref in found.skills if keep is None or keep(ref)]
    result = LintResult(skills=len(refs), found=len(found.skills), missing=found.missing, notes=found.notes)
    if found.missing:
        return result
    rules = default_settings() if rules is None else rules
    slots: list[list[Diagnostic] | None] = [None] * len(refs)
    #: per checked skill, the paths outside it that its findings depend on (stored with its cache entry)
    outside: list[dict[str, bool]] = [{} for _ in refs]
    keys: list[str | None] = [None] * len(refs)
    todo: list[int] = []
    for index, ref in enumerate(refs):
        if cache is not None:
            keys[index] = cache.key(ref.dir, ref.skill_md, ref.root)
            hit = cache.get(keys[index]) if keys[index] else None
            if hit is not None:
                slots[index] = hit
                continue
        todo.append(index)
    done = len(refs) - len(todo)
    jobs = auto_jobs(len(todo)) if jobs == 0 else jobs
    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        size = max(1, min(BATCH, len(todo) // (jobs * 4) or 1))
        groups = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(rules,)) as pool:
            for group, computed in zip(groups, pool.map(_check_batch, [[refs[i] for i in g] for g in groups])):
                for index, (diagnostics, depends) in zip(group, computed):
                    slots[index] = diagnostics
                    outside[index] = depends
                    done += 1
                    if progress is not None:
                        progress(done, len(refs))
    else:
        for index, (skill, diagnostics) in zip(todo, iter_checked([refs[i] for i in todo], rules)):
            slots[index] = diagnostics
            outside[index] = skill.outside if skill is not None else {}
            done += 1
            if progress is not None:
                progress(done, len(refs))
    if cache is not None:
        for index in todo:
            key = keys[index]
            if key is not None:
                cache.put(key, slots[index] or [], outside[index])
    for diagnostics in slots:
        result.diagnostics.extend(diagnostics or [])
    cwd = os.getcwd()
    seen: set[str] = set()
    for path in paths:
        if path.is_dir() and os.path.realpath(path) not in seen:
            seen.add(os.path.realpath(path))
            result.diagnostics.extend(check_repository(path, rules, cwd))
    return result
