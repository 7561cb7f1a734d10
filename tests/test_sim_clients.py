"""Every vendor over real loopback HTTP: the sync and the async client against the simulator.

One uvicorn server (127.0.0.1, ephemeral port) serves the module; each test
opens its own account so the tests do not share balances or queues. The
scenario is written once as a coroutine; the sync client runs it through a
thin adapter that calls its blocking methods.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from smswire.codecs import (
    VENDORS,
    DecodeError,
    DeliveryStatus,
    ErrorKind,
    FetchReports,
    GatewayError,
    SendResult,
)
from smswire.transports import AsyncClient, Client, TransportError
from smswire.transports.sim import (
    Outcome,
    SimServer,
    Simulator,
    error_code,
    message_parts,
    missing_profiles,
)

#: Every vendor the project promises; one not registered yet fails loudly below.
EXPECTED = ("esms100", "smscn", "changlong", "eims", "emay", "emay-simple")
MODES = ("sync", "async")
MOBILES = ("13800138001", "13900139002", "15000150003")
LONG_TEXT = "【测试】" + "长短信内容" * 15  # 79 characters: two parts each


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Simulator(rate_limits=False)) as running:
        yield running


def test_every_expected_vendor_is_registered_and_simulated() -> None:
    assert not missing_profiles(), f"no simulator profile for {missing_profiles()}"
    absent = [name for name in EXPECTED if name not in VENDORS]
    assert not absent, f"vendors not landed in smswire.codecs.VENDORS: {absent}"


def _vendor(server: SimServer, name: str) -> Any:
    if name not in server.simulator.profiles:
        pytest.fail(f"{name} has not landed (not in VENDORS or no simulator profile)")
    return server.simulator.profiles[name]


class _SyncAdapter:
    """The sync client behind the scenario's coroutine interface."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def balance(self) -> Any:
        return self.client.balance()

    async def send(self, mobiles: Any, content: str) -> SendResult:
        return self.client.send(mobiles, content)

    async def fetch_reports(self) -> Any:
        return self.client.fetch_reports()

    async def fetch_inbound(self) -> Any:
        return self.client.fetch_inbound()

    async def call(self, op: Any) -> Any:
        return self.client.call(op)


def _run(
    server: SimServer,
    vendor: str,
    mode: str,
    account: Any,
    scenario: Callable[[Any], Awaitable[Any]],
    **kw: Any,
) -> Any:
    profile = _vendor(server, vendor)
    url = server.url(vendor)
    kw.setdefault("rate_limit", False)

    async def main() -> Any:
        if mode == "async":
            async with AsyncClient(profile.codec, account, url, **kw) as client:
                return await scenario(client)
        with Client(profile.codec, account, url, **kw) as client:
            return await scenario(_SyncAdapter(client))

    return asyncio.run(main())


async def _reports(profile: Any, client: Any, sent: SendResult) -> list[Any]:
    if FetchReports in profile.codec.operations():
        return list(await client.fetch_reports())
    assert profile.query_reports is not None, f"{profile.name} has no way to read reports"
    return list((await client.call(profile.query_reports(sent))).reports)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", EXPECTED)
def test_balance_send_reports_reply(server: SimServer, vendor: str, mode: str) -> None:
    profile = _vendor(server, vendor)
    sim = server.simulator
    account = sim.new_account(vendor, balance=Decimal(1000))
    destructive = FetchReports in profile.codec.operations()

    async def scenario(client: Any) -> None:
        before = await client.balance()
        assert before.amount == 1000
        sent = await client.send(MOBILES, LONG_TEXT)
        assert sent.accepted == len(MOBILES)
        assert sorted(r.mobile for r in sent.receipts) == sorted(MOBILES)
        after = await client.balance()
        # 79 characters are two 67-character parts; three numbers.
        assert len(LONG_TEXT) == 79
        assert message_parts(LONG_TEXT) == 2
        assert after.amount == 1000 - 2 * len(MOBILES)
        reports = await _reports(profile, client, sent)
        assert sorted(r.mobile for r in reports) == sorted(MOBILES)
        assert {r.status for r in reports} == {DeliveryStatus.DELIVERED}
        ids = {r.message_id for r in sent.receipts}
        if ids != {None}:
            assert {r.message_id for r in reports} == ids
        if destructive:
            assert list(await client.fetch_reports()) == []
        sim.inject_reply(vendor, "13700137000", "好的，收到", profile.credential(account))
        replies = list(await client.fetch_inbound())
        assert [(m.mobile, m.content) for m in replies] == [("13700137000", "好的，收到")]
        assert list(await client.fetch_inbound()) == []

    _run(server, vendor, mode, account, scenario)
    state = sim.state(vendor, profile.credential(account))
    assert [m.mobile for m in state.sent()] == list(MOBILES)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", EXPECTED)
