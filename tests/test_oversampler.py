"""utils.GANOversampler: imbalanced-learn's sampler interface around the paper's GAN.

The general GenerativeOverSampler (every column type, every generator, estimator hygiene) is
tested in tests/test_generative_oversampler.py."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from imblearn.utils.estimator_checks import parametrize_with_checks
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import MinMaxScaler

from tabaug.generators import SmallClassWarning
from tabaug.generators.networks import numeric_scaler
from tabaug.sampling import GANOversampler
from tabaug.sampling.gan_oversampler import WGAN_GP_SETTINGS
from tabaug.sampling.oversampler import spawned_seeds
from utils.gan import fit_gan, generate_rows

FAST = dict(epochs=1, batch_size=8, generator_units=(8,), discriminator_units=(8,))


def fast_sampler(**kwargs):
    return GANOversampler(**{**FAST, "random_state": 0, **kwargs})


def assert_originals_first(X, y, X_res, y_res):
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)


# --- parameters -------------------------------------------------------------------------------
def test_paper_defaults():
    params = GANOversampler().get_params()
    assert params["epochs"] == 10
    assert params["batch_size"] == 32
    assert params["learning_rate"] == pytest.approx(1e-4)
    assert tuple(params["generator_units"]) == (100, 200, 300, 400, 500)
    assert tuple(params["discriminator_units"]) == (500, 400, 300, 200, 100)
    assert params["noise_dim"] is None  # n_features // 2, decided at fit time
    assert params["sampling_strategy"] == "auto"
    assert params["random_state"] is None
    assert params["checkpoint_dir"] is None
    assert params["verbose"] is False


def test_paper_defaults_build_paper_networks(prepared):
    sampler = GANOversampler(random_state=0)
    X_res, y_res = sampler.fit_resample(prepared.X_train, prepared.y_train)
    assert Counter(y_res) == {0: 178, 1: 178}
    gan = sampler.generators_[1]
    assert gan.generator_.input_shape[-1] == 15
    assert [layer.units for layer in gan.generator_.layers] == [100, 200, 300, 400, 500, 30]
    assert [layer.units for layer in gan.discriminator_.layers] == [30, 500, 400, 300, 200, 100, 1]
    assert len(sampler.histories_[1]) == 30  # 106 // 32 = 3 steps x 10 epochs


@pytest.mark.parametrize("name, value", [("epochs", 0), ("batch_size", 0),
                                         ("learning_rate", 0.0), ("noise_dim", 0),
                                         ("loss", "wgan"), ("scaling", "cubic"),
                                         ("critic_steps", 0)])
def test_invalid_parameters_are_named(binary_data, name, value):
    X, y = binary_data
    with pytest.raises(ValueError, match=f"'{name}' parameter of GANOversampler"):
        fast_sampler(**{name: value}).fit_resample(X, y)


# --- class counts -----------------------------------------------------------------------------
def test_binary_auto_balances(binary_data):
    X, y = binary_data
    sampler = fast_sampler()
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 40, 1: 40}
    assert X_res.shape == (80, X.shape[1])
    assert sampler.sampling_strategy_ == {1: 20}
    assert list(sampler.generators_) == [1]  # only the minority class gets a GAN
    assert_originals_first(X, y, X_res, y_res)
    np.testing.assert_array_equal(y_res[len(y):], 1)


def test_float_sampling_strategy(binary_data):
    X, y = binary_data
    X_res, y_res = fast_sampler(sampling_strategy=0.8).fit_resample(X, y)
    # minority / majority = 0.8 after resampling: 0.8 * 40 = 32 rows of class 1.
    assert Counter(y_res) == {0: 40, 1: 32}
    assert_originals_first(X, y, X_res, y_res)
    np.testing.assert_array_equal(y_res[len(y):], 1)


def test_dict_sampling_strategy(binary_data):
    X, y = binary_data
    sampler = fast_sampler(sampling_strategy={0: 45, 1: 30})
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 45, 1: 30}
    assert sampler.sampling_strategy_ == {0: 5, 1: 10}
    assert set(sampler.generators_) == {0, 1}
    assert_originals_first(X, y, X_res, y_res)
    # Generated rows come in the order of sampling_strategy_: 5 of class 0, then 10 of class 1.
    np.testing.assert_array_equal(y_res[len(y):], [0] * 5 + [1] * 10)


def test_three_classes():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (30, 3)), rng.normal(3, 1, (15, 3)),
                   rng.normal(-3, 1, (10, 3))])
    y = np.array(["a"] * 30 + ["b"] * 15 + ["c"] * 10)
    sampler = fast_sampler()
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {"a": 30, "b": 30, "c": 30}
    assert set(sampler.generators_) == {"b", "c"}
    assert_originals_first(X, y, X_res, y_res)
    generated = y_res[len(y):]
    assert sorted(Counter(generated).items()) == [("b", 15), ("c", 20)]


def test_nothing_to_generate(binary_data):
    X, y = binary_data
    sampler = fast_sampler(sampling_strategy={1: 20})  # class 1 already has 20 rows
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert sampler.generators_ == {}


# --- reproducibility --------------------------------------------------------------------------
def test_same_random_state_same_output(binary_data):
    X, y = binary_data
    X_a, y_a = fast_sampler(random_state=4).fit_resample(X, y)
    X_b, y_b = fast_sampler(random_state=4).fit_resample(X, y)
    X_c, _ = fast_sampler(random_state=5).fit_resample(X, y)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)
    assert not np.allclose(X_a[len(X):], X_c[len(X):])


def test_random_state_instance_seeds_reproducibly(binary_data):
    X, y = binary_data
    X_a, _ = fast_sampler(random_state=np.random.RandomState(1)).fit_resample(X, y)
    X_b, _ = fast_sampler(random_state=np.random.RandomState(1)).fit_resample(X, y)
    np.testing.assert_array_equal(X_a, X_b)


def test_refit_of_a_clone_gives_same_output(binary_data):
    X, y = binary_data
    sampler = fast_sampler(random_state=4)
    first = sampler.fit_resample(X, y)
    second = clone(sampler).fit_resample(X, y)
    np.testing.assert_array_equal(first[0], second[0])


# --- the internal min-max scaling round trip --------------------------------------------------
def test_unit_range_data_generated_in_unit_range(binary_data):
    X, y = binary_data
    X[0], X[1] = 0.0, 1.0  # every feature spans exactly [0, 1]: scaling changes nothing
    sampler = fast_sampler(random_state=2)
    X_res, _ = sampler.fit_resample(X, y)
    generated = X_res[len(X):]
    assert generated.min() >= 0.0 and generated.max() <= 1.0
    # ... and they are the generator's rows as drawn, with the seed of class 1 (the second of
    # the two classes): spawned from SeedSequence(random_state).
    expected = generate_rows(sampler.generators_[1].generator_, 20,
                             seed=spawned_seeds(2, 2)[1])
    np.testing.assert_allclose(generated, expected, rtol=0, atol=1e-12)


def test_unscaled_data_round_trip(binary_data):
    X, y = binary_data
    # Features on very different scales and far from [0, 1].
    X = X * np.array([1.0, 100.0, 1e4, 0.01]) + np.array([-5.0, 1000.0, -3e5, 7.0])
    sampler = fast_sampler(random_state=6)
    X_res, y_res = sampler.fit_resample(X, y)
    generated = X_res[len(X):]
    low, high = X.min(axis=0), X.max(axis=0)
    slack = 1e-9 * (high - low)  # float rounding of the inverse transform
    assert np.all(generated >= low - slack) and np.all(generated <= high + slack)
    # The same steps by hand: scale on all rows, train on the class's scaled rows, scale back.
    scaler = MinMaxScaler().fit(X)
    seed = spawned_seeds(6, 2)[1]  # class 1's seed
    fitted = fit_gan(scaler.transform(X)[y == 1], seed=seed, generator_units=(8,),
                     discriminator_units=(8,), epochs=1, batch_size=8)
    expected = scaler.inverse_transform(generate_rows(fitted.gan.generator, 20, seed=seed))
    np.testing.assert_allclose(generated, expected, rtol=1e-6, atol=1e-6 * (high - low).max())
    # Not a copy of the minority rows: the GAN makes new ones.
    minority = X[y == 1]
    assert not any((minority == row).all(axis=1).any() for row in generated)


# --- the better GAN: WGAN-GP on log-scaled rows -------------------------------------------------
def test_wgan_gp_settings_are_valid_parameters():
    sampler = GANOversampler(**WGAN_GP_SETTINGS)
    params = sampler.get_params()
    assert {key: params[key] for key in WGAN_GP_SETTINGS} == WGAN_GP_SETTINGS
    assert (params["loss"], params["scaling"]) == ("wgan-gp", "log")


def test_wgan_gp_on_log_scaled_rows(binary_data):
    X, y = binary_data
    X = X * np.array([1.0, 100.0, 1e4, 0.01]) + np.array([-5.0, 1000.0, -3e5, 7.0])
    sampler = fast_sampler(loss="wgan-gp", scaling="log", critic_steps=3, epochs=2,
                           activation="leaky_relu", random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 40, 1: 40}
    assert_originals_first(X, y, X_res, y_res)
    gan = sampler.generators_[1]
    assert gan.generator_.layers[-1].activation.__name__ == "linear"  # standardized rows
    assert gan.discriminator_.layers[-1].activation.__name__ == "linear"  # a critic's score
    n_updates = len(sampler.histories_[1])
    assert n_updates == 2 * (20 // 8)
    # Generated rows are mapped back into the range of the given rows.
    generated = X_res[len(X):]
    low, high = X.min(axis=0), X.max(axis=0)
    slack = 1e-9 * (high - low)
    assert np.all(generated >= low - slack) and np.all(generated <= high + slack)


def test_log_transform_round_trip(binary_data):
    X, _ = binary_data
    X = MinMaxScaler().fit_transform(X)  # the oversampler min-max scales first
    transformer = numeric_scaler("log").fit(X)
    Z = transformer.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-9)  # standardized
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-9)
    np.testing.assert_allclose(transformer.inverse_transform(Z), X, rtol=1e-9, atol=1e-9)
    # Values far outside the rows map back into the min-max range [0, 1], not beyond it.
    np.testing.assert_allclose(transformer.inverse_transform(np.full((1, X.shape[1]), 50.0)), 1)
    np.testing.assert_allclose(transformer.inverse_transform(np.full((1, X.shape[1]), -50.0)), 0)
    np.testing.assert_array_equal(numeric_scaler("minmax").fit_transform(X), X)


# --- errors -----------------------------------------------------------------------------------
def test_class_smaller_than_batch_size_trains_on_smaller_minibatches(binary_data):
    X, y = binary_data
    sampler = fast_sampler(batch_size=32, epochs=3)
    with pytest.warns(SmallClassWarning, match=r"20 rows, fewer than batch_size=32.*of 20 rows"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert len(sampler.histories_[1]) == 3  # one update per epoch, not zero
    assert Counter(y_res) == {0: 40, 1: 40}


def test_sparse_input_is_refused(binary_data):
    X, y = binary_data
    with pytest.raises(TypeError, match="dense data is required"):
        fast_sampler().fit_resample(sparse.csr_matrix(X), y)


def test_pandas_in_pandas_out(binary_data):
    X, y = binary_data
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    X_res, y_res = fast_sampler().fit_resample(frame, pd.Series(y, name="label"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c", "d"]
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    assert Counter(y_res) == {0: 40, 1: 40}


# --- checkpoints ------------------------------------------------------------------------------
def test_checkpoint_dir_resumes_to_same_rows(binary_data, tmp_path):
    X, y = binary_data
    plain = fast_sampler(epochs=2).fit_resample(X, y)
    half = fast_sampler(epochs=1, checkpoint_dir=str(tmp_path)).fit_resample(X, y)
    assert len(list(tmp_path.glob("PaperGAN-*.npz"))) == 1
    resumed_sampler = fast_sampler(epochs=2, checkpoint_dir=str(tmp_path))
    resumed = resumed_sampler.fit_resample(X, y)
    assert len(resumed_sampler.histories_[1]) == 2 * (20 // 8)
    np.testing.assert_allclose(resumed[0], plain[0], rtol=1e-6, atol=1e-7)
    assert not np.allclose(half[0][len(X):], plain[0][len(X):])


# --- pipelines --------------------------------------------------------------------------------
class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that records the class counts it is fitted on and the rows it scores.

    Records live on the class because cross-validation fits clones.
    """

    fitted_counts: list = []
    predicted_rows: list = []

    def fit(self, X, y):
        RecordingClassifier.fitted_counts.append(dict(Counter(y.tolist())))
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        RecordingClassifier.predicted_rows.append(len(X))
        return self.model_.predict(X)


