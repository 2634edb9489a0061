"""The table <-> network encoding that every generator shares, so that generated rows have the
caller's column types and values that could occur.

A network learns and makes floats. :class:`TableEncoder` turns a table (a pandas DataFrame or a
NumPy array) into such floats and back:

=========================  =====================================  ===============================
column                     encoded as                             decoded to
=========================  =====================================  ===============================
numeric (float)            min-max scaled to [0, 1]               clipped to the training range,
                                                                  rounded to the decimals its
                                                                  real values carry
integer                    min-max scaled to [0, 1]               rounded integers in the
                                                                  training range
boolean, text, category,   one-hot block (a softmax output in     the category of the largest
a 0/1 numeric column       the generators)                        value, in the column's dtype
one-hot group              its 0/1 columns, one block             exactly one 1 per row
constant                   nothing (not learned)                  the constant
=========================  =====================================  ===============================

Encoded rows hold the numeric columns first (in table order), then one block per categorical
column or one-hot group (:class:`Layout`). With numeric columns only, the encoding is the
paper's min-max scaling, column for column, in the same arithmetic as scikit-learn's
:class:`~sklearn.preprocessing.MinMaxScaler`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tabaug.errors import DataError

__all__ = [
    "CATEGORICAL", "check_complete", "Column", "CONSTANT", "describe_columns", "INTEGER",
    "Layout", "MAX_DECIMALS", "NUMERIC", "ONE_HOT", "TableEncoder",
]

#: Most decimals a float column is rounded to; a column whose values carry more is not rounded.
MAX_DECIMALS = 10
NUMERIC, INTEGER, CATEGORICAL, ONE_HOT, CONSTANT = (
    "numeric", "integer", "categorical", "one-hot", "constant")


@dataclass(frozen=True)
class Layout:
    """Where each kind of column sits in the encoded rows.

    ``Z[:, :n_numeric]`` holds the numeric and integer columns, min-max scaled to [0, 1]; each
    ``(start, stop)`` of ``blocks`` is one categorical column or one-hot group, one-hot encoded.
    """

    n_numeric: int
    blocks: tuple = ()

    @property
    def width(self) -> int:
        """Number of encoded columns."""
        return self.blocks[-1][1] if self.blocks else self.n_numeric

    @property
    def block_sizes(self) -> list:
        """Number of categories of each block."""
        return [stop - start for start, stop in self.blocks]


@dataclass
class Column:
    """What :class:`TableEncoder` learned about one column (or one one-hot group)."""

    names: list  # one name, or the member columns of a one-hot group
    kind: str
    low: float = 0.0
    high: float = 1.0
    decimals: int | None = None
    categories: list = field(default_factory=list)
    value: object = None  # of a constant column


class TableEncoder:
    """Encode a table's rows as floats for a network, and decode generated floats to rows.

    Fitted once on the training rows (all classes), it remembers each column's kind, range,
    precision and categories; :meth:`inverse_transform` gives rows with the same columns, order
    and dtypes (a DataFrame for a DataFrame, an array of the same dtype for an array).
    Missing and infinite values are refused with a message that names the columns.

    Parameters
    ----------
    max_decimals : int, default=MAX_DECIMALS
        Float columns whose values all have at most this many decimals are rounded to them.

    Attributes
    ----------
    columns_ : list of Column
        What was learned about each column or one-hot group, in table order.
    layout_ : Layout
        Where each kind of column sits in the encoded rows.
    feature_names_ : list
        The column names of the fitted table (0, 1, ... for an array).
    input_type_ : {"frame", "array"}
        Whether the fitted rows were a DataFrame or an array.
    dtypes_ : Series
        For a DataFrame, the dtype of each column.
    dtype_ : numpy dtype
        For an array, its dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> from tabaug.generators import TableEncoder
    >>> rows = pd.DataFrame({"age": [34, 51, 67, 45], "size": [1.2, 2.5, 3.1, 2.0],
    ...                      "smoker": ["no", "yes", "no", "no"]})
    >>> encoder = TableEncoder().fit(rows)
    >>> encoder.layout_
    Layout(n_numeric=2, blocks=((2, 4),))
    >>> encoder.transform(rows).round(2)
    array([[0.  , 0.  , 1.  , 0.  ],
           [0.52, 0.68, 0.  , 1.  ],
           [1.  , 1.  , 1.  , 0.  ],
           [0.33, 0.42, 1.  , 0.  ]])
    >>> encoder.inverse_transform([[0.5, 0.3, 0.2, 0.9], [1.4, -0.1, 0.7, 0.1]])
       age  size smoker
    0   50   1.8    yes
    1   67   1.2     no
    """

    def __init__(self, max_decimals=MAX_DECIMALS):
        self.max_decimals = max_decimals

    # --- fitting ------------------------------------------------------------------------------
    def fit(self, X):
        """Learn each column's kind, range, precision and categories from the rows ``X``.

        Parameters
        ----------
        X : DataFrame or array of shape (n_rows, n_columns)
            The training rows (all classes), at least one, with unique column names.

        Returns
        -------
        self
            The fitted encoder.
        """
        frame = self._as_frame(X, fitting=True)
        check_complete(frame)
        if len(frame) == 0:
            raise DataError("X has no rows: a generator needs at least one row to learn from.")
        self.columns_ = describe_columns(frame, self.max_decimals)
        self.layout_ = _layout(self.columns_)
        self._order = _encoded_order(self.columns_)
        return self

    def _as_frame(self, X, fitting=False):
        if isinstance(X, pd.DataFrame):
            frame = X
            if fitting:
                self.input_type_, self.dtypes_ = "frame", frame.dtypes.copy()
                self.feature_names_ = list(frame.columns)
                if frame.columns.duplicated().any():
                    duplicated = list(frame.columns[frame.columns.duplicated()])
                    raise DataError(f"X has duplicate column names {duplicated}: rename them so "
                                    "that each column can be given back by name.")
        else:
            array = np.asarray(X)
            if array.ndim != 2:
                raise DataError(f"X must be 2-D (rows x columns), got an array of shape "
                                f"{array.shape}; reshape it, e.g. X.reshape(-1, 1) for one column.")
            frame = pd.DataFrame(array)
            if array.dtype == object:  # e.g. numbers and text in one array: type each column
                frame = frame.infer_objects()
            if fitting:
                self.input_type_, self.dtype_ = "array", array.dtype
                self.feature_names_ = list(frame.columns)
        if not fitting:
            self._check_columns(frame)
        return frame

    def _check_columns(self, frame):
        if list(frame.columns) != self.feature_names_:
            raise DataError(f"X has columns {list(frame.columns)}, but the encoder was fitted on "
                            f"{self.feature_names_}: give the same columns in the same order.")

    # --- encoding -----------------------------------------------------------------------------
    def transform(self, X) -> np.ndarray:
        """Encode rows as floats in the :attr:`layout_` order (float64).

        Parameters
        ----------
        X : DataFrame or array of shape (n_rows, n_columns)
            Rows with the fitted columns, in the same order, and only categories seen by
            :meth:`fit`.

        Returns
        -------
        ndarray of shape (n_rows, layout_.width)
            The encoded rows: the numeric columns min-max scaled on the training range, then
            one one-hot block per categorical column or one-hot group.
        """
        frame = self._as_frame(X)
        check_complete(frame)
        parts = []
        for column in self._order:
            if column.kind in (NUMERIC, INTEGER):
                parts.append(_scale(frame[column.names[0]].to_numpy(dtype="float64"), column))
            elif column.kind == ONE_HOT:
                parts.append(frame[column.names].to_numpy(dtype="float64"))
            else:
                parts.append(_one_hot(frame[column.names[0]], column))
        if not parts:
            return np.zeros((len(frame), 0))
        return np.column_stack([p.reshape(len(frame), -1) for p in parts])

    def fit_transform(self, X) -> np.ndarray:
        """Fit on the rows ``X``, then encode them (see :meth:`fit` and :meth:`transform`).

        Parameters
        ----------
        X : DataFrame or array of shape (n_rows, n_columns)
            The training rows.

        Returns
        -------
        ndarray of shape (n_rows, layout_.width)
            The encoded rows.
        """
        return self.fit(X).transform(X)

    # --- decoding -----------------------------------------------------------------------------
    def inverse_transform(self, Z):
        """Decode generated floats to rows with the fitted columns, order and types.

        Parameters
        ----------
        Z : array-like of shape (n_rows, layout_.width)
            Encoded rows, e.g. a generator's output: any floats; numeric values are clipped to
            [0, 1], and the largest entry of each block is its category.

        Returns
        -------
        DataFrame or ndarray of shape (n_rows, n_columns)
            A DataFrame for a fitted DataFrame, an array of the same dtype for an array.
        """
        Z = np.asarray(Z, dtype="float64")
        if Z.ndim != 2 or Z.shape[1] != self.layout_.width:
            raise ValueError(f"Expected encoded rows of shape (n, {self.layout_.width}), got "
                             f"{Z.shape}.")
        n_rows, position, decoded = len(Z), 0, {}
        for column in self._order:
            if column.kind in (NUMERIC, INTEGER):
                decoded[column.names[0]] = _unscale(Z[:, position], column)
                position += 1
            else:
                width = len(column.categories) if column.kind == CATEGORICAL else len(column.names)
                chosen = np.argmax(Z[:, position:position + width], axis=1)
                position += width
                if column.kind == ONE_HOT:
                    for j, name in enumerate(column.names):
                        decoded[name] = (chosen == j).astype("float64")
                else:
                    decoded[column.names[0]] = np.asarray(column.categories, dtype=object)[chosen]
        for column in self.columns_:
            if column.kind == CONSTANT:
                decoded[column.names[0]] = np.full(n_rows, column.value, dtype=object)
        return self._restore_types(decoded, n_rows)

    def _restore_types(self, decoded, n_rows):
        if self.input_type_ == "array":
            array = np.empty((n_rows, len(self.feature_names_)), dtype=self.dtype_)
            for j, name in enumerate(self.feature_names_):
                array[:, j] = decoded[name]
            return array
        frame = pd.DataFrame({name: pd.Series(decoded[name], dtype=object)
                              for name in self.feature_names_})
        return frame.astype(self.dtypes_.to_dict())


# --- what each column is ----------------------------------------------------------------------
def check_complete(frame: pd.DataFrame) -> None:
    """Refuse missing or infinite values, naming the columns and the fix."""
    missing = frame.isna().sum()
    missing = missing[missing > 0]
    if len(missing):
        where = ", ".join(f"{name!r} ({count} rows)" for name, count in missing.items())
        raise DataError(
            f"X has missing values (NaN) in {where}. The generators learn from complete rows: "
            "impute them first, inside the pipeline so that each fold imputes from its own "
            "training rows, e.g. imblearn.pipeline.make_pipeline(SimpleImputer(), "
            "GANOversampler(), classifier).")
    numeric = frame.select_dtypes(include="number")
    infinite = [name for name in numeric.columns
                if np.isinf(numeric[name].to_numpy(dtype="float64")).any()]
    if infinite:
        raise DataError(f"X has infinite values (inf) in {infinite}: replace them with a "
                        "finite value or a missing value to impute.")


def describe_columns(frame: pd.DataFrame, max_decimals=MAX_DECIMALS) -> list:
    """One :class:`Column` per column or one-hot group of ``frame``, in table order."""
    binary = [_is_binary(frame[name]) for name in frame.columns]
    groups = _one_hot_groups(frame, binary)
    columns, skip = [], set()
    for j, name in enumerate(frame.columns):
        if j in skip:
            continue
        if j in groups:
            members = list(frame.columns[j:groups[j]])
            skip.update(range(j, groups[j]))
            columns.append(Column(members, ONE_HOT))
        else:
            columns.append(_describe(frame[name], name, max_decimals))
    return columns


def _describe(series: pd.Series, name, max_decimals) -> Column:
    values = series.unique()
    if len(values) == 1:
        return Column([name], CONSTANT, value=values[0])
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series) or \
            _is_binary(series):
        return Column([name], CATEGORICAL, categories=_sorted(values))
    numbers = series.to_numpy(dtype="float64")
    low, high = float(numbers.min()), float(numbers.max())
    if pd.api.types.is_integer_dtype(series):
        return Column([name], INTEGER, low, high)
    return Column([name], NUMERIC, low, high, decimals=_decimals(numbers, max_decimals,
                                                                 series.dtype))


def _is_binary(series: pd.Series) -> bool:
    """A numeric (not boolean) column whose values are exactly 0 and 1."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return False
    return set(np.unique(series.to_numpy(dtype="float64")).tolist()) == {0.0, 1.0}