def test_wrong_password_is_refused_with_an_auth_code(
    server: SimServer, vendor: str, mode: str
) -> None:
    from smswire.transports.sim._demo import _wrong_account

    sim = server.simulator
    account = sim.new_account(vendor)

    async def scenario(client: Any) -> None:
        with pytest.raises(GatewayError) as caught:
            await client.balance()
        assert caught.value.kind is ErrorKind.AUTH
        assert caught.value.vendor == _vendor(server, vendor).codec.vendor

    _run(server, vendor, mode, _wrong_account(account), scenario, retry=None)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", EXPECTED)
def test_insufficient_balance_uses_the_vendors_own_code(
    server: SimServer, vendor: str, mode: str
) -> None:
    profile = _vendor(server, vendor)
    sim = server.simulator
    account = sim.new_account(vendor, balance=Decimal(2))

    async def scenario(client: Any) -> None:
        with pytest.raises(GatewayError) as caught:
            await client.send(MOBILES, "余额测试")
        assert caught.value.kind is ErrorKind.BALANCE
        assert caught.value.code == error_code(profile.codec.spec, ErrorKind.BALANCE)
        assert (await client.balance()).amount == 2

    _run(server, vendor, mode, account, scenario, retry=None)
    assert sim.state(vendor, profile.credential(account)).sent() == ()


@pytest.mark.parametrize("vendor", EXPECTED)
def test_failure_ratio_is_seeded_and_reported(server: SimServer, vendor: str) -> None:
    profile = _vendor(server, vendor)
    sim = server.simulator
    outcome = Outcome(failure_ratio=0.5, seed=11)
    account = sim.new_account(vendor, outcome=outcome)
    mobiles = tuple(f"1380000{i:04d}" for i in range(20))

    async def scenario(client: Any) -> list[Any]:
        sent = await client.send(mobiles, "ratio")
        return await _reports(profile, client, sent)

    reports = _run(server, vendor, "async", account, scenario)
    rng = random.Random(11)
    expected = {m: rng.random() >= 0.5 for m in mobiles}
    by_mobile = {r.mobile: r for r in reports}
    assert set(by_mobile) == set(mobiles)
    for mobile, delivered in expected.items():
        status = by_mobile[mobile].status
        if delivered:
            assert status is DeliveryStatus.DELIVERED
        else:
            assert status is not DeliveryStatus.DELIVERED


@pytest.mark.parametrize("vendor", EXPECTED)
def test_reports_wait_for_the_configured_delay(server: SimServer, vendor: str) -> None:
    profile = _vendor(server, vendor)
    sim = server.simulator
    account = sim.new_account(vendor, outcome=Outcome(delay=timedelta(hours=1)))

    async def scenario(client: Any) -> list[Any]:
        sent = await client.send(MOBILES[:1], "later")
        return await _reports(profile, client, sent)

    reports = _run(server, vendor, "sync", account, scenario)
    assert all(r.status is not DeliveryStatus.DELIVERED for r in reports)
    assert sim.state(vendor, profile.credential(account)).pending_reports() == 1


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize("vendor", EXPECTED)
def test_dropped_connection_is_a_transport_error(server: SimServer, vendor: str) -> None:
    profile = _vendor(server, vendor)
    account = server.simulator.new_account(vendor)
    server.simulator.faults.drop(vendor=profile.group)

    async def scenario(client: Any) -> None:
        with pytest.raises(TransportError):
            await client.balance()
        assert (await client.balance()).amount == 100_000

    _run(server, vendor, "async", account, scenario, retry=None)


