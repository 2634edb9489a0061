"""Results that survive an interruption: a CSV file of result rows, appended to as splits
finish, that the study and the benchmark both keep (:class:`ResultsFile`).

A row is named by :data:`KEY`: its table, classifier, method, split and imbalance ratio; a
results file holds each combination once, so a rerun after an interruption computes only the
combinations it lacks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from tabaug.errors import DataError
from tabaug.experiments.evaluate import classifiers_for
from tabaug.experiments.protocol import Protocol

__all__ = [
    "append_rows", "KEY", "missing_methods", "read_rows", "results_file_name", "ResultsFile",
    "ratio_text", "row_key", "TEXT_COLUMNS",
]

#: The columns that name one result row; a results file holds each combination once.
KEY = ["dataset", "classifier", "method", "split", "ratio"]
#: Columns of text, read back as text (an empty note is missing, not a number; a ratio is
#: "natural" or a number).
TEXT_COLUMNS = ["dataset", "classifier", "method", "ratio", "note", "warnings", "error"]


def ratio_text(ratio) -> str:
    """An imbalance ratio as a results file writes it: "natural", or the number (5 and 5.0
    are both "5")."""
    if ratio is None or str(ratio) == "natural":
        return "natural"
    return f"{float(ratio):g}"


def missing_methods(done, dataset, split, ratio, methods, classifiers) -> list:
    """The methods of ``methods`` that still lack a row of ``dataset``, ``split`` and ``ratio``
    in ``done`` (:meth:`ResultsFile.done`) with one of the classifiers they pair with."""
    return [method for method in methods if any(
        (dataset, classifier, method, split, ratio_text(ratio)) not in done
        for classifier in classifiers_for(method, classifiers))]


def row_key(row: dict) -> tuple:
    """The (dataset, classifier, method, split, ratio) of a result row, in one spelling
    whether the row was just made or read back from a file."""
    return (str(row["dataset"]), str(row["classifier"]), str(row["method"]), int(row["split"]),
            ratio_text(row.get("ratio")))


def results_file_name(protocol: Protocol) -> str:
    """A results file name that says its protocol, so that runs of other settings (another
    seed, say) each keep their own file and resume it."""
    name = (f"results_seed{protocol.seed}_train{protocol.train_size:g}"
            f"_validation{protocol.validation_share:g}_specificity{protocol.specificity:g}")
    default = Protocol()
    for setting in ("scoring", "refit", "tune_threshold", "threshold_share", "sampling_strategy"):
        if getattr(protocol, setting) != getattr(default, setting):
            name += f"_{setting}{getattr(protocol, setting)}".replace(" ", "")
    return name + ".csv"


class ResultsFile:
    """A CSV file of result rows, appended to as splits finish, with the protocol beside it
    (``<name>.json``). Reopened with the same protocol, it says which splits are done; with
    another, it refuses (mixing protocols would mix incomparable numbers).

    Parameters
    ----------
    path : str or Path
        The CSV file; its folder is made if missing.
    protocol : Protocol
        The :class:`~tabaug.experiments.protocol.Protocol` of the rows.

    Raises
    ------
    DataError
        If the file holds results of another protocol.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from tabaug.experiments import Protocol
    >>> from tabaug.experiments.results import ResultsFile
    >>> folder = tempfile.TemporaryDirectory()
    >>> store = ResultsFile(Path(folder.name) / "results.csv", Protocol())
    >>> store.append([{"dataset": "toy", "classifier": "LR", "method": "RO", "split": 0,
    ...                "pr_auc": 0.8}])
    >>> store.done()
    {('toy', 'LR', 'RO', 0, 'natural')}
    >>> ResultsFile(Path(folder.name) / "results.csv", Protocol(seed=1))
    Traceback (most recent call last):
    ...
    tabaug.errors.DataError: ...results.csv holds results of another protocol (...
    >>> folder.cleanup()
    """

    def __init__(self, path, protocol: Protocol):
        self.path = Path(path)
        self.settings_path = self.path.with_suffix(".json")
        self.protocol = protocol
        self._check_protocol()

    def _check_protocol(self):
        wanted = self.protocol.settings()
        if self.settings_path.exists():
            found = json.loads(self.settings_path.read_text())
            # an older file lacks the settings added since: they had their defaults then
            if Protocol.from_settings(found) != self.protocol and self.path.exists():
                raise DataError(
                    f"{self.path} holds results of another protocol ({found}); this run asks "
                    f"for {wanted}. Use another results file, or delete this one to start over.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.settings_path.write_text(json.dumps(wanted, indent=2) + "\n")

    def read(self) -> pd.DataFrame:
        """The rows written so far (a last line cut short by an interruption is dropped).

        Returns
        -------
        DataFrame
            One row per result; the text columns (:data:`TEXT_COLUMNS`) read as text.
        """
        table = read_rows(self.path, KEY, TEXT_COLUMNS)
        if "ratio" not in table:  # written before the rows said their ratio: all natural
            table.insert(table.columns.get_loc("split") + 1, "ratio", "natural")
        return table

    def done(self) -> set:
        """The (dataset, classifier, method, split, ratio) combinations already measured.

        Returns
        -------
        set of tuple
            :func:`row_key` of every row of the file.
        """
        return {row_key(row) for row in self.read().to_dict("records")}

    def append(self, rows: list) -> None:
        """Add the rows of one split, whole: written, flushed and synced at once.

        Parameters
        ----------
        rows : list of dict
            Result rows, such as :func:`~tabaug.experiments.evaluate.evaluate_split` returns;
            once the file has rows, they may hold no column the file lacks.
        """
        if not rows:
            return
        frame = pd.DataFrame(rows)
        header = not self.path.exists() or not self.path.stat().st_size
        if not header:  # keep the file's columns and order; never drop a measured column
            columns = pd.read_csv(self.path, nrows=0).columns
            unknown = sorted(set(frame.columns) - set(columns))
            if unknown:
                raise DataError(
                    f"{self.path} has no columns {unknown}: it was written by another version "
                    "of tabaug. Use another results file, or delete this one to start over.")
            frame = frame.reindex(columns=columns)
        append_rows(self.path, frame)


def read_rows(path: Path, columns, text_columns) -> pd.DataFrame:
    """The rows of the CSV file ``path`` (none, with ``columns``, if it is missing or empty),
    ``text_columns`` read as text. A last line cut short by an interruption is dropped from
    the file: the rows of a task are appended whole, so what remains is whole tasks."""
    if not path.exists() or not path.stat().st_size:
        return pd.DataFrame(columns=columns)
    text = path.read_text()
    if not text.endswith("\n"):  # killed while writing: keep the whole lines
        path.write_text(text[:text.rfind("\n") + 1])
    return pd.read_csv(path, dtype={column: str for column in text_columns})


def append_rows(path: Path, frame: pd.DataFrame) -> None:
    """Append ``frame``'s rows to the CSV file ``path`` (with a header if it is new or empty),
    written, flushed and synced at once, so that an interruption loses no finished rows."""
    header = not path.exists() or not path.stat().st_size
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(frame.to_csv(index=False, header=header))
        handle.flush()
        os.fsync(handle.fileno())
