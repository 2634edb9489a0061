"""Compare the registered generators on WDBC's malignant rows and on tables of known law.

Usage: python scripts/compare_generators.py [--generators NAME ...] [--tables NAME ...]
                                            [--seed S [S ...]] [--quick] [--output DIR]

Every generator of :func:`tabaug.generators.available_generators` (or those named) is fitted with
its defaults and ``random_state=seed`` on each table's training rows, then makes as many rows:

- ``wdbc``: the malignant rows of the training split of ``prepare_data(seed=seed)``; held out:
  the malignant rows of the validation split (patients no generator saw);
- each table of :data:`KNOWN_TABLES` of ``tests/known_tables.py``: a draw with ``seed``;
  held out: a fresh draw of the same law with ``seed + 1``.

Reported per generator and table, all in the training rows' encoding
(:func:`tabaug.fidelity.two_sample.encode_tables`: numeric columns min-max scaled to the training
range, categories one-hot):

- ``c2st_auc``: the two-sample test's ROC AUC between the generated and the training rows
  (``c2st_vs_train`` of :func:`tabaug.fidelity.report.target_check`). Well below 0.5 means rows
  that sit where the training rows are (near-copies), not better rows;
- ``c2st_held_out``: the same test against the held-out rows, which the generator never saw:
  the honest measure of realism (0.5: indistinguishable from new real rows; target <= 0.65);
- ``dcr_ratio``: median distance of generated rows to their closest training row, divided by
  that of the held-out rows (below 0.8: near-copies of training rows);
- ``on_target``: :func:`~tabaug.fidelity.report.target_check`'s two-sided rule: realistic
  against the held-out rows and not memorising (the memorisation test at 0.05);
- ``fit_s``: seconds to fit, TensorFlow's import excluded but not its one-off start-up (a few
  seconds more for the first neural generator of a run); run the script on one core to compare
  them fairly, e.g. ``taskset -c 1``.

With several seeds, everything above is repeated for each (a new WDBC split, new draws of the
known laws, new generators and tests): one draw's two-sample score moves by about 0.05 from
seed to seed, so a ranking of generators needs more than one. Each row records its ``seed``.

The ``real held-out`` rows of each table are measured the same way as a reference. A generator
that fails to import or to fit is skipped with a note. The table is printed in markdown and
written as ``comparison.csv`` and ``comparison.json`` (with the settings and the skipped
generators) to ``--output``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' tables of known laws
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from tabaug.fidelity.report import target_check  # noqa: E402
from tabaug.fidelity.two_sample import encode_tables  # noqa: E402
from tabaug.generators import available_generators, generator_class  # noqa: E402

from known_tables import KNOWN_TABLES  # noqa: E402

WDBC = "wdbc"
TABLES = [WDBC, *KNOWN_TABLES]
#: Name of the reference rows: each table's real held-out rows, measured like a generator's.
REFERENCE = "real held-out"
#: Repeats of the two-sample test's cross-validation (``--quick``: 1).
C2ST_REPEATS, QUICK_C2ST_REPEATS = 5, 1
COLUMNS = ["seed", "generator", "table", "rows", "fit_s", "c2st_auc", "c2st_held_out",
           "dcr_ratio", "on_target", "warnings"]


# --- arguments --------------------------------------------------------------------------------
def table_name(text: str) -> str:
    """A table's name as the command line may spell it ("two-clusters", "two_clusters")."""
    name = text.strip().lower().replace("-", " ").replace("_", " ")
    if name not in TABLES:
        raise argparse.ArgumentTypeError(
            f"unknown table {text!r}: use {', '.join(repr(t) for t in TABLES)}")
    return name


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Tables: " + ", ".join(TABLES) + " (spaces may be written - or _). "
               "Generators: " + ", ".join(available_generators()) + ".")
    parser.add_argument("--generators", nargs="+", metavar="NAME",
                        default=available_generators(),
                        help="registered generator names (default: all)")
    parser.add_argument("--tables", nargs="+", metavar="NAME", type=table_name, default=TABLES,
                        help="tables to compare on (default: all)")
    parser.add_argument("--seed", type=int, nargs="+", default=[42],
                        help="seed(s) of the WDBC split, the tables' draws, the generators and "
                             "the two-sample test, each a repeat of the whole comparison "
                             "(default 42)")
    parser.add_argument("--quick", action="store_true",
                        help=f"one repeat of the two-sample test instead of {C2ST_REPEATS}")
    parser.add_argument("--output", type=Path, default=ROOT / "results" / "generators",
                        help="folder for comparison.csv and comparison.json "
                             "(default: results/generators/)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.generators if name not in available_generators()]
    if unknown:
        parser.error(f"unknown generator(s) {unknown}: use {available_generators()}")
    return args


# --- data -------------------------------------------------------------------------------------
def load_table(name: str, seed: int):
    """The training rows and the held-out rows of table ``name`` (see the module docstring)."""
    if name == WDBC:
        from tabaug.data.preprocessing import prepare_data

        data = prepare_data(seed=seed, verbose=False)
        return data.X_train[data.y_train == 1], data.X_val[data.y_val == 1]
    law = KNOWN_TABLES[name]
    return law(seed=seed), law(seed=seed + 1)


# --- generators -------------------------------------------------------------------------------
def load_generator(name: str):
    """The class registered as ``name``, or None with a printed note when it fails to import."""
    try:
        return generator_class(name)
    except Exception as error:  # any import failure: the others still run
        print(f"note: skipping {name!r}: it does not import ({type(error).__name__}: {error})")
        return None


def import_keras() -> None:
    """Import Keras (and TensorFlow) once before any timing, so that the first neural
    generator's seconds do not include those seconds of importing."""
    try:
        import keras  # noqa: F401
    except ImportError:  # generators without Keras still run
        pass


def fit_timed(cls, train, seed):
    """A ``cls`` with its defaults fitted on ``train``: the generator, the seconds it took and
    the names of the warnings it raised. A conditional generator gets one class."""
    generator = cls(random_state=seed)
    y = np.zeros(len(train), dtype=int) if getattr(cls, "conditional", False) else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        began = time.perf_counter()
        if y is None:
            generator.fit(train)
        else:
            generator.fit(train, y)
        seconds = time.perf_counter() - began
    names = sorted({w.category.__name__ for w in caught})
    return generator, seconds, names


# --- measures ---------------------------------------------------------------------------------
def measure(train, held_out, rows, seed, n_repeats) -> dict:
    """The two-sample tests and the distance ratio of ``rows`` (see the module docstring)."""
    train_x, held_x, rows_x = encode_tables(train, held_out, rows)
    check = target_check(train_x, held_x, rows_x, random_state=seed, n_repeats=n_repeats)
    return {"rows": len(rows), "c2st_auc": check["c2st_vs_train"],
            "c2st_held_out": check["c2st_auc"], "dcr_ratio": check["dcr_ratio"],
            "on_target": check["on_target"]}


def reference_row(table, train, held_out, seed, n_repeats) -> dict:
    """The real held-out rows measured as if generated: what "as good as new real rows" scores
    (``c2st_held_out`` is left empty: it would compare them with themselves)."""
    row = measure(train, held_out, held_out, seed, n_repeats)
    return {"generator": REFERENCE, "table": table, **row, "c2st_held_out": np.nan,
            "fit_s": np.nan, "warnings": ""}


def generator_row(name, cls, table, train, held_out, seed, n_repeats):
    """One row of the comparison, or None with a printed note when the generator fails."""
    try:
        generator, seconds, caught = fit_timed(cls, train, seed)
        rows = generator.sample(len(train))
    except Exception as error:  # a generator under construction must not stop the others
        print(f"note: skipping {name!r} on {table!r}: {type(error).__name__}: {error}")
        return None
    return {"generator": name, "table": table, "fit_s": seconds,
            **measure(train, held_out, rows, seed, n_repeats), "warnings": "; ".join(caught)}


def compare(generators, tables, seeds, n_repeats):
    """The comparison as a DataFrame (:data:`COLUMNS`) and the skipped generators with why."""
    classes, skipped = {}, {}
    for name in generators:
        cls = load_generator(name)
        if cls is None:
            skipped[name] = "import failed"
        else:
            classes[name] = cls
    import_keras()
    records = []
    for seed in seeds:
        for table in tables:
            train, held_out = load_table(table, seed)
            records.append({"seed": seed,
                            **reference_row(table, train, held_out, seed, n_repeats)})
            for name, cls in classes.items():
                row = generator_row(name, cls, table, train, held_out, seed, n_repeats)
                if row is None:
                    skipped.setdefault(name, f"failed on {table} (seed {seed})")
                    continue
                records.append({"seed": seed, **row})
                print(f"seed {seed}: {name} on {table}: fit {row['fit_s']:.2f} s, C2ST "
                      f"{row['c2st_auc']:.3f} (held out {row['c2st_held_out']:.3f}), DCR "
                      f"ratio {row['dcr_ratio']:.2f}", flush=True)
    return pd.DataFrame.from_records(records, columns=COLUMNS), skipped


# --- output -----------------------------------------------------------------------------------
def markdown_table(frame: pd.DataFrame, digits=3) -> str:
    """``frame`` as a GitHub markdown table, numbers rounded to ``digits`` decimals."""
    def cell(value):
        if isinstance(value, (bool, np.bool_)):
            return "yes" if value else "no"
        if isinstance(value, (float, np.floating)):
            return "" if np.isnan(value) else f"{value:.{digits}f}"
        return str(value)

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def settings(args, n_repeats) -> dict:
    """What the JSON file records about the run, so that its numbers can be reproduced."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"seeds": list(args.seed), "quick": args.quick, "c2st_repeats": n_repeats,
            "generators": list(args.generators), "tables": list(args.tables),
            "cores_available": cores, "python": platform.python_version(),
            "machine": platform.machine()}


def write_results(frame, skipped, run_settings, output: Path) -> None:
    """``comparison.csv`` and ``comparison.json`` (settings, skipped generators, rows)."""
    output.mkdir(parents=True, exist_ok=True)
    frame.to_csv(output / "comparison.csv", index=False)
    rows = json.loads(frame.to_json(orient="records"))
    document = {"settings": run_settings, "skipped": skipped, "rows": rows}
    (output / "comparison.json").write_text(json.dumps(document, indent=2) + "\n")


def main(argv=None):
    args = parse_args(argv)
    n_repeats = QUICK_C2ST_REPEATS if args.quick else C2ST_REPEATS
    frame, skipped = compare(args.generators, args.tables, args.seed, n_repeats)
    print()
    print(markdown_table(frame))
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")
    write_results(frame, skipped, settings(args, n_repeats), args.output)
    print(f"\nWritten to {args.output}/comparison.csv and comparison.json")
    return frame


if __name__ == "__main__":
    main()
