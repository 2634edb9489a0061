"""Notebook 03's GAN, in one place: the engine the toolkit trains with
(:mod:`tabaug.generators.gan`: build, compile, train, generate), :func:`fit_gan`, which does
in one call what notebook 03 writes cell by cell, and :class:`GANOversampler`, the toolkit's
over-sampler with the paper's seeding.

Notebook 03 checks that its own cells train the same weights and rows as this code.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tabaug.generators.base import keras_seeds
from tabaug.generators.gan import (
    CHECKPOINT_SECONDS,
    GAN,
    HISTORY_COLUMNS,
    LOSSES,
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    PAPER_LEARNING_RATE,
    WassersteinGAN,
    build_discriminator,
    build_generator,
    check_batch_size,
    check_loss,
    compile_gan,
    few_updates_warning,
    generate_rows,
    load_checkpoint,
    one_thread_per_operation,
    paper_noise_dim,
    save_checkpoint,
    saved_epochs,
    train_gan,
)
from tabaug.sampling.gan_oversampler import GANOversampler as ToolkitGANOversampler
from tabaug.sampling.oversampler import GenerativeOverSampler

__all__ = [
    "CHECKPOINT_SECONDS", "FittedGAN", "GAN", "GANOversampler", "HISTORY_COLUMNS", "LOSSES",
    "PAPER_BATCH_SIZE",
    "PAPER_DISCRIMINATOR_UNITS", "PAPER_EPOCHS", "PAPER_GENERATOR_UNITS", "PAPER_LEARNING_RATE",
    "WassersteinGAN", "build_discriminator", "build_generator", "compile_gan",
    "few_updates_warning", "fit_gan", "generate_rows", "load_checkpoint",
    "one_thread_per_operation", "paper_noise_dim", "save_checkpoint", "saved_epochs",
    "train_gan",
]


@dataclass
class FittedGAN:
    """A trained GAN and its training history (see :data:`HISTORY_COLUMNS`)."""

    gan: GAN
    history: pd.DataFrame


def fit_gan(X, seed=42, noise_dim=None, generator_units=PAPER_GENERATOR_UNITS,
            discriminator_units=PAPER_DISCRIMINATOR_UNITS, learning_rate=PAPER_LEARNING_RATE,
            epochs=PAPER_EPOCHS, batch_size=PAPER_BATCH_SIZE, checkpoint_path=None,
            progress=False, loss="bce", activation="selu", output_activation="sigmoid",
            critic_steps=5, linear_input=True,
            checkpoint_seconds=CHECKPOINT_SECONDS) -> FittedGAN:
    """Seed, build, compile and train a GAN on ``X`` in one call (notebook 03 does it step by step).

    One seed stream (:func:`~tabaug.generators.base.keras_seeds`) gives every layer its initial
    weights, generator first, and ``seed`` draws the minibatches and noise: the same ``seed``
    trains the same GAN, and no global random state is touched. ``output_activation`` is the
    generator's (sigmoid for rows in [0, 1], ``None`` for standardized rows).
    """
    X = np.asarray(X, dtype="float32")
    check_batch_size(len(X), batch_size)
    check_loss(loss)
    n_features = X.shape[1]
    noise_dim = paper_noise_dim(n_features) if noise_dim is None else noise_dim
    seeds = keras_seeds(seed)
    generator = build_generator(n_features, noise_dim, generator_units, activation,
                                output_activation, seeds)
    discriminator = build_discriminator(n_features, discriminator_units, activation,
                                        "sigmoid" if loss == "bce" else None, linear_input, seeds)
    gan = compile_gan(generator, discriminator, learning_rate, loss, critic_steps)
    history = train_gan(gan, X, epochs, batch_size, seed, checkpoint_path, progress,
                        checkpoint_seconds)
    return FittedGAN(gan, history)


class PaperSeededOverSampler(GenerativeOverSampler):
    """:class:`~tabaug.sampling.oversampler.GenerativeOverSampler` seeded as the course teaches:
    with an int ``random_state``, class number ``i`` of ``sampling_strategy_`` is trained with
    ``random_state + i``, so that WDBC's one over-sampled class gets ``random_state`` itself,
    the seed of notebook 03's GAN."""

    def _class_seeds(self, targets, classes):
        if isinstance(self.random_state, numbers.Integral):
            order = list(self.sampling_strategy_)
            return {label: int(self.random_state) + order.index(label) for label in targets}
        return super()._class_seeds(targets, classes)


class GANOversampler(ToolkitGANOversampler):
    """The toolkit's :class:`~tabaug.sampling.gan_oversampler.GANOversampler` with the paper's
    seeding, the course's: with an int ``random_state``, class number ``i`` is trained with
    seed ``random_state + i``, and its rows equal those of notebook 03's step-by-step GAN
    with that seed. (The toolkit draws each class's seed from ``numpy.random.SeedSequence``
    instead, so that a study's ``seed + split`` never gives two classes of neighbouring
    splits the same seed; with one seed per notebook, the course has no such neighbours.)
    Its parameters are the toolkit's.
    """

    def _oversampler(self):
        return PaperSeededOverSampler(generator=self.gan(),
                                      sampling_strategy=self.sampling_strategy,
                                      random_state=self.random_state)

