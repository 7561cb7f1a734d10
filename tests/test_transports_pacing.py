"""Pacing (issue 13 items 8 and 10): real start times, released slots, bounded waits.

The limiter admits a request against the *actual* start times of the
requests before it, so late wake-ups cannot push a burst through; the
measurement is taken where a request leaves the client (the transport).
A wait longer than ``max_wait`` is a :class:`RateLimited` error, not a sleep;
a request that never reached the gateway gives its slot back.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from bisect import bisect_left
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import Balance, GatewayError, RateLimit, esms100
from smswire.transports import (
    AsyncClient,
    Client,
    RateLimited,
    RateLimiter,
    RetryPolicy,
    TransportError,
)
from test_transports_core import FAKE_SPEC, PASSWORD, Driver, FakeAccount, FakeCodec, answer
from test_transports_loopback import free_port

ESMS_ACCOUNT = esms100.Account("10000", password=PASSWORD)
NO_JITTER = RetryPolicy(3, base_delay=0.5, max_delay=4.0, jitter=0.0)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def busiest_second(starts: Sequence[float]) -> int:
    """The most starts any half-open one-second window holds (computed independently)."""
    ordered = sorted(starts)
    # A busiest window can always be slid right until it opens on a start.
    return max(
        (bisect_left(ordered, t + 1.0) - i for i, t in enumerate(ordered)),
        default=0,
    )


def test_busiest_second_counts_half_open_windows() -> None:
    assert busiest_second([0.0, 0.5, 0.99, 1.0, 1.2]) == 4  # [0.5, 1.5)
    assert busiest_second([0.0, 0.5, 0.99, 1.0]) == 3
    assert busiest_second([0.0, 1.0, 2.0]) == 1
    assert busiest_second([]) == 0


# ------------------------------------------------------------------ the rule, on a fake clock


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_late_wake_ups_do_not_bunch() -> None:
    """The issue's case: ten callers planned for t=0 wake late, ten more on time at t=1."""
    clock = Clock()
    limiter = RateLimiter(clock, margin=0.0)
    limit = RateLimit(per_second=10)
    first = [limiter.reserve("k", limit) for _ in range(10)]
    second = [limiter.reserve("k", limit) for _ in range(10)]
    assert {t.wait for t in first} == {0.0} and {t.wait for t in second} == {1.0}
    starts: list[float] = []
    clock.t = 0.9  # the first ten were descheduled for 0.9 s
    for ticket in first:
        assert limiter.start(ticket) == 0.0
        starts.append(clock.t)
    clock.t = 1.0  # the second ten wake exactly when planned
    # Booked slots would let them go: ten starts at 0.9 and ten at 1.0.
    assert [limiter.start(ticket) for ticket in second] == [pytest.approx(0.9)] * 10
    clock.t = 1.9
    for ticket in second:
        assert limiter.start(ticket) == 0.0
        starts.append(clock.t)
    assert busiest_second(starts) == 10


def test_margin_covers_bytes_that_leave_late() -> None:
    clock = Clock()
    limiter = RateLimiter(clock, margin=0.05)
    limit = RateLimit(per_second=2)
    for _ in range(2):
        assert limiter.start(limiter.reserve("k", limit)) == 0.0
    clock.t = 1.0
    assert limiter.start(limiter.reserve("k", limit)) == pytest.approx(0.05)


actions = st.lists(
    st.one_of(
        st.tuples(st.just("reserve"), st.just(0)),
        st.tuples(st.just("advance"), st.integers(1, 700)),
        st.tuples(st.just("start"), st.integers(0, 40)),
        st.tuples(st.just("release"), st.integers(0, 40)),
    ),
    max_size=120,
)


