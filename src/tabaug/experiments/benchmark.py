"""When does augmentation help? Notebook 06's study on many tables, classifiers and methods.

Every split of every table goes through the evaluator notebook 06 uses
(:func:`tabaug.experiments.evaluate.evaluate_split`), with the benchmark's
:class:`~tabaug.experiments.protocol.Protocol` (its defaults): each classifier's setting and
its decision threshold are tuned on the validation rows, and, unlike notebooks 04 and 06, the
tuned model is not refitted on training plus validation rows: the threshold tuned on the
validation rows must belong to the model that is tested, and the validation rows, never
augmented, would dilute what a method did to the training rows.

Results are one row per (dataset, classifier, method, split), appended to a CSV file as each
split finishes (:class:`ResultsFile`): an interrupted run resumes where it stopped. Splits run
in parallel with joblib, on one core, every core, or a Dask cluster
(``joblib.parallel_config(backend="dask")`` with a ``distributed.Client``).
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from tabaug.errors import DataError
from tabaug.experiments.classifiers import check_classifiers
from tabaug.experiments.evaluate import classifiers_for, evaluate_split
from tabaug.experiments.methods import NO_AUGMENTATION, check_methods, method_entries
from tabaug.experiments.protocol import Protocol

__all__ = [
    "KEY", "Preset", "presets", "results_file_name", "ResultsFile", "run_benchmark",
    "sort_results", "TEXT_COLUMNS",
]

#: The columns that name one result row; a results file holds each combination once.
KEY = ["dataset", "classifier", "method", "split"]
#: Columns of text, read back as text (an empty note is missing, not a number).
TEXT_COLUMNS = ["dataset", "classifier", "method", "note", "warnings", "error"]


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
        notebook 08's default, within its budget of 100 units; ``full``: every table, method
        and classifier (hours; resumable).

    Examples
    --------
    >>> from tabaug.experiments.benchmark import presets
    >>> list(presets())
    ['class', 'quick', 'full']
    >>> preset = presets()["class"]
    >>> preset.methods, preset.classifiers, preset.n_splits
    (('No augmentation', 'RO', 'SMOTE'), ('LR',), 3)
    """
    from tabaug.data.datasets import BENCHMARK_DATASETS, MULTICLASS_DATASETS, QUICK_DATASETS

    return {
        "class": Preset(tuple(QUICK_DATASETS), (NO_AUGMENTATION, "RO", "SMOTE"), ("LR",), 3,
                        "the quick tables, two methods, one classifier: a class's minutes"),
        "quick": Preset(tuple(QUICK_DATASETS), (NO_AUGMENTATION, "Class weight", "RO", "SMOTE",
                                                "gaussian-copula"),
                        ("HGB", "LR"), 3, "a few tables, methods and splits: minutes"),
        # Five splits: the tests across tables work on each table's mean, and 33 tables x 11
        # methods x 3 classifiers take hours already; --splits 10 narrows the per-table intervals.
        "full": Preset(tuple(BENCHMARK_DATASETS + MULTICLASS_DATASETS), None, None, 5,
                       "every table, method and classifier, 5 splits: hours, resumable"),
    }


def _single_threaded(*args, **kwargs):
    # Splits run in parallel on the cores; one thread each avoids oversubscribing them.
    with threadpool_limits(1):
        return evaluate_split(*args, **kwargs)


# --- Results that survive an interruption -----------------------------------------------------
def results_file_name(protocol: Protocol) -> str:
    """A results file name that says its protocol, so that runs of other settings (another
    seed, say) each keep their own file and resume it."""
    name = (f"results_seed{protocol.seed}_train{protocol.train_size:g}"
            f"_validation{protocol.validation_share:g}_specificity{protocol.specificity:g}")
    default = Protocol()
    for setting in ("scoring", "refit", "tune_threshold", "sampling_strategy"):
        if getattr(protocol, setting) != getattr(default, setting):
            name += f"_{setting}{getattr(protocol, setting)}".replace(" ", "")
    return name + ".csv"


