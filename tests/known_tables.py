"""Small tables drawn from laws we know, to check that a generator learns them.

Each function returns a DataFrame of ``n_rows`` rows drawn with ``np.random.default_rng(seed)``.
The tests train every generator on them and compare its rows with fresh rows of the same law;
``scripts/compare_generators.py`` ranks the generators on them beside WDBC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def correlated_gaussian(n_rows=200, seed=0, n_columns=4, rho=0.8) -> pd.DataFrame:
    """Gaussian columns with correlation ``rho`` between every pair (means 0..3, scale 1)."""
    rng = np.random.default_rng(seed)
    covariance = np.full((n_columns, n_columns), rho) + (1 - rho) * np.eye(n_columns)
    rows = rng.multivariate_normal(np.arange(n_columns, dtype=float), covariance, n_rows)
    return pd.DataFrame(rows, columns=[f"x{i}" for i in range(n_columns)])


def two_clusters(n_rows=200, seed=0) -> pd.DataFrame:
    """Two well separated round clusters in 2-D, 70% / 30% of the rows: a generator that
    averages them makes rows in the empty middle."""
    rng = np.random.default_rng(seed)
    first = rng.random(n_rows) < 0.7
    centres = np.where(first[:, None], [-2.0, -2.0], [2.0, 2.0])
    rows = centres + 0.5 * rng.standard_normal((n_rows, 2))
    return pd.DataFrame(rows, columns=["a", "b"])


def skewed(n_rows=200, seed=0) -> pd.DataFrame:
    """Right-skewed positive columns (log-normal and exponential) with a dependence."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal(n_rows)
    return pd.DataFrame({
        "lognormal": np.exp(0.8 * base),
        "exponential": rng.exponential(1.0, n_rows) + np.exp(0.4 * base),
        "gamma": rng.gamma(2.0, 1.0, n_rows),
    })


def six_columns(n_rows=120, seed=0) -> pd.DataFrame:
    """Six columns like a minority class of a real table: two correlated, two skewed, two
    forming two clusters (the table on which WDBC's tuned GAN did not carry over)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n_rows)
    first = rng.random(n_rows) < 0.5
    return pd.DataFrame({
        "corr_a": z,
        "corr_b": 0.85 * z + np.sqrt(1 - 0.85**2) * rng.standard_normal(n_rows),
        "skew_a": np.exp(0.9 * rng.standard_normal(n_rows)),
        "skew_b": rng.exponential(2.0, n_rows),
        "cluster_a": np.where(first, -1.5, 1.5) + 0.4 * rng.standard_normal(n_rows),
        "cluster_b": np.where(first, 1.0, -1.0) + 0.4 * rng.standard_normal(n_rows),
    })


def mixed_types(n_rows=200, seed=0) -> pd.DataFrame:
    """Every column kind, with known ties between them.

    ``group`` (a pandas category: a, b, c with 50/30/20%) sets the mean of ``value`` (-2, 0, 3;
    two decimals); ``count`` is a Poisson integer that grows with ``value``; ``flag`` (boolean)
    is True when ``value`` > 0 mostly; ``label`` is text; ``site`` is constant.
    """
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b", "c"], size=n_rows, p=[0.5, 0.3, 0.2])
    means = pd.Series({"a": -2.0, "b": 0.0, "c": 3.0})[group].to_numpy()
    value = np.round(means + 0.7 * rng.standard_normal(n_rows), 2)
    count = rng.poisson(np.exp(1.0 + 0.3 * value).clip(0.1, 50))
    flag = (value + 0.5 * rng.standard_normal(n_rows)) > 0
    return pd.DataFrame({
        "group": pd.Categorical(group, categories=["a", "b", "c"]),
        "value": value,
        "count": count.astype("int64"),
        "flag": flag,
        "label": np.where(rng.random(n_rows) < 0.6, "low", "high"),
        "site": "A",
    })


#: The tables, by name, as the comparison script and the tests use them.
KNOWN_TABLES = {
    "correlated": correlated_gaussian,
    "two clusters": two_clusters,
    "skewed": skewed,
    "six columns": six_columns,
    "mixed types": mixed_types,
}
