"""``python -m utils balance`` and :func:`tabaug.sampling.balance.balance_table`.

The command runs in-process through :func:`tabaug.cli.main` (fast), and twice as a real
``python -m utils`` process. Every run uses the Gaussian copula (milliseconds): the networks'
column handling is the encoder's, tested with them in the generator tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tabaug.cli import main
from tabaug.sampling.balance import balance_report, balance_table

ROOT = Path(__file__).resolve().parents[1]
PATIENTS = ROOT / "utils" / "examples" / "patients.csv"


def run(capsys, *args):
    """Run ``python -m utils`` in-process: (exit status, standard output, standard error)."""
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def error_message(err):
    """The error line of standard error, which must come last (after the progress bar)."""
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: "), err
    assert "Traceback" not in err
    return lines[-1]


def balance(capsys, source, output, *options):
    return run(capsys, "balance", source, "--output", output, *options)


def read(path):
    return pd.read_csv(path)


def mixed_frame(n_major=300, n_minor=60, seed=3):
    """Two classes with every kind of column; ``dose`` (integers) and ``score`` (floats) miss
    about 10% of their values in both classes, ``colour`` about 10%, ``flag`` (true/false)
    about 5%; ``code`` is an integer identifier."""
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    label = np.array(["no"] * n_major + ["yes"] * n_minor)
    frame = pd.DataFrame({
        "code": np.arange(1000, 1000 + n),
        "dose": rng.integers(1, 9, n).astype(float),
        "colour": rng.choice(["red", "green", "blue"], n).astype(object),
        "score": np.round(rng.normal(5, 2, n), 2),
        "label": label,
        "count": rng.poisson(3, n),
        "flag": rng.random(n) < 0.3,
    })
    frame["flag"] = frame["flag"].astype(object)
    for column, rate in (("dose", 0.1), ("score", 0.1), ("colour", 0.1), ("flag", 0.05)):
        frame.loc[rng.random(n) < rate, column] = np.nan
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


@pytest.fixture
def mixed_csv(tmp_path):
    """``mixed_frame`` in a file, its whole numbers written as such (``3``, not ``3.0``)."""
    path = tmp_path / "mixed.csv"
    mixed_frame().astype({"dose": "Int64"}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def patients_run(tmp_path_factory):
    """The README's command on the example table, with the generated rows marked."""
    folder = tmp_path_factory.mktemp("patients")
    output = folder / "balanced.csv"
    code = main(["balance", str(PATIENTS), "--target", "outcome", "--id-columns", "patient_id",
                 "--output", str(output), "--mark-generated", "--quiet"])
    return code, read(PATIENTS), read(output), output


# --- the balanced file --------------------------------------------------------------------------
def test_balanced_file_keeps_columns_order_and_types(patients_run):
    code, source, balanced, _ = patients_run
    assert code == 0
    assert list(balanced.columns) == [*source.columns, "generated"]
    assert balanced.drop(columns="generated").dtypes.to_dict() == source.dtypes.to_dict()
    pd.testing.assert_frame_equal(balanced.iloc[:len(source)][source.columns], source)


def test_generated_values_are_values_of_the_input(patients_run):
    _, source, balanced, _ = patients_run
    new = balanced.iloc[len(source):]
    assert len(new) > 0 and new["patient_id"].isna().all()
    for column in ("sex", "site", "outcome"):
        assert set(new[column].dropna()) <= set(source[column].dropna())
    for column in ("age", "lymph_nodes"):
        assert pd.api.types.is_integer_dtype(new[column])
        assert source[column].min() <= new[column].min() <= new[column].max() \
            <= source[column].max()
    assert new["smoker"].dtype == bool and set(new["smoker"]) == {True, False}


def test_generated_rows_carry_missing_values_where_the_input_does(patients_run):
    _, source, balanced, _ = patients_run
    new = balanced.iloc[len(source):]
    for column in ("bmi", "marker", "site"):
        assert 0 < new[column].isna().mean() < 0.2, column
    for column in ("age", "sex", "smoker", "lesion_mm", "lymph_nodes"):
        assert new[column].notna().all(), column


def test_auto_brings_every_class_to_the_majority(patients_run):
    _, source, balanced, _ = patients_run
    majority = source["outcome"].value_counts().max()
    assert (balanced["outcome"].value_counts() == majority).all()


