"""One split of one table, every method and classifier: the evaluator that notebook 06's
study, ``compare`` and the benchmark share (:func:`evaluate_split`).

For split ``i`` (seed ``protocol.seed + i``) the rows are split into training, validation and
test rows (:func:`tabaug.data.preprocessing.prepare_frame`); an imbalance sweep may keep fewer
minority training rows (:func:`subsample_minority`); each method resamples the training rows
only; each classifier's setting (and, in the benchmark's protocol, its decision threshold) is
tuned on the validation rows, the threshold on rows that did not choose the setting
(:func:`threshold_rows`); the test rows are touched once. Every method sees the same split, so
comparisons are paired.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from imblearn.over_sampling import ADASYN, BorderlineSMOTE
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.utils._param_validation import InvalidParameterError

from tabaug.data.preprocessing import prepare_frame
from tabaug.errors import DataError, ParameterError
from tabaug.experiments.binning import binning_for
from tabaug.experiments.classifiers import Classifier
from tabaug.experiments.methods import MethodContext, make_method
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.tuning import best_setting, fit_settings, tune_estimator
from tabaug.metrics import best_f1_threshold, decision_metrics, metric_columns, split_metrics

__all__ = [
    "CALIBRATION_FOLDS", "classifiers_for", "Encoding", "evaluate_split", "failures",
    "SAMPLER_FAILURES", "subsample_minority", "threshold_rows",
]

#: What a sampler raises when it cannot resample a table (ADASYN: a RuntimeError when no
#: minority row has a majority neighbour; SMOTE: a ValueError for a class of one row); such a
#: method is recorded as failed on that split, with the message (see :func:`failures`).
SAMPLER_FAILURES = (ValueError, RuntimeError)
#: Folds of the cross-fitted recalibration (:attr:`Method.calibration`): fewer when the
#: smallest training class has fewer rows.
CALIBRATION_FOLDS = 5


# --- The sampling table: categories as one column each ---------------------------------------
@dataclass
class Encoding:
    """Where the one-hot groups of the categorical columns sit in the encoded features, so
    that samplers can see one categorical column per group (SMOTE-NC, the generators) and the
    classifiers the one-hot columns.

    Parameters
    ----------
    n_features : int
        The number of encoded columns.
    groups : list of (int, int), default=[]
        One pair per categorical column: the first column of its one-hot group and its number
        of categories. The groups follow the numeric columns.

    Examples
    --------
    One numeric column, then a categorical column of three categories:

    >>> import numpy as np
    >>> from tabaug.experiments.evaluate import Encoding
    >>> encoding = Encoding(n_features=4, groups=[(1, 3)])
    >>> X = np.array([[0.5, 0, 1, 0], [1.5, 0, 0, 1]])
    >>> table = encoding.to_table(X)  # what SMOTE-NC and the generators resample
    >>> table
        x0 c0
    0  0.5  1
    1  1.5  2
    >>> encoding.categorical
    [1]
    >>> encoding.to_features(table)  # what the classifiers learn from
    array([[0.5, 0. , 1. , 0. ],
           [1.5, 0. , 0. , 1. ]])
    """

    n_features: int
    groups: list = field(default_factory=list)  # (first column, number of categories)

    @classmethod
    def of(cls, data) -> "Encoding":
        """The groups of :class:`~tabaug.data.preprocessing.PreparedData`'s one-hot columns.

        Parameters
        ----------
        data : PreparedData
            A split made by :func:`tabaug.data.preprocessing.prepare_frame`.

        Returns
        -------
        Encoding
            Its encoded columns, with no groups when the table has no categorical column.
        """
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
        """The number of numeric columns (they come first)."""
        return self.n_features - sum(size for _, size in self.groups)

    @property
    def categorical(self) -> list:
        """Positions of the categorical columns in the sampling table (after the numeric)."""
        return list(range(self.n_numeric, self.n_numeric + len(self.groups)))

    def to_table(self, X):
        """Encoded rows -> the sampling table.

        Parameters
        ----------
        X : ndarray of shape (n_rows, n_features)
            Encoded rows.

        Returns
        -------
        DataFrame or ndarray
            The numeric columns (``x0``, ``x1``...), then one categorical column of codes per
            one-hot group (``c0``, ``c1``...); the array itself when there are no categories.
        """
        if not self.groups:
            return X
        table = pd.DataFrame(X[:, :self.n_numeric], columns=[f"x{i}" for i in
                                                             range(self.n_numeric)])
        for number, (start, size) in enumerate(self.groups):
            codes = X[:, start:start + size].argmax(axis=1)
            table[f"c{number}"] = pd.Categorical(codes, categories=range(size))
        return table

    def to_features(self, table):
        """The sampling table -> encoded rows (the inverse of :meth:`to_table`).

        Parameters
        ----------
        table : DataFrame or array-like
            Rows of the sampling table, resampled ones included.

        Returns
        -------
        ndarray of shape (n_rows, n_features)
            The rows encoded as the classifiers see them, each code one-hot again.
        """
        if not self.groups:
            return np.asarray(table, dtype=float)
        parts = [table.iloc[:, :self.n_numeric].to_numpy(dtype=float)]
        for number, (_, size) in enumerate(self.groups):
            codes = table[f"c{number}"].astype(int).to_numpy()
            parts.append(np.eye(size)[codes])
        return np.hstack(parts)


# --- The imbalance sweep -----------------------------------------------------------------------
def subsample_minority(X, y, ratio, seed):
    """Keep every row of the other classes and a random subset of the smallest class's rows,
    so that the largest class has ``ratio`` rows per row of the smallest.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
        The rows.
    y : ndarray of shape (n_rows,)
        Their class codes (0, 1, ...).
    ratio : float or None
        Rows of the largest class per row of the smallest (two classes: majority rows per
        minority row). None keeps the data as they are.
    seed : int
        Seeds the choice of the minority rows kept.

    Returns
    -------
    X, y : ndarray
        The kept rows and their codes, in their order in ``X``.

    Raises
    ------
    ValueError
        If ``ratio`` is below the natural one (a sweep can only make the data more
        imbalanced), or leaves fewer than 2 minority rows.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.experiments.evaluate import subsample_minority
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(100, 2)), (rng.random(100) < 0.3).astype(int)
    >>> np.bincount(y)
    array([77, 23])
    >>> X_kept, y_kept = subsample_minority(X, y, ratio=5, seed=0)
    >>> np.bincount(y_kept)  # 77 / 5 rounds to 15 minority rows
    array([77, 15])
    """
    if ratio is None:
        return X, y
    counts = np.bincount(y)
    minority = int(np.argmin(np.where(counts > 0, counts, np.iinfo(int).max)))
    n_major, n_minor = int(counts.max()), int(counts[minority])
    keep = int(round(n_major / ratio))
    if keep > n_minor:
        raise ValueError(f"Imbalance ratio {ratio} needs {keep} minority rows but there are only "
                         f"{n_minor} (natural ratio {n_major / n_minor:.2f}); a sweep can only "
                         "make the data more imbalanced. Use ratios above the natural one.")
    if keep < 2:
        raise ValueError(f"Imbalance ratio {ratio} leaves {keep} minority row(s); use a smaller "
                         "ratio.")
    rng = np.random.default_rng(seed)
    kept = rng.choice(np.flatnonzero(y == minority), size=keep, replace=False)
    rows = np.sort(np.concatenate([np.flatnonzero(y != minority), kept]))
    return X[rows], y[rows]


# --- One split --------------------------------------------------------------------------------
def evaluate_split(table, split, methods, classifiers, protocol=Protocol(), ratio=None,
                   entries=None, settings=None) -> list:
    """Every method and classifier on split ``split`` of ``table``: one row per pair.

    Parameters
    ----------
    table : BenchmarkTable
        A :class:`~tabaug.data.datasets.BenchmarkTable` (name, frame, target, identifier
        columns, class of interest).
    split : int
        Which split: its seed is ``protocol.seed + split``.
    methods : list of str
        Names of :func:`~tabaug.experiments.methods.available_methods`.
    classifiers : dict
        Name -> :class:`~tabaug.experiments.classifiers.Classifier`. Class weights pair only
        with the classifiers that have them (:func:`classifiers_for`).
    protocol : Protocol, default=Protocol()
        How the split is made, tuned and scored (:class:`~tabaug.experiments.protocol.Protocol`).
    ratio : float or None, default=None
        The imbalance of the training rows (:func:`subsample_minority`; None: as they are).
    entries : dict or None, default=None
        The caller's :func:`~tabaug.experiments.methods.method_entries`, so that methods
        registered at run time work in worker processes.
    settings : dict or None, default=None
        Method name -> parameters of its generator.

    Returns
    -------
    list of dict
        One row per method and classifier: the split's facts (table, seed, ratio, rows of each
        part), the test rows' metrics, the times to resample and fit, the method's note, its
        warnings and ``error``. A method whose sampler cannot resample the split gets rows with
        its error and no metrics (see :func:`failures`).

    Examples
    --------
    Random oversampling against no augmentation, with logistic regression, on split 0:

    >>> import numpy as np, pandas as pd
    >>> from tabaug.data.datasets import BenchmarkTable
    >>> from tabaug.experiments.classifiers import CLASSIFIERS
    >>> from tabaug.experiments.evaluate import evaluate_split
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"x1": rng.normal(size=200), "x2": rng.normal(size=200)})
    >>> frame["t"] = (frame.x1 + rng.normal(scale=0.8, size=200) > 1.0).astype(int)
    >>> table = BenchmarkTable("toy", frame, "t")
    >>> rows = evaluate_split(table, 0, ["No augmentation", "RO"], {"LR": CLASSIFIERS["LR"]})
    >>> pd.DataFrame(rows)[["method", "roc_auc", "pr_auc", "f1_tuned", "threshold"]].round(3)
                method  roc_auc  pr_auc  f1_tuned  threshold
    0  No augmentation    0.921   0.815     0.542      0.128
    1               RO    0.923   0.819     0.520      0.334
    """
    seed = protocol.seed + split
    data = prepare_frame(table.frame, table.target, seed, protocol.train_size,
                         protocol.validation_share, table.positive_label, verbose=False,
                         id_columns=list(table.id_columns))
    encoding = Encoding.of(data)
    X_train, y_train = subsample_minority(data.X_train, data.y_train, ratio, seed)
    natural, counts = np.bincount(data.y_train), np.bincount(y_train)
    table_counts = table.frame[table.target].value_counts()
    facts = {"dataset": table.name, "split": split, "seed": seed,
             "ratio": "natural" if ratio is None else ratio, "classes": len(counts),
             "rows": len(table.frame), "minority_rows": int(table_counts.min()),
             "imbalance_ratio": float(table_counts.max() / table_counts.min()),
             "train_rows": len(y_train), "train_minority_rows": int(counts.min()),
             "validation_rows": len(data.y_val), "test_rows": len(data.y_test)}
    rows = []
    for name in methods:
        context = MethodContext(tuple(encoding.categorical), encoding.n_numeric
                                + len(encoding.groups), int(natural.min()),
                                (settings or {}).get(name))
        pairs = classifiers_for(name, classifiers)
        try:
            method = make_method(name, seed, y_train, context, entries)
            if method.sampler is not None and protocol.sampling_strategy != "auto":
                method.sampler.set_params(sampling_strategy=protocol.sampling_strategy)
            X, y, seconds, caught = _resample(method, X_train, y_train, encoding)
        except SAMPLER_FAILURES as error:  # recorded, never dropped: see failures()
            if isinstance(error, (InvalidParameterError, ParameterError)):
                raise  # a wrong setting is the caller's to fix, not the table's
            rows += [_failed_row(facts, classifier, name, error, protocol) for classifier in pairs]
            continue
        for classifier in pairs:
            began = time.perf_counter()
            try:
                metrics, threshold, problem = _fit_and_score(classifiers[classifier], method,
                                                             seed, X, y, data, protocol)
            except ValueError as error:  # a recalibration whose folds the setting cannot fit
                if method.calibration is None or isinstance(error, InvalidParameterError):
                    raise
                rows.append(_failed_row(facts, classifier, name, error, protocol))
                continue
            tuned = {"threshold": threshold} if protocol.tune_threshold else {}
            rows.append({
                **facts, "classifier": classifier, "method": name, **metrics, **tuned,
                "resample_seconds": seconds,
                "fit_seconds": time.perf_counter() - began,
                "generator_updates": sum(len(history) for history in getattr(
                    method.sampler, "histories_", {}).values()),  # 0 for methods without a GAN
                "note": method.note, "warnings": "; ".join(filter(None, [caught, problem])),
                "error": ""})
    return rows


def _failed_row(facts, classifier, method_name, error, protocol) -> dict:
    """The row of a method that could not be evaluated on this split: its metrics missing,
    the error kept (see :func:`failures`)."""
    missing = dict.fromkeys([*metric_columns(protocol.specificity), "threshold"], np.nan)
    if not protocol.tune_threshold:
        missing = {key: value for key, value in missing.items()
                   if key != "threshold" and not key.endswith("_tuned")}
    return {**facts, "classifier": classifier, "method": method_name, **missing,
            "error": f"{type(error).__name__}: {error}"}


def classifiers_for(method_name, classifiers) -> list:
    """The classifiers a method pairs with: class weights only where a classifier has them
    (kNN has none)."""
    return [name for name, classifier in classifiers.items()
            if method_name != "Class weight" or classifier.weighs_classes]


def _resample(method, X_train, y_train, encoding):
    """The method's training rows; its warnings are kept as text, not lost in a worker."""
    began = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method.sampler is None:
            X, y = X_train, y_train
        elif isinstance(method.sampler, (BorderlineSMOTE, ADASYN)):
            X, y = method.sampler.fit_resample(X_train, y_train)  # numbers only: one-hot
        else:
            table, y = method.sampler.fit_resample(encoding.to_table(X_train), y_train)
            X = encoding.to_features(table)
    text = "; ".join(dict.fromkeys(f"{type(w.message).__name__}: {w.message}" for w in caught))
    return np.asarray(X), np.asarray(y), time.perf_counter() - began, text


