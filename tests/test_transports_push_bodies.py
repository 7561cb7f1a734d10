"""Receiver and simulator: whole bodies only, bounded and timed, raw targets, many accounts.

Issue 13 items 5, 6 and 13, issue 12 item 14 and issue 11 item 2 (transport side).
"""

from __future__ import annotations

import asyncio
import json
import threading
import tracemalloc
from typing import Any
from urllib.parse import quote, quote_plus, unquote_to_bytes

import pytest
from smswire.codecs import (
    DecodeError,
    HttpRequest,
    InboundMessage,
    SendSms,
    Stamp,
    eims,
    emay,
    smscn,
)
from smswire.codecs._query import parse_query
from smswire.transports import PushReceiver, handle_push
from smswire.transports.sim import Simulator
from test_transports_core import PASSWORD, FakeAccount, FakeCodec

Messages = list[dict[str, Any]]

REPLY = "不要付款，这是诈骗"
SMSCN_A = smscn.Account(uid="shop-a", password="pw-a")
SMSCN_B = smscn.Account(uid="shop-b", password="pw-b")


def scope(method: str, raw_path: bytes, query: bytes = b"", headers: Any = ()) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": raw_path.decode("latin-1"),
        "raw_path": raw_path,
        "query_string": query,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }


async def _call(app: Any, scope: dict[str, Any], incoming: Messages) -> Messages:
    sent: Messages = []
    queue = list(incoming)

    async def receive() -> dict[str, Any]:
        if not queue:
            await asyncio.sleep(3600)  # a client that never sends more
        return queue.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def call(app: Any, scope: dict[str, Any], incoming: Messages) -> Messages:
    return asyncio.run(_call(app, scope, incoming))


def status(sent: Messages) -> int | None:
    return sent[0]["status"] if sent else None


def form_reply(uid: str, text: str) -> bytes:
    # sms.cn §6.2: the reply's content is a GBK string; urlencoded here by the stdlib.
    return f"cmd=mo&uid={uid}&mobile=13800138000&content=".encode() + quote_plus(
        text, encoding="gbk"
    ).encode("ascii")


class Inbox:
    def __init__(self) -> None:
        self.items: list[InboundMessage] = []
        self.bad: list[bytes] = []

    def add(self, item: InboundMessage) -> None:
        self.items.append(item)

    def undecodable(self, raw: bytes, error: Exception) -> None:
        self.bad.append(raw)


def receiver(inbox: Inbox, accounts: Any = SMSCN_A, **options: Any) -> PushReceiver:
    return PushReceiver(
        smscn.Codec(), accounts, on_inbound=inbox.add, on_undecodable=inbox.undecodable, **options
    )


# --------------------------------------------------------------------------- item 5


def test_receiver_ignores_a_body_cut_short_by_a_disconnect() -> None:
    body = form_reply("shop-a", REPLY)
    half = body[: len(body) - 12]  # "不要付款，" survives, "这是诈骗" does not
    inbox = Inbox()
    sent = call(
        receiver(inbox),
        scope("POST", b"/push"),
        [
            {"type": "http.request", "body": half, "more_body": True},
            {"type": "http.disconnect"},
        ],
    )
    assert sent == [] and inbox.items == [] and inbox.bad == []


def test_receiver_refuses_a_body_short_of_its_content_length() -> None:
    body = form_reply("shop-a", REPLY)
    inbox = Inbox()
    headers = [("Content-Length", str(len(body)))]
    sent = call(
        receiver(inbox),
        scope("POST", b"/push", headers=headers),
        [{"type": "http.request", "body": body[:-12], "more_body": False}],
    )
    assert status(sent) == 400 and inbox.items == []
    # The whole body, as a control: delivered.
    sent = call(
        receiver(inbox),
        scope("POST", b"/push", headers=headers),
        [{"type": "http.request", "body": body, "more_body": False}],
    )
    assert status(sent) == 200 and [m.content for m in inbox.items] == [REPLY]


