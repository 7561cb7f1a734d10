"""Timing, comparison and reporting shared by every benchmark path.

A path pairs the codec's public call with a *floor* (the fastest honest
implementation of the same work: the least any correct implementation must
do, written independently of the codec) and, where defined, a *peer* (the
hand-written integration code a user would otherwise write: regex or split,
``datetime.strptime``, ``cattrs.structure``; ``urlencode`` + ``hashlib``).

Before timing, the harness checks that the floor built exactly what the codec
built (types and every datetime's tzinfo included, see :mod:`bench._compare`)
and that the peer built the same thing.

Timing is on thread CPU time (``time.thread_time``), so other processes on a
shared machine do not count. Sides are timed in rounds, their order rotating
from round to round; each round gives one codec/floor ratio and one peer/codec
speed-up, and the table reports the median of those per-round ratios with
their interquartile spread. Every path is timed twice: with the garbage
collector on (what applications run with, and what the goal is judged on)
and off.
"""

from __future__ import annotations

import gc
import json
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs

from ._compare import difference

__all__ = [
    "GOAL",
    "PEER_GOAL",
    "BenchPath",
    "FloorMismatchError",
    "Prepared",
    "Result",
    "Scale",
    "Side",
    "Spread",
    "format_row",
    "format_table",
    "measure",
    "results_json",
    "run_paths",
    "write_json",
]

#: Every path should run at no less than this fraction of its floor's rate (collector on).
GOAL = 0.80
#: And at least this many times as fast as its peer.
PEER_GOAL = 4.0


