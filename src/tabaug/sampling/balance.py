"""Balance a table: its rows, then generated rows of the classes that need them, as one table.

:func:`balance_table` is what ``tabaug balance`` runs (:mod:`tabaug.cli`), for use from
Python (its docstring has an example).

It wraps :class:`~tabaug.sampling.GenerativeOverSampler` for whole tables as files come: identifier
columns, missing values and empty columns, which the generators themselves refuse
(:func:`tabaug.generators.columns.check_complete`), are handled here, each in the open:

- an **identifier** column is not learned; generated rows get a missing identifier;
- a **text or true/false** column with missing values learns "missing" as one more category,
  which becomes a missing value again in the generated rows;
- a **numeric** column with missing values is completed, for training only, by values drawn
  at random from the same class's observed values of that column (no spike at a median), and
  a true/false column "was missing" is learned with the others; where the generated one says
  missing, the generated value is set missing, so generated rows carry missing values at the
  rate learned for their class, next to the columns they go with;
- an **empty** column (no value at all) is not learned; generated rows leave it empty.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from tabaug.data.preprocessing import check_id_columns, match_label
from tabaug.data.reading import validate_dataset
from tabaug.errors import DataError, ParameterError

__all__ = [
    "balance_report", "balance_table", "check_balance", "MISSING_CATEGORY",
    "SAMPLING_STRATEGIES",
]

#: The category that a missing text or true/false value is learned as (made unique per column).
MISSING_CATEGORY = "<missing>"
#: The names of the sampling strategies of imbalanced-learn's over-samplers.
SAMPLING_STRATEGIES = ("auto", "minority", "not majority", "not minority", "all")


def balance_table(frame, target, *, generator="gaussian-copula", sampling_strategy="auto",
                  random_state=None, id_columns=(), generated_column=None,
                  progress=False) -> pd.DataFrame:
    """The rows of ``frame``, unchanged, then generated rows of the classes that need them.

    The generated rows are made by :class:`~tabaug.sampling.GenerativeOverSampler` trained on the
    feature columns of ``frame`` (every column but the target, the identifiers and empty columns),
    one generator per class to over-sample (one for all classes if the generator is conditional),
    and come class by class after the rows of ``frame``. Missing values are learned, not refused:
    see the module's docstring.

    Parameters
    ----------
    frame : DataFrame
        The table, checked with :func:`tabaug.data.reading.validate_dataset` (unique column names, a
        target without missing values, at least two classes of at least four rows, no text in
        a numeric column).
    target : column name
        The column that holds the classes.
    generator : str or generator estimator, default="gaussian-copula"
        A name of :func:`tabaug.generators.available_generators`, ``"auto"`` (each class's
        generator chosen from its rows and columns by
        :func:`tabaug.generators.choice.choose_generator`), or an unfitted generator.
    sampling_strategy : str, float or dict, default="auto"
        imbalanced-learn's: ``"auto"`` (every class up to the majority's count), ``"minority"``,
        ``"not majority"``, ``"not minority"``, ``"all"``; a float (two classes only: the
        minority's count over the majority's after balancing); or ``{class: rows after}``,
        whose classes may be given as text (``{"1": 50}`` names the class ``1``).
    random_state : int, numpy Generator, RandomState or None, default=None
        Seeds everything (the completion of missing values and every generator); the same int
        gives the same table. No global random state is reseeded; None draws a seed from
        NumPy's global state, as scikit-learn does.
    id_columns : sequence of column names, default=()
        Identifier columns (checked with :func:`tabaug.data.preprocessing.check_id_columns`): not
        learned; generated rows get a missing identifier. An integer or boolean identifier
        column therefore comes back in pandas' nullable dtype (``Int64``, ``boolean``), which
        can hold a missing value; every other column keeps the dtype it has in ``frame``.
    generated_column : column name or None, default=None
        If given, a boolean column of that name is appended: False for the rows of ``frame``,
        True for the generated rows. Refused if ``frame`` already has such a column.
    progress : bool or tqdm bar, default=False
        True shows a progress bar with one step per generator trained; a ``tqdm`` bar (e.g. a
        command line's own) gets these steps added to its total and advances through them.
        Generators that train networks show their own bars too.

    Returns
    -------
    DataFrame
        ``len(frame)`` rows of ``frame`` (with a new 0, 1, ... index), then the generated rows:
        the columns of ``frame`` in its order and dtypes (but see ``id_columns``), plus
        ``generated_column`` if asked for. :func:`balance_report` counts the rows per class.
        ``attrs["generators"]`` holds each over-sampled class's
        :class:`~tabaug.generators.choice.Choice` (the generator's name, and why).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tabaug.sampling import balance_table
    >>> from tabaug.sampling.balance import balance_report
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"patient": range(60), "age": rng.integers(30, 80, 60),
    ...                       "smoker": rng.choice(["yes", "no", None], 60),
    ...                       "outcome": ["healthy"] * 45 + ["ill"] * 15})
    >>> balanced = balance_table(frame, "outcome", id_columns=["patient"], random_state=0)
    >>> balance_report(frame, balanced, "outcome")
             before  generated  after
    class
    healthy      45          0     45
    ill          15         30     45
    total        60         30     90
    >>> balanced.tail(3)  # no identifier for a made-up patient; missing answers kept
        patient  age smoker outcome
    87     <NA>   45    NaN     ill
    88     <NA>   57    NaN     ill
    89     <NA>   68    NaN     ill
    """
    strategy = check_balance(frame, target, sampling_strategy=sampling_strategy,
                             id_columns=id_columns, generated_column=generated_column)
    frame = frame.reset_index(drop=True)
    identifiers, empty, learned = _roles(frame, target, id_columns)
    labels = frame[target]
    seed = _seed(random_state)
    rng = np.random.default_rng([seed, 0x6D697373])  # "miss": its own stream
    training, restore = _training_table(frame[learned], labels, rng)
    choices = {}
    generated, generated_labels = _generate(training, labels, strategy, generator, seed,
                                            progress, choices)
    generated = restore(generated)
    balanced = _assemble(frame, target, generated, generated_labels, identifiers,
                         generated_column)
    balanced.attrs["generators"] = choices
    return balanced


def check_balance(frame, target, *, sampling_strategy="auto", id_columns=(),
                  generated_column=None) -> dict:
    """Check everything :func:`balance_table` is given (same arguments) before any training;
    return imbalanced-learn's ``sampling_strategy_``: {class: rows to generate}.

    Raises :class:`~tabaug.errors.DataError` (the table) or :class:`~tabaug.errors.ParameterError`
    (a setting) with a message that names the problem and its fix."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"balance_table needs a pandas DataFrame, got {type(frame).__name__}.")
    validate_dataset(frame, target)
    identifiers, empty, learned = _roles(frame, target, id_columns)
    if generated_column is not None and generated_column in frame.columns:
        raise DataError(
            f"The data already have a column '{generated_column}', the name asked for the "
            "column that marks generated rows: choose another name for it.")
    if not learned:
        raise DataError(
            f"No column is left to learn from: besides the target '{target}', the data hold "
            f"identifier columns {identifiers} and empty columns {empty} only. Keep at least "
            "one feature column (check id_columns).")
    return _resolve_strategy(sampling_strategy, frame[target])


