"""Import TensorFlow without its C++ start-up lines on the terminal.

TensorFlow's first import and its first look for devices write lines such as ``I0000 ...
oneDNN custom operations are on`` and ``failed call to cuInit`` to the standard error of the
process, before its logging can be configured, so ``TF_CPP_MIN_LOG_LEVEL`` does not silence them. They are harmless, and on a
command line, or from every worker of a parallel study, they bury the messages that matter.
"""

from __future__ import annotations

import os
import sys


def import_tensorflow_quietly() -> None:
    """Import the over-sampler, and so TensorFlow, with its C++ start-up lines (oneDNN, CUDA:
    harmless, and no setting silences them) kept off the terminal. Python errors still show."""
    if "utils.oversampler" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no file descriptor 2
        import utils.oversampler  # noqa: F401
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow as tf

            import utils.oversampler  # noqa: F401

            tf.config.list_physical_devices("GPU")  # its first device query: "cuInit" lines
    finally:
        os.dup2(saved, 2)
        os.close(saved)
