#!/usr/bin/env python3
"""Print the schema, size, null counts and sample rows of a local dataset.

Accepts either a directory written by ``save_to_disk`` (a Dataset or a
DatasetDict) or a single data file (.csv, .tsv, .json, .jsonl, .parquet, .txt).
Nothing is downloaded, so it works offline.

Exit codes:
    0  the dataset loaded and every check passed
    1  a check failed (missing column, empty split, unexpected nulls)
    2  the path could not be loaded

Examples:
    python scripts/inspect_dataset.py ./processed
    python scripts/inspect_dataset.py data/train.jsonl --rows 5
    python scripts/inspect_dataset.py ./processed --split train --expect-columns text,label
    python scripts/inspect_dataset.py data/train.parquet --json
"""

import argparse
import json
import os
import sys

FILE_BUILDERS = {
    ".csv": ("csv", {}),
    ".tsv": ("csv", {"sep": "\t"}),
    ".json": ("json", {}),
    ".jsonl": ("json", {}),
    ".parquet": ("parquet", {}),
    ".txt": ("text", {}),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Inspect a local Hugging Face dataset: splits, features, row counts, nulls and sample rows.",
        epilog="Exit status: 0 = all checks passed, 1 = a check failed, 2 = the path could not be loaded.",
    )
    parser.add_argument("path", help="save_to_disk directory or a .csv/.tsv/.json/.jsonl/.parquet/.txt file")
    parser.add_argument("--split", help="only inspect this split of a DatasetDict")
    parser.add_argument("--rows", type=int, default=3, help="number of sample rows to print per split (default: 3)")
    parser.add_argument(
        "--expect-columns",
        default="",
        help="comma-separated column names that must exist in every inspected split",
    )
    parser.add_argument(
        "--require-non-null",
        default="",
        help="comma-separated column names that must not contain null values",
    )
    parser.add_argument("--skip-null-counts", action="store_true", help="do not scan columns for nulls (faster on large data)")
    parser.add_argument("--max-chars", type=int, default=120, help="truncate printed values to this many characters (default: 120)")
    parser.add_argument("--cache-dir", help="cache directory used when a data file has to be converted to Arrow")
    parser.add_argument("--json", action="store_true", help="print one JSON report instead of text")
    return parser.parse_args(argv)


def load_local(path, cache_dir=None):
    """Return a dict mapping split name to Dataset, loaded without network access."""
    from datasets import Dataset, DatasetDict, load_dataset, load_from_disk

    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} does not exist")
    if os.path.isdir(path):
        loaded = load_from_disk(path)
    else:
        ext = os.path.splitext(path)[1].lower()
        if ext not in FILE_BUILDERS:
            raise ValueError(f"unsupported file extension {ext!r}; expected one of {sorted(FILE_BUILDERS)}")
        builder, kwargs = FILE_BUILDERS[ext]
        loaded = load_dataset(builder, data_files=path, split="train", cache_dir=cache_dir, **kwargs)
    if isinstance(loaded, DatasetDict):
        return dict(loaded)
    if isinstance(loaded, Dataset):
        return {"train": loaded}
    raise TypeError(f"unexpected object {type(loaded).__name__}")


def null_counts(ds):
    counts = {name: 0 for name in ds.column_names}
    for batch in ds.with_format("arrow").iter(batch_size=10_000):
        for name in counts:
            counts[name] += batch.column(name).null_count
    return counts


def shorten(value, max_chars):
    text = repr(value)
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."


def describe_split(name, ds, args):
    info = {
        "split": name,
        "num_rows": ds.num_rows,
        "columns": ds.column_names,
        "features": {col: repr(feat) for col, feat in ds.features.items()},
        "sample": [],
        "problems": [],
    }
    for row in ds.select(range(min(args.rows, ds.num_rows))):
        info["sample"].append({k: shorten(v, args.max_chars) for k, v in row.items()})
    if ds.num_rows == 0:
        info["problems"].append("split is empty")
    expected = [c.strip() for c in args.expect_columns.split(",") if c.strip()]
    missing = [c for c in expected if c not in ds.column_names]
    if missing:
        info["problems"].append(f"missing columns: {missing}")
    if not args.skip_null_counts:
        info["null_counts"] = null_counts(ds)
        for col in (c.strip() for c in args.require_non_null.split(",") if c.strip()):
            if info["null_counts"].get(col, 0) > 0:
                info["problems"].append(f"column {col!r} has {info['null_counts'][col]} null values")
    return info


def print_text(reports):
    for info in reports:
        print(f"== split: {info['split']} ({info['num_rows']} rows)")
        print("features:")
        for col, feat in info["features"].items():
            nulls = info.get("null_counts", {}).get(col)
            suffix = f"  nulls={nulls}" if nulls is not None else ""
            print(f"  {col}: {feat}{suffix}")
        for i, row in enumerate(info["sample"]):
            print(f"row {i}: " + ", ".join(f"{k}={v}" for k, v in row.items()))
        for problem in info["problems"]:
            print(f"PROBLEM: {problem}")


def main(argv=None):
    args = parse_args(argv)
    if args.rows < 0:
        print("error: --rows must be >= 0", file=sys.stderr)
        return 2
    try:
        splits = load_local(args.path, cache_dir=args.cache_dir)
    except Exception as exc:  # report any loading failure as exit code 2
        print(f"error: could not load {args.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.split:
        if args.split not in splits:
            print(f"error: split {args.split!r} not found; available: {sorted(splits)}", file=sys.stderr)
            return 2
        splits = {args.split: splits[args.split]}

    reports = [describe_split(name, ds, args) for name, ds in splits.items()]
    if args.json:
        print(json.dumps({"path": args.path, "splits": reports}, indent=2, default=str))
    else:
        print_text(reports)
    failed = any(info["problems"] for info in reports)
    if not args.json:
        print("RESULT: " + ("FAIL" if failed else "OK"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
