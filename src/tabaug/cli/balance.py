"""``tabaug balance``: a CSV file balanced with generated rows
(:func:`tabaug.sampling.balance.balance_table`), written atomically, its columns as they came."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import textwrap
import warnings
from pathlib import Path

from tabaug.cli.common import (
    DEFAULT_SEED,
    OK,
    add_table_arguments,
    check_input,
    fail,
    note,
    parse_sampling_strategy,
    parse_seed,
    progress_bar,
    show_warning,
)
from tabaug.generators.choice import AUTO
from tabaug.generators.quiet import generator_class_quietly

__all__ = ["add_balance_command", "GENERATED_COLUMN", "run_balance"]

#: Default name of the column that ``--mark-generated`` adds.
GENERATED_COLUMN = "generated"


def add_balance_command(subparsers) -> None:
    from tabaug.generators import available_generators

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
            "  %(prog)s utils/examples/patients.csv --target outcome \\\n"
            "      --id-columns patient_id --output balanced.csv\n"
            "  %(prog)s data.csv --target diagnosis --output out.csv \\\n"
            "      --sampling-strategy M=300 --mark-generated --seed 1 --overwrite\n\n"
            "exit status: 0 it worked; 1 the data or a setting cannot be used (a message\n"
            "names the problem and its fix; nothing is written); 2 a wrong command line."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_table_arguments(command, "the CSV file to balance")
    command.add_argument("--output", required=True, metavar="OUTPUT", type=Path,
                         help="the CSV file to write (required); refused if it exists, unless "
                              "--overwrite, and if it is INPUT")
    command.add_argument(
        "--generator", default="gaussian-copula", choices=[*generators, AUTO], metavar="NAME",
        help="the generator that makes the new rows, one of: " + ", ".join(generators)
             + "; or auto, chosen per class from its rows and columns by a stated rule "
               "(tabaug.generators.choice). Default: gaussian-copula (a Gaussian copula: no "
               "network, a second or less; on the generator benchmark's evaluation classes "
               "no other generator made rows shown closer to real ones); the networks train "
               "for seconds to minutes, one per class (conditional-gan: one for all classes)")
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


def run_balance(args) -> int:
    """``tabaug balance``: read, check, balance, write; return the exit status."""
    from tabaug.errors import DataError, ParameterError

    bar = None
    try:
        _check_paths(args.input, args.output, args.overwrite)
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            bar = progress_bar(args.quiet)
            balanced, report = _balance(args, bar)
    except (DataError, ParameterError, ImportError) as error:  # ImportError: a missing extra
        return fail(bar, error)
    except OSError as error:  # writing: permissions, a full disk, ...
        return fail(bar, f"could not write '{args.output}': {error.strerror or error}. "
                          "Check the folder's permissions and free space.")
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(report.reset_index().to_string(index=False))
        print(f"Wrote {len(balanced)} rows to {args.output}: {report.loc['total', 'before']} "
              f"from {args.input} and {report.loc['total', 'generated']} generated by "
              f"{_generated_by(args.generator, balanced.attrs.get('generators', {}))} "
              f"(seed {args.seed}).")
    return OK


def _generated_by(asked: str, choices: dict) -> str:
    """The generator's name, or with ``auto`` what the rule chose for each class, and why."""
    if asked != AUTO or not choices:
        return asked
    names = {choice.name for choice in choices.values()}
    if len(names) == 1:
        choice = next(iter(choices.values()))
        return f"{choice.name}, chosen by --generator auto: {choice.reason}"
    return "--generator auto's choices: " + "; ".join(
        f"{choice.name} for class {label!r}: {choice.reason}" for label, choice in choices.items())


def _balance(args, bar):
    from tabaug.data.reading import read_csv_dataset, read_header
    from tabaug.errors import DataError, ParameterError
    from tabaug.sampling.balance import balance_report, balance_table, check_balance

    bar.set_description("reading")
    with contextlib.redirect_stdout(io.StringIO()):  # its note on empty columns: ours below
        frame = read_csv_dataset(args.input)
    header = read_header(args.input)
    frame, empty = _with_empty_columns(frame, header)
    if empty and not args.quiet:
        note(f"column(s) {empty} hold no value: they are not learned, and stay empty in "
              "OUTPUT (generated rows included)")
    bar.update(1)

    bar.set_description("checking")
    check_balance(frame, args.target, sampling_strategy=args.sampling_strategy,
                  id_columns=args.id_columns, generated_column=args.mark_generated)
    whole = _whole_number_columns(args.input, frame)
    bar.set_description("loading the generator")
    if args.generator != AUTO:  # auto's generators load when chosen (the copula needs no TF)
        generator_class_quietly(args.generator)  # TensorFlow's start-up lines silenced
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


def _check_paths(source: Path, output: Path, overwrite: bool) -> None:
    """Refuse, before any work, an output that would be lost or would destroy something."""
    from tabaug.errors import DataError

    check_input(source)
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
    from tabaug.errors import DataError

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
