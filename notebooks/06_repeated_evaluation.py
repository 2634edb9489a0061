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
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/06_repeated_evaluation.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# Notebook 04 compared the methods on one test split, as the paper's Table 1 did. That split
# holds only a few dozen malignant patients, so one patient more or less moves malignant recall
# by more than a point, and the paper's whole GAN advantage comes down to a handful of patients
# (the first cells below count them). This notebook asks the question a medical researcher must
# ask before adopting a method: **did it really help, or did the split happen to favour it?**
#
# **What you will learn**
#
# - how to rerun the whole pipeline over many random splits, every method on the same splits,
#   in parallel on every core (and on a cluster);
# - metrics that use the predicted probabilities: ROC AUC, PR AUC, Brier score (lower is
#   better), sensitivity at a fixed specificity;
# - how to compare two methods *paired by split*, with the corrected resampled t-test of
#   Nadeau and Bengio, written out by hand, because random splits of one data set overlap;
# - how the picture changes when the malignant class is made rarer in the training rows, and
#   how to keep a GAN's training comparable while you do so.
#
# **Before you start**
#
# Do notebooks 01 to 04 first: this notebook repeats their whole pipeline (split, RO, SMOTE,
# the paper's GAN, the tuned classifier) many times. You should know precision, recall and F1
# (notebook 04), and what a confidence interval and a t-test are; the notebook explains the
# rest.
#
# **Time**
#
# About 30 minutes to read, and as long again for the exercises. Most of the running time is the
# classifier's tuning: 13 fits of gradient boosting per method and split (12 settings, then the
# chosen one refitted), 1,040 fits for the study's 10 splits and 8 methods. The default, `preset =
# "quick"`, runs the imbalance sweep at one ratio and with SMOTE and the GAN only; `preset = "full"`
# runs it at three ratios with every method, about two and a half times as long (its other rows are
# the same numbers). **For a class**, set `preset = "class"` in the Parameters cell: 3 splits of
# SMOTE and the GAN, no sweep (the intervals get wide with so few splits, which is a lesson too).
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 1.3 min (119 units)
# with the default parameters, and 22 s (29 units) in a fresh runtime with the class setting
# `preset = 'class'`. One unit is the paper's grid search once (README, Time).
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
# Import the libraries and print their versions.

# %%
import os
import time
from dataclasses import replace
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from scipy import stats

import utils
from utils import (
    BenchmarkTable, check_methods, check_sweep_methods, choose_scoring, compared_f1,
    conclusion, corrected_t_interval, correction_ratio, describe_difference, evaluate_split,
    gan_updates, load_dataset, METHODS, NO_AUGMENTATION, paired_differences, PAPER_PARAM_GRID,
    PAPER_TABLE1,
    paper_classifier, plot_distributions, plot_forest, plot_sweep, prepare_frame, Protocol,
    run_study, save_figure, STUDY_GRID, STUDY_METHODS, summarize, WGAN_GP_SETTINGS,
)

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}, "
      f"joblib {joblib.__version__}; {os.cpu_count()} CPU cores")

# %% [markdown]
# ## Parameters
#
# The data and GAN settings of notebooks 01-03 (the paper's), and the study's own: how the
# classifier is tuned (`study_scoring` over `study_grid`; see "One split, every method"), the
# number of random splits, the imbalance ratios of the sweep, the methods of the study and
# of the sweep, the number of parallel workers and the specificity at which sensitivity is
# read. `preset` fills in each of the study's settings left at `None`: `"quick"` (the default)
# runs the study with every method and the sweep at one ratio with SMOTE and the GAN;
# `"full"` the sweep at three ratios with every method (the per-split results of the methods
# both run are the same numbers, from the same splits and seeds; Holm's correction then adjusts
# for more comparisons); `"class"` three splits of SMOTE and the GAN and no sweep. See
# **Time** at the top.
#
# **Why 10 splits?** Random splits of one data set share most of their rows, so the corrected
# interval of this notebook stops narrowing after about ten of them: its variance is
# `(1/J + n_test/n_train)` times the spread of the differences, and `n_test/n_train` is about
# 0.43 here, while `1/J` is 0.1 at ten splits. With the same spread, the 95% interval from 30
# splits is only 1.18 times narrower than from 10 (the t quantile shrinks too), for three times
# the time. Exercise 2 shows the widths as the splits accumulate; set `n_splits = 30` (or more)
# when you want the narrower intervals and can wait for them.

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the classes
positive_label = None  # the class of interest of two (coded 1); None takes the minority class
id_columns = ["id"]  # identifier columns to drop ([] for none)
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
epochs = 10  # passes over the malignant training rows
batch_size = 32  # rows per minibatch
learning_rate = 1e-4  # Adam's learning rate, for both networks
noise_dim = None  # size of the generator's noise input; None takes n_features // 2
study_scoring = "neg_log_loss"  # ranks the settings on the validation rows; None: the paper's F1
study_grid = None  # HistGradientBoosting settings tried; None: utils.STUDY_GRID (12 settings)
preset = "quick"  # "class" (a few minutes), "quick" or "full"; fills in each None below
n_splits = None  # random training / validation / test splits (presets: 3, 10, 10)
imbalance_ratios = None  # benign per malignant training rows (presets: [], [20], [5, 10, 20])
methods = None  # None: the preset's ("class": SMOTE, paper-gan; else STUDY_METHODS)
sweep_methods = None  # the sweep's; None: the preset's ("quick": SMOTE, paper-gan; "full": all)
n_jobs = -1  # parallel workers over splits; -1 uses every core
specificity = 0.95  # sensitivity is reported at this specificity

