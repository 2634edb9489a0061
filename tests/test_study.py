"""tabaug.experiments.study: the repeated-split study, its metrics, and its paired comparisons."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from scipy import stats
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from tabaug.data.datasets import BenchmarkTable
from tabaug.data.preprocessing import prepare_frame
from tabaug.data.reading import load_wdbc
from tabaug.errors import DataError, ParameterError
from tabaug.experiments.classifiers import Classifier, hgb
from tabaug.experiments.evaluate import evaluate_split, subsample_minority, threshold_rows
from tabaug.experiments.methods import (
    METHODS,
    NO_AUGMENTATION,
    PLATT,
    Method,
    MethodContext,
    check_methods,
    make_method,
    register_method,
)
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.results import ResultsFile
from tabaug.experiments.study import (
    STUDY_METHODS,
    correction_ratio,
    overlap_ratio,
    paired_differences,
    paper_classifier,
    run_study,
    summarize,
)
from tabaug.experiments.tuning import tune_classifier
from tabaug.metrics import best_f1_threshold, probability_metrics, sensitivity_at_specificity
from tabaug.report.sentences import conclusion, describe_difference
from tabaug.stats.intervals import corrected_t_interval

#: Notebook 06's protocol, seed and scorer, with a grid of one setting to be quick.
PROTOCOL = Protocol(seed=42, scoring="f1", refit=True, tune_threshold=False,
                    per_class_metrics=True)
CLASSIFIERS = paper_classifier({"learning_rate": [0.1], "min_samples_leaf": [20]})
#: Notebook 06's GAN settings, one epoch.
GAN_SETTINGS = {"epochs": 1, "batch_size": 32, "learning_rate": 1e-4, "noise_dim": None}
NAMES = {0: "benign", 1: "malignant"}


@pytest.fixture(scope="module")
def frame():
    return load_wdbc()


@pytest.fixture(scope="module")
def table(frame):
    return BenchmarkTable("wdbc", frame, "diagnosis", ("id",))


def study(table, n_splits, methods, **settings):
    """:func:`run_study` with the tests' protocol and classifier, one after the other."""
    settings = {"n_jobs": 1, "progress": False, **settings}
    return run_study(table, n_splits, methods, PROTOCOL, classifiers=CLASSIFIERS, **settings)


def one_split(table, split, ratio, methods, protocol=PROTOCOL):
    return evaluate_split(table, split, methods, CLASSIFIERS, protocol, ratio)


def test_subsample_minority_reaches_the_ratio_and_keeps_the_majority():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.array([0] * 60 + [1] * 40)
    Xs, ys = subsample_minority(X, y, 5, seed=0)
    assert (ys == 0).sum() == 60 and (ys == 1).sum() == 12
    np.testing.assert_array_equal(Xs[ys == 0], X[y == 0])
    kept = {tuple(row) for row in Xs[ys == 1]}
    assert kept <= {tuple(row) for row in X[y == 1]}
    same_X, same_y = subsample_minority(X, y, None, seed=0)
    assert same_X is X and same_y is y


def test_subsample_minority_refuses_impossible_ratios():
    X, y = np.zeros((100, 2)), np.array([0] * 60 + [1] * 40)
    with pytest.raises(ValueError, match="only make the data more imbalanced"):
        subsample_minority(X, y, 1.2, seed=0)
    with pytest.raises(ValueError, match="leaves 1 minority row"):
        subsample_minority(X, y, 50, seed=0)


def test_sensitivity_at_specificity():
    y = np.array([0] * 20 + [1] * 10)
    negatives = np.linspace(0.0, 0.5, 20)  # the highest negative scores 0.5
    positives = np.array([0.9] * 6 + [0.45] * 2 + [0.1] * 2)
    scores = np.concatenate([negatives, positives])
    # 95% specificity allows 1 of 20 negatives above the threshold: the threshold can drop to
    # 0.5, which still misses the 0.45s: 6 of 10 found.
    assert sensitivity_at_specificity(y, scores, 0.95) == pytest.approx(0.6)
    # 80% specificity allows 4 negatives (the top four are 0.5, 0.47, 0.45, 0.42): 8 of 10 found.
    assert sensitivity_at_specificity(y, scores, 0.80) == pytest.approx(0.8)


