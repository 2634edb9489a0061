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

from utils.errors import DataError

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

    Columns: ``id`` (an identifier we *generate*, because the bundled copy has none; it carries
    no information), ``diagnosis`` (``"M"`` malignant, ``"B"`` benign) and the 30 features.
    scikit-learn codes malignant as 0; here it is ``"M"``, and preprocessing makes it the
    positive class (1).
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


def read_csv_dataset(path: str | Path) -> pd.DataFrame:
    """Read a CSV data set, dropping columns that are entirely empty, and say what was dropped.

    The Kaggle WDBC file ends its header with a comma, so pandas reads an extra empty column
    ``Unnamed: 32``; it holds no data and is removed with a printed note.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(
            f"Data file not found: '{path}'. Check the path (relative paths are read from "
            f"the current folder, '{Path.cwd()}'), or set data_path=None to use the WDBC "
            "copy that ships with scikit-learn."
        )
    if path.is_dir():
        raise DataError(f"data_path '{path}' is a folder; give the path of a CSV file.")
    try:
        frame = pd.read_csv(path)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise DataError(
            f"Could not read '{path}' as a CSV file ({type(exc).__name__}: {exc}). "
            "Save the data as a comma-separated text file with a header row."
        ) from exc
    if len(frame) == 0:
        # Otherwise every column counts as "empty" below and is dropped, and the user is told
        # that the target column is missing.
        raise DataError(f"'{path}' has a header row but no data rows; add the data rows.")
    empty = [column for column in frame.columns if frame[column].isna().all()]
    if empty:
        print(f"Dropped {len(empty)} empty column(s) with no values: {empty}")
        frame = frame.drop(columns=empty)
    return frame


def load_dataset(data_path: str | Path | None = None, target: str = WDBC_TARGET) -> pd.DataFrame:
    """Load the bundled WDBC (``data_path=None``) or a CSV, and check it is fit for the pipeline."""
    frame = load_wdbc() if data_path is None else read_csv_dataset(data_path)
    validate_dataset(frame, target)
    return frame


def class_display_names(labels) -> dict:
    """Map each class label to the name used in tables: WDBC's M/B become malignant/benign."""
    names = {}
    for label in labels:
        text = WDBC_CLASS_NAMES.get(str(label), str(label))
        names[label] = "_".join(text.lower().split())
    return names


def validate_dataset(frame: pd.DataFrame, target: str) -> None:
    """Raise :class:`DataError` naming the problem and its fix if ``frame`` cannot be used.

    Checks: the target column exists, it has exactly two classes, nothing is missing, and no
    numeric column hides non-numeric entries (a typo such as ``"12,5"`` or ``"n/a"``).
    """
    if target not in frame.columns:
        raise DataError(
            f"Target column '{target}' is not in the data. Columns are: {list(frame.columns)}. "
            "Set the `target` parameter to the name of the column holding the classes."
        )
    _check_missing(frame)
    classes = pd.unique(frame[target])
    if len(classes) < 2:
        raise DataError(
            f"Target column '{target}' has a single class ({classes[0]!r}); a classifier needs "
            "two. Check that `target` names the right column and that the file holds both classes."
        )
    if len(classes) > 2:
        raise DataError(
            f"Target column '{target}' has {len(classes)} classes ({list(classes)[:10]}); this "
            "pipeline supports binary targets only for now. Merge the classes into two, or keep "
            "the rows of two classes."
        )
    for column in frame.columns.drop(target):
        _check_numeric_junk(frame[column])


def _check_missing(frame: pd.DataFrame) -> None:
    missing = frame.isna().sum()
    missing = missing[missing > 0]
    if len(missing):
        detail = ", ".join(f"'{column}': {count}" for column, count in missing.items())
        raise DataError(
            f"The data have missing values (column: count) {detail}. This pipeline does not "
            "impute silently: drop those rows or columns, or impute them, before running it."
        )


def _check_numeric_junk(column: pd.Series) -> None:
    """A text column whose values are almost all numbers holds junk, not categories."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return
    as_number = pd.to_numeric(column, errors="coerce")
    parsed = as_number.notna()
    if parsed.mean() >= 0.9 and not parsed.all():
        bad = column[~parsed].unique()[:5]
        raise DataError(
            f"Column '{column.name}' is numeric but has {int((~parsed).sum())} non-numeric "
            f"value(s), e.g. {list(bad)}. Correct or remove those entries (a decimal comma or "
            "a text code for 'missing' are common causes)."
        )
