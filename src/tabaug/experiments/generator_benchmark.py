"""The generator benchmark: each generator learns real small classes and is judged against rows
of the class it never saw.

The classes are the minority classes of the benchmark's binary tables and every class but the
largest of its multi-class tables (:func:`class_tasks`): real tables of the sizes users bring,
from 17 to a few hundred rows, numeric and categorical. Every table has a role
(:func:`tabaug.data.datasets.table_role`): rules and defaults are chosen on the development
classes, and the generators are compared on the evaluation classes, which no setting was chosen
on.

On each seed, a class's table is split in two halves, stratified by class
(:func:`class_split`). Each generator is trained, through
:class:`~tabaug.sampling.oversampler.GenerativeOverSampler` with its defaults, on the training
half (the class's rows; a conditional generator, every class's), and makes as many rows of the
class as it learned from. Its rows are then judged as :func:`tabaug.fidelity.report.target_check`
judges them, in the training rows' encoding (:func:`tabaug.fidelity.two_sample.encode_tables`):

- ``c2st_auc``: the two-sample test's ROC AUC against the held-out half of the class (0.5: as
  good as new real rows), the score the generators are ranked by;
- ``c2st_vs_train`` and ``c2st_gap`` (against the training rows, and that minus ``c2st_auc``):
  the memorisation gap; ``closer_share`` / ``closer_p_value``: the memorisation test;
  ``dcr_ratio``; ``on_target``: realistic and not memorising;
- ``fit_s``: seconds of ``fit_resample`` (training and making the rows), on one thread.

The real held-out rows are measured too, as the reference ``"real rows"`` (``c2st_auc``: the
held-out rows against the training rows, what two real samples of these sizes score). Results
are appended to a CSV file task by task, so that an interrupted run resumes
(:class:`GeneratorResults`); :func:`summarize_generators` gives each generator's score with an
interval over origins and its difference from a reference generator, paired by origin.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from tabaug.errors import DataError
from tabaug.experiments.results import append_rows, read_rows

__all__ = [
    "ClassTask", "class_split", "class_tasks", "GAN_GENERATORS", "GeneratorResults",
    "MAX_CLASS_ROWS", "MIN_CLASS_ROWS", "origin_means", "REAL_ROWS", "RECOMMENDATION_RULE",
    "RESULT_COLUMNS", "recommend_generator", "run_generator_benchmark", "summarize_generators",
    "task_result", "task_table",
]

#: Classes with fewer rows than this are left out: their halves would hold too few rows for the
#: two-sample test's 5 folds.
MIN_CLASS_ROWS = 16
#: Classes with more rows are left out: the benchmark is about the small classes that users
#: augment (the largest in it, yeast1's minority, has 429 rows).
MAX_CLASS_ROWS = 500
#: The name of the reference rows: the class's real held-out rows, measured like a generator's.
REAL_ROWS = "real rows"
#: The registered generators that are GANs: the best of them is the course's "GAN worth
#: teaching", compared with the recommended generator.
GAN_GENERATORS = ("paper-gan", "wgan-gp", "conditional-gan")
#: :func:`recommend_generator`'s rule in words, for the command's output and README.
RECOMMENDATION_RULE = ("a generator is recommended over {reference} only when its difference "
                       "from it has its whole 95% interval below 0; of those, the lowest mean")
#: The columns of a result row, in order.
RESULT_COLUMNS = [
    "role", "origin", "table", "label", "seed", "generator", "class_rows", "train_rows",
    "held_out_rows", "fit_s", "unit_s", "c2st_auc", "c2st_vs_train", "c2st_gap", "closer_share",
    "closer_p_value", "dcr_ratio", "on_target", "warnings", "error",
]


@dataclass(frozen=True)
class ClassTask:
    """One class of one built-in table that the generators learn: where it comes from, its
    role, and its number of rows."""

    table: str
    label: str
    origin: str
    role: str
    rows: int


def class_tasks(role=None, tables=None) -> list:
    """The classes of the generator benchmark, one per distinct set of rows.

    Parameters
    ----------
    role : {"development", "evaluation"} or None, default=None
        Only the classes of tables of this role (:func:`~tabaug.data.datasets.table_role`);
        None: both.
    tables : list of str or None, default=None
        Built-in table names (default: every table of the benchmark).

    Returns
    -------
    list of ClassTask
        The minority class of each binary table and every class but the largest of each
        multi-class table, with :data:`MIN_CLASS_ROWS` to :data:`MAX_CLASS_ROWS` rows. A class
        whose rows another table already gave (abalone19's and abalone-19_vs_10-11-12-13's
        minority are the same 32 abalones) is kept once, under the first table.

    Examples
    --------
    >>> from tabaug.experiments.generator_benchmark import class_tasks
    >>> [(task.table, task.label, task.rows) for task in class_tasks(tables=["new_thyroid"])]
    [('new_thyroid', '2', 35), ('new_thyroid', '3', 30)]
    """
    from tabaug.data.datasets import (
        BENCHMARK_DATASETS,
        MULTICLASS_DATASETS,
        ROLES,
        load_benchmark_table,
        table_role,
    )

    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {ROLES} or None, not {role!r}.")
    names = list(BENCHMARK_DATASETS + MULTICLASS_DATASETS) if tables is None else list(tables)
    tasks, seen = [], set()
    for name in names:
        if role is not None and table_role(name) != role:
            continue
        table = load_benchmark_table(name)
        labels = table.frame[table.target].astype(str)
        counts = labels.value_counts()
        for label in counts.index[1:]:  # every class but the largest
            if not MIN_CLASS_ROWS <= counts[label] <= MAX_CLASS_ROWS:
                continue
            rows = table.frame.loc[labels == label, table.features]
            fingerprint = (table.origin, tuple(rows.columns),
                           tuple(sorted(pd.util.hash_pandas_object(rows, index=False))))
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            tasks.append(ClassTask(name, str(label), table.origin, table_role(name),
                                   int(counts[label])))
    return tasks


def class_split(task: ClassTask, seed: int):
    """The two halves of ``task``'s table on ``seed`` (stratified by class).

    Returns
    -------
    X_train, y_train : DataFrame, Series
        The training half: every class, the labels as text (what a generator learns from).
    held_out : DataFrame
        The class's rows of the other half (real rows no generator saw).
    """
    from tabaug.data.datasets import load_benchmark_table

    table = load_benchmark_table(task.table)
    labels = table.frame[table.target].astype(str)
    X_train, X_other, y_train, y_other = train_test_split(
        table.frame[table.features], labels, test_size=0.5, stratify=labels, random_state=seed)
    return X_train, y_train, X_other[y_other == task.label]


# --- one task ---------------------------------------------------------------------------------
def task_result(task: ClassTask, generators, seed: int, c2st_repeats: int = 5) -> list:
    """The result rows of ``task`` on ``seed``: the real held-out rows, then each generator.

    A generator that fails is recorded with its error (and no scores), never skipped in
    silence.
    """
    from tabaug.fidelity.report import target_check
    from tabaug.fidelity.two_sample import c2st_auc
    from tabaug.generators.columns import TableEncoder

    X_train, y_train, held_out = class_split(task, seed)
    class_train = X_train[y_train == task.label]
    base = {"role": task.role, "origin": task.origin, "table": task.table, "label": task.label,
            "seed": seed, "class_rows": task.rows, "train_rows": len(class_train),
            "held_out_rows": len(held_out)}
    # The space the rows are compared in, fitted on every row whose categories a compared row
    # can hold: the training half (a generator may make any of its categories) and the
    # class's held-out rows (which may hold one the training half lacks).
    encoder = TableEncoder().fit(pd.concat([X_train, held_out]))
    train_x, held_x = encoder.transform(class_train), encoder.transform(held_out)
    rows = [{**base, "generator": REAL_ROWS,
             "c2st_auc": c2st_auc(train_x, held_x, n_repeats=c2st_repeats, random_state=seed)}]
    for name in generators:
        row = {**base, "generator": name}
        try:
            generated, row["fit_s"], row["warnings"] = _generate(name, X_train, y_train,
                                                                 task.label, seed)
            check = target_check(train_x, held_x, encoder.transform(generated),
                                 random_state=seed, n_repeats=c2st_repeats)
            row.update({column: check[column] for column in RESULT_COLUMNS if column in check})
        except Exception as error:  # recorded in the row: one generator must not stop the rest
            row["error"] = f"{type(error).__name__}: {error}"
        rows.append(row)
    return rows


def _generate(name, X_train, y_train, label, seed):
    """As many rows of class ``label`` as it has training rows, from generator ``name`` with
    its defaults: the rows, the seconds of ``fit_resample`` and the warnings' names."""
    from tabaug.sampling.oversampler import GenerativeOverSampler

    n_rows = int((y_train == label).sum())
    sampler = GenerativeOverSampler(generator=name, sampling_strategy={label: 2 * n_rows},
                                    random_state=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        began = time.perf_counter()
        X_out, _ = sampler.fit_resample(X_train, y_train)
        seconds = time.perf_counter() - began
    generated = X_out.iloc[len(X_train):]
    if len(generated) != n_rows:
        raise DataError(f"{name} made {len(generated)} rows of class {label!r}, not {n_rows}.")
    return generated, seconds, "; ".join(sorted({w.category.__name__ for w in caught}))


# --- a resumable run --------------------------------------------------------------------------
class GeneratorResults:
    """A CSV file of the benchmark's result rows, appended to task by task, with the run's
    settings beside it (``<name>.json``); reopened with other settings, it refuses.

    Parameters
    ----------
    path : str or Path
        The CSV file; its folder is made if missing.
    settings : dict
        What makes rows comparable (the two-sample test's repeats); saved as JSON.
    """

    def __init__(self, path, settings: dict):
        self.path = Path(path)
        self.settings_path = self.path.with_suffix(".json")
        if self.settings_path.exists() and self.path.exists():
            found = json.loads(self.settings_path.read_text())
            if found != settings:
                raise DataError(f"{self.path} holds results of other settings ({found}); this "
                                f"run asks for {settings}. Use another output folder, or "
                                "delete the file to start over.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.settings_path.write_text(json.dumps(settings, indent=2) + "\n")

    def read(self) -> pd.DataFrame:
        """The rows written so far (a last line cut short by an interruption is dropped)."""
        return read_rows(self.path, RESULT_COLUMNS, ["label", "warnings", "error"])

    def append(self, rows: list) -> None:
        """Add one task's rows, whole: written, flushed and synced at once."""
        append_rows(self.path, pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS))


def _one_thread(task, names, seed, c2st_repeats, entries):
    """:func:`task_result` on one thread (tasks run in parallel on the cores), after making the
    caller's registry entries known (a worker process starts with the built-in ones only) and
    importing each generator quietly (TensorFlow's start-up lines silenced)."""
    from tabaug.generators import register
    from tabaug.generators.quiet import generator_class_quietly

    for name, entry in entries.items():
        register(name, entry)
        generator_class_quietly(name, entry)
    with threadpool_limits(1):
        return task_result(task, names, seed, c2st_repeats)


def run_generator_benchmark(tasks, generators, seeds, *, c2st_repeats=5, results_path=None,
                            n_jobs=1, progress=True, unit_seconds=None) -> pd.DataFrame:
    """Train and judge every generator on every class task and seed.

    Parameters
    ----------
    tasks : list of ClassTask
        The classes (:func:`class_tasks`).
    generators : list of str
        Registered generator names.
    seeds : list of int
        Each seed is a new split of each table, new generators and new two-sample folds.
    c2st_repeats : int, default=5
        Repeats of the two-sample test's 5-fold cross-validation.
    results_path : str, Path or None, default=None
        A CSV file to append each task's rows to, and to resume from: the tasks it already
        holds (for every generator) are not run again. None: kept in memory only.
    n_jobs : int, default=1
        Tasks run in this many processes, one thread each.
    progress : bool, default=True
        Show a progress bar of the tasks.
    unit_seconds : float or None, default=None
        The machine's unit measured for this run (:func:`tabaug.experiments.speed.unit_seconds`),
        written in every new row as ``unit_s``, so that rows of runs made at other times (or on
        other machines) each give their fit time in units: ``fit_s / unit_s``.

    Returns
    -------
    DataFrame
        One row per task, seed and generator (and the real rows), :data:`RESULT_COLUMNS`.
    """
    from tabaug.generators import GENERATORS, generator_class

    generators = list(generators)
    for name in generators:
        generator_class(name)  # an unknown name stops here, with the known ones
    entries = {name: GENERATORS[name] for name in generators}
    settings = {"c2st_repeats": int(c2st_repeats), "min_class_rows": MIN_CLASS_ROWS,
                "max_class_rows": MAX_CLASS_ROWS, "split": "stratified halves"}
    store = None if results_path is None else GeneratorResults(results_path, settings)
    done = store.read() if store is not None else pd.DataFrame(columns=RESULT_COLUMNS)
    measured = set(zip(done["table"].astype(str), done["label"].astype(str),
                       done["seed"].astype(int), done["generator"].astype(str)))
    jobs = []
    for seed in seeds:
        for task in tasks:
            missing = [name for name in generators
                       if (task.table, task.label, int(seed), name) not in measured]
            if missing:
                jobs.append((task, missing, int(seed)))
    rows = []
    for task_rows in _progress(Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_one_thread)(task, names, seed, c2st_repeats, entries)
            for task, names, seed in jobs), len(jobs), progress):
        task_rows = [{**row, "unit_s": unit_seconds} for row in task_rows]
        if store is not None:
            store.append(_without_known(task_rows, measured))
        rows.extend(task_rows)
    if store is not None:
        return store.read()
    return pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)


