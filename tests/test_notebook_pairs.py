"""Each notebook and its jupytext script agree, carry no outputs, and open and close alike."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import papermill as pm
import pytest

from utils.parameters import NOTEBOOK_PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
SCRIPTS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def test_the_five_core_notebooks_exist():
    assert [path.stem for path in SCRIPTS][:5] == list(NOTEBOOK_PARAMETERS)[:5]
    assert sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")) == [p.with_suffix(".ipynb") for p in SCRIPTS]


def _cells(notebook):
    return [(cell.cell_type, cell.source.strip(), sorted(cell.metadata.get("tags", [])))
            for cell in notebook.cells]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_pair_agrees(script):
    """Compare by content (cell types, sources, tags): file times are arbitrary after a clone."""
    from_script = jupytext.read(script)
    from_ipynb = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    assert _cells(from_script) == _cells(from_ipynb), (
        f"{script.name} and its .ipynb differ: run `make sync` after editing the .py")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_ipynb_has_no_outputs(script):
    notebook = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_opening_and_closing(script):
    notebook = jupytext.read(script)
    first, last = notebook.cells[0], notebook.cells[-1]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    badge = (f"https://colab.research.google.com/github/{REPOSITORY.removeprefix('https://github.com/')}"
             f"/blob/main/notebooks/{script.stem}.ipynb")
    assert badge in first.source, f"the Colab badge of {script.name} must point to {badge}"
    assert "**What you will learn**" in first.source
    assert last.cell_type == "markdown" and last.source.startswith("## Summary")
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    assert '"google.colab" in sys.modules' in setup.source and f"git+{REPOSITORY}" in setup.source


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_parameters_cell(script):
    notebook = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    for statement in ast.parse(tagged[0].source).body:
        assert isinstance(statement, ast.Assign), "the parameters cell holds assignments only"
        ast.literal_eval(statement.value)  # literals only: papermill replaces the cell's values
    declared = list(pm.inspect_notebook(str(script.with_suffix(".ipynb"))))
    assert declared == NOTEBOOK_PARAMETERS[script.stem]
    index = notebook.cells.index(tagged[0])
    check = notebook.cells[index + 1].source
    assert re.search(rf'check_parameters\(\s*"{script.stem}"', check), (
        "the cell after the parameters cell must check them")


def test_readme_parameter_table_is_current():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import update_readme

    section = update_readme.parameters_section()
    assert section in (ROOT / "README.md").read_text(), (
        "README's parameter table is out of date: run `.venv/bin/python scripts/update_readme.py "
        "--parameters-only`")
