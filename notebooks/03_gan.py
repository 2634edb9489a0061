# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · A GAN for the minority class: build, train, generate
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/03_gan.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# The paper's **Step 2c**: train a Generative Adversarial Network (GAN) on the training rows of
# the minority class (malignant in WDBC) and use its generator to make new rows of that class
# until it is as large as the largest class. With more than two classes, every class smaller
# than the largest gets a GAN of its own in the same way; you build the minority's here.
#
# A GAN is two neural networks in a game. The **generator** turns random noise into rows that
# should look like real patients of the class; the **discriminator** tries to tell real rows from
# generated ones. Each improves because the other does: the discriminator learns from its
# mistakes, and the generator learns from the discriminator's judgement.
#
# You write the whole GAN here, in short Keras 3 cells you can read and change: the two
# networks, the loss and the optimizers, one training step for each network, and the training
# loop. Then you check that the project's `utils`, which the later notebooks call, is exactly
# what you built.
#
# **What you will learn**
#
# - how the paper's generator and discriminator are built, layer by layer, in Keras 3;
# - what the two losses are, why each network has its own optimizer, and why Keras 2's
#   "freeze the discriminator" recipe is not used;
# - how to write a GAN's training steps with `tf.GradientTape` and its training loop;
# - how many updates the paper's GAN really gets (and what happens when the class has fewer
#   rows than a minibatch), and what its rows look like as it trains;
# - how to save a checkpoint after every epoch and resume an interrupted training;
# - that `tabaug.generators.gan` and `utils.GANOversampler` give exactly the weights and rows you
#   made.
#
# **Before you start**
#
# Do notebooks `01_preprocessing` (the split and the scaling this GAN learns from) and
# `02_random_oversampling_and_smote` (the two simpler ways to add minority rows) first. You
# need Python and NumPy, and the idea of a neural network trained by gradient descent on a
# loss; Keras experience helps but is not required.
#
# **Time**
#
# About 45 minutes to read and try. The times below include Exercise 1's longer training; the
# first run on Colab adds a minute to install `utils`.
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 18 s (27 units) with
# the default parameters. One unit is the paper's grid search once (README, Time).
# <!-- speed:end -->

# %% [markdown]
# ## Setup
#
# The notebooks share a small package of this project, `utils`, the course's door to the
# project's toolkit, `tabaug`. The next cell installs both, with what the course needs, when the
# release these notebooks were written for is not installed (on Google Colab, say); where it is
# (`make lab`, `make run`) it does nothing. It then checks that `import utils` finds this
# project's package, not another module of that name.

# %%
import importlib
import importlib.metadata
import subprocess
import sys

RELEASE = "0.3.0"  # the project's release these notebooks were written for
try:
    installed = importlib.metadata.version("gan-augmentation-tutorial")
except importlib.metadata.PackageNotFoundError:  # not installed yet: Colab, or a new environment
    installed = None
if installed != RELEASE:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "gan-augmentation-tutorial[course] @ git+https://github.com/gan-augmentation/"
                    f"gan-imbalanced-tutorial@v{RELEASE}"], check=True)
    importlib.invalidate_caches()

import utils

if getattr(utils, "__version__", None) != RELEASE:
    raise ImportError(f"`import utils` found {utils.__file__}, not this course's utils {RELEASE}: "
                      "rename your own utils.py (or folder utils/), or restart the runtime if an "
                      "older release was imported, and run this cell again.")

# %% [markdown]
# Import the libraries, print their versions, and keep TensorFlow's start-up chatter short.

# %%
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers

import utils
from utils import (
    class_counts, distance_to_closest, fit_2d_view, minibatch_size, minority_class,
    plot_gan_losses, plot_rows_2d, rows_to_add, save_figure,
)
from utils.diagrams import plot_gan_game
from utils.gan import (
    GAN, HISTORY_COLUMNS, build_discriminator, build_generator, compile_gan, fit_gan,
    generate_rows, one_thread_per_operation, paper_noise_dim, train_gan,
)
from utils.pipeline import TrainingSet, gan_checkpoint_path, gan_oversampler, save_gan_rows

print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, numpy {np.__version__}")

# %% [markdown]
# Run each TensorFlow operation on one thread. The GAN's networks are small: two threads
# sharing one minibatch's matrix product wait for each other more than they gain, on a busy
# machine above all (`scripts/benchmark_gan.py --intra-op-threads 1` times it on yours).
# TensorFlow takes the setting only before its first operation, so it comes right after the
# imports; the cell prints `True` when the setting holds.

# %%
one_thread_per_operation()

