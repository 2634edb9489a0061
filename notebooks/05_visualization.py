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
# # 05 · Looking at the augmented data with t-SNE
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/05_visualization.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# The paper's **Step 4**: draw the training rows, before and after each augmentation, as
# two-dimensional t-SNE scatter plots in the manner of its Figures 1, 4, 5 and 6, with every
# class in a colour of its own and the original and the generated rows told apart; then
# measure, in all the features, what the pictures can only suggest about the rows made for the
# minority class (malignant in WDBC).
#
# **What you will learn**
#
# - how t-SNE draws rows of many features (WDBC's 30) on a plane, and how to make the picture
#   reproducible;
# - where RO, SMOTE and the GAN put their new rows, as the pictures show them;
# - what such a picture cannot tell you, and the distances that can: copies, interpolations
#   and rows unlike any real patient.
#
# **Before you start**
#
# Do notebooks 02 (RO and SMOTE) and 03 (the GAN) first: this notebook looks at the rows they
# make. It runs on its own: if notebook 03 did not save the GAN's rows in `output_dir` with the
# same settings, it trains the GAN again.
#
# **Time**
#
# About 20 minutes to read and do the exercises. The times below include the solutions and
# read notebook 03's GAN rows from the output folder (without them, the notebook trains the
# GAN itself, a few seconds more).
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 9 s (13 units) with the
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

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from scipy.spatial.distance import cdist
from threadpoolctl import threadpool_limits

import utils
from utils import (
    class_counts, distance_to_closest, fit_2d_view, minority_class, plot_rows_2d, plot_tsne,
    save_figure, tsne_embedding,
)
from utils.pipeline import augmented_training_sets

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}")

# %% [markdown]
# Run scikit-learn's compiled loops (OpenMP, used by t-SNE) on one thread: on a few hundred
# rows that gives the same pictures, and on a busy machine (a shared Colab host, or a test run)
# two threads can spend most of their time waiting for each other.

# %%
threadpool_limits(limits=1, user_api="openmp")

# %% [markdown]
# ## Parameters
#
# The data and GAN settings of notebooks 01-03 (the GAN's rows are read from `output_dir` when
# notebook 03 saved them with the same settings, and made again otherwise), and t-SNE's.

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the classes
positive_label = None  # the class of interest of two (coded 1); None takes the minority class
id_columns = ["id"]  # identifier columns to drop ([] for none)
seed = 42  # seeds every random step
output_dir = "results"  # where tables and figures are written
train_size = 0.5  # share of all rows used for training
validation_share = 0.4  # share of the remaining rows used for validation; the rest is test
epochs = 10  # passes over each augmented class's training rows
batch_size = 32  # rows per minibatch
learning_rate = 1e-4  # Adam's learning rate, for both networks
noise_dim = None  # size of the generator's noise input; None takes n_features // 2
tsne_perplexity = 30.0  # roughly, how many neighbours each point pays attention to
tsne_max_iter = 1000  # optimisation steps of t-SNE

# %%
params = utils.check_parameters("05_visualization", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Steps 1 and 2 in two calls: preprocess, then build the four training sets.

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label,
                          id_columns=id_columns)
names = data.class_names
training_sets = augmented_training_sets(data, params, output_dir, verbose=True)

# %% [markdown]
# Each method, with imbalanced-learn's `sampling_strategy="auto"`, adds rows to every class
# smaller than the largest (with two classes, as in WDBC, to the minority only). The rows of
# each class in the four training sets:

# %% tags=["nbval-check-output"]
pd.DataFrame({method: class_counts(rows.y, names) for method, rows in training_sets.items()})

# %% [markdown]
# ## t-SNE in brief
#
# t-distributed Stochastic Neighbour Embedding (t-SNE) places each row on a plane so that rows
# that are close in the features tend to stay close. It keeps neighbourhoods, not distances
# or shapes: the size of a cluster, the gap between two clusters and whether points line up
# mean little.
#
# > **Good practice:** ask for `n_components=2` for a flat picture (3 for a 3-D one), and fix
# > `random_state`: t-SNE starts from a random layout, and without a seed every run draws a
# > different picture.
#
# Each training set is embedded on its own, as in the paper, so the four pictures do not
# share axes: compare what lies near what within a picture, not positions across pictures.

