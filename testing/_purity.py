"""The purity rule as a check anyone can run on a module list: no I/O imports, no clock.

A codec is pure (DESIGN principle 1): nothing it imports does I/O, and it
never reads the clock or draws a random number — time and sequence numbers
come in through a ``Stamp``. :func:`impurities` reads a module's source (its
AST: nothing is imported or run) and lists what breaks the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

__all__ = ["CLOCK_CALLS", "FORBIDDEN_IMPORTS", "imports", "impurities", "module_files"]

#: Modules a codec must not import (and their submodules).
FORBIDDEN_IMPORTS = frozenset(
    {
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
        "requests",
        "aiohttp",
    }
)
#: Attribute calls that read the clock (``datetime.now()``, ``Stamp.current()``…).
CLOCK_CALLS = frozenset({"now", "utcnow", "today", "current", "monotonic", "perf_counter"})


def imports(tree: ast.AST) -> set[str]:
    """The absolute module names a module's source imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _clock_calls(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
        ):
            yield f"line {node.lineno}: .{node.func.attr}()"


def impurities(path: Path) -> list[str]:
    """What in the module at ``path`` breaks the purity rule (empty: nothing)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    bad = sorted(
        name
        for name in imports(tree)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS)
    )
    return [f"imports {name}" for name in bad] + [
        f"reads the clock, {c}" for c in _clock_calls(tree)
    ]


def module_files(module: ModuleType) -> list[Path]:
    """The source files of ``module``: all of a package's, or the module's own."""
    locations = getattr(module, "__path__", None)
    if locations is not None:
        return sorted(p for location in locations for p in Path(location).rglob("*.py"))
    if module.__file__ is None:  # pragma: no cover - a built-in or frozen module
        return []
    return [Path(module.__file__)]
