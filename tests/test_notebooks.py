"""Every notebook executed with small parameters (as ``make run`` does), then validated by nbval.

The executions are shared (``notebook_runs.py``). nbval re-executes each executed notebook up to
its last cell tagged ``nbval-check-output`` (split sizes, class counts, Table 1) and compares
those outputs: the same seed must give the same results. For notebook 03 the rerun resumes from
the checkpoint the first run saved, and the notebook itself asserts that the resumed GAN makes
the same rows as a fresh one. The learner's way of running a notebook (twice in one kernel, a
parameter changed, cells added) is tested in ``test_interactive.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest

from utils.paper import TABLE1_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks  # noqa: E402

#: Small parameters for every notebook test (the ``executed`` fixture of conftest.py uses them).
SMALL = ["-p", "epochs", "2", "-p", "grid_learning_rate", "[0.1, 1]",
         "-p", "grid_min_samples_leaf", "[20]", "-p", "tsne_max_iter", "250",
         "-p", "study_grid", "{'learning_rate': [0.1, 0.3]}",
         "-p", "n_splits", "2", "-p", "imbalance_ratios", "[5]",
         "-p", "long_gan_epochs", "3", "-p", "better_gan_epochs", "4",
         "-p", "generators", "['conditional-gan', 'gaussian-copula']",
         "-p", "generator_settings", "{'conditional-gan': {'updates': 6}}",
         "-p", "fidelity_seeds", "[1]",
         "-p", "c2st_repeats", "1",
         "-p", "datasets", "['haberman', 'appendicitis', 'ecoli3', 'glass2', 'new_thyroid1']",
         "-p", "benchmark_methods", "['RO', 'SMOTE']", "-p", "classifiers", "['LR']",
         "-p", "benchmark_splits", "2"]
NOTEBOOKS = [path.stem for path in run_notebooks.NOTEBOOKS]

COURSE = pytest.mark.xdist_group("notebooks-course")
STUDY = pytest.mark.xdist_group("notebooks-study")
DIAGNOSTICS = pytest.mark.xdist_group("notebooks-diagnostics")
BENCHMARK = pytest.mark.xdist_group("notebooks-benchmark")


@pytest.fixture
def course(notebook_runs):
    """The output folder of notebooks 01-05's papermill runs (one folder, as make run's)."""
    return notebook_runs("course")["01_preprocessing"].first


#: The figures each chain of notebooks saves.
FIGURES = {
    "course": {"class_counts", "new_rows_2d", "gan_game", "gan_training_2d", "gan_losses",
               "gan_rows_vs_real", "table1_vs_paper", "confusion_matrices", "roc_pr_curves",
               "tsne_all_methods", "tsne_baseline", "tsne_ro", "tsne_smote", "tsne_gan"},
    "study": {"repeated_distributions", "forest_plot", "imbalance_sweep"},
    "diagnostics": {"training_gan_paper", "training_gan_paper_longer", "training_wgan_gp",
                    "wgan_gp_training_2d", "fidelity", "fidelity_per_feature"},
    "benchmark": set(),
}


@pytest.mark.parametrize("chain", [
    pytest.param(chain, marks=pytest.mark.xdist_group(f"notebooks-{chain}"))
    for chain in FIGURES])
def test_every_notebook_ran_and_saved_its_figures(chain, notebook_runs):
    runs = notebook_runs(chain)
    from notebook_runs import CHAINS

    for name in CHAINS[chain]:
        assert (runs[name].first / f"{name}.ipynb").exists()
    folder = runs[CHAINS[chain][0]].first
    figures = {path.stem for path in (folder / "figures").glob("*.png")}
    assert FIGURES[chain] <= figures


@COURSE
def test_table1(course):
    table = pd.read_csv(course / "table1.csv")
    assert list(table.columns) == TABLE1_COLUMNS
    assert list(table["method"]) == ["Baseline", "RO", "SMOTE", "GAN"]
    scores = table.drop(columns="method").to_numpy()
    assert np.all((scores >= 0) & (scores <= 1))
    # The paper's "AUC" is balanced accuracy: the mean of the two recalls.
    np.testing.assert_allclose(table["balanced_accuracy"],
                               (table["recall_benign"] + table["recall_malignant"]) / 2)


@BENCHMARK
def test_benchmark_results(notebook_runs):
    from tabaug.experiments.results import KEY

    folder = notebook_runs("benchmark")["08_benchmark"].first / "benchmark"
    (results_file,) = folder.glob("results_seed0_*.csv")
    results = pd.read_csv(results_file)
    assert not results.duplicated(KEY).any()
    small = results[results["dataset"] != "patients"]  # exercise 1 adds the example table
    assert set(small["dataset"]) == {"haberman", "appendicitis", "ecoli3", "glass2",
                                     "new_thyroid1"}
    assert set(small["method"]) == {"No augmentation", "RO", "SMOTE"}
    assert set(small["classifier"]) == {"LR", "kNN"}  # exercise 2 adds kNN
    assert len(small.query("classifier == 'LR'")) == 5 * 3 * 2
    for name in ("profiles.csv", "per_dataset.csv", "wilcoxon.csv", "bayesian.csv",
                 "ranks.csv", "conclusions.json"):
        assert (folder / name).stat().st_size > 0, name
    assert {"critical_difference_pr_auc_LR", "outcomes_pr_auc_by_imbalance",
            "per_table_pr_auc"} <= {path.stem for path in (folder / "figures").glob("*.png")}


@STUDY
def test_repeated_evaluation_results(notebook_runs):
    from tabaug.experiments.study import STUDY_METHODS

    folder = notebook_runs("study")["06_repeated_evaluation"].first
    results = pd.read_csv(folder / "repeated_evaluation.csv")
    assert list(results.columns[:3]) == ["dataset", "split", "seed"] and "method" in results
    default_methods = set(STUDY_METHODS)  # the classic methods and the paper's GAN
    assert len(results) == 2 * len(default_methods)  # n_splits=2
    assert set(results["method"]) == default_methods
    for metric in ["f1_malignant", "roc_auc", "pr_auc", "brier", "balanced_accuracy",
                   "sensitivity_at_95_specificity"]:
        assert results[metric].between(0, 1).all(), metric
    sweep = pd.read_csv(folder / "imbalance_sweep.csv")
    assert set(sweep["ratio"].astype(str)) == {"natural", "5"}
    # The test split keeps its natural mix at every ratio: only the training rows shrink.
    at_5 = sweep[sweep["ratio"].astype(str) == "5"]
    assert (at_5["train_minority_rows"] == round(178 / 5)).all()
    differences = pd.read_csv(folder / "paired_differences.csv")
    assert "No augmentation" not in set(differences["method"])


@DIAGNOSTICS
def test_fidelity_results(notebook_runs):
    from tabaug.fidelity.report import REPORT_COLUMNS, TARGET_COLUMNS

    folder = notebook_runs("diagnostics")["07_gan_diagnostics"].first
    report = pd.read_csv(folder / "fidelity_report.csv", index_col="source")
    assert list(report.index) == ["Real held-out", "RO", "SMOTE", "GAN (paper)",
                                  "GAN (paper, longer)", "WGAN-GP", "conditional-gan",
                                  "gaussian-copula"]
    assert list(report.columns) == ["rows", "updates", "train_seconds", *REPORT_COLUMNS[1:]]
    assert (report["rows"].iloc[1:] == 106).all()  # as many rows as real training rows
    # epochs=2, long_gan_epochs=3, better_gan_epochs=4: 3 updates per epoch on 106 rows
    assert report.loc[["GAN (paper)", "GAN (paper, longer)", "WGAN-GP", "conditional-gan"],
                      "updates"].tolist() == [6, 9, 12, 6]  # generator_settings: 6 updates
    assert np.isnan(report.loc["gaussian-copula", "updates"])  # no training steps
    assert report.loc["RO", "exact_copies"] == 106  # RO copies training rows
    assert report.loc["Real held-out", "dcr_ratio"] == 1.0
    assert report["c2st_auc"].between(0, 1).all()
    by_seed = pd.read_csv(folder / "fidelity_seeds.csv")
    assert by_seed["seed"].tolist() == [1, 1, 1]
    # seed_generators is the quick preset's: the two GANs and the copula
    assert by_seed["source"].tolist() == ["GAN (paper)", "WGAN-GP", "gaussian-copula"]
    assert list(by_seed.columns) == ["seed", "source", *TARGET_COLUMNS, "dcr_ratio",
                                     "realistic", "not_memorised", "on_target"]
    assert (by_seed["on_target"] == by_seed["realistic"] & by_seed["not_memorised"]).all()
    summary = pd.read_csv(folder / "fidelity_seeds_summary.csv", index_col="source")
    assert list(summary.index) == list(by_seed["source"])
    assert (summary["splits"] == 1).all() and summary["c2st_low"].isna().all()  # one split
    assert (summary["c2st_mean"] == by_seed.set_index("source")["c2st_auc"]).all()
    # Judged against rows the generators never saw: RO's rows are training rows, so every
    # one has a training row as its nearest real row, and the memorisation test says so.
    judged = pd.read_csv(folder / "fidelity_held_out.csv", index_col="source")
    assert list(judged.index) == list(report.index[1:])
    assert judged.loc["RO", "closer_share"] == 1.0 and not judged.loc["RO", "not_memorised"]
    assert judged.loc["RO", "membership_auc"] > 0.7  # members are nearer the copies
    assert (judged["vs_held_out"] == report["c2st_auc"].iloc[1:]).all()
    assert (judged["vs_train"] == report["c2st_vs_train"].iloc[1:]).all()
    assert (judged["real_vs_real"] == report.loc["Real held-out", "c2st_auc"]).all()
    assert (judged["not_memorised"] == (report["closer_p_value"].iloc[1:] >= 0.05)).all()
    # Precision, recall, authenticity and TSTR per source, real training rows first.
    views = pd.read_csv(folder / "fidelity_faithfulness.csv", index_col="source")
    assert list(views.index) == ["Real (baseline)", *report.index[1:]]
    assert list(views.columns) == ["ip_alpha", "ir_beta", "authenticity", "tstr_pr_auc"]
    assert views.loc["RO", "authenticity"] == 0.0  # every RO row is a training row
    assert views.to_numpy().min() >= 0 and views.to_numpy().max() <= 1


@pytest.mark.parametrize("chain", [
    pytest.param(chain, marks=pytest.mark.xdist_group(f"notebooks-{chain}"))
    for chain in ("course", "diagnostics", "benchmark")])
def test_nbval_reproduces_checked_outputs(chain, notebook_runs):
    """nbval reruns each executed notebook in a fresh kernel up to its last checked output
    (notebook 06 has none: its run is checked by the tests above)."""
    result = notebook_runs(chain)["nbval"]
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_unknown_parameter_stops_the_run(tmp_path, capsys):
    code = run_notebooks.run(["--output-dir", str(tmp_path), "-p", "epoch", "5"])
    assert code == 2
    error = capsys.readouterr().err
    assert "Unknown parameter 'epoch'" in error and "did you mean 'epochs'" in error
    assert not list(tmp_path.glob("*.ipynb")), "nothing may run after a bad parameter"


def test_unknown_parameter_fails_under_plain_papermill(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="Unknown parameter 'sed'"):
        pm.execute_notebook(str(ROOT / "notebooks" / "01_preprocessing.ipynb"),
                            str(tmp_path / "out.ipynb"), kernel_name="python3",
                            parameters={"sed": 1, "output_dir": str(tmp_path)},
                            progress_bar=False, cwd=str(ROOT))


def test_kaggle_csv_through_data_path(tmp_path):
    """The Kaggle file's layout (trailing comma: an empty `Unnamed: 32` column) is read."""
    from tabaug.data.reading import load_wdbc

    csv = tmp_path / "data.csv"
    frame = load_wdbc()
    lines = frame.to_csv(index=False).splitlines()
    csv.write_text("\n".join(line + "," for line in lines) + "\n")
    output = tmp_path / "out"
    code = run_notebooks.run(["--output-dir", str(output), "--no-progress", "--only",
                              "01_preprocessing", "-p", "data_path", str(csv)])
    assert code == 0
    executed = (output / "01_preprocessing.ipynb").read_text()
    assert "Unnamed: 32" in executed
    summary = pd.read_csv(output / "split_summary.csv", index_col=0)
    assert summary.loc["test", "malignant"] == 64


def test_missing_data_file_fails_clearly(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="Data file not found"):
        pm.execute_notebook(str(ROOT / "notebooks" / "01_preprocessing.ipynb"),
                            str(tmp_path / "out.ipynb"), kernel_name="python3",
                            parameters={"data_path": str(tmp_path / "nope.csv"),
                                        "output_dir": str(tmp_path)},
                            progress_bar=False, cwd=str(ROOT))