@pytest.mark.parametrize("vendor", EXPECTED)
def test_malformed_answer_is_a_decode_error_keeping_the_body(
    server: SimServer, vendor: str
) -> None:
    profile = _vendor(server, vendor)
    account = server.simulator.new_account(vendor)
    server.simulator.faults.malformed(vendor=profile.group, body=b"\xff\xfe<html>oops")

    async def scenario(client: Any) -> None:
        with pytest.raises(DecodeError) as caught:
            await client.balance()
        assert caught.value.raw == b"\xff\xfe<html>oops"

    _run(server, vendor, "sync", account, scenario, retry=None)


@pytest.mark.parametrize("vendor", EXPECTED)
def test_injected_error_code_for_the_next_requests(server: SimServer, vendor: str) -> None:
    profile = _vendor(server, vendor)
    account = server.simulator.new_account(vendor)
    code = error_code(profile.codec.spec, ErrorKind.BALANCE)
    server.simulator.faults.error(code, count=2, vendor=profile.group)

    async def scenario(client: Any) -> None:
        for _ in range(2):
            with pytest.raises(GatewayError) as caught:
                await client.send(MOBILES[:1], "x")
            assert caught.value.code == code
        assert (await client.send(MOBILES[:1], "x")).accepted == 1

    _run(server, vendor, "async", account, scenario, retry=None)


def test_slow_answer_times_out_in_the_client(server: SimServer) -> None:
    account = server.simulator.new_account("esms100")
    server.simulator.faults.delay(1.0, vendor="esms100")

    async def scenario(client: Any) -> None:
        with pytest.raises(TransportError):
            await client.balance()

    _run(server, "esms100", "async", account, scenario, retry=None, timeout=0.2)


# --------------------------------------------------------------------------- rate limits


@pytest.mark.parametrize("vendor", EXPECTED)
def test_documented_rate_limits_are_enforced(vendor: str) -> None:
    with SimServer(Simulator(rate_limits=True)) as server:
        profile = _vendor(server, vendor)
        spec = profile.codec.spec
        account = server.simulator.new_account(vendor)
        has_code = any(row.kind is ErrorKind.RATE_LIMIT for row in spec.statuses.values())
        pace = spec.rate_limit("balance")

        async def scenario(client: Any) -> list[Any]:
            outcomes: list[Any] = []
            for _ in range(12):
                try:
                    outcomes.append(await client.balance())
                except GatewayError as exc:
                    outcomes.append(exc)
            return outcomes

        outcomes = _run(server, vendor, "sync", account, scenario, retry=None)
    refused = [o for o in outcomes if isinstance(o, GatewayError)]
    if pace is not None and has_code:
        assert refused, f"{vendor}: twelve quick balance queries were all admitted"
        assert {e.kind for e in refused} == {ErrorKind.RATE_LIMIT}
    else:
        # The document sets no pace for balance queries (or has no code to refuse with).
        assert not refused


def test_the_client_rate_limiter_keeps_within_the_simulators_pace() -> None:
    with SimServer(Simulator(rate_limits=True)) as server:
        account = server.simulator.new_account("esms100")

        async def scenario(client: Any) -> list[Any]:
            # esms100 allows 10 sends per second; 12 paced sends are all admitted.
            return [await client.send(MOBILES[:1], "paced") for _ in range(12)]

        results = _run(server, "esms100", "async", account, scenario, rate_limit=True)
    assert all(r.accepted == 1 for r in results)


def test_changlong_multi_number_send_answers_one_batch_id_that_the_reports_name(
    server: SimServer,
) -> None:
    # 112088.net §1.1.1: "第四项值：d；返回本次提交到网关的短信批次编号，以方便在收取状态报告时
    # 相对应批次，然后再对应号码" and a report is "短信批次编号+”;”+本批次中发送的号码+…":
    # one batch number for the submission, which every report of it names.
    sim = server.simulator
    account = sim.new_account("changlong", balance=Decimal(1000))

    async def scenario(client: Any) -> tuple[SendResult, list[Any]]:
        sent = await client.send(MOBILES, "批次")
        return sent, list(await client.fetch_reports())

    sent, reports = _run(server, "changlong", "sync", account, scenario)
    assert sent.batch_id is not None
    assert {r.message_id for r in sent.receipts} == {sent.batch_id}
    assert sorted(r.mobile for r in reports) == sorted(MOBILES)
    assert {r.message_id for r in reports} == {sent.batch_id}
