"""Results out: figures (:mod:`~tabaug.report.figures`), tables (:mod:`~tabaug.report.tables`),
sentences written from the numbers (:mod:`~tabaug.report.sentences`) and the benchmark's report
(:mod:`~tabaug.report.benchmark`).
"""

from tabaug.report.sentences import comparison_conclusions, conclusion, describe_difference
from tabaug.report.tables import summary_table

__all__ = ["comparison_conclusions", "conclusion", "describe_difference", "summary_table"]
