"""When does augmentation help? Notebook 06's study on many tables, classifiers and methods.

For every table and random split (seed ``seed + split``): the rows are split into training,
validation and test rows (:func:`tabaug.data.preprocessing.prepare_frame`); each method resamples
the training rows only; each classifier's setting and its decision threshold are tuned on the
validation rows; the test rows are touched once. Every method sees the same splits, so comparisons
are paired.

Unlike notebooks 04 and 06, the tuned model is not refitted on training plus validation rows:
the threshold tuned on the validation rows must belong to the model that is tested, and the
validation rows, never augmented, would dilute what a method did to the training rows.

Results are one row per (dataset, classifier, method, split), appended to a CSV file as each
split finishes (:class:`ResultsFile`): an interrupted run resumes where it stopped. Splits run
in parallel with joblib, on one core, every core, or a Dask cluster
(``joblib.parallel_config(backend="dask")`` with a ``distributed.Client``).
"""

from __future__ import annotations

import json
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
)
from joblib import Parallel, delayed
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from tabaug.data.preprocessing import prepare_frame
from tabaug.errors import DataError
from tabaug.experiments.binning import binning_for
from tabaug.experiments.study import NO_AUGMENTATION, Method
from tabaug.experiments.tuning import PAPER_PARAM_GRID, tune_estimator
from tabaug.generators.quiet import generator_class_quietly
from tabaug.metrics import benchmark_metrics, best_f1_threshold, metric_columns
from tabaug.sampling.classic import fit_neighbours

__all__ = [
    "available_methods", "check_classifiers", "check_methods", "CLASSIC_METHODS", "Classifier",
    "CLASSIFIERS", "default_generators", "Encoding", "evaluate_table_split", "failures",
    "generator_entries", "KEY", "make_method", "Preset", "presets", "Protocol",
    "results_file_name", "ResultsFile", "run_benchmark", "SAMPLER_FAILURES", "sort_results",
    "TEXT_COLUMNS",
]

#: The columns that name one result row; a results file holds each combination once.
KEY = ["dataset", "classifier", "method", "split"]
#: Columns of text, read back as text (an empty note is missing, not a number).
TEXT_COLUMNS = ["dataset", "classifier", "method", "note", "warnings", "error"]
#: What a sampler raises when it cannot resample a table (ADASYN: a RuntimeError when no
#: minority row has a majority neighbour); such a method is recorded as failed there.
SAMPLER_FAILURES = (ValueError, RuntimeError)


# --- Classifiers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Classifier:
    """A classifier of the benchmark: how to make it, the grid tuned on validation rows, and
    whether it can weigh classes (``class_weight``)."""

    make: Callable  # make(seed, class_weight) -> unfitted scikit-learn classifier
    grid: dict
    weighs_classes: bool = True


CLASSIFIERS: dict[str, Classifier] = {
    # The paper's classifier and grid, as in notebooks 04 and 06.
    "HGB": Classifier(
        lambda seed, class_weight: HistGradientBoostingClassifier(
            random_state=seed, class_weight=class_weight),
        PAPER_PARAM_GRID),
    # The linear model users reach for first; features are min-max scaled already.
    "LR": Classifier(
        lambda seed, class_weight: LogisticRegression(max_iter=2000, class_weight=class_weight),
        {"C": [0.01, 0.1, 1, 10, 100]}),
    # A distance-based model: it has no class weights, so resampling is its only lever.
    "kNN": Classifier(
        lambda seed, class_weight: KNeighborsClassifier(),
        {"n_neighbors": [5, 15, 45], "weights": ["uniform", "distance"]},
        weighs_classes=False),
}


# --- Methods ----------------------------------------------------------------------------------
#: The generators' method names are their registered names (tabaug.generators). By default the
#: benchmark runs every registered generator, the paper's GAN included: its rows are told from
#: real ones with ROC AUC near 1 (README's generator table), and the benchmark shows what that
#: does to a classifier.
CLASSIC_METHODS = [NO_AUGMENTATION, "Class weight", "RO", "SMOTE", "Borderline-SMOTE", "ADASYN"]


def default_generators() -> list:
    """Every registered generator (tabaug.generators), in registration order."""
    from tabaug.generators import available_generators

    return [name for name in available_generators() if name not in CLASSIC_METHODS]


def available_methods() -> list:
    """Every method the benchmark can run: the classic ones, then each registered generator."""
    return CLASSIC_METHODS + default_generators()


def check_methods(methods) -> list:
    """The methods to run (None: :func:`available_methods`, every one), with no augmentation
    first, the reference of every comparison. Unknown names raise ValueError."""
    known = available_methods()
    methods = known if methods is None else list(methods)
    unknown = [name for name in methods if name not in known]
    if unknown:
        raise ValueError(f"Unknown method(s) {unknown}. Known methods: {known}.")
    return [NO_AUGMENTATION] + [name for name in dict.fromkeys(methods)
                                if name != NO_AUGMENTATION]


