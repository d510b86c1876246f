"""Pair agreement of the score with judgement: `python bench/score_pairs.py [--pub /work/pub]`.

Each pair is (better, worse), judged by reading both (docs/score-calibration.md says why). Paths under
PUB are public libraries we did not write (never committed); pairs whose folders are absent are skipped.
Prints each pair's scores and the share the score orders correctly.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AIR = "{pub}/zechenzhangAGI+AI-research-SKILLs"
SAME_TOPIC = {  # this library's rewrite vs the public original it started from
    "distributed-training/deepspeed": "08-distributed-training/deepspeed",
    "evaluation/lm-evaluation-harness": "11-evaluation/lm-evaluation-harness",
    "fine-tuning/axolotl": "03-fine-tuning/axolotl",
    "fine-tuning/llama-factory": "03-fine-tuning/llama-factory",
    "fine-tuning/unsloth": "03-fine-tuning/unsloth",
    "inference/awq": "10-optimization/awq",
    "inference/gptq": "10-optimization/gptq",
    "inference/llama-cpp": "12-inference-serving/llama-cpp",
    "inference/sglang": "12-inference-serving/sglang",
    "inference/tensorrt-llm": "12-inference-serving/tensorrt-llm",
    "inference/vllm": "12-inference-serving/vllm",
    "post-training/grpo-rl-training": "06-post-training/grpo-rl-training",
    "training/bitsandbytes": "10-optimization/bitsandbytes",
    "training/flash-attention": "10-optimization/flash-attention",
    "training/openrlhf": "06-post-training/openrlhf",
    "training/rwkv": "01-model-architecture/rwkv",
    "training/verl": "06-post-training/verl",
}
HOLLOW = "tests/fixtures/hollow/{}/whisper"
PAIRS = [(f"skills/{ours}", f"{AIR}/{theirs}") for ours, theirs in SAME_TOPIC.items()] + [
    ("{pub}/anthropics+skills/skills/pdf", "{pub}/anthropics+skills/template"),
    ("{pub}/anthropics+skills/skills/docx", "{pub}/anthropics+skills/template"),
    ("{pub}/obra+superpowers/skills/systematic-debugging", HOLLOW.format("delete-todo-lines")),
    (f"{AIR}/12-inference-serving/vllm", HOLLOW.format("ellipsis")),
    ("{pub}/K-Dense-AI+claude-scientific-skills/scientific-skills/biopython", HOLLOW.format("lorem-ipsum")),
    ("tests/fixtures/complete/huggingface-datasets", HOLLOW.format("empty-blocks")),
]


def score(skillkit: str, path: Path) -> float:
    out = subprocess.run([skillkit, "score", str(path), "--format", "json", "--no-cache"], capture_output=True,
                         text=True, check=False, cwd=REPO)
    return float(json.loads(out.stdout)["skills"][0]["score"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pub", default="/work/pub")
    args = parser.parse_args()
    skillkit = str(Path(sys.executable).with_name("skillkit"))
    right = total = 0
    for better, worse in PAIRS:
        a, b = (REPO / p.format(pub=args.pub) for p in (better, worse))
        if not (a.is_dir() and b.is_dir()):
            print(f"skipped (absent): {a if not a.is_dir() else b}", file=sys.stderr)
            continue
        sa, sb = score(skillkit, a), score(skillkit, b)
        total += 1
        right += sa > sb
        print(f"{'ok ' if sa > sb else 'BAD'} {sa:5.1f} > {sb:5.1f}  {better.format(pub='')}  vs  {worse.format(pub='')}")
    print(f"{right} of {total} pairs ordered correctly ({100 * right / max(total, 1):.0f}%)")
    return 0 if total and right / total >= 0.9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
