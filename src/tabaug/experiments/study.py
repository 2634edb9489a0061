"""Is augmentation really better? The pipeline over many random splits, and an imbalance sweep.

Every method sees the same splits. For each split: resample the training rows only, tune the
classifier on the validation rows only, and touch the test rows once. Comparisons are paired
(same split, two methods), and their intervals use the corrected resampled t-test of Nadeau and
Bengio (2003), because random splits of one data set overlap and plain t-tests would be far
too confident.
"""

from __future__ import annotations

import warnings

import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from tabaug.errors import DataError
from tabaug.experiments.classifiers import Classifier, hgb
from tabaug.experiments.evaluate import evaluate_split, failures
from tabaug.experiments.methods import (
    CLASSIC_METHODS,
    NO_AUGMENTATION,
    available_methods,
    check_methods,
    method_entries,
)
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.results import ResultsFile, missing_methods, ratio_text, row_key
from tabaug.experiments.tuning import PAPER_PARAM_GRID, PRACTICAL_HGB_GRID
from tabaug.metrics import lower_is_better
from tabaug.stats.intervals import corrected_t_interval, holm

__all__ = [
    "check_sweep_methods", "correction_ratio", "overlap_ratio", "paired_differences",
    "paper_classifier", "run_study", "STUDY_GRID", "STUDY_METHODS", "STUDY_PROTOCOL",
    "summarize",
]

#: Notebook 06's protocol: as the paper's, the chosen setting refitted on training plus
#: validation rows and no threshold tuned; unlike the paper's, the setting chosen by log loss, a
#: proper scoring rule (``scoring=None`` is the paper's F1), over
#: :data:`STUDY_GRID`; each class's precision, recall and F1 in every row.
STUDY_PROTOCOL = Protocol(scoring="neg_log_loss", refit=True, tune_threshold=False,
                          per_class_metrics=True)
#: The study's grid for HistGradientBoosting when none is given: the benchmark's
#: (:data:`~tabaug.experiments.tuning.PRACTICAL_HGB_GRID`; notebook 04 keeps the paper's).
STUDY_GRID = PRACTICAL_HGB_GRID

#: The study's methods when none are named: the classic ones and the paper's GAN. Any other
#: method (a better GAN, another generator) runs when named: the WGAN-GP of notebook 07 trains
#: about 1000 updates per split, several times as long as the paper's GAN on every split.
STUDY_METHODS = [*CLASSIC_METHODS, "paper-gan"]


def paper_classifier(grid=None) -> dict:
    """The study's classifier: the paper's HistGradientBoosting, tuned over ``grid``.

    Parameters
    ----------
    grid : dict or None, default=None
        Parameter name -> values to try on the validation rows. None: the paper's grid
        (:data:`~tabaug.experiments.tuning.PAPER_PARAM_GRID`).

    Returns
    -------
    dict
        ``{"HGB": Classifier}``, a :class:`~tabaug.experiments.classifiers.Classifier`, as
        :func:`run_study` takes it.

    Examples
    --------
    >>> from tabaug.experiments.study import paper_classifier
    >>> paper_classifier()["HGB"].grid
    {'learning_rate': [0.001, 0.01, 0.1, 1, 10], 'min_samples_leaf': [1, 20, 100]}
    >>> classifier = paper_classifier({"learning_rate": [0.1]})["HGB"]  # one setting: quick
    >>> classifier.grid, classifier.make(0)
    ({'learning_rate': [0.1]}, HistGradientBoostingClassifier(random_state=0))
    """
    return {"HGB": Classifier(hgb, PAPER_PARAM_GRID if grid is None else dict(grid))}