class ResultsFile:
    """A CSV file of result rows, appended to as splits finish, with the protocol beside it
    (``<name>.json``). Reopened with the same protocol, it says which splits are done; with
    another, it refuses (mixing protocols would mix incomparable numbers).

    Parameters
    ----------
    path : str or Path
        The CSV file; its folder is made if missing.
    protocol : Protocol
        The :class:`~tabaug.experiments.protocol.Protocol` of the rows.

    Raises
    ------
    DataError
        If the file holds results of another protocol.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from tabaug.experiments import Protocol
    >>> from tabaug.experiments.benchmark import ResultsFile
    >>> folder = tempfile.TemporaryDirectory()
    >>> store = ResultsFile(Path(folder.name) / "results.csv", Protocol())
    >>> store.append([{"dataset": "toy", "classifier": "LR", "method": "RO", "split": 0,
    ...                "pr_auc": 0.8}])
    >>> store.done()
    {('toy', 'LR', 'RO', 0)}
    >>> ResultsFile(Path(folder.name) / "results.csv", Protocol(seed=1))
    Traceback (most recent call last):
    ...
    tabaug.errors.DataError: ...results.csv holds results of another protocol (...
    >>> folder.cleanup()
    """

    def __init__(self, path, protocol: Protocol):
        self.path = Path(path)
        self.settings_path = self.path.with_suffix(".json")
        self.protocol = protocol
        self._check_protocol()

    def _check_protocol(self):
        wanted = self.protocol.settings()
        if self.settings_path.exists():
            found = json.loads(self.settings_path.read_text())
            # an older file lacks the settings added since: they had their defaults then
            if Protocol.from_settings(found) != self.protocol and self.path.exists():
                raise DataError(
                    f"{self.path} holds results of another protocol ({found}); this run asks "
                    f"for {wanted}. Use another results file, or delete this one to start over.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.settings_path.write_text(json.dumps(wanted, indent=2) + "\n")

    def read(self) -> pd.DataFrame:
        """The rows written so far (a last line cut short by an interruption is dropped).

        Returns
        -------
        DataFrame
            One row per result; the text columns (:data:`TEXT_COLUMNS`) read as text.
        """
        if not self.path.exists() or not self.path.stat().st_size:
            return pd.DataFrame(columns=KEY)
        text = self.path.read_text()
        if not text.endswith("\n"):  # killed while writing: keep the whole lines
            text = text[:text.rfind("\n") + 1]
            self.path.write_text(text)
        return pd.read_csv(self.path, dtype={column: str for column in TEXT_COLUMNS})

    def done(self) -> set:
        """The (dataset, classifier, method, split) combinations already measured.

        Returns
        -------
        set of tuple
            One ``(dataset, classifier, method, split)`` per row of the file.
        """
        table = self.read()
        return set(table[KEY].itertuples(index=False, name=None))

    def append(self, rows: list) -> None:
        """Add the rows of one split, whole: written, flushed and synced at once.

        Parameters
        ----------
        rows : list of dict
            Result rows, such as :func:`~tabaug.experiments.evaluate.evaluate_split` returns;
            once the file has rows, they may hold no column the file lacks.
        """
        if not rows:
            return
        frame = pd.DataFrame(rows)
        header = not self.path.exists() or not self.path.stat().st_size
        if not header:  # keep the file's columns and order; never drop a measured column
            columns = pd.read_csv(self.path, nrows=0).columns
            unknown = sorted(set(frame.columns) - set(columns))
            if unknown:
                raise DataError(
                    f"{self.path} has no columns {unknown}: it was written by another version "
                    "of the benchmark. Use another results file, or delete this one to start "
                    "over.")
            frame = frame.reindex(columns=columns)
        with open(self.path, "a", encoding="utf-8", newline="") as handle:
            handle.write(frame.to_csv(index=False, header=header))
            handle.flush()
            os.fsync(handle.fileno())


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
        A CSV file that keeps every finished split (:class:`ResultsFile`); splits already in
        it are skipped, so a rerun after an interruption resumes.
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
    0  No augmentation      0   0.987     0.117
    1  No augmentation      1   0.993     0.082
    2            SMOTE      0   0.986     0.158
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
    tasks = []
    for table in tables:
        for split in range(n_splits):
            missing = [m for m in methods if any(
                (table.name, c, m, split) not in done for c in classifiers_for(m, classifiers))]
            if missing:
                tasks.append((table, split, missing))
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_single_threaded)(table, split, missing, classifiers, protocol, None, entries)
        for table, split, missing in tasks)
    new_rows = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
        for rows in tqdm(jobs, total=len(tasks), desc="splits", disable=not progress):
            rows = [row for row in rows if (row["dataset"], row["classifier"], row["method"],
                                            row["split"]) not in done]
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
