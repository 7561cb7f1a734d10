"""Every example in a docstring of the package runs as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
import smswire.codecs

_SUBMODULES = pkgutil.walk_packages(smswire.codecs.__path__, "smswire.codecs.")
MODULES = ["smswire.codecs", *sorted(i.name for i in _SUBMODULES if ".strategies" not in i.name)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_there_are_examples_to_run() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 10
