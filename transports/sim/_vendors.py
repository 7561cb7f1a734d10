"""What the simulator needs to know about each vendor beyond its codec.

The wire belongs to the codecs; this module only says, per vendor, which
demo account to create, which credential on the wire names an account, and
how the simulator's neutral records (:class:`SentMessage`, :class:`Reply`)
become the vendor-neutral models that the codec's server role renders (which
fields a vendor carries, which of its status codes mean delivered and failed).
Vendor-specific operations are handled here too, dispatched by type.

A profile is built only for vendors whose module is importable, so the
simulator serves whichever vendors ``smswire.codecs.VENDORS`` holds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
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
    DeliveryStatus,
    InboundMessage,
    Operation,
    Receipt,
    SendResult,
    get_codec,
)

from ._state import AccountState, PendingReport, Reply, SentMessage

__all__ = ["OpContext", "Profile", "available_profiles", "status_code"]


@attrs.frozen
class OpContext:
    """What a vendor-specific operation handler may use."""

    state: AccountState
    account: Any
    now: datetime


ReportFn = Callable[[PendingReport, datetime], DeliveryReport]
ReplyFn = Callable[[Reply], InboundMessage]
SendResultFn = Callable[[Sequence[SentMessage]], SendResult]
BalanceFn = Callable[[Decimal], Balance]
Handler = Callable[[OpContext, Any], Any]


def _plain_send_result(sent: Sequence[SentMessage]) -> SendResult:
    return SendResult(tuple(Receipt(m.mobile, m.message_id, m.client_id) for m in sent))


def _messages_balance(amount: Decimal) -> Balance:
    return Balance(amount)


@attrs.frozen
class Profile:
    """One vendor as the simulator serves it."""

    name: str
    prefix: str
    codec: Codec[Any]
    group: str
    demo_account: Any
    #: The account attribute the wire names the account by (cpid, uid, appId…).
    credential_field: str
    report: ReportFn
    reply: ReplyFn
    send_result: SendResultFn = _plain_send_result
    balance: BalanceFn = _messages_balance
    handlers: Mapping[type, Handler] = attrs.field(factory=dict)
    report_limit: int | None = None
    reply_limit: int | None = None
    #: What the vendor pushes when the account has a push URL ("reports", "replies").
    pushes: tuple[str, ...] = ("reports", "replies")
    #: Seconds between push attempts after a refused push (the first attempt is immediate).
    push_retries: tuple[float, ...] = ()
    #: Reports and replies as the vendor pushes them, where that differs from its pull answers.
    push_report: ReportFn | None = None
    push_reply: ReplyFn | None = None
    #: Vendors without a destructive report read: the operation that asks for reports by id.
    query_reports: Callable[[SendResult], Operation[Any]] | None = None

    def credential(self, account: Any) -> str:
        """The credential on the wire that names ``account``."""
        return str(getattr(account, self.credential_field))

    def pushed_report(self, pending: PendingReport, now: datetime) -> DeliveryReport:
        """A report as this vendor's push carries it."""
        return (self.push_report or self.report)(pending, now)

    def pushed_reply(self, reply: Reply) -> InboundMessage:
        """A reply as this vendor's push carries it."""
        return (self.push_reply or self.reply)(reply)


def status_code(table: Mapping[str, DeliveryStatus], wanted: DeliveryStatus) -> str:
    """The vendor's first report code meaning ``wanted`` (from the codec's own table)."""
    for code, status in table.items():
        if status is wanted:
            return code
    raise LookupError(f"no report code means {wanted}")


def _outcome(table: Mapping[str, DeliveryStatus], delivered: bool) -> tuple[str, DeliveryStatus]:
    status = DeliveryStatus.DELIVERED if delivered else DeliveryStatus.FAILED
    return status_code(table, status), status


# --------------------------------------------------------------------------- esms100


def _esms100() -> Profile:
    from smswire.codecs import esms100

    def report(pending: PendingReport, _now: datetime) -> DeliveryReport:
        # esms100 reports carry only the send time, the number and the status.
        code, status = _outcome(esms100.REPORT_STATUS, pending.delivered)
        return DeliveryReport(
            pending.message.mobile,
            status,
            code,
            sent_at=pending.message.sent_at.replace(microsecond=0),
        )

    def reply(item: Reply) -> InboundMessage:
        return InboundMessage(item.mobile, item.content, item.received_at.replace(microsecond=0))

    def send_result(sent: Sequence[SentMessage]) -> SendResult:
        # The answer is a bare "0": no ids travel back.
        return SendResult(tuple(Receipt(m.mobile) for m in sent))

    def change_password(ctx: OpContext, op: esms100.ChangePassword) -> None:
        ctx.state.replace_account(esms100.Account(ctx.account.cpid, password=op.new_password))

    return Profile(
        name="esms100",
        prefix="/esms100",
        codec=get_codec("esms100"),
        group="esms100",
        demo_account=esms100.Account(cpid="10000", password="demo-esms100"),
        credential_field="cpid",
        report=report,
        reply=reply,
        send_result=send_result,
        handlers={esms100.ChangePassword: change_password},
    )


