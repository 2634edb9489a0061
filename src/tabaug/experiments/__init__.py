"""Experiments: tuning a classifier (:mod:`~tabaug.experiments.tuning`), the repeated-split
study of one table (:mod:`~tabaug.experiments.study`, :mod:`~tabaug.experiments.compare`) and
the benchmark over many tables (:mod:`~tabaug.experiments.benchmark`)."""

from tabaug.experiments.benchmark import Protocol, run_benchmark
from tabaug.experiments.compare import compare_methods
from tabaug.experiments.study import run_study

__all__ = ["Protocol", "compare_methods", "run_benchmark", "run_study"]
