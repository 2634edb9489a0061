"""Fidelity judged against held-out rows (issue 21, item 3): the held-out C2ST and the
memorisation rule, alpha-precision / beta-recall / authenticity, membership inference, TSTR
utility and intervals over seeds.

Each check meets generators that should pass and generators that should fail it:

- perfect: fresh draws from the law of the real rows (what the real held-out rows are too);
- memorising: the training rows plus tiny noise;
- shifted: draws from the law moved away;
- collapsed: every row near one point.

The C2ST fits random forests, so the held-out checks use 150 rows per group, three folds and
one repeat, each computed once for the module.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

import tabaug.fidelity.two_sample as two_sample
from tabaug.errors import DataError
from tabaug.fidelity.held_out import (
    MEMORISATION_LEVEL,
    checked_groups,
    closer_to_training,
    held_out_c2st,
    held_out_check,
    nearest_counts,
)
from tabaug.fidelity.membership import auc_with_se, membership_auc
from tabaug.fidelity.precision_recall import (
    FAITHFULNESS_SOURCES,
    alpha_precision_beta_recall,
    authenticity,
    faithfulness,
)
from tabaug.fidelity.report import C2ST_TARGET
from tabaug.fidelity.seeds import SUMMARY_COLUMNS, over_seeds, seed_scores, t_interval
from tabaug.fidelity.utility import TSTR_ARMS, tstr_utility
from tabaug.generators import get_generator

N_FEATURES = 4
COVARIANCE = 0.5 * np.eye(N_FEATURES) + 0.5  # correlated features
N_ROWS = 150
BASELINE, GENERATED = FAITHFULNESS_SOURCES


def law(n_rows, seed, shift=0.0):
    """``n_rows`` draws of a correlated 4-feature Gaussian, moved by ``shift``."""
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(np.full(N_FEATURES, shift), COVARIANCE, size=n_rows)


@pytest.fixture(scope="module")
def real():
    return {"train": law(N_ROWS, seed=1), "held_out": law(N_ROWS, seed=2)}


@pytest.fixture(scope="module")
def generated(real):
    rng = np.random.default_rng(3)
    return {
        "perfect": law(N_ROWS, seed=4),
        "memorising": real["train"] + rng.normal(scale=0.01, size=real["train"].shape),
        "shifted": law(N_ROWS, seed=5, shift=1.5),
        "collapsed": rng.normal(scale=0.02, size=(N_ROWS, N_FEATURES)),
    }


@pytest.fixture(scope="module")
def checks(real, generated):
    """:func:`held_out_check` of the perfect, memorising and shifted generators."""
    return {name: held_out_check(real["train"], real["held_out"], generated[name], n_splits=3,
                                 n_repeats=1, random_state=0)
            for name in ("perfect", "memorising", "shifted")}


# --- the held-out C2ST and the two-sided rule ------------------------------------------------


def test_a_perfect_generator_passes_both_sides(checks):
    check = checks["perfect"]
    assert check["realistic"] and check["not_memorised"] and check["on_target"]
    # it scores against held-out rows what real training rows score against them
    assert abs(check["vs_held_out"] - check["real_vs_real"]) < 0.1
    assert abs(check["gap"]) < 0.15
    assert check["closer_share"] < check["closer_threshold"]


def test_a_memorising_generator_passes_the_c2st_against_training_rows_but_fails_memorisation(
        checks):
    check = checks["memorising"]
    # the old check (C2ST against the training rows) rates it best of all ...
    assert check["vs_train"] < 0.3 < checks["perfect"]["vs_train"]
    # ... it looks real against new rows too, but sits on the training rows
    assert check["realistic"]
    assert check["gap"] < -0.2
    assert check["closer_share"] > 0.95 and check["closer_p_value"] < MEMORISATION_LEVEL
    assert not check["not_memorised"] and not check["on_target"]


def test_a_shifted_generator_fails_the_held_out_fidelity(checks):
    check = checks["shifted"]
    assert check["vs_held_out"] > C2ST_TARGET
    assert not check["realistic"] and check["not_memorised"] and not check["on_target"]


def test_the_three_c2sts_use_equal_groups_and_the_same_folds(monkeypatch, real, generated):
    """With 40 held-out rows, every test compares 40 rows with 40; the tests against held-out
    and training rows share each repeat's folds and forest seeds (paired)."""
    fits = []

    def spy(X, y, train, test, seed):
        fits.append((len(X), tuple(np.bincount(y)), seed, tuple(train[:5])))
        return 0.5

    monkeypatch.setattr(two_sample, "_fold_auc", spy)
    scores = held_out_c2st(real["train"], real["held_out"][:40], generated["perfect"],
                           n_splits=4, n_repeats=2)
    assert scores["rows_per_group"] == 40
    assert len(fits) == 3 * 4 * 2
    assert {fit[:2] for fit in fits} == {(80, (40, 40))}
    # the fits against held-out rows (2 repeats x 4 folds), against training rows, then real
    # vs real: the first two share seeds and folds
    vs_held_out, vs_train, real_vs_real = fits[0:8], fits[8:16], fits[16:24]
    assert [fit[2:] for fit in vs_held_out] == [fit[2:] for fit in vs_train]
    assert [fit[2] for fit in vs_held_out] == [fit[2] for fit in real_vs_real]
    assert fits[0][2] != fits[4][2]  # each repeat has its own seed


