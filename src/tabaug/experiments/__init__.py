"""Experiments: one model for notebook 06's study of one table, ``compare`` and the benchmark
over many tables.

- :mod:`~tabaug.experiments.protocol`: :class:`Protocol`, the settings every split shares;
- :mod:`~tabaug.experiments.methods`: the methods, under one naming scheme, and their registry;
- :mod:`~tabaug.experiments.classifiers`: the classifiers and their grids;
- :mod:`~tabaug.experiments.tuning`: tuning a classifier on the validation rows;
- :mod:`~tabaug.experiments.evaluate`: the one evaluator of a split;
- :mod:`~tabaug.experiments.study`, :mod:`~tabaug.experiments.compare` and
  :mod:`~tabaug.experiments.benchmark`: the evaluator over many splits of one table, or of
  many tables (resumable).
"""

from tabaug.experiments.benchmark import run_benchmark
from tabaug.experiments.compare import compare_methods
from tabaug.experiments.evaluate import evaluate_split
from tabaug.experiments.protocol import Protocol
from tabaug.experiments.study import run_study

__all__ = ["compare_methods", "evaluate_split", "Protocol", "run_benchmark", "run_study"]
