"""The conditional GAN (tabaug.generators.conditional_gan): it learns each class of a known law
from one fit on all the classes, makes rows of the class asked for, keeps the column types,
and is seeded, cloneable and picklable.

The models here are small (units, updates, critic steps) so that the file runs in well under a
minute; the thresholds were measured on these settings (see the comments).
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis

from tabaug.generators import FewUpdatesWarning, SmallClassWarning, get_generator
from tabaug.generators.conditional_gan import (
    HISTORY_COLUMNS,
    ConditionalGAN,
    _Judge,
    class_probabilities,
    energy_distance,
    pack,
    validation_split,
)

from generator_checks import numeric_gaps, table_c2st
from known_tables import correlated_gaussian, mixed_types

#: Small networks and few updates: enough to learn three Gaussian columns per class.
TEST_UPDATES = 600
SMALL = dict(updates=TEST_UPDATES, generator_units=(64, 64), critic_units=(64, 64),
             critic_steps=3, learning_rate=1e-3)
#: Even smaller, for the checks that do not need a trained model.
TINY = dict(updates=5, generator_units=(8,), critic_units=(8,), critic_steps=1)
N_LARGE, N_SMALL = 200, 18


def law(n_rows, seed, label):
    """Class 0: three Gaussian columns with correlation 0.8 (means 0, 1, 2); class 1: the same
    columns with correlation -0.4, scale 0.7 and means 2.5, 3.5, 4.5."""
    if label == 0:
        return correlated_gaussian(n_rows, seed=seed, n_columns=3, rho=0.8)
    return correlated_gaussian(n_rows, seed=seed, n_columns=3, rho=-0.4) * 0.7 + 2.5


def law_table():
    X = pd.concat([law(N_LARGE, 0, 0), law(N_SMALL, 1, 1)], ignore_index=True)
    y = np.array(["large"] * N_LARGE + ["small"] * N_SMALL)
    return X, y


@pytest.fixture(scope="module")
def trained():
    X, y = law_table()
    return ConditionalGAN(**SMALL, random_state=0).fit(X, y)


def class_scores(generator):
    """Per class: the two-sample ROC AUC and the moment gaps between 400 generated rows and
    400 fresh rows of that class's law."""
    scores = {}
    for code, label in enumerate(["large", "small"]):
        fresh = law(400, 10 + code, code)
        rows = generator.sample(400, y=label, random_state=0)
        scores[label] = {"c2st": table_c2st(fresh, rows, n_repeats=1),
                         **numeric_gaps(fresh, rows)}
    return scores


# Measured with SMALL over seeds 0-2: c2st large 0.68-0.71, small 0.86-0.89; mean gaps large
# 0.14-0.29, small 0.09-0.51; correlation gaps large 0.09-0.19. Untrained (1 update): c2st 0.96
# and 1.0, large correlation gap 0.81, small mean gap 3.4; flipped loss: c2st 1.0, mean gaps > 3.
LIMITS = {"large": {"c2st": 0.80, "mean": 0.45, "correlation": 0.35},
          "small": {"c2st": 0.95, "mean": 0.8}}


def passes(scores):
    return all(scores[label][name] <= limit
               for label, limits in LIMITS.items() for name, limit in limits.items())


def test_learns_each_class_of_a_known_law(trained):
    scores = class_scores(trained)
    print(scores)
    for label, limits in LIMITS.items():
        for name, limit in limits.items():
            assert scores[label][name] <= limit, (label, name, scores[label])


def test_an_untrained_generator_fails_the_same_thresholds():
    X, y = law_table()
    untrained = ConditionalGAN(**{**SMALL, "updates": 1}, random_state=0).fit(X, y)
    scores = class_scores(untrained)
    print(scores)
    assert not passes(scores)
    assert scores["large"]["c2st"] > 0.9 and scores["small"]["c2st"] > 0.95


class FlippedLoss(ConditionalGAN):
    """The generator learns to make rows the critic scores *low*."""

    def _generator_loss(self, scores):
        return -super()._generator_loss(scores)


