"""Configuration: ``[tool.skillkit]`` in ``pyproject.toml``, or a ``skillkit.toml``, found by walking up.

The closest ``skillkit.toml``, or ``pyproject.toml`` that has a ``[tool.skillkit]`` table, wins. Unknown
keys are refused with the list of valid ones (the CLI exits 2), never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fnmatch import fnmatchcase
from typing import Any, Literal

from skillkit.diagnostics import Severity
from skillkit.lazymodel import ConfigDict, Field, Model, ValidationFailed
from skillkit.profiles import DEFAULT_PROFILE, Profile, SeverityName, load_profile
from skillkit.rules import Options, Rule, all_rules
from skillkit.targets import DEFAULT_TARGET, TargetName, get_target


class ConfigError(Exception):
    """A configuration file that cannot be used; the message says which file and why."""


class OutdatedConfig(Model):
    """The ``[tool.skillkit.outdated]`` table: when `skillkit outdated` exits 1, and which index it asks."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=lambda n: n.replace("_", "-"))

    fail_on: Literal["major", "minor", "patch", "never"] = "minor"
    """Exit 1 when a pin is behind the newest release by this much or more (`never`: no version limit)."""
    max_days: int = Field(120, ge=0)
    """Exit 1 when a pin has been superseded for more than this many days (0: no day limit)."""
    index_url: str = "https://pypi.org/pypi"
    """A package index answering PyPI's JSON API (`{index-url}/{name}/json`); `file://` folders work too."""