def test_inside_imblearn_pipeline_with_cross_validation(binary_data):
    X, y = binary_data
    RecordingClassifier.fitted_counts, RecordingClassifier.predicted_rows = [], []
    pipeline = Pipeline([("gan", fast_sampler()), ("clf", RecordingClassifier())])
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scores = cross_val_score(pipeline, X, y, cv=cv, scoring="accuracy")
    assert scores.shape == (3,)
    assert np.all((scores >= 0) & (scores <= 1))
    # Each fold's classifier saw that fold's training rows, balanced by the GAN ...
    expected_fits = []
    expected_predicts = []
    for train, test in cv.split(X, y):
        majority = max(Counter(y[train].tolist()).values())
        expected_fits.append({0: majority, 1: majority})
        expected_predicts.append(len(test))
    assert RecordingClassifier.fitted_counts == expected_fits
    # ... and was scored on the untouched test rows of the fold (no sampling at predict time).
    assert RecordingClassifier.predicted_rows == expected_predicts


# --- imbalanced-learn's estimator checks ------------------------------------------------------
EXPECTED_FAILED_CHECKS = {
    # imbalanced-learn runs this check for every sampler that accepts DataFrames, ignoring the
    # `sparse` input tag; GANOversampler declares sparse=False (a dense network needs dense rows)
    # and refuses sparse columns with sklearn's "dense data is required" TypeError.
    "check_samplers_pandas_sparse": "dense-only sampler (input_tags.sparse=False) gets sparse "
                                    "pandas columns, which it refuses by design",
}

