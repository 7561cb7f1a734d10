"""The logic both HTTP clients share; the clients only move bytes and sleep.

:meth:`Core.perform` is a generator (gidgethub style): it yields the
:data:`Step` values a client must carry out — :class:`Exchange` (send this
request, reply with the :class:`HttpResponse` or the :class:`TransportError`),
:class:`Pause` (sleep this long) and :class:`Hook` (hand the raw exchange to
``on_raw``) — and returns the operation's result. Stamping, planning and
merging, rate limiting, the retry policy, error mapping and logging all live
here, once, for the sync and the async client alike. The httpx details
(timeouts, building requests) are in :mod:`._wire`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import attrs
import httpx
from smswire.codecs import (
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
    merge_results,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._masking import mask_text

from . import _accounts, _wire
from ._errors import PartialSendError, RateLimited, TransportError, definitely_unsent
from ._ratelimit import RateLimiter, Ticket
from ._retry import RetryPolicy
from ._wire import UNSET, TimeoutArg, Timeouts

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


def mask(text: str) -> str:
    """``text`` (a target, a URL, a message) with every credential parameter's value hidden.

    Which parameters carry a credential is each codec's ``secrets``
    (:func:`smswire.codecs._masking.secret_names`, the union over the registry).
    """
    return mask_text(text)


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
    """Step: send ``request``; reply with the :class:`HttpResponse` or a :class:`TransportError`.

    ``op`` is the operation the request performs (its effect sets the timeout),
    ``started`` the China time the attempt began.
    """

    request: HttpRequest
    op: Operation[Any] | None = None
    started: datetime | None = None


@attrs.frozen
class Pause:
    """Step: wait ``seconds`` (sleep, or await without blocking the loop); reply ``None``.

    ``reason`` says what for (already logged by the core).
    """

    seconds: float
    reason: str = attrs.field(default="", eq=False)


@attrs.frozen
class Hook:
    """Step: call ``on_raw(op, request, response)`` (awaiting it if it is a coroutine)."""

    op: Operation[Any]
    request: HttpRequest
    response: HttpResponse


Step = Exchange | Pause | Hook
Reply = HttpResponse | TransportError | None


def _account_key(vendor: str, account: object) -> Hashable:
    try:
        hash(account)
    except TypeError:
        return (vendor, id(account))
    return (vendor, account)


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
    """Everything a client knows besides how to move bytes: see the module docstring.

    The arguments are the clients' (documented on
    :class:`~smswire.transports.Client`); ``clock`` is monotonic seconds for
    the rate limiter, ``now`` the China time requests are stamped with.
    """

    def __init__(
        self,
        codec: Codec[Any] | str,
        account: Any,
        base_url: str | httpx.URL,
        *,
        timeout: TimeoutArg = UNSET,
        destructive_read_timeout: float | None = _wire.DESTRUCTIVE_READ_TIMEOUT,
        retry: RetryPolicy | None = None,
        rate_limit: bool | RateLimiter | None = True,
        max_wait: float | None = None,
        on_raw: Callable[..., Any] | None = None,
        clock: Callable[[], float],
        now: Callable[[], datetime] = china_now,
        codec_options: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(codec, str):
            codec = get_codec(codec, **(codec_options or {}))
        elif codec_options:
            raise TypeError("codec options go with a vendor name, not with a codec instance")
        _accounts.check_account(codec, account)
        if max_wait is not None and max_wait < 0:
            raise ValueError("max_wait cannot be negative (None waits as long as needed)")
        self.codec: Codec[Any] = codec
        self.account = account
        self.base_url = _wire.base_url(base_url)
        self._prefix = self.base_url.raw_path.rstrip(b"/")
        self.timeouts = Timeouts.of(timeout, destructive_read_timeout)
        self.retry = retry if retry is not None else RetryPolicy.never()  # None: no retries
        if rate_limit is True:
            self.limiter: RateLimiter | None = RateLimiter(clock)
        else:
            self.limiter = rate_limit or None
        self.max_wait = max_wait
        self.on_raw = on_raw
        self.now = now
        self._key = _account_key(codec.vendor, account)
        self._created = now()
        # Destructive read type -> start of its last completed fetch (see TransportError.window).
        self._fetched: dict[type, datetime] = {}

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
        merged: R = merge_results(results)
        return merged

    def _attempt(self, op: Operation[R]) -> Generator[Step, Reply, R]:
        attempt = 0
        failure: SmsWireError | HttpResponse | None = None
        while True:
            attempt += 1
            try:
                ticket = yield from self._acquire(op)
            except RateLimited as limited:
                if isinstance(failure, SmsWireError):
                    raise limited from failure
                raise
            started = self.now()
            try:
                request = self.codec.encode_request(op, self.account, self.stamp())
            except BaseException:
                self._release(ticket)
                raise
            log.debug("%s: -> %s %s", self.name, request.method, mask(request.target))
            reply = yield Exchange(request, op, started)
            if isinstance(reply, TransportError):
                if not reply.maybe_sent:
                    # The gateway never saw it: the slot is free for the next request.
                    self._release(ticket)
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
                        result = self._decode(op, reply)
                        if op.effect is Effect.DESTRUCTIVE_READ:
                            self._fetched[type(op)] = started
                        return result
                except GatewayError as error:
                    failure = error
            if not self.retry.retryable(op, failure, attempt):
                if isinstance(failure, HttpResponse):
                    return self._decode(op, failure)
                raise failure
            delay = self.retry.delay(attempt)
            reason = f"retry {attempt} of {type(op).__name__} after {mask(_describe(failure))}"
            log.info("%s: waiting %.3fs before %s", self.name, delay, reason)
            yield Pause(delay, reason)

    def _acquire(self, op: Operation[Any]) -> Generator[Step, Reply, Ticket | None]:
        """Wait (in :class:`Pause` steps) until ``op`` may start; its slot's ticket."""
        if self.limiter is None:
            return None
        limit = self.codec.spec.rate_limit(op.rate_key)
        ticket = self.limiter.reserve((self._key, op.rate_key), limit)
        admitted = False
        try:
            wait, waited = ticket.wait, 0.0
            while True:
                if wait > 0:
                    if self.max_wait is not None and waited + wait > self.max_wait:
                        raise RateLimited(
                            f"{self.name}: {op.rate_key} requests must wait {wait:.3f}s for the "
                            f"vendor's pace, more than max_wait={self.max_wait}s allows",
                            retry_after=wait,
                        )
                    reason = f"the pace of {op.rate_key} requests ({_pace(limit)})"
                    level = logging.INFO if wait >= 1.0 else logging.DEBUG
                    log.log(level, "%s: waiting %.3fs for %s", self.name, wait, reason)
                    yield Pause(wait, reason)
                    waited += wait
                wait = self.limiter.start(ticket)
                if wait <= 0:
                    admitted = True
                    return ticket
        finally:
            if not admitted:
                self.limiter.release(ticket)

    def _release(self, ticket: Ticket | None) -> None:
        if ticket is not None and self.limiter is not None:
            self.limiter.release(ticket)

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

    def to_httpx(self, step: Exchange, governing: httpx.Timeout) -> httpx.Request:
        """The httpx request for ``step``; ``governing`` is the httpx client's own timeout."""
        try:
            return _wire.to_httpx(
                step.request, self.base_url, self._prefix, self.timeouts.for_op(step.op, governing)
            )
        except EncodeError as error:
            raise EncodeError(f"{self.codec.vendor}: {error}") from None

    from_httpx = staticmethod(_wire.from_httpx)

    def network_error(self, step: Exchange, error: httpx.TransportError) -> TransportError:
        """The :class:`TransportError` for an httpx failure while exchanging ``step``."""
        request = step.request
        never = isinstance(error, _wire.NEVER_SENT)
        detail = mask(str(error))
        what = type(error).__name__ + (f": {detail}" if detail else "")
        message = (
            f"{self.codec.vendor} {request.method} {request.path}: {what} "
            f"({'not sent' if never else 'may have been sent'})"
        )
        consumed = not never and step.op is not None and step.op.effect is Effect.DESTRUCTIVE_READ
        window = None
        if consumed and step.op is not None:
            since = self._fetched.get(type(step.op), self._created)
            window = (since, self.now())
            message += (
                f"; the gateway may have handed out {type(step.op).__name__} items in the "
                f"lost answer (those that became available between "
                f"{since:%Y-%m-%d %H:%M:%S} and {window[1]:%Y-%m-%d %H:%M:%S})"
            )
        log.warning("%s: %s", self.name, message)
        return TransportError(message, maybe_sent=not never, maybe_consumed=consumed, window=window)


def _describe(failure: SmsWireError | HttpResponse) -> str:
    if isinstance(failure, HttpResponse):
        return f"HTTP {failure.status}"
    return str(failure)


def _pace(limit: Any) -> str:
    parts = []
    if limit.per_second:
        parts.append(f"{limit.per_second:g}/s")
    if limit.min_interval:
        parts.append(f"{limit.min_interval:g}s apart")
    return ", ".join(parts)
