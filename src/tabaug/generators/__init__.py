"""Generators of tabular rows behind one protocol (:mod:`tabaug.generators.base`), by name:
fit on one class's rows (or, for a conditional generator, on every class's), sample new rows
with the same columns and types, seeded.

Adding a generator is one file and one registration: write a subclass of
:class:`~tabaug.generators.base.TabularGenerator` in ``src/tabaug/generators/my_model.py``, then
add a line to :data:`GENERATORS` (or call :func:`register` from your own code). See
``docs/generators.md``.
"""

from __future__ import annotations

from importlib import import_module

from tabaug.generators.base import (
    FewUpdatesWarning,
    GeneratorWarning,
    SmallClassWarning,
    TabularGenerator,
)
from tabaug.generators.columns import Layout, TableEncoder

#: Registered generators: name -> "module:Class" (imported when first asked for, because the
#: neural ones import TensorFlow, which takes seconds) or a class.
GENERATORS = {
    "paper-gan": "tabaug.generators.paper_gan:PaperGAN",
    "wgan-gp": "tabaug.generators.wgan_gp:WGANGP",
    "conditional-gan": "tabaug.generators.conditional_gan:ConditionalGAN",
    "tvae": "tabaug.generators.vae:TabularVAE",
    "tab-ddpm": "tabaug.generators.diffusion:TabularDiffusion",
    "gaussian-copula": "tabaug.generators.copula:GaussianCopula",
    "arf": "tabaug.generators.arf:AdversarialRandomForest",
    "forest-flow": "tabaug.generators.forest_flow:ForestFlow",
}


def register(name: str, generator) -> None:
    """Make a generator class (or a "module:Class" path) available under ``name``.

    The name then works in :func:`get_generator`, ``GenerativeOverSampler(generator=name)``,
    the command line and the benchmark (whose worker processes receive the entry).
    ``docs/generators.md`` writes a generator and registers it, in code that the tests run.

    Parameters
    ----------
    name : str
        The name, not empty. A name already registered gets the new entry.
    generator : type or str
        A subclass of :class:`~tabaug.generators.base.TabularGenerator`, or its "module:Class"
        path, imported when the name is first asked for (:func:`resolve_entry`).

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string.

    Examples
    --------
    >>> from tabaug.generators import GENERATORS, available_generators, get_generator, register
    >>> register("my-copula", "tabaug.generators.copula:GaussianCopula")
    >>> available_generators()[-1]
    'my-copula'
    >>> get_generator("my-copula", random_state=0)
    GaussianCopula(random_state=0)
    >>> del GENERATORS["my-copula"]  # the registry is shared: leave it as it was
    """
    if not isinstance(name, str) or not name:
        raise ValueError("A generator's name must be a non-empty string.")
    GENERATORS[name] = generator


def available_generators() -> list:
    """The registered names, in registration order.

    Returns
    -------
    list of str
        The names of :data:`GENERATORS`: the built-in ones, then those added with
        :func:`register`.

    Examples
    --------
    >>> from tabaug.generators import available_generators
    >>> available_generators()  # the built-in ones
    ['paper-gan', 'wgan-gp', 'conditional-gan', 'tvae', 'tab-ddpm', 'gaussian-copula', 'arf',
     'forest-flow']
    """
    return list(GENERATORS)


def generator_class(name: str) -> type:
    """The class registered as ``name``; a clear error naming the known ones otherwise.

    Parameters
    ----------
    name : str
        A registered name (:func:`available_generators`).

    Returns
    -------
    type
        The generator's class, imported now if it is registered as a "module:Class" path
        (:func:`resolve_entry`).

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message names the known ones.

    Examples
    --------
    >>> from tabaug.generators import generator_class
    >>> generator_class("gaussian-copula")
    <class 'tabaug.generators.copula.GaussianCopula'>
    >>> generator_class("copula")
    Traceback (most recent call last):
    ...
    ValueError: Unknown generator 'copula': use one of 'paper-gan', ..., or
    register your own with tabaug.generators.register(name, cls).
    """
    try:
        entry = GENERATORS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown generator {name!r}: use one of "
                         f"{', '.join(map(repr, GENERATORS))}, or register your own with "
                         "tabaug.generators.register(name, cls).") from None
    return resolve_entry(entry)


def resolve_entry(entry) -> type:
    """The class of a registry entry: a class, or a "module:Class" path, imported now.

    Parameters
    ----------
    entry : type or str
        A value of :data:`GENERATORS`: a class, returned as it is, or a "module:Class" path.

    Returns
    -------
    type
        The generator's class.

    Examples
    --------
    >>> from tabaug.generators import resolve_entry
    >>> resolve_entry("tabaug.generators.copula:GaussianCopula")
    <class 'tabaug.generators.copula.GaussianCopula'>
    """
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = getattr(import_module(module), attribute)
    return entry


def get_generator(name: str, **params) -> TabularGenerator:
    """A new, unfitted generator.

    Parameters
    ----------
    name : str
        A registered name (:func:`available_generators`).
    **params
        Keyword arguments of the generator's class (its settings and ``random_state``).

    Returns
    -------
    TabularGenerator
        Fit it on one class's rows, then ``sample(n)``: rows with the fitted columns and types.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.generators import get_generator
    >>> rng = np.random.default_rng(0)
    >>> rows = pd.DataFrame({"age": rng.integers(30, 80, 15),
    ...                      "size": rng.normal(2.0, 0.5, 15).round(2),
    ...                      "smoker": rng.random(15) < 0.3})
    >>> copula = get_generator("gaussian-copula", random_state=0).fit(rows)
    >>> copula.sample(3)
       age  size  smoker
    0   75  1.54   False
    1   49  1.39   False
    2   61  2.36   False
    """
    return generator_class(name)(**params)


__all__ = [
    "FewUpdatesWarning", "GENERATORS", "GeneratorWarning", "Layout", "SmallClassWarning",
    "TableEncoder", "TabularGenerator", "available_generators", "generator_class",
    "get_generator", "register", "resolve_entry",
]
