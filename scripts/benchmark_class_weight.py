"""Time the study's "Class weight" method with scikit-learn's weighted binning and with
:func:`tabaug.experiments.binning.fast_weighted_binning`, side by side in one run.

Usage: python scripts/benchmark_class_weight.py [--repeats N] [--seed S] [--json PATH]

On WDBC's training and validation rows of split ``seed``, tunes the classifier as the study does
(:func:`tabaug.experiments.tuning.tune_classifier`: the paper's grid of 15 settings, then a refit)
``--repeats`` times each way, alternating so that a busy machine slows both alike, and checks that
the tuned models' test probabilities are identical. One thread, as the study's workers. Prints the
seconds per tuning and the speed-up; ``--json`` writes them too.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tabaug.data.preprocessing import prepare_data  # noqa: E402
from tabaug.experiments import binning as weighted_binning  # noqa: E402
from tabaug.experiments.tuning import tune_classifier  # noqa: E402


def tune_seconds(data, seed, fast):
    """Seconds to tune the class-weighted classifier, and its test probabilities. ``fast``:
    as the study does (``fast_binning=True``); otherwise with scikit-learn's own binning."""
    began = time.perf_counter()
    search = tune_classifier(data.X_train, data.y_train, data.X_val, data.y_val,
                             seed=seed, class_weight="balanced", fast_binning=fast)
    return time.perf_counter() - began, search.predict_proba(data.X_test)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    data = prepare_data(seed=args.seed, verbose=False)
    times = {"scikit-learn": [], "fast": []}
    probabilities = {}
    with threadpool_limits(1):
        for _ in range(args.repeats):
            for arm in times:
                seconds, probabilities[arm] = tune_seconds(data, args.seed, arm == "fast")
                times[arm].append(seconds)
    identical = bool(np.array_equal(probabilities["scikit-learn"], probabilities["fast"]))
    medians = {arm: statistics.median(values) for arm, values in times.items()}
    print(f"scikit-learn {sklearn.__version__}; fast binning needed: "
          f"{weighted_binning.needs_fast_binning()}; {len(data.y_train)} training rows, "
          f"15 settings + refit, {args.repeats} repeats, one thread")
    for arm, values in times.items():
        print(f"  {arm:>13}: {medians[arm]:6.2f} s per tuning (median; "
              f"{', '.join(f'{v:.2f}' for v in values)})")
    print(f"  speed-up: {medians['scikit-learn'] / medians['fast']:.1f}x; identical test "
          f"probabilities: {identical}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "sklearn": sklearn.__version__, "machine": platform.processor() or platform.machine(),
            "training_rows": len(data.y_train), "seconds": times, "median_seconds": medians,
            "identical_probabilities": identical}, indent=2) + "\n")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
