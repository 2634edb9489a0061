"""Over-samplers that add generated rows: any registered generator, or the paper's GAN.

Both follow imbalanced-learn's interface (``fit_resample``, ``sampling_strategy``,
``random_state``), so they can sit in an :class:`imblearn.pipeline.Pipeline`, where the
generators learn from the training rows of each cross-validation fold only.

- :class:`GenerativeOverSampler` takes a generator by name (``"wgan-gp"``, ``"tvae"``,
  ``"gaussian-copula"``, ...; :func:`tabaug.generators.available_generators`) or as an
  estimator, whose parameters reach a grid search as ``generator__<name>``.
- :class:`GANOversampler` is the paper's GAN with its settings as flat keyword arguments (the
  notebooks' form); ``GANOversampler(**WGAN_GP_SETTINGS)`` is notebook 07's WGAN-GP for WDBC. Both
  live in :mod:`tabaug.sampling.gan_oversampler`, which imports TensorFlow: this module loads it
  only when they are asked for, so the copula's and other generators' paths never do.

Tables keep their columns, order and types: a DataFrame gives a DataFrame, integer columns
integers in the training range, booleans booleans, categories the training categories, one-hot
groups one 1 per row, constant columns their constant, and float columns the precision of their
real values (:mod:`tabaug.generators.columns`).
"""

from __future__ import annotations

import numbers
import os

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted, validate_data

from tabaug.generators import get_generator
from tabaug.generators.base import draw_seed
from tabaug.generators.choice import AUTO, choose_generator
from tabaug.generators.columns import TableEncoder, check_complete

__all__ = ["GenerativeOverSampler", "spawned_seeds", "table_sampler_tags"]


