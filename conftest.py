"""How strict nbval re-executes the chapters (the other fixtures and hooks are in tests/conftest.py).

This file is at the top so that it applies to ``chapters/*.ipynb`` as well as to ``tests/``."""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """The kernel that nbval starts for a chapter (while setting up the chapter's first cell)
    re-executes it with ``qantar.figures.VERIFY_ENV`` set: the chapter then writes no figure
    and fails, naming the file, if it draws one that differs from the committed file by a byte.
    So the one re-execution checks the outputs (nbval) and the figures (the chapter itself).
    Only the kernels that nbval starts see the variable."""
    from qantar import figures

    chapter = item.nodeid.split("::", 1)[0].endswith(".ipynb")
    before = os.environ.get(figures.VERIFY_ENV)
    if chapter:
        os.environ[figures.VERIFY_ENV] = "1"
    try:
        yield
    finally:
        if chapter:
            if before is None:
                os.environ.pop(figures.VERIFY_ENV, None)
            else:
                os.environ[figures.VERIFY_ENV] = before
