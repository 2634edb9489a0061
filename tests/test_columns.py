"""tabaug.generators.columns: the encoding every generator shares keeps the caller's types."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import MinMaxScaler

from tabaug.errors import DataError
from tabaug.generators import get_generator
from tabaug.generators.columns import CATEGORICAL, CONSTANT, INTEGER, NUMERIC, ONE_HOT, TableEncoder

from known_tables import mixed_types


def kinds(encoder):
    return [(column.names, column.kind) for column in encoder.columns_]


def test_mixed_table_round_trip_and_layout():
    frame = mixed_types(60, seed=2)
    encoder = TableEncoder().fit(frame)
    assert kinds(encoder) == [(["group"], CATEGORICAL), (["value"], NUMERIC),
                              (["count"], INTEGER), (["flag"], CATEGORICAL),
                              (["label"], CATEGORICAL), (["site"], CONSTANT)]
    # numeric columns first, then one block per category column: 3 groups, 2 flags, 2 labels
    assert (encoder.layout_.n_numeric, encoder.layout_.blocks) == (2, ((2, 5), (5, 7), (7, 9)))
    Z = encoder.transform(frame)
    assert Z.shape == (60, 9) and Z.min() >= 0 and Z.max() <= 1
    pd.testing.assert_frame_equal(encoder.inverse_transform(Z), frame)


def test_numeric_encoding_is_min_max_scaling_bit_for_bit():
    X = np.random.default_rng(0).normal(size=(40, 5)) * [1, 10, 100, 0.1, 3]
    encoder = TableEncoder().fit(X)
    np.testing.assert_array_equal(encoder.transform(X), MinMaxScaler().fit_transform(X))


def test_decoding_makes_values_that_could_occur():
    frame = pd.DataFrame({"n": [1, 5, 9, 3], "x": [0.25, 1.5, 2.75, 1.0],
                          "c": pd.Categorical(["u", "v", "u", "w"],
                                              categories=["u", "v", "w", "z"]),
                          "b": [True, False, True, True]})
    encoder = TableEncoder().fit(frame)
    Z = np.array([[1.7, -0.4, 0.1, 0.8, 0.1, 0.3, 0.6],    # out of range, any block scores
                  [0.52, 0.333333, 0.9, 0.0, 0.2, 0.9, 0.2]])
    rows = encoder.inverse_transform(Z)
    assert rows.dtypes.equals(frame.dtypes)
    assert rows["n"].tolist() == [9, 5]                    # clipped to [1, 9], rounded
    assert rows["x"].tolist() == [0.25, 1.08]              # clipped; two decimals, as the data
    assert rows["c"].tolist() == ["v", "u"]
    assert list(rows["c"].cat.categories) == ["u", "v", "w", "z"]
    assert rows["b"].tolist() == [True, False]


def test_one_hot_groups_are_found_and_stay_one_hot():
    rng = np.random.default_rng(1)
    onehot = np.eye(3)[rng.integers(0, 3, 30)]
    binary = rng.integers(0, 2, (30, 1))
    X = np.column_stack([rng.normal(size=30), onehot, binary, binary]).astype("float32")
    encoder = TableEncoder().fit(X)
    # the last two columns are 0/1 but not a group (both can be 1): a category each
    assert kinds(encoder) == [([0], NUMERIC), ([1, 2, 3], ONE_HOT), ([4], CATEGORICAL),
                              ([5], CATEGORICAL)]
    rows = encoder.inverse_transform(rng.random((10, encoder.layout_.width)))
    assert rows.dtype == np.float32
    assert (rows[:, 1:4].sum(axis=1) == 1).all() and set(np.unique(rows[:, 4:])) <= {0, 1}


def test_precision_is_the_datas_own():
    values = pd.DataFrame({"two": [1.25, 3.5, 0.75], "none": [np.pi, np.e, 1 / 3],
                           "single": np.array([0.1, 0.25, 0.3], dtype="float32")})
    encoder = TableEncoder().fit(values)
    assert [c.decimals for c in encoder.columns_] == [2, None, 2]


def test_object_arrays_are_typed_per_column():
    X = np.array([[1.5, "a", 3], [2.5, "b", 4], [0.5, "a", 5]], dtype=object)
    encoder = TableEncoder().fit(X)
    assert [c.kind for c in encoder.columns_] == [NUMERIC, CATEGORICAL, INTEGER]
    rows = encoder.inverse_transform(encoder.transform(X))
    assert rows.dtype == object and rows.tolist() == X.tolist()


@pytest.mark.parametrize("make, message", [
    (lambda: pd.DataFrame([[1, 2]], columns=["a", "a"]), r"duplicate column names \['a'\]"),
    (lambda: np.arange(5.0), r"must be 2-D"),
    (lambda: pd.DataFrame({"a": [1.0, np.nan, 2.0]}), r"missing values \(NaN\) in 'a' \(1 rows\)"),
    (lambda: pd.DataFrame({"a": []}, dtype=float), r"no rows"),
])
def test_bad_tables_are_refused_with_the_fix(make, message):
    with pytest.raises(DataError, match=message):
        TableEncoder().fit(make())


def test_unseen_categories_and_other_columns_are_refused():
    encoder = TableEncoder().fit(pd.DataFrame({"c": ["x", "y"], "v": [1.0, 2.0]}))
    with pytest.raises(DataError, match=r"categories \['z'\] that the encoder did not see"):
        encoder.transform(pd.DataFrame({"c": ["z", "y"], "v": [1.0, 2.0]}))
    with pytest.raises(DataError, match=r"columns \['v', 'c'\].*fitted on \['c', 'v'\]"):
        encoder.transform(pd.DataFrame({"v": [1.0], "c": ["x"]}))


def test_a_table_of_constants_needs_no_training():
    frame = pd.DataFrame({"site": ["A"] * 5, "version": [3] * 5})
    rows = get_generator("gaussian-copula", random_state=0).fit(frame).sample(4)
    pd.testing.assert_frame_equal(rows, frame.iloc[:4])