# %%
params = utils.check_parameters("06_repeated_evaluation", globals())
# The preset fills in each of these left at None; a value you set is kept.
n_splits, imbalance_ratios, methods, sweep_methods = (
    params[name] for name in ("n_splits", "imbalance_ratios", "methods", "sweep_methods"))
method_names = check_methods(methods, STUDY_METHODS)  # no augmentation, the reference, runs first
sweep_names = check_sweep_methods(sweep_methods, method_names)
print(f"Preset {preset!r}: n_splits = {n_splits}, imbalance_ratios = {imbalance_ratios}, "
      f"sweep methods: {', '.join(sweep_names[1:]) or 'none'}.")
Path(output_dir).mkdir(parents=True, exist_ok=True)
frame = load_dataset(data_path, target)
print("Methods:", ", ".join(method_names))

# %% [markdown]
# ## Why one test split is not enough
#
# Split the data once, as notebooks 01-04 did, and count the malignant test rows (with more
# than two classes: the rows of the smallest class): each one is a patient whose diagnosis
# moves that class's recall by a whole step.

# %%
data = prepare_frame(frame, target, seed, train_size, validation_share, positive_label,
                     verbose=False, id_columns=id_columns)
binary = data.n_classes == 2
scoring = choose_scoring(study_scoring, data.n_classes)  # None becomes "f1" or "f1_macro"
smallest = data.class_of_interest  # 1 for two classes; the smallest class for more
positive = data.class_names[smallest]  # e.g. "malignant"
n_test_positive = int(np.sum(data.y_test == smallest))
print(f"{data.n_classes} classes, tuned by {scoring!r}. {n_test_positive} {positive} test "
      f"rows: one patient moves {positive} recall by {100 / n_test_positive:.1f} points.")

# %% [markdown]
# The paper's Table 1 (`utils.PAPER_TABLE1`) gives the GAN a higher malignant recall
# than the baseline. On a test split of this size, that gap is this many patients (for WDBC;
# other data have no paper to compare with):

# %%
paper = PAPER_TABLE1.set_index("method")["recall_malignant"]
gap = paper["GAN"] - paper["Baseline"]
if set(data.class_names.values()) == {"benign", "malignant"}:
    print(f"The paper's malignant recall: baseline {paper['Baseline']:.3f}, GAN "
          f"{paper['GAN']:.3f}; the gap of {gap:.3f} is {gap * n_test_positive:.1f} of "
          f"{n_test_positive} patients.")

# %% [markdown]
# ## The methods
#
# Eight ways to treat the training rows, every one judged by the same classifier, grid and
# validation rows:
#
# - **No augmentation**, the reference of every comparison;
# - **Class weight**: no new rows, but the classifier weighs each malignant row more
#   (`class_weight="balanced"`), the simplest alternative to augmentation;
# - **Platt scaling**: no new rows either; the tuned classifier's probabilities are mapped by a
#   logistic curve fitted to predictions on training rows each model did not learn from
#   (scikit-learn's `CalibratedClassifierCV`, 5 folds). Resampling's best-known cost is
#   probabilities that overstate the minority class; this arm shows what fixing the
#   probabilities directly gives;
# - **RO** and **SMOTE** (notebook 02), and two SMOTE variants from imbalanced-learn:
#   **Borderline-SMOTE** (new rows only near the class border) and **ADASYN** (more new rows
#   where the minority class is hard to learn);
# - **paper-gan**: the paper's GAN with this notebook's GAN settings (notebook 03), one per
#   class, through `GenerativeOverSampler`, which seeds each class's GAN from the split's seed
#   with NumPy's `SeedSequence` (notebook 03's `utils.GANOversampler` uses the seed itself, so
#   the rows differ from notebook 03's for the same seed; neighbouring splits never share one).
#
# These are `STUDY_METHODS`. The methods have one naming scheme in the course, `compare` and
# the benchmark: the classic ones of `utils.METHODS` (`utils.register_method` adds one;
# exercise 3 does), and every generator under its registered name (`"wgan-gp"`,
# `"gaussian-copula"`, `"tab-ddpm"`...; `utils.available_methods()` lists them all). Any of
# them runs when named in the `methods` parameter. **wgan-gp** here is the better GAN of
# notebook 07 (`WGAN_GP_SETTINGS`), which trains about 1000 updates per split, several times as
# long as the paper's GAN (the timing table below shows by how much when it runs). Add it with
# `methods = ["paper-gan", "wgan-gp"]` (or `-p methods "['paper-gan', 'wgan-gp']"` with
# `make run`).

