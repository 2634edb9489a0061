"""Notebooks 02 to 07 on a table of three classes: the made-up example
``utils/examples/patients.csv`` (target ``outcome``: benign, healthy, malignant; 14 malignant
training rows at seed 42, fewer than the GAN's minibatch of 32).

The learner's second run of the six notebooks (``notebook_runs.py``: the small parameters of
``test_notebooks.SMALL`` with this table instead of WDBC; notebook 07 in its class setting, notebook
06 with SMOTE only); the tests read what they wrote: every class in the saved tables, every class
smaller than the largest augmented by exactly what imbalanced-learn's ``sampling_strategy="auto"``
asks, the minority class (not code 1) studied, and the small class's minibatch shrunk and reported,
not trained zero steps. ``plot_tsne`` is checked on its own: one colour per class, WDBC's styles
kept.
"""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from tabaug.report.figures import plot_tsne  # noqa: E402
from tabaug.sampling.classic import minority_class, rows_to_add  # noqa: E402
from utils import (
    EXAMPLE_CSV,  # noqa: E402
    prepare_data,  # noqa: E402
)
from utils.pipeline import GAN_ROWS_FILE, settings_key  # noqa: E402

CLASSES = ["benign", "healthy", "malignant"]


@pytest.fixture(scope="module")
def example():
    """The example table prepared as the notebooks prepare it."""
    return prepare_data(EXAMPLE_CSV, "outcome", id_columns=["patient_id"], verbose=False)


def on(chain):
    """Run the test on the second runs of a chain of notebooks (``notebook_runs.CHAINS``)."""
    return pytest.mark.parametrize("run", [pytest.param(
        chain, marks=pytest.mark.xdist_group(f"notebooks-{chain}"))], indirect=True)


@pytest.fixture
def run(request, notebook_runs):
    """The output folder of the second runs of a chain: the example table (notebook_runs.py)."""
    runs = notebook_runs(request.param)
    return next(value for key, value in runs.items() if key != "nbval").second


def _outputs(run, notebook):
    """Every text output of an executed notebook (stdout, stderr and text/plain), joined."""
    cells = json.loads((run / f"{notebook}-second-run.ipynb").read_text())["cells"]
    texts = []
    for cell in cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                texts.append("".join(output["text"]))
            elif "text/plain" in output.get("data", {}):
                texts.append("".join(output["data"]["text/plain"]))
    return "\n".join(texts)


def test_the_example_is_the_case_this_file_is_about(example):
    counts = np.bincount(example.y_train)
    assert [example.class_names[code] for code in range(3)] == CLASSES
    assert minority_class(example.y_train) == 2 != 1  # the smallest class is not code 1
    assert counts[2] < 32 <= counts.max()  # fewer rows than the GAN's minibatch
    assert counts.argmax() == 1  # the largest class is not code 0


@on("course")
def test_notebook_02_balances_every_smaller_class(run, example):
    counts = pd.read_csv(run / "class_counts.csv", index_col="class")
    assert list(counts.index) == CLASSES and list(counts.columns) == ["original", "RO", "SMOTE"]
    original = np.bincount(example.y_train)
    np.testing.assert_array_equal(counts["original"], original)
    for method in ("RO", "SMOTE"):  # every class brought to the largest class's count
        np.testing.assert_array_equal(counts[method], np.full(3, original.max()))
    text = _outputs(run, "02_random_oversampling_and_smote")
    assert "Minority class: malignant (coded 2)" in text
    added = rows_to_add(example.y_train, example.class_names)
    assert added.to_dict() == {"benign": original.max() - original[0], "healthy": 0,
                               "malignant": original.max() - original[2]}
    assert f"RO added {added.sum()} rows, {added['malignant']} of them malignant" in text
    # SMOTE written by hand equals imbalanced-learn's rows of the minority class
    assert "Identical to SMOTE(random_state=seed)" in text
    assert "Macro F1 of SMOTE + gradient boosting" in text
    for figure in ("new_rows_2d", "class_counts"):
        assert (run / "figures" / f"{figure}.png").stat().st_size > 0


@on("course")
def test_notebook_03_saves_rows_for_every_smaller_class(run, example):
    with np.load(run / GAN_ROWS_FILE) as saved:
        X, y, n_original = saved["X"], saved["y"], int(saved["n_original"])
        settings = json.loads(str(saved["settings"]))
    params = json.loads(settings_key({
        "data_path": str(EXAMPLE_CSV), "target": "outcome", "positive_label": None,
        "id_columns": ["patient_id"], "seed": 42, "train_size": 0.5, "validation_share": 0.4,
        "epochs": 2, "batch_size": 32, "learning_rate": 1e-4, "noise_dim": None}))
    assert settings == params  # the settings notebooks 04 and 05 look for
    np.testing.assert_array_equal(X[:n_original], example.X_train)  # real rows first
    np.testing.assert_array_equal(y[:n_original], example.y_train)
    generated = np.bincount(y[n_original:], minlength=3)
    np.testing.assert_array_equal(generated, rows_to_add(example.y_train))  # what "auto" asks
    np.testing.assert_array_equal(np.bincount(y), np.full(3, np.bincount(example.y_train).max()))
    assert np.isfinite(X).all() and X.shape[1] == example.X_train.shape[1]


@on("course")
def test_notebook_03_trains_the_small_class_with_a_smaller_minibatch(run, example):
    n_minority = int(np.sum(example.y_train == 2))
    text = _outputs(run, "03_gan")
    assert f"{n_minority} malignant training rows to learn from" in text
    assert f"minibatches of {n_minority} rows (batch_size = 32)" in text
    assert "SmallClassWarning: The malignant class has" in text
    # one minibatch an epoch: 2 epochs, 2 updates, never zero
    assert f"{n_minority} rows // {n_minority} = 1 minibatches per epoch" in text
    assert "1 x 2 epochs = 2 updates of each network" in text
    assert "utils' GAN is the GAN you built" in text
    # the 0/1 columns of the example make GANOversampler's rows differ by design, said so
    assert "groups of 0/1 columns get a softmax output each" in text


