"""The fast weighted binning gives scikit-learn's thresholds and models, and undoes itself."""

import threading
from unittest import mock

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting import binning

from tabaug.experiments import binning as weighted_binning
from tabaug.experiments.binning import (
    fast_weighted_binning,
    needs_fast_binning,
    weighted_bin_thresholds,
)
from tabaug.experiments.tuning import tune_classifier

SKLEARN = weighted_binning._SKLEARN_THRESHOLDS
needs_weighted_bins = pytest.mark.skipif(
    not needs_fast_binning(), reason="this scikit-learn does not bin weighted rows slowly")


def column(kind, n, rng):
    """A feature column of one of the shapes that matter for percentiles."""
    if kind == "continuous":
        return rng.normal(size=n)
    if kind == "ties":
        return np.round(rng.normal(size=n), 1)
    if kind == "integers":
        return rng.integers(0, 400, size=n).astype(float)
    values = np.round(rng.exponential(size=n), 2)
    values[rng.random(n) < 0.1] = np.nan
    return values


@needs_weighted_bins
@pytest.mark.parametrize("kind", ["continuous", "ties", "integers", "missing"])
@pytest.mark.parametrize("zero_weights", [False, True])
def test_thresholds_equal_scikit_learns(kind, zero_weights):
    rng = np.random.default_rng(len(kind) + zero_weights)
    for n in (60, 284, 300, 1500):
        values = column(kind, n, rng)
        weights = rng.choice([0.6, 1.0, 2.7, 11.3], size=n)
        if zero_weights:
            weights[rng.random(n) < 0.05] = 0
        expected = SKLEARN(values.copy(), 255, weights.copy())
        np.testing.assert_array_equal(weighted_bin_thresholds(values, 255, weights), expected)
        # Unweighted columns are scikit-learn's own path.
        np.testing.assert_array_equal(weighted_bin_thresholds(values, 255),
                                      SKLEARN(values.copy(), 255))


@needs_weighted_bins
def test_class_weighted_model_is_identical():
    rng = np.random.default_rng(0)
    X = np.round(rng.normal(size=(400, 5)), 2)
    y = (X[:, 0] + rng.normal(size=400) > 1.2).astype(int)
    model = HistGradientBoostingClassifier(class_weight="balanced", max_iter=30, random_state=0)
    expected = model.fit(X, y).predict_proba(X)
    with fast_weighted_binning():
        assert binning._find_binning_thresholds is weighted_bin_thresholds
        fast = model.fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(fast, expected)


@needs_weighted_bins
def test_the_study_tunes_class_weighted_models_with_the_fast_binning():
    rng = np.random.default_rng(1)
    X = np.round(rng.normal(size=(600, 3)), 3)
    y = (X[:, 0] + rng.normal(size=600) > 1.5).astype(int)
    grid = {"learning_rate": [0.1], "min_samples_leaf": [20]}
    calls = []

    def counted(col_data, max_bins, sample_weight=None):
        calls.append(sample_weight is not None)
        return weighted_bin_thresholds(col_data, max_bins, sample_weight)

    with mock.patch.object(weighted_binning, "weighted_bin_thresholds", counted):
        fast = tune_classifier(X[:300], y[:300], X[300:450], y[300:450], grid, seed=0,
                               class_weight="balanced", fast_binning=True).predict_proba(X[450:])
    assert calls and all(calls)  # every fit's columns, weighted
    calls.clear()
    with mock.patch.object(weighted_binning, "weighted_bin_thresholds", counted):
        slow = tune_classifier(X[:300], y[:300], X[300:450], y[300:450], grid, seed=0,
                               class_weight="balanced").predict_proba(X[450:])
    assert calls == []  # an opt-in: scikit-learn's own binning unless asked for
    np.testing.assert_array_equal(fast, slow)


def test_the_block_restores_scikit_learns_function_also_after_an_error():
    with pytest.raises(RuntimeError):
        with fast_weighted_binning(enabled=True):
            with fast_weighted_binning(enabled=True):
                pass
            assert binning._find_binning_thresholds is weighted_bin_thresholds  # still inside
            raise RuntimeError("a failing fit")
    assert binning._find_binning_thresholds is SKLEARN
    with fast_weighted_binning(enabled=False):
        assert binning._find_binning_thresholds is SKLEARN


def test_overlapping_blocks_in_threads_restore_scikit_learns_function():
    inside, release = threading.Barrier(3), threading.Event()

    def block():
        with fast_weighted_binning(enabled=True):
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=block) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert binning._find_binning_thresholds is weighted_bin_thresholds
    release.set()
    for thread in threads:
        thread.join()
    assert binning._find_binning_thresholds is SKLEARN


def test_only_the_slow_versions_are_changed():
    weighs = "sample_weight" in weighted_binning.inspect.signature(SKLEARN).parameters
    assert needs_fast_binning("1.9.1") is weighs
    assert not needs_fast_binning("1.10.0")
    assert not needs_fast_binning("2.0")
