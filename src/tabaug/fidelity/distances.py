"""Where generated rows differ from real ones, whether they are varied, and whether they copy
training rows: per-feature distances, correlations, duplicates and spread, and the distance of
each row to its closest training row (DCR)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp, wasserstein_distance
from sklearn.neighbors import NearestNeighbors

from tabaug.errors import DataError
from tabaug.fidelity.two_sample import as_pair, as_rows

__all__ = [
    "correlation_distance", "correlations", "distance_to_closest", "duplicate_fraction",
    "feature_distances", "variance_ratio",
]


def feature_distances(real, synthetic, feature_names=None) -> pd.DataFrame:
    """Per feature, the Kolmogorov-Smirnov statistic and the Wasserstein distance between the
    real and synthetic values.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_rows, n_features)
        The two groups of rows, with the same features in the same order (checked by
        :func:`~tabaug.fidelity.two_sample.as_pair`); their numbers of rows may differ.
    feature_names : sequence of str or None, default=None
        A name per feature; None: ``x0``, ``x1``, ...

    Returns
    -------
    DataFrame
        One row per feature (the index ``feature``) and two columns: ``ks``, the largest gap
        between the two cumulative distributions (0 to 1), and ``wasserstein``, how far values
        must move (in feature units).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity import feature_distances
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(200, 2))
    >>> synthetic = rng.normal(size=(200, 2)) * [1.0, 2.0] + [0.5, 0.0]  # shifted; spread
    >>> feature_distances(real, synthetic, feature_names=["age", "size"]).round(2)
               ks  wasserstein
    feature
    age      0.23         0.56
    size     0.18         0.78
    """
    real, synthetic = as_pair(real, synthetic)
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(real.shape[1])]
    rows = [(ks_2samp(real[:, j], synthetic[:, j]).statistic,
             wasserstein_distance(real[:, j], synthetic[:, j])) for j in range(real.shape[1])]
    return pd.DataFrame(rows, index=pd.Index(list(feature_names), name="feature"),
                        columns=["ks", "wasserstein"], dtype=float)


def correlations(rows) -> np.ndarray:
    """Pearson correlation matrix of the columns; a constant column, whose correlation is
    undefined, gets correlation 0 with every other column (and 1 with itself)."""
    centred = rows - rows.mean(axis=0)
    norms = np.sqrt((centred**2).sum(axis=0))
    z = centred / np.where(norms > 0, norms, 1.0)
    corr = np.clip(z.T @ z, -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def correlation_distance(real, synthetic) -> float:
    """Mean absolute difference between the off-diagonal entries of the two Pearson correlation
    matrices: 0 = the same correlations between features, at most 2. A constant column counts
    as uncorrelated with the others (see :func:`correlations`); a single feature gives 0."""
    real, synthetic = as_pair(real, synthetic)
    off_diagonal = ~np.eye(real.shape[1], dtype=bool)
    if not off_diagonal.any():
        return 0.0
    return float(np.abs(correlations(real) - correlations(synthetic))[off_diagonal].mean())


def duplicate_fraction(rows, decimals=6) -> float:
    """Share of rows equal to an earlier row after rounding to ``decimals`` (0 = all distinct).
    Copies (Random Oversampling) and a collapsed generator give large values."""
    rows = as_rows(rows)
    rounded = np.round(rows, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return 1.0 - len(np.unique(rounded, axis=0)) / len(rows)


def variance_ratio(real, synthetic) -> float:
    """Median over features of var(synthetic) / var(real), leaving out features that are
    constant in the real rows: near 0 = mode collapse, near 1 = the same spread."""
    real, synthetic = as_pair(real, synthetic)
    real_var = real.var(axis=0)
    varying = real_var > 0
    if not varying.any():
        raise DataError("Every feature of the real rows is constant, so the variance ratio is "
                        "undefined; give real rows that vary.")
    return float(np.median(synthetic.var(axis=0)[varying] / real_var[varying]))


def distance_to_closest(reference, rows) -> np.ndarray:
    """Euclidean distance of each of ``rows`` to its nearest row of ``reference`` (0 = a copy).

    A k-d tree computes each distance exactly; the default brute-force search uses a faster
    formula whose rounding leaves copies ~1e-8 apart, hiding them from ``exact_copies``.

    Parameters
    ----------
    reference : array-like of shape (n_reference, n_features)
        The rows to be near, e.g. the training rows.
    rows : array-like of shape (n_rows, n_features)
        The rows to measure, with the features of ``reference`` (checked by
        :func:`~tabaug.fidelity.two_sample.as_pair`).

    Returns
    -------
    ndarray of shape (n_rows,)
        The distance of each of ``rows``, in their order.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity import distance_to_closest
    >>> reference = np.array([[0.0, 0.0], [3.0, 4.0]])
    >>> distance_to_closest(reference, [[3.0, 4.0], [3.0, 0.0], [1.0, 1.0]]).round(3)
    array([0.   , 3.   , 1.414])
    """
    reference, rows = as_pair(reference, rows, names=("reference", "rows"))
    search = NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(reference)
    distances, _ = search.kneighbors(rows)
    return distances[:, 0]


