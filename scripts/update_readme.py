"""Write generated sections between markers: into README.md the notebook parameters (from the
notebooks and utils.parameters) and the results of a `make run` (Table 1, timings, the study,
the fidelity table); into docs/developers.md the figures of `make benchmark`.

Usage: python scripts/update_readme.py [--results DIR] [--parameters-only | --benchmark-only]
       python scripts/update_readme.py --speed results/speed.json   (after make speed)

The numbers in README's results section come from this script, never from typing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabaug.experiments.methods import NO_AUGMENTATION  # noqa: E402
from tabaug.fidelity.seeds import t_interval  # noqa: E402
from utils.paper import PAPER_TABLE1  # noqa: E402

START, END = "<!-- results:start -->", "<!-- results:end -->"
PARAMS_START, PARAMS_END = "<!-- parameters:start -->", "<!-- parameters:end -->"
STUDY_START, STUDY_END = "<!-- study:start -->", "<!-- study:end -->"
FIDELITY_START, FIDELITY_END = "<!-- fidelity:start -->", "<!-- fidelity:end -->"
TUNING_START, TUNING_END = "<!-- tuning:start -->", "<!-- tuning:end -->"
BENCHMARK_START, BENCHMARK_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
GENERATORS_START, GENERATORS_END = "<!-- generators:start -->", "<!-- generators:end -->"
TABLES_START, TABLES_END = "<!-- tables:start -->", "<!-- tables:end -->"
SPEED_START, SPEED_END = "<!-- speed:start -->", "<!-- speed:end -->"
#: The benchmark's key metrics in README, and the classifier whose ranking figure it shows.
TABLES_METRICS = ["pr_auc", "log_loss", "f1"]
FIDELITY_COLUMNS = ["updates", "train_seconds", "c2st_auc", "c2st_vs_train", "closer_share",
                    "closer_p_value", "mean_ks", "correlation_distance", "duplicate_fraction",
                    "variance_ratio", "dcr_ratio", "near_copy_fraction", "exact_copies"]
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
    n_positive = int(pd.read_csv(results / "split_summary.csv", index_col=0).loc["test"].iloc[-1])
    missed = ((1 - ours["recall_malignant"]) * n_positive).round().astype(int)
    parameters = {k: v for k, v in info["parameters"].items() if k != "output_dir"}
    return "\n".join([
        START,
        f"Measured with `make run` (default parameters"
        f"{', plus ' + str(parameters) if parameters else ''}) "
        f"on a {os.cpu_count()}-core {platform.machine()} machine without a GPU (how long it "
        "takes: **Time** above).",
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

    from tabaug.report.sentences import conclusion

    info = json.loads((results / "run_info.json").read_text())
    summary = pd.read_csv(results / "repeated_summary.csv")
    summary = summary[summary["metric"].isin(STUDY_METRICS)]
    summary["value"] = [f"{m:.3f} ({lo:.3f} to {hi:.3f})"
                        for m, lo, hi in zip(summary["mean"], summary["ci_low"],
                                             summary["ci_high"])]
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
        f"Measured with `make run` (preset {info['parameters'].get('preset', 'quick')!r}: "
        f"{n_splits} random splits, seeds {per_split['seed'].min()} to "
        f"{per_split['seed'].max()}, every method on the same splits). Mean and corrected 95% "
        "interval over the splits:",
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


def _how(results: Path) -> str:
    """How a notebook run was made, from scripts/run_notebooks.py's run_info.json."""
    import json

    info = results / "run_info.json"
    parameters = json.loads(info.read_text()).get("parameters", {}) if info.exists() else {}
    preset = parameters.get("preset")
    return "`make run`, defaults" if preset in (None, "quick") else f"`make run`, preset {preset!r}"


def held_out_lines(results: Path) -> list:
    """Notebook 07's verdicts against the real rows the generators never saw."""
    path = results / "fidelity_held_out.csv"
    if not path.exists():
        return []
    judged = pd.read_csv(path, index_col="source")
    table = pd.DataFrame({
        "C2ST vs held-out": judged["vs_held_out"].map("{:.3f}".format),
        "C2ST vs training": judged["vs_train"].map("{:.3f}".format),
        "nearest real row a training row": [
            f"{share:.2f} (expected {expected:.2f}, p = {p:.3f})" for share, expected, p in
            zip(judged["closer_share"], judged["closer_expected"], judged["closer_p_value"])],
        "membership AUC": judged["membership_auc"].map("{:.2f}".format),
        "realistic": judged["realistic"].map({True: "yes", False: "no"}),
        "not memorised": judged["not_memorised"].map({True: "yes", False: "no"}),
    }).reset_index()
    return ["", "The verdicts of that split: realistic when the two-sample test against the "
            "held-out rows is at most the target of 0.65 (real training rows against them "
            f"score {judged['real_vs_real'].iloc[0]:.3f}), memorising when more generated rows "
            "have a training row as their nearest real row than a permutation test allows "
            "(p < 0.05), and a distance-based membership-inference attack (0.5: no leak). One "
            "split and one seed per source: a perfect generator fails the memorisation test "
            "one time in twenty, and scores within a few hundredths of the 0.65 target go "
            "either way from run to run; the intervals over splits below say which verdicts "
            "hold.", "", markdown_table(table)]


