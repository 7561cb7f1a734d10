"""Emay: the secure codec's retrieveReport and encrypted pushes, and the one record reader.

Golden values come from the document (§2.3, §2.4, §4), ``hashlib`` and
pycryptodome/gzip used directly, never from the codec's own output.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from Crypto.Cipher import AES
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
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
    PushCodec,
    Stamp,
    emay,
)

CST = timezone(timedelta(hours=8))
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-DDDD-3EEEE", KEY)
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
STAMP = Stamp(NOW)
SECURE = emay.Codec()
SIMPLE = emay.SimpleCodec()


def encrypt(plain: bytes, *, compress: bool = True) -> bytes:
    data = gzip.compress(plain) if compress else plain
    pad = 16 - len(data) % 16
    return AES.new(KEY.encode(), AES.MODE_ECB).encrypt(data + bytes([pad]) * pad)


def decrypt(body: bytes, *, compress: bool = True) -> bytes:
    data = AES.new(KEY.encode(), AES.MODE_ECB).decrypt(body)
    pad = data[-1]
    assert 1 <= pad <= 16 and data[-pad:] == bytes([pad]) * pad
    return gzip.decompress(data[:-pad]) if compress else data[:-pad]


def lookup(app_id: str) -> emay.Account | None:
    return ACCOUNT if app_id == ACCOUNT.app_id else None


def sealed_answer(json_text: str) -> HttpResponse:
    """A secure-interface SUCCESS answer holding ``json_text`` (gzip on, the codec's default)."""
    return HttpResponse(200, (("result", "SUCCESS"),), encrypt(json_text.encode("utf-8")))


def simple_answer(json_text: str) -> HttpResponse:
    body = f'{{"code":"SUCCESS","data":{json_text}}}'.encode()
    return HttpResponse(200, (("Content-Type", "application/json"),), body)


def encrypted_push(json_text: str) -> HttpRequest:
    return HttpRequest("POST", "/push", (("appId", ACCOUNT.app_id),), encrypt(json_text.encode()))


def plain_push(name: str, json_text: str) -> HttpRequest:
    headers = (("appId", ACCOUNT.app_id), ("Content-Type", "application/x-www-form-urlencoded"))
    return HttpRequest("POST", "/push", headers, f"{name}={quote(json_text)}".encode())


# --------------------------------------------------------------------------- protocols


def test_both_codecs_are_push_codecs() -> None:
    assert isinstance(emay.Codec(), PushCodec)
    assert isinstance(emay.Codec(gzip=False, charset="gbk"), PushCodec)
    assert isinstance(emay.SimpleCodec(), PushCodec)
    assert emay.RetrieveReport in SECURE.operations()


# --------------------------------------------------------------------------- retrieveReport


RETRIEVE = emay.RetrieveReport(
    datetime(2024, 5, 1, 9, 0, tzinfo=CST),
    datetime(2024, 5, 1, 9, 10, tzinfo=CST),
    ("123123123", "321321321"),
)


def test_secure_codec_encodes_retrieve_report_as_the_signed_form() -> None:
    request = SECURE.encode_request(RETRIEVE, ACCOUNT, STAMP)
    assert (request.method, request.target) == ("POST", "/report/retrieveReport")
    form = dict(parse_qsl(request.body.decode("ascii")))
    timestamp = "20240501093000"
    assert form == {
        "appId": ACCOUNT.app_id,
        "timestamp": timestamp,
        "sign": hashlib.md5(f"{ACCOUNT.app_id}{KEY}{timestamp}".encode()).hexdigest(),
        "startTime": "20240501090000",
        "endTime": "20240501091000",
        "smsId": "123123123,321321321",
    }
    # The secure and the simple codec send the very same request.
    assert request == SIMPLE.encode_request(RETRIEVE, ACCOUNT, STAMP)


def test_secure_codec_serves_retrieve_report() -> None:
    request = SECURE.encode_request(RETRIEVE, ACCOUNT, STAMP)
    assert SECURE.decode_request(request, lookup, STAMP) == (RETRIEVE, ACCOUNT)
    answer = SECURE.encode_response(RETRIEVE, None, ACCOUNT)
    assert (answer.status, answer.body) == (200, b"SUCCESS")
    assert SECURE.decode_response(RETRIEVE, answer, ACCOUNT) is None
    # §2.4: "失败返回：errorCode" — the bare code as the body, no result header.
    refusal = SECURE.encode_response(RETRIEVE, SECURE.spec.error("ERROR_REPORT_TIME"), ACCOUNT)
    assert refusal.body == b"ERROR_REPORT_TIME"
    with pytest.raises(GatewayError) as caught:
        SECURE.decode_response(RETRIEVE, refusal, ACCOUNT)
    assert caught.value.code == "ERROR_REPORT_TIME"


def test_secure_codec_refuses_retrieve_report_as_the_gateway_does() -> None:
    target = "/report/retrieveReport?appId=EUCP-EMY-DDDD-3EEEE&timestamp=20240501093000&sign=0"
    request = HttpRequest("GET", target, (), b"")
    with pytest.raises(GatewayError) as caught:
        SECURE.decode_request(request, lookup, STAMP)
    assert caught.value.code == "ERROR_SIGN"
    assert SECURE.encode_error(request, caught.value).body == b"ERROR_SIGN"
    # A secure endpoint's refusal still goes in the result header.
    other = HttpRequest("POST", "/inter/getBalance", (), b"")
    assert SECURE.encode_error(other, caught.value).header("result") == "ERROR_SIGN"


def test_secure_codec_plans_retrieve_report_by_1000_ids() -> None:
    ids = tuple(str(n) for n in range(2500))
    parts = SECURE.plan(emay.RetrieveReport(RETRIEVE.start_time, RETRIEVE.end_time, ids))
    assert [len(p.sms_ids) for p in parts] == [1000, 1000, 500]  # type: ignore[attr-defined]
    with pytest.raises(EncodeError):
        SECURE.encode_request(
            emay.RetrieveReport(RETRIEVE.start_time, RETRIEVE.end_time, ids), ACCOUNT, STAMP
        )


# --------------------------------------------------------------------------- encrypted pushes

REPORT = DeliveryReport(
    "15538850000",
    DeliveryStatus.DELIVERED,
    "DELIVRD",
    "20170392833833891100",
    "1553885000011111",
    datetime(2017, 3, 15, 12, 0, tzinfo=CST),
    datetime(2017, 3, 15, 12, 0, 5, tzinfo=CST),
    "成功",
    extension="123",  # the example's "extendedCode":"123"
)
REPLY = InboundMessage(
    "15538850000", "退订", datetime(2017, 3, 15, 12, 0, tzinfo=CST), destination="123"
)


def test_secure_codec_sends_encrypted_pushes() -> None:
    reports, replies = SECURE.encode_push(Batch((REPORT, REPLY)), ACCOUNT)
    assert reports.header("appId") == replies.header("appId") == ACCOUNT.app_id
    assert json.loads(decrypt(reports.body)) == [
        {
            "mobile": "15538850000",
            "smsId": "20170392833833891100",
            "customSmsId": "1553885000011111",
            "state": "DELIVRD",
            "desc": "成功",
            "receiveTime": "2017-03-15 12:00:05",
            "submitTime": "2017-03-15 12:00:00",
            "extendedCode": "123",
        }
    ]
    assert json.loads(decrypt(replies.body)) == [
        {
            "mobile": "15538850000",
            "content": "退订",
            "moTime": "2017-03-15 12:00:00",
            "extendedCode": "123",
        }
    ]
    assert SECURE.decode_push_ack(HttpResponse(200, (), b"success"))
    assert not SECURE.decode_push_ack(HttpResponse(200, (), b"ok"))


def test_secure_codec_receives_encrypted_pushes() -> None:
    # §2.3.1.1's example, with its "receiveTime " key, encrypted by hand.
    text = (
        '[{"mobile":"15538850000","smsId":"20170392833833891100",'
        '"customSmsId":"1553885000011111","state":"DELIVRD","desc":"成功",'
        '"receiveTime ":"2017-03-15 12:00:05","submitTime":"2017-03-15 12:00:00",'
        '"extendedCode":"123"}]'
    )
    assert SECURE.decode_push(encrypted_push(text), {ACCOUNT.app_id: ACCOUNT}.get) == Batch(
        (REPORT,)
    )
    mo = (
        '[{"mobile":"15538850000","content":"退订",'
        '"moTime":"2017-03-15 12:00:00","extendedCode":"123"}]'
    )
    assert SECURE.decode_push(encrypted_push(mo), {ACCOUNT.app_id: ACCOUNT}.get) == Batch((REPLY,))
    ack = SECURE.push_ack()
    assert (ack.status, ack.body) == (200, b"success")
    # A plain push is no encrypted one.
    with pytest.raises(DecodeError):
        SECURE.decode_push(plain_push("reports", text), {ACCOUNT.app_id: ACCOUNT}.get)


# --------------------------------------------------------------------------- report states

# Quirk report-state-fallback: §4's table ("DELIVRD 成功", "FAIL_BLACK_LIST 黑名单失败",
# "FAIL_UNKNOW 未知失败", "TIMEOUT 运营商状态报告超时"); a state §4 does not list is UNKNOWN
# with its code kept (issue 11 item 16: the document points at a table it does not give).
STATES = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "TIMEOUT": DeliveryStatus.UNKNOWN,
    "FAIL_BLACK_LIST": DeliveryStatus.FAILED,
    "FAIL_UNKNOW": DeliveryStatus.FAILED,
    "UNDELIV": DeliveryStatus.UNKNOWN,
    "MK:0001": DeliveryStatus.UNKNOWN,
    "DB:0141": DeliveryStatus.UNKNOWN,
}
_REPORTS_JSON = json.dumps(
    [
        {"mobile": "1380000000" + str(n), "state": state, "submitTime": "2024-05-01 09:00:00"}
        for n, state in enumerate(STATES)
    ]
)


