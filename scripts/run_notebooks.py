"""Execute the numbered notebooks in order with papermill (what ``make run`` calls).

Usage: python scripts/run_notebooks.py [--output-dir DIR] [--only NAME ...] [-p NAME VALUE ...]

Each notebook receives the same parameters where it declares them (``-p`` values are read as
Python literals, so ``-p epochs 50`` is an int and ``-p data_path data/wdbc.csv`` a string).
A name no notebook declares stops the run before anything executes. Executed notebooks, figures
and tables are written to the output folder.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from pathlib import Path

import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabaug.errors import ParameterError  # noqa: E402
from utils.parameters import NOTEBOOK_PARAMETERS, check_parameter_names  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def parse_value(text: str):
    """A Python literal if the text is one (``50``, ``None``, ``[0.1, 1]``), else the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="results", help="folder for all outputs")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these notebooks (e.g. 03_gan)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a notebook parameter")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    return parser.parse_args(argv)


def collect_parameters(args) -> dict:
    parameters = {name: parse_value(value) for name, value in args.parameter}
    if "output_dir" in parameters:
        raise ParameterError("Set the output folder with --output-dir (make run: OUTPUT_DIR=...), "
                             "not with -p output_dir.")
    data_path = parameters.get("data_path")
    if isinstance(data_path, str):
        parameters["data_path"] = str(Path(data_path).expanduser().resolve())
    parameters["output_dir"] = str(Path(args.output_dir).expanduser().resolve())
    check_parameter_names(None, parameters)
    return parameters


def select_notebooks(only):
    if not only:
        return NOTEBOOKS
    chosen = [path for path in NOTEBOOKS if path.stem in only]
    missing = set(only) - {path.stem for path in chosen}
    if missing:
        raise SystemExit(f"No notebook named {sorted(missing)}; choose from "
                         f"{[path.stem for path in NOTEBOOKS]}.")
    return chosen


def own_parameters(notebook: str, parameters: dict) -> dict:
    """The values of ``parameters`` that ``notebook`` (a name such as ``03_gan``) declares."""
    return {k: v for k, v in parameters.items() if k in NOTEBOOK_PARAMETERS[notebook]}


def execute(notebook: Path, output_dir: Path, parameters: dict, progress: bool = True,
            **engine_options):
    """Execute one notebook with papermill into ``output_dir``; the executed notebook.

    ``engine_options`` go to papermill's engine (nbclient): the tests pass ``km``, a kernel
    manager of their own, to keep the kernel alive for a learner's second "Run all".

    The executed notebook is written when it ends, or at the cell that failed, not before and
    after every cell as papermill does by default (``request_save_on_cell_execute``): writing
    the whole notebook, figures included, twice per cell took 1 to 3 s of each notebook's run.
    """
    return pm.execute_notebook(
        str(notebook), str(output_dir / notebook.name),
        parameters=own_parameters(notebook.stem, parameters), kernel_name="python3",
        cwd=str(ROOT), progress_bar=progress, request_save_on_cell_execute=False,
        **engine_options,
    )


def run(argv=None) -> int:
    args = parse_args(argv)
    try:
        parameters = collect_parameters(args)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    output_dir = Path(parameters["output_dir"])
    output_dir.mkdir(parents=True, exist_ok=True)
    timings = {}
    start = time.perf_counter()
    notebooks = select_notebooks(args.only)
    for i, notebook in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {notebook.stem}", flush=True)
        began = time.perf_counter()
        execute(notebook, output_dir, parameters, progress=not args.no_progress)
        timings[notebook.stem] = round(time.perf_counter() - began, 1)
        print(f"      done in {timings[notebook.stem]:.1f} s", flush=True)
    total = round(time.perf_counter() - start, 1)
    (output_dir / "run_info.json").write_text(json.dumps(
        {"parameters": parameters, "seconds": timings, "total_seconds": total}, indent=2))
    print(f"All {len(notebooks)} notebooks ran in {total:.0f} s; outputs are in {output_dir}")
    table = output_dir / "table1.csv"
    if table.exists():
        print(f"\nTable 1 ({table}):\n{table.read_text()}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
