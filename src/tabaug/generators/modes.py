"""CTGAN's mode-specific normalisation of numeric columns (Xu et al. 2019, "Modeling Tabular
Data using Conditional GAN"), for the conditional GAN's ``scaling="modes"``.

A numeric column of a real table is often a mixture: a few values piled up here, a bump there.
Min-max or standard scaling gives a network one number in which those modes sit close together
and the gaps between them are easy to fill with values no row has. CTGAN fits a variational
Gaussian mixture to each column and gives the network two things per value: which mode it
belongs to (a one-hot block, which the generator makes with a softmax, as for a category) and
where it lies within that mode, ``(x - mean) / (4 std)`` (in [-1, 1], a tanh output). The
generator then picks a mode like a category and places the value within it.

Where this departs from CTGAN: the mode of a training value is its most probable one (CTGAN
draws it from the mixture's posterior), and a column gets at most one mode per
:data:`ROWS_PER_MODE` rows, since a class of 30 rows cannot show ten modes.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from tabaug.generators.columns import Layout

__all__ = ["MAX_MODES", "MIN_MODE_WEIGHT", "MIN_MODE_STD", "ModeSpecific", "ROWS_PER_MODE"]

#: Most mixture components per column (CTGAN's 10).
MAX_MODES = 10
#: Components with a smaller weight are dropped (CTGAN's 0.005).
MIN_MODE_WEIGHT = 0.005
#: A column gets at most one component per this many rows.
ROWS_PER_MODE = 10
#: Smallest standard deviation of a mode, on the encoder's [0, 1] scale (a mode that sits on one
#: value would otherwise have none).
MIN_MODE_STD = 1e-3


class ModeSpecific:
    """Encoded rows (numeric columns in [0, 1], then one-hot blocks) to the network's rows and
    back: per numeric column, its place within its mode, then each column's mode as a one-hot
    block, then the categorical blocks as they are.

    Parameters
    ----------
    layout : Layout
        Where the numeric columns and one-hot blocks sit in the encoded rows.
    seed : int, default=0
        Seeds the mixtures' initialisation.

    Attributes
    ----------
    modes_ : list of tuple of ndarray
        Per numeric column, the kept modes' weights, means and standard deviations.
    network_layout_ : Layout
        Where the places (numeric, tanh), the mode blocks and the categorical blocks sit in the
        network's rows.
    """

    #: The activation of the places' output: they lie in [-1, 1].
    output_activation = "tanh"

    def __init__(self, layout, seed=0):
        self.layout, self.seed = layout, seed

    def fit(self, Z):
        """Fit a variational Gaussian mixture to each numeric column of the encoded rows."""
        Z = np.asarray(Z, dtype="float64")
        self.modes_ = [_column_modes(Z[:, j], self.seed) for j in range(self.layout.n_numeric)]
        k, blocks, start = self.layout.n_numeric, [], self.layout.n_numeric
        for weights, _, _ in self.modes_:
            blocks.append((start, start + len(weights)))
            start += len(weights)
        self.modes_end_ = start  # where the categorical blocks begin in the network's rows
        shift = start - self.layout.n_numeric
        blocks += [(a + shift, b + shift) for a, b in self.layout.blocks]
        self.network_layout_ = Layout(n_numeric=k, blocks=tuple(blocks))
        return self

    def transform(self, Z):
        """The network's rows (float32): places, mode blocks, categorical blocks."""
        Z = np.asarray(Z, dtype="float64")
        k = self.layout.n_numeric
        places, blocks = [], []
        for j, (weights, means, stds) in enumerate(self.modes_):
            x = Z[:, j:j + 1]
            mode = np.argmax(np.log(weights) - np.log(stds) - 0.5 * ((x - means) / stds) ** 2,
                             axis=1)
            places.append(np.clip((Z[:, j] - means[mode]) / (4 * stds[mode]), -0.99, 0.99))
            blocks.append(np.eye(len(weights))[mode])
        return np.hstack([np.column_stack(places) if places else Z[:, :0], *blocks,
                          Z[:, k:]]).astype("float32")

    def inverse_transform(self, W):
        """Network rows back to the encoder's (numeric columns clipped to [0, 1], float64):
        each value is its block's largest mode's mean plus its place times 4 standard
        deviations."""
        W = np.asarray(W, dtype="float64")
        k = self.layout.n_numeric
        numeric = np.empty((len(W), k))
        for j, ((_, means, stds), (start, stop)) in enumerate(
                zip(self.modes_, self.network_layout_.blocks)):
            mode = np.argmax(W[:, start:stop], axis=1)
            numeric[:, j] = np.clip(W[:, j] * 4 * stds[mode] + means[mode], 0.0, 1.0)
        return np.hstack([numeric, W[:, self.modes_end_:]])


def _column_modes(x, seed):
    """The weights, means and standard deviations of one column's modes."""
    n_modes = max(1, min(MAX_MODES, len(np.unique(x)), len(x) // ROWS_PER_MODE))
    if n_modes == 1:
        return np.ones(1), np.array([x.mean()]), np.array([max(x.std(), MIN_MODE_STD)])
    mixture = BayesianGaussianMixture(
        n_components=n_modes, weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=0.001, max_iter=100, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 100 iterations, as CTGAN
        mixture.fit(x.reshape(-1, 1))
    keep = mixture.weights_ > MIN_MODE_WEIGHT
    weights = mixture.weights_[keep] / mixture.weights_[keep].sum()
    stds = np.maximum(np.sqrt(mixture.covariances_.reshape(-1)[keep]), MIN_MODE_STD)
    return weights, mixture.means_[keep, 0], stds
