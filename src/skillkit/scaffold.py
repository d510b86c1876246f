"""`skillkit new`: a skill folder from the packaged template, roadmap-aware, never overwriting anything.

The template's frontmatter passes every specification rule, while its `TODO:` markers are template
placeholders (SK504, an error in the library profile), so an unfinished skill cannot pass CI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from skillkit.packaged import package_folder
from skillkit.rules.frontmatter import MAX_DESCRIPTION_LENGTH, NAME_PATTERN, _name_problems


class ScaffoldError(Exception):
    """Bad input (exit 2)."""


class SkillExists(Exception):
    """The target folder exists: nothing was changed (exit 1)."""


@dataclass
class Plan:
    name: str
    title: str
    category: str
    description: str
    folder: Path
    from_roadmap: bool
    root: Path


def check_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise ScaffoldError(f"`{name}` is not a skill name: no slashes, `..` or leading dot")
    problems = _name_problems(name)
    if problems or not NAME_PATTERN.match(name):
        raise ScaffoldError(f"`{name}` is not a valid skill name: it {'; '.join(problems) or 'breaks the pattern'} "
                            "(lowercase letters, digits and single hyphens, at most 64 characters)")


def check_category(category: str) -> None:
    parts = category.split("/")
    if not category or any(not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", part) for part in parts):
        raise ScaffoldError(f"`{category}` is not a category: lowercase words with hyphens, e.g. `inference`")


def plan(name: str, root: Path, category: str | None, description: str | None, roadmap: Path | None) -> Plan:
    check_name(name)
    title, seed, from_roadmap, phase_category = name, None, False, None
    if roadmap is not None and roadmap.is_file():
        from skillkit.roadmap import key_of, read_roadmap

        for item in read_roadmap(roadmap).items:
            if key_of(item.name) == key_of(name) or item.slug == name:
                title, seed, from_roadmap = item.name, item.summary, True
                phase_category = item.category
                if item.link:
                    parent = Path(item.link.rstrip("/")).parent
                    try:
                        phase_category = parent.relative_to(root.name).as_posix() if parent.parts else phase_category
                    except ValueError:
                        pass
                break
    chosen = category if category is not None else phase_category
    if chosen:
        check_category(chosen)
    if description is None:
        about = f" ({seed})" if seed else ""
        description = (f"TODO: say what the {title} skill does{about} and when to use it (third person, at most 250 "
                       "characters, a Use when clause: see docs/writing-skills.md).")
    if not description.strip() or len(description) > MAX_DESCRIPTION_LENGTH or "\n" in description:
        raise ScaffoldError(f"--description must be one line of 1 to {MAX_DESCRIPTION_LENGTH} characters")
    folder = root / chosen / name if chosen else root / name  # no known category: a flat library stays flat
    return Plan(name, title, chosen or "", description, folder, from_roadmap, root)


def existing_skill(name: str, root: Path) -> Path | None:
    """A skill under ``root`` that already has ``name`` (as its folder or its `name` field), if any."""
    from skillkit.discover import discover

    if not root.is_dir():
        return None
    pattern = re.compile(r"^name:\s*['\"]?" + re.escape(name) + r"['\"]?\s*$", re.MULTILINE)
    for ref in discover([root]).skills:
        if ref.dir.name == name:
            return ref.dir
        if ref.skill_md is None:
            continue
        try:
            with open(ref.skill_md, "rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            continue
        close = head.find("\n---", 3)
        if head.startswith("---") and pattern.search(head[: close if close != -1 else len(head)]):
            return ref.dir
    return None


def _render(template: str, p: Plan) -> str:
    text = package_folder("skillkit.templates").joinpath(template).read_text(encoding="utf-8")
    description = p.description.replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("{name}", p.name).replace("{title}", p.title).replace("{description}", description)


def create(p: Plan) -> list[Path]:
    """Create the folder and files; refuse (changing nothing) when the folder exists."""
    if os.path.lexists(p.folder):
        raise SkillExists(f"{p.folder} already exists; nothing was changed")
    twin = existing_skill(p.name, p.root)
    if twin is not None:
        raise SkillExists(f"a skill named `{p.name}` already exists at {twin}; nothing was changed "
                          "(two skills with one name shadow each other in an agent)")
    p.folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(p.folder)  # atomic claim: fails if another process made it first
    except FileExistsError:
        raise SkillExists(f"{p.folder} already exists; nothing was changed") from None
    (p.folder / "references").mkdir()
    made = []
    for template, rel in (("SKILL.md.tmpl", "SKILL.md"), ("REFERENCE.md.tmpl", "references/REFERENCE.md")):
        path = p.folder / rel
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(_render(template, p))
        made.append(path)
    return made