# One GAN runs the checks: GANOversampler hands every setting to the GAN it composes, so the
# contract (parameters, clone, pickle, input checks, tags) does not depend on the GAN's loss or
# scaling; the WGAN-GP on log-scaled rows is trained and checked by the tests above.
_checks = parametrize_with_checks(
    [GANOversampler(epochs=1, batch_size=4, generator_units=(8,), discriminator_units=(8,),
                    random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
# imbalanced-learn passes a generator to pytest.mark.parametrize, which pytest deprecates;
# the same mark with the cases in a list.
_checks = pytest.mark.parametrize(_checks.args[0], list(_checks.args[1]), **_checks.kwargs)


@_checks
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)


def test_expected_failed_check_really_fails_for_the_stated_reason(binary_data):
    X, y = binary_data
    frame = pd.DataFrame(X).astype(pd.SparseDtype(float, 0))
    with pytest.raises(TypeError, match="dense data is required"):
        fast_sampler().fit_resample(frame, y)


def test_new_rows_are_only_the_added_rows(binary_data):
    from imblearn.over_sampling import SMOTE, RandomOverSampler

    from tabaug.sampling.classic import new_rows

    X, y = binary_data
    for sampler in (fast_sampler(), SMOTE(random_state=0), RandomOverSampler(random_state=0)):
        rows = new_rows(sampler, X, y, 25)
        assert rows.shape == (25, X.shape[1])
        X_res, y_res = sampler.fit_resample(X, y)  # same settings, same seed: same rows
        np.testing.assert_allclose(rows, X_res[len(X):])
        assert (y_res[len(X):] == 1).all()


def test_one_parameter_list_the_paper_gans():
    """GANOversampler's settings are PaperGAN's, with the same defaults: one list of
    parameters, written out because scikit-learn reads them from the signature."""
    import inspect

    from tabaug.generators.paper_gan import PaperGAN

    def defaults(cls, skip):
        return {name: parameter.default for name, parameter in
                inspect.signature(cls).parameters.items() if name not in skip}

    assert defaults(GANOversampler, ("sampling_strategy", "random_state")) == defaults(
        PaperGAN, ("random_state",))
    sampler = GANOversampler(epochs=3, scaling="log")
    assert sampler.gan().get_params() == {**PaperGAN(epochs=3, scaling="log").get_params()}


def test_the_composed_sampler_gives_the_generative_oversamplers_rows(binary_data):
    from tabaug.sampling import GenerativeOverSampler

    X, y = binary_data
    sampler = fast_sampler()
    X_res, y_res = sampler.fit_resample(X, y)
    inner = GenerativeOverSampler(generator=sampler.gan(), random_state=sampler.random_state)
    X_inner, y_inner = inner.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_inner)
    np.testing.assert_array_equal(y_res, y_inner)
    assert sampler.sampling_strategy_ == inner.sampling_strategy_
    assert set(sampler.histories_) == {1} and sampler.sample(4).shape == (4, X.shape[1])
