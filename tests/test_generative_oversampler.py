"""GenerativeOverSampler on real tables: column types kept, every generator, estimator hygiene.

What a user's own table needs: a DataFrame in gives a DataFrame out with the same columns, order
and dtypes and values that could occur; missing values are refused with a way forward; no
global random state is touched; clone, pickle, get_params/set_params, pipelines,
cross-validation and grid searches with n_jobs=2 work, checkpoints included.
"""

from __future__ import annotations

import pickle
import random
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

from tabaug.errors import DataError
from tabaug.generators import (
    FewUpdatesWarning,
    available_generators,
    get_generator,
)
from tabaug.sampling import GANOversampler, GenerativeOverSampler

from known_tables import mixed_types

#: Small, fast settings per registered generator: these tests check plumbing and types; the
#: tests/test_generator_*.py files check that each generator learns.
FAST = {
    "paper-gan": dict(epochs=2, batch_size=8, generator_units=(8,), discriminator_units=(8,)),
    "wgan-gp": dict(epochs=2, batch_size=8, generator_units=(8,), discriminator_units=(8,),
                    critic_steps=2),
    "conditional-gan": dict(updates=4, batch_size=8, generator_units=(8,), critic_units=(8,)),
    "tvae": dict(epochs=2, batch_size=8, hidden_units=(8,)),
    "tab-ddpm": dict(updates=20, hidden_units=(8,), timesteps=10),
    "gaussian-copula": dict(),
    "forest-flow": dict(n_t=5, n_estimators=3),
}


def fast_generator(name, **params):
    return get_generator(name, **{**FAST.get(name, {}), **params})


def table(n_rows=90, seed=0):
    """Every column kind, and a one-hot group, with a 2:1 class imbalance tied to the rows."""
    frame = mixed_types(n_rows, seed)
    onehot = pd.get_dummies(frame["label"], prefix="label", dtype="uint8")
    frame = pd.concat([frame.drop(columns="label"), onehot], axis=1)
    frame["ratio"] = np.round(np.random.default_rng(seed).uniform(0, 1, n_rows), 3)
    frame["ratio32"] = frame["ratio"].astype("float32")
    y = pd.Series(np.where(np.arange(n_rows) % 3 == 0, "case", "control"), name="outcome")
    return frame, y


# --- types and values kept --------------------------------------------------------------------
def test_numbers_beside_categories_without_text_columns():
    # No text column: NumPy finds no common type for these columns (the categories cannot
    # become floats), which the input check must not require.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"age": rng.integers(20, 80, 60), "smoker": rng.random(60) < 0.3,
                      "site": pd.Categorical(rng.choice(["a", "b", "c"], 60)),
                      "dose": rng.normal(5, 1, 60)})
    y = np.r_[np.ones(15, int), np.zeros(45, int)]
    X_res, y_res = GenerativeOverSampler(random_state=0).fit_resample(X, y)
    assert X_res.dtypes.equals(X.dtypes) and np.bincount(y_res).tolist() == [45, 45]
    new = X_res.iloc[len(X):]
    assert set(new["site"]) <= {"a", "b", "c"} and set(new["smoker"]) <= {True, False}
    assert new["age"].between(X["age"].min(), X["age"].max()).all()
    assert new["dose"].between(X["dose"].min(), X["dose"].max()).all()


