"""emay secure interface: the document's examples, the AES/gzip envelope, refusals, limits.

Golden values come from the vendor document (specs/emay.toml vectors) and from
an independent AES/ECB + PKCS#5 + gzip implementation written here with
pycryptodome and the standard library, never from the codec's own output.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from Crypto.Cipher import AES
from hypothesis import given
from hypothesis import strategies as st
from smswire import codecs
from smswire.codecs import (
    Balance,
    DecodeError,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    SmsWireError,
    Stamp,
    emay,
    from_jsonable,
    get_codec,
    to_jsonable,
)
from smswire.codecs.strategies import emay as strategies

CST = timezone(timedelta(hours=8))
SPEC = emay.Codec.spec
KEYS = {
    16: "0123456789abcdef",
    24: "0123456789abcdefGHIJKLMN",
    32: "密钥0123456789abcdefghijklmnop",
}
ACCOUNTS = {size: emay.Account("EUCP-EMY-SMS1-1GXOA", key) for size, key in KEYS.items()}
ACCOUNT = ACCOUNTS[16]
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
STAMP = Stamp(NOW)
NOW_MS = 1714527000000  # 2024-05-01 01:30:00 UTC, computed by hand


# --------------------------------------------------------------------------- independent AES


def plain_seal(data: bytes, key: bytes, *, gz: bool) -> bytes:
    if gz:
        data = gzip.compress(data)
    pad = 16 - len(data) % 16
    return AES.new(key, AES.MODE_ECB).encrypt(data + bytes([pad]) * pad)


def plain_unseal(body: bytes, key: bytes, *, gz: bool) -> bytes:
    data = AES.new(key, AES.MODE_ECB).decrypt(body)
    pad = data[-1]
    assert 1 <= pad <= 16
    assert data[-pad:] == bytes([pad]) * pad
    data = data[:-pad]
    return gzip.decompress(data) if gz else data


def stamp_at(millis: int) -> Stamp:
    return Stamp(datetime.fromtimestamp(millis / 1000, CST))


def lookup(app_id: str) -> emay.Account | None:
    return ACCOUNT if app_id == ACCOUNT.app_id else None


def sealed_request(
    path: str, obj: Any, key: bytes = ACCOUNT.key, *, gz: bool = True, app_id: str | None = None
) -> HttpRequest:
    headers = [("appId", app_id or ACCOUNT.app_id), ("encode", "UTF-8")]
    if gz:
        headers.append(("gzip", "on"))
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return HttpRequest("POST", path, headers, plain_seal(body, key, gz=gz))


def success(obj: Any, key: bytes = ACCOUNT.key, *, gz: bool = True) -> HttpResponse:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return HttpResponse(200, (("result", "SUCCESS"),), plain_seal(body, key, gz=gz))


def vector(name: str) -> dict[str, Any]:
    return dict(SPEC.vector(name))


def plaintext(name: str, side: str) -> str:
    """A document example's request or answer JSON, from its vector or its [[examples]] entry."""
    if any(v["name"] == name for v in SPEC.vectors):
        return str(vector(name)[side])
    example = SPEC.example(name)
    assert example.request is not None and example.answer is not None
    return example.request.body if side == "request" else example.canonical or example.answer.body


def cst(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=CST)


codec = emay.Codec()

# ------------------------------------------------------------------ the document's examples

T = cst(2017, 3, 15, 12, 0, 0)
DOC_RECEIPTS = SendResult(
    (
        Receipt("15538850000", "20170392833833891100", "20170392833833891100"),
        Receipt("15538850001", "20170392833833892100", "20170392833833891100"),
    )
)
SEND_VECTORS: dict[str, tuple[Any, SendResult]] = {
    "sendSingleSMS": (
        SendSms(
            ("15538850000",),
            "【清华大学】 i love you ! ",
            send_at=T,
            extension="112",
            client_ids=("2017010709302911",),
        ),
        SendResult((Receipt("15538850000", "20170392833833891100", "20170392833833891100"),)),
    ),
    "sendBatchSMS": (
        SendSms(
            ("15538867822", "15538867823"), "【清华大学】 i love you ! ", send_at=T, extension="112"
        ),
        DOC_RECEIPTS,
    ),
    "sendBatchOnlySMS": (
        SendSms(
            ("15538867822", "15538867823"), "【清华大学】 i love you ! ", send_at=T, extension="112"
        ),
        DOC_RECEIPTS,
    ),
    "sendPersonalitySMS": (
        SendPersonalized(
            (
                PersonalizedMessage("15538867822", "haha"),
                PersonalizedMessage("15538867823", "haha1"),
            ),
            send_at=T,
            extension="112",
        ),
        DOC_RECEIPTS,
    ),
    "sendPersonalityAllSMS": (
        emay.SendPersonalityAll(
            (
                emay.PersonalityMessage(
                    "15538867822", "haha", send_at=cst(2017, 11, 10, 20, 0, 0), extension="012"
                ),
                emay.PersonalityMessage("15538867823", "haha1", extension="013"),
            )
        ),
        DOC_RECEIPTS,
    ),
    "sendShortLinkSMS": (
        emay.SendShortLink(
            "北京欢迎您，旅游详情请点击{#短网址#}",
            "http://wwww.baidu.com",
            (emay.Recipient("12100000000", "1"), emay.Recipient("12100000000", "2")),
            1,
            send_at=cst(2020, 6, 27, 9, 10, 10),
            extension="111",
        ),
        DOC_RECEIPTS,
    ),
}
# The §2.1 examples replayed by tests/test_vectors.py are [[examples]]; these sends stay
# vectors (specs/emay.toml says why): the client role cannot write their requests as
# printed, so only the server role's reading and the client's answer are checked here.
ALL_VECTORS = SEND_VECTORS


