"""sms.cn wire formats, read and written: status answers, report lines, replies, send logs.

All answers are GBK text (§2):

* status answers ``sms&stat=N&message=…`` (send, refusals) or ``sms&stat=N&remain=N``
  (balance, sent count); ``message`` is raw GBK text, never percent-encoded;
* reports (§5): one ``mobile,status,id, time`` per line;
* replies (§6.1): ``100{&}mobile||text||time||gateway{&}…`` (``<&>`` accepted too);
* send records (§10): ``total||count||pages|#|time||mobile||text||status|#|…``.

An empty body means "nothing" for the three batch formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .._checks import parse_code
from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError, GatewayError
from .._http import HttpResponse
from .._models import Batch, DeliveryReport, DeliveryStatus, InboundMessage
from .._query import encode_text
from .._records import decode_lenient, split_records
from ._model import REPORT_STATUS, SPEC, SendRecord, SendRecords, report_status

T = TypeVar("T")

ANSWER_CHARSET: str = SPEC.extra["response_charset"]
SUCCESS: str = SPEC.extra["success"]["code"]
SUCCESS_TEXT: str = SPEC.extra["success"]["text"]
_RX_SEPARATORS = ("{&}", "<&>")
_UNKNOWN = DeliveryStatus.UNKNOWN


def is_digits(value: str) -> bool:
    """ASCII digits only, at least one."""
    return value.isascii() and value.isdigit()


# --------------------------------------------------------------------------- reading


def answer_text(response: HttpResponse) -> tuple[str, bool]:
    """The answer decoded as GBK, leniently (bad bytes end up in ``malformed``)."""
    if response.status != 200:
        raise DecodeError(f"smscn answered HTTP {response.status}", response.body)
    return decode_lenient(response.body, ANSWER_CHARSET)


def is_status_answer(text: str) -> bool:
    """Whether a body is a ``sms&stat=…`` answer (possible on every endpoint)."""
    return text.lstrip().startswith("sms&")


def status_answer(response: HttpResponse) -> dict[str, str]:
    """The fields of ``sms&stat=N&…``; a ``stat`` other than 100 raises :class:`GatewayError`."""
    text, clean = answer_text(response)
    t = text.strip()
    if not clean or not t.startswith("sms&"):
        raise DecodeError("smscn answer is not 'sms&stat=…' GBK text", response.body)
    # The message is raw text and last: everything after "&message=" belongs to it.
    head, sep, message = t[3:].partition("&message=")
    fields: dict[str, str] = {}
    for part in head.split("&"):
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise DecodeError(f"smscn answer field {part!r} has no '='", response.body)
        fields[key] = value.strip()
    if sep:
        fields["message"] = message
    stat = fields.get("stat", "")
    if not is_digits(stat):
        raise DecodeError("smscn answer without a numeric stat", response.body)
    if stat != SUCCESS:
        raise SPEC.error(stat, raw=response.body, message=fields.get("message") or None)
    return fields


def number_field(fields: dict[str, str], name: str, response: HttpResponse) -> int:
    """An integer field of a status answer (``remain``)."""
    value = parse_code(fields.get(name, ""))
    if value is None:
        raise DecodeError(f"smscn answer without a numeric {name!r}", response.body)
    return value


def _parse_report(line: str) -> DeliveryReport:
    # Hot path (thousands of lines per poll): checks inlined, arguments by position.
    # Report and record status values are undocumented: any ASCII word is accepted.
    mobile, code, client_id, when = line.split(",")
    mobile, code, client_id = mobile.strip(), code.strip(), client_id.strip()
    if not (mobile.isascii() and mobile.isdigit() and code.isascii() and code.isalnum()) or (
        client_id and not (client_id.isascii() and client_id.isdigit())
    ):
        raise DecodeError("report line with a bad number, status or id")
    status = REPORT_STATUS.get(code, _UNKNOWN)
    return DeliveryReport(mobile, status, code, None, client_id or None, None, parse_dashed(when))


def decode_reports(response: HttpResponse) -> Batch[DeliveryReport]:
    """§5 report lines; empty means none."""
    text, clean = answer_text(response)
    if is_status_answer(text):
        status_answer(response)
        return Batch()
    items, malformed = split_records(text, "\n", _parse_report, ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


def _parse_reply(fragment: str) -> InboundMessage:
    mobile, content, when, gateway = fragment.split("||")
    mobile, gateway = mobile.strip(), gateway.strip()
    if not (mobile.isascii() and mobile.isdigit()) or (
        gateway and not (gateway.isascii() and gateway.isdigit())
    ):
        raise DecodeError("reply with a bad number or gateway number")
    return InboundMessage(mobile, content, parse_dashed(when), None, gateway or None)


def decode_inbound(response: HttpResponse) -> Batch[InboundMessage]:
    """§6.1 ``100{&}record{&}…``; empty (or a bare 100) means none."""
    text, clean = answer_text(response)
    body = text.strip()
    if not body:
        return Batch()
    if is_status_answer(body):
        status_answer(response)
        return Batch()
    separator = next((s for s in _RX_SEPARATORS if s in body), _RX_SEPARATORS[0])
    head, _, rest = body.partition(separator)
    code = head.strip()
    if not is_digits(code):
        raise DecodeError("smscn reply answer does not start with a status code", response.body)
    if code != SUCCESS:
        raise SPEC.error(code, raw=response.body)
    items, malformed = split_records(rest, separator, _parse_reply, ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


def _parse_record(fragment: str) -> SendRecord:
    when, mobile, content, status = fragment.split("||")
    mobile, status = mobile.strip(), status.strip()
    if not (mobile.isascii() and mobile.isdigit() and status.isascii() and status.isalnum()):
        raise DecodeError("send record with a bad number or status")
    return SendRecord(parse_dashed(when), mobile, content, status)


def decode_send_records(response: HttpResponse) -> SendRecords:
    """§10 ``total||count||pages|#|record|#|…``; empty means no records."""
    text, clean = answer_text(response)
    body = text.strip()
    if not body:
        return SendRecords()
    if is_status_answer(body):
        status_answer(response)
        return SendRecords()
    head, _, rest = body.partition("|#|")
    counts = [parse_code(part) for part in head.split("||")]
    if len(counts) != 3 or any(c is None or c < 0 for c in counts):
        raise DecodeError("smscn send log without 'total||count||pages'", response.body)
    total, count, pages = (int(c or 0) for c in counts)
    items, malformed = split_records(rest, "|#|", _parse_record, ANSWER_CHARSET, clean)
    return SendRecords(total, count, pages, tuple(items), tuple(malformed))


