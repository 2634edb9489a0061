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
# # 03 · A GAN for the minority class: build, compile, train, generate
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/03_gan.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>
#
# The paper's **Step 2c**: train a Generative Adversarial Network (GAN) on the malignant
# training rows and use its generator to make new malignant rows until the classes balance.
#
# A GAN is two neural networks in a game. The **generator** turns random noise into rows that
# should look like real malignant patients; the **discriminator** tries to tell real rows from
# generated ones. Each improves because the other does: the discriminator learns from its
# mistakes, and the generator learns from the discriminator's judgement.
#
# **What you will learn**
#
# - how the paper's generator and discriminator are built, layer by layer, in Keras 3;
# - how to compile and train them in turn, and why Keras 2's "freeze the discriminator" recipe
#   is not used here;
# - how to save a checkpoint after every epoch and resume an interrupted training;
# - how many training steps the paper's GAN really takes, and what its rows look like;
# - how `utils.GANOversampler` wraps all of this in imbalanced-learn's interface.

# %% [markdown]
# ## Setup
#
# The notebooks share a small package of this project, `utils`. The next cell installs it when
# `import utils` would fail (on Google Colab, say); where it is installed already (`make lab`,
# `make run`) it does nothing.

# %%
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("utils") is None:  # not installed yet: Colab, or a new environment
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "git+https://github.com/gan-augmentation/gan-imbalanced-tutorial@v0.1.0"],
                   check=True)

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

import utils
from utils import gan as gan_code
from utils.gan import (
    build_discriminator, build_generator, compile_gan, generate_rows, paper_noise_dim,
    train_gan,
)
from utils.pipeline import TrainingSet, gan_oversampler, save_gan_rows
from utils.plotting import plot_gan_losses, save_figure
from utils.sampling import class_counts

print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, numpy {np.__version__}")

# %% [markdown]
# ## Parameters
#
# The data settings of notebook 01, and the GAN's settings. The defaults are the paper's code:
# 10 epochs of minibatches of 32 rows, Adam with learning rate 0.0001, and noise of half as
# many values as there are features (`noise_dim = None`).

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the two classes
positive_label = None  # the class of interest (coded 1); None takes the minority class
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
epochs = 10  # passes over the malignant training rows
batch_size = 32  # rows per minibatch
learning_rate = 1e-4  # Adam's learning rate, for both networks
noise_dim = None  # size of the generator's noise input; None takes n_features // 2
resume = True  # continue from the checkpoint in output_dir when there is one

# %%
params = utils.check_parameters("03_gan", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Step 1, preprocessing, in one call (notebook 01 walks through it).

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label)
names = data.class_names
n_features = data.X_train.shape[1]
print(f"{len(data.y_train)} training rows, {n_features} features")

# %% [markdown]
# ## Take the malignant training rows
#
# The GAN learns from the minority class of the **training rows only**; the benign rows, and
# every validation and test row, stay out of it.

# %%
X_minority = data.X_train[data.y_train == 1]
print(f"{len(X_minority)} {names[1]} training rows to learn from")

# %% [markdown]
# ## Build the generator
#
# The generator maps a noise vector to a row of `n_features` values. The paper's code uses
# noise of `n_features // 2` values (15 for WDBC), five hidden layers of 100, 200, 300, 400 and
# 500 units with the selu activation, and an output layer with a sigmoid, which makes values in
# [0, 1], the range of the min-max scaled features.
#
# > **Where the paper's text and code differ:** the text speaks of "an input layer of 100
# > perceptrons" and four hidden layers. In the code the noise has 15 values and the layer of
# > 100 units is the first of five hidden layers. We follow the code.
#
# This is the function that builds it (it lives in `utils/gan.py`, which `GANOversampler` uses
# too, so what you read here is what runs everywhere):

# %%
utils.show_source(build_generator)

# %% [markdown]
# Seed Keras (which also seeds Python and NumPy) before building, so the initial weights, and
# so the whole training, can be reproduced. Then build the generator and look at its layers.

# %%
noise_dim = paper_noise_dim(n_features) if noise_dim is None else noise_dim
keras.utils.set_random_seed(seed)
generator = build_generator(n_features, noise_dim)
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
utils.show_source(build_discriminator)

