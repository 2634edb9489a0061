"""Steps 1b-1f of the paper: split, drop identifiers, encode, separate features and target, scale.

Every step that learns something from the data (the median that fills a missing value, the
categories of a feature, the minimum and maximum of a feature) learns it from the training rows
only and applies it unchanged to the validation and test rows: one scikit-learn
``ColumnTransformer`` (:func:`build_preprocessor`) fitted on the training rows. Which columns
are identifiers is decided once, on the whole table, before any split: every split, and every
split of the repeated study, then has the same features.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder

from tabaug.data.reading import class_display_names, load_dataset
from tabaug.errors import DataError

__all__ = [
    "as_text", "build_preprocessor", "categorical_columns", "check_id_columns",
    "choose_positive_label", "class_order", "column_report", "encode_target",
    "identifier_report", "match_label", "MISSING_CATEGORY", "numeric_columns", "prepare_data",
    "prepare_frame", "PreparedData", "separate_features_and_target", "split_data",
    "suggest_identifiers",
]

#: What a missing category becomes: a category of its own, since in clinical tables whether a
#: value was recorded often says something by itself.
MISSING_CATEGORY = "missing"


def split_data(frame, target, train_size=0.5, validation_share=0.4, seed=42):
    """Split rows into training, validation and test sets, each with the classes' proportions.

    This is the paper's *code*: half the rows for training, then ``validation_share`` of the
    other half for validation and the rest for test (50% / 20% / 30% by default). The paper's
    text says 50% / 30% / 20%, but Table 1 came from the code.

    Parameters
    ----------
    frame : DataFrame
        The table, target included.
    target : str
        The column of classes whose proportions every split keeps (a stratified split).
    train_size : float, default=0.5
        The share of the rows for training.
    validation_share : float, default=0.4
        The share of the other rows for validation; the rest are for test.
    seed : int, default=42
        Seeds both splits: the same seed gives the same rows.

    Returns
    -------
    train, validation, test : DataFrame
        The rows of ``frame`` in three parts, each with a row of every class; if a class is too
        small for that, :class:`~tabaug.errors.DataError` says what to change instead.

    Examples
    --------
    >>> from tabaug.data import load_wdbc, split_data
    >>> train, validation, test = split_data(load_wdbc(), "diagnosis", seed=42)
    >>> len(train), len(validation), len(test)
    (284, 114, 171)
    >>> train["diagnosis"].value_counts().to_dict()  # 37% malignant, as in the whole table
    {'B': 178, 'M': 106}
    """
    try:
        train, rest = train_test_split(
            frame, train_size=train_size, stratify=frame[target], random_state=seed
        )
        validation, test = train_test_split(
            rest, train_size=validation_share, stratify=rest[target], random_state=seed
        )
    except ValueError as error:
        raise _split_error(frame[target], str(error)) from error
    classes = set(frame[target])
    for name, part in (("training", train), ("validation", validation), ("test", test)):
        if set(part[target]) != classes:
            absent = sorted(map(str, classes - set(part[target])))
            raise _split_error(frame[target], f"the {name} split has no row of {absent}")
    return train, validation, test


def _split_error(labels, reason):
    counts = ", ".join(f"{label!r}: {n}" for label, n in labels.value_counts().items())
    return DataError(
        f"The stratified split cannot give every split a row of every class: {reason}. Rows "
        f"per class: {counts}. Merge or drop the smallest classes, or change train_size / "
        "validation_share so that each split gets rows of each class."
    )


# --- Step 1c: identifiers ---------------------------------------------------------------------
def suggest_identifiers(frame, target):
    """Columns that look like row identifiers: whole numbers or text, a different value in
    every row. Only a suggestion: a unique integer may be a measurement, so you decide."""
    return [
        column
        for column in frame.columns
        if column != target
        and not pd.api.types.is_float_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
        and frame[column].notna().all()
        and frame[column].is_unique
    ]


def check_id_columns(frame, target, id_columns):
    """The identifier columns to drop: ``id_columns`` checked against ``frame``'s columns.

    ``id_columns`` is a list of column names (``[]``: none). A name that is not a column, or
    the target, stops with the heuristic's suggestion, so a typo never keeps an identifier as a
    feature."""
    if id_columns is None:
        return []
    if isinstance(id_columns, str):
        id_columns = [id_columns]
    id_columns = list(id_columns)
    absent = [column for column in id_columns if column not in frame.columns]
    if absent:
        raise DataError(
            f"id_columns names {absent}, which the data do not have. Columns that look like "
            f"identifiers here: {suggest_identifiers(frame, target) or 'none'}. Set id_columns "
            "to the identifier columns of your table, or to [] if it has none."
        )
    if target in id_columns:
        raise DataError(f"id_columns names the target '{target}'; remove it from id_columns.")
    return id_columns


def identifier_report(frame, target, id_columns):
    """A table of the identifier decision: each named or suggested column, and what happens."""
    suggested = suggest_identifiers(frame, target)
    rows = []
    for column in dict.fromkeys([*id_columns, *suggested]):
        named, looks = column in id_columns, column in suggested
        rows.append({
            "column": column,
            "distinct values": int(frame[column].nunique()),
            "looks like an identifier": looks,
            "decision": "dropped (named in id_columns)" if named else
                        "kept as a feature (not in id_columns)",
        })
    return pd.DataFrame(rows, columns=["column", "distinct values", "looks like an identifier",
                                       "decision"])


# --- Step 1d: column types and the preprocessor -----------------------------------------------
def categorical_columns(frame, target):
    """Feature columns that hold categories (text or booleans) rather than numbers."""
    return [
        column
        for column in frame.columns
        if column != target
        and (not pd.api.types.is_numeric_dtype(frame[column])
             or pd.api.types.is_bool_dtype(frame[column]))
    ]


def numeric_columns(frame, target):
    """Feature columns that hold numbers (integers or floats, not booleans)."""
    categorical = set(categorical_columns(frame, target))
    return [column for column in frame.columns if column != target and column not in categorical]


def as_text(X):
    """Every value as text (``True`` -> ``"True"``, ``3`` -> ``"3"``), missing values kept, so
    that one encoder treats words, booleans and codes alike."""
    frame = pd.DataFrame(X)
    return frame.astype(object).where(frame.isna(), frame.astype(str))


def build_preprocessor(numeric, categorical):
    """The preprocessing of Step 1 as one scikit-learn ``ColumnTransformer``.

    - numeric columns: a missing value becomes the training rows' median (and, for a column
      with missing training values, a 0/1 column says where a value was filled in); then
      min-max scaling to the training rows' range;
    - categorical columns: read as text, a missing value becomes the category ``"missing"``,
      then one 0/1 column per training category (an unseen category: all zeros).

    Numeric columns come first, in their order, then the one-hot columns. A kind of column the
    table lacks gets no step (an empty step would also break scikit-learn's drawing of it).
    """
    numeric_steps = Pipeline([
        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
        ("scale", MinMaxScaler()),
    ])
    categorical_steps = Pipeline([
        ("as_text", FunctionTransformer(as_text, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY)),
        ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
    ])
    steps = [("numeric", numeric_steps, list(numeric)),
             ("categorical", categorical_steps, list(categorical))]
    return ColumnTransformer([step for step in steps if step[2]],
                             verbose_feature_names_out=False)


def column_report(preprocessor, train, target, identifiers=None):
    """One row per column of the table: what preprocessing did with it, learned from ``train``.

    ``identifiers``: the dropped identifier columns (of the whole table), listed first.

    Columns: role (target, identifier, numeric, categorical), dtype, missing values in the
    training rows, what a missing value becomes, categories learned, and features produced.
    """
    rows = [{"column": target, "role": "target", "dtype": str(train[target].dtype),
             "missing (training rows)": 0, "missing becomes": "", "categories": "",
             "features": 0}]
    if identifiers is not None:
        rows += [{"column": column, "role": "identifier (dropped)",
                  "dtype": str(identifiers[column].dtype), "missing (training rows)": 0,
                  "missing becomes": "", "categories": "", "features": 0}
                 for column in identifiers.columns]
    names = list(preprocessor.get_feature_names_out())
    for kind, steps, columns in preprocessor.transformers_:
        if kind not in ("numeric", "categorical"):
            continue  # the remainder: nothing is left over
        fills = steps.named_steps["impute"].statistics_
        for i, column in enumerate(columns):
            missing = int(train[column].isna().sum())
            row = {"column": column, "role": kind, "dtype": str(train[column].dtype),
                   "missing (training rows)": missing,
                   "missing becomes": _fill_text(kind, fills[i]), "categories": "",
                   "features": 1 + (missing > 0)}
            if kind == "categorical":
                learned = steps.named_steps["one_hot"].categories_[i]
                row["categories"] = ", ".join(map(str, learned))
                row["features"] = len(learned)
            rows.append(row)
    report = pd.DataFrame(rows).set_index("column")
    assert report["features"].sum() == len(names), "every feature is accounted for"
    return report


def _fill_text(kind, value):
    if kind == "numeric":
        return f"median {value:.6g}"
    return f"category '{value}'"


# --- Step 1d: the target ----------------------------------------------------------------------
def choose_positive_label(train_target, positive_label=None):
    """The class coded 1 of two: ``positive_label`` if given, else the minority class of the
    training rows."""
    counts = train_target.value_counts()
    if positive_label is None:
        return counts.idxmin()
    return match_label(positive_label, list(counts.index), "positive_label")


def match_label(label, labels, name):
    """``label`` as one of ``labels``; CSV readers give numbers where the user may have typed
    text, and the other way round, so ``"1"`` matches ``1``."""
    if label in labels:
        return label
    matches = [known for known in labels if str(known) == str(label)]
    if not matches:
        raise DataError(
            f"{name} {label!r} is not a class of the target; the classes are {labels}. Set "
            f"{name} to one of them, or to None."
        )
    return matches[0]


def class_order(train_target, positive_label=None):
    """The classes in the order of their codes 0, 1, ..., k-1.

    Two classes: the other class is 0 and the class of interest (``positive_label``, by
    default the minority class) is 1, as the paper codes benign 0 and malignant 1. More
    classes: sorted by label, as scikit-learn's ``LabelEncoder`` sorts them; ``positive_label``
    must then be None, since tuning scores every class (macro F1)."""
    labels = list(train_target.value_counts().index)
    if len(labels) == 2:
        positive = choose_positive_label(train_target, positive_label)
        return [next(label for label in labels if label != positive), positive]
    if positive_label is not None:
        raise DataError(
            f"positive_label={positive_label!r} names one class of {len(labels)}; it is for two "
            "classes only. Set positive_label = None: with more classes every class counts "
            "(macro averages)."
        )
    return sorted(labels, key=lambda label: (str(type(label)), label))


def encode_target(target_values, classes):
    """Integer-encode the target: the code of each label is its position in ``classes``.

    Two classes ``[negative, positive]`` give 0 and 1. A bare label (not a list) is the
    positive class of two: 1 for it, 0 for every other label."""
    if not isinstance(classes, (list, tuple)):
        return (target_values == classes).astype(int).to_numpy()
    codes = {label: code for code, label in enumerate(classes)}
    unknown = set(pd.unique(target_values)) - set(codes)
    if unknown:
        raise DataError(f"Target values {sorted(map(str, unknown))} are not among the classes "
                        f"{list(classes)} learned from the training rows.")
    return target_values.map(codes).to_numpy(dtype=int)


def separate_features_and_target(frame, target):
    """Return the feature columns and the target column, as the paper's Step 1e."""
    return frame.drop(columns=[target]), frame[target]


@dataclass
class PreparedData:
    """The output of Step 1: scaled feature matrices and class codes for the three splits.

    Attributes
    ----------
    X_train, X_val, X_test : ndarray of shape (n_rows, n_features)
        The scaled feature matrices of the training, validation and test rows.
    y_train, y_val, y_test : ndarray of shape (n_rows,)
        The class codes 0, 1, ..., k-1 of those rows.
    feature_names : list of str
        The names of the matrices' columns.
    class_names : dict
        Readable name of each class code: ``class_names[0]``, ``class_names[1]``, ...
    classes : list
        The original labels in code order: ``classes[code]`` is the label in the file.
    dropped_identifiers : list
        The identifier columns dropped before the split.
    one_hot_columns : list
        The categorical columns, one-hot encoded.
    preprocessor : ColumnTransformer or None
        The fitted ``ColumnTransformer`` (imputation, one-hot encoding, scaling).
    columns : DataFrame or None
        One row per column of the table: what preprocessing did with it
        (:func:`column_report`).
    n_classes : int
        The number of classes.
    class_of_interest : int
        The class code that figures and single-class counts focus on: 1 for two classes, the
        smallest training class for more.
    scaler : MinMaxScaler or None
        The min-max scaler of the numeric columns (None when there are none).

    Examples
    --------
    >>> from tabaug.data import prepare_data
    >>> data = prepare_data(seed=42, verbose=False)
    >>> data.summary()
                rows  benign  malignant
    train        284     178        106
    validation   114      72         42
    test         171     107         64
    >>> data.classes, data.class_of_interest, data.dropped_identifiers
    (['B', 'M'], 1, ['id'])
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: list
    #: Readable name of each class code: ``class_names[0]``, ``class_names[1]``, ...
    class_names: dict
    #: The original labels in code order: ``classes[code]`` is the label in the file.
    classes: list = field(default_factory=list)
    dropped_identifiers: list = field(default_factory=list)
    one_hot_columns: list = field(default_factory=list)
    #: The fitted ``ColumnTransformer`` (imputation, one-hot encoding, scaling).
    preprocessor: ColumnTransformer | None = None
    #: One row per column of the table: what preprocessing did with it (:func:`column_report`).
    columns: pd.DataFrame | None = None

    @property
    def n_classes(self) -> int:
        """The number of classes."""
        return len(self.class_names)

    @property
    def class_of_interest(self) -> int:
        """The class code that figures and single-class counts focus on: 1 for two classes
        (the paper's malignant, or ``positive_label``), the smallest training class for more."""
        if self.n_classes == 2:
            return 1
        return int(np.argmin(np.bincount(self.y_train, minlength=self.n_classes)))

    @property
    def scaler(self) -> MinMaxScaler | None:
        """The min-max scaler of the numeric columns (None when there are none)."""
        numeric = (None if self.preprocessor is None
                   else self.preprocessor.named_transformers_.get("numeric"))
        return None if numeric is None else numeric.named_steps["scale"]

    def summary(self) -> pd.DataFrame:
        """Rows and class counts of each split.

        Returns
        -------
        DataFrame
            One row per split (``train``, ``validation``, ``test``): its number of rows, then
            its rows of each class, in columns named by :attr:`class_names`.
        """
        rows = {}
        splits = (("train", self.y_train), ("validation", self.y_val), ("test", self.y_test))
        for split, y in splits:
            rows[split] = {
                "rows": len(y),
                **{name: int(np.sum(y == code)) for code, name in self.class_names.items()},
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
    id_columns=("id",),
) -> PreparedData:
    """Run Steps 1a-1f of the paper and return the scaled splits.

    Notebook 01 walks through these steps one at a time; later notebooks call this function to
    get the same result in one line.

    Parameters
    ----------
    data_path : str, Path or None, default=None
        A CSV file, or None for the bundled WDBC (read and checked by
        :func:`~tabaug.data.reading.load_dataset`).
    target : str, default="diagnosis"
        The column that holds the classes.
    seed : int, default=42
        Seeds the split (:func:`split_data`): the same seed gives the same rows.
    train_size : float, default=0.5
        The share of the rows for training.
    validation_share : float, default=0.4
        The share of the other rows for validation; the rest are for test.
    positive_label : label or None, default=None
        Two classes: the class coded 1 (None: the minority class of the training rows). More
        classes: must be None (see :func:`class_order`).
    verbose : bool, default=True
        Print the identifier decision and the imputed values.
    id_columns : sequence of str, default=("id",)
        The identifier columns to drop (WDBC's ``id`` by default; ``[]`` for none).

    Returns
    -------
    PreparedData
        The scaled splits, their class codes and the fitted preprocessing.

    Examples
    --------
    WDBC, split as the paper's code splits it (50 / 20 / 30%), min-max scaled on the training
    rows:

    >>> from tabaug.data import prepare_data
    >>> data = prepare_data(seed=42, verbose=False)
    >>> data.X_train.shape, data.X_val.shape, data.X_test.shape
    ((284, 30), (114, 30), (171, 30))
    >>> data.class_names
    {0: 'benign', 1: 'malignant'}
    >>> round(float(data.X_train.min()), 6), round(float(data.X_train.max()), 6)
    (0.0, 1.0)
    """
    frame = load_dataset(data_path, target)
    return prepare_frame(frame, target, seed, train_size, validation_share, positive_label,
                         verbose, id_columns=id_columns)


def prepare_frame(frame, target="diagnosis", seed=42, train_size=0.5, validation_share=0.4,
                  positive_label=None, verbose=True, id_columns=("id",)) -> PreparedData:
    """Steps 1b-1f on an already loaded and checked data frame (see :func:`prepare_data`).

    Parameters
    ----------
    frame : DataFrame
        The table, e.g. from :func:`~tabaug.data.reading.load_dataset`.
    target, seed, train_size, validation_share, positive_label, verbose, id_columns
        As in :func:`prepare_data`.

    Returns
    -------
    PreparedData
        The scaled splits, their class codes and the fitted preprocessing.

    Examples
    --------
    A table with an identifier, missing ages and a category: a missing age becomes the training
    rows' median, flagged in a column of its own, and the category one 0/1 column per value.

    >>> import numpy as np, pandas as pd
    >>> from tabaug.data import prepare_frame
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"patient": range(40), "age": rng.integers(30, 80, 40).astype(float),
    ...                       "smoker": rng.choice(["yes", "no"], 40),
    ...                       "outcome": ["healthy"] * 30 + ["ill"] * 10})
    >>> frame.loc[[3, 17], "age"] = np.nan
    >>> data = prepare_frame(frame, "outcome", id_columns=["patient"], verbose=False)
    >>> data.feature_names
    ['age', 'missingindicator_age', 'smoker_no', 'smoker_yes']
    >>> data.class_names
    {0: 'healthy', 1: 'ill'}
    >>> data.columns[["role", "missing becomes", "features"]]
                             role     missing becomes  features
    column
    outcome                target                             0
    patient  identifier (dropped)                             0
    age                   numeric           median 55         2
    smoker            categorical  category 'missing'         2
    """
    identifiers = check_id_columns(frame, target, id_columns)
    if verbose:
        _print_identifiers(frame, target, identifiers)
    dropped, frame = frame[identifiers], frame.drop(columns=identifiers)
    train, validation, test = split_data(frame, target, train_size, validation_share, seed)
    categorical = categorical_columns(train, target)
    preprocessor = build_preprocessor(numeric_columns(train, target), categorical)
    classes = class_order(train[target], positive_label)
    arrays = {}
    for name, part in (("train", train), ("val", validation), ("test", test)):
        X, y = separate_features_and_target(part, target)
        if name == "train":
            preprocessor.fit(X)
        arrays[f"X_{name}"] = preprocessor.transform(X).astype(float)
        arrays[f"y_{name}"] = encode_target(y, classes)
    report = column_report(preprocessor, train, target, dropped)
    if verbose:
        _print_imputation(report)
    names = class_display_names(classes)
    return PreparedData(
        **arrays,
        feature_names=list(preprocessor.get_feature_names_out()),
        class_names={code: names[label] for code, label in enumerate(classes)},
        classes=classes,
        dropped_identifiers=identifiers,
        one_hot_columns=categorical,
        preprocessor=preprocessor,
        columns=report,
    )


def _print_identifiers(frame, target, identifiers):
    report = identifier_report(frame, target, identifiers)
    if len(report):
        print("Identifier columns (named by id_columns; the suggestion only looks for a "
              "different whole number or text in every row):")
        print(report.to_string(index=False))


def _print_imputation(report):
    filled = report[report["missing (training rows)"] > 0]
    filled = filled[filled["role"].isin(["numeric", "categorical"])]
    if len(filled):
        print("Missing values filled in, with values learned from the training rows:")
        print(filled[["role", "missing (training rows)", "missing becomes"]].to_string())