@pytest.mark.parametrize("name", available_generators())
def test_every_generator_keeps_columns_types_and_values(name):
    X, y = table()
    sampler = GenerativeOverSampler(generator=fast_generator(name), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.equals(X.dtypes)
    assert Counter(y_res) == {"control": 60, "case": 60}
    pd.testing.assert_frame_equal(X_res.iloc[:len(X)], X)  # the given rows, untouched
    new = X_res.iloc[len(X):]
    assert set(new["group"].cat.categories) == {"a", "b", "c"}  # the dtype's categories
    assert set(new["group"]) <= set(X.loc[y == "case", "group"])
    assert new["count"].between(X["count"].min(), X["count"].max()).all()
    assert set(new["flag"]) <= {True, False} and new["flag"].dtype == bool
    assert (new["site"] == "A").all()
    assert (new[["label_high", "label_low"]].sum(axis=1) == 1).all()  # still one-hot
    assert new["value"].round(2).equals(new["value"])  # the real values' two decimals
    assert new["ratio"].round(3).equals(new["ratio"])
    assert new["value"].between(X["value"].min(), X["value"].max()).all()


def test_numpy_arrays_keep_their_dtype_and_integer_values():
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.integers(0, 2, 60), rng.integers(-5, 40, 60),
                         rng.integers(100, 103, 60)]).astype("int32")
    y = np.r_[np.zeros(40), np.ones(20)].astype(int)
    X_res, _ = GANOversampler(**FAST["paper-gan"], random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.int32
    new = X_res[len(X):]
    assert set(np.unique(new[:, 0])) <= {0, 1}
    assert new.min(axis=0).tolist() >= X.min(axis=0).tolist()
    assert (new <= X.max(axis=0)).all() and (new >= X.min(axis=0)).all()


def test_the_paper_gan_keeps_integers_and_booleans_that_it_used_to_corrupt():
    """The bug this replaces: generated rows cast with astype(X.dtype) made a 0/1 integer
    column 0 in almost every row and a boolean column True in every row."""
    X, y = table(120, seed=3)
    sampler = GANOversampler(**FAST["paper-gan"], random_state=0)
    X_res, _ = sampler.fit_resample(X[["value", "flag", "count"]], y)
    new = X_res.iloc[len(X):]
    assert new["flag"].dtype == bool and new["count"].dtype == X["count"].dtype
    assert new["count"].between(X["count"].min(), X["count"].max()).all()


def test_missing_values_are_refused_with_the_columns_and_the_fix():
    X, y = table()
    X = X.astype({"value": "float64"})
    X.loc[[3, 7], "value"] = np.nan
    with pytest.raises(DataError, match=r"missing values \(NaN\) in 'value' \(2 rows\).*"
                                        r"SimpleImputer"):
        GenerativeOverSampler(generator="gaussian-copula", random_state=0).fit_resample(X, y)


def test_infinite_values_are_refused():
    X, y = table()
    X.loc[4, "value"] = np.inf
    with pytest.raises(DataError, match=r"infinite values \(inf\) in \['value'\]"):
        GenerativeOverSampler(generator="gaussian-copula", random_state=0).fit_resample(X, y)


def test_imputation_inside_the_pipeline_is_the_way_forward():
    from sklearn.impute import SimpleImputer

    X, y = table()
    X = X[["value", "count", "ratio"]].astype(float)
    X.loc[[3, 7], "value"] = np.nan
    pipeline = make_pipeline(SimpleImputer(), GenerativeOverSampler(
        generator="gaussian-copula", random_state=0), LogisticRegression())
    pipeline.fit(X, y)  # the imputer fills the gaps before the sampler sees the rows
    assert pipeline.named_steps["generativeoversampler"].sampling_strategy_ == {"case": 30}
    assert np.isfinite(pipeline.predict_proba(X)).all()


# --- estimator hygiene ------------------------------------------------------------------------
def _global_states():
    from keras.src.backend.common import global_state

    return (np.random.get_state()[1].tobytes(), random.getstate(),
            global_state.get_global_attribute("global_random_seed"))


@pytest.mark.parametrize("name", ["paper-gan", "wgan-gp", "gaussian-copula"])
def test_no_global_random_state_is_touched(name):
    X, y = table()
    np.random.seed(123)
    random.seed(123)
    before = _global_states()
    GenerativeOverSampler(generator=fast_generator(name), random_state=0).fit_resample(X, y)
    assert _global_states() == before


def test_same_random_state_same_rows_and_fit_is_idempotent():
    X, y = table()
    sampler = GenerativeOverSampler(generator=fast_generator("wgan-gp"), random_state=7)
    first, _ = sampler.fit_resample(X, y)
    again, _ = sampler.fit_resample(X, y)  # the same object, fitted twice
    other, _ = clone(sampler).set_params(random_state=8).fit_resample(X, y)
    pd.testing.assert_frame_equal(first, again)
    assert not first.iloc[len(X):].equals(other.iloc[len(X):])


def test_clone_get_and_set_params_reach_the_generator():
    sampler = GenerativeOverSampler(generator=fast_generator("wgan-gp"), random_state=0)
    params = sampler.get_params()
    assert params["generator__epochs"] == 2
    sampler.set_params(generator__epochs=3)
    assert sampler.generator.epochs == 3
    copy = clone(sampler)
    assert copy.generator is not sampler.generator
    assert copy.get_params()["generator__epochs"] == 3


def test_a_fitted_sampler_pickles_and_samples_the_same_rows():
    X, y = table()
    sampler = GenerativeOverSampler(generator=fast_generator("wgan-gp"), random_state=0)
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    pd.testing.assert_frame_equal(restored.sample(30, random_state=5),
                                  sampler.sample(30, random_state=5))
    assert restored.sample(10).dtypes.equals(X.dtypes)


def test_sample_makes_more_rows_and_new_ones_each_time():
    X, y = table()
    sampler = GenerativeOverSampler(generator=fast_generator("gaussian-copula"), random_state=0)
    sampler.fit_resample(X, y)
    first, second = sampler.sample(25), sampler.sample(25)
    assert len(first) == 25 and first.dtypes.equals(X.dtypes)
    assert not first.equals(second)
    with pytest.raises(ValueError, match=r"No generator was trained for class 'control'"):
        sampler.sample(5, label="control")


def test_unknown_generator_names_the_known_ones():
    X, y = table()
    with pytest.raises(ValueError, match=r"Unknown generator 'gann'.*'paper-gan'"):
        GenerativeOverSampler(generator="gann").fit_resample(X, y)


def test_auto_chooses_each_class_generator_by_the_stated_rule():
    from tabaug.generators.choice import choose_generator

    X, y = table()
    auto = GenerativeOverSampler(generator="auto", random_state=3)
    X_auto, y_auto = auto.fit_resample(X, y)
    rule = choose_generator(int((y == "case").sum()), X.shape[1])
    assert list(auto.choices_) == ["case"] and auto.choices_["case"] == rule
    chosen = GenerativeOverSampler(generator=rule.name, random_state=3)
    X_named, y_named = chosen.fit_resample(X, y)  # the same seeds: the same rows
    pd.testing.assert_frame_equal(X_auto, X_named)
    assert list(y_auto) == list(y_named) and chosen.choices_ == {}
    again = clone(auto)
    again.fit_resample(X, y)
    assert pickle.loads(pickle.dumps(again)).choices_ == auto.choices_


def test_the_rule_names_its_evidence_and_refuses_an_empty_class():
    from tabaug.generators import available_generators
    from tabaug.generators.choice import BENCHMARK_CLASS_ROWS, choose_generator

    inside, beyond = choose_generator(60, 12), choose_generator(5000, 12)
    assert {inside.name, beyond.name} <= set(available_generators())
    assert "evaluation classes of 16 to 500 rows" in inside.reason
    assert "5000 rows is larger than the generator benchmark's" in beyond.reason
    assert BENCHMARK_CLASS_ROWS == (16, 500)
    with pytest.raises(ValueError, match="needs rows and columns; got 0 rows"):
        choose_generator(0, 12)


# --- warnings instead of silence --------------------------------------------------------------
def test_the_papers_30_updates_warn():
    X, y = table(150)
    with pytest.warns(FewUpdatesWarning, match=r"only 10 updates.*fewer than 500"):
        GANOversampler(generator_units=(8,), discriminator_units=(8,),
                       random_state=0).fit_resample(X[["value", "ratio"]], y)


def test_enough_updates_do_not_warn():
    X, y = table(150)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FewUpdatesWarning)
        GANOversampler(generator_units=(4,), discriminator_units=(4,), batch_size=10,
                       epochs=100, random_state=0).fit_resample(X[["value", "ratio"]], y)


