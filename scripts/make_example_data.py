"""Write the example table that ships with the project: ``utils/examples/patients.csv``.

Usage: python scripts/make_example_data.py [--output PATH] [--rows N] [--seed S]

A *made-up* clinical table (no real patient is in it) with what real tables have and WDBC has
not: an identifier, whole-number, true/false and text columns, missing values, and a target
with three imbalanced classes. It lets you try every notebook and ``python -m utils`` on a table
like your own in seconds. Its law is known, so results on it can be judged:

- ``outcome``: ``healthy`` (about 70% of rows), ``benign`` (22%), ``malignant`` (8%);
- ``patient_id``: ``P0001``, ``P0002``, ...: an identifier, no information;
- ``age`` (whole years): older with ``benign`` and older still with ``malignant``;
- ``sex``: ``F`` or ``M``, unrelated to the outcome;
- ``smoker``: ``True``/``False``, more often true with ``malignant``;
- ``bmi`` (one decimal): unrelated to the outcome; about 6% missing;
- ``lesion_mm`` (one decimal): a skewed size, larger with ``benign`` and larger still with
  ``malignant``;
- ``marker`` (two decimals): a blood marker, high with ``malignant`` only; missing in about 8%
  of ``healthy`` rows, 2% of ``benign`` and no ``malignant`` row (a test not ordered is a
  missing value that says something);
- ``lymph_nodes`` (a count): positive nodes, mostly with ``malignant``;
- ``site``: ``left``, ``right`` or ``both``, ``both`` more often with ``malignant``; 3% missing.

The file is written in this order of columns, with the target in the middle, as files come.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "utils" / "examples" / "patients.csv"
CLASSES = {"healthy": 0.70, "benign": 0.22, "malignant": 0.08}


def make_patients(n_rows: int = 400, seed: int = 7) -> pd.DataFrame:
    """The example table: ``n_rows`` made-up patients drawn with ``seed`` (see the module)."""
    rng = np.random.default_rng(seed)
    outcome = rng.choice(list(CLASSES), size=n_rows, p=list(CLASSES.values()))
    level = pd.Series(outcome).map({"healthy": 0, "benign": 1, "malignant": 2}).to_numpy()
    age = np.clip(np.round(rng.normal(48 + 6 * level, 11)), 18, 90).astype(int)
    sex = rng.choice(["F", "M"], size=n_rows, p=[0.6, 0.4])
    smoker = rng.random(n_rows) < np.array([0.2, 0.25, 0.45])[level]
    bmi = np.round(rng.normal(26, 4, n_rows).clip(16, 45), 1)
    lesion = np.round(np.exp(rng.normal(np.log(6) + 0.5 * level, 0.45)), 1)
    marker = np.round(rng.gamma(4, 0.5, n_rows) + 2.5 * (level == 2) * rng.random(n_rows) + 1, 2)
    nodes = rng.poisson(np.array([0.05, 0.2, 1.8])[level])
    site_p = np.array([[0.47, 0.47, 0.06], [0.45, 0.45, 0.10], [0.35, 0.35, 0.30]])[level]
    site = np.array([rng.choice(["left", "right", "both"], p=p) for p in site_p], dtype=object)
    frame = pd.DataFrame({
        "patient_id": [f"P{i:04d}" for i in range(1, n_rows + 1)],
        "age": age,
        "sex": sex,
        "smoker": smoker,
        "bmi": bmi,
        "outcome": outcome,
        "lesion_mm": lesion,
        "marker": marker,
        "lymph_nodes": nodes,
        "site": site,
    })
    frame.loc[rng.random(n_rows) < 0.06, "bmi"] = np.nan
    frame.loc[rng.random(n_rows) < np.array([0.08, 0.02, 0.0])[level], "marker"] = np.nan
    frame.loc[rng.random(n_rows) < 0.03, "site"] = np.nan
    return frame


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument("--rows", type=int, default=400, help="rows to draw (default: 400)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the draw (default: 7)")
    args = parser.parse_args(argv)
    frame = make_patients(args.rows, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.output, index=False)
    counts = frame["outcome"].value_counts().to_dict()
    print(f"Wrote {len(frame)} rows to {args.output}; outcome: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
