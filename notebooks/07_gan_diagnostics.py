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
# # 07 · What did the GAN learn? Fidelity, diversity and privacy of generated patients
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/07_gan_diagnostics.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>
#
# Notebooks 03-06 used the GAN's rows to train a classifier. Whether those rows look like
# malignant patients is a separate question, and test scores cannot answer it: a classifier can
# score well on rows that look nothing like real patients. This notebook checks the rows
# themselves, for Random Oversampling (RO), SMOTE, the paper's GAN, the same GAN trained 100
# times longer, and a better GAN: a Wasserstein GAN with gradient penalty (WGAN-GP).
#
# **What you will learn**
#
# - why a GAN trained on 106 rows is hard to get right, and what to watch while it trains;
# - how to measure whether generated rows are realistic (a classifier two-sample test,
#   per-feature distances, correlations), varied (no mode collapse), and not copies of
#   training patients (distance to the closest training row);
# - how a WGAN-GP on log-scaled features makes realistic rows in a few seconds, and how it was
#   chosen without touching the test rows;
# - what to check before trusting generated patients.

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
# Import the libraries and print their versions.

# %%
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
import tensorflow as tf

import utils
from utils import GANOversampler
from utils import gan as gan_code
from utils.fidelity import (
    C2ST_TARGET, DCR_RATIO_TARGET, c2st_classifier, feature_distances, fidelity_distances,
    fidelity_report, fidelity_warnings, target_check,
)
from utils.gan import few_updates_warning
from utils.oversampler import WGAN_GP_SETTINGS
from utils.pipeline import gan_oversampler
from utils.plotting import plot_fidelity, plot_training, save_figure
from utils.sampling import classic_samplers, new_rows

print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, "
      f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")

# %% [markdown]
# ## Parameters
#
# The data and GAN settings of notebooks 01-03 (the paper's GAN), how long to train the two
# longer GANs, the other splits on which to check the better GAN, and how many times the
# two-sample test repeats its cross-validation.

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the two classes
positive_label = None  # the class of interest (coded 1); None takes the minority class
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
epochs = 10  # the paper's GAN: passes over the malignant training rows
batch_size = 32  # the paper's GAN: rows per minibatch
learning_rate = 1e-4  # the paper's GAN: Adam's learning rate, for both networks
noise_dim = None  # the paper's GAN: noise size; None takes n_features // 2
long_gan_epochs = 1000  # the paper's GAN trained longer: 100 times the paper's epochs
better_gan_epochs = 334  # the WGAN-GP's epochs (WGAN_GP_SETTINGS: 334, about 1000 updates)
fidelity_seeds = [0, 1, 2, 3, 4]  # other splits on which to check the WGAN-GP
c2st_repeats = 5  # repeats of the two-sample test's 5-fold cross-validation

# %%
params = utils.check_parameters("07_gan_diagnostics", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Why a GAN on 106 rows is hard
#
# A GAN learns a distribution by playing a game: the generator improves only as far as the
# discriminator can show it what is wrong. On WDBC the generator must learn 30 features at once,
# with their skewed shapes and strong correlations (radius, perimeter and area move together),
# from 106 malignant training rows. Three things go wrong easily:
#
# - **too little training**: the paper's settings give 30 generator updates, far from enough
#   for any network to learn 30 correlated features;
# - **an unstable game**: with the paper's loss, a discriminator that wins easily stops giving
#   the generator useful gradients, and the generator may fall back on a few rows that fool it
#   (*mode collapse*);
# - **memorising**: a generator trained long on few rows can learn to reproduce them, which
#   for medical data is a privacy problem, not a success.
#
# None of these shows in a classifier's test score, and a t-SNE picture (notebook 05) hides
# most of them. So we measure.
#
# The data: the training and validation splits of notebook 01. Generators learn from the
# malignant **training** rows; the malignant **validation** rows are real patients the
# generators never saw, our yardstick for "realistic". The test rows are not used anywhere in
# this notebook.

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label)
names = data.class_names
train_rows = data.X_train[data.y_train == 1]
held_out_rows = data.X_val[data.y_val == 1]
n_rows = len(train_rows)  # each method makes as many rows as there are real training rows
print(f"{n_rows} {names[1]} training rows (what the generators learn from); "
      f"{len(held_out_rows)} {names[1]} validation rows (real patients they never see)")

