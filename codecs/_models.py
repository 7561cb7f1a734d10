"""Vendor-neutral operations and results.

Sending, delivery reports, inbound messages and balance look the same across
the five gateways, so a caller can swap gateways by configuration. Operations
only one vendor has live in that vendor's module and subclass
:class:`Operation` the same way.

Operations are frozen and validated on construction (caller input); results
are frozen and built by decoders that have already checked the wire, so they
carry no validators on the hot decode path.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

import attrs

from ._chinatime import CHINA, to_china
from ._digits import CheckedDigits, checked_digits
from ._errors import EncodeError, SmsWireError

__all__ = [
    "Balance",
    "BalanceUnit",
    "Batch",
    "DeliveryReport",
    "DeliveryStatus",
    "Effect",
    "FetchInbound",
    "FetchReports",
    "InboundMessage",
    "Mergeable",
    "Operation",
    "PersonalizedMessage",
    "QueryBalance",
    "Receipt",
    "SendPersonalized",
    "SendResult",
    "SendSms",
    "Stamp",
    "merge_results",
]

R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")
R = TypeVar("R")


def _china(value: datetime) -> datetime:
    return to_china(value)


def _opt_china(value: datetime | None) -> datetime | None:
    return None if value is None else to_china(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        # A bare string is one number, not a sequence of digits.
        return (value,)
    return tuple(value)


def _mobile_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """The numbers as a tuple, marked :class:`CheckedDigits` when all are ASCII digits.

    The mark is what lets the validator below and the encoders' number checks
    skip a second look at up to 10,000 numbers.
    """
    if isinstance(value, str):
        return checked_digits((value,))
    return checked_digits(value if isinstance(value, (list, tuple)) else tuple(value))


def _opt_str_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else _str_tuple(value)


def _messages(value: Iterable[PersonalizedMessage]) -> tuple[PersonalizedMessage, ...]:
    return tuple(value)


# --------------------------------------------------------------------------- context


@attrs.frozen
class Stamp:
    """The time and request sequence number an encoder needs.

    Codecs never read the clock or keep counters: the transport (or the test)
    supplies both. ``now`` must be aware (a naive value is refused with
    :class:`EncodeError`); :meth:`current` is the short way to the caller's clock.
    """

    now: datetime = attrs.field(converter=_china)
    seq: int = attrs.field(default=1, validator=attrs.validators.ge(0))

    @classmethod
    def current(cls, seq: int = 1) -> Stamp:
        """A stamp of the caller's clock, in China time (codecs never call this).

        Not ``Stamp.now()``: on a slotted attrs class the field ``now`` owns that name.
        """
        return cls(datetime.now(CHINA), seq)


class Effect(enum.Enum):
    """What performing an operation does at the gateway; transports decide retries by it."""

    READ = "read"
    """An idempotent query: repeating it is harmless."""
    DESTRUCTIVE_READ = "destructive_read"
    """The gateway hands each item out once: a lost answer is lost data; never repeat blindly."""
    SEND = "send"
    """Sends messages: repeating may send twice."""
    WRITE = "write"
    """Changes gateway state (templates, passwords): repeating is not known to be harmless."""


class Operation(Generic[R_co]):
    """Base of every operation; ``R_co`` is the type ``decode_response`` returns for it.

    ``effect`` tells a transport whether a retry is safe; ``rate_key`` names the
    entry of the vendor spec's rate limits that governs it.
    """

    __slots__ = ()
    effect: ClassVar[Effect] = Effect.READ
    rate_key: ClassVar[str] = "default"


# --------------------------------------------------------------------------- results


class DeliveryStatus(enum.Enum):
    """The vendor-neutral outcome of one message; the vendor's own code stays beside it."""

    DELIVERED = "delivered"
    FAILED = "failed"
    PENDING = "pending"
    UNKNOWN = "unknown"


@attrs.frozen
class Receipt:
    """One number the gateway accepted, with the id it gave the message.

    ``mobile`` is ``None`` only when the gateway's answer cannot tie an id to a
    number (112088.net when some numbers failed).
    """

    mobile: str | None
    message_id: str | None = None
    client_id: str | None = None


