"""Emay's report and reply records, and the pushes that carry them (§2.3).

The same JSON records travel in three places: the answers of ``getReport`` /
``getMo`` (both interfaces) and the gateway's pushes to the customer. A report
is ``{"mobile", "smsId", "customSmsId", "state", "desc", "receiveTime",
"submitTime", "extendedCode"}``; a reply (MO) is ``{"mobile", "content",
"moTime", "extendedCode"}``. Key names are read with surrounding blanks
ignored (the document writes ``"receiveTime "``).

Pushes come in two modes, chosen per account by Emay's staff:

* encrypted (§2.3.1): the body is the JSON array, gzipped, then AES/ECB/PKCS5
  under the secret key; ``appId`` in a header. Reports and replies are told
  apart by their members (``state`` / ``content``);
* plain (§2.3.2): a UTF-8 form parameter ``reports`` or ``mos`` holding the
  JSON array; ``appId`` in a header.

Either way the receiver answers the body ``success`` (§2.3.3). Every function
here takes the mode as ``encrypted=``, so a codec exposes one mode with
one-line methods.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from .._checks import check_digits
from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError
from .._http import HttpRequest, HttpResponse
from .._models import Batch, DeliveryReport, DeliveryStatus, InboundMessage, Stamp
from .._query import build_query, parse_query
from .._records import RecordParseError
from .._spec import load_spec
from ._account import Account
from ._envelope import dumps, seal, unseal

__all__ = [
    "REPORT_STATUS",
    "PushItem",
    "decode_push",
    "decode_push_ack",
    "decode_records",
    "encode_push",
    "loads_lenient",
    "members",
    "optional_text",
    "parse_mo",
    "parse_report",
    "push_ack",
    "render_mo",
    "render_report",
    "report_status",
    "required_text",
]

T = TypeVar("T")
PushItem = DeliveryReport | InboundMessage

SPEC = load_spec("emay")
_PUSH = SPEC.extra["push"]
#: §4: report ``state`` → neutral status.
REPORT_STATUS: dict[str, DeliveryStatus] = {
    code: DeliveryStatus(row["status"]) for code, row in SPEC.extra["report_states"].items()
}
# §4 ends "错误状态码详细码表见《运营商状态错误码.doc》": any other state is a
# carrier's error code.
_OTHER_STATE = DeliveryStatus(SPEC.extra["report_state_fallback"]["status"])
_ACK: str = _PUSH["ack"]
_MAX_BODY: int = _PUSH["max_body_bytes"]
_TARGET: str = _PUSH["target"]
_CURLY = "\u201c\u201d"


def report_status(code: str) -> DeliveryStatus:
    """The neutral meaning of a report ``state``."""
    return REPORT_STATUS.get(code, _OTHER_STATE)


# --------------------------------------------------------------------------- JSON


def normalise_json(text: str) -> str:
    """The document's JSON typography made JSON (quirks ``curly-quotes``, ``full-width-comma``).

    Strings opened by a curly quote end at the next curly or ASCII quote and
    are rewritten with ASCII quotes; ``，`` outside strings becomes ``,``.
    Strings opened by an ASCII quote are copied untouched.
    """
    out: list[str] = []
    quote = ""
    escaped = False
    for ch in text:
        if quote == '"':
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quote = ""
        elif quote:
            if ch in _CURLY or ch == '"':
                out.append('"')
                quote = ""
            else:
                out.append(ch)
        elif ch == '"':
            out.append(ch)
            quote = '"'
        elif ch in _CURLY:
            out.append('"')
            quote = "curly"
        elif ch == "\uff0c":
            out.append(",")
        else:
            out.append(ch)
    return "".join(out)


def loads_lenient(data: bytes, raw: bytes) -> Any:
    """JSON from UTF-8 ``data``, tolerating the document's typography; DecodeError with ``raw``."""
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise DecodeError("emay: JSON body is not UTF-8", raw) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    try:
        return json.loads(normalise_json(text))
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"emay: body is not JSON ({exc})", raw) from None


# --------------------------------------------------------------------------- records