def test_every_secure_example_is_a_vector_or_an_example() -> None:
    secure = {v["name"] for v in SPEC.vectors if SPEC.endpoints.get(v.get("endpoint", ""))}
    assert secure == set(ALL_VECTORS)
    examples = {e.name for e in SPEC.examples if e.section.startswith("2.1.")}
    assert len(secure) + len(examples) == 15


@pytest.mark.parametrize("name", sorted(ALL_VECTORS))
@pytest.mark.parametrize("gz", [True, False])
def test_document_request_decodes(name: str, gz: bool) -> None:
    v = vector(name)
    request = sealed_request(SPEC.endpoint(v["endpoint"]), json.loads(v["request"]), gz=gz)
    op, account = emay.Codec(gzip=gz).decode_request(request, lookup)
    assert op == ALL_VECTORS[name][0]
    assert account == ACCOUNT


@pytest.mark.parametrize("name", sorted(ALL_VECTORS))
@pytest.mark.parametrize("gz", [True, False])
def test_document_response_decodes(name: str, gz: bool) -> None:
    op, expected = ALL_VECTORS[name]
    response = success(json.loads(vector(name)["response"]), gz=gz)
    assert emay.Codec(gzip=gz).decode_response(op, response, ACCOUNT) == expected


@pytest.mark.parametrize("name", sorted(ALL_VECTORS))
def test_server_renders_document_response(name: str) -> None:
    op, result = ALL_VECTORS[name]
    expected = json.loads(vector(name)["response"])
    response = codec.encode_response(op, result, ACCOUNT)
    assert response.header("result") == "SUCCESS"
    assert json.loads(plain_unseal(response.body, ACCOUNT.key, gz=True)) == expected


# --------------------------------------------------------------------------- the envelope


@pytest.mark.parametrize("size", [16, 24, 32])
@pytest.mark.parametrize("gz", [True, False])
def test_request_decrypts_with_plain_aes(size: int, gz: bool) -> None:
    account = ACCOUNTS[size]
    op = SendSms(("13800000000", "13900000000"), "验证码 1234，€", extension="12")
    request = emay.Codec(gzip=gz, request_valid_period=45).encode_request(op, account, STAMP)
    assert request.target == "/inter/sendBatchOnlySMS"
    assert request.header("appId") == account.app_id
    assert request.header("encode") == "UTF-8"
    assert request.header("gzip") == ("on" if gz else None)
    assert json.loads(plain_unseal(request.body, KEYS[size].encode(), gz=gz).decode("utf-8")) == {
        "mobiles": ["13800000000", "13900000000"],
        "content": "验证码 1234，€",
        "timerTime": None,
        "extendedCode": "12",
        "requestTime": NOW_MS,
        "requestValidPeriod": 45,
    }


@pytest.mark.parametrize("size", [16, 24, 32])
@pytest.mark.parametrize("gz", [True, False])
def test_hand_sealed_answer_decodes(size: int, gz: bool) -> None:
    response = success({"balance": 77}, KEYS[size].encode(), gz=gz)
    assert emay.Codec(gzip=gz).decode_response(QueryBalance(), response, ACCOUNTS[size]) == Balance(
        Decimal(77)
    )


@pytest.mark.parametrize("size", [16, 24, 32])
@pytest.mark.parametrize("gz", [True, False])
def test_hand_sealed_request_decodes(size: int, gz: bool) -> None:
    account = ACCOUNTS[size]
    obj = {"templateId": "9", "requestTime": NOW_MS, "requestValidPeriod": 60}
    request = sealed_request("/inter/queryTemplateSMS", obj, account.key, gz=gz)
    op, who = codec.decode_request(request, lambda _k: account, STAMP)
    assert (op, who) == (emay.QueryTemplate("9"), account)


