"""Write generated sections into README.md between markers: the notebook parameters (from the
notebooks and utils.parameters) and the results of a `make run` (Table 1 and timings).

Usage: python scripts/update_readme.py [--results DIR] [--parameters-only]

The numbers in README's results section come from this script, never from typing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.evaluation import PAPER_TABLE1  # noqa: E402

START, END = "<!-- results:start -->", "<!-- results:end -->"
PARAMS_START, PARAMS_END = "<!-- parameters:start -->", "<!-- parameters:end -->"
STUDY_START, STUDY_END = "<!-- study:start -->", "<!-- study:end -->"
STUDY_METRICS = ["f1_malignant", "recall_malignant", "roc_auc", "pr_auc", "brier",
                 "sensitivity_at_95_specificity"]


def markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(str(value) for value in row) + " |" for row in frame.to_numpy()]
    return "\n".join([header, rule, *rows])


def results_section(results: Path) -> str:
    ours = pd.read_csv(results / "table1.csv")
    info = json.loads((results / "run_info.json").read_text())
    paper = PAPER_TABLE1.assign(roc_auc="not reported")
    side = pd.concat([ours.assign(source="ours"), paper.assign(source="paper")])
    side["order"] = side["method"].map({m: i for i, m in enumerate(ours["method"])})
    side = side.sort_values(["order", "source"]).drop(columns="order")
    side = side[["method", "source", *[c for c in ours.columns if c != "method"]]]
    side = side.map(lambda v: f"{v:.3f}" if isinstance(v, float) else v)
    per_notebook = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in info["seconds"].items())
    total = info["total_seconds"]
    total_text = f"{total:.0f} seconds" if total < 120 else f"{total / 60:.1f} minutes"
    n_positive = int(pd.read_csv(results / "split_summary.csv", index_col=0).loc["test"].iloc[-1])
    missed = ((1 - ours["recall_malignant"]) * n_positive).round().astype(int)
    parameters = {k: v for k, v in info["parameters"].items() if k != "output_dir"}
    return "\n".join([
        START,
        f"Measured with `make run` (default parameters{', plus ' + str(parameters) if parameters else ''}) "
        f"on a {os.cpu_count()}-core {platform.machine()} machine without a GPU: "
        f"**{total_text}** for all notebooks ({per_notebook}), once `.venv/` exists.",
        "",
        f"On this test split the four methods miss between {missed.min()} and {missed.max()} of "
        f"its {n_positive} malignant patients.",
        "",
        markdown_table(side),
        "",
        "`balanced_accuracy` is the paper's \"AUC\" column (computed from hard labels, it equals "
        "balanced accuracy); `roc_auc` is computed from predicted probabilities, which the paper "
        "did not report.",
        END,
    ])


def study_section(results: Path) -> str:
    """The repeated-split study of notebook 06: summary table, forest plot, conclusions."""
    import shutil

    from utils.study import conclusion

    info = json.loads((results / "run_info.json").read_text())
    summary = pd.read_csv(results / "repeated_summary.csv")
    summary = summary[summary["metric"].isin(STUDY_METRICS)]
    summary["value"] = [f"{m:.3f} ({lo:.3f} to {hi:.3f})"
                        for m, lo, hi in zip(summary["mean"], summary["ci_low"], summary["ci_high"])]
    methods = list(dict.fromkeys(summary["method"]))
    table = summary.pivot(index="method", columns="metric", values="value").reindex(methods)
    table = table[STUDY_METRICS].reset_index()
    per_split = pd.read_csv(results / "repeated_evaluation.csv")
    n_splits = int(per_split["split"].nunique())
    differences = pd.read_csv(results / "paired_differences.csv")
    sweep = pd.read_csv(results / "imbalance_sweep_differences.csv")
    figure = ROOT / "docs" / "figures" / "forest_plot.png"
    figure.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(results / "figures" / "forest_plot.png", figure)
    lines = [
        STUDY_START,
        f"Measured with `make run` (defaults: {n_splits} random splits, seeds "
        f"{per_split['seed'].min()} to {per_split['seed'].max()}, every method on the same "
        "splits): notebook 06 took "
        f"{info['seconds'].get('06_repeated_evaluation', float('nan')) / 60:.1f} minutes on "
        f"{os.cpu_count()} cores. Mean and corrected 95% interval over the splits:",
        "",
        markdown_table(table),
        "",
        "![Paired differences from no augmentation](docs/figures/forest_plot.png)",
        "",
        "What the paired differences say at the natural imbalance (printed by the code from the "
        "intervals):",
        "",
        *[f"- {conclusion(differences, metric)}" for metric in
          ["f1_malignant", "pr_auc", "sensitivity_at_95_specificity", "roc_auc", "brier"]],
        "",
        "And when the malignant training rows are made rarer (validation and test rows keep "
        "their natural mix):",
        "",
    ]
    for ratio, at_ratio in sweep.groupby("ratio", sort=False):
        if str(ratio) == "natural":
            continue
        lines.append(f"- {ratio} benign per malignant: "
                     + " ".join(conclusion(at_ratio, metric)
                                for metric in ["f1_malignant", "pr_auc"]))
    lines.append(STUDY_END)
    return "\n".join(lines)


def parameters_section() -> str:
    """A table of every notebook parameter: default, meaning, and the notebooks that take it."""
    import papermill as pm

    from utils.parameters import NOTEBOOK_PARAMETERS, PARAMETERS

    defaults, used_by = {}, {}
    for notebook in NOTEBOOK_PARAMETERS:
        declared = pm.inspect_notebook(str(ROOT / "notebooks" / f"{notebook}.ipynb"))
        for name, info in declared.items():
            defaults.setdefault(name, info["default"])
            used_by.setdefault(name, []).append(notebook[:2])
    rows = [[f"`{name}`", f"`{defaults[name]}`", spec.description,
             "all" if len(used_by[name]) == len(NOTEBOOK_PARAMETERS) else ", ".join(used_by[name])]
            for name, spec in PARAMETERS.items()]
    table = markdown_table(pd.DataFrame(rows, columns=["parameter", "default", "meaning",
                                                       "notebooks"]))
    return "\n".join([PARAMS_START, table, PARAMS_END])


def replace_section(text: str, start: str, end: str, section: str) -> str:
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} ... {end} markers")
    return re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(ROOT / "results"))
    parser.add_argument("--parameters-only", action="store_true",
                        help="update the parameter table only")
    args = parser.parse_args(argv)
    readme = ROOT / "README.md"
    text = replace_section(readme.read_text(), PARAMS_START, PARAMS_END, parameters_section())
    if not args.parameters_only:
        text = replace_section(text, START, END, results_section(Path(args.results)))
        text = replace_section(text, STUDY_START, STUDY_END, study_section(Path(args.results)))
    readme.write_text(text)
    print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
