"""smscn answers (§3–§10 of smscn.txt), read by the client role: exact values, every error path.

Expected values are the document's own words and examples, written out here
("sms&stat=100&message=发送成功", the §4 状态码 table,
"手机号,状态,发送唯一编号,状态返回时间",
"状态码{&}回复号码||回复内容||回复时间||回复网关号",
"总记录数||当前记录数||总页数|#|发送时间||号码||内容||状态"),
never the codec's tables. Written to kill mutants that survived
``tools/mutate.py codecs/smscn/`` (issue 17).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpResponse,
    InboundMessage,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    smscn,
)
from smswire.codecs._chinatime import CHINA

codec = smscn.Codec()
ACCOUNT = smscn.Account("test", "123123")
REPORTS, REPLIES, RECORDS = FetchReports(), FetchInbound(), smscn.QuerySendRecords()
SEND = SendSms(("13900008888", "13100006666"), "发送测试")

#: §4 状态码, as the document prints them (100 is 发送成功).
DOCUMENT_STATUS = {
    "101": "验证失败",
    "102": "短信不足",
    "103": "操作失败",
    "104": "非法字符",
    "105": "内容过多",
    "106": "号码过多",
    "107": "频率过快",
    "108": "号码内容空",
    "109": "账号冻结",
    "110": "禁止频繁单条发送",
    "112": "号码错误",
    "113": "定时时间格式不对",
    "114": "账号被锁，10分钟后登录",
    "116": "禁止接口发送",
    "117": "绑定IP不正确",
    "120": "系统升级",
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def gbk(body: str | bytes, status: int = 200) -> HttpResponse:
    data = body.encode("gbk") if isinstance(body, str) else body
    return HttpResponse(status, (), data)


def decode(op: object, body: str | bytes) -> object:
    return codec.decode_response(op, gbk(body), ACCOUNT)  # type: ignore[arg-type]


# ------------------------------------------------------------------ HTTP status, §3 status answers


@pytest.mark.parametrize("op", [SEND, REPORTS, REPLIES, QueryBalance(), RECORDS])
@pytest.mark.parametrize("status", [502, 404, 201])
def test_a_non_200_answer_is_a_decode_error_keeping_the_body(op: object, status: int) -> None:
    body = "sms&stat=100&message=发送成功".encode("gbk")
    with pytest.raises(DecodeError, match=rf"^smscn answered HTTP {status}$") as info:
        codec.decode_response(op, HttpResponse(status, (), body), ACCOUNT)  # type: ignore[arg-type]
    assert info.value.raw == body


@pytest.mark.parametrize(("code", "text"), sorted(DOCUMENT_STATUS.items()))
def test_every_document_status_is_a_gateway_error_with_its_text(code: str, text: str) -> None:
    body = f"sms&stat={code}&message={text}"
    with pytest.raises(GatewayError) as info:
        decode(SEND, body)
    assert (info.value.code, info.value.message) == (code, text)
    assert info.value.raw == body.encode("gbk")
    # Without a message the table's text (the document's) is the message.
    with pytest.raises(GatewayError) as bare:
        decode(QueryBalance(), f"sms&stat={code}&remain=0")
    assert (bare.value.code, bare.value.message) == (code, text)


def test_the_answer_message_wins_over_the_table() -> None:
    # A gateway's own wording is kept: it may say more than the table.
    with pytest.raises(GatewayError) as info:
        decode(SEND, "sms&stat=102&message=短信不足,剩余0条&x=1")
    assert (info.value.code, info.value.message) == ("102", "短信不足,剩余0条&x=1")
    assert info.value.kind is ErrorKind.BALANCE


def test_an_undocumented_stat_is_an_unknown_gateway_error() -> None:
    with pytest.raises(GatewayError) as info:
        decode(SEND, "sms&stat=111")
    assert (info.value.code, info.value.kind, info.value.message) == (
        "111",
        ErrorKind.UNKNOWN,
        "undocumented status code",
    )


def test_success_answers_as_the_document_prints_them() -> None:
    ids = SendSms(SEND.mobiles, SEND.content, client_ids=("1", "2"))
    assert decode(ids, "sms&stat=100&message=发送成功") == SendResult(
        (Receipt("13900008888", None, "1"), Receipt("13100006666", None, "2"))
    )
    assert decode(SEND, "sms&stat=100&message=发送成功") == SendResult(
        (Receipt("13900008888"), Receipt("13100006666"))
    )
    assert decode(QueryBalance(), "sms&stat=100&remain=100") == Balance(100)
    assert decode(smscn.QuerySentCount(), "sms&stat=100&remain=100") == 100
    # Surrounding blanks and a CRLF are not part of the answer.
    assert decode(QueryBalance(), "  sms&stat=100&&remain= 7 \r\n") == Balance(7)
    assert decode(smscn.QuerySentCount(), "\r\nsms&stat=100&remain=0") == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("stat=100&message=发送成功", "smscn answer is not 'sms&stat=…' GBK text"),
        ("", "smscn answer is not 'sms&stat=…' GBK text"),
        (b"sms&stat=100&message=\xff", "smscn answer is not 'sms&stat=…' GBK text"),
        ("sms&stat", "smscn answer field 'stat' has no '='"),
        ("sms&remain=5", "smscn answer without a numeric stat"),
        ("sms&stat=&remain=5", "smscn answer without a numeric stat"),
        ("sms&stat=1x0&remain=5", "smscn answer without a numeric stat"),
        # "message" comes last (§4): everything after it is its text, a stat included.
        ("sms&message=发送成功&stat=100", "smscn answer without a numeric stat"),
    ],
)
def test_broken_status_answers(body: str | bytes, message: str) -> None:
    raw = body.encode("gbk") if isinstance(body, str) else body
    for op in (SEND, QueryBalance(), smscn.QuerySentCount()):
        with pytest.raises(DecodeError, match=f"^{re.escape(message)}$") as info:
            codec.decode_response(op, gbk(raw), ACCOUNT)
        assert info.value.raw == raw


@pytest.mark.parametrize("op", [QueryBalance(), smscn.QuerySentCount()])
def test_remain_is_required_and_read_as_a_whole_count(op: object) -> None:
    with pytest.raises(DecodeError, match=r"^smscn answer without 'remain'$") as info:
        decode(op, "sms&stat=100&message=发送成功")
    assert info.value.raw == "sms&stat=100&message=发送成功".encode("gbk")
    with pytest.raises(DecodeError, match=r"^smscn answer without 'remain'$"):
        decode(op, "sms&stat=100&REMAIN=5")
    # The value is everything after the first "=".
    with pytest.raises(DecodeError, match=r"^smscn balance '5=5' is not a whole message count$"):
        decode(op, "sms&stat=100&remain=5=5")


# ------------------------------------------------------------------ §5 reports


def report(mobile: str, code: str, client_id: str | None, when: str) -> DeliveryReport:
    status = DeliveryStatus.DELIVERED if code == "100" else DeliveryStatus.UNKNOWN
    return DeliveryReport(mobile, status, code, client_id=client_id, reported_at=at(when))


def test_the_document_report_example() -> None:
    body = (
        "18817660001,100,188176600011234556789, 2011-03-11 11:22:11\n"
        "18817660002,100,188176600021234556311, 2011-03-11 11:28:22"
    )
    assert decode(REPORTS, body) == Batch(
        (
            report("18817660001", "100", "188176600011234556789", "2011-03-11 11:22:11"),
            report("18817660002", "100", "188176600021234556311", "2011-03-11 11:28:22"),
        )
    )


def test_report_fields_are_stripped_and_the_id_may_be_empty() -> None:
    body = " 13800000000 , DELIVRD , 42 ,2024-01-01 08:00:00\r\n13800000001,-1,,2024-01-01 08:00:01"
    assert decode(REPORTS, body) == Batch(
        (
            report("13800000000", "DELIVRD", "42", "2024-01-01 08:00:00"),
            report("13800000001", "-1", None, "2024-01-01 08:00:01"),
        )
    )
    assert decode(REPORTS, "13800000000,100,  ,2024-01-01 08:00:00") == Batch(
        (report("13800000000", "100", None, "2024-01-01 08:00:00"),)
    )


@pytest.mark.parametrize(
    "line",
    [
        "1380000000a,100,1,2024-01-01 08:00:00",
        "１３８００００００００,100,1,2024-01-01 08:00:00",  # full-width digits are not ASCII
        ",100,1,2024-01-01 08:00:00",
        "13800000000,100,1x,2024-01-01 08:00:00",
        "13800000000,100,１２,2024-01-01 08:00:00",
        "13800000000,a b,1,2024-01-01 08:00:00",
        "13800000000,,1,2024-01-01 08:00:00",
        "13800000000,100,1,yesterday",
        "13800000000,100,2024-01-01 08:00:00",
    ],
)
def test_a_bad_report_line_is_kept_raw_between_good_ones(line: str) -> None:
    good = "13800000001,100,7, 2024-01-01 08:00:00"
    batch = decode(REPORTS, f"{good}\n{line}\n{good}")
    assert batch == Batch(
        (report("13800000001", "100", "7", "2024-01-01 08:00:00"),) * 2, (line.encode("gbk"),)
    )


def test_bad_bytes_in_a_report_line_keep_the_line_raw() -> None:
    good = b"13800000001,100,7, 2024-01-01 08:00:00"
    bad = b"13800000000,\xff\xff,7, 2024-01-01 08:00:00"
    assert decode(REPORTS, good + b"\n" + bad) == Batch(
        (report("13800000001", "100", "7", "2024-01-01 08:00:00"),), (bad,)
    )


def test_reports_after_a_status_line() -> None:
    line = "13800000000,100,1, 2024-01-01 08:00:00"
    expected = Batch((report("13800000000", "100", "1", "2024-01-01 08:00:00"),))
    for head in ["sms&stat=100&message=成功\n", "  sms&stat=100\r\n", "\nsms&stat=100\n"]:
        assert decode(REPORTS, head + line) == expected
    assert decode(REPORTS, "sms&stat=100&message=成功") == Batch()
    with pytest.raises(GatewayError) as info:
        decode(REPORTS, f"sms&stat=109&message=账号冻结\n{line}")
    assert (info.value.code, info.value.message) == ("109", "账号冻结")
    assert info.value.raw == f"sms&stat=109&message=账号冻结\n{line}".encode("gbk")


def test_a_status_line_with_bad_bytes_is_a_decode_error() -> None:
    body = b"sms&stat=100&message=\xff\n13800000000,100,1, 2024-01-01 08:00:00"
    with pytest.raises(DecodeError, match=r"^smscn status line is not GBK text$") as info:
        decode(REPORTS, body)
    assert info.value.raw == body


# ------------------------------------------------------------------ §6.1 replies


def reply(mobile: str, text: str, when: str, gateway: str | None) -> InboundMessage:
    return InboundMessage(mobile, text, at(when), None, gateway)


def test_the_document_reply_example() -> None:
    body = (
        "100{&}13912341234||短信测试回复||2008-05-27 12:10:11||1068112227282"
        "{&}15912343333||短信测试回复2||2009-05-27 13:11:11||106811222728200"
    )
    assert decode(REPLIES, body) == Batch(
        (
            reply("13912341234", "短信测试回复", "2008-05-27 12:10:11", "1068112227282"),
            reply("15912343333", "短信测试回复2", "2009-05-27 13:11:11", "106811222728200"),
        )
    )


def test_reply_fields_are_stripped_and_the_gateway_may_be_empty() -> None:
    body = (
        "100<&> 13912341234 || a ||2008-05-27 12:10:11|| 1068 "
        "<&>13912341235||b||2008-05-27 12:10:12||"
    )
    assert decode(REPLIES, body) == Batch(
        (
            reply("13912341234", " a ", "2008-05-27 12:10:11", "1068"),
            reply("13912341235", "b", "2008-05-27 12:10:12", None),
        )
    )
    assert decode(REPLIES, "100{&}13912341234||b||2008-05-27 12:10:12||  ") == Batch(
        (reply("13912341234", "b", "2008-05-27 12:10:12", None),)
    )


@pytest.mark.parametrize(
    "record",
    [
        "1391234123x||a||2008-05-27 12:10:11||1068",
        "１３９||a||2008-05-27 12:10:11||1068",
        "||a||2008-05-27 12:10:11||1068",
        "13912341234||a||2008-05-27 12:10:11||10x8",
        "13912341234||a||2008-05-27 12:10:11||１０６８",
        "13912341234||a||tomorrow||1068",
        "13912341234",
    ],
)
def test_a_bad_reply_is_kept_raw_between_good_ones(record: str) -> None:
    good = "13912341234||好||2008-05-27 12:10:11||1068"
    expected = reply("13912341234", "好", "2008-05-27 12:10:11", "1068")
    assert decode(REPLIES, f"100{{&}}{good}{{&}}{record}{{&}}{good}") == Batch(
        (expected, expected), (record.encode("gbk"),)
    )


def test_a_reply_without_the_bars_after_its_number_is_malformed() -> None:
    # The number is the first "||" field: a record without one has no number.
    record = "13912341234|a||b||2008-05-27 12:10:11||1068"
    assert decode(REPLIES, f"100{{&}}{record}") == Batch((), (record.encode("gbk"),))


def test_bad_bytes_in_a_reply_keep_it_raw() -> None:
    bad = b"13912341234||\xff\xfe||2008-05-27 12:10:11||1068"
    assert decode(REPLIES, b"100{&}" + bad) == Batch((), (bad,))


def test_a_refusal_on_rx_is_its_code_alone() -> None:
    for code, text in [("101", "验证失败"), ("117", "绑定IP不正确")]:
        with pytest.raises(GatewayError) as info:
            decode(REPLIES, f"{code}{{&}}")
        assert (info.value.code, info.value.message) == (code, text)
        assert info.value.raw == f"{code}{{&}}".encode("gbk")
    with pytest.raises(
        DecodeError, match=r"^smscn reply answer does not start with a status code$"
    ) as bad:
        decode(REPLIES, "ok{&}13912341234||a||2008-05-27 12:10:11||1068")
    assert bad.value.raw == b"ok{&}13912341234||a||2008-05-27 12:10:11||1068"


def test_replies_after_a_status_line() -> None:
    record = "13912341234||a||2008-05-27 12:10:11||1068"
    expected = Batch((reply("13912341234", "a", "2008-05-27 12:10:11", "1068"),))
    for body in [
        f"sms&stat=100&message=成功\n100{{&}}{record}",
        f"sms&stat=100&message=成功{{&}}{record}",
        f"sms&stat=100\n{record}",
        f"sms&stat=100<&>{record}",
        f"sms&stat=100\n100<&>{record}",
    ]:
        assert decode(REPLIES, body) == expected, body
    with pytest.raises(GatewayError, match="114"):
        decode(REPLIES, f"sms&stat=114{{&}}{record}")
    # The code after the status line is the first field, not all but the last record.
    two = decode(REPLIES, f"sms&stat=100\n100{{&}}{record}{{&}}{record}")
    assert two == Batch(expected.items * 2)


def test_an_angle_separator_is_used_only_when_present() -> None:
    # "<&>" only when the body holds it; "{&}" otherwise, even for a lone record.
    assert decode(REPLIES, "100{&}") == Batch()
    with pytest.raises(DecodeError):
        decode(REPLIES, "100<x>13912341234||a||2008-05-27 12:10:11||1068")


# ------------------------------------------------------------------ §10 send records


def test_the_send_log_format() -> None:
    body = (
        "120||2||3|#|2012-12-12 10:00:00|| 13800000000 ||你好||100 "
        "|#|2012-12-12 10:05:00||13800000001||||0"
    )
    assert decode(RECORDS, body) == smscn.SendRecords(
        120,
        2,
        3,
        (
            smscn.SendRecord(at("2012-12-12 10:00:00"), "13800000000", "你好", "100"),
            smscn.SendRecord(at("2012-12-12 10:05:00"), "13800000001", "", "0"),
        ),
    )
    assert decode(RECORDS, "0||0||0") == smscn.SendRecords()
    assert decode(RECORDS, " 5 ||0||1") == smscn.SendRecords(5, 0, 1)


@pytest.mark.parametrize(
    "record",
    [
        "2012-12-12 10:00:00||1380000000x||a||0",
        "2012-12-12 10:00:00||１３８||a||0",
        "2012-12-12 10:00:00||13800000000||a||",
        "2012-12-12 10:00:00||13800000000||a||a b",
        "2012-12-12 10:00:00||13800000000||a",
        "2012-12-12 10:00:00||13800000000",
        "yesterday||13800000000||a||0",
    ],
)
def test_a_bad_send_record_is_kept_raw(record: str) -> None:
    good = "2012-12-12 10:00:00||13800000000||a||0"
    expected = smscn.SendRecord(at("2012-12-12 10:00:00"), "13800000000", "a", "0")
    got = decode(RECORDS, f"3||3||1|#|{good}|#|{record}|#|{good}")
    assert got == smscn.SendRecords(3, 3, 1, (expected, expected), (record.encode("gbk"),))


def test_bad_bytes_in_a_send_record_keep_it_raw() -> None:
    bad = b"2012-12-12 10:00:00||13800000000||\xff\xfe||0"
    assert decode(RECORDS, b"1||1||1|#|" + bad) == smscn.SendRecords(1, 1, 1, (), (bad,))


@pytest.mark.parametrize(
    "head", ["1||2", "1||2||3||4", "-1||0||0", "1||-2||0", "1||0||-3", "a||0||0"]
)
def test_send_log_counts_must_be_three_whole_numbers(head: str) -> None:
    body = f"{head}|#|2012-12-12 10:00:00||13800000000||a||0"
    with pytest.raises(
        DecodeError, match=r"^smscn send log without 'total\|\|count\|\|pages'$"
    ) as info:
        decode(RECORDS, body)
    assert info.value.raw == body.encode("gbk")


def test_send_records_after_a_status_line() -> None:
    record = "2012-12-12 10:00:00||13800000000||a||0"
    expected = smscn.SendRecords(
        1, 1, 1, (smscn.SendRecord(at("2012-12-12 10:00:00"), "13800000000", "a", "0"),)
    )
    assert decode(RECORDS, f"sms&stat=100\n1||1||1|#|{record}") == expected
    assert decode(RECORDS, f"sms&stat=100\n2||2||1|#|{record}|#|{record}") == smscn.SendRecords(
        2, 2, 1, expected.records * 2
    )
    assert decode(RECORDS, f"sms&stat=100|#|1||1||1|#|{record}") == smscn.SendRecords(
        malformed=(f"|#|1||1||1|#|{record}".encode("gbk"),)
    )
    # Records without their counts line: kept raw, whole.
    assert decode(RECORDS, f"sms&stat=100\n{record}|#|{record}") == smscn.SendRecords(
        malformed=(f"{record}|#|{record}".encode("gbk"),)
    )
    assert decode(RECORDS, "sms&stat=100\n") == smscn.SendRecords()
