"""How the better GAN's training length was chosen, on training and validation rows only.

Usage: python scripts/select_better_gan.py [--seed 42] [--epochs 50 100 ...]

Trains ``GANOversampler(**WGAN_GP_SETTINGS)`` on the training rows of one split, resuming from
its checkpoint to train longer and longer, and after each length measures its malignant rows:
the classifier two-sample test against the training malignant rows (C2ST ROC AUC), and their
median distance to the closest training malignant row relative to that of the real *validation*
malignant rows. No test row is read. Too short, and a classifier tells the rows apart; too long,
and the rows drift towards copies of training patients. The rule picks, among the lengths that
meet both targets, the one whose C2ST ROC AUC is closest to 0.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabaug.data.preprocessing import prepare_data  # noqa: E402
from tabaug.fidelity.report import target_check  # noqa: E402
from tabaug.sampling.classic import new_rows  # noqa: E402
from tabaug.sampling.gan_oversampler import WGAN_GP_SETTINGS, GANOversampler  # noqa: E402

DEFAULT_EPOCHS = [34, 67, 134, 200, 267, 334, 434, 534, 667]


def fidelity_by_length(seed, epochs_list):
    data = prepare_data(seed=seed, verbose=False)
    train_rows = data.X_train[data.y_train == 1]
    held_out_rows = data.X_val[data.y_val == 1]
    rows = []
    with tempfile.TemporaryDirectory() as checkpoints:
        for epochs in sorted(epochs_list):
            sampler = GANOversampler(**{**WGAN_GP_SETTINGS, "epochs": epochs}, random_state=seed,
                                     checkpoint_dir=checkpoints)
            generated = new_rows(sampler, data.X_train, data.y_train, len(train_rows))
            rows.append({"epochs": epochs, "updates": len(sampler.histories_[1]),
                         **target_check(train_rows, held_out_rows, generated)})
    return pd.DataFrame(rows).set_index("epochs")


def choose(table):
    """Among the lengths on target, the one whose C2ST ROC AUC is closest to 0.5."""
    on_target = table[table["on_target"]]
    if on_target.empty:
        return None
    return int((on_target["c2st_auc"] - 0.5).abs().idxmin())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, nargs="+", default=DEFAULT_EPOCHS)
    args = parser.parse_args(argv)
    table = fidelity_by_length(args.seed, args.epochs)
    print(table.round(3).to_string())
    chosen = choose(table)
    print(f"Chosen: epochs={chosen} (WGAN_GP_SETTINGS has epochs={WGAN_GP_SETTINGS['epochs']})"
          if chosen else "No length meets both targets.")


if __name__ == "__main__":
    main()
