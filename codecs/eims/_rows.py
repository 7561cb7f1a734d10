"""EIMS record rows: ``/sendsms`` receipts, ``/getreport`` reports, pushed reports and
``/getsms`` replies.

Each row is positional; a row that does not parse is kept whole (as JSON bytes)
by :func:`._wire.parse_rows`, never dropped.
"""

from __future__ import annotations

import base64
import binascii
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from .._chinatime import from_compact_number
from .._errors import DecodeError, EncodeError
from .._models import DeliveryReport, DeliveryStatus, InboundMessage, Receipt
from .._query import encode_text
from .._records import report_status
from . import _wire as w
from ._model import REASONS, REPORT_STATES

__all__ = [
    "parse_inbound",
    "parse_push",
    "parse_push_row",
    "parse_report_row",
    "push_result_status",
    "receipts",
    "render_inbound",
    "render_push_row",
    "render_report_row",
    "report_description",
    "report_state_status",
    "unique_replies",
]

# --------------------------------------------------------------------------- send rows


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
        number, message_id = w.row_fields(row, (2,), "send")
        key = w.token(number, "number")
        found = take(exact.get(key))
        if found is None:
            found = take(loose.get(_stripped(key)))
        out.append(Receipt(key if found is None else mobiles[found], w.token(message_id, "id")))
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
#: The one value §5 names; every other integer result is "非 0则失败".
_PUSH_RESULTS = {"0": DeliveryStatus.DELIVERED}


def _integer(text: str) -> str | None:
    """Integer text in canonical digits (``"007"`` → ``"7"``, ``"-0"`` → ``"0"``), else ``None``.

    Any length: a state of 30 digits is still an integer, and "非 012".
    """
    t = text.strip()
    digits = t[1:] if t[:1] == "-" else t
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    digits = digits.lstrip("0") or "0"
    return "-" + digits if t[:1] == "-" and digits != "0" else digits


def _state_code(value: Any, field: str) -> str:
    """A report state or push result as the wire wrote it.

    The document's states are integers (a JSON number, or digits as text:
    quirk numeric-strings), kept in canonical digits. Any other non-blank text
    is a state the document does not describe, kept exactly as it came.
    """
    if type(value) is int:
        return str(value)
    if isinstance(value, str) and value.strip():
        return _integer(value) or value
    raise DecodeError(f"eims {field} is neither an integer nor text")


def report_state_status(code: str) -> DeliveryStatus:
    """What a ``/getreport`` state means (quirk report-states-exhaustive).

    §3: "状态：0发送成功，1：未发送，2：正在发送， 非 012 发送失败": every integer
    state has a meaning, so an integer missing from the table is FAILED by the
    document's own words. A state that is no integer is outside the document:
    UNKNOWN, its code kept (the shared rule, ``_records.report_status``).
    """
    number = _integer(code)
    if number is not None:
        return _STATE_OF(number, _FAILED_STATE)
    return report_status(REPORT_STATES, code)


def push_result_status(code: str) -> DeliveryStatus:
    """What a pushed result means (quirk report-states-exhaustive).

    §5: "发送结果（整形，0成功，非 0则失败）": 0 delivered, any other integer
    failed; a result that is no integer is UNKNOWN, its code kept.
    """
    number = _integer(code)
    if number is not None:
        return _PUSH_RESULTS.get(number, _FAILED_STATE)
    return report_status(_PUSH_RESULTS, code)


def _wire_state(
    report: DeliveryReport, meaning: Callable[[str], DeliveryStatus], what: str
) -> int | str:
    """The state of ``report`` as its row writes it, refusing a code that means otherwise."""
    code = report.code
    if not isinstance(code, str) or not code.strip():
        raise EncodeError(f"eims {what} {code!r} is neither an integer nor text")
    if meaning(code) is not report.status:
        raise EncodeError(f"eims {what} {code!r} does not mean {report.status}")
    number = _integer(code)
    if number is None:
        return code
    if number != code:
        raise EncodeError(f"eims {what} {code!r} is not an integer as the wire writes it")
    try:
        return int(number)
    except ValueError:  # past the interpreter's digit limit: as the digits themselves
        return number


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
            # An integer state: "非 012 发送失败" (see report_state_status).
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
    message_id, number, when, state = w.row_fields(row, (4,), "report")
    code = _state_code(state, "state")
    # Arguments by position: keywords cost a dict per row on this hot path.
    return DeliveryReport(
        w.token(number, "number"),
        report_state_status(code),
        code,
        w.token(message_id, "id"),
        None,
        w.time_field(when, "time"),
        None,
        report_description(code),
    )


def _check_report(report: DeliveryReport, what: str) -> str:
    if report.message_id is None:
        raise EncodeError(f"eims {what} rows carry the message id; message_id is required")
    if report.client_id is not None:
        raise EncodeError(f"eims {what} rows carry no client id")
    if report.extension is not None:
        raise EncodeError(f"eims {what} rows carry no extension")
    return report.message_id


def render_report_row(report: DeliveryReport) -> list[Any]:
    """The ``/getreport`` row of ``report`` (refusing what the row cannot carry)."""
    message_id = _check_report(report, "report")
    state = _wire_state(report, report_state_status, "report state")
    if report.description != report_description(report.code) or report.reported_at is not None:
        raise EncodeError("eims report rows carry no free description and no report time")
    return [w.wire_id(message_id), report.mobile, w.wire_time(report.sent_at), state]


