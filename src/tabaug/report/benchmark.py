"""The benchmark's results in tables, figures and sentences: where does each method help?

:func:`write_report` turns the per-split results of
:func:`tabaug.experiments.benchmark.run_benchmark` into files (the statistics of
:mod:`tabaug.stats.across_tables`) and returns the sentences it found. The statistics across data
sets use the binary tables (each counts once); multi-class tables are reported per table, since
their F1 is a macro F1 and they have no tuned threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import tabaug.report.figures as figures
import tabaug.stats.across_tables as stats
from tabaug.experiments.evaluate import failures
from tabaug.experiments.methods import NO_AUGMENTATION
from tabaug.metrics import metric_label
from tabaug.report.sentences import conclusions, hierarchical_sentences, moderator_sentences
from tabaug.stats.across_tables import (
    TUNED,
    arms,
    bayesian_signed_rank,
    dataset_means,
    friedman_ranks,
    wilcoxon_against_reference,
)
from tabaug.stats.hierarchical import (
    hierarchical_against_reference,
    on_rope_scale,
    origin_tables,
    rope_for,
)
from tabaug.stats.moderators import MULTIPLICITY_PLAN, PRIMARY_METRIC, moderator_analysis

__all__ = [
    "across_datasets", "against_tuned_reference", "BANDS", "BenchmarkReport", "binary_results",
    "calibration_sentences", "calibration_summary", "failure_sentences", "FIGURE_METRICS",
    "HIERARCHICAL_METRICS", "METRICS", "write_report",
]

#: The metrics reported; the first three also get figures (ranking and outcome by band).
METRICS = ["pr_auc", "log_loss", "f1", "roc_auc", "brier", "ece",
           "sensitivity_at_95_specificity", "mcc"]
FIGURE_METRICS = METRICS[:3]
#: The metrics of the hierarchical Bayesian test on per-split results: the primary metric and
#: the proper score (each test is about a second per arm and classifier).
HIERARCHICAL_METRICS = (PRIMARY_METRIC, "log_loss")
#: Banding of the outcomes: by imbalance ratio, by size, and per classifier.
BANDS = ("imbalance", "size")


@dataclass
class BenchmarkReport:
    """What :func:`write_report` found: the tables it wrote and its sentences, by metric."""

    per_dataset: pd.DataFrame
    wilcoxon: pd.DataFrame
    bayes: pd.DataFrame
    ranks: pd.DataFrame
    conclusions: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    failures: pd.DataFrame = field(default_factory=pd.DataFrame)
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    hierarchical: pd.DataFrame = field(default_factory=pd.DataFrame)
    moderators: pd.DataFrame = field(default_factory=pd.DataFrame)

    def key_conclusions(self) -> list:
        """The methods that failed on a table, then the sentences on the key metrics
        (:data:`FIGURE_METRICS`), in their order, then the hierarchical test, the moderators
        and the calibration of each classifier."""
        return [*self.conclusions.get("failures", []),
                *(text for metric in FIGURE_METRICS for text in self.conclusions.get(metric, [])),
                *(text for key in ("hierarchical", "moderators", "calibration")
                  for text in self.conclusions.get(key, []))]


def failure_sentences(failed: pd.DataFrame) -> list:
    """One sentence per method that failed on some tables (a sampler that could not resample
    them, a recalibration whose folds the setting could not fit), naming them."""
    sentences = []
    for method, rows in failed.groupby("method", sort=False, observed=True):
        tables = ", ".join(f"{row.dataset} ({row.failed_splits} of {row.splits} splits)"
                           for row in rows.itertuples())
        sentences.append(
            f"{method} failed on {len(rows)} table{'s' * (len(rows) > 1)}: {tables} "
            f"({rows['error'].iloc[0]}). Its results there are missing, and the tests across "
            "tables leave those tables out for it; failures.csv has each message.")
    return sentences


def calibration_summary(results: pd.DataFrame) -> pd.DataFrame:
    """How calibrated each arm's probabilities of the class of interest are, across the
    two-class tables: the calibration intercept and slope
    (:func:`tabaug.metrics.calibration_intercept_slope`) of each table's median split, then
    their median and quartiles over tables.

    Medians, because on a test split with a few positives the slope is wild (and missing when
    the classes are perfectly separated); each table counts once.

    Parameters
    ----------
    results : DataFrame
        Rows of the benchmark, with ``calibration_intercept`` and ``calibration_slope``.

    Returns
    -------
    DataFrame
        One row per (classifier, method): ``tables`` with a value, and the median, first and
        third quartile of the intercept and of the slope.

    Examples
    --------
    >>> import pandas as pd
    >>> from tabaug.report.benchmark import calibration_summary
    >>> results = pd.DataFrame({
    ...     "dataset": ["a", "a", "b", "b"] * 2, "split": [0, 1] * 4, "classes": 2,
    ...     "classifier": "LR", "method": ["No augmentation"] * 4 + ["SMOTE"] * 4,
    ...     "calibration_intercept": [0.1, -0.1, 0.2, 0.0, -1.0, -1.2, -0.8, -0.6],
    ...     "calibration_slope": [1.0, 1.2, 0.9, 1.1, 0.7, 0.9, 0.8, 0.6]})
    >>> calibration_summary(results)[["method", "tables", "intercept", "slope"]]
                method  tables  intercept  slope
    0  No augmentation       2       0.05   1.05
    1            SMOTE       2      -0.90   0.75
    """
    binary = binary_results(results)
    keys = ["classifier", "method"]
    per_table = (binary.groupby([*keys, "dataset"], observed=True, sort=False)
                 [["calibration_intercept", "calibration_slope"]].median().reset_index())
    rows = []
    for (classifier, method), group in per_table.groupby(keys, observed=True, sort=False):
        row = {"classifier": classifier, "method": method,
               "tables": int(group["calibration_intercept"].notna().sum())}
        for column, name in (("calibration_intercept", "intercept"),
                             ("calibration_slope", "slope")):
            values = group[column].dropna()
            row[name] = values.median()
            row[f"{name}_q1"], row[f"{name}_q3"] = values.quantile([0.25, 0.75]).tolist()
        rows.append(row)
    return pd.DataFrame(rows)


def calibration_sentences(summary: pd.DataFrame) -> list:
    """One sentence per classifier from :func:`calibration_summary`."""
    sentences = []
    for classifier, rows in summary.groupby("classifier", observed=True, sort=False):
        parts = "; ".join(
            f"{row.method} {row.intercept:+.2f} ({row.intercept_q1:+.2f} to "
            f"{row.intercept_q3:+.2f}) and {row.slope:.2f} ({row.slope_q1:.2f} to "
            f"{row.slope_q3:.2f})" for row in rows.itertuples())
        sentences.append(
            f"Calibration of {classifier}'s probabilities of the class of interest, median over "
            f"{rows['tables'].max()} two-class tables of each table's median split (quartiles "
            "over tables), intercept and slope (0 and 1 are calibrated; a negative intercept "
            f"overstates the class's risk, a slope below 1 means too extreme): {parts}.")
    return sentences


def binary_results(results: pd.DataFrame) -> pd.DataFrame:
    """The rows of two-class tables: the statistics across data sets use these."""
    return results[results["classes"] == 2]


def write_report(results: pd.DataFrame, output_dir, profiles: pd.DataFrame | None = None,
                 metrics=METRICS, rope: float | None = None, seed: int = 0, *,
                 unit: str = "origin", origins=None,
                 hierarchical_metrics=HIERARCHICAL_METRICS) -> BenchmarkReport:
    """Write the per-data-set differences, the tests across data sets, the rankings and the
    figures to ``output_dir``; return them with the conclusions in words.

    The tests across tables follow :data:`tabaug.stats.moderators.MULTIPLICITY_PLAN` (written
    to ``multiplicity_plan.txt``): each origin of the tables counts once (``unit="origin"``:
    the tables cut from one data set are averaged first, :func:`~tabaug.stats.hierarchical.\
origin_means`; ``"dataset"`` counts every table); each metric is compared on the scale of
    its region of practical equivalence (:func:`~tabaug.stats.hierarchical.on_rope_scale`;
    ``rope=None``: :data:`~tabaug.stats.hierarchical.ROPES`, else this half-width for every
    metric); ``hierarchical_metrics`` get the hierarchical Bayesian test on per-split results
    (splits in tables in origins), and the primary metric an exploratory moderator analysis.
    ``origins``: table name -> origin (None: :data:`tabaug.data.datasets.ORIGINS`, any other
    table its own origin)."""
    output_dir = Path(output_dir)
    (output_dir / "figures").mkdir(parents=True, exist_ok=True)
    binary = binary_results(results)
    per_dataset, wilcoxon, bayes, ranks, files = [], [], [], [], []
    failed = failures(results)
    sentences = {"failures": failure_sentences(failed)} if len(failed) else {}
    for metric in metrics:
        per_dataset.append(stats.per_dataset_differences(results, metric, NO_AUGMENTATION))
        if binary["dataset"].nunique() < 2:
            sentences.setdefault(metric, []).append(
                f"{metric}: the tests across tables need at least two two-class tables, and "
                f"this run has {binary['dataset'].nunique()}; per_dataset.csv has each table's "
                "paired differences.")
            continue
        found = across_datasets(binary, metric, NO_AUGMENTATION, rope, seed=seed, unit=unit,
                                origins=origins)
        for classifier, parts in found.items():
            wilcoxon.append(parts["wilcoxon"].assign(metric=metric, classifier=classifier,
                                                     reference=NO_AUGMENTATION))
            bayes.append(parts["bayes"].assign(metric=metric, classifier=classifier,
                                               reference=NO_AUGMENTATION))
            if parts["friedman"] is not None:
                ranks.append(parts["friedman"].ranks.rename("mean_rank").reset_index().assign(
                    metric=metric, classifier=classifier,
                    friedman_p=parts["friedman"].p_value,
                    critical_difference=parts["friedman"].critical_difference))
                if metric in FIGURE_METRICS:
                    files.append(_critical_difference(parts["friedman"], metric, classifier,
                                                      output_dir))
            sentences.setdefault(metric, []).extend(parts["conclusions"])
        tuned = against_tuned_reference(binary, metric, NO_AUGMENTATION, rope, seed=seed,
                                        unit=unit, origins=origins)
        for classifier, parts in tuned.items():  # does a method add to a tuned threshold?
            reference = NO_AUGMENTATION + stats.TUNED
            wilcoxon.append(parts["wilcoxon"].assign(metric=metric, classifier=classifier,
                                                     reference=reference))
            bayes.append(parts["bayes"].assign(metric=metric, classifier=classifier,
                                               reference=reference))
            sentences.setdefault(metric, []).extend(parts["conclusions"])
    hierarchical, moderators = _hierarchical_and_moderators(
        binary, [m for m in hierarchical_metrics if m in metrics], origins, seed, sentences)
    calibration = (calibration_summary(results) if "calibration_intercept" in results
                   else pd.DataFrame())
    if len(calibration):
        sentences["calibration"] = calibration_sentences(calibration)
    report = BenchmarkReport(_concat(per_dataset), _concat(wilcoxon), _concat(bayes),
                             _concat(ranks), sentences, failures=failed,
                             calibration=calibration, hierarchical=hierarchical,
                             moderators=moderators)
    files += _outcome_figures(report.per_dataset, output_dir)
    files += _write_tables(report, profiles, output_dir)
    report.files = files
    return report


def _hierarchical_and_moderators(binary, metrics, origins, seed, sentences):
    """The hierarchical test of each metric and the primary metric's moderators, with their
    sentences (none with fewer than two two-class tables)."""
    if binary["dataset"].nunique() < 2:
        return pd.DataFrame(), pd.DataFrame()
    hierarchical = _concat([hierarchical_against_reference(binary, metric, NO_AUGMENTATION,
                                                           origins=origins, seed=seed)
                            for metric in metrics])
    if len(hierarchical):
        sentences["hierarchical"] = hierarchical_sentences(hierarchical)
    moderators = moderator_analysis(binary, PRIMARY_METRIC, NO_AUGMENTATION,
                                    origins=origins).coefficients
    sentences["moderators"] = moderator_sentences(moderators)
    return hierarchical, moderators


def _concat(frames) -> pd.DataFrame:
    frames = [frame for frame in frames if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _critical_difference(result, metric, classifier, output_dir) -> Path:
    path = output_dir / "figures" / f"critical_difference_{metric}_{classifier}.png"
    fig = figures.plot_critical_difference(
        result, path, f"{classifier}: mean rank on {metric_label(metric)} over "
                      f"{result.n_datasets} data sets (1 = best)")
    plt.close(fig)
    return path


def _outcome_figures(per_dataset, output_dir) -> list:
    """Win / tie / loss of each arm against no augmentation, by band and by classifier, and
    each data set's differences per classifier."""
    files = []
    for metric in FIGURE_METRICS:
        rows = per_dataset[per_dataset["metric"] == metric]
        if rows.empty:
            continue
        for classifier in pd.unique(rows["classifier"]):
            path = output_dir / "figures" / f"differences_{metric}_{classifier}.png"
            fig = figures.plot_dataset_differences(
                rows, classifier, path, f"{classifier}: {metric_label(metric)}, each "
                                        f"arm minus {NO_AUGMENTATION.lower()}, per data set")
            plt.close(fig)
            files.append(path)
        for by in (*BANDS, "classifier"):
            path = output_dir / "figures" / f"outcomes_{metric}_by_{by}.png"
            fig = figures.plot_outcomes(stats.outcome_by(rows, by), path,
                                      f"{metric_label(metric)} against "
                                      f"{NO_AUGMENTATION.lower()}, by {by}")
            plt.close(fig)
            files.append(path)
    return files


