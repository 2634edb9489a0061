"""The library stands on its own: the sampler, the generators and the fidelity measures import
none of the notebooks' glue (papermill parameters, cached rows, README text).

Read from the sources' import statements (a module, then every ``utils`` module it imports, at
any depth), so the check costs no TensorFlow import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

UTILS = Path(__file__).resolve().parents[1] / "utils"
LIBRARY = ["utils.oversampler", "utils.gan_oversampler", "utils.generators", "utils.fidelity",
           "utils.gan", "utils.balance", "utils.compare", "utils.cli", "utils.preprocessing",
           "utils.benchmark", "utils.benchmark_report", "utils.stats", "utils.datasets",
           "utils.weighted_binning",
           *(f"utils.generators.{path.stem}" for path in (UTILS / "generators").glob("*.py")
             if path.stem != "__init__")]
GLUE = {"utils.parameters", "utils.pipeline", "papermill"}


def source_of(module: str) -> Path:
    path = UTILS.parent.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imported(module: str) -> set:
    """The modules ``module``'s source imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(source_of(module).read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def reachable(start: list) -> set:
    seen, todo = set(), list(start)
    while todo:
        module = todo.pop()
        if module in seen or not source_of(module).exists():
            continue
        seen.add(module)
        todo += [name for name in imported(module) if name.split(".")[0] in ("utils", "papermill")]
    return seen | {name for module in seen for name in imported(module)}


def test_library_modules_do_not_import_the_course_glue():
    assert reachable(LIBRARY) & GLUE == set()


def test_the_package_loads_the_glue_only_when_asked_for():
    """``utils/__init__`` offers check_parameters lazily: no module-level import of the glue,
    though the check above would see it (it reads imports inside functions too)."""
    tree = ast.parse(source_of("utils").read_text())
    top_level = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert top_level & GLUE == set()
    assert "utils.parameters" in reachable(["utils"])


def test_notebooks_without_a_gan_to_train_import_no_tensorflow():
    """Importing TensorFlow costs about 5 units: the modules notebooks 04-06 and 08 import
    load it only when a GAN must be trained (04 and 05 read notebook 03's rows)."""
    modules = ["utils", "utils.evaluation", "utils.pipeline", "utils.plotting", "utils.sampling",
               "utils.fidelity", "utils.study", "utils.benchmark", "utils.benchmark_report",
               "utils.datasets", "utils.stats", "utils.preprocessing", "utils.data"]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_the_copula_and_smote_paths_import_no_tensorflow(tmp_path):
    """GenerativeOverSampler with the copula, the benchmark's SMOTE and copula methods and
    ``python -m utils balance`` with its default generator never load TensorFlow (seconds in
    every process and worker, for nothing); a generator that trains with TensorFlow does."""
    code = """
import sys
import numpy as np, pandas as pd
from utils.oversampler import GenerativeOverSampler
from utils.benchmark import make_method
from utils.cli import main
rng = np.random.default_rng(0)
X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.integers(0, 5, 60)})
y = np.r_[np.zeros(45, int), np.ones(15, int)]
GenerativeOverSampler(random_state=0).fit_resample(X, y)
for name in ("SMOTE", "gaussian-copula"):
    make_method(name, 0, y).sampler.fit_resample(X, y)
X.assign(label=y).to_csv(sys.argv[1], index=False)
assert main(["balance", sys.argv[1], "--target", "label", "--output", sys.argv[2],
             "--quiet"]) == 0
print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
from utils.quiet import generator_class_quietly
generator_class_quietly("tvae")  # trains with TensorFlow, imported when it fits
print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "in.csv"),
                             str(tmp_path / "out.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "['keras', 'tensorflow']"], result.stdout


def test_generators_that_import_tensorflow_say_so():
    """``uses_tensorflow`` tells the command line and the benchmark's workers to import
    TensorFlow quietly before a generator trains: it must be True exactly for the registered
    generators whose own modules (the class's and its parents', the shared base left out)
    import TensorFlow, Keras or ``utils.gan``, at module level or inside a method."""
    from utils.generators import GENERATORS, TabularGenerator, generator_class

    for name in GENERATORS:
        cls = generator_class(name)
        modules = {parent.__module__ for parent in cls.__mro__
                   if issubclass(parent, TabularGenerator) and parent is not TabularGenerator}
        names = set().union(*(imported(module) for module in modules))
        uses = any(n.split(".")[0] in ("tensorflow", "keras") or n == "utils.gan" for n in names)
        assert cls.uses_tensorflow == uses, name
