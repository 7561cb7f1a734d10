"""esms100's document operations, one section each in the document's order (§4–§8),
and the codec that serves them from these exchanges."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs

from .._checks import (
    check_content,
    check_digits,
    join_mobiles,
    parse_code,
    parse_message_count,
    render_message_count,
)
from .._chinatime import format_minutes, format_seconds, parse_dashed
from .._codec import Lookup
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange, ExchangeCodec, Exchanges
from .._http import HttpRequest, HttpResponse
from .._models import (
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
from .._plan import split_field
from .._query import (
    CredentialMemo,
    build_query,
    check_charset,
    urlencode_value,
)
from .._records import (
    RecordParseError,
    fragment_bytes,
    parse_fragments,
    report_status,
    split_records,
)
from .._spec import Spec
from .._traits import WireTraits, first_code
from ._wire import (
    _ANSWER_CHARSET,
    _ENT,
    _MAX_CHARS,
    _MAX_MOBILES,
    _METHODS,
    _MO,
    _MT,
    _QAMOUNT,
    _QREPORT,
    _STATUS,
    SPEC,
    VENDOR,
    Account,
    _accepted,
    _answer_text,
    _answer_zero,
    _auth_query,
    _authorised,
    _plain,
    _request,
    _status,
    _text,
)

__all__ = ["REPORT_STATUS", "ChangePassword", "Codec"]


# --------------------------------------------------------------- §4 提交发送(MT)


def _mt_split(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    """§4 "不多于1000号码": a larger send becomes sends of at most 1000."""
    return split_field(op, "mobiles", _MAX_MOBILES)


def _mt_request(codec: Codec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
    phones = join_mobiles(op.mobiles, _MAX_MOBILES, VENDOR)
    check_content(op.content, _MAX_CHARS, VENDOR)
    # Encoded once: refusing a character the charset lacks is this same call.
    text = urlencode_value(op.content, codec.charset, "", "content")
    if op.send_at is not None or op.extension is not None or op.client_ids is not None:
        raise EncodeError("esms100 sends have no schedule, extension or client ids")
    # Checked digits and commas: up to 12,000 characters with nothing to escape,
    # copied once, into the target.
    return _request(codec, _MT, _auth_query(codec, account), "&phone=", phones, "&msgtext=", text)


def _mt_answer(codec: Codec, op: SendSms, response: HttpResponse, account: Account) -> SendResult:
    _accepted(response)
    return SendResult(tuple(Receipt(m) for m in op.mobiles))


def _mt_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[SendSms, Account]:
    params, account = _authorised(request, lookup)
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
    return SendSms(mobiles, content), account


SEND = Exchange(
    SendSms, _MT, _METHODS, _mt_request, _mt_answer, _mt_read, _answer_zero, _STATUS, _mt_split
)


# ------------------------------------------------------ §5 接收回复信息操作(MO)


def _reply_fields(fragment: str) -> tuple[str, str, str]:
    """Time, phone and text of a record with blanks around its phone, or one '#'."""
    when, _, tail = fragment.partition("##")
    mobile, sep, content = tail.partition("##")
    mobile = mobile.strip()
    if not (sep and mobile.isdigit()):
        # Known variant (quirk mo-single-hash): one '#' after the phone.
        mobile, sep, content = tail.partition("#")
        mobile = mobile.strip()
        if not (sep and mobile.isdigit()):
            raise DecodeError("reply record without '##' separators or a phone number")
    return when, mobile, content


def _parse_reply(fragment: str) -> InboundMessage:
    fields = fragment.split("##", 2)
    if len(fields) == 3 and fields[1].isdigit():
        # The usual record: time##phone##text, nothing to strip.
        when, mobile, content = fields
    else:
        when, mobile, content = _reply_fields(fragment)
    if not mobile.isascii():
        raise DecodeError("reply without a phone number")
    # parse_dashed strips the line break a record may start with.
    return InboundMessage(mobile, content, parse_dashed(when))


#: The start of a reply record: time, '##', phone, '#' (one is enough: mo-single-hash).
_REPLY_HEAD = r"\s*\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?\s*##\s*\d+\s*#"
#: A '||' that starts a record; in '|||' the last two bars are the separator.
_REPLY_BOUNDARY = re.compile(rf"\|\|(?={_REPLY_HEAD})", re.ASCII)
_HEAD_AFTER_BARS = re.compile(rf"\|\|{_REPLY_HEAD}", re.ASCII)


def _framed(parts: list[str], count: int) -> bool:
    return len(parts) == count and all(p and not p.isspace() for p in parts)


def _mo_answer(
    codec: Codec, op: FetchInbound, response: HttpResponse, account: Account
) -> Batch[InboundMessage]:
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
    # The document writes reply times without seconds; keep them when present.
    at = msg.received_at
    return f"{(format_seconds if at.second else format_minutes)(at)}##{msg.mobile}##{msg.content}"


def _mo_write(
    codec: Codec, op: FetchInbound, result: Batch[InboundMessage], account: Account
) -> HttpResponse:
    replies = result.items
    if not replies:
        return _text("")
    return _text(f"{len(replies)}\n" + "||".join(_render_reply(m) for m in replies))


def _mo_check(op: FetchInbound) -> None:
    if op.since is not None:
        raise EncodeError("esms100 cannot fetch replies since a time")


INBOUND = _plain(FetchInbound, _MO, _mo_answer, _mo_write, _mo_check)


# ----------------------------------------------------------- §6 查询余额(QAMOUNT)


def _qamount_answer(
    codec: Codec, op: QueryBalance, response: HttpResponse, account: Account
) -> Balance:
    """§6: "“0”或正整数为剩余条数，小于 0 为错误代码"."""
    answer = _answer_text(response)[0]
    code = parse_code(answer)
    if code is not None and code < 0:
        raise SPEC.error(str(code), raw=response.body)
    return parse_message_count(answer, VENDOR, response.body)


def _qamount_write(
    codec: Codec, op: QueryBalance, result: Balance, account: Account
) -> HttpResponse:
    return _text(render_message_count(result, VENDOR))


BALANCE = _plain(QueryBalance, _QAMOUNT, _qamount_answer, _qamount_write)


# ---------------------------------------------------------- §7 获取状态报告(QREPORT)

#: §7: 0 未收到状态报告, 1 发送成功, 2 发送失败
#: §7: 0 未收到状态报告, 1 发送成功, 2 发送失败 (the spec's ``report_states``)
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status


def _report_reader() -> Callable[[str], DeliveryReport]:
    """The parser of one answer's lines (one reader per answer).

    A bulk send's reports share its send time and mostly arrive in a run, so a
    time repeating the previous line's is not parsed again: a string compare,
    where a parse is ten times that. (A dict of the batch's times would serve
    interleaved sends too, but costs more than it saves when every time differs.)
    """
    last_when: str | None = None
    last_at: datetime | None = None

    def parse(line: str) -> DeliveryReport:
        nonlocal last_when, last_at
        when, mobile, code = line.split("||")
        status = REPORT_STATUS.get(code)
        if status is None or not mobile.isdigit():
            # Blanks around a field, or a code the table lacks: the usual line has
            # neither, and skipping the strips and the look-up is a tenth of its cost.
            code = code.strip()
            mobile = mobile.strip()
            if not mobile.isdigit() or not code:
                raise DecodeError("report without a phone number or a status")
            status = report_status(REPORT_STATUS, code)
        if when != last_when:
            # Assigned only once parsed: a bad time is never taken for the next line's.
            last_at = parse_dashed(when)
            last_when = when
        # Positional: keyword arguments cost a dict per record on this hot path.
        return DeliveryReport(mobile, status, code, None, None, last_at)

    return parse


def _qreport_answer(
    codec: Codec, op: FetchReports, response: HttpResponse, account: Account
) -> Batch[DeliveryReport]:
    """§7: a count line (negative: an error), then one report per line."""
    text, clean = _answer_text(response)
    if not text.strip():
        return Batch()
    head, _, rest = text.partition("\n")
    _status(head, response)
    parse = _report_reader()
    items, malformed = split_records(rest.rstrip("\r\n"), "\n", parse, _ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


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


def _qreport_write(
    codec: Codec, op: FetchReports, result: Batch[DeliveryReport], account: Account
) -> HttpResponse:
    reports = result.items
    return _text("\n".join([str(len(reports)), *(_render_report(r) for r in reports)]))


REPORTS = _plain(FetchReports, _QREPORT, _qreport_answer, _qreport_write)


# -------------------------------------------------------------- §8 修改密码(ENT)


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


def _ent_request(codec: Codec, op: ChangePassword, account: Account, stamp: Stamp) -> HttpRequest:
    pairs = [("cpid", account.cpid), ("oldpwd", account.password_md5), ("newpwd", op.new_password)]
    return _request(codec, _ENT, build_query(pairs, codec.charset))


def _ent_answer(codec: Codec, op: ChangePassword, response: HttpResponse, account: Account) -> None:
    """§8 "“0”-成功，“-1”-失败"."""
    _accepted(response)


def _ent_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[ChangePassword, Account]:
    params, account = _authorised(request, lookup, key="oldpwd")
    try:
        return ChangePassword(params.text("newpwd") or ""), account
    except EncodeError:
        raise SPEC.error("-1", message="新密码不合规 (new password not 1~20 characters)") from None


CHANGE_PASSWORD = Exchange(
    ChangePassword, _ENT, _METHODS, _ent_request, _ent_answer, _ent_read, _answer_zero, _STATUS
)


# --------------------------------------------------------------------------- the codec


def _check_method(_inst: Any, _attr: attrs.Attribute[str], value: str) -> None:
    if value not in _METHODS:
        raise EncodeError(f"method must be one of {', '.join(_METHODS)}, not {value!r}")


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """The esms100 codec.

    ``charset`` is the request charset, ``"gbk"`` or ``"utf-8"``; ``method``
    how requests travel, ``"GET"`` (query string, the document's examples) or
    ``"POST"`` (the same parameters as a form body). The server role reads both.
    ``stamp`` is unused in both roles: this wire has no clock.
    """

    charset: str = attrs.field(default="gbk", converter=check_charset)
    method: str = attrs.field(default="GET", validator=_check_method)
    # The last account's credential query fragment (see _wire._auth_query): a secret,
    # so out of the repr; a cache, so out of equality and hashing.
    _credentials: CredentialMemo[Account, str] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )
    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"cppwd", "oldpwd", "newpwd"})
    traits: ClassVar[WireTraits] = WireTraits(
        account_type=Account,
        credential_field="cpid",
        demo_account=Account(cpid="10000", password="demo-esms100"),
        delivered_code=first_code(REPORT_STATUS, DeliveryStatus.DELIVERED),
        failed_code=first_code(REPORT_STATUS, DeliveryStatus.FAILED),
        read_status=functools.partial(report_status, REPORT_STATUS),
        # Reports carry the send time, the number and the status; a send answer no ids.
        report_fields=frozenset({"sent_at"}),
        inbound_fields=frozenset({"received_at"}),
        receipt_fields=frozenset(),
        paths=frozenset(SPEC.endpoints.values()),
        simulations="smswire.codecs.esms100._simulate",
    )
    spec: ClassVar[Spec] = SPEC
    exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(
        VENDOR, (SEND, INBOUND, BALANCE, REPORTS, CHANGE_PASSWORD)
    )

    def refuse(self, error: GatewayError) -> HttpResponse:
        """Every esms100 refusal is its negative code as the whole body."""
        return _text(error.code)
