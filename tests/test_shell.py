"""The batched `bash -n` check: same answers as checking each block alone, with few processes."""

from __future__ import annotations

import random

import pytest

from skillkit import shell

pytestmark = pytest.mark.skipif(shell.bash_path() is None, reason="needs bash")

GOOD = [
    "echo hello\n",
    "for f in *.json; do\n  echo \"$f\"\ndone\n",
    "if [ -n \"$HOME\" ]; then\n  ls\nfi\n",
    "python -m pip install 'trl==1.16.0'\n",
    "cat <<'EOF'\nnot $(executed)\nEOF\n",
    "export A=1 \\\n  B=2\n",
]
BROKEN = [
    "echo 'unclosed quote\n",  # swallows every later block when joined
    "for f in a b; do\n  echo $f\n",  # missing done
    "fi\n",  # stray fi
    "if true; then\n",  # unclosed if
    "def main():\n    print('python in a bash fence')\n",
    "case x in\n",  # unclosed case
]


def one_by_one(blocks: list[str]) -> list[tuple[int, str] | None]:
    return [shell._run(b if b.endswith("\n") else b + "\n") for b in blocks]


@pytest.mark.parametrize("seed", range(12))
def test_batched_results_equal_checking_each_block_alone(seed: int) -> None:
    rng = random.Random(seed)
    blocks = [rng.choice(GOOD) for _ in range(rng.randint(1, 40))]
    for _ in range(rng.randint(0, 4)):
        blocks.insert(rng.randint(0, len(blocks)), rng.choice(BROKEN))
    assert shell.check_blocks(blocks) == one_by_one(blocks)


def test_local_errors_cost_a_few_processes_not_log_n_each(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = shell._run

    def counting(script: str) -> tuple[int, str] | None:
        calls.append(script)
        return real(script)

    monkeypatch.setattr(shell, "_run", counting)
    blocks = [GOOD[i % len(GOOD)] for i in range(300)]
    for where in (40, 150, 260):
        blocks[where] = "fi\n"
    results = shell.check_blocks(blocks)
    assert [i for i, r in enumerate(results) if r is not None] == [40, 150, 260]
    # whole group, each suspect alone, the group again after each: 2k + 1 (halving took about 2k log2 n = 48)
    assert len(calls) <= 7


def test_an_unclosed_quote_early_is_found_by_halving_not_one_process_per_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real = shell._run
    monkeypatch.setattr(shell, "_run", lambda s: calls.append(s) or real(s))
    blocks = ["echo ok\n"] * 256
    blocks[3] = "echo 'open\n"
    results = shell.check_blocks(blocks)
    assert results[3] is not None and all(r is None for i, r in enumerate(results) if i != 3)
    assert len(calls) <= 2 * 9 + 2
