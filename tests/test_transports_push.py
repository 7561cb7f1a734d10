"""The push receiver: handle_push and the PushReceiver ASGI app, with a fake PushCodec."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from smswire.codecs import (
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    GatewayError,
    InboundMessage,
    SmsWireError,
)
from smswire.transports import PushReceiver, handle_push
from test_transports_core import PASSWORD, FakeAccount, FakeCodec

CODEC = FakeCodec()
ACCOUNT = FakeAccount("push")
TOKEN = {"X-Token": PASSWORD, "X-User": "push"}


# ------------------------------------------------------------------ handle_push


def test_a_good_push_is_decoded_and_acknowledged() -> None:
    result = handle_push(CODEC, ACCOUNT, "post", "/hook", TOKEN, b"R,138,1\nM,139,hello")
    assert (result.status, result.body, result.ok, result.error) == (200, b"ACK", True, None)
    assert result.headers == (("Content-Type", "text/plain"),)
    assert result.batch is not None
    assert result.batch.items == (
        DeliveryReport("138", DeliveryStatus.DELIVERED, "1"),
        InboundMessage("139", "hello"),
    )
    assert result.request.method == "POST" and result.request.target == "/hook"


def test_the_target_carries_a_get_push() -> None:
    result = handle_push(CODEC, ACCOUNT, "GET", "/hook?data=M%2C139%2C%E4%BD%A0", TOKEN, b"")
    assert result.batch is not None
    assert result.batch.items == (InboundMessage("139", "你"),)


def test_an_undecodable_push_gets_an_error_status_so_the_gateway_retries() -> None:
    result = handle_push(CODEC, ACCOUNT, "POST", "/hook", TOKEN, b"")
    assert result.status == 400 and not result.ok and result.batch is None
    assert isinstance(result.error, DecodeError)
    assert result.body != b"ACK"
    forged = handle_push(CODEC, ACCOUNT, "POST", "/hook", {"X-Token": "no"}, b"R,138,1")
    assert forged.status == 403 and isinstance(forged.error, GatewayError)
    assert PASSWORD.encode() not in forged.body


def test_a_codec_bug_still_yields_an_error_status_and_the_body() -> None:
    class Buggy(FakeCodec):
        def decode_push(self, request: Any, account: Any) -> Any:
            raise KeyError("bug")

    result = handle_push(Buggy(), ACCOUNT, "POST", "/hook", TOKEN, b"R,1,1")
    assert result.status == 400
    assert isinstance(result.error, DecodeError) and result.error.raw == b"R,1,1"


# ------------------------------------------------------------------ the ASGI app


class Sink:
    """Records what the callbacks received; async or sync on demand."""

    def __init__(self) -> None:
        self.reports: list[DeliveryReport] = []
        self.inbound: list[InboundMessage] = []
        self.undecodable: list[tuple[bytes, SmsWireError]] = []

    def report(self, item: DeliveryReport) -> None:
        self.reports.append(item)

    async def message(self, item: InboundMessage) -> None:
        await asyncio.sleep(0)
        self.inbound.append(item)

    def bad(self, raw: bytes, error: SmsWireError) -> None:
        self.undecodable.append((raw, error))


def post(app: PushReceiver, method: str, url: str, body: bytes, headers: Any) -> httpx.Response:
    async def main() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.request(method, url, content=body, headers=headers)

    return asyncio.run(main())


def receiver(sink: Sink, **overrides: Any) -> PushReceiver:
    options: dict[str, Any] = {
        "on_report": sink.report,
        "on_inbound": sink.message,
        "on_undecodable": sink.bad,
    }
    options.update(overrides)
    return PushReceiver(CODEC, ACCOUNT, **options)


def test_asgi_app_delivers_items_to_sync_and_async_callbacks() -> None:
    sink = Sink()
    response = post(receiver(sink), "POST", "/hook", b"R,138,2\nM,139,hi\nZ,bad", TOKEN)
    assert (response.status_code, response.content) == (200, b"ACK")
    assert sink.reports == [DeliveryReport("138", DeliveryStatus.FAILED, "2")]
    assert sink.inbound == [InboundMessage("139", "hi")]
    # The malformed line is handed over raw: nothing lost.
    assert [raw for raw, _ in sink.undecodable] == [b"Z,bad"]


def test_asgi_app_passes_the_raw_query_of_a_get_push() -> None:
    sink = Sink()
    response = post(receiver(sink), "GET", "/hook?data=R%2C138%2C1", b"", TOKEN)
    assert response.status_code == 200
    assert [r.mobile for r in sink.reports] == ["138"]


def test_asgi_app_hands_an_undecodable_body_over_and_refuses_it() -> None:
    sink = Sink()
    response = post(receiver(sink), "POST", "/hook", b"", TOKEN)
    assert response.status_code == 400
    assert len(sink.undecodable) == 1 and isinstance(sink.undecodable[0][1], DecodeError)
    forged = post(receiver(sink), "POST", "/hook", b"R,138,1", {"X-Token": "x"})
    assert forged.status_code == 403
    assert sink.undecodable[1][0] == b"R,138,1" and sink.reports == []


def test_a_failing_callback_withholds_the_ack() -> None:
    def explode(item: DeliveryReport) -> None:
        raise RuntimeError("database down")

    sink = Sink()
    response = post(receiver(sink, on_report=explode), "POST", "/hook", b"R,138,1", TOKEN)
    assert response.status_code == 500 and response.content != b"ACK"


def test_asgi_lifespan_is_answered() -> None:
    sent: list[dict[str, Any]] = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(receiver(Sink())({"type": "lifespan"}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_asgi_refuses_other_scopes() -> None:
    async def nothing() -> dict[str, Any]:
        return {}

    async def drop(message: dict[str, Any]) -> None:
        return None

    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(receiver(Sink())({"type": "websocket"}, nothing, drop))


def test_a_get_push_that_cannot_be_read_hands_over_its_query() -> None:
    sink = Sink()
    response = post(receiver(sink), "GET", "/hook?data=", b"", TOKEN)
    assert response.status_code == 400
    assert sink.undecodable[0][0] == b"/hook?data="
