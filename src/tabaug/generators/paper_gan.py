"""The paper's GAN as a generator of table rows (the default of ``GANOversampler``).

The networks, game and loop are :mod:`tabaug.generators.gan`'s, which notebook 03 writes cell by
cell: a fully connected generator and discriminator trained on one class's rows. This class adds
what a real table needs: every column type (through :mod:`tabaug.generators.columns`), a minibatch
that shrinks for a small class (with a warning), a warning when training is too short to learn, and
checkpoints whose file name is a code of the data and settings, so that the folds of a
cross-validation, or parallel jobs, never meet each other's checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
from pathlib import Path

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from tabaug.generators.base import (
    TabularGenerator,
    keras_seeds,
    minibatch_size,
    warn_few_updates,
)
from tabaug.generators.gan import (
    LOSSES,
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    PAPER_LEARNING_RATE,
    build_discriminator,
    build_generator,
    check_loss,
    compile_gan,
    fingerprint,
    paper_noise_dim,
    saved_epochs,
    train_gan,
)
from tabaug.generators.networks import SCALINGS, ScaledNumeric, numeric_output_activation

#: With ``epochs=None``, train as many epochs as give about this many generator updates.
TARGET_UPDATES = 1000


class PaperGAN(TabularGenerator):
    """The paper's GAN, learning the rows of one class.

    The defaults are the paper's code: noise of half the number of encoded columns, a generator
    with selu layers of 100-500 units and a sigmoid output, a discriminator with a linear layer
    then selu layers of 500-100 units, binary cross-entropy, Adam with learning rate 1e-4, 10
    epochs of minibatches of 32 (the last partial one dropped). On WDBC's 106 malignant
    training rows that is 30 generator updates, far too few: fitting warns
    (:class:`~tabaug.generators.base.FewUpdatesWarning`). Categorical columns get a softmax output
    each.

    Parameters
    ----------
    noise_dim : int or None, default=None
        Size of the noise input; None takes the paper's half of the number of encoded columns.
    generator_units, discriminator_units : tuple of int
        Units of the hidden layers.
    epochs, batch_size, learning_rate
        Training settings. ``epochs=None`` trains as many epochs as give about
        :data:`TARGET_UPDATES` generator updates, whatever the number of rows. A class with
        fewer rows than ``batch_size`` trains with minibatches
        of all its rows and warns (:class:`~tabaug.generators.base.SmallClassWarning`).
    linear_input : bool, default=True
        Start the discriminator with a linear layer, as the paper's code does.
    activation : str, default="selu"
        Activation of the hidden layers (a Keras name, e.g. "leaky_relu").
    loss : {"bce", "wgan-gp"}, default="bce"
        The paper's binary cross-entropy game, or the Wasserstein loss with gradient penalty.
    critic_steps : int, default=5
        Critic steps per generator step (``loss="wgan-gp"`` only).
    scaling : {"minmax", "log", "quantile"}, default="minmax"
        How the numeric columns are given to the networks
        (:data:`tabaug.generators.networks.SCALINGS`).
    checkpoint_dir : str, path or None, default=None
        Save the training state in this folder (after the last epoch, and every
        :data:`tabaug.generators.gan.CHECKPOINT_SECONDS` seconds during training) and resume from it
        when the same data, settings and seed are trained again; the file name is a code of those.
    verbose : bool, default=False
        Show a progress bar of the epochs.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the minibatches and the noise.

    Attributes
    ----------
    generator_, discriminator_ : keras.Model
        The trained networks.
    history_ : pandas.DataFrame
        Losses and the discriminator's mean outputs at every generator update
        (:data:`tabaug.generators.gan.HISTORY_COLUMNS`).
    checkpoint_path_ : pathlib.Path or None
        The checkpoint file this fit used.
    """

    uses_tensorflow = True

    _parameter_constraints: dict = {
        **TabularGenerator._parameter_constraints,
        "noise_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "generator_units": ["array-like"],
        "discriminator_units": ["array-like"],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "linear_input": ["boolean"],
        "activation": [str],
        "loss": [StrOptions(set(LOSSES))],
        "critic_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "scaling": [StrOptions(set(SCALINGS))],
        "checkpoint_dir": [str, os.PathLike, None],
        "verbose": ["boolean"],
    }

    def __init__(self, *, noise_dim=None, generator_units=PAPER_GENERATOR_UNITS,
                 discriminator_units=PAPER_DISCRIMINATOR_UNITS, epochs=PAPER_EPOCHS,
                 batch_size=PAPER_BATCH_SIZE, learning_rate=PAPER_LEARNING_RATE,
                 linear_input=True, activation="selu", loss="bce", critic_steps=5,
                 scaling="minmax", checkpoint_dir=None, verbose=False, random_state=None):
        self.noise_dim = noise_dim
        self.generator_units = generator_units
        self.discriminator_units = discriminator_units
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.linear_input = linear_input
        self.activation = activation
        self.loss = loss
        self.critic_steps = critic_steps
        self.scaling = scaling
        self.checkpoint_dir = checkpoint_dir
        self.verbose = verbose
        self.random_state = random_state

    def _fit_encoded(self, Z, layout, y, seed):
        check_loss(self.loss)
        if self.scaling not in SCALINGS:
            raise ValueError(f"Unknown scaling {self.scaling!r}: use one of "
                             f"{', '.join(map(repr, SCALINGS))}.")
        self.scaler_ = ScaledNumeric(self.scaling, layout).fit(Z)
        rows = self.scaler_.transform(Z)
        batch_size = minibatch_size(len(rows), self.batch_size, "The GAN's training data")
        gan = self._build(layout, seed)
        self.checkpoint_path_ = self._checkpoint_path(gan, rows, batch_size, seed)
        self.epochs_ = self._epochs(len(rows), batch_size)
        self.history_ = train_gan(gan, rows, self.epochs_, batch_size, seed,
                                  self.checkpoint_path_, progress=self.verbose)
        self.generator_, self.discriminator_ = gan.generator, gan.discriminator
        warn_few_updates(len(self.history_), f"{type(self).__name__}'s generator")

    def _build(self, layout, seed):
        width = layout.width
        noise_dim = paper_noise_dim(width) if self.noise_dim is None else int(self.noise_dim)
        seeds = keras_seeds(seed)
        generator = build_generator(width, noise_dim, tuple(self.generator_units),
                                    self.activation, numeric_output_activation(self.scaling),
                                    seeds, layout)
        discriminator = build_discriminator(width, tuple(self.discriminator_units),
                                            self.activation,
                                            "sigmoid" if self.loss == "bce" else None,
                                            self.linear_input, seeds)
        return compile_gan(generator, discriminator, self.learning_rate, self.loss,
                           self.critic_steps)

    def _checkpoint_path(self, gan, rows, batch_size, seed):
        """A file named by the data, settings and seed, or None: a checkpoint that has already
        trained more epochs than asked for cannot give this run, so it is left alone."""
        if self.checkpoint_dir is None:
            return None
        settings = {name: value for name, value in self.get_params().items()
                    if name not in ("epochs", "verbose", "checkpoint_dir", "random_state")}
        key = json.dumps([fingerprint(gan, rows, batch_size, seed), settings], sort_keys=True,
                         default=str)
        code = hashlib.sha256(key.encode()).hexdigest()[:16]
        path = Path(self.checkpoint_dir) / f"{type(self).__name__}-{code}.npz"
        if path.exists() and saved_epochs(path) > self._epochs(len(rows), batch_size):
            return None
        return path

    def _epochs(self, n_rows, batch_size):
        if self.epochs is not None:
            return int(self.epochs)
        return -(-TARGET_UPDATES // (n_rows // batch_size))  # ceil

    def _sample_encoded(self, n_samples, y, rng):
        noise = rng.standard_normal((n_samples, self.generator_.input_shape[-1]))
        rows = np.asarray(self.generator_(noise.astype("float32"), training=False),
                          dtype="float64")
        return self.scaler_.inverse_transform(rows)


__all__ = ["LOSSES", "PaperGAN", "TARGET_UPDATES"]
