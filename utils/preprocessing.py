"""Steps 1b-1f of the paper: split, drop identifiers, encode, separate features and target, scale.

Every step that learns something from the data (which columns are identifiers, the categories
of a feature, the minimum and maximum of a feature) learns it from the training rows only and
applies it unchanged to the validation and test rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from utils.data import class_display_names, load_dataset
from utils.errors import DataError


def split_data(frame, target, train_size=0.5, validation_share=0.4, seed=42):
    """Split rows into training, validation and test sets, each with the classes' proportions.

    This is the paper's *code*: half the rows for training, then ``validation_share`` of the
    other half for validation and the rest for test (50% / 20% / 30% by default). The paper's
    text says 50% / 30% / 20%, but Table 1 came from the code.
    """
    train, rest = train_test_split(
        frame, train_size=train_size, stratify=frame[target], random_state=seed
    )
    validation, test = train_test_split(
        rest, train_size=validation_share, stratify=rest[target], random_state=seed
    )
    return train, validation, test


def find_identifiers(frame, target):
    """Columns that look like row identifiers: not floating point and unique in every row."""
    return [
        column
        for column in frame.columns
        if column != target
        and not pd.api.types.is_float_dtype(frame[column])
        and frame[column].is_unique
    ]


def categorical_columns(frame, target):
    """Feature columns that hold categories (text or booleans) rather than numbers."""
    return [
        column
        for column in frame.columns
        if column != target
        and (not pd.api.types.is_numeric_dtype(frame[column])
             or pd.api.types.is_bool_dtype(frame[column]))
    ]


def fit_one_hot(train, columns):
    """A one-hot encoder learned on the training rows; unseen categories become all zeros."""
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return encoder.fit(train[columns].astype(str))


def one_hot_encode(frame, encoder, columns):
    """Replace ``columns`` by their one-hot columns, named ``<column>_<category>``."""
    if not columns:
        return frame
    encoded = pd.DataFrame(
        encoder.transform(frame[columns].astype(str)),
        columns=encoder.get_feature_names_out(columns),
        index=frame.index,
    )
    return pd.concat([frame.drop(columns=columns), encoded], axis=1)


def choose_positive_label(train_target, positive_label=None):
    """The class coded 1: ``positive_label`` if given, else the minority class of the training rows."""
    counts = train_target.value_counts()
    if positive_label is None:
        return counts.idxmin()
    labels = list(counts.index)
    if positive_label not in labels:
        # CSV readers give numbers where the user may have typed text, and the other way round.
        matches = [label for label in labels if str(label) == str(positive_label)]
        if not matches:
            raise DataError(
                f"positive_label {positive_label!r} is not a class of the target; the classes "
                f"are {labels}. Set positive_label to one of them, or to None for the minority class."
            )
        return matches[0]
    return positive_label


def encode_target(target_values, positive_label):
    """Integer-encode the target: 1 for the positive (class of interest), 0 for the other."""
    return (target_values == positive_label).astype(int).to_numpy()


def separate_features_and_target(frame, target):
    """Return the feature matrix ``X`` (float) and the target column, as the paper's Step 1e."""
    return frame.drop(columns=[target]).to_numpy(dtype=float), frame[target]


@dataclass
class PreparedData:
    """The output of Step 1: scaled feature matrices and 0/1 targets for the three splits."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: list
    #: ``class_names[0]`` and ``class_names[1]``: readable names of the negative and positive class.
    class_names: dict
    dropped_identifiers: list = field(default_factory=list)
    one_hot_columns: list = field(default_factory=list)
    scaler: MinMaxScaler | None = None

    def summary(self) -> pd.DataFrame:
        """Rows and class counts of each split."""
        rows = {}
        for split, y in (("train", self.y_train), ("validation", self.y_val), ("test", self.y_test)):
            rows[split] = {
                "rows": len(y),
                **{self.class_names[k]: int(np.sum(y == k)) for k in (0, 1)},
            }
        return pd.DataFrame(rows).T


def prepare_data(
    data_path=None,
    target="diagnosis",
    seed=42,
    train_size=0.5,
    validation_share=0.4,
    positive_label=None,
    verbose=True,
) -> PreparedData:
    """Run Steps 1a-1f of the paper and return the scaled splits.

    Notebook 01 walks through these steps one at a time; later notebooks call this function to
    get the same result in one line. ``verbose`` prints which identifier columns were dropped.
    """
    frame = load_dataset(data_path, target)
    return prepare_frame(frame, target, seed, train_size, validation_share, positive_label,
                         verbose)


def prepare_frame(frame, target="diagnosis", seed=42, train_size=0.5, validation_share=0.4,
                  positive_label=None, verbose=True) -> PreparedData:
    """Steps 1b-1f on an already loaded and checked data frame (see :func:`prepare_data`)."""
    train, validation, test = split_data(frame, target, train_size, validation_share, seed)
    identifiers = find_identifiers(train, target)
    if identifiers and verbose:
        print(f"Dropped identifier column(s) {identifiers}: not floating point, and unique in "
              "every training row.")
    train, validation, test = (part.drop(columns=identifiers) for part in (train, validation, test))
    categorical = categorical_columns(train, target)
    encoder = fit_one_hot(train, categorical) if categorical else None
    train, validation, test = (
        one_hot_encode(part, encoder, categorical) for part in (train, validation, test)
    )
    positive = choose_positive_label(train[target], positive_label)
    negative = next(label for label in train[target].unique() if label != positive)
    names = class_display_names([negative, positive])
    arrays = {}
    for name, part in (("train", train), ("val", validation), ("test", test)):
        X, y = separate_features_and_target(part, target)
        arrays[f"X_{name}"], arrays[f"y_{name}"] = X, encode_target(y, positive)
    scaler = MinMaxScaler().fit(arrays["X_train"])
    for name in ("train", "val", "test"):
        arrays[f"X_{name}"] = scaler.transform(arrays[f"X_{name}"])
    return PreparedData(
        **arrays,
        feature_names=list(train.columns.drop(target)),
        class_names={0: names[negative], 1: names[positive]},
        dropped_identifiers=identifiers,
        one_hot_columns=categorical,
        scaler=scaler,
    )
