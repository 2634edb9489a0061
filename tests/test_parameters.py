"""utils.parameters: notebook parameter names and values are checked before anything runs."""

import re

import pytest

from utils import ParameterError, check_parameters
from utils.parameters import NOTEBOOK_PARAMETERS, PARAMETERS, check_parameter_names

#: A valid value for every parameter any notebook declares.
GOOD = {
    "data_path": None, "target": "diagnosis", "positive_label": None, "id_columns": ["id"],
    "seed": 42,
    "output_dir": "results", "train_size": 0.5, "validation_share": 0.4,
    "epochs": 10, "batch_size": 32, "learning_rate": 1e-4, "noise_dim": None, "resume": True,
    "grid_learning_rate": [1e-3, 1e-2, 1e-1, 1, 10], "grid_min_samples_leaf": [1, 20, 100],
    "scoring": "f1", "study_scoring": "neg_log_loss",
    "study_grid": {"learning_rate": [0.1], "max_leaf_nodes": [7, 31]},
    "tsne_perplexity": 30.0, "tsne_max_iter": 1000,
    "n_splits": 30, "imbalance_ratios": [5, 10, 20], "methods": None, "n_jobs": -1,
    "sweep_methods": ["SMOTE"],
    "specificity": 0.95, "long_gan_epochs": 1000, "better_gan_epochs": 334,
    "fidelity_seeds": [0, 1, 2, 3, 4], "c2st_repeats": 5, "seed_generators": ["WGAN-GP"],
    "generators": ["wgan-gp", "tvae"], "generator_settings": {"tvae": {"epochs": 50}},
    "preset": "quick", "datasets": None, "csv_tables": [{"path": "my.csv", "target": "y"}],
    "benchmark_methods": ["SMOTE"], "classifiers": None, "benchmark_splits": None,
    "rope": None, "dask_scheduler": None,
}
BEFORE = {"__name__": "__main__", "np": object(), "pd": object()}
CHECK_CELL = 'params = utils.check_parameters("03_gan", globals())'


def namespace(notebook, **changes):
    """The globals of a notebook after its parameters cell, in an interactive run."""
    values = {name: GOOD[name] for name in NOTEBOOK_PARAMETERS[notebook]}
    return {**BEFORE, **values, **changes}


def papermill_namespace(notebook, **injected):
    """The globals when papermill injected ``injected`` after the parameters cell: IPython's
    input history ``In`` ends with papermill's injected cell, then the check cell."""
    cell = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in injected.items())
    return {**namespace(notebook, **injected), "In": ["", "import utils", cell, CHECK_CELL]}


def test_every_parameter_has_a_good_value():
    assert set(GOOD) == set(PARAMETERS)
    declared = {name for names in NOTEBOOK_PARAMETERS.values() for name in names}
    assert declared == set(PARAMETERS)


@pytest.mark.parametrize("notebook", sorted(NOTEBOOK_PARAMETERS))
def test_accepts_good_namespace(notebook):
    ns = namespace(notebook, _hidden="ignored")  # underscore names are not parameters
    values = check_parameters(notebook, ns)
    assert list(values) == NOTEBOOK_PARAMETERS[notebook]
    assert values == {name: GOOD[name] for name in NOTEBOOK_PARAMETERS[notebook]}


def test_accepts_other_good_values():
    ns = namespace("03_gan", data_path="data/wdbc.csv", positive_label="M", seed=0,
                   noise_dim=4, learning_rate=1, epochs=1, batch_size=1, resume=False)
    values = check_parameters("03_gan", ns)
    assert values["data_path"] == "data/wdbc.csv" and values["noise_dim"] == 4


def test_unknown_injected_name_with_did_you_mean():
    ns = papermill_namespace("03_gan", epoch=100)
    with pytest.raises(ParameterError,
                       match=re.escape("Unknown parameter 'epoch' (did you mean 'epochs'?) "
                                       "for notebook 03_gan")):
        check_parameters("03_gan", ns)


