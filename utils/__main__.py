"""``python -m utils``: the toolkit's command line (:mod:`tabaug.cli`), as README's course
commands call it; ``tabaug`` and ``python -m tabaug`` are the same."""

from tabaug.cli import main

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m utils"))