@attrs.frozen
class SendResult:
    """What a send achieved: a receipt per accepted number and the count of refused ones."""

    receipts: tuple[Receipt, ...] = ()
    failed: int = 0
    batch_id: str | None = None

    @property
    def accepted(self) -> int:
        """How many numbers the gateway accepted."""
        return len(self.receipts)

    @classmethod
    def merge(cls, results: Iterable[SendResult]) -> SendResult:
        """One result for a send the planner split into several requests."""
        receipts: list[Receipt] = []
        failed = 0
        batch_ids: list[str] = []
        for result in results:
            receipts.extend(result.receipts)
            failed += result.failed
            if result.batch_id is not None:
                batch_ids.append(result.batch_id)
        return cls(tuple(receipts), failed, ",".join(batch_ids) if batch_ids else None)


@attrs.frozen
class DeliveryReport:
    """The fate of one message to one number.

    ``code`` is the vendor's own status value as it appeared on the wire
    (``"1"``, ``"DELIVRD"``, ``"20"``…); ``status`` is its neutral meaning.
    ``sent_at`` is when the message left, ``reported_at`` when the handset or
    carrier answered, where the vendor says. ``extension`` is the sub-port the
    message was sent from (what :attr:`SendSms.extension` asked for; the part
    :attr:`InboundMessage.destination` plays for replies), where the report
    carries it.
    """

    mobile: str
    status: DeliveryStatus
    code: str
    message_id: str | None = None
    client_id: str | None = None
    sent_at: datetime | None = None
    reported_at: datetime | None = None
    description: str | None = None
    extension: str | None = None


@attrs.frozen
class InboundMessage:
    """One message a handset sent to the account (a reply, "MO").

    ``destination`` is the number it was sent to (the gateway number or its
    extension), where the vendor says.
    """

    mobile: str
    content: str
    received_at: datetime | None = None
    message_id: str | None = None
    destination: str | None = None


class BalanceUnit(enum.Enum):
    """What a balance counts."""

    MESSAGES = "messages"
    MONEY = "money"


@attrs.frozen
class Balance:
    """Remaining credit, exact (never a float)."""

    amount: Decimal
    unit: BalanceUnit = BalanceUnit.MESSAGES
    gift: Decimal | None = None


@attrs.frozen
class Batch(Generic[T]):
    """Records from one batch answer or push.

    Iterating yields the records that parsed; ``malformed`` keeps the raw bytes
    of every fragment that did not, so a destructive read loses nothing.
    """

    items: tuple[T, ...] = ()
    malformed: tuple[bytes, ...] = ()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items or self.malformed)

    @classmethod
    def merge(cls, results: Iterable[Batch[T]]) -> Batch[T]:
        """One batch for a read the planner split: the records, then the raw fragments, in order."""
        parts = list(results)
        return cls(
            tuple(item for part in parts for item in part.items),
            tuple(raw for part in parts for raw in part.malformed),
        )


@runtime_checkable
class Mergeable(Protocol):
    """A result type whose operation a planner may split: it merges the parts' results."""

    @classmethod
    def merge(cls, results: Iterable[Any]) -> Any:
        """One result (of ``cls``) for the parts' results, in the order the parts were sent."""
        ...


def merge_results(results: Sequence[R]) -> R:
    """The result of a split operation from its parts' results, by the result type's ``merge``.

    Operations without a result (``None``, such as Emay's retrieveReport) merge to
    ``None``. Parts of different types, or a type without ``merge``, are a
    :class:`SmsWireError`: the planner split something it cannot put together.
    """
    kinds = {type(result) for result in results}
    first = results[0]
    if len(kinds) == 1:
        if first is None:
            return first
        if isinstance(first, Mergeable):
            merged: R = type(first).merge(results)
            return merged
    names = ", ".join(sorted(kind.__name__ for kind in kinds))
    raise SmsWireError(f"cannot merge results of a split operation: {names}")


# --------------------------------------------------------------------------- operations