@on("course")
def test_notebook_05_shows_every_class(run, example):
    text = _outputs(run, "05_visualization")
    assert "Read the GAN's rows saved by notebook 03" in text
    # the four training sets' class counts: every class, each smaller one brought to the largest
    original = np.bincount(example.y_train)
    for name, n in zip(CLASSES, original):
        assert re.search(rf"{name}\s+{n}\s+{original.max()}\s+{original.max()}\s+"
                         rf"{original.max()}\n", text), name
    for method in ("all_methods", "baseline", "ro", "smote", "gan"):
        assert (run / "figures" / f"tsne_{method}.png").stat().st_size > 0
    # distances are measured on the minority class's rows: 122 new malignant rows each
    n_new = rows_to_add(example.y_train, example.class_names)["malignant"]
    for method in ("RO", "SMOTE", "GAN"):
        assert f"{method} generated" in text
    assert f"RO: {n_new} of its {n_new} rows are exact copies" in text
    assert "closest real row is malignant" in text


@on("diagnostics")
def test_notebook_07_checks_the_minority_class(run, example):
    report = pd.read_csv(run / "fidelity_report.csv", index_col=0)
    n_train = int(np.sum(example.y_train == 2))
    assert report.loc["Real held-out", "rows"] == int(np.sum(example.y_val == 2))
    assert (report.drop(index="Real held-out")["rows"] == n_train).all()
    assert {"RO", "SMOTE", "GAN (paper)", "WGAN-GP"} <= set(report.index)
    assert report.loc["RO", "exact_copies"] == n_train  # RO copies the malignant rows
    assert report.loc["GAN (paper)", "updates"] == 2  # minibatch of 14: one update an epoch
    by_seed = pd.read_csv(run / "fidelity_seeds.csv")  # the class setting: no other split
    assert by_seed.empty and {"seed", "source", "c2st_auc"} <= set(by_seed.columns)
    text = _outputs(run, "07_gan_diagnostics")
    assert f"{n_train} malignant training rows (what the generators learn from)" in text
    assert f"minibatches of {n_train} = 2 generator updates" in text


def test_plot_tsne_draws_every_class_and_its_generated_rows():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(6, int), np.ones(9, int), np.full(3, 2), np.zeros(3, int), np.full(6, 2)]
    generated = np.r_[np.zeros(18, bool), np.ones(9, bool)]
    names = dict(enumerate(CLASSES))
    ax = plot_tsne(rng.random((len(y), 2)), y, generated, names, "three classes")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["original benign (6)", "original healthy (9)", "original malignant (3)",
                      "generated benign (3)", "generated malignant (6)"]
    colours = {to_hex(collection.get_facecolor()[0]) for collection in ax.collections}
    assert len(colours) == 5  # a colour per kind of row
    plt.close(ax.figure)


def test_plot_tsne_keeps_wdbc_styles():
    """Two classes: benign blue dots, malignant red triangles, generated orange squares, as
    before k classes and as in the paper's figures."""
    y = np.r_[np.zeros(5, int), np.ones(5, int), np.ones(4, int)]
    generated = np.r_[np.zeros(10, bool), np.ones(4, bool)]
    ax = plot_tsne(np.random.default_rng(1).random((14, 2)), y, generated,
                   {0: "benign", 1: "malignant"}, "WDBC")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["original benign (5)", "original malignant (5)", "generated malignant (4)"]
    colours = [to_hex(collection.get_facecolor()[0], keep_alpha=False)
               for collection in ax.collections]
    assert colours == [to_hex(c) for c in ("tab:blue", "tab:red", "tab:orange")]
    plt.close(ax.figure)


# --- 04 and 06: classification and the repeated study with three classes ----------------------
@on("course")
def test_table1_has_every_class_and_macro_scores(run):
    table = pd.read_csv(run / "table1.csv").set_index("method")
    assert list(table.index) == ["Baseline", "RO", "SMOTE", "GAN"]
    for name in CLASSES:
        assert {f"precision_{name}", f"recall_{name}", f"f1_{name}"} <= set(table.columns)
    np.testing.assert_allclose(table["f1_macro"],
                               table[[f"f1_{name}" for name in CLASSES]].mean(axis=1))
    np.testing.assert_allclose(table["balanced_accuracy"],
                               table[[f"recall_{name}" for name in CLASSES]].mean(axis=1))
    assert table["roc_auc"].between(0.5, 1).all()  # one-vs-rest, from probabilities
    text = _outputs(run, "04_classification")
    assert "3 classes; settings are chosen by 'f1_macro'" in text
    assert (run / "figures" / "confusion_matrices.png").exists()


@on("study")
def test_repeated_study_compares_macro_scores_and_says_what_it_left_out(run):
    results = pd.read_csv(run / "repeated_evaluation.csv")
    assert sorted(results["split"].unique()) == [0, 1]
    assert {"f1_macro", "recall_malignant", "recall_benign", "roc_auc", "brier"} <= set(results)
    assert results["train_minority_rows"].eq(14).all()  # the malignant class, not code 1
    differences = pd.read_csv(run / "paired_differences.csv")
    assert "f1_macro" in set(differences["metric"])
    text = _outputs(run, "06_repeated_evaluation")
    # SMALL's sweep ratio, 5, is below the example's natural 9.71 healthy per malignant row.
    assert "Left out of the sweep: ratios [5]" in text and "natural 9.71" in text