def test_gbk_charset() -> None:
    c = emay.Codec(charset="gbk", gzip=False)
    request = c.encode_request(SendSms(("13800000000",), "短信丂"), ACCOUNT, STAMP)
    assert request.header("encode") == "GBK"
    assert json.loads(plain_unseal(request.body, ACCOUNT.key, gz=False).decode("gbk"))[
        "content"
    ] == ("短信丂")
    with pytest.raises(EncodeError, match="gbk"):
        c.encode_request(SendSms(("13800000000",), "😀"), ACCOUNT, STAMP)
    with pytest.raises(EncodeError):
        emay.Codec(charset="no-such-charset")


def _body_cases() -> list[tuple[str, bytes, bool]]:
    key = ACCOUNT.key
    good = plain_seal(b'{"balance":1}', key, gz=True)
    no_pad = AES.new(key, AES.MODE_ECB).encrypt(b'{"balance":1}\x00\x00\x00')
    bad_gzip = plain_seal(gzip.compress(b'{"balance":1}')[:-6], key, gz=False)
    return [
        ("wrong key", plain_seal(b'{"balance":1}', KEYS[32].encode(), gz=True), True),
        ("truncated block", good[:-3], True),
        ("truncated to whole blocks", good[:16], True),
        ("bad padding", no_pad, False),
        ("bad gzip", bad_gzip, True),
        ("not gzip", plain_seal(b'{"balance":1}', key, gz=False), True),
        ("not JSON", plain_seal(b"\xff\xfe{", key, gz=False), False),
        ("JSON of wrong shape", plain_seal(b'{"balance":"x"}', key, gz=False), False),
        ("empty", b"", True),
    ]


@pytest.mark.parametrize(("why", "body", "gz"), _body_cases(), ids=[c[0] for c in _body_cases()])
def test_unreadable_answers_are_decode_errors(why: str, body: bytes, gz: bool) -> None:
    response = HttpResponse(200, (("result", "SUCCESS"),), body)
    with pytest.raises(DecodeError) as caught:
        emay.Codec(gzip=gz).decode_response(QueryBalance(), response, ACCOUNT)
    assert caught.value.raw == body


def test_decompression_cap() -> None:
    bomb = json.dumps({"balance": 1, "pad": "0" * 5_000_000}).encode()
    body = plain_seal(bomb, ACCOUNT.key, gz=True)
    assert len(body) < 20_000
    response = HttpResponse(200, (("result", "SUCCESS"),), body)
    with pytest.raises(DecodeError, match="inflates beyond") as caught:
        codec.decode_response(QueryBalance(), response, ACCOUNT)
    assert caught.value.raw == body
    roomy = emay.Codec(max_decompressed=6_000_000)
    assert roomy.decode_response(QueryBalance(), response, ACCOUNT) == Balance(Decimal(1))
    small = plain_seal(b'{"balance":1}' + b" " * 100, ACCOUNT.key, gz=False)
    with pytest.raises(DecodeError):
        emay.Codec(gzip=False, max_decompressed=50).decode_response(
            QueryBalance(), HttpResponse(200, (("result", "SUCCESS"),), small), ACCOUNT
        )


def test_seal_is_deterministic_and_matches_plain_aes() -> None:
    # gzip's header holds a time: the envelope writes 0 so that codecs stay pure.
    data = b"x" * 100
    assert emay.seal(data, ACCOUNT.key, gzip=True) == emay.seal(data, ACCOUNT.key, gzip=True)
    assert emay.seal(data, ACCOUNT.key, gzip=False) == plain_seal(data, ACCOUNT.key, gz=False)
    assert plain_unseal(emay.seal(data, ACCOUNT.key, gzip=True), ACCOUNT.key, gz=True) == data


# --------------------------------------------------------------------------- result header


def test_error_answer_is_gateway_error() -> None:
    response = HttpResponse(200, (("result", "ERROR_BALANCE"),), b"")
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(SendSms(("13800000000",), "x"), response, ACCOUNT)
    assert caught.value.code == "ERROR_BALANCE"
    assert caught.value.kind is ErrorKind.BALANCE
    assert caught.value.message == "余额不足"
    with pytest.raises(GatewayError) as unknown:
        codec.decode_response(
            QueryBalance(), HttpResponse(200, (("RESULT", "ERROR_NEW"),)), ACCOUNT
        )
    assert unknown.value.kind is ErrorKind.UNKNOWN


def test_error_answer_body_is_not_decrypted() -> None:
    # Only a SUCCESS body is sealed; a refusal's body may be anything.
    response = HttpResponse(200, (("result", "ERROR_OVER_SPEED"),), b"\x00garbage")
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(QueryBalance(), response, ACCOUNT)
    assert caught.value.retryable
    assert caught.value.raw == b"\x00garbage"