def seed_lines(results: Path) -> list:
    """Notebook 07's generators on other splits: intervals of the held-out C2ST and the share
    of rows nearest to a training row, and the verdict of the interval."""
    by_seed = pd.read_csv(results / "fidelity_seeds.csv")
    if by_seed.empty:
        return ["", "No other split was checked (`fidelity_seeds` was empty)."]
    summary = pd.read_csv(results / "fidelity_seeds_summary.csv", index_col="source")
    seeds = ", ".join(str(seed) for seed in sorted(by_seed["seed"].unique()))
    table = pd.DataFrame({
        "splits": summary["splits"],
        "C2ST vs held-out [95% interval]": [
            f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in
            zip(summary["c2st_mean"], summary["c2st_low"], summary["c2st_high"])],
        "verdict": summary["verdict"],
        "nearest real row a training row": [
            f"{m:.2f} [{lo:.2f}, {hi:.2f}]" for m, lo, hi in
            zip(summary["closer_mean"], summary["closer_low"], summary["closer_high"])],
        "flagged memorising": summary["flagged_memorising"],
        "on target": [f"{hits} of {n}" for hits, n in zip(summary["on_target"],
                                                          summary["splits"])],
    }).reset_index()
    return ["", f"The generators below trained again on other random splits (seeds {seeds}), "
            "each with that split's seed, and judged against that split's held-out rows: the "
            "mean over the splits with its 95% t interval, and on how many splits the "
            "memorisation test flagged it. A verdict needs the whole interval on one side of "
            "the 0.65 target.", "", markdown_table(table)]


def fidelity_section(results: Path) -> str:
    """Notebook 07's fidelity table on the seed-42 split, its verdicts, and every generator on
    other splits with intervals."""
    import shutil

    report = pd.read_csv(results / "fidelity_report.csv", index_col="source")[FIDELITY_COLUMNS]
    counts = ["updates", "exact_copies"]
    table = report.copy()
    table[counts] = table[counts].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    table = table.map(lambda v: "" if isinstance(v, float) and pd.isna(v)
                      else (f"{v:.3f}" if isinstance(v, float) else v)).reset_index()
    lines = [FIDELITY_START, f"Measured by notebook 07 on the seed-42 split ({_how(results)}), "
             "every source making 106 rows from the 106 real malignant training rows, and "
             "judged against the 42 real malignant validation rows it never saw (`c2st_auc`, "
             "`mean_ks`, `correlation_distance`); `c2st_vs_train` is the same test against the "
             "training rows, and `closer_share` / `closer_p_value` the memorisation test. *Real "
             "held-out* are those 42 rows against the training rows: what real patients "
             "score.", "", markdown_table(table)]
    lines += held_out_lines(results)
    lines += seed_lines(results)
    figure = ROOT / "docs" / "figures" / "fidelity.png"
    figure.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(results / "figures" / "fidelity.png", figure)
    lines += ["", "![Two-sample test against held-out and training rows, and distance to the "
              "closest training row, per source](docs/figures/fidelity.png)", FIDELITY_END]
    return "\n".join(lines)


#: The generator benchmark's evaluation run that README's generator table reports, kept in the
#: repository (``python -m utils benchmark-generators --role evaluation --output-dir ...``).
GENERATORS_RUN = ROOT / "docs" / "results" / "generators-eval"
#: The reference every generator is compared with, and the model of issue 22's two other bars.
BASELINE, FOREST_FLOW = "gaussian-copula", "forest-flow"
#: Issue 22's target: the best GAN's mean score at most this far above the recommended one's.
GAN_MARGIN = 0.03
#: The benchmark run (``python -m utils benchmark``) of the generators on the evaluation tables
#: whose per-split rows README's downstream sentences report, kept in the repository.
DOWNSTREAM_RUN = ROOT / "docs" / "results" / "generators-downstream"
DOWNSTREAM_METRICS = ("log_loss", "pr_auc")


def _verdict(low: float, high: float) -> str:
    return "lower" if high < 0 else "higher" if low > 0 else "no difference found"


def _with_interval(mean: float, low: float, high: float, signed=False) -> str:
    if pd.isna(mean):
        return ""
    form = "{:+.3f}" if signed else "{:.3f}"
    if pd.isna(low):
        return form.format(mean)
    return f"{form.format(mean)} ({form.format(low)} to {form.format(high)})"


