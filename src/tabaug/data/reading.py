"""Load the Breast Cancer Wisconsin (Diagnostic) data, or a CSV of your own, and check it.

The paper read the Kaggle copy of WDBC: an ``id`` column, ``diagnosis`` coded M/B and 30 features.
scikit-learn ships the same 569 rows in the same order; :func:`load_wdbc` presents them in the
Kaggle layout so that the preprocessing steps (drop identifiers, encode the target) have real work.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

from tabaug.errors import DataError

__all__ = [
    "check_unique_columns", "class_display_names", "drop_empty_columns", "load_dataset",
    "load_wdbc", "MIN_CLASS_ROWS", "read_csv_dataset", "read_header", "validate_dataset",
    "WDBC_CHARACTERISTICS", "WDBC_CLASS_NAMES", "WDBC_FEATURES", "WDBC_TARGET",
]

#: The ten nucleus characteristics of WDBC, in the column order of both copies of the data.
WDBC_CHARACTERISTICS = (
    "radius", "texture", "perimeter", "area", "smoothness",
    "compactness", "concavity", "concave points", "symmetry", "fractal_dimension",
)
#: The 30 feature names of the Kaggle copy: mean, standard error and worst value of each
#: characteristic. Kaggle spells ``concave points_*`` with a space; we keep its names exactly,
#: so the bundled copy and the Kaggle file give the same columns.
WDBC_FEATURES = tuple(
    f"{name}_{stat}" for stat in ("mean", "se", "worst") for name in WDBC_CHARACTERISTICS
)
WDBC_TARGET = "diagnosis"
#: Human-readable names of the WDBC diagnosis codes, used in tables and plots.
WDBC_CLASS_NAMES = {"M": "malignant", "B": "benign"}


def load_wdbc() -> pd.DataFrame:
    """Return WDBC from scikit-learn in the layout of the Kaggle file the paper used.

    scikit-learn codes malignant as 0; here it is ``"M"``, and preprocessing makes it the
    positive class (1).

    Returns
    -------
    DataFrame
        The 569 rows, with the columns ``id`` (an identifier we *generate*, because the bundled
        copy has none; it carries no information), ``diagnosis`` (``"M"`` malignant, ``"B"``
        benign) and the 30 features (:data:`WDBC_FEATURES`).

    Examples
    --------
    >>> from tabaug.data import load_wdbc
    >>> frame = load_wdbc()
    >>> frame.shape
    (569, 32)
    >>> frame.iloc[:2, :4]
           id diagnosis  radius_mean  texture_mean
    0  100000         M        17.99         10.38
    1  100001         M        20.57         17.77
    >>> frame["diagnosis"].value_counts().to_dict()
    {'B': 357, 'M': 212}
    """
    bunch = load_breast_cancer()
    features = pd.DataFrame(bunch.data, columns=list(WDBC_FEATURES))
    # scikit-learn: target 0 = malignant, 1 = benign.
    diagnosis = np.where(bunch.target == 0, "M", "B")
    ids = 100_000 + np.arange(len(features))
    frame = pd.concat(
        [pd.DataFrame({"id": ids, WDBC_TARGET: diagnosis}), features], axis=1
    )
    return frame


def read_csv_dataset(path: str | Path, keep=()) -> pd.DataFrame:
    """Read a CSV data set, dropping columns that are entirely empty, and say what was dropped.

    The Kaggle WDBC file ends its header with a comma, so pandas reads an extra empty column
    ``Unnamed: 32``; it holds no data and is removed with a printed note. Repeated column names
    are refused: pandas would rename the second ``age`` to ``age.1`` without a word.

    Parameters
    ----------
    path : str or Path
        A comma-separated text file with a header row; a relative path is read from the current
        folder.
    keep : sequence of column names, default=()
        Columns that stay even when empty (the target, say), so that the check of their values
        can say what is wrong.

    Returns
    -------
    DataFrame
        The file's rows, without the empty columns not named in ``keep``. A missing file, a
        folder, a file that is not a CSV, repeated column names or no data rows raise
        :class:`DataError` instead, naming the fix.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from tabaug.data import read_csv_dataset
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "patients.csv"
    >>> pd.DataFrame({"age": [52, 61, 47], "notes": [None, None, None],
    ...               "outcome": ["ill", "healthy", "healthy"]}).to_csv(path, index=False)
    >>> read_csv_dataset(path)
    Dropped 1 empty column(s) with no values: ['notes']
       age  outcome
    0   52      ill
    1   61  healthy
    2   47  healthy
    >>> folder.cleanup()
    """
    path = Path(path)
    if not path.exists():
        raise DataError(
            f"Data file not found: '{path}'. Check the path (relative paths are read from "
            f"the current folder, '{Path.cwd()}'). In the notebooks, data_path=None uses the "
            "WDBC copy that ships with scikit-learn."
        )
    if path.is_dir():
        raise DataError(f"'{path}' is a folder; give the path of a CSV file.")
    try:
        frame = pd.read_csv(path)
        names = read_header(path)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise DataError(
            f"Could not read '{path}' as a CSV file ({type(exc).__name__}: {exc}). "
            "Save the data as a comma-separated text file with a header row."
        ) from exc
    check_unique_columns([name for name in names if name], where=f"'{path}'")
    if len(frame) == 0:
        # Otherwise every column counts as "empty" below and is dropped, and the user is told
        # that the target column is missing.
        raise DataError(f"'{path}' has a header row but no data rows; add the data rows.")
    return drop_empty_columns(frame, keep)


def read_header(path: str | Path) -> list:
    """The column names of a CSV file's header row, as written (an empty name as ``""``).

    pandas' own column names cannot show repeated names (the second ``age`` becomes
    ``age.1``) or where an empty column stood."""
    names = pd.read_csv(path, nrows=1, header=None, dtype=str).iloc[0].tolist()
    return ["" if pd.isna(name) else str(name) for name in names]


def drop_empty_columns(frame: pd.DataFrame, keep=()) -> pd.DataFrame:
    """``frame`` without the columns that hold no value at all, printing which were dropped.

    Such a column carries no information and cannot be imputed (there is nothing to learn a
    median or a most frequent value from)."""
    empty = [column for column in frame.columns
             if column not in keep and frame[column].isna().all()]
    if empty:
        print(f"Dropped {len(empty)} empty column(s) with no values: {empty}")
        frame = frame.drop(columns=empty)
    return frame


def check_unique_columns(names, where="the data") -> None:
    """Refuse repeated column names, naming them: which of two ``age`` columns is meant?"""
    repeated = sorted({str(name) for name in names if list(names).count(name) > 1})
    if repeated:
        raise DataError(
            f"{where} has repeated column names: {repeated}. Rename the columns so that each "
            "name appears once (or drop the copies), then run again."
        )


def load_dataset(data_path: str | Path | None = None, target: str = WDBC_TARGET) -> pd.DataFrame:
    """Load the bundled WDBC (``data_path=None``) or a CSV, and check it is fit for the pipeline.

    Parameters
    ----------
    data_path : str, Path or None, default=None
        A CSV file, read with :func:`read_csv_dataset` (the target column stays even when
        empty); None: WDBC from scikit-learn (:func:`load_wdbc`).
    target : str, default="diagnosis"
        The column that holds the classes.

    Returns
    -------
    DataFrame
        The table, checked with :func:`validate_dataset`: a table unfit for the pipeline raises
        :class:`DataError` instead, naming the problem and its fix.

    Examples
    --------
    >>> from tabaug.data import load_dataset
    >>> load_dataset().shape
    (569, 32)
    >>> load_dataset(target="class")
    Traceback (most recent call last):
        ...
    tabaug.errors.DataError: Target column 'class' is not in the data. ...
    """
    frame = load_wdbc() if data_path is None else read_csv_dataset(data_path, keep=[target])
    validate_dataset(frame, target)
    return frame


def class_display_names(labels) -> dict:
    """Map each class label to the name used in tables: WDBC's M/B become malignant/benign."""
    names = {}
    for label in labels:
        text = WDBC_CLASS_NAMES.get(str(label), str(label))
        names[label] = "_".join(text.lower().split())
    return names