def check_sweep_methods(sweep_methods, method_names) -> list:
    """The methods of the imbalance sweep: those of ``sweep_methods`` that the study runs,
    no augmentation first.

    Parameters
    ----------
    sweep_methods : list of str or None
        The methods asked for in the sweep. None: every method of the study.
    method_names : list of str
        The methods the study runs, no augmentation first (as
        :func:`~tabaug.experiments.methods.check_methods` gives them).

    Returns
    -------
    list of str
        No augmentation, then the asked methods, in the study's order. A known method the
        study does not run is left out of the sweep too.

    Raises
    ------
    ValueError
        If a name is no method at all.

    Examples
    --------
    >>> from tabaug.experiments.study import check_sweep_methods
    >>> check_sweep_methods(["ADASYN", "SMOTE"], ["No augmentation", "RO", "SMOTE"])
    ['No augmentation', 'SMOTE']
    >>> check_sweep_methods(None, ["No augmentation", "RO", "SMOTE"])
    ['No augmentation', 'RO', 'SMOTE']
    """
    if sweep_methods is None:
        return list(method_names)
    known = available_methods()
    unknown = [name for name in sweep_methods if name not in known]
    if unknown:
        raise ValueError(f"Unknown sweep method(s) {unknown}. Known methods: {known}.")
    return [name for name in method_names if name == NO_AUGMENTATION or name in sweep_methods]


def _evaluate_split_single_threaded(*args, **kwargs):
    # Workers run in parallel on the cores; one thread each avoids oversubscribing them.
    with threadpool_limits(1):
        return evaluate_split(*args, **kwargs)


