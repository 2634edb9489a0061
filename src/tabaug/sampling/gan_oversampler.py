"""The paper's GAN as an over-sampler with flat keyword arguments (the notebooks' form), and
the project's better GAN for WDBC: ``GANOversampler(**WGAN_GP_SETTINGS)``.

Kept apart from :mod:`tabaug.sampling.oversampler` because it imports TensorFlow (the ``gan``
extra); ``from tabaug.sampling import GANOversampler`` loads it when first asked for.
"""

from __future__ import annotations

from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils.validation import check_is_fitted

from tabaug.generators.gan import (
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    PAPER_LEARNING_RATE,
)
from tabaug.generators.paper_gan import PaperGAN
from tabaug.generators.settings import WGAN_GP_SETTINGS
from tabaug.sampling.oversampler import GenerativeOverSampler, table_sampler_tags


class GANOversampler(BaseOverSampler):
    """Over-sample classes with rows drawn from a GAN trained on that class's rows only.

    The defaults are the paper's GAN (:class:`~tabaug.generators.paper_gan.PaperGAN`, whose
    parameters these are): noise of half the number of features, a generator with selu layers
    of 100-500 units, a discriminator with a linear layer then selu layers of 500-100 units,
    binary cross-entropy, Adam with learning rate 1e-4, 10 epochs of minibatches of 32. That is
    30 updates on WDBC, too few to learn realistic rows: fitting warns. The notebooks use it to
    show what the paper did; ``GANOversampler(**WGAN_GP_SETTINGS)`` is notebook 07's better GAN,
    and :class:`GenerativeOverSampler` offers every registered generator.

    It is made by composition: fitting builds a :class:`GenerativeOverSampler` whose generator
    is :meth:`gan`, a :class:`~tabaug.generators.paper_gan.PaperGAN` of these settings
    (``oversampler_``), so the parameters below have one meaning, the paper GAN's.
    With an int ``random_state``, each class's GAN is seeded as :class:`GenerativeOverSampler`
    seeds it (from ``numpy.random.SeedSequence``); the course's ``utils.GANOversampler`` trains
    class number ``i`` with ``random_state + i`` instead, as notebook 03 teaches, and so
    reproduces the rows of its step-by-step GAN.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to over-sample and to how many rows, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the GAN of every class (no global random state is reseeded).
    noise_dim, generator_units, discriminator_units, epochs, batch_size, learning_rate, \
linear_input, activation, loss, critic_steps, scaling, checkpoint_dir, verbose
        The GAN's settings: :class:`~tabaug.generators.paper_gan.PaperGAN`'s parameters,
        with its defaults (the paper's).

    Attributes
    ----------
    oversampler_ : GenerativeOverSampler
        The fitted over-sampler that did the work.
    sampling_strategy_, encoder_, generators_, histories_ :
        Its fitted attributes (:class:`GenerativeOverSampler`): the rows generated per
        class, the table's columns, the fitted GAN and the training history of each class.

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

    def gan(self) -> PaperGAN:
        """The unfitted GAN of these settings: every parameter but ``sampling_strategy`` and
        ``random_state`` is :class:`~tabaug.generators.paper_gan.PaperGAN`'s."""
        settings = self.get_params(deep=False)
        for name in ("sampling_strategy", "random_state"):
            settings.pop(name)
        return PaperGAN(**settings)

    def _oversampler(self) -> GenerativeOverSampler:
        return GenerativeOverSampler(generator=self.gan(),
                                     sampling_strategy=self.sampling_strategy,
                                     random_state=self.random_state)

    def fit(self, X, y):
        """Check the data and find the rows to generate per class (``sampling_strategy_``)."""
        self._validate_params()
        self.oversampler_ = self._oversampler().fit(X, y)
        self._take_fitted()
        return self

    def fit_resample(self, X, y, **params):
        """Train one GAN per class to over-sample, on that class's rows only, and return the
        rows given followed by the generated ones (``X`` as given: a DataFrame stays one)."""
        self._validate_params()
        self.oversampler_ = self._oversampler()
        resampled = self.oversampler_.fit_resample(X, y, **params)
        self._take_fitted()
        return resampled

    def _fit_resample(self, X, y):
        # imbalanced-learn's hook, kept for its interface; fit_resample delegates whole.
        return self.oversampler_._fit_resample(X, y)

    def _take_fitted(self):
        """The fitted attributes of the inner over-sampler, as this one's."""
        for name in ("sampling_strategy_", "encoder_", "generators_", "histories_",
                     "n_features_in_", "feature_names_in_"):
            if hasattr(self.oversampler_, name):
                setattr(self, name, getattr(self.oversampler_, name))

    def sample(self, n_samples, label=None, random_state=None):
        """Make ``n_samples`` more rows of class ``label``
        (:meth:`GenerativeOverSampler.sample`)."""
        check_is_fitted(self, "generators_")
        return self.oversampler_.sample(n_samples, label, random_state)

    def __sklearn_tags__(self):
        return table_sampler_tags(super().__sklearn_tags__())


__all__ = ["GANOversampler", "WGAN_GP_SETTINGS"]
