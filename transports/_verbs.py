"""The everyday verbs, written once for every client that has a ``call``.

:class:`Client`, :class:`Failover` and their async twins differ only in how
they perform an operation; ``send``, ``balance`` and the rest are the same
operations built the same way (by :mod:`._core`), so they live here.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from smswire.codecs import (
    Balance,
    Batch,
    DeliveryReport,
    FetchReports,
    InboundMessage,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    SendResult,
)

from ._core import inbound_op, personalized_op, send_op

__all__ = ["AsyncVerbs", "SyncVerbs"]

R = TypeVar("R")


class SyncVerbs(abc.ABC):
    """``send``, ``send_personalized``, ``balance``, ``fetch_reports``, ``fetch_inbound``."""

    @abc.abstractmethod
    def call(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result (raises smswire errors)."""

    def send(self, mobiles: str | Iterable[str], content: str, **options: Any) -> SendResult:
        """Send ``content`` to ``mobiles`` (split to the vendor's limits, results merged)."""
        return self.call(send_op(mobiles, content, **options))

    def send_personalized(
        self, messages: Iterable[PersonalizedMessage | tuple[str, str]], **options: Any
    ) -> SendResult:
        """Send each number its own text."""
        return self.call(personalized_op(messages, **options))

    def balance(self) -> Balance:
        """The account's remaining credit."""
        return self.call(QueryBalance())

    def fetch_reports(self) -> Batch[DeliveryReport]:
        """Collect waiting delivery reports (handed out once: see ``on_raw``)."""
        return self.call(FetchReports())

    def fetch_inbound(self, since: datetime | None = None) -> Batch[InboundMessage]:
        """Collect waiting inbound messages (handed out once: see ``on_raw``)."""
        return self.call(inbound_op(since))


class AsyncVerbs(abc.ABC):
    """The coroutine versions of :class:`SyncVerbs`."""

    @abc.abstractmethod
    async def call(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result (raises smswire errors)."""

    async def send(self, mobiles: str | Iterable[str], content: str, **options: Any) -> SendResult:
        """Send ``content`` to ``mobiles`` (split to the vendor's limits, results merged)."""
        return await self.call(send_op(mobiles, content, **options))

    async def send_personalized(
        self, messages: Iterable[PersonalizedMessage | tuple[str, str]], **options: Any
    ) -> SendResult:
        """Send each number its own text."""
        return await self.call(personalized_op(messages, **options))

    async def balance(self) -> Balance:
        """The account's remaining credit."""
        return await self.call(QueryBalance())

    async def fetch_reports(self) -> Batch[DeliveryReport]:
        """Collect waiting delivery reports (handed out once: see ``on_raw``)."""
        return await self.call(FetchReports())

    async def fetch_inbound(self, since: datetime | None = None) -> Batch[InboundMessage]:
        """Collect waiting inbound messages (handed out once: see ``on_raw``)."""
        return await self.call(inbound_op(since))
