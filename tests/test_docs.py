"""The README's rules table is generated from the registry; this keeps it true."""

from __future__ import annotations

from pathlib import Path

from skillkit.rules import rules_table

README = Path(__file__).parent.parent / "README.md"


def test_readme_rules_table_matches_registry() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- rules-table:start -->\n", 1)[1].split("<!-- rules-table:end -->", 1)[0]
    assert block.strip() == rules_table().strip(), "regenerate with: python -c 'from skillkit.rules import rules_table; print(rules_table())'"
