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
# # 02 · Random oversampling and SMOTE
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/02_random_oversampling_and_smote.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# The paper's **Steps 2a-2b**: count the rows of each class, find the minority class, and
# balance the training rows with the two classic over-samplers of imbalanced-learn, Random
# Oversampling (RO) and the Synthetic Minority Over-sampling Technique (SMOTE). You write
# SMOTE's recipe yourself, in a few lines, and check that it makes exactly imbalanced-learn's
# rows; then you see where each method puts its new rows. Notebook 03 does the same with a GAN.
# WDBC has two classes; on a table with more, every class smaller than the largest is
# augmented, and the cells look closely at the smallest.
#
# **What you will learn**
#
# - how to count classes, identify the minority class, and read how many rows
#   imbalanced-learn will add to each class;
# - what RO adds (copies of real rows) and how SMOTE makes new rows between a row and one of
#   its nearest neighbours, written by hand and checked against imbalanced-learn;
# - how to look at new rows beside the real ones in a 2-D view, and measure how close they are
#   to real patients;
# - why only the training rows are ever augmented, and how an imbalanced-learn `Pipeline`
#   keeps it so inside cross-validation.
#
# **Before you start**
#
# Do notebook 01 first: this notebook starts from the scaled training rows it builds (here in
# one call, `utils.prepare_data`). You need NumPy arrays and indexing (`X[rows]`, boolean
# masks); the nearest-neighbour idea is explained as you go.
#
# **Time**
#
# About 25 minutes to read and try. The first run on Colab adds a minute to install
# `utils`.
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 3 s (5 units) with the
# default parameters. One unit is the paper's grid search once (README, Time).
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

import imblearn
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

import utils
from utils import (
    class_counts, distance_to_closest, fit_2d_view, minority_class, plot_rows_2d, rows_to_add,
    save_figure, smote_rows,
)

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}, "
      f"imbalanced-learn {imblearn.__version__}")

# %% [markdown]
# Run scikit-learn's compiled loops (OpenMP, used by gradient boosting at the end) on one
# thread: on a few hundred rows that gives the same results, and on a busy machine (a shared
# Colab host, or a test run) two threads can spend most of their time waiting for each other.

# %%
threadpool_limits(limits=1, user_api="openmp")

# %% [markdown]
# ## Parameters
#
# The same data settings as notebook 01; the cell after checks them.

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the classes
positive_label = None  # the class of interest of two (coded 1); None takes the minority class
id_columns = ["id"]  # identifier columns to drop ([] for none)
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test

# %%
params = utils.check_parameters("02_random_oversampling_and_smote", globals())
np.random.seed(seed)
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Step 1, preprocessing, in one call (notebook 01 walks through it).

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label,
                          id_columns=id_columns)
X_train, y_train = data.X_train, data.y_train
names = data.class_names
print("Training rows:", X_train.shape)

# %% [markdown]
# ## Step 2a · Count the classes and find the minority class

# %% tags=["nbval-check-output"]
before = class_counts(y_train, names)
minority = minority_class(y_train)
print(f"Minority class: {names[minority]} (coded {minority}); "
      f"{before.max() - before.min()} rows short of balance")
before

# %% [markdown]
# How many rows will the samplers add? With their default `sampling_strategy="auto"`,
# imbalanced-learn's over-samplers give **every class smaller than the largest** as many new
# rows as it lacks to match the largest: with two classes (WDBC) only the minority class, with
# more classes every class but the largest. `rows_to_add` asks imbalanced-learn
# (`imblearn.utils.check_sampling_strategy`):

# %%
pd.DataFrame({"rows": before, "rows to add": rows_to_add(y_train, names)})

# %% [markdown]
# > **Good practice:** augment the **training rows only**. The validation and test rows must
# > look like the patients the model will meet, imbalance included; augmenting them would
# > measure the model on rows that were partly made up.
#
# Keep the real minority training rows apart: every new row of that class imitates them.
# From here on the cells look at the new rows of the minority class (the other classes' new
# rows are made the same way, each class from its own rows).

# %%
X_minority = X_train[y_train == minority]
print(f"Real {names[minority]} training rows: {X_minority.shape}")

