"""smscn requests and the server role's answers (smscn.txt §1–§10): exact bytes, both edges.

Expected targets are written from the document's URLs ("/mt/?uid=…&pwd=…&mobile=…&mobileids=…
&content=…", "/rd/?…&page=1") with ``hashlib`` for ``pwd=md5(登录密码+用户名)`` and
``urllib.parse.quote_plus(…, encoding="gbk")`` for the text; limits are §4's "GET 方式每次最多
可以提交50条号码", "POST 方式每次最多可以提交2000条号码" and §10's "每次最多取50条记录", at and over
the edge. Written to kill mutants that survived ``tools/mutate.py codecs/smscn/`` (issue 17).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote_plus

import pytest
from smswire.codecs import (
    Balance,
    Batch,
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
    Stamp,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._exchange import Exchanges
from smswire.codecs.smscn import _codec
from smswire.codecs.smscn import _wire as w

STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
ACCOUNT = smscn.Account("test", "123123")
#: §1.1 "pwd=md5(123123test)", computed here with hashlib.
PWD = hashlib.md5(b"123123test").hexdigest()
AUTH = f"uid=test&pwd={PWD}"
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
TEXT = (("Content-Type", "text/plain; charset=GBK"),)
codec = smscn.Codec()


def lookup(uid: str) -> smscn.Account | None:
    return ACCOUNT if uid == "test" else None


def numbers(n: int) -> tuple[str, ...]:
    return tuple(f"139{i:08d}" for i in range(n))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def fresh(**options: object) -> smscn.Codec:
    """A codec whose exchanges are built now, from the document's paths.

    The module builds its exchanges once, at import; a test that builds them
    again sees what the factories (``_mt``, ``plain``) make today.
    """

    class Fresh(smscn.Codec):
        exchanges = Exchanges(
            "smscn",
            (
                _codec._mt("/mt/"),
                _codec._mt("/mtutf8/", utf8=True),
                w.plain(FetchReports, "/st/", _codec._st_answer, _codec._st_write),
                w.plain(
                    FetchInbound, "/rx/", _codec._rx_answer, _codec._rx_write, _codec._rx_check
                ),
                w.plain(
                    QueryBalance,
                    "/mm/",
                    _codec._mm_answer,
                    _codec._mm_write,
                    when=_codec._without_cmd,
                ),
                _codec.SENT_COUNT,
                _codec.SEND_RECORDS,
            ),
        )

    return Fresh(**options)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the exchanges, built now


@pytest.mark.parametrize("make", [fresh, smscn.Codec])
def test_the_send_both_ways_on_mt(make: type[smscn.Codec]) -> None:
    c = make()
    op = SendSms(("13900008888", "13100006666"), "发送测试", client_ids=("1", "2"), extension="7")
    request = c.encode_request(op, ACCOUNT, STAMP)
    assert (request.method, request.path, request.body) == ("GET", "/mt/", b"")
    assert request.query == (
        f"{AUTH}&mobile=13900008888,13100006666&mobileids=1,2"
        f"&content={quote_plus('发送测试', encoding='gbk')}&mid=7"
    )
    assert c.decode_request(request, lookup) == (op, ACCOUNT)
    assert c.decode_response(op, HttpResponse(200, (), b"sms&stat=100"), ACCOUNT) == (
        SendResult((Receipt("13900008888", None, "1"), Receipt("13100006666", None, "2")))
    )
    ok = c.encode_response(
        op,
        SendResult((Receipt("13900008888", None, "1"), Receipt("13100006666", None, "2"))),
        ACCOUNT,
    )
    assert (ok.status, ok.headers, ok.body) == (
        200,
        TEXT,
        "sms&stat=100&message=发送成功".encode("gbk"),
    )
    # 2001 numbers are planned as 2000 and 1 (§4's POST limit).
    big = SendSms(numbers(2001), "x")
    assert [len(p.mobiles) for p in c.plan(big)] == [2000, 1]


@pytest.mark.parametrize("make", [fresh, smscn.Codec])
def test_the_utf8_send_paths(make: type[smscn.Codec]) -> None:
    text = "发送测试"
    op = SendSms(("13900008888",), text)
    encoded = quote_plus(text, encoding="utf-8")
    mt = make(charset="utf-8").encode_request(op, ACCOUNT, STAMP)
    assert mt.target == f"/mt/?{AUTH}&mobile=13900008888&content={encoded}&encode=utf8"
    mtutf8 = make(charset="utf-8", mtutf8=True).encode_request(op, ACCOUNT, STAMP)
    assert mtutf8.target == f"/mtutf8/?{AUTH}&mobile=13900008888&content={encoded}"
    # The server role reads /mtutf8/ as UTF-8 without encode, and /mt/ as GBK without it.
    server = make()
    assert server.decode_request(mtutf8, lookup) == (op, ACCOUNT)
    gbk_target = f"/mt/?{AUTH}&mobile=13900008888&content={quote_plus(text, encoding='gbk')}"
    assert server.decode_request(HttpRequest("GET", gbk_target), lookup) == (op, ACCOUNT)
    with pytest.raises(GatewayError) as info:
        server.decode_request(HttpRequest("GET", f"/mtutf8/?{AUTH}&mobile=1&content=%FF"), lookup)
    assert info.value.code == "104"


@pytest.mark.parametrize("make", [fresh, smscn.Codec])
def test_the_credential_only_reads(make: type[smscn.Codec]) -> None:
    c = make()
    for op, path in [(FetchReports(), "/st/"), (FetchInbound(), "/rx/"), (QueryBalance(), "/mm/")]:
        request = c.encode_request(op, ACCOUNT, STAMP)
        assert (request.method, request.target) == ("GET", f"{path}?{AUTH}")
        assert c.decode_request(request, lookup) == (op, ACCOUNT)
        with pytest.raises(GatewayError) as info:
            c.decode_request(HttpRequest("GET", f"{path}?uid=test&pwd={'0' * 32}"), lookup)
        assert info.value.code == "101"
        posted = make(method="POST").encode_request(op, ACCOUNT, STAMP)
        assert (posted.method, posted.target, posted.headers, posted.body) == (
            "POST",
            path,
            FORM,
            AUTH.encode(),
        )
    utf8 = make(charset="utf-8").encode_request(FetchReports(), ACCOUNT, STAMP)
    assert utf8.target == f"/st/?{AUTH}&encode=utf8"
    with pytest.raises(EncodeError, match=r"^smscn cannot fetch replies since a time$"):
        c.encode_request(FetchInbound(since=at("2024-01-01 00:00:00")), ACCOUNT, STAMP)
    report = DeliveryReport(
        "13800000000",
        DeliveryStatus.DELIVERED,
        "100",
        client_id="1",
        reported_at=at("2011-03-11 11:22:11"),
    )
    assert c.encode_response(FetchReports(), Batch((report,)), ACCOUNT).body == (
        b"13800000000,100,1, 2011-03-11 11:22:11"
    )
    reply = InboundMessage("13912341234", "好", at("2008-05-27 12:10:11"), None, "1068")
    assert c.encode_response(FetchInbound(), Batch((reply,)), ACCOUNT).body == (
        "100{&}13912341234||好||2008-05-27 12:10:11||1068".encode("gbk")
    )
    assert c.encode_response(QueryBalance(), Balance(Decimal(100)), ACCOUNT).body == (
        b"sms&stat=100&remain=100"
    )
    answer = HttpResponse(200, (), b"sms&stat=100&remain=9")
    assert c.decode_response(QueryBalance(), answer, ACCOUNT) == Balance(Decimal(9))
    assert c.decode_response(FetchReports(), HttpResponse(200, (), b""), ACCOUNT) == Batch()


# ------------------------------------------------------------------ client requests


def test_a_chinese_uid_is_gbk_percent_encoded() -> None:
    account = smscn.Account("测试", pwd=PWD)
    request = codec.encode_request(SendSms(("13800000000",), "a"), account, STAMP)
    assert (
        request.target
        == f"/mt/?uid={quote_plus('测试', encoding='gbk')}&pwd={PWD}&mobile=13800000000&content=a"
    )
    utf8 = smscn.Codec(charset="utf-8").encode_request(QueryBalance(), account, STAMP)
    assert utf8.target == f"/mm/?uid={quote_plus('测试', encoding='utf-8')}&pwd={PWD}&encode=utf8"


def test_the_send_log_query_and_sent_count() -> None:
    op = smscn.QuerySendRecords(page=1, date=date(2012, 12, 12), mobile="13800000000")
    request = codec.encode_request(op, ACCOUNT, STAMP)
    assert request.target == f"/rd/?{AUTH}&page=1&date=2012-12-12&key=13800000000"
    assert codec.encode_request(smscn.QuerySendRecords(), ACCOUNT, STAMP).target == f"/rd/?{AUTH}"
    sent = codec.encode_request(smscn.QuerySentCount(), ACCOUNT, STAMP)
    assert sent.target == f"/mm/?{AUTH}&cmd=send"
    assert codec.decode_request(sent, lookup) == (smscn.QuerySentCount(), ACCOUNT)


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (
            SendSms(("13800000000",), "x", send_at=datetime(2030, 1, 1, tzinfo=CHINA)),
            "send_at: smscn defines no scheduled sending",
        ),
        (SendSms(("13800000000",), ""), "content: smscn does not send an empty text"),
        (
            SendSms(("13800000000",), "a😀"),
            "content: character '😀' (U+1F600) at position 1 cannot be encoded in GBK",
        ),
        (
            SendSms(("13800000000",), "x", client_ids=("1x",)),
            "client_ids '1x' must be ASCII digits",
        ),
        (SendSms(("13800000000",), "x", extension="a1"), "extension 'a1' must be ASCII digits"),
        (
            SendSms(numbers(2001), "x"),
            "smscn takes at most 2000 numbers per request, got 2001; use codec.plan(op) to split",
        ),
    ],
)
def test_what_a_send_cannot_carry_is_refused_by_name(op: SendSms, message: str) -> None:
    with pytest.raises(EncodeError, match=f"^{re.escape(message)}$"):
        codec.encode_request(op, ACCOUNT, STAMP)


def test_get_sends_at_most_50_numbers() -> None:
    get = smscn.Codec(method="GET")
    assert get.encode_request(SendSms(numbers(50), "x"), ACCOUNT, STAMP).method == "GET"
    with pytest.raises(
        EncodeError,
        match=r"^smscn takes at most 50 numbers per request, got 51; "
        r"use codec\.plan\(op\) to split$",
    ):
        get.encode_request(SendSms(numbers(51), "x"), ACCOUNT, STAMP)
    assert [len(p.mobiles) for p in get.plan(SendSms(numbers(101), "x"))] == [50, 50, 1]


# ------------------------------------------------------------------ the server role's limits


def send_query(mobiles: tuple[str, ...], **extra: str) -> str:
    params = [
        AUTH,
        f"mobile={','.join(mobiles)}",
        "content=%B7%A2",
        *(f"{k}={v}" for k, v in extra.items()),
    ]
    return "&".join(params)


@pytest.mark.parametrize("make", [fresh, smscn.Codec])
@pytest.mark.parametrize(("method", "limit"), [("GET", 50), ("POST", 2000)])
def test_the_server_takes_exactly_the_limit_and_refuses_one_more(
    make: type[smscn.Codec], method: str, limit: int
) -> None:
    codec = make()

    def request(n: int) -> HttpRequest:
        query = send_query(numbers(n))
        if method == "GET":
            return HttpRequest("GET", f"/mt/?{query}")
        return HttpRequest("POST", "/mt/", FORM, query.encode())

    op, account = codec.decode_request(request(limit), lookup)
    assert (op, account) == (SendSms(numbers(limit), "发"), ACCOUNT)
    with pytest.raises(GatewayError) as info:
        codec.decode_request(request(limit + 1), lookup)
    assert (info.value.code, info.value.message, info.value.kind) == (
        "106",
        "号码过多",
        ErrorKind.INVALID_REQUEST,
    )


def test_the_server_reads_the_extension_and_a_post_target_with_its_form() -> None:
    op, _ = codec.decode_request(
        HttpRequest("GET", f"/mt/?{send_query(('13800000000',), mid='12')}"), lookup
    )
    assert op == SendSms(("13800000000",), "发", extension="12")
    posted = HttpRequest("POST", f"/mt/?{AUTH}", FORM, b"mobile=13800000000&content=%B7%A2")
    assert codec.decode_request(posted, lookup) == (SendSms(("13800000000",), "发"), ACCOUNT)


def test_the_server_reads_encode_utf_8_spelled_either_way() -> None:
    content = quote_plus("发送", encoding="utf-8")
    for flag in ["utf8", "utf-8", "UTF-8", "Utf8"]:
        target = f"/mt/?{AUTH}&mobile=13800000000&content={content}&encode={flag}"
        assert codec.decode_request(HttpRequest("GET", target), lookup)[0].content == "发送"


def test_a_uid_that_is_not_text_or_empty_names_no_account() -> None:
    for target in [f"/st/?uid=%FF&pwd={PWD}&encode=utf8", f"/st/?uid=&pwd={PWD}"]:
        with pytest.raises(GatewayError) as info:
            codec.decode_request(HttpRequest("GET", target), lambda uid: ACCOUNT)
        assert (info.value.code, info.value.message) == ("101", "验证失败")


def test_the_sent_count_takes_only_cmd_send() -> None:
    with pytest.raises(GatewayError) as info:
        codec.decode_request(HttpRequest("GET", f"/mm/?{AUTH}&cmd=list"), lookup)
    assert (info.value.code, info.value.message) == ("103", "操作失败")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("page=0", "103"),
        ("page=abc", "103"),
        ("page=1234567890", "103"),
        ("date=2012-13-01", "103"),
        ("key=138x", "112"),
    ],
)
def test_the_send_log_refusals(query: str, code: str) -> None:
    with pytest.raises(GatewayError) as info:
        codec.decode_request(HttpRequest("GET", f"/rd/?{AUTH}&{query}"), lookup)
    assert info.value.code == code


@pytest.mark.parametrize("page", [1, 2, 999999999])
def test_the_send_log_pages_the_server_reads(page: int) -> None:
    request = HttpRequest("GET", f"/rd/?{AUTH}&page={page}")
    assert codec.decode_request(request, lookup) == (smscn.QuerySendRecords(page=page), ACCOUNT)
