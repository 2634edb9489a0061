"""Each notebook and its jupytext script agree, carry no outputs, and open and close alike."""

from __future__ import annotations

import ast
import re
import sys
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
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REPOSITORY = PROJECT["urls"]["Repository"]
#: What the setup cell installs where this release is not installed: the course's extras of
#: the release named in pyproject.toml.
INSTALL = f"gan-augmentation-tutorial[course] @ git+{REPOSITORY}@v{PROJECT['version']}"


def test_the_five_core_notebooks_exist():
    assert [path.stem for path in SCRIPTS][:5] == list(NOTEBOOK_PARAMETERS)[:5]
    notebooks = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert notebooks == [p.with_suffix(".ipynb") for p in SCRIPTS]


def _cells(notebook):
    return [(cell.cell_type, cell.source.strip(), sorted(cell.metadata.get("tags", [])),
             cell.metadata.get("jupyter", {}))
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
def test_opening(script):
    """Title, Colab badge, objectives, prerequisites and time, then the install-if-missing cell."""
    notebook = jupytext.read(script)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    badge = (f"https://colab.research.google.com/github/{REPOSITORY.removeprefix('https://github.com/')}"
             f"/blob/main/notebooks/{script.stem}.ipynb")
    assert badge in first.source, f"the Colab badge of {script.name} must point to {badge}"
    for heading in ("**What you will learn**", "**Before you start**", "**Time**"):
        assert heading in first.source, f"{script.name} must open with {heading}"
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    assert "google.colab" not in setup.source


def run_setup_cell(script, monkeypatch, installed):
    """Run the notebook's setup cell with ``installed`` as the installed release (None: not
    installed) and pip replaced by a recorder; returns the pip commands it ran."""
    import importlib.metadata
    import subprocess

    setup = next(c for c in jupytext.read(script).cells if c.cell_type == "code")
    commands = []

    def version(name):
        assert name == PROJECT["name"]
        if installed is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(importlib.metadata, "version", version)
    monkeypatch.setattr(subprocess, "run", lambda command, check: commands.append(command))
    exec(setup.source, {})
    return commands


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_setup_cell_installs_the_release_unless_it_is_there(script, monkeypatch):
    """The setup cell installs the course's extras of pyproject.toml's release when another
    release or none is installed, and does nothing when that release is."""
    assert run_setup_cell(script, monkeypatch, PROJECT["version"]) == []
    for other in (None, "0.1.0"):
        command = run_setup_cell(script, monkeypatch, other)
        assert [c[-1] for c in command] == [INSTALL]


def test_setup_cell_refuses_another_utils(monkeypatch, tmp_path):
    """A ``utils.py`` of the learner's, found first, stops the notebook with the fix."""
    import types

    other = types.ModuleType("utils")
    other.__file__ = str(tmp_path / "utils.py")
    monkeypatch.setitem(sys.modules, "utils", other)
    with pytest.raises(ImportError, match="rename your own utils.py"):
        run_setup_cell(SCRIPTS[0], monkeypatch, PROJECT["version"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_closing_summary_exercises_and_hidden_solutions(script):
    """Summary, then 2-4 exercises, then their solutions: collapsed, tagged, and run by the
    notebook tests like every other cell."""
    cells = jupytext.read(script).cells
    headings = [(i, c.source.splitlines()[0]) for i, c in enumerate(cells)
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    names = [heading for _, heading in headings]
    assert names[-3:] == ["## Summary", "## Exercises", "## Solutions"], names[-3:]
    exercises = cells[headings[-2][0]].source
    numbered = re.findall(r"^(\d+)\. ", exercises, flags=re.MULTILINE)
    assert 2 <= len(numbered) <= 4 and numbered == [str(i + 1) for i in range(len(numbered))]
    solutions = cells[headings[-1][0] + 1:]
    assert [c.source.splitlines()[0] for c in solutions if c.cell_type == "markdown"
            and c.source.startswith("### ")] == [f"### Exercise {n}" for n in numbered]
    code = [c for c in solutions if c.cell_type == "code"]
    assert code, "every notebook's solutions include code that the tests execute"
    for cell in code:
        assert "solution" in cell.metadata.get("tags", []), cell.source[:60]
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source[:60]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_no_test_bookkeeping_in_the_learners_way(script):
    source = script.read_text()
    for marker in ("NBVAL_", "_names_before", "set(globals())"):
        assert marker not in source, f"{script.name}: move {marker!r} into cell tags or helpers"


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
    assert re.search(rf'check_parameters\(\s*"{script.stem}", globals\(\)\)', check), (
        "the cell after the parameters cell must check them")


def test_readme_parameter_table_is_current():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import update_readme

    section = update_readme.parameters_section()
    assert section in (ROOT / "README.md").read_text(), (
        "README's parameter table is out of date: run `.venv/bin/python scripts/update_readme.py "
        "--parameters-only`")
