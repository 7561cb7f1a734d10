"""changlong (112088.net) against the document's words: tables, limits, refusals.

Every expected value is a literal read off ``changlong.txt`` (quoted where it is
used) or computed here (``urllib.parse.quote_plus``, ``str.encode``), never
with the codec's tables, encoder or server role. The exchanges ``_wire._fetch``
builds at import time are rebuilt inside the tests that use them, so a change
to that factory is seen. Written to kill mutants that survived
``tools/mutate.py codecs/changlong/`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

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
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
    changlong,
)
from smswire.codecs._exchange import Exchanges
from smswire.codecs.changlong import _codec, _wire

CHINA = timezone(timedelta(hours=8))
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
GBK = changlong.Codec()
DOC = changlong.Account("mysms", "123456")
SEND = SendSms(("13798361236", "13826588212"), "x")
OPS: dict[str, Operation[Any]] = {
    "send": SEND,
    "reports": FetchReports(),
    "inbound": FetchInbound(),
    "balance": QueryBalance(),
}


def gbk(body: str | bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(status, (), body if isinstance(body, bytes) else body.encode("gbk"))


def lookup(name: str) -> changlong.Account | None:
    return DOC if name == "mysms" else None


def refused(call: Any, *args: Any) -> str:
    with pytest.raises(EncodeError) as caught:
        call(*args)
    return str(caught.value)


# ------------------------------------------------------------------ the document's tables

#: 1.1.2 "(状态报告值为整数，分别表示的含义为：-1-- 未收到状态报告；10—发送成功；20—发送失败)".
REPORT_STATES = {
    "-1": DeliveryStatus.PENDING,
    "10": DeliveryStatus.DELIVERED,
    "20": DeliveryStatus.FAILED,
}

#: Each endpoint's 返回结果 table, as the document prints it.
DOCUMENT_CODES = {
    "send": {
        "-1": "缺少接收的目标号码",
        "-2": "缺少短信内容",
        "-3": "短信内容非法，含有禁发关键词",
        "-4": "每次请求条数大于最大允许条数 100 条",
        "-7": "用户登入信息验证失败(一般为密码错误)",
        "-8": "短信内容长度超过规定最大字符长度 335 个字符",
        "-9": "帐户当前余额不足发送本次请求的条数",
        "-10": "帐号已被锁定",
        "-99": "系统忙，无法受理此次请求",
    },
    "reports": {"-1": "用户不存在", "-3": "系统忙，请稍候再试", "-7": "帐号登录验证失败"},
    "inbound": {"-1": "用户不存在", "-3": "系统忙，请稍候再试", "-7": "帐号登录验证失败"},
    "balance": {"-1": "帐户不存在", "-7": "用户登入信息验证失败"},
}
CODE_CASES = [(s, c, t) for s, table in DOCUMENT_CODES.items() for c, t in table.items()]


@pytest.mark.parametrize(("code", "status"), sorted(REPORT_STATES.items()))
@pytest.mark.parametrize("tail", ["", "\r\n"])
def test_report_values_mean_what_1_1_2_says(code: str, status: DeliveryStatus, tail: str) -> None:
    body = f"1|6408676;13682250950;{code}{tail}"
    assert GBK.decode_response(FetchReports(), gbk(body), DOC) == Batch(
        (DeliveryReport("13682250950", status, code, "6408676"),)
    )


@pytest.mark.parametrize(("scope", "code", "text"), CODE_CASES)
def test_every_code_is_read_with_its_endpoints_text(scope: str, code: str, text: str) -> None:
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(OPS[scope], gbk(code), DOC)
    assert (caught.value.code, caught.value.message, caught.value.raw) == (
        code,
        text,
        code.encode(),
    )
    assert caught.value.detail is None


def test_the_forbidden_word_rides_after_the_bar() -> None:
    # 1.1.1 "-3 禁发词 … 具体的禁发词在单竖线的后一个值体现".
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(SEND, gbk("-3|法轮\r\n"), DOC)
    assert (caught.value.code, caught.value.detail) == ("-3", "法轮")
    assert caught.value.kind is ErrorKind.CONTENT_REJECTED
    assert GBK.encode_response(SEND, caught.value, DOC).body == "-3|法轮".encode("gbk")


@pytest.mark.parametrize("scope", sorted(OPS))
@pytest.mark.parametrize("body", [b"", b"0", b"Bad Gateway"])
def test_an_http_error_is_a_decode_error_whatever_the_body(scope: str, body: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(OPS[scope], gbk(body, 502), DOC)
    assert str(caught.value) == "changlong answered HTTP 502"
    assert caught.value.raw == body


@pytest.mark.parametrize("scope", sorted(OPS))
@pytest.mark.parametrize("body", ["OK", "", "|1", "条数"])
def test_an_answer_without_a_leading_number_is_a_decode_error(scope: str, body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(OPS[scope], gbk(body), DOC)
    assert str(caught.value) == "changlong answer does not start with a number"
    assert caught.value.raw == body.encode("gbk")


# ------------------------------------------------------------------ 1.1.1 send answers
# "0 a b d 提交短信成功": 0, accepted, failed, then the ids.


def send_answer(body: str, op: SendSms = SEND) -> SendResult:
    return GBK.decode_response(op, gbk(body), DOC)


def test_one_id_per_number_maps_in_order() -> None:
    assert send_answer("0|2|0|11,12") == SendResult(
        (Receipt("13798361236", "11"), Receipt("13826588212", "12"))
    )
    assert send_answer("0|2|0| 11 , 12 ,\r\n") == SendResult(
        (Receipt("13798361236", "11"), Receipt("13826588212", "12"))
    )


def test_the_documents_one_number_answer() -> None:
    # 1.1.1 "返回正确的结果的返回值为：0|1|0|SMSID".
    op = SendSms(("13798361236",), "这条是测试短信")
    assert send_answer("0|1|0|SMSID", op) == SendResult((Receipt("13798361236", "SMSID"),))


def test_a_batch_number_for_every_accepted_number() -> None:
    assert send_answer("0|2|0|6408649") == SendResult(
        (Receipt("13798361236", "6408649"), Receipt("13826588212", "6408649")), 0, "6408649"
    )


def test_failed_numbers_leave_receipts_without_numbers() -> None:
    assert send_answer("0|1|1|11") == SendResult((Receipt(None, "11"),), 1)
    assert send_answer("0|0|2") == SendResult((), 2)
    assert send_answer("0|0|2|") == SendResult((), 2)


@pytest.mark.parametrize(
    "body",
    [
        "0|2",  # no failed count
        "0|2|0|11,12|x",  # a fifth value
        "0|x|0|11,12",
        "0|2|y|11,12",
        "0|-2|0|11,12",
        "0|2|-1|11,12",
        "0|3|0|11,12",  # three accepted, two ids
        "0|1|0|11,12",
        "0|3|0|6408649",  # a batch for more numbers than were sent
        "1|2|0|11,12",  # a positive first value is no 0
    ],
)
def test_a_send_answer_that_does_not_add_up_is_a_decode_error(body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        send_answer(body)
    assert caught.value.raw == body.encode()


def test_a_send_answer_with_bytes_outside_gbk_is_a_decode_error() -> None:
    body = b"0|2|0|11,\xff"
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(SEND, gbk(body), DOC)
    assert caught.value.raw == body


# ------------------------------------------------------------------ limits, both roles


def numbers(n: int) -> tuple[str, ...]:
    return tuple(f"138{i:08d}" for i in range(n))


def test_the_client_role_takes_100_numbers_and_335_characters_and_no_more() -> None:
    # 1.1.1 "最大允许每次提交号码 100 个号码"; "-8 … 最大字符长度 335 个字符".
    GBK.encode_request(SendSms(numbers(100), "字" * 335), DOC, STAMP)
    assert refused(GBK.encode_request, SendSms(numbers(101), "x"), DOC, STAMP) == (
        "changlong takes at most 100 numbers per request, got 101; use codec.plan(op) to split"
    )
    assert refused(GBK.encode_request, SendSms(("138",), "字" * 336), DOC, STAMP) == (
        "content: changlong takes at most 335 characters, got 336"
    )


@pytest.mark.parametrize(
    "extra", [{"extension": "01"}, {"client_ids": ("c1",)}], ids=["extension", "client_ids"]
)
def test_a_send_carries_no_extension_or_client_ids(extra: dict[str, Any]) -> None:
    op = SendSms(("13798361236",), "x", **extra)
    assert refused(GBK.encode_request, op, DOC, STAMP) == (
        "changlong sends have no extension or client ids"
    )


def test_replies_since_a_time_are_refused() -> None:
    op = FetchInbound(since=datetime(2024, 1, 1, tzinfo=CHINA))
    assert refused(GBK.encode_request, op, DOC, STAMP) == (
        "changlong cannot fetch replies since a time"
    )


def report(i: int) -> DeliveryReport:
    return DeliveryReport(f"138{i:08d}", DeliveryStatus.DELIVERED, "10", str(6408600 + i))


def reply(i: int) -> InboundMessage:
    return InboundMessage(f"138{i:08d}", f"回复{i}", message_id=str(100 + i))


def test_the_server_role_writes_100_reports_and_50_replies_and_no_more() -> None:
    # 1.1.2 "(最大返回 100 条)"; 1.1.3 "(最大返回 50 条)".
    body = GBK.encode_response(FetchReports(), Batch(tuple(map(report, range(100)))), DOC).body
    assert body.startswith(b"100|6408600;13800000000;10|") and body.count(b"|") == 100
    assert refused(
        GBK.encode_response, FetchReports(), Batch(tuple(map(report, range(101)))), DOC
    ) == ("changlong answers carry at most 100 reports, got 101")
    body = GBK.encode_response(FetchInbound(), Batch(tuple(map(reply, range(50)))), DOC).body
    assert body.startswith("50|100;13800000000;回复0|".encode("gbk")) and body.count(b"|") == 50
    assert refused(
        GBK.encode_response, FetchInbound(), Batch(tuple(map(reply, range(51)))), DOC
    ) == ("changlong answers carry at most 50 replies, got 51")


def test_the_server_role_answers_with_the_codecs_charset_named() -> None:
    response = changlong.Codec(charset="utf-8").encode_response(
        QueryBalance(), Balance(Decimal(7)), DOC
    )
    assert response == HttpResponse(200, (("Content-Type", "text/plain; charset=UTF-8"),), b"7")
    response = GBK.encode_response(FetchReports(), Batch(), DOC)
    assert response == HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), b"0")


# ------------------------------------------------------------------ accounts


@pytest.mark.parametrize(("name", "password"), [("", "pw"), ("mysms", ""), ("", "")])
def test_an_account_needs_a_name_and_a_password(name: str, password: str) -> None:
    assert refused(changlong.Account, name, password) == (
        "changlong.Account needs a username and a password"
    )


# ------------------------------------------------------------------ rebuilt exchanges

FETCHES = [
    ("reports", FetchReports(), "/get_report_txt.asp"),
    ("inbound", FetchInbound(), "/get_receive_message_txt.asp"),
    ("balance", QueryBalance(), "/Get_Account_Balance.asp"),
]


def rebuilt() -> changlong.Codec:
    """A codec whose credentials-only exchanges come from calling ``_fetch`` now."""
    exchanges = Exchanges(
        "changlong",
        (
            _codec.SEND,
            _wire._fetch(FetchReports, "reports", _codec._reports_answer, _codec._reports_write),
            _wire._fetch(
                FetchInbound,
                "inbound",
                _codec._inbound_answer,
                _codec._inbound_write,
                _codec._inbound_check,
            ),
            _wire._fetch(QueryBalance, "balance", _codec._balance_answer, _codec._balance_write),
        ),
        fold_case=True,
    )

    class Rebuilt(changlong.Codec):
        pass

    Rebuilt.exchanges = exchanges  # type: ignore[misc]
    return Rebuilt()


@pytest.mark.parametrize(("scope", "op", "path"), FETCHES, ids=[f[0] for f in FETCHES])
def test_fetches_carry_the_name_and_password_only(
    scope: str, op: Operation[Any], path: str
) -> None:
    # "…?us_name=帐号&us_pwd=密码" on 1.1.2, 1.1.3 and 1.1.4.
    codec = rebuilt()
    request = codec.encode_request(op, DOC, STAMP)
    assert (request.method, request.target) == ("GET", f"{path}?us_name=mysms&us_pwd=123456")
    assert codec.decode_request(request, lookup) == (op, DOC)
    for target, code in [
        (f"{path}?us_name=mysms&us_pwd=wrong", "-7"),
        (f"{path}?us_name=mysms", "-7"),
        (f"{path}?us_name=nobody&us_pwd=123456", "-1"),
        (f"{path}?us_pwd=123456", "-1"),
    ]:
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(HttpRequest("GET", target), lookup)
        assert (caught.value.code, caught.value.message) == (code, DOCUMENT_CODES[scope][code])


def test_rebuilt_fetches_read_and_write_answers() -> None:
    codec = rebuilt()
    body = "1|6408676;13682250950;20"
    batch = Batch((DeliveryReport("13682250950", DeliveryStatus.FAILED, "20", "6408676"),))
    assert codec.decode_response(FetchReports(), gbk(body), DOC) == batch
    assert codec.encode_response(FetchReports(), batch, DOC).body == body.encode()
    replies = Batch((InboundMessage("13798361236", "我回复一条", message_id="133"),))
    body = "1|133;13798361236;我回复一条"
    assert codec.decode_response(FetchInbound(), gbk(body), DOC) == replies
    assert codec.encode_response(FetchInbound(), replies, DOC).body == body.encode("gbk")
    assert codec.decode_response(QueryBalance(), gbk("42"), DOC) == Balance(Decimal(42))
    assert codec.encode_response(QueryBalance(), Balance(Decimal(42)), DOC).body == b"42"
    since = FetchInbound(since=datetime(2024, 1, 1, tzinfo=CHINA))
    assert refused(codec.encode_request, since, DOC, STAMP) == (
        "changlong cannot fetch replies since a time"
    )
    error = changlong.SPEC.error("-3", scope="reports")
    assert codec.encode_response(FetchReports(), error, DOC).body == b"-3"


# ------------------------------------------------------------------ messages of every refusal


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("0|2", "changlong send answer is not 0|accepted|failed|ids"),
        ("0|2|0|11,12|x", "changlong send answer is not 0|accepted|failed|ids"),
        ("0|x|0|11,12", "changlong send answer: counts are not whole numbers"),
        ("0|2|-1|11,12", "changlong send answer: counts are not whole numbers"),
        ("0|3|0|11,12", "changlong send answer: counts and ids disagree"),
    ],
)
def test_send_answer_errors_say_what_does_not_add_up(body: str, message: str) -> None:
    with pytest.raises(DecodeError) as caught:
        send_answer(body)
    assert str(caught.value) == message


def test_a_balance_with_more_after_a_bar_is_a_decode_error() -> None:
    # 1.1.4 "返回等于或是大于 0 的字符串": one number.
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(QueryBalance(), gbk("5|x"), DOC)
    assert str(caught.value) == "changlong balance answer is not a number"
    assert caught.value.raw == b"5|x"


TIE = (
    "changlong send answers tie ids to numbers only when none failed and every number "
    "has an id, in order; otherwise receipts carry no number"
)
BATCH = (
    "a changlong batch answer gives one batch_id to two or more of the sent numbers, "
    "as every receipt's message_id; for one number leave batch_id None"
)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (SendResult((Receipt("13798361236", "1"), Receipt("13826588212", "2")), -1), None),
        (SendResult((Receipt("13826588212", "1"), Receipt("13798361236", "2"))), TIE),
        (SendResult((Receipt("13798361236", "1"),), 1), TIE),
        (SendResult((Receipt(None, "1"), Receipt(None, "2"))), TIE),
        (SendResult((Receipt("13798361236", "1", "c"), Receipt("13826588212", "2"))), TIE),
        (SendResult((Receipt(None, "1"),), 1), "ok"),
        (SendResult((Receipt("13798361236", ""), Receipt("13826588212", "2"))), "empty"),
        (SendResult((Receipt("13798361236", "1,2"), Receipt("13826588212", "3"))), "comma"),
        (SendResult((Receipt(None, "7"),), 1, "7"), BATCH),
        (SendResult((Receipt("13798361236", "7"), Receipt("13826588212", "8")), 0, "7"), BATCH),
    ],
)
def test_send_results_the_wire_cannot_carry_are_refused(
    result: SendResult, message: str | None
) -> None:
    if message == "ok":
        assert GBK.encode_response(SEND, result, DOC).body == b"0|1|1|1"
        return
    expected = {
        None: "changlong send answer: failed must be >= 0",
        "empty": "message_id: changlong needs a non-empty id",
        "comma": "message_id '1,2' contains ',', which this wire format cannot carry",
    }.get(message, message)
    assert refused(GBK.encode_response, SEND, result, DOC) == expected


def test_report_and_reply_refusals_name_their_reason() -> None:
    write = GBK.encode_response
    bad_code = DeliveryReport("13682250950", DeliveryStatus.DELIVERED, "20", "6408676")
    assert refused(write, FetchReports(), Batch((bad_code,)), DOC) == (
        "changlong report code '20' does not mean DeliveryStatus.DELIVERED"
    )
    for extra in [{"client_id": "c"}, {"sent_at": STAMP.now}, {"extension": "1"}]:
        item = DeliveryReport("13682250950", DeliveryStatus.FAILED, "20", "6408676", **extra)
        assert refused(write, FetchReports(), Batch((item,)), DOC) == (
            "changlong reports carry only batch id, phone and status"
        )
    for extra in [{"received_at": STAMP.now}, {"destination": "10690"}]:
        msg = InboundMessage("13798361236", "x", message_id="133", **extra)
        assert refused(write, FetchInbound(), Batch((msg,)), DOC) == (
            "changlong replies carry no time or destination"
        )
    for text, message in [
        ("a|b;c", "changlong reply content with ';' after a '|' cannot be framed"),
        ("end\r", "reply content ending in a line break cannot be framed"),
        ("end\n", "reply content ending in a line break cannot be framed"),
    ]:
        msg = InboundMessage("13798361236", text, message_id="133")
        assert refused(write, FetchInbound(), Batch((msg,)), DOC) == message
    # 'a|b' (no ';' after the bar) is written and read back whole.
    ok = Batch((InboundMessage("13798361236", "a|b", message_id="133"),))
    assert write(FetchInbound(), ok, DOC).body == b"1|133;13798361236;a|b"


def test_a_forbidden_word_with_a_line_break_is_refused() -> None:
    error = changlong.SPEC.error("-3", scope="send", detail="a\nb")
    assert refused(GBK.encode_response, SEND, error, DOC) == (
        "error detail 'a\\nb' contains '\\n', which this wire format cannot carry"
    )


# ------------------------------------------------------------------ server role: the send table


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("&send_content=x", "-1"),
        ("&send_phone=,&send_content=x", "-1"),
        ("&send_phone=138", "-2"),
        ("&send_phone=138&send_content=", "-2"),
        (f"&send_phone={','.join(['138'] * 101)}&send_content=x", "-4"),
        (f"&send_phone=138&send_content={'x' * 336}", "-8"),
    ],
)
def test_the_server_role_refuses_a_send_with_the_send_tables_text(query: str, code: str) -> None:
    target = f"/sendsms_txt.asp?us_name=mysms&us_pwd=123456{query}"
    with pytest.raises(GatewayError) as caught:
        GBK.decode_request(HttpRequest("GET", target), lookup)
    assert (caught.value.code, caught.value.message) == (code, DOCUMENT_CODES["send"][code])


def test_a_send_with_a_wrong_password_or_no_name_is_minus_7_login_failed() -> None:
    # Sends have no "用户不存在" row: "-7 用户登入信息验证失败(一般为密码错误)".
    asked: list[object] = []

    def recording(name: str) -> changlong.Account | None:
        asked.append(name)
        return DOC

    for query in ["us_name=mysms&us_pwd=wrong", "us_pwd=123456", "us_name=&us_pwd=123456"]:
        target = f"/sendsms_txt.asp?{query}&send_phone=138&send_content=x"
        with pytest.raises(GatewayError) as caught:
            GBK.decode_request(HttpRequest("GET", target), recording)
        assert (caught.value.code, caught.value.message) == ("-7", DOCUMENT_CODES["send"]["-7"])
    assert asked == ["mysms"]


# ------------------------------------------------------------------ field names in refusals


def test_refusals_name_the_field_at_fault() -> None:
    write = GBK.encode_response
    msg = InboundMessage("abc", "x", message_id="133")
    assert refused(write, FetchInbound(), Batch((msg,)), DOC) == "mobile 'abc' must be ASCII digits"
    msg = InboundMessage("13798361236", "x", message_id="")
    assert refused(write, FetchInbound(), Batch((msg,)), DOC) == (
        "message_id: changlong needs a non-empty id"
    )
    item = DeliveryReport("abc", DeliveryStatus.FAILED, "20", "6408676")
    assert refused(write, FetchReports(), Batch((item,)), DOC) == (
        "mobile 'abc' must be ASCII digits"
    )
    item = DeliveryReport("13682250950", DeliveryStatus.FAILED, "20", "")
    assert refused(write, FetchReports(), Batch((item,)), DOC) == (
        "message_id: changlong needs a non-empty id"
    )
    item = DeliveryReport("13682250950", DeliveryStatus.UNKNOWN, "", "6408676")
    assert refused(write, FetchReports(), Batch((item,)), DOC) == (
        "report code: changlong needs a non-empty id"
    )
    batch = SendResult((Receipt("13798361236", "7;8"), Receipt("13826588212", "7;8")), 0, "7;8")
    assert refused(write, SEND, batch, DOC) == (
        "batch_id '7;8' contains ';', which this wire format cannot carry"
    )
    assert refused(GBK.encode_request, SendSms(("138",), "hi 😀"), DOC, STAMP) == (
        "send_content: character '😀' (U+1F600) at position 3 cannot be encoded in GBK"
    )
    msg = InboundMessage("13798361236", "hi 😀", message_id="133")
    body = "1|133;13798361236;hi 😀"
    assert refused(write, FetchInbound(), Batch((msg,)), DOC) == (
        f"answer text: character '😀' (U+1F600) at position {body.index('😀')} "
        "cannot be encoded in GBK"
    )
    error = changlong.SPEC.error("-3", scope="send", detail="a\rb")
    assert refused(write, SEND, error, DOC) == (
        "error detail 'a\\rb' contains '\\r', which this wire format cannot carry"
    )


def test_balance_refusals_name_the_vendor() -> None:
    balance = Balance(Decimal("1.5"))
    assert refused(GBK.encode_response, QueryBalance(), balance, DOC) == (
        "changlong balances are a whole, non-negative message count (Balance(Decimal(n))), "
        f"got {balance!r}"
    )


@pytest.mark.parametrize("content", ["hi ", "BOX", "X", "a |", "tab\t"])
def test_a_reply_text_keeps_its_last_character(content: str) -> None:
    # Only the answer's line break is trimmed ("ASP pages may end with a line break").
    for tail in ["", "\r\n"]:
        body = f"1|133;13798361236;{content}{tail}"
        assert GBK.decode_response(FetchInbound(), gbk(body), DOC) == Batch(
            (InboundMessage("13798361236", content, message_id="133"),)
        )