def test_unknown_injected_names_all_listed():
    ns = papermill_namespace("01_preprocessing", epochs=5, sed=1, zzz=0)
    with pytest.raises(ParameterError) as info:
        check_parameters("01_preprocessing", ns)
    message = str(info.value)
    # 'epochs' exists, but not in notebook 01; the message lists that notebook's parameters.
    assert "'epochs'" in message
    assert "'sed' (did you mean 'seed'?)" in message
    assert "'zzz'" in message and "'zzz' (did you mean" not in message
    assert "Its parameters are: " + ", ".join(NOTEBOOK_PARAMETERS["01_preprocessing"]) in message


def test_known_injected_names_pass_and_their_values_are_used():
    ns = papermill_namespace("03_gan", epochs=3, seed=7)
    values = check_parameters("03_gan", ns)
    assert values["epochs"] == 3 and values["seed"] == 7


def test_interactive_runs_are_never_trapped():
    """Run all twice, edit a value, add cells of one's own: names the learner defines (a Drive
    mount, a helper) are not parameters, and only papermill's injected cell is checked."""
    ns = namespace("01_preprocessing", drive=object(), helper=1, params={"seed": 42})
    ns["In"] = ["", "import utils", "from google.colab import drive\nhelper = 1",
                'params = utils.check_parameters("01_preprocessing", globals())']
    assert check_parameters("01_preprocessing", ns)["seed"] == 42
    ns["seed"] = 7  # the learner edits the Parameters cell and runs all again
    assert check_parameters("01_preprocessing", ns)["seed"] == 7
    # A cell of the learner's that starts like papermill's is read only if it directly precedes.
    ns["In"] += ["# Parameters of my own\nmy_value = 3", "x = 1", "check again"]
    assert check_parameters("01_preprocessing", ns)["seed"] == 7


def test_injected_cell_must_directly_precede_the_check():
    ns = papermill_namespace("03_gan", epoch=100)
    ns["In"].append("print('a cell of my own between them')")
    ns["In"].append(CHECK_CELL)
    assert check_parameters("03_gan", ns)["epochs"] == 10


def test_missing_parameter():
    ns = namespace("03_gan")
    del ns["resume"]
    with pytest.raises(ParameterError, match=re.escape("lacks the parameters ['resume']: run its "
                                                       "Parameters cell")):
        check_parameters("03_gan", ns)


@pytest.mark.parametrize(
    "name, value, accepts",
    [
        ("epochs", "10", "an integer >= 1"),
        ("epochs", 0, "an integer >= 1"),
        ("epochs", 2.0, "an integer >= 1"),
        ("epochs", True, "an integer >= 1"),
        ("batch_size", 0, "an integer >= 1"),
        ("train_size", 1.5, "a number in (0, 1)"),
        ("train_size", 0, "a number in (0, 1)"),
        ("validation_share", 1, "a number in (0, 1)"),
        ("learning_rate", 0, "a number > 0"),
        ("learning_rate", "1e-4", "a number > 0"),
        ("noise_dim", 0, "an integer >= 1 or None"),
        ("seed", -1, "an integer >= 0"),
        ("data_path", 3, "a path string or None"),
        ("target", None, "a string"),
        ("output_dir", "", "a path string"),
        ("resume", "yes", "True or False"),
    ],
)
def test_rejects_wrong_values_naming_the_parameter(name, value, accepts):
    notebook = "03_gan"
    ns = namespace(notebook, **{name: value})
    expected = f"Parameter {name}={value!r} is not valid: it must be {accepts}"
    with pytest.raises(ParameterError, match=re.escape(expected)):
        check_parameters(notebook, ns)


@pytest.mark.parametrize(
    "name, value",
    [("grid_learning_rate", []), ("grid_learning_rate", [0.1, -1]),
     ("grid_min_samples_leaf", [1, 2.5]), ("grid_min_samples_leaf", 20), ("scoring", 3),
     ("id_columns", "id"), ("id_columns", [1])],
)
def test_rejects_bad_grids(name, value):
    ns = namespace("04_classification", **{name: value})
    with pytest.raises(ParameterError, match=re.escape(f"Parameter {name}={value!r} is not valid")):
        check_parameters("04_classification", ns)


