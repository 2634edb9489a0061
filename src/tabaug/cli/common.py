"""What the commands share: exit statuses, the table and split arguments, progress bars,
notes and warnings on standard error, and failing with a message that names the fix."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

__all__ = [
    "add_split_arguments", "add_table_arguments", "check_input", "DATA_ERROR", "DEFAULT_SEED",
    "fail", "note", "OK", "parse_sampling_strategy", "parse_seed", "positive_int",
    "progress_bar", "report_notes", "show_warning", "USAGE_ERROR",
]

#: Exit statuses.
OK, DATA_ERROR, USAGE_ERROR = 0, 1, 2


#: Default of ``--seed``: runs are reproducible unless asked otherwise.
DEFAULT_SEED = 0


def add_table_arguments(command, what: str) -> None:
    """INPUT and --target, which every command takes."""
    command.add_argument("input", metavar="INPUT", type=Path,
                         help=f"{what} (comma-separated, a header row)")
    command.add_argument("--target", required=True, metavar="COLUMN",
                         help="the column that holds the classes (required)")


def parse_sampling_strategy(text: str):
    """``--sampling-strategy``'s value: a strategy name, a float, or ``{label: rows}``."""
    from tabaug.sampling.balance import SAMPLING_STRATEGIES

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


def check_input(source: Path) -> None:
    """Refuse an INPUT that is missing or a folder, naming the fix."""
    from tabaug.errors import DataError

    if not source.exists():
        raise DataError(
            f"input file not found: '{source}'. Check the path (a relative path is read from "
            f"the current folder, '{Path.cwd()}').")
    if source.is_dir():
        raise DataError(f"INPUT '{source}' is a folder: give the path of a CSV file in it.")


def add_split_arguments(command) -> None:
    """``--seed`` and ``--n-jobs`` of the commands that run repeated random splits."""
    command.add_argument("--seed", type=parse_seed, default=DEFAULT_SEED, metavar="INT",
                         help=f"split i uses seed INT + i (default: {DEFAULT_SEED})")
    command.add_argument("--n-jobs", type=int, default=-1, metavar="N",
                         help="splits run in parallel on N cores (default -1: every core)")


def positive_int(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        return value
    return parse


def progress_bar(quiet: bool):
    from tqdm import tqdm

    # Steps: read, check, one per generator trained (added by balance_table), write.
    return tqdm(total=3, desc="starting", unit="step", disable=quiet, file=sys.stderr,
                bar_format="{desc:<36} {bar} {n_fmt}/{total_fmt} steps [{elapsed}]",
                dynamic_ncols=True)


def note(message: str) -> None:
    from tqdm import tqdm

    tqdm.write(f"note: {message}", file=sys.stderr)


def show_warning(message, category, filename, lineno, file=None, line=None):
    from tqdm import tqdm

    tqdm.write(f"warning: {message}", file=sys.stderr)


def fail(bar, error) -> int:
    if bar is not None:  # the bar goes: the message is what matters
        bar.leave = False
        bar.close()
    print(f"error: {error}", file=sys.stderr)
    return DATA_ERROR


def report_notes(results, quiet=False) -> None:
    """Each method's notes (what the study changed, e.g. a smaller minibatch; not with
    ``quiet``) and the warnings its samplers raised in the parallel workers, once each, on
    standard error."""
    for column, label in (("note", "note"), ("warnings", "warning"))[quiet:]:
        if column not in results:
            continue
        said = results.loc[results[column].fillna("") != "", ["method", column]]
        for method, text in said.drop_duplicates().itertuples(index=False):
            print(f"{label}: {method}: {text}", file=sys.stderr)
