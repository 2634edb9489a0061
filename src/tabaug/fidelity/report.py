"""Judge generated ("synthetic") minority rows against real ones: the report that combines
the two-sample test (:mod:`~tabaug.fidelity.two_sample`) and the distances
(:mod:`~tabaug.fidelity.distances`), its warnings, and the project's targets.

Better test scores after augmentation do not show that the generated rows are good rows. This
module asks three questions of them, always against the real rows the generator was trained on:

1. Fidelity: are they realistic? A classifier two-sample test (C2ST) tries to tell generated
   rows from real ones (ROC AUC 0.5 = it cannot); per-feature distances (Kolmogorov-Smirnov,
   Wasserstein) and the difference of the correlation matrices show where they differ.
2. Diversity: are they varied? Repeated rows and a much smaller spread than the real rows are
   signs of mode collapse (the generator makes the same few rows again and again).
3. Privacy: are they not near-copies of training patients? The distance of each generated row to
   its closest training row (DCR) is compared with that of real held-out rows, patients the
   generator never saw: generated rows much closer than those copy training patients.

Rows are numeric 2-D arrays (n_rows, n_features), e.g. min-max scaled to [0, 1]; pandas
DataFrames are accepted too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tabaug.errors import DataError
from tabaug.fidelity.distances import (
    correlation_distance,
    distance_to_closest,
    duplicate_fraction,
    feature_distances,
    variance_ratio,
)
from tabaug.fidelity.two_sample import as_pair, as_rows, c2st_auc, c2st_by_source

__all__ = [
    "C2ST_TARGET", "checked_sources", "DCR_RATIO_TARGET", "EXACT_COPY_DISTANCE",
    "fidelity_distances", "fidelity_report", "fidelity_warnings", "REFERENCE", "REPORT_COLUMNS",
    "source_metrics", "target_check",
]

#: The project's target: a C2ST ROC AUC at most this high counts as realistic.
C2ST_TARGET = 0.65
#: The project's target: generated rows' median distance to the closest training row should be
#: at least this share of the real held-out rows' median distance.
DCR_RATIO_TARGET = 0.8
#: Name of the reference row of :func:`fidelity_report`: the real held-out rows themselves.
REFERENCE = "Real held-out"
#: Distance below which a row counts as an exact copy of a training row.
EXACT_COPY_DISTANCE = 1e-9

REPORT_COLUMNS = [
    "rows", "c2st_auc", "mean_ks", "max_ks", "mean_wasserstein", "correlation_distance",
    "duplicate_fraction", "variance_ratio", "median_dcr", "dcr_ratio", "near_copy_fraction",
    "exact_copies",
]


# --- input checks -----------------------------------------------------------------------------


# --- fidelity ---------------------------------------------------------------------------------


# --- diversity --------------------------------------------------------------------------------


# --- privacy ----------------------------------------------------------------------------------


# --- report -----------------------------------------------------------------------------------
def checked_sources(train_rows, held_out_rows, synthetic):
    """The training rows and ``{"Real held-out": held_out_rows, **synthetic}`` as checked
    arrays with the training rows' features (see :func:`as_pair`)."""
    if REFERENCE in synthetic:
        raise DataError(f"'{REFERENCE}' names the reference row of the report; rename that "
                        "synthetic source.")
    train = as_rows(train_rows, "train_rows")
    sources = {REFERENCE: held_out_rows, **synthetic}
    return train, {name: as_pair(train, rows, names=("train_rows", name))[1]
                   for name, rows in sources.items()}


def source_metrics(train, rows, dcr, near_copy_distance, c2st) -> dict:
    """The report's columns (all but ``dcr_ratio``) for one source's rows, whose two-sample
    test gave ``c2st``."""
    features = feature_distances(train, rows)
    return {
        "rows": len(rows),
        "c2st_auc": c2st,
        "mean_ks": features["ks"].mean(),
        "max_ks": features["ks"].max(),
        "mean_wasserstein": features["wasserstein"].mean(),
        "correlation_distance": correlation_distance(train, rows),
        "duplicate_fraction": duplicate_fraction(rows),
        "variance_ratio": variance_ratio(train, rows),
        "median_dcr": float(np.median(dcr)),
        "near_copy_fraction": float(np.mean(dcr < near_copy_distance)),
        "exact_copies": int(np.sum(dcr < EXACT_COPY_DISTANCE)),
    }