def _write_tables(report, profiles, output_dir) -> list:
    tables = {"per_dataset.csv": report.per_dataset, "wilcoxon.csv": report.wilcoxon,
              "bayesian.csv": report.bayes, "ranks.csv": report.ranks,
              "failures.csv": report.failures, "calibration.csv": report.calibration,
              "hierarchical.csv": report.hierarchical, "moderators.csv": report.moderators}
    if profiles is not None:
        tables["profiles.csv"] = profiles
    written = []
    for name, table in tables.items():
        table.to_csv(output_dir / name, index=False)
        written.append(output_dir / name)
    path = output_dir / "conclusions.json"
    path.write_text(json.dumps({"conclusions": report.conclusions}, indent=2) + "\n")
    plan = output_dir / "multiplicity_plan.txt"
    plan.write_text(MULTIPLICITY_PLAN + "\n")
    return written + [path, plan]


def _means(results, metric, unit, origins):
    """``{classifier: wide table}`` of origin or table means (index origin or dataset, columns
    arm) on the metric's ROPE scale, whether lower is better there, and its units."""
    if unit == "origin":
        return origin_tables(results, metric, origins)
    if unit != "dataset":
        raise ValueError(f"unit={unit!r}: count each 'origin' once (the default) or each "
                         "'dataset'.")
    frame, lower, units = on_rope_scale(results, metric)
    return dataset_means(arms(frame, metric)), lower, units