# --------------------------------------------------------------------------- writing


def text_response(body: str) -> HttpResponse:
    """A plain-text GBK answer."""
    data = encode_text(body, ANSWER_CHARSET, "answer text")
    return HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), data)


def render_status(code: str, **fields: str) -> HttpResponse:
    """``sms&stat=N&key=value…`` with the fields in the order given."""
    return text_response(
        "&".join(["sms", f"stat={code}", *(f"{k}={v}" for k, v in fields.items())])
    )


def render_error(error: GatewayError) -> HttpResponse:
    """Every refusal, on every endpoint: ``sms&stat=N&message=…``."""
    if not is_digits(error.code):
        raise EncodeError(f"smscn status codes are numbers, not {error.code!r}")
    if "\r" in error.message or "\n" in error.message:
        raise EncodeError("smscn answer messages are one line")
    return render_status(error.code, message=error.message)


def _verified(response: HttpResponse, decode: Callable[[HttpResponse], T], expected: T) -> T:
    """Read a rendered body back: fields that break the framing are refused, never sent."""
    try:
        ok = decode(response) == expected
    except (DecodeError, GatewayError):
        ok = False
    if not ok:
        raise EncodeError(f"smscn cannot frame these records: {expected!r}")
    return expected


def render_reports(reports: Sequence[DeliveryReport]) -> HttpResponse:
    """§5 lines, with the document's space before the time."""
    lines = []
    for r in reports:
        if r.reported_at is None:
            raise EncodeError("smscn report lines carry the report time; reported_at is required")
        if (r.message_id, r.sent_at, r.description) != (None, None, None):
            raise EncodeError("smscn report lines carry only number, status, id and time")
        if report_status(r.code) is not r.status:
            raise EncodeError(f"smscn report code {r.code!r} does not mean {r.status}")
        line = f"{r.mobile},{r.code},{r.client_id or ''}, {format_seconds(r.reported_at)}"
        lines.append(line)
    response = text_response("\n".join(lines))
    _verified(response, decode_reports, Batch(tuple(reports)))
    return response


def render_inbound(messages: Sequence[InboundMessage]) -> HttpResponse:
    """§6.1 ``100{&}…``; ``||`` in a text becomes ``｜｜`` as the gateway does it."""
    if not messages:
        return text_response("")
    records = [SUCCESS]
    expected: list[InboundMessage] = []
    for m in messages:
        if m.received_at is None:
            raise EncodeError("smscn replies carry a time; received_at is required")
        if m.message_id is not None:
            raise EncodeError("smscn replies carry no message id")
        content = m.content.replace("||", "｜｜")
        if "{&}" in content:
            raise EncodeError("reply content contains '{&}', the record separator")
        if content.endswith("|"):
            # "a|" + "||time" reads as "a" and "|time"; a leading "|" is read back fine.
            raise EncodeError("reply content ending with '|' cannot be framed")
        record = f"{m.mobile}||{content}||{format_seconds(m.received_at)}||{m.destination or ''}"
        records.append(record)
        expected.append(InboundMessage(m.mobile, content, m.received_at, None, m.destination))
    response = text_response("{&}".join(records))
    _verified(response, decode_inbound, Batch(tuple(expected)))
    return response


def render_send_records(result: SendRecords) -> HttpResponse:
    """§10 ``total||count||pages|#|…``; nothing at all is an empty body."""
    if result.malformed:
        raise EncodeError("smscn cannot render malformed send records")
    if result == SendRecords():
        return text_response("")
    if min(result.total, result.count, result.pages) < 0:
        raise EncodeError("send record counts are not negative")
    parts = [f"{result.total}||{result.count}||{result.pages}"]
    for r in result.records:
        for token in ("||", "|#|"):
            if token in r.content:
                raise EncodeError(f"send record content contains {token!r}, a separator")
        parts.append(f"{format_seconds(r.sent_at)}||{r.mobile}||{r.content}||{r.status}")
    response = text_response("|#|".join(parts))
    _verified(response, decode_send_records, result)
    return response
