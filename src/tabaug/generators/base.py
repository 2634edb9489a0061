"""The protocol every generator follows: fit on rows, sample n rows, seeded.

A generator is a scikit-learn estimator (explicit keyword arguments, ``get_params``/
``set_params``, ``clone``, pickle) with two public methods:

- ``fit(X, y=None, *, encoder=None)`` learns the rows ``X`` (a DataFrame or an array of any
  column types). A *conditional* generator (``conditional = True``) learns every class of ``y``
  at once; the others learn one class and refuse a ``y`` with several.
- ``sample(n_samples, y=None, random_state=None)`` makes ``n_samples`` new rows with the
  columns, order and types of ``X`` (for a conditional generator, of the classes ``y``).

A new generator subclasses :class:`TabularGenerator` and writes two methods on the encoded
rows of :mod:`tabaug.generators.columns` (floats: numeric columns in [0, 1], then one-hot blocks),
so that it gets correct column types for free:

- ``_fit_encoded(self, Z, layout, y, seed)``: ``Z`` float32 (n, layout.width); ``y`` the class
  codes 0..k-1 (conditional generators) or None; ``seed`` an int for every random choice.
- ``_sample_encoded(self, n_samples, y, rng)``: ``n_samples`` encoded rows, drawn with the NumPy
  generator ``rng``; numeric values in [0, 1] and block values whose largest entry is the
  category (probabilities or scores).

It must touch no global random state: seed initializers with :func:`keras_seeds` and draw
noise from ``np.random.default_rng``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from tabaug.generators.columns import TableEncoder

__all__ = [
    "draw_seed", "FewUpdatesWarning", "GeneratorWarning", "keras_seeds", "MIN_UPDATES",
    "minibatch_size", "SmallClassWarning", "TabularGenerator", "warn_few_updates",
]

#: Fewer generator updates than this earn a :class:`FewUpdatesWarning`.
MIN_UPDATES = 500


class GeneratorWarning(UserWarning):
    """A generator trained, but under conditions worth knowing."""


class SmallClassWarning(GeneratorWarning):
    """A class had too few rows for the generator's usual training: fewer than a minibatch
    (its minibatches were made smaller), or too few for a forest to split."""


class FewUpdatesWarning(GeneratorWarning):
    """A network made so few updates that its rows are unlikely to look real."""


def draw_seed(random_state) -> int:
    """An int seed from ``random_state`` (int, RandomState, Generator or None), scikit-learn's
    way: None draws from NumPy's global RandomState without reseeding it."""
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(np.iinfo(np.int32).max))
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def keras_seeds(seed: int):
    """One seed stream for every initializer of a model: pass it as ``seed=`` to each.

    Each initializer call draws the next seed of the stream, so layers differ and the same
    ``seed`` builds the same weights, without touching Keras', TensorFlow's or NumPy's global
    random state (unlike ``keras.utils.set_random_seed``).
    """
    import keras

    return keras.random.SeedGenerator(int(seed) % (2**31 - 1))


def minibatch_size(n_rows: int, batch_size: int, what="the class") -> int:
    """``batch_size``, or ``n_rows`` with a :class:`SmallClassWarning` when there are fewer rows.

    The paper's loop drops the last partial minibatch, so with fewer rows than a minibatch it
    would train zero steps without a word.
    """
    if n_rows < 1:
        raise ValueError(f"{what} has no rows to learn from.")
    if n_rows < batch_size:
        warnings.warn(
            f"{what} has {n_rows} rows, fewer than batch_size={batch_size}: training with "
            f"minibatches of {n_rows} rows instead (one update per epoch). Rows generated from "
            "so few examples mostly recombine them; check them with tabaug.fidelity.report.",
            SmallClassWarning, stacklevel=3)
        return n_rows
    return int(batch_size)


def warn_few_updates(n_updates: int, what="The generator", minimum=MIN_UPDATES) -> None:
    """Warn when a network trained with fewer than ``minimum`` updates."""
    if n_updates < minimum:
        warnings.warn(
            f"{what} made only {n_updates} updates: a network rarely learns realistic rows in "
            f"fewer than {minimum}. Train more epochs or use smaller minibatches, and check the "
            "generated rows with tabaug.fidelity.report before using them.",
            FewUpdatesWarning, stacklevel=3)


