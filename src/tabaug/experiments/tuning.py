"""Step 3 of the paper: tune a HistGradientBoostingClassifier on the validation split, test it
(the scores, and why the paper's "AUC" is reported as balanced accuracy: :mod:`tabaug.metrics`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV, ParameterGrid, PredefinedSplit

from tabaug.errors import DataError
from tabaug.experiments.binning import fast_weighted_binning, uses_fast_binning
from tabaug.metrics import label_metrics, roc_auc

__all__ = [
    "best_setting", "choose_scoring", "compared_f1", "evaluate_methods", "fit_settings",
    "PAPER_PARAM_GRID", "PRACTICAL_HGB_GRID", "test_metrics", "tune_classifier",
    "tune_estimator",
]

#: The paper's grid: five learning rates and three leaf sizes.
PAPER_PARAM_GRID = {
    "learning_rate": [1e-3, 1e-2, 1e-1, 1, 10],
    "min_samples_leaf": [1, 20, 100],
}
#: The benchmark's grid for HistGradientBoosting: what a practitioner would try on a small
#: table, 12 settings against the paper's 15. Learning rates around scikit-learn's 0.1 (the
#: paper's 1 and 10 make each tree overshoot, and its 0.001 barely moves from the prior in
#: 100 trees: both give probabilities a proper scoring rule punishes); small trees (7 leaves)
#: beside the default 31, for tables of a few hundred rows; leaves of 5 rows (a minority class
#: of 17 rows has few more) or the default 20.
PRACTICAL_HGB_GRID = {
    "learning_rate": [0.03, 0.1, 0.3],
    "max_leaf_nodes": [7, 31],
    "min_samples_leaf": [5, 20],
}


def choose_scoring(scoring, n_classes):
    """The scorer that tunes the classifier: ``scoring`` if given, else the F1 score of the
    class of interest (code 1) for two classes, and the macro F1 (every class counts the same)
    for more. A binary-only scorer with more classes stops with the fix."""
    if scoring is None:
        return "f1" if n_classes == 2 else "f1_macro"
    binary_only = {"f1", "precision", "recall", "average_precision", "roc_auc"}
    if n_classes > 2 and scoring in binary_only:
        raise DataError(
            f"scoring={scoring!r} scores one class of two, but the target has {n_classes} "
            f"classes. Use scoring=None (macro F1), or a multi-class scorer such as "
            f"'f1_macro', 'balanced_accuracy' or 'roc_auc_ovr'."
        )
    return scoring


def compared_f1(class_names) -> str:
    """The F1 column the methods are compared by: the class of interest's (code 1) for two
    classes, the macro F1 for more, matching :func:`choose_scoring`'s default."""
    return f"f1_{class_names[1]}" if len(class_names) == 2 else "f1_macro"


def tune_classifier(X_train, y_train, X_val, y_val, param_grid=None, scoring=None, seed=42,
                    class_weight=None, n_jobs=None, fast_binning=False):
    """Grid-search a HistGradientBoostingClassifier: fit on the training rows, score on the
    validation rows, then refit the best setting on training plus validation rows (the paper's
    protocol; only the training rows may be augmented, the validation rows are used as given).
    ``scoring``: a scikit-learn scorer name, or None for :func:`choose_scoring`'s choice.
    ``class_weight="balanced"`` weighs the classes instead of resampling them;
    ``fast_binning=True`` then fits with
    :func:`~tabaug.experiments.binning.fast_weighted_binning` (the same model, several times
    faster on scikit-learn 1.8 and 1.9; an opt-in, because it swaps a private function of
    scikit-learn while the fits run).
    ``n_jobs``: the settings fitted in that many processes (None: one after the other), as in
    :class:`~sklearn.model_selection.GridSearchCV`; the result is the same.
    """
    param_grid = PAPER_PARAM_GRID if param_grid is None else param_grid
    model = HistGradientBoostingClassifier(random_state=seed, class_weight=class_weight)
    return tune_estimator(model, param_grid, X_train, y_train, X_val, y_val, scoring,
                          n_jobs=n_jobs, fast_binning=fast_binning)