# %% [markdown]
# ## Parameters
#
# The data settings of notebook 01, and the GAN's settings. The defaults are the paper's code:
# 10 epochs of minibatches of 32 rows, Adam with learning rate 0.0001, and noise of half as
# many values as there are features (`noise_dim = None`).

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the classes
positive_label = None  # the class of interest of two (coded 1); None takes the minority class
id_columns = ["id"]  # identifier columns to drop ([] for none)
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
epochs = 10  # passes over the minority class's training rows
batch_size = 32  # rows per minibatch
learning_rate = 1e-4  # Adam's learning rate, for both networks
noise_dim = None  # size of the generator's noise input; None takes n_features // 2
resume = True  # continue from the checkpoint saved for these settings, if there is one

# %%
params = utils.check_parameters("03_gan", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Step 1, preprocessing, in one call (notebook 01 walks through it).

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label,
                          id_columns=id_columns)
names = data.class_names
n_features = data.X_train.shape[1]
print(f"{len(data.y_train)} training rows, {n_features} features")

# %% [markdown]
# ## Take the minority class's training rows
#
# The GAN learns from the minority class of the **training rows only** (malignant in WDBC); the
# other classes' rows, and every validation and test row, stay out of it.

# %%
minority = minority_class(data.y_train)
X_minority = data.X_train[data.y_train == minority]
print(f"{len(X_minority)} {names[minority]} training rows to learn from")

# %% [markdown]
# The GAN learns from minibatches of `batch_size` rows, and the paper's loop drops an epoch's
# last, partial minibatch. A class with fewer rows than a minibatch would then train **zero**
# steps, without a word. So here, as in `utils`' over-samplers, the minibatch shrinks to the
# whole class, with a warning (`SmallClassWarning`), and the cell prints the size used.

# %%
gan_batch_size = minibatch_size(len(X_minority), batch_size, f"The {names[minority]} class")
print(f"minibatches of {gan_batch_size} rows (batch_size = {batch_size})")

# %% [markdown]
# ## The game
#
# Before the code, the picture. In every minibatch the generator turns noise into rows; the
# discriminator gives each row, real or generated, a probability of being real, `p(real)`.
# Each network has a loss, binary cross-entropy (BCE) against labels: 1 for "real", 0 for
# "generated". The discriminator's loss wants `p(real)` near 1 on real rows and near 0 on
# generated ones; the generator's loss wants `p(real)` near 1 on *its* rows. Each loss changes
# the weights of one network only.

# %%
noise_size = paper_noise_dim(n_features) if noise_dim is None else noise_dim  # None: the paper's
fig = plot_gan_game(noise_size, n_features, gan_batch_size)
save_figure(fig, output_dir, "gan_game")
plt.show()

# %% [markdown]
# ## Build the generator
#
# The generator maps a noise vector to a row of `n_features` values. The paper's code uses
# noise of `n_features // 2` values, five hidden layers of 100, 200, 300, 400 and 500 units
# with the selu activation, and an output layer with a sigmoid, which makes values in [0, 1],
# the range of the min-max scaled features.
#
# > **Where the paper's text and code differ:** the text speaks of "an input layer of 100
# > perceptrons" and four hidden layers. In the code the noise is `n_features // 2` values and
# > the layer of 100 units is the first of five hidden layers. We follow the code.

# %%
print(f"noise of {noise_size} values in, rows of {n_features} features out")

# %% [markdown]
# Seed the initial weights first, so that they, and with them the whole training, come out the
# same on every run. `keras.random.SeedGenerator(seed)` is one seeded stream of random numbers;
# Keras' usual initializer (`GlorotUniform`) drawing from it gives every layer weights of its
# own, the same ones for the same seed. (`keras.utils.set_random_seed` would do it too, but it
# reseeds Python's, NumPy's and TensorFlow's *global* generators, which a library must never do
# behind its caller's back.) Then build the generator, one layer per line: change a line to try
# another network.

# %%
seeds = keras.random.SeedGenerator(seed)
init = keras.initializers.GlorotUniform(seed=seeds)
generator = keras.Sequential([
    keras.Input(shape=(noise_size,)),
    layers.Dense(100, activation="selu", kernel_initializer=init),
    layers.Dense(200, activation="selu", kernel_initializer=init),
    layers.Dense(300, activation="selu", kernel_initializer=init),
    layers.Dense(400, activation="selu", kernel_initializer=init),
    layers.Dense(500, activation="selu", kernel_initializer=init),
    layers.Dense(n_features, activation="sigmoid", kernel_initializer=init),  # in [0, 1]
], name="generator")
generator.summary()

# %% [markdown]
# > **Good practice:** the generator usually gets *wider* as it gets deeper. Its output layer
# > must have as many units as there are features, and its input as many as the noise.
# >
# > **Good practice:** a sigmoid output makes training easier, because the generator only has
# > to produce values in [0, 1]. That works because Step 1f scaled the features to [0, 1].

# %% [markdown]
# ## Build the discriminator
#
# The discriminator maps a row to the probability that it is real. It narrows as it gets
# deeper and ends in one sigmoid unit.
#
# > **Where the paper's text and code differ:** the text describes four hidden layers of
# > 500, 400, 300 and 200 units. The code has a linear layer of `n_features` units first, then
# > **five** selu layers of 500, 400, 300, 200 and 100 units. We follow the code.

