"""Glue between the notebooks: the augmented training sets, recomputed or read back from disk.

Each notebook runs on its own. What a later notebook needs from an earlier one it recomputes
(preprocessing, RO and SMOTE take a second) or, for the GAN's rows, reads from ``output_dir``
when notebook 03 saved them there *with the same settings*; otherwise it trains the GAN again
with :class:`utils.GANOversampler`, which gives the same rows as notebook 03 for the same seed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tabaug.sampling.classic import classic_samplers

if TYPE_CHECKING:  # TensorFlow is imported only when a GAN must be trained (about 5 units)
    from utils.gan import GANOversampler

GAN_ROWS_FILE = "gan_augmented_train.npz"


@dataclass
class TrainingSet:
    """Training rows after augmentation; the first ``n_original`` rows are the real ones."""

    X: np.ndarray
    y: np.ndarray
    n_original: int

    @property
    def generated(self) -> np.ndarray:
        mask = np.zeros(len(self.y), dtype=bool)
        mask[self.n_original:] = True
        return mask


def gan_settings(params: dict) -> dict:
    """The parameters that determine the GAN's rows (data, split, seed and GAN settings)."""
    keys = ["data_path", "target", "positive_label", "id_columns", "seed", "train_size",
            "validation_share", "epochs", "batch_size", "learning_rate", "noise_dim"]
    return {key: params[key] for key in keys}


def settings_key(params: dict) -> str:
    """:func:`gan_settings` as one canonical string, to compare or hash saved settings."""
    return json.dumps(gan_settings(params), sort_keys=True)


def gan_checkpoint_path(output_dir, params: dict) -> Path:
    """Where notebook 03 keeps the checkpoint of a GAN trained with these settings.

    The name holds a short hash of :func:`gan_settings` (data, split, seed and GAN settings,
    epochs included), so changed settings train a new GAN into a file of their own instead of
    meeting a checkpoint saved for others, and the same settings resume their own checkpoint.
    """
    digest = hashlib.sha256(settings_key(params).encode()).hexdigest()[:12]
    return Path(output_dir) / "checkpoints" / f"gan_{digest}.npz"


def gan_oversampler(params: dict, checkpoint_dir=None, verbose=False) -> GANOversampler:
    """A :class:`GANOversampler` with the notebook's GAN settings."""
    from utils.gan import GANOversampler

    return GANOversampler(
        random_state=params["seed"], epochs=params["epochs"], batch_size=params["batch_size"],
        learning_rate=params["learning_rate"], noise_dim=params["noise_dim"],
        checkpoint_dir=checkpoint_dir, verbose=verbose,
    )


def save_gan_rows(output_dir, training_set: TrainingSet, params: dict) -> Path:
    """Save the GAN-augmented training rows with the settings that produced them."""
    path = Path(output_dir) / GAN_ROWS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, X=training_set.X, y=training_set.y, n_original=training_set.n_original,
             settings=settings_key(params))
    return path


def load_gan_rows(output_dir, params: dict):
    """The rows saved by notebook 03 for the same settings, or ``None`` if there are none."""
    path = Path(output_dir) / GAN_ROWS_FILE
    if not path.exists():
        return None
    with np.load(path) as saved:
        if str(saved["settings"]) != settings_key(params):
            return None
        return TrainingSet(saved["X"], saved["y"], int(saved["n_original"]))


def augmented_training_sets(data, params: dict, output_dir=None, verbose=False) -> dict:
    """Baseline, RO, SMOTE and GAN training sets for the prepared ``data``.

    Each sampler keeps imbalanced-learn's ``sampling_strategy="auto"``: every class smaller
    than the largest gets rows until it is as large (two classes: the minority only; the GAN:
    one per such class), and :attr:`TrainingSet.generated` marks them whatever their class.
    """
    sets = {"Baseline": TrainingSet(data.X_train, data.y_train, len(data.y_train))}
    for name, sampler in classic_samplers(params["seed"], data.y_train).items():
        X, y = sampler.fit_resample(data.X_train, data.y_train)
        sets[name] = TrainingSet(X, y, len(data.y_train))
    gan_rows = load_gan_rows(output_dir, params) if output_dir is not None else None
    if gan_rows is None:
        X, y = gan_oversampler(params, verbose=verbose).fit_resample(data.X_train, data.y_train)
        gan_rows = TrainingSet(X, y, len(data.y_train))
        if verbose:
            print("Trained the GAN with GANOversampler (no matching rows from notebook 03 found).")
    elif verbose:
        print(f"Read the GAN's rows saved by notebook 03 from {Path(output_dir) / GAN_ROWS_FILE}.")
    sets["GAN"] = gan_rows
    return sets