def test_probability_metrics():
    rng = np.random.default_rng(0)
    y = np.array([0] * 30 + [1] * 20)
    proba = np.clip(y * 0.4 + rng.uniform(0, 0.6, len(y)), 0, 1)
    metrics = probability_metrics(y, proba, NAMES, 0.95)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, proba))
    assert metrics["pr_auc"] == pytest.approx(average_precision_score(y, proba))
    assert metrics["brier"] == pytest.approx(np.mean((proba - y) ** 2))
    predicted = (proba > 0.5).astype(int)
    assert metrics["recall_malignant"] == pytest.approx(predicted[y == 1].mean())
    assert "sensitivity_at_95_specificity" in metrics


def test_corrected_interval_reduces_to_the_t_test_without_overlap():
    values = np.array([0.01, 0.03, -0.02, 0.04, 0.00, 0.02])
    mean, low, high, p = corrected_t_interval(values, test_train_ratio=0.0)
    expected = stats.ttest_1samp(values, 0.0)
    assert p == pytest.approx(expected.pvalue)
    ci = expected.confidence_interval(0.95)
    assert (low, high) == pytest.approx((ci.low, ci.high))


def test_corrected_interval_widens_with_overlap():
    values = np.array([0.01, 0.03, -0.02, 0.04, 0.00, 0.02])
    mean, low, high, p = corrected_t_interval(values, 0.0)
    _, low_c, high_c, p_c = corrected_t_interval(values, 0.43)
    factor = np.sqrt((1 / 6 + 0.43) / (1 / 6))
    assert (high_c - low_c) == pytest.approx((high - low) * factor)
    assert p_c > p


def test_test_train_ratio_of_the_paper_split():
    # 30% test rows against 70% training plus validation rows.
    assert overlap_ratio(PROTOCOL) == pytest.approx(0.3 / 0.7)


def test_paired_differences_and_conclusion():
    rows = []
    for split in range(5):
        rows.append({"split": split, "ratio": "natural", "method": NO_AUGMENTATION, "m": 0.90})
        rows.append({"split": split, "ratio": "natural", "method": "RO", "m": 0.90 + 0.01 * split})
        rows.append({"split": split, "ratio": "natural", "method": "SMOTE",
                     "m": 0.80 - 0.001 * split})
    results = pd.DataFrame(rows)
    results["method"] = pd.Categorical(results["method"], [NO_AUGMENTATION, "RO", "SMOTE"])
    diff = paired_differences(results, ["m"], PROTOCOL).set_index("method")
    assert diff.loc["RO", "mean_difference"] == pytest.approx(0.02)
    assert (diff.loc["RO", "better"], diff.loc["RO", "equal"], diff.loc["RO", "worse"]) == (4, 1, 0)
    assert diff.loc["SMOTE", "worse"] == 5 and diff.loc["SMOTE", "ci_high"] < 0
    text = conclusion(diff.reset_index(), "m")
    assert "below no augmentation: SMOTE" in text
    assert "Holm's correction for 2 comparisons" in text


def test_holm_correction_keeps_a_lucky_method_among_many_from_counting():
    # Five methods; A differs with p near 0.03 on its own: not after Holm's correction.
    rows = []
    for split in range(10):
        rows.append({"split": split, "ratio": "natural", "method": NO_AUGMENTATION, "m": 0.9})
        for method in "ABCDE":
            shift = 0.008 + 0.004 * (-1) ** split if method == "A" else 0.0
            rows.append({"split": split, "ratio": "natural", "method": method, "m": 0.9 + shift})
    results = pd.DataFrame(rows)
    results["method"] = pd.Categorical(results["method"], [NO_AUGMENTATION, *"ABCDE"])
    diff = paired_differences(results, ["m"], PROTOCOL).set_index("method")
    assert diff.loc["A", "p_value"] < 0.05 <= diff.loc["A", "p_holm"]
    assert (diff["p_holm"] >= diff["p_value"]).all()
    assert "no method differs" in conclusion(diff.reset_index(), "m")
    assert "not after Holm's correction" in describe_difference(diff.reset_index().iloc[0])


def test_check_methods():
    assert check_methods(["paper-gan", "RO"]) == [NO_AUGMENTATION, "paper-gan", "RO"]
    assert check_methods(None, STUDY_METHODS) == STUDY_METHODS
    assert STUDY_METHODS == [*METHODS, "paper-gan"]
    assert check_methods(["wgan-gp"]) == [NO_AUGMENTATION, "wgan-gp"]
    assert "gaussian-copula" in check_methods(None)  # every method: classic and generators
    with pytest.raises(ValueError, match="Unknown method"):
        check_methods(["SMOTE", "CTGAN"])