@pytest.mark.filterwarnings("ignore:All-NaN slice")  # its rows collapse to constant columns
def test_a_flipped_generator_loss_fails_the_same_thresholds():
    X, y = law_table()
    flipped = FlippedLoss(**SMALL, random_state=0).fit(X, y)
    scores = class_scores(flipped)
    print(scores)
    assert not passes(scores)
    assert scores["large"]["c2st"] > 0.9 and scores["small"]["c2st"] > 0.95


def share_of_class(generator, label, code):
    """The share of 137 rows of ``label`` that a QDA fitted on fresh rows judges of it."""
    judge = QuadraticDiscriminantAnalysis().fit(
        pd.concat([law(500, 20, 0), law(500, 21, 1)]), np.repeat([0, 1], 500))
    return (judge.predict(generator.sample(137, y=label)) == code).mean()


def test_proportional_sampling_loses_the_small_class():
    """Why the default stays "log" although "proportional" scored lower on the development
    classes (the class's Notes): drawn in its 8% share, the small class is not learned.
    Measured: 0.47 of its rows judged of it (the default: 0.95-0.96)."""
    X, y = law_table()
    plain = ConditionalGAN(**SMALL, class_sampling="proportional", random_state=0).fit(X, y)
    assert share_of_class(plain, "small", 1) < 0.7


def test_rows_are_of_the_class_asked_for(trained):
    real = pd.concat([law(500, 20, 0), law(500, 21, 1)])
    judge = QuadraticDiscriminantAnalysis().fit(real, np.repeat([0, 1], 500))
    for code, label in enumerate(["large", "small"]):
        rows = trained.sample(137, y=label)
        assert len(rows) == 137 and list(rows.columns) == ["x0", "x1", "x2"]
        # Measured over seeds 0-2: 0.98-1.0 (large) and 0.95-0.96 (small) judged of their class.
        assert (judge.predict(rows) == code).mean() >= 0.85, label
    labels = np.array(["small", "large"] * 60)
    rows = trained.sample(len(labels), y=labels)
    assert (judge.predict(rows) == (labels == "small")).mean() >= 0.85


def test_sample_without_classes_follows_the_training_proportions(trained):
    rows = trained.sample(400, random_state=1)
    judge = QuadraticDiscriminantAnalysis().fit(
        pd.concat([law(500, 20, 0), law(500, 21, 1)]), np.repeat([0, 1], 500))
    share = judge.predict(rows).mean()
    assert abs(share - N_SMALL / (N_LARGE + N_SMALL)) < 0.06


def test_unknown_labels_and_missing_classes_are_refused(trained):
    with pytest.raises(ValueError, match="Unknown classes"):
        trained.sample(5, y="medium")
    with pytest.raises(ValueError, match="Unknown classes"):
        trained.sample(2, y=["small", "medium"])
    with pytest.raises(ValueError, match="one per row"):
        trained.sample(3, y=["small", "large"])
    X, _ = law_table()
    with pytest.raises(ValueError, match="conditional"):
        ConditionalGAN(**TINY).fit(X)


def test_fitted_attributes(trained):
    assert list(trained.history_.columns) == HISTORY_COLUMNS
    assert len(trained.history_) == TEST_UPDATES == trained.n_updates_
    assert np.isfinite(trained.history_.drop(columns="step").to_numpy()).all()
    assert trained.generator_.output_shape[-1] == 3
    assert list(trained.classes_) == ["large", "small"]
    assert trained.batch_size_ == 64 and trained.noise_dim_ == 8
    assert trained.scaling_ == "quantile"
    assert get_generator("conditional-gan").conditional


def test_class_probabilities_favour_small_classes_less_than_uniform():
    log = class_probabilities([300, 15])
    assert 15 / 315 < log[1] < 0.5
    assert np.allclose(class_probabilities([300, 15], "uniform"), 0.5)
    assert np.allclose(class_probabilities([300, 100], "proportional"), [0.75, 0.25])
    with pytest.raises(ValueError, match="class_sampling"):
        class_probabilities([3, 4], "square")