class Config(Model):
    """The ``[tool.skillkit]`` table (keys in kebab-case, as in ``per-path-ignores``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=lambda n: n.replace("_", "-"))

    root: str = "skills"
    """Folder of skills checked when no PATH is given, relative to the configuration file."""
    profile: str = DEFAULT_PROFILE
    """The quality profile: `recommended` (the default: right on anyone's skills), `library` (every rule, this
    repository's house style) or `spec` (only what the specification requires)."""
    target: TargetName = DEFAULT_TARGET
    """The client the skills are written for: `agents` or `spec` (the specification), `claude-code` (its extra
    frontmatter fields accepted and checked), `claude-ai` (uploads: six fields, size and file-count limits), `codex`."""
    select: list[str] | None = None
    """Rules to run instead of the profile's: IDs (`SK301`), prefixes (`SK3`), names, or `ALL`."""
    extend_select: list[str] = Field(default_factory=list)
    """Rules to run in addition to the profile's."""
    ignore: list[str] = Field(default_factory=list)
    """Rules not to run: IDs, prefixes or names."""
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    """Per-rule severity: `off`, `info`, `warning` or `error`."""
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-rule options, e.g. `[tool.skillkit.rules.SK201] max-lines = 400`."""
    per_path_ignores: dict[str, list[str]] = Field(default_factory=dict)
    """Glob (relative to the configuration file) -> rules not reported for files it matches."""
    plugin_budget: int | None = Field(None, ge=1)
    """Tokens of skill listing one category plugin may cost (`skillkit budget` exits 1 above it); default: a
    quarter of Claude Code's listing budget (1% of the context window), so any four categories fit together."""
    outdated: OutdatedConfig = Field(default_factory=OutdatedConfig)
    """`skillkit outdated`: `fail-on`, `max-days`, `index-url`."""


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    #: The file it came from, or ``None`` for the defaults.
    path: Path | None

    @property
    def root(self) -> Path:
        base = self.path.parent if self.path is not None else Path(".")
        return base / self.config.root


def _read(path: Path) -> dict[str, object] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if path.name == "pyproject.toml" and "skillkit" not in text and "\\u" not in text and "\\U" not in text:
        return None  # no `skillkit`, nor a \u escape that could spell it: no [tool.skillkit]; tomllib not needed
    from skillkit.toml import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml" or isinstance(data.get("tool"), dict):
        tool = data.get("tool")
        if not isinstance(tool, dict) or "skillkit" not in tool:
            return None
        table = tool["skillkit"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.skillkit] must be a table")
        return table
    return data


def find_config(start: Path) -> tuple[Path, dict[str, object]] | None:
    for folder in [start, *start.parents]:
        for name in ("skillkit.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = _read(candidate)
                if table is not None:
                    return candidate, table
    return None


def load_config(explicit: Path | None = None, start: Path | None = None) -> LoadedConfig:
    """Load ``explicit`` or the closest configuration above ``start`` (default: the current folder)."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        table = _read(explicit)
        found = (explicit, table or {})
    else:
        found = find_config((start or Path.cwd()).absolute())
    if found is None:
        return LoadedConfig(Config(), None)
    path, table = found
    try:
        return LoadedConfig(Config.model_validate(table), path)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        valid = ", ".join(Config.field_aliases())
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(f"unknown key `{where}` (valid keys: {valid})")
            else:
                problems.append(f"`{where}`: {error['msg']}")
        raise ConfigError(f"{path}: " + "; ".join(problems)) from None


# --------------------------------------------------------------------------- resolved settings


def selector_matches(selector: str, r: Rule) -> bool:
    key = selector.strip()
    upper = key.upper()
    return upper == "ALL" or r.id.startswith(upper) and upper.startswith("SK") or key.lower() == r.name


def _check_selectors(selectors: list[str], where: str, rules: list[Rule]) -> None:
    for selector in selectors:
        if not any(selector_matches(selector, r) for r in rules):
            raise ConfigError(f"{where}: `{selector}` matches no rule (use an ID such as SK301, a prefix such as "
                              "SK3, a rule name, or ALL; `skillkit rules` lists them)")


@dataclass(frozen=True)
class ActiveRule:
    """A rule as this run uses it: its severity (``None``: the rule decides) and its options."""

    rule: Rule
    severity: Severity | None
    options: Options | None


@dataclass(frozen=True)
class Settings:
    """Everything the engine needs from configuration, profile and command line."""

    profile: Profile
    rules: tuple[ActiveRule, ...]
    base: Path
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The client target (``skillkit.targets``): rules for other targets are not active.
    target: str = DEFAULT_TARGET

    def ignored_at(self, path: str, rule: Rule) -> bool:
        """True when a per-path ignore covers ``rule`` for ``path`` (an absolute or cwd-relative path)."""
        if not self.per_path_ignores:
            return False
        try:
            rel = Path(path).absolute().relative_to(self.base.absolute()).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        return any(
            (fnmatchcase(rel, pattern) or fnmatchcase(rel, pattern.rstrip("/") + "/*"))
            and any(selector_matches(s, rule) for s in selectors)
            for pattern, selectors in self.per_path_ignores
        )


def resolve(
    loaded: LoadedConfig,
    *,
    profile: str | None = None,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    command: str = "lint",
    target: str | None = None,
) -> Settings:
    """Profile, then configuration, then command line; raises :class:`ConfigError` on bad values."""
    cfg = loaded.config
    where = str(loaded.path) if loaded.path else "configuration"
    rules = all_rules()
    try:
        prof = load_profile(profile or cfg.profile)
    except KeyError as exc:
        raise ConfigError(f"{where if profile is None else '--profile'}: {exc.args[0]}") from None
    try:
        active_target = get_target(target or cfg.target).name
    except KeyError as exc:
        raise ConfigError(f"{where if target is None else '--target'}: {exc.args[0]}") from None

    for selectors, origin in [
        (prof.select + prof.ignore + list(prof.severity) + list(prof.options), f"profile {prof.name}"),
        ((cfg.select or []) + cfg.extend_select + cfg.ignore + list(cfg.severity) + list(cfg.rules), where),
        ([s for group in cfg.per_path_ignores.values() for s in group], f"{where}: per-path-ignores"),
        ((select or []) + (extend_select or []) + (ignore or []), "command line"),
    ]:
        _check_selectors(selectors, origin, rules)

    # A --select on the command line is a fresh choice: it replaces the configuration's select and ignore.
    if select:
        chosen, extra, dropped = select, list(extend_select or []), list(ignore or [])
    else:
        chosen = cfg.select or prof.select
        extra = (extend_select or []) + cfg.extend_select
        dropped = (ignore or []) + cfg.ignore + ([] if cfg.select else prof.ignore)

    def pick(table: dict[str, Any], r: Rule) -> Any:
        return next((v for k, v in table.items() if selector_matches(k, r)), None)

    active: list[ActiveRule] = []
    for r in rules:
        if r.command != command or not r.applies_to(active_target):
            continue
        if not any(selector_matches(s, r) for s in [*chosen, *extra]):
            continue
        if any(selector_matches(s, r) for s in dropped):
            continue
        level = pick(cfg.severity, r) or pick(prof.severity, r)
        if level == "off":
            continue
        options = None
        if r.options is not None:
            shipped, own = pick(prof.options, r) or {}, pick(cfg.rules, r) or {}
            try:
                # A shipped profile's options are trusted (a test validates them); a user's are validated.
                options = r.options.model_validate({**shipped, **own}) if own else r.options(**shipped)
            except ValidationFailed as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'])}: "
                    + ("unknown option" if e["type"] == "extra_forbidden" else e["msg"])
                    for e in exc.errors()
                )
                valid = ", ".join(r.options.field_aliases())
                raise ConfigError(f"{where}: options of {r.id} ({r.name}): {problems} (valid: {valid})") from None
        elif pick(cfg.rules, r):
            raise ConfigError(f"{where}: {r.id} ({r.name}) has no options")
        active.append(ActiveRule(r, Severity(level) if level else None, options))
    base = loaded.path.parent if loaded.path else Path.cwd()
    return Settings(
        profile=prof,
        rules=tuple(active),
        base=base,
        per_path_ignores=tuple((k, tuple(v)) for k, v in cfg.per_path_ignores.items()),
        target=active_target,
    )


def default_settings() -> Settings:
    """The default (`recommended`) profile with no configuration: what the tests and the API use by default."""
    return resolve(LoadedConfig(Config(), None))
