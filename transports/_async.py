"""The asyncio client: runs the shared core's steps on an ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
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
from ._verbs import AsyncVerbs

__all__ = ["AsyncClient"]

R = TypeVar("R")


class AsyncClient(AsyncVerbs):
    """The async twin of :class:`~smswire.transports.Client` (same arguments, verbs are coroutines).

    ``http`` is an ``httpx.AsyncClient`` the caller owns; ``sleep`` is awaited
    (``asyncio.sleep`` by default) so rate limits never block the loop;
    ``on_raw`` may be a plain function or a coroutine function.
    """

    def __init__(
        self,
        codec: Codec[Any] | str,
        account: Any,
        base_url: str,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float | None = 10.0,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        rate_limit: bool | RateLimiter | None = True,
        on_raw: Callable[[Operation[Any], HttpRequest, HttpResponse], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
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
        self._http = httpx.AsyncClient() if http is None else http
        self._sleep = sleep

    async def call(self, op: Operation[R]) -> R:
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
                reply = await self._exchange(step)
            elif isinstance(step, Pause):
                await self._sleep(step.seconds)
            elif isinstance(step, Hook) and self.core.on_raw is not None:
                outcome = self.core.on_raw(step.op, step.request, step.response)
                if inspect.isawaitable(outcome):
                    await outcome

    async def _exchange(self, step: Exchange) -> Reply:
        try:
            return self.core.from_httpx(await self._http.send(self.core.to_httpx(step.request)))
        except httpx.TransportError as error:
            return self.core.network_error(step.request, error)

    @property
    def name(self) -> str:
        """The gateway's label (vendor and base URL, no credentials)."""
        return self.core.name

    async def aclose(self) -> None:
        """Close the httpx client if this client built it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({self.core.name!r})"
