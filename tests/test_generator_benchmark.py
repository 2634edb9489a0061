"""The generator benchmark (tabaug.experiments.generator_benchmark, `tabaug benchmark-generators`):
the development / evaluation roles, the class tasks, the split, the resumable run and the
summary's intervals over origins."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tabaug.cli import main
from tabaug.data.datasets import (
    BENCHMARK_DATASETS,
    DEVELOPMENT,
    DEVELOPMENT_ORIGINS,
    EVALUATION,
    MULTICLASS_DATASETS,
    ORIGINS,
    QUICK_DATASETS,
    table_role,
)
from tabaug.errors import DataError
from tabaug.experiments import generator_benchmark as gb
from tabaug.generators import GENERATORS

SMALL = "appendicitis"  # 106 rows, a minority class of 21


# --- roles -----------------------------------------------------------------------------------
def test_development_tables_are_wdbc_and_the_quick_presets_origins():
    """The stated rule, in code: the tables looked at while the methods were written."""
    assert DEVELOPMENT_ORIGINS == {ORIGINS[name] for name in ["wdbc", *QUICK_DATASETS]}


def test_every_built_in_table_has_one_role_and_an_origin_never_has_two():
    names = BENCHMARK_DATASETS + MULTICLASS_DATASETS
    roles = {name: table_role(name) for name in names}
    assert set(roles.values()) == {DEVELOPMENT, EVALUATION}
    by_origin = pd.Series(roles).groupby(pd.Series({n: ORIGINS[n] for n in names})).nunique()
    assert (by_origin == 1).all()
    assert roles["yeast1"] == roles["yeast3"] == EVALUATION
    assert sum(role == EVALUATION for role in roles.values()) > len(names) / 2


def test_a_table_of_your_own_has_no_role():
    with pytest.raises(ValueError, match="not a built-in table"):
        table_role("my_table")


# --- tasks and split ---------------------------------------------------------------------------
def test_a_class_given_by_two_tables_is_one_task():
    tasks = gb.class_tasks(tables=["abalone-19_vs_10-11-12-13", "abalone19", "new_thyroid1",
                                   "new_thyroid"])
    assert [(t.table, t.label, t.rows) for t in tasks] == [
        ("abalone-19_vs_10-11-12-13", "positive", 32), ("new_thyroid1", "positive", 35),
        ("new_thyroid", "3", 30)]  # abalone19's minority and new_thyroid's class 2: the same rows
    assert {t.role for t in tasks} == {DEVELOPMENT, EVALUATION}
    assert gb.class_tasks(EVALUATION, tables=["abalone19", "new_thyroid"])[0].table == "new_thyroid"
    with pytest.raises(ValueError, match="role"):
        gb.class_tasks("test")


def test_the_split_holds_out_half_of_the_class_and_is_seeded():
    task = gb.class_tasks(tables=[SMALL])[0]
    X_train, y_train, held_out = gb.class_split(task, seed=0)
    assert set(y_train) == {"positive", "negative"}
    assert len(held_out) + (y_train == task.label).sum() == task.rows
    assert abs(len(held_out) - task.rows / 2) <= 1
    assert not set(held_out.index) & set(X_train.index)
    again = gb.class_split(task, seed=0)[2]
    other = gb.class_split(task, seed=1)[2]
    assert held_out.index.equals(again.index) and not held_out.index.equals(other.index)


# --- the run ---------------------------------------------------------------------------------
class Failing:
    """A generator that cannot fit: the benchmark records its error and goes on."""

    conditional = False
    uses_tensorflow = False

    def __init__(self, random_state=None):
        self.random_state = random_state

    def get_params(self, deep=True):
        return {"random_state": self.random_state}

    def set_params(self, **params):
        self.random_state = params.get("random_state", self.random_state)
        return self

    def fit(self, X, y=None, *, encoder=None):
        raise RuntimeError("no rows learned")

    def sample(self, n_samples, y=None, random_state=None):  # pragma: no cover
        raise RuntimeError("not fitted")


@pytest.fixture
def failing_generator():
    GENERATORS["failing"] = Failing
    yield "failing"
    del GENERATORS["failing"]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("generators") / "results.csv"
    tasks = gb.class_tasks(tables=[SMALL])
    results = gb.run_generator_benchmark(tasks, ["gaussian-copula"], [0, 1], c2st_repeats=1,
                                         results_path=path, progress=False)
    return path, tasks, results


def test_each_task_and_seed_has_the_real_rows_and_each_generator(small_run):
    _, tasks, results = small_run
    assert len(results) == 2 * 2  # two seeds: the real rows and the copula
    assert list(results.columns) == gb.RESULT_COLUMNS
    copula = results[results["generator"] == "gaussian-copula"]
    assert copula["c2st_auc"].between(0, 1).all() and copula["fit_s"].gt(0).all()
    assert (copula["train_rows"] + copula["held_out_rows"] == tasks[0].rows).all()
    np.testing.assert_allclose(copula["c2st_gap"],
                               copula["c2st_vs_train"] - copula["c2st_auc"])
    real = results[results["generator"] == gb.REAL_ROWS]
    assert real["c2st_auc"].notna().all() and real["fit_s"].isna().all()


def test_the_scores_are_target_checks_of_the_generated_rows(small_run):
    """One task by hand: the copula's rows through the sampler, judged by target_check."""
    from tabaug.fidelity.report import target_check
    from tabaug.generators.columns import TableEncoder
    from tabaug.sampling.oversampler import GenerativeOverSampler

    _, tasks, results = small_run
    X_train, y_train, held_out = gb.class_split(tasks[0], seed=1)
    n = int((y_train == "positive").sum())
    X_out, _ = GenerativeOverSampler(sampling_strategy={"positive": 2 * n},
                                     random_state=1).fit_resample(X_train, y_train)
    encoder = TableEncoder().fit(pd.concat([X_train, held_out]))
    train_x, held_x, rows_x = (encoder.transform(rows) for rows in (
        X_train[y_train == "positive"], held_out, X_out.iloc[len(X_train):]))
    check = target_check(train_x, held_x, rows_x, random_state=1, n_repeats=1)
    row = results[(results["generator"] == "gaussian-copula") & (results["seed"] == 1)].iloc[0]
    for column in ("c2st_auc", "c2st_vs_train", "closer_p_value", "dcr_ratio"):
        assert row[column] == pytest.approx(check[column]), column


