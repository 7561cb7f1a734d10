"""smscn: the server role's answers, the account, §6.2 pushes, and every refusal by its words.

Answers are the document's formats written out ("sms&stat=N&message=…",
"手机号,状态,发送唯一编号,状态返回时间", "状态码{&}回复号码||回复内容||回复时间||回复网关号",
"总记录数||当前记录数||总页数|#|…"),
pushes its §6.2 URL (``cmd=res&uid=…&mobileids=…&mobile=…&status=…``) and table (``time``,
``mobile``, ``content`` as a GBK string). Written to kill mutants that survived
``tools/mutate.py codecs/smscn/`` (issue 17).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._query import QueryParams
from smswire.codecs.smscn import _push

ACCOUNT = smscn.Account("test", "123123")
TEXT = (("Content-Type", "text/plain; charset=GBK"),)
codec = smscn.Codec()
RECORDS = smscn.QuerySendRecords()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def lookup(uid: str) -> smscn.Account | None:
    return ACCOUNT if uid == "test" else None


def answer(op: object, result: object) -> HttpResponse:
    return codec.encode_response(op, result, ACCOUNT)  # type: ignore[arg-type]


def refused(op: object, result: object, message: str) -> None:
    with pytest.raises(EncodeError, match=f"^{re.escape(message)}$"):
        answer(op, result)


def record(text: str = "a", status: str = "0") -> smscn.SendRecord:
    return smscn.SendRecord(at("2012-12-12 10:00:00"), "13800000000", text, status)


# ------------------------------------------------------------------ status answers


def test_the_status_answers_exactly() -> None:
    for op, result, body in [
        (QueryBalance(), Balance(Decimal(5)), "sms&stat=100&remain=5"),
        (smscn.QuerySentCount(), 0, "sms&stat=100&remain=0"),
        (smscn.QuerySentCount(), 12, "sms&stat=100&remain=12"),
    ]:
        response = answer(op, result)
        assert (response.status, response.headers, response.body) == (200, TEXT, body.encode("gbk"))


@pytest.mark.parametrize(
    ("op", "result", "message"),
    [
        (smscn.QuerySentCount(), True, "smscn sent counts are whole numbers, got True"),
        (smscn.QuerySentCount(), 1.5, "smscn sent counts are whole numbers, got 1.5"),
        (
            smscn.QuerySentCount(),
            -1,
            "smscn balances are a whole, non-negative message count (Balance(Decimal(n))), "
            "got Balance(amount=Decimal('-1'), unit=<BalanceUnit.MESSAGES: 'messages'>, gift=None)",
        ),
        (
            QueryBalance(),
            Balance(Decimal("1.5")),
            "smscn balances are a whole, non-negative message count (Balance(Decimal(n))), "
            "got Balance(amount=Decimal('1.5'), unit=<BalanceUnit.MESSAGES: 'messages'>, "
            "gift=None)",
        ),
    ],
)
def test_counts_the_wire_cannot_carry(op: object, result: object, message: str) -> None:
    refused(op, result, message)


def test_a_send_is_answered_with_one_status() -> None:
    op = SendSms(("13800000000", "13800000001"), "x")
    receipts = SendResult((Receipt("13800000000"), Receipt("13800000001")))
    assert answer(op, receipts).body == "sms&stat=100&message=发送成功".encode("gbk")
    refused(
        op,
        SendResult((Receipt("13800000000", "9"), Receipt("13800000001"))),
        "smscn answers a send with one status, not per-number results",
    )


@pytest.mark.parametrize(("code", "text"), [("106", "号码过多"), ("117", "绑定IP不正确")])
def test_refusals_on_every_path(code: str, text: str) -> None:
    error = smscn.SPEC.error(code)
    for path in ["/mt/", "/st/", "/rx/", "/mm/", "/rd/"]:
        response = codec.encode_error(HttpRequest("GET", path), error)
        body = f"sms&stat={code}&message={text}".encode("gbk")
        assert (response.status, response.headers, response.body) == (200, TEXT, body)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            GatewayError("smscn", "E1", "x", ErrorKind.UNKNOWN),
            "smscn status codes are numbers, not 'E1'",
        ),
        (
            GatewayError("smscn", "103", "a\rb", ErrorKind.UNKNOWN),
            "smscn answer messages are one line",
        ),
        (
            GatewayError("smscn", "103", "a\nb", ErrorKind.UNKNOWN),
            "smscn answer messages are one line",
        ),
        (
            GatewayError("smscn", "103", "😀", ErrorKind.UNKNOWN),
            "answer text: character '😀' (U+1F600) at position 21 cannot be encoded in GBK",
        ),
    ],
)
def test_refusals_the_wire_cannot_carry(error: GatewayError, message: str) -> None:
    with pytest.raises(EncodeError, match=f"^{re.escape(message)}$"):
        codec.encode_error(HttpRequest("GET", "/mt/"), error)


# ------------------------------------------------------------------ §5 report lines


def report(code: str, client_id: str | None = "1", **extra: object) -> DeliveryReport:
    status = DeliveryStatus.DELIVERED if code == "100" else DeliveryStatus.UNKNOWN
    fields: dict[str, object] = {"reported_at": at("2011-03-11 11:22:11"), **extra}
    return DeliveryReport("18817660001", status, code, client_id=client_id, **fields)  # type: ignore[arg-type]


def test_report_lines_as_the_document_prints_them() -> None:
    batch = Batch((report("100", "188176600011234556789"), report("UNDELIV", None)))
    response = answer(FetchReports(), batch)
    assert (response.status, response.headers) == (200, TEXT)
    assert response.body == (
        b"18817660001,100,188176600011234556789, 2011-03-11 11:22:11\n"
        b"18817660001,UNDELIV,, 2011-03-11 11:22:11"
    )
    assert answer(FetchReports(), Batch()).body == b""


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            report("100", reported_at=None),
            "smscn report lines carry the report time; reported_at is required",
        ),
        (
            report("100", message_id="5"),
            "smscn report lines carry only number, status, id and time",
        ),
        (
            report("100", sent_at=at("2011-03-11 11:00:00")),
            "smscn report lines carry only number, status, id and time",
        ),
        (
            report("100", description="ok"),
            "smscn report lines carry only number, status, id and time",
        ),
        (
            DeliveryReport(
                "1", DeliveryStatus.FAILED, "100", reported_at=at("2011-03-11 11:22:11")
            ),
            "smscn report code '100' does not mean DeliveryStatus.FAILED",
        ),
    ],
)
def test_report_lines_the_wire_cannot_carry(item: DeliveryReport, message: str) -> None:
    refused(FetchReports(), Batch((item,)), message)


def test_a_report_that_cannot_be_framed_is_refused() -> None:
    bad = report("a,b")
    with pytest.raises(EncodeError, match=r"^smscn cannot frame these records: "):
        answer(FetchReports(), Batch((bad,)))


# ------------------------------------------------------------------ §6.1 replies


def reply(text: str, **extra: object) -> InboundMessage:
    fields: dict[str, object] = {"received_at": at("2008-05-27 12:10:11"), **extra}
    return InboundMessage("13912341234", text, **fields)  # type: ignore[arg-type]


def test_replies_as_the_document_prints_them() -> None:
    batch = Batch((reply("短信测试回复", destination="1068112227282"), reply("a||b")))
    assert answer(FetchInbound(), batch).body == (
        "100{&}13912341234||短信测试回复||2008-05-27 12:10:11||1068112227282"
        "{&}13912341234||a｜｜b||2008-05-27 12:10:11||"
    ).encode("gbk")
    empty = answer(FetchInbound(), Batch())
    assert (empty.status, empty.headers, empty.body) == (200, TEXT, b"")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (reply("a", received_at=None), "smscn replies carry a time; received_at is required"),
        (reply("a", message_id="1"), "smscn replies carry no message id"),
        (reply("a{&}b"), "reply content contains '{&}', the record separator"),
    ],
)
def test_replies_the_wire_cannot_carry(item: InboundMessage, message: str) -> None:
    refused(FetchInbound(), Batch((item,)), message)


def test_a_reply_the_decoder_would_read_otherwise_is_refused() -> None:
    # A gateway number that is not digits would come back malformed: not framed, not sent.
    with pytest.raises(EncodeError, match=r"^smscn cannot frame these records: "):
        answer(FetchInbound(), Batch((reply("x", destination="10x"),)))


def test_a_report_the_decoder_cannot_read_is_refused() -> None:
    # A line starting "sms&" reads as a status line, and this one has no numeric stat.
    bad = DeliveryReport(
        "sms&stat=102", DeliveryStatus.DELIVERED, "100", reported_at=at("2011-03-11 11:22:11")
    )
    with pytest.raises(EncodeError, match=r"^smscn cannot frame these records: "):
        answer(FetchReports(), Batch((bad,)))


# ------------------------------------------------------------------ §10 the send log


def test_the_send_log_as_the_document_prints_it() -> None:
    result = smscn.SendRecords(120, 2, 3, (record("你好", "100"), record("", "0")))
    assert answer(RECORDS, result).body == (
        "120||2||3|#|2012-12-12 10:00:00||13800000000||你好||100"
        "|#|2012-12-12 10:00:00||13800000000||||0"
    ).encode("gbk")
    assert answer(RECORDS, smscn.SendRecords(0, 0, 1)).body == b"0||0||1"
    assert answer(RECORDS, smscn.SendRecords(3, 0, 0)).body == b"3||0||0"
    empty = answer(RECORDS, smscn.SendRecords())
    assert (empty.status, empty.headers, empty.body) == (200, TEXT, b"")


def test_exactly_50_records_a_page_and_not_51() -> None:
    page = smscn.SendRecords(50, 50, 1, (record(),) * 50)
    assert answer(RECORDS, page).body.count(b"|#|") == 50
    refused(
        RECORDS,
        smscn.SendRecords(51, 51, 1, (record(),) * 51),
        "smscn answers at most 50 send records per page (§10)",
    )


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (smscn.SendRecords(malformed=(b"x",)), "smscn cannot render malformed send records"),
        (smscn.SendRecords(-1, 0, 0), "send record counts are not negative"),
        (smscn.SendRecords(0, -1, 0), "send record counts are not negative"),
        (smscn.SendRecords(0, 0, -1), "send record counts are not negative"),
        (
            smscn.SendRecords(1, 1, 1, (record("a|#|b"),)),
            "send record content contains '|#|', the record separator",
        ),
    ],
)
def test_send_logs_the_wire_cannot_carry(result: smscn.SendRecords, message: str) -> None:
    refused(RECORDS, result, message)


# ------------------------------------------------------------------ the account and operations


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: smscn.Account(""), "smscn.Account: uid must be a non-empty name without blanks"),
        (
            lambda: smscn.Account("a b", "x"),
            "smscn.Account: uid must be a non-empty name without blanks",
        ),
        (
            lambda: smscn.Account("a\tb", "x"),
            "smscn.Account: uid must be a non-empty name without blanks",
        ),
        (
            lambda: smscn.Account(5, "x"),
            "smscn.Account: uid must be a non-empty name without blanks",
        ),
        (lambda: smscn.Account("test"), "smscn.Account needs exactly one of password= or pwd="),
        (
            lambda: smscn.Account("test", "x", pwd="0" * 32),
            "smscn.Account needs exactly one of password= or pwd=",
        ),
        (
            lambda: smscn.Account("test", pwd="g" * 32),
            "smscn.Account: pwd must be 32 hexadecimal digits",
        ),
        (
            lambda: smscn.Account("test", pwd="X" * 32),
            "smscn.Account: pwd must be 32 hexadecimal digits",
        ),
        (
            lambda: smscn.Account("test", pwd="0" * 31),
            "smscn.Account: pwd must be 32 hexadecimal digits",
        ),
        (lambda: smscn.QuerySendRecords(page=0), "page must be a whole number from 1, got 0"),
        (lambda: smscn.QuerySendRecords(page=True), "page must be a whole number from 1, got True"),
        (lambda: smscn.QuerySendRecords(page=1.0), "page must be a whole number from 1, got 1.0"),
        (
            lambda: smscn.QuerySendRecords(date="2012-12-12"),
            "date must be a datetime.date, got str",
        ),
        (
            lambda: smscn.QuerySendRecords(date=datetime(2012, 12, 12, tzinfo=CHINA)),
            "date must be a datetime.date, got datetime",
        ),
        (lambda: smscn.QuerySendRecords(mobile="138-0"), "mobile '138-0' must be ASCII digits"),
    ],
)
def test_what_an_account_or_a_query_refuses(make: object, message: str) -> None:
    with pytest.raises(EncodeError, match=f"^{re.escape(message)}$"):
        make()  # type: ignore[operator]


def test_an_upper_case_pwd_goes_out_lower_case() -> None:
    # §10 "小写32位MD5加密".
    assert smscn.Account("test", pwd="B9887C5EBB23EBB294ACAB183ECF0769").password_md5 == (
        "b9887c5ebb23ebb294acab183ecf0769"
    )
    assert smscn.QuerySendRecords(page=1, date=date(2012, 12, 12)).page == 1


# ------------------------------------------------------------------ §6.2 pushes


def push(query: str, method: str = "GET", body: bytes = b"") -> Batch[object]:
    return codec.decode_push(HttpRequest(method, f"/notify?{query}", (), body), lookup)  # type: ignore[return-value]


def test_a_get_push_reads_its_target_only() -> None:
    target = "cmd=res&uid=test&mobile=13900008888&status=100"
    assert push(target, "GET", b"status=UNDELIV") == Batch(
        (DeliveryReport("13900008888", DeliveryStatus.DELIVERED, "100"),)
    )


def test_a_get_push_body_is_not_read() -> None:
    # Only a POST carries a form (§6.2 "使用Http协议GET和POST方式发送").
    request = HttpRequest("GET", "/notify?cmd=res&uid=test&mobile=13900008888", (), b"content=x")
    with pytest.raises(DecodeError, match=r"^smscn push carries neither 'status' nor 'content'$"):
        codec.decode_push(request, lookup)


@pytest.mark.parametrize(
    "query",
    [
        "cmd=res&uid=test&mobile=1390000888x&status=100",
        "cmd=res&uid=test&mobile=13900008888&status=a+b",
        "cmd=res&uid=test&mobile=13900008888&status=100&mobileids=12x",
        "cmd=res&uid=test&mobile=1390000888x&content=%BA%C3",
    ],
)
def test_a_push_whose_fields_do_not_parse_is_kept_raw(query: str) -> None:
    assert push(query) == Batch((), (query.encode(),))


@pytest.mark.parametrize(
    ("request_", "message", "raw"),
    [
        (HttpRequest("PUT", "/?uid=test&status=1"), "smscn pushes are GET or POST, not PUT", b""),
        (
            HttpRequest("GET", "/?uid=test&mobile=1"),
            "smscn push carries neither 'status' nor 'content'",
            b"uid=test&mobile=1",
        ),
        (
            HttpRequest("GET", "/?uid=%FF&mobile=1&status=1"),
            "smscn push is not for a known account's uid",
            b"uid=%FF&mobile=1&status=1",
        ),
        (
            HttpRequest("GET", "/?mobile=1&status=1"),
            "smscn push is not for a known account's uid",
            b"mobile=1&status=1",
        ),
    ],
)
def test_pushes_that_are_no_push(request_: HttpRequest, message: str, raw: bytes) -> None:
    with pytest.raises(DecodeError, match=f"^{re.escape(message)}$") as info:
        codec.decode_push(request_, lookup)
    assert info.value.raw == raw


@pytest.mark.parametrize(
    ("read", "query", "message"),
    [
        (_push.read_report, "mobile=1x&status=100", "status push with a bad number or status"),
        (_push.read_report, "mobile=1&status=a+b", "status push with a bad number or status"),
        (
            _push.read_report,
            "mobile=1&status=100&mobileids=1x",
            "status push with a non-digit mobileids",
        ),
        (_push.read_reply, "mobile=1x&content=a", "reply push with a bad number"),
    ],
)
def test_the_push_readers_name_what_is_wrong(read: object, query: str, message: str) -> None:
    with pytest.raises(DecodeError, match=f"^{re.escape(message)}$"):
        read(QueryParams.parse(query, "gbk"))  # type: ignore[operator]


def test_both_shapes_at_once_are_malformed_and_the_reader_says_why() -> None:
    query = "uid=test&mobile=1&content=x&status=100"
    assert push(query) == Batch((), (query.encode(),))


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            DeliveryReport("1", DeliveryStatus.DELIVERED, "100", message_id="5"),
            "smscn status pushes carry only mobileids, number and status",
        ),
        (
            DeliveryReport("1", DeliveryStatus.FAILED, "100"),
            "smscn report code '100' does not mean DeliveryStatus.FAILED",
        ),
        (
            DeliveryReport("1", DeliveryStatus.UNKNOWN, "a b"),
            "status 'a b' must be a printable word without '|'",
        ),
        (
            DeliveryReport("1", DeliveryStatus.UNKNOWN, "a|b"),
            "status 'a|b' must be a printable word without '|'",
        ),
        (
            DeliveryReport("1", DeliveryStatus.DELIVERED, "100", client_id="1x"),
            "client_id '1x' must be ASCII digits",
        ),
        (DeliveryReport("1x", DeliveryStatus.DELIVERED, "100"), "mobile '1x' must be ASCII digits"),
        (
            InboundMessage("1", "a", message_id="1"),
            "smscn reply pushes carry no message id or destination",
        ),
        (InboundMessage("1x", "a"), "mobile '1x' must be ASCII digits"),
        (
            InboundMessage("1", "a😀"),
            "content: character '😀' (U+1F600) at position 1 cannot be encoded in GBK",
        ),
    ],
)
def test_pushes_the_wire_cannot_carry(item: object, message: str) -> None:
    with pytest.raises(EncodeError, match=f"^{re.escape(message)}$"):
        codec.encode_push(Batch((item,)), ACCOUNT)  # type: ignore[arg-type]


def test_a_malformed_push_is_not_pushed_and_the_ack() -> None:
    with pytest.raises(
        EncodeError, match=r"^smscn pushes carry parsed items only, not malformed fragments$"
    ):
        codec.encode_push(Batch((), (b"x",)), ACCOUNT)
    ack = codec.push_ack()
    assert (ack.status, ack.headers, ack.body) == (200, (("Content-Type", "text/plain"),), b"ok")
    assert [codec.decode_push_ack(HttpResponse(s, (), b"")) for s in (199, 200, 204, 299, 300)] == [
        False,
        True,
        True,
        True,
        False,
    ]
