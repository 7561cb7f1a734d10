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
from typing import Any, cast

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
from smswire.codecs._masking import mask_text as mask

from ._body import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_MAX_BODY,
    OFFLOAD_ABOVE,
    BodyRefused,
    ClientDisconnected,
    read_body,
    refuse,
    request_target,
)

__all__ = ["Accounts", "PushReceiver", "PushResult", "as_lookup", "handle_push", "raw_push"]

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


#: Who receives pushes: a mapping from the credential on the wire (sms.cn uid,
#: Emay appId…) to the account, a look-up function returning the account or
#: ``None``, or, for one account, that account itself.
Accounts = Mapping[str, Any] | Callable[[str], Any] | Any


def as_lookup(accounts: Accounts) -> Callable[[str], Any]:
    """The look-up ``decode_push`` takes, from any form of :data:`Accounts`.

    A single (attrs) account answers to each of its non-secret fields' values
    (its uid, appId, account name…): it is not a wildcard, a push for another
    uid or appId is still refused.
    """
    if isinstance(accounts, Mapping):
        return accounts.get
    if callable(accounts):
        return cast(Callable[[str], Any], accounts)
    if not attrs.has(type(accounts)):
        raise TypeError(
            "accounts: a mapping from the credential on the wire to the account, "
            f"a look-up function or one vendor Account, not {type(accounts).__name__}"
        )
    names = {
        str(getattr(accounts, f.name))
        for f in attrs.fields(type(accounts))
        if f.repr and isinstance(getattr(accounts, f.name), str)
    }

    def lookup(credential: str) -> Any:
        return accounts if credential in names else None

    return lookup


def _refusal(error: SmsWireError) -> int:
    if isinstance(error, GatewayError):
        return 403 if error.kind is ErrorKind.AUTH else 400
    if isinstance(error, DecodeError):
        return 400
    return 500


def handle_push(
    codec: PushCodec[Any],
    accounts: Accounts,
    method: str,
    target: bytes | str,
    headers: Iterable[tuple[str, str]] | Mapping[str, str],
    body: bytes,
) -> PushResult:
    """Decode one push and build the answer for the gateway.

    ``accounts`` says who receives pushes (see :data:`Accounts`); the codec
    looks the account up from the credential the push carries. ``target`` is
    the request's path and query string as the request line carried them:
    pass the bytes (ASGI's ``raw_path`` + ``?`` + ``query_string``), so that a
    raw GBK query (sms.cn pushes by GET) reaches the codec byte for byte; a
    ``str`` is taken as those bytes decoded as UTF-8 with ``surrogateescape``.
    A push that cannot be read gets a 4xx/5xx status instead of the vendor's
    acknowledgement, so the gateway keeps it and pushes it again.
    """
    lookup = as_lookup(accounts)
    if isinstance(target, bytes):
        target = target.decode("utf-8", "surrogateescape")
    request = HttpRequest(method.upper(), target, normalize_headers(headers), body)
    log.debug("%s push: %s %s, %d bytes", codec.vendor, request.method, mask(target), len(body))
    try:
        batch = codec.decode_push(request, lookup)
        ack = codec.push_ack()
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
    """An ASGI 3 application receiving the pushes of one vendor, for any of ``accounts``.

    ``accounts`` is a mapping from the credential on the wire to the account,
    a look-up function, or one account (see :func:`as_lookup`).

    ``on_report(DeliveryReport)`` and ``on_inbound(InboundMessage)`` run for
    each item of a push, ``on_undecodable(raw, error)`` with the raw data of
    a push that could not be read (its body, or its target for a body-less GET
    push: see :func:`raw_push`) and with each malformed fragment of one that
    partly could; each may be a plain or a coroutine function. The gateway is
    acknowledged only after every callback returned; if one raises, it gets a
    500 and pushes again.

    Only a complete body is processed: a client that disconnects mid-body
    gets nothing, a body short of its ``Content-Length`` a 400, one above
    ``max_body_size`` bytes a 413 (before the rest is read), one slower than
    ``body_timeout`` seconds a 408. Bodies above a few hundred kilobytes are
    decoded on a worker thread, so a large push does not stall the event loop.
    """

    def __init__(
        self,
        codec: PushCodec[Any],
        accounts: Accounts,
        *,
        on_report: Callable[[DeliveryReport], object] | None = None,
        on_inbound: Callable[[InboundMessage], object] | None = None,
        on_undecodable: UndecodableCallback | None = None,
        max_body_size: int = DEFAULT_MAX_BODY,
        body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
    ) -> None:
        self.codec = codec
        as_lookup(accounts)  # a wrong shape fails here, not at the first push
        self.accounts = accounts
        self.max_body_size = max_body_size
        self.body_timeout = body_timeout
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
        try:
            body = await read_body(
                scope, receive, max_size=self.max_body_size, timeout=self.body_timeout
            )
        except ClientDisconnected:
            log.warning("%s push: the gateway disconnected mid-body; ignored", self.codec.vendor)
            return
        except BodyRefused as error:
            log.warning("%s push refused: %s", self.codec.vendor, error.reason)
            await refuse(send, error)
            return
        args = (
            self.codec,
            self.accounts,
            scope["method"],
            request_target(scope),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ())],
            body,
        )
        if len(body) > OFFLOAD_ABOVE:
            import anyio.to_thread

            result = await anyio.to_thread.run_sync(handle_push, *args)
        else:
            result = handle_push(*args)
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
        # Targets are request-line bytes decoded with surrogateescape: this gives them back.
        return request.target.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A lone surrogate no request line carried: keep it anyway, nothing is lost.
        return request.target.encode("utf-8", "surrogatepass")


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