# %%
discriminator = build_discriminator(n_features)
discriminator.summary()

# %% [markdown]
# ## Compile: one optimizer and one loss for each network
#
# Both networks output a probability, so both use **binary cross-entropy** as their loss, and
# both use the Adam optimizer with learning rate 0.0001, as in the paper.
#
# > **Good practice:** Adam's default learning rate is 0.001; the paper found 0.0001 works
# > better for this GAN.
#
# **Why not the paper's "freeze and compile"?** The paper (like many Keras 2 tutorials) compiles
# the discriminator, sets `discriminator.trainable = False`, then compiles the generator stacked
# on the discriminator. In Keras 3, `trainable` is a live flag and the training function is
# built at the first training call, so that recipe can silently stop the discriminator from
# learning. Here each network gets its **own optimizer** and each training step updates an
# **explicit list of weights**: the discriminator step changes only the discriminator, the
# generator step only the generator (the project's tests check exactly that).

# %%
utils.show_source(compile_gan)

# %% [markdown]
# The two training steps are methods of the `GAN` object that `compile_gan` returns. In the
# discriminator step, a minibatch of generated rows is labelled 0 and the real minibatch 1. In
# the generator step, fresh noise goes through both networks with the label 1 ("real"): the
# generator is rewarded when the discriminator is fooled. A third method, `train_epoch`, runs
# every step of one epoch as a single compiled TensorFlow graph, which is faster than calling
# Keras once per step (`scripts/benchmark_gan.py` measures by how much). Each step also
# returns the discriminator's mean output on the real and the generated rows: notebook 07
# shows what to read from them.

# %%
utils.show_source(gan_code.GAN)

# %%
gan = compile_gan(generator, discriminator, learning_rate)

# %% [markdown]
# ## Train
#
# The paper's loop, for each epoch: shuffle the rows, then for each minibatch train the
# discriminator, then the generator. After each epoch the whole training state is saved to a
# checkpoint, so an interrupted run (a Colab runtime that disconnects, say) resumes where it
# stopped when you rerun the cell.
#
# > **Good practice:** minibatches of at most 32 rows; shuffle every epoch; train the
# > discriminator first, then the generator; save the GAN periodically, e.g. every epoch.
#
# > **Where we differ from the paper's code:** it re-seeds the shuffle with the same seed every
# > epoch, so every epoch uses the same order. Here the shuffle draws a new order each epoch
# > from one seeded generator, as "shuffle the data" intends.

# %%
utils.show_source(train_gan)

# %% [markdown]
# The epoch's shuffle and noise are drawn in NumPy, from the one seeded generator that the
# checkpoint saves, and handed to the compiled `train_epoch` shown above:

# %%
utils.show_source(gan_code.epoch_inputs)

# %% [markdown]
# The last, partial minibatch of an epoch is dropped, as in the paper. So count the training
# steps before training: with 106 rows and minibatches of 32, an epoch has only three.
#
# > **Watch out:** the paper's loop quietly trains zero steps when the class has fewer rows
# > than a minibatch. `train_gan` stops with an error instead.

# %% tags=["nbval-check-output"]
steps_per_epoch = len(X_minority) // batch_size
print(f"{steps_per_epoch} steps per epoch x {epochs} epochs = "
      f"{steps_per_epoch * epochs} generator updates "
      f"({len(X_minority) % batch_size} rows left out of each epoch)")

# %% [markdown]
# Train, saving a checkpoint after every epoch. Set `resume = False` to start afresh.

# %%
checkpoint = Path(output_dir) / "checkpoints" / f"gan_{names[1]}.npz"
if not resume and checkpoint.exists():
    checkpoint.unlink()
began = time.perf_counter()
history = train_gan(gan, X_minority, epochs, batch_size, seed, checkpoint_path=checkpoint)
print(f"Trained {len(history)} steps in {time.perf_counter() - began:.1f} s; "
      f"checkpoint: {checkpoint}")

# %% [markdown]
# ## Look at the losses
#
# In a balanced game neither loss runs away: a discriminator loss near 0 means it wins
# easily, a generator loss that keeps climbing means the generator is losing.

# %%
ax = plot_gan_losses(history)
save_figure(ax.figure, output_dir, "gan_losses")
plt.show()