def _without_known(rows, measured) -> list:
    """``rows`` but those the file already holds (a rerun adds a generator: the real rows of
    its tasks are measured again and kept once)."""
    return [row for row in rows
            if (row["table"], row["label"], int(row["seed"]), row["generator"]) not in measured]


def _progress(iterable, total, show):
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc="class tasks", unit="task")


# --- the summary ------------------------------------------------------------------------------
def origin_means(results: pd.DataFrame, column="c2st_auc") -> pd.DataFrame:
    """``column`` per origin (rows) and generator (columns): the mean over the origin's tasks
    of each task's mean over seeds. An origin counts once, whatever its number of tables.
    Failed runs (no score) are left out of the means; :func:`summarize_generators` counts
    them."""
    scored = results.dropna(subset=[column])
    by_task = scored.groupby(["origin", "table", "label", "generator"])[column].mean()
    return by_task.groupby(["origin", "generator"]).mean().unstack("generator")


def summarize_generators(results: pd.DataFrame, reference="gaussian-copula",
                         confidence=0.95) -> pd.DataFrame:
    """Each generator's held-out score and its difference from ``reference``, with intervals.

    The unit of evidence is the origin (:func:`origin_means`): tables cut from one population
    are not independent. The interval of the mean is Student's t over origins; the difference
    from ``reference`` is paired by origin, on the origins where both have a score.

    Returns
    -------
    DataFrame
        Per generator (the real rows first): ``origins``, ``tasks``, ``runs``, ``failed``,
        ``c2st_mean`` / ``c2st_low`` / ``c2st_high``, ``gap_mean`` (memorisation gap),
        ``on_target_share``, ``fit_s_median``, ``fit_units_median`` (each run's seconds over
        its ``unit_s``; empty where no unit was measured), and ``diff_mean`` / ``diff_low`` /
        ``diff_high`` (minus ``reference``; negative: closer to real rows).
    """
    from tabaug.fidelity.seeds import t_interval

    means = origin_means(results)
    gaps = origin_means(results, "c2st_gap")
    summary = {}
    for name, runs in results.groupby("generator", sort=False):
        scores = means[name].dropna() if name in means else pd.Series(dtype=float)
        row = {"origins": len(scores), "tasks": runs[["table", "label"]].drop_duplicates().shape[0],
               "runs": len(runs), "failed": int(runs["c2st_auc"].isna().sum()),
               **_interval(scores, "c2st", t_interval, confidence),
               "gap_mean": gaps[name].mean() if name in gaps else np.nan,
               "on_target_share": runs["on_target"].dropna().astype(bool).mean()
               if runs["on_target"].notna().any() else np.nan,
               "fit_s_median": runs["fit_s"].median(),
               "fit_units_median": (runs["fit_s"] / runs["unit_s"]).median()
               if "unit_s" in runs else np.nan}
        if reference in means and name != reference and name in means:
            paired = (means[name] - means[reference]).dropna()
            row.update(_interval(paired, "diff", t_interval, confidence))
        summary[name] = row
    order = [REAL_ROWS] + sorted(name for name in summary if name != REAL_ROWS)
    return pd.DataFrame.from_dict(summary, orient="index").reindex(
        [name for name in order if name in summary]).rename_axis("generator")