def test_the_memorisation_test_has_its_level_for_a_perfect_generator():
    """Over fresh draws of everything, a perfect generator fails about ``level`` of the time
    (the permutation test is exact), with unequal groups too; the expected share is the
    training rows' share of the real rows."""
    failures, shares = [], []
    for seed in range(60):
        train, held_out, rows = law(90, 10 + seed), law(30, 100 + seed), law(60, 200 + seed)
        result = closer_to_training(train, held_out, rows, n_permutations=199, random_state=seed)
        failures.append(result["memorised"])
        shares.append(result["share"])
    assert result["expected"] == 0.75
    assert np.mean(failures) <= 0.12
    assert abs(np.mean(shares) - 0.75) < 0.03


def test_ties_between_real_rows_are_shared():
    """On discrete values, many real rows tie as a generated row's nearest: picking one by
    position (training rows first) would flag a perfect generator; sharing them does not."""
    shares, failures = [], []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        train, held_out, rows = (rng.integers(0, 3, size=(60, 2)) for _ in range(3))
        result = closer_to_training(train, held_out, rows, n_permutations=199)
        shares.append(result["share"])
        failures.append(result["memorised"])
    assert abs(np.mean(shares) - 0.5) < 0.03 and np.mean(failures) <= 0.12
    # more tied rows than the neighbours searched at first
    counts = nearest_counts(np.zeros((30, 2)), np.zeros((3, 2)))
    assert np.allclose(counts, 0.1)


def test_a_partly_memorising_generator_is_caught(real):
    """A third of the rows copied (with noise), the rest fresh: the share rises by about a
    sixth, past the threshold."""
    rng = np.random.default_rng(7)
    copies = real["train"][:50] + rng.normal(scale=0.05, size=(50, N_FEATURES))
    rows = np.vstack([copies, law(100, seed=8)])
    result = closer_to_training(real["train"], real["held_out"], rows)
    assert result["memorised"] and result["share"] > result["threshold"]


# --- alpha-precision, beta-recall, authenticity ----------------------------------------------


@pytest.fixture(scope="module")
def faithful(real, generated):
    return {name: faithfulness(real["train"], real["held_out"], rows)
            for name, rows in generated.items()}


def test_a_perfect_generator_scores_like_real_rows(faithful):
    table = faithful["perfect"]
    assert list(table.index) == list(FAITHFULNESS_SOURCES)
    difference = (table.loc[GENERATED] - table.loc[BASELINE]).drop("rows").abs()
    assert (difference < 0.15).all(), difference
    assert table.loc[BASELINE, "ip_alpha"] > 0.8 and table.loc[BASELINE, "ir_beta"] > 0.8


def test_a_memorising_generator_is_not_authentic(faithful):
    table = faithful["memorising"]
    assert table.loc[GENERATED, "authenticity"] < 0.05 < 0.3 < table.loc[BASELINE,
                                                                         "authenticity"]
    # precise and recalled like real rows: only authenticity tells
    assert table.loc[GENERATED, "ip_alpha"] > 0.8 and table.loc[GENERATED, "ir_beta"] > 0.8


def test_a_collapsed_generator_has_low_beta_recall(faithful):
    assert faithful["collapsed"].loc[GENERATED, "ir_beta"] < 0.2


def test_a_shifted_generator_has_low_alpha_precision(faithful):
    table = faithful["shifted"]
    assert table.loc[GENERATED, "ip_alpha"] < 0.5 < 0.8 < table.loc[BASELINE, "ip_alpha"]