# %%
titles = {
    "Baseline": "Training rows, no augmentation (cf. the paper's Figure 1)",
    "RO": "Augmented by RO (cf. Figure 4)",
    "SMOTE": "Augmented by SMOTE (cf. Figure 5)",
    "GAN": "Augmented by the GAN (cf. Figure 6)",
}
embeddings = {method: tsne_embedding(rows.X, seed, tsne_perplexity, tsne_max_iter)
              for method, rows in training_sets.items()}

# %% [markdown]
# ## The four pictures
#
# Each class has a colour and a marker of its own (WDBC: benign rows are blue dots, malignant
# rows red triangles); generated rows are squares, in a lighter colour of their class (orange
# for malignant). Each panel is also saved on its own, as `figures/tsne_<method>.png`.

# %%
fig, axes = plt.subplots(2, 2, figsize=(13, 11))
for ax, (method, rows) in zip(axes.flat, training_sets.items()):
    plot_tsne(embeddings[method], rows.y, rows.generated, names, titles[method], ax=ax)
fig.tight_layout()
save_figure(fig, output_dir, "tsne_all_methods")
plt.show()

# %% [markdown]
# Save each panel on its own too (not shown again):

# %%
for method, rows in training_sets.items():
    single = plot_tsne(embeddings[method], rows.y, rows.generated, names, titles[method])
    save_figure(single.figure, output_dir, f"tsne_{method.lower()}")
    plt.close(single.figure)

# %% [markdown]
# ## Reading the pictures
#
# With the default settings, on WDBC, the pictures show this (dots benign, triangles malignant,
# squares generated malignant rows):
#
# - **RO**'s squares sit on top of triangles: each copy lands where the row it copies lies,
#   including the few triangles among the dots (the paper circles such rows).
# - **SMOTE**'s squares lie among the triangles, in the region the triangles cover, with a few
#   near the dots where triangles are too. SMOTE makes each new row on the straight segment
#   between a real malignant row and a malignant neighbour; t-SNE does not keep straight
#   lines, so the picture cannot show whether the squares are there.
# - The **GAN**'s squares gather in a group of their own, apart from the dots *and* from the
#   triangles. The paper read its Figure 6 as the GAN's advantage (generated rows away from
#   the benign ones). A group apart from the real malignant rows too is not a sign of clean,
#   noise-free patients: it may mean that the generated rows look like no real patient.
#
# One number for what the eye sees: for each picture, the share of squares whose nearest
# point *on the picture* is another square (rather than a real row).

# %%
def share_next_to_generated(embedding, generated):
    """Share of the generated rows whose nearest neighbour on the picture is generated too."""
    gaps = cdist(embedding[generated], embedding)
    gaps[np.arange(generated.sum()), np.flatnonzero(generated)] = np.inf  # not itself
    return float(generated[gaps.argmin(axis=1)].mean())


for method, rows in training_sets.items():
    if rows.generated.any():
        share = share_next_to_generated(embeddings[method], rows.generated)
        print(f"{method:6s} {share:4.0%} of its {rows.generated.sum()} squares have a square as "
              f"nearest neighbour on the picture")

# %% [markdown]
# ## What the pictures cannot settle: distances in all the features
#
# A picture cannot say whether a square is a copy, a mix of real rows, or unlike any real patient.
# Distances can: for each kind of row, how far is it from its closest real training row, in all the
# features (`tabaug.fidelity.distances.distance_to_closest`), and is that closest row of the same
# class? Look at the minority class, malignant in WDBC, whose few rows every method must stretch the
# most (with more classes, the other augmented classes can be checked the same way: change
# `minority`). Real rows of the class that were *not* used for training (the validation split's) set
# the yardstick.

# %%
minority = minority_class(data.y_train)
minority_train = data.X_train[data.y_train == minority]
others_train = data.X_train[data.y_train != minority]  # the rows of every other class
rows_to_check = {f"real held-out {names[minority]} (validation)":
                 data.X_val[data.y_val == minority]}
rows_to_check |= {f"{method} generated": rows.X[rows.generated & (rows.y == minority)]
                  for method, rows in training_sets.items() if rows.generated.any()}
print(f"Minority class: {names[minority]}")

# %% [markdown]
# For each kind of row: how many there are, their median distance to the closest real
# training row, how many are exact copies (distance 0), and how often the closest real row is
# of the minority class.

# %% tags=["nbval-check-output"]
report = {}
for label, X in rows_to_check.items():
    closest = distance_to_closest(data.X_train, X)
    closest_is_minority = (distance_to_closest(minority_train, X)
                           <= distance_to_closest(others_train, X))
    report[label] = {
        "rows": len(X),
        "median distance to closest real row": round(float(np.median(closest)), 3),
        "exact copies": int(np.sum(closest == 0)),
        f"closest real row is {names[minority]}": f"{closest_is_minority.mean():.0%}",
    }
