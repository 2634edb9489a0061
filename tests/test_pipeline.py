"""The notebooks' glue for the GAN's rows: read back when notebook 03 saved them with the same
settings, trained again with ``GANOversampler`` otherwise, and the same rows either way (notebook
03 asserts that its own GAN and ``GANOversampler`` make the same rows for the same seed)."""

from __future__ import annotations

import numpy as np

from utils.pipeline import augmented_training_sets, save_gan_rows

PARAMS = {"data_path": None, "target": "diagnosis", "positive_label": None, "id_columns": None,
          "seed": 42, "train_size": 0.5, "validation_share": 0.4, "epochs": 1,
          "batch_size": 32, "learning_rate": 1e-4, "noise_dim": None}


def test_rows_are_trained_when_none_are_saved_and_read_back_when_they_are(prepared, tmp_path,
                                                                          capsys):
    trained = augmented_training_sets(prepared, PARAMS, output_dir=tmp_path, verbose=True)
    assert "Trained the GAN with GANOversampler" in capsys.readouterr().out
    gan = trained["GAN"]
    assert gan.generated.sum() == len(gan.y) - len(prepared.y_train) > 0
    save_gan_rows(tmp_path, gan, PARAMS)

    again = augmented_training_sets(prepared, PARAMS, output_dir=tmp_path, verbose=True)
    assert "Read the GAN's rows saved by notebook 03" in capsys.readouterr().out
    np.testing.assert_array_equal(again["GAN"].X, gan.X)
    # other settings (another seed) find no rows of theirs and train their own
    other = augmented_training_sets(prepared, {**PARAMS, "seed": 0}, output_dir=tmp_path)
    assert not np.array_equal(other["GAN"].X[gan.generated], gan.X[gan.generated])
    for name in ("Baseline", "RO", "SMOTE"):
        np.testing.assert_array_equal(again[name].X[:len(prepared.y_train)], prepared.X_train)