def across_datasets(results: pd.DataFrame, metric: str, reference: str,
                    rope: float | None = None, *, seed: int = 0, nsamples: int = 20000,
                    alpha: float = 0.05, unit: str = "origin", origins=None) -> dict:
    """For each classifier: the Wilcoxon table, the Bayesian table, Friedman's ranks (None when
    too few arms or data sets) and the sentences of :func:`conclusions`, on origin means
    (``unit="origin"``) or table means (``"dataset"``), on the metric's ROPE scale
    (:func:`~tabaug.stats.hierarchical.on_rope_scale`; ``rope=None``: its own ROPE)."""
    rope = rope_for(metric) if rope is None else rope
    tables, lower, units = _means(results, metric, unit, origins)
    word = "origins" if unit == "origin" else "data sets"
    out = {}
    for classifier, means in tables.items():
        wil = wilcoxon_against_reference(means, reference, lower, alpha)
        bayes = bayesian_signed_rank(means, reference, rope, lower, seed=seed,
                                     nsamples=nsamples)
        try:
            fried = friedman_ranks(means, lower, alpha)
        except ValueError:
            fried = None
        out[classifier] = {"means": means, "wilcoxon": wil, "bayes": bayes, "friedman": fried,
                           "conclusions": conclusions(metric, classifier, reference, wil, bayes,
                                                      fried, unit=word, units=units)}
    return out