def members(element: Any) -> dict[str, Any]:
    """A record's members by name, blanks around the names ignored; DecodeError if no object."""
    if not isinstance(element, dict):
        raise DecodeError("emay record is not a JSON object")
    # Quirk spaced-keys: "receiveTime " with a trailing blank.
    return {key.strip(): value for key, value in element.items()}


def _text(record: dict[str, Any], key: str, required: bool) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise DecodeError(f"emay record without {key!r}")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DecodeError(f"emay record member {key!r} is not a string")
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A JSON escape of a lone surrogate: no text a handset could have sent.
        raise DecodeError(f"emay record member {key!r} holds a lone surrogate") from None
    return text


def optional_text(record: dict[str, Any], key: str) -> str | None:
    """An optional string member (a number is taken as its digits); ``""`` and null are absent."""
    return _text(record, key, False)


def required_text(record: dict[str, Any], key: str) -> str:
    """A required string member; DecodeError when absent or empty."""
    text = _text(record, key, True)
    if text is None:
        raise DecodeError(f"emay record without {key!r}")
    return text


def _time(record: dict[str, Any], key: str) -> Any:
    text = _text(record, key, False)
    return None if text is None else parse_dashed(text)


def parse_report(element: Any) -> DeliveryReport:
    """One report record; DecodeError when it is not one."""
    record = members(element)
    mobile = required_text(record, "mobile")
    state = required_text(record, "state")
    return DeliveryReport(
        mobile=mobile.strip(),
        status=report_status(state),
        code=state,
        message_id=_text(record, "smsId", False),
        client_id=_text(record, "customSmsId", False),
        sent_at=_time(record, "submitTime"),
        reported_at=_time(record, "receiveTime"),
        description=_text(record, "desc", False),
    )


def parse_mo(element: Any) -> InboundMessage:
    """One reply record; DecodeError when it is not one."""
    record = members(element)
    mobile = required_text(record, "mobile")
    content = record.get("content")
    if not isinstance(content, str):
        raise DecodeError("emay reply without a 'content' string")
    try:
        content.encode("utf-8")
    except UnicodeEncodeError:
        raise DecodeError("emay reply content holds a lone surrogate") from None
    return InboundMessage(
        mobile=mobile.strip(),
        content=content,
        received_at=_time(record, "moTime"),
        destination=_text(record, "extendedCode", False),
    )


def _parse_either(element: Any) -> PushItem:
    # An encrypted push names neither kind: a report has a state, a reply content.
    record = members(element)
    if "state" in record:
        return parse_report(element)
    if "content" in record:
        return parse_mo(element)
    raise DecodeError("emay push record is neither a report nor a reply")


