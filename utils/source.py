"""Show a function's source in a notebook, so the code a learner studies lives in one place."""

from __future__ import annotations

import inspect
import textwrap


def show_source(obj):
    """Display the source code of ``obj`` with syntax highlighting (plain text outside Jupyter).

    Notebook 03 uses it to show the GAN's layers, compile step and training loop exactly as
    ``utils`` runs them, instead of keeping a hand-made copy in the notebook.
    """
    code = textwrap.dedent(inspect.getsource(obj))
    try:
        from IPython.display import Code, display
    except ImportError:  # pragma: no cover - IPython is present wherever notebooks run
        print(code)
        return
    display(Code(code, language="python"))
