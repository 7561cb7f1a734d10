"""changlong's document operations, one section each in the document's order
(1.1.1–1.1.4), and the codec that serves them from these exchanges."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import ClassVar

import attrs

from .._checks import (
    check_content,
    check_digits,
    join_mobiles,
    parse_code,
    parse_message_count,
    render_message_count,
)
from .._chinatime import format_compact, parse_compact
from .._codec import Lookup
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
)
from .._plan import split_field
from .._query import CredentialMemo, build_query, check_charset, urlencode_value
from .._records import (
    fragment_bytes,
    parse_fragments,
    report_status,
    split_records,
)
from .._spec import Spec
from .._traits import WireTraits, first_code
from ._wire import (
    _EP,
    _MAX_CHARS,
    _MAX_INBOUND,
    _MAX_MOBILES,
    _MAX_REPORTS,
    _METHODS,
    SPEC,
    VENDOR,
    Account,
    _answer,
    _auth_query,
    _authorised,
    _check_count,
    _check_id,
    _error_body,
    _fetch,
    _text,
)

__all__ = ["REPORT_STATUS", "Codec"]


# ------------------------------------------------------------------ §1.1.1 发送普通短信

_SEND = _EP["send"]


def _send_split(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    """1.1.1 "最大允许每次提交号码 100 个号码": a larger send becomes sends of at most 100."""
    return split_field(op, "mobiles", _MAX_MOBILES)


def _send_request(codec: Codec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
    """``…?us_name=…&us_pwd=…&send_phone=…&send_content=…[&send_time=…]``, PHP-urlencoded.

    Only the commas between the numbers stay literal (the document's
    example list ``075580808080,13512345678,…``); a comma in the text is ``%2C``.
    ``stamp`` is unused: this wire has no clock.
    """
    query = _auth_query(codec, account)
    phones = join_mobiles(op.mobiles, _MAX_MOBILES, VENDOR)
    check_content(op.content, _MAX_CHARS, VENDOR)
    if op.extension is not None or op.client_ids is not None:
        raise EncodeError("changlong sends have no extension or client ids")
    # The numbers are digits and commas already (join_mobiles): nothing to escape.
    text = urlencode_value(op.content, codec.charset, field="send_content")
    if op.send_at is None:
        return HttpRequest("GET", f"{_SEND}?{query}&send_phone={phones}&send_content={text}")
    # The wire counts whole seconds; a fraction has nowhere to go.
    when = format_compact(op.send_at)
    return HttpRequest(
        "GET", f"{_SEND}?{query}&send_phone={phones}&send_content={text}&send_time={when}"
    )


def _send_answer(codec: Codec, op: SendSms, response: HttpResponse, account: Account) -> SendResult:
    """1.1.1 "0 a b d 提交短信成功", or a negative code from the send table."""
    head, rest, clean = _answer(response, codec.charset, "send")
    fields = rest.split("|", 3)  # a fourth bar is already too many: no list of every bar
    if head != "0" or not clean or len(fields) not in (2, 3):
        raise DecodeError("changlong send answer is not 0|accepted|failed|ids", response.body)
    accepted, failed = parse_code(fields[0]), parse_code(fields[1])
    ids = [i.strip() for i in fields[2].split(",")] if len(fields) == 3 else []
    ids = [i for i in ids if i]
    if accepted is None or failed is None or accepted < 0 or failed < 0:
        raise DecodeError("changlong send answer: counts are not whole numbers", response.body)
    batch_id = None
    if len(ids) == 1 and 1 < accepted <= len(op.mobiles):
        # One 短信批次编号 for the whole submission (quirk send-ids-batch-or-per-number):
        # the reports name that batch, so it is every accepted number's id.
        batch_id, ids = ids[0], ids * accepted
    elif accepted != len(ids):
        raise DecodeError("changlong send answer: counts and ids disagree", response.body)
    if failed == 0 and accepted == len(op.mobiles):
        receipts = tuple(Receipt(m, i) for m, i in zip(op.mobiles, ids, strict=True))
    else:
        # Without the failed numbers we cannot tell which accepted id is whose.
        receipts = tuple(Receipt(None, i) for i in ids)
    return SendResult(receipts, failed, batch_id)


def _send_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[SendSms, Account]:
    params, account = _authorised(codec, request, lookup, "send", no_user="-7")
    phones = params.text("send_phone") or ""
    # Bad numbers are the gateway's "failed" count, not a refusal of the request.
    mobiles = tuple(m.strip() for m in phones.split(",") if m.strip())
    if not mobiles:
        raise SPEC.error("-1", scope="send")
    content = params.text("send_content")
    if not content:
        raise SPEC.error("-2", scope="send")
    if len(mobiles) > _MAX_MOBILES:
        raise SPEC.error("-4", scope="send")
    if len(content) > _MAX_CHARS:
        raise SPEC.error("-8", scope="send")
    when = params.text("send_time")
    send_at = parse_compact(when) if when else None
    return SendSms(mobiles, content, send_at=send_at), account


def _send_write(codec: Codec, op: SendSms, result: SendResult, account: Account) -> HttpResponse:
    if result.failed < 0:
        raise EncodeError("changlong send answer: failed must be >= 0")
    mapped = result.failed == 0 and len(result.receipts) == len(op.mobiles)
    for index, receipt in enumerate(result.receipts):
        # What the client role will read back: numbers only when they map in order.
        expected = op.mobiles[index] if mapped else None
        if receipt.mobile != expected or receipt.client_id is not None:
            raise EncodeError(
                "changlong send answers tie ids to numbers only when none failed and "
                "every number has an id, in order; otherwise receipts carry no number"
            )
    if result.batch_id is None:
        ids = [_check_id(r.message_id, "message_id") for r in result.receipts]
    else:
        ids = [_batch_number(op, result)]
    return _text(codec, f"0|{len(result.receipts)}|{result.failed}|{','.join(ids)}")


def _batch_number(op: SendSms, result: SendResult) -> str:
    """The one batch number of a batch-form answer (``0|2|0|6408649``), checked to read back."""
    batch = _check_id(result.batch_id, "batch_id")
    if not 1 < len(result.receipts) <= len(op.mobiles) or any(
        r.message_id != batch for r in result.receipts
    ):
        # One id for one number reads back as that number's own id (batch_id None).
        raise EncodeError(
            "a changlong batch answer gives one batch_id to two or more of the sent numbers, "
            "as every receipt's message_id; for one number leave batch_id None"
        )
    return batch


SEND = Exchange(
    SendSms,
    _SEND,
    _METHODS,
    _send_request,
    _send_answer,
    _send_read,
    _send_write,
    None,
    _send_split,
)


# ------------------------------------------------------------------ §1.1.2 接收状态报告

#: 1.1.2 状态报告值: -1 未收到状态报告, 10 发送成功, 20 发送失败 (the spec's ``report_states``).
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status


def _parse_report(fragment: str) -> DeliveryReport:
    batch, mobile, code = fragment.split(";", 2)
    status = REPORT_STATUS.get(code)
    # Fast path: a canonical status code and a bare phone number, as the gateway writes them
    # (positional arguments: keywords cost a dict per record).
    if status is not None and mobile.isdigit() and mobile.isascii():
        batch = batch.strip()
        if batch:
            return DeliveryReport(mobile, status, code, batch)
    batch, mobile, code = batch.strip(), mobile.strip(), code.strip()
    if not batch or not code or ";" in code or not mobile.isascii() or not mobile.isdigit():
        raise DecodeError("report record is not batch;phone;status")
    # A code the document does not list is UNKNOWN, kept as written (never malformed).
    return DeliveryReport(mobile, report_status(REPORT_STATUS, code), code, message_id=batch)


def _reports_answer(
    codec: Codec, op: FetchReports, response: HttpResponse, account: Account
) -> Batch[DeliveryReport]:
    """1.1.2: "第一个竖线之前为状态报告数量", then ``batch;phone;status`` joined by ``|``."""
    _, rest, clean = _answer(response, codec.charset, "reports")
    items, malformed = split_records(rest, "|", _parse_report, codec.charset, clean)
    return Batch(tuple(items), tuple(malformed))


def _render_report(report: DeliveryReport) -> str:
    code = _check_id(report.code, "report code")
    if report_status(REPORT_STATUS, code) is not report.status:
        raise EncodeError(f"changlong report code {code!r} does not mean {report.status}")
    extra = (report.client_id, report.sent_at, report.reported_at, report.description)
    if extra != (None, None, None, None) or report.extension is not None:
        raise EncodeError("changlong reports carry only batch id, phone and status")
    check_digits(report.mobile, "mobile")
    return f"{_check_id(report.message_id, 'message_id')};{report.mobile};{code}"


def _reports_write(
    codec: Codec, op: FetchReports, result: Batch[DeliveryReport], account: Account
) -> HttpResponse:
    """1.1.2 "(最大返回 100 条)"."""
    reports = result.items
    _check_count(reports, _MAX_REPORTS, "reports")
    return _text(codec, "|".join([str(len(reports)), *map(_render_report, reports)]))


REPORTS = _fetch(FetchReports, "reports", _reports_answer, _reports_write)


# ------------------------------------------------------------------ §1.1.3 接收短信


def _parse_reply(fragment: str) -> InboundMessage:
    fields = fragment.split(";", 2)
    if len(fields) == 3:
        # Fast path: 'id;phone;text' with a bare id and phone, as the gateway writes them.
        msg_id, mobile, content = fields
        bare_id = msg_id and "," not in msg_id and msg_id == msg_id.strip()
        if bare_id and mobile.isdigit() and mobile.isascii():
            return InboundMessage(mobile, content, None, msg_id)
    first, sep, rest = fragment.partition(";")
    if not sep:
        raise DecodeError("reply record without ';'")
    if "," in first:
        # The document's own example: 'id,phone;text' (quirk inbound-comma-separator).
        msg_id, _, mobile = first.partition(",")
        content = rest
    else:
        msg_id = first
        mobile, sep, content = rest.partition(";")
        if not sep:
            raise DecodeError("reply record is not id;phone;text")
    msg_id, mobile = msg_id.strip(), mobile.strip()
    if not msg_id or not mobile.isascii() or not mobile.isdigit():
        raise DecodeError("reply record is not id;phone;text")
    return InboundMessage(mobile, content, None, msg_id)


def _try_reply(fragment: str) -> InboundMessage | None:
    if ";" not in fragment:
        return None  # the common non-record (a text cut at a '|'), without an exception
    try:
        return _parse_reply(fragment)
    except DecodeError:
        return None


def _inbound_answer(
    codec: Codec, op: FetchInbound, response: HttpResponse, account: Account
) -> Batch[InboundMessage]:
    """1.1.3: "第一个竖线之前表示接收到的短信总数", then ``id;phone;text`` joined by ``|``."""
    charset = codec.charset
    head, rest, clean = _answer(response, charset, "inbound")
    if not rest.strip():
        return Batch()
    fragments = rest.split("|")
    count = int(head)
    if clean and len(fragments) > count:
        # More bars than records: some text holds a '|' (quirk inbound-text-pipe).
        return _rejoin(fragments, count, charset)
    items, malformed = parse_fragments(fragments, _parse_reply, charset, clean)
    return Batch(tuple(items), tuple(malformed))


def _rejoin(fragments: list[str], count: int, charset: str) -> Batch[InboundMessage]:
    """Re-join texts cut at a ``|``, where the announced ``count`` makes that unambiguous.

    Exactly ``count`` fragments must have the record shape, the first among
    them; each other fragment continues the record before it. A continuation
    holding a ``;`` may as well be a broken record: that record and its
    continuations stay raw, byte for byte, in ``malformed``. Linear: each
    text is joined once.
    """
    parsed = [_try_reply(f) for f in fragments]
    shaped = [(i, record) for i, record in enumerate(parsed) if record is not None]
    if len(shaped) > count:
        # A text holds something shaped like a record: no telling which is which.
        return Batch((), tuple(fragment_bytes(f, charset) for f in fragments))
    if len(shaped) < count or not shaped or shaped[0][0] != 0:
        items, malformed = parse_fragments(fragments, _parse_reply, charset)
        return Batch(tuple(items), tuple(malformed))
    records: list[InboundMessage] = []
    raw: list[bytes] = []
    ends = [i for i, _ in shaped[1:]] + [len(fragments)]
    for (start, record), end in zip(shaped, ends, strict=True):
        tail = fragments[start + 1 : end]
        if not tail:
            records.append(record)
        elif any(";" in piece for piece in tail):
            raw.append(fragment_bytes("|".join(fragments[start:end]), charset))
        else:
            records.append(attrs.evolve(record, content="|".join([record.content, *tail])))
    return Batch(tuple(records), tuple(raw))


def _render_reply(msg: InboundMessage) -> str:
    if msg.received_at is not None or msg.destination is not None:
        raise EncodeError("changlong replies carry no time or destination")
    check_digits(msg.mobile, "mobile")
    # '|' is the record separator and the text is not escaped (quirk inbound-text-pipe):
    # the reader re-joins a text cut at '|' only where what follows holds no ';'.
    _, bar, after = msg.content.partition("|")
    if bar and ";" in after:
        raise EncodeError("changlong reply content with ';' after a '|' cannot be framed")
    if msg.content.endswith(("\r", "\n")):
        raise EncodeError("reply content ending in a line break cannot be framed")
    return f"{_check_id(msg.message_id, 'message_id')};{msg.mobile};{msg.content}"


def _inbound_write(
    codec: Codec, op: FetchInbound, result: Batch[InboundMessage], account: Account
) -> HttpResponse:
    """1.1.3 "(最大返回 50 条)"."""
    replies = result.items
    _check_count(replies, _MAX_INBOUND, "replies")
    return _text(codec, "|".join([str(len(replies)), *map(_render_reply, replies)]))


def _inbound_check(op: FetchInbound) -> None:
    if op.since is not None:
        raise EncodeError("changlong cannot fetch replies since a time")


INBOUND = _fetch(FetchInbound, "inbound", _inbound_answer, _inbound_write, _inbound_check)


# ------------------------------------------------------------------ §1.1.4 查询余额


def _balance_answer(
    codec: Codec, op: QueryBalance, response: HttpResponse, account: Account
) -> Balance:
    """1.1.4 "返回等于或是大于 0 的字符串": the messages left, or a negative code."""
    head, rest, _ = _answer(response, codec.charset, "balance")
    if rest:
        raise DecodeError("changlong balance answer is not a number", response.body)
    return parse_message_count(head, VENDOR, response.body)


def _balance_write(
    codec: Codec, op: QueryBalance, result: Balance, account: Account
) -> HttpResponse:
    return _text(codec, render_message_count(result, VENDOR))


BALANCE = _fetch(QueryBalance, "balance", _balance_answer, _balance_write)


# ------------------------------------------------------------------ the codec


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """The 112088.net codec. ``charset`` (``"gbk"`` or ``"utf-8"``) is for requests and answers."""

    charset: str = attrs.field(default="gbk", converter=check_charset)
    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"us_pwd"})
    traits: ClassVar[WireTraits] = WireTraits(
        account_type=Account,
        credential_field="username",
        demo_account=Account(username="demo", password="demo-changlong"),
        delivered_code=first_code(REPORT_STATUS, DeliveryStatus.DELIVERED),
        failed_code=first_code(REPORT_STATUS, DeliveryStatus.FAILED),
        read_status=functools.partial(report_status, REPORT_STATUS),
        report_limit=SPEC.limit("max_reports_per_answer"),
        reply_limit=SPEC.limit("max_inbound_per_answer"),
        report_fields=frozenset({"message_id"}),
        inbound_fields=frozenset({"message_id"}),
        receipt_fields=frozenset({"message_id"}),
        batch_ids=True,  # 1.1.1: one batch id for the submission, which the reports name
        paths=frozenset(SPEC.endpoints.values()),
    )
    spec: ClassVar[Spec] = SPEC
    # ASP pages: IIS matches 'Get_Account_Balance.asp' in any case.
    exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(
        VENDOR, (SEND, REPORTS, INBOUND, BALANCE), fold_case=True
    )
    _credentials: CredentialMemo[Account, str] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )

    def _credential_query(self, account: Account) -> str:
        credentials = [("us_name", account.username), ("us_pwd", account.password)]
        return build_query(credentials, self.charset)

    def refuse(self, error: GatewayError) -> HttpResponse:
        """A refusal is its negative code, with ``|detail`` when it has one (``-3|word``)."""
        return _text(self, _error_body(error))
