"""esms100 against the document's words (issue 11 items 3, 4, 8, 10, 15, 16, 18; issue 17).

Every expected value comes from a quotation of ``esms100.txt``, from
``hashlib``/``urllib.parse`` computed here, or from literals a reader of the
document writes down; never from the codec's own encoder or server role.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qsl, quote_plus, urlencode

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
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    SendSms,
    SmsWireError,
    Stamp,
    esms100,
)

CHINA = timezone(timedelta(hours=8))
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
GBK = esms100.Codec()
UTF8 = esms100.Codec(charset="utf-8")
#: The document's only credential: cpid 10000 and its upper-case MD5 'cppwd'.
CPPWD = "2D732A5F09BCC1E78039C1099E60F701"
DOC = esms100.Account("10000", cppwd=CPPWD)
CHANGE = esms100.ChangePassword("mynewpassword")
ALL_OPS: list[Operation[object]] = [
    SendSms(("13866668888",), "test"),
    FetchInbound(),
    QueryBalance(),
    FetchReports(),
    CHANGE,
]


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(cpid: str) -> esms100.Account | None:
    return DOC if cpid == "10000" else None


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


# --------------------------------------------------------------- 11.3 reply framing
# §5: "返回值第一行为回复信息数量" … "回复信息的时间,手机号码,内容等各项之间用##分隔.
# 回复每条信息以||分隔".


def test_reply_text_holding_double_bar_is_one_reply() -> None:
    # One reply announced; its text is 'a||b'.
    body = "1\n2010-03-16 12:00##13866889900##a||b"
    batch = GBK.decode_response(FetchInbound(), gbk(body), DOC)
    assert [(m.mobile, m.content) for m in batch] == [("13866889900", "a||b")]
    assert batch.malformed == ()


def test_reply_text_ending_in_bar_keeps_the_next_record() -> None:
    # 'x|' + '||' + next record: the last two bars are the separator.
    body = "2\n2010-03-16 12:00##13866889900##x|||2010-03-16 13:00##13866889911##y"
    batch = GBK.decode_response(FetchInbound(), gbk(body), DOC)
    assert [(m.mobile, m.content, m.received_at) for m in batch] == [
        ("13866889900", "x|", when("2010-03-16T12:00")),
        ("13866889911", "y", when("2010-03-16T13:00")),
    ]
    assert batch.malformed == ()


def test_reply_texts_of_bars_only_rejoin_by_the_count() -> None:
    body = (
        "3\n2010-03-16 12:00##13866889900##||"
        "||2010-03-16 12:01:30##13866889911#|"
        "||2010-03-16 12:02##13866889922##a||b|"
    )
    batch = GBK.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["||", "|", "a||b|"]
    assert batch.malformed == ()


def test_count_agreeing_with_a_broken_record_keeps_it_raw() -> None:
    # Three announced, three '||' fragments: the middle one is not a record.
    body = "3\n2010-03-16 12:00##13866889900##好||garbage||2010-03-16 14:00##13866889922##也好"
    batch = GBK.decode_response(FetchInbound(), gbk(body), DOC)
    assert [m.content for m in batch] == ["好", "也好"]
    assert batch.malformed == (b"garbage",)


@pytest.mark.parametrize(
    ("count", "records"),
    [
        # More announced than sent (a cut answer).
        ("3", "2010-03-16 12:00##13866889900##回复1||2010-03-16 13:00##13866889911##回复2"),
        # Fewer announced than there are record heads: a text holds a record's shape.
        ("1", "2010-03-16 12:00##13866889900##a||2010-03-16 13:00##13866889911##b"),
        # '0' is "无回复信息", yet a record follows.
        ("0", "2010-03-16 12:00##13866889900##回复"),
    ],
)
def test_count_disagreeing_with_records_keeps_every_byte(count: str, records: str) -> None:
    batch = GBK.decode_response(FetchInbound(), gbk(f"{count}\r\n{records}\r\n"), DOC)
    assert batch.items == ()
    assert batch.malformed == (records.encode("gbk"),)


def test_count_with_no_records_is_a_decode_error() -> None:
    with pytest.raises(DecodeError) as caught:
        GBK.decode_response(FetchInbound(), gbk("2\n"), DOC)
    assert caught.value.raw == b"2\n"


def test_negative_first_line_of_replies_is_a_status_code() -> None:
    # Quirk mo-first-line-status-or-count: the layout block calls the line "状态码".
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(FetchInbound(), gbk("-1"), DOC)
    assert (caught.value.code, caught.value.kind) == ("-1", ErrorKind.AUTH)


@pytest.mark.parametrize("text", ["a||b", "ends in |", "||", "|", "x|||y", "a||||"])
def test_server_role_renders_bar_texts_the_client_reads_back(text: str) -> None:
    replies = (
        InboundMessage("13866889900", text, when("2010-03-16T12:00")),
        InboundMessage("13866889911", "回复内容 2", when("2010-03-16T13:00:05")),
    )
    response = GBK.encode_response(FetchInbound(), Batch(replies), DOC)
    assert response.body.startswith(b"2\n")
    assert GBK.decode_response(FetchInbound(), response, DOC) == Batch(replies)


_BAR_TEXTS = st.lists(
    st.sampled_from(["a", "|", "||", "回", "#", " ", "2010-03-16 12:00", "##1#", "\r\n"]),
    max_size=8,
).map("".join)


@given(texts=st.lists(_BAR_TEXTS, min_size=1, max_size=5))
@example(texts=["a||b"])
@example(texts=["x|", "y"])
@example(texts=["||", "|", "a||b|"])
def test_bar_texts_frame_or_are_refused_never_misread(texts: list[str]) -> None:
    replies = tuple(
        InboundMessage(f"1386688990{i}", t, when(f"2010-03-16T12:0{i}"))
        for i, t in enumerate(texts)
    )
    try:
        response = GBK.encode_response(FetchInbound(), Batch(replies), DOC)
    except EncodeError:
        # Refused only for a record head after '||' or a final line break.
        assert any("||" in t or t.endswith(("\r", "\n")) for t in texts)
        return
    assert GBK.decode_response(FetchInbound(), response, DOC) == Batch(replies)


# --------------------------------------------------------------- 11.4 success is "0"


@pytest.mark.parametrize("body", ["1", "100", "1\r\n"])
def test_send_answer_other_than_zero_is_a_refusal(body: str) -> None:
    # §4: "返回值“0”表示提交成功，否则返回错误代码".
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(SendSms(("13866668888",), "test"), gbk(body), DOC)
    assert caught.value.code == body.strip()
    assert caught.value.kind is ErrorKind.UNKNOWN
    assert caught.value.raw == body.encode()


@pytest.mark.parametrize("body", ["1", "2", "100"])
def test_password_change_answer_other_than_zero_is_a_refusal(body: str) -> None:
    # §8: "“0”-成功，“-1”-失败".
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(CHANGE, gbk(body), DOC)
    assert caught.value.code == body
    assert caught.value.kind is ErrorKind.UNKNOWN


def test_documented_codes_keep_their_table_kind() -> None:
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(CHANGE, gbk("-1"), DOC)
    assert caught.value.kind is ErrorKind.AUTH  # "-1 失败、用户或密码错误"
    assert GBK.decode_response(CHANGE, gbk("0"), DOC) is None


def test_answer_that_is_no_code_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        GBK.decode_response(SendSms(("13866668888",), "test"), gbk("OK"), DOC)


def test_server_role_answers_a_count_operation_only_with_a_negative_refusal() -> None:
    # A positive number answering /qamount/ or /mo/ is a balance or a count, not a refusal.
    for op in [QueryBalance(), FetchInbound(), FetchReports()]:
        with pytest.raises(EncodeError):
            GBK.encode_response(op, esms100.SPEC.error("1"), DOC)
        assert GBK.encode_response(op, esms100.SPEC.error("-10"), DOC).body == b"-10"
    assert GBK.encode_response(CHANGE, esms100.SPEC.error("1"), DOC).body == b"1"
    for code in ["0", "x"]:  # success, and no code at all, are no refusal to write
        with pytest.raises(EncodeError):
            GBK.encode_response(CHANGE, GatewayError("esms100", code, "?"), DOC)


# --------------------------------------------------------------- 11.8 encode=utf8


def _params(request: HttpRequest, charset: str) -> dict[str, str]:
    query = request.body.decode("ascii") if request.method == "POST" else request.query
    return dict(parse_qsl(query, encoding=charset, keep_blank_values=True))


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: type(op).__name__)
def test_utf8_codec_says_encode_utf8_on_every_request(op: Operation[object], method: str) -> None:
    # §2: "如提交的是UTF-8 编码字符,需要添加参数 encode=utf8" (quirk encode-listed-only-for-mt).
    account = esms100.Account("测试", password="pw")
    request = esms100.Codec(charset="utf-8", method=method).encode_request(op, account, STAMP)
    params = _params(request, "utf-8")
    assert params["encode"] == "utf8"
    assert params["cpid"] == "测试"
    wire = request.body.decode("ascii") if method == "POST" else request.target
    assert f"cpid={quote_plus('测试', encoding='utf-8')}&" in wire
    # The server role reads the UTF-8 cpid back because the request says so.
    seen: list[str] = []

    def find(cpid: str) -> esms100.Account | None:
        seen.append(cpid)
        return account if cpid == "测试" else None

    assert UTF8.decode_request(request, find) == (op, account)
    assert seen == ["测试"]


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: type(op).__name__)
def test_gbk_codec_sends_no_encode_parameter(op: Operation[object]) -> None:
    request = GBK.encode_request(op, esms100.Account("测试", password="pw"), STAMP)
    assert "encode" not in _params(request, "gbk")
    assert f"cpid={quote_plus('测试', encoding='gbk')}&" in request.target


_KINDS = {"/mo/": FetchInbound, "/qamount/": QueryBalance, "/qreport/": FetchReports}


def test_server_role_takes_encode_utf8_on_every_endpoint() -> None:
    for path in ["/mo/", "/qamount/", "/qreport/"]:
        target = f"{path}?cpid={quote_plus('测试')}&cppwd={CPPWD}&encode=utf8"
        account = esms100.Account("测试", cppwd=CPPWD)
        op, who = GBK.decode_request(HttpRequest("GET", target), {"测试": account}.get)
        assert (type(op), who) == (_KINDS[path], account)


# --------------------------------------------------------------- 11.10 GET and POST
# §1: "即通过 HTTP 的 GET/POST 方式交换" (quirk post-without-example).


def test_default_method_is_the_documents_get() -> None:
    request = GBK.encode_request(SendSms(("13866668888", "13988889999"), "test"), DOC, STAMP)
    assert request.method == "GET" and request.body == b""
    assert request.target == (
        f"/mt/?cpid=10000&cppwd={CPPWD}&phone=13866668888,13988889999&msgtext=test"
    )


def test_post_sends_a_form_body_in_the_charset() -> None:
    codec = esms100.Codec(method="POST")
    request = codec.encode_request(SendSms(("13866668888", "13988889999"), "你好 |"), DOC, STAMP)
    assert (request.method, request.target) == ("POST", "/mt/")
    assert request.header("content-type") == "application/x-www-form-urlencoded"
    assert request.body == (
        f"cpid=10000&cppwd={CPPWD}&phone=13866668888,13988889999&msgtext="
        + quote_plus("你好 |", encoding="gbk")
    ).encode("ascii")


@pytest.mark.parametrize("charset", ["gbk", "utf-8"])
def test_server_role_reads_a_post_form(charset: str) -> None:
    fields = {"cpid": "10000", "cppwd": CPPWD, "phone": "13866668888", "msgtext": "发送测试"}
    if charset == "utf-8":
        fields["encode"] = "utf8"
    body = urlencode(fields, encoding=charset).encode("ascii")
    form = (("Content-Type", "application/x-www-form-urlencoded"),)
    op, account = GBK.decode_request(HttpRequest("POST", "/mt/", form, body), lookup)
    assert op == SendSms(("13866668888",), "发送测试")
    assert account is DOC


def test_server_role_reads_raw_gbk_in_a_post_form() -> None:
    # Clients that skip urlencode() put the GBK bytes in the body as they are.
    body = f"cpid=10000&cppwd={CPPWD}&phone=13866668888&msgtext=".encode() + "短信".encode("gbk")
    op, _ = GBK.decode_request(HttpRequest("POST", "/mt/", (), body), lookup)
    assert op == SendSms(("13866668888",), "短信")


def test_server_role_reads_a_post_for_every_endpoint() -> None:
    # Before: a POST was answered -3 ("缺少密码"): the form was never read.
    for path, op in [("/mo/", FetchInbound()), ("/qamount/", QueryBalance())]:
        body = urlencode({"cpid": "10000", "cppwd": CPPWD}).encode()
        assert GBK.decode_request(HttpRequest("POST", path, (), body), lookup) == (op, DOC)
    body = urlencode({"cpid": "10000", "oldpwd": CPPWD, "newpwd": "mynewpassword"}).encode()
    assert GBK.decode_request(HttpRequest("POST", "/ent/", (), body), lookup) == (CHANGE, DOC)


def test_other_methods_are_refused() -> None:
    with pytest.raises(EncodeError, match="method"):
        esms100.Codec(method="PUT")
    with pytest.raises(DecodeError, match="GET or POST"):
        GBK.decode_request(HttpRequest("PUT", f"/mo/?cpid=10000&cppwd={CPPWD}"), lookup)


def test_simulator_serves_post_and_utf8_through_the_codec() -> None:
    from smswire.transports import Client
    from smswire.transports.sim import SimServer, Simulator

    with SimServer(Simulator(rate_limits=False)) as server:
        account = server.simulator.new_account("esms100", balance=Decimal(50))
        codec = esms100.Codec(charset="utf-8", method="POST")
        with Client(codec, account, server.url("esms100"), rate_limit=False) as client:
            assert client.balance() == Balance(Decimal(50))
            client.send(["13866668888"], "你好😀")  # only UTF-8 carries the emoji
            server.simulator.inject_reply("esms100", "13700137000", "好||的|", account.cpid)
            assert [m.content for m in client.fetch_inbound()] == ["好||的|"]
        sent = server.simulator.state("esms100", account.cpid).sent()
        assert [(m.mobile, m.content) for m in sent] == [("13866668888", "你好😀")]


# --------------------------------------------------------------- 11.15 balances
# §6: "“0”或正整数为剩余条数，小于 0 为错误代码".


def test_balance_is_a_whole_message_count() -> None:
    assert GBK.decode_response(QueryBalance(), gbk("1000"), DOC) == Balance(Decimal(1000))
    assert GBK.decode_response(QueryBalance(), gbk("0\r\n"), DOC) == Balance(Decimal(0))
    with pytest.raises(GatewayError) as caught:
        GBK.decode_response(QueryBalance(), gbk("-10"), DOC)
    assert caught.value.kind is ErrorKind.BALANCE
    for body in ["12.5", "+5", "1e3", "１０"]:
        with pytest.raises(DecodeError):
            GBK.decode_response(QueryBalance(), gbk(body), DOC)


@pytest.mark.parametrize(
    "balance",
    [
        Balance(Decimal("12.5")),
        Balance(Decimal(5), BalanceUnit.MONEY),
        Balance(Decimal(5), gift=Decimal(0)),
        Balance(Decimal(-1)),
    ],
)
def test_server_role_refuses_what_is_no_message_count(balance: Balance) -> None:
    with pytest.raises(EncodeError):
        GBK.encode_response(QueryBalance(), balance, DOC)


# --------------------------------------------------------------- 11.16 report codes
# §7: "状态报告值为整数（0-未收到状态报告，1-发送成功，2-发送失败）".


def test_undocumented_report_code_is_unknown_and_kept() -> None:
    body = "2\n2010-07-12 11:21:24||13855889933||7\n2010-07-12 11:25:52||13855889944||1"
    batch = GBK.decode_response(FetchReports(), gbk(body), DOC)
    assert [(r.mobile, r.code, r.status) for r in batch] == [
        ("13855889933", "7", DeliveryStatus.UNKNOWN),
        ("13855889944", "1", DeliveryStatus.DELIVERED),
    ]
    assert batch.malformed == ()
    assert GBK.encode_response(FetchReports(), batch, DOC).body == body.encode()


def test_report_without_a_status_stays_raw() -> None:
    body = "1\n2010-07-12 11:21:24||13855889933||"
    batch = GBK.decode_response(FetchReports(), gbk(body), DOC)
    assert batch.items == ()
    assert batch.malformed == (b"2010-07-12 11:21:24||13855889933||",)


def test_server_role_refuses_a_code_that_contradicts_its_status() -> None:
    report = DeliveryReport("13855889933", DeliveryStatus.FAILED, "7", sent_at=STAMP.now)
    with pytest.raises(EncodeError):
        GBK.encode_response(FetchReports(), Batch((report,)), DOC)


# --------------------------------------------------------------- 11.18 surrogates in targets


@pytest.mark.parametrize("path", ["/mt/", "/mo/", "/qamount/", "/qreport/", "/ent/"])
def test_lone_surrogate_in_target_is_a_decode_error(path: str) -> None:
    target = f"{path}?cpid=10000&cppwd={CPPWD}&oldpwd={CPPWD}&phone=1&msgtext=\ud800&newpwd=x"
    with pytest.raises(DecodeError):
        GBK.decode_request(HttpRequest("GET", target), lookup)
    with pytest.raises(DecodeError):
        GBK.decode_request(HttpRequest("GET", f"{path}\udfff?cpid=10000"), lookup)


def test_raw_gbk_bytes_of_a_request_line_are_read_in_gbk() -> None:
    # The target convention: request-line bytes decoded as UTF-8 with surrogateescape.
    line = f"/mt/?cpid=10000&cppwd={CPPWD}&phone=13866668888&msgtext=这条是测试短信"
    target = line.encode("gbk").decode("utf-8", "surrogateescape")
    op, _ = GBK.decode_request(HttpRequest("GET", target), lookup)
    assert op == SendSms(("13866668888",), "这条是测试短信")


# --------------------------------------------------------------- issue 17: cppwd, limits


def test_lower_case_cppwd_goes_out_upper_case() -> None:
    # §4: "密码，32 位 MD5 加密后的密文，大写".
    lower = hashlib.md5(b"mypassword").hexdigest()
    assert lower != lower.upper()
    account = esms100.Account("10000", cppwd=lower)
    for op in ALL_OPS:
        params = _params(GBK.encode_request(op, account, STAMP), "gbk")
        key = "oldpwd" if op is CHANGE else "cppwd"
        assert params[key] == hashlib.md5(b"mypassword").hexdigest().upper()


def _send_target(mobiles: list[str], text: str) -> HttpRequest:
    query = urlencode(
        {"cpid": "10000", "cppwd": CPPWD, "phone": ",".join(mobiles), "msgtext": text},
        encoding="gbk",
    )
    return HttpRequest("GET", f"/mt/?{query}")


def test_server_role_takes_exactly_1000_numbers() -> None:
    # §4 "phone 不多于1000 号码"; 附表 "-8 超过单次允许提交号码数量上限".
    numbers = [f"138{i:08d}" for i in range(1001)]
    op, _ = GBK.decode_request(_send_target(numbers[:1000], "x"), lookup)
    assert len(op.mobiles) == 1000
    with pytest.raises(GatewayError) as caught:
        GBK.decode_request(_send_target(numbers, "x"), lookup)
    assert caught.value.code == "-8"


def test_server_role_takes_exactly_134_characters() -> None:
    # §4 "msgtext 不多于 134字"; 附表 "-7 内容过长".
    op, _ = GBK.decode_request(_send_target(["13866668888"], "字" * 134), lookup)
    assert op.content == "字" * 134
    with pytest.raises(GatewayError) as caught:
        GBK.decode_request(_send_target(["13866668888"], "字" * 135), lookup)
    assert caught.value.code == "-7"


# --------------------------------------------------------------- fuzz: separators, surrogates

SEPARATORS = ["||", "##", "|", "\n", "|#\n", "||2010-03-16 12:00##1#"]
MEGABYTE = 1 << 20


def _decode(op: Operation[object], body: bytes) -> None:
    try:
        GBK.decode_response(op, HttpResponse(200, (), body), DOC)
    except DecodeError as exc:
        assert exc.raw == body
    except SmsWireError:
        pass


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: type(op).__name__)
def test_megabyte_of_separators_gives_a_result_or_an_smswire_error(
    op: Operation[object], separator: str
) -> None:
    unit = separator.encode()
    for head in [b"", b"1\n", b"3\n"]:
        _decode(op, head + unit * (MEGABYTE // len(unit)))


def _server_requests(filler: str) -> list[HttpRequest]:
    auth = f"cpid=10000&cppwd={CPPWD}"
    return [
        HttpRequest("GET", f"/mt/?{filler}"),
        HttpRequest("GET", f"/mt/?{auth}&phone={filler}&msgtext=x"),
        HttpRequest("GET", f"/mt/?{auth}&phone=13866668888&msgtext={filler}"),
        HttpRequest("POST", "/mo/", (), filler.encode("utf-8", "surrogatepass")),
        HttpRequest("GET", f"/ent/?cpid=10000&oldpwd={CPPWD}&newpwd={filler}"),
    ]


#: A raw byte 0xFF as a request line carries it, and a lone surrogate (no byte at all).
ESCAPED_FF, LONE = chr(0xDCFF), chr(0xD800)


@pytest.mark.parametrize("separator", [*SEPARATORS, "&", ",", "%7C", "%", ESCAPED_FF, LONE])
def test_megabyte_targets_give_an_op_or_an_smswire_error(separator: str) -> None:
    for request in _server_requests(separator * (MEGABYTE // len(separator))):
        with contextlib.suppress(SmsWireError):
            GBK.decode_request(request, lookup)


@given(
    value=st.text(st.characters(categories=("Cs", "Lo", "P", "Nd")), max_size=40),
    path=st.sampled_from(["/mt/", "/mo/", "/qamount/", "/qreport/", "/ent/"]),
)
@example(value="\ud800", path="/mt/")
@example(value="\udcb2\udce2", path="/mt/")  # raw GBK bytes, surrogate-escaped: fine
def test_surrogates_in_targets_raise_only_smswire_errors(value: str, path: str) -> None:
    target = f"{path}?cpid=10000&cppwd={CPPWD}&oldpwd={CPPWD}&phone=1&msgtext={value}&newpwd=a"
    for codec in (GBK, UTF8):
        with contextlib.suppress(SmsWireError):
            codec.decode_request(HttpRequest("GET", target), lookup)


# --------------------------------------------------------------- linearity
# Issue 11 "Must show": time per byte on a ~1 MB body within 3x of a ~10 KB body,
# measured as a ratio in one run (tests/_linearity.py says how).

_REPLY = "2010-03-16 12:00##13866889900##回复a||b|"
_REPORT = "2010-07-12 11:21:24||13855889933||7\n"

# Each case: op, and the body of about n bytes it decodes.
CLIENT_CASES: dict[str, tuple[Operation[object], Callable[[int], str]]] = {
    "send-bars": (ALL_OPS[0], lambda n: "0" + "||" * (n // 2)),
    "balance-newlines": (QueryBalance(), lambda n: "1000" + "\n" * n),
    "password-hashes": (CHANGE, lambda n: "##" * (n // 2)),
    "replies-rejoined": (
        FetchInbound(),
        lambda n: f"{n // len(_REPLY)}\n" + "||".join([_REPLY] * (n // len(_REPLY))),
    ),
    "replies-disagreeing": (FetchInbound(), lambda n: "1\n" + "||".join([_REPLY] * (n // 40))),
    "replies-bars": (FetchInbound(), lambda n: "2\n" + "|" * n),
    "replies-head-bars": (FetchInbound(), lambda n: "5\n" + "||2010-03-16 12:00##1#" * (n // 22)),
    "reports-unknown-codes": (FetchReports(), lambda n: "1\n" + _REPORT * (n // len(_REPORT))),
    "reports-separators": (FetchReports(), lambda n: "1\n" + "||\n##|" * (n // 7)),
}


@pytest.mark.parametrize("case", sorted(CLIENT_CASES))
def test_client_decoders_are_linear(case: str) -> None:
    op, body = CLIENT_CASES[case]

    def build(n: int) -> Callable[[], object]:
        response = HttpResponse(200, (), body(n).encode("gbk"))
        return lambda: GBK.decode_response(op, response, DOC)

    assert_linear(build, case)


SERVER_CASES: dict[str, Callable[[int], HttpRequest]] = {
    "ampersands": lambda n: HttpRequest("GET", "/mt/?" + "&" * n),
    "commas": lambda n: _server_requests("," * n)[1],
    "escaped-bars": lambda n: _server_requests("%7C" * (n // 3))[2],
    "post-separators": lambda n: _server_requests("||##|\n" * (n // 6))[3],
    "raw-bytes": lambda n: _server_requests("\udcff" * n)[2],
    "surrogate-at-end": lambda n: HttpRequest("GET", "/mo/?cpid=" + "1" * n + "\ud800"),
}


@pytest.mark.parametrize("case", sorted(SERVER_CASES))
def test_server_decoder_is_linear(case: str) -> None:
    def build(n: int) -> Callable[[], object]:
        request = SERVER_CASES[case](n)
        return lambda: GBK.decode_request(request, lookup)

    assert_linear(build, case)
