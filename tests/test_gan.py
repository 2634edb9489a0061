"""tabaug.generators.gan: which weights each training step changes, checkpoint/resume, the paper's
step count.

Small networks (hidden units (8, 8)) and small data keep these tests fast, except where the
paper's architecture is the point of the test.
"""

import itertools
import json

import keras
import numpy as np
import pytest

import tabaug.generators.gan as gan_module
from tabaug.errors import CheckpointError
from tabaug.generators.base import keras_seeds
from tabaug.generators.gan import (
    PAPER_BATCH_SIZE,
    PAPER_DISCRIMINATOR_UNITS,
    PAPER_EPOCHS,
    PAPER_GENERATOR_UNITS,
    build_discriminator,
    build_generator,
    compile_gan,
    generate_rows,
    paper_noise_dim,
    train_gan,
)
from utils.gan import fit_gan

N_FEATURES = 6
NOISE_DIM = 3
UNITS = (8, 8)
BATCH = 8
EPOCHS = 4  # the full run; the interrupted run stops after EPOCHS // 2
TIGHT = dict(rtol=1e-6, atol=1e-7)


def small_gan(seed=0, units=UNITS, learning_rate=1e-3, n_features=N_FEATURES,
              noise_dim=NOISE_DIM, loss="bce", critic_steps=2):
    seeds = keras_seeds(seed)
    generator = build_generator(n_features, noise_dim, units, seeds=seeds)
    discriminator = build_discriminator(n_features, units,
                                        output_activation="sigmoid" if loss == "bce" else None,
                                        seeds=seeds)
    return compile_gan(generator, discriminator, learning_rate, loss, critic_steps)


def paper_gan(seed=0, n_features=30):
    seeds = keras_seeds(seed)
    generator = build_generator(n_features, paper_noise_dim(n_features), seeds=seeds)
    discriminator = build_discriminator(n_features, seeds=seeds)
    return compile_gan(generator, discriminator)


def value(variable):
    """A NumPy copy of a Keras variable's current value."""
    return np.array(variable.value.numpy(), copy=True)


def snapshot(variables):
    return [value(v) for v in variables]


def state(gan):
    """Every number that training changes: both networks' weights and both optimizers."""
    return (snapshot(gan.generator.weights) + snapshot(gan.discriminator.weights)
            + snapshot(gan.d_optimizer.variables) + snapshot(gan.g_optimizer.variables))


def assert_states_close(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, **TIGHT)


@pytest.fixture(scope="module")
def rows():
    """40 rows of 6 features in [0, 1]: 5 minibatches of 8 per epoch."""
    return np.random.default_rng(7).random((40, N_FEATURES)).astype("float32")


# --- (a) each step trains its own network only ------------------------------------------------
def make_gan(architecture):
    return {"small": small_gan, "paper": paper_gan,
            "wgan-gp": lambda: small_gan(loss="wgan-gp")}[architecture]()


@pytest.mark.parametrize("architecture", ["small", "paper", "wgan-gp"])
def test_discriminator_step_changes_only_discriminator(architecture):
    gan = make_gan(architecture)
    rng = np.random.default_rng(0)
    real = rng.random((BATCH, gan.n_features)).astype("float32")
    noise = rng.standard_normal((BATCH, gan.noise_dim)).astype("float32")
    mix = rng.random((BATCH, 1)).astype("float32")
    g_before = snapshot(gan.generator.weights)
    d_before = snapshot(gan.discriminator.trainable_weights)
    assert len(d_before) == len(gan.discriminator.weights)  # nothing non-trainable to hide in

    stats = gan.discriminator_step(real, noise, mix)

    assert np.isfinite([float(stats[k]) for k in ("d_loss", "d_real", "d_fake")]).all()
    for before, after in zip(g_before, gan.generator.weights):
        np.testing.assert_array_equal(value(after), before)  # bit-identical
    changed = [not np.array_equal(before, value(after))
               for before, after in zip(d_before, gan.discriminator.trainable_weights)]
    if architecture == "wgan-gp":
        # The critic's output bias adds the same to real and generated scores, so the
        # Wasserstein loss (their difference) and the penalty (a gradient) do not depend on it.
        assert changed[-1] is False
        changed = changed[:-1]
    assert all(changed), f"discriminator weights left unchanged: {changed}"
    assert int(gan.d_optimizer.iterations) == 1
    assert int(gan.g_optimizer.iterations) == 0


