"""``tabaug benchmark-generators``: every generator learns the small classes of the benchmark's
tables and is judged against rows of the class it never saw
(:mod:`tabaug.experiments.generator_benchmark`), resumably; prints and writes the summary with
intervals over origins, and the fit time in seconds and units."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import warnings
from pathlib import Path

from tabaug.cli.common import OK, fail, positive_int, show_warning

__all__ = ["add_generator_benchmark_command", "DEFAULT_SEEDS", "run_generator_benchmark_command"]

#: The seeds of a run unless named.
DEFAULT_SEEDS = (0, 1, 2)


def add_generator_benchmark_command(subparsers) -> None:
    command = subparsers.add_parser(
        "benchmark-generators",
        help="compare the generators on the small classes of the benchmark's tables "
             "(resumable)",
        description=textwrap.fill(
            "Each generator learns one small class of a built-in table (the minority class of "
            "each binary table, every class but the largest of each multi-class table) from "
            "half of the table's rows, makes as many rows of the class, and is judged against "
            "the class's rows of the other half, which it never saw: the two-sample test's "
            "ROC AUC (0.5: as good as new real rows), the memorisation gap and test, and the "
            "seconds it took. Tables have a role: choose settings on the development tables, "
            "report on the evaluation tables. Every finished class is appended to "
            "OUTPUT_DIR/results.csv, so the same command run again resumes.", 88),
        epilog=("examples:\n"
                "  %(prog)s --role development --generators gaussian-copula forest-flow\n"
                "  %(prog)s --role evaluation --seeds 0 1 2 3 4 --output-dir generators-eval\n"
                "  %(prog)s --list\n\n"
                "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
                "names the problem and its fix); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("--role", choices=["development", "evaluation", "all"],
                         default="development",
                         help="the tables whose classes to run (default: development; "
                              "evaluation is for the final comparison: choose nothing on it)")
    command.add_argument("--tables", nargs="+", metavar="NAME",
                         help="only these built-in tables (of the role)")
    command.add_argument("--generators", nargs="+", metavar="NAME",
                         help="registered generator names (default: all)")
    command.add_argument("--seeds", nargs="+", type=int, default=list(DEFAULT_SEEDS),
                         metavar="S", help="seeds: each a new split, new generators and new "
                                           "test folds (default: 0 1 2)")
    command.add_argument("--c2st-repeats", type=positive_int(1), default=2, metavar="N",
                         help="repeats of the two-sample test's 5-fold cross-validation "
                              "(default 2)")
    command.add_argument("--reference", default="gaussian-copula", metavar="NAME",
                         help="the generator the others are compared with, origin by origin "
                              "(default: gaussian-copula)")
    command.add_argument("--n-jobs", type=int, default=1, metavar="N",
                         help="class tasks run in N processes (default 1; -1: every core)")
    command.add_argument("--output-dir", type=Path, default=Path("generator-benchmark"),
                         metavar="OUTPUT_DIR",
                         help="where results.csv, summary.csv and run.json go (default: "
                              "generator-benchmark); a results.csv there is resumed")
    command.add_argument("--list", action="store_true",
                         help="list the class tasks of the role and stop")
    command.add_argument("--quiet", action="store_true", help="no progress bar")
    command.set_defaults(func=run_generator_benchmark_command, prog=command.prog)


def run_generator_benchmark_command(args) -> int:
    """Run (or resume) the generator benchmark, then print and write its summary."""
    from tabaug.errors import DataError

    try:
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            return _run(args)
    except (DataError, ValueError) as error:
        return fail(None, error)
    except OSError as error:
        return fail(None, f"could not write to '{args.output_dir}': "
                           f"{error.strerror or error}. Check the folder's permissions and "
                           "free space.")


def _run(args) -> int:
    import pandas as pd

    from tabaug.experiments.generator_benchmark import (
        RECOMMENDATION_RULE,
        class_tasks,
        recommend_generator,
        run_generator_benchmark,
        summarize_generators,
        task_table,
    )
    from tabaug.experiments.speed import unit_seconds
    from tabaug.generators import available_generators
    from tabaug.generators.quiet import generator_class_quietly

    tasks = class_tasks(None if args.role == "all" else args.role, args.tables)
    if not tasks:
        raise ValueError(f"No class task among tables {args.tables} of role {args.role!r}: "
                         "check the names with --list, or choose --role all.")
    if args.list:
        with pd.option_context("display.width", 160, "display.max_rows", 200):
            print(task_table(tasks).to_string(index=False))
        return OK
    generators = args.generators or available_generators()
    for name in [*generators, args.reference]:
        generator_class_quietly(name)  # an unknown name stops here, with the known ones
    unit = unit_seconds()  # this run's unit, written in its rows
    results = run_generator_benchmark(
        tasks, generators, args.seeds, c2st_repeats=args.c2st_repeats,
        results_path=args.output_dir / "results.csv", n_jobs=args.n_jobs,
        progress=not args.quiet, unit_seconds=unit)
    chosen = results[results["generator"].isin(["real rows", *generators])
                     & results["seed"].isin(args.seeds)
                     & results["table"].isin([task.table for task in tasks])]
    summary = summarize_generators(chosen, reference=args.reference)
    summary.to_csv(args.output_dir / "summary.csv")
    run = {"role": args.role, "tables": sorted({task.table for task in tasks}),
           "tasks": len(tasks), "origins": len({task.origin for task in tasks}),
           "generators": list(generators), "seeds": list(args.seeds),
           "c2st_repeats": args.c2st_repeats, "reference": args.reference,
           "unit_seconds": round(unit, 3)}
    (args.output_dir / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(summary.round(3).to_string())
    pick = recommend_generator(summary, reference=args.reference)
    rule = RECOMMENDATION_RULE.format(reference=args.reference)
    print(f"\nRecommended by the rule ({rule}): {pick}.")
    print(f"\n{len(tasks)} classes of {run['origins']} origins, seeds {list(args.seeds)}; one "
          f"unit (the paper's grid search once) took {unit:.2f} s here before this run "
          f"(each row keeps its run's unit, for fit_units_median). Results in "
          f"{args.output_dir / 'results.csv'}, summary in {args.output_dir / 'summary.csv'}.",
          file=sys.stderr if args.quiet else sys.stdout)
    return OK
