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
    """Per feature, the Kolmogorov-Smirnov statistic (largest gap between the two cumulative
    distributions, 0 to 1) and the Wasserstein distance (how far values must move, in feature
    units) between the real and synthetic values."""
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
    formula whose rounding leaves copies ~1e-8 apart, hiding them from ``exact_copies``."""
    reference, rows = as_pair(reference, rows, names=("reference", "rows"))
    search = NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(reference)
    distances, _ = search.kneighbors(rows)
    return distances[:, 0]


