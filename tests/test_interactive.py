"""Notebooks used as a learner uses them: in one kernel, run all, change a parameter in the
Parameters cell, add cells of one's own, run all again, and run a single cell again.

papermill and nbval (``test_notebooks.py``) run each notebook once in a fresh kernel, which can
never show a second "Run all" failing; these tests drive one kernel through nbclient instead, as
Jupyter and Colab do.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from test_notebooks import NOTEBOOKS, ROOT, SMALL

#: SMALL as a dict: the values the first run uses (the test suite's small parameters).
SMALL_VALUES = {SMALL[i + 1]: ast.literal_eval(SMALL[i + 2]) for i in range(0, len(SMALL), 3)}

#: The parameter each notebook's second run changes, and what the second run must show.
CHANGES = {
    "01_preprocessing": {"train_size": 0.6},
    "02_random_oversampling_and_smote": {"train_size": 0.6},
    "03_gan": {"epochs": 3},
    "04_classification": {"scoring": "roc_auc"},
    "05_visualization": {"tsne_perplexity": 10.0},
    "06_repeated_evaluation": {"imbalance_ratios": [], "methods": ["SMOTE"]},
    "07_gan_diagnostics": {"fidelity_seeds": []},
    "08_benchmark": {"benchmark_splits": 3},
}

#: Cells a learner might add: one between the Parameters cell and the check (where a Drive
#: mount often goes), one at the very end.
OWN_CELL_AFTER_PARAMETERS = 'my_folder = "my own notes"  # a cell of my own\nprint(my_folder)'
OWN_CELL_AT_END = "my_summary = sorted(name for name in dir() if not name.startswith('_'))[:3]"


def set_parameters(source: str, values: dict) -> str:
    """The Parameters cell's source with ``values`` assigned instead of the defaults, keeping
    each line's comment, as a learner would edit it."""
    lines = source.splitlines()
    for name, value in values.items():
        pattern = re.compile(rf"^{name} = [^#]*?(\s+#.*)?$")
        matches = [i for i, line in enumerate(lines) if pattern.match(line)]
        if not matches:
            continue  # not a parameter of this notebook
        (i,) = matches
        comment = pattern.match(lines[i]).group(1) or ""
        lines[i] = f"{name} = {value!r}{comment}"
    return "\n".join(lines)


def parameters_cell(notebook) -> int:
    return next(i for i, cell in enumerate(notebook.cells)
                if "parameters" in cell.metadata.get("tags", []))


def run_all(client, notebook):
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            client.execute_cell(cell, index)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_change_a_parameter_add_cells_run_all_again(name, tmp_path, executed):
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    first = {**SMALL_VALUES, "output_dir": str(tmp_path)}
    index = parameters_cell(notebook)
    defaults = notebook.cells[index].source
    notebook.cells[index].source = set_parameters(defaults, first)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        run_all(client, notebook)
        first_outputs = _checked_outputs(notebook)
        if name == "04_classification":
            # In a fresh folder notebook 04 trains its own GAN: Table 1 must equal make run's.
            pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "table1.csv"),
                                          pd.read_csv(executed / "table1.csv"),
                                          check_exact=False, rtol=1e-12)

        # The learner edits one value, adds two cells of their own, and runs all again.
        notebook.cells[index].source = set_parameters(defaults, {**first, **CHANGES[name]})
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(OWN_CELL_AFTER_PARAMETERS))
        notebook.cells.append(nbformat.v4.new_code_cell(OWN_CELL_AT_END))
        run_all(client, notebook)

        # ... and runs the check cell and the last cell of the notebook once more on their own.
        check = index + 2
        assert "check_parameters" in notebook.cells[check].source
        client.execute_cell(notebook.cells[check], check)
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
        params = _value(client, notebook, "params")
    for parameter, value in CHANGES[name].items():
        assert params[parameter] == value, "the second run must use the edited value"
    _check_second_run(name, tmp_path, first_outputs, _checked_outputs(notebook))


def _value(client, notebook, expression):
    cell = nbformat.v4.new_code_cell(f"print(repr({expression}))")
    notebook.cells.append(cell)
    client.execute_cell(cell, len(notebook.cells) - 1)
    return ast.literal_eval(cell.outputs[0]["text"])


def _checked_outputs(notebook) -> list:
    """The text outputs of the cells nbval checks, in order."""
    texts = []
    for cell in notebook.cells:
        if "nbval-check-output" in cell.metadata.get("tags", []):
            texts.append("".join(output.get("text", "") or output.get("data", {}).get(
                "text/plain", "") for output in cell.outputs))
    return texts


def _check_second_run(name, output, first_outputs, second_outputs):
    """What the changed parameter must have changed (or, where it changes nothing checked,
    that the checked outputs stayed the same)."""
    if name in ("01_preprocessing", "02_random_oversampling_and_smote", "03_gan"):
        # More training rows move the split and class counts; more epochs the count of updates.
        assert first_outputs != second_outputs
    elif name == "06_repeated_evaluation":
        results = pd.read_csv(output / "repeated_evaluation.csv")
        assert set(results["method"]) == {"No augmentation", "SMOTE"}
        sweep = pd.read_csv(output / "imbalance_sweep.csv")
        assert set(sweep["ratio"].astype(str)) == {"natural"}
    elif name == "07_gan_diagnostics":
        by_seed = pd.read_csv(output / "fidelity_seeds.csv")
        assert by_seed.empty and "source" in by_seed.columns
    elif name == "08_benchmark":
        # The second run resumed the results file: the third split was added, nothing twice.
        (results_file,) = (output / "benchmark").glob("results_*.csv")
        results = pd.read_csv(results_file)
        assert set(results["split"]) == {0, 1, 2}
        assert not results.duplicated(["dataset", "classifier", "method", "split"]).any()
