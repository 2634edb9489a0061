"""One execution of each notebook per set of parameters, shared by every check that needs it.

Each notebook is executed once by papermill with the suite's small parameters, as ``make run``
does, in a kernel the suite keeps alive (``run_notebooks.execute(..., km=...)``). In that same
kernel a learner's second "Run all" follows: the papermill cell removed, one value edited in
the Parameters cell (for notebooks 02 to 07: the three-class example table instead of WDBC),
two cells of one's own added, then the check cell and the last cell run once more. nbval then
reruns each notebook, up to its last checked output, in a fresh kernel.

The notebooks form independent chains (``CHAINS``): 01-05 share an output folder (04 and 05
read 03's rows), 06, 07 and 08 each run alone. Every test that reads a chain's runs carries the
chain's ``xdist_group``, so pytest-xdist runs the chain once, in one worker.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from test_notebooks import SMALL

from utils import EXAMPLE_CSV

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks  # noqa: E402

NOTEBOOKS = [path.stem for path in run_notebooks.NOTEBOOKS]
CHAINS = {"course": NOTEBOOKS[:5], "study": NOTEBOOKS[5:6], "diagnostics": NOTEBOOKS[6:7],
          "benchmark": NOTEBOOKS[7:8]}
CHAIN_OF = {name: chain for chain, names in CHAINS.items() for name in names}

#: SMALL as a dict: the values of the papermill run.
SMALL_VALUES = {SMALL[i + 1]: ast.literal_eval(SMALL[i + 2]) for i in range(0, len(SMALL), 3)}

#: The three-class example table (``utils/examples/patients.csv``) as notebook parameters.
EXAMPLE = {"data_path": str(EXAMPLE_CSV), "target": "outcome", "id_columns": ["patient_id"]}

#: What the learner changes for the second "Run all" of each notebook.
CHANGES = {
    "01_preprocessing": {"train_size": 0.6},
    "02_random_oversampling_and_smote": EXAMPLE,
    "03_gan": EXAMPLE,
    "04_classification": EXAMPLE,
    "05_visualization": EXAMPLE,
    "06_repeated_evaluation": {**EXAMPLE, "methods": ["SMOTE"]},
    "07_gan_diagnostics": {**EXAMPLE, "fidelity_seeds": []},
    "08_benchmark": {"benchmark_splits": 3},
}
#: Notebooks whose second run continues in (a copy of) the first run's folder: 08's second run
#: resumes the results file of the first and adds the third split.
RESUMED = {"08_benchmark"}

#: Cells a learner might add: one between the Parameters cell and the check (where a Drive
#: mount often goes), one at the very end.
OWN_CELL_AFTER_PARAMETERS = 'my_folder = "my own notes"  # a cell of my own\nprint(my_folder)'
OWN_CELL_AT_END = "my_summary = sorted(name for name in dir() if not name.startswith('_'))[:3]"


@dataclass
class NotebookRun:
    """A notebook's papermill run and the learner's second run in the same kernel."""

    name: str
    first: Path  #: output folder of the papermill run (the executed notebook is in it)
    second: Path  #: output folder of the second run (the executed notebook is in it)
    params: dict  #: ``params`` in the kernel after the second run

    @property
    def first_notebook(self):
        return nbformat.read(self.first / f"{self.name}.ipynb", as_version=4)

    @property
    def second_notebook(self):
        return nbformat.read(self.second / f"{self.name}-second-run.ipynb", as_version=4)


def chain_mark(name: str):
    """The ``xdist_group`` of the chain that runs notebook ``name``."""
    return pytest.mark.xdist_group(f"notebooks-{CHAIN_OF[name]}")


def run_chain(chain: str, folder: Path) -> dict:
    """Each notebook of ``chain`` executed as this module's docstring says, in order: a
    :class:`NotebookRun` per notebook name, and nbval's completed process under ``"nbval"``."""
    first, second = folder / "first", folder / "second"
    parameters = {**SMALL_VALUES, "output_dir": str(first)}
    runs = {}
    for name in CHAINS[chain]:
        runs[name] = _run_notebook(name, parameters, second)
    runs["nbval"] = nbval(first, CHAINS[chain])
    return runs


def _run_notebook(name, parameters, second) -> NotebookRun:
    first = Path(parameters["output_dir"])
    first.mkdir(parents=True, exist_ok=True)
    second.mkdir(parents=True, exist_ok=True)
    notebook_path = ROOT / "notebooks" / f"{name}.ipynb"
    km = AsyncKernelManager(kernel_name="python3")
    try:
        run_notebooks.execute(notebook_path, first, parameters, progress=False, km=km)
        notebook = nbformat.read(first / f"{name}.ipynb", as_version=4)
        if name in RESUMED:  # the first run's results, to resume, in a folder of its own
            second = second / name
            shutil.copytree(first, second)
        params = _second_run(notebook, km, {**parameters, **CHANGES[name],
                                            "output_dir": str(second)})
        nbformat.write(notebook, second / f"{name}-second-run.ipynb")
    finally:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    return NotebookRun(name, first, second, params)


def _second_run(notebook, km, values) -> dict:
    """The learner's second "Run all" in the kernel of the first: papermill's cell removed,
    values edited in the Parameters cell, two cells added; the check cell and the last cell
    run once more. Returns ``params`` as the kernel then holds it."""
    notebook.cells = [cell for cell in notebook.cells
                      if "injected-parameters" not in cell.metadata.get("tags", [])]
    index = parameters_cell(notebook)
    cell = notebook.cells[index]
    cell.source = set_parameters(cell.source, values)
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(OWN_CELL_AFTER_PARAMETERS))
    notebook.cells.append(nbformat.v4.new_code_cell(OWN_CELL_AT_END))
    client = NotebookClient(notebook, km=km, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        for i, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
        check = index + 2
        assert "check_parameters" in notebook.cells[check].source
        client.execute_cell(notebook.cells[check], check)
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
        notebook.cells.append(nbformat.v4.new_code_cell("print(repr(params))"))
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
    probe = notebook.cells.pop()
    return ast.literal_eval(probe.outputs[0]["text"])


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


def checked_outputs(notebook) -> list:
    """The text outputs of the cells nbval checks, in order."""
    texts = []
    for cell in notebook.cells:
        if "nbval-check-output" in cell.metadata.get("tags", []):
            texts.append("".join(output.get("text", "") or output.get("data", {}).get(
                "text/plain", "") for output in cell.outputs))
    return texts


def nbval(folder: Path, names) -> subprocess.CompletedProcess | None:
    """nbval's rerun of the executed notebooks in ``folder`` that have checked outputs, each in
    a fresh kernel, up to its last checked cell (the exercises' solutions skipped: the runs
    above execute them): the same seed must print the same checked outputs."""
    target = folder / "nbval"
    target.mkdir(exist_ok=True)
    paths = []
    for name in names:
        notebook = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        checked = [i for i, cell in enumerate(notebook.cells)
                   if "nbval-check-output" in cell.metadata.get("tags", [])]
        if not checked:
            continue
        for i, cell in enumerate(notebook.cells):
            tags = cell.metadata.get("tags", [])
            if i > checked[-1] or "solution" in tags:
                cell.metadata["tags"] = [*tags, "nbval-skip"]
        nbformat.write(notebook, target / f"{name}.ipynb")
        paths.append(str(target / f"{name}.ipynb"))
    if not paths:
        return None
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=", "--rootdir",
         str(target), *paths],
        cwd=ROOT, capture_output=True, text=True,
    )
