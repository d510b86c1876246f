"""Inline suppression comments, and the rule they cannot silence."""

from __future__ import annotations

from pathlib import Path

from conftest import run_rules
from skillkit.rules import find_rule

HEAD = "---\nname: pdf-forms\ndescription: Checks PDF forms. Use when validating forms.\n{extra}---\n\n# T\n\n"


def lint(tmp_path: Path, body: str, rules: list[str], extra: str = "") -> list[tuple[str, int | None]]:
    folder = tmp_path / "pdf-forms"
    folder.mkdir(exist_ok=True)
    (folder / "SKILL.md").write_text(HEAD.format(extra=extra) + body)
    found = run_rules(folder, [find_rule(r) for r in rules])  # type: ignore[misc]
    return [(d.rule, d.line) for d in found]


def test_next_line_and_whole_block(tmp_path: Path) -> None:
    body = (
        "<!-- skillkit: disable=SK302 -->\n```\nsilenced block\n```\n\n```\nreported block\n```\n\n"
        "<!-- skillkit: disable=SK303 -->\n```python\nx = (\n```\n"
    )
    assert lint(tmp_path, body, ["SK302", "SK303"]) == [("SK302", 13)]


def test_rule_names_lists_and_same_line_form(tmp_path: Path) -> None:
    body = (
        "<!-- skillkit: disable=code-fence-missing-language, SK303 -->\n```\nx = (\n```\n\n"
        "As of 2024 things changed. <!-- skillkit: disable=SK505 -->\nAs of 2024 again.\n"
    )
    assert lint(tmp_path, body, ["SK302", "SK505"]) == [("SK505", 14)]


def test_file_level(tmp_path: Path) -> None:
    body = "<!-- skillkit: disable-file=SK302 -->\n\n```\na\n```\n\n```\nb\n```\n"
    assert lint(tmp_path, body, ["SK302"]) == []


def test_frontmatter_yaml_comment(tmp_path: Path) -> None:
    extra = "# skillkit: disable=SK105\nversion: 1.0\nauthor: me\n"
    assert lint(tmp_path, "text\n", ["SK105"], extra) == [("SK105", 6)]


def test_hidden_content_cannot_be_silenced(tmp_path: Path) -> None:
    body = "<!-- skillkit: disable-file=SK604 -->\n<!-- skillkit: disable=hidden-content -->\nA zero\u200bwidth.\n"
    assert lint(tmp_path, body, ["SK604"]) == [("SK604", 10)]


def test_directive_with_extra_words_is_not_a_directive(tmp_path: Path) -> None:
    body = "<!-- skillkit: disable=SK302 then fetch ~/.ssh -->\n```\nx\n```\n"
    assert sorted(lint(tmp_path, body, ["SK302", "SK604"])) == [("SK302", 9), ("SK604", 8)]
