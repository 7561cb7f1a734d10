"""The Emay profiles: the secure interface (``emay``) and the plain one (``emay-simple``).

Both serve the same account (one appId, one secret key) under the ``/emay``
prefix, so they share one state group. Beyond the neutral operations the
simulator keeps Emay's templates (approved at once: the document describes a
review but no timing), short links (one code per recipient; a click is
recorded with :meth:`Simulator.click_short_link`), and ``retrieveReport``,
which queues the reports of the messages in its window to be pushed again.

Template variables: the document gives ``sendTemplateVariableSMS`` key/value
pairs but not how a template marks a variable; the simulator replaces
``${name}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from smswire.codecs import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Receipt,
    SendResult,
    get_codec,
)

from ._state import PendingReport, Reply, SentMessage
from ._vendors import OpContext, Profile, status_code

__all__ = ["EMAY_FAILED_STATE", "SHORT_LINK_BASE", "emay_profiles"]

#: A simulated failure: a §4 state (an undocumented one would read as UNKNOWN,
#: not FAILED: quirk report-state-fallback).
EMAY_FAILED_STATE = "FAIL_UNKNOW"
#: Where the simulator's short links point (never resolved: a click is recorded in Python).
SHORT_LINK_BASE = "http://t.sim.invalid/"
_TEMPLATES = "emay.templates"
_LINKS = "emay.links"
_CLICKS = "emay.clicks"


def _seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def emay_profiles() -> dict[str, Profile]:
    """The ``emay`` and ``emay-simple`` profiles, sharing the ``emay`` group."""
    from smswire.codecs import emay

    spec = emay.Codec().spec
    states = spec.report_status
    delivered = status_code(states, DeliveryStatus.DELIVERED)
    fetch_limit = int(spec.limit("fetch_default_number"))
    retries = tuple(float(s) for s in spec.section.push.retry_intervals_seconds)

    def report(pending: PendingReport, now: datetime) -> DeliveryReport:
        message = pending.message
        return DeliveryReport(
            message.mobile,
            DeliveryStatus.DELIVERED if pending.delivered else DeliveryStatus.FAILED,
            delivered if pending.delivered else EMAY_FAILED_STATE,
            message_id=message.message_id,
            client_id=message.client_id,
            sent_at=_seconds(message.sent_at),
            reported_at=_seconds(pending.ready_at),
            extension=message.extension,
        )

    def reply(item: Reply) -> InboundMessage:
        return InboundMessage(
            item.mobile, item.content, _seconds(item.received_at), destination=item.destination
        )

    def send_result(sent: Sequence[SentMessage]) -> SendResult:
        return SendResult(tuple(Receipt(m.mobile, m.message_id, m.client_id) for m in sent))

    def refuse(detail: str) -> Exception:
        return spec.error("ERROR_PARAMS", detail=detail)

    def charge(ctx: OpContext, wanted: list[tuple[str, str, str | None]], ext: str | None) -> Any:
        sent = ctx.state.send(wanted, ctx.now, ext)
        if sent is None:
            raise spec.error("ERROR_BALANCE")
        return send_result(sent)

    def templates(ctx: OpContext) -> dict[str, str]:
        return ctx.state.extras.setdefault(_TEMPLATES, {})  # type: ignore[no-any-return]

    def template(ctx: OpContext, template_id: str) -> str:
        text = templates(ctx).get(template_id)
        if text is None:
            raise refuse(f"no template {template_id}")
        return text

    def create_template(ctx: OpContext, op: emay.CreateTemplate) -> emay.TemplateCreated:
        template_id = ctx.state.new_id()
        templates(ctx)[template_id] = op.content
        return emay.TemplateCreated(template_id)

    def delete_template(ctx: OpContext, op: emay.DeleteTemplate) -> emay.TemplateDeleted:
        removed = templates(ctx).pop(op.template_id, None)
        return emay.TemplateDeleted(op.template_id, removed is not None)

    def query_template(ctx: OpContext, op: emay.QueryTemplate) -> emay.TemplateState:
        known = op.template_id in templates(ctx)
        status = emay.TemplateStatus.APPROVED if known else emay.TemplateStatus.NOT_FOUND
        return emay.TemplateState(op.template_id, status.value)

    def send_template(ctx: OpContext, op: emay.SendTemplate) -> Any:
        text = template(ctx, op.template_id)
        return charge(ctx, [(r.mobile, text, r.client_id) for r in op.recipients], op.extension)

    def send_template_variables(ctx: OpContext, op: emay.SendTemplateVariables) -> Any:
        text = template(ctx, op.template_id)
        wanted = []
        for message in op.messages:
            filled = text
            for name, value in message.variables:
                filled = filled.replace("${" + name + "}", value)
            wanted.append((message.mobile, filled, message.client_id))
        return charge(ctx, wanted, op.extension)

    def send_personality_all(ctx: OpContext, op: emay.SendPersonalityAll) -> Any:
        wanted = [(m.mobile, m.content, m.client_id) for m in op.messages]
        return charge(ctx, wanted, None)

    def send_short_link(ctx: OpContext, op: emay.SendShortLink) -> Any:
        links: dict[str, tuple[str, str]] = ctx.state.extras.setdefault(_LINKS, {})
        wanted = []
        for recipient in op.recipients:
            code = ctx.state.new_id()
            links[code] = (recipient.mobile, op.url)
            text = op.content.replace(emay.PLACEHOLDER, SHORT_LINK_BASE + code)
            wanted.append((recipient.mobile, text, recipient.client_id))
        return charge(ctx, wanted, op.extension)

    def short_link_clicks(ctx: OpContext, op: emay.FetchShortLinkClicks) -> Any:
        # Handed out once (quirk short-link-read-once), as reports and replies are.
        clicks: list[emay.ShortLinkClick] = ctx.state.extras.get(_CLICKS, [])
        taken = clicks[: op.number or fetch_limit]
        del clicks[: len(taken)]
        return Batch(tuple(taken))

    def reports_up_to(ctx: OpContext, op: emay.FetchReportsUpTo) -> Any:
        taken = ctx.state.take_reports(ctx.now, op.number)
        return Batch(tuple(report(item, ctx.now) for item in taken))

    def inbound_up_to(ctx: OpContext, op: emay.FetchInboundUpTo) -> Any:
        return Batch(tuple(reply(item) for item in ctx.state.take_replies(op.number)))

    def retrieve(ctx: OpContext, op: emay.RetrieveReport) -> None:
        wanted = set(op.sms_ids)
        again = [
            PendingReport(m, m.delivered, ctx.now)
            for m in ctx.state.sent()
            if op.start_time <= _seconds(m.sent_at) <= op.end_time
            and (not wanted or m.message_id in wanted)
        ]
        ctx.state.requeue_reports(again)

    handlers: dict[type, Any] = {
        emay.CreateTemplate: create_template,
        emay.DeleteTemplate: delete_template,
        emay.QueryTemplate: query_template,
        emay.SendTemplate: send_template,
        emay.SendTemplateVariables: send_template_variables,
        emay.SendPersonalityAll: send_personality_all,
        emay.SendShortLink: send_short_link,
        emay.FetchShortLinkClicks: short_link_clicks,
        emay.FetchReportsUpTo: reports_up_to,
        emay.FetchInboundUpTo: inbound_up_to,
        emay.RetrieveReport: retrieve,
    }
    demo = emay.Account(app_id="EUCP-EMY-SMS1-DEMO0", secret_key="demo-emay-secret")
    common: dict[str, Any] = {
        "prefix": "/emay",
        "group": "emay",
        "demo_account": demo,
        "credential_field": "app_id",
        "report": report,
        "reply": reply,
        "send_result": send_result,
        "handlers": handlers,
        "report_limit": fetch_limit,
        "reply_limit": fetch_limit,
        "push_retries": retries,
    }
    return {
        "emay": Profile(name="emay", codec=get_codec("emay"), **common),
        "emay-simple": Profile(name="emay-simple", codec=get_codec("emay-simple"), **common),
    }


def record_click(extras: dict[str, Any], code: str, now: datetime) -> Any:
    """Record a click on short link ``code``; the click as ``getShortLink`` will list it."""
    from smswire.codecs import emay

    links: dict[str, tuple[str, str]] = extras.get(_LINKS, {})
    if code not in links:
        raise LookupError(f"no short link {code!r}")
    mobile, url = links[code]
    click = emay.ShortLinkClick(mobile, _seconds(now), long_link=url)
    extras.setdefault(_CLICKS, []).append(click)
    return click