# %% [markdown]
# ## Step 2b · Random oversampling (RO)
#
# RO draws minority rows at random, with replacement, and appends the copies until the classes
# are balanced. imbalanced-learn's samplers all have the same method, `fit_resample`, and
# return the original rows first, the new rows after them, class by class. Keep the new rows
# of the minority class.

# %%
ro = RandomOverSampler(random_state=seed)
X_ro, y_ro = ro.fit_resample(X_train, y_train)
np.testing.assert_array_equal(X_ro[:len(y_train)], X_train)  # originals first, unchanged
ro_new = X_ro[len(y_train):][y_ro[len(y_train):] == minority]  # the new minority rows
print(f"RO added {len(y_ro) - len(y_train)} rows, {len(ro_new)} of them {names[minority]}")

# %% [markdown]
# Check that the new rows are copies: measure each one's distance to the closest real minority
# training row with `tabaug.fidelity.distances.distance_to_closest` (the one definition of that
# distance every notebook uses). A copy is at distance 0.

# %%
ro_distance = distance_to_closest(X_minority, ro_new)
print(f"RO rows at distance 0 from a real {names[minority]} row (copies): "
      f"{np.mean(ro_distance == 0):.0%}")

# %% [markdown]
# ## Step 2b · SMOTE
#
# SMOTE makes each new row on the straight line between a minority row and one of its *k*
# nearest minority neighbours (`k_neighbors`, 5 by default): new values, but always between two
# real patients. First let imbalanced-learn do it, and keep the new minority rows. A class needs
# more rows than neighbours: with 5 rows or fewer, `k` must be lower (the cell sees to it).

# %%
smote = SMOTE(random_state=seed, k_neighbors=min(5, len(X_minority) - 1))
X_smote, y_smote = smote.fit_resample(X_train, y_train)
smote_new = X_smote[len(y_train):][y_smote[len(y_train):] == minority]  # the new minority rows
print(f"SMOTE added {len(y_smote) - len(y_train)} rows, {len(smote_new)} of them "
      f"{names[minority]}, with k_neighbors = {smote.k_neighbors}")

# %% [markdown]
# ### SMOTE by hand
#
# Now write the recipe yourself, in four steps, and make exactly the same rows. Step 1: find
# each minority row's *k* nearest minority rows. Asked about the rows it was fitted on,
# `NearestNeighbors` returns each row itself first (at distance 0), so ask for *k* + 1 and drop
# the first column.

# %%
k = smote.k_neighbors
neighbours = (NearestNeighbors(n_neighbors=k + 1).fit(X_minority)
              .kneighbors(X_minority, return_distance=False)[:, 1:])
print(f"neighbours: {neighbours.shape} (row, rank); the {k} nearest of row 0: {neighbours[0]}")

# %% [markdown]
# Step 2: for each new row, pick a minority row and one of its *k* neighbours at random.
# imbalanced-learn picks both with one random integer below (rows × *k*): the integer divided
# by *k* is the row, the remainder is which of its neighbours. Every pair is equally likely.
# Use scikit-learn's `check_random_state(seed)`, the generator imbalanced-learn makes from a
# seed, so the draws are the same. imbalanced-learn makes a fresh one for each class it
# augments, so the minority's rows come out as if it were the only class. (This is how
# imbalanced-learn 0.14, the version on Colab too, draws them; should a later version change
# the order, the check below will say so.)

# %%
n_new = len(smote_new)
rng = check_random_state(seed)
picks = rng.randint(0, len(X_minority) * k, size=n_new)
base, rank = np.divmod(picks, k)  # which row, which of its k neighbours
print("first rows picked:", base[:5], " their neighbours' ranks:", rank[:5])

# %% [markdown]
# Step 3: draw a random gap in [0, 1) for each new row, from the same generator.

# %%
gaps = rng.uniform(size=n_new)
print("first gaps:", gaps[:5].round(3))

# %% [markdown]
# Step 4: go that gap of the way from the row to its neighbour:
# **new = row + gap × (neighbour − row)**.

