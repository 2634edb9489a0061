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
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/02_random_oversampling_and_smote.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>
#
# The paper's **Steps 2a-2b**: count the rows of each class, find the minority class, and
# balance the training rows with the two classic over-samplers of imbalanced-learn, Random
# Oversampling (RO) and the Synthetic Minority Over-sampling Technique (SMOTE). Notebook 03 does
# the same with a GAN.
#
# **What you will learn**
#
# - how to count classes and identify the minority class;
# - what RO and SMOTE add to the training rows, and how their new rows differ;
# - why only the training rows are ever augmented, and how an imbalanced-learn `Pipeline`
#   keeps it so inside cross-validation.

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

import imblearn
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sklearn
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.neighbors import NearestNeighbors

import utils
from utils.plotting import save_figure
from utils.sampling import class_counts, minority_class

print(f"numpy {np.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}, "
      f"imbalanced-learn {imblearn.__version__}")

# %% [markdown]
# ## Parameters
#
# The same data settings as notebook 01; the cell after checks them.

# %% tags=["parameters"]
data_path = None  # a CSV file, or None for the WDBC copy bundled with scikit-learn
target = "diagnosis"  # the column holding the two classes
positive_label = None  # the class of interest (coded 1); None takes the minority class
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
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label)
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
# > **Good practice:** augment the **training rows only**. The validation and test rows must
# > look like the patients the model will meet, imbalance included; augmenting them would
# > measure the model on rows that were partly made up.

# %% [markdown]
# ## Step 2b · Random oversampling (RO)
#
# RO draws minority rows at random, with replacement, and appends the copies until the classes
# are balanced. Every new row is an exact duplicate of a real one. imbalanced-learn's samplers
# all have the same method, `fit_resample`, and return the original rows first, the new rows
# after them.

# %%
ro = RandomOverSampler(random_state=seed)
X_ro, y_ro = ro.fit_resample(X_train, y_train)
n_new = len(y_ro) - len(y_train)
np.testing.assert_array_equal(X_ro[:len(y_train)], X_train)  # originals first, unchanged
print(f"RO added {n_new} rows")

# %% [markdown]
# Check that the new rows are copies: every one of them equals a real training row.

# %%
new_rows = X_ro[len(y_train):]
is_copy = (new_rows[:, None, :] == X_train[None, :, :]).all(axis=2).any(axis=1)
print(f"RO rows identical to a real training row: {is_copy.mean():.0%}")

# %% [markdown]
# ## Step 2b · SMOTE
#
# SMOTE makes each new row on the line between a minority row and one of its *k* nearest
# minority neighbours (k = 5 by default): new values, but always between two real patients.

# %%
smote = SMOTE(random_state=seed)
X_smote, y_smote = smote.fit_resample(X_train, y_train)
nearest_real = NearestNeighbors(n_neighbors=1).fit(X_train)
distance_smote, _ = nearest_real.kneighbors(X_smote[len(y_train):])
print(f"SMOTE added {len(y_smote) - len(y_train)} rows; median distance to the nearest real "
      f"training row: {np.median(distance_smote):.3f}")

# %% [markdown]
# To judge that distance, compare it with how far real patients are from each other: the
# median distance from a real malignant *validation* row to its nearest training row.

# %%
real_distance, _ = nearest_real.kneighbors(data.X_val[data.y_val == minority])
ratio = np.median(real_distance) / np.median(distance_smote)
print(f"Real held-out {names[minority]} rows: median distance {np.median(real_distance):.3f}, "
      f"{ratio:.1f} times that of SMOTE's rows")

# %% [markdown]
# When SMOTE's rows sit several times closer to a real patient than real patients sit to
# each other, they are near-copies. For medical data that is worth knowing (a near-copy of a
# patient can reveal that patient), and it is why SMOTE can amplify noisy or mislabelled
# minority rows.

# %% [markdown]
# ## Class counts after augmentation
#
# Both samplers balance the classes exactly.

# %% tags=["nbval-check-output"]
after = pd.DataFrame({"original": before, "RO": class_counts(y_ro, names),
                      "SMOTE": class_counts(y_smote, names)})
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

# %%
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

pipeline = make_pipeline(SMOTE(random_state=seed),
                         HistGradientBoostingClassifier(random_state=seed))
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
scores = cross_val_score(pipeline, X_train, y_train, scoring="f1", cv=folds)
print(f"F1 of SMOTE + gradient boosting over 5 folds: {scores.mean():.3f} (sd {scores.std():.3f})")

# %% [markdown]
# ## Summary
#
# - The minority class of the training rows is malignant; RO and SMOTE add rows of it until
#   the classes are balanced, in the training rows only.
# - RO's rows are exact copies; SMOTE's are new but lie much closer to a real patient than
#   real patients lie to each other.
# - Inside cross-validation, resample in each fold with an imbalanced-learn `Pipeline`.
#
# **Try next:** change SMOTE's `k_neighbors`, or try `BorderlineSMOTE` and `ADASYN` from
# `imblearn.over_sampling`. Then open `03_gan` to build the third augmentation method.
