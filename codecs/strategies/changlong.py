"""Strategies for changlong (112088.net): operations, results, well-formed and broken answers.

Answers are decoded in the codec's charset, but :func:`answers` does not know
which codec will read them, so its record texts are ASCII (separators and
all); Chinese, GBK-only and non-GBK texts go through :func:`operations` and
:func:`results`, which the codec itself encodes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .. import changlong
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
    EDGE_TOKENS,
    china_datetimes,
    digits,
    fitted_inbound,
    fitted_reports,
    mobiles,
    mutated_responses,
    sms_text,
)

__all__ = ["accounts", "answers", "codecs", "mutated_answers", "operations", "results"]

_TRAITS = changlong.Codec.traits

# Expected values are written out from changlong.txt, never read from the codec's tables
# (issue 17: an expectation derived from the code under test cannot see a wrong entry).

#: 1.1.1 "-8 短信内容长度超过规定最大字符长度 335 个字符".
_MAX_CHARS = 335

#: 1.1.2 "(状态报告值为整数，分别表示的含义为：-1-- 未收到状态报告；10—发送成功；20—发送失败)".
_REPORT_STATES = {
    "-1": DeliveryStatus.PENDING,
    "10": DeliveryStatus.DELIVERED,
    "20": DeliveryStatus.FAILED,
}

_AUTH, _INVALID, _BUSY = ErrorKind.AUTH, ErrorKind.INVALID_REQUEST, ErrorKind.SERVER
#: Each endpoint's 返回结果 table: the document's text of every code, with the kind and
#: retryability the project gives it.
_DOCUMENT_CODES: dict[str, dict[str, tuple[str, ErrorKind, bool]]] = {
    "send": {
        "-1": ("缺少接收的目标号码", _INVALID, False),
        "-2": ("缺少短信内容", _INVALID, False),
        "-3": ("短信内容非法，含有禁发关键词", ErrorKind.CONTENT_REJECTED, False),
        "-4": ("每次请求条数大于最大允许条数 100 条", _INVALID, False),
        "-7": ("用户登入信息验证失败(一般为密码错误)", _AUTH, False),
        "-8": ("短信内容长度超过规定最大字符长度 335 个字符", _INVALID, False),
        "-9": ("帐户当前余额不足发送本次请求的条数", ErrorKind.BALANCE, False),
        "-10": ("帐号已被锁定", _AUTH, False),
        "-99": ("系统忙，无法受理此次请求", _BUSY, True),
    },
    "reports": {
        "-1": ("用户不存在", _AUTH, False),
        "-3": ("系统忙，请稍候再试", _BUSY, True),
        "-7": ("帐号登录验证失败", _AUTH, False),
    },
    "inbound": {
        "-1": ("用户不存在", _AUTH, False),
        "-3": ("系统忙，请稍候再试", _BUSY, True),
        "-7": ("帐号登录验证失败", _AUTH, False),
    },
    "balance": {
        "-1": ("帐户不存在", _AUTH, False),
        "-7": ("用户登入信息验证失败", _AUTH, False),
    },
}


def _error(scope: str, code: str, detail: str | None = None) -> GatewayError:
    text, kind, retryable = _DOCUMENT_CODES[scope][code]
    return GatewayError(changlong.VENDOR, code, text, kind, retryable, detail=detail)


def _scope(op: Operation[Any]) -> str:
    if isinstance(op, SendSms):
        return "send"
    if isinstance(op, FetchReports):
        return "reports"
    if isinstance(op, FetchInbound):
        return "inbound"
    return "balance"


def _codes(op: Operation[Any]) -> list[str]:
    return sorted(_DOCUMENT_CODES[_scope(op)])


def codecs() -> st.SearchStrategy[Codec[Any]]:
    """The GBK (default) and UTF-8 codecs."""
    return st.sampled_from([changlong.Codec(), changlong.Codec(charset="utf-8")])


def accounts() -> st.SearchStrategy[changlong.Account]:
    """Accounts with GBK-encodable names and passwords (separators included)."""
    # Both travel in the query in the codec's charset, so both must fit GBK.
    username = st.text("abcxyzABC0123456789_-.帐号测试", min_size=1, max_size=12)
    return st.builds(changlong.Account, username, sms_text("gbk", max_size=8))


def send_ops(charset: str, max_mobiles: int = 20) -> st.SearchStrategy[SendSms]:
    """Sends within the limits, texts encodable in ``charset``, sometimes scheduled."""
    return st.builds(
        SendSms,
        mobiles=st.lists(mobiles(), min_size=1, max_size=max_mobiles).map(tuple),
        content=sms_text(charset, max_size=30).filter(lambda t: len(t) <= _MAX_CHARS),
        send_at=st.none() | china_datetimes(),
    )


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    """Every operation ``codec`` carries."""
    charset = codec.charset  # type: ignore[attr-defined]
    return st.one_of(
        send_ops(charset),
        st.just(FetchReports()),
        st.just(FetchInbound()),
        st.just(QueryBalance()),
    )


def _ids() -> st.SearchStrategy[str]:
    return digits(1, 12)


def _errors(op: Operation[Any]) -> st.SearchStrategy[GatewayError]:
    scope = _scope(op)
    plain = st.sampled_from(_codes(op)).map(lambda code: _error(scope, code))
    if scope != "send":
        return plain
    # -3|word: the forbidden word rides after the bar and must come back.
    word = sms_text("gbk", max_size=6, forbid=("\r", "\n"))
    return plain | word.map(lambda w: _error("send", "-3", w))


def reports() -> st.SearchStrategy[DeliveryReport]:
    """Reports with documented states and, now and then, an undocumented code.

    An undocumented code (another integer, or a word as other gateways write)
    is UNKNOWN with the code kept (quirk report-code-integers).
    """
    known = st.sampled_from(sorted(_REPORT_STATES.items()))
    undocumented = st.integers(-99, 99).map(str) | st.sampled_from(["DELIVRD", "UNDELIV", "010"])
    other = undocumented.filter(lambda c: c not in _REPORT_STATES).map(
        lambda c: (c, DeliveryStatus.UNKNOWN)
    )
    drawn = st.builds(
        lambda mobile, state, batch: DeliveryReport(mobile, state[1], state[0], message_id=batch),
        mobiles(),
        known | other,
        _ids(),
    )
    return fitted_reports(_TRAITS, drawn)


def replies(charset: str | None = "gbk") -> st.SearchStrategy[InboundMessage]:
    """Replies the server role can frame: no ';' after a '|' and no trailing line break."""
    content = sms_text(charset, min_size=0).filter(
        lambda t: ";" not in t.partition("|")[2] and not t.endswith(("\r", "\n"))
    )
    drawn = st.builds(
        lambda mobile, text, msg_id: InboundMessage(mobile, text, message_id=msg_id),
        mobiles(),
        content,
        _ids(),
    )
    return fitted_inbound(_TRAITS, drawn)


@st.composite
def _send_result(draw: st.DrawFn, op: SendSms) -> SendResult:
    n = len(op.mobiles)
    if n > 1 and draw(st.booleans()):
        # One batch number for two or more accepted numbers (quirk send-ids-batch-or-per-number).
        accepted, batch = draw(st.integers(2, n)), draw(_ids())
        failed = draw(st.integers(0, n - accepted))
        mapped = failed == 0 and accepted == n
        numbers = op.mobiles if mapped else (None,) * accepted
        return SendResult(tuple(Receipt(m, batch) for m in numbers), failed, batch)
    if draw(st.booleans()):
        ids = draw(st.lists(_ids(), min_size=n, max_size=n))
        return SendResult(tuple(Receipt(m, i) for m, i in zip(op.mobiles, ids, strict=True)))
    accepted = draw(st.integers(0, n))
    low = 1 if accepted == n else 0
    failed = draw(st.integers(low, max(low, n - accepted)))
    ids = draw(st.lists(_ids(), min_size=accepted, max_size=accepted))
    return SendResult(tuple(Receipt(None, i) for i in ids), failed)


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    """Results and endpoint-scoped refusals for ``op``."""
    if isinstance(op, SendSms):
        ok: st.SearchStrategy[Any] = _send_result(op)
    elif isinstance(op, QueryBalance):
        ok = st.integers(0, 10**12).map(lambda n: Balance(Decimal(n)))
    elif isinstance(op, FetchInbound):
        ok = st.lists(replies(), max_size=8).map(lambda xs: Batch(tuple(xs)))
    elif isinstance(op, FetchReports):
        ok = st.lists(reports(), max_size=8).map(lambda xs: Batch(tuple(xs)))
    else:
        ok = st.none()
    return st.one_of(ok, _errors(op))


# --------------------------------------------------------------------------- answers


@st.composite
def _send_body(draw: st.DrawFn, op: SendSms) -> str:
    failed = draw(st.integers(0, 100))
    if len(op.mobiles) > 1 and draw(st.booleans()):
        # The batch form: one number for every accepted one (at most as many as were sent).
        return f"0|{draw(st.integers(2, len(op.mobiles)))}|{failed}|{draw(_ids())}"
    ids = draw(st.lists(_ids(), max_size=8))
    if not ids and draw(st.booleans()):
        return f"0|0|{failed}"
    return f"0|{len(ids)}|{failed}|{','.join(ids)}"


@st.composite
def _report_body(draw: st.DrawFn) -> str:
    items = draw(st.lists(reports(), min_size=1, max_size=8))
    records = [f"{r.message_id};{r.mobile};{r.code}" for r in items]
    return "|".join([str(len(items)), *records])


def _ascii_text(forbid: tuple[str, ...], max_size: int = 12) -> st.SearchStrategy[str]:
    """ASCII texts salted with the ASCII separators (answers must read in GBK and UTF-8)."""
    piece = st.sampled_from([t for t in EDGE_TOKENS if t.isascii()]) | st.text(
        "abcxyzABC0123456789 ", min_size=1, max_size=5
    )
    return (
        st.lists(piece, max_size=max_size)
        .map("".join)
        .filter(lambda t: not any(f in t for f in forbid))
    )


def _pipe_text() -> st.SearchStrategy[str]:
    # A '|' inside a text, with no ';' after it, is re-joined by the decoder.
    return st.lists(_ascii_text((";", "|"), 4), min_size=2, max_size=4).map("|".join)


@st.composite
def _reply_body(draw: st.DrawFn) -> str:
    ascii_text = _ascii_text(("|",)) | _pipe_text()
    texts = draw(
        st.lists(ascii_text.filter(lambda t: not t.endswith(("\r", "\n"))), min_size=1, max_size=6)
    )
    records = []
    for text in texts:
        # The document's example writes 'id,phone;text' (quirk inbound-comma-separator).
        sep = draw(st.sampled_from([";", ";", ","]))
        records.append(f"{draw(_ids())}{sep}{draw(mobiles())};{text}")
    lead = draw(st.sampled_from(["", "", " "]))
    return lead + "|".join([str(len(texts)), *records])


def _error_body(op: Operation[Any]) -> st.SearchStrategy[str]:
    plain = st.sampled_from(_codes(op))
    if isinstance(op, SendSms):
        words = _ascii_text(("\r", "\n"), 4).filter(bool)
        return plain | words.map(lambda w: f"-3|{w}")
    return plain


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Well-formed ASCII answers, including the comma and leading-space variants."""
    if isinstance(op, SendSms):
        ok: st.SearchStrategy[str] = _send_body(op)
    elif isinstance(op, FetchReports):
        ok = st.just("0") | _report_body()
    elif isinstance(op, FetchInbound):
        ok = st.sampled_from(["0", " 0"]) | _reply_body()
    else:
        ok = st.integers(0, 10**9).map(str)
    tail = st.sampled_from(["", "", "\r\n", "\n"])
    body = st.tuples(st.one_of(ok, _error_body(op)), tail).map("".join)
    return body.map(lambda text: HttpResponse(200, (), text.encode("ascii")))


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    """Broken variants of :func:`answers`."""
    return mutated_responses(answers(op, codec, account))