class GenerativeOverSampler(BaseOverSampler):
    """Over-sample classes with rows made by a generator trained on the training rows.

    A generator that learns one class (the paper's GAN, the WGAN-GP, the VAE, the copula) is
    trained once per class to over-sample, on that class's rows only; a conditional one
    (``"conditional-gan"``) is trained once on the rows of every class and asked for rows of
    the classes that need them. The rows given come first in the output, the generated rows
    after them, class by class.

    Parameters
    ----------
    generator : str or generator estimator, default="gaussian-copula"
        A registered name (:func:`tabaug.generators.available_generators`), ``"auto"`` (each
        class's generator chosen by :func:`tabaug.generators.choice.choose_generator` from its
        rows and columns), or an unfitted :class:`~tabaug.generators.base.TabularGenerator`;
        it is cloned, never changed. The default is the Gaussian copula, which fits in
        milliseconds: on the generator benchmark's evaluation classes (README's generator
        table: 27 small classes of 13 sources, no setting chosen on them) no trained generator
        made rows closer to held-out real rows than it with an interval that excludes no
        difference. Compare them on your table with :mod:`tabaug.fidelity.report`.
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to over-sample and to how many rows, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds every generator. With an int, the generator of class number ``i`` (of the
        sorted classes of ``y``) gets the ``i``-th seed spawned by
        ``numpy.random.SeedSequence(random_state)`` (:func:`spawned_seeds`): independent
        streams, also for neighbouring values of ``random_state``. No global random state is
        reseeded.
    checkpoint_dir : str, path or None, default=None
        Given to generators that save checkpoints (the GANs), unless they have their own: each
        checkpoint file is named by a code of its data, settings and seed.
    verbose : bool, default=False
        Given to generators that show progress bars, when True.

    Attributes
    ----------
    sampling_strategy_ : dict
        The number of rows generated per class.
    encoder_ : TableEncoder
        Column kinds, ranges, categories and precision, learned from all the rows given.
    generators_ : dict
        The fitted generator per over-sampled class (one shared object if conditional).
    choices_ : dict
        With ``generator="auto"``: the :class:`~tabaug.generators.choice.Choice` (name and
        reason) per over-sampled class; otherwise empty.
    histories_ : dict
        The training history per class, for generators that keep one (``history_``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.sampling import GenerativeOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(30, 80, 60),
    ...                   "size": rng.normal(2.0, 0.5, 60).round(2),
    ...                   "smoker": rng.random(60) < 0.3})
    >>> y = np.r_[np.zeros(45, dtype=int), np.ones(15, dtype=int)]
    >>> X_res, y_res = GenerativeOverSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([45, 45])
    >>> X_res.dtypes.astype(str).to_dict()  # the caller's column types, kept
    {'age': 'int64', 'size': 'float64', 'smoker': 'bool'}
    >>> X_res.tail(3)  # the 30 generated rows come after the 60 given
        age  size  smoker
    87   64  2.29   False
    88   56  1.85   False
    89   48  1.96   False
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "generator": [str, HasMethods(["fit", "sample"])],
        "checkpoint_dir": [str, os.PathLike, None],
        "verbose": ["boolean"],
    }

    def __init__(self, *, generator="gaussian-copula", sampling_strategy="auto",
                 random_state=None, checkpoint_dir=None, verbose=False):
        super().__init__(sampling_strategy=sampling_strategy)
        self.generator = generator
        self.random_state = random_state
        self.checkpoint_dir = checkpoint_dir
        self.verbose = verbose

    def _generator_template(self):
        """An unfitted generator with this sampler's settings."""
        if isinstance(self.generator, str):
            return get_generator(self.generator)
        return clone(self.generator)

    # --- imbalanced-learn's hooks -----------------------------------------------------------
    def _check_X_y(self, X, y, accept_sparse=None):
        # Check shapes and the target as imbalanced-learn does, but keep the caller's table
        # (its column types) for the encoder.
        checked, y, binarize_y = self._check_X_y_types(X, y)
        return (X if isinstance(X, pd.DataFrame) else checked), y, binarize_y

    def _check_X_y_types(self, X, y):
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        # Numbers beside pandas categories have no common NumPy type (NumPy would try to turn
        # the categories into floats), so categories are checked as objects; the caller's
        # table itself is returned untouched.
        table = X.astype({column: object for column, dtype in X.dtypes.items()
                          if isinstance(dtype, pd.CategoricalDtype)}) \
            if isinstance(X, pd.DataFrame) else X
        checked, y = validate_data(self, X=table, y=y, reset=True, accept_sparse=False,
                                   dtype=None, ensure_all_finite=False)
        # Missing and infinite values: refused here, by fit too, with the columns named.
        check_complete(X if isinstance(X, pd.DataFrame) else pd.DataFrame(checked))
        return checked, y, binarize_y

    def __sklearn_tags__(self):
        return table_sampler_tags(super().__sklearn_tags__())

    def _fit_resample(self, X, y):
        self.encoder_ = TableEncoder().fit(X)
        targets = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        self.choices_ = {}
        if isinstance(self.generator, str) and self.generator == AUTO:
            self.choices_ = {label: choose_generator(int(np.sum(y == label)), X.shape[1])
                             for label in targets}
            templates = {label: self._with_shared_settings(get_generator(choice.name))
                         for label, choice in self.choices_.items()}
            self._fit_per_class(templates, X, y, targets)
            return self._resampled(X, y, targets)
        template = self._with_shared_settings(self._generator_template())
        if template.conditional:
            self._fit_conditional(template, X, y, targets)
        else:
            self._fit_per_class({label: template for label in targets}, X, y, targets)
        return self._resampled(X, y, targets)

    def _resampled(self, X, y, targets):
        """The rows given, then each over-sampled class's generated rows."""
        self.histories_ = {label: generator.history_
                           for label, generator in self.generators_.items()
                           if hasattr(generator, "history_")}
        generated = [self.generators_[label].sample(n, **self._class_of(label))
                     for label, n in targets.items()]
        labels = [np.full(n, label, dtype=y.dtype) for label, n in targets.items()]
        return _stack(X, generated), np.concatenate([y, *labels])

    def _fit_per_class(self, templates, X, y, targets):
        seeds = self._class_seeds(targets, list(np.unique(y)))
        self.generators_ = {}
        for label in targets:
            generator = clone(templates[label]).set_params(random_state=seeds[label])
            self.generators_[label] = generator.fit(_rows(X, y == label), encoder=self.encoder_)

    def _fit_conditional(self, template, X, y, targets):
        generator = clone(template).set_params(random_state=draw_seed(self.random_state))
        generator.fit(X, y, encoder=self.encoder_)
        self.generators_ = {label: generator for label in targets}

    def _class_of(self, label):
        return {"y": label} if self.generators_[label].conditional else {}

    def _with_shared_settings(self, generator):
        params = generator.get_params(deep=False)
        shared = {}
        if "checkpoint_dir" in params and params["checkpoint_dir"] is None:
            shared["checkpoint_dir"] = self.checkpoint_dir
        if "verbose" in params and self.verbose:
            shared["verbose"] = True
        return generator.set_params(**shared)

    def _class_seeds(self, targets, classes):
        """The seed of each over-sampled class's generator: with an int ``random_state``, the
        ``i``-th class of ``classes`` (every class of ``y``, sorted) gets child ``i`` of
        ``numpy.random.SeedSequence(random_state)``. A class's seed depends on the class, not
        on which others are over-sampled, and neighbouring seeds (a study's ``seed + split``)
        never hand two classes the same stream."""
        if isinstance(self.random_state, numbers.Integral):
            seeds = spawned_seeds(self.random_state, len(classes))
            return {label: seeds[classes.index(label)] for label in targets}
        return {label: draw_seed(self.random_state) for label in targets}

    # --- more rows ----------------------------------------------------------------------------
    def sample(self, n_samples, label=None, random_state=None):
        """Make ``n_samples`` more rows of class ``label`` (the only over-sampled class when
        None), with the columns and types of the training rows."""
        check_is_fitted(self, "generators_")
        if label is None:
            if len(self.generators_) != 1:
                raise ValueError(f"Several classes were over-sampled "
                                 f"({list(self.generators_)}): name one with label=.")
            label = next(iter(self.generators_))
        if label not in self.generators_:
            raise ValueError(f"No generator was trained for class {label!r}: the over-sampled "
                             f"classes are {list(self.generators_)}.")
        return self.generators_[label].sample(n_samples, random_state=random_state,
                                              **self._class_of(label))


