"""Benchmarks of smswire's hot decode and encode paths, each against a same-run floor.

``python -m bench`` prints, for every path, records per second of the codec,
of its honest floor and of the hand-written peer code a user would otherwise
write, the codec/floor ratio (median of rotating rounds, with its spread) and
the speed-up over the peer, with the garbage collector on and off; see
``bench/README.md``. Vendors whose codec has not landed in
``smswire.codecs`` are listed as missing, not benchmarked.
"""

from __future__ import annotations

import importlib
import importlib.util

from ._harness import (
    GOAL,
    PEER_GOAL,
    BenchPath,
    Result,
    Scale,
    format_table,
    results_json,
    run_paths,
)

__all__ = [
    "GOAL",
    "PEER_GOAL",
    "VENDORS",
    "BenchPath",
    "Result",
    "Scale",
    "collect_paths",
    "format_table",
    "results_json",
    "run_paths",
]

#: The vendors with benchmark paths, in table order.
VENDORS = ("esms100", "smscn", "changlong", "eims", "emay")


def _landed(vendor: str) -> bool:
    try:
        return importlib.util.find_spec(f"smswire.codecs.{vendor}") is not None
    except ModuleNotFoundError:
        return False


def collect_paths(only: str | None = None) -> tuple[list[BenchPath], list[str]]:
    """The paths of every landed vendor (those whose name contains ``only``), and
    the vendors whose codec is not there yet."""
    paths: list[BenchPath] = []
    missing: list[str] = []
    for vendor in VENDORS:
        if not _landed(vendor):
            missing.append(vendor)
            continue
        try:
            module = importlib.import_module(f"{__name__}._paths_{vendor}")
        except ModuleNotFoundError as exc:
            # The codec is there but its benchmark paths are not written yet.
            if exc.name != f"{__name__}._paths_{vendor}":
                raise
            missing.append(vendor)
            continue
        paths.extend(p for p in module.PATHS if only is None or only in p.name)
    return paths, missing