@pytest.mark.parametrize("architecture", ["small", "paper", "wgan-gp"])
def test_generator_step_changes_only_generator(architecture):
    gan = make_gan(architecture)
    noise = np.random.default_rng(1).standard_normal((BATCH, gan.noise_dim)).astype("float32")
    g_before = snapshot(gan.generator.trainable_weights)
    d_before = snapshot(gan.discriminator.weights)

    loss = gan.generator_step(noise)

    assert np.isfinite(float(loss))
    for before, after in zip(d_before, gan.discriminator.weights):
        np.testing.assert_array_equal(value(after), before)  # bit-identical
    changed = [not np.array_equal(before, value(after))
               for before, after in zip(g_before, gan.generator.trainable_weights)]
    assert all(changed), f"generator weights left unchanged: {changed}"
    assert int(gan.g_optimizer.iterations) == 1
    assert int(gan.d_optimizer.iterations) == 0


def test_alternating_steps_keep_training_both_networks(rows):
    """After steps of both kinds, each further step still moves its own network (Keras 3 must
    not end up with a discriminator frozen by an earlier generator step)."""
    gan = small_gan()
    rng = np.random.default_rng(2)
    for _ in range(3):
        noise = rng.standard_normal((BATCH, NOISE_DIM)).astype("float32")
        d_before = snapshot(gan.discriminator.weights)
        g_before = snapshot(gan.generator.weights)
        gan.discriminator_step(rows[:BATCH], noise)
        assert all(not np.array_equal(b, value(a))
                   for b, a in zip(d_before, gan.discriminator.weights))
        for b, a in zip(g_before, gan.generator.weights):
            np.testing.assert_array_equal(value(a), b)
        d_before = snapshot(gan.discriminator.weights)
        gan.generator_step(noise)
        assert all(not np.array_equal(b, value(a))
                   for b, a in zip(g_before, gan.generator.weights))
        for b, a in zip(d_before, gan.discriminator.weights):
            np.testing.assert_array_equal(value(a), b)


def test_paper_architecture():
    gan = paper_gan()
    assert paper_noise_dim(30) == 15 and paper_noise_dim(1) == 1
    assert gan.noise_dim == 15 and gan.n_features == 30
    g_units = [layer.units for layer in gan.generator.layers]
    d_units = [layer.units for layer in gan.discriminator.layers]
    assert g_units == [100, 200, 300, 400, 500, 30]
    assert d_units == [30, 500, 400, 300, 200, 100, 1]
    activations = [layer.activation.__name__ for layer in gan.generator.layers]
    assert activations == ["selu"] * 5 + ["sigmoid"]
    assert ([layer.activation.__name__ for layer in gan.discriminator.layers]
            == ["linear"] + ["selu"] * 5 + ["sigmoid"])
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert gan.d_optimizer is not gan.g_optimizer


