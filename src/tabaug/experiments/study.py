"""Is augmentation really better? The pipeline over many random splits, and an imbalance sweep.

Every method sees the same splits. For each split: resample the training rows only, tune the
classifier on the validation rows only, and touch the test rows once. Comparisons are paired
(same split, two methods), and their intervals use the corrected resampled t-test of Nadeau and
Bengio (2003), because random splits of one data set overlap and plain t-tests would be far
too confident.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from imblearn.over_sampling import ADASYN, BorderlineSMOTE
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from tabaug.data.preprocessing import prepare_frame
from tabaug.experiments.tuning import tune_classifier
from tabaug.generators.quiet import import_tensorflow_quietly
from tabaug.metrics import lower_is_better, probability_metrics
from tabaug.sampling.classic import classic_samplers, fit_neighbours
from tabaug.stats.intervals import corrected_t_interval, holm

__all__ = [
    "check_methods", "check_sweep_methods", "correction_ratio", "evaluate_split",
    "GAN_SETTINGS", "gan_updates", "Method", "METHODS", "NO_AUGMENTATION", "OPT_IN",
    "overlap_ratio", "paired_differences", "register_method", "run_study", "subsample_minority",
    "summarize",
]

NO_AUGMENTATION = "No augmentation"


@dataclass
class Method:
    """How one method treats the training rows: a sampler, or class weights, or nothing."""

    sampler: object = None
    class_weight: str | None = None
    note: str = ""


# --- The methods ------------------------------------------------------------------------------
#: The settings of the paper's GAN that the study's "GAN" method takes from ``params`` (the
#: notebooks' GAN parameters); a setting ``params`` lacks keeps ``GANOversampler``'s default,
#: the paper's.
GAN_SETTINGS = ("epochs", "batch_size", "learning_rate", "noise_dim")


def _gan(seed, params, y_train):
    import_tensorflow_quietly()  # in each parallel worker, once
    from tabaug.sampling.gan_oversampler import (
        GANOversampler,  # imports TensorFlow only when asked for
    )

    sampler = GANOversampler(random_state=seed,
                             **{key: params[key] for key in GAN_SETTINGS if key in params})
    return _gan_method(sampler, y_train, params.get("natural_minority_rows"))


def _wgan_gp(seed, params, y_train):
    import_tensorflow_quietly()
    from tabaug.sampling.gan_oversampler import WGAN_GP_SETTINGS, GANOversampler

    return _gan_method(GANOversampler(**WGAN_GP_SETTINGS, random_state=seed), y_train,
                       params.get("natural_minority_rows"))


def gan_updates(n_rows, batch_size, epochs) -> int:
    """Generator updates of ``epochs`` passes over ``n_rows`` rows in minibatches of
    ``batch_size`` (at most ``n_rows``; the last partial minibatch is dropped)."""
    return int(epochs) * (int(n_rows) // min(int(batch_size), int(n_rows)))


def _neighbour_method(sampler, y_train):
    """A SMOTE-like method whose neighbours fit the smallest class; its note says what changed."""
    return Method(sampler, note=fit_neighbours(sampler, y_train))


def _gan_method(sampler, y_train, natural_minority_rows=None):
    """A GAN method that makes as many generator updates on ``y_train``'s minority rows as its
    settings make on the split's ``natural_minority_rows`` (default: the rows given).

    The imbalance sweep keeps fewer minority rows. A minibatch larger than them is lowered to
    their number (rather than training zero steps), and since fewer rows make fewer minibatches
    per epoch, the epochs are raised to keep the updates (rounded up to whole epochs). The
    method's note says what changed, with the counts.
    """
    n_minority = int(np.bincount(y_train).min())
    natural = n_minority if natural_minority_rows is None else int(natural_minority_rows)
    batch_size, epochs = int(sampler.batch_size), int(sampler.epochs)
    target = gan_updates(natural, batch_size, epochs)
    new_batch_size = min(batch_size, n_minority)
    per_epoch = n_minority // new_batch_size
    new_epochs = -(-target // per_epoch)  # rounded up
    changes = []
    if new_batch_size != batch_size:
        changes.append(f"batch_size lowered from {batch_size} to {new_batch_size} (the minority "
                       "class's training rows)")
    if new_epochs != epochs:
        changes.append(f"epochs raised from {epochs} to {new_epochs}")
    sampler.set_params(batch_size=new_batch_size, epochs=new_epochs)
    note = ""
    if changes:
        note = (f"{n_minority} minority training rows ({natural} at the natural ratio): "
                f"{'; '.join(changes)}; so the GAN makes "
                f"{new_epochs * per_epoch} generator updates ({per_epoch} per epoch); its "
                f"settings make {target} at the natural ratio")
    return Method(sampler, note=note)


#: Method name -> factory(seed, params, y_train) -> Method. Add GAN variants with
#: :func:`register_method`; the study notebook runs whatever is registered, except the methods
#: in :data:`OPT_IN`, which it runs when they are named.
METHODS: dict[str, Callable] = {
    NO_AUGMENTATION: lambda seed, params, y: Method(),
    "Class weight": lambda seed, params, y: Method(class_weight="balanced"),
    "RO": lambda seed, params, y: Method(classic_samplers(seed)["RO"]),
    "SMOTE": lambda seed, params, y: _neighbour_method(classic_samplers(seed)["SMOTE"], y),
    "Borderline-SMOTE": lambda seed, params, y: _neighbour_method(
        BorderlineSMOTE(random_state=seed), y),
    "ADASYN": lambda seed, params, y: _neighbour_method(ADASYN(random_state=seed), y),
    "GAN": _gan,
    "WGAN-GP": _wgan_gp,
}
#: Methods run only when named: the better GAN (notebook 07) trains about 1000 updates per
#: split, which takes several times as long as the paper's GAN on every split and ratio.
OPT_IN = {"WGAN-GP"}


def register_method(name: str, factory: Callable) -> None:
    """Add a method to the study: ``factory(seed, params, y_train)`` returns a :class:`Method`.

    ``y_train`` holds the training labels the method gets (subsampled in the imbalance sweep);
    ``params["natural_minority_rows"]`` the split's minority training rows before subsampling."""
    METHODS[name] = factory