# %% [markdown]
# ## Watch the training: the paper's GAN
#
# `GANOversampler` keeps each GAN's training history: both losses and the discriminator's mean
# output on the real and on the generated rows of every step. First, count the updates: a
# warning appears when they are too few to learn anything.

# %%
sources, histories, seconds = {}, {}, {}


def run(name, sampler):
    """Train ``sampler`` on the training rows and keep its new rows, history and run time."""
    began = time.perf_counter()
    sources[name] = new_rows(sampler, data.X_train, data.y_train, n_rows)
    seconds[name] = time.perf_counter() - began
    if hasattr(sampler, "histories_"):
        histories[name] = sampler.histories_[1]
        warning = few_updates_warning(histories[name])
        print(f"{name}: {len(histories[name])} generator updates in {seconds[name]:.1f} s"
              + (f"\n  WARNING: {warning}" if warning else ""))


run("GAN (paper)", gan_oversampler(params))

# %% [markdown]
# The same GAN trained `long_gan_epochs` epochs: more updates, nothing else changed.

# %%
run("GAN (paper, longer)", gan_oversampler({**params, "epochs": long_gan_epochs}))

# %%
for name, figure_name in (("GAN (paper)", "training_gan_paper"),
                          ("GAN (paper, longer)", "training_gan_paper_longer")):
    fig = plot_training(histories[name], title=name)
    save_figure(fig, output_dir, figure_name)
    plt.show()

# %% [markdown]
# How to read these curves. The discriminator outputs the probability that a row is real.
# When its output on real rows stays high and on generated rows low, it wins: it can tell the
# rows apart, and so can anyone else. When both hover near 0.5 it cannot, but that proves
# less than it seems: a discriminator can also stop learning, or be fooled by rows a fresh
# classifier tells apart at once. Here are the outputs over the last tenth of each run;
# compare them with the two-sample test further down.