# %%
row = X_minority[base]
neighbour = X_minority[neighbours[base, rank]]
by_hand = row + gaps[:, np.newaxis] * (neighbour - row)
print(f"{by_hand.shape[0]} new rows of {by_hand.shape[1]} features")

# %% [markdown]
# Check: the rows made by hand are exactly imbalanced-learn's, and
# `tabaug.sampling.classic.smote_rows` (the same four steps, for reuse) agrees too.

# %%
np.testing.assert_array_equal(by_hand, smote_new)
np.testing.assert_array_equal(smote_rows(X_minority, n_new, k, seed), smote_new)
print("Identical to SMOTE(random_state=seed): every value of every new row.")

# %% [markdown]
# ## Where do the new rows go? A 2-D view
#
# The rows have many features, so a picture needs a 2-D view: `tabaug.report.figures.fit_2d_view`
# finds the two directions along which the real minority rows vary most (a principal component
# analysis, PCA), and `plot_rows_2d` draws real and new rows on those two axes. In SMOTE's
# panel, thin lines join, for a few new rows, the real row and the neighbour it was made from.

# %%
view = fit_2d_view(X_minority, seed)
fig, axes = plt.subplots(1, 2, figsize=(13, 5.5), sharex=True, sharey=True)
real_label = f"real {names[minority]} training rows"
plot_rows_2d(view, X_minority, {"RO copies": ro_new}, ax=axes[0], real_label=real_label,
             title="RO: copies of real rows")
plot_rows_2d(view, X_minority, {"SMOTE rows": smote_new}, ax=axes[1], real_label=real_label,
             title="SMOTE: between a row and a neighbour")
n_lines = 15
for i, (start, end) in enumerate(zip(view.transform(row[:n_lines]),
                                     view.transform(neighbour[:n_lines]))):
    axes[1].plot(*zip(start, end), color="black", linewidth=0.6, alpha=0.5,
                 label=f"row to neighbour ({n_lines} new rows)" if i == 0 else None)
axes[1].legend(fontsize="small", loc="upper left")
save_figure(fig, output_dir, "new_rows_2d")
plt.show()

# %% [markdown]
# In RO's panel every new marker sits on a real row's dot: copies. In SMOTE's, each new row lies on
# the segment from a real row to one of its neighbours (the lines show a few), inside the cloud the
# real rows already cover, never beyond it. Read the picture with care: it is a *projection*. PCA is
# a linear map, so a row between two rows is drawn between their dots, as the lines show; but two
# dots that look close may be far apart in the full feature space, and the two axes show only part
# of the rows' variance (see the axis labels). Distances in all features, next, settle how close the
# new rows are.

# %% [markdown]
# ## How close to a real patient?
#
# Measure, for each kind of row, its distance to the closest real minority training row. To
# judge the numbers, compare them with real patients the samplers never saw: the minority rows
# of the *validation* split.

# %%
held_out = data.X_val[data.y_val == minority]
distances = {f"real held-out {names[minority]} (validation)":
                 distance_to_closest(X_minority, held_out),
             "RO": ro_distance, "SMOTE": distance_to_closest(X_minority, smote_new)}
pd.DataFrame({"rows": {name: len(d) for name, d in distances.items()},
              "median distance": {name: np.median(d) for name, d in distances.items()},
              "share at distance 0": {name: np.mean(d == 0) for name, d in distances.items()}
              }).round(3)

# %% [markdown]
# How many times closer to a real training patient SMOTE's rows sit than real unseen patients:

# %%
real_median = np.median(distances[f"real held-out {names[minority]} (validation)"])
smote_median = np.median(distances["SMOTE"])
print(f"median distance: real held-out {real_median:.3f}, SMOTE {smote_median:.3f}: "
      f"SMOTE's rows are {real_median / smote_median:.1f} times closer")

# %% [markdown]
# When SMOTE's rows sit several times closer to a real patient than real patients sit to
# each other, they are near-copies. For medical data that is worth knowing (a near-copy of a
# patient can reveal that patient), and it is why SMOTE can amplify noisy or mislabelled
# minority rows.

# %% [markdown]
# ## Class counts after augmentation
#
# Both samplers bring every class to the count of the largest: the classes are balanced
# exactly. The table is saved as `class_counts.csv` in the output folder.