# %%
discriminator = keras.Sequential([  # its weights continue the generator's seed stream
    keras.Input(shape=(n_features,)),
    layers.Dense(n_features, kernel_initializer=init),  # linear, as in the paper's code
    layers.Dense(500, activation="selu", kernel_initializer=init),
    layers.Dense(400, activation="selu", kernel_initializer=init),
    layers.Dense(300, activation="selu", kernel_initializer=init),
    layers.Dense(200, activation="selu", kernel_initializer=init),
    layers.Dense(100, activation="selu", kernel_initializer=init),
    layers.Dense(1, activation="sigmoid", kernel_initializer=init),  # p(real)
], name="discriminator")
discriminator.summary()

# %% [markdown]
# ## The loss and two optimizers
#
# Both networks output probabilities, so both losses are **binary cross-entropy**: for a
# label `y` (1 real, 0 generated) and a probability `p`, it is `-[y log p + (1 - y) log(1 - p)]`,
# averaged over the rows. Check Keras' loss against the formula on three made-up outputs:

# %%
cross_entropy = keras.losses.BinaryCrossentropy()
labels = np.array([[1.0], [1.0], [0.0]])
p_real = np.array([[0.9], [0.5], [0.2]])
by_hand = -np.mean(labels * np.log(p_real) + (1 - labels) * np.log(1 - p_real))
print(f"by hand {by_hand:.4f}, Keras {float(cross_entropy(labels, p_real)):.4f}")

# %% [markdown]
# Each network gets its **own** Adam optimizer, with the paper's learning rate (Adam's default
# is 0.001; the paper found 0.0001 works better for this GAN). Two, because Adam keeps a
# running average of past gradients for every weight it updates: the discriminator's history
# must not steer the generator's weights, and a Keras 3 optimizer serves the weights of one
# model only.

# %%
d_optimizer = keras.optimizers.Adam(learning_rate=learning_rate)  # updates the discriminator
g_optimizer = keras.optimizers.Adam(learning_rate=learning_rate)  # updates the generator

# %% [markdown]
# > **Why not the paper's "freeze and compile"?** The paper (like many Keras 2 tutorials)
# > compiles the discriminator, sets `discriminator.trainable = False`, then compiles the
# > generator stacked on the discriminator. In Keras 3, `trainable` is a live flag and the
# > training function is built at the first training call, so that recipe can silently stop
# > the discriminator from learning. The steps below need no flag: each computes gradients
# > for, and updates, an **explicit list of weights**.

# %% [markdown]
# ## One training step for each network
#
# The discriminator step: generate a minibatch of rows (labelled 0), put the real minibatch
# (labelled 1) after them, and update the discriminator's weights, and only those, to lower its
# loss. It returns the loss and the discriminator's mean `p(real)` on the real and on the
# generated rows, the numbers to watch during training. `@tf.function` compiles the step into a
# TensorFlow graph, which runs faster than line-by-line Python.

# %%
@tf.function
def discriminator_step(real, noise):
    fake = generator(noise, training=False)
    n_fake, n_real = fake.shape[0], real.shape[0]
    rows = tf.concat([fake, real], axis=0)  # generated rows first, then real ones
    labels = tf.concat([tf.zeros((n_fake, 1)), tf.ones((n_real, 1))], axis=0)
    with tf.GradientTape() as tape:  # records the computation, to differentiate it
        p_real = discriminator(rows, training=True)
        loss = cross_entropy(labels, p_real)
    weights = discriminator.trainable_weights  # the discriminator's weights only
    d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss, tf.reduce_mean(p_real[n_fake:]), tf.reduce_mean(p_real[:n_fake])


# %% [markdown]
# The generator step: fresh noise goes through both networks, labelled 1 ("real"): the
# generator is rewarded when the discriminator is fooled. The discriminator is used but not
# changed, since only the generator's weights are updated.
#
# > **Watch out:** `@tf.function` compiles a step for the networks that exist when it first
# > runs. After you change a cell above, run it and every cell below it again.

# %%
@tf.function
def generator_step(noise):
    weights = generator.trainable_weights  # the generator's weights only
    with tf.GradientTape() as tape:
        p_real = discriminator(generator(noise, training=True), training=False)
        loss = cross_entropy(tf.ones_like(p_real), p_real)  # target: "real"
    g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


# %% [markdown]
# ## How many updates?
#
# The last, partial minibatch of an epoch is dropped, as in the paper. So count the updates
# before training.

# %% tags=["nbval-check-output"]
steps_per_epoch = len(X_minority) // gan_batch_size
print(f"{len(X_minority)} rows // {gan_batch_size} = {steps_per_epoch} minibatches per epoch "
      f"({len(X_minority) % gan_batch_size} rows left out of each); {steps_per_epoch} x {epochs} "
      f"epochs = {steps_per_epoch * epochs} updates of each network")