def test_mark_generated_marks_exactly_the_new_rows(patients_run):
    _, source, balanced, _ = patients_run
    assert balanced["generated"].dtype == bool
    assert not balanced["generated"].iloc[:len(source)].any()
    assert balanced["generated"].iloc[len(source):].all()


def test_missing_values_are_generated_at_the_learned_rate(tmp_path, mixed_csv, capsys):
    output = tmp_path / "out.csv"
    code, _, err = balance(capsys, mixed_csv, output, "--target", "label", "--quiet")
    assert code == 0, err
    source, balanced = read(mixed_csv), read(output)
    new = balanced.iloc[len(source):]
    assert len(new) == 240 and set(new["label"]) == {"yes"}
    learned = source[source["label"] == "yes"].isna().mean()  # 7% to 20% in these 60 rows
    for column in ("dose", "score", "colour", "flag"):
        assert 0 < new[column].isna().mean(), column
        assert abs(new[column].isna().mean() - learned[column]) < 0.08, column
    assert new[["code", "count", "label"]].notna().all().all()
    assert balanced.dtypes.to_dict() == source.dtypes.to_dict()


def test_whole_numbers_are_written_as_whole_numbers(tmp_path, mixed_csv, capsys):
    """``dose`` and ``code`` read as floats (missing values) are written back as ``3``, not
    ``3.0``; ``score`` keeps its decimals."""
    output = tmp_path / "out.csv"
    code, _, _ = balance(capsys, mixed_csv, output, "--target", "label", "--id-columns", "code",
                         "--quiet")
    assert code == 0
    text = pd.read_csv(output, dtype=str)
    for column in ("dose", "code"):
        assert text[column].dropna().str.fullmatch(r"\d+").all(), column
    assert text["code"].isna().sum() == 240  # the generated rows' identifiers
    assert text["score"].dropna().str.contains(".", regex=False).all()
    balanced = read(output)
    assert set(balanced["dose"].dropna()) <= set(read(mixed_csv)["dose"].dropna())


def test_an_empty_column_comes_back_empty_in_its_place(tmp_path, capsys):
    """Columns with no value (one named, one unnamed as the Kaggle file's last) are dropped
    when reading, with a note, and written back: the header is the input's."""
    frame = mixed_frame().drop(columns=["flag"])
    frame.insert(2, "notes", np.nan)
    source = tmp_path / "in.csv"
    text = frame.to_csv(index=False).splitlines()
    source.write_text("\n".join([text[0] + ","] + [line + "," for line in text[1:]]) + "\n")
    output = tmp_path / "out.csv"
    code, _, err = balance(capsys, source, output, "--target", "label")
    assert code == 0, err
    assert "notes" in err and "Unnamed: 7" in err and "empty" in err
    assert output.read_text().splitlines()[0] == source.read_text().splitlines()[0]
    balanced = read(output)
    assert balanced.dtypes.to_dict() == read(source).dtypes.to_dict()
    assert balanced[["notes", "Unnamed: 7"]].isna().all().all()


@pytest.mark.parametrize("strategy, expected", [
    ("malignant=100", {"healthy": 273, "benign": 100, "malignant": 100}),
    ("malignant=50,benign=120", {"healthy": 273, "benign": 120, "malignant": 50}),
    ("minority", {"healthy": 273, "benign": 100, "malignant": 273}),
    ("not minority", {"healthy": 273, "benign": 273, "malignant": 27}),
])
def test_sampling_strategy_sets_the_class_counts(tmp_path, capsys, strategy, expected):
    output = tmp_path / "out.csv"
    code, out, _ = balance(capsys, PATIENTS, output, "--target", "outcome", "--id-columns",
                           "patient_id", "--sampling-strategy", strategy)
    assert code == 0
    assert read(output)["outcome"].value_counts().to_dict() == expected
    for label, rows in expected.items():  # the printed table says the same
        assert any(line.split()[:1] == [label] and line.split()[-1] == str(rows)
                   for line in out.splitlines())


def test_a_ratio_balances_two_classes(tmp_path, mixed_csv, capsys):
    output = tmp_path / "out.csv"
    code, _, _ = balance(capsys, mixed_csv, output, "--target", "label",
                         "--sampling-strategy", "0.5", "--quiet")
    assert code == 0
    assert read(output)["label"].value_counts().to_dict() == {"no": 300, "yes": 150}


