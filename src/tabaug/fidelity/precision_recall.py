"""Alpha-precision, beta-recall and authenticity (Alaa, van Breugel, Saveliev and van der
Schaar, "How faithful is your synthetic data? Sample-level metrics for evaluating and auditing
generative models", ICML 2022).

- **alpha-precision** (fidelity): the share ``P(alpha)`` of generated rows that fall in the
  ``alpha``-support of the real rows, the smallest region holding a share ``alpha`` of them. A
  faithful generator gives ``P(alpha) = alpha`` for every ``alpha``; ``IP_alpha = 1 - 2 * the
  integral of |P(alpha) - alpha|`` summarises the curve (1 = ideal, 0 = worst): rows off the
  real support (a shifted generator) and rows piled in its most typical part both lower it.
- **beta-recall** (diversity): the share ``R(beta)`` of real rows that have a generated row of
  the ``beta``-support of the generated rows nearby; ``IR_beta`` summarises it in the same way.
  A mode-collapsed generator covers few real rows: low ``IR_beta``.
- **authenticity** (generalisation): the share of generated rows that are not copies: a
  generated row is unauthentic when it is closer to its nearest training row than that
  training row is to its own nearest other training row.

Which version: the paper maps rows into a one-class embedding (a network trained so that the
real rows' ``alpha``-supports are balls around one centre). This module implements the version
in the raw, scaled feature space that synthcity (the authors' library) reports as the "naive"
one: the ``alpha``-support of a set of rows is the ball around their mean holding a share
``alpha`` of them. Why: a one-class network needs a deep-learning stack (the toolkit's core has
none) and is one more model to train, tune and seed on the same few hundred rows, whose
choices would move the scores; the raw space is the one of the project's other distances
(DCR, :func:`closer_to_training <tabaug.fidelity.held_out.closer_to_training>`). The cost: the
balls assume one mode, so on a multi-modal law ``P(alpha)`` is only roughly ``alpha`` for real
rows too; always read the values beside the real-versus-real baseline of :func:`faithfulness`.

Estimation follows the authors' code (synthcity's ``AlphaPrecision``) except where it departs
from the paper's definitions, so values differ a little from synthcity's: authenticity is a
share of *generated* rows, each judged by its own nearest training row (synthcity's code pairs
a generated row's index with a real row's distance); and the generated ``beta``-support is the
share ``beta`` of *all* generated rows nearest their mean. As in the authors' code, a real row
is recalled at ``beta`` when its nearest generated row lies within the real row's
``k``-nearest-neighbour ball among real rows and in the generated ``beta``-support, with
``k = 5`` as Naeem et al. (2020) advise for the same ball test (their "coverage", which is
``R(1)``): with the authors' ``k = 1`` even a perfect generator recalls only about half of the
real rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from tabaug.fidelity.held_out import checked_groups

__all__ = [
    "alpha_precision_beta_recall", "authenticity", "faithfulness", "FAITHFULNESS_SOURCES",
    "N_ALPHAS", "N_NEIGHBOURS",
]

#: Points of the alpha (and beta) grid from 0 to 1, as in the authors' code.
N_ALPHAS = 30
#: ``k`` of the k-nearest-neighbour balls of beta-recall (Naeem et al. 2020's advice).
N_NEIGHBOURS = 5
#: Row names of :func:`faithfulness`: real rows (the baseline), then the generated rows.
FAITHFULNESS_SOURCES = ("Real (baseline)", "Generated")


def _integrated(curve, grid) -> float:
    """``1 - 2 * integral of |curve - grid|`` over the grid (trapezoids): 1 when the curve is
    the diagonal, 0 when it sits at 0 or 1 throughout."""
    return float(1 - 2 * np.trapezoid(np.abs(curve - grid), grid))


def _to_centre(rows, centre) -> np.ndarray:
    return np.linalg.norm(rows - centre, axis=1)


def alpha_precision_beta_recall(real_rows, synthetic, n_alphas=N_ALPHAS,
                                n_neighbors=N_NEIGHBOURS) -> dict:
    """Alpha-precision and beta-recall curves of generated rows against real rows, and their
    integrated summaries ``IP_alpha`` and ``IR_beta``.

    Parameters
    ----------
    real_rows : array-like of shape (n_real, n_features)
        The real rows; at least ``n_neighbors + 1``. To judge fidelity without rewarding
        copies, give rows the generator never saw (as :func:`faithfulness` does).
    synthetic : array-like of shape (n_synthetic, n_features)
        The generated rows, with the same features. ``R(beta)`` grows with their number: compare
        sources with the same number of rows.
    n_alphas : int, default=N_ALPHAS
        Points of the grid of ``alpha`` (and ``beta``) from 0 to 1.
    n_neighbors : int, default=N_NEIGHBOURS
        ``k`` of the real rows' k-nearest-neighbour balls of beta-recall.

    Returns
    -------
    dict
        ``ip_alpha`` and ``ir_beta`` (floats, 1 = ideal), ``alphas`` (the grid) and the curves
        ``alpha_precision`` and ``beta_recall`` (arrays over the grid).

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.precision_recall import alpha_precision_beta_recall
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(200, 2))
    >>> sources = {"same law": rng.normal(size=(200, 2)),
    ...            "collapsed": rng.normal(scale=0.05, size=(200, 2)),
    ...            "shifted": rng.normal(size=(200, 2)) + 3.0}
    >>> for name, rows in sources.items():
    ...     scores = alpha_precision_beta_recall(real, rows)
    ...     print(f"{name}: {scores['ip_alpha']:.2f} {scores['ir_beta']:.2f}")
    same law: 0.95 0.97
    collapsed: 0.02 0.00
    shifted: 0.01 0.01
    """
    real, synthetic = checked_groups({"real_rows": real_rows, "synthetic": synthetic})
    checked_groups({"real_rows": real}, min_rows=n_neighbors + 1)
    alphas = np.linspace(0.0, 1.0, n_alphas)
    # alpha-precision: generated rows inside the real rows' alpha-balls around their mean
    real_centre = real.mean(axis=0)
    radii = np.quantile(_to_centre(real, real_centre), alphas)
    precision = (_to_centre(synthetic, real_centre)[None, :] <= radii[:, None]).mean(axis=1)
    # beta-recall: real rows whose nearest generated row is in their k-NN ball and in the
    # generated rows' beta-support
    support = _to_centre(synthetic, synthetic.mean(axis=0))
    support_radii = np.quantile(support, alphas)
    # (k-d trees compute distances exactly, so that a copy is at distance 0: see
    # distance_to_closest)
    balls = NearestNeighbors(n_neighbors=n_neighbors + 1, algorithm="kd_tree").fit(real)
    balls = balls.kneighbors(real)[0][:, -1]  # the k-th nearest other real row
    distance, nearest = (NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(synthetic)
                         .kneighbors(real))
    covered = distance[:, 0] <= balls
    recall = (covered[None, :] & (support[nearest[:, 0]][None, :] <= support_radii[:, None])
              ).mean(axis=1)
    return {"ip_alpha": _integrated(precision, alphas), "ir_beta": _integrated(recall, alphas),
            "alphas": alphas, "alpha_precision": precision, "beta_recall": recall}


def authenticity(train_rows, synthetic) -> float:
    """Share of generated rows that are authentic, i.e. not copies of a training row.

    A generated row is unauthentic when its distance to its nearest training row is at most
    that training row's distance to its own nearest other training row (Alaa et al. 2022): it
    sits closer to a training row than real rows do to each other there. A memorising generator
    scores near 0. A perfect generator does not score 1: fresh rows of the law also fall that
    close now and then, about as often as real rows the generator never saw (the baseline of
    :func:`faithfulness`).

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on; at least two.
    synthetic : array-like of shape (n_synthetic, n_features)
        The generated rows.

    Returns
    -------
    float
        The share of authentic generated rows, from 0 to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from tabaug.fidelity.precision_recall import authenticity
    >>> rng = np.random.default_rng(0)
    >>> train = rng.normal(size=(200, 3))
    >>> round(authenticity(train, rng.normal(size=(200, 3))), 2)  # fresh rows of the law
    0.37
    >>> round(authenticity(train, train + rng.normal(scale=0.01, size=train.shape)), 2)
    0.0
    """
    train, synthetic = checked_groups({"train_rows": train_rows, "synthetic": synthetic})
    checked_groups({"train_rows": train}, min_rows=2)
    search = NearestNeighbors(n_neighbors=2, algorithm="kd_tree").fit(train)
    train_gap = search.kneighbors(train)[0][:, 1]  # to the nearest *other* training row
    distance, nearest = search.kneighbors(synthetic, n_neighbors=1)
    return float(np.mean(distance[:, 0] > train_gap[nearest[:, 0]]))


def faithfulness(train_rows, held_out_rows, synthetic, n_alphas=N_ALPHAS,
                 n_neighbors=N_NEIGHBOURS, random_state=0) -> pd.DataFrame:
    """``IP_alpha``, ``IR_beta`` and authenticity of generated rows beside real rows' values.

    Precision and recall are measured against the held-out rows, which the generator never saw
    (copying training rows earns nothing there), and authenticity against the training rows,
    whose copies it detects. The baseline row is what a perfect generator gets on these
    samples: training rows against the held-out rows for precision and recall, held-out rows
    against the training rows for authenticity. Recall grows with the number of rows compared,
    so the generated and the training rows are both drawn down (without replacement, seeded)
    to the smaller of their two numbers for precision and recall.

    Parameters
    ----------
    train_rows : array-like of shape (n_train, n_features)
        The rows the generator was trained on.
    held_out_rows : array-like of shape (n_held_out, n_features)
        Real rows it never saw; at least ``n_neighbors + 1``.
    synthetic : array-like of shape (n_synthetic, n_features)
        The generated rows.
    n_alphas, n_neighbors : int
        Go to :func:`alpha_precision_beta_recall`.
    random_state : int, default=0
        Seeds the draws of rows.

    Returns
    -------
    DataFrame
        Rows :data:`FAITHFULNESS_SOURCES` (the index ``source``); columns ``ip_alpha``,
        ``ir_beta``, ``authenticity`` and ``rows`` (the rows compared for precision and
        recall).

    Examples
    --------
    Copies of training rows are as precise and recalled as real rows, but not authentic:

    >>> import numpy as np
    >>> from tabaug.fidelity.precision_recall import faithfulness
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.normal(size=(150, 3)), rng.normal(size=(150, 3))
    >>> copies = train + rng.normal(scale=0.01, size=train.shape)
    >>> faithfulness(train, held_out, copies).round(2)
                     ip_alpha  ir_beta  authenticity  rows
    source
    Real (baseline)       0.9     0.91          0.37   150
    Generated             0.9     0.90          0.00   150
    """
    train, held_out, synthetic = checked_groups(
        {"train_rows": train_rows, "held_out_rows": held_out_rows, "synthetic": synthetic})
    n = min(len(train), len(synthetic))
    rng = np.random.default_rng(random_state)
    real_draw = train[rng.choice(len(train), n, replace=False)]
    generated_draw = synthetic[rng.choice(len(synthetic), n, replace=False)]
    rows = []
    for reference, authentic_rows in [(real_draw, held_out), (generated_draw, synthetic)]:
        scores = alpha_precision_beta_recall(held_out, reference, n_alphas, n_neighbors)
        rows.append({"ip_alpha": scores["ip_alpha"], "ir_beta": scores["ir_beta"],
                     "authenticity": authenticity(train, authentic_rows), "rows": n})
    return pd.DataFrame(rows, index=pd.Index(FAITHFULNESS_SOURCES, name="source"))