def _seconds(value: datetime) -> datetime:
    # Every wire here carries whole seconds.
    return value.replace(microsecond=0)


# --------------------------------------------------------------------------- changlong


def _changlong() -> Profile:
    from smswire.codecs import changlong

    def report(pending: PendingReport, _now: datetime) -> DeliveryReport:
        # The report names the id the send answer gave this number (quirk: the
        # document calls it the batch number, but the send answer has one per number).
        code, status = _outcome(changlong.REPORT_STATUS, pending.delivered)
        return DeliveryReport(
            pending.message.mobile, status, code, message_id=pending.message.message_id
        )

    def reply(item: Reply) -> InboundMessage:
        return InboundMessage(item.mobile, item.content, message_id=item.reply_id)

    def send_result(sent: Sequence[SentMessage]) -> SendResult:
        return SendResult(tuple(Receipt(m.mobile, m.message_id) for m in sent))

    spec = changlong.SPEC
    return Profile(
        name="changlong",
        prefix="/changlong",
        codec=get_codec("changlong"),
        group="changlong",
        demo_account=changlong.Account(username="demo", password="demo-changlong"),
        credential_field="username",
        report=report,
        reply=reply,
        send_result=send_result,
        report_limit=spec.limit("max_reports_per_answer"),
        reply_limit=spec.limit("max_inbound_per_answer"),
    )


# --------------------------------------------------------------------------- smscn

#: sms.cn documents only 100 (delivered) as a report status; failures carry the
#: CMPP word its carriers use, which the codec reads as UNKNOWN.
SMSCN_FAILED_CODE = "UNDELIV"