#: The fewest rows a class needs: the default three-way stratified split (half for training,
#: then 40% / 60% of the rest) gives each of the training, validation and test splits a row of it.
MIN_CLASS_ROWS = 4


def validate_dataset(frame: pd.DataFrame, target: str) -> None:
    """Raise :class:`DataError` naming the problem and its fix if ``frame`` cannot be used.

    Missing *feature* values are allowed: preprocessing imputes them from the training rows and
    reports how many.

    Parameters
    ----------
    frame : DataFrame
        The table: the feature columns and the target.
    target : str
        The column that holds the classes.

    Raises
    ------
    DataError
        Unless every check passes: column names are unique, the target column exists and has no
        missing value, it holds at least two classes with at least :data:`MIN_CLASS_ROWS` rows
        each, some feature column holds values, and no numeric column hides non-numeric entries
        (a typo such as ``"12,5"`` or ``"n/a"``).

    Examples
    --------
    WDBC passes; a decimal comma in a numeric column does not:

    >>> import pandas as pd
    >>> from tabaug.data import load_wdbc, validate_dataset
    >>> validate_dataset(load_wdbc(), "diagnosis")
    >>> sizes = ["1.5", "2.0", "2,5", "1.8", "2.2", "1.1", "3.0", "2.4", "1.9", "2.7"]
    >>> frame = pd.DataFrame({"size": sizes, "outcome": ["healthy"] * 6 + ["ill"] * 4})
    >>> validate_dataset(frame, "outcome")
    Traceback (most recent call last):
        ...
    tabaug.errors.DataError: Column 'size' is numeric but has 1 non-numeric value(s),
    e.g. ['2,5']. ...
    """
    check_unique_columns(list(frame.columns))
    if target not in frame.columns:
        raise DataError(
            f"Target column '{target}' is not in the data. Columns are: {list(frame.columns)}. "
            "Set the target (the `target` parameter, or --target) to the name of the column "
            "holding the classes."
        )
    _check_target(frame[target])
    features = frame.columns.drop(target)
    if len(features) == 0 or frame[features].isna().all().all():
        raise DataError(
            f"The data have no feature values besides the target '{target}'. Check that the "
            "file holds the feature columns (and that its separator is a comma)."
        )
    for column in features:
        _check_numeric_junk(frame[column])


