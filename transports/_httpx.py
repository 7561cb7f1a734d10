"""Import httpx without its command-line client.

httpx's top level imports ``httpx._main`` (its CLI: click, pygments, rich when
installed) for the ``httpx.main`` entry point, which a library never calls;
that is about a third of ``import httpx``. httpx documents a fallback for when
the CLI's dependencies are missing: this module takes it for the duration of
the import, then puts back a ``main`` that loads the real CLI on first call
(or, its dependencies missing, runs httpx's own fallback), so ``httpx.main``
does what it did.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__all__: list[str] = []


_fallback: list[Any] = []


def _lazy_main(*args: Any, **kwargs: Any) -> Any:
    try:
        main = importlib.import_module("httpx._main").main
    except ImportError:
        main = _fallback[0]
    return main(*args, **kwargs)


def _import_httpx() -> None:
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    # None in sys.modules makes `from ._main import main` raise ImportError.
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    finally:
        del sys.modules["httpx._main"]
    _fallback.append(httpx.main)
    httpx.main = _lazy_main  # type: ignore[assignment]


_import_httpx()
