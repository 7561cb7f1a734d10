"""smscn read against the document by its words and by what public clients send (issue 11).

Each test names its item; expected values come from ``smscn.txt``'s words, from
``hashlib``/``urllib.parse`` computations, or from the requests third-party
clients build, never from this codec's own encoder.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

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
    QueryBalance,
    SendResult,
    SendSms,
    SmsWireError,
    Stamp,
    smscn,
)
from smswire.codecs import _records as shared_records
from smswire.codecs._chinatime import CHINA

SPEC = smscn.SPEC
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = smscn.Codec()
DOC = smscn.Account("test", "123123")
DOC_PWD = hashlib.md5(b"123123test").hexdigest()


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(uid: str) -> smscn.Account | None:
    return DOC if uid == "test" else None


def numbers(n: int) -> tuple[str, ...]:
    return tuple(f"139{i:08d}" for i in range(n))


def from_request_line(raw: bytes) -> str:
    """A target as the receiver builds it from request-line bytes (the target convention)."""
    return raw.decode("utf-8", "surrogateescape")


# ------------------------------------------------------------------ 11.2 pushes with raw GBK


def test_reply_push_by_get_with_raw_gbk_bytes() -> None:
    # §6.2: pushed by "GET和POST方式", content "返回值：GBK字符串"; the gateway writes it raw.
    raw = (
        b"/notify?cmd=res&uid=test&time=2024-01-01 08:00:00&mobile=13900008888&content="
        + "回复测试，好的".encode("gbk")
    )
    batch = codec.decode_push(HttpRequest("GET", from_request_line(raw)), lookup)
    assert batch == Batch(
        (InboundMessage("13900008888", "回复测试，好的", datetime(2024, 1, 1, 8, tzinfo=CHINA)),)
    )


def test_raw_gbk_that_is_also_valid_utf8_still_reads_as_gbk() -> None:
    # b"\xc3\xa9" is valid UTF-8 (é), so surrogateescape gives no escape at all; the GBK
    # bytes must still come back and be read as GBK.
    text = b"\xc3\xa9".decode("gbk")
    raw = b"/?cmd=res&uid=test&mobile=13900008888&content=" + text.encode("gbk") + b"%B0%A1"
    (message,) = codec.decode_push(HttpRequest("GET", from_request_line(raw)), lookup)
    assert isinstance(message, InboundMessage)
    assert message.content == text + b"\xb0\xa1".decode("gbk")


def test_percent_escapes_and_raw_bytes_alike() -> None:
    escaped = quote_plus("回复", encoding="gbk")
    raw = f"/?cmd=res&uid=test&mobile=13900008888&content={escaped}".encode() + "测试".encode("gbk")
    (message,) = codec.decode_push(HttpRequest("GET", from_request_line(raw)), lookup)
    assert isinstance(message, InboundMessage) and message.content == "回复测试"


def test_post_push_with_its_data_in_the_query_string() -> None:
    query = "cmd=res&uid=test&mobileids=1390000888812869461937&mobile=13900008888&status=100"
    expected = Batch(
        (
            DeliveryReport(
                "13900008888", DeliveryStatus.DELIVERED, "100", client_id="1390000888812869461937"
            ),
        )
    )
    assert codec.decode_push(HttpRequest("POST", f"/notify?{query}"), lookup) == expected
    # A body that carries something else does not hide the query's data.
    noise = HttpRequest("POST", f"/notify?{query}", (), b"charset=gbk")
    assert codec.decode_push(noise, lookup) == expected


def test_a_broken_post_push_keeps_query_and_body_bytes() -> None:
    request = HttpRequest(
        "POST", "/n?cmd=res&uid=test&time=yesterday", (), b"mobile=1&content=%BB%D8"
    )
    batch = codec.decode_push(request, lookup)
    assert batch.items == ()
    assert batch.malformed == (b"cmd=res&uid=test&time=yesterday&mobile=1&content=%BB%D8",)


# ------------------------------------------------------------------ 11.5 status line, then records

OK_LINE = "sms&stat=100&message=发送成功"


def test_reports_after_a_status_line_are_read() -> None:
    # Quirk status-line-before-records.
    # §5's own example line after §4's success answer.
    body = f"{OK_LINE}\n18817660001,100,188176600011234556789, 2011-03-11 11:22:11"
    batch = codec.decode_response(FetchReports(), gbk(body), DOC)
    assert [(r.mobile, r.code, r.client_id) for r in batch] == [
        ("18817660001", "100", "188176600011234556789")
    ]
    assert batch.malformed == ()


@pytest.mark.parametrize(
    "body",
    [
        f"{OK_LINE}\n100{{&}}13912341234||短信测试回复||2008-05-27 12:10:11||1068112227282",
        f"{OK_LINE}\r\n13912341234||短信测试回复||2008-05-27 12:10:11||1068112227282",
        f"{OK_LINE}{{&}}13912341234||短信测试回复||2008-05-27 12:10:11||1068112227282",
    ],
)
def test_replies_after_a_status_line_are_read(body: str) -> None:
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [(m.mobile, m.content, m.destination) for m in batch] == [
        ("13912341234", "短信测试回复", "1068112227282")
    ]
    assert batch.malformed == ()


def test_send_records_after_a_status_line_are_read() -> None:
    body = f"{OK_LINE}\n1||1||1|#|2012-12-12 10:00:00||13800000000||你好||100"
    result = codec.decode_response(smscn.QuerySendRecords(), gbk(body), DOC)
    assert (result.total, result.count, result.pages) == (1, 1, 1)
    assert [(r.mobile, r.content, r.status) for r in result.records] == [
        ("13800000000", "你好", "100")
    ]


def test_send_records_after_a_status_line_without_counts_are_kept_raw() -> None:
    body = f"{OK_LINE}\n2012-12-12 10:00:00||13800000000||你好||100"
    result = codec.decode_response(smscn.QuerySendRecords(), gbk(body), DOC)
    assert result.records == ()
    assert result.malformed == ("2012-12-12 10:00:00||13800000000||你好||100".encode("gbk"),)


def test_a_refusal_line_before_records_keeps_every_byte() -> None:
    body = "sms&stat=103&message=操作失败\n18817660001,100,1, 2011-03-11 11:22:11"
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(FetchReports(), gbk(body), DOC)
    assert caught.value.code == "103" and caught.value.raw == body.encode("gbk")


def test_a_status_line_alone_is_still_an_empty_batch() -> None:
    for op in (FetchReports(), FetchInbound()):
        assert not codec.decode_response(op, gbk(OK_LINE), DOC)
    assert codec.decode_response(smscn.QuerySendRecords(), gbk(OK_LINE), DOC) == (
        smscn.SendRecords()
    )


# ------------------------------------------------------------------ 11.8 encode=utf8 everywhere

UTF8 = smscn.Codec(charset="utf-8")
CHINESE = smscn.Account("测试", "123123")


def chinese_lookup(uid: str) -> smscn.Account | None:
    return CHINESE if uid == "测试" else None


@pytest.mark.parametrize(
    "op",
    [
        FetchReports(),
        FetchInbound(),
        QueryBalance(),
        smscn.QuerySentCount(),
        smscn.QuerySendRecords(page=2, mobile="13800000000"),
        SendSms(("13800000000",), "你好"),
    ],
    ids=type,
)
def test_every_utf8_request_says_encode_utf8(op: object) -> None:
    # §2: "如提交的是UTF-8编码字符,需要添加参数encode=utf8"; §10 lists encode for /rd/.
    request = UTF8.encode_request(op, CHINESE, STAMP)  # type: ignore[arg-type]
    params = dict(parse_qsl(request.query, encoding="utf-8"))
    assert params["encode"] == "utf8"
    assert f"uid={quote_plus('测试', encoding='utf-8')}" in request.target
    assert params["pwd"] == hashlib.md5("123123测试".encode()).hexdigest()
    assert UTF8.decode_request(request, chinese_lookup) == (op, CHINESE)
    # And the GBK codec's server role, which is what the gateway is, reads it too.
    assert codec.decode_request(request, chinese_lookup)[1] == CHINESE


def test_a_utf8_uid_without_encode_is_refused_as_unknown() -> None:
    target = f"/st/?uid={quote_plus('测试', encoding='utf-8')}&pwd={CHINESE.password_md5}"
    with pytest.raises(GatewayError, match="101"):
        codec.decode_request(HttpRequest("GET", target), chinese_lookup)


def test_gbk_requests_carry_no_encode_parameter() -> None:
    for op in (FetchReports(), SendSms(("13800000000",), "你好")):
        assert "encode" not in codec.encode_request(op, DOC, STAMP).target


# ------------------------------------------------------------------ 11.10 GET or POST


def document_target(name: str) -> str:
    """The target of a document example as the client role writes it by GET."""
    request = SPEC.example(name).request
    assert request is not None
    return request.canonical_target or request.target


def test_method_post_posts_every_request_as_a_form() -> None:
    # Quirk get-post-every-endpoint.
    # §1 "通过HTTP的GET/POST方式交换"; §4 "[建议用POST方式提交]".
    post = smscn.Codec(method="POST")
    for name, op in [
        ("reports", FetchReports()),
        ("inbound", FetchInbound()),
        ("send-records", smscn.QuerySendRecords()),
    ]:
        path, _, query = document_target(name).partition("?")
        request = post.encode_request(op, DOC, STAMP)
        assert (request.method, request.target, request.body) == ("POST", path, query.encode())
        assert request.header("content-type") == "application/x-www-form-urlencoded"
        assert post.decode_request(request, lookup) == (op, DOC)
    send = SendSms(
        ("13900008888", "13100006666"),
        "发送测试",
        client_ids=("1390000888812869461937", "1310000666612869461937"),
    )
    request = post.encode_request(send, DOC, STAMP)
    path, _, query = document_target("send").partition("?")
    assert (request.method, request.target, request.body) == ("POST", path, query.encode())


def test_method_get_gets_everything_and_sends_at_most_50() -> None:
    # §4 "GET 方式每次最多可以提交50条号码".
    get = smscn.Codec(method="GET")
    assert get.encode_request(SendSms(numbers(50), "x"), DOC, STAMP).method == "GET"
    with pytest.raises(EncodeError, match="50"):
        get.encode_request(SendSms(numbers(51), "x"), DOC, STAMP)
    op = SendSms(numbers(120), "x", client_ids=tuple(str(i) for i in range(120)))
    parts = get.plan(op)
    assert [len(p.mobiles) for p in parts if isinstance(p, SendSms)] == [50, 50, 20]
    assert smscn.Codec(method="POST").plan(op) == (op,)


def test_auto_is_the_default_and_unchanged() -> None:
    assert codec.method == "auto"
    assert codec.encode_request(SendSms(numbers(50), "x"), DOC, STAMP).method == "GET"
    assert codec.encode_request(SendSms(numbers(51), "x"), DOC, STAMP).method == "POST"
    assert codec.encode_request(FetchReports(), DOC, STAMP).method == "GET"
    with pytest.raises(EncodeError, match="method"):
        smscn.Codec(method="PUT")


def test_server_role_reads_a_form_on_every_endpoint() -> None:
    for name in ("reports", "inbound", "send-records"):
        path, _, query = document_target(name).partition("?")
        request = HttpRequest("POST", path, (), query.encode())
        assert codec.decode_request(request, lookup)[1] == DOC


# ------------------------------------------------------------------ 11.13 unambiguous records


@example(text="回复|")
@example(text="|")
@example(text="a||b")
@example(text="||")
@given(text=st.text(st.sampled_from("|a回 ｜#{}&"), max_size=12).filter(lambda t: "{&}" not in t))
def test_reply_text_with_bars_is_read_from_both_ends(text: str) -> None:
    # Quirk rx-text-bars.
    # §6.1 "回复号码||回复内容||回复时间||回复网关号": the number is first, time and gateway last.
    body = f"100{{&}}13912341234||{text}||2008-05-27 12:10:11||1068112227282"
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == [text] and batch.malformed == ()


def test_a_reply_ending_in_a_bar_round_trips_through_the_server_role() -> None:
    message = InboundMessage("13912341234", "好|", datetime(2024, 1, 1, 8, tzinfo=CHINA))
    response = codec.encode_response(FetchInbound(), Batch((message,)), DOC)
    assert response.body == "100{&}13912341234||好|||2024-01-01 08:00:00||".encode("gbk")
    assert codec.decode_response(FetchInbound(), response, DOC) == Batch((message,))


@pytest.mark.parametrize("text", ["a||b", "a|", "|a", "||", "a||||b"])
def test_send_record_text_with_bars_is_read(text: str) -> None:
    # Quirk rd-text-bars.
    # §10 "发送时间||号码||内容||状态": time and number first, status last.
    body = f"1||1||1|#|2012-12-12 10:00:00||13800000000||{text}||100"
    result = codec.decode_response(smscn.QuerySendRecords(), gbk(body), DOC)
    assert [r.content for r in result.records] == [text] and result.malformed == ()
    rendered = codec.encode_response(smscn.QuerySendRecords(), result, DOC)
    assert rendered.body == body.encode("gbk")


@pytest.mark.parametrize("code", ["MK:0001", "DB:0140", "-1", "ID:0012", "UNDELIV"])
def test_statuses_beyond_letters_and_digits_are_read(code: str) -> None:
    # Quirk undefined-status-words.
    # The document defines no status values at all (quirk report-status-undefined).
    line = f"13800000000,{code},1, 2024-01-01 08:00:00"
    (report,) = codec.decode_response(FetchReports(), gbk(line), DOC)
    assert (report.code, report.status) == (code, DeliveryStatus.UNKNOWN)
    record = f"1||1||1|#|2012-12-12 10:00:00||13800000000||x||{code}"
    (sent,) = codec.decode_response(smscn.QuerySendRecords(), gbk(record), DOC).records
    assert sent.status == code
    push = f"/?cmd=res&uid=test&mobileids=1&mobile=13800000000&status={quote_plus(code)}"
    (pushed,) = codec.decode_push(HttpRequest("GET", push), lookup)
    assert isinstance(pushed, DeliveryReport) and pushed.code == code
    assert codec.encode_push(Batch((pushed,)), DOC)[0].target == push


@pytest.mark.parametrize("code", ["", "a b", "a|b", "a\tb"])
def test_statuses_that_blur_the_framing_stay_malformed(code: str) -> None:
    line = f"13800000000,{code},1, 2024-01-01 08:00:00"
    batch = codec.decode_response(FetchReports(), gbk(line), DOC)
    assert batch.items == () and batch.malformed == (line.encode("gbk"),)


# ------------------------------------------------------------------ 11.14 fifty records a page


def _records(n: int) -> smscn.SendRecords:
    at = datetime(2012, 12, 12, 10, tzinfo=CHINA)
    rows = tuple(smscn.SendRecord(at, f"138{i:08d}", "你好", "100") for i in range(n))
    return smscn.SendRecords(n, n, 1, rows)


def test_the_server_role_answers_at_most_50_records_a_page() -> None:
    # §10 "每次最多取50条记录，可以根据页数依次取完".
    op = smscn.QuerySendRecords()
    body = codec.encode_response(op, _records(50), DOC).body
    assert body.decode("gbk").count("|#|") == 50
    with pytest.raises(EncodeError, match="50"):
        codec.encode_response(op, _records(51), DOC)


# ------------------------------------------------------------------ 11.15 balances


@pytest.mark.parametrize("remain", ["-5", "12.5", "1e3", "+7", "１２", ""])
def test_a_remain_that_is_not_a_whole_count_is_refused(remain: str) -> None:
    # §7 "剩余可发短信" and §8 "已发短信" are numbers of messages.
    body = gbk(f"sms&stat=100&remain={remain}")
    for op in (QueryBalance(), smscn.QuerySentCount()):
        with pytest.raises(DecodeError) as caught:
            codec.decode_response(op, body, DOC)
        assert caught.value.raw == body.body


@pytest.mark.parametrize(
    "balance",
    [
        Balance(Decimal(-1)),
        Balance(Decimal("1.5")),
        Balance(Decimal(10), unit=BalanceUnit.MONEY),
        Balance(Decimal(10), gift=Decimal(0)),
    ],
)
def test_only_a_whole_message_count_is_rendered(balance: Balance) -> None:
    with pytest.raises(EncodeError):
        codec.encode_response(QueryBalance(), balance, DOC)


def test_a_negative_sent_count_is_not_rendered() -> None:
    with pytest.raises(EncodeError):
        codec.encode_response(smscn.QuerySentCount(), -1, DOC)
    assert codec.encode_response(smscn.QuerySentCount(), 0, DOC).body == b"sms&stat=100&remain=0"


# ------------------------------------------------------------------ 11.16 the shared report rule


def test_report_codes_follow_the_shared_rule() -> None:
    codes = ["100", "101", "0", "DELIVRD", "MK:0001", "-1"]
    # §5 prints only 100 (§4's 发送成功): delivered; every other value is unknown.
    shared = [DeliveryStatus.DELIVERED] + [DeliveryStatus.UNKNOWN] * 5
    assert [shared_records.report_status(smscn.REPORT_STATUS, c) for c in codes] == shared
    assert [smscn.report_status(c) for c in codes] == shared
    body = "\n".join(f"13800000000,{c},, 2024-01-01 08:00:00" for c in codes)
    batch = codec.decode_response(FetchReports(), gbk(body), DOC)
    assert [(r.code, r.status) for r in batch] == list(zip(codes, shared, strict=True))


# ------------------------------------------------------------------ 11.18 lone surrogates


@pytest.mark.parametrize(
    "target",
    ["/mt/?uid=test&content=\ud800", "/st/?uid=te\udfffst&pwd=x", "/mt\ud83d/?uid=test"],
)
def test_a_lone_surrogate_in_a_server_target_is_a_decode_error(target: str) -> None:
    for method in ("GET", "POST"):
        with pytest.raises((DecodeError, GatewayError)):
            codec.decode_request(HttpRequest(method, target), lookup)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_lone_surrogate_in_a_push_target_is_a_decode_error(method: str) -> None:
    target = "/?cmd=res&uid=test&mobile=13800000000&content=\ud800"
    with pytest.raises(DecodeError):
        codec.decode_push(HttpRequest(method, target), lookup)


_TARGET_TEXT = st.text(
    st.one_of(st.sampled_from("&=%|,{}#+ "), st.characters(categories=("Cs", "Lo", "Nd"))),
    max_size=60,
)


@given(
    query=_TARGET_TEXT,
    method=st.sampled_from(["GET", "POST"]),
    path=st.sampled_from(["/mt/", "/mtutf8/", "/st/", "/rx/", "/mm/", "/rd/"]),
)
def test_targets_with_surrogates_raise_only_smswire_errors(
    query: str, method: str, path: str
) -> None:
    with contextlib.suppress(SmsWireError):
        codec.decode_request(HttpRequest(method, f"{path}?uid=test&{query}"), lookup)
    with contextlib.suppress(SmsWireError):
        codec.decode_push(HttpRequest(method, f"/?uid=test&{query}"), lookup)


# ------------------------------------------------------------------ 11.20 /mtutf8/
#
# The document lists only /mt/ with encode=utf8. Public clients send UTF-8 text to
# /mtutf8/ instead (quirk mtutf8-endpoint), for instance
# daixianceng/yii2-smser src/CloudSmser.php and emnabs/yii2-smser transport/Cloud.php
# (curl POST of http_build_query(uid, pwd = md5(password . uid), mobile, content),
# no encode parameter, the answer read with parse_str for stat and message), and
# mo-xiaoxi/CTF_Web_docker HCTF2018/finalweb1/html/function/api/telcode/user_regcode.class.php
# (a hand-built POST form of rawurlencode()d uid, pwd, mobile, content, empty mobileids
# and time).

TEXT = "您的验证码为：123456，请勿泄露。【云信】"


def test_what_yii2_smser_posts_to_mtutf8_is_a_send() -> None:
    # http_build_query is urlencode(): quote_plus in the script's (UTF-8) charset.
    form = urlencode(
        {"uid": "test", "pwd": DOC_PWD, "mobile": "15895326302", "content": TEXT}, encoding="utf-8"
    )
    request = HttpRequest(
        "POST", "/mtutf8/", (("Content-Type", "application/x-www-form-urlencoded"),), form.encode()
    )
    op, account = codec.decode_request(request, lookup)
    assert (op, account) == (SendSms(("15895326302",), TEXT), DOC)
    answer = codec.encode_response(op, codec.decode_response(op, gbk(OK_LINE), DOC), DOC)
    # What the client's parse_str looks for: stat=100 (the answer stays GBK, §2).
    assert dict(parse_qsl(answer.body.decode("gbk")))["stat"] == "100"


def test_what_a_rawurlencode_client_posts_to_mtutf8_is_a_send() -> None:
    fields = {
        "uid": "test",
        "pwd": DOC_PWD,
        "mobile": "13800000000,13900000000",
        "content": TEXT + " ~",
        "mobileids": "",
        "time": "",
    }
    # rawurlencode is RFC 3986: a space is %20, "~" stays.
    form = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in fields.items())
    op, _ = codec.decode_request(HttpRequest("POST", "/mtutf8/", (), form.encode()), lookup)
    assert op == SendSms(("13800000000", "13900000000"), TEXT + " ~")


def test_mtutf8_by_get_with_encode_utf8_too() -> None:
    # A Java client in public code appends encode=utf8 and URLEncoder.encode(text, "UTF-8").
    target = (
        f"/mtutf8/?uid=test&pwd={DOC_PWD}&mobile=15201992294&encode=utf8"
        f"&content={quote_plus(TEXT, encoding='utf-8')}"
    )
    assert codec.decode_request(HttpRequest("GET", target), lookup)[0] == SendSms(
        ("15201992294",), TEXT
    )


def test_mtutf8_keeps_the_send_checks() -> None:
    target = f"/mtutf8/?uid=test&pwd={DOC_PWD}&mobile=1390000test&content=x"
    with pytest.raises(GatewayError, match="112"):
        codec.decode_request(HttpRequest("GET", target), lookup)
    many = ",".join(numbers(51))
    target = f"/mtutf8/?uid=test&pwd={DOC_PWD}&mobile={many}&content=x"
    with pytest.raises(GatewayError, match="106"):
        codec.decode_request(HttpRequest("GET", target), lookup)
    target = f"/mtutf8/?uid=test&pwd={DOC_PWD}&mobile=13800000000&content=%B7%A2"
    with pytest.raises(GatewayError, match="104"):  # GBK bytes are not UTF-8 text
        codec.decode_request(HttpRequest("GET", target), lookup)


def test_the_client_role_offers_mtutf8() -> None:
    sender = smscn.Codec(charset="utf-8", mtutf8=True)
    request = sender.encode_request(SendSms(("15895326302",), TEXT), DOC, STAMP)
    assert request == HttpRequest(
        "GET",
        f"/mtutf8/?uid=test&pwd={DOC_PWD}&mobile=15895326302"
        f"&content={quote_plus(TEXT, encoding='utf-8')}",
    )
    assert codec.decode_request(request, lookup)[0] == SendSms(("15895326302",), TEXT)
    # Reads keep their documented paths, declaring UTF-8.
    assert sender.encode_request(FetchReports(), DOC, STAMP).target.startswith("/st/?")
    with pytest.raises(EncodeError, match="utf-8"):
        smscn.Codec(mtutf8=True)


def test_mtutf8_is_a_quirk_and_an_endpoint() -> None:
    # Quirk mtutf8-endpoint.
    assert SPEC.endpoints["send_utf8"] == "/mtutf8/"
    quirk = next(q for q in SPEC.quirks if q.id == "mtutf8-endpoint")
    assert "daixianceng/yii2-smser" in quirk.description


# ------------------------------------------------------------------ fuzz: linear on separators

SEPARATORS = ["{&}", "||", "|#|", ",", "&", "=", "\n"]


def _body(separator: str, size: int, prefix: str = "") -> str:
    # A fresh string each call: distinct bodies live in distinct memory.
    return "".join([prefix, separator * ((size - len(prefix)) // len(separator))])


OPS = {
    "send": SendSms(("13800000000",), "x"),
    "balance": QueryBalance(),
    "sent-count": smscn.QuerySentCount(),
    "reports": FetchReports(),
    "inbound": FetchInbound(),
    "send-records": smscn.QuerySendRecords(),
}
PREFIXES = ["", "100", "sms&stat=100&message=", "1||1||1|#|"]


def _try(call: Callable[[], object]) -> object:
    try:
        return call()
    except SmsWireError as exc:
        return exc


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
@pytest.mark.parametrize("name", sorted(OPS))
def test_client_decoders_stay_linear(name: str, separator: str) -> None:
    op = OPS[name]

    def build(size: int) -> Callable[[], object]:
        responses = [gbk(_body(separator, size, prefix)) for prefix in PREFIXES]
        return lambda: [_try(lambda r=r: codec.decode_response(op, r, DOC)) for r in responses]

    assert_linear(build, f"{name} {separator!r}")


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
@pytest.mark.parametrize("path", ["/mt/", "/mtutf8/", "/rd/"])
def test_server_decoder_stays_linear(path: str, separator: str) -> None:
    auth = f"uid=test&pwd={DOC_PWD}&mobile="

    def build(size: int) -> Callable[[], object]:
        text = _body(separator, size, auth)
        requests = [
            HttpRequest("GET", f"{path}?{text}"),
            HttpRequest("POST", path, (), text.encode()),
        ]
        return lambda: [_try(lambda r=r: codec.decode_request(r, lookup)) for r in requests]

    assert_linear(build, f"{path} {separator!r}")


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_push_decoder_stays_linear(separator: str) -> None:
    def build(size: int) -> Callable[[], object]:
        text = _body(separator, size, "cmd=res&uid=test&mobile=1&content=")
        requests = [HttpRequest("GET", f"/?{text}"), HttpRequest("POST", "/", (), text.encode())]
        return lambda: [_try(lambda r=r: codec.decode_push(r, lookup)) for r in requests]

    assert_linear(build, f"push {separator!r}")


def test_megabyte_bodies_of_separators_raise_only_smswire_errors() -> None:
    for separator in SEPARATORS:
        for prefix in PREFIXES:
            response = gbk(_body(separator, 1_000_000, prefix))
            for op in OPS.values():
                result = _try(lambda op=op, r=response: codec.decode_response(op, r, DOC))
                assert isinstance(
                    result, (SmsWireError, Batch, smscn.SendRecords, int, Balance, SendResult)
                )
                if isinstance(result, DecodeError):
                    assert result.raw == response.body


def test_the_simulator_serves_mtutf8_through_the_codec() -> None:
    from smswire.transports.sim import Simulator

    sim = Simulator(rate_limits=False)
    account = sim.new_account("smscn")
    form = urlencode(
        {"uid": account.uid, "pwd": account.password_md5, "mobile": "15895326302", "content": TEXT},
        encoding="utf-8",
    )
    answer = sim.handle([sim.profiles["smscn"]], HttpRequest("POST", "/mtutf8/", (), form.encode()))
    assert answer.body == "sms&stat=100&message=发送成功".encode("gbk")
    (sent,) = sim.state("smscn", account.uid).sent()
    assert (sent.mobile, sent.content) == ("15895326302", TEXT)
