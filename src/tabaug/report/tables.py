"""Results as tables to read: each value with its interval, methods by metrics."""

from __future__ import annotations

import pandas as pd

__all__ = ["summary_table"]


def summary_table(comparison) -> pd.DataFrame:
    """Methods by metrics of a :class:`~tabaug.experiments.compare.Comparison`, each cell
    "mean (low-high)" with the corrected 95% interval.

    Parameters
    ----------
    comparison : Comparison
        What :func:`~tabaug.experiments.compare.compare_methods` measured.

    Returns
    -------
    DataFrame
        One row per method, in the order of the run's methods, and one column per metric, in
        the order of ``comparison.metrics``.

    Examples
    --------
    A comparison typed in (:func:`~tabaug.experiments.compare.compare_methods` measures one):

    >>> import pandas as pd
    >>> from tabaug.experiments.compare import Comparison
    >>> from tabaug.report import summary_table
    >>> summary = pd.DataFrame({"method": ["No augmentation", "RO"], "metric": "f1_1",
    ...                         "mean": [0.52, 0.561], "ci_low": [0.45, 0.49],
    ...                         "ci_high": [0.59, 0.632]})
    >>> comparison = Comparison(results=pd.DataFrame(), summary=summary,
    ...                         differences=pd.DataFrame(), metrics=["f1_1"],
    ...                         settings={"methods": ["No augmentation", "RO"]})
    >>> summary_table(comparison)
    metric                          f1_1
    method
    No augmentation  0.520 (0.450-0.590)
    RO               0.561 (0.490-0.632)
    """
    summary = comparison.summary.assign(value=lambda s: [
        f"{m:.3f} ({lo:.3f}-{hi:.3f})" for m, lo, hi in zip(s["mean"], s["ci_low"], s["ci_high"])])
    table = summary.pivot(index="method", columns="metric", values="value")
    order = [m for m in comparison.settings["methods"] if m in table.index]
    return table.reindex(order)[comparison.metrics]
