"""Retries of refused sends, timeouts, lost destructive reads, accounts (issue 13 items 9, 11, 17).

* A send the gateway refused as "too fast" (a retryable ``RATE_LIMIT`` row)
  did not go out: it is retried within the budget; nothing that may have gone
  out ever is.
* The caller's ``httpx`` client governs timeouts unless ``timeout=`` is given;
  destructive reads get a longer read timeout; a lost answer of one says the
  items may have been handed out, and when, and Emay can push them again.
* A client refuses another vendor's account at construction.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from smswire.codecs import (
    DecodeError,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    GatewayError,
    Receipt,
    SendResult,
    emay,
    esms100,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.transports import AsyncClient, Client, RetryPolicy, TransportError
from smswire.transports.sim import Simulator
from test_transports_core import NOW, PASSWORD, Driver, FakeAccount, FakeCodec, answer

ESMS_ACCOUNT = esms100.Account("10000", password=PASSWORD)
NO_JITTER = RetryPolicy(3, base_delay=0.5, max_delay=4.0, jitter=0.0)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def esms(kind: str, handler: Any, **options: Any) -> Driver:
    return Driver(kind, handler, esms100.Codec(), ESMS_ACCOUNT, **options)


# ------------------------------------------------------------------ item 9: refused sends


def test_the_spec_marks_too_fast_as_a_retryable_rate_limit() -> None:
    # esms100 附表: "-15 操作频率过快" — an independent look at the row the retry relies on.
    error = esms100.Codec().spec.error("-15")
    assert (error.kind, error.retryable) == (ErrorKind.RATE_LIMIT, True)
    assert "操作频率过快" in str(error)


def test_a_send_refused_as_too_fast_is_retried_and_goes_out_once(kind: str) -> None:
    d = esms(kind, answer(b"-15", b"0"), retry=NO_JITTER)
    result = d.send("13866668888", "hi")
    assert result.receipts == (Receipt("13866668888"),)
    assert len(d.requests) == 2
    # Backoff, then the limiter (10/s leaves the second send free).
    assert d.clock.sleeps == [0.5]


def test_too_fast_refusals_give_up_with_the_budget(kind: str) -> None:
    d = esms(kind, answer(b"-15", b"-15", b"-15", b"0"), retry=NO_JITTER)
    with pytest.raises(GatewayError) as info:
        d.send("13866668888", "hi")
    assert info.value.code == "-15"
    assert len(d.requests) == 3 and d.clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    "failure",
    [b"-12", b"-10", httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), 503],
    ids=["hourly-quota", "balance", "read-timeout", "dropped", "http-503"],
)
def test_no_other_failure_of_a_send_is_retried(kind: str, failure: Any) -> None:
    # -12 本小时流量到 is a rate limit too, but not marked retryable: waiting an hour is the
    # caller's decision, not a backoff.
    d = esms(kind, answer(failure, b"0"), retry=RetryPolicy(5))
    with pytest.raises((GatewayError, TransportError, DecodeError)):
        d.send("13866668888", "hi")
    assert len(d.requests) == 1


def test_a_simulated_too_fast_refusal_is_retried_and_the_number_gets_one_message() -> None:
    sim = Simulator()
    sim.faults.error("-15", count=1, vendor="esms100")
    account = sim.state("esms100").account

    async def main() -> SendResult:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim))
        retry = RetryPolicy(3, base_delay=0.01, jitter=0.0)
        async with AsyncClient(
            "esms100", account, "http://127.0.0.1/esms100", http=http, retry=retry
        ) as client:
            result: SendResult = await client.send("13866668888", "一次")
            return result

    assert asyncio.run(main()).accepted == 1
    assert [m.mobile for m in sim.state("esms100").sent()] == ["13866668888"]


# ------------------------------------------------------------------ item 11: timeouts


def timeouts_seen(kind: str, http_timeout: Any, *calls: str, **options: Any) -> list[Any]:
    """The timeout each request carried when it reached the transport."""
    seen: list[Any] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions.get("timeout"))
        return httpx.Response(200, content=b"5" if request.url.path == "/balance" else b"")

    transport = httpx.MockTransport(handle)
    common: dict[str, Any] = {"now": lambda: NOW, "rate_limit": False, **options}
    if kind == "sync":
        with Client(
            FakeCodec(),
            FakeAccount("t"),
            "http://127.0.0.1:1",
            http=httpx.Client(transport=transport, timeout=http_timeout),
            **common,
        ) as client:
            for name in calls:
                getattr(client, name)()
    else:

        async def main() -> None:
            http = httpx.AsyncClient(transport=transport, timeout=http_timeout)
            async with AsyncClient(
                FakeCodec(), FakeAccount("t"), "http://127.0.0.1:1", http=http, **common
            ) as client:
                for name in calls:
                    await getattr(client, name)()

        asyncio.run(main())
    return seen


def every(seconds: float | None) -> dict[str, float | None]:
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


def test_the_callers_httpx_client_governs_the_timeout(kind: str) -> None:
    assert timeouts_seen(kind, 1.0, "balance") == [every(1.0)]


def test_an_explicit_timeout_overrides_the_httpx_client(kind: str) -> None:
    assert timeouts_seen(kind, 1.0, "balance", timeout=2.5) == [every(2.5)]
    assert timeouts_seen(kind, 1.0, "balance", timeout=None) == [every(None)]


def test_destructive_reads_get_a_longer_read_timeout(kind: str) -> None:
    seen = timeouts_seen(kind, 1.0, "fetch_reports", "fetch_inbound", "balance")
    longer = {"connect": 1.0, "read": 60.0, "write": 1.0, "pool": 1.0}
    assert seen == [longer, longer, every(1.0)]
    seen = timeouts_seen(kind, 1.0, "fetch_reports", destructive_read_timeout=None)
    assert seen == [every(1.0)]
    # A governing read timeout already longer is kept.
    assert timeouts_seen(kind, 90.0, "fetch_reports") == [every(90.0)]


def test_a_client_that_builds_its_httpx_client_times_out_after_ten_seconds() -> None:
    with Client("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1") as client:
        assert client._http.timeout == httpx.Timeout(10.0)


class Times:
    """A China-time clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_a_lost_fetch_says_items_may_have_been_handed_out_and_when(kind: str) -> None:
    times = Times()
    d = Driver(kind, answer(b"138,1", httpx.ReadTimeout("slow")), now=times)
    times.now = NOW + timedelta(minutes=1)
    d.fetch_reports()
    times.now = NOW + timedelta(minutes=3)
    with pytest.raises(TransportError) as info:
        d.fetch_reports()
    error = info.value
    assert error.maybe_sent and error.maybe_consumed
    # From the start of the last complete fetch to the failure.
    assert error.window == (NOW + timedelta(minutes=1), NOW + timedelta(minutes=3))
    assert "may have handed out FetchReports items in the lost answer" in str(error)
    assert "maybe_consumed=True" in repr(error)