# %% tags=["nbval-check-output"]
after = pd.DataFrame({"original": before, "RO": class_counts(y_ro, names),
                      "SMOTE": class_counts(y_smote, names)})
after.to_csv(Path(output_dir) / "class_counts.csv")
after

# %% [markdown]
# The same counts as a figure (saved to `figures/class_counts.png` in the output folder).

# %%
ax = after.T.plot.bar(rot=0, figsize=(7, 4))
ax.set_xlabel("training set")
ax.set_ylabel("rows")
ax.set_title("Training rows per class before and after augmentation")
ax.legend(title="class", loc="upper left", bbox_to_anchor=(1.01, 1))
save_figure(ax.figure, output_dir, "class_counts")
plt.show()

# %% [markdown]
# ## Augmenting inside cross-validation
#
# If you tune a model with cross-validation, resample inside each fold, after the split: an
# `imblearn.pipeline.Pipeline` does this for you, since it calls `fit_resample` during `fit`
# only, never when predicting. `utils.GANOversampler` (notebook 03) has the same interface, so
# a GAN can take SMOTE's place in such a pipeline.
#
# > **Good practice:** never resample before splitting. Copies of one patient on both sides of
# > a split make a model look better than it is.
#
# The score is F1 of the class of interest with two classes; with more, the *macro* F1, the
# mean of every class's F1, so that each class counts the same.

# %%
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
fold_minority = len(X_minority) * 4 // 5  # about the minority rows of each fold's training part
pipeline = make_pipeline(SMOTE(random_state=seed, k_neighbors=min(5, fold_minority - 1)),
                         HistGradientBoostingClassifier(random_state=seed))
scoring, score_name = ("f1", "F1") if data.n_classes == 2 else ("f1_macro", "Macro F1")
scores = cross_val_score(pipeline, X_train, y_train, scoring=scoring, cv=folds)
print(f"{score_name} of SMOTE + gradient boosting over 5 folds: {scores.mean():.3f} "
      f"(sd {scores.std():.3f})")

# %% [markdown]
# ## Summary
#
# What this run measured:

# %%
print(f"- Minority class of the training rows: {names[minority]}; RO and SMOTE each added "
      f"{len(ro_new)} rows of it, in the training rows only.")
print("- Rows each sampler added, per class: " + ", ".join(
    f"{name} {n}" for name, n in rows_to_add(y_train, names).items()) + ".")
print(f"- RO's new rows at distance 0 from a real row (copies): {np.mean(ro_distance == 0):.0%}.")
print(f"- SMOTE's new rows: {np.mean(distances['SMOTE'] == 0):.0%} copies, but a median distance "
      f"to the closest real row {real_median / smote_median:.1f} times smaller than real unseen "
      f"patients' ({smote_median:.3f} against {real_median:.3f}).")

# %% [markdown]
# - With `sampling_strategy="auto"` both samplers add rows to every class smaller than the
#   largest, each class from its own rows.
# - RO copies real rows; SMOTE puts each new row on the line from a real row to one of its
#   nearest neighbours, and four short cells made exactly imbalanced-learn's rows.
# - In a 2-D view, RO's rows sit on real rows and SMOTE's between them: inside the region the
#   real rows already cover.
# - Inside cross-validation, resample in each fold with an imbalanced-learn `Pipeline`.
#
# Then open `03_gan` to build the third augmentation method.

# %% [markdown]
# ## Exercises
#
# For each exercise, change something, write down what you predict, then run it and check.
#
# 1. Set SMOTE's `k_neighbors` to 1, then to 20. Predict, for each, whether the median distance
#    of its new rows to the closest real row goes up or down from the default's. Check with
#    `distance_to_closest`.
# 2. Replace `SMOTE` by `BorderlineSMOTE` or `ADASYN` (both in `imblearn.over_sampling`). Both
#    favour minority rows that have rows of another class nearby. Predict: are their new rows
#    closer to the other classes' training rows than SMOTE's? Check.
# 3. Predict how many of RO's new rows are copies of the *same* real row as another new row,
#    and how many of SMOTE's new rows repeat each other. Check with `np.unique(..., axis=0)`.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# With `k_neighbors=1` every new row lies between a row and its very nearest neighbour, so the
# new rows stay close to real rows; with 20 neighbours the partner can be farther away, and so
# can the point between them. The cell measures it (the largest *k* is capped below the
# number of minority rows).

