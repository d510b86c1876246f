"""Hostile input costs time linear in its size.

Each case is the worst input found for a scan that was quadratic (or worse) before: a skill whose
SKILL.md body and a reference file each hold about 1 MB of one repeated token, on one line or on many,
linted through the CLI. Before the fixes the first case alone took hours (a 16 KB line of `[a](` took
12 s); every case now takes a second or two. The bound is generous for a slow shared machine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app

SIZE = 1024 * 1024
# Quadratic scans took 47 s to hours on these inputs (386 s for a 1 MB line of `[a](`); linear ones take 1-6 s
# on an idle 2-core machine and up to 13 s with the other cores busy. 30 s separates the two without
# failing on a loaded machine.
BOUND_SECONDS = 30.0

FRONTMATTER = "---\nname: hostile\ndescription: Checks hostile input. Use when testing the linter.\n---\n\n# Hostile\n\n"


def _line(token: str) -> str:
    return token * (SIZE // len(token)) + "\n"


def _lines(token: str) -> str:
    return (token * 4 + "\n") * (SIZE // (len(token) * 4 + 1))


def _fenced(lang: str, text: str) -> str:
    return f"```{lang}\n{text}```\n"


def _unclosed_tick_runs() -> str:
    # runs of 2..700 backticks that nothing closes, then many single ones: each unclosed run looked
    # for its closer among all the runs after it
    head = "x".join("`" * n for n in range(2, 700))
    return head + "x`" * ((SIZE - len(head)) // 2) + "\n"


CASES = {
    "link-open": _line("[a]("),
    "link-angle": _line("[a](<"),
    "link-title": _line("[a](b ("),
    "tick-runs": _unclosed_tick_runs(),
    "curl-line": _line("curl "),
    "curl-upload-flags": "curl " + _line("-d$~/."),
    "env-pipes": "nc " + _line("env | "),
    "pipe-continued-lines": _lines("curl x | "),
    "workflow-headings": _lines("## workflow\n"),
    "troubleshooting-headings": _lines("## Common issues\n"),
    "legacy-sections": "as of 2024\n\n" + _lines("## Legacy\n"),
    "broken-json-blocks": "```json\n[\n```\n" * (SIZE // 64),  # the scorer matched every block to every error
    "trust-cli-bash": _fenced("bash", _line("--trust-remote-code ")),
    "trust-call-python": _fenced("python", _line("f(trust_remote_code=True, revision=1, ")),
    "torch-load-python": _fenced("python", _line("torch.load(")),
    "dd-bash": _fenced("bash", _line("dd ") + "dd of=/dev/sda\n"),
}
#: Cases whose slow part was in the scorer (`skillkit score`), not in a rule.
SCORED = {"workflow-headings", "troubleshooting-headings", "broken-json-blocks"}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_megabyte_is_linted_in_linear_time(tmp_path: Path, name: str) -> None:
    payload = CASES[name]
    folder = tmp_path / "hostile"
    (folder / "references").mkdir(parents=True)
    (folder / "SKILL.md").write_text(FRONTMATTER + "Read [the reference](references/ref.md).\n\n" + payload)
    (folder / "references" / "ref.md").write_text("# Reference\n\n" + payload)
    for command in (["lint"], ["score"]) if name in SCORED else (["lint"],):
        start = time.perf_counter()
        result = CliRunner().invoke(app, [*command, "--no-cache", "--format", "json", str(folder)])
        elapsed = time.perf_counter() - start
        assert result.exit_code in (0, 1), result.output[-2000:]
        if command == ["lint"]:
            found = json.loads(result.stdout)["diagnostics"]
            assert not [d for d in found if "internal error" in d["message"]]
        assert elapsed < BOUND_SECONDS, f"{name}, {command[0]}: {elapsed:.1f} s for {len(payload):,} characters"
