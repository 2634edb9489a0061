"""Tests of :class:`tabaug.generators.diffusion.TabularDiffusion` (TabDDPM-like, "tab-ddpm").

Proof that it learns: on tables of known law, a small trained diffusion model makes rows that a
two-sample test can hardly tell from fresh rows of the law, with the law's moments; the same
model untrained, trained with the sign of its loss flipped, or sampled without denoising (the
starting noise, mapped back through the quantiles: right marginals, no dependence), fails the
same thresholds. The untrained model with the Gaussian part (``gaussian``) is a Gaussian of the
rows' normal scores: it gets the correlations right but fills the gap between two clusters,
which only training closes. The network is small (two layers of 128 units, 800 updates, 50
steps) to keep the file fast.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from tabaug.generators import FewUpdatesWarning, SmallClassWarning, diffusion, get_generator
from tabaug.generators.diffusion import (
    HISTORY_COLUMNS,
    MAX_UPDATES,
    MIN_UPDATES,
    TabularDiffusion,
    build_denoiser,
    cosine_alpha_bars,
    default_updates,
    use_gaussian_part,
    whitening,
)

from generator_checks import assert_mixed_types_kept, learned, numeric_gaps
from known_tables import correlated_gaussian, mixed_types, two_clusters

N_ROWS = 200
SMALL = {"hidden_units": (128, 128), "updates": 800, "timesteps": 50}


def small_model(cls=TabularDiffusion, **params):
    return cls(**{**SMALL, "random_state": 0, **params})


class FlippedLoss(TabularDiffusion):
    """Makes its noise predictions as wrong as it can."""

    def _objective(self, noise, predicted):
        return -super()._objective(noise, predicted)


class NoDenoising(TabularDiffusion):
    """Returns the sampler's starting noise instead of denoising it."""

    def _denoise(self, n_rows, rng):
        return rng.standard_normal((n_rows, self.layout_.width))


@pytest.fixture(scope="module")
def trained(gaussian):
    return small_model().fit(gaussian[0])


@pytest.fixture(scope="module")
def mixed():
    table = mixed_types(N_ROWS, seed=0)
    return table, small_model().fit(table)


# --- it learns -------------------------------------------------------------------------------
# Measured with SMALL, random_state 0 (the Gaussian part on by rule): trained c2st 0.563,
# largest gap 0.10 (before the Gaussian part: 0.618, 0.20); untrained without the Gaussian part
# (2 updates) 0.994, std gap 1.4; loss flipped: the loss runs to -inf (FloatingPointError, no
# rows); no denoising (without the Gaussian part) 0.891, correlation gap 1.04. Fresh rows
# against the training rows score about 0.50 (tests/test_generator_vae.py).
GAUSSIAN_C2ST, GAUSSIAN_GAP = 0.68, 0.30


def test_learns_correlated_gaussian(gaussian, trained):
    assert learned(gaussian[1], trained.sample(N_ROWS), GAUSSIAN_C2ST, GAUSSIAN_GAP)


def test_untrained_fails(gaussian):
    # Without the Gaussian part (which alone is a Gaussian copula, right for this table).
    with pytest.warns(FewUpdatesWarning):
        untrained = small_model(updates=2, gaussian=False).fit(gaussian[0])
    assert not learned(gaussian[1], untrained.sample(N_ROWS), GAUSSIAN_C2ST, GAUSSIAN_GAP)


def test_flipped_loss_fails(gaussian):
    try:
        rows = small_model(FlippedLoss).fit(gaussian[0]).sample(N_ROWS)
    except FloatingPointError:  # the flipped loss can overflow: no rows at all
        return
    assert not learned(gaussian[1], rows, GAUSSIAN_C2ST, GAUSSIAN_GAP)


def test_sampling_without_denoising_fails(gaussian):
    # Without the Gaussian part, whose colouring alone would give the noise the correlations.
    # The network is never asked, so one update trains it enough (the rows are the same).
    with pytest.warns(FewUpdatesWarning):
        generator = small_model(NoDenoising, updates=1, gaussian=False).fit(gaussian[0])
    rows = generator.sample(N_ROWS)
    assert not learned(gaussian[1], rows, GAUSSIAN_C2ST, GAUSSIAN_GAP)
    # The quantiles alone give each column its law, but the columns come out independent.
    assert numeric_gaps(gaussian[1], rows)["correlation"] > 0.5


def in_the_middle(rows):
    """The share of rows in the empty middle between the two clusters (the law: about 0.3%)."""
    return ((rows[["a", "b"]].abs() < 0.75).all(axis=1)).mean()


