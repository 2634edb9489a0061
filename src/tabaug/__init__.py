"""tabaug: augment the small classes of imbalanced tables with generated rows, and measure
whether it helps.

The layers, each importing only those above it:

========================  ===================================================================
:mod:`tabaug.errors`      the errors every layer raises (bad data, bad settings)
:mod:`tabaug.data`        reading and validating a table, the built-in tables, preprocessing
:mod:`tabaug.generators`  models that learn a table and sample rows (copula, GANs, VAE, ...)
:mod:`tabaug.sampling`    over-samplers with imbalanced-learn's interface, ``balance_table``
:mod:`tabaug.metrics`     every score of a classifier's predictions
:mod:`tabaug.fidelity`    are generated rows realistic, varied and not copies?
:mod:`tabaug.stats`       statistical tests: one table's splits, and across tables
:mod:`tabaug.experiments` tuning, the repeated-split study, ``compare``, the benchmark
:mod:`tabaug.report`      tables, figures and sentences from results
:mod:`tabaug.cli`         the command line (``tabaug`` or ``python -m tabaug``)
========================  ===================================================================

TensorFlow (the neural generators), the statistics across tables and Dask are extras
(``pip install "gan-augmentation-tutorial[gan,stats,dask]"``): the copula and SMOTE paths
import none of them.

>>> from tabaug.sampling import GenerativeOverSampler
>>> sampler = GenerativeOverSampler(random_state=0)
>>> X_balanced, y_balanced = sampler.fit_resample(X, y)  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gan-augmentation-tutorial")
except PackageNotFoundError:  # run from a source folder without installing
    __version__ = "unknown"

__all__ = ["__version__"]
