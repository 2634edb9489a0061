"""Fidelity: can a classifier tell generated rows from real ones? The classifier two-sample
test (C2ST): a random forest's cross-validated ROC AUC at telling the two apart (0.5 = it cannot).

Rows are numeric 2-D arrays (n_rows, n_features), e.g. min-max scaled to [0, 1]; pandas
DataFrames are accepted too, and tables of mixed columns are encoded first
(:func:`encode_tables`).
"""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from tabaug.errors import DataError
from tabaug.generators.columns import TableEncoder

__all__ = [
    "as_pair", "as_rows", "C2ST_TARGET", "c2st_auc", "c2st_by_source", "c2st_classifier",
    "c2st_folds", "encode_tables",
]

#: The project's target: a C2ST ROC AUC against real rows the generator never saw at most this
#: high counts as realistic.
C2ST_TARGET = 0.65


def as_rows(rows, name="rows") -> np.ndarray:
    """``rows`` as a float array of shape (n_rows, n_features); :class:`DataError` if it is not
    2-D, has no rows, or holds NaN or infinite values."""
    array = np.asarray(rows, dtype=float)
    if array.ndim != 2:
        raise DataError(
            f"{name} has {array.ndim} dimension(s); give a 2-D array of shape (n_rows, "
            f"n_features), e.g. X.reshape(-1, 1) for a single feature.")
    if len(array) == 0:
        raise DataError(f"{name} has no rows; give at least one row.")
    if not np.isfinite(array).all():
        raise DataError(
            f"{name} holds NaN or infinite values; drop or impute them before comparing rows.")
    return array


def as_pair(real, synthetic, names=("real", "synthetic")):
    """Both groups as checked arrays (see :func:`as_rows`) with the same number of features."""
    real, synthetic = as_rows(real, names[0]), as_rows(synthetic, names[1])
    if real.shape[1] != synthetic.shape[1]:
        raise DataError(
            f"{names[0]} has {real.shape[1]} features but {names[1]} has "
            f"{synthetic.shape[1]}; give both groups the same feature columns in the same order.")
    return real, synthetic


def encode_tables(train, *others) -> list:
    """``train`` and ``others`` (tables of any column types) as float arrays in one encoding
    fitted on ``train``: numeric columns min-max scaled to its range, categories one-hot,
    constant columns dropped. The space in which this module compares rows of a real table."""
    encoder = TableEncoder().fit(train)
    return [encoder.transform(rows) for rows in (train, *others)]


def c2st_classifier(random_state=0) -> RandomForestClassifier:
    """The classifier of the two-sample test: a random forest of 200 trees on one core (on a
    few hundred rows, growing its trees in threads is slower than in one)."""
    return RandomForestClassifier(n_estimators=200, random_state=random_state, n_jobs=1)


def _fold_auc(X, y, train, test, seed) -> float:
    """ROC AUC on one fold's test rows of the forest fitted on its training rows (what
    ``cross_val_score(..., scoring="roc_auc")`` computes for that fold)."""
    model = c2st_classifier(seed).fit(X[train], y[train])
    return roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])


def c2st_auc(real, synthetic, n_splits=5, n_repeats=5, random_state=0, n_jobs=1) -> float:
    """Classifier two-sample test: cross-validated ROC AUC of telling real rows (0) from
    synthetic rows (1), the mean over ``n_splits`` folds and ``n_repeats`` repeats.

    Each repeat draws, without replacement, the same number of rows from both groups (the size of
    the smaller one), so that the AUC is not swayed by unequal group sizes. The classifier is
    :func:`c2st_classifier`'s random forest.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_rows, n_features)
        The two groups of rows, with the same features (checked by :func:`as_pair`); each needs
        at least ``n_splits`` rows.
    n_splits : int, default=5
        Folds of each repeat's cross-validation.
    n_repeats : int, default=5
        Repeats, each with its own draw of rows and its own folds.
    random_state : int, default=0
        Seeds the draws, the folds and the forests: the same seed gives the same AUC.
    n_jobs : int, default=1
        The ``n_splits * n_repeats`` fits run in ``n_jobs`` processes (-1: every core); the AUC
        is the same on any number of them.

    Returns
    -------
    float
        The mean ROC AUC. 0.5 means the classifier cannot tell the groups apart, 1.0 that it
        always can. Values well below 0.5 occur when synthetic rows copy real ones (the
        classifier learns the wrong way round across folds); they are returned as they are.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity import c2st_auc
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(80, 3))
    >>> round(c2st_auc(real[:40], real[40:], n_splits=3, n_repeats=1), 2)  # the same law
    0.52
    >>> round(c2st_auc(real[:40], real[40:] + 2.0, n_splits=3, n_repeats=1), 2)  # shifted
    0.95
    """
    real, synthetic = as_pair(real, synthetic)
    return c2st_by_source(real, {"synthetic": synthetic}, n_splits, n_repeats, random_state,
                          n_jobs)["synthetic"]


def c2st_folds(real, synthetic, n_splits=5, n_repeats=5, random_state=0) -> list:
    """The fits of :func:`c2st_auc`, each as ``(X, y, train, test, seed)`` for
    :func:`_fold_auc`: its rows drawn and its folds made, nothing fitted yet (the report pools
    every source's fits in one set of processes)."""
    n = min(len(real), len(synthetic))
    if n < n_splits:
        raise DataError(
            f"The C2ST with n_splits={n_splits} needs at least {n_splits} rows in each group, "
            f"but one group has only {n}; give more rows or lower n_splits.")
    rng = np.random.default_rng(random_state)
    y = np.repeat([0, 1], n)
    folds = []
    for _ in range(n_repeats):
        seed = int(rng.integers(2**31 - 1))
        X = np.vstack([real[rng.choice(len(real), n, replace=False)],
                       synthetic[rng.choice(len(synthetic), n, replace=False)]])
        folds += [(X, y, train, test, seed) for train, test
                  in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y)]
    return folds


def c2st_by_source(train, sources, n_splits=5, n_repeats=5, random_state=0, n_jobs=1) -> dict:
    """:func:`c2st_auc` of each source's rows against ``train``, every source with the same
    ``random_state``, all their fits in one pool of ``n_jobs`` processes: a few hundred rows
    fit in a fraction of a second, so a pool per source would leave cores idle between them."""
    folds = {name: c2st_folds(train, rows, n_splits, n_repeats, random_state)
             for name, rows in sources.items()}
    scores = iter(Parallel(n_jobs=n_jobs)(delayed(_fold_auc)(*fold)
                                          for source in folds.values() for fold in source))
    return {name: float(np.mean([next(scores) for _ in source]))
            for name, source in folds.items()}