def _raw(element: Any) -> bytes:
    try:
        return json.dumps(element, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return repr(element).encode("utf-8", "backslashreplace")


def decode_records(data: Any, raw: bytes, parse: Callable[[Any], T]) -> Batch[T]:
    """A batch from a JSON array (``null`` is none); unparsable elements stay raw."""
    if data is None:
        return Batch()
    if not isinstance(data, list):
        raise DecodeError("emay: records are not a JSON array", raw)
    items: list[T] = []
    malformed: list[bytes] = []
    for element in data:
        try:
            items.append(parse(element))
        except RecordParseError:
            malformed.append(_raw(element))
    return Batch(tuple(items), tuple(malformed))


def _opt(value: str | None, field: str) -> str | None:
    if value == "":
        raise EncodeError(f"{field}: emay writes an absent value as null; use None, not ''")
    return value


def render_report(report: DeliveryReport) -> dict[str, Any]:
    """The JSON object of one report, in the document's member order."""
    if report_status(report.code) is not report.status:
        raise EncodeError(f"emay report state {report.code!r} does not mean {report.status}")
    if not report.code or report.code != report.code.strip():
        raise EncodeError(f"emay report state {report.code!r} is not a state code")
    if report.sent_at is None or report.reported_at is None:
        raise EncodeError("emay reports carry submitTime and receiveTime; both are required")
    check_digits(report.mobile, "mobile")
    return {
        "mobile": report.mobile,
        "smsId": _opt(report.message_id, "message_id"),
        "customSmsId": _opt(report.client_id, "client_id"),
        "state": report.code,
        "desc": _opt(report.description, "description"),
        "receiveTime": format_seconds(report.reported_at),
        "submitTime": format_seconds(report.sent_at),
    }


def render_mo(message: InboundMessage) -> dict[str, Any]:
    """The JSON object of one reply, in the document's member order."""
    if message.message_id is not None:
        raise EncodeError("emay replies carry no message id")
    if message.received_at is None:
        raise EncodeError("emay replies carry moTime; received_at is required")
    check_digits(message.mobile, "mobile")
    record: dict[str, Any] = {
        "mobile": message.mobile,
        "content": message.content,
        "moTime": format_seconds(message.received_at),
    }
    if message.destination is not None:
        record["extendedCode"] = check_digits(message.destination, "destination (extendedCode)")
    return record


# --------------------------------------------------------------------------- pushes


def _check_app_id(request: HttpRequest, account: Account) -> None:
    app_id = request.header("appId")
    if app_id is not None and app_id.strip() != account.app_id:
        raise DecodeError("emay push is for another appId", request.body)


def decode_push(request: HttpRequest, account: Account, *, encrypted: bool) -> Batch[PushItem]:
    """Receiver: the reports and replies of one push (§2.3.1 encrypted, §2.3.2 plain)."""
    _check_app_id(request, account)
    if encrypted:
        plain = unseal(request.body, account.key, gzip=True, max_size=_MAX_BODY)
        return decode_records(loads_lenient(plain, request.body), request.body, _parse_either)
    if len(request.body) > _MAX_BODY:
        raise DecodeError(f"emay push larger than {_MAX_BODY} bytes", request.body[:_MAX_BODY])
    pairs = parse_query(request.query)
    pairs.extend(parse_query(request.body))
    parsers: dict[str, Callable[[Any], PushItem]] = {"reports": parse_report, "mos": parse_mo}
    items: list[PushItem] = []
    malformed: list[bytes] = []
    found = False
    for name, value in pairs:
        parse = parsers.get(name)
        if parse is None:
            continue
        found = True
        batch = decode_records(loads_lenient(value, request.body), request.body, parse)
        items.extend(batch.items)
        malformed.extend(batch.malformed)
    if not found:
        raise DecodeError("emay push has neither a 'reports' nor a 'mos' parameter", request.body)
    return Batch(tuple(items), tuple(malformed))


def push_ack(request: HttpRequest) -> HttpResponse:
    """Receiver: the body ``success`` (§2.3.3), whatever the push held."""
    return HttpResponse(200, (("Content-Type", "text/plain; charset=UTF-8"),), _ACK.encode())


def encode_push(
    batch: Batch[PushItem],
    account: Account,
    stamp: Stamp,
    *,
    encrypted: bool,
    target: str = _TARGET,
) -> tuple[HttpRequest, ...]:
    """Gateway: one request for the reports and one for the replies (none for an empty kind).

    ``stamp`` is unused (pushes carry only the records' own times); it keeps
    the push protocol's signature.
    """
    if batch.malformed:
        raise EncodeError("emay pushes carry records, not the raw fragments of a batch")
    reports = [render_report(i) for i in batch.items if isinstance(i, DeliveryReport)]
    mos = [render_mo(i) for i in batch.items if isinstance(i, InboundMessage)]
    if len(reports) + len(mos) != len(batch.items):
        raise EncodeError("emay pushes carry DeliveryReport and InboundMessage items only")
    requests = []
    for name, records in (("reports", reports), ("mos", mos)):
        if not records:
            continue
        data = dumps(records, "utf-8")
        if encrypted:
            body = seal(data, account.key, gzip=True)
            content_type = "application/octet-stream"
        else:
            body = build_query([(name, data.decode("utf-8"))], "utf-8").encode("ascii")
            content_type = "application/x-www-form-urlencoded; charset=UTF-8"
        headers = (("appId", account.app_id), ("Content-Type", content_type))
        requests.append(HttpRequest("POST", target, headers, body))
    return tuple(requests)


def decode_push_ack(response: HttpResponse) -> bool:
    """Gateway: only HTTP 200 with the body ``success`` stops the retries (§2.3.3)."""
    return response.status == 200 and response.body.strip() == _ACK.encode()
