"""smscn: the document's examples both ways, its quirks, pushes, limits and refusals."""

from __future__ import annotations

import hashlib
import json
import pickle
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
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
    PushCodec,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    from_jsonable,
    get_codec,
    smscn,
    to_jsonable,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs.strategies import sms_text
from smswire.codecs.strategies import smscn as strategies
from smswire.testing._examples import structure

SPEC = smscn.SPEC
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = smscn.Codec()
DOC_ACCOUNT = smscn.Account("test", "123123")
MM_ACCOUNT = smscn.Account("test", pwd="fa246d0262c3925617b0c72bb20eeb1d")


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(uid: str) -> smscn.Account | None:
    return DOC_ACCOUNT if uid == "test" else None


def mm_lookup(uid: str) -> smscn.Account | None:
    return MM_ACCOUNT if uid == "test" else None


def numbers(n: int) -> tuple[str, ...]:
    return tuple(f"138{i:08d}" for i in range(n))


def china(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ------------------------------------------------------------------ password recipe


def test_md5_vector_from_the_document_and_hashlib() -> None:
    vector = SPEC.vector("md5")
    account = smscn.Account(vector["uid"], vector["password"])
    assert account.password_md5 == vector["pwd"] == "b9887c5ebb23ebb294acab183ecf0769"
    assert account.password_md5 == hashlib.md5(b"123123" + b"test").hexdigest()
    assert smscn.Account("test", pwd=vector["pwd"].upper()).password_md5 == vector["pwd"]


def test_account_needs_exactly_one_secret_and_hides_it() -> None:
    with pytest.raises(EncodeError):
        smscn.Account("test")
    with pytest.raises(EncodeError):
        smscn.Account("test", "123123", pwd="b9887c5ebb23ebb294acab183ecf0769")
    with pytest.raises(EncodeError, match="32 hexadecimal"):
        smscn.Account("test", pwd="nothex")
    text = repr(smscn.Account("test", "hunter2"))
    assert "hunter2" not in text and hashlib.md5(b"hunter2test").hexdigest() not in text


# ------------------------------------------------------------------ document requests
# The document's exchanges are replayed in both roles by the conformance suite from
# specs/smscn.toml's [[examples]]; what follows checks what that replay does not.


def example_parts(name: str) -> tuple[Operation[Any], smscn.Account]:
    example = SPEC.example(name)
    return structure(smscn, example.operation), structure(smscn, example.account)


REQUESTS = [e.name for e in SPEC.examples if e.request is not None]


@pytest.mark.parametrize("name", REQUESTS)
def test_document_requests_decode_with_and_without_the_trailing_space(name: str) -> None:
    # Quirk content-space: the PDF prints most of these URLs with a space at the end.
    op, account = example_parts(name)
    request = SPEC.example(name).request
    assert request is not None
    target = request.target.rstrip()
    for form in (target, target + " ", request.canonical_target or target):
        assert codec.decode_request(HttpRequest("GET", form), {"test": account}.get) == (
            op,
            account,
        )


def test_mm_examples_use_another_pwd_than_md5_123123test() -> None:
    # Quirk mm-other-pwd: fa246d… is not md5("123123test"); that account is refused with 101.
    request = SPEC.example("balance").request
    assert request is not None
    assert hashlib.md5(b"123123test").hexdigest() != MM_ACCOUNT.password_md5
    assert example_parts("balance")[1] == MM_ACCOUNT
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", request.target), lookup)
    assert caught.value.code == "101" and caught.value.kind is ErrorKind.AUTH


def doc_send() -> SendSms:
    op = example_parts("send")[0]
    assert isinstance(op, SendSms)
    return op


def test_document_send_is_the_printed_url_without_the_test_number() -> None:
    request = codec.encode_request(doc_send(), DOC_ACCOUNT, STAMP)
    # An independent reading of the same URL.
    params = dict(parse_qsl(urlsplit(request.target).query, encoding="gbk"))
    assert params["content"] == "发送测试"
    assert params["pwd"] == hashlib.md5(b"123123test").hexdigest()
    assert "%B7%A2%CB%CD%B2%E2%CA%D4" in request.target  # §4's GBK bytes of 发送测试
    # §4 prints "mobile=13900008888,1390000test,13100006666" and the matching mobileids.
    printed = SPEC.vector("send-verbatim")["target"]
    assert request.target == printed.replace("1390000test,", "").replace(
        "1390000test12869461937,", ""
    ).replace("content= ", "content=")


def test_document_send_verbatim_is_refused_with_112_for_1390000test() -> None:
    # Quirk non-digit-example-number: the gateway's number check answers 号码错误.
    vector = SPEC.vector("send-verbatim")
    request = HttpRequest("GET", vector["target"])
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(request, lookup)
    assert caught.value.code == vector["server_code"] == "112"
    assert codec.encode_error(request, caught.value).body == "sms&stat=112&message=号码错误".encode(
        "gbk"
    )


def test_client_role_refuses_the_document_non_digit_number_and_id() -> None:
    with pytest.raises(EncodeError, match="mobile"):
        codec.encode_request(SendSms(("1390000test",), "发送测试"), DOC_ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match="client_ids"):
        codec.encode_request(
            SendSms(("13900008888",), "x", client_ids=("1390000test12869461937",)),
            DOC_ACCOUNT,
            STAMP,
        )


# ------------------------------------------------------------------ document answers


def test_reports_without_the_space_and_with_crlf_decode_too() -> None:
    # Quirk report-time-space: the document's space before the time is optional to read.
    body = "18817660001,100,188176600011234556789,2011-03-11 11:22:11\r\n"
    (report,) = codec.decode_response(FetchReports(), gbk(body), DOC_ACCOUNT)
    assert report.reported_at == datetime(2011, 3, 11, 11, 22, 11, tzinfo=CHINA)


def test_undocumented_report_values_are_unknown_and_keep_their_code() -> None:
    # Quirk report-status-undefined: only 100 is read (as delivered).
    body = "13800000000,DELIVRD,1, 2024-01-01 08:00:00\n13800000001,2,, 2024-01-01 08:00:01"
    batch = codec.decode_response(FetchReports(), gbk(body), DOC_ACCOUNT)
    assert [(r.status, r.code, r.client_id) for r in batch] == [
        (DeliveryStatus.UNKNOWN, "DELIVRD", "1"),
        (DeliveryStatus.UNKNOWN, "2", None),
    ]
    assert smscn.report_status("100") is DeliveryStatus.DELIVERED


def test_replies_with_the_angle_separator_decode() -> None:
    # Quirk rx-alternative-separator.
    answer = SPEC.example("inbound").answer
    assert answer is not None
    body = answer.body.replace("{&}", "<&>")
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)
    assert [m.mobile for m in batch] == ["13912341234", "15912343333"]


