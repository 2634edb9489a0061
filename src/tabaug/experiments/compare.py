"""Notebook 06's comparison on any table, in one call: :func:`compare_methods`.

Every method sees the same random training / validation / test splits of the table; for each
split the training rows are resampled, the classifier is tuned on the validation rows and
scored once on the test rows (:func:`tabaug.experiments.study.run_study`, with
:data:`~tabaug.experiments.study.STUDY_PROTOCOL`). The answer is a table per
metric: each method's mean with its corrected 95% interval, and its paired difference from no
augmentation (:func:`tabaug.report.sentences.conclusion` says in words what the intervals
show). ``tabaug compare``
calls it and writes the tables and figures to a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tabaug.data.datasets import BenchmarkTable
from tabaug.data.preprocessing import check_id_columns, prepare_frame
from tabaug.data.reading import validate_dataset
from tabaug.errors import require_extra
from tabaug.experiments.methods import check_methods
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.study import (
    STUDY_GRID,
    STUDY_METHODS,
    paired_differences,
    paper_classifier,
    run_study,
    summarize,
)
from tabaug.experiments.tuning import choose_scoring, compared_f1

__all__ = ["compare_methods", "compared_metrics", "Comparison"]


@dataclass
class Comparison:
    """What :func:`compare_methods` measured."""

    #: One row per split and method, every metric (as notebook 06's ``repeated_evaluation.csv``).
    results: pd.DataFrame
    #: Mean and corrected 95% interval per method and metric.
    summary: pd.DataFrame
    #: Paired difference from no augmentation per method and metric.
    differences: pd.DataFrame
    #: The metrics compared, the class of interest's F1 (or the macro F1) first.
    metrics: list
    #: The settings of the run: table, target, classes, splits, methods, scorer.
    settings: dict = field(default_factory=dict)


def compare_methods(frame, target, *, id_columns=(), methods=None, n_splits=10, seed=0,
                    sampling_strategy="auto", positive_label=None, scoring="neg_log_loss",
                    train_size=0.5, validation_share=0.4, param_grid=None, specificity=0.95,
                    n_jobs=-1, progress=True) -> Comparison:
    """Compare augmentation methods on ``frame`` over ``n_splits`` random splits.

    Apart from ``methods`` and ``sampling_strategy``, the arguments are those of notebook 06.
    Needs the ``stats`` extra (checked first).

    Parameters
    ----------
    frame : DataFrame
        The table: features, the target and any identifier columns.
    target : str
        The target column.
    id_columns : sequence of str, default=()
        Identifier columns, dropped before learning.
    methods : list of str or None, default=None
        Names of :func:`tabaug.experiments.methods.available_methods` (None:
        :data:`~tabaug.experiments.study.STUDY_METHODS`, the classic ones and the paper's GAN;
        no augmentation is always included, as the reference).
    n_splits : int, default=10
        The number of random splits.
    seed : int, default=0
        The first split's seed; split ``i`` uses ``seed + i``.
    sampling_strategy : str, float or dict, default="auto"
        Given to every over-sampler (imbalanced-learn's meaning).
    positive_label : object, default=None
        The class of interest of two classes (None: the minority class).
    scoring : str or None, default="neg_log_loss"
        The scikit-learn scorer that ranks the settings on the validation rows: by default the
        log loss, a proper scoring rule; None: the paper's F1 of the class of interest, or the
        macro F1 (:func:`~tabaug.experiments.tuning.choose_scoring`).
    train_size, validation_share : float, default=0.5, 0.4
        ``train_size`` of the rows train, then ``validation_share`` of the rest validate, and
        the others test.
    param_grid : dict or None, default=None
        The classifier's grid (None: :data:`~tabaug.experiments.study.STUDY_GRID`, the
        benchmark's; the paper's is
        :data:`~tabaug.experiments.tuning.PAPER_PARAM_GRID`).
    specificity : float, default=0.95
        The specificity at which the sensitivity is read.
    n_jobs : int, default=-1
        Splits run in parallel; -1 uses every core.
    progress : bool, default=True
        Show a progress bar of the splits.

    Returns
    -------
    Comparison
        The rows of every split and method, each method's mean with its corrected 95%
        interval, its paired difference from no augmentation, the metrics compared and the
        settings of the run.

    Examples
    --------
    Random oversampling against no augmentation over 5 splits (one grid setting, to be quick):

    >>> import numpy as np, pandas as pd
    >>> from tabaug.experiments import compare_methods
    >>> from tabaug.report.tables import summary_table
    >>> from tabaug.report import comparison_conclusions
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"x1": rng.normal(size=300), "x2": rng.normal(size=300)})
    >>> frame["t"] = (frame.x1 + rng.normal(scale=0.8, size=300) > 1.0).astype(int)
    >>> comparison = compare_methods(
    ...     frame, "t", methods=["RO"], n_splits=5, n_jobs=1, progress=False,
    ...     param_grid={"learning_rate": [0.1], "min_samples_leaf": [20]})
    >>> summary_table(comparison)[["f1_1"]]  # mean (corrected 95% interval)
    metric                          f1_1
    method
    No augmentation  0.494 (0.288-0.701)
    RO               0.534 (0.399-0.669)
    >>> print(comparison_conclusions(comparison)[0])
    f1_1: no method differs from no augmentation after Holm's correction for 1 comparisons...
    """
    require_extra("stats", "statsmodels")  # the paired differences at the end need it
    validate_dataset(frame, target)
    id_columns = check_id_columns(frame, target, list(id_columns))
    method_names = check_methods(methods, STUDY_METHODS)
    first = prepare_frame(frame, target, seed, train_size, validation_share, positive_label,
                          verbose=False, id_columns=id_columns)
    protocol = Protocol(seed=seed, train_size=train_size, validation_share=validation_share,
                        specificity=specificity,
                        scoring=choose_scoring(scoring, first.n_classes), refit=True,
                        tune_threshold=False, sampling_strategy=sampling_strategy,
                        per_class_metrics=True)
    table = BenchmarkTable("table", frame, target, tuple(id_columns),
                           kind="binary" if first.n_classes == 2 else "multiclass",
                           positive_label=positive_label)
    results = run_study(table, n_splits, method_names, protocol,
                        classifiers=paper_classifier(STUDY_GRID if param_grid is None
                                                     else param_grid), n_jobs=n_jobs,
                        progress=progress)
    metrics = compared_metrics(first, specificity)
    differences = paired_differences(results, metrics, protocol)
    return Comparison(
        results=results,
        summary=summarize(results, metrics, protocol),
        differences=differences,
        metrics=metrics,
        settings={"target": target, "rows": len(frame), "classes": first.class_names,
                  "training rows per class": np.bincount(first.y_train).tolist(),
                  "id_columns": id_columns, "n_splits": n_splits, "seed": seed,
                  "methods": method_names, "scoring": protocol.scoring,
                  "sampling_strategy": sampling_strategy, "specificity": specificity},
    )


def compared_metrics(data, specificity=0.95) -> list:
    """The metrics of the comparison: the F1 of the class of interest (two classes) or the
    macro F1, the recall of each class, then the probability metrics of notebook 06."""
    names = list(data.class_names.values())
    return [compared_f1(data.class_names), *[f"recall_{name}" for name in names],
            "balanced_accuracy", "roc_auc", "pr_auc", "brier",
            f"sensitivity_at_{round(specificity * 100)}_specificity"]