def generator_table(summary: pd.DataFrame, unit_seconds: float) -> pd.DataFrame:
    """README's generator table from :func:`summarize_generators`: scores with intervals, the
    memorisation gap, how often on target, and the median fit in seconds and in units of
    ``unit_seconds``."""
    table = pd.DataFrame({
        "origins (classes)": [f"{row.origins} ({row.tasks})" for row in summary.itertuples()],
        "held-out C2ST (95% interval)": [_with_interval(r.c2st_mean, r.c2st_low, r.c2st_high)
                                         for r in summary.itertuples()],
        "minus the copula (95% interval)": [
            _with_interval(r.diff_mean, r.diff_low, r.diff_high, signed=True)
            + ("" if pd.isna(r.diff_low) else f": {_verdict(r.diff_low, r.diff_high)}")
            for r in summary.itertuples()],
        "memorisation gap": summary["gap_mean"].map(
            lambda v: "" if pd.isna(v) else f"{v:+.3f}"),
        "on target": summary["on_target_share"].map(
            lambda v: "" if pd.isna(v) else f"{v:.0%}"),
        "fit (s, median)": summary["fit_s_median"].map(
            lambda v: "" if pd.isna(v) else f"{v:.2f}"),
        "fit (units, median)": (summary["fit_s_median"] / unit_seconds).map(
            lambda v: "" if pd.isna(v) else f"{v:.3f}"),
        "failed runs": summary["failed"].astype(int),
    }, index=summary.index)
    return table.reset_index()


def generator_sentences(results: pd.DataFrame, summary: pd.DataFrame,
                        unit_seconds: float) -> list:
    """What the evaluation run says, computed from it: the recommendation by the rule fixed
    before the run (:func:`recommend_generator`), the recommended generator against the
    copula and ForestFlow, and the best GAN against the recommended generator, each paired by
    origin with a 95% t interval."""
    from tabaug.experiments.generator_benchmark import (
        GAN_GENERATORS,
        REAL_ROWS,
        RECOMMENDATION_RULE,
        recommend_generator,
        summarize_generators,
    )

    generated = summary.drop(index=REAL_ROWS, errors="ignore")
    best = generated["c2st_mean"].idxmin()
    pick = recommend_generator(summary, reference=BASELINE)
    against_pick = summarize_generators(results, reference=pick)
    lines = [f"Lowest mean held-out score: `{best}` ({generated.loc[best, 'c2st_mean']:.3f}); "
             f"real held-out rows against the training rows score "
             f"{summary.loc[REAL_ROWS, 'c2st_mean']:.3f}, what two real samples of these sizes "
             "score."]
    rule = (f"The rule (fixed before the run: "
            f"{RECOMMENDATION_RULE.format(reference='the Gaussian copula')})")
    if pick == BASELINE:
        lines.append(
            f"{rule} keeps the Gaussian copula: no generator's interval lies "
            f"below it, and it fits in {summary.loc[BASELINE, 'fit_s_median']:.2f} s.")
    else:
        lines.append(
            f"{rule} recommends `{pick}`: minus the copula "
            f"{_difference(summary.loc[pick])}; median fit "
            f"{summary.loc[pick, 'fit_s_median']:.2f} s "
            f"({summary.loc[pick, 'fit_s_median'] / unit_seconds:.3f} units) against the "
            "copula's "
            f"{summary.loc[BASELINE, 'fit_s_median']:.2f} s.")
    if FOREST_FLOW in summary.index and pick != FOREST_FLOW:
        lines.append(f"`{pick}` minus `{FOREST_FLOW}`: "
                     f"{_difference(against_pick.loc[FOREST_FLOW], reverse=True)}.")
    gans = [name for name in GAN_GENERATORS if name in generated.index]
    if gans:
        gan = generated.loc[gans, "c2st_mean"].idxmin()
        row = against_pick.loc[gan]
        met = "met" if row["diff_mean"] <= GAN_MARGIN else "not met"
        sentence = (
            f"Best GAN: `{gan}` ({row['c2st_mean']:.3f}); minus `{pick}`: "
            f"{_with_interval(row['diff_mean'], row['diff_low'], row['diff_high'], True)} "
            f"over {int(row['origins'])} origins; the course's target (the best GAN's mean "
            f"within {GAN_MARGIN} of the recommended generator's) is {met}")
        if best not in (pick, gan):
            behind = summarize_generators(results, reference=best).loc[gan]
            sentence += (f"; minus the lowest mean, `{best}`: "
                         f"{_difference(behind)}")
        lines.append(sentence + ".")
    return lines


def _difference(row: pd.Series, reverse=False) -> str:
    """``row``'s paired difference from its summary's reference, "+d (low to high) over n
    origins: verdict"; ``reverse`` gives the reference minus the row's generator."""
    sign = -1 if reverse else 1
    mean, low, high = (sign * row[f"diff_{key}"] for key in ("mean", "low", "high"))
    low, high = min(low, high), max(low, high)
    return (f"{_with_interval(mean, low, high, True)} over {int(row['origins'])} origins: "
            f"{_verdict(low, high)}")