@pytest.mark.parametrize("body", ["", "\r\n", "100", "100{&}"])
def test_no_replies(body: str) -> None:
    assert not codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)


# ------------------------------------------------------------------ || becomes ｜｜


def test_bars_in_reply_text_come_back_full_width() -> None:
    # Quirk rx-fullwidth-bars: the server role converts as the gateway does.
    sent = InboundMessage(
        "13912341234", "a||b", datetime(2024, 1, 1, 8, tzinfo=CHINA), None, "1068"
    )
    body = codec.encode_response(FetchInbound(), Batch((sent,)), DOC_ACCOUNT).body
    assert body.decode("gbk") == "100{&}13912341234||a｜｜b||2024-01-01 08:00:00||1068"
    (back,) = codec.decode_response(FetchInbound(), HttpResponse(200, (), body), DOC_ACCOUNT)
    assert back.content == "a｜｜b"


@given(halves=st.tuples(sms_text("gbk", min_size=0), sms_text("gbk", min_size=0)))
def test_any_reply_text_with_bars_round_trips_with_full_width_bars(
    halves: tuple[str, str],
) -> None:
    text = "||".join(halves)
    expected = text.replace("||", "｜｜")
    msg = InboundMessage("13800000000", text, datetime(2024, 1, 1, 8, tzinfo=CHINA))
    try:
        response = codec.encode_response(FetchInbound(), Batch((msg,)), DOC_ACCOUNT)
    except EncodeError:
        assert "{&}" in expected
        return
    (back,) = codec.decode_response(FetchInbound(), response, DOC_ACCOUNT)
    assert back.content == expected


@pytest.mark.parametrize("text", ["a{&}b", "{&}", "a{&}"])
def test_reply_text_that_cannot_be_framed_is_refused(text: str) -> None:
    msg = InboundMessage("13800000000", text, datetime(2024, 1, 1, 8, tzinfo=CHINA))
    with pytest.raises(EncodeError):
        codec.encode_response(FetchInbound(), Batch((msg,)), DOC_ACCOUNT)


