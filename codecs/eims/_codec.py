"""EIMS's document operations, one section each in the document's order (§1–§5),
and the codec that serves them from these exchanges."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from .._checks import check_content, join_mobiles, parse_code
from .._chinatime import format_compact, to_unix
from .._codec import Lookup, PushItem
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange, ExchangeCodec, Exchanges
from .._http import HttpRequest, HttpResponse
from .._models import (
    Balance,
    BalanceUnit,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    QueryBalance,
    SendResult,
    SendSms,
    Stamp,
    check_opt_word,
    one_of,
)
from .._plan import split_field
from .._query import encode_text
from .._spec import Spec
from .._traits import REPORTS, WireTraits, first_code
from . import _rows as rec
from . import _wire as w
from ._model import (
    REASONS,
    REPORT_STATES,
    SPEC,
    VENDOR,
    Account,
    QueryReports,
    ReportQuery,
    SendMessage,
)

__all__ = ["Codec"]

_EP = SPEC.endpoints
_GET_MAX = SPEC.limit("get_max_mobiles")
_POST_MAX = SPEC.limit("post_max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_MAX_IDS = SPEC.limit("max_report_ids")
_MAX_INBOUND = SPEC.limit("max_inbound")
_MAX_PUSH = SPEC.limit("max_push_reports")
_METHODS = ("auto", "GET", "POST")
#: "支持 http get方式": every endpoint but sendsms takes GET only.
_GET = ("GET",)


# --------------------------------------------------------------- §1 查询余额 getbalance


def _getbalance_request(
    codec: Codec, op: QueryBalance, account: Account, stamp: Stamp
) -> HttpRequest:
    return w.get(_EP["balance"], w.auth(codec, account, stamp))


@w.reads
def _getbalance_answer(op: QueryBalance, obj: dict[str, Any]) -> Balance:
    """``{"status":0, "balance":"99.990000", "gift":"50.00000"}``: exact money."""
    if "balance" not in obj:
        raise DecodeError("eims balance answer has no balance")
    gift = obj.get("gift")
    return Balance(
        w.as_decimal(obj["balance"], "balance"),
        BalanceUnit.MONEY,
        None if gift is None else w.as_decimal(gift, "gift"),
    )


def _getbalance_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QueryBalance, Account]:
    return QueryBalance(), w.authorised(request, lookup)[1]


def _getbalance_write(
    codec: Codec, op: QueryBalance, result: Balance, account: Account
) -> HttpResponse:
    if result.unit is not BalanceUnit.MONEY or not result.amount.is_finite():
        raise EncodeError("eims balances are finite amounts of money")
    body: dict[str, Any] = {"status": 0, "balance": str(result.amount)}
    if result.gift is not None:
        if not result.gift.is_finite():
            raise EncodeError("eims gift balances are finite amounts of money")
        body["gift"] = str(result.gift)
    return w.answer(body)


BALANCE = Exchange(
    QueryBalance, _EP["balance"], _GET, _getbalance_request, _getbalance_answer,
    _getbalance_read, _getbalance_write,
)  # fmt: skip


# ------------------------------------------------------------------ §2 群发短信 sendsms

Send = SendSms | SendMessage
#: The wire name of each SendMessage option → its field (what an error names).
_OPTION_FIELDS = {"mmstitle": "mms_title", "sender": "sender"}


def _send_limit(codec: Codec) -> int:
    return _GET_MAX if codec.method == "GET" else _POST_MAX


def _sendsms_split(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    """§2 "get 最多 100 个,post 最多 10000 个": client ids are cut with their numbers."""
    return split_field(op, "mobiles", _send_limit(codec), "client_ids")


def _sendmessage_split(codec: Codec, op: SendMessage) -> tuple[SendMessage, ...]:
    return split_field(op, "mobiles", _send_limit(codec))


def _sendsms_request(codec: Codec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
    # A SendSms is sent as it is, not rebuilt as a SendMessage: that would validate
    # its (already validated) numbers again, one by one, up to 10,000 of them.
    if op.extension is not None or op.client_ids is not None:
        raise EncodeError("eims sends have no extension and no client ids")
    return _send_request(codec, op, w.auth(codec, account, stamp), 0, [])


def _sendmessage_request(
    codec: Codec, op: SendMessage, account: Account, stamp: Stamp
) -> HttpRequest:
    options = [
        (k, v) for k, v in (("mmstitle", op.mms_title), ("sender", op.sender)) if v is not None
    ]
    return _send_request(codec, op, w.auth(codec, account, stamp), op.sms_type, options)


def _send_request(
    codec: Codec, op: Send, auth: list[tuple[str, str]], sms_type: int,
    options: list[tuple[str, str]],
) -> HttpRequest:  # fmt: skip
    """GET up to 100 numbers; beyond (or with ``method="POST"``) every parameter in JSON."""
    post = codec.method == "POST" or (codec.method == "auto" and len(op.mobiles) > _GET_MAX)
    numbers = join_mobiles(op.mobiles, _POST_MAX if post else _GET_MAX, VENDOR)
    check_content(op.content, _MAX_CHARS, VENDOR)
    encode_text(op.content, "utf-8", "content")
    for name, value in options:
        encode_text(value, "utf-8", _OPTION_FIELDS[name])
    sendtime = None if op.send_at is None else format_compact(op.send_at)
    if not post:
        pairs = [*auth, ("smstype", str(sms_type)), ("numbers", numbers)]
        pairs.append(("content", op.content))
        pairs += options
        if sendtime is not None:
            pairs.append(("sendtime", sendtime))
        return w.get(_EP["send"], pairs, safe=",")
    body: dict[str, Any] = {k: (int(v) if k in ("seq", "time") else v) for k, v in auth}
    body["content"] = op.content
    body["smstype"] = sms_type
    body.update(options)
    body["numbers"] = numbers
    if sendtime is not None:
        body["sendtime"] = sendtime
    return HttpRequest("POST", _EP["send"], w.JSON_HEADERS, w.dumps(body, codec.secrets))


@w.reads
def _sendsms_answer(op: Send, obj: dict[str, Any]) -> SendResult:
    """``{"status":0, "success":2, "fail":0, "array":[[10010,1], [1008611,2]]}``."""
    failed = w.as_int(obj.get("fail", 0), "fail")
    return SendResult(rec.receipts(obj.get("array"), op.mobiles), failed)


def _sendsms_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[Send, Account]:
    """A send by GET or JSON POST, read as :class:`SendSms` unless it uses an option."""
    params, account = w.authorised(request, lookup)
    limit = _POST_MAX if request.method == "POST" else _GET_MAX
    content = params.get("content", "")
    if not content:
        raise SPEC.error("-4")
    if len(content) > _MAX_CHARS:
        raise SPEC.error("-5")
    mobiles = tuple(m for m in params.get("numbers", "").split(",") if m)
    if not mobiles:
        raise SPEC.error("-8")
    if len(mobiles) > limit:
        raise SPEC.error("-7")
    if not all(m.isascii() and m.isdigit() for m in mobiles):
        raise SPEC.error("-9")
    sms_type = parse_code(params.get("smstype") or "0")
    if sms_type not in (0, 1):
        raise DecodeError("eims smstype must be 0 or 1")
    send_at = w.sendtime(params.get("sendtime") or None)
    message = SendMessage(
        mobiles,
        content,
        sms_type,
        params.get("mmstitle") or None,
        params.get("sender") or None,
        send_at,
    )
    if message.is_plain:
        return SendSms(mobiles, content, send_at=send_at), account
    return message, account


def _sendsms_write(codec: Codec, op: Send, result: SendResult, account: Account) -> HttpResponse:
    rows: list[list[Any]] = []
    for receipt in result.receipts:
        if receipt.mobile is None or receipt.message_id is None:
            raise EncodeError("eims send rows carry a number and its id; both are required")
        if receipt.client_id is not None:
            raise EncodeError("eims send rows carry no client id")
        rows.append([w.wire_id(receipt.mobile), w.wire_id(receipt.message_id)])
    if result.batch_id is not None:
        raise EncodeError("eims send answers carry no batch id")
    return w.answer({"status": 0, "success": len(rows), "fail": result.failed, "array": rows})


# One endpoint, two operations: the /sendsms reader decides which a request is
# (SendMessage only when it uses an option), so SendMessage's exchange routes
# no request itself (no methods) and serves the client role and its answers.
SEND = Exchange(
    SendSms, _EP["send"], ("GET", "POST"), _sendsms_request, _sendsms_answer, _sendsms_read,
    _sendsms_write, None, _sendsms_split,
)  # fmt: skip
SEND_MESSAGE = Exchange(
    SendMessage, _EP["send"], (), _sendmessage_request, _sendsms_answer, _sendsms_read,
    _sendsms_write, None, _sendmessage_split,
)  # fmt: skip


# ------------------------------------------------------- §3 查询短信发送结果 getreport

_COUNTERS = ("success", "fail", "unsent", "sending", "nofound")


def _getreport_split(codec: Codec, op: QueryReports) -> tuple[QueryReports, ...]:
    """§3 "多个号码之间以英文逗号分隔(最多 200 个）" (quirk report-ids-called-numbers)."""
    return split_field(op, "ids", _MAX_IDS)


def _getreport_request(
    codec: Codec, op: QueryReports, account: Account, stamp: Stamp
) -> HttpRequest:
    if len(op.ids) > _MAX_IDS:
        raise EncodeError(
            f"eims takes at most {_MAX_IDS} ids per report query, got {len(op.ids)}; "
            "use codec.plan(op) to split"
        )
    auth = w.auth(codec, account, stamp)
    return w.get(_EP["reports"], [*auth, ("ids", ",".join(op.ids))], safe=",")


@w.reads
def _getreport_answer(op: QueryReports, obj: dict[str, Any]) -> ReportQuery:
    """The counters, then ``[id, number, time, state]`` rows (bad rows kept aside)."""
    success, fail, unsent, sending, nofound = (w.as_int(obj.get(k, 0), k) for k in _COUNTERS)
    items, malformed = w.parse_rows(obj.get("array"), rec.parse_report_row, "report")
    reports = Batch(tuple(items), tuple(malformed))
    return ReportQuery(success, fail, unsent, sending, nofound, reports)


def _getreport_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QueryReports, Account]:
    params, account = w.authorised(request, lookup)
    # The document calls report ids "号码", so the number errors apply to them.
    ids = tuple(i for i in params.get("ids", "").split(",") if i)
    if not ids:
        raise SPEC.error("-8", detail="no ids")
    if len(ids) > _MAX_IDS:
        raise SPEC.error("-7", detail=f"more than {_MAX_IDS} ids")
    if not all(i.isascii() and i.isdigit() for i in ids):
        raise SPEC.error("-9", detail="ids must be digits")
    return QueryReports(ids), account


def _getreport_write(
    codec: Codec, op: QueryReports, result: ReportQuery, account: Account
) -> HttpResponse:
    w.refuse_malformed(result.reports)
    counts = {k: getattr(result, k) for k in _COUNTERS}
    rows = [rec.render_report_row(r) for r in result.reports.items]
    return w.answer({"status": 0, **counts, "array": rows})


REPORT_QUERY = Exchange(
    QueryReports, _EP["reports"], _GET, _getreport_request, _getreport_answer,
    _getreport_read, _getreport_write, None, _getreport_split,
)  # fmt: skip


# ---------------------------------------------------------------- §4 接收短信 getsms


def _getsms_request(codec: Codec, op: FetchInbound, account: Account, stamp: Stamp) -> HttpRequest:
    since = [] if op.since is None else [("start_time", str(to_unix(op.since)))]
    return w.get(_EP["inbound"], [*w.auth(codec, account, stamp), *since])


@w.reads
def _getsms_answer(op: FetchInbound, obj: dict[str, Any]) -> Batch[InboundMessage]:
    """``[id, from, to, time, base64 text]`` rows, repeats removed (quirk reply-same-id)."""
    items, malformed = w.parse_rows(obj.get("array"), rec.parse_inbound, "reply")
    return Batch(rec.unique_replies(items), tuple(malformed))


def _getsms_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[FetchInbound, Account]:
    params, account = w.authorised(request, lookup)
    return FetchInbound(w.start_time(params.get("start_time") or None)), account


def _getsms_write(
    codec: Codec, op: FetchInbound, result: Batch[InboundMessage], account: Account
) -> HttpResponse:
    w.refuse_malformed(result)
    if len(result.items) > _MAX_INBOUND:
        raise EncodeError(f"eims answers at most {_MAX_INBOUND} replies per request")
    rows = [rec.render_inbound(m) for m in result.items]
    return w.answer({"status": 0, "cnt": len(rows), "array": rows})


INBOUND = Exchange(
    FetchInbound, _EP["inbound"], _GET, _getsms_request, _getsms_answer, _getsms_read,
    _getsms_write,
)  # fmt: skip


# ------------------------------------------------ §5 主动往客户的 url推送发送报告


def _push_read(request: HttpRequest) -> Batch[PushItem]:
    """The reports of one push (``PUT``, or ``POST`` from some deployments)."""
    if request.method not in ("PUT", "POST"):
        raise DecodeError(f"eims pushes reports with PUT, not {request.method}", request.body)
    try:
        items, malformed = rec.parse_push(request.body)
    except DecodeError as exc:
        raise DecodeError(exc.message, exc.raw or request.body) from None
    pushed: tuple[PushItem, ...] = tuple(items)
    return Batch(pushed, tuple(malformed))


def _push_write(codec: Codec, batch: Batch[PushItem]) -> tuple[HttpRequest, ...]:
    """§5 "以 put的方式推送", "一次性最多推送 50条": one ``PUT`` per 50 reports."""
    w.refuse_malformed(batch)
    rows: list[list[Any]] = []
    for item in batch.items:
        if not isinstance(item, DeliveryReport):
            raise EncodeError("eims pushes delivery reports only, not inbound messages")
        rows.append(rec.render_push_row(item))
    return tuple(
        HttpRequest(
            "PUT",
            codec.push_path,
            w.JSON_HEADERS,
            w.dumps({"type": "report", "cnt": len(chunk), "array": chunk}),
        )
        for chunk in (rows[i : i + _MAX_PUSH] for i in range(0, len(rows), _MAX_PUSH))
    )


# --------------------------------------------------------------------------- the codec


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """The EIMS codec.

    ``version`` is sent as the ``version`` parameter of every request when
    given; by default none is sent and each endpoint applies its documented
    default (1.1 for getbalance, 1.0 elsewhere). ``method`` chooses how sends
    travel: ``"auto"`` (GET up to 100 numbers, a JSON POST beyond), ``"GET"``
    or ``"POST"``. ``push_path`` is the target of the report pushes this codec
    renders on the gateway's side (the customer's configured URL path).
    """

    version: str | None = attrs.field(default=None, validator=check_opt_word)
    method: str = attrs.field(default="auto", validator=one_of(*_METHODS))
    push_path: str = "/"
    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"password"})
    traits: ClassVar[WireTraits] = WireTraits(
        account_type=Account,
        credential_field="account",
        demo_account=Account(account="demo", password="demo-eims"),
        key_field="key",
        delivered_code=first_code(REPORT_STATES, DeliveryStatus.DELIVERED),
        failed_code=next(code for code in REASONS if code != "0"),
        read_status=rec.report_state_status,
        balance_unit=BalanceUnit.MONEY,
        reply_limit=SPEC.limit("max_inbound"),
        query_reports=lambda result: QueryReports(
            tuple(r.message_id for r in result.receipts if r.message_id)
        ),
        report_fields=frozenset({"message_id", "sent_at", "description"}),
        # §1: "数组中依次包含“号码、号码的发送结果查询 ID”": no client id in a send row.
        receipt_fields=frozenset({"message_id"}),
        # The document's examples address replies to a 106 gateway number.
        inbound_fields=frozenset({"received_at", "message_id", "destination"}),
        default_destination="1069000012345",
        pushes=frozenset({REPORTS}),
        paths=frozenset(_EP.values()),
        describe=rec.report_description,
        simulations="smswire.codecs.eims._simulate",
    )
    spec: ClassVar[Spec] = SPEC
    exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(
        VENDOR, (BALANCE, SEND, SEND_MESSAGE, REPORT_QUERY, INBOUND)
    )

    def encode_request(self, op: Operation[Any], account: Account, stamp: Stamp) -> HttpRequest:
        """The request performing ``op``; ``stamp`` supplies ``seq`` and ``time`` when signing.

        :class:`FetchReports` is refused saying where EIMS reports come from.
        """
        if type(op) is FetchReports:
            raise EncodeError(
                "eims has no FetchReports: reports arrive by push (codec.decode_push) "
                "or by message id (eims.QueryReports)"
            )
        return ExchangeCodec.encode_request(self, op, account, stamp)

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a request, checked as the gateway checks it.

        A request no endpoint takes is a :class:`DecodeError` carrying its
        request-line bytes; ``stamp`` is not used (no validity window for ``time``).
        """
        try:
            exchange = self.exchanges.route(request)
        except DecodeError as exc:
            raise DecodeError(exc.message, w.target_bytes(request)) from None
        return exchange.read_request(self, request, lookup, stamp)

    def refuse(self, error: GatewayError) -> HttpResponse:
        """Every EIMS refusal is ``{"status": code}``."""
        return w.refusal(error)

    # ---------------------------------------------------------------- §5 report push

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[PushItem]:
        """Receiver: the reports of one push (``PUT``, or ``POST`` from some deployments).

        An EIMS push names no account, so ``lookup`` is not consulted. A JSON
        object without the push's ``array`` is not an EIMS push.
        """
        return _push_read(request)

    def push_ack(self) -> HttpResponse:
        """Receiver: ``200 ok`` (the document does not say what the gateway expects)."""
        return HttpResponse(200, (("Content-Type", "text/plain;charset=utf-8"),), b"ok")

    def encode_push(self, batch: Batch[PushItem], account: Account) -> tuple[HttpRequest, ...]:
        """Gateway: one ``PUT`` per 50 reports to ``push_path``."""
        return _push_write(self, batch)

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Gateway: any 2xx answer acknowledges the push."""
        return 200 <= response.status < 300
