"""ForestFlow (tabaug.generators.forest_flow): it learns known laws, broken flows do not, and it
keeps the protocol (types, seeds, clone, pickle) on small and odd classes."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from tabaug.generators.base import GeneratorWarning
from tabaug.generators.columns import TableEncoder
from tabaug.generators.forest_flow import (
    ForestFlow,
    copies_per_row,
    euler_step,
    fit_linear,
    interpolate,
    noise_levels,
)

import generator_checks
import known_tables
from generator_checks import assert_mixed_types_kept, table_c2st

#: Smaller than the defaults (n_t=40, 15 trees), to keep the file fast; the thresholds below
#: were measured with these settings.
FAST = {"n_t": 20, "n_estimators": 10}

# Measured with FAST on correlated_gaussian and skewed (200 training rows, seeds 10-14; 2000
# generated rows compared with the training rows; the two-sample test against a fresh draw, one
# repeat):
#   trained:              mean gap <= 0.026, std gap <= 0.085, correlation gap <= 0.044,
#                         C2ST 0.55-0.63
#   no Euler integration: std gap 0.86-0.89 (both laws), C2ST >= 0.99
#   levels reversed:      mean gap 0.65-0.76 on skewed, C2ST 0.75-0.80; on correlated only
#                         0.06-0.22 (a Gaussian's field is linear at every level, so the order
#                         matters less), hence checked on skewed
#   linear part only:     C2ST 0.82-0.84 on two_clusters (the trained flow: 0.55-0.62)
# Category shares on mixed_types (seeds 0-3): largest gap 0.008-0.017, and 0.015-0.024 with
# its categorical columns only.
MAX_GAPS = {"mean": 0.08, "std": 0.15, "correlation": 0.1}
MAX_C2ST = 0.70
#: Largest gap of a category's share, generated against real.
MAX_FREQUENCY_GAP = 0.05
#: For the protocol tests, where only types, seeds and shapes matter: a fit in a fraction of a
#: second.
TINY = {"n_t": 5, "duplicate_K": 5, "n_estimators": 3}
LAWS = {"correlated": known_tables.correlated_gaussian, "skewed": known_tables.skewed}


class ReversedLevels(ForestFlow):
    """Broken: sampling walks the noise levels the wrong way (the field learned near the rows
    is used on pure noise, and the one learned on noise at the end)."""

    def _velocity(self, i, x):
        return super()._velocity(len(self.levels_) - 1 - i, x)


class NoIntegration(ForestFlow):
    """Broken: one jump of length 1 along the velocity at the noise, instead of ``n_t`` Euler
    steps that follow the field."""

    def _sample_encoded(self, n_samples, y, rng):
        x = rng.standard_normal((n_samples, self.coef_.shape[1]))
        return np.clip((euler_step(x, self._velocity(0, x), 1.0) + 1.0) / 2.0, 0.0, 1.0)


class LinearOnly(ForestFlow):
    """Broken: the trees are ignored, leaving the linear part (a Gaussian flow)."""

    def _velocity(self, i, x):
        return x @ self.coef_[i] + self.intercept_[i]


def failed_checks(model, law):
    """The thresholds of this file that ``model``'s rows miss on ``law``."""
    return generator_checks.failed_checks(model, law, MAX_GAPS, MAX_C2ST)


@pytest.mark.parametrize("law", LAWS)
def test_forest_flow_learns_known_laws(law):
    failed, measured = failed_checks(ForestFlow(random_state=0, **FAST), LAWS[law])
    assert not failed, measured


@pytest.mark.parametrize("broken, law, misses", [(NoIntegration, "correlated", "std"),
                                                 (NoIntegration, "skewed", "std"),
                                                 (ReversedLevels, "skewed", "mean")])
def test_broken_flows_fail_the_same_thresholds(broken, law, misses):
    failed, measured = failed_checks(broken(random_state=0, **FAST), LAWS[law])
    assert misses in failed, measured


