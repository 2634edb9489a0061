"""Shared code of the GAN data-augmentation tutorial notebooks.

The public entry points are re-exported here, e.g. ``from utils import GANOversampler``.
"""

from importlib.metadata import PackageNotFoundError, version

from utils.data import load_dataset, load_wdbc, read_csv_dataset, validate_dataset
from utils.errors import CheckpointError, DataError, ParameterError
from utils.evaluation import PAPER_TABLE1, evaluate_methods, test_metrics, tune_classifier
from utils.preprocessing import PreparedData, prepare_data
from utils.source import show_source

try:
    __version__ = version("gan-augmentation-tutorial")
except PackageNotFoundError:  # run from a source folder without installing
    __version__ = "unknown"

__all__ = [
    "CheckpointError", "DataError", "GANOversampler", "GenerativeOverSampler", "PAPER_TABLE1",
    "ParameterError",
    "PreparedData", "check_parameters", "evaluate_methods", "load_dataset", "load_wdbc",
    "prepare_data", "read_csv_dataset", "show_source", "test_metrics", "tune_classifier",
    "validate_dataset",
]


def __getattr__(name):
    # The over-samplers are loaded only when asked for (GANOversampler imports TensorFlow,
    # which takes seconds), so that the notebooks and tools that do not train a GAN start
    # fast. check_parameters is the notebooks' glue, which the library itself never imports.
    if name in ("GANOversampler", "GenerativeOverSampler"):
        from utils import oversampler

        return getattr(oversampler, name)
    if name == "check_parameters":
        from utils.parameters import check_parameters

        return check_parameters
    raise AttributeError(f"module 'utils' has no attribute {name!r}")