def test_quirk_reasult_header() -> None:
    # The examples read http.getHead("reasult"); the gateway's header is `result`.
    body = plain_seal(b'{"balance":5}', ACCOUNT.key, gz=True)
    with pytest.raises(DecodeError, match="no result header"):
        codec.decode_response(
            QueryBalance(), HttpResponse(200, (("reasult", "SUCCESS"),), body), ACCOUNT
        )
    ok = HttpResponse(200, (("Result", "SUCCESS"),), body)
    assert codec.decode_response(QueryBalance(), ok, ACCOUNT) == Balance(Decimal(5))


def test_status_tables() -> None:
    # Quirk status-table-numbering: the prose says "4.接口状态码表"; it is section 3.
    assert len(SPEC.statuses) == 22
    assert SPEC.ok.code == "SUCCESS"
    assert SPEC.status("ERROR_APPID").kind is ErrorKind.AUTH  # type: ignore[union-attr]
    assert SPEC.status("ERROR_OVER_SPEED").retryable  # type: ignore[union-attr]
    states = SPEC.report_status
    assert len(SPEC.report_states) == len(states) == 16
    assert states["DELIVRD"] is DeliveryStatus.DELIVERED
    assert states["TIMEOUT"] is DeliveryStatus.UNKNOWN
    assert all(states[c] is DeliveryStatus.FAILED for c in states if c.startswith("FAIL_"))


# --------------------------------------------------------------------------- server role


def _balance_request(request_time: int, period: int = 60, **kw: Any) -> HttpRequest:
    obj = {"requestTime": request_time, "requestValidPeriod": period}
    return sealed_request("/inter/getBalance", obj, **kw)


def test_expiry_boundary() -> None:
    # Valid while requestTime + period*1000 > now (ms); expired at equality.
    stamp = stamp_at(NOW_MS)
    assert (
        codec.decode_request(_balance_request(NOW_MS - 59_999), lookup, stamp)[0] == QueryBalance()
    )
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(_balance_request(NOW_MS - 60_000), lookup, stamp)
    assert caught.value.code == "ERROR_REQUEST_NO_VALID"
    # Without a server clock the window is not checked.
    assert codec.decode_request(_balance_request(0), lookup)[0] == QueryBalance()


def test_server_refusals() -> None:
    def refusal(request: HttpRequest) -> str:
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(request, lookup, STAMP)
        return caught.value.code

    assert refusal(_balance_request(NOW_MS, app_id="nobody")) == "ERROR_APPID"
    no_app = HttpRequest("POST", "/inter/getBalance", (), _balance_request(NOW_MS).body)
    assert refusal(no_app) == "ERROR_APPID"
    assert refusal(_balance_request(NOW_MS, key=KEYS[24].encode())) == "ERROR_ENCRYPTION"
    not_gzipped = _balance_request(NOW_MS, gz=False)
    gz_claimed = HttpRequest(
        "POST", not_gzipped.target, (*not_gzipped.headers, ("gzip", "on")), not_gzipped.body
    )
    # Decrypted, but not gzip although the header says so: no decryption failure.
    assert refusal(gz_claimed) == "ERROR_PARAMS"
    assert refusal(sealed_request("/inter/getBalance", {"requestTime": "x"})) == "ERROR_PARAMS"
    assert refusal(sealed_request("/inter/getBalance", [1])) == "ERROR_PARAMS"
    base = {"requestTime": NOW_MS, "requestValidPeriod": 60, "content": "hi"}
    batch = "/inter/sendBatchOnlySMS"
    assert refusal(sealed_request(batch, {**base, "mobiles": ["1"] * 501})) == "ERROR_MOBILE_NUMBER"
    assert refusal(sealed_request(batch, {**base, "mobiles": []})) == "ERROR_MOBILE_EMPTY"
    assert refusal(sealed_request(batch, {**base, "mobiles": ["13x"]})) == "ERROR_MOBILE_ERROR"
    assert (
        refusal(sealed_request(batch, {**base, "mobiles": ["1"], "content": ""}))
        == "ERROR_CONTENT_EMPTY"
    )
    single = "/inter/sendSingleSMS"
    one = {**base, "mobile": "13800000000"}
    assert refusal(sealed_request(single, {**one, "customSmsId": "x" * 33})) == "ERROR_CUSTOM_SMSID"
    assert (
        refusal(sealed_request(single, {**one, "extendedCode": "1" * 13})) == "ERROR_EXTENDED_CODE"
    )
    late = "2024-07-30 09:30:01"  # 90 days and a second after NOW
    assert refusal(sealed_request(single, {**one, "timerTime": late})) == "ERROR_SMS_TIME"
    assert refusal(sealed_request(single, {**one, "timerTime": "soon"})) == "ERROR_SMS_TIME"
    link = {**base, "smses": [{"mobile": "1"}], "url": "u", "content": "{#短网址#}"}
    assert (
        refusal(sealed_request("/inter/sendShortLinkSMS", {**link, "shortLinkRule": "3"}))
        == "ERROR_PARAMS"
    )
    assert (
        refusal(
            sealed_request(
                "/inter/sendShortLinkSMS", {**link, "shortLinkRule": "1", "content": "x"}
            )
        )
        == "ERROR_PARAMS"
    )


