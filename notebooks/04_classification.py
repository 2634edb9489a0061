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
# # 04 · Does augmentation help a classifier? Tune, test and compare with Table 1
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/04_classification.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# The paper's **Step 3**: train a gradient-boosting classifier on the training rows as they
# are (Baseline) and as augmented by RO, SMOTE and the GAN; tune it on the validation rows;
# test it once on the test rows; and compare the four results, ours beside the paper's.
#
# **What you will learn**
#
# - how to tune hyperparameters on a predefined validation split with `GridSearchCV`, written
#   out cell by cell, and why the scorer you tune by matters;
# - which metrics suit an imbalanced, medical problem, and why the paper's "AUC" is really
#   balanced accuracy;
# - how to read confusion matrices, ROC curves and precision-recall curves, and how moving the
#   decision threshold trades missed patients for false alarms;
# - how much one small test split can (and cannot) tell you about which method is best.
#
# **Before you start**
#
# Do notebooks 01 (the split into training, validation and test rows), 02 (RO and SMOTE) and
# 03 (the GAN) first. You should know what precision and recall are; the notebook recalls the
# rest. It runs on its own: if notebook 03 did not save the GAN's rows in `output_dir` with the
# same settings, it trains the GAN again.
#
# **Time**
#
# About 25 minutes to read and do the exercises. The times below include the solutions and
# read notebook 03's GAN rows from the output folder (without them, the notebook trains the
# GAN itself, a few seconds more).
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 16 s (24 units) with
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
# Import the libraries and print their versions.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import (ConfusionMatrixDisplay, PrecisionRecallDisplay, RocCurveDisplay,
                             balanced_accuracy_score, confusion_matrix,
                             precision_recall_fscore_support, roc_auc_score)
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from threadpoolctl import threadpool_limits

import utils
from utils import (
    choose_scoring, class_counts, compared_f1, evaluate_methods, PAPER_TABLE1,
    plot_metric_comparison, save_figure, TABLE1_COLUMNS, zoom_inset,
)
from utils.pipeline import augmented_training_sets

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}")

# %% [markdown]
# Run scikit-learn's compiled loops (OpenMP) on one thread: on a few hundred rows that is as
# fast as two and gives the same results, and on a busy machine (a shared Colab host, or a
# test run) two threads can spend most of their time waiting for each other.

# %%
threadpool_limits(limits=1, user_api="openmp")

# %% [markdown]
# ## Parameters
#
# The data and GAN settings of notebooks 01-03 (the GAN's rows are read from `output_dir` when
# notebook 03 saved them with the same settings, and made again otherwise), and the grid of
# the paper: five learning rates and three minimum leaf sizes, chosen by F1 on the validation
# rows (`scoring = None`: the F1 of the class of interest for two classes, as the paper; the
# macro F1, the mean over classes, for more). `scoring` takes any scikit-learn scorer name,
# such as `"roc_auc"` or `"average_precision"` (two classes) or `"f1_macro"`.

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
grid_learning_rate = [0.001, 0.01, 0.1, 1, 10]  # HistGradientBoosting learning rates tried
grid_min_samples_leaf = [1, 20, 100]  # minimum rows per leaf tried
scoring = None  # how the validation rows rank the settings; None: F1 (two classes) or macro F1
n_jobs = -1  # processes fitting the grid's settings side by side; -1: one per core

# %%
params = utils.check_parameters("04_classification", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Steps 1 and 2 in two calls: preprocess, then build the four training sets. Only the
# training rows are augmented; the validation and test rows are used as they are.

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label,
                          id_columns=id_columns)
names = data.class_names
binary = data.n_classes == 2
scoring = choose_scoring(scoring, data.n_classes)  # None becomes "f1" or "f1_macro"
key_f1 = compared_f1(names)  # the F1 the methods are compared by: f1_<class 1>, or f1_macro
print(f"{data.n_classes} classes; settings are chosen by {scoring!r}.")
training_sets = augmented_training_sets(data, params, output_dir, verbose=True)

# %% [markdown]
# The training rows of each method, per class:

