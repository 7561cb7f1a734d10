"""Emay fidelity (issue 12): what surrounds the envelope, pinned from the document's words.

Every sealed body here is built, or opened, with pycryptodome's AES/ECB, PKCS#5
padding written out by hand and the standard library's ``gzip``, never with the
codec's own envelope code; the expected JSON comes from the document's examples.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from Crypto.Cipher import AES
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
    emay,
)
from smswire.transports import Client
from smswire.transports.sim import SimServer, Simulator

CST = timezone(timedelta(hours=8))
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-SMS1-FIDEL", KEY)
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
STAMP = Stamp(NOW)
NOW_MS = 1714527000000  # 2024-05-01 01:30:00 UTC, by hand
SECURE = emay.Codec()
SIMPLE = emay.SimpleCodec()


def lookup(app_id: str) -> emay.Account | None:
    return ACCOUNT if app_id == ACCOUNT.app_id else None


def aes_seal(data: bytes, *, gz: bool, key: str = KEY) -> bytes:
    if gz:
        data = gzip.compress(data)
    pad = 16 - len(data) % 16
    return AES.new(key.encode(), AES.MODE_ECB).encrypt(data + bytes([pad]) * pad)


def aes_open(body: bytes, *, gz: bool, key: str = KEY) -> bytes:
    data = AES.new(key.encode(), AES.MODE_ECB).decrypt(body)
    pad = data[-1]
    assert data[-pad:] == bytes([pad]) * pad
    data = data[:-pad]
    if gz:
        return gzip.decompress(data)
    # Not gzip: a gzip member starts 1f 8b (RFC 1952), JSON never does.
    assert data[:2] != b"\x1f\x8b"
    return data


def request(
    path: str, obj: Any, *, gz: bool, charset: str = "UTF-8", app_id: str = ACCOUNT.app_id
) -> HttpRequest:
    headers = [("appId", app_id), ("encode", charset)]
    if gz:
        headers.append(("gzip", "on"))
    data = json.dumps(obj, ensure_ascii=False).encode(charset)
    return HttpRequest("POST", path, tuple(headers), aes_seal(data, gz=gz))


def answer(text: str | bytes, *, gz: bool) -> HttpResponse:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return HttpResponse(200, (("result", "SUCCESS"),), aes_seal(data, gz=gz))


def timed(obj: dict[str, Any]) -> dict[str, Any]:
    return {**obj, "requestTime": NOW_MS, "requestValidPeriod": 60}


def served(req: HttpRequest, result: Any, codec: emay.Codec = SECURE) -> HttpResponse:
    op, account = codec.decode_request(req, lookup, STAMP)
    return codec.answering(req).encode_response(op, result, account)


# ----------------------------------------------------------------- 1. compression follows


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("codec_gzip", [True, False])
def test_answer_compression_follows_the_request(gz: bool, codec_gzip: bool) -> None:
    # §2.1 answers, step 3: "如果请求信息中有压缩标示，返回的数据也是压缩过的".
    req = request("/inter/getBalance", timed({}), gz=gz)
    response = served(req, Balance(Decimal(1000)), emay.Codec(gzip=codec_gzip))
    assert response.header("result") == "SUCCESS"
    assert json.loads(aes_open(response.body, gz=gz)) == {"balance": 1000}


@pytest.mark.parametrize("gz", [True, False])
def test_encode_response_to_answers_as_the_request_asks_without_a_responder(gz: bool) -> None:
    # What the simulator calls (Codec protocol): compression follows the request (§2.1
    # step 3), and a one-number sendBatchSMS is answered as §2.1.2's example, an array,
    # where encode_response alone would shape it as §2.1.1's lone object.
    req = request("/inter/sendBatchSMS", timed({"smses": [{"mobile": "13800138000",
                  "customSmsId": "a"}], "content": "hi"}), gz=gz)  # fmt: skip
    op, account = SECURE.decode_request(req, lookup, STAMP)
    result = SendResult((Receipt("13800138000", "1", "a"),))
    value = json.loads(aes_open(SECURE.encode_response_to(req, op, result, account).body, gz=gz))
    assert value == [{"mobile": "13800138000", "smsId": "1", "customSmsId": "a"}]
    lone = SECURE.encode_response(op, result, account)
    assert json.loads(aes_open(lone.body, gz=True))["smsId"] == "1"


@pytest.mark.parametrize("gz", [True, False])
def test_client_reads_an_answer_compressed_as_its_request(gz: bool) -> None:
    client = emay.Codec(gzip=gz)
    req = client.encode_request(QueryBalance(), ACCOUNT, STAMP)
    assert (req.header("gzip") == "on") is gz
    assert json.loads(aes_open(req.body, gz=gz))["requestTime"] == NOW_MS
    assert client.decode_response(
        QueryBalance(), answer('{"balance":1000}', gz=gz), ACCOUNT
    ) == Balance(Decimal(1000))


# ----------------------------------------------------------------- 2. answers are UTF-8


def test_gbk_client_reads_utf8_answers() -> None:
    # §2.1 answers, step 4: String json = new String(data,"UTF-8").
    gbk = emay.Codec(charset="gbk")
    text = '[{"mobile":"13800138000","content":"收到","moTime":"2024-05-01 09:00:00"},' + (
        '{"mobile":"13800138001","content":"退订","moTime":"2024-05-01 09:00:01"}]'
    )
    batch = gbk.decode_response(FetchInbound(), answer(text, gz=True), ACCOUNT)
    assert [m.content for m in batch] == ["收到", "退订"]
    reports = '[{"mobile":"13800138000","state":"DELIVRD","desc":"成功"}]'
    (report,) = gbk.decode_response(FetchReports(), answer(reports, gz=True), ACCOUNT)
    assert report.description == "成功"


def test_an_answer_in_the_requests_charset_is_not_lost() -> None:
    # Quirk sdk-answer-charset: the vendor SDK reads answers as new String(data, encode).
    gbk = emay.Codec(charset="gbk")
    text = '[{"mobile":"13800138000","content":"收到，退订","moTime":"2024-05-01 09:00:00"}]'
    response = HttpResponse(200, (("result", "SUCCESS"),), aes_seal(text.encode("gbk"), gz=True))
    (reply,) = gbk.decode_response(FetchInbound(), response, ACCOUNT)
    assert reply.content == "收到，退订"
    with pytest.raises(DecodeError):
        SECURE.decode_response(FetchInbound(), response, ACCOUNT)


def test_gbk_request_is_gbk_and_its_answer_utf8() -> None:
    # The encode header: "此字符集必须与实际传输数据字符集相同" (the request's data).
    gbk = emay.Codec(charset="gbk")
    req = gbk.encode_request(SendSms(("13800138000",), "你好"), ACCOUNT, STAMP)
    assert req.header("encode") == "GBK"
    assert json.loads(aes_open(req.body, gz=True).decode("gbk"))["content"] == "你好"
    reply = InboundMessage("13800138000", "收到", NOW)
    inbound = request("/inter/getMo", timed({}), gz=True, charset="GBK")
    response = served(inbound, Batch((reply,)), gbk)
    assert json.loads(aes_open(response.body, gz=True).decode("utf-8"))[0]["content"] == "收到"


# ----------------------------------------------------------------- 3. empty optional fields


def test_empty_optional_fields_are_absent() -> None:
    # "timerTime … (选填) 如果不填，则为及时发送", "customSmsId … (选填)", "extendedCode … (选填)".
    blank = {"timerTime": "", "customSmsId": "", "extendedCode": ""}
    single = timed({"mobile": "13800138000", "content": "hi", **blank})
    op, _ = SECURE.decode_request(request("/inter/sendSingleSMS", single, gz=True), lookup, STAMP)
    assert op == SendSms(("13800138000",), "hi")
    batch = timed(
        {
            "smses": [{"mobile": "13800138000", "customSmsId": ""}, {"mobile": "13800138001"}],
            "content": "hi",
            **blank,
        }
    )
    op, _ = SECURE.decode_request(request("/inter/sendBatchSMS", batch, gz=False), lookup, STAMP)
    assert op == SendSms(("13800138000", "13800138001"), "hi")
    nulls = dict.fromkeys(blank)
    only = timed({"mobiles": ["13800138000"], "content": "hi", **nulls})
    op, _ = SECURE.decode_request(request("/inter/sendBatchOnlySMS", only, gz=True), lookup, STAMP)
    assert op == SendSms(("13800138000",), "hi")


# ----------------------------------------------------------------- 4. concatenated members


def _sealed_plain(data: bytes) -> HttpResponse:
    # data is already what the gateway compressed: seal it without compressing again.
    return HttpResponse(200, (("result", "SUCCESS"),), aes_seal(data, gz=False))


def test_concatenated_gzip_members_are_one_stream() -> None:
    # RFC 1952 §2.2: a gzip file is a series of members; GZIPInputStream reads them all.
    members = gzip.compress(b'{"bala') + gzip.compress(b'nce":1000}')
    assert gzip.decompress(members) == b'{"balance":1000}'
    result = SECURE.decode_response(QueryBalance(), _sealed_plain(members), ACCOUNT)
    assert result == Balance(Decimal(1000))


def test_concatenated_members_share_the_cap_and_junk_after_them_is_refused() -> None:
    members = gzip.compress(b'{"balance":' + b" " * 60) + gzip.compress(b" " * 60 + b"1}")
    capped = emay.Codec(max_decompressed=100)
    with pytest.raises(DecodeError, match="inflates beyond 100"):
        capped.decode_response(QueryBalance(), _sealed_plain(members), ACCOUNT)
    assert emay.Codec(max_decompressed=200).decode_response(
        QueryBalance(), _sealed_plain(members), ACCOUNT
    ) == Balance(Decimal(1))
    junk = gzip.compress(b'{"balance":1}') + b"junk"
    with pytest.raises(DecodeError) as caught:
        SECURE.decode_response(QueryBalance(), _sealed_plain(junk), ACCOUNT)
    assert caught.value.raw == aes_seal(junk, gz=False)


# ----------------------------------------------------------------- 6/7. shape by endpoint

RECEIPT = Receipt("13800138000", "20170392833833891100", None)


@pytest.mark.parametrize(
    ("path", "obj", "is_array"),
    [
        # §2.1.1's answer example is one object; §2.1.2/§2.1.3's are arrays.
        ("/inter/sendSingleSMS", {"mobile": "13800138000", "customSmsId": "a"}, False),
        ("/inter/sendBatchSMS", {"smses": [{"mobile": "13800138000", "customSmsId": "a"}]}, True),
        ("/inter/sendBatchSMS", {"smses": [{"mobile": "13800138000", "customSmsId": None}]}, True),
        ("/inter/sendBatchOnlySMS", {"mobiles": ["13800138000"]}, True),
    ],
)
def test_send_answer_shape_follows_the_endpoint(path: str, obj: Any, is_array: bool) -> None:
    req = request(path, timed({**obj, "content": "hi"}), gz=True)
    op, _ = SECURE.decode_request(req, lookup, STAMP)
    ids = getattr(op, "client_ids", None)
    receipt = Receipt("13800138000", "1", None if ids is None else ids[0])
    value = json.loads(aes_open(served(req, SendResult((receipt,))).body, gz=True))
    assert isinstance(value, list) is is_array


def test_single_send_carries_a_custom_sms_id() -> None:
    # §2.1.1: "customSmsId string 自定义消息 ID(选填) 最长 32位".
    op = SendSms(("13800138000",), "hi", client_ids=("2017010709302911",))
    req = SECURE.encode_request(op, ACCOUNT, STAMP)
    assert req.target == "/inter/sendSingleSMS"
    obj = json.loads(aes_open(req.body, gz=True))
    assert (obj["mobile"], obj["customSmsId"]) == ("13800138000", "2017010709302911")
    assert SECURE.decode_request(req, lookup, STAMP)[0] == op


# ----------------------------------------------------------------- 8. mixed ids


def test_mixed_null_and_given_ids_are_missing_ids() -> None:
    smses = [{"mobile": "13800138000", "customSmsId": "a"}, {"mobile": "13800138001"}]
    req = request("/inter/sendBatchSMS", timed({"smses": smses, "content": "hi"}), gz=True)
    op, _ = SECURE.decode_request(req, lookup, STAMP)
    assert op == SendPersonalized(
        (PersonalizedMessage("13800138000", "hi", "a"), PersonalizedMessage("13800138001", "hi"))
    )
    # Our own client can send what the server role read.
    again = SECURE.encode_request(op, ACCOUNT, STAMP)
    assert [m.get("customSmsId") for m in json.loads(aes_open(again.body, gz=True))["smses"]] == [
        "a",
        None,
    ]


# ----------------------------------------------------------------- 11. JSON typography


def test_literal_answer_examples_decode() -> None:
    # §2.1.1.2.2 as printed: a full-width comma after "smsId".
    single = (
        '{ \n    "mobile":"15538850000", \n    "smsId":"20170392833833891100"， \n'
        ' "customSmsId":"20170392833833891100" \n         } '
    )
    result = SECURE.decode_response(
        SendSms(("15538850000",), "x"), answer(single, gz=True), ACCOUNT
    )
    assert result.receipts[0].message_id == "20170392833833891100"
    # §2.1.6.2.2 as printed: a comma before the closing brace.
    created = '{ \n  "templateId":"15538850000", \n  } '
    template = SECURE.decode_response(emay.CreateTemplate("t"), answer(created, gz=True), ACCOUNT)
    assert template == emay.TemplateCreated("15538850000")
    bom = "\ufeff" + '{"balance":1000}'
    assert SECURE.decode_response(QueryBalance(), answer(bom, gz=True), ACCOUNT) == Balance(
        Decimal(1000)
    )


def test_request_with_the_documents_typography_decodes() -> None:
    # §2.1.1.1.3 prints “extendedCode”:”112”.
    text = (
        '\ufeff{"mobile":"15538850000","content":"hi",“extendedCode”:”112”,'
        f'"requestTime":{NOW_MS},"requestValidPeriod":30,}}'
    )
    req = HttpRequest(
        "POST",
        "/inter/sendSingleSMS",
        (("appId", ACCOUNT.app_id),),
        aes_seal(text.encode("utf-8"), gz=False),
    )
    op, _ = SECURE.decode_request(req, lookup, STAMP)
    assert op == SendSms(("15538850000",), "hi", extension="112")


# ----------------------------------------------------------------- 13. the cap on pushes


def test_decode_push_applies_the_codecs_cap() -> None:
    body = json.dumps([{"mobile": "13800138000", "content": "x" * 300}]).encode()
    push = HttpRequest("POST", "/", (("appId", ACCOUNT.app_id),), aes_seal(body, gz=True))
    assert len(emay.Codec().decode_push(push, {ACCOUNT.app_id: ACCOUNT}.get)) == 1
    with pytest.raises(DecodeError, match="inflates beyond 200"):
        emay.Codec(max_decompressed=200).decode_push(push, {ACCOUNT.app_id: ACCOUNT}.get)


# ----------------------------------------------------------------- 15. mistyped results


def test_mistyped_results_are_encode_errors() -> None:
    req = request("/inter/getBalance", timed({}), gz=True)
    with pytest.raises(EncodeError):
        served(req, Balance(1000))  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        SECURE.encode_response(QueryBalance(), Balance(1000), ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        SIMPLE.encode_response(QueryBalance(), Balance(1000), ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        SIMPLE.encode_response(FetchReports(), Balance(Decimal(1)), ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        SIMPLE.encode_response(SendSms(("1",), "x"), Balance(Decimal(1)), ACCOUNT)  # type: ignore[arg-type]


def test_batches_of_the_wrong_records_are_encode_errors() -> None:
    reply = InboundMessage("13800138000", "x", NOW)
    with pytest.raises(EncodeError):
        SECURE.encode_response(FetchReports(), Batch((reply,)), ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(EncodeError):
        SIMPLE.encode_response(FetchReports(), Batch((reply,)), ACCOUNT)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ['"--5"', '"²"', "-5", '"1.5"', "1.5", "true", '""', "null"])
def test_balances_that_are_no_message_count_are_decode_errors(value: str) -> None:
    # "balance long 余额(必填)", example {"balance":1000}: a whole number of messages.
    secure = answer('{"balance":' + value + "}", gz=True)
    with pytest.raises(DecodeError):
        SECURE.decode_response(QueryBalance(), secure, ACCOUNT)
    simple = HttpResponse(200, (), ('{"code":"SUCCESS","data":{"balance":' + value + "}}").encode())
    with pytest.raises(DecodeError):
        SIMPLE.decode_response(QueryBalance(), simple, ACCOUNT)


def test_simple_balance_renders_the_message_count() -> None:
    response = SIMPLE.encode_response(QueryBalance(), Balance(Decimal(1000)), ACCOUNT)
    assert json.loads(response.body) == {"code": "SUCCESS", "data": {"balance": 1000}}
    for wrong in (Balance(Decimal(-1)), Balance(Decimal("1.5"))):
        with pytest.raises(EncodeError):
            SIMPLE.encode_response(QueryBalance(), wrong, ACCOUNT)


# ----------------------------------------------------------------- 16. a bomb


def test_decompression_bomb_is_not_a_decryption_failure() -> None:
    bomb = gzip.compress(b" " * 200_000)
    req = HttpRequest(
        "POST",
        "/inter/getBalance",
        (("appId", ACCOUNT.app_id), ("gzip", "on")),
        aes_seal(bomb, gz=False),
    )
    with pytest.raises(GatewayError) as caught:
        emay.Codec(max_decompressed=1000).decode_request(req, lookup, STAMP)
    # §3 has "ERROR_ENCRYPTION 解密失败" only for decryption; the closest code for an
    # unreadable decrypted body is "ERROR_PARAMS 请求参数错误".
    assert caught.value.code == "ERROR_PARAMS"
    assert "decrypted" in str(caught.value)
    wrong_key = request("/inter/getBalance", timed({}), gz=True, app_id=ACCOUNT.app_id)
    other = HttpRequest(
        "POST",
        wrong_key.target,
        wrong_key.headers,
        aes_seal(b"{}", gz=True, key="fedcba9876543210"),
    )
    with pytest.raises(GatewayError) as caught:
        SECURE.decode_request(other, lookup, STAMP)
    assert caught.value.code == "ERROR_ENCRYPTION"


# ----------------------------------------------------------------- 5. report extension

DOC_REPORT = (
    '[{"mobile":"15538850000","smsId":"20170392833833891100","customSmsId":"1553885000011111",'
    '"state":"DELIVRD","desc":"成功","receiveTime ":"2017-03-15 12:00:00",'
    '"submitTime":"2017-03-15 12:00:00","extendedCode":"123"}]'
)


def test_report_extension_on_every_path() -> None:
    # "extendedCode String 扩展码(选填)", examples "extendedCode":"123".
    secure = SECURE.decode_response(FetchReports(), answer(DOC_REPORT, gz=True), ACCOUNT)
    simple_body = ('{"code":"SUCCESS","data":' + DOC_REPORT + "}").encode()
    simple = SIMPLE.decode_response(FetchReports(), HttpResponse(200, (), simple_body), ACCOUNT)
    enc_push = HttpRequest(
        "POST", "/", (("appId", ACCOUNT.app_id),), aes_seal(DOC_REPORT.encode(), gz=True)
    )
    plain_push = HttpRequest(
        "POST",
        "/",
        (("appId", ACCOUNT.app_id),),
        str(httpx.QueryParams(reports=DOC_REPORT)).encode(),
    )
    for batch in (
        secure,
        simple,
        SECURE.decode_push(enc_push, {ACCOUNT.app_id: ACCOUNT}.get),
        SIMPLE.decode_push(plain_push, {ACCOUNT.app_id: ACCOUNT}.get),
    ):
        assert [r.extension for r in batch] == ["123"]


def test_report_extension_is_rendered_by_every_writer() -> None:
    report = DeliveryReport(
        "13800138000", DeliveryStatus.DELIVERED, "DELIVRD", "1", None, NOW, NOW, None, "123"
    )
    req = request("/inter/getReport", timed({}), gz=False)
    secure = json.loads(aes_open(served(req, Batch((report,))).body, gz=False))
    simple = json.loads(SIMPLE.encode_response(FetchReports(), Batch((report,)), ACCOUNT).body)
    (enc,) = SECURE.encode_push(Batch((report,)), ACCOUNT)
    (plain,) = SIMPLE.encode_push(Batch((report,)), ACCOUNT)
    pushed = json.loads(parse_qs(plain.body.decode("ascii"))["reports"][0])
    for records in (secure, simple["data"], json.loads(aes_open(enc.body, gz=True)), pushed):
        assert records[0]["extendedCode"] == "123"


# ----------------------------------------------------------------- 9. simple limits


def test_simple_timer_window_in_both_roles() -> None:
    # §2.2.1 "timerTime string 定时发送时间(选填，定时时间在 90天之内)".
    for when in (NOW - timedelta(minutes=1), NOW + timedelta(days=200)):
        with pytest.raises(EncodeError):
            SIMPLE.encode_request(SendSms(("13800138000",), "hi", send_at=when), ACCOUNT, STAMP)
    ok = SendSms(("13800138000",), "hi", send_at=NOW + timedelta(days=89))
    req = SIMPLE.encode_request(ok, ACCOUNT, STAMP)
    assert SIMPLE.decode_request(req, lookup, STAMP)[0] == ok
    for timer in ("20240101000000", "20241117093000"):
        form = _signed({"mobiles": "13800138000", "content": "hi", "timerTime": timer})
        with pytest.raises(GatewayError) as caught:
            SIMPLE.decode_request(form, lookup, STAMP)
        assert caught.value.code == "ERROR_SMS_TIME"


def _signed(params: dict[str, str], path: str = "/simpleinter/sendSMS") -> HttpRequest:
    timestamp = "20240501093000"
    sign = hashlib.md5((ACCOUNT.app_id + KEY + timestamp).encode()).hexdigest()
    pairs = {"appId": ACCOUNT.app_id, "timestamp": timestamp, "sign": sign, **params}
    body = str(httpx.QueryParams(pairs)).encode("ascii")
    return HttpRequest("POST", path, (), body)


def test_simple_fetch_number_in_both_roles() -> None:
    # §2.2.3 "number int 获取数量 最多 500个，默认 500个".
    req = SIMPLE.encode_request(emay.FetchReportsUpTo(1), ACCOUNT, STAMP)
    assert parse_qs(req.body.decode())["number"] == ["1"]
    assert "number" not in parse_qs(
        SIMPLE.encode_request(FetchReports(), ACCOUNT, STAMP).body.decode()
    )
    with pytest.raises(EncodeError):
        SIMPLE.encode_request(emay.FetchInboundUpTo(501), ACCOUNT, STAMP)
    assert SIMPLE.decode_request(_signed({"number": "1"}, "/simpleinter/getReport"), lookup)[
        0
    ] == emay.FetchReportsUpTo(1)
    assert SIMPLE.decode_request(_signed({}, "/simpleinter/getMo"), lookup)[0] == FetchInbound()


# ----------------------------------------------------------------- 10. key sizes


def test_only_the_secure_interface_needs_an_aes_key() -> None:
    account = emay.Account("EUCP-EMY-SMS1-SHORT", "short-key")
    req = SIMPLE.encode_request(QueryBalance(), account, STAMP)
    sign = parse_qs(req.body.decode())["sign"][0]
    stamp = parse_qs(req.body.decode())["timestamp"][0]
    assert sign == hashlib.md5(f"EUCP-EMY-SMS1-SHORT{'short-key'}{stamp}".encode()).hexdigest()
    retrieve = emay.RetrieveReport(NOW - timedelta(minutes=5), NOW - timedelta(minutes=1))
    assert SECURE.encode_request(retrieve, account, STAMP).target == "/report/retrieveReport"
    with pytest.raises(EncodeError, match="16, 24 or 32"):
        SECURE.encode_request(QueryBalance(), account, STAMP)


# ----------------------------------------------------------------- 12. getShortLink


def test_short_link_clicks_keep_the_long_link_and_are_read_once() -> None:
    # §2.1.14.2.2: "longLink": "https://emay.cn"; number "默认每次请求给 500个" as getReport.
    printed = SECURE.spec.example("getShortLink").answer
    assert printed is not None
    clicks = SECURE.decode_response(
        emay.FetchShortLinkClicks(), answer(printed.body, gz=True), ACCOUNT
    )
    assert [c.long_link for c in clicks] == ["https://emay.cn"] * 2
    assert emay.FetchShortLinkClicks.effect is Effect.DESTRUCTIVE_READ
    assert "short-link-read-once" in {q.id for q in SECURE.spec.quirks}


# ----------------------------------------------------------------- 14. appId of a push


def test_push_credential_is_the_app_id_header() -> None:
    # §2.3: "通过 HTTP 头传输 appId，用户根据 APPID 进行匹配".
    push = HttpRequest("POST", "/", (("APPID", " EUCP-EMY-SMS1-FIDEL "),), b"")
    assert SECURE.push_credential(push) == "EUCP-EMY-SMS1-FIDEL"
    assert SIMPLE.push_credential(push) == "EUCP-EMY-SMS1-FIDEL"
    assert emay.push_credential(HttpRequest("POST", "/", (), b"")) is None


# ----------------------------------------------------------------- the simulator


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Simulator(rate_limits=False)) as running:
        yield running


@pytest.mark.parametrize("gz", [True, False])
def test_simulator_answers_as_the_request_asks(server: SimServer, gz: bool) -> None:
    account = server.simulator.state("emay").account
    key = account.secret_key
    headers = {"appId": account.app_id, **({"gzip": "on"} if gz else {})}
    obj = {"requestTime": int(datetime.now(CST).timestamp() * 1000), "requestValidPeriod": 60}
    body = aes_seal(json.dumps(obj).encode(), gz=gz, key=key)
    with httpx.Client(trust_env=False) as http:
        got = http.post(server.url("emay") + "/inter/getBalance", content=body, headers=headers)
    assert got.headers["result"] == "SUCCESS"
    assert "balance" in json.loads(aes_open(got.content, gz=gz, key=key))


@pytest.mark.parametrize("options", [{"gzip": False}, {"charset": "gbk"}])
def test_gzip_off_and_gbk_clients_round_trip(server: SimServer, options: dict[str, Any]) -> None:
    sim = server.simulator
    account = sim.new_account("emay", balance=Decimal(10))
    url = server.url("emay")
    with Client(emay.Codec(**options), account, url) as client:
        assert client.balance() == Balance(Decimal(10))
        sent = client.send(("13800138000", "13800138001"), "验证码 1234")
        assert sent.accepted == 2
        sim.inject_reply("emay", "13800138000", "收到", account.app_id)
        (reply,) = client.fetch_inbound()
        assert reply.content == "收到"


def test_simulator_serves_mixed_ids_and_one_number_batches(server: SimServer) -> None:
    # Item 12.8: the simulator answered HTTP 500 to a sendBatchSMS with mixed ids.
    account = server.simulator.new_account("emay", balance=Decimal(10))
    key = account.secret_key
    millis = int(datetime.now(CST).timestamp() * 1000)
    smses = [{"mobile": "13800138000", "customSmsId": "a"}, {"mobile": "13800138001"}]
    obj = {"smses": smses, "content": "hi", "requestTime": millis, "requestValidPeriod": 60}
    body = aes_seal(json.dumps(obj).encode(), gz=False, key=key)
    with httpx.Client(trust_env=False) as http:
        got = http.post(
            server.url("emay") + "/inter/sendBatchSMS",
            content=body,
            headers={"appId": account.app_id},
        )
    assert got.status_code == 200 and got.headers["result"] == "SUCCESS"
    receipts = json.loads(aes_open(got.content, gz=False, key=key))
    assert [r["customSmsId"] for r in receipts] == ["a", None]


# ----------------------------------------------------------------- quirks of this issue

FIDELITY_QUIRKS = {
    "answer-charset": test_gbk_client_reads_utf8_answers,
    "sdk-answer-charset": test_an_answer_in_the_requests_charset_is_not_lost,
    "answer-gzip-follows-request": test_answer_compression_follows_the_request,
    "optional-empty-string": test_empty_optional_fields_are_absent,
    "batch-custom-id-per-number": test_mixed_null_and_given_ids_are_missing_ids,
    "unreadable-body-code": test_decompression_bomb_is_not_a_decryption_failure,
    "short-link-read-once": test_short_link_clicks_keep_the_long_link_and_are_read_once,
    "trailing-comma": test_literal_answer_examples_decode,
    "full-width-comma": test_literal_answer_examples_decode,
    "curly-quotes": test_request_with_the_documents_typography_decodes,
}


def test_every_quirk_of_this_issue_is_listed() -> None:
    assert set(FIDELITY_QUIRKS) <= {q.id for q in SECURE.spec.quirks}


def test_simulator_hands_out_clicks_once_and_honours_number(server: SimServer) -> None:
    sim = server.simulator
    account = sim.new_account("emay", balance=Decimal(10))
    url = server.url("emay")
    with Client(emay.Codec(), account, url) as client:
        link = emay.SendShortLink(
            f"详情 {emay.PLACEHOLDER}", "https://emay.cn", [emay.Recipient("13800138000")]
        )
        client.call(link)
        code = sim.state("emay", account.app_id).sent()[-1].content.rsplit("/", 1)[1]
        sim.click_short_link("emay", code, account.app_id)
        # Quirk short-link-read-once: a click is handed out once, as reports and replies are.
        assert [c.long_link for c in client.call(emay.FetchShortLinkClicks())] == [
            "https://emay.cn"
        ]
        assert list(client.call(emay.FetchShortLinkClicks())) == []
    with Client(emay.SimpleCodec(), account, url) as simple:
        simple.send(("13800138001", "13800138002"), "hi")
        # §2.2.3 "number int 获取数量": number=1 hands out one report, the other waits.
        deadline = datetime.now(CST) + timedelta(seconds=10)
        first: list[DeliveryReport] = []
        while not first and datetime.now(CST) < deadline:
            first = list(simple.call(emay.FetchReportsUpTo(1)))
        assert len(first) == 1
        rest = list(simple.call(emay.FetchReportsUpTo(500)))
        # The short link's report and the send's other one were left for the next fetch.
        assert sorted(r.mobile for r in first + rest) == [
            "13800138000",
            "13800138001",
            "13800138002",
        ]
