"""The vendors' own operations, as the simulator performs them (registered by operation type).

Everything neutral — sending, balances, reports, replies, pushes, credentials,
failure codes — comes from the codecs' traits (:mod:`._profile`). What is left
here is behaviour no wire declares: what a password change, a send-record
query, a by-id report query or a template *does* to an account's state. Each
handler is registered under the operation type its codec decodes, so the
simulator dispatches by type and never by vendor name.

Emay: templates are approved at once (the document describes a review but no
timing); short links give one code per recipient, a click is recorded with
:meth:`Simulator.click_short_link`; ``retrieveReport`` queues the reports of
the messages in its window to be pushed again. Template variables: the
document gives ``sendTemplateVariableSMS`` key/value pairs but not how a
template marks a variable; the simulator replaces ``${name}``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from smswire.codecs import Batch, Codec, DeliveryReport, DeliveryStatus, SendResult

from ._profile import Handler, OpContext
from ._state import PendingReport

__all__ = ["SHORT_LINK_BASE", "handlers_for", "record_click"]

#: Where the simulator's short links point (never resolved: a click is recorded in Python).
SHORT_LINK_BASE = "http://t.sim.invalid/"
_TEMPLATES = "templates"
_LINKS = "links"
_CLICKS = "clicks"
_CLICK_TYPE = "click-type"


def _seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def _charge(ctx: OpContext, wanted: list[tuple[str, str, str | None]], ext: str | None) -> Any:
    from smswire.codecs import ErrorKind

    from ._app import error_code

    sent = ctx.state.send(wanted, ctx.now, ext)
    if sent is None:
        spec = ctx.profile.codec.spec
        raise spec.error(error_code(spec, ErrorKind.BALANCE))
    return ctx.profile.send_result(sent)


# --------------------------------------------------------------------------- esms100


def _esms100(m: Any) -> dict[type, Handler]:
    def change_password(ctx: OpContext, op: Any) -> None:
        ctx.state.replace_account(m.Account(ctx.account.cpid, password=op.new_password))

    return {m.ChangePassword: change_password}


# --------------------------------------------------------------------------- smscn


def _smscn(m: Any) -> dict[type, Handler]:
    per_page = m.SPEC.limit("send_records_per_page")

    def sent_count(ctx: OpContext, _op: Any) -> int:
        return sum(message.parts for message in ctx.state.sent())

    def send_records(ctx: OpContext, op: Any) -> Any:
        rows = [
            message
            for message in ctx.state.sent()
            if (op.date is None or message.sent_at.date() == op.date)
            and (op.mobile is None or message.mobile == op.mobile)
        ]
        if not rows:
            return m.SendRecords()
        page = op.page or 1
        chunk = rows[(page - 1) * per_page : page * per_page]
        traits = ctx.profile.traits
        records = tuple(
            m.SendRecord(_seconds(r.sent_at), r.mobile, r.content, traits.outcome(r.delivered)[0])
            for r in chunk
        )
        pages = -(-len(rows) // per_page)
        return m.SendRecords(len(rows), len(records), pages, records)

    return {m.QuerySentCount: sent_count, m.QuerySendRecords: send_records}


# --------------------------------------------------------------------------- eims


def _eims(m: Any) -> dict[type, Handler]:
    def query_reports(ctx: OpContext, op: Any) -> Any:
        # A plain read: the same ids answer the same again (§3).
        pending = next(c for c, s in m.REPORT_STATES.items() if s is DeliveryStatus.PENDING)
        rows: list[DeliveryReport] = []
        counts = {"success": 0, "fail": 0, "sending": 0, "nofound": 0}
        for message_id in op.ids:
            message = ctx.state.find(message_id)
            if message is None:
                counts["nofound"] += 1
                continue
            if ctx.now < message.sent_at + ctx.state.outcome.delay:
                counts["sending"] += 1
                rows.append(ctx.profile.report_of(message, pending))
                continue
            counts["success" if message.delivered else "fail"] += 1
            rows.append(ctx.profile.report_of(message))
        return m.ReportQuery(
            counts["success"],
            counts["fail"],
            0,
            counts["sending"],
            counts["nofound"],
            Batch(tuple(rows)),
        )

    def send_message(ctx: OpContext, op: Any) -> SendResult:
        # A sender, a title or MMS changes nothing the simulator models: a send like any other.
        sent = ctx.state.send([(n, op.content, None) for n in op.mobiles], ctx.now, None)
        if sent is None:
            raise m.SPEC.error("-10")  # "该通道余额不足，不能满足本次发送"
        return ctx.profile.send_result(sent)

    return {m.QueryReports: query_reports, m.SendMessage: send_message}


# --------------------------------------------------------------------------- emay


def _templates(ctx: OpContext) -> dict[str, str]:
    return ctx.state.extras.setdefault(_TEMPLATES, {})  # type: ignore[no-any-return]


def _emay_templates(m: Any) -> dict[type, Handler]:
    def template(ctx: OpContext, template_id: str) -> str:
        text = _templates(ctx).get(template_id)
        if text is None:
            raise m.Codec.spec.error("ERROR_PARAMS", detail=f"no template {template_id}")
        return text

    def create(ctx: OpContext, op: Any) -> Any:
        template_id = ctx.state.new_id()
        _templates(ctx)[template_id] = op.content
        return m.TemplateCreated(template_id)

    def delete(ctx: OpContext, op: Any) -> Any:
        removed = _templates(ctx).pop(op.template_id, None)
        return m.TemplateDeleted(op.template_id, removed is not None)

    def query(ctx: OpContext, op: Any) -> Any:
        known = op.template_id in _templates(ctx)
        status = m.TemplateStatus.APPROVED if known else m.TemplateStatus.NOT_FOUND
        return m.TemplateState(op.template_id, status.value)

    def send(ctx: OpContext, op: Any) -> Any:
        text = template(ctx, op.template_id)
        return _charge(ctx, [(r.mobile, text, r.client_id) for r in op.recipients], op.extension)

    def send_variables(ctx: OpContext, op: Any) -> Any:
        text = template(ctx, op.template_id)
        wanted = []
        for message in op.messages:
            filled = text
            for name, value in message.variables:
                filled = filled.replace("${" + name + "}", value)
            wanted.append((message.mobile, filled, message.client_id))
        return _charge(ctx, wanted, op.extension)

    return {
        m.CreateTemplate: create,
        m.DeleteTemplate: delete,
        m.QueryTemplate: query,
        m.SendTemplate: send,
        m.SendTemplateVariables: send_variables,
    }


def _emay(m: Any) -> dict[type, Handler]:
    fetch_limit = int(m.Codec.spec.limit("fetch_default_number"))

    def personality_all(ctx: OpContext, op: Any) -> Any:
        return _charge(ctx, [(x.mobile, x.content, x.client_id) for x in op.messages], None)

    def short_link(ctx: OpContext, op: Any) -> Any:
        links: dict[str, tuple[str, str]] = ctx.state.extras.setdefault(_LINKS, {})
        ctx.state.extras[_CLICK_TYPE] = m.ShortLinkClick
        wanted = []
        for recipient in op.recipients:
            code = ctx.state.new_id()
            links[code] = (recipient.mobile, op.url)
            text = op.content.replace(m.PLACEHOLDER, SHORT_LINK_BASE + code)
            wanted.append((recipient.mobile, text, recipient.client_id))
        return _charge(ctx, wanted, op.extension)

    def clicks(ctx: OpContext, op: Any) -> Any:
        # Handed out once (quirk short-link-read-once), as reports and replies are.
        recorded: list[Any] = ctx.state.extras.get(_CLICKS, [])
        taken = recorded[: op.number or fetch_limit]
        del recorded[: len(taken)]
        return Batch(tuple(taken))

    def reports_up_to(ctx: OpContext, op: Any) -> Any:
        taken = ctx.state.take_reports(ctx.now, op.number)
        return Batch(tuple(ctx.profile.report(item, ctx.now) for item in taken))

    def inbound_up_to(ctx: OpContext, op: Any) -> Any:
        return Batch(tuple(ctx.profile.reply(item) for item in ctx.state.take_replies(op.number)))

    def retrieve(ctx: OpContext, op: Any) -> None:
        wanted = set(op.sms_ids)
        again = [
            PendingReport(message, message.delivered, ctx.now)
            for message in ctx.state.sent()
            if op.start_time <= _seconds(message.sent_at) <= op.end_time
            and (not wanted or message.message_id in wanted)
        ]
        ctx.state.requeue_reports(again)

    return {
        **_emay_templates(m),
        m.SendPersonalityAll: personality_all,
        m.SendShortLink: short_link,
        m.FetchShortLinkClicks: clicks,
        m.FetchReportsUpTo: reports_up_to,
        m.FetchInboundUpTo: inbound_up_to,
        m.RetrieveReport: retrieve,
    }


#: Codec module → the handlers of its own operations.
_MODULES: dict[str, Callable[[Any], dict[type, Handler]]] = {
    "smswire.codecs.esms100": _esms100,
    "smswire.codecs.smscn": _smscn,
    "smswire.codecs.eims": _eims,
    "smswire.codecs.emay": _emay,
}


def handlers_for(codec: Codec[Any]) -> dict[type, Handler]:
    """The handlers of the operations ``codec`` decodes beyond the neutral ones."""
    ops = set(codec.operations())
    handlers: dict[type, Handler] = {}
    for module, build in _MODULES.items():
        home = type(codec).__module__
        if home != module and not home.startswith(module + "."):
            continue
        for op_type, handler in build(importlib.import_module(module)).items():
            if op_type in ops:
                handlers[op_type] = handler
    return handlers


def record_click(extras: dict[str, Any], code: str, now: datetime) -> Any:
    """Record a click on short link ``code``; the click as ``getShortLink`` will list it."""
    links: dict[str, tuple[str, str]] = extras.get(_LINKS, {})
    if code not in links:
        raise LookupError(f"no short link {code!r}")
    mobile, url = links[code]
    click = extras[_CLICK_TYPE](mobile, _seconds(now), long_link=url)
    extras.setdefault(_CLICKS, []).append(click)
    return click
