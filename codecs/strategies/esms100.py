"""Strategies for esms100: operations, results, well-formed and broken answers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .. import esms100
from .._chinatime import format_minutes, format_seconds
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

__all__ = ["accounts", "answers", "codecs", "mutated_answers", "operations", "results"]

_TRAITS = esms100.Codec.traits

# Expected values are written out from esms100.txt, never read from the codec's tables
# (issue 17: an expectation derived from the code under test cannot see a wrong entry).

#: §7 "状态报告值为整数（0-未收到状态报告，1-发送成功，2-发送失败）".
_REPORT_STATES = {
    "0": DeliveryStatus.PENDING,
    "1": DeliveryStatus.DELIVERED,
    "2": DeliveryStatus.FAILED,
}

_AUTH, _INVALID, _RATE = ErrorKind.AUTH, ErrorKind.INVALID_REQUEST, ErrorKind.RATE_LIMIT
_CONTENT, _SERVER = ErrorKind.CONTENT_REJECTED, ErrorKind.SERVER
#: 附表 提交返回状态码对照表: the document's text of every code, with the kind and
#: retryability the project gives it.
_DOCUMENT_CODES: dict[str, tuple[str, ErrorKind, bool]] = {
    "-1": ("失败、用户或密码错误", _AUTH, False),
    "-2": ("缺少源号码", _INVALID, False),
    "-3": ("缺少密码", _AUTH, False),
    "-4": ("缺少短信内容", _INVALID, False),
    "-5": ("缺少目标号码", _INVALID, False),
    "-6": ("企业账号登陆失败", _AUTH, False),
    "-7": ("内容过长", _INVALID, False),
    "-8": ("超过单次允许提交号码数量上限", _INVALID, False),
    "-9": ("账户无效或暂停使用", _AUTH, False),
    "-10": ("余额不足", ErrorKind.BALANCE, False),
    "-11": ("含有敏感词句", _CONTENT, False),
    "-12": ("本小时流量到", _RATE, False),
    "-13": ("本日流量到", _RATE, False),
    "-14": ("扩展号错误", _INVALID, False),
    "-15": ("操作频率过快", _RATE, True),
    "-16": ("目标号码不正确", _INVALID, False),
    "-17": ("主机无响应", _SERVER, True),
    "-18": ("不支持 API", _AUTH, False),
    "-19": ("不在发送时间段内", _CONTENT, False),
    "-20": ("发送内容不在模版范围", _CONTENT, False),
    "-110": ("系统错误，请联系业务员", _SERVER, False),
}
_ERROR_CODES = sorted(_DOCUMENT_CODES)


def _error(code: str) -> GatewayError:
    """The refusal ``code`` stands for; a code the table lacks is UNKNOWN."""
    text, kind, retryable = _DOCUMENT_CODES.get(
        code, ("undocumented status code", ErrorKind.UNKNOWN, False)
    )
    return GatewayError(esms100.VENDOR, code, text, kind, retryable)


def codecs() -> st.SearchStrategy[Codec[Any]]:
    return st.builds(
        esms100.Codec,
        charset=st.sampled_from(["gbk", "utf-8"]),
        method=st.sampled_from(["GET", "POST"]),
    )


def accounts() -> st.SearchStrategy[esms100.Account]:
    password = st.text(
        st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=20
    )
    return st.one_of(
        st.builds(esms100.Account, cpid=digits(1, 10), password=password),
        st.builds(
            lambda cpid, h: esms100.Account(cpid, cppwd=h),
            digits(1, 10),
            # Either case: the codec writes the upper case the document asks for.
            st.text("0123456789abcdefABCDEF", min_size=32, max_size=32),
        ),
    )


def send_ops(charset: str, max_mobiles: int = 30) -> st.SearchStrategy[SendSms]:
    return st.builds(
        SendSms,
        mobiles=st.lists(mobiles(), min_size=1, max_size=max_mobiles).map(tuple),
        content=sms_text(charset, max_size=30).filter(lambda t: len(t) <= 134),
    )


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    charset = codec.charset  # type: ignore[attr-defined]
    return st.one_of(
        send_ops(charset),
        st.just(FetchInbound()),
        st.just(QueryBalance()),
        st.just(FetchReports()),
        st.builds(
            esms100.ChangePassword,
            st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=20),
        ),
    )


#: Answers the table lacks: still refusals, of kind UNKNOWN (quirk success-code-zero-only).
_UNDOCUMENTED = ["1", "100", "-21", "-999"]
#: Report codes §7 does not list: UNKNOWN, the code kept.
_UNLISTED_REPORT_CODES = ["3", "9", "-1", "100"]
#: Reply texts ending in '|' or holding '||': framed by the count line (mo-text-separators).
_REPLY_TEXTS = ["a||b", "ends in |", "||", "x|||y", "|"]


def _errors(op: Operation[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(_refusals(op)).map(_error)


def _refusals(op: Operation[Any]) -> list[str]:
    """Codes that refuse ``op``: a positive number is a count or a balance, except
    where "0" alone is success (sends, password changes)."""
    if isinstance(op, (SendSms, esms100.ChangePassword)):
        return _ERROR_CODES + _UNDOCUMENTED
    return _ERROR_CODES + [c for c in _UNDOCUMENTED if c.startswith("-")]


#: '||' then what §5 makes a record head: a time, '##', a phone, '#' (mo-single-hash).
_HEAD_AFTER_BARS = re.compile(
    r"\|\|\s*\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?\s*##\s*\d+\s*#", re.ASCII
)


def _framable(text: str) -> bool:
    return _HEAD_AFTER_BARS.search(text) is None and not text.endswith(("\r", "\n"))


def replies() -> st.SearchStrategy[InboundMessage]:
    content = st.one_of(sms_text("gbk", min_size=0), st.sampled_from(_REPLY_TEXTS)).filter(
        _framable
    )
    return fitted_inbound(
        _TRAITS,
        st.builds(InboundMessage, mobile=mobiles(), content=content, received_at=china_datetimes()),
    )


def reports() -> st.SearchStrategy[DeliveryReport]:
    drawn = st.builds(
        lambda mobile, code, sent_at: DeliveryReport(
            mobile,
            _REPORT_STATES.get(code, DeliveryStatus.UNKNOWN),
            code,
            sent_at=sent_at,
        ),
        mobiles(),
        st.sampled_from(sorted(_REPORT_STATES) * 3 + _UNLISTED_REPORT_CODES),
        china_datetimes(),
    )
    return fitted_reports(_TRAITS, drawn)


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    if isinstance(op, SendSms):
        receipts = tuple(Receipt(m, str(i)) for i, m in enumerate(op.mobiles))
        ok: st.SearchStrategy[Any] = st.just(SendResult(fitted_receipts(_TRAITS, receipts)))
    elif isinstance(op, QueryBalance):
        ok = st.integers(0, 10**12).map(lambda n: Balance(Decimal(n)))
    elif isinstance(op, FetchInbound):
        ok = st.lists(replies(), max_size=8).map(lambda xs: Batch(tuple(xs)))
    elif isinstance(op, FetchReports):
        ok = st.lists(reports(), max_size=8).map(lambda xs: Batch(tuple(xs)))
    else:
        ok = st.none()
    return st.one_of(ok, _errors(op))


def _gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


@st.composite
def _reply_body(draw: st.DrawFn) -> str:
    msgs = draw(st.lists(replies(), min_size=1, max_size=6))
    records = []
    for m in msgs:
        assert m.received_at is not None
        when = draw(st.sampled_from([format_minutes, format_seconds]))(m.received_at)
        # The document's own typo: a single '#' between phone and text.
        sep = draw(st.sampled_from(["##", "##", "#"]))
        records.append(f"{when}##{m.mobile}{sep}{m.content}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    tail = draw(st.sampled_from(["", "\n", "\r\n"]))
    return f"{len(msgs)}{newline}" + "||".join(records) + tail


@st.composite
def _report_body(draw: st.DrawFn) -> str:
    items = draw(st.lists(reports(), min_size=1, max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [str(len(items))]
    for r in items:
        assert r.sent_at is not None
        lines.append(f"{format_seconds(r.sent_at)}||{r.mobile}||{r.code}")
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    error = st.sampled_from(_refusals(op))
    if isinstance(op, FetchInbound):
        ok: st.SearchStrategy[str] = st.one_of(st.sampled_from(["", "0", "0\r\n"]), _reply_body())
    elif isinstance(op, FetchReports):
        ok = st.one_of(st.sampled_from(["0", "0\n"]), _report_body())
    elif isinstance(op, QueryBalance):
        ok = st.integers(0, 10**9).map(str)
    else:
        ok = st.sampled_from(["0", "0\r\n", "0\n"])
    return st.one_of(ok, error).map(_gbk)


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    return mutated_responses(answers(op, codec, account))
