"""Which of the tabular-GAN literature's ideas make the conditional GAN's rows more realistic,
measured on the development classes of the generator benchmark (never on evaluation ones).

Each variant is the conditional GAN (``tabaug.generators.conditional_gan``) with the defaults it
had when this study began (:data:`STARTING_DEFAULTS`, written out) and one setting changed,
registered under a name of its own and run by the generator benchmark
(``tabaug.experiments.generator_benchmark``) on the development classes, with the seeds and
two-sample repeats of the development run, so that its rows compare with that run's::

    python scripts/develop_gan.py                     # every variant, seeds 0 1 2
    python scripts/develop_gan.py --variants pac=10   # one
    python scripts/develop_gan.py --summary-only      # print the table from the kept rows

The rows go to ``results/gan-development/results.csv`` (resumable; ``--output`` names another
file of that folder, for a second run at the same time). The summary compares each
variant with the starting defaults and with the Gaussian copula, paired by origin, with a 95%
t interval over the development origins, reading the copula's and the ForestFlow generator's
rows from the development run (``results/generators-dev``, made by ``python -m utils
benchmark-generators --role development``). The rows it summarises are kept in the course
package, ``utils/kept/gan_development.csv`` (``utils.GAN_DEVELOPMENT_CSV``), each variant's
settings in a column, from which notebook 07 computes the same table wherever it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path

import pandas as pd

from tabaug.experiments.generator_benchmark import (
    class_tasks,
    run_generator_benchmark,
    summarize_generators,
)
from tabaug.experiments.speed import unit_seconds
from tabaug.generators import register
from tabaug.generators.conditional_gan import ConditionalGAN

#: The conditional GAN's defaults when this study began, written out, so that each variant
#: means the same settings after the defaults change (the study chose the new ones).
STARTING_DEFAULTS = {"class_sampling": "log", "scaling": None, "averaging": None, "pac": 1,
                     "validation": 0.0, "updates": None, "learning_rate": 2e-4,
                     "critic_dropout": 0.0}
#: One change each from the starting defaults: what the literature proposes, and the removal of
#: what the defaults already held (to see whether it mattered).
VARIANTS = {
    "starting defaults": {},
    "pac=10": {"pac": 10},                       # PacGAN, CTGAN's critic
    "validation=0.2": {"validation": 0.2},       # a held-out criterion for when to stop
    "pac=10, validation=0.2": {"pac": 10, "validation": 0.2},
    "no averaging": {"averaging": 0.0},          # the defaults average the weights
    "proportional classes": {"class_sampling": "proportional"},  # no training-by-sampling
    "minmax columns": {"scaling": "minmax"},     # no quantile transform of skewed columns
    "mode-specific columns": {"scaling": "modes"},  # CTGAN's mode-specific normalisation
    # What the single changes above suggested, together:
    "proportional classes, validation=0.2": {"class_sampling": "proportional",
                                             "validation": 0.2},
    "proportional classes, minmax columns": {"class_sampling": "proportional",
                                             "scaling": "minmax"},
    # Second round, after none of the ideas above closed the gap to ForestFlow: how long and how
    # fast it trains, and CTGAN's wider networks. Fixed before it ran: a change becomes the
    # default only if its whole interval against the starting defaults lies below 0 (the first
    # round's rule, the lowest mean, picked a setting whose lead came from three tiny classes).
    "updates=4000": {"updates": 4000},           # longer training (the default: 1500)
    "learning_rate=1e-3": {"learning_rate": 1e-3},  # faster steps (the default: 2e-4)
    "wider networks": {"generator_units": (256, 256),  # CTGAN's width (the default: 128)
                       "critic_units": (256, 256)},
    "critic dropout=0.5": {"critic_dropout": 0.5},  # CTGAN's critic
}
#: The variants of the first round, which notebook 07's first table shows.
FIRST_ROUND = list(VARIANTS)[:list(VARIANTS).index("updates=4000")]
BASELINE = "conditional-gan [starting defaults]"
REFERENCE = "gaussian-copula"
DEVELOPMENT_RUN = Path("results/generators-dev/results.csv")
OUTPUT = Path("results/gan-development/results.csv")
KEPT = Path("utils/kept/gan_development.csv")
#: The development run's rows kept beside the variants: the real held-out rows (the noise floor
#: of the two-sample test), the copula and the ForestFlow generator.
KEPT_GENERATORS = ["real rows", REFERENCE, "forest-flow"]


def variant_name(label: str) -> str:
    return f"conditional-gan [{label}]"


def variant_settings(label: str) -> dict:
    """The settings of variant ``label``: the starting defaults with its change."""
    return {**STARTING_DEFAULTS, **VARIANTS[label]}


def with_defaults(cls: type, name: str, **defaults) -> type:
    """A subclass of ``cls`` whose ``__init__`` has other defaults, so that the generator
    benchmark (which makes each generator with its defaults) runs the variant, and scikit-learn's
    ``get_params`` and ``clone`` see its settings."""
    init = cls.__init__
    new_init = types.FunctionType(init.__code__, init.__globals__, "__init__",
                                  init.__defaults__, init.__closure__)
    new_init.__kwdefaults__ = {**init.__kwdefaults__, **defaults}
    return type(name, (cls,), {"__init__": new_init, "__module__": __name__})


def register_variants(labels) -> list:
    names = []
    for label in labels:
        name = variant_name(label)
        register(name, with_defaults(ConditionalGAN, f"ConditionalGAN_{len(names)}",
                                     **variant_settings(label)))
        names.append(name)
    return names


def kept_rows(labels) -> pd.DataFrame:
    """The rows of :data:`KEPT_GENERATORS` and of the variants ``labels``, in that order, each
    variant's settings (JSON) and round (1: :data:`FIRST_ROUND`; 2: the second) in columns.

    The kept rows (:data:`KEPT`, in the repository) come first, then the rows measured on this
    machine since (the development run's, :data:`DEVELOPMENT_RUN`, and every CSV beside
    :data:`OUTPUT`), which replace kept rows of the same generator, class and seed: a study
    begun in one session goes on in the next, whose ``results/`` starts empty."""
    sources = [pd.read_csv(KEPT)] if KEPT.exists() else []
    if DEVELOPMENT_RUN.exists():
        development = pd.read_csv(DEVELOPMENT_RUN)
        sources.append(development[development["generator"].isin(KEPT_GENERATORS)])
    # The variants' runs measure the real rows too; those of the development run are kept.
    sources += [rows[~rows["generator"].isin(KEPT_GENERATORS)]
                for rows in map(pd.read_csv, sorted(OUTPUT.parent.glob("*.csv")))]
    if not sources:
        raise FileNotFoundError(f"No rows to summarise: neither {KEPT} nor {DEVELOPMENT_RUN} "
                                f"nor a CSV in {OUTPUT.parent}/. Run the script without "
                                "--summary-only first.")
    settings = {variant_name(label): json.dumps(variant_settings(label)) for label in labels}
    rows = pd.concat(sources, ignore_index=True)
    rows = rows[rows["generator"].isin([*KEPT_GENERATORS, *settings])]
    rows = rows.drop_duplicates(["generator", "table", "label", "seed"], keep="last")
    rows["settings"] = rows["generator"].map(settings)
    rounds = {variant_name(label): 1 if label in FIRST_ROUND else 2 for label in labels}
    rows["round"] = rows["generator"].map(rounds).astype("Int64")
    order = {name: i for i, name in enumerate([*KEPT_GENERATORS, *settings])}
    return rows.sort_values(["generator", "table", "seed"],
                            key=lambda c: c.map(order) if c.name == "generator" else c,
                            kind="stable").reset_index(drop=True)


def summary(rows, names) -> pd.DataFrame:
    by_baseline = summarize_generators(rows, reference=BASELINE)
    by_copula = summarize_generators(rows, reference=REFERENCE)
    table = by_baseline[["origins", "c2st_mean", "c2st_low", "c2st_high", "diff_mean",
                         "diff_low", "diff_high", "gap_mean", "on_target_share",
                         "fit_s_median"]].rename(columns=lambda c: c.replace("diff", "vs_default"))
    for column in ["diff_mean", "diff_low", "diff_high"]:
        table[column.replace("diff", "vs_copula")] = by_copula[column]
    return table.loc[[*KEPT_GENERATORS, *names]].round(3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--summary-only", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT,
                        help="the CSV to add rows to (another name in its folder lets two runs "
                             "go on at once; the summary reads every CSV there)")
    args = parser.parse_args(argv)
    names = register_variants(args.variants)
    if not args.summary_only:
        unit = unit_seconds()
        print(f"unit: {unit:.2f} s", flush=True)
        run_generator_benchmark(class_tasks("development"), names, args.seeds, c2st_repeats=2,
                                results_path=args.output, unit_seconds=unit)
    # Every variant measured so far is kept, whichever this run added.
    rows = kept_rows(list(VARIANTS))
    KEPT.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(KEPT, index=False)
    measured = [variant_name(label) for label in VARIANTS]
    table = summary(rows, [name for name in measured if name in set(rows["generator"])])
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
