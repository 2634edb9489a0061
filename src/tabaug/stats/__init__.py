"""Statistical tests: paired differences over the random splits of one table, with Holm's
correction (:mod:`~tabaug.stats.intervals`), and comparisons across many tables
(:mod:`~tabaug.stats.across_tables`, the ``stats`` extra).
"""

from tabaug.stats.intervals import corrected_t_interval, holm

__all__ = ["corrected_t_interval", "holm"]
