"""Statistics across data sets: is a method better than no augmentation on many data sets?

The benchmark runs every method with several classifiers on many data sets over repeated random
splits. Its per-split results are a long table, one row per (dataset, classifier, method, split).
Two levels of evidence follow from it:

- within one data set, the paired differences over its splits, with the corrected resampled
  t interval of :func:`tabaug.stats.intervals.corrected_t_interval` (splits overlap, so a plain
  t-test would be too confident): :func:`per_dataset_differences`, a win, tie or loss per data set;
- across data sets, where each data set counts once (Demšar, 2006; Benavoli et al., 2017):
  the Wilcoxon signed-rank test against the reference with Holm's correction
  (:func:`wilcoxon_against_reference`), the Bayesian signed-rank test with a region of
  practical equivalence (:func:`bayesian_signed_rank`), and the Friedman test with the
  Nemenyi critical difference over all arms (:func:`friedman_ranks`).

The tests come from the maintained libraries (scipy, statsmodels, baycomp, autorank); this
module only arranges the table for them (and vectorizes baycomp's sampling loop:
:class:`FastSignedRankTest`), handles missing methods explicitly and writes the
results out in words (:func:`conclusions`).

For F1 and MCC, each method gives two arms: at the 0.5 threshold and at the threshold tuned on
the validation rows (the ``<metric>_tuned`` column), so that tuning the threshold of no
augmentation, which does much of what resampling does (Elor and Averbuch-Elor, "To SMOTE, or
not to SMOTE?", 2022), is ranked with the rest.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata, wilcoxon

from tabaug.errors import missing_extra
from tabaug.metrics import lower_is_better
from tabaug.stats.intervals import corrected_t_interval, holm

try:
    from autorank import autorank
    from baycomp import SignedRankTest
    from baycomp.utils import check_args
except ModuleNotFoundError as error:
    raise missing_extra(error, "stats") from error

__all__ = [
    "arms", "BANDS", "bayesian_signed_rank", "complete_blocks", "dataset_means", "DECISIONS",
    "FastSignedRankTest", "friedman_ranks", "FriedmanResult", "outcome_by",
    "per_dataset_differences", "TUNED", "wilcoxon_against_reference", "ZERO_METHOD",
]

#: Suffix of the arm of a method at the threshold tuned on the validation rows.
TUNED = " + tuned threshold"
#: Zero differences are kept in the ranking (Pratt) rather than dropped (Wilcoxon).
ZERO_METHOD = "pratt"
DECISIONS = ("win", "tie", "loss")
#: Bands of :func:`outcome_by`: lower bounds inclusive (an imbalance ratio of 3 is in "3-10").
BANDS = {
    "imbalance": ("imbalance_ratio", [0, 3, 10, 30, np.inf], ["<3", "3-10", "10-30", "≥30"]),
    "size": ("rows", [0, 300, 1000, np.inf], ["<300", "300-1000", "≥1000"]),
}


# --- Arranging the table ----------------------------------------------------------------------
def arms(results: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Long table (dataset, classifier, split, method, threshold, arm, value) of one metric.

    The arm is the method; when ``results`` has a ``<metric>_tuned`` column (F1, MCC), each
    method gives a second arm, ``"<method> + tuned threshold"``, from that column. Missing
    values are dropped, so a missing arm is simply absent. Arms keep the methods' order.
    """
    keys = ["dataset", "classifier", "split", "method"]
    frames = [results[keys].assign(threshold="0.5", value=results[metric].to_numpy())]
    if f"{metric}_tuned" in results.columns:
        frames.append(results[keys].assign(threshold="tuned",
                                           value=results[f"{metric}_tuned"].to_numpy()))
    table = pd.concat(frames, ignore_index=True)
    table["method"] = table["method"].astype(str)
    table["arm"] = table["method"].where(table["threshold"] == "0.5", table["method"] + TUNED)
    order = {m: i for i, m in enumerate(pd.unique(results["method"].astype(str)))}
    table = table.dropna(subset=["value"]).sort_values(  # arms first, in the methods' order
        ["method", "threshold", "dataset", "classifier", "split"],
        key=lambda c: c.map(order) if c.name == "method" else c, kind="stable")
    duplicated = table.duplicated(["dataset", "classifier", "split", "arm"])
    if duplicated.any():
        raise ValueError(f"{duplicated.sum()} rows repeat a (dataset, classifier, split, arm); "
                         "select one setting (e.g. one imbalance ratio) first")
    return table[["dataset", "classifier", "split", "method", "threshold", "arm", "value"]
                 ].reset_index(drop=True)


