"""What the rest of the package needs to know about a vendor, declared beside its codec.

Each codec class carries one :class:`WireTraits` as its ``traits`` class
attribute: the account type and the field the wire names an account by, the
report codes of a delivered and a failed message, which fields of the neutral
records (:class:`DeliveryReport`, :class:`InboundMessage`, :class:`Receipt`)
its answers and pushes can carry, what it pushes, and the paths its server role
answers. The simulator, the CLI and the strategies read these instead of
keeping per-vendor copies; :meth:`WireTraits.fit_report` and friends are the
one place a neutral record is cut down to what a wire carries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from ._models import (
    BalanceUnit,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Operation,
    Receipt,
    SendResult,
)

__all__ = ["REPLIES", "REPORTS", "WireTraits", "first_code"]

#: The kinds of push a gateway may make.
REPORTS = "reports"
REPLIES = "replies"

_REPORT_FIELDS = frozenset(
    a.name for a in attrs.fields(DeliveryReport) if a.name not in ("mobile", "status", "code")
)
_INBOUND_FIELDS = frozenset(
    a.name for a in attrs.fields(InboundMessage) if a.name not in ("mobile", "content")
)


def _fit(record: Any, optional: frozenset[str], carried: frozenset[str]) -> Any:
    # Every wire here carries whole seconds; a field it has no place for is dropped.
    changes: dict[str, Any] = {}
    for name in optional:
        value = getattr(record, name)
        if value is None:
            continue
        if name not in carried:
            changes[name] = None
        elif isinstance(value, datetime) and value.microsecond:
            changes[name] = value.replace(microsecond=0)
    return attrs.evolve(record, **changes) if changes else record


@attrs.frozen(kw_only=True)
class WireTraits:
    """One vendor's wire, as the code outside its codec needs to know it."""

    #: The vendor's ``Account`` class.
    account_type: type[Any]
    #: The account attribute the wire names the account by (cpid, uid, appId…),
    #: which a server role's or a receiver's look-up receives.
    credential_field: str
    #: An account for simulators and examples (never a real credential).
    demo_account: Any
    #: The report code of a delivered message, and of a failed one.
    delivered_code: str
    failed_code: str
    #: What the codec reads a report code as (an undocumented code reads as UNKNOWN).
    read_status: Callable[[str], DeliveryStatus]
    #: The account attribute holding a key (Emay secretKey, EIMS key), if any.
    key_field: str | None = None
    #: Optional fields of a :class:`DeliveryReport` / :class:`InboundMessage` the
    #: vendor's answers carry, and its pushes (``None``: as its answers).
    report_fields: frozenset[str] = frozenset()
    inbound_fields: frozenset[str] = frozenset()
    push_report_fields: frozenset[str] | None = None
    push_inbound_fields: frozenset[str] | None = None
    #: Optional fields of a :class:`Receipt` a send answer carries.
    receipt_fields: frozenset[str] = frozenset({"message_id", "client_id"})
    #: A multi-number send is answered with one id for the submission, which the
    #: reports name (instead of one id per number).
    batch_ids: bool = False
    #: What the gateway pushes: :data:`REPORTS`, :data:`REPLIES`.
    pushes: frozenset[str] = frozenset()
    #: Seconds between push attempts after a refused push (the first is immediate).
    push_retries: tuple[float, ...] = ()
    #: The unit of the balance the gateway answers.
    balance_unit: BalanceUnit = BalanceUnit.MESSAGES
    #: The most reports / replies one answer carries (``None``: no documented limit).
    report_limit: int | None = None
    reply_limit: int | None = None
    #: Vendors without a destructive report read: the operation asking for a send's reports.
    query_reports: Callable[[SendResult], Operation[Any]] | None = None
    #: The paths (after any base URL) the server role answers.
    paths: frozenset[str] = frozenset()
    #: Other wire options worth exercising against the same account (``Codec(**options)``).
    variants: tuple[Mapping[str, Any], ...] = ()
    #: The document's description of a report code, for wires that carry one.
    describe: Callable[[str], str | None] | None = None
    #: The ``destination`` of a reply that names none, for wires that always carry one.
    default_destination: str | None = None
    #: The module declaring what the vendor's own operations do at a simulated
    #: gateway (its ``SIMULATION``: :mod:`._simulate`), imported by simulators only.
    simulations: str | None = None

    def credential(self, account: Any) -> str:
        """The credential on the wire that names ``account``."""
        return str(getattr(account, self.credential_field))

    def outcome(self, delivered: bool) -> tuple[str, DeliveryStatus]:
        """The report code and status of a delivered (or a failed) message."""
        if delivered:
            return self.delivered_code, DeliveryStatus.DELIVERED
        return self.failed_code, self.read_status(self.failed_code)

    def fit_report(self, report: DeliveryReport, *, pushed: bool = False) -> DeliveryReport:
        """``report`` as the vendor's answer (or push) carries it."""
        carried = self.report_fields
        if pushed and self.push_report_fields is not None:
            carried = self.push_report_fields
        if "description" in carried and self.describe is not None:
            report = attrs.evolve(report, description=self.describe(report.code))
        fitted: DeliveryReport = _fit(report, _REPORT_FIELDS, carried)
        return fitted

    def fit_inbound(self, message: InboundMessage, *, pushed: bool = False) -> InboundMessage:
        """``message`` as the vendor's answer (or push) carries it."""
        carried = self.inbound_fields
        if pushed and self.push_inbound_fields is not None:
            carried = self.push_inbound_fields
        if "destination" in carried and message.destination is None:
            message = attrs.evolve(message, destination=self.default_destination)
        fitted: InboundMessage = _fit(message, _INBOUND_FIELDS, carried)
        return fitted

    def fit_receipt(self, receipt: Receipt) -> Receipt:
        """``receipt`` as the vendor's send answer carries it."""
        fitted: Receipt = _fit(receipt, frozenset({"message_id", "client_id"}), self.receipt_fields)
        return fitted


def first_code(table: Mapping[str, DeliveryStatus], wanted: DeliveryStatus) -> str:
    """The first code of a vendor's report table meaning ``wanted``."""
    for code, status in table.items():
        if status is wanted:
            return code
    raise LookupError(f"no report code means {wanted}")
