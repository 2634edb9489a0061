"""Notebooks used as a learner uses them: in one kernel, run all, change a parameter in the
Parameters cell, add cells of one's own, run all again, and run a single cell again.

papermill and nbval (``test_notebooks.py``) run each notebook once in a fresh kernel, which can
never show a second "Run all" failing; ``notebook_runs.py`` keeps papermill's kernel alive and
drives the learner's second run in it through nbclient, as Jupyter and Colab do. For notebooks
02 to 07 the edited value is the table itself (the three-class example; what that run must show
is in ``test_teach_many_classes.py``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from notebook_runs import CHANGES, NOTEBOOKS, chain_mark, checked_outputs


@pytest.mark.parametrize("name", [pytest.param(name, marks=chain_mark(name))
                                  for name in NOTEBOOKS])
def test_run_all_change_a_parameter_add_cells_run_all_again(name, notebook_runs):
    from notebook_runs import CHAIN_OF

    run = notebook_runs(CHAIN_OF[name])[name]
    for parameter, value in CHANGES[name].items():
        assert run.params[parameter] == value, "the second run must use the edited value"
    first, second = checked_outputs(run.first_notebook), checked_outputs(run.second_notebook)
    assert all(second), "every checked cell printed something in the second run"
    notebook = run.second_notebook
    assert notebook.cells[-1].source.startswith("my_summary"), "the learner's last cell ran"
    if name in ("01_preprocessing", "02_random_oversampling_and_smote", "03_gan",
                "04_classification", "05_visualization", "07_gan_diagnostics"):
        # Another table or more training rows move the split and class counts.
        assert first != second
    if name in ("03_gan", "07_gan_diagnostics"):
        # TensorFlow took one thread per operation before its first one, and a second run in
        # the same kernel finds it set (tabaug.generators.gan.one_thread_per_operation).
        for executed in (run.first_notebook, notebook):
            (cell,) = [c for c in executed.cells if c.source == "one_thread_per_operation()"]
            assert cell.outputs[0]["data"]["text/plain"] == "True"
    if name == "06_repeated_evaluation":
        results = pd.read_csv(run.second / "repeated_evaluation.csv")
        assert set(results["method"]) == {"No augmentation", "SMOTE"}
    elif name == "08_benchmark":
        # The second run resumed the results file: the third split was added, nothing twice.
        (results_file,) = (run.second / "benchmark").glob("results_*.csv")
        results = pd.read_csv(results_file)
        assert set(results["split"]) == {0, 1, 2}
        assert not results.duplicated(["dataset", "classifier", "method", "split"]).any()
