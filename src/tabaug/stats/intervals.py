"""Intervals and p-values for paired differences over random splits of one table, and Holm's
correction when several methods are compared with one reference.

Random splits of one table overlap, so a plain t-test on per-split differences is far too
confident; :func:`corrected_t_interval` inflates the variance as Nadeau and Bengio (2003) derived.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from tabaug.errors import missing_extra

__all__ = ["corrected_t_interval", "holm"]


def corrected_t_interval(values, test_train_ratio, confidence=0.95):
    """Mean, interval and two-sided p-value (against 0) of per-split values, with the variance
    inflated by ``1/J + n_test/n_train`` for overlapping random splits (Nadeau and Bengio)."""
    values = np.asarray(values, dtype=float)
    J = len(values)
    mean = values.mean()
    variance = (1 / J + test_train_ratio) * values.var(ddof=1)
    se = np.sqrt(variance)
    quantile = stats.t.ppf(0.5 + confidence / 2, df=J - 1)
    if se == 0:
        p_value = 1.0 if mean == 0 else 0.0
    else:
        p_value = float(2 * stats.t.sf(abs(mean / se), df=J - 1))
    return mean, mean - quantile * se, mean + quantile * se, p_value


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (statsmodels' ``multipletests``).

    It controls the family-wise error rate without assuming independence, and is never less
    powerful than Bonferroni's. NaNs pass through and are not counted in the family.
    """
    try:
        from statsmodels.stats.multitest import multipletests
    except ModuleNotFoundError as error:
        raise missing_extra(error, "stats") from error

    p = np.asarray(p_values, dtype=float).ravel()
    adjusted = np.full(p.shape, np.nan)
    known = ~np.isnan(p)
    if known.any():
        adjusted[known] = multipletests(p[known], method="holm")[1]
    return adjusted