# %% tags=["nbval-check-output"]
pd.DataFrame({method: class_counts(rows.y, names) for method, rows in training_sets.items()})

# %% [markdown]
# ## Step 3 · Tune on the validation rows, test on the test rows
#
# For each training set, a grid search fits a `HistGradientBoostingClassifier` for every
# setting in the grid on the (augmented) training rows and scores it on the validation rows:
# a *predefined split* instead of cross-validation. Then, as in the paper's code, the best
# setting is refit on the training and validation rows together, and tested once on the test
# rows.
#
# > **Good practice:** with imbalanced data, choose settings by F1 or ROC AUC, not accuracy: a
# > useless model that calls every mass benign is right as often as benign masses occur.
#
# How often is that, in these data?

# %%
all_y = np.concatenate([data.y_train, data.y_val, data.y_test])
largest = int(np.argmax(np.bincount(all_y)))
print(f"{np.mean(all_y == largest):.0%} of the {len(all_y)} rows are {names[largest]}: a model "
      f"that always answers '{names[largest]}' has that accuracy, and finds no row of any other "
      "class.")

# %% [markdown]
# ### The grid search, written out for one method
#
# Take one training set; change `chosen_method` to try another.

# %%
chosen_method = "SMOTE"
X_train, y_train = training_sets[chosen_method].X, training_sets[chosen_method].y

# %% [markdown]
# `GridSearchCV` takes one table of rows, so stack the training rows on top of the validation
# rows, and give each row a fold number: -1 means "always in training", 0 means "in the
# validation fold".

# %%
X_both = np.vstack([X_train, data.X_val])
y_both = np.concatenate([y_train, data.y_val])
fold = np.concatenate([np.full(len(y_train), -1), np.zeros(len(data.y_val), dtype=int)])
split = PredefinedSplit(fold)
print(f"{split.get_n_splits()} split: {np.sum(fold == -1)} training rows, "
      f"{np.sum(fold == 0)} validation rows")

# %% [markdown]
# The grid of the Parameters cell: every combination is tried.

# %%
param_grid = {"learning_rate": grid_learning_rate, "min_samples_leaf": grid_min_samples_leaf}
model = HistGradientBoostingClassifier(random_state=seed)

# %% [markdown]
# The search: `scoring` decides which setting wins on the validation rows, and `refit=True`
# (the paper's choice, and the default) refits the winner on *all* the rows it was given,
# training and validation together. `n_jobs` fits the settings in that many processes at
# once (one per core with -1): the same fits, the same result, sooner.

# %%
search = GridSearchCV(model, param_grid, scoring=scoring, cv=split, refit=True, n_jobs=n_jobs)
search.fit(X_both, y_both)
print(f"{chosen_method}: tuned by {search.scoring!r}; best setting {search.best_params_}, "
      f"validation {search.scoring} {search.best_score_:.3f}")

# %% [markdown]
# Every setting's validation score, as a table (rows: learning rate; columns: minimum rows
# per leaf):

# %%
grid_scores = pd.DataFrame(search.cv_results_["params"]).assign(
    score=search.cv_results_["mean_test_score"])
grid_scores.pivot(index="learning_rate", columns="min_samples_leaf", values="score").round(3)

# %% [markdown]
# `utils.tune_classifier` does the same in one call, and the rest of this notebook uses it.
# Run it on the same rows: it picks the same setting and makes the same test predictions.

# %%
library = utils.tune_classifier(X_train, y_train, data.X_val, data.y_val, param_grid, scoring,
                                seed, n_jobs=n_jobs)
assert library.best_params_ == search.best_params_
assert np.array_equal(library.predict(data.X_test), search.predict(data.X_test))
assert np.allclose(library.predict_proba(data.X_test), search.predict_proba(data.X_test))
print(f"Same setting {library.best_params_} and the same {len(data.y_test)} test predictions.")

