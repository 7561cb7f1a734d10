"""esms100's client role against the document's words: answers, tables and refusals.

Every expected value is a literal read off ``esms100.txt`` (quoted where it is
used), or computed here with ``hashlib``/``urllib.parse``/``str.index``, never
with the codec's tables, encoder or server role. Written to kill mutants that
survived ``tools/mutate.py codecs/esms100/`` (issue 17);
``test_strength_esms100_server.py`` holds the server role and the shared wire.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
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
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
    esms100,
)

CHINA = timezone(timedelta(hours=8))
GBK = esms100.Codec()
CPPWD = "2D732A5F09BCC1E78039C1099E60F701"
DOC = esms100.Account("10000", cppwd=CPPWD)
CHANGE = esms100.ChangePassword("mynewpassword")
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
SEND = SendSms(("13866668888", "13988889999"), "test")
ALL_OPS: list[Operation[object]] = [SEND, FetchInbound(), QueryBalance(), FetchReports(), CHANGE]


def gbk(body: str | bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(status, (), body if isinstance(body, bytes) else body.encode("gbk"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def replies(body: str | bytes) -> Batch[InboundMessage]:
    return GBK.decode_response(FetchInbound(), gbk(body), DOC)


def reports(body: str | bytes) -> Batch[DeliveryReport]:
    return GBK.decode_response(FetchReports(), gbk(body), DOC)


# ------------------------------------------------------------------ the document's tables

#: §7 "状态报告值为整数（0-未收到状态报告，1-发送成功，2-发送失败）", written out by hand.
DOCUMENT_REPORT_STATES = {
    "0": DeliveryStatus.PENDING,
    "1": DeliveryStatus.DELIVERED,
    "2": DeliveryStatus.FAILED,
}

#: 附表 提交返回状态码对照表, every row as the document prints it.
DOCUMENT_CODES = {
    "-1": "失败、用户或密码错误",
    "-2": "缺少源号码",
    "-3": "缺少密码",
    "-4": "缺少短信内容",
    "-5": "缺少目标号码",
    "-6": "企业账号登陆失败",
    "-7": "内容过长",
    "-8": "超过单次允许提交号码数量上限",
    "-9": "账户无效或暂停使用",
    "-10": "余额不足",
    "-11": "含有敏感词句",
    "-12": "本小时流量到",
    "-13": "本日流量到",
    "-14": "扩展号错误",
    "-15": "操作频率过快",
    "-16": "目标号码不正确",
    "-17": "主机无响应",
    "-18": "不支持 API",
    "-19": "不在发送时间段内",
    "-20": "发送内容不在模版范围",
    "-110": "系统错误，请联系业务员",
}


@pytest.mark.parametrize(("code", "status"), sorted(DOCUMENT_REPORT_STATES.items()))
@pytest.mark.parametrize("line_end", ["", "\n", "\r\n"])
def test_report_values_mean_what_section_7_says(
    code: str, status: DeliveryStatus, line_end: str
) -> None:
    body = f"1\n2010-07-12 11:21:24||13855889933||{code}{line_end}"
    assert reports(body) == Batch(
        (DeliveryReport("13855889933", status, code, sent_at=at("2010-07-12T11:21:24")),)
    )


def test_report_value_zero_is_pending_not_delivered() -> None:
    # The example: "0" read as DELIVERED must fail here.
    (report,) = reports("1\n2010-07-12 11:21:24||13855889933||0")
    assert report.status is DeliveryStatus.PENDING


def _refusal(op: Operation[object], body: str) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(op, gbk(body), DOC)
    return caught.value


@pytest.mark.parametrize(("code", "text"), sorted(DOCUMENT_CODES.items()))
def test_every_documented_code_refuses_a_send_with_the_documents_text(code: str, text: str) -> None:
    # §4 "返回值“0”表示提交成功，否则返回错误代码", "返回错误代码参考后面附表状态码表".
    error = _refusal(SEND, code)
    assert (error.code, error.message, error.raw) == (code, text, code.encode())


@pytest.mark.parametrize("op", ALL_OPS[1:4], ids=lambda op: type(op).__name__)
@pytest.mark.parametrize("line_end", ["", "\r\n"])
def test_a_negative_first_line_is_the_tables_refusal_with_the_raw_answer(
    op: Operation[object], line_end: str
) -> None:
    # §6 "小于 0 为错误代码，参考附表状态码"; §7 "第一行为状态报告条数，小于 0 为出错代码".
    error = _refusal(op, "-10" + line_end)
    assert (error.code, error.message, error.kind) == ("-10", "余额不足", ErrorKind.BALANCE)
    assert error.raw == ("-10" + line_end).encode()


# ------------------------------------------------------------------ HTTP errors


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: type(op).__name__)
@pytest.mark.parametrize("body", [b"", b"Bad Gateway", b"0", b"3\n"])
def test_an_http_error_is_a_decode_error_whatever_the_body(
    op: Operation[object], body: bytes
) -> None:
    # An empty 502 is no "无回复信息返回空": only a 200 answer is the gateway's.
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(op, gbk(body, 502), DOC)
    assert str(caught.value) == "esms100 answered HTTP 502"
    assert caught.value.raw == body


# ------------------------------------------------------------------ §4 send


def test_a_send_accepted_with_0_has_a_receipt_per_number_without_ids() -> None:
    # §4 "返回值“0”表示提交成功": nothing but the status, so no message ids.
    for body in ["0", "0\r\n"]:
        assert GBK.decode_response(SEND, gbk(body), DOC) == SendResult(
            (Receipt("13866668888"), Receipt("13988889999"))
        )


@pytest.mark.parametrize("body", ["OK", "", "成功"])
def test_a_send_answer_that_is_no_number_is_a_decode_error(body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(SEND, gbk(body), DOC)
    assert str(caught.value) == "esms100 answer is not a status code"
    assert caught.value.raw == body.encode("gbk")


def _refused(op: Operation[object]) -> str:
    with pytest.raises(EncodeError) as caught:
        GBK.encode_request(op, DOC, STAMP)
    return str(caught.value)


def test_send_limits_name_the_vendor_and_the_documents_numbers() -> None:
    # §4 "phone 不多于1000 号码", "msgtext 不多于 134字".
    assert _refused(SendSms(("13866668888",), "字" * 135)) == (
        "content: esms100 takes at most 134 characters, got 135"
    )
    assert _refused(SendSms(tuple(f"138{i:08d}" for i in range(1001)), "x")) == (
        "esms100 takes at most 1000 numbers per request, got 1001; use codec.plan(op) to split"
    )
    # Exactly at the limits: accepted.
    GBK.encode_request(SendSms(("13866668888",), "字" * 134), DOC, STAMP)
    GBK.encode_request(SendSms(tuple(f"138{i:08d}" for i in range(1000)), "x"), DOC, STAMP)


@pytest.mark.parametrize(
    "extra",
    [
        {"send_at": datetime(2030, 1, 1, tzinfo=CHINA)},
        {"extension": "01"},
        {"client_ids": ("c1",)},
    ],
    ids=["send_at", "extension", "client_ids"],
)
def test_a_send_carries_no_schedule_extension_or_client_ids(extra: dict[str, object]) -> None:
    # §4 lists cpid, cppwd, phone, msgtext and encode only.
    op = SendSms(("13866668888",), "x", **extra)  # type: ignore[arg-type]
    assert _refused(op) == "esms100 sends have no schedule, extension or client ids"


def test_fetching_replies_since_a_time_is_refused() -> None:
    # §5 takes cpid and cppwd only.
    assert _refused(FetchInbound(since=at("2024-05-01T09:00"))) == (
        "esms100 cannot fetch replies since a time"
    )


# ------------------------------------------------------------------ §5 replies
# §5: "返回值第一行为回复信息数量" … "各项之间用##分隔.回复每条信息以||分隔".


def _reply(mobile: str, content: str, when: str) -> InboundMessage:
    return InboundMessage(mobile, content, at(when))


def test_the_last_replys_text_loses_the_answers_line_break_only() -> None:
    body = "2\r\n2010-03-16 12:00##13866889900##回复1||2010-03-16 13:00##13866889911##回复2\r\n"
    assert replies(body) == Batch(
        (
            _reply("13866889900", "回复1", "2010-03-16T12:00"),
            _reply("13866889911", "回复2", "2010-03-16T13:00"),
        )
    )


@pytest.mark.parametrize("content", ["BOX", "X", "末尾X", "a||bX"])
def test_a_text_ending_in_any_letter_keeps_it(content: str) -> None:
    assert replies(f"1\n2010-03-16 12:00##13866889900##{content}\r\n") == Batch(
        (_reply("13866889900", content, "2010-03-16T12:00"),)
    )


def test_a_count_with_nothing_after_it_is_a_decode_error_naming_the_count() -> None:
    for body in ["2\n", "2\r\n\r\n"]:
        with pytest.raises(DecodeError) as caught:
            replies(body)
        assert str(caught.value) == "esms100 announced 2 replies and sent none"
        assert caught.value.raw == body.encode()


@pytest.mark.parametrize("body", ["abc", "x\n2010-03-16 12:00##13866889900##a"])
def test_a_reply_answer_without_a_count_is_a_decode_error(body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        replies(body)
    assert str(caught.value) == "esms100 answer does not start with a number"
    assert caught.value.raw == body.encode()


#: Texts holding the record's own separators, each read back whole.
SEPARATOR_TEXTS = ["1##2", "a##b", "#", "a#b", "XX##XX5XX##XXz", "12:00##1", "|#|", "123"]


@pytest.mark.parametrize("content", SEPARATOR_TEXTS)
@pytest.mark.parametrize("phone", ["13866889900", " 13866889900 "])
def test_reply_texts_with_hashes_keep_every_character(content: str, phone: str) -> None:
    # The text is the last field: "时间##手机号码##内容", so a '#' in it is text.
    assert replies(f"1\n2010-03-16 12:00##{phone}##{content}") == Batch(
        (_reply("13866889900", content, "2010-03-16T12:00"),)
    )


# (A text starting with '#' would read as the usual "##" record: not here.)
@pytest.mark.parametrize("content", ["a#b", "回复内容 2", "1#2", "a##b"])
def test_the_documents_single_hash_record_keeps_the_text_after_the_first_hash(
    content: str,
) -> None:
    # §5 example: "2010-03-16 13:00##13866889911#回复内容 2" (quirk mo-single-hash).
    assert replies(f"1\n2010-03-16 13:00##13866889911#{content}") == Batch(
        (_reply("13866889911", content, "2010-03-16T13:00"),)
    )


@pytest.mark.parametrize(
    "record",
    [
        "2010-03-16 12:00##abc##x",  # no phone number
        "2010-03-16 12:00##abc#x",  # no phone number, single '#'
        "2010-03-16 12:00##13866889900",  # no text separator
        "2010-03-16 12:00##1386688990a##x",
        "2010-03-16 12:00##１３８６６８８９９００##x",  # digits, but not ASCII ones
        "2010-03-16 12:00## １３８ ##x",
        "2010-03-16 12:00##１３８#x",
    ],
)
def test_a_record_without_a_phone_number_stays_raw(record: str) -> None:
    assert replies(f"1\n{record}") == Batch((), (record.encode("gbk"),))
    # Between good records, it alone is kept raw.
    good = "2010-03-16 14:00##13866889922##也好"
    assert replies(f"2\n{record}||{good}") == Batch(
        (_reply("13866889922", "也好", "2010-03-16T14:00"),), (record.encode("gbk"),)
    )


def test_a_blank_record_where_the_count_wants_one_keeps_the_body_whole() -> None:
    # Two announced, the second is blanks: no reading agrees with the count.
    rest = "2010-03-16 12:00##13866889900##a|| "
    assert replies(f"2\n{rest}") == Batch((), (rest.encode(),))


def test_bytes_outside_gbk_keep_their_record_raw() -> None:
    # §2 "请求响应返回内容是 GBK 编码": 0xFF is no GBK byte.
    record = b"2010-03-16 12:00##13866889900##" + b"\xff"
    assert replies(b"1\n" + record) == Batch((), (record,))
    good = "||2010-03-16 14:00##13866889922##也好".encode("gbk")
    assert replies(b"2\n" + record + good) == Batch(
        (_reply("13866889922", "也好", "2010-03-16T14:00"),), (record,)
    )


@given(
    texts=st.lists(
        st.lists(st.sampled_from(["a", "回", "#", "##", "1", " ", "|", "X"]), max_size=6).map(
            "".join
        ),
        min_size=1,
        max_size=4,
    ).filter(lambda ts: all(t.strip() and not t.endswith("|") and "||" not in t for t in ts)),
    newline=st.sampled_from(["\n", "\r\n"]),
    tail=st.sampled_from(["", "\n", "\r\n"]),
)
@example(texts=["1##2", "a"], newline="\r\n", tail="\r\n")
@example(texts=["a#b", "X"], newline="\n", tail="")
@example(texts=["##", "回"], newline="\n", tail="\n")
def test_replies_read_back_as_written_by_hand(texts: list[str], newline: str, tail: str) -> None:
    # The expected value is the list of texts itself; the body is joined here by hand.
    records = [f"2010-03-16 12:0{i}##1386688990{i}##{t}" for i, t in enumerate(texts)]
    body = f"{len(texts)}{newline}" + "||".join(records) + tail
    assert [(m.mobile, m.content) for m in replies(body)] == [
        (f"1386688990{i}", t) for i, t in enumerate(texts)
    ]


# ------------------------------------------------------------------ §7 reports
# §7 "发送时间||目标号码||状态报告值", one per line from the second.


def _report(mobile: str, code: str, status: DeliveryStatus) -> DeliveryReport:
    return DeliveryReport(mobile, status, code, sent_at=at("2010-07-12T11:21:24"))


def test_blanks_around_the_number_of_a_known_status_are_not_the_number() -> None:
    body = "2\n2010-07-12 11:21:24|| 13855889944 ||2\n2010-07-12 11:21:24||\t13855889955||1"
    assert reports(body) == Batch(
        (
            _report("13855889944", "2", DeliveryStatus.FAILED),
            _report("13855889955", "1", DeliveryStatus.DELIVERED),
        )
    )


def test_a_report_without_a_time_stays_raw() -> None:
    assert reports("1\n||13855889933||1") == Batch((), (b"||13855889933||1",))


@pytest.mark.parametrize("code", ["X", "DELIVRX", "1X"])
def test_an_undocumented_report_code_ending_in_a_letter_is_kept_whole(code: str) -> None:
    # Unlisted codes are UNKNOWN, the code kept as written (quirk in specs/esms100.toml).
    assert reports(f"1\n2010-07-12 11:21:24||13855889933||{code}") == Batch(
        (_report("13855889933", code, DeliveryStatus.UNKNOWN),)
    )


def test_a_broken_last_report_keeps_its_trailing_blanks() -> None:
    line = "2010-07-12 11:21:24||13855889933||  \t"
    assert reports(f"1\n{line}\r\n") == Batch((), (line.encode(),))


def test_a_broken_last_report_loses_the_answers_line_break_only() -> None:
    body = "2\r\n2010-07-12 11:21:24||13855889933||1\r\ngarbage\r\n"
    assert reports(body) == Batch(
        (_report("13855889933", "1", DeliveryStatus.DELIVERED),), (b"garbage",)
    )


def test_a_report_code_outside_gbk_stays_raw() -> None:
    line = b"2010-07-12 11:21:24||13855889933||\xff"
    assert reports(b"1\n" + line) == Batch((), (line,))


def test_a_report_answer_without_a_count_is_a_decode_error() -> None:
    with pytest.raises(DecodeError) as caught:
        reports("count\n2010-07-12 11:21:24||13855889933||1")
    assert str(caught.value) == "esms100 answer does not start with a number"


# ------------------------------------------------------------------ §6 balance


def test_balance_errors_keep_the_answer_and_name_the_vendor() -> None:
    # §6 "“0”或正整数为剩余条数，小于 0 为错误代码".
    assert GBK.decode_response(QueryBalance(), gbk("1000"), DOC) == Balance(Decimal(1000))
    error = _refusal(QueryBalance(), "-9")
    assert (error.code, error.message, error.raw) == ("-9", "账户无效或暂停使用", b"-9")
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(QueryBalance(), gbk("12.5"), DOC)
    assert str(caught.value) == "esms100 balance '12.5' is not a whole message count"
    assert caught.value.raw == b"12.5"
