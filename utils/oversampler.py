"""``GANOversampler``: the paper's GAN, or the better WGAN-GP, as an imbalanced-learn over-sampler.

Because it follows imbalanced-learn's interface (``fit_resample``, ``sampling_strategy``,
``random_state``) it can sit in an :class:`imblearn.pipeline.Pipeline`, so that the GAN is
trained on the training rows of each cross-validation fold only.
"""

from __future__ import annotations

import numbers
import os
from pathlib import Path

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from utils.gan import (
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    PAPER_LEARNING_RATE,
    LOSSES,
    fit_gan,
    generate_rows,
)

#: How rows are scaled for the GAN: the paper's min-max scaling to [0, 1], or "log": min-max,
#: then the log of (value + LOG_OFFSET), then standardized on the class's rows, which makes
#: WDBC's right-skewed features nearly symmetric.
SCALINGS = ("minmax", "log")
LOG_OFFSET = 0.01

#: The project's better GAN (notebook 07): ``GANOversampler(**WGAN_GP_SETTINGS)``. A Wasserstein
#: GAN with gradient penalty on log-scaled rows, with small leaky-ReLU networks and about 1000
#: generator updates on WDBC's 106 training malignant rows. Chosen on the training and
#: validation rows of the seed-42 split only (``scripts/select_better_gan.py``).
WGAN_GP_SETTINGS = {
    "loss": "wgan-gp",
    "scaling": "log",
    "activation": "leaky_relu",
    "noise_dim": 32,
    "generator_units": (128, 128),
    "discriminator_units": (128, 128),
    "linear_input": False,
    "learning_rate": 1e-4,
    "batch_size": 32,
    "epochs": 334,
}