def tune_estimator(estimator, param_grid, X_train, y_train, X_val, y_val, scoring=None,
                   refit=True, n_jobs=None, fast_binning=False):
    """:func:`tune_classifier`'s protocol for any scikit-learn classifier: each setting of
    ``param_grid`` fitted on the training rows and scored on the validation rows, the best
    refitted on both (``refit=False``: not refitted; ``best_params_`` says which won).
    ``n_jobs`` goes to ``GridSearchCV``, except with ``fast_binning=True`` for a classifier
    whose class weights need :func:`~tabaug.experiments.binning.fast_weighted_binning`: that
    one is swapped in for this process only, so those fits run here, one after the other (the
    same result, and faster than scikit-learn 1.9's binning in several processes). Returns the
    fitted ``GridSearchCV``."""
    X = np.vstack([X_train, X_val])
    y = np.concatenate([y_train, y_val])
    scoring = choose_scoring(scoring, len(np.unique(y)))
    # -1: always in training; 0: the single validation fold.
    fold = np.concatenate([np.full(len(y_train), -1), np.zeros(len(y_val), dtype=int)])
    fast = fast_binning and uses_fast_binning(estimator)
    if fast:
        n_jobs = None  # the faster binning is swapped in for this process only
    search = GridSearchCV(estimator, param_grid, scoring=scoring, cv=PredefinedSplit(fold),
                          refit=refit, n_jobs=n_jobs)
    with fast_weighted_binning(enabled=fast):
        return search.fit(X, y)


def fit_settings(estimator, param_grid, X, y, fast_binning=False) -> list:
    """Every setting of ``param_grid`` fitted on the rows ``(X, y)``, kept, so that different
    rows can each choose one (:func:`best_setting`) without fitting anything again.

    Parameters
    ----------
    estimator : scikit-learn classifier
        Cloned for each setting; never fitted itself.
    param_grid : dict
        Parameter name -> values, as :class:`~sklearn.model_selection.GridSearchCV` takes it.
    X, y : array-like
        The training rows.
    fast_binning : bool, default=False
        As in :func:`tune_classifier`.

    Returns
    -------
    list of (dict, estimator)
        Each setting and its fitted model, in :class:`~sklearn.model_selection.ParameterGrid`'s
        order (GridSearchCV's).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from tabaug.experiments.tuning import best_setting, fit_settings
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X[:, 0] + rng.normal(size=200) > 1).astype(int)
    >>> fits = fit_settings(LogisticRegression(), {"C": [0.001, 1.0]}, X[:100], y[:100])
    >>> [params for params, _ in fits]
    [{'C': 0.001}, {'C': 1.0}]
    >>> best_setting(fits, X[100:], y[100:], "neg_log_loss")  # C=1 has the lower log loss
    1
    """
    fast = fast_binning and uses_fast_binning(estimator)
    fits = []
    with fast_weighted_binning(enabled=fast):
        for params in ParameterGrid(param_grid):
            fits.append((params, clone(estimator).set_params(**params).fit(X, y)))
    return fits


def best_setting(fits, X, y, scoring=None) -> int:
    """The position in ``fits`` (:func:`fit_settings`) of the model that scores best on these
    rows by ``scoring`` (:func:`choose_scoring`); of equal scores the first, and a score that
    cannot be computed (NaN) the worst, as :class:`~sklearn.model_selection.GridSearchCV`
    ranks them.

    Parameters
    ----------
    fits : list of (dict, estimator)
        Fitted settings.
    X, y : array-like
        The rows that choose, for example validation rows.
    scoring : str or None, default=None
        A scikit-learn scorer name (higher is better), or None for F1.

    Returns
    -------
    int
        The chosen setting's position.
    """
    scorer = get_scorer(choose_scoring(scoring, len(np.unique(y))))
    scores = np.array([scorer(model, X, y) for _, model in fits], dtype=float)
    return int(np.argmax(np.where(np.isnan(scores), -np.inf, scores)))


def test_metrics(model, X_test, y_test, class_names=None) -> dict:
    """Per-class precision, recall and F1, balanced accuracy (the paper's "AUC") and ROC AUC.

    ``class_names`` maps each class code to the name used in the column suffixes. With more
    than two classes, the macro F1 is added and the ROC AUC is the mean of the one-vs-rest AUCs.
    """
    class_names = {0: "benign", 1: "malignant"} if class_names is None else class_names
    predicted = model.predict(X_test)
    metrics = label_metrics(y_test, predicted, class_names)
    metrics["roc_auc"] = roc_auc(y_test, model.predict_proba(X_test))
    return metrics


# Not a pytest test, despite its name.
test_metrics.__test__ = False


def evaluate_methods(training_sets, X_val, y_val, X_test, y_test, class_names=None,
                     param_grid=None, seed=42, scoring=None, n_jobs=None):
    """Tune and test one classifier per training set (``{"Baseline": (X, y), "RO": ...}``),
    each grid setting scored on the validation rows by the scikit-learn scorer ``scoring``,
    the settings fitted in ``n_jobs`` processes (see :func:`tune_classifier`).

    Returns the table (one row per method) and the fitted searches.
    """
    rows, searches = [], {}
    for method, (X_train, y_train) in training_sets.items():
        search = tune_classifier(X_train, y_train, X_val, y_val, param_grid, scoring, seed,
                                 n_jobs=n_jobs)
        searches[method] = search
        rows.append({"method": method, **test_metrics(search, X_test, y_test, class_names)})
    return pd.DataFrame(rows), searches
