"""Failover across gateways: try the next one only when that cannot send twice.

Sends (and writes) go to the first gateway; the next is tried only when the
previous one certainly did not act (a refusal, an operation its codec would
not encode, or a connection that never opened), never after a timeout that
may have delivered. Reads move on after any smswire error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from smswire.codecs import (
    Operation,
    SmsWireError,
)

from ._async import AsyncClient
from ._core import may_fail_over
from ._errors import FailoverError
from ._sync import Client
from ._verbs import AsyncVerbs, SyncVerbs

__all__ = ["AsyncFailover", "Failover"]

R = TypeVar("R")


def _check(clients: Sequence[object]) -> None:
    if not clients:
        raise ValueError("failover needs at least one client")


class Failover(SyncVerbs):
    """Several :class:`Client` s in order of preference, used as one client.

    When no gateway performs the operation, :class:`FailoverError` lists each
    gateway tried with its error (and says whether the last may have sent).
    The clients stay the caller's to close (``with`` closes them all).
    """

    def __init__(self, clients: Iterable[Client]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    def call(self, op: Operation[R]) -> R:
        """Perform ``op`` on the first gateway that can."""
        failures: list[tuple[str, SmsWireError]] = []
        for client in self.clients:
            try:
                return client.call(op)
            except SmsWireError as error:
                failures.append((client.name, error))
                if not may_fail_over(op, error):
                    break
        raise FailoverError(failures) from failures[-1][1]

    def close(self) -> None:
        """Close every client."""
        for client in self.clients:
            client.close()

    def __enter__(self) -> Failover:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncFailover(AsyncVerbs):
    """The async twin of :class:`Failover`, over :class:`AsyncClient` s."""

    def __init__(self, clients: Iterable[AsyncClient]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    async def call(self, op: Operation[R]) -> R:
        """Perform ``op`` on the first gateway that can."""
        failures: list[tuple[str, SmsWireError]] = []
        for client in self.clients:
            try:
                return await client.call(op)
            except SmsWireError as error:
                failures.append((client.name, error))
                if not may_fail_over(op, error):
                    break
        raise FailoverError(failures) from failures[-1][1]

    async def aclose(self) -> None:
        """Close every client."""
        for client in self.clients:
            await client.aclose()

    async def __aenter__(self) -> AsyncFailover:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
