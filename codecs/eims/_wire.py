"""EIMS wire pieces: tolerant JSON reading, typed field access, and the positional rows.

Every answer and push is a JSON object whose records are positional arrays.
Rows are parsed one by one so that a bad row lands in ``Batch.malformed``
(re-serialised as JSON bytes) instead of taking its neighbours down.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .._checks import parse_code
from .._chinatime import format_compact, from_compact_number, parse_compact
from .._errors import DecodeError, EncodeError
from .._json import mend_typography
from .._models import DeliveryReport, DeliveryStatus, InboundMessage, Receipt
from .._query import encode_text
from .._records import RecordParseError
from ._model import REASONS, REPORT_STATES

__all__ = [
    "as_decimal",
    "as_int",
    "dump",
    "dumps",
    "load_object",
    "parse_inbound",
    "parse_push_row",
    "parse_report_row",
    "parse_rows",
    "receipts",
    "render_inbound",
    "render_push_row",
    "render_report_row",
    "report_description",
    "wire_id",
]

T = TypeVar("T")

_BOM = b"\xef\xbb\xbf"
_FAILED = object()


def _no_constant(name: str) -> Any:
    # json accepts NaN and Infinity by default; neither is a balance or a count.
    raise ValueError(f"{name} is not JSON")


def _loads(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _FAILED


def load_object(raw: bytes, what: str) -> dict[str, Any]:
    """The JSON object of a body; a :class:`DecodeError` carrying ``raw`` otherwise."""
    data = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError(f"eims {what} is not UTF-8", raw) from None
    value = _loads(text)
    if value is _FAILED:
        mended = mend_typography(text)
        if mended is not None:
            value = _loads(mended)
    if value is _FAILED:
        raise DecodeError(f"eims {what} is not JSON", raw)
    if not isinstance(value, dict):
        raise DecodeError(f"eims {what} is not a JSON object", raw)
    return value


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the gateway writes it; unencodable text is an EncodeError."""
    return encode_text(
        json.dumps(value, ensure_ascii=False, separators=(",", ":")), "utf-8", "JSON text"
    )


