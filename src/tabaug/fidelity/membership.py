"""Membership inference: can an attacker who sees only the generated rows tell which real rows
the generator was trained on?

The attack is the distance-based one of GAN-Leaks' full black-box setting (Chen, Yu, Zhang and
Fritz, CCS 2020) and of Hilprecht, Härterich and Bernau (PETS 2019): a real row whose nearest
generated row is very close is guessed to be a training row (a *member*). Scored on the
training rows (members) and on real held-out rows (non-members) by ROC AUC: 0.5 = the generated
rows leak nothing about who was in the training set; a generator that copies its training rows
gives near 1.

The distance is Euclidean in the space of the rows (e.g. min-max scaled); tables of mixed
columns are encoded first with :func:`~tabaug.fidelity.two_sample.encode_tables`. A stronger
attacker (one calibrating each distance by the local density of real rows, or one who knows
the generator) can only do better: this AUC is a floor on the leak, not a guarantee of privacy.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata
from sklearn.neighbors import NearestNeighbors

from tabaug.fidelity.held_out import checked_groups

__all__ = ["auc_with_se", "membership_auc"]


def auc_with_se(positive_scores, negative_scores) -> tuple:
    """ROC AUC of scores of two groups (higher = positive) and its standard error.

    The AUC is the Mann-Whitney probability that a positive scores above a negative (ties
    count half). Its standard error is the U-statistic one of DeLong, DeLong and
    Clarke-Pearson (1988), from each row's placement: the share of the other group it beats.
    It treats the rows as independent draws and needs at least two rows in each group.

    Returns
    -------
    tuple of float
        ``(auc, standard_error)``.

    Examples
    --------
    >>> from tabaug.fidelity.membership import auc_with_se
    >>> auc, se = auc_with_se([0.9, 0.8, 0.4], [0.5, 0.3, 0.2, 0.1])
    >>> round(auc, 3), round(se, 3)
    (0.917, 0.118)
    """
    positive = np.asarray(positive_scores, dtype=float)
    negative = np.asarray(negative_scores, dtype=float)
    m, n = len(positive), len(negative)
    ranks = rankdata(np.concatenate([positive, negative]))
    # placements: the share of the other group each row beats (ties half)
    beats = (ranks[:m] - rankdata(positive)) / n
    beaten = 1 - (ranks[m:] - rankdata(negative)) / m
    auc = float(beats.mean())
    se = float(np.sqrt(beats.var(ddof=1) / m + beaten.var(ddof=1) / n))
    return auc, se


def membership_auc(train_rows, held_out_rows, synthetic, confidence=0.95) -> dict:
    """ROC AUC of the distance-based membership attack, with a normal interval.

    Each real row is scored by minus its distance to the closest generated row; the AUC is that
    of telling the training rows (members) from the held-out rows (non-members) by this score.

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on: the members; at least two.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows of the same law it never saw: the non-members; at least two.
    synthetic : array-like of shape (n_synthetic, n_features)
        The generated rows, all the attacker sees.
    confidence : float, default=0.95
        Coverage of the interval ``auc -/+ z * se`` (clipped to [0, 1]), ``se`` from
        :func:`auc_with_se`. It reflects the sampling of the real rows for these generated rows;
        for the generator's own randomness, repeat over its seeds
        (:func:`~tabaug.fidelity.seeds.over_seeds`).

    Returns
    -------
    dict
        ``auc`` (0.5 = no leak, 1 = every member found), ``se``, ``low``, ``high``, and
        ``members`` and ``non_members`` (the numbers of rows).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.membership import membership_auc
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(100, 3)), rng.normal(size=(100, 3))
    >>> fresh = membership_auc(train, held_out, rng.normal(size=(100, 3)))
    >>> round(fresh["auc"], 2), round(fresh["low"], 2), round(fresh["high"], 2)
    (0.47, 0.39, 0.55)
    >>> round(membership_auc(train, held_out, train + 0.01)["auc"], 2)  # copies
    1.0
    """
    train, held_out, synthetic = checked_groups(
        {"train_rows": train_rows, "held_out_rows": held_out_rows, "synthetic": synthetic})
    checked_groups({"train_rows": train, "held_out_rows": held_out}, min_rows=2)
    search = NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(synthetic)
    members = -search.kneighbors(train)[0][:, 0]
    non_members = -search.kneighbors(held_out)[0][:, 0]
    auc, se = auc_with_se(members, non_members)
    z = norm.ppf(0.5 + confidence / 2)
    return {"auc": auc, "se": se, "low": float(max(0.0, auc - z * se)),
            "high": float(min(1.0, auc + z * se)),
            "members": len(train), "non_members": len(held_out)}