def _roles(frame, target, id_columns):
    """The identifier columns (checked), the empty columns and the columns to learn."""
    identifiers = check_id_columns(frame, target, list(id_columns or ()))
    empty = [column for column in frame.columns
             if column != target and column not in identifiers and frame[column].isna().all()]
    learned = [column for column in frame.columns
               if column != target and column not in identifiers and column not in empty]
    return identifiers, empty, learned


def balance_report(frame, balanced, target) -> pd.DataFrame:
    """Rows per class before balancing, generated and after: one row per class of ``frame``
    (largest first), then a ``total`` row."""
    before = frame[target].value_counts()
    after = balanced[target].value_counts().reindex(before.index, fill_value=0)
    report = pd.DataFrame({"before": before, "generated": after - before, "after": after})
    report.loc["total"] = report.sum()
    report.index.name = "class"
    return report.astype(int)


# --- the sampling strategy ---------------------------------------------------------------------
def _resolve_strategy(sampling_strategy, labels) -> dict:
    """imbalanced-learn's ``sampling_strategy_``: {class: rows to generate}, in its order, with
    messages that say what to ask for instead."""
    from imblearn.utils import check_sampling_strategy

    counts = labels.value_counts()
    classes = list(counts.index)
    if isinstance(sampling_strategy, dict):
        asked = {}
        for label, rows in sampling_strategy.items():
            label = match_label(label, classes, "sampling_strategy's class")
            if isinstance(rows, bool) or not isinstance(rows, numbers.Integral):
                raise ParameterError(
                    f"sampling_strategy asks for {rows!r} rows of class {label!r}: give a whole "
                    "number of rows.")
            if rows < counts[label]:
                raise ParameterError(
                    f"sampling_strategy asks for {rows} rows of class {label!r}, which has "
                    f"{counts[label]}: balancing only adds rows, so ask for at least "
                    f"{counts[label]} (the number of rows the class should have afterwards).")
            asked[label] = int(rows)
        sampling_strategy = asked
    elif isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        if len(classes) != 2:
            raise ParameterError(
                f"sampling_strategy={sampling_strategy} is a ratio, which needs a target with "
                f"two classes; '{labels.name}' has {len(classes)} ({classes}). Give the rows "
                "each class should have, as {class: rows} (on the command line "
                "LABEL=ROWS,LABEL=ROWS), or a name such as 'auto'.")
        current = counts.iloc[-1] / counts.iloc[0]
        if not 0 < sampling_strategy <= 1 or sampling_strategy < current:
            raise ParameterError(
                f"sampling_strategy={sampling_strategy} asks for {counts.index[-1]!r} rows over "
                f"{counts.index[0]!r} rows of {sampling_strategy}; give a ratio from "
                f"{current:.3g} (the current one) to 1 (as many rows as the majority).")
    elif isinstance(sampling_strategy, str) and sampling_strategy not in SAMPLING_STRATEGIES:
        raise ParameterError(
            f"sampling_strategy={sampling_strategy!r} is not a strategy for adding rows; use "
            f"one of {list(SAMPLING_STRATEGIES)}, a ratio (two classes) or {{class: rows}} (on the "
            "command line LABEL=ROWS,LABEL=ROWS).")
    try:
        resolved = check_sampling_strategy(sampling_strategy, labels.to_numpy(), "over-sampling")
    except ValueError as error:
        raise ParameterError(f"sampling_strategy={sampling_strategy!r}: {error}") from error
    return {label: int(rows) for label, rows in resolved.items()}


