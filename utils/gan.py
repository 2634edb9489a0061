"""The paper's GAN for tabular rows, in Keras 3: build, compile, train with checkpoints, generate.

Notebook 03 shows this code cell by cell; :class:`utils.GANOversampler` runs the same functions.
Training uses two explicit optimizers and explicit weight lists (the Keras 3 way of
keras-io's GAN examples) instead of the Keras 2 "freeze the discriminator, then compile the
stacked model" pattern, which in Keras 3 can silently stop the discriminator from learning.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers
from tqdm.auto import tqdm

from utils.errors import CheckpointError

#: Units of the generator's hidden layers in the paper's code: it widens towards the output.
PAPER_GENERATOR_UNITS = (100, 200, 300, 400, 500)
#: Units of the discriminator's selu hidden layers in the paper's code: it narrows towards the output.
PAPER_DISCRIMINATOR_UNITS = (500, 400, 300, 200, 100)
PAPER_EPOCHS = 10
PAPER_BATCH_SIZE = 32
PAPER_LEARNING_RATE = 1e-4


def paper_noise_dim(n_features: int) -> int:
    """The paper's noise size: half the number of features (15 for WDBC's 30), at least 1."""
    return max(1, n_features // 2)


# --- Building ---------------------------------------------------------------------------------
def build_generator(n_features, noise_dim, hidden_units=PAPER_GENERATOR_UNITS, activation="selu"):
    """Map a noise vector to a row of ``n_features`` values in [0, 1] (the min-max scaled range)."""
    generator = keras.Sequential(name="generator")
    generator.add(keras.Input(shape=(noise_dim,), name="noise"))
    for units in hidden_units:
        generator.add(layers.Dense(units, activation=activation))
    generator.add(layers.Dense(n_features, activation="sigmoid", name="row"))
    return generator


def build_discriminator(n_features, hidden_units=PAPER_DISCRIMINATOR_UNITS, activation="selu"):
    """Map a row to the probability that it is real rather than generated."""
    discriminator = keras.Sequential(name="discriminator")
    discriminator.add(keras.Input(shape=(n_features,), name="row"))
    discriminator.add(layers.Dense(n_features))  # linear, as in the paper's code
    for units in hidden_units:
        discriminator.add(layers.Dense(units, activation=activation))
    discriminator.add(layers.Dense(1, activation="sigmoid", name="p_real"))
    return discriminator


# --- Compiling --------------------------------------------------------------------------------
class GAN:
    """A generator and a discriminator with one optimizer each, and their two training steps.

    Each step computes gradients for, and updates, only its own network's weights, so no
    "freezing" flag is needed and nothing depends on when Keras builds its training functions.
    """

    def __init__(self, generator, discriminator, d_optimizer, g_optimizer, loss_fn):
        self.generator = generator
        self.discriminator = discriminator
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.noise_dim = generator.input_shape[-1]
        self.n_features = generator.output_shape[-1]

    @tf.function(reduce_retracing=True)
    def discriminator_step(self, real_rows, noise):
        """Teach the discriminator: generated rows are labelled 0, real rows 1."""
        fake_rows = self.generator(noise, training=False)
        rows = tf.concat([fake_rows, real_rows], axis=0)
        labels = tf.concat([tf.zeros((tf.shape(fake_rows)[0], 1)),
                            tf.ones((tf.shape(real_rows)[0], 1))], axis=0)
        weights = self.discriminator.trainable_weights
        with tf.GradientTape() as tape:
            loss = self.loss_fn(labels, self.discriminator(rows, training=True))
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    @tf.function(reduce_retracing=True)
    def generator_step(self, noise):
        """Teach the generator to make rows the discriminator labels real (1)."""
        labels = tf.ones((tf.shape(noise)[0], 1))
        weights = self.generator.trainable_weights
        with tf.GradientTape() as tape:
            fake_rows = self.generator(noise, training=True)
            loss = self.loss_fn(labels, self.discriminator(fake_rows, training=False))
        self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss


def compile_gan(generator, discriminator, learning_rate=PAPER_LEARNING_RATE):
    """Give each network its own Adam optimizer and binary cross-entropy loss, as the paper does.

    Two optimizer instances are needed: one Keras 3 optimizer cannot serve two models.
    """
    d_optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    g_optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    # Build the optimizers' slots now, so a checkpoint can restore them before the first step.
    d_optimizer.build(discriminator.trainable_weights)
    g_optimizer.build(generator.trainable_weights)
    return GAN(generator, discriminator, d_optimizer, g_optimizer,
               keras.losses.BinaryCrossentropy())


# --- Training ---------------------------------------------------------------------------------
def check_batch_size(n_rows: int, batch_size: int) -> None:
    """Refuse settings under which training would silently do nothing."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size}.")
    if n_rows < batch_size:
        raise ValueError(
            f"The GAN's training data has {n_rows} rows, fewer than batch_size={batch_size}: "
            "the last partial minibatch is dropped (as in the paper), so every epoch would train "
            f"zero steps. Set batch_size to at most {n_rows}, or provide more rows of this class."
        )


