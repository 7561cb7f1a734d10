"""One measure of "a decoder stays linear" for every vendor's fuzz tests (issue 11).

The rule: time per byte on a 1 MB body within 3x of a 10 KB body, as a ratio
measured in one run (never an absolute time). How it is measured matters on a
shared machine, so it is written once:

* CPU time of this thread, not the wall clock: a run of tens of milliseconds is
  preempted where one of a tenth of a millisecond is not, and the wall clock
  would bill the large body for that;
* the cycle collector off: its passes over the session's whole heap are not
  the decoder's cost;
* the 10 KB side decodes 100 distinct bodies, so both sides read as many bytes
  from memory of the same size (a 10 KB body read a hundred times stays in the
  CPU cache, a 1 MB one cannot), and the ratio shows the algorithm;
* the best of three interleaved rounds, and one more measure when the first is
  over the bound, since load only ever slows a round down.

A quadratic path gives a ratio near 100 at these sizes; noise stays well under 3.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator

from smswire.codecs import SmsWireError

SMALL, LARGE = 10_000, 1_000_000
BOUND = 3.0

#: ``build(size)`` prepares one input of about ``size`` bytes (outside the timing)
#: and returns the call that decodes it; smswire errors from that call are expected.
Build = Callable[[int], Callable[[], object]]


@contextlib.contextmanager
def _no_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cpu(calls: list[Callable[[], object]]) -> float:
    start = time.thread_time()
    for call in calls:
        with contextlib.suppress(SmsWireError):
            call()
    return time.thread_time() - start


def per_byte_ratio(build: Build) -> float:
    """Time per byte at :data:`LARGE` over time per byte at :data:`SMALL`."""
    small = [build(SMALL) for _ in range(LARGE // SMALL)]
    large = [build(LARGE)]
    best_small = best_large = float("inf")
    with _no_collector():
        for _ in range(3):
            best_small = min(best_small, _cpu(small))
            best_large = min(best_large, _cpu(large))
    # Both sides decode about LARGE bytes in all.
    return best_large / max(best_small, 1e-9)


def assert_linear(build: Build, what: str = "decoder") -> None:
    """Fail when decoding 1 MB costs more than :data:`BOUND` times per byte what 10 KB does."""
    ratio = per_byte_ratio(build)
    if ratio >= BOUND:
        ratio = min(ratio, per_byte_ratio(build))
    assert ratio < BOUND, f"{what}: 1 MB costs {ratio:.1f}x per byte what 10 KB does"
