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


# --------------------------------------------------------------------------- issue 24: the fuzz campaign's cases

HEAD = "---\nname: case\ndescription: Checks forms. Use when validating.\n"


def test_flow_mapping_values_keep_their_own_text(tmp_path: Path) -> None:
    md = make(tmp_path, HEAD + "metadata: {version: 1.0, n: 3}\n---\n" + BODY, "case")
    lint(str(md.parent), "--fix")
    text = md.read_text()
    assert 'version: "1.0"\n' in text and 'n: "3"\n' in text, text
    again = fix_file(md, unsafe=True)
    assert not again.changed


def test_merge_keys_are_never_rewritten(tmp_path: Path) -> None:
    text = HEAD + "version: 1.0.0\n<<: {author: merged, version: 2}\n---\n" + BODY
    md = make(tmp_path, text, "case")
    result = lint(str(md.parent), "--fix", "--unsafe-fixes")
    assert md.read_text() == text
    assert "left" in result.stderr and "merge key" in result.stderr
    only = make(tmp_path, "---\n<<: {version: 2}\n---\n", "only")
    result = lint(str(only.parent), "--fix", "--unsafe-fixes")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert only.read_text() == "---\n<<: {version: 2}\n---\n"


def test_every_leading_bom_goes_in_one_run(tmp_path: Path) -> None:
    md = make(tmp_path, b"\xef\xbb\xbf\xef\xbb\xbf" + (HEAD + "---\n" + BODY).encode(), "case")
    lint(str(md.parent), "--fix")
    assert md.read_bytes() == (HEAD + "---\n" + BODY).encode()
    assert "fixed 0 files" in lint(str(md.parent), "--fix").stderr


def test_a_lone_cr_in_the_body_is_content(tmp_path: Path) -> None:
    data = (HEAD + "metadata: {v: 1}\n---\n# A\n```text\na\rb\n```\n").encode()
    md = make(tmp_path, data, "case")
    lint(str(md.parent), "--fix")
    assert md.read_bytes().endswith(b"---\n# A\n```text\na\rb\n```\n")
    crlf = make(tmp_path, data.replace(b"\n", b"\r\n"), "crlf")
    lint(str(crlf.parent), "--fix")
    assert crlf.read_bytes().endswith(b"---\n# A\n```text\na\rb\n```\n")  # CRLF -> LF, the lone CR stays


CRASHERS = {
    "deep": HEAD + "metadata:\n  v: 1\n" + "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v: 1\n",
    "hexint": HEAD + "metadata:\n  v: 1\nx: !!int 0x\n",
    "directive": HEAD + "metadata:\n  v: 1\n%YAML 2.0\n",
    "boolmaybe": HEAD + "metadata:\n  v: 1\nx: !!bool maybe\n",
    "mergeonly": "---\n<<: {version: 2}\n",
}


def test_one_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    for name, head in CRASHERS.items():
        make(tmp_path, head + "---\n" + BODY, f"a-{name}")
    good = make(tmp_path, HEAD.replace("case", "z-good") + "metadata: {v: 1}\n---\n" + BODY, "z-good")
    before = {p: p.read_bytes() for p in tmp_path.glob("a-*/SKILL.md")}
    for args in (["--diff", "--unsafe-fixes"], ["--fix", "--unsafe-fixes"]):
        result = runner.invoke(app, ["lint", str(tmp_path), "--format", "json", *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output and result.exit_code in (0, 1)
    assert 'v: "1"' in good.read_text()  # the skill after the bad ones was fixed
    assert {p: p.read_bytes() for p in before} == before  # nothing of the bad ones was rewritten


def test_an_edit_that_would_change_data_is_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import skillkit.fix as fix

    text = HEAD + "metadata:\n  version: 1.10\n---\n" + BODY
    md = make(tmp_path, text, "case")
    monkeypatch.setattr(fix, "_literal", lambda texts, path, value: "1.1, broken")  # a wrong "as written" text
    result = fix_file(md)
    assert not result.changed and result.skipped and "same data" in result.skipped
    out = lint(str(md.parent), "--fix")
    assert md.read_text() == text and "untouched" in out.stderr


def test_a_lone_cr_before_a_crlf_is_never_half_fixed() -> None:
    """Found by bench/fuzz.py: CR CR LF -> CR LF is a new CRLF, so a second run changed the file again
    (the early return for a file that is not UTF-8 skipped the second-pass check)."""
    from skillkit.fix import fix_bytes

    for data in (b"---\r\r\nname: a\ndescription: d\n---\n# T\n",
                 b"---\r\r\nname: a\ndescription: d \xc3(\n---\n# T\n"):  # the second is not UTF-8
        after, _, skipped = fix_bytes(data, True)
        assert after == data and skipped and "second pass" in skipped


def test_unsafe_fix_leaves_the_target_clients_own_fields(tmp_path: Path) -> None:
    text = HEAD + "model: sonnet\nuser-invocable: false\ntags: [a, b]\n---\n" + BODY
    md = make(tmp_path, text, "case")
    runner.invoke(app, ["lint", str(md.parent), "--fix", "--unsafe-fixes", "--target", "claude-code"])
    front = md.read_text().split("\n---\n", 1)[0]
    assert "\nmodel: sonnet\n" in front and "\nuser-invocable: false\n" in front  # Claude Code reads them there
    assert 'tags: "a, b"' in front and "metadata:" in front  # a field no client reads still moves
    md.write_text(text)
    runner.invoke(app, ["lint", str(md.parent), "--fix", "--unsafe-fixes"])  # the default target: the spec's six
    assert 'model: "sonnet"' in md.read_text()


def test_a_field_metadata_already_has_is_left_with_a_reason(tmp_path: Path) -> None:
    text = HEAD + "version: 1.0.0\nauthor: Ana\nmetadata:\n  version: \"2.0\"\n---\n" + BODY
    md = make(tmp_path, text, "case")
    result = lint(str(md.parent), "--fix", "--unsafe-fixes")
    front = md.read_text().split("\n---\n", 1)[0]
    assert "\nversion: 1.0.0\n" in front and 'author: "Ana"' in front  # author moved, version kept
    assert "left `version` at the top level: `metadata.version` exists already with another value" in result.stderr


def test_dependencies_with_spaces_inside_are_not_joined() -> None:
    """Found by bench/fuzz.py: `[torch>=2.<CR>0, ...]` loads as 'torch>=2. 0'; joined with spaces it reads as
    two requirements, so the move would change what the list says."""
    from skillkit.fix import fix_bytes

    data = (HEAD + "dependencies: [torch >= 2.0, 'pkg @ https://example.com/p.zip']\n---\n# T\n").encode()
    after, changes, _ = fix_bytes(data, True)
    assert b"torch >= 2.0" in after and not any("dependencies" in c and "moved" in c for c in changes)
    ok = (HEAD + "dependencies: [torch>=2.0, 'pkg @ https://example.com/p.zip']\n---\n# T\n").encode()
    assert b'dependencies: "torch>=2.0 pkg@https://example.com/p.zip"' in fix_bytes(ok, True)[0]
