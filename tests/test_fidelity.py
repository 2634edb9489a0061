"""tabaug.fidelity: are generated rows realistic, varied and not copies of training rows?

The C2ST fits random forests, so these tests use few rows, one or two repeats and, for the
report, three folds to stay fast on two cores.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import tabaug.fidelity.report as fidelity
import tabaug.fidelity.two_sample as two_sample
from tabaug.errors import DataError
from tabaug.fidelity.distances import (
    correlation_distance,
    distance_to_closest,
    duplicate_fraction,
    feature_distances,
    variance_ratio,
)
from tabaug.fidelity.held_out import MEMORISATION_LEVEL, closer_to_training
from tabaug.fidelity.report import (
    C2ST_TARGET,
    DCR_RATIO_TARGET,
    TARGET_COLUMNS,
    fidelity_distances,
    fidelity_report,
    fidelity_warnings,
)
from tabaug.fidelity.two_sample import c2st_auc
from tabaug.report.figures import plot_fidelity

N_FEATURES = 5
COVARIANCE = 0.5 * np.eye(N_FEATURES) + 0.5  # correlated features, like WDBC's


def gaussian(n_rows, seed, shift=0.0):
    """``n_rows`` rows of a correlated 5-feature Gaussian, moved by ``shift`` in every feature."""
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(np.full(N_FEATURES, shift), COVARIANCE, size=n_rows)


@pytest.fixture(scope="module")
def train():
    return gaussian(150, seed=1)


@pytest.fixture(scope="module")
def sources(train):
    """Held-out rows and generated sources of each kind; every group is drawn independently."""
    return {
        "held_out": gaussian(150, seed=2),
        "synthetic": {
            # A perfect generator's rows. It fails the memorisation test in 5% of draws (its
            # rate is tested in test_fidelity_held_out.py); seed 3's draw is one of those
            # (p = 0.045), so these examples of a passing source use another.
            "realistic": gaussian(150, seed=5),
            "shifted": gaussian(80, seed=4, shift=3.0),
            "copies": np.tile(train[:30], (2, 1)),  # 60 copies, each training row twice
            "collapsed": np.tile(train.mean(axis=0), (40, 1)),
        },
    }


@pytest.fixture(scope="module")
def report(train, sources):
    return fidelity_report(train, sources["held_out"], sources["synthetic"], n_splits=3,
                           n_repeats=1)


# --- c2st_auc ---------------------------------------------------------------------------------
def test_c2st_same_distribution_is_near_half():
    assert c2st_auc(gaussian(60, seed=10), gaussian(60, seed=11), n_repeats=2) == pytest.approx(
        0.5, abs=0.15)


def test_c2st_shifted_sample_is_told_apart():
    assert c2st_auc(gaussian(60, seed=10), gaussian(60, seed=11, shift=3.0), n_repeats=2) > 0.9


def test_c2st_is_reproducible_for_a_fixed_random_state():
    real, synthetic = gaussian(40, seed=10), gaussian(40, seed=11, shift=0.3)
    first = c2st_auc(real, synthetic, n_splits=3, n_repeats=1, random_state=7)
    assert c2st_auc(real, synthetic, n_splits=3, n_repeats=1, random_state=7) == first
    assert c2st_auc(real, synthetic, n_splits=3, n_repeats=1, random_state=8) != first
    # Fitting the folds in two processes changes the time, not the score.
    assert c2st_auc(real, synthetic, n_splits=3, n_repeats=1, random_state=7, n_jobs=2) == first


def test_c2st_subsamples_both_groups_to_the_smaller_size(monkeypatch):
    seen = []

    def spy(X, y, train, test, seed):
        seen.append(np.bincount(np.r_[y[train], y[test]]))
        return real_fold_auc(X, y, train, test, seed)

    real_fold_auc = two_sample._fold_auc
    monkeypatch.setattr(two_sample, "_fold_auc", spy)
    auc = c2st_auc(gaussian(60, seed=10), gaussian(20, seed=11, shift=3.0), n_repeats=2)
    assert [list(counts) for counts in seen] == [[20, 20]] * 2 * 5  # repeats x folds
    assert auc > 0.9


def test_c2st_names_the_rows_it_needs():
    with pytest.raises(DataError, match="at least 5 rows in each group"):
        c2st_auc(gaussian(60, seed=10), gaussian(4, seed=11))


# --- per-feature and correlation distances ----------------------------------------------------
def test_feature_distances_are_zero_for_identical_samples():
    rows = gaussian(50, seed=10)
    distances = feature_distances(rows, rows.copy(), feature_names=list("abcde"))
    assert list(distances.index) == list("abcde")
    assert list(distances.columns) == ["ks", "wasserstein"]
    assert (distances == 0).all().all()


def test_feature_distances_are_large_for_a_shifted_sample():
    distances = feature_distances(gaussian(50, seed=10), gaussian(50, seed=11, shift=3.0))
    assert list(distances.index) == [f"x{i}" for i in range(N_FEATURES)]
    assert (distances["ks"] > 0.5).all()
    assert (distances["wasserstein"] > 2.0).all()  # about the shift of 3


def test_feature_distances_accept_data_frames():
    frame = pd.DataFrame(gaussian(30, seed=10), columns=list("abcde"))
    assert feature_distances(frame, frame)["ks"].sum() == 0


def test_correlation_distance_is_zero_for_identical_and_large_for_independent_features():
    rows = gaussian(200, seed=10)
    independent = np.random.default_rng(11).normal(size=rows.shape)
    assert correlation_distance(rows, rows.copy()) == pytest.approx(0.0, abs=1e-12)
    assert correlation_distance(rows, independent) > 0.3  # correlations 0.5 vs about 0


def test_correlation_distance_treats_a_constant_column_as_uncorrelated():
    rows = gaussian(100, seed=10)
    constant = rows.copy()
    constant[:, 0] = 0.7
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "invalid value" warning from dividing by 0
        distance = correlation_distance(rows, constant)
    # Column 0's 4 + 4 correlations of about 0.5 become 0; the other 12 entries are unchanged.
    assert np.isfinite(distance)
    assert distance == pytest.approx(8 / 20 * 0.5, abs=0.05)


# --- diversity --------------------------------------------------------------------------------
def test_duplicate_fraction():
    rows = gaussian(30, seed=10)
    assert duplicate_fraction(rows) == 0.0
    assert duplicate_fraction(np.tile(rows, (2, 1))) == 0.5
    assert duplicate_fraction(np.vstack([rows, rows + 1e-9])) == 0.5  # equal after rounding
    assert duplicate_fraction(np.vstack([rows, rows + 1e-9]), decimals=12) == 0.0


def test_variance_ratio():
    rows = gaussian(100, seed=10)
    assert variance_ratio(rows, 0.5 * rows) == pytest.approx(0.25)
    assert variance_ratio(rows, np.tile(rows[0], (20, 1))) == pytest.approx(0.0, abs=1e-12)
    assert variance_ratio(rows, gaussian(100, seed=11)) == pytest.approx(1.0, abs=0.4)


def test_variance_ratio_leaves_out_features_constant_in_the_real_rows():
    rows = gaussian(100, seed=10)
    real = rows.copy()
    real[:, 0] = 1.0
    synthetic = 0.5 * rows
    assert variance_ratio(real, synthetic) == pytest.approx(0.25)


# --- privacy ----------------------------------------------------------------------------------
def test_distance_to_closest():
    reference = np.array([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(distance_to_closest(reference, [[0.0, 1.0], [3.0, 0.0]]), [1, 3])
    rows = gaussian(40, seed=10)
    assert (distance_to_closest(rows, rows[::-1] * 1.0) == 0).all()  # exact, no rounding


# --- fidelity_report --------------------------------------------------------------------------
def test_report_layout(report):
    assert list(report.columns) == [
        "rows", "c2st_auc", "c2st_vs_train", "c2st_gap", "closer_share", "closer_p_value",
        "mean_ks", "max_ks", "mean_wasserstein", "correlation_distance", "duplicate_fraction",
        "variance_ratio", "median_dcr", "dcr_ratio", "near_copy_fraction", "exact_copies",
    ]
    assert report.index.name == "source"
    assert list(report.index) == ["Real held-out", "realistic", "shifted", "copies", "collapsed"]
    assert list(report["rows"]) == [150, 150, 80, 60, 40]
    # The memorisation columns have no meaning for the real held-out rows themselves.
    memorisation = ["c2st_gap", "closer_share", "closer_p_value"]
    assert report.loc["Real held-out", memorisation].isna().all()
    assert report.drop(columns=memorisation).notna().all().all()
    assert report.drop(index="Real held-out").notna().all().all()


def test_report_judges_sources_against_the_held_out_rows(report, train, sources):
    """The fidelity columns compare a source with the rows its generator never saw (the
    reference row: held-out with training rows); the memorisation columns, by hand."""
    held_out, shifted = sources["held_out"], sources["synthetic"]["shifted"]
    options = dict(n_splits=3, n_repeats=1)
    row = report.loc["shifted"]
    assert row["c2st_auc"] == pytest.approx(c2st_auc(held_out, shifted, **options))
    assert row["c2st_vs_train"] == pytest.approx(c2st_auc(train, shifted, **options))
    assert row["c2st_gap"] == pytest.approx(row["c2st_vs_train"] - row["c2st_auc"])
    assert row["mean_ks"] == pytest.approx(feature_distances(held_out, shifted)["ks"].mean())
    closer = closer_to_training(train, held_out, shifted)
    assert (row["closer_share"], row["closer_p_value"]) == (closer["share"], closer["p_value"])
    reference = report.loc["Real held-out"]
    assert reference["c2st_auc"] == reference["c2st_vs_train"] == pytest.approx(
        c2st_auc(train, held_out, **options))
    assert reference["mean_ks"] == pytest.approx(feature_distances(train, held_out)["ks"].mean())


def test_report_reference_row(report, train, sources):
    reference = report.loc["Real held-out"]
    assert reference["dcr_ratio"] == 1.0
    assert reference["near_copy_fraction"] == pytest.approx(0.05, abs=0.02)
    threshold = np.quantile(distance_to_closest(train, sources["held_out"]), 0.05)
    assert report.attrs["near_copy_distance"] == pytest.approx(threshold)


def test_report_sees_copies_of_training_rows(report):
    copies = report.loc["copies"]
    assert copies["median_dcr"] == 0.0
    assert copies["dcr_ratio"] == 0.0
    assert copies["exact_copies"] == copies["rows"] == 60
    assert copies["near_copy_fraction"] == 1.0
    assert copies["duplicate_fraction"] == 0.5
    assert report.loc["realistic", "exact_copies"] == 0


def test_report_tells_realistic_from_shifted_copied_and_collapsed_rows(report):
    assert report.loc["realistic", "c2st_auc"] < C2ST_TARGET
    assert report.loc["realistic", "closer_p_value"] >= MEMORISATION_LEVEL
    assert report.loc["realistic", "dcr_ratio"] > DCR_RATIO_TARGET
    # Copies look more like the training rows than like new real rows, and every one has a
    # training row as its nearest real row.
    assert report.loc["copies", "c2st_gap"] < -0.2
    assert report.loc["copies", "closer_share"] == 1.0
    assert report.loc["copies", "closer_p_value"] < MEMORISATION_LEVEL
    assert report.loc["shifted", "c2st_auc"] > 0.9
    assert report.loc["shifted", "mean_ks"] > 0.5
    assert report.loc["collapsed", "variance_ratio"] == pytest.approx(0.0, abs=1e-12)


def test_fidelity_distances_match_the_report(report, train, sources):
    distances = fidelity_distances(train, sources["held_out"], sources["synthetic"])
    assert list(distances) == list(report.index)
    medians = pd.Series({name: np.median(d) for name, d in distances.items()})
    pd.testing.assert_series_equal(medians, report["median_dcr"], check_names=False)


def test_report_refuses_a_source_named_like_the_reference(train, sources):
    with pytest.raises(DataError, match="rename that synthetic source"):
        fidelity_report(train, sources["held_out"], {"Real held-out": train})


# --- fidelity_warnings ------------------------------------------------------------------------
def alarms_of(report, source):
    return [alarm for alarm in fidelity_warnings(report) if alarm.startswith(f"{source}:")]


def test_no_alarm_for_realistic_rows_nor_for_the_reference(report):
    assert alarms_of(report, "realistic") == []
    assert alarms_of(report, "Real held-out") == []


def test_alarms_for_shifted_copied_and_collapsed_rows(report):
    assert alarms_of(report, "shifted") == [
        f"shifted: a classifier tells its rows from real rows the generator never saw (C2ST "
        f"ROC AUC {report.loc['shifted', 'c2st_auc']:.2f} > 0.65)"]
    copies = " ".join(alarms_of(report, "copies"))
    assert "100% of its rows have a training row as their nearest real row" in copies
    assert "memorising, not learning the class" in copies
    assert "near-copies, a privacy concern" in copies
    assert "below 0.80" in copies
    assert "mode collapse or copies" in copies
    assert "mode collapse: rows vary less than real ones" in " ".join(
        alarms_of(report, "collapsed"))


def test_warning_thresholds_can_be_changed(report):
    assert alarms_of(report, "shifted") != []
    assert fidelity_warnings(report.loc[["Real held-out", "shifted"]], c2st_max=1.0) == []
    assert fidelity_warnings(report.loc[["copies"]], c2st_max=1, dcr_ratio_min=0,
                             near_copy_max=1, duplicate_max=1, level=0) == []


def test_warnings_refuse_a_report_without_the_memorisation_test(report):
    with pytest.raises(DataError, match=r"no column\(s\) \['closer_p_value'\].*make the report"):
        fidelity_warnings(report.drop(columns="closer_p_value"))


# --- input checks -----------------------------------------------------------------------------
@pytest.mark.parametrize("function", [c2st_auc, feature_distances, correlation_distance,
                                      variance_ratio, distance_to_closest])
def test_one_dimensional_rows_are_refused(function):
    with pytest.raises(DataError, match="2-D array"):
        function(np.arange(10.0), gaussian(10, seed=10))


def test_different_feature_counts_are_refused():
    with pytest.raises(DataError, match="5 features but synthetic has 4"):
        c2st_auc(gaussian(20, seed=10), gaussian(20, seed=11)[:, :4])


def test_report_names_the_source_with_bad_rows(train, sources):
    bad = gaussian(20, seed=11)
    bad[3, 2] = np.nan
    with pytest.raises(DataError, match="broken holds NaN"):
        fidelity_report(train, sources["held_out"], {"broken": bad})
    with pytest.raises(DataError, match="train_rows has 5 features but broken has 4"):
        fidelity_report(train, sources["held_out"], {"broken": train[:, :4]})


def test_infinite_values_are_refused():
    rows = gaussian(20, seed=10)
    rows[0, 0] = np.inf
    with pytest.raises(DataError, match="NaN or infinite"):
        duplicate_fraction(rows)


# --- plot_fidelity ----------------------------------------------------------------------------
def test_plot_fidelity(report, train, sources):
    distances = fidelity_distances(train, sources["held_out"], sources["synthetic"])
    fig = plot_fidelity(report, distances)
    try:
        left, right = fig.axes
        assert left.get_xlabel() == "C2ST ROC AUC against real held-out rows (bars)"
        assert [text.get_text() for text in left.get_legend().get_texts()] == [
            "against training rows", "indistinguishable", "target"]
        assert right.get_xlabel() == "distance to closest training row (scaled features)"
        assert [tick.get_text() for tick in left.get_yticklabels()] == list(report.index)
    finally:
        plt.close(fig)


# --- target_check -----------------------------------------------------------------------------
def test_target_check_passes_realistic_rows_and_fails_shifted_and_copied(train, sources):
    held_out, synthetic = sources["held_out"], sources["synthetic"]
    options = dict(n_splits=3, n_repeats=1)
    realistic = fidelity.target_check(train, held_out, synthetic["realistic"], **options)
    assert realistic["on_target"] is True
    assert realistic["realistic"] and realistic["not_memorised"]
    assert realistic["c2st_auc"] <= fidelity.C2ST_TARGET
    shifted = fidelity.target_check(train, held_out, synthetic["shifted"], **options)
    assert shifted["on_target"] is False and shifted["c2st_auc"] > 0.9
    assert not shifted["realistic"] and shifted["not_memorised"]
    copies = fidelity.target_check(train, held_out, synthetic["copies"], **options)
    assert copies["on_target"] is False and copies["dcr_ratio"] == 0.0
    assert not copies["not_memorised"]  # too close to the training rows: the second side
    # The same numbers as the report's.
    report = fidelity_report(train, held_out, {"realistic": synthetic["realistic"]}, **options)
    for column in [*TARGET_COLUMNS, "dcr_ratio"]:
        assert realistic[column] == pytest.approx(report.loc["realistic", column]), column
