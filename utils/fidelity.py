"""Judge generated ("synthetic") minority rows against real ones.

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
from joblib import Parallel, delayed
from scipy.stats import ks_2samp, wasserstein_distance
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import NearestNeighbors

from utils.errors import DataError

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
def as_rows(rows, name="rows") -> np.ndarray:
    """``rows`` as a float array of shape (n_rows, n_features); :class:`DataError` if it is not
    2-D, has no rows, or holds NaN or infinite values."""
    array = np.asarray(rows, dtype=float)
    if array.ndim != 2:
        raise DataError(
            f"{name} has {array.ndim} dimension(s); give a 2-D array of shape (n_rows, "
            f"n_features), e.g. X.reshape(-1, 1) for a single feature.")
    if len(array) == 0:
        raise DataError(f"{name} has no rows; give at least one row.")
    if not np.isfinite(array).all():
        raise DataError(
            f"{name} holds NaN or infinite values; drop or impute them before comparing rows.")
    return array


def as_pair(real, synthetic, names=("real", "synthetic")):
    """Both groups as checked arrays (see :func:`as_rows`) with the same number of features."""
    real, synthetic = as_rows(real, names[0]), as_rows(synthetic, names[1])
    if real.shape[1] != synthetic.shape[1]:
        raise DataError(
            f"{names[0]} has {real.shape[1]} features but {names[1]} has "
            f"{synthetic.shape[1]}; give both groups the same feature columns in the same order.")
    return real, synthetic


# --- fidelity ---------------------------------------------------------------------------------
def encode_tables(train, *others) -> list:
    """``train`` and ``others`` (tables of any column types) as float arrays in one encoding
    fitted on ``train``: numeric columns min-max scaled to its range, categories one-hot,
    constant columns dropped. The space in which this module compares rows of a real table."""
    from utils.generators.columns import TableEncoder

    encoder = TableEncoder().fit(train)
    return [encoder.transform(rows) for rows in (train, *others)]


def c2st_classifier(random_state=0) -> RandomForestClassifier:
    """The classifier of the two-sample test: a random forest of 200 trees on one core (on a
    few hundred rows, growing its trees in threads is slower than in one)."""
    return RandomForestClassifier(n_estimators=200, random_state=random_state, n_jobs=1)


def _fold_auc(X, y, train, test, seed) -> float:
    """ROC AUC on one fold's test rows of the forest fitted on its training rows (what
    ``cross_val_score(..., scoring="roc_auc")`` computes for that fold)."""
    model = c2st_classifier(seed).fit(X[train], y[train])
    return roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])


def c2st_auc(real, synthetic, n_splits=5, n_repeats=5, random_state=0, n_jobs=1) -> float:
    """Classifier two-sample test: cross-validated ROC AUC of telling real rows (0) from
    synthetic rows (1), the mean over ``n_splits`` folds and ``n_repeats`` repeats.

    Each repeat draws, without replacement, the same number of rows from both groups (the size of
    the smaller one), so that the AUC is not swayed by unequal group sizes. 0.5 means the
    classifier cannot tell the groups apart, 1.0 that it always can. Values well below 0.5 occur
    when synthetic rows copy real ones (the classifier learns the wrong way round across folds);
    they are returned as they are. The ``n_splits * n_repeats`` fits run in ``n_jobs``
    processes (-1: every core); the AUC is the same on any number of them.
    """
    real, synthetic = as_pair(real, synthetic)
    return c2st_by_source(real, {"synthetic": synthetic}, n_splits, n_repeats, random_state,
                          n_jobs)["synthetic"]


def c2st_folds(real, synthetic, n_splits=5, n_repeats=5, random_state=0) -> list:
    """The fits of :func:`c2st_auc`, each as ``(X, y, train, test, seed)`` for
    :func:`_fold_auc`: its rows drawn and its folds made, nothing fitted yet (the report pools
    every source's fits in one set of processes)."""
    n = min(len(real), len(synthetic))
    if n < n_splits:
        raise DataError(
            f"The C2ST with n_splits={n_splits} needs at least {n_splits} rows in each group, "
            f"but one group has only {n}; give more rows or lower n_splits.")
    rng = np.random.default_rng(random_state)
    y = np.repeat([0, 1], n)
    folds = []
    for _ in range(n_repeats):
        seed = int(rng.integers(2**31 - 1))
        X = np.vstack([real[rng.choice(len(real), n, replace=False)],
                       synthetic[rng.choice(len(synthetic), n, replace=False)]])
        folds += [(X, y, train, test, seed) for train, test
                  in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y)]
    return folds


def feature_distances(real, synthetic, feature_names=None) -> pd.DataFrame:
    """Per feature, the Kolmogorov-Smirnov statistic (largest gap between the two cumulative
    distributions, 0 to 1) and the Wasserstein distance (how far values must move, in feature
    units) between the real and synthetic values."""
    real, synthetic = as_pair(real, synthetic)
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(real.shape[1])]
    rows = [(ks_2samp(real[:, j], synthetic[:, j]).statistic,
             wasserstein_distance(real[:, j], synthetic[:, j])) for j in range(real.shape[1])]
    return pd.DataFrame(rows, index=pd.Index(list(feature_names), name="feature"),
                        columns=["ks", "wasserstein"], dtype=float)


