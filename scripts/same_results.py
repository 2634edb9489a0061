"""Do two runs of the notebooks give the same results? Compare the tables of two output folders.

Usage: python scripts/same_results.py BEFORE AFTER [--renamed OLD=NEW ...]

``BEFORE`` and ``AFTER`` are folders written by ``make run OUTPUT_DIR=...`` (on two commits, say,
before and after a change that must not change any result). Every CSV table (Table 1, notebook
06's per-split results, summaries and paired differences, notebook 07's fidelity tables, the
quick benchmark's per-split results and its statistics), the benchmark's conclusions, and the
GAN's generated rows are compared value for value. Columns that time the run (``*seconds``,
``*_s``) are left out: they measure the machine, not the method. Rows are compared in the
order of their key columns where a table has them (the benchmark's results file is written as
splits finish, in any order), and in messages (warnings, notes, errors) a module's dotted name
counts as the same word wherever the module moved (``utils.fidelity``, ``tabaug.fidelity.report``).
``--renamed 'repeated_*:GAN=paper-gan'`` compares a value ``GAN`` of BEFORE (a method's old
name) as ``paper-gan`` in the files whose path matches ``repeated_*`` (every file without the
``PATTERN:`` part). Columns AFTER adds (a new metric, say) are named in the line of the file, and
the columns both have are compared; a column AFTER lacks is a difference.

Prints one line per file and exits with status 1 when any file differs or is missing.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

#: Columns that measure the machine, not the method.
TIMING = re.compile(r"(seconds|_s|time)$")
#: Columns that identify a row, where present (the order of rows then does not count).
KEY = ["dataset", "classifier", "method", "ratio", "split", "seed"]
#: Columns of messages, and a module's dotted name inside them.
MESSAGES = ("warnings", "note", "error")
MODULE = re.compile(r"\b(utils|tabaug)(\.[a-z_]+)+\b")


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[[c for c in frame.columns if not TIMING.search(str(c))]]
    key = [c for c in KEY if c in frame.columns]
    if key:
        frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
    for column in MESSAGES:
        if column in frame.columns:
            frame[column] = frame[column].astype("string").str.replace(MODULE, "<module>",
                                                                        regex=True)
    return frame


def tables(folder: Path) -> list:
    """The result files of a run, relative to its folder."""
    files = [*folder.rglob("*.csv"), *folder.rglob("*.npz"), folder / "benchmark" /
             "conclusions.json"]
    return sorted(path.relative_to(folder) for path in files
                  if path.exists() and "checkpoints" not in path.parts)


def compare_csv(before: Path, after: Path, renamed=None) -> str | None:
    """None when equal, else what differs; "+" and the columns AFTER adds when the columns
    both have are equal."""
    old = pd.read_csv(before)
    if renamed:
        old = old.replace(renamed)
    old = old[[c for c in old.columns if not TIMING.search(str(c))]]
    new = pd.read_csv(after)
    new = new[[c for c in new.columns if not TIMING.search(str(c))]]
    added = [column for column in new.columns if column not in old.columns]
    missing = [column for column in old.columns if column not in new.columns]
    if missing:
        return f"columns missing after: {missing}"
    old, new = _normalized(old), _normalized(new[list(old.columns)])
    if old.shape != new.shape:
        return f"shape {old.shape} -> {new.shape}"
    try:
        pd.testing.assert_frame_equal(old, new, check_exact=True)
    except AssertionError as error:
        return str(error).splitlines()[0] + " " + " ".join(str(error).split())[-200:]
    return f"+{added}" if added else None


def compare_npz(before: Path, after: Path) -> str | None:
    old, new = np.load(before, allow_pickle=False), np.load(after, allow_pickle=False)
    if sorted(old.files) != sorted(new.files):
        return f"arrays differ: {sorted(set(old.files) ^ set(new.files))}"
    for name in old.files:
        if not np.array_equal(old[name], new[name]):
            return f"array {name} differs (largest gap {np.abs(old[name] - new[name]).max():.3g})"
    return None


def compare_json(before: Path, after: Path) -> str | None:
    return None if json.loads(before.read_text()) == json.loads(after.read_text()) else "differs"


def compare(before: Path, after: Path, renamed=None) -> dict:
    """File -> None (equal), "+[columns]" (equal, and AFTER adds these columns) or what
    differs, for every result file of either run. ``renamed``: (path pattern, old value,
    new value) triples."""
    found = {}
    for name in sorted(set(tables(before)) | set(tables(after))):
        old, new = before / name, after / name
        if not (old.exists() and new.exists()):
            found[name] = f"only in {'before' if old.exists() else 'after'}"
            continue
        check = {".csv": compare_csv, ".npz": compare_npz, ".json": compare_json}[name.suffix]
        if name.suffix == ".csv":
            found[name] = check(old, new, {value: renamed_value for pattern, value,
                                           renamed_value in renamed or []
                                           if fnmatch.fnmatch(str(name), pattern)})
        else:
            found[name] = check(old, new)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--renamed", action="append", default=[], metavar="[PATTERN:]OLD=NEW",
                        help="a value renamed between the runs (a method's name), in the files "
                             "whose path matches PATTERN (default: every file)")
    args = parser.parse_args(argv)
    renamed = []
    for rule in args.renamed:
        pattern, _, pair = rule.rpartition(":")
        renamed.append((pattern or "*", *pair.split("=", 1)))
    found = compare(args.before, args.after, renamed)
    if not found:
        print(f"No result files in {args.before} or {args.after}.")
        return 1
    same = {name: difference is None or difference.startswith("+")
            for name, difference in found.items()}
    for name, difference in found.items():
        print(f"{'same     ' if same[name] else 'DIFFERENT'} {name}"
              + ("" if difference is None else
                 f" (after adds columns {difference[1:]})" if same[name] else f": {difference}"))
    differing = sum(not equal for equal in same.values())
    print(f"{len(found) - differing} of {len(found)} files are the same.")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