# %% [markdown]
# ## One split, every method
#
# The study's settings are one `Protocol`: how the rows are split, the scorer that tunes the
# classifier on the validation rows, and, as in the paper, the chosen setting refitted on
# training plus validation rows (the benchmark of notebook 08 keeps the model fitted on the
# training rows instead and tunes its decision threshold). The GAN settings go to the
# generators by method name.
#
# **How the classifier is tuned: not as the paper did.** Notebook 04 chose among the paper's
# 15 settings by F1 at 0.5 on the validation rows. With a few dozen malignant validation rows,
# F1 often ties (every setting finds the same patients), and the first setting of the grid then
# wins, however wild its probabilities: the paper's grid has learning rates of 1 and 10, which
# overshoot. Every metric from probabilities (PR AUC, the Brier score, the sensitivity at 95%
# specificity) would inherit that choice, and differently for each method. So the study ranks
# the settings by **log loss** (`study_scoring = "neg_log_loss"`), a proper scoring rule:
# lowest, on average, for the probabilities closest to the truth. The grid is what a
# practitioner would try on a small table (`utils.STUDY_GRID`, the benchmark's; set
# `study_grid` to try others): learning rates around scikit-learn's default of 0.1, trees of 7
# or 31 leaves, leaves of 5 or 20 rows.
# Exercise 1 reruns two methods tuned as the paper did and shows what it changes.

# %%
protocol = Protocol(seed=seed, train_size=train_size, validation_share=validation_share,
                    specificity=specificity, scoring=scoring, refit=True,
                    tune_threshold=False, per_class_metrics=True)
data_table = BenchmarkTable(Path(data_path).stem if data_path else "wdbc", frame, target,
                            tuple(id_columns), positive_label=positive_label)
classifiers = paper_classifier(STUDY_GRID if study_grid is None else study_grid)
print("Settings tried:", classifiers["HGB"].grid)
gan_settings = {"paper-gan": {"epochs": epochs, "batch_size": batch_size,
                              "learning_rate": learning_rate, "noise_dim": noise_dim},
                "wgan-gp": WGAN_GP_SETTINGS}
protocol

# %% [markdown]
# This function is the whole protocol for one split, the same for this notebook, `compare`
# and the benchmark: preprocess with the split's own seed; (for the sweep) subsample the
# malignant *training* rows; for each method resample the training rows, tune on the
# validation rows, and score the test rows once.
#
# > **Good practice:** resampling and the GAN see the training rows only, tuning sees the
# > validation rows only, and the test rows are touched once, by the chosen model.

# %%
utils.show_source(evaluate_split)

# %% [markdown]
# The metrics, from the predicted probabilities as well as the labels:
#
# - per-class precision, recall and F1, and balanced accuracy, at the usual 0.5 threshold
#   (with more than two classes: of the most probable class, and the macro F1, the mean F1
#   over the classes);
# - **ROC AUC** (area under the receiver operating characteristic curve): the chance that a
#   random malignant row scores above a random benign one;
# - **PR AUC** (area under the precision-recall curve, here average precision) for the
#   malignant class, which, unlike ROC AUC, drops when many benign rows score high: the more
#   telling summary when the class of interest is rare;
# - **Brier score**: the mean squared error of the probabilities, which also penalises badly
#   calibrated probabilities. Unlike every other metric here, **lower is better**: the
#   comparisons below count a lower Brier score as better;
# - **sensitivity at a fixed specificity**: the share of malignant masses found when at most
#   5% of benign masses are flagged, a clinically readable operating point (read off the ROC
#   curve of the test rows).
#
# With more than two classes, ROC AUC, PR AUC and the sensitivity are the mean over the
# classes of each class against all the others (*macro one-vs-rest*), and the Brier score is
# the multi-class one (the squared distance between the probabilities and the true class,
# summed over classes).
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
results = run_study(data_table, n_splits, method_names, protocol, classifiers=classifiers,
                    settings=gan_settings, n_jobs=n_jobs)