def test_gan_minibatch_lowered_for_a_tiny_class_and_said():
    y = np.array([0] * 100 + [1] * 9)
    method = make_method("paper-gan", 0, y, MethodContext(settings=GAN_SETTINGS))
    assert method.sampler.generator.batch_size == 9
    assert "lowered from 32 to 9" in method.note


def test_evaluate_split_matches_the_protocol_done_by_hand(frame, table):
    """No augmentation on split 3 equals the pipeline of notebooks 01-04 run by hand: the test
    rows keep their natural mix even when the training rows are subsampled."""
    rows = one_split(table, 3, 5, [NO_AUGMENTATION, "RO"])
    data = prepare_frame(frame, seed=45, verbose=False)
    X, y = subsample_minority(data.X_train, data.y_train, 5, 45)
    search = tune_classifier(X, y, data.X_val, data.y_val, {"learning_rate": [0.1],
                             "min_samples_leaf": [20]}, "f1", 45)
    expected = probability_metrics(data.y_test, search.predict_proba(data.X_test)[:, 1], NAMES)
    by_method = {row["method"]: row for row in rows}
    assert by_method[NO_AUGMENTATION]["train_minority_rows"] == round(178 / 5)
    for name, value in expected.items():
        assert by_method[NO_AUGMENTATION][name] == pytest.approx(value)


def test_the_benchmarks_protocol_tunes_a_threshold_on_the_model_fitted_to_training_rows(
        frame, table):
    """The same evaluator with the benchmark's protocol: no refit on the validation rows; the
    probability metrics of the setting chosen on every validation row; the threshold tuned for
    F1 on half of them, for the setting chosen on the other half; only the metrics every table
    shares."""
    protocol = Protocol(seed=42, scoring="f1")
    two_settings = {"HGB": Classifier(hgb, {"learning_rate": [0.01, 1.0]})}
    row = evaluate_split(table, 0, [NO_AUGMENTATION], two_settings, protocol)[0]
    data = prepare_frame(frame, seed=42, verbose=False)
    models = [hgb(42).set_params(learning_rate=rate).fit(data.X_train, data.y_train)
              for rate in (0.01, 1.0)]

    def best(rows):  # F1 at 0.5 on these validation rows, the first of equal scores
        scores = [f1_score(data.y_val[rows], m.predict(data.X_val[rows])) for m in models]
        return models[int(np.argmax(scores))]

    (choose, tune), _ = threshold_rows(data.y_val, 0.5, 42)
    assert set(choose).isdisjoint(tune) and len(choose) + len(tune) == len(data.y_val)
    thresholded = best(choose)
    threshold = best_f1_threshold(data.y_val[tune], thresholded.predict_proba(data.X_val[tune])
                                  [:, 1])
    assert row["threshold"] == pytest.approx(threshold)
    test_scores = thresholded.predict_proba(data.X_test)[:, 1]
    assert row["f1_tuned"] == pytest.approx(f1_score(data.y_test, test_scores > threshold))
    proba = best(slice(None)).predict_proba(data.X_test)[:, 1]
    assert row["pr_auc"] == pytest.approx(average_precision_score(data.y_test, proba))
    assert "recall_malignant" not in row
    with pytest.raises(ValueError, match="threshold tuned on the validation rows"):
        Protocol(refit=True, tune_threshold=True)


def test_threshold_rows_split_the_validation_rows_by_class(frame, table):
    y_val = np.array([0] * 9 + [1] * 5)
    (choose, tune), problem = threshold_rows(y_val, 0.5, seed=3)
    assert problem == "" and np.bincount(y_val[tune]).min() >= 2
    assert sorted([*choose, *tune]) == list(range(len(y_val)))
    (same, again), _ = threshold_rows(y_val, 0, seed=3)
    assert same is again and len(same) == len(y_val)
    # One validation row of the class: no threshold, said in the row, never a silent reuse.
    frame = frame.copy()
    keep = frame.index[frame["diagnosis"] == "B"].tolist() + frame.index[
        frame["diagnosis"] == "M"].tolist()[:6]
    small = BenchmarkTable("wdbc-small", frame.loc[keep], "diagnosis", ("id",))
    protocol = Protocol(seed=0, scoring="f1")
    rows = evaluate_split(small, 0, [NO_AUGMENTATION], CLASSIFIERS, protocol)
    data = prepare_frame(frame.loc[keep], seed=0, verbose=False)
    assert np.bincount(data.y_val)[1] < 2, "the table should leave one validation positive"
    assert np.isnan(rows[0]["f1_tuned"]) and np.isnan(rows[0]["threshold"])
    assert "threshold not tuned" in rows[0]["warnings"]
    assert np.isfinite(rows[0]["pr_auc"])


