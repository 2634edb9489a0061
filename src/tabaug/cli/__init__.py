"""The command line: ``tabaug COMMAND ...`` (``tabaug --help`` lists them); ``python -m tabaug``
and the course's ``python -m utils`` are the same command.

``balance`` writes a CSV file balanced with generated rows
(:func:`tabaug.sampling.balance.balance_table`)::

    tabaug balance utils/examples/patients.csv --target outcome \\
        --id-columns patient_id --output balanced.csv

``compare`` runs notebook 06's repeated-split comparison of augmentation methods on a CSV file
(:func:`tabaug.experiments.compare.compare_methods`) and writes its tables and figures to a folder::

    tabaug compare utils/examples/patients.csv --target outcome \\
        --id-columns patient_id --output-dir comparison --json

Exit status: 0 when it worked, 1 when the data or a setting cannot be used (a message on
standard error names the problem and its fix, and no output file is written), 2 when the
command line itself is wrong (argparse's usage errors).

A command is a module of this package (:mod:`~tabaug.cli.balance`, :mod:`~tabaug.cli.compare`,
:mod:`~tabaug.cli.benchmark`) with a function ``add_<name>_command(subparsers)`` that adds its
parser and sets ``func`` to the function that runs it (``args -> exit status``);
:data:`COMMANDS` lists them. What they share is in :mod:`~tabaug.cli.common`.
"""

from __future__ import annotations

import argparse
import os
import sys

from tabaug.cli.balance import add_balance_command
from tabaug.cli.benchmark import add_benchmark_command
from tabaug.cli.common import USAGE_ERROR
from tabaug.cli.compare import add_compare_command

__all__ = ["COMMANDS", "build_parser", "main"]

#: The commands, in the order ``--help`` lists them.
COMMANDS = [add_balance_command, add_compare_command, add_benchmark_command]


def main(argv=None, prog=None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status.
    ``prog`` is the command's name in messages (default: the name it was started by)."""
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2, message already printed)
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    return args.func(args)


def build_parser(prog=None) -> argparse.ArgumentParser:
    prog = prog or os.path.basename(sys.argv[0]) or "tabaug"
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Tools of the GAN data-augmentation tutorial for your own tables.",
        epilog=f"Run '{prog} COMMAND --help' for a command's options. Exit status: 0 "
               "it worked, 1 the data or a setting cannot be used, 2 a wrong command line.")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                       required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser
