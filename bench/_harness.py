"""Timing, floors and reporting shared by every benchmark path.

A path pairs the codec's hot call with a *floor*: the least work any correct
implementation must do for the same wire body (bare ``str.split`` /
``json.loads`` / AES / zlib plus building the same model objects without
validation), written independently of the codec. Both run in the same process,
interleaved, so machine noise hits them alike; the ratio ``codec / floor`` is
the number that matters, not the absolute rate.

Before timing, the harness checks that the floor's output equals the codec's:
a floor that builds less than the codec does would flatter nothing but itself.
"""

from __future__ import annotations

import gc
import json
import math
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs

__all__ = [
    "GOAL",
    "BenchPath",
    "Prepared",
    "Result",
    "Scale",
    "format_table",
    "measure",
    "results_json",
    "run_paths",
    "write_json",
]

#: Every path should run at no less than this fraction of its floor's rate.
GOAL = 0.75


@attrs.frozen
class Scale:
    """How big the generated data is and how often each call is timed.

    ``quick`` shrinks batches twenty-fold and takes fewer repeats, so CI runs
    every path in a few seconds; the full run uses the sizes the brief names.
    """

    quick: bool = False

    def size(self, full: int) -> int:
        """The record count to generate for a path whose full size is ``full``."""
        return full if not self.quick else max(10, full // 20)

    @property
    def repeats(self) -> int:
        """Best-of count for each side of a path."""
        return 3 if self.quick else 25

    @property
    def min_seconds(self) -> float:
        """Calls are looped until one timed repeat lasts at least this long."""
        return 0.002 if self.quick else 0.02


@attrs.frozen
class Prepared:
    """A path ready to time: its record count and the two zero-argument calls."""

    records: int
    codec: Callable[[], object]
    floor: Callable[[], object]


@attrs.frozen
class BenchPath:
    """A named path; ``build`` generates its data (deterministically) at a scale."""

    name: str
    build: Callable[[Scale], Prepared]


@attrs.frozen
class Result:
    """Records per second of the codec and of its floor, and their ratio."""

    name: str
    records: int
    codec_per_s: float
    floor_per_s: float

    @property
    def ratio(self) -> float:
        """``codec_per_s / floor_per_s``: 1.0 means as fast as the floor."""
        return self.codec_per_s / self.floor_per_s

    def as_json(self) -> dict[str, object]:
        """The JSON object of this result."""
        return {
            "name": self.name,
            "records": self.records,
            "codec_per_s": round(self.codec_per_s, 1),
            "floor_per_s": round(self.floor_per_s, 1),
            "ratio": round(self.ratio, 3),
        }


class FloorMismatchError(AssertionError):
    """The floor built something other than what the codec built."""


def _loop_count(fn: Callable[[], object], min_seconds: float) -> int:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    return max(1, math.ceil(min_seconds / max(elapsed, 1e-9)))


def _timed(fn: Callable[[], object], loops: int) -> float:
    """Seconds per call over ``loops`` calls, with the collector off."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        elapsed = time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()
    return elapsed / loops


def measure(path: BenchPath, scale: Scale) -> Result:
    """Check the floor against the codec, then time both, best of ``scale.repeats``."""
    prepared = path.build(scale)
    expected, floor_out = prepared.codec(), prepared.floor()
    if expected != floor_out:
        raise FloorMismatchError(f"{path.name}: the floor's output differs from the codec's")
    del expected, floor_out
    codec_loops = _loop_count(prepared.codec, scale.min_seconds)
    floor_loops = _loop_count(prepared.floor, scale.min_seconds)
    best_codec = best_floor = math.inf
    # Interleaved, so a burst of load from elsewhere slows both sides alike.
    for _ in range(scale.repeats):
        best_codec = min(best_codec, _timed(prepared.codec, codec_loops))
        best_floor = min(best_floor, _timed(prepared.floor, floor_loops))
    return Result(
        path.name, prepared.records, prepared.records / best_codec, prepared.records / best_floor
    )


def run_paths(
    paths: Iterable[BenchPath],
    scale: Scale,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Measure each path in turn (``on_result`` sees each result as it is ready)."""
    results: list[Result] = []
    for path in paths:
        result = measure(path, scale)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


_HEADER = f"{'path':<56} {'records':>8} {'codec/s':>12} {'floor/s':>12} {'ratio':>6}"


def format_row(result: Result) -> str:
    """One table line; a ratio under :data:`GOAL` is flagged with ``<``."""
    flag = " <" if result.ratio < GOAL else ""
    return (
        f"{result.name:<56} {result.records:>8} {result.codec_per_s:>12,.0f} "
        f"{result.floor_per_s:>12,.0f} {result.ratio:>6.2f}{flag}"
    )


def format_table(results: Sequence[Result]) -> str:
    """The whole table, header included."""
    return "\n".join([_HEADER, "-" * len(_HEADER), *(format_row(r) for r in results)])


def results_json(results: Sequence[Result]) -> list[dict[str, object]]:
    """The JSON list: one object per path."""
    return [r.as_json() for r in results]


def write_json(results: Sequence[Result], path: Path) -> None:
    """Write :func:`results_json` to ``path``."""
    path.write_text(json.dumps(results_json(results), indent=2) + "\n", "utf-8")