def off_the_clusters(rows):
    """The share of rows farther than 1.5 (three standard deviations) from both clusters'
    centres (the law: about 1%)."""
    ab = rows[["a", "b"]].to_numpy()
    return (np.minimum(np.hypot(*(ab + 2.0).T), np.hypot(*(ab - 2.0).T)) > 1.5).mean()


def test_learns_two_clusters():
    generator = small_model().fit(two_clusters(N_ROWS, seed=0))
    assert generator.gaussian_  # 200 rows of 2 columns
    rows = generator.sample(N_ROWS)
    # Measured (random_state 0): c2st 0.527, largest gap 0.23 (before the Gaussian part:
    # 0.630, 0.29); off the clusters 0.105 (random_state 1: 0.135).
    assert learned(two_clusters(N_ROWS, seed=1), rows, 0.72, 0.40)
    assert in_the_middle(rows) < 0.15
    assert off_the_clusters(rows) < 0.2


def test_gaussian_part_alone_is_a_copula(gaussian):
    """Untrained, the Gaussian part makes the rows' correlations (a Gaussian copula) but fills
    the gap between two clusters: what the network learns beyond it."""
    with pytest.warns(FewUpdatesWarning):
        alone = small_model(updates=1, gaussian=True).fit(gaussian[0])
    rows = alone.sample(N_ROWS)
    assert numeric_gaps(gaussian[1], rows)["correlation"] < 0.15
    with pytest.warns(FewUpdatesWarning):
        alone = small_model(updates=1, gaussian=True).fit(two_clusters(N_ROWS, seed=0))
    # Measured (random_state 0, 1): 0.345, 0.335 of the rows off the clusters (the
    # correlations put rows at (2, -2) and (-2, 2)).
    assert off_the_clusters(alone.sample(N_ROWS)) > 0.25


def test_learns_mixed_types(mixed):
    table, generator = mixed
    rows = generator.sample(N_ROWS)
    # Measured (random_state 0): c2st 0.624, largest gap 0.42 (the std of count; before the
    # Gaussian part and the mid-rank limit of the scores: 0.639, 0.20).
    assert learned(mixed_types(N_ROWS, seed=1), rows, 0.70, 0.55)
    # The category sets the mean of value: -2, 0, 3.
    means = rows.groupby("group", observed=True)["value"].mean()
    assert means["a"] < -1 < means["b"] < 1.5 < means["c"]


# --- column types --------------------------------------------------------------------------------
def test_types_kept(mixed):
    table, generator = mixed
    rows = generator.sample(300)
    assert_mixed_types_kept(table, rows)


def test_categories_only():
    table = mixed_types(N_ROWS, seed=0)[["group", "flag", "label"]]
    generator = small_model(updates=200).fit(table)
    rows = generator.sample(100)
    assert generator.quantiles_ is None
    assert (rows.dtypes == table.dtypes).all()
    assert rows["group"].nunique() > 1


# --- seeds, clone, pickle ------------------------------------------------------------------------
def test_same_seed_same_rows(gaussian, trained):
    again = small_model().fit(gaussian[0])
    pd.testing.assert_frame_equal(trained.sample(50, random_state=1),
                                  again.sample(50, random_state=1))
    pd.testing.assert_frame_equal(trained.history_, again.history_)


def test_different_seed_different_rows(gaussian, trained):
    other = small_model(random_state=1).fit(gaussian[0])
    assert not np.allclose(trained.sample(50, random_state=1), other.sample(50, random_state=1))


def test_clone_and_pickle(trained):
    copy = clone(trained)
    assert copy.get_params() == trained.get_params()
    assert not hasattr(copy, "denoiser_")
    restored = pickle.loads(pickle.dumps(trained))
    pd.testing.assert_frame_equal(restored.sample(50, random_state=3),
                                  trained.sample(50, random_state=3))
    # The pickled sampling stream continues where the original's was.
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(trained)).sample(20),
                                  pickle.loads(pickle.dumps(trained)).sample(20))


def test_sample_twice_gives_new_rows(trained):
    first, second = trained.sample(30), trained.sample(30)
    assert not np.allclose(first, second)


