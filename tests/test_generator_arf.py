"""The adversarial random forest (tabaug.generators.arf): it learns known laws, broken forests do
not, its loop stops for the stated reasons, and it keeps the protocol (types, seeds, clone,
pickle, small and odd classes)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils._param_validation import InvalidParameterError

from tabaug.generators import GeneratorWarning, SmallClassWarning
from tabaug.generators.arf import (
    AdversarialLoopWarning,
    AdversarialRandomForest,
    ForestLeaves,
    NoSplitWarning,
    allowed_categories,
    independent_columns,
    leaf_boxes,
    oob_accuracy,
    pruned_children,
    route,
    truncated_normal,
)
from tabaug.generators.columns import Layout, TableEncoder

import generator_checks
import known_tables
from generator_checks import assert_mixed_types_kept

# Measured on two_clusters and correlated_gaussian (200 training rows, seeds 10-12, random_state
# 0-2; 2000 generated rows against the training rows; the two-sample test against a fresh draw,
# one repeat):
#   trained:        mean gap <= 0.052, std gap <= 0.035, correlation gap <= 0.077,
#                   C2ST 0.54-0.55 (two clusters), 0.53-0.59 (correlated)
#   one leaf:       correlation gap 0.93-0.95 (two clusters), 0.81-0.84 (correlated);
#                   C2ST 0.85-0.94
#   global columns: correlation gap 0.91-0.95, 0.82-0.84; C2ST 0.68-0.75, 0.87-0.92
MAX_GAPS = {"mean": 0.12, "std": 0.12, "correlation": 0.2}
MAX_C2ST = 0.65
LAWS = {"two clusters": known_tables.two_clusters, "correlated": known_tables.correlated_gaussian}


class OneLeaf(AdversarialRandomForest):
    """Broken: every tree is one leaf of all the rows, so the columns are independent."""

    def _leaves_of(self, forest, Z, layout):
        return ForestLeaves.estimate(
            Z, layout, np.zeros((len(Z), 1), dtype="int64"),
            [np.full((1, Z.shape[1], 2), [-np.inf, np.inf])], self.class_low_, self.class_high_,
            self.alpha)


class GlobalColumns(AdversarialRandomForest):
    """Broken: each column of a new row comes from another row's leaf (the marginals of the
    model, not the joint law of one leaf)."""

    def _sample_encoded(self, n_samples, y, rng):
        rows = super()._sample_encoded(n_samples, y, rng)
        return np.column_stack([rng.permutation(column) for column in rows.T])


class Scripted(AdversarialRandomForest):
    """The loop's forests report the accuracies of ``script``, in turn; ``made`` keeps them."""

    script = ()

    def _discriminate(self, Z, fake, seed):
        forest, _ = super()._discriminate(Z, fake, seed)
        self.made.append(forest)
        return forest, self.script[len(self.made) - 1]

    def _fit_encoded(self, Z, layout, y, seed):
        self.made = []
        return super()._fit_encoded(Z, layout, y, seed)


def scripted(accuracies, **params):
    return type("ScriptedARF", (Scripted,), {"script": accuracies})(random_state=0, **params)


def failed_checks(model, law):
    """The thresholds of this file that ``model``'s rows miss on ``law``."""
    return generator_checks.failed_checks(model, law, MAX_GAPS, MAX_C2ST)


# --- it learns --------------------------------------------------------------------------------
@pytest.mark.parametrize("law", LAWS)
def test_arf_learns_known_laws(law):
    failed, measured = failed_checks(AdversarialRandomForest(random_state=0), LAWS[law])
    assert not failed, measured


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("broken", [OneLeaf, GlobalColumns])
def test_broken_forests_fail_the_same_thresholds(law, broken):
    failed, measured = failed_checks(broken(random_state=0), LAWS[law])
    assert "correlation" in failed, measured


