"""The adversarial random forest (ARF): rows drawn from the leaves of a forest whose leaves make
the columns independent.

Watson, Blesch, Kapar and Wright (2023), "Adversarial random forests for density estimation and
generative modeling", AISTATS, PMLR 206: 5357-5375 (the R package ``arf``, the Python package
``arfpy``). Written here anew on scikit-learn's :class:`~sklearn.ensemble.RandomForestClassifier`,
on the encoded rows of :mod:`tabaug.generators.columns`:

1. *fake* rows are drawn column by column from the real rows (the product of the marginals),
   and a random forest learns to tell real rows from fake ones;
2. adversarial rounds: new fake rows are drawn from that forest's leaves (a tree and a leaf
   with probability proportional to its real rows, then each column independently from the
   real rows of that leaf), a new forest learns to tell them from the real rows, and so on,
   until its out-of-bag accuracy is at most ``0.5 + delta`` (the leaves then hold no
   dependence a forest can find), stops falling (``early_stop``), or ``max_iters`` rounds
   are done. The forest kept is the last one whose leaves made the fake rows;
3. leaves with fewer than ``min_node_size`` real rows are pruned (the arf package's rule: the
   parent's split is bypassed and its rows go down the sibling's subtree); in each remaining
   leaf, each column gets a density (FORDE): a numeric column a normal with the mean and
   standard deviation of the leaf's real rows truncated to the leaf's box (a side the trees left
   open closes at the class's range), or a uniform on that box; a categorical column (one
   one-hot block) the frequencies of its categories among the leaf's rows, plus ``alpha``
   for each category of the class that the box allows;
4. a new row (FORGE): a tree uniformly, a leaf of it with probability proportional to its real
   rows, then every column independently from the leaf's densities.

Why: trees cut a table where its law changes, whatever the columns' types, skew or number of
modes, so the leaves keep clusters, steps of a numeric column with a category and
non-monotone dependence, which a Gaussian copula blurs; there is no network, nothing to tune
per table, and fitting takes a few forests of 30 trees.

Categories: the forests split on the one-hot columns themselves ("this category or not"), as
the encoded rows hold them: no arbitrary order is imposed on nominal categories (splitting on
category codes would put them on a line), and a leaf's box says directly which categories it
allows. In the densities and in the fake rows a block is one variable: a category is drawn,
and written one-hot.

Measured against held-out rows (each class split in half five times, as many rows generated as
held out, ROC AUC of the two-sample test of :mod:`tabaug.fidelity.two_sample`, 0.5 =
indistinguishable), with the defaults: on the minority classes of the 12 development tables
(wdbc, haberman, appendicitis, ecoli1/3, four abalone, three wine quality; 9 to 106 training
rows) a mean of 0.666, the Gaussian copula's 0.627 (ARF's lower, better, on 4 of the 12). Better
where the law has clusters or steps (ecoli1 0.64 against 0.76, ecoli3 0.64 against 0.72;
:mod:`known_tables`' two clusters 0.52 against 0.64, mixed types 0.56 against 0.70) and worse
where many strongly correlated columns meet few rows (wdbc, 30 columns: 0.79 against 0.64; the
wine tables, 11 columns: 0.66 to 0.80 against 0.53 to 0.76): a leaf's box bounds only the few
columns its splits use, and the others are drawn independently. Memorisation: generated rows
lie about as far from their nearest training row as held-out real rows do (median ratio of the
median distances 1.00 over the development tables and splits, the copula's 1.02; exact copies
only among haberman's three integer columns, 2% of rows in two splits, as for the copula), but
a distance attack finds the training rows a little more often (membership ROC AUC 0.62, the
copula's 0.59; :func:`tabaug.fidelity.membership.membership_auc`).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.special import ndtr, ndtri
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils._param_validation import Interval, StrOptions

from tabaug.generators.base import GeneratorWarning, SmallClassWarning, TabularGenerator

__all__ = [
    "AdversarialLoopWarning", "AdversarialRandomForest", "allowed_categories", "ForestLeaves",
    "independent_columns", "leaf_boxes", "NoSplitWarning", "oob_accuracy", "pruned_children",
    "route", "truncated_normal",
]

#: The message of scikit-learn's warning when a row is in the bag of every tree; such rows
#: are left out of the out-of-bag accuracy instead.
_NO_OOB_MESSAGE = "Some inputs do not have OOB scores"


class AdversarialLoopWarning(GeneratorWarning):
    """The adversarial loop stopped at ``max_iters`` rounds while a forest could still tell
    real rows from the leaves' rows better than ``0.5 + delta``."""


