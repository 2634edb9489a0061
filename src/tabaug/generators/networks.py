"""Pieces the neural generators share: seeded layers, an output for every column kind, and the
transform of the numeric columns before training."""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, QuantileTransformer, StandardScaler

__all__ = [
    "dense", "LOG_OFFSET", "numeric_output_activation", "numeric_scaler", "ScaledNumeric",
    "SCALINGS", "table_output",
]

#: How the numeric columns (min-max scaled to [0, 1] by the encoder) are given to a network:
#: "minmax" as they are (the paper; a sigmoid output), "log": log(value + LOG_OFFSET) then
#: standardized (WDBC's right-skewed features become nearly symmetric; a linear output),
#: "quantile": mapped to a standard normal through their quantiles (any marginal shape, as in
#: TabDDPM; a linear output).
SCALINGS = ("minmax", "log", "quantile")
LOG_OFFSET = 0.01


def dense(units, activation=None, seeds=None, name=None):
    """A Dense layer whose initial weights come from the seed stream ``seeds`` (or Keras' own
    unseeded initializer when None)."""
    import keras

    initializer = ("glorot_uniform" if seeds is None
                   else keras.initializers.GlorotUniform(seed=seeds))
    return keras.layers.Dense(units, activation=activation, kernel_initializer=initializer,
                              name=name)


def table_output(hidden, layout, numeric_activation="sigmoid", seeds=None):
    """The output of a network that makes encoded rows: one Dense for the numeric columns
    (``numeric_activation``) and one softmax per categorical block, concatenated in the
    layout's order."""
    import keras

    outputs = []
    if layout.n_numeric:
        outputs.append(dense(layout.n_numeric, numeric_activation, seeds, "numeric")(hidden))
    for i, size in enumerate(layout.block_sizes):
        outputs.append(dense(size, "softmax", seeds, f"category_{i}")(hidden))
    return outputs[0] if len(outputs) == 1 else keras.layers.Concatenate(name="row")(outputs)


def numeric_scaler(scaling="minmax", n_rows=1000):
    """What ``scaling`` (see :data:`SCALINGS`) does to min-max scaled numeric columns; fitted on
    the generator's own training rows, and inverted (clipped to [0, 1]) on generated rows."""
    if scaling == "minmax":
        return FunctionTransformer()
    if scaling == "log":
        log = FunctionTransformer(_log_offset, inverse_func=_exp_offset, check_inverse=False)
        return make_pipeline(log, StandardScaler())
    if scaling == "quantile":
        return QuantileTransformer(n_quantiles=max(2, min(1000, n_rows)),
                                   output_distribution="normal", subsample=None)
    raise ValueError(f"Unknown scaling {scaling!r}: use one of "
                     f"{', '.join(map(repr, SCALINGS))}.")


def numeric_output_activation(scaling):
    """A sigmoid for rows in [0, 1] ("minmax"), linear for standardized ones."""
    return "sigmoid" if scaling == "minmax" else None


class ScaledNumeric:
    """Apply a :func:`numeric_scaler` to the numeric columns of encoded rows only.

    ``network_layout_`` (the layout of the network's rows: the encoder's, since the columns
    keep their places) and ``output_activation`` (of the numeric output) are what a network
    built on the transformed rows needs; :class:`tabaug.generators.modes.ModeSpecific` offers
    the same two.
    """

    def __init__(self, scaling, layout):
        self.scaling, self.layout = scaling, layout

    @property
    def output_activation(self):
        return numeric_output_activation(self.scaling)

    def fit(self, Z):
        self.network_layout_ = self.layout
        self.scaler_ = numeric_scaler(self.scaling, len(Z))
        if self.layout.n_numeric:
            self.scaler_.fit(np.asarray(Z[:, :self.layout.n_numeric], dtype="float64"))
        return self

    def transform(self, Z):
        """Rows for the network (float32)."""
        return self._apply(Z, self.scaler_.transform).astype("float32")

    def inverse_transform(self, Z):
        """Generated rows back to the encoder's [0, 1] range (float64)."""
        return self._apply(Z, lambda part: np.clip(self.scaler_.inverse_transform(part), 0, 1))

    def _apply(self, Z, function):
        Z = np.array(Z, dtype="float64")
        k = self.layout.n_numeric
        if k:
            Z[:, :k] = function(Z[:, :k])
        return Z


def _log_offset(X):
    return np.log(np.clip(X, 0.0, None) + LOG_OFFSET)


def _exp_offset(X):
    # Clipped to [0, 1]: the range of the min-max scaled rows, as the paper's sigmoid keeps it.
    return np.clip(np.exp(X) - LOG_OFFSET, 0.0, 1.0)
