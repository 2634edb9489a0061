"""A conditional Wasserstein GAN that learns every class of a table at once.

One generator makes rows of any class: its input is noise concatenated with the one-hot class,
and its critic scores a row concatenated with its one-hot class (Mirza & Osindero 2014,
"Conditional Generative Adversarial Nets"). Trained once on the rows of all classes, the
layers that make a row are shared by the classes, so a class of 15 rows can borrow the
structure (ranges, correlations, categories) it has in common with the others, where a GAN
fitted on its 15 rows alone has nothing else to learn from.

Two ideas come from CTGAN (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN"):
*training-by-sampling*, here applied to the class: each minibatch first draws the class of
every row, with probabilities proportional to the log of the class counts, then a real row of
that class, so that small classes are seen more often than their share; and a critic that
compares a generated row with real rows of the *same* condition. The game is WGAN-GP's
(Gulrajani et al. 2017, "Improved training of Wasserstein GANs"), as
:class:`tabaug.generators.gan.WassersteinGAN`: several critic steps per generator step, a gradient
penalty on rows mixed between real and generated ones, Adam with ``beta_1=0.5, beta_2=0.9``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval, StrOptions

from tabaug.generators.base import (
    TabularGenerator,
    keras_seeds,
    minibatch_size,
    warn_few_updates,
)
from tabaug.generators.modes import ModeSpecific
from tabaug.generators.networks import (
    SCALINGS,
    ScaledNumeric,
    dense,
    table_output,
)

__all__ = [
    "AVERAGED_SHARE", "CHECK_EVERY", "class_probabilities", "CLASS_SAMPLINGS",
    "CONDITIONAL_SCALINGS", "ConditionalGAN", "DEFAULT_BATCH_SIZE", "DEFAULT_UPDATES",
    "energy_distance", "HISTORY_COLUMNS", "MIN_NOISE_DIM", "pack", "UPDATES_PER_CALL",
    "validation_split",
]

#: Generator updates of the default training, whatever the table's size: a GAN's progress is
#: counted in updates, not epochs, so a table of 100 rows and one of 10,000 get the same.
DEFAULT_UPDATES = 1500
#: Largest default minibatch (rows drawn per critic or generator step).
DEFAULT_BATCH_SIZE = 64
#: Smallest default noise size.
MIN_NOISE_DIM = 8
#: The default moving average of the generator's weights spans about this share of the updates.
AVERAGED_SHARE = 0.1
#: Generator updates compiled into one TensorFlow graph call.
UPDATES_PER_CALL = 250
#: With ``validation``, the generator is scored on the held-out rows every this many updates.
CHECK_EVERY = 100
#: How a minibatch draws its classes (training-by-sampling): weights proportional to ...
CLASS_SAMPLINGS = ("log", "uniform", "proportional")
#: How numeric columns can be given to the networks (``scaling``): the shared
#: :data:`~tabaug.generators.networks.SCALINGS` and CTGAN's mode-specific normalisation.
CONDITIONAL_SCALINGS = (*SCALINGS, "modes")
#: The columns of :attr:`ConditionalGAN.history_`: one row per generator update.
HISTORY_COLUMNS = ["step", "d_loss", "g_loss", "d_real", "d_fake", "penalty"]


def class_probabilities(counts, how="log") -> np.ndarray:
    """The probability that a minibatch row is of each class.

    ``"log"`` (the default, CTGAN's choice for its conditions): proportional to
    ``log(1 + count)``. A class of 15 rows beside one of 300 gets 32% of the rows instead of
    5%: seen often enough to be learned, but not as often as with ``"uniform"`` (50%), which
    would draw each of its 15 rows 20 times as often as a row of the large class and push the
    generator to copy them. ``"proportional"``: the classes' own shares (plain shuffling).
    """
    counts = np.asarray(counts, dtype="float64")
    if how == "log":
        weights = np.log1p(counts)
    elif how == "uniform":
        weights = (counts > 0).astype("float64")
    elif how == "proportional":
        weights = counts
    else:
        raise ValueError(f"Unknown class_sampling {how!r}: use one of "
                         f"{', '.join(map(repr, CLASS_SAMPLINGS))}.")
    return weights / weights.sum()


class ConditionalGAN(TabularGenerator):
    """A conditional WGAN-GP: one generator for the rows of every class of a table.

    ``fit(X, y)`` learns all the classes of ``y`` at once; ``sample(n, y=label)`` makes ``n``
    rows of class ``label`` (or of one class per row). Numeric columns go through
    :class:`~tabaug.generators.networks.ScaledNumeric` (fitted on the rows of all classes),
    categorical columns are softmax outputs (:func:`~tabaug.generators.networks.table_output`).

    Parameters
    ----------
    updates : int or None, default=None
        Generator updates (each after ``critic_steps`` critic updates). None:
        :data:`DEFAULT_UPDATES` (1500), whatever the number of rows.
    batch_size : int or None, default=None
        Rows per minibatch. None: ``min(64, n_rows)``. Rows are drawn with replacement by
        training-by-sampling, so a class smaller than a minibatch is no obstacle; a table
        smaller than ``batch_size`` shrinks it (with a ``SmallClassWarning``).
    noise_dim : int or None, default=None
        Size of the noise vector. None: ``max(8, n_encoded_columns)``: one noise dimension per
        encoded column gives the generator as many degrees of freedom as a row has.
    generator_units, critic_units : tuple of int, default=(128, 128)
        Hidden layers (leaky ReLU) of the two networks: small networks for tables of a few
        hundred rows, the sizes of the project's WGAN-GP for WDBC
        (:data:`tabaug.generators.settings.WGAN_GP_SETTINGS`).
    critic_steps : int, default=5
        Critic updates per generator update (WGAN-GP's 5).
    critic_dropout : float in [0, 1), default=0.0
        Dropout after each hidden layer of the critic while it trains (CTGAN's 0.5): a critic
        that cannot lean on single units may be harder for the generator to fool with a few
        memorised rows. 0: no dropout layers.
    gradient_penalty : float, default=10.0
        Weight of the gradient penalty (WGAN-GP's 10).
    learning_rate : float, default=2e-4
        Adam's learning rate for both networks (CTGAN's), with ``beta_1=0.5, beta_2=0.9``.
    averaging : float in [0, 1) or None, default=None
        Decay of the moving average of the generator's weights that :attr:`generator_` holds
        (Yazici et al. 2019, "The Unusual Effectiveness of Averaging in GAN Training"): a GAN's
        generator circles around the real law instead of settling on it, and the average of
        its recent weights lies nearer. None: ``1 - 1 / (0.1 * updates)``, an average over
        about the last tenth of the updates (0.9933 for 1500), in which the initial weights
        keep a share of about exp(-10); 0: no averaging, the last weights.
    scaling : {"quantile", "log", "minmax", "modes"} or None, default=None
        How numeric columns are given to the networks. None: "quantile" (each column mapped to
        a standard normal through its quantiles; any marginal shape, no assumption about the
        table), or "minmax" when the table has fewer than 20 rows, too few quantiles to
        interpolate between. "modes": CTGAN's mode-specific normalisation
        (:class:`~tabaug.generators.modes.ModeSpecific`), each value as its mode (a softmax
        block) and its place within it (a tanh output).
    class_sampling : {"log", "uniform", "proportional"}, default="log"
        Class probabilities of the minibatch rows; see :func:`class_probabilities` and the
        Notes.
    pac : int, default=1
        Rows the critic judges together (PacGAN, Lin et al. 2018, "PacGAN: The power of two
        samples in generative adversarial networks"; CTGAN uses 10): it scores ``pac`` rows at
        once, real or generated, so a generator that makes the same few rows again is easy to
        catch. The minibatch is rounded down to a multiple of ``pac`` (at least ``pac``).
    validation : float in [0, 0.5), default=0.0
        Share of each class's rows held out of training to choose when to stop: every
        :data:`CHECK_EVERY` updates the (averaged) generator makes as many rows of each class
        as it has held-out rows, and the weights with the smallest mean energy distance
        (:func:`energy_distance`) to them are kept. 0: no rows held out, the last weights.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the initial weights, the minibatches and noise, and (after fit) the sampling.

    Attributes
    ----------
    generator_ : keras.Model
        Maps ``[noise, one-hot class]`` to a row in the scaled encoding; its weights are the
        moving average of the trained generator's (see ``averaging``).
    critic_ : keras.Model
        Maps ``[row, one-hot class]`` to a score (higher: more like a real row of that class).
    history_ : pandas.DataFrame
        One row per generator update: :data:`HISTORY_COLUMNS` (``d_real - d_fake`` estimates
        the Wasserstein distance between real and generated rows; ``penalty`` is the gradient
        penalty term before its weight).
    class_probabilities_ : ndarray
        The probability of each class in the minibatches.
    numeric_ : ScaledNumeric or ModeSpecific
        The transform of the numeric columns, fitted on the (training) rows of all classes.
    n_updates_, batch_size_, noise_dim_, scaling_, averaging_ : the settings used.
    checks_ : pandas.DataFrame
        With ``validation``: the update of each check and the generator's mean energy
        distance to the held-out rows there.
    best_update_ : int
        The update whose weights :attr:`generator_` holds (the last one without
        ``validation``).

    Notes
    -----
    On two Gaussian classes of 200 and 18 rows with opposite correlations, the small class's
    rows scored a two-sample ROC AUC of 0.82 with "log" class sampling, 0.81 with "uniform"
    and 0.93 with "proportional" (whose small-class rows took the large class's correlation);
    "log" is as good as "uniform" there while drawing each small-class row less often.
    On the 11 development classes of the generator benchmark (6 origins, 3 splits each;
    ``scripts/develop_gan.py``, notebook 07), each idea changed alone from these defaults gave
    a mean held-out two-sample score over origins of 0.648 with "proportional" sampling
    against 0.694 (difference -0.046, 95% interval -0.093 to +0.001: no difference found),
    0.667 with "minmax" scaling, 0.681 with ``validation=0.2``, 0.704 without averaging, 0.714
    with ``scaling="modes"`` and 0.783 with ``pac=10`` (+0.088, +0.002 to +0.175: worse); two pairs
    of the better changes did worse together (0.710 and 0.719). The rule fixed before the runs
    (the lowest mean becomes the default) picked "proportional", and it was not adopted: most
    of its lead comes from the three classes of 9 to 11 training rows (-0.11 there, -0.02 on
    the other eight), where a two-sample test of about 10 rows a side cannot tell a class from
    rows of its neighbour, and on the two Gaussian classes above it loses the small class (test
    ``test_proportional_sampling_loses_the_small_class``: about half of its rows are judged of
    that class, against nearly all with "log"). A second round (``updates=4000``,
    ``learning_rate=1e-3``, CTGAN's 256-unit networks, ``critic_dropout=0.5``), whose rule
    adopts a change only if its whole interval lies below 0, adopted none. The defaults stay;
    the measurements are notebook 07's lesson. On the benchmark's evaluation classes the
    conditional GAN is README's best GAN, its score within the intervals of the Gaussian
    copula's (README's generator table).

    Without the weight averaging, the largest gap between the means of the large class's
    generated and real rows ranged from 0.07 to 1.16 standard deviations at checks every 100
    updates (from update 500 to 2000); with it, from 0.09 to 0.44.
    """

    conditional = True
    uses_tensorflow = True

    _parameter_constraints: dict = {
        **TabularGenerator._parameter_constraints,
        "updates": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "noise_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "generator_units": ["array-like"],
        "critic_units": ["array-like"],
        "critic_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "critic_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "gradient_penalty": [Interval(numbers.Real, 0, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "averaging": [Interval(numbers.Real, 0, 1, closed="left"), None],
        "scaling": [StrOptions(set(CONDITIONAL_SCALINGS)), None],
        "class_sampling": [StrOptions(set(CLASS_SAMPLINGS))],
        "pac": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation": [Interval(numbers.Real, 0, 0.5, closed="left")],
    }

    def __init__(self, *, updates=None, batch_size=None, noise_dim=None,
                 generator_units=(128, 128), critic_units=(128, 128), critic_steps=5,
                 critic_dropout=0.0, gradient_penalty=10.0, learning_rate=2e-4, averaging=None,
                 scaling=None, class_sampling="log", pac=1, validation=0.0, random_state=None):
        self.updates = updates
        self.batch_size = batch_size
        self.noise_dim = noise_dim
        self.generator_units = generator_units
        self.critic_units = critic_units
        self.critic_steps = critic_steps
        self.critic_dropout = critic_dropout
        self.gradient_penalty = gradient_penalty
        self.learning_rate = learning_rate
        self.averaging = averaging
        self.scaling = scaling
        self.class_sampling = class_sampling
        self.pac = pac
        self.validation = validation
        self.random_state = random_state

    # --- the settings chosen by rule ----------------------------------------------------------
    def _settings(self, n_rows, width):
        self.n_updates_ = DEFAULT_UPDATES if self.updates is None else int(self.updates)
        if self.n_updates_ < 1:
            raise ValueError(f"updates must be a positive integer, got {self.updates}.")
        wanted = min(DEFAULT_BATCH_SIZE, n_rows) if self.batch_size is None else self.batch_size
        if int(wanted) < 1:
            raise ValueError(f"batch_size must be a positive integer, got {self.batch_size}.")
        batch = minibatch_size(n_rows, int(wanted), "The table")
        self.batch_size_ = max(int(self.pac), batch - batch % int(self.pac))
        self.noise_dim_ = (max(MIN_NOISE_DIM, width) if self.noise_dim is None
                           else int(self.noise_dim))
        self.scaling_ = ("minmax" if n_rows < 20 else "quantile") if self.scaling is None \
            else self.scaling
        self.averaging_ = (max(0.0, 1.0 - 1.0 / (AVERAGED_SHARE * self.n_updates_))
                           if self.averaging is None else float(self.averaging))
        if not 0.0 <= self.averaging_ < 1.0:
            raise ValueError(f"averaging must be in [0, 1), got {self.averaging}.")
        if self.scaling_ not in CONDITIONAL_SCALINGS:
            raise ValueError(f"Unknown scaling {self.scaling_!r}: use one of "
                             f"{', '.join(map(repr, CONDITIONAL_SCALINGS))}.")

    # --- fitting ------------------------------------------------------------------------------
    def _fit_encoded(self, Z, layout, y, seed):
        import keras

        train, held_out = validation_split(y, float(self.validation),
                                           np.random.default_rng([seed, 3]))
        self._settings(len(train), layout.width)
        n_classes = len(self.classes_)
        self.class_probabilities_ = class_probabilities(
            np.bincount(y[train], minlength=n_classes), self.class_sampling)
        self.numeric_ = (ModeSpecific(layout, seed) if self.scaling_ == "modes"
                         else ScaledNumeric(self.scaling_, layout)).fit(Z[train])
        network = self.numeric_.network_layout_
        rows = self.numeric_.transform(Z)
        seeds = keras_seeds(seed)
        generator = self._build_generator(network, n_classes, seeds)
        self.critic_ = self._build_critic(network.width, n_classes, seeds, seed)
        self.generator_ = self._build_generator(network, n_classes, None)
        for average, trained in zip(self.generator_.weights, generator.weights):
            average.assign(trained)
        betas = {"beta_1": 0.5, "beta_2": 0.9}
        optimizers = (keras.optimizers.Adam(self.learning_rate, **betas),
                      keras.optimizers.Adam(self.learning_rate, **betas))
        # Their slots are built now, or the compiled graph would be traced twice to make them.
        optimizers[0].build(self.critic_.trainable_weights)
        optimizers[1].build(generator.trainable_weights)
        step = self._training_function(generator, rows[train], n_classes, *optimizers)
        rng = np.random.default_rng([seed, 0])
        by_class = _ClassRows(y[train], n_classes)
        judge = _Judge(rows[held_out], y[held_out], n_classes, self.noise_dim_, seed)
        stats, best, chunk = [], None, CHECK_EVERY if judge.active else UPDATES_PER_CALL
        for start in range(0, self.n_updates_, chunk):
            n = min(chunk, self.n_updates_ - start)
            stats.append(np.asarray(step(*self._draw(n, by_class, rng))))
            if judge.check(self.generator_, start + n):
                best = [w.numpy() for w in self.generator_.weights]
        if best is not None:
            for average, kept in zip(self.generator_.weights, best):
                average.assign(kept)
        history = pd.DataFrame(np.concatenate(stats), columns=HISTORY_COLUMNS[1:])
        history.insert(0, "step", np.arange(1, len(history) + 1))
        self.history_ = history
        self.checks_ = pd.DataFrame(judge.scores, columns=["step", "energy_distance"])
        self.best_update_ = judge.best_step if judge.active else self.n_updates_
        warn_few_updates(self.n_updates_, "The conditional GAN's generator")

    def _build_generator(self, layout, n_classes, seeds):
        import keras

        noise = keras.Input((self.noise_dim_,), name="noise")
        label = keras.Input((n_classes,), name="label")
        hidden = keras.layers.Concatenate()([noise, label])
        for i, units in enumerate(self.generator_units):
            hidden = dense(units, "leaky_relu", seeds, f"hidden_{i}")(hidden)
        row = table_output(hidden, layout, self.numeric_.output_activation, seeds)
        return keras.Model([noise, label], row, name="generator")

    def _build_critic(self, width, n_classes, seeds, seed):
        import keras

        # ``pac`` rows, each followed by its one-hot class, side by side (see :func:`pack`).
        packed = keras.Input((int(self.pac) * (width + n_classes),), name="rows")
        hidden = packed
        for i, units in enumerate(self.critic_units):
            hidden = dense(units, "leaky_relu", seeds, f"hidden_{i}")(hidden)
            if self.critic_dropout > 0:
                # Its own seed per layer, from the fit's: the same rows for the same seed.
                hidden = keras.layers.Dropout(float(self.critic_dropout),
                                              seed=(int(seed) + 7919 * (i + 1)) % (2**31 - 1),
                                              name=f"dropout_{i}")(hidden)
        score = dense(1, None, seeds, "score")(hidden)
        return keras.Model(packed, score, name="critic")

    def _draw(self, n_updates, by_class, rng):
        """The random choices of ``n_updates`` generator updates, drawn in NumPy: per critic
        step the rows' classes, the rows, noise and mixing weights; per generator step the
        classes and noise."""
        steps, batch, pac = int(self.critic_steps), self.batch_size_, int(self.pac)
        d_classes = rng.choice(len(self.classes_), (n_updates, steps, batch),
                               p=self.class_probabilities_)
        d_rows = by_class.draw(d_classes, rng)
        d_noise = rng.standard_normal((n_updates, steps, batch, self.noise_dim_))
        mix = np.repeat(rng.random((n_updates, steps, batch // pac, 1)), pac, axis=2)
        g_classes = rng.choice(len(self.classes_), (n_updates, batch),
                               p=self.class_probabilities_)
        g_noise = rng.standard_normal((n_updates, batch, self.noise_dim_))
        return (d_rows.astype("int32"), d_classes.astype("int32"), d_noise.astype("float32"),
                mix.astype("float32"), g_classes.astype("int32"), g_noise.astype("float32"))

    def _training_function(self, generator, rows, n_classes, d_optimizer, g_optimizer):
        """One compiled graph that runs a sequence of updates (see :meth:`_draw` for its
        inputs) and returns one row of :data:`HISTORY_COLUMNS` (after "step") per update.

        ``generator`` is trained; after each of its updates, :attr:`generator_` moves its
        weights towards the trained ones (the moving average). Built for each fit and not kept,
        so that the fitted generator pickles."""
        import tensorflow as tf

        critic = self.critic_
        table = tf.constant(rows)
        steps, weight, pac = int(self.critic_steps), float(self.gradient_penalty), int(self.pac)
        decay = self.averaging_
        d_weights, g_weights = critic.trainable_weights, generator.trainable_weights
        averages = self.generator_.trainable_weights

        def critic_step(row_index, classes, noise, mix):
            label = tf.one_hot(classes, n_classes)
            real = tf.gather(table, row_index)
            fake = generator([noise, label], training=False)
            # One mixing weight per pack of rows, as the critic judges a pack as one.
            mixed = pack(mix * real + (1.0 - mix) * fake, label, pac)
            with tf.GradientTape() as tape:
                with tf.GradientTape() as inner:
                    inner.watch(mixed)
                    mixed_scores = critic(mixed, training=True)
                # The small constant keeps the square root differentiable at a zero gradient.
                gradient = inner.gradient(mixed_scores, mixed)
                slopes = tf.sqrt(tf.reduce_sum(gradient ** 2, axis=1) + 1e-12)
                penalty = tf.reduce_mean((slopes - 1.0) ** 2)
                d_real = tf.reduce_mean(critic(pack(real, label, pac), training=True))
                d_fake = tf.reduce_mean(critic(pack(fake, label, pac), training=True))
                loss = self._critic_loss(d_real, d_fake) + weight * penalty
            d_optimizer.apply_gradients(zip(tape.gradient(loss, d_weights), d_weights))
            return loss, d_real, d_fake, penalty

        def generator_step(classes, noise):
            label = tf.one_hot(classes, n_classes)
            with tf.GradientTape() as tape:
                scores = critic(pack(generator([noise, label], training=True), label, pac),
                                training=False)
                loss = self._generator_loss(scores)
            g_optimizer.apply_gradients(zip(tape.gradient(loss, g_weights), g_weights))
            for average, trained in zip(averages, g_weights):
                average.assign(decay * average + (1.0 - decay) * trained)
            return loss

        @tf.function(reduce_retracing=True)
        def train(d_rows, d_classes, d_noise, mix, g_classes, g_noise):
            n_updates = tf.shape(g_noise)[0]
            stats = tf.TensorArray(tf.float32, size=n_updates)
            for b in tf.range(n_updates):
                d = (0.0, 0.0, 0.0, 0.0)
                # A graph loop, not a Python one: the critic step is traced once, not 5 times.
                for c in tf.range(steps):
                    d = critic_step(d_rows[b, c], d_classes[b, c], d_noise[b, c], mix[b, c])
                g_loss = generator_step(g_classes[b], g_noise[b])
                stats = stats.write(b, tf.stack([d[0], g_loss, d[1], d[2], d[3]]))
            return stats.stack()

        return train

    def _critic_loss(self, d_real, d_fake):
        """Wasserstein critic loss: score real rows above generated ones."""
        return d_fake - d_real

    def _generator_loss(self, scores):
        """Wasserstein generator loss: make rows the critic scores high."""
        import tensorflow as tf

        return -tf.reduce_mean(scores)

    # --- sampling -----------------------------------------------------------------------------
    def _sample_encoded(self, n_samples, y, rng):
        noise = rng.standard_normal((n_samples, self.noise_dim_)).astype("float32")
        label = np.eye(len(self.classes_), dtype="float32")[y]
        # Called directly, as the other generators do: predict_on_batch compiles a function
        # for every new model, which TensorFlow reports as excessive retracing.
        rows = self.generator_([noise, label], training=False)
        return self.numeric_.inverse_transform(np.asarray(rows))


class _ClassRows:
    """Draw, for each class code of an array, a random row index of that class."""

    def __init__(self, y, n_classes):
        self.order = np.argsort(y, kind="stable")
        self.counts = np.bincount(y, minlength=n_classes)
        self.starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]])

    def draw(self, classes, rng):
        offsets = np.floor(rng.random(classes.shape) * self.counts[classes]).astype("int64")
        return self.order[self.starts[classes] + offsets]



def pack(rows, label, pac):
    """What the critic judges: each row followed by its one-hot class, and ``pac`` such rows
    side by side (PacGAN), i.e. ``(n, width)`` and ``(n, n_classes)`` to
    ``(n / pac, pac * (width + n_classes))``; ``pac=1`` is a row and its class."""
    import tensorflow as tf

    joined = tf.concat([rows, label], axis=1)
    return tf.reshape(joined, (-1, pac * joined.shape[-1]))


def validation_split(y, share, rng):
    """Row indices to train on and to hold out: ``share`` of each class's rows (rounded down)
    held out, so that a class of fewer than ``1 / share`` rows is trained on whole."""
    train, held_out = [], []
    for code in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == code))
        n_out = int(share * len(rows))
        held_out.append(rows[:n_out])
        train.append(rows[n_out:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(held_out)).astype("int64")


def energy_distance(a, b):
    """The energy distance between two sets of rows (Szekely & Rizzo 2013), ``2 E|a - b| -
    E|a - a'| - E|b - b'|`` with Euclidean norms: 0 for one law, larger as the laws differ,
    and sensitive to the spread as well as the place (a generator that makes one row again is
    far from rows that vary)."""
    from scipy.spatial.distance import cdist

    return float(2 * cdist(a, b).mean() - cdist(a, a).mean() - cdist(b, b).mean())


class _Judge:
    """Scores a generator on held-out rows (their mean energy distance over the classes that
    have any, with the same noise at every check) and says when it is the best so far."""

    def __init__(self, rows, y, n_classes, noise_dim, seed):
        self.active = len(rows) > 0
        rng = np.random.default_rng([seed, 2])
        self.classes = [code for code in range(n_classes) if (y == code).any()]
        self.rows = {code: rows[y == code] for code in self.classes}
        self.noise = {code: rng.standard_normal((max(len(self.rows[code]), 20), noise_dim))
                      .astype("float32") for code in self.classes}
        self.labels = {code: np.eye(n_classes, dtype="float32")[[code] * len(self.noise[code])]
                       for code in self.classes}
        self.scores, self.best, self.best_step = [], np.inf, 0

    def check(self, generator, step):
        if not self.active:
            return False
        score = float(np.mean([
            energy_distance(np.asarray(generator([self.noise[c], self.labels[c]],
                                                 training=False)), self.rows[c])
            for c in self.classes]))
        self.scores.append((step, score))
        if score < self.best:
            self.best, self.best_step = score, step
            return True
        return False
