"""How long the course, the test suite and the command line take, in seconds and machine units.

Usage: python scripts/speed_report.py [--json PATH] [--only PART ...] [--keep DIR]

``make speed`` calls it. PART is one of ``course`` (every notebook with its defaults, as
``make run`` does, into one fresh folder), ``class`` (each notebook of 06-08 with its class
setting, :data:`utils.parameters.CLASS_SETTINGS`, in a fresh folder of its own, as a class on
Colab starts), ``tests`` (the test suite, as ``make test`` runs it) and ``library``
(``python -m utils compare`` and ``balance`` with their defaults on the example table).

Machines differ by a factor of three and are shared, so every time is also given in **units**:
one unit is what ``shared/tools/reference_speed.py`` times (the paper's grid search once).
The unit is measured here, in this process, before and after every part, and each part is
divided by the mean of the two measurements around it. The report prints each part against
its budget (:data:`BUDGETS`) with the slowest notebook cells (papermill's durations) and the
slowest tests (pytest's), and writes all of it to the JSON file, from which
``scripts/update_readme.py --speed`` writes the Time lines of README and of the notebooks.
This is a report, not a test: nothing here fails because a machine is slow.
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import run_notebooks  # noqa: E402

from tabaug.experiments.speed import unit_seconds  # noqa: E402
from utils.parameters import CLASS_SETTINGS  # noqa: E402

PARTS = ("course", "class", "tests", "library")
#: Budgets in units (issue 19): each part, and each notebook or group of notebooks.
BUDGETS = {"tests": 300, "course": 300, "01-05": 40, "06": 100, "07": 100, "08": 100,
           "class": 30, "compare": 60}
#: How many of the slowest cells and tests the report keeps.
SLOWEST = 10


class Units:
    """The unit measured around each timed part; a part's units use the two around it."""

    def __init__(self):
        self.measured = [unit_seconds()]

    def part(self, seconds: float) -> dict:
        self.measured.append(unit_seconds())
        unit = float(np.mean(self.measured[-2:]))
        return {"seconds": round(seconds, 1), "unit_seconds": round(unit, 3),
                "units": round(seconds / unit, 1)}


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()
             and not line.lstrip().startswith("#")]
    return (lines[0] if lines else source.splitlines()[0] if source else "")[:80]


def cell_durations(notebook_path: Path) -> list:
    """Each code cell's seconds in an executed notebook (papermill records them)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    cells = []
    for index, cell in enumerate(notebook.cells):
        duration = cell.metadata.get("papermill", {}).get("duration")
        if cell.cell_type == "code" and duration is not None:
            cells.append({"notebook": notebook_path.stem, "cell": index,
                          "seconds": round(float(duration), 2),
                          "source": _first_line(cell.source)})
    return cells


def run_notebooks_timed(folder: Path, only=None, parameters=()) -> dict:
    """Execute notebooks with papermill into ``folder``: seconds per notebook and per cell."""
    argv = ["--output-dir", str(folder), "--no-progress", *parameters]
    if only:
        argv += ["--only", *only]
    began = time.perf_counter()
    if run_notebooks.run(argv) != 0:
        raise SystemExit(f"The notebooks failed to run ({argv}).")
    seconds = time.perf_counter() - began
    info = json.loads((folder / "run_info.json").read_text())
    cells = [cell for name in info["seconds"] for cell in cell_durations(folder / f"{name}.ipynb")]
    return {"seconds": seconds, "notebooks": info["seconds"], "cells": cells}


def course_part(units: Units, workdir: Path) -> dict:
    """Every notebook with its defaults into one fresh folder, as ``make run`` does."""
    run = run_notebooks_timed(workdir / "course")
    part = units.part(run["seconds"])
    unit = part["unit_seconds"]
    part["notebooks"] = {name: {"seconds": s, "units": round(s / unit, 1)}
                         for name, s in run["notebooks"].items()}
    first = sum(s for name, s in run["notebooks"].items() if name[:2] <= "05")
    part["01-05"] = {"seconds": round(first, 1), "units": round(first / unit, 1)}
    part["slowest_cells"] = _slowest(run["cells"], unit)
    return part


def class_part(units: Units, workdir: Path) -> dict:
    """Each notebook of :data:`CLASS_SETTINGS` alone, with its class setting, in a fresh folder
    (a class on Colab opens one notebook in a new runtime)."""
    part = {}
    for name, setting in CLASS_SETTINGS.items():
        parameters = [item for key, value in setting.items() for item in ("-p", key, repr(value))]
        run = run_notebooks_timed(workdir / f"class_{name}", [name], parameters)
        part[name] = units.part(run["seconds"]) | {"setting": setting}
        part[name]["slowest_cells"] = _slowest(run["cells"], part[name]["unit_seconds"])
    return part


def tests_part(units: Units, workdir: Path) -> dict:
    """The test suite as ``make test`` runs it (``python -m pytest``), with pytest's timings."""
    junit = workdir / "junit.xml"
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             f"--junitxml={junit}"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    part = units.part(seconds)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    part |= {"exit_code": result.returncode, "summary": summary}
    if junit.exists():
        cases = [{"test": f"{case.get('classname')}::{case.get('name')}",
                  "seconds": round(float(case.get("time", 0)), 2)}
                 for case in ET.parse(junit).getroot().iter("testcase")]
        part["tests"] = len(cases)
        part["test_seconds"] = round(sum(case["seconds"] for case in cases), 1)
        part["slowest_tests"] = _slowest(cases, part["unit_seconds"])
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
    return part


