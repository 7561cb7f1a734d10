"""Failover across gateways: try the next one only when that cannot send twice.

Sends (and writes) go to the first gateway; the next is tried only with what
the previous one certainly did not send (a refusal, an operation its codec
would not encode, a connection that never opened), never after a timeout
that may have delivered. A split send that fails part way moves on only its
parts that definitely did not go out; the parts that went out stay where they
went. Reads move on after any smswire error.

The bookkeeping is one generator (:func:`_route`) that both the sync and the
async failover drive, as the clients drive the core.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Sequence
from typing import Any, TypeVar, cast

from smswire.codecs import Operation, SendResult, SmsWireError

from ._async import AsyncClient
from ._core import may_fail_over
from ._errors import FailoverError, PartialSendError
from ._sync import Client
from ._verbs import AsyncVerbs, SyncVerbs

__all__ = ["AsyncFailover", "Failover"]

R = TypeVar("R")

log = logging.getLogger("smswire.transports")

#: What the driver is asked to do: perform this operation on the client at this index.
_Call = tuple[int, Operation[Any]]
#: The driver's answer: the result, or the smswire error it raised.
_Outcome = Any


def _check(clients: Sequence[object]) -> None:
    if not clients:
        raise ValueError("failover needs at least one client")


def _route(op: Operation[R], names: Sequence[str]) -> Generator[_Call, _Outcome, R]:
    """Send ``op`` to the gateways in order, each part exactly once at most."""
    failures: list[tuple[str, SmsWireError]] = []
    sent: list[tuple[str, SendResult]] = []
    uncertain: list[tuple[str, Operation[Any]]] = []
    todo: list[Operation[Any]] = [op]
    for index, name in enumerate(names):
        carried: list[Operation[Any]] = []
        while todo:
            part = todo.pop(0)
            outcome = yield (index, part)
            if not isinstance(outcome, SmsWireError):
                if len(names) == 1 or (not sent and not carried and not todo and part is op):
                    return cast(R, outcome)
                sent.append((name, outcome))
                continue
            failures.append((name, outcome))
            if isinstance(outcome, PartialSendError):
                sent.append((name, outcome.completed))
                if outcome.maybe_sent:
                    uncertain.append((name, outcome.failed))
                carried.extend(outcome.unsent)
            elif may_fail_over(part, outcome):
                carried.append(part)
            else:
                uncertain.append((name, part))
            # This gateway failed: what it has not tried yet moves on with the rest.
            carried.extend(todo)
            todo = []
        todo = carried
        if not todo:
            break
    if not failures or (not todo and not uncertain):
        log.info(
            "failover: %s sent in parts: %s",
            type(op).__name__,
            ", ".join(f"{result.accepted} via {name}" for name, result in sent),
        )
        return cast(R, SendResult.merge([result for _, result in sent]))
    error = FailoverError(failures, sent=sent, uncertain=uncertain, unsent=todo)
    raise error from failures[-1][1]


class Failover(SyncVerbs):
    """Several :class:`Client` s in order of preference, used as one client.

    A send the first gateway only partly performed (:class:`PartialSendError`)
    continues with its unsent parts on the next gateway; the result then
    merges the receipts of every gateway. When no gateway performs the
    operation (or some part of it), :class:`FailoverError` lists each gateway
    tried with its error and, for a send, exactly what went where (``sent``,
    ``uncertain``, ``unsent``). The clients stay the caller's to close
    (``with`` closes them all).
    """

    def __init__(self, clients: Iterable[Client[Any]]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    def call(self, op: Operation[R]) -> R:
        """Perform ``op`` on the first gateway that can (its unsent parts on the next)."""
        router = _route(op, [client.name for client in self.clients])
        outcome: _Outcome = None
        while True:
            try:
                index, part = router.send(outcome)
            except StopIteration as done:
                result: R = done.value
                return result
            try:
                outcome = self.clients[index].call(part)
            except SmsWireError as error:
                outcome = error

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

    def __init__(self, clients: Iterable[AsyncClient[Any]]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    async def call(self, op: Operation[R]) -> R:
        """Perform ``op`` on the first gateway that can (its unsent parts on the next)."""
        router = _route(op, [client.name for client in self.clients])
        outcome: _Outcome = None
        while True:
            try:
                index, part = router.send(outcome)
            except StopIteration as done:
                result: R = done.value
                return result
            try:
                outcome = await self.clients[index].call(part)
            except SmsWireError as error:
                outcome = error

    async def aclose(self) -> None:
        """Close every client."""
        for client in self.clients:
            await client.aclose()

    async def __aenter__(self) -> AsyncFailover:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