def test_platt_scaling_recalibrates_the_tuned_classifier_by_cross_fitting(frame, table):
    """The recalibrated arm equals CalibratedClassifierCV on the chosen setting, by hand."""
    protocol = Protocol(seed=42)
    row = evaluate_split(table, 0, [PLATT], CLASSIFIERS, protocol)[0]
    data = prepare_frame(frame, seed=42, verbose=False)
    calibrated = CalibratedClassifierCV(
        hgb(42).set_params(learning_rate=0.1, min_samples_leaf=20), method="sigmoid",
        cv=StratifiedKFold(5, shuffle=True, random_state=42)).fit(data.X_train, data.y_train)
    proba = calibrated.predict_proba(data.X_test)
    assert row["log_loss"] == pytest.approx(log_loss(data.y_test, proba))
    assert row["method"] == PLATT and row["error"] == ""


def test_a_recalibration_its_setting_cannot_fit_is_recorded_not_raised(frame):
    """k-nearest neighbours with 45 neighbours fits 56 training rows, but not the 44 of some
    calibration fold: Platt scaling fails on that split, in its rows, and the run goes on."""
    from tabaug.experiments.classifiers import CLASSIFIERS as ALL

    small = BenchmarkTable("small", frame.sample(112, random_state=0), "diagnosis", ("id",))
    knn = {"kNN": Classifier(ALL["kNN"].make, {"n_neighbors": [45]}, weighs_classes=False)}
    rows = evaluate_split(small, 0, [NO_AUGMENTATION, PLATT], knn, Protocol(seed=0))
    by_method = {row["method"]: row for row in rows}
    assert by_method[NO_AUGMENTATION]["error"] == ""
    assert "n_neighbors" in by_method[PLATT]["error"]
    assert np.isnan(by_method[PLATT]["log_loss"])


def test_an_older_results_file_had_its_threshold_tuned_on_the_same_rows(tmp_path):
    old = Protocol().settings()
    del old["threshold_share"]
    assert Protocol.from_settings(old) == Protocol(threshold_share=0.0)
    path = tmp_path / "results.csv"
    (tmp_path / "results.json").write_text(json.dumps(old))
    path.write_text("dataset\n")
    with pytest.raises(DataError, match="another protocol"):
        ResultsFile(path, Protocol())
    with pytest.raises(ParameterError, match="threshold_share=1"):
        Protocol(threshold_share=1)


def test_registered_method_runs_by_name(table):
    register_method("Copy", lambda seed, y_train, context: Method(
        RandomOverSampler(random_state=seed)))
    try:
        rows = one_split(table, 0, None, check_methods(["Copy"]))
        copy = next(row for row in rows if row["method"] == "Copy")
        ro = one_split(table, 0, None, [NO_AUGMENTATION, "RO"])[1]
        assert copy["f1_malignant"] == ro["f1_malignant"]
    finally:
        del METHODS["Copy"]
    with pytest.raises(ValueError, match="names a generator"):
        register_method("tvae", lambda seed, y_train, context: Method())


def test_run_study_parallel_equals_serial(table):
    methods = [NO_AUGMENTATION, "Class weight", "SMOTE"]
    serial = study(table, 2, methods, ratios=(None, 5))
    parallel = study(table, 2, methods, ratios=(None, 5), n_jobs=2)
    timing = ["resample_seconds", "fit_seconds"]
    pd.testing.assert_frame_equal(serial.drop(columns=timing), parallel.drop(columns=timing))
    assert len(serial) == 2 * 2 * 3
    assert list(serial["ratio"].unique()) == ["natural", 5]
    # No augmentation reused from a run of the same splits: the same rows as computed anew
    reused = study(table, 2, ["SMOTE"], ratios=(None, 5), reference=serial)
    expected = serial[serial["method"] != "Class weight"].reset_index(drop=True)
    expected["method"] = expected["method"].cat.remove_unused_categories()
    pd.testing.assert_frame_equal(reused.drop(columns=timing), expected.drop(columns=timing))
    with pytest.raises(ValueError, match="one no-augmentation row per split"):
        study(table, 3, ["SMOTE"], reference=serial)


