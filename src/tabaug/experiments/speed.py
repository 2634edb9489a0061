"""The machine's speed, now: one unit of work, timed, so that seconds measured on different (and
differently loaded) machines can be compared as units (seconds / unit seconds).

The unit is the team's reference (``shared/tools/reference_speed.py``): the paper's grid search
once, i.e. 16 :class:`~sklearn.ensemble.HistGradientBoostingClassifier` fits on WDBC's 284
training rows. Where the reference file is not beside the repository (a user's checkout), the
same work, written here, is timed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["REFERENCE_FOLDER", "unit_seconds"]

#: Where the team's reference lives, beside the repository.
REFERENCE_FOLDER = Path(__file__).resolve().parents[3].parent / "shared" / "tools"


def unit_seconds() -> float:
    """Seconds of one unit on this machine, now (the shared reference, run in this process).

    Returns
    -------
    float
        The median over five runs of the reference work, in seconds.
    """
    if (REFERENCE_FOLDER / "reference_speed.py").exists():
        sys.path.insert(0, str(REFERENCE_FOLDER))
        try:
            from reference_speed import unit_seconds as reference
        finally:
            sys.path.remove(str(REFERENCE_FOLDER))
        return float(reference())
    return _unit_seconds_here()


def _unit_seconds_here(repeats=5) -> float:
    """The reference's unit (16 HistGradientBoosting fits of the paper's grid on WDBC's 284
    training rows), for a checkout without ``shared/tools``."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, train_size=0.5, random_state=42, stratify=y)
    grid = [(lr, leaf) for lr in (1e-3, 1e-2, 1e-1, 1, 10) for leaf in (1, 20, 100)] + [(0.1, 20)]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for lr, leaf in grid:
            HistGradientBoostingClassifier(learning_rate=lr, min_samples_leaf=leaf,
                                           random_state=42).fit(X_train, y_train)
        times.append(time.perf_counter() - start)
    return float(np.median(times))
