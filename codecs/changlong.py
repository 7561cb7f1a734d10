"""changlong (112088.net 企业短信通, 深圳市昌隆通泰科技有限公司): GET, pipe-delimited answers.

.. warning::

   **The password travels in clear text** in the query string (``us_pwd``) of
   every request, over plain HTTP on port 8088 as the document shows. Anyone
   who can see the URL (proxies, server logs, the network) can read it. The
   gateway offers no hashed or signed alternative; keep such logs private.

Operations: :class:`SendSms` (``sendsms_txt.asp``), :class:`FetchReports`
(``get_report_txt.asp``), :class:`FetchInbound` (``get_receive_message_txt.asp``)
and :class:`QueryBalance` (``Get_Account_Balance.asp``).

The document names no charset; its examples are Chinese ASP pages, so requests
and answers are GBK unless the codec is built with ``charset="utf-8"``.

Wire formats (both directions):

* send: ``0|accepted|failed|d`` or a negative code (``-3|word``: the forbidden
  word, ``GatewayError.detail``); ``d`` is one id per accepted number
  (``id,id,…``) or one batch number for them all (``0|2|0|6408649``: the
  result's ``batch_id`` and every receipt's id, which the reports name). The
  server role writes the batch form when the result has a ``batch_id``;
* reports: ``N|batch;phone;status|…``, status ``-1`` none yet, ``10``
  delivered, ``20`` failed (any other code: UNKNOWN, code kept); ``0`` when
  there are none;
* replies: ``N|id;phone;text|…`` (the document's example writes ``id,phone``);
  ``0`` when there are none;
* balance: the number of messages left (a whole message count).

Query values are PHP-urlencoded (a comma in the text or password is ``%2C``)
but the commas between numbers. The server role reads a target as text in its
charset (the document's URL prints raw Chinese) or as the request-line bytes
it escapes (raw GBK).

Status codes differ per endpoint (``-3`` is a forbidden word for sends but
"busy" for reports and replies): ``specs/changlong.toml`` scopes every row, and
the codec asks for the answering endpoint's row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
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
from ._chinatime import format_compact, parse_compact
from ._codec import Lookup, unsupported
from ._digest import secret_equal
from ._errors import DecodeError, EncodeError, GatewayError
from ._http import HttpRequest, HttpResponse
from ._models import (
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
)
from ._plan import split_field
from ._query import (
    CredentialMemo,
    QueryParams,
    build_query,
    check_charset,
    encode_text,
    urlencode_value,
)
from ._records import (
    check_field,
    decode_lenient,
    fragment_bytes,
    parse_fragments,
    report_status,
    split_records,
)
from ._spec import Spec, load_spec
from ._traits import WireTraits, first_code

__all__ = ["REPORT_STATUS", "SPEC", "Account", "Codec"]

R = TypeVar("R")


@attrs.frozen
class ChanglongSection:
    """``[changlong]``: the document names no charset (GBK default, UTF-8 an option)."""

    default_charset: str


SPEC: Spec[ChanglongSection] = load_spec("changlong", ChanglongSection)
VENDOR = SPEC.vendor
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_MAX_REPORTS = SPEC.limit("max_reports_per_answer")
_MAX_INBOUND = SPEC.limit("max_inbound_per_answer")
_EP = SPEC.endpoints

#: 1.1.2 状态报告值 → neutral status (from the spec's ``report_states``).
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status

# Ids travel inside ';'/','/'|'-framed fields; blanks would be stripped on reading.
_ID_FORBIDDEN = ("|", ";", ",", " ", "\t", "\r", "\n")


@attrs.frozen
class Account:
    """A 112088.net account: ``username`` (``us_name``) and the clear password (``us_pwd``)."""

    username: str
    password: str = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.username or not self.password:
            raise EncodeError("changlong.Account needs a username and a password")


# --------------------------------------------------------------------------- reading


def _scope(op: Operation[Any]) -> str:
    if isinstance(op, SendSms):
        return "send"
    if isinstance(op, FetchReports):
        return "reports"
    if isinstance(op, FetchInbound):
        return "inbound"
    if isinstance(op, QueryBalance):
        return "balance"
    raise unsupported(VENDOR, op)


def _answer(response: HttpResponse, charset: str, scope: str) -> tuple[str, str, bool]:
    """The answer's leading code field, the rest after its first ``|``, and cleanliness.

    A negative code raises the endpoint's :class:`GatewayError` (anything after
    the ``|`` is its detail: the forbidden word of a send's ``-3|word``).
    """
    if response.status != 200:
        raise DecodeError(f"changlong answered HTTP {response.status}", response.body)
    text, clean = decode_lenient(response.body, charset)
    # The reply example starts with a blank (quirk inbound-leading-space);
    # ASP pages may end with a line break.
    text = text.lstrip().rstrip("\r\n")
    head, _, rest = text.partition("|")
    code = parse_code(head)
    if code is None:
        raise DecodeError("changlong answer does not start with a number", response.body)
    if code < 0:
        detail = rest if clean and rest else None
        raise SPEC.error(str(code), raw=response.body, detail=detail, scope=scope)
    return head.strip(), rest, clean


def _decode_send(op: SendSms, response: HttpResponse, charset: str) -> SendResult:
    head, rest, clean = _answer(response, charset, "send")
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


def _decode_reports(response: HttpResponse, charset: str) -> Batch[DeliveryReport]:
    _, rest, clean = _answer(response, charset, "reports")
    items, malformed = split_records(rest, "|", _parse_report, charset, clean)
    return Batch(tuple(items), tuple(malformed))


def _decode_replies(response: HttpResponse, charset: str) -> Batch[InboundMessage]:
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


def _decode_balance(response: HttpResponse, charset: str) -> Balance:
    head, rest, _ = _answer(response, charset, "balance")
    if rest:
        raise DecodeError("changlong balance answer is not a number", response.body)
    return parse_message_count(head, VENDOR, response.body)


# --------------------------------------------------------------------------- writing


def _check_id(value: str | None, field: str) -> str:
    if not value:
        raise EncodeError(f"{field}: changlong needs a non-empty id")
    return check_field(value, _ID_FORBIDDEN, field)


def _render_send(op: SendSms, result: SendResult) -> str:
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
    return f"0|{len(result.receipts)}|{result.failed}|{','.join(ids)}"


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


def _render_report(report: DeliveryReport) -> str:
    code = _check_id(report.code, "report code")
    if report_status(REPORT_STATUS, code) is not report.status:
        raise EncodeError(f"changlong report code {code!r} does not mean {report.status}")
    extra = (report.client_id, report.sent_at, report.reported_at, report.description)
    if extra != (None, None, None, None) or report.extension is not None:
        raise EncodeError("changlong reports carry only batch id, phone and status")
    check_digits(report.mobile, "mobile")
    return f"{_check_id(report.message_id, 'message_id')};{report.mobile};{code}"


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


def _check_count(items: tuple[Any, ...], limit: int, what: str) -> None:
    if len(items) > limit:
        raise EncodeError(f"changlong answers carry at most {limit} {what}, got {len(items)}")


# --------------------------------------------------------------------------- the codec


@attrs.frozen
class Codec:
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
    _credentials: CredentialMemo[Account, str] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The operations 112088.net offers: send, reports, replies, balance."""
        return (SendSms, FetchReports, FetchInbound, QueryBalance)

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split a send of more than 100 numbers into sends of at most 100."""
        if isinstance(op, SendSms):
            return cast(tuple[Operation[R], ...], split_field(op, "mobiles", _MAX_MOBILES))
        return (op,)

    # ---------------------------------------------------------------- client role

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The GET request performing ``op`` (``stamp`` is unused: this wire has no clock)."""
        scope = _scope(op)
        query = self._credentials.get(account, self._credential_query)
        if isinstance(op, SendSms):
            query += self._send_query(op)
        elif isinstance(op, FetchInbound) and op.since is not None:
            raise EncodeError("changlong cannot fetch replies since a time")
        return HttpRequest("GET", f"{_EP[scope]}?{query}")

    def _credential_query(self, account: Account) -> str:
        credentials = [("us_name", account.username), ("us_pwd", account.password)]
        return build_query(credentials, self.charset)

    def _send_query(self, op: SendSms) -> str:
        """``&send_phone=…&send_content=…[&send_time=…]``, every value PHP-urlencoded.

        Only the commas between the numbers stay literal (the document's
        example list ``075580808080,13512345678,…``); a comma in the text is ``%2C``.
        """
        phones = join_mobiles(op.mobiles, _MAX_MOBILES, VENDOR)
        check_content(op.content, _MAX_CHARS, VENDOR)
        if op.extension is not None or op.client_ids is not None:
            raise EncodeError("changlong sends have no extension or client ids")
        # The numbers are digits and commas already (join_mobiles): nothing to escape.
        text = urlencode_value(op.content, self.charset, field="send_content")
        if op.send_at is None:
            return f"&send_phone={phones}&send_content={text}"
        # The wire counts whole seconds; a fraction has nowhere to go.
        return f"&send_phone={phones}&send_content={text}&send_time={format_compact(op.send_at)}"

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a negative answer raises the endpoint's :class:`GatewayError`."""
        result: Any
        if isinstance(op, SendSms):
            result = _decode_send(op, response, self.charset)
        elif isinstance(op, FetchReports):
            result = _decode_reports(response, self.charset)
        elif isinstance(op, FetchInbound):
            result = _decode_replies(response, self.charset)
        elif isinstance(op, QueryBalance):
            result = _decode_balance(response, self.charset)
        else:
            raise unsupported(VENDOR, op)
        return cast(R, result)

    # ---------------------------------------------------------------- server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a request, checked as the gateway checks it."""
        scope = _PATHS.get(request.path.lower())
        if scope is None:
            raise DecodeError(f"changlong has no endpoint {request.path[:80]!r}")
        params = QueryParams.parse(_query_bytes(request.query, self.charset), self.charset)
        name, password = params.text("us_name"), params.text("us_pwd")
        account = lookup(name) if name else None
        if account is None:
            # Sends have no "no such user" code: their table says login failed.
            raise SPEC.error("-7" if scope == "send" else "-1", scope=scope)
        if password is None or not secret_equal(password, account.password):
            raise SPEC.error("-7", scope=scope)
        if scope == "send":
            return _decode_send_request(params), account
        return _FETCHES[scope](), account

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """Server role: the answer to ``request``; it does not depend on the request."""
        return self.encode_response(op, result, account)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The plain-text answer carrying ``result`` (or the error's code)."""
        if isinstance(result, GatewayError):
            return self._text(_error_body(result))
        if isinstance(op, SendSms):
            return self._text(_render_send(op, cast(SendResult, result)))
        if isinstance(op, QueryBalance):
            return self._text(render_message_count(result, VENDOR))
        if isinstance(op, FetchReports):
            reports = cast(Batch[DeliveryReport], result).items
            _check_count(reports, _MAX_REPORTS, "reports")
            return self._text("|".join([str(len(reports)), *map(_render_report, reports)]))
        if isinstance(op, FetchInbound):
            replies = cast(Batch[InboundMessage], result).items
            _check_count(replies, _MAX_INBOUND, "replies")
            return self._text("|".join([str(len(replies)), *map(_render_reply, replies)]))
        raise unsupported(VENDOR, op)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """A refusal is its negative code, with ``|detail`` when it has one (``-3|word``)."""
        return self._text(_error_body(error))

    def _text(self, body: str) -> HttpResponse:
        data = encode_text(body, self.charset, "answer text")
        content_type = f"text/plain; charset={self.charset.upper()}"
        return HttpResponse(200, (("Content-Type", content_type),), data)


def _error_body(error: GatewayError) -> str:
    if error.detail is None:
        return error.code
    check_field(error.detail, ("\r", "\n"), "error detail")
    return f"{error.code}|{error.detail}"


def _query_bytes(query: str, charset: str) -> bytes | str:
    """The bytes of a request's query, whichever way the target was built.

    A target holding text (the document's URL prints ``send_content=这条是测试短信``
    raw; quirk send-content-unencoded) is that text in our charset. A target
    decoded from request-line bytes with ``surrogateescape`` (raw GBK arrives
    so) goes back to exactly those bytes; :func:`parse_query` does that, and
    refuses a lone surrogate with a :class:`DecodeError`.
    """
    try:
        return query.encode(charset)
    except UnicodeEncodeError:
        return query


def _decode_send_request(params: QueryParams) -> SendSms:
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
    return SendSms(mobiles, content, send_at=send_at)


_PATHS: dict[str, str] = {path.lower(): scope for scope, path in _EP.items()}
_FETCHES: dict[str, Callable[[], Operation[Any]]] = {
    "inbound": FetchInbound,
    "balance": QueryBalance,
    "reports": FetchReports,
}
