"""Over-samplers: the classic ones by hand (:mod:`~tabaug.sampling.classic`), imbalanced-learn
samplers over any generator (:mod:`~tabaug.sampling.oversampler`,
:mod:`~tabaug.sampling.gan_oversampler`), and balancing a whole table
(:mod:`~tabaug.sampling.balance`).

``GANOversampler`` imports TensorFlow (the ``gan`` extra), so it is loaded when first asked
for; ``GenerativeOverSampler`` with its default copula never needs it.
"""

from tabaug.generators.settings import WGAN_GP_SETTINGS
from tabaug.sampling.balance import balance_table
from tabaug.sampling.oversampler import GenerativeOverSampler

__all__ = ["GANOversampler", "GenerativeOverSampler", "WGAN_GP_SETTINGS", "balance_table"]


def __getattr__(name):
    if name == "GANOversampler":
        from tabaug.sampling.gan_oversampler import GANOversampler

        return GANOversampler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