def _arm_order(arm_table: pd.DataFrame) -> list:
    """Arms in the order of their methods, each 0.5-threshold arm before its tuned one."""
    return list(pd.unique(arm_table["arm"]))


def dataset_means(arm_table: pd.DataFrame) -> dict:
    """Mean over splits: ``{classifier: wide table}``, index dataset, columns arm.

    An arm missing on a data set is NaN there, and so is an arm missing on some of its splits
    (a method that could not resample them): its mean would be over other splits than the
    rest's. An arm missing for a classifier altogether (e.g. class weights for kNN) is not a
    column of that classifier's table.
    """
    tables = {}
    for classifier, group in arm_table.groupby("classifier", sort=False):
        by_arm = group.groupby(["dataset", "arm"], sort=False)["value"]
        splits = by_arm.count()
        most = splits.groupby(level="dataset", sort=False).transform("max")
        wide = by_arm.mean().where(splits == most).unstack("arm")
        wide = wide[[arm for arm in _arm_order(group) if arm in wide.columns]]
        wide.columns.name = "arm"
        tables[classifier] = wide
    return tables


# --- Within each data set: the corrected resampled t-test -------------------------------------
def _test_train_ratios(results: pd.DataFrame, refit_on_validation: bool) -> pd.Series:
    """n_test / n_train of each (dataset, classifier, split), for the corrected interval;
    n_train counts the validation rows too when the final model was refit on them (as in
    :func:`tabaug.experiments.study.correction_ratio`)."""
    train = results["train_rows"] + (results["validation_rows"] if refit_on_validation else 0)
    ratio = (results["test_rows"] / train).rename("ratio")
    keys = [results["dataset"], results["classifier"], results["split"]]
    return ratio.groupby(keys).mean()


def _decision(low: float, high: float, lower_better: bool) -> str | None:
    """Win if the interval of (arm - reference) lies wholly on the better side of 0, loss if
    wholly on the worse side, tie if it contains 0; None without an interval."""
    if np.isnan(low) or np.isnan(high):
        return None
    if low <= 0 <= high:
        return "tie"
    above = low > 0
    return "win" if above != lower_better else "loss"


def _dataset_facts(results: pd.DataFrame) -> pd.DataFrame:
    """Imbalance ratio and size (rows) of each data set, for banding the outcomes."""
    columns = [c for c in ("imbalance_ratio", "rows") if c in results.columns]
    return results.groupby("dataset", sort=False)[columns].mean()


def per_dataset_differences(results: pd.DataFrame, metric: str, reference: str, *,
                            refit_on_validation: bool = False) -> pd.DataFrame:
    """Per (dataset, classifier, arm): the mean over splits of (arm - reference) on the same
    split, its corrected resampled t interval and p-value, and a decision: win / tie / loss.

    Only splits where both the arm and the reference have a value are paired; a data set
    where the reference is missing gives no rows, and fewer than two pairs give no interval
    (decision None). ``imbalance_ratio`` and ``rows`` of the data set come along for
    :func:`outcome_by`. The correction's n_test / n_train is ``test_rows / train_rows`` of each
    split: the benchmark fits the final model on the training rows (the validation rows only
    choose its setting and threshold); pass ``refit_on_validation=True`` for results whose
    model was refit on training and validation rows, as the study's is.
    """
    table = arms(results, metric)
    ratios = _test_train_ratios(results, refit_on_validation)
    facts = _dataset_facts(results)
    lower = lower_is_better(metric)
    rows = []
    for (dataset, classifier), group in table.groupby(["dataset", "classifier"], sort=False):
        wide = group.pivot(index="split", columns="arm", values="value")
        if reference not in wide.columns:
            continue
        for arm in _arm_order(group):
            if arm == reference:
                continue
            diff = (wide[arm] - wide[reference]).dropna()
            rows.append({"dataset": dataset, "classifier": classifier, "arm": arm,
                         "metric": metric, "n_splits": len(diff),
                         **_corrected(diff, ratios.loc[(dataset, classifier)], lower)})
    frame = pd.DataFrame(rows, columns=["dataset", "classifier", "arm", "metric", "n_splits",
                                        "mean_difference", "ci_low", "ci_high", "p_value",
                                        "decision"])
    return frame.join(facts, on="dataset")