def library_part(units: Units, workdir: Path) -> dict:
    """``python -m utils compare`` and ``balance`` with their defaults on the example table."""
    example = ROOT / "utils" / "examples" / "patients.csv"
    commands = {
        "compare": ["compare", example, "--target", "outcome", "--id-columns", "patient_id",
                    "--output-dir", workdir / "compare", "--quiet"],
        "balance": ["balance", example, "--target", "outcome", "--id-columns", "patient_id",
                    "--output", workdir / "balanced.csv", "--quiet"],
    }
    part = {}
    for name, arguments in commands.items():
        command = [sys.executable, "-m", "utils", *map(str, arguments)]
        began = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        part[name] = units.part(time.perf_counter() - began) | {
            "command": "python -m utils " + " ".join(
                str(a.relative_to(ROOT)) if isinstance(a, Path) and a.is_relative_to(ROOT)
                else str(a) for a in arguments),
            "exit_code": result.returncode}
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
    return part


def _slowest(items, unit) -> list:
    ranked = sorted(items, key=lambda item: item["seconds"], reverse=True)[:SLOWEST]
    return [item | {"units": round(item["seconds"] / unit, 1)} for item in ranked]


def machine() -> dict:
    import sklearn
    import tensorflow as tf

    return {"cores": os.cpu_count(), "machine": platform.machine(),
            "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "tensorflow": tf.__version__}


def verdicts(report: dict) -> list:
    """(what, units, budget) for every budget the report has a measurement of."""
    rows = []
    course = report.get("course")
    if course:
        rows.append(("make run (every notebook, defaults)", course["units"], BUDGETS["course"]))
        rows.append(("notebooks 01-05", course["01-05"]["units"], BUDGETS["01-05"]))
        for name, timing in course["notebooks"].items():
            if name[:2] in BUDGETS:
                rows.append((f"{name}, defaults", timing["units"], BUDGETS[name[:2]]))
    for name, timing in report.get("class", {}).items():
        setting = ", ".join(f"{k} = {v!r}" for k, v in timing["setting"].items())
        rows.append((f"{name}, {setting}", timing["units"], BUDGETS["class"]))
    if report.get("tests"):
        rows.append(("make test", report["tests"]["units"], BUDGETS["tests"]))
    library = report.get("library", {})
    if "compare" in library:
        rows.append(("python -m utils compare (defaults, example table)",
                     library["compare"]["units"], BUDGETS["compare"]))
    if "balance" in library:
        rows.append(("python -m utils balance (defaults, example table)",
                     library["balance"]["units"], None))
    return rows


def print_report(report: dict) -> None:
    print(f"\nOne unit took {', '.join(f'{u:.2f}' for u in report['unit_seconds'])} s "
          f"(measured {len(report['unit_seconds'])} times, around each part).")
    print(f"{'':<58}{'units':>8}{'budget':>8}")
    for what, units, budget in verdicts(report):
        mark = "" if budget is None else ("  ok" if units <= budget else "  OVER")
        print(f"{what:<58}{units:>8.1f}{'' if budget is None else budget:>8}{mark}")
    for name, key in (("course", "slowest_cells"), ("tests", "slowest_tests")):
        if report.get(name, {}).get(key):
            print(f"\nSlowest {'cells of make run' if name == 'course' else 'tests'}:")
            for item in report[name][key]:
                where = (f"{item['notebook']} cell {item['cell']}: {item['source']}"
                         if "cell" in item else item["test"])
                print(f"  {item['seconds']:>7.1f} s {item['units']:>6.1f} u  {where}")
    for name, timing in report.get("class", {}).items():
        print(f"\nSlowest cells of {name} with its class setting:")
        for item in timing["slowest_cells"][:5]:
            print(f"  {item['seconds']:>7.1f} s {item['units']:>6.1f} u  cell {item['cell']}: "
                  f"{item['source']}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "speed.json",
                        help="where to write the report (default: results/speed.json)")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS),
                        help="time only these parts")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="run in DIR and keep the executed notebooks (default: a temporary "
                             "folder, removed afterwards)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    functions = {"course": course_part, "class": class_part, "tests": tests_part,
                 "library": library_part}
    with tempfile.TemporaryDirectory(prefix="speed_") as temporary:
        workdir = Path(args.keep or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        report = {"machine": machine(), "date": time.strftime("%Y-%m-%d")}
        units = Units()
        for name in PARTS:
            if name in args.only:
                print(f"== {name}", flush=True)
                report[name] = functions[name](units, workdir)
        report["unit_seconds"] = units.measured
    report["budgets"] = [{"what": what, "units": u, "budget": b} for what, u, b in verdicts(report)]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    print_report(report)
    print(f"\nWrote {args.json}")
    failed = [name for name in ("tests",) if report.get(name, {}).get("exit_code")]
    failed += [name for name, timing in report.get("library", {}).items() if timing["exit_code"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