study_seconds = time.perf_counter() - began
results.to_csv(Path(output_dir) / "repeated_evaluation.csv", index=False)
print(f"{n_splits} splits x {len(method_names)} methods in {study_seconds:.0f} s; "
      f"saved to repeated_evaluation.csv")

# %% [markdown]
# ## How the methods score, split by split
#
# Each dot is one split's test score; the box spans the middle half of the splits. The spread
# within a method is what one split can tell you; compare it with the gaps between methods.

# %%
sensitivity = f"sensitivity_at_{round(specificity * 100)}_specificity"
key_f1 = compared_f1(data.class_names)  # f1_<class 1> (two classes), or f1_macro
key_metrics = [key_f1, "roc_auc", "pr_auc", sensitivity]
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
# and the plain standard error of a mean is far too small. The intervals here use the
# correction of Nadeau and Bengio (2003) for repeated random splits; the next section works
# it out by hand.

# %%
per_class = ([f"precision_{positive}", f"recall_{positive}"] if binary else
             [f"recall_{name}" for name in data.class_names.values()])
metrics = [*per_class, key_f1, "balanced_accuracy", "roc_auc", "pr_auc", "brier", sensitivity]
summary = summarize(results, metrics, protocol)
summary.to_csv(Path(output_dir) / "repeated_summary.csv", index=False)
table = summary.assign(
    value=lambda s: s.apply(lambda r: f"{r['mean']:.3f} ({r.ci_low:.3f}-{r.ci_high:.3f})", axis=1))
table.pivot(index="method", columns="metric", values="value").reindex(method_names)[metrics]

# %% [markdown]
# ## Paired differences from no augmentation
#
# The fair comparison is *paired*: on each split, a method's score minus the score of no
# augmentation on the same split, which removes what the split itself contributes.
#
# ### The corrected interval, by hand
#
# Take the last method of the study and malignant F1 (the macro F1 for more classes): one
# difference per split.

# %%
compared, metric = method_names[-1], key_f1
per_split = results.pivot(index="split", columns="method", values=metric)
d = (per_split[compared] - per_split[NO_AUGMENTATION]).to_numpy()
J = len(d)
print(f"{compared} minus {NO_AUGMENTATION.lower()}, {metric}, on {J} splits:\n{d.round(3)}")

# %% [markdown]
# If the splits were independent, the variance of the mean difference would be the variance
# of the differences divided by J. But every split trains on most of the same rows, so the
# differences move together. Nadeau and Bengio's correction replaces `1/J` by
# `1/J + n_test/n_train`, where `n_train` counts the rows the final model learns from
# (training plus validation rows: the grid search refits on both) and `n_test` the test rows.

# %%
n_train = len(data.y_train) + len(data.y_val)
test_train_ratio = len(data.y_test) / n_train
test_share = (1 - train_size) * (1 - validation_share)
print(f"n_test / n_train = {len(data.y_test)} / {n_train} = {test_train_ratio:.3f} rows "
      f"(about {test_share:.2f} / {1 - test_share:.2f} of all rows)")

# %% [markdown]
# The mean difference and its two standard errors, plain and corrected:

# %%
mean_difference = d.mean()
plain_se = np.sqrt(d.var(ddof=1) / J)
corrected_se = np.sqrt((1 / J + test_train_ratio) * d.var(ddof=1))
print(f"mean {mean_difference:+.4f}; standard error {plain_se:.4f} plain, "
      f"{corrected_se:.4f} corrected")

# %% [markdown]
# The 95% interval uses Student's t distribution with J - 1 degrees of freedom; the p-value
# asks how surprising the mean would be if the true difference were 0.

# %%
quantile = stats.t.ppf(0.975, df=J - 1)
low, high = mean_difference - quantile * corrected_se, mean_difference + quantile * corrected_se
p_value = (2 * stats.t.sf(abs(mean_difference / corrected_se), df=J - 1) if corrected_se > 0
           else float(mean_difference == 0))
print(f"t quantile {quantile:.2f}; 95% interval {low:+.4f} to {high:+.4f}; p = {p_value:.3f} "
      f"(without the correction: {mean_difference - quantile * plain_se:+.4f} to "
      f"{mean_difference + quantile * plain_se:+.4f})")

