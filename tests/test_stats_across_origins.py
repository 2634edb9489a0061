"""tabaug.stats.hierarchical and tabaug.stats.moderators: tables counted by origin, the
hierarchical Bayesian test on per-split results and the moderator analysis, on simulated
results whose truth is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tabaug.data.datasets import ORIGINS
from tabaug.stats.across_tables import arms, dataset_means, wilcoxon_against_reference
from tabaug.stats.hierarchical import (
    REFERENCE,
    ROPES,
    hierarchical_against_reference,
    hierarchical_t_test,
    on_rope_scale,
    origin_map,
    origin_means,
    origin_tests,
    rope_for,
    simulated_results,
    split_gains,
    table_gains,
)
from tabaug.stats.moderators import MULTIPLICITY_PLAN, PRIMARY_METRIC, moderator_analysis

#: Six yeast tables (one origin) and five tables of five other origins.
YEAST = ["yeast1", "yeast3", "yeast4", "yeast5", "yeast6", "yeast-2_vs_4"]
OTHERS = ["wdbc", "pima", "haberman", "vehicle0", "car_good"]
SPLITS = 5
#: Few draws: enough for the probabilities the tests read, and fast.
FAST = {"warmup": 400, "draws": 400}


def _keel_results(gain_of, seed=0, splits=SPLITS):
    """Per-split results on real table names (origins from ORIGINS, no ``origin`` column):
    the arm "Method" gains ``gain_of(name)`` PR AUC over the reference."""
    rng = np.random.default_rng(seed)
    rows = []
    for name in YEAST + OTHERS:
        base = rng.uniform(0.4, 0.8)
        for split in range(splits):
            shared = rng.normal(0, 0.01)
            for method, gain in ((REFERENCE, 0.0), ("Method", gain_of(name))):
                rows.append({"dataset": name, "classifier": "HGB", "method": method,
                             "split": split, "pr_auc": base + shared + gain,
                             "roc_auc": 0.8 + shared, "train_rows": 600,
                             "validation_rows": 200, "test_rows": 200, "rows": 1000,
                             "minority_rows": 100, "imbalance_ratio": 9.0, "classes": 2,
                             "error": ""})
    return pd.DataFrame(rows)


def _fail(results, dataset, method, splits, error="ValueError: too few neighbours"):
    """The results with ``method`` failed on ``splits`` of ``dataset``: metrics NaN, error."""
    results = results.copy()
    rows = ((results["dataset"] == dataset) & (results["method"] == method)
            & results["split"].isin(splits))
    results.loc[rows, ["pr_auc", "roc_auc"]] = np.nan
    results.loc[rows, "error"] = error
    return results


# --- ROPEs and scales -------------------------------------------------------------------------
def test_every_rope_has_a_positive_width_and_a_reason():
    for metric, (width, reason) in ROPES.items():
        assert width > 0 and len(reason) > 30, metric
        assert rope_for(metric) == width
    assert rope_for("sensitivity_at_90_specificity") == ROPES["sensitivity_at_95_specificity"][0]


def test_an_unknown_metric_raises_naming_the_known_ones_and_the_fix():
    with pytest.raises(ValueError, match="no region of practical equivalence") as caught:
        rope_for("accuracy")
    assert "pr_auc" in str(caught.value) and "rope=" in str(caught.value)
    results = simulated_results({"a": 2, "b": 2}, splits=2).assign(accuracy=0.9)
    with pytest.raises(ValueError, match="known"):
        origin_tests(results, "accuracy")
    assert len(origin_tests(results, "accuracy", rope=0.01, nsamples=500)) == 1


def test_scales_of_the_ropes():
    """Calibration as a distance from the ideal; log loss and Brier relative to no skill."""
    results = pd.DataFrame({
        "calibration_intercept": [-0.3, 0.2], "calibration_slope": [0.7, 1.2],
        "log_loss": [np.log(2), 0.1], "brier": [0.25, 0.01], "pr_auc": [0.5, 0.6],
        "rows": [100, 1000], "minority_rows": [50, 10], "classes": [2, 2]})
    frame, lower, _ = on_rope_scale(results, "calibration_intercept")
    assert lower and frame["calibration_intercept"].tolist() == [0.3, 0.2]
    frame, lower, _ = on_rope_scale(results, "calibration_slope")
    assert lower and np.allclose(frame["calibration_slope"], [0.3, 0.2])
    frame, lower, units = on_rope_scale(results, "log_loss")
    p = 0.01
    no_skill = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    assert lower and "no-skill" in units
    assert np.allclose(frame["log_loss"], [1.0, 0.1 / no_skill])  # 0.5 prevalence: ln 2
    frame, _, _ = on_rope_scale(results, "brier")
    assert np.allclose(frame["brier"], [1.0, 0.01 / (p * (1 - p))])
    frame, lower, units = on_rope_scale(results, "pr_auc")
    assert not lower and units == "pr_auc" and frame["pr_auc"].tolist() == [0.5, 0.6]
    with pytest.raises(ValueError, match="minority_rows"):
        on_rope_scale(results.drop(columns="minority_rows"), "log_loss")
    with pytest.raises(ValueError, match="two classes"):
        on_rope_scale(results.assign(classes=[2, 3]), "brier")
    with pytest.raises(ValueError, match="not a column"):
        on_rope_scale(results, "mcc")


# --- Origins ----------------------------------------------------------------------------------
def test_origin_map_defaults_to_origins_and_keeps_unknown_names():
    assert origin_map(["yeast1", "yeast6", "mine"]) == {
        "yeast1": ORIGINS["yeast1"], "yeast6": ORIGINS["yeast1"], "mine": "mine"}
    assert origin_map(["a", "b"], {"a": "A"}) == {"a": "A", "b": "b"}
    assert origin_map(["a"], pd.Series({"a": "A"})) == {"a": "A"}
    results = pd.DataFrame({"dataset": ["a", "b"], "origin": ["X", "X"]})
    assert origin_map(["a", "b"], results=results) == {"a": "X", "b": "X"}


def test_origin_means_count_the_six_yeast_tables_once():
    """Yeast loses on its six tables, five other origins gain: by table the arm loses on most
    tables (6 of 11), by origin it wins on 5 of 6."""
    results = _keel_results(lambda name: -0.03 if name in YEAST else 0.03)
    means = origin_means(results, "pr_auc")
    yeast = means[(means["origin"] == ORIGINS["yeast1"]) & (means["arm"] == "Method")].iloc[0]
    assert yeast["n_tables"] == 6 and yeast["missing"] == ""
    assert set(yeast["tables"].split(", ")) == set(YEAST)
    table_means = dataset_means(arms(results, "pr_auc"))["HGB"]
    assert yeast["value"] == pytest.approx(table_means.loc[YEAST, "Method"].mean())
    assert means["origin"].nunique() == 6

    tests = origin_tests(results, "pr_auc", nsamples=2000).iloc[0]
    assert (tests["n_origins"], tests["wins"], tests["losses"], tests["missing"]) == (6, 5, 1, 0)
    by_table = wilcoxon_against_reference(table_means, REFERENCE, False).iloc[0]
    assert (by_table["n_datasets"], by_table["wins"], by_table["losses"]) == (11, 5, 6)
    assert tests["rope"] == 0.01 and tests["units"] == "pr_auc"


def test_an_origin_missing_an_arm_on_one_table_is_missing_and_said():
    results = _fail(_keel_results(lambda name: 0.03), "yeast3", "Method", range(SPLITS))
    means = origin_means(results, "pr_auc")
    yeast = means[(means["origin"] == ORIGINS["yeast1"]) & (means["arm"] == "Method")].iloc[0]
    assert np.isnan(yeast["value"]) and yeast["missing"] == "yeast3"
    tests = origin_tests(results, "pr_auc", nsamples=2000).iloc[0]
    assert (tests["n_origins"], tests["missing"]) == (5, 1)


def test_an_explicit_mapping_changes_what_counts_as_one():
    results = _keel_results(lambda name: 0.03)
    every_table = {name: name for name in YEAST + OTHERS}
    assert origin_tests(results, "pr_auc", origins=every_table,
                        nsamples=1000)["n_origins"].iloc[0] == 11


# --- Paired gains -----------------------------------------------------------------------------
def test_failed_and_absent_methods_are_kept_and_said():
    results = _fail(_keel_results(lambda name: 0.03), "yeast3", "Method", [0, 1])
    results = results[~((results["dataset"] == "pima") & (results["method"] == "Method"))]
    per_split = split_gains(results, "pr_auc")
    assert len(per_split) == 11 * SPLITS  # every split of every table, for the one arm
    assert per_split["gain"].isna().sum() == 2 + SPLITS
    gains = table_gains(results, "pr_auc").set_index("dataset")
    assert gains.loc["yeast3", "n_splits"] == 3 and gains.loc["yeast3", "splits"] == SPLITS
    assert "no value on 2 of 5 splits (ValueError: too few neighbours)" in gains.loc[
        "yeast3", "note"]
    assert np.isnan(gains.loc["pima", "gain"]) and "no paired split" in gains.loc["pima", "note"]
    assert gains.loc["wdbc", "note"] == ""
    assert gains.loc["wdbc", "gain"] == pytest.approx(0.03)
    assert gains.loc["wdbc", "origin"] == ORIGINS["wdbc"]


def test_a_missing_reference_is_said_and_an_unknown_one_raises():
    results = _fail(_keel_results(lambda name: 0.03), "wdbc", REFERENCE, [4])
    gains = table_gains(results, "pr_auc").set_index("dataset")
    assert "No augmentation has no value on 1 of 5 splits" in gains.loc["wdbc", "note"]
    with pytest.raises(ValueError, match="reference"):
        split_gains(results, "pr_auc", reference="Nothing")


def test_gains_are_signed_so_that_positive_means_better():
    results = _keel_results(lambda name: 0.03)
    results["log_loss"] = 0.3 - (results["pr_auc"] - 0.6)  # the arm lowers the loss by 0.03
    gains = split_gains(results, "log_loss")
    p = 0.1
    no_skill = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    assert gains["gain"].to_numpy() == pytest.approx(0.03 / no_skill)


def test_the_simulator_gives_the_gains_it_was_asked_for():
    results = simulated_results({"a": 3, "b": 3}, effect=0.04, slope=0.02, spread=0.0,
                                noise=0.0, splits=2, seed=3)
    gains = table_gains(results, "pr_auc")
    x = np.log(gains["imbalance_ratio"])
    assert gains["gain"].to_numpy() == pytest.approx(0.04 + 0.02 * (x - x.mean()).to_numpy())


# --- The hierarchical test --------------------------------------------------------------------
ORIGINS_12 = {f"o{k}": 2 for k in range(12)}


@pytest.mark.parametrize("effect, side", [(0.05, "p_arm_better"), (-0.05, "p_reference_better"),
                                          (0.0, "p_equivalent")])
def test_the_hierarchical_test_finds_the_known_effect(effect, side):
    results = simulated_results(ORIGINS_12, effect=effect, spread=0.003, origin_spread=0.002,
                                seed=7)
    row = hierarchical_against_reference(results, "pr_auc", **FAST).iloc[0]
    assert row[side] > 0.9
    assert row["ci_low"] < effect < row["ci_high"]
    assert row["model"] == "splits in tables in origins"
    assert (row["n_tables"], row["n_origins"], row["n_splits"]) == (24, 12, 24 * 5)
    assert row["excluded"] == "" and row["rhat"] < 1.05
    assert np.isclose(row[["p_reference_better", "p_equivalent", "p_arm_better"]].sum(), 1)


def test_a_lower_is_better_metric_is_compared_the_right_way_round():
    results = simulated_results(ORIGINS_12, effect=0.05, spread=0.003, seed=2)
    results["ece"] = 0.2 - (results["pr_auc"] - 0.6) / 5  # the arm lowers ECE by 0.01 ...
    row = hierarchical_against_reference(results, "ece", rope=0.002, **FAST).iloc[0]
    assert row["p_arm_better"] > 0.9
    assert row["ci_low"] < -0.01 < row["ci_high"] < 0  # ... so arm - reference is negative


def test_the_two_level_model_agrees_with_baycomps_stan_fit():
    """The same data fitted by baycomp 1.0.3's HierarchicalTest (pystan 3.10, 4 chains x 2,000
    draws, rho = 0.25) gave P = (0.004, 0.932, 0.064), predictive (0.077, 0.721, 0.202) and
    delta0 = 0.0032 [-0.0044, 0.0109]; 20 tables, 5 splits, test/train = 1/3."""
    rng = np.random.default_rng(5)
    gains = 0.01 + rng.normal(0, 0.01, 20)[:, None] + rng.normal(0, 0.02, (20, 5))
    found = hierarchical_t_test(gains.ravel(), np.repeat(np.arange(20), 5), 1 / 3, rope=0.01)
    assert found.model == "splits in tables"
    assert found.probs() == pytest.approx((0.004, 0.932, 0.064), abs=0.03)
    assert (found.predictive_reference_better, found.predictive_equivalent,
            found.predictive_arm_better) == pytest.approx((0.077, 0.721, 0.202), abs=0.03)
    assert (found.mean_gain, found.gain_low, found.gain_high) == pytest.approx(
        (0.0032, -0.0044, 0.0109), abs=0.0015)


def test_the_hierarchical_test_is_reproducible_and_uses_the_split_correlation():
    rng = np.random.default_rng(0)
    tables = np.repeat(np.arange(10), 5)
    gains = 0.02 + rng.normal(0, 0.01, 10)[tables] + rng.normal(0, 0.02, 50)
    first = hierarchical_t_test(gains, tables, 0.25, rope=0.01, **FAST, seed=4)
    again = hierarchical_t_test(gains, tables, 0.25, rope=0.01, **FAST, seed=4)
    assert first.probs() == again.probs() and first.mean_gain == again.mean_gain
    overlapping = hierarchical_t_test(gains, tables, 3.0, rope=0.01, **FAST, seed=4)
    assert (overlapping.gain_high - overlapping.gain_low) > (first.gain_high - first.gain_low)
    per_table = hierarchical_t_test(gains, tables, dict.fromkeys(range(10), 0.25), rope=0.01,
                                    **FAST, seed=4)
    assert per_table.probs() == first.probs()


def test_the_hierarchical_test_refuses_what_it_cannot_fit():
    with pytest.raises(ValueError, match="NaN"):
        hierarchical_t_test([0.1, np.nan, 0.2, 0.3], [0, 0, 1, 1], 0.25, rope=0.01)
    with pytest.raises(ValueError, match=">= 2 tables"):
        hierarchical_t_test([0.1, 0.2, 0.3], [0, 0, 0], 0.25, rope=0.01)
    with pytest.raises(ValueError, match=">= 2 splits"):
        hierarchical_t_test([0.1, 0.2, 0.3], [0, 0, 1], 0.25, rope=0.01)
    with pytest.raises(ValueError, match="test_rows"):
        hierarchical_against_reference(
            simulated_results({"a": 2}, splits=2).drop(columns=["test_rows"]), "pr_auc")


def test_constant_differences_do_not_break_the_sampler():
    """F1 = 0 for both arms on every split of some tables: all their differences are 0."""
    tables = np.repeat(np.arange(8), 4)
    gains = np.where(tables < 4, 0.0, np.random.default_rng(1).normal(0, 0.01, 32))
    found = hierarchical_t_test(gains, tables, 0.25, rope=0.01, **FAST)
    assert np.isfinite(found.mean_gain) and found.p_equivalent > 0.9


def test_failed_splits_and_tables_are_excluded_and_said():
    results = simulated_results(ORIGINS_12, effect=0.05, spread=0.003, seed=7)
    results = _fail(results, "o0-1", "Oversampler", [0, 1])
    results = _fail(results, "o1-1", "Oversampler", [0, 1, 2, 3])
    row = hierarchical_against_reference(results, "pr_auc", **FAST).iloc[0]
    assert (row["n_tables"], row["n_splits"]) == (23, 24 * 5 - 2 - 5)
    assert "o1-1 excluded: Oversampler has no value on 4 of 5 splits" in row["excluded"]
    assert "o0-1: Oversampler has no value on 2 of 5 splits" in row["excluded"]
    assert row["p_arm_better"] > 0.9


def test_not_nested_is_baycomps_two_level_model():
    results = simulated_results({"a": 3, "b": 3, "c": 2}, effect=0.05, spread=0.003, seed=1)
    row = hierarchical_against_reference(results, "pr_auc", nested=False, **FAST).iloc[0]
    assert row["model"] == "splits in tables" and row["n_origins"] == 3


# --- Moderators -------------------------------------------------------------------------------
def test_moderators_recover_a_slope_on_the_log_imbalance_ratio():
    results = simulated_results({f"o{k}": 2 for k in range(15)}, effect=0.02, slope=0.015,
                                spread=0.004, origin_spread=0.002,
                                classifiers=("HGB", "kNN"), seed=5)
    found = moderator_analysis(results, "pr_auc")
    table = found.coefficients.set_index("term")
    slope = table.loc["log_imbalance_ratio"]
    assert slope["estimate"] > 0 and slope["ci_low"] < 0.015 < slope["ci_high"]
    assert slope["p_holm"] < 0.05
    assert (slope["n_tables"], slope["n_origins"], slope["n_rows"]) == (30, 15, 60)
    assert list(table.index) == ["intercept", "log_imbalance_ratio", "log_minority_rows",
                                 "separability", "classifier[kNN]"]
    assert np.isnan(table.loc["intercept", "p_holm"])
    assert (table["p_holm"].dropna() >= table["p_value"].iloc[1:]).all()
    assert table.loc["intercept", "ci_low"] < 0.02 < table.loc["intercept", "ci_high"]
    assert found.excluded.empty and found.plan == MULTIPLICITY_PLAN


def test_moderators_say_what_they_left_out():
    results = simulated_results({f"o{k}": 2 for k in range(8)}, effect=0.02, slope=0.01,
                                seed=1)
    results = _fail(results, "o0-1", "Oversampler", range(5))
    results = _fail(results, "o1-2", REFERENCE, range(5))
    no_auc = (results["dataset"] == "o2-1") & (results["method"] == REFERENCE)
    results.loc[no_auc, "roc_auc"] = np.nan
    found = moderator_analysis(results, "pr_auc", weighting="origin")
    excluded = found.excluded.set_index("dataset")
    assert set(excluded.index) == {"o0-1", "o1-2", "o2-1"}
    assert "too few neighbours" in excluded.loc["o0-1", "note"]
    assert excluded.loc["o0-1", "note"].endswith("no paired split; excluded")
    assert "No augmentation has no value on 5 of 5 splits" in excluded.loc["o1-2", "note"]
    assert "excluded: no separability (the reference has no ROC AUC here)" == excluded.loc[
        "o2-1", "note"]
    row = found.coefficients.iloc[0]
    assert (row["n_tables"], row["n_origins"], row["n_excluded"]) == (13, 8, 3)


def test_moderators_refuse_what_they_cannot_fit():
    results = simulated_results({"a": 2, "b": 2}, splits=2)
    with pytest.raises(ValueError, match="weighting"):
        moderator_analysis(results, weighting="rows")
    with pytest.raises(ValueError, match="imbalance_ratio"):
        moderator_analysis(results.drop(columns="imbalance_ratio"))
    row = moderator_analysis(results).coefficients.iloc[0]  # 4 tables, 4 coefficients
    assert row["note"].startswith("not fitted") and row["term"] is None


def test_the_multiplicity_plan_names_its_families():
    assert PRIMARY_METRIC == "pr_auc"
    for words in ("PR AUC", "Holm", "exploratory", "not corrected", "family"):
        assert words in MULTIPLICITY_PLAN
