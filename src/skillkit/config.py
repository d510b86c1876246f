"""Configuration: ``[tool.skillkit]`` in ``pyproject.toml``, or a ``skillkit.toml``, found by walking up.

The closest ``skillkit.toml``, or ``pyproject.toml`` that has a ``[tool.skillkit]`` table, wins. Unknown
keys are refused with the list of valid ones (the CLI exits 2), never silently ignored.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration file that cannot be used; the message says which file and why."""


class Config(BaseModel):
    """The ``[tool.skillkit]`` table."""

    model_config = ConfigDict(extra="forbid")

    root: str = "skills"
    """Folder of skills checked when no PATH is given, relative to the configuration file."""


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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
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
        return LoadedConfig(Config.model_validate(table), path)
    except ValidationError as exc:
        valid = ", ".join(Config.model_fields)
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(f"unknown key `{where}` (valid keys: {valid})")
            else:
                problems.append(f"`{where}`: {error['msg']}")
        raise ConfigError(f"{path}: " + "; ".join(problems)) from None
