"""Which generator to use for a class, by a stated rule from its size and columns.

``GenerativeOverSampler(generator="auto")`` and ``python -m utils balance --generator auto``
ask :func:`choose_generator` for each class they over-sample. The rule follows the evidence of
the generator benchmark's evaluation run (README's generator table; its rows are kept in
``docs/results/generators-eval/``), and only that evidence: a trained generator is chosen for
classes like the benchmark's only when its two-sample score against held-out rows was lower
than the Gaussian copula's with a 95% interval that excludes no difference. On the 27
evaluation classes (17 to 429 rows, 4 to 34 columns, 13 sources), none was (README's table
gives each difference and its interval), and the copula fits in about a hundredth of a second
where the trained models take seconds. Beyond the benchmark's sizes there is no evidence for
any trained generator, and the copula's cost grows least with the rows. So the rule gives the
copula at every size and every number of columns today; a test (``tests/test_scripts.py``)
checks it against the kept run, so that a run that supports another generator makes this rule
change with it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AUTO", "BENCHMARK_CLASS_ROWS", "Choice", "choose_generator"]

#: The generator name that asks for the rule.
AUTO = "auto"
#: The class sizes of the generator benchmark (rows before its halves are cut), on which the
#: evidence was gathered.
BENCHMARK_CLASS_ROWS = (16, 500)


@dataclass(frozen=True)
class Choice:
    """A generator's registered name, and why the rule chose it."""

    name: str
    reason: str


def choose_generator(n_rows: int, n_columns: int) -> Choice:
    """The generator for a class of ``n_rows`` rows and ``n_columns`` columns.

    Parameters
    ----------
    n_rows : int
        Rows of the class the generator learns.
    n_columns : int
        Columns it learns (the feature columns).

    Returns
    -------
    Choice
        The registered name and the reason, in words a user can be shown.

    Examples
    --------
    >>> from tabaug.generators.choice import choose_generator
    >>> choose_generator(60, 12).name
    'gaussian-copula'
    """
    if int(n_rows) < 1 or int(n_columns) < 1:
        raise ValueError(f"A class to learn needs rows and columns; got {n_rows} rows and "
                         f"{n_columns} columns.")
    low, high = BENCHMARK_CLASS_ROWS
    if n_rows > high:
        return Choice("gaussian-copula", f"a class of {n_rows} rows is larger than the "
                      f"generator benchmark's, of {low} to {high} rows: no evidence there for "
                      "a trained generator, and the Gaussian copula's cost grows least with "
                      "the rows")
    return Choice("gaussian-copula", "on the generator benchmark's evaluation classes of "
                  f"{low} to {high} rows, no trained generator made rows closer to held-out "
                  "real rows than the Gaussian copula with an interval that excludes no "
                  "difference, and it fits in a fraction of a second; see README's generator "
                  "table")
