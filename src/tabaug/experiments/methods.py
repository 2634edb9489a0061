"""The methods an experiment compares, under one naming scheme: what each does to the
training rows of a split.

A method is the classic ones of :data:`METHODS` (no augmentation, class weights, RO and the
SMOTE family), a method registered at run time with :func:`register_method`, or a generator of
:mod:`tabaug.generators` under its registered name (``"paper-gan"``, ``"wgan-gp"``,
``"gaussian-copula"``...), which over-samples through
:class:`~tabaug.sampling.oversampler.GenerativeOverSampler`. Notebook 06, ``compare`` and the
benchmark all name methods so.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
)

from tabaug.generators.quiet import generator_class_quietly
from tabaug.sampling.classic import fit_neighbours

__all__ = [
    "available_methods", "check_methods", "CLASSIC_METHODS", "gan_updates", "keep_gan_updates",
    "Method", "method_entries", "MethodContext", "make_method", "METHODS", "NO_AUGMENTATION",
    "PLATT", "register_method",
]

NO_AUGMENTATION = "No augmentation"
#: The recalibrated arm: no augmentation, then Platt scaling of the tuned classifier.
PLATT = "Platt scaling"


@dataclass
class Method:
    """How one method treats the training rows: a sampler, or class weights, or nothing;
    ``calibration`` (``"sigmoid"``: Platt's, or ``"isotonic"``) recalibrates the tuned
    classifier's probabilities by cross-fitting on the training rows
    (:class:`~sklearn.calibration.CalibratedClassifierCV`); ``note`` says what was changed to
    fit the split (fewer neighbours, a smaller minibatch)."""

    sampler: object = None
    class_weight: str | None = None
    note: str = ""
    calibration: str | None = None


@dataclass(frozen=True)
class MethodContext:
    """What a method may know of the split beyond its seed and training labels.

    ``categorical``: positions of the categorical columns in the sampling table, of
    ``n_features`` columns; ``natural_minority_rows``: the smallest class's training rows before
    an imbalance sweep kept fewer; ``settings``: parameters of the generator of this method
    (for example notebook 06's GAN settings for ``"paper-gan"``)."""

    categorical: tuple = ()
    n_features: int | None = None
    natural_minority_rows: int | None = None
    settings: dict | None = None


def _smote(seed, y_train, context) -> Method:
    """SMOTE for numbers; SMOTE-NC with categorical columns too; SMOTEN for categories only."""
    categorical = list(context.categorical)
    if not categorical:
        sampler, kind = SMOTE(random_state=seed), ""
    elif context.n_features is not None and len(categorical) == context.n_features:
        sampler, kind = SMOTEN(random_state=seed), "SMOTEN (categorical columns only)"
    else:
        sampler = SMOTENC(categorical_features=categorical, random_state=seed)
        kind = "SMOTE-NC (categorical columns)"
    return Method(sampler, note="; ".join(filter(None, [kind, fit_neighbours(sampler,
                                                                             y_train)])))


def _neighbours(sampler) -> Method:
    """A SMOTE-like method whose neighbours fit the smallest class; its note says what
    changed."""
    def factory(seed, y_train, context):
        chosen = sampler(random_state=seed)
        return Method(chosen, note=fit_neighbours(chosen, y_train))
    return factory


#: The classic methods, name -> ``factory(seed, y_train, context)`` returning a
#: :class:`Method` (``context``: a :class:`MethodContext`). Generators are not listed here: any
#: name of :mod:`tabaug.generators`' registry is a method too.
METHODS: dict[str, Callable] = {
    NO_AUGMENTATION: lambda seed, y_train, context: Method(),
    "Class weight": lambda seed, y_train, context: Method(class_weight="balanced"),
    # No augmentation, its probabilities recalibrated (Platt, 1999): the literature's answer to
    # poor probabilities, against which resampling's effect on calibration is judged.
    PLATT: lambda seed, y_train, context: Method(calibration="sigmoid"),
    "RO": lambda seed, y_train, context: Method(RandomOverSampler(random_state=seed)),
    "SMOTE": _smote,
    "Borderline-SMOTE": _neighbours(BorderlineSMOTE),
    "ADASYN": _neighbours(ADASYN),
}
#: The classic methods of the project, in their order (methods registered later follow them).
CLASSIC_METHODS = list(METHODS)


def register_method(name: str, factory: Callable) -> None:
    """Add a method: ``factory(seed, y_train, context)`` returns a :class:`Method`.

    Experiments pass the factory to their worker processes, so a method registered in a
    notebook runs there too.

    Parameters
    ----------
    name : str
        The method's name in experiments; not a generator's name.
    factory : callable
        ``factory(seed, y_train, context)`` -> :class:`Method`. ``seed`` is the split's;
        ``y_train`` holds the training labels the method gets (subsampled in an imbalance
        sweep); ``context`` is a :class:`MethodContext`.

    Raises
    ------
    ValueError
        If ``name`` names a generator of :mod:`tabaug.generators`.

    Examples
    --------
    Random under-sampling as a method (as in notebook 06), then removed again:

    >>> import numpy as np
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from tabaug.experiments.methods import METHODS, Method, make_method, register_method
    >>> register_method("Undersampling", lambda seed, y_train, context: Method(
    ...     RandomUnderSampler(random_state=seed)))
    >>> make_method("Undersampling", 0, np.array([0, 0, 0, 1, 1])).sampler
    RandomUnderSampler(random_state=0)
    >>> del METHODS["Undersampling"]
    """
    from tabaug.generators import available_generators

    if name in available_generators():
        raise ValueError(f"{name!r} names a generator of tabaug.generators; give the method "
                         "another name.")
    METHODS[name] = factory


def available_methods() -> list:
    """Every method: the classic and registered ones, then each registered generator.

    Returns
    -------
    list of str
        The names experiments take, no augmentation first.

    Examples
    --------
    >>> from tabaug.experiments.methods import available_methods
    >>> available_methods()[:6]
    ['No augmentation', 'Class weight', 'Platt scaling', 'RO', 'SMOTE', 'Borderline-SMOTE']
    >>> "gaussian-copula" in available_methods()
    True
    """
    from tabaug.generators import available_generators

    return list(METHODS) + [name for name in available_generators() if name not in METHODS]


def check_methods(methods, default=None) -> list:
    """The methods to run, no augmentation first (the reference of every comparison), each
    once, in the order given.

    Parameters
    ----------
    methods : list of str or None
        Names of :func:`available_methods`. None takes ``default``.
    default : list of str or None, default=None
        The methods when ``methods`` is None (None: every method of
        :func:`available_methods`).

    Returns
    -------
    list of str
        No augmentation, then the other methods, each once.

    Raises
    ------
    ValueError
        If a name is unknown.

    Examples
    --------
    >>> from tabaug.experiments.methods import check_methods
    >>> check_methods(["SMOTE", "RO", "SMOTE"])
    ['No augmentation', 'SMOTE', 'RO']
    >>> check_methods(None, default=["RO"])
    ['No augmentation', 'RO']
    """
    known = available_methods()
    methods = list(known if default is None else default) if methods is None else list(methods)
    unknown = [name for name in methods if name not in known]
    if unknown:
        raise ValueError(f"Unknown method(s) {unknown}. Known methods: {known}. A generator "
                         "joins with tabaug.generators.register, another method with "
                         "tabaug.experiments.methods.register_method.")
    return [NO_AUGMENTATION] + [name for name in dict.fromkeys(methods)
                                if name != NO_AUGMENTATION]


def method_entries(methods) -> dict:
    """What a worker process needs to make each of ``methods``, as this process holds it.

    Worker processes (loky, Dask) import :mod:`tabaug` afresh and do not see a method or a
    generator registered at run time, so they get the entries: a method's factory, or a
    generator's registry entry (a "module:Class" path, which a worker imports itself, quietly,
    see :mod:`tabaug.generators.quiet`; or a class, pickled by reference, or by value where it
    was defined in ``__main__`` or a notebook)."""
    from tabaug.generators import GENERATORS

    return {name: METHODS[name] if name in METHODS else GENERATORS[name] for name in methods}


def make_method(name, seed, y_train, context=MethodContext(), entries=None) -> Method:
    """The method ``name`` for the training labels ``y_train`` of a split seeded ``seed``.

    Parameters
    ----------
    name : str
        A name of :func:`available_methods`.
    seed : int
        The split's seed, given to the sampler.
    y_train : ndarray
        The training labels the method gets. The SMOTE family's neighbours, and a GAN's
        minibatch and epochs, are fitted to its smallest class (the note says what changed).
    context : MethodContext, default=MethodContext()
        What the method may know of the split beyond its seed and labels.
    entries : dict or None, default=None
        The caller's :func:`method_entries`; a name not in them is looked up in this
        process's registries.

    Returns
    -------
    Method
        A sampler, or class weights, or nothing, with its note. A generator comes wrapped in
        :class:`~tabaug.sampling.oversampler.GenerativeOverSampler`.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.experiments.methods import make_method
    >>> y_train = np.array([0] * 20 + [1] * 4)
    >>> method = make_method("SMOTE", 0, y_train)
    >>> method.sampler
    SMOTE(k_neighbors=3, random_state=0)
    >>> method.note
    'k_neighbors lowered from 5 to 3: the smallest class has 4 training rows'
    >>> make_method("Class weight", 0, y_train)
    Method(sampler=None, class_weight='balanced', note='', calibration=None)
    >>> make_method("gaussian-copula", 0, y_train).sampler
    GenerativeOverSampler(generator=GaussianCopula(), random_state=0)
    """
    entry = (entries or {}).get(name)
    if entry is None and name in METHODS:
        entry = METHODS[name]
    if callable(entry) and not isinstance(entry, type):
        return entry(seed, y_train, context)
    from tabaug.sampling.oversampler import GenerativeOverSampler

    # Imported in the worker, TensorFlow's start-up lines silenced where the generator needs it.
    generator = generator_class_quietly(name, entry)(**(context.settings or {}))
    note = keep_gan_updates(generator, y_train, context.natural_minority_rows)
    return Method(GenerativeOverSampler(generator=generator, random_state=seed), note=note)


def gan_updates(n_rows, batch_size, epochs) -> int:
    """Generator updates of ``epochs`` passes over ``n_rows`` rows in minibatches of
    ``batch_size`` (at most ``n_rows``; the last partial minibatch is dropped)."""
    return int(epochs) * (int(n_rows) // min(int(batch_size), int(n_rows)))


def keep_gan_updates(generator, y_train, natural_minority_rows=None) -> str:
    """Make a GAN (a generator with ``epochs`` and ``batch_size``) train on ``y_train``'s
    minority rows as many generator updates as its settings make on ``natural_minority_rows``
    (default: the rows given), in place; return a note saying what changed ("" when nothing
    did, or for a generator that sets its epochs by rule).

    A minibatch larger than the minority rows is lowered to their number (rather than training
    zero steps). An imbalance sweep keeps fewer minority rows, which make fewer minibatches per
    epoch, so the epochs are raised to keep the updates (rounded up to whole epochs).
    """
    params = generator.get_params(deep=False)
    if not all(isinstance(params.get(name), numbers.Integral) for name in ("epochs", "batch_size")):
        return ""
    n_minority = int(np.bincount(y_train).min())
    natural = n_minority if natural_minority_rows is None else int(natural_minority_rows)
    batch_size, epochs = int(params["batch_size"]), int(params["epochs"])
    target = gan_updates(natural, batch_size, epochs)
    new_batch_size = min(batch_size, n_minority)
    per_epoch = n_minority // new_batch_size
    new_epochs = -(-target // per_epoch)  # rounded up
    changes = []
    if new_batch_size != batch_size:
        changes.append(f"batch_size lowered from {batch_size} to {new_batch_size} (the minority "
                       "class's training rows)")
    if new_epochs != epochs:
        changes.append(f"epochs raised from {epochs} to {new_epochs}")
    if not changes:
        return ""
    generator.set_params(batch_size=new_batch_size, epochs=new_epochs)
    return (f"{n_minority} minority training rows ({natural} at the natural ratio): "
            f"{'; '.join(changes)}; so the GAN makes {new_epochs * per_epoch} generator updates "
            f"({per_epoch} per epoch); its settings make {target} at the natural ratio")
