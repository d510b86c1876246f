"""The command line: argument parsing and exit codes only; the work happens in importable modules.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage error (unknown option, missing PATH,
bad configuration). Heavy modules are imported inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from skillkit import __version__
from skillkit.wording import plural

from skillkit.lint_command import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
TARGET_HELP = ("Client the skills are for: agents (default) or spec (the specification), claude-code, claude-ai "
               "or codex.")


def _flags_without_type() -> None:
    """Show on/off options as `--fix`, not `--fix <bool>` (Typer labels every option with its type)."""
    from typer.core import TyperOption

    typed = TyperOption.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if getattr(self, "is_flag", False) else typed(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_type()

app = typer.Typer(
    name="skillkit",
    help="Lint, score and scaffold Agent Skills (folders with a SKILL.md).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class LintFormat(str, Enum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class SortKey(str, Enum):
    score = "score"
    name = "name"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skillkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Optional[bool] = typer.Option(
        None, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Lint, score and scaffold Agent Skills (folders with a SKILL.md)."""
    from skillkit.escape import install

    install(sys.stdout, sys.stderr)  # a file name that is not UTF-8 prints as \xNN, never as a raw byte


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"skillkit: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _split(values: Optional[list[str]]) -> Optional[list[str]]:
    from skillkit.lint_command import split

    return split(values)


