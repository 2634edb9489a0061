"""The benchmark's tuning before and after it chose settings by log loss (issue 21, item 1).

Usage: python scripts/tuning_before_after.py [--splits N] [--n-jobs N] [--json PATH]

README's paragraph on the change is written from the JSON kept in the repository
(``docs/results/tuning_before_after.json``; ``scripts/update_readme.py`` reads it).

Runs the quick preset's tables and methods with HistGradientBoosting twice, on the same
splits: once as the benchmark tuned before (the paper's grid, each setting chosen by the F1 of
the class of interest at 0.5 on the validation rows) and once with the benchmark's protocol of
today (:data:`tabaug.experiments.tuning.PRACTICAL_HGB_GRID`, settings chosen by log loss).
Prints, per arm, the mean log loss, PR AUC and calibration intercept and slope over tables and
splits, on how many tables no augmentation has the lowest and the highest mean log loss, and
each arm's log loss minus no augmentation's with a t interval over the tables:
resampling raised the log loss of a well-tuned model in the literature (van den Goorbergh et
al. 2022); a tuning that makes the reference worst is what this shows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from tabaug.data.datasets import load_benchmark_table
from tabaug.experiments.benchmark import presets, run_benchmark
from tabaug.experiments.classifiers import CLASSIFIERS, Classifier, hgb
from tabaug.experiments.methods import NO_AUGMENTATION
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.tuning import PAPER_PARAM_GRID
from tabaug.fidelity.seeds import t_interval

#: The two tunings compared: the benchmark's before (the paper's grid and F1) and now.
TUNINGS = {
    "before: paper's grid, F1": (Protocol(scoring=None, threshold_share=0),
                                 Classifier(hgb, PAPER_PARAM_GRID)),
    "after: practical grid, log loss": (Protocol(), CLASSIFIERS["HGB"]),
}
COLUMNS = ["log_loss", "pr_auc", "calibration_intercept", "calibration_slope"]


def summary(results: pd.DataFrame) -> dict:
    """Per arm, the means over tables and splits; and where no augmentation's log loss ranks."""
    means = results.groupby("method")[COLUMNS].mean()
    per_table = results.pivot_table(index="dataset", columns="method", values="log_loss")
    differences = {arm: {key: round(value, 3) for key, value in t_interval(
                        per_table[arm] - per_table[NO_AUGMENTATION]).items()}
                   for arm in per_table.columns if arm != NO_AUGMENTATION}
    return {
        "means": means.round(3).to_dict("index"),
        "tables": len(per_table),
        "reference_lowest": int((per_table.idxmin(axis=1) == NO_AUGMENTATION).sum()),
        "reference_highest": int((per_table.idxmax(axis=1) == NO_AUGMENTATION).sum()),
        "log_loss_minus_reference": differences,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    quick = presets()["quick"]
    parser.add_argument("--splits", type=int, default=quick.n_splits)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--json", type=Path, help="also write the summaries to this JSON file")
    args = parser.parse_args(argv)
    tables = [load_benchmark_table(name) for name in quick.datasets]
    out = {}
    for name, (protocol, classifier) in TUNINGS.items():
        began = time.perf_counter()
        results = run_benchmark(tables, methods=list(quick.methods),
                                classifiers={"HGB": classifier}, n_splits=args.splits,
                                protocol=protocol, n_jobs=args.n_jobs, progress=False)
        out[name] = {**summary(results), "seconds": round(time.perf_counter() - began, 1)}
        print(f"\n{name} ({out[name]['seconds']} s): means over {out[name]['tables']} tables "
              f"x {args.splits} splits")
        print(pd.DataFrame(out[name]["means"]).T.to_string())
        print(f"{NO_AUGMENTATION} has the lowest mean log loss on {out[name]['reference_lowest']}"
              f" of {out[name]['tables']} tables, the highest on "
              f"{out[name]['reference_highest']}.")
    if args.json:
        out["settings"] = {"tables": list(quick.datasets), "methods": list(quick.methods),
                           "splits": args.splits, "classifier": "HGB"}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    sys.exit(None if main() else 1)