def test_a_leading_bar_reads_back_unchanged() -> None:
    # Left-to-right splitting reads "13800000000|||a" as the number and "|a".
    msg = InboundMessage("13800000000", "|a", datetime(2024, 1, 1, 8, tzinfo=CHINA))
    response = codec.encode_response(FetchInbound(), Batch((msg,)), DOC_ACCOUNT)
    assert codec.decode_response(FetchInbound(), response, DOC_ACCOUNT) == Batch((msg,))


# ------------------------------------------------------------------ malformed records


def test_a_broken_reply_is_kept_raw_between_good_ones() -> None:
    body = (
        "100{&}13912341234||好||2008-05-27 12:10:11||1068{&}garbage"
        "{&}15912343333||也好||2009-05-27 13:11:11||1068"
    )
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)
    assert [m.content for m in batch] == ["好", "也好"]
    assert batch.malformed == (b"garbage",)


def test_a_broken_report_and_bad_bytes_are_kept_raw() -> None:
    raw = (
        b"18817660001,100,1, 2011-03-11 11:22:11\n"
        b"18817660002,100,2, 2011-13-11 11:28:22\n"
        b"\xff\xfe,100,3, 2011-03-11 11:28:22\n"
        b"18817660003,100,4, 2011-03-11 11:28:23"
    )
    batch = codec.decode_response(FetchReports(), HttpResponse(200, (), raw), DOC_ACCOUNT)
    assert [r.client_id for r in batch] == ["1", "4"]
    assert batch.malformed == (
        b"18817660002,100,2, 2011-13-11 11:28:22",
        b"\xff\xfe,100,3, 2011-03-11 11:28:22",
    )


# ------------------------------------------------------------------ send records (§10)


def test_send_records_decode_per_the_format() -> None:
    body = (
        "120||2||3|#|2012-12-12 10:00:00||13800000000||你好||100"
        "|#|broken record|#|2012-12-12 10:05:00||13800000001||第二条||0"
    )
    op = smscn.QuerySendRecords()
    result = codec.decode_response(op, gbk(body), DOC_ACCOUNT)
    assert (result.total, result.count, result.pages) == (120, 2, 3)
    assert [(r.mobile, r.content, r.status) for r in result.records] == [
        ("13800000000", "你好", "100"),
        ("13800000001", "第二条", "0"),
    ]
    assert result.records[0].sent_at == datetime(2012, 12, 12, 10, tzinfo=CHINA)
    assert result.malformed == (b"broken record",)
    # Quirk rd-empty-wording: empty means no records.
    assert codec.decode_response(op, gbk(""), DOC_ACCOUNT) == smscn.SendRecords()
    with pytest.raises(DecodeError):
        codec.decode_response(op, gbk("x||y|#|"), DOC_ACCOUNT)


def test_send_records_filters_on_the_wire_both_ways() -> None:
    op = smscn.QuerySendRecords(page=2, date=date(2012, 12, 12), mobile="13800000000")
    request = codec.encode_request(op, DOC_ACCOUNT, STAMP)
    assert request.target == (
        "/rd/?uid=test&pwd=b9887c5ebb23ebb294acab183ecf0769&page=2&date=2012-12-12&key=13800000000"
    )
    assert codec.decode_request(request, lookup) == (op, DOC_ACCOUNT)
    for bad in ["date=2012-13-12", "date=20121212", "page=0"]:
        target = request.target.replace("date=2012-12-12", bad).replace("page=2", bad)
        with pytest.raises(GatewayError, match="103"):
            codec.decode_request(HttpRequest("GET", target), lookup)
    with pytest.raises(EncodeError):
        smscn.QuerySendRecords(page=0)
    with pytest.raises(EncodeError):
        smscn.QuerySendRecords(date=datetime(2012, 12, 12, tzinfo=CHINA))
    with pytest.raises(EncodeError):
        smscn.QuerySendRecords(mobile="138-0000")


def test_send_record_text_that_cannot_be_framed_is_refused() -> None:
    # Each of these makes "|#|", the record separator, with the "||" around the text.
    for text in ["a|#|b", "a|#", "#|a", "#"]:
        record = smscn.SendRecord(datetime(2024, 1, 1, tzinfo=CHINA), "13800000000", text, "0")
        result = smscn.SendRecords(1, 1, 1, (record,))
        with pytest.raises(EncodeError):
            codec.encode_response(smscn.QuerySendRecords(), result, DOC_ACCOUNT)


# ------------------------------------------------------------------ GET/POST and the planner