def correlations(rows) -> np.ndarray:
    """Pearson correlation matrix of the columns; a constant column, whose correlation is
    undefined, gets correlation 0 with every other column (and 1 with itself)."""
    centred = rows - rows.mean(axis=0)
    norms = np.sqrt((centred**2).sum(axis=0))
    z = centred / np.where(norms > 0, norms, 1.0)
    corr = np.clip(z.T @ z, -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def correlation_distance(real, synthetic) -> float:
    """Mean absolute difference between the off-diagonal entries of the two Pearson correlation
    matrices: 0 = the same correlations between features, at most 2. A constant column counts
    as uncorrelated with the others (see :func:`correlations`); a single feature gives 0."""
    real, synthetic = as_pair(real, synthetic)
    off_diagonal = ~np.eye(real.shape[1], dtype=bool)
    if not off_diagonal.any():
        return 0.0
    return float(np.abs(correlations(real) - correlations(synthetic))[off_diagonal].mean())


# --- diversity --------------------------------------------------------------------------------
def duplicate_fraction(rows, decimals=6) -> float:
    """Share of rows equal to an earlier row after rounding to ``decimals`` (0 = all distinct).
    Copies (Random Oversampling) and a collapsed generator give large values."""
    rows = as_rows(rows)
    rounded = np.round(rows, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return 1.0 - len(np.unique(rounded, axis=0)) / len(rows)


def variance_ratio(real, synthetic) -> float:
    """Median over features of var(synthetic) / var(real), leaving out features that are
    constant in the real rows: near 0 = mode collapse, near 1 = the same spread."""
    real, synthetic = as_pair(real, synthetic)
    real_var = real.var(axis=0)
    varying = real_var > 0
    if not varying.any():
        raise DataError("Every feature of the real rows is constant, so the variance ratio is "
                        "undefined; give real rows that vary.")
    return float(np.median(synthetic.var(axis=0)[varying] / real_var[varying]))


# --- privacy ----------------------------------------------------------------------------------
def distance_to_closest(reference, rows) -> np.ndarray:
    """Euclidean distance of each of ``rows`` to its nearest row of ``reference`` (0 = a copy).

    A k-d tree computes each distance exactly; the default brute-force search uses a faster
    formula whose rounding leaves copies ~1e-8 apart, hiding them from ``exact_copies``."""
    reference, rows = as_pair(reference, rows, names=("reference", "rows"))
    search = NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(reference)
    distances, _ = search.kneighbors(rows)
    return distances[:, 0]


def fidelity_distances(train_rows, held_out_rows, synthetic) -> dict:
    """Distance of each row to its closest training row, for the real held-out rows (under
    ``"Real held-out"``) and then for each source of the dict ``synthetic``."""
    train, sources = checked_sources(train_rows, held_out_rows, synthetic)
    return {name: distance_to_closest(train, rows) for name, rows in sources.items()}


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


def c2st_by_source(train, sources, n_splits=5, n_repeats=5, random_state=0, n_jobs=1) -> dict:
    """:func:`c2st_auc` of each source's rows against ``train``, every source with the same
    ``random_state``, all their fits in one pool of ``n_jobs`` processes: a few hundred rows
    fit in a fraction of a second, so a pool per source would leave cores idle between them."""
    folds = {name: c2st_folds(train, rows, n_splits, n_repeats, random_state)
             for name, rows in sources.items()}
    scores = iter(Parallel(n_jobs=n_jobs)(delayed(_fold_auc)(*fold)
                                          for source in folds.values() for fold in source))
    return {name: float(np.mean([next(scores) for _ in source]))
            for name, source in folds.items()}


def fidelity_report(train_rows, held_out_rows, synthetic, random_state=0,
                    near_copy_quantile=0.05, n_splits=5, n_repeats=5, n_jobs=1) -> pd.DataFrame:
    """One row of fidelity, diversity and privacy measures per source of generated rows.

    ``synthetic`` maps a source name to its rows. The first row, ``"Real held-out"``, measures
    ``held_out_rows`` themselves: real patients the generator never saw, i.e. what "realistic"
    looks like. Every source is compared with ``train_rows``, the rows the generators were
    trained on. ``dcr_ratio`` divides a source's median distance to the closest training row by
    the held-out rows' one; ``near_copy_fraction`` is the share of rows closer to a training row
    than the ``near_copy_quantile`` quantile of the held-out rows' distances (that distance is in
    ``report.attrs["near_copy_distance"]``). ``n_splits``, ``n_repeats`` and ``n_jobs`` go to
    :func:`c2st_auc`.
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
    """Plain-language alarms from a :func:`fidelity_report`, one string per problem found,
    each naming the source, the value and the threshold; an empty list means no alarm.

    ``near_copy_max`` defaults to four times the report's near-copy quantile. Real held-out
    rows give about that quantile by construction, but with a few dozen held-out rows the
    cut-off rests on two or three patients: on WDBC, rows of real unseen patients exceeded twice
    the quantile in about a quarter of random splits, and four times it in about one in twenty.
    The ``"Real held-out"`` reference row is skipped.
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
    ``dcr_ratio_min`` times that of the real held-out rows)."""
    train, rows = as_pair(train_rows, rows, names=("train_rows", "rows"))
    held_out = as_pair(train, held_out_rows, names=("train_rows", "held_out_rows"))[1]
    auc = c2st_auc(train, rows, **c2st_options)
    ratio = float(np.median(distance_to_closest(train, rows))
                  / np.median(distance_to_closest(train, held_out)))
    return {"c2st_auc": auc, "dcr_ratio": ratio,
            "on_target": bool(auc <= c2st_max and ratio >= dcr_ratio_min)}