# %% [markdown]
# ## Shuffling: the paper's code and here
#
# Every epoch should see the rows in a new order. The paper's code creates a new
# `RandomState(42)` every epoch and shuffles the rows *in place*: it applies the same
# permutation again to rows it has already shuffled, so the order does change from epoch to
# epoch (and every run goes through the same sequence of orders). Here one seeded generator
# draws a new permutation every epoch. Watch both on five numbers:

# %% tags=["nbval-check-output"]
paper_order, demo_rng = np.arange(5), np.random.default_rng(seed)
for epoch in range(1, 4):
    np.random.RandomState(seed).shuffle(paper_order)  # the paper's code, every epoch
    print(f"epoch {epoch}: paper's code {paper_order}, here {demo_rng.permutation(5)}")

# %% [markdown]
# ## Train
#
# To watch the generator learn, keep one fixed batch of noise, as many rows as there are real
# ones, and generate rows from it before training and after a few epochs.

# %%
real_rows = X_minority.astype("float32")  # TensorFlow computes in float32
watch_noise = (np.random.default_rng([seed, 2])
               .standard_normal((len(real_rows), noise_size)).astype("float32"))
watch_epochs = sorted({1, epochs // 2, epochs} - {0})
print(f"snapshots after epochs {watch_epochs}")

# %% [markdown]
# The paper's loop. For each epoch: shuffle the rows; then for each full minibatch, draw noise,
# train the discriminator, then the generator, and record the losses and the discriminator's
# mean outputs. The shuffles and all the noise come from one generator seeded with `seed`.
#
# > **Good practice:** minibatches of at most 32 rows; shuffle every epoch; train the
# > discriminator first, then the generator.

# %%
rng = np.random.default_rng(seed)
history, snapshots = [], {0: generator(watch_noise, training=False).numpy()}
began = time.perf_counter()
for epoch in range(1, epochs + 1):
    order = rng.permutation(len(real_rows))  # a new order every epoch
    for step in range(steps_per_epoch):  # full minibatches only
        real = real_rows[order[step * gan_batch_size:(step + 1) * gan_batch_size]]
        d_noise = rng.standard_normal((gan_batch_size, noise_size)).astype("float32")
        g_noise = rng.standard_normal((gan_batch_size, noise_size)).astype("float32")
        d_loss, d_real, d_fake = discriminator_step(real, d_noise)
        g_loss = generator_step(g_noise)
        history.append([epoch, len(history) + 1, float(d_loss), float(g_loss),
                        float(d_real), float(d_fake)])
    if epoch in watch_epochs:
        snapshots[epoch] = generator(watch_noise, training=False).numpy()
history = pd.DataFrame(history, columns=HISTORY_COLUMNS)
print(f"{len(history)} updates in {time.perf_counter() - began:.1f} s")

# %% [markdown]
# ## Look at the losses and the discriminator's outputs
#
# In a balanced game neither loss runs away: a discriminator loss near 0 means it wins easily,
# a generator loss that keeps climbing means the generator is losing. On the right, the
# discriminator's mean `p(real)`: far apart on real and generated rows, it tells them apart;
# both near 0.5, it cannot (which is not yet proof that the rows are realistic: see notebook 07).

# %%
fig, (loss_ax, output_ax) = plt.subplots(1, 2, figsize=(13, 4))
plot_gan_losses(history, ax=loss_ax)
output_ax.plot(history["step"], history["d_real"], marker="o", markersize=3, label="on real rows")
output_ax.plot(history["step"], history["d_fake"], marker="s", markersize=3,
               label="on generated rows")
output_ax.axhline(0.5, color="grey", linestyle=":", label="0.5: cannot tell")
output_ax.set(xlabel="training step (generator update)", ylabel="discriminator's mean p(real)",
              title="What the discriminator says", ylim=(0, 1))
output_ax.legend()
save_figure(fig, output_dir, "gan_losses")
plt.show()

# %% [markdown]
# The same numbers, averaged over the last epoch:

# %%
def last_epoch(history):
    """Mean losses and discriminator outputs over the last epoch of a training history."""
    return history[history["epoch"] == history["epoch"].max()][
        ["d_loss", "g_loss", "d_real", "d_fake"]].mean()


last_epoch(history).round(3)

# %% [markdown]
# ## Watch the generator learn
#
# The real minority rows (grey) and the rows generated from the fixed noise, in one 2-D view:
# a principal component analysis (PCA) fitted on the real rows, so every panel has the same
# axes.

# %%
view = fit_2d_view(X_minority, seed)
fig, axes = plt.subplots(1, len(snapshots), figsize=(4.2 * len(snapshots), 4.4),
                         sharex=True, sharey=True, layout="constrained")
for ax, (epoch, rows) in zip(axes, snapshots.items()):
    title = ("before training" if epoch == 0
             else f"after epoch {epoch} ({epoch * steps_per_epoch} updates)")
    plot_rows_2d(view, X_minority, {"generated": rows}, ax=ax, title=title,
                 real_label=f"real {names[minority]}")
fig.supxlabel(axes[0].get_xlabel())  # one label for the shared axis
for ax in axes:
    ax.set_xlabel("")
save_figure(fig, output_dir, "gan_training_2d")
plt.show()

# %% [markdown]
# Has the generated cloud moved towards the real rows, and does it cover their spread? The
# median distance of the generated rows to the closest real row, at each snapshot, puts a
# number on it (real rows the GAN never saw are at about the distance printed further down):

# %%
snapshot_distances = pd.Series({epoch: np.median(distance_to_closest(X_minority, rows))
                                for epoch, rows in snapshots.items()},
                               name="median distance to the closest real row")
snapshot_distances.rename_axis("after epoch (0: before training)").round(3)

# %% [markdown]
# ## Generate rows and balance the training data
#
# Draw as many rows as the largest class has more than the minority class (in WDBC: benign
# more than malignant), from noise of its own stream (seeded with `[seed, 1]`, apart from
# training's).
#
# > **Good practice:** the noise used to generate must have the same size as the noise the
# > generator was built and trained with.

# %%
rows_per_class = np.bincount(data.y_train)
n_to_generate = int(rows_per_class.max() - rows_per_class[minority])
noise = (np.random.default_rng([seed, 1])
         .standard_normal((n_to_generate, noise_size)).astype("float32"))
generated = generator(noise, training=False).numpy().astype("float64")
print(f"Generated {len(generated)} rows")

# %% [markdown]
# Label them with the minority class and append them to the training rows (original rows
# first, as imbalanced-learn's samplers do). With more than two classes, only the minority
# class is balanced so far; `GANOversampler`, below, does every smaller class.

# %%
X_gan = np.vstack([data.X_train, generated])
y_gan = np.concatenate([data.y_train,
                        np.full(n_to_generate, minority, dtype=data.y_train.dtype)])

# %% tags=["nbval-check-output"]
class_counts(y_gan, names)

# %% [markdown]
# ## Do the generated rows look like real patients?
#
# Before trusting generated patients, compare them with real ones. The figure shows, per
# feature, the mean and the spread (one standard deviation) of the real minority training
# rows and of the generated rows.

# %%
summary = pd.DataFrame({
    "real mean": X_minority.mean(axis=0), "real sd": X_minority.std(axis=0),
    "generated mean": generated.mean(axis=0), "generated sd": generated.std(axis=0),
}, index=data.feature_names)
fig, ax = plt.subplots(figsize=(11, 4))
x = np.arange(n_features)
ax.errorbar(x - 0.15, summary["real mean"], summary["real sd"], fmt="o",
            label=f"real {names[minority]}")
ax.errorbar(x + 0.15, summary["generated mean"], summary["generated sd"], fmt="s",
            label="generated")
ax.set_xticks(x, data.feature_names, rotation=90)
ax.set_xlabel("feature")
ax.set_ylabel("scaled value (mean ± 1 sd)")
ax.set_title("Real and generated minority rows, feature by feature")
ax.legend()
save_figure(fig, output_dir, "gan_rows_vs_real")
plt.show()

# %% [markdown]
# A single number sums the picture up: how far is each generated row from the closest real
# minority training row, compared with how far real *held-out* rows of the class (the
# validation split, which the GAN never saw) are from theirs? Notebook 07 calls this ratio
# `dcr_ratio`.

# %%
held_out = data.X_val[data.y_val == minority]
gen_distance = np.median(distance_to_closest(X_minority, generated))
real_distance = np.median(distance_to_closest(X_minority, held_out))
distance_ratio = gen_distance / real_distance
print(f"Median distance to the closest real training row: generated {gen_distance:.3f}, "
      f"real held-out {names[minority]} rows {real_distance:.3f} (ratio {distance_ratio:.2f})")

# %% [markdown]
# A ratio well above 1 means the generated rows lie farther from every real patient than real
# patients lie from each other: after so few updates, the generator has not learned what a
# patient of the class (in WDBC, a malignant mass) looks like. Keep that in mind when notebook
# 04 compares the methods.

# %% [markdown]
# ## The same GAN in `utils`
#
# The later notebooks do not repeat these cells: they call `utils`, which holds what you just
# wrote, in the form they need. `build_generator` and `build_discriminator` make the same
# layers; `compile_gan` the loss and the two optimizers; its `GAN.discriminator_step` and
# `GAN.generator_step` are your two steps; `train_gan` is your loop. On top of exactly this,
# `utils` adds an epoch compiled into one TensorFlow graph (faster), checkpoints to resume
# from, and a second game, the Wasserstein loss with gradient penalty (WGAN-GP) of notebook 07.
#
# Build it from the same seed, in the same order (generator, then discriminator):

# %%
library_seeds = keras.random.SeedGenerator(seed)
library_gan = compile_gan(build_generator(n_features, noise_size, seeds=library_seeds),
                          build_discriminator(n_features, seeds=library_seeds), learning_rate)

# %% [markdown]
# ### Train it, with a checkpoint after every epoch
#
# `train_gan` saves the whole training state (both networks' weights, both optimizers, the random
# generator and the losses so far) after the last epoch, and during training every
# `checkpoint_seconds` seconds (10 by default: a save takes a few milliseconds, as long as an epoch
# of a small GAN); `checkpoint_seconds=0` saves after every epoch, as here. If the run stops (a
# Colab runtime that disconnects, say), run the notebook again: with `resume = True` it continues
# after the last saved epoch, and the result equals an uninterrupted run. Set `resume = False` to
# start afresh. The file's name holds a short code of the settings that must match (data, split,
# seed, epochs, minibatch size, learning rate, noise size), so changed settings train into a
# checkpoint of their own, and the same settings find theirs.
#
# > **Good practice:** save a GAN periodically, e.g. every epoch, as the paper does.

# %%
checkpoint = gan_checkpoint_path(output_dir, params)
if not resume and checkpoint.exists():
    checkpoint.unlink()  # start afresh
resumed = checkpoint.exists()
began = time.perf_counter()
library_history = train_gan(library_gan, X_minority, epochs, gan_batch_size, seed,
                            checkpoint_path=checkpoint, checkpoint_seconds=0)
print(f"{'Resumed from' if resumed else 'Trained into'} {checkpoint} "
      f"({library_history['epoch'].max()} epochs) in {time.perf_counter() - began:.1f} s")

# %% [markdown]
# ### Compare every weight, every recorded number and the generated rows
#
# Both run the same TensorFlow operations in the same order, so on one computer they should agree
# to the last bit. The check allows a difference of 1e-5: a processor that rounded one
# operation differently would start a difference at float32's precision (about 1e-7) that
# grows a little with every update.

# %%
mine = generator.get_weights() + discriminator.get_weights()
library = library_gan.generator.get_weights() + library_gan.discriminator.get_weights()
weight_gap = max(np.abs(a - b).max() for a, b in zip(mine, library, strict=True))
stats = ["d_loss", "g_loss", "d_real", "d_fake"]
stats_gap = np.abs(history[stats].to_numpy() - library_history[stats].to_numpy()).max()
row_gap = np.abs(generated - generate_rows(library_gan.generator, n_to_generate, seed)).max()
print(f"Largest difference: {weight_gap:.1g} in {len(mine)} weight arrays, {stats_gap:.1g} in "
      f"the recorded losses and outputs, {row_gap:.1g} in the generated rows")

# %% [markdown]
# If you changed a cell of your GAN above, or ran the training cell twice, the check below
# tells you so: that is expected, and the rest of the notebook runs on `utils`' GAN.

# %%
assert g_optimizer.iterations.numpy() == len(history), (
    "Your networks were trained more than once since they were built: run the notebook from "
    "'Build the generator' down again to compare.")
assert max(weight_gap, stats_gap, row_gap) <= 1e-5, (
    "Your GAN differs from utils' paper GAN: expected if you changed a cell above.")
print("utils' GAN is the GAN you built: same weights, same losses, same rows.")

# %% [markdown]
# ## All of Step 2c in one line: `GANOversampler`
#
# `utils.GANOversampler` runs the same functions behind imbalanced-learn's interface
# (`fit_resample`, `sampling_strategy`, `random_state`), so it can replace SMOTE anywhere,
# including inside an `imblearn.pipeline.Pipeline`. Asked for the rows you made, and only
# those (`sampling_strategy={minority: rows_per_class.max()}`: a dictionary gives the number of
# rows each class should *have* afterwards), with the same seed and settings, it
# makes exactly the rows made above when every feature is a measurement, as in WDBC; the cell
# checks that. A table with groups of 0/1 columns (one-hot categories, missing-value
# indicators) is different by design: `GANOversampler` gives each group a softmax output, so
# that every generated row has exactly one 1 per group, where your generator's sigmoid makes
# any value in [0, 1].

# %%
only_minority = {minority: int(rows_per_class.max())}  # rows of the class after augmenting
oversampler = gan_oversampler(params).set_params(sampling_strategy=only_minority)
X_resampled, y_resampled = oversampler.fit_resample(data.X_train, data.y_train)
np.testing.assert_array_equal(y_resampled, y_gan)
category_groups = oversampler.encoder_.layout_.blocks
if not category_groups:  # measurements only: the same networks, the same rows
    np.testing.assert_allclose(X_resampled, X_gan, rtol=1e-5, atol=1e-6)
    print("GANOversampler reproduces the rows made step by step:", X_resampled.shape)
else:
    print(f"{len(category_groups)} groups of 0/1 columns get a softmax output each in "
          "GANOversampler: its rows differ from yours by design.", X_resampled.shape)

# %% [markdown]
# ### Every class smaller than the largest
#
# With its default `sampling_strategy="auto"`, `GANOversampler` augments **every** class
# smaller than the largest, as RO and SMOTE do (notebook 02): one GAN per class, each trained
# on that class's training rows only, each class brought to the largest class's count. With
# an int `random_state`, class number *i* of imbalanced-learn's list gets the seed
# `random_state + i`. With two classes, as in WDBC, that is exactly the GAN above and its rows.
# A class with fewer rows than a minibatch trains with minibatches of all its rows and says so
# (`SmallClassWarning`).

# %%
balancer = gan_oversampler(params)  # sampling_strategy="auto"
X_balanced, y_balanced = balancer.fit_resample(data.X_train, data.y_train)
print("Classes given a GAN of their own:", ", ".join(names[c] for c in balancer.generators_))

# %% [markdown]
# The rows of each class before, the rows imbalanced-learn asked for, and the rows after:

# %% tags=["nbval-check-output"]
pd.DataFrame({"before": class_counts(data.y_train, names),
              "rows to add": rows_to_add(data.y_train, names),
              "after": class_counts(y_balanced, names)})

# %% [markdown]
# Save these rows with the settings that made them: notebooks 04 and 05 read them from
# `output_dir` when their settings match, instead of training the GANs again.

# %%
saved = save_gan_rows(output_dir, TrainingSet(X_balanced, y_balanced, len(data.y_train)),
                      params)
print(f"Saved {saved}")

# %% [markdown]
# ## Summary
#
# What this run measured:

# %%
print(f"- {len(X_minority)} {names[minority]} training rows in minibatches of {gan_batch_size}: "
      f"{steps_per_epoch} updates per epoch, {len(history)} in {epochs} epochs.")
print(f"- In the last epoch the discriminator's mean p(real) was "
      f"{last_epoch(history)['d_real']:.2f} on real rows and "
      f"{last_epoch(history)['d_fake']:.2f} on generated rows.")
print(f"- Generated rows lie {distance_ratio:.2f} times as far from the closest real training "
      f"row as real held-out rows do.")
print(f"- utils' GAN equals yours: largest weight difference {weight_gap:.1g}, largest row "
      f"difference {row_gap:.1g}.")
print(f"- GANOversampler balanced the {data.n_classes} classes: "
      + ", ".join(f"{n} {name} rows added"
                  for name, n in rows_to_add(data.y_train, names).items() if n) + ".")

# %% [markdown]
# - The paper's GAN: a generator widening from 100 to 500 units, a discriminator narrowing from
#   500 to 100 after a linear layer, selu activations, sigmoid outputs, binary cross-entropy,
#   one Adam optimizer per network at 0.0001.
# - Each training step updates an explicit list of weights, its own network's: the robust way
#   to train a GAN in Keras 3.
# - With the paper's settings the GAN gets few updates, and the distance ratio tells how far
#   its rows lie from real patients.
# - `tabaug.generators.gan` is the GAN you wrote, with compiled epochs, checkpoints and the WGAN-GP
#   loss
#   added; `GANOversampler` puts it behind imbalanced-learn's interface, with one GAN for each
#   class smaller than the largest.
#
# Then open `04_classification` to see whether any augmentation helps a classifier, and
# `07_gan_diagnostics` to see what the GAN learned, and a better GAN.

# %% [markdown]
# ## Exercises
#
# For each exercise, change something, write down what you predict, then run it and check.
#
# 1. Train 30 times longer: `30 * epochs`. Predict, for the last epoch: will the two losses
#    go up or down? Will the discriminator's mean outputs on real and generated rows move
#    apart, or towards 0.5? Will the distance ratio fall towards 1? Check with `fit_gan`, which
#    you now know trains exactly your GAN, only faster.
# 2. Halve the minibatch: `gan_batch_size // 2` rows (16 with the paper's 32). Predict the
#    number of minibatches per epoch, the rows left out of
#    each epoch, and the number of updates in all. Check by training.
# 3. In `generator_step`, change the generator's target from 1 (`tf.ones_like`) to 0
#    (`tf.zeros_like`). Predict what the generator now learns, and what happens to the
#    discriminator's mean output on generated rows. Check.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# Thirty times the epochs is thirty times the updates (the table prints both). A GAN of this
# size usually needs thousands of updates to settle, so expect the game to be still moving: the
# discriminator may first pull further ahead (its outputs on real and generated rows farther
# apart, its loss lower, the generator's higher) before the generator catches up and both
# outputs drift towards 0.5. The distance ratio need not fall steadily either. And a
# discriminator that cannot tell the rows apart is no proof that they are realistic: notebook 07
# trains the paper's GAN much longer and applies a sharper test. The cells train both lengths
# from the same seed and print what happened on your run.

# %% tags=["solution"] jupyter={"source_hidden": true}
longer_epochs = 30 * epochs
longer = fit_gan(X_minority, seed=seed, noise_dim=noise_size, learning_rate=learning_rate,
                 epochs=longer_epochs, batch_size=gan_batch_size)
longer_rows = generate_rows(longer.gan.generator, n_to_generate, seed)
longer_ratio = np.median(distance_to_closest(X_minority, longer_rows)) / real_distance
pd.DataFrame([{"updates": len(history), **last_epoch(history), "distance ratio": distance_ratio},
              {"updates": len(longer.history), **last_epoch(longer.history),
               "distance ratio": longer_ratio}],
             index=[f"{epochs} epochs", f"{longer_epochs} epochs"]).round(3)

# %% tags=["solution"] jupyter={"source_hidden": true}
gap_before = last_epoch(history)["d_real"] - last_epoch(history)["d_fake"]
gap_after = last_epoch(longer.history)["d_real"] - last_epoch(longer.history)["d_fake"]
print(f"Gap between the discriminator's outputs on real and generated rows: {gap_before:.2f} "
      f"after {epochs} epochs, {gap_after:.2f} after {longer_epochs} "
      f"({'closer to' if abs(gap_after) < abs(gap_before) else 'farther from'} 0).")
closer = abs(longer_ratio - 1) < abs(distance_ratio - 1)
print(f"Distance ratio: {distance_ratio:.2f} after {epochs} epochs, {longer_ratio:.2f} after "
      f"{longer_epochs} ({'closer to' if closer else 'farther from'} 1).")

# %% [markdown]
# ### Exercise 2
#
# Minibatches half as big fit about twice as many times into the rows, so an epoch has about
# twice the updates, and so does the whole training for the same epochs. The rows left out of
# each epoch are what remains after the last full minibatch: fewer than the half minibatch, but
# not always fewer than with the whole one. The cell trains with half the minibatch and counts.

# %% tags=["solution"] jupyter={"source_hidden": true}
half = max(1, gan_batch_size // 2)
small_batches = fit_gan(X_minority, seed=seed, noise_dim=noise_size, learning_rate=learning_rate,
                        epochs=epochs, batch_size=half)
per_epoch = small_batches.history.groupby("epoch").size()
print(f"batch_size={half}: {per_epoch.iloc[0]} minibatches per epoch "
      f"({len(X_minority) % half} rows left out of each), {len(small_batches.history)} updates "
      f"in all, against {len(history)} with batch_size={gan_batch_size}.")

# %% [markdown]
# ### Exercise 3
#
# With the target 0, the generator is rewarded when the discriminator calls its rows *fake*:
# it helps the discriminator instead of fooling it, and the discriminator's output on
# generated rows falls. There is no game left.
#
# This is not the "minimax" loss of the original GAN paper either. There the generator
# *maximizes* the discriminator's loss on generated rows, i.e. minimizes `log(1 - p)`: the
# same label 0, but the opposite sign. That form learns slowly when the discriminator rejects
# the generated rows with confidence (`p` near 0, where `log(1 - p)` is flat), which is why
# GANs, the paper's included, train the generator with the target 1 instead, the
# "non-saturating" loss.
#
# The cell makes the change in `utils`' GAN (its `generator_step` is yours) and trains it from
# the same seed.

# %% tags=["solution"] jupyter={"source_hidden": true}
class HelpfulGAN(GAN):
    """The paper's GAN with the generator's target flipped from 1 ("real") to 0."""

    @tf.function
    def generator_step(self, noise):
        weights = self.generator.trainable_weights
        with tf.GradientTape() as tape:
            p_real = self.discriminator(self.generator(noise, training=True), training=False)
            loss = self.loss_fn(tf.zeros_like(p_real), p_real)  # was tf.ones_like
        self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss


# %% tags=["solution"] jupyter={"source_hidden": true}
paper_seeds = keras.random.SeedGenerator(seed)
paper = compile_gan(build_generator(n_features, noise_size, seeds=paper_seeds),
                    build_discriminator(n_features, seeds=paper_seeds), learning_rate)
helpful = HelpfulGAN(paper.generator, paper.discriminator, paper.d_optimizer, paper.g_optimizer)
helpful_history = train_gan(helpful, X_minority, epochs, gan_batch_size, seed, progress=False)
target_one, target_zero = last_epoch(history)["d_fake"], last_epoch(helpful_history)["d_fake"]
print(f"Discriminator's mean p(real) on generated rows in the last epoch: {target_one:.2f} with "
      f"the target 1, {target_zero:.2f} with the target 0: the generator's rows became "
      f"{'easier' if target_zero < target_one else 'harder'} to spot.")
