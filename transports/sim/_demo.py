"""``smswire demo``: every vendor end to end against the in-process simulator.

For each vendor the simulator serves, the real clients (the sync one for some
steps, the async one for others) check the balance, send a batch, read the
delivery reports, have a handset reply (through the simulator's HTTP control
endpoint) and read the reply, and confirm that a wrong password is refused
with the vendor's own code. Each step is checked against what the simulator
must have done, and becomes one row of a table. :data:`DEMO_VARIANTS` runs the
same steps again with clients whose wire options differ from the defaults.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import attrs
from smswire.codecs import (
    VENDORS,
    DeliveryStatus,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    SmsWireError,
    get_codec,
    traits_of,
)

from ._profile import Profile, missing_profiles
from ._server import SimServer

__all__ = ["DEMO_MOBILES", "DEMO_VARIANTS", "DemoRow", "run_demo"]

DEMO_MOBILES = ("13800138000", "13900139000", "15000150000")
DEMO_TEXT = "【smswire】验证码 246810，5 分钟内有效。"
REPLY_MOBILE = "13800138000"
REPLY_TEXT = "收到，谢谢 TD"
#: Clients with other wire options, each demoed against the same simulated account
#: (the options each codec's traits name as its ``variants``).
DEMO_VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = tuple(
    (name, dict(options)) for name in VENDORS.available() for options in traits_of(name).variants
)


@attrs.frozen
class DemoRow:
    """One line of the demo table."""

    vendor: str
    operation: str
    ok: bool
    result: str
    seconds: float


class _Recorder:
    def __init__(self, vendor: str, emit: Callable[[DemoRow], None]) -> None:
        self.vendor = vendor
        self.emit = emit
        self.rows: list[DemoRow] = []

    @contextmanager
    def step(self, operation: str) -> Iterator[list[str]]:
        note: list[str] = []
        started = time.perf_counter()
        ok = True
        try:
            yield note
        except (SmsWireError, AssertionError, OSError, ValueError, LookupError) as exc:
            ok = False
            note[:] = [f"{type(exc).__name__}: {exc}"]
        row = DemoRow(self.vendor, operation, ok, " ".join(note), time.perf_counter() - started)
        self.rows.append(row)
        self.emit(row)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _wrong_account(account: Any) -> Any:
    """The demo account with every secret replaced by a wrong one."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(account)):
        value = getattr(account, field.name)
        if not field.repr and isinstance(value, str):
            changes[field.name] = ("0" if value[:1] != "0" else "1") + value[1:]
    return attrs.evolve(account, **changes)


def _demo_vendor(
    server: SimServer,
    profile: Profile,
    emit: Callable[[DemoRow], None],
    options: dict[str, Any] | None = None,
) -> list[DemoRow]:
    codec = profile.codec
    label = profile.name
    if options:
        codec = get_codec(profile.name, **options)
        label += " " + ",".join(f"{k}={v}" for k, v in options.items())
    run = _Run(server, profile, codec, _Recorder(label, emit))
    result = run.balance_and_send()
    run.reports(result)
    # A vendor without an inbound read (a plug-in may have none) has no reply step.
    if FetchInbound in codec.operations():
        run.reply()
    run.wrong_secret()
    return run.rec.rows


