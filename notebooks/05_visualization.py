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
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/05_visualization.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>
#
# The paper's **Step 4**: draw the training rows, before and after each augmentation, as
# two-dimensional t-SNE scatter plots in the manner of its Figures 1, 4, 5 and 6, with the
# original and the generated malignant rows told apart.
#
# **What you will learn**
#
# - how t-SNE draws 30-dimensional rows on a plane, and how to make the picture reproducible;
# - where RO, SMOTE and the GAN put their new rows;
# - what such a picture can and cannot tell you about generated patients.

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
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from sklearn.neighbors import NearestNeighbors

import utils
from utils.pipeline import augmented_training_sets
from utils.plotting import plot_tsne, save_figure, tsne_embedding

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}")

# %% [markdown]
# ## Parameters
#
# The data and GAN settings of notebooks 01-03 (the GAN's rows are read from `output_dir` when
# notebook 03 saved them with the same settings, and made again otherwise), and t-SNE's.

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
tsne_perplexity = 30.0  # roughly, how many neighbours each point pays attention to
tsne_max_iter = 1000  # optimisation steps of t-SNE

# %%
params = utils.check_parameters("05_visualization", globals())
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# Steps 1 and 2 in two calls: preprocess, then build the four training sets.

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label)
names = data.class_names
training_sets = augmented_training_sets(data, params, output_dir, verbose=True)

# %% [markdown]
# ## t-SNE in brief
#
# t-distributed Stochastic Neighbour Embedding (t-SNE) places each row on a plane so that rows
# that are close in the 30 features tend to stay close. It keeps neighbourhoods, not
# distances: the size of a cluster and the gap between two clusters mean little.
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
# Dots are benign rows, triangles real malignant rows, squares generated malignant rows.
# Each panel is also saved on its own, as `figures/tsne_<method>.png`.

# %%
fig, axes = plt.subplots(2, 2, figsize=(13, 11))
for ax, (method, rows) in zip(axes.flat, training_sets.items()):
    plot_tsne(embeddings[method], rows.y, rows.generated, names, titles[method], ax=ax)
fig.tight_layout()
save_figure(fig, output_dir, "tsne_all_methods")
plt.show()

# %%
for method, rows in training_sets.items():
    single = plot_tsne(embeddings[method], rows.y, rows.generated, names, titles[method])
    save_figure(single.figure, output_dir, f"tsne_{method.lower()}")
    plt.close(single.figure)

# %% [markdown]
# ## Reading the pictures
#
# - **RO**'s squares sit exactly on top of real triangles: they are copies, so malignant rows
#   that lie among benign ones (the paper circles them) are copied too.
# - **SMOTE**'s squares lie on lines between real triangles: new values, but always inside the
#   region the real malignant rows already cover.
# - The **GAN**'s squares are where the paper saw its advantage: a cluster apart from the
#   benign rows. But a cluster *apart from the real malignant rows too* is not a sign of clean,
#   noise-free patients; it is a sign that the generated rows do not look like any real patient.
#
# t-SNE cannot settle which it is. Numbers can: for each kind of row, how far is it from its
# nearest real training row (in all 30 features), and is that nearest row malignant?

# %% tags=["nbval-check-output"]
nearest = NearestNeighbors(n_neighbors=1).fit(data.X_train)
held_out = data.X_val[data.y_val == 1]
rows_to_check = {f"real held-out {names[1]} (validation)": held_out}
rows_to_check |= {f"{method} generated": rows.X[rows.generated]
                  for method, rows in training_sets.items() if rows.generated.any()}
report = {}
for label, X in rows_to_check.items():
    distance, index = nearest.kneighbors(X)
    report[label] = {
        "rows": len(X),
        "median distance to nearest real row": round(float(np.median(distance)), 3),
        f"nearest real row is {names[1]}": f"{data.y_train[index[:, 0]].mean():.0%}",
    }
pd.DataFrame.from_dict(report, orient="index")

# %% [markdown]
# Real held-out malignant rows set the yardstick. Generated rows much closer than that are
# near-copies of training patients (RO at distance 0, SMOTE close by); generated rows much
# farther are unlike any real patient. Only rows at about the real distance, whose nearest
# neighbour is malignant, look like new malignant patients.

# %% [markdown]
# ## Summary
#
# - t-SNE pictures, seeded, of the training rows before and after RO, SMOTE and the GAN, in the
#   manner of the paper's Figures 1, 4, 5 and 6, saved to `figures/`.
# - RO copies, SMOTE interpolates, and the paper's GAN, after 30 updates, makes rows that stand
#   apart from real patients; distances in the full 30 features say which is which, where the
#   picture cannot.
#
# **Try next:** change `seed` to see how much the pictures depend on t-SNE's start; raise
# `epochs` (in notebook 03 and here) and watch the GAN's squares and the distance table move.
