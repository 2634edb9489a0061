"""Benchmark: seconds per GAN update, the paper's way against the project's, and the better GAN.

Usage: python scripts/benchmark_gan.py [--updates N] [--seed S] [--json PATH] [--skip-better]
                                       [--intra-op-threads N]

1. The paper's architecture is trained on WDBC's training malignant rows for the same number of
   generator updates in two ways, in one run:
   - paper style: the Keras 2 recipe, a discriminator compiled, frozen and stacked under the
     generator, trained with ``train_on_batch`` while toggling ``discriminator.trainable``
     (fake rows from ``generator.predict_on_batch``);
   - project style: :func:`tabaug.generators.gan.train_gan`, one compiled TensorFlow graph per
     epoch.
   Both do the same work per update: one discriminator step on 32 generated and 32 real rows,
   one generator step on 32 noise rows. The first epoch (when Keras and TensorFlow build their
   functions) is timed apart from the steady state.
2. The bare arithmetic of one update (forward and backward passes, and Adam's weight updates by
   TensorFlow's fused kernel) is timed in one compiled loop: no training loop can take less, so
   it bounds the speed-up any loop can reach over the paper style on this machine.
3. The better GAN (``GANOversampler(**WGAN_GP_SETTINGS)``) is trained once, timed, and its rows
   are checked against the fidelity targets (C2ST ROC AUC and distance to the closest training
   row, see :mod:`tabaug.fidelity.report`).

Figures are printed, not asserted: speed depends on the machine. The project's target on a
2-core CPU: at least 5 times fewer seconds per update, and the better GAN on target within 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tabaug.data.preprocessing import prepare_data  # noqa: E402
from tabaug.fidelity.report import C2ST_TARGET, MEMORISATION_LEVEL, target_check  # noqa: E402
from tabaug.generators.base import keras_seeds  # noqa: E402
from tabaug.generators.gan import (  # noqa: E402
    PAPER_BATCH_SIZE,
    PAPER_LEARNING_RATE,
    build_discriminator,
    build_generator,
    compile_gan,
    paper_noise_dim,
    train_gan,
)
from tabaug.sampling.classic import new_rows  # noqa: E402
from tabaug.sampling.gan_oversampler import WGAN_GP_SETTINGS, GANOversampler  # noqa: E402

SPEED_TARGET = 5.0
TIME_TARGET_SECONDS = 30.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300,
                        help="generator updates per training style (default 300)")
    parser.add_argument("--seed", type=int, default=42, help="data split and GAN seed")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--skip-better", action="store_true", help="time the paper's GAN only")
    parser.add_argument("--better-epochs", type=int, default=WGAN_GP_SETTINGS["epochs"],
                        metavar="N", help="epochs of the better GAN's check (default: "
                        f"{WGAN_GP_SETTINGS['epochs']}, its setting; the tests use fewer)")
    parser.add_argument("--repeats", type=int, default=300, metavar="N",
                        help="repeats of the compiled loop that times the bare arithmetic "
                             "(default 300)")
    parser.add_argument("--intra-op-threads", type=int, metavar="N",
                        help="threads TensorFlow may use inside one operation (default: all "
                             "cores); small networks on few cores can run faster with 1")
    args = parser.parse_args(argv)
    if args.updates < 2 * (106 // PAPER_BATCH_SIZE):
        parser.error("--updates must cover at least two epochs (6 updates on WDBC)")
    if args.better_epochs < 1 or args.repeats < 1:
        parser.error("--better-epochs and --repeats must be at least 1")
    if args.intra_op_threads is not None and args.intra_op_threads < 1:
        parser.error("--intra-op-threads must be at least 1")
    return args


def paper_networks(n_features, seed):
    seeds = keras_seeds(seed)
    generator = build_generator(n_features, paper_noise_dim(n_features), seeds=seeds)
    discriminator = build_discriminator(n_features, seeds=seeds)
    return generator, discriminator


def paper_style_trainer(X, seed):
    """The paper's Keras 2 recipe; returns a function that runs ``n`` epochs of updates."""
    generator, discriminator = paper_networks(X.shape[1], seed)
    discriminator.compile(optimizer=keras.optimizers.Adam(PAPER_LEARNING_RATE),
                          loss="binary_crossentropy")
    discriminator.trainable = False
    stacked = keras.Sequential([generator, discriminator])
    stacked.compile(optimizer=keras.optimizers.Adam(PAPER_LEARNING_RATE),
                    loss="binary_crossentropy")
    rng = np.random.default_rng(seed)
    batch, noise_dim = PAPER_BATCH_SIZE, generator.input_shape[-1]
    labels = np.concatenate([np.zeros((batch, 1)), np.ones((batch, 1))]).astype("float32")
    ones = np.ones((batch, 1), dtype="float32")

    def run(n_epochs):
        for _ in range(n_epochs):
            order = rng.permutation(len(X))
            for b in range(len(X) // batch):
                real = X[order[b * batch:(b + 1) * batch]]
                noise = rng.standard_normal((batch, noise_dim)).astype("float32")
                fake = generator.predict_on_batch(noise)
                discriminator.trainable = True
                discriminator.train_on_batch(np.concatenate([fake, real]), labels)
                discriminator.trainable = False
                noise = rng.standard_normal((batch, noise_dim)).astype("float32")
                stacked.train_on_batch(noise, ones)

    return run, generator, discriminator


def project_style_trainer(X, seed):
    """The project's training: :func:`tabaug.generators.gan.train_gan`, one compiled graph per
    epoch."""
    generator, discriminator = paper_networks(X.shape[1], seed)
    gan = compile_gan(generator, discriminator)

    def run(n_epochs):
        train_gan(gan, X, epochs=n_epochs, batch_size=PAPER_BATCH_SIZE, seed=seed + n_epochs,
                  progress=False)

    return run, generator, discriminator


def time_epochs(trainer, X, seed, n_epochs):
    """Seconds of the first epoch (building included) and of the remaining epochs."""
    run, generator, discriminator = trainer(X, seed)
    weights = generator.weights + discriminator.weights
    weights_before = [w.numpy().copy() for w in weights]
    began = time.perf_counter()
    run(1)
    first = time.perf_counter() - began
    began = time.perf_counter()
    run(n_epochs - 1)
    rest = time.perf_counter() - began
    if not all(not np.array_equal(b, w.numpy()) for b, w in zip(weights_before, weights)):
        raise RuntimeError("A network did not train: the comparison would be meaningless.")
    return first, rest


def speed_comparison(X, seed, updates):
    per_epoch = len(X) // PAPER_BATCH_SIZE
    n_epochs = max(2, updates // per_epoch)
    n_updates = n_epochs * per_epoch
    rows = {}
    for name, trainer in (("paper style (train_on_batch)", paper_style_trainer),
                          ("project (compiled epoch)", project_style_trainer)):
        first, rest = time_epochs(trainer, X, seed, n_epochs)
        rows[name] = {
            "updates": n_updates,
            "first_epoch_s": first,
            "ms_per_update": 1000 * rest / (n_updates - per_epoch),
            "total_s": first + rest,
        }
    return rows


def better_gan_check(data, seed, epochs=WGAN_GP_SETTINGS["epochs"]):
    """Train the better GAN on the training rows, time it, and measure its rows' fidelity."""
    train_rows = data.X_train[data.y_train == 1]
    sampler = GANOversampler(**{**WGAN_GP_SETTINGS, "epochs": epochs}, random_state=seed)
    began = time.perf_counter()
    generated = new_rows(sampler, data.X_train, data.y_train, len(train_rows))
    seconds = time.perf_counter() - began
    check = target_check(train_rows, data.X_val[data.y_val == 1], generated, random_state=seed)
    n_updates = len(sampler.histories_[1])
    return {"train_s": seconds, "updates": n_updates, "ms_per_update": 1000 * seconds / n_updates,
            "critic_steps": sampler.critic_steps, **check,
            "on_target": check["on_target"] and seconds <= TIME_TARGET_SECONDS}


def arithmetic_floor(X, seed, repeats=300):
    """Milliseconds of the bare arithmetic of one update of the paper's networks.

    One forward and backward pass of the discriminator on 64 rows and of both networks on 32
    rows, then Adam's update of both networks' weights by TensorFlow's fused kernel, repeated
    ``repeats`` times in one compiled loop (no per-call cost), the two networks' passes free to
    run at once. Real training must run them one after the other, so this is a lower bound on
    the time of any training loop here. Returns the passes alone and the passes with updates.
    """
    generator, discriminator = paper_networks(X.shape[1], seed)
    rows = tf.constant(np.resize(X, (2 * PAPER_BATCH_SIZE, X.shape[1])))
    noise = tf.random.normal((PAPER_BATCH_SIZE, generator.input_shape[-1]), seed=seed)
    weights = discriminator.trainable_weights + generator.trainable_weights
    slots = [tf.Variable(tf.zeros(w.shape)) for w in weights for _ in range(2)]

    def passes():
        with tf.GradientTape() as tape:
            d_out = tf.reduce_sum(discriminator(rows))
        d_grads = tape.gradient(d_out, discriminator.trainable_weights)
        with tf.GradientTape() as tape:
            g_out = tf.reduce_sum(discriminator(generator(noise)))
        return d_grads + tape.gradient(g_out, generator.trainable_weights)

    @tf.function
    def passes_only(n):
        total = tf.constant(0.0)
        for _ in tf.range(n):
            total += tf.add_n([tf.reduce_sum(g) for g in passes()])
        return total

    @tf.function
    def passes_and_updates(n):
        for _ in tf.range(n):
            for w, m, v, g in zip(weights, slots[::2], slots[1::2], passes()):
                # Fixed bias-correction powers: only the cost of the arithmetic matters here.
                tf.raw_ops.ResourceApplyAdam(
                    var=w.value.handle, m=m.handle, v=v.handle, beta1_power=0.9,
                    beta2_power=0.999, lr=PAPER_LEARNING_RATE, beta1=0.9, beta2=0.999,
                    epsilon=1e-7, grad=g)
        return tf.constant(0.0)

    def milliseconds(loop):
        loop(tf.constant(2)).numpy()
        began = time.perf_counter()
        loop(tf.constant(repeats)).numpy()
        return 1000 * (time.perf_counter() - began) / repeats

    return milliseconds(passes_only), milliseconds(passes_and_updates)


def main(argv=None):
    args = parse_args(argv)
    if args.intra_op_threads is not None:
        # Must come before TensorFlow runs its first operation in this process.
        tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
    data = prepare_data(seed=args.seed, verbose=False)
    X = data.X_train[data.y_train == 1].astype("float32")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{keras.config.backend()} backend, Keras {keras.__version__}, "
          f"threads per operation: {args.intra_op_threads or 'all cores'}")
    print(f"Paper's GAN architecture on {len(X)} training malignant rows, "
          f"minibatches of {PAPER_BATCH_SIZE}:")
    speed = speed_comparison(X, args.seed, args.updates)
    for name, row in speed.items():
        print(f"  {name:30s} {row['updates']} updates: first epoch {row['first_epoch_s']:.2f} s, "
              f"then {row['ms_per_update']:.2f} ms per update; total {row['total_s']:.2f} s")
    paper, ours = speed.values()
    ratio = paper["ms_per_update"] / ours["ms_per_update"]
    total_ratio = paper["total_s"] / ours["total_s"]
    print(f"Speed-up per update (steady state): {ratio:.1f}x (target {SPEED_TARGET:.0f}x: "
          f"{'met' if ratio >= SPEED_TARGET else 'NOT met'}); "
          f"over the whole run, start-up included: {total_ratio:.1f}x")
    passes, floor = arithmetic_floor(X, args.seed, args.repeats)
    bound = paper["ms_per_update"] / floor
    print(f"The bare arithmetic of one update (two networks of about 420,000 weights each): "
          f"{passes:.2f} ms of forward and backward passes, {floor:.2f} ms with the weight "
          f"updates. No training loop can take less here, so none can be more than "
          f"{bound:.1f}x faster than the paper style on this architecture and machine.")
    result = {"speed": speed, "speedup_per_update": ratio, "speedup_total": total_ratio,
              "passes_ms_per_update": passes, "arithmetic_ms_per_update": floor,
              "speedup_bound": bound, "speed_target": SPEED_TARGET,
              "time_target_s": TIME_TARGET_SECONDS, "seed": args.seed,
              "keras": keras.__version__, "cpu_count": os.cpu_count(),
              "intra_op_threads": args.intra_op_threads}
    if not args.skip_better:
        better = better_gan_check(data, args.seed, args.better_epochs)
        print(f"Better GAN (WGAN_GP_SETTINGS): {better['updates']} updates in "
              f"{better['train_s']:.1f} s ({better['ms_per_update']:.1f} ms per update, "
              f"{better['critic_steps']} critic steps each); C2ST ROC AUC "
              f"{better['c2st_auc']:.3f} against held-out rows (target <= {C2ST_TARGET}), "
              f"memorisation test p = {better['closer_p_value']:.3f} (memorising below "
              f"{MEMORISATION_LEVEL}); within {TIME_TARGET_SECONDS:.0f} s and on target: "
              f"{'yes' if better['on_target'] else 'NO'}")
        result["better_gan"] = better
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
        print(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