class _Run:
    """One vendor's demo steps against the simulator, each recorded as a row."""

    def __init__(self, server: SimServer, profile: Profile, codec: Any, rec: _Recorder) -> None:
        self.server = server
        self.profile = profile
        self.codec = codec
        self.rec = rec
        self.account = server.simulator.state(profile.name).account
        self.url = server.url(profile.name)

    def balance_and_send(self) -> Any:
        from smswire.transports import AsyncClient, Client

        codec, account, url = self.codec, self.account, self.url
        start_balance = self.server.simulator.state(self.profile.name).balance
        with Client(codec, account, url) as client, self.rec.step("balance (sync)") as note:
            balance = client.balance()
            _check(
                balance.amount == start_balance, f"expected {start_balance}, got {balance.amount}"
            )
            note.append(f"{balance.amount} {balance.unit.value}")

        async def send() -> Any:
            async with AsyncClient(codec, account, url) as aclient:
                return await aclient.send(DEMO_MOBILES, DEMO_TEXT)

        with self.rec.step("send batch (async)") as note:
            result = asyncio.run(send())
            _check(result.accepted == len(DEMO_MOBILES), f"{result.accepted} accepted")
            ids = [r.message_id for r in result.receipts if r.message_id]
            note.append(f"{result.accepted} accepted" + (f", ids {ids[0]}…" if ids else ""))
        return result

    def reports(self, result: Any) -> None:
        from smswire.transports import Client

        ops, query = self.codec.operations(), self.profile.query_reports
        if FetchReports not in ops and query is None:
            return
        with (
            Client(self.codec, self.account, self.url) as client,
            self.rec.step("reports (sync)") as note,
        ):
            if FetchReports in ops:
                reports = list(client.fetch_reports())
            else:
                assert query is not None
                answer = client.call(query(result))
                reports = list(getattr(answer, "reports", answer))
            mobiles = sorted(r.mobile for r in reports)
            _check(mobiles == sorted(DEMO_MOBILES), f"reports for {mobiles}")
            delivered = sum(r.status is DeliveryStatus.DELIVERED for r in reports)
            note.append(f"{len(reports)} reports, {delivered} delivered")

    def reply(self) -> None:
        from smswire.transports import AsyncClient

        async def inject_and_fetch() -> Any:
            import httpx

            async with httpx.AsyncClient(trust_env=False) as http:
                answer = await http.post(
                    self.server.base_url + "/_sim/inject",
                    json={
                        "vendor": self.profile.name,
                        "mobile": REPLY_MOBILE,
                        "content": REPLY_TEXT,
                    },
                )
                _check(answer.status_code == 200, f"inject answered {answer.text}")
            async with AsyncClient(self.codec, self.account, self.url) as aclient:
                return await aclient.fetch_inbound()

        with self.rec.step("reply (async)") as note:
            replies = list(asyncio.run(inject_and_fetch()))
            _check(len(replies) == 1, f"{len(replies)} replies")
            _check(
                (replies[0].mobile, replies[0].content) == (REPLY_MOBILE, REPLY_TEXT),
                f"got {replies[0]!r}",
            )
            note.append(f"{replies[0].mobile}: {replies[0].content}")

    def wrong_secret(self) -> None:
        from smswire.transports import Client

        bad_account = _wrong_account(self.account)
        with (
            self.rec.step("wrong secret refused") as note,
            Client(self.codec, bad_account, self.url, retry=None) as bad,
        ):
            try:
                bad.balance()
            except GatewayError as exc:
                _check(exc.kind is ErrorKind.AUTH, f"refused as {exc.kind}")
                note.append(f"code {exc.code} ({exc.kind.value})")
            else:
                raise AssertionError("a wrong secret was accepted")


def run_demo(out: TextIO, color: bool = False) -> int:
    """Run the demo, print the table to ``out``; 0 when every step succeeded."""
    green, red, reset = ("\033[32m", "\033[31m", "\033[0m") if color else ("", "", "")
    widths = (24, 24, 6, 9)
    head = ("vendor", "operation", "status", "time")
    out.write(
        f"{head[0]:<{widths[0]}} {head[1]:<{widths[1]}} {head[2]:<{widths[2]}} "
        f"{head[3]:>{widths[3]}}  result\n"
    )
    out.write("-" * 90 + "\n")

    def emit(row: DemoRow) -> None:
        mark = f"{green}ok{reset}" if row.ok else f"{red}FAIL{reset}"
        pad = widths[2] - (2 if row.ok else 4)
        out.write(
            f"{row.vendor:<{widths[0]}} {row.operation:<{widths[1]}} {mark}{' ' * pad} "
            f"{row.seconds * 1000:>{widths[3] - 2}.1f}ms  {row.result}\n"
        )
        out.flush()

    rows: list[DemoRow] = []
    with SimServer() as server:
        for name in VENDORS.available():
            profile = server.simulator.profiles.get(name)
            if profile is not None:
                rows.extend(_demo_vendor(server, profile, emit))
        for name, options in DEMO_VARIANTS:
            profile = server.simulator.profiles.get(name)
            if profile is not None:
                rows.extend(_demo_vendor(server, profile, emit, options))
    unavailable = VENDORS.unavailable()
    for name in missing_profiles():
        why = unavailable.get(name, "the simulator has no profile")
        row = DemoRow(name, "simulator support", False, why, 0.0)
        emit(row)
        rows.append(row)
    failed = [row for row in rows if not row.ok]
    vendors = sorted({row.vendor.split(" ")[0] for row in rows})
    out.write("-" * 90 + "\n")
    if failed:
        out.write(f"{red}{len(failed)} of {len(rows)} steps failed{reset}\n")
        return 1
    out.write(
        f"{green}all {len(rows)} steps passed for {len(vendors)} vendors: "
        f"{', '.join(vendors)}{reset}\n"
    )
    return 0