def _eims_send(sim: Simulator, cut: int | None, disconnect: bool) -> Messages:
    account = sim.demo_accounts()["eims"]
    request = eims.Codec(method="POST").encode_request(
        SendSms(("13800138000",), "hi"), account, Stamp(sim.clock(), 1)
    )
    path, _, query = request.target.partition("?")
    body = request.body if cut is None else request.body[:cut]
    headers = [*request.headers, ("Content-Length", str(len(request.body)))]
    incoming: Messages = [{"type": "http.request", "body": body, "more_body": disconnect}]
    if disconnect:
        incoming.append({"type": "http.disconnect"})
    return call(sim, scope("POST", b"/eims" + path.encode(), query.encode(), headers), incoming)


def test_simulator_performs_no_truncated_send() -> None:
    sim = Simulator(rate_limits=False)
    before = sim.state("eims").balance
    assert _eims_send(sim, 20, disconnect=True) == []
    assert status(_eims_send(sim, 20, disconnect=False)) == 400
    assert sim.state("eims").balance == before
    assert status(_eims_send(sim, None, disconnect=False)) == 200
    assert sim.state("eims").balance == before - 1


# --------------------------------------------------------------------------- item 6


def test_a_declared_oversized_body_is_refused_before_reading() -> None:
    read = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": b"x", "more_body": True}

    sent: Messages = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    app = receiver(Inbox(), max_body_size=1000)
    asyncio.run(app(scope("POST", b"/push", headers=[("Content-Length", "1001")]), receive, send))
    assert status(sent) == 413 and read == []
    assert (b"connection", b"close") in sent[0]["headers"]


def test_a_streamed_oversized_body_is_refused_once_past_the_limit() -> None:
    chunks = [{"type": "http.request", "body": b"a" * 400, "more_body": True}] * 5
    for app in (receiver(Inbox(), max_body_size=1000), Simulator(max_body_size=1000)):
        sent = call(app, scope("POST", b"/smscn/mt/"), chunks)
        assert status(sent) == 413


def test_default_limit_is_a_few_megabytes() -> None:
    app = receiver(Inbox())
    assert 1_000_000 <= app.max_body_size <= 64_000_000
    assert Simulator().max_body_size == app.max_body_size


def test_a_slow_body_times_out_with_408() -> None:
    incoming = [{"type": "http.request", "body": b"cmd=mo", "more_body": True}]
    for app in (receiver(Inbox(), body_timeout=0.2), Simulator(body_timeout=0.2)):
        sent = call(app, scope("POST", b"/smscn/push"), incoming)
        assert status(sent) == 408