def _check_target(labels: pd.Series) -> None:
    missing = int(labels.isna().sum())
    if missing:
        rows = list(labels.index[labels.isna()][:5])
        raise DataError(
            f"Target column '{labels.name}' has {missing} missing value(s) (rows {rows}"
            f"{', ...' if missing > 5 else ''}). A row without its class cannot train or test "
            "a classifier: drop those rows, or fill in their class, before running."
        )
    counts = labels.value_counts()
    if len(counts) < 2:
        raise DataError(
            f"Target column '{labels.name}' has a single class ({counts.index[0]!r}); a "
            "classifier needs at least two. Check that `target` names the right column and that "
            "the file holds rows of every class."
        )
    small = counts[counts < MIN_CLASS_ROWS]
    if len(small):
        detail = ", ".join(f"{label!r}: {count}" for label, count in small.items())
        raise DataError(
            f"Target column '{labels.name}' has classes with fewer than {MIN_CLASS_ROWS} rows "
            f"(class: rows) {detail}; each of the training, validation and test splits needs "
            "at least one row of every class. Merge each such class into a related one, or drop "
            "its rows."
        )


def _check_numeric_junk(column: pd.Series) -> None:
    """A text column whose values are almost all numbers holds junk, not categories."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return
    present = column.dropna()
    as_number = pd.to_numeric(present, errors="coerce")
    parsed = as_number.notna()
    if len(present) and parsed.mean() >= 0.9 and not parsed.all():
        bad = present[~parsed].unique()[:5]
        raise DataError(
            f"Column '{column.name}' is numeric but has {int((~parsed).sum())} non-numeric "
            f"value(s), e.g. {list(bad)}. Correct or remove those entries (a decimal comma or "
            "a text code for 'missing' are common causes; leave a missing value empty)."
        )
