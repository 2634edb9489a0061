"""Show a function's source in a notebook, so the code a learner studies lives in one place."""

from __future__ import annotations

import inspect
import textwrap


def show_source(obj):
    """Display the source code of ``obj`` with syntax highlighting (plain text outside Jupyter).

    For plumbing a learner may want to read but not edit (notebook 06's per-split protocol, the
    WGAN-GP critic step of notebook 07); what a notebook exists to teach is written in its own
    cells instead.
    """
    code = textwrap.dedent(inspect.getsource(obj))
    try:
        from IPython.display import Code, display
    except ImportError:  # pragma: no cover - IPython is present wherever notebooks run
        print(code)
        return
    display(Code(code, language="python"))