def downstream_lines(folder: Path = DOWNSTREAM_RUN, metrics=DOWNSTREAM_METRICS) -> list:
    """What the generators' rows do for a classifier: per metric and classifier, each arm minus
    no augmentation, on origin means (each origin counts once), with a 95% t interval over the
    origins and what it says."""
    from tabaug.report.benchmark import binary_results
    from tabaug.stats.hierarchical import REFERENCE, origin_tables

    every = pd.read_csv(folder / "results.csv")
    results = binary_results(every)  # the metrics relative to a no-skill score need 2 classes
    arms = [arm for arm in pd.unique(results["method"]) if arm != REFERENCE]
    lines = [f"Downstream (`python -m utils benchmark` on the {every['dataset'].nunique()} "
             f"evaluation tables, {every['split'].nunique()} random splits each, methods "
             f"{', '.join(arms)}, classifiers {', '.join(pd.unique(every['classifier']))}; "
             f"every per-split row kept in `{_shown(folder / 'results.csv')}`): each "
             "generator's rows added to the training rows' minority classes, the classifier "
             "tuned on the validation rows by log loss and scored once on the test rows; "
             f"below, the {results['dataset'].nunique()} two-class tables, each origin "
             "counted once."]
    for metric in metrics:
        tables, lower, units = origin_tables(results, metric)
        for classifier, wide in tables.items():
            parts = []
            for arm in [column for column in wide.columns if column != REFERENCE]:
                found = t_interval((wide[arm] - wide[REFERENCE]).dropna().to_numpy())
                better, worse = ((found["high"] < 0, found["low"] > 0) if lower
                                 else (found["low"] > 0, found["high"] < 0))
                verdict = "better" if better else "worse" if worse else "no difference found"
                parts.append(f"`{arm}` {found['mean']:+.3f} ({found['low']:+.3f} to "
                             f"{found['high']:+.3f}: {verdict})")
            lines.append(f"{classifier}, {units} minus no augmentation's, mean over "
                         f"{len(wide)} origins and 95% t interval: {'; '.join(parts)}.")
    return lines


def _shown(path: Path) -> str:
    """A path as README shows it: from the repository's root when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def generators_section(folder: Path = GENERATORS_RUN, downstream: Path | None = DOWNSTREAM_RUN
                       ) -> str:
    """README's generator table and recommendation, from the kept evaluation run, and what the
    generators' rows do for a classifier on the same tables (when that run is kept)."""
    from tabaug.experiments.generator_benchmark import REAL_ROWS, summarize_generators

    run = json.loads((folder / "run.json").read_text())
    results = pd.read_csv(folder / "results.csv")
    results = results[results["generator"].isin([REAL_ROWS, *run["generators"]])
                      & results["seed"].isin(run["seeds"])]
    summary = summarize_generators(results, reference=BASELINE)
    order = summary.drop(index=REAL_ROWS).sort_values("c2st_mean").index
    summary = summary.reindex([REAL_ROWS, *order])
    command = (f"python -m utils benchmark-generators --role {run['role']} --generators "
               f"{' '.join(run['generators'])} --seeds {' '.join(map(str, run['seeds']))} "
               f"--c2st-repeats {run['c2st_repeats']} --output-dir {_shown(folder)}")
    lines = [GENERATORS_START,
             f"Measured by `{command}` (every row kept in "
             f"`{_shown(folder / 'results.csv')}`): {run['tasks']} small classes "
             f"of {run['origins']} origins, the benchmark's evaluation tables, on which no "
             f"setting was chosen. On each seed a class's table is cut into stratified halves; "
             "each generator with its defaults learns the class from one half and makes as many "
             "rows, and a two-sample test (random forest, "
             f"{run['c2st_repeats']} x 5-fold) judges them against the class's rows of the "
             "other half (ROC AUC; 0.5: as good as new real rows). Means over origins (the "
             "tables cut from one population count once) with 95% t intervals; *minus the "
             "copula* is paired by origin. The memorisation gap is the score against the "
             "training rows minus against the held-out ones (below 0: closer to the rows it "
             "learned than to new ones); *on target*: the share of runs realistic (at most "
             "0.65) and not memorising. Fit: median seconds of `fit_resample` on one thread, "
             f"and in units (the paper's grid search once: {run['unit_seconds']:.2f} s on this "
             "machine, measured by the command that wrote the summary).", "",
             markdown_table(generator_table(summary, run["unit_seconds"])), ""]
    lines += [f"- {line}" for line in generator_sentences(results, summary,
                                                                    run["unit_seconds"])]
    if downstream is not None and (downstream / "results.csv").exists():
        lines += [f"- {line}" for line in downstream_lines(downstream)]
    return "\n".join([*lines, GENERATORS_END])


