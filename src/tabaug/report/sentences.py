"""Results in words: each sentence is written from the numbers of a table of differences, with
its interval or p-value, so that no conclusion is typed by hand.

Within one table (notebook 06, ``compare``): :func:`describe_difference` and
:func:`conclusion`, on Holm-adjusted corrected p-values. Across tables (notebook 08, the
benchmark): :func:`conclusions`, from the Wilcoxon, Bayesian and Friedman tables of
:mod:`tabaug.stats.across_tables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tabaug.experiments.methods import NO_AUGMENTATION
from tabaug.metrics import lower_is_better, metric_label

if TYPE_CHECKING:
    from tabaug.stats.across_tables import FriedmanResult

__all__ = [
    "ALPHA", "comparison_conclusions", "conclusion", "conclusions", "describe_difference",
    "differs",
]


#: Significance level of the conclusions, on Holm-adjusted p-values.
ALPHA = 0.05


def differs(row) -> bool:
    """Whether a paired difference holds after Holm's correction over the methods compared
    (its own 95% interval then excludes 0 too)."""
    return bool(row.p_holm < ALPHA)


def describe_difference(row) -> str:
    """One plain sentence about a paired difference, written from its numbers."""
    lower = lower_is_better(row.metric)
    better = (row.mean_difference < 0) if lower else (row.mean_difference > 0)
    if differs(row):
        verdict = (f"{'better' if better else 'worse'} than {NO_AUGMENTATION.lower()}, also "
                   "after Holm's correction for the methods compared")
    elif row.ci_low <= 0 <= row.ci_high:
        verdict = "the interval includes 0: no evidence of a difference"
    else:
        verdict = ("the interval excludes 0, but not after Holm's correction for the methods "
                   "compared: no firm evidence of a difference")
    metric = f"{row.metric} (lower is better)" if lower else row.metric
    return (f"{row.method}: {metric} {row.mean_difference:+.3f} on average "
            f"(95% interval {row.ci_low:+.3f} to {row.ci_high:+.3f}, p = {row.p_value:.2f}, "
            f"Holm-adjusted {row.p_holm:.2f}; better on {row.better}, worse on {row.worse} of "
            f"{row.better + row.equal + row.worse} splits); {verdict}.")


def conclusion(differences, metric, reference=NO_AUGMENTATION) -> str:
    """A sentence on which methods differ from ``reference`` in ``metric``: those whose
    Holm-adjusted p-value is below :data:`ALPHA`."""
    rows = differences[differences["metric"] == metric]
    held = rows[rows.apply(differs, axis=1)] if len(rows) else rows
    above = list(held.loc[held["mean_difference"] > 0, "method"])
    below = list(held.loc[held["mean_difference"] < 0, "method"])
    lower = lower_is_better(metric)
    name = f"{metric} (lower is better)" if lower else metric
    family = f"Holm's correction for {len(rows)} comparisons"
    if not above and not below:
        return (f"{name}: no method differs from {reference.lower()} after {family} "
                f"(adjusted p >= {ALPHA}).")
    parts = []
    if above:
        parts.append(f"above {reference.lower()}: {', '.join(above)} "
                     f"({'worse' if lower else 'better'})")
    if below:
        parts.append(f"below {reference.lower()}: {', '.join(below)} "
                     f"({'better' if lower else 'worse'})")
    rest = len(rows) - len(above) - len(below)
    return (f"{name}, after {family}: {'; '.join(parts)}; the other {rest} method(s) do not "
            "differ.")


def conclusions(metric: str, classifier: str, reference: str, wilcoxon_table: pd.DataFrame,
                bayes_table: pd.DataFrame | None = None,
                friedman: FriedmanResult | None = None, threshold: float = 0.95) -> list:
    """Short sentences computed from the tables: the arms Wilcoxon's test (after Holm's
    correction) finds better or worse than ``reference``, the Bayesian test's confident
    conclusions (posterior probability >= ``threshold``), and Friedman's ranking."""
    sentences = _wilcoxon_sentences(metric, classifier, reference, wilcoxon_table)
    if bayes_table is not None:
        sentences.append(_bayes_sentence(classifier, reference, bayes_table, threshold))
    if friedman is not None:
        sentences.append(_friedman_sentence(classifier, friedman))
    return sentences