def test_keeps_the_types_of_mixed_columns():
    frame = mixed_types(200, seed=0)
    y = np.where(frame["group"] == "c", "rare", "common")
    generator = ConditionalGAN(**{**SMALL, "updates": 400}, random_state=0).fit(frame, y)
    rows = generator.sample(300, y="rare", random_state=0)
    assert list(rows.columns) == list(frame.columns)
    assert (rows.dtypes == frame.dtypes).all()
    assert list(rows["group"].cat.categories) == ["a", "b", "c"]
    assert rows["count"].between(frame["count"].min(), frame["count"].max()).all()
    assert set(rows["flag"].unique()) <= {True, False} and rows["flag"].dtype == bool
    assert set(rows["label"]) <= {"low", "high"}
    assert (rows["site"] == "A").all()
    # The class is group "c" (mean value 2.78 in these rows): measured over seeds 0-2, all its
    # generated rows are "c", with mean value 2.73-2.91; all the other class's rows are not "c".
    assert (rows["group"] == "c").mean() >= 0.8
    assert abs(rows["value"].mean() - frame["value"][y == "rare"].mean()) < 0.6
    common = generator.sample(300, y="common", random_state=0)
    assert (common["group"] != "c").mean() >= 0.8


def test_same_seed_same_rows_other_seed_other_rows_clone_and_pickle():
    X, y = law_table()
    with pytest.warns(FewUpdatesWarning, match="only 5 updates"):
        first = ConditionalGAN(**TINY, random_state=3).fit(X, y)
    again = clone(first).fit(X, y)
    other = clone(first).set_params(random_state=4).fit(X, y)
    pd.testing.assert_frame_equal(first.sample(50), again.sample(50))
    assert not first.sample(50, random_state=0).equals(other.sample(50, random_state=0))
    restored = pickle.loads(pickle.dumps(first))
    pd.testing.assert_frame_equal(first.sample(40, y="small", random_state=7),
                                  restored.sample(40, y="small", random_state=7))
    assert first.sample(40, random_state=7).equals(first.sample(40, random_state=7))
    assert not first.sample(40).equals(first.sample(40))


def test_default_settings_follow_the_table():
    generator = ConditionalGAN()
    generator._settings(n_rows=1000, width=30)
    assert (generator.n_updates_, generator.batch_size_, generator.noise_dim_,
            generator.scaling_) == (1500, 64, 30, "quantile")
    assert generator.averaging_ == pytest.approx(1 - 1 / 150)
    generator._settings(n_rows=12, width=3)
    assert (generator.batch_size_, generator.noise_dim_, generator.scaling_) == (12, 8, "minmax")
    generator.set_params(updates=5)._settings(n_rows=12, width=3)
    assert generator.averaging_ == 0.0
    with pytest.raises(ValueError, match="averaging"):
        ConditionalGAN(averaging=1.0)._settings(n_rows=218, width=3)
    with pytest.warns(SmallClassWarning):
        ConditionalGAN(batch_size=500)._settings(n_rows=218, width=3)
    with pytest.raises(ValueError, match="scaling"):
        ConditionalGAN(scaling="cube")._settings(n_rows=218, width=3)


# --- PacGAN and the held-out stopping rule -----------------------------------------------------
def test_pack_puts_pac_rows_and_their_classes_side_by_side():
    rows = np.arange(12, dtype="float32").reshape(6, 2)
    label = np.eye(2, dtype="float32")[[0, 0, 1, 1, 0, 1]]
    packed = np.asarray(pack(rows, label, 3))
    assert packed.shape == (2, 12)
    np.testing.assert_array_equal(packed[0], [0, 1, 1, 0, 2, 3, 1, 0, 4, 5, 0, 1])
    np.testing.assert_array_equal(np.asarray(pack(rows, label, 1)),
                                  np.hstack([rows, label]))


