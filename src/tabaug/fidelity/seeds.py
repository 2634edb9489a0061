"""Intervals over a generator's seeds: how much a score moves when the same generator is
trained and sampled again with another seed.

Any score of generated rows works: a function of the rows that returns one number or a dict
of numbers (e.g. ``lambda rows: held_out_check(train, held_out, rows)``). The rows come from a
function of the seed, e.g.
``lambda seed: get_generator("tvae", random_state=seed).fit(X_minority).sample(n)``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy.stats import t

from tabaug.errors import DataError

__all__ = ["over_seeds", "seed_scores", "SUMMARY_COLUMNS", "t_interval"]

#: Columns of :func:`over_seeds` before the per-seed values.
SUMMARY_COLUMNS = ["mean", "low", "high", "sd", "n_seeds"]


def t_interval(values, confidence=0.95) -> dict:
    """Mean of ``values`` and its Student t interval: ``mean -/+ t * sd / sqrt(n)``, with
    ``t`` the ``(1 + confidence) / 2`` quantile of Student's t with ``n - 1`` degrees of
    freedom and ``sd`` the sample standard deviation (``ddof=1``).

    The values are taken as independent draws, which runs of a generator with distinct seeds
    are; the interval is for the mean score over seeds, not for one run's score.

    Parameters
    ----------
    values : array-like of float
        At least two finite numbers.
    confidence : float, default=0.95
        The interval's coverage, between 0 and 1.

    Returns
    -------
    dict
        ``mean``, ``low``, ``high``, ``sd`` and ``n_seeds`` (the number of values).

    Examples
    --------
    >>> from tabaug.fidelity.seeds import t_interval
    >>> {k: round(v, 3) for k, v in t_interval([0.61, 0.58, 0.66, 0.63]).items()}
    {'mean': 0.62, 'low': 0.566, 'high': 0.674, 'sd': 0.034, 'n_seeds': 4}
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) < 2 or not np.isfinite(values).all():
        raise DataError(f"An interval over seeds needs at least two finite values, one per "
                        f"seed; got {values.tolist()}. Run more seeds or drop failed runs.")
    if not 0 < confidence < 1:
        raise DataError(f"confidence is {confidence}; give a share between 0 and 1, e.g. 0.95.")
    n, mean, sd = len(values), float(values.mean()), float(values.std(ddof=1))
    half = float(t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n))
    return {"mean": mean, "low": mean - half, "high": mean + half, "sd": sd, "n_seeds": n}


def _numbers(score) -> dict:
    """A score as ``{name: float}``: one number becomes ``{"score": number}``; from a dict,
    the entries that are single numbers (booleans count as 0 or 1)."""
    single = (numbers.Real, np.bool_)
    if isinstance(score, single):
        return {"score": float(score)}
    if isinstance(score, dict):
        return {name: float(value) for name, value in score.items()
                if isinstance(value, single)}
    raise DataError(f"The score returned a {type(score).__name__}; make it return a number or "
                    "a dict of numbers.")


def seed_scores(make_rows, score, seeds=(0, 1, 2, 3, 4)) -> pd.DataFrame:
    """``score(make_rows(seed))`` for each seed, one row per seed.

    Parameters
    ----------
    make_rows : callable
        ``make_rows(seed)`` returns generated rows, e.g. a generator fitted and sampled with
        ``random_state=seed``.
    score : callable
        ``score(rows)`` returns a number or a dict; entries that are not single numbers (e.g.
        curves) are left out.
    seeds : sequence of int, default=(0, 1, 2, 3, 4)
        The seeds, at least two, all distinct.

    Returns
    -------
    DataFrame
        Index ``seed``; one column per number of the score (``score`` if it is one number).
    """
    seeds = list(seeds)
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise DataError(f"seeds are {seeds}; give at least two distinct seeds.")
    rows = {seed: _numbers(score(make_rows(seed))) for seed in seeds}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("seed")


def over_seeds(make_rows, score, seeds=(0, 1, 2, 3, 4), confidence=0.95) -> pd.DataFrame:
    """Mean and t interval over seeds of each number of a score, beside the per-seed values.

    Parameters
    ----------
    make_rows, score, seeds
        As in :func:`seed_scores`.
    confidence : float, default=0.95
        Coverage of each interval (:func:`t_interval`).

    Returns
    -------
    DataFrame
        One row per number of the score (the index ``metric``); the columns of
        :data:`SUMMARY_COLUMNS`, then one column per seed (``seed_0``, ``seed_1``, ...) with
        that seed's value.

    Examples
    --------
    A "generator" that draws rows of a normal law, scored by the mean of their first column:

    >>> import numpy as np
    >>> from tabaug.fidelity.seeds import over_seeds
    >>> make_rows = lambda seed: np.random.default_rng(seed).normal(size=(50, 2))
    >>> score = lambda rows: {"mean_x0": rows[:, 0].mean(), "curve": rows[:, 0]}
    >>> over_seeds(make_rows, score, seeds=[0, 1, 2]).round(2)
             mean   low  high    sd  n_seeds  seed_0  seed_1  seed_2
    metric
    mean_x0  0.03 -0.17  0.23  0.08        3   -0.01   -0.02    0.12
    """
    per_seed = seed_scores(make_rows, score, seeds)
    summary = pd.DataFrame.from_dict({name: t_interval(per_seed[name], confidence)
                                      for name in per_seed.columns}, orient="index")
    values = per_seed.T.rename(columns=lambda seed: f"seed_{seed}")
    return pd.concat([summary, values], axis=1).rename_axis("metric")
