"""Statistical tests: paired differences over the random splits of one table, with Holm's
correction (:mod:`~tabaug.stats.intervals`), and comparisons across many tables
(:mod:`~tabaug.stats.across_tables`, the ``stats`` extra), with each origin of the tables
counted once and a hierarchical Bayesian test on per-split results
(:mod:`~tabaug.stats.hierarchical`), and a moderator analysis of the gains with the
multiplicity plan (:mod:`~tabaug.stats.moderators`); these three need the ``stats`` extra, so
they are imported from their modules, not from here.
"""

from tabaug.stats.intervals import corrected_t_interval, holm

__all__ = ["corrected_t_interval", "holm"]
