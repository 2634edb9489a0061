"""``python -m tabaug``: the command line of :mod:`tabaug.cli` (``python -m tabaug --help``)."""

from tabaug.cli import main

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m tabaug"))
