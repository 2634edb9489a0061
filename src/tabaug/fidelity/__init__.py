"""Are generated rows realistic, varied and not copies of the training rows?

- :mod:`~tabaug.fidelity.two_sample`: can a classifier tell them from real rows (C2ST)?
- :mod:`~tabaug.fidelity.distances`: per-feature distances, correlations, duplicates, spread,
  and each row's distance to its closest training row;
- :mod:`~tabaug.fidelity.report`: all of it for several sources of rows, against real
  held-out rows, with the project's targets and warnings.
"""

from tabaug.fidelity.distances import distance_to_closest, feature_distances
from tabaug.fidelity.report import fidelity_report, fidelity_warnings, target_check
from tabaug.fidelity.two_sample import c2st_auc

__all__ = ["c2st_auc", "distance_to_closest", "feature_distances", "fidelity_report",
           "fidelity_warnings", "target_check"]
