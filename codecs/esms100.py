"""esms100 (api.esms100.com:8080): GET or POST requests, plain-text GBK answers.

Operations: :class:`SendSms` (``/mt/``), :class:`FetchInbound` (``/mo/``),
:class:`QueryBalance` (``/qamount/``), :class:`FetchReports` (``/qreport/``)
and the vendor's own :class:`ChangePassword` (``/ent/``).

``cppwd`` is the upper-case MD5 of the password; an :class:`Account` accepts
the password or the already-hashed value (either case). Requests are GBK
unless the codec is built with ``charset="utf-8"``, which adds ``encode=utf8``
to every request (quirk encode-listed-only-for-mt); answers are always GBK.
``method="POST"`` sends the same parameters as an
``application/x-www-form-urlencoded`` body (§1 "GET/POST"). Sends and password
changes succeed on ``0`` alone; any other code, and a negative count or
balance, is a :class:`GatewayError` with the kind from ``specs/esms100.toml``
(``UNKNOWN`` for a code the table lacks).

Wire formats (both directions):

* replies: ``N`` on the first line, then ``time##phone##text`` records joined
  by ``||``; an empty body or ``0`` means none. A text may hold ``||`` or end
  in ``|``: the count line decides where records start (quirk
  mo-text-separators), and an answer whose records do not add up to it is
  given back whole in ``malformed``;
* reports: ``N`` on the first line, then one ``time||phone||status`` per line,
  status ``0`` pending, ``1`` delivered, ``2`` failed, any other UNKNOWN with
  its code kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast

import attrs

from ._checks import (
    check_content,
    check_digits,
    join_mobiles,
    parse_code,
    parse_message_count,
    render_message_count,
)
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
from ._query import QueryParams, build_query, check_charset, encode_text, parse_query
from ._records import (
    RecordParseError,
    decode_lenient,
    fragment_bytes,
    parse_fragments,
    report_status,
    split_records,
)
from ._spec import Spec, load_spec

__all__ = ["Account", "ChangePassword", "Codec"]

R = TypeVar("R")


@attrs.frozen
class Esms100Section:
    """``[esms100]``: requests are GBK unless ``encode=utf8`` is sent; answers always GBK."""

    request_charset: str
    response_charset: str


SPEC: Spec[Esms100Section] = load_spec("esms100", Esms100Section)
VENDOR = SPEC.vendor
_ANSWER_CHARSET = SPEC.section.response_charset
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_EP = SPEC.endpoints

#: §7: 0 未收到状态报告, 1 发送成功, 2 发送失败 (the spec's ``report_states``)
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status


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


def _accepted(response: HttpResponse) -> None:
    """A send or password change: §4 "返回值“0”表示提交成功，否则返回错误代码"."""
    answer = _answer_text(response)[0].strip()
    if answer == "0":
        return
    if parse_code(answer) is None:
        raise DecodeError("esms100 answer is not a status code", response.body)
    # Positive codes are not in the table: still a refusal, of an unknown kind.
    raise SPEC.error(answer, raw=response.body)


def _balance(response: HttpResponse) -> Balance:
    """§6: "“0”或正整数为剩余条数，小于 0 为错误代码"."""
    answer = _answer_text(response)[0]
    code = parse_code(answer)
    if code is not None and code < 0:
        raise SPEC.error(str(code), raw=response.body)
    return parse_message_count(answer, VENDOR, response.body)


def _parse_reply(fragment: str) -> InboundMessage:
    when, _, tail = fragment.partition("##")
    mobile, sep, content = tail.partition("##")
    mobile = mobile.strip()
    if not (sep and mobile.isdigit()):
        # Known variant (quirk mo-single-hash): one '#' after the phone.
        mobile, sep, content = tail.partition("#")
        mobile = mobile.strip()
        if not (sep and mobile.isdigit()):
            raise DecodeError("reply record without '##' separators or a phone number")
    if not mobile.isascii():
        raise DecodeError("reply without a phone number")
    return InboundMessage(mobile, content, parse_dashed(when.lstrip("\r\n")))


#: The start of a reply record: time, '##', phone, '#' (one is enough: mo-single-hash).
_REPLY_HEAD = r"\s*\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?\s*##\s*\d+\s*#"
#: A '||' that starts a record; in '|||' the last two bars are the separator.
_REPLY_BOUNDARY = re.compile(rf"\|\|(?={_REPLY_HEAD})", re.ASCII)
_HEAD_AFTER_BARS = re.compile(rf"\|\|{_REPLY_HEAD}", re.ASCII)


def _framed(parts: list[str], count: int) -> bool:
    return len(parts) == count and all(p and not p.isspace() for p in parts)


def _decode_replies(response: HttpResponse) -> Batch[InboundMessage]:
    """§5: "返回值第一行为回复信息数量", then records joined by ``||``.

    Texts may hold ``||`` or end in ``|``, so the count line decides: the
    plain split, then a split only where a record head follows ``||``, is
    taken when it yields exactly the announced number of records. When
    neither does, no reading is safe and the body is kept whole in
    ``malformed`` (quirk mo-text-separators).
    """
    text, clean = _answer_text(response)
    if not text.strip():
        return Batch()
    head, _, rest = text.partition("\n")
    count = _status(head, response)
    # A trailing line break belongs to the body, not to the last record.
    rest = rest.rstrip("\r\n")
    if not rest.strip():
        if count:
            raise DecodeError(f"esms100 announced {count} replies and sent none", response.body)
        return Batch()
    fragments = rest.split("||")
    if clean and len(fragments) == count:
        # Fast path: the usual answer, every fragment one record.
        try:
            return Batch(tuple([_parse_reply(f) for f in fragments]))
        except RecordParseError:
            pass
    for parts in (_REPLY_BOUNDARY.split(rest), fragments):
        if _framed(parts, count):
            items, malformed = parse_fragments(parts, _parse_reply, _ANSWER_CHARSET, clean)
            return Batch(tuple(items), tuple(malformed))
    return Batch((), (fragment_bytes(rest, _ANSWER_CHARSET),))


def _parse_report(line: str) -> DeliveryReport:
    when, mobile, code = line.split("||")
    code = code.strip()
    mobile = mobile.strip()
    if not mobile.isdigit() or not code:
        raise DecodeError("report without a phone number or a status")
    status = report_status(REPORT_STATUS, code)
    # Positional: keyword arguments cost a dict per record on this hot path.
    return DeliveryReport(mobile, status, code, None, None, parse_dashed(when))


def _decode_reports(response: HttpResponse) -> Batch[DeliveryReport]:
    """§7: a count line (negative: an error), then one report per line."""
    text, clean = _answer_text(response)
    if not text.strip():
        return Batch()
    head, _, rest = text.partition("\n")
    _status(head, response)
    items, malformed = split_records(
        rest.rstrip("\r\n"), "\n", _parse_report, _ANSWER_CHARSET, clean
    )
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
    # '||' and a final '|' are read back by the count line; a record head after
    # '||' would make the answer ambiguous, a final line break would be trimmed.
    if _HEAD_AFTER_BARS.search(msg.content) or msg.content.endswith(("\r", "\n")):
        raise EncodeError(
            "reply content holding '||' before a record head, or ending in a line break, "
            "cannot be framed"
        )
    return f"{_format_reply_time(msg.received_at)}##{msg.mobile}##{msg.content}"


def _render_report(report: DeliveryReport) -> str:
    code = report.code
    if not code or code != code.strip() or "||" in code or "\n" in code:
        raise EncodeError(f"esms100 report code {code!r} cannot be framed")
    if report_status(REPORT_STATUS, code) is not report.status:
        raise EncodeError(f"esms100 report code {code!r} does not mean {report.status}")
    if report.sent_at is None:
        raise EncodeError("esms100 reports carry the send time; sent_at is required")
    extra = (report.message_id, report.client_id, report.reported_at, report.description)
    if extra != (None, None, None, None) or report.extension is not None:
        raise EncodeError("esms100 reports carry only time, phone and status")
    check_digits(report.mobile, "mobile")
    return f"{format_seconds(report.sent_at)}||{report.mobile}||{report.code}"


# --------------------------------------------------------------------------- the codec

_METHODS = ("GET", "POST")
_FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def _check_method(_inst: Any, _attr: attrs.Attribute[str], value: str) -> None:
    if value not in _METHODS:
        raise EncodeError(f"method must be one of {', '.join(_METHODS)}, not {value!r}")


@attrs.frozen
class Codec:
    """The esms100 codec.

    ``charset`` is the request charset, ``"gbk"`` or ``"utf-8"``; ``method``
    how requests travel, ``"GET"`` (query string, the document's examples) or
    ``"POST"`` (the same parameters as a form body). The server role reads both.
    """

    charset: str = attrs.field(default="gbk", converter=check_charset)
    method: str = attrs.field(default="GET", validator=_check_method)
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
        """The request performing ``op`` (``stamp`` is unused: this wire has no clock).

        GET carries the parameters in the query string; POST in a form body.
        """
        path, query = self._parameters(op, account)
        if self.charset == "utf-8":
            # §2 "如提交的是UTF-8 编码字符,需要添加参数 encode=utf8": every request says so
            # (quirk encode-listed-only-for-mt), where real clients put it: last.
            query += "&encode=utf8"
        if self.method == "POST":
            return HttpRequest("POST", path, _FORM, query.encode("ascii"))
        return HttpRequest("GET", f"{path}?{query}")

    def _parameters(self, op: Operation[Any], account: Account) -> tuple[str, str]:
        """The endpoint and the url-encoded parameters of ``op``."""
        auth = [("cpid", account.cpid), ("cppwd", account.password_md5)]
        if isinstance(op, SendSms):
            phones = self._check_send(op)
            # Checked digits and commas: up to 12,000 characters with nothing to escape.
            text = build_query([("msgtext", op.content)], self.charset)
            return _EP["send"], f"{build_query(auth, self.charset)}&phone={phones}&{text}"
        if isinstance(op, ChangePassword):
            pairs = [
                ("cpid", account.cpid),
                ("oldpwd", account.password_md5),
                ("newpwd", op.new_password),
            ]
            return _EP["change_password"], build_query(pairs, self.charset)
        if isinstance(op, FetchInbound):
            if op.since is not None:
                raise EncodeError("esms100 cannot fetch replies since a time")
            return _EP["inbound"], build_query(auth, self.charset)
        if isinstance(op, QueryBalance):
            return _EP["balance"], build_query(auth, self.charset)
        if isinstance(op, FetchReports):
            return _EP["reports"], build_query(auth, self.charset)
        raise unsupported(VENDOR, op)

    def _check_send(self, op: SendSms) -> str:
        """Refuse what esms100 cannot send; return the ``phone`` value."""
        phones = join_mobiles(op.mobiles, _MAX_MOBILES, VENDOR)
        check_content(op.content, _MAX_CHARS, VENDOR)
        encode_text(op.content, self.charset, "content")
        if op.send_at is not None or op.extension is not None or op.client_ids is not None:
            raise EncodeError("esms100 sends have no schedule, extension or client ids")
        return phones

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a refusal code raises :class:`GatewayError`."""
        result: Any
        if isinstance(op, SendSms):
            _accepted(response)
            result = SendResult(tuple(Receipt(m) for m in op.mobiles))
        elif isinstance(op, QueryBalance):
            result = _balance(response)
        elif isinstance(op, FetchInbound):
            result = _decode_replies(response)
        elif isinstance(op, FetchReports):
            result = _decode_reports(response)
        elif isinstance(op, ChangePassword):
            # §8 "“0”-成功，“-1”-失败".
            _accepted(response)
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
        if request.method not in ("GET", "POST"):
            raise DecodeError(f"esms100 takes GET or POST, not {request.method}")
        # §1 "通过 HTTP 的 GET/POST 方式交换": a POST's form body counts as well.
        pairs = parse_query(request.query)
        if request.method == "POST":
            pairs += parse_query(request.body)
        params = QueryParams(pairs, "gbk")
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
            value = parse_code(result.code)
            # "0" is success; a count or a balance is positive: a refusal there is negative.
            if not value or (value > 0 and not isinstance(op, (SendSms, ChangePassword))):
                raise EncodeError(f"esms100 cannot answer {type(op).__name__} with {result.code!r}")
            return _text(result.code)
        if isinstance(op, (SendSms, ChangePassword)):
            return _text("0")
        if isinstance(op, QueryBalance):
            return _text(render_message_count(result, VENDOR))
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
