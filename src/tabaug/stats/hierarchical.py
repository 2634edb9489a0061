"""Across tables, with each source of data counted once: origin means and a hierarchical
Bayesian test on per-split results.

The benchmark's binary tables are not independent evidence: 29 KEEL tables come from 17 data
sets (:data:`tabaug.data.datasets.ORIGINS`; yeast1 ... yeast6 are six cuts of one set of
proteins). This module offers two ways of counting an origin once:

- **origin means** (:func:`origin_means`, :func:`origin_tests`): each arm's per-table mean
  (over splits) is averaged over the tables of an origin, and the existing tests of
  :mod:`tabaug.stats.across_tables` (the Wilcoxon signed-rank test with Holm's correction and
  the Bayesian signed-rank test) run on the origins instead of the tables;
- **a hierarchical model** (:func:`hierarchical_t_test`, :func:`hierarchical_against_reference`)
  of the per-split differences: splits in tables in origins, after Corani, Benavoli, Demšar,
  Mangili and Zaffalon, "Statistical comparison of classifiers through Bayesian hierarchical
  modelling", Machine Learning 106, 2017 (baycomp's ``HierarchicalTest``), with the origin
  as a third level.

Why not baycomp's ``HierarchicalTest`` itself
---------------------------------------------
Measured on this project's 2-core machine (baycomp 1.0.3, pystan 3.10.0 / httpstan 4.13.0
installed in a scratch environment; 30 tables x 5 splits): pystan installs from wheels
(httpstan is 250 MB), but the first call compiles the Stan model with the C++ compiler (78 s)
and the call took 513 s in all; later calls reuse the compiled model and take 81 s at baycomp's
defaults (4 chains x 10,000 draws) and 39 s with 2,000 draws. The report runs hundreds of
comparisons (arms x classifiers x metrics). Stan's seed is not set by baycomp (its
``random_state`` only jitters constant tables), so two runs on the same data gave
P(arm better) = 0.61 and 0.57: not reproducible, hence no doctests. It also caches its last
fit in ``last-sample.pickle`` in the working directory, needs every table to have the same
number of splits, sets rho = 1/(scores per run), and replaces a table whose differences are
all equal by noise of mean 0 within the rope (erasing a constant non-zero difference). So the
same model is fitted here with NumPy and SciPy, by a Gibbs sampler (below), in about a second.

The model
---------
For table i (of origin o(i)) with J_i paired splits, the per-split gains x_ij (arm minus
reference, sign flipped for lower-is-better metrics, so > 0 means the arm is better) are

- x_i ~ MVN(delta_i 1, sigma_i^2 M(rho_i)), M = (1 - rho) I + rho 11': splits overlap, so their
  gains are correlated (Nadeau and Bengio, 2003). rho_i = r_i / (1 + r_i) from the test/train
  ratio r_i = n_test / n_train, the correlation that makes the single-table posterior variance
  (1/J + r) s^2, as in :func:`tabaug.stats.intervals.corrected_t_interval`; baycomp's
  rho = 1/k for k-fold cross-validation is the same n_test / (n_train + n_test);
- delta_i ~ Normal(theta_o(i), tau^2): tables of one origin scatter around the origin's gain
  (nested model only; tau = 0 otherwise, and then theta_o(i) = delta_i, baycomp's model);
- theta_o ~ Student-t(nu, delta0, sigma0): origins scatter around the global gain delta0, with
  heavy tails so that one odd data set does not drag the rest;
- priors as baycomp's: sigma_i ~ Uniform(floor, inf) (baycomp: (0, 1000 s)), sigma0 and tau ~
  Uniform(0, 1000 max(sd of table means, mean within-table sd)), nu - 1 ~ Gamma(alpha, beta)
  with alpha ~ U(1, 2), beta ~ U(0.01, 0.1) (integrated out exactly), and delta0 flat (baycomp:
  uniform on +-the largest |difference|, a bound the posterior does not reach in practice).

Like baycomp, the gains are divided by their mean within-table standard deviation before
fitting (the bounds are relative to it) and the results multiplied back.
The floor on sigma_i (default ``rope / 10``) stands in for baycomp's noise: with all J
differences of a table equal, the posterior of sigma_i near 0 is improper.

It is fitted by a blocked Gibbs sampler, several chains at once as NumPy arrays: Student-t as
a scale mixture of normals; (sigma0, tau) by random-walk Metropolis on their logs with
delta0, the origin gains and the table gains integrated out (all Gaussian given the rest), then
delta0, theta and delta drawn from their exact conditionals (a valid marginal-then-conditional
block), sigma_i from its truncated inverse gamma, the mixture weights from their gammas, and
nu by Metropolis. Step sizes adapt during warm-up; the split-R-hat of delta0 is reported.

The output, as baycomp's, is about the gain on the **next** table: for each posterior draw,
the probabilities that a new table's gain is below -rope, within +-rope, above +rope (with
the origin level: a table of a new origin, whose gain is theta_new + table scatter). baycomp's
probabilities are the shares of draws in which each region is the most probable
(``p_reference_better``, ``p_equivalent``, ``p_arm_better``); the posterior predictive
probabilities, the means over draws, come beside them (``predictive_*``). The posterior mean
of delta0 and its 95% interval say how large the average gain is.

Nested or not
-------------
:func:`hierarchical_against_reference` makes the origin a level by default (``nested=True``):
it is the only way to use per-split results and count an origin once at the same time
(averaging the splits of yeast1 and yeast3 split by split would pair unrelated splits), and
its prediction is for a table from a new source, which is what a user with their own data
has. When every origin has one table, the nested model is the two-level one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from tabaug.data.datasets import ORIGINS
from tabaug.metrics import lower_is_better
from tabaug.stats.across_tables import (
    TUNED,
    arms,
    bayesian_signed_rank,
    dataset_means,
    wilcoxon_against_reference,
)

__all__ = [
    "HierarchicalResult", "IDEALS", "NO_SKILL", "hierarchical_against_reference",
    "hierarchical_t_test", "on_rope_scale", "origin_map", "origin_means", "origin_tables",
    "origin_tests", "REFERENCE", "rope_for", "ROPES", "simulated_results", "split_gains",
    "table_gains",
]

#: The reference arm of the benchmark (:data:`tabaug.experiments.methods.NO_AUGMENTATION`).
REFERENCE = "No augmentation"

#: Region of practical equivalence of each metric: half-width and why, on the scale of
#: :func:`on_rope_scale` (the metric itself unless said otherwise). A difference within
#: +-half-width is too small to matter to a user of the model.
ROPES = {
    "pr_auc": (0.01, "one point of average precision, the convention for accuracy-like "
                     "scores (Benavoli et al., 2017); below what a user would act on"),
    "roc_auc": (0.01, "one point of AUC, as PR AUC; with tens of minority test rows the "
                      "standard error of one AUC is already 0.02-0.03"),
    "balanced_accuracy": (0.01, "one point of the mean of the two recalls, as accuracy"),
    "sensitivity_at_95_specificity": (0.01, "one point of minority recall at a fixed "
                                            "specificity, as the AUCs"),
    "f1": (0.01, "one point of the minority class's F1, as the AUCs (F1 lies in [0, 1])"),
    "f1_tuned": (0.01, "as f1, at the threshold tuned on the validation rows"),
    "mcc": (0.02, "MCC lies in [-1, 1]: 0.02 is the same share of its range as 0.01 of F1's"),
    "mcc_tuned": (0.02, "as mcc, at the threshold tuned on the validation rows"),
    "log_loss": (0.01, "in units of the table's no-skill log loss (the entropy of its "
                       "prevalence, the loss of always predicting the prevalence): one point "
                       "of log-loss skill. A fixed number of nats would mean different things "
                       "on different tables: the no-skill loss is 0.65 nats at 35% prevalence "
                       "and 0.045 at 0.8%, so 0.01 nats would be 1.5% of the first and 22% of "
                       "the second"),
    "brier": (0.01, "in units of the table's no-skill Brier score p(1 - p): one point of "
                    "Brier skill. The no-skill score is 0.23 at 35% prevalence and 0.008 at "
                    "0.8%: an absolute 0.01 would call every method equivalent on the most "
                    "imbalanced tables"),
    "ece": (0.01, "one point of probability between predicted and observed frequencies; "
                  "top-label ECE is dominated by the majority class on imbalanced tables"),
    "calibration_intercept": (0.1, "distance |a| of the calibration intercept from 0, on the "
                                   "logit scale: 0.1 is a 10% change of the predicted odds "
                                   "(exp(0.1) = 1.105), less than its standard error with "
                                   "tens of minority test rows"),
    "calibration_slope": (0.1, "distance |b - 1| of the calibration slope from 1: "
                               "predictions 10% too extreme or too timid on the logit scale, "
                               "the usual tolerance around a slope of 1 (Van Calster et al., "
                               "2019, 'Calibration: the Achilles heel of predictive "
                               "analytics')"),
}

#: Metrics compared as a distance from their ideal value (lower is better): the raw calibration
#: intercept and slope have no better direction (a higher intercept is not better).
IDEALS = {"calibration_intercept": 0.0, "calibration_slope": 1.0}
#: Proper scores compared relative to the table's no-skill score (see :data:`ROPES`).
NO_SKILL = {"log_loss": "log loss / no-skill log loss", "brier": "Brier / no-skill Brier"}


def rope_for(metric: str) -> float:
    """The region of practical equivalence of ``metric`` (:data:`ROPES`), on the scale of
    :func:`on_rope_scale`.

    Parameters
    ----------
    metric : str
        A metric column of the results, e.g. ``"pr_auc"``, ``"log_loss"`` or ``"f1_tuned"``;
        ``sensitivity_at_<k>_specificity`` for any k.

    Returns
    -------
    float
        The half-width of the region.

    Raises
    ------
    ValueError
        For a metric without a justified ROPE; the message names the known ones.

    Examples
    --------
    >>> from tabaug.stats.hierarchical import ROPES, rope_for
    >>> rope_for("pr_auc"), rope_for("calibration_slope")
    (0.01, 0.1)
    >>> ROPES["log_loss"][1][:45]
    "in units of the table's no-skill log loss (th"
    """
    if metric.startswith("sensitivity_at_") and metric.endswith("_specificity"):
        return ROPES["sensitivity_at_95_specificity"][0]
    if metric not in ROPES:
        raise ValueError(f"no region of practical equivalence is set for {metric!r}; known: "
                         f"{sorted(ROPES)}. Pass rope=<half-width in the metric's units> "
                         "explicitly, with a reason, or add it to tabaug.stats.hierarchical."
                         "ROPES")
    return ROPES[metric][0]


def _entropy(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return -(p * np.log(p) + (1 - p) * np.log1p(-p))


def on_rope_scale(results: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, bool, str]:
    """The results with ``metric`` (and ``<metric>_tuned``) on the scale its ROPE is given on.

    The calibration intercept and slope become their distance from the ideal (``|a|``,
    ``|b - 1|``, lower is better); log loss and Brier score are divided by the table's
    no-skill score (the entropy of the prevalence, ``p(1 - p)``; prevalence =
    ``minority_rows / rows``), so that a difference is one of skill; every other metric is
    unchanged.

    Parameters
    ----------
    results : DataFrame
        Per-split results (one row per dataset, classifier, method and split).
    metric : str
        The metric column.

    Returns
    -------
    frame : DataFrame
        A copy of ``results`` with the metric's column(s) rescaled.
    lower_is_better : bool
        Whether lower values of the rescaled metric are better.
    units : str
        What the rescaled values are, in words.

    Raises
    ------
    ValueError
        If the metric is not a column, or log loss or Brier is asked for without ``rows`` and
        ``minority_rows`` or on a table of more than two classes.

    Examples
    --------
    >>> import pandas as pd
    >>> from tabaug.stats.hierarchical import on_rope_scale
    >>> results = pd.DataFrame({"calibration_slope": [0.8, 1.3]})
    >>> frame, lower, units = on_rope_scale(results, "calibration_slope")
    >>> frame["calibration_slope"].round(2).tolist(), lower, units
    ([0.2, 0.3], True, '|calibration_slope - 1|')
    """
    if metric not in results.columns:
        raise ValueError(f"{metric!r} is not a column of the results; metric columns are "
                         f"e.g. {[c for c in results.columns if c in ROPES]}")
    columns = [c for c in (metric, f"{metric}_tuned") if c in results.columns]
    frame = results.copy()
    if metric in IDEALS:
        ideal = IDEALS[metric]
        for column in columns:
            frame[column] = (frame[column] - ideal).abs()
        units = f"|{metric}{f' - {ideal:g}' if ideal else ''}|"
        return frame, True, units
    if metric in NO_SKILL:
        missing = [c for c in ("rows", "minority_rows") if c not in results.columns]
        if missing:
            raise ValueError(f"{metric} is compared relative to the table's no-skill score, "
                             f"which needs the columns {missing}; add the table facts "
                             "(tabaug.experiments results have them) or pass rope= in raw "
                             "units to the across_tables functions")
        if "classes" in results.columns and (results["classes"] > 2).any():
            raise ValueError(f"{metric} relative to a no-skill score is defined here for two "
                             "classes; select the binary tables first "
                             "(tabaug.report.benchmark.binary_results)")
        p = results["minority_rows"] / results["rows"]
        scale = _entropy(p) if metric == "log_loss" else p * (1 - p)
        for column in columns:
            frame[column] = frame[column] / scale
        return frame, True, NO_SKILL[metric]
    return frame, lower_is_better(metric), metric


# --- Origins ----------------------------------------------------------------------------------
def origin_map(datasets, origins=None, results: pd.DataFrame | None = None) -> dict:
    """The origin of each data set: ``origins`` (a dict or Series name -> origin), by default
    the results' ``origin`` column if they have one, else :data:`~tabaug.data.datasets.ORIGINS`;
    a name the mapping does not know is its own origin.

    Parameters
    ----------
    datasets : iterable of str
        The data sets' names.
    origins : dict or Series, optional
        Name -> origin.
    results : DataFrame, optional
        Results with ``dataset`` and ``origin`` columns, used when ``origins`` is None.

    Returns
    -------
    dict
        Name -> origin, for every name in ``datasets``.

    Examples
    --------
    >>> from tabaug.stats.hierarchical import origin_map
    >>> origin_map(["yeast1", "yeast3", "mine"])
    {'yeast1': 'Yeast', 'yeast3': 'Yeast', 'mine': 'mine'}
    """
    if origins is None:
        if results is not None and "origin" in results.columns:
            origins = results.groupby("dataset")["origin"].first()
        else:
            origins = ORIGINS
    if isinstance(origins, pd.Series):
        origins = origins.to_dict()
    return {name: str(origins.get(name, name)) for name in datasets}


def origin_means(results: pd.DataFrame, metric: str, origins=None) -> pd.DataFrame:
    """Per (classifier, origin, arm): the mean of the arm's table means over the tables of the
    origin, so that each origin counts once.

    Table means are :func:`~tabaug.stats.across_tables.dataset_means`' (over splits; NaN when
    the arm misses some of the table's splits). An origin's mean is NaN when the arm has no
    mean on one of the origin's tables (an average over other tables than the reference's
    would not be paired); ``missing`` names those tables. The metric is put on its ROPE's
    scale first (:func:`on_rope_scale`); ``attrs`` holds ``metric``, ``units`` and
    ``lower_is_better``.

    Parameters
    ----------
    results : DataFrame
        Per-split results.
    metric : str
        The metric column (with ``<metric>_tuned``, the tuned arms come too).
    origins : dict or Series, optional
        Name -> origin (:func:`origin_map`).

    Returns
    -------
    DataFrame
        Columns ``classifier``, ``origin``, ``arm``, ``value``, ``n_tables`` (tables of the
        origin with this classifier), ``tables`` and ``missing`` (comma-separated names).

    Examples
    --------
    Six yeast tables and one other, a gain of 0.05 everywhere: the origins are two.

    >>> from tabaug.stats.hierarchical import origin_means, simulated_results
    >>> results = simulated_results({"Yeast": 6, "Glass": 1}, effect=0.05, seed=0)
    >>> means = origin_means(results, "pr_auc")
    >>> means[means["arm"] == "Oversampler"][["origin", "n_tables"]].to_string(index=False)
    'origin  n_tables\\n Glass         1\\n Yeast         6'
    """
    frame, lower, units = on_rope_scale(results, metric)
    mapping = origin_map(results["dataset"].unique(), origins, results)
    rows = []
    for classifier, wide in dataset_means(arms(frame, metric)).items():
        origin = pd.Series([mapping[d] for d in wide.index], index=wide.index)
        for name, tables in wide.groupby(origin, sort=True):
            for arm in wide.columns:
                values = tables[arm]
                missing = list(values.index[values.isna()])
                rows.append({"classifier": classifier, "origin": name, "arm": arm,
                             "value": values.mean() if not missing else np.nan,
                             "n_tables": len(values), "tables": ", ".join(values.index),
                             "missing": ", ".join(missing)})
    table = pd.DataFrame(rows, columns=["classifier", "origin", "arm", "value", "n_tables",
                                        "tables", "missing"])
    table.attrs.update(metric=metric, units=units, lower_is_better=lower)
    return table


def origin_tables(results: pd.DataFrame, metric: str, origins=None) -> tuple[dict, bool, str]:
    """:func:`origin_means` as one wide table per classifier (index origin, columns arm, in the
    methods' order), the shape the tests of :mod:`~tabaug.stats.across_tables` take; with
    whether lower is better on the ROPE's scale, and its units."""
    means = origin_means(results, metric, origins)
    tables = {}
    for classifier, part in means.groupby("classifier", sort=False):
        wide = part.pivot(index="origin", columns="arm", values="value")
        wide = wide[list(pd.unique(part["arm"]))]
        wide.columns.name = "arm"
        tables[classifier] = wide
    return tables, means.attrs["lower_is_better"], means.attrs["units"]


def origin_tests(results: pd.DataFrame, metric: str, reference: str = REFERENCE, *,
                 origins=None, rope: float | None = None, alpha: float = 0.05, seed: int = 0,
                 nsamples: int = 20000) -> pd.DataFrame:
    """The Wilcoxon signed-rank test with Holm's correction and the Bayesian signed-rank test of
    :mod:`~tabaug.stats.across_tables`, on origin means (:func:`origin_means`) instead of
    table means: each arm against ``reference``, per classifier.

    Parameters
    ----------
    results : DataFrame
        Per-split results.
    metric : str
        The metric column.
    reference : str, default "No augmentation"
        The reference arm.
    origins : dict or Series, optional
        Name -> origin (:func:`origin_map`).
    rope : float, optional
        Region of practical equivalence of the Bayesian test, on the scale of
        :func:`on_rope_scale`; default :func:`rope_for` ``(metric)``.
    alpha : float, default 0.05
        Level of the Holm-adjusted Wilcoxon verdicts (family: the arms of one classifier).
    seed, nsamples : int
        The Bayesian test's sampling.

    Returns
    -------
    DataFrame
        Per (classifier, arm): ``n_origins`` (origins where both arms have a mean),
        ``missing`` (origins where one has none), the Wilcoxon columns of
        :func:`~tabaug.stats.across_tables.wilcoxon_against_reference` and the Bayesian ones of
        :func:`~tabaug.stats.across_tables.bayesian_signed_rank`, with ``units``.

    Examples
    --------
    >>> from tabaug.stats.hierarchical import origin_tests, simulated_results
    >>> results = simulated_results({f"o{k}": 2 for k in range(8)}, effect=0.05, seed=0)
    >>> table = origin_tests(results, "pr_auc", nsamples=2000)
    >>> table[["arm", "n_origins", "wins", "verdict"]].to_string(index=False)
    '        arm  n_origins  wins verdict\\nOversampler          8     8  better'
    """
    tables, lower, units = origin_tables(results, metric, origins)
    rope = rope_for(metric) if rope is None else float(rope)
    parts = []
    for classifier, wide in tables.items():
        wil = wilcoxon_against_reference(wide, reference, lower, alpha)
        bay = bayesian_signed_rank(wide, reference, rope, lower, seed=seed, nsamples=nsamples)
        merged = (wil.rename(columns={"n_datasets": "n_origins"})
                  .merge(bay.drop(columns="n_datasets"), on="arm", how="left"))
        merged.insert(0, "classifier", classifier)
        parts.append(merged)
    table = pd.concat(parts, ignore_index=True)
    table.insert(2, "metric", metric)
    table["units"] = units
    return table


# --- Paired per-split gains -------------------------------------------------------------------
def split_gains(results: pd.DataFrame, metric: str, reference: str = REFERENCE, *,
                origins=None, refit_on_validation: bool = False) -> pd.DataFrame:
    """Per (dataset, classifier, arm, split): the gain of the arm over ``reference`` on the same
    split, on the ROPE's scale (:func:`on_rope_scale`), signed so that > 0 means the arm is
    better; NaN where either has no value (a failed method), never dropped.

    Every arm run with a classifier gets a row for every split of every table run with that
    classifier, so an arm absent from a table is visible (``value`` NaN, ``error`` says why
    when the results have an ``error`` column).

    Parameters
    ----------
    results : DataFrame
        Per-split results.
    metric : str
        The metric column.
    reference : str, default "No augmentation"
        The reference arm (``"<method> + tuned threshold"`` for a tuned arm).
    origins : dict or Series, optional
        Name -> origin (:func:`origin_map`).
    refit_on_validation : bool, default False
        Whether the final model was fitted on the validation rows too (they then count as
        training rows in ``test_train_ratio``, as in
        :func:`~tabaug.stats.across_tables.per_dataset_differences`).

    Returns
    -------
    DataFrame
        Columns ``dataset``, ``origin``, ``classifier``, ``arm``, ``method``, ``split``,
        ``value``, ``reference_value``, ``gain``, ``test_train_ratio`` (``test_rows /
        train_rows``, NaN without those columns) and ``error``; ``attrs`` holds ``metric``,
        ``units``, ``lower_is_better`` and ``reference``.

    Raises
    ------
    ValueError
        If ``reference`` is not an arm of the results, or a (dataset, classifier, split, arm)
        repeats.

    Examples
    --------
    >>> from tabaug.stats.hierarchical import simulated_results, split_gains
    >>> results = simulated_results({"Yeast": 2}, effect=0.05, splits=3, seed=0)
    >>> gains = split_gains(results, "pr_auc")
    >>> len(gains), bool(gains["gain"].notna().all()), gains.attrs["units"]
    (6, True, 'pr_auc')
    """
    frame, lower, units = on_rope_scale(results, metric)
    keys = ["dataset", "classifier", "split", "method"]
    columns = [c for c in (metric, f"{metric}_tuned") if c in frame.columns]
    long = []
    for column in columns:
        part = frame[keys].copy()
        part["method"] = part["method"].astype(str)
        part["arm"] = part["method"] + ("" if column == metric else TUNED)
        part["value"] = frame[column].to_numpy(dtype=float)
        long.append(part)
    long = pd.concat(long, ignore_index=True)
    repeated = long.duplicated(["dataset", "classifier", "split", "arm"])
    if repeated.any():
        raise ValueError(f"{repeated.sum()} rows repeat a (dataset, classifier, split, arm); "
                         "select one setting (e.g. one imbalance ratio) first")
    if reference not in set(long["arm"]):
        raise ValueError(f"the reference {reference!r} is not among the arms "
                         f"{list(pd.unique(long['arm']))}")
    splits = frame[["dataset", "classifier", "split"]].drop_duplicates()
    arms_of = long[["classifier", "arm", "method"]].drop_duplicates()
    grid = splits.merge(arms_of, on="classifier")
    table = grid.merge(long, on=["dataset", "classifier", "split", "method", "arm"],
                       how="left")
    ref = (table[table["arm"] == reference][["dataset", "classifier", "split", "value"]]
           .rename(columns={"value": "reference_value"}))
    table = table[table["arm"] != reference].merge(ref, on=["dataset", "classifier", "split"],
                                                   how="left")
    difference = table["value"] - table["reference_value"]
    table["gain"] = -difference if lower else difference
    if {"test_rows", "train_rows"} <= set(frame.columns):
        train = frame["train_rows"] + (frame["validation_rows"] if refit_on_validation else 0)
        ratio = (frame["test_rows"] / train).groupby(
            [frame["dataset"], frame["classifier"], frame["split"]]).mean()
        table = table.join(ratio.rename("test_train_ratio"),
                           on=["dataset", "classifier", "split"])
    else:
        table["test_train_ratio"] = np.nan
    if "error" in frame.columns:
        errors = frame.assign(error=frame["error"].fillna("").astype(str))
        errors = errors[errors["error"] != ""].assign(method=lambda f: f["method"].astype(str))
        first = errors.groupby(["dataset", "classifier", "method"])["error"].first()
        table = table.join(first, on=["dataset", "classifier", "method"])
        table["error"] = table["error"].fillna("")
    else:
        table["error"] = ""
    mapping = origin_map(table["dataset"].unique(), origins, results)
    table.insert(1, "origin", table["dataset"].map(mapping))
    order = {arm: i for i, arm in enumerate(pd.unique(long["arm"]))}
    table = table.sort_values(["classifier", "arm", "dataset", "split"], kind="stable",
                              key=lambda c: c.map(order) if c.name == "arm" else c)
    table = table[["dataset", "origin", "classifier", "arm", "method", "split", "value",
                   "reference_value", "gain", "test_train_ratio", "error"]]
    table = table.reset_index(drop=True)
    table.attrs.update(metric=metric, units=units, lower_is_better=lower, reference=reference)
    return table


def _note(group: pd.DataFrame, reference: str) -> str:
    """What is missing from one (dataset, classifier, arm)'s splits, in words ("" if nothing)."""
    total = len(group)
    parts = []
    arm_missing = int(group["value"].isna().sum())
    ref_missing = int(group["reference_value"].isna().sum())
    if arm_missing:
        error = next((e for e in group["error"] if e), "")
        parts.append(f"{group['arm'].iloc[0]} has no value on {arm_missing} of {total} splits"
                     + (f" ({error})" if error else ""))
    if ref_missing:
        parts.append(f"{reference} has no value on {ref_missing} of {total} splits")
    paired = int(group["gain"].notna().sum())
    if parts:
        parts.append(f"gain over the {paired} paired splits" if paired else "no paired split")
    return "; ".join(parts)


def table_gains(results: pd.DataFrame, metric: str, reference: str = REFERENCE, *,
                origins=None, refit_on_validation: bool = False) -> pd.DataFrame:
    """Per (dataset, classifier, arm): the mean gain over the paired splits
    (:func:`split_gains`), how many splits were paired, what was missing, in words, and the
    table's facts.

    Parameters
    ----------
    results, metric, reference, origins, refit_on_validation
        As :func:`split_gains`.

    Returns
    -------
    DataFrame
        Columns ``dataset``, ``origin``, ``classifier``, ``arm``, ``gain`` (NaN without a
        paired split), ``n_splits`` (paired), ``splits`` (of the table), ``note`` ("" when
        every split is paired), ``test_train_ratio``, and where the results have them
        ``imbalance_ratio``, ``minority_rows`` and ``rows``. ``attrs`` as
        :func:`split_gains`'.

    Examples
    --------
    A method that failed on one of three splits of one table: said, not dropped.

    >>> import numpy as np
    >>> from tabaug.stats.hierarchical import simulated_results, table_gains
    >>> results = simulated_results({"Yeast": 2}, effect=0.05, splits=3, seed=0)
    >>> failed = (results["method"] == "Oversampler") & (results["split"] == 0) & (
    ...     results["dataset"] == "Yeast-1")
    >>> results.loc[failed, "pr_auc"] = np.nan
    >>> results.loc[failed, "error"] = "ValueError: too few neighbours"
    >>> gains = table_gains(results, "pr_auc")
    >>> print(gains.loc[gains["dataset"] == "Yeast-1", "note"].iloc[0])
    Oversampler has no value on 1 of 3 splits (ValueError: too few neighbours);
    gain over the 2 paired splits
    """
    per_split = split_gains(results, metric, reference, origins=origins,
                            refit_on_validation=refit_on_validation)
    keys = ["dataset", "origin", "classifier", "arm"]
    grouped = per_split.groupby(keys, sort=False)
    table = grouped.agg(gain=("gain", "mean"), n_splits=("gain", "count"),
                        splits=("split", "size"),
                        test_train_ratio=("test_train_ratio", "mean")).reset_index()
    notes = grouped[["arm", "value", "reference_value", "gain", "error"]].apply(
        _note, reference=reference)
    table["note"] = notes.to_numpy() if len(table) else []
    table = table[keys + ["gain", "n_splits", "splits", "note", "test_train_ratio"]]
    facts = [c for c in ("imbalance_ratio", "minority_rows", "rows") if c in results.columns]
    if facts:
        table = table.join(results.groupby("dataset")[facts].mean(), on="dataset")
    table.attrs.update(per_split.attrs)
    return table


# --- The hierarchical model -------------------------------------------------------------------
@dataclass
class HierarchicalResult:
    """What :func:`hierarchical_t_test` found, in gain units (> 0: the arm is better).

    ``p_*``: baycomp's probabilities, the share of posterior draws in which the next table's
    gain is most probably below -rope (reference better), within +-rope, or above +rope (arm
    better); ``predictive_*``: the posterior predictive probabilities of the same regions;
    ``mean_gain``, ``gain_low``, ``gain_high``: posterior mean and 95% interval of the global
    gain delta0; ``rhat``: split-R-hat of delta0 over the chains (near 1 when they agree);
    ``samples``: the draws of delta0, sigma0, tau and nu.
    """

    p_reference_better: float
    p_equivalent: float
    p_arm_better: float
    predictive_reference_better: float
    predictive_equivalent: float
    predictive_arm_better: float
    mean_gain: float
    gain_low: float
    gain_high: float
    rope: float
    n_tables: int
    n_origins: int
    n_splits: int
    model: str
    rhat: float
    samples: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def probs(self) -> tuple:
        """(P(reference better), P(equivalent), P(arm better)), baycomp's order."""
        return self.p_reference_better, self.p_equivalent, self.p_arm_better


#: Gauss-Legendre nodes and weights on [1, 2], for the prior of nu integrated over alpha.
_ALPHA, _ALPHA_W = np.polynomial.legendre.leggauss(16)
_ALPHA, _ALPHA_W = 1.5 + _ALPHA / 2, _ALPHA_W / 2
_BETA = (0.01, 0.1)


def _log_prior_nu(t):
    """log density of nu - 1 = t ~ Gamma(alpha, beta), alpha ~ U(1, 2), beta ~ U(0.01, 0.1)
    integrated out: (1/0.09) int alpha/t^2 [P(alpha+1, 0.1 t) - P(alpha+1, 0.01 t)] d alpha."""
    t = np.asarray(t, dtype=float)[..., None]
    a = _ALPHA + 1
    mass = special.gammaincc(a, _BETA[0] * t) - special.gammaincc(a, _BETA[1] * t)
    density = (_ALPHA_W * _ALPHA * mass).sum(-1) / t[..., 0] ** 2 / (_BETA[1] - _BETA[0])
    with np.errstate(divide="ignore"):
        return np.log(density)


def _split_rhat(chains: np.ndarray) -> float:
    """Split-R-hat (Gelman et al., BDA3) of draws shaped (chains, draws)."""
    half = chains.shape[1] // 2
    if half < 2:
        return np.nan
    parts = np.concatenate([chains[:, :half], chains[:, half:2 * half]])
    n = parts.shape[1]
    within = parts.var(axis=1, ddof=1).mean()
    between = n * parts.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else np.inf
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def _gibbs(xbar, ss, n, rho, group, n_groups, nested, floor, *, chains, warmup, draws, rng):
    """Draws of (delta0, sigma0, tau, nu), each (chains, draws), of the model of the module's
    docstring, on scaled data: table means ``xbar``, within-table sums of squares ``ss``,
    splits ``n``, correlations ``rho``, origin index ``group`` of each table."""
    q, C = len(xbar), chains
    c = 1 + (n - 1) * rho
    ss = ss / (1 - rho)
    shape = (n - 1) / 2
    onehot = np.zeros((q, n_groups))
    onehot[np.arange(q), group] = 1
    upper = 1000 * max(float(np.std(xbar)), 1.0)

    sigma2 = np.maximum(ss / np.maximum(n - 1, 1), floor ** 2) * rng.uniform(0.5, 2, (C, q))
    s2 = sigma2 * c / n
    sigma0 = (float(np.std(xbar)) + 0.1) * rng.uniform(0.5, 2, C)
    tau = 0.5 * sigma0 if nested else np.zeros(C)
    lam = np.ones((C, n_groups))
    t_nu = rng.uniform(2, 40, C)  # nu - 1

    def collapsed(tau, sigma0, s2, lam):
        v = tau[:, None] ** 2 + s2
        w = 1 / v
        P = w @ onehot
        theta_hat = ((w * xbar) @ onehot) / P
        resid = xbar - theta_hat[:, group]
        D = 1 / P + sigma0[:, None] ** 2 / lam
        W = (1 / D).sum(1)
        m = (theta_hat / D).sum(1) / W
        ll = (-0.5 * np.log(v).sum(1) - 0.5 * (resid ** 2 * w).sum(1) - 0.5 * np.log(P).sum(1)
              - 0.5 * np.log(D).sum(1) - 0.5 * np.log(W)
              - 0.5 * ((theta_hat - m[:, None]) ** 2 / D).sum(1))
        return ll, P, theta_hat, W, m

    def nu_target(t):
        h = (t + 1) / 2
        return (_log_prior_nu(t) + n_groups * (h * np.log(h) - special.gammaln(h))
                + (h - 1) * np.log(lam).sum(1) - h * lam.sum(1))

    steps = {"sigma0": np.full(C, 0.5), "tau": np.full(C, 0.5), "nu": np.full(C, 0.7)}
    accepted = {name: np.zeros(C) for name in steps}
    out = {name: np.empty((C, draws)) for name in ("delta0", "sigma0", "tau", "nu")}
    for sweep in range(warmup + draws):
        ll = collapsed(tau, sigma0, s2, lam)[0]
        for name in (("sigma0", "tau") if nested else ("sigma0",)):
            for _ in range(2):
                current = sigma0 if name == "sigma0" else tau
                proposal = current * np.exp(steps[name] * rng.standard_normal(C))
                ll_new = (collapsed(tau, proposal, s2, lam) if name == "sigma0"
                          else collapsed(proposal, sigma0, s2, lam))[0]
                accept = ((np.log(rng.uniform(size=C)) < ll_new - ll + np.log(proposal / current))
                          & (proposal < upper))
                current = np.where(accept, proposal, current)
                ll = np.where(accept, ll_new, ll)
                accepted[name] += accept
                if name == "sigma0":
                    sigma0 = current
                else:
                    tau = current
        _, P, theta_hat, W, m = collapsed(tau, sigma0, s2, lam)
        delta0 = m + rng.standard_normal(C) / np.sqrt(W)
        prior_prec = lam / sigma0[:, None] ** 2
        prec = P + prior_prec
        theta = ((P * theta_hat + prior_prec * delta0[:, None]) / prec
                 + rng.standard_normal((C, n_groups)) / np.sqrt(prec))
        if nested:
            prec = 1 / s2 + 1 / tau[:, None] ** 2
            delta = ((xbar / s2 + theta[:, group] / tau[:, None] ** 2) / prec
                     + rng.standard_normal((C, q)) / np.sqrt(prec))
        else:
            delta = theta[:, group]
        rate = (ss + n * (xbar - delta) ** 2 / c) / 2  # 1/sigma^2 ~ Gamma(shape, rate) <= 1/floor^2
        top = special.gammainc(shape, rate / floor ** 2)
        u = np.maximum(rng.uniform(size=(C, q)) * top, 1e-300)
        sigma2 = rate / np.maximum(special.gammaincinv(shape, u), 1e-300)
        s2 = sigma2 * c / n
        nu = t_nu + 1
        z2 = (theta - delta0[:, None]) ** 2 / sigma0[:, None] ** 2
        lam = rng.gamma((nu[:, None] + 1) / 2, 2 / (nu[:, None] + z2))
        target = nu_target(t_nu)
        for _ in range(2):
            proposal = t_nu * np.exp(steps["nu"] * rng.standard_normal(C))
            new = nu_target(proposal)
            # random walk on log(nu - 1): the Jacobian is proposal / t_nu
            accept = np.log(rng.uniform(size=C)) < new - target + np.log(proposal / t_nu)
            t_nu = np.where(accept, proposal, t_nu)
            target = np.where(accept, new, target)
            accepted["nu"] += accept
        if sweep < warmup and (sweep + 1) % 50 == 0:
            for name in steps:
                rate_ok = accepted[name] / 100
                steps[name] = steps[name] * np.exp(2 * (rate_ok - 0.44))
                accepted[name][:] = 0
        if sweep >= warmup:
            k = sweep - warmup
            out["delta0"][:, k], out["sigma0"][:, k] = delta0, sigma0
            out["tau"][:, k], out["nu"][:, k] = tau, t_nu + 1
    return out


def hierarchical_t_test(gains, tables, test_train_ratio, rope: float, *, origins=None,
                        chains: int = 4, warmup: int = 1000, draws: int = 1000, seed: int = 0,
                        sigma_floor: float | None = None) -> HierarchicalResult:
    """Corani et al.'s hierarchical Bayesian t-test on per-split gains, with an optional
    origin level (tables nested in origins): see the module's docstring for the model and how
    it differs from baycomp's ``HierarchicalTest``.

    Parameters
    ----------
    gains : array-like of shape (n,)
        One gain per (table, split): arm minus reference, signed so that > 0 means the arm is
        better. No NaN (drop unpaired splits first, and say so: :func:`split_gains`).
    tables : array-like of shape (n,)
        The table of each gain; at least 2 tables, each with at least 2 splits.
    test_train_ratio : float, array-like of shape (n,) or dict
        ``n_test / n_train`` of the splits (one value, one per gain, averaged by table, or
        table -> value; a Series counts as an array); the correlation of a table's splits
        is ``r / (1 + r)``.
    rope : float
        Half-width of the region of practical equivalence, in the gains' units.
    origins : array-like of shape (n,) or dict, optional
        The origin of each gain's table (or table -> origin). None, or one table per origin,
        gives baycomp's two-level model.
    chains, warmup, draws : int
        Chains run side by side, warm-up sweeps (discarded), and kept draws per chain.
    seed : int
        Seed of the sampler's ``numpy.random.Generator``; the result is reproducible.
    sigma_floor : float, optional
        Lower bound of a table's split-to-split standard deviation, in the gains' units;
        default ``rope / 10``.

    Returns
    -------
    HierarchicalResult

    Examples
    --------
    Eight tables in four origins, five splits each, the arm better by 0.05 everywhere:

    >>> import numpy as np
    >>> from tabaug.stats.hierarchical import hierarchical_t_test
    >>> rng = np.random.default_rng(0)
    >>> tables = np.repeat(np.arange(8), 5)
    >>> gains = 0.05 + rng.normal(0, 0.01, 8)[tables] + rng.normal(0, 0.02, 40)
    >>> result = hierarchical_t_test(gains, tables, 0.25, rope=0.01, origins=tables // 2,
    ...                              warmup=300, draws=300)
    >>> result.p_arm_better > 0.9, result.gain_low < 0.05 < result.gain_high, result.model
    (True, True, 'splits in tables in origins')
    """
    gains = np.asarray(gains, dtype=float)
    tables = np.asarray(tables)
    if gains.shape != tables.shape or gains.ndim != 1:
        raise ValueError("gains and tables must be 1-d arrays of the same length")
    if np.isnan(gains).any():
        raise ValueError("gains has NaN: drop the unpaired splits first, and report them")
    names, index = np.unique(tables, return_inverse=True)
    q = len(names)
    n = np.bincount(index, minlength=q).astype(float)
    if q < 2 or (n < 2).any():
        raise ValueError(f"the hierarchical test needs >= 2 tables with >= 2 splits each; got "
                         f"{q} tables with {dict(zip(names.tolist(), n.astype(int).tolist()))}"
                         " splits")
    ratio = _per_table(test_train_ratio, names, index, "test_train_ratio")
    if np.isnan(ratio).any() or (ratio <= 0).any():
        raise ValueError("test_train_ratio must be positive for every table")
    rho = ratio / (1 + ratio)
    if origins is None:
        group, n_groups = np.arange(q), q
    else:
        per_table = _per_table(origins, names, index, "origins", numeric=False)
        labels, group = np.unique(per_table.astype(str), return_inverse=True)
        n_groups = len(labels)
    nested = n_groups < q
    xbar = np.bincount(index, gains, q) / n
    ss = np.bincount(index, (gains - xbar[index]) ** 2, q)
    within = np.sqrt(ss / (n - 1))
    scale = float(within[within > 0].mean()) if (within > 0).any() else (rope or 1.0)
    floor = (rope / 10 if rope > 0 else 1e-3 * scale) if sigma_floor is None else sigma_floor
    rng = np.random.default_rng(seed)
    out = _gibbs(xbar / scale, ss / scale ** 2, n, rho, group, n_groups, nested,
                 floor / scale, chains=chains, warmup=warmup, draws=draws, rng=rng)
    delta0, sigma0, tau, nu = (out[k].ravel() for k in ("delta0", "sigma0", "tau", "nu"))
    r = rope / scale
    if nested:  # a table of a new origin: theta_new ~ t(nu, delta0, sigma0), plus tau scatter
        lam = rng.gamma(nu / 2, 2 / nu, size=(64, len(nu)))
        sd = np.sqrt(sigma0 ** 2 / lam + tau ** 2)
        left = stats.norm.cdf((-r - delta0) / sd).mean(0)
        right = stats.norm.cdf((delta0 - r) / sd).mean(0)
    else:
        left = stats.t.cdf(-r, nu, delta0, sigma0)
        right = stats.t.sf(r, nu, delta0, sigma0)
    regions = np.column_stack([left, np.clip(1 - left - right, 0, 1), right])
    winners = np.bincount(regions.argmax(1), minlength=3) / len(regions)
    predictive = regions.mean(0)
    low, high = np.quantile(delta0, [0.025, 0.975]) * scale
    samples = pd.DataFrame({"delta0": delta0 * scale, "sigma0": sigma0 * scale,
                            "tau": tau * scale, "nu": nu})
    return HierarchicalResult(
        p_reference_better=float(winners[0]), p_equivalent=float(winners[1]),
        p_arm_better=float(winners[2]), predictive_reference_better=float(predictive[0]),
        predictive_equivalent=float(predictive[1]), predictive_arm_better=float(predictive[2]),
        mean_gain=float(delta0.mean() * scale), gain_low=float(low), gain_high=float(high),
        rope=float(rope), n_tables=q, n_origins=n_groups, n_splits=len(gains),
        model="splits in tables in origins" if nested else "splits in tables",
        rhat=_split_rhat(out["delta0"]), samples=samples)


def _per_table(values, names, index, what, numeric=True):
    """One value per table from a scalar, a per-gain array (averaged, or the first label) or a
    dict table -> value."""
    if isinstance(values, dict):
        unknown = [name for name in names if name not in values]
        if unknown:
            raise ValueError(f"{what} has no value for the tables {unknown}")
        return np.array([values[name] for name in names],
                        dtype=float if numeric else object)
    if np.ndim(values) == 0:
        return np.full(len(names), float(values) if numeric else values,
                       dtype=float if numeric else object)
    values = np.asarray(values)
    if len(values) != len(index):
        raise ValueError(f"{what} must be one value, one per gain, or a dict table -> value")
    if numeric:
        return np.bincount(index, values.astype(float), len(names)) / np.bincount(index)
    first = {}
    for i, label in zip(index, values):
        first.setdefault(i, label)
    return np.array([first[i] for i in range(len(names))], dtype=object)


def hierarchical_against_reference(results: pd.DataFrame, metric: str,
                                   reference: str = REFERENCE, *, origins=None,
                                   rope: float | None = None, nested: bool = True,
                                   refit_on_validation: bool = False, classifiers=None,
                                   arm_names=None, chains: int = 4, warmup: int = 1000,
                                   draws: int = 1000, seed: int = 0) -> pd.DataFrame:
    """:func:`hierarchical_t_test` of each arm against ``reference``, per classifier, on the
    paired per-split gains of :func:`split_gains` (on the ROPE's scale).

    Unpaired splits (a failed method, a missing reference) are left out and tables with fewer
    than two paired splits are excluded; both are said in ``excluded``. With ``nested=True``
    (default) tables are nested in their origins and the probabilities are for a table of a
    new origin; ``nested=False`` is baycomp's two-level model over tables.

    Parameters
    ----------
    results : DataFrame
        Per-split results with ``test_rows`` and ``train_rows`` (for the splits' correlation).
    metric : str
        The metric column.
    reference : str, default "No augmentation"
        The reference arm.
    origins : dict or Series, optional
        Name -> origin (:func:`origin_map`).
    rope : float, optional
        Default :func:`rope_for` ``(metric)``, on the scale of :func:`on_rope_scale`.
    nested : bool, default True
        Tables nested in origins.
    refit_on_validation : bool, default False
        As :func:`split_gains`.
    classifiers, arm_names : list, optional
        Only these classifiers / arms (default: all).
    chains, warmup, draws, seed : int
        As :func:`hierarchical_t_test`.

    Returns
    -------
    DataFrame
        Per (classifier, arm): ``metric``, ``units``, ``rope``, ``model``, ``n_tables``,
        ``n_origins``, ``n_splits``, ``excluded`` (what was left out and why, "" if nothing),
        ``p_reference_better``, ``p_equivalent``, ``p_arm_better``, the ``predictive_*``
        probabilities, ``mean_difference``, ``ci_low``, ``ci_high`` (posterior mean and 95%
        interval of the global arm minus reference, in ``units``) and ``rhat``.

    Raises
    ------
    ValueError
        Without ``test_rows`` and ``train_rows``, or for an unknown metric without ``rope``.

    Examples
    --------
    No gain on 20 tables from 10 origins: practically equivalent on the next table.

    >>> from tabaug.stats.hierarchical import hierarchical_against_reference, simulated_results
    >>> results = simulated_results({f"o{k}": 2 for k in range(10)}, effect=0.0,
    ...                             spread=0.002, seed=1)
    >>> table = hierarchical_against_reference(results, "pr_auc", warmup=300, draws=300)
    >>> row = table.iloc[0]
    >>> row["arm"], int(row["n_tables"]), int(row["n_origins"]), row["model"]
    ('Oversampler', 20, 10, 'splits in tables in origins')
    >>> bool(row["p_equivalent"] > 0.9), bool(row["ci_low"] < 0 < row["ci_high"])
    (True, True)
    """
    rope = rope_for(metric) if rope is None else float(rope)
    per_split = split_gains(results, metric, reference, origins=origins,
                            refit_on_validation=refit_on_validation)
    if per_split["test_train_ratio"].isna().all():
        raise ValueError("the results need test_rows and train_rows for the correlation of "
                         "overlapping splits (rho = r / (1 + r), r = test_rows / train_rows)")
    lower, units = per_split.attrs["lower_is_better"], per_split.attrs["units"]
    rows = []
    for (classifier, arm), part in per_split.groupby(["classifier", "arm"], sort=False):
        if (classifiers is not None and classifier not in classifiers) or (
                arm_names is not None and arm not in arm_names):
            continue
        notes = []
        for dataset, table in part.groupby("dataset", sort=False):
            note = _note(table, reference)
            if table["gain"].notna().sum() < 2:
                notes.append(f"{dataset} excluded: {note or 'fewer than 2 splits'}")
            elif note:
                notes.append(f"{dataset}: {note}")
        used = part.dropna(subset=["gain"])
        used = used[used.groupby("dataset")["gain"].transform("count") >= 2]
        row = {"classifier": classifier, "arm": arm, "metric": metric, "units": units,
               "rope": rope, "excluded": "; ".join(notes)}
        if used["dataset"].nunique() < 2:
            row.update(model="not fitted: fewer than 2 tables", n_tables=used["dataset"].nunique(),
                       n_origins=used["origin"].nunique(), n_splits=len(used))
            rows.append(row)
            continue
        result = hierarchical_t_test(
            used["gain"], used["dataset"], used["test_train_ratio"].fillna(
                used["test_train_ratio"].mean()), rope,
            origins=used["origin"] if nested else None, chains=chains, warmup=warmup,
            draws=draws, seed=seed)
        sign = -1 if lower else 1
        low, high = sorted((sign * result.gain_low, sign * result.gain_high))
        row.update(model=result.model, n_tables=result.n_tables, n_origins=used[
            "origin"].nunique(), n_splits=result.n_splits,
            p_reference_better=result.p_reference_better, p_equivalent=result.p_equivalent,
            p_arm_better=result.p_arm_better,
            predictive_reference_better=result.predictive_reference_better,
            predictive_equivalent=result.predictive_equivalent,
            predictive_arm_better=result.predictive_arm_better,
            mean_difference=sign * result.mean_gain, ci_low=low, ci_high=high,
            rhat=result.rhat)
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "classifier", "arm", "metric", "units", "rope", "model", "n_tables", "n_origins",
        "n_splits", "excluded", "p_reference_better", "p_equivalent", "p_arm_better",
        "predictive_reference_better", "predictive_equivalent", "predictive_arm_better",
        "mean_difference", "ci_low", "ci_high", "rhat"])