def test_a_fetch_that_never_reached_the_gateway_lost_nothing(kind: str) -> None:
    d = Driver(kind, answer(httpx.ConnectError("refused")))
    with pytest.raises(TransportError) as info:
        d.fetch_inbound()
    assert not info.value.maybe_consumed and info.value.window is None
    d = Driver(kind, answer(httpx.ReadTimeout("slow")), retry=None)
    with pytest.raises(TransportError) as info:
        d.balance()
    assert info.value.maybe_sent and not info.value.maybe_consumed


class LosingTransport(httpx.AsyncBaseTransport):
    """Forwards to the simulator, then loses the answer of the first report fetch."""

    def __init__(self, app: Any, lose: Callable[[httpx.Request], bool]) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.lose = lose
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if not self.lost and self.lose(request):
            self.lost += 1
            raise httpx.ReadTimeout("the answer never arrived", request=request)
        return response


def test_emay_reports_lost_in_a_fetch_are_pushed_again_through_retrieve_report() -> None:
    sim = Simulator()
    account = sim.state("emay").account
    assert isinstance(account, emay.Account)
    numbers = [f"1380000{i:04d}" for i in range(30)]

    async def main() -> tuple[TransportError, list[str]]:
        # §2.1.2 getReport is /inter/getReport; the simulator hands each report out once.
        transport = LosingTransport(sim, lambda r: r.url.path.endswith("/getReport"))
        http = httpx.AsyncClient(transport=transport)
        async with AsyncClient("emay", account, "http://127.0.0.1/emay", http=http) as client:
            await client.send(numbers, "状态报告 recovery")
            with pytest.raises(TransportError) as info:
                await client.fetch_reports()
            assert sim.state("emay").pending_reports() == 0  # handed out, and lost
            assert info.value.window is not None
            await client.recover_reports(*info.value.window)
            batch = await client.fetch_reports()
            return info.value, [r.mobile for r in batch if r.status is DeliveryStatus.DELIVERED]

    error, recovered = asyncio.run(main())
    assert error.maybe_consumed
    assert sorted(recovered) == numbers


