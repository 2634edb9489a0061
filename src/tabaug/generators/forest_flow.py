"""Flow matching on trees, in the manner of ForestFlow: new rows carried out of noise along a
velocity field that tree ensembles learned, one per noise level.

ForestFlow (Jolicoeur-Martineau, Fatras & Kachman, "Generating and Imputing Tabular Data via
Diffusion and Flow-based Gradient-Boosted Trees", AISTATS 2024) trains a *flow-matching* model
(Lipman et al. 2023, "Flow Matching for Generative Modeling"; Liu et al. 2023, "Flow Straight and
Fast") with gradient-boosted trees in place of a network:

1. each training row ``x1`` (scaled to [-1, 1]) is paired with standard normal noise ``x0`` and
   placed at noise level ``t`` on the straight line between them, ``x_t = t x1 + (1 - t) x0``;
   the rows are repeated ``duplicate_K`` times, each copy with its own noise, so that the trees
   see many noisy versions of every row;
2. at each of ``n_t`` noise levels, a regressor learns to predict the direction ``x1 - x0`` from
   ``x_t``: its prediction estimates the velocity field E[x1 - x0 | x_t], which carries the
   noise's law onto the rows' law;
3. new rows start as noise and follow that field from t = 0 to 1 in ``n_t`` Euler steps, one
   per level; values are clipped to the training range, and each one-hot block decodes to its
   largest entry.

Why trees: a small class's columns are mixed (numbers and categories), skewed and multimodal,
and its rows are few. Trees need no scaling, split one mode from another or a category from the
rest at no cost, and fit in seconds on one CPU core with nothing like a learning rate, a number
of updates or early stopping to tune, where a network (:mod:`tabaug.generators.diffusion`) needs
thousands of updates.

What this file does, and where it departs from ForestFlow:

- the rows are the encoder's (:mod:`tabaug.generators.columns`): numeric columns in [0, 1],
  then one-hot blocks, all mapped to [-1, 1] (ForestFlow's min-max scaling, which also sends
  its dummies to -1/+1). A table of categories only is flowed the same way, its blocks as
  continuous coordinates;
- the regressor at each level is a least-squares *linear* map of ``x_t`` plus an
  :class:`~sklearn.ensemble.ExtraTreesRegressor` (one multi-output model per level) fitted to
  what the linear map leaves, where ForestFlow fits XGBoost, one model per level and column.
  The velocity's main part is linear in ``x_t`` (at t = 0 it is E[x1] - x_t, a constant minus
  the input), which trees can only approximate by a staircase; the linear part takes it (a
  linear field alone carries the noise onto a Gaussian with the rows' mean and covariance),
  and the trees learn what the rows show beyond it: clusters, skew, a category that moves a
  number. Without it, multi-output trees could not learn the identity in 30 columns (WDBC's
  malignant rows: ROC AUC 0.99 against held-out rows, below);
- extra trees rather than per-column boosting (scikit-learn's counterpart of XGBoost,
  ``HistGradientBoostingRegressor``): at equal ``n_t = 10``, boosting (30 iterations of 15
  leaves per level and column) made rows no closer to held-out rows (mean AUC 0.622 without
  the linear part, 0.628 with it; the extra trees 0.625; seven development tables, two
  splits) and fitted 200 rows of 10 columns in 4.3 s against 0.6 s on one core: at
  ``n_t = 40``, boosting would take about 17 s, over the budget of about 10 s;
- new rows follow the field with Heun's method (an Euler step, then again with the mean of the
  velocities at its start and at its end, the next level's), not Euler's (``solver``). Euler's
  steps shrink the rows' spread: standard deviations 0.96 times the real ones on
  ``correlated_gaussian`` and 0.89-0.94 on ``skewed`` with ``n_t = 40``, against 0.99 and
  0.93-0.97 with Heun's, at twice the cost of sampling and none of fitting. The last step is
  Euler's, since no level is learned at t = 1;
- ForestFlow trains ``n_t`` levels but its solver uses the first ``n_t - 1``; here the levels
  are t = 0, 1/n_t, ..., (n_t - 1)/n_t, and each starts one step;
- fewer levels and copies than ForestFlow's ``n_t = 50`` and ``duplicate_K = 100``, by the
  budget (below).

It learns one class's rows (``GenerativeOverSampler`` fits one per class).

The settings were chosen only on development data: the known tables of
``tests/known_tables.py`` (held out: a fresh draw of the law) and the minority classes of WDBC,
Haberman, Appendicitis, Ecoli (ecoli1, ecoli3), Abalone (abalone9_18,
abalone-17_vs_7-8-9-10, abalone19) and Wine Quality (winequality-red-4, winequality-red-8_vs_6,
winequality-white-3_vs_7), each split in halves (train, held out) with seeds 0 to 2. The
score is the two-sample test's ROC AUC of as many generated rows as held-out ones (0.5: they
cannot be told apart); over these 16 tables and 3 splits, one setting changed at a time:

=========================================================  ========
setting (the others at their defaults)                     mean AUC
=========================================================  ========
the defaults                                               0.617
Euler's steps                                              0.620
``n_t = 20``                                               0.623
Euler's, ``duplicate_K = 10`` for every class              0.628
Euler's, ``duplicate_K = 10``, ``min_samples_leaf = 20``   0.643
Euler's, ``min_samples_leaf = 50``                         0.639
Euler's, ``duplicate_K = 10``, numeric columns as the      0.686
normal scores of their ranks (the copula's)
the Gaussian copula (:mod:`tabaug.generators.copula`)     0.645
=========================================================  ========

The same settings fitted with other noise draws scored 0.614 and 0.620: differences of that
size are noise. With the defaults the rows were harder to tell from held-out rows than the
copula's on 10 of the 16 tables (30 of 48 splits), and easier on WDBC's 30 columns (0.70
against 0.63; the split with seed 2: 0.82 against 0.66). They also sit closer to the training
rows: the two-sample AUC against the training rows was 0.41 (copula 0.52; below 0.5 is the
mark of rows near training rows), and the median distance to the closest training row was under
0.8 times the held-out rows' in 29% of the splits (copula 8%), mostly on classes of 10 to 20
training rows. Larger leaves trade one for the other (``min_samples_leaf = 50``, Euler's: 0.49
and 17%); check the rows with :mod:`tabaug.fidelity.report`.

Cost (one core, 200 rows of 10 numeric columns): fitting 2.5 s (1.7 units of
``shared/tools/reference_speed.py``, 1.47 s), sampling 1000 rows 0.28 s; the fitted model
holds ``n_t * n_estimators`` trees, about 25 MB pickled.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor
from sklearn.utils._param_validation import Interval, StrOptions

from tabaug.generators.base import GeneratorWarning, TabularGenerator

__all__ = [
    "check_noisy_rows", "copies_per_row", "euler_step", "fit_linear", "ForestFlow",
    "interpolate", "MIN_COPIES", "noise_levels", "RIDGE", "ROWS_PER_LEVEL", "SAMPLE_CHUNK",
]

#: ``duplicate_K="auto"`` repeats the rows at least this many times...
MIN_COPIES = 10
#: ... and enough times for this many noisy rows per level (:func:`copies_per_row`).
ROWS_PER_LEVEL = 2000

#: Ridge penalty of the linear part, relative to each input column's variance: negligible, but
#: it keeps the solve regular (an input column that is almost a copy of another).
RIDGE = 1e-3
#: Rows pushed through the flow together when sampling (bounds the memory of one step).
SAMPLE_CHUNK = 10_000


class ForestFlow(TabularGenerator):
    """Flow matching with a linear map plus extra trees at each noise level (ForestFlow-like).

    Unconditional: it learns one class's rows (fit it once per class, or use
    ``GenerativeOverSampler``, which does). The defaults were chosen for small classes (10 to a
    few hundred rows, up to a few dozen encoded columns) on the development tables of the
    module's docstring.

    Parameters
    ----------
    n_t : int, default=40
        Noise levels, each with its own linear map and trees, and each starting one step of
        the sampler. ForestFlow's default is 50; on the development tables 20 made rows a
        little easier to tell from held-out ones (mean AUC 0.623 against 0.617) in half the
        time.
    duplicate_K : "auto" or int, default="auto"
        Noisy copies of each training row at every level. "auto": at least
        :data:`MIN_COPIES` (10) and enough for :data:`ROWS_PER_LEVEL` (2000) noisy rows, i.e.
        10 copies of 200 rows, 100 of 20 (ForestFlow's default), 1000 of 2: the trees of a
        small class see enough noisy rows to split, for the cost of a 200-row class (10 copies
        of every class: mean AUC 0.628 against 0.614 on the development tables, with Euler's
        steps).
    n_estimators : int, default=15
        Extra trees per level. On eight development tables (``n_t = 20``, Euler's steps), 10
        trees scored 0.594 and 30 scored 0.585, within the noise; fitting time and the fitted
        model's size grow with it.
    min_samples_leaf : int, default=10
        The fewest noisy rows in a leaf. Larger leaves smooth the velocity and keep the rows
        further from the training rows, but blur them (see the module's docstring).
    solver : {"heun", "euler"}, default="heun"
        How new rows follow the field: Heun's steps, or ForestFlow's Euler steps, which shrink
        the rows' spread a little (module's docstring).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the noise of every level and the trees; sampling continues its own stream from it
        (see :meth:`TabularGenerator.sample`).

    Attributes
    ----------
    levels_ : ndarray of shape (n_t,)
        The noise levels t = 0, 1/n_t, ..., (n_t - 1)/n_t.
    n_copies_ : int
        The noisy copies of each training row used at every level (``duplicate_K`` applied).
    n_numeric_ : int
        The number of numeric columns of the encoded rows (the first ones), which sampling
        clips to their training range.
    coef_, intercept_ : ndarray of shape (n_t, width, width) and (n_t, width)
        The linear part of each level's velocity, ``x_t @ coef_[i] + intercept_[i]``, on rows of
        the encoded width scaled to [-1, 1].
    trees_ : list of ExtraTreesRegressor
        Each level's trees, fitted to what its linear part leaves of the velocity.

    Notes
    -----
    One row is not a table to learn from: its columns are all constant, and the encoder gives it
    back unchanged. Given an encoder fitted on more rows (as the over-samplers do), one row is
    learned and given back: every noisy copy flows to it. Two to five rows are learned like any
    class ("auto" makes 2000 noisy rows of them), and the rows made lie around and between them
    within their range; from so few, most of what is made recombines the training rows, so
    check the rows with :mod:`tabaug.fidelity.report`. With too few noisy rows per level to
    learn from (an explicit ``duplicate_K`` on a tiny class), :meth:`fit` warns
    (:func:`check_noisy_rows`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.generators.forest_flow import ForestFlow
    >>> rng = np.random.default_rng(0)
    >>> rows = pd.DataFrame({"age": rng.integers(30, 80, 40),
    ...                      "smoker": rng.choice(["yes", "no"], 40)})
    >>> flow = ForestFlow(n_t=10, random_state=0).fit(rows)
    >>> flow.n_copies_, len(flow.trees_), flow.coef_.shape
    (50, 10, (10, 3, 3))
    >>> flow.sample(3)
       age smoker
    0   56     no
    1   38    yes
    2   60     no
    >>> flow.sample(2, random_state=1).equals(flow.sample(2, random_state=1))
    True
    """

    _parameter_constraints: dict = {
        **TabularGenerator._parameter_constraints,
        "n_t": [Interval(numbers.Integral, 1, None, closed="left")],
        "duplicate_K": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "min_samples_leaf": [Interval(numbers.Integral, 1, None, closed="left")],
        "solver": [StrOptions({"heun", "euler"})],
    }

    def __init__(self, *, n_t=40, duplicate_K="auto", n_estimators=15, min_samples_leaf=10,
                 solver="heun", random_state=None):
        self.n_t = n_t
        self.duplicate_K = duplicate_K
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.solver = solver
        self.random_state = random_state

    # --- fitting ------------------------------------------------------------------------------
    def _fit_encoded(self, Z, layout, y, seed):
        """Learn the velocity at each noise level from ``duplicate_K`` noisy copies of ``Z``."""
        rows = 2.0 * np.asarray(Z, dtype="float64") - 1.0
        n_rows, width = rows.shape
        self.n_numeric_ = layout.n_numeric
        self.n_copies_ = copies_per_row(n_rows, self.duplicate_K)
        check_noisy_rows(n_rows * self.n_copies_, width, int(self.min_samples_leaf))
        copies = np.tile(rows, (self.n_copies_, 1))
        self.levels_ = noise_levels(int(self.n_t))
        self.coef_ = np.empty((len(self.levels_), width, width))
        self.intercept_ = np.empty((len(self.levels_), width))
        self.trees_ = []
        for i, t in enumerate(self.levels_):
            rng = np.random.default_rng([seed, 0, i])
            x_t, velocity = interpolate(copies, rng.standard_normal(copies.shape), t)
            self.coef_[i], self.intercept_[i] = fit_linear(x_t, velocity)
            residual = velocity - x_t @ self.coef_[i] - self.intercept_[i]
            trees = ExtraTreesRegressor(
                n_estimators=int(self.n_estimators), min_samples_leaf=int(self.min_samples_leaf),
                random_state=int(rng.integers(np.iinfo(np.int32).max)), n_jobs=1)
            self.trees_.append(trees.fit(x_t, residual if width > 1 else residual[:, 0]))
        return self

    # --- sampling -----------------------------------------------------------------------------
    def _sample_encoded(self, n_samples, y, rng):
        """Noise pushed along the learned field from t = 0 to 1, then back to the encoding:
        numeric values clipped to [0, 1] (the training range), one-hot blocks as they come (the
        encoder takes each block's largest value; clipping could tie two of them at 1)."""
        width = self.coef_.shape[1]
        chunks = [self._flow(rng.standard_normal((min(SAMPLE_CHUNK, n_samples - start), width)))
                  for start in range(0, n_samples, SAMPLE_CHUNK)]
        Z = (np.vstack(chunks) + 1.0) / 2.0
        Z[:, :self.n_numeric_] = np.clip(Z[:, :self.n_numeric_], 0.0, 1.0)
        return Z

    def _flow(self, x):
        """Rows ``x`` at t = 0 carried to t = 1, one step per level: Euler's, or Heun's (Euler's
        step, then again with the mean of the velocities at its start and at its end, the next
        level's). The last step is Euler's for both: no level is learned at t = 1."""
        n_levels = len(self.levels_)
        h = 1.0 / n_levels
        velocity = self._velocity(0, x)
        for i in range(n_levels):
            guess = euler_step(x, velocity, h)
            if self.solver == "euler" or i + 1 == n_levels:
                x = guess
            else:
                x = euler_step(x, 0.5 * (velocity + self._velocity(i + 1, guess)), h)
            if i + 1 < n_levels:
                velocity = self._velocity(i + 1, x)
        return x

    def _velocity(self, i, x):
        """The learned velocity at level ``i`` for rows ``x``: linear part plus trees."""
        trees = self.trees_[i].predict(x).reshape(len(x), -1)
        return x @ self.coef_[i] + self.intercept_[i] + trees


# --- the flow ---------------------------------------------------------------------------------
def copies_per_row(n_rows, duplicate_K="auto"):
    """How many noisy copies of each row a level trains on: ``duplicate_K``, or for "auto" at
    least :data:`MIN_COPIES` and enough for :data:`ROWS_PER_LEVEL` noisy rows (10 copies of 200
    rows, ForestFlow's 100 of 20, 1000 of 2)."""
    if duplicate_K == "auto":
        return max(MIN_COPIES, -(-ROWS_PER_LEVEL // int(n_rows)))
    return int(duplicate_K)


def check_noisy_rows(n_noisy, width, min_samples_leaf):
    """Warn when a level has too few noisy rows to learn from: fewer than two leaves' worth
    (the trees cannot split, so they learn nothing) or not more than the encoded columns (the
    linear part is underdetermined)."""
    if n_noisy < 2 * min_samples_leaf or n_noisy <= width:
        warnings.warn(
            f"Each noise level has only {n_noisy} noisy rows (rows x duplicate_K) for "
            f"{width} encoded columns and leaves of at least {min_samples_leaf} rows: the "
            "velocity cannot be learned from so few, and the rows made will be poor. Use "
            "duplicate_K='auto' (enough copies for 2000 noisy rows) or a larger duplicate_K.",
            GeneratorWarning, stacklevel=4)


def noise_levels(n_t):
    """The ``n_t`` noise levels t = 0, 1/n_t, ..., (n_t - 1)/n_t: the start of each Euler step
    from noise (t = 0) to rows (t = 1)."""
    return np.arange(int(n_t)) / int(n_t)


def interpolate(rows, noise, t):
    """Flow matching's training pairs at level ``t``: the points ``t rows + (1 - t) noise`` on
    the straight lines from noise to rows, and the lines' direction ``rows - noise`` (the
    conditional velocity, whose mean given the point is the field to learn)."""
    return t * rows + (1.0 - t) * noise, rows - noise


def fit_linear(x, target, ridge=RIDGE):
    """Least squares ``target ~ x @ coef + intercept``, with a ridge of ``ridge`` times each
    column's sum of squares on ``coef`` (none on the intercept); returns ``coef`` (width,
    width) and ``intercept``."""
    mean_x, mean_target = x.mean(axis=0), target.mean(axis=0)
    centred = x - mean_x
    gram = centred.T @ centred
    gram[np.diag_indices_from(gram)] *= 1.0 + ridge
    coef = np.linalg.solve(gram, centred.T @ (target - mean_target))
    return coef, mean_target - mean_x @ coef


def euler_step(x, velocity, h):
    """One Euler step of the flow's ODE dx/dt = velocity, of length ``h``."""
    return x + h * velocity
