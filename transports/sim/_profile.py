"""Each registered vendor as the simulator serves it, from what its codec declares.

The wire belongs to the codecs, and so does what the rest of the package needs
to know about it (:class:`~smswire.codecs._traits.WireTraits`: the credential
that names an account, the report codes of a delivered and a failed message,
which fields of each neutral record the wire carries, what the gateway
pushes). A :class:`Profile` turns the simulator's records
(:class:`SentMessage`, :class:`Reply`) into neutral models through those
traits, so that no module here knows a vendor. The vendor's own operations
(beyond sending, balances, reports and replies) are what its codec declares
(:class:`~smswire.codecs._simulate.Simulation`), performed on a
:class:`Gateway`: one account's state as those pure handlers see it.

A profile is built for every vendor ``smswire.codecs.VENDORS`` holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
from smswire.codecs import (
    VENDORS,
    Balance,
    Batch,
    Codec,
    DeliveryReport,
    ErrorKind,
    InboundMessage,
    Operation,
    Receipt,
    SendResult,
    Spec,
    get_codec,
)
from smswire.codecs._simulate import SentRecord, Simulation, Wanted, simulation_of
from smswire.codecs._traits import WireTraits

from ._state import AccountState, PendingReport, Reply, SentMessage

__all__ = [
    "Gateway",
    "Profile",
    "available_profiles",
    "error_code",
    "missing_profiles",
    "operation_name",
]


def error_code(spec: Spec, kind: ErrorKind) -> str:
    """The vendor's status code for ``kind`` (a retryable one first, as for "too fast")."""
    rows = [row for row in spec.statuses.values() if row.kind is kind]
    if not rows:
        raise LookupError(f"{spec.vendor} lists no status of kind {kind.value}")
    rows.sort(key=lambda row: not row.retryable)
    return rows[0].code


@attrs.frozen
class Profile:
    """One registered vendor as the simulator serves it."""

    name: str
    codec: Codec[Any]
    #: What the vendor's own operations do (the part of it this codec carries).
    simulation: Simulation = attrs.field(factory=Simulation)
    #: What the vendor's codec declares about its wire (a test may evolve it).
    traits: WireTraits = attrs.field(
        default=attrs.Factory(lambda self: self.codec.traits, takes_self=True)
    )

    @property
    def prefix(self) -> str:
        """The path the vendor's requests arrive under (interfaces of one vendor share it)."""
        return "/" + self.codec.vendor

    @property
    def group(self) -> str:
        """The accounts this profile shares with the vendor's other interfaces."""
        return self.codec.vendor

    @property
    def demo_account(self) -> Any:
        """The account the simulator opens for this vendor at start."""
        return self.traits.demo_account

    @property
    def credential_field(self) -> str:
        """The account attribute the wire names the account by."""
        return self.traits.credential_field

    @property
    def pushes(self) -> frozenset[str]:
        """What the vendor pushes when the account has a push URL."""
        return self.traits.pushes

    @property
    def push_retries(self) -> tuple[float, ...]:
        """Seconds between push attempts after a refused push."""
        return self.traits.push_retries

    @property
    def report_limit(self) -> int | None:
        """The most reports one answer carries."""
        return self.traits.report_limit

    @property
    def reply_limit(self) -> int | None:
        """The most replies one answer carries."""
        return self.traits.reply_limit

    @property
    def query_reports(self) -> Callable[[SendResult], Operation[Any]] | None:
        """Vendors without a destructive report read: the operation asking for a send's reports."""
        return self.traits.query_reports

    def credential(self, account: Any) -> str:
        """The credential on the wire that names ``account``."""
        return self.traits.credential(account)

    def report_of(self, message: SentMessage, code: str | None = None) -> DeliveryReport:
        """``message``'s report as the vendor's answers carry it (``code``: another state)."""
        return self._report(message, message.delivered, message.sent_at, code)

    def report(self, pending: PendingReport, _now: datetime) -> DeliveryReport:
        """A ready report as the vendor's answers carry it."""
        return self._report(pending.message, pending.delivered, pending.ready_at)

    def pushed_report(self, pending: PendingReport, _now: datetime) -> DeliveryReport:
        """A ready report as the vendor's push carries it."""
        report = self._full_report(pending.message, pending.delivered, pending.ready_at)
        return self.traits.fit_report(report, pushed=True)

    def reply(self, item: Reply) -> InboundMessage:
        """A reply as the vendor's answers carry it."""
        return self.traits.fit_inbound(_inbound(item))

    def pushed_reply(self, item: Reply) -> InboundMessage:
        """A reply as the vendor's push carries it."""
        return self.traits.fit_inbound(_inbound(item), pushed=True)

    def send_result(self, sent: Sequence[SentMessage]) -> SendResult:
        """The answer to a send the gateway accepted."""
        if self.traits.batch_ids and sent:
            # One id for the submission; for one number it reads back as that number's own.
            batch = sent[0].batch_id
            receipts = tuple(self.traits.fit_receipt(Receipt(m.mobile, batch)) for m in sent)
            return SendResult(receipts, 0, batch if len(sent) > 1 else None)
        return SendResult(
            tuple(
                self.traits.fit_receipt(Receipt(m.mobile, m.message_id, m.client_id)) for m in sent
            )
        )

    def balance(self, amount: Decimal) -> Balance:
        """The balance answer for ``amount`` left."""
        return Balance(amount, self.traits.balance_unit)

    def send(
        self, state: AccountState, wanted: Iterable[Wanted], now: datetime, extension: str | None
    ) -> SendResult:
        """Accept ``wanted`` on ``state``, or refuse with the vendor's "no balance" code."""
        sent = state.send(wanted, now, extension)
        if sent is None:
            spec = self.codec.spec
            raise spec.error(error_code(spec, ErrorKind.BALANCE))
        return self.send_result(sent)

    def _report(
        self, message: SentMessage, delivered: bool, reported_at: datetime, code: str | None = None
    ) -> DeliveryReport:
        report = self._full_report(message, delivered, reported_at, code)
        return self.traits.fit_report(report)

    def _full_report(
        self, message: SentMessage, delivered: bool, reported_at: datetime, code: str | None = None
    ) -> DeliveryReport:
        wire_code, status = self.traits.outcome(delivered)
        if code is not None:
            wire_code, status = code, self.traits.read_status(code)
        return DeliveryReport(
            message.mobile,
            status,
            wire_code,
            message_id=message.batch_id if self.traits.batch_ids else message.message_id,
            client_id=message.client_id,
            sent_at=message.sent_at,
            reported_at=reported_at,
            extension=message.extension,
        )


