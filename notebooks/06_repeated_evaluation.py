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
# # 06 · Is augmentation really better? Many splits, paired comparisons, an imbalance sweep
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/06_repeated_evaluation.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>
#
# Notebook 04 compared the methods on one test split, as the paper's Table 1 did. With 64
# malignant test rows, one patient moves malignant recall by 1.6 points, and the paper's whole
# GAN advantage is three patients. This notebook asks the question a medical researcher must
# ask before adopting a method: **did it really help, or did the split happen to favour it?**
#
# **What you will learn**
#
# - how to rerun the whole pipeline over many random splits, every method on the same splits,
#   in parallel on every core (and on a cluster);
# - metrics that use the predicted probabilities: ROC AUC, PR AUC, Brier score, sensitivity at
#   a fixed specificity;
# - how to compare two methods *paired by split*, with an interval and a test that respect
#   that random splits of one data set overlap;
# - how the picture changes when the malignant class is made rarer in the training rows.

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
import os
import time
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn

import utils
from utils.data import load_dataset
from utils.plotting import plot_distributions, plot_forest, plot_sweep, save_figure
from utils.preprocessing import prepare_frame
from utils.study import (
    METHODS, check_methods, conclusion, describe_difference, evaluate_split,
    paired_differences, run_study, summarize,
)

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}, "
      f"joblib {joblib.__version__}; {os.cpu_count()} CPU cores")

# %% [markdown]
# ## Parameters
#
# The data, GAN and grid settings of notebooks 01-04 (the paper's), and the study's own:
# the number of random splits, the imbalance ratios of the sweep, the methods, the number of
# parallel workers and the specificity at which sensitivity is read.

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
grid_learning_rate = [0.001, 0.01, 0.1, 1, 10]  # HistGradientBoosting learning rates tried
grid_min_samples_leaf = [1, 20, 100]  # minimum rows per leaf tried
scoring = "f1"  # how the validation rows rank the settings
n_splits = 30  # random training / validation / test splits
imbalance_ratios = [5, 10, 20]  # benign per malignant training rows in the sweep
methods = None  # None runs every registered method but the opt-in "WGAN-GP"
n_jobs = -1  # parallel workers over splits; -1 uses every core
specificity = 0.95  # sensitivity is reported at this specificity

# %%
params = utils.check_parameters("06_repeated_evaluation", globals())
methods = check_methods(methods)
Path(output_dir).mkdir(parents=True, exist_ok=True)
frame = load_dataset(data_path, target)
print("Methods:", ", ".join(methods))

# %% [markdown]
# ## The methods
#
# Seven ways to treat the training rows, every one judged by the same classifier, grid and
# validation rows:
#
# - **No augmentation**, the reference of every comparison;
# - **Class weight**: no new rows, but the classifier weighs each malignant row more
#   (`class_weight="balanced"`), the simplest alternative to augmentation;
# - **RO** and **SMOTE** (notebook 02), and two SMOTE variants from imbalanced-learn:
#   **Borderline-SMOTE** (new rows only near the class border) and **ADASYN** (more new rows
#   where the minority class is hard to learn);
# - **GAN**: `GANOversampler` with the paper's settings (notebook 03).
#
# Methods live in a registry, `utils.study.METHODS`; `utils.study.register_method` adds one
# (a new GAN, say), and this notebook runs it by name through the `methods` parameter. One
# registered method runs only when named: **WGAN-GP**, the better GAN of notebook 07, which
# trains about 1000 updates per split, several times as long as the paper's GAN (the timing
# table below shows by how much when it runs). Add it with
# `methods = ["GAN", "WGAN-GP"]` (or `-p methods "['GAN', 'WGAN-GP']"` with `make run`).

# %% [markdown]
# ## One split, every method
#
# This function is the whole protocol for one split: preprocess with the split's own seed;
# (for the sweep) subsample the malignant *training* rows; for each method resample the
# training rows, tune on the validation rows, and score the test rows once.
#
# > **Good practice:** resampling and the GAN see the training rows only, tuning sees the
# > validation rows only, and the test rows are touched once, by the chosen model.

# %%
utils.show_source(evaluate_split)

# %% [markdown]
# The metrics, from the predicted probabilities as well as the labels:
#
# - per-class precision, recall and F1, and balanced accuracy, at the usual 0.5 threshold;
# - **ROC AUC**: the chance that a random malignant row scores above a random benign one;
# - **PR AUC** (average precision) for the malignant class, which, unlike ROC AUC, drops when
#   many benign rows score high: the more telling summary when the class of interest is rare;
# - **Brier score**: the mean squared error of the probabilities (lower is better), which also
#   penalises badly calibrated probabilities;
# - **sensitivity at a fixed specificity**: the share of malignant masses found when at most
#   5% of benign masses are flagged, a clinically readable operating point (read off the ROC
#   curve of the test rows).
#
# > **Good practice:** balancing the training classes shifts the predicted probabilities
# > toward the minority class, which can worsen the Brier score even when the ranking (ROC
# > AUC) is untouched; the Brier column below shows whether it does here. Recalibrate on
# > untouched data before reporting probabilities as risks.

