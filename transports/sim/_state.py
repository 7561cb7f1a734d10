"""Per-account gateway state: balance, message ids, reports, replies, vendor extras.

Pure Python: no I/O, no clock and no global randomness. Every method that
depends on time takes ``now`` (an aware datetime) from the caller, and the
report outcome draws from a :class:`random.Random` seeded per account, so a
run is reproducible. One lock per account keeps concurrent requests (the ASGI
app serves many at once) from double-spending a balance or handing a
destructive read out twice.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "AccountState",
    "Outcome",
    "PendingReport",
    "Reply",
    "SentMessage",
    "message_parts",
]

#: A message of at most this many characters is one part.
SINGLE_PART_CHARS = 70
#: Each part of a longer (concatenated) message carries this many characters.
MULTI_PART_CHARS = 67
#: How much earlier than the vendor's pace a request may arrive (network jitter).
RATE_SLACK = timedelta(milliseconds=100)


def message_parts(
    content: str, single: int = SINGLE_PART_CHARS, multi: int = MULTI_PART_CHARS
) -> int:
    """How many billable parts ``content`` takes (70 characters, or 67 per part when longer)."""
    length = len(content)
    if length <= single:
        return 1
    return -(-length // multi)


@attrs.frozen
class Outcome:
    """How the simulated carrier answers: the share of failures, the delay, the seed.

    ``failure_ratio`` 0 delivers everything; reports become readable ``delay``
    after the send.
    """

    failure_ratio: float = attrs.field(
        default=0.0, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    delay: timedelta = timedelta(0)
    seed: int = 0


@attrs.frozen
class SentMessage:
    """One accepted message to one number, as the gateway recorded it."""

    message_id: str
    mobile: str
    content: str
    sent_at: datetime
    parts: int
    batch_id: str
    client_id: str | None = None
    extension: str | None = None
    #: The carrier's verdict, drawn at send time; its report is readable after the delay.
    delivered: bool = True


@attrs.frozen
class PendingReport:
    """The carrier's verdict on a :class:`SentMessage`, readable from ``ready_at``."""

    message: SentMessage
    delivered: bool
    ready_at: datetime


@attrs.frozen
class Reply:
    """A message a handset sent to the account, waiting to be read or pushed."""

    reply_id: str
    mobile: str
    content: str
    received_at: datetime
    destination: str | None = None


