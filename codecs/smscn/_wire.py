"""sms.cn's shared wire (§1 工作方式, §2 字符编码, §3 响应格式) and its answer formats.

Every request (§1) is ``name=value`` pairs by GET or POST, ``uid`` and ``pwd``
first, ``encode=utf8`` when the text is UTF-8 (§2); the server role reads both
methods on every path and checks the credential before anything else
(:func:`authorised`). :func:`plain` declares the exchanges whose request
carries nothing but the credential.

All answers are GBK text (§2, §3 "响应值格式为纯文本"):

* status answers ``sms&stat=N&message=…`` (send, refusals) or ``sms&stat=N&remain=N``
  (balance, sent count); ``message`` is raw GBK text, never percent-encoded;
* reports (§5): one ``mobile,status,id, time`` per line;
* replies (§6.1): ``100{&}mobile||text||time||gateway{&}…`` (``<&>`` accepted too);
* send records (§10): ``total||count||pages|#|time||mobile||text||status|#|…``.

An empty body means "nothing" for the three batch formats. A batch body may
start with a ``sms&stat=100…`` status line (quirk status-line-before-records):
what follows that line is read as the batch, and kept raw when it does not parse.

Fields at fixed places are read from both ends: a reply's number is its first
field and its time and gateway number its last two, so the text between them
may hold ``|`` or ``||`` (quirk rx-text-bars); a send record's time and number
come first and its status last (quirk rd-text-bars).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._checks import parse_code
from .._chinatime import format_seconds, parse_dashed
from .._codec import Lookup
from .._digest import digest_equal
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange
from .._http import HttpRequest, HttpResponse
from .._models import Batch, DeliveryReport, InboundMessage, Operation, Stamp
from .._query import QueryParams, build_query, encode_text, form_request, parse_query
from .._records import decode_lenient, fragment_bytes, report_status, split_records
from ._model import REPORT_STATUS, SPEC, Account, SendRecord, SendRecords

if TYPE_CHECKING:
    from ._codec import Codec

T = TypeVar("T")
O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")

ANSWER_CHARSET = SPEC.section.response_charset
SUCCESS = SPEC.ok.code
SUCCESS_TEXT = SPEC.ok.text
_RX_SEPARATORS = ("{&}", "<&>")
_RD_SEPARATOR = "|#|"
#: §10 "每次最多取50条记录".
_PER_PAGE = SPEC.limit("send_records_per_page")
#: §4 "GET 方式每次最多可以提交50条号码", "POST 方式每次最多可以提交2000条号码".
MAX_GET = SPEC.limit("max_mobiles_get")
MAX_POST = SPEC.limit("max_mobiles_post")
#: §1 "通过HTTP的GET/POST方式交换": every endpoint takes both (quirk get-post-every-endpoint).
METHODS = ("GET", "POST")


def is_digits(value: str) -> bool:
    """ASCII digits only, at least one."""
    return value.isascii() and value.isdigit()


def is_status_value(value: str) -> bool:
    """A report or record status: the document defines none, so any printable word.

    Carriers' words such as ``MK:0001`` or ``-1`` are statuses too; a blank,
    a control character or a ``|`` (which would blur the record's framing) is not.
    """
    return bool(value) and value.isprintable() and " " not in value and "|" not in value


# ------------------------------------------------- §1 工作方式, §1.1 密码验证方式, §2 字符编码


def send_limit(codec: Codec) -> int:
    """How many numbers one send carries: 50 when every request is a GET, else 2000."""
    return MAX_GET if codec.method == "GET" else MAX_POST


def encode_flag(codec: Codec) -> list[tuple[str, str]]:
    """§2 "如提交的是UTF-8编码字符,需要添加参数encode=utf8": on every request, uid included."""
    return [("encode", "utf8")] if codec.charset == "utf-8" else []


def auth_pairs(account: Account) -> list[tuple[str, str]]:
    """§1.1 ``uid`` and ``pwd=md5(登录密码+用户名)``."""
    return [("uid", account.uid), ("pwd", account.password_md5)]


def request(path: str, query: str, post: bool) -> HttpRequest:
    """A GET carrying ``query`` in its target, or a POST carrying it as a form."""
    return form_request("POST" if post else "GET", path, query)


def query_request(
    codec: Codec, path: str, account: Account, pairs: Sequence[tuple[str, str]] = ()
) -> HttpRequest:
    """A request other than a send: the credential, ``pairs``, ``encode``; a form if ``POST``."""
    query = build_query([*auth_pairs(account), *pairs, *encode_flag(codec)], codec.charset)
    return request(path, query, post=codec.method == "POST")


def parameters(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The parameters of a request: its query string, then a POST's form body."""
    # Quirk content-space: a literal space is never valid in a target; the
    # document's examples have them from the PDF, so they are dropped.
    pairs = parse_query(request.query.replace(" ", ""))
    if request.method == "POST":
        pairs += parse_query(request.body)
    return pairs


def authorised(
    request: HttpRequest, lookup: Lookup[Account], utf8: bool = False
) -> tuple[QueryParams, Account]:
    """The parameters of a request whose ``uid`` and ``pwd`` are an account's; else 101.

    The text is GBK unless ``encode=utf8`` says otherwise (§2) or ``utf8`` is
    set (the ``/mtutf8/`` path, quirk mtutf8-endpoint).
    """
    pairs = parameters(request)
    encode = QueryParams(pairs, "gbk").raw("encode")
    utf8 = utf8 or (encode is not None and encode.lower() in (b"utf8", b"utf-8"))
    params = QueryParams(pairs, "utf-8" if utf8 else "gbk")
    try:
        uid, pwd = params.text("uid"), params.text("pwd")
    except DecodeError:
        # A uid that is not text in the declared charset names no account.
        raise SPEC.error("101") from None
    account = lookup(uid) if uid else None
    if account is None or not pwd or not digest_equal(pwd, account.password_md5):
        raise SPEC.error("101")
    return params, account


def plain(
    new: type[O],
    path: str,
    read_answer: Callable[[Codec, O, HttpResponse, Account], R],
    write_answer: Callable[[Codec, O, R, Account], HttpResponse],
    check: Callable[[O], None] | None = None,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Exchange[Codec, Account, O, R]:
    """An exchange whose request carries only ``uid`` and ``pwd`` (§5, §6.1, §7).

    ``check`` refuses what the request cannot carry of ``op``; ``when`` tells
    the exchange from another on the same path.
    """

    def write(codec: Codec, op: O, account: Account, stamp: Stamp) -> HttpRequest:
        if check is not None:
            check(op)
        return query_request(codec, path, account)

    def read(
        codec: Codec, request: HttpRequest, lookup: Lookup[Account], _: Stamp | None
    ) -> tuple[O, Account]:
        return new(), authorised(request, lookup)[1]

    return Exchange(new, path, METHODS, write, read_answer, read, write_answer, when=when)


# --------------------------------------------------------------------------- reading


def answer_text(response: HttpResponse) -> tuple[str, bool]:
    """The answer decoded as GBK, leniently (bad bytes end up in ``malformed``)."""
    if response.status != 200:
        raise DecodeError(f"smscn answered HTTP {response.status}", response.body)
    return decode_lenient(response.body, ANSWER_CHARSET)


def is_status_answer(text: str) -> bool:
    """Whether a body is a ``sms&stat=…`` answer (possible on every endpoint)."""
    return text.lstrip().startswith("sms&")


def status_answer(response: HttpResponse) -> dict[str, str]:
    """The fields of ``sms&stat=N&…``; a ``stat`` other than 100 raises :class:`GatewayError`."""
    text, clean = answer_text(response)
    if not clean:
        raise DecodeError("smscn answer is not 'sms&stat=…' GBK text", response.body)
    return status_fields(text, response)


def status_fields(text: str, response: HttpResponse) -> dict[str, str]:
    """:func:`status_answer` of one status text (a whole answer or a batch's first line)."""
    t = text.strip()
    if not t.startswith("sms&"):
        raise DecodeError("smscn answer is not 'sms&stat=…' GBK text", response.body)
    # The message is raw text and last: everything after "&message=" belongs to it.
    head, sep, message = t[3:].partition("&message=")
    fields: dict[str, str] = {}
    for part in head.split("&"):
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise DecodeError(f"smscn answer field {part!r} has no '='", response.body)
        fields[key] = value.strip()
    if sep:
        fields["message"] = message
    stat = fields.get("stat", "")
    if not is_digits(stat):
        raise DecodeError("smscn answer without a numeric stat", response.body)
    if stat != SUCCESS:
        raise SPEC.error(stat, raw=response.body, message=fields.get("message") or None)
    return fields


def after_status_line(body: str, ends: tuple[str, ...], response: HttpResponse) -> str:
    """Check a batch body's leading ``sms&stat=…`` line; return the text after it.

    The line ends at the first line break or at the first of ``ends`` (a record
    separator); a refusal raises :class:`GatewayError` carrying the whole body.
    """
    cuts = [i for i in (body.find(t) for t in ("\n", *ends)) if i >= 0]
    end = min(cuts, default=len(body))
    line = body[:end]
    try:
        # Undecodable bytes are surrogate escapes here (decode_lenient): not a status.
        line.encode(ANSWER_CHARSET)
    except UnicodeEncodeError:
        raise DecodeError("smscn status line is not GBK text", response.body) from None
    status_fields(line, response)
    rest = body[end:]
    return rest[1:] if rest.startswith("\n") else rest


def _parse_report(line: str) -> DeliveryReport:
    # Hot path (thousands of lines per poll): checks inlined, arguments by position.
    # Clean fields are the rule: each is checked as it stands and stripped only when
    # that fails (a field that passes holds no blank to strip). A listed status is
    # known good; only an unlisted one is checked as a printable word (they are
    # undocumented: any such word is accepted).
    mobile, code, client_id, when = line.split(",")
    if not (mobile.isascii() and mobile.isdigit()):
        mobile = mobile.strip()
        if not (mobile.isascii() and mobile.isdigit()):
            raise DecodeError(_BAD_REPORT)
    status = REPORT_STATUS.get(code)
    if status is None:
        # An ASCII word ("UNDELIV", "101") is printable and blank-free as it stands.
        if not (code.isascii() and code.isalnum()):
            code = code.strip()
            if not (code.isprintable() and code and " " not in code and "|" not in code):
                raise DecodeError(_BAD_REPORT)
        status = report_status(REPORT_STATUS, code)
    if client_id and not (client_id.isascii() and client_id.isdigit()):
        client_id = client_id.strip()
        if client_id and not (client_id.isascii() and client_id.isdigit()):
            raise DecodeError(_BAD_REPORT)
    return DeliveryReport(mobile, status, code, None, client_id or None, None, parse_dashed(when))


_BAD_REPORT = "report line with a bad number, status or id"


def decode_reports(response: HttpResponse) -> Batch[DeliveryReport]:
    """§5 report lines; empty means none; a leading status line is checked and skipped."""
    text, clean = answer_text(response)
    if is_status_answer(text):
        text = after_status_line(text.lstrip(), (), response)
    items, malformed = split_records(text, "\n", _parse_report, ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


def _parse_reply(fragment: str) -> InboundMessage:
    # The number first, the time and gateway number last: the text is what lies between.
    # As in _parse_report, a field is stripped only when it fails as it stands.
    mobile, sep, rest = fragment.partition("||")
    content, when, gateway = rest.rsplit("||", 2)
    if not (mobile.isascii() and mobile.isdigit()):
        mobile = mobile.strip()
        if not (mobile.isascii() and mobile.isdigit()):
            raise DecodeError(_BAD_REPLY)
    if gateway and not (gateway.isascii() and gateway.isdigit()):
        gateway = gateway.strip()
        if gateway and not (gateway.isascii() and gateway.isdigit()):
            raise DecodeError(_BAD_REPLY)
    if not sep:
        raise DecodeError(_BAD_REPLY)
    return InboundMessage(mobile, content, parse_dashed(when), None, gateway or None)


_BAD_REPLY = "reply with a bad number or gateway number"


def decode_inbound(response: HttpResponse) -> Batch[InboundMessage]:
    """§6.1 ``100{&}record{&}…``; empty (or a bare 100) means none."""
    text, clean = answer_text(response)
    body = text.strip()
    if not body:
        return Batch()
    separator = next((s for s in _RX_SEPARATORS if s in body), _RX_SEPARATORS[0])
    if is_status_answer(body):
        body = after_status_line(body, _RX_SEPARATORS, response).strip()
        if body.startswith(separator):
            body = body[len(separator) :]
        if not is_digits(body.partition(separator)[0].strip()):
            # Records right after the status line, without a code of their own.
            return _replies(body, separator, clean)
    head, _, rest = body.partition(separator)
    code = head.strip()
    if not is_digits(code):
        raise DecodeError("smscn reply answer does not start with a status code", response.body)
    if code != SUCCESS:
        raise SPEC.error(code, raw=response.body)
    return _replies(rest, separator, clean)


def _replies(text: str, separator: str, clean: bool) -> Batch[InboundMessage]:
    items, malformed = split_records(text, separator, _parse_reply, ANSWER_CHARSET, clean)
    return Batch(tuple(items), tuple(malformed))


def _parse_record(fragment: str) -> SendRecord:
    # Time and number first, the status last: the text is what lies between.
    when, mobile, rest = fragment.split("||", 2)
    content, sep, status = rest.rpartition("||")
    mobile, status = mobile.strip(), status.strip()
    if not sep or not (mobile.isascii() and mobile.isdigit() and is_status_value(status)):
        raise DecodeError("send record with a bad number or status")
    return SendRecord(parse_dashed(when), mobile, content, status)


def decode_send_records(response: HttpResponse) -> SendRecords:
    """§10 ``total||count||pages|#|record|#|…``; empty means no records."""
    text, clean = answer_text(response)
    body = text.strip()
    if is_status_answer(body):
        body = after_status_line(body, (_RD_SEPARATOR,), response).strip()
        if body and _counts(body.partition(_RD_SEPARATOR)[0]) is None:
            # Records without the counts line: kept raw, their page unknown.
            return SendRecords(malformed=(fragment_bytes(body, ANSWER_CHARSET),))
    if not body:
        return SendRecords()
    head, _, rest = body.partition(_RD_SEPARATOR)
    counts = _counts(head)
    if counts is None:
        raise DecodeError("smscn send log without 'total||count||pages'", response.body)
    items, malformed = split_records(rest, _RD_SEPARATOR, _parse_record, ANSWER_CHARSET, clean)
    return SendRecords(*counts, tuple(items), tuple(malformed))


def _counts(head: str) -> tuple[int, int, int] | None:
    counts = [parse_code(part) for part in head.split("||", 3)]
    if len(counts) != 3 or any(c is None or c < 0 for c in counts):
        return None
    total, count, pages = (int(c or 0) for c in counts)
    return total, count, pages


# --------------------------------------------------------------------------- writing


def text_response(body: str) -> HttpResponse:
    """A plain-text GBK answer."""
    data = encode_text(body, ANSWER_CHARSET, "answer text")
    return HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), data)


def render_status(code: str, **fields: str) -> HttpResponse:
    """``sms&stat=N&key=value…`` with the fields in the order given."""
    return text_response(
        "&".join(["sms", f"stat={code}", *(f"{k}={v}" for k, v in fields.items())])
    )


def render_error(error: GatewayError) -> HttpResponse:
    """Every refusal, on every endpoint: ``sms&stat=N&message=…``."""
    if not is_digits(error.code):
        raise EncodeError(f"smscn status codes are numbers, not {error.code!r}")
    if "\r" in error.message or "\n" in error.message:
        raise EncodeError("smscn answer messages are one line")
    return render_status(error.code, message=error.message)


def _verified(response: HttpResponse, decode: Callable[[HttpResponse], T], expected: T) -> T:
    """Read a rendered body back: fields that break the framing are refused, never sent."""
    try:
        ok = decode(response) == expected
    except (DecodeError, GatewayError):
        ok = False
    if not ok:
        raise EncodeError(f"smscn cannot frame these records: {expected!r}")
    return expected


def render_reports(reports: Sequence[DeliveryReport]) -> HttpResponse:
    """§5 lines, with the document's space before the time."""
    lines = []
    for r in reports:
        if r.reported_at is None:
            raise EncodeError("smscn report lines carry the report time; reported_at is required")
        if (r.message_id, r.sent_at, r.description) != (None, None, None):
            raise EncodeError("smscn report lines carry only number, status, id and time")
        if report_status(REPORT_STATUS, r.code) is not r.status:
            raise EncodeError(f"smscn report code {r.code!r} does not mean {r.status}")
        line = f"{r.mobile},{r.code},{r.client_id or ''}, {format_seconds(r.reported_at)}"
        lines.append(line)
    response = text_response("\n".join(lines))
    _verified(response, decode_reports, Batch(tuple(reports)))
    return response


def render_inbound(messages: Sequence[InboundMessage]) -> HttpResponse:
    """§6.1 ``100{&}…``; ``||`` in a text becomes ``｜｜`` as the gateway does it."""
    if not messages:
        return text_response("")
    records = [SUCCESS]
    expected: list[InboundMessage] = []
    for m in messages:
        if m.received_at is None:
            raise EncodeError("smscn replies carry a time; received_at is required")
        if m.message_id is not None:
            raise EncodeError("smscn replies carry no message id")
        content = m.content.replace("||", "｜｜")
        if "{&}" in content:
            raise EncodeError("reply content contains '{&}', the record separator")
        record = f"{m.mobile}||{content}||{format_seconds(m.received_at)}||{m.destination or ''}"
        records.append(record)
        expected.append(InboundMessage(m.mobile, content, m.received_at, None, m.destination))
    response = text_response("{&}".join(records))
    _verified(response, decode_inbound, Batch(tuple(expected)))
    return response


def render_send_records(result: SendRecords) -> HttpResponse:
    """§10 ``total||count||pages|#|…``; nothing at all is an empty body."""
    if result.malformed:
        raise EncodeError("smscn cannot render malformed send records")
    if result == SendRecords():
        return text_response("")
    if min(result.total, result.count, result.pages) < 0:
        raise EncodeError("send record counts are not negative")
    if len(result.records) > _PER_PAGE:
        raise EncodeError(f"smscn answers at most {_PER_PAGE} send records per page (§10)")
    parts = [f"{result.total}||{result.count}||{result.pages}"]
    for r in result.records:
        if _RD_SEPARATOR in r.content:
            raise EncodeError("send record content contains '|#|', the record separator")
        parts.append(f"{format_seconds(r.sent_at)}||{r.mobile}||{r.content}||{r.status}")
    response = text_response("|#|".join(parts))
    _verified(response, decode_send_records, result)
    return response