def test_two_clusters_leave_the_middle_empty():
    real = known_tables.two_clusters(seed=10)
    rows = AdversarialRandomForest(random_state=0).fit(real).sample(2000)
    middle = (rows["a"].abs() < 0.75) & (rows["b"].abs() < 0.75)
    # real rows: under 0.01% fall there (2.5 sd from both centres); measured 0.7%, and 9.7%
    # for the one-leaf forest
    assert middle.mean() < 0.02, middle.mean()
    assert abs((rows["a"] < 0).mean() - (real["a"] < 0).mean()) < 0.05


def test_mixed_types_are_kept_and_a_step_with_a_category_too():
    real = known_tables.mixed_types(seed=0)
    rows = AdversarialRandomForest(random_state=0).fit(real).sample(2000)
    assert_mixed_types_kept(real, rows)
    for column in ["group", "flag", "label"]:
        gap = (rows[column].value_counts(normalize=True)
               - real[column].value_counts(normalize=True)).abs().max()
        assert gap < 0.06, (column, gap)  # measured at most 0.023 over seeds 0-2
    # value's level steps with group (means -2, 0, 3, sd 0.7): measured per group, seeds 0-2,
    # means within 0.3 of the real ones and sd 0.73-0.97 (the copula's 1.2-1.6)
    by_group = rows.groupby("group", observed=True)["value"].agg(["mean", "std"])
    real_by_group = real.groupby("group", observed=True)["value"].agg(["mean", "std"])
    assert (by_group["mean"] - real_by_group["mean"]).abs().max() < 0.5, by_group
    assert by_group["std"].max() < 1.1, by_group


def test_only_categorical_columns_keep_their_dependence():
    rng = np.random.default_rng(0)
    a = rng.choice(list("xyz"), 200)
    b = np.where(rng.random(200) < 0.9, a, rng.choice(list("xyz"), 200))
    table = pd.DataFrame({"a": a, "b": b, "c": rng.choice(["u", "v"], 200)})
    rows = AdversarialRandomForest(random_state=0).fit(table).sample(2000)
    assert list(rows.columns) == ["a", "b", "c"] and rows.dtypes.equals(table.dtypes)
    # real: a == b in 92% of rows; measured 0.92 (seeds 0-2); independent columns give ~0.34
    assert (rows["a"] == rows["b"]).mean() > 0.85


# --- the adversarial loop ---------------------------------------------------------------------
def test_loop_runs_until_the_forest_is_fooled():
    arf = AdversarialRandomForest(random_state=0).fit(known_tables.correlated_gaussian(seed=10))
    assert arf.accuracies_[0] > 0.6  # real rows against the product of the marginals
    assert arf.stop_reason_ == "target" and arf.accuracies_[-1] <= 0.5
    assert arf.n_iter_ == len(arf.accuracies_) - 1 >= 1
    assert isinstance(arf.forest_, RandomForestClassifier)
    assert len(arf.forest_.estimators_) == 30


@pytest.mark.parametrize("accuracies, params, reason, kept", [
    ((0.9, 0.4), {}, "target", 0),  # the forest whose leaves fooled the next one
    ((0.45,), {}, "target", 0),
    ((0.9, 0.8, 0.85), {}, "plateau", 1),
    ((0.9, 0.95, 0.4), {"early_stop": False}, "target", 1),
    ((0.9, 0.8, 0.7, 0.6), {"max_iters": 3, "delta": 0.15}, "target", 2),
])
def test_loop_stops_for_its_reasons_and_keeps_the_last_generator(accuracies, params, reason,
                                                                 kept):
    arf = scripted(accuracies, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AdversarialLoopWarning)
        arf.fit(known_tables.correlated_gaussian(seed=0))
    assert arf.stop_reason_ == reason and arf.accuracies_ == list(accuracies)
    assert arf.n_iter_ == len(accuracies) - 1
    assert arf.forest_ is arf.made[kept]