def _one_hot_groups(frame, binary) -> dict:
    """Runs of adjacent 0/1 columns with exactly one 1 per row: {first index: stop index}."""
    groups, j, n = {}, 0, len(binary)
    while j < n:
        if not binary[j]:
            j += 1
            continue
        total = frame.iloc[:, j].to_numpy(dtype="float64").copy()
        stop = None
        for k in range(j + 1, n):
            if not binary[k]:
                break
            total += frame.iloc[:, k].to_numpy(dtype="float64")
            if (total > 1).any():
                break
            if (total == 1).all():
                stop = k + 1
                break
        if stop is None:
            j += 1
        else:
            groups[j] = stop
            j = stop
    return groups


def _sorted(values) -> list:
    try:
        return sorted(values)
    except TypeError:  # mixed types: keep the order of first appearance
        return list(values)


def _decimals(values, max_decimals, dtype):
    """The fewest decimals that give back every value exactly in the column's dtype (None: more
    than ``max_decimals``)."""
    dtype = dtype if np.issubdtype(dtype, np.floating) else np.dtype("float64")
    exact = values.astype(dtype)
    for decimals in range(max_decimals + 1):
        if np.array_equal(np.round(values, decimals).astype(dtype), exact):
            return decimals
    return None


def _layout(columns) -> Layout:
    n_numeric = sum(c.kind in (NUMERIC, INTEGER) for c in columns)
    blocks, start = [], n_numeric
    for column in columns:
        if column.kind in (CATEGORICAL, ONE_HOT):
            width = len(column.categories) if column.kind == CATEGORICAL else len(column.names)
            blocks.append((start, start + width))
            start += width
    return Layout(n_numeric, tuple(blocks))