def _dump(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def dump(value: Any) -> bytes:
    """The bytes of a record that did not parse, as JSON (numbers keep their digits)."""
    try:
        return _dump(value).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return repr(value).encode("utf-8", "backslashreplace")


# --------------------------------------------------------------------------- fields


def as_int(value: Any, field: str) -> int:
    """An integer sent as a JSON number or as a string of digits."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        code = parse_code(value)
        if code is not None:
            return code
    raise DecodeError(f"eims {field} is not an integer")


def as_decimal(value: Any, field: str) -> Decimal:
    """An exact amount sent as a decimal string (or, leniently, a JSON number)."""
    if isinstance(value, Decimal):
        amount = value
    elif type(value) is int:
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise DecodeError(f"eims {field} is not a decimal") from None
    else:
        raise DecodeError(f"eims {field} is not a decimal")
    if not amount.is_finite():
        raise DecodeError(f"eims {field} is not a finite decimal")
    return amount


def _token(value: Any, field: str) -> str:
    """An id or a phone number, sent as a JSON integer or a string."""
    if type(value) is int and value >= 0:
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise DecodeError(f"eims {field} is neither a non-negative integer nor a string")


def _time(value: Any, field: str) -> datetime | None:
    """A 14-digit China time sent as a number or a string; 0 or empty means none."""
    if value is None or value in (0, ""):
        return None
    if type(value) is int:
        return from_compact_number(value)
    if isinstance(value, str):
        return parse_compact(value)
    raise DecodeError(f"eims {field} is not a 14-digit time")


def _opt_text(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    raise DecodeError(f"eims {field} is not text")


def wire_id(value: str) -> int | str:
    """An id or number as the gateway writes it: a JSON integer unless that would lose digits."""
    if (
        value.isascii()
        and value.isdigit()
        and len(value) <= 18
        and (value[0] != "0" or value == "0")
    ):
        return int(value)
    return value


def _wire_time(value: datetime | None) -> int | str:
    if value is None:
        return 0
    digits = format_compact(value)
    return digits if digits[0] == "0" else int(digits)


def _wire_code(code: str, field: str = "code") -> int:
    value = parse_code(code)
    if value is None or str(value) != code:
        raise EncodeError(f"eims {field} {code!r} is not an integer as the wire writes it")
    return value


def _row(value: Any, sizes: tuple[int, ...], what: str) -> list[Any]:
    if not isinstance(value, list) or len(value) not in sizes:
        raise DecodeError(f"eims {what} row is not an array of {' or '.join(map(str, sizes))}")
    return value


def parse_rows(array: Any, parse: Callable[[Any], T], what: str) -> tuple[list[T], list[bytes]]:
    """Parse each row of ``array``; rows that fail are kept as JSON bytes."""
    if array is None:
        return [], []
    if not isinstance(array, list):
        raise DecodeError(f"eims {what} array is not an array")
    items: list[T] = []
    malformed: list[bytes] = []
    for row in array:
        try:
            items.append(parse(row))
        except (*RecordParseError, TypeError):
            malformed.append(dump(row))
    return items, malformed


# --------------------------------------------------------------------------- sends


def _stripped(number: str) -> str:
    return number.lstrip("0") or "0"


def receipts(array: Any, mobiles: Sequence[str]) -> tuple[Receipt, ...]:
    """One receipt per ``[number, id]`` row, each tied back to the exact number sent.

    The gateway may write a number as a JSON integer, losing leading zeros, so
    a row matches the first unused sent number that is equal to it, or else
    equal once leading zeros are dropped. A row matching no sent number keeps
    the gateway's spelling. A bad row makes the whole answer unreadable: a
    receipt cannot be kept aside as malformed.
    """
    if array is None:
        return ()
    if not isinstance(array, list):
        raise DecodeError("eims send array is not an array")
    exact: dict[str, deque[int]] = {}
    loose: dict[str, deque[int]] = {}
    for index, mobile in enumerate(mobiles):
        exact.setdefault(mobile, deque()).append(index)
        loose.setdefault(_stripped(mobile), deque()).append(index)
    used = [False] * len(mobiles)

    def take(queue: deque[int] | None) -> int | None:
        while queue:
            index = queue.popleft()
            if not used[index]:
                used[index] = True
                return index
        return None

    out: list[Receipt] = []
    for row in array:
        number, message_id = _row(row, (2,), "send")
        key = _token(number, "number")
        found = take(exact.get(key))
        if found is None:
            found = take(loose.get(_stripped(key)))
        out.append(Receipt(key if found is None else mobiles[found], _token(message_id, "id")))
    return tuple(out)


# --------------------------------------------------------------------------- reports


def report_description(code: str) -> str | None:
    """The document's English name of a delivery reason code, if it lists one."""
    reason = REASONS.get(code)
    return None if reason is None else reason[0]


#: Delivery reason code → English name, for the hot report path.
_DESCRIPTIONS = {code: names[0] for code, names in REASONS.items()}
_STATE_OF = REPORT_STATES.get
_FAILED_STATE = DeliveryStatus.FAILED


def parse_report_row(row: Any) -> DeliveryReport:
    """``[id, number, time, state]`` from ``/getreport``."""
    if type(row) is list and len(row) == 4:
        message_id, number, when, state = row
        # Fast path: the gateway's own types (integer id, time and state; a text number).
        if (
            type(message_id) is int
            and type(state) is int
            and type(when) is int
            and type(number) is str
            and number
            and message_id >= 0
            and when
        ):
            code = str(state)
            return DeliveryReport(
                number,
                _STATE_OF(code, _FAILED_STATE),
                code,
                str(message_id),
                None,
                from_compact_number(when),
                None,
                _DESCRIPTIONS.get(code),
            )
    message_id, number, when, state = _row(row, (4,), "report")
    code = str(as_int(state, "state"))
    # Arguments by position: keywords cost a dict per row on this hot path.
    return DeliveryReport(
        _token(number, "number"),
        REPORT_STATES.get(code, DeliveryStatus.FAILED),
        code,
        _token(message_id, "id"),
        None,
        _time(when, "time"),
        None,
        report_description(code),
    )


def _check_report(report: DeliveryReport, what: str) -> str:
    if report.message_id is None:
        raise EncodeError(f"eims {what} rows carry the message id; message_id is required")
    if report.client_id is not None:
        raise EncodeError(f"eims {what} rows carry no client id")
    return report.message_id


def render_report_row(report: DeliveryReport) -> list[Any]:
    """The ``/getreport`` row of ``report`` (refusing what the row cannot carry)."""
    message_id = _check_report(report, "report")
    code = _wire_code(report.code)
    if REPORT_STATES.get(report.code, DeliveryStatus.FAILED) is not report.status:
        raise EncodeError(f"eims report state {report.code!r} does not mean {report.status}")
    if report.description != report_description(report.code) or report.reported_at is not None:
        raise EncodeError("eims report rows carry no free description and no report time")
    return [wire_id(message_id), report.mobile, _wire_time(report.sent_at), code]


def parse_push_row(row: Any) -> DeliveryReport:
    """A pushed report: the document's 5-field row or the deployed 7-field one."""
    fields = _row(row, (5, 7), "push")
    message_id, number, when = fields[0], fields[1], fields[2]
    result = as_int(fields[3], "result")
    reported_at = None
    if len(fields) == 7:
        reported_at = _time(fields[5], "deliver time")
        if result == 0:
            # Sent: the handset's outcome decides (quirk push-seven-field-rows).
            result = as_int(fields[6], "deliver status")
    return DeliveryReport(
        _token(number, "number"),
        DeliveryStatus.DELIVERED if result == 0 else DeliveryStatus.FAILED,
        str(result),
        message_id=_token(message_id, "id"),
        sent_at=_time(when, "time"),
        reported_at=reported_at,
        description=_opt_text(fields[4], "reason"),
    )


def render_push_row(report: DeliveryReport) -> list[Any]:
    """A pushed report: 7 fields when it has a report time, the document's 5 otherwise."""
    message_id = _check_report(report, "push")
    code = _wire_code(report.code)
    expected = DeliveryStatus.DELIVERED if code == 0 else DeliveryStatus.FAILED
    if report.status is not expected:
        raise EncodeError(f"eims push result {report.code!r} does not mean {report.status}")
    if report.description == "":
        raise EncodeError("eims push reason: an empty reason cannot be told from none")
    head = [wire_id(message_id), report.mobile, _wire_time(report.sent_at)]
    reason = report.description or ""
    if report.reported_at is None:
        return [*head, code, reason]
    return [*head, 0, reason, _wire_time(report.reported_at), code]


# --------------------------------------------------------------------------- replies


def parse_inbound(row: Any) -> InboundMessage:
    """``[id, from, to, time, base64 text]`` from ``/getsms``."""
    message_id, sender, destination, when, text = _row(row, (5,), "reply")
    if not isinstance(text, str):
        raise DecodeError("eims reply text is not a base64 string")
    try:
        content = base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError):
        raise DecodeError("eims reply text is not base64 of UTF-8") from None
    # Arguments by position: keywords cost a dict per row on this hot path.
    return InboundMessage(
        _token(sender, "from"),
        content,
        _time(when, "time"),
        _token(message_id, "id"),
        _token(destination, "to"),
    )


def render_inbound(message: InboundMessage) -> list[Any]:
    """The ``/getsms`` row of ``message``."""
    if message.message_id is None or message.destination is None:
        raise EncodeError("eims reply rows carry an id and a destination; both are required")
    if not message.mobile or not message.destination:
        raise EncodeError("eims reply rows need a non-empty sender and destination")
    data = encode_text(message.content, "utf-8", "reply content")
    return [
        wire_id(message.message_id),
        message.mobile,
        message.destination,
        _wire_time(message.received_at),
        base64.b64encode(data).decode("ascii"),
    ]