def _statuses(batch: Batch[Any]) -> dict[str, DeliveryStatus]:
    assert batch.malformed == ()
    return {r.code: r.status for r in batch}


def test_quirk_report_state_fallback_is_in_the_spec() -> None:
    assert "report-state-fallback" in {q.id for q in SECURE.spec.quirks}
    assert SECURE.spec.report_status["TIMEOUT"] is DeliveryStatus.UNKNOWN
    # The fallback is the shared rule, not a spec setting.
    assert not hasattr(SECURE.spec.section, "report_state_fallback")


@pytest.mark.parametrize(
    "decode",
    [
        lambda: SECURE.decode_response(FetchReports(), sealed_answer(_REPORTS_JSON), ACCOUNT),
        lambda: SECURE.decode_response(
            emay.FetchReportsUpTo(10), sealed_answer(_REPORTS_JSON), ACCOUNT
        ),
        lambda: SIMPLE.decode_response(FetchReports(), simple_answer(_REPORTS_JSON), ACCOUNT),
        lambda: SECURE.decode_push(encrypted_push(_REPORTS_JSON), {ACCOUNT.app_id: ACCOUNT}.get),
        lambda: SIMPLE.decode_push(
            plain_push("reports", _REPORTS_JSON), {ACCOUNT.app_id: ACCOUNT}.get
        ),
    ],
    ids=["secure-getReport", "secure-getReport-number", "simple-getReport", "push-enc", "push"],
)
def test_quirk_report_state_fallback_everywhere(decode: Any) -> None:
    assert _statuses(decode()) == STATES


