"""Codecs are pure: nothing under codecs/ does I/O, reads the clock or draws random numbers.

The rule is the conformance suite's (``smswire.testing._purity``), applied here to
every module of the package's ``codecs/`` tree, the shared ones included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from smswire.testing._purity import impurities

CODECS = Path(__file__).resolve().parent.parent / "codecs"
MODULES = sorted(CODECS.rglob("*.py"))
#: The one place that reads the clock on purpose: ``Stamp.current()`` and
#: ``Stamp.now()`` are the caller's convenience, never called by a codec.
CLOCK_OWNERS = {"_models.py", "_chinatime.py"}


def test_there_are_codec_modules_to_check() -> None:
    assert len(MODULES) > 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CODECS)))
def test_codec_module_imports_nothing_that_does_io(path: Path) -> None:
    bad = impurities(path)
    if path.name in CLOCK_OWNERS:
        bad = [b for b in bad if not b.startswith("reads the clock")]
    assert not bad, f"{path.name}: {bad}"


def test_a_clock_read_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "codec.py"
    module.write_text("from datetime import datetime\n\ndef f():\n    return datetime.now()\n")
    assert impurities(module) == ["reads the clock, line 4: .now()"]


def test_an_io_import_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "codec.py"
    module.write_text("import urllib.request\nfrom os import path\n")
    assert impurities(module) == ["imports os", "imports urllib.request"]