@attrs.define
class AccountState:
    """Everything the gateway knows about one account (all methods are thread-safe)."""

    balance: Decimal
    outcome: Outcome = Outcome()
    account: Any = None
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)
    _rng: random.Random = attrs.field(init=False, repr=False)
    _next_id: int = attrs.field(default=1, init=False)
    _reports: deque[PendingReport] = attrs.field(factory=deque, init=False, repr=False)
    _replies: deque[Reply] = attrs.field(factory=deque, init=False, repr=False)
    _sent: list[SentMessage] = attrs.field(factory=list, init=False, repr=False)
    _by_id: dict[str, SentMessage] = attrs.field(factory=dict, init=False, repr=False)
    _rate: dict[str, deque[datetime]] = attrs.field(factory=dict, init=False, repr=False)
    #: What only the vendor keeps (templates, short links…), as its codec's simulation files it.
    extras: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._rng = random.Random(self.outcome.seed)

    # ------------------------------------------------------------------ ids

    def new_id(self) -> str:
        """A fresh numeric id (message, batch, reply, template…), unique within the account."""
        with self._lock:
            return self._take_id()

    def _take_id(self) -> str:
        value = self._next_id
        self._next_id += 1
        return str(100000 + value)

    # ------------------------------------------------------------------ sending

    def send(
        self,
        messages: Iterable[tuple[str, str, str | None]],
        now: datetime,
        extension: str | None = None,
    ) -> list[SentMessage] | None:
        """Accept ``(mobile, content, client_id)`` messages, charging one unit per part.

        Returns ``None`` (and charges nothing) when the balance does not cover
        the whole request, as the gateways refuse a request they cannot pay for.
        """
        wanted = list(messages)
        with self._lock:
            parts = [message_parts(content) for _mobile, content, _cid in wanted]
            cost = Decimal(sum(parts))
            if cost > self.balance:
                return None
            self.balance -= cost
            batch_id = self._take_id()
            accepted: list[SentMessage] = []
            ready_at = now + self.outcome.delay
            for (mobile, content, client_id), count in zip(wanted, parts, strict=True):
                delivered = self._rng.random() >= self.outcome.failure_ratio
                message = SentMessage(
                    self._take_id(),
                    mobile,
                    content,
                    now,
                    count,
                    batch_id,
                    client_id,
                    extension,
                    delivered,
                )
                accepted.append(message)
                self._reports.append(PendingReport(message, delivered, ready_at))
            self._sent.extend(accepted)
            self._by_id.update((m.message_id, m) for m in accepted)
            return accepted

    def sent(self) -> tuple[SentMessage, ...]:
        """Every message accepted so far (the gateway's send records)."""
        with self._lock:
            return tuple(self._sent)

    # ------------------------------------------------------------------ destructive reads

    def take_reports(self, now: datetime, limit: int | None = None) -> list[PendingReport]:
        """Hand out the reports ready at ``now`` (at most ``limit``), each only once."""
        with self._lock:
            return _take_ready(self._reports, now, limit)

    def pending_reports(self) -> int:
        """How many reports are still waiting (ready or not)."""
        with self._lock:
            return len(self._reports)

    def requeue_reports(self, reports: Iterable[PendingReport]) -> None:
        """Put reports back at the front (a push that was never acknowledged)."""
        with self._lock:
            self._reports.extendleft(reversed(list(reports)))

    def add_reply(
        self, mobile: str, content: str, now: datetime, destination: str | None = None
    ) -> Reply:
        """Record a reply from ``mobile`` (what a handset would send)."""
        with self._lock:
            reply = Reply(self._take_id(), mobile, content, now, destination)
            self._replies.append(reply)
            return reply

    def take_replies(self, limit: int | None = None, since: datetime | None = None) -> list[Reply]:
        """Hand out waiting replies (at most ``limit``, received from ``since``), each once."""
        with self._lock:
            taken: list[Reply] = []
            kept: list[Reply] = []
            while self._replies and (limit is None or len(taken) < limit):
                reply = self._replies.popleft()
                if since is None or reply.received_at >= since:
                    taken.append(reply)
                else:
                    kept.append(reply)
            self._replies.extendleft(reversed(kept))
            return taken

    def find(self, message_id: str) -> SentMessage | None:
        """The accepted message with ``message_id``, if there is one."""
        with self._lock:
            return self._by_id.get(message_id)

    def requeue_replies(self, replies: Iterable[Reply]) -> None:
        """Put replies back at the front (a push that was never acknowledged)."""
        with self._lock:
            self._replies.extendleft(reversed(list(replies)))

    # ------------------------------------------------------------------ limits

    def admit(
        self,
        key: str,
        now: datetime,
        per_second: float | None,
        min_interval: float | None,
        slack: timedelta = RATE_SLACK,
    ) -> bool:
        """Whether a request of rate class ``key`` is within the vendor's pace at ``now``.

        ``slack`` forgives arrival jitter: a client that paces its sends exactly
        (the transports' limiter) must not be refused because one request
        travelled faster than the one before it.
        """
        with self._lock:
            seen = self._rate.setdefault(key, deque())
            if (
                min_interval is not None
                and seen
                and now - seen[-1] < timedelta(seconds=min_interval) - slack
            ):
                return False
            if per_second is not None:
                window = now - (timedelta(seconds=1) - slack)
                while seen and seen[0] <= window:
                    seen.popleft()
                if len(seen) >= per_second:
                    return False
            seen.append(now)
            if per_second is None:
                # Only the latest request matters for a minimum interval.
                while len(seen) > 1:
                    seen.popleft()
            return True

    # ------------------------------------------------------------------ account changes

    def replace_account(self, account: Any) -> None:
        """Swap the credentials (a password change)."""
        with self._lock:
            self.account = account


def _take_ready(
    queue: deque[PendingReport], now: datetime, limit: int | None
) -> list[PendingReport]:
    # Reports are queued in send order with one delay, so the ready ones lead the queue.
    taken: list[PendingReport] = []
    while queue and queue[0].ready_at <= now and (limit is None or len(taken) < limit):
        taken.append(queue.popleft())
    return taken