def test_server_rejects_unknown_paths() -> None:
    with pytest.raises(DecodeError):
        codec.decode_request(HttpRequest("POST", "/inter/nothing", (), b""), lookup)
    with pytest.raises(DecodeError):
        codec.decode_request(HttpRequest("GET", "/inter/getBalance", (), b""), lookup)


def test_encode_error_renders_result_header_only() -> None:
    request = _balance_request(NOW_MS)
    error = SPEC.error("ERROR_APPID")
    response = codec.encode_error(request, error)
    assert response.header("result") == "ERROR_APPID"
    assert response.body == b""
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(QueryBalance(), response, ACCOUNT)
    assert caught.value == error


# --------------------------------------------------------------------------- limits


def test_numbers_per_request_and_plan() -> None:
    numbers = tuple(f"138{n:08d}" for n in range(1201))
    ids = tuple(f"id{n}" for n in range(1201))
    op = SendSms(numbers, "hi", client_ids=ids)
    with pytest.raises(EncodeError, match="500"):
        codec.encode_request(op, ACCOUNT, STAMP)
    parts = codec.plan(op)
    assert [len(p.mobiles) for p in parts] == [500, 500, 201]  # type: ignore[attr-defined]
    assert sum((p.client_ids for p in parts), ()) == ids  # type: ignore[attr-defined]
    for part in parts:
        codec.encode_request(part, ACCOUNT, STAMP)
    messages = [PersonalizedMessage(n, "x") for n in numbers[:501]]
    assert [len(p.messages) for p in codec.plan(SendPersonalized(messages))] == [500, 1]  # type: ignore[attr-defined]
    recipients = [emay.Recipient(n) for n in numbers[:1000]]
    assert len(codec.plan(emay.SendTemplate("1", recipients))) == 2
    assert codec.plan(QueryBalance()) == (QueryBalance(),)


def test_custom_id_extension_and_schedule_limits() -> None:
    def refused(op: Any, stamp: Stamp = STAMP) -> str:
        with pytest.raises(EncodeError) as caught:
            codec.encode_request(op, ACCOUNT, stamp)
        return str(caught.value)

    assert "32" in refused(SendSms(("13800000000",), "x", client_ids=("x" * 33,)))
    codec.encode_request(SendSms(("13800000000",), "x", client_ids=("x" * 32,)), ACCOUNT, STAMP)
    assert "12" in refused(SendSms(("13800000000",), "x", extension="1" * 13))
    assert "digits" in refused(SendSms(("13800000000",), "x", extension="12a"))
    assert "90" in refused(
        SendSms(("13800000000",), "x", send_at=NOW + timedelta(days=90, seconds=1))
    )
    assert "90" in refused(SendSms(("13800000000",), "x", send_at=NOW))
    assert "empty" in refused(SendSms(("13800000000",), ""))
    assert "since" in refused(FetchInbound(since=NOW))
    edge = codec.encode_request(
        SendSms(("13800000000",), "x", send_at=NOW + timedelta(days=90)), ACCOUNT, STAMP
    )
    assert (
        json.loads(plain_unseal(edge.body, ACCOUNT.key, gz=True))["timerTime"]
        == "2024-07-30 09:30:00"
    )


def test_operation_validation() -> None:
    with pytest.raises(EncodeError, match="短网址"):
        emay.SendShortLink("no link", "http://a", (emay.Recipient("1"),))
    with pytest.raises(EncodeError, match="rule"):
        emay.SendShortLink("{#短网址#}", "http://a", (emay.Recipient("1"),), rule=3)
    with pytest.raises(EncodeError, match="twice"):
        emay.TemplateVariables("1", [("a", "1"), ("a", "2")])
    with pytest.raises(EncodeError):
        emay.SendTemplate("1", ())


@pytest.mark.parametrize("size", [16, 24, 32])
def test_account_key_sizes(size: int) -> None:
    account = emay.Account("app", KEYS[size])
    assert len(account.key) == size
    assert KEYS[size] not in repr(account)


@pytest.mark.parametrize("key", ["k" * 15, "k" * 17, "密" * 6, "k" * 33])
def test_secure_interface_refuses_other_key_sizes(key: str) -> None:
    # Item 12.10: only the secure interface needs an AES-sized key (16/24/32 bytes).
    account = emay.Account("app", key)
    with pytest.raises(EncodeError) as caught:
        codec.encode_request(QueryBalance(), account, STAMP)
    assert "16, 24 or 32" in str(caught.value)
    assert key not in str(caught.value)
    assert key not in repr(account)