def test_get_carries_50_numbers_and_post_takes_over_at_51() -> None:
    get = codec.encode_request(SendSms(numbers(50), "x"), DOC_ACCOUNT, STAMP)
    assert get.method == "GET" and get.body == b""
    post = codec.encode_request(SendSms(numbers(51), "短信"), DOC_ACCOUNT, STAMP)
    assert (post.method, post.target) == ("POST", "/mt/")
    assert post.header("content-type") == "application/x-www-form-urlencoded"
    form = dict(parse_qsl(post.body.decode("ascii"), encoding="gbk"))
    assert form["mobile"].split(",") == list(numbers(51)) and form["content"] == "短信"
    assert codec.decode_request(post, lookup)[0] == SendSms(numbers(51), "短信")
    # A GET the gateway would refuse: more than 50 numbers in the query.
    too_many = HttpRequest("GET", f"/mt/?{post.body.decode('ascii')}")
    with pytest.raises(GatewayError, match="106"):
        codec.decode_request(too_many, lookup)


def test_utf8_post_body_is_utf8_and_says_so() -> None:
    post = smscn.Codec(charset="utf-8").encode_request(
        SendSms(numbers(60), "😀 发送"), DOC_ACCOUNT, STAMP
    )
    form = dict(parse_qsl(post.body.decode("ascii"), encoding="utf-8"))
    assert form["encode"] == "utf8" and form["content"] == "😀 发送"
    assert codec.decode_request(post, lookup)[0].content == "😀 发送"  # type: ignore[attr-defined]
    # Answers stay GBK whatever the request charset.
    with pytest.raises(GatewayError, match="短信不足"):
        smscn.Codec(charset="utf-8").decode_response(
            SendSms(("13800000000",), "x"), gbk("sms&stat=102&message=短信不足"), DOC_ACCOUNT
        )


def test_above_2000_is_refused_and_planned() -> None:
    with pytest.raises(EncodeError, match="2000"):
        codec.encode_request(SendSms(numbers(2001), "x"), DOC_ACCOUNT, STAMP)
    ids = tuple(str(i) for i in range(4500))
    op = SendSms(numbers(4500), "x", extension="12", client_ids=ids)
    parts = [p for p in codec.plan(op) if isinstance(p, SendSms)]
    assert [len(p.mobiles) for p in parts] == [2000, 2000, 500]
    assert sum((p.mobiles for p in parts), ()) == op.mobiles
    assert sum((p.client_ids or () for p in parts), ()) == ids
    assert all(p.extension == "12" for p in parts)
    assert codec.plan(QueryBalance()) == (QueryBalance(),)


def test_extension_is_mid_and_send_at_is_refused() -> None:
    # Quirk schedule-code-without-parameter.
    request = codec.encode_request(
        SendSms(("13800000000",), "x", extension="88"), DOC_ACCOUNT, STAMP
    )
    assert dict(parse_qsl(urlsplit(request.target).query))["mid"] == "88"
    with pytest.raises(EncodeError, match="send_at"):
        codec.encode_request(
            SendSms(("13800000000",), "x", send_at=datetime(2030, 1, 1, tzinfo=CHINA)),
            DOC_ACCOUNT,
            STAMP,
        )
    with pytest.raises(EncodeError, match="SendPersonalized"):
        codec.encode_request(
            SendPersonalized((PersonalizedMessage("13800000000", "x"),)), DOC_ACCOUNT, STAMP
        )
    with pytest.raises(EncodeError, match=r"U\+1F600"):
        codec.encode_request(SendSms(("13800000000",), "😀"), DOC_ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match="empty"):
        codec.encode_request(SendSms(("13800000000",), ""), DOC_ACCOUNT, STAMP)


# ------------------------------------------------------------------ refusals both ways


def test_status_table_matches_the_document() -> None:
    listed = [str(c) for c in (100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110)]
    listed += [str(c) for c in (112, 113, 114, 116, 117, 120)]
    assert sorted([SPEC.ok.code, *SPEC.statuses]) == listed
    assert SPEC.status("107").kind is ErrorKind.RATE_LIMIT  # type: ignore[union-attr]
    assert SPEC.rate_limits == {}


