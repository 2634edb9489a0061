"""The classifiers an experiment tunes and tests, each with the grid tuned on validation rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from tabaug.experiments.tuning import PRACTICAL_HGB_GRID

__all__ = ["check_classifiers", "Classifier", "CLASSIFIERS", "hgb"]


def hgb(seed, class_weight=None):
    """The paper's classifier, seeded; ``class_weight="balanced"`` weighs the classes."""
    return HistGradientBoostingClassifier(random_state=seed, class_weight=class_weight)


@dataclass(frozen=True)
class Classifier:
    """A classifier of an experiment: how to make it, the grid tuned on validation rows, and
    whether it can weigh classes (``class_weight``)."""

    make: Callable  # make(seed, class_weight) -> unfitted scikit-learn classifier
    grid: dict
    weighs_classes: bool = True


def _logistic_regression(seed, class_weight=None):
    return LogisticRegression(max_iter=2000, class_weight=class_weight)


def _nearest_neighbours(seed, class_weight=None):
    return KNeighborsClassifier()


CLASSIFIERS: dict[str, Classifier] = {
    # The paper's classifier over a practitioner's grid (notebooks 04 and 06 keep the paper's:
    # tabaug.experiments.study.paper_classifier).
    "HGB": Classifier(hgb, PRACTICAL_HGB_GRID),
    # The linear model users reach for first; features are min-max scaled already.
    "LR": Classifier(_logistic_regression, {"C": [0.01, 0.1, 1, 10, 100]}),
    # A distance-based model: it has no class weights, so resampling is its only lever.
    "kNN": Classifier(_nearest_neighbours,
                      {"n_neighbors": [5, 15, 45], "weights": ["uniform", "distance"]},
                      weighs_classes=False),
}


def check_classifiers(classifiers) -> dict:
    """The classifiers to run, name -> :class:`Classifier`: names of :data:`CLASSIFIERS`
    (None: all of them), or a mapping of names to classifiers of your own."""
    if isinstance(classifiers, dict):
        return dict(classifiers)
    classifiers = list(CLASSIFIERS) if classifiers is None else list(classifiers)
    unknown = [name for name in classifiers if name not in CLASSIFIERS]
    if unknown:
        raise ValueError(f"Unknown classifier(s) {unknown}. Known: {list(CLASSIFIERS)}.")
    return {name: CLASSIFIERS[name] for name in classifiers}