# %% [markdown]
# > **Good practice:** if computing time allows, tune more hyperparameters over more values.
#
# ### The test metrics, written out
#
# Per class: **precision** (of the rows predicted in a class, the share that are in it),
# **recall** (of the rows in a class, the share found; for malignant, the sensitivity) and
# **F1** (their harmonic mean). The search predicts a class for each test row:

# %%
predicted = search.predict(data.X_test)
precision, recall, f1, support = precision_recall_fscore_support(
    data.y_test, predicted, labels=list(names), zero_division=0)
pd.DataFrame({"precision": precision, "recall": recall, "f1": f1, "test rows": support},
             index=list(names.values())).round(3)

# %% [markdown]
# > **Where we differ from the paper:** its "AUC" was computed from hard 0/1 predictions. A ROC
# > curve of hard labels has one corner, and its area equals the **balanced accuracy** (the
# > mean of the two recalls). We report it under that name, and report the real **ROC AUC**
# > (the area under the receiver operating characteristic curve), from the classifier's
# > predicted probabilities, beside it. With more than two classes, the ROC AUC is the mean
# > of one AUC per class, that class against all others (*one-vs-rest*), and the balanced
# > accuracy the mean of all the recalls.

# %%
balanced = balanced_accuracy_score(data.y_test, predicted)
probabilities = search.predict_proba(data.X_test)  # one column per class
if binary:
    roc_auc = roc_auc_score(data.y_test, probabilities[:, 1])  # of the class of interest
    hard_auc = roc_auc_score(data.y_test, predicted)
    print(f"balanced accuracy {balanced:.3f} = mean recall {recall.mean():.3f} = "
          f"'AUC' of hard labels {hard_auc:.3f}; ROC AUC from probabilities {roc_auc:.3f}")
else:
    roc_auc = roc_auc_score(data.y_test, probabilities, multi_class="ovr", average="macro")
    print(f"balanced accuracy {balanced:.3f} = mean recall {recall.mean():.3f}; "
          f"one-vs-rest ROC AUC from probabilities {roc_auc:.3f}")

# %% [markdown]
# `utils.test_metrics` computes the same numbers, named as Table 1's columns:

# %%
by_hand = {f"{metric}_{names[label]}": values[label]
           for metric, values in (("precision", precision), ("recall", recall), ("f1", f1))
           for label in names} | {"balanced_accuracy": balanced}
if not binary:
    by_hand["f1_macro"] = f1.mean()  # every class counts the same
by_hand["roc_auc"] = roc_auc
from_library = utils.test_metrics(search, data.X_test, data.y_test, names)
assert from_library == {key: float(value) for key, value in by_hand.items()}
print(f"{len(from_library)} metrics, identical: {', '.join(from_library)}")

# %% [markdown]
# ### All four methods
#
# Tune and test the four methods with `utils.evaluate_methods` (this takes a few seconds per
# method), each by the scorer of the Parameters cell.

# %%
training_arrays = {method: (rows.X, rows.y) for method, rows in training_sets.items()}
table, searches = evaluate_methods(training_arrays, data.X_val, data.y_val, data.X_test,
                                   data.y_test, names, param_grid, seed, scoring=scoring,
                                   n_jobs=n_jobs)
table = table[["method"] + [c for c in table.columns if c != "method"]]
table.to_csv(Path(output_dir) / "table1.csv", index=False)
assert all(fitted.scoring == scoring for fitted in searches.values())
print(f"Every method was tuned by the scorer {scoring!r} on the validation rows.")

# %% [markdown]
# The setting each method chose on the validation rows, and its validation score:

# %%
pd.DataFrame.from_dict(
    {method: fitted.best_params_ | {f"validation {fitted.scoring}": round(fitted.best_score_, 3)}
     for method, fitted in searches.items()},
    orient="index",
)

# %% [markdown]
# ## Our Table 1
#
# Saved as `table1.csv` in the output folder.

# %% tags=["nbval-check-output"]
table.round(3)

# %% [markdown]
# The balanced accuracy is the paper's "AUC": the cell recomputes it as the paper did, with
# `roc_auc_score` on hard predictions, and checks that the two agree for every method.