def test_a_study_resumes_from_its_results_file_and_grows(table, tmp_path, monkeypatch):
    """With ``results_path`` the study keeps every finished split: a rerun computes only what
    the file lacks (more splits, another ratio) and returns what a run without it returns."""
    from tabaug.experiments import study as study_module

    path = tmp_path / "study.csv"
    first = study(table, 2, ["RO"], results_path=path)
    calls = []
    original = study_module.evaluate_split

    def counted(table, split, methods, classifiers, protocol, ratio, *args):
        calls.append((split, ratio, tuple(methods)))
        return original(table, split, methods, classifiers, protocol, ratio, *args)

    monkeypatch.setattr(study_module, "evaluate_split", counted)
    again = study(table, 3, ["RO"], ratios=(None, 5), results_path=path)
    assert sorted(calls, key=str) == sorted(
        [(2, None, (NO_AUGMENTATION, "RO"))]
        + [(split, 5, (NO_AUGMENTATION, "RO")) for split in range(3)], key=str)
    timing = ["resample_seconds", "fit_seconds"]
    fresh = study(table, 3, ["RO"], ratios=(None, 5))
    pd.testing.assert_frame_equal(again.drop(columns=timing), fresh.drop(columns=timing),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(
        again[again["split"] < 2].loc[lambda r: r["ratio"] == "natural"].drop(columns=timing)
        .reset_index(drop=True), first.drop(columns=timing), check_dtype=False)


def test_method_registered_at_run_time_reaches_parallel_workers(table):
    register_method("Copy", lambda seed, y_train, context: Method(
        RandomOverSampler(random_state=seed)))
    try:
        results = study(table, 2, ["Copy", "RO"], n_jobs=2)
    finally:
        del METHODS["Copy"]
    copy = results[results["method"] == "Copy"]["f1_malignant"].to_numpy()
    ro = results[results["method"] == "RO"]["f1_malignant"].to_numpy()
    np.testing.assert_array_equal(copy, ro)


def test_a_method_that_cannot_resample_stops_the_study_with_its_message(table):
    register_method("Fails", lambda seed, y_train, context: Method(_FailingOverSampler()))
    try:
        with pytest.raises(DataError, match="(?s)Fails.*RuntimeError: no neighbours"):
            study(table, 2, ["Fails"])
    finally:
        del METHODS["Fails"]


# --- many classes -----------------------------------------------------------------------------
def test_probability_metrics_for_three_classes_are_macro_one_vs_rest():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [50, 30, 20])
    proba = rng.dirichlet([1, 1, 1], size=len(y))
    proba[np.arange(len(y)), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    metrics = probability_metrics(y, proba, {0: "a", 1: "b", 2: "c"}, specificity=0.9)
    truth = np.eye(3)[y]
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, proba, multi_class="ovr"))
    assert metrics["pr_auc"] == pytest.approx(np.mean(
        [average_precision_score(truth[:, k], proba[:, k]) for k in range(3)]))
    assert metrics["brier"] == pytest.approx(np.mean(np.sum((proba - truth) ** 2, axis=1)))
    assert metrics["f1_macro"] == pytest.approx(f1_score(y, proba.argmax(axis=1),
                                                         average="macro"))
    assert metrics["sensitivity_at_90_specificity"] == pytest.approx(np.mean(
        [sensitivity_at_specificity(truth[:, k], proba[:, k], 0.9) for k in range(3)]))


def test_subsample_minority_with_three_classes_thins_the_smallest_only():
    y = np.repeat([0, 1, 2], [60, 40, 20])
    X = np.arange(len(y))[:, None].astype(float)
    X_kept, y_kept = subsample_minority(X, y, 6, seed=0)
    assert np.bincount(y_kept).tolist() == [60, 40, 10]
    assert set(X_kept[y_kept == 2, 0]) <= set(X[y == 2, 0])


def test_smote_like_methods_fit_their_neighbours_to_a_small_class():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [40, 20, 4])
    X = rng.normal(size=(len(y), 3)) + y[:, None]
    for name in ("SMOTE", "Borderline-SMOTE", "ADASYN"):
        method = make_method(name, 0, y)
        assert "lowered from 5 to 3: the smallest class has 4 training rows" in method.note
        X_new, y_new = method.sampler.fit_resample(X, y)
        assert len(y_new) > len(y)
    assert make_method("SMOTE", 0, np.repeat([0, 1], [40, 20])).note == ""
    with pytest.raises(ValueError, match="at least 2 training rows.*Use random over-sampling"):
        make_method("SMOTE", 0, np.repeat([0, 1, 2], [40, 20, 1]))


