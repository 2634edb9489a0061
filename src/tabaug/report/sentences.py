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
    """One plain sentence about a paired difference, written from its numbers.

    Parameters
    ----------
    row : namedtuple
        A row of :func:`~tabaug.experiments.study.paired_differences` (from ``itertuples``).

    Returns
    -------
    str
        The mean difference, its 95% interval, p-values and splits won and lost, then the
        verdict: better or worse after Holm's correction (:func:`differs`), no evidence of a
        difference, or an interval that excludes 0 only before the correction.

    Examples
    --------
    >>> from tabaug.report import describe_difference
    >>> import pandas as pd
    >>> differences = pd.DataFrame({  # as paired_differences gives them
    ...     "method": ["RO", "SMOTE"], "metric": "f1_1", "mean_difference": [0.041, -0.012],
    ...     "ci_low": [0.012, -0.05], "ci_high": [0.07, 0.026], "p_value": [0.01, 0.48],
    ...     "p_holm": [0.02, 0.48], "better": [8, 4], "equal": [0, 1], "worse": [2, 5]})
    >>> for row in differences.itertuples():
    ...     print(describe_difference(row))
    RO: f1_1 +0.041 on average (95% interval +0.012 to +0.070, p = 0.01, Holm-adjusted 0.02;
    better on 8, worse on 2 of 10 splits); better than no augmentation, also after Holm's
    correction for the methods compared.
    SMOTE: f1_1 -0.012 on average (95% interval -0.050 to +0.026, p = 0.48, Holm-adjusted
    0.48; better on 4, worse on 5 of 10 splits); the interval includes 0: no evidence of a
    difference.
    """
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
    Holm-adjusted p-value is below :data:`ALPHA`.

    Parameters
    ----------
    differences : DataFrame
        The table of :func:`~tabaug.experiments.study.paired_differences`.
    metric : str
        The metric the sentence is about.
    reference : str, default=NO_AUGMENTATION
        The method the differences are from, as the sentence names it.

    Returns
    -------
    str
        The methods above and below ``reference`` (better or worse, by the metric's
        direction) and how many do not differ.

    Examples
    --------
    >>> from tabaug.report import conclusion
    >>> import pandas as pd
    >>> differences = pd.DataFrame({  # as paired_differences gives them
    ...     "method": ["RO", "SMOTE"], "metric": "f1_1", "mean_difference": [0.041, -0.012],
    ...     "ci_low": [0.012, -0.05], "ci_high": [0.07, 0.026], "p_value": [0.01, 0.48],
    ...     "p_holm": [0.02, 0.48], "better": [8, 4], "equal": [0, 1], "worse": [2, 5]})
    >>> print(conclusion(differences, "f1_1"))
    f1_1, after Holm's correction for 2 comparisons: above no augmentation: RO (better); the
    other 1 method(s) do not differ.
    """
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
    ``python -m tabaug compare`` prints), from its paired differences.

    Parameters
    ----------
    comparison : Comparison
        What :func:`~tabaug.experiments.compare.compare_methods` measured.

    Returns
    -------
    list of str
        The :func:`conclusion` of each metric, in the order of ``comparison.metrics``.

    Examples
    --------
    A comparison typed in (:func:`~tabaug.experiments.compare.compare_methods` measures one):

    >>> from tabaug.experiments.compare import Comparison
    >>> from tabaug.report import comparison_conclusions
    >>> import pandas as pd
    >>> differences = pd.DataFrame({  # as paired_differences gives them
    ...     "method": ["RO", "SMOTE"], "metric": "f1_1", "mean_difference": [0.041, -0.012],
    ...     "ci_low": [0.012, -0.05], "ci_high": [0.07, 0.026], "p_value": [0.01, 0.48],
    ...     "p_holm": [0.02, 0.48], "better": [8, 4], "equal": [0, 1], "worse": [2, 5]})
    >>> comparison = Comparison(results=pd.DataFrame(), summary=pd.DataFrame(),
    ...                         differences=differences, metrics=["f1_1"])
    >>> comparison_conclusions(comparison)
    ["f1_1, after Holm's correction for 2 comparisons: above no augmentation: RO (better);
      the other 1 method(s) do not differ."]
    """
    return [conclusion(comparison.differences, metric) for metric in comparison.metrics]