def _encoded_order(columns) -> list:
    numeric = [c for c in columns if c.kind in (NUMERIC, INTEGER)]
    blocks = [c for c in columns if c.kind in (CATEGORICAL, ONE_HOT)]
    return numeric + blocks


# --- the arithmetic ---------------------------------------------------------------------------
def _scale(values, column):
    # scikit-learn's MinMaxScaler arithmetic, so the paper's rows come out bit for bit.
    scale = 1.0 / (column.high - column.low)
    return values * scale - column.low * scale


def _unscale(z, column):
    scale = 1.0 / (column.high - column.low)
    values = (np.clip(z, 0.0, 1.0) + column.low * scale) / scale
    values = np.clip(values, column.low, column.high)
    if column.kind == INTEGER:
        return np.rint(values)
    if column.decimals is not None:
        return np.round(values, column.decimals)
    return values


def _one_hot(series, column):
    categories = pd.Index(column.categories)
    codes = categories.get_indexer(pd.Series(series).astype(object))
    if (codes < 0).any():
        unseen = sorted(set(pd.Series(series)[codes < 0].astype(str)))
        raise DataError(f"Column {column.names[0]!r} has categories {unseen} that the encoder "
                        "did not see when fitted: fit it on rows that contain every category.")
    encoded = np.zeros((len(series), len(categories)))
    encoded[np.arange(len(series)), codes] = 1.0
    return encoded
