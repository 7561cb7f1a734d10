"""The blocking client: runs the shared core's steps on an ``httpx.Client``."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx
from smswire.codecs import (
    Codec,
    HttpRequest,
    HttpResponse,
    Operation,
)

from ._core import (
    Core,
    Exchange,
    Hook,
    Pause,
    Reply,
    china_now,
)
from ._ratelimit import RateLimiter
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._verbs import SyncVerbs

__all__ = ["Client"]

R = TypeVar("R")


class Client(SyncVerbs):
    """A blocking gateway client; see :mod:`smswire.transports` for the arguments.

    ``http`` is an ``httpx.Client`` the caller owns (left open); without it the
    client builds one and closes it on :meth:`close` or when the ``with`` ends.
    """

    def __init__(
        self,
        codec: Codec[Any] | str,
        account: Any,
        base_url: str,
        *,
        http: httpx.Client | None = None,
        timeout: float | None = 10.0,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        rate_limit: bool | RateLimiter | None = True,
        on_raw: Callable[[Operation[Any], HttpRequest, HttpResponse], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        now: Callable[[], datetime] = china_now,
        **codec_options: Any,
    ) -> None:
        self.core = Core(
            codec,
            account,
            base_url,
            timeout=timeout,
            retry=retry,
            rate_limit=rate_limit,
            on_raw=on_raw,
            clock=clock,
            now=now,
            codec_options=codec_options,
        )
        self._owns_http = http is None
        self._http = httpx.Client() if http is None else http
        self._sleep = sleep

    def call(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result (raises smswire errors)."""
        steps = self.core.perform(op)
        reply: Reply = None
        while True:
            try:
                step = steps.send(reply)
            except StopIteration as done:
                result: R = done.value
                return result
            reply = None
            if isinstance(step, Exchange):
                reply = self._exchange(step)
            elif isinstance(step, Pause):
                self._sleep(step.seconds)
            elif isinstance(step, Hook) and self.core.on_raw is not None:
                self.core.on_raw(step.op, step.request, step.response)

    def _exchange(self, step: Exchange) -> Reply:
        try:
            return self.core.from_httpx(self._http.send(self.core.to_httpx(step.request)))
        except httpx.TransportError as error:
            return self.core.network_error(step.request, error)

    @property
    def name(self) -> str:
        """The gateway's label (vendor and base URL, no credentials)."""
        return self.core.name

    def close(self) -> None:
        """Close the httpx client if this client built it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self.core.name!r})"