# --- (b) checkpoint, then resume == uninterrupted ---------------------------------------------
def test_fit_gan_resume_equals_uninterrupted(rows, tmp_path):
    settings = dict(seed=3, noise_dim=NOISE_DIM, generator_units=UNITS,
                    discriminator_units=UNITS, learning_rate=1e-3, batch_size=BATCH)
    full = fit_gan(rows, epochs=EPOCHS, checkpoint_path=tmp_path / "full.npz", **settings)
    full_state = state(full.gan)

    path = tmp_path / "resumed.npz"
    half = fit_gan(rows, epochs=EPOCHS // 2, checkpoint_path=path, **settings)
    assert len(half.history) == (EPOCHS // 2) * (len(rows) // BATCH)
    half_weights = snapshot(half.gan.generator.weights)
    resumed = fit_gan(rows, epochs=EPOCHS, checkpoint_path=path, **settings)

    assert_states_close(state(resumed.gan), full_state)
    np.testing.assert_allclose(resumed.history[["d_loss", "g_loss"]].to_numpy(),
                               full.history[["d_loss", "g_loss"]].to_numpy(), **TIGHT)
    np.testing.assert_array_equal(resumed.history[["epoch", "step"]].to_numpy(),
                                  full.history[["epoch", "step"]].to_numpy())
    # The second half really trained: the weights moved on from the half-way checkpoint.
    assert any(not np.array_equal(a, value(b))
               for a, b in zip(half_weights, resumed.gan.generator.weights))


def test_resume_into_differently_initialised_models_restores_state(rows, tmp_path):
    """Fresh models built with *another* seed end up identical to the uninterrupted run, which
    proves that weights and optimizer slots come from the checkpoint, not from the seed."""
    full_gan = small_gan(seed=0)
    full_history = train_gan(full_gan, rows, epochs=EPOCHS, batch_size=BATCH, seed=11,
                             checkpoint_path=tmp_path / "full.npz", progress=False)

    path = tmp_path / "ckpt.npz"
    first = small_gan(seed=0)
    train_gan(first, rows, epochs=EPOCHS // 2, batch_size=BATCH, seed=11,
              checkpoint_path=path, progress=False)

    fresh = small_gan(seed=999)
    assert not np.array_equal(value(fresh.generator.weights[0]),
                              value(full_gan.generator.weights[0]))
    history = train_gan(fresh, rows, epochs=EPOCHS, batch_size=BATCH, seed=11,
                        checkpoint_path=path, progress=False)

    assert_states_close(state(fresh), state(full_gan))
    assert len(history) == len(full_history) == EPOCHS * (len(rows) // BATCH)
    np.testing.assert_allclose(history[["d_loss", "g_loss"]].to_numpy(),
                               full_history[["d_loss", "g_loss"]].to_numpy(), **TIGHT)
    assert history["epoch"].tolist() == full_history["epoch"].tolist()


def test_resume_after_a_real_interruption(rows, tmp_path, monkeypatch):
    """Stop training by an exception right after the checkpoint of epoch 2 is written (as a
    kernel interrupt would), then rerun with fresh, differently seeded models."""
    reference = small_gan(seed=0)
    reference_history = train_gan(reference, rows, epochs=EPOCHS, batch_size=BATCH, seed=5,
                                  progress=False)

    original_save = gan_module.save_checkpoint

    def save_then_interrupt(path, gan, rng, epoch, losses, fingerprint):
        original_save(path, gan, rng, epoch, losses, fingerprint)
        if epoch == EPOCHS // 2:
            raise KeyboardInterrupt

    path = tmp_path / "ckpt.npz"
    monkeypatch.setattr(gan_module, "save_checkpoint", save_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        train_gan(small_gan(seed=0), rows, epochs=EPOCHS, batch_size=BATCH, seed=5,
                  checkpoint_path=path, progress=False, checkpoint_seconds=0)
    monkeypatch.setattr(gan_module, "save_checkpoint", original_save)
    assert not path.with_name(path.name + ".tmp").exists()  # no half-written file left behind
    with np.load(path) as archive:
        assert json.loads(archive["meta"].tobytes().decode())["epoch"] == EPOCHS // 2

    resumed = small_gan(seed=123)
    history = train_gan(resumed, rows, epochs=EPOCHS, batch_size=BATCH, seed=5,
                        checkpoint_path=path, progress=False)
    assert_states_close(state(resumed), state(reference))
    np.testing.assert_allclose(history[["d_loss", "g_loss"]].to_numpy(),
                               reference_history[["d_loss", "g_loss"]].to_numpy(), **TIGHT)


def saved_epochs_of(monkeypatch, rows, tmp_path, seconds_per_clock_read, **kwargs):
    """The epochs after which train_gan saved a checkpoint, with a clock that advances
    ``seconds_per_clock_read`` at every reading."""
    saves, readings = [], itertools.count()
    original_save = gan_module.save_checkpoint

    def save(path, gan, rng, epoch, losses, fingerprint):
        saves.append(epoch)
        original_save(path, gan, rng, epoch, losses, fingerprint)

    monkeypatch.setattr(gan_module, "save_checkpoint", save)
    monkeypatch.setattr(gan_module.time, "monotonic",
                        lambda: next(readings) * seconds_per_clock_read)
    train_gan(small_gan(), rows, epochs=EPOCHS, batch_size=BATCH, seed=1,
              checkpoint_path=tmp_path / f"{len(list(tmp_path.iterdir()))}.npz",
              progress=False, **kwargs)
    monkeypatch.undo()
    return saves


def test_checkpoints_follow_the_clock_and_the_last_epoch_is_always_saved(rows, tmp_path,
                                                                         monkeypatch):
    # The clock is read once before training and once per epoch, and once after each save.
    assert saved_epochs_of(monkeypatch, rows, tmp_path, 6.0, checkpoint_seconds=10) == [2, 4]
    assert saved_epochs_of(monkeypatch, rows, tmp_path, 6.0, checkpoint_seconds=0) == [1, 2, 3, 4]
    assert saved_epochs_of(monkeypatch, rows, tmp_path, 1e-3) == [EPOCHS]  # the default: 10 s
    with pytest.raises(ValueError, match="checkpoint_seconds must be a number >= 0"):
        train_gan(small_gan(), rows, epochs=1, batch_size=BATCH, checkpoint_seconds=-1,
                  checkpoint_path=tmp_path / "other.npz", progress=False)


def test_rerun_of_finished_checkpoint_trains_nothing(rows, tmp_path):
    path = tmp_path / "ckpt.npz"
    done = small_gan(seed=0)
    history = train_gan(done, rows, epochs=2, batch_size=BATCH, seed=1, checkpoint_path=path,
                        progress=False)
    again = small_gan(seed=0)
    # Would change the weights if it trained even one step: compare with the finished run.
    history_again = train_gan(again, rows, epochs=2, batch_size=BATCH, seed=1,
                              checkpoint_path=path, progress=False)
    assert_states_close(state(again), state(done))
    np.testing.assert_array_equal(history_again.to_numpy(), history.to_numpy())


def test_same_seed_same_result_different_seed_different_result(rows):
    kwargs = dict(noise_dim=NOISE_DIM, generator_units=UNITS, discriminator_units=UNITS,
                  epochs=1, batch_size=BATCH)
    a = fit_gan(rows, seed=1, **kwargs)
    b = fit_gan(rows, seed=1, **kwargs)
    c = fit_gan(rows, seed=2, **kwargs)
    assert_states_close(state(b.gan), state(a.gan))
    np.testing.assert_array_equal(b.history.to_numpy(), a.history.to_numpy())
    assert not np.array_equal(value(c.gan.generator.weights[0]),
                              value(a.gan.generator.weights[0]))


# --- (c) bad checkpoints ----------------------------------------------------------------------
@pytest.fixture
def checkpoint(rows, tmp_path):
    """A valid checkpoint after 2 epochs (seed 1, batch_size 8)."""
    path = tmp_path / "ckpt.npz"
    train_gan(small_gan(), rows, epochs=2, batch_size=BATCH, seed=1, checkpoint_path=path,
              progress=False)
    return path


def test_garbage_checkpoint_is_corrupt(rows, tmp_path):
    path = tmp_path / "ckpt.npz"
    path.write_bytes(np.random.default_rng(0).bytes(1000))
    with pytest.raises(CheckpointError, match=r"corrupt.*Delete it"):
        train_gan(small_gan(), rows, epochs=2, batch_size=BATCH, checkpoint_path=path,
                  progress=False)


def test_truncated_checkpoint_is_corrupt(rows, checkpoint):
    content = checkpoint.read_bytes()
    checkpoint.write_bytes(content[: len(content) // 2])
    with pytest.raises(CheckpointError, match="corrupt"):
        train_gan(small_gan(), rows, epochs=4, batch_size=BATCH, seed=1,
                  checkpoint_path=checkpoint, progress=False)


def test_checkpoint_without_metadata_is_corrupt(rows, tmp_path):
    path = tmp_path / "ckpt.npz"
    np.savez(path, something=np.zeros(3))
    with pytest.raises(CheckpointError, match="corrupt"):
        train_gan(small_gan(), rows, epochs=2, batch_size=BATCH, checkpoint_path=path,
                  progress=False)


@pytest.mark.parametrize(
    "change",
    ["batch_size", "seed", "data", "learning_rate", "layer_sizes"],
)
def test_checkpoint_from_other_settings(rows, checkpoint, change):
    gan, X, batch_size, seed = small_gan(), rows, BATCH, 1
    if change == "batch_size":
        batch_size = 4
    elif change == "seed":
        seed = 2
    elif change == "data":
        X = rows.copy()
        X[0, 0] = 0.5 if X[0, 0] != 0.5 else 0.25
    elif change == "learning_rate":
        gan = small_gan(learning_rate=1e-2)
    elif change == "layer_sizes":
        gan = small_gan(units=(8, 4))
    before = snapshot(gan.generator.weights)
    with pytest.raises(CheckpointError, match="other data or settings"):
        train_gan(gan, X, epochs=4, batch_size=batch_size, seed=seed,
                  checkpoint_path=checkpoint, progress=False)
    for b, a in zip(before, gan.generator.weights):  # nothing was restored
        np.testing.assert_array_equal(value(a), b)


def test_checkpoint_with_more_epochs_than_requested(rows, checkpoint):
    gan = small_gan()
    before = snapshot(gan.generator.weights)
    with pytest.raises(CheckpointError, match=r"already trained 2 epochs, more than the epochs=1"):
        train_gan(gan, rows, epochs=1, batch_size=BATCH, seed=1, checkpoint_path=checkpoint,
                  progress=False)
    for b, a in zip(before, gan.generator.weights):
        np.testing.assert_array_equal(value(a), b)


# --- (d) too few rows for one minibatch -------------------------------------------------------
def test_fewer_rows_than_batch_size(rows):
    with pytest.raises(ValueError, match=r"10 rows, fewer than batch_size=32.*"
                                         r"Set batch_size to at most 10"):
        fit_gan(rows[:10], batch_size=32)
    with pytest.raises(ValueError, match=r"fewer than batch_size=16.*at most 10"):
        train_gan(small_gan(), rows[:10], epochs=1, batch_size=16, progress=False)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        train_gan(small_gan(), rows, epochs=1, batch_size=0, progress=False)


def test_rows_equal_to_batch_size_train_one_step_per_epoch(rows):
    history = train_gan(small_gan(), rows[:BATCH], epochs=2, batch_size=BATCH, progress=False)
    assert history["epoch"].tolist() == [1, 2]


# --- (e) the paper's number of steps ----------------------------------------------------------
def test_paper_settings_on_wdbc_minority_give_30_generator_updates(prepared):
    minority = prepared.X_train[prepared.y_train == 1]
    assert len(minority) == 106
    fitted = fit_gan(minority)  # the paper's defaults: 10 epochs, batch 32, lr 1e-4
    history = fitted.history
    # 106 // 32 = 3 full minibatches per epoch (the last 10 rows are dropped), 10 epochs.
    assert len(history) == 30
    assert history.groupby("epoch").size().tolist() == [3] * 10
    assert history["step"].tolist() == list(range(1, 31))
    assert int(fitted.gan.g_optimizer.iterations) == 30
    assert int(fitted.gan.d_optimizer.iterations) == 30
    assert list(history.columns) == ["epoch", "step", "d_loss", "g_loss", "d_real", "d_fake"]
    assert np.isfinite(history[["d_loss", "g_loss"]].to_numpy()).all()
    # The discriminator's outputs are probabilities.
    assert history[["d_real", "d_fake"]].stack().between(0, 1).all()
    assert (PAPER_EPOCHS, PAPER_BATCH_SIZE) == (10, 32)
    assert PAPER_GENERATOR_UNITS == (100, 200, 300, 400, 500)
    assert PAPER_DISCRIMINATOR_UNITS == (500, 400, 300, 200, 100)


# --- (f) generating rows ----------------------------------------------------------------------
def test_generate_rows_range_shape_and_determinism():
    gan = small_gan()
    rows_a = generate_rows(gan.generator, 50, seed=4)
    np.random.seed(0)  # the global generator must not matter
    keras.utils.set_random_seed(123)
    rows_b = generate_rows(gan.generator, 50, seed=4)
    rows_c = generate_rows(gan.generator, 50, seed=5)
    assert rows_a.shape == (50, N_FEATURES)
    assert rows_a.dtype == np.float64
    assert rows_a.min() >= 0.0 and rows_a.max() <= 1.0
    np.testing.assert_array_equal(rows_a, rows_b)
    assert not np.array_equal(rows_a, rows_c)


# --- (g) the Wasserstein GAN and the compiled epoch -------------------------------------------
def test_wgan_critic_takes_critic_steps_per_generator_step(rows):
    gan = small_gan(loss="wgan-gp", critic_steps=3)
    history = train_gan(gan, rows, epochs=2, batch_size=BATCH, seed=3, progress=False)
    n_updates = 2 * (len(rows) // BATCH)
    assert len(history) == n_updates
    assert int(gan.g_optimizer.iterations) == n_updates
    assert int(gan.d_optimizer.iterations) == 3 * n_updates
    assert gan.d_optimizer.beta_1 == 0.5 and gan.d_optimizer.beta_2 == 0.9
    # The critic's scores are unbounded, and its loss includes the penalty: all finite.
    assert np.isfinite(history[["d_loss", "g_loss", "d_real", "d_fake"]].to_numpy()).all()


def test_wgan_gradient_penalty_enters_the_critic_loss():
    """With the penalty weight set to 0 the critic loss is exactly d_fake - d_real; with 10 it
    is larger by a positive penalty (same weights, same inputs)."""
    rng = np.random.default_rng(0)
    real = rng.random((BATCH, N_FEATURES)).astype("float32")
    noise = rng.standard_normal((BATCH, NOISE_DIM)).astype("float32")
    mix = rng.random((BATCH, 1)).astype("float32")
    results = {}
    for penalty in (0.0, 10.0):
        gan = small_gan(loss="wgan-gp")
        gan.gradient_penalty = penalty
        stats = gan.discriminator_step(real, noise, mix)
        results[penalty] = {k: float(v) for k, v in stats.items()}
    plain = results[0.0]
    assert plain["d_loss"] == pytest.approx(plain["d_fake"] - plain["d_real"], abs=1e-6)
    assert results[10.0]["d_real"] == pytest.approx(plain["d_real"], abs=1e-6)
    assert results[10.0]["d_loss"] > plain["d_loss"] + 1e-3


def test_wgan_checkpoint_resume_equals_uninterrupted_run(rows, tmp_path):
    full = small_gan(loss="wgan-gp")
    full_history = train_gan(full, rows, epochs=4, batch_size=BATCH, seed=2, progress=False)
    path = tmp_path / "wgan.npz"
    train_gan(small_gan(loss="wgan-gp"), rows, epochs=2, batch_size=BATCH, seed=2,
              checkpoint_path=path, progress=False)
    resumed = small_gan(loss="wgan-gp", seed=99)  # other initial weights: all are restored
    history = train_gan(resumed, rows, epochs=4, batch_size=BATCH, seed=2, checkpoint_path=path,
                        progress=False)
    np.testing.assert_allclose(history.to_numpy(), full_history.to_numpy(), **TIGHT)
    assert_states_close(state(resumed), state(full))


def test_checkpoint_of_other_loss_is_refused(rows, tmp_path):
    path = tmp_path / "gan.npz"
    train_gan(small_gan(), rows, epochs=1, batch_size=BATCH, seed=1, checkpoint_path=path,
              progress=False)
    with pytest.raises(CheckpointError, match="other data or settings"):
        train_gan(small_gan(loss="wgan-gp"), rows, epochs=2, batch_size=BATCH, seed=1,
                  checkpoint_path=path, progress=False)


def test_compiled_epoch_equals_step_by_step_training(rows):
    """train_epoch (one compiled graph per epoch) makes the same updates as calling the two
    steps one by one with the same minibatches and noise."""
    compiled, stepwise = small_gan(), small_gan()
    inputs = gan_module.epoch_inputs(compiled, rows, BATCH, np.random.default_rng(4))
    stats = compiled.train_epoch(*inputs).numpy()
    real_batches, d_noise, g_noise, mix = inputs
    expected = []
    for b in range(len(g_noise)):
        d = stepwise.discriminator_step(real_batches[b, 0], d_noise[b, 0], mix[b, 0])
        g_loss = stepwise.generator_step(g_noise[b])
        expected.append([float(d["d_loss"]), float(g_loss), float(d["d_real"]),
                         float(d["d_fake"])])
    np.testing.assert_allclose(stats, expected, rtol=1e-5, atol=1e-6)
    assert_states_close(state(compiled), state(stepwise))


def test_unknown_loss_is_refused():
    with pytest.raises(ValueError, match=r"Unknown GAN loss 'wgan'.*'bce', 'wgan-gp'"):
        fit_gan(np.zeros((40, 3), dtype="float32"), loss="wgan")


def test_linear_generator_output_is_not_squashed():
    generator = build_generator(N_FEATURES, NOISE_DIM, UNITS, output_activation=None,
                                seeds=keras_seeds(0))
    generator.layers[-1].bias.assign(np.full(N_FEATURES, 5.0, dtype="float32"))
    assert generate_rows(generator, 20).min() > 1.0  # a sigmoid could never exceed 1


def test_few_updates_warning(rows):
    history = train_gan(small_gan(), rows, epochs=2, batch_size=BATCH, progress=False)
    warning = gan_module.few_updates_warning(history)
    assert warning.startswith("Only 10 generator updates (5 per epoch)")
    assert "fewer than 500" in warning
    assert gan_module.few_updates_warning(history, minimum=10) is None


def test_one_thread_per_operation_never_breaks_a_running_tensorflow():
    """After TensorFlow's first operation the setting can no longer change: the helper leaves
    it as it is, says whether one thread holds, and raises nothing (a notebook's second run)."""
    import tensorflow as tf

    assert float(tf.constant(1.0) + 1.0) == 2.0  # TensorFlow has run an operation
    before = tf.config.threading.get_intra_op_parallelism_threads()
    assert gan_module.one_thread_per_operation() == (before == 1)
    assert tf.config.threading.get_intra_op_parallelism_threads() == before
