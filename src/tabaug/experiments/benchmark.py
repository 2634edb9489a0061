"""When does augmentation help? Notebook 06's study on many tables, classifiers and methods.

Every split of every table goes through the evaluator notebook 06 uses
(:func:`tabaug.experiments.evaluate.evaluate_split`), with the benchmark's
:class:`~tabaug.experiments.protocol.Protocol` (its defaults): each classifier's setting and
its decision threshold are tuned on the validation rows (the setting by log loss, a proper
scoring rule, over :data:`~tabaug.experiments.tuning.PRACTICAL_HGB_GRID` for
HistGradientBoosting; the threshold for F1), and, unlike notebooks 04 and 06, the tuned model
is not refitted on training plus validation rows: the threshold tuned on the validation rows
must belong to the model that is tested, and the validation rows, never augmented, would dilute
what a method did to the training rows.

Results are one row per (dataset, classifier, method, split), appended to a CSV file as each
split finishes (:class:`~tabaug.experiments.results.ResultsFile`, the study's store too): an
interrupted run resumes where it stopped. Splits run in parallel with joblib, on one core,
every core, or a Dask cluster
(``joblib.parallel_config(backend="dask")`` with a ``distributed.Client``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from tabaug.errors import DataError
from tabaug.experiments.classifiers import check_classifiers
from tabaug.experiments.evaluate import evaluate_split
from tabaug.experiments.methods import (
    CLASSIC_METHODS,
    NO_AUGMENTATION,
    PLATT,
    check_methods,
    method_entries,
)
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.results import ResultsFile, missing_methods, row_key

__all__ = ["CHEAP_GENERATOR", "FULL_SPLITS", "GENERATOR_SPLITS", "Preset", "presets",
           "run_benchmark", "sort_results"]

#: Random splits per table of the full preset, and of the trained generators' preset.
FULL_SPLITS, GENERATOR_SPLITS = 20, 5
#: The generator that costs a classic method's time (seconds per split), in the full preset.
CHEAP_GENERATOR = "gaussian-copula"

# --- Presets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Preset:
    """A named choice of tables, methods, classifiers and splits."""

    datasets: tuple
    methods: tuple | None
    classifiers: tuple | None
    n_splits: int
    description: str


def presets() -> dict:
    """The named runs of the benchmark.

    Returns
    -------
    dict
        Name -> :class:`Preset`. ``class``: a few minutes on Colab's two cores; ``quick``:
        notebook 08's default, within its budget of 100 units; ``full``: every table and
        classifier, the classic methods, Platt scaling and the Gaussian copula on 20 splits
        (hours; resumable); ``generators``: every table and classifier, no augmentation and
        every other generator on 5 splits (hours; resumable).

    Examples
    --------
    >>> from tabaug.experiments.benchmark import presets
    >>> list(presets())
    ['class', 'quick', 'full', 'generators']
    >>> preset = presets()["class"]
    >>> preset.methods, preset.classifiers, preset.n_splits
    (('No augmentation', 'RO', 'SMOTE'), ('LR',), 3)
    """
    from tabaug.data.datasets import BENCHMARK_DATASETS, MULTICLASS_DATASETS, QUICK_DATASETS
    from tabaug.generators import available_generators

    every_table = tuple(BENCHMARK_DATASETS + MULTICLASS_DATASETS)
    trained = tuple(name for name in available_generators() if name != CHEAP_GENERATOR)

    return {
        "class": Preset(tuple(QUICK_DATASETS), (NO_AUGMENTATION, "RO", "SMOTE"), ("LR",), 3,
                        "the quick tables, two methods, one classifier: a class's minutes"),
        "quick": Preset(tuple(QUICK_DATASETS), (NO_AUGMENTATION, "Class weight", PLATT, "RO",
                                                "SMOTE", "gaussian-copula"),
                        ("HGB", "LR"), 3, "a few tables, methods and splits: minutes"),
        # 20 splits: the corrected interval of one table narrows with 1/J + n_test/n_train
        # (0.8 at 5 splits, 0.65 at 20) and its t quantile (2.78 -> 2.09): about 0.68 times as
        # wide. Measured here, one split of one table takes about 20 s for these arms and 105 s
        # more for the five trained generators, hence their own preset with fewer splits.
        "full": Preset(every_table, (*CLASSIC_METHODS, CHEAP_GENERATOR), None, FULL_SPLITS,
                       "every table and classifier; the classic methods, Platt scaling and the "
                       f"Gaussian copula; {FULL_SPLITS} splits: hours, resumable"),
        "generators": Preset(every_table, (NO_AUGMENTATION, *trained), None, GENERATOR_SPLITS,
                             "every table and classifier; no augmentation and the trained "
                             f"generators; {GENERATOR_SPLITS} splits: hours, resumable"),
    }


def _single_threaded(*args, **kwargs):
    # Splits run in parallel on the cores; one thread each avoids oversubscribing them.
    with threadpool_limits(1):
        return evaluate_split(*args, **kwargs)


# --- The run ----------------------------------------------------------------------------------
def run_benchmark(tables, *, methods=None, classifiers=None, n_splits=5, protocol=Protocol(),
                  results_path=None, n_jobs=1, progress=True) -> pd.DataFrame:
    """Run every method and classifier on ``n_splits`` splits of each table.

    Parameters
    ----------
    tables : list of BenchmarkTable
        :class:`tabaug.data.datasets.BenchmarkTable` objects (name, frame, target,
        id_columns), each with its own name.
    methods : list of str or None, default=None
        Names of :func:`~tabaug.experiments.methods.available_methods` (None: every method).
        No augmentation runs too, first.
    classifiers : list of str or None, default=None
        Names of :data:`~tabaug.experiments.classifiers.CLASSIFIERS` (None: all of them).
    n_splits : int, default=5
        The number of random splits of each table.
    protocol : Protocol, default=Protocol()
        The benchmark's :class:`~tabaug.experiments.protocol.Protocol`; its
        ``per_class_metrics`` must be False (the tables name their classes differently).
    results_path : str, Path or None, default=None
        A CSV file that keeps every finished split
        (:class:`~tabaug.experiments.results.ResultsFile`); splits already in it are skipped,
        so a rerun after an interruption resumes.
    n_jobs : int, default=1
        Parallel splits (-1: every core); under ``joblib.parallel_config(backend="dask")``
        they run on the Dask cluster of the current ``distributed.Client``.
    progress : bool, default=True
        Show a progress bar of the splits.

    Returns
    -------
    DataFrame
        Every row of the results, sorted (:func:`sort_results`): one per table, classifier,
        method and split, those of ``results_path`` from earlier runs included.

    Examples
    --------
    SMOTE against no augmentation on WDBC, with logistic regression, on two splits:

    >>> from tabaug.data.datasets import load_benchmark_table
    >>> from tabaug.experiments import run_benchmark
    >>> results = run_benchmark([load_benchmark_table("wdbc")],
    ...                         methods=["No augmentation", "SMOTE"], classifiers=["LR"],
    ...                         n_splits=2, progress=False)
    >>> results[["method", "split", "pr_auc", "log_loss"]].round(3)
                method  split  pr_auc  log_loss
    0  No augmentation      0   0.977     0.157
    1  No augmentation      1   0.993     0.082
    2            SMOTE      0   0.979     0.149
    3            SMOTE      1   0.993     0.083
    """
    if protocol.per_class_metrics:
        raise ValueError("The benchmark's tables name their classes differently, so its rows "
                         "keep the metrics every table shares: use per_class_metrics=False.")
    methods, classifiers = check_methods(methods), check_classifiers(classifiers)
    entries = method_entries(methods)  # the caller's registries, for every worker
    names = [table.name for table in tables]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataError(f"Two tables are named {repeated}: their results would mix. Give each "
                        "table its own name.")
    store = None if results_path is None else ResultsFile(results_path, protocol)
    done = set() if store is None else store.done()
    tasks = [(table, split, missing) for table in tables for split in range(n_splits)
             if (missing := missing_methods(done, table.name, split, None, methods,
                                            classifiers))]
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_single_threaded)(table, split, missing, classifiers, protocol, None, entries)
        for table, split, missing in tasks)
    new_rows = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
        for rows in tqdm(jobs, total=len(tasks), desc="splits", disable=not progress):
            rows = [row for row in rows if row_key(row) not in done]
            if store is not None:
                store.append(rows)
            new_rows.extend(rows)
    results = store.read() if store is not None else pd.DataFrame(new_rows)
    return sort_results(results, [t.name for t in tables], methods, list(classifiers))


def sort_results(results, datasets, methods, classifiers) -> pd.DataFrame:
    """The rows of these datasets, methods and classifiers, in their given order."""
    if results.empty:
        return results
    keep = (results["dataset"].isin(datasets) & results["method"].isin(methods)
            & results["classifier"].isin(classifiers))
    results = results[keep].copy()
    for column, order in (("dataset", datasets), ("classifier", classifiers),
                          ("method", methods)):
        results[column] = pd.Categorical(results[column], categories=order, ordered=True)
    return results.sort_values(["dataset", "classifier", "method", "split"]).reset_index(
        drop=True)
