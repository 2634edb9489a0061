"""Tests of :class:`tabaug.generators.vae.TabularVAE` (TVAE, Xu et al. 2019).

Proof that it learns: on tables of known law, a small trained VAE makes rows that a two-sample
test can hardly tell from fresh rows of the law, with the law's moments; the same VAE untrained,
or trained with the sign of its KL or reconstruction term flipped, fails the same thresholds.
The networks are small (two layers of 64 units, 900 updates) to keep the file fast.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from tabaug.generators import FewUpdatesWarning, SmallClassWarning, get_generator
from tabaug.generators.vae import HISTORY_COLUMNS, TabularVAE

from generator_checks import assert_mixed_types_kept, learned
from known_tables import correlated_gaussian, mixed_types, two_clusters

N_ROWS = 200
SMALL = {"hidden_units": (64, 64), "batch_size": 32, "epochs": 150}


def small_vae(cls=TabularVAE, **params):
    return cls(**{**SMALL, "random_state": 0, **params})


class FlippedKL(TabularVAE):
    """Pushes the latent Gaussians away from N(0, I) instead of towards it."""

    def _objective(self, numeric, categorical, kl):
        return numeric + categorical - self.beta * kl


class FlippedReconstruction(TabularVAE):
    """Makes the decoded rows as unlike the rows as it can."""

    def _objective(self, numeric, categorical, kl):
        return -(numeric + categorical) + self.beta * kl


@pytest.fixture(scope="module")
def trained(gaussian):
    return small_vae().fit(gaussian[0])


@pytest.fixture(scope="module")
def mixed():
    table = mixed_types(N_ROWS, seed=0)
    return table, small_vae().fit(table)


# --- it learns -------------------------------------------------------------------------------
# Measured with SMALL, random_state 0 (and 1): trained c2st 0.485 (0.477), largest gap 0.06
# (0.11); untrained (epochs=1) 0.793 (0.799), correlation gap 0.82 (0.90); KL flipped 0.961
# (0.982), mean gap 1.2 (1.7), or a diverged loss with smaller networks; reconstruction flipped
# 1.0, mean gap 3.2. Fresh rows against the training rows: 0.498, largest gap 0.09.
GAUSSIAN_C2ST, GAUSSIAN_GAP = 0.60, 0.25


def test_learns_correlated_gaussian(gaussian, trained):
    assert learned(gaussian[1], trained.sample(N_ROWS), GAUSSIAN_C2ST, GAUSSIAN_GAP)


def test_untrained_fails(gaussian):
    untrained = small_vae(epochs=1).fit(gaussian[0])  # 6 updates
    assert not learned(gaussian[1], untrained.sample(N_ROWS), GAUSSIAN_C2ST, GAUSSIAN_GAP)


@pytest.mark.parametrize("cls", [FlippedKL, FlippedReconstruction])
def test_flipped_loss_fails(gaussian, cls):
    try:
        rows = small_vae(cls).fit(gaussian[0]).sample(N_ROWS)
    except FloatingPointError:  # the flipped KL term can overflow: no rows at all
        return
    assert not learned(gaussian[1], rows, GAUSSIAN_C2ST, GAUSSIAN_GAP)


def test_learns_two_clusters():
    generator = small_vae().fit(two_clusters(N_ROWS, seed=0))
    rows = generator.sample(N_ROWS)
    # Measured (random_state 0, 1): c2st 0.666, 0.685; largest gap 0.08, 0.10; 5% and 8% of
    # the rows in the empty middle between the clusters, where the law has about 0.3%.
    assert learned(two_clusters(N_ROWS, seed=1), rows, 0.75, 0.25)
    assert ((rows[["a", "b"]].abs() < 0.75).all(axis=1)).mean() < 0.15


def test_learns_mixed_types(mixed):
    table, generator = mixed
    rows = generator.sample(N_ROWS)
    # Measured (random_state 0, 1): c2st 0.597, 0.614; largest gap 0.39, 0.20.
    assert learned(mixed_types(N_ROWS, seed=1), rows, 0.70, 0.55)
    # The category sets the mean of value: -2, 0, 3 (measured -1.9, 0.1, 2.6).
    means = rows.groupby("group", observed=True)["value"].mean()
    assert means["a"] < -1 < means["b"] < 1.5 < means["c"]


# --- column types --------------------------------------------------------------------------------
def test_types_kept(mixed):
    table, generator = mixed
    rows = generator.sample(300)
    assert_mixed_types_kept(table, rows)


# --- seeds, clone, pickle ------------------------------------------------------------------------
def test_same_seed_same_rows(gaussian, trained):
    again = small_vae().fit(gaussian[0])
    pd.testing.assert_frame_equal(trained.sample(50, random_state=1),
                                  again.sample(50, random_state=1))
    pd.testing.assert_frame_equal(trained.history_, again.history_)


def test_different_seed_different_rows(gaussian, trained):
    other = small_vae(random_state=1).fit(gaussian[0])
    assert not np.allclose(trained.sample(50, random_state=1), other.sample(50, random_state=1))


def test_clone_and_pickle(gaussian, trained):
    copy = clone(trained)
    assert copy.get_params() == trained.get_params()
    assert not hasattr(copy, "decoder_network_")
    restored = pickle.loads(pickle.dumps(trained))
    pd.testing.assert_frame_equal(restored.sample(50, random_state=3),
                                  trained.sample(50, random_state=3))
    # The pickled sampling stream continues where the original's was.
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(trained)).sample(20),
                                  pickle.loads(pickle.dumps(trained)).sample(20))


def test_sample_twice_gives_new_rows(trained):
    first, second = trained.sample(30), trained.sample(30)
    assert not np.allclose(first, second)


# --- training record and rules -------------------------------------------------------------------
def test_history_and_rules(gaussian, trained):
    history = trained.history_
    assert list(history.columns) == HISTORY_COLUMNS
    assert len(history) == trained.n_updates_ == SMALL["epochs"] * (N_ROWS // 32)
    assert history["step"].tolist() == list(range(1, len(history) + 1))
    assert np.isfinite(history.drop(columns=["epoch", "step"]).to_numpy()).all()
    # The loss falls: the last 50 updates well below the first 50.
    assert history["loss"].tail(50).mean() < history["loss"].head(50).mean() - 1.0
    assert trained.sigma_.shape == (4,)
    assert trained.latent_dim_ == 4  # by default as wide as the encoded rows


def test_small_class_and_few_updates_warn():
    rows = correlated_gaussian(20, seed=0)
    with pytest.warns(SmallClassWarning), pytest.warns(FewUpdatesWarning):
        generator = small_vae(epochs=2).fit(rows)
    assert generator.batch_size_ == 20 and generator.n_updates_ == 2


def test_categories_only():
    table = mixed_types(N_ROWS, seed=0)[["group", "flag", "label"]]
    generator = small_vae(epochs=20).fit(table)
    rows = generator.sample(100)
    assert generator.sigma_.shape == (0,)
    assert (rows.dtypes == table.dtypes).all()
    assert rows["group"].nunique() > 1


def test_registered_and_refuses_several_classes(gaussian):
    assert isinstance(get_generator("tvae"), TabularVAE)
    with pytest.raises(ValueError, match="one class"):
        small_vae().fit(gaussian[0], y=np.arange(N_ROWS) % 2)
    with pytest.raises(ValueError, match="batch_size"):
        small_vae(batch_size=0).fit(gaussian[0])
