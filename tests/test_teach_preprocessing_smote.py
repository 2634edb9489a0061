"""What notebooks 01 and 02 teach by hand equals what ``utils`` and the libraries do.

- SMOTE's interpolation written out (``tabaug.sampling.classic.smote_rows``, the same steps
  notebook 02 writes in cells) gives exactly imbalanced-learn's rows from the same seed.
- Notebook 01's step-by-step path works on a CSV with a text category column (it used to stop
  in Step 1e, converting text to float) and reports the right split.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE

from tabaug.data.preprocessing import split_data
from tabaug.sampling.classic import smote_rows

from conftest import ROOT


@pytest.mark.parametrize("k_neighbors, seed", [(5, 0), (1, 3), (3, 42)])
def test_smote_rows_equal_imbalanced_learn(k_neighbors, seed):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(size=(50, 4)), rng.normal(2.0, 1.0, size=(13, 4))])
    y = np.array([0] * 50 + [1] * 13)
    X_res, y_res = SMOTE(k_neighbors=k_neighbors, random_state=seed).fit_resample(X, y)
    new = smote_rows(X[y == 1], len(y_res) - len(y), k_neighbors, seed)
    assert new.shape == (37, 4)
    np.testing.assert_array_equal(new, X_res[len(y):])


def _on_a_segment(row, minority, k_neighbors):
    """Whether ``row`` = a + gap * (b - a) with gap in [0, 1), a a minority row and b one of
    its ``k_neighbors`` nearest other minority rows."""
    for i, a in enumerate(minority):
        distances = np.linalg.norm(minority - a, axis=1)
        distances[i] = np.inf
        for b in minority[np.argsort(distances)[:k_neighbors]]:
            gap = np.dot(row - a, b - a) / np.dot(b - a, b - a)
            if 0 <= gap < 1 and np.allclose(a + gap * (b - a), row, rtol=0, atol=1e-12):
                return True
    return False


def test_smote_rows_lie_between_a_row_and_one_of_its_neighbours():
    minority = np.random.default_rng(1).random((12, 3))
    new = smote_rows(minority, 100, k_neighbors=2, random_state=0)
    assert all(_on_a_segment(row, minority, 2) for row in new)
    # ... but not, in general, between a row and a row that is not among its neighbours.
    far = smote_rows(minority, 100, k_neighbors=8, random_state=0)
    assert not all(_on_a_segment(row, minority, 2) for row in far)
    assert not np.array_equal(new, smote_rows(minority, 100, k_neighbors=2, random_state=1))


def test_notebook_01_runs_on_a_table_with_mixed_columns_missing_values_and_three_classes(
        tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import run_notebooks

    from utils import EXAMPLE_CSV

    frame = pd.read_csv(EXAMPLE_CSV)
    assert frame.isna().any().any() and frame["outcome"].nunique() == 3
    output = tmp_path / "out"
    code = run_notebooks.run(["--output-dir", str(output), "--no-progress", "--only",
                              "01_preprocessing", "-p", "data_path", str(EXAMPLE_CSV),
                              "-p", "target", "outcome", "-p", "id_columns", "['patient_id']"])
    assert code == 0
    summary = pd.read_csv(output / "split_summary.csv", index_col=0)
    parts = split_data(frame, "outcome", 0.5, 0.4, 42)
    expected = pd.DataFrame(
        {"rows": [len(p) for p in parts],
         **{label: [int((p["outcome"] == label).sum()) for p in parts]
            for label in ("benign", "healthy", "malignant")}},
        index=["train", "validation", "test"])
    pd.testing.assert_frame_equal(summary, expected, check_names=False)
    executed = (output / "01_preprocessing.ipynb").read_text()
    # the identifier is dropped, gaps filled, and text and true/false columns one-hot encoded
    assert "dropped (named in id_columns)" in executed
    for column in ("missingindicator_bmi", "site_missing", "smoker_True", "sex_F"):
        assert column in executed


def test_classic_smote_fits_its_neighbours_to_a_small_class():
    from tabaug.sampling.classic import classic_samplers

    y = np.repeat([0, 1], [30, 4])
    X = np.random.default_rng(0).normal(size=(len(y), 3)) + y[:, None]
    with pytest.warns(UserWarning, match="SMOTE: k_neighbors lowered from 5 to 3: the smallest "
                                         "class has 4 training rows"):
        samplers = classic_samplers(0, y)
    _, y_new = samplers["SMOTE"].fit_resample(X, y)
    assert np.bincount(y_new).tolist() == [30, 30]
    assert classic_samplers(0)["SMOTE"].k_neighbors == 5