# --- training record, schedule and rules ---------------------------------------------------------
def test_history_and_loss_falls(gaussian, trained):
    history = trained.history_
    assert list(history.columns) == HISTORY_COLUMNS
    assert len(history) == trained.n_updates_ == SMALL["updates"]
    assert history["step"].tolist() == list(range(1, len(history) + 1))
    assert np.isfinite(history["loss"]).all()
    # The Gaussian part alone starts well below 1 (predicting zero noise) on normal rows;
    # training lowers it further.
    assert trained.gaussian_
    assert history["loss"].tail(100).mean() < history["loss"].head(20).mean() < 0.6
    # Without the Gaussian part: from about 1 to well below.
    # Measured (random_state 0, 1): 0.59, 0.58 over the first 20 updates, 0.37 over the last.
    plain_model = small_model(gaussian=False).fit(gaussian[0])
    assert not plain_model.gaussian_  # the override beats the rule
    plain = plain_model.history_["loss"]
    assert plain.tail(100).mean() < 0.45 < plain.head(20).mean()
    assert trained.batch_size_ == N_ROWS  # a small class: all its rows at each update


def test_sampler_uses_the_moving_average(gaussian, monkeypatch):
    """The network kept is the moving average of the weights: with a decay of 1 it never
    moves from the initial weights, however long the training."""
    monkeypatch.setattr(diffusion, "EMA_DECAY", 1.0)
    frozen = small_model(updates=200).fit(gaussian[0])
    initial = build_denoiser(frozen.layout_.width, SMALL["hidden_units"],
                             diffusion.keras_seeds(frozen.seed_), zero_output=True)
    for kept, start in zip(frozen.denoiser_.get_weights(), initial.get_weights()):
        np.testing.assert_array_equal(kept, start)
    monkeypatch.undo()
    moved = small_model(updates=200).fit(gaussian[0])
    assert not all(np.array_equal(kept, start) for kept, start
                   in zip(moved.denoiser_.get_weights(), initial.get_weights()))


def test_gaussian_rule_and_whitening():
    assert use_gaussian_part(200, 4) and use_gaussian_part(120, 6)
    assert not use_gaussian_part(106, 30)  # WDBC's malignant training rows
    X = np.random.default_rng(0).multivariate_normal([0, 1, 2], [[1, .8, 0], [.8, 1, 0],
                                                               [0, 0, 4]], 500)
    mean, whiten, color = whitening(X, True)
    white = (X - mean) @ whiten
    # Ledoit-Wolf's shrinkage leaves a little of the correlation (measured: 0.06).
    np.testing.assert_allclose(np.cov(white.T, bias=True), np.eye(3), atol=0.1)
    np.testing.assert_allclose(white @ color + mean, X, atol=1e-8)
    mean, whiten, color = whitening(X, False)
    assert not mean.any() and (whiten == np.eye(3)).all() and (color == np.eye(3)).all()
    # The rule and the overrides, fitted (on the Gaussian table: ``trained.gaussian_`` by rule
    # and ``gaussian=False`` overriding it, in test_history_and_loss_falls).
    wide = pd.DataFrame(np.random.default_rng(0).standard_normal((50, 10)),
                        columns=[f"x{i}" for i in range(10)])
    assert not small_model(updates=1).fit(wide).gaussian_
    assert small_model(updates=1, gaussian=True).fit(wide).gaussian_


def test_rules():
    assert default_updates(20) == MIN_UPDATES
    assert default_updates(150) == 1500
    assert default_updates(106) == 1060  # WDBC's malignant training rows
    assert default_updates(10**6) == MAX_UPDATES
    alpha_bars = cosine_alpha_bars(100)
    assert alpha_bars[0] > 0.99 and alpha_bars[-1] < 1e-3  # from nearly clean to pure noise
    assert np.all(np.diff(alpha_bars) < 0)


def test_small_class_and_few_updates_warn():
    rows = correlated_gaussian(20, seed=0)
    with pytest.warns(SmallClassWarning), pytest.warns(FewUpdatesWarning):
        generator = small_model(updates=5, batch_size=32).fit(rows)
    assert generator.batch_size_ == 20 and generator.n_updates_ == 5


def test_registered_and_refuses_bad_settings(gaussian):
    assert isinstance(get_generator("tab-ddpm"), TabularDiffusion)
    with pytest.raises(ValueError, match="one class"):
        small_model().fit(gaussian[0], y=np.arange(N_ROWS) % 2)
    for bad, match in [({"batch_size": 0}, "batch_size"), ({"updates": 0}, "updates"),
                       ({"timesteps": 1}, "timesteps"), ({"gaussian": "yes"}, "gaussian")]:
        with pytest.raises(ValueError, match=match):
            small_model(**bad).fit(gaussian[0])
