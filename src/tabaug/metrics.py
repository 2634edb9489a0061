"""Every score of a classifier's predictions, in one place: label metrics at a threshold,
threshold-free metrics from probabilities, calibration, and the threshold that maximizes F1.

The paper reported an "AUC" computed from hard 0/1 predictions. With hard labels that number is
the balanced accuracy (the mean of the two recalls), not the area under a ROC curve; it is
reported here under its honest name, ``balanced_accuracy``, and the ROC AUC from predicted
probabilities beside it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "best_f1_threshold", "calibration_intercept_slope", "decision_metrics", "EPSILON",
    "expected_calibration_error",
    "label_metrics", "LOWER_IS_BETTER", "lower_is_better", "metric_columns", "metric_label",
    "probability_metrics", "roc_auc", "sensitivity_at_specificity", "split_metrics",
]

#: Metrics where lower values are better (losses and errors); see :func:`lower_is_better`.
LOWER_IS_BETTER = {"brier", "log_loss", "ece"}


def lower_is_better(metric: str) -> bool:
    """Whether a lower value of ``metric`` is better: the Brier score, the expected
    calibration error (``ece``), and any loss or error.

    The calibration intercept and slope have no better direction (0 and 1 are ideal), so they
    raise: compare their distance from the ideal
    (:func:`tabaug.stats.hierarchical.on_rope_scale`)."""
    if metric in ("calibration_intercept", "calibration_slope"):
        raise ValueError(f"{metric} is best at {0 if metric.endswith('intercept') else 1}, "
                         "neither high nor low: compare its distance from that value "
                         "(tabaug.stats.hierarchical.on_rope_scale does).")
    return metric in LOWER_IS_BETTER or metric.endswith(("_loss", "_error"))


def roc_auc(y_true, proba) -> float:
    """ROC AUC from predicted probabilities (one column per class): of class 1 for two
    classes, the macro mean of the one-vs-rest AUCs for more."""
    proba = np.asarray(proba)
    if proba.shape[1] == 2:
        return float(roc_auc_score(y_true, proba[:, 1]))
    return float(roc_auc_score(y_true, proba, multi_class="ovr", average="macro",
                               labels=np.arange(proba.shape[1])))


def label_metrics(y_true, predicted, class_names) -> dict:
    """Precision, recall and F1 of each class (named by ``class_names``), balanced accuracy,
    and with more than two classes the macro F1 (the mean of the classes' F1 scores)."""
    labels = list(class_names)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, predicted, labels=labels, zero_division=0
    )
    metrics = {}
    for name, values in (("precision", precision), ("recall", recall), ("f1", f1)):
        for i, label in enumerate(labels):
            metrics[f"{name}_{class_names[label]}"] = float(values[i])
    metrics["balanced_accuracy"] = float(balanced_accuracy_score(y_true, predicted))
    if len(labels) > 2:
        metrics["f1_macro"] = float(np.mean(f1))
    return metrics


def sensitivity_at_specificity(y_true, scores, specificity=0.95):
    """The highest sensitivity (recall of class 1) whose specificity is at least ``specificity``.

    The point at the boundary counts: every point of the ROC curve is kept (by default
    scikit-learn drops the points on a straight segment, and the boundary may be one of them),
    and a specificity equal to ``specificity`` up to rounding (``1 - 0.9`` is 0.0999...98 in
    floating point, below a false positive rate of 10/100) is at least ``specificity``."""
    fpr, tpr, _ = roc_curve(y_true, scores, drop_intermediate=False)
    return float(tpr[fpr <= 1 - specificity + 1e-9].max())