def benchmark_section(results: Path) -> str:
    """The figures printed by ``make benchmark`` (scripts/benchmark_gan.py)."""
    info = json.loads((results / "benchmark.json").read_text())
    rows = [[name, row["updates"], f"{row['first_epoch_s']:.2f}", f"{row['ms_per_update']:.2f}",
             f"{row['total_s']:.2f}"] for name, row in info["speed"].items()]
    table = markdown_table(pd.DataFrame(rows, columns=[
        "training", "updates", "first epoch (s)", "then ms per update", "total (s)"]))
    better = info["better_gan"]
    target = info["speed_target"]
    threads = (f", {info['intra_op_threads']} thread(s) per operation"
               if info.get("intra_op_threads") else "")
    met = info["speedup_per_update"] >= target
    speed = (
        f"- Compiled epochs make an update **{info['speedup_per_update']:.1f} times** faster "
        f"once running ({info['speedup_total']:.1f} times over the whole run); the target was "
        f"{target:.0f} times: {'met' if met else 'not met'}. The bare arithmetic of one "
        f"update (forward and backward passes {info['passes_ms_per_update']:.2f} ms, with "
        f"Adam's weight updates by TensorFlow's fused kernel {info['arithmetic_ms_per_update']:.2f}"
        f" ms) bounds what any training loop can reach here: at most "
        f"{info['speedup_bound']:.1f} times faster than the paper style.")
    return "\n".join([
        BENCHMARK_START,
        f"Measured with `make benchmark` on a {info['cpu_count']}-core machine without a GPU "
        f"(Keras {info['keras']}{threads}), the paper's architecture on the seed-{info['seed']} "
        "training malignant rows:", "", table, "",
        speed,
        f"- The better GAN (`WGAN_GP_SETTINGS`): {better['updates']} updates with "
        f"{better['critic_steps']} critic steps each in **{better['train_s']:.1f} s** of "
        f"training, C2ST ROC AUC {better['c2st_auc']:.3f}, distance ratio "
        f"{better['dcr_ratio']:.2f}: "
        f"{'' if better['on_target'] else 'NOT '}on target within "
        f"{info['time_target_s']:.0f} s.",
        BENCHMARK_END])


def tables_section(folder: Path, how: str, figures: Path = ROOT / "docs" / "figures") -> str:
    """The benchmark across tables (notebook 08 or ``python -m utils benchmark``) from its
    output ``folder``: the tables, each method against no augmentation on the key metrics,
    three figures (copied to ``figures``) and the conclusions printed by the code. ``how``
    says how it was run."""
    (results_file,) = sorted(folder.glob("results*.csv"))[:1]
    profiles = pd.read_csv(folder / "profiles.csv")
    wilcoxon = pd.read_csv(folder / "wilcoxon.csv")
    bayes = pd.read_csv(folder / "bayesian.csv")
    per_dataset = pd.read_csv(folder / "per_dataset.csv")
    classifiers = list(dict.fromkeys(per_dataset["classifier"]))
    results = pd.read_csv(results_file)  # the report's tables and classifiers only (a
    results = results[results["dataset"].isin(profiles["name"])  # notebook's exercises add
                      & results["classifier"].isin(classifiers)]  # rows of their own)
    shown = "HGB" if "HGB" in classifiers else classifiers[0]
    sentences = json.loads((folder / "conclusions.json").read_text())["conclusions"]
    binary = profiles[profiles["classes"] == 2]
    lines = [
        TABLES_START,
        f"{how}: {results['dataset'].nunique()} tables ({len(binary)} with two classes: "
        f"imbalance ratio {binary['imbalance ratio'].min():.1f} to "
        f"{binary['imbalance ratio'].max():.0f}, {binary['rows'].min()} to "
        f"{binary['rows'].max()} rows), {results['split'].nunique()} random splits each, "
        f"methods {', '.join(results['method'].unique())}, classifiers "
        f"{', '.join(results['classifier'].unique())}; {len(results)} result rows.",
        "",
        "<details><summary>The tables</summary>",
        "",
        markdown_table(profiles[["name", "rows", "categorical", "classes", "minority rows",
                                 "imbalance ratio", "separability"]].sort_values(
            "imbalance ratio")),
        "",
        "</details>",
        "",
    ]
    lines += outcome_tables(per_dataset, classifiers)
    lines += _figure(folder, figures, f"differences_pr_auc_{shown}",
                     f"Each method minus no augmentation on PR AUC with {shown}, per table")
    lines += [
        f"Across the tables: each method against no augmentation with {shown} over the "
        "two-class tables, each source counting once (its tables' means over the splits, "
        "averaged): sources where it is better / worse, median difference, Wilcoxon p-value "
        "after Holm's correction, and the Bayesian signed-rank test's probabilities that it is "
        "better, practically equivalent (within the metric's region of practical equivalence, "
        "`tabaug.stats.hierarchical.ROPES`) or worse (every classifier in `wilcoxon.csv` and "
        "`bayesian.csv`):", ""]
    table = wilcoxon.merge(bayes, on=["metric", "classifier", "reference", "arm"],
                           suffixes=("", "_b"))
    table = table[table["metric"].isin(TABLES_METRICS) & (table["classifier"] == shown)
                  & (table["reference"] == NO_AUGMENTATION)]
    rows = [[row.metric, row.arm, f"{row.wins} / {row.losses}",
             f"{row.median_difference:+.3f}", f"{row.p_holm:.2g}",
             f"{row.p_arm_better:.2f} / {row.p_equivalent:.2f} / {row.p_reference_better:.2f}"]
            for row in table.itertuples()]
    lines += [f"<details><summary>Each method against no augmentation with {shown}</summary>",
              "", markdown_table(pd.DataFrame(rows, columns=[
                  "metric", "method", "better / worse", "median difference", "Holm p",
                  "P(better / same / worse)"])), "", "</details>", ""]
    lines += _figure(folder, figures, f"critical_difference_pr_auc_{shown}",
                     f"Mean ranks on PR AUC with {shown}")
    lines += _figure(folder, figures, "outcomes_pr_auc_by_imbalance",
                     "Win / tie / loss on PR AUC by imbalance ratio")
    lines += ["What the tests say (printed by the code):", ""]
    lines += [f"- {text}" for key in ("failures", *TABLES_METRICS, "hierarchical",
                                       "calibration", "moderators")
              for text in sentences.get(key, [])]
    lines.append(TABLES_END)
    return "\n".join(lines)


