"""skillkit new: scaffolds that pass the spec, fail CI until finished, and never overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app

runner = CliRunner()
ROADMAP = "### Phase 3: Inference & Serving (Weeks 3-4)\n**Folder**: `skills/inference/`\n\n- [ ] **vLLM** - PagedAttention, continuous batching\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ROADMAP.md").write_text(ROADMAP)
    return tmp_path


def test_new_from_the_roadmap(project: Path) -> None:
    result = runner.invoke(app, ["new", "vllm"])
    assert result.exit_code == 0, result.output
    skill_md = project / "skills" / "inference" / "vllm" / "SKILL.md"
    assert skill_md.is_file() and (skill_md.parent / "references").is_dir()
    text = skill_md.read_text()
    assert text.startswith("---\nname: vllm\n") and "# vLLM" in text and "PagedAttention" in text
    assert "skillkit lint" in result.stdout and "skillkit roadmap --update" in result.stdout
    spec = runner.invoke(app, ["lint", "--profile", "spec", str(skill_md.parent)])
    assert spec.exit_code == 0, spec.output  # the frontmatter passes every spec rule
    library = runner.invoke(app, ["lint", "--format", "json", "--profile", "library", str(skill_md.parent)])
    assert library.exit_code == 1  # the TODO markers fail the library profile's CI until replaced
    # the markers (SK504), and the hollow slots they mark: empty steps (SK206), a comment-only block (SK308)
    assert {d["rule"] for d in json.loads(library.stdout)["diagnostics"] if d["severity"] == "error"} == {
        "SK504", "SK206", "SK308"}


def test_options_override_the_roadmap(project: Path) -> None:
    result = runner.invoke(app, ["new", "vllm", "--category", "serving", "--root", "lib", "-d",
                                 "Serves LLMs with vLLM. Use when deploying an inference server."])
    assert result.exit_code == 0
    text = (project / "lib" / "serving" / "vllm" / "SKILL.md").read_text()
    assert 'description: "Serves LLMs with vLLM. Use when deploying an inference server."' in text


def test_name_not_on_the_roadmap_is_flat(project: Path) -> None:
    assert runner.invoke(app, ["new", "my-tool"]).exit_code == 0
    assert (project / "skills" / "my-tool" / "SKILL.md").is_file()  # a flat library gets no folder it never had
    assert not (project / "skills" / "uncategorised").exists()
    assert runner.invoke(app, ["new", "other", "--category", "tools"]).exit_code == 0
    assert (project / "skills" / "tools" / "other" / "SKILL.md").is_file()


def test_a_name_the_library_already_has_is_refused(project: Path) -> None:
    existing = project / "skills" / "inference" / "existing-skill"
    existing.mkdir(parents=True)
    (existing / "SKILL.md").write_text("---\nname: existing-skill\ndescription: x\n---\n")
    renamed = project / "skills" / "misc" / "folder-differs"
    renamed.mkdir(parents=True)
    (renamed / "SKILL.md").write_text("---\nname: 'by-field'\ndescription: x\n---\n")
    before = sorted(project.rglob("*"))
    for name in ("existing-skill", "by-field"):
        result = runner.invoke(app, ["new", name])
        assert result.exit_code == 1 and "already exists" in result.output, result.output
        result = runner.invoke(app, ["new", name, "--category", "elsewhere"])
        assert result.exit_code == 1
    assert sorted(project.rglob("*")) == before


def test_next_steps_mention_the_roadmap_only_when_there_is_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "my-tool"])
    assert result.exit_code == 0 and "roadmap" not in result.stdout
    assert (tmp_path / "skills" / "my-tool" / "SKILL.md").is_file()


@pytest.mark.parametrize("name", ["../evil", "a/b", "a\\b", "..", "Bad_Name", "-x", "a--b", "x" * 65, ".hidden"])
def test_invalid_names_exit_2_and_write_nothing(project: Path, name: str) -> None:
    before = sorted(p for p in project.rglob("*"))
    result = runner.invoke(app, ["new", name])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert sorted(p for p in project.rglob("*")) == before
    assert not (project.parent / "evil").exists()


def test_bad_category_exits_2(project: Path) -> None:
    assert runner.invoke(app, ["new", "vllm", "--category", "../x"]).exit_code == 2
    assert not (project / "skills").exists()


def test_existing_skill_is_never_touched(project: Path) -> None:
    folder = project / "skills" / "inference" / "vllm"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text("mine\n")
    result = runner.invoke(app, ["new", "vllm"])
    assert result.exit_code == 1 and "already exists" in result.output
    assert (folder / "SKILL.md").read_text() == "mine\n"
    assert not (folder / "references").exists()