def check_classifiers(classifiers) -> list:
    """The classifier names to run (None: all of :data:`CLASSIFIERS`)."""
    classifiers = list(CLASSIFIERS) if classifiers is None else list(classifiers)
    unknown = [name for name in classifiers if name not in CLASSIFIERS]
    if unknown:
        raise ValueError(f"Unknown classifier(s) {unknown}. Known: {list(CLASSIFIERS)}.")
    return classifiers


def make_method(name, seed, y_train, categorical=(), n_features=None,
                generators=None) -> Method:
    """The method ``name`` for training labels ``y_train``; ``categorical``: positions of the
    categorical columns among the ``n_features`` columns of the sampling table (SMOTE becomes
    SMOTE-NC where there are some, SMOTEN where all are). ``generators``: the caller's
    registry entries (:func:`generator_entries`); a name not in it is looked up in this
    process's registry."""
    if name == NO_AUGMENTATION:
        return Method()
    if name == "Class weight":
        return Method(class_weight="balanced")
    if name == "RO":
        return Method(RandomOverSampler(random_state=seed))
    if name == "SMOTE":
        return _smote(seed, y_train, categorical, n_features)
    if name in ("Borderline-SMOTE", "ADASYN"):
        sampler = (BorderlineSMOTE if name == "Borderline-SMOTE" else ADASYN)(random_state=seed)
        return Method(sampler, note=fit_neighbours(sampler, y_train))
    from tabaug.sampling.oversampler import GenerativeOverSampler

    # Imported in the worker, TensorFlow's start-up lines silenced where the generator needs it.
    generator = generator_class_quietly(name, (generators or {}).get(name))()
    return Method(GenerativeOverSampler(generator=generator, random_state=seed))


def generator_entries(methods) -> dict:
    """The registry entry of every generator among ``methods``, as this process holds it.

    Worker processes (loky, Dask) import :mod:`tabaug.generators` afresh and do not see a
    generator registered at run time with :func:`tabaug.generators.register`, so they get the
    entries: a "module:Class" path, which a worker imports itself (quietly, see
    :mod:`tabaug.generators.quiet`), or a class (pickled by reference, or by value where it was
    defined in ``__main__`` or a notebook)."""
    from tabaug.generators import GENERATORS

    return {name: GENERATORS[name] for name in methods if name not in CLASSIC_METHODS}


def _smote(seed, y_train, categorical, n_features) -> Method:
    """SMOTE for numbers; SMOTE-NC with categorical columns too; SMOTEN for categories only."""
    categorical = list(categorical)
    if not categorical:
        sampler, kind = SMOTE(random_state=seed), ""
    elif n_features is not None and len(categorical) == n_features:
        sampler, kind = SMOTEN(random_state=seed), "SMOTEN (categorical columns only)"
    else:
        sampler = SMOTENC(categorical_features=categorical, random_state=seed)
        kind = "SMOTE-NC (categorical columns)"
    return Method(sampler, note="; ".join(filter(None, [kind, fit_neighbours(sampler,
                                                                             y_train)])))


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
    """``class``: a few minutes on Colab's two cores; ``quick``: notebook 08's default, within
    its budget of 100 units; ``full``: every table, method and classifier (hours; resumable)."""
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


# --- The sampling table: categories as one column each ---------------------------------------
@dataclass
class Encoding:
    """Where the one-hot groups of the categorical columns sit in the encoded features, so
    that samplers can see one categorical column per group (SMOTE-NC, the generators) and the
    classifiers the one-hot columns."""

    n_features: int
    groups: list = field(default_factory=list)  # (first column, number of categories)

    @classmethod
    def of(cls, data) -> "Encoding":
        """The groups of :class:`~tabaug.data.preprocessing.PreparedData`'s one-hot columns."""
        n_features = data.X_train.shape[1]
        transformer = data.preprocessor.named_transformers_.get("categorical")
        if transformer is None:
            return cls(n_features)
        sizes = [len(c) for c in transformer.named_steps["one_hot"].categories_]
        first = n_features - sum(sizes)
        starts = first + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        return cls(n_features, [(int(s), int(k)) for s, k in zip(starts, sizes)])

    @property
    def n_numeric(self) -> int:
        return self.n_features - sum(size for _, size in self.groups)

    @property
    def categorical(self) -> list:
        """Positions of the categorical columns in the sampling table (after the numeric)."""
        return list(range(self.n_numeric, self.n_numeric + len(self.groups)))

    def to_table(self, X):
        """Encoded rows -> the sampling table (the array itself when there are no categories):
        numeric columns, then one categorical column of codes per one-hot group."""
        if not self.groups:
            return X
        table = pd.DataFrame(X[:, :self.n_numeric], columns=[f"x{i}" for i in
                                                             range(self.n_numeric)])
        for number, (start, size) in enumerate(self.groups):
            codes = X[:, start:start + size].argmax(axis=1)
            table[f"c{number}"] = pd.Categorical(codes, categories=range(size))
        return table

    def to_features(self, table):
        """The sampling table -> encoded rows (the inverse of :meth:`to_table`)."""
        if not self.groups:
            return np.asarray(table, dtype=float)
        parts = [table.iloc[:, :self.n_numeric].to_numpy(dtype=float)]
        for number, (_, size) in enumerate(self.groups):
            codes = table[f"c{number}"].astype(int).to_numpy()
            parts.append(np.eye(size)[codes])
        return np.hstack(parts)