def test_generator_auto_says_what_it_chose_and_why(tmp_path, mixed_csv, capsys):
    output = tmp_path / "out.csv"
    code, out, err = balance(capsys, mixed_csv, output, "--target", "label",
                             "--generator", "auto")
    assert code == 0, err
    assert "generated by gaussian-copula, chosen by --generator auto: on the generator " \
           "benchmark's evaluation classes" in " ".join(out.split())
    same = tmp_path / "same.csv"
    assert balance(capsys, mixed_csv, same, "--target", "label", "--quiet")[0] == 0
    assert output.read_bytes() == same.read_bytes()  # the copula, with the same seeds


def test_labels_written_as_numbers_are_found(tmp_path, capsys):
    frame = mixed_frame()
    frame["label"] = (frame["label"] == "yes").astype(int)
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False)
    output = tmp_path / "out.csv"
    code, _, err = balance(capsys, source, output, "--target", "label",
                           "--sampling-strategy", "1=100", "--quiet")
    assert code == 0, err
    assert read(output)["label"].value_counts().to_dict() == {0: 300, 1: 100}


def test_the_same_seed_gives_the_same_file(tmp_path, mixed_csv, capsys):
    paths = [tmp_path / f"out{i}.csv" for i in range(3)]
    for path, seed in zip(paths, (5, 5, 6)):
        assert balance(capsys, mixed_csv, path, "--target", "label", "--seed", seed,
                       "--quiet")[0] == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_overwrite_replaces_the_output(tmp_path, mixed_csv, capsys):
    output = tmp_path / "out.csv"
    output.write_text("old\n")
    code, _, _ = balance(capsys, mixed_csv, output, "--target", "label", "--overwrite",
                         "--quiet")
    assert code == 0 and len(read(output)) == 600


def test_progress_and_table_are_shown_unless_quiet(tmp_path, mixed_csv, capsys):
    code, out, err = balance(capsys, mixed_csv, tmp_path / "a.csv", "--target", "label")
    assert code == 0
    assert "steps" in err and "gaussian-copula" in err  # the progress bar
    assert "before" in out and "generated" in out and "Wrote 600 rows" in out
    code, out, err = balance(capsys, mixed_csv, tmp_path / "b.csv", "--target", "label",
                             "--quiet")
    assert code == 0 and out == "" and err == ""


# --- bad input: a message, a status, and nothing written ----------------------------------------
def write(folder, text, name="in.csv"):
    path = folder / name
    path.write_text(text)
    return path


def rows(label_counts, extra=""):
    """CSV text with columns x (a number), g (a category) and y (the class)."""
    lines = ["x,g,y"]
    for label, count in label_counts.items():
        lines += [f"{i}.5,{'ab'[i % 2]},{label}" for i in range(count)]
    return "\n".join(lines) + "\n" + extra


BAD_INPUTS = {
    "missing file": (None, ["not found", "path"]),
    "empty file": ("", ["could not read", "header"]),
    "header only": ("x,g,y\n", ["no data rows", "add the data rows"]),
    "missing target": (rows({"a": 8, "b": 4}).replace("x,g,y", "x,g,z"),
                       ["'y'", "not in the data", "z"]),
    "one class": (rows({"a": 8}), ["single class", "two"]),
    "a class with one row": (rows({"a": 8, "b": 1}), ["fewer than 4 rows", "'b': 1", "merge"]),
    "missing target values": (rows({"a": 8, "b": 4}) + "1.5,a,\n", ["missing value", "drop"]),
    "duplicate column names": (rows({"a": 8, "b": 4}).replace("x,g,y", "x,x,y"),
                               ["repeated column names", "'x'", "rename"]),
    "text in a numeric column": (rows({"a": 30, "b": 8}) + '"12,5",a,a\n',
                                 ["'x'", "non-numeric", "'12,5'", "decimal comma"]),
    "no feature values": ("x,y\n,a\n,a\n,a\n,a\n,b\n,b\n,b\n,b\n", ["no feature values"]),
    "an empty target column": (rows({"a": 8}).replace(",a\n", ",\n"),
                               ["'y'", "missing value"]),
}


