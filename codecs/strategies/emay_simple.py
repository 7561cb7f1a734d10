"""Strategies for Emay's simple interface (``"emay-simple"``) and its plain pushes.

Answers come in canonical JSON and in the document's own typography (curly
quotes, full-width commas, ``"receiveTime "``, ``balance`` beside ``code``).
:class:`~smswire.codecs.emay.RetrieveReport` is not among :func:`operations`:
its window must lie within 30 days before the request's stamp, which the
vendor-generic tests draw independently; :func:`retrieve_reports` draws one
for a given stamp.
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from decimal import Decimal
from typing import Any, cast

from hypothesis import strategies as st

from .. import emay
from .._codec import Codec
from .._errors import GatewayError
from .._http import HttpRequest, HttpResponse
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from ..emay import _push
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
    "accounts",
    "answers",
    "codecs",
    "inbound_messages",
    "mutated_answers",
    "operations",
    "push_batches",
    "push_requests",
    "reports",
    "results",
    "retrieve_reports",
]

_SPEC = emay.SimpleCodec.spec
_TRAITS = emay.SimpleCodec.traits
#: §3 接口状态码表, every code but SUCCESS, as the document lists them (not the spec's table:
#: a strategy's expectation may not come from what the codec reads).
_ERROR_CODES = [
    "ERROR_APPID", "ERROR_NO_VOICE_SERVICE", "ERROR_ENCRYPTION", "ERROR_PARAMS",
    "ERROR_REQUEST_NO_VALID", "ERROR_CLIENT_IP", "ERROR_OVER_SPEED", "ERROR_MOBILE_EMPTY",
    "ERROR_MOBILE_NUMBER", "ERROR_MOBILE_ERROR", "ERROR_CONTENT_EMPTY", "ERROR_SMS_TIME",
    "ERROR_CUSTOM_SMSID", "ERROR_EXTENDED_CODE", "ERROR_LONG_CONTENT", "ERROR_VOICE_CONTENT",
    "ERROR_BALANCE", "ERROR_TIMESTAMP", "ERROR_SIGN", "ERROR_NO_RETRIEVE_SERVICE",
    "ERROR_REPORT_TIME", "ERROR_TOO_MUCH_SMSIDS",
]  # fmt: skip
_FAILED = DeliveryStatus.FAILED
#: §4 状态报告状态码表, written out here (not read from the codec's table): DELIVRD 成功;
#: TIMEOUT 运营商状态报告超时 says nothing of the message (unknown); every FAIL_… failed.
#: The carrier codes §4 refers to (《运营商状态错误码.doc》) are outside the table: unknown,
#: their code kept.
_STATES: dict[str, DeliveryStatus] = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "TIMEOUT": DeliveryStatus.UNKNOWN,
    "FAIL_BALANCE": _FAILED, "FAIL_MOBILE": _FAILED, "FAIL_MOBILE_SUPPORT": _FAILED,
    "FAIL_MOBILE_REPEAT": _FAILED, "FAIL_AUDITING_REFUSED": _FAILED, "FAIL_BLACK_LIST": _FAILED,
    "FAIL_BLACK_DICT": _FAILED, "FAIL_UNSUBSCRIBE": _FAILED, "FAIL_WHITE_LIST": _FAILED,
    "FAIL_INTERCEPT": _FAILED, "FAIL_SIGN": _FAILED, "FAIL_SEND_FILTER": _FAILED,
    "FAIL_RESPONSE": _FAILED, "FAIL_UNKNOW": _FAILED,
    "UNDELIV": DeliveryStatus.UNKNOWN, "MK:0001": DeliveryStatus.UNKNOWN,
    "ID:0076": DeliveryStatus.UNKNOWN, "EXPIRED": DeliveryStatus.UNKNOWN,
}  # fmt: skip
_ID_CHARS = "0123456789abcdefABCDEF-_"
_CHINA = timezone(timedelta(hours=8))
#: getReport/getMo number "最多 500个，默认 500个".
_FETCH_NUMBER = 500


def codecs() -> st.SearchStrategy[Codec[Any]]:
    """The simple codec (it has no wire options)."""
    codec: Codec[Any] = cast(Codec[Any], emay.SimpleCodec())
    return st.just(codec)


def accounts() -> st.SearchStrategy[emay.Account]:
    """Accounts with ``EUCP-EMY-…`` appIds and ASCII keys of any length.

    The simple interface only hashes the key (``md5(appId+secretKey+timestamp)``):
    unlike the secure interface it takes keys that are no AES key.
    """
    key = st.text(st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=40)
    app_id = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8).map(
        lambda s: f"EUCP-EMY-{s}"
    )
    return st.builds(emay.Account, app_id=app_id, secret_key=key)


def _client_id() -> st.SearchStrategy[str]:
    return st.text(_ID_CHARS, min_size=1, max_size=32)


@st.composite
def _send(draw: st.DrawFn) -> SendSms:
    numbers = tuple(draw(st.lists(mobiles(), min_size=1, max_size=12)))
    shared = draw(st.none() | _client_id())
    return SendSms(
        numbers,
        draw(sms_text("utf-8", max_size=30)),
        extension=draw(st.none() | digits(1, 12)),
        client_ids=None if shared is None else (shared,) * len(numbers),
    )


@st.composite
def _personalized(draw: st.DrawFn) -> SendPersonalized:
    numbers = draw(st.lists(mobiles(), min_size=1, max_size=8, unique=True))
    shared = draw(st.none() | _client_id())
    messages = [
        PersonalizedMessage(m, draw(sms_text("utf-8", max_size=20)), shared) for m in numbers
    ]
    return SendPersonalized(
        tuple(messages),
        extension=draw(st.none() | digits(1, 12)),
    )


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    """The simple interface's operations within its limits (not RetrieveReport: see above).

    No schedule: ``timerTime`` must lie within 90 days of the stamp, unknown here.
    """
    return st.one_of(
        _send(),
        _personalized(),
        st.just(FetchReports()),
        st.builds(emay.FetchReportsUpTo, st.integers(1, _FETCH_NUMBER)),
        st.just(FetchInbound()),
        st.builds(emay.FetchInboundUpTo, st.integers(1, _FETCH_NUMBER)),
        st.just(QueryBalance()),
    )


@st.composite
def retrieve_reports(draw: st.DrawFn, stamp: Stamp) -> emay.RetrieveReport:
    """A :class:`RetrieveReport` whose window ``stamp`` accepts."""
    now = stamp.now.replace(microsecond=0)
    end = now - timedelta(seconds=draw(st.integers(0, 29 * 86400)))
    span = timedelta(seconds=draw(st.integers(1, 600)))
    ids = draw(st.lists(digits(1, 20), max_size=5))
    return emay.RetrieveReport(end - span, end, tuple(ids))


def _optional_text() -> st.SearchStrategy[str | None]:
    return st.none() | sms_text("utf-8", max_size=8)


def reports(*, pushed: bool = False) -> st.SearchStrategy[DeliveryReport]:
    """Reports the wire carries (``pushed``: its pushes): both times, absent ids as ``None``."""
    drawn = st.builds(
        lambda mobile, state, msg_id, client_id, sent, got, desc, ext: DeliveryReport(
            mobile, _STATES[state], state, msg_id, client_id, sent, got, desc, ext
        ),
        mobiles(),
        st.sampled_from(sorted(_STATES)),
        st.none() | digits(1, 20),
        st.none() | _client_id(),
        china_datetimes(),
        china_datetimes(),
        _optional_text(),
        st.none() | digits(1, 12),
    )
    return fitted_reports(_TRAITS, drawn, pushed=pushed)


def inbound_messages(*, pushed: bool = False) -> st.SearchStrategy[InboundMessage]:
    """Replies as getMo (``pushed``: the pushes) carries them."""
    drawn = st.builds(
        InboundMessage,
        mobile=mobiles(),
        content=sms_text("utf-8", min_size=0, max_size=20),
        received_at=china_datetimes(),
        destination=st.none() | digits(1, 12),
    )
    return fitted_inbound(_TRAITS, drawn, pushed=pushed)


def push_batches() -> st.SearchStrategy[Batch[_push.PushItem]]:
    """Batches a push can carry: reports, replies or both."""
    item = st.one_of(reports(pushed=True), inbound_messages(pushed=True))
    items = st.lists(item, min_size=1, max_size=6)
    return items.map(lambda xs: Batch(tuple(xs)))


def _errors() -> st.SearchStrategy[GatewayError]:
    return st.sampled_from(_ERROR_CODES).map(_SPEC.error)


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    """Results the server role renders for ``op``, or refusals from the status table."""
    ok: st.SearchStrategy[Any]
    if isinstance(op, SendSms):
        ids = op.client_ids or (None,) * len(op.mobiles)
        ok = st.lists(
            st.none() | digits(10, 20), min_size=len(op.mobiles), max_size=len(op.mobiles)
        ).map(lambda sms: SendResult(tuple(map(Receipt, op.mobiles, sms, ids))))
    elif isinstance(op, SendPersonalized):
        ok = st.lists(digits(10, 20), min_size=len(op.messages), max_size=len(op.messages)).map(
            lambda sms: SendResult(
                tuple(
                    Receipt(m.mobile, s, m.client_id) for m, s in zip(op.messages, sms, strict=True)
                )
            )
        )
    elif isinstance(op, FetchReports | emay.FetchReportsUpTo):
        ok = st.lists(reports(), max_size=6).map(lambda xs: Batch(tuple(xs)))
    elif isinstance(op, FetchInbound | emay.FetchInboundUpTo):
        ok = st.lists(inbound_messages(), max_size=6).map(lambda xs: Batch(tuple(xs)))
    elif isinstance(op, QueryBalance):
        ok = st.integers(0, 10**12).map(lambda n: Balance(Decimal(n)))
    elif isinstance(op, emay.RetrieveReport):
        ok = st.none()
    else:
        ok = st.nothing()
    return st.one_of(ok, _errors())


# --------------------------------------------------------------------------- typography


@st.composite
def _typeset(draw: st.DrawFn, value: Any) -> str:
    """``value`` as the document prints JSON: curly-quoted keys, full-width commas, blanks."""
    if isinstance(value, dict):
        members = []
        for name, item in value.items():
            key = name
            if name == "receiveTime":
                key = draw(st.sampled_from(["receiveTime", "receiveTime "]))
            left, right = draw(
                st.sampled_from([('"', '"'), ("\u201c", "\u201d"), ("\u201d", "\u201d")])
            )
            colon = draw(st.sampled_from([":", " : "]))
            members.append(f"{left}{key}{right}{colon}{draw(_typeset(item))}")
        comma = draw(st.sampled_from([",", "\uff0c", ",\n     "]))
        return "{\n" + comma.join(members) + "\n}"
    if isinstance(value, list):
        return "[" + ",".join(draw(_typeset(item)) for item in value) + "]"
    if isinstance(value, str) and value.isascii() and value.isalnum():
        left, right = draw(st.sampled_from([('"', '"'), ("\u201c", "\u201d")]))
        return f"{left}{value}{right}"
    return json.dumps(value, ensure_ascii=False)


def _seconds(value: Any) -> str:
    # §2.2.3 "格式：yyyy-MM-dd HH:mm:ss", China time.
    return str(value.astimezone(_CHINA).strftime("%Y-%m-%d %H:%M:%S"))


def _document(result: Any) -> Any:
    """The JSON ``data`` of a SUCCESS answer, laid out as the document's examples are
    (§2.2.1-§2.2.5), written here rather than by the codec's server role."""
    if isinstance(result, SendResult):
        return [
            {"mobile": r.mobile, "smsId": r.message_id, "customSmsId": r.client_id}
            for r in result.receipts
        ]
    if isinstance(result, Balance):
        return {"balance": int(result.amount)}
    return [_record(item) for item in result.items]


