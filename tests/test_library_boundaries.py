"""The library stands on its own: the sampler, the generators and the fidelity measures import
none of the notebooks' glue (papermill parameters, cached rows, README text)."""

from __future__ import annotations

import subprocess
import sys

LIBRARY = ["utils.oversampler", "utils.generators", "utils.generators.paper_gan",
           "utils.generators.wgan_gp", "utils.generators.columns", "utils.fidelity", "utils.gan"]
GLUE = ["utils.parameters", "utils.pipeline", "papermill"]


def test_library_modules_do_not_import_the_course_glue():
    code = ("import sys\n"
            + "".join(f"import {name}\n" for name in LIBRARY)
            + f"print(sorted(name for name in {GLUE!r} if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
