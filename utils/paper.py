"""The paper's published numbers, which notebook 04 and README set beside ours.

Huang et al., *A Tutorial on Generative Adversarial Networks with Application to Classification
of Imbalanced Data*, Table 1: one HistGradientBoostingClassifier per training set (no
augmentation, RO, SMOTE, GAN), tested once on WDBC's test rows.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PAPER_TABLE1", "TABLE1_COLUMNS"]

#: The column order of Table 1.
TABLE1_COLUMNS = [
    "method",
    "precision_benign", "precision_malignant",
    "recall_benign", "recall_malignant",
    "f1_benign", "f1_malignant",
    "balanced_accuracy", "roc_auc",
]

#: Table 1 as printed in the paper. Its "AUC" column was computed from hard labels, so it is
#: balanced accuracy; the paper did not report a ROC AUC from probabilities.
PAPER_TABLE1 = pd.DataFrame(
    [
        ["Baseline", 0.947, 1.0, 1.0, 0.906, 0.973, 0.951, 0.953],
        ["RO", 0.947, 1.0, 1.0, 0.906, 0.973, 0.951, 0.953],
        ["SMOTE", 0.947, 1.0, 1.0, 0.906, 0.973, 0.951, 0.953],
        ["GAN", 0.973, 1.0, 1.0, 0.953, 0.986, 0.976, 0.977],
    ],
    columns=TABLE1_COLUMNS[:-1],
)