def spawned_seeds(random_state: int, n: int) -> list:
    """``n`` independent int seeds from ``numpy.random.SeedSequence(random_state)``: one per
    over-sampled class. Unlike ``random_state + i``, the seeds of ``random_state`` and
    ``random_state + 1`` share nothing (class 1 of split ``s`` and class 0 of split ``s + 1``
    of a study would otherwise train from the same seed).

    Examples
    --------
    >>> from tabaug.sampling.oversampler import spawned_seeds
    >>> first, second = spawned_seeds(42, 2), spawned_seeds(43, 2)
    >>> len(set(first + second))  # four different seeds
    4
    >>> spawned_seeds(42, 2) == first  # and the same ones again
    True
    """
    children = np.random.SeedSequence(int(random_state)).spawn(int(n))
    return [int(child.generate_state(1, dtype=np.uint32)[0] >> 1) for child in children]


def table_sampler_tags(tags):
    """scikit-learn's tags of an over-sampler of tables: dense rows without missing values;
    text columns are categories."""
    tags.input_tags.sparse = False
    tags.input_tags.allow_nan = False
    tags.input_tags.string = True
    return tags


def _rows(X, mask):
    """The rows of ``X`` (a DataFrame or an array) where ``mask`` is True."""
    return X.iloc[np.flatnonzero(mask)] if isinstance(X, pd.DataFrame) else X[mask]


def _stack(X, generated):
    """The given rows, then the generated ones, in the type of ``X``."""
    if isinstance(X, pd.DataFrame):
        return pd.concat([X, *generated], ignore_index=True).astype(X.dtypes.to_dict())
    return np.concatenate([X, *generated]).astype(X.dtype, copy=False)