# %% [markdown]
# `tabaug.stats.intervals.corrected_t_interval` is the same computation, and `paired_differences`
# applies it to every method and metric; the cell checks that all three agree.

# %%
differences = paired_differences(results, metrics, protocol)
differences.to_csv(Path(output_dir) / "paired_differences.csv", index=False)
from_utils = corrected_t_interval(d, correction_ratio(results, protocol))
row = differences.set_index(["method", "metric"]).loc[(compared, metric)]
assert np.allclose((mean_difference, low, high, p_value), from_utils)
assert np.allclose((low, high), (row["ci_low"], row["ci_high"]))
print("By hand, corrected_t_interval and paired_differences agree:", np.round(from_utils, 4))

# %% [markdown]
# ### Many methods, one reference: Holm's correction
#
# Each method is compared with no augmentation. With six methods and no real difference at all, the
# chance that at least one of six p-values falls below 0.05 by luck is far above 5%. Holm's
# step-down method keeps that chance at 5%: sort the p-values, multiply the smallest by the number
# of methods m, the next by m - 1, and so on; keep them increasing and at most 1. A method differs
# when its adjusted p-value is below 0.05. `paired_differences` adds it as `p_holm` (with
# `tabaug.stats.intervals.holm`, which calls statsmodels); the cell does it by hand for one metric
# and checks they agree.

# %%
family = differences[differences["metric"] == metric]
p_values = family["p_value"].to_numpy()
order = np.argsort(p_values)
m = len(p_values)
stepped = np.minimum(np.maximum.accumulate((m - np.arange(m)) * p_values[order]), 1)
p_holm = np.empty(m)
p_holm[order] = stepped
assert np.allclose(p_holm, family["p_holm"])
print(family[["method", "p_value"]].assign(p_holm=p_holm).round(3).to_string(index=False))

# %% [markdown]
# ## The forest plot
#
# Each method's mean paired difference with its corrected 95% interval; an interval that
# crosses the dashed line is no evidence of a difference. Read each panel's x label for the
# better side: to the right for the scores, to the left for the Brier score, where lower is
# better.

# %%
fig, axes = plt.subplots(2, 2, figsize=(15, 9), sharey=True)
for ax, metric_name in zip(axes.flat, [key_f1, "pr_auc", sensitivity, "brier"]):
    plot_forest(differences, metric_name, ax=ax, legend=ax is axes[1, 1])
    ax.set_title(metric_name)
fig.tight_layout()
save_figure(fig, output_dir, "forest_plot")
plt.show()

# %% [markdown]
# The same numbers in words, written by the code from the intervals (p-values from the
# corrected resampled t-test, then adjusted by Holm's method for the methods compared;
# "better" means lower for the Brier score):

# %%
for difference in differences[differences["metric"].isin(
        [key_f1, "pr_auc", sensitivity, "brier"])].itertuples():
    print(describe_difference(difference))

# %% [markdown]
# ## Conclusion at the natural imbalance

# %%
for metric_name in [key_f1, "pr_auc", sensitivity, "roc_auc", "brier"]:
    print(conclusion(differences, metric_name))

# %% [markdown]
# ## The imbalance sweep
#
# How imbalanced is the data? Count the classes of the training rows (every split keeps this
# mix, since the splits are stratified):

# %%
train_counts = np.bincount(data.y_train)
n_train_negative, n_train_positive = train_counts.max(), train_counts.min()
negative = data.class_names[int(train_counts.argmax())]  # the largest class, e.g. "benign"
natural_ratio = n_train_negative / n_train_positive
print(f"{n_train_negative} {negative} and {n_train_positive} {positive} training rows: "
      f"{natural_ratio:.2f} {negative} per {positive}.")

# %% [markdown]
# That is barely imbalanced. Augmentation is meant for rarer classes, so the sweep keeps every
# benign training row and a random subset of the malignant training rows, to each ratio of
# `imbalance_ratios` benign per malignant, and reruns the comparison on the same splits. (With
# more classes: every row of the other classes, and a subset of the smallest class's rows, to
# each ratio of largest class per smallest.)
# **The validation and test rows keep their natural mix**: the models are still judged on
# patients as they come.
#
# > **Watch out:** fewer malignant rows mean fewer minibatches per epoch, so with the paper's
# > settings the GAN would make fewer generator updates than at the natural ratio, and with
# > fewer rows than a minibatch (the last partial minibatch is dropped) it would make none.
# > That would compare a less-trained GAN, not a rarer class. The study keeps the updates:
# > it lowers the minibatch to the rows there are, and raises the epochs.

# %%
sweep_ratios = [r for r in imbalance_ratios
                if r > natural_ratio and round(n_train_negative / r) >= 2]
