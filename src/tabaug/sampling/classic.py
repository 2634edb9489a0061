"""Step 2 helpers: class counts, and the training sets each augmentation method produces."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from tabaug.errors import DataError

__all__ = [
    "class_counts", "classic_samplers", "fit_neighbours", "majority_class", "minority_class",
    "new_rows", "rows_to_add", "smote_rows",
]


def class_counts(y, class_names=None) -> pd.Series:
    """Rows per class, named by ``class_names`` where given."""
    labels, counts = np.unique(y, return_counts=True)
    index = [class_names.get(label, label) if class_names else label for label in labels]
    return pd.Series(counts, index=pd.Index(index, name="class"), name="rows")


def minority_class(y):
    """The label with the fewest rows (of several as small, the first in sorted order)."""
    labels, counts = np.unique(y, return_counts=True)
    return labels[np.argmin(counts)]


def majority_class(y):
    """The label with the most rows (of several as large, the first in sorted order)."""
    labels, counts = np.unique(y, return_counts=True)
    return labels[np.argmax(counts)]


def rows_to_add(y, class_names=None, sampling_strategy="auto") -> pd.Series:
    """Rows an imbalanced-learn over-sampler adds to each class, named by ``class_names``.

    imbalanced-learn works this out with ``check_sampling_strategy``; with the default
    ``"auto"`` every class smaller than the largest gets as many rows as it lacks to match the
    largest (two classes: the minority only), and the largest gets none. Every class is listed,
    with 0 where nothing is added.
    """
    from imblearn.utils import check_sampling_strategy

    wanted = check_sampling_strategy(sampling_strategy, np.asarray(y), "over-sampling")
    counts = class_counts(y)
    added = [int(wanted.get(label, 0)) for label in counts.index]
    index = [class_names.get(label, label) if class_names else label for label in counts.index]
    return pd.Series(added, index=pd.Index(index, name="class"), name="rows to add")


def smote_rows(minority_rows, n_new, k_neighbors=5, random_state=None):
    """SMOTE's new rows, written out: each lies on the segment from a minority row to one of
    its ``k_neighbors`` nearest minority neighbours, ``gap`` of the way along (gap uniform in
    [0, 1)): ``new = row + gap * (neighbour - row)``.

    The random numbers are drawn as imbalanced-learn's ``SMOTE(k_neighbors=k_neighbors,
    random_state=random_state)`` draws them for one class (imbalanced-learn 0.14): one integer
    per new row picks the row and its neighbour at once, then one gap per new row. From the same
    seed this returns exactly the rows ``SMOTE.fit_resample`` appends for a two-class problem.
    Notebook 02 writes the same steps in cells.
    """
    rows = np.asarray(minority_rows, dtype=float)
    neighbours = (NearestNeighbors(n_neighbors=k_neighbors + 1).fit(rows)
                  .kneighbors(rows, return_distance=False)[:, 1:])  # the nearest is the row itself
    rng = check_random_state(random_state)
    picks = rng.randint(0, len(rows) * k_neighbors, size=n_new)
    base, rank = np.divmod(picks, k_neighbors)  # which row, which of its neighbours
    gaps = rng.uniform(size=n_new)[:, np.newaxis]
    return rows[base] + gaps * (rows[neighbours[base, rank]] - rows[base])


def classic_samplers(seed=42, y=None) -> dict:
    """The paper's two classic over-samplers from imbalanced-learn, seeded.

    Given the training labels ``y``, SMOTE's neighbours are fitted to the smallest class
    (:func:`fit_neighbours`), with a warning when they are lowered."""
    samplers = {
        "RO": RandomOverSampler(random_state=seed),
        "SMOTE": SMOTE(random_state=seed),
    }
    if y is not None:
        note = fit_neighbours(samplers["SMOTE"], y)
        if note:
            warnings.warn(f"SMOTE: {note}", UserWarning, stacklevel=2)
    return samplers


def fit_neighbours(sampler, y) -> str:
    """Fit a SMOTE-like sampler's number of neighbours to the smallest class of ``y``, in place;
    return a note saying what changed ("" when nothing did).

    SMOTE, Borderline-SMOTE and ADASYN interpolate between a row and one of its 5 nearest
    neighbours of the same class, which a class of 5 rows or fewer does not have: their
    neighbours are lowered to the class's rows minus one. A class of a single row cannot be
    interpolated and stops with the fix.
    """
    key = "n_neighbors" if "n_neighbors" in sampler.get_params() else "k_neighbors"
    wanted = sampler.get_params()[key]
    counts = np.bincount(np.asarray(y))
    smallest = int(counts[counts > 0].min())
    if smallest < 2:
        raise DataError(
            f"{type(sampler).__name__} needs at least 2 training rows in every class it "
            "over-samples, and a class has 1. Use random over-sampling (RO) for it, or merge it "
            "into a related class."
        )
    if not isinstance(wanted, numbers.Integral) or smallest > wanted:
        return ""
    sampler.set_params(**{key: smallest - 1})
    return (f"{key} lowered from {wanted} to {smallest - 1}: the smallest class has {smallest} "
            "training rows")


def new_rows(sampler, X, y, n_rows, label=1):
    """Only the rows ``sampler`` adds when asked for ``n_rows`` more rows of class ``label``
    (and of no other class: ``sampling_strategy={label: ...}``).

    Works with any imbalanced-learn over-sampler (RO, SMOTE, ``GANOversampler``), all of which
    put the original rows first and the new ones after them. Notebook 07 passes the minority
    class as ``label``.
    """
    n_label = int(np.sum(np.asarray(y) == label))
    sampler.set_params(sampling_strategy={label: n_label + int(n_rows)})
    X_res, _ = sampler.fit_resample(X, y)
    return np.asarray(X_res)[len(X):]