def test_account_refuses_an_empty_key() -> None:
    with pytest.raises(EncodeError):
        emay.Account("app", "")


# --------------------------------------------------------------------------- endpoints and results


def test_endpoint_choice() -> None:
    def target(op: Any) -> str:
        return codec.encode_request(op, ACCOUNT, STAMP).target

    assert target(SendSms(("13800000000",), "x")) == "/inter/sendSingleSMS"
    # Item 12.7: §2.1.1 takes "customSmsId 自定义消息 ID(选填)": one number with an id.
    assert target(SendSms(("13800000000",), "x", client_ids=("a",))) == "/inter/sendSingleSMS"
    assert target(SendSms(("13800000000", "1"), "x", client_ids=("a", "b"))) == (
        "/inter/sendBatchSMS"
    )
    assert target(SendSms(("13800000000", "1"), "x")) == "/inter/sendBatchOnlySMS"
    assert target(SendPersonalized([PersonalizedMessage("1", "x")])) == "/inter/sendPersonalitySMS"
    assert target(FetchReports()) == "/inter/getReport"
    assert target(FetchInbound()) == "/inter/getMo"
    assert target(QueryBalance()) == "/inter/getBalance"
    # Quirk url-space: the document prints "http://ip:port /inter/createTemplateSMS".
    assert target(emay.CreateTemplate("t")) == "/inter/createTemplateSMS"
    assert target(emay.SendTemplate("t", [emay.Recipient("1")])) == "/inter/sendTemplateNormalSMS"


def test_report_states_and_malformed_records() -> None:
    records = [
        {"mobile": "1", "state": "TIMEOUT", "submitTime": "2024-01-01 00:00:00"},
        {"mobile": "2", "state": "FAIL_BLACK_LIST", "smsId": None},
        {"mobile": "3", "state": "MK:0001"},
        {"mobile": ["4"], "state": "DELIVRD"},
        {"mobile": "5", "state": "DELIVRD", "receiveTime": "yesterday"},
        "junk",
    ]
    batch = codec.decode_response(FetchReports(), success(records), ACCOUNT)
    # Quirk report-state-fallback: TIMEOUT is unknown; a state §4 does not list (MK:0001)
    # is unknown too, its code kept.
    assert [r.status for r in batch] == [
        DeliveryStatus.UNKNOWN,
        DeliveryStatus.FAILED,
        DeliveryStatus.UNKNOWN,
    ]
    assert [r.code for r in batch] == ["TIMEOUT", "FAIL_BLACK_LIST", "MK:0001"]
    assert batch.items[0].sent_at == cst(2024, 1, 1, 0, 0, 0)
    assert [json.loads(m) for m in batch.malformed] == records[3:]
    with pytest.raises(DecodeError):
        codec.decode_response(FetchReports(), success({"not": "a list"}), ACCOUNT)


def test_quirk_spaced_keys() -> None:
    # The printed answer is the getReport example's (replayed by tests/test_vectors.py).
    example = SPEC.example("getReport")
    assert example.answer is not None and example.canonical is not None
    doc = json.loads(example.answer.body)
    assert "receiveTime " in doc[0]
    batch = codec.decode_response(FetchReports(), success(doc), ACCOUNT)
    plain = codec.decode_response(FetchReports(), success(json.loads(example.canonical)), ACCOUNT)
    assert batch == plain
    assert [r.reported_at for r in batch] == [cst(2017, 3, 15, 12, 0, 0)] * 2
    state = codec.decode_response(
        emay.QueryTemplate("1"), success({" status ": "1", "templateId": "7"}), ACCOUNT
    )
    assert state.status is emay.TemplateStatus.APPROVED
    obj = {" templateContent ": "模板", "requestTime": NOW_MS, "requestValidPeriod": 60}
    assert codec.decode_request(sealed_request("/inter/createTemplateSMS", obj), lookup)[
        0
    ] == emay.CreateTemplate("模板")


def test_quirk_template_status_and_delete_code() -> None:
    assert emay.TemplateState("1", "false").status is emay.TemplateStatus.UNKNOWN
    assert emay.TemplateState("1", "-1").status is emay.TemplateStatus.NOT_FOUND
    as_number = codec.decode_response(
        emay.QueryTemplate("1"), success({"status": 2, "templateId": "1"}), ACCOUNT
    )
    assert as_number == emay.TemplateState("1", "2")
    for code, deleted in (("true", True), (False, False), ("TRUE", True)):
        answer = success({"code": code, "templateId": "1"})
        assert codec.decode_response(emay.DeleteTemplate("1"), answer, ACCOUNT).deleted is deleted
    with pytest.raises(DecodeError):
        codec.decode_response(
            emay.DeleteTemplate("1"), success({"code": "yes", "templateId": "1"}), ACCOUNT
        )


