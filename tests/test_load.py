"""Load: 5,000 messages through the async client, at least 50 requests in flight.

Every accepted message must get exactly one delivery report: none lost, none
duplicated. Rate limits are off on both sides (the point is throughput and
bookkeeping under concurrency, not pacing). The test is bounded: a fixed
number of messages, a hard timeout, and it stops by itself.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from decimal import Decimal

import httpx
from smswire.codecs import DeliveryStatus
from smswire.transports import AsyncClient
from smswire.transports.sim import SimServer, Simulator

MESSAGES = 5_000
PER_REQUEST = 5
CONCURRENCY = 64
HARD_TIMEOUT = 120.0
VENDOR = "esms100"


def test_five_thousand_messages_each_get_exactly_one_report() -> None:
    requests = MESSAGES // PER_REQUEST
    # esms100's reports carry no message id: every message gets its own number.
    mobiles = [f"139{i:08d}" for i in range(MESSAGES)]
    batches = [tuple(mobiles[i : i + PER_REQUEST]) for i in range(0, MESSAGES, PER_REQUEST)]
    assert len(batches) == requests

    with SimServer(Simulator(rate_limits=False, balance=Decimal(MESSAGES))) as server:
        sim = server.simulator
        account = sim.state(VENDOR).account
        in_flight = 0
        peak = 0
        errors: list[BaseException] = []
        accepted: list[str] = []

        async def one(client: AsyncClient, batch: tuple[str, ...], gate: asyncio.Semaphore) -> None:
            nonlocal in_flight, peak
            async with gate:
                in_flight += 1
                peak = max(peak, in_flight)
                try:
                    result = await client.send(batch, "压力测试 load")
                    accepted.extend(r.mobile for r in result.receipts if r.mobile)
                except Exception as exc:  # counted, then asserted to be none
                    errors.append(exc)
                finally:
                    in_flight -= 1

        async def main() -> list[str]:
            gate = asyncio.Semaphore(CONCURRENCY)
            limits = httpx.Limits(
                max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY
            )
            http = httpx.AsyncClient(limits=limits, timeout=30.0, trust_env=False)
            url = server.url(VENDOR)
            async with (
                http,
                AsyncClient(
                    VENDOR, account, url, http=http, rate_limit=False, retry=None
                ) as client,
            ):
                await asyncio.gather(*(one(client, b, gate) for b in batches))
                reported: list[str] = []
                # Reports are ready at once; read until the gateway has none left.
                while True:
                    batch = await client.fetch_reports()
                    if not batch:
                        break
                    assert not batch.malformed
                    assert {r.status for r in batch} == {DeliveryStatus.DELIVERED}
                    reported.extend(r.mobile for r in batch)
                return reported

        started = time.monotonic()
        reported = asyncio.run(asyncio.wait_for(main(), HARD_TIMEOUT))
        elapsed = time.monotonic() - started
        remaining = sim.state(VENDOR).balance
        pending = sim.state(VENDOR).pending_reports()

    assert errors == []
    assert peak >= 50, f"only {peak} requests were in flight at once"
    assert len(accepted) == MESSAGES
    counts = Counter(reported)
    duplicated = [m for m, n in counts.items() if n > 1]
    lost = set(accepted) - set(counts)
    assert duplicated == []
    assert lost == set()
    assert sorted(counts) == sorted(accepted)
    assert pending == 0
    # One part each: the balance was exactly enough.
    assert remaining == 0
    assert elapsed < HARD_TIMEOUT
