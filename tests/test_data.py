"""tabaug.data.reading: the bundled WDBC in Kaggle's layout, reading a CSV, and every bad-input
error."""

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from tabaug.data.reading import WDBC_FEATURES, load_dataset, read_csv_dataset, validate_dataset
from tabaug.errors import DataError

KAGGLE_FEATURES = [
    f"{name}_{stat}"
    for stat in ("mean", "se", "worst")
    for name in ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                 "concavity", "concave points", "symmetry", "fractal_dimension")
]


# --- load_wdbc --------------------------------------------------------------------------------
def test_load_wdbc_has_kaggle_layout(wdbc):
    assert wdbc.shape == (569, 32)
    assert list(wdbc.columns) == ["id", "diagnosis", *KAGGLE_FEATURES]
    assert list(WDBC_FEATURES) == KAGGLE_FEATURES
    assert "concave points_mean" in wdbc.columns  # Kaggle's spelling, with a space
    assert wdbc["id"].is_unique


def test_load_wdbc_diagnosis_counts(wdbc):
    assert set(wdbc["diagnosis"]) == {"M", "B"}
    counts = wdbc["diagnosis"].value_counts()
    assert counts["M"] == 212
    assert counts["B"] == 357


def test_load_wdbc_matches_sklearn_rows(wdbc):
    bunch = load_breast_cancer()
    # scikit-learn codes malignant as 0.
    np.testing.assert_array_equal(wdbc["diagnosis"].to_numpy() == "M", bunch.target == 0)
    np.testing.assert_array_equal(wdbc[KAGGLE_FEATURES].to_numpy(), bunch.data)
    # The sklearn names map to Kaggle's: "mean radius" -> "radius_mean", "radius error" ->
    # "radius_se".
    translated = [
        name.replace("mean ", "").replace(" error", "").replace("worst ", "").replace(" ", "_")
        for name in bunch.feature_names
    ]
    stats = ["mean"] * 10 + ["se"] * 10 + ["worst"] * 10
    expected = [f"{base}_{stat}".replace("concave_points", "concave points")
                for base, stat in zip(translated, stats)]
    assert expected == KAGGLE_FEATURES


def test_load_dataset_default_is_wdbc(wdbc):
    pd.testing.assert_frame_equal(load_dataset(), wdbc)


# --- read_csv_dataset -------------------------------------------------------------------------
def _write_kaggle_csv(frame, path, trailing_comma_in_rows=False):
    """Write ``frame`` as Kaggle's data.csv: the header ends with a comma (an unnamed 33rd
    column)."""
    lines = [",".join(frame.columns) + ","]
    for row in frame.itertuples(index=False):
        line = ",".join(repr(v) if isinstance(v, float) else str(v) for v in row)
        lines.append(line + ("," if trailing_comma_in_rows else ""))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("trailing_comma_in_rows", [False, True])
def test_read_kaggle_csv_drops_empty_unnamed_column(wdbc, tmp_path, capsys, trailing_comma_in_rows):
    path = _write_kaggle_csv(wdbc, tmp_path / "data.csv", trailing_comma_in_rows)
    # Without the clean-up, pandas sees 33 columns, the last one empty.
    raw = pd.read_csv(path)
    assert raw.shape == (569, 33)
    assert raw.columns[-1] == "Unnamed: 32"
    assert raw["Unnamed: 32"].isna().all()

    frame = read_csv_dataset(path)
    out = capsys.readouterr().out
    assert "Dropped 1 empty column" in out
    assert "Unnamed: 32" in out
    assert list(frame.columns) == list(wdbc.columns)
    assert frame.shape == (569, 32)
    np.testing.assert_array_equal(frame["diagnosis"].to_numpy(dtype=object),
                                  wdbc["diagnosis"].to_numpy(dtype=object))
    np.testing.assert_array_equal(frame["id"].to_numpy(), wdbc["id"].to_numpy())
    np.testing.assert_array_equal(frame[KAGGLE_FEATURES].to_numpy(),
                                  wdbc[KAGGLE_FEATURES].to_numpy())


def test_read_csv_without_empty_columns_prints_nothing(tmp_path, capsys):
    path = tmp_path / "clean.csv"
    pd.DataFrame({"a": [1.0, 2.0], "y": ["p", "q"]}).to_csv(path, index=False)
    frame = read_csv_dataset(path)
    assert capsys.readouterr().out == ""
    assert list(frame.columns) == ["a", "y"]


def test_load_dataset_reads_kaggle_csv(wdbc, tmp_path):
    path = _write_kaggle_csv(wdbc, tmp_path / "data.csv")
    frame = load_dataset(path)
    assert frame.shape == (569, 32)
    assert "Unnamed: 32" not in frame.columns


# --- errors: reading --------------------------------------------------------------------------
def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(DataError, match=r"Data file not found: .*nope\.csv.*data_path=None"):
        read_csv_dataset(path)
    # load_dataset passes the error on unchanged.
    with pytest.raises(DataError, match="Data file not found"):
        load_dataset(path)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DataError, match=r"is a folder; give the path of a CSV file"):
        read_csv_dataset(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),  # an image
        bytes(range(256)) * 4,  # arbitrary binary bytes
        b"",  # an empty file
    ],
    ids=["png", "binary", "empty"],
)
def test_unreadable_file(tmp_path, content):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(DataError,
                       match=r"(?s)Could not read .* as a CSV file .*comma-separated") as info:
        read_csv_dataset(path)
    # The original error is kept as the cause, for whoever needs the detail.
    assert info.value.__cause__ is not None


