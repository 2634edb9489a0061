"""The Gaussian copula: the classical baseline that a GAN must beat to earn its cost.

Each column keeps its own distribution (its *marginal*), and the dependence between columns is
a multivariate normal's (Sklar's theorem; for tables, Patki et al. 2016, "The Synthetic Data
Vault", IEEE DSAA):

1. every column is mapped to a standard normal "score": a numeric column through its
   empirical distribution (the normal quantile of each value's mid-rank), a categorical column
   by frequency encoding (each category owns an interval of [0, 1] as wide as its frequency, as
   SDV's ``FrequencyEncoder`` does; a row gets the normal quantile of a point drawn uniformly in
   its category's interval, so the copula sees a continuous variable);
2. the correlation matrix of the scores is estimated with shrinkage towards the identity
   (Ledoit & Wolf 2004, or Chen et al. 2010's OAS), so that it stays positive definite with
   more columns than rows;
3. new rows are multivariate normal draws with that correlation, each score mapped back through
   its column's marginal: numeric values by the empirical quantile function, which interpolates
   linearly between neighbouring training values, categories by the interval the score's normal
   probability falls in;
4. the numeric values are smoothed by a Gaussian kernel shaped like the rows' covariance, and
   shrunk towards their mean so that means, variances and covariances stay the training rows'
   (the shrunk smoothed bootstrap of Silverman 1986, "Density Estimation for Statistics and
   Data Analysis", on simulating from kernel estimates), with a bandwidth chosen by
   leave-one-out likelihood cross-validation (ibid.).

Why smooth: the empirical marginals alone put 1/n of the values between each two neighbouring
training values, so the rows follow the training sample's quirks rather than the law behind it.
On the five known tables (:mod:`known_tables`, three draws each) and on WDBC's
malignant training rows, a two-sample test told unsmoothed rows from *fresh* rows of the same
law more easily (mean ROC AUC 0.59 to 0.72 by table) than smoothed ones (0.50 to 0.69, lower on
every table); against the *training* rows, unsmoothed rows of WDBC scored far below 0.5 (0.31,
smoothed 0.46): the signature of rows that sit where the training rows are, which the fidelity
report reads as copying.

It fits in a fraction of a second (no network, no training loop), has nothing to tune, and
reproduces every marginal and every pairwise (monotone) dependence; what it cannot make is
structure beyond correlations. Two clusters come out with the right marginals but rows fill the
space between them; a numeric column whose level steps with a category is blurred, because a
category is only an interval of one latent normal (on ``mixed_types``, ``value``'s spread
within each ``group`` came out about twice the real one, 1.2-1.6 instead of 0.7).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import ndtr, ndtri
from scipy.stats import rankdata
from sklearn.covariance import OAS, LedoitWolf
from sklearn.utils._param_validation import Interval, StrOptions

from tabaug.generators.base import TabularGenerator

__all__ = [
    "BANDWIDTHS", "choose_bandwidth", "empirical_quantiles", "EPSILON", "frequency_encoding",
    "GaussianCopula", "interval_one_hot", "loo_bandwidth", "matrix_factor",
    "MAX_BANDWIDTH_ROWS", "rank_scores", "reflect_into_unit", "sample_covariance",
    "shrunk_correlation",
]

#: Normal probabilities are kept this far from 0 and 1, so that every score is finite.
EPSILON = 1e-9
#: Bandwidths (in standard deviations) among which "auto" smoothing chooses.
BANDWIDTHS = np.geomspace(0.02, 1.0, 15)
#: "auto" smoothing chooses its bandwidth on at most this many rows (its cost grows as rows^2).
MAX_BANDWIDTH_ROWS = 500


class GaussianCopula(TabularGenerator):
    """Rows with the training rows' marginals and the correlations of their normal scores.

    Unconditional: it learns one class's rows (fit it once per class, or use
    ``GenerativeOverSampler``, which does). Nothing is tuned to a data set: the two defaults are
    set by rule from the rows themselves, the shrinkage by Ledoit-Wolf's formula (near 0 with
    many rows per column, larger with few) and the smoothing bandwidth by cross-validation
    (about 0.1 standard deviations on tables whose columns form clusters, 0.4 on WDBC).

    Parameters
    ----------
    smoothing : "auto" or float >= 0, default="auto"
        Bandwidth of the smoothing kernel, in standard deviations of each numeric column: "auto"
        takes the median over the numeric columns of the bandwidth that maximizes each column's
        leave-one-out likelihood (over 0.02 to 1 standard deviations; on at most
        ``MAX_BANDWIDTH_ROWS`` rows, scaled as n^(-1/5) to the rest). 0 gives the empirical
        marginals (values only between neighbouring training values).
    shrinkage : "auto", "oas" or float in [0, 1], default="auto"
        How the correlation of the normal scores is pulled towards the identity: "auto" by
        Ledoit-Wolf's optimal amount, "oas" by the Oracle Approximating Shrinkage (often a
        little more with few rows), a float by that fixed share (0: the plain sample
        correlation, which is singular with more columns than rows; sampling still works).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the points drawn in the categories' intervals when fitting; sampling continues
        its own stream from it (see :meth:`TabularGenerator.sample`).

    Attributes
    ----------
    correlation_ : ndarray of shape (n_scores, n_scores)
        Correlation of the normal scores: the numeric columns, then one score per categorical
        block.
    bandwidth_ : float
        The smoothing bandwidth used, in standard deviations.
    shrinkage_ : float
        The share of the identity in ``correlation_``'s covariance estimate.
    sorted_values_ : ndarray of shape (n_rows, n_numeric)
        Each numeric column's training values (encoded, in [0, 1]), sorted: its marginal.
    categories_ : list of ndarray
        Per categorical block, its categories (positions in the block) from most to least
        frequent, the order of their intervals.
    upper_bounds_ : list of ndarray
        Per categorical block, the upper end of each category's interval in [0, 1].
    factor_, kernel_factor_ : ndarray
        Square roots (``F @ F.T``) of ``correlation_`` and of the numeric columns' covariance,
        which turn independent normal draws into the scores and the smoothing noise.

    Notes
    -----
    One row is not a table to learn from: its columns are all constant, and the encoder gives it
    back unchanged. Two rows are enough to fit, and make rows along the segment between them: their
    scores are perfectly correlated (Ledoit-Wolf's estimate then shrinks nothing), and the "auto"
    bandwidth is the largest (one standard deviation), so the values spread along that segment,
    within the training range. Check such rows with :mod:`tabaug.fidelity.report`.
    """

    _parameter_constraints: dict = {
        **TabularGenerator._parameter_constraints,
        "smoothing": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="left")],
        "shrinkage": [StrOptions({"auto", "oas"}), Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(self, *, smoothing="auto", shrinkage="auto", random_state=None):
        self.smoothing = smoothing
        self.shrinkage = shrinkage
        self.random_state = random_state

    # --- fitting ------------------------------------------------------------------------------
    def _fit_encoded(self, Z, layout, y, seed):
        """Learn the marginals and the correlation of the normal scores of the rows ``Z``."""
        Z = np.asarray(Z, dtype="float64")
        rng = np.random.default_rng([seed, 0])
        numeric = Z[:, :layout.n_numeric]
        self.sorted_values_ = np.sort(numeric, axis=0)
        self.bandwidth_ = choose_bandwidth(numeric, self.smoothing, rng)
        self.numeric_mean_ = numeric.mean(axis=0)
        self.kernel_factor_ = matrix_factor(sample_covariance(numeric))
        self.categories_, self.upper_bounds_, category_scores = [], [], []
        for start, stop in layout.blocks:
            order, upper, scores = frequency_encoding(Z[:, start:stop], rng)
            self.categories_.append(order)
            self.upper_bounds_.append(upper)
            category_scores.append(scores)
        scores = np.column_stack([rank_scores(numeric), *category_scores])
        self.correlation_, self.shrinkage_ = shrunk_correlation(scores, self.shrinkage)
        self.factor_ = matrix_factor(self.correlation_)
        return self

    # --- sampling -----------------------------------------------------------------------------
    def _sample_encoded(self, n_samples, y, rng):
        """Multivariate normal scores with ``correlation_``, mapped back through the marginals."""
        scores = rng.standard_normal((n_samples, len(self.factor_))) @ self.factor_.T
        Z = self._decode_scores(scores)
        k = self.sorted_values_.shape[1]
        if k and self.bandwidth_ > 0:
            Z[:, :k] = self._smooth(Z[:, :k], rng)
        return Z

    def _smooth(self, values, rng):
        """Silverman's smoothed bootstrap: add kernel noise with the rows' covariance times
        ``bandwidth_**2``, then shrink towards the mean by sqrt(1 + bandwidth_**2), which keeps
        the mean and covariance; values beyond [0, 1] are reflected back inside."""
        h = self.bandwidth_
        noise = rng.standard_normal(values.shape) @ self.kernel_factor_.T
        smoothed = self.numeric_mean_ + (values + h * noise - self.numeric_mean_) / np.hypot(1, h)
        return reflect_into_unit(smoothed)

    def _decode_scores(self, scores):
        """Encoded rows (numeric values in [0, 1], one-hot blocks) from normal scores."""
        probabilities = np.clip(ndtr(scores), EPSILON, 1 - EPSILON)
        k = self.sorted_values_.shape[1]
        parts = [empirical_quantiles(self.sorted_values_, probabilities[:, :k])]
        for j, (order, upper) in enumerate(zip(self.categories_, self.upper_bounds_)):
            parts.append(interval_one_hot(probabilities[:, k + j], order, upper))
        return np.column_stack(parts)


# --- the marginals ----------------------------------------------------------------------------
def rank_scores(values):
    """Normal scores of each column: the normal quantile of each value's mid-rank position
    (rank - 1/2) / n, ties sharing their average rank (van der Waerden's scores).

    Unlike a quantile transform fitted on the same rows, the smallest and largest values get
    moderate scores (about +-2.6 for 100 rows, not +-5.2), so that they do not dominate the
    correlation; a constant column gets scores 0.
    """
    n = len(values)
    if values.shape[1] == 0:
        return np.zeros((n, 0))
    return ndtri((rankdata(values, method="average", axis=0) - 0.5) / n)


def empirical_quantiles(sorted_values, probabilities):
    """Each column's empirical quantile function at ``probabilities``: the inverse of
    :func:`rank_scores`' positions, i.e. the i-th smallest value at (i - 1/2) / n and linear
    interpolation in between (NumPy's "hazen" quantiles); the extremes beyond."""
    n, k = sorted_values.shape
    positions = (np.arange(n) + 0.5) / n
    out = np.empty((len(probabilities), k))
    for j in range(k):
        out[:, j] = np.interp(probabilities[:, j], positions, sorted_values[:, j])
    return out


def frequency_encoding(block, rng):
    """Frequency encoding of one one-hot block (SDV's ``FrequencyEncoder``, with the uniform
    point of the distributional transform).

    Categories are ordered from most to least frequent (ties in block order); each owns an
    interval of [0, 1] as wide as its frequency. A row's score is the normal quantile of a
    point drawn uniformly in its category's interval, so that the scores are standard normal
    and the copula sees a continuous variable. Returns the order, the intervals' upper ends
    and the scores.
    """
    codes = np.argmax(block, axis=1)
    counts = np.bincount(codes, minlength=block.shape[1])
    order = np.argsort(-counts, kind="stable")
    upper = np.cumsum(counts[order]) / len(codes)
    lower = upper - counts[order] / len(codes)
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    rank = position[codes]
    points = lower[rank] + (upper[rank] - lower[rank]) * rng.random(len(codes))
    return order, upper, ndtri(np.clip(points, EPSILON, 1 - EPSILON))


def interval_one_hot(probabilities, order, upper):
    """One-hot rows of the categories whose intervals hold ``probabilities``."""
    n_present = int(np.count_nonzero(np.diff(np.concatenate([[0.0], upper])) > 0))
    rank = np.minimum(np.searchsorted(upper, probabilities, side="right"), n_present - 1)
    block = np.zeros((len(probabilities), len(order)))
    block[np.arange(len(probabilities)), order[rank]] = 1.0
    return block


def choose_bandwidth(numeric, smoothing, rng):
    """The smoothing bandwidth in standard deviations: ``smoothing`` itself, or for "auto" the
    median over the varying columns of :func:`loo_bandwidth` (0 without varying columns)."""
    if isinstance(smoothing, numbers.Real) and not isinstance(smoothing, bool) and smoothing >= 0:
        return float(smoothing)
    if smoothing != "auto":
        raise ValueError(f"smoothing must be 'auto' or a number >= 0, got {smoothing!r}.")
    n = len(numeric)
    rows = numeric if n <= MAX_BANDWIDTH_ROWS else \
        numeric[rng.choice(n, MAX_BANDWIDTH_ROWS, replace=False)]
    varying = [j for j in range(numeric.shape[1]) if np.ptp(rows[:, j]) > 0]
    if not varying:
        return 0.0
    chosen = np.median([loo_bandwidth(rows[:, j]) for j in varying])
    return float(chosen * (len(rows) / n) ** 0.2)  # the n^(-1/5) rate of kernel bandwidths


def loo_bandwidth(values, bandwidths=BANDWIDTHS):
    """The Gaussian kernel bandwidth (in standard deviations of ``values``) among
    ``bandwidths`` under which the other values give each value the highest mean log density
    (leave-one-out likelihood cross-validation). A column of few distinct values (many
    ties) gets the smallest."""
    z = (values - values.mean()) / values.std()
    squared = (z[:, None] - z[None, :]) ** 2
    n, best, best_score = len(z), float(bandwidths[0]), -np.inf
    for h in bandwidths:
        kernel = np.exp(-0.5 * squared / h**2)
        np.fill_diagonal(kernel, 0.0)
        density = kernel.sum(axis=1) / ((n - 1) * h)
        score = np.mean(np.log(np.maximum(density, 1e-300)))
        if score > best_score:
            best, best_score = float(h), score
    return best


def reflect_into_unit(values):
    """Values beyond [0, 1] (the training range) mirrored back inside at the nearer end, so
    that smoothing piles up no copies of the extreme training values as clipping would."""
    reflected = np.abs(values)
    reflected = 1.0 - np.abs(1.0 - reflected)
    return np.clip(reflected, 0.0, 1.0)


# --- the dependence ---------------------------------------------------------------------------
def shrunk_correlation(scores, shrinkage="auto"):
    """The correlation matrix of the score columns, estimated with ``shrinkage`` (see
    :class:`GaussianCopula`), and the shrinkage used. A constant column (scores 0) is
    uncorrelated with the others."""
    if isinstance(shrinkage, str) and shrinkage in ("auto", "oas"):
        estimator = (LedoitWolf if shrinkage == "auto" else OAS)(assume_centered=False)
        covariance = estimator.fit(scores).covariance_
        amount = float(estimator.shrinkage_)
    elif isinstance(shrinkage, numbers.Real) and not isinstance(shrinkage, bool) \
            and 0 <= shrinkage <= 1:
        sample = sample_covariance(scores)
        mu = np.trace(sample) / max(len(sample), 1)
        covariance = (1 - shrinkage) * sample + shrinkage * mu * np.eye(len(sample))
        amount = float(shrinkage)
    else:
        raise ValueError(f"shrinkage must be 'auto', 'oas' or a number in [0, 1], got "
                         f"{shrinkage!r}.")
    scale = np.sqrt(np.diag(covariance))
    varying = scale > 0
    correlation = np.zeros_like(covariance)
    inner = np.outer(scale[varying], scale[varying])
    correlation[np.ix_(varying, varying)] = covariance[np.ix_(varying, varying)] / inner
    correlation = np.clip(correlation, -1.0, 1.0)
    np.fill_diagonal(correlation, 1.0)
    return correlation, amount


def sample_covariance(values):
    """The columns' covariance matrix (dividing by the number of rows); (0, 0) for no columns."""
    centred = values - values.mean(axis=0)
    return centred.T @ centred / len(values)


def matrix_factor(matrix):
    """A matrix ``F`` with ``F @ F.T == matrix`` (a covariance or correlation), from its
    eigendecomposition, so that a singular one (no shrinkage, more columns than rows) works
    too; negative rounding errors of the eigenvalues are set to 0."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    return eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