def test_encoders_refuse_a_status_the_state_does_not_mean() -> None:
    wrong = DeliveryReport(
        "13800000000", DeliveryStatus.FAILED, "MK:0001", sent_at=NOW, reported_at=NOW
    )
    with pytest.raises(EncodeError):
        SECURE.encode_response(FetchReports(), Batch((wrong,)), ACCOUNT)
    with pytest.raises(EncodeError):
        SIMPLE.encode_response(FetchReports(), Batch((wrong,)), ACCOUNT)
    with pytest.raises(EncodeError):
        SECURE.encode_push(Batch((wrong,)), ACCOUNT)


# --------------------------------------------------------------------------- lone surrogates


def test_lone_surrogate_in_an_encrypted_answer_stays_raw() -> None:
    # A JSON escape of a lone surrogate decodes to a str no charset can encode.
    text = (
        '[{"mobile":"13800000000","state":"DELIVRD","desc":"\\ud800"},'
        '{"mobile":"13800000001","state":"DELIVRD"}]'
    )
    batch = SECURE.decode_response(FetchReports(), sealed_answer(text), ACCOUNT)
    assert [r.mobile for r in batch] == ["13800000001"]
    (raw,) = batch.malformed
    assert raw == b'{"mobile": "13800000000", "state": "DELIVRD", "desc": "\\ud800"}'
    assert json.loads(raw)["desc"] == "\ud800"
    mo = '[{"mobile":"13800000000","content":"a\\udfffb","moTime":"2024-05-01 09:00:00"}]'
    replies = SECURE.decode_response(FetchInbound(), sealed_answer(mo), ACCOUNT)
    assert replies.items == () and json.loads(replies.malformed[0])["content"] == "a\udfffb"
    pushed = SECURE.decode_push(encrypted_push(mo), {ACCOUNT.app_id: ACCOUNT}.get)
    assert pushed.items == () and pushed.malformed == replies.malformed


_SURROGATES = st.sampled_from(["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud83d"])
_JSON_TEXT = st.lists(
    st.one_of(_SURROGATES, st.sampled_from(["a", "短", "\\u00e9", "\\\\", '\\"', " "])),
    max_size=6,
).map("".join)


@given(
    key=st.sampled_from(["mobile", "state", "desc", "smsId", "content", "moTime", "extendedCode"]),
    value=_JSON_TEXT,
    fetch=st.sampled_from([FetchReports(), FetchInbound(), emay.FetchShortLinkClicks()]),
)
def test_escaped_text_in_answers_and_pushes_raises_nothing_else(
    key: str, value: str, fetch: Any
) -> None:
    record = (
        f'{{"mobile":"13800000000","state":"DELIVRD","content":"x",'
        f'"accessTime":"2024-05-01 09:00:00","{key}":"{value}"}}'
    )
    text = f"[{record}]"
    for decode in (
        lambda: SECURE.decode_response(fetch, sealed_answer(text), ACCOUNT),
        lambda: SIMPLE.decode_response(FetchReports(), simple_answer(text), ACCOUNT),
        lambda: SECURE.decode_push(encrypted_push(text), {ACCOUNT.app_id: ACCOUNT}.get),
        lambda: SIMPLE.decode_push(plain_push("mos", text), {ACCOUNT.app_id: ACCOUNT}.get),
    ):
        try:
            batch = decode()
        except (DecodeError, GatewayError):
            # Not EncodeError: a decoder has nothing to encode.
            continue
        assert len(batch.items) + len(batch.malformed) == 1
        for raw in batch.malformed:
            assert raw.isascii()
            assert json.loads(raw) == json.loads(record)
