"""``smswire.codecs.__getattr__``: the names the package hands out lazily.

Each name is looked up on the module at call time (``from … import`` at import
would be resolved before a test runs); the expected objects come from the
submodules and from ``importlib.metadata`` directly. Written to kill mutants of
``tools/mutate.py codecs/__init__.py`` (issue 17).
"""

from __future__ import annotations

import importlib.metadata

import pytest
import smswire.codecs as package
from smswire.codecs import _capabilities, _converter


@pytest.mark.parametrize("name", ["Capabilities", "capabilities", "capability_table"])
def test_capability_names_are_the_capabilities_modules_own(name: str) -> None:
    assert getattr(package, name) is getattr(_capabilities, name)


def test_converter_is_the_converter_modules_own() -> None:
    assert package.converter is _converter.converter


def test_version_is_the_installed_distributions() -> None:
    assert package.__version__ == importlib.metadata.version("smswire")


def test_version_without_an_installed_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def missing(name: str) -> str:
        asked.append(name)
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert package.__version__ == "0+unknown"
    assert asked == ["smswire"]


@pytest.mark.parametrize(
    "name", ["nope", "CAPABILITIES", "Capability_table", "__VERSION__", "XXconverterXX"]
)
def test_other_names_are_attribute_errors_naming_them(name: str) -> None:
    with pytest.raises(AttributeError) as caught:
        getattr(package, name)
    assert str(caught.value) == f"module 'smswire.codecs' has no attribute {name!r}"
