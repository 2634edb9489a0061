"""The notebooks' papermill parameters: one registry of names, meanings and checks.

papermill only *warns* about a parameter the notebook does not declare, so a typo such as
``-p epoch 100`` would run the defaults without a word. Every notebook calls
:func:`check_parameters` right after its ``parameters`` cell, which checks the values and the
names papermill injected, and ``make run`` checks the names before it starts, so a misspelled
or unknown parameter stops the run with a clear message. The check never depends on which
names existed before, so a learner can run a notebook again, edit a value, or add cells.
The default values live in each notebook's ``parameters`` cell only.
"""

from __future__ import annotations

import ast
import copy
import difflib
import numbers
from dataclasses import dataclass
from typing import Callable

from tabaug.errors import ParameterError


@dataclass(frozen=True)
class Parameter:
    description: str
    accepts: str
    check: Callable[[object], bool]


def _int(minimum):
    return lambda v: isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= minimum


def _real(low, high=None):
    return lambda v: (isinstance(v, numbers.Real) and not isinstance(v, bool)
                      and low < v and (high is None or v < high))


def _optional_str(v):
    return v is None or isinstance(v, str)


def _list_of(check):
    return lambda v: isinstance(v, (list, tuple)) and len(v) > 0 and all(check(x) for x in v)