@pytest.mark.parametrize("max_iters", [0, 2])
def test_stopping_at_max_iters_above_the_target_warns(max_iters):
    arf = scripted((0.9, 0.8, 0.7), max_iters=max_iters)
    with pytest.warns(AdversarialLoopWarning, match=f"max_iters={max_iters} round") as caught:
        arf.fit(known_tables.correlated_gaussian(seed=0))
    assert "0.5 + delta = 0.500" in str(caught[0].message)
    assert arf.stop_reason_ == "max_iters" and arf.n_iter_ == max_iters
    assert arf.forest_ is arf.made[max(max_iters - 1, 0)]
    assert issubclass(AdversarialLoopWarning, GeneratorWarning)
    assert arf.sample(5).shape == (5, 4)  # the forest kept still makes rows


def test_max_iters_zero_on_real_rows_warns_with_the_accuracy():
    with pytest.warns(AdversarialLoopWarning, match="out-of-bag accuracy of 0.7"):
        arf = AdversarialRandomForest(max_iters=0, random_state=0).fit(
            known_tables.correlated_gaussian(seed=10))
    assert arf.n_iter_ == 0 and len(arf.accuracies_) == 1


# --- the leaves -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def forest_and_rows():
    table = known_tables.six_columns(seed=0)
    Z = TableEncoder().fit(table).transform(table).astype("float32").astype("float64")
    fake = np.random.default_rng(0).permuted(Z, axis=0)
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(
        np.vstack([Z, fake]).astype("float32"), np.r_[np.ones(len(Z)), np.zeros(len(Z))])
    return forest, Z


def test_route_agrees_with_scikit_learn_when_nothing_is_pruned(forest_and_rows):
    forest, Z = forest_and_rows
    for tree in forest.estimators_:
        leaves = tree.apply(Z.astype("float32"))
        np.testing.assert_array_equal(route(pruned_children(tree.tree_, leaves, 1), Z), leaves)


@pytest.mark.parametrize("min_node_size", [2, 5, 20])
def test_pruned_leaves_hold_enough_rows_inside_their_boxes(forest_and_rows, min_node_size):
    forest, Z = forest_and_rows
    for tree in forest.estimators_:
        pruned = pruned_children(tree.tree_, tree.apply(Z.astype("float32")), min_node_size)
        leaves = route(pruned, Z)
        assert np.bincount(leaves)[np.unique(leaves)].min() >= min_node_size
        box = leaf_boxes(pruned, Z.shape[1])[leaves]
        assert ((Z > box[:, :, 0]) & (Z <= box[:, :, 1])).all()


def test_fitted_leaves_hold_min_node_size_rows_and_sample_inside_the_class_range():
    real = known_tables.skewed(seed=0)
    arf = AdversarialRandomForest(min_node_size=4, random_state=0).fit(real)
    assert arf.leaves_.counts.min() >= 4
    assert np.bincount(arf.leaves_.tree, arf.leaves_.counts).tolist() == [len(real)] * 30
    rows = arf.sample(1000)
    for column in real:
        assert rows[column].between(real[column].min(), real[column].max()).all()
    assert not rows.duplicated().any()
    assert not rows.merge(real).shape[0]  # no training row is reproduced


def test_allowed_categories_follow_the_one_hot_splits():
    box = np.full((3, 3, 2), [-np.inf, np.inf])
    box[1, 0, 1] = 0.5  # column 0 <= 0.5: not category 0
    box[2, 2, 0] = 0.5  # column 2 > 0.5: category 2 only
    np.testing.assert_array_equal(allowed_categories(box),
                                  [[True, True, True], [False, True, True],
                                   [False, False, True]])


