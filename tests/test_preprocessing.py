"""tabaug.data.preprocessing: the paper's Step 1 (split, drop identifiers, encode, separate, scale).

The split sizes are the paper's code (seed 42): 50% training, then 40% of the rest for
validation and 60% for test: 284 / 114 / 171 rows with 106 / 42 / 64 malignant.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import MinMaxScaler

from tabaug.data.preprocessing import (
    categorical_columns,
    check_id_columns,
    choose_positive_label,
    class_order,
    encode_target,
    prepare_data,
    prepare_frame,
    split_data,
    suggest_identifiers,
)
from tabaug.data.reading import WDBC_FEATURES
from tabaug.errors import DataError


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


def test_suggest_identifiers_skips_floats_target_and_repeats(synthetic):
    # 'size' and 'weight' are unique floats: measurements, not identifiers.
    assert suggest_identifiers(synthetic, "outcome") == ["record", "sample_code"]


def test_identifiers_are_only_what_id_columns_names(synthetic, tmp_path, capsys):
    path = tmp_path / "synthetic.csv"
    synthetic.to_csv(path, index=False)
    data = prepare_data(path, target="outcome", id_columns=["record"])
    assert data.dropped_identifiers == ["record"]
    out = capsys.readouterr().out
    # The suggestion is printed, and the column it suggests but id_columns does not name stays.
    assert "sample_code" in out and "kept as a feature" in out
    assert data.one_hot_columns == ["sample_code", "color"]


def test_id_columns_absent_names_suggestion(synthetic):
    with pytest.raises(DataError, match=r"id_columns names \['id'\].*"
                                        r"\['record', 'sample_code'\].*or to \[\]"):
        check_id_columns(synthetic, "outcome", ["id"])
    with pytest.raises(DataError, match="names the target"):
        check_id_columns(synthetic, "outcome", ["outcome"])
    assert check_id_columns(synthetic, "outcome", []) == []
    assert check_id_columns(synthetic, "outcome", None) == []


def test_identifier_decision_is_the_same_for_every_split(synthetic):
    # A column unique in one split's training rows but not in the whole table stays a feature:
    # the decision no longer depends on the split.
    frame = synthetic.assign(code=np.arange(len(synthetic)) // 2)
    for seed in (0, 1, 2):
        data = prepare_frame(frame, "outcome", seed=seed, verbose=False,
                             id_columns=["record", "sample_code"])
        assert "code" in data.feature_names


def test_synthetic_identifiers_dropped_and_categorical_encoded(synthetic, tmp_path):
    path = tmp_path / "synthetic.csv"
    synthetic.to_csv(path, index=False)
    data = prepare_data(path, target="outcome", id_columns=["record", "sample_code"])
    assert data.dropped_identifiers == ["record", "sample_code"]
    assert data.one_hot_columns == ["color"]
    for name in ("record", "sample_code", "color", "outcome"):
        assert name not in data.feature_names
    assert not any(name.startswith(("record", "sample_code")) for name in data.feature_names)
    assert data.feature_names == ["size", "weight", "color_blue", "color_green", "color_red"]
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

    data = prepare_data(path, target=target, id_columns=["record", "sample_code"])
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


# --- missing values ---------------------------------------------------------------------------
def _with_missing(synthetic):
    frame = synthetic.copy()
    frame.loc[frame.index[::7], "size"] = np.nan
    frame.loc[frame.index[::11], "color"] = np.nan
    return frame


def test_missing_values_filled_from_training_rows_only(synthetic):
    frame = _with_missing(synthetic)
    data = prepare_frame(frame, "outcome", verbose=False, id_columns=["record", "sample_code"])
    train, validation, test = split_data(frame, "outcome")
    names = data.feature_names
    assert names[:3] == ["size", "weight", "missingindicator_size"]
    assert "color_missing" in names
    median = train["size"].median()
    size = data.feature_names.index("size")
    low, high = train["size"].min(), train["size"].max()
    for part, X in ((train, data.X_train), (validation, data.X_val), (test, data.X_test)):
        absent = part["size"].isna().to_numpy()
        # A missing size becomes the training median (scaled), and its indicator says so.
        np.testing.assert_allclose(X[absent, size], (median - low) / (high - low))
        np.testing.assert_array_equal(X[:, names.index("missingindicator_size")], absent)
        np.testing.assert_array_equal(X[:, names.index("color_missing")],
                                      part["color"].isna().to_numpy())
    assert not np.isnan(np.vstack([data.X_train, data.X_val, data.X_test])).any()


def test_column_report_says_what_happened(synthetic):
    frame = _with_missing(synthetic)
    data = prepare_frame(frame, "outcome", verbose=False, id_columns=["record"])
    report = data.columns
    assert list(report.index) == ["outcome", "record", "size", "weight", "sample_code", "color"]
    assert report.loc["record", "role"] == "identifier (dropped)"
    train = split_data(frame, "outcome")[0]
    assert report.loc["size", "missing (training rows)"] == train["size"].isna().sum() > 0
    assert report.loc["size", "missing becomes"] == f"median {train['size'].median():.6g}"
    assert report.loc["color", "missing becomes"] == "category 'missing'"
    assert report.loc["color", "categories"] == "blue, green, missing, red"
    assert report["features"].sum() == len(data.feature_names)


def test_mixed_types_with_booleans_and_integers(synthetic):
    frame = synthetic.assign(flag=np.arange(len(synthetic)) % 3 == 0,
                             count=np.arange(len(synthetic)) % 5)
    frame["flag"] = frame["flag"].astype(object)
    frame.loc[frame.index[:4], "flag"] = np.nan  # booleans with gaps read as objects
    data = prepare_frame(frame, "outcome", verbose=False, id_columns=["record", "sample_code"])
    assert "count" in data.feature_names  # integers are numbers
    assert {"flag_True", "flag_False"} <= set(data.feature_names)
    assert data.one_hot_columns == ["color", "flag"]


# --- many classes -----------------------------------------------------------------------------
def test_three_classes_coded_in_sorted_order(synthetic):
    frame = synthetic.assign(outcome=np.array(["low", "mid", "high", "mid", "low"] * 40))
    data = prepare_frame(frame, "outcome", verbose=False, id_columns=["record", "sample_code"])
    assert data.classes == ["high", "low", "mid"]
    assert data.class_names == {0: "high", 1: "low", 2: "mid"}
    assert data.n_classes == 3
    train = split_data(frame, "outcome")[0]
    np.testing.assert_array_equal(data.y_train, train["outcome"].map(
        {"high": 0, "low": 1, "mid": 2}).to_numpy())
    assert list(data.summary().columns) == ["rows", "high", "low", "mid"]


def test_positive_label_is_for_two_classes_only():
    target = pd.Series(["a", "b", "c", "a"])
    assert class_order(target) == ["a", "b", "c"]
    with pytest.raises(DataError, match="for two classes only.*positive_label = None"):
        class_order(target, "b")
    assert class_order(pd.Series(["x", "y", "y"])) == ["y", "x"]  # minority coded 1
    with pytest.raises(DataError, match=r"\['zzz'\] are not among the classes"):
        encode_target(pd.Series(["a", "zzz"]), ["a", "b"])


def test_split_too_small_for_a_class_says_what_to_do(synthetic):
    frame = synthetic.assign(outcome=["rare"] * 5 + ["common"] * 195)
    with pytest.raises(DataError, match=r"stratified split.*'rare': 5.*Merge or drop"):
        split_data(frame, "outcome", train_size=0.9)


def test_preprocessor_draws_itself_for_numbers_only_and_for_mixed_columns(prepared, synthetic):
    # Notebook 01 displays it; an empty step once broke scikit-learn's drawing.
    assert "radius_mean" in prepared.preprocessor._repr_html_()
    mixed = prepare_frame(synthetic, "outcome", verbose=False, id_columns=["record"])
    assert "one_hot" in mixed.preprocessor._repr_html_().lower().replace("onehot", "one_hot")


def test_class_of_interest(prepared, synthetic):
    assert prepared.class_of_interest == 1  # malignant
    frame = synthetic.assign(outcome=np.array(["low", "mid", "high", "mid", "low"] * 40))
    data = prepare_frame(frame, "outcome", verbose=False, id_columns=["record", "sample_code"])
    assert data.class_names[data.class_of_interest] == "high"  # the smallest of three