def check_methods(methods) -> list:
    """The method names to run, in the registry's order; an unknown name raises ValueError."""
    methods = [m for m in METHODS if m not in OPT_IN] if methods is None else list(methods)
    unknown = [name for name in methods if name not in METHODS]
    if unknown:
        raise ValueError(f"Unknown method(s) {unknown}. Registered methods: {list(METHODS)}.")
    if NO_AUGMENTATION not in methods:
        methods.insert(0, NO_AUGMENTATION)  # the reference of every paired comparison
    return [name for name in METHODS if name in methods]


def check_sweep_methods(sweep_methods, method_names) -> list:
    """The methods of the imbalance sweep: those of ``sweep_methods`` that the study runs
    (``None``: all of them), no augmentation first. An unregistered name raises ValueError."""
    if sweep_methods is None:
        return list(method_names)
    unknown = [name for name in sweep_methods if name not in METHODS]
    if unknown:
        raise ValueError(f"Unknown sweep method(s) {unknown}. Registered methods: "
                         f"{list(METHODS)}.")
    return [name for name in method_names if name == NO_AUGMENTATION or name in sweep_methods]


# --- One split --------------------------------------------------------------------------------
def subsample_minority(X, y, ratio, seed):
    """Keep every row of the other classes and a random subset of the smallest class's rows,
    so that the largest class has ``ratio`` rows per row of the smallest. ``ratio=None`` keeps
    the data as they are. (Two classes: ``ratio`` majority rows per minority row.)"""
    if ratio is None:
        return X, y
    counts = np.bincount(y)
    minority = int(np.argmin(np.where(counts > 0, counts, np.iinfo(int).max)))
    n_major, n_minor = int(counts.max()), int(counts[minority])
    keep = int(round(n_major / ratio))
    if keep > n_minor:
        raise ValueError(f"Imbalance ratio {ratio} needs {keep} minority rows but there are only "
                         f"{n_minor} (natural ratio {n_major / n_minor:.2f}); a sweep can only "
                         "make the data more imbalanced. Use ratios above the natural one.")
    if keep < 2:
        raise ValueError(f"Imbalance ratio {ratio} leaves {keep} minority row(s); use a smaller "
                         "ratio.")
    rng = np.random.default_rng(seed)
    kept = rng.choice(np.flatnonzero(y == minority), size=keep, replace=False)
    rows = np.sort(np.concatenate([np.flatnonzero(y != minority), kept]))
    return X[rows], y[rows]