# --- pipelines, cross-validation, grid search with two processes --------------------------------
def _pipeline(checkpoint_dir=None):
    encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["group"]),
                                     remainder="passthrough")
    sampler = GenerativeOverSampler(generator=fast_generator("wgan-gp"), random_state=0,
                                    checkpoint_dir=checkpoint_dir)
    return make_pipeline(sampler, encode, LogisticRegression(max_iter=500))


def test_cross_validation_and_grid_search_with_two_jobs_and_checkpoints(tmp_path):
    X, y = table(120)
    X = X[["group", "value", "count", "ratio"]]
    cv = StratifiedKFold(2, shuffle=True, random_state=0)
    scores = cross_val_score(_pipeline(tmp_path), X, y, cv=cv, n_jobs=2)
    assert scores.shape == (2,) and np.isfinite(scores).all()
    assert len(list(tmp_path.glob("*.npz"))) == 2  # one per fold: no fold meets another's
    grid = GridSearchCV(_pipeline(tmp_path), {"logisticregression__C": [0.1, 1.0]}, cv=cv,
                        n_jobs=2).fit(X, y)
    # The grid's folds are the same two: they resume from those checkpoints, and the
    # refit on all rows adds a third.
    assert len(list(tmp_path.glob("*.npz"))) == 3
    assert not list(tmp_path.glob("*.tmp"))
    again = cross_val_score(_pipeline(tmp_path), X, y, cv=cv, n_jobs=1)
    np.testing.assert_allclose(again, scores)
    assert grid.best_params_["logisticregression__C"] in (0.1, 1.0)