def test_a_packed_critic_judges_pac_rows_at_once():
    X, y = law_table()
    generator = ConditionalGAN(**{**TINY, "updates": 3}, pac=5, batch_size=32,
                               random_state=0).fit(X, y)
    assert generator.batch_size_ == 30  # rounded down to a multiple of pac
    assert generator.critic_.input_shape[-1] == 5 * (3 + 2)
    assert np.isfinite(generator.history_.drop(columns="step").to_numpy()).all()
    tiny = ConditionalGAN(pac=10, batch_size=4)
    tiny._settings(n_rows=218, width=3)
    assert tiny.batch_size_ == 10  # at least one pack


@pytest.mark.filterwarnings("ignore::tabaug.generators.FewUpdatesWarning")
def test_critic_dropout_is_seeded_and_only_where_asked():
    X, y = law_table()
    settings = {**TINY, "updates": 3}
    plain = ConditionalGAN(**settings, random_state=0).fit(X, y)
    dropped = ConditionalGAN(**settings, critic_dropout=0.5, random_state=0).fit(X, y)
    again = clone(dropped).fit(X, y)
    layers = [layer.name for layer in dropped.critic_.layers]
    assert layers.count("dropout_0") == 1 and not any("dropout" in name for name in
                                                       [layer.name for layer in
                                                        plain.critic_.layers])
    pd.testing.assert_frame_equal(dropped.sample(30, random_state=1),
                                  again.sample(30, random_state=1))  # the same rows again
    # the critic's losses differ from the same seed without dropout: the layers act in training
    assert not np.allclose(plain.history_["d_loss"], dropped.history_["d_loss"])
    with pytest.raises(ValueError, match="critic_dropout"):
        ConditionalGAN(critic_dropout=1.0).fit(X, y)


def test_validation_split_holds_out_a_share_of_each_class():
    y = np.repeat([0, 1, 2], [50, 10, 4])
    train, held_out = validation_split(y, 0.2, np.random.default_rng(0))
    assert np.bincount(y[held_out], minlength=3).tolist() == [10, 2, 0]  # 4 rows: kept whole
    assert sorted(np.concatenate([train, held_out]).tolist()) == list(range(len(y)))
    train, held_out = validation_split(y, 0.0, np.random.default_rng(0))
    assert len(held_out) == 0 and len(train) == len(y)


def test_energy_distance_is_scipys_squared_in_one_dimension():
    from scipy.stats import energy_distance as scipy_energy

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 1)), rng.normal(1.0, 2.0, size=(30, 1))
    assert energy_distance(a, b) == pytest.approx(scipy_energy(a[:, 0], b[:, 0]) ** 2)
    assert energy_distance(a, a) == pytest.approx(0.0, abs=1e-12)
    assert energy_distance(a, a + 3) > energy_distance(a, a + 1) > 0


def test_validation_keeps_the_weights_of_the_best_check():
    X, y = law_table()
    generator = ConditionalGAN(**{**SMALL, "updates": 300}, validation=0.25,
                               random_state=0).fit(X, y)
    checks = generator.checks_
    assert checks["step"].tolist() == [100, 200, 300]
    assert generator.best_update_ == checks.loc[checks["energy_distance"].idxmin(), "step"]
    assert len(generator.history_) == 300
    # Scored again on the same held-out rows, the kept generator gives the best check's score,
    # not the last one's (unless the last is the best).
    codes = np.unique(y, return_inverse=True)[1]
    _, held_out = validation_split(codes, 0.25, np.random.default_rng([generator.seed_, 3]))
    rows = generator.numeric_.transform(generator.encoder_.transform(X).astype("float32"))
    judge = _Judge(rows[held_out], codes[held_out], 2, generator.noise_dim_, generator.seed_)
    judge.check(generator.generator_, 0)
    assert judge.scores[0][1] == pytest.approx(checks["energy_distance"].min(), rel=1e-5)
    # The quantiles were learned from the training rows only.
    assert generator.numeric_.scaler_.n_quantiles_ == len(X) - len(held_out)
    without = ConditionalGAN(**TINY, random_state=0).fit(X, y)
    assert without.checks_.empty and without.best_update_ == without.n_updates_