def test_the_trees_learn_what_the_linear_part_cannot():
    """Two clusters: the linear part alone makes one Gaussian blob across the empty middle."""
    real, fresh = known_tables.two_clusters(seed=10), known_tables.two_clusters(seed=20)
    scores = {}
    for model in (ForestFlow(random_state=0, **FAST), LinearOnly(random_state=0, **FAST)):
        rows = model.fit(real).sample(len(fresh))
        scores[type(model).__name__] = table_c2st(fresh, rows, n_repeats=1)
    assert scores["ForestFlow"] <= MAX_C2ST < scores["LinearOnly"], scores


def test_category_frequencies_are_learned():
    real = known_tables.mixed_types(seed=0)
    rows = ForestFlow(random_state=0, **FAST).fit(real).sample(2000)
    for column in ["group", "flag", "label"]:
        gap = (rows[column].value_counts(normalize=True)
               - real[column].value_counts(normalize=True)).abs().max()
        assert gap < MAX_FREQUENCY_GAP, (column, gap)


def test_types_are_kept_on_mixed_types():
    real = known_tables.mixed_types(seed=0)
    rows = ForestFlow(random_state=0, **FAST).fit(real).sample(300)
    assert_mixed_types_kept(real, rows)
    assert rows["value"].between(real["value"].min(), real["value"].max()).all()


def test_same_seed_same_rows_different_seed_different_rows():
    real = known_tables.mixed_types(n_rows=60, seed=0)
    first = ForestFlow(random_state=3, **TINY).fit(real).sample(50)
    again = ForestFlow(random_state=3, **TINY).fit(real).sample(50)
    other = ForestFlow(random_state=4, **TINY).fit(real).sample(50)
    pd.testing.assert_frame_equal(first, again)
    assert not first["value"].equals(other["value"])


def test_sample_twice_gives_new_rows_and_a_seed_repeats_them():
    flow = ForestFlow(random_state=0, **TINY).fit(known_tables.skewed(n_rows=60, seed=0))
    first, second = flow.sample(50), flow.sample(50)
    assert not np.allclose(first.to_numpy(), second.to_numpy())
    pd.testing.assert_frame_equal(flow.sample(20, random_state=7),
                                  flow.sample(20, random_state=7))
    assert flow.sample(0).shape == (0, 3)


def test_no_global_random_state_is_touched():
    before = np.random.get_state()[1].copy()
    flow = ForestFlow(random_state=0, **TINY).fit(known_tables.skewed(n_rows=40, seed=0))
    flow.sample(10)
    flow.sample(10, random_state=np.random.default_rng(1))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_clone_and_pickle_give_the_same_rows():
    flow = ForestFlow(n_t=4, duplicate_K=5, n_estimators=3, min_samples_leaf=4, solver="euler",
                      random_state=5)
    generator_checks.assert_clone_and_pickle_give_the_same_rows(
        flow, known_tables.mixed_types(n_rows=60, seed=0))


@pytest.mark.parametrize("n_rows", [2, 3, 5])
def test_a_class_of_two_to_five_rows_is_learned(n_rows):
    rows = known_tables.mixed_types(n_rows=40, seed=1).iloc[:n_rows].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GeneratorWarning)  # "auto" copies: nothing to report
        flow = ForestFlow(n_t=5, n_estimators=3, random_state=0).fit(rows)
    assert flow.n_copies_ * n_rows >= 2000  # "auto": enough noisy rows for the trees
    new = flow.sample(200)
    assert new.dtypes.equals(rows.dtypes)
    for column in ["value", "count"]:
        assert new[column].between(rows[column].min(), rows[column].max()).all()
    assert set(new["group"]) <= set(rows["group"])
    assert new["value"].nunique() > n_rows  # not only the training rows again


