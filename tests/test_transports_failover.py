"""Failover and AsyncFailover: order, the no-double-send rule, aggregated errors."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from smswire.codecs import Balance, GatewayError, Receipt, SendResult
from smswire.transports import (
    AsyncClient,
    AsyncFailover,
    Client,
    Failover,
    FailoverError,
    RetryPolicy,
    TransportError,
)
from test_transports_core import NOW, FakeAccount, FakeCodec, answer


class Gateways:
    """Several fake gateways, each with its own answers and request log."""

    def __init__(self, kind: str, *scripts: tuple[Any, ...]) -> None:
        self.kind = kind
        self.hits: list[list[str]] = []
        clients: list[Any] = []
        for index, script in enumerate(scripts):
            log: list[str] = []
            self.hits.append(log)
            handler = answer(*script)

            def record(request: httpx.Request, log: list[str] = log, handler: Any = handler) -> Any:
                log.append(request.url.path)
                return handler(request)

            transport = httpx.MockTransport(record)
            options: dict[str, Any] = {
                "now": lambda: NOW,
                "rate_limit": False,
                "retry": RetryPolicy.never(),
            }
            url = f"http://127.0.0.{index + 1}:8000"
            if kind == "sync":
                http: Any = httpx.Client(transport=transport)
                clients.append(Client(FakeCodec(), FakeAccount("f"), url, http=http, **options))
            else:
                http = httpx.AsyncClient(transport=transport)
                clients.append(
                    AsyncClient(FakeCodec(), FakeAccount("f"), url, http=http, **options)
                )
        self.failover: Any = Failover(clients) if kind == "sync" else AsyncFailover(clients)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.failover, name)

        def run(*args: Any) -> Any:
            outcome = method(*args)
            return asyncio.run(outcome) if self.kind == "async" else outcome

        return run


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_sends_go_to_the_first_gateway_when_it_works(kind: str) -> None:
    g = Gateways(kind, (b"OK a",), (b"OK b",))
    assert g.send("1", "x") == SendResult((Receipt("1", "a"),))
    assert g.hits == [["/send"], []]


@pytest.mark.parametrize(
    "failure", [b"ERR E2", httpx.ConnectError("refused"), httpx.ConnectTimeout("t")]
)
def test_a_send_moves_on_only_when_the_gateway_certainly_did_not_send(
    kind: str, failure: Any
) -> None:
    g = Gateways(kind, (failure,), (b"OK b",))
    assert g.send("1", "x") == SendResult((Receipt("1", "b"),))
    assert g.hits == [["/send"], ["/send"]]


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), b"garbled"],
    ids=["read-timeout", "dropped", "unreadable-answer"],
)
def test_a_send_never_moves_on_after_it_may_have_been_delivered(kind: str, failure: Any) -> None:
    g = Gateways(kind, (failure,), (b"OK b",))
    with pytest.raises(FailoverError) as info:
        g.send("1", "x")
    assert g.hits == [["/send"], []]
    assert info.value.maybe_sent
    assert len(info.value.failures) == 1


def test_when_every_gateway_fails_each_failure_is_listed_in_order(kind: str) -> None:
    g = Gateways(kind, (b"ERR E2",), (httpx.ConnectError("refused"),), (b"ERR E3",))
    with pytest.raises(FailoverError) as info:
        g.send("1", "x")
    names = [name for name, _ in info.value.failures]
    assert names == [
        "fake http://127.0.0.1:8000",
        "fake http://127.0.0.2:8000",
        "fake http://127.0.0.3:8000",
    ]
    errors = [error for _, error in info.value.failures]
    assert isinstance(errors[0], GatewayError) and errors[0].code == "E2"
    assert isinstance(errors[1], TransportError) and not errors[1].maybe_sent
    assert isinstance(errors[2], GatewayError) and errors[2].code == "E3"
    assert not info.value.maybe_sent
    assert info.value.__cause__ is errors[2]
    assert "E2" in str(info.value) and "127.0.0.2" in str(info.value)


def test_reads_move_on_after_any_error(kind: str) -> None:
    g = Gateways(kind, (httpx.ReadTimeout("slow"),), (b"garbled",), (b"7",))
    assert g.balance() == Balance(Decimal(7))
    assert g.hits == [["/balance"], ["/balance"], ["/balance"]]
    g = Gateways(kind, (httpx.ReadTimeout("slow"),), (b"138,1",))
    assert [r.mobile for r in g.fetch_reports()] == ["138"]


def test_failover_needs_a_client() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Failover([])
    with pytest.raises(ValueError, match="at least one"):
        AsyncFailover([])


# ------------------------------------------------------------------ split sends (issue 13 item 7)


def test_a_split_send_refused_part_way_moves_on_only_the_unsent_parts(kind: str) -> None:
    # The fake codec splits by two numbers: [1,2] [3,4] [5].
    g = Gateways(kind, (b"OK a,b", b"ERR E2"), (b"OK c,d", b"OK e"))
    result = g.send(["1", "2", "3", "4", "5"], "x")
    assert [(r.mobile, r.message_id) for r in result.receipts] == [
        ("1", "a"),
        ("2", "b"),
        ("3", "c"),
        ("4", "d"),
        ("5", "e"),
    ]
    assert g.hits == [["/send", "/send"], ["/send", "/send"]]


def test_a_split_send_whose_later_part_may_have_gone_out_says_what_went_where(kind: str) -> None:
    g = Gateways(kind, (b"OK a,b", httpx.ReadTimeout("slow")), (b"OK e",))
    with pytest.raises(FailoverError) as info:
        g.send(["1", "2", "3", "4", "5"], "x")
    error = info.value
    first, second = "fake http://127.0.0.1:8000", "fake http://127.0.0.2:8000"
    # [3,4] may have been delivered by the first gateway: it is never resent;
    # [5] certainly was not, and went to the second.
    assert error.sent == (
        (first, SendResult((Receipt("1", "a"), Receipt("2", "b")))),
        (second, SendResult((Receipt("5", "e"),))),
    )
    assert [(name, op.mobiles) for name, op in error.uncertain] == [(first, ("3", "4"))]
    assert error.unsent == ()
    assert error.maybe_sent
    assert g.hits == [["/send", "/send"], ["/send"]]
    assert "3 numbers sent, 1 request(s) may have been sent, 0 request(s) not sent" in str(error)


def test_parts_no_gateway_took_are_listed_as_unsent(kind: str) -> None:
    g = Gateways(kind, (b"OK a,b", b"ERR E2"), (b"ERR E3",))
    with pytest.raises(FailoverError) as info:
        g.send(["1", "2", "3", "4", "5"], "x")
    error = info.value
    assert [(name, r.accepted) for name, r in error.sent] == [("fake http://127.0.0.1:8000", 2)]
    assert [op.mobiles for op in error.unsent] == [("3", "4"), ("5",)]
    assert error.uncertain == ()
    # The second gateway refused [3,4]; [5] was not tried there after its refusal.
    assert g.hits == [["/send", "/send"], ["/send"]]


def test_no_number_gets_the_message_twice_when_the_second_part_is_refused() -> None:
    """Counted at two simulated esms100 gateways: the first can pay for one part only."""
    from decimal import Decimal

    from smswire.codecs import esms100
    from smswire.transports.sim import Simulator

    numbers = [f"139{i:08d}" for i in range(2500)]
    first, second = Simulator(balance=Decimal(1000)), Simulator()
    account = first.state("esms100").account
    assert isinstance(account, esms100.Account)

    async def main() -> SendResult:
        clients = [
            AsyncClient(
                "esms100",
                account,
                "http://127.0.0.1/esms100",
                http=httpx.AsyncClient(transport=httpx.ASGITransport(app=sim)),
            )
            for sim in (first, second)
        ]
        async with AsyncFailover(clients) as failover:
            result: SendResult = await failover.send(numbers, "一次 once")
            return result

    result = asyncio.run(main())
    delivered = [m.mobile for sim in (first, second) for m in sim.state("esms100").sent()]
    # esms100 §4: at most 1000 numbers per request; the first gateway took one request.
    assert len(first.state("esms100").sent()) == 1000
    assert sorted(delivered) == sorted(numbers)  # every number exactly once
    assert sorted(r.mobile for r in result.receipts) == sorted(numbers)
