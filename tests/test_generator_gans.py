"""Proof that the two GANs of the registry learn: known laws, thresholds that an untrained GAN
and a GAN whose generator loss has the wrong sign both fail.

The numbers in the comments were measured on this machine (seeds 0-2); the thresholds leave a
margin on both sides.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from scipy.stats import ks_2samp

from tabaug.generators import gan as gan_module
from tabaug.generators import get_generator

from generator_checks import numeric_gaps, table_c2st
from known_tables import skewed

#: The paper's game (binary cross-entropy, selu), small: 900 updates on 300 skewed rows.
PAPER = dict(generator_units=(64, 64), discriminator_units=(64, 64), batch_size=32, epochs=100,
             learning_rate=2e-4)
#: The WGAN-GP, small: 900 updates on 200 correlated rows.
WGAN = dict(generator_units=(64, 64), discriminator_units=(64, 64), batch_size=32, epochs=150,
            critic_steps=5, learning_rate=5e-4)


@tf.function(reduce_retracing=True)
def _bce_generator_step_wrong_sign(self, noise):
    """The paper's generator step aiming at label 0: it learns to be spotted."""
    weights = self.generator.trainable_weights
    with tf.GradientTape() as tape:
        p_real = self.discriminator(self.generator(noise, training=True), training=False)
        loss = self.loss_fn(tf.zeros_like(p_real), p_real)
    self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


@tf.function(reduce_retracing=True)
def _wasserstein_generator_step_wrong_sign(self, noise):
    """The WGAN-GP's generator step lowering the critic's score instead of raising it."""
    weights = self.generator.trainable_weights
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(self.discriminator(self.generator(noise, training=True),
                                                 training=False))
    self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


def mean_ks(real, synthetic) -> float:
    """Mean over columns of the Kolmogorov-Smirnov statistic (0: same distribution)."""
    return float(np.mean([ks_2samp(real[c], synthetic[c]).statistic for c in real.columns]))


@pytest.fixture(scope="module")
def skewed_rows():
    return skewed(300, seed=0), skewed(300, seed=1)


def paper_ks(rows, **changes):
    train, fresh = rows
    generator = get_generator("paper-gan", random_state=0, **{**PAPER, **changes}).fit(train)
    return mean_ks(fresh, generator.sample(len(fresh)))


def wgan_scores(rows, **changes):
    train, fresh = rows
    generator = get_generator("wgan-gp", **{"random_state": 0, **WGAN, **changes}).fit(train)
    synthetic = generator.sample(len(fresh))
    return table_c2st(fresh, synthetic), numeric_gaps(fresh, synthetic)["correlation"]


# Measured mean KS against fresh rows: trained 0.31-0.48; untrained (1 epoch) 0.92; wrong
# sign 1.00. The paper's game learns the skewed marginals only roughly in 900 updates.
PAPER_KS_MAX = 0.65


def test_the_papers_gan_learns_skewed_marginals(skewed_rows):
    assert paper_ks(skewed_rows) <= PAPER_KS_MAX


def test_an_untrained_papers_gan_fails_the_same_threshold(skewed_rows):
    assert paper_ks(skewed_rows, epochs=1) > PAPER_KS_MAX


def test_the_papers_gan_with_a_wrong_sign_fails(skewed_rows, monkeypatch):
    monkeypatch.setattr(gan_module.GAN, "generator_step", _bce_generator_step_wrong_sign)
    assert paper_ks(skewed_rows) > PAPER_KS_MAX


# Measured: trained C2ST 0.78-0.80, correlation gap 0.06; untrained C2ST 0.95, correlation gap
# 1.2; wrong sign C2ST 1.00 (constant columns: no correlation at all).
WGAN_C2ST_MAX, WGAN_CORRELATION_GAP_MAX = 0.88, 0.3


def test_the_wgan_gp_learns_correlated_columns(gaussian):
    """The median over three seeds: one seed's run can end away from the law. On one machine
    (AVX-512) seed 0 ended with its first column's mean 1 off (C2ST 0.97, where an earlier
    machine measured 0.78-0.80), seeds 1 and 2 at 0.76 and 0.74: a GAN's outcome depends on
    its seed and on the float arithmetic of the machine, which one seed cannot show."""
    scores = np.array([wgan_scores(gaussian, random_state=seed) for seed in (0, 1, 2)])
    c2st, correlation_gap = np.median(scores, axis=0)
    assert c2st <= WGAN_C2ST_MAX and correlation_gap <= WGAN_CORRELATION_GAP_MAX


def test_an_untrained_wgan_gp_fails_the_same_thresholds(gaussian):
    c2st, correlation_gap = wgan_scores(gaussian, epochs=1)
    assert c2st > WGAN_C2ST_MAX and correlation_gap > WGAN_CORRELATION_GAP_MAX


@pytest.mark.filterwarnings("ignore:All-NaN slice:RuntimeWarning")  # its columns come out constant
def test_the_wgan_gp_with_a_wrong_sign_fails(gaussian, monkeypatch):
    monkeypatch.setattr(gan_module.WassersteinGAN, "generator_step",
                        _wasserstein_generator_step_wrong_sign)
    c2st, correlation_gap = wgan_scores(gaussian)
    assert c2st > WGAN_C2ST_MAX and not correlation_gap <= WGAN_CORRELATION_GAP_MAX