PARAMETERS = {
    "data_path": Parameter("CSV file to read; None uses the WDBC copy bundled with scikit-learn",
                           "a path string or None", _optional_str),
    "target": Parameter("name of the column holding the classes", "a string",
                        lambda v: isinstance(v, str)),
    "positive_label": Parameter("class of interest of two, coded 1; None takes the minority "
                                "class (more than two classes: None)",
                                "a class label or None", lambda v: True),
    "id_columns": Parameter("identifier columns to drop before anything learns ([] for none)",
                            "a list of column names (may be empty)",
                            lambda v: isinstance(v, (list, tuple))
                            and all(isinstance(x, str) for x in v)),
    "seed": Parameter("seed of every split, sampler, network and classifier",
                      "an integer >= 0", _int(0)),
    "output_dir": Parameter("folder for figures, tables, checkpoints and generated rows",
                            "a path string", lambda v: isinstance(v, str) and v != ""),
    "train_size": Parameter("share of all rows used for training", "a number in (0, 1)",
                            _real(0, 1)),
    "validation_share": Parameter("share of the non-training rows used for validation "
                                  "(the rest is the test split)", "a number in (0, 1)",
                                  _real(0, 1)),
    "epochs": Parameter("GAN training epochs", "an integer >= 1", _int(1)),
    "batch_size": Parameter("GAN minibatch size", "an integer >= 1", _int(1)),
    "learning_rate": Parameter("Adam learning rate of both GAN networks", "a number > 0",
                               _real(0)),
    "noise_dim": Parameter("size of the generator's noise input; None takes n_features // 2",
                           "an integer >= 1 or None", lambda v: v is None or _int(1)(v)),
    "resume": Parameter("resume GAN training from the checkpoint saved in output_dir for the "
                        "same settings",
                        "True or False", lambda v: isinstance(v, bool)),
    "grid_learning_rate": Parameter("learning rates tried for HistGradientBoosting",
                                    "a list of numbers > 0", _list_of(_real(0))),
    "grid_min_samples_leaf": Parameter("min_samples_leaf values tried for HistGradientBoosting",
                                       "a list of integers >= 1", _list_of(_int(1))),
    "scoring": Parameter("scikit-learn scorer used to pick the grid setting on the validation "
                         "split; None: F1 of the class of interest for two classes, macro F1 "
                         "for more", "a scorer name such as 'f1_macro', or None",
                         _optional_str),
    "study_scoring": Parameter("scikit-learn scorer that picks the classifier's setting on the "
                               "validation rows in the repeated study; None: the paper's F1",
                               "a scorer name such as 'neg_log_loss', or None", _optional_str),
    "study_grid": Parameter("HistGradientBoosting settings tried in the repeated study; None "
                            "takes utils.STUDY_GRID (the benchmark's 12 settings)",
                            "a dict of parameter name -> non-empty list of values, or None",
                            lambda v: v is None or isinstance(v, dict) and len(v) > 0 and all(
                                isinstance(k, str) and _list_of(lambda x: True)(x)
                                for k, x in v.items())),
    "tsne_perplexity": Parameter("t-SNE perplexity", "a number > 0", _real(0)),
    "tsne_max_iter": Parameter("t-SNE iterations", "an integer >= 250", _int(250)),
    "n_splits": Parameter("random training / validation / test splits of the repeated study; "
                          "None takes the preset's", "an integer >= 2 or None",
                          lambda v: v is None or _int(2)(v)),
    "imbalance_ratios": Parameter("benign-per-malignant training ratios of the imbalance sweep "
                                  "(the natural ratio is always included); None takes the "
                                  "preset's", "a list of numbers > 1 or None",
                                  lambda v: v is None or v == [] or _list_of(_real(1))(v)),
    "methods": Parameter("methods of the repeated study (utils.available_methods()); None "
                         "takes the preset's (utils.STUDY_METHODS, the classic ones and "
                         "paper-gan, for 'quick' and 'full')",
                         "a list of method names or None",
                         lambda v: v is None or _list_of(lambda x: isinstance(x, str))(v)),
    "sweep_methods": Parameter("methods of notebook 06's imbalance sweep, among those of the "
                               "study; None takes the preset's",
                               "a list of method names or None",
                               lambda v: v is None or _list_of(lambda x: isinstance(x, str))(v)),
    "n_jobs": Parameter("cores used in parallel (04: the grid's settings; 06, 08: splits; 07: "
                        "the two-sample test's folds); -1 uses every core",
                        "-1 or an integer >= 1", lambda v: v == -1 or _int(1)(v)),
    "long_gan_epochs": Parameter("epochs of the paper's GAN trained longer (notebook 07); None "
                                 "takes the preset's", "an integer >= 1 or None",
                                 lambda v: v is None or _int(1)(v)),
    "better_gan_epochs": Parameter("epochs of the WGAN-GP, the better GAN (notebook 07)",
                                   "an integer >= 1", _int(1)),
    "fidelity_seeds": Parameter("other split seeds on which notebook 07 checks its generators "
                                "(seed_generators); None takes the preset's",
                                "a list of integers >= 0 (may be empty) or None",
                                lambda v: v is None or v == [] or _list_of(_int(0))(v)),
    "generators": Parameter("registered generators (tabaug.generators) that notebook 07 compares "
                            "with the GANs above, with their settings by rule",
                            "a list of generator names (may be empty) or None (the preset's)",
                            lambda v: v is None or v == [] or _list_of(
                                lambda x: isinstance(x, str))(v)),
    "seed_generators": Parameter("the sources notebook 07 trains and checks again on each of "
                                 "fidelity_seeds: 'GAN (paper)', 'WGAN-GP' and generator names; "
                                 "None takes the preset's",
                                 "a list of source names (may be empty) or None",
                                 lambda v: v is None or v == [] or _list_of(
                                     lambda x: isinstance(x, str))(v)),
    "generator_settings": Parameter("keyword arguments per generator compared in notebook 07, "
                                    "e.g. {'tvae': {'epochs': 50}}; a generator not named keeps "
                                    "its settings by rule",
                                    "a dict of generator name -> dict of keyword arguments",
                                    lambda v: isinstance(v, dict) and all(
                                        isinstance(k, str) and isinstance(x, dict)
                                        for k, x in v.items())),
    "c2st_repeats": Parameter("repeats of the two-sample test's 5-fold cross-validation; None "
                              "takes the preset's", "an integer >= 1 or None",
                              lambda v: v is None or _int(1)(v)),
    "specificity": Parameter("specificity at which sensitivity is reported",
                             "a number in (0, 1)", _real(0, 1)),
    "preset": Parameter("how much notebooks 06-08 run (each parameter left at None takes the "
                        "preset's value): 'class' (a few minutes in a class), 'quick' (the "
                        "default) or 'full' (06: the sweep on every method; 07: the longer "
                        "checks; 08: every table and classifier, the classic methods, Platt "
                        "scaling and the copula on 20 splits, hours, resumable)",
                        "'class', 'quick' or 'full'",
                        lambda v: v in ("class", "quick", "full")),
    "datasets": Parameter("built-in benchmark tables to run (utils.available_datasets()); None "
                          "takes the preset's", "a list of table names or None",
                          lambda v: v is None or _list_of(lambda x: isinstance(x, str))(v)),
    "csv_tables": Parameter("your own CSV files for the benchmark: one dict each with 'path', "
                            "'target' and optionally 'id_columns'",
                            "a list of dicts (may be empty)",
                            lambda v: isinstance(v, (list, tuple)) and all(
                                isinstance(x, dict) and {"path", "target"} <= set(x)
                                for x in v)),
    "benchmark_methods": Parameter("methods of the benchmark (utils.available_methods()); "
                                   "None takes the preset's",
                                   "a list of method names or None",
                                   lambda v: v is None or _list_of(
                                       lambda x: isinstance(x, str))(v)),
    "classifiers": Parameter("classifiers of the benchmark (HGB, LR, kNN); None takes the "
                             "preset's", "a list of classifier names or None",
                             lambda v: v is None or _list_of(lambda x: isinstance(x, str))(v)),
    "benchmark_splits": Parameter("random splits per table of the benchmark; None takes the "
                                  "preset's", "an integer >= 2 or None",
                                  lambda v: v is None or _int(2)(v)),
    "rope": Parameter("region of practical equivalence of the Bayesian tests, on each "
                      "metric's scale (log loss and Brier relative to no skill); None: each "
                      "metric's own (tabaug.stats.hierarchical.ROPES)", "a number > 0 or None",
                      lambda v: v is None or _real(0)(v)),
    "dask_scheduler": Parameter("run the benchmark's splits on a Dask cluster: the scheduler's "
                                "address (tcp://host:8786), 'local' for this machine, or None "
                                "for joblib on this machine's cores",
                                "an address string, 'local' or None", _optional_str),
}

