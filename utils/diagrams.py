"""Diagrams that explain an idea rather than plot data: boxes and arrows drawn with matplotlib."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch

GENERATOR_COLOR = "tab:orange"
DISCRIMINATOR_COLOR = "tab:blue"
DATA_COLOR = "dimgrey"


def _box(ax, x, y, width, height, text, color):
    """A rounded box with its lower-left corner at (x, y); returns its centre."""
    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.08",
                                facecolor=color, edgecolor=color, alpha=0.18, linewidth=2))
    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.08",
                                facecolor="none", edgecolor=color, linewidth=2))
    ax.text(x + width / 2, y + height / 2, text, ha="center", va="center", fontsize=10)
    return x + width / 2, y + height / 2


def _arrow(ax, start, end, label="", color="black", dashed=False, rad=0.0, label_at=None):
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.8,
                            "linestyle": "--" if dashed else "-", "mutation_scale": 16,
                            "connectionstyle": f"arc3,rad={rad}", "shrinkA": 2, "shrinkB": 2})
    if label:
        x, y = label_at or ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        ax.text(x, y, label, ha="center", va="center", fontsize=9, color=color,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 1})


def plot_gan_game(noise_dim=15, n_features=30, batch_size=32):
    """The paper's GAN as a game: what flows from box to box in one minibatch, and which loss
    updates which network's weights.

    Noise goes through the generator to make rows; the discriminator gives real and generated
    rows a probability of being real; binary cross-entropy (BCE) against the labels 1 (real)
    and 0 (generated) is the discriminator's loss, and BCE against the label 1 on generated rows
    is the generator's. Each loss updates one network only. Returns the figure.
    """
    fig, ax = plt.subplots(figsize=(13, 6.2))
    ax.set_xlim(-0.3, 13.8)
    ax.set_ylim(-0.9, 6.6)
    ax.axis("off")

    _box(ax, 0.0, 4.1, 2.3, 1.3, f"noise z\n{batch_size} rows of {noise_dim}\nrandom numbers",
         DATA_COLOR)
    _box(ax, 3.2, 4.1, 2.6, 1.3, "generator G\nselu layers 100 ... 500\nsigmoid output",
         GENERATOR_COLOR)
    _box(ax, 3.2, 0.4, 2.6, 1.3, f"real rows x\n{batch_size} malignant training rows\n"
         f"({n_features} features)", DATA_COLOR)
    _box(ax, 6.9, 2.2, 2.5, 1.4, "discriminator D\nlinear, selu 500 ... 100\nsigmoid output",
         DISCRIMINATOR_COLOR)
    _box(ax, 10.8, 4.1, 2.8, 1.5, "generator loss\nBCE of D(G(z)) against 1\n"
         "(\"fool D\")", GENERATOR_COLOR)
    _box(ax, 10.8, 0.2, 2.8, 1.7, "discriminator loss\nBCE of D(G(z)) against 0\n"
         "and of D(x) against 1", DISCRIMINATOR_COLOR)

    _arrow(ax, (2.45, 4.75), (3.1, 4.75))
    _arrow(ax, (5.9, 4.5), (7.4, 3.7), "generated rows G(z)", label_at=(7.0, 4.4))
    _arrow(ax, (5.9, 1.2), (7.4, 2.1), "real rows x", label_at=(6.9, 1.35))
    _arrow(ax, (9.5, 3.2), (10.7, 4.3))
    ax.text(10.25, 3.35, "p(real) of generated rows", fontsize=9)
    _arrow(ax, (9.5, 2.6), (10.7, 1.6))
    ax.text(10.25, 2.3, "p(real) of real and generated rows", fontsize=9)
    _arrow(ax, (12.2, 5.75), (4.5, 5.55), "gradients update G's weights only (D is not changed)",
           color=GENERATOR_COLOR, dashed=True, rad=0.18, label_at=(8.4, 6.3))
    _arrow(ax, (10.7, 0.55), (8.1, 2.1), "gradients update\nD's weights only",
           color=DISCRIMINATOR_COLOR, dashed=True, rad=-0.3, label_at=(8.6, 0.45))

    ax.text(0.0, -0.65, "Each minibatch: (1) the discriminator step, on real and generated rows; "
            "(2) the generator step, on fresh noise.", fontsize=10)
    handles = [
        Line2D([], [], color="black", label="rows and probabilities flow"),
        Line2D([], [], color=DISCRIMINATOR_COLOR, linestyle="--",
               label="the discriminator step updates D"),
        Line2D([], [], color=GENERATOR_COLOR, linestyle="--",
               label="the generator step updates G"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.6), fontsize=9,
              frameon=False)
    ax.set_title("The GAN game: who sees what, and which loss trains which network")
    return fig
