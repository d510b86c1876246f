"""`.claude-plugin/marketplace.json`: generate it from a skills tree, and validate any repository's.

Claude Code (checked against 2.1.332) finds a plugin's skills one folder level below its ``skills/``
folder, so a library laid out as ``skills/<category>/<name>/`` loads nothing unless the marketplace
lists every skill folder explicitly (``"source": "./"``, ``"strict": false``, ``"skills": [...]``, the
shape of anthropics/skills). An explicit ``skills`` list replaces the default folder, and a listed path
that does not exist is dropped without a word (``claude plugin validate`` passes it), so those checks
are made here: :func:`validate` for any repository (the SK801 lint rule), :func:`check` for this one
(``skillkit marketplace --check``: the same, plus "the file is what --write would write").
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.discover import discover, find_skill_file
from skillkit.parse import is_within

MARKETPLACE_FILE = Path(".claude-plugin") / "marketplace.json"
#: This library's marketplace name (not one of Claude Code's reserved names, see :func:`name_problem`).
DEFAULT_NAME = "skillkit-ai-research"
DEFAULT_OWNER = {"name": "skillkit developers"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Largest file read (a marketplace of thousands of plugins is well under this).
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

# Claude Code 2.1.332's reserved marketplace names (its own list, and the names of its internal
# plugin sources); a name in the first set is accepted only from a github.com/anthropics repository.
RESERVED_OFFICIAL = frozenset({
    "claude-code-marketplace", "claude-code-plugins", "claude-plugins-official", "anthropic-marketplace",
    "anthropic-plugins", "agent-skills", "anthropic-agent-skills", "life-sciences", "knowledge-work-plugins",
    "claude-for-legal", "claude-for-financial-services", "financial-services-plugins", "first-party-plugins",
    "claude-tag-plugins", "claude-community", "claude-plugins-community", "healthcare",
    "anthropic-plugin-directory", "claude-plugin-directory",
})
RESERVED_INTERNAL = frozenset({"inline", "builtin", "skills-dir", "synced", "claude-plugin-test"})
_OFFICIAL = "official[^a-z0-9]*(?:anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official"
_LOOKALIKE = re.compile(
    f"(?:{_OFFICIAL}|^(?:anthropic|claude)[^a-z0-9]*(?:marketplace|plugins|official|directory|directories))", re.I
)
_JOINED = re.compile(r"^(?:anthropic|claude)(?:marketplace|plugins|official|directory|directories)s?$", re.I)


def name_problem(name: str) -> str | None:
    """Why Claude Code would refuse ``name`` as a marketplace name, or ``None`` (its rules, 2.1.332)."""
    low = name.lower()
    if low in RESERVED_OFFICIAL:
        return f"`{name}` is reserved for official Anthropic marketplaces"
    if low in RESERVED_INTERNAL:
        return f"`{name}` is reserved for Claude Code's own plugin sources"
    if re.search(r"[^\x20-\x7e]", name) or _LOOKALIKE.search(name) or _LOOKALIKE.search(re.sub(r"^[^a-z0-9]+", "", name, flags=re.I)):
        return f"`{name}` looks like an official Anthropic/Claude marketplace name, which Claude Code refuses"
    if re.search("officialanthropic|officialclaude|anthropicofficial|claudeofficial", re.sub(r"[^a-z0-9]", "", low)):
        return f"`{name}` looks like an official Anthropic/Claude marketplace name, which Claude Code refuses"
    joined = ""
    for word in (w for w in re.split(r"[^a-z0-9]+", low) if w):
        joined += word
        if _JOINED.match(joined):
            return f"`{name}` looks like an official Anthropic/Claude marketplace name, which Claude Code refuses"
        if len(joined) > 22:
            break
    return None


# --------------------------------------------------------------------------- JSON with positions


class _Positions:
    """Offsets of every value of a JSON document, by pointer (``("plugins", 0, "skills", 2)``).

    Runs after ``json.loads`` accepted the text, so it only has to walk valid JSON.
    """

    _WS = re.compile(r"[ \t\n\r]*")
    _SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[tuple[Any, ...], int] = {}
        self._value(self._skip(0), ())

    def _skip(self, i: int) -> int:
        return self._WS.match(self.text, i).end()  # type: ignore[union-attr]

    def _value(self, i: int, ptr: tuple[Any, ...]) -> int:
        self.at[ptr] = i
        ch = self.text[i]
        if ch == '"':
            return json.decoder.scanstring(self.text, i + 1)[1]  # type: ignore[attr-defined]
        if ch == "{":
            i = self._skip(i + 1)
            if self.text[i] == "}":
                return i + 1
            while True:
                key, i = json.decoder.scanstring(self.text, i + 1)  # type: ignore[attr-defined]
                i = self._skip(self._skip(i) + 1)  # the colon
                i = self._skip(self._value(i, (*ptr, key)))
                if self.text[i] == "}":
                    return i + 1
                i = self._skip(i + 1)
        if ch == "[":
            i = self._skip(i + 1)
            if self.text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = self._skip(self._value(i, (*ptr, index)))
                index += 1
                if self.text[i] == "]":
                    return i + 1
                i = self._skip(i + 1)
        return self._SCALAR.match(self.text, i).end()  # type: ignore[union-attr]

    def line_col(self, ptr: tuple[Any, ...]) -> tuple[int, int]:
        while ptr and ptr not in self.at:
            ptr = ptr[:-1]
        offset = self.at.get(ptr, 0)
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


def _depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class Problem:
    message: str
    line: int | None = None
    column: int | None = None
    #: "error" or "warning".
    severity: str = "error"


@dataclass
class Loaded:
    path: Path
    data: Any = None
    positions: _Positions | None = None
    problems: list[Problem] = field(default_factory=list)

    def where(self, ptr: tuple[Any, ...]) -> tuple[int | None, int | None]:
        return self.positions.line_col(ptr) if self.positions is not None else (None, None)


def load(path: Path) -> Loaded:
    """Read and parse ``path``; what goes wrong becomes a problem, never an exception."""
    out = Loaded(path)
    try:
        if not path.is_file():
            out.problems.append(Problem(f"{path.name} is not a regular file"))
            return out
        if path.stat().st_size > MAX_BYTES:
            out.problems.append(Problem(f"{path.name} is over {MAX_BYTES // (1024 * 1024)} MB; not read"))
            return out
        raw = path.read_bytes()
    except OSError as exc:
        out.problems.append(Problem(f"cannot read {path.name}: {exc.strerror or exc}"))
        return out
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.problems.append(Problem(f"{path.name} is not UTF-8 text (byte {exc.start})"))
        return out
    if _depth(text) > MAX_DEPTH:
        out.problems.append(Problem(f"{path.name} nests deeper than {MAX_DEPTH} levels; not parsed"))
        return out
    try:
        out.data = json.loads(text)
    except json.JSONDecodeError as exc:
        out.problems.append(Problem(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno))
        return out
    out.positions = _Positions(text)
    return out


def project_version(root: Path) -> str | None:
    """The version in ``root``'s pyproject.toml (static, or hatch's ``path`` file), else ``None``."""
    from skillkit.toml import tomllib

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    if isinstance(project.get("version"), str):
        return project["version"]
    hatch = data.get("tool", {}).get("hatch", {}).get("version", {}) if isinstance(data.get("tool"), dict) else {}
    source = hatch.get("path") if isinstance(hatch, dict) else None
    if isinstance(source, str):
        try:
            found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", (root / source).read_text(encoding="utf-8"), re.M)
        except (OSError, UnicodeDecodeError):
            return None
        return found.group(1) if found else None
    return None


def _version_behind(version: str, current: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version) < Version(current)
    except InvalidVersion:
        return False


def _inside(path: Path, root: Path) -> bool:
    return is_within(os.path.realpath(path), os.path.realpath(root))


def _skill_folders(folder: Path) -> list[Path]:
    """The skills a listed path gives: itself when it holds a SKILL.md, else its children that do."""
    if find_skill_file(folder) is not None:
        return [folder]
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []
    return [child for child in children if find_skill_file(child) is not None]


_ANTHROPICS_REMOTE = re.compile(r"github\.com[:/]anthropics/", re.I)


def _official(root: Path, data: dict[str, Any]) -> bool:
    """An Anthropic marketplace, which may use the reserved names: a clone of a github.com/anthropics
    repository (what Claude Code checks), or, where the clone's origin says nothing (a mirror, an
    export), an owner with an anthropic.com address."""
    owner = data.get("owner")
    email = owner.get("email") if isinstance(owner, dict) else None
    if isinstance(email, str) and email.lower().endswith("@anthropic.com"):
        return True
    try:
        config = (root / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _ANTHROPICS_REMOTE.search(config) is not None


def validate(root: Path, loaded: Loaded | None = None) -> list[Problem]:
    """Every problem of ``root``'s marketplace.json that would hide or break a skill in Claude Code."""
    loaded = loaded or load(root / MARKETPLACE_FILE)
    problems = list(loaded.problems)
    data = loaded.data
    if loaded.problems:
        return problems

    def add(message: str, ptr: tuple[Any, ...], severity: str = "error") -> None:
        line, column = loaded.where(ptr)
        problems.append(Problem(message, line, column, severity))

    if not isinstance(data, dict):
        add("the marketplace must be a JSON object", ())
        return problems
    name = data.get("name")
    if not isinstance(name, str) or not name:
        add("the marketplace has no `name`", ())
    elif not KEBAB.match(name):
        add(f"marketplace name `{name}` is not kebab-case (lowercase words joined by hyphens)", ("name",))
    elif (why := name_problem(name)) is not None and not _official(root, data):
        add(why + "; choose another name", ("name",))
    owner = data.get("owner")
    if not isinstance(owner, dict) or not isinstance(owner.get("name"), str) or not owner.get("name"):
        add("the marketplace has no `owner` with a `name`", ("owner",) if "owner" in data else ())
    plugins = data.get("plugins")
    if not isinstance(plugins, list):
        add("the marketplace has no `plugins` list", ("plugins",) if "plugins" in data else ())
        return problems
    current = project_version(root)
    seen_names: dict[str, int] = {}
    listed: dict[str, tuple[Any, ...]] = {}
    reached: set[str] = set()
    for index, plugin in enumerate(plugins):
        here: tuple[Any, ...] = ("plugins", index)
        if not isinstance(plugin, dict):
            add(f"plugin {index} is not an object", here)
            continue
        pname = plugin.get("name")
        label = f"plugin `{pname}`" if isinstance(pname, str) else f"plugin {index}"
        if not isinstance(pname, str) or not pname:
            add(f"plugin {index} has no `name`", here)
        else:
            if not KEBAB.match(pname):
                add(f"plugin name `{pname}` is not kebab-case (lowercase words joined by hyphens)", (*here, "name"))
            if pname in seen_names:
                add(f"plugin name `{pname}` is used twice (also plugin {seen_names[pname]})", (*here, "name"))
            seen_names.setdefault(pname, index)
        version = plugin.get("version")
        if isinstance(version, str) and current and _version_behind(version, current):
            add(f"{label} has version {version}, behind the project's {current}", (*here, "version"))
        source = plugin.get("source")
        if source is None:
            add(f"{label} has no `source`", here)
            continue
        if not isinstance(source, str):
            continue  # github, git, url, npm: nothing on disk to check
        if not source.startswith("./"):
            add(f"{label}: a relative `source` must start with `./` (got `{source}`)", (*here, "source"))
            continue
        base = root / source
        if not base.is_dir() or not _inside(base, root):
            add(f"{label}: source `{source}` is not a folder inside the repository", (*here, "source"))
            continue
        skills = plugin.get("skills")
        if skills is None:
            default = base / "skills"
            if default.is_dir():
                reached.update(os.path.realpath(p) for p in _skill_folders(default) if p != default)
            continue
        entries = [skills] if isinstance(skills, str) else skills
        if not isinstance(entries, list):
            add(f"{label}: `skills` must be a list of paths", (*here, "skills"))
            continue
        for position, entry in enumerate(entries):
            ptr = (*here, "skills") if isinstance(skills, str) else (*here, "skills", position)
            if not isinstance(entry, str) or not entry.startswith("./"):
                add(f"{label}: skill path {entry!r} must be a string starting with `./`", ptr)
                continue
            target = base / entry
            if not target.exists() or not _inside(target, root):
                add(f"{label}: skill path `{entry}` does not exist in the repository", ptr)
                continue
            folders = _skill_folders(target) if target.is_dir() else []
            if not folders:
                add(f"{label}: skill path `{entry}` holds no SKILL.md (Claude Code finds nothing there)", ptr)
                continue
            for folder in folders:
                key = os.path.realpath(folder)
                if key in listed:
                    add(f"{label}: skill `{entry}` is listed twice", ptr)
                else:
                    listed[key] = ptr
                reached.add(key)
    skills_dir = root / "skills"
    if skills_dir.is_dir():
        for ref in discover([skills_dir]).skills:
            if ref.skill_md is not None and os.path.realpath(ref.dir) not in reached:
                rel = "./" + ref.dir.relative_to(root).as_posix()
                add(f"skill `{rel}` is in no plugin, so no client that reads this marketplace installs it", ("plugins",),
                    "warning")
    return problems