# %%
if binary:
    for method, fitted in searches.items():
        hard_auc = roc_auc_score(data.y_test, fitted.predict(data.X_test))
        assert np.isclose(hard_auc,
                          balanced_accuracy_score(data.y_test, fitted.predict(data.X_test)))
    print("The paper's hard-label 'AUC' equals balanced accuracy for every method.")
else:
    print("A hard-label 'AUC' is defined for two classes only; balanced accuracy is the mean "
          "recall over all classes.")

# %% [markdown]
# ## Beside the paper's Table 1
#
# The paper's numbers are typed from the paper (its "AUC" column sits under
# `balanced_accuracy`); ours are measured above. The comparison is meaningful for WDBC only
# (the bundled copy or the Kaggle file), so other data show our table alone.

# %%
is_wdbc = (set(names.values()) == {"benign", "malignant"} and len(data.feature_names) == 30)
comparison = pd.concat([table.assign(source="ours"), PAPER_TABLE1.assign(source="paper")])
comparison["method"] = pd.Categorical(comparison["method"], categories=list(table["method"]))
comparison = comparison.set_index(["method", "source"]).sort_index()
comparison[TABLE1_COLUMNS[1:]].round(3) if is_wdbc else table.round(3)

# %% [markdown]
# The malignant recall and F1 side by side, as a figure (saved to `figures/table1_vs_paper.png`).

# %%
if is_wdbc:
    ax = plot_metric_comparison(table, PAPER_TABLE1, [f"recall_{names[1]}", f"f1_{names[1]}"])
    ax.set_title("Test-split scores: ours (solid) and the paper's (hatched)")
    save_figure(ax.figure, output_dir, "table1_vs_paper")
    plt.show()

# %% [markdown]
# ## See the errors: confusion matrices
#
# A confusion matrix counts the test rows by true class (rows) and predicted class (columns):
# the diagonal holds the right answers, every other cell a kind of mistake. With WDBC, below
# the diagonal sit the malignant masses called benign (missed patients, false negatives);
# above it the benign masses called malignant (false alarms, false positives). One panel per
# method (saved to `figures/confusion_matrices.png`):

# %%
fig, axes = plt.subplots(1, len(searches), figsize=(3.2 * len(searches), 3.6), sharey=True,
                         layout="constrained")
for ax, (method, fitted) in zip(axes, searches.items()):
    ConfusionMatrixDisplay.from_estimator(fitted, data.X_test, data.y_test,
                                          display_labels=list(names.values()), ax=ax,
                                          colorbar=False, cmap="Blues")
    ax.set(title=method, xlabel="predicted class", ylabel="true class" if ax is axes[0] else "")
fig.suptitle("Test rows by true and predicted class (the most probable class)")
save_figure(fig, output_dir, "confusion_matrices")
plt.show()

# %% [markdown]
# What to read from them: how many patients of the class of interest each method misses and
# how many false alarms it raises (the rates are kept for the curves below). With two classes
# the class of interest is the one coded 1 (malignant); with more, take the smallest class
# against all the others together (*one-vs-rest*); set `focus` to look at another.

# %%
focus = data.class_of_interest  # 1 for two classes; the smallest class for more
focus_name, others = names[focus], (names[0] if binary else f"not {names[focus]}")
is_focus = data.y_test == focus
operating_points = {}
for method, fitted in searches.items():
    (tn, fp), (fn, tp) = confusion_matrix(is_focus, fitted.predict(data.X_test) == focus,
                                          labels=[False, True])
    print(f"{method:8s} finds {tp} of {tp + fn} {focus_name} rows (misses {fn}) and raises "
          f"{fp} false alarm(s) among {tn + fp} {others} rows")
    operating_points[method] = {"false positive rate": fp / (fp + tn), "recall": tp / (tp + fn),
                                "precision": tp / max(tp + fp, 1)}
operating_points = pd.DataFrame(operating_points).T  # for the curves below