def test_a_rerun_resumes_and_a_failing_generator_is_recorded(small_run, failing_generator,
                                                             monkeypatch):
    path, tasks, _ = small_run
    calls = []
    real_task_result = gb.task_result
    monkeypatch.setattr(gb, "task_result",
                        lambda task, names, *a: calls.append(names) or real_task_result(
                            task, names, *a))
    results = gb.run_generator_benchmark(tasks, ["gaussian-copula", failing_generator], [0, 1],
                                         c2st_repeats=1, results_path=path, progress=False)
    assert calls == [[failing_generator], [failing_generator]]  # the copula's rows were kept
    assert len(results) == 2 * 3 and (results["generator"] == gb.REAL_ROWS).sum() == 2
    failed = results[results["generator"] == failing_generator]
    assert failed["c2st_auc"].isna().all()
    assert failed["error"].str.contains("RuntimeError: no rows learned").all()
    assert gb.summarize_generators(results).loc[failing_generator, "failed"] == 2
    calls.clear()
    gb.run_generator_benchmark(tasks, ["gaussian-copula"], [0, 1], c2st_repeats=1,
                               results_path=path, progress=False)
    assert calls == []
    with pytest.raises(DataError, match="other settings"):
        gb.run_generator_benchmark(tasks, ["gaussian-copula"], [0], c2st_repeats=3,
                                   results_path=path, progress=False)


# --- the summary -------------------------------------------------------------------------------
def made_up_results():
    """Two origins of two tables and one of one; a generator 0.1 above the reference but for
    noise, on three seeds."""
    rng = np.random.default_rng(0)
    rows = []
    for origin, tables in {"A": ["a1", "a2"], "B": ["b1"], "C": ["c1"], "D": ["d1"]}.items():
        for table in tables:
            level = rng.uniform(0.5, 0.8)
            for seed in range(3):
                for name, shift in (("reference", 0.0), ("other", 0.1)):
                    rows.append({"origin": origin, "table": table, "label": "1", "seed": seed,
                                 "generator": name, "c2st_auc": level + shift
                                 + rng.normal(0, 0.02), "c2st_gap": -0.1, "on_target": True,
                                 "fit_s": 1.0})
    return pd.DataFrame(rows)


def test_an_origin_counts_once_and_the_interval_is_t_over_origins():
    results = made_up_results()
    summary = gb.summarize_generators(results, reference="reference")
    per_task = results.groupby(["origin", "table", "generator"])["c2st_auc"].mean()
    per_origin = per_task.groupby(["origin", "generator"]).mean().unstack()
    difference = per_origin["other"] - per_origin["reference"]
    half = stats.t.ppf(0.975, len(difference) - 1) * difference.std() / np.sqrt(len(difference))
    row = summary.loc["other"]
    assert row["origins"] == 4 and row["tasks"] == 5 and row["runs"] == 15
    assert row["diff_mean"] == pytest.approx(difference.mean())
    assert row["diff_low"] == pytest.approx(difference.mean() - half)
    assert row["diff_high"] == pytest.approx(difference.mean() + half)
    assert row["diff_low"] > 0  # the made-up 0.1 is found
    assert np.isnan(summary.loc["reference", "diff_mean"])
    assert row["c2st_mean"] == pytest.approx(per_origin["other"].mean())


