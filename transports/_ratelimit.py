"""A client-side pacer for the vendors' documented request rates.

The limiter never sleeps itself: it answers how long the caller must wait, so
the sync client sleeps, the async client awaits, and tests advance a fake
clock. A request goes through two steps:

1. :meth:`RateLimiter.reserve` hands out a :class:`Ticket` with a planned
   slot and the wait until it. Planned slots only spread concurrent callers
   over time so that they do not all wake at once;
2. :meth:`RateLimiter.start`, called when the caller is about to send, admits
   the request against the *actual* start times of the requests already
   admitted and records the current time as this one's start, or answers how
   much longer to wait (a caller that woke late must not push a burst
   through: the window is always measured on real starts).

:meth:`RateLimiter.release` gives a slot back (a request that never reached
the gateway, or a caller that gave up waiting).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

import attrs
from smswire.codecs import RateLimit

__all__ = ["RateLimiter", "Ticket"]

#: Start times older than this many windows are of no further use.
_KEEP_SECONDS = 1.0


@attrs.define(eq=False)
class Ticket:
    """One request's place under a limit: ``wait`` seconds until its planned slot."""

    key: Hashable
    wait: float
    planned: float = attrs.field(repr=False)
    started: float | None = None
    _number: int = attrs.field(factory=itertools.count().__next__, repr=False)


@attrs.frozen
class _Pace:
    window: int  # requests per one-second window (0: no window)
    interval: float  # seconds between consecutive starts (0: none)

    @classmethod
    def of(cls, limit: RateLimit | None) -> _Pace | None:
        if limit is None:
            return None
        per_second = limit.per_second or 0.0
        interval = limit.min_interval or 0.0
        window = int(per_second)
        if 0 < per_second < 1:
            # "0.5 per second" is one request every two seconds.
            interval, window = max(interval, 1.0 / per_second), 0
        if not window and not interval:
            return None
        return cls(window, interval)


@attrs.define
class _Lane:
    """The starts admitted and the slots planned under one key."""

    pace: _Pace
    starts: deque[float] = attrs.field(factory=deque)
    planned: dict[int, float] = attrs.field(factory=dict)


class RateLimiter:
    """Keeps each key (vendor, account, operation kind) within its :class:`RateLimit`.

    ``per_second`` allows that many request starts in any one-second window
    (a burst is fine, the next one waits for the window to slide);
    ``min_interval`` keeps consecutive starts that many seconds apart. The
    window is ``1 + margin`` seconds long on the limiter's clock, so that
    requests whose bytes leave up to ``margin`` seconds after they were
    admitted (a thread switch, encoding a large body) still never put more
    than ``per_second`` starts in any one second where it matters, at the
    socket. (Minimum intervals are coarse, tens of seconds: no margin.)
    Share one limiter between clients of the same account to pace them
    together.
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, margin: float = 0.05
    ) -> None:
        if margin < 0:
            raise ValueError("margin cannot be negative")
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._lanes: dict[Hashable, _Lane] = {}

    # ---------------------------------------------------------------- the three steps

    def reserve(self, key: Hashable, limit: RateLimit | None) -> Ticket:
        """Plan a slot for one request under ``key``; ``ticket.wait`` is the time until it."""
        pace = _Pace.of(limit)
        with self._lock:
            now = self._clock()
            if pace is None:
                return Ticket(key, 0.0, now, started=now)
            lane = self._lane(key, pace, now)
            times = sorted([*lane.starts, *lane.planned.values()])
            at = self._earliest(pace, times, now)
            ticket = Ticket(key, at - now, at)
            lane.planned[ticket._number] = at
            return ticket

    def start(self, ticket: Ticket) -> float:
        """Admit ``ticket``'s request now (``0.0``) or say how many seconds more to wait.

        Admission counts only the requests actually started; when admitted,
        the current time is recorded as this request's start.
        """
        if ticket.started is not None:
            return 0.0
        with self._lock:
            now = self._clock()
            lane = self._lanes.get(ticket.key)
            if lane is None:
                ticket.started = now
                return 0.0
            lane.planned.pop(ticket._number, None)
            at = self._earliest(lane.pace, list(lane.starts), now)
            if at > now:
                # Keep the place, so that newcomers plan behind it.
                ticket.planned = at
                lane.planned[ticket._number] = at
                return at - now
            lane.starts.append(now)
            ticket.started = now
            return 0.0

    def release(self, ticket: Ticket) -> None:
        """Give ``ticket``'s slot back: its request never reached the gateway (or never will)."""
        with self._lock:
            lane = self._lanes.get(ticket.key)
            if lane is None:
                return
            lane.planned.pop(ticket._number, None)
            if ticket.started is not None:
                # A start already forgotten as too old to matter is not there.
                with contextlib.suppress(ValueError):
                    lane.starts.remove(ticket.started)
            ticket.started = None

    # ---------------------------------------------------------------- the rule

    def _lane(self, key: Hashable, pace: _Pace, now: float) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None or lane.pace != pace:
            lane = self._lanes[key] = _Lane(pace)
        horizon = max(pace.interval, 1.0 + self._margin) + _KEEP_SECONDS
        while lane.starts and lane.starts[0] < now - horizon:
            lane.starts.popleft()
        return lane

    def _earliest(self, pace: _Pace, times: list[float], now: float) -> float:
        """The first moment at or after ``now`` that ``times`` (sorted) leave free."""
        at = now
        if pace.interval and times:
            at = max(at, times[-1] + pace.interval)
        if pace.window and len(times) >= pace.window:
            # The request `window` places back must have left the window.
            at = max(at, times[-pace.window] + 1.0 + self._margin)
        return at

    def __repr__(self) -> str:
        return f"RateLimiter(keys={len(self._lanes)}, margin={self._margin})"
