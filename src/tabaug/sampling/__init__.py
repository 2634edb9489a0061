"""Over-samplers: the classic ones by hand (:mod:`~tabaug.sampling.classic`), imbalanced-learn
samplers over any generator (:mod:`~tabaug.sampling.oversampler`,
:mod:`~tabaug.sampling.gan_oversampler`), and balancing a whole table
(:mod:`~tabaug.sampling.balance`).

``GANOversampler`` and ``WGAN_GP_SETTINGS`` import TensorFlow (the ``gan`` extra), so they are
loaded when first asked for; ``GenerativeOverSampler`` with its default copula never needs it.
"""

from tabaug.sampling.balance import balance_table
from tabaug.sampling.oversampler import GenerativeOverSampler

__all__ = ["GANOversampler", "GenerativeOverSampler", "WGAN_GP_SETTINGS", "balance_table"]


def __getattr__(name):
    if name in ("GANOversampler", "WGAN_GP_SETTINGS"):
        from tabaug.sampling import gan_oversampler

        return getattr(gan_oversampler, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