def _seed(random_state) -> int:
    from tabaug.generators.base import draw_seed

    if isinstance(random_state, numbers.Integral) and random_state < 0:
        raise ParameterError(f"random_state={random_state}: give a seed of 0 or more.")
    return draw_seed(random_state)


# --- missing values ----------------------------------------------------------------------------
def _training_table(features, labels, rng):
    """``features`` without missing values, and the function that puts them back in rows
    generated from it (see the module's docstring)."""
    training = features.copy()
    categories, indicators = {}, {}
    taken = {str(name) for name in features.columns}
    for column in features.columns:
        values = features[column]
        missing = values.isna()
        if not missing.any():
            continue
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            training[column] = _draw_observed(values, labels, rng)
            indicator = _unique_name(f"{column} is missing", taken)
            training[indicator] = missing.to_numpy()
            indicators[column] = indicator
        else:
            sentinel = _unique_name(MISSING_CATEGORY, {str(v) for v in values.dropna().unique()})
            training[column] = values.astype(object).where(~missing, sentinel)
            categories[column] = sentinel

    def restore(generated):
        generated = generated.copy()
        for column, indicator in indicators.items():
            generated[column] = generated[column].mask(generated[indicator].astype(bool))
        for column, sentinel in categories.items():
            values = generated[column].astype(object)
            generated[column] = values.where(values != sentinel, np.nan)
        return generated.drop(columns=list(indicators.values()))

    return training, restore


def _draw_observed(values, labels, rng):
    """``values`` with each missing value drawn from the observed values of its row's class
    (of the whole column when the class has none)."""
    filled = values.copy()
    observed = values.notna()
    for label in pd.unique(labels):
        in_class = (labels == label).to_numpy()
        holes = in_class & ~observed.to_numpy()
        if not holes.any():
            continue
        pool = values[in_class & observed.to_numpy()]
        if len(pool) == 0:
            pool = values[observed]
        filled[holes] = rng.choice(pool.to_numpy(), size=int(holes.sum()))
    return filled