def test_the_curves_and_authenticity_by_hand():
    """Four real rows on a line; generated rows at the real rows give the diagonal-like curve;
    a generated row far away is outside every real ball; authenticity by its definition."""
    real = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    scores = alpha_precision_beta_recall(real, real + 0.1, n_alphas=5, n_neighbors=1)
    assert np.allclose(scores["alphas"], [0, 0.25, 0.5, 0.75, 1])
    far = alpha_precision_beta_recall(real, real + 100.0, n_alphas=5, n_neighbors=1)
    assert far["alpha_precision"].sum() == 0 and far["beta_recall"].sum() == 0
    assert far["ip_alpha"] == 0 and far["ir_beta"] == 0
    # each training row's nearest other row is 1 away: 0.5 away is a copy, 2 away is not
    assert authenticity(real, [[0.5], [10.0], [-2.0]]) == pytest.approx(2 / 3)


# --- membership inference ---------------------------------------------------------------------


def test_membership_auc_finds_a_memorising_generator_and_not_a_perfect_one(real, generated):
    perfect = membership_auc(real["train"], real["held_out"], generated["perfect"])
    assert perfect["low"] <= 0.5 <= perfect["high"]
    memorising = membership_auc(real["train"], real["held_out"], generated["memorising"])
    assert memorising["auc"] > 0.95 and memorising["low"] > 0.9
    assert (memorising["members"], memorising["non_members"]) == (N_ROWS, N_ROWS)


def test_auc_with_se_is_the_roc_auc_with_the_delong_standard_error():
    rng = np.random.default_rng(0)
    positive, negative = rng.integers(0, 5, 30), rng.integers(0, 4, 20)  # ties included
    auc, se = auc_with_se(positive, negative)
    labels = np.repeat([1, 0], [30, 20])
    assert auc == pytest.approx(roc_auc_score(labels, np.concatenate([positive, negative])))
    # DeLong's variance from the placements, written out with the pairwise comparisons
    psi = (positive[:, None] > negative[None, :]) + 0.5 * (positive[:, None] == negative)
    expected = np.sqrt(psi.mean(axis=1).var(ddof=1) / 30 + psi.mean(axis=0).var(ddof=1) / 20)
    assert se == pytest.approx(expected)


# --- train on synthetic, test on real --------------------------------------------------------


def labelled(n_major, n_minor, seed, minority_shift=1.0):
    """Majority class 0 at the law's centre; minority class 1 moved by ``minority_shift``."""
    X = np.vstack([law(n_major, seed), law(n_minor, seed + 1, shift=minority_shift)])
    return X, np.repeat([0, 1], [n_major, n_minor])


@pytest.fixture(scope="module")
def tstr_data():
    X, y = labelled(240, 60, seed=20)
    X_test, y_test = labelled(480, 120, seed=30)
    return X, y, X_test, y_test


def test_tstr_of_a_perfect_generator_is_close_to_real_and_a_shifted_one_is_worse(tstr_data):
    X, y, X_test, y_test = tstr_data
    perfect = law(60, seed=40, shift=1.0)  # fresh minority rows
    shifted = law(60, seed=41, shift=-1.0)  # minority rows on the wrong side
    good = tstr_utility(X, y, 1, perfect, X_test, y_test)
    bad = tstr_utility(X, y, 1, shifted, X_test, y_test)
    assert list(good.index) == list(TSTR_ARMS)
    assert good.loc["synthetic minority", "minority_rows"] == 60
    assert good.loc["real + synthetic", "train_rows"] == 360
    real_pr = good.loc["real", "pr_auc"]
    assert abs(good.loc["synthetic minority", "pr_auc"] - real_pr) < 0.05
    assert abs(good.loc["synthetic minority", "log_loss"] - good.loc["real", "log_loss"]) < 0.05
    assert bad.loc["synthetic minority", "pr_auc"] < real_pr - 0.3
    assert bad.loc["synthetic minority", "log_loss"] > good.loc["synthetic minority",
                                                                "log_loss"] + 0.3
    # the real arm does not depend on the generated rows
    assert bad.loc["real"].equals(good.loc["real"])


def test_tstr_is_seeded_and_takes_any_classifier(tstr_data):
    """Gradient boosting with row subsampling draws at random: the seed fixes it."""
    X, y, X_test, y_test = tstr_data
    rows = law(60, seed=42, shift=1.0)
    model = HistGradientBoostingClassifier(max_iter=20, early_stopping=True,
                                           validation_fraction=0.2, random_state=None)
    first, again, other = (tstr_utility(X, y, 1, rows, X_test, y_test, model, random_state=seed)
                           for seed in (3, 3, 4))
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_tstr_names_bad_labels(tstr_data):
    X, y, X_test, y_test = tstr_data
    with pytest.raises(DataError, match="minority class 2"):
        tstr_utility(X, y, 2, X[:5], X_test, y_test)
    with pytest.raises(DataError, match="y_test must hold"):
        tstr_utility(X, y, 1, X[:5], X_test, np.zeros_like(y_test))
    with pytest.raises(DataError, match="one label per row"):
        tstr_utility(X, y[:-1], 1, X[:5], X_test, y_test)


