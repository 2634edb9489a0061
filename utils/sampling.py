"""Step 2 helpers: class counts, and the training sets each augmentation method produces."""

from __future__ import annotations

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler


def class_counts(y, class_names=None) -> pd.Series:
    """Rows per class, named by ``class_names`` where given."""
    labels, counts = np.unique(y, return_counts=True)
    index = [class_names.get(label, label) if class_names else label for label in labels]
    return pd.Series(counts, index=pd.Index(index, name="class"), name="rows")


def minority_class(y):
    """The label with the fewest rows."""
    labels, counts = np.unique(y, return_counts=True)
    return labels[np.argmin(counts)]


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
