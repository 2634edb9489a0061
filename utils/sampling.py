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

