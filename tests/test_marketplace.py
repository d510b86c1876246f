"""`skillkit marketplace` (--write / --check) and the SK801 checks it shares with `skillkit lint`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.marketplace import MARKETPLACE_FILE, categories, check, generate, name_problem, render, validate

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _skill(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {folder.name}\ndescription: Does {folder.name} work. Use when testing.\n---\n\n# {folder.name}\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for rel in ("skills/inference/serve-a", "skills/inference/serve-b", "skills/training/train-a"):
        _skill(tmp_path / rel)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.0"\n')
    return tmp_path


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["marketplace", *args])


def test_the_committed_marketplace_is_in_sync() -> None:
    assert check(REPO) == []


def test_one_plugin_per_category_each_skill_once() -> None:
    data = generate(REPO)
    cats = categories(REPO / "skills")
    assert [p["name"] for p in data["plugins"]] == sorted(cats)
    listed = [s for p in data["plugins"] for s in p["skills"]]
    on_disk = sorted("./" + p.parent.relative_to(REPO).as_posix() for p in (REPO / "skills").glob("*/*/SKILL.md"))
    assert sorted(listed) == on_disk and len(set(listed)) == len(listed)
    for plugin in data["plugins"]:
        assert plugin["source"] == "./" and plugin["strict"] is False
        assert plugin["skills"] == sorted(plugin["skills"])
        assert all(s.startswith(f"./skills/{plugin['name']}/") for s in plugin["skills"])
    assert name_problem(data["name"]) is None


def test_write_then_check_then_second_write_changes_nothing(repo: Path) -> None:
    result = _run(str(repo), "--check")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert _run(str(repo), "--write").exit_code == 0
    path = repo / MARKETPLACE_FILE
    first = path.read_bytes()
    data = json.loads(first)
    assert data["plugins"][0]["version"] == "1.2.0"  # pyproject's version
    result = _run(str(repo), "--write")
    assert result.exit_code == 0 and "up to date" in result.output
    assert path.read_bytes() == first
    assert _run(str(repo), "--check").exit_code == 0


def _edit(repo: Path, change) -> list[str]:  # type: ignore[no-untyped-def]
    assert _run(str(repo), "--write").exit_code == 0
    path = repo / MARKETPLACE_FILE
    data = json.loads(path.read_text())
    change(data)
    path.write_text(render(data))
    result = _run(str(repo), "--check")
    assert result.exit_code == 1
    return result.output.splitlines()


def test_check_reports_a_new_skill_missing(repo: Path) -> None:
    assert _run(str(repo), "--write").exit_code == 0
    _skill(repo / "skills/training/train-b")
    result = _run(str(repo), "--check")
    assert result.exit_code == 1
    assert any("`./skills/training/train-b` is in no plugin" in line for line in result.output.splitlines())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["plugins"][0]["skills"].append("./skills/inference/serve-a"), "is listed twice"),
        (lambda d: d["plugins"][1]["skills"].append("./skills/inference/serve-a"), "is listed twice"),
        (lambda d: d["plugins"][0]["skills"].append("./skills/inference/gone"), "does not exist"),
        (lambda d: d["plugins"][0]["skills"].append("./skills/inference"), "is listed twice"),
        (lambda d: d["plugins"][0].update(name="Inference Skills"), "not kebab-case"),
        (lambda d: d["plugins"][0].update(version="1.1.9"), "behind the project's 1.2.0"),
        (lambda d: d.update(name="claude-plugins-official"), "reserved"),
        (lambda d: d["plugins"][0]["skills"].pop(), "is in no plugin"),
        (lambda d: d["plugins"][0].update(description="changed by hand"), "stale"),
    ],
)
def test_check_reports_each_disagreement(repo: Path, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert any(expected in line for line in _edit(repo, change))


def test_a_path_without_skill_md(repo: Path) -> None:
    (repo / "skills/inference/notes").mkdir()

    def change(d):  # type: ignore[no-untyped-def]
        d["plugins"][0]["skills"].append("./skills/inference/notes")

    assert any("holds no SKILL.md" in line for line in _edit(repo, change))


@pytest.mark.parametrize(
    "name",
    ["claude-plugins-official", "agent-skills", "anthropic-marketplace", "builtin", "skills-dir",
     "official-claude-skills", "claude-marketplace", "anthropic-plugins-x", "claudeofficial"],
)
def test_reserved_and_lookalike_names(name: str) -> None:
    assert name_problem(name) is not None


@pytest.mark.parametrize("name", ["skillkit-ai-research", "ai-research-skills", "claude-skills-lab", "my-marketplace"])
def test_ordinary_names(name: str) -> None:
    assert name_problem(name) is None


def test_write_refuses_a_reserved_name(repo: Path) -> None:
    result = _run(str(repo), "--write", "--name", "agent-skills")
    assert result.exit_code == 2 and "reserved" in result.output
    assert not (repo / MARKETPLACE_FILE).exists()


def test_usage_errors(repo: Path, tmp_path: Path) -> None:
    assert _run(str(repo), "--write", "--check").exit_code == 2
    assert _run(str(tmp_path / "nowhere")).exit_code == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nests deeper"),
        (b"{\"name\": \"x\",}", "invalid JSON"),
        (b"[]", "must be a JSON object"),
        (b"{\"name\": \"ok-name\", \"owner\": {\"name\": \"o\"}, \"plugins\": [1, {\"name\": \"p\"}]}", "no `source`"),
    ],
)
def test_bad_files_become_findings_not_tracebacks(repo: Path, content: bytes, expected: str) -> None:
    path = repo / MARKETPLACE_FILE
    path.parent.mkdir()
    path.write_bytes(content)
    assert any(expected in p.message for p in validate(repo))
    result = runner.invoke(app, ["lint", str(repo), "--select", "SK801", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert any(expected in d["message"] for d in json.loads(result.output)["diagnostics"])


def test_a_folder_named_marketplace_json(repo: Path) -> None:
    (repo / MARKETPLACE_FILE).mkdir(parents=True)
    result = runner.invoke(app, ["lint", str(repo), "--select", "SK801"])
    assert result.exit_code == 1 and "not a regular file" in result.output


def test_lint_checks_the_marketplace_of_any_repository_path(repo: Path) -> None:
    assert _run(str(repo), "--write").exit_code == 0
    assert runner.invoke(app, ["lint", str(repo), "--select", "SK801"]).exit_code == 0
    shutil.rmtree(repo / "skills/training/train-a")
    result = runner.invoke(app, ["lint", str(repo), "--select", "SK801"])
    assert result.exit_code == 1
    assert "./skills/training/train-a` does not exist" in result.output
    # per-path ignores and --ignore apply as to any rule
    assert runner.invoke(app, ["lint", str(repo), "--select", "SK801", "--ignore", "SK801"]).exit_code == 0


def test_the_anthropic_skills_shape_passes(tmp_path: Path) -> None:
    for name in ("xlsx", "docx", "pdf", "pptx"):
        _skill(tmp_path / "skills" / name)
    (tmp_path / ".claude-plugin").mkdir()
    (tmp_path / MARKETPLACE_FILE).write_text(json.dumps({
        "name": "anthropic-agent-skills-example",
        "owner": {"name": "Keith Lazuka", "email": "klazuka@anthropic.com"},
        "metadata": {"description": "Anthropic example skills", "version": "1.0.0"},
        "plugins": [
            {"name": "document-skills", "description": "Document skills", "source": "./", "strict": False,
             "skills": ["./skills/xlsx", "./skills/docx", "./skills/pptx", "./skills/pdf"]},
        ],
    }, indent=2))
    assert validate(tmp_path) == []


def test_anthropics_own_marketplace_may_use_a_reserved_name(tmp_path: Path) -> None:
    """Issue 16: anthropics/skills' `anthropic-agent-skills` is theirs to use (Claude Code accepts reserved names
    from github.com/anthropics); the same name elsewhere is still refused."""
    from skillkit.marketplace import validate

    def problems(owner: dict[str, str], remote: str | None) -> list[str]:
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        (root / ".claude-plugin").mkdir(parents=True)
        data = {"name": "anthropic-agent-skills", "owner": owner, "plugins": []}
        (root / ".claude-plugin" / "marketplace.json").write_text(json.dumps(data))
        if remote:
            (root / ".git").mkdir()
            (root / ".git" / "config").write_text(f'[remote "origin"]\n\turl = {remote}\n')
        return [p.message for p in validate(root) if "reserved" in p.message]

    assert problems({"name": "Keith", "email": "k@anthropic.com"}, None) == []
    assert problems({"name": "Keith"}, "https://github.com/anthropics/skills.git") == []
    assert problems({"name": "Keith"}, "git@github.com:anthropics/skills.git") == []
    assert problems({"name": "Ana", "email": "ana@example.com"}, "https://github.com/ana/skills.git") != []
    assert problems({"name": "Ana"}, None) != []