# %% tags=["solution"] jupyter={"source_hidden": true}
k_tried = sorted({1, smote.k_neighbors, min(20, len(X_minority) - 1)})
median_by_k = {}
for k_value in k_tried:
    rows_k = smote_rows(X_minority, n_new, k_value, seed)
    median_by_k[k_value] = np.median(distance_to_closest(X_minority, rows_k))
pd.Series(median_by_k, name="median distance to the closest real row").rename_axis("k_neighbors")

# %% [markdown]
# Compare the smallest and the largest *k*:

# %% tags=["solution"] jupyter={"source_hidden": true}
smallest_k, largest_k = k_tried[0], k_tried[-1]
trend = "grows" if median_by_k[largest_k] > median_by_k[smallest_k] else "does not grow"
print(f"From k_neighbors={smallest_k} to {largest_k} the median distance {trend}: "
      f"{median_by_k[smallest_k]:.3f} to {median_by_k[largest_k]:.3f}; real held-out rows: "
      f"{real_median:.3f}.")

# %% [markdown]
# ### Exercise 2
#
# Borderline-SMOTE makes rows only from minority rows "in danger": at least half, but not all,
# of their nearest neighbours are of another class. ADASYN makes more rows from minority rows
# with more neighbours of other classes. Both push the new rows toward the border between the
# classes. The cell measures each sampler's median distance from its new minority rows to the
# closest training row of *another* class.

# %% tags=["solution"] jupyter={"source_hidden": true}
from imblearn.over_sampling import ADASYN, BorderlineSMOTE

X_other = X_train[y_train != minority]  # the rows of every other class
to_other = {}
for label, sampler in (("SMOTE", SMOTE(random_state=seed, k_neighbors=k)),
                       ("Borderline-SMOTE", BorderlineSMOTE(random_state=seed, k_neighbors=k)),
                       ("ADASYN", ADASYN(random_state=seed, n_neighbors=k))):
    X_resampled, y_resampled = sampler.fit_resample(X_train, y_train)
    new_minority = X_resampled[len(y_train):][y_resampled[len(y_train):] == minority]
    to_other[label] = np.median(distance_to_closest(X_other, new_minority))
other = names[1 - minority] if data.n_classes == 2 else "other-class"
pd.Series(to_other, name=f"median distance to the closest {other} row")

# %% [markdown]
# Which of the two put their rows closer to another class than SMOTE does:

# %% tags=["solution"] jupyter={"source_hidden": true}
closer = [label for label in ("Borderline-SMOTE", "ADASYN") if to_other[label] < to_other["SMOTE"]]
print("Closer to another class than SMOTE's rows:", ", ".join(closer) or "neither")

# %% [markdown]
# ### Exercise 3
#
# RO draws real rows *with replacement*, so some real rows are drawn more than once and their
# copies repeat each other. SMOTE's gaps are random real numbers, so two of its new rows
# coincide only if the same pair and the same gap are drawn: practically never.

# %% tags=["solution"] jupyter={"source_hidden": true}
for label, new in (("RO", ro_new), ("SMOTE", smote_new)):
    distinct = np.unique(new, axis=0)
    print(f"{label}: {len(new)} new rows, {len(distinct)} distinct, "
          f"{len(new) - len(distinct)} repeating another new row")

# %% [markdown]
# RO records which real rows it copied (`sample_indices_`, the originals first): count the real
# minority rows it drew more than once.

# %% tags=["solution"] jupyter={"source_hidden": true}
ro_picked = ro.sample_indices_[len(y_train):][y_ro[len(y_train):] == minority]
copied, times_copied = np.unique(ro_picked, return_counts=True)
print(f"RO copied {len(copied)} different real rows; {np.sum(times_copied > 1)} of them more "
      f"than once (at most {times_copied.max()} times)")