#: The run of scripts/tuning_before_after.py that README's paragraph on the tuning reports.
TUNING_RUN = ROOT / "docs" / "results" / "tuning_before_after.json"


def tuning_section(path: Path = TUNING_RUN) -> str:
    """README's paragraph on the benchmark's tuning before and after issue 21, from the JSON of
    scripts/tuning_before_after.py: no augmentation's log loss, where it ranks, and each arm's
    log loss minus it, with a t interval over the tables and what the interval says."""
    run = json.loads(path.read_text())
    before, after = (run[name] for name in run if name != "settings")
    means = after["means"]

    def difference(d):
        return (f"{d['mean']:+.2f} ({d['low']:+.2f} to {d['high']:+.2f}: "
                f"{_verdict(d['low'], d['high'])})")

    differences = "; ".join(f"{arm} {difference(d)}"
                            for arm, d in after["log_loss_minus_reference"].items())
    intercepts = ", ".join(f"{arm} {values['calibration_intercept']:+.1f}"
                           for arm, values in means.items() if arm != NO_AUGMENTATION)
    return " ".join([
        TUNING_START,
        f"On the quick preset ({after['tables']} tables, {run['settings']['splits']} splits, "
        f"HistGradientBoosting; `scripts/tuning_before_after.py`, its output kept in "
        f"`{path.relative_to(ROOT)}`), choosing the setting by log loss over the practical "
        f"grid instead of by F1 over the paper's took no augmentation's mean log loss from "
        f"{before['means'][NO_AUGMENTATION]['log_loss']:.2f} to "
        f"{means[NO_AUGMENTATION]['log_loss']:.2f}: before, it was the lowest of the arms on "
        f"{before['reference_lowest']} of {before['tables']} tables and the highest on "
        f"{before['reference_highest']}; after, the lowest on {after['reference_lowest']} and "
        f"the highest on {after['reference_highest']}. After it, each arm's log loss minus no "
        f"augmentation's, mean over the tables and 95% t interval: {differences}. Mean "
        f"calibration intercepts after it (0 is calibrated; below 0, risks overestimated): "
        f"{NO_AUGMENTATION} {means[NO_AUGMENTATION]['calibration_intercept']:+.1f}, "
        f"{intercepts}.",
        TUNING_END])


#: Where the raw per-split results of the full benchmark are kept in the repository.
ARCHIVE = ROOT / "docs" / "results" / "benchmark-full"


def archive_results(folder: Path, archive: Path = ARCHIVE) -> Path:
    """Copy a benchmark run's per-split results (gzip-compressed, the same bytes for the same
    results) and its protocol into ``archive``, so that a reader can audit README's numbers:
    ``pandas.read_csv(archive / "results.csv.gz")``."""
    import gzip
    import shutil

    archive.mkdir(parents=True, exist_ok=True)
    target = archive / "results.csv.gz"
    with open(folder / "results.csv", "rb") as source, open(target, "wb") as raw:
        with gzip.GzipFile(filename="results.csv", mode="wb", fileobj=raw, mtime=0) as packed:
            shutil.copyfileobj(source, packed)
    shutil.copyfile(folder / "results.json", archive / "results.json")
    return target