# --- Simulated results ------------------------------------------------------------------------
def simulated_results(tables_per_origin: dict, effect: float = 0.05, *, spread: float = 0.01,
                      origin_spread: float = 0.0, noise: float = 0.02, splits: int = 5,
                      classifiers=("HGB",), method: str = "Oversampler",
                      slope: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Per-split results with a known gain, for examples and checks: tables named
    ``<origin>-<k>``, the reference arm and one ``method``, ``pr_auc`` and ``roc_auc``.

    The method's PR AUC gain on table i is ``effect + slope * (log(imbalance_ratio_i) -
    its mean over tables) + origin_effect + table_effect`` (origin effects ~ N(0,
    origin_spread), table effects ~ N(0, spread)), plus split noise of sd ``noise`` (shared
    partly by the two arms of one split, as real splits are).

    Parameters
    ----------
    tables_per_origin : dict
        Origin -> number of tables.
    effect : float
        The global gain.
    spread, origin_spread, noise : float
        Standard deviations of the table effects, origin effects and split noise.
    splits : int
        Splits per table (test rows are a third of the training rows).
    classifiers : tuple of str
        Classifiers (the same gains for each).
    method : str
        The name of the arm compared with "No augmentation".
    slope : float
        Gain per unit of log imbalance ratio (imbalance ratios from 1.5 to 100).
    seed : int
        Seed of the ``numpy.random.Generator``.

    Returns
    -------
    DataFrame
        Columns ``dataset``, ``origin`` (which :func:`origin_map` uses), ``classifier``,
        ``method``, ``split``, ``pr_auc``, ``roc_auc``, ``rows``, ``minority_rows``,
        ``imbalance_ratio``, ``train_rows``, ``validation_rows``, ``test_rows``, ``classes``,
        ``error``; ``attrs["origins"]``: table -> origin.

    Examples
    --------
    >>> from tabaug.stats.hierarchical import simulated_results
    >>> results = simulated_results({"Yeast": 2, "Glass": 1}, splits=2)
    >>> len(results), sorted(results["dataset"].unique())
    (12, ['Glass-1', 'Yeast-1', 'Yeast-2'])
    """
    rng = np.random.default_rng(seed)
    names = [(origin, f"{origin}-{k + 1}") for origin, count in tables_per_origin.items()
             for k in range(count)]
    sizes = rng.integers(300, 3000, len(names))
    wanted = np.exp(rng.uniform(np.log(1.5), np.log(100), len(names)))
    minority = np.maximum(np.round(sizes / (1 + wanted)), 10).astype(int)
    ratios = (sizes - minority) / minority
    centred = np.log(ratios) - np.log(ratios).mean()
    origin_effect = {o: rng.normal(0, origin_spread) if origin_spread else 0.0
                     for o in tables_per_origin}
    rows = []
    for (origin, name), size, small, ratio, x in zip(names, sizes, minority, ratios, centred):
        table_gain = effect + slope * x + origin_effect[origin] + rng.normal(0, spread)
        for classifier in classifiers:
            base = rng.uniform(0.4, 0.8)
            auc = rng.uniform(0.7, 0.95)
            for split in range(splits):
                shared = rng.normal(0, noise)
                for arm, gain in ((REFERENCE, 0.0), (method, table_gain)):
                    rows.append({
                        "dataset": name, "origin": origin, "classifier": classifier,
                        "method": arm, "split": split,
                        "pr_auc": base + shared + gain + rng.normal(0, noise / 2),
                        "roc_auc": auc + shared / 2 + rng.normal(0, noise / 4),
                        "rows": int(size), "minority_rows": int(small),
                        "imbalance_ratio": float(ratio),
                        "train_rows": int(size * 0.6), "validation_rows": int(size * 0.2),
                        "test_rows": int(size * 0.2), "classes": 2, "error": ""})
    frame = pd.DataFrame(rows)
    frame.attrs["origins"] = {name: origin for origin, name in names}
    return frame