def test_alpha_gives_categories_the_box_allows_and_the_class_has():
    both = known_tables.mixed_types(seed=0)
    encoder = TableEncoder().fit(both)
    class_rows = both[both["group"] != "c"]
    for alpha in (0.0, 1.0):
        arf = AdversarialRandomForest(alpha=alpha, random_state=0)
        rows = arf.fit(class_rows, encoder=encoder).sample(1000)
        assert set(rows["group"]) <= {"a", "b"}
        assert rows["value"].between(class_rows["value"].min(), class_rows["value"].max()).all()
    group = arf.leaves_.probabilities[0]
    assert (group > 0).sum(axis=1).max() == 2 and np.allclose(group.sum(axis=1), 1)


def test_fake_rows_take_each_column_from_the_rows_of_one_leaf():
    Z = np.array([[0.0, 1, 0], [0.1, 1, 0], [0.9, 0, 1], [1.0, 0, 1]])
    layout = Layout(n_numeric=1, blocks=((1, 3),))
    leaves = np.array([[0], [0], [1], [1]])
    fake = independent_columns(Z, layout, leaves, 400, np.random.default_rng(0))
    low = fake[:, 0] < 0.5
    np.testing.assert_array_equal(fake[low, 1], 1.0)  # leaf 0 holds category 0 only
    np.testing.assert_array_equal(fake[~low, 2], 1.0)
    assert 0.4 < low.mean() < 0.6 and set(fake[:, 0]) == {0.0, 0.1, 0.9, 1.0}


def test_truncated_normal_stays_in_its_bounds_and_keeps_a_wide_normal():
    rng = np.random.default_rng(0)
    n = 20000
    mean, std = np.full(n, 0.3), np.full(n, 0.1)
    narrow = truncated_normal(mean, std, np.full(n, 0.25), np.full(n, 0.32), rng.random(n))
    assert narrow.min() >= 0.25 and narrow.max() <= 0.32
    wide = truncated_normal(mean, std, np.full(n, -5.0), np.full(n, 5.0), rng.random(n))
    assert abs(wide.mean() - 0.3) < 0.005 and abs(wide.std() - 0.1) < 0.005
    np.testing.assert_array_equal(
        truncated_normal(mean[:3], np.zeros(3), mean[:3] - 1, mean[:3] + 1, rng.random(3)),
        mean[:3])


def test_oob_accuracy_skips_rows_without_votes_and_counts_ties_half():
    decision = np.array([[0.2, 0.8], [0.5, 0.5], [0.0, 0.0], [0.9, 0.1]])
    assert oob_accuracy(decision, np.array([1, 1, 1, 1])) == pytest.approx(0.5)
    assert oob_accuracy(decision, np.array([1, 0, 1, 0])) == pytest.approx(2.5 / 3)


# --- small and odd classes --------------------------------------------------------------------
@pytest.mark.parametrize("n_rows", [2, 3, 5])
def test_a_class_too_small_to_split_warns_and_draws_columns_independently(n_rows):
    real = known_tables.mixed_types(n_rows=40, seed=1).iloc[:n_rows]
    with pytest.warns(NoSplitWarning, match=f"{n_rows} row.*min_node_size = 6"):
        arf = AdversarialRandomForest(random_state=0).fit(real)
    assert issubclass(NoSplitWarning, SmallClassWarning)
    assert arf.stop_reason_ == "no split" and arf.forest_ is None and arf.accuracies_ == []
    rows = arf.sample(200)
    assert rows.dtypes.equals(real.dtypes)
    assert rows["value"].between(real["value"].min(), real["value"].max()).all()
    assert rows["value"].nunique() > n_rows  # new values, not the training ones


def test_a_smaller_min_node_size_splits_a_small_class():
    real = known_tables.two_clusters(n_rows=12, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoSplitWarning)
        arf = AdversarialRandomForest(min_node_size=2, random_state=0).fit(real)
    assert arf.forest_ is not None and len(arf.leaves_.counts) > 30