def test_recovery_is_cut_into_windows_and_refused_where_the_vendor_has_none() -> None:
    asked: list[dict[str, str]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        from urllib.parse import parse_qsl

        asked.append(dict(parse_qsl(request.content.decode())))
        return httpx.Response(200, content=b"SUCCESS")

    account = emay.Account("EUCP-EMY-SMS1-TEST0", "0123456789abcdef")
    http = httpx.Client(transport=httpx.MockTransport(handle))
    start = datetime(2024, 5, 1, 9, 0, 0, tzinfo=CHINA)
    with Client("emay", account, "http://127.0.0.1:1", http=http, now=lambda: NOW) as client:
        assert client.recover_reports(start, start + timedelta(minutes=12)) == 3
    # §2.4: startTime/endTime yyyyMMddHHmmss, at most 10 minutes apart (5 advised).
    assert [(a["startTime"], a["endTime"]) for a in asked] == [
        ("20240501090000", "20240501090500"),
        ("20240501090500", "20240501091000"),
        ("20240501091000", "20240501091200"),
    ]
    with (
        Client("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1") as other,
        pytest.raises(EncodeError, match="cannot push reports again"),
    ):
        other.recover_reports(start, start + timedelta(minutes=1))


# ------------------------------------------------------------------ item 17: accounts


@pytest.mark.parametrize("client_type", [Client, AsyncClient])
def test_another_vendors_account_is_refused_at_construction(client_type: Any) -> None:
    wrong = smscn.Account("u1", password="p")
    with pytest.raises(TypeError) as info:
        client_type("esms100", wrong, "http://127.0.0.1:1")
    message = str(info.value)
    assert "esms100" in message and "esms100.Account" in message and "smscn" in message
    assert "'p'" not in message
    with pytest.raises(TypeError):
        client_type(esms100.Codec(), wrong, "http://127.0.0.1:1")
    # The right account, and a codec's own account type, pass.
    client_type("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1")
    client_type(FakeCodec(), FakeAccount("f"), "http://127.0.0.1:1")


def test_a_codec_without_an_account_annotation_takes_any_account() -> None:
    class Untyped(FakeCodec):
        def encode_request(self, op, account, stamp):  # type: ignore[no-untyped-def]
            return super().encode_request(op, account, stamp)

    Untyped.__module__ = "builtins"  # no module Account to fall back on
    Client(Untyped(), object(), "http://127.0.0.1:1")


def test_the_two_clients_share_one_constructor() -> None:
    assert Client.__init__ is AsyncClient.__init__
    parameters = inspect.signature(Client).parameters
    assert {"http", "timeout", "destructive_read_timeout", "max_wait"} <= set(parameters)
    assert "max_wait" in (Client.__doc__ or "") and "max_wait" in (AsyncClient.__doc__ or "")
