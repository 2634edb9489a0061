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
    "differs", "hierarchical_sentences", "moderator_sentences",
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
                friedman: FriedmanResult | None = None, threshold: float = 0.95, *,
                unit: str = "data sets", units: str | None = None) -> list:
    """Short sentences computed from the tables: the arms Wilcoxon's test (after Holm's
    correction) finds better or worse than ``reference``, the Bayesian test's confident
    conclusions (posterior probability >= ``threshold``), and Friedman's ranking.

    ``unit`` names what the tests counted once ("data sets", or "origins" when the tables of
    one source were averaged first); ``units`` says what the metric's values were when they
    were rescaled (e.g. "log loss / no-skill log loss")."""
    name = metric_label(metric) if units in (None, metric) else (
        f"{metric} ({units}{', lower is better' if lower_is_better(metric) else ''})")
    sentences = _wilcoxon_sentences(name, classifier, reference, wilcoxon_table, unit)
    if bayes_table is not None:
        sentences.append(_bayes_sentence(classifier, reference, bayes_table, threshold, unit))
    if friedman is not None:
        sentences.append(_friedman_sentence(classifier, friedman, unit))
    return sentences


def _datasets(n, unit="data sets") -> str:
    counts = sorted(set(int(v) for v in n if v > 0)) or [0]
    return f"{counts[0]} {unit}" if len(counts) == 1 else \
        f"{counts[0]}-{counts[-1]} {unit}"


def _wilcoxon_sentences(name, classifier, reference, table, unit="data sets") -> list:
    n = _datasets(table["n_datasets"], unit)
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
                f"{'; '.join(_arm_counts(row, True, unit) for row in rows.itertuples())}.")
    rest = table[table["verdict"] == "no evidence"]
    if len(rest):
        sentences.append(f"No evidence either way for "
                         f"{'; '.join(_arm_counts(row, False, unit) for row in rest.itertuples())}"
                         ".")
    return sentences


def _arm_counts(row, adjusted=False, unit="data sets") -> str:
    """'SMOTE (better on 3, worse on 15 of 22 data sets, median difference -0.012[, p])'."""
    p = f", adjusted p = {row.p_holm:.2g}" if adjusted else ""
    return (f"{row.arm} (better on {row.wins}, worse on {row.losses} of {row.n_datasets} "
            f"{unit}, median difference {row.median_difference:+.3f}{p})")


def _bayes_sentence(classifier, reference, table, threshold, unit="data sets") -> str:
    sides = {"p_arm_better": "better than", "p_equivalent": "practically equivalent to",
             "p_reference_better": "worse than"}
    rope = table["rope"].iloc[0] if len(table) else np.nan
    head = (f"With {classifier}, the Bayesian signed-rank test (ROPE ±{rope:g}, "
            f"{_datasets(table['n_datasets'], unit)})")
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