def _figure(folder: Path, figures: Path, name: str, caption: str) -> list:
    """Markdown lines showing the report's figure ``name``, copied to ``figures`` as
    ``benchmark_<name>.png``; none when the report has no such figure."""
    import shutil

    source = folder / "figures" / f"{name}.png"
    if not source.exists():
        return []
    shutil.copyfile(source, figures / f"benchmark_{name}.png")
    return [f"![{caption}](docs/figures/benchmark_{name}.png)", ""]


def outcome_tables(per_dataset: pd.DataFrame, classifiers: list) -> list:
    """Markdown lines: per key metric, each method's wins / ties / losses against no
    augmentation over the tables (each table's corrected 95% interval), one column per
    classifier; the first metric shown, the others folded."""
    from tabaug.metrics import metric_label
    from tabaug.stats.across_tables import outcome_by

    splits = int(per_dataset["n_splits"].max())
    first = outcome_by(per_dataset[per_dataset["metric"] == TABLES_METRICS[0]], "classifier")
    ties = first["tie"].sum() / first[["win", "tie", "loss"]].to_numpy().sum()
    lines = ["Where each method helps and where it hurts: on each table, its mean difference "
             "from no augmentation over the splits and the corrected 95% interval give a win "
             "(the interval above no difference), a tie (no difference found) or a loss. With "
             f"{splits} splits per table, {ties:.0%} of the comparisons on "
             f"{metric_label(TABLES_METRICS[0])} are ties; the counts over the tables, by "
             "classifier (`per_dataset.csv` has every table, the figure below each table's "
             "difference):", ""]
    for number, metric in enumerate(TABLES_METRICS):
        counts = outcome_by(per_dataset[per_dataset["metric"] == metric], "classifier")
        if counts.empty:
            continue
        counts["cell"] = [f"{row.win} / {row.tie} / {row.loss}" for row in counts.itertuples()]
        table = (counts.pivot(index="arm", columns="group", values="cell")
                 .reindex(index=list(pd.unique(counts["arm"])),
                          columns=[c for c in classifiers if c in set(counts["group"])])
                 .fillna("–").reset_index())
        table.columns = ["method (wins / ties / losses)", *table.columns[1:]]
        caption = f"{metric_label(metric)}: wins / ties / losses over the tables"
        body = [markdown_table(table), ""]
        lines += ([f"**{caption}**", "", *body] if number == 0 else
                  [f"<details><summary>{caption}</summary>", "", *body, "</details>", ""])
    return lines


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


DEVELOPERS = ROOT / "docs" / "developers.md"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def speed_section(report: dict) -> str:
    """README's Time table, from ``make speed``'s JSON (scripts/speed_report.py)."""
    machine = report["machine"]
    units = report["unit_seconds"]
    lines = [SPEED_START,
             f"Measured with `make speed` on {report['date']}, on a {machine['cores']}-core "
             f"{machine['machine']} machine without a GPU, like Colab's free runtime; one unit "
             f"(`shared/tools/reference_speed.py`, the paper's grid search once) took "
             f"{min(units):.2f} to {max(units):.2f} s there, measured around each part.", "",
             "| what | time | units | budget |", "|---|---|---|---|"]
    for row in report["budgets"]:
        seconds = _seconds_of(report, row["what"])
        budget = "" if row["budget"] is None else f"{row['budget']}"
        verdict = "" if row["budget"] is None else (" (over)" if row["units"] > row["budget"]
                                                     else "")
        # A whole number, unless rounding would hide on which side of its budget it lies.
        near = row["budget"] is not None and abs(row["units"] - row["budget"]) < 0.5
        shown = f"{row['units']:.1f}" if near else f"{row['units']:.0f}"
        lines.append(f"| {row['what']} | {_minutes(seconds)} | {shown}{verdict} | {budget} |")
    tests = report.get("tests")
    if tests:
        lines += ["", f"`make test`: {tests['summary']}"]
    lines.append(SPEED_END)
    return "\n".join(lines)


def _seconds_of(report: dict, what: str) -> float:
    """Seconds of a row of :func:`speed_report.verdicts`, found by its label."""
    course = report.get("course", {})
    if what.startswith("make run"):
        return course["seconds"]
    if what == "notebooks 01-05":
        return course["01-05"]["seconds"]
    if what == "make test":
        return report["tests"]["seconds"]
    if what.startswith("python -m utils "):
        return report["library"][what.split()[3]]["seconds"]
    name, setting = what.split(", ", 1)
    if setting == "defaults":
        return course["notebooks"][name]["seconds"]
    return report["class"][name]["seconds"]