_DATA = ["data_path", "target", "positive_label", "id_columns", "seed", "output_dir",
         "train_size", "validation_share"]
_GAN = ["epochs", "batch_size", "learning_rate", "noise_dim"]

#: Which parameters each notebook declares in its ``parameters`` cell.
NOTEBOOK_PARAMETERS = {
    "01_preprocessing": _DATA,
    "02_random_oversampling_and_smote": _DATA,
    "03_gan": _DATA + _GAN + ["resume"],
    "04_classification": _DATA + _GAN + ["grid_learning_rate", "grid_min_samples_leaf",
                                         "scoring", "n_jobs"],
    "05_visualization": _DATA + _GAN + ["tsne_perplexity", "tsne_max_iter"],
    "06_repeated_evaluation": _DATA + _GAN + ["study_scoring", "study_grid", "preset",
                                              "n_splits",
                                              "imbalance_ratios", "methods", "sweep_methods",
                                              "n_jobs", "specificity"],
    "07_gan_diagnostics": _DATA + _GAN + ["preset", "long_gan_epochs", "better_gan_epochs",
                                          "generators", "generator_settings", "fidelity_seeds",
                                          "seed_generators", "c2st_repeats", "n_jobs"],
    "08_benchmark": ["preset", "datasets", "csv_tables", "benchmark_methods", "classifiers",
                     "benchmark_splits", "seed", "output_dir", "train_size", "validation_share",
                     "specificity", "rope", "n_jobs", "dask_scheduler"],
}


def check_parameter_names(notebook: str | None, names) -> None:
    """Raise :class:`ParameterError` if any of ``names`` is not a parameter of ``notebook``
    (with ``notebook=None``: of any notebook), suggesting the closest known name."""
    if notebook is None:
        known = list(dict.fromkeys(n for names_ in NOTEBOOK_PARAMETERS.values() for n in names_))
        where = "any notebook"
    else:
        known = NOTEBOOK_PARAMETERS[notebook]
        where = f"notebook {notebook}"
    unknown = [name for name in names if name not in known]
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, known, n=1)
            hints.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        raise ParameterError(
            f"Unknown parameter {', '.join(hints)} for {where}. "
            f"Its parameters are: {', '.join(known)}."
        )


#: The first line of the cell papermill injects after the ``parameters`` cell.
PAPERMILL_MARKER = "# Parameters"


def injected_parameter_names(namespace: dict) -> list:
    """Names assigned by the cell papermill injected just before the current cell, if any.

    IPython keeps the source of every executed cell in the list ``In``: ``In[-1]`` is the cell
    running now and ``In[-2]`` the one before it. papermill's injected cell starts with
    ``# Parameters`` and holds one assignment per parameter it was given. In an interactive run
    there is no such cell, and no name to check.
    """
    history = namespace.get("In")
    if not isinstance(history, list) or len(history) < 2:
        return []
    previous = history[-2]
    if previous.split("\n", 1)[0].strip() != PAPERMILL_MARKER:
        return []
    try:
        statements = ast.parse(previous).body
    except SyntaxError:
        return []
    return [target.id for statement in statements if isinstance(statement, ast.Assign)
            for target in statement.targets if isinstance(target, ast.Name)]