def _smscn() -> Profile:
    from smswire.codecs import smscn

    def outcome(pending: PendingReport) -> tuple[str, DeliveryStatus]:
        if pending.delivered:
            return status_code(
                smscn.REPORT_STATUS, DeliveryStatus.DELIVERED
            ), DeliveryStatus.DELIVERED
        return SMSCN_FAILED_CODE, smscn.report_status(SMSCN_FAILED_CODE)

    def report(pending: PendingReport, now: datetime) -> DeliveryReport:
        code, status = outcome(pending)
        return DeliveryReport(
            pending.message.mobile,
            status,
            code,
            client_id=pending.message.client_id,
            reported_at=_seconds(pending.ready_at),
        )

    def push_report(pending: PendingReport, _now: datetime) -> DeliveryReport:
        code, status = outcome(pending)
        return DeliveryReport(
            pending.message.mobile, status, code, client_id=pending.message.client_id
        )

    def reply(item: Reply) -> InboundMessage:
        return InboundMessage(
            item.mobile, item.content, _seconds(item.received_at), destination=item.destination
        )

    def push_reply(item: Reply) -> InboundMessage:
        return InboundMessage(item.mobile, item.content, _seconds(item.received_at))

    def send_result(sent: Sequence[SentMessage]) -> SendResult:
        # One status answers the whole send: no ids travel back.
        return SendResult(tuple(Receipt(m.mobile, None, m.client_id) for m in sent))

    per_page = smscn.SPEC.limit("send_records_per_page")

    def sent_count(ctx: OpContext, _op: smscn.QuerySentCount) -> int:
        return sum(m.parts for m in ctx.state.sent())

    def send_records(ctx: OpContext, op: smscn.QuerySendRecords) -> smscn.SendRecords:
        rows = [
            m
            for m in ctx.state.sent()
            if (op.date is None or m.sent_at.date() == op.date)
            and (op.mobile is None or m.mobile == op.mobile)
        ]
        if not rows:
            return smscn.SendRecords()
        page = op.page or 1
        chunk = rows[(page - 1) * per_page : page * per_page]
        records = tuple(
            smscn.SendRecord(
                _seconds(m.sent_at),
                m.mobile,
                m.content,
                outcome(PendingReport(m, m.delivered, m.sent_at))[0],
            )
            for m in chunk
        )
        pages = -(-len(rows) // per_page)
        return smscn.SendRecords(len(rows), len(records), pages, records)

    return Profile(
        name="smscn",
        prefix="/smscn",
        codec=get_codec("smscn"),
        group="smscn",
        demo_account=smscn.Account(uid="demo", password="demo-smscn"),
        credential_field="uid",
        report=report,
        reply=reply,
        send_result=send_result,
        handlers={smscn.QuerySentCount: sent_count, smscn.QuerySendRecords: send_records},
        push_report=push_report,
        push_reply=push_reply,
    )


# --------------------------------------------------------------------------- eims

#: The gateway number EIMS replies are addressed to (the document's examples use 106 numbers).
EIMS_GATEWAY_NUMBER = "1069000012345"


def _eims() -> Profile:
    from smswire.codecs import BalanceUnit, eims

    spec = eims.SPEC
    failed_reason = next(code for code in eims.REASONS if code != "0")

    def report_code(delivered: bool) -> str:
        return (
            status_code(eims.REPORT_STATES, DeliveryStatus.DELIVERED)
            if delivered
            else failed_reason
        )

    def row(message: SentMessage, code: str) -> DeliveryReport:
        status = eims.REPORT_STATES.get(code, DeliveryStatus.FAILED)
        return DeliveryReport(
            message.mobile,
            status,
            code,
            message_id=message.message_id,
            sent_at=_seconds(message.sent_at),
            description=eims.REASONS.get(code, (None, None))[0],
        )

    def report(pending: PendingReport, _now: datetime) -> DeliveryReport:
        return row(pending.message, report_code(pending.delivered))

    def reply(item: Reply) -> InboundMessage:
        return InboundMessage(
            item.mobile,
            item.content,
            _seconds(item.received_at),
            message_id=item.reply_id,
            destination=item.destination or EIMS_GATEWAY_NUMBER,
        )

    def query_reports(ctx: OpContext, op: eims.QueryReports) -> eims.ReportQuery:
        # A plain read: the same ids answer the same again (§3).
        pending_code = status_code(eims.REPORT_STATES, DeliveryStatus.PENDING)
        rows: list[DeliveryReport] = []
        counts = {"success": 0, "fail": 0, "sending": 0, "nofound": 0}
        for message_id in op.ids:
            message = ctx.state.find(message_id)
            if message is None:
                counts["nofound"] += 1
                continue
            if ctx.now < message.sent_at + ctx.state.outcome.delay:
                counts["sending"] += 1
                rows.append(row(message, pending_code))
                continue
            counts["success" if message.delivered else "fail"] += 1
            rows.append(row(message, report_code(message.delivered)))
        return eims.ReportQuery(
            counts["success"],
            counts["fail"],
            0,
            counts["sending"],
            counts["nofound"],
            Batch(tuple(rows)),
        )

    def send_message(ctx: OpContext, op: eims.SendMessage) -> SendResult:
        # A sender, a title or MMS changes nothing the simulator models: a send like any other.
        sent = ctx.state.send([(m, op.content, None) for m in op.mobiles], ctx.now, None)
        if sent is None:
            raise spec.error("-10")  # "该通道余额不足，不能满足本次发送"
        return _plain_send_result(sent)

    def ids_of(result: SendResult) -> Operation[Any]:
        return eims.QueryReports(tuple(r.message_id for r in result.receipts if r.message_id))

    return Profile(
        name="eims",
        prefix="/eims",
        codec=get_codec("eims"),
        group="eims",
        demo_account=eims.Account(account="demo", password="demo-eims"),
        credential_field="account",
        report=report,
        reply=reply,
        balance=lambda amount: Balance(amount, BalanceUnit.MONEY),
        handlers={eims.QueryReports: query_reports, eims.SendMessage: send_message},
        reply_limit=spec.limit("max_inbound"),
        query_reports=ids_of,
        pushes=("reports",),
    )


def _emay(name: str) -> Callable[[], Profile]:
    def build() -> Profile:
        from ._emay import emay_profiles

        return emay_profiles()[name]

    return build


_BUILDERS: dict[str, Callable[[], Profile]] = {
    "esms100": _esms100,
    "changlong": _changlong,
    "smscn": _smscn,
    "eims": _eims,
    "emay": _emay("emay"),
    "emay-simple": _emay("emay-simple"),
}


def available_profiles() -> dict[str, Profile]:
    """A profile for every registered vendor the simulator knows how to serve."""
    profiles: dict[str, Profile] = {}
    for name in VENDORS:
        builder = _BUILDERS.get(name)
        if builder is None:
            continue
        profiles[name] = builder()
    return profiles


def missing_profiles() -> tuple[str, ...]:
    """Registered vendors the simulator has no profile for (reported, never hidden)."""
    return tuple(name for name in VENDORS if name not in _BUILDERS)


def vendor_module(name: str) -> Any:
    """The codec module of a registered vendor (``emay-simple`` lives in ``emay``)."""
    return importlib.import_module(f"smswire.codecs.{name.split('-', maxsplit=1)[0]}")


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