@pytest.mark.parametrize("name, value", [
    ("study_grid", {}), ("study_grid", {"learning_rate": []}), ("study_grid", [0.1]),
    ("study_grid", {"learning_rate": 0.1}), ("study_scoring", 3)])
def test_rejects_bad_study_tuning(name, value):
    ns = namespace("06_repeated_evaluation", **{name: value})
    with pytest.raises(ParameterError, match=re.escape(f"Parameter {name}={value!r} is not valid")):
        check_parameters("06_repeated_evaluation", ns)


@pytest.mark.parametrize("name, value", [("tsne_max_iter", 100), ("tsne_perplexity", 0)])
def test_rejects_bad_tsne_settings(name, value):
    ns = namespace("05_visualization", **{name: value})
    with pytest.raises(ParameterError, match=f"Parameter {name}="):
        check_parameters("05_visualization", ns)


def test_check_parameter_names_for_any_notebook():
    # Every parameter of every notebook is accepted when no notebook is named.
    check_parameter_names(None, list(PARAMETERS))
    check_parameter_names(None, [])
    with pytest.raises(ParameterError,
                       match=re.escape("Unknown parameter 'epoch' (did you mean 'epochs'?) "
                                       "for any notebook")):
        check_parameter_names(None, ["epochs", "epoch"])
    with pytest.raises(ParameterError, match=r"'tsne_perplexity' .*for notebook 01_preprocessing"):
        check_parameter_names("01_preprocessing", ["tsne_perplexity"])


def test_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


@pytest.mark.parametrize("name, value", [
    ("n_splits", 1), ("imbalance_ratios", [0.5]), ("imbalance_ratios", "[5]"),
    ("methods", "GAN"), ("methods", [1]), ("n_jobs", 0), ("n_jobs", -2), ("specificity", 1.0),
])
def test_study_parameters_rejected(name, value):
    with pytest.raises(ParameterError, match=f"Parameter {name}="):
        check_parameters("06_repeated_evaluation",
                         namespace("06_repeated_evaluation", **{name: value}))


def test_study_parameters_accepted():
    ns = namespace("06_repeated_evaluation", imbalance_ratios=[], methods=["RO", "GAN"],
                   n_jobs=2, n_splits=2)
    values = check_parameters("06_repeated_evaluation", ns)
    assert values["methods"] == ["RO", "GAN"] and values["imbalance_ratios"] == []


# --- presets (notebooks 06 and 07) ------------------------------------------------------------
def test_a_preset_fills_in_only_the_values_left_at_none():
    from utils.parameters import PRESETS

    ns = namespace("06_repeated_evaluation", preset="class", n_splits=None, imbalance_ratios=None,
                   methods=None, sweep_methods=None)
    values = check_parameters("06_repeated_evaluation", ns)
    assert {name: values[name] for name in PRESETS["06_repeated_evaluation"]["class"]} == \
        PRESETS["06_repeated_evaluation"]["class"]
    kept = check_parameters("06_repeated_evaluation", {**ns, "n_splits": 3})
    assert kept["n_splits"] == 3 and kept["imbalance_ratios"] == []  # set by hand: kept
    values["methods"].append("RO")  # the registry's lists are copies, not shared
    assert PRESETS["06_repeated_evaluation"]["class"]["methods"] == ["SMOTE", "paper-gan"]


def test_the_full_preset_is_the_earlier_default():
    ns = namespace("07_gan_diagnostics", preset="full", long_gan_epochs=None, generators=None,
                   fidelity_seeds=None, c2st_repeats=None, seed_generators=None)
    values = check_parameters("07_gan_diagnostics", ns)
    assert (values["long_gan_epochs"], values["fidelity_seeds"], values["c2st_repeats"]) == (
        1000, [0, 1, 2, 3, 4], 5)
    # every source but the paper's GAN trained longer is checked on the other splits
    assert values["seed_generators"] == ["GAN (paper)", "WGAN-GP", *values["generators"]]


def test_a_preset_a_notebook_lacks_is_refused():
    with pytest.raises(ParameterError, match="preset"):
        check_parameters("06_repeated_evaluation",
                         namespace("06_repeated_evaluation", preset="fast"))