def test_error_answers_become_gateway_errors() -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(
            SendSms(("13800000000",), "x"), gbk("sms&stat=102&message=短信不足"), DOC_ACCOUNT
        )
    assert (caught.value.kind, caught.value.message, caught.value.retryable) == (
        ErrorKind.BALANCE,
        "短信不足",
        False,
    )
    # Quirk status-code-gaps: 111 is not in the table.
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(QueryBalance(), gbk("sms&stat=111&remain=0"), DOC_ACCOUNT)
    assert caught.value.kind is ErrorKind.UNKNOWN
    # Quirk errors-outside-mt-mm: refusals on /st/, /rx/ and /rd/.
    for op in (FetchReports(), FetchInbound(), smscn.QuerySendRecords()):
        with pytest.raises(GatewayError, match="101"):
            codec.decode_response(op, gbk("sms&stat=101&message=验证失败"), DOC_ACCOUNT)
    with pytest.raises(GatewayError, match="117"):
        codec.decode_response(FetchInbound(), gbk("117"), DOC_ACCOUNT)
    with pytest.raises(DecodeError):
        codec.decode_response(QueryBalance(), gbk("sms&stat=100"), DOC_ACCOUNT)


def send_target(**changes: str) -> str:
    params = {"uid": "test", "pwd": DOC_ACCOUNT.password_md5, "mobile": "13800000000"}
    params |= {"content": "%B7%A2", **changes}
    return "/mt/?" + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize(
    ("changes", "code", "text"),
    [
        # §4 状态码: "101 验证失败", "103 操作失败", "104 非法字符",
        # "108 号码内容空", "112 号码错误".
        ({"pwd": "0" * 32}, "101", "验证失败"),
        ({"uid": "nobody"}, "101", "验证失败"),
        ({"content": ""}, "108", "号码内容空"),
        ({"mobile": ""}, "108", "号码内容空"),
        ({"mobile": "1380000000a"}, "112", "号码错误"),
        ({"content": "%FF%FF"}, "104", "非法字符"),
        ({"mobileids": "1,2"}, "103", "操作失败"),
        ({"mobileids": "12x"}, "103", "操作失败"),
        ({"mid": "a1"}, "103", "操作失败"),
    ],
)
def test_server_role_refuses_with_the_vendor_codes(
    changes: dict[str, str], code: str, text: str
) -> None:
    request = HttpRequest("GET", send_target(**changes))
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(request, lookup)
    assert caught.value.code == code
    body = codec.encode_error(request, caught.value).body.decode("gbk")
    assert body == f"sms&stat={code}&message={text}"


def test_server_role_limits_post_to_2000() -> None:
    body = send_target(mobile=",".join(numbers(2001))).partition("?")[2].encode()
    with pytest.raises(GatewayError, match="106"):
        codec.decode_request(HttpRequest("POST", "/mt/", (), body), lookup)


# ------------------------------------------------------------------ pushes (§6.2)


def test_codec_is_a_push_codec() -> None:
    assert isinstance(get_codec("smscn"), PushCodec)


