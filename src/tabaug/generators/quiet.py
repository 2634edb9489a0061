"""Import TensorFlow without its C++ start-up lines on the terminal.

TensorFlow's first import and its first look for devices write lines such as ``I0000 ...
oneDNN custom operations are on`` and ``failed call to cuInit`` to the standard error of the
process, before its logging can be configured, so ``TF_CPP_MIN_LOG_LEVEL`` does not silence
them. They are harmless, and on a command line, or from every worker of a parallel study, they
bury the messages that matter.
Generators that need no TensorFlow (the copula, one's own) never import it:
:func:`generator_class_quietly` imports it, silenced, only for a generator that uses it.
"""

from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager

from tabaug.errors import missing_extra

__all__ = ["generator_class_quietly", "import_tensorflow_quietly", "native_stderr_silenced"]


@contextmanager
def native_stderr_silenced():
    """Send what native code writes to the process's standard error to /dev/null meanwhile.
    Python exceptions raised inside are printed after it, so errors still show."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no file descriptor 2: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@functools.cache  # once per process
def import_tensorflow_quietly() -> None:
    """Import TensorFlow, and run its first device query (the "cuInit" lines), silenced."""
    with native_stderr_silenced():
        try:
            import tensorflow as tf
        except ModuleNotFoundError as error:
            raise missing_extra(error, "gan") from error

        tf.config.list_physical_devices("GPU")


def generator_class_quietly(name: str, entry=None) -> type:
    """The generator class registered as ``name`` (or of the registry ``entry`` given), its
    module imported, and TensorFlow too if the generator ``uses_tensorflow``, with their
    start-up lines silenced."""
    from tabaug.generators import generator_class, resolve_entry

    with native_stderr_silenced():
        cls = generator_class(name) if entry is None else resolve_entry(entry)
        if getattr(cls, "uses_tensorflow", False) or sys.modules.get("tensorflow") is not None:
            import_tensorflow_quietly()
    return cls
