"""Strategies for smscn: operations, results, pushes, well-formed and broken answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .. import smscn
from .._chinatime import format_seconds
from .._codec import Codec
from .._errors import ErrorKind, GatewayError
from .._http import HttpResponse
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
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
    fitted_receipts,
    fitted_reports,
    mobiles,
    mutated_responses,
    sms_text,
)

__all__ = [
    "accounts",
    "answers",
    "codecs",
    "mutated_answers",
    "operations",
    "push_items",
    "replies",
    "reply_text",
    "reports",
    "results",
    "send_ops",
    "send_records",
]

_TRAITS = smscn.Codec.traits
#: §4 状态码 as the document prints them (100 发送成功 is the success), with the kind and
#: retryability a caller should see. Written out, not read from ``smscn.SPEC``: an
#: expectation taken from the codec's own table could never see a wrong entry in it.
_DOCUMENT_STATUS: dict[str, tuple[str, ErrorKind, bool]] = {
    "101": ("验证失败", ErrorKind.AUTH, False),
    "102": ("短信不足", ErrorKind.BALANCE, False),
    "103": ("操作失败", ErrorKind.UNKNOWN, False),
    "104": ("非法字符", ErrorKind.CONTENT_REJECTED, False),
    "105": ("内容过多", ErrorKind.INVALID_REQUEST, False),
    "106": ("号码过多", ErrorKind.INVALID_REQUEST, False),
    "107": ("频率过快", ErrorKind.RATE_LIMIT, True),
    "108": ("号码内容空", ErrorKind.INVALID_REQUEST, False),
    "109": ("账号冻结", ErrorKind.AUTH, False),
    "110": ("禁止频繁单条发送", ErrorKind.RATE_LIMIT, True),
    "112": ("号码错误", ErrorKind.INVALID_REQUEST, False),
    "113": ("定时时间格式不对", ErrorKind.INVALID_REQUEST, False),
    "114": ("账号被锁，10分钟后登录", ErrorKind.AUTH, True),
    "116": ("禁止接口发送", ErrorKind.AUTH, False),
    "117": ("绑定IP不正确", ErrorKind.AUTH, False),
    "120": ("系统升级", ErrorKind.SERVER, True),
}
_ERROR_CODES = sorted(_DOCUMENT_STATUS)
#: §4 "GET 方式每次最多可以提交50条号码".
_MAX_GET = 50
#: Report values: the documented 100, and undocumented ones that must stay ``unknown``
#: (carriers' words with punctuation included).
_REPORT_CODES = ["100", "100", "101", "0", "2", "DELIVRD", "UNDELIV", "MK:0001", "-1"]
#: Send-record status values (§10 defines none).
_RECORD_STATUSES = ["100", "0", "1", "2", "DELIVRD", "DB:0140", "-1"]


def codecs() -> st.SearchStrategy[Codec[Any]]:
    """GBK and UTF-8, each method, and the ``/mtutf8/`` sender."""
    return st.sampled_from(
        [
            smscn.Codec(),
            smscn.Codec(charset="utf-8"),
            smscn.Codec(method="GET"),
            smscn.Codec(method="POST"),
            smscn.Codec(charset="utf-8", method="POST"),
            smscn.Codec(charset="utf-8", mtutf8=True),
        ]
    )


def accounts() -> st.SearchStrategy[smscn.Account]:
    """Accounts built from a password or from an already-hashed ``pwd``; uids in Chinese too."""
    uid = st.text(
        st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=16
    ) | st.sampled_from(["测试", "用户01"])
    password = st.text(
        st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=20
    )
    return st.one_of(
        st.builds(smscn.Account, uid=uid, password=password),
        st.builds(
            lambda u, h: smscn.Account(u, pwd=h),
            uid,
            st.text("0123456789abcdefABCDEF", min_size=32, max_size=32),
        ),
    )


@st.composite
def send_ops(draw: st.DrawFn, charset: str, max_mobiles: int = 60) -> SendSms:
    """Sends of 1 to ``max_mobiles`` numbers (GET up to 50, POST above), ids and extension
    or not."""
    numbers = draw(
        st.one_of(
            st.lists(mobiles(), min_size=1, max_size=min(8, max_mobiles)),
            st.lists(mobiles(), min_size=min(45, max_mobiles), max_size=max_mobiles),
        )
    )
    ids = draw(st.none() | st.lists(digits(1, 22), min_size=len(numbers), max_size=len(numbers)))
    return SendSms(
        tuple(numbers),
        draw(sms_text(charset, max_size=30)),
        extension=draw(st.none() | digits(1, 6)),
        client_ids=None if ids is None else tuple(ids),
    )


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    """Every operation of the codec, sends in its request charset."""
    charset = codec.charset  # type: ignore[attr-defined]
    most = _MAX_GET if codec.method == "GET" else 60  # type: ignore[attr-defined]
    return st.one_of(
        send_ops(charset, most),
        st.just(FetchInbound()),
        st.just(FetchReports()),
        st.just(QueryBalance()),
        st.just(smscn.QuerySentCount()),
        st.builds(
            smscn.QuerySendRecords,
            page=st.none() | st.integers(1, 10**6),
            date=st.none() | st.dates(date(2000, 1, 1), date(2099, 12, 31)),
            mobile=st.none() | mobiles(),
        ),
    )


def _document_error(code: str) -> GatewayError:
    text, kind, retryable = _DOCUMENT_STATUS[code]
    return GatewayError("smscn", code, text, kind, retryable)


def _meaning(code: str) -> DeliveryStatus:
    # §5 prints only 100 (§4's 发送成功): delivered; every other value is unknown, its code
    # kept (quirk report-status-undefined). Written out, not smscn.report_status.
    return DeliveryStatus.DELIVERED if code == "100" else DeliveryStatus.UNKNOWN


def _errors() -> st.SearchStrategy[Any]:
    return st.sampled_from(_ERROR_CODES).map(_document_error)


def reply_text() -> st.SearchStrategy[str]:
    """Reply texts that survive a round trip unchanged (single ``|`` anywhere included).

    ``||`` is not generated: the gateway turns it into ``｜｜`` (a dedicated
    test covers that); ``{&}`` cannot be framed.
    """
    return sms_text("gbk", min_size=0, forbid=("||", "{&}"))


def replies() -> st.SearchStrategy[InboundMessage]:
    """Replies as ``/rx/`` carries them (with a time, maybe a gateway number)."""
    drawn = st.builds(
        InboundMessage,
        mobile=mobiles(),
        content=reply_text(),
        received_at=china_datetimes(),
        destination=st.none() | digits(1, 20),
    )
    return fitted_inbound(_TRAITS, drawn)


def reports() -> st.SearchStrategy[DeliveryReport]:
    """Report lines as ``/st/`` carries them (documented and undocumented status values)."""
    drawn = st.builds(
        lambda mobile, code, client_id, at: DeliveryReport(
            mobile, _meaning(code), code, client_id=client_id, reported_at=at
        ),
        mobiles(),
        st.sampled_from(_REPORT_CODES),
        st.none() | digits(1, 22),
        china_datetimes(),
    )
    return fitted_reports(_TRAITS, drawn)


def _record_text() -> st.SearchStrategy[str]:
    # "|#|" separates records; "#|" first, "|#" last, or a lone "#" (between the
    # two "||" around the text) would make one. "||" inside is read (rd-text-bars).
    return sms_text("gbk", min_size=0, forbid=("|#|",)).filter(
        lambda t: t != "#" and not t.startswith("#|") and not t.endswith("|#")
    )


def send_records() -> st.SearchStrategy[smscn.SendRecords]:
    """Pages of the ``/rd/`` send log."""
    record = st.builds(
        smscn.SendRecord,
        sent_at=china_datetimes(),
        mobile=mobiles(),
        content=_record_text(),
        status=st.sampled_from(_RECORD_STATUSES),
    )
    return st.builds(
        lambda total, records, pages: smscn.SendRecords(
            total + len(records), len(records), pages, tuple(records)
        ),
        st.integers(0, 10**6),
        st.lists(record, max_size=6),
        st.integers(0, 10**4),
    )


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    """Results the server role can render for ``op``, or one of the table's refusals."""
    if isinstance(op, SendSms):
        ids = op.client_ids or (None,) * len(op.mobiles)
        receipts = tuple(
            Receipt(m, str(i), c) for i, (m, c) in enumerate(zip(op.mobiles, ids, strict=True))
        )
        ok: st.SearchStrategy[Any] = st.just(SendResult(fitted_receipts(_TRAITS, receipts)))
    elif isinstance(op, QueryBalance):
        ok = st.integers(0, 10**12).map(lambda n: Balance(Decimal(n)))
    elif isinstance(op, smscn.QuerySentCount):
        ok = st.integers(0, 10**12)
    elif isinstance(op, FetchInbound):
        ok = st.lists(replies(), max_size=6).map(lambda xs: Batch(tuple(xs)))
    elif isinstance(op, FetchReports):
        ok = st.lists(reports(), max_size=8).map(lambda xs: Batch(tuple(xs)))
    else:
        ok = send_records()
    return st.one_of(ok, _errors())