def _record(item: DeliveryReport | InboundMessage) -> dict[str, Any]:
    record: dict[str, Any]
    if isinstance(item, DeliveryReport):
        record = {
            "mobile": item.mobile,
            "smsId": item.message_id,
            "customSmsId": item.client_id,
            "state": item.code,
            "desc": item.description,
            "receiveTime": _seconds(item.reported_at),
            "submitTime": _seconds(item.sent_at),
        }
        extension = item.extension
    else:
        record = {
            "mobile": item.mobile,
            "content": item.content,
            "moTime": _seconds(item.received_at),
        }
        extension = item.destination
    if extension is not None:
        record["extendedCode"] = extension
    return record


_JSON = (("Content-Type", "application/json; charset=UTF-8"),)
_TEXT = (("Content-Type", "text/plain; charset=UTF-8"),)


@st.composite
def _answer(draw: st.DrawFn, op: Operation[Any]) -> HttpResponse:
    result = draw(results(op))
    if isinstance(op, emay.RetrieveReport):
        # §2.4.2.2 "成功返回：SUCCESS / 失败返回：errorCode".
        text = result.code if isinstance(result, GatewayError) else "SUCCESS"
        return HttpResponse(200, _TEXT, text.encode("ascii"))
    if isinstance(result, GatewayError):
        document: dict[str, Any] = {"code": result.code}
    else:
        document = {"code": "SUCCESS", "data": _document(result)}
    if not draw(st.booleans()):
        return HttpResponse(200, _JSON, json.dumps(document, ensure_ascii=False).encode("utf-8"))
    if isinstance(op, QueryBalance) and "data" in document and draw(st.booleans()):
        # Quirk simple-fields-beside-code.
        document = {"code": document["code"], "balance": document["data"]["balance"]}
    if draw(st.booleans()) and "data" in document and document["data"] == []:
        document["data"] = None
    return HttpResponse(200, _JSON, draw(_typeset(document)).encode("utf-8"))


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Well-formed answers to ``op``: canonical JSON and the document's typography."""
    return _answer(op)


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Broken answers to ``op``: truncated, spliced, byte-flipped, wrongly encoded."""
    return mutated_responses(answers(op, codec, account))


def push_requests(account: emay.Account, *, encrypted: bool) -> st.SearchStrategy[HttpRequest]:
    """Pushes the gateway would send ``account`` (plain or encrypted)."""
    return push_batches().flatmap(
        lambda batch: st.sampled_from(_push.encode_push(batch, account, encrypted=encrypted))
    )
