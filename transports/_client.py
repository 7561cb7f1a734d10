"""The constructor the sync and the async client share, documented once."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

import httpx
from smswire.codecs import Codec, HttpRequest, HttpResponse, Operation

from ._core import Core, china_now
from ._ratelimit import RateLimiter
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._wire import DESTRUCTIVE_READ_TIMEOUT, UNSET, TimeoutArg

__all__ = ["DEFAULT_MAX_WAIT", "DEFAULT_TIMEOUT", "ClientBase"]

A = TypeVar("A")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
S = TypeVar("S", bound=Callable[[float], object])

#: Seconds before a request times out, on an httpx client the smswire client builds.
DEFAULT_TIMEOUT = 10.0
#: The longest wait for the vendor's pace before :class:`RateLimited` is raised instead.
DEFAULT_MAX_WAIT = 5.0


class ClientBase(Generic[A, H, S]):
    """A gateway client: one vendor's codec, one account, one base URL.

    ``codec`` is a codec instance or a vendor name (``"esms100"``; then the
    remaining keyword arguments are the codec's options, ``charset="utf-8"``…).
    ``account`` must be the codec's own account type (``TypeError`` at once
    otherwise). ``base_url`` is the gateway's http(s) URL, optionally with a
    path prefix.

    * ``http``: an ``httpx`` client the caller owns (left open; its pool,
      proxies, TLS and timeouts apply). Without it the client builds one
      (timeout 10 s) and closes it on ``close``/``aclose`` or when the
      ``with`` ends.
    * ``timeout``: seconds (or an ``httpx.Timeout``) for every request,
      overriding the httpx client's; ``None`` disables timeouts. Not given,
      the httpx client's own timeout governs.
    * ``destructive_read_timeout``: the read timeout of destructive reads
      (reports, replies), when longer than the governing one (60 s;
      ``None``: no special case). A lost answer there is lost data; see
      :attr:`TransportError.maybe_consumed`.
    * ``retry``: the :class:`RetryPolicy` (``None``: never retry). Safe reads
      are retried; other operations only after a retryable "too fast" refusal.
    * ``rate_limit``: pace requests by the vendor spec's rate limits
      (``True``), not at all (``False``), or with a shared :class:`RateLimiter`.
    * ``max_wait``: the longest the client waits for that pace (5 s); a longer
      wait raises :class:`RateLimited` with ``retry_after`` instead
      (``None``: wait as long as needed).
    * ``on_raw(op, request, response)``: sees every raw exchange before it is
      decoded (journal destructive reads here); the async client awaits it
      when it is a coroutine function.
    * ``clock`` (monotonic seconds), ``sleep`` and ``now`` (China time): for
      tests. The async client awaits ``sleep`` (``asyncio.sleep`` by default).

    Wire details and every wait are logged on the ``smswire.transports``
    logger (requests at debug level, waits of a second or more at info),
    credentials masked.
    """

    def __init__(
        self,
        codec: Codec[A] | str,
        account: A,
        base_url: str | httpx.URL,
        *,
        http: H | None = None,
        timeout: TimeoutArg = UNSET,
        destructive_read_timeout: float | None = DESTRUCTIVE_READ_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        rate_limit: bool | RateLimiter | None = True,
        max_wait: float | None = DEFAULT_MAX_WAIT,
        on_raw: Callable[[Operation[Any], HttpRequest, HttpResponse], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: S | None = None,
        now: Callable[[], datetime] = china_now,
        **codec_options: Any,
    ) -> None:
        self.core = Core(
            codec,
            account,
            base_url,
            timeout=timeout,
            destructive_read_timeout=destructive_read_timeout,
            retry=retry,
            rate_limit=rate_limit,
            max_wait=max_wait,
            on_raw=on_raw,
            clock=clock,
            now=now,
            codec_options=codec_options,
        )
        self._owns_http = http is None
        self._http: H = self._new_http() if http is None else http
        self._sleep: S = self._default_sleep() if sleep is None else sleep

    def _new_http(self) -> H:
        raise NotImplementedError

    def _default_sleep(self) -> S:
        raise NotImplementedError

    @property
    def account(self) -> A:
        """The account this client signs its requests with."""
        account: A = self.core.account
        return account

    @property
    def name(self) -> str:
        """The gateway's label (vendor and base URL, no credentials)."""
        return self.core.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.core.name!r})"