# %% [markdown]
# ## See the trade-off: ROC and precision-recall curves
#
# A confusion matrix is one threshold: with two classes, a row is called malignant when its
# predicted probability is above 0.5. Sweep the threshold from 1 down to 0 and you get a curve.
# The ROC curve plots the share of malignant masses found (recall, or true positive rate)
# against the share of benign masses falsely flagged (false positive rate); the
# precision-recall (PR)
# curve plots precision against recall, and suits a rare positive class better because it
# ignores the many true negatives. The dot on each curve is the 0.5 threshold of the matrices
# above, and each panel magnifies the corner where the dots lie (saved to
# `figures/roc_pr_curves.png`).

# %%
fig, (roc_ax, pr_ax) = plt.subplots(1, 2, figsize=(12, 5))
areas = {}
for i, (method, fitted) in enumerate(searches.items()):
    score = fitted.predict_proba(data.X_test)[:, focus]  # probability of the class of interest
    roc = RocCurveDisplay.from_predictions(is_focus, score, name=method, ax=roc_ax)
    pr = PrecisionRecallDisplay.from_predictions(is_focus, score, name=method, ax=pr_ax)
    areas[method] = {"ROC AUC": roc.roc_auc, "average precision": pr.average_precision}
    fpr, recall_at_half, precision_at_half = operating_points.loc[method]
    size = max(11 - 2 * i, 4)  # shrinking dots, so that dots on the same spot stay visible
    roc_ax.plot(fpr, recall_at_half, "o", markersize=size, color=roc.line_.get_color())
    pr_ax.plot(recall_at_half, precision_at_half, "o", markersize=size, color=pr.line_.get_color())
for ax in (roc_ax, pr_ax):
    ax.plot([], [], "o", color="grey", label="threshold 0.5")
roc_ax.plot([0, 1], [0, 1], "k--", linewidth=1, label="chance (AUC = 0.5)")
pr_ax.axhline(is_focus.mean(), color="k", linestyle="--", linewidth=1,
              label=f"chance (precision = share {focus_name})")
roc_ax.set(xlabel=f"false positive rate ({others} flagged)",
           ylabel=f"true positive rate ({focus_name} recall)", title="ROC curves on the test rows")
pr_ax.set(xlabel=f"recall ({focus_name})", ylabel=f"precision ({focus_name})",
          title="Precision-recall curves on the test rows")
roc_ax.legend(loc="lower right", fontsize="small")
pr_ax.legend(loc="lower left", fontsize="small")
low = operating_points.min() - [0, 0.1, 0.15]  # zoom on the corner of the 0.5 thresholds
zoom_inset(roc_ax, (-0.005, max(0.1, 3 * operating_points["false positive rate"].max())),
           (max(0, low["recall"]), 1.005), bounds=(0.35, 0.45, 0.55, 0.4))
zoom_inset(pr_ax, (max(0, low["recall"]), 1.005), (max(0, low["precision"]), 1.005),
           bounds=(0.3, 0.47, 0.55, 0.4))
save_figure(fig, output_dir, "roc_pr_curves")
plt.show()

# %% [markdown]
# What to read from them: the area under each curve (ROC AUC, and average precision for the
# PR curve; 1 is perfect for both), and how far apart the methods' curves are. (With more
# classes these are the curves of `focus` against the rest; Table 1's `roc_auc` is the mean
# over all classes.)

# %%
areas = pd.DataFrame.from_dict(areas, orient="index")
print(areas.round(3).to_string())
print(f"From the worst method to the best, the ROC AUC spans {np.ptp(areas['ROC AUC']):.3f} "
      f"and the average precision {np.ptp(areas['average precision']):.3f}.")

# %% [markdown]
# ## What one test split can show
#
# Translate the scores into patients. The test split has only so many malignant rows, so each
# missed patient moves malignant recall by a visible step:

# %%
n_positive = int(is_focus.sum())
missed = ((1 - table.set_index("method")[f"recall_{focus_name}"]) * n_positive).round().astype(int)
print(f"The test split has {len(data.y_test)} rows, {n_positive} of them {focus_name}: one "
      f"patient moves {focus_name} recall by {1 / n_positive:.3f}.")