def test_study_gan_has_the_notebooks_gan_settings():
    """Notebook 06's paper-gan is the GAN of notebooks 03-05 (the course's cached one)."""
    from utils.pipeline import gan_oversampler

    y = np.repeat([0, 1], [100, 60])
    ours = make_method("paper-gan", 7, y, MethodContext(settings=GAN_SETTINGS)).sampler
    theirs = gan_oversampler({"seed": 7, **GAN_SETTINGS}).get_params()
    assert ours.random_state == theirs.pop("random_state") == 7
    assert ours.sampling_strategy == theirs.pop("sampling_strategy")
    assert ours.generator.get_params() == {**theirs, "random_state": None}


class _WarningOverSampler(RandomOverSampler):
    def fit_resample(self, X, y, **params):
        import warnings

        warnings.warn("only a test", UserWarning)
        return super().fit_resample(X, y, **params)


class _FailingOverSampler(RandomOverSampler):
    def fit_resample(self, X, y, **params):
        raise RuntimeError("no neighbours")


def test_a_samplers_warnings_are_kept_in_the_results_even_from_workers(table):
    register_method("Warns", lambda seed, y_train, context: Method(
        _WarningOverSampler(random_state=seed)))
    try:
        results = study(table, 2, ["Warns"], n_jobs=2)
    finally:
        del METHODS["Warns"]
    by_method = results.set_index("method")["warnings"]
    assert (by_method.loc["Warns"] == "UserWarning: only a test").all()
    assert (by_method.loc[NO_AUGMENTATION] == "").all()


def test_sensitivity_keeps_the_boundary_point_of_the_roc_curve():
    # 100 negatives, 20 positives; 5 negatives and 1 positive at each of the scores 4, 3 and 2,
    # the rest at 1: ROC points (0.05, 0.05), (0.10, 0.10), (0.15, 0.15), (1, 1). The middle
    # one lies on a straight line between equal steps, and scikit-learn's default drops it;
    # and 1 - 0.90 is just below 0.10 in floating point. Both would give 0.05 at 90%.
    y = np.array([0] * 100 + [1] * 20)
    scores = np.ones(len(y))
    for score, first in ((4, 0), (3, 5), (2, 10)):
        scores[[first, first + 1, first + 2, first + 3, first + 4, 100 + score]] = score
    assert sensitivity_at_specificity(y, scores, 0.90) == pytest.approx(0.10)
    assert sensitivity_at_specificity(y, scores, 0.95) == pytest.approx(0.05)
    assert sensitivity_at_specificity(y, scores, 0.96) == pytest.approx(0.0)


def test_the_sweeps_correction_uses_its_own_rows(table):
    results = study(table, 2, [NO_AUGMENTATION], ratios=(None, 10))
    natural = results[results["ratio"] == "natural"]
    sweep = results[results["ratio"] == 10]
    assert natural["test_rows"].eq(171).all() and natural["train_rows"].eq(284).all()
    assert correction_ratio(natural, PROTOCOL) == pytest.approx(171 / (284 + 114))
    # 178 benign and about 18 malignant training rows are left at ratio 10.
    assert sweep["train_rows"].between(195, 197).all()
    assert correction_ratio(sweep, PROTOCOL) > 0.55
    summary = summarize(results, ["roc_auc"], PROTOCOL).set_index("ratio")
    for ratio, rows in (("natural", natural), (10, sweep)):
        values = rows["roc_auc"]
        expected = corrected_t_interval(values, correction_ratio(rows, PROTOCOL))
        assert summary.loc[ratio, "ci_low"] == pytest.approx(expected[1])
    # Results without row counts (older files) fall back on the split shares.
    assert correction_ratio(natural.drop(columns="test_rows"), PROTOCOL) == overlap_ratio(PROTOCOL)


def test_the_sweep_runs_the_named_methods_that_the_study_runs():
    from tabaug.experiments.study import check_sweep_methods

    run = check_methods(["RO", "SMOTE", "paper-gan"])
    assert check_sweep_methods(None, run) == run
    assert check_sweep_methods(["paper-gan", "SMOTE"], run) == [
        "No augmentation", "SMOTE", "paper-gan"]
    assert check_sweep_methods(["ADASYN"], run) == ["No augmentation"]  # not in the study
    with pytest.raises(ValueError, match="Unknown sweep method"):
        check_sweep_methods(["SMOTE2"], run)