def push_items() -> st.SearchStrategy[DeliveryReport | InboundMessage]:
    """What the gateway pushes: a status report or a reply (any GBK text, separators included)."""
    pushed_report = st.builds(
        lambda mobile, code, client_id: DeliveryReport(
            mobile, _meaning(code), code, client_id=client_id
        ),
        mobiles(),
        st.sampled_from(_REPORT_CODES),
        st.none() | digits(1, 22),
    )
    pushed_reply = st.builds(
        InboundMessage,
        mobile=mobiles(),
        content=sms_text("gbk", min_size=0),
        received_at=st.none() | china_datetimes(),
    )
    return st.one_of(
        fitted_reports(_TRAITS, pushed_report, pushed=True),
        fitted_inbound(_TRAITS, pushed_reply, pushed=True),
    )


def _gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (("Content-Type", "text/plain"),), text.encode("gbk"))


def _error_body(code: str) -> str:
    return f"sms&stat={code}&message={_DOCUMENT_STATUS[code][0]}"


@st.composite
def _report_body(draw: st.DrawFn) -> str:
    lines = []
    for r in draw(st.lists(reports(), min_size=1, max_size=8)):
        assert r.reported_at is not None
        space = draw(st.sampled_from([" ", ""]))  # quirk report-time-space
        lines.append(
            f"{r.mobile},{r.code},{r.client_id or ''},{space}{format_seconds(r.reported_at)}"
        )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