def test_one_row_is_given_back():
    two = pd.DataFrame({"a": [1.0, 3.0], "b": [10.0, 20.0], "c": ["x", "y"]})
    alone = AdversarialRandomForest(random_state=0).fit(two.iloc[:1]).sample(3)
    assert (alone == two.iloc[[0, 0, 0]].reset_index(drop=True)).all().all()
    encoder = TableEncoder().fit(two)  # the class's row in a wider table: copies, with a warning
    with pytest.warns(NoSplitWarning, match="1 row"):
        arf = AdversarialRandomForest(random_state=0).fit(two.iloc[1:], encoder=encoder)
    assert (arf.sample(3) == two.iloc[[1, 1, 1]].reset_index(drop=True)).all().all()


def test_constant_columns_stay_constant():
    table = known_tables.correlated_gaussian(n_rows=60, seed=0).assign(same=2.5, kind="k")
    rows = AdversarialRandomForest(random_state=0).fit(table).sample(50)
    assert (rows["same"] == 2.5).all() and (rows["kind"] == "k").all()
    encoder = TableEncoder().fit(pd.concat([table, table.assign(same=7.0)]))
    rows = AdversarialRandomForest(random_state=0).fit(table, encoder=encoder).sample(50)
    assert (rows["same"] == 2.5).all()  # constant in the class though not in the table


# --- the protocol -----------------------------------------------------------------------------
def test_same_seed_same_rows_different_seed_different_rows():
    real = known_tables.mixed_types(seed=0)
    first = AdversarialRandomForest(random_state=3).fit(real).sample(50)
    again = AdversarialRandomForest(random_state=3).fit(real).sample(50)
    other = AdversarialRandomForest(random_state=4).fit(real).sample(50)
    pd.testing.assert_frame_equal(first, again)
    assert not first["value"].equals(other["value"])


def test_sample_twice_gives_new_rows_and_a_seed_repeats_them():
    arf = AdversarialRandomForest(random_state=0).fit(known_tables.skewed(seed=0))
    first, second = arf.sample(50), arf.sample(50)
    assert not np.allclose(first.to_numpy(), second.to_numpy())
    pd.testing.assert_frame_equal(arf.sample(20, random_state=7), arf.sample(20, random_state=7))
    assert arf.sample(0).shape == (0, 3)


def test_no_global_random_state_is_touched():
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    AdversarialRandomForest(random_state=0).fit(known_tables.skewed(seed=0)).sample(10)
    np.testing.assert_array_equal(np.random.random(3), expected)


def test_clone_and_pickle_give_the_same_rows():
    arf = AdversarialRandomForest(num_trees=10, min_node_size=4, alpha=0.5, random_state=5)
    generator_checks.assert_clone_and_pickle_give_the_same_rows(
        arf, known_tables.mixed_types(seed=0))
    assert not hasattr(clone(arf), "leaves_")


def test_every_setting_has_a_constraint():
    cls = AdversarialRandomForest
    assert set(cls._parameter_constraints) == set(cls().get_params())


@pytest.mark.parametrize("params", [
    {"num_trees": 0}, {"min_node_size": 1}, {"min_node_size": 2.5}, {"delta": 0.6},
    {"delta": -0.1}, {"max_iters": -1}, {"early_stop": "yes"}, {"family": "normal"},
    {"alpha": -1.0}, {"random_state": "seed"},
])
def test_bad_parameters_are_refused_before_the_data_is_read(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        AdversarialRandomForest(**params).fit("not a table")


def test_uniform_family_stays_in_the_leaf_boxes():
    real = known_tables.two_clusters(seed=0)
    rows = AdversarialRandomForest(family="uniform", random_state=0).fit(real).sample(500)
    assert rows["a"].between(real["a"].min(), real["a"].max()).all()
    assert abs(rows["a"].mean() - real["a"].mean()) < 0.3 * real["a"].std()


def test_several_classes_are_refused():
    real = known_tables.skewed(n_rows=20)
    with pytest.raises(ValueError, match="one class at a time"):
        AdversarialRandomForest().fit(real, y=np.arange(20) % 2)