def run_study(table, n_splits, methods=None, protocol=STUDY_PROTOCOL,
              *, classifiers=None, ratios=(None,), settings=None, n_jobs=-1, progress=True,
              reference=None, results_path=None) -> pd.DataFrame:
    """Every method on ``n_splits`` random splits of one table (and at every imbalance ratio
    of ``ratios``), in parallel with joblib.

    Parameters
    ----------
    table : BenchmarkTable
        A :class:`~tabaug.data.datasets.BenchmarkTable`.
    n_splits : int
        The number of random splits; split ``i`` is seeded ``protocol.seed + i``.
    methods : list of str or None, default=None
        Names of :func:`~tabaug.experiments.methods.available_methods` (None:
        :data:`STUDY_METHODS`). No augmentation runs too, first.
    protocol : Protocol, default=STUDY_PROTOCOL
        A :class:`~tabaug.experiments.protocol.Protocol`; :data:`STUDY_PROTOCOL` (the paper's)
        by default, with its seed.
    classifiers : dict or None, default=None
        Name -> :class:`~tabaug.experiments.classifiers.Classifier`; default
        :func:`paper_classifier`.
    ratios : tuple, default=(None,)
        Imbalance ratios of the training rows
        (:func:`~tabaug.experiments.evaluate.subsample_minority`); None is the table's own.
    settings : dict or None, default=None
        Method name -> its generator's parameters (notebook 06's GAN settings for
        ``"paper-gan"``).
    n_jobs : int, default=-1
        Splits run in parallel; -1 uses every core. Any joblib backend works through
        ``joblib.parallel_config(backend=...)``: e.g. Dask or Ray to spread splits over a
        cluster.
    progress : bool, default=True
        Show a progress bar of the splits.
    reference : DataFrame or None, default=None
        Results of an earlier run on the same table, splits, ratios and protocol, whose
        no-augmentation rows are reused instead of computed again (they would be the same
        numbers: every method of a split is seeded by the split alone).
    results_path : str, Path or None, default=None
        A CSV file that keeps every finished split
        (:class:`~tabaug.experiments.results.ResultsFile`, as the benchmark's): splits already
        in it are read, not computed again, so a long study resumes after an interruption and
        grows by more splits, ratios or methods. Rows of other tables, splits or methods in the
        file are kept and left out of the result.

    Returns
    -------
    DataFrame
        One row per split, ratio, classifier and method
        (:func:`~tabaug.experiments.evaluate.evaluate_split`), sorted by ratio, split and
        method; ``method`` is categorical, in the order of the methods.

    Raises
    ------
    DataError
        If a method cannot resample a split: it stops the study with the sampler's message.

    Examples
    --------
    Random oversampling against no augmentation on 3 splits (one grid setting, to be quick):

    >>> import numpy as np, pandas as pd
    >>> from tabaug.data.datasets import BenchmarkTable
    >>> from tabaug.experiments.study import paper_classifier, run_study
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"x1": rng.normal(size=200), "x2": rng.normal(size=200)})
    >>> frame["t"] = (frame.x1 + rng.normal(scale=0.8, size=200) > 1.0).astype(int)
    >>> table = BenchmarkTable("toy", frame, "t")
    >>> classifiers = paper_classifier({"learning_rate": [0.1], "min_samples_leaf": [20]})
    >>> results = run_study(table, 3, ["RO"], classifiers=classifiers, n_jobs=1, progress=False)
    >>> results[["split", "method", "recall_1", "f1_1", "pr_auc"]].round(3)
       split           method  recall_1   f1_1  pr_auc
    0      0  No augmentation     0.846  0.629   0.731
    1      0               RO     0.846  0.611   0.731
    2      1  No augmentation     0.500  0.500   0.587
    3      1               RO     0.643  0.600   0.628
    4      2  No augmentation     0.692  0.643   0.604
    5      2               RO     0.692  0.621   0.528
    """
    methods = check_methods(methods, STUDY_METHODS)
    classifiers = paper_classifier(STUDY_GRID) if classifiers is None else classifiers
    reused = None if reference is None else _reference_rows(reference, n_splits, ratios)
    to_run = methods if reused is None else [m for m in methods if m != NO_AUGMENTATION]
    entries = method_entries(to_run)  # the caller's registries, for every worker
    store = None if results_path is None else ResultsFile(results_path, protocol)
    done = set() if store is None else store.done()
    tasks = [(split, ratio, missing) for ratio in ratios for split in range(n_splits)
             if (missing := missing_methods(done, table.name, split, ratio, to_run, classifiers))]
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_evaluate_split_single_threaded)(table, split, missing, classifiers, protocol,
                                                 ratio, entries, settings)
        for split, ratio, missing in tasks
    )
    rows = []
    with warnings.catch_warnings():
        # loky replaces workers whose memory grew (TensorFlow's, once imported) and says so;
        # the jobs are resubmitted, so nothing is lost.
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
        for task in tqdm(jobs, total=len(tasks), desc="splits", disable=not progress):
            task = [row for row in task if row_key(row) not in done]
            if store is not None and not any(row["error"] for row in task):
                store.append(task)  # a split whose method failed is not kept: see below
            rows.extend(task)
    failed = failures(pd.DataFrame(rows))  # no rows (all read from the file): none failed
    if not failed.empty:
        raise DataError("Some methods could not resample a split:\n"
                        + failed.to_string(index=False)
                        + "\nLeave them out of the methods, or use a table with more rows of "
                          "the smallest class.")
    results = pd.DataFrame(rows) if store is None else _stored_rows(
        store, table, n_splits, to_run, ratios, classifiers)
    results = results.drop(columns="error")
    if reused is not None:
        results = pd.concat([reused, results], ignore_index=True)
    results["method"] = pd.Categorical(results["method"].astype(str), categories=methods)
    return results.sort_values(["ratio", "split", "method"], key=_ratio_key).reset_index(drop=True)


def _stored_rows(store, table, n_splits, methods, ratios, classifiers) -> pd.DataFrame:
    """This study's rows of the results file, with the types a fresh run gives them."""
    stored = store.read()
    keep = (stored["dataset"].eq(table.name) & stored["method"].isin(methods)
            & stored["split"].isin(range(n_splits)) & stored["classifier"].isin(classifiers)
            & stored["ratio"].isin([ratio_text(ratio) for ratio in ratios]))
    rows = stored[keep].copy()
    for column in ("note", "warnings", "error"):
        rows[column] = rows[column].fillna("")
    rows["ratio"] = rows["ratio"].map(_ratio_value)
    return rows.reset_index(drop=True)