def test_quirk_timer_before_request_and_per_number_timer() -> None:
    v = vector("sendBatchSMS")
    obj = json.loads(v["request"])
    request = sealed_request("/inter/sendBatchSMS", obj)
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(request, lookup, stamp_at(obj["requestTime"]))
    assert caught.value.code == "ERROR_SMS_TIME"
    # template-normal-timer-per-number: one top-level timerTime, as in the examples.
    op = emay.SendTemplate("1", [emay.Recipient("1")], send_at=NOW + timedelta(hours=1))
    sent = json.loads(
        plain_unseal(codec.encode_request(op, ACCOUNT, STAMP).body, ACCOUNT.key, gz=True)
    )
    assert sent["timerTime"] == "2024-05-01 10:30:00"
    assert "timerTime" not in sent["smses"][0]


def test_quirk_batch_only_custom_id_and_number() -> None:
    op = SendSms(("15538850000", "15538850001"), "x")
    assert (
        codec.decode_response(
            op, success(json.loads(vector("sendBatchOnlySMS")["response"])), ACCOUNT
        )
        == DOC_RECEIPTS
    )
    sent = codec.encode_request(emay.FetchInboundUpTo(300), ACCOUNT, STAMP)
    assert sent.target == "/inter/getMo"
    assert json.loads(plain_unseal(sent.body, ACCOUNT.key, gz=True))["number"] == 300


# The document's own text of some examples, copied verbatim, and the fixes each quirk names.
DOC_TEXT = {
    "sendSingleSMS": (
        "request",
        '{ "mobile":"15538850000", "content":"【清华大学】 i love you ! ", '
        '"timerTime":"2017-03-15 12:00:00", “extendedCode”:”112”, '
        '"customSmsId":"2017010709302911", "requestTime":1490588340964, "requestValidPeriod":30 }',
    ),
    "sendBatchOnlySMS": (
        "response",
        '[ { "mobile":"15538850000", "smsId":"20170392833833891100"， '
        '"customSmsId":"20170392833833891100" },{ "mobile":"15538850001", '
        '"smsId":"20170392833833892100"， "customSmsId":"20170392833833891100" } ]',
    ),
    "sendPersonalityAllSMS": (
        "request",
        '{ "smses":[ {“mobile”:”15538867822”,”customSmsId”:null,”content”:”haha”,timerTi\n'
        "me:”2017-11-10 20:00:00”,extendedCode:”012”}, "
        "{“mobile”:”15538867823”,”customSmsId”:null,”content”:”haha1”,timerT\n"
        'ime:null,extendedCode:”013”} ], "requestTime":1490588340964, "requestValidPeriod":30 }',
    ),
    "createTemplateSMS": ("response", '{ "templateId":"15538850000", }'),
    "queryTemplateSMS": ("response", '{ " status ":"false", "templateId":"15538850000", }'),
    "getShortLink": (
        "response",
        '[ { "mobile": "15900000006", "accessTime": "2020-07-03 11:04:36", "equipment": '
        '"Windows 10", "browser": "Chrome", "longLink": "https://emay.cn", "accessAddress": '
        '"http://y.m.cn:7080/002Jhm2Ml0", "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; '
        'x64) \nAppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36", '
        '"appId": "EUCP-EMY-SMS1-1GXOA" },{ '
        '"mobile": "15900000006", "accessTime": "2020-07-03 11:04:36", "equipment": "Windows 10", '
        '"browser": "Chrome", "longLink": "https://emay.cn", "accessAddress": '
        '"http://y.m.cn:7080/002Jhm2Ml0", "userAgent": '
        '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) \nAppleWebKit/537.36 (KHTML, like Gecko) '
        'Chrome/75.0.3770.100 Safari/537.36", "appId": "EUCP-EMY-SMS1-1GXOA" } ]',
    ),
}


def _fix(text: str) -> Any:
    text = re.sub("[“”]", '"', text).replace("，", ",")  # curly-quotes, full-width-comma
    text = text.replace("timerTi\nme:", '"timerTime":').replace("timerT\nime:", '"timerTime":')
    text = text.replace("extendedCode:", '"extendedCode":')  # unquoted-wrapped-keys
    text = re.sub(r",\s*}", "}", text)  # trailing-comma
    text = text.replace(") \nApple", ") Apple")  # wrapped-user-agent
    return (
        {k.strip(): v for k, v in obj.items()} if isinstance(obj := json.loads(text), dict) else obj
    )


