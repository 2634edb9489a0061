"""Generators of tabular rows behind one protocol (:mod:`utils.generators.base`), by name.

>>> from utils.generators import get_generator
>>> copula = get_generator("gaussian-copula", random_state=0).fit(frame)   # doctest: +SKIP
>>> copula.sample(100)                                                      # doctest: +SKIP

Adding a generator is one file and one registration: write a subclass of
:class:`~utils.generators.base.TabularGenerator` in ``utils/generators/my_model.py``, then
add a line to :data:`GENERATORS` (or call :func:`register` from your own code). See
``docs/generators.md``.
"""

from __future__ import annotations

from importlib import import_module

from utils.generators.base import (
    FewUpdatesWarning,
    GeneratorWarning,
    SmallClassWarning,
    TabularGenerator,
)
from utils.generators.columns import Layout, TableEncoder

#: Registered generators: name -> "module:Class" (imported when first asked for, because the
#: neural ones import TensorFlow, which takes seconds) or a class.
GENERATORS = {
    "paper-gan": "utils.generators.paper_gan:PaperGAN",
    "wgan-gp": "utils.generators.wgan_gp:WGANGP",
    "conditional-gan": "utils.generators.conditional_gan:ConditionalGAN",
    "tvae": "utils.generators.vae:TabularVAE",
    "tab-ddpm": "utils.generators.diffusion:TabularDiffusion",
    "gaussian-copula": "utils.generators.copula:GaussianCopula",
}


def register(name: str, generator) -> None:
    """Make a generator class (or a "module:Class" path) available under ``name``."""
    if not isinstance(name, str) or not name:
        raise ValueError("A generator's name must be a non-empty string.")
    GENERATORS[name] = generator


def available_generators() -> list:
    """The registered names, in registration order."""
    return list(GENERATORS)


def generator_class(name: str) -> type:
    """The class registered as ``name``; a clear error naming the known ones otherwise."""
    try:
        entry = GENERATORS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown generator {name!r}: use one of "
                         f"{', '.join(map(repr, GENERATORS))}, or register your own with "
                         "utils.generators.register(name, cls).") from None
    return resolve_entry(entry)


def resolve_entry(entry) -> type:
    """The class of a registry entry: a class, or a "module:Class" path, imported now."""
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = getattr(import_module(module), attribute)
    return entry


def get_generator(name: str, **params) -> TabularGenerator:
    """A new, unfitted generator ``name`` with keyword arguments ``params``."""
    return generator_class(name)(**params)


__all__ = [
    "FewUpdatesWarning", "GENERATORS", "GeneratorWarning", "Layout", "SmallClassWarning",
    "TableEncoder", "TabularGenerator", "available_generators", "generator_class",
    "get_generator", "register", "resolve_entry",
]