left_out = [r for r in imbalance_ratios if r not in sweep_ratios]
if left_out:
    print(f"Left out of the sweep: ratios {left_out}. A sweep can only make the data more "
          f"imbalanced than its natural {natural_ratio:.2f}, and must keep at least 2 "
          f"{positive} rows; change imbalance_ratios to choose others.")
natural_updates = gan_updates(n_train_positive, batch_size, epochs)
print(f"Natural ratio: {n_train_positive} rows, {natural_updates} generator updates.")
for ratio in sweep_ratios:
    kept = round(n_train_negative / ratio)
    per_epoch = gan_updates(kept, batch_size, 1)
    print(f"Ratio {ratio}: {kept} rows; the paper's settings would make "
          f"{gan_updates(kept, batch_size, epochs)} updates; the study trains "
          f"{-(-natural_updates // per_epoch)} epochs of minibatches of {min(batch_size, kept)}.")

# %% [markdown]
# Run the sweep; the results' `note` column says what was changed for each GAN (or SMOTE), the
# `warnings` column what a sampler warned about (the paper's GAN makes too few updates to
# learn realistic rows, say), and the `generator_updates` column how many updates it made.

# %%
began = time.perf_counter()
sweep = (run_study(data_table, n_splits, sweep_names, protocol, classifiers=classifiers,
                   ratios=sweep_ratios, settings=gan_settings, n_jobs=n_jobs)
         if sweep_ratios else results.iloc[:0])  # imbalance_ratios = [] skips the sweep
sweep_seconds = time.perf_counter() - began
natural = results[results["method"].isin(sweep_names)]  # the study is the natural ratio
sweep = pd.concat([natural, sweep], ignore_index=True)
sweep.to_csv(Path(output_dir) / "imbalance_sweep.csv", index=False)
notes = sweep.loc[sweep["note"] != "", ["ratio", "method", "note"]].drop_duplicates()
for note in notes.itertuples():
    print(f"Note, ratio {note.ratio}, {note.method}: {note.note}")
raised = sweep.loc[sweep["warnings"] != "", ["method", "warnings"]].drop_duplicates()
for warned in raised.itertuples():  # raised in the parallel workers, kept in the results
    print(f"Warning, {warned.method}: {warned.warnings}")
print(f"Sweep: {len(sweep_ratios)} ratios x {n_splits} splits in {sweep_seconds:.0f} s")

# %% [markdown]
# The generator updates of every GAN method at every ratio (the same on every split), which
# must not fall below those at the natural ratio:

# %%
gans = sweep[sweep["generator_updates"] > 0]
updates = gans.groupby(["method", "ratio"], observed=True, sort=False)["generator_updates"]
updates = updates.agg(["min", "max"])
for name, at_ratios in updates.groupby(level="method", observed=True):
    natural = at_ratios.loc[(name, "natural"), "min"]
    assert (at_ratios["min"] >= natural).all(), f"{name} made fewer updates in the sweep"
print(updates if len(updates) else "No GAN method in this run.")

# %% [markdown]
# Each point is a method's mean over the splits, with its corrected 95% interval; the methods
# stand side by side at each ratio. Each ratio's correction uses its own `n_test / n_train`:
# the sweep keeps fewer training rows, so the ratio, and the intervals, grow with it
# (`correction_ratio` reads the rows each split recorded).

# %%
sweep["method"] = pd.Categorical(sweep["method"], categories=sweep_names)
sweep_summary = summarize(sweep, metrics, protocol)
fig, axes = plt.subplots(1, 3, figsize=(17, 5))
for ax, metric_name in zip(axes, [key_f1, "pr_auc", sensitivity]):
    plot_sweep(sweep_summary, metric_name, natural_ratio, ax=ax)
    ax.set_title(metric_name)
fig.tight_layout()
save_figure(fig, output_dir, "imbalance_sweep")
plt.show()

# %% [markdown]
# What the paired comparison says at each ratio:

# %%
sweep_differences = paired_differences(sweep, metrics, protocol)
sweep_differences.to_csv(Path(output_dir) / "imbalance_sweep_differences.csv", index=False)
for ratio, at_ratio in sweep_differences.groupby("ratio", sort=False):
    print(f"Ratio {ratio}:")
    for metric_name in [key_f1, "pr_auc", sensitivity]:
        print("  " + conclusion(at_ratio, metric_name))

# %% [markdown]
# ## Where the time goes
#
# Seconds per split and method, resampling (the GAN's training included) and tuning (the grid
# search with its refit) apart, measured above at the natural ratio.

