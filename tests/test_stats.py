"""tabaug.stats.across_tables: statistics across data sets, on synthetic per-split results with
known answers.

Twelve data sets, two classifiers, five splits. Against no augmentation, "Better" gains 0.05 on
every data set, "Equal" only adds noise, "Worse" loses 0.05, and "Class weight" gains 0.02 but
exists for HGB only (as class weights do not exist for kNN) and is missing on one data set.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from tabaug.experiments.methods import NO_AUGMENTATION
from tabaug.report.benchmark import across_datasets, against_tuned_reference
from tabaug.report.figures import plot_critical_difference, plot_dataset_differences, plot_outcomes
from tabaug.report.sentences import conclusions
from tabaug.stats.across_tables import (
    TUNED,
    arms,
    bayesian_signed_rank,
    complete_blocks,
    dataset_means,
    friedman_ranks,
    lower_is_better,
    outcome_by,
    per_dataset_differences,
    wilcoxon_against_reference,
)
from tabaug.stats.intervals import corrected_t_interval, holm

REF = NO_AUGMENTATION
GAINS = {REF: 0.0, "Better": 0.05, "Equal": 0.0, "Worse": -0.05, "Class weight": 0.02}
IMBALANCE = [1.5, 2.0, 3.0, 4.0, 6.0, 10.0, 12.0, 20.0, 29.0, 30.0, 60.0, 100.0]
SIZES = [150, 200, 299, 300, 500, 800, 999, 1000, 1500, 2000, 5000, 10000]
SPLITS = 5
MISSING_DATASET = "d03"  # no Class weight there


def _results(seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for d, (ratio, size) in enumerate(zip(IMBALANCE, SIZES)):
        for classifier in ("HGB", "kNN"):
            base = rng.uniform(0.6, 0.85)
            for split in range(SPLITS):
                shared = rng.normal(0, 0.02)  # the split's own difficulty, common to methods
                for method, gain in GAINS.items():
                    if method == "Class weight" and (classifier == "kNN"
                                                     or f"d{d:02d}" == MISSING_DATASET):
                        continue
                    value = base + shared + gain + rng.normal(0, 0.003)
                    f1 = value - 0.3
                    rows.append({
                        "dataset": f"d{d:02d}", "classifier": classifier, "method": method,
                        "split": split, "train_rows": int(size * 0.5),
                        "validation_rows": int(size * 0.2), "test_rows": int(size * 0.3),
                        "imbalance_ratio": ratio, "rows": size,
                        "roc_auc": value, "pr_auc": value - 0.2,
                        "log_loss": 0.6 - value, "brier": 0.3 - value / 3, "ece": 0.9 - value,
                        "sensitivity_at_95_specificity": value - 0.4,
                        # tuning the threshold helps every method by 0.1
                        "f1": f1, "f1_tuned": f1 + 0.1, "mcc": f1 - 0.1, "mcc_tuned": f1})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def results():
    return _results()


@pytest.fixture(scope="module")
def means(results):
    return dataset_means(arms(results, "roc_auc"))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- Arranging the table ----------------------------------------------------------------------
def test_arms_are_the_methods_for_threshold_free_metrics(results):
    table = arms(results, "roc_auc")
    assert len(table) == len(results)
    assert list(pd.unique(table["arm"])) == list(GAINS)
    assert (table["arm"] == table["method"]).all()


def test_f1_doubles_the_arms_with_the_tuned_threshold(results):
    table = arms(results, "f1")
    assert len(table) == 2 * len(results)
    assert list(pd.unique(table["arm"])) == [a for m in GAINS for a in (m, m + TUNED)]
    wide = dataset_means(table)
    assert list(wide["kNN"].columns) == [a for m in GAINS if m != "Class weight"
                                         for a in (m, m + TUNED)]
    # the tuned arm takes its values from f1_tuned
    hgb = wide["HGB"]
    assert np.allclose(hgb[REF + TUNED] - hgb[REF], 0.1)


def test_arms_refuse_repeated_rows(results):
    with pytest.raises(ValueError, match="repeat"):
        arms(pd.concat([results, results.head(3)]), "roc_auc")


def test_dataset_means_average_the_splits_and_leave_missing_arms_out(results, means):
    assert set(means) == {"HGB", "kNN"}
    assert means["HGB"].shape == (12, 5) and means["kNN"].shape == (12, 4)
    assert "Class weight" not in means["kNN"].columns
    assert means["HGB"]["Class weight"].isna().sum() == 1
    one = results.query("dataset == 'd05' and classifier == 'HGB' and method == 'Better'")
    assert means["HGB"].loc["d05", "Better"] == pytest.approx(one["roc_auc"].mean())


def test_an_arm_missing_on_some_splits_has_no_mean_there(results):
    # A method that failed on two of five splits would be averaged over other splits than
    # the reference: its mean there is missing instead.
    failed = results.index[(results["dataset"] == "d07") & (results["method"] == "Worse")
                           & (results["classifier"] == "HGB") & (results["split"] < 2)]
    means = dataset_means(arms(results.assign(roc_auc=results["roc_auc"].where(
        ~results.index.isin(failed))), "roc_auc"))
    assert np.isnan(means["HGB"].loc["d07", "Worse"])
    assert means["HGB"].drop(index="d07").notna().drop(columns="Class weight").all().all()
    assert not np.isnan(means["kNN"].loc["d07", "Worse"])


def test_ece_counts_as_lower_is_better():
    assert lower_is_better("ece") and lower_is_better("log_loss") and lower_is_better("brier")
    assert not lower_is_better("roc_auc") and not lower_is_better("f1_tuned")
    with pytest.raises(ValueError, match="distance from that value"):
        lower_is_better("calibration_slope")


# --- Within each data set ---------------------------------------------------------------------
def test_per_dataset_decisions(results):
    table = per_dataset_differences(results, "roc_auc", REF)
    decisions = table.groupby("arm")["decision"].value_counts().unstack(fill_value=0)
    assert decisions.loc["Better", "win"] == 24 and decisions.loc["Worse", "loss"] == 24
    assert decisions.loc["Class weight"].sum() == 11  # HGB only, not on d03
    assert decisions.loc["Equal", "tie"] >= 20
    assert decisions.loc["Equal"].get("win", 0) <= 2  # noise alone is not a win
    better = table[table["arm"] == "Better"]
    assert np.allclose(better["mean_difference"], 0.05, atol=0.01)
    assert (better["ci_low"] > 0).all() and (better["p_value"] < 0.05).all()


def test_per_dataset_decisions_follow_the_direction_of_lower_is_better(results):
    table = per_dataset_differences(results, "log_loss", REF)
    better = table[table["arm"] == "Better"]
    assert (better["mean_difference"] < 0).all() and (better["decision"] == "win").all()
    assert (table.loc[table["arm"] == "Worse", "decision"] == "loss").all()


def test_per_dataset_interval_is_the_corrected_one_with_the_split_sizes(results):
    table = per_dataset_differences(results, "roc_auc", REF)
    row = table.query("dataset == 'd04' and classifier == 'kNN' and arm == 'Equal'")
    runs = results.query("dataset == 'd04' and classifier == 'kNN'")
    wide = runs.pivot(index="split", columns="method", values="roc_auc")
    columns = ["mean_difference", "ci_low", "ci_high", "p_value"]
    # test / training rows of a 500-row data set: the final model is fit on training rows
    expected = corrected_t_interval(wide["Equal"] - wide[REF], 150 / 250)
    assert row[columns].to_numpy()[0] == pytest.approx(expected)
    # refit on training and validation rows: n_train counts both
    refit = per_dataset_differences(results, "roc_auc", REF, refit_on_validation=True).query(
        "dataset == 'd04' and classifier == 'kNN' and arm == 'Equal'")
    expected = corrected_t_interval(wide["Equal"] - wide[REF], 150 / (250 + 100))
    assert refit[columns].to_numpy()[0] == pytest.approx(expected)


def test_per_dataset_pairs_only_common_splits(results):
    dropped = results.drop(results.query(
        "dataset == 'd00' and classifier == 'kNN' and method == 'Equal' and split == 2").index)
    table = per_dataset_differences(dropped, "roc_auc", REF)
    row = table.query("dataset == 'd00' and classifier == 'kNN' and arm == 'Equal'")
    assert row["n_splits"].item() == SPLITS - 1
    assert table.query("arm == 'Better'")["n_splits"].eq(SPLITS).all()


def test_per_dataset_carries_the_data_set_facts(results):
    table = per_dataset_differences(results, "f1", REF)
    assert set(table["arm"]) == {a for m in GAINS for a in (m, m + TUNED)} - {REF}
    tuned = table[table["arm"] == REF + TUNED]
    assert (tuned["decision"] == "win").all()  # the tuned threshold of no augmentation wins
    assert table.loc[table["dataset"] == "d11", "imbalance_ratio"].eq(100.0).all()
    assert table.loc[table["dataset"] == "d11", "rows"].eq(10000).all()


# --- Holm -------------------------------------------------------------------------------------
def test_holm_equals_the_hand_computed_example():
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.04, 0.06) = 0.06
    adjusted = holm([0.01, np.nan, 0.04, 0.03, 0.005])
    assert np.allclose(adjusted, [0.03, np.nan, 0.06, 0.06, 0.02], equal_nan=True)
    assert holm([]).size == 0 and np.isnan(holm([np.nan])).all()


def test_holm_is_monotone_and_never_below_the_raw_p_values():
    p = np.random.default_rng(1).uniform(0, 0.2, 30)
    adjusted = holm(p)
    order = np.argsort(p)
    assert np.all(np.diff(adjusted[order]) >= 0)
    assert np.all(adjusted >= p) and np.all(adjusted <= 1)


# --- Wilcoxon ---------------------------------------------------------------------------------
@pytest.mark.parametrize("metric", ["roc_auc", "log_loss", "ece"])
def test_wilcoxon_flags_the_better_and_worse_arms_not_the_equal_one(results, metric):
    for classifier, means in dataset_means(arms(results, metric)).items():
        table = wilcoxon_against_reference(means, REF, lower_is_better(metric)).set_index("arm")
        assert table.loc["Better", "verdict"] == "better", (metric, classifier)
        assert table.loc["Worse", "verdict"] == "worse", (metric, classifier)
        assert table.loc["Equal", "verdict"] == "no evidence", (metric, classifier)
        assert table.loc["Better", "p_holm"] < 0.05 and table.loc["Equal", "p_holm"] > 0.05
        assert table.loc["Better", "wins"] == 12 and table.loc["Worse", "losses"] == 12
        assert (table["p_holm"] >= table["p_value"]).all()


def test_wilcoxon_uses_only_data_sets_where_both_arms_exist(means):
    table = wilcoxon_against_reference(means["HGB"], REF, False).set_index("arm")
    assert table.loc["Class weight", "n_datasets"] == 11
    assert table.loc["Class weight", "missing"] == 1
    assert table.loc["Better", "n_datasets"] == 12


def test_wilcoxon_keeps_zero_differences_counted_as_ties():
    means = pd.DataFrame({REF: np.linspace(0.5, 0.9, 8), "Same": np.linspace(0.5, 0.9, 8)})
    table = wilcoxon_against_reference(means, REF, False)
    assert table["ties"].item() == 8 and table["p_value"].item() == 1.0
    assert table["verdict"].item() == "no evidence"


def test_wilcoxon_refuses_an_unknown_reference(means):
    with pytest.raises(ValueError, match="reference"):
        wilcoxon_against_reference(means["HGB"], "Nothing", False)


# --- Bayesian signed-rank ---------------------------------------------------------------------
def test_bayesian_signed_rank_puts_the_probability_on_the_right_side(means):
    table = bayesian_signed_rank(means["HGB"], REF, rope=0.01, lower_is_better=False,
                                 seed=3, nsamples=3000).set_index("arm")
    assert table.loc["Better", "p_arm_better"] > 0.95
    assert table.loc["Worse", "p_reference_better"] > 0.95
    assert table.loc["Equal", "p_equivalent"] > 0.9
    assert table.loc["Class weight", "p_arm_better"] > 0.9  # +0.02, beyond the ROPE
    assert table.loc["Class weight", "n_datasets"] == 11
    probs = table[["p_reference_better", "p_equivalent", "p_arm_better"]].sum(axis=1)
    assert np.allclose(probs, 1)


def test_bayesian_signed_rank_follows_lower_is_better(results):
    log_loss = dataset_means(arms(results, "log_loss"))["kNN"]
    table = bayesian_signed_rank(log_loss, REF, 0.01, True, seed=0,
                                 nsamples=3000).set_index("arm")
    assert table.loc["Better", "p_arm_better"] > 0.95
    assert table.loc["Worse", "p_reference_better"] > 0.95


def test_bayesian_signed_rank_is_reproducible_and_leaves_numpy_global_state(means):
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    # few data sets and a wide ROPE keep the posterior uncertain, so the draws show
    close = means["kNN"].iloc[:6]
    first = bayesian_signed_rank(close, REF, 0.0, False, seed=7, nsamples=500)
    assert np.array_equal(np.random.random(3), expected)
    again = bayesian_signed_rank(close, REF, 0.0, False, seed=7, nsamples=500)
    other = bayesian_signed_rank(close, REF, 0.0, False, seed=8, nsamples=500)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


# --- Friedman and Nemenyi ---------------------------------------------------------------------
def test_friedman_ranks_order_the_methods(means):
    result = friedman_ranks(means["kNN"], lower_is_better=False)
    ranks = result.ranks
    assert ranks.index[0] == "Better" and ranks.index[-1] == "Worse"
    assert ranks["Better"] == 1.0 and ranks["Worse"] == 4.0
    assert ranks[[REF, "Equal"]].mean() == pytest.approx(2.5)
    assert result.p_value < 1e-4 and result.n_datasets == 12
    assert result.differ("Better", "Worse") and not result.differ(REF, "Equal")
    assert result.autorank.omnibus == "friedman" and result.autorank.posthoc == "nemenyi"


def test_friedman_leaves_out_incomplete_blocks_and_says_so(means):
    hgb = means["HGB"].copy()
    result = friedman_ranks(hgb, lower_is_better=False)
    assert result.left_out_datasets == [MISSING_DATASET] and result.n_datasets == 11
    assert list(result.ranks.index[:2]) == ["Better", "Class weight"]
    hgb["Nowhere"] = np.nan
    complete, left_arms, left_sets = complete_blocks(hgb)
    assert left_arms == ["Nowhere"] and left_sets == [MISSING_DATASET]
    assert complete.shape == (11, 5)


def test_friedman_follows_lower_is_better(results):
    log_loss = dataset_means(arms(results, "log_loss"))["kNN"]
    ranks = friedman_ranks(log_loss, lower_is_better=True).ranks
    assert ranks.index[0] == "Better" and ranks.index[-1] == "Worse"


def test_friedman_refuses_too_few_arms_or_data_sets(means):
    with pytest.raises(ValueError, match="3 arms"):
        friedman_ranks(means["kNN"][[REF, "Better"]], False)
    with pytest.raises(ValueError, match="5 complete"):
        friedman_ranks(means["kNN"].iloc[:4], False)


def test_critical_difference_diagram_is_written(means, tmp_path):
    result = friedman_ranks(means["kNN"], lower_is_better=False)
    fig = plot_critical_difference(result, tmp_path / "cd" / "knn.png", "kNN, ROC AUC")
    assert (tmp_path / "cd" / "knn.png").stat().st_size > 5000
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("Better (1.00)") for t in texts)
    assert "kNN, ROC AUC" in fig._suptitle.get_text()


# --- Outcomes by kind of data set -------------------------------------------------------------
@pytest.mark.parametrize("by", ["imbalance", "size", "classifier"])
def test_outcome_by_counts_add_up(results, by):
    per_dataset = per_dataset_differences(results, "roc_auc", REF)
    outcomes = outcome_by(per_dataset, by)
    per_arm = outcomes.groupby("arm")["n"].sum()
    assert per_arm.to_dict() == per_dataset.groupby("arm").size().to_dict()
    assert (outcomes[["win", "tie", "loss"]].sum(axis=1) == outcomes["n"]).all()
    shares = outcomes[["win_share", "tie_share", "loss_share"]].sum(axis=1)
    assert np.allclose(shares, 1)
    better = outcomes[outcomes["arm"] == "Better"]
    assert (better["win"] == better["n"]).all()
    assert list(pd.unique(outcomes["arm"])) == [m for m in GAINS if m != REF]


def test_outcome_bands_include_their_lower_bound(results):
    per_dataset = per_dataset_differences(results, "roc_auc", REF)
    worse = outcome_by(per_dataset, "imbalance").query("arm == 'Worse'").set_index("group")
    # 1.5, 2 | 3, 4, 6 | 10, 12, 20, 29 | 30, 60, 100 -- on two classifiers
    assert worse["n"].to_dict() == {"<3": 4, "3-10": 6, "10-30": 8, "≥30": 6}
    sizes = outcome_by(per_dataset, "size").query("arm == 'Worse'").set_index("group")
    assert sizes["n"].to_dict() == {"<300": 6, "300-1000": 8, "≥1000": 10}


def test_dataset_heatmap_marks_the_decisions_and_colours_gains_alike(results, tmp_path):
    for metric in ("roc_auc", "log_loss"):  # higher and lower is better: Better is blue
        per_dataset = per_dataset_differences(results, metric, REF)
        path = tmp_path / f"{metric}.png"
        fig = plot_dataset_differences(per_dataset, "HGB", path, metric)
        assert path.stat().st_size > 0
        ax = fig.axes[0]
        marks = [text.get_text() for text in ax.texts]
        hgb = per_dataset[per_dataset["classifier"] == "HGB"]
        assert marks.count("W") == (hgb["decision"] == "win").sum() > 0
        assert marks.count("L") == (hgb["decision"] == "loss").sum() > 0
        arms_shown = [label.get_text() for label in ax.get_xticklabels()]
        gains = ax.collections[0].get_array().reshape(-1, len(arms_shown))
        assert np.nanmin(gains[:, arms_shown.index("Better")]) > 0
        assert np.nanmax(gains[:, arms_shown.index("Worse")]) < 0
        assert ax.get_yticklabels()[0].get_text() == "d00 (2)"  # by imbalance ratio
    with pytest.raises(ValueError, match="classifier 'SVM'"):
        plot_dataset_differences(per_dataset, "SVM", tmp_path / "none.png", "none")


def test_outcome_heatmap_is_written_and_labelled(results, tmp_path):
    outcomes = outcome_by(per_dataset_differences(results, "roc_auc", REF), "imbalance")
    fig = plot_outcomes(outcomes, tmp_path / "outcomes.png", "ROC AUC against no augmentation")
    assert (tmp_path / "outcomes.png").stat().st_size > 5000
    ax = fig.axes[0]
    assert "imbalance ratio" in ax.get_xlabel() and ax.get_ylabel() == "arm"
    assert "wins" in fig.axes[1].get_ylabel()  # the colour bar
    assert matplotlib.get_backend().lower() == "agg"


# --- In words ---------------------------------------------------------------------------------
def test_conclusions_name_the_right_methods(results):
    out = across_datasets(results, "roc_auc", REF, rope=0.01, nsamples=2000, unit="dataset")
    sentences = out["HGB"]["conclusions"]
    beat = next(s for s in sentences if "arms beat" in s)
    assert beat.startswith("With HGB, after Holm's correction (Wilcoxon signed-rank, 11-12 data "
                           "sets), these arms beat No augmentation on roc_auc: Better (better "
                           "on 12, worse on 0 of 12 data sets")
    assert "Class weight (better on 11, worse on 0 of 11" in beat
    assert "Equal" not in beat and "Worse" not in beat
    lose = next(s for s in sentences if "arms lose to" in s)
    assert "Worse (better on 0, worse on 12 of 12" in lose
    assert "Equal" not in lose and "Better" not in lose
    assert next(s for s in sentences if s.startswith("No evidence")).startswith(
        "No evidence either way for Equal (")
    bayes = next(s for s in sentences if "Bayesian" in s)
    assert "better than No augmentation: Better (1.00), Class weight (1.00);" in bayes
    assert "practically equivalent to No augmentation: Equal (" in bayes
    assert "worse than No augmentation: Worse (" in bayes
    friedman = sentences[-1]
    assert "best mean rank: Better (1.00)" in friedman
    assert friedman.endswith(f"arms none; data sets {MISSING_DATASET}.")
    assert "Class weight" not in " ".join(out["kNN"]["conclusions"])
    assert "Left out" not in out["kNN"]["conclusions"][-1]


def test_against_the_tuned_reference_only_tuned_arms_take_part(results):
    found = against_tuned_reference(results, "f1", REF, seed=0)
    assert set(found) == {"HGB", "kNN"}
    table = found["HGB"]["wilcoxon"].set_index("arm")
    assert list(table.index) == [f"{m}{TUNED}" for m in GAINS if m != REF]
    assert table.loc[f"Better{TUNED}", "verdict"] == "better"
    assert table.loc[f"Worse{TUNED}", "verdict"] == "worse"
    assert table.loc[f"Equal{TUNED}", "verdict"] == "no evidence"
    assert f"Class weight{TUNED}" not in set(found["kNN"]["wilcoxon"]["arm"])
    assert any(f"beat {REF}{TUNED} on f1" in text for text in found["HGB"]["conclusions"])
    assert against_tuned_reference(results, "roc_auc", REF) == {}  # no tuned arms


def test_conclusions_when_nothing_differs():
    rng = np.random.default_rng(5)
    base = rng.uniform(0.6, 0.9, 10)
    means = pd.DataFrame({REF: base, "A": base + rng.normal(0, 0.01, 10),
                          "B": base + rng.normal(0, 0.01, 10)})
    table = wilcoxon_against_reference(means, REF, True)
    sentences = conclusions("log_loss", "HGB", REF, table)
    assert sentences == ["With HGB, no arm differs from No augmentation on log_loss (lower is "
                         "better) after Holm's correction (Wilcoxon signed-rank, 10 data sets)."]


@pytest.mark.parametrize("rope", [0.0, 0.01, 0.05])
def test_fast_signed_rank_test_gives_baycomps_samples_and_probabilities(rope):
    """The same Dirichlet draws and sums as baycomp's own loop, bit for bit, on gains with
    ties, exact zeros and values on the edge of the rope (where ties between the posterior's
    regions are broken by the last bit)."""
    from baycomp import SignedRankTest

    from tabaug.stats.across_tables import FastSignedRankTest

    rng = np.random.default_rng(3)
    for gains in (rng.normal(0.01, 0.03, 12), np.array([0.0, 0.0, 0.01, -0.01, 0.02, 0.02, 0.0]),
                  np.zeros(5), rng.normal(-0.05, 0.01, 29)):
        zeros = np.zeros(len(gains))
        expected = SignedRankTest.sample(zeros, gains, rope, nsamples=3000, random_state=7)
        actual = FastSignedRankTest.sample(zeros, gains, rope, nsamples=3000, random_state=7)
        np.testing.assert_array_equal(actual, expected)
        assert (FastSignedRankTest(zeros, gains, rope, nsamples=3000, random_state=7)
                .probs(with_rope=True)
                == SignedRankTest(zeros, gains, rope, nsamples=3000, random_state=7)
                .probs(with_rope=True))
    with pytest.raises(ValueError, match="Rope width cannot be negative"):
        FastSignedRankTest.sample(zeros, gains, -1.0)