@attrs.frozen
class Scale:
    """How big the generated data is and how often each call is timed.

    ``quick`` shrinks batches twenty-fold and takes few rounds, so CI runs
    every path in a few seconds; the full run uses the sizes the brief names.
    """

    quick: bool = False

    def size(self, full: int) -> int:
        """The record count to generate for a path whose full size is ``full``."""
        return full if not self.quick else max(10, full // 20)

    @property
    def rounds(self) -> int:
        """Rounds per collector setting: each gives one ratio per pair of sides."""
        return 3 if self.quick else 21

    @property
    def min_seconds(self) -> float:
        """Calls are looped until one timed sample lasts at least this long."""
        return 0.001 if self.quick else 0.02


def _same(a: object, b: object) -> str | None:
    return difference(a, b)


@attrs.frozen
class Prepared:
    """A path ready to time: its record count and its zero-argument calls.

    ``peer_difference(codec_output, peer_output)`` says where the peer's output
    departs from the codec's (a send's peer builds a URL, not an
    :class:`HttpRequest`, so sends compare their query pairs).
    """

    records: int
    codec: Callable[[], object]
    floor: Callable[[], object]
    peer: Callable[[], object] | None = None
    peer_difference: Callable[[object, object], str | None] = _same


@attrs.frozen
class BenchPath:
    """A named path; ``build`` generates its data (deterministically) at a scale."""

    name: str
    build: Callable[[Scale], Prepared]


@attrs.frozen
class Spread:
    """The median of per-round ratios and their quartiles and extremes."""

    median: float
    q1: float
    q3: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The summary of ``values`` (at least one)."""
        if len(values) == 1:
            (v,) = values
            return cls(v, v, v, v, v)
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(statistics.median(values), q1, q3, min(values), max(values))

    def as_json(self) -> dict[str, float]:
        """The JSON object of this summary."""
        return {k: round(v, 3) for k, v in attrs.asdict(self).items()}


@attrs.frozen
class Side:
    """One collector setting's rates (records per second, median sample) and ratios."""

    codec_per_s: float
    floor_per_s: float
    peer_per_s: float | None
    ratio: Spread
    """codec rate / floor rate, per round."""
    peer_speedup: Spread | None
    """codec rate / peer rate, per round (``None`` without a peer)."""

    def as_json(self) -> dict[str, object]:
        """The JSON object of this side."""
        return {
            "codec_per_s": round(self.codec_per_s, 1),
            "floor_per_s": round(self.floor_per_s, 1),
            "peer_per_s": None if self.peer_per_s is None else round(self.peer_per_s, 1),
            "ratio": self.ratio.as_json(),
            "peer_speedup": None if self.peer_speedup is None else self.peer_speedup.as_json(),
        }


@attrs.frozen
class Result:
    """A path's measurements with the collector on and off."""

    name: str
    records: int
    gc_on: Side
    gc_off: Side

    @property
    def kind(self) -> str:
        """``"send"`` for encode paths (timed from the caller's inputs), else ``"decode"``."""
        return "send" if " encode " in f" {self.name} " else "decode"

    @property
    def ratio(self) -> float:
        """The judged ratio: median of rounds, collector on."""
        return self.gc_on.ratio.median

    def as_json(self) -> dict[str, object]:
        """The JSON object of this result."""
        return {
            "name": self.name,
            "kind": self.kind,
            "records": self.records,
            "gc_on": self.gc_on.as_json(),
            "gc_off": self.gc_off.as_json(),
        }


class FloorMismatchError(AssertionError):
    """The floor (or the peer) built something other than what the codec built."""


def _loop_count(fn: Callable[[], object], min_seconds: float) -> int:
    start = time.thread_time()
    fn()
    elapsed = time.thread_time() - start
    return max(1, math.ceil(min_seconds / max(elapsed, 1e-6)))


def _sample(fn: Callable[[], object], loops: int, collect: bool) -> float:
    """Thread CPU seconds per call over ``loops`` calls, the collector on or off."""
    enabled = gc.isenabled()
    gc.collect()
    if collect:
        gc.enable()
    else:
        gc.disable()
    try:
        start = time.thread_time()
        for _ in range(loops):
            fn()
        elapsed = time.thread_time() - start
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()
    return elapsed / loops


def _check(name: str, prepared: Prepared) -> None:
    expected = prepared.codec()
    found = difference(expected, prepared.floor())
    if found is not None:
        raise FloorMismatchError(f"{name}: the floor's output differs from the codec's: {found}")
    if prepared.peer is not None:
        found = prepared.peer_difference(expected, prepared.peer())
        if found is not None:
            raise FloorMismatchError(f"{name}: the peer's output differs from the codec's: {found}")


def _side(
    calls: Sequence[Callable[[], object]], loops: Sequence[int], rounds: int, collect: bool
) -> list[list[float]]:
    """Per-call lists of seconds per call, one sample per round, the order rotating."""
    times: list[list[float]] = [[] for _ in calls]
    for r in range(rounds):
        for k in range(len(calls)):
            i = (k + r) % len(calls)
            times[i].append(_sample(calls[i], loops[i], collect))
    return times


def _summarise(records: int, times: list[list[float]]) -> Side:
    codec, floor = times[0], times[1]
    peer = times[2] if len(times) > 2 else None
    return Side(
        records / statistics.median(codec),
        records / statistics.median(floor),
        None if peer is None else records / statistics.median(peer),
        Spread.of([f / c for c, f in zip(codec, floor, strict=True)]),
        None if peer is None else Spread.of([p / c for c, p in zip(codec, peer, strict=True)]),
    )


def measure(path: BenchPath, scale: Scale) -> Result:
    """Check floor and peer against the codec, then time them in rotating rounds."""
    prepared = path.build(scale)
    _check(path.name, prepared)
    calls = [prepared.codec, prepared.floor]
    if prepared.peer is not None:
        calls.append(prepared.peer)
    loops = [_loop_count(fn, scale.min_seconds) for fn in calls]
    sides = {
        collect: _summarise(prepared.records, _side(calls, loops, scale.rounds, collect))
        for collect in (True, False)
    }
    return Result(path.name, prepared.records, sides[True], sides[False])


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


_HEADER = (
    f"{'path':<52} {'records':>7} {'codec/s':>11} {'floor/s':>11} {'peer/s':>10} "
    f"{'ratio gc on (q1-q3)':>20} {'gc off':>7} {'x peer on':>10} {'off':>6}"
)


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _speedup(spread: Spread | None) -> str:
    return "-" if spread is None else f"{spread.median:.1f}"


def format_row(result: Result) -> str:
    """One table line; under :data:`GOAL` or :data:`PEER_GOAL` is flagged with ``<``."""
    on, off = result.gc_on, result.gc_off
    ratio = f"{on.ratio.median:.2f} ({on.ratio.q1:.2f}-{on.ratio.q3:.2f})"
    flag = " <" if on.ratio.median < GOAL else ""
    if on.peer_speedup is not None and on.peer_speedup.median < PEER_GOAL:
        flag += " <peer"
    return (
        f"{result.name:<52} {result.records:>7} {_rate(on.codec_per_s):>11} "
        f"{_rate(on.floor_per_s):>11} {_rate(on.peer_per_s):>10} {ratio:>20} "
        f"{off.ratio.median:>7.2f} {_speedup(on.peer_speedup):>10} "
        f"{_speedup(off.peer_speedup):>6}{flag}"
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