def _corrected(diff: pd.Series, ratios: pd.Series, lower_better: bool) -> dict:
    """Mean, corrected interval, p-value and decision of one arm's per-split differences."""
    if len(diff) < 2:
        return {"mean_difference": diff.mean() if len(diff) else np.nan, "ci_low": np.nan,
                "ci_high": np.nan, "p_value": np.nan, "decision": None}

    mean, low, high, p = corrected_t_interval(diff, float(ratios.loc[diff.index].mean()))
    return {"mean_difference": mean, "ci_low": low, "ci_high": high, "p_value": p,
            "decision": _decision(low, high, lower_better)}


# --- Across data sets -------------------------------------------------------------------------


def _pairs(means: pd.DataFrame, reference: str, lower_is_better: bool):
    """For each arm but the reference: the gains (arm - reference, sign flipped when lower is
    better, so > 0 means the arm is better) on the data sets where both have a value."""
    if reference not in means.columns:
        raise ValueError(f"the reference {reference!r} is not among the arms {list(means)}")
    for arm in means.columns:
        if arm == reference:
            continue
        both = means[[reference, arm]].dropna()
        diff = both[arm] - both[reference]
        yield arm, diff, (-diff if lower_is_better else diff)


def _signed_rank_p(gain: pd.Series) -> float:
    """Two-sided Wilcoxon signed-rank p-value of the gains (Pratt's handling of zeros);
    1.0 when every gain is 0 and NaN without data."""
    if len(gain) == 0:
        return np.nan
    if (gain == 0).all():
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # normal approximation with ties
        return float(wilcoxon(gain, zero_method=ZERO_METHOD).pvalue)


def _direction(gain: pd.Series) -> int:
    """+1 if the positive gains hold more of the signed ranks, -1 if the negative ones do."""
    ranks = rankdata(np.abs(gain))
    return int(np.sign(ranks[gain.to_numpy() > 0].sum() - ranks[gain.to_numpy() < 0].sum()))


def wilcoxon_against_reference(means: pd.DataFrame, reference: str, lower_is_better: bool,
                               alpha: float = 0.05) -> pd.DataFrame:
    """Each arm against ``reference`` over the data sets of one classifier's wide table.

    Per arm: the number of data sets where both have a value (the others are left out,
    ``missing`` counts them), the median difference (arm - reference, metric units), the data
    sets where the arm is better / equal / worse, the two-sided Wilcoxon signed-rank p-value,
    and its Holm adjustment over the arms. Zero differences follow Pratt: they keep their
    ranks (and so push the others' up) but count for neither side, which is more conservative
    than dropping them, as ``zero_method="wilcox"`` does; exact zeros are frequent at the 0.5
    threshold (F1 = 0 for both arms when neither predicts the minority class).
    ``verdict`` is "better" or "worse" when the adjusted p-value is below ``alpha``, on the
    side holding more of the signed ranks, and "no evidence" otherwise.
    """
    rows = []
    for arm, diff, gain in _pairs(means, reference, lower_is_better):
        rows.append({"arm": arm, "n_datasets": len(diff), "missing": len(means) - len(diff),
                     "median_difference": diff.median(), "wins": int((gain > 0).sum()),
                     "ties": int((gain == 0).sum()), "losses": int((gain < 0).sum()),
                     "p_value": _signed_rank_p(gain),
                     "direction": _direction(gain) if len(gain) else 0})
    table = pd.DataFrame(rows, columns=["arm", "n_datasets", "missing", "median_difference",
                                        "wins", "ties", "losses", "p_value", "direction"])
    table["p_holm"] = holm(table["p_value"])
    significant = table["p_holm"] < alpha
    table["verdict"] = np.where(significant & (table["direction"] > 0), "better",
                                np.where(significant & (table["direction"] < 0), "worse",
                                         "no evidence"))
    return table.drop(columns="direction")