# --- the command line ----------------------------------------------------------------------------
def test_the_command_runs_lists_and_refuses_unknown_names(tmp_path, capsys, monkeypatch):
    from tabaug.experiments import speed

    monkeypatch.setattr(speed, "unit_seconds", lambda: 2.0)  # the real one takes seconds
    folder = tmp_path / "out"
    code = main(["benchmark-generators", "--role", "development", "--tables", SMALL,
                 "--generators", "gaussian-copula", "--seeds", "0", "--c2st-repeats", "1",
                 "--output-dir", str(folder), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "gaussian-copula" in out and "real rows" in out
    assert "lowest mean): gaussian-copula." in out  # the reference, with nothing to beat it
    summary = pd.read_csv(folder / "summary.csv", index_col="generator")
    assert summary.loc["gaussian-copula", "fit_units_median"] == pytest.approx(
        summary.loc["gaussian-copula", "fit_s_median"] / 2.0)
    rows = pd.read_csv(folder / "results.csv")
    assert (rows["unit_s"] == 2.0).all()
    assert json.loads((folder / "run.json").read_text())["unit_seconds"] == 2.0
    assert main(["benchmark-generators", "--list", "--role", "all", "--tables", "yeast1",
                 SMALL]) == 0
    listed = capsys.readouterr().out
    assert "yeast1" in listed and "evaluation" in listed and "development" in listed
    assert main(["benchmark-generators", "--generators", "copula", "--output-dir",
                 str(folder)]) == 1
    assert "Unknown generator 'copula'" in capsys.readouterr().err
    assert main(["benchmark-generators", "--role", "evaluation", "--tables", SMALL]) == 1
    assert "No class task" in capsys.readouterr().err


def test_a_generator_registered_here_runs_in_worker_processes(tmp_path):
    """Worker processes start with the built-in registry: the run hands them the caller's."""
    GENERATORS["my-copula"] = "tabaug.generators.copula:GaussianCopula"
    try:
        results = gb.run_generator_benchmark(gb.class_tasks(tables=[SMALL]), ["my-copula"],
                                             [0, 1], c2st_repeats=1, n_jobs=2, progress=False)
    finally:
        del GENERATORS["my-copula"]
    mine = results[results["generator"] == "my-copula"]
    assert len(mine) == 2 and mine["error"].isna().all() and mine["c2st_auc"].notna().all()


def test_a_category_the_class_lacks_in_training_is_compared_not_refused(monkeypatch):
    """Solar flare's 'Evolution' stopped the first evaluation run: the class's held-out rows
    held a category its training rows lacked. Every row is compared in one encoding."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"size": rng.normal(size=80), "kind": ["a", "c"] * 39 + ["b", "b"]})
    y = pd.Series(["common"] * 60 + ["rare"] * 20)
    X_train, y_train = X.iloc[:70], y.iloc[:70]
    held_out = X.iloc[70:][y.iloc[70:] == "rare"]  # holds the only "b"
    monkeypatch.setattr(gb, "class_split", lambda task, seed: (X_train, y_train, held_out))
    task = gb.ClassTask(table="made-up", label="rare", origin="made-up", role="evaluation",
                        rows=20)
    rows = gb.task_result(task, ["gaussian-copula"], seed=0, c2st_repeats=1)
    assert [row.get("error") for row in rows] == [None, None]
    assert 0 <= rows[1]["c2st_auc"] <= 1


def test_the_recommendation_needs_an_interval_below_the_reference():
    summary = pd.DataFrame({"c2st_mean": [0.52, 0.70, 0.66, 0.62, 0.64],
                            "diff_high": [-0.1, np.nan, -0.01, 0.04, -0.02]},
                           index=["real rows", "gaussian-copula", "arf", "tvae", "forest-flow"])
    # tvae has the lowest mean but its interval holds 0; of arf and forest-flow, the lower mean
    assert gb.recommend_generator(summary) == "forest-flow"
    assert gb.recommend_generator(summary.drop(index=["arf", "forest-flow"])) == \
        "gaussian-copula"  # the real rows are never recommended
    with pytest.raises(ValueError, match="no row for the reference 'wgan-gp'"):
        gb.recommend_generator(summary, reference="wgan-gp")
