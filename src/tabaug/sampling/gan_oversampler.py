"""The paper's GAN as an over-sampler with flat keyword arguments (the notebooks' form), and
the project's better GAN for WDBC: ``GANOversampler(**WGAN_GP_SETTINGS)``.

Kept apart from :mod:`tabaug.sampling.oversampler` because it imports TensorFlow (the ``gan``
extra); ``from tabaug.sampling import GANOversampler`` loads it when first asked for.
"""

from __future__ import annotations

from imblearn.over_sampling.base import BaseOverSampler

from tabaug.generators.gan import (
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    PAPER_LEARNING_RATE,
)
from tabaug.generators.paper_gan import PaperGAN
from tabaug.sampling.oversampler import GenerativeOverSampler

#: The project's better GAN for WDBC (notebook 07): ``GANOversampler(**WGAN_GP_SETTINGS)``. A
#: Wasserstein GAN with gradient penalty on log-scaled rows, with small leaky-ReLU networks and
#: about 1000 generator updates on WDBC's 106 training malignant rows. Chosen on the training
#: and validation rows of the seed-42 split only (``scripts/select_better_gan.py``). For other
#: tables, ``GenerativeOverSampler(generator="wgan-gp")`` sets its epochs and scaling by rule.
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


class GANOversampler(GenerativeOverSampler):
    """Over-sample classes with rows drawn from a GAN trained on that class's rows only.

    The defaults are the paper's GAN (:class:`~tabaug.generators.paper_gan.PaperGAN`, whose
    parameters these are): noise of half the number of features, a generator with selu layers
    of 100-500 units, a discriminator with a linear layer then selu layers of 500-100 units,
    binary cross-entropy, Adam with learning rate 1e-4, 10 epochs of minibatches of 32. That is
    30 updates on WDBC, too few to learn realistic rows: fitting warns. The notebooks use it to
    show what the paper did; ``GANOversampler(**WGAN_GP_SETTINGS)`` is notebook 07's better GAN,
    and :class:`GenerativeOverSampler` offers every registered generator.

    With an int ``random_state``, class number ``i`` is trained with seed ``random_state + i``,
    and its rows equal those of notebook 03's step-by-step GAN with that seed.

    Examples
    --------
    A small GAN, trained for a few updates only (it warns that they are too few to learn
    realistic rows):

    >>> import numpy as np
    >>> from tabaug.sampling import GANOversampler
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.random((60, 4)), np.r_[np.zeros(45, dtype=int), np.ones(15, dtype=int)]
    >>> sampler = GANOversampler(epochs=5, batch_size=5, generator_units=(16,),
    ...                          discriminator_units=(16,), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)  # doctest: +SKIP
    >>> np.bincount(y_res), X_res.shape  # doctest: +SKIP
    (array([45, 45]), (90, 4))
    >>> sampler.histories_[1].columns.tolist()  # each update's losses  # doctest: +SKIP
    ['epoch', 'step', 'd_loss', 'g_loss', 'd_real', 'd_fake']

    (Skipped by the doctests: training costs seconds of TensorFlow start-up;
    ``tests/test_oversampler.py`` trains it.)
    """

    #: The paper GAN's own constraints, and imbalanced-learn's for ``sampling_strategy``.
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **PaperGAN._parameter_constraints,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, noise_dim=None,
                 generator_units=PAPER_GENERATOR_UNITS,
                 discriminator_units=PAPER_DISCRIMINATOR_UNITS, epochs=PAPER_EPOCHS,
                 batch_size=PAPER_BATCH_SIZE, learning_rate=PAPER_LEARNING_RATE,
                 linear_input=True, activation="selu", loss="bce", critic_steps=5,
                 scaling="minmax", checkpoint_dir=None, verbose=False):
        BaseOverSampler.__init__(self, sampling_strategy=sampling_strategy)
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

    def _generator_template(self):
        settings = self.get_params(deep=False)
        for name in ("sampling_strategy", "random_state"):
            settings.pop(name)
        return PaperGAN(**settings)


__all__ = ["GANOversampler", "WGAN_GP_SETTINGS"]