def recommend_generator(summary: pd.DataFrame, reference="gaussian-copula") -> str:
    """The generator a benchmark's summary supports, by a rule fixed before any run.

    A generator is recommended over ``reference`` only when its paired difference from it has
    its whole interval below 0 (closer to real rows on the evidence, not by chance); of those,
    the one with the lowest mean score. When none is, ``reference`` is recommended: it is the
    cheapest (the Gaussian copula fits in milliseconds), and a costlier model must show that it
    earns its time.

    Parameters
    ----------
    summary : DataFrame
        :func:`summarize_generators` of the run, with ``reference`` as its reference.
    reference : str, default="gaussian-copula"
        The generator the others must beat.

    Returns
    -------
    str
        A generator's name.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"c2st_mean": [0.70, 0.64, 0.60],
    ...                         "diff_high": [float("nan"), -0.01, 0.05]},
    ...                        index=["gaussian-copula", "forest-flow", "tvae"])
    >>> recommend_generator(summary)
    'forest-flow'
    """
    if reference not in summary.index:
        raise ValueError(f"The summary has no row for the reference {reference!r}: summarise "
                         "the run with it as the reference (summarize_generators(results, "
                         f"reference={reference!r})).")
    candidates = summary.drop(index=[name for name in (reference, REAL_ROWS)
                                     if name in summary.index])
    shown_lower = candidates[candidates["diff_high"] < 0]
    if shown_lower.empty:
        return reference
    return str(shown_lower["c2st_mean"].idxmin())


def _interval(values, prefix, t_interval, confidence) -> dict:
    if len(values) < 2:
        return {f"{prefix}_mean": values.mean() if len(values) else np.nan,
                f"{prefix}_low": np.nan, f"{prefix}_high": np.nan}
    found = t_interval(values.to_numpy(), confidence)
    return {f"{prefix}_{key}": found[key] for key in ("mean", "low", "high")}


def task_table(tasks) -> pd.DataFrame:
    """The tasks as a table (one row per class)."""
    return pd.DataFrame([asdict(task) for task in tasks])
