"""Generated rows judged against real rows the generator never saw, and the memorisation signal.

A generator that memorises its training rows passes a classifier two-sample test (C2ST, see
:mod:`~tabaug.fidelity.two_sample`) against those very rows best: its rows *are* (almost)
training rows. So the fidelity score here is the C2ST of generated rows against real
**held-out** rows, and the gap between the C2ST against the training rows and against the
held-out rows is the memorisation signal (negative: the generated rows resemble the training
sample more than new real rows do; strongly so for copies, a little for a generator that fits
the training sample's law closely). :func:`held_out_check` applies a two-sided rule:

- fidelity fails when the C2ST against held-out rows is above
  :data:`~tabaug.fidelity.two_sample.C2ST_TARGET` (too different from real rows);
- memorisation fails when significantly more generated rows have a training row, rather than
  a held-out row, as their nearest real row than a perfect generator would give
  (:func:`closer_to_training`, a permutation test at level :data:`MEMORISATION_LEVEL`).

Rows are numeric 2-D arrays (n_rows, n_features) in one scale, e.g. min-max scaled; numeric
DataFrames are accepted, and tables of mixed columns are encoded first with
:func:`~tabaug.fidelity.two_sample.encode_tables`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.neighbors import NearestNeighbors

import tabaug.fidelity.two_sample as two_sample
from tabaug.errors import DataError
from tabaug.fidelity.two_sample import C2ST_TARGET, as_rows, c2st_folds

__all__ = [
    "checked_groups", "closer_to_training", "held_out_c2st", "held_out_check",
    "MEMORISATION_LEVEL", "N_PERMUTATIONS", "nearest_counts",
]

#: Level of the memorisation test of :func:`closer_to_training`: a perfect generator (rows
#: drawn afresh from the law of the real rows) fails it in at most this share of cases (see
#: :func:`held_out_check`'s Notes for how it was chosen).
MEMORISATION_LEVEL = 0.05
#: Relabellings of the real rows in the permutation test of :func:`closer_to_training`.
N_PERMUTATIONS = 999


def checked_groups(groups: dict, min_rows: int = 1) -> list:
    """The groups of rows of ``groups`` (name -> rows) as float arrays, checked.

    Each must be 2-D, numeric, free of NaN and infinite values (see
    :func:`~tabaug.fidelity.two_sample.as_rows`), have at least ``min_rows`` rows and the
    features of the first group (the same number; for DataFrames, the same column names in
    the same order). Every problem raises :class:`~tabaug.errors.DataError` naming the group
    and the fix.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.held_out import checked_groups
    >>> train, rows = checked_groups({"train_rows": np.zeros((3, 2)), "rows": [[1.0, 2.0]]})
    >>> rows.shape
    (1, 2)
    >>> checked_groups({"train_rows": np.zeros((3, 2)), "rows": [[1.0, 2.0]]}, min_rows=2)
    Traceback (most recent call last):
    ...
    tabaug.errors.DataError: rows has 1 row(s) but this measure needs at least 2; give more rows.
    """
    names = list(groups)
    arrays = [_numeric(groups[name], name) for name in names]
    for name, rows in zip(names, arrays):
        if len(rows) < min_rows:
            raise DataError(f"{name} has {len(rows)} row(s) but this measure needs at least "
                            f"{min_rows}; give more rows.")
        if rows.shape[1] != arrays[0].shape[1]:
            raise DataError(
                f"{names[0]} has {arrays[0].shape[1]} features but {name} has {rows.shape[1]}; "
                "give every group the same feature columns in the same order.")
    columns = {name: list(rows.columns) for name, rows in groups.items()
               if isinstance(rows, pd.DataFrame)}
    if len({tuple(c) for c in columns.values()}) > 1:
        raise DataError(f"The groups' columns differ ({columns}); give every group the same "
                        "columns in the same order, e.g. rows[train_rows.columns].")
    return arrays


def _numeric(rows, name) -> np.ndarray:
    try:
        return as_rows(rows, name)
    except (TypeError, ValueError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(
            f"{name} holds values that are not numbers ({error}); encode tables of mixed "
            "columns first, e.g. train, held_out, rows = encode_tables(train, held_out, rows) "
            "(tabaug.fidelity.two_sample).") from None


def held_out_c2st(train_rows, held_out_rows, synthetic, n_splits=5, n_repeats=5,
                  random_state=0, n_jobs=1) -> dict:
    """C2ST ROC AUCs of generated rows against held-out rows and against training rows, their
    gap, and the real-versus-real baseline, all on samples of equal size.

    Each repeat draws, without replacement, the same number ``n`` of rows from each of the
    three groups, ``n`` being the size of the smallest one (usually the held-out rows), and
    runs three two-sample tests on these draws with the same folds and forests' seeds:
    generated vs held-out, generated vs training, and training vs held-out. So the three AUCs
    rest on the same sample size (the C2ST's spread and small-sample bias depend on it) and the
    gap compares paired tests. The classifier, folds and seeds are those of
    :func:`~tabaug.fidelity.two_sample.c2st_auc`.

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows of the same law that the generator never saw.
    synthetic : array-like of shape (n_synthetic, n_features)
        The generated rows.
    n_splits, n_repeats, random_state, n_jobs : int
        As in :func:`~tabaug.fidelity.two_sample.c2st_auc`; each group needs ``n_splits`` rows.

    Returns
    -------
    dict
        ``vs_held_out`` (the fidelity score: 0.5 = indistinguishable from new real rows),
        ``vs_train``, ``gap`` (``vs_train - vs_held_out``; a memorising generator's is well
        below 0), ``real_vs_real`` (training vs held-out rows: what a perfect generator gets
        against held-out rows at this sample size, near but not exactly 0.5) and
        ``rows_per_group`` (``n``).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.held_out import held_out_c2st
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> copies = train + rng.normal(scale=0.01, size=train.shape)  # a memorising generator
    >>> scores = held_out_c2st(train, held_out, copies, n_splits=3, n_repeats=1)
    >>> {name: round(value, 2) for name, value in scores.items()}
    {'vs_held_out': 0.46, 'vs_train': 0.06, 'gap': -0.4, 'real_vs_real': 0.58, 'rows_per_group': 40}
    """
    train, held_out, synthetic = checked_groups(
        {"train_rows": train_rows, "held_out_rows": held_out_rows, "synthetic": synthetic},
        min_rows=n_splits)
    n = min(len(train), len(held_out), len(synthetic))
    rng = np.random.default_rng(random_state)
    folds = {"vs_held_out": [], "vs_train": [], "real_vs_real": []}
    for _ in range(n_repeats):
        seed = int(rng.integers(2**31 - 1))
        tr, ho, sy = (rows[rng.choice(len(rows), n, replace=False)]
                      for rows in (train, held_out, synthetic))
        for name, (first, second) in zip(folds, [(ho, sy), (tr, sy), (tr, ho)]):
            folds[name] += c2st_folds(first, second, n_splits, 1, seed)
    fits = [fold for group in folds.values() for fold in group]
    scores = iter(Parallel(n_jobs=n_jobs)(delayed(two_sample._fold_auc)(*fold) for fold in fits))
    aucs = {name: float(np.mean([next(scores) for _ in group])) for name, group in folds.items()}
    return {"vs_held_out": aucs["vs_held_out"], "vs_train": aucs["vs_train"],
            "gap": aucs["vs_train"] - aucs["vs_held_out"], "real_vs_real": aucs["real_vs_real"],
            "rows_per_group": n}


def closer_to_training(train_rows, held_out_rows, synthetic, n_permutations=N_PERMUTATIONS,
                       level=MEMORISATION_LEVEL, random_state=0) -> dict:
    """Share of generated rows whose nearest real row is a training row, against what a
    perfect generator gives: a permutation test of memorisation.

    Pool the training and held-out rows and find, for each generated row, its nearest real row
    (Euclidean distance; a tie between real rows is shared, see :func:`nearest_counts`). A
    generator whose rows do not depend on which real rows it was trained on (a perfect one draws
    them afresh from the law of the real rows) cannot tell the two groups apart: since the split
    into training and held-out rows was random, their labels are exchangeable and the expected
    share is ``n_train / (n_train + n_held_out)`` (0.5 for equal groups), whatever the law, the
    dimension or the sample size. Relabelling the pooled rows at random, keeping the group
    sizes, gives the exact distribution of the share under that hypothesis for these very rows
    (no subsampling of the larger group is needed). A memorising generator's rows each sit next
    to the training row they copy: a share near 1.

    Parameters
    ----------
    train_rows, held_out_rows, synthetic : array-like of shape (n_rows, n_features)
        As in :func:`held_out_c2st`; each needs at least one row.
    n_permutations : int, default=N_PERMUTATIONS
        Random relabellings of the real rows.
    level : float, default=MEMORISATION_LEVEL
        Level of the one-sided test: the memorisation check fails when ``p_value < level``.
    random_state : int, default=0
        Seeds the relabellings.

    Returns
    -------
    dict
        ``share`` (observed), ``expected`` (a perfect generator's mean share), ``threshold``
        (the ``1 - level`` quantile of the shares of the relabellings: what a perfect generator
        stays below in ``1 - level`` of cases at these sample sizes), ``p_value`` (one-sided,
        ``(1 + #relabellings with a share >= the observed one) / (1 + n_permutations)``) and
        ``memorised`` (bool: ``p_value < level``).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.held_out import closer_to_training
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(60, 3)), rng.normal(size=(60, 3))
    >>> fresh = closer_to_training(train, held_out, rng.normal(size=(60, 3)))
    >>> fresh["share"], fresh["expected"], round(fresh["threshold"], 2), fresh["memorised"]
    (0.45, 0.5, 0.6, False)
    >>> copies = closer_to_training(train, held_out, train + 0.01)
    >>> copies["share"], copies["p_value"], copies["memorised"]
    (1.0, 0.001, True)
    """
    train, held_out, synthetic = checked_groups(
        {"train_rows": train_rows, "held_out_rows": held_out_rows, "synthetic": synthetic})
    pooled = np.vstack([train, held_out])
    counts = nearest_counts(pooled, synthetic)
    share = counts[:len(train)].sum() / len(synthetic)
    rng = np.random.default_rng(random_state)
    null = np.array([counts[rng.permutation(len(pooled))[:len(train)]].sum()
                     for _ in range(n_permutations)]) / len(synthetic)
    p_value = (1 + np.sum(null >= share - 1e-12)) / (1 + n_permutations)
    return {"share": float(share), "expected": len(train) / len(pooled),
            "threshold": float(np.quantile(null, 1 - level)), "p_value": float(p_value),
            "memorised": bool(p_value < level)}


def nearest_counts(reference, rows, n_neighbors=10) -> np.ndarray:
    """For each row of ``reference``, how many of ``rows`` have it as their nearest reference
    row (Euclidean distance), a tie shared equally among the tied reference rows.

    Sharing ties matters on tables with discrete or one-hot columns, where a generated row is
    often exactly as far from several real rows: a search that picks one of them picks by
    position, and training rows come first. (On 3 x 3 grid values, a perfect generator's share
    of :func:`closer_to_training` was 0.64 instead of 0.5 before ties were shared.)

    Examples
    --------
    >>> from tabaug.fidelity.held_out import nearest_counts
    >>> nearest_counts([[0.0], [1.0], [1.0], [5.0]], [[0.1], [1.0], [4.0]])
    array([1. , 0.5, 0.5, 1. ])
    """
    reference, rows = np.asarray(reference, dtype=float), np.asarray(rows, dtype=float)
    k = min(n_neighbors, len(reference))
    search = NearestNeighbors(n_neighbors=k, algorithm="kd_tree").fit(reference)
    distance, index = search.kneighbors(rows)
    tied = np.isclose(distance, distance[:, :1], rtol=1e-9, atol=1e-12)
    counts = np.zeros(len(reference))
    every_k_tied = tied[:, -1] & (k < len(reference))  # more ties may lie beyond the k found
    ties = tied[~every_k_tied]
    np.add.at(counts, index[~every_k_tied][ties], np.repeat(1 / ties.sum(axis=1),
                                                            ties.sum(axis=1)))
    for row in np.flatnonzero(every_k_tied):
        radius = distance[row, 0] + max(1e-12, 1e-9 * distance[row, 0])
        found = search.radius_neighbors(rows[row:row + 1], radius=radius)[1][0]
        counts[found] += 1 / len(found)
    return counts


def held_out_check(train_rows, held_out_rows, synthetic, c2st_max=C2ST_TARGET,
                   level=MEMORISATION_LEVEL, n_splits=5, n_repeats=5, random_state=0,
                   n_jobs=1, n_permutations=N_PERMUTATIONS) -> dict:
    """The two-sided rule: realistic against new real rows, and not copies of training rows.

    - ``realistic``: the C2ST ROC AUC of generated rows against held-out rows
      (:func:`held_out_c2st`) is at most ``c2st_max``;
    - ``not_memorised``: the share of generated rows whose nearest real row is a training row
      is not significantly above a perfect generator's (:func:`closer_to_training`, one-sided
      permutation test at ``level``).

    Both must hold for ``on_target``. The C2ST gap (``gap``) is reported beside, as the
    memorisation signal a reader can see in the C2ST's own units; the rule rests on the
    permutation test because its threshold follows exactly from the sample sizes, while the
    gap's spread for a perfect generator depends on the law, the forest and the folds.

    Parameters
    ----------
    train_rows, held_out_rows, synthetic : array-like of shape (n_rows, n_features)
        As in :func:`held_out_c2st`.
    c2st_max : float, default=C2ST_TARGET
        The highest C2ST ROC AUC against held-out rows that counts as realistic.
    level : float, default=MEMORISATION_LEVEL
        Level of the memorisation test.
    n_splits, n_repeats, random_state, n_jobs : int
        Go to :func:`held_out_c2st`; ``random_state`` seeds the permutation test too.
    n_permutations : int, default=N_PERMUTATIONS
        Go to :func:`closer_to_training`.

    Returns
    -------
    dict
        The entries of :func:`held_out_c2st`; ``closer_share``, ``closer_expected``,
        ``closer_threshold`` and ``closer_p_value`` from :func:`closer_to_training`; and the
        booleans ``realistic``, ``not_memorised`` and ``on_target``.

    Notes
    -----
    How the memorisation rule was set, measured on a correlated 4-feature Gaussian (features of
    standard deviation 1) with 150 training, 150 held-out and 150 generated rows:

    - a perfect generator: over 200 fresh draws the share's standard deviation was 0.043
      (the binomial one is 0.041) and the test flagged 2.0% of them at level 0.05 (5.5% with
      300 training and 75 held-out rows) and 0.5% at 0.01, as an exact test must;
    - copies of training rows with noise of standard deviation 0.05 as a share of the rows, the
      rest drawn afresh (50 draws each): 30% of copies gave a share of 0.64 and were caught
      94% of the time at 0.05 (78% at 0.01), 20% of copies 0.60 and 72% (26%), all copies 1.0
      and 100%; with 300 training and 75 held-out rows, 30% of copies were caught only 54% of
      the time: the held-out rows' number sets the power;
    - the C2ST gap (5 folds, 1 repeat) of a perfect generator ranged from -0.07 to +0.10 over
      6 draws (standard deviation about 0.06), of all copies from -0.45 to -0.43, of 30% of
      copies from -0.27 to -0.14. A fixed gap threshold would have to be re-set for each sample
      size and law; the permutation test takes its threshold from the rows themselves;
    - on WDBC's 106 malignant training rows (106 held-out ones from the validation and test
      rows), the Gaussian copula's gap was -0.15 (C2ST 0.47 against training rows, 0.62
      against held-out rows, 0.56 real against real), yet its share was 0.45 (p = 0.83) and
      its membership AUC 0.52: a generator that fits the training sample's law without copying
      its rows has a negative gap too, and a gap threshold of -0.1 would have called it
      memorising. Copies of the training rows (noise 0.01) had a gap of -0.56 and a share of 1.

    Hence the level 0.05: a perfect generator fails at most one check in twenty, and 30% of
    copies among 150 rows are caught 94% of the time. Over many generators and seeds, expect a few
    flags on good generators; read them over seeds (:func:`~tabaug.fidelity.seeds.over_seeds`
    gives the share of seeds flagged).

    Examples
    --------
    Copies of training rows look real (to a classifier comparing them with new real rows) but
    fail the memorisation side:

    >>> import numpy as np
    >>> from tabaug.fidelity.held_out import held_out_check
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> copies = train + rng.normal(scale=0.01, size=train.shape)
    >>> check = held_out_check(train, held_out, copies, n_splits=3, n_repeats=1)
    >>> check["realistic"], check["not_memorised"], check["closer_share"], check["on_target"]
    (True, False, 1.0, False)
    """
    scores = held_out_c2st(train_rows, held_out_rows, synthetic, n_splits, n_repeats,
                           random_state, n_jobs)
    closer = closer_to_training(train_rows, held_out_rows, synthetic, n_permutations, level,
                                random_state)
    realistic = scores["vs_held_out"] <= c2st_max
    not_memorised = not closer["memorised"]
    return {**scores, "closer_share": closer["share"], "closer_expected": closer["expected"],
            "closer_threshold": closer["threshold"], "closer_p_value": closer["p_value"],
            "realistic": bool(realistic), "not_memorised": not_memorised,
            "on_target": bool(realistic and not_memorised)}
