"""sms.cn's document operations, one section each in the document's order (§4–§10),
the pushes of §6.2, and the codec that serves them.

§1–§3 (transport, charset, answers) are the shared wire of ``_wire.py``; §9
接口安全（绑定IP） is a setting of the web platform, no exchange (its refusal is
117 绑定IP不正确).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from .._checks import check_digits, join_mobiles, parse_message_count, render_message_count
from .._chinatime import format_date, parse_date
from .._codec import Lookup, PushItem
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange, ExchangeCodec, Exchanges
from .._http import HttpRequest, HttpResponse
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
    one_of,
)
from .._plan import split_field
from .._query import (
    CredentialMemo,
    QueryParams,
    build_query,
    check_charset,
    urlencode_value,
)
from .._records import RecordParseError
from .._spec import Spec
from .._traits import REPLIES, REPORTS, WireTraits, first_code
from . import _push
from . import _wire as w
from ._model import (
    REPORT_STATUS,
    SPEC,
    VENDOR,
    Account,
    QuerySendRecords,
    QuerySentCount,
    SendRecords,
)
from ._model import report_status as _status_of

__all__ = ["Codec"]

_EP = SPEC.endpoints
#: ``Codec(method=…)``: "auto" posts only sends above GET's 50 numbers.
_METHOD_OPTIONS = ("auto", "GET", "POST")


# ------------------------------------------------------ §4 短信发送（单条，多条发送）


def _mt_split(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    """Split a send above the method's limit (2000, or 50 by GET), its client ids alongside."""
    return split_field(op, "mobiles", w.send_limit(codec), "client_ids")


def _mt_request(codec: Codec, op: SendSms, account: Account, path: str, utf8: bool) -> HttpRequest:
    if op.send_at is not None:
        raise EncodeError("send_at: smscn defines no scheduled sending")
    # Checked digits and commas: up to 24,000 characters with nothing to escape.
    numbers = [f"mobile={join_mobiles(op.mobiles, w.send_limit(codec), VENDOR)}"]
    if not op.content:
        raise EncodeError("content: smscn does not send an empty text")
    text = urlencode_value(op.content, codec.charset, field="content")
    if op.client_ids is not None:
        for client_id in op.client_ids:
            check_digits(client_id, "client_ids")
        numbers.append(build_query([("mobileids", ",".join(op.client_ids))], codec.charset, ","))
    numbers.append(f"content={text}")
    if op.extension is not None:
        numbers.append(f"mid={check_digits(op.extension, 'extension')}")
    if not utf8:
        numbers += [f"{key}={value}" for key, value in w.encode_flag(codec)]
    # Number lists keep their commas as §4's example does; the text is PHP-urlencoded.
    query = "&".join([codec._credentials.get(account, codec._auth_query), *numbers])
    method = codec.method
    post = method == "POST" or (method == "auto" and len(op.mobiles) > w.MAX_GET)
    return w.request(path, query, post)


def _receipts(op: SendSms) -> SendResult:
    # One status for the whole send: every number is accepted, carrying its id.
    ids = op.client_ids or (None,) * len(op.mobiles)
    return SendResult(tuple(Receipt(m, None, c) for m, c in zip(op.mobiles, ids, strict=True)))


def _mt_answer(codec: Codec, op: SendSms, response: HttpResponse, account: Account) -> SendResult:
    """§4 "发成功时响应状态码值: sms&stat=100&message=发送成功"."""
    w.status_answer(response)
    return _receipts(op)


def _mt_params(params: QueryParams, method: str) -> SendSms:
    try:
        content = params.text("content")
    except DecodeError:
        raise SPEC.error("104") from None
    mobiles = tuple(m for m in (params.text("mobile") or "").split(",") if m)
    if not mobiles or not content:
        raise SPEC.error("108")
    if len(mobiles) > (w.MAX_GET if method == "GET" else w.MAX_POST):
        raise SPEC.error("106")
    if not all(w.is_digits(m) for m in mobiles):
        raise SPEC.error("112")
    ids_text = params.text("mobileids")
    client_ids = tuple(i for i in (ids_text or "").split(",") if i) or None
    if client_ids is not None and (
        len(client_ids) != len(mobiles) or not all(w.is_digits(i) for i in client_ids)
    ):
        raise SPEC.error("103")
    mid = params.text("mid") or None
    if mid is not None and not w.is_digits(mid):
        raise SPEC.error("103")
    return SendSms(mobiles, content, extension=mid, client_ids=client_ids)


