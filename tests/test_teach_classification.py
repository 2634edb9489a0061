"""Notebook 04's tuning: the `scoring` a learner sets is the scorer GridSearchCV optimizes.

Before, ``evaluate_methods`` tuned every method by F1 whatever ``scoring`` said, while the
notebook labelled the validation column with ``scoring``.
"""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from threadpoolctl import threadpool_limits

from utils import evaluate_methods

#: Small, but wide enough that F1 and ROC AUC rank the settings differently on WDBC's seed-42
#: validation rows (checked below, so the test cannot pass by accident).
GRID = {"learning_rate": [0.1, 1.0], "min_samples_leaf": [5, 20]}


@pytest.fixture(autouse=True, scope="module")
def single_openmp_thread():
    """One OpenMP thread for HistGradientBoosting (see tests/test_evaluation.py: its threads
    spin-wait on a busy 2-core machine)."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def _validation_scores(prepared, X_train, y_train, score):
    """``score(model)`` on the validation rows for every grid setting, each model fitted on the
    training rows only, as GridSearchCV's predefined split does."""
    scores = {}
    for learning_rate in GRID["learning_rate"]:
        for leaf in GRID["min_samples_leaf"]:
            model = HistGradientBoostingClassifier(
                random_state=42, learning_rate=learning_rate, min_samples_leaf=leaf
            ).fit(X_train, y_train)
            scores[(learning_rate, leaf)] = score(model)
    return scores


def _evaluate(prepared, **kwargs):
    training_sets = {"Baseline": (prepared.X_train, prepared.y_train)}
    return evaluate_methods(training_sets, prepared.X_val, prepared.y_val, prepared.X_test,
                            prepared.y_test, prepared.class_names, GRID, 42, **kwargs)


@pytest.fixture(scope="module")
def by_scorer(prepared):
    """Validation F1 and ROC AUC of every setting, computed by hand."""
    X, y = prepared.X_train, prepared.y_train
    return {
        "f1": _validation_scores(prepared, X, y,
                                 lambda m: f1_score(prepared.y_val, m.predict(prepared.X_val))),
        "roc_auc": _validation_scores(
            prepared, X, y,
            lambda m: roc_auc_score(prepared.y_val, m.predict_proba(prepared.X_val)[:, 1])),
    }


def _settings(search):
    return [(p["learning_rate"], p["min_samples_leaf"]) for p in search.cv_results_["params"]]


def test_default_scoring_is_still_f1(prepared, by_scorer):
    _, searches = _evaluate(prepared)  # no scoring: the paper's F1, as before
    search = searches["Baseline"]
    assert search.scoring == "f1"
    expected = [by_scorer["f1"][s] for s in _settings(search)]
    np.testing.assert_allclose(search.cv_results_["split0_test_score"], expected, atol=1e-12)


def test_roc_auc_scoring_is_what_the_search_optimizes(prepared, by_scorer):
    # The grid must separate the two scorers, or this test could not tell them apart.
    f1_best = max(by_scorer["f1"], key=by_scorer["f1"].get)
    auc_best = max(by_scorer["roc_auc"], key=by_scorer["roc_auc"].get)
    assert f1_best != auc_best

    table, searches = _evaluate(prepared, scoring="roc_auc")
    search = searches["Baseline"]
    assert search.scoring == "roc_auc"
    expected = [by_scorer["roc_auc"][s] for s in _settings(search)]
    np.testing.assert_allclose(search.cv_results_["split0_test_score"], expected, atol=1e-12)
    chosen = (search.best_params_["learning_rate"], search.best_params_["min_samples_leaf"])
    assert search.best_score_ == pytest.approx(by_scorer["roc_auc"][chosen], abs=1e-12)
    assert search.best_score_ == pytest.approx(by_scorer["roc_auc"][auc_best], abs=1e-12)
    assert chosen == auc_best != f1_best
    assert table["method"].tolist() == ["Baseline"]


def test_average_precision_scoring_reaches_the_search(prepared):
    _, searches = _evaluate(prepared, scoring="average_precision")
    search = searches["Baseline"]
    assert search.scoring == "average_precision"
    best = HistGradientBoostingClassifier(random_state=42, **search.best_params_).fit(
        prepared.X_train, prepared.y_train)
    expected = average_precision_score(prepared.y_val, best.predict_proba(prepared.X_val)[:, 1])
    assert search.best_score_ == pytest.approx(expected, abs=1e-12)


def test_zoom_inset_redraws_every_line_in_the_zoomed_region():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from tabaug.report.figures import zoom_inset

    fig, ax = plt.subplots()
    ax.plot([0, 0, 1], [0, 0.9, 1], drawstyle="steps-post", label="curve")
    ax.plot(0.0, 0.9, "o", markersize=9)
    inset = zoom_inset(ax, (0, 0.1), (0.8, 1.0))
    assert inset in ax.child_axes
    assert inset.get_xlim() == (0, 0.1) and inset.get_ylim() == (0.8, 1.0)
    assert len(inset.get_lines()) == 2
    for original, copy in zip(ax.get_lines(), inset.get_lines()):
        np.testing.assert_array_equal(original.get_xydata(), copy.get_xydata())
        assert copy.get_color() == original.get_color()
        assert copy.get_drawstyle() == original.get_drawstyle()
        assert copy.get_markersize() == original.get_markersize()
    plt.close(fig)