@st.composite
def _reply_body(draw: st.DrawFn) -> str:
    separator = draw(st.sampled_from(["{&}", "<&>"]))  # quirk rx-alternative-separator
    records = ["100"]
    for m in draw(st.lists(replies(), min_size=1, max_size=6)):
        assert m.received_at is not None
        if separator in m.content:
            continue
        when = format_seconds(m.received_at)
        records.append(f"{m.mobile}||{m.content}||{when}||{m.destination or ''}")
    return separator.join(records) + draw(st.sampled_from(["", "\r\n"]))


@st.composite
def _records_body(draw: st.DrawFn) -> str:
    result = draw(send_records())
    parts = [f"{result.total}||{result.count}||{result.pages}"]
    parts += [
        f"{format_seconds(r.sent_at)}||{r.mobile}||{r.content}||{r.status}" for r in result.records
    ]
    return "|#|".join(parts)


def _after_status(body: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Quirk status-line-before-records: a success line, then the batch.
    line = st.sampled_from(["sms&stat=100&message=发送成功\n", "sms&stat=100&message=成功\r\n"])
    return st.tuples(line, body).map("".join)


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Well-formed GBK answers to ``op``, the documented variants included."""
    error = st.sampled_from(_ERROR_CODES).map(_error_body)
    if isinstance(op, FetchReports):
        ok: st.SearchStrategy[str] = st.one_of(
            st.sampled_from(["", "\r\n"]), _report_body(), _after_status(_report_body())
        )
    elif isinstance(op, FetchInbound):
        ok = st.one_of(
            st.sampled_from(["", "100", "100{&}"]),
            _reply_body(),
            _after_status(_reply_body()),
            st.just("101"),
        )
    elif isinstance(op, smscn.QuerySendRecords):
        ok = st.one_of(st.just(""), _records_body(), _after_status(_records_body()))
    elif isinstance(op, (QueryBalance, smscn.QuerySentCount)):
        ok = st.integers(0, 10**9).map(lambda n: f"sms&stat=100&remain={n}")
    else:
        ok = st.sampled_from(["sms&stat=100&message=发送成功", "sms&stat=100&message=发送成功\r\n"])
    return st.one_of(ok, error).map(_gbk)


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Broken answers to ``op``: truncated, spliced, byte-flipped, wrongly encoded."""
    return mutated_responses(answers(op, codec, account))
