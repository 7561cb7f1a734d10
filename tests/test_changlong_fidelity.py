"""changlong (112088.net): issue 11, read against the document by its words.

Each test's expectation comes from ``changlong.txt`` (quoted) or from an
independent computation (``urllib.parse.quote_plus``, ``str.encode``), never
from the codec's own encoder.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

import pytest
from _linearity import assert_linear
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import (
    Balance,
    BalanceUnit,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
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
    SmsWireError,
    Stamp,
    changlong,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs.strategies import changlong as strategies

STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = changlong.Codec()
utf8 = changlong.Codec(charset="utf-8")
DOC = changlong.Account("mysms", "123456")
TEMPLATE = changlong.Account("帐号", "密码")
SEND_PATH = "/sendsms_txt.asp"

# 1.1.2's example: "3|6408676;13682250950;20|6408649;13711147169;20|6408649;13719445093;20":
# batch 6408649 went to two numbers.
BATCH = "6408649"
BATCH_NUMBERS = ("13711147169", "13719445093")
REPORTS_EXAMPLE = "3|6408676;13682250950;20|6408649;13711147169;20|6408649;13719445093;20"


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(name: str) -> changlong.Account | None:
    return {a.username: a for a in (DOC, TEMPLATE)}.get(name)


def php_urlencode(value: str, charset: str = "gbk") -> str:
    """PHP ``urlencode``: ``quote_plus`` but ``~`` is escaped too."""
    return quote_plus(value, encoding=charset).replace("~", "%7E")


def raw_target(data: bytes) -> str:
    """A target as a transport builds it from request-line bytes (COMMON target convention)."""
    return data.decode("utf-8", "surrogateescape")


# ------------------------------------------------------------------ 11.1 one batch id


def test_one_batch_number_for_two_numbers_is_a_receipt_per_number() -> None:
    # 1.1.1: "第四项值：d；返回本次提交到网关的短信批次编号，以方便在收取状态报告时相对应批次".
    op = SendSms(BATCH_NUMBERS, "x")
    result = codec.decode_response(op, gbk(f"0|2|0|{BATCH}"), DOC)
    assert result == SendResult(
        (Receipt(BATCH_NUMBERS[0], BATCH), Receipt(BATCH_NUMBERS[1], BATCH)), 0, batch_id=BATCH
    )
    assert (result.accepted, result.failed) == (2, 0)


def test_reports_link_back_to_the_batch_receipts() -> None:
    op = SendSms(BATCH_NUMBERS, "x")
    sent = codec.decode_response(op, gbk(f"0|2|0|{BATCH}"), DOC)
    reports = codec.decode_response(FetchReports(), gbk(REPORTS_EXAMPLE), DOC)
    by_id = {(r.message_id, r.mobile) for r in reports}
    # "…相对应批次，然后再对应号码": the batch, then the number.
    assert {(r.message_id, r.mobile) for r in sent.receipts} <= by_id
    assert sent.batch_id == BATCH and {r.message_id for r in sent.receipts} == {BATCH}


def test_a_batch_with_failed_numbers_has_receipts_without_numbers() -> None:
    op = SendSms(("13711147169", "13719445093", "1371"), "x")
    result = codec.decode_response(op, gbk(f"0|2|1|{BATCH}"), DOC)
    assert result == SendResult((Receipt(None, BATCH), Receipt(None, BATCH)), 1, BATCH)


@pytest.mark.parametrize("body", [f"0|3|0|{BATCH}", "0|2|0|11,12,13", f"0|2|0|{BATCH}|"])
def test_batch_answers_that_do_not_fit_the_send_are_decode_errors(body: str) -> None:
    # Three accepted out of two sent cannot be; three ids for two accepted neither.
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(SendSms(BATCH_NUMBERS, "x"), gbk(body), DOC)
    assert caught.value.raw == body.encode("gbk")


def test_batch_body_with_a_trailing_comma_for_more_numbers_still_reads() -> None:
    op = SendSms((*BATCH_NUMBERS, "13800000000"), "x")
    result = codec.decode_response(op, gbk(f"0|2|1|{BATCH},"), DOC)
    assert result.batch_id == BATCH and result.accepted == 2


def test_one_id_per_number_is_still_read_and_has_no_batch_id() -> None:
    op = SendSms(BATCH_NUMBERS, "x")
    result = codec.decode_response(op, gbk("0|2|0|11,12"), DOC)
    assert result == SendResult((Receipt(BATCH_NUMBERS[0], "11"), Receipt(BATCH_NUMBERS[1], "12")))
    # "返回正确的结果的返回值为：0|1|0|SMSID": one number, one id, no batch to speak of.
    one = codec.decode_response(SendSms(("13798361236",), "x"), gbk("0|1|0|SMSID"), DOC)
    assert one == SendResult((Receipt("13798361236", "SMSID"),))


def test_server_role_renders_the_batch_form() -> None:
    op = SendSms(BATCH_NUMBERS, "x")
    batch = SendResult(tuple(Receipt(m, BATCH) for m in BATCH_NUMBERS), 0, BATCH)
    response = codec.encode_response(op, batch, DOC)
    assert response.body == f"0|2|0|{BATCH}".encode("ascii")
    assert codec.decode_response(op, response, DOC) == batch
    partial = SendResult((Receipt(None, BATCH), Receipt(None, BATCH)), 1, BATCH)
    three = SendSms((*BATCH_NUMBERS, "1371"), "x")
    assert codec.encode_response(three, partial, DOC).body == f"0|2|1|{BATCH}".encode("ascii")


@pytest.mark.parametrize(
    "result",
    [
        # One receipt reads back as that number's own id (batch_id None).
        SendResult((Receipt(BATCH_NUMBERS[0], BATCH),), 1, BATCH),
        # Every receipt's id is the batch number, or the reports could not name it.
        SendResult((Receipt(BATCH_NUMBERS[0], BATCH), Receipt(BATCH_NUMBERS[1], "1")), 0, BATCH),
        SendResult((Receipt(BATCH_NUMBERS[0], None), Receipt(BATCH_NUMBERS[1], None)), 0, BATCH),
        SendResult((Receipt(BATCH_NUMBERS[0], "6,4"), Receipt(BATCH_NUMBERS[1], "6,4")), 0, "6,4"),
    ],
)
def test_server_role_refuses_batch_results_that_would_not_read_back(result: SendResult) -> None:
    with pytest.raises(EncodeError):
        codec.encode_response(SendSms(BATCH_NUMBERS, "x"), result, DOC)


def test_planned_batches_merge_their_batch_numbers() -> None:
    parts = [
        codec.decode_response(SendSms(BATCH_NUMBERS, "x"), gbk(f"0|2|0|{BATCH}"), DOC),
        codec.decode_response(SendSms(("13800000001",), "x"), gbk("0|1|0|6408650"), DOC),
    ]
    merged = SendResult.merge(parts)
    assert merged.batch_id == BATCH and merged.accepted == 3


# ------------------------------------------------------------------ 11.7 broken reply records


@pytest.mark.parametrize(
    "broken",
    [
        "13800000003;坏",  # no id
        "x;1380000000x;坏",  # not a number
        "9,13800000003",  # the comma form without its ';text'
    ],
)
def test_a_broken_record_is_not_glued_into_the_previous_reply(broken: str) -> None:
    # 1.1.3: "每条短信格式为：短信编号+”;”+发送者的电话号码+”;”+接收到的具体内容".
    first, last = "1;13800000001;好", "2;13800000002;也好"
    body = f"2|{first}|{broken}|{last}"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    glued = [m for m in batch if broken in m.content]
    if ";" in broken:
        # Record or continuation? Both readings fit: keep the stretch raw.
        assert glued == []
        assert [m.content for m in batch] == ["也好"]
        assert batch.malformed == (f"{first}|{broken}".encode("gbk"),)
    else:
        # No ';': it cannot be a record, and the count says two: a text cut at its '|'.
        assert [m.content for m in batch] == [f"好|{broken}", "也好"]


def test_a_text_cut_at_a_bar_is_still_rejoined() -> None:
    body = "2|1;13800000001;a|b||c|2;13800000002;d"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["a|b||c", "d"]
    assert batch.malformed == ()


@pytest.mark.parametrize(
    ("body", "malformed"),
    [("0|garbage", (b"garbage",)), ("0||", ()), ("0|a|b", (b"a", b"b")), ("1||", ())],
)
def test_no_record_shape_at_all_is_kept_raw(body: str, malformed: tuple[bytes, ...]) -> None:
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert (batch.items, batch.malformed) == ((), malformed)


def test_fewer_record_shapes_than_announced_are_read_one_by_one() -> None:
    body = "3|1;13800000001;a|b|2;13800000002;d"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["a", "d"]
    assert batch.malformed == (b"b",)


@given(
    texts=st.lists(st.text("ab ;,|好", max_size=6), min_size=1, max_size=5),
    junk=st.text("ab;,13好", max_size=8),
    where=st.integers(0, 5),
)
@example(texts=["好"], junk="13800000003;坏", where=1)
def test_replies_lose_no_byte(texts: list[str], junk: str, where: int) -> None:
    records = [f"{i};1380000000{i};{t}" for i, t in enumerate(texts)]
    records.insert(min(where, len(records)), junk)
    body = "|".join([str(len(texts)), *records])
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    kept = "".join(f"{m.message_id}{m.mobile}{m.content}" for m in batch)
    kept += "".join(raw.decode("gbk") for raw in batch.malformed)
    # Every character but the separators is in an item or kept raw.
    assert not _chars("|".join(records)) - _chars(kept)


def _chars(text: str) -> Counter[str]:
    return Counter(c for c in text if c not in "|;, ")


# ------------------------------------------------------------------ 11.9 raw Chinese in targets


def doc_target(content: bytes) -> bytes:
    # 1.1.1 "具体示例：…sendsms_txt.asp?us_name=mysms&us_pwd=123456&send_phone=13798361236
    # &send_content=这条是测试短信".
    prefix = b"/sendsms_txt.asp?us_name=mysms&us_pwd=123456&send_phone=13798361236&send_content="
    return prefix + content


def test_raw_gbk_bytes_in_the_request_line_are_read_in_gbk() -> None:
    target = raw_target(doc_target("这条是测试短信".encode("gbk")))
    assert "\udcd5" in target  # the request-line bytes, escaped
    op, account = codec.decode_request(HttpRequest("GET", target), lookup)
    assert op == SendSms(("13798361236",), "这条是测试短信")
    assert account == DOC


def test_the_document_url_as_text_is_read_too() -> None:
    target = doc_target(b"").decode("ascii") + "这条是测试短信"
    op, _ = codec.decode_request(HttpRequest("GET", target), lookup)
    assert op == SendSms(("13798361236",), "这条是测试短信")


def test_raw_gbk_credentials_find_the_account() -> None:
    query = b"us_name=" + "帐号".encode("gbk") + b"&us_pwd=" + "密码".encode("gbk")
    target = raw_target(b"/Get_Account_Balance.asp?" + query)
    assert codec.decode_request(HttpRequest("GET", target), lookup) == (QueryBalance(), TEMPLATE)


def test_raw_gbk_that_happens_to_be_utf8_is_still_gbk() -> None:
    # GBK 隆 is C2 A1, which a request line's UTF-8 reading turns into '¡' (not in GBK).
    assert "隆".encode("gbk") == b"\xc2\xa1"
    target = raw_target(doc_target("隆".encode("gbk") + "测试".encode("gbk")))
    op, _ = codec.decode_request(HttpRequest("GET", target), lookup)
    assert isinstance(op, SendSms) and op.content == "隆测试"
    alone = raw_target(doc_target(b"\xc2\xa1"))
    assert alone.endswith("¡")
    op, _ = codec.decode_request(HttpRequest("GET", alone), lookup)
    assert isinstance(op, SendSms) and op.content == "隆"


def test_utf8_codec_reads_raw_utf8_and_refuses_raw_gbk() -> None:
    op, _ = utf8.decode_request(
        HttpRequest("GET", raw_target(doc_target("这条是测试短信".encode()))), lookup
    )
    assert isinstance(op, SendSms) and op.content == "这条是测试短信"
    with pytest.raises(DecodeError):
        utf8.decode_request(
            HttpRequest("GET", raw_target(doc_target("这条是测试短信".encode("gbk")))), lookup
        )


# ------------------------------------------------------------------ 11.11 PHP urlencode


@pytest.mark.parametrize("charset", ["gbk", "utf-8"])
def test_every_value_is_php_urlencoded_but_the_number_commas(charset: str) -> None:
    account = changlong.Account("my,sms~", "p,w d~1")
    content = "你好,世界 a,b~c&d=e+f%"
    op = SendSms(("13800000001", "13800000002"), content)
    request = changlong.Codec(charset=charset).encode_request(op, account, STAMP)
    expected = (
        f"{SEND_PATH}?us_name={php_urlencode('my,sms~', charset)}"
        f"&us_pwd={php_urlencode('p,w d~1', charset)}"
        # 1.1.1 "每个号码用英文,号（逗号）分开": the list's commas are literal.
        "&send_phone=13800000001,13800000002"
        f"&send_content={php_urlencode(content, charset)}"
    )
    assert request.target == expected
    assert "%2C" in request.target.partition("send_content=")[2]
    assert changlong.Codec(charset=charset).decode_request(request, lambda _k: account) == (
        op,
        account,
    )


# ------------------------------------------------------------------ 11.15 balances


@pytest.mark.parametrize("body", ["-0", "1.5", "1e3", "+5", "１０", "5|0"])
def test_balance_is_a_whole_message_count(body: str) -> None:
    # 1.1.4: "该接口用查询用户当前可用条数，返回等于或是大于 0 的字符串".
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(QueryBalance(), gbk(body), DOC)
    assert caught.value.raw == body.encode("gbk")


def test_balance_reads_digits() -> None:
    assert codec.decode_response(QueryBalance(), gbk("0012\r\n"), DOC) == Balance(Decimal(12))


@pytest.mark.parametrize(
    "balance",
    [
        Balance(Decimal("1.5")),
        Balance(Decimal(-1)),
        Balance(Decimal("NaN")),
        Balance(Decimal("Infinity")),
        Balance(Decimal(5), gift=Decimal(0)),
        Balance(Decimal(5), unit=BalanceUnit.MONEY),
        Balance(5),  # type: ignore[arg-type]
    ],
)
def test_server_role_refuses_what_is_not_a_message_count(balance: Balance) -> None:
    with pytest.raises(EncodeError):
        codec.encode_response(QueryBalance(), balance, DOC)


# ------------------------------------------------------------------ 11.16 report codes


@pytest.mark.parametrize("code", ["DELIVRD", "30", "010", "-2"])
def test_an_undocumented_report_code_is_unknown_and_kept(code: str) -> None:
    # 1.1.2 lists "-1-- 未收到状态报告；10—发送成功；20—发送失败" only.
    body = f"2|9;13800000001;{code}|8;13800000002;10"
    batch = codec.decode_response(FetchReports(), gbk(body), DOC)
    assert [(r.message_id, r.status, r.code) for r in batch] == [
        ("9", DeliveryStatus.UNKNOWN, code),
        ("8", DeliveryStatus.DELIVERED, "10"),
    ]
    assert batch.malformed == ()
    assert codec.encode_response(FetchReports(), batch, DOC).body == body.encode("gbk")


@pytest.mark.parametrize(
    "report",
    [
        DeliveryReport("13800000001", DeliveryStatus.DELIVERED, "DELIVRD", "9"),
        DeliveryReport("13800000001", DeliveryStatus.UNKNOWN, "10", "9"),
        DeliveryReport("13800000001", DeliveryStatus.UNKNOWN, "2 0", "9"),
        DeliveryReport("13800000001", DeliveryStatus.UNKNOWN, "", "9"),
        DeliveryReport("13800000001", DeliveryStatus.FAILED, "20", "9", extension="01"),
    ],
)
def test_server_role_refuses_report_codes_that_would_read_back_otherwise(
    report: DeliveryReport,
) -> None:
    with pytest.raises(EncodeError):
        codec.encode_response(FetchReports(), Batch((report,)), DOC)


# ------------------------------------------------------------------ 11.18 lone surrogates


@pytest.mark.parametrize(
    "target",
    [
        "/sendsms_txt.asp?us_name=mysms&us_pwd=\ud800",
        "/sendsms_txt.asp?us_name=mysms&us_pwd=123456&send_phone=1&send_content=\udfff\udcd5",
        "/Get_Account_Balance.asp?us_name=\ud83d&us_pwd=123456",
        "/get_report_txt.asp\ud800?us_name=mysms&us_pwd=123456",
    ],
)
@pytest.mark.parametrize("server", [codec, utf8])
def test_a_lone_surrogate_in_a_target_is_a_decode_error(
    server: changlong.Codec, target: str
) -> None:
    # Not bytes any request line carried: refused, never a UnicodeEncodeError.
    with pytest.raises(DecodeError):
        server.decode_request(HttpRequest("GET", target), lookup)


# ------------------------------------------------------------------ 11.19 + fuzz: 1 MB bodies

SEPARATORS = ("|", ";", ",")
ONE_MB = 1 << 20
TEN_KB = 10 << 10

#: Per operation, the heads that lead a body of separators into each decoder's deepest path
#: (the reply rejoin, a record's fields, the send ids, the balance digits).
HEADS: dict[str, tuple[Operation[Any], tuple[str, ...]]] = {
    "send": (SendSms(BATCH_NUMBERS, "x"), ("", "0|2|0|", "0|")),
    "reports": (FetchReports(), ("", "1|", "1|1;13800000001;")),
    "inbound": (FetchInbound(), ("", "1|", "1|1;13800000001;", "2|1;13800000001;a")),
    "balance": (QueryBalance(), ("", "1")),
}
CASES = [(scope, head) for scope, (_, heads) in HEADS.items() for head in heads]


def _body(head: str, separator: str, size: int) -> bytes:
    return (head + separator * (size - len(head))).encode("ascii")


def _decode_quietly(op: Operation[Any], body: bytes) -> None:
    with contextlib.suppress(SmsWireError):
        codec.decode_response(op, HttpResponse(200, (), body), DOC)


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize(("scope", "head"), CASES)
def test_every_decoder_stays_linear(scope: str, head: str, separator: str) -> None:
    """Time per byte on a 1 MB body of separators within 3x of a 10 KB one, in one run."""
    op = HEADS[scope][0]

    def build(size: int) -> Callable[[], object]:
        body = _body(head, separator, size)
        return lambda: _decode_quietly(op, body)

    assert_linear(build, f"{scope} {head!r}+{separator!r}")


SERVER_HEAD = "/sendsms_txt.asp?us_name=mysms&us_pwd=123456&send_content=x&send_phone=1"


@pytest.mark.parametrize("separator", SEPARATORS)
def test_the_server_role_stays_linear(separator: str) -> None:
    def build(size: int) -> Callable[[], object]:
        request = HttpRequest("GET", _body(SERVER_HEAD, separator, size).decode("ascii"))
        return lambda: codec.decode_request(request, lookup)

    assert_linear(build, f"server role {separator!r}")


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize(("scope", "head"), CASES)
def test_a_megabyte_of_separators_gives_a_result_or_a_decode_error(
    scope: str, head: str, separator: str
) -> None:
    op = HEADS[scope][0]
    body = _body(head, separator, ONE_MB)
    try:
        result = codec.decode_response(op, HttpResponse(200, (), body), DOC)
    except DecodeError as exc:
        assert exc.raw == body
        return
    except GatewayError:
        return
    assert isinstance(result, (Batch, SendResult, Balance))


def test_a_megabyte_reply_text_of_bars_is_rejoined_whole() -> None:
    body = _body("1|1;13800000001;", "|", ONE_MB)
    (msg,) = codec.decode_response(FetchInbound(), HttpResponse(200, (), body), DOC)
    assert msg.content == "|" * (ONE_MB - len("1|1;13800000001;"))


_pieces = st.sampled_from(["|", ";", ",", "0", "1", "-", " ", "\r\n", "好", "13800000001"])
_wire_text = st.lists(_pieces, max_size=60).map("".join)


@given(
    scope=st.sampled_from(sorted(HEADS)),
    text=_wire_text,
    charset=st.sampled_from(["gbk", "utf-8"]),
    tail=st.binary(max_size=4),
)
@example(
    scope="inbound", text="2|1;13800000001;a|13800000003;b|2;13800000002;c", charset="gbk", tail=b""
)
@example(scope="inbound", text="0|1", charset="gbk", tail=b"")
def test_separator_bodies_raise_only_smswire_errors(
    scope: str, text: str, charset: str, tail: bytes
) -> None:
    op = HEADS[scope][0]
    response = HttpResponse(200, (), text.encode(charset) + tail)
    with contextlib.suppress(SmsWireError):
        changlong.Codec(charset=charset).decode_response(op, response, DOC)


_target_text = st.lists(
    st.sampled_from(["&", "=", "%", "%D5", "+", ",", "|", ";", "\ud800", "\udcd5", "\udfff", "好"])
    | st.sampled_from(["us_name=mysms", "us_pwd=123456", "send_phone=1", "send_content=x"]),
    max_size=20,
).map("".join)


@given(
    path=st.sampled_from(["/sendsms_txt.asp", "/get_report_txt.asp", "/Get_Account_Balance.asp"]),
    query=_target_text,
    server=st.sampled_from([codec, utf8]),
)
@example(path="/sendsms_txt.asp", query="us_name=mysms&us_pwd=\ud800", server=codec)
def test_server_role_targets_raise_only_smswire_errors(
    path: str, query: str, server: changlong.Codec
) -> None:
    with contextlib.suppress(SmsWireError):
        server.decode_request(HttpRequest("GET", f"{path}?{query}"), lookup)


def test_a_megabyte_target_of_separators_raises_only_smswire_errors() -> None:
    for separator in (*SEPARATORS, "&", "=", "%", "\udcd5"):
        with contextlib.suppress(SmsWireError):
            codec.decode_request(HttpRequest("GET", SERVER_HEAD + separator * ONE_MB), lookup)


# ------------------------------------------------------------------ strategies keep step


@given(op=strategies.send_ops("gbk"), data=st.data())
def test_strategy_send_results_round_trip_both_forms(op: SendSms, data: st.DataObject) -> None:
    result = data.draw(strategies.results(op))
    if isinstance(result, GatewayError):
        return
    assert codec.decode_response(op, codec.encode_response(op, result, DOC), DOC) == result


def test_strategy_answers_include_the_batch_form() -> None:
    op = SendSms(BATCH_NUMBERS, "x")
    seen: set[bool] = set()

    @given(strategies.answers(op))
    def collect(response: HttpResponse) -> None:
        with contextlib.suppress(GatewayError):
            seen.add(codec.decode_response(op, response, DOC).batch_id is not None)

    collect()
    assert seen == {True, False}


@pytest.mark.parametrize("text", ["a|b", "|", "x||y", "a;b|c,d", "好|"])
def test_server_role_writes_bars_that_read_back(text: str) -> None:
    batch = Batch(
        (
            InboundMessage("13800000001", text, message_id="1"),
            InboundMessage("13800000002", "也好", message_id="2"),
        )
    )
    response = codec.encode_response(FetchInbound(), batch, DOC)
    assert response.body == f"2|1;13800000001;{text}|2;13800000002;也好".encode("gbk")
    assert codec.decode_response(FetchInbound(), response, DOC) == batch
