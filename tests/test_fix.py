"""lint --fix / --unsafe-fixes / --diff: safe by default, atomic, idempotent, body bytes untouched."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.fix import fix_file

runner = CliRunner()
BODY = "\n# PDF forms\n\nKeep  this   body: exactly\t as is.\n\n```yaml\ntags: [not, frontmatter]\n```\n"
AIRS_STYLE = (
    "---\nname: pdf-forms\ndescription: Checks PDF forms. Use when validating forms.\nversion: 1.10\n"
    "author: Someone  # the maintainer\nlicense: MIT\ntags: [PDF, Forms, Validation]\n"
    "dependencies: [pypdf>=4.0, pikepdf @ git+https://example.com/p.git@v1]\nmetadata:\n  release: 2.0\n---\n" + BODY
)


def make(tmp_path: Path, text: str | bytes, name: str = "pdf-forms") -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SKILL.md").write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder / "SKILL.md"


def lint(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["lint", "--profile", "spec", "--format", "json", *args])


def test_safe_fix_quotes_metadata_and_blockifies_flow_lists(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    result = lint(str(md.parent), "--fix")
    text = md.read_text()
    assert 'release: "2.0"' in text  # the text as written, not float 2.0 -> "2.0" by accident
    assert "tags:\n  - PDF\n  - Forms" in text  # flow -> block
    assert "version: 1.10" in text  # an unknown top-level field is left alone without --unsafe-fixes
    assert text.endswith(BODY) and "# the maintainer" in text
    rules = {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "SK104" not in rules and "SK113" not in rules and "SK105" in rules
    assert "fixed" in result.stderr


def test_unsafe_fix_moves_fields_under_metadata(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    result = lint(str(md.parent), "--fix", "--unsafe-fixes")
    text = md.read_text()
    front = text.split("\n---\n", 1)[0]
    assert 'version: "1.10"' in front  # 1.10 stays 1.10
    assert 'tags: "PDF, Forms, Validation"' in front
    assert 'dependencies: "pypdf>=4.0 pikepdf@git+https://example.com/p.git@v1"' in front
    assert text.endswith(BODY)
    assert json.loads(result.stdout)["diagnostics"] == []
    assert result.exit_code == 0


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    lint(str(md.parent), "--fix", "--unsafe-fixes")
    once = md.read_bytes()
    again = lint(str(md.parent), "--fix", "--unsafe-fixes")
    assert md.read_bytes() == once
    assert "fixed 0 files" in again.stderr


def test_bom_and_crlf(tmp_path: Path) -> None:
    md = make(tmp_path, b"\xef\xbb\xbf" + AIRS_STYLE.replace("\n", "\r\n").encode())
    lint(str(md.parent), "--fix")
    data = md.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.endswith(BODY.encode())


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    before = md.read_bytes()
    result = runner.invoke(app, ["lint", str(md.parent), "--diff", "--unsafe-fixes"])
    assert result.exit_code == 1
    assert "-tags: [PDF, Forms, Validation]" in result.stdout and '+  tags: "PDF, Forms, Validation"' in result.stdout
    assert md.read_bytes() == before
    clean = make(tmp_path, "---\nname: clean\ndescription: Checks forms. Use when validating.\n---\n", "clean")
    assert runner.invoke(app, ["lint", str(clean.parent), "--diff"]).exit_code == 0


def test_flag_combinations_are_usage_errors(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    assert runner.invoke(app, ["lint", str(md.parent), "--unsafe-fixes"]).exit_code == 2
    assert runner.invoke(app, ["lint", str(md.parent), "--fix", "--diff"]).exit_code == 2


def test_what_cannot_be_fixed_is_left_alone(tmp_path: Path) -> None:
    for text in [
        "---\nname: x\ndescription: a\ndescription: b\n---\n",  # duplicate keys: a person decides
        "---\nname: x\ndescription: Tools: broken\n---\n",  # invalid YAML
        "no frontmatter\n",
        "---\nname: x\ndescription: y\nsettings: {a: 1}\nwhy: [a, b, c, d]\n---\n",
    ]:
        md = make(tmp_path, text, "case")
        result = fix_file(md, unsafe=True)
        if "settings" in text:  # the flow mapping is only blockified; a nested mapping is not moved
            assert b"settings:\n  a: 1" in result.after and b'why: "a, b, c, d"' in result.after
        else:
            assert not result.changed, text


def test_fixable_flag_in_json(tmp_path: Path) -> None:
    md = make(tmp_path, AIRS_STYLE)
    data = json.loads(lint(str(md.parent)).stdout)
    fixable = {d["rule"]: d["fixable"] for d in data["diagnostics"]}
    assert fixable["SK104"] is True and fixable["SK113"] is True and fixable["SK105"] is False


KEYS = st.sampled_from(["version", "tags", "author", "dependencies", "release", "extra"])
VALUES = st.one_of(
    st.integers(0, 99).map(str),
    st.sampled_from(["1.10", "2.0", "true", "2024-01-01", "[a, b]", "[x>=1, y]", "plain words", "'quoted'"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(KEYS, VALUES, max_size=5), st.booleans(), st.booleans())
def test_fix_is_idempotent_and_keeps_the_body(tmp_path: Path, fields: dict, in_metadata: bool, unsafe: bool) -> None:
    lines = "".join(f"  {k}: {v}\n" for k, v in fields.items()) if in_metadata else "".join(
        f"{k}: {v}\n" for k, v in fields.items()
    )
    head = "---\nname: case\ndescription: Checks forms. Use when validating.\n"
    text = head + ("metadata:\n" + lines if in_metadata and fields else lines) + "---\n" + BODY
    md = make(tmp_path, text, "case")
    first = fix_file(md, unsafe)
    assert first.after.endswith(BODY.encode())
    md.write_bytes(first.after)
    second = fix_file(md, unsafe)
    assert not second.changed, second.diff("SKILL.md")
