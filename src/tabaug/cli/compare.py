"""``tabaug compare``: notebook 06's repeated-split comparison of augmentation methods on a CSV
file (:func:`tabaug.experiments.compare.compare_methods`), its tables, figures and sentences
written to a folder."""

from __future__ import annotations

import argparse
import os
import tempfile
import textwrap
import warnings
from pathlib import Path

from tabaug.cli.common import (
    OK,
    add_split_arguments,
    add_table_arguments,
    check_input,
    fail,
    parse_sampling_strategy,
    positive_int,
    report_notes,
    show_warning,
)
from tabaug.generators.quiet import generator_class_quietly

__all__ = ["add_compare_command", "COMPARE_FILES", "run_compare"]

#: The files ``compare`` writes to its folder (``comparison.json`` only with ``--json``).
COMPARE_FILES = ("comparison.csv", "paired_differences.csv", "per_split.csv",
                 "figures/distributions.png", "figures/forest_plot.png", "comparison.json")


def add_compare_command(subparsers) -> None:
    from tabaug.experiments.methods import available_methods
    from tabaug.experiments.study import STUDY_METHODS

    methods = available_methods()
    command = subparsers.add_parser(
        "compare",
        help="compare augmentation methods on a CSV file over repeated random splits",
        description=textwrap.fill(
            "Run notebook 06's comparison on the CSV file INPUT: split its rows at random into "
            "training, validation and test rows, SPLITS times; on every split, each method "
            "treats the training rows (no augmentation, class weights, RO, SMOTE and its "
            "variants, the paper's GAN, ...), a HistGradientBoosting classifier is tuned on the "
            "validation rows and scored once on the test rows. Writes to OUTPUT_DIR each "
            "method's mean scores with 95% intervals corrected for overlapping splits "
            "(comparison.csv), each method's paired difference from no augmentation "
            "(paired_differences.csv), every split's scores (per_split.csv) and two figures; "
            "prints the table and what the intervals show. Files are written only when "
            "everything worked.", 88),
        epilog=(
            "examples:\n"
            "  %(prog)s utils/examples/patients.csv --target outcome \\\n"
            "      --id-columns patient_id --output-dir comparison\n"
            "  %(prog)s data.csv --target diagnosis --output-dir out \\\n"
            "      --methods SMOTE paper-gan --splits 30 --json --seed 1\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix; nothing is written); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_table_arguments(command, "the CSV file")
    command.add_argument("--output-dir", required=True, metavar="OUTPUT_DIR", type=Path,
                         help="the folder to write to (created if missing); files of an "
                              "earlier comparison in it are refused unless --overwrite")
    command.add_argument(
        "--methods", nargs="+", default=None, metavar="NAME", choices=methods,
        help="the methods to compare, among: " + ", ".join(methods) + " (the generators "
             "under their registered names). Default: " + ", ".join(STUDY_METHODS) + " (name "
             "any other to run it; the other GANs are slow). No augmentation, the reference, "
             "always runs")
    command.add_argument("--splits", type=positive_int(2), default=10, metavar="N",
                         help="random splits (default: 10, as notebook 06); more splits, "
                              "a longer run and narrower intervals")
    command.add_argument(
        "--sampling-strategy", default="auto", type=parse_sampling_strategy, metavar="STRATEGY",
        help="given to every over-sampler, as in 'balance' (default 'auto': every class up to "
             "the largest)")
    add_split_arguments(command)
    command.add_argument("--id-columns", nargs="*", default=[], metavar="COLUMN",
                         help="identifier columns, dropped before anything learns")
    command.add_argument("--positive-label", default=None, metavar="LABEL",
                         help="two classes: the class of interest (default: the smaller)")
    command.add_argument("--scoring", default="neg_log_loss", metavar="SCORER",
                         help="scikit-learn scorer that tunes the classifier (default: "
                              "neg_log_loss, a proper scoring rule; 'f1' or 'f1_macro' as the "
                              "paper)")
    command.add_argument("--json", action="store_true",
                         help="also write comparison.json: settings, table, differences and "
                              "conclusions")
    command.add_argument("--overwrite", action="store_true",
                         help="replace the files of an earlier comparison in OUTPUT_DIR")
    command.add_argument("--quiet", action="store_true",
                         help="no progress bar or table: only warnings and errors")
    command.set_defaults(func=run_compare)


def run_compare(args) -> int:
    """``tabaug compare``: read, check, compare, write; return the exit status."""
    from tabaug.errors import DataError, ParameterError

    try:
        _check_compare_paths(args.input, args.output_dir, args.overwrite)
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            comparison = _compare(args)
            _write_comparison(comparison, args.output_dir, args.json)
    except (DataError, ParameterError, ImportError) as error:  # ImportError: a missing extra
        return fail(None, error)
    except ValueError as error:  # a sampler or scorer refusing this table or setting
        return fail(None, f"the comparison cannot run on this table: {error}")
    except OSError as error:
        return fail(None, f"could not write to '{args.output_dir}': "
                           f"{error.strerror or error}. Check the folder's permissions and "
                           "free space.")
    report_notes(comparison.results, args.quiet)
    if not args.quiet:
        from tabaug.report.sentences import comparison_conclusions
        from tabaug.report.tables import summary_table

        print(summary_table(comparison).to_string())
        print()
        print("\n".join(comparison_conclusions(comparison)))
        print(f"\nWrote {', '.join(_written(args.json))} to {args.output_dir}.")
    return OK


def _check_compare_paths(source: Path, output_dir: Path, overwrite: bool) -> None:
    from tabaug.errors import DataError

    check_input(source)
    if output_dir.exists() and not output_dir.is_dir():
        raise DataError(f"--output-dir '{output_dir}' is a file: give the path of a folder.")
    earlier = [name for name in COMPARE_FILES if (output_dir / name).exists()]
    if earlier and not overwrite:
        raise DataError(f"--output-dir '{output_dir}' holds an earlier comparison ({earlier}): "
                        "give another folder, or add --overwrite to replace its files.")


def _compare(args):
    from tabaug.data.reading import read_csv_dataset
    from tabaug.experiments.compare import compare_methods

    frame = read_csv_dataset(args.input, keep=[args.target])
    from tabaug.experiments.methods import METHODS
    from tabaug.experiments.study import STUDY_METHODS

    for name in args.methods or STUDY_METHODS:
        if name not in METHODS:  # a generator: imported (with TensorFlow, if it needs it) quietly
            generator_class_quietly(name)
    return compare_methods(
        frame, args.target, id_columns=args.id_columns, methods=args.methods,
        n_splits=args.splits, seed=args.seed, sampling_strategy=args.sampling_strategy,
        positive_label=args.positive_label, scoring=args.scoring, n_jobs=args.n_jobs,
        progress=not args.quiet)


def _written(with_json: bool) -> list:
    return [name for name in COMPARE_FILES if with_json or name != "comparison.json"]


def _write_comparison(comparison, output_dir: Path, with_json: bool) -> None:
    """Write every file to a temporary folder next to ``output_dir``, then move them in: on
    an error nothing of this comparison is left behind."""
    import json
    import shutil

    import matplotlib

    matplotlib.use("Agg")  # no window: files only
    import matplotlib.pyplot as plt

    from tabaug.report.figures import plot_distributions, plot_forest
    from tabaug.report.sentences import comparison_conclusions
    from tabaug.report.tables import summary_table

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}."))
    try:
        (staging / "figures").mkdir()
        comparison.summary.to_csv(staging / "comparison.csv", index=False)
        comparison.differences.to_csv(staging / "paired_differences.csv", index=False)
        comparison.results.to_csv(staging / "per_split.csv", index=False)
        key = comparison.metrics[0]
        for name, draw in (("distributions", lambda ax: plot_distributions(
                comparison.results, key, ax=ax)), ("forest_plot", lambda ax: plot_forest(
                comparison.differences, key, ax=ax))):
            fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
            draw(ax)
            ax.set_title(f"{key} on the test rows of {comparison.settings['n_splits']} splits")
            fig.savefig(staging / "figures" / f"{name}.png", dpi=120)
            plt.close(fig)
        if with_json:
            document = {
                "settings": {**comparison.settings,
                             "classes": {str(k): v for k, v in
                                         comparison.settings["classes"].items()}},
                "table": json.loads(summary_table(comparison).to_json(orient="index")),
                "summary": comparison.summary.to_dict(orient="records"),
                "paired_differences": comparison.differences.to_dict(orient="records"),
                "conclusions": comparison_conclusions(comparison),
            }
            (staging / "comparison.json").write_text(json.dumps(document, indent=2,
                                                                default=str))
        output_dir.mkdir(exist_ok=True)
        (output_dir / "figures").mkdir(exist_ok=True)
        for name in _written(with_json):
            os.replace(staging / name, output_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
