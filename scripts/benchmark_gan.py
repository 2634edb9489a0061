"""Benchmark: seconds per GAN update, the paper's way against the project's, and the better GAN.

Usage: python scripts/benchmark_gan.py [--updates N] [--seed S] [--json PATH] [--skip-better]

1. The paper's architecture is trained on WDBC's training malignant rows for the same number of
   generator updates in two ways, in one run:
   - paper style: the Keras 2 recipe, a discriminator compiled, frozen and stacked under the
     generator, trained with ``train_on_batch`` while toggling ``discriminator.trainable``
     (fake rows from ``generator.predict_on_batch``);
   - project style: :func:`utils.gan.train_gan`, one compiled TensorFlow graph per epoch.
   Both do the same work per update: one discriminator step on 32 generated and 32 real rows,
   one generator step on 32 noise rows. The first epoch (when Keras and TensorFlow build their
   functions) is timed apart from the steady state.
2. The better GAN (``GANOversampler(**WGAN_GP_SETTINGS)``) is trained once, timed, and its rows
   are checked against the fidelity targets (C2ST ROC AUC and distance to the closest training
   row, see :mod:`utils.fidelity`).

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

from utils.fidelity import C2ST_TARGET, DCR_RATIO_TARGET, target_check  # noqa: E402
from utils.gan import (  # noqa: E402
    PAPER_BATCH_SIZE,
    PAPER_LEARNING_RATE,
    build_discriminator,
    build_generator,
    compile_gan,
    paper_noise_dim,
    train_gan,
)
from utils.oversampler import WGAN_GP_SETTINGS, GANOversampler  # noqa: E402
from utils.preprocessing import prepare_data  # noqa: E402
from utils.sampling import new_rows  # noqa: E402

SPEED_TARGET = 5.0
TIME_TARGET_SECONDS = 30.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300,
                        help="generator updates per training style (default 300)")
    parser.add_argument("--seed", type=int, default=42, help="data split and GAN seed")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--skip-better", action="store_true", help="time the paper's GAN only")
    args = parser.parse_args(argv)
    if args.updates < 2 * (106 // PAPER_BATCH_SIZE):
        parser.error("--updates must cover at least two epochs (6 updates on WDBC)")
    return args


def paper_networks(n_features, seed):
    keras.utils.set_random_seed(seed)
    generator = build_generator(n_features, paper_noise_dim(n_features))
    discriminator = build_discriminator(n_features)
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
    """The project's training: :func:`utils.gan.train_gan`, one compiled graph per epoch."""
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


def better_gan_check(data, seed):
    """Train the better GAN on the training rows, time it, and measure its rows' fidelity."""
    train_rows = data.X_train[data.y_train == 1]
    sampler = GANOversampler(**WGAN_GP_SETTINGS, random_state=seed)
    began = time.perf_counter()
    generated = new_rows(sampler, data.X_train, data.y_train, len(train_rows))
    seconds = time.perf_counter() - began
    check = target_check(train_rows, data.X_val[data.y_val == 1], generated, random_state=seed)
    n_updates = len(sampler.histories_[1])
    return {"train_s": seconds, "updates": n_updates, "ms_per_update": 1000 * seconds / n_updates,
            **check, "on_target": check["on_target"] and seconds <= TIME_TARGET_SECONDS}


def arithmetic_floor(X, seed, repeats=200):
    """Milliseconds of the bare arithmetic of one update of the paper's networks: one forward
    and backward pass of the discriminator on 64 rows and of both networks on 32 rows."""
    generator, discriminator = paper_networks(X.shape[1], seed)
    rows = tf.constant(X[:2 * PAPER_BATCH_SIZE] if len(X) >= 64 else np.resize(X, (64, X.shape[1])))
    noise = tf.random.normal((PAPER_BATCH_SIZE, generator.input_shape[-1]), seed=seed)

    @tf.function
    def passes():
        with tf.GradientTape() as tape:
            d_out = tf.reduce_sum(discriminator(rows))
        d_grads = tape.gradient(d_out, discriminator.trainable_weights)
        with tf.GradientTape() as tape:
            g_out = tf.reduce_sum(discriminator(generator(noise)))
        return d_grads, tape.gradient(g_out, generator.trainable_weights)

    passes()
    began = time.perf_counter()
    for _ in range(repeats):
        passes()
    return 1000 * (time.perf_counter() - began) / repeats


def main(argv=None):
    args = parse_args(argv)
    data = prepare_data(seed=args.seed, verbose=False)
    X = data.X_train[data.y_train == 1].astype("float32")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{keras.config.backend()} backend, Keras {keras.__version__}")
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
    floor = arithmetic_floor(X, args.seed)
    print(f"The forward and backward passes of one update alone (two networks of about 420,000 "
          f"weights each) take {floor:.2f} ms here, before any weight is updated: no training "
          f"loop can be more than {paper['ms_per_update'] / floor:.1f}x faster than the paper "
          "style on this architecture and machine.")
    result = {"speed": speed, "speedup_per_update": ratio, "speedup_total": total_ratio,
              "arithmetic_ms_per_update": floor, "seed": args.seed, "keras": keras.__version__,
              "cpu_count": os.cpu_count()}
    if not args.skip_better:
        better = better_gan_check(data, args.seed)
        print(f"Better GAN (WGAN_GP_SETTINGS): {better['updates']} updates in "
              f"{better['train_s']:.1f} s ({better['ms_per_update']:.1f} ms per update, "
              f"5 critic steps each); C2ST ROC AUC {better['c2st_auc']:.3f} (target "
              f"<= {C2ST_TARGET}), median distance to the closest training row "
              f"{better['dcr_ratio']:.2f}x that of real held-out rows (target >= "
              f"{DCR_RATIO_TARGET}); within {TIME_TARGET_SECONDS:.0f} s and on target: "
              f"{'yes' if better['on_target'] else 'NO'}")
        result["better_gan"] = better
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
        print(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
