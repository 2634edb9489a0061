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
# # 01 · Preprocessing the Breast Cancer Wisconsin data
#
# <a href="https://colab.research.google.com/github/gan-augmentation/gan-imbalanced-tutorial/blob/main/notebooks/01_preprocessing.ipynb"><img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a> <!-- # noqa: E501 -->
#
# This is the first of the numbered notebooks that rebuild, step by step, the pipeline of the
# tutorial paper *A Tutorial on Generative Adversarial Networks with Application to
# Classification of Imbalanced Data*. It covers the paper's **Step 1: data preprocessing**
# (Steps 1a-1f), written out in cells you can change, and checks at each step that the
# project's `utils` package does exactly the same, so that the later notebooks can call it in
# one line.
#
# **What you will learn**
#
# - how to load the Breast Cancer Wisconsin (Diagnostic) data, WDBC, in the layout the paper used;
# - how to split rows into training, validation and test sets that keep the classes'
#   proportions, with scikit-learn's `train_test_split`;
# - how to drop patient identifiers, fill in missing values, one-hot encode categories and
#   encode a target of two or more classes;
# - why everything that learns from the data (fill values, categories, the min-max scaler)
#   must learn from the training rows only, and how one scikit-learn `ColumnTransformer` does
#   it all;
# - where the paper's text and its code disagree, and which one produced its Table 1.
#
# **Before you start**
#
# You need basic Python and pandas (reading a table, selecting columns). No machine learning is
# assumed: this is the first notebook, start here.
#
# **Time**
#
# About 20 minutes to read and try. The first run on Colab adds a minute to install
# `utils`.
#
# <!-- speed:start -->
# Measured with `make speed` (2026-12-08, 2 cores, no GPU): all cells took 2 s (3 units) with the
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
# Import the libraries and print their versions, so that a result can be traced to the
# software that produced it.

# %%
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder

import utils
from utils import (
    as_text, build_preprocessor, categorical_columns, check_id_columns, class_order,
    column_report, encode_target, EXAMPLE_CSV, numeric_columns, separate_features_and_target,
    split_data, suggest_identifiers,
)

print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
      f"scikit-learn {sklearn.__version__}")

