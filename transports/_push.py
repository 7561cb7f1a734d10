"""Receiving the reports and messages a gateway pushes, with any web framework or none.

:func:`handle_push` is the whole receiver as one pure-ish function (request
parts in, answer out); :class:`PushReceiver` wraps it as an ASGI 3
application that runs under any ASGI server (uvicorn, hypercorn…) or mounts
inside a Starlette/FastAPI/Django app.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any
from urllib.parse import quote

import attrs
from smswire.codecs import (
    Batch,
    DecodeError,
    DeliveryReport,
    ErrorKind,
    GatewayError,
    HttpRequest,
    InboundMessage,
    PushCodec,
    SmsWireError,
)
from smswire.codecs._http import Headers, normalize_headers

from ._core import mask

__all__ = ["PushReceiver", "PushResult", "handle_push", "raw_push"]

log = logging.getLogger("smswire.transports")

PushItem = DeliveryReport | InboundMessage
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_TEXT = (("Content-Type", "text/plain; charset=utf-8"),)


@attrs.frozen
class PushResult:
    """What :func:`handle_push` made of one push.

    ``status``, ``headers`` and ``body`` are the answer to give the gateway
    (the vendor's acknowledgement, or an error status so that it pushes
    again); ``batch`` holds what the push carried, ``error`` why it could not
    be read (exactly one of the two is set). ``request`` is the push as the
    codec saw it.
    """

    status: int
    headers: Headers
    body: bytes
    batch: Batch[PushItem] | None
    error: SmsWireError | None
    request: HttpRequest

    @property
    def ok(self) -> bool:
        """Whether the push was read and acknowledged."""
        return self.error is None


def _refusal(error: SmsWireError) -> int:
    if isinstance(error, GatewayError):
        return 403 if error.kind is ErrorKind.AUTH else 400
    if isinstance(error, DecodeError):
        return 400
    return 500


def handle_push(
    codec: PushCodec[Any],
    account: Any,
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]] | Mapping[str, str],
    body: bytes,
) -> PushResult:
    """Decode one push and build the answer for the gateway.

    ``target`` is the request's path and raw (still percent-encoded) query
    string. The function the issue sketched took no target, but sms.cn pushes
    by GET with all its data in the query string, so a receiver must pass it.
    A push that cannot be read gets a 4xx/5xx status instead of the vendor's
    acknowledgement, so the gateway keeps it and pushes it again.
    """
    request = HttpRequest(method.upper(), target, normalize_headers(headers), body)
    log.debug("%s push: %s %s, %d bytes", codec.vendor, request.method, mask(target), len(body))
    try:
        batch = codec.decode_push(request, account)
        ack = codec.push_ack(request)
    except SmsWireError as error:
        return _failed(codec.vendor, request, error)
    except Exception as error:
        # A codec must raise only smswire errors; if one slips, the push is still kept.
        wrapped = DecodeError(
            f"{codec.vendor} push decoder failed: {type(error).__name__}", raw_push(request)
        )
        wrapped.__cause__ = error
        return _failed(codec.vendor, request, wrapped)
    return PushResult(ack.status, ack.headers, ack.body, batch, None, request)


def _failed(vendor: str, request: HttpRequest, error: SmsWireError) -> PushResult:
    log.warning("%s push refused: %s", vendor, mask(str(error)))
    status = _refusal(error)
    text = f"push not accepted: {type(error).__name__}\n".encode()
    return PushResult(status, _TEXT, text, None, error, request)


Callback = Callable[[Any], object]
UndecodableCallback = Callable[[bytes, SmsWireError], object]


async def _call(callback: Callable[..., object], *args: Any) -> None:
    outcome = callback(*args)
    if inspect.isawaitable(outcome):
        await outcome


class PushReceiver:
    """An ASGI 3 application receiving one account's pushes.

    ``on_report(DeliveryReport)`` and ``on_inbound(InboundMessage)`` run for
    each item of a push, ``on_undecodable(raw, error)`` with the raw data of
    a push that could not be read (its body, or its target for a body-less GET
    push: see :func:`raw_push`) and with each malformed fragment of one that
    partly could; each may be a plain or a coroutine function. The gateway is
    acknowledged only after every callback returned; if one raises, it gets a
    500 and pushes again.
    """

    def __init__(
        self,
        codec: PushCodec[Any],
        account: Any,
        *,
        on_report: Callable[[DeliveryReport], object] | None = None,
        on_inbound: Callable[[InboundMessage], object] | None = None,
        on_undecodable: UndecodableCallback | None = None,
    ) -> None:
        self.codec = codec
        self.account = account
        self.on_report = on_report
        self.on_inbound = on_inbound
        self.on_undecodable = on_undecodable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI 3 entry point (``http`` and ``lifespan`` scopes)."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"PushReceiver serves HTTP, not {scope['type']!r}")
        body = await _read_body(receive)
        result = handle_push(
            self.codec,
            self.account,
            scope["method"],
            _target(scope),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ())],
            body,
        )
        status, headers, answer = result.status, result.headers, result.body
        try:
            await self._deliver(result)
        except Exception:
            log.exception(
                "%s push: a callback failed; asking the gateway to retry", self.codec.vendor
            )
            status, headers, answer = 500, _TEXT, b"push not processed\n"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    async def _deliver(self, result: PushResult) -> None:
        if result.error is not None or result.batch is None:
            if self.on_undecodable is not None and result.error is not None:
                await _call(self.on_undecodable, raw_push(result.request), result.error)
            return
        for item in result.batch.items:
            callback: Callback | None = (
                self.on_report if isinstance(item, DeliveryReport) else self.on_inbound
            )
            if callback is None:
                log.warning("%s push: no callback for %s", self.codec.vendor, type(item).__name__)
                continue
            await _call(callback, item)
        for fragment in result.batch.malformed:
            if self.on_undecodable is not None:
                error = DecodeError(f"{self.codec.vendor} push: malformed record", fragment)
                await _call(self.on_undecodable, fragment, error)


def raw_push(request: HttpRequest) -> bytes:
    """The bytes that carry a push's data: its body, or for a body-less push its target.

    sms.cn pushes by GET, so there the data is the (percent-encoded) query string.
    """
    if request.body:
        return request.body
    try:
        # ASGI targets arrive as bytes decoded as Latin-1: this gives the same bytes back.
        return request.target.encode("latin-1")
    except UnicodeEncodeError:
        return request.target.encode("utf-8")


def _target(scope: Scope) -> str:
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(scope.get("path", "/"), safe="/")
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
