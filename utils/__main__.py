"""``python -m utils``: the command line of :mod:`utils.cli` (``python -m utils --help``)."""

from utils.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
