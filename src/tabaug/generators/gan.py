"""GANs for tabular rows, in Keras 3: build, compile, train with checkpoints, generate.

Two GANs share this code: the paper's (binary cross-entropy, :class:`GAN`) and a Wasserstein GAN
with gradient penalty (:class:`WassersteinGAN`), the better GAN of notebook 07. Notebook 03 writes
the paper's GAN by hand, cell by cell, and checks that this code trains it to the same weights and
rows (``tests/test_teach_gan.py`` too); :class:`~tabaug.sampling.GANOversampler` runs the same
functions. Training uses two explicit optimizers and explicit weight lists (the Keras 3 way of
keras-io's GAN examples) instead of the Keras 2 "freeze the discriminator, then compile the stacked
model" pattern, which in Keras 3 can silently stop the discriminator from learning. Each epoch runs
as one compiled TensorFlow graph (:meth:`GAN.train_epoch`), which makes an update faster than
calling Keras' ``train_on_batch`` (``scripts/benchmark_gan.py`` measures by how much on your
machine; README reports a run).
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
import time
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from tabaug.errors import CheckpointError, missing_extra

try:
    import keras
    import tensorflow as tf
except ModuleNotFoundError as error:
    raise missing_extra(error, "gan") from error
from tabaug.generators.base import MIN_UPDATES
from tabaug.generators.networks import dense, table_output

__all__ = [
    "build_discriminator", "build_generator", "check_batch_size", "check_loss",
    "CHECKPOINT_SECONDS", "compile_gan", "epoch_inputs", "few_updates_warning", "fingerprint",
    "GAN", "generate_rows", "HISTORY_COLUMNS", "load_checkpoint", "LOSSES",
    "one_thread_per_operation", "PAPER_BATCH_SIZE", "PAPER_DISCRIMINATOR_UNITS", "PAPER_EPOCHS",
    "PAPER_GENERATOR_UNITS", "PAPER_LEARNING_RATE", "paper_noise_dim", "save_checkpoint",
    "saved_epochs", "train_gan", "WassersteinGAN",
]

#: Units of the generator's hidden layers in the paper's code: it widens towards the output.
PAPER_GENERATOR_UNITS = (100, 200, 300, 400, 500)
#: Units of the discriminator's selu hidden layers in the paper's code: it narrows towards the
#: output.
PAPER_DISCRIMINATOR_UNITS = (500, 400, 300, 200, 100)
PAPER_EPOCHS = 10
PAPER_BATCH_SIZE = 32
PAPER_LEARNING_RATE = 1e-4
#: The two training objectives: the paper's binary cross-entropy, and Wasserstein with gradient
#: penalty (Gulrajani et al., 2017, "Improved training of Wasserstein GANs").
LOSSES = ("bce", "wgan-gp")
#: Seconds of training between two checkpoints of :func:`train_gan` (the last epoch is always
#: saved). Saving takes a few milliseconds, as long as an epoch of a small GAN: saving every
#: epoch made a third of the WGAN-GP's training time in notebook 07.
CHECKPOINT_SECONDS = 10.0


def paper_noise_dim(n_features: int) -> int:
    """The paper's noise size: half the number of features (15 for WDBC's 30), at least 1."""
    return max(1, n_features // 2)


# --- Building ---------------------------------------------------------------------------------
def build_generator(n_features, noise_dim, hidden_units=PAPER_GENERATOR_UNITS, activation="selu",
                    output_activation="sigmoid", seeds=None, layout=None):
    """Map a noise vector to a row of ``n_features`` values.

    The paper's sigmoid output gives values in [0, 1], the min-max scaled range; use
    ``output_activation=None`` (linear) for rows standardized to mean 0 and variance 1.
    ``seeds`` (:func:`tabaug.generators.base.keras_seeds`) makes the initial weights
    reproducible without touching global random state. With a ``layout`` that has categorical
    blocks (:class:`tabaug.generators.columns.Layout`), each block gets a softmax output.
    """
    if layout is not None and layout.blocks:
        noise = keras.Input(shape=(noise_dim,), name="noise")
        hidden = noise
        for units in hidden_units:
            hidden = dense(units, activation, seeds)(hidden)
        return keras.Model(noise, table_output(hidden, layout, output_activation, seeds),
                           name="generator")
    generator = keras.Sequential(name="generator")
    generator.add(keras.Input(shape=(noise_dim,), name="noise"))
    for units in hidden_units:
        generator.add(dense(units, activation, seeds))
    generator.add(dense(n_features, output_activation, seeds, name="row"))
    return generator


def build_discriminator(n_features, hidden_units=PAPER_DISCRIMINATOR_UNITS, activation="selu",
                        output_activation="sigmoid", linear_input=True, seeds=None):
    """Map a row to the probability that it is real rather than generated.

    The paper's code starts with a linear layer of ``n_features`` units (``linear_input``).
    A Wasserstein GAN's discriminator (its "critic") outputs an unbounded score instead of a
    probability: ``output_activation=None``. ``seeds``: as for :func:`build_generator`.
    """
    discriminator = keras.Sequential(name="discriminator")
    discriminator.add(keras.Input(shape=(n_features,), name="row"))
    if linear_input:
        discriminator.add(dense(n_features, None, seeds))  # linear, as in the paper's code
    for units in hidden_units:
        discriminator.add(dense(units, activation, seeds))
    discriminator.add(dense(1, output_activation, seeds, name="p_real"))
    return discriminator


# --- Compiling --------------------------------------------------------------------------------
class GAN:
    """A generator and a discriminator with one optimizer each, and their two training steps.

    Each step computes gradients for, and updates, only its own network's weights, so no
    "freezing" flag is needed and nothing depends on when Keras builds its training functions.
    Both steps return the discriminator's mean output on the real and the generated rows too:
    the numbers to watch during training.
    """

    #: Discriminator steps before each generator step (1 in the paper).
    critic_steps = 1
    #: Whether :meth:`discriminator_step` uses random mixing weights (the gradient penalty does).
    uses_mix = False

    def __init__(self, generator, discriminator, d_optimizer, g_optimizer):
        self.generator = generator
        self.discriminator = discriminator
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = keras.losses.BinaryCrossentropy()
        self.noise_dim = generator.input_shape[-1]
        self.n_features = generator.output_shape[-1]

    @tf.function(reduce_retracing=True)
    def discriminator_step(self, real_rows, noise, mix=None):
        """Teach the discriminator: generated rows are labelled 0, real rows 1."""
        fake_rows = self.generator(noise, training=False)
        rows = tf.concat([fake_rows, real_rows], axis=0)
        labels = tf.concat([tf.zeros((tf.shape(fake_rows)[0], 1)),
                            tf.ones((tf.shape(real_rows)[0], 1))], axis=0)
        weights = self.discriminator.trainable_weights
        with tf.GradientTape() as tape:
            outputs = self.discriminator(rows, training=True)
            loss = self.loss_fn(labels, outputs)
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        n_fake = tf.shape(fake_rows)[0]
        return {"d_loss": loss, "d_real": tf.reduce_mean(outputs[n_fake:]),
                "d_fake": tf.reduce_mean(outputs[:n_fake])}

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

    @tf.function(reduce_retracing=True)
    def train_epoch(self, real_batches, d_noise, g_noise, mix):
        """Run every update of one epoch in one compiled graph and return their statistics.

        For minibatch ``b``: ``critic_steps`` discriminator steps on ``real_batches[b, c]`` and
        ``d_noise[b, c]``, then one generator step on ``g_noise[b]``. Returns one row per
        generator update: discriminator loss, generator loss, and the discriminator's mean
        output on the real and on the generated rows of its last step.
        """
        def update(b):
            for c in range(self.critic_steps):
                d = self.discriminator_step(real_batches[b, c], d_noise[b, c], mix[b, c])
            g_loss = self.generator_step(g_noise[b])
            return tf.stack([d["d_loss"], g_loss, d["d_real"], d["d_fake"]])

        # The steps' results stay inside update(): AutoGraph would otherwise carry them as loop
        # variables, undefined before the loop, and trace the whole body twice to type them.
        n_updates = tf.shape(g_noise)[0]
        stats = tf.TensorArray(tf.float32, size=n_updates)
        for b in tf.range(n_updates):
            stats = stats.write(b, update(b))
        return stats.stack()


class WassersteinGAN(GAN):
    """A Wasserstein GAN with gradient penalty (WGAN-GP): a better-behaved game than the paper's.

    The discriminator (a "critic") scores rows instead of classifying them: it learns to score
    real rows high and generated rows low, and the gap estimates how far apart the two
    distributions are. The generator learns to raise its rows' scores. A penalty keeps the
    critic's gradient norm near 1 on rows mixed between real and generated ones, which keeps
    its scores meaningful; the critic takes several steps per generator step.
    """

    uses_mix = True

    def __init__(self, generator, discriminator, d_optimizer, g_optimizer, critic_steps=5,
                 gradient_penalty=10.0):
        super().__init__(generator, discriminator, d_optimizer, g_optimizer)
        self.critic_steps = int(critic_steps)
        self.gradient_penalty = float(gradient_penalty)

    @tf.function(reduce_retracing=True)
    def discriminator_step(self, real_rows, noise, mix=None):
        """Teach the critic to score real rows above generated ones, with gradient penalty.

        ``mix`` holds one weight in [0, 1] per row: the penalty is computed on
        ``mix * real + (1 - mix) * generated``.
        """
        fake_rows = self.generator(noise, training=False)
        mixed_rows = mix * real_rows + (1.0 - mix) * fake_rows
        weights = self.discriminator.trainable_weights
        with tf.GradientTape() as tape:
            with tf.GradientTape() as inner:
                inner.watch(mixed_rows)
                mixed_scores = self.discriminator(mixed_rows, training=True)
            slopes = tf.norm(inner.gradient(mixed_scores, mixed_rows), axis=1)
            d_real = tf.reduce_mean(self.discriminator(real_rows, training=True))
            d_fake = tf.reduce_mean(self.discriminator(fake_rows, training=True))
            loss = d_fake - d_real + self.gradient_penalty * tf.reduce_mean((slopes - 1.0) ** 2)
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return {"d_loss": loss, "d_real": d_real, "d_fake": d_fake}

    @tf.function(reduce_retracing=True)
    def generator_step(self, noise):
        """Teach the generator to make rows the critic scores high."""
        weights = self.generator.trainable_weights
        with tf.GradientTape() as tape:
            scores = self.discriminator(self.generator(noise, training=True), training=False)
            loss = -tf.reduce_mean(scores)
        self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss


def compile_gan(generator, discriminator, learning_rate=PAPER_LEARNING_RATE, loss="bce",
                critic_steps=5, gradient_penalty=10.0):
    """Give each network its own Adam optimizer, and pick the game the two networks play.

    ``loss="bce"``: the paper's binary cross-entropy with Adam's default momentum.
    ``loss="wgan-gp"``: Wasserstein loss with gradient penalty, ``critic_steps`` critic steps per
    generator step, and Adam with ``beta_1=0.5, beta_2=0.9``, the WGAN-GP paper's settings.
    Two optimizer instances are needed: one Keras 3 optimizer cannot serve two models.
    """
    check_loss(loss)
    betas = {"beta_1": 0.5, "beta_2": 0.9} if loss == "wgan-gp" else {}
    d_optimizer = keras.optimizers.Adam(learning_rate=learning_rate, **betas)
    g_optimizer = keras.optimizers.Adam(learning_rate=learning_rate, **betas)
    # Build the optimizers' slots now, so a checkpoint can restore them before the first step.
    d_optimizer.build(discriminator.trainable_weights)
    g_optimizer.build(generator.trainable_weights)
    if loss == "wgan-gp":
        return WassersteinGAN(generator, discriminator, d_optimizer, g_optimizer, critic_steps,
                              gradient_penalty)
    return GAN(generator, discriminator, d_optimizer, g_optimizer)


def check_loss(loss):
    """Refuse an unknown training objective, naming the known ones."""
    if loss not in LOSSES:
        raise ValueError(f"Unknown GAN loss {loss!r}: use one of {', '.join(map(repr, LOSSES))}.")


# --- Training ---------------------------------------------------------------------------------
def one_thread_per_operation() -> bool:
    """Run TensorFlow's operations on one thread each in this process; True when that holds.

    The networks here are small: two threads sharing one minibatch's matrix product wait for
    each other more than they gain, on a busy machine above all (notebook 03 on two cores ran
    in 38 s instead of 48 s). A process-wide setting, so a notebook calls it, never the
    library. TensorFlow takes it only before its first operation: after that it is left as it
    is and False is returned (a notebook run a second time in one kernel has it set: True).
    """
    if tf.config.threading.get_intra_op_parallelism_threads() == 1:
        return True
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
    except RuntimeError:  # TensorFlow has run an operation already: its setting stays
        return False
    return True


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


#: The columns of a training history: one row per generator update.
HISTORY_COLUMNS = ["epoch", "step", "d_loss", "g_loss", "d_real", "d_fake"]


def train_gan(gan, X, epochs=PAPER_EPOCHS, batch_size=PAPER_BATCH_SIZE, seed=42,
              checkpoint_path=None, progress=True, checkpoint_seconds=CHECKPOINT_SECONDS):
    """Train ``gan`` on the rows ``X`` and return the statistics of every step as a DataFrame.

    The paper's loop: each epoch shuffles the rows, then for every full minibatch trains the
    discriminator, then the generator (a partial last minibatch is dropped). A Wasserstein GAN's
    critic takes ``gan.critic_steps`` steps per minibatch, each on a minibatch of its own
    shuffle. With ``checkpoint_path`` the whole state (weights, optimizers, random generator,
    history) is saved after the last epoch and, during training, after the first epoch that
    ends ``checkpoint_seconds`` or more after the previous save (0: after every epoch, as the
    paper does). A rerun resumes after the last saved epoch: the result equals an uninterrupted
    run, and an interruption loses at most about ``checkpoint_seconds`` of training.
    """
    if isinstance(checkpoint_seconds, bool) or not (
            isinstance(checkpoint_seconds, numbers.Real) and checkpoint_seconds >= 0):
        raise ValueError(f"checkpoint_seconds must be a number >= 0, got {checkpoint_seconds!r}.")
    X = np.asarray(X, dtype="float32")
    check_batch_size(len(X), batch_size)
    rng = np.random.default_rng(seed)
    expected = fingerprint(gan, X, batch_size, seed)
    history, start = [], 0
    if checkpoint_path is not None and Path(checkpoint_path).exists():
        start, history = load_checkpoint(checkpoint_path, gan, rng, expected, epochs)
    saved = time.monotonic()
    for epoch in tqdm(range(start, epochs), desc="GAN epochs", initial=start, total=epochs,
                      disable=not progress):
        stats = gan.train_epoch(*epoch_inputs(gan, X, batch_size, rng)).numpy()
        history += [[epoch + 1, len(history) + i + 1, *map(float, row)]
                    for i, row in enumerate(stats)]
        if checkpoint_path is not None and (
                epoch + 1 == epochs or time.monotonic() - saved >= checkpoint_seconds):
            save_checkpoint(checkpoint_path, gan, rng, epoch + 1, history, expected)
            saved = time.monotonic()
    return pd.DataFrame(history, columns=HISTORY_COLUMNS).astype({"epoch": int, "step": int})


def epoch_inputs(gan, X, batch_size, rng):
    """Draw one epoch's minibatches and noise, in the shapes :meth:`GAN.train_epoch` takes.

    Drawn in NumPy from one seeded generator, so a checkpoint of its state resumes the run
    exactly. The real rows of critic step ``c`` come from shuffle number ``c`` of the epoch.
    """
    n_batches, steps = len(X) // batch_size, gan.critic_steps
    orders = [rng.permutation(len(X))[:n_batches * batch_size].reshape(n_batches, batch_size)
              for _ in range(steps)]
    d_noise, mix, g_noise = [], [], []
    for _ in range(n_batches):
        for _ in range(steps):
            d_noise.append(_noise(rng, batch_size, gan.noise_dim))
            mix.append(rng.random((batch_size, 1), dtype="float32") if gan.uses_mix
                       else np.zeros((batch_size, 1), dtype="float32"))
        g_noise.append(_noise(rng, batch_size, gan.noise_dim))
    real_batches = X[np.stack(orders, axis=1)]  # (n_batches, steps, batch_size, n_features)
    shape = (n_batches, steps, batch_size)
    return (real_batches, np.reshape(d_noise, shape + (gan.noise_dim,)), np.stack(g_noise),
            np.reshape(mix, shape + (1,)))


def few_updates_warning(history, minimum=MIN_UPDATES):
    """A warning text when training made fewer than ``minimum`` generator updates, else None.

    The paper's settings give 30 updates on WDBC (10 epochs of 3 minibatches): far too few for
    the generator to learn what a patient looks like, yet nothing in the losses says so.
    """
    n_updates = len(history)
    if n_updates >= minimum:
        return None
    per_epoch = ""
    if n_updates and "epoch" in history:  # generators that count updates, not epochs, say less
        per_epoch = f" ({history.groupby('epoch').size().max()} per epoch)"
    return (f"Only {n_updates} generator updates{per_epoch}: a GAN rarely learns "
            f"realistic rows in fewer than {minimum}. Train more epochs or use smaller "
            "minibatches, and check the generated rows (tabaug.fidelity.report) before using them.")


def _noise(rng, n_rows, noise_dim):
    return rng.standard_normal((n_rows, noise_dim)).astype("float32")


def generate_rows(generator, n_rows, seed=42):
    """Draw ``n_rows`` new rows from a trained generator (values in the scaled [0, 1] range)."""
    rng = np.random.default_rng([seed, 1])  # a stream of its own, apart from training's
    noise = _noise(rng, n_rows, generator.input_shape[-1])
    return np.asarray(generator(noise, training=False), dtype="float64")


# --- Checkpoints ------------------------------------------------------------------------------
def fingerprint(gan, X, batch_size, seed):
    """What must match for a checkpoint to be resumed: the data, the settings and the shapes."""
    return {
        "data_sha256": hashlib.sha256(np.ascontiguousarray(X).tobytes()).hexdigest(),
        "batch_size": int(batch_size),
        "seed": int(seed),
        "learning_rate": float(gan.d_optimizer.learning_rate),
        "game": [type(gan).__name__, gan.critic_steps],
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


def save_checkpoint(path, gan, rng, epoch, history, key):
    """Save the whole training state to ``path`` (written to a temporary file, then renamed,
    so an interruption never leaves a half-written checkpoint)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        f"{group}/{i}": np.asarray(variable)
        for group, variables in _state_variables(gan).items()
        for i, variable in enumerate(variables)
    }
    meta = {"epoch": epoch, "history": history, "rng_state": rng.bit_generator.state,
            "fingerprint": key}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    # A name of its own per writer: parallel folds that train the same GAN never share one.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    with open(temporary, "wb") as handle:
        np.savez(handle, **arrays)
    os.replace(temporary, path)


def saved_epochs(path) -> int:
    """How many epochs the checkpoint at ``path`` has trained (see :func:`load_checkpoint`)."""
    return _read_checkpoint(path)[1]["epoch"]


def _read_checkpoint(path):
    path = Path(path)
    try:
        with np.load(path) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
        meta["epoch"], meta["history"] = int(meta["epoch"]), list(meta["history"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise CheckpointError(
            f"The GAN checkpoint '{path}' is corrupt or unreadable ({type(exc).__name__}: {exc}). "
            "Delete it to train from scratch."
        ) from exc
    return arrays, meta


def load_checkpoint(path, gan, rng, key, epochs):
    """Restore the state saved by :func:`save_checkpoint` into ``gan`` and ``rng``.

    Returns the number of epochs already trained and the history so far.
    """
    arrays, meta = _read_checkpoint(path)
    epoch, history = meta["epoch"], meta["history"]
    if meta.get("fingerprint") != key:
        raise CheckpointError(
            f"The GAN checkpoint '{path}' was saved for other data or settings (batch size, seed, "
            "learning rate, loss or layer sizes differ). Delete it, or use another output_dir, to "
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
    return epoch, history
