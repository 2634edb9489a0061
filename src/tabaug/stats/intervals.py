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
    inflated by ``1/J + n_test/n_train`` for overlapping random splits (Nadeau and Bengio).

    Parameters
    ----------
    values : array-like of shape (J,)
        One value per random split, e.g. a method's score minus the reference's on that split;
        at least two.
    test_train_ratio : float
        ``n_test / n_train``: the test rows over the training rows of each split.
    confidence : float, default=0.95
        The confidence level of the interval.

    Returns
    -------
    mean, lower, upper : float
        The mean of ``values`` and the bounds of its t interval.
    p_value : float
        The two-sided p-value of the t-test of the mean against 0.

    Examples
    --------
    Ten splits that train on 50% of the rows and test on 30%:

    >>> from tabaug.stats import corrected_t_interval
    >>> values = [0.021, 0.034, 0.012, 0.041, 0.018, 0.027, 0.009, 0.030, 0.025, 0.016]
    >>> mean, lower, upper, p_value = corrected_t_interval(values, test_train_ratio=0.3 / 0.5)
    >>> print(round(mean, 4), round(lower, 4), round(upper, 4), round(p_value, 4))
    0.0233 0.0043 0.0423 0.0217
    """
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
    powerful than Bonferroni's. It needs the ``stats`` extra (statsmodels).

    Parameters
    ----------
    p_values : array-like
        The p-values of the family; NaNs pass through and are not counted in the family.

    Returns
    -------
    ndarray
        The adjusted p-values, flat, in the order given (NaN where a p-value was NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.stats import holm
    >>> holm([0.01, 0.04, 0.03, np.nan]).round(3)
    array([0.03, 0.06, 0.06,  nan])
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