report = pd.DataFrame.from_dict(report, orient="index")
report

# %% [markdown]
# Generated rows much closer than the yardstick are near-copies of training patients (RO at
# distance 0, SMOTE close by); generated rows much farther are unlike any real patient. Only
# rows at about the real distance, whose closest real row is of their class, look like new
# patients of that class.
#
# And the "lines"? Measure, in all the features, how far each row is from the closest
# straight segment between two real minority training rows (0 = exactly on one):

# %%
def distance_to_closest_segment(ends, rows):
    """Distance of each of ``rows`` to the nearest straight segment joining two of ``ends``."""
    ends = np.unique(ends, axis=0)  # no zero-length segments
    i, j = np.triu_indices(len(ends), k=1)
    start, step = ends[i], ends[j] - ends[i]
    length2 = (step**2).sum(axis=1)
    result = []
    for row in rows:
        t = np.clip(((row - start) * step).sum(axis=1) / length2, 0, 1)  # closest point
        result.append(np.sqrt(((start + t[:, None] * step - row) ** 2).sum(axis=1)).min())
    return np.array(result)

# %% [markdown]
# Apply it to the held-out real rows and to SMOTE's and the GAN's rows:

# %%
segments = {label: distance_to_closest_segment(minority_train, X)
            for label, X in rows_to_check.items() if not label.startswith("RO")}
pd.DataFrame({label: {"median": np.median(d), "largest": d.max()}
              for label, d in segments.items()}).T.round(3)

# %% [markdown]
# ## In numbers
#
# The summary of this notebook's run, printed from the measurements above:

# %%
yardstick = report.iloc[0]["median distance to closest real row"]
ro, smote, gan = (report.loc[f"{m} generated"] for m in ("RO", "SMOTE", "GAN"))
smote_segments = segments["SMOTE generated"]
print(f"RO: {ro['exact copies']} of its {ro['rows']} rows are exact copies of training rows.")
on_lines = "on such segments" if smote_segments.max() < 1e-9 else "not all on segments"
print(f"SMOTE: its rows lie at most {smote_segments.max():.1e} from a segment between two real "
      f"{names[minority]} rows ({on_lines}, in all the features), at a median distance of "
      f"{smote['median distance to closest real row']} from a real row, "
      f"{smote['median distance to closest real row'] / yardstick:.2f} times the yardstick.")
print(f"GAN: median distance {gan['median distance to closest real row']}, "
      f"{gan['median distance to closest real row'] / yardstick:.2f} times the yardstick of "
      f"{yardstick} (real held-out {names[minority]} rows).")

# %% [markdown]
# ## Summary
#
# - t-SNE pictures, seeded, of the training rows before and after RO, SMOTE and the GAN, in the
#   manner of the paper's Figures 1, 4, 5 and 6, one colour per class, are saved to
#   `figures/`.
# - On WDBC the pictures show RO's rows on top of real ones, SMOTE's among them, and the GAN's
#   (after the paper's short training) in a group of their own.
# - Distances in all the features say what the pictures cannot: RO copies, SMOTE's rows lie on
#   segments between real rows of their class, and the printed distances show how far the
#   GAN's rows are from any real patient, compared with real held-out patients.
# - Next, notebook 06 asks whether augmentation helps a classifier over many random splits.

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to change something, to predict what will happen, and then to check.
#
# 1. **Perplexity.** Set `tsne_perplexity` to 5, then to 50, and run all cells again.
#    Predict: with a small perplexity, does the picture break into more, smaller clumps?
#    Does the GAN's group of squares stay apart from the real rows of its class at both
#    settings? Check with the pictures and the share of squares next to a square.
# 2. **Only the minority rows.** Embed only the minority class's rows of a training set (real
#    and generated; malignant in WDBC), leaving the other classes' rows out. Predict: do the
#    GAN's squares still form a group of their own? Do SMOTE's still mix with the real rows
#    of the class? Check with two new pictures.
# 3. **A view with fixed axes.** t-SNE draws each set on its own axes. Draw the generated rows
#    of RO, SMOTE and the GAN in one principal component analysis (PCA) view fitted on the
#    real minority training rows (`tabaug.report.figures.fit_2d_view` and `plot_rows_2d`), with the
#    same axes for all three. Predict: on these fixed axes, which method's rows cover the
#    cloud of real rows, and which stray from it or bunch up? Check on the plane, with
#    `distance_to_closest` on the 2-D coordinates, and compare with the distances in all the
#    features.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# Perplexity sets how many neighbours each row attends to: a small one keeps only very local
# structure, and the picture breaks into small clumps; a large one smooths them into broader
# clouds. A group that is far from everything in the features, like the GAN's rows after the
# paper's short training, tends to stay apart at every perplexity; the share printed below
# checks it on the GAN's training set (the notebook's own pictures are not redrawn).