def test_grid_search_over_the_generators_settings(tmp_path):
    X, y = table(90)
    X = X[["value", "count", "ratio"]]
    grid = GridSearchCV(make_pipeline(GenerativeOverSampler(generator=fast_generator("wgan-gp"),
                                                            random_state=0,
                                                            checkpoint_dir=tmp_path),
                                      LogisticRegression()),
                        {"generativeoversampler__generator__epochs": [1, 2]}, cv=2)
    grid.fit(X, y)  # in this process: the test above fits in two processes
    assert len(grid.cv_results_["mean_test_score"]) == 2
    fitted = next(iter(grid.best_estimator_[0].generators_.values()))
    assert fitted.epochs == grid.best_params_["generativeoversampler__generator__epochs"]


# --- scikit-learn's and imbalanced-learn's generic checks ---------------------------------------
# The wrapper's contract (parameters, clone, pickle, fit, n_features_in_, NaN refused) is the
# same for every generator; the fast copula runs the checks, GANOversampler's run in
# tests/test_oversampler.py, and each generator's own pickling in tests/test_generator_*.py.
_sklearn_checks = sklearn_parametrize_with_checks(
    [GenerativeOverSampler(generator="gaussian-copula", random_state=0)])
_imblearn_checks = imblearn_parametrize_with_checks(
    [GenerativeOverSampler(generator="gaussian-copula", random_state=0)],
    expected_failed_checks=lambda estimator: {
        "check_samplers_pandas_sparse": "dense-only sampler: sparse pandas columns are refused"})
# imbalanced-learn passes a generator to pytest.mark.parametrize, which pytest deprecates.
_imblearn_checks = pytest.mark.parametrize(_imblearn_checks.args[0],
                                           list(_imblearn_checks.args[1]),
                                           **_imblearn_checks.kwargs)


@_sklearn_checks
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@_imblearn_checks
def test_imbalanced_learn_estimator_checks(estimator, check):
    check(estimator)


def test_class_seeds_of_neighbouring_random_states_never_meet():
    """Each class's generator gets its own SeedSequence child: with ``random_state + i``,
    class 1 at random_state s trained from the seed of class 0 at s + 1 (a study's next split);
    now the four seeds of the two over-sampled classes at two neighbouring states differ, a class's
    seed does not depend on which other classes are over-sampled, and the same state gives the
    same seeds."""
    X = table(90)[0][["value", "count", "ratio"]]
    y = np.repeat([0, 1, 2], [50, 25, 15])  # classes 1 and 2 are over-sampled

    def seeds(random_state, strategy="not majority"):
        sampler = GenerativeOverSampler(random_state=random_state, sampling_strategy=strategy)
        sampler.fit_resample(X, y)
        return {label: generator.seed_ for label, generator in sampler.generators_.items()}

    first, second = seeds(0), seeds(1)
    assert len(set(first.values()) | set(second.values())) == len(first) + len(second)
    assert seeds(0) == first
    assert seeds(0, {2: 50})[2] == first[2]