# %% [markdown]
# ## The repeated-split study
#
# Split `i` uses seed `seed + i`; every method sees the same `n_splits` splits. The splits run
# in parallel on every core with joblib, with a progress bar.

# %%
began = time.perf_counter()
results = run_study(frame, n_splits, methods, params, n_jobs=n_jobs, specificity=specificity)
study_seconds = time.perf_counter() - began
results.to_csv(Path(output_dir) / "repeated_evaluation.csv", index=False)
print(f"{n_splits} splits x {len(methods)} methods in {study_seconds:.0f} s; "
      f"saved to repeated_evaluation.csv")

# %% [markdown]
# ## How the methods score, split by split
#
# Each dot is one split's test score; the box spans the middle half of the splits. The spread
# within a method is what one split can tell you; compare it with the gaps between methods.

# %%
positive = prepare_frame(frame, target, seed, train_size, validation_share, positive_label,
                         verbose=False).class_names[1]  # e.g. "malignant"
sensitivity = f"sensitivity_at_{round(specificity * 100)}_specificity"
key_metrics = [f"f1_{positive}", "roc_auc", "pr_auc", sensitivity]
fig, axes = plt.subplots(2, 2, figsize=(14, 9))
for ax, metric in zip(axes.flat, key_metrics):
    plot_distributions(results, metric, ax=ax)
fig.tight_layout()
save_figure(fig, output_dir, "repeated_distributions")
plt.show()

# %% [markdown]
# ## Mean and 95% interval per method
#
# Random splits of one data set share most of their rows, so their scores are not independent
# and the plain standard error of a mean is far too small. The interval here inflates the
# variance by `1/J + n_test/n_train` (J splits), the correction of Nadeau and Bengio (2003)
# for repeated random splits.

# %%
metrics = [f"precision_{positive}", f"recall_{positive}", f"f1_{positive}", "balanced_accuracy",
           "roc_auc", "pr_auc", "brier", sensitivity]
summary = summarize(results, metrics, params)
summary.to_csv(Path(output_dir) / "repeated_summary.csv", index=False)
table = summary.assign(
    value=lambda s: s.apply(lambda r: f"{r['mean']:.3f} ({r.ci_low:.3f}-{r.ci_high:.3f})", axis=1))
table.pivot(index="method", columns="metric", values="value").reindex(methods)[metrics]

# %% [markdown]
# ## Paired differences from no augmentation
#
# The fair comparison is *paired*: on each split, a method's score minus the score of no
# augmentation on the same split, which removes what the split itself contributes. The forest
# plot shows the mean difference and its corrected 95% interval; an interval that crosses the
# dashed line is no evidence of a difference.

# %%
differences = paired_differences(results, metrics, params)
differences.to_csv(Path(output_dir) / "paired_differences.csv", index=False)
fig, axes = plt.subplots(1, 3, figsize=(16, 4.5), sharey=True)
for ax, metric in zip(axes, [f"f1_{positive}", "pr_auc", sensitivity]):
    plot_forest(differences, metric, ax=ax, legend=ax is axes[1])
    ax.set_title(metric)
fig.tight_layout()
save_figure(fig, output_dir, "forest_plot")
plt.show()

# %% [markdown]
# The same numbers in words, written by the code from the intervals (p-values from the
# corrected resampled t-test):

# %%
for row in differences[differences["metric"].isin([f"f1_{positive}", "pr_auc", sensitivity,
                                                   "brier"])].itertuples():
    print(describe_difference(row))

# %% [markdown]
# ## Conclusion at the natural imbalance

# %%
for metric in [f"f1_{positive}", "pr_auc", sensitivity, "roc_auc", "brier"]:
    print(conclusion(differences, metric))

# %% [markdown]
# ## The imbalance sweep
#
# WDBC is barely imbalanced: about 1.7 benign masses per malignant one. Augmentation is meant
# for rarer classes, so the sweep keeps every benign training row and a random subset of the
# malignant training rows, to 5, 10 and 20 benign per malignant, and reruns the comparison on
# the same splits. **The validation and test rows keep their natural mix**: the models are
# still judged on patients as they come.
#
# > **Watch out:** at 20 benign per malignant the training split keeps only a handful of
# > malignant rows, fewer than the GAN's minibatch of 32. Rather than train zero steps, the
# > GAN's minibatch is lowered to the number of rows, and the results say so in their `note`
# > column.