@given(actions, st.integers(1, 5))
def test_no_second_ever_holds_more_starts_than_the_limit(
    script: list[tuple[str, int]], per_second: int
) -> None:
    """Any interleaving of reservations, late starts and releases keeps the pace."""
    clock = Clock()
    limiter = RateLimiter(clock, margin=0.0)
    limit = RateLimit(per_second=per_second)
    waiting: list[Any] = []
    started: list[tuple[Any, float]] = []
    for action, value in script:
        if action == "reserve":
            waiting.append(limiter.reserve("k", limit))
        elif action == "advance":
            clock.t += value / 1000
        elif action == "start" and waiting:
            ticket = waiting[value % len(waiting)]
            if limiter.start(ticket) == 0.0:
                waiting.remove(ticket)
                started.append((ticket, clock.t))
        elif action == "release" and started:
            # A request that never reached the gateway: its start no longer counts.
            ticket, _ = started.pop(value % len(started))
            limiter.release(ticket)
    assert busiest_second([t for _, t in started]) <= per_second


def test_min_interval_is_measured_on_real_starts() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    pace = RateLimit(min_interval=60.0)
    early = limiter.reserve("b", pace)
    late = limiter.reserve("b", pace)
    assert (early.wait, late.wait) == (0.0, 60.0)
    clock.t = 5.0  # the first one started 5 s late
    assert limiter.start(early) == 0.0
    clock.t = 60.0
    assert limiter.start(late) == pytest.approx(5.0)


# ------------------------------------------------------------ measured at the client, real time

FAST = 100  # requests per second: a real-time test of a second or two


def fast_codec(per_second: int) -> FakeCodec:
    """The fake codec with a faster send pace, so that a real-time test stays short."""

    class Fast(FakeCodec):
        spec = attrs.evolve(FAKE_SPEC, rate_limits={"send": RateLimit(per_second=per_second)})

    return Fast()


def stamping_handler(starts: list[float], lock: threading.Lock) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        with lock:
            starts.append(time.monotonic())
        return httpx.Response(200, content=b"OK 1")

    return handle


def test_sixteen_threads_never_exceed_the_limit_in_any_second() -> None:
    starts: list[float] = []
    lock = threading.Lock()
    http = httpx.Client(transport=httpx.MockTransport(stamping_handler(starts, lock)))
    client = Client(fast_codec(FAST), FakeAccount("threads"), "http://127.0.0.1:1", http=http)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                client.send(f"{n:02d}{i:02d}", "x")
        except BaseException as exc:  # asserted to be none below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(starts) == 160
    assert busiest_second(starts) <= FAST


def test_two_hundred_fifty_six_tasks_never_exceed_the_limit_in_any_second() -> None:
    starts: list[float] = []
    lock = threading.Lock()

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(stamping_handler(starts, lock)))
        codec = fast_codec(2 * FAST)
        async with AsyncClient(codec, FakeAccount("tasks"), "http://127.0.0.1:1", http=http) as c:
            await asyncio.gather(*(c.send(f"{n:03d}", "x") for n in range(256)))

    asyncio.run(asyncio.wait_for(main(), 10))
    assert len(starts) == 256
    assert busiest_second(starts) <= 2 * FAST


# ------------------------------------------------------------------ waits the caller can see


def test_a_wait_longer_than_max_wait_raises_rate_limited_and_sends_nothing(kind: str) -> None:
    d = Driver(kind, answer(b"10", b"9"), esms100.Codec(), ESMS_ACCOUNT)
    assert d.balance() == Balance(Decimal(10))
    d.clock.t += 20
    with pytest.raises(RateLimited) as info:
        d.balance()
    # esms100 条件说明: balance at most once a minute; 40 s are left.
    assert info.value.retry_after == pytest.approx(40.0)
    assert d.clock.sleeps == [] and len(d.requests) == 1
    # The refused wait did not keep a slot: after the minute, no wait at all.
    d.clock.t += 40
    assert d.balance() == Balance(Decimal(9))
    assert d.clock.sleeps == []