for method, count in missed.items():
    print(f"  {method:8s} misses {count} of {n_positive} {focus_name} patients")
print(f"The best and the worst method differ by {missed.max() - missed.min()} patient(s).")
if is_wdbc:
    paper_missed = ((1 - PAPER_TABLE1.set_index("method")["recall_malignant"]) * n_positive)
    paper_missed = paper_missed.round().astype(int)
    print(f"In the paper's Table 1 the GAN misses {paper_missed['GAN']} and Baseline "
          f"{paper_missed['Baseline']}: its whole GAN advantage is "
          f"{paper_missed['Baseline'] - paper_missed['GAN']} patient(s).")

# %% [markdown]
# A difference of a few patients on one test split is within what a different random split
# would change: the rows that happen to land in the test split decide it. To rank augmentation
# methods you need many splits and intervals around the differences, not one table;
# notebook 06 does exactly that. Where the ROC AUCs are all close to 1, every method *ranks*
# malignant above benign masses about equally well, and the methods differ mainly in where
# the 0.5 threshold falls on their curves.
#
# > **Good practice:** balancing the classes shifts a model's predicted probabilities toward
# > the minority class. If you report probabilities (a risk score, say), check their
# > calibration on untouched data.

# %% [markdown]
# ## Summary
#
# - A grid search on a predefined validation split is `PredefinedSplit` (-1 for training
#   rows, 0 for validation rows) plus `GridSearchCV` with the scorer you choose and, as in the
#   paper, `refit=True` on training and validation rows; `utils.tune_classifier` is exactly
#   that.
# - HistGradientBoosting was tuned by the scorer of the Parameters cell and tested once, for
#   Baseline, RO, SMOTE and the GAN; the table is saved as `table1.csv`.
# - The paper's "AUC" is balanced accuracy; the ROC AUC from probabilities is reported beside
#   it.
# - The confusion matrices count missed patients and false alarms at the 0.5 threshold; the
#   ROC and PR curves show every other threshold.
# - On one test split the methods differ by a handful of patients, which one split cannot
#   rank (notebook 06 ranks them on many). Next, notebook 05 looks at the augmented rows
#   themselves.

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change something, to predict what will happen, and then to check.
#
# 1. **Tune by another scorer.** Set `scoring = "roc_auc"` (or `"average_precision"`) in the
#    Parameters cell and run all cells again. Before you do: will each method choose the same
#    setting as with F1? Will the test-split malignant recall change? Check with the table of
#    chosen settings and Table 1 (the printed scorer tells you which one the tuning used).
# 2. **Another random split.** Change `seed` (to 43, say) and run again. Predict: does the
#    ranking of the four methods by malignant F1 stay the same? Check by comparing Table 1 of
#    both seeds.
# 3. **Move the decision threshold.** A model calls a mass malignant when its predicted
#    probability is above 0.5. Lower that threshold to 0.1, say. Predict: what happens to
#    the missed patients and to the false alarms of each method? Check on the test rows with
#    `predict_proba`.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# Tune every method again by the other scorer (here ROC AUC, or F1 if the Parameters cell
# already uses ROC AUC), in new variables, and compare the chosen settings. Threshold-free
# scorers such as ROC AUC often rate several settings almost equally (close to 1), so they can
# pick a different setting, and with it different test predictions; the code says whether
# they did this time. The notebook's own `table1.csv` is not overwritten.

# %% tags=["solution"] jupyter={"source_hidden": true}
other_scoring = ({"roc_auc": "f1"} if binary else {"roc_auc_ovr": "f1_macro"}).get(
    scoring, "roc_auc" if binary else "roc_auc_ovr")
other_table, other_searches = evaluate_methods(training_arrays, data.X_val, data.y_val,
                                               data.X_test, data.y_test, names, param_grid,
                                               seed, scoring=other_scoring, n_jobs=n_jobs)
def setting(fitted):
    return ", ".join(f"{key}={value}" for key, value in fitted.best_params_.items())


