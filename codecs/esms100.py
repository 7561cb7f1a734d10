"""esms100 (api.esms100.com:8080): GET requests, plain-text GBK answers.

Operations: :class:`SendSms` (``/mt/``), :class:`FetchInbound` (``/mo/``),
:class:`QueryBalance` (``/qamount/``), :class:`FetchReports` (``/qreport/``)
and the vendor's own :class:`ChangePassword` (``/ent/``).

``cppwd`` is the upper-case MD5 of the password; an :class:`Account` accepts
the password or the already-hashed value. Requests are GBK unless the codec
is built with ``charset="utf-8"`` (which adds ``encode=utf8`` to sends);
answers are always GBK. A negative answer is a status code and becomes a
:class:`GatewayError` with the kind from ``specs/esms100.toml``.

Wire formats (both directions):

* replies: ``N`` on the first line, then ``time##phone##text`` records joined
  by ``||``; an empty body or ``0`` means none;
* reports: ``N`` on the first line, then one ``time||phone||status`` per line,
  status ``0`` pending, ``1`` delivered, ``2`` failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar, cast

import attrs

from ._checks import check_content, check_digits, join_mobiles, parse_code
from ._chinatime import format_minutes, format_seconds, parse_dashed
from ._codec import Lookup, unsupported
from ._digest import digest_equal, md5_hex_upper
from ._errors import DecodeError, EncodeError, GatewayError
from ._http import HttpRequest, HttpResponse
from ._models import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
)
from ._plan import split_field
from ._query import QueryParams, build_query, check_charset, encode_text
from ._records import check_field, decode_lenient, split_records
from ._spec import Spec, load_spec

__all__ = ["Account", "ChangePassword", "Codec"]

R = TypeVar("R")

SPEC = load_spec("esms100")
VENDOR = SPEC.vendor
_ANSWER_CHARSET: str = SPEC.extra["response_charset"]
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_EP = SPEC.endpoints

#: §7: 0 未收到状态报告, 1 发送成功, 2 发送失败
REPORT_STATUS: dict[str, DeliveryStatus] = {
    "0": DeliveryStatus.PENDING,
    "1": DeliveryStatus.DELIVERED,
    "2": DeliveryStatus.FAILED,
}


def _is_md5_hex(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdefABCDEF" for c in value)


@attrs.frozen
class Account:
    """An esms100 account: ``cpid`` and either the password or its MD5 (``cppwd``)."""

    cpid: str
    password: str | None = attrs.field(default=None, repr=False)
    cppwd: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if (self.password is None) == (self.cppwd is None):
            raise EncodeError("esms100.Account needs exactly one of password= or cppwd=")
        if self.cppwd is not None and not _is_md5_hex(self.cppwd):
            raise EncodeError("esms100.Account: cppwd must be 32 hexadecimal digits")

    @property
    def password_md5(self) -> str:
        """``cppwd`` as the wire carries it: upper-case hex MD5 of the password."""
        if self.cppwd is not None:
            return self.cppwd.upper()
        return md5_hex_upper(cast(str, self.password))


def _check_new_password(_inst: Any, _attr: attrs.Attribute[str], value: str) -> None:
    low, high = SPEC.limit("new_password_min_chars"), SPEC.limit("new_password_max_chars")
    if not (low <= len(value) <= high) or not value.isascii() or not value.isprintable():
        raise EncodeError(f"new_password must be {low} to {high} printable ASCII characters")


@attrs.frozen
class ChangePassword(Operation[None]):
    """Change the account's password (``/ent/``); the old one is the account's."""

    effect: ClassVar[Effect] = Effect.WRITE
    rate_key: ClassVar[str] = "change_password"

    new_password: str = attrs.field(repr=False, validator=_check_new_password)


# --------------------------------------------------------------------------- answers


def _answer_text(response: HttpResponse) -> tuple[str, bool]:
    """The answer decoded as GBK (leniently: bad bytes end up in ``malformed``)."""
    if response.status != 200:
        raise DecodeError(f"esms100 answered HTTP {response.status}", response.body)
    return decode_lenient(response.body, _ANSWER_CHARSET)


def _status(head: str, response: HttpResponse) -> int:
    code = parse_code(head)
    if code is None:
        raise DecodeError("esms100 answer does not start with a number", response.body)
    if code < 0:
        raise SPEC.error(str(code), raw=response.body)
    return code


def _code_answer(response: HttpResponse) -> int:
    """A one-number answer (send, balance, password change)."""
    return _status(_answer_text(response)[0], response)


def _parse_reply(fragment: str) -> InboundMessage:
    when, _, tail = fragment.partition("##")
    mobile, sep, content = tail.partition("##")
    if not sep:
        # Known variant (quirk mo-single-hash): one '#' after an all-digit phone.
        mobile, sep, content = tail.partition("#")
        if not sep or not mobile.isdigit():
            raise DecodeError("reply record without '##' separators")
    mobile = mobile.strip()
    if not mobile.isascii() or not mobile.isdigit():
        raise DecodeError("reply without a phone number")
    return InboundMessage(mobile, content, parse_dashed(when.lstrip("\r\n")))


def _parse_report(line: str) -> DeliveryReport:
    when, mobile, code = line.split("||")
    code = code.strip()
    mobile = mobile.strip()
    if not mobile.isdigit():
        raise DecodeError("report without a phone number")
    # Positional: keyword arguments cost a dict per record on this hot path.
    return DeliveryReport(mobile, REPORT_STATUS[code], code, None, None, parse_dashed(when))


def _decode_batch(
    response: HttpResponse, separator: str, parse: Callable[[str], Any]
) -> Batch[Any]:
    """A count line (negative: an error), then records; empty means none."""
    text, clean = _answer_text(response)
    if not text.strip():
        return Batch()
    head, _, rest = text.partition("\n")
    _status(head, response)
    # A trailing line break belongs to the body, not to the last record.
    items, malformed = split_records(rest.rstrip("\r\n"), separator, parse, _ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


# --------------------------------------------------------------------------- rendering


def _format_reply_time(value: datetime) -> str:
    # The document writes reply times without seconds; keep them when present.
    return format_minutes(value) if value.second == 0 else format_seconds(value)


def _render_reply(msg: InboundMessage) -> str:
    if msg.received_at is None:
        raise EncodeError("esms100 replies carry a time; received_at is required")
    if msg.message_id is not None or msg.destination is not None:
        raise EncodeError("esms100 replies carry no message id or destination")
    check_digits(msg.mobile, "mobile")
    check_field(msg.content, ("||",), "reply content")
    if msg.content.endswith(("|", "\r", "\n")):
        raise EncodeError("reply content ending in '|' or a line break cannot be framed")
    return f"{_format_reply_time(msg.received_at)}##{msg.mobile}##{msg.content}"


def _render_report(report: DeliveryReport) -> str:
    if REPORT_STATUS.get(report.code) is not report.status:
        raise EncodeError(f"esms100 report code {report.code!r} does not mean {report.status}")
    if report.sent_at is None:
        raise EncodeError("esms100 reports carry the send time; sent_at is required")
    if (report.message_id, report.client_id, report.reported_at, report.description) != (
        None,
        None,
        None,
        None,
    ):
        raise EncodeError("esms100 reports carry only time, phone and status")
    check_digits(report.mobile, "mobile")
    return f"{format_seconds(report.sent_at)}||{report.mobile}||{report.code}"


# --------------------------------------------------------------------------- the codec


@attrs.frozen
class Codec:
    """The esms100 codec. ``charset`` is the request charset: ``"gbk"`` or ``"utf-8"``."""

    charset: str = attrs.field(default="gbk", converter=check_charset)
    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"cppwd", "oldpwd", "newpwd"})
    spec: ClassVar[Spec] = SPEC

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        return (SendSms, FetchInbound, QueryBalance, FetchReports, ChangePassword)

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split a send of more than 1000 numbers into sends of at most 1000."""
        if isinstance(op, SendSms):
            return cast(tuple[Operation[R], ...], split_field(op, "mobiles", _MAX_MOBILES))
        return (op,)

    # ---------------------------------------------------------------- client role

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The GET request performing ``op`` (``stamp`` is unused: this wire has no clock)."""
        auth = [("cpid", account.cpid), ("cppwd", account.password_md5)]
        if isinstance(op, SendSms):
            phones = self._check_send(op)
            tail = [("msgtext", op.content)]
            if self.charset == "utf-8":
                tail.append(("encode", "utf8"))
            # Checked digits and commas: up to 12,000 characters with nothing to escape.
            query = f"{build_query(auth, self.charset)}&phone={phones}&"
            return HttpRequest("GET", f"{_EP['send']}?{query}{build_query(tail, self.charset)}")
        if isinstance(op, ChangePassword):
            pairs = [
                ("cpid", account.cpid),
                ("oldpwd", account.password_md5),
                ("newpwd", op.new_password),
            ]
            return self._get(_EP["change_password"], pairs)
        if isinstance(op, FetchInbound):
            if op.since is not None:
                raise EncodeError("esms100 cannot fetch replies since a time")
            return self._get(_EP["inbound"], auth)
        if isinstance(op, QueryBalance):
            return self._get(_EP["balance"], auth)
        if isinstance(op, FetchReports):
            return self._get(_EP["reports"], auth)
        raise unsupported(VENDOR, op)

    def _get(self, path: str, pairs: list[tuple[str, str]]) -> HttpRequest:
        return HttpRequest("GET", f"{path}?{build_query(pairs, self.charset)}")

    def _check_send(self, op: SendSms) -> str:
        """Refuse what esms100 cannot send; return the ``phone`` value."""
        phones = join_mobiles(op.mobiles, _MAX_MOBILES, VENDOR)
        check_content(op.content, _MAX_CHARS, VENDOR)
        encode_text(op.content, self.charset, "content")
        if op.send_at is not None or op.extension is not None or op.client_ids is not None:
            raise EncodeError("esms100 sends have no schedule, extension or client ids")
        return phones

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a negative answer raises :class:`GatewayError`."""
        result: Any
        if isinstance(op, SendSms):
            _code_answer(response)
            result = SendResult(tuple(Receipt(m) for m in op.mobiles))
        elif isinstance(op, QueryBalance):
            result = Balance(Decimal(_code_answer(response)))
        elif isinstance(op, FetchInbound):
            result = _decode_batch(response, "||", _parse_reply)
        elif isinstance(op, FetchReports):
            result = _decode_batch(response, "\n", _parse_report)
        elif isinstance(op, ChangePassword):
            _code_answer(response)
            result = None
        else:
            raise unsupported(VENDOR, op)
        return cast(R, result)

    # ---------------------------------------------------------------- server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a request, checked as the gateway checks it."""
        path = request.path
        if path not in _PATHS:
            raise DecodeError(f"esms100 has no endpoint {path!r}")
        params = QueryParams.parse(request.query, "gbk")
        encode = params.text("encode")
        if encode is not None and encode.lower() in ("utf8", "utf-8"):
            params.charset = "utf-8"
        cpid = params.text("cpid")
        key = "oldpwd" if path == _EP["change_password"] else "cppwd"
        given = params.text(key)
        if given is None:
            raise SPEC.error("-3")
        account = lookup(cpid) if cpid else None
        if account is None or not digest_equal(given, account.password_md5):
            raise SPEC.error("-1")
        kind = _PATHS[path]
        if kind == "send":
            return self._decode_send(params), account
        if kind == "change_password":
            new = params.text("newpwd")
            try:
                return ChangePassword(new or ""), account
            except EncodeError:
                raise SPEC.error(
                    "-1", message="新密码不合规 (new password not 1~20 characters)"
                ) from None
        return _FETCHES[kind](), account

    def _decode_send(self, params: QueryParams) -> SendSms:
        phones = params.text("phone")
        if not phones:
            raise SPEC.error("-5")
        content = params.text("msgtext")
        if not content:
            raise SPEC.error("-4")
        mobiles = tuple(m for m in phones.split(",") if m)
        if len(mobiles) > _MAX_MOBILES:
            raise SPEC.error("-8")
        if not all(m.isascii() and m.isdigit() for m in mobiles) or not mobiles:
            raise SPEC.error("-16")
        if len(content) > _MAX_CHARS:
            raise SPEC.error("-7")
        return SendSms(mobiles, content)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The plain-text GBK answer carrying ``result`` (or the error's code)."""
        if isinstance(result, GatewayError):
            return _text(result.code)
        if isinstance(op, (SendSms, ChangePassword)):
            return _text("0")
        if isinstance(op, QueryBalance):
            amount = cast(Balance, result).amount
            if amount != amount.to_integral_value() or amount < 0 or cast(Balance, result).gift:
                raise EncodeError("esms100 balances are a whole, non-negative message count")
            return _text(str(int(amount)))
        if isinstance(op, FetchInbound):
            replies = cast(Batch[InboundMessage], result).items
            if not replies:
                return _text("")
            return _text(f"{len(replies)}\n" + "||".join(_render_reply(m) for m in replies))
        if isinstance(op, FetchReports):
            reports = cast(Batch[DeliveryReport], result).items
            return _text("\n".join([str(len(reports)), *(_render_report(r) for r in reports)]))
        raise unsupported(VENDOR, op)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Every esms100 refusal is its negative code as the whole body."""
        return _text(error.code)


def _text(body: str) -> HttpResponse:
    data = encode_text(body, _ANSWER_CHARSET, "answer text")
    return HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), data)


_PATHS: dict[str, str] = {path: kind for kind, path in _EP.items()}
_FETCHES: dict[str, Callable[[], Operation[Any]]] = {
    "inbound": FetchInbound,
    "balance": QueryBalance,
    "reports": FetchReports,
}