def against_tuned_reference(results: pd.DataFrame, metric: str, reference: str,
                            rope: float | None = None, *, seed: int = 0, nsamples: int = 20000,
                            alpha: float = 0.05, unit: str = "origin", origins=None) -> dict:
    """Does a method add anything to tuning the threshold? For a metric with tuned arms (F1,
    MCC), each ``"<method> + tuned threshold"`` against ``"<reference> + tuned threshold"``:
    per classifier, the Wilcoxon and Bayesian tables and their sentences. Only tuned arms take
    part, so every arm has its threshold chosen the same way. Empty without tuned arms.
    ``unit``, ``origins`` and ``rope`` as in :func:`across_datasets`."""
    tuned_reference = reference + TUNED
    rope = rope_for(metric) if rope is None else rope
    tables, lower, units = _means(results, metric, unit, origins)
    word = "origins" if unit == "origin" else "data sets"
    out = {}
    for classifier, means in tables.items():
        tuned = means[[arm for arm in means.columns if arm.endswith(TUNED)]]
        if tuned_reference not in tuned.columns or tuned.shape[1] < 2:
            continue
        wil = wilcoxon_against_reference(tuned, tuned_reference, lower, alpha)
        bayes = bayesian_signed_rank(tuned, tuned_reference, rope, lower, seed=seed,
                                     nsamples=nsamples)
        out[classifier] = {"wilcoxon": wil, "bayes": bayes,
                           "conclusions": conclusions(metric, classifier, tuned_reference,
                                                      wil, bayes, unit=word, units=units)}
    return out