class ThreadCodec(FakeCodec):
    """Records on which thread each push was decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def decode_push(self, request: HttpRequest, lookup: Any) -> Any:
        self.threads.append(threading.get_ident())
        return super().decode_push(request, lookup)


def test_large_pushes_are_decoded_off_the_event_loop() -> None:
    codec = ThreadCodec()
    app = PushReceiver(codec, FakeAccount("push"), on_report=lambda _r: None)
    headers = [("X-Token", PASSWORD), ("X-User", "push")]
    loop_threads = []

    async def both() -> None:
        loop_threads.append(threading.get_ident())
        small = [{"type": "http.request", "body": b"R,138,1"}]
        big = [{"type": "http.request", "body": b"\n".join([b"R,138,1"] * 100_000)}]
        await _call(app, scope("POST", b"/p", headers=headers), small)
        await _call(app, scope("POST", b"/p", headers=headers), big)

    asyncio.run(both())
    assert codec.threads[0] == loop_threads[0]
    assert codec.threads[1] != loop_threads[0]


def test_form_parsing_does_not_multiply_memory() -> None:
    records = [
        {"mobile": "13800138000", "smsId": str(i), "state": "DELIVRD"} for i in range(40_000)
    ]
    value = quote(json.dumps(records))
    body = ("reports=" + value).encode("ascii")
    tracemalloc.start()
    try:
        pairs = parse_query(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pairs == [("reports", unquote_to_bytes(value))]
    assert peak < 4 * len(body), peak / len(body)


# --------------------------------------------------------------------------- items 13.13, 12.14


def test_one_receiver_serves_many_accounts_by_the_uid_on_the_wire() -> None:
    inbox = Inbox()
    accounts = {SMSCN_A.uid: SMSCN_A, SMSCN_B.uid: SMSCN_B}
    for app in (receiver(inbox, accounts), receiver(inbox, accounts.get)):
        for uid in ("shop-a", "shop-b", "shop-c"):
            body = form_reply(uid, "好")
            call(app, scope("POST", b"/push"), [{"type": "http.request", "body": body}])
    assert len(inbox.items) == 4 and len(inbox.bad) == 2  # shop-c is no one's


def test_a_single_account_is_not_a_wildcard() -> None:
    ok = handle_push(smscn.Codec(), SMSCN_A, "POST", b"/p", (), form_reply("shop-a", "好"))
    other = handle_push(smscn.Codec(), SMSCN_A, "POST", b"/p", (), form_reply("shop-b", "好"))
    assert ok.ok and not other.ok and other.status == 400


def test_emay_pushes_pick_the_account_by_app_id() -> None:
    # §2.3.2: "appId String 用户 APPID【在 Http头中获取】"; reports= is the parameter.
    first = emay.Account(app_id="EUCP-A", secret_key="k" * 16)
    second = emay.Account(app_id="EUCP-B", secret_key="j" * 16)
    accounts = {a.app_id: a for a in (first, second)}
    rows = [{"mobile": "13800138000", "state": "DELIVRD", "receiveTime": "2026-03-01 09:30:05"}]
    body = ("reports=" + quote(json.dumps(rows))).encode()
    codec = emay.SimpleCodec()
    for app_id in accounts:
        result = handle_push(codec, accounts, "POST", b"/p", {"appId": app_id}, body)
        assert result.ok and result.batch is not None and len(result.batch) == 1
    stranger = handle_push(codec, accounts, "POST", b"/p", {"appId": "EUCP-C"}, body)
    assert not stranger.ok and isinstance(stranger.error, DecodeError)


def test_eims_push_that_is_not_a_push_is_undecodable() -> None:
    inbox = Inbox()
    app = PushReceiver(
        eims.Codec(), eims.Account(account="a", password="p"), on_undecodable=inbox.undecodable
    )
    sent = call(app, scope("PUT", b"/push"), [{"type": "http.request", "body": b'{"not":"eims"}'}])
    assert status(sent) == 400 and inbox.bad == [b'{"not":"eims"}']


def test_accounts_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(TypeError, match="mapping"):
        handle_push(smscn.Codec(), 42, "GET", b"/", (), b"")


# --------------------------------------------------------------------------- item 11.2


def test_raw_gbk_in_a_get_push_query_reaches_the_codec_byte_for_byte() -> None:
    # sms.cn §6.2: content is a "GBK字符串"; here raw, unescaped, as a request line may carry it.
    query = b"cmd=mo&uid=shop-a&mobile=13800138000&content=" + REPLY.encode("gbk")
    inbox = Inbox()
    sent = call(receiver(inbox), scope("GET", b"/push", query), [{"type": "http.request"}])
    assert status(sent) == 200
    assert [m.content for m in inbox.items] == [REPLY]
    result = handle_push(smscn.Codec(), SMSCN_A, "GET", b"/push?" + query, (), b"")
    assert result.ok and result.batch is not None
    assert result.request.target.encode("utf-8", "surrogateescape") == b"/push?" + query


def test_raw_gbk_in_a_path_survives_too() -> None:
    inbox = Inbox()
    path = "/回调".encode("gbk")
    query = b"cmd=mo&uid=shop-a&mobile=13800138000&content=%BA%C3"
    sent = call(receiver(inbox), scope("GET", path, query), [{"type": "http.request"}])
    assert status(sent) == 200 and [m.content for m in inbox.items] == ["好"]


# --------------------------------------------------------------------------- over real loopback


def _send_raw(port: int, data: bytes, *, close: bool) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        if close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_gateway_cut_off_mid_body_is_not_processed() -> None:
    import time

    from smswire.transports.sim import LoopbackServer

    inbox = Inbox()
    body = form_reply("shop-a", REPLY)
    head = f"POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    head += "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    with LoopbackServer(receiver(inbox)) as server:
        answer = _send_raw(server.port, head.encode() + body[:-12], close=True)
        time.sleep(0.3)
        assert inbox.items == [] and b" 200 " not in answer
        whole = _send_raw(server.port, head.encode() + body, close=True)
        assert whole.startswith(b"HTTP/1.1 200") and [m.content for m in inbox.items] == [REPLY]