# %% [markdown]
# ## Generate rows and balance the training data
#
# Draw as many rows as the benign class has more than the malignant class, label them
# malignant, and append them to the training rows (original rows first, as imbalanced-learn's
# samplers do).
#
# > **Good practice:** the noise used to generate must have the same size as the noise the
# > generator was built and trained with.

# %%
n_to_generate = int((data.y_train == 0).sum() - (data.y_train == 1).sum())
generated = generate_rows(gan.generator, n_to_generate, seed)
X_gan = np.vstack([data.X_train, generated])
y_gan = np.concatenate([data.y_train, np.ones(n_to_generate, dtype=data.y_train.dtype)])
save_gan_rows(output_dir, TrainingSet(X_gan, y_gan, len(data.y_train)), params)
print(f"Generated {n_to_generate} rows")

# %% tags=["nbval-check-output"]
class_counts(y_gan, names)

# %% [markdown]
# ## Do the generated rows look like real patients?
#
# Before trusting generated patients, compare them with real ones. The figure shows, per
# feature, the mean and the spread (one standard deviation) of the real malignant training
# rows and of the generated rows.

# %%
summary = pd.DataFrame({
    "real mean": X_minority.mean(axis=0), "real sd": X_minority.std(axis=0),
    "generated mean": generated.mean(axis=0), "generated sd": generated.std(axis=0),
}, index=data.feature_names)
fig, ax = plt.subplots(figsize=(11, 4))
x = np.arange(n_features)
ax.errorbar(x - 0.15, summary["real mean"], summary["real sd"], fmt="o", label=f"real {names[1]}")
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
# A single number sums the picture up: how far is each generated row from its nearest real
# training row, compared with how far real *held-out* malignant rows (the validation split)
# are from theirs?

# %%
from sklearn.neighbors import NearestNeighbors

nearest = NearestNeighbors(n_neighbors=1).fit(data.X_train)
gen_distance = np.median(nearest.kneighbors(generated)[0])
real_distance = np.median(nearest.kneighbors(data.X_val[data.y_val == 1])[0])
print(f"Median distance to the nearest real training row: generated {gen_distance:.3f}, "
      f"real held-out {names[1]} rows {real_distance:.3f} "
      f"(ratio {gen_distance / real_distance:.1f})")

# %% [markdown]
# A ratio well above 1 means the generated rows lie farther from every real patient than real
# patients lie from each other: after only a few dozen updates, the generator has not learned
# what a malignant mass looks like. Keep that in mind when notebook 04 compares the methods.

# %% [markdown]
# ## All of Step 2c in one line: `GANOversampler`
#
# `utils.GANOversampler` runs the same functions behind imbalanced-learn's interface
# (`fit_resample`, `sampling_strategy`, `random_state`), so it can replace SMOTE anywhere,
# including inside an `imblearn.pipeline.Pipeline`. With the same seed and settings it makes
# exactly the rows made above; the cell checks that.

# %%
oversampler = gan_oversampler(params)
X_resampled, y_resampled = oversampler.fit_resample(data.X_train, data.y_train)
np.testing.assert_allclose(X_resampled, X_gan, rtol=1e-5, atol=1e-6)
np.testing.assert_array_equal(y_resampled, y_gan)
print("GANOversampler reproduces the rows made step by step:", X_resampled.shape)

# %% [markdown]
# ## Summary
#
# - The paper's GAN: a generator widening from 100 to 500 units, a discriminator narrowing from
#   500 to 100 after a linear layer, selu activations, sigmoid outputs, Adam at 0.0001.
# - Each network has its own optimizer and updates only its own weights, the robust way to
#   train a GAN in Keras 3.
# - With the paper's settings on WDBC (106 rows, minibatches of 32, 10 epochs) the GAN gets
#   only 30 generator updates; the distance ratio above tells how far its rows lie from real
#   patients.
# - Training is checkpointed every epoch and resumes exactly where it stopped.
#
# **Try next:** raise `epochs` to 100 or 1000 and watch the losses and the distance ratio; set
# `batch_size` to 16 to double the updates per epoch. Then open `04_classification` to see
# whether any augmentation helps a classifier, and `07_gan_diagnostics` to see what the GAN
# learned and a better GAN.