@pytest.mark.parametrize("problem", list(BAD_INPUTS))
def test_bad_input_stops_with_a_message_and_writes_nothing(tmp_path, capsys, problem):
    text, words = BAD_INPUTS[problem]
    source = tmp_path / "in.csv" if text is None else write(tmp_path, text)
    before = sorted(os.listdir(tmp_path))
    code, out, err = balance(capsys, source, tmp_path / "out.csv", "--target", "y")
    assert code == 1
    err = error_message(err)
    for word in words:
        assert word.lower() in err.lower(), (word, err)
    assert sorted(os.listdir(tmp_path)) == before  # no output, no temporary file


@pytest.mark.parametrize("options, words", [
    (["--id-columns", "id"], ["id_columns", "'id'"]),
    (["--id-columns", "y"], ["target"]),
    (["--sampling-strategy", "0.5"], ["ratio", "two classes", "3"]),
    (["--sampling-strategy", "c=2"], ["2 rows", "'c'", "at least 8"]),
    (["--sampling-strategy", "d=20"], ["'d'", "not a class"]),
    (["--mark-generated", "g"], ["'g'", "another name"]),
])
def test_bad_settings_stop_with_a_message_and_write_nothing(tmp_path, capsys, options, words):
    source = write(tmp_path, rows({"a": 10, "b": 8, "c": 8}))
    code, _, err = balance(capsys, source, tmp_path / "out.csv", "--target", "y", *options)
    assert code == 1
    err = error_message(err)
    for word in words:
        assert word.lower() in err.lower(), (word, err)
    assert sorted(os.listdir(tmp_path)) == ["in.csv"]


def test_an_existing_output_is_kept_without_overwrite(tmp_path, mixed_csv, capsys):
    output = write(tmp_path, "precious\n", "out.csv")
    code, _, err = balance(capsys, mixed_csv, output, "--target", "label")
    assert code == 1 and "exists" in err and "--overwrite" in err
    assert output.read_text() == "precious\n"
    assert sorted(os.listdir(tmp_path)) == ["mixed.csv", "out.csv"]


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_the_input_is_never_the_output(tmp_path, mixed_csv, capsys, overwrite):
    content = mixed_csv.read_bytes()
    code, _, err = balance(capsys, mixed_csv, tmp_path / "." / "mixed.csv", "--target",
                           "label", *overwrite)
    assert code == 1 and "input file" in err
    assert mixed_csv.read_bytes() == content


def test_an_output_folder_that_does_not_exist_is_named(tmp_path, mixed_csv, capsys):
    code, _, err = balance(capsys, mixed_csv, tmp_path / "nowhere" / "out.csv", "--target",
                           "label")
    assert code == 1 and "nowhere" in err and "does not exist" in err


def test_a_failed_write_leaves_no_file(tmp_path, mixed_csv, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = balance(capsys, mixed_csv, tmp_path / "out.csv", "--target", "label")
    assert code == 1 and "could not write" in err and "No space left" in err
    assert sorted(os.listdir(tmp_path)) == ["mixed.csv"]


def test_an_interrupted_write_leaves_no_file(tmp_path, mixed_csv, monkeypatch):
    original = pd.DataFrame.to_csv

    def interrupted(self, stream, **kwargs):
        original(self.head(3), stream, **kwargs)  # part of the file, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        main(["balance", str(mixed_csv), "--target", "label", "--output",
              str(tmp_path / "out.csv"), "--quiet"])
    assert sorted(os.listdir(tmp_path)) == ["mixed.csv"]


@pytest.mark.parametrize("options, words", [
    (["--output", "out.csv"], ["--target", "required"]),
    (["--target", "y", "--output", "o.csv", "--generator", "magic"], ["magic", "invalid choice"]),
    (["--target", "y", "--output", "o.csv", "--sampling-strategy", "majority"],
     ["majority", "not a sampling strategy", "label=rows"]),
    (["--target", "y", "--output", "o.csv", "--sampling-strategy", "a=many"], ["a=many"]),
    (["--target", "y", "--output", "o.csv", "--sampling-strategy", "1.5"], ["(0, 1]"]),
    (["--target", "y", "--output", "o.csv", "--seed", "-1"], ["negative"]),
])
def test_a_wrong_command_line_is_a_usage_error(tmp_path, capsys, options, words):
    code, _, err = run(capsys, "balance", tmp_path / "in.csv", *options)
    assert code == 2 and "usage:" in err
    for word in words:
        assert word.lower() in err.lower(), (word, err)