def _fit_and_score(classifier: Classifier, method, seed, X, y, data, protocol):
    """Tune the setting (and the threshold) on the validation rows, score the test rows.

    Returns the metrics, the threshold (None when none is tuned) and a warning to keep in the
    row when the threshold could not be tuned (else "")."""
    model = classifier.make(seed, method.class_weight)
    if protocol.refit:  # the best setting refitted on training plus validation rows
        search = tune_estimator(model, classifier.grid, X, y, data.X_val, data.y_val,
                                protocol.scoring, refit=True, fast_binning=True)
        model = _calibrated(search, method, np.vstack([X, data.X_val]),
                            np.concatenate([y, data.y_val]), seed)
        proba = model.predict_proba(data.X_test)
        return _scores(data, proba, None, protocol), None, ""
    fits = fit_settings(model, classifier.grid, X, y, fast_binning=True)
    chosen = best_setting(fits, data.X_val, data.y_val, protocol.scoring)
    model = _calibrated(fits[chosen][1], method, X, y, seed)
    proba = model.predict_proba(data.X_test)
    if not (protocol.tune_threshold and data.n_classes == 2):
        return _scores(data, proba, None, protocol), None, ""
    metrics = _scores(data, proba, None, protocol)  # f1_tuned and mcc_tuned missing so far
    rows, problem = threshold_rows(data.y_val, protocol.threshold_share, seed)
    if rows is None:
        return metrics, np.nan, problem
    choose, tune = rows
    if choose is not tune:  # the thresholded model's setting: chosen on the other rows
        at = best_setting(fits, data.X_val[choose], data.y_val[choose], protocol.scoring)
        if at != chosen:
            model = _calibrated(fits[at][1], method, X, y, seed)
    threshold = best_f1_threshold(data.y_val[tune], model.predict_proba(data.X_val[tune])[:, 1])
    tuned = decision_metrics(data.y_test, model.predict_proba(data.X_test), threshold)
    return {**metrics, "f1_tuned": tuned["f1_tuned"], "mcc_tuned": tuned["mcc_tuned"]}, \
        threshold, ""