class GANOversampler(BaseOverSampler):
    """Over-sample classes with rows drawn from a GAN trained on that class's rows only.

    The defaults are the paper's GAN: noise of half the number of features, a generator with
    selu layers of 100-500 units, a discriminator with a linear layer then selu layers of
    500-100 units, binary cross-entropy, Adam with learning rate 1e-4, 10 epochs of minibatches
    of 32 with the last partial minibatch dropped. ``GANOversampler(**WGAN_GP_SETTINGS)`` is the
    project's better GAN (see :data:`WGAN_GP_SETTINGS` and notebook 07).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to over-sample and to how many rows, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the GAN's weights, shuffling and noise. With an int, class number ``i`` (in the
        order of ``sampling_strategy_``) is trained with seed ``random_state + i``. Seeding calls
        ``keras.utils.set_random_seed``, which also seeds Python's and NumPy's global generators.
    noise_dim : int or None, default=None
        Size of the generator's noise input; ``None`` takes the paper's ``n_features // 2``.
    generator_units, discriminator_units : tuple of int
        Units of the hidden layers.
    linear_input : bool, default=True
        Start the discriminator with a linear layer of ``n_features`` units, as the paper's code
        does.
    activation : str, default="selu"
        Activation of the hidden layers (a Keras name, e.g. "leaky_relu").
    loss : {"bce", "wgan-gp"}, default="bce"
        The paper's binary cross-entropy game, or a Wasserstein GAN with gradient penalty
        (``critic_steps`` critic steps per generator step, Adam with beta_1=0.5, beta_2=0.9).
    critic_steps : int, default=5
        Critic steps per generator step; used by ``loss="wgan-gp"`` only.
    scaling : {"minmax", "log"}, default="minmax"
        How rows are scaled before training. "minmax" (the paper): to [0, 1], and the generator
        ends in a sigmoid. "log": min-max, then ``log(value + 0.01)``, then standardized on the
        class's rows; the generator's output is linear, and its rows are clipped to the range of
        the given rows when mapped back.
    epochs, batch_size, learning_rate
        Training settings; a class with fewer rows than ``batch_size`` raises an error instead
        of training zero steps.
    checkpoint_dir : str or None, default=None
        Save a checkpoint per class after every epoch, and resume from it when refit.
    verbose : bool, default=False
        Show a progress bar per class.

    Attributes
    ----------
    sampling_strategy_ : dict
        The number of rows generated per class.
    gans_ : dict
        The trained :class:`utils.gan.GAN` per class.
    histories_ : dict
        The training losses (a DataFrame per class).

    Notes
    -----
    The rows are scaled (fitted on all rows given to ``fit_resample``) before training and the
    generated rows are scaled back. With ``scaling="minmax"`` the generator ends in a sigmoid,
    so it makes values in [0, 1]; on data already min-max scaled on the same rows the scaling
    changes nothing. The original rows come first in the output, the generated rows after them.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "noise_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "generator_units": ["array-like"],
        "discriminator_units": ["array-like"],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "activation": [str],
        "linear_input": ["boolean"],
        "loss": [StrOptions(set(LOSSES))],
        "critic_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "scaling": [StrOptions(set(SCALINGS))],
        "checkpoint_dir": [str, os.PathLike, None],
        "verbose": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        noise_dim=None,
        generator_units=PAPER_GENERATOR_UNITS,
        discriminator_units=PAPER_DISCRIMINATOR_UNITS,
        epochs=PAPER_EPOCHS,
        batch_size=PAPER_BATCH_SIZE,
        learning_rate=PAPER_LEARNING_RATE,
        linear_input=True,
        activation="selu",
        loss="bce",
        critic_steps=5,
        scaling="minmax",
        checkpoint_dir=None,
        verbose=False,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
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

    def _check_X_y(self, X, y, accept_sparse=None):
        # A dense network needs dense rows.
        return super()._check_X_y(X, y, accept_sparse=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    def _class_seeds(self):
        if isinstance(self.random_state, numbers.Integral):
            return {label: int(self.random_state) + i
                    for i, label in enumerate(self.sampling_strategy_)}
        random_state = check_random_state(self.random_state)
        return {label: int(random_state.randint(np.iinfo(np.int32).max))
                for label in self.sampling_strategy_}

    def _fit_resample(self, X, y):
        minmax = MinMaxScaler().fit(X)  # the paper's scaling, on all rows
        X_scaled = minmax.transform(X)
        seeds = self._class_seeds()
        X_parts, y_parts = [X], [y]
        self.gans_, self.histories_ = {}, {}
        for label, n_rows in self.sampling_strategy_.items():
            if n_rows == 0:
                continue
            scaler = class_scaler(self.scaling).fit(X_scaled[y == label])
            fitted = fit_gan(
                scaler.transform(X_scaled[y == label]),
                seed=seeds[label],
                noise_dim=self.noise_dim,
                generator_units=tuple(self.generator_units),
                discriminator_units=tuple(self.discriminator_units),
                learning_rate=self.learning_rate,
                loss=self.loss,
                activation=self.activation,
                output_activation="sigmoid" if self.scaling == "minmax" else None,
                critic_steps=self.critic_steps,
                linear_input=self.linear_input,
                epochs=self.epochs,
                batch_size=self.batch_size,
                checkpoint_path=self._checkpoint_path(label),
                progress=self.verbose,
            )
            self.gans_[label], self.histories_[label] = fitted.gan, fitted.history
            generated = generate_rows(fitted.gan.generator, n_rows, seed=seeds[label])
            generated = minmax.inverse_transform(scaler.inverse_transform(generated))
            X_parts.append(generated.astype(X.dtype, copy=False))
            y_parts.append(np.full(n_rows, label, dtype=y.dtype))
        return np.vstack(X_parts), np.concatenate(y_parts)

    def _checkpoint_path(self, label):
        if self.checkpoint_dir is None:
            return None
        return Path(self.checkpoint_dir) / f"gan_class_{label}.npz"


def class_scaler(scaling="minmax"):
    """What ``scaling`` (see :data:`SCALINGS`) does to one class's min-max scaled rows.

    "minmax": nothing. "log": the log of (value + ``LOG_OFFSET``), standardized on the class's
    own rows so that the generator's targets have mean 0 and variance 1; the way back clips to
    [0, 1], the min-max range.
    """
    if scaling == "minmax":
        return FunctionTransformer()
    if scaling == "log":
        log = FunctionTransformer(_log_offset, inverse_func=_exp_offset, check_inverse=False)
        return make_pipeline(log, StandardScaler())
    raise ValueError(f"Unknown scaling {scaling!r}: use one of "
                     f"{', '.join(map(repr, SCALINGS))}.")


def _log_offset(X):
    return np.log(np.clip(X, 0.0, None) + LOG_OFFSET)


def _exp_offset(X):
    # Clipped to [0, 1]: the range of the min-max scaled rows, as the paper's sigmoid keeps it.
    return np.clip(np.exp(X) - LOG_OFFSET, 0.0, 1.0)
