"""What notebook 03 teaches, kept equal to utils: its hand-written GAN cells train exactly the
GAN of ``tabaug.generators.gan``; the paper's shuffle changes the order every epoch; the
checkpoint path follows the settings; the diagram of the GAN game says what the notebook says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path  # noqa: E402

import jupytext  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils.gan import fit_gan, generate_rows  # noqa: E402
from utils.pipeline import gan_checkpoint_path, gan_settings  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_gan.py"
PARAMS = {
    "data_path": None, "target": "diagnosis", "positive_label": None, "id_columns": ["id"],
    "seed": 42, "train_size": 0.5, "validation_share": 0.4, "epochs": 10, "batch_size": 32,
    "learning_rate": 1e-4, "noise_dim": None,
}


def _code_cell(cells, marker):
    """The one code cell of notebook 03 whose source contains ``marker``."""
    (cell,) = [source for source in cells if marker in source]
    return cell


@pytest.fixture(scope="module")
def notebook_cells():
    return [cell.source for cell in jupytext.read(NOTEBOOK).cells if cell.cell_type == "code"]


def test_notebook_gan_cells_train_exactly_the_utils_gan(notebook_cells):
    """Run the notebook's own cells (networks, loss, optimizers, both steps, the loop) on small
    data, then utils' fit_gan from the same seed: the same weights, losses and rows. (utils'
    steps are tested in test_gan.py to change only their own network's weights, so the
    notebook's steps, equal to them, do too.)"""
    rows = np.random.default_rng(5).random((20, 6))
    names = {"X_minority": rows, "n_features": 6, "noise_size": 3, "seed": 3, "epochs": 2,
             "batch_size": 8, "learning_rate": 1e-3, "names": {0: "benign", 1: "malignant"},
             "minority": 1}
    exec(_code_cell(notebook_cells, "import keras"), names)  # the notebook's imports
    for marker in ("gan_batch_size = minibatch_size",
                   "generator = keras.Sequential", "discriminator = keras.Sequential",
                   "cross_entropy = keras.losses", "d_optimizer = keras.optimizers",
                   "@tf.function\ndef discriminator_step", "@tf.function\ndef generator_step",
                   "steps_per_epoch =",
                   "watch_noise =", "rng = np.random.default_rng(seed)"):
        exec(_code_cell(notebook_cells, marker), names)
    generator, discriminator, history = names["generator"], names["discriminator"], names["history"]
    assert len(history) == 2 * (20 // 8)  # two epochs of two full minibatches

    library = fit_gan(rows, seed=3, noise_dim=3, learning_rate=1e-3, epochs=2, batch_size=8)
    mine = generator.get_weights() + discriminator.get_weights()
    theirs = library.gan.generator.get_weights() + library.gan.discriminator.get_weights()
    assert len(mine) == len(theirs) == 26  # the paper's 6 + 7 Dense layers, kernel and bias
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
    stats = ["d_loss", "g_loss", "d_real", "d_fake"]
    np.testing.assert_allclose(history[stats], library.history[stats], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(history[["epoch", "step"]], library.history[["epoch", "step"]])

    # The notebook's generating cell draws the same noise as utils' generate_rows, as many rows
    # as the largest class has more than the minority.
    exec(_code_cell(notebook_cells, "n_to_generate ="),
         {**names, "data": _Data(np.r_[np.zeros(25, int), np.ones(20, int)])})
    noise = np.random.default_rng([3, 1]).standard_normal((5, 3)).astype("float32")
    np.testing.assert_allclose(generator(noise, training=False).numpy(),
                               generate_rows(library.gan.generator, 5, seed=3), atol=1e-6)

    # Training moved the weights: equal results are not two untouched initialisations.
    exec(_code_cell(notebook_cells, "generator = keras.Sequential"), fresh := dict(names))
    assert max(np.abs(a - b).max() for a, b in zip(fresh["generator"].get_weights(),
                                                   generator.get_weights())) > 1e-4


def test_notebook_gan_cells_shrink_the_minibatch_of_a_small_class(notebook_cells):
    """A class with fewer rows than batch_size would train zero steps in the paper's loop;
    the notebook's cells train with minibatches of the whole class, with a SmallClassWarning,
    and count and draw the right number of rows for one of three classes."""
    from tabaug.generators.base import SmallClassWarning

    rows = np.random.default_rng(6).random((10, 4))
    names = {"X_minority": rows, "n_features": 4, "noise_size": 2, "seed": 1, "epochs": 3,
             "batch_size": 32, "learning_rate": 1e-3, "names": {0: "a", 1: "b", 2: "c"},
             "minority": 2}
    exec(_code_cell(notebook_cells, "import keras"), names)
    with pytest.warns(SmallClassWarning, match="10 rows, fewer than batch_size=32"):
        exec(_code_cell(notebook_cells, "gan_batch_size = minibatch_size"), names)
    assert names["gan_batch_size"] == 10
    for marker in ("generator = keras.Sequential", "discriminator = keras.Sequential",
                   "cross_entropy = keras.losses", "d_optimizer = keras.optimizers",
                   "@tf.function\ndef discriminator_step", "@tf.function\ndef generator_step",
                   "steps_per_epoch =", "watch_noise =", "rng = np.random.default_rng(seed)"):
        exec(_code_cell(notebook_cells, marker), names)
    assert names["steps_per_epoch"] == 1 and len(names["history"]) == 3  # one step an epoch
    y_train = np.r_[np.zeros(7, int), np.ones(30, int), np.full(10, 2)]
    exec(_code_cell(notebook_cells, "n_to_generate ="), generating := {**names,
                                                                       "data": _Data(y_train)})
    assert generating["n_to_generate"] == 20 and generating["generated"].shape == (20, 4)


class _Data:
    """Just enough of PreparedData for the notebook's generating cell."""

    def __init__(self, y_train):
        self.y_train = y_train


def test_the_papers_in_place_shuffle_changes_the_order_every_epoch():
    """A new RandomState(42) every epoch, shuffling in place, applies one permutation again and
    again: a new order every epoch, the same sequence of orders every run (README, notebook 03)."""
    permutation = np.random.RandomState(42).permutation(106)
    rows, orders = np.arange(106), []
    for _ in range(10):
        np.random.RandomState(42).shuffle(rows)
        orders.append(rows.copy())
    assert len({order.tobytes() for order in orders}) == 10
    expected = np.arange(106)
    for order in orders:
        expected = expected[permutation]
        np.testing.assert_array_equal(order, expected)


def test_checkpoint_path_follows_every_gan_setting(tmp_path):
    path = gan_checkpoint_path(tmp_path, PARAMS)
    assert path.parent == tmp_path / "checkpoints" and path.suffix == ".npz"
    assert gan_checkpoint_path(tmp_path, dict(PARAMS)) == path  # the same settings resume
    changes = {"data_path": "other.csv", "target": "outcome", "positive_label": "M",
               "id_columns": ["patient_id"], "seed": 7,
               "train_size": 0.6, "validation_share": 0.5, "epochs": 5, "batch_size": 16,
               "learning_rate": 1e-3, "noise_dim": 8}
    assert set(changes) == set(gan_settings(PARAMS))
    paths = {gan_checkpoint_path(tmp_path, {**PARAMS, key: value})
             for key, value in changes.items()}
    assert len(paths) == len(changes) and path not in paths
    # Parameters that do not shape the GAN (the output folder's name aside) share the path.
    assert gan_checkpoint_path(tmp_path, {**PARAMS, "resume": False, "scoring": "f1"}) == path


def test_changed_settings_train_afresh_and_same_settings_resume(tmp_path):
    """The trap notebook 03 had: after a first run, lowering epochs (or changing the seed)
    met the old checkpoint and stopped with CheckpointError. Now each setting has its own."""
    rows = np.random.default_rng(8).random((16, 4))
    small = {"generator_units": (4,), "discriminator_units": (4,), "batch_size": 8}
    first = {**PARAMS, "epochs": 2}
    fit_gan(rows, epochs=2, checkpoint_path=gan_checkpoint_path(tmp_path, first), **small)
    fewer = {**PARAMS, "epochs": 1}
    assert not gan_checkpoint_path(tmp_path, fewer).exists()
    trained = fit_gan(rows, epochs=1, checkpoint_path=gan_checkpoint_path(tmp_path, fewer),
                      **small)
    assert len(trained.history) == 2  # one epoch of two minibatches, from scratch
    again = fit_gan(rows, epochs=2, checkpoint_path=gan_checkpoint_path(tmp_path, first), **small)
    assert again.history["epoch"].max() == 2 and len(again.history) == 4  # resumed, all saved


def test_gan_game_diagram_names_the_flows_labels_and_updates():
    from utils.diagrams import plot_gan_game

    fig = plot_gan_game(noise_dim=7, n_features=12, batch_size=16)
    texts = " ".join(text.get_text() for text in fig.axes[0].texts)
    for phrase in ("generator G", "discriminator D", "16 rows of 7", "(12 features)",
                   "against 1", "against 0", "G's weights only", "D's weights only"):
        assert phrase in texts, phrase
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend == ["rows and probabilities flow", "the discriminator step updates D",
                      "the generator step updates G"]
    plt.close(fig)
