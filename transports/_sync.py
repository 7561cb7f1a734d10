"""The blocking client: runs the shared core's steps on an ``httpx.Client``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from types import TracebackType
from typing import TypeVar

import httpx
from smswire.codecs import Operation

from ._accounts import RECOVERY_STEP, recovery_ops
from ._client import DEFAULT_TIMEOUT, ClientBase
from ._core import Exchange, Hook, Pause, Reply
from ._verbs import SyncVerbs

__all__ = ["Client"]

A = TypeVar("A")
R = TypeVar("R")


class Client(SyncVerbs, ClientBase[A, httpx.Client, Callable[[float], object]]):
    """A blocking gateway client over an ``httpx.Client``.

    The arguments are :class:`~smswire.transports._client.ClientBase`'s::

        Client(codec, account, base_url, *, http=None, timeout=<the httpx client's>,
               destructive_read_timeout=60.0, retry=DEFAULT_RETRY, rate_limit=True,
               max_wait=5.0, on_raw=None, clock=time.monotonic, sleep=time.sleep,
               now=china_now, **codec_options)
    """

    __doc__ = f"{__doc__}\n{ClientBase.__doc__}"

    def _new_http(self) -> httpx.Client:
        return httpx.Client(timeout=DEFAULT_TIMEOUT)

    def _default_sleep(self) -> Callable[[float], object]:
        return time.sleep

    def call(self, op: Operation[R]) -> R:
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
                    reply = self._exchange(step)
                elif isinstance(step, Pause):
                    self._sleep(step.seconds)
                elif isinstance(step, Hook) and self.core.on_raw is not None:
                    self.core.on_raw(step.op, step.request, step.response)
        finally:
            # A cancelled or failed call must give back a rate-limit slot it holds.
            steps.close()

    def _exchange(self, step: Exchange) -> Reply:
        request = self.core.to_httpx(step, self._http.timeout)
        try:
            return self.core.from_httpx(self._http.send(request))
        except httpx.TransportError as error:
            return self.core.network_error(step, error)

    def recover_reports(
        self,
        since: datetime,
        until: datetime,
        sms_ids: Iterable[str] = (),
        *,
        step: timedelta = RECOVERY_STEP,
    ) -> int:
        """Ask the gateway to push again the reports of messages submitted in ``[since, until]``.

        For a vendor with such an operation (``EncodeError`` otherwise), e.g.
        after a fetch of reports was lost (``TransportError.window``). The span
        is asked for in windows of ``step``; the reports arrive as pushes.
        Returns the number of requests made.
        """
        ops = recovery_ops(self.core.codec, since, until, sms_ids, step)
        for op in ops:
            self.call(op)
        return len(ops)

    def close(self) -> None:
        """Close the httpx client if this client built it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client[A]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