def train_gan(gan, X, epochs=PAPER_EPOCHS, batch_size=PAPER_BATCH_SIZE, seed=42,
              checkpoint_path=None, progress=True):
    """Train ``gan`` on the rows ``X`` and return the losses of every step as a DataFrame.

    The paper's loop: each epoch shuffles the rows, then for every full minibatch trains the
    discriminator, then the generator (a partial last minibatch is dropped). With
    ``checkpoint_path`` the whole state (weights, optimizers, random generator, losses) is saved
    after every epoch, and a rerun resumes after the last saved epoch: the result equals an
    uninterrupted run.
    """
    X = np.asarray(X, dtype="float32")
    check_batch_size(len(X), batch_size)
    n_batches = len(X) // batch_size
    rng = np.random.default_rng(seed)
    fingerprint = _fingerprint(gan, X, batch_size, seed)
    losses, start = [], 0
    if checkpoint_path is not None and Path(checkpoint_path).exists():
        start, losses = load_checkpoint(checkpoint_path, gan, rng, fingerprint, epochs)
    for epoch in tqdm(range(start, epochs), desc="GAN epochs", initial=start, total=epochs,
                      disable=not progress):
        order = rng.permutation(len(X))
        for batch in range(n_batches):
            real_rows = X[order[batch * batch_size:(batch + 1) * batch_size]]
            d_loss = gan.discriminator_step(real_rows, _noise(rng, batch_size, gan.noise_dim))
            g_loss = gan.generator_step(_noise(rng, batch_size, gan.noise_dim))
            losses.append({"epoch": epoch + 1, "step": len(losses) + 1,
                           "d_loss": float(d_loss), "g_loss": float(g_loss)})
        if checkpoint_path is not None:
            save_checkpoint(checkpoint_path, gan, rng, epoch + 1, losses, fingerprint)
    return pd.DataFrame(losses, columns=["epoch", "step", "d_loss", "g_loss"])


def _noise(rng, n_rows, noise_dim):
    return rng.standard_normal((n_rows, noise_dim)).astype("float32")


def generate_rows(generator, n_rows, seed=42):
    """Draw ``n_rows`` new rows from a trained generator (values in the scaled [0, 1] range)."""
    rng = np.random.default_rng([seed, 1])  # a stream of its own, apart from training's
    noise = _noise(rng, n_rows, generator.input_shape[-1])
    return np.asarray(generator(noise, training=False), dtype="float64")


@dataclass
class FittedGAN:
    """A trained GAN and the losses of its training."""

    gan: GAN
    history: pd.DataFrame


def fit_gan(X, seed=42, noise_dim=None, generator_units=PAPER_GENERATOR_UNITS,
            discriminator_units=PAPER_DISCRIMINATOR_UNITS, learning_rate=PAPER_LEARNING_RATE,
            epochs=PAPER_EPOCHS, batch_size=PAPER_BATCH_SIZE, checkpoint_path=None,
            progress=False) -> FittedGAN:
    """Seed, build, compile and train a GAN on ``X`` in one call (notebook 03 does it step by step).

    Seeding calls ``keras.utils.set_random_seed(seed)``, which also seeds Python's and NumPy's
    global generators, so that the initial weights are reproducible.
    """
    X = np.asarray(X, dtype="float32")
    check_batch_size(len(X), batch_size)
    n_features = X.shape[1]
    noise_dim = paper_noise_dim(n_features) if noise_dim is None else noise_dim
    keras.utils.set_random_seed(seed)
    generator = build_generator(n_features, noise_dim, generator_units)
    discriminator = build_discriminator(n_features, discriminator_units)
    gan = compile_gan(generator, discriminator, learning_rate)
    history = train_gan(gan, X, epochs, batch_size, seed, checkpoint_path, progress)
    return FittedGAN(gan, history)


# --- Checkpoints ------------------------------------------------------------------------------
def _fingerprint(gan, X, batch_size, seed):
    """What must match for a checkpoint to be resumed: the data, the settings and the shapes."""
    return {
        "data_sha256": hashlib.sha256(np.ascontiguousarray(X).tobytes()).hexdigest(),
        "batch_size": int(batch_size),
        "seed": int(seed),
        "learning_rate": float(gan.d_optimizer.learning_rate),
        "generator": [list(w.shape) for w in gan.generator.weights],
        "discriminator": [list(w.shape) for w in gan.discriminator.weights],
    }


def _state_variables(gan):
    return {
        "generator": gan.generator.weights,
        "discriminator": gan.discriminator.weights,
        "d_optimizer": gan.d_optimizer.variables,
        "g_optimizer": gan.g_optimizer.variables,
    }


def save_checkpoint(path, gan, rng, epoch, losses, fingerprint):
    """Save the whole training state to ``path`` (written to a temporary file, then renamed,
    so an interruption never leaves a half-written checkpoint)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        f"{group}/{i}": np.asarray(variable)
        for group, variables in _state_variables(gan).items()
        for i, variable in enumerate(variables)
    }
    meta = {"epoch": epoch, "losses": losses, "rng_state": rng.bit_generator.state,
            "fingerprint": fingerprint}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        np.savez(handle, **arrays)
    os.replace(temporary, path)


def load_checkpoint(path, gan, rng, fingerprint, epochs):
    """Restore the state saved by :func:`save_checkpoint` into ``gan`` and ``rng``.

    Returns the number of epochs already trained and the losses so far.
    """
    path = Path(path)
    try:
        with np.load(path) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
        epoch, losses = int(meta["epoch"]), list(meta["losses"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise CheckpointError(
            f"The GAN checkpoint '{path}' is corrupt or unreadable ({type(exc).__name__}: {exc}). "
            "Delete it to train from scratch."
        ) from exc
    if meta.get("fingerprint") != fingerprint:
        raise CheckpointError(
            f"The GAN checkpoint '{path}' was saved for other data or settings (batch size, seed, "
            "learning rate or layer sizes differ). Delete it, or use another output_dir, to "
            "train this GAN from scratch."
        )
    if epoch > epochs:
        raise CheckpointError(
            f"The GAN checkpoint '{path}' has already trained {epoch} epochs, more than the "
            f"epochs={epochs} asked for. Set epochs to at least {epoch}, or delete the checkpoint."
        )
    for group, variables in _state_variables(gan).items():
        for i, variable in enumerate(variables):
            variable.assign(arrays[f"{group}/{i}"])
    rng.bit_generator.state = meta["rng_state"]
    return epoch, losses