def _mt_write(codec: Codec, op: SendSms, result: SendResult, account: Account) -> HttpResponse:
    if result != _receipts(op):
        raise EncodeError("smscn answers a send with one status, not per-number results")
    return w.render_status(w.SUCCESS, message=w.SUCCESS_TEXT)


def _chooses_mtutf8(codec: Codec) -> bool:
    return codec.mtutf8


def _mt(path: str, utf8: bool = False) -> Exchange[Codec, Account, SendSms, SendResult]:
    """§4's send on ``path``. ``utf8``: the ``/mtutf8/`` path public clients use (quirk
    mtutf8-endpoint), UTF-8 without ``encode``, sent to by ``Codec(mtutf8=True)``."""

    def write(codec: Codec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
        return _mt_request(codec, op, account, path, utf8)

    def read(
        codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
    ) -> tuple[SendSms, Account]:
        params, account = w.authorised(request, lookup, utf8)
        return _mt_params(params, request.method), account

    choose = _chooses_mtutf8 if utf8 else None
    return Exchange(
        SendSms, path, w.METHODS, write, _mt_answer, read, _mt_write, None, _mt_split, choose=choose
    )


SEND = _mt(_EP["send"])
SEND_UTF8 = _mt(_EP["send_utf8"], utf8=True)


# ------------------------------------------------------- §5 接收状态报告 (5.1 主动获取状态)


def _st_answer(
    codec: Codec, op: FetchReports, response: HttpResponse, account: Account
) -> Batch[DeliveryReport]:
    """§5 "手机号,状态,发送唯一编号,状态返回时间+换行"."""
    return w.decode_reports(response)


def _st_write(
    codec: Codec, op: FetchReports, result: Batch[DeliveryReport], account: Account
) -> HttpResponse:
    return w.render_reports(result.items)


STATUS_REPORTS = w.plain(FetchReports, _EP["reports"], _st_answer, _st_write)


# -------------------------------------------- §6 接收上行短信（回复）: 6.1 主动接收上行短信


def _rx_check(op: FetchInbound) -> None:
    if op.since is not None:
        raise EncodeError("smscn cannot fetch replies since a time")


def _rx_answer(
    codec: Codec, op: FetchInbound, response: HttpResponse, account: Account
) -> Batch[InboundMessage]:
    """§6.1 "状态码{&}回复号码||回复内容||回复时间||回复网关号{&}…"."""
    return w.decode_inbound(response)


def _rx_write(
    codec: Codec, op: FetchInbound, result: Batch[InboundMessage], account: Account
) -> HttpResponse:
    return w.render_inbound(result.items)


INBOUND = w.plain(FetchInbound, _EP["inbound"], _rx_answer, _rx_write, _rx_check)


# ----------------------------------------------------- 6.2 推送接收上行短信（回复）
# The gateway calls the customer: Codec.decode_push / encode_push below, their fields
# read and written in _push.py.


# ------------------------------------------------------------------ §7 取剩余短信条数


def _remain(response: HttpResponse) -> str:
    fields = w.status_answer(response)
    if "remain" not in fields:
        raise DecodeError("smscn answer without 'remain'", response.body)
    return fields["remain"]


def _without_cmd(request: HttpRequest) -> bool:
    """§7 is ``/mm/`` without ``cmd``; with one it is §8's (which refuses all but send)."""
    return all(name != "cmd" for name, _ in w.parameters(request))


def _mm_answer(codec: Codec, op: QueryBalance, response: HttpResponse, account: Account) -> Balance:
    """§7 "sms&stat=状态码&remain=剩余可发短信"."""
    return parse_message_count(_remain(response), VENDOR, response.body)


def _mm_write(codec: Codec, op: QueryBalance, result: Balance, account: Account) -> HttpResponse:
    return w.render_status(w.SUCCESS, remain=render_message_count(result, VENDOR))


BALANCE = w.plain(QueryBalance, _EP["balance"], _mm_answer, _mm_write, when=_without_cmd)


# ------------------------------------------------------------------ §8 取已发送总条数


def _mm_send_request(
    codec: Codec, op: QuerySentCount, account: Account, stamp: Stamp
) -> HttpRequest:
    """§8 "/mm/?uid=用户账号&pwd=MD5位32密码&cmd=send"."""
    return w.query_request(codec, _EP["balance"], account, [("cmd", "send")])


def _mm_send_answer(
    codec: Codec, op: QuerySentCount, response: HttpResponse, account: Account
) -> int:
    """§8 "sms&stat=状态码&remain=已发短信"."""
    return int(parse_message_count(_remain(response), VENDOR, response.body).amount)


def _mm_send_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QuerySentCount, Account]:
    params, account = w.authorised(request, lookup)
    if params.text("cmd") != "send":
        raise SPEC.error("103")
    return QuerySentCount(), account


