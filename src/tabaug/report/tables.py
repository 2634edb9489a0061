"""Results as tables to read: each value with its interval, methods by metrics."""

from __future__ import annotations

import pandas as pd

__all__ = ["summary_table"]


def summary_table(comparison) -> pd.DataFrame:
    """Methods by metrics of a :class:`~tabaug.experiments.compare.Comparison`, each cell
    "mean (low-high)" with the corrected 95% interval."""
    summary = comparison.summary.assign(value=lambda s: [
        f"{m:.3f} ({lo:.3f}-{hi:.3f})" for m, lo, hi in zip(s["mean"], s["ci_low"], s["ci_high"])])
    table = summary.pivot(index="method", columns="metric", values="value")
    order = [m for m in comparison.settings["methods"] if m in table.index]
    return table.reindex(order)[comparison.metrics]
