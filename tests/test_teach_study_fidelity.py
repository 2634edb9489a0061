"""What notebooks 06 and 07 teach, checked on utils: a lower Brier score counts as better, the
imbalance sweep keeps the GAN's generator updates, and the figures read the way the prose says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_study import CLASSIFIERS, GAN_SETTINGS, PROTOCOL  # noqa: E402

from tabaug.data.datasets import BenchmarkTable  # noqa: E402
from tabaug.data.reading import load_wdbc  # noqa: E402
from tabaug.experiments.evaluate import evaluate_split  # noqa: E402
from tabaug.experiments.methods import (  # noqa: E402
    NO_AUGMENTATION,
    MethodContext,
    gan_updates,
    make_method,
)
from tabaug.experiments.study import paired_differences, summarize  # noqa: E402
from tabaug.generators.settings import WGAN_GP_SETTINGS  # noqa: E402
from tabaug.metrics import lower_is_better
from tabaug.report.figures import plot_fidelity, plot_forest, plot_sweep  # noqa: E402
from tabaug.report.sentences import conclusion, describe_difference

#: The paper's 10 epochs: 30 updates at the natural ratio.
SETTINGS = {**GAN_SETTINGS, "epochs": 10}


#: Paired differences on 10 splits: 9 of one sign, 1 tie, consistent enough for the corrected
#: interval to exclude 0.
STEPS = np.array([0.010, 0.011, 0.012] * 3 + [0.0])


def _results(metric, reference, method_values, **more):
    """Per-split results of the reference and one method "GAN": ``metric``, and the metrics of
    ``more`` (name: (reference values, method values))."""
    columns = {metric: (reference, method_values), **more}
    rows = []
    for split in range(len(reference)):
        for i, method in enumerate([NO_AUGMENTATION, "GAN"]):
            rows.append({"split": split, "ratio": "natural", "method": method,
                         **{name: values[i][split] for name, values in columns.items()}})
    results = pd.DataFrame(rows)
    results["method"] = pd.Categorical(results["method"], [NO_AUGMENTATION, "GAN"])
    return results


def test_lower_is_better_for_losses_only():
    assert lower_is_better("brier") and lower_is_better("log_loss")
    assert lower_is_better("calibration_error")
    for metric in ("f1_malignant", "roc_auc", "pr_auc", "sensitivity_at_95_specificity"):
        assert not lower_is_better(metric)


def test_a_lower_brier_score_counts_as_better():
    # The GAN's Brier score is lower (better) on 9 splits, equal on 1.
    results = _results("brier", [0.05] * 10, 0.05 - STEPS)
    row = paired_differences(results, ["brier"], PROTOCOL).iloc[0]
    assert row.mean_difference < 0 and row.ci_high < 0
    assert (row.better, row.equal, row.worse) == (9, 1, 0)
    sentence = describe_difference(row)
    assert "brier (lower is better)" in sentence
    assert "better on 9, worse on 0 of 10 splits" in sentence
    assert "better than no augmentation, also after Holm's correction" in sentence
    text = conclusion(paired_differences(results, ["brier"], PROTOCOL), "brier")
    assert "below no augmentation: GAN (better)" in text


def test_a_higher_score_still_counts_as_better():
    results = _results("f1_malignant", [0.90] * 10, 0.90 + STEPS)
    differences = paired_differences(results, ["f1_malignant"], PROTOCOL)
    row = differences.iloc[0]
    assert (row.better, row.equal, row.worse) == (9, 1, 0)
    assert "better than no augmentation, also after Holm's" in describe_difference(row)
    assert "above no augmentation: GAN (better)" in conclusion(differences, "f1_malignant")


def test_a_higher_brier_score_counts_as_worse():
    results = _results("brier", [0.05] * 10, 0.05 + STEPS + 0.001)
    differences = paired_differences(results, ["brier"], PROTOCOL)
    assert (differences.loc[0, "better"], differences.loc[0, "worse"]) == (0, 10)
    assert "above no augmentation: GAN (worse)" in conclusion(differences, "brier")


def test_forest_and_sweep_plots_say_which_side_is_better():
    results = _results("brier", [0.05] * 10, 0.05 - STEPS,
                       f1_malignant=([0.9] * 10, 0.9 + STEPS))
    differences = paired_differences(results, ["brier", "f1_malignant"], PROTOCOL)
    fig, (brier_ax, f1_ax) = plt.subplots(1, 2)
    plot_forest(differences, "brier", ax=brier_ax)
    plot_forest(differences, "f1_malignant", ax=f1_ax)
    assert "\u2190 better (lower is better)" in brier_ax.get_xlabel()
    assert "better \u2192" in f1_ax.get_xlabel()
    plt.close(fig)
    summary = summarize(results, ["brier"], PROTOCOL)
    ax = plot_sweep(summary, "brier", 1.7)
    assert "(lower is better)" in ax.get_ylabel()
    plt.close(ax.figure)


def _gan_for(n_minority, natural, name="paper-gan", settings=SETTINGS):
    """The method ``name`` for ``n_minority`` rows of ``natural``; ``method.sampler`` is its
    GAN (the generator of its over-sampler)."""
    y = np.array([0] * 178 + [1] * n_minority)
    method = make_method(name, 0, y, MethodContext(natural_minority_rows=natural,
                                                   settings=settings))
    method.sampler = method.sampler.generator
    return method


def test_gan_updates_of_the_paper_settings():
    assert gan_updates(106, 32, 10) == 30  # 3 full minibatches per epoch
    assert gan_updates(9, 32, 10) == 10  # the minibatch is lowered to the 9 rows: 1 per epoch


@pytest.mark.parametrize("n_minority, batch_size, epochs", [
    (106, 32, 10),  # the natural ratio: nothing changes
    (89, 32, 15),  # ratio 2: 2 minibatches per epoch
    (36, 32, 30),  # ratio 5: 1 minibatch per epoch
    (18, 18, 30),  # ratio 10: fewer rows than a minibatch
    (9, 9, 30),  # ratio 20
])
def test_the_sweep_keeps_the_paper_gan_s_generator_updates(n_minority, batch_size, epochs):
    method = _gan_for(n_minority, 106)
    sampler = method.sampler
    assert (sampler.batch_size, sampler.epochs) == (batch_size, epochs)
    assert gan_updates(n_minority, sampler.batch_size, sampler.epochs) == 30
    if n_minority == 106:
        assert method.note == ""
    else:
        assert f"{n_minority} minority training rows (106 at the natural ratio)" in method.note
        assert "; so the GAN makes 30 generator updates" in method.note
        assert f"epochs raised from 10 to {epochs}" in method.note
        assert ("batch_size lowered" in method.note) == (batch_size < 32)


def test_the_sweep_rounds_up_to_whole_epochs_and_says_so():
    # 40 natural rows give 10 x 1 = 10 updates; 4 rows in a minibatch of 4 too.
    method = _gan_for(4, 40)
    assert (method.sampler.batch_size, method.sampler.epochs) == (4, 10)
    assert "lowered from 32 to 4" in method.note and "epochs raised" not in method.note
    # 100 natural rows in minibatches of 32 give 30 updates; 64 rows give 2 per epoch: 15.
    method = _gan_for(64, 100)
    assert method.sampler.epochs == 15
    # 7 epochs x 3 = 21 updates; 2 per epoch needs 11 epochs (22 updates), and the note says so.
    method = _gan_for(64, 100, settings={**SETTINGS, "epochs": 7})
    assert method.sampler.epochs == 11
    assert "makes 22 generator updates (2 per epoch); its settings make 21" in method.note


def test_the_sweep_keeps_the_wgan_gp_s_generator_updates():
    natural = gan_updates(106, WGAN_GP_SETTINGS["batch_size"], WGAN_GP_SETTINGS["epochs"])
    method = _gan_for(9, 106, name="wgan-gp", settings=WGAN_GP_SETTINGS)
    assert method.sampler.batch_size == 9
    assert gan_updates(9, 9, method.sampler.epochs) == natural == 1002


def test_without_the_natural_count_the_given_rows_set_the_updates():
    y = np.array([0] * 100 + [1] * 9)
    method = make_method("paper-gan", 0, y, MethodContext(settings=SETTINGS))
    assert (method.sampler.generator.batch_size, method.sampler.generator.epochs) == (9, 10)
    assert "lowered from 32 to 9" in method.note and "epochs raised" not in method.note


def test_evaluate_split_records_the_generator_updates_and_the_note():
    table = BenchmarkTable("wdbc", load_wdbc(), "diagnosis", ("id",))
    settings = {"paper-gan": {**SETTINGS, "epochs": 1}}  # 3 updates on the natural 106 rows
    natural, rare = ({row["method"]: row for row in evaluate_split(
        table, 0, [NO_AUGMENTATION, "paper-gan"], CLASSIFIERS, PROTOCOL, ratio,
        settings=settings)} for ratio in (None, 20))
    assert natural["paper-gan"]["generator_updates"] == 3
    assert rare["paper-gan"]["generator_updates"] == 3
    assert natural[NO_AUGMENTATION]["generator_updates"] == 0
    assert natural["paper-gan"]["note"] == "" and rare[NO_AUGMENTATION]["note"] == ""
    assert rare["paper-gan"]["train_minority_rows"] == 9
    assert "epochs raised from 1 to 3" in rare["paper-gan"]["note"]


def test_plot_fidelity_draws_the_band_of_real_held_out_rows():
    from tabaug.fidelity.report import REFERENCE

    rng = np.random.default_rng(0)
    distances = {REFERENCE: rng.uniform(0.2, 0.6, 40), "GAN": rng.uniform(1.0, 1.5, 40)}
    report = pd.DataFrame({"c2st_auc": [0.5, 0.99], "c2st_vs_train": [0.5, 0.98]},
                          index=[REFERENCE, "GAN"])
    fig = plot_fidelity(report, distances)
    right = fig.axes[1]
    band = [patch for patch in right.patches
            if patch.get_label() == "middle half of real held-out rows"]
    assert len(band) == 1
    xs = band[0].get_patch_transform().transform(band[0].get_path().vertices)[:, 0]
    np.testing.assert_allclose([xs.min(), xs.max()],
                               np.percentile(distances[REFERENCE], [25, 75]))
    plt.close(fig)
