"""EIMS read against its document and a public client (issue 11 items 6, 12, 15-18; 13.13).

Every expected value comes from ``eims.txt``'s words (quoted), from an independent
computation (``base64``, ``json``, ``hashlib``, ``decimal``) or from the bytes a
public client sends: valdrav/smspanel's ``TexcellEimsSmsProvider`` (PHP, Laravel
over Guzzle). Its requests were rebuilt with PHP 8.2 itself: Guzzle turns a GET
``query`` array into ``http_build_query($q, '', '&', PHP_QUERY_RFC3986)`` and a
``json`` payload into ``json_encode($payload)``; the printed bytes are pasted below.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
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
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
    eims,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs.strategies import eims as eims_strategies
from smswire.transports.sim import Simulator

codec = eims.Codec()
DOC = eims.Account("chenkc", "123456")
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, 15, tzinfo=CHINA), seq=1)
JSON_HEADERS = (("Content-Type", "application/json;charset=utf-8"),)


def answer(body: str | bytes) -> HttpResponse:
    return HttpResponse(200, JSON_HEADERS, body.encode("utf-8") if isinstance(body, str) else body)


def lookup(*accounts: eims.Account) -> Callable[[str], eims.Account | None]:
    return {a.account: a for a in accounts}.get


def push(body: str | bytes) -> HttpRequest:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return HttpRequest("PUT", "/eims/report", JSON_HEADERS, data)


#: What a receiver hands decode_push (an EIMS push names no account, so it is not asked).
PUSH_LOOKUP = lookup(DOC)


def decode_push(body: str | bytes) -> Batch[Any]:
    return codec.decode_push(push(body), PUSH_LOOKUP)


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def replies(*rows: list[Any]) -> HttpResponse:
    return answer(json.dumps({"status": 0, "cnt": len(rows), "array": list(rows)}))


# ------------------------------------------------------------------ 11.6 replies sharing an id


def test_replies_sharing_an_id_but_not_their_text_are_all_kept() -> None:
    # §4: "若是有收到两条 id 相同的短信，则可认为是重复的接收短信" lets a reader drop a
    # repeat; a different text under the same id is not a repeat and must not vanish.
    batch = codec.decode_response(
        FetchInbound(),
        replies(
            [7, "13800000000", "106", 20240101080000, b64("第一条")],
            [7, "13800000000", "106", 20240101080000, b64("第二条，不同")],
            [7, "13800000000", "106", 20240101080000, b64("第一条")],  # the repeat
            [8, "13800000000", "106", 20240101080000, b64("第一条")],
        ),
        DOC,
    )
    assert [(m.message_id, m.content) for m in batch] == [
        ("7", "第一条"),
        ("7", "第二条，不同"),
        ("8", "第一条"),
    ]
    assert batch.malformed == ()


def test_same_id_rows_differing_in_any_field_are_kept_identical_readings_are_one() -> None:
    base = [9, "13800000000", "106", 20240101080000, b64("你好")]
    variants = [
        [9, "13800000001", "106", 20240101080000, b64("你好")],  # another sender
        [9, "13800000000", "107", 20240101080000, b64("你好")],  # another destination
        [9, "13800000000", "106", 20240101080001, b64("你好")],  # another time
    ]
    # The same row with its integers written as strings reads the same: one reply.
    same = ["9", "13800000000", "106", "20240101080000", b64("你好")]
    batch = codec.decode_response(FetchInbound(), replies(base, *variants, same, base), DOC)
    assert len(batch) == 4
    assert [(m.mobile, m.destination, m.received_at) for m in batch][1:] == [
        ("13800000001", "106", datetime(2024, 1, 1, 8, tzinfo=CHINA)),
        ("13800000000", "107", datetime(2024, 1, 1, 8, tzinfo=CHINA)),
        ("13800000000", "106", datetime(2024, 1, 1, 8, 0, 1, tzinfo=CHINA)),
    ]


def test_server_role_renders_replies_sharing_an_id_and_they_come_back() -> None:
    messages = (
        InboundMessage("13800000000", "第一条", None, "7", "106"),
        InboundMessage("13800000000", "第二条", None, "7", "106"),
    )
    body = codec.encode_response(FetchInbound(), Batch(messages), DOC)
    assert [row[0] for row in json.loads(body.body)["array"]] == [7, 7]
    assert codec.decode_response(FetchInbound(), body, DOC).items == messages


# ------------------------------------------------------------------ 11.12 base64 in MIME lines


MIME_TEXTS = [
    "回复内容" * 20,  # 240 bytes: five lines of base64
    "😀 emoji and ASCII, long enough to need a second line of base64 text here",
    "短",  # one short line, still ending in a newline
]


@pytest.mark.parametrize("text", MIME_TEXTS)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_mime_base64_reply_text_decodes(text: str, newline: str) -> None:
    # Oracle: base64.encodebytes, "lines of at most 76 characters", each ending in "\n".
    wrapped = base64.encodebytes(text.encode("utf-8")).decode("ascii").replace("\n", newline)
    assert newline in wrapped
    batch = codec.decode_response(
        FetchInbound(), replies([1, "10010", "123456", 20171001123015, wrapped]), DOC
    )
    assert [m.content for m in batch] == [text]
    assert batch.malformed == ()


@pytest.mark.parametrize(
    "text",
    [
        "5L2g\n5aW9!",  # a character outside base64
        "5L2g\n5aW9*",
        "5L2g-5aW9",  # URL-safe alphabet
        "5L2g_5aW9",
        "5L2=g5aW9",  # padding in the middle
        "５L2g5aW9",  # a full-width character
        "5L2g\n5aW",  # wrong length once the line break is gone
    ],
)
def test_non_base64_reply_text_is_still_refused_and_kept(text: str) -> None:
    row = [1, "10010", "123456", 20171001123015, text]
    batch = codec.decode_response(FetchInbound(), replies(row), DOC)
    assert batch.items == ()
    assert [json.loads(raw) for raw in batch.malformed] == [row]


# ------------------------------------------------------------------ 11.15 money balances


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ('"99.990000"', "99.990000"),  # §1's example, digits kept
        ('"-1.50"', "-1.50"),
        ('"0"', "0"),
        ("0.1", "0.1"),  # a JSON number, read exactly
        ("12", "12"),
        ('"1E+2"', "1E+2"),
    ],
)
def test_money_balances_are_exact(value: str, amount: str) -> None:
    balance = codec.decode_response(
        QueryBalance(), answer(f'{{"status":0,"balance":{value},"gift":"50.00000"}}'), DOC
    )
    assert balance == Balance(Decimal(amount), BalanceUnit.MONEY, Decimal("50.00000"))
    assert str(balance.amount) == str(Decimal(amount))


@pytest.mark.parametrize(
    "value",
    [
        '"--5"',
        '"²"',
        '"١٢"',  # Arabic-Indic digits: Decimal() would read 12
        '"１２"',  # full-width digits: Decimal() would read 12
        '"1_000"',  # Decimal() would read 1000
        '"NaN"',
        '"sNaN"',
        '"Infinity"',
        '"-inf"',
        '""',
        '" "',
        '"0x10"',
        '"1,000.00"',
        '"1e999999999999999999999"',
        "1e999999999999999999999",
        "-1e999999999999999999999",
        "9" * 5000,
        "true",
        "false",
        "[]",
        "{}",
        "NaN",
        "Infinity",
    ],
)
@pytest.mark.parametrize("field", ["balance", "gift"])
def test_balance_decoder_raises_only_decode_errors(value: str, field: str) -> None:
    fields = {"balance": '"1.00"', "gift": '"0.00"'} | {field: value}
    body = '{"status":0,' + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}"
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(QueryBalance(), answer(body), DOC)
    assert caught.value.raw == body.encode("utf-8")


def test_a_null_balance_is_refused_a_null_gift_is_no_gift() -> None:
    # §1 lists gift as its own output; the balance itself is what the answer is for.
    with pytest.raises(DecodeError):
        codec.decode_response(QueryBalance(), answer('{"status":0,"balance":null}'), DOC)
    body = answer('{"status":0,"balance":"1.00","gift":null}')
    assert codec.decode_response(QueryBalance(), body, DOC).gift is None


# ------------------------------------------------------------------ 11.16 report states


def _query(*rows: list[Any]) -> eims.ReportQuery:
    body = json.dumps({"status": 0, "array": list(rows)})
    return codec.decode_response(eims.QueryReports(("1",)), answer(body), DOC)


# §3: "状态：0发送成功，1：未发送，2：正在发送， 非 012 发送失败".
STATE_MEANINGS = [
    (0, DeliveryStatus.DELIVERED),
    (1, DeliveryStatus.PENDING),
    (2, DeliveryStatus.PENDING),
    (3, DeliveryStatus.FAILED),  # the example counts it under "fail":1
    (1001, DeliveryStatus.FAILED),
    (1015, DeliveryStatus.FAILED),  # missing from the reason table, still "非 012"
    (99, DeliveryStatus.FAILED),
    (-1, DeliveryStatus.FAILED),
]


@pytest.mark.parametrize(("state", "status"), STATE_MEANINGS)
def test_integer_states_mean_what_section_3_says(state: int, status: DeliveryStatus) -> None:
    # Both the gateway's own types (the fast path) and digits as text (quirk numeric-strings).
    fast, slow = _query(
        [1, "10010", 20171001123015, state], ["1", 10010, "20171001123015", str(state)]
    ).reports
    assert (fast.status, fast.code) == (status, str(state))
    assert (slow.status, slow.code) == (status, str(state))


@pytest.mark.parametrize(
    ("state", "status", "code"),
    [
        ("01", DeliveryStatus.PENDING, "1"),  # digits as text, in canonical digits
        (" 2 ", DeliveryStatus.PENDING, "2"),
        ("-0", DeliveryStatus.DELIVERED, "0"),
        ("1" + "0" * 30, DeliveryStatus.FAILED, "1" + "0" * 30),  # still an integer, "非 012"
        (10**30, DeliveryStatus.FAILED, "1" + "0" * 30),
    ],
)
def test_integer_states_of_any_spelling(state: Any, status: DeliveryStatus, code: str) -> None:
    (report,) = _query([5, "10010", 20171001123015, state]).reports
    assert (report.status, report.code) == (status, code)


@pytest.mark.parametrize("state", ["DELIVRD", "UNDELIV", "-", "３", "1.5", "x1"])
def test_a_state_that_is_no_integer_is_unknown_with_its_code_kept(state: str) -> None:
    # Outside the document: the shared rule (UNKNOWN, code kept), not a malformed row.
    result = _query([5, "10010", 20171001123015, state])
    assert result.reports.malformed == ()
    (report,) = result.reports
    assert (report.status, report.code, report.message_id) == (DeliveryStatus.UNKNOWN, state, "5")


@pytest.mark.parametrize("state", [None, True, 1.5, [], {}, "", "  "])
def test_a_state_that_is_not_a_code_keeps_the_row_as_malformed(state: Any) -> None:
    row = [5, "10010", 20171001123015, state]
    result = _query(row)
    assert result.reports.items == ()
    assert [json.loads(raw) for raw in result.reports.malformed] == [row]


# §5: "发送结果（整形，0成功，非 0则失败）".
@pytest.mark.parametrize(
    ("row", "status", "code"),
    [
        ([1, "10010", 20180801123015, 0, "success"], DeliveryStatus.DELIVERED, "0"),
        ([1, "10010", 20180801123015, 1, "no balance"], DeliveryStatus.FAILED, "1"),
        ([1, "10010", 20180801123015, 1012, "x"], DeliveryStatus.FAILED, "1012"),
        ([1, "10010", 20180801123015, "UNDELIV", "x"], DeliveryStatus.UNKNOWN, "UNDELIV"),
        ([1, "10010", 0, 0, "x", 20180801123020, "DELIVRD"], DeliveryStatus.UNKNOWN, "DELIVRD"),
        ([1, "10010", 0, 0, "x", 20180801123020, 0], DeliveryStatus.DELIVERED, "0"),
        ([1, "10010", 0, 0, "x", 20180801123020, 1015], DeliveryStatus.FAILED, "1015"),
    ],
)
def test_pushed_results(row: list[Any], status: DeliveryStatus, code: str) -> None:
    batch = decode_push(json.dumps({"type": "report", "cnt": 1, "array": [row]}))
    assert [(r.status, r.code) for r in batch] == [(status, code)]


def test_server_role_carries_a_text_state_and_refuses_one_that_means_otherwise() -> None:
    unknown = DeliveryReport("10010", DeliveryStatus.UNKNOWN, "DELIVRD", "5")
    query = eims.ReportQuery(0, 0, 0, 0, 0, Batch((unknown,)))
    response = codec.encode_response(eims.QueryReports(("5",)), query, DOC)
    assert json.loads(response.body)["array"] == [[5, "10010", 0, "DELIVRD"]]
    assert codec.decode_response(eims.QueryReports(("5",)), response, DOC) == query
    for report in (
        DeliveryReport("10010", DeliveryStatus.UNKNOWN, "1015", "5"),  # "非 012": failed
        DeliveryReport("10010", DeliveryStatus.FAILED, "DELIVRD", "5"),
        DeliveryReport("10010", DeliveryStatus.UNKNOWN, " ", "5"),
        DeliveryReport("10010", DeliveryStatus.PENDING, "01", "5"),  # the wire writes 1
    ):
        with pytest.raises(EncodeError):
            codec.encode_response(
                eims.QueryReports(("5",)), eims.ReportQuery(reports=Batch((report,))), DOC
            )
    pushed = DeliveryReport("10010", DeliveryStatus.UNKNOWN, "UNDELIV", "5", description="x")
    (request,) = codec.encode_push(Batch((pushed,)), DOC)
    assert json.loads(request.body)["array"] == [[5, "10010", 0, "UNDELIV", "x"]]
    assert codec.decode_push(request, PUSH_LOOKUP).items == (pushed,)


# ------------------------------------------------------------------ 11.17 JSON pathologies

HUGE = "1e999999999999999999999"
DEEP = "[" * 100_000 + "]" * 100_000

PATHOLOGIES = {
    "huge-exponent-status": f'{{"status":{HUGE}}}',
    "huge-exponent-balance": f'{{"status":0,"balance":{HUGE}}}',
    "huge-negative-exponent": '{"status":0,"balance":-1E-999999999999999999999}',
    "huge-exponent-in-a-row": f'{{"status":0,"array":[[{HUGE},1,2,3,4]]}}',
    "huge-exponent-typography": f'{{“status”:0,"balance":{HUGE}}}',
    "huge-integer": '{"status":' + "9" * 5000 + "}",
    "huge-integer-in-a-row": '{"status":0,"array":[[' + "9" * 5000 + ',"1",0,0,"x"]]}',
    "deep-nesting": DEEP,
    "deep-nesting-unclosed": "[" * 100_000,
    "deep-nesting-inside": '{"status":0,"array":' + DEEP + "}",
    "deep-objects": '{"a":' * 50_000 + "0" + "}" * 50_000,
    "nan": '{"status":NaN}',
    "infinity": '{"status":0,"balance":Infinity}',
    "minus-infinity": '{"status":0,"array":[[1,"1",-Infinity,0,"x"]]}',
}

ANSWER_OPS = [
    QueryBalance(),
    SendSms(("10010",), "x"),
    eims.SendMessage(("10010",), "x", 1),
    eims.QueryReports(("1",)),
    FetchInbound(),
]


def _decoders() -> dict[str, Callable[[bytes], object]]:
    out: dict[str, Callable[[bytes], object]] = {
        f"answer-{type(op).__name__}": (
            lambda body, op=op: codec.decode_response(op, answer(body), DOC)
        )
        for op in ANSWER_OPS
    }
    out["request-post"] = lambda body: codec.decode_request(
        HttpRequest("POST", "/sendsms", JSON_HEADERS, body), lookup(DOC)
    )
    out["push"] = decode_push
    return out


DECODERS = _decoders()


@pytest.mark.parametrize("decoder", sorted(DECODERS))
@pytest.mark.parametrize("name", sorted(PATHOLOGIES))
def test_json_pathologies_are_decode_errors_carrying_the_body(decoder: str, name: str) -> None:
    body = PATHOLOGIES[name].encode("utf-8")
    with pytest.raises(DecodeError) as caught:
        DECODERS[decoder](body)
    assert caught.value.raw == body


@pytest.mark.parametrize("value", [HUGE, "9" * 5000, "NaN", "Infinity", DEEP])
def test_pathologies_in_request_parameters_are_decode_errors(value: str) -> None:
    body = (
        '{"account":"chenkc","password":"123456","numbers":"10010","content":"x",'
        f'"smstype":{value}}}'
    ).encode()
    with pytest.raises(DecodeError) as caught:
        codec.decode_request(HttpRequest("POST", "/sendsms", JSON_HEADERS, body), lookup(DOC))
    assert caught.value.raw == body


def test_push_counts_with_pathologies_are_decode_errors() -> None:
    for cnt in (HUGE, "9" * 5000, "NaN", '"many"', "true"):
        body = f'{{"type":"report","cnt":{cnt},"array":[]}}'.encode()
        with pytest.raises(DecodeError):
            decode_push(body)


def _simulate(requests: list[httpx.Request]) -> list[httpx.Response]:
    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=Simulator(rate_limits=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return [await client.send(r) for r in requests]

    return asyncio.run(main())


def test_simulator_refuses_a_huge_exponent_with_400_not_500() -> None:
    body = f'{{"account":"chenkc","password":"x","numbers":"10010","content":"x","smstype":{HUGE}}}'
    (answered,) = _simulate(
        [httpx.Request("POST", "http://127.0.0.1/eims/sendsms", content=body.encode())]
    )
    assert answered.status_code == 400
    assert "Traceback" not in answered.text


# ------------------------------------------------------------------ 11.18 surrogates in targets


SURROGATE_TARGETS = [
    "/getbalance?account=chenkc&password=\ud800",
    "/getbalance?account=\udfff&password=123456",
    "/getreport?account=chenkc&password=123456&ids=1,\ud83d",
    "/getsms?account=chenkc&password=123456&start_time=\ud800",
    "/sendsms?account=chenkc&password=123456&numbers=10010&content=\ud83d\ude00",
]


@pytest.mark.parametrize("target", SURROGATE_TARGETS)
def test_a_lone_surrogate_in_a_target_is_a_decode_error(target: str) -> None:
    # No request line carries a lone surrogate (the transports decode request-line
    # bytes with surrogateescape, which never yields U+D800..U+DBFF or U+DC00..U+DC7F).
    with pytest.raises(DecodeError) as caught:
        codec.decode_request(HttpRequest("GET", target), lookup(DOC))
    assert caught.value.raw == target.encode("utf-8", "surrogatepass")


def test_a_raw_non_utf8_byte_is_refused_with_the_bytes_the_request_line_carried() -> None:
    line = b"/sendsms?account=chenkc&password=123456&numbers=10010&content=\xc4\xe3\xba\xc3"
    target = line.decode("utf-8", "surrogateescape")  # GBK "你好" sent raw
    with pytest.raises(DecodeError) as caught:
        codec.decode_request(HttpRequest("GET", target), lookup(DOC))
    assert caught.value.raw == line


def test_a_surrogate_in_the_path_is_a_decode_error() -> None:
    with pytest.raises(DecodeError) as caught:
        codec.decode_request(HttpRequest("GET", "/getbal\ud800ance?account=chenkc"), lookup(DOC))
    assert caught.value.raw == "/getbal\ud800ance?account=chenkc".encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------ 13.13 what a push is


@pytest.mark.parametrize(
    "body",
    [
        '{"not":"eims"}',
        "{}",
        '{"type":"report"}',  # no array
        '{"type":"report","cnt":0,"array":{}}',
        '{"cnt":"many","array":[]}',
        '{"type":"mo","cnt":0,"array":[]}',
        '{"type":null,"array":[]}',
        '{"array":[[1,"1",0,0,"success"]]}',  # says neither what it is nor how many
        "[]",
        '"report"',
    ],
)
def test_a_body_that_is_not_an_eims_push_is_a_decode_error(body: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_push(body)
    assert caught.value.raw == body.encode()


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ('{"type":"report","cnt":0,"array":[]}', 0),
        ('{"type":"report","array":[[1,"1",0,0,"success"]]}', 1),
        ('{"cnt":1,"array":[[1,"1",0,0,"success"]]}', 1),  # §5: type defaults to "report"
        ('{"type":"report","cnt":"1","array":[[1,"1",0,0,"success"]]}', 1),
    ],
)
def test_pushes_in_the_documents_shape_are_read(body: str, count: int) -> None:
    assert len(decode_push(body)) == count


# ------------------------------------------------------------------ issue 17: exact limits


def _numbers(count: int) -> tuple[str, ...]:
    return tuple(f"138{i:08d}" for i in range(count))


def _server(request: HttpRequest) -> Any:
    return codec.decode_request(request, lookup(DOC))[0]


def _refusal(request: HttpRequest) -> str:
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(request, lookup(DOC))
    return caught.value.code


# §2 "get 发送一次性最多提交 100 个号码，post方式一次性最多提交 10000个号码".
@pytest.mark.parametrize(("method", "limit"), [("GET", 100), ("POST", 10000)])
def test_number_limits_in_both_roles(method: str, limit: int) -> None:
    client = eims.Codec(method=method)
    at_limit = client.encode_request(SendSms(_numbers(limit), "x"), DOC, STAMP)
    assert at_limit.method == method
    assert len(_server(at_limit).mobiles) == limit
    with pytest.raises(EncodeError, match=str(limit)):
        client.encode_request(SendSms(_numbers(limit + 1), "x"), DOC, STAMP)
    numbers = ",".join(_numbers(limit + 1))
    if method == "GET":
        over = HttpRequest(
            "GET", f"/sendsms?account=chenkc&password=123456&numbers={numbers}&content=x"
        )
    else:
        body = json.dumps(
            {"account": "chenkc", "password": "123456", "numbers": numbers, "content": "x"}
        )
        over = HttpRequest("POST", "/sendsms", JSON_HEADERS, body.encode())
    assert _refusal(over) == "-7"  # "-7：号码个数过多"


# §2 content "长度不能超过 1024".
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_content_limit_in_both_roles(method: str) -> None:
    client = eims.Codec(method=method)
    at_limit = client.encode_request(SendSms(("10010",), "字" * 1024), DOC, STAMP)
    assert _server(at_limit).content == "字" * 1024
    with pytest.raises(EncodeError, match="1024"):
        client.encode_request(SendSms(("10010",), "字" * 1025), DOC, STAMP)
    body = json.dumps(
        {"account": "chenkc", "password": "123456", "numbers": "10010", "content": "字" * 1025},
        ensure_ascii=False,
    )
    over = HttpRequest("POST", "/sendsms", JSON_HEADERS, body.encode())
    assert _refusal(over) == "-5"  # "-5：短信内容过长"


# §3 ids "多个号码之间以英文逗号分隔(最多 200 个）".
def test_report_id_limit_in_both_roles() -> None:
    ids = tuple(str(i) for i in range(1, 202))
    at_limit = codec.encode_request(eims.QueryReports(ids[:200]), DOC, STAMP)
    assert _server(at_limit).ids == ids[:200]
    with pytest.raises(EncodeError, match="200"):
        codec.encode_request(eims.QueryReports(ids), DOC, STAMP)
    over = HttpRequest("GET", f"/getreport?account=chenkc&password=123456&ids={','.join(ids)}")
    assert _refusal(over) == "-7"


# §4 "get发送一次性最多查询 50条接收短信"; §5 "一次性最多推送 50条发送报告".
def test_reply_and_push_limits() -> None:
    messages = tuple(InboundMessage("10010", f"m{i}", None, str(i), "106") for i in range(51))
    body = codec.encode_response(FetchInbound(), Batch(messages[:50]), DOC)
    assert json.loads(body.body)["cnt"] == 50
    with pytest.raises(EncodeError, match="50"):
        codec.encode_response(FetchInbound(), Batch(messages), DOC)
    # A gateway that hands out 51 anyway loses none of them on our side.
    rows = [[i, "10010", "106", 0, b64(f"m{i}")] for i in range(51)]
    assert len(codec.decode_response(FetchInbound(), replies(*rows), DOC)) == 51
    reports = tuple(
        DeliveryReport("10010", DeliveryStatus.DELIVERED, "0", str(i), description="success")
        for i in range(51)
    )
    at_limit = codec.encode_push(Batch(reports[:50]), DOC)
    assert [json.loads(r.body)["cnt"] for r in at_limit] == [50]
    sizes = [json.loads(r.body)["cnt"] for r in codec.encode_push(Batch(reports), DOC)]
    assert sizes == [50, 1]
    many = {"type": "report", "cnt": 51, "array": [[i, "1", 0, 0, "x"] for i in range(51)]}
    assert len(decode_push(json.dumps(many))) == 51


# ------------------------------------------------------------------ the signed password


# §1-§4: "Md5 值 = md5（用户名+明文密码+seq+time+协商 key）".
PHP_ACCOUNT = eims.Account("chenkc", "p@ss w/rd+1")
PHP_SIGNED = eims.Account("chenkc", "p@ss w/rd+1", key="negotiated-key")
PHP_TIME = 1714527015
#: PHP: md5('chenkc' . 'p@ss w/rd+1' . 1 . 1714527015 . 'negotiated-key')
PHP_MD5 = "05e35190d1be7f587cdcb567bc571e8d"


def test_signed_password_recipe_from_the_documents_words() -> None:
    recipe = "chenkc" + "p@ss w/rd+1" + "1" + str(PHP_TIME) + "negotiated-key"
    assert hashlib.md5(recipe.encode("utf-8")).hexdigest() == PHP_MD5
    stamp = Stamp(datetime.fromtimestamp(PHP_TIME, CHINA), seq=1)
    request = codec.encode_request(QueryBalance(), PHP_SIGNED, stamp)
    assert request.target == (
        f"/getbalance?account=chenkc&password={PHP_MD5}&seq=1&time={PHP_TIME}"
    )
    # The server role checks the same recipe, whatever the digest's case.
    upper = request.target.replace(PHP_MD5, PHP_MD5.upper())
    assert codec.decode_request(HttpRequest("GET", upper), lookup(PHP_SIGNED))[1] == PHP_SIGNED
    # The digest is bound to its seq and time: either changed, the account is refused.
    for seq, when in ((2, PHP_TIME), (1, PHP_TIME + 1)):
        target = f"/getbalance?account=chenkc&password={PHP_MD5}&seq={seq}&time={when}"
        with pytest.raises(GatewayError, match="-1"):
            codec.decode_request(HttpRequest("GET", target), lookup(PHP_SIGNED))


# ------------------------------------------------------------------ a public client's bytes

#: valdrav/smspanel TexcellEimsSmsProvider: authQuery() is account, password, version
#: "1.0" (then seq, time and the MD5 password when a key is configured); getBalance and
#: getReports GET with Guzzle's RFC 3986 query (ids joined by ',' become 1%2C2);
#: sendChunk POSTs json_encode(authBody + smstype, numbers, content[, sender]).
PHP_REQUESTS: list[tuple[str, str, bytes, eims.Account]] = [
    (
        "GET",
        "/getbalance?account=chenkc&password=p%40ss%20w%2Frd%2B1&version=1.0",
        b"",
        PHP_ACCOUNT,
    ),
    (
        "GET",
        f"/getbalance?account=chenkc&password={PHP_MD5}&version=1.0&seq=1&time={PHP_TIME}",
        b"",
        PHP_SIGNED,
    ),
    (
        "GET",
        "/getreport?account=chenkc&password=p%40ss%20w%2Frd%2B1&version=1.0&ids=1%2C2",
        b"",
        PHP_ACCOUNT,
    ),
    (
        "GET",
        f"/getreport?account=chenkc&password={PHP_MD5}&version=1.0&seq=1&time={PHP_TIME}&ids=1%2C2",
        b"",
        PHP_SIGNED,
    ),
    (
        "POST",
        "/sendsms",
        b'{"account":"chenkc","password":"p@ss w\\/rd+1","version":"1.0","smstype":0,'
        b'"numbers":"905321234567,905331234567","content":"Merhaba d\\u00fcnya \\/ '
        b'\\u4f60\\u597d \\"ok\\" \\ud83d\\ude00","sender":"TEXCELL"}',
        PHP_ACCOUNT,
    ),
    (
        "POST",
        "/sendsms",
        b'{"account":"chenkc","password":"' + PHP_MD5.encode() + b'","version":"1.0",'
        b'"seq":1,"time":1714527015,"smstype":0,"numbers":"905321234567","content":"Merhaba"}',
        PHP_SIGNED,
    ),
]
PHP_OPS = [
    QueryBalance(),
    QueryBalance(),
    eims.QueryReports(("1", "2")),
    eims.QueryReports(("1", "2")),
    eims.SendMessage(
        ("905321234567", "905331234567"), 'Merhaba dünya / 你好 "ok" 😀', sender="TEXCELL"
    ),
    SendSms(("905321234567",), "Merhaba"),
]


def _client_result(op: Any) -> Any:
    if isinstance(op, QueryBalance):
        return Balance(Decimal("99.990000"), BalanceUnit.MONEY, Decimal("50.00000"))
    if isinstance(op, eims.QueryReports):
        delivered = DeliveryReport(
            "905321234567", DeliveryStatus.DELIVERED, "0", "1", description="success"
        )
        failed = DeliveryReport(
            "905331234567", DeliveryStatus.FAILED, "1001", "2", description="NoRoute"
        )
        return eims.ReportQuery(1, 1, 0, 0, 0, Batch((delivered, failed)))
    return SendResult(tuple(Receipt(m, str(i + 1)) for i, m in enumerate(op.mobiles)), 0)


@pytest.mark.parametrize("index", range(len(PHP_REQUESTS)))
def test_the_php_clients_exact_requests_are_accepted(index: int) -> None:
    method, target, body, account = PHP_REQUESTS[index]
    request = HttpRequest(method, target, JSON_HEADERS, body)
    assert codec.decode_request(request, lookup(account)) == (PHP_OPS[index], account)


@pytest.mark.parametrize("index", range(len(PHP_REQUESTS)))
def test_our_answers_give_the_php_client_what_it_reads(index: int) -> None:
    method, target, body, account = PHP_REQUESTS[index]
    op, _ = codec.decode_request(HttpRequest(method, target, JSON_HEADERS, body), lookup(account))
    data = json.loads(codec.encode_response(op, _client_result(op), account).body)
    assert int(data["status"]) == 0  # (int) ($data['status'] ?? -99) !== 0 means failure
    if isinstance(op, QueryBalance):
        # (float) ($data['balance'] ?? 0) + (float) ($data['gift'] ?? 0)
        assert float(data["balance"]) + float(data["gift"]) == pytest.approx(149.99)
    elif isinstance(op, eims.QueryReports):
        # $id = (string) $row[0]; $code = (int) $row[3]
        assert [(str(row[0]), int(row[3])) for row in data["array"]] == [("1", 0), ("2", 1001)]
    else:
        # $idByNumber[(string) $row[0]] = (string) $row[1], looked up by the number sent.
        ids = {str(row[0]): str(row[1]) for row in data["array"]}
        assert [ids.get(number) for number in op.mobiles] == [
            str(i + 1) for i in range(len(op.mobiles))
        ]


def test_the_php_clients_requests_through_the_simulator() -> None:
    simulator = Simulator(rate_limits=False)
    simulator.add_account("eims", PHP_ACCOUNT, Decimal("99.99"))

    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=simulator)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            out = []
            for method, target, body, account in PHP_REQUESTS:
                if account is PHP_ACCOUNT:
                    headers = {"Content-Type": "application/json;charset=utf-8"}
                    url = "http://127.0.0.1/eims" + target
                    out.append(await client.request(method, url, content=body, headers=headers))
            return out

    balance, reports, send = asyncio.run(main())
    assert balance.status_code == 200 and balance.json()["status"] == 0
    assert float(balance.json()["balance"]) == pytest.approx(99.99)
    assert reports.json()["status"] == 0
    sent = send.json()
    assert sent["status"] == 0
    assert sorted(str(row[0]) for row in sent["array"]) == ["905321234567", "905331234567"]


# ------------------------------------------------------------------ linearity


def _reply_rows(size: int) -> bytes:
    row = json.dumps([123456, "13800000000", "106", 20240101080000, b64("回复内容 " * 4)])
    count = max(1, size // (len(row) + 1))
    return ('{"status":0,"array":[' + ",".join([row] * count) + "]}").encode()


def _report_rows(size: int) -> bytes:
    row = '[123456,"13800000000",20240101080000,"DELIVRD"]'
    count = max(1, size // (len(row) + 1))
    return ('{"status":0,"array":[' + ",".join([row] * count) + "]}").encode()


def _push_rows(size: int) -> bytes:
    row = '[123456,"13800000000",20240101080000,0,"success",20240101080005,"UNDELIV"]'
    count = max(1, size // (len(row) + 1))
    return ('{"type":"report","array":[' + ",".join([row] * count) + "]}").encode()


def _separators(sep: str) -> Callable[[int], bytes]:
    return lambda size: (sep * (size // len(sep.encode()))).encode()


BODIES = {f"sep{sep!r}": _separators(sep) for sep in ("[", ",", "{", '"')}
#: Well-formed bodies of many records, each for the decoder that reads them.
RECORDS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "replies": ("answer-FetchInbound", _reply_rows),
    "reports": ("answer-QueryReports", _report_rows),
    "pushes": ("push", _push_rows),
}


def _get(path: str) -> Callable[[bytes], object]:
    return lambda body: codec.decode_request(
        HttpRequest("GET", path + "?" + body.decode()), lookup(DOC)
    )


LINEAR_CASES: list[tuple[str, Callable[[bytes], object], Callable[[int], bytes]]] = [
    (f"{decoder}/{kind}", DECODERS[decoder], make)
    for decoder in sorted(DECODERS)
    for kind, make in BODIES.items()
]
LINEAR_CASES += [(f"{d}/{kind}", DECODERS[d], make) for kind, (d, make) in RECORDS.items()]
# Typographic quotes send a body through the mender (quirk curly-quotes), shared by all.
LINEAR_CASES += [(f"{d}/sep'“'", DECODERS[d], _separators("“")) for d in ("answer-QueryBalance",)]
LINEAR_CASES += [
    (f"request-get{path}/{sep!r}", _get(path), lambda size, sep=sep: (sep * size).encode())
    for path in ("/getbalance", "/sendsms")
    for sep in ("&", "=", ",", "%", "a=1&")
]


@pytest.mark.parametrize(
    ("decode", "make"),
    [case[1:] for case in LINEAR_CASES],
    ids=[case[0] for case in LINEAR_CASES],
)
def test_every_decoder_is_linear(
    decode: Callable[[bytes], object], make: Callable[[int], bytes]
) -> None:
    def build(size: int) -> Callable[[], object]:
        body = make(size)
        return lambda: decode(body)

    assert_linear(build)


# ------------------------------------------------------------------ fuzz


_TARGET_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # surrogates, escapes too
        st.sampled_from(["&", "=", "%", "%FF", "%ED%A0%80", "+", ",", "account=", "password="]),
    ),
    max_size=40,
).map("".join)


@given(
    path=st.sampled_from(["/getbalance", "/sendsms", "/getreport", "/getsms"]), query=_TARGET_TEXT
)
@example(path="/getbalance", query="account=chenkc&password=\ud800")
@example(path="/getsms", query="account=chenkc&password=123456&start_time=99999999999999999")
def test_targets_with_surrogates_raise_only_smswire_errors(path: str, query: str) -> None:
    target = f"{path}?{query}"
    try:
        codec.decode_request(HttpRequest("GET", target), lookup(DOC))
    except DecodeError as exc:
        # The bytes the request line carried (surrogateescape), or, for a lone surrogate
        # no request line can carry, the text kept visible byte for byte.
        try:
            line = target.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            line = target.encode("utf-8", "surrogatepass")
        assert exc.raw == line
    except GatewayError:
        pass


def _only_smswire_errors(op: Any, body: bytes) -> None:
    for decode in (
        lambda: codec.decode_response(op, answer(body), DOC),
        lambda: decode_push(body),
        lambda: codec.decode_request(HttpRequest("POST", "/sendsms", (), body), lookup(DOC)),
    ):
        try:
            decode()
        except DecodeError as exc:
            assert exc.raw == body
        except GatewayError:
            pass


def test_the_huge_exponent_regression() -> None:
    # The body that raised decimal.InvalidOperation from every decoder.
    _only_smswire_errors(QueryBalance(), b'{"status":0,"balance":1e999999999999999999999}')


@given(data=st.data())
def test_answers_with_json_pathologies_raise_only_smswire_errors(data: st.DataObject) -> None:
    op = data.draw(st.sampled_from(ANSWER_OPS))
    _only_smswire_errors(op, data.draw(eims_strategies.mutated_answers(op)).body)


@given(
    token=st.sampled_from(eims_strategies.JSON_PATHOLOGIES),
    row=st.integers(0, 6),
)
def test_push_rows_with_pathologies_keep_their_neighbours(token: str, row: int) -> None:
    good = [1, "13800000000", 20180801123015, 0, "success"]
    fields = json.dumps(good)[1:-1].split(",")
    fields[row % 5] = token
    body = f'{{"type":"report","cnt":2,"array":[{json.dumps(good)},[{",".join(fields)}]]}}'
    try:
        batch = decode_push(body)
    except DecodeError as exc:
        # A pathology the JSON reader itself refuses takes the whole body, kept whole.
        assert exc.raw == body.encode()
        return
    assert len(batch.items) + len(batch.malformed) == 2
    assert batch.items[0].message_id == "1"
