"""Are generated rows realistic, varied and not copies of the training rows?

- :mod:`~tabaug.fidelity.two_sample`: can a classifier tell them from real rows (C2ST)?
- :mod:`~tabaug.fidelity.distances`: per-feature distances, correlations, duplicates, spread,
  and each row's distance to its closest training row;
- :mod:`~tabaug.fidelity.report`: all of it for several sources of rows, against real
  held-out rows, with the project's targets and warnings;
- :mod:`~tabaug.fidelity.held_out`: the C2ST against real rows the generator never saw, the
  gap to the C2ST against its training rows, and the two-sided rule (realistic, not
  memorised);
- :mod:`~tabaug.fidelity.precision_recall`: alpha-precision, beta-recall and authenticity
  (Alaa et al. 2022);
- :mod:`~tabaug.fidelity.membership`: a distance-based membership-inference attack's AUC;
- :mod:`~tabaug.fidelity.utility`: train on synthetic, test on real (TSTR);
- :mod:`~tabaug.fidelity.seeds`: any of these scores over a generator's seeds, with t
  intervals.
"""

from tabaug.fidelity.distances import distance_to_closest, feature_distances
from tabaug.fidelity.held_out import held_out_check
from tabaug.fidelity.membership import membership_auc
from tabaug.fidelity.precision_recall import faithfulness
from tabaug.fidelity.report import fidelity_report, fidelity_warnings, target_check
from tabaug.fidelity.seeds import over_seeds
from tabaug.fidelity.two_sample import c2st_auc
from tabaug.fidelity.utility import tstr_utility

__all__ = ["c2st_auc", "distance_to_closest", "faithfulness", "feature_distances",
           "fidelity_report", "fidelity_warnings", "held_out_check", "membership_auc",
           "over_seeds", "target_check", "tstr_utility"]
