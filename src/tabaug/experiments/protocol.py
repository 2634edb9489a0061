"""The settings every split of an experiment shares: :class:`Protocol`.

Notebook 06's study, :func:`~tabaug.experiments.compare.compare_methods` and the benchmark are
one experiment with different settings: how the rows are split, how each classifier's setting
is chosen on the validation rows (by log loss, the benchmark's; or by the paper's F1), whether
the chosen setting is refitted on training plus validation rows (the paper's protocol) or a
decision threshold is tuned on the validation rows instead (the benchmark's), and which metrics
each result row holds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tabaug.errors import ParameterError

__all__ = ["Protocol"]


@dataclass(frozen=True)
class Protocol:
    """How every split of an experiment is made, tuned and scored.

    Split ``i`` of a table uses seed ``seed + i``: ``train_size`` of the rows train, then
    ``validation_share`` of the rest validate, and the others test.

    Parameters
    ----------
    seed : int
        The first split's seed.
    train_size, validation_share : float
        The shares of the split (as :func:`tabaug.data.preprocessing.prepare_frame` takes them).
    specificity : float
        The specificity at which the sensitivity is read.
    scoring : str or None
        The scikit-learn scorer that ranks each classifier's settings on the validation rows.
        The default, ``"neg_log_loss"``, is a proper scoring rule: it rewards the probabilities
        every metric is computed from, where F1 at 0.5 on a few validation rows often ties and
        then keeps the first setting of the grid, however badly calibrated. None: the paper's
        F1 of the class of interest (two classes) or macro F1
        (:func:`tabaug.experiments.tuning.choose_scoring`), as notebooks 04 and 06 tune.
    refit : bool
        Refit the chosen setting on training plus validation rows (the paper's protocol,
        notebooks 04 and 06), instead of keeping the model fitted on the training rows.
    tune_threshold : bool
        Tune the decision threshold of two classes for F1 on the validation rows, and report
        ``f1_tuned`` and ``mcc_tuned`` at it. The threshold must belong to the model that is
        tested, so it needs ``refit=False``.
    threshold_share : float
        The share of the validation rows (stratified, drawn with the split's seed) kept to tune
        the threshold; the setting of the thresholded model is chosen on the others, so that
        the rows that tune the threshold did not also choose the model. The probability
        metrics keep the setting chosen on every validation row (the same fitted models: no
        extra fit). 0: the threshold is tuned on the rows that chose the setting (the
        protocol before issue 21; results files without this setting had it).
    sampling_strategy : str, float or dict
        Given to every over-sampler (imbalanced-learn's meaning).
    per_class_metrics : bool
        Add each class's precision, recall and F1, named by the class (``recall_malignant``),
        and the balanced accuracy, to every result row: one table's study. The benchmark,
        whose tables name their classes differently, keeps the columns every table shares.

    Examples
    --------
    >>> from tabaug.experiments import Protocol
    >>> Protocol(seed=42, scoring=None, refit=True, tune_threshold=False)  # notebook 06's
    Protocol(seed=42, train_size=0.5, validation_share=0.4, specificity=0.95, scoring=None, \
refit=True, tune_threshold=False, threshold_share=0.5, sampling_strategy='auto', \
per_class_metrics=False)
    >>> Protocol().scoring  # the benchmark's
    'neg_log_loss'
    """

    seed: int = 0
    train_size: float = 0.5
    validation_share: float = 0.4
    specificity: float = 0.95
    scoring: str | None = "neg_log_loss"
    refit: bool = False
    tune_threshold: bool = True
    threshold_share: float = 0.5
    sampling_strategy: object = "auto"
    per_class_metrics: bool = False

    def __post_init__(self):
        if self.refit and self.tune_threshold:
            raise ParameterError(
                "Protocol(refit=True, tune_threshold=True): a threshold tuned on the validation "
                "rows would belong to a model refitted on them. Set tune_threshold=False (the "
                "paper's protocol) or refit=False (the benchmark's).")
        if not 0 <= self.threshold_share < 1:
            raise ParameterError(f"threshold_share={self.threshold_share!r}: give a share of "
                                 "the validation rows from 0 (the same rows) to below 1, such "
                                 "as 0.5.")
        if not 0 < self.specificity < 1:
            raise ParameterError(f"specificity={self.specificity!r}: give a share between 0 "
                                 "and 1, such as 0.95.")

    def settings(self) -> dict:
        """The protocol as plain values (kept beside a results file, as JSON)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_settings(cls, settings: dict) -> "Protocol":
        """The protocol of :meth:`settings`; a setting an older file lacks takes the value
        those files had (``threshold_share=0``), or else its default."""
        known = {field.name for field in dataclasses.fields(cls)}
        settings = {**_BEFORE_THEIR_SETTING, **settings}
        return cls(**{name: value for name, value in settings.items() if name in known})


#: Settings added after results files were written, with the value those files had.
_BEFORE_THEIR_SETTING = {"threshold_share": 0.0}