def probability_metrics(y_true, proba, class_names, specificity=0.95) -> dict:
    """Label metrics of the most probable class (for two classes: the 0.5 threshold, as
    ``predict``), and threshold-free metrics from the probabilities (one column per class).

    Two classes: ROC AUC, PR AUC (average precision), Brier score and sensitivity at
    ``specificity`` of class 1. More classes: each is the mean over the classes of that class
    against the rest (macro one-vs-rest), and the Brier score is the multi-class one, the mean
    squared distance between the probabilities and the one-hot truth (0 is perfect, 2 worst).
    """
    proba = np.asarray(proba)
    if proba.ndim == 1:
        proba = np.column_stack([1 - proba, proba])
    n_classes = proba.shape[1]
    predicted = (proba[:, 1] > 0.5).astype(int) if n_classes == 2 else proba.argmax(axis=1)
    metrics = label_metrics(y_true, predicted, class_names)
    sensitivity = f"sensitivity_at_{round(specificity * 100)}_specificity"
    metrics["roc_auc"] = roc_auc(y_true, proba)
    if n_classes == 2:
        metrics["pr_auc"] = float(average_precision_score(y_true, proba[:, 1]))
        metrics["brier"] = float(brier_score_loss(y_true, proba[:, 1]))
        metrics[sensitivity] = sensitivity_at_specificity(y_true, proba[:, 1], specificity)
        return metrics
    truth = np.eye(n_classes)[y_true]
    metrics["pr_auc"] = float(average_precision_score(truth, proba, average="macro"))
    metrics["brier"] = float(np.mean(np.sum((proba - truth) ** 2, axis=1)))
    metrics[sensitivity] = float(np.mean([
        sensitivity_at_specificity(truth[:, k], proba[:, k], specificity)
        for k in range(n_classes)]))
    return metrics


