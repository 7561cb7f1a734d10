"""sms.cn §6.2 推送接收上行短信（回复）: the fields of the gateway's pushes, read and written.

A push is one GET or POST to the customer's URL, ``cmd=res&uid=…`` and either a
status report (§6.2's URL: ``mobileids``, ``mobile``, ``status``) or a reply
(§6.2's table: ``time``, ``mobile``, ``content`` in GBK); quirk push-contradiction.
:class:`~smswire.codecs.smscn.Codec`'s push methods use these.
"""

from __future__ import annotations

from .._checks import check_digits
from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError
from .._http import HttpRequest
from .._models import DeliveryReport, InboundMessage
from .._query import QueryParams, encode_text, parse_query
from . import _wire as w
from ._model import SPEC
from ._model import report_status as _status_of

PUSH_CHARSET = SPEC.section.push_charset


def push_pairs(request: HttpRequest) -> tuple[list[tuple[str, bytes]], bytes]:
    """The push's parameters and the bytes they came from, query and form body alike.

    §6.2 pushes by GET or POST with the content a GBK string: the target's
    percent-escapes and raw bytes (a target built from the request line with
    surrogateescape) both come back as the GBK bytes the gateway sent. A POST may
    carry its data in the query string, the body, or both; all of it is read and
    all of it is kept for ``malformed``.
    """
    query = request.query
    pairs = parse_query(query)  # a lone surrogate is a DecodeError here
    raw = query.encode("utf-8", "surrogateescape")
    if request.method == "POST" and request.body:
        pairs += parse_query(request.body)
        raw = b"&".join(part for part in (raw, request.body) if part)
    return pairs, raw


def read_report(params: QueryParams) -> DeliveryReport:
    mobile, code = params.require("mobile").strip(), params.require("status").strip()
    client_id = (params.text("mobileids") or "").strip()
    if not w.is_digits(mobile) or not w.is_status_value(code):
        raise DecodeError("status push with a bad number or status")
    if client_id and not w.is_digits(client_id):
        raise DecodeError("status push with a non-digit mobileids")
    return DeliveryReport(mobile, _status_of(code), code, client_id=client_id or None)


def read_reply(params: QueryParams) -> InboundMessage:
    mobile, content = params.require("mobile").strip(), params.require("content")
    when = params.text("time")
    if not w.is_digits(mobile):
        raise DecodeError("reply push with a bad number")
    return InboundMessage(mobile, content, None if when is None else parse_dashed(when))


def report_pairs(report: DeliveryReport) -> list[tuple[str, str]]:
    extra = (report.message_id, report.sent_at, report.reported_at, report.description)
    if extra != (None, None, None, None):
        raise EncodeError("smscn status pushes carry only mobileids, number and status")
    if _status_of(report.code) is not report.status:
        raise EncodeError(f"smscn report code {report.code!r} does not mean {report.status}")
    if not w.is_status_value(report.code):
        raise EncodeError(f"status {report.code!r} must be a printable word without '|'")
    if report.client_id is not None:
        check_digits(report.client_id, "client_id")
    check_digits(report.mobile, "mobile")
    return [
        ("mobileids", report.client_id or ""),
        ("mobile", report.mobile),
        ("status", report.code),
    ]


def reply_pairs(message: InboundMessage) -> list[tuple[str, str]]:
    if message.message_id is not None or message.destination is not None:
        raise EncodeError("smscn reply pushes carry no message id or destination")
    check_digits(message.mobile, "mobile")
    encode_text(message.content, PUSH_CHARSET, "content")
    pairs = [] if message.received_at is None else [("time", format_seconds(message.received_at))]
    return [*pairs, ("mobile", message.mobile), ("content", message.content)]
