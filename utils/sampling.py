"""Step 2 helpers: class counts, and the training sets each augmentation method produces."""

from __future__ import annotations

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state


def class_counts(y, class_names=None) -> pd.Series:
    """Rows per class, named by ``class_names`` where given."""
    labels, counts = np.unique(y, return_counts=True)
    index = [class_names.get(label, label) if class_names else label for label in labels]
    return pd.Series(counts, index=pd.Index(index, name="class"), name="rows")


def minority_class(y):
    """The label with the fewest rows."""
    labels, counts = np.unique(y, return_counts=True)
    return labels[np.argmin(counts)]


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


def classic_samplers(seed=42) -> dict:
    """The paper's two classic over-samplers from imbalanced-learn, seeded."""
    return {
        "RO": RandomOverSampler(random_state=seed),
        "SMOTE": SMOTE(random_state=seed),
    }



def new_rows(sampler, X, y, n_rows, label=1):
    """Only the rows ``sampler`` adds when asked for ``n_rows`` more rows of class ``label``.

    Works with any imbalanced-learn over-sampler (RO, SMOTE, ``GANOversampler``), all of which
    put the original rows first and the new ones after them.
    """
    n_label = int(np.sum(np.asarray(y) == label))
    sampler.set_params(sampling_strategy={label: n_label + int(n_rows)})
    X_res, _ = sampler.fit_resample(X, y)
    return np.asarray(X_res)[len(X):]