class NoSplitWarning(SmallClassWarning):
    """A class had fewer than ``2 * min_node_size`` rows: no leaf can be split off, so the
    columns are drawn independently of each other."""


class AdversarialRandomForest(TabularGenerator):
    """Rows drawn from the leaves of an adversarial random forest (ARF; Watson et al. 2023).

    Unconditional: it learns one class's rows (fit it once per class, or use
    ``GenerativeOverSampler``, which does). See the module's docstring for the algorithm.

    The defaults are arfpy's (30 trees, ``delta`` 0, 10 rounds, early stop, truncated normals,
    no smoothing) except one, chosen on the development tables for small classes:
    ``min_node_size`` 3, not 5 (held-out two-sample ROC AUC 0.666 with 3, 0.676 with 2, 0.716
    with 5, 0.771 with 10, three splits each; with 2, generated rows came closer to the training
    rows than held-out rows do, median distance ratio 0.90). On seven of those tables and two
    clusters (three splits), with ``min_node_size`` 3, neither ``num_trees`` 10 or 100 (0.695,
    0.705; 30: 0.679), nor forests choosing among all columns at each split (0.699), nor two
    forced adversarial rounds (0.668, within the noise: paired differences of +-0.11) did
    clearly better, and ``family="uniform"`` did far worse (0.84). ``alpha`` stays 0: 0.1 or
    0.5 changed the four abalone tables' AUC by 0.002 to 0.005 (noise), but in leaves of three
    rows it blurs a numeric column's step with a category (``known_tables.mixed_types``:
    ``value``'s spread in group c 0.89-1.11 with 0.1, 0.84-0.93 with 0, real 0.75). Fitting 200
    rows of 10 columns takes about 0.25 seconds on one core (two forests: the loop usually
    stops after one round); sampling 1000 rows, 0.01.

    Parameters
    ----------
    num_trees : int >= 1, default=30
        Trees of each forest (the arfpy default).
    min_node_size : int >= 2, default=3
        The fewest real rows a leaf keeps (smaller leaves are pruned), and scikit-learn's
        ``min_samples_leaf`` of the forests (counting real and fake rows). Smaller leaves follow
        the training rows more closely, down to reproducing them; 1 would copy them and is
        refused. A class with fewer than ``2 * min_node_size`` rows cannot be split: its
        columns are drawn independently (with a :class:`NoSplitWarning`).
    delta : float in [0, 0.5], default=0
        The loop stops when the forest's out-of-bag accuracy is at most ``0.5 + delta``.
    max_iters : int >= 0, default=10
        The most adversarial rounds after the first forest; stopping there above the target
        accuracy (while the accuracy still fell) earns an :class:`AdversarialLoopWarning`.
    early_stop : bool, default=True
        Stop when a round's accuracy is not lower than the previous round's (more rounds
        would not help).
    family : {"truncnorm", "uniform"}, default="truncnorm"
        The density of a numeric column in a leaf: a normal with the leaf's mean and standard
        deviation truncated to the leaf's box, or uniform on the box.
    alpha : float >= 0, default=0
        Pseudo-count added to each category a leaf's box allows (among those of the class),
        so that a leaf can make categories its few rows do not show.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the fake rows and the forests when fitting; sampling continues its own stream
        from it (see :meth:`TabularGenerator.sample`).

    Attributes
    ----------
    forest_ : RandomForestClassifier or None
        The forest whose leaves are kept (before pruning; real rows are class 1, fake rows 0);
        None when the class was too small to split.
    leaves_ : ForestLeaves
        The pruned leaves of all trees and their densities: what :meth:`sample` draws from.
    accuracies_ : list of float
        The out-of-bag accuracy of each forest of the loop, the first forest's first.
    n_iter_ : int
        The adversarial rounds run (forests trained after the first).
    stop_reason_ : str
        Why the loop stopped: "target" (accuracy at most ``0.5 + delta``), "plateau" (it
        stopped falling), "max_iters", or "no split" (too few rows to train forests).
    class_low_, class_high_ : ndarray of shape (n_numeric,)
        Each numeric column's smallest and largest encoded value in the class: where a box
        the trees left open is closed.

    Notes
    -----
    A leaf holds at least ``min_node_size`` training rows, and its numeric densities are narrow
    when its box is; rows made from it are new values, not copies, but they stay close to
    those rows: check them with :mod:`tabaug.fidelity.report` (memorisation) before sharing.
    One row is not a table to learn from: the encoder gives it back (its columns are all
    constant); with an encoder fitted on more rows, its every generated row is a copy of it.

    The loop rarely runs long: out-of-bag accuracy is biased below 0.5 when real and fake rows
    are alike, so with ``delta`` 0 it mostly stops after zero or one round, at "target" (on the
    development tables, always).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.generators.arf import AdversarialRandomForest
    >>> rng = np.random.default_rng(0)
    >>> group = rng.choice(["a", "b"], 60)
    >>> size = np.where(group == "a", 10.0, 20.0) + rng.normal(0, 1, 60)
    >>> rows = pd.DataFrame({"group": group, "size": size.round(1)})
    >>> arf = AdversarialRandomForest(random_state=0).fit(rows)
    >>> arf.stop_reason_, [round(accuracy, 2) for accuracy in arf.accuracies_]
    ('target', [0.6, 0.32])
    >>> arf.sample(3)
      group  size
    0     a   9.9
    1     a   9.9
    2     b  18.7
    >>> arf.sample(1000).groupby("group")["size"].agg(["mean", "std"]).round(1)  # as the rows'
           mean  std
    group
    a      10.2  1.0
    b      20.2  1.1
    >>> arf.sample(3, random_state=1).equals(arf.sample(3, random_state=1))
    True
    """

    _parameter_constraints: dict = {
        **TabularGenerator._parameter_constraints,
        "num_trees": [Interval(numbers.Integral, 1, None, closed="left")],
        "min_node_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "delta": [Interval(numbers.Real, 0, 0.5, closed="both")],
        "max_iters": [Interval(numbers.Integral, 0, None, closed="left")],
        "early_stop": ["boolean"],
        "family": [StrOptions({"truncnorm", "uniform"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(self, *, num_trees=30, min_node_size=3, delta=0.0, max_iters=10,
                 early_stop=True, family="truncnorm", alpha=0.0, random_state=None):
        self.num_trees = num_trees
        self.min_node_size = min_node_size
        self.delta = delta
        self.max_iters = max_iters
        self.early_stop = early_stop
        self.family = family
        self.alpha = alpha
        self.random_state = random_state

    # --- fitting ------------------------------------------------------------------------------
    def _fit_encoded(self, Z, layout, y, seed):
        """The adversarial loop, the pruning and the leaves' densities on the rows ``Z``."""
        Z = np.asarray(Z, dtype="float64")
        n_rows = len(Z)
        numeric = Z[:, :layout.n_numeric]
        self.class_low_, self.class_high_ = numeric.min(axis=0), numeric.max(axis=0)
        self.accuracies_, self.n_iter_, self.forest_ = [], 0, None
        if n_rows < 2 * self.min_node_size:
            warnings.warn(
                f"The class has {n_rows} row(s), fewer than 2 * min_node_size = "
                f"{2 * self.min_node_size}: no tree can split them into leaves of "
                f"min_node_size rows, so each column is drawn independently of the others "
                f"(from all {n_rows} rows). Lower min_node_size (2 at least) to keep the "
                "dependence between columns, or give more rows.", NoSplitWarning, stacklevel=3)
            self.stop_reason_ = "no split"
            assignments = np.zeros((n_rows, 1), dtype="int64")
            self.leaves_ = ForestLeaves.estimate(
                Z, layout, assignments, [np.full((1, Z.shape[1], 2), [-np.inf, np.inf])],
                self.class_low_, self.class_high_, self.alpha)
            return self
        fake_rng = np.random.default_rng([seed, 0])
        forest_seeds = np.random.default_rng([seed, 1]).integers(
            np.iinfo(np.int32).max, size=self.max_iters + 1)
        fake = independent_columns(Z, layout, np.zeros((n_rows, 1), dtype="int64"), n_rows,
                                   fake_rng)
        forest, accuracy = self._discriminate(Z, fake, forest_seeds[0])
        self.accuracies_ = [accuracy]
        target = 0.5 + self.delta
        self.stop_reason_ = "target" if accuracy <= target else "max_iters"
        while accuracy > target and self.n_iter_ < self.max_iters:
            trees = [pruned_children(tree.tree_, tree.apply(Z.astype("float32")),
                                     self.min_node_size) for tree in forest.estimators_]
            assignments = np.column_stack([route(tree, Z) for tree in trees])
            fake = independent_columns(Z, layout, assignments, n_rows, fake_rng)
            challenger, new_accuracy = self._discriminate(Z, fake, forest_seeds[self.n_iter_ + 1])
            self.n_iter_ += 1
            self.accuracies_.append(new_accuracy)
            if new_accuracy <= target:
                self.stop_reason_ = "target"
                break
            if self.early_stop and new_accuracy >= accuracy:
                self.stop_reason_ = "plateau"
                break
            if self.n_iter_ >= self.max_iters:
                break  # the challenger's leaves were never tested: keep the forest that was
            forest, accuracy = challenger, new_accuracy
        if self.stop_reason_ == "max_iters":
            warnings.warn(
                f"The adversarial loop stopped after max_iters={self.max_iters} round(s) with "
                f"an out-of-bag accuracy of {self.accuracies_[-1]:.3f}, above the target "
                f"0.5 + delta = {target:.3f} (accuracies by round: "
                f"{[round(a, 3) for a in self.accuracies_]}): a forest can still tell the "
                "leaves' rows from the real ones. Raise max_iters or delta, and check the rows "
                "with tabaug.fidelity.report.", AdversarialLoopWarning, stacklevel=3)
        self.forest_ = forest
        self.leaves_ = self._leaves_of(forest, Z, layout)
        return self

    def _discriminate(self, Z, fake, seed):
        """A forest telling the real rows (1) from ``fake`` (0), and its out-of-bag accuracy."""
        forest = RandomForestClassifier(
            n_estimators=self.num_trees, min_samples_leaf=self.min_node_size, oob_score=True,
            random_state=int(seed), n_jobs=1)
        X = np.vstack([Z, fake]).astype("float32")
        labels = np.r_[np.ones(len(Z)), np.zeros(len(fake))]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_NO_OOB_MESSAGE, category=UserWarning)
            forest.fit(X, labels)
        return forest, oob_accuracy(forest.oob_decision_function_, labels)

    def _leaves_of(self, forest, Z, layout):
        """The pruned leaves of every tree of ``forest`` and their densities on ``Z``."""
        X = Z.astype("float32")
        trees = [pruned_children(tree.tree_, tree.apply(X), self.min_node_size)
                 for tree in forest.estimators_]
        assignments = np.column_stack([route(tree, Z) for tree in trees])
        boxes = [leaf_boxes(tree, Z.shape[1])[np.unique(column)]
                 for tree, column in zip(trees, assignments.T)]
        compact = np.column_stack([np.unique(column, return_inverse=True)[1]
                                   for column in assignments.T])
        return ForestLeaves.estimate(Z, layout, compact, boxes, self.class_low_,
                                     self.class_high_, self.alpha)

    # --- sampling -----------------------------------------------------------------------------
    def _sample_encoded(self, n_samples, y, rng):
        """FORGE: a leaf per row (a tree uniformly, a leaf by its real rows), then each column
        from the leaf's density."""
        return self.leaves_.sample(n_samples, self.family, rng)


class ForestLeaves:
    """The leaves of a forest's trees and each column's density in each, in flat arrays.

    Leaf ``i`` holds ``counts[i]`` real rows of tree ``tree[i]``; a tree's leaves partition its
    rows, so picking a leaf with probability ``counts / counts.sum()`` picks a tree uniformly and
    then a leaf by its real rows.

    Attributes
    ----------
    counts : ndarray of shape (n_leaves,)
        Real rows per leaf.
    tree : ndarray of shape (n_leaves,)
        The tree of each leaf.
    mean, std, low, high : ndarray of shape (n_leaves, n_numeric)
        Per leaf and numeric column: mean and standard deviation of its real rows (0 with one
        row), and its box closed at the class's range.
    probabilities : list of ndarray of shape (n_leaves, block_size)
        Per categorical block, the leaf's category probabilities.
    blocks : tuple of (start, stop)
        The blocks' columns in the encoded rows.
    """

    def __init__(self, counts, tree, mean, std, low, high, probabilities, blocks):
        self.counts, self.tree, self.mean, self.std = counts, tree, mean, std
        self.low, self.high, self.probabilities, self.blocks = low, high, probabilities, blocks

    @classmethod
    def estimate(cls, Z, layout, assignments, boxes, class_low, class_high, alpha):
        """FORDE: the densities of the leaves given by ``assignments`` (n_rows, n_trees; each
        column a tree's leaf of each row, numbered 0.. without gaps) and ``boxes`` (per tree,
        (n_leaves_of_tree, width, 2) lower and upper bounds)."""
        n_rows, n_trees = assignments.shape
        sizes = assignments.max(axis=0) + 1
        offsets = np.r_[0, np.cumsum(sizes)[:-1]]
        leaf = (assignments + offsets).ravel()  # row-major: row r, tree t at r * n_trees + t
        rows = np.repeat(np.arange(n_rows), n_trees)
        n_leaves = int(sizes.sum())
        counts = np.bincount(leaf, minlength=n_leaves).astype("float64")
        box = np.concatenate(boxes)
        k = layout.n_numeric
        mean = np.empty((n_leaves, k))
        std = np.zeros((n_leaves, k))
        for j in range(k):
            values = Z[rows, j]
            mean[:, j] = np.bincount(leaf, values, n_leaves) / counts
            squares = np.bincount(leaf, (values - mean[leaf, j]) ** 2, n_leaves)
            std[:, j] = np.sqrt(squares / np.maximum(counts - 1, 1))
        low = np.maximum(box[:, :k, 0], class_low)
        high = np.minimum(box[:, :k, 1], class_high)
        low, high = np.minimum(low, mean), np.maximum(high, mean)  # against rounding
        probabilities = []
        for start, stop in layout.blocks:
            size = stop - start
            codes = np.argmax(Z[:, start:stop], axis=1)
            frequency = np.bincount(leaf * size + codes[rows], minlength=n_leaves * size)
            frequency = frequency.reshape(n_leaves, size).astype("float64")
            allowed = allowed_categories(box[:, start:stop]) & (np.bincount(
                codes, minlength=size) > 0)
            weights = frequency + alpha * allowed
            probabilities.append(weights / weights.sum(axis=1, keepdims=True))
        tree = np.repeat(np.arange(n_trees), sizes)
        return cls(counts, tree, mean, std, low, high, probabilities, tuple(layout.blocks))

    def sample(self, n_samples, family, rng):
        """``n_samples`` encoded rows: a leaf each (by its real rows), each column from it."""
        leaf = rng.choice(len(self.counts), size=n_samples, p=self.counts / self.counts.sum())
        k = self.mean.shape[1]
        low, high = self.low[leaf], self.high[leaf]
        uniform = rng.random((n_samples, k))
        if family == "uniform":
            numeric = low + uniform * (high - low)
        else:
            numeric = truncated_normal(self.mean[leaf], self.std[leaf], low, high, uniform)
        parts = [numeric]
        for probabilities in self.probabilities:
            cumulative = np.cumsum(probabilities[leaf], axis=1)
            u = rng.random((n_samples, 1)) * cumulative[:, -1:]
            codes = np.minimum((cumulative <= u).sum(axis=1), cumulative.shape[1] - 1)
            block = np.zeros_like(cumulative)
            block[np.arange(n_samples), codes] = 1.0
            parts.append(block)
        return np.column_stack(parts)


# --- the forests' trees -----------------------------------------------------------------------
def oob_accuracy(decision, labels):
    """Out-of-bag accuracy from a forest's ``oob_decision_function_`` (rows, 2 classes): rows
    no tree left out are skipped, ties count half."""
    has_vote = decision.sum(axis=1) > 0
    real_vote = decision[has_vote, 1] - decision[has_vote, 0]
    truth = labels[has_vote] == 1
    correct = np.where(real_vote == 0, 0.5, (real_vote > 0) == truth)
    return float(correct.mean()) if len(correct) else 1.0


def pruned_children(tree, leaf_of_rows, min_node_size):
    """A tree's structure with every leaf of fewer than ``min_node_size`` real rows pruned.

    The arf package's rule: a pruned leaf's parent sends both ways to the leaf's sibling (its
    split is bypassed), and a parent whose two children are pruned is pruned in turn; the root
    is never pruned. ``tree`` is a scikit-learn ``Tree``; ``leaf_of_rows`` its leaf of each real
    row (``apply``). Returns ``(left, right, feature, threshold)``, copies, ``left == -1`` at
    the leaves; route rows through them with :func:`route`.
    """
    left, right = tree.children_left.copy(), tree.children_right.copy()
    counts = np.bincount(leaf_of_rows, minlength=tree.node_count)
    to_prune = np.flatnonzero((left == -1) & (counts < min_node_size))
    while len(to_prune) and 0 not in to_prune:
        for node in to_prune:
            parent = np.flatnonzero(left == node)
            if len(parent):
                left[parent] = right[parent]
            else:
                parent = np.flatnonzero(right == node)
                right[parent] = left[parent]
        to_prune = np.flatnonzero(np.isin(left, to_prune) & (left == right))
    return left, right, tree.feature.copy(), tree.threshold.copy()


def route(tree, Z):
    """The leaf (node number) of each row of ``Z`` in a tree ``(left, right, feature,
    threshold)``: left when the value is at most the threshold, as scikit-learn goes."""
    left, right, feature, threshold = tree
    node = np.zeros(len(Z), dtype="int64")
    active = np.flatnonzero(left[node] != -1)
    X = np.asarray(Z, dtype="float32")
    while len(active):
        current = node[active]
        goes_left = X[active, feature[current]] <= threshold[current]
        node[active] = np.where(goes_left, left[current], right[current])
        active = active[left[node[active]] != -1]
    return node


def leaf_boxes(tree, width):
    """Each node's box (node_count, width, 2: lower, upper; rows of a node have lower < value
    <= upper) in a tree ``(left, right, feature, threshold)``: the root's is unbounded, a split
    bounds its two children, a bypassed split (both ways to one child) bounds nothing."""
    left, right, feature, threshold = tree
    box = np.empty((len(left), width, 2))
    box[0, :, 0], box[0, :, 1] = -np.inf, np.inf
    stack = [0]
    while stack:
        node = stack.pop()
        if left[node] == -1:
            continue
        children = {left[node], right[node]}
        for child in children:
            box[child] = box[node]
            stack.append(child)
        if len(children) == 2:
            box[left[node], feature[node], 1] = threshold[node]
            box[right[node], feature[node], 0] = threshold[node]
    return box


def allowed_categories(box):
    """Which categories of a one-hot block each box allows (n_boxes, block_size, 2 -> bool):
    category c's row (1 in column c, 0 elsewhere) must lie in the box."""
    zero_in = (box[:, :, 0] < 0) & (box[:, :, 1] >= 0)
    one_in = (box[:, :, 0] < 1) & (box[:, :, 1] >= 1)
    others_zero = zero_in.sum(axis=1, keepdims=True) - zero_in  # the other columns' zeros fit
    return one_in & (others_zero == box.shape[1] - 1)


# --- drawing ----------------------------------------------------------------------------------
def independent_columns(Z, layout, assignments, n_samples, rng):
    """Fake rows of the adversarial loop: for each, a tree uniformly and a real row uniformly
    give a leaf; then every numeric column and every block is copied from a real row of that
    leaf drawn independently (with one leaf for all rows: the product of the marginals)."""
    n_rows, n_trees = assignments.shape
    sizes = assignments.max(axis=0) + 1
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    leaf = (assignments + offsets).ravel()
    order = np.argsort(leaf, kind="stable")
    counts = np.bincount(leaf)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    chosen = leaf[rng.integers(n_rows * n_trees, size=n_samples)]
    groups = [[j] for j in range(layout.n_numeric)]
    groups += [list(range(start, stop)) for start, stop in layout.blocks]
    fake = np.empty((n_samples, Z.shape[1]))
    for columns in groups:
        member = starts[chosen] + rng.integers(counts[chosen])
        fake[:, columns] = Z[order[member] // n_trees][:, columns]
    return fake


def truncated_normal(mean, std, low, high, uniform):
    """Draws of normals ``(mean, std)`` truncated to ``[low, high]`` by the inverse
    distribution function at ``uniform`` (arrays of one shape); ``std`` 0 gives the mean.
    The mean lies in its interval (it is the mean of rows inside it), so neither bound is far
    in a tail and the normal probabilities stay accurate."""
    scale = np.where(std > 0, std, 1.0)
    a = ndtr((low - mean) / scale)
    b = ndtr((high - mean) / scale)
    p = np.clip(a + uniform * (b - a), 1e-300, 1 - 1e-16)
    draws = np.clip(mean + scale * ndtri(p), low, high)
    return np.where(std > 0, draws, mean)
