"""Shared fixtures of the unit tests of ``utils``.

TensorFlow's C++ logging is silenced before anything imports it. The fixtures here are
read-only by contract: tests that change arrays must work on copies.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if "PYTEST_XDIST_WORKER" in os.environ:
    # One thread per pytest-xdist worker, and per notebook kernel or joblib worker it starts:
    # the workers already fill the cores, and small fits lose time when two threads share one.
    # (pytest has imported scikit-learn already, for the warning filter of pyproject.toml, so
    # OpenMP in this process is limited with threadpoolctl; the variables reach the children.)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "TF_NUM_INTRAOP_THREADS"):
        os.environ.setdefault(variable, "1")
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "2")
    from threadpoolctl import threadpool_limits

    _ONE_THREAD = threadpool_limits(limits=1)

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# `python -m pytest` puts the project root on sys.path; plain `pytest` may not.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def wdbc():
    """WDBC in the Kaggle layout, as ``utils.load_wdbc`` returns it (do not modify)."""
    from tabaug.data.reading import load_wdbc

    return load_wdbc()


@pytest.fixture(scope="session")
def prepared():
    """The paper's Step 1 on the bundled WDBC: ``utils.prepare_data()`` (do not modify)."""
    from tabaug.data.preprocessing import prepare_data

    return prepare_data()


@pytest.fixture(scope="session")
def small_binary():
    """A small imbalanced binary problem with features in [0, 1]: 40 rows of class 0,
    20 rows of class 1, 4 features. Returned arrays are fresh copies for each test."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.random((40, 4)) * 0.6, 0.4 + rng.random((20, 4)) * 0.6])
    y = np.array([0] * 40 + [1] * 20)
    return X, y


@pytest.fixture
def binary_data(small_binary):
    X, y = small_binary
    return X.copy(), y.copy()


def synthetic_frame(n_rows=200, seed=0):
    """A frame with a numeric and a text identifier, a categorical feature, two numeric
    features and a text target ("yes" is the minority, about a third of the rows)."""
    rng = np.random.default_rng(seed)
    target = np.where(np.arange(n_rows) % 3 == 0, "yes", "no")
    return pd.DataFrame({
        "record": 1_000 + np.arange(n_rows),
        "sample_code": [f"S{i:04d}" for i in range(n_rows)],
        "color": rng.choice(["red", "green", "blue"], size=n_rows),
        "size": rng.normal(10.0, 3.0, size=n_rows),
        "weight": rng.uniform(50.0, 90.0, size=n_rows),
        "outcome": target,
    })


@pytest.fixture
def synthetic():
    """See :func:`synthetic_frame`; a fresh frame for each test."""
    return synthetic_frame()


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory):
    """``notebook_runs(chain)``: the runs of a chain of notebooks (``notebook_runs.CHAINS``),
    each notebook executed once per set of parameters (see ``notebook_runs.py``), computed on
    first use in this worker and shared by every test of the chain's ``xdist_group``."""
    from notebook_runs import run_chain

    cache = {}

    def get(chain):
        if chain not in cache:
            _claim(tmp_path_factory, chain)
            cache[chain] = run_chain(chain, tmp_path_factory.mktemp(chain))
        return cache[chain]

    return get


def _claim(tmp_path_factory, chain):
    """Fail if another pytest-xdist worker of this run already ran ``chain``: its tests would
    then be split over workers and every notebook executed twice, which nothing else shows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    marker = tmp_path_factory.getbasetemp().parent / f"chain-{chain}"
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        pytest.fail(f"The notebook chain {chain!r} already ran in another worker: --dist "
                    "loadgroup did not keep its xdist_group together (pytest-xdist#1386 with "
                    "pytest 9.2). Install requirements.txt's pins, or run `pytest -n 0`.")


def pytest_collection_modifyitems(config, items):
    """The notebook chains first, the longest first, so that pytest-xdist starts them before
    the many short unit tests and no worker is left with a long chain at the end."""
    order = ["notebooks-course", "notebooks-diagnostics", "notebooks-benchmark",
             "notebooks-study"]

    def rank(item):
        mark = item.get_closest_marker("xdist_group")
        group = mark.args[0] if mark else None
        return order.index(group) if group in order else len(order)

    items.sort(key=rank)  # stable: the order within a rank is kept


@pytest.fixture(scope="session")
def gaussian():
    """Two 200-row draws of :func:`known_tables.correlated_gaussian` (seeds 0
    and 1): the rows a generator learns, and fresh rows of the same law to judge it by."""
    from known_tables import correlated_gaussian

    return correlated_gaussian(200, seed=0), correlated_gaussian(200, seed=1)
