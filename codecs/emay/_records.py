"""Emay's report and reply records: the one reader and writer of both.

Send receipts (``{"mobile", "smsId", "customSmsId"}``) are here too. The same
report and reply records travel in four places: the ``getReport`` / ``getMo``
answers of the secure interface (§2.1) and of the simple one (§2.2), and the
encrypted and plain pushes (§2.3). A report is ``{"mobile", "smsId",
"customSmsId", "state", "desc", "receiveTime", "submitTime",
"extendedCode"}``; a reply (MO) is ``{"mobile", "content", "moTime",
"extendedCode"}``. Member names are read with surrounding blanks ignored (the
document writes ``"receiveTime "``), a string member given as a JSON number is
taken as its digits, and ``""`` or ``null`` means absent.

A report ``state`` means what §4's table says (loaded from the spec); any
other state is a report of status UNKNOWN with the state kept (the shared
rule): §4 ends "错误状态码详细码表见《运营商状态错误码.doc》", pointing at a table
the document does not give — quirk ``report-state-fallback``. A report's
``extendedCode`` (扩展码) is its ``extension``.

Batches keep each record they cannot read as ASCII-escaped JSON bytes in
``Batch.malformed``; nothing on that path can raise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, TypeVar

from .._checks import check_digits
from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError
from .._models import Batch, DeliveryReport, DeliveryStatus, InboundMessage, Receipt
from .._records import RecordParseError
from .._records import report_status as _shared_status
from ._section import SPEC

__all__ = [
    "REPORT_STATUS",
    "decode_records",
    "members",
    "nullable",
    "optional_text",
    "optional_time",
    "parse_mo",
    "parse_receipt",
    "parse_report",
    "raw_record",
    "render_mo",
    "render_receipt",
    "render_report",
    "report_status",
    "required_text",
]

T = TypeVar("T")

#: §4: report ``state`` → neutral status (``TIMEOUT`` is unknown: the message may have arrived).
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status
_OTHER_STATE = DeliveryStatus.UNKNOWN


def report_status(code: str) -> DeliveryStatus:
    """The neutral meaning of a report ``state``: §4's table, else UNKNOWN (code kept)."""
    return _shared_status(REPORT_STATUS, code)


# --------------------------------------------------------------------------- members


def members(element: Any) -> dict[str, Any]:
    """A record's members by name, blanks around the names ignored; DecodeError if no object."""
    if not isinstance(element, dict):
        raise DecodeError("emay record is not a JSON object")
    # Quirk spaced-keys: "receiveTime " with a trailing blank.
    return {key.strip(): value for key, value in element.items()}


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DecodeError(f"emay record member {key!r} is not a string")
    text = str(value)
    _no_surrogates(text, key)
    return text