class TabularGenerator(BaseEstimator):
    """Base class of the generators: the table encoding, seeding and class handling.

    Subclasses set ``__init__`` keyword arguments (one of them ``random_state``) and write
    ``_fit_encoded`` and ``_sample_encoded`` (see the module's docstring). Users call
    :meth:`fit`, then :meth:`sample`.

    Attributes
    ----------
    conditional : bool
        Set on the class: whether :meth:`fit` learns every class of ``y`` at once (and
        :meth:`sample` takes classes).
    uses_tensorflow : bool
        Set on the class: whether the generator trains with TensorFlow, which tools that run it
        in a fresh process (the benchmark's workers, the command line) then import quietly first.
    encoder_ : TableEncoder
        The table encoding of the fitted rows: the ``encoder`` given to :meth:`fit`, or one
        fitted on ``X``.
    seed_ : int
        The seed drawn from ``random_state`` by :meth:`fit`, for every random choice.
    n_features_in_ : int
        The number of columns of ``X``.
    classes_ : ndarray
        Conditional generators only: the classes of ``y``, sorted.
    class_counts_ : ndarray
        Conditional generators only: the number of rows of each class of ``classes_``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.generators import get_generator
    >>> rng = np.random.default_rng(0)
    >>> rows = pd.DataFrame({"age": rng.integers(30, 80, 20),
    ...                      "smoker": rng.choice(["yes", "no"], 20)})
    >>> copula = get_generator("gaussian-copula", random_state=0).fit(rows)
    >>> copula.n_features_in_, copula.seed_
    (2, 0)
    >>> copula.sample(3)
       age smoker
    0   62    yes
    1   42    yes
    2   37     no
    >>> copula.sample(3)  # the stream goes on: new rows
       age smoker
    0   77    yes
    1   34    yes
    2   62     no
    >>> copula.sample(2, random_state=1).equals(copula.sample(2, random_state=1))
    True
    """

    #: Whether ``fit`` learns every class of ``y`` at once (and ``sample`` takes classes).
    conditional = False
    #: Whether the generator trains with TensorFlow: tools that run it in a fresh process
    #: (the benchmark's workers, the command line) then import TensorFlow quietly first.
    uses_tensorflow = False

    #: The accepted values of each ``__init__`` argument (scikit-learn's parameter validation,
    #: run first in :meth:`fit`); every generator adds its own arguments'.
    _parameter_constraints: dict = {"random_state": ["random_state"]}

    def fit(self, X, y=None, *, encoder=None):
        """Learn the rows ``X`` (of the classes ``y`` for a conditional generator).

        Parameters
        ----------
        X : DataFrame or array of shape (n_rows, n_columns)
            The rows to learn, of any column types.
        y : array-like of shape (n_rows,) or None, default=None
            The class of every row. A conditional generator needs it and learns every class at
            once; the others learn one class and refuse a ``y`` with several.
        encoder : TableEncoder or None, default=None
            A fitted :class:`~tabaug.generators.columns.TableEncoder` to use instead of fitting
            one on ``X``; the over-samplers fit it on the rows of every class, so that the
            ranges, categories and precision are the training set's.

        Returns
        -------
        self
            The fitted generator.
        """
        self._validate_params()  # bad settings stop here, before any data is touched
        self.encoder_ = TableEncoder().fit(X) if encoder is None else encoder
        Z = self.encoder_.transform(X).astype("float32")
        codes = self._class_codes(y, len(Z))
        self.seed_ = draw_seed(self.random_state)
        self.n_features_in_ = len(self.encoder_.feature_names_)
        if self.encoder_.layout_.width:
            self._fit_encoded(Z, self.encoder_.layout_, codes, self.seed_)
        self._sample_rng = np.random.default_rng([self.seed_, 1])
        return self

    def _class_codes(self, y, n_rows):
        if y is None:
            if self.conditional:
                raise ValueError(f"{type(self).__name__} is conditional: fit it with the class "
                                 "of every row, fit(X, y).")
            return None
        y = np.asarray(y)
        if len(y) != n_rows:
            raise ValueError(f"X has {n_rows} rows but y has {len(y)} values.")
        classes, codes = np.unique(y, return_inverse=True)
        if not self.conditional:
            if len(classes) > 1:
                raise ValueError(
                    f"{type(self).__name__} learns one class at a time, but y has "
                    f"{len(classes)} classes: fit it on one class's rows, or use "
                    "GenerativeOverSampler, which fits one per class.")
            return None
        self.classes_ = classes
        self.class_counts_ = np.bincount(codes, minlength=len(classes))
        return codes.astype("int32")

    def sample(self, n_samples, y=None, random_state=None):
        """Make ``n_samples`` new rows with the fitted columns and types.

        Parameters
        ----------
        n_samples : int
            The number of rows to make, 0 or more.
        y : label, array-like of shape (n_samples,) or None, default=None
            For a conditional generator, the class of every new row (one label, or one per
            row); None draws classes in their training proportions. The other generators take
            no ``y``.
        random_state : int, numpy Generator or None, default=None
            None continues this generator's own stream (new rows at each call, the same
            sequence for the same fitted ``random_state``); an int or a NumPy Generator gives
            those rows again.

        Returns
        -------
        DataFrame or ndarray of shape (n_samples, n_columns)
            The new rows, with the columns, order and types of the ``X`` given to :meth:`fit`.
        """
        check_is_fitted(self, "encoder_")
        n_samples = int(n_samples)
        if n_samples < 0:
            raise ValueError(f"n_samples must be at least 0, got {n_samples}.")
        rng = self._sample_rng if random_state is None else np.random.default_rng(random_state)
        codes = self._sample_codes(n_samples, y, rng)
        if self.encoder_.layout_.width == 0 or n_samples == 0:
            Z = np.zeros((n_samples, self.encoder_.layout_.width))
        else:
            Z = np.asarray(self._sample_encoded(n_samples, codes, rng), dtype="float64")
        return self.encoder_.inverse_transform(Z)

    def _sample_codes(self, n_samples, y, rng):
        if not self.conditional:
            if y is not None:
                raise ValueError(f"{type(self).__name__} learned one class: call sample(n) "
                                 "without y.")
            return None
        if y is None:
            weights = self.class_counts_ / self.class_counts_.sum()
            return rng.choice(len(self.classes_), size=n_samples, p=weights).astype("int32")
        labels = np.asarray(y)
        labels = np.full(n_samples, labels.item()) if labels.ndim == 0 else labels
        if len(labels) != n_samples:
            raise ValueError(f"y has {len(labels)} labels for {n_samples} rows: give one label, "
                             "or one per row.")
        codes = np.searchsorted(self.classes_, labels)
        codes = np.clip(codes, 0, len(self.classes_) - 1)
        unknown = self.classes_[codes] != labels
        if unknown.any():
            raise ValueError(f"Unknown classes {sorted(set(labels[unknown].tolist()))}: the "
                             f"generator learned {self.classes_.tolist()}.")
        return codes.astype("int32")

    def _fit_encoded(self, Z, layout, y, seed):  # pragma: no cover - the protocol
        raise NotImplementedError

    def _sample_encoded(self, n_samples, y, rng):  # pragma: no cover - the protocol
        raise NotImplementedError