def _ratio_value(text):
    """A ratio read back from a results file, as a study's rows hold it: "natural", or the
    number (an int where it is whole)."""
    if text == "natural":
        return text
    number = float(text)
    return int(number) if number.is_integer() else number


def _reference_rows(reference, n_splits, ratios) -> pd.DataFrame:
    """The no-augmentation rows of ``reference`` for these splits and ratios, all of them."""
    names = ["natural" if ratio is None else ratio for ratio in ratios]
    rows = reference[(reference["method"].astype(str) == NO_AUGMENTATION)
                     & reference["split"].isin(range(n_splits))
                     & reference["ratio"].isin(names)]
    if len(rows) != n_splits * len(names) or rows.duplicated(["split", "ratio"]).any():
        raise ValueError(f"reference must hold one no-augmentation row per split (0 to "
                         f"{n_splits - 1}) and ratio {names}; it has {len(rows)}. Pass the "
                         "results of a run with the same splits and ratios, or none.")
    return rows.assign(method=NO_AUGMENTATION)


def _ratio_key(column):
    if column.name == "ratio":
        return column.map(lambda r: 0.0 if r == "natural" else float(r))
    return column


# --- Summaries --------------------------------------------------------------------------------


def overlap_ratio(protocol) -> float:
    """n_test / n_train for the correction: the model is refit on training plus validation rows."""
    train_and_validation = protocol.train_size + (1 - protocol.train_size) * \
        protocol.validation_share
    return (1 - train_and_validation) / train_and_validation


def correction_ratio(results, protocol) -> float:
    """n_test / n_train of the correction for the splits of ``results``: from the row counts
    each split recorded (in the imbalance sweep the training rows are fewer, so the ratio is
    larger), or from the split shares of ``protocol`` for results without them."""
    counts = {"train_rows", "validation_rows", "test_rows"}
    if not counts <= set(results.columns):
        return overlap_ratio(protocol)
    return float((results["test_rows"]
                  / (results["train_rows"] + results["validation_rows"])).mean())


def summarize(results, metrics, protocol) -> pd.DataFrame:
    """Mean and 95% interval of each metric per method (and imbalance ratio).

    The intervals are those of the corrected resampled t-test
    (:func:`~tabaug.stats.intervals.corrected_t_interval`).

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_study`.
    metrics : list of str
        Columns of ``results`` to summarize.
    protocol : Protocol
        The run's protocol: its split shares give the correction for results without row
        counts (:func:`correction_ratio`).

    Returns
    -------
    DataFrame
        One row per ratio, method and metric: ``mean``, ``ci_low``, ``ci_high`` and the
        standard deviation over the splits, ``sd``.

    Examples
    --------
    Three splits typed in (the rows of :func:`run_study` hold these columns and more), each
    trained on 100 rows and validated on 40 (the correction counts both, as the model is
    refitted on them) and tested on 60:

    >>> import pandas as pd
    >>> from tabaug.experiments.study import STUDY_PROTOCOL, summarize
    >>> results = pd.DataFrame({
    ...     "ratio": "natural", "split": [0, 1, 2] * 2,
    ...     "method": pd.Categorical(["No augmentation"] * 3 + ["RO"] * 3),
    ...     "f1_1": [0.50, 0.62, 0.58, 0.55, 0.66, 0.58],
    ...     "train_rows": 100, "validation_rows": 40, "test_rows": 60})
    >>> summarize(results, ["f1_1"], STUDY_PROTOCOL).round(3)
         ratio           method metric   mean  ci_low  ci_high     sd
    0  natural  No augmentation   f1_1  0.567   0.337    0.796  0.061
    1  natural               RO   f1_1  0.597   0.383    0.810  0.057
    """
    rows = []
    for (imbalance, method), group in results.groupby(["ratio", "method"], observed=True,
                                                      sort=False):
        ratio = correction_ratio(group, protocol)
        for metric in metrics:
            mean, low, high, _ = corrected_t_interval(group[metric], ratio)
            rows.append({"ratio": imbalance, "method": method, "metric": metric, "mean": mean,
                         "ci_low": low, "ci_high": high, "sd": group[metric].std(ddof=1)})
    return pd.DataFrame(rows)


