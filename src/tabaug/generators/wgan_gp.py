"""The project's better GAN: a Wasserstein GAN with gradient penalty (notebook 07).

The same networks and loop as the paper's GAN (:class:`~tabaug.generators.paper_gan.PaperGAN`),
with the game of Gulrajani et al. (2017), "Improved training of Wasserstein GANs": a critic that
scores rows, five critic steps per generator step, a gradient penalty, Adam with beta_1=0.5 and
beta_2=0.9; small leaky-ReLU networks; and enough epochs for about
:data:`~tabaug.generators.paper_gan.TARGET_UPDATES` generator updates whatever the class size.
"""

from __future__ import annotations

from tabaug.generators.paper_gan import PaperGAN

__all__ = ["WGANGP"]


class WGANGP(PaperGAN):
    """A WGAN-GP learning the rows of one class; the parameters are :class:`PaperGAN`'s.

    Defaults, by rule rather than tuned to one table: noise of 32 values, two hidden layers of
    128 leaky-ReLU units in each network, learning rate 1e-4, minibatches of 32 (all the rows
    of a smaller class), ``epochs=None``: as many epochs as give about 1000 generator updates
    (334 on WDBC's 106 malignant training rows, three minibatches per epoch), and
    ``scaling="quantile"``: each numeric column mapped to a standard normal through its
    quantiles, which suits skewed and multi-modal columns alike. Notebook 07's setting for
    WDBC, ``tabaug.generators.settings.WGAN_GP_SETTINGS``, uses ``scaling="log"`` instead.
    """

    def __init__(self, *, noise_dim=32, generator_units=(128, 128),
                 discriminator_units=(128, 128), epochs=None, batch_size=32,
                 learning_rate=1e-4, linear_input=False, activation="leaky_relu",
                 loss="wgan-gp", critic_steps=5, scaling="quantile", checkpoint_dir=None,
                 verbose=False, random_state=None):
        super().__init__(
            noise_dim=noise_dim, generator_units=generator_units,
            discriminator_units=discriminator_units, epochs=epochs, batch_size=batch_size,
            learning_rate=learning_rate, linear_input=linear_input, activation=activation,
            loss=loss, critic_steps=critic_steps, scaling=scaling,
            checkpoint_dir=checkpoint_dir, verbose=verbose, random_state=random_state)