def _check_mobiles(_inst: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        raise EncodeError(f"{attribute.name}: at least one number is needed")
    if type(value) is CheckedDigits:
        # All non-empty ASCII digits, checked in a few C-level passes by the converter.
        return
    # Numbers that are not all digits (or a caller's own converter): one by one, which
    # also names the offender.
    for mobile in value:
        if not isinstance(mobile, str) or not mobile or mobile != mobile.strip():
            raise EncodeError(f"{attribute.name}: {mobile!r} is not a phone number")


def check_text(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: a ``str`` (a message text may be empty; the codec decides)."""
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be str, not {type(value).__name__}")


def check_word(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: a non-empty ``str`` (an id, a template, a title)."""
    if not isinstance(value, str) or not value:
        raise EncodeError(f"{attribute.name}: a non-empty string is needed")


def one_of(*choices: str) -> Callable[[Any, attrs.Attribute[Any], str], None]:
    """attrs validator: one of ``choices`` (a codec's wire option such as its method)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if value not in choices:
            raise EncodeError(
                f"{attribute.name} must be one of {', '.join(choices)}, not {value!r}"
            )

    return check


def check_opt_word(_inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """attrs validator: ``None`` or a non-empty ``str``."""
    if value is not None:
        check_word(_inst, attribute, value)


@attrs.frozen
class SendSms(Operation[SendResult]):
    """Send one text to one or more numbers.

    ``send_at`` schedules the message (an aware datetime); ``extension``
    is the sub-port appended to the sender number; ``client_ids`` are the
    caller's own ids, one per number, echoed in delivery reports. A vendor that
    lacks a feature refuses the operation with ``EncodeError``.
    """

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    mobiles: tuple[str, ...] = attrs.field(converter=_mobile_tuple, validator=_check_mobiles)
    content: str = attrs.field(validator=check_text)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None
    client_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_opt_str_tuple)

    def __attrs_post_init__(self) -> None:
        if self.client_ids is not None and len(self.client_ids) != len(self.mobiles):
            raise EncodeError(
                f"client_ids: {len(self.client_ids)} ids for {len(self.mobiles)} numbers"
            )


@attrs.frozen
class PersonalizedMessage:
    """One number and its own text, within a :class:`SendPersonalized`."""

    mobile: str = attrs.field()
    content: str = attrs.field(validator=check_text)
    client_id: str | None = None

    @mobile.validator
    def _check_mobile(self, attribute: attrs.Attribute[str], value: str) -> None:
        # A personalised batch builds one of these per number: the usual number
        # (ASCII digits) passes in two C calls; anything else gets the full check.
        if type(value) is not str or not value.isdigit() or not value.isascii():
            _check_mobiles(self, attribute, (value,))


@attrs.frozen
class SendPersonalized(Operation[SendResult]):
    """Send a different text to each number in one request."""

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    messages: tuple[PersonalizedMessage, ...] = attrs.field(converter=_messages)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None

    @messages.validator
    def _check_messages(
        self, attribute: attrs.Attribute[Any], value: tuple[PersonalizedMessage, ...]
    ) -> None:
        if not value:
            raise EncodeError("messages: at least one message is needed")


@attrs.frozen
class QueryBalance(Operation[Balance]):
    """Ask for the remaining credit."""

    rate_key: ClassVar[str] = "balance"


@attrs.frozen
class FetchReports(Operation[Batch[DeliveryReport]]):
    """Collect the delivery reports waiting at the gateway (handed out once)."""

    effect: ClassVar[Effect] = Effect.DESTRUCTIVE_READ
    rate_key: ClassVar[str] = "reports"


@attrs.frozen
class FetchInbound(Operation[Batch[InboundMessage]]):
    """Collect the inbound messages waiting at the gateway (handed out once).

    ``since`` asks only for messages received from that time on, where the
    vendor supports it.
    """

    effect: ClassVar[Effect] = Effect.DESTRUCTIVE_READ
    rate_key: ClassVar[str] = "inbound"

    since: datetime | None = attrs.field(default=None, converter=_opt_china)
