"""Judge generated ("synthetic") minority rows against real ones: the report that combines
the two-sample test (:mod:`~tabaug.fidelity.two_sample`), the memorisation test
(:mod:`~tabaug.fidelity.held_out`) and the distances (:mod:`~tabaug.fidelity.distances`), its
warnings, and the project's targets.

Better test scores after augmentation do not show that the generated rows are good rows. This
module asks three questions of them:

1. Fidelity: are they realistic? Judged against real **held-out** rows, rows of the class the
   generator never saw (a generator that copies its training rows would pass a test against
   those best). A classifier two-sample test (C2ST) tries to tell generated rows from them
   (ROC AUC 0.5 = it cannot); per-feature distances (Kolmogorov-Smirnov, Wasserstein) and the
   difference of the correlation matrices show where they differ. The report's reference row,
   the held-out rows against the training rows, is what real rows score.
2. Diversity: are they varied? Repeated rows and a much smaller spread than the real training
   rows are signs of mode collapse (the generator makes the same few rows again and again).
3. Memorisation and privacy: are they not copies of training patients? The share of generated
   rows whose nearest real row is a training row, tested against a perfect generator's
   (:func:`~tabaug.fidelity.held_out.closer_to_training`); the C2ST against the training rows
   beside the one against held-out rows (their gap); and the distance of each generated row to
   its closest training row (DCR) against that of the real held-out rows.

The targets are two-sided: too far from new real rows fails (:data:`C2ST_TARGET`), and too
close to the training rows fails (:data:`~tabaug.fidelity.held_out.MEMORISATION_LEVEL`).

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
from tabaug.fidelity.held_out import MEMORISATION_LEVEL, closer_to_training
from tabaug.fidelity.two_sample import C2ST_TARGET, as_pair, as_rows, c2st_auc, c2st_by_source

__all__ = [
    "C2ST_TARGET", "checked_sources", "DCR_RATIO_TARGET", "EXACT_COPY_DISTANCE",
    "fidelity_distances", "fidelity_report", "fidelity_warnings", "MEMORISATION_LEVEL",
    "on_target", "REFERENCE", "REPORT_COLUMNS", "source_metrics", "target_check",
    "TARGET_COLUMNS", "target_scores",
]

#: The project's privacy alarm: generated rows' median distance to the closest training row
#: should be at least this share of the real held-out rows' median distance.
DCR_RATIO_TARGET = 0.8
#: Name of the reference row of :func:`fidelity_report`: the real held-out rows themselves.
REFERENCE = "Real held-out"
#: Distance below which a row counts as an exact copy of a training row.
EXACT_COPY_DISTANCE = 1e-9

#: The columns of :func:`target_check` that the report shares: the two-sample test against
#: held-out rows (``c2st_auc``) and against training rows, their gap, and the memorisation test.
TARGET_COLUMNS = ["c2st_auc", "c2st_vs_train", "c2st_gap", "closer_share", "closer_p_value"]
REPORT_COLUMNS = [
    "rows", *TARGET_COLUMNS, "mean_ks", "max_ks", "mean_wasserstein", "correlation_distance",
    "duplicate_fraction", "variance_ratio", "median_dcr", "dcr_ratio", "near_copy_fraction",
    "exact_copies",
]


# --- the targets ------------------------------------------------------------------------------
def target_scores(train, held_out, sources, n_splits=5, n_repeats=5, random_state=0,
                  n_jobs=1) -> dict:
    """The :data:`TARGET_COLUMNS` of each source (name -> checked rows): its C2ST against the
    held-out rows and against the training rows (every source with the same folds' seeds, all
    fits in one pool), their gap, and the memorisation test."""
    vs_held_out = c2st_by_source(held_out, sources, n_splits, n_repeats, random_state, n_jobs)
    vs_train = c2st_by_source(train, sources, n_splits, n_repeats, random_state, n_jobs)
    scores = {}
    for name, rows in sources.items():
        closer = closer_to_training(train, held_out, rows, random_state=random_state)
        scores[name] = {"c2st_auc": vs_held_out[name], "c2st_vs_train": vs_train[name],
                        "c2st_gap": vs_train[name] - vs_held_out[name],
                        "closer_share": closer["share"], "closer_p_value": closer["p_value"]}
    return scores


def on_target(scores, c2st_max=C2ST_TARGET, level=MEMORISATION_LEVEL) -> dict:
    """The two-sided rule on a source's :data:`TARGET_COLUMNS`: ``realistic`` (C2ST against
    held-out rows at most ``c2st_max``), ``not_memorised`` (memorisation test's p-value at
    least ``level``) and ``on_target`` (both)."""
    realistic = bool(scores["c2st_auc"] <= c2st_max)
    not_memorised = bool(scores["closer_p_value"] >= level)
    return {"realistic": realistic, "not_memorised": not_memorised,
            "on_target": realistic and not_memorised}


# --- the report -------------------------------------------------------------------------------
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


def source_metrics(train, compared_with, rows, dcr, near_copy_distance) -> dict:
    """The report's distance columns for one source's rows: features and correlations against
    ``compared_with`` (the held-out rows; the training rows for the reference row), spread
    against the training rows, distances to the closest training row (``dcr``)."""
    features = feature_distances(compared_with, rows)
    return {
        "rows": len(rows),
        "mean_ks": features["ks"].mean(),
        "max_ks": features["ks"].max(),
        "mean_wasserstein": features["wasserstein"].mean(),
        "correlation_distance": correlation_distance(compared_with, rows),
        "duplicate_fraction": duplicate_fraction(rows),
        "variance_ratio": variance_ratio(train, rows),
        "median_dcr": float(np.median(dcr)),
        "near_copy_fraction": float(np.mean(dcr < near_copy_distance)),
        "exact_copies": int(np.sum(dcr < EXACT_COPY_DISTANCE)),
    }


def fidelity_report(train_rows, held_out_rows, synthetic, random_state=0,
                    near_copy_quantile=0.05, n_splits=5, n_repeats=5, n_jobs=1) -> pd.DataFrame:
    """One row of fidelity, memorisation, diversity and privacy measures per source of
    generated rows, judged against real rows the generators never saw.

    The first row, ``"Real held-out"``, measures ``held_out_rows`` against ``train_rows``: what
    real rows of the class score, the baseline of every column (a few dozen rows do not give a
    C2ST of exactly 0.5 or distances of 0).

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generators were trained on.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows of the same class the generators never saw: what each source is judged
        against, and the reference row of the report.
    synthetic : dict
        Maps a source name to its rows (any name but ``"Real held-out"``).
    random_state : int, default=0
        Seeds the two-sample tests and the memorisation test of every source.
    near_copy_quantile : float, default=0.05
        The quantile of the held-out rows' distances to the closest training row below which a
        row counts as a near-copy.
    n_splits, n_repeats, n_jobs : int
        Go to :func:`c2st_auc` (by default 5, 5 and 1).

    Returns
    -------
    DataFrame
        One row per source (the index ``source``), ``"Real held-out"`` first, and the columns of
        :data:`REPORT_COLUMNS`:

        - ``c2st_auc``: the C2ST ROC AUC against the held-out rows, the fidelity score (for the
          reference row: held-out against training rows); ``mean_ks``, ``max_ks``,
          ``mean_wasserstein`` and ``correlation_distance`` against the held-out rows too;
        - ``c2st_vs_train``: the C2ST against the training rows, and ``c2st_gap`` (it minus
          ``c2st_auc``): well below 0 when the rows resemble the training sample more than new
          real rows; ``closer_share`` and ``closer_p_value``: the memorisation test
          (:func:`~tabaug.fidelity.held_out.closer_to_training`). Missing for the reference row;
        - ``duplicate_fraction`` and ``variance_ratio`` (spread over the training rows' spread):
          mode collapse;
        - ``median_dcr``, ``dcr_ratio`` (a source's median distance to the closest training row
          over the held-out rows' one), ``near_copy_fraction`` (the share of rows closer to a
          training row than the ``near_copy_quantile`` quantile of the held-out rows'
          distances, in ``report.attrs["near_copy_distance"]``) and ``exact_copies``.

    Examples
    --------
    Near-copies of training rows fool a two-sample test against those rows (a low
    ``c2st_vs_train``) but not the memorisation test or the distances; shifted rows are told
    apart from new real rows:

    >>> import numpy as np
    >>> from tabaug.fidelity import fidelity_report
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> sources = {"copies": train[:20] + 1e-3, "shifted": rng.normal(size=(20, 3)) + 1.5}
    >>> report = fidelity_report(train, held_out, sources, n_splits=3, n_repeats=1)
    >>> report[["c2st_auc", "c2st_vs_train", "closer_p_value", "dcr_ratio"]].round(3)
                   c2st_auc  c2st_vs_train  closer_p_value  dcr_ratio
    source
    Real held-out     0.520          0.520             NaN      1.000
    copies            0.438          0.227           0.001      0.003
    shifted           0.920          0.952           0.154      1.697
    """
    train, sources = checked_sources(train_rows, held_out_rows, synthetic)
    held_out, synthetic = sources[REFERENCE], {name: rows for name, rows in sources.items()
                                               if name != REFERENCE}
    distances = fidelity_distances(train, held_out, synthetic)
    near_copy_distance = float(np.quantile(distances[REFERENCE], near_copy_quantile))
    metrics = {name: source_metrics(train, train if name == REFERENCE else held_out, rows,
                                    distances[name], near_copy_distance)
               for name, rows in sources.items()}
    baseline = c2st_auc(train, held_out, n_splits, n_repeats, random_state, n_jobs)
    metrics[REFERENCE].update(c2st_auc=baseline, c2st_vs_train=baseline)
    for name, scores in target_scores(train, held_out, synthetic, n_splits, n_repeats,
                                      random_state, n_jobs).items():
        metrics[name].update(scores)
    report = pd.DataFrame.from_dict(metrics, orient="index")
    report["dcr_ratio"] = report["median_dcr"] / report.loc[REFERENCE, "median_dcr"]
    report = report.reindex(columns=REPORT_COLUMNS).rename_axis("source")
    report.attrs.update(near_copy_distance=near_copy_distance,
                        near_copy_quantile=near_copy_quantile)
    return report


def fidelity_warnings(report, c2st_max=C2ST_TARGET, level=MEMORISATION_LEVEL,
                      dcr_ratio_min=DCR_RATIO_TARGET, duplicate_max=0.01, variance_ratio_min=0.5,
                      near_copy_max=None) -> list:
    """Plain-language alarms from a :func:`fidelity_report`, one string per problem found.

    Parameters
    ----------
    report : DataFrame
        A :func:`fidelity_report`; its ``"Real held-out"`` reference row is skipped.
    c2st_max : float, default=C2ST_TARGET
        Alarm when a source's ``c2st_auc`` (against held-out rows) is above it: a classifier
        tells its rows from real rows the generator never saw.
    level : float, default=MEMORISATION_LEVEL
        Alarm when ``closer_p_value`` is below it: more of its rows have a training row as
        their nearest real row than a perfect generator's would, i.e. memorising.
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
    ...     {"c2st_auc": [0.52, 0.44, 0.92], "closer_share": [None, 1.0, 0.55],
    ...      "closer_p_value": [None, 0.001, 0.154], "dcr_ratio": [1.0, 0.0, 1.7],
    ...      "near_copy_fraction": [0.05, 1.0, 0.05], "duplicate_fraction": [0.0, 0.0, 0.0],
    ...      "variance_ratio": [1.39, 0.85, 1.12]},
    ...     index=["Real held-out", "copies", "shifted"])
    >>> for alarm in fidelity_warnings(report):
    ...     print(alarm)
    copies: 100% of its rows have a training row as their nearest real row (p = 0.001 < 0.05):
      memorising, not learning the class
    copies: rows sit close to training patients (median distance 0.00 of real held-out rows',
      below 0.80): near-copies, a privacy concern
    copies: 100% of rows are nearer to a training row than 95% of real held-out rows are
      (above 20%): near-copies, a privacy concern
    shifted: a classifier tells its rows from real rows the generator never saw (C2ST ROC AUC
      0.92 > 0.65)
    """
    quantile = report.attrs.get("near_copy_quantile", 0.05)
    near_copy_max = 4 * quantile if near_copy_max is None else near_copy_max
    checks = [  # column, limit, True if values above the limit are alarms, message
        ("c2st_auc", c2st_max, True, "a classifier tells its rows from real rows the generator "
         "never saw (C2ST ROC AUC {value:.2f} > {limit:.2f})"),
        ("closer_p_value", level, False, "{closer_share:.0%} of its rows have a training row "
         "as their nearest real row (p = {value:.3f} < {limit}): memorising, not learning the "
         "class"),
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
    needed = [column for column, *_ in checks] + ["closer_share"]
    missing = [column for column in needed if column not in report.columns]
    if missing:
        raise DataError(f"The report has no column(s) {missing}; give the table that "
                        "fidelity_report returns (reports written before the memorisation "
                        "test have no closer_p_value: make the report again).")
    alarms = []
    for name, row in report.drop(index=REFERENCE, errors="ignore").iterrows():
        for column, limit, above, message in checks:
            value = row[column]
            if (value > limit) if above else (value < limit):
                details = message.format(value=value, limit=limit, share=1 - quantile,
                                         closer_share=row["closer_share"])
                alarms.append(f"{name}: {details}")
    return alarms


def target_check(train_rows, held_out_rows, rows, c2st_max=C2ST_TARGET, level=MEMORISATION_LEVEL,
                 **c2st_options) -> dict:
    """The project's two-sided target for generated rows, measured as :func:`fidelity_report`
    measures them: realistic (C2ST ROC AUC against real rows the generator never saw at most
    ``c2st_max``) and not memorised (the memorisation test's p-value at least ``level``).

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows of the same class the generator never saw.
    rows : array-like of shape (n_rows, n_features)
        The generated rows.
    c2st_max : float, default=C2ST_TARGET
        The highest C2ST ROC AUC against held-out rows that counts as realistic.
    level : float, default=MEMORISATION_LEVEL
        Level of the memorisation test (:func:`~tabaug.fidelity.held_out.closer_to_training`).
    **c2st_options
        Keyword arguments of :func:`c2st_auc` (``n_splits``, ``n_repeats``, ``random_state``,
        ``n_jobs``); ``random_state`` seeds the memorisation test too.

    Returns
    -------
    dict
        The :data:`TARGET_COLUMNS` (``c2st_auc`` against held-out rows, ``c2st_vs_train``,
        ``c2st_gap``, ``closer_share``, ``closer_p_value``), ``dcr_ratio`` (the rows' median
        distance to the closest training row over the held-out rows' one) and the booleans
        ``realistic``, ``not_memorised`` and ``on_target`` (both).

    Examples
    --------
    Near-copies of training rows fail, though a classifier cannot tell them from the rows
    they copy:

    >>> import numpy as np
    >>> from tabaug.fidelity import target_check
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(40, 3)), rng.normal(size=(40, 3))
    >>> check = target_check(train, held_out, train[:20] + 1e-3, n_splits=3, n_repeats=1)
    >>> check["c2st_vs_train"] < 0.5, check["not_memorised"], check["on_target"]
    (True, False, False)
    """
    train, rows = as_pair(train_rows, rows, names=("train_rows", "rows"))
    held_out = as_pair(train, held_out_rows, names=("train_rows", "held_out_rows"))[1]
    options = {"n_splits": 5, "n_repeats": 5, "random_state": 0, "n_jobs": 1, **c2st_options}
    scores = target_scores(train, held_out, {"rows": rows}, **options)["rows"]
    ratio = float(np.median(distance_to_closest(train, rows))
                  / np.median(distance_to_closest(train, held_out)))
    return {**scores, "dcr_ratio": ratio, **on_target(scores, c2st_max, level)}


def fidelity_distances(train_rows, held_out_rows, synthetic) -> dict:
    """Distance of each row to its closest training row, for the real held-out rows (under
    ``"Real held-out"``) and then for each source of the dict ``synthetic``."""
    train, sources = checked_sources(train_rows, held_out_rows, synthetic)
    return {name: distance_to_closest(train, rows) for name, rows in sources.items()}