def test_header_only_file(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("id,diagnosis,radius_mean\n")
    with pytest.raises(DataError, match=r"has a header row but no data rows"):
        load_dataset(path)
    # Not reported as three dropped empty columns and a missing target.
    assert "Dropped" not in capsys.readouterr().out


# --- errors: validation -----------------------------------------------------------------------
def _frame(**columns):
    return pd.DataFrame(columns)


def test_missing_target_column(wdbc):
    with pytest.raises(DataError, match=r"Target column 'label' is not in the data.*`target`"):
        validate_dataset(wdbc, "label")


def test_missing_target_column_from_csv(wdbc, tmp_path):
    path = tmp_path / "data.csv"
    wdbc.drop(columns=["diagnosis"]).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"Target column 'diagnosis' is not in the data"):
        load_dataset(path)


def test_target_with_one_class():
    frame = _frame(x=[1.0, 2.0, 3.0], y=["M", "M", "M"])
    with pytest.raises(DataError,
                       match=r"Target column 'y' has a single class \('M'\).*needs at least two"):
        validate_dataset(frame, "y")


def test_target_with_three_classes_is_accepted():
    frame = _frame(x=np.arange(12.0), y=["a", "b", "c"] * 4)
    validate_dataset(frame, "y")  # no error: many classes work


def test_class_with_too_few_rows():
    frame = _frame(x=np.arange(10.0), y=["a"] * 5 + ["b"] * 4 + ["c"])
    with pytest.raises(DataError, match=r"fewer than 4 rows \(class: rows\) 'c': 1.*Merge"):
        validate_dataset(frame, "y")


def test_target_with_missing_values():
    frame = _frame(x=np.arange(10.0), y=["a", "b"] * 4 + [None, np.nan])
    with pytest.raises(DataError, match=r"Target column 'y' has 2 missing value\(s\) "
                                        r"\(rows \[8, 9\]\).*drop those rows"):
        validate_dataset(frame, "y")


def test_missing_feature_values_are_allowed():
    frame = _frame(x=[1.0, np.nan, np.nan, 4.0] * 2, z=["u", None] * 4, y=["a", "b"] * 4)
    validate_dataset(frame, "y")  # no error: preprocessing imputes them


def test_no_feature_values():
    with pytest.raises(DataError, match="no feature values besides the target 'y'"):
        validate_dataset(_frame(y=["a", "b"] * 4), "y")
    with pytest.raises(DataError, match="no feature values"):
        validate_dataset(_frame(x=[np.nan] * 8, y=["a", "b"] * 4), "y")


def test_duplicate_column_names_in_frame():
    frame = pd.DataFrame([[1.0, 2.0, "a"], [3.0, 4.0, "b"]], columns=["x", "x", "y"])
    with pytest.raises(DataError, match=r"repeated column names: \['x'\]\. Rename"):
        validate_dataset(frame, "y")


def test_duplicate_column_names_in_csv(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("age,age,y\n1,2,a\n3,4,b\n")
    with pytest.raises(DataError, match=r"data.csv' has repeated column names: \['age'\]"):
        read_csv_dataset(path)


def test_missing_values_in_csv_are_kept(wdbc, tmp_path):
    frame = wdbc.copy()
    frame.loc[[3, 7], "radius_mean"] = np.nan
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    assert load_dataset(path)["radius_mean"].isna().sum() == 2


def test_decimal_comma_in_numeric_column(wdbc, tmp_path):
    frame = wdbc.astype({"texture_mean": object})
    frame.loc[5, "texture_mean"] = "12,5"
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)  # quoted "12,5", so the column reads as text
    with pytest.raises(
        DataError,
        match=re.escape("Column 'texture_mean' is numeric but has 1 non-numeric value(s), "
                        "e.g. ['12,5']"),
    ):
        load_dataset(path)


def test_text_code_for_missing_in_numeric_column():
    values = [str(v) for v in np.linspace(1, 2, 19)] + ["unknown"]
    frame = _frame(x=values, y=["a", "b"] * 10)
    with pytest.raises(DataError, match=r"Column 'x' is numeric but has 1 non-numeric.*unknown"):
        validate_dataset(frame, "y")


def test_categorical_text_column_is_not_junk():
    frame = _frame(color=["red", "blue"] * 10, x=np.arange(20.0), y=["a", "b"] * 10)
    validate_dataset(frame, "y")  # no error: mostly non-numbers means categories


def test_valid_wdbc_passes(wdbc):
    validate_dataset(wdbc, "diagnosis")  # no error


def test_example_table_is_what_its_script_makes():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from make_example_data import make_patients

    from utils import EXAMPLE_CSV

    assert EXAMPLE_CSV.read_text() == make_patients().to_csv(index=False)


def test_read_header_keeps_names_as_written(tmp_path):
    from tabaug.data.reading import read_header

    path = tmp_path / "data.csv"
    path.write_text("id,1,age,age,\n1,2,3,4,\n")
    assert read_header(path) == ["id", "1", "age", "age", ""]