def expected_calibration_error(y_true, proba, n_bins=10) -> float:
    """How far predicted probabilities are from observed frequencies: the mean, weighted by
    rows, over ``n_bins`` equal-width bins of the top predicted probability, of the gap between
    its mean and the share of rows whose top class is right (0 is perfectly calibrated)."""
    proba = np.asarray(proba)
    confidence, predicted = proba.max(axis=1), proba.argmax(axis=1)
    correct = (predicted == np.asarray(y_true)).astype(float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    gaps = [abs(confidence[bins == b].mean() - correct[bins == b].mean()) * np.sum(bins == b)
            for b in np.unique(bins)]
    return float(np.sum(gaps) / len(confidence))


#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before their logit is taken: a model may
#: round a probability to 0 or 1, whose logit is infinite.
EPSILON = 1e-10


def calibration_intercept_slope(y_true, scores) -> tuple:
    """How far the predicted probabilities of class 1 are from the observed risk: the
    calibration intercept and slope of the logistic recalibration model (Cox 1958; Van Calster
    et al., J Clin Epidemiol 74, 2016).

    - **slope** ``b`` of ``logit P(y = 1) = a + b * logit(p)``: 1 is ideal; below 1 the
      predictions are too extreme (too close to 0 and 1, as after overfitting), above 1 too
      timid.
    - **intercept** ``a`` of ``logit P(y = 1) = a + logit(p)`` (the slope held at 1, the
      "calibration in the large"): 0 is ideal; below 0 the model overestimates the risk of
      class 1 (as a model trained on oversampled rows does), above 0 it underestimates it.

    Returns ``(intercept, slope)``; the slope is NaN when the scores separate the two classes
    perfectly (its maximum-likelihood value is then infinite). Both need rows of both classes.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.special import expit
    >>> rng = np.random.default_rng(0)
    >>> risk = rng.uniform(0.05, 0.95, 20_000)
    >>> y = (rng.random(20_000) < risk).astype(int)
    >>> np.round(calibration_intercept_slope(y, risk), 1)  # calibrated: 0 and 1
    array([0., 1.])
    >>> doubled = expit(2 * np.log(risk / (1 - risk)))  # overconfident: slope 1/2
    >>> np.round(calibration_intercept_slope(y, doubled)[1], 1)
    np.float64(0.5)
    """
    y = np.asarray(y_true).astype(float)
    if not 0 < y.sum() < len(y):
        raise ValueError("calibration_intercept_slope needs rows of both classes.")
    offset = logit(np.clip(np.asarray(scores, dtype=float), EPSILON, 1 - EPSILON))
    # The intercept solves the score equation sum(expit(a + offset)) = sum(y), increasing in a.
    intercept = brentq(lambda a: expit(a + offset).sum() - y.sum(), -100.0, 100.0)
    if offset[y == 1].min() > offset[y == 0].max() or offset[y == 1].max() < offset[y == 0].min():
        return float(intercept), float("nan")
    model = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(offset.reshape(-1, 1), y)
    return float(intercept), float(model.coef_[0, 0])


def best_f1_threshold(y_true, scores) -> float:
    """The decision threshold on the class-1 probability that maximizes F1 on these rows: a
    row is called class 1 when its score is above it. It lies midway between the lowest score
    called class 1 and the next lower score, so that it generalizes to new rows."""
    scores = np.asarray(scores, dtype=float)
    precision, recall, thresholds = precision_recall_curve(y_true, scores)
    f1 = np.divide(2 * precision * recall, precision + recall,
                   out=np.zeros_like(precision), where=(precision + recall) > 0)[:-1]
    lowest_positive = thresholds[int(np.argmax(f1))]
    lower = scores[scores < lowest_positive]
    if not lower.size:  # every row called class 1
        return float(np.nextafter(lowest_positive, -np.inf))
    return float((lowest_positive + lower.max()) / 2)


def decision_metrics(y_true, proba, threshold=None) -> dict:
    """F1 of the minority class and MCC of the predicted labels: of two classes at 0.5 (and
    ``_tuned`` at ``threshold``, when given); of more, of the most probable class (macro F1)."""
    if proba.shape[1] > 2:
        predicted = proba.argmax(axis=1)
        return {"f1": float(f1_score(y_true, predicted, average="macro")),
                "mcc": float(matthews_corrcoef(y_true, predicted))}
    metrics = {}
    for suffix, cut in (("", 0.5), ("_tuned", threshold)):
        if cut is None:
            continue
        predicted = (proba[:, 1] > cut).astype(int)
        metrics[f"f1{suffix}"] = float(f1_score(y_true, predicted, zero_division=0))
        metrics[f"mcc{suffix}"] = float(matthews_corrcoef(y_true, predicted))
    return metrics


def metric_columns(specificity=0.95) -> list:
    """The metric columns of every result row, in their order (:func:`split_metrics`)."""
    return ["roc_auc", "pr_auc", "brier", f"sensitivity_at_{round(specificity * 100)}_specificity",
            "log_loss", "ece", "calibration_intercept", "calibration_slope", "f1", "mcc",
            "f1_tuned", "mcc_tuned"]


def split_metrics(y_true, proba, class_names, threshold=None, specificity=0.95,
                  per_class=False) -> dict:
    """Every score of one model on one split's test rows, from its predicted probabilities
    (one column per class): the columns of :func:`metric_columns`, that is ROC AUC, PR AUC,
    Brier score, sensitivity at ``specificity``, log loss, calibration error, the calibration
    intercept and slope of class 1 (:func:`calibration_intercept_slope`; two classes), and F1
    and MCC at 0.5 and at the tuned ``threshold`` (two classes; missing without one).

    ``per_class=True`` puts first each class's precision, recall and F1 at 0.5 (named by
    ``class_names``), the balanced accuracy and, for more than two classes, the macro F1:
    :func:`probability_metrics`' label columns."""
    proba = np.asarray(proba)
    kept = probability_metrics(y_true, proba, class_names, specificity)
    sensitivity = f"sensitivity_at_{round(specificity * 100)}_specificity"
    metrics = {name: kept[name] for name in ("roc_auc", "pr_auc", "brier", sensitivity)}
    metrics["log_loss"] = float(log_loss(y_true, proba, labels=np.arange(proba.shape[1])))
    metrics["ece"] = expected_calibration_error(y_true, proba)
    if proba.shape[1] == 2:
        metrics["calibration_intercept"], metrics["calibration_slope"] = (
            calibration_intercept_slope(y_true, proba[:, 1]))
    metrics.update(decision_metrics(y_true, proba, threshold))
    # every row has the same columns (multi-class rows have no tuned threshold)
    shared = {name: metrics.get(name, np.nan) for name in metric_columns(specificity)}
    if not per_class:
        return shared
    labels = {name: value for name, value in kept.items() if name not in shared}
    return {**labels, **shared}


def metric_label(metric: str) -> str:
    """The metric's name for sentences and figures, saying when lower is better."""
    return f"{metric} (lower is better)" if lower_is_better(metric) else metric
