"""The Makefile parses cleanly and has every `make` target the documentation tells users to run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "colab_setup.md", *sorted((ROOT / "docs").glob("*.md"))]


def _targets() -> list[str]:
    """The Makefile's targets, in order, each as often as it is defined."""
    makefile = (ROOT / "Makefile").read_text()
    return re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE)


def _documented() -> set[str]:
    found = set()
    for doc in DOCS:
        found |= set(re.findall(r"`make ([a-z][\w-]*)", doc.read_text()))
    return found


def test_every_documented_make_target_exists():
    documented = _documented()
    assert {"run", "test", "speed"} <= documented, "README should name make run/test/speed"
    missing = documented - set(_targets())
    assert not missing, f"the docs name make targets the Makefile lacks: {sorted(missing)}"


def test_each_target_is_defined_once():
    names = _targets()
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"targets defined twice (the later recipe wins): {repeated}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_prints_no_warning():
    done = subprocess.run(["make", "-n", "help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