def listed_skills(root: Path) -> list[Path]:
    """The skill folders ``root``'s marketplace.json lists (relative sources, inside ``root``, holding a
    SKILL.md), in the file's order; nothing when there is no such file or it does not parse."""
    path = root / MARKETPLACE_FILE
    if not path.is_file():
        return []
    loaded = load(path)
    plugins = loaded.data.get("plugins") if isinstance(loaded.data, dict) else None
    out: list[Path] = []
    for plugin in plugins if isinstance(plugins, list) else []:
        source = plugin.get("source") if isinstance(plugin, dict) else None
        if not isinstance(source, str) or not source.startswith("./"):
            continue
        base = root / source
        skills = plugin.get("skills")
        entries = [skills] if isinstance(skills, str) else skills if isinstance(skills, list) else ["./skills"]
        for entry in entries:
            if isinstance(entry, str) and entry.startswith("./"):
                target = base / entry
                if target.is_dir() and _inside(target, root):
                    out.extend(_skill_folders(target))
    return out


# --------------------------------------------------------------------------- generation (this library)


def categories(skills_root: Path) -> dict[str, list[Path]]:
    """``{category: [skill folders]}``: each folder under ``skills_root`` and the skills below it, sorted."""
    out: dict[str, list[Path]] = {}
    for child in sorted(p for p in skills_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found = [ref.dir for ref in discover([child]).skills if ref.skill_md is not None]
        if found:
            out[child.name] = sorted(found, key=lambda p: p.as_posix())
    return out


def _describe(category: str, names: list[str]) -> str:
    words = category.replace("-", " ")
    return f"Agent Skills for {words}: {', '.join(names)}."


def generate(root: Path, skills_root: Path | None = None, name: str = DEFAULT_NAME,
             version: str | None = None) -> dict[str, Any]:
    """The marketplace for ``root``: one plugin per category folder of ``skills_root``."""
    from skillkit import __version__

    skills_root = skills_root if skills_root is not None else root / "skills"
    version = version or project_version(root) or __version__
    plugins = []
    for category, folders in categories(skills_root).items():
        plugins.append({
            "name": category,
            "description": _describe(category, [f.name for f in folders]),
            "version": version,
            "source": "./",
            "strict": False,
            "skills": sorted("./" + os.path.relpath(f, root).replace(os.sep, "/") for f in folders),
        })
    return {
        "name": name,
        "owner": dict(DEFAULT_OWNER),
        "metadata": {
            "description": "Expert Agent Skills for AI research, one plugin per category; generated by "
                           "`skillkit marketplace --write`.",
            "version": version,
        },
        "plugins": plugins,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def check(root: Path, skills_root: Path | None = None) -> list[str]:
    """Every disagreement between ``root``'s marketplace.json and its skills, as printable lines."""
    path = root / MARKETPLACE_FILE
    if not path.exists():
        return [f"{MARKETPLACE_FILE.as_posix()} does not exist; run `skillkit marketplace --write`"]
    loaded = load(path)
    out = []
    for p in validate(root, loaded):
        where = f":{p.line}:{p.column}" if p.line else ""
        out.append(f"{MARKETPLACE_FILE.as_posix()}{where}: {p.message}")
    if loaded.data is not None and isinstance(loaded.data, dict):
        expected = generate(root, skills_root, name=loaded.data.get("name") or DEFAULT_NAME)
        if render(loaded.data) != render(expected) or loaded.path.read_text(encoding="utf-8") != render(loaded.data):
            out.append(f"{MARKETPLACE_FILE.as_posix()} is not what `skillkit marketplace --write` generates from "
                       "the skills on disk (stale); run it")
    return out
