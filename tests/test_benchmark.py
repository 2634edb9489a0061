"""The benchmark's protocol, metrics, resumable results file and parallel backends."""


import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from tabaug.data.datasets import BenchmarkTable
from tabaug.data.preprocessing import prepare_frame
from tabaug.errors import DataError
from tabaug.experiments import benchmark, evaluate
from tabaug.experiments.benchmark import run_benchmark
from tabaug.experiments.classifiers import CLASSIFIERS, Classifier, check_classifiers
from tabaug.experiments.evaluate import Encoding, evaluate_split, failures
from tabaug.experiments.methods import NO_AUGMENTATION, MethodContext, check_methods, make_method
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.results import KEY, ResultsFile
from tabaug.metrics import (
    best_f1_threshold,
    calibration_intercept_slope,
    expected_calibration_error,
    split_metrics,
)

FAST = ["No augmentation", "Class weight", "RO", "SMOTE"]


def mixed_table(n=240, minority=40, seed=0, name="mixed"):
    """Numbers, a category tied to the class, and a missing value or two."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(minority, int), np.zeros(n - minority, int)]
    frame = pd.DataFrame({
        "a": rng.normal(y * 1.5, 1.0),
        "b": rng.exponential(1 + y, n).round(2),
        "colour": np.where(rng.random(n) < 0.3 + 0.4 * y, "red",
                           rng.choice(["green", "blue"], n)),
        "class": np.where(y == 1, "positive", "negative"),
    })
    frame.loc[[3, 77], "b"] = np.nan
    return BenchmarkTable(name, frame, "class")


def test_categorical_columns_go_to_samplers_as_one_column_each_and_come_back():
    table = mixed_table()
    data = prepare_frame(table.frame, "class", 0, verbose=False, id_columns=[])
    encoding = Encoding.of(data)
    assert encoding.groups == [(data.X_train.shape[1] - 3, 3)]  # red, green, blue at the end
    sampling = encoding.to_table(data.X_train)
    assert list(sampling.dtypes.astype(str)).count("category") == 1
    assert encoding.categorical == [sampling.columns.get_loc("c0")]
    np.testing.assert_array_equal(encoding.to_features(sampling), data.X_train)


def test_smote_nc_and_generators_make_valid_one_hot_rows():
    table = mixed_table()
    data = prepare_frame(table.frame, "class", 0, verbose=False, id_columns=[])
    encoding = Encoding.of(data)
    context = MethodContext(tuple(encoding.categorical), encoding.n_numeric + 1)
    for name in ("SMOTE", "gaussian-copula"):
        method = make_method(name, 0, data.y_train, context)
        X, y, _, _ = evaluate._resample(method, data.X_train, data.y_train, encoding)
        one_hot = X[:, -3:]
        assert np.all(np.isin(one_hot, [0, 1])) and np.all(one_hot.sum(axis=1) == 1), name
        assert np.bincount(y)[0] == np.bincount(y)[1]
    assert "SMOTE-NC" in make_method("SMOTE", 0, data.y_train, MethodContext((4,), 5)).note
    only_categories = make_method("SMOTE", 0, data.y_train, MethodContext((0, 1), 2))
    assert type(only_categories.sampler).__name__ == "SMOTEN"


def test_calibration_error():
    # Always 0.8 sure, right 80% of the time: calibrated; right 50%: off by 0.3.
    proba = np.tile([0.2, 0.8], (10, 1))
    assert expected_calibration_error(np.r_[np.ones(8), np.zeros(2)], proba) == pytest.approx(0)
    assert expected_calibration_error(np.r_[np.ones(5), np.zeros(5)], proba) == pytest.approx(0.3)


def test_calibration_intercept_and_slope_are_statsmodels_logistic_recalibration():
    """The two numbers of the logistic recalibration model, as statsmodels fits them: the
    intercept with logit(p) as an offset, the slope with logit(p) as the one covariate."""
    import statsmodels.api as sm
    from scipy.special import expit, logit

    rng = np.random.default_rng(0)
    risk = rng.uniform(0.02, 0.6, 400)
    y = (rng.random(400) < risk).astype(int)
    for predicted in (risk, expit(2 * logit(risk)), expit(logit(risk) + 1)):
        offset = logit(predicted)
        intercept = sm.GLM(y, np.ones(400), family=sm.families.Binomial(),
                           offset=offset).fit().params[0]
        slope = sm.Logit(y, sm.add_constant(offset)).fit(disp=0).params[1]
        np.testing.assert_allclose(calibration_intercept_slope(y, predicted),
                                   [intercept, slope], rtol=1e-4, atol=1e-6)
    # Overconfident predictions have a slope near 1/2; overestimated risks a negative
    # intercept (measured here: slope 0.59, intercept -0.96; the true risks: 1.18, 0.04).
    assert calibration_intercept_slope(y, expit(2 * logit(risk)))[1] < 0.7
    assert calibration_intercept_slope(y, expit(logit(risk) + 1))[0] < -0.7


def test_calibration_slope_is_undefined_when_the_scores_separate_the_classes():
    intercept, slope = calibration_intercept_slope([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9])
    assert np.isfinite(intercept) and np.isnan(slope)
    with pytest.raises(ValueError, match="both classes"):
        calibration_intercept_slope([1, 1], [0.4, 0.6])
    # Multi-class rows have no class 1 to calibrate: the columns are missing, as f1_tuned is.
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7]])
    row = split_metrics(np.array([0, 1, 2]), proba, {0: "a", 1: "b", 2: "c"})
    assert np.isnan(row["calibration_intercept"]) and np.isnan(row["calibration_slope"])


def test_tuned_threshold_reaches_the_best_f1_of_the_validation_rows():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    scores = np.clip(0.25 * y + rng.normal(0.3, 0.15, 300), 0, 1)
    cut = best_f1_threshold(y, scores)
    best = max(f1_score(y, scores >= s) for s in np.unique(scores))
    assert f1_score(y, scores > cut) == pytest.approx(best)
    assert f1_score(y, scores > 0.5) < best  # the default cut is worse here
    # Every row called class 1 is the best: the cut lies below the lowest score.
    assert best_f1_threshold(np.ones(5, int), np.linspace(0.1, 0.5, 5)) < 0.1


@pytest.fixture(scope="module")
def one_split():
    table = mixed_table()
    return evaluate_split(table, 0, FAST, check_classifiers(["LR", "kNN"]))


def test_one_split_gives_every_method_and_classifier_once(one_split):
    results = pd.DataFrame(one_split)
    assert len(results) == 4 * 2 - 1  # kNN has no class weights
    assert set(results.query("classifier == 'kNN'")["method"]) == set(FAST) - {"Class weight"}
    for column in ("roc_auc", "pr_auc", "f1", "f1_tuned", "mcc", "mcc_tuned", "ece",
                   "sensitivity_at_95_specificity"):
        assert results[column].between(-1, 1).all(), column
    assert (results["log_loss"] > 0).all() and (results["brier"] > 0).all()
    assert np.isfinite(results["calibration_intercept"]).all()
    assert (results["calibration_slope"].dropna() > 0).all()  # NaN: test rows separated
    assert results["threshold"].between(0, 1).all()
    assert (results[["train_rows", "validation_rows", "test_rows"]].sum(axis=1) == 240).all()
    # Same split for every method: the reference rows and the others share the test rows.
    assert results["test_rows"].nunique() == 1 and results["seed"].nunique() == 1


def test_threshold_tuning_helps_where_the_default_cut_misses():
    # A rare class that a strongly penalised model never calls at 0.5: tuning the cut must
    # find it.
    table = mixed_table(n=400, minority=24, seed=5)
    penalised = Classifier(CLASSIFIERS["LR"].make, {"C": [0.01]})
    rows = pd.DataFrame(evaluate_split(table, 0, [NO_AUGMENTATION], {"LR": penalised}))
    assert rows.loc[0, "f1"] == 0 and rows.loc[0, "f1_tuned"] > 0


def test_results_file_keeps_whole_splits_and_refuses_another_protocol(tmp_path):
    path = tmp_path / "results.csv"
    store = ResultsFile(path, Protocol(seed=1))
    store.append([{"dataset": "a", "classifier": "LR", "method": "RO", "split": 0, "x": 1.0}])
    store.append([{"dataset": "a", "classifier": "LR", "method": "RO", "split": 1, "x": 2.0}])
    with open(path, "a") as handle:  # an interruption in the middle of a line
        handle.write("a,LR,RO,2,3.")
    # rows written before they said their ratio (an older file) are at the natural one
    assert ResultsFile(path, Protocol(seed=1)).done() == {("a", "LR", "RO", 0, "natural"),
                                                          ("a", "LR", "RO", 1, "natural")}
    assert path.read_text().endswith("2.0\n")
    with pytest.raises(DataError, match="another protocol.*Use another results file"):
        ResultsFile(path, Protocol(seed=2))


def test_an_interrupted_run_resumes_and_loses_nothing(tmp_path, monkeypatch):
    tables = [mixed_table(name="one"), mixed_table(seed=1, name="two")]
    path = tmp_path / "results.csv"
    first = run_benchmark(tables, methods=["RO"], classifiers=["LR"], n_splits=2,
                          results_path=path, progress=False)
    assert len(first) == 2 * 2 * 2
    calls = []
    original = benchmark.evaluate_split

    def counted(table, split, methods, *args, **kwargs):
        calls.append((table.name, split, tuple(methods)))
        return original(table, split, methods, *args, **kwargs)

    monkeypatch.setattr(benchmark, "evaluate_split", counted)
    again = run_benchmark(tables, methods=["RO", "SMOTE"], classifiers=["LR"], n_splits=3,
                          results_path=path, progress=False)
    # Only what was missing ran: SMOTE on the old splits, everything on the new one.
    assert sorted(calls) == [("one", 0, ("SMOTE",)), ("one", 1, ("SMOTE",)),
                             ("one", 2, (NO_AUGMENTATION, "RO", "SMOTE")),
                             ("two", 0, ("SMOTE",)), ("two", 1, ("SMOTE",)),
                             ("two", 2, (NO_AUGMENTATION, "RO", "SMOTE"))]
    assert len(again) == 2 * 3 * 3
    assert not again.duplicated(KEY).any()
    kept = again.merge(first, on=KEY, suffixes=("", "_first"))
    np.testing.assert_array_equal(kept["roc_auc"], kept["roc_auc_first"])


def test_every_core_and_a_dask_cluster_give_the_serial_results():
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    tables = [mixed_table(name="one"), mixed_table(seed=1, name="two")]
    settings = dict(methods=["RO", "SMOTE"], classifiers=["LR", "kNN"], n_splits=2,
                    progress=False)
    columns = KEY + ["roc_auc", "log_loss", "f1_tuned", "threshold"]
    serial = run_benchmark(tables, n_jobs=1, **settings)[columns]
    cores = run_benchmark(tables, n_jobs=2, **settings)[columns]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), parallel_config(backend="dask"):
        on_dask = run_benchmark(tables, n_jobs=-1, **settings)[columns]
    pd.testing.assert_frame_equal(cores, serial)
    pd.testing.assert_frame_equal(on_dask, serial)


def test_a_generator_registered_at_run_time_runs_in_loky_and_dask_workers(monkeypatch):
    """Workers import tabaug afresh and miss what the caller registered: the benchmark hands
    them the classes, so a generator of one's own (here defined in a function, as in a
    notebook: pickled by value) gives the serial results on every core and on Dask's worker
    processes, never a "failed method"."""
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    from tabaug import generators
    from tabaug.generators.copula import GaussianCopula

    class MyCopula(GaussianCopula):
        pass

    monkeypatch.setattr(generators, "GENERATORS", dict(generators.GENERATORS))
    generators.register("my-copula", MyCopula)
    table = mixed_table(n=120, minority=30)
    settings = dict(methods=["my-copula"], classifiers=["LR"], n_splits=2, progress=False)
    columns = KEY + ["roc_auc", "log_loss", "error"]
    serial = run_benchmark([table], n_jobs=1, **settings)[columns]
    assert (serial["error"] == "").all() and len(serial) == 4  # two methods, two splits
    cores = run_benchmark([table], n_jobs=2, **settings)[columns]
    pd.testing.assert_frame_equal(cores, serial)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), parallel_config(backend="dask"):
        on_dask = run_benchmark([table], n_jobs=-1, **settings)[columns]
    pd.testing.assert_frame_equal(on_dask, serial)


def test_a_file_of_other_columns_and_tables_of_one_name_are_refused(tmp_path):
    store = ResultsFile(tmp_path / "results.csv", Protocol())
    store.append([{"dataset": "a", "classifier": "LR", "method": "RO", "split": 0, "x": 1.0}])
    with pytest.raises(DataError, match="has no columns \\['y'\\]"):
        store.append([{"dataset": "a", "classifier": "LR", "method": "RO", "split": 1,
                       "x": 2.0, "y": 3.0}])
    with pytest.raises(DataError, match="Two tables are named \\['one'\\]"):
        run_benchmark([mixed_table(name="one"), mixed_table(seed=1, name="one")],
                      methods=["RO"], classifiers=["LR"], n_splits=2, progress=False)


def separated_table(name="separated"):
    """A minority class far from every majority row: ADASYN finds no majority neighbour and
    refuses (RuntimeError), while SMOTE works."""
    rng = np.random.default_rng(3)
    y = np.r_[np.ones(30, int), np.zeros(170, int)]
    frame = pd.DataFrame({"a": rng.normal(y * 50.0, 1.0), "b": rng.normal(y * 50.0, 1.0),
                          "class": np.where(y == 1, "positive", "negative")})
    return BenchmarkTable(name, frame, "class")


def test_a_method_that_cannot_resample_a_table_is_recorded_not_dropped(tmp_path):
    from tabaug.report.benchmark import write_report

    tables = [separated_table(), mixed_table(name="one"), mixed_table(seed=1, name="two")]
    path = tmp_path / "results.csv"
    results = run_benchmark(tables, methods=["ADASYN", "SMOTE"], classifiers=["LR", "kNN"],
                            n_splits=2, results_path=path, progress=False)
    failed = results[results["error"].fillna("") != ""]
    assert set(failed["method"]) == {"ADASYN"} and set(failed["dataset"]) == {"separated"}
    assert len(failed) == 2 * 2 and failed["roc_auc"].isna().all()
    assert failed["error"].str.startswith("RuntimeError: Not any neigbours").all()
    assert results.query("method == 'SMOTE' and dataset == 'separated'")["roc_auc"].notna().all()
    # The table of failures, and a resume that does not try again.
    table = failures(results)
    assert table[["method", "dataset", "failed_splits", "splits"]].values.tolist() == [
        ["ADASYN", "separated", 2, 2]]
    assert len(run_benchmark(tables, methods=["ADASYN", "SMOTE"], classifiers=["LR", "kNN"],
                             n_splits=2, results_path=path, progress=False)) == len(results)
    # The report says so first, and its tests use the other tables for ADASYN.
    report = write_report(results, tmp_path / "report", metrics=["roc_auc"],
                          hierarchical_metrics=["roc_auc"])
    assert report.key_conclusions()[0].startswith(
        "ADASYN failed on 1 table: separated (2 of 2 splits) (RuntimeError:")
    assert (tmp_path / "report" / "failures.csv").exists()
    adasyn = report.wilcoxon.query("arm == 'ADASYN' and classifier == 'LR'")
    assert adasyn[["n_datasets", "missing"]].values.tolist() == [[2, 1]]
    # Calibration: each table's median split, then the median over tables, by classifier.
    calibration = pd.read_csv(tmp_path / "report" / "calibration.csv")
    lr_smote = calibration.query("classifier == 'LR' and method == 'SMOTE'").iloc[0]
    per_table = results.query("classifier == 'LR' and method == 'SMOTE'").groupby(
        "dataset", observed=True)["calibration_intercept"].median()
    assert lr_smote["tables"] == 3
    assert lr_smote["intercept"] == pytest.approx(per_table.median())
    assert report.key_conclusions()[-1].startswith("Calibration of kNN's probabilities")
    # The hierarchical test and the moderators: files and sentences, each origin once.
    hierarchical = pd.read_csv(tmp_path / "report" / "hierarchical.csv")
    assert set(hierarchical["metric"]) == {"roc_auc"}
    adasyn = hierarchical.query("arm == 'ADASYN'")  # the failed table is left out, and said
    assert adasyn["excluded"].str.startswith("separated excluded").all()
    assert (adasyn["n_tables"] == 2).all()
    assert (tmp_path / "report" / "moderators.csv").exists()
    assert (tmp_path / "report" / "multiplicity_plan.txt").read_text().startswith(
        "Primary metric: PR AUC")
    assert any(text.startswith("Exploratory moderator analysis")
               for text in report.conclusions["moderators"])


def test_the_tests_across_tables_count_each_origin_once():
    from tabaug.report.benchmark import across_datasets
    from tabaug.stats.hierarchical import simulated_results

    results = simulated_results({"yeast": 6, "glass": 2, "ecoli": 1, "wine": 1, "pima": 1},
                                effect=0.05, seed=0)
    by_origin = across_datasets(results, "pr_auc", NO_AUGMENTATION, nsamples=2000)
    by_table = across_datasets(results, "pr_auc", NO_AUGMENTATION, nsamples=2000,
                               unit="dataset")
    (classifier, origin_parts), = by_origin.items()
    assert origin_parts["wilcoxon"]["n_datasets"].tolist() == [5]
    assert by_table[classifier]["wilcoxon"]["n_datasets"].tolist() == [11]
    assert "5 origins" in origin_parts["conclusions"][0]
    with pytest.raises(ValueError, match="'origin'"):
        across_datasets(results, "pr_auc", NO_AUGMENTATION, unit="table")


def test_unknown_names_are_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="Known methods"):
        check_methods(["SMOTTE"])
    with pytest.raises(ValueError, match="Known: \\['HGB', 'LR', 'kNN'\\]"):
        check_classifiers(["SVM"])
    assert check_methods(["RO"]) == [NO_AUGMENTATION, "RO"]