def evaluate_split(frame, split, ratio, methods, params, specificity=0.95,
                   factories=None) -> list:
    """Every method on one random split (seed ``params['seed'] + split``): one row per method.

    ``factories`` maps method names to their factories (default: the registry); parallel
    workers get them passed along, so methods registered at run time work there too.
    """
    factories = METHODS if factories is None else factories
    seed = params["seed"] + split
    data = prepare_frame(frame, params["target"], seed, params["train_size"],
                         params["validation_share"], params["positive_label"], verbose=False,
                         id_columns=params["id_columns"])
    X_train, y_train = subsample_minority(data.X_train, data.y_train, ratio, seed)
    method_params = {**params, "natural_minority_rows": int(np.bincount(data.y_train).min())}
    grid = {"learning_rate": params["grid_learning_rate"],
            "min_samples_leaf": params["grid_min_samples_leaf"]}
    rows = []
    for name in methods:
        method = factories[name](seed, method_params, y_train)
        if method.sampler is not None and "sampling_strategy" in params:
            method.sampler.set_params(sampling_strategy=params["sampling_strategy"])
        began = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:  # kept in the results, not lost
            warnings.simplefilter("always")                   # in a parallel worker's stderr
            X, y = (X_train, y_train) if method.sampler is None else method.sampler.fit_resample(
                X_train, y_train)
        resampled = time.perf_counter()
        search = tune_classifier(X, y, data.X_val, data.y_val, grid, params["scoring"], seed,
                                 method.class_weight, fast_binning=True)
        proba = search.predict_proba(data.X_test)
        rows.append({
            "split": split, "seed": seed, "ratio": "natural" if ratio is None else ratio,
            "method": name, "train_minority_rows": int(np.bincount(y_train).min()),
            "train_rows": len(y_train), "validation_rows": len(data.y_val),
            "test_rows": len(data.y_test),
            **probability_metrics(data.y_test, proba, data.class_names, specificity),
            "resample_seconds": resampled - began,
            "tune_seconds": time.perf_counter() - resampled,
            "generator_updates": sum(len(history) for history in getattr(
                method.sampler, "histories_", {}).values()),  # 0 for methods without a GAN
            "note": method.note,
            "warnings": "; ".join(dict.fromkeys(
                f"{type(w.message).__name__}: {w.message}" for w in caught)),
        })
    return rows


def _evaluate_split_single_threaded(*args, **kwargs):
    # Workers run in parallel on the cores; one thread each avoids oversubscribing them.
    with threadpool_limits(1):
        return evaluate_split(*args, **kwargs)


def run_study(frame, n_splits, methods, params, ratios=(None,), n_jobs=-1, specificity=0.95,
              progress=True, reference=None) -> pd.DataFrame:
    """Run :func:`evaluate_split` for every split and imbalance ratio, in parallel with joblib.

    ``n_jobs=-1`` uses every core. Any joblib backend works through
    ``joblib.parallel_config(backend=...)``: e.g. Dask or Ray to spread splits over a cluster.
    ``reference``: results of an earlier run on the same frame, splits, ratios and ``params``,
    whose no-augmentation rows are reused instead of computed again (they would be the same
    numbers: every method of a split is seeded by the split alone).
    """
    methods = check_methods(methods)
    reused = None if reference is None else _reference_rows(reference, n_splits, ratios)
    to_run = methods if reused is None else [m for m in methods if m != NO_AUGMENTATION]
    factories = {name: METHODS[name] for name in to_run}
    tasks = [(split, ratio) for ratio in ratios for split in range(n_splits)]
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_evaluate_split_single_threaded)(frame, split, ratio, to_run, params,
                                                 specificity, factories)
        for split, ratio in tasks
    )
    with warnings.catch_warnings():
        # loky replaces workers whose memory grew (TensorFlow's, once imported) and says so;
        # the jobs are resubmitted, so nothing is lost.
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given")
        rows = [row for task in tqdm(jobs, total=len(tasks), desc="splits",
                                     disable=not progress) for row in task]
    results = pd.DataFrame(rows)
    if reused is not None:
        results = pd.concat([reused, results], ignore_index=True)
    results["method"] = pd.Categorical(results["method"].astype(str), categories=methods)
    return results.sort_values(["ratio", "split", "method"], key=_ratio_key).reset_index(drop=True)