def _no_surrogates(text: str, key: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A JSON escape of a lone surrogate: no text a handset or a gateway could have meant.
        raise DecodeError(f"emay record member {key!r} holds a lone surrogate") from None


def optional_text(record: Mapping[str, Any], key: str) -> str | None:
    """An optional string member (a number is taken as its digits); ``""`` and null are absent."""
    return _text(record, key)


def required_text(record: Mapping[str, Any], key: str) -> str:
    """A required string member; DecodeError when absent or empty."""
    text = _text(record, key)
    if text is None:
        raise DecodeError(f"emay record without {key!r}")
    return text


def optional_time(record: Mapping[str, Any], key: str) -> datetime | None:
    """An optional ``yyyy-MM-dd HH:mm:ss`` member (China time)."""
    text = _text(record, key)
    return None if text is None else parse_dashed(text)


def nullable(value: str | None, field: str) -> str | None:
    """``value`` for a member Emay writes as null when absent; ``""`` would read back as absent."""
    if value == "":
        raise EncodeError(f"{field}: emay writes an absent value as null; use None, not ''")
    return value


# --------------------------------------------------------------------------- records


def parse_receipt(element: Any) -> Receipt:
    """One ``{"mobile", "smsId", "customSmsId"}`` of a send answer (both interfaces)."""
    record = members(element)
    return Receipt(
        required_text(record, "mobile").strip(),
        optional_text(record, "smsId"),
        optional_text(record, "customSmsId"),
    )


def render_receipt(receipt: Receipt) -> dict[str, Any]:
    """One receipt of a send answer; Emay ties every smsId to a number."""
    if not receipt.mobile:
        raise EncodeError("emay answers tie every smsId to a number; Receipt.mobile is required")
    return {
        "mobile": receipt.mobile,
        "smsId": nullable(receipt.message_id, "message_id"),
        "customSmsId": nullable(receipt.client_id, "client_id"),
    }


#: Whether all of a record's member names are report members spelled as the gateway
#: spells them (no blanks around the names).
_REPORT_NAMES = frozenset(
    ("mobile", "smsId", "customSmsId", "state", "desc", "receiveTime", "submitTime", "extendedCode")
).issuperset


_STATUS_OF = REPORT_STATUS.get

#: The members every report has (``extendedCode`` only when there is one), in one C call.
_REPORT_KEYS = ("mobile", "state", "smsId", "customSmsId", "desc", "submitTime", "receiveTime")
_REPORT_MEMBERS = itemgetter(*_REPORT_KEYS)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_report(element: Any) -> DeliveryReport:
    """One report record; DecodeError when it is not one."""
    if type(element) is dict and _REPORT_NAMES(element):
        # Fast path (batches of 500): members named exactly, strings or null, as the
        # gateway writes them. Anything else is read by the general path below.
        try:
            mobile, state, sms_id, custom, desc, submitted, received = _REPORT_MEMBERS(element)
        except KeyError:
            # A member left out (a JSON writer may drop nulls) reads as null.
            mobile, state, sms_id, custom, desc, submitted, received = map(
                element.get, _REPORT_KEYS
            )
        extension = element.get("extendedCode")
        if (
            type(mobile) is str
            and type(state) is str
            and mobile
            and state
            and mobile.isascii()
            and state.isascii()
            and (sms_id is None or (type(sms_id) is str and sms_id.isascii()))
            and (custom is None or (type(custom) is str and custom.isascii()))
            and (submitted is None or (type(submitted) is str and submitted.isascii()))
            and (received is None or (type(received) is str and received.isascii()))
            and (extension is None or (type(extension) is str and extension.isascii()))
            # A printable text holds no lone surrogate (category Cs is not printable).
            and (desc is None or (type(desc) is str and (desc.isprintable() or _utf8(desc))))
        ):
            return DeliveryReport(
                mobile.strip(),
                _STATUS_OF(state, _OTHER_STATE),
                state,
                sms_id or None,
                custom or None,
                parse_dashed(submitted) if submitted else None,
                parse_dashed(received) if received else None,
                desc or None,
                extension or None,
            )
    return _read_report(element)


def _read_report(element: Any) -> DeliveryReport:
    # The general path: spaced keys, JSON numbers, members of any type refused by name.
    record = members(element)
    state = required_text(record, "state")
    return DeliveryReport(
        mobile=required_text(record, "mobile").strip(),
        status=report_status(state),
        code=state,
        message_id=optional_text(record, "smsId"),
        client_id=optional_text(record, "customSmsId"),
        sent_at=optional_time(record, "submitTime"),
        reported_at=optional_time(record, "receiveTime"),
        description=optional_text(record, "desc"),
        extension=optional_text(record, "extendedCode"),
    )


def render_report(report: DeliveryReport) -> dict[str, Any]:
    """The JSON object of one report, in the document's member order.

    The tables mark ``receiveTime`` and ``submitTime`` 必填, so both are required.
    """
    if report_status(report.code) is not report.status:
        raise EncodeError(f"emay report state {report.code!r} does not mean {report.status}")
    if not report.code or report.code != report.code.strip():
        raise EncodeError(f"emay report state {report.code!r} is not a state code")
    if report.sent_at is None or report.reported_at is None:
        raise EncodeError("emay reports carry submitTime and receiveTime; both are required")
    check_digits(report.mobile, "mobile")
    record: dict[str, Any] = {
        "mobile": report.mobile,
        "smsId": nullable(report.message_id, "message_id"),
        "customSmsId": nullable(report.client_id, "client_id"),
        "state": report.code,
        "desc": nullable(report.description, "description"),
        "receiveTime": format_seconds(report.reported_at),
        "submitTime": format_seconds(report.sent_at),
    }
    if report.extension is not None:
        record["extendedCode"] = check_digits(report.extension, "extension (extendedCode)")
    return record


def parse_mo(element: Any) -> InboundMessage:
    """One reply record; DecodeError when it is not one (an empty ``content`` is a text)."""
    record = members(element)
    mobile = required_text(record, "mobile")
    content = record.get("content")
    if not isinstance(content, str):
        raise DecodeError("emay reply without a 'content' string")
    _no_surrogates(content, "content")
    return InboundMessage(
        mobile=mobile.strip(),
        content=content,
        received_at=optional_time(record, "moTime"),
        destination=optional_text(record, "extendedCode"),
    )


def render_mo(message: InboundMessage) -> dict[str, Any]:
    """The JSON object of one reply, in the document's member order (Emay gives replies no id)."""
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


# --------------------------------------------------------------------------- batches


def raw_record(element: Any) -> bytes:
    """A record as ASCII-escaped JSON: lone surrogates and all, nothing here can raise."""
    try:
        return json.dumps(element, ensure_ascii=True).encode("ascii")
    except (ValueError, RecursionError):
        # Parsed JSON always serialises; this is for values that did not come from JSON.
        return ascii(element).encode("ascii")


def decode_records(data: Any, raw: bytes, parse: Callable[[Any], T]) -> Batch[T]:
    """A batch from a JSON array (``null`` is none); unreadable elements stay raw."""
    if data is None:
        return Batch()
    if not isinstance(data, list):
        raise DecodeError("emay: records are not a JSON array", raw)
    try:
        # Fast path: a well-formed batch parses in one comprehension; the first bad
        # record sends the whole batch through the record-by-record loop below.
        return Batch(tuple([parse(element) for element in data]))
    except RecordParseError:
        items: list[T] = []
        malformed: list[bytes] = []
        for element in data:
            try:
                items.append(parse(element))
            except RecordParseError:
                malformed.append(raw_record(element))
        return Batch(tuple(items), tuple(malformed))