# --- Metrics ----------------------------------------------------------------------------------


# --- One split of one table -------------------------------------------------------------------
@dataclass(frozen=True)
class Protocol:
    """The settings every split of a benchmark shares (kept beside its results file)."""

    seed: int = 0
    train_size: float = 0.5
    validation_share: float = 0.4
    specificity: float = 0.95


def evaluate_table_split(name, frame, target, id_columns, split, methods, classifiers,
                         protocol=Protocol(), generators=None) -> list:
    """Every method and classifier on split ``split`` of one table: one row per pair.
    ``generators``: as :func:`make_method` takes them."""
    seed = protocol.seed + split
    data = prepare_frame(frame, target, seed, protocol.train_size, protocol.validation_share,
                         verbose=False, id_columns=id_columns)
    encoding = Encoding.of(data)
    counts, table_counts = np.bincount(data.y_train), frame[target].value_counts()
    facts = {"dataset": name, "split": split, "seed": seed, "classes": len(counts),
             "rows": len(frame), "minority_rows": int(table_counts.min()),
             "imbalance_ratio": float(table_counts.max() / table_counts.min()),
             "train_rows": len(data.y_train),
             "train_minority_rows": int(counts.min()), "validation_rows": len(data.y_val),
             "test_rows": len(data.y_test)}
    rows = []
    for method_name in methods:
        try:
            method, X, y, seconds, caught = _resample(method_name, seed, data, encoding,
                                                      generators)
        except SAMPLER_FAILURES as error:  # recorded, never dropped: see failures()
            rows += [{**facts, "classifier": classifier_name, "method": method_name,
                      **dict.fromkeys([*metric_columns(protocol.specificity), "threshold"],
                                      np.nan),
                      "error": f"{type(error).__name__}: {error}"}
                     for classifier_name in _classifiers_for(method_name, classifiers)]
            continue
        for classifier_name in _classifiers_for(method_name, classifiers):
            classifier = CLASSIFIERS[classifier_name]
            began = time.perf_counter()
            metrics, threshold = _fit_and_score(classifier, method, seed, X, y, data, protocol)
            rows.append({**facts, "classifier": classifier_name, "method": method_name,
                         **metrics, "threshold": threshold, "resample_seconds": seconds,
                         "fit_seconds": time.perf_counter() - began, "note": method.note,
                         "warnings": caught, "error": ""})
    return rows


def _classifiers_for(method_name, classifiers) -> list:
    """The classifiers a method pairs with: class weights only where a classifier has them
    (kNN has none)."""
    return [name for name in classifiers
            if method_name != "Class weight" or CLASSIFIERS[name].weighs_classes]


def failures(results: pd.DataFrame) -> pd.DataFrame:
    """Methods that could not resample a table: one row per (method, dataset) with the number
    of splits that failed, out of how many, and the sampler's message. Their metrics are
    missing, so the statistics leave those tables out for that method (and say so)."""
    columns = ["method", "dataset", "failed_splits", "splits", "error"]
    failed = results[results["error"].fillna("") != ""] if "error" in results else results[:0]
    if failed.empty:
        return pd.DataFrame(columns=columns)
    splits = results.groupby(["method", "dataset"], observed=True)["split"].nunique()
    table = (failed.groupby(["method", "dataset"], observed=True, sort=False)
             .agg(failed_splits=("split", "nunique"), error=("error", "first")).reset_index())
    table.insert(3, "splits", [splits[key] for key in zip(table["method"], table["dataset"])])
    return table[columns]