def test_max_wait_is_configurable(kind: str) -> None:
    d = Driver(kind, answer(b"OK 1", b"OK 2", b"OK 3"), max_wait=0.5)
    d.send("1", "x")
    d.send("2", "x")
    # The fake spec: two sends a second; the third would wait a second.
    with pytest.raises(RateLimited) as info:
        d.send("3", "x")
    assert info.value.retry_after == pytest.approx(1.05)
    d = Driver(kind, answer(b"OK 1", b"OK 2", b"OK 3"), max_wait=None)
    for n in "123":
        d.send(n, "x")
    assert d.clock.sleeps == [pytest.approx(1.05)]


def test_a_connection_that_never_opened_gives_its_slot_back(kind: str) -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    # The fake spec: balance at most every 30 s.
    d = Driver(kind, answer(refused, refused, b"7"), retry=NO_JITTER)
    assert d.balance() == Balance(Decimal(7))
    # Only the backoff: the refused tries never reached the gateway's 30 s pace.
    assert d.clock.sleeps == [0.5, 1.0]


def test_a_retry_that_would_wait_for_the_polling_interval_says_so() -> None:
    # The gateway says "too fast" (retryable); a retry would wait the whole
    # minute esms100 asks between balance queries: the caller learns at once.
    d = Driver("sync", answer(b"-15", b"10"), esms100.Codec(), ESMS_ACCOUNT, retry=NO_JITTER)
    with pytest.raises(RateLimited) as info:
        d.balance()
    assert isinstance(info.value.__cause__, GatewayError)
    assert info.value.__cause__.code == "-15"
    assert info.value.retry_after == pytest.approx(59.5)
    assert len(d.requests) == 1 and d.clock.sleeps == [0.5]


def test_balance_against_a_dead_port_returns_within_the_backoff() -> None:
    url = f"http://127.0.0.1:{free_port()}/esms100"
    started = time.monotonic()
    retry = RetryPolicy(3, base_delay=0.05, jitter=0.0)
    with (
        Client("esms100", ESMS_ACCOUNT, url, retry=retry) as client,
        pytest.raises(TransportError) as info,
    ):
        client.balance()
    assert not info.value.maybe_sent
    # Before: 120 s (two retries, each waiting esms100's minute between balance queries).
    assert time.monotonic() - started < 3.0


def test_every_wait_is_logged_with_its_reason(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="smswire.transports")
    script = answer(b"OK 1", b"OK 2", b"OK 3", b"ERR E1", b"5")
    d = Driver(kind, script, retry=NO_JITTER, max_wait=None)
    for n in "123":
        d.send(n, "x")
    d.balance()
    waits = [r for r in caplog.records if "waiting" in r.getMessage()]
    # The gateway saw the refused query: the retry still keeps the 30 s pace.
    assert [(r.levelno, r.getMessage().split(": ", 1)[1]) for r in waits] == [
        (logging.INFO, "waiting 1.050s for the pace of send requests (2/s)"),
        (logging.INFO, "waiting 0.500s before retry 1 of QueryBalance after fake error E1: 忙"),
        (logging.INFO, "waiting 29.500s for the pace of balance requests (30s apart)"),
    ]
    assert PASSWORD not in caplog.text


def test_a_call_cancelled_while_waiting_gives_its_slot_back() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)

    async def forever(seconds: float) -> None:
        await asyncio.Event().wait()

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        client = AsyncClient(
            FakeCodec(),
            FakeAccount("cancel"),
            "http://127.0.0.1:1",
            http=http,
            rate_limit=limiter,
            clock=clock,
            sleep=forever,
        )
        limit = FAKE_SPEC.rate_limit("send")
        key = (client.core._key, "send")
        for _ in range(2):  # the fake spec's two sends a second
            limiter.start(limiter.reserve(key, limit))
        task = asyncio.ensure_future(client.send("1", "x"))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # Had the cancelled call kept its planned slot, the next would plan behind it.
        assert limiter.reserve(key, limit).wait == pytest.approx(1.05)

    asyncio.run(main())