def notebook_time_lines(report: dict) -> dict:
    """Each timed notebook's measured line for its Time section: ``{name: sentence}``."""
    course, lines = report.get("course", {}), {}
    for name, timing in course.get("notebooks", {}).items():
        line = (f"Measured with `make speed` ({report['date']}, {report['machine']['cores']} "
                f"cores, no GPU): all cells took {_minutes(timing['seconds'])} "
                f"({timing['units']:.0f} units) with the default parameters")
        classroom = report.get("class", {}).get(name)
        if classroom:
            setting = ", ".join(f"`{k} = {v!r}`" for k, v in classroom["setting"].items())
            line += (f", and {_minutes(classroom['seconds'])} ({classroom['units']:.0f} units) "
                     f"in a fresh runtime with the class setting {setting}")
        lines[name] = line + ". One unit is the paper's grid search once (README, Time)."
    return lines


def update_notebook_times(report: dict) -> list:
    """Write :func:`notebook_time_lines` between the speed markers of each notebook's Time
    section (the jupytext .py; ``make sync`` then updates the .ipynb)."""
    changed = []
    for name, line in notebook_time_lines(report).items():
        path = ROOT / "notebooks" / f"{name}.py"
        text = path.read_text()
        if SPEED_START not in text:
            continue
        section = "\n# ".join([SPEED_START, *_wrap(line), SPEED_END])
        text = re.sub(re.escape(SPEED_START) + ".*?" + re.escape(SPEED_END), lambda _: section,
                      text, flags=re.S)
        path.write_text(text)
        changed.append(path)
    return changed


def write_speed(report: dict, readme: Path, text: str) -> int:
    """README's Time table and the notebooks' measured Time lines, from one speed report."""
    readme.write_text(replace_section(text, SPEED_START, SPEED_END, speed_section(report)))
    changed = update_notebook_times(report)
    if changed:  # keep each .ipynb paired with its .py
        subprocess.run([sys.executable, "-m", "jupytext", "--quiet", "--to", "ipynb", "--update",
                        *map(str, changed)], check=True)
    print(f"README.md and {len(changed)} notebooks updated (Time lines)")
    return 0


def _wrap(line: str, width: int = 96) -> list:
    import textwrap

    return textwrap.wrap(line, width=width, break_on_hyphens=False)


def replace_section(text: str, start: str, end: str, section: str, name="README.md") -> str:
    if start not in text or end not in text:
        raise SystemExit(f"{name} has no {start} ... {end} markers")
    return re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(ROOT / "results"))
    parser.add_argument("--parameters-only", action="store_true",
                        help="update the parameter table only")
    parser.add_argument("--benchmark-only", action="store_true",
                        help="update the speed section only, from the results' benchmark.json")
    parser.add_argument("--speed", type=Path, metavar="JSON",
                        help="update only the Time lines of README and the notebooks, from "
                             "make speed's JSON (results/speed.json)")
    args = parser.parse_args(argv)
    readme = ROOT / "README.md"
    text = readme.read_text()
    if args.speed:
        return write_speed(json.loads(args.speed.read_text()), readme, text)
    if args.benchmark_only or (not args.parameters_only
                               and (Path(args.results) / "benchmark.json").exists()):
        DEVELOPERS.write_text(replace_section(DEVELOPERS.read_text(), BENCHMARK_START,
                                              BENCHMARK_END, benchmark_section(Path(args.results)),
                                              name="docs/developers.md"))
        print("docs/developers.md updated (speed section)")
    elif not args.parameters_only:
        print("No benchmark.json in the results: run `make benchmark` to update the speed "
              "section of docs/developers.md.")
    if args.benchmark_only:
        return 0
    text = replace_section(text, PARAMS_START, PARAMS_END, parameters_section())
    if TUNING_RUN.exists():
        text = replace_section(text, TUNING_START, TUNING_END, tuning_section())
    if (GENERATORS_RUN / "run.json").exists():
        text = replace_section(text, GENERATORS_START, GENERATORS_END, generators_section())
    if not args.parameters_only:
        text = replace_section(text, START, END, results_section(Path(args.results)))
        text = replace_section(text, STUDY_START, STUDY_END, study_section(Path(args.results)))
        text = replace_section(text, FIDELITY_START, FIDELITY_END,
                               fidelity_section(Path(args.results)))
        full = Path(args.results) / "benchmark-full"
        if (full / "conclusions.json").exists():
            archived = archive_results(full)
            text = replace_section(text, TABLES_START, TABLES_END, tables_section(
                full, "Measured with `make full-benchmark` (`python -m utils benchmark --preset "
                      f"full`; every per-split result in `{archived.relative_to(ROOT)}`)"))
        elif (Path(args.results) / "benchmark" / "conclusions.json").exists():
            text = replace_section(text, TABLES_START, TABLES_END, tables_section(
                Path(args.results) / "benchmark",
                "Measured by notebook 08 in `make run` (its quick preset; the full benchmark "
                "has not been run into `results/benchmark-full` yet)"))
    readme.write_text(text)
    print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