def test_help_documents_every_option(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # no name broken across lines
    code, out, _ = run(capsys, "balance", "--help")
    assert code == 0
    from tabaug.generators import available_generators

    for word in ["INPUT", "--target", "--output", "--generator", "--seed", "--sampling-strategy",
                 "--id-columns", "--mark-generated", "--overwrite", "--quiet", "exit status",
                 "LABEL=ROWS", *available_generators()]:
        assert word in out, word
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "balance" in out


# --- the library function ---------------------------------------------------------------------
def test_balance_table_makes_the_over_samplers_rows():
    """On a complete table, the rows are those of one GenerativeOverSampler over every class:
    training class by class only lets the progress bar move."""
    from tabaug.sampling import GenerativeOverSampler

    frame = pd.read_csv(PATIENTS).dropna().drop(columns="patient_id")
    balanced = balance_table(frame, "outcome", random_state=4)
    X, y = GenerativeOverSampler(random_state=4).fit_resample(frame.drop(columns="outcome"),
                                                              frame["outcome"])
    pd.testing.assert_frame_equal(balanced.drop(columns="outcome"), X)
    assert balanced["outcome"].tolist() == list(y)


def test_balance_table_keeps_dtypes_and_gives_integer_ids_a_nullable_type():
    frame = mixed_frame()
    frame.index = frame.index + 50  # any index
    state = np.random.get_state()[1].copy()
    balanced = balance_table(frame, "label", id_columns=["code"], random_state=0,
                             generated_column="new")
    assert np.array_equal(np.random.get_state()[1], state)  # no global random state used
    assert list(balanced.index) == list(range(len(balanced)))
    assert balanced["code"].dtype == "Int64" and balanced["code"].isna().sum() == 240
    dtypes = frame.dtypes.drop("code").to_dict()
    assert balanced.drop(columns=["code", "new"]).dtypes.to_dict() == dtypes
    pd.testing.assert_frame_equal(balanced.iloc[:len(frame)].drop(columns=["code", "new"]),
                                  frame.reset_index(drop=True).drop(columns="code"))
    report = balance_report(frame, balanced, "label")
    assert report.loc["yes"].tolist() == [60, 240, 300]
    assert report.loc["total"].tolist() == [360, 240, 600]


# --- a real process -----------------------------------------------------------------------------
def python_m_utils(*args, cwd):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "utils", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_python_m_utils_help():
    done = python_m_utils("balance", "--help", cwd=ROOT)
    assert done.returncode == 0 and "--sampling-strategy" in done.stdout
    assert "tensorflow" not in done.stderr.lower()


def test_python_m_utils_balance(tmp_path):
    output = tmp_path / "balanced.csv"
    done = python_m_utils("balance", PATIENTS, "--target", "outcome", "--id-columns",
                          "patient_id", "--output", output, "--sampling-strategy",
                          "malignant=60", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Wrote 433 rows" in done.stdout and "done" in done.stderr
    assert "oneDNN" not in done.stderr  # TensorFlow's start-up lines are kept off
    assert read(output)["outcome"].value_counts()["malignant"] == 60
    done = python_m_utils("balance", PATIENTS, "--target", "diagnosis", "--output",
                          tmp_path / "again.csv", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error: Target column 'diagnosis' is not in the data" in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["balanced.csv"]


# --- compare ----------------------------------------------------------------------------------
#: Two of the paper's 15 grid settings: the command's tuning, at an eighth of its fits.
SMALL_GRID = {"learning_rate": [0.1, 1], "min_samples_leaf": [20]}
#: The tests of one ``compared`` run: one pytest-xdist worker, so that it runs once.
COMPARED = pytest.mark.xdist_group("cli-compare")


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """``python -m utils compare`` on the example table: 2 splits, RO and the paper's GAN
    against no augmentation, tuned over :data:`SMALL_GRID` instead of the study's grid."""
    folder = tmp_path_factory.mktemp("compare") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tabaug.experiments.compare.STUDY_GRID", SMALL_GRID)
        code = main(["compare", str(PATIENTS), "--target", "outcome", "--id-columns",
                     "patient_id", "--output-dir", str(folder), "--methods", "RO", "paper-gan",
                     "--splits", "2", "--n-jobs", "1", "--json", "--quiet"])
    return code, folder


@COMPARED
def test_compare_writes_its_tables_figures_and_json(compared):
    import json

    code, folder = compared
    assert code == 0
    per_split = pd.read_csv(folder / "per_split.csv")
    assert sorted(per_split["method"].unique()) == ["No augmentation", "RO", "paper-gan"]
    gan = per_split[per_split["method"] == "paper-gan"]
    assert (gan["generator_updates"] > 0).all()
    assert gan["warnings"].str.contains("FewUpdatesWarning").all()  # the paper's 10 epochs
    assert sorted(per_split["split"].unique()) == [0, 1]
    assert {"f1_macro", "recall_malignant", "roc_auc", "pr_auc", "brier"} <= set(per_split)
    summary = pd.read_csv(folder / "comparison.csv")
    ro_f1 = summary.set_index(["method", "metric"]).loc[("RO", "f1_macro"), "mean"]
    assert ro_f1 == pytest.approx(per_split.loc[per_split["method"] == "RO", "f1_macro"].mean())
    differences = pd.read_csv(folder / "paired_differences.csv")
    assert set(differences["method"]) == {"RO", "paper-gan"}
    document = json.loads((folder / "comparison.json").read_text())
    assert document["settings"]["scoring"] == "neg_log_loss"  # the default, a proper rule
    assert document["settings"]["classes"] == {"0": "benign", "1": "healthy", "2": "malignant"}
    assert len(document["conclusions"]) == len(document["table"]["RO"])
    for name in ("distributions", "forest_plot"):
        assert (folder / "figures" / f"{name}.png").stat().st_size > 10_000
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging


@COMPARED
def test_compare_gives_the_studys_own_numbers(compared):
    from threadpoolctl import threadpool_limits

    from tabaug.data.datasets import BenchmarkTable
    from tabaug.data.reading import read_csv_dataset
    from tabaug.experiments.evaluate import evaluate_split
    from tabaug.experiments.protocol import Protocol
    from tabaug.experiments.study import paper_classifier

    _, folder = compared
    table = BenchmarkTable("patients", read_csv_dataset(PATIENTS), "outcome", ("patient_id",),
                           kind="multiclass")
    protocol = Protocol(seed=0, scoring="neg_log_loss", refit=True, tune_threshold=False,
                        per_class_metrics=True)
    with threadpool_limits(1):  # as the study's workers: OpenMP threads spin on a busy machine
        rows = evaluate_split(table, 1, ["No augmentation", "RO"],
                              paper_classifier(SMALL_GRID), protocol)
    per_split = pd.read_csv(folder / "per_split.csv").set_index(["split", "method"])
    for row in rows:
        assert per_split.loc[(1, row["method"]), "f1_macro"] == pytest.approx(row["f1_macro"])
        assert per_split.loc[(1, row["method"]), "brier"] == pytest.approx(row["brier"])


@COMPARED
def test_compare_refuses_an_earlier_comparison_and_bad_input(compared, capsys, tmp_path):
    _, folder = compared
    before = sorted(p.name for p in folder.iterdir())
    code, _, err = run(capsys, "compare", PATIENTS, "--target", "outcome", "--output-dir", folder,
                       "--methods", "RO", "--splits", "2", "--quiet")
    assert code == 1 and "holds an earlier comparison" in error_message(err)
    assert "--overwrite" in error_message(err)
    assert sorted(p.name for p in folder.iterdir()) == before
    fresh = tmp_path / "fresh"
    code, _, err = run(capsys, "compare", PATIENTS, "--target", "result", "--output-dir", fresh,
                       "--methods", "RO", "--quiet")
    assert code == 1 and "Target column 'result' is not in the data" in error_message(err)
    assert not fresh.exists() and not list(tmp_path.iterdir())
    code, _, err = run(capsys, "compare", PATIENTS, "--target", "outcome", "--output-dir", fresh,
                       "--methods", "Magic")
    assert code == 2 and "invalid choice: 'Magic'" in err
    code, _, err = run(capsys, "compare", PATIENTS, "--target", "outcome", "--output-dir", fresh,
                       "--scoring", "f1", "--methods", "RO", "--quiet")
    assert code == 1 and "scores one class of two" in error_message(err)


# --- benchmark ---------------------------------------------------------------------------------
TINY = ["--datasets", "appendicitis", "glass2", "--classifiers", "LR", "--splits", "2",
        "--n-jobs", "1"]


@pytest.fixture(scope="module")
def benchmarked(tmp_path_factory):
    """Two small built-in tables and README's example CSV, RO and SMOTE with LR, 2 splits."""
    folder = tmp_path_factory.mktemp("benchmark") / "out"
    code = main([*["benchmark", *TINY, "--methods", "RO", "SMOTE", "--output-dir", str(folder),
                   "--csv", str(PATIENTS), "outcome", "patient_id", "--quiet"]])
    return code, folder


def test_benchmark_writes_results_tables_and_figures(benchmarked):
    code, folder = benchmarked
    assert code == 0
    results = pd.read_csv(folder / "results.csv")
    assert set(results["dataset"]) == {"appendicitis", "glass2", "patients"}
    assert len(results) == 3 * 3 * 2  # tables x methods x splits
    assert set(results.loc[results["dataset"] == "patients", "classes"]) == {3}
    for name in ("per_dataset.csv", "wilcoxon.csv", "bayesian.csv", "profiles.csv",
                 "conclusions.json"):
        assert (folder / name).exists(), name
    profiles = pd.read_csv(folder / "profiles.csv")
    assert set(profiles["name"]) == {"appendicitis", "glass2", "patients"}


def test_benchmark_resumes_and_refuses_another_protocol(benchmarked, capsys):
    code, folder = benchmarked
    before = pd.read_csv(folder / "results.csv")
    code, out, _ = run(capsys, "benchmark", *TINY, "--methods", "RO", "SMOTE", "--output-dir",
                       folder, "--csv", PATIENTS, "outcome", "patient_id")
    assert code == 0 and "18 result rows" in out
    pd.testing.assert_frame_equal(pd.read_csv(folder / "results.csv"), before)  # nothing redone
    code, _, err = run(capsys, "benchmark", *TINY, "--output-dir", folder, "--seed", "5",
                       "--quiet")
    assert code == 1 and "another protocol" in error_message(err)
    pd.testing.assert_frame_equal(pd.read_csv(folder / "results.csv"), before)


def test_benchmark_says_which_table_a_method_could_not_resample(tmp_path, capsys):
    rng = np.random.default_rng(3)
    y = np.r_[np.ones(30, int), np.zeros(170, int)]  # minority far from every majority row
    pd.DataFrame({"a": rng.normal(y * 50.0, 1.0), "b": rng.normal(y * 50.0, 1.0),
                  "class": y}).to_csv(tmp_path / "separated.csv", index=False)
    code, _, err = run(capsys, "benchmark", "--csv", tmp_path / "separated.csv", "class",
                       "--methods", "ADASYN", "SMOTE", *TINY[3:], "--output-dir",
                       tmp_path / "out", "--quiet")
    assert code == 0
    assert "warning: ADASYN failed on 1 table: separated (2 of 2 splits)" in err
    results = pd.read_csv(tmp_path / "out" / "results.csv")
    assert results.query("method == 'SMOTE'")["roc_auc"].notna().all()


@pytest.mark.parametrize("options, status, words", [
    (["--datasets", "pimaa"], 1, "Unknown"),
    (["--methods", "SMOTTE"], 1, "Unknown method"),
    (["--classifiers", "SVM"], 1, "Unknown classifier"),
    (["--csv", "only-a-path.csv"], 2, "--csv needs a PATH and a TARGET"),
    (["--csv", "missing.csv", "outcome"], 1, "input file not found"),
])
def test_benchmark_bad_options_stop_with_the_fix(tmp_path, capsys, options, status, words):
    code, _, err = run(capsys, "benchmark", *TINY[3:], *options, "--output-dir",
                       tmp_path / "out", "--quiet")
    assert code == status and words in err
    assert not (tmp_path / "out" / "results.csv").exists()


def test_the_toolkit_and_the_course_name_the_same_command():
    """The console script ``tabaug``, ``python -m tabaug`` and the course's ``python -m utils``
    run the same command line, each under its own name in its messages."""
    script = Path(sys.executable).parent / "tabaug"
    for command, prog in (([str(script)], "tabaug"),
                          ([sys.executable, "-m", "tabaug"], "python -m tabaug"),
                          ([sys.executable, "-m", "utils"], "python -m utils")):
        done = subprocess.run([*command, "benchmark", "--help"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"usage: {prog} benchmark "), done.stdout[:80]
        assert f"  {prog} benchmark --list" in done.stdout
