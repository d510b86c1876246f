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


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every bash process started from now on (batches and single blocks alike)."""
    shell.witness_supported()  # probed once per process, not per batch
    calls: list[str] = []
    real = shell._bash
    monkeypatch.setattr(shell, "_bash", lambda script, *flags: calls.append(script) or real(script, *flags))
    return calls


def test_local_errors_cost_a_few_processes_not_log_n_each(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted(monkeypatch)
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
    calls = counted(monkeypatch)
    blocks = ["echo ok\n"] * 256
    blocks[3] = "echo 'open\n"
    results = shell.check_blocks(blocks)
    assert results[3] is not None and all(r is None for i, r in enumerate(results) if i != 3)
    assert len(calls) <= 3  # the batch, the block alone, the rest again


# Blocks that leave bash not at top level when they end: each one, joined to its neighbours, used to
# hide their errors (issue 24). Both halves of a pair are broken alone, or the first parses alone (with
# at most a warning) and the second is broken; joined, the batch parsed and both were reported clean.
LEAKS = {
    "heredoc never terminated": ["cat <<EOF\nhello\n", "fi\n"],
    "heredoc terminated by a later block": ["cat <<'EOF'\n", "for x in; do\n", "EOF\n", "done\n"],
    "heredoc with <<- and a tab": ["cat <<-END\n", "esac\n", "\tEND\n"],
    "odd quotes cancel": ["echo 'open\n", "echo close'\n"],
    "odd double quotes cancel": ['echo "open\n', 'echo close"\n'],
    "trailing backslash": ["echo a \\\n", "fi\n"],
    "trailing &&": ["make &&\n", "done\n"],
    "trailing pipe": ["ls |\n", "}\n"],
    "open command substitution": ["x=$(\n", "fi\n", ")\n"],
    "open backquote": ["x=`\n", "fi\n", "`\n"],
    "open arithmetic": ["echo $((1 +\n", "2))\n"],
    "open brace": ["{\n", "}\n"],
    "open subshell": ["(\n", ")\n"],
    "case without esac": ["case x in\n", "esac\n"],
    "if without fi": ["if true; then\n", "fi\n"],
    "array left open": ["a=(1\n", ")\n"],
    "function header alone": ["f()\n", "{ :; }\n"],
}


@pytest.mark.parametrize("name", sorted(LEAKS))
@pytest.mark.parametrize("seed", range(3))
def test_a_block_that_leaks_parser_state_never_changes_its_neighbours_verdicts(name: str, seed: int) -> None:
    rng = random.Random(seed)
    blocks = [rng.choice(GOOD) for _ in range(rng.randint(0, 6))]
    at = rng.randint(0, len(blocks))
    leak = LEAKS[name]
    blocks[at:at] = leak + [rng.choice(BROKEN) for _ in range(seed)]  # the reproducer, then real errors
    blocks += [rng.choice(GOOD + BROKEN) for _ in range(rng.randint(0, 6))]
    expected = one_by_one(blocks)
    assert any(expected[at : at + len(leak)])  # the reproducer really hides an error when joined
    assert shell.check_blocks(blocks) == expected


@pytest.mark.parametrize("seed", range(20))
def test_random_mixes_of_leaking_broken_and_good_blocks_equal_checking_each_alone(seed: int) -> None:
    rng = random.Random(1000 + seed)
    pool = GOOD * 3 + BROKEN + [b for blocks in LEAKS.values() for b in blocks]
    blocks = [rng.choice(pool) for _ in range(rng.randint(2, 40))]
    assert shell.check_blocks(blocks) == one_by_one(blocks)


def test_a_clean_batch_is_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted(monkeypatch)
    blocks = [GOOD[i % len(GOOD)] for i in range(200)]
    assert shell.check_blocks(blocks) == [None] * 200
    assert len(calls) == 1


def test_a_block_cannot_forge_the_witness_of_its_neighbour() -> None:
    # A block may print lines shaped like a sentinel; the nonce is drawn per batch, so it cannot match.
    forged = "".join(f": __skillkit_{'0' * 16}_{i}__ &\n" for i in range(4))
    blocks = ["cat <<EOF\n" + forged, "fi\n", "echo ok\n"]
    assert shell.check_blocks(blocks) == one_by_one(blocks)


def test_a_nul_byte_is_judged_as_bash_judges_the_block_alone() -> None:
    blocks = ["echo ok\n", "echo a\0b\n", "echo ok\n"]
    assert shell.check_blocks(blocks) == one_by_one(blocks)


def test_without_pretty_print_every_block_is_checked_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell, "witness_supported", lambda: False)
    blocks = [b for pair in LEAKS.values() for b in pair] + GOOD + BROKEN
    assert shell.check_blocks(blocks) == one_by_one(blocks)


def test_nothing_in_a_batch_is_executed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "ran"
    blocks = [f"touch {marker}\n", f"x=$(touch {marker})\n", f"cat <<EOF\n$(touch {marker})\nEOF\n", "fi\n"]
    shell.check_blocks(blocks)
    assert not marker.exists()