def fidelity_report(train_rows, held_out_rows, synthetic, random_state=0,
                    near_copy_quantile=0.05, n_splits=5, n_repeats=5, n_jobs=1) -> pd.DataFrame:
    """One row of fidelity, diversity and privacy measures per source of generated rows.

    The first row, ``"Real held-out"``, measures ``held_out_rows`` themselves: real patients the
    generator never saw, i.e. what "realistic" looks like.

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generators were trained on; every source is compared with them.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows the generators never saw: the reference row of the report.
    synthetic : dict
        Maps a source name to its rows (any name but ``"Real held-out"``).
    random_state : int, default=0
        Seeds the two-sample test of every source.
    near_copy_quantile : float, default=0.05
        The quantile of the held-out rows' distances to the closest training row below which a
        row counts as a near-copy.
    n_splits, n_repeats, n_jobs : int
        Go to :func:`c2st_auc` (by default 5, 5 and 1).

    Returns
    -------
    DataFrame
        One row per source (the index ``source``), ``"Real held-out"`` first, and the columns of
        :data:`REPORT_COLUMNS`. ``dcr_ratio`` divides a source's median distance to the closest
        training row by the held-out rows' one; ``near_copy_fraction`` is the share of rows
        closer to a training row than the ``near_copy_quantile`` quantile of the held-out rows'
        distances (that distance is in ``report.attrs["near_copy_distance"]``).

    Examples
    --------
    Near-copies of training rows fool the two-sample test (an AUC below 0.5) but not the
    distances (``dcr_ratio`` near 0); shifted rows are told apart:

    >>> import numpy as np
    >>> from tabaug.fidelity import fidelity_report
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> sources = {"copies": train[:20] + 1e-3, "shifted": rng.normal(size=(20, 3)) + 1.5}
    >>> report = fidelity_report(train, held_out, sources, n_splits=3, n_repeats=1)
    >>> report[["c2st_auc", "dcr_ratio"]].round(2)
                   c2st_auc  dcr_ratio
    source
    Real held-out      0.52        1.0
    copies             0.23        0.0
    shifted            0.95        1.7
    """
    train, sources = checked_sources(train_rows, held_out_rows, synthetic)
    distances = fidelity_distances(train, held_out_rows, synthetic)
    near_copy_distance = float(np.quantile(distances[REFERENCE], near_copy_quantile))
    c2st = c2st_by_source(train, sources, n_splits, n_repeats, random_state, n_jobs)
    report = pd.DataFrame.from_dict(
        {name: source_metrics(train, rows, distances[name], near_copy_distance, c2st[name])
         for name, rows in sources.items()},
        orient="index")
    report["dcr_ratio"] = report["median_dcr"] / report.loc[REFERENCE, "median_dcr"]
    report = report[REPORT_COLUMNS].rename_axis("source")
    report.attrs.update(near_copy_distance=near_copy_distance,
                        near_copy_quantile=near_copy_quantile)
    return report