def parse_push_row(row: Any) -> DeliveryReport:
    """A pushed report: the document's 5-field row or the deployed 7-field one."""
    fields = w.row_fields(row, (5, 7), "push")
    message_id, number, when = fields[0], fields[1], fields[2]
    code = _state_code(fields[3], "result")
    reported_at = None
    if len(fields) == 7:
        reported_at = w.time_field(fields[5], "deliver time")
        if code == "0":
            # Sent: the handset's outcome decides (quirk push-seven-field-rows).
            code = _state_code(fields[6], "deliver status")
    return DeliveryReport(
        w.token(number, "number"),
        push_result_status(code),
        code,
        message_id=w.token(message_id, "id"),
        sent_at=w.time_field(when, "time"),
        reported_at=reported_at,
        description=w.opt_text(fields[4], "reason"),
    )


def render_push_row(report: DeliveryReport) -> list[Any]:
    """A pushed report: 7 fields when it has a report time, the document's 5 otherwise."""
    message_id = _check_report(report, "push")
    result = _wire_state(report, push_result_status, "push result")
    if report.description == "":
        raise EncodeError("eims push reason: an empty reason cannot be told from none")
    head = [w.wire_id(message_id), report.mobile, w.wire_time(report.sent_at)]
    reason = report.description or ""
    if report.reported_at is None:
        return [*head, result, reason]
    return [*head, 0, reason, w.wire_time(report.reported_at), result]


def parse_push(raw: bytes) -> tuple[list[DeliveryReport], list[bytes]]:
    """The reports of a push body, and its rows that did not parse.

    §5's message is ``{"type":"report","cnt":N,"array":[...]}``. A body must
    carry the array and say what it is (``type`` "report", the documented
    default, or an integer ``cnt``): any other JSON object, ``{"not":"eims"}``
    say, is not an EIMS push and is a :class:`DecodeError`, never an empty
    batch acknowledged as received.
    """
    obj = w.load_object(raw, "push")
    kind = obj.get("type")
    if kind is not None and kind != "report":
        raise DecodeError(f"eims push of unknown type {kind!r}")
    if "cnt" in obj:
        w.as_int(obj["cnt"], "push cnt")
    elif kind is None:
        raise DecodeError("eims push names neither its type nor its count: not an EIMS push")
    if not isinstance(obj.get("array"), list):
        raise DecodeError("eims push has no array of reports")
    return w.parse_rows(obj["array"], parse_push_row, "push")


# --------------------------------------------------------------------------- replies


#: What MIME-style base64 puts between its characters (quirk base64-line-breaks).
_BASE64_SPACE = str.maketrans("", "", " \t\n\r\v\f")


def _from_base64(text: str) -> bytes:
    """The bytes of base64 ``text``, on one line or in MIME lines; anything else is refused.

    ``a2b_base64`` in strict mode refuses exactly what ``b64decode(validate=True)``
    refuses, without its Python wrapper and its regular expression: a third of a
    ``/getsms`` row. A ``str`` that is not ASCII is a ValueError there.
    """
    try:
        return _a2b_base64(text, strict_mode=True)
    except ValueError:
        compact = text.translate(_BASE64_SPACE)
        if compact == text:
            raise binascii.Error("not base64") from None
    try:
        return _a2b_base64(compact, strict_mode=True)
    except ValueError:
        raise binascii.Error("not base64") from None


_a2b_base64 = binascii.a2b_base64


def parse_inbound(row: Any) -> InboundMessage:
    """``[id, from, to, time, base64 text]`` from ``/getsms``."""
    message_id, sender, destination, when, text = w.row_fields(row, (5,), "reply")
    if not isinstance(text, str):
        raise DecodeError("eims reply text is not a base64 string")
    try:
        content = _from_base64(text).decode("utf-8")
    except (binascii.Error, UnicodeError):
        raise DecodeError("eims reply text is not base64 of UTF-8") from None
    # Hot path: the usual shapes (numbers as strings, the time as a 14-digit number)
    # are taken here; anything else goes through the fields' own checks.
    if not (type(sender) is str and sender):
        sender = w.token(sender, "from")
    if not (type(destination) is str and destination):
        destination = w.token(destination, "to")
    # Arguments by position: keywords cost a dict per row on this hot path.
    return InboundMessage(
        sender,
        content,
        from_compact_number(when) if type(when) is int and when else w.time_field(when, "time"),
        w.token(message_id, "id"),
        destination,
    )


def render_inbound(message: InboundMessage) -> list[Any]:
    """The ``/getsms`` row of ``message``."""
    if message.message_id is None or message.destination is None:
        raise EncodeError("eims reply rows carry an id and a destination; both are required")
    if not message.mobile or not message.destination:
        raise EncodeError("eims reply rows need a non-empty sender and destination")
    data = encode_text(message.content, "utf-8", "reply content")
    return [
        w.wire_id(message.message_id),
        message.mobile,
        message.destination,
        w.wire_time(message.received_at),
        base64.b64encode(data).decode("ascii"),
    ]


def unique_replies(messages: list[InboundMessage]) -> tuple[InboundMessage, ...]:
    """The replies with repeats removed (quirk reply-same-id).

    §4: "若是有收到两条 id 相同的短信，则可认为是重复的接收短信" lets a reader treat
    same-id rows as one reply sent twice; it does not let a different text
    vanish. A repeat is a row that reads the same in every field; rows sharing
    an id but not their content (or sender, time, destination) are all kept.
    """
    if len({m.message_id for m in messages}) == len(messages):
        # No id twice (the usual batch): hashing whole messages would only cost time.
        return tuple(messages)
    return tuple(dict.fromkeys(messages))