# %% tags=["solution"] jupyter={"source_hidden": true}
gan_rows = training_sets["GAN"]
fig, axes = plt.subplots(1, 2, figsize=(12, 5))
for ax, perplexity in zip(axes, (5.0, 50.0)):
    picture = tsne_embedding(gan_rows.X, seed, perplexity, tsne_max_iter)
    plot_tsne(picture, gan_rows.y, gan_rows.generated, names,
              f"GAN-augmented rows, perplexity {perplexity:g}", ax=ax)
    share = share_next_to_generated(picture, gan_rows.generated)
    print(f"perplexity {perplexity:4g}: {share:.0%} of the squares have a square as nearest "
          f"neighbour")
plt.show()

# %% [markdown]
# ### Exercise 2
#
# Without the other classes' rows, t-SNE spends the whole plane on the minority's. Rows that
# differ from every real patient still end up apart; rows that lie between real rows still mix
# with them. The shares printed below say which happened here.

# %% tags=["solution"] jupyter={"source_hidden": true}
fig, axes = plt.subplots(1, 2, figsize=(12, 5))
for ax, method in zip(axes, ("SMOTE", "GAN")):
    rows = training_sets[method]
    of_minority = rows.y == minority
    picture = tsne_embedding(rows.X[of_minority], seed, tsne_perplexity, tsne_max_iter)
    plot_tsne(picture, rows.y[of_minority], rows.generated[of_minority], names,
              f"{method}: {names[minority]} rows only", ax=ax)
    share = share_next_to_generated(picture, rows.generated[of_minority])
    print(f"{method:5s}: {share:.0%} of the squares have a square as nearest neighbour")
plt.show()

# %% [markdown]
# ### Exercise 3
#
# The PCA view is a fixed projection fitted on the real minority training rows, so all three
# panels share their axes. RO's rows land on real points and SMOTE's between them, spread
# over the cloud. The GAN's rows need not stray on this plane even when they are far from
# every real row in all the features: the plane shows only the two directions in which the
# *real* rows vary most, and a row can be far away in the other directions. The numbers
# below compare the plane with all the features, and the spread of each method's rows on the
# plane with the real rows' spread.

# %% tags=["solution"] jupyter={"source_hidden": true}
view = fit_2d_view(minority_train, seed)
generated_rows = {method: rows_to_check[f"{method} generated"]
                  for method in ("RO", "SMOTE", "GAN")}
fig, axes = plt.subplots(1, 3, figsize=(16, 5), sharex=True, sharey=True)
for ax, (method, new_rows) in zip(axes, generated_rows.items()):
    plot_rows_2d(view, minority_train, {f"{method} generated": new_rows}, ax=ax,
                 title=f"{method}: generated and real {names[minority]} rows",
                 real_label=f"real {names[minority]} training rows")
plt.show()

# %% [markdown]
# The median distance from each method's generated rows to the closest real minority row, on
# the plane and in all the features, and the spread of the generated rows on the plane (1 =
# as spread as the real rows):

# %% tags=["solution"] jupyter={"source_hidden": true}
real_xy = view.transform(minority_train)
plane_vs_all = pd.DataFrame({method: {
    "median distance on the plane": np.median(distance_to_closest(real_xy, view.transform(X))),
    "median distance in all features": np.median(distance_to_closest(minority_train, X)),
    "spread on the plane": view.transform(X).std(axis=0).sum() / real_xy.std(axis=0).sum(),
} for method, X in generated_rows.items()}).T
print(plane_vs_all.round(3).to_string())
print(f"The plane shows {view.explained_variance_ratio_.sum():.0%} of the real rows' variance. "
      f"Farthest on the plane: {plane_vs_all.iloc[:, 0].idxmax()}; farthest in all features: "
      f"{plane_vs_all.iloc[:, 1].idxmax()}; least spread: {plane_vs_all.iloc[:, 2].idxmin()}.")