# --- intervals over seeds --------------------------------------------------------------------


def test_over_seeds_gives_the_t_interval_of_the_per_seed_values():
    make_rows = lambda seed: law(50, seed)  # noqa: E731
    score = lambda rows: {"mean": rows.mean(), "positive": rows.mean() > 0,  # noqa: E731
                          "curve": rows[:, 0]}  # a NumPy float, a NumPy bool and an array
    table = over_seeds(make_rows, score, seeds=[3, 1, 4, 5], confidence=0.9)
    assert list(table.index) == ["mean", "positive"]  # the curve is left out
    assert list(table.columns) == SUMMARY_COLUMNS + ["seed_3", "seed_1", "seed_4", "seed_5"]
    values = np.array([law(50, seed).mean() for seed in [3, 1, 4, 5]])
    row = table.loc["mean"]
    assert np.allclose(row[["seed_3", "seed_1", "seed_4", "seed_5"]].to_numpy(float), values)
    assert row["mean"] == pytest.approx(values.mean())
    half = t.ppf(0.95, 3) * values.std(ddof=1) / 2
    assert (row["low"], row["high"]) == pytest.approx((values.mean() - half,
                                                       values.mean() + half))
    assert row["low"] < row["mean"] < row["high"] and row["n_seeds"] == 4


def test_t_interval_needs_two_values_and_a_sensible_confidence():
    assert t_interval([0.5, 0.5])["low"] == t_interval([0.5, 0.5])["high"] == 0.5
    with pytest.raises(DataError, match="at least two"):
        t_interval([0.5])
    with pytest.raises(DataError, match="at least two"):
        t_interval([0.5, np.nan])
    with pytest.raises(DataError, match="between 0 and 1"):
        t_interval([0.5, 0.6], confidence=95)
    with pytest.raises(DataError, match="two distinct seeds"):
        seed_scores(lambda seed: None, lambda rows: 0.0, seeds=[1, 1])


def test_over_seeds_of_a_real_generator(real):
    """The Gaussian copula, refitted per seed, scored by the memorisation share and the
    membership AUC: neither flags it, and the intervals hold their seeds' mean."""
    def make_rows(seed):
        copula = get_generator("gaussian-copula", random_state=seed).fit(real["train"])
        return np.asarray(copula.sample(N_ROWS), dtype=float)

    def score(rows):
        closer = closer_to_training(real["train"], real["held_out"], rows, n_permutations=199)
        return {"closer_share": closer["share"], "memorised": closer["memorised"],
                "membership_auc": membership_auc(real["train"], real["held_out"], rows)["auc"]}

    table = over_seeds(make_rows, score, seeds=[0, 1, 2])
    assert table.loc["memorised", "mean"] == 0
    assert table.loc["membership_auc", "low"] < 0.6 and table.loc["closer_share", "mean"] < 0.6
    per_seed = table.filter(like="seed_").to_numpy(float)
    assert np.allclose(per_seed.mean(axis=1), table["mean"])


# --- input checks -----------------------------------------------------------------------------


def test_bad_input_names_the_problem_and_the_fix(real):
    train = pd.DataFrame(real["train"], columns=list("abcd"))
    renamed = train.rename(columns={"d": "e"})
    with pytest.raises(DataError, match="columns differ"):
        checked_groups({"train_rows": train, "synthetic": renamed})
    with pytest.raises(DataError, match="has 4 features but synthetic has 3"):
        checked_groups({"train_rows": train, "synthetic": real["train"][:, :3]})
    with pytest.raises(DataError, match="NaN"):
        membership_auc(real["train"], real["held_out"], np.full((3, 4), np.nan))
    with pytest.raises(DataError, match="encode_tables"):
        closer_to_training(train, real["held_out"], train.assign(a="x"))
    with pytest.raises(DataError, match="needs at least 3"):
        held_out_c2st(real["train"], real["held_out"][:2], real["train"], n_splits=3)
    with pytest.raises(DataError, match="needs at least 6"):
        alpha_precision_beta_recall(real["train"][:5], real["train"])