def fidelity_warnings(report, c2st_max=C2ST_TARGET, dcr_ratio_min=DCR_RATIO_TARGET,
                      duplicate_max=0.01, variance_ratio_min=0.5, near_copy_max=None) -> list:
    """Plain-language alarms from a :func:`fidelity_report`, one string per problem found.

    Parameters
    ----------
    report : DataFrame
        A :func:`fidelity_report`; its ``"Real held-out"`` reference row is skipped.
    c2st_max : float, default=C2ST_TARGET
        Alarm when a source's ``c2st_auc`` is above it: a classifier tells its rows from real
        ones.
    dcr_ratio_min : float, default=DCR_RATIO_TARGET
        Alarm when ``dcr_ratio`` is below it: near-copies, a privacy concern.
    duplicate_max : float, default=0.01
        Alarm when ``duplicate_fraction`` is above it: mode collapse or copies.
    variance_ratio_min : float, default=0.5
        Alarm when ``variance_ratio`` is below it: mode collapse.
    near_copy_max : float or None, default=None
        Alarm when ``near_copy_fraction`` is above it: near-copies. None: four times the
        report's near-copy quantile. Real held-out rows give about that quantile by
        construction, but with a few dozen held-out rows the cut-off rests on two or three
        patients: on WDBC, rows of real unseen patients exceeded twice the quantile in about a
        quarter of random splits, and four times it in about one in twenty.

    Returns
    -------
    list of str
        One alarm per problem found, each naming the source, the value and the threshold; an
        empty list means no alarm.

    Examples
    --------
    The measures that the alarms read, from :func:`fidelity_report`'s example:

    >>> import pandas as pd
    >>> from tabaug.fidelity import fidelity_warnings
    >>> report = pd.DataFrame(
    ...     {"c2st_auc": [0.52, 0.23, 0.95], "dcr_ratio": [1.0, 0.0, 1.7],
    ...      "near_copy_fraction": [0.05, 1.0, 0.05], "duplicate_fraction": [0.0, 0.0, 0.0],
    ...      "variance_ratio": [1.39, 0.85, 1.12]},
    ...     index=["Real held-out", "copies", "shifted"])
    >>> for alarm in fidelity_warnings(report):
    ...     print(alarm)
    copies: rows sit close to training patients (median distance 0.00 of real held-out rows',
      below 0.80): near-copies, a privacy concern
    copies: 100% of rows are nearer to a training row than 95% of real held-out rows are
      (above 20%): near-copies, a privacy concern
    shifted: a classifier tells its rows from real training rows (C2ST ROC AUC 0.95 > 0.65)
    """
    quantile = report.attrs.get("near_copy_quantile", 0.05)
    near_copy_max = 4 * quantile if near_copy_max is None else near_copy_max
    checks = [  # column, limit, True if values above the limit are alarms, message
        ("c2st_auc", c2st_max, True, "a classifier tells its rows from real training rows "
         "(C2ST ROC AUC {value:.2f} > {limit:.2f})"),
        ("dcr_ratio", dcr_ratio_min, False, "rows sit close to training patients (median "
         "distance {value:.2f} of real held-out rows', below {limit:.2f}): near-copies, a "
         "privacy concern"),
        ("near_copy_fraction", near_copy_max, True, "{value:.0%} of rows are nearer to a "
         "training row than {share:.0%} of real held-out rows are (above {limit:.0%}): "
         "near-copies, a privacy concern"),
        ("duplicate_fraction", duplicate_max, True, "{value:.1%} of rows repeat an earlier row "
         "(above {limit:.0%}): mode collapse or copies"),
        ("variance_ratio", variance_ratio_min, False, "mode collapse: rows vary less than real "
         "ones (median variance ratio {value:.2f}, below {limit:.2f})"),
    ]
    alarms = []
    for name, row in report.drop(index=REFERENCE, errors="ignore").iterrows():
        for column, limit, above, message in checks:
            value = row[column]
            if (value > limit) if above else (value < limit):
                details = message.format(value=value, limit=limit, share=1 - quantile)
                alarms.append(f"{name}: {details}")
    return alarms


def target_check(train_rows, held_out_rows, rows, c2st_max=C2ST_TARGET,
                 dcr_ratio_min=DCR_RATIO_TARGET, **c2st_options) -> dict:
    """The project's two targets for generated rows, measured: realistic (C2ST ROC AUC at most
    ``c2st_max``) and not near-copies (median distance to the closest training row at least
    ``dcr_ratio_min`` times that of the real held-out rows).

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows the generator never saw, whose distances set the privacy target.
    rows : array-like of shape (n_rows, n_features)
        The generated rows.
    c2st_max : float, default=C2ST_TARGET
        The highest C2ST ROC AUC that counts as realistic.
    dcr_ratio_min : float, default=DCR_RATIO_TARGET
        The lowest ratio of median distances that counts as not near-copies.
    **c2st_options
        Keyword arguments of :func:`c2st_auc` (``n_splits``, ``n_repeats``, ``random_state``,
        ``n_jobs``).

    Returns
    -------
    dict
        ``c2st_auc`` (float), ``dcr_ratio`` (float: the rows' median distance to the closest
        training row over the held-out rows' one) and ``on_target`` (bool: both targets met).

    Examples
    --------
    Near-copies of training rows fail, though a classifier cannot tell them from real rows:

    >>> import numpy as np
    >>> from tabaug.fidelity import target_check
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> check = target_check(train, held_out, train[:20] + 1e-3, n_splits=3, n_repeats=1)
    >>> check["on_target"], round(check["dcr_ratio"], 3)
    (False, 0.003)
    """
    train, rows = as_pair(train_rows, rows, names=("train_rows", "rows"))
    held_out = as_pair(train, held_out_rows, names=("train_rows", "held_out_rows"))[1]
    auc = c2st_auc(train, rows, **c2st_options)
    ratio = float(np.median(distance_to_closest(train, rows))
                  / np.median(distance_to_closest(train, held_out)))
    return {"c2st_auc": auc, "dcr_ratio": ratio,
            "on_target": bool(auc <= c2st_max and ratio >= dcr_ratio_min)}


def fidelity_distances(train_rows, held_out_rows, synthetic) -> dict:
    """Distance of each row to its closest training row, for the real held-out rows (under
    ``"Real held-out"``) and then for each source of the dict ``synthetic``."""
    train, sources = checked_sources(train_rows, held_out_rows, synthetic)
    return {name: distance_to_closest(train, rows) for name, rows in sources.items()}
