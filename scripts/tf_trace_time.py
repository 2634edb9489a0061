"""A pytest plugin that sums the seconds each test process spends building TensorFlow graphs.

Every new Keras network is traced into a graph before its first update (seconds, single-threaded
Python), which is a large share of the test suite's time (docs/developers.md, "Speed: where the
time goes"). Run::

    PYTHONPATH=scripts .venv/bin/python -m pytest -p tf_trace_time

and read ``tf_trace_time-<pid>.json`` (one per pytest process, in the system's temporary
folder, printed at the end of each): the seconds of tracing, each graph traced inside another
counted once, and per traced function name the calls and seconds of TensorFlow's
``trace_function`` (including the functions traced inside it). Calls that find
their graph in the cache count too, and cost next to nothing. Kernels and subprocesses that the
tests start are not counted.
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

_TOTALS = defaultdict(lambda: [0, 0.0])
_OUTERMOST = {"depth": 0, "seconds": 0.0}  # graphs traced inside another counted once


def pytest_sessionstart(session):
    from tensorflow.python.eager.polymorphic_function import tracing_compilation

    original = tracing_compilation.trace_function

    def trace_function(args=None, kwargs=None, tracing_options=None):
        began = time.perf_counter()
        _OUTERMOST["depth"] += 1
        try:
            return original(args, kwargs, tracing_options)
        finally:
            _OUTERMOST["depth"] -= 1
            seconds = time.perf_counter() - began
            totals = _TOTALS[getattr(tracing_options, "name", "?")]
            totals[0] += 1
            totals[1] += seconds
            if _OUTERMOST["depth"] == 0:
                _OUTERMOST["seconds"] += seconds

    tracing_compilation.trace_function = trace_function
    atexit.register(_write)


def _write():
    path = Path(tempfile.gettempdir()) / f"tf_trace_time-{os.getpid()}.json"
    seconds = _OUTERMOST["seconds"]
    path.write_text(json.dumps({"seconds": seconds, "functions": _TOTALS}, indent=1))
    print(f"tf_trace_time: {seconds:.1f} s tracing in process {os.getpid()}: {path}")