# %%
timing = results.groupby("method", observed=True)[["resample_seconds", "fit_seconds"]].mean()
timing["total_seconds"] = timing.sum(axis=1)
slowest = timing["total_seconds"].idxmax()
print(f"Study {study_seconds:.0f} s and sweep {sweep_seconds:.0f} s on {os.cpu_count()} cores. "
      f"The slowest method is {slowest}: {timing.loc[slowest, 'total_seconds']:.1f} s per split "
      f"({timing.loc[slowest, 'resample_seconds']:.1f} s resampling, "
      f"{timing.loc[slowest, 'fit_seconds']:.1f} s tuning).")
timing.round(2)

# %% [markdown]
# The tuning, 16 fits of gradient boosting per method and split, costs about the same for
# every method; only a GAN adds its training. So a method left out with `methods` saves about
# its share of the time; the cell estimates what leaving out the slowest one saves (no
# augmentation, the reference, always runs). (Class
# weights once took most of the time: scikit-learn 1.8 and 1.9 bin weighted rows slowly, a
# weighted quantile per feature at every fit. `tabaug.experiments.binning` computes the same bins
# at once while a class-weighted model is fitted; `scripts/benchmark_class_weight.py` prints
# the time before and after, and that the models are identical.)

# %%
optional = timing["total_seconds"].drop(index=NO_AUGMENTATION)
if optional.empty:
    print("Only no augmentation ran: there is no method to leave out.")
else:
    costliest = optional.idxmax()
    share = optional[costliest] / timing["total_seconds"].sum()
    print(f"{costliest} takes {share:.0%} of the computing time; without it the study and the "
          f"sweep would take about {(study_seconds + sweep_seconds) * (1 - share) / 60:.1f} "
          f"minutes instead of {(study_seconds + sweep_seconds) / 60:.1f}.")

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
#     results = run_study(data_table, 200, method_names, protocol, classifiers=classifiers)
# ```
#
# With Ray (`pip install ray`): `from ray.util.joblib import register_ray; register_ray()`,
# then `with joblib.parallel_config(backend="ray"): ...` the same way. Each worker needs this
# project's `utils` installed.

# %% [markdown]
# ## Summary
#
# - One test split holds too few malignant patients to rank the methods: the cells at the top
#   counted how few patients separate the paper's GAN from its baseline.
# - Every method ran on the same random splits; results per split are in
#   `repeated_evaluation.csv` and `imbalance_sweep.csv`, summaries in `repeated_summary.csv`
#   and `paired_differences.csv`.
# - Paired differences with intervals corrected for overlapping splits (Nadeau and Bengio:
#   variance inflated by `1/J + n_test/n_train`, Student's t with J - 1 degrees of freedom)
#   say which differences the data support; the conclusions above are printed from those
#   intervals, whatever they say. For the Brier score, lower is better.
# - The sweep shows whether any method starts to matter as the malignant class gets rarer,
#   with the GAN's generator updates kept at those of the natural ratio.
#
# **Try next:** raise `n_splits` to 100 (on a cluster, if you have one); add `"wgan-gp"` to
# `methods` to see whether notebook 07's better GAN helps more than the paper's.

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change something, to predict what will happen, and then to check.
#
# 1. **Tune as the paper did.** The study chooses each method's setting by log loss over a
#    practitioner's grid. Tune no augmentation and SMOTE as the paper did instead: by F1 at 0.5
#    (`scoring=None`; the macro F1 for more than two classes) over the paper's grid
#    (`utils.PAPER_PARAM_GRID`). Predict: which of the test rows' PR AUC, Brier score and log
#    loss will change, and in which direction? Check split by split, on the same splits.
# 2. **More splits, narrower intervals?** Predict what happens to the width of the corrected
#    95% interval as `n_splits` grows from 2 to 30 to 1000. Will it shrink towards 0, as a
#    plain interval does? Check with the per-split differences of the study: compute the
#    interval on the first J splits for every J, beside the uncorrected one.
# 3. **A method of your own.** Register random *under*-sampling (imbalanced-learn's
#    `RandomUnderSampler`, which drops benign training rows until the classes are even) with
#    `utils.register_method`, and run it against no augmentation. Predict: will
#    its malignant F1 differ? Will its Brier score be better or worse? Check with the paired
#    differences.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# Run no augmentation and SMOTE again on the same splits, tuned by the paper's F1 over the
# paper's grid (new variables; the notebook's own results and files stay as they are), and
# compare their test scores with the log-loss-tuned runs above. The code says what changed;
# on a table as easy as WDBC both tunings may pick similar models, and the differences come
# with no interval here: run more splits before reading much into them.

