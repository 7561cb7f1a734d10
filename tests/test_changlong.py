"""changlong (112088.net): the document's examples, both directions, quirks and refusals."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

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
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
    changlong,
    get_codec,
    load_spec,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._spec import parse_spec

SPEC = changlong.SPEC
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = changlong.Codec()
utf8 = changlong.Codec(charset="utf-8")
DOC = changlong.Account("mysms", "123456")
TEMPLATE = changlong.Account("帐号", "密码")
ONE = SendSms(("13798361236",), "这条是测试短信")


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(name: str) -> changlong.Account | None:
    return {a.username: a for a in (DOC, TEMPLATE)}.get(name)


def params(target: str, charset: str = "gbk") -> dict[str, str]:
    return dict(parse_qsl(urlsplit(target).query, encoding=charset, keep_blank_values=True))


# ------------------------------------------------------------------ document requests

# The templates that are no exchange of the conformance suite (the document's
# send, reports and inbound examples are replayed there in both roles).
TEMPLATE_OPS = {
    "send-request-template": SendSms(("发送号码",), "短信内容"),
    "balance-request-template": QueryBalance(),
}


def test_document_send_example_is_written_percent_encoded_in_gbk() -> None:
    # The document prints the text raw (quirk send-content-unencoded); the example's
    # canonical target is PHP-urlencoded GBK: 这条 is D5E2 CCF5 in the GB code chart.
    request = SPEC.example("send").request
    assert request is not None and request.canonical_target is not None
    assert request.target.endswith("&send_content=这条是测试短信")
    assert request.canonical_target.endswith(
        "&send_content=%D5%E2%CC%F5%CA%C7%B2%E2%CA%D4%B6%CC%D0%C5"
    )


@pytest.mark.parametrize("name", sorted(TEMPLATE_OPS))
def test_document_targets_decode_as_printed_raw_chinese_included(name: str) -> None:
    vector = SPEC.vector(name)
    op, account = codec.decode_request(HttpRequest("GET", vector["target"]), lookup)
    assert op == TEMPLATE_OPS[name]
    assert (account.username, account.password) == (vector["username"], vector["password"])


@pytest.mark.parametrize("name", sorted(TEMPLATE_OPS))
def test_document_templates_encode_to_their_parameters(name: str) -> None:
    vector = SPEC.vector(name)
    op = TEMPLATE_OPS[name]
    if isinstance(op, SendSms):
        # A placeholder is not a number: the client role refuses it.
        with pytest.raises(EncodeError, match="digits"):
            codec.encode_request(op, TEMPLATE, STAMP)
        return
    request = codec.encode_request(op, TEMPLATE, STAMP)
    assert request.path == urlsplit(vector["target"]).path
    assert params(request.target) == dict(parse_qsl(urlsplit(vector["target"]).query))
    assert request.target == (
        vector["target"]
        .replace("帐号", quote("帐号", encoding="gbk"))
        .replace("密码", quote("密码", encoding="gbk"))
    )


def test_document_send_time_is_14_digits() -> None:
    vector = SPEC.vector("send-schedule-example")
    when = datetime.fromisoformat(vector["send_at"])
    op = SendSms(("13798361236",), "x", send_at=when)
    request = codec.encode_request(op, DOC, STAMP)
    assert params(request.target)["send_time"] == vector["send_time"]
    assert codec.decode_request(request, lookup)[0] == op
    # An aware time in another zone is converted to China time on the wire.
    utc = SendSms(("13798361236",), "x", send_at=datetime(2010, 9, 3, 3, 20, 30, tzinfo=UTC))
    assert params(codec.encode_request(utc, DOC, STAMP).target)["send_time"] == "20100903112030"


# ------------------------------------------------------------------ document answers


def test_forbidden_word_reaches_the_error_detail() -> None:
    example = SPEC.example("send-forbidden-word")
    assert example.answer is not None and example.error is not None
    body = example.answer.body
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(ONE, gbk(body), DOC)
    error = caught.value
    assert (error.code, error.detail) == (example.error.code, example.error.detail)
    assert error.kind is ErrorKind.CONTENT_REJECTED
    assert "禁发词" in str(error)
    assert error.raw == body.encode("gbk")
    assert codec.encode_error(HttpRequest("GET", "/sendsms_txt.asp"), error).body == (
        body.encode("gbk")
    )


def test_report_states_minus_1_10_20() -> None:
    body = "3|1;13800000001;-1|2;13800000002;10|3;13800000003;20"
    batch = codec.decode_response(FetchReports(), gbk(body), DOC)
    assert [r.status for r in batch] == [
        DeliveryStatus.PENDING,
        DeliveryStatus.DELIVERED,
        DeliveryStatus.FAILED,
    ]
    # Quirk report-code-integers: "状态报告值为整数", three listed; any other is UNKNOWN, kept.
    odd = codec.decode_response(FetchReports(), gbk("2|9;13800000001;30|8;1;DELIVRD"), DOC)
    assert [(r.status, r.code) for r in odd] == [
        (DeliveryStatus.UNKNOWN, "30"),
        (DeliveryStatus.UNKNOWN, "DELIVRD"),
    ]
    assert odd.malformed == ()


def test_document_replies_decode_comma_and_leading_space() -> None:
    # Replayed by the conformance suite (read as printed, written as the prose says).
    example = SPEC.example("inbound")
    assert example.answer is not None and example.canonical is not None
    assert example.answer.body.startswith(" 2|133,")
    assert example.canonical.startswith("2|133;")
    assert {"inbound-comma-separator", "inbound-leading-space"} <= set(example.quirks)


def test_reply_text_may_hold_semicolons_and_commas() -> None:
    for body in ["1|7;13800000000;a;b,c", "1|7,13800000000;a;b,c"]:
        (msg,) = codec.decode_response(FetchInbound(), gbk(body), DOC)
        assert (msg.message_id, msg.mobile, msg.content) == ("7", "13800000000", "a;b,c")


@pytest.mark.parametrize("op", [FetchReports(), FetchInbound()])
@pytest.mark.parametrize("body", ["0", " 0", "0\r\n"])
def test_none_waiting_is_an_empty_batch(op: Operation[Batch[Any]], body: str) -> None:
    batch = codec.decode_response(op, gbk(body), DOC)
    assert batch.items == () and batch.malformed == ()


def test_balance_answers() -> None:
    assert codec.decode_response(QueryBalance(), gbk("1000\r\n"), DOC) == Balance(Decimal(1000))
    assert codec.decode_response(QueryBalance(), gbk("0"), DOC) == Balance(Decimal(0))
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(
            QueryBalance(), gbk(SPEC.vector("balance-response-placeholder")["body"]), DOC
        )
    assert caught.value.raw == "条数".encode("gbk")


# ------------------------------------------------------------------ per-endpoint codes


@pytest.mark.parametrize(
    ("op", "code", "text", "kind", "retryable"),
    [
        (ONE, "-3", "短信内容非法，含有禁发关键词", ErrorKind.CONTENT_REJECTED, False),
        (FetchReports(), "-3", "系统忙，请稍候再试", ErrorKind.SERVER, True),
        (FetchInbound(), "-3", "系统忙，请稍候再试", ErrorKind.SERVER, True),
        (ONE, "-1", "缺少接收的目标号码", ErrorKind.INVALID_REQUEST, False),
        (FetchReports(), "-1", "用户不存在", ErrorKind.AUTH, False),
        (FetchInbound(), "-1", "用户不存在", ErrorKind.AUTH, False),
        (QueryBalance(), "-1", "帐户不存在", ErrorKind.AUTH, False),
        (QueryBalance(), "-7", "用户登入信息验证失败", ErrorKind.AUTH, False),
        (ONE, "-9", "帐户当前余额不足发送本次请求的条数", ErrorKind.BALANCE, False),
        (ONE, "-99", "系统忙，无法受理此次请求", ErrorKind.SERVER, True),
        (QueryBalance(), "-3", "undocumented status code", ErrorKind.UNKNOWN, False),
    ],
)
def test_codes_are_read_from_the_answering_endpoints_table(
    op: Operation[Any], code: str, text: str, kind: ErrorKind, retryable: bool
) -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(op, gbk(code), DOC)
    assert (caught.value.code, caught.value.message) == (code, text)
    assert (caught.value.kind, caught.value.retryable) == (kind, retryable)


def test_every_document_code_is_in_its_endpoint_table() -> None:
    tables = {scope: sorted(SPEC.statuses_for(scope), key=int) for scope in SPEC.endpoints}
    assert tables == {
        "send": ["-99", "-10", "-9", "-8", "-7", "-4", "-3", "-2", "-1"],
        "reports": ["-7", "-3", "-1"],
        "inbound": ["-7", "-3", "-1"],
        "balance": ["-7", "-1"],
    }


SCOPED_TOML = """
vendor = "v"
document = "d"
base_url = "http://x"
[[statuses]]
code = "-1"
text = "通用"
english = "generic"
kind = "server"
retryable = true
[[statuses]]
code = "-1"
scope = ["send"]
text = "发送"
english = "send"
kind = "auth"
retryable = false
[[statuses]]
code = "-2"
scope = ["send", "balance"]
text = "二"
english = "two"
kind = "balance"
retryable = false
"""


def test_spec_scope_extension() -> None:
    spec = parse_spec(tomllib.loads(SCOPED_TOML))
    # Unscoped look-ups behave as before: the unscoped row wins.
    assert spec.statuses["-1"].text == "通用" and spec.statuses["-1"].scope == ()
    assert spec.error("-1").kind is ErrorKind.SERVER
    # A scope prefers its row, falls back to the unscoped one, never to another scope's.
    assert spec.error("-1", scope="send").kind is ErrorKind.AUTH
    assert spec.error("-1", scope="reports").kind is ErrorKind.SERVER
    assert spec.error("-2", scope="balance").message == "二"
    assert spec.error("-2", scope="reports").kind is ErrorKind.UNKNOWN
    assert spec.statuses["-2"].scope == ("send", "balance")
    assert sorted(spec.statuses_for("reports")) == ["-1"]
    duplicate = '[[statuses]]\ncode = "-2"\nscope = ["send"]\ntext = "x"\nenglish = "x"\n'
    duplicate += 'kind = "auth"\nretryable = false\n'
    with pytest.raises(ValueError, match="twice for send"):
        parse_spec(tomllib.loads(SCOPED_TOML + duplicate))
    # Other vendors' unscoped specs are untouched.
    assert load_spec("esms100").error("-10", scope="send").kind is ErrorKind.BALANCE


# ------------------------------------------------------------------ send answers


def test_ids_map_to_numbers_only_when_none_failed_and_counts_match() -> None:
    two = SendSms(("13800000001", "13800000002"), "x")
    assert codec.decode_response(two, gbk("0|2|0|11,12"), DOC).receipts == (
        Receipt("13800000001", "11"),
        Receipt("13800000002", "12"),
    )
    partial = codec.decode_response(two, gbk("0|1|1|11"), DOC)
    assert partial == SendResult((Receipt(None, "11"),), 1)
    # One 短信批次编号 for both numbers (the 1.1.2 example's batch 6408649 has two).
    batch = codec.decode_response(two, gbk("0|2|0|6408649"), DOC)
    assert batch.batch_id == "6408649"
    assert [(r.mobile, r.message_id) for r in batch.receipts] == [
        ("13800000001", "6408649"),
        ("13800000002", "6408649"),
    ]
    none = codec.decode_response(two, gbk("0|0|2"), DOC)
    assert none == SendResult((), 2)
    assert codec.decode_response(two, gbk("0|0|2|"), DOC) == none


@pytest.mark.parametrize("body", ["0|2|0|11", "0|1|0", "0", "0|x|0|1", "1|1|0|1", "0|1|0|1|9"])
def test_inconsistent_send_answers_are_decode_errors_keeping_the_body(body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(ONE, gbk(body), DOC)
    assert caught.value.raw == body.encode("gbk")


def test_http_failure_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        codec.decode_response(QueryBalance(), HttpResponse(500, (), b"1"), DOC)


# ------------------------------------------------------------------ malformed records


def test_a_broken_report_is_kept_raw_between_good_ones() -> None:
    body = "3|1;13800000001;10|broken;record|2;13800000002;20"
    batch = codec.decode_response(FetchReports(), gbk(body), DOC)
    assert [r.message_id for r in batch] == ["1", "2"]
    assert batch.malformed == (b"broken;record",)


def test_a_broken_reply_is_kept_raw_between_good_ones() -> None:
    body = "3|1;13800000001;好|garbage|2;13800000002;也好"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["好", "也好"]
    assert batch.malformed == (b"garbage",)


def test_undecodable_bytes_stay_in_malformed_byte_for_byte() -> None:
    raw = "2|1;13800000001;10|".encode("gbk") + b"\xff\xfe;1;10"
    batch = codec.decode_response(FetchReports(), HttpResponse(200, (), raw), DOC)
    assert [r.mobile for r in batch] == ["13800000001"]
    assert batch.malformed == (b"\xff\xfe;1;10",)


# ------------------------------------------------------------------ '|' inside reply texts


def test_bar_in_text_is_rejoined_when_count_and_shape_agree() -> None:
    body = "2|1;13800000001;a|b||c|2;13800000002;d"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["a|b||c", "d"]
    assert batch.malformed == ()


def test_bar_followed_by_a_record_shape_is_malformed_not_guessed() -> None:
    # The first text is 'a|9;13900000000;x'; it cannot be told from a third record.
    body = "2|1;13800000001;a|9;13900000000;x|2;13800000002;d"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert batch.items == ()
    assert b"|".join(batch.malformed) == body[2:].encode("gbk")


@pytest.mark.parametrize("text", ["a|b;c", "|;", "x||y;", "ends\n"])
def test_server_role_refuses_reply_texts_it_cannot_frame(text: str) -> None:
    batch = Batch((InboundMessage("13800000000", text, message_id="1"),))
    with pytest.raises(EncodeError):
        codec.encode_response(FetchInbound(), batch, DOC)


# ------------------------------------------------------------------ server-role refusals


def test_server_role_refuses_results_the_wire_cannot_carry() -> None:
    refusals: list[tuple[Operation[Any], object]] = [
        (ONE, SendResult((Receipt("13798361236", "1"),), batch_id="b")),
        (ONE, SendResult((Receipt(None, "1"),), 0)),  # would read back with the number
        (ONE, SendResult((Receipt("13798361236", "1"),), 1)),  # would read back without it
        (ONE, SendResult((Receipt("13798361236", "1,2"),))),
        (ONE, SendResult((Receipt("13798361236", None),))),
        (QueryBalance(), Balance(Decimal("1.5"))),
        (QueryBalance(), Balance(Decimal(-1))),
        (FetchReports(), Batch((DeliveryReport("138", DeliveryStatus.DELIVERED, "20", "1"),))),
        (FetchReports(), Batch((DeliveryReport("138", DeliveryStatus.FAILED, "20", "1;2"),))),
        (FetchReports(), Batch((DeliveryReport("138", DeliveryStatus.FAILED, "20"),))),
        (
            FetchInbound(),
            Batch((InboundMessage("138", "x", datetime(2024, 1, 1, tzinfo=CHINA), "1"),)),
        ),
        (FetchInbound(), Batch((InboundMessage("138", "😀", message_id="1"),))),
        (
            FetchReports(),
            Batch(
                tuple(DeliveryReport("138", DeliveryStatus.FAILED, "20", "1") for _ in range(101))
            ),
        ),
        (
            FetchInbound(),
            Batch(tuple(InboundMessage("138", "x", message_id="1") for _ in range(51))),
        ),
    ]
    for op, result in refusals:
        with pytest.raises(EncodeError):
            codec.encode_response(op, result, DOC)


def test_server_role_checks_credentials_per_endpoint() -> None:
    wrong = changlong.Account("mysms", "not-the-password")
    stranger = changlong.Account("nobody", "x")
    for op, unknown_code in [(ONE, "-7"), (FetchReports(), "-1"), (QueryBalance(), "-1")]:
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(codec.encode_request(op, wrong, STAMP), lookup)
        assert caught.value.code == "-7" and caught.value.kind is ErrorKind.AUTH
        assert "not-the-password" not in str(caught.value) + repr(caught.value)
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(codec.encode_request(op, stranger, STAMP), lookup)
        assert caught.value.code == unknown_code
    with pytest.raises(GatewayError, match="帐户不存在"):
        codec.decode_request(codec.encode_request(QueryBalance(), stranger, STAMP), lookup)


def test_server_role_checks_send_limits() -> None:
    base = "/sendsms_txt.asp?us_name=mysms&us_pwd=123456"
    cases = {
        f"{base}&send_content=x": "-1",
        f"{base}&send_phone=138": "-2",
        f"{base}&send_phone={','.join(['138'] * 101)}&send_content=x": "-4",
        f"{base}&send_phone=138&send_content={'x' * 336}": "-8",
    }
    for target, code in cases.items():
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(HttpRequest("GET", target), lookup)
        assert caught.value.code == code
    op, _ = codec.decode_request(
        HttpRequest("GET", f"{base}&send_phone={','.join(['138'] * 100)}&send_content={'x' * 335}"),
        lookup,
    )
    assert isinstance(op, SendSms) and len(op.mobiles) == 100
    with pytest.raises(DecodeError):
        codec.decode_request(HttpRequest("GET", "/nope.asp?us_name=mysms"), lookup)


def test_asp_paths_are_case_insensitive() -> None:
    request = HttpRequest("GET", "/get_account_balance.asp?us_name=mysms&us_pwd=123456")
    assert codec.decode_request(request, lookup) == (QueryBalance(), DOC)


# ------------------------------------------------------------------ client-role refusals


def test_client_role_refuses_what_the_wire_cannot_carry() -> None:
    refused: list[Operation[Any]] = [
        SendSms(("13800000000",), "x", extension="01"),
        SendSms(("13800000000",), "x", client_ids=("c1",)),
        SendSms(tuple(f"138{i:08d}" for i in range(101)), "x"),
        SendSms(("13800000000",), "字" * 336),
        SendSms(("13800000000",), "hi 😀"),
        FetchInbound(since=datetime(2024, 1, 1, tzinfo=CHINA)),
        SendPersonalized((PersonalizedMessage("13800000000", "x"),)),
    ]
    for op in refused:
        with pytest.raises(EncodeError) as caught:
            codec.encode_request(op, DOC, STAMP)
        assert "123456" not in str(caught.value)
    longest = codec.encode_request(SendSms(("13800000000",), "字" * 335), DOC, STAMP)
    assert params(longest.target)["send_content"] == "字" * 335


def test_plan_splits_at_100_numbers() -> None:
    op = SendSms(tuple(f"138{i:08d}" for i in range(250)), "x")
    parts = codec.plan(op)
    assert all(isinstance(p, SendSms) for p in parts)
    sends = [p for p in parts if isinstance(p, SendSms)]
    assert [len(p.mobiles) for p in sends] == [100, 100, 50]
    assert sum((p.mobiles for p in sends), ()) == op.mobiles
    exactly = SendSms(op.mobiles[:100], "x")
    assert codec.plan(exactly) == (exactly,)
    assert codec.plan(QueryBalance()) == (QueryBalance(),)


# ------------------------------------------------------------------ charsets and secrets


def test_utf8_codec_encodes_requests_and_reads_answers_in_utf8() -> None:
    op = SendSms(("13800000000",), "😀 好")
    request = utf8.encode_request(op, DOC, STAMP)
    assert params(request.target, "utf-8")["send_content"] == "😀 好"
    assert quote_plus("😀 好", encoding="utf-8") in request.target
    assert utf8.decode_request(request, lookup)[0] == op
    body = "1|5;13800000000;😀 好".encode()
    (msg,) = utf8.decode_response(FetchInbound(), HttpResponse(200, (), body), DOC)
    assert msg.content == "😀 好"
    built = get_codec("changlong", charset="utf-8")
    assert isinstance(built, changlong.Codec) and built.charset == "utf-8"
    with pytest.raises(EncodeError):
        changlong.Codec(charset="latin-1")


def test_password_stays_out_of_reprs_and_is_documented_as_clear_text() -> None:
    account = changlong.Account("mysms", "hunter2")
    assert "hunter2" not in repr(account)
    assert "clear text" in (changlong.__doc__ or "")
    with pytest.raises(EncodeError):
        changlong.Account("mysms", "")


# ------------------------------------------------------------------ quirks


QUIRK_TESTS = {
    "per-endpoint-codes": test_codes_are_read_from_the_answering_endpoints_table,
    "inbound-comma-separator": test_document_replies_decode_comma_and_leading_space,
    "inbound-leading-space": test_document_replies_decode_comma_and_leading_space,
    "inbound-entry-called-reports": test_document_targets_decode_as_printed_raw_chinese_included,
    "duplicated-third-value": test_ids_map_to_numbers_only_when_none_failed_and_counts_match,
    "send-content-unencoded": test_document_targets_decode_as_printed_raw_chinese_included,
    "send-ids-batch-or-per-number": test_ids_map_to_numbers_only_when_none_failed_and_counts_match,
    "limit-numbers-or-messages": test_plan_splits_at_100_numbers,
    "inbound-text-pipe": test_bar_in_text_is_rejoined_when_count_and_shape_agree,
    "balance-example-placeholder": test_balance_answers,
    "report-code-integers": test_report_states_minus_1_10_20,
}


def test_every_quirk_is_listed_and_exercised() -> None:
    assert {q.id for q in SPEC.quirks} == set(QUIRK_TESTS)
    for vector in SPEC.vectors:
        assert set(vector.get("quirks", ())) <= set(QUIRK_TESTS)
    for example in SPEC.examples:
        assert set(example.quirks) <= set(QUIRK_TESTS)


def test_duplicated_third_value_means_four_fields_not_five() -> None:
    # '第三项值' is printed twice; an answer with a fifth value is not the documented format.
    assert codec.decode_response(ONE, gbk("0|1|0|7"), DOC).receipts == (
        Receipt("13798361236", "7"),
    )
    with pytest.raises(DecodeError):
        codec.decode_response(ONE, gbk("0|1|0|0|7"), DOC)


def test_reply_entry_point_serves_replies_despite_its_caption() -> None:
    request = SPEC.example("inbound").request
    assert request is not None
    assert urlsplit(request.target).path == SPEC.endpoint("inbound")
    assert SPEC.endpoint("inbound") != SPEC.endpoint("reports")
    assert codec.encode_request(FetchInbound(), DOC, STAMP).path == "/get_receive_message_txt.asp"


def test_times_are_china_time() -> None:
    op = SendSms(("13800000000",), "x", send_at=datetime(2023, 12, 31, 16, 0, tzinfo=UTC))
    assert op.send_at is not None and op.send_at.tzinfo is CHINA
    assert params(codec.encode_request(op, DOC, STAMP).target)["send_time"] == "20240101000000"
