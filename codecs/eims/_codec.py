"""The EIMS codec: both roles of every exchange, and both sides of the report push."""

from __future__ import annotations

import contextlib
import hmac
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast

import attrs

from .._checks import check_content, join_mobiles, parse_code
from .._chinatime import format_compact, from_unix, parse_compact, to_unix
from .._codec import Lookup, PushItem, unsupported
from .._digest import digest_equal
from .._errors import DecodeError, EncodeError, GatewayError
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
from .._query import QueryParams, build_query, encode_text
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

R = TypeVar("R")

_EP = SPEC.endpoints
_PATHS = {path: kind for kind, path in _EP.items()}
_GET_MAX = SPEC.limit("get_max_mobiles")
_POST_MAX = SPEC.limit("post_max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_MAX_IDS = SPEC.limit("max_report_ids")
_MAX_INBOUND = SPEC.limit("max_inbound")
_MAX_PUSH = SPEC.limit("max_push_reports")
_JSON_HEADERS = (("Content-Type", SPEC.section.content_type),)
_METHODS = ("auto", "GET", "POST")

Send = SendSms | SendMessage


@attrs.frozen
class Codec:
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
        # The document's examples address replies to a 106 gateway number.
        inbound_fields=frozenset({"received_at", "message_id", "destination"}),
        default_destination="1069000012345",
        pushes=frozenset({REPORTS}),
        paths=frozenset(_EP.values()),
        describe=rec.report_description,
    )
    spec: ClassVar[Spec] = SPEC

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        return (SendSms, SendMessage, QueryBalance, QueryReports, FetchInbound)

    def _send_limit(self) -> int:
        return _GET_MAX if self.method == "GET" else _POST_MAX

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split sends above the per-request number limit and report queries above 200 ids."""
        parts: tuple[Any, ...] = (op,)
        if isinstance(op, SendSms):
            parts = split_field(op, "mobiles", self._send_limit(), "client_ids")
        elif isinstance(op, SendMessage):
            parts = split_field(op, "mobiles", self._send_limit())
        elif isinstance(op, QueryReports):
            parts = split_field(op, "ids", _MAX_IDS)
        return cast(tuple[Operation[R], ...], parts)

    # ---------------------------------------------------------------- client role

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The request performing ``op``; ``stamp`` supplies ``seq`` and ``time`` when signing."""
        head = [("version", self.version)] if self.version is not None else []
        auth = [*head, *account.credentials(stamp.seq, stamp.now)]
        if isinstance(op, (SendSms, SendMessage)):
            return self._encode_send(op, auth)
        if isinstance(op, QueryBalance):
            return _get(_EP["balance"], auth)
        if isinstance(op, QueryReports):
            if len(op.ids) > _MAX_IDS:
                raise EncodeError(
                    f"eims takes at most {_MAX_IDS} ids per report query, got {len(op.ids)}; "
                    "use codec.plan(op) to split"
                )
            return _get(_EP["reports"], [*auth, ("ids", ",".join(op.ids))], safe=",")
        if isinstance(op, FetchInbound):
            since = [] if op.since is None else [("start_time", str(to_unix(op.since)))]
            return _get(_EP["inbound"], [*auth, *since])
        if isinstance(op, FetchReports):
            raise EncodeError(
                "eims has no FetchReports: reports arrive by push (codec.decode_push) "
                "or by message id (eims.QueryReports)"
            )
        raise unsupported(VENDOR, op)

    def _encode_send(self, op: Send, auth: list[tuple[str, str]]) -> HttpRequest:
        # A SendSms is sent as it is, not rebuilt as a SendMessage: that would validate
        # its (already validated) numbers again, one by one, up to 10,000 of them.
        if isinstance(op, SendSms):
            if op.extension is not None or op.client_ids is not None:
                raise EncodeError("eims sends have no extension and no client ids")
            sms_type, options = 0, []
        else:
            sms_type, options = op.sms_type, [(k, v) for k, v in _options(op) if v is not None]
        post = self.method == "POST" or (self.method == "auto" and len(op.mobiles) > _GET_MAX)
        numbers = join_mobiles(op.mobiles, _POST_MAX if post else _GET_MAX, VENDOR)
        check_content(op.content, _MAX_CHARS, VENDOR)
        encode_text(op.content, "utf-8", "content")
        if isinstance(op, SendMessage):
            for name, value in (("mms_title", op.mms_title), ("sender", op.sender)):
                if value is not None:
                    encode_text(value, "utf-8", name)
        sendtime = None if op.send_at is None else format_compact(op.send_at)
        if not post:
            pairs = [*auth, ("smstype", str(sms_type)), ("numbers", numbers)]
            pairs.append(("content", op.content))
            pairs += options
            if sendtime is not None:
                pairs.append(("sendtime", sendtime))
            return _get(_EP["send"], pairs, safe=",")
        body: dict[str, Any] = {k: (int(v) if k in ("seq", "time") else v) for k, v in auth}
        body["content"] = op.content
        body["smstype"] = sms_type
        body.update(options)
        body["numbers"] = numbers
        if sendtime is not None:
            body["sendtime"] = sendtime
        return HttpRequest("POST", _EP["send"], _JSON_HEADERS, w.dumps(body, self.secrets))

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a non-zero ``status`` raises :class:`GatewayError`."""
        if isinstance(op, FetchReports) or not isinstance(op, tuple(self.operations())):
            raise unsupported(VENDOR, op)
        if response.status != 200:
            raise DecodeError(f"eims answered HTTP {response.status}", response.body)
        try:
            return cast(R, self._decode_answer(op, response.body))
        except DecodeError as exc:
            if exc.raw:
                raise
            raise DecodeError(exc.message, response.body) from None

    def _decode_answer(self, op: Operation[Any], raw: bytes) -> Any:
        obj = w.load_object(raw, "answer")
        if "status" not in obj:
            raise DecodeError("eims answer has no status")
        status = w.as_int(obj["status"], "status")
        if status != 0:
            raise SPEC.error(str(status), raw=raw)
        if isinstance(op, QueryBalance):
            if "balance" not in obj:
                raise DecodeError("eims balance answer has no balance")
            gift = obj.get("gift")
            return Balance(
                w.as_decimal(obj["balance"], "balance"),
                BalanceUnit.MONEY,
                None if gift is None else w.as_decimal(gift, "gift"),
            )
        if isinstance(op, (SendSms, SendMessage)):
            failed = w.as_int(obj.get("fail", 0), "fail")
            return SendResult(w.receipts(obj.get("array"), op.mobiles), failed)
        if isinstance(op, QueryReports):
            success, fail, unsent, sending, nofound = (
                w.as_int(obj.get(k, 0), k) for k in _COUNTERS
            )
            items, malformed = w.parse_rows(obj.get("array"), rec.parse_report_row, "report")
            reports = Batch(tuple(items), tuple(malformed))
            return ReportQuery(success, fail, unsent, sending, nofound, reports)
        items_in, malformed = w.parse_rows(obj.get("array"), rec.parse_inbound, "reply")
        return Batch(rec.unique_replies(items_in), tuple(malformed))

    # ---------------------------------------------------------------- server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a request, checked as the gateway checks it.

        GET parameters come from the query; a send may instead be a POST whose
        JSON body holds every parameter. The password is checked plain, or as
        the signed MD5 when the account has a key. The document sets no
        validity window for ``time``, so ``stamp`` is not used.
        """
        kind = _PATHS.get(request.path)
        if kind is None:
            raise DecodeError(f"eims has no endpoint {request.path!r}", _target_bytes(request))
        post = request.method == "POST" and kind == "send"
        if request.method != "GET" and not post:
            raise DecodeError(f"eims does not take {request.method} on {request.path}")
        try:
            params = _body_params(request.body) if post else _query_params(request.query)
        except DecodeError as exc:
            raw = request.body if post else _target_bytes(request)
            raise DecodeError(exc.message, raw) from None
        account = _authenticate(params, lookup)
        if kind == "balance":
            return QueryBalance(), account
        if kind == "reports":
            return QueryReports(_decode_ids(params.get("ids", ""))), account
        if kind == "inbound":
            return FetchInbound(_start_time(params.get("start_time") or None)), account
        return _decode_send(params, _POST_MAX if post else _GET_MAX), account

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """Server role: the answer to ``request``; it does not depend on the request."""
        return self.encode_response(op, result, account)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The JSON answer carrying ``result``, or ``{"status": code}`` for a refusal."""
        if isinstance(result, GatewayError):
            return _json({"status": _status_code(result)})
        if isinstance(op, QueryBalance):
            balance = cast(Balance, result)
            if balance.unit is not BalanceUnit.MONEY or not balance.amount.is_finite():
                raise EncodeError("eims balances are finite amounts of money")
            body: dict[str, Any] = {"status": 0, "balance": str(balance.amount)}
            if balance.gift is not None:
                if not balance.gift.is_finite():
                    raise EncodeError("eims gift balances are finite amounts of money")
                body["gift"] = str(balance.gift)
            return _json(body)
        if isinstance(op, (SendSms, SendMessage)):
            return _json(_send_answer(cast(SendResult, result)))
        if isinstance(op, QueryReports):
            query = cast(ReportQuery, result)
            _refuse_malformed(query.reports)
            counts = {k: getattr(query, k) for k in _COUNTERS}
            rows = [rec.render_report_row(r) for r in query.reports.items]
            return _json({"status": 0, **counts, "array": rows})
        if isinstance(op, FetchInbound):
            replies = cast(Batch[InboundMessage], result)
            _refuse_malformed(replies)
            if len(replies.items) > _MAX_INBOUND:
                raise EncodeError(f"eims answers at most {_MAX_INBOUND} replies per request")
            rows = [rec.render_inbound(m) for m in replies.items]
            return _json({"status": 0, "cnt": len(rows), "array": rows})
        raise unsupported(VENDOR, op)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Every EIMS refusal is ``{"status": code}``."""
        return _json({"status": _status_code(error)})

    # ---------------------------------------------------------------- report push

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[PushItem]:
        """Receiver: the reports of one push (``PUT``, or ``POST`` from some deployments).

        An EIMS push names no account, so ``lookup`` is not consulted. A JSON
        object without the push's ``array`` is not an EIMS push.
        """
        if request.method not in ("PUT", "POST"):
            raise DecodeError(f"eims pushes reports with PUT, not {request.method}", request.body)
        try:
            items, malformed = rec.parse_push(request.body)
        except DecodeError as exc:
            raise DecodeError(exc.message, exc.raw or request.body) from None
        return Batch(cast(tuple[PushItem, ...], tuple(items)), tuple(malformed))

    def push_ack(self) -> HttpResponse:
        """Receiver: ``200 ok`` (the document does not say what the gateway expects)."""
        return HttpResponse(200, (("Content-Type", "text/plain;charset=utf-8"),), b"ok")

    def encode_push(self, batch: Batch[PushItem], account: Account) -> tuple[HttpRequest, ...]:
        """Gateway: one ``PUT`` per 50 reports to ``push_path``."""
        _refuse_malformed(batch)
        rows: list[list[Any]] = []
        for item in batch.items:
            if not isinstance(item, DeliveryReport):
                raise EncodeError("eims pushes delivery reports only, not inbound messages")
            rows.append(rec.render_push_row(item))
        return tuple(
            HttpRequest(
                "PUT",
                self.push_path,
                _JSON_HEADERS,
                w.dumps({"type": "report", "cnt": len(chunk), "array": chunk}),
            )
            for chunk in (rows[i : i + _MAX_PUSH] for i in range(0, len(rows), _MAX_PUSH))
        )

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Gateway: any 2xx answer acknowledges the push."""
        return 200 <= response.status < 300


_COUNTERS = ("success", "fail", "unsent", "sending", "nofound")


def _options(op: SendMessage) -> list[tuple[str, str | None]]:
    return [("mmstitle", op.mms_title), ("sender", op.sender)]


def _get(path: str, pairs: list[tuple[str, str]], safe: str = "") -> HttpRequest:
    return HttpRequest("GET", f"{path}?{build_query(pairs, 'utf-8', safe)}")


def _json(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(200, _JSON_HEADERS, w.dumps(body))


def _status_code(error: GatewayError) -> int:
    code = parse_code(error.code)
    if code is None:
        raise EncodeError(f"eims status codes are integers, not {error.code!r}")
    return code


def _refuse_malformed(batch: Batch[Any]) -> None:
    if batch.malformed:
        raise EncodeError("eims cannot render malformed fragments; give parsed records only")


def _send_answer(result: SendResult) -> dict[str, Any]:
    rows: list[list[Any]] = []
    for receipt in result.receipts:
        if receipt.mobile is None or receipt.message_id is None:
            raise EncodeError("eims send rows carry a number and its id; both are required")
        if receipt.client_id is not None:
            raise EncodeError("eims send rows carry no client id")
        rows.append([w.wire_id(receipt.mobile), w.wire_id(receipt.message_id)])
    if result.batch_id is not None:
        raise EncodeError("eims send answers carry no batch id")
    return {"status": 0, "success": len(rows), "fail": result.failed, "array": rows}


def _target_bytes(request: HttpRequest) -> bytes:
    """The request-line bytes of a target (the transports decode them with surrogateescape)."""
    try:
        return request.target.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A lone surrogate no request line can carry: keep it visible, byte for byte.
        return request.target.encode("utf-8", "surrogatepass")


def _start_time(start: str | None) -> datetime | None:
    if start is None:
        return None
    seconds = parse_code(start)
    if seconds is not None and seconds >= 0:
        with contextlib.suppress(DecodeError):  # past any calendar
            return from_unix(seconds)
    # The nearest refusal the table has for a time it cannot read.
    raise SPEC.error("-11", detail="start_time is not Unix seconds")


def _query_params(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in QueryParams.parse(query, "utf-8").items_text():
        params.setdefault(name, value)
    return params


def _body_params(body: bytes) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in w.load_object(body, "request body").items():
        if isinstance(value, str):
            params[name] = value
        elif type(value) is int:
            params[name] = str(value)
        elif value is not None:
            raise DecodeError(f"eims request parameter {name!r} is not a string or an integer")
    return params


def _authenticate(params: dict[str, str], lookup: Lookup[Account]) -> Account:
    name = params.get("account")
    given = params.get("password")
    account = lookup(name) if name else None
    if account is None or given is None:
        raise SPEC.error("-1")
    if account.key is None:
        ok = hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"),
            account.password.encode("utf-8", "surrogatepass"),
        )
    else:
        seq = parse_code(params.get("seq", ""))
        time = parse_code(params.get("time", ""))
        ok = (
            seq is not None
            and time is not None
            and digest_equal(given, account.signed_password(seq, time))
        )
    if not ok:
        raise SPEC.error("-1")
    return account


def _decode_ids(text: str) -> tuple[str, ...]:
    # The document calls report ids "号码", so the number errors apply to them.
    ids = tuple(i for i in text.split(",") if i)
    if not ids:
        raise SPEC.error("-8", detail="no ids")
    if len(ids) > _MAX_IDS:
        raise SPEC.error("-7", detail=f"more than {_MAX_IDS} ids")
    if not all(i.isascii() and i.isdigit() for i in ids):
        raise SPEC.error("-9", detail="ids must be digits")
    return ids


def _decode_send(params: dict[str, str], limit: int) -> Operation[Any]:
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
    sendtime = params.get("sendtime") or None
    send_at = None
    if sendtime is not None:
        if len(sendtime) != 14:
            raise SPEC.error("-11")
        try:
            send_at = parse_compact(sendtime)
        except DecodeError:
            raise SPEC.error("-11") from None
    message = SendMessage(
        mobiles,
        content,
        sms_type,
        params.get("mmstitle") or None,
        params.get("sender") or None,
        send_at,
    )
    if message.is_plain:
        return SendSms(mobiles, content, send_at=send_at)
    return message