def _datasets(n) -> str:
    counts = sorted(set(int(v) for v in n if v > 0)) or [0]
    return f"{counts[0]} data sets" if len(counts) == 1 else \
        f"{counts[0]}-{counts[-1]} data sets"


def _wilcoxon_sentences(metric, classifier, reference, table) -> list:
    name, n = metric_label(metric), _datasets(table["n_datasets"])
    found = table[table["verdict"] != "no evidence"]
    if found.empty:
        return [f"With {classifier}, no arm differs from {reference} on {name} after Holm's "
                f"correction (Wilcoxon signed-rank, {n})."]
    sentences = []
    for verdict, verb in (("better", "beat"), ("worse", "lose to")):
        rows = table[table["verdict"] == verdict]
        if len(rows):
            sentences.append(
                f"With {classifier}, after Holm's correction (Wilcoxon signed-rank, {n}), these "
                f"arms {verb} {reference} on {name}: "
                f"{'; '.join(_arm_counts(row, adjusted=True) for row in rows.itertuples())}.")
    rest = table[table["verdict"] == "no evidence"]
    if len(rest):
        sentences.append(f"No evidence either way for "
                         f"{'; '.join(_arm_counts(row) for row in rest.itertuples())}.")
    return sentences


def _arm_counts(row, adjusted=False) -> str:
    """'SMOTE (better on 3, worse on 15 of 22 data sets, median difference -0.012[, p])'."""
    p = f", adjusted p = {row.p_holm:.2g}" if adjusted else ""
    return (f"{row.arm} (better on {row.wins}, worse on {row.losses} of {row.n_datasets} data "
            f"sets, median difference {row.median_difference:+.3f}{p})")


def _bayes_sentence(classifier, reference, table, threshold) -> str:
    sides = {"p_arm_better": "better than", "p_equivalent": "practically equivalent to",
             "p_reference_better": "worse than"}
    rope = table["rope"].iloc[0] if len(table) else np.nan
    head = (f"With {classifier}, the Bayesian signed-rank test (ROPE ±{rope:g}, "
            f"{_datasets(table['n_datasets'])})")
    parts = []
    for column, words in sides.items():
        confident = table[table[column] >= threshold]
        if len(confident):
            arms_text = ", ".join(f"{arm} ({p:.2f})" for arm, p in
                                  zip(confident["arm"], confident[column]))
            parts.append(f"{words} {reference}: {arms_text}")
    if not parts:
        return f"{head} reaches probability {threshold:g} for no arm."
    return f"{head}, with probability at least {threshold:g}: {'; '.join(parts)}."


def _friedman_sentence(classifier, result: FriedmanResult) -> str:
    best = result.ranks.index[0]
    close = [arm for arm in result.ranks.index[1:] if not result.differ(best, arm)]
    left = ""
    if result.left_out_arms or result.left_out_datasets:
        left = (f" Left out to keep complete blocks: arms "
                f"{', '.join(map(str, result.left_out_arms)) or 'none'}; data sets "
                f"{', '.join(map(str, result.left_out_datasets)) or 'none'}.")
    return (f"With {classifier}, Friedman's test over {result.n_datasets} data sets gives "
            f"p = {result.p_value:.2g}; best mean rank: {best} ({result.ranks.iloc[0]:.2f}); "
            f"within the Nemenyi critical difference ({result.critical_difference:.2f}) of it: "
            f"{', '.join(close) if close else 'no other arm'}.{left}")


def comparison_conclusions(comparison) -> list:
    """One sentence per metric of a :class:`~tabaug.experiments.compare.Comparison` (what
    ``python -m tabaug compare`` prints), from its paired differences."""
    return [conclusion(comparison.differences, metric) for metric in comparison.metrics]