def _mm_send_write(codec: Codec, op: QuerySentCount, result: int, account: Account) -> HttpResponse:
    if not isinstance(result, int) or isinstance(result, bool):
        raise EncodeError(f"smscn sent counts are whole numbers, got {result!r}")
    count = render_message_count(Balance(Decimal(result)), VENDOR)
    return w.render_status(w.SUCCESS, remain=count)


def _with_cmd(request: HttpRequest) -> bool:
    return not _without_cmd(request)


SENT_COUNT = Exchange(
    QuerySentCount, _EP["balance"], w.METHODS, _mm_send_request, _mm_send_answer,
    _mm_send_read, _mm_send_write, when=_with_cmd,
)  # fmt: skip


# ------------------------------------------------------------------ §10 取发送记录


def _rd_request(codec: Codec, op: QuerySendRecords, account: Account, stamp: Stamp) -> HttpRequest:
    """§10 "/rd/?uid=用户账号&pwd=MD532位密码&page=1", ``date`` and ``key`` optional."""
    pairs: list[tuple[str, str]] = []
    if op.page is not None:
        pairs.append(("page", str(op.page)))
    if op.date is not None:
        pairs.append(("date", format_date(op.date)))
    if op.mobile is not None:
        pairs.append(("key", op.mobile))
    return w.query_request(codec, _EP["send_records"], account, pairs)


def _rd_answer(
    codec: Codec, op: QuerySendRecords, response: HttpResponse, account: Account
) -> SendRecords:
    """§10 "总记录数||当前记录数||总页数|#|发送时间||号码||内容||状态|#|…"."""
    return w.decode_send_records(response)


def _rd_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QuerySendRecords, Account]:
    params, account = w.authorised(request, lookup)
    page, day, key = params.text("page"), params.text("date"), params.text("key")
    if page is not None and (not w.is_digits(page) or len(page) > 9 or int(page) < 1):
        raise SPEC.error("103")
    if key is not None and not w.is_digits(key):
        raise SPEC.error("112")
    try:
        date = None if day is None else parse_date(day)
    except DecodeError:
        raise SPEC.error("103") from None
    return QuerySendRecords(None if page is None else int(page), date, key), account


def _rd_write(
    codec: Codec, op: QuerySendRecords, result: SendRecords, account: Account
) -> HttpResponse:
    return w.render_send_records(result)


SEND_RECORDS = Exchange(
    QuerySendRecords, _EP["send_records"], w.METHODS, _rd_request, _rd_answer, _rd_read, _rd_write
)


