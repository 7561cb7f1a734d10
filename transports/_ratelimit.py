"""A client-side pacer for the vendors' documented request rates.

The limiter never sleeps itself: :meth:`RateLimiter.reserve` books the next
free slot and returns how long the caller must wait for it, so the sync client
sleeps, the async client awaits, and tests advance a fake clock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from smswire.codecs import RateLimit

__all__ = ["RateLimiter"]


class RateLimiter:
    """Keeps each key (vendor, account, operation kind) within its :class:`RateLimit`.

    ``per_second`` allows that many requests in any one-second window (a burst
    is fine, the next one waits for the window to slide); ``min_interval``
    keeps consecutive requests that many seconds apart. Slots are booked when
    reserved, so concurrent callers (threads or tasks) queue up instead of all
    waking at once. Share one limiter between clients of the same account to
    pace them together.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._slots: dict[Hashable, deque[float]] = {}

    def reserve(self, key: Hashable, limit: RateLimit | None) -> float:
        """Book a slot for one request under ``key``; the seconds to wait before sending."""
        if limit is None:
            return 0.0
        per_second = limit.per_second or 0.0
        interval = limit.min_interval or 0.0
        window = int(per_second)
        if 0 < per_second < 1:
            # "0.5 per second" is one request every two seconds.
            interval, window = max(interval, 1.0 / per_second), 0
        if not window and not interval:
            return 0.0
        with self._lock:
            now = self._clock()
            slots = self._slots.setdefault(key, deque())
            at = now
            if slots and interval:
                at = max(at, slots[-1] + interval)
            if window and len(slots) >= window:
                # The request `window` places back must be a full second old.
                at = max(at, slots[-window] + 1.0)
            slots.append(at)
            while len(slots) > max(window, 1):
                slots.popleft()
            return at - now

    def __repr__(self) -> str:
        return f"RateLimiter(keys={len(self._slots)})"