# %%
for name in ("GAN (paper)", "GAN (paper, longer)"):
    end = histories[name].tail(max(1, len(histories[name]) // 10))
    print(f"{name}, last {len(end)} updates: discriminator's mean output "
          f"{end['d_real'].mean():.2f} on real rows, {end['d_fake'].mean():.2f} on generated rows")

# %% [markdown]
# ## A better GAN: Wasserstein loss with gradient penalty, on log-scaled features
#
# Three changes, each aimed at one of the problems above:
#
# 1. **The Wasserstein loss with gradient penalty** (Gulrajani et al., 2017). The discriminator
#    becomes a *critic* that scores rows instead of classifying them; the gap between its mean
#    score on real and on generated rows estimates how far apart the two distributions are, and
#    keeps giving the generator useful gradients even when the critic is ahead. A penalty keeps
#    the critic's gradient near 1, and the critic takes 5 steps per generator step.
# 2. **Log-scaled features.** Most WDBC features are right-skewed (a few very large tumours).
#    `scaling="log"` takes the log of each min-max scaled value (plus 0.01) and standardizes it,
#    so the generator learns nearly symmetric features; its rows are mapped back afterwards.
# 3. **Small networks and enough updates**: two hidden layers of 128 leaky-ReLU units, about
#    1000 generator updates: a few seconds on a CPU, since small networks are cheap to train.
#
# Here is the critic's training step, the heart of the change:

# %%
utils.show_source(gan_code.WassersteinGAN.discriminator_step)

# %% [markdown]
# The whole setting is one dictionary of `GANOversampler` keyword arguments:

# %% tags=["nbval-check-output"]
WGAN_GP_SETTINGS

# %% [markdown]
# **How the length was chosen.** Too short, and a classifier tells its rows from real ones; too
# long, and the rows drift towards copies of training patients. `scripts/select_better_gan.py`
# trains it longer and longer on this split's *training* rows and measures both, against the
# *validation* rows; 334 epochs (about 1000 updates) gave a two-sample score closest to 0.5
# with both targets met. No test row was used, and the other splits below check that the choice
# was not a lucky one.

# %%
run("WGAN-GP", GANOversampler(**{**WGAN_GP_SETTINGS, "epochs": better_gan_epochs},
                              random_state=seed))
fig = plot_training(histories["WGAN-GP"], title="WGAN-GP")
save_figure(fig, output_dir, "training_wgan_gp")
plt.show()

# %% [markdown]
# The critic's scores are not probabilities: what matters is the gap between its scores on
# real and on generated rows (the negative of its loss, apart from the penalty). It should
# shrink and settle, not collapse to 0 at once nor grow without end.
#
# ## The classic methods, for comparison
#
# RO copies training rows; SMOTE draws new rows on the line between a row and one of its
# nearest neighbours (notebook 02). Each makes `n_rows` rows as well.

# %%
for name, sampler in classic_samplers(seed).items():
    run(name, sampler)
sources = {name: sources[name] for name in
           ["RO", "SMOTE", "GAN (paper)", "GAN (paper, longer)", "WGAN-GP"]}

# %% [markdown]
# ## Fidelity, diversity and privacy, side by side
#
# One table, one row per source of rows, each compared with the real malignant training rows:
#
# - **`c2st_auc`**, the *classifier two-sample test*: a random forest (below) tries to tell the
#   source's rows from real training rows, scored by cross-validated ROC AUC with both groups of
#   the same size. 0.5: it cannot tell them apart; 1.0: it always can. Values well below 0.5
#   are a warning too: they happen when rows are near-copies of training rows.
# - **`mean_ks`, `max_ks`, `mean_wasserstein`**: how far each feature's distribution is from the
#   real one (Kolmogorov-Smirnov statistic, Wasserstein distance), averaged over features.
# - **`correlation_distance`**: the mean absolute difference between the two correlation
#   matrices. Realistic rows must get the relations between features right, not only each one.
# - **`duplicate_fraction`, `variance_ratio`**: mode-collapse alarms. Repeated rows, or rows that
#   vary much less than real ones (a ratio well below 1), mean the generator makes the same few
#   rows again and again.
# - **`median_dcr`, `dcr_ratio`, `near_copy_fraction`, `exact_copies`**: privacy. DCR is each
#   row's distance to the closest real training row. Real patients the generator never saw (the
#   first row, *Real held-out*) sit at a typical distance from the training rows; generated rows
#   much closer than that (`dcr_ratio` well below 1) are near-copies of training patients.
#
# The project's targets: `c2st_auc` at most 0.65 and `dcr_ratio` at least 0.8.

# %%
print("Two-sample test classifier:", c2st_classifier())
report = fidelity_report(train_rows, held_out_rows, sources, random_state=seed,
                         n_repeats=c2st_repeats)
report.insert(1, "updates", pd.Series({name: len(h) for name, h in histories.items()}))
report.insert(2, "train_seconds", pd.Series(seconds))
report.to_csv(Path(output_dir) / "fidelity_report.csv")
report.round(3)

# %% [markdown]
# The same in plain words: every alarm the report raises.

# %%
alarms = fidelity_warnings(report)
print("\n".join(alarms) if alarms else "No alarm.")

# %% [markdown]
# And as a figure: the two-sample test on the left, the distances to the closest training row
# on the right (each dot a row; the green band is where real unseen patients lie).

# %%
distances = fidelity_distances(train_rows, held_out_rows, sources)
fig = plot_fidelity(report, distances)
save_figure(fig, output_dir, "fidelity")
plt.show()

# %% [markdown]
# What the table and the figure say (the sentences are computed from the table):

# %%
for name in report.index[1:]:
    row = report.loc[name]
    told_apart = ("a classifier tells them from real rows" if row["c2st_auc"] > C2ST_TARGET
                  else "hard to tell from real rows")
    if row["dcr_ratio"] < DCR_RATIO_TARGET:
        closeness = "but near-copies of training patients"
    elif row["dcr_ratio"] > 1 / DCR_RATIO_TARGET:
        closeness = "farther from every training patient than real patients are"
    else:
        closeness = "as far from training patients as real unseen patients are"
    print(f"- {name}: {told_apart} (C2ST ROC AUC {row['c2st_auc']:.2f}); {closeness} (median "
          f"distance to the closest one {row['dcr_ratio']:.2f} times theirs).")

# %% [markdown]
# How to read it. RO's rows *are* training rows, by construction: no classifier can tell them
# apart, and each is an exact copy of a patient. SMOTE's rows lie on segments between
# neighbouring training rows, so they fool the two-sample test but sit close to training
# patients. Compare the paper's GAN with its longer run to see whether more updates alone
# help, and the WGAN-GP with both.
#
# ## Where do the rows differ? Feature by feature
#
# The Kolmogorov-Smirnov statistic of each feature: the largest gap between the real and the
# generated cumulative distributions (0 = the same distribution, 1 = no overlap).

# %%
ks = pd.DataFrame({name: feature_distances(train_rows, rows, data.feature_names)["ks"]
                   for name, rows in sources.items() if name != "RO"})
fig, ax = plt.subplots(figsize=(12, 4))
ks.plot(ax=ax, marker="o", linewidth=1)
ax.set_xticks(range(len(ks)), ks.index, rotation=90)
ax.set_xlabel("feature")
ax.set_ylabel("Kolmogorov-Smirnov statistic\n(generated vs real training rows)")
ax.set_title("Per-feature distance to the real malignant rows (lower is better)")
ax.legend(title="source")
save_figure(fig, output_dir, "fidelity_per_feature")
plt.show()

# %% [markdown]
# ## Is the better GAN good on other splits too?
#
# One split proves little (notebook 06). The same WGAN-GP setting, and the paper's GAN for
# contrast, on other random splits: each trained on that split's training rows and judged
# against its validation rows.

# %%
rows = []
for other_seed in fidelity_seeds:
    split = utils.prepare_data(data_path, target, other_seed, train_size, validation_share,
                               positive_label, verbose=False)
    split_train, split_held_out = split.X_train[split.y_train == 1], split.X_val[split.y_val == 1]
    for name, sampler in {
        "GAN (paper)": gan_oversampler({**params, "seed": other_seed}),
        "WGAN-GP": GANOversampler(**{**WGAN_GP_SETTINGS, "epochs": better_gan_epochs},
                                  random_state=other_seed),
    }.items():
        generated = new_rows(sampler, split.X_train, split.y_train, len(split_train))
        check = target_check(split_train, split_held_out, generated, random_state=other_seed,
                             n_repeats=c2st_repeats)
        rows.append({"seed": other_seed, "source": name, **check})
by_seed = pd.DataFrame(rows, columns=["seed", "source", "c2st_auc", "dcr_ratio", "on_target"])
by_seed.to_csv(Path(output_dir) / "fidelity_seeds.csv", index=False)
by_seed.pivot(index="seed", columns="source", values=["c2st_auc", "dcr_ratio", "on_target"])

# %%
on_target = by_seed.groupby("source", sort=False)["on_target"].agg(["sum", "size"])
for name, (hits, total) in on_target.iterrows():
    print(f"{name}: on target on {hits} of {total} other splits")
if by_seed.empty:
    print("No other split checked: fidelity_seeds is empty.")

# %% [markdown]
# ## Before you trust generated patients: a checklist
#
# 1. **Count the updates.** Tens of updates teach a generator nothing; check the warning above.
# 2. **Watch the discriminator's outputs**, not only the losses: a discriminator that always
#    wins means the rows are easy to tell apart.
# 3. **Run a two-sample test** against real rows of the class, with a stated classifier and
#    balanced groups; 0.5 is the goal, and scores far below 0.5 are suspicious too.
# 4. **Compare the distance to the closest training row** with that of real held-out rows.
#    Much closer means copies: for patient data, a privacy risk, and no new information.
# 5. **Look for mode collapse**: repeated rows, or far less spread than real rows.
# 6. **Check features and correlations**, not only one global number.
# 7. **Choose settings on training and validation rows only**, and check on other splits.
# 8. **Then ask whether the rows help**, on repeated splits: add `"WGAN-GP"` to notebook 06's
#    `methods` to see whether realistic rows help the classifier more than the paper's did.

# %% [markdown]
# ## Summary
#
# - Test scores do not tell you whether generated rows are realistic; the two-sample test, the
#   per-feature and correlation distances, the mode-collapse alarms and the distance to the
#   closest training row do, and `utils.fidelity` computes them all.
# - RO copies patients; SMOTE makes near-copies; the paper's GAN makes rows any classifier tells
#   apart, even with 100 times more updates.
# - A Wasserstein GAN with gradient penalty on log-scaled features, `GANOversampler(**WGAN_GP_SETTINGS)`,
#   makes rows that are hard to tell from real ones and no closer to training patients than real
#   patients are, in seconds; the table above and the other splits say how reliably.
#
# **Try next:** change `better_gan_epochs` and watch the two-sample test and the distances move
# in opposite directions; run `scripts/benchmark_gan.py` to time the compiled training loop
# against Keras' `train_on_batch`.