def paired_differences(results, metrics, protocol, reference=NO_AUGMENTATION) -> pd.DataFrame:
    """Each method minus ``reference`` on the same split: mean, 95% interval, corrected p-value,
    its Holm adjustment, and on how many splits the method was better, equal or worse (better
    means a higher value, or a lower one for the metrics of :func:`lower_is_better`, such as
    the Brier score).

    ``p_holm`` corrects for comparing several methods with the reference: within each metric
    (and imbalance ratio), Holm's step-down adjustment over the methods keeps the chance of
    calling any equal method different at 5% (:func:`tabaug.stats.intervals.holm`).

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_study`, ``method`` categorical.
    metrics : list of str
        Columns of ``results`` to compare.
    protocol : Protocol
        The run's protocol: its split shares give the correction for results without row
        counts (:func:`correction_ratio`).
    reference : str, default=NO_AUGMENTATION
        The method every other one is compared with.

    Returns
    -------
    DataFrame
        One row per ratio, method and metric: ``mean_difference``, ``ci_low``, ``ci_high``,
        ``p_value``, ``p_holm``, ``better``, ``equal`` and ``worse``. No rows when no method
        other than ``reference`` ran.

    Examples
    --------
    Three splits typed in (the rows of :func:`run_study` hold these columns and more): RO's
    F1 is higher on two splits and equal on one; its Brier score is higher, so worse, on all
    three:

    >>> import pandas as pd
    >>> from tabaug.experiments.study import STUDY_PROTOCOL, paired_differences
    >>> results = pd.DataFrame({
    ...     "ratio": "natural", "split": [0, 1, 2] * 2,
    ...     "method": pd.Categorical(["No augmentation"] * 3 + ["RO"] * 3),
    ...     "f1_1": [0.50, 0.62, 0.58, 0.55, 0.66, 0.58],
    ...     "brier": [0.12, 0.10, 0.11, 0.13, 0.12, 0.12]})
    >>> differences = paired_differences(results, ["f1_1", "brier"], STUDY_PROTOCOL)
    >>> differences[["method", "metric", "mean_difference", "p_holm", "better", "equal",
    ...              "worse"]].round(3)
      method metric  mean_difference  p_holm  better  equal  worse
    0     RO   f1_1            0.030   0.324       2      1      0
    1     RO  brier            0.013   0.118       0      0      3
    """

    rows = []
    for imbalance, at_ratio in results.groupby("ratio", sort=False):
        ratio = correction_ratio(at_ratio, protocol)
        wide = {metric: at_ratio.pivot(index="split", columns="method", values=metric)
                for metric in metrics}
        present = set(at_ratio["method"])
        for method in at_ratio["method"].cat.categories:
            if method == reference or method not in present:
                continue
            for metric in metrics:
                diff = (wide[metric][method] - wide[metric][reference]).dropna()
                mean, low, high, p = corrected_t_interval(diff, ratio)
                gain = -diff if lower_is_better(metric) else diff  # > 0: the method is better
                rows.append({"ratio": imbalance, "method": method, "metric": metric,
                             "mean_difference": mean, "ci_low": low, "ci_high": high,
                             "p_value": p, "better": int((gain > 0).sum()),
                             "equal": int((gain == 0).sum()), "worse": int((gain < 0).sum())})
    table = pd.DataFrame(rows)
    if table.empty:
        return table.assign(p_holm=[])
    table.insert(table.columns.get_loc("p_value") + 1, "p_holm", table.groupby(
        ["ratio", "metric"], sort=False)["p_value"].transform(lambda p: holm(p.to_numpy())))
    return table


