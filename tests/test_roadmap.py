"""skillkit roadmap on a copy of the seed (with a few skills present) and on the repo's ROADMAP.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.roadmap import key_of, parse_roadmap, read_roadmap, slug_of

runner = CliRunner()
REPO = Path(__file__).parent.parent
SEED = REPO.parent / "shared" / "seed" / "ROADMAP-seed.md"
COMPLETE = Path(__file__).parent / "fixtures" / "complete" / "huggingface-datasets"


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    if SEED.is_file():
        shutil.copy(SEED, tmp_path / "ROADMAP.md")
    else:  # CI without shared/: a minimal file in the seed's format, with mis-encoded bytes
        (tmp_path / "ROADMAP.md").write_bytes(
            "# \u00f0\u0178\u2014\u00ba\u00ef\u00b8\u008f Roadmap\n\n| Metric | Current | Target (6 months) |\n"
            "|--------|---------|-------------------|\n| **Skills** | 7 (high-quality) | 70 |\n"
            "| **Gold Standard Skills** | 1 (GRPO) | 20+ |\n\n## Development Phases\n\n"
            "### \u00e2\u0153\u2026 Phase 1: Training Foundation (COMPLETE - 7 skills)\n\n**Completed Skills**:\n"
            "- Axolotl - YAML-based fine-tuning\n\n### Phase 4: Evaluation & Data (Weeks 5-6) - 5 Skills\n\n"
            "- [ ] **HuggingFace Datasets** - Dataset management\n- [ ] **Weights & Biases** - Tracking\n\n"
            "## Contributing\n\n1. **Phase 3: Inference** (CRITICAL) - x\n".encode("utf-8")
            + b"\xff\xfe odd bytes\n"
        )
    return tmp_path


def add_skill(root: Path, folder: str, text: str | None = None) -> None:
    target = root / "skills" / "data" / folder
    if text is None:
        shutil.copytree(COMPLETE, target)
    else:
        target.mkdir(parents=True)
        (target / "SKILL.md").write_text(text)


def run(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["roadmap", "--roadmap", str(tmp_path / "ROADMAP.md"), "--root",
                               str(tmp_path / "skills"), *args])


def test_slugs_and_keys() -> None:
    assert slug_of("Weights & Biases") == "weights-and-biases"
    assert slug_of("HuggingFace Datasets") == "huggingface-datasets"
    assert slug_of("llama.cpp") == "llama-cpp"
    assert key_of("vLLM") == key_of("vllm") and key_of("Hugging Face Datasets") == key_of("huggingface-datasets")


def test_parses_the_seed_format(seed_copy: Path) -> None:
    roadmap = read_roadmap(seed_copy / "ROADMAP.md")
    names = [i.name for i in roadmap.items]
    assert "HuggingFace Datasets" in names and "Axolotl" in names
    assert not any(n.startswith("Phase") for n in names)  # the Contributing list is not items
    assert "Skills" in roadmap.metrics


def test_status_update_twice_and_check(seed_copy: Path) -> None:
    add_skill(seed_copy, "huggingface-datasets")  # gold: done
    add_skill(seed_copy, "weights-and-biases", "# no frontmatter\n")  # errors: in progress
    before = (seed_copy / "ROADMAP.md").read_bytes()
    assert run(seed_copy, "--check").exit_code == 1
    status = run(seed_copy, "--format", "json")
    assert status.exit_code == 0
    data = json.loads(status.stdout)
    items = {i["name"]: i for p in data["phases"] for i in p["items"]}
    assert items["HuggingFace Datasets"]["status"] == "done"
    assert items["HuggingFace Datasets"]["path"] == "skills/data/huggingface-datasets"
    assert items["Weights & Biases"]["status"] == "in progress"
    assert data["summary"]["in_sync"] is False

    assert run(seed_copy, "--update").exit_code == 0
    once = (seed_copy / "ROADMAP.md").read_bytes()
    assert b"- [x] **HuggingFace Datasets**" in once and b"- [ ] **Weights & Biases**" in once
    assert b"| **Skills** | 2 (1 done) |" in once
    # every other line is kept byte for byte, odd bytes included
    changed = [(a, b) for a, b in zip(before.split(b"\n"), once.split(b"\n")) if a != b]
    assert all(b"Skills" in a or b"Datasets" in a or b"Avg Lines" in a or b"Coverage" in a for a, _ in changed)
    assert len(before.split(b"\n")) == len(once.split(b"\n"))

    assert run(seed_copy, "--update").exit_code == 0
    assert (seed_copy / "ROADMAP.md").read_bytes() == once  # idempotent
    assert run(seed_copy, "--check").exit_code == 0


def test_unticks_a_skill_that_regressed(seed_copy: Path) -> None:
    add_skill(seed_copy, "huggingface-datasets")
    run(seed_copy, "--update")
    skill_md = seed_copy / "skills" / "data" / "huggingface-datasets" / "SKILL.md"
    skill_md.write_text(skill_md.read_text().replace("name: huggingface-datasets", "name: other-name"))
    assert run(seed_copy, "--check").exit_code == 1
    run(seed_copy, "--update")
    assert b"- [ ] **HuggingFace Datasets**" in (seed_copy / "ROADMAP.md").read_bytes()


def test_text_and_markdown_and_unlisted(seed_copy: Path) -> None:
    add_skill(seed_copy, "huggingface-datasets")
    add_skill(seed_copy, "not-on-roadmap", "---\nname: not-on-roadmap\ndescription: x\n---\n")
    text = run(seed_copy).stdout
    assert "Phase 4: Evaluation & Data" in text and "#" in text
    assert "skills/data/not-on-roadmap" in text
    md = run(seed_copy, "--format", "markdown").stdout
    assert md.startswith("## Roadmap progress") and "| Phase 4: Evaluation & Data | 1 |" in md


def test_missing_roadmap_and_conflicting_flags(tmp_path: Path) -> None:
    assert runner.invoke(app, ["roadmap", "--roadmap", str(tmp_path / "nope.md")]).exit_code == 2
    (tmp_path / "ROADMAP.md").write_text("# R\n")
    assert run(tmp_path, "--update", "--check").exit_code == 2


def test_explicit_links_win_over_names(tmp_path: Path) -> None:
    (tmp_path / "ROADMAP.md").write_text(
        "### Phase 1: Data\n\n- [ ] **[Datasets](skills/data/huggingface-datasets/)** - data\n"
    )
    add_skill(tmp_path, "huggingface-datasets")
    data = json.loads(run(tmp_path, "--format", "json").stdout)
    assert data["phases"][0]["items"][0]["status"] == "done"


def test_the_repository_roadmap_is_complete_and_in_sync() -> None:
    roadmap = read_roadmap(REPO / "ROADMAP.md")
    assert len(roadmap.items) >= 70
    seed_names = ["Axolotl", "TRL", "vLLM", "lm-evaluation-harness", "Weights & Biases", "LangChain", "Whisper",
                  "Distillation", "PEFT", "Segment Anything"]
    names = {i.name for i in roadmap.items}
    assert all(n in names for n in seed_names)
    assert len(names) == len(roadmap.items), "duplicate roadmap items"
    result = runner.invoke(app, ["roadmap", "--roadmap", str(REPO / "ROADMAP.md"), "--root", str(REPO / "skills"),
                                 "--check"])
    assert result.exit_code == 0, result.output


def test_parse_tolerates_anything() -> None:
    assert parse_roadmap("").items == []
    assert parse_roadmap("### Phase x: y\n- [ ] **\n").items == []