# %%
began = time.perf_counter()
sweep = (run_study(frame, n_splits, methods, params, ratios=imbalance_ratios, n_jobs=n_jobs,
                   specificity=specificity)
         if imbalance_ratios else results.iloc[:0])  # imbalance_ratios = [] skips the sweep
sweep_seconds = time.perf_counter() - began
sweep = pd.concat([results, sweep], ignore_index=True)
sweep.to_csv(Path(output_dir) / "imbalance_sweep.csv", index=False)
for note in sweep.loc[sweep["note"] != "", "note"].unique():
    print("Note:", note)
print(f"Sweep: {len(imbalance_ratios)} ratios x {n_splits} splits in {sweep_seconds:.0f} s")

# %% [markdown]
# Each point is a method's mean over the splits, with its corrected 95% interval; the methods
# stand side by side at each ratio.

# %%
sweep["method"] = pd.Categorical(sweep["method"], categories=methods)
sweep_summary = summarize(sweep, metrics, params)
counts = frame[target].value_counts()
natural_ratio = float(counts.max() / counts.min())  # benign per malignant in every split
fig, axes = plt.subplots(1, 3, figsize=(17, 5))
for ax, metric in zip(axes, [f"f1_{positive}", "pr_auc", sensitivity]):
    plot_sweep(sweep_summary, metric, natural_ratio, ax=ax)
    ax.set_title(metric)
fig.tight_layout()
save_figure(fig, output_dir, "imbalance_sweep")
plt.show()

# %% [markdown]
# What the paired comparison says at each ratio:

# %%
sweep_differences = paired_differences(sweep, metrics, params)
sweep_differences.to_csv(Path(output_dir) / "imbalance_sweep_differences.csv", index=False)
for ratio, at_ratio in sweep_differences.groupby("ratio", sort=False):
    print(f"Ratio {ratio}:")
    for metric in [f"f1_{positive}", "pr_auc", sensitivity]:
        print("  " + conclusion(at_ratio, metric))

# %% [markdown]
# ## Where the time goes
#
# Seconds per split and method, resampling (the GAN's training included) and tuning (the grid
# search with its refit) apart, measured above at the natural ratio.

# %%
timing = results.groupby("method", observed=True)[["resample_seconds", "tune_seconds"]].mean()
timing["total_seconds"] = timing.sum(axis=1)
slowest = timing["total_seconds"].idxmax()
print(f"Study {study_seconds:.0f} s and sweep {sweep_seconds:.0f} s on {os.cpu_count()} cores. "
      f"The slowest method is {slowest}: {timing.loc[slowest, 'total_seconds']:.1f} s per split "
      f"({timing.loc[slowest, 'resample_seconds']:.1f} s resampling, "
      f"{timing.loc[slowest, 'tune_seconds']:.1f} s tuning).")
timing.round(2)

# %% [markdown]
# Class weights are expensive here not because of the method but because of how
# scikit-learn's `HistGradientBoostingClassifier` bins features when rows carry weights
# (weighted quantiles, computed again at every fit of the grid). To get a quicker study in a
# class, leave it out with `methods`; the cell estimates what that saves.

# %%
share = timing.loc["Class weight", "total_seconds"] / timing["total_seconds"].sum() \
    if "Class weight" in timing.index else 0.0
print(f"Class weight takes {share:.0%} of the computing time; without it the study and the "
      f"sweep would take about {(study_seconds + sweep_seconds) * (1 - share) / 60:.1f} "
      "minutes instead of "
      f"{(study_seconds + sweep_seconds) / 60:.1f}.")

# %% [markdown]
# ## Running it on a cluster
#
# The splits are independent, and `run_study` hands them to joblib, so any joblib backend
# spreads them wider without a change to this code. With Dask (`pip install "dask[distributed]"`):
#
# ```python
# from dask.distributed import Client
# client = Client("tcp://scheduler-address:8786")   # or Client() for a local cluster
# with joblib.parallel_config(backend="dask"):
#     results = run_study(frame, 200, methods, params)
# ```
#
# With Ray (`pip install ray`): `from ray.util.joblib import register_ray; register_ray()`,
# then `with joblib.parallel_config(backend="ray"): ...` the same way. Each worker needs this
# project's `utils` installed.

# %% [markdown]
# ## Summary
#
# - Every method ran on the same random splits; results per split are in
#   `repeated_evaluation.csv` and `imbalance_sweep.csv`, summaries in `repeated_summary.csv`
#   and `paired_differences.csv`.
# - Paired differences with intervals corrected for overlapping splits say which differences
#   the data support; the conclusions above are printed from those intervals, whatever they
#   say.
# - The sweep shows whether any method starts to matter as the malignant class gets rarer.
#
# **Try next:** raise `n_splits` to 100 (on a cluster, if you have one); register a better GAN
# and add it to `methods`; set `scoring = "average_precision"` to tune for PR AUC.
