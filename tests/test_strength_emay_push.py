"""``emay._push``: §2.3's pushes, both modes, both sides, pinned against the document.

§2.3: "注意：推送全部采用 UTF-8 字符集编码。注意：通过 HTTP 头传输 appId，用户根据
APPID 进行匹配"; §2.3.1 the body is gzipped then AES-encrypted ("bytes =
AES.decrypt(bytes, secretKey.getBytes(), 算法) … bytes = GZIPUtils.decompress(bytes)");
§2.3.2 "获取参数名为 reports" / "获取参数名为 mos", the value the JSON array;
§2.3.3 "响应规定为英文字符串：success". Ciphertexts are made and opened with
pycryptodome and ``gzip`` here, forms with ``urllib.parse``. Written to kill
mutants that survived ``tools/mutate.py codecs/emay/_push.py`` (issue 17).
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad
from smswire.codecs import (
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    emay,
)
from smswire.codecs.emay import _push

CST = timezone(timedelta(hours=8))
T = datetime(2017, 3, 15, 12, 0, 0, tzinfo=CST)
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-SMS1-1GXOA", KEY)
OTHER = emay.Account("EUCP-EMY-OTHER", "fedcba9876543210")
NO_AES = emay.Account("EUCP-EMY-SIMPLE", "short-key")

REPORT_JSON = (
    '[{"mobile":"15538850000","smsId":"20170392833833891100","customSmsId":"1553885000011111",'
    '"state":"DELIVRD","desc":"成功","receiveTime ":"2017-03-15 12:00:00",'
    '"submitTime":"2017-03-15 12:00:00","extendedCode":"123"}]'
)
MO_JSON = (
    '[{"mobile":"15538850000","content":"TD","moTime":"2017-03-15 12:00:00","extendedCode":"123"}]'
)
REPORT = DeliveryReport(
    "15538850000",
    DeliveryStatus.DELIVERED,
    "DELIVRD",
    "20170392833833891100",
    "1553885000011111",
    T,
    T,
    "成功",
    "123",
)
MO = InboundMessage("15538850000", "TD", T, None, "123")


def java_seal(plain: bytes, key: str = KEY) -> bytes:
    return AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(gzip.compress(plain), 16))


def java_open(body: bytes, key: str = KEY) -> bytes:
    return gzip.decompress(unpad(AES.new(key.encode(), AES.MODE_ECB).decrypt(body), 16))


def request(body: bytes, *, app_id: str | None = ACCOUNT.app_id, query: str = "") -> HttpRequest:
    headers = () if app_id is None else (("appId", app_id),)
    return HttpRequest("POST", "/push" + (f"?{query}" if query else ""), headers, body)


def lookup(app_id: str) -> emay.Account | None:
    return {ACCOUNT.app_id: ACCOUNT, OTHER.app_id: OTHER}.get(app_id)


# --------------------------------------------------------------------------- receiver


def test_an_encrypted_push_of_reports_and_replies_mixed() -> None:
    mixed = json.loads(REPORT_JSON) + json.loads(MO_JSON)
    body = java_seal(json.dumps(mixed, ensure_ascii=False).encode())
    batch = _push.decode_push(request(body), ACCOUNT, encrypted=True)
    assert batch == Batch((REPORT, MO))


def test_an_encrypted_push_keeps_records_of_neither_kind() -> None:
    records = [
        {"mobile": "1", "moTime": "2017-03-15 12:00:00"},
        {" state ": "DELIVRD", "mobile": "2"},
    ]
    body = java_seal(json.dumps(records).encode())
    batch = _push.decode_push(request(body), ACCOUNT, encrypted=True)
    assert batch.items == (DeliveryReport("2", DeliveryStatus.DELIVERED, "DELIVRD"),)
    assert batch.malformed == (b'{"mobile": "1", "moTime": "2017-03-15 12:00:00"}',)


def test_an_encrypted_push_of_null_is_empty() -> None:
    assert _push.decode_push(request(java_seal(b"null")), ACCOUNT, encrypted=True) == Batch()


def test_an_encrypted_push_must_be_gzipped() -> None:
    # §2.3.1 step 3: "bytes = GZIPUtils.decompress(bytes)" on every encrypted push.
    body = AES.new(KEY.encode(), AES.MODE_ECB).encrypt(pad(MO_JSON.encode(), 16))
    with pytest.raises(DecodeError) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=True)
    assert info.value.raw == body


def test_an_encrypted_push_under_another_key_is_refused_with_its_body() -> None:
    body = java_seal(MO_JSON.encode(), OTHER.secret_key)
    with pytest.raises(DecodeError) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=True)
    assert info.value.raw == body


def test_an_encrypted_push_to_an_account_without_an_aes_key_is_refused() -> None:
    body = java_seal(MO_JSON.encode())
    with pytest.raises(
        DecodeError,
        match=r"^emay encrypted push: the account's secret key is no AES key "
        r"\(16, 24 or 32 bytes\)$",
    ) as info:
        _push.decode_push(request(body, app_id=NO_AES.app_id), NO_AES, encrypted=True)
    assert info.value.raw == body


def test_max_size_bounds_the_inflated_encrypted_body() -> None:
    plain = MO_JSON.encode()
    body = java_seal(plain)
    exact = _push.decode_push(request(body), ACCOUNT, encrypted=True, max_size=len(plain))
    assert exact == Batch((MO,))
    with pytest.raises(DecodeError) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=True, max_size=len(plain) - 1)
    assert info.value.raw == body


def test_a_plain_push_reads_reports_and_mos() -> None:
    body = f"reports={quote(REPORT_JSON)}&mos={quote(MO_JSON)}".encode()
    assert _push.decode_push(request(body), ACCOUNT, encrypted=False) == Batch((REPORT, MO))
    # The parameter may also come in the query string; other parameters are ignored.
    both = _push.decode_push(
        request(b"x=1", query=f"mos={quote(MO_JSON)}"), ACCOUNT, encrypted=False
    )
    assert both == Batch((MO,))


def test_a_plain_push_keeps_bad_records_of_each_parameter() -> None:
    bad_reports = '[{"mobile":"1"},' + REPORT_JSON[1:]
    bad_mos = '[{"content":"x"}]'
    body = f"reports={quote(bad_reports)}&mos={quote(bad_mos)}".encode()
    batch = _push.decode_push(request(body), ACCOUNT, encrypted=False)
    assert batch.items == (REPORT,)
    assert batch.malformed == (b'{"mobile": "1"}', b'{"content": "x"}')


def test_a_plain_reports_parameter_holding_replies_keeps_them_raw() -> None:
    # "reports" holds reports: a reply there is no report (it has no state).
    body = f"reports={quote(MO_JSON)}".encode()
    batch = _push.decode_push(request(body), ACCOUNT, encrypted=False)
    assert batch.items == ()
    assert len(batch.malformed) == 1
    body = f"mos={quote(REPORT_JSON)}".encode()
    assert len(_push.decode_push(request(body), ACCOUNT, encrypted=False).malformed) == 1


def test_a_plain_push_without_either_parameter_is_refused() -> None:
    body = f"report={quote(REPORT_JSON)}&MOS=[]".encode()
    with pytest.raises(
        DecodeError, match=r"^emay push has neither a 'reports' nor a 'mos' parameter$"
    ) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=False)
    assert info.value.raw == body


def test_a_plain_push_with_empty_arrays_is_an_empty_batch() -> None:
    assert _push.decode_push(request(b"reports=%5B%5D"), ACCOUNT, encrypted=False) == Batch()


def test_a_plain_push_that_is_no_json_is_refused_with_the_body() -> None:
    body = b"mos=%5B%7B"
    with pytest.raises(DecodeError) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=False)
    assert info.value.raw == body


def test_a_plain_push_reads_the_documents_typography() -> None:
    # The document's own examples use curly quotes: they are mended, not refused.
    curly = "[{“mobile”:“15538850000”,“content”:“TD”}]"
    batch = _push.decode_push(request(f"mos={quote(curly)}".encode()), ACCOUNT, encrypted=False)
    assert batch == Batch((InboundMessage("15538850000", "TD"),))


def test_max_size_bounds_the_plain_body_at_the_edge() -> None:
    body = f"mos={quote(MO_JSON)}".encode()
    assert _push.decode_push(request(body), ACCOUNT, encrypted=False, max_size=len(body)) == (
        Batch((MO,))
    )
    with pytest.raises(
        DecodeError, match=rf"^emay push larger than {len(body) - 1} bytes$"
    ) as info:
        _push.decode_push(request(body), ACCOUNT, encrypted=False, max_size=len(body) - 1)
    assert info.value.raw == body[: len(body) - 1]


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_push_for_another_app_id_is_refused(encrypted: bool) -> None:
    body = java_seal(MO_JSON.encode()) if encrypted else f"mos={quote(MO_JSON)}".encode()
    with pytest.raises(DecodeError, match=r"^emay push is for another appId$") as info:
        _push.decode_push(request(body, app_id=OTHER.app_id), ACCOUNT, encrypted=encrypted)
    assert info.value.raw == body
    # Blanks around the header are no other appId; a push without one is the caller's account.
    spaced = request(body, app_id=f" {ACCOUNT.app_id} ")
    assert _push.decode_push(spaced, ACCOUNT, encrypted=encrypted) == Batch((MO,))
    assert _push.decode_push(request(body, app_id=None), ACCOUNT, encrypted=encrypted) == (
        Batch((MO,))
    )


def test_push_credential_is_the_app_id_header_stripped() -> None:
    assert _push.push_credential(request(b"", app_id=" EUCP-1 ")) == "EUCP-1"
    assert _push.push_credential(request(b"", app_id="EUCP-1")) == "EUCP-1"
    assert _push.push_credential(request(b"", app_id="  ")) is None
    assert _push.push_credential(request(b"", app_id="")) is None
    assert _push.push_credential(request(b"", app_id=None)) is None
    lower = HttpRequest("POST", "/", (("APPID", "EUCP-2"),), b"")
    assert _push.push_credential(lower) == "EUCP-2"


def test_push_account_looks_the_account_up_by_its_app_id() -> None:
    assert _push.push_account(request(b"x", app_id=OTHER.app_id), lookup) is OTHER
    assert _push.push_account(request(b"x", app_id=f" {ACCOUNT.app_id}"), lookup) is ACCOUNT
    for app_id in (None, "", " "):
        with pytest.raises(DecodeError, match=r"^emay push without its appId header$") as info:
            _push.push_account(request(b"body", app_id=app_id), lookup)
        assert info.value.raw == b"body"
    with pytest.raises(DecodeError, match=r"^emay push for an unknown appId$") as info:
        _push.push_account(request(b"body", app_id="EUCP-NOBODY"), lookup)
    assert info.value.raw == b"body"


def test_push_ack_is_the_word_success() -> None:
    ack = _push.push_ack()
    assert ack.status == 200
    assert ack.body == b"success"
    assert ack.headers == (("Content-Type", "text/plain; charset=UTF-8"),)


# --------------------------------------------------------------------------- gateway


def test_encode_push_encrypted_one_request_per_kind() -> None:
    requests = _push.encode_push(Batch((MO, REPORT)), ACCOUNT, encrypted=True)
    assert len(requests) == 2
    reports, mos = requests
    for sent in requests:
        assert sent.method == "POST"
        assert sent.target == "/"
        assert sent.headers == (
            ("appId", "EUCP-EMY-SMS1-1GXOA"),
            ("Content-Type", "application/octet-stream"),
        )
    assert json.loads(java_open(reports.body)) == [
        {
            "mobile": "15538850000",
            "smsId": "20170392833833891100",
            "customSmsId": "1553885000011111",
            "state": "DELIVRD",
            "desc": "成功",
            "receiveTime": "2017-03-15 12:00:00",
            "submitTime": "2017-03-15 12:00:00",
            "extendedCode": "123",
        }
    ]
    # UTF-8, compact, non-ASCII as characters (§2.3: "推送全部采用 UTF-8 字符集编码").
    assert java_open(mos.body) == MO_JSON.encode("utf-8")
    assert "成功".encode() in java_open(reports.body)


def test_encode_push_plain_is_a_utf8_form() -> None:
    requests = _push.encode_push(Batch((REPORT, MO)), ACCOUNT, encrypted=False, target="/recv")
    reports, mos = requests
    for sent in requests:
        assert sent.target == "/recv"
        assert sent.method == "POST"
        assert sent.headers == (
            ("appId", "EUCP-EMY-SMS1-1GXOA"),
            ("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),
        )
        assert sent.body.isascii()
    assert parse_qsl(mos.body.decode(), encoding="utf-8") == [("mos", MO_JSON)]
    ((name, value),) = parse_qsl(reports.body.decode(), encoding="utf-8")
    assert name == "reports"
    assert json.loads(value)[0]["desc"] == "成功"
    assert '"receiveTime":"2017-03-15 12:00:00"' in value


@pytest.mark.parametrize("encrypted", [True, False])
def test_encode_push_of_one_kind_is_one_request(encrypted: bool) -> None:
    (only,) = _push.encode_push(Batch((MO, MO)), ACCOUNT, encrypted=encrypted)
    if encrypted:
        assert json.loads(java_open(only.body)) == json.loads(MO_JSON) * 2
    else:
        assert parse_qsl(only.body.decode())[0][0] == "mos"
    (only,) = _push.encode_push(Batch((REPORT,)), ACCOUNT, encrypted=encrypted)
    if not encrypted:
        assert parse_qsl(only.body.decode())[0][0] == "reports"
    assert _push.encode_push(Batch(), ACCOUNT, encrypted=encrypted) == ()


def test_encode_push_refuses_raw_fragments_and_other_items() -> None:
    with pytest.raises(EncodeError, match=r"^emay pushes carry records, not the raw fragments"):
        _push.encode_push(Batch((MO,), (b"x",)), ACCOUNT, encrypted=False)
    with pytest.raises(EncodeError, match=r"^emay pushes carry DeliveryReport and InboundMessage"):
        _push.encode_push(Batch((MO, "text")), ACCOUNT, encrypted=False)  # type: ignore[arg-type]


def test_encode_push_encrypted_needs_an_aes_key() -> None:
    with pytest.raises(EncodeError, match=r"AES key"):
        _push.encode_push(Batch((MO,)), NO_AES, encrypted=True)
    (plain,) = _push.encode_push(Batch((MO,)), NO_AES, encrypted=False)
    assert plain.header("appId") == "EUCP-EMY-SIMPLE"


@pytest.mark.parametrize(
    ("status", "body", "stops"),
    [
        (200, b"success", True),
        (200, b"success\r\n", True),
        (200, b" success ", True),
        (200, b"SUCCESS", False),
        (200, b"succes", False),
        (200, b"", False),
        (200, b"success!", False),
        (500, b"success", False),
        (201, b"success", False),
    ],
)
def test_decode_push_ack_only_200_success_stops_the_retries(
    status: int, body: bytes, stops: bool
) -> None:
    assert _push.decode_push_ack(HttpResponse(status, (), body)) is stops


def test_loads_lenient_is_utf8_json_with_the_raw_body() -> None:
    assert _push.loads_lenient('["短信"]'.encode(), b"r") == ["短信"]
    with pytest.raises(DecodeError) as info:
        _push.loads_lenient('["短信"]'.encode("gbk"), b"raw")
    assert info.value.raw == b"raw"


def test_pushes_round_trip_through_both_sides() -> None:
    batch: Batch[Any] = Batch((REPORT, MO))
    for encrypted in (True, False):
        items: list[Any] = []
        for sent in _push.encode_push(batch, ACCOUNT, encrypted=encrypted):
            items.extend(_push.decode_push(sent, ACCOUNT, encrypted=encrypted).items)
        assert items == [REPORT, MO]


def test_a_plain_push_reads_its_parameter_after_any_other() -> None:
    # A servlet's getParameter("mos") finds it wherever it stands in the form.
    body = f"x=1&appId=EUCP&mos={quote(MO_JSON)}&y=2".encode()
    assert _push.decode_push(request(body), ACCOUNT, encrypted=False) == Batch((MO,))