# --------------------------------------------------------------------------- the codec


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """The sms.cn codec.

    ``charset`` is the request charset, ``"gbk"`` or ``"utf-8"``; in UTF-8 every
    request says so with ``encode=utf8`` (§2; §4 and §10 list the parameter).
    Answers and pushes are GBK whatever it is. ``stamp`` is unused: this wire
    carries no clock.

    ``method`` is how requests travel (§1 "通过HTTP的GET/POST方式交换"):
    ``"auto"`` sends up to 50 numbers by GET and up to 2000 as a POST form, and
    every other request by GET; ``"GET"`` sends everything by GET, so a send
    carries at most 50 numbers (``plan`` splits at 50); ``"POST"`` sends
    everything as a form (§4 "[建议用POST方式提交]"), sends of up to 2000.

    ``mtutf8=True`` (with ``charset="utf-8"``) sends to ``/mtutf8/`` as public
    clients of the gateway do, the path saying the text is UTF-8 (quirk
    mtutf8-endpoint). ``push_path`` is the path of ``encode_push``'s requests:
    the document leaves the customer's URL to the customer.
    """

    charset: str = attrs.field(default="gbk", converter=check_charset)
    method: str = attrs.field(default="auto", kw_only=True, validator=one_of(*_METHOD_OPTIONS))
    mtutf8: bool = attrs.field(default=False, kw_only=True)
    push_path: str = attrs.field(default="/", kw_only=True)
    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"pwd"})
    traits: ClassVar[WireTraits] = WireTraits(
        account_type=Account,
        credential_field="uid",
        demo_account=Account(uid="demo", password="demo-smscn"),
        delivered_code=first_code(REPORT_STATUS, DeliveryStatus.DELIVERED),
        # Only 100 (delivered) is documented; failures carry the carriers' CMPP word.
        failed_code="UNDELIV",
        read_status=_status_of,
        report_fields=frozenset({"client_id", "reported_at"}),
        inbound_fields=frozenset({"received_at", "destination"}),
        push_report_fields=frozenset({"client_id"}),
        push_inbound_fields=frozenset({"received_at"}),
        receipt_fields=frozenset({"client_id"}),
        pushes=frozenset({REPORTS, REPLIES}),
        paths=frozenset(_EP.values()),
        simulations="smswire.codecs.smscn._simulate",
    )
    spec: ClassVar[Spec] = SPEC
    exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(
        VENDOR, (SEND, SEND_UTF8, STATUS_REPORTS, INBOUND, BALANCE, SENT_COUNT, SEND_RECORDS)
    )
    _credentials: CredentialMemo[Account, str] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )

    @mtutf8.validator
    def _check_mtutf8(self, _attr: attrs.Attribute[bool], value: bool) -> None:
        if value is not False and (value is not True or self.charset != "utf-8"):
            raise EncodeError("mtutf8=True sends UTF-8 text: it needs charset='utf-8'")

    @push_path.validator
    def _check_push_path(self, _attr: attrs.Attribute[str], value: str) -> None:
        if not value.startswith("/") or "?" in value or not value.isascii():
            raise EncodeError("push_path must be an ASCII path starting with '/', without '?'")

    def _auth_query(self, account: Account) -> str:
        # An md5 and two url-encodings a send need not repeat (memoised per instance).
        return build_query(w.auth_pairs(account), self.charset)

    def refuse(self, error: GatewayError) -> HttpResponse:
        """Every refusal, on every endpoint: ``sms&stat=N&message=…`` (errors-outside-mt-mm)."""
        return w.render_error(error)

    # ---------------------------------------------------------------- pushes (§6.2)

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[PushItem]:
        """A pushed status report (``status=``) or reply (``content=``), GET or POST form.

        The receiving account is looked up by the push's ``uid``.

        Quirk push-contradiction: the two shapes are told apart by their
        parameters. A push whose fields do not parse is kept raw in ``malformed``.
        """
        if request.method not in w.METHODS:
            raise DecodeError(f"smscn pushes are GET or POST, not {request.method}")
        pairs, raw = _push.push_pairs(request)
        params = QueryParams(pairs, _push.PUSH_CHARSET)
        names = set(params.names())
        is_report, is_reply = "status" in names, "content" in names
        if not (is_report or is_reply):
            raise DecodeError("smscn push carries neither 'status' nor 'content'", raw)
        uid = params.raw("uid")
        if uid is None or lookup(uid.decode(_push.PUSH_CHARSET, "replace")) is None:
            raise DecodeError("smscn push is not for a known account's uid", raw)
        try:
            if is_report and is_reply:
                raise DecodeError("smscn push carries both 'status' and 'content'")
            item: PushItem = _push.read_report(params) if is_report else _push.read_reply(params)
        except RecordParseError:
            return Batch((), (raw,))
        return Batch((item,))

    def push_ack(self) -> HttpResponse:
        """The document defines no answer; the receiver says ``200 ok``."""
        return HttpResponse(200, (("Content-Type", "text/plain"),), b"ok")

    def encode_push(self, batch: Batch[PushItem], account: Account) -> tuple[HttpRequest, ...]:
        """One GET per item, as the gateway pushes one report or reply at a time."""
        if batch.malformed:
            raise EncodeError("smscn pushes carry parsed items only, not malformed fragments")
        requests = []
        for item in batch.items:
            pairs = [("cmd", "res"), ("uid", account.uid)]
            if isinstance(item, DeliveryReport):
                pairs += _push.report_pairs(item)
            else:
                pairs += _push.reply_pairs(item)
            requests.append(
                HttpRequest("GET", f"{self.push_path}?{build_query(pairs, _push.PUSH_CHARSET)}")
            )
        return tuple(requests)

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Any 2xx acknowledges: the document defines no body."""
        return 200 <= response.status < 300