# %% tags=["solution"] jupyter={"source_hidden": true}
paper_tuned = run_study(data_table, n_splits, ["SMOTE"], replace(protocol, scoring=None),
                        classifiers=paper_classifier(PAPER_PARAM_GRID), n_jobs=n_jobs)
loss_tuned = run_study(data_table, n_splits, ["SMOTE"], protocol, classifiers=classifiers,
                       n_jobs=n_jobs) if "SMOTE" not in method_names else results

# %% [markdown]
# Split by split, each method's scores under both tunings (for PR AUC higher is better; for
# the Brier score and the log loss, lower):

# %% tags=["solution"] jupyter={"source_hidden": true}
for name in [NO_AUGMENTATION, "SMOTE"]:
    for metric_name in ["pr_auc", "brier", "log_loss"]:
        ours = loss_tuned[loss_tuned["method"] == name].set_index("split")[metric_name]
        paper_way = paper_tuned[paper_tuned["method"] == name].set_index("split")[metric_name]
        print(f"{name}, {metric_name}: mean {ours.mean():.4f} tuned by {scoring}, "
              f"{paper_way.mean():.4f} tuned as the paper did; the paper's way higher on "
              f"{(paper_way > ours).sum()}, lower on {(paper_way < ours).sum()} of "
              f"{len(ours)} splits.")

# %% [markdown]
# ### Exercise 2
#
# The corrected variance is `(1/J + n_test/n_train)` times the variance of the differences.
# As J grows, `1/J` vanishes but `n_test/n_train` stays: the interval narrows at first, then
# levels off at a width set by the overlap of the splits, however many you run. The plain
# interval keeps shrinking like `1/sqrt(J)`, which is exactly the false confidence the
# correction removes. Below, the widths on the first J splits of the study (they also jump
# when a split with an unusual difference joins: the spread itself is estimated anew).

# %% tags=["solution"] jupyter={"source_hidden": true}
gaps = (per_split[compared] - per_split[NO_AUGMENTATION]).to_numpy()
widths = pd.DataFrame(
    [{"splits": j,
      "corrected": np.ptp(corrected_t_interval(gaps[:j], correction_ratio(results, protocol))[1:3]),
      "plain": np.ptp(corrected_t_interval(gaps[:j], 0.0)[1:3])}
     for j in range(2, len(gaps) + 1)]).set_index("splits")
floor = 2 * stats.norm.ppf(0.975) * np.sqrt(correction_ratio(results, protocol)) * gaps.std(ddof=1)

# %% [markdown]
# Plot both widths against the number of splits, with the width the corrected interval tends
# to for very many splits of the same spread:

# %% tags=["solution"] jupyter={"source_hidden": true}
fig, ax = plt.subplots(figsize=(8, 4))
widths.plot(ax=ax, marker="o")
ax.axhline(floor, color="grey", linestyle="--", label="corrected, very many splits")
ax.set_xlabel("splits used (J)")
ax.set_ylabel(f"width of the 95% interval\n({compared} minus {NO_AUGMENTATION.lower()})")
ax.set_title(metric)
ax.legend()
save_figure(fig, output_dir, "exercise_interval_widths")
plt.show()
print(f"With {len(gaps)} splits the corrected interval is {widths['corrected'].iloc[-1]:.4f} "
      f"wide; with very many splits of the same spread it would still be {floor:.4f} wide, "
      f"while the plain one would shrink towards 0 (now {widths['plain'].iloc[-1]:.4f}).")

# %% [markdown]
# ### Exercise 3
#
# Under-sampling throws away most benign training rows, so the classifier learns from fewer
# patients; and balancing the classes pushes the predicted probabilities up for every row,
# so a worse (higher) Brier score is the usual result even when F1 barely moves. The method is
# registered for this run only, then removed, so that a later "Run all" does not pick it up.

# %% tags=["solution"] jupyter={"source_hidden": true}
from imblearn.under_sampling import RandomUnderSampler

from utils import Method, register_method

register_method("Undersampling", lambda split_seed, y_train, context: Method(
    RandomUnderSampler(random_state=split_seed)))
try:
    # No augmentation on these splits is in the study's results already: reuse it.
    under_results = run_study(data_table, n_splits, ["Undersampling"], protocol,
                                   classifiers=classifiers, n_jobs=n_jobs, reference=results)
finally:
    METHODS.pop("Undersampling")

# %% [markdown]
# What the paired differences say, printed from the intervals:

# %% tags=["solution"] jupyter={"source_hidden": true}
under_differences = paired_differences(under_results, [key_f1, "pr_auc", "brier"],
                                       protocol)
for difference in under_differences.itertuples():
    print(describe_difference(difference))