class FastSignedRankTest(SignedRankTest):
    """baycomp's Bayesian signed-rank test, its sampling loop done for blocks of draws at once.

    baycomp 1.0.3 sums the posterior weights of each Dirichlet draw in a Python loop, which
    made half of :func:`tabaug.report.benchmark.write_report`'s time. This draws the same
    Dirichlet samples from the same ``RandomState`` and sums the same terms, in the same order,
    for a block of draws at once; ``tests/test_stats.py`` checks that its samples and
    probabilities are baycomp's, bit for bit.
    """

    @classmethod
    def sample(cls, x, y, rope=0, *, prior=0.5, nsamples=50000, random_state=None):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        check_args(x, y, rope, nsamples)
        diff = np.concatenate(([0.0], y - x))
        sums = diff[:, None] + diff[None, :]
        weights = np.ones(len(diff))
        weights[0] = prior
        draws = np.random.RandomState(random_state).dirichlet(weights, nsamples)

        def mass(region, chunk=1024):
            """Posterior mass of the pairs (i, j) in ``region``, for each draw: baycomp's
            products, summed row by row as ``np.sum`` sums them, so ties break as in baycomp."""
            out = np.empty(len(draws))
            for start in range(0, len(draws), chunk):
                w = draws[start:start + chunk]
                products = (w[:, :, None] * w[:, None, :]) * region
                out[start:start + chunk] = products.reshape(len(w), -1).sum(axis=1)
            return out

        samples = np.zeros((nsamples, 3))
        if rope > 0:
            samples[:, 0] = mass(_heaviside(-sums, 2 * rope))
            samples[:, 2] = mass(_heaviside(sums, 2 * rope))
            samples[:, 1] = -samples[:, 0] - samples[:, 2] + 1
        else:
            samples[:, 2] = mass(_heaviside(sums, 0))
            samples[:, 0] = -samples[:, 2] + 1
        return samples


def _heaviside(a, threshold):
    """1 above ``threshold``, 1/2 at it, 0 below (baycomp's step function)."""
    return (a > threshold).astype(float) + 0.5 * (a == threshold).astype(float)


def bayesian_signed_rank(means: pd.DataFrame, reference: str, rope: float = 0.01,
                         lower_is_better: bool = False, *, seed: int = 0,
                         nsamples: int = 20000) -> pd.DataFrame:
    """Bayesian signed-rank test (Benavoli et al., 2014, via baycomp) of each arm against
    ``reference`` over the data sets where both have a value.

    Returns, per arm, the posterior probabilities that the reference is better by more than
    ``rope``, that the two are practically equivalent (difference within +-``rope``, in the
    metric's units), and that the arm is better by more than ``rope``. baycomp draws its
    Dirichlet samples from its own ``np.random.RandomState(seed)``, so the result is
    reproducible and NumPy's global random state is not touched.
    """
    rows = []
    for arm, diff, gain in _pairs(means, reference, lower_is_better):
        probs = (np.nan,) * 3
        if len(gain):
            # baycomp's left/right: the first/second argument better; gains are arm - reference
            posterior = FastSignedRankTest(np.zeros(len(gain)), gain.to_numpy(dtype=float),
                                           rope, nsamples=nsamples, random_state=seed)
            probs = posterior.probs(with_rope=True)
        rows.append({"arm": arm, "n_datasets": len(gain), "rope": rope,
                     "p_reference_better": float(probs[0]), "p_equivalent": float(probs[1]),
                     "p_arm_better": float(probs[2])})
    return pd.DataFrame(rows, columns=["arm", "n_datasets", "rope", "p_reference_better",
                                       "p_equivalent", "p_arm_better"])


@dataclass
class FriedmanResult:
    """Average ranks (1 = best), Friedman p-value and Nemenyi critical difference of the arms
    over the complete data sets, with what was left out to make the blocks complete."""
    ranks: pd.Series
    p_value: float
    critical_difference: float
    n_datasets: int
    lower_is_better: bool
    left_out_arms: list = field(default_factory=list)
    left_out_datasets: list = field(default_factory=list)
    autorank: object = None  # autorank's RankResult, for its plots and reports

    def differ(self, first: str, second: str) -> bool:
        """Whether two arms' mean ranks differ by more than the critical difference."""
        return bool(abs(self.ranks[first] - self.ranks[second]) > self.critical_difference)