@pytest.mark.parametrize("name", sorted(DOC_TEXT))
def test_document_text_with_quirk_fixes_is_the_vector(name: str) -> None:
    side, text = DOC_TEXT[name]
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert _fix(text) == json.loads(plaintext(name, side))


def test_every_secure_quirk_is_tested() -> None:
    tested = {
        "reasult-header",
        "status-table-numbering",
        "curly-quotes",
        "full-width-comma",
        "unquoted-wrapped-keys",
        "spaced-keys",
        "trailing-comma",
        "template-status-false",
        "delete-code-string-bool",
        "url-space",
        "template-normal-timer-per-number",
        "batch-only-custom-id",
        "number-described-as-reports",
        "wrapped-user-agent",
        "timer-before-request",
    }
    ids = {q.id for q in SPEC.quirks}
    assert tested <= ids
    for v in SPEC.vectors:
        if v["name"] in ALL_VECTORS:
            assert set(v["fixes"]) <= ids


# --------------------------------------------------------------------------- registry, models


def test_registry_and_purity_of_options() -> None:
    c = get_codec("emay", gzip=False, charset="gbk")
    assert isinstance(c, emay.Codec)
    assert c.vendor == "emay"
    with pytest.raises(EncodeError):
        emay.Codec(request_valid_period=0)
    assert set(c.operations()) >= {
        SendSms,
        SendPersonalized,
        FetchReports,
        FetchInbound,
        QueryBalance,
    }


def test_effects() -> None:
    from smswire.codecs import Effect

    assert emay.CreateTemplate.effect is Effect.WRITE
    assert emay.DeleteTemplate.effect is Effect.WRITE
    assert emay.QueryTemplate.effect is Effect.READ
    # Risk getShortLink: "默认每次请求给 500个" as getReport/getMo; read-once unless told.
    assert emay.FetchShortLinkClicks.effect is Effect.DESTRUCTIVE_READ
    assert emay.FetchReportsUpTo.effect is Effect.DESTRUCTIVE_READ
    assert emay.SendShortLink.effect is Effect.SEND


@pytest.mark.parametrize("name", sorted(ALL_VECTORS))
def test_models_pickle_and_convert(name: str) -> None:
    op, result = ALL_VECTORS[name]
    for value in (op, result):
        assert pickle.loads(pickle.dumps(value)) == value
    assert from_jsonable(json.loads(json.dumps(to_jsonable(op))), type(op)) == op


@pytest.mark.parametrize("name", [e.name for e in SPEC.examples if e.section.startswith("2.1.")])
def test_example_models_pickle(name: str) -> None:
    fields = dict(SPEC.example(name).operation)
    kind = fields.pop("type")
    op = from_jsonable(fields, getattr(emay, kind, None) or getattr(codecs, kind))
    assert pickle.loads(pickle.dumps(op)) == op


# ---------------------------------------------------------- properties with sealed answers


@st.composite
def _setup(draw: st.DrawFn) -> tuple[emay.Codec, emay.Account, Any]:
    c = draw(strategies.codecs())
    assert isinstance(c, emay.Codec)
    return c, draw(strategies.accounts()), draw(strategies.operations(c))


@given(setup=_setup(), data=st.data())
def test_sealed_answers_decode(
    setup: tuple[emay.Codec, emay.Account, Any], data: st.DataObject
) -> None:
    c, account, op = setup
    response = data.draw(strategies.answers(op, codec=c, account=account))
    try:
        result = c.decode_response(op, response, account)
    except GatewayError:
        return
    assert getattr(result, "malformed", ()) == ()


@given(setup=_setup(), data=st.data())
def test_mutated_sealed_answers_raise_only_smswire_errors(
    setup: tuple[emay.Codec, emay.Account, Any], data: st.DataObject
) -> None:
    c, account, op = setup
    response = data.draw(strategies.mutated_answers(op, codec=c, account=account))
    try:
        c.decode_response(op, response, account)
    except DecodeError as exc:
        assert exc.raw == response.body
    except SmsWireError:
        pass


@given(setup=_setup(), body=st.binary(max_size=300))
def test_arbitrary_bytes_under_success(
    setup: tuple[emay.Codec, emay.Account, Any], body: bytes
) -> None:
    c, account, op = setup
    with pytest.raises(DecodeError):
        c.decode_response(op, HttpResponse(200, (("result", "SUCCESS"),), body), account)


@given(setup=_setup(), body=st.binary(max_size=300))
def test_arbitrary_plaintext_under_the_right_key(
    setup: tuple[emay.Codec, emay.Account, Any], body: bytes
) -> None:
    c, account, op = setup
    response = HttpResponse(200, (("result", "SUCCESS"),), plain_seal(body, account.key, gz=c.gzip))
    try:
        c.decode_response(op, response, account)
    except DecodeError as exc:
        assert exc.raw == response.body
    except SmsWireError:
        pass