@attrs.frozen
class Gateway:
    """One account's state as the vendor's own operation handlers see it (``GatewayState``)."""

    state: AccountState
    profile: Profile
    now: datetime

    @property
    def account(self) -> Any:
        """The account's current credentials."""
        return self.state.account

    @property
    def balance(self) -> Decimal:
        """What the account has left."""
        return self.state.balance

    @property
    def store(self) -> MutableMapping[str, Any]:
        """The account's store of what only the vendor keeps."""
        return self.state.extras

    def new_id(self) -> str:
        """A fresh id, unique within the account."""
        return self.state.new_id()

    def replace_account(self, account: Any) -> None:
        """Swap the account's credentials."""
        self.state.replace_account(account)

    def send(self, wanted: Iterable[Wanted], extension: str | None = None) -> SendResult:
        """Accept ``wanted``, charging per part, or refuse with the vendor's code."""
        return self.profile.send(self.state, wanted, self.now, extension)

    def sent(self) -> Sequence[SentRecord]:
        """The account's sent log."""
        return self.state.sent()

    def find(self, message_id: str) -> SentRecord | None:
        """The accepted message with ``message_id``."""
        return self.state.find(message_id)

    def reported(self, message: SentRecord) -> bool:
        """Whether ``message``'s report is readable by now."""
        return self.now >= message.sent_at + self.state.outcome.delay

    def report(self, message: SentRecord, code: str | None = None) -> DeliveryReport:
        """``message``'s report as the vendor's answers carry it."""
        return self.profile.report_of(self._own(message), code)

    def take_reports(self, limit: int | None) -> Batch[DeliveryReport]:
        """The ready reports, each handed out once."""
        taken = self.state.take_reports(self.now, limit)
        return Batch(tuple(self.profile.report(item, self.now) for item in taken))

    def take_replies(self, limit: int | None) -> Batch[InboundMessage]:
        """The waiting replies, each handed out once."""
        return Batch(tuple(self.profile.reply(item) for item in self.state.take_replies(limit)))

    def report_again(self, messages: Iterable[SentRecord]) -> None:
        """Queue the reports of ``messages`` once more, readable from now."""
        again = [PendingReport(m, m.delivered, self.now) for m in map(self._own, messages)]
        self.state.requeue_reports(again)

    def _own(self, message: SentRecord) -> SentMessage:
        # Only this state's records come back here; anything else is a handler's bug.
        if not isinstance(message, SentMessage):
            raise TypeError(f"not a message of this gateway: {message!r}")
        return message


def _inbound(item: Reply) -> InboundMessage:
    return InboundMessage(
        item.mobile,
        item.content,
        item.received_at,
        message_id=item.reply_id,
        destination=item.destination,
    )


def available_profiles() -> dict[str, Profile]:
    """A profile for every registered vendor."""
    profiles: dict[str, Profile] = {}
    for name in VENDORS.available():
        codec = get_codec(name)
        simulation = simulation_of(codec.traits.simulations)
        profiles[name] = Profile(name, codec, simulation.for_operations(codec.operations()))
    return profiles


def missing_profiles() -> tuple[str, ...]:
    """Registered vendors the simulator cannot serve (reported, never hidden).

    A plug-in that fails to load is one: its name, with the reason naming its
    distribution, is in ``VENDORS.unavailable()``.
    """
    return tuple(VENDORS.unavailable())


def operation_name(op_type: type[Operation[Any]]) -> str:
    """The command-line name of an operation type (``ChangePassword`` → ``change-password``)."""
    neutral = {
        "SendSms": "send",
        "SendPersonalized": "send-personalized",
        "QueryBalance": "balance",
        "FetchReports": "reports",
        "FetchInbound": "inbound",
    }
    name = op_type.__name__
    if name in neutral:
        return neutral[name]
    out: list[str] = []
    for index, char in enumerate(name):
        if char.isupper() and index:
            out.append("-")
        out.append(char.lower())
    return "".join(out)
