"""Every registered generator keeps scikit-learn's estimator contract: scikit-learn's own common
checks on construction, parameters, cloning and representation, and its parameter validation,
which every generator runs first in ``fit``, before it looks at the data."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks
from sklearn.utils._param_validation import InvalidParameterError

from tabaug.generators import GENERATORS, generator_class

#: scikit-learn's common checks that apply to an estimator that fits rows and samples new
#: ones (the others predict or transform, which a generator does not).
CHECKS = [
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_estimator_repr",
    "check_estimator_cloneable",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_param_validation",
]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_scikit_learn_common_checks(name, check):
    cls = generator_class(name)
    getattr(estimator_checks, check)(cls.__name__, cls())


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_every_setting_has_a_constraint(name):
    cls = generator_class(name)
    assert set(cls._parameter_constraints) == set(cls().get_params())


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_a_bad_setting_stops_fit_before_the_data_is_read(name):
    """Validation comes first: even rows that could not be read report the setting."""
    cls = generator_class(name)
    with pytest.raises(InvalidParameterError, match="random_state"):
        cls(random_state="seed").fit("not a table")


def test_a_fitted_generator_pickles_and_clones_to_its_settings():
    rng = np.random.default_rng(0)
    rows = pd.DataFrame({"a": rng.normal(size=40), "b": rng.integers(0, 3, 40)})
    fitted = generator_class("gaussian-copula")(random_state=0).fit(rows)
    again = pickle.loads(pickle.dumps(fitted))
    pd.testing.assert_frame_equal(again.sample(5, random_state=1),
                                  fitted.sample(5, random_state=1))
    assert clone(fitted).get_params() == fitted.get_params()
    assert not hasattr(clone(fitted), "encoder_")