def _unique_name(name, taken):
    while name in taken:
        name = f"{name}_"
    taken.add(name)
    return name


# --- generation --------------------------------------------------------------------------------
def _generate(training, labels, strategy, generator, seed, progress, choices):
    """The generated feature rows and their classes, class by class in ``strategy``'s order.

    One :class:`~tabaug.sampling.oversampler.GenerativeOverSampler` per class, each with
    ``random_state=seed``: a class's generator is seeded by its class (the sampler's
    ``SeedSequence`` child of that class), so that the rows are those of
    ``GenerativeOverSampler(random_state=seed).fit_resample`` and the progress bar can move
    class by class; a conditional generator is trained once, on every class. ``choices`` gets
    each class's generator: its name and, with ``"auto"``, why it was chosen."""
    from tabaug.generators import generator_class
    from tabaug.generators.choice import AUTO, Choice
    from tabaug.sampling.oversampler import GenerativeOverSampler

    try:
        conditional = (False if generator == AUTO else
                       (generator_class(generator) if isinstance(generator, str)
                        else generator).conditional)
    except ValueError as error:
        raise ParameterError(str(error)) from None
    counts = labels.value_counts()
    targets = {label: rows for label, rows in strategy.items() if rows > 0}
    if conditional:
        steps = [(list(targets), {label: int(counts[label]) + rows
                                  for label, rows in targets.items()}, seed)]
    else:
        steps = [([label], {label: int(counts[label]) + rows}, seed)
                 for label, rows in targets.items()]
    bar, own_bar = _progress_bar(progress, len(steps))
    verbose = bar is not None and not getattr(bar, "disable", False)
    name = generator if isinstance(generator, str) else type(generator).__name__
    rows, classes = [], []
    try:
        for step_labels, totals, step_seed in steps:
            if bar is not None:
                which = ", ".join(map(repr, step_labels))
                bar.set_description(f"{name}: class {which}")
            sampler = GenerativeOverSampler(generator=generator, sampling_strategy=totals,
                                            random_state=step_seed, verbose=verbose)
            X, y = sampler.fit_resample(training, labels)
            for label in step_labels:
                choices[label] = sampler.choices_.get(label, Choice(name, "asked for"))
            rows.append(X.iloc[len(training):])
            classes.append(pd.Series(y).iloc[len(training):])
            if bar is not None:
                bar.update(1)
    finally:
        if own_bar:
            bar.close()
    if not rows:
        return training.iloc[:0], labels.iloc[:0]
    return (pd.concat(rows, ignore_index=True).astype(training.dtypes.to_dict()),
            pd.concat(classes, ignore_index=True))


def _progress_bar(progress, steps):
    """(bar, whether it is ours to close): None without progress; the caller's bar, its total
    grown by ``steps``; or a new one."""
    if progress is None or progress is False:
        return None, False
    if hasattr(progress, "update"):
        progress.total = (progress.total or 0) + steps
        progress.refresh()
        return progress, False
    from tqdm.auto import tqdm

    return tqdm(total=steps, desc="balancing", unit="class"), True


# --- the balanced table ------------------------------------------------------------------------
def _assemble(frame, target, generated, generated_labels, identifiers, generated_column):
    n_new = len(generated)
    columns = {}
    for column in frame.columns:
        dtype = frame[column].dtype
        if column == target:
            new = pd.Series(generated_labels.to_numpy(), dtype=dtype)
        elif column in generated.columns:
            new = generated[column].reset_index(drop=True)
        else:  # an identifier or an empty column: missing in the generated rows
            if n_new and column in identifiers:
                dtype = _nullable(dtype)
            new = pd.Series([None] * n_new, dtype=object)
        columns[column] = pd.concat([frame[column].astype(dtype), new.astype(dtype)],
                                    ignore_index=True)
    balanced = pd.DataFrame(columns, columns=frame.columns)
    if generated_column is not None:
        balanced[generated_column] = np.arange(len(balanced)) >= len(frame)
    return balanced


def _nullable(dtype):
    """A dtype that can hold a missing value: pandas' nullable one for integers and booleans."""
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iu":
            return dtype.name.replace("uint", "UInt").replace("int", "Int")
        if dtype.kind == "b":
            return "boolean"
    return dtype