def _scores(data, proba, threshold, protocol) -> dict:
    """The test rows' metrics of these probabilities; the row holds what the protocol
    measures."""
    metrics = split_metrics(data.y_test, proba, data.class_names, threshold,
                            protocol.specificity, per_class=protocol.per_class_metrics)
    if not protocol.tune_threshold:
        metrics = {name: value for name, value in metrics.items()
                   if not name.endswith("_tuned")}
    return metrics


def _calibrated(model, method, X, y, seed):
    """The model, or for a method that recalibrates (:attr:`Method.calibration`) the same
    setting wrapped in :class:`~sklearn.calibration.CalibratedClassifierCV` and fitted on the
    rows: each fold's model maps its held-out rows' scores to probabilities (Platt's sigmoid or
    isotonic regression). A setting that cannot fit a fold's rows (k-nearest neighbours with
    more neighbours than the fold has rows) raises ValueError; :func:`evaluate_split` records
    it as that method's failure on the split."""
    if method.calibration is None:
        return model
    estimator = getattr(model, "best_estimator_", model)
    folds = min(CALIBRATION_FOLDS, int(np.bincount(y).min()))
    if folds < 2:
        raise DataError(f"Recalibration ({method.calibration}) needs 2 rows of every class in "
                        f"the training rows to cross-fit; the smallest class has {folds}. Use "
                        "a table with more rows of that class.")
    calibrated = CalibratedClassifierCV(
        clone(estimator), method=method.calibration,
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
    with binning_for(estimator):
        return calibrated.fit(X, y)


def threshold_rows(y_val, share, seed):
    """The validation rows that choose the setting and those that tune the threshold.

    Parameters
    ----------
    y_val : ndarray of shape (n_rows,)
        The validation rows' class codes.
    share : float
        The share kept to tune the threshold (stratified); 0: the same rows do both.
    seed : int
        Seeds the draw.

    Returns
    -------
    rows : (ndarray, ndarray) or None
        Positions of the rows that choose the setting and of those that tune the threshold
        (the same array when ``share`` is 0); None when a class has too few validation rows
        to give each part one.
    problem : str
        Why ``rows`` is None, with the fix; "" otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.experiments.evaluate import threshold_rows
    >>> y_val = np.array([0] * 8 + [1] * 4)
    >>> (choose, tune), problem = threshold_rows(y_val, 0.5, seed=0)
    >>> np.bincount(y_val[choose]), np.bincount(y_val[tune])
    (array([4, 2]), array([4, 2]))
    >>> threshold_rows(np.array([0, 0, 0, 1]), 0.5, seed=0)[1]  # doctest: +ELLIPSIS
    'UserWarning: threshold not tuned: the validation rows hold 1 row(s) of class 1...'
    """
    positions = np.arange(len(y_val))
    if share == 0:
        return (positions, positions), ""
    counts = np.bincount(y_val)
    if counts.min() < 2:
        return None, (f"UserWarning: threshold not tuned: the validation rows hold "
                      f"{counts.min()} row(s) of class {int(counts.argmin())}, and tuning a "
                      "threshold on rows that did not choose the setting needs 2 (one for "
                      "each part); f1_tuned and mcc_tuned are missing. Give the validation "
                      "split more rows (validation_share) or use threshold_share=0.")
    choose, tune = train_test_split(positions, test_size=share, stratify=y_val,
                                    random_state=seed)
    return (np.sort(choose), np.sort(tune)), ""


def failures(results: pd.DataFrame) -> pd.DataFrame:
    """Methods that failed on a table (a sampler that could not resample it, a recalibration
    whose folds the setting could not fit), with the message.

    Their metrics are missing, so the statistics leave those tables out for that method (and
    say so).

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`evaluate_split`: ``method``, ``dataset``, ``split`` and ``error``
        (results without ``error`` have no failures).

    Returns
    -------
    DataFrame
        One row per (method, dataset) with a failed split: ``failed_splits``, out of how many
        ``splits``, and the first ``error``. No rows when nothing failed.

    Examples
    --------
    >>> import pandas as pd
    >>> from tabaug.experiments.evaluate import failures
    >>> results = pd.DataFrame({"method": ["RO", "RO", "ADASYN", "ADASYN"], "dataset": "toy",
    ...                         "split": [0, 1, 0, 1],
    ...                         "error": ["", "", "RuntimeError: no majority neighbour", ""]})
    >>> failures(results).to_dict("records")
    [{'method': 'ADASYN', 'dataset': 'toy', 'failed_splits': 1, 'splits': 2,
      'error': 'RuntimeError: no majority neighbour'}]
    """
    columns = ["method", "dataset", "failed_splits", "splits", "error"]
    failed = results[results["error"].fillna("") != ""] if "error" in results else results[:0]
    if failed.empty:
        return pd.DataFrame(columns=columns)
    splits = results.groupby(["method", "dataset"], observed=True)["split"].nunique()
    table = (failed.groupby(["method", "dataset"], observed=True, sort=False)
             .agg(failed_splits=("split", "nunique"), error=("error", "first")).reset_index())
    table.insert(3, "splits", [splits[key] for key in zip(table["method"], table["dataset"])])
    return table[columns]