def test_one_row_is_given_back_with_or_without_an_encoder():
    table = known_tables.mixed_types(n_rows=40, seed=0)
    one = table.iloc[[3]].reset_index(drop=True)
    three = pd.concat([one] * 3, ignore_index=True)
    alone = ForestFlow(random_state=0, **TINY).fit(one)
    assert not hasattr(alone, "trees_")  # every column is constant: nothing to learn
    pd.testing.assert_frame_equal(alone.sample(3), three)
    encoder = TableEncoder().fit(table)  # the over-samplers' case: the columns vary elsewhere
    flow = ForestFlow(n_t=5, n_estimators=3, random_state=0).fit(one, encoder=encoder)
    assert flow.n_copies_ == 2000
    pd.testing.assert_frame_equal(flow.sample(3), three)  # every noisy row flows to the one


def test_too_few_noisy_rows_are_reported():
    rows = known_tables.skewed(n_rows=3, seed=0)
    with pytest.warns(GeneratorWarning, match="duplicate_K='auto'"):
        ForestFlow(duplicate_K=2, **FAST).fit(rows)


def test_a_table_of_categories_only():
    real = known_tables.mixed_types(seed=0)[["group", "flag", "label", "site"]]
    flow = ForestFlow(random_state=0, **FAST).fit(real)
    assert flow.encoder_.layout_.n_numeric == 0
    rows = flow.sample(2000)
    assert rows.dtypes.equals(real.dtypes) and (rows["site"] == "A").all()
    for column in ["group", "flag", "label"]:
        gap = (rows[column].value_counts(normalize=True)
               - real[column].value_counts(normalize=True)).abs().max()
        assert gap < MAX_FREQUENCY_GAP, (column, gap)
    # the flag follows the group (c: mostly True, a: mostly False), as in the real rows
    share = rows.groupby("group", observed=True)["flag"].mean()
    assert share["c"] > 0.8 and share["a"] < 0.2, share


def test_a_constant_column_is_kept_and_not_learned():
    real = known_tables.skewed(n_rows=30, seed=0).assign(unit="mg", zero=0.0)
    flow = ForestFlow(random_state=0, **TINY).fit(real)
    assert flow.coef_.shape[1] == 3
    rows = flow.sample(20)
    assert (rows["unit"] == "mg").all() and (rows["zero"] == 0.0).all()


def test_more_columns_than_rows():
    X = np.random.default_rng(0).random((12, 30))
    rows = ForestFlow(random_state=0, **TINY).fit(X).sample(20)
    assert rows.shape == (20, 30) and np.isfinite(rows).all()
    assert ((rows >= X.min(axis=0)) & (rows <= X.max(axis=0))).all()


def test_one_numeric_column():
    real = known_tables.skewed(n_rows=50, seed=0)[["gamma"]]
    rows = ForestFlow(random_state=0, **TINY).fit(real).sample(100)
    assert rows["gamma"].between(real["gamma"].min(), real["gamma"].max()).all()
    assert rows["gamma"].std() > 0.5 * real["gamma"].std()


def test_auto_copies_give_enough_noisy_rows():
    assert [copies_per_row(n) for n in (2, 20, 200, 1000)] == [1000, 100, 10, 10]
    assert copies_per_row(20, 3) == 3


def test_the_flow_pieces():
    np.testing.assert_allclose(noise_levels(4), [0.0, 0.25, 0.5, 0.75])
    rows, noise = np.ones((2, 3)), np.zeros((2, 3))
    x_t, velocity = interpolate(rows, noise, 0.25)
    np.testing.assert_allclose(x_t, 0.25)
    np.testing.assert_allclose(velocity, 1.0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 3))
    coef, intercept = fit_linear(x, x @ [[1.0, 2.0], [0.0, 1.0], [3.0, 0.0]] + [1.0, -1.0])
    np.testing.assert_allclose(coef, [[1.0, 2.0], [0.0, 1.0], [3.0, 0.0]], atol=0.01)
    np.testing.assert_allclose(intercept, [1.0, -1.0], atol=0.01)


@pytest.mark.parametrize("params", [{"n_t": 0}, {"duplicate_K": 0}, {"duplicate_K": "many"},
                                    {"n_estimators": 0}, {"min_samples_leaf": 0},
                                    {"solver": "rk4"}, {"random_state": "seed"}])
def test_bad_parameters_are_refused_before_the_data_is_read(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        ForestFlow(**params).fit("not a table")
