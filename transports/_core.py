"""The logic both HTTP clients share; the clients only move bytes and sleep.

:meth:`Core.perform` is a generator (gidgethub style): it yields the
:data:`Step` values a client must carry out — :class:`Exchange` (send this
request, reply with the :class:`HttpResponse` or the :class:`TransportError`),
:class:`Pause` (sleep this long) and :class:`Hook` (hand the raw exchange to
``on_raw``) — and returns the operation's result. Stamping, planning and
merging, rate limiting, the retry policy, error mapping and logging all live
here, once, for the sync and the async client alike.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Generator, Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar, cast

import attrs
import httpx
from smswire.codecs import (
    Batch,
    Codec,
    DecodeError,
    Effect,
    EncodeError,
    FetchInbound,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Operation,
    PersonalizedMessage,
    SendPersonalized,
    SendResult,
    SendSms,
    SmsWireError,
    Stamp,
    get_codec,
)
from smswire.codecs._chinatime import CHINA

from ._errors import PartialSendError, TransportError, definitely_unsent
from ._ratelimit import RateLimiter
from ._retry import RetryPolicy

__all__ = [
    "SEQUENCES",
    "Core",
    "Exchange",
    "Hook",
    "Pause",
    "Reply",
    "Sequencer",
    "Step",
    "china_now",
    "mask",
    "may_fail_over",
]

R = TypeVar("R")

log = logging.getLogger("smswire.transports")

#: Query parameters that carry credentials on some wire (esms100, changlong,
#: smscn, emay simple); their values never reach a log line or a message.
SECRET_PARAMS = ("cppwd", "pwd", "password", "us_pwd", "sign", "oldpwd", "newpwd")
_SECRET_RE = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + "|".join(SECRET_PARAMS) + r")=[^&\s#'\"]*")


def mask(text: str) -> str:
    """``text`` (a target, a URL, a message) with every credential parameter's value hidden."""
    return _SECRET_RE.sub(r"\1=***", text)


def china_now() -> datetime:
    """The current time in China (the clock of every gateway here)."""
    return datetime.now(CHINA)


