"""utils.preprocessing: the paper's Step 1 (split, drop identifiers, encode, separate, scale).

The split sizes are the paper's code (seed 42): 50% training, then 40% of the rest for
validation and 60% for test: 284 / 114 / 171 rows with 106 / 42 / 64 malignant.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import MinMaxScaler

from utils import DataError, prepare_data
from utils.data import WDBC_FEATURES
from utils.preprocessing import (
    categorical_columns,
    choose_positive_label,
    find_identifiers,
    split_data,
)


@pytest.fixture(scope="module")
def raw_splits(wdbc):
    """The unscaled training/validation/test frames, split exactly as prepare_data splits them."""
    return split_data(wdbc, "diagnosis", train_size=0.5, validation_share=0.4, seed=42)


def _raw_features(frame):
    return frame.drop(columns=["id", "diagnosis"]).to_numpy(dtype=float)


# --- split ------------------------------------------------------------------------------------
def test_split_sizes_match_paper_code(prepared):
    assert (len(prepared.y_train), len(prepared.y_val), len(prepared.y_test)) == (284, 114, 171)
    assert (prepared.y_train.sum(), prepared.y_val.sum(), prepared.y_test.sum()) == (106, 42, 64)
    assert prepared.X_train.shape == (284, 30)
    assert prepared.X_val.shape == (114, 30)
    assert prepared.X_test.shape == (171, 30)


def test_split_data_is_a_partition(wdbc, raw_splits):
    train, validation, test = raw_splits
    ids = [set(part["id"]) for part in raw_splits]
    assert len(train) + len(validation) + len(test) == len(wdbc)
    assert ids[0].isdisjoint(ids[1]) and ids[0].isdisjoint(ids[2]) and ids[1].isdisjoint(ids[2])
    assert ids[0] | ids[1] | ids[2] == set(wdbc["id"])


def test_split_is_stratified(wdbc, raw_splits):
    share = (wdbc["diagnosis"] == "M").mean()
    for part in raw_splits:
        n_malignant = (part["diagnosis"] == "M").sum()
        # Stratification keeps each split's count within one row of the overall share.
        assert abs(n_malignant - share * len(part)) <= 1.0


def test_split_depends_on_seed(wdbc, raw_splits):
    other = split_data(wdbc, "diagnosis", seed=0)
    assert [len(p) for p in other] == [len(p) for p in raw_splits]
    assert set(other[0]["id"]) != set(raw_splits[0]["id"])


def test_prepare_data_is_reproducible(prepared):
    again = prepare_data()
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(again, name), getattr(prepared, name))


# --- identifiers ------------------------------------------------------------------------------
def test_wdbc_id_is_dropped(prepared):
    assert prepared.dropped_identifiers == ["id"]
    assert "id" not in prepared.feature_names
    assert "diagnosis" not in prepared.feature_names
    assert prepared.feature_names == list(WDBC_FEATURES)
    assert prepared.one_hot_columns == []


def test_find_identifiers_skips_floats_target_and_repeats(synthetic):
    # 'size' and 'weight' are unique floats: measurements, not identifiers.
    assert find_identifiers(synthetic, "outcome") == ["record", "sample_code"]


def test_synthetic_identifiers_dropped_and_categorical_encoded(synthetic, tmp_path):
    path = tmp_path / "synthetic.csv"
    synthetic.to_csv(path, index=False)
    data = prepare_data(path, target="outcome")
    assert data.dropped_identifiers == ["record", "sample_code"]
    assert data.one_hot_columns == ["color"]
    for name in ("record", "sample_code", "color", "outcome"):
        assert name not in data.feature_names
    assert not any(name.startswith(("record", "sample_code")) for name in data.feature_names)
    assert sorted(data.feature_names) == sorted(
        ["size", "weight", "color_blue", "color_green", "color_red"])
    assert data.X_train.shape[1] == len(data.feature_names)


# --- one-hot encoding -------------------------------------------------------------------------
def test_one_hot_fitted_on_training_rows_only(synthetic, tmp_path):
    frame = synthetic
    target = "outcome"
    train, validation, test = split_data(frame, target)
    # The split depends only on the row order and the target, not on feature values, so we can
    # plant a category that then occurs in one test row only (and one validation row).
    test_row, val_row = test.index[0], validation.index[0]
    frame.loc[test_row, "color"] = "purple"
    frame.loc[val_row, "color"] = "purple"
    path = tmp_path / "unseen.csv"
    frame.to_csv(path, index=False)

    data = prepare_data(path, target=target)
    color_columns = [i for i, name in enumerate(data.feature_names) if name.startswith("color_")]
    assert [data.feature_names[i] for i in color_columns] == ["color_blue", "color_green",
                                                              "color_red"]
    assert "color_purple" not in data.feature_names
    # The planted rows are all zeros in the one-hot columns, every other row has exactly one 1.
    test_position = list(test.index).index(test_row)
    val_position = list(validation.index).index(val_row)
    np.testing.assert_array_equal(data.X_test[test_position, color_columns], 0.0)
    np.testing.assert_array_equal(data.X_val[val_position, color_columns], 0.0)
    test_sums = data.X_test[:, color_columns].sum(axis=1)
    assert np.count_nonzero(test_sums == 0) == 1
    assert set(np.delete(test_sums, test_position)) == {1.0}
    np.testing.assert_array_equal(data.X_train[:, color_columns].sum(axis=1), 1.0)
    # Each one-hot column marks exactly the training rows of its colour.
    train_colors = frame.loc[train.index, "color"].to_numpy()
    for i in color_columns:
        colour = data.feature_names[i].removeprefix("color_")
        np.testing.assert_array_equal(data.X_train[:, i], (train_colors == colour).astype(float))


def test_categorical_columns(synthetic):
    frame = synthetic.assign(flag=np.arange(len(synthetic)) % 2 == 0)
    assert categorical_columns(frame, "outcome") == ["sample_code", "color", "flag"]


# --- target -----------------------------------------------------------------------------------
def test_positive_label_is_malignant(prepared, wdbc, raw_splits):
    assert prepared.class_names == {0: "benign", 1: "malignant"}
    for part, y in zip(raw_splits, (prepared.y_train, prepared.y_val, prepared.y_test)):
        np.testing.assert_array_equal(y, (part["diagnosis"] == "M").to_numpy().astype(int))
        assert set(np.unique(y)) == {0, 1}


def test_positive_label_can_be_chosen(prepared):
    data = prepare_data(positive_label="B")
    assert data.class_names == {0: "malignant", 1: "benign"}
    np.testing.assert_array_equal(data.y_train, 1 - prepared.y_train)
    np.testing.assert_array_equal(data.X_train, prepared.X_train)


def test_positive_label_unknown():
    # The classes are listed by their training-row counts, majority (benign) first.
    with pytest.raises(DataError, match=r"positive_label 'X' is not a class of the target; "
                                        r"the classes are \['B', 'M'\].*positive_label"):
        prepare_data(positive_label="X")


def test_positive_label_text_matches_number():
    target = pd.Series([0, 0, 1, 0])
    assert choose_positive_label(target, "1") == 1
    assert choose_positive_label(target) == 1  # the minority
    with pytest.raises(DataError, match="positive_label '2' is not a class"):
        choose_positive_label(target, "2")


# --- scaling ----------------------------------------------------------------------------------
def test_scaler_fitted_on_training_rows_only(prepared, raw_splits):
    train, validation, test = (_raw_features(part) for part in raw_splits)
    reference = MinMaxScaler().fit(train)
    np.testing.assert_array_equal(prepared.scaler.data_min_, train.min(axis=0))
    np.testing.assert_array_equal(prepared.scaler.data_max_, train.max(axis=0))
    np.testing.assert_array_equal(prepared.X_train, reference.transform(train))
    np.testing.assert_array_equal(prepared.X_val, reference.transform(validation))
    np.testing.assert_array_equal(prepared.X_test, reference.transform(test))


def test_training_rows_span_zero_to_one(prepared):
    np.testing.assert_array_equal(prepared.X_train.min(axis=0), 0.0)
    # MinMaxScaler computes x * scale + offset; at the maximum that is 1 up to float rounding
    # (sklearn gives e.g. 0.9999999999999998), so "exactly 1" means within a few ULPs.
    np.testing.assert_allclose(prepared.X_train.max(axis=0), 1.0, rtol=0, atol=4e-16)


def test_validation_and_test_may_leave_unit_range(prepared):
    # Scaled with the training rows' min/max, held-out rows are not squeezed into [0, 1].
    outside = [
        np.any((X < 0) | (X > 1)) for X in (prepared.X_val, prepared.X_test)
    ]
    assert any(outside)
    both = np.vstack([prepared.X_val, prepared.X_test])
    assert both.min() < 0 or both.max() > 1


# --- summary ----------------------------------------------------------------------------------
def test_summary(prepared):
    summary = prepared.summary()
    assert list(summary.index) == ["train", "validation", "test"]
    assert list(summary.columns) == ["rows", "benign", "malignant"]
    assert summary.loc["train"].tolist() == [284, 178, 106]
    assert summary.loc["validation"].tolist() == [114, 72, 42]
    assert summary.loc["test"].tolist() == [171, 107, 64]
    assert (summary["benign"] + summary["malignant"] == summary["rows"]).all()
