"""Fast, identical bin thresholds for HistGradientBoosting fitted with class weights.

scikit-learn 1.9 finds a weighted feature's bin thresholds with one call of
``_weighted_percentile`` per threshold: 254 calls per feature, about 1 s per fit on the
training rows of WDBC against 0.08 s unweighted. The study's "Class weight" method fits the
classifier ten times per split, so this binning took about two thirds of notebook 06's time.
scikit-learn PR #34248 (merged June 2026, after 1.9.1) computes all thresholds at once.

Nothing here runs on import: :func:`fast_weighted_binning` (an opt-in of the study and the
benchmark, ``fast_binning=True`` of :func:`~tabaug.experiments.tuning.tune_classifier`) does
the same while a model is fitted: it swaps in
:func:`weighted_bin_thresholds`, which returns *exactly* the thresholds scikit-learn 1.9
computes (the same sort, cumulative weights, search and averaging, for all thresholds in one
pass; ``tests/test_weighted_binning.py`` checks equality on columns with ties, missing values
and zero weights, and equal fitted models), so the study measures the same classifier, faster.
It changes nothing where scikit-learn does not weigh its bins (before 1.8, as on Colab) or
has the fix already (1.10 and later).
"""

from __future__ import annotations

import contextlib
import inspect
import threading

import numpy as np
import sklearn
from sklearn.ensemble._hist_gradient_boosting import binning
from sklearn.ensemble._hist_gradient_boosting.common import X_DTYPE
from sklearn.utils.fixes import parse_version

__all__ = [
    "averaged_inverted_cdf", "binning_for", "fast_weighted_binning", "FIXED_IN",
    "needs_fast_binning", "uses_fast_binning", "weighted_bin_thresholds",
]

#: scikit-learn's own threshold finder, kept to call for unweighted columns.
_SKLEARN_THRESHOLDS = binning._find_binning_thresholds
#: The first scikit-learn release expected to carry PR #34248's fast weighted binning.
FIXED_IN = "1.10"
_LOCK = threading.Lock()


def needs_fast_binning(version: str = sklearn.__version__) -> bool:
    """Whether this scikit-learn bins weighted rows the slow way: it weighs its bin
    thresholds (1.8 and later) and predates the fix."""
    weighs_bins = "sample_weight" in inspect.signature(_SKLEARN_THRESHOLDS).parameters
    return weighs_bins and parse_version(version) < parse_version(FIXED_IN)


def weighted_bin_thresholds(col_data, max_bins, sample_weight=None):
    """scikit-learn 1.9's ``_find_binning_thresholds``, with the weighted percentiles computed
    for all thresholds at once instead of one call per threshold."""
    if sample_weight is None:
        return _SKLEARN_THRESHOLDS(col_data, max_bins, None)
    kept = ~np.isnan(col_data) & (sample_weight != 0)  # missing values and zero weights ignored
    col_data, sample_weight = col_data[kept], sample_weight[kept]
    order = np.argsort(col_data)
    col_data, sample_weight = col_data[order], sample_weight[order]
    distinct_values = np.unique(col_data).astype(X_DTYPE)
    if len(distinct_values) <= max_bins:  # few values: midpoints, the weights play no part
        return _SKLEARN_THRESHOLDS(col_data, max_bins, sample_weight)
    percentiles = np.linspace(0, 100, num=max_bins + 1)[1:-1]
    thresholds = averaged_inverted_cdf(col_data, sample_weight, percentiles)
    thresholds = np.unique(thresholds)  # duplicated thresholds removed, as scikit-learn does
    np.clip(thresholds, a_min=None, a_max=binning.ALMOST_INF, out=thresholds)
    return thresholds


def averaged_inverted_cdf(values, weights, percentiles):
    """The weighted percentiles of ``values`` (1-D, positive weights), as scikit-learn's
    ``_weighted_percentile(..., average=True)`` computes them one by one: the value where the
    cumulative weight first reaches the rank, averaged with the next value when the rank
    falls exactly on a value's cumulative weight."""
    values = np.asarray(values, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    # scikit-learn sorts the (already sorted) column again, unstably, as a column vector;
    # the same call gives the same order of tied values.
    order = np.argsort(values.reshape(-1, 1), axis=0)[:, 0]
    cdf = np.cumsum(weights[order])
    ranks = np.asarray(percentiles, dtype=np.float64) / 100 * cdf[-1]
    ranks[ranks == 0] = np.nextafter(0.0, 1.0)
    last = len(values) - 1
    at = np.clip(np.searchsorted(cdf, ranks), 0, last)
    above = (cdf[at] - ranks) > np.finfo(np.float64).eps
    here = values[order[at]]
    after = values[order[np.clip(at + 1, 0, last)]]
    return np.where(above, here, (here + after) / 2)


_active = 0  # blocks inside fast_weighted_binning, over all threads


@contextlib.contextmanager
def fast_weighted_binning(enabled: bool | None = None):
    """Within this block, HistGradientBoosting finds weighted bin thresholds with
    :func:`weighted_bin_thresholds` (same thresholds, all at once). ``enabled=None``: only
    where :func:`needs_fast_binning`. Blocks may nest and run in several threads: scikit-learn's
    own function is back when the last block ends."""
    global _active
    if not (needs_fast_binning() if enabled is None else enabled):
        yield
        return
    with _LOCK:
        _active += 1
        binning._find_binning_thresholds = weighted_bin_thresholds
    try:
        yield
    finally:
        with _LOCK:
            _active -= 1
            if not _active:
                binning._find_binning_thresholds = _SKLEARN_THRESHOLDS


def uses_fast_binning(estimator) -> bool:
    """Whether :func:`binning_for` swaps in the faster binning to fit ``estimator``: it weighs
    its classes on a scikit-learn that bins weighted rows the slow way."""
    return getattr(estimator, "class_weight", None) is not None and needs_fast_binning()


def binning_for(estimator):
    """:func:`fast_weighted_binning` for fitting ``estimator``: on (where needed) when it
    weighs its classes, off otherwise."""
    return fast_weighted_binning(enabled=uses_fast_binning(estimator))
