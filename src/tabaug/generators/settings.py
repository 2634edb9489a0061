"""Named settings of the GAN generators, importable without TensorFlow (a study names them in
its main process, and trains in its workers)."""

__all__ = ["WGAN_GP_SETTINGS"]

#: The project's better GAN for WDBC (notebook 07): ``GANOversampler(**WGAN_GP_SETTINGS)``. A
#: Wasserstein GAN with gradient penalty on log-scaled rows, with small leaky-ReLU networks and
#: about 1000 generator updates on WDBC's 106 training malignant rows. Chosen on the training
#: and validation rows of the seed-42 split only (``scripts/select_better_gan.py``). For other
#: tables, ``GenerativeOverSampler(generator="wgan-gp")`` sets its epochs and scaling by rule.
WGAN_GP_SETTINGS = {
    "loss": "wgan-gp",
    "scaling": "log",
    "activation": "leaky_relu",
    "noise_dim": 32,
    "generator_units": (128, 128),
    "discriminator_units": (128, 128),
    "linear_input": False,
    "learning_rate": 1e-4,
    "batch_size": 32,
    "epochs": 334,
}
