"""tabaug.experiments.tuning (Step 3: tune on validation rows, test) and utils.pipeline (training
sets)."""

import dataclasses

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import PredefinedSplit
from threadpoolctl import threadpool_limits

from tabaug.experiments.tuning import (
    PAPER_PARAM_GRID,
    evaluate_methods,
    test_metrics,
    tune_classifier,
)
from utils.paper import PAPER_TABLE1, TABLE1_COLUMNS
from utils.pipeline import (
    GAN_ROWS_FILE,
    TrainingSet,
    augmented_training_sets,
    load_gan_rows,
    save_gan_rows,
)

SMALL_GRID = {"learning_rate": [0.1, 1.0], "min_samples_leaf": [5, 20]}

PARAMS = {
    "data_path": None, "target": "diagnosis", "positive_label": None, "id_columns": ["id"],
    "seed": 42,
    "train_size": 0.5, "validation_share": 0.4,
    "epochs": 1, "batch_size": 32, "learning_rate": 1e-4, "noise_dim": None,
}


@pytest.fixture(autouse=True, scope="module")
def single_openmp_thread():
    """Run HistGradientBoosting on one OpenMP thread. On this 2-core machine its OpenMP threads
    spin-wait whenever another process holds a core, which made this module ~30x slower (8 min
    instead of 15 s); with a few hundred rows one thread is as fast as two."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


class FixedModel:
    """A stand-in classifier with given hard predictions and probabilities."""

    def __init__(self, predicted, proba_positive):
        self.predicted = np.asarray(predicted)
        self.proba_positive = np.asarray(proba_positive, dtype=float)

    def predict(self, X):
        return self.predicted

    def predict_proba(self, X):
        return np.column_stack([1 - self.proba_positive, self.proba_positive])


# --- tune_classifier --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ro_training(prepared):
    return RandomOverSampler(random_state=0).fit_resample(prepared.X_train, prepared.y_train)


@pytest.fixture(scope="module")
def search(prepared, ro_training):
    X_train, y_train = ro_training  # an augmented training set: 178 + 178 rows
    return tune_classifier(X_train, y_train, prepared.X_val, prepared.y_val,
                           param_grid=SMALL_GRID)


def test_validation_fold_is_exactly_the_validation_rows(search, prepared, ro_training):
    n_train, n_val = len(ro_training[1]), len(prepared.y_val)
    assert isinstance(search.cv, PredefinedSplit)
    folds = list(search.cv.split())
    assert len(folds) == 1
    train_idx, test_idx = folds[0]
    np.testing.assert_array_equal(train_idx, np.arange(n_train))
    np.testing.assert_array_equal(test_idx, np.arange(n_train, n_train + n_val))


def test_scores_are_f1_on_the_unaugmented_validation_rows(search, prepared, ro_training):
    X_train, y_train = ro_training
    for params, score in zip(search.cv_results_["params"],
                             search.cv_results_["split0_test_score"]):
        model = HistGradientBoostingClassifier(random_state=42, **params).fit(X_train, y_train)
        assert score == pytest.approx(f1_score(prepared.y_val, model.predict(prepared.X_val)),
                                      abs=1e-12)


def test_refit_uses_training_plus_validation_rows(search, prepared, ro_training):
    X_train, y_train = ro_training
    best = search.best_params_
    both = HistGradientBoostingClassifier(random_state=42, **best).fit(
        np.vstack([X_train, prepared.X_val]), np.concatenate([y_train, prepared.y_val]))
    train_only = HistGradientBoostingClassifier(random_state=42, **best).fit(X_train, y_train)
    refit = search.best_estimator_.predict_proba(prepared.X_test)
    np.testing.assert_allclose(refit, both.predict_proba(prepared.X_test), rtol=1e-12)
    assert not np.allclose(refit, train_only.predict_proba(prepared.X_test))


def test_settings_fitted_in_processes_give_the_same_search(search, prepared, ro_training):
    X_train, y_train = ro_training
    parallel = tune_classifier(X_train, y_train, prepared.X_val, prepared.y_val,
                               param_grid=SMALL_GRID, n_jobs=2)
    assert parallel.n_jobs == 2
    assert parallel.best_params_ == search.best_params_
    np.testing.assert_array_equal(parallel.cv_results_["mean_test_score"],
                                  search.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(parallel.predict_proba(prepared.X_test),
                                  search.predict_proba(prepared.X_test))


def test_class_weights_needing_fast_binning_are_fitted_in_this_process(prepared):
    from tabaug.experiments.binning import needs_fast_binning
    def search(fast_binning):
        return tune_classifier(prepared.X_train, prepared.y_train, prepared.X_val,
                               prepared.y_val, param_grid={"learning_rate": [0.1]},
                               class_weight="balanced", n_jobs=2, fast_binning=fast_binning)

    assert search(True).n_jobs == (None if needs_fast_binning() else 2)
    assert search(False).n_jobs == 2  # scikit-learn's own binning: in its processes


def test_default_grid_is_the_papers():
    assert PAPER_PARAM_GRID == {"learning_rate": [1e-3, 1e-2, 1e-1, 1, 10],
                                "min_samples_leaf": [1, 20, 100]}


# --- test_metrics -----------------------------------------------------------------------------
def test_balanced_accuracy_is_the_papers_hard_label_auc():
    y = np.array([0, 0, 0, 1, 1])
    predicted = np.array([0, 0, 1, 1, 0])
    proba = np.array([0.1, 0.2, 0.3, 0.9, 0.4])  # ranks every positive above every negative
    metrics = test_metrics(FixedModel(predicted, proba), None, y, {0: "neg", 1: "pos"})
    hard_auc = roc_auc_score(y, predicted)
    assert metrics["balanced_accuracy"] == pytest.approx(hard_auc)
    assert metrics["balanced_accuracy"] == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, proba))
    assert metrics["roc_auc"] == pytest.approx(1.0)
    assert metrics["roc_auc"] != pytest.approx(metrics["balanced_accuracy"])


def test_per_class_columns_named_by_class_names():
    y = np.array([0, 0, 0, 1, 1])
    predicted = np.array([0, 0, 1, 1, 0])
    metrics = test_metrics(FixedModel(predicted, predicted * 0.8 + 0.1), None, y,
                           {0: "neg", 1: "pos"})
    assert set(metrics) == {"precision_neg", "precision_pos", "recall_neg", "recall_pos",
                            "f1_neg", "f1_pos", "balanced_accuracy", "roc_auc"}
    assert metrics["precision_pos"] == pytest.approx(1 / 2)
    assert metrics["recall_pos"] == pytest.approx(1 / 2)
    assert metrics["precision_neg"] == pytest.approx(2 / 3)
    assert metrics["recall_neg"] == pytest.approx(2 / 3)
    assert metrics["f1_neg"] == pytest.approx(2 / 3)


def test_default_names_are_table1_columns():
    y = np.array([0, 1, 0, 1])
    metrics = test_metrics(FixedModel(y, y * 0.5 + 0.25), None, y)
    assert list(metrics) == TABLE1_COLUMNS[1:]


def test_no_positive_predictions_gives_zero_precision():
    y = np.array([0, 0, 1, 1])
    metrics = test_metrics(FixedModel([0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4]), None, y)
    assert metrics["precision_malignant"] == 0.0
    assert metrics["recall_malignant"] == 0.0
    assert metrics["balanced_accuracy"] == pytest.approx(0.5)


# --- evaluate_methods -------------------------------------------------------------------------
def test_evaluate_methods_one_row_per_method(prepared, ro_training):
    training_sets = {"Baseline": (prepared.X_train, prepared.y_train), "RO": ro_training}
    table, searches = evaluate_methods(training_sets, prepared.X_val, prepared.y_val,
                                       prepared.X_test, prepared.y_test,
                                       class_names=prepared.class_names, param_grid=SMALL_GRID)
    assert list(table.columns) == TABLE1_COLUMNS
    assert table["method"].tolist() == ["Baseline", "RO"]
    assert list(searches) == ["Baseline", "RO"]
    for _, row in table.iterrows():
        expected = test_metrics(searches[row["method"]], prepared.X_test, prepared.y_test,
                                prepared.class_names)
        assert row.drop("method").to_dict() == pytest.approx(expected)
    values = table[TABLE1_COLUMNS[1:]].to_numpy(dtype=float)
    assert np.all((values >= 0) & (values <= 1))


# --- PAPER_TABLE1 -----------------------------------------------------------------------------
def test_paper_table1_layout():
    assert PAPER_TABLE1["method"].tolist() == ["Baseline", "RO", "SMOTE", "GAN"]
    assert list(PAPER_TABLE1.columns) == TABLE1_COLUMNS[:-1]  # the paper had no ROC AUC


def test_paper_table1_numbers_fit_the_papers_test_split():
    """Each row of Table 1 is what a classifier gets on the paper's test split (107 benign, 64
    malignant) when it finds every benign case and misses k malignant ones; its "AUC" is the
    balanced accuracy. Baseline, RO and SMOTE miss 6, the GAN 3."""
    y_test = np.array([0] * 107 + [1] * 64)
    misses = {}
    for _, row in PAPER_TABLE1.iterrows():
        # The only k consistent with the reported malignant recall.
        k = int(round(64 * (1 - row["recall_malignant"])))
        predicted = y_test.copy()
        predicted[107:107 + k] = 0
        metrics = test_metrics(FixedModel(predicted, predicted.astype(float)), None, y_test)
        for column in TABLE1_COLUMNS[1:-1]:
            assert round(metrics[column], 3) == pytest.approx(row[column], abs=1e-9), column
        misses[row["method"]] = k
    assert misses == {"Baseline": 6, "RO": 6, "SMOTE": 6, "GAN": 3}


# --- utils.pipeline ---------------------------------------------------------------------------
def _copy(prepared):
    return dataclasses.replace(
        prepared, **{name: getattr(prepared, name).copy()
                     for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")})


@pytest.fixture(scope="module")
def training_sets(prepared):
    data = _copy(prepared)
    sets = augmented_training_sets(data, PARAMS)
    return data, sets


def test_augmented_training_sets_methods_and_counts(training_sets, prepared):
    _, sets = training_sets
    assert list(sets) == ["Baseline", "RO", "SMOTE", "GAN"]
    n_benign, n_malignant = int((prepared.y_train == 0).sum()), int(prepared.y_train.sum())
    assert (n_benign, n_malignant) == (178, 106)
    baseline = sets["Baseline"]
    assert np.bincount(baseline.y).tolist() == [178, 106]
    assert not baseline.generated.any()
    for name in ("RO", "SMOTE", "GAN"):
        ts = sets[name]
        assert np.bincount(ts.y).tolist() == [178, 178], name
        assert ts.X.shape == (356, 30)
        assert ts.n_original == 284
        np.testing.assert_array_equal(ts.X[:284], prepared.X_train)
        np.testing.assert_array_equal(ts.y[:284], prepared.y_train)
        np.testing.assert_array_equal(ts.generated, np.arange(356) >= 284)
        np.testing.assert_array_equal(ts.y[284:], 1)  # only malignant rows are generated


def test_random_oversampling_copies_minority_training_rows(training_sets, prepared):
    _, sets = training_sets
    minority = prepared.X_train[prepared.y_train == 1]
    for row in sets["RO"].X[284:]:
        assert (minority == row).all(axis=1).any()


def test_gan_set_is_the_oversamplers(training_sets, prepared):
    _, sets = training_sets
    from utils import GANOversampler  # the course's: the paper's seeding

    X, y = GANOversampler(random_state=42, epochs=1, batch_size=32).fit_resample(
        prepared.X_train, prepared.y_train)
    np.testing.assert_allclose(sets["GAN"].X, X, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(sets["GAN"].y, y)


def test_prepared_arrays_untouched(training_sets, prepared):
    data, _ = training_sets
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(data, name), getattr(prepared, name))
    assert data.X_val.shape == (114, 30) and data.X_test.shape == (171, 30)


def test_save_and_load_gan_rows(tmp_path):
    rng = np.random.default_rng(0)
    saved = TrainingSet(rng.random((12, 3)), np.array([0] * 6 + [1] * 6), 9)
    path = save_gan_rows(tmp_path / "out", saved, PARAMS)
    assert path == tmp_path / "out" / GAN_ROWS_FILE and path.exists()
    loaded = load_gan_rows(tmp_path / "out", PARAMS)
    np.testing.assert_array_equal(loaded.X, saved.X)
    np.testing.assert_array_equal(loaded.y, saved.y)
    assert loaded.n_original == 9
    # Parameters that do not affect the GAN's rows do not matter.
    assert load_gan_rows(tmp_path / "out", {**PARAMS, "scoring": "roc_auc"}) is not None


@pytest.mark.parametrize("change", [{"epochs": 2}, {"seed": 0}, {"batch_size": 16},
                                    {"learning_rate": 1e-3}, {"noise_dim": 5},
                                    {"data_path": "other.csv"}, {"train_size": 0.6}])
def test_load_gan_rows_none_when_settings_differ(tmp_path, change):
    saved = TrainingSet(np.zeros((2, 2)), np.array([0, 1]), 1)
    save_gan_rows(tmp_path, saved, PARAMS)
    assert load_gan_rows(tmp_path, {**PARAMS, **change}) is None


def test_load_gan_rows_none_without_file(tmp_path):
    assert load_gan_rows(tmp_path, PARAMS) is None


def test_augmented_training_sets_reads_saved_gan_rows(prepared, tmp_path, capsys):
    marker = TrainingSet(np.full((3, 30), 0.5), np.array([0, 1, 1]), 2)
    save_gan_rows(tmp_path, marker, PARAMS)
    sets = augmented_training_sets(_copy(prepared), PARAMS, output_dir=tmp_path, verbose=True)
    np.testing.assert_array_equal(sets["GAN"].X, marker.X)
    assert sets["GAN"].n_original == 2
    assert "Read the GAN's rows saved by notebook 03" in capsys.readouterr().out


# --- many classes -----------------------------------------------------------------------------
def _three_classes(seed=0, n=240):
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    X = rng.normal(size=(n, 4)) + y[:, None] * 0.8
    return X, y


def test_tuning_scores_macro_f1_for_three_classes():
    X, y = _three_classes()
    search = tune_classifier(X[:120], y[:120], X[120:180], y[120:180],
                             {"learning_rate": [0.1], "min_samples_leaf": [5, 20]})
    assert search.scoring == "f1_macro"
    metrics = test_metrics(search, X[180:], y[180:], {0: "a", 1: "b", 2: "c"})
    f1s = [metrics[f"f1_{name}"] for name in "abc"]
    assert metrics["f1_macro"] == pytest.approx(np.mean(f1s))
    assert metrics["f1_macro"] == pytest.approx(
        f1_score(y[180:], search.predict(X[180:]), average="macro"))
    assert metrics["roc_auc"] == pytest.approx(
        roc_auc_score(y[180:], search.predict_proba(X[180:]), multi_class="ovr"))


def test_binary_scorer_with_three_classes_names_the_fix():
    from tabaug.errors import DataError
    from tabaug.experiments.tuning import choose_scoring

    assert choose_scoring(None, 2) == "f1" and choose_scoring(None, 3) == "f1_macro"
    assert choose_scoring("roc_auc", 2) == "roc_auc"
    with pytest.raises(DataError, match=r"scoring='f1' scores one class of two.*3 classes.*"
                                        r"'f1_macro'"):
        choose_scoring("f1", 3)


def test_compared_f1_matches_the_default_scorer():
    from tabaug.experiments.tuning import choose_scoring, compared_f1

    assert compared_f1({0: "benign", 1: "malignant"}) == "f1_malignant"
    assert choose_scoring(None, 2) == "f1"  # the F1 of class 1
    assert compared_f1({0: "a", 1: "b", 2: "c"}) == "f1_macro" == choose_scoring(None, 3)