def complete_blocks(means: pd.DataFrame) -> tuple[pd.DataFrame, list, list]:
    """The table without arms that have no value at all and then without data sets missing
    any remaining arm (Friedman's test needs every arm on every data set), with the lists of
    left-out arms and data sets."""
    empty = [arm for arm in means.columns if means[arm].isna().all()]
    kept = means.drop(columns=empty)
    incomplete = list(kept.index[kept.isna().any(axis=1)])
    return kept.drop(index=incomplete), empty, incomplete


def friedman_ranks(means: pd.DataFrame, lower_is_better: bool,
                   alpha: float = 0.05) -> FriedmanResult:
    """Mean ranks of the arms, Friedman's test and the Nemenyi critical difference (Demšar,
    2006), by autorank over the complete blocks of one classifier's wide table.

    autorank chooses its tests from normality and equal-variance checks (ANOVA and Tukey's HSD
    when they pass); ``force_mode="nonparametric"`` fixes Friedman and Nemenyi, which assume
    neither. autorank needs at least 5 data sets and uses other tests for 2 arms, so fewer
    than 3 arms or 5 complete data sets raise ValueError. Ties share their average rank; when
    every data set ties every arm the p-value is NaN. autorank prints as it works; that is
    silenced.
    """
    complete, empty_arms, incomplete = complete_blocks(means)
    if complete.shape[1] < 3 or len(complete) < 5:
        raise ValueError(f"Friedman/Nemenyi needs >= 3 arms on >= 5 complete data sets; got "
                         f"{complete.shape[1]} arms on {len(complete)} (left out: arms "
                         f"{empty_arms}, data sets {incomplete})")
    data = complete.reset_index(drop=True).rename_axis(columns=None)
    data.columns = [str(arm) for arm in data.columns]
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", message=".*range zero.*")  # shapiro, constant arm
        result = autorank(data, alpha=float(alpha), verbose=False,
                          order="ascending" if lower_is_better else "descending",
                          force_mode="nonparametric")
    if (result.omnibus, result.posthoc) != ("friedman", "nemenyi"):
        raise RuntimeError(f"autorank used {result.omnibus}/{result.posthoc}, not Friedman")
    return FriedmanResult(ranks=result.rankdf["meanrank"].astype(float).sort_values(),
                          p_value=float(result.pvalue), critical_difference=float(result.cd),
                          n_datasets=len(complete), lower_is_better=lower_is_better,
                          left_out_arms=empty_arms, left_out_datasets=incomplete,
                          autorank=result)


# --- Outcomes by kind of data set -------------------------------------------------------------
def outcome_by(per_dataset: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts and shares of win / tie / loss per arm and group, from
    :func:`per_dataset_differences`.

    ``by`` is "imbalance" (imbalance ratio <3, 3-10, 10-30, ≥30), "size" (rows <300,
    300-1000, ≥1000) or a column such as "classifier". Each (dataset, classifier) counts
    once per arm; rows without a decision (fewer than two paired splits) are left out.
    """
    decided = per_dataset.dropna(subset=["decision"])
    if by in BANDS:
        column, edges, labels = BANDS[by]
        group = pd.cut(decided[column], edges, labels=labels, right=False)
    else:
        group = decided[by]
    counts = (pd.crosstab([group.rename("group"), decided["arm"]], decided["decision"])
              .reindex(columns=list(DECISIONS), fill_value=0))
    counts = counts[counts.sum(axis=1) > 0].reset_index()
    counts.columns.name = None
    position = {arm: i for i, arm in enumerate(pd.unique(decided["arm"]))}
    counts = counts.sort_values(["group", "arm"], key=lambda c: c.map(position)
                                if c.name == "arm" else c, kind="stable", ignore_index=True)
    counts["n"] = counts[list(DECISIONS)].sum(axis=1)
    for decision in DECISIONS:
        counts[f"{decision}_share"] = counts[decision] / counts["n"]
    counts.insert(0, "by", by)
    return counts


# --- In words ---------------------------------------------------------------------------------


# --- All of it for one metric -----------------------------------------------------------------


