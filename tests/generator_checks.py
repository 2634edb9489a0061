"""Shared measures for the tests that check that a generator learns a known law."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tabaug.fidelity.two_sample import c2st_auc, encode_tables


def table_c2st(real, synthetic, random_state=0, n_repeats=2) -> float:
    """The two-sample test's ROC AUC between two tables (0.5: indistinguishable)."""
    real_rows, synthetic_rows = encode_tables(real, synthetic)
    return c2st_auc(real_rows, synthetic_rows, n_splits=5, n_repeats=n_repeats,
                    random_state=random_state)


def numeric_gaps(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict:
    """Largest gaps of means and standard deviations (in units of the real standard deviation)
    and of pairwise correlations, over the numeric columns."""
    real_num = real.select_dtypes("number").astype(float)
    fake_num = synthetic[real_num.columns].astype(float)
    scale = real_num.std().replace(0, 1)
    return {
        "mean": float(((fake_num.mean() - real_num.mean()).abs() / scale).max()),
        "std": float(((fake_num.std() - real_num.std()).abs() / scale).max()),
        "correlation": float(np.nanmax(np.abs(fake_num.corr().to_numpy()
                                              - real_num.corr().to_numpy()))),
    }


def failed_checks(model, law, max_gaps: dict, max_c2st: float):
    """The thresholds that ``model``'s rows miss on ``law`` (a function of ``seed`` of
    :mod:`known_tables`): moments against the training rows (what it learned), then the
    two-sample test against a fresh draw (skipped when the moments already fail, to keep the
    tests fast). Returns the names missed and the measures."""
    real, fresh = law(seed=10), law(seed=20)
    rows = model.fit(real).sample(2000)
    gaps = numeric_gaps(real, rows)
    failed = [name for name, limit in max_gaps.items() if gaps[name] > limit]
    if failed:
        return failed, gaps
    auc = table_c2st(fresh, rows, n_repeats=1)
    return (["c2st"] if auc > max_c2st else []), {**gaps, "c2st": auc}


def learned(fresh, rows, c2st_max, gap_max) -> bool:
    """Whether ``rows`` pass the two-sample test and the moment checks against ``fresh``."""
    auc = table_c2st(fresh, rows, n_repeats=1)
    gaps = numeric_gaps(fresh, rows)
    print(f"c2st {auc:.3f}, gaps {gaps}")  # shown with pytest -s, to set the thresholds
    return auc <= c2st_max and max(gaps.values()) <= gap_max


def assert_mixed_types_kept(table: pd.DataFrame, rows: pd.DataFrame) -> None:
    """``rows`` generated from :func:`known_tables.mixed_types`'s ``table``
    keep its columns, dtypes, categories, integer range, booleans, constant and decimals."""
    assert list(rows.columns) == list(table.columns)
    assert (rows.dtypes == table.dtypes).all()
    assert set(rows["group"]) <= set(table["group"])
    assert list(rows["group"].cat.categories) == ["a", "b", "c"]
    assert set(rows["label"]) <= {"low", "high"}
    assert rows["count"].between(table["count"].min(), table["count"].max()).all()
    assert rows["flag"].dtype == bool
    assert (rows["site"] == "A").all()
    assert np.allclose(rows["value"], rows["value"].round(2))


def assert_clone_and_pickle_give_the_same_rows(model, real, n_rows=40):
    """A fitted ``model`` pickled and restored, and an unfitted clone of it fitted on ``real``,
    make the same next ``n_rows`` rows as ``model`` itself; the clone keeps the settings."""
    import pickle

    import pandas as pd
    from sklearn.base import clone

    assert clone(model).get_params() == model.get_params()
    fitted = model.fit(real)
    restored = pickle.loads(pickle.dumps(fitted))
    refitted = clone(model).fit(real)
    expected = fitted.sample(n_rows)
    pd.testing.assert_frame_equal(restored.sample(n_rows), expected)
    pd.testing.assert_frame_equal(refitted.sample(n_rows), expected)

