"""`skillkit verify --latest` against two versions of a small package built here: the newer one removes
a name and a keyword, so what passed on the pin breaks on the newest release."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.latest import Finding, diff

runner = CliRunner()

V1 = "def old_name():\n    return 1\n\n\ndef f(x, keep=1, gone=2):\n    return x\n"
V2 = "def new_name():\n    return 1\n\n\ndef f(x, keep=1):\n    return x\n"

BLOCK = """```python
import tinypkg
from tinypkg import old_name
tinypkg.f(1, keep=2, gone=3)
```
"""


def _wheel(folder: Path, name: str, version: str, code: str) -> Path:
    """A pure-Python wheel, written by hand (no build tools)."""
    files = {
        f"{name}/__init__.py": code,
        f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{name}-{version}.dist-info/RECORD,,")
    files[f"{name}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def _index(folder: Path, packages: dict[str, list[str]]) -> str:
    """A file:// index answering PyPI's JSON API."""
    for name, versions in packages.items():
        (folder / name).mkdir(parents=True)
        kind = "py3-none-any.whl" if name != "compiledpkg" else "cp311-cp311-manylinux_2_17_x86_64.whl"
        releases = {v: [{"filename": f"{name}-{v}-{kind}", "upload_time_iso_8601": "2026-01-0%dT00:00:00Z" % (i + 1),
                         "yanked": False}] for i, v in enumerate(versions)}
        (folder / name / "json").write_text(json.dumps({"releases": releases}))
    return folder.as_uri()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "tinypkg", "1.0", V1)
    _wheel(wheels, "tinypkg", "2.0", V2)
    index = _index(tmp_path / "index", {"tinypkg": ["1.0", "2.0"], "ghostpkg": ["1.0", "3.0"],
                                               "compiledpkg": ["1.0", "2.0"]})
    # pip finds the wheels only here: no network, no other index
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setenv("SKILLKIT_CACHE_DIR", str(tmp_path / "cache"))
    skill = tmp_path / "skills" / "tiny"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text(
        "---\nname: tiny\ndescription: Uses tinypkg. Use when tiny things break.\n"
        'metadata:\n  dependencies: "tinypkg==1.0"\n---\n\n# Tiny\n\n' + BLOCK)
    return {"index": index, "skill": skill, "cache": tmp_path / "cache", "wheels": wheels}


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["verify", "--latest", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_removed_name_and_keyword_break_on_the_newest_release(world: dict) -> None:
    code, out, err = _run(str(world["skill"]), "--index-url", world["index"], "--format", "json")
    assert code == 1, out + err
    data = json.loads(out)["skills"][0]
    assert data["pinned_env"]["installed"] == ["tinypkg==1.0"]
    assert data["newest_env"]["installed"] == ["tinypkg==2.0"]
    breaks = {(b["rule"], b["line"]) for b in data["breaks"]}
    assert breaks == {("SK701", 12), ("SK702", 13)}, data["breaks"]
    assert data["already_failing"] == [] and data["names_checked"]["pinned"] > 0
    assert data["moves"] == ["tinypkg 1.0 -> 2.0"]
    # the overlay sees the base interpreter's packages (here: packaging, which skillkit needs)
    import subprocess

    overlay = data["newest_env"]["python"]
    assert subprocess.run([overlay, "-c", "import packaging, tinypkg; assert hasattr(tinypkg, 'new_name')"]).returncode == 0

    # the environments are kept: a second run builds nothing and says the same
    code2, out2, err2 = _run(str(world["skill"]), "--index-url", world["index"])
    assert code2 == 1 and "building an environment" not in err2
    assert "2 break(s) on the newest releases (tinypkg 1.0 -> 2.0" in out2
    assert "`old_name` does not exist in `tinypkg`" in out2 and "gone" in out2


def test_a_package_that_cannot_install_is_not_checked_and_the_rest_still_is(world: dict) -> None:
    skill: Path = world["skill"]  # type: ignore[assignment]
    text = (skill / "SKILL.md").read_text().replace("tinypkg==1.0", "tinypkg==2.0 ghostpkg==1.0 compiledpkg==1.0")
    (skill / "SKILL.md").write_text(text.replace("from tinypkg import old_name\n", "").replace(", gone=3", ""))
    code, out, err = _run(str(skill), "--index-url", world["index"])
    assert code == 0, out + err
    assert "no breaks" in out and "not checked (newest): ghostpkg==3.0 did not install" in out
    assert "not checked (pins): ghostpkg==1.0 did not install" in out and "Traceback" not in out + err
    # a package with only platform builds is never installed: the base's copy serves both sides
    assert "not checked: compiledpkg: no wheel for any platform for compiledpkg 1.0 and 2.0" in out


def test_skill_without_dependencies_and_unknown_index(world: dict, tmp_path: Path) -> None:
    bare = tmp_path / "skills2" / "bare"
    bare.mkdir(parents=True)
    (bare / "SKILL.md").write_text("---\nname: bare\ndescription: Nothing pinned. Use never.\n---\n\n# Bare\n")
    code, out, _ = _run(str(bare), "--index-url", world["index"])
    assert code == 0 and "not checked: no metadata.dependencies to compare" in out
    code, _, err = _run(str(bare), "--index-url", "gopher://x")
    assert code == 2 and "--index-url" in err


def test_diff_sorts_findings() -> None:
    a, b, c = (Finding("SK701", "S", 1, "x"), Finding("SK702", "S", 2, "y"), Finding("SK701", "S", 3, "z"))
    assert diff([a, b], [b, c]) == ([c], [a], [b])