# %% [markdown]
# ## Parameters
#
# These are the notebook's settings. Change them here, or pass them to papermill
# (`make run PARAMS="-p seed 7"`); the cell after checks them and stops on a misspelled name.

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
params = utils.check_parameters("01_preprocessing", globals())
np.random.seed(seed)
Path(output_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Step 1a · Load the data
#
# WDBC describes breast masses by measurements of their cell nuclei: ten properties (radius,
# texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry and
# fractal dimension), each given three times (the mean, the standard error `se` and the worst
# value). The target, `diagnosis`, is `M` (malignant) or `B` (benign).
#
# The paper read the Kaggle copy of WDBC. scikit-learn ships the same rows with the same
# values, so `utils.load_dataset` presents them in the Kaggle layout. **The `id` column of the
# bundled copy is generated by us** (the bundled copy has no identifiers); it stands in for the
# patient identifiers of the Kaggle file so that Step 1c has real work. Set `data_path` to
# read the Kaggle file, or a CSV of your own (numbers, categories, missing values and two or more
# classes all work; the end of this notebook tries one), instead.

# %%
frame = utils.load_dataset(data_path, target)
print(f"{frame.shape[0]} rows, {frame.shape[1]} columns")
frame.head()

# %% [markdown]
# The classes are imbalanced: count the rows of each. With WDBC, malignant masses are the
# **minority class**, and the class of interest.

# %% tags=["nbval-check-output"]
counts = frame[target].value_counts()
pd.DataFrame({"rows": counts, "share": (counts / len(frame)).round(3)})

# %% [markdown]
# ## Step 1b · Split into training, validation and test rows
#
# The training rows teach the models, the validation rows choose their settings
# (hyperparameters) and the test rows, used once at the end, estimate how well the chosen model
# does on new patients.
#
# > **Where the paper's text and code differ:** the text says 50% training, 30% validation,
# > 20% test. The code that produced Table 1 splits off half the rows for training, then 40% of
# > the other half for validation: **50% / 20% / 30%**. Only that split fits Table 1: its
# > recalls are all multiples of 1/64, and with the defaults the code's test split has 64
# > malignant rows (the table below counts them). We follow the code; `train_size` and
# > `validation_share` change it.
#
# > **Good practice:** split *stratified*, so that every split keeps the classes' proportions,
# > and fix `random_state` so the split can be reproduced. The larger the data, the larger the
# > share you can give to training (with a million rows, 5% is plenty for validation and test).
#
# The paper's code makes two calls of scikit-learn's `train_test_split`. The first takes
# `train_size` of all rows for training; `stratify` keeps the classes' proportions.

# %%
train, rest = train_test_split(frame, train_size=train_size, stratify=frame[target],
                               random_state=seed)
print(f"training rows: {len(train)}, the rest: {len(rest)}")

# %% [markdown]
# The second call splits the rest: `validation_share` of it for validation, the other rows for
# the test.

# %%
validation, test = train_test_split(rest, train_size=validation_share, stratify=rest[target],
                                    random_state=seed)
print(f"validation rows: {len(validation)}, test rows: {len(test)}")

# %% [markdown]
# Count the rows and classes of each split.

# %% tags=["nbval-check-output"]
pd.DataFrame.from_dict({
    name: {"rows": len(part), **part[target].value_counts().to_dict(),
           "share of rows": round(len(part) / len(frame), 3)}
    for name, part in (("train", train), ("validation", validation), ("test", test))
}, orient="index")

# %% [markdown]
# `tabaug.data.preprocessing.split_data`, which the later notebooks use, makes the same two calls.
# Check that, from the same seed, it gives the same rows in the same order:

# %%
for ours, theirs in zip((train, validation, test),
                        split_data(frame, target, train_size, validation_share, seed)):
    pd.testing.assert_frame_equal(ours, theirs)
print("split_data gives exactly these three splits.")

# %% [markdown]
# ## Step 1c · Drop patient identifiers
#
# An identifier names a row; it says nothing about the diagnosis. Left in, it can only add noise
# (or leak information, if identifiers were assigned in an order linked to the outcome). Which
# columns are identifiers is **your decision**, made once for the whole table: the parameter
# `id_columns` names them (`["id"]` for WDBC, `[]` for none).
#
# A rule can help you look: the paper's code treated as an identifier any column that is not a
# floating-point number and has a different value in every row. That rule only *suggests*: a
# count or a date can be unique in a small table and still be a measurement, and a rule run on
# each split could decide differently from one split to the next.

# %%
suggested = suggest_identifiers(frame, target)
print("Columns that look like identifiers:", suggested or "none")
print("Columns named by id_columns:", id_columns or "none")

# %% [markdown]
# Check the names (a typo would otherwise keep an identifier as a feature without a word), then
# drop them from all three splits.

# %%
identifiers = check_id_columns(frame, target, id_columns)
train, validation, test = (part.drop(columns=identifiers) for part in (train, validation, test))
print(f"Dropped {identifiers or 'nothing'}; {train.shape[1] - 1} feature columns are left.")

# %% [markdown]
# > **Good practice:** remove identifiers before training. It speeds training up and stops a
# > model from memorising patients.

# %% [markdown]
# ## Step 1d · Separate the features from the target, and encode the target
#
# *(The paper calls this Step 1e; it is easier to do first here.)* Most learning methods take
# the features as a table `X` and the target as a vector `y` of class codes. Only the features
# are filled in, encoded and scaled in the next steps.

# %%
X_train, y_train_labels = separate_features_and_target(train, target)
X_val, y_val_labels = separate_features_and_target(validation, target)
X_test, y_test_labels = separate_features_and_target(test, target)
print("X_train:", X_train.shape, " y_train:", y_train_labels.shape)

# %% [markdown]
# The target becomes integers. With **two classes**, the class of interest (malignant) is **1**
# and the other **0**. Mind that scikit-learn's bundled WDBC codes malignant as 0; the paper's
# `LabelEncoder` on `M`/`B` gives B = 0, M = 1, which is what we do too. By default the class of
# interest is the minority class of the training rows; `positive_label` names it explicitly.
# With **more classes**, the codes 0, 1, 2, ... follow the sorted labels, as `LabelEncoder`
# gives them, and every class counts the same in the scores (no single class of interest).

# %%
classes = class_order(y_train_labels, positive_label)
y_train, y_val, y_test = (encode_target(y, classes)
                          for y in (y_train_labels, y_val_labels, y_test_labels))
pd.DataFrame({"label in the file": classes, "code": range(len(classes)),
              "training rows": [int(np.sum(y_train == code)) for code in range(len(classes))]})

# %% [markdown]
# ## Step 1e · Fill in missing values, and encode categories
#
# Models need a number in every cell. Two kinds of columns need work before that:
#
# - a **missing value** must be filled in (*imputed*). A number becomes the **median** of the
#   training rows, and a new 0/1 column says where a value was filled in (that it was missing
#   can itself say something: a test that was never ordered). A missing category becomes a
#   category of its own, `"missing"`;
# - a **categorical** feature with *k* values becomes *k* 0/1 columns, one per value:
#   **one-hot encoding**.
#
# scikit-learn has a tool for each: `SimpleImputer` learns the fill value (its `statistics_`)
# and `OneHotEncoder` learns the values (its `categories_`) when you fit them; both write the
# new columns when you transform. WDBC has neither missing values nor categories, so first see
# them work on a tiny made-up example: training rows with a text column `tumour_site` and a
# number with a gap, and two new rows, one of them with a site the training rows never had.

# %%
toy_train = pd.DataFrame({"tumour_site": ["left", "right", "left", None],
                          "size_mm": [12.0, 30.5, np.nan, 8.2]})
toy_new = pd.DataFrame({"tumour_site": ["right", "both"], "size_mm": [np.nan, 22.0]})
toy_imputer = SimpleImputer(strategy="median", add_indicator=True).fit(toy_train[["size_mm"]])
print("Median learned from the training rows:", toy_imputer.statistics_)
pd.DataFrame(toy_imputer.transform(toy_new[["size_mm"]]),
             columns=toy_imputer.get_feature_names_out())

# %% [markdown]
# The new row without a size got the training median, 12.0, and a 1 in `missingindicator_size_mm`.
# Now the categories: fill the gap with `"missing"`, then one-hot encode.

# %%
toy_encoder = Pipeline([
    ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
    ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
]).fit(toy_train[["tumour_site"]])
print("Categories learned from the training rows:",
      list(toy_encoder.named_steps["one_hot"].categories_[0]))

# %% [markdown]
# Transform the new rows: `right` gets a 1 in its own column; `both`, never seen in training,
# gets zeros in every column, which is what `handle_unknown="ignore"` asks for.

# %%
pd.DataFrame(toy_encoder.transform(toy_new[["tumour_site"]]),
             columns=toy_encoder.get_feature_names_out(), index=toy_new["tumour_site"])

# %% [markdown]
# > **Good practice:** learn fill values and categories from the **training rows only**, like
# > every other step that learns from the data, and decide what an unseen value becomes (here:
# > all zeros) before a new patient brings one.
#
# Now the real data. Which feature columns hold categories (text or true/false), and which hold
# numbers? How many values are missing in the training rows?

# %%
categorical = categorical_columns(train, target)
numeric = numeric_columns(train, target)
print(f"{len(numeric)} numeric column(s); categorical: {categorical or 'none'}")
missing = X_train.isna().sum()
print("Missing values in the training rows:", missing[missing > 0].to_dict() or "none")

# %% [markdown]
# ## Step 1f · Scale the numbers to [0, 1]
#
# Min-max scaling maps each feature's smallest training value to 0 and its largest to 1. The
# GAN's generator will end with a sigmoid, which makes values in [0, 1]; scaled data are what
# it can imitate.
#
# > **Good practice:** fit the scaler on the **training rows only**, then apply it unchanged to
# > the validation and test rows. Fitting it on all rows would let the test rows shape the
# > training data, a quiet form of leakage. So validation and test values may fall slightly
# > outside [0, 1], as the table below shows.
#
# ## All of it as one scikit-learn object
#
# The steps that learn (fill values, categories, minima and maxima) go into one
# `ColumnTransformer`: each kind of column gets its own small `Pipeline`, numeric columns first
# (a kind the table lacks, such as WDBC's categories, is left out). One `fit` on the training
# rows learns everything; the same `transform` then serves every split, and any new patient,
# with nothing learned from them. Textual and true/false values are read as text first
# (`as_text`), so that one encoder treats them alike.

# %%
numeric_steps = Pipeline([
    ("impute", SimpleImputer(strategy="median", add_indicator=True)),
    ("scale", MinMaxScaler()),
])
categorical_steps = Pipeline([
    ("as_text", FunctionTransformer(as_text, feature_names_out="one-to-one")),
    ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
    ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
])
steps = [("numeric", numeric_steps, numeric), ("categorical", categorical_steps, categorical)]
preprocessor = ColumnTransformer([(name, pipeline, columns) for name, pipeline, columns in steps
                                  if columns],  # only the kinds of column the table has
                                 verbose_feature_names_out=False)
preprocessor.fit(X_train)
feature_names = list(preprocessor.get_feature_names_out())
X_train, X_val, X_test = (preprocessor.transform(X) for X in (X_train, X_val, X_test))
print(f"{len(feature_names)} features; first ones: {feature_names[:4]}")
pd.DataFrame({name: {"min": X.min().round(3), "max": X.max().round(3)}
              for name, X in (("train", X_train), ("validation", X_val), ("test", X_test))}).T

# %% [markdown]
# scikit-learn draws the object it built, step by step (click a step to see its settings):

# %%
preprocessor

# %% [markdown]
# `tabaug.data.preprocessing.build_preprocessor` builds the same object for the later notebooks and
# for `python -m utils`. Check that, fitted on the same rows, it gives exactly these features:

# %%
utils_preprocessor = build_preprocessor(numeric, categorical).fit(train.drop(columns=[target]))
np.testing.assert_array_equal(
    utils_preprocessor.transform(validation.drop(columns=[target])), X_val)
assert list(utils_preprocessor.get_feature_names_out()) == feature_names
print("build_preprocessor gives exactly these features.")

# %% [markdown]
# Every decision of Step 1, one row per column of the table: what it is, how many training
# values were missing, what a missing value becomes, the categories learned and how many
# features it became.

# %%
column_report(preprocessor, train, target, frame[identifiers])

# %% [markdown]
# ## All of Step 1 in one call
#
# The later notebooks need the same arrays. `utils.prepare_data` runs Steps 1a-1f as above;
# the cell checks that it gives exactly the arrays and feature names built here, step by step,
# and saves the split's counts to `split_summary.csv` in the output folder.

# %%
data = utils.prepare_data(data_path, target, seed, train_size, validation_share, positive_label,
                          id_columns=id_columns)
for name, ours in (("X_train", X_train), ("y_train", y_train), ("X_val", X_val),
                   ("y_val", y_val), ("X_test", X_test), ("y_test", y_test)):
    np.testing.assert_array_equal(getattr(data, name), ours, err_msg=name)
assert data.feature_names == feature_names
summary = data.summary()
summary.to_csv(Path(output_dir) / "split_summary.csv")
summary

# %% [markdown]
# ## Summary
#
# What this run did, in numbers:

# %%
n_filled = int(data.columns.loc[data.columns["role"].isin(["numeric", "categorical"]),
                                "missing (training rows)"].sum())
print(f"- {len(frame)} rows; {len(identifiers)} identifier column(s) dropped, "
      f"{len(categorical)} categorical column(s) one-hot encoded, {n_filled} missing training "
      f"value(s) filled in, {X_train.shape[1]} features.")
smallest = min(data.class_names, key=lambda code: np.sum(y_train == code))
print(f"- {data.n_classes} classes; the smallest, {data.class_names[smallest]}, has "
      f"{np.sum(y_train == smallest)} of {len(y_train)} training rows; the splits hold "
      f"{len(y_train)} / {len(y_val)} / {len(y_test)} rows "
      f"({len(y_train) / len(frame):.0%} / {len(y_val) / len(frame):.0%} / "
      f"{len(y_test) / len(frame):.0%}).")

# %% [markdown]
# - The paper's code splits 50% / 20% / 30% (its text says 50 / 30 / 20) with two stratified,
#   seeded calls of `train_test_split`.
# - Identifiers are the columns you name in `id_columns`; a rule only suggests them.
# - One `ColumnTransformer`, fitted on the training rows only, fills in missing values (median
#   and an indicator; a `"missing"` category), one-hot encodes categories (an unseen value
#   becomes all zeros) and min-max scales; the target is coded 1 for the class of interest of
#   two, or 0, 1, 2, ... for more classes.
# - `utils.prepare_data` does all of it in one call and gives exactly the same arrays: the
#   later notebooks use it.
#
# ## Your own table
#
# WDBC is tidy: numbers only, nothing missing, two classes. Tables from the clinic are not. The
# project ships a small **made-up** one, `utils/examples/patients.csv` (`utils.EXAMPLE_CSV`),
# with an identifier, whole numbers, true/false and text columns, missing values and three
# classes. The same call prepares it; read what it decided:

# %%
example = utils.prepare_data(EXAMPLE_CSV, target="outcome", id_columns=["patient_id"], seed=seed)
example.columns

# %% [markdown]
# Its three classes, per split: the smallest, `malignant`, has only a handful of rows in the
# validation and test splits. Keep that in mind when you read any score computed on them.

# %%
example.summary()

# %% [markdown]
# To run every notebook on it (or on your own CSV), set `data_path`, `target` and `id_columns`
# in the Parameters cell, or from the shell:
# `make run PARAMS="-p data_path utils/examples/patients.csv -p target outcome -p id_columns
# \"['patient_id']\""`. The Kaggle file `data.csv` of WDBC works too (its empty `Unnamed: 32`
# column is dropped with a note). Then open `02_random_oversampling_and_smote`.

# %% [markdown]
# ## Exercises
#
# For each exercise, change something, write down what you predict, then run it and check.
#
# 1. Change the seed of the split (say `seed + 1`, then a few others). Predict: do the class
#    counts of the training, validation and test splits change? Do the rows in them? Check by
#    splitting again with `split_data` and comparing the counts and the rows' index labels.
# 2. Raise `train_size` by 0.1 (from 0.5 to 0.6 with the defaults; in the Parameters cell,
#    then run all again, or in a cell of your own). Predict, from the class counts of Step 1a
#    alone, how many rows of each class the training split will hold. Check.
# 3. In the tiny `tumour_site` example, make the encoder with `handle_unknown="error"` instead.
#    Predict what happens when it transforms the new rows. Check.
# 4. Fit the `MinMaxScaler` on *all* rows (training, validation and test) instead of the
#    training rows. Predict the smallest and largest scaled values of the test split. Check,
#    and say why this is leakage even though no test *label* was used.

# %% [markdown]
# ## Solutions
#
# Try the exercises first; each solution's code is collapsed: click to expand.

# %% [markdown]
# ### Exercise 1
#
# Stratification fixes how many rows of each class go to each split: they follow from the
# class counts and the split shares (rounded, and only when two classes tie in the rounding
# does the seed decide which one gets the extra row). The seed decides *which* rows go where.
# The cells below split with several seeds and compare.

# %% tags=["solution"] jupyter={"source_hidden": true}
def split_class_counts(split_seed, share=train_size):
    """Rows of each class in the three splits made with ``split_seed`` and ``share``."""
    parts = split_data(frame, target, share, validation_share, split_seed)
    return pd.DataFrame({name: part[target].value_counts()
                         for name, part in zip(("train", "validation", "test"), parts)})


seeds_tried = [seed, seed + 1, seed + 2, 7]
counts_by_seed = {s: split_class_counts(s) for s in seeds_tried}
pd.concat(counts_by_seed, names=["seed", "class"])

# %% tags=["solution"] jupyter={"source_hidden": true}
largest_change = max(int((c - counts_by_seed[seed]).abs().max().max())
                     for c in counts_by_seed.values())
other_train = split_data(frame, target, train_size, validation_share, seed + 1)[0]
first_train = split_data(frame, target, train_size, validation_share, seed)[0]
shared = len(first_train.index.intersection(other_train.index))
print("Class counts identical for every seed tried." if largest_change == 0 else
      f"Class counts differ by at most {largest_change} row(s): a rounding tie the seed breaks.")
print(f"Training rows shared by seed {seed} and seed {seed + 1}: {shared} of {len(first_train)}.")

# %% [markdown]
# ### Exercise 2
#
# A stratified split gives each class its share: about `train_size` times the class's rows
# (rounded so the total is right). The cell computes that prediction and the real counts.

# %% tags=["solution"] jupyter={"source_hidden": true}
larger_share = round(min(train_size + 0.1, 0.9), 2)
predicted = (frame[target].value_counts() * larger_share).round(1)
pd.DataFrame({f"train_size {larger_share}: predicted": predicted,
              "counted": split_class_counts(seed, larger_share)["train"],
              f"train_size {train_size}: counted": split_class_counts(seed)["train"]})

# %% [markdown]
# ### Exercise 3
#
# With `handle_unknown="error"`, transforming a value the encoder never saw raises a
# `ValueError` that names the unknown category, instead of writing zeros.

# %% tags=["solution"] jupyter={"source_hidden": true}
strict_encoder = OneHotEncoder(handle_unknown="error", sparse_output=False)
strict_encoder.fit(toy_train[["tumour_site"]])
try:
    strict_encoder.transform(toy_new[["tumour_site"]])
    print("No error.")
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# ### Exercise 4
#
# A scaler fitted on all rows maps the smallest and largest value of *all* rows to 0 and 1, so
# every split, the test split included, stays inside [0, 1]. The test rows have shaped the
# scaling of the training rows: information about them reached training. The cell fits such a
# scaler on fresh copies of the unscaled features.

# %% tags=["solution"] jupyter={"source_hidden": true}
unscaled = [part[numeric].to_numpy(dtype=float) for part in (train, validation, test)]
leaky_scaler = MinMaxScaler().fit(np.vstack(unscaled))  # ignores missing values
leaky_test = leaky_scaler.transform(unscaled[2])
scaled_test = X_test[:, :len(numeric)]  # the numeric columns come first
print(f"test split, scaler fitted on all rows: min {np.nanmin(leaky_test):.3f}, "
      f"max {np.nanmax(leaky_test):.3f}")
print(f"test split, scaler fitted on training rows: min {scaled_test.min():.3f}, "
      f"max {scaled_test.max():.3f}")
