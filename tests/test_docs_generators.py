"""docs/generators.md stays true: its example generator runs, registers and keeps types."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tabaug.generators import GENERATORS
from tabaug.sampling.oversampler import GenerativeOverSampler

from known_tables import mixed_types

DOC = Path(__file__).resolve().parents[1] / "docs" / "generators.md"


@pytest.fixture
def example_registered():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    example = next(block for block in blocks if "class SmoothedBootstrap" in block)
    names = {}
    exec(compile(example, str(DOC), "exec"), names)
    yield names["SmoothedBootstrap"]
    GENERATORS.pop("smoothed-bootstrap", None)


def test_the_documented_generator_is_one_class_and_one_registration(example_registered):
    X = mixed_types(90, seed=1)
    y = pd.Series(np.where(np.arange(90) % 3 == 0, "rare", "common"))
    sampler = GenerativeOverSampler(generator="smoothed-bootstrap", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(sampler.generators_["rare"], example_registered)
    assert X_res.dtypes.equals(X.dtypes) and (y_res == "rare").sum() == 60
    new = X_res.iloc[len(X):]
    assert not new[["value"]].isin(X["value"].tolist()).all().all()  # moved, not copied
    assert new["count"].between(X["count"].min(), X["count"].max()).all()