def test_status_push_as_the_document_url_shows() -> None:
    # Quirk push-contradiction: the §6.2 URL shape is a status report.
    target = (
        "/notify?cmd=res&uid=test&mobileids=1390000888812869461937&mobile=13900008888&status=100"
    )
    batch = codec.decode_push(HttpRequest("GET", target), {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get)
    assert batch == Batch(
        (
            DeliveryReport(
                "13900008888", DeliveryStatus.DELIVERED, "100", client_id="1390000888812869461937"
            ),
        )
    )
    (again,) = codec.encode_push(batch, DOC_ACCOUNT)
    assert again.target == "/" + target.removeprefix("/notify")


def test_reply_push_as_the_document_table_lists_get_and_post() -> None:
    # Quirk push-contradiction: the §6.2 table shape is a reply, content in GBK.
    query = "cmd=res&uid=test&time=2024-01-01+08%3A00%3A00&mobile=13900008888&content=%BB%D8%B8%B4"
    reply = InboundMessage("13900008888", "回复", datetime(2024, 1, 1, 8, tzinfo=CHINA))
    expected: Batch[DeliveryReport | InboundMessage] = Batch((reply,))
    assert (
        codec.decode_push(
            HttpRequest("GET", f"/notify?{query}"), {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get
        )
        == expected
    )
    post = HttpRequest("POST", "/notify", (), query.encode())
    assert codec.decode_push(post, {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get) == expected
    (request,) = codec.encode_push(expected, DOC_ACCOUNT)
    assert request.target == f"/?{query}"


def test_push_parameter_order_follows_the_document() -> None:
    report = DeliveryReport("13800000000", DeliveryStatus.DELIVERED, "100", client_id="7")
    reply = InboundMessage("13800000000", "x", datetime(2024, 1, 1, tzinfo=CHINA))
    pushes = smscn.Codec(push_path="/hook").encode_push(Batch((report, reply)), DOC_ACCOUNT)
    assert [r.path for r in pushes] == ["/hook", "/hook"]
    for request, name in zip(pushes, ["push-status", "push-reply"], strict=True):
        vector = SPEC.vector(name)
        pairs = parse_qsl(request.query, encoding="gbk", keep_blank_values=True)
        assert [k for k, _ in pairs] == vector["parameters"]
        assert pairs[0] == ("cmd", vector["cmd"]) and pairs[1] == ("uid", "test")


@given(items=st.lists(strategies.push_items(), max_size=4))
def test_push_round_trip(items: list[DeliveryReport | InboundMessage]) -> None:
    requests = codec.encode_push(Batch(tuple(items)), DOC_ACCOUNT)
    assert len(requests) == len(items)
    got = [
        item for r in requests for item in codec.decode_push(r, {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get)
    ]
    assert got == items


def test_broken_pushes() -> None:
    bad_time = HttpRequest("GET", "/?cmd=res&uid=test&time=yesterday&mobile=1&content=x")
    assert codec.decode_push(bad_time, {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get) == Batch(
        (), (b"cmd=res&uid=test&time=yesterday&mobile=1&content=x",)
    )
    both = HttpRequest("GET", "/?uid=test&mobile=1&content=x&status=100")
    assert codec.decode_push(both, {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get).malformed
    with pytest.raises(DecodeError):
        codec.decode_push(
            HttpRequest("GET", "/?cmd=res&uid=test&mobile=1"), {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get
        )
    with pytest.raises(DecodeError, match="uid"):
        codec.decode_push(
            HttpRequest("GET", "/?uid=other&mobile=1&status=100"),
            {DOC_ACCOUNT.uid: DOC_ACCOUNT}.get,
        )
    with pytest.raises(EncodeError):
        codec.encode_push(Batch((InboundMessage("1", "x", destination="1068"),)), DOC_ACCOUNT)


def test_push_acknowledgement() -> None:
    ack = codec.push_ack()
    assert (ack.status, ack.body) == (200, b"ok")
    assert codec.decode_push_ack(ack)
    assert not codec.decode_push_ack(HttpResponse(500, (), b"ok"))


# ------------------------------------------------------------------ the spec's quirks


def test_format_ellipsis_is_wording_not_wire_data() -> None:
    # Quirk ellipsis-in-formats: the §10 format ends in "……."; a body ending so has a bad record.
    assert SPEC.vector("send-records-format")["format"].endswith("|#|…….")
    body = "1||1||1|#|2012-12-12 10:00:00||13800000000||x||100|#|……."
    result = codec.decode_response(smscn.QuerySendRecords(), gbk(body), DOC_ACCOUNT)
    assert len(result.records) == 1 and result.malformed == ("…….".encode("gbk"),)


def test_every_quirk_is_exercised_here() -> None:
    here = Path(__file__)
    source = here.read_text("utf-8") + here.with_name("test_smscn_fidelity.py").read_text("utf-8")
    assert [q.id for q in SPEC.quirks if f"Quirk {q.id}" not in source] == []


def test_results_pickle_and_cross_the_converter() -> None:
    record = smscn.SendRecord(datetime(2012, 12, 12, tzinfo=CHINA), "13800000000", "你好", "100")
    result = smscn.SendRecords(1, 1, 1, (record,), (b"\xff",))
    data = json.loads(json.dumps(to_jsonable(result)))
    restored: smscn.SendRecords = from_jsonable(data, smscn.SendRecords)
    assert restored == result
    for value in (result, DOC_ACCOUNT, smscn.QuerySendRecords(page=1, date=date(2012, 12, 12))):
        assert pickle.loads(pickle.dumps(value)) == value


def test_a_lone_hash_send_record_cannot_be_framed() -> None:
    # "||#||" holds the record separator "|#|": the server role must refuse, not garble.
    from datetime import datetime as _dt

    from smswire.codecs import EncodeError as _EncodeError

    record = smscn.SendRecord(_dt(2000, 1, 1), "10000000000", "#", "100")
    with pytest.raises(_EncodeError):
        smscn.Codec().encode_response(
            smscn.QuerySendRecords(), smscn.SendRecords(1, 1, 0, (record,)), DOC_ACCOUNT
        )