def _reference_rows(reference, n_splits, ratios) -> pd.DataFrame:
    """The no-augmentation rows of ``reference`` for these splits and ratios, all of them."""
    names = ["natural" if ratio is None else ratio for ratio in ratios]
    rows = reference[(reference["method"].astype(str) == NO_AUGMENTATION)
                     & reference["split"].isin(range(n_splits))
                     & reference["ratio"].isin(names)]
    if len(rows) != n_splits * len(names) or rows.duplicated(["split", "ratio"]).any():
        raise ValueError(f"reference must hold one no-augmentation row per split (0 to "
                         f"{n_splits - 1}) and ratio {names}; it has {len(rows)}. Pass the "
                         "results of a run with the same splits and ratios, or none.")
    return rows.assign(method=NO_AUGMENTATION)


def _ratio_key(column):
    if column.name == "ratio":
        return column.map(lambda r: 0.0 if r == "natural" else float(r))
    return column


# --- Summaries --------------------------------------------------------------------------------


def overlap_ratio(params) -> float:
    """n_test / n_train for the correction: the model is refit on training plus validation rows."""
    train_and_validation = params["train_size"] + (1 - params["train_size"]) * params[
        "validation_share"]
    return (1 - train_and_validation) / train_and_validation


def correction_ratio(results, params) -> float:
    """n_test / n_train of the correction for the splits of ``results``: from the row counts
    each split recorded (in the imbalance sweep the training rows are fewer, so the ratio is
    larger), or from the split shares of ``params`` for results without them."""
    counts = {"train_rows", "validation_rows", "test_rows"}
    if not counts <= set(results.columns):
        return overlap_ratio(params)
    return float((results["test_rows"]
                  / (results["train_rows"] + results["validation_rows"])).mean())


def summarize(results, metrics, params) -> pd.DataFrame:
    """Mean and 95% interval of each metric per method (and imbalance ratio)."""
    rows = []
    for (imbalance, method), group in results.groupby(["ratio", "method"], observed=True,
                                                      sort=False):
        ratio = correction_ratio(group, params)
        for metric in metrics:
            mean, low, high, _ = corrected_t_interval(group[metric], ratio)
            rows.append({"ratio": imbalance, "method": method, "metric": metric, "mean": mean,
                         "ci_low": low, "ci_high": high, "sd": group[metric].std(ddof=1)})
    return pd.DataFrame(rows)


def paired_differences(results, metrics, params, reference=NO_AUGMENTATION) -> pd.DataFrame:
    """Each method minus ``reference`` on the same split: mean, 95% interval, corrected p-value,
    its Holm adjustment, and on how many splits the method was better, equal or worse (better
    means a higher value, or a lower one for the metrics of :func:`lower_is_better`, such as
    the Brier score).

    ``p_holm`` corrects for comparing several methods with the reference: within each metric
    (and imbalance ratio), Holm's step-down adjustment over the methods keeps the chance of
    calling any equal method different at 5% (:func:`tabaug.stats.intervals.holm`)."""

    rows = []
    for imbalance, at_ratio in results.groupby("ratio", sort=False):
        ratio = correction_ratio(at_ratio, params)
        wide = {metric: at_ratio.pivot(index="split", columns="method", values=metric)
                for metric in metrics}
        present = set(at_ratio["method"])
        for method in at_ratio["method"].cat.categories:
            if method == reference or method not in present:
                continue
            for metric in metrics:
                diff = (wide[metric][method] - wide[metric][reference]).dropna()
                mean, low, high, p = corrected_t_interval(diff, ratio)
                gain = -diff if lower_is_better(metric) else diff  # > 0: the method is better
                rows.append({"ratio": imbalance, "method": method, "metric": metric,
                             "mean_difference": mean, "ci_low": low, "ci_high": high,
                             "p_value": p, "better": int((gain > 0).sum()),
                             "equal": int((gain == 0).sum()), "worse": int((gain < 0).sum())})
    table = pd.DataFrame(rows)
    if table.empty:
        return table.assign(p_holm=[])
    table.insert(table.columns.get_loc("p_value") + 1, "p_holm", table.groupby(
        ["ratio", "metric"], sort=False)["p_value"].transform(lambda p: holm(p.to_numpy())))
    return table


