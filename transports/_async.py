"""The asyncio client: runs the shared core's steps on an ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from types import TracebackType
from typing import TypeVar

import httpx
from smswire.codecs import Operation

from ._accounts import RECOVERY_STEP, recovery_ops
from ._client import DEFAULT_TIMEOUT, ClientBase
from ._core import Exchange, Hook, Pause, Reply
from ._verbs import AsyncVerbs

__all__ = ["AsyncClient"]

A = TypeVar("A")
R = TypeVar("R")


AsyncSleep = Callable[[float], Awaitable[object]]


class AsyncClient(AsyncVerbs, ClientBase[A, httpx.AsyncClient, AsyncSleep]):
    """The async twin of :class:`~smswire.transports.Client`: same arguments, verbs are coroutines.

    ``http`` is an ``httpx.AsyncClient``; ``sleep`` is awaited
    (``asyncio.sleep`` by default) so rate limits never block the loop;
    ``on_raw`` may be a plain function or a coroutine function.
    """

    __doc__ = f"{__doc__}\n{ClientBase.__doc__}"

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)

    def _default_sleep(self) -> AsyncSleep:
        return asyncio.sleep

    async def call(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result (raises smswire errors)."""
        steps = self.core.perform(op)
        reply: Reply = None
        try:
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
        finally:
            # A cancelled or failed call must give back a rate-limit slot it holds.
            steps.close()

    async def _exchange(self, step: Exchange) -> Reply:
        request = self.core.to_httpx(step, self._http.timeout)
        try:
            return self.core.from_httpx(await self._http.send(request))
        except httpx.TransportError as error:
            return self.core.network_error(step, error)

    async def recover_reports(
        self,
        since: datetime,
        until: datetime,
        sms_ids: Iterable[str] = (),
        *,
        step: timedelta = RECOVERY_STEP,
    ) -> int:
        """The coroutine version of :meth:`Client.recover_reports`."""
        ops = recovery_ops(self.core.codec, since, until, sms_ids, step)
        for op in ops:
            await self.call(op)
        return len(ops)

    async def aclose(self) -> None:
        """Close the httpx client if this client built it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient[A]:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