settings = pd.DataFrame({
    f"chosen by {scoring}": {m: setting(fitted) for m, fitted in searches.items()},
    f"chosen by {other_scoring}": {m: setting(fitted) for m, fitted in other_searches.items()},
})
settings["same setting"] = settings.iloc[:, 0] == settings.iloc[:, 1]
settings

# %% [markdown]
# Compare the test-split malignant recall of both tunings:

# %% tags=["solution"] jupyter={"source_hidden": true}
recalls = pd.DataFrame({
    scoring: table.set_index("method")[f"recall_{focus_name}"],
    other_scoring: other_table.set_index("method")[f"recall_{focus_name}"],
})
changed = [m for m in recalls.index if not np.isclose(*recalls.loc[m])]
print(recalls.round(3).to_string())
print(f"{int(settings['same setting'].sum())} of {len(settings)} methods kept their setting; "
      f"the {focus_name} recall changed for {changed or 'none'}.")

# %% [markdown]
# ### Exercise 2
#
# A new seed draws a new split, new RO and SMOTE rows, and a new GAN, so every number moves.
# Here the whole pipeline runs again for `seed + 1` (the GAN is trained again, which takes a
# few seconds; nothing is saved) and the two rankings are printed side by side. Whether the
# order holds can turn on a patient or two, which is why notebook 06 repeats the split many
# times; the code says what happened here.

# %% tags=["solution"] jupyter={"source_hidden": true}
seed_b = seed + 1
data_b = utils.prepare_data(data_path, target, seed_b, train_size, validation_share,
                            positive_label, verbose=False, id_columns=id_columns)
sets_b = augmented_training_sets(data_b, params | {"seed": seed_b})  # not saved anywhere
table_b, _ = evaluate_methods({m: (r.X, r.y) for m, r in sets_b.items()}, data_b.X_val,
                              data_b.y_val, data_b.X_test, data_b.y_test, names, param_grid,
                              seed_b, scoring=scoring, n_jobs=n_jobs)

# %% [markdown]
# Rank the methods by malignant F1 under both seeds (1 = best; ties share a rank):

# %% tags=["solution"] jupyter={"source_hidden": true}
f1_column = key_f1
ranks = pd.DataFrame({
    f"seed {seed}": table.set_index("method")[f1_column].rank(ascending=False, method="min"),
    f"seed {seed_b}": table_b.set_index("method")[f1_column].rank(ascending=False, method="min"),
}).astype(int)
print(ranks.to_string())
print("The ranking", "stayed the same." if ranks.iloc[:, 0].equals(ranks.iloc[:, 1])
      else "changed with the split.")

# %% [markdown]
# ### Exercise 3
#
# A lower threshold calls more masses malignant: the missed patients can only go down (or
# stay), the false alarms can only go up (or stay). How many of each, the code counts.

# %% tags=["solution"] jupyter={"source_hidden": true}
threshold = 0.1
counts = {}
for method, fitted in searches.items():
    scores = fitted.predict_proba(data.X_test)[:, focus]
    for cut in (0.5, threshold):
        (tn, fp), (fn, tp) = confusion_matrix(is_focus, scores > cut, labels=[False, True])
        counts[(method, cut)] = {"missed patients": fn, "false alarms": fp}
threshold_table = pd.DataFrame.from_dict(counts, orient="index").rename_axis(
    ["method", "threshold"])
threshold_table

# %% [markdown]
# Check the direction for every method, and add up the four methods:

# %% tags=["solution"] jupyter={"source_hidden": true}
at_half = threshold_table.xs(0.5, level="threshold")
at_low = threshold_table.xs(threshold, level="threshold")
assert (at_low["missed patients"] <= at_half["missed patients"]).all()
assert (at_low["false alarms"] >= at_half["false alarms"]).all()
print(f"From threshold 0.5 to {threshold}, the four methods together miss "
      f"{at_half['missed patients'].sum()} -> {at_low['missed patients'].sum()} patients and "
      f"raise {at_half['false alarms'].sum()} -> {at_low['false alarms'].sum()} false alarms.")