@app.command()
def lint(
    paths: Optional[list[Path]] = typer.Argument(
        None,
        help="Skill folders, SKILL.md files, files inside a skill, or folders to search for skills. "
        "Default: the configured root (`skills`).",
        show_default=False,
    ),
    output_format: LintFormat = typer.Option(
        LintFormat.auto, "--format", "-f",
        help="Output format; auto is github inside GitHub Actions and text elsewhere.",
    ),
    config_file: Optional[Path] = typer.Option(
        None, "--config", help="Configuration file (default: the closest skillkit.toml or pyproject.toml)."
    ),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Quality profile: recommended (the default), library or spec."),
    target: Optional[str] = typer.Option(None, "--target", "-t", help=TARGET_HELP),
    select: Optional[list[str]] = typer.Option(
        None, "--select", metavar="RULES", help="Run only these rules (IDs, prefixes such as SK3, names; comma-separated)."
    ),
    extend_select: Optional[list[str]] = typer.Option(None, "--extend-select", metavar="RULES", help="Run these rules as well."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Do not run these rules."),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes in place, then report what is left."),
    unsafe_fixes: bool = typer.Option(
        False, "--unsafe-fixes", help="With --fix or --diff: also fixes that change meaning (move fields under metadata)."
    ),
    diff: bool = typer.Option(False, "--diff", help="Show the fixes as a unified diff; write nothing."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline."),
    write_baseline: Optional[Path] = typer.Option(
        None, "--write-baseline", help="Record today's findings in this file (then use --baseline)."
    ),
    changed_since: Optional[str] = typer.Option(
        None, "--changed-since", help="Lint only skills with files changed since this git revision."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write .skillkit_cache/."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Processes to use; 0 picks (every core for large runs)."),
) -> None:
    """Check skills against the Agent Skills specification and skillkit's rules."""
    from skillkit.lint_command import Stop, run

    try:
        code = run(paths, output_format.value, config_file, profile, target, select, extend_select, ignore, fix,
                   unsafe_fixes, diff, baseline, write_baseline, changed_since, no_cache, jobs)
    except Stop as stop:
        code = stop.code
    raise typer.Exit(code)


def _settings(config_file, profile, select=None, ignore=None, target=None):  # type: ignore[no-untyped-def]
    from skillkit.config import ConfigError, load_config, resolve

    try:
        loaded = load_config(config_file)
        return loaded, resolve(loaded, profile=profile, select=_split(select), ignore=_split(ignore), target=target)
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None


def _config(config_file):  # type: ignore[no-untyped-def]
    """The configuration (explicit file, else the closest one), or exit 2 with the reason."""
    from skillkit.config import ConfigError, load_config

    try:
        return load_config(config_file)
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None


def _discover_skills(loaded, paths, echo_notes=True):  # type: ignore[no-untyped-def]
    """The skills below PATHs (default: the configured root); exit 2 on a missing path or no skill at all.
    Discovery's notes go to stderr unless the command reports them itself."""
    from skillkit.discover import discover

    targets = _default_paths(loaded, paths)
    found = discover(targets)
    if found.missing:
        raise _usage_error("path does not exist: " + ", ".join(found.missing))
    if echo_notes:
        for note in found.notes:
            typer.echo(f"skillkit: {note}", err=True)
    if not found.skills:
        raise _no_skills(targets)
    return found


def _index_url(loaded, given):  # type: ignore[no-untyped-def]
    """--index-url, else `outdated.index-url`; only http(s):// and file:// URLs (exit 2 otherwise)."""
    url = given or loaded.config.outdated.index_url
    if not url.startswith(("http://", "https://", "file://")):
        raise _usage_error(f"--index-url {url}: use an http(s):// or file:// URL")
    return url


def _lint_cache(loaded, settings):  # type: ignore[no-untyped-def]
    from skillkit.lint_command import lint_cache

    return lint_cache(loaded, settings)


def _no_skills(paths) -> typer.Exit:  # type: ignore[no-untyped-def]
    """A run that found no skill is a usage error: it must never look like a pass."""
    from skillkit.lint_command import no_skills

    return typer.Exit(no_skills(paths).code)


def _default_paths(loaded, paths):  # type: ignore[no-untyped-def]
    if paths:
        return paths
    root = loaded.root
    if not root.is_dir():
        where = f" (set in {loaded.path})" if loaded.path else ""
        raise _usage_error(f"no PATH given and the skills root `{root}`{where} does not exist")
    return [root]


@app.command()
def verify(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Skills or folders of skills (as for lint). Default: the configured root.", show_default=False
    ),
    python: str = typer.Option(sys.executable, "--python", help="Interpreter whose packages to verify against.",
                               show_default="this interpreter"),
    cli: bool = typer.Option(False, "--cli", help="Also check long flags of installed console scripts (runs only --help)."),
    timeout: float = typer.Option(120.0, "--timeout", min=1, help="Seconds the probe may take in all; with --cli, each `--help` too."),
    output_format: LintFormat = typer.Option(LintFormat.auto, "--format", "-f", help="Output format."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
    latest: bool = typer.Option(False, "--latest", help="Build environments with the pinned and the newest releases "
                                "of each skill's metadata.dependencies and report what breaks on the newest."),
    index_url: Optional[str] = typer.Option(
        None, "--index-url", help="With --latest: index answering PyPI's JSON API, for the newest versions "
        "(config `outdated.index-url`; installs use pip's own settings).", show_default=False),
    install_timeout: float = typer.Option(900.0, "--install-timeout", min=1, help="With --latest: seconds each pip install may take."),
) -> None:
    """Prove skills' Python blocks (imports, names, keyword arguments) and CLI flags against installed packages."""
    from skillkit.config import ConfigError, load_config, resolve
    from skillkit.engine import LintResult, check_skill, display_path
    from skillkit.parse import load_skill
    from skillkit.report import REPORTERS, resolve_format
    from skillkit.verify import verify as run_verify

    try:
        loaded = load_config(config_file)
        settings = resolve(loaded, command="verify")
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None
    import shutil

    if shutil.which(python) is None and not Path(python).is_file():
        raise _usage_error(f"--python {python}: no such interpreter")
    found = _discover_skills(loaded, paths, echo_notes=False)  # verify reports the notes with its findings
    cwd = os.getcwd()
    if latest:
        _verify_latest(found.skills, settings, loaded, python, index_url, timeout, install_timeout, cli,
                       output_format, cwd)
    skills = [load_skill(ref.dir, ref.skill_md, ref.root) for ref in found.skills]
    summaries, env_info = run_verify(skills, python, timeout, cli)
    result = LintResult(skills=len(skills), notes=found.notes)
    for skill in skills:
        result.diagnostics.extend(check_skill(skill, settings, cwd))
    fmt = resolve_format(output_format.value, dict(os.environ))
    if fmt == "json":
        from skillkit.escape import dumps
        from skillkit.report.json import to_dict

        data = to_dict(result)
        data["skills"] = [dict(s.to_json(), path=display_path(Path(s.path), cwd)) for s in summaries]
        data["environment"] = env_info
        typer.echo(dumps(data, indent=2))
    else:
        REPORTERS[fmt](result, sys.stdout)
        if fmt == "text":
            where = f"python {env_info.get('python', '?')} ({env_info.get('executable', python)})"
            for s in summaries:
                pins = ", ".join(f"{k} {v or 'not installed'}" for k, v in sorted(s.packages.items())[:8])
                cli_part = f", {s.cli_flags_checked} CLI flags" if cli else ""
                if s.cli_flags_unverified:
                    cli_part += f" ({s.cli_flags_unverified} more not checked: --help too slow)"
                typer.echo(f"{display_path(Path(s.path), cwd)}: {s.checked} names checked{cli_part}, "
                           f"{s.unknown} unknown, {s.unverified} unverified; against {pins or 'no packages'}")
            typer.echo(f"verified with {where}")
    raise typer.Exit(EXIT_FINDINGS if result.errors else EXIT_OK)


def _verify_latest(refs, settings, loaded, python, index_url, timeout, install_timeout, cli, output_format,
                   cwd):  # type: ignore[no-untyped-def]
    """`verify --latest`: the pinned and the newest environments of each skill, and what breaks."""
    from skillkit.engine import display_path
    from skillkit.latest import default_env_root, render_text, verify_latest
    from skillkit.outdated import Index
    from skillkit.parse import load_skill

    url = _index_url(loaded, index_url)
    root = default_env_root()
    pairs = [(display_path(ref.skill_md or ref.dir, cwd), lambda ref=ref: load_skill(ref.dir, ref.skill_md, ref.root))
             for ref in refs]
    results = verify_latest(pairs, settings, Index(url), python, root, timeout, install_timeout, cli, cwd,
                            log=lambda m: typer.echo(f"skillkit: {m}", err=True))
    if output_format.value == "json":
        from skillkit.escape import dumps

        typer.echo(dumps({"skills": [r.to_json() for r in results], "environments": str(root)}, indent=2))
    else:
        typer.echo(render_text(results, root), nl=False)
    raise typer.Exit(EXIT_FINDINGS if any(r.breaks for r in results) else EXIT_OK)


@app.command()
def score(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Skills or folders of skills (as for lint). Default: the configured root.", show_default=False
    ),
    output_format: ScoreFormat = typer.Option(ScoreFormat.text, "--format", "-f", help="Output format."),
    min_score: Optional[float] = typer.Option(
        None, "--min-score", min=0, max=100, help="Exit 1 when any skill scores below this."
    ),
    sort: SortKey = typer.Option(SortKey.score, "--sort", help="Order of the skills."),
    explain: bool = typer.Option(False, "--explain", help="Each component's points and what would raise them."),
    verbose: bool = typer.Option(False, "--verbose", "-v", hidden=True,
                                 help="Kept for old scripts: --explain now explains every skill."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Quality profile: recommended (the default), library or spec."),
    target: Optional[str] = typer.Option(None, "--target", "-t", help=TARGET_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write .skillkit_cache/ (shared with lint)."),
) -> None:
    """Rate skills 0-100 (content and packaging) and place them in tiers: gold, standard, draft."""
    import os

    from skillkit.engine import display_path, iter_checked
    from skillkit.report.score import SCORE_REPORTERS
    from skillkit.scoring import score_skill, summarise

    loaded, settings = _settings(config_file, profile, target=target)
    found = _discover_skills(loaded, paths)
    model = settings.profile.scoring
    sections = next((a.options.sections for a in settings.rules if a.rule.id == "SK203" and a.options), None)
    cwd = os.getcwd()
    cache = None if no_cache else _lint_cache(loaded, settings)
    scores = [
        score_skill(skill, diagnostics, model, display_path(skill.skill_md or skill.dir, cwd), sections)
        for skill, diagnostics in iter_checked(found.skills, settings, cache)
        if skill is not None
    ]
    if sort is SortKey.score:
        scores.sort(key=lambda s: (-s.total, s.name))
    else:
        scores.sort(key=lambda s: (s.name, s.path))
    summary = summarise(scores, model)
    SCORE_REPORTERS[output_format.value](scores, summary, sys.stdout, explain)
    if min_score is not None and any(s.total < min_score for s in scores):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_OK)


@app.command()
def new(
    name: str = typer.Argument(..., help="The skill's name: lowercase words with hyphens, e.g. vllm."),
    category: Optional[str] = typer.Option(None, "--category", "-c", help="Folder under the root (default: the roadmap item's; none: ROOT/NAME)."),
    root: Optional[Path] = typer.Option(None, "--root", help="Folder of skills (default: the configured root)."),
    description: Optional[str] = typer.Option(None, "--description", "-d", help="The description to start from."),
    roadmap_file: Path = typer.Option(Path("ROADMAP.md"), "--roadmap", help="Roadmap to take title and category from."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """Scaffold a skill from the template: SKILL.md with the library's sections, and references/."""
    from skillkit.config import ConfigError, load_config
    from skillkit.scaffold import ScaffoldError, SkillExists, create, plan

    try:
        loaded = load_config(config_file)
        p = plan(name, root if root is not None else loaded.root, category, description, roadmap_file)
    except (ConfigError, ScaffoldError) as exc:
        raise _usage_error(str(exc)) from None
    try:
        made = create(p)
    except SkillExists as exc:
        typer.echo(f"skillkit: {exc}", err=True)
        raise typer.Exit(EXIT_FINDINGS) from None
    except OSError as exc:
        typer.echo(f"skillkit: cannot create {p.folder}: {exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_FINDINGS) from None
    source = f" (title and category from {roadmap_file})" if p.from_roadmap else ""
    typer.echo(f"created {p.folder}{source}:")
    for path in made:
        typer.echo(f"  {path}")
    steps = [f"replace every TODO in {p.folder}/SKILL.md (skillkit lint fails until you do)",
             f"skillkit lint {p.folder}", f"skillkit score {p.folder} --explain"]
    if roadmap_file.is_file():
        steps.append("skillkit roadmap --update" + (f" --roadmap {roadmap_file}" if roadmap_file != Path("ROADMAP.md") else ""))
    typer.echo("next steps:\n" + "\n".join(f"  {i}. {step}" for i, step in enumerate(steps, 1)))


@app.command()
def roadmap(
    status: bool = typer.Option(False, "--status", help="Show progress per phase and the metrics (the default)."),
    update: bool = typer.Option(False, "--update", help="Tick the boxes and rewrite the Current column in place."),
    check: bool = typer.Option(False, "--check", help="Exit 1 with the differences when ROADMAP.md is out of date."),
    output_format: ScoreFormat = typer.Option(ScoreFormat.text, "--format", "-f", help="Output format."),
    roadmap_file: Path = typer.Option(Path("ROADMAP.md"), "--roadmap", help="The roadmap file."),
    root: Optional[Path] = typer.Option(None, "--root", help="Folder of skills (default: the configured root)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every item, not only those in progress."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """Progress of the library against ROADMAP.md; --update keeps the file true, --check guards it in CI."""
    from skillkit.report.roadmap import ROADMAP_REPORTERS
    from skillkit.atomic import write_if_changed
    from skillkit.roadmap import build_report

    if update and check:
        raise _usage_error("--update and --check do not go together")
    if not roadmap_file.is_file():
        raise _usage_error(f"no roadmap file `{roadmap_file}` (name one with --roadmap)")
    loaded, settings = _settings(config_file, "library")  # done = no error in the library profile (issue 17)
    report = build_report(roadmap_file, root if root is not None else loaded.root, settings)
    if update:
        if write_if_changed(roadmap_file, report.updated_text, "surrogateescape"):
            typer.echo(f"updated {roadmap_file}: {plural(len(report.differences), 'line')} changed")
            for line in report.differences:
                typer.echo(f"  {line}")
        else:
            typer.echo(f"{roadmap_file} is up to date")
        raise typer.Exit(EXIT_OK)
    if check:
        if report.differences:
            typer.echo(f"{roadmap_file} disagrees with the skills on disk; run `skillkit roadmap --update`:", err=True)
            for line in report.differences:
                typer.echo(f"  {line}", err=True)
            raise typer.Exit(EXIT_FINDINGS)
        typer.echo(f"{roadmap_file} agrees with the skills on disk")
        raise typer.Exit(EXIT_OK)
    ROADMAP_REPORTERS[output_format.value](report, sys.stdout, verbose)


@app.command("marketplace")
def marketplace_command(
    root: Path = typer.Argument(Path("."), help="Repository root (holds skills/ and .claude-plugin/)."),
    write: bool = typer.Option(False, "--write", help="Write .claude-plugin/marketplace.json (only when it changed)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 listing each disagreement with the skills on disk."),
    name: Optional[str] = typer.Option(None, "--name", help="Marketplace name (default: the file's, else skillkit-ai-research)."),
) -> None:
    """Generate or check .claude-plugin/marketplace.json: one Claude Code plugin per category folder of skills/."""
    from skillkit.atomic import write_if_changed
    from skillkit.marketplace import (
        DEFAULT_NAME, KEBAB, MARKETPLACE_FILE, check as check_file, generate, load, name_problem, render,
    )

    if write and check:
        raise _usage_error("--write and --check do not go together")
    if not (root / "skills").is_dir():
        raise _usage_error(f"{root}: no skills/ folder to build a marketplace from")
    path = root / MARKETPLACE_FILE
    if name is not None and (why := name_problem(name)) is not None:
        raise _usage_error(f"--name: {why}")
    if check:
        problems = check_file(root)
        for line in problems:
            typer.echo(line, err=True)
        if problems:
            raise typer.Exit(EXIT_FINDINGS)
        typer.echo(f"{path} agrees with the skills on disk")
        raise typer.Exit(EXIT_OK)
    if name is None and path.is_file():  # keep the name the file has, unless Claude Code would refuse it
        current = load(path).data
        kept = current.get("name") if isinstance(current, dict) else None
        name = kept if isinstance(kept, str) and KEBAB.match(kept) and name_problem(kept) is None else None
    text = render(generate(root, name=name or DEFAULT_NAME))
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        typer.echo(f"wrote {path}" if write_if_changed(path, text) else f"{path} is up to date")
        raise typer.Exit(EXIT_OK)
    typer.echo(text, nl=False)


class Client(str, Enum):
    claude_code = "claude-code"
    codex = "codex"


@app.command("budget")
def budget_command(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="A library (folder of category folders: it and each category plugin are measured) or skills "
        "chosen together. Default: the configured root.", show_default=False,
    ),
    client: Client = typer.Option(Client.claude_code, "--client", help="Whose listing budget to measure against."),
    context: int = typer.Option(200_000, "--context", min=1000, help="The model's context window in tokens."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """What the skill listing costs (characters, tokens) per library, category plugin and chosen set, against the client's budget."""
    from skillkit.budget import build, render_text

    loaded = _config(config_file)
    targets = _default_paths(loaded, paths)
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise _usage_error("path does not exist: " + ", ".join(missing))
    report = build(targets, client.value, context, loaded.config.plugin_budget)
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        typer.echo(render_text(report), nl=False)
    raise typer.Exit(EXIT_FINDINGS if report.over else EXIT_OK)


class FailOn(str, Enum):
    major = "major"
    minor = "minor"
    patch = "patch"
    never = "never"


@app.command("outdated")
def outdated_command(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="Skills or folders of skills (as for lint). Default: the configured root.", show_default=False
    ),
    output_format: ScoreFormat = typer.Option(ScoreFormat.text, "--format", "-f", help="Output format."),
    fail_on: Optional[FailOn] = typer.Option(
        None, "--fail-on", help="Exit 1 when a pin is this far behind or more (config `outdated.fail-on`; default: minor).",
        show_default=False),
    max_days: Optional[int] = typer.Option(
        None, "--max-days", min=0, help="Exit 1 when a pin has been superseded for longer (0: no limit; "
        "config `outdated.max-days`; default: 120).", show_default=False),
    index_url: Optional[str] = typer.Option(
        None, "--index-url", help="Index answering PyPI's JSON API (config `outdated.index-url`; default: PyPI).",
        show_default=False),
    refresh: bool = typer.Option(False, "--refresh", help="Ask the index again instead of using answers cached today."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """How far each skill's pinned packages (metadata.dependencies) are behind their newest releases."""
    from skillkit.outdated import Index, Limit, build, render_markdown, render_text
    from skillkit.parse import load_skill

    loaded = _config(config_file)
    cfg = loaded.config.outdated
    url = _index_url(loaded, index_url)
    found = _discover_skills(loaded, paths)
    skills = []
    for ref in found.skills:
        skill = load_skill(ref.dir, ref.skill_md, ref.root)
        skills.append((ref.dir.name, skill.data))
    limit = Limit(fail_on.value if fail_on else cfg.fail_on, cfg.max_days if max_days is None else max_days)
    report = build(skills, Index(url, refresh=refresh), limit)
    if output_format is ScoreFormat.json:
        from skillkit.escape import dumps

        typer.echo(dumps(report.to_json(), indent=2))
    elif output_format is ScoreFormat.markdown:
        typer.echo(render_markdown(report), nl=False)
    else:
        typer.echo(render_text(report), nl=False)
    for row in report.problems:
        typer.echo(f"skillkit: {row.pin.package}: {row.problem}", err=True)
    raise typer.Exit(EXIT_FINDINGS if report.over else EXIT_OK)


@app.command("schema")
def schema_command(
    write: bool = typer.Option(False, "--write", help="Write the schema files (only those that changed)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a schema file is missing or out of date."),
    folder: Path = typer.Option(Path("schemas"), "--dir", help="Folder of the schema files."),
) -> None:
    """JSON Schemas of the skill frontmatter, the [tool.skillkit] configuration and quality profiles."""
    from skillkit.schema import render, schemas, stale_schemas, write_schemas

    if write:
        for path in write_schemas(folder):
            typer.echo(f"wrote {path}")
        raise typer.Exit(EXIT_OK)
    if check:
        stale = stale_schemas(folder)
        for name in stale:
            typer.echo(f"{folder / name} is missing or out of date; run `skillkit schema --write`", err=True)
        raise typer.Exit(EXIT_FINDINGS if stale else EXIT_OK)
    for name, schema in schemas().items():
        typer.echo(f"# {name}")
        typer.echo(render(schema), nl=False)


@app.command("rules")
def list_rules(
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Quality profile: recommended (the default), library or spec."),
    target: Optional[str] = typer.Option(None, "--target", "-t", help=TARGET_HELP),
) -> None:
    """List every rule: ID, name, default severity, its severity in the active profile (or off), fixable,
    the profiles that run it, and a summary."""
    from skillkit.docs import rules_as_json, rules_as_text

    loaded, settings = _settings(config_file, profile, target=target)
    if output_format is OutputFormat.json:
        typer.echo(rules_as_json(settings))
    else:
        where = f" (from {loaded.path})" if loaded.path and profile is None else ""
        typer.echo(f"active profile: {settings.profile.name}{where}; target: {settings.target}")
        rules_as_text(sys.stdout, settings)


@app.command("rule")
def show_rule(key: str = typer.Argument(..., help="A rule ID (SK301) or name (unclosed-code-fence).")) -> None:
    """Print one rule's documentation: what it does, why it matters, an example, its options."""
    from skillkit.docs import rule_markdown
    from skillkit.rules import find_rule

    found = find_rule(key)
    if found is None:
        raise _usage_error(f"no rule `{key}`; `skillkit rules` lists them")
    typer.echo(rule_markdown(found))


def main() -> None:
    """Console-script entry point."""
    app()
