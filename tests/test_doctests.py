"""The examples in the docstrings run and print what they say (numpydoc ``Examples``)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import netsoc

MODULES = sorted(m.name for m in pkgutil.walk_packages(netsoc.__path__, "netsoc.")
                 if not m.name.endswith("__main__"))  # importing it runs the command line


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                          verbose=False, report=True)
    assert res.failed == 0, f"{res.failed} of {res.attempted} examples in {name} failed"


def test_the_public_functions_have_examples():
    # the style of the project: small functions with a runnable example; these modules
    # carry most of them, so a refactor that drops them shows here
    counts = {}
    for name in MODULES:
        finder = doctest.DocTestFinder()
        tests = finder.find(importlib.import_module(name))
        counts[name] = sum(len(t.examples) for t in tests)
    assert sum(counts.values()) >= 100, counts