def _resample(name, seed, data, encoding, generators=None):
    """The method's training rows; its warnings are kept as text, not lost in a worker."""
    method = make_method(name, seed, data.y_train, encoding.categorical,
                         encoding.n_numeric + len(encoding.groups), generators)
    began = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method.sampler is None:
            X, y = data.X_train, data.y_train
        else:
            table, y = method.sampler.fit_resample(
                encoding.to_table(data.X_train) if _sees_table(method) else data.X_train,
                data.y_train)
            X = encoding.to_features(table) if _sees_table(method) else np.asarray(table)
    text = "; ".join(dict.fromkeys(f"{type(w.message).__name__}: {w.message}" for w in caught))
    return method, X, np.asarray(y), time.perf_counter() - began, text


def _sees_table(method) -> bool:
    """Borderline-SMOTE and ADASYN interpolate numbers only: they get the one-hot columns."""
    return not isinstance(method.sampler, (BorderlineSMOTE, ADASYN))


def _fit_and_score(classifier, method, seed, X, y, data, protocol):
    """Tune the setting and the threshold on the validation rows, score the test rows."""
    model = classifier.make(seed, method.class_weight)
    search = tune_estimator(model, classifier.grid, X, y, data.X_val, data.y_val, refit=False,
                            fast_binning=True)
    model.set_params(**search.best_params_)
    with binning_for(model):
        model.fit(X, y)
    threshold = None
    if data.n_classes == 2:
        threshold = best_f1_threshold(data.y_val, model.predict_proba(data.X_val)[:, 1])
    proba = model.predict_proba(data.X_test)
    return benchmark_metrics(data.y_test, proba, data.class_names, threshold,
                             protocol.specificity), threshold


def _single_threaded(*args, **kwargs):
    # Splits run in parallel on the cores; one thread each avoids oversubscribing them.
    with threadpool_limits(1):
        return evaluate_table_split(*args, **kwargs)


# --- Results that survive an interruption -----------------------------------------------------
def results_file_name(protocol: Protocol) -> str:
    """A results file name that says its protocol, so that runs of other settings (another
    seed, say) each keep their own file and resume it."""
    return (f"results_seed{protocol.seed}_train{protocol.train_size:g}"
            f"_validation{protocol.validation_share:g}_specificity{protocol.specificity:g}.csv")


class ResultsFile:
    """A CSV file of result rows, appended to as splits finish, with the protocol beside it
    (``<name>.json``). Reopened with the same protocol, it says which splits are done; with
    another, it refuses (mixing protocols would mix incomparable numbers)."""

    def __init__(self, path, protocol: Protocol):
        self.path = Path(path)
        self.settings_path = self.path.with_suffix(".json")
        self.protocol = protocol
        self._check_protocol()

    def _check_protocol(self):
        wanted = vars(self.protocol)
        if self.settings_path.exists():
            found = json.loads(self.settings_path.read_text())
            if found != wanted and self.path.exists():
                raise DataError(
                    f"{self.path} holds results of another protocol ({found}); this run asks "
                    f"for {wanted}. Use another results file, or delete this one to start over.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.settings_path.write_text(json.dumps(wanted, indent=2) + "\n")

    def read(self) -> pd.DataFrame:
        """The rows written so far (a last line cut short by an interruption is dropped)."""
        if not self.path.exists() or not self.path.stat().st_size:
            return pd.DataFrame(columns=KEY)
        text = self.path.read_text()
        if not text.endswith("\n"):  # killed while writing: keep the whole lines
            text = text[:text.rfind("\n") + 1]
            self.path.write_text(text)
        return pd.read_csv(self.path, dtype={column: str for column in TEXT_COLUMNS})

    def done(self) -> set:
        """The (dataset, classifier, method, split) combinations already measured."""
        table = self.read()
        return set(table[KEY].itertuples(index=False, name=None))

    def append(self, rows: list) -> None:
        """Add the rows of one split, whole: written, flushed and synced at once."""
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

    ``tables``: :class:`tabaug.data.datasets.BenchmarkTable` objects (name, frame, target,
    id_columns). ``results_path``: a CSV file that keeps every finished split; splits already
    in it are skipped, so a rerun after an interruption resumes. ``n_jobs``: parallel splits
    (-1: every core); under ``joblib.parallel_config(backend="dask")`` they run on the Dask
    cluster of the current ``distributed.Client``. Returns every row of the results, sorted.

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
    methods, classifiers = check_methods(methods), check_classifiers(classifiers)
    generators = generator_entries(methods)  # the caller's registry, for every worker
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
                (table.name, c, m, split) not in done for c in _classifiers_for(m, classifiers))]
            if missing:
                tasks.append((table, split, missing))
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_single_threaded)(table.name, table.frame, table.target, list(table.id_columns),
                                  split, missing, classifiers, protocol, generators)
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
    return sort_results(results, [t.name for t in tables], methods, classifiers)


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
