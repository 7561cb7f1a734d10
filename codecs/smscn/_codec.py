"""The sms.cn codec: client and server roles of every operation, and both sides of pushes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, TypeVar, cast

import attrs

from .._checks import check_digits, join_mobiles, parse_message_count, render_message_count
from .._chinatime import format_date, format_seconds, parse_dashed, parse_date
from .._codec import Lookup, PushItem, unsupported
from .._digest import digest_equal
from .._errors import DecodeError, EncodeError, GatewayError
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
    encode_text,
    parse_query,
    urlencode_value,
)
from .._records import RecordParseError
from .._spec import Spec
from .._traits import REPLIES, REPORTS, WireTraits, first_code
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

R = TypeVar("R")

_EP = SPEC.endpoints
_MAX_GET = SPEC.limit("max_mobiles_get")
_MAX_POST = SPEC.limit("max_mobiles_post")
_PUSH_CHARSET = SPEC.section.push_charset
_FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
_PATHS: dict[str, str] = {path: kind for kind, path in _EP.items()}


def _bad(code: str) -> GatewayError:
    return SPEC.error(code)


_METHODS = ("auto", "GET", "POST")


@attrs.frozen
class Codec:
    """The sms.cn codec.

    ``charset`` is the request charset, ``"gbk"`` or ``"utf-8"``; in UTF-8 every
    request says so with ``encode=utf8`` (§2; §4 and §10 list the parameter).
    Answers and pushes are GBK whatever it is.

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
    method: str = attrs.field(default="auto", kw_only=True, validator=one_of(*_METHODS))
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
    )
    spec: ClassVar[Spec] = SPEC
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

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The operation types this codec carries."""
        return (SendSms, FetchReports, FetchInbound, QueryBalance, QuerySentCount, QuerySendRecords)

    def _send_limit(self) -> int:
        return _MAX_GET if self.method == "GET" else _MAX_POST

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split a send above the method's limit (2000, or 50 by GET), its client ids alongside."""
        if not isinstance(op, SendSms):
            return (op,)
        parts = split_field(op, "mobiles", self._send_limit(), "client_ids")
        return cast(tuple[Operation[R], ...], parts)

    # ---------------------------------------------------------------- client role

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The request performing ``op`` (``stamp`` is unused: this wire carries no clock).

        GET or a POST form in the request charset as ``method`` says; a send
        above the method's limit is refused (``plan`` splits it).
        """
        if isinstance(op, SendSms):
            return self._send(op, self._credentials.get(account, self._auth_query))
        auth = [("uid", account.uid), ("pwd", account.password_md5)]
        if isinstance(op, FetchInbound):
            if op.since is not None:
                raise EncodeError("smscn cannot fetch replies since a time")
            return self._read(_EP["inbound"], auth)
        if isinstance(op, FetchReports):
            return self._read(_EP["reports"], auth)
        if isinstance(op, QueryBalance):
            return self._read(_EP["balance"], auth)
        if isinstance(op, QuerySentCount):
            return self._read(_EP["balance"], [*auth, ("cmd", "send")])
        if isinstance(op, QuerySendRecords):
            pairs = list(auth)
            if op.page is not None:
                pairs.append(("page", str(op.page)))
            if op.date is not None:
                pairs.append(("date", format_date(op.date)))
            if op.mobile is not None:
                pairs.append(("key", op.mobile))
            return self._read(_EP["send_records"], pairs)
        raise unsupported(VENDOR, op)

    def _encode_flag(self) -> list[tuple[str, str]]:
        # §2: UTF-8 text is declared on every request, uid included.
        return [("encode", "utf8")] if self.charset == "utf-8" else []

    def _read(self, path: str, pairs: list[tuple[str, str]]) -> HttpRequest:
        query = build_query([*pairs, *self._encode_flag()], self.charset)
        return self._request(path, query, post=self.method == "POST")

    @staticmethod
    def _request(path: str, query: str, post: bool) -> HttpRequest:
        if post:
            return HttpRequest("POST", path, _FORM, query.encode("ascii"))
        return HttpRequest("GET", f"{path}?{query}")

    def _auth_query(self, account: Account) -> str:
        # An md5 and two url-encodings a send need not repeat (memoised per instance).
        return build_query([("uid", account.uid), ("pwd", account.password_md5)], self.charset)

    def _send(self, op: SendSms, auth: str) -> HttpRequest:
        if op.send_at is not None:
            raise EncodeError("send_at: smscn defines no scheduled sending")
        # Checked digits and commas: up to 24,000 characters with nothing to escape.
        numbers = [f"mobile={join_mobiles(op.mobiles, self._send_limit(), VENDOR)}"]
        if not op.content:
            raise EncodeError("content: smscn does not send an empty text")
        text = urlencode_value(op.content, self.charset, field="content")
        if op.client_ids is not None:
            for client_id in op.client_ids:
                check_digits(client_id, "client_ids")
            numbers.append(build_query([("mobileids", ",".join(op.client_ids))], self.charset, ","))
        numbers.append(f"content={text}")
        if op.extension is not None:
            numbers.append(f"mid={check_digits(op.extension, 'extension')}")
        if not self.mtutf8:
            numbers += [f"{key}={value}" for key, value in self._encode_flag()]
        # Number lists keep their commas as §4's example does; the text is PHP-urlencoded.
        query = "&".join([auth, *numbers])
        path = _EP["send_utf8"] if self.mtutf8 else _EP["send"]
        post = self.method == "POST" or (self.method == "auto" and len(op.mobiles) > _MAX_GET)
        return self._request(path, query, post)

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a ``stat`` other than 100 raises :class:`GatewayError`."""
        result: Any
        if isinstance(op, SendSms):
            w.status_answer(response)
            result = _receipts(op)
        elif isinstance(op, QueryBalance):
            result = parse_message_count(_remain(response), VENDOR, response.body)
        elif isinstance(op, QuerySentCount):
            result = int(parse_message_count(_remain(response), VENDOR, response.body).amount)
        elif isinstance(op, FetchReports):
            result = w.decode_reports(response)
        elif isinstance(op, FetchInbound):
            result = w.decode_inbound(response)
        elif isinstance(op, QuerySendRecords):
            result = w.decode_send_records(response)
        else:
            raise unsupported(VENDOR, op)
        return cast(R, result)

    # ---------------------------------------------------------------- server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a request, checked as the gateway checks it."""
        kind = _PATHS.get(request.path)
        if kind is None:
            raise DecodeError(f"smscn has no endpoint {request.path!r}")
        if request.method not in ("GET", "POST"):
            raise DecodeError(f"smscn takes GET or POST, not {request.method}")
        # Quirk content-space: a literal space is never valid in a target; the
        # document's examples have them from the PDF, so they are dropped.
        pairs = parse_query(request.query.replace(" ", ""))
        if request.method == "POST":
            pairs += parse_query(request.body)
        encode = QueryParams(pairs, "gbk").raw("encode")
        # Quirk mtutf8-endpoint: /mtutf8/ is UTF-8 whether or not encode=utf8 says so.
        utf8 = kind == "send_utf8" or (encode is not None and encode.lower() in (b"utf8", b"utf-8"))
        params = QueryParams(pairs, "utf-8" if utf8 else "gbk")
        try:
            uid, pwd = params.text("uid"), params.text("pwd")
        except DecodeError:
            # A uid that is not text in the declared charset names no account.
            raise _bad("101") from None
        account = lookup(uid) if uid else None
        if account is None or not pwd or not digest_equal(pwd, account.password_md5):
            raise _bad("101")
        if kind in ("send", "send_utf8"):
            return self._decode_send(params, request.method), account
        if kind == "balance":
            cmd = params.text("cmd")
            if cmd is None:
                return QueryBalance(), account
            if cmd == "send":
                return QuerySentCount(), account
            raise _bad("103")
        if kind == "send_records":
            return self._decode_records_query(params), account
        return (FetchReports() if kind == "reports" else FetchInbound()), account

    def _decode_send(self, params: QueryParams, method: str) -> SendSms:
        try:
            content = params.text("content")
        except DecodeError:
            raise _bad("104") from None
        mobiles = tuple(m for m in (params.text("mobile") or "").split(",") if m)
        if not mobiles or not content:
            raise _bad("108")
        if len(mobiles) > (_MAX_GET if method == "GET" else _MAX_POST):
            raise _bad("106")
        if not all(w.is_digits(m) for m in mobiles):
            raise _bad("112")
        ids_text = params.text("mobileids")
        client_ids = tuple(i for i in (ids_text or "").split(",") if i) or None
        if client_ids is not None and (
            len(client_ids) != len(mobiles) or not all(w.is_digits(i) for i in client_ids)
        ):
            raise _bad("103")
        mid = params.text("mid") or None
        if mid is not None and not w.is_digits(mid):
            raise _bad("103")
        return SendSms(mobiles, content, extension=mid, client_ids=client_ids)

    def _decode_records_query(self, params: QueryParams) -> QuerySendRecords:
        page, day, key = params.text("page"), params.text("date"), params.text("key")
        if page is not None and (not w.is_digits(page) or len(page) > 9 or int(page) < 1):
            raise _bad("103")
        if key is not None and not w.is_digits(key):
            raise _bad("112")
        try:
            date = None if day is None else parse_date(day)
        except DecodeError:
            raise _bad("103") from None
        return QuerySendRecords(None if page is None else int(page), date, key)

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """Server role: the answer to ``request``; it does not depend on the request."""
        return self.encode_response(op, result, account)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The GBK answer carrying ``result``, or the refusal as ``sms&stat=N&message=…``."""
        if isinstance(result, GatewayError):
            return w.render_error(result)
        if isinstance(op, SendSms):
            if result != _receipts(op):
                raise EncodeError("smscn answers a send with one status, not per-number results")
            return w.render_status(w.SUCCESS, message=w.SUCCESS_TEXT)
        if isinstance(op, QueryBalance):
            return w.render_status(w.SUCCESS, remain=render_message_count(result, VENDOR))
        if isinstance(op, QuerySentCount):
            if not isinstance(result, int) or isinstance(result, bool):
                raise EncodeError(f"smscn sent counts are whole numbers, got {result!r}")
            count = render_message_count(Balance(Decimal(result)), VENDOR)
            return w.render_status(w.SUCCESS, remain=count)
        if isinstance(op, FetchReports):
            return w.render_reports(cast(Batch[DeliveryReport], result).items)
        if isinstance(op, FetchInbound):
            return w.render_inbound(cast(Batch[InboundMessage], result).items)
        if isinstance(op, QuerySendRecords):
            return w.render_send_records(cast(SendRecords, result))
        raise unsupported(VENDOR, op)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Every refusal, on every endpoint: ``sms&stat=N&message=…`` (errors-outside-mt-mm)."""
        return w.render_error(error)

    # ---------------------------------------------------------------- pushes (§6.2)

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[PushItem]:
        """A pushed status report (``status=``) or reply (``content=``), GET or POST form.

        The receiving account is looked up by the push's ``uid``.

        Quirk push-contradiction: the two shapes are told apart by their
        parameters. A push whose fields do not parse is kept raw in ``malformed``.
        """
        if request.method not in ("GET", "POST"):
            raise DecodeError(f"smscn pushes are GET or POST, not {request.method}")
        pairs, raw = _push_pairs(request)
        params = QueryParams(pairs, _PUSH_CHARSET)
        names = set(params.names())
        is_report, is_reply = "status" in names, "content" in names
        if not (is_report or is_reply):
            raise DecodeError("smscn push carries neither 'status' nor 'content'", raw)
        uid = params.raw("uid")
        if uid is None or lookup(uid.decode(_PUSH_CHARSET, "replace")) is None:
            raise DecodeError("smscn push is not for a known account's uid", raw)
        try:
            if is_report and is_reply:
                raise DecodeError("smscn push carries both 'status' and 'content'")
            item: PushItem = _push_report(params) if is_report else _push_reply(params)
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
                pairs += _report_pairs(item)
            else:
                pairs += _reply_pairs(item)
            requests.append(
                HttpRequest("GET", f"{self.push_path}?{build_query(pairs, _PUSH_CHARSET)}")
            )
        return tuple(requests)

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Any 2xx acknowledges: the document defines no body."""
        return 200 <= response.status < 300


def _remain(response: HttpResponse) -> str:
    fields = w.status_answer(response)
    if "remain" not in fields:
        raise DecodeError("smscn answer without 'remain'", response.body)
    return fields["remain"]


def _receipts(op: SendSms) -> SendResult:
    # One status for the whole send: every number is accepted, carrying its id.
    ids = op.client_ids or (None,) * len(op.mobiles)
    return SendResult(tuple(Receipt(m, None, c) for m, c in zip(op.mobiles, ids, strict=True)))


def _push_pairs(request: HttpRequest) -> tuple[list[tuple[str, bytes]], bytes]:
    """The push's parameters and the bytes they came from, query and form body alike.

    §6.2 pushes by GET or POST with the content a GBK string: the target's
    percent-escapes and raw bytes (a target built from the request line with
    surrogateescape) both come back as the GBK bytes the gateway sent. A POST may
    carry its data in the query string, the body, or both; all of it is read and
    all of it is kept for ``malformed``.
    """
    query = request.query
    pairs = parse_query(query)  # a lone surrogate is a DecodeError here
    raw = query.encode("utf-8", "surrogateescape")
    if request.method == "POST" and request.body:
        pairs += parse_query(request.body)
        raw = b"&".join(part for part in (raw, request.body) if part)
    return pairs, raw


def _push_report(params: QueryParams) -> DeliveryReport:
    mobile, code = params.require("mobile").strip(), params.require("status").strip()
    client_id = (params.text("mobileids") or "").strip()
    if not w.is_digits(mobile) or not w.is_status_value(code):
        raise DecodeError("status push with a bad number or status")
    if client_id and not w.is_digits(client_id):
        raise DecodeError("status push with a non-digit mobileids")
    return DeliveryReport(mobile, _status_of(code), code, client_id=client_id or None)


def _push_reply(params: QueryParams) -> InboundMessage:
    mobile, content = params.require("mobile").strip(), params.require("content")
    when = params.text("time")
    if not w.is_digits(mobile):
        raise DecodeError("reply push with a bad number")
    return InboundMessage(mobile, content, None if when is None else parse_dashed(when))


def _report_pairs(report: DeliveryReport) -> list[tuple[str, str]]:
    if (report.message_id, report.sent_at, report.reported_at, report.description) != (
        None,
        None,
        None,
        None,
    ):
        raise EncodeError("smscn status pushes carry only mobileids, number and status")
    if _status_of(report.code) is not report.status:
        raise EncodeError(f"smscn report code {report.code!r} does not mean {report.status}")
    if not w.is_status_value(report.code):
        raise EncodeError(f"status {report.code!r} must be a printable word without '|'")
    if report.client_id is not None:
        check_digits(report.client_id, "client_id")
    check_digits(report.mobile, "mobile")
    return [
        ("mobileids", report.client_id or ""),
        ("mobile", report.mobile),
        ("status", report.code),
    ]


def _reply_pairs(message: InboundMessage) -> list[tuple[str, str]]:
    if message.message_id is not None or message.destination is not None:
        raise EncodeError("smscn reply pushes carry no message id or destination")
    check_digits(message.mobile, "mobile")
    encode_text(message.content, _PUSH_CHARSET, "content")
    pairs = [] if message.received_at is None else [("time", format_seconds(message.received_at))]
    return [*pairs, ("mobile", message.mobile), ("content", message.content)]
