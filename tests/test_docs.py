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
