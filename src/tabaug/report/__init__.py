"""Results out: figures (:mod:`~tabaug.report.figures`), sentences written from the numbers
(:mod:`~tabaug.report.sentences`) and the benchmark's report (:mod:`~tabaug.report.benchmark`).
"""

from tabaug.report.sentences import comparison_conclusions, conclusion, describe_difference

__all__ = ["comparison_conclusions", "conclusion", "describe_difference"]