class Sequencer:
    """Per-account request sequence numbers: 1, 2, 3… for each key, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[Hashable, int] = {}

    def next(self, key: Hashable) -> int:
        """The next number for ``key`` (the first is 1)."""
        with self._lock:
            value = self._last.get(key, 0) + 1
            self._last[key] = value
            return value


#: Shared by every client in the process, so two clients of one account never
#: stamp two requests with the same number.
SEQUENCES = Sequencer()


@attrs.frozen
class Exchange:
    """Step: send ``request``; reply with the :class:`HttpResponse` or a :class:`TransportError`."""

    request: HttpRequest


@attrs.frozen
class Pause:
    """Step: wait ``seconds`` (sleep, or await without blocking the loop); reply ``None``."""

    seconds: float


@attrs.frozen
class Hook:
    """Step: call ``on_raw(op, request, response)`` (awaiting it if it is a coroutine)."""

    op: Operation[Any]
    request: HttpRequest
    response: HttpResponse


Step = Exchange | Pause | Hook
Reply = HttpResponse | TransportError | None

# The connection never opened: the gateway cannot have seen the request.
_NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


def _account_key(vendor: str, account: object) -> Hashable:
    try:
        hash(account)
    except TypeError:
        return (vendor, id(account))
    return (vendor, account)


def _base_url(value: str | httpx.URL) -> httpx.URL:
    url = httpx.URL(value)
    if url.query or url.fragment:
        raise ValueError("base_url cannot carry a query or a fragment")
    if url.scheme not in ("http", "https"):
        raise ValueError("base_url must be an http:// or https:// URL")
    return url


def _merge(results: list[Any]) -> Any:
    if all(isinstance(r, SendResult) for r in results):
        return SendResult.merge(results)
    if all(isinstance(r, Batch) for r in results):
        return Batch(
            tuple(item for r in results for item in r.items),
            tuple(raw for r in results for raw in r.malformed),
        )
    if all(r is None for r in results):
        return None
    kinds = sorted({type(r).__name__ for r in results})
    raise SmsWireError(f"cannot merge results of a split operation: {', '.join(kinds)}")


def may_fail_over(op: Operation[Any], error: SmsWireError) -> bool:
    """Whether failover may try the next gateway after ``error``.

    Reads may always move on; sends and writes only when this gateway
    certainly did not act (never after a timeout that may have delivered).
    """
    if op.effect in (Effect.READ, Effect.DESTRUCTIVE_READ):
        return True
    return definitely_unsent(error)


def send_op(mobiles: str | Iterable[str], content: str, **options: Any) -> SendSms:
    """The :class:`SendSms` behind ``client.send(...)``."""
    return SendSms(mobiles=mobiles, content=content, **options)


def personalized_op(
    messages: Iterable[PersonalizedMessage | tuple[str, str]], **options: Any
) -> SendPersonalized:
    """The :class:`SendPersonalized` behind ``client.send_personalized(...)``.

    Each message is a :class:`PersonalizedMessage` or a ``(mobile, content)`` pair.
    """
    items = [m if isinstance(m, PersonalizedMessage) else PersonalizedMessage(*m) for m in messages]
    return SendPersonalized(messages=items, **options)


def inbound_op(since: datetime | None = None) -> FetchInbound:
    """The :class:`FetchInbound` behind ``client.fetch_inbound(since=...)``."""
    return FetchInbound(since=since)


class Core:
    """Everything a client knows besides how to move bytes: see the module docstring."""

    def __init__(
        self,
        codec: Codec[Any] | str,
        account: Any,
        base_url: str | httpx.URL,
        *,
        timeout: float | None = 10.0,
        retry: RetryPolicy | None = None,
        rate_limit: bool | RateLimiter | None = True,
        on_raw: Callable[..., Any] | None = None,
        clock: Callable[[], float],
        now: Callable[[], datetime] = china_now,
        codec_options: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(codec, str):
            codec = get_codec(codec, **(codec_options or {}))
        elif codec_options:
            raise TypeError("codec options go with a vendor name, not with a codec instance")
        self.codec: Codec[Any] = codec
        self.account = account
        self.base_url = _base_url(base_url)
        self._prefix = self.base_url.raw_path.rstrip(b"/")
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy.never()  # None: no retries
        if rate_limit is True:
            self.limiter: RateLimiter | None = RateLimiter(clock)
        else:
            self.limiter = rate_limit or None
        self.on_raw = on_raw
        self.now = now
        self._key = _account_key(codec.vendor, account)

    @property
    def name(self) -> str:
        """The gateway as a label for logs and failover errors (no credentials)."""
        url = self.base_url
        port = f":{url.port}" if url.port is not None else ""
        # Built from parts so that user:password@ in a base URL never shows.
        return f"{self.codec.vendor} {url.scheme}://{url.host}{port}{url.path.rstrip('/')}"

    def stamp(self) -> Stamp:
        """The current China time and this account's next sequence number."""
        return Stamp(self.now(), SEQUENCES.next(self._key))

    # ---------------------------------------------------------------- the state machine

    def perform(self, op: Operation[R]) -> Generator[Step, Reply, R]:
        """Carry out ``op``: split it to the vendor's limits, send each part, merge."""
        parts = self.codec.plan(op)
        if len(parts) == 1:
            return (yield from self._attempt(parts[0]))
        # Refuse an unsendable part before the first part goes out.
        probe = Stamp(self.now(), 1)
        for part in parts:
            self.codec.encode_request(part, self.account, probe)
        log.debug("%s: %s split into %d requests", self.name, type(op).__name__, len(parts))
        results: list[Any] = []
        for index, part in enumerate(parts):
            try:
                results.append((yield from self._attempt(part)))
            except SmsWireError as error:
                if index == 0 or not all(isinstance(r, SendResult) for r in results):
                    raise
                unsent = parts[index + 1 :]
                if definitely_unsent(error):
                    unsent = (part, *unsent)
                raise PartialSendError(SendResult.merge(results), error, part, unsent) from error
        return cast(R, _merge(results))

    def _attempt(self, op: Operation[R]) -> Generator[Step, Reply, R]:
        attempt = 0
        while True:
            attempt += 1
            wait = self._reserve(op)
            if wait > 0:
                log.debug("%s: rate limit, waiting %.3fs", self.name, wait)
                yield Pause(wait)
            request = self.codec.encode_request(op, self.account, self.stamp())
            log.debug("%s: -> %s %s", self.name, request.method, mask(request.target))
            reply = yield Exchange(request)
            failure: SmsWireError | HttpResponse
            if isinstance(reply, TransportError):
                failure = reply
            elif reply is None:
                raise TypeError("an Exchange step needs a response or a TransportError")
            else:
                log.debug("%s: <- HTTP %d, %d bytes", self.name, reply.status, len(reply.body))
                if self.on_raw is not None:
                    yield Hook(op, request, reply)
                try:
                    if reply.status >= 500 and self.retry.retryable(op, reply, attempt):
                        failure = reply
                    else:
                        return self._decode(op, reply)
                except GatewayError as error:
                    failure = error
            if not self.retry.retryable(op, failure, attempt):
                if isinstance(failure, HttpResponse):
                    return self._decode(op, failure)
                raise failure
            delay = self.retry.delay(attempt)
            log.info(
                "%s: %s failed (%s), retry %d in %.3fs",
                self.name,
                type(op).__name__,
                mask(_describe(failure)),
                attempt,
                delay,
            )
            yield Pause(delay)

    def _reserve(self, op: Operation[Any]) -> float:
        if self.limiter is None:
            return 0.0
        limit = self.codec.spec.rate_limit(op.rate_key)
        return self.limiter.reserve((self._key, op.rate_key), limit)

    def _decode(self, op: Operation[R], response: HttpResponse) -> R:
        try:
            return self.codec.decode_response(op, response, self.account)
        except DecodeError as error:
            if op.effect is Effect.DESTRUCTIVE_READ:
                # The items were handed out once: keep the whole body, not a fragment.
                error.raw = response.body
            raise
        except SmsWireError:
            raise
        except Exception as error:
            # A codec must raise only smswire errors; if one slips, still keep the body.
            raise DecodeError(
                f"{self.codec.vendor} decoder failed: {type(error).__name__}", response.body
            ) from error

    # ---------------------------------------------------------------- httpx glue

    def to_httpx(self, request: HttpRequest) -> httpx.Request:
        """The httpx request for ``request``, its target's bytes kept exactly as encoded."""
        try:
            target = request.target.encode("ascii")
        except UnicodeEncodeError:
            raise EncodeError(
                f"{self.codec.vendor}: request target is not percent-encoded"
            ) from None
        url = self.base_url.copy_with(raw_path=self._prefix + target)
        extensions = (
            {} if self.timeout is None else {"timeout": httpx.Timeout(self.timeout).as_dict()}
        )
        return httpx.Request(
            request.method,
            url,
            headers=list(request.headers),
            content=request.body or None,
            extensions=extensions,
        )

    @staticmethod
    def from_httpx(response: httpx.Response) -> HttpResponse:
        """The codec's view of an httpx response whose body has been read."""
        return HttpResponse(response.status_code, response.headers.multi_items(), response.content)

    def network_error(self, request: HttpRequest, error: httpx.TransportError) -> TransportError:
        """The :class:`TransportError` for an httpx failure while exchanging ``request``."""
        never = isinstance(error, _NEVER_SENT)
        detail = mask(str(error))
        what = type(error).__name__ + (f": {detail}" if detail else "")
        message = (
            f"{self.codec.vendor} {request.method} {request.path}: {what} "
            f"({'not sent' if never else 'may have been sent'})"
        )
        log.warning("%s: %s", self.name, message)
        return TransportError(message, maybe_sent=not never)


def _describe(failure: SmsWireError | HttpResponse) -> str:
    if isinstance(failure, HttpResponse):
        return f"HTTP {failure.status}"
    return str(failure)