def _friedman_sentence(classifier, result: FriedmanResult, unit="data sets") -> str:
    best = result.ranks.index[0]
    close = [arm for arm in result.ranks.index[1:] if not result.differ(best, arm)]
    left = ""
    if result.left_out_arms or result.left_out_datasets:
        left = (f" Left out to keep complete blocks: arms "
                f"{', '.join(map(str, result.left_out_arms)) or 'none'}; {unit} "
                f"{', '.join(map(str, result.left_out_datasets)) or 'none'}.")
    return (f"With {classifier}, Friedman's test over {result.n_datasets} {unit} gives "
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


#: How a moderator's coefficient reads: the change of the gain ...
_TERMS = {"log_imbalance_ratio": "per e-fold of the imbalance ratio",
          "log_minority_rows": "per e-fold of the minority rows",
          "separability": "per unit of no augmentation's ROC AUC (separability)"}


def hierarchical_sentences(table: pd.DataFrame, reference: str = NO_AUGMENTATION,
                           threshold: float = 0.95) -> list:
    """One sentence per (metric, classifier) of
    :func:`tabaug.stats.hierarchical.hierarchical_against_reference`'s table: each arm's
    probabilities that it is worse than, practically equivalent to or better than
    ``reference`` on the next table, and the posterior mean difference with its 95% interval;
    the arms whose probability reaches ``threshold`` are named first.

    Parameters
    ----------
    table : DataFrame
        The hierarchical test's rows (``classifier``, ``arm``, ``metric``, ``units``, ``rope``,
        ``model``, ``p_*``, ``mean_difference``, ``ci_low``, ``ci_high``, ``excluded``).
    reference : str, default "No augmentation"
        The reference arm, for the words.
    threshold : float, default 0.95
        The posterior probability that makes a conclusion.

    Returns
    -------
    list of str
    """
    sentences = []
    for (metric, classifier), rows in table.groupby(["metric", "classifier"], sort=False):
        fitted = rows[rows["p_arm_better"].notna()]
        first = rows.iloc[0]
        units = "" if first["units"] == metric else f" ({first['units']})"
        head = (f"With {classifier}, the hierarchical Bayesian test on {metric}{units} "
                f"({first['model']}; ROPE ±{first['rope']:g}), for the next table")
        if fitted.empty:
            sentences.append(f"{head}: not fitted ({first['model']}).")
            continue
        words = {"p_arm_better": "better than", "p_equivalent": "practically equivalent to",
                 "p_reference_better": "worse than"}
        confident = [f"{words[column]} {reference}: " + ", ".join(
            f"{row['arm']} ({row[column]:.2f})" for _, row in fitted.iterrows()
            if row[column] >= threshold) for column in words
            if (fitted[column] >= threshold).any()]
        verdict = (f"with probability at least {threshold:g}, " + "; ".join(confident)
                   if confident else f"no arm reaches probability {threshold:g}")
        numbers = "; ".join(
            f"{row['arm']} {row['p_reference_better']:.2f} / {row['p_equivalent']:.2f} / "
            f"{row['p_arm_better']:.2f}, mean difference {row['mean_difference']:+.3f} "
            f"({row['ci_low']:+.3f} to {row['ci_high']:+.3f})" for _, row in fitted.iterrows())
        left = rows["excluded"].fillna("").ne("").sum()
        note = (f" Tables left out for {left} arm(s): hierarchical.csv says which and why."
                if left else "")
        sentences.append(f"{head}: {verdict}. Probabilities worse / equivalent / better, and "
                         f"the mean difference (arm minus {reference}, 95% interval): "
                         f"{numbers}.{note}")
    return sentences


def moderator_sentences(coefficients: pd.DataFrame, alpha: float = ALPHA) -> list:
    """Sentences of :func:`tabaug.stats.moderators.moderator_analysis`: for each arm, the
    moderators whose Holm-adjusted p is below ``alpha`` (labelled exploratory), or that none
    was found; arms that could not be fitted say why.

    Parameters
    ----------
    coefficients : DataFrame
        ``ModeratorAnalysis.coefficients``.
    alpha : float, default 0.05
        The level, on Holm-adjusted p-values within each arm's regression.

    Returns
    -------
    list of str
    """
    if coefficients.empty:
        return []
    metric, units = coefficients["metric"].iloc[0], coefficients["units"].iloc[0]
    of = "" if units == metric else f" ({units})"
    found, quiet, unfitted = [], [], []
    for arm, rows in coefficients.groupby("arm", sort=False):
        if rows["term"].isna().all():
            unfitted.append(f"{arm} ({rows['note'].iloc[0]})")
            continue
        terms = rows[(rows["term"] != "intercept") & (rows["p_holm"] < alpha)]
        if terms.empty:
            quiet.append(str(arm))
        for _, row in terms.iterrows():
            how = _TERMS.get(row["term"], row["term"].replace("classifier[", "with ")
                             .replace("]", " instead of the first classifier"))
            found.append(f"{arm}'s gain changes by {row['estimate']:+.3f} {how} (95% interval "
                         f"{row['ci_low']:+.3f} to {row['ci_high']:+.3f}, Holm-adjusted p = "
                         f"{row['p_holm']:.2g}, {int(row['n_origins'])} origins)")
    n = int(coefficients["n_origins"].max())
    head = (f"Exploratory moderator analysis of the gain over no augmentation in {metric}{of} "
            f"(log imbalance ratio, log minority rows, separability, classifier; standard "
            f"errors clustered by origin, up to {n} origins; Holm within each arm)")
    sentences = []
    if found:
        sentences.append(f"{head}: {'; '.join(found)}. To be confirmed on other tables.")
    if quiet:
        sentences.append(f"{head}: no dependence found for {', '.join(quiet)} (every "
                         f"Holm-adjusted p >= {alpha:g}).")
    if unfitted:
        sentences.append(f"{head}: not fitted for {'; '.join(unfitted)}.")
    return sentences
