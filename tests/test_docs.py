"""The README's rules table is generated from the registry; this keeps it true."""

from __future__ import annotations

from pathlib import Path

from skillkit.rules import rules_table

README = Path(__file__).parent.parent / "README.md"


def test_readme_rules_table_matches_registry() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- rules-table:start -->\n", 1)[1].split("<!-- rules-table:end -->", 1)[0]
    assert block.strip() == rules_table().strip(), "regenerate: python -m skillkit.docs --write"


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    from skillkit.docs import rules_document

    path = README.parent / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_document(), "regenerate: python -m skillkit.docs --write"


def test_every_rule_doc_has_the_three_sections_and_an_example() -> None:
    from skillkit.rules import DOC_SECTIONS, all_rules

    for r in all_rules():
        for section in DOC_SECTIONS:
            body = r.doc.split(section, 1)[1].split("\n## ", 1)[0].strip()
            assert len(body) > 20, f"{r.id}: section {section} is empty"


def test_the_fast_top_level_help_is_generated_from_the_app() -> None:
    from skillkit._help import TEXT
    from skillkit.cli import app
    from skillkit.docs import top_help_text

    assert TEXT == top_help_text(), "regenerate: python -m skillkit.docs --write"
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"\n  {name} " in TEXT


def test_top_level_help_and_version_do_not_import_the_cli_framework() -> None:
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['skillkit', '{flag}']; from skillkit.entry import main; main(); "
             "heavy = [m for m in ('typer', 'rich', 'pydantic', 'yaml', 'skillkit.cli') if m in sys.modules]; "
             "print('HEAVY', heavy)")
    for flag in ("--help", "-h", "--version"):
        out = subprocess.run([sys.executable, "-c", probe.format(flag=flag)], capture_output=True, text=True,
                             check=True).stdout
        assert out.rstrip().endswith("HEAVY []"), out


def test_the_readme_text_example_is_what_lint_prints(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import re

    from typer.testing import CliRunner

    from skillkit.cli import app

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = re.search(r"```text\n(skills/pdf/SKILL\.md\n.*?)```", readme, re.S)
    assert example, "the README's text example is gone"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "skills" / "pdf").mkdir(parents=True)
    (tmp_path / "skills" / "pdf" / "SKILL.md").write_text(
        "---\nname: pdf-tools\ndescription: Fills and checks PDF forms with pypdf. Use when a user asks to fill a "
        "PDF form or read its fields.\n---\n\n# PDF forms\n")
    result = CliRunner().invoke(app, ["lint", "skills/pdf", "--format", "text"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.stdout == example.group(1)


def test_the_shipped_profiles_module_is_generated_from_the_toml_files() -> None:
    from skillkit.profiles import shipped_module, toml_profiles
    from skillkit.profiles._shipped import profiles

    assert profiles() == toml_profiles(), "regenerate: python -m skillkit.docs --write"
    text = (Path(__file__).parent.parent / "src" / "skillkit" / "profiles" / "_shipped.py").read_text(encoding="utf-8")
    assert text == shipped_module()
