"""Codecs are pure: nothing under codecs/ does I/O, reads the clock or draws random numbers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CODECS = Path(__file__).resolve().parent.parent / "codecs"
FORBIDDEN = {
    "httpx",
    "asyncio",
    "socket",
    "time",
    "random",
    "logging",
    "secrets",
    "urllib.request",
    "http.client",
    "threading",
    "subprocess",
    "uvicorn",
    "os",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(CODECS.rglob("*.py"))


def test_there_are_codec_modules_to_check() -> None:
    assert len(MODULES) > 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CODECS)))
def test_codec_module_imports_nothing_that_does_io(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"
