"""The course's small utilities package: what the numbered notebooks import, in one place.

The toolkit itself is :mod:`tabaug` (data, generators, over-samplers, fidelity, experiments,
statistics, reports, command line). This package is the course's façade over it: it re-exports
the names the notebooks use (``utils.prepare_data``, ``from utils import class_counts``) and
holds what only the notebooks need:

- :mod:`utils.parameters`: the notebooks' papermill parameters, checked before anything runs;
- :mod:`utils.pipeline`: the GAN's rows of notebook 03, cached for notebooks 04 and 05;
- :mod:`utils.gan`: notebook 03's GAN in one call (:func:`utils.gan.fit_gan`);
- :mod:`utils.paper`: the paper's Table 1; :mod:`utils.diagrams`: the GAN game drawn;
- :func:`show_source` and :data:`EXAMPLE_CSV`, the made-up example table;
  :data:`GAN_DEVELOPMENT_CSV`, the measurements behind notebook 07's "which ideas mattered".

Names are loaded when first used, so that a notebook that trains no GAN never imports TensorFlow.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("gan-augmentation-tutorial")
except PackageNotFoundError:  # run from a source folder without installing
    __version__ = "unknown"

#: The made-up example table that ships with the course (``scripts/make_example_data.py``):
#: 400 patients, target ``outcome`` with three classes, identifier ``patient_id``, whole-number,
#: true/false and text columns, and missing values: a table like your own, to try things on.
EXAMPLE_CSV = Path(__file__).resolve().parent / "examples" / "patients.csv"
#: The generator benchmark's rows behind notebook 07's "which ideas mattered" table
#: (``scripts/develop_gan.py``): variants of the conditional GAN, its defaults, the Gaussian
#: copula and the ForestFlow generator on the development classes, seeds 0-2.
GAN_DEVELOPMENT_CSV = Path(__file__).resolve().parent / "kept" / "gan_development.csv"

#: Where each re-exported name lives: module -> names.
_SOURCES = {
    "tabaug.errors": ["CheckpointError", "DataError", "ParameterError"],
    "tabaug.data.reading": ["load_dataset", "load_wdbc", "read_csv_dataset", "validate_dataset"],
    "tabaug.data.datasets": ["BenchmarkTable", "available_datasets", "csv_table",
                             "dataset_profile", "load_benchmark_table", "ORIGINS"],
    "tabaug.data.preprocessing": [
        "PreparedData", "as_text", "build_preprocessor", "categorical_columns",
        "check_id_columns", "class_order", "column_report", "encode_target", "numeric_columns",
        "prepare_data", "prepare_frame", "separate_features_and_target", "split_data",
        "suggest_identifiers"],
    "tabaug.sampling.classic": ["class_counts", "classic_samplers", "minority_class", "new_rows",
                                "rows_to_add", "smote_rows"],
    "tabaug.sampling.oversampler": ["GenerativeOverSampler"],
    "tabaug.generators.settings": ["WGAN_GP_SETTINGS"],
    "tabaug.generators": ["available_generators", "get_generator"],
    "tabaug.generators.base": ["minibatch_size"],
    "tabaug.generators.conditional_gan": ["energy_distance", "pack"],
    "tabaug.experiments.generator_benchmark": ["summarize_generators"],
    "tabaug.fidelity.two_sample": ["c2st_auc", "c2st_classifier"],
    "tabaug.fidelity.held_out": ["closer_to_training", "held_out_check", "MEMORISATION_LEVEL"],
    "tabaug.fidelity.membership": ["membership_auc"],
    "tabaug.fidelity.precision_recall": ["faithfulness"],
    "tabaug.fidelity.utility": ["tstr_utility"],
    "tabaug.fidelity.seeds": ["over_seeds", "t_interval"],
    "tabaug.fidelity.distances": ["distance_to_closest", "feature_distances"],
    "tabaug.fidelity.report": ["C2ST_TARGET", "DCR_RATIO_TARGET", "fidelity_distances",
                               "fidelity_report", "fidelity_warnings", "on_target",
                               "target_check"],
    "tabaug.experiments.tuning": ["choose_scoring", "compared_f1", "evaluate_methods",
                                  "PAPER_PARAM_GRID", "test_metrics", "tune_classifier"],
    "tabaug.experiments.methods": [
        "METHODS", "Method", "NO_AUGMENTATION", "PLATT", "available_methods", "check_methods",
        "gan_updates", "register_method"],
    "tabaug.experiments.protocol": ["Protocol"],
    "tabaug.experiments.evaluate": ["evaluate_split"],
    "tabaug.experiments.classifiers": ["CLASSIFIERS"],
    "tabaug.experiments.study": [
        "STUDY_GRID", "STUDY_METHODS", "check_sweep_methods", "correction_ratio",
        "paired_differences", "paper_classifier", "run_study", "summarize"],
    "tabaug.stats.intervals": ["corrected_t_interval", "holm"],
    "tabaug.report.sentences": ["conclusion", "describe_difference"],
    "tabaug.experiments.benchmark": ["presets", "run_benchmark"],
    "tabaug.experiments.results": ["results_file_name"],
    "tabaug.metrics": ["best_f1_threshold", "expected_calibration_error", "lower_is_better",
                       "metric_label"],
    "tabaug.report.figures": [
        "fit_2d_view", "plot_distributions", "plot_fidelity", "plot_forest", "plot_gan_losses",
        "plot_critical_difference", "plot_metric_comparison", "plot_outcomes", "plot_rows_2d",
        "plot_sweep", "plot_training", "plot_tsne", "save_figure", "tsne_embedding",
        "zoom_inset"],
    "tabaug.report.benchmark": ["BANDS", "binary_results", "write_report"],
    "utils.gan": ["GANOversampler"],
    "utils.paper": ["PAPER_TABLE1", "TABLE1_COLUMNS"],
    "utils.parameters": ["check_parameters"],
    "utils.source": ["show_source"],
}
#: Modules offered under a short name: ``from utils import stats``.
_MODULES = {"stats": "tabaug.stats.across_tables", "hierarchical": "tabaug.stats.hierarchical",
            "moderators": "tabaug.stats.moderators"}
_ORIGIN = {name: module for module, names in _SOURCES.items() for name in names}

__all__ = sorted(["EXAMPLE_CSV", "GAN_DEVELOPMENT_CSV", "__version__", *_ORIGIN, *_MODULES])


def __getattr__(name):
    if name in _ORIGIN:
        value = getattr(import_module(_ORIGIN[name]), name)
    elif name in _MODULES:
        value = import_module(_MODULES[name])
    else:
        raise AttributeError(f"module 'utils' has no attribute {name!r}")
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__():
    return sorted({*globals(), *__all__})
