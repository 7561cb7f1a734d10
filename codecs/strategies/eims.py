"""Strategies for EIMS: operations, results, well-formed and broken JSON answers.

Answers vary the way the gateway and its document do: numbers and ids as JSON
integers or strings (leading zeros lost when integers), 14-digit times as
numbers or strings, blanks after commas, the document's typographic quotes,
duplicated reply rows, replies sharing an id, base64 texts of any Unicode on
one line or in MIME lines, and report states the document does not list.
Broken answers add the JSON pathologies a decoder must survive: numbers past
any exponent, integers past the digit limit, ``NaN``/``Infinity`` and nesting
past the recursion limit.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from typing import Any

import attrs
from hypothesis import strategies as st

from .. import eims
from .._chinatime import format_compact
from .._codec import Codec
from .._http import HttpResponse
from .._models import (
    Balance,
    BalanceUnit,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    InboundMessage,
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
)
from . import (
    china_datetimes,
    digits,
    fitted_inbound,
    fitted_reports,
    mobiles,
    mutated_responses,
    sms_text,
)

__all__ = [
    "JSON_PATHOLOGIES",
    "accounts",
    "answers",
    "codecs",
    "inbound_messages",
    "mutated_answers",
    "operations",
    "push_reports",
    "report_rows",
    "results",
]

_SPEC = eims.SPEC
_TRAITS = eims.Codec.traits
#: §2 输出参数 status: "-1：认证错误" … "-13；用户被锁定" (written out, not read from the spec:
#: a strategy's expectations may not come from the tables of the code under test).
_ERROR_CODES = ("-1", "-10", "-11", "-12", "-13", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9")
_COUNTERS = ("success", "fail", "unsent", "sending", "nofound")
#: "HTTP 头参数“Content-Type”的值为“application/json;charset=utf-8”".
_HEADERS = (("Content-Type", "application/json;charset=utf-8"),)
#: §3 "状态：0发送成功，1：未发送，2：正在发送， 非 012 发送失败".
_REPORT_STATES = {
    "0": DeliveryStatus.DELIVERED,
    "1": DeliveryStatus.PENDING,
    "2": DeliveryStatus.PENDING,
}
#: §3 状态编码 table, for the codes _STATES draws (英文描述, as the document spells it).
_REASON_NAMES = {
    "0": "success",
    "1001": "NoRoute",
    "1013": "Daliy Limit",
    "1023": "RouteMccMncLimit",
}
#: Report states: documented ones, table reasons, an undocumented reason, odd values,
#: and text no document lists (read as UNKNOWN, the code kept).
_STATES = ("0", "1", "2", "3", "1001", "1013", "1015", "1023", "-1", "99", "DELIVRD", "UNDELIV")


def _is_integer(code: str) -> bool:
    return code.lstrip("-").isdigit()


def _report_status(code: str) -> DeliveryStatus:
    # §3 "状态：0发送成功，1：未发送，2：正在发送， 非 012 发送失败"; text states are UNKNOWN.
    if not _is_integer(code):
        return DeliveryStatus.UNKNOWN
    return _REPORT_STATES.get(code, DeliveryStatus.FAILED)


def _push_status(code: str) -> DeliveryStatus:
    # §5 "发送结果（整形，0成功，非 0则失败）"; text results are UNKNOWN.
    if not _is_integer(code):
        return DeliveryStatus.UNKNOWN
    return DeliveryStatus.DELIVERED if code == "0" else DeliveryStatus.FAILED


def codecs() -> st.SearchStrategy[Codec[Any]]:
    return st.sampled_from(
        [
            eims.Codec(),
            eims.Codec(version="1.0"),
            eims.Codec(method="POST"),
            eims.Codec(method="GET", version="1.1"),
        ]
    )


def _texts(max_size: int = 12, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        min_size=min_size,
        max_size=max_size,
    )


def accounts() -> st.SearchStrategy[eims.Account]:
    return st.builds(
        eims.Account,
        account=st.one_of(st.text("abcdefxyz0123456789_", min_size=1, max_size=12), _texts()),
        password=_texts(min_size=0),
        key=st.one_of(st.none(), _texts()),
    )


def _mobile_lists(limit: int) -> st.SearchStrategy[tuple[str, ...]]:
    small = st.lists(mobiles(), min_size=1, max_size=12)
    if limit <= 100:
        return small.map(tuple)
    # Past 100 numbers an "auto" codec switches from GET to POST.
    return st.one_of(small, small, st.lists(mobiles(), min_size=101, max_size=104)).map(tuple)


def _send_at() -> st.SearchStrategy[datetime | None]:
    return st.one_of(st.none(), china_datetimes())


def _content() -> st.SearchStrategy[str]:
    return sms_text("utf-8", max_size=30).filter(lambda t: len(t) <= 1024)


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    limit = 100 if getattr(codec, "method", "auto") == "GET" else 10000
    message = st.builds(
        eims.SendMessage,
        mobiles=_mobile_lists(limit),
        content=_content(),
        sms_type=st.sampled_from([0, 1]),
        mms_title=st.one_of(st.none(), sms_text("utf-8", max_size=8)),
        sender=st.one_of(st.none(), digits(1, 12), sms_text("utf-8", max_size=6)),
        send_at=_send_at(),
    ).filter(lambda m: not m.is_plain)
    return st.one_of(
        st.builds(SendSms, mobiles=_mobile_lists(limit), content=_content(), send_at=_send_at()),
        message,
        st.just(QueryBalance()),
        st.builds(eims.QueryReports, st.lists(digits(1, 12), min_size=1, max_size=20)),
        st.builds(FetchInbound, since=st.one_of(st.none(), china_datetimes())),
    )


def report_rows() -> st.SearchStrategy[DeliveryReport]:
    """Reports as ``/getreport`` carries them (the traits describe the code from its table)."""
    drawn = st.builds(
        lambda code, mobile, message_id, sent_at: DeliveryReport(
            mobile, _report_status(code), code, message_id=message_id, sent_at=sent_at
        ),
        st.sampled_from(_STATES),
        mobiles(),
        digits(1, 12),
        st.one_of(st.none(), china_datetimes()),
    )
    # The traits would describe the code from the codec's own table; the document's is used.
    return fitted_reports(_TRAITS, drawn).map(
        lambda r: attrs.evolve(r, description=_REASON_NAMES.get(r.code))
    )


def push_reports() -> st.SearchStrategy[DeliveryReport]:
    """Reports as pushes carry them: 5-field rows, and 7-field ones when ``reported_at`` is set."""
    return st.builds(
        lambda code, mobile, message_id, sent_at, reported_at, reason: DeliveryReport(
            mobile,
            _push_status(code),
            code,
            message_id=message_id,
            sent_at=sent_at,
            reported_at=reported_at,
            description=reason,
        ),
        st.sampled_from(_STATES),
        mobiles(),
        digits(1, 12),
        st.one_of(st.none(), china_datetimes()),
        st.one_of(st.none(), china_datetimes()),
        st.one_of(st.none(), st.sampled_from(["success", "no balance", "DELIVRD"]), _texts()),
    )


def _replies_sharing_ids() -> st.SearchStrategy[InboundMessage]:
    return st.one_of(
        inbound_messages(),
        inbound_messages().map(lambda m: attrs.evolve(m, message_id="7")),
    )


def inbound_messages() -> st.SearchStrategy[InboundMessage]:
    drawn = st.builds(
        InboundMessage,
        mobile=mobiles(),
        content=st.one_of(sms_text(None, min_size=0), _texts(40, 0)),
        received_at=st.one_of(st.none(), china_datetimes()),
        message_id=digits(1, 12),
        destination=digits(1, 12),
    )
    return fitted_inbound(_TRAITS, drawn)


@st.composite
def _send_result(draw: st.DrawFn, op: Any) -> SendResult:
    chosen = draw(st.lists(st.booleans(), min_size=len(op.mobiles), max_size=len(op.mobiles)))
    accepted = [m for m, keep in zip(op.mobiles, chosen, strict=True) if keep]
    ids = draw(st.lists(digits(1, 12), min_size=len(accepted), max_size=len(accepted)))
    receipts = tuple(Receipt(m, i) for m, i in zip(accepted, ids, strict=True))
    return SendResult(receipts, len(op.mobiles) - len(accepted))


def _money() -> st.SearchStrategy[Any]:
    return st.decimals(allow_nan=False, allow_infinity=False)


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    ok: st.SearchStrategy[Any]
    if isinstance(op, (SendSms, eims.SendMessage)):
        ok = _send_result(op)
    elif isinstance(op, QueryBalance):
        ok = st.builds(
            Balance, _money(), st.just(BalanceUnit.MONEY), st.one_of(st.none(), _money())
        )
    elif isinstance(op, eims.QueryReports):
        count = st.integers(0, 10**6)
        ok = st.builds(
            eims.ReportQuery,
            count,
            count,
            count,
            count,
            count,
            st.lists(report_rows(), max_size=8).map(lambda xs: Batch(tuple(xs))),
        )
    else:
        # Replies may share an id; only a reply repeated whole is one reply (§4).
        ok = st.lists(_replies_sharing_ids(), max_size=8, unique=True).map(
            lambda xs: Batch(tuple(xs))
        )
    return st.one_of(ok, st.sampled_from(_ERROR_CODES).map(_SPEC.error))


# --------------------------------------------------------------------------- raw answers


def _token(draw: st.DrawFn, value: str) -> str:
    """A number or id as the gateway may write it: a JSON string or integer."""
    if draw(st.booleans()):
        return json.dumps(value, ensure_ascii=False)
    return str(int(value))


def _time(draw: st.DrawFn, value: datetime | None) -> str:
    if value is None:
        return "0"
    text = format_compact(value)
    return draw(st.sampled_from([text, f'"{text}"']))


def _join(draw: st.DrawFn, parts: list[str]) -> str:
    return draw(st.sampled_from([",", ", "])).join(parts)


@st.composite
def _body(draw: st.DrawFn, op: Any) -> str:
    status = draw(st.sampled_from(['"status":0', '"status":"0"', "“status”:0"]))
    if isinstance(op, QueryBalance):
        amount = draw(_money().filter(lambda d: d.is_finite()))
        text = str(amount)
        value = draw(st.sampled_from([f'"{text}"', text]))
        gift = draw(st.one_of(st.just(""), _money().map(lambda d: f', "gift":"{d}"')))
        return f'{{{status}, "balance":{value}{gift}}}'
    if isinstance(op, (SendSms, eims.SendMessage)):
        result = draw(_send_result(op))
        rows = [
            f"[{_token(draw, r.mobile or '0')},{_token(draw, r.message_id or '0')}]"
            for r in result.receipts
        ]
        fields = [status, f'"success":{len(rows)}', f'"fail":{result.failed}']
        return "{" + _join(draw, [*fields, f'"array":[{_join(draw, rows)}]']) + "}"
    if isinstance(op, eims.QueryReports):
        rows = []
        for r in draw(st.lists(report_rows(), max_size=6)):
            quoted = json.dumps(r.code)
            state = draw(st.sampled_from([r.code, quoted])) if _is_integer(r.code) else quoted
            fields = [_token(draw, r.message_id or "0"), json.dumps(r.mobile)]
            rows.append("[" + _join(draw, [*fields, _time(draw, r.sent_at), state]) + "]")
        counts = [f'"{k}":{draw(st.integers(0, 99))}' for k in _COUNTERS]
        return "{" + _join(draw, [status, *counts, f'"array":[{_join(draw, rows)}]']) + "}"
    rows = []
    for m in draw(st.lists(inbound_messages(), max_size=6)):
        data = m.content.encode("utf-8")
        # One line, or MIME lines of 76 characters (base64.encodebytes), "\n" escaped in JSON.
        encode = draw(st.sampled_from([base64.b64encode, base64.encodebytes]))
        text = json.dumps(encode(data).decode("ascii"))
        fields = [_token(draw, m.message_id or "0"), json.dumps(m.mobile), f'"{m.destination}"']
        row = "[" + _join(draw, [*fields, _time(draw, m.received_at), text]) + "]"
        # §4: the same reply may come twice; both copies are well formed.
        rows.extend([row] * draw(st.sampled_from([1, 1, 2])))
    return "{" + _join(draw, [status, f'"cnt":{len(rows)}', f'"array":[{_join(draw, rows)}]']) + "}"


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    error = st.sampled_from(_ERROR_CODES).map(lambda code: f'{{"status":{code}}}')
    body = st.one_of(_body(op), _body(op), error)
    return body.map(lambda text: HttpResponse(200, _HEADERS, text.encode("utf-8")))


#: JSON a decoder must refuse without a traceback (issue 11 item 17).
JSON_PATHOLOGIES: tuple[str, ...] = (
    "1e999999999999999999999",
    "-1E-999999999999999999999",
    '"1e999999999999999999999"',
    "9" * 5000,
    '"' + "9" * 5000 + '"',
    "NaN",
    "Infinity",
    "-Infinity",
    '"--5"',
    '"²"',
    "true",
    "[" * 100_000 + "]" * 100_000,
    "[" * 100_000,
    '"\\ud800"',
)

#: Where a value starts in a well-formed answer: after a ':' or ',' or '['.
_VALUE_START = re.compile(rb"(?<=[:,\[])\s*(?=[-0-9\"\[tfn])")


@st.composite
def _pathological(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` with one of its values replaced by a JSON pathology."""
    starts = [m.end() for m in _VALUE_START.finditer(body)]
    token = draw(st.sampled_from(JSON_PATHOLOGIES)).encode("utf-8")
    if not starts:
        return token
    at = draw(st.sampled_from(starts))
    end = re.match(rb'"(?:[^"\\]|\\.)*"|[^,\]}]*', body[at:])
    return body[:at] + token + body[at + (end.end() if end else 0) :]


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Broken answers: the shared mutations, and JSON pathologies spliced in for a value."""
    real = answers(op, codec, account)
    spliced = real.flatmap(
        lambda r: _pathological(r.body).map(lambda b: HttpResponse(r.status, r.headers, b))
    )
    return st.one_of(mutated_responses(real), spliced)
