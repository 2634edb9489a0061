"""Where does a method help? A moderator analysis of the per-table gain, and the multiplicity
plan of the statistics across tables.

Before a sentence says that a method helps "on very imbalanced tables" or "with kNN", the gain
has to be shown to depend on that: :func:`moderator_analysis` regresses each arm's per-table
gain over the reference (paired per split, then averaged over the table's splits:
:func:`tabaug.stats.hierarchical.table_gains`) on the table's log imbalance ratio, log
minority rows, separability (the reference's mean ROC AUC on the table with that classifier:
how easy the table is) and the classifier, with standard errors clustered by origin (tables
of one origin are not independent: :data:`tabaug.data.datasets.ORIGINS`).

Multiplicity plan
-----------------
:data:`MULTIPLICITY_PLAN` says it in full; in short: PR AUC is the primary metric; each
(metric, classifier) is one family of comparisons (every method against no augmentation),
Holm-corrected; the Bayesian tests are not corrected and are reported for every comparison;
the moderator analysis is exploratory, Holm-corrected only within one (metric, arm)
regression's moderator terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tabaug.errors import missing_extra
from tabaug.stats.across_tables import TUNED
from tabaug.stats.hierarchical import REFERENCE, table_gains
from tabaug.stats.intervals import holm

try:
    import statsmodels.api as sm
except ModuleNotFoundError as error:
    raise missing_extra(error, "stats") from error

__all__ = ["MODERATORS", "ModeratorAnalysis", "moderator_analysis", "MULTIPLICITY_PLAN",
           "PRIMARY_METRIC"]

#: The metric of the confirmatory comparisons.
PRIMARY_METRIC = "pr_auc"
#: The continuous moderators of :func:`moderator_analysis` (the classifier is the fourth).
MODERATORS = ("log_imbalance_ratio", "log_minority_rows", "separability")

MULTIPLICITY_PLAN = """\
Primary metric: PR AUC (average precision). It is threshold-free, so it does not reward a
method merely for moving predictions across 0.5 (which tuning the threshold does as well);
it concerns the minority class, which ROC AUC dilutes with the many easy majority rows; and
it is reported by most of the literature on resampling.

Confirmatory families (Holm, family-wise error 0.05): for the primary metric and each
classifier, every method against "No augmentation" is one family (the Wilcoxon signed-rank
test, on origin means: tabaug.stats.hierarchical.origin_tests; on table means, as a
sensitivity analysis: tabaug.stats.across_tables.wilcoxon_against_reference). The error
rate is controlled within a family, not across classifiers.

Secondary metrics (ROC AUC, log loss and Brier skill, F1 and MCC at 0.5 and at the tuned
threshold, the calibration intercept and slope): the same families, Holm within each,
reported as secondary; no claim is made across metrics.

Bayesian tests (signed-rank on origin means, hierarchical on per-split results): posterior
probabilities with the region of practical equivalence of
tabaug.stats.hierarchical.ROPES. They control no error rate and are not corrected; every
comparison is reported, none is selected for being large.

