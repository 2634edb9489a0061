"""CTGAN's mode-specific normalisation (tabaug.generators.modes): it finds a column's modes,
gives back the rows it encodes, and the conditional GAN trains on it and keeps the types."""

import numpy as np
import pytest

from tabaug.generators.columns import Layout, TableEncoder
from tabaug.generators.conditional_gan import ConditionalGAN
from tabaug.generators.modes import ROWS_PER_MODE, ModeSpecific

from known_tables import mixed_types, two_clusters


def encoded(frame):
    encoder = TableEncoder().fit(frame)
    return encoder, encoder.transform(frame)


def test_two_clusters_give_two_modes_at_their_centres():
    frame = two_clusters(seed=0)
    encoder, Z = encoded(frame)
    modes = ModeSpecific(encoder.layout_).fit(Z)
    for j, (weights, means, _) in enumerate(modes.modes_):
        assert len(weights) == 2 and weights.sum() == pytest.approx(1.0)
        cluster = (Z[:, j] > 0.5)  # the two clusters lie apart on every column
        centres = sorted([Z[cluster, j].mean(), Z[~cluster, j].mean()])
        np.testing.assert_allclose(np.sort(means), centres, atol=0.03)


def test_rows_come_back_and_the_layout_has_a_block_per_mode():
    frame = mixed_types(120, seed=0)
    encoder, Z = encoded(frame)
    modes = ModeSpecific(encoder.layout_).fit(Z)
    W = modes.transform(Z)
    network = modes.network_layout_
    assert W.shape[1] == network.width and network.n_numeric == encoder.layout_.n_numeric
    n_modes = [len(weights) for weights, _, _ in modes.modes_]
    assert network.block_sizes == n_modes + encoder.layout_.block_sizes
    for start, stop in network.blocks:
        assert (W[:, start:stop].sum(axis=1) == 1).all()  # one-hot: a mode or a category
    assert np.abs(W[:, :network.n_numeric]).max() <= 0.99
    np.testing.assert_allclose(modes.inverse_transform(W), Z, atol=1e-6)


def test_a_small_column_gets_one_mode_per_ten_rows():
    Z = np.r_[np.zeros(12), np.ones(13)].reshape(-1, 1) * 0.5 + np.linspace(0, 0.01, 25)[:, None]
    modes = ModeSpecific(Layout(n_numeric=1)).fit(Z)
    assert len(modes.modes_[0][0]) <= len(Z) // ROWS_PER_MODE
    few = ModeSpecific(Layout(n_numeric=1)).fit(Z[:9])
    assert len(few.modes_[0][0]) == 1


def test_the_conditional_gan_trains_on_modes_and_keeps_the_types():
    frame = mixed_types(120, seed=0)
    y = np.where(frame["group"] == "c", "rare", "common")
    generator = ConditionalGAN(updates=20, generator_units=(16,), critic_units=(16,),
                               critic_steps=1, scaling="modes", random_state=0).fit(frame, y)
    assert generator.scaling_ == "modes"
    width = generator.numeric_.network_layout_.width
    assert generator.generator_.output_shape[-1] == width
    rows = generator.sample(50, y="rare", random_state=0)
    assert rows.dtypes.equals(frame.dtypes)
    assert rows["value"].between(frame["value"].min(), frame["value"].max()).all()
