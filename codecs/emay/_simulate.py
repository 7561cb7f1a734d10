"""What Emay's own operations do at a simulated gateway: templates, short links, re-reports.

Templates are approved at once (the document describes a review but no
timing). Template variables: the document gives ``sendTemplateVariableSMS``
key/value pairs but not how a template marks a variable; the simulation
replaces ``${name}``. A short-link send gives each recipient a code of its
own under :data:`SHORT_LINK_BASE`; the ``"click"`` event records a recipient
opening one, and ``getShortLink`` hands each click out once (quirk
short-link-read-once). ``retrieveReport`` queues the reports of the messages
in its window to be pushed again.
"""

from __future__ import annotations

from typing import Any

from .._models import Batch, DeliveryReport, InboundMessage, Operation, SendResult
from .._simulate import GatewayState, Handler, Simulation
from ._ops import (
    PLACEHOLDER,
    CreateTemplate,
    DeleteTemplate,
    FetchInboundUpTo,
    FetchReportsUpTo,
    FetchShortLinkClicks,
    QueryTemplate,
    SendPersonalityAll,
    SendShortLink,
    SendTemplate,
    SendTemplateVariables,
    ShortLinkClick,
    TemplateCreated,
    TemplateDeleted,
    TemplateState,
    TemplateStatus,
)
from ._retrieve import RetrieveReport
from ._section import SPEC

__all__ = ["SHORT_LINK_BASE", "SIMULATION"]

#: Where a simulated short link points (never resolved: a click is an event).
SHORT_LINK_BASE = "http://t.sim.invalid/"
_FETCH_LIMIT = int(SPEC.limit("fetch_default_number"))
_TEMPLATES = "templates"
_LINKS = "short-links"
_CLICKS = "short-link-clicks"


def _templates(state: GatewayState) -> dict[str, str]:
    templates: dict[str, str] = state.store.setdefault(_TEMPLATES, {})
    return templates


def _template(state: GatewayState, template_id: str) -> str:
    text = _templates(state).get(template_id)
    if text is None:
        raise SPEC.error("ERROR_PARAMS", detail=f"no template {template_id}")
    return text


def create_template(op: CreateTemplate, state: GatewayState) -> TemplateCreated:
    """A new template, approved at once."""
    template_id = state.new_id()
    _templates(state)[template_id] = op.content
    return TemplateCreated(template_id)


def delete_template(op: DeleteTemplate, state: GatewayState) -> TemplateDeleted:
    """The template gone, and whether there was one."""
    removed = _templates(state).pop(op.template_id, None)
    return TemplateDeleted(op.template_id, removed is not None)


def query_template(op: QueryTemplate, state: GatewayState) -> TemplateState:
    """Approved when it exists."""
    known = op.template_id in _templates(state)
    status = TemplateStatus.APPROVED if known else TemplateStatus.NOT_FOUND
    return TemplateState(op.template_id, status.value)


def send_template(op: SendTemplate, state: GatewayState) -> SendResult:
    """The template's text to every recipient."""
    text = _template(state, op.template_id)
    return state.send([(r.mobile, text, r.client_id) for r in op.recipients], op.extension)


def send_template_variables(op: SendTemplateVariables, state: GatewayState) -> SendResult:
    """The template's text with each recipient's ``${name}`` filled in."""
    text = _template(state, op.template_id)
    wanted = []
    for message in op.messages:
        filled = text
        for name, value in message.variables:
            filled = filled.replace("${" + name + "}", value)
        wanted.append((message.mobile, filled, message.client_id))
    return state.send(wanted, op.extension)


def send_personality_all(op: SendPersonalityAll, state: GatewayState) -> SendResult:
    """Each message its own text."""
    return state.send([(m.mobile, m.content, m.client_id) for m in op.messages])


def send_short_link(op: SendShortLink, state: GatewayState) -> SendResult:
    """The text with a short link of each recipient's own in place of the placeholder."""
    links: dict[str, tuple[str, str]] = state.store.setdefault(_LINKS, {})
    wanted = []
    for recipient in op.recipients:
        code = state.new_id()
        links[code] = (recipient.mobile, op.url)
        text = op.content.replace(PLACEHOLDER, SHORT_LINK_BASE + code)
        wanted.append((recipient.mobile, text, recipient.client_id))
    return state.send(wanted, op.extension)


def click(state: GatewayState, code: str) -> ShortLinkClick:
    """A recipient opens short link ``code``: the click as ``getShortLink`` will list it."""
    links: dict[str, tuple[str, str]] = state.store.get(_LINKS, {})
    if code not in links:
        raise LookupError(f"no short link {code!r}")
    mobile, url = links[code]
    recorded = ShortLinkClick(mobile, state.now.replace(microsecond=0), long_link=url)
    state.store.setdefault(_CLICKS, []).append(recorded)
    return recorded


def fetch_clicks(op: FetchShortLinkClicks, state: GatewayState) -> Batch[ShortLinkClick]:
    """The recorded clicks, each handed out once (quirk short-link-read-once)."""
    recorded: list[ShortLinkClick] = state.store.get(_CLICKS, [])
    taken = recorded[: op.number or _FETCH_LIMIT]
    del recorded[: len(taken)]
    return Batch(tuple(taken))


def fetch_reports(op: FetchReportsUpTo, state: GatewayState) -> Batch[DeliveryReport]:
    """Up to ``number`` ready reports."""
    return state.take_reports(op.number)


def fetch_inbound(op: FetchInboundUpTo, state: GatewayState) -> Batch[InboundMessage]:
    """Up to ``number`` waiting replies."""
    return state.take_replies(op.number)


def retrieve_report(op: RetrieveReport, state: GatewayState) -> None:
    """§2.4: the reports of the messages sent in the window (and named, if any) pushed again."""
    wanted = set(op.sms_ids)
    state.report_again(
        message
        for message in state.sent()
        if op.start_time <= message.sent_at.replace(microsecond=0) <= op.end_time
        and (not wanted or message.message_id in wanted)
    )


_OPERATIONS: dict[type[Operation[Any]], Handler] = {
    CreateTemplate: create_template,
    DeleteTemplate: delete_template,
    QueryTemplate: query_template,
    SendTemplate: send_template,
    SendTemplateVariables: send_template_variables,
    SendPersonalityAll: send_personality_all,
    SendShortLink: send_short_link,
    FetchShortLinkClicks: fetch_clicks,
    FetchReportsUpTo: fetch_reports,
    FetchInboundUpTo: fetch_inbound,
    RetrieveReport: retrieve_report,
}

SIMULATION = Simulation(_OPERATIONS, {"click": click})