Moderators (tabaug.stats.moderators.moderator_analysis): exploratory. Holm within one
family, the moderator terms of one (metric, arm) regression (log imbalance ratio, log
minority rows, separability, classifier contrasts; not the intercept). A sentence saying
where a method helps needs the primary metric and a Holm-adjusted p below 0.05 for that
term; otherwise it says that no dependence was found, and every such finding is labelled
exploratory, to be confirmed on other tables."""

@dataclass
class ModeratorAnalysis:
    """What :func:`moderator_analysis` found.

    ``coefficients``: the tidy table of estimates; ``data``: every (dataset, classifier, arm)
    with its gain, moderators, whether it was ``used`` and, when not or when splits were
    unpaired, a ``note`` saying why; ``plan``: :data:`MULTIPLICITY_PLAN`.
    """

    coefficients: pd.DataFrame
    data: pd.DataFrame
    plan: str = MULTIPLICITY_PLAN

    @property
    def excluded(self) -> pd.DataFrame:
        """The rows of ``data`` left out of the regressions, with the reason."""
        return self.data[~self.data["used"]]


def _moderators(results: pd.DataFrame, reference: str) -> tuple[pd.DataFrame, pd.Series]:
    """log imbalance ratio and log minority rows per dataset, separability per (dataset,
    classifier)."""
    needed = [c for c in ("imbalance_ratio", "minority_rows", "roc_auc")
              if c not in results.columns]
    if needed:
        raise ValueError(f"the moderator analysis needs the columns {needed} (the table facts "
                         "and ROC AUC of tabaug.experiments' results)")
    facts = results.groupby("dataset")[["imbalance_ratio", "minority_rows"]].mean()
    facts = pd.DataFrame({"log_imbalance_ratio": np.log(facts["imbalance_ratio"]),
                          "log_minority_rows": np.log(facts["minority_rows"])})
    method = reference.removesuffix(TUNED)
    base = results[results["method"].astype(str) == method]
    separability = base.groupby(["dataset", "classifier"])["roc_auc"].mean().rename(
        "separability")
    return facts, separability


def moderator_analysis(results: pd.DataFrame, metric: str = PRIMARY_METRIC,
                       reference: str = REFERENCE, *, origins=None, arm_names=None,
                       weighting: str = "table", confidence: float = 0.95,
                       refit_on_validation: bool = False) -> ModeratorAnalysis:
    """Regress each arm's per-table gain over ``reference`` on the tables' moderators, with
    standard errors clustered by origin.

    For each arm, one weighted least-squares fit (statsmodels) over its (dataset,
    classifier) rows::

        gain ~ 1 + log_imbalance_ratio + log_minority_rows + separability + classifier

    ``gain`` is the mean over the table's paired splits of arm minus reference, on the ROPE's
    scale (:func:`~tabaug.stats.hierarchical.on_rope_scale`: log loss and Brier as skill,
    the calibration intercept and slope as distance from the ideal), signed so that > 0 means
    the arm is better. The continuous moderators are centred on their mean over the rows used,
    so the intercept is the gain on an average table with the first classifier; logs are
    natural (a coefficient is the change of gain when the ratio grows e-fold; 0.69 times it per
    doubling); separability is the reference's mean ROC AUC on that table with that
    classifier. Standard errors are cluster-robust by origin with the small-sample correction,
    and intervals and p-values use a t distribution with (origins - 1) degrees of freedom,
    since there are few clusters (17 origins for 29 tables).

    Multiplicity plan (:data:`MULTIPLICITY_PLAN` in full): the primary metric is PR AUC; the
    confirmatory tests are, per (metric, classifier), every method against no augmentation,
    one family Holm-corrected (Wilcoxon on origin means, :func:`~tabaug.stats.hierarchical.\
origin_tests`), and the other metrics are secondary families of the same shape; the Bayesian
    tests are not corrected and all are reported. This moderator analysis is exploratory: its
    p-values are Holm-adjusted within each (metric, arm) regression's moderator terms (not the
    intercept) and nowhere else, and a sentence saying where a method helps needs the primary
    metric and a Holm-adjusted p below 0.05, and is still labelled exploratory.

    Parameters
    ----------
    results : DataFrame
        Per-split results with ``imbalance_ratio``, ``minority_rows`` and ``roc_auc``.
    metric : str, default "pr_auc"
        The metric whose gain is explained.
    reference : str, default "No augmentation"
        The reference arm.
    origins : dict or Series, optional
        Name -> origin (:func:`tabaug.stats.hierarchical.origin_map`), the clusters.
    arm_names : list, optional
        Only these arms (default: every arm but the reference).
    weighting : {"table", "origin"}, default "table"
        "table": every (table, classifier) row weighs the same (OLS); "origin": the rows of an
        origin share one unit of weight, so that each origin counts once in the estimates too.
    confidence : float, default 0.95
        Level of the intervals.
    refit_on_validation : bool, default False
        As :func:`tabaug.stats.hierarchical.split_gains` (only the splits' pairing matters here).

    Returns
    -------
    ModeratorAnalysis
        ``coefficients``: per (arm, term): ``metric``, ``units``, ``arm``, ``term``
        (``intercept``, the moderators, ``classifier[<name>]`` against the first classifier),
        ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``p_value``, ``p_holm`` (NaN
        for the intercept), ``n_rows``, ``n_tables``, ``n_origins``, ``n_excluded`` and
        ``note`` (why an arm could not be fitted); ``data`` and ``excluded``: what was used
        and what was not, and why.

    Raises
    ------
    ValueError
        Without the moderators' columns, for an unknown ``weighting``, or as
        :func:`~tabaug.stats.hierarchical.split_gains`.

    Examples
    --------
    Twenty tables in ten origins where the gain grows by 0.02 per e-fold of imbalance ratio:

    >>> from tabaug.stats.hierarchical import simulated_results
    >>> from tabaug.stats.moderators import moderator_analysis
    >>> results = simulated_results({f"o{k}": 2 for k in range(10)}, effect=0.03, slope=0.02,
    ...                             spread=0.005, seed=0)
    >>> found = moderator_analysis(results, "pr_auc")
    >>> row = found.coefficients.set_index("term").loc["log_imbalance_ratio"]
    >>> bool(row["ci_low"] < 0.02 < row["ci_high"]), int(row["n_tables"]), int(row["n_origins"])
    (True, 20, 10)
    """
    if weighting not in ("table", "origin"):
        raise ValueError(f"weighting must be 'table' or 'origin', not {weighting!r}")
    gains = table_gains(results, metric, reference, origins=origins,
                        refit_on_validation=refit_on_validation)
    facts, separability = _moderators(results, reference)
    data = gains.join(facts, on="dataset").join(separability, on=["dataset", "classifier"])
    columns = ["gain", *MODERATORS]
    if arm_names is not None:
        data = data[data["arm"].isin(arm_names)]
    data["used"] = data[columns].notna().all(axis=1)
    reasons = []
    for _, row in data.iterrows():
        missing = [c for c in columns if pd.isna(row[c])]
        reason = row["note"]
        if missing and "gain" in missing:
            reason = f"{reason}; excluded" if reason else "excluded: no paired split"
        elif missing:
            why = f"no {', '.join(missing)}" + (" (the reference has no ROC AUC here)"
                                                if "separability" in missing else "")
            reason = f"{reason}; excluded: {why}" if reason else f"excluded: {why}"
        reasons.append(reason)
    data["note"] = reasons
    classifiers = list(pd.unique(data["classifier"]))
    units = gains.attrs.get("units", metric)
    rows = []
    for arm, part in data.groupby("arm", sort=False):
        used = part[part["used"]]
        summary = {"metric": metric, "units": units, "arm": arm, "n_rows": len(used),
                   "n_tables": used["dataset"].nunique(), "n_origins": used["origin"].nunique(),
                   "n_excluded": int((~part["used"]).sum())}
        design = used[list(MODERATORS)] - used[list(MODERATORS)].mean()
        present = [c for c in classifiers if c in set(used["classifier"])]
        for name in present[1:]:
            design[f"classifier[{name}]"] = (used["classifier"] == name).astype(float)
        design.insert(0, "intercept", 1.0)
        problem = None
        if summary["n_origins"] < 2:
            problem = "fewer than 2 origins: no clustered standard errors"
        elif len(used) <= design.shape[1]:
            problem = f"{len(used)} rows for {design.shape[1]} coefficients"
        elif np.linalg.matrix_rank(design.to_numpy()) < design.shape[1]:
            problem = "the moderators are collinear on these tables"
        if problem:
            rows.append({**summary, "term": None, "note": f"not fitted: {problem}"})
            continue
        counts = used["origin"].map(used["origin"].value_counts())
        weights = 1.0 / counts if weighting == "origin" else np.ones(len(used))
        clusters = pd.factorize(used["origin"])[0]
        fit = sm.WLS(used["gain"].to_numpy(), design.to_numpy(), weights=np.asarray(weights),
                     ).fit(cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True)
        interval = np.asarray(fit.conf_int(alpha=1 - confidence))
        p_values = np.asarray(fit.pvalues, dtype=float)
        adjusted = np.full(len(p_values), np.nan)
        adjusted[1:] = holm(p_values[1:])
        for k, term in enumerate(design.columns):
            rows.append({**summary, "term": term, "estimate": float(fit.params[k]),
                         "std_error": float(fit.bse[k]), "ci_low": float(interval[k, 0]),
                         "ci_high": float(interval[k, 1]), "p_value": float(p_values[k]),
                         "p_holm": float(adjusted[k]), "note": ""})
    coefficients = pd.DataFrame(rows, columns=[
        "metric", "units", "arm", "term", "estimate", "std_error", "ci_low", "ci_high",
        "p_value", "p_holm", "n_rows", "n_tables", "n_origins", "n_excluded", "note"])
    return ModeratorAnalysis(coefficients=coefficients, data=data.reset_index(drop=True))
