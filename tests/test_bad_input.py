"""Hostile and broken input: each gets a clear diagnostic, never a traceback or a hang, and the
other skills of the same run are still checked. (Run with the `spec` profile, so that the quality
rules do not add findings to the minimal skills built here.)"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.parse import MAX_FILE_BYTES

GOOD = (
    "---\nname: {name}\ndescription: Checks PDF forms for missing fields. Use when a user asks to "
    "validate a PDF form.\n---\n\n# PDF forms\n\nGuidance.\n"
)


def fm(name: str, yaml_text: str) -> str:
    return f"---\nname: {name}\n{yaml_text}\n---\n\n# Body\n"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    except PermissionError:
        pytest.skip("creating a device node needs root")


def _self_loop(path: Path) -> None:
    path.symlink_to(path.name)


def _outside(path: Path) -> None:
    secret = path.parent.parent.parent / "outside-secret.md"
    secret.write_text(GOOD.format(name=path.parent.name))
    path.symlink_to(secret)


def _folder(path: Path) -> None:
    path.mkdir()


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.write(GOOD.format(name=path.parent.name).encode())
        handle.write(b"x" * MAX_FILE_BYTES)


# (skill folder, SKILL.md bytes or a function that makes the path, expected rule, expected severity)
CASES: list[tuple[str, object, str, str]] = [
    ("latin1", "---\nname: latin1\ndescription: caf\xe9\n---\n".encode("latin-1"), "SK100", "error"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "SK100", "error"),
    ("empty", b"", "SK102", "error"),
    ("whitespace-only", b"\n\n  \n", "SK102", "error"),
    ("folder", _folder, "SK100", "error"),
    ("fifo", _fifo, "SK100", "error"),
    ("device", _device, "SK100", "error"),
    ("self-loop", _self_loop, "SK100", "error"),
    ("outside-link", _outside, "SK100", "error"),
    ("huge", _huge, "SK100", "error"),
    ("never-closed", b"---\nname: never-closed\ndescription: x\n\n# Body\n", "SK102", "error"),
    ("alias-bomb", fm("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\n"
                      + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
                      + "description: bomb").encode(), "SK103", "error"),
    ("recursive-alias", fm("recursive-alias", "description: &d [*d]").encode(), "SK103", "error"),
    ("python-object", fm("python-object", "description: !!python/object/apply:os.system ['touch pwned']").encode(),
     "SK103", "error"),
    ("deep-flow", fm("deep-flow", "description: " + "[" * 20000 + "]" * 20000).encode(), "SK103", "error"),
    ("deep-block", fm("deep-block", "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v").encode(),
     "SK103", "error"),
    ("colon-value", fm("colon-value", "description: Tools: PDF").encode(), "SK103", "error"),
    ("duplicate", fm("duplicate", "description: a\ndescription: b").encode(), "SK104", "error"),
    ("tab-indent", fm("tab-indent", "description:\n\t- x").encode(), "SK103", "error"),
]


def _build(tmp_path: Path, name: str, content: object) -> Path:
    folder = tmp_path / "tree" / name
    folder.mkdir(parents=True)
    target = folder / "SKILL.md"
    if callable(content):
        content(target)
    else:
        target.write_bytes(content)  # type: ignore[arg-type]
    return folder


def _lint_json(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(app, ["lint", "--profile", "spec", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout), result.output


@pytest.mark.parametrize(("name", "content", "rule", "severity"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_diagnostic(tmp_path: Path, name: str, content: object, rule: str, severity: str) -> None:
    folder = _build(tmp_path, name, content)
    code, data, _ = _lint_json(str(folder))
    hits = [d for d in data["diagnostics"] if d["rule"] == rule and d["severity"] == severity]
    assert hits, data["diagnostics"]
    assert all(d["message"] for d in hits)
    assert code == (1 if severity == "error" else 0)


def test_python_tags_are_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _build(tmp_path, "evil", fm("evil", "description: !!python/object/apply:os.system ['touch pwned']").encode())
    _lint_json(str(folder))
    assert not (tmp_path / "pwned").exists()


def test_all_bad_inputs_in_one_tree_and_the_good_skill_is_still_checked(tmp_path: Path) -> None:
    for name, content, _, _ in CASES:
        if name == "device" and os.geteuid() != 0:
            continue
        _build(tmp_path, name, content)
    good = tmp_path / "tree" / "pdf-forms"
    good.mkdir()
    (good / "SKILL.md").write_text(GOOD.format(name="pdf-forms") + "\nA [broken](references/none.md) link.\n")
    (tmp_path / "tree" / "loop").symlink_to(".")  # a folder link back into the tree: visited once
    code, data, _ = _lint_json(str(tmp_path / "tree"))
    assert code == 1
    paths = {d["path"].split("/")[-2] for d in data["diagnostics"] if "/" in d["path"]}
    for name, _, _, _ in CASES:
        if name == "device" and os.geteuid() != 0:
            continue
        assert name in paths, name
    good_hits = [d for d in data["diagnostics"] if "/pdf-forms/" in d["path"]]
    assert [d["rule"] for d in good_hits] == ["SK401"]
    assert data["summary"]["skills"] == len(paths | {"pdf-forms"})


def test_symlink_loop_between_folders_terminates(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "a").mkdir(parents=True)
    (tree / "a" / "to-b").symlink_to(tree / "b")
    (tree / "b").mkdir()
    (tree / "b" / "to-a").symlink_to(tree / "a")
    skill = tree / "b" / "pdf-forms"
    skill.mkdir()
    (skill / "SKILL.md").write_text(GOOD.format(name="pdf-forms"))
    code, data, _ = _lint_json(str(tree))
    assert code == 0
    assert data["summary"]["skills"] == 1


def test_folder_link_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "other-skill"
    outside.mkdir(parents=True)
    (outside / "SKILL.md").write_text("# not a skill we were asked to check\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "escape").symlink_to(outside.parent)
    _build(tree, "pdf-forms", GOOD.format(name="pdf-forms").encode())
    code, data, output = _lint_json(str(tree))
    assert data["summary"]["skills"] == 1  # the skill in the tree, not the one behind the link
    assert code == 0


def test_enormous_single_line_is_checked(tmp_path: Path) -> None:
    line = "word " * 400_000  # 2 MB on one line, under the size cap
    folder = _build(tmp_path, "pdf-forms", (GOOD.format(name="pdf-forms") + line + "[x](missing.md)\n").encode())
    code, data, _ = _lint_json(str(folder))
    assert [d["rule"] for d in data["diagnostics"]] == ["SK401"]
    assert code == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbf" + GOOD.format(name="pdf-forms").encode(), ["SK102"]),
        (GOOD.format(name="pdf-forms").replace("\n", "\r\n").encode(), ["SK102"]),
    ],
    ids=["bom", "crlf"],
)
def test_bom_and_crlf_are_accepted_with_a_warning(tmp_path: Path, raw: bytes, expected: list[str]) -> None:
    folder = _build(tmp_path, "pdf-forms", raw)
    code, data, _ = _lint_json(str(folder))
    assert [d["rule"] for d in data["diagnostics"]] == expected
    assert [d["severity"] for d in data["diagnostics"]] == ["warning"]
    assert code == 0


def test_nested_fences_follow_commonmark(tmp_path: Path) -> None:
    body = "````markdown\n```python\nprint('hi')\n```\n````\n\n## After\n"
    folder = _build(tmp_path, "pdf-forms", (GOOD.format(name="pdf-forms") + body).encode())
    code, data, _ = _lint_json(str(folder))
    assert data["diagnostics"] == []
    assert code == 0


def test_unreadable_reference_does_not_hide_the_rest(tmp_path: Path) -> None:
    folder = _build(tmp_path, "pdf-forms", (GOOD.format(name="pdf-forms") + "[guide](references/b.md)\n").encode())
    (folder / "references").mkdir()
    os.mkfifo(folder / "references" / "a.md")
    (folder / "references" / "b.md").write_text("```python\nx = 1\n")
    code, data, _ = _lint_json(str(folder))
    assert sorted(d["rule"] for d in data["diagnostics"]) == ["SK100", "SK301"]
    assert code == 1


# Values PyYAML's safe constructor fails on with KeyError, AttributeError, IndexError or ValueError
# rather than a YAML error; each was an SK100 "internal error while reading" that skipped every check.
BAD_VALUES = [
    ("!!bool maybe", "`maybe` is not a valid `!!bool` value"),
    ("!!timestamp notadate", "`notadate` is not a valid `!!timestamp` value"),
    ("!!timestamp 2024-13-45", "`2024-13-45` is not a valid `!!timestamp` value (month must be in 1..12)"),
    ("!!int 0x", "`0x` is not a valid `!!int` value"),
    ("!!float abc", "`abc` is not a valid `!!float` value"),
    ("!!int ''", "an empty value is not a valid `!!int` value"),
    ("!!binary 'abc'", "failed to decode base64 data"),
    ("!!set [a, b]", "expected a mapping node, but found sequence"),
    ("!!omap {a: 1}", "expected a sequence, but found mapping"),
    ("9" * 5000, "an integer of 5,000 digits, over Python's 4,300-digit limit"),
]


@pytest.mark.parametrize(("value", "message"), BAD_VALUES, ids=[v[:20] for v, _ in BAD_VALUES])
def test_a_value_the_yaml_constructor_fails_on_is_an_invalid_yaml_finding(tmp_path: Path, value: str,
                                                                        message: str) -> None:
    text = fm("pdf-forms", f"description: Checks PDF forms.\nx: {value}") + "\nA [broken](references/none.md) link.\n"
    folder = _build(tmp_path, "pdf-forms", text.encode())
    code, data, _ = _lint_json(str(folder))
    found = {d["rule"]: d for d in data["diagnostics"]}
    assert "SK100" not in found, found["SK100"]
    assert message in found["SK103"]["message"]
    assert (found["SK103"]["line"], found["SK103"]["column"]) == (4, 4)
    assert "SK401" in found  # the other checks of the skill still ran
    assert code == 1


def test_a_yaml_2_directive_is_an_invalid_yaml_finding(tmp_path: Path) -> None:
    folder = _build(tmp_path, "pdf-forms", b"---\n%YAML 2.0\nname: pdf-forms\ndescription: x\n---\n\n# Body\n")
    code, data, _ = _lint_json(str(folder))
    assert [(d["rule"], d["line"]) for d in data["diagnostics"]] == [("SK103", 3)]
    assert code == 1


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _standard_tags() -> list[str]:
    import yaml

    return sorted({"!!" + t.rsplit(":", 1)[1] for t in yaml.SafeLoader.yaml_constructors if t and "yaml.org" in t}
                  | {"!!value", "!!merge", "!!python/none", "!foo"})


_NODES = st.one_of(
    st.text(alphabet="0123456789abcxyeEtTfF.-+:_ ", max_size=12).map(lambda v: f"'{v}'"),
    st.sampled_from(["[a, b]", "{a: 1}", "[{a: 1}, b]", "[[a]]", "''", "", "~", "!!str x", "[a, !!int b]"]),
)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(_standard_tags()), _NODES)
def test_no_explicit_tag_and_value_raises_out_of_the_parser(tag: str, node: str) -> None:
    """The whole class, not a list of known cases: any standard tag on any scalar or collection either
    loads or becomes ``Frontmatter.error`` with a position."""
    from skillkit.parse import load_frontmatter

    loaded = load_frontmatter(f"name: pdf-forms\nx: {tag} {node}", 2, 4)
    assert loaded.error is None or (loaded.error.line is not None and loaded.error.message)


DATA_BLOCKS = [
    ("toml", "x = " + "[" * 300 + "]" * 300, "nested deeper than 100 levels"),
    ("toml", "x = " + "{a = " * 300 + "1" + "}" * 300, "nested deeper than 100 levels"),
    ("json", "[" * 300 + "]" * 300, "nested deeper than 100 levels"),
    ("json", '{"a": ' + "9" * 5000 + "}", "an integer of 5,000 digits, over Python's 4,300-digit limit"),
    ("toml", "a = " + "9" * 5000, "an integer of 5,000 digits, over Python's 4,300-digit limit"),
    ("yaml", "x: " + "[" * 300 + "]" * 300, None),  # libyaml takes it; it must not crash either
    ("json", "[" + ", ".join(['["[[[[", {"a": "{{{{"}]'] * 200) + "]", None),  # brackets in strings are not nesting
]


@pytest.mark.parametrize(("lang", "text", "message"), DATA_BLOCKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(DATA_BLOCKS)])
def test_deep_or_huge_data_blocks_are_findings_not_internal_errors(tmp_path: Path, lang: str, text: str,
                                                                     message: str | None) -> None:
    body = f"```{lang}\n{text}\n```\n"
    folder = _build(tmp_path, "pdf-forms", (GOOD.format(name="pdf-forms") + body).encode())
    result = CliRunner().invoke(app, ["lint", "--profile", "spec", "--select", "SK304", "--format", "json", str(folder)])
    found = json.loads(result.stdout)["diagnostics"]
    assert all("internal error" not in d["message"] for d in found), found
    if message is None:
        assert found == []
    else:
        assert [d["severity"] for d in found] == ["warning"]
        assert message in found[0]["message"]


def test_a_line_of_a_hundred_thousand_words_is_a_finding_not_an_internal_error(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: CPython's parser raises MemoryError ("too many tokens") on such a line, and
    SK305's "is this Python?" check let it escape as an internal error."""
    words = "w " * 100_000
    body = f"\n```sh\n{words}\nimport os\nprint(os.getcwd())\n```\n\n```python\n{words}\n```\n"
    folder = _build(tmp_path, "pdf-forms", (GOOD.format(name="pdf-forms") + body).encode())
    code, data, _ = _lint_json(str(folder), "--select", "SK303,SK305")
    assert not [d for d in data["diagnostics"] if "internal error" in d["message"]], data["diagnostics"]
    assert {"SK303", "SK305"} <= {d["rule"] for d in data["diagnostics"]}