def check_parameters(notebook: str, namespace: dict) -> dict:
    """Return the notebook's parameters (name: value) after checking their names and values.

    Call it in the cell right after the ``parameters`` cell, with ``globals()``. It reads the
    values the notebook declares, so running the notebook again, editing a value or adding cells
    of your own all work. Names passed by papermill are checked too (papermill alone only warns
    about a name the notebook does not declare, so ``-p epoch 100`` would run the defaults).
    """
    check_parameter_names(notebook, injected_parameter_names(namespace))
    missing = [name for name in NOTEBOOK_PARAMETERS[notebook] if name not in namespace]
    if missing:
        raise ParameterError(
            f"Notebook {notebook} lacks the parameters {missing}: run its Parameters cell "
            "first (or restore the deleted lines).")
    values = {name: namespace[name] for name in NOTEBOOK_PARAMETERS[notebook]}
    for name, value in values.items():
        spec = PARAMETERS[name]
        if not spec.check(value):
            raise ParameterError(
                f"Parameter {name}={value!r} is not valid: it must be {spec.accepts} "
                f"({spec.description})."
            )
    return apply_preset(notebook, values)

#: The presets of notebooks 06 and 07 (08's are :func:`tabaug.experiments.benchmark.presets`): the
#: value a parameter left at None takes. "quick" is the default, chosen to run within its time
#: budget; "full" is the longer run the notebook had before (README, Time, says what "quick"
#: changes); "class" runs in a few minutes on Colab. Values the caller set are kept.
PRESETS = {
    "06_repeated_evaluation": {
        "class": {"n_splits": 3, "imbalance_ratios": [], "methods": ["SMOTE", "paper-gan"],
                  "sweep_methods": None},
        "quick": {"n_splits": 10, "imbalance_ratios": [20], "methods": None,
                  "sweep_methods": ["SMOTE", "paper-gan"]},
        "full": {"n_splits": 10, "imbalance_ratios": [5, 10, 20], "methods": None,
                 "sweep_methods": None},
    },
    "07_gan_diagnostics": {
        "class": {"long_gan_epochs": 50, "fidelity_seeds": [], "c2st_repeats": 1,
                  "generators": ["gaussian-copula"],
                  "seed_generators": ["GAN (paper)", "WGAN-GP", "gaussian-copula"]},
        "quick": {"long_gan_epochs": 334, "fidelity_seeds": [0, 1], "c2st_repeats": 3,
                  "generators": ["wgan-gp", "conditional-gan", "tvae", "tab-ddpm",
                                 "gaussian-copula"],
                  "seed_generators": ["GAN (paper)", "WGAN-GP", "gaussian-copula"]},
        "full": {"long_gan_epochs": 1000, "fidelity_seeds": [0, 1, 2, 3, 4], "c2st_repeats": 5,
                 "generators": ["wgan-gp", "conditional-gan", "tvae", "tab-ddpm",
                                "gaussian-copula", "arf", "forest-flow"],
                 "seed_generators": ["GAN (paper)", "WGAN-GP", "wgan-gp", "conditional-gan",
                                     "tvae", "tab-ddpm", "gaussian-copula", "arf",
                                     "forest-flow"]},
    },
}

#: The one-parameter "class" setting of each long notebook: what its Time section tells a class
#: to set for a run of a few minutes on Colab (``scripts/speed_report.py`` times it).
CLASS_SETTINGS = {name: {"preset": "class"}
                  for name in ("06_repeated_evaluation", "07_gan_diagnostics", "08_benchmark")}


def apply_preset(notebook: str, values: dict) -> dict:
    """``values`` with every preset parameter left at None set to the preset's value."""
    if notebook not in PRESETS:
        return values
    presets = PRESETS[notebook]
    chosen = values["preset"]
    if chosen not in presets:
        raise ParameterError(f"Notebook {notebook} has the presets {sorted(presets)}, not "
                             f"{chosen!r}: set preset to one of them.")
    return {**values, **{name: copy.deepcopy(value) for name, value in presets[chosen].items()
                         if values[name] is None}}
