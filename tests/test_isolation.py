"""Isolation: nothing in one skill changes another skill's findings, in any batch or cache state (issue 24).

A fuzz campaign found two leaks: a shell block that leaves bash inside a heredoc, quote or `if` hid the
syntax errors of the other skills in its `bash -n` batch, and a cached skill kept a broken-link error
after the link's target was created in another skill. The property test lints trees of hostile and
ordinary skills in seeded orders (serial, two processes, cold cache, cached re-run after changes made
in other skills) and demands, for every skill, exactly what linting that skill alone gives.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit import shell
from skillkit.cache import LintCache
from skillkit.cli import app
from skillkit.config import default_settings
from skillkit.engine import lint

runner = CliRunner()
needs_bash = pytest.mark.skipif(shell.bash_path() is None, reason="needs bash")

FM = "---\nname: {name}\ndescription: Checks things. Use when testing that neighbours stay apart.\n---\n\n# T\n\n"


def bash(body: str) -> str:
    return FM + "```bash\n" + body + "```\n"


# Skills that leave the batched `bash -n` (or the parser) in a state that used to leak into neighbours.
HOSTILE = {
    "heredoc-open": bash("cat <<EOF\nhello\n"),
    "heredoc-ended-later": bash("cat <<STOP\n"),  # a later skill's block holds the STOP line
    "stop-word": bash("STOP\nfi\n"),
    "quote-open": bash("echo 'open\n"),
    "quote-close": bash("echo close'\n"),
    "backslash": bash("echo a \\\n"),
    "comsub-open": bash("x=$(\n"),
    "paren-close": bash(")\n"),
    "case-open": bash("case x in\n"),
    "esac": bash("esac\n"),
    "if-open": bash("if true; then\n"),
    "open-fence": FM + "```bash\necho the fence never closes\nfi\n",
    "broken-yaml": "---\nname: [unclosed\ndescription: : x\n---\n\n```bash\nfi\n```\n",
    "huge-line": FM + "x" * 200_000 + "\n\n```bash\necho 'a\n```\n",
    "no-frontmatter": "just text\n\n```sh\ncat <<-END\n```\n",
    "binary": "---\nname: x\n---\n\0\0\0",
}
# Ordinary skills with real errors, and clean ones.
ORDINARY = {
    "for-no-done": bash("for f in a b; do\n  echo $f\n") + "\n```sh\nfi\n```\n",
    "stray-fi": bash("echo ok\nfi\n"),
    "broken-link": FM + "[gone](references/gone.md)\n\n```bash\necho ok\n```\n",
    "clean": bash("echo ok\n"),
    "clean-heredoc": bash("cat <<'EOF'\n$(not run)\nEOF\n"),
}
CROSS = FM + "[other](../{other}/references/x.md)\n\n```bash\necho ok\n```\n"


def build(root: Path, rng: random.Random, count: int) -> dict[str, str]:
    """A tree of ``count`` skills in a seeded order; returns skill name -> the skill it links to."""
    kinds = list(HOSTILE.values()) + list(ORDINARY.values())
    names = [f"s{i:02d}" for i in range(count)]
    links: dict[str, str] = {}
    for name in names:
        folder = root / "skills" / name
        folder.mkdir(parents=True)
        if rng.random() < 0.2:
            links[name] = rng.choice([n for n in names if n != name])
            text = CROSS.format(name=name, other=links[name])
        else:
            text = rng.choice(kinds).replace("{name}", name)
        (folder / "SKILL.md").write_bytes(text.encode())
        if rng.random() < 0.2:  # a script with a shell error goes through the same batch
            (folder / "scripts").mkdir()
            (folder / "scripts" / "run.sh").write_text(rng.choice(["if true; then\n", "echo ok\n", "cat <<EOF\n"]))
    return links


def by_skill(diagnostics: list) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    out: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for d in diagnostics:
        skill = d.path.split("/")[1]
        out.setdefault(skill, []).append((d.path, d.line, d.column, d.rule, d.severity.value, d.message))
    return out


def alone(root: Path) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    expected: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for folder in sorted((root / "skills").iterdir()):
        expected.update(by_skill(lint([Path("skills") / folder.name], default_settings()).diagnostics))
    return expected


@needs_bash
@pytest.mark.parametrize("seed", range(4))
def test_every_skill_gets_exactly_its_findings_alone_whatever_its_neighbours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    links = build(tmp_path, rng, rng.randint(14, 24))
    skills = [Path("skills")]
    settings = default_settings()
    expected = alone(tmp_path)
    assert any(row[3] == "SK305" for found in expected.values() for row in found)  # real errors to hide
    assert by_skill(lint(skills, settings, jobs=1).diagnostics) == expected
    assert by_skill(lint(skills, settings, jobs=2).diagnostics) == expected

    cache = LintCache(tmp_path, settings, os.getcwd())
    assert by_skill(lint(skills, settings, cache=cache, jobs=1).diagnostics) == expected  # cold
    assert by_skill(lint(skills, settings, cache=cache, jobs=2).diagnostics) == expected  # all hits

    # Change other skills only: create (or remove) the targets that cross-skill links point to.
    for target in sorted(set(links.values())):
        path = tmp_path / "skills" / target / "references" / "x.md"
        if rng.random() < 0.7:
            path.parent.mkdir(exist_ok=True)
            path.write_text("# X\n")
    expected = alone(tmp_path)
    cache = LintCache(tmp_path, settings, os.getcwd())
    assert by_skill(lint(skills, settings, cache=cache, jobs=rng.choice([1, 2])).diagnostics) == expected
    for target in sorted(set(links.values())):
        path = tmp_path / "skills" / target / "references" / "x.md"
        if path.exists() and rng.random() < 0.5:
            path.unlink()
    expected = alone(tmp_path)
    assert by_skill(lint(skills, settings, cache=cache, jobs=1).diagnostics) == expected


def json_lint(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["lint", "--format", "json", *args])
    return json.loads(result.stdout)


def rows(report: dict, skill: str) -> list[tuple]:  # type: ignore[type-arg]
    return [(d["path"], d["line"], d["rule"], d["message"]) for d in report["diagnostics"]
            if d["path"].startswith(f"skills/{skill}/")]


@needs_bash
def test_an_unterminated_heredoc_in_one_skill_does_not_hide_syntax_errors_in_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, body in [("a", "cat <<EOF\nhello\n"), ("b", "for f in a b; do\n  echo $f\n"), ("c", "fi\n")]:
        (tmp_path / "skills" / name).mkdir(parents=True)
        (tmp_path / "skills" / name / "SKILL.md").write_text(bash(body).replace("{name}", name))
    whole = json_lint("--no-cache", "skills")
    for name in "bc":
        assert any(r[2] == "SK305" for r in rows(whole, name))
        assert rows(whole, name) == rows(json_lint("--no-cache", f"skills/{name}"), name)


def make(root: Path, name: str, text: str) -> Path:
    folder = root / "skills" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SKILL.md").write_text(text.replace("{name}", name))
    return folder


def rules_of(report: dict, skill: str) -> set[str]:  # type: ignore[type-arg]
    return {r[2] for r in rows(report, skill)}


def test_a_cached_run_sees_a_link_target_created_or_removed_in_another_skill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "a", FM + "[x](../b/references/x.md)\n")
    b = make(tmp_path, "b", FM)
    assert "SK401" in rules_of(json_lint("skills"), "a")
    (b / "references").mkdir()
    (b / "references" / "x.md").write_text("# X\n")
    assert "SK401" not in rules_of(json_lint("skills"), "a")
    assert "SK401" not in rules_of(json_lint("skills/a"), "a")  # a cached run of the skill alone too
    (b / "references" / "x.md").unlink()
    assert "SK401" in rules_of(json_lint("skills"), "a")


def test_a_cached_run_sees_a_file_appear_behind_a_folder_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SK407 (a mentioned path) through `scripts -> ../shared/scripts`: the target is not in the skill."""
    monkeypatch.chdir(tmp_path)
    shared = tmp_path / "skills" / "shared" / "scripts"
    shared.mkdir(parents=True)
    a = make(tmp_path, "a", FM + "Run `scripts/run.py` first.\n")
    os.symlink(os.path.join("..", "shared", "scripts"), a / "scripts")
    assert "SK407" in rules_of(json_lint("skills/a"), "a")
    (shared / "run.py").write_text("print('hi')\n")
    assert "SK407" not in rules_of(json_lint("skills/a"), "a")


def test_a_cached_run_sees_a_change_in_a_file_read_through_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`a/SKILL.md -> ../shared.md`: links inside the checked tree are read, so a's findings follow shared.md."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "skills" / "a").mkdir(parents=True)
    shared = tmp_path / "skills" / "shared.md"
    shared.write_text(FM.replace("{name}", "a") + "[fine](SKILL.md)\n")
    os.symlink(os.path.join("..", "shared.md"), tmp_path / "skills" / "a" / "SKILL.md")
    assert "SK401" not in rules_of(json_lint("skills"), "a")
    shared.write_text(FM.replace("{name}", "a") + "[gone](missing-target.md)\n")
    assert "SK401" in rules_of(json_lint("skills"), "a")


def test_a_cached_run_sees_an_empty_folder_appear_in_the_skill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    a = make(tmp_path, "a", FM + "[examples](examples/)\n")
    assert "SK401" in rules_of(json_lint("skills"), "a")
    (a / "examples").mkdir()
    assert "SK401" not in rules_of(json_lint("skills"), "a")
