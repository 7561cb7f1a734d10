"""Emay pushes (§2.3): the document's examples, encrypted and plain, both sides, and fuzz.

Encryption is checked against pycryptodome AES-ECB and the stdlib's gzip done
by hand here, never against the codec's own envelope.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from Crypto.Cipher import AES
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
    CHINA,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    SmsWireError,
    Stamp,
    emay,
)
from smswire.codecs.emay import _push
from smswire.codecs.strategies import emay_simple as strategies

SPEC = emay.SimpleCodec.spec
KEY = "0123456789abcdef0123456789ABCDEF"
ACCOUNT = emay.Account("EUCP-EMY-DDDD-3EEEE", KEY)
CN = timezone(timedelta(hours=8))
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = emay.SimpleCodec()


def encrypt(plain: bytes, key: str = KEY, *, compress: bool = True) -> bytes:
    """gzip, PKCS#5 padding, AES/ECB: the document's recipe, written out."""
    data = gzip.compress(plain) if compress else plain
    pad = 16 - len(data) % 16
    return AES.new(key.encode(), AES.MODE_ECB).encrypt(data + bytes([pad]) * pad)


def decrypt(body: bytes, key: str = KEY) -> bytes:
    data = AES.new(key.encode(), AES.MODE_ECB).decrypt(body)
    assert 1 <= data[-1] <= 16 and data[-data[-1] :] == bytes([data[-1]]) * data[-1]
    return gzip.decompress(data[: -data[-1]])


def plain_push(name: str, json_text: str) -> HttpRequest:
    headers = (("appId", ACCOUNT.app_id), ("Content-Type", "application/x-www-form-urlencoded"))
    return HttpRequest("POST", "/emay/push", headers, f"{name}={quote(json_text)}".encode())


def encrypted_push(json_text: str) -> HttpRequest:
    return HttpRequest(
        "POST", "/emay/push", (("appId", ACCOUNT.app_id),), encrypt(json_text.encode())
    )


def report_rows(batch: Batch[Any]) -> list[list[Any]]:
    return [
        [
            r.mobile,
            r.message_id,
            r.client_id,
            r.code,
            r.description,
            r.reported_at.isoformat() if r.reported_at else None,
            r.sent_at.isoformat() if r.sent_at else None,
        ]
        for r in batch
    ]


def mo_rows(batch: Batch[Any]) -> list[list[Any]]:
    return [
        [m.mobile, m.content, m.received_at.isoformat() if m.received_at else None, m.destination]
        for m in batch
    ]


ROWS = {"push-reports": ("reports", report_rows), "push-mos": ("messages", mo_rows)}


# ------------------------------------------------------------------ the document's examples


@pytest.mark.parametrize("name", sorted(ROWS))
@pytest.mark.parametrize("which", ["document_json", "json"])
def test_document_pushes_decode(name: str, which: str) -> None:
    vector = SPEC.vector(name)
    field, rows = ROWS[name]
    plain = codec.decode_push(
        plain_push(vector["parameter"], vector[which]), {ACCOUNT.app_id: ACCOUNT}.get
    )
    encrypted = _push.decode_push(encrypted_push(vector[which]), ACCOUNT, encrypted=True)
    for batch in (plain, encrypted):
        assert rows(batch) == vector[field]
        assert batch.malformed == ()
    assert all(
        isinstance(i, DeliveryReport if name == "push-reports" else InboundMessage) for i in plain
    )


def test_document_reports_are_delivered() -> None:
    vector = SPEC.vector("push-reports")
    batch = codec.decode_push(
        plain_push("reports", vector["document_json"]), {ACCOUNT.app_id: ACCOUNT}.get
    )
    assert [r.status for r in batch] == [DeliveryStatus.DELIVERED] * 2


@pytest.mark.parametrize("name", sorted(ROWS))
def test_pushes_encode_to_the_document_json(name: str) -> None:
    vector = SPEC.vector(name)
    batch = codec.decode_push(
        plain_push(vector["parameter"], vector["json"]), {ACCOUNT.app_id: ACCOUNT}.get
    )
    expected = json.loads(vector["json"])
    (plain,) = codec.encode_push(batch, ACCOUNT)
    assert plain.method == "POST"
    assert plain.header("appid") == ACCOUNT.app_id
    pairs = parse_qsl(plain.body.decode("ascii"), encoding="utf-8")
    assert [k for k, _ in pairs] == [vector["parameter"]]
    assert json.loads(pairs[0][1]) == expected
    (sealed,) = _push.encode_push(batch, ACCOUNT, encrypted=True)
    assert sealed.header("appId") == ACCOUNT.app_id
    assert json.loads(decrypt(sealed.body)) == expected


def test_reports_and_replies_go_in_separate_requests() -> None:
    report = DeliveryReport(
        "13800000000",
        DeliveryStatus.FAILED,
        "FAIL_MOBILE",
        "1",
        None,
        datetime(2024, 5, 1, 9, tzinfo=CN),
        datetime(2024, 5, 1, 9, 1, tzinfo=CN),
        "手机号错误",
    )
    reply = InboundMessage(
        "13900000000", "TD", datetime(2024, 5, 1, 9, 2, tzinfo=CN), destination="12"
    )
    batch: Batch[Any] = Batch((reply, report))
    for encrypted in (False, True):
        first, second = _push.encode_push(batch, ACCOUNT, encrypted=encrypted)
        assert _push.decode_push(first, ACCOUNT, encrypted=encrypted).items == (report,)
        assert _push.decode_push(second, ACCOUNT, encrypted=encrypted).items == (reply,)
    first, second = codec.encode_push(batch, ACCOUNT)
    assert [k for k, _ in parse_qsl(first.body.decode())] == ["reports"]
    assert [k for k, _ in parse_qsl(second.body.decode())] == ["mos"]
    (only,) = codec.encode_push(Batch((reply,)), ACCOUNT)
    assert [k for k, _ in parse_qsl(only.body.decode())] == ["mos"]
    assert codec.encode_push(Batch(), ACCOUNT) == ()


def test_encrypted_records_are_classed_by_members() -> None:
    # Quirk mo-push-described-as-reports: the encrypted body names neither kind.
    mixed = json.loads(SPEC.vector("push-reports")["json"]) + json.loads(
        SPEC.vector("push-mos")["json"]
    )
    batch = _push.decode_push(encrypted_push(json.dumps(mixed)), ACCOUNT, encrypted=True)
    assert [type(i).__name__ for i in batch] == ["DeliveryReport"] * 2 + ["InboundMessage"] * 2
    odd = _push.decode_push(encrypted_push('[{"mobile":"1"}]'), ACCOUNT, encrypted=True)
    assert odd.items == () and [json.loads(m) for m in odd.malformed] == [{"mobile": "1"}]


# ------------------------------------------------------------------ acknowledgement and retries


def test_ack_is_the_body_success() -> None:
    assert SPEC.vector("push-ack")["body"] == "success"
    ack = codec.push_ack()
    assert ack.status == 200 and ack.body == b"success"
    assert codec.decode_push_ack(ack)
    assert codec.decode_push_ack(HttpResponse(200, (), b"success\r\n"))
    assert not codec.decode_push_ack(HttpResponse(200, (), b"fail"))
    assert not codec.decode_push_ack(HttpResponse(200, (), b""))
    assert not codec.decode_push_ack(HttpResponse(500, (), b"success"))


def test_retry_intervals_are_the_documents() -> None:
    # §2.3.3: 10 秒后，1 分钟后，10 分钟后, then given up.
    assert SPEC.section.push.retry_intervals_seconds == (10, 60, 600)


# ------------------------------------------------------------------ refusals


def test_push_for_another_app_id_is_refused() -> None:
    request = plain_push("mos", SPEC.vector("push-mos")["json"])
    other = HttpRequest(request.method, request.target, (("appId", "EUCP-OTHER"),), request.body)
    with pytest.raises(DecodeError, match="appId"):
        codec.decode_push(other, {ACCOUNT.app_id: ACCOUNT}.get)
    # §2.3.2: "appId String 用户 APPID【在 Http头中获取】": without it no account is known.
    bare = HttpRequest(request.method, request.target, (), request.body)
    with pytest.raises(DecodeError, match="appId"):
        codec.decode_push(bare, {ACCOUNT.app_id: ACCOUNT}.get)


def test_wrong_key_and_unpadded_body_are_decode_errors() -> None:
    text = SPEC.vector("push-mos")["json"].encode()
    wrong = HttpRequest("POST", "/", (), encrypt(text, "X" * 32))
    with pytest.raises(DecodeError) as caught:
        _push.decode_push(wrong, ACCOUNT, encrypted=True)
    assert caught.value.raw == wrong.body
    with pytest.raises(DecodeError):
        _push.decode_push(HttpRequest("POST", "/", (), b"\x00" * 15), ACCOUNT, encrypted=True)
    # Encrypted but not gzipped: the push is always compressed (§2.3.1).
    with pytest.raises(DecodeError):
        _push.decode_push(
            HttpRequest("POST", "/", (), encrypt(text, compress=False)), ACCOUNT, encrypted=True
        )


def test_gzip_bomb_is_refused() -> None:
    bomb = encrypt(b"[" + b" " * (SPEC.section.push.max_body_bytes + 1) + b"]")
    with pytest.raises(DecodeError, match="inflates"):
        _push.decode_push(HttpRequest("POST", "/", (), bomb), ACCOUNT, encrypted=True)


def test_plain_push_without_reports_or_mos_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="reports"):
        codec.decode_push(
            HttpRequest("POST", "/", (("appId", ACCOUNT.app_id),), b"other=1"),
            {ACCOUNT.app_id: ACCOUNT}.get,
        )
    with pytest.raises(DecodeError):
        codec.decode_push(plain_push("reports", "{not json"), {ACCOUNT.app_id: ACCOUNT}.get)


def test_gateway_refuses_what_a_push_cannot_carry() -> None:
    with pytest.raises(EncodeError, match="receiveTime"):
        codec.encode_push(
            Batch((DeliveryReport("1", DeliveryStatus.DELIVERED, "DELIVRD"),)), ACCOUNT
        )
    wrong = DeliveryReport(
        "1", DeliveryStatus.FAILED, "DELIVRD", sent_at=STAMP.now, reported_at=STAMP.now
    )
    with pytest.raises(EncodeError, match="does not mean"):
        codec.encode_push(Batch((wrong,)), ACCOUNT)
    with pytest.raises(EncodeError, match="message id"):
        codec.encode_push(Batch((InboundMessage("1", "x", STAMP.now, message_id="9"),)), ACCOUNT)
    with pytest.raises(EncodeError, match="raw"):
        codec.encode_push(Batch((), (b"junk",)), ACCOUNT)


# ------------------------------------------------------------------ properties


@pytest.mark.parametrize("encrypted", [False, True])
@given(batch=strategies.push_batches())
def test_push_round_trip(encrypted: bool, batch: Batch[Any]) -> None:
    requests = _push.encode_push(batch, ACCOUNT, encrypted=encrypted)
    got = [i for r in requests for i in _push.decode_push(r, ACCOUNT, encrypted=encrypted)]
    reports = [i for i in batch if isinstance(i, DeliveryReport)]
    replies = [i for i in batch if isinstance(i, InboundMessage)]
    assert got == reports + replies


@given(batch=strategies.push_batches())
def test_encrypted_push_decrypts_by_hand(batch: Batch[Any]) -> None:
    for request in _push.encode_push(batch, ACCOUNT, encrypted=True):
        records = json.loads(decrypt(request.body))
        assert isinstance(records, list) and records
        assert all(("state" in r) != ("content" in r) for r in records)


def _smswire_errors_only(request: HttpRequest, encrypted: bool) -> None:
    try:
        result = _push.decode_push(request, ACCOUNT, encrypted=encrypted)
    except DecodeError as exc:
        assert exc.raw == request.body
    except SmsWireError:
        pass
    else:
        assert isinstance(result, Batch)


@given(body=st.binary(max_size=600), query=st.text(max_size=60), encrypted=st.booleans())
def test_arbitrary_bytes_give_only_smswire_errors(body: bytes, query: str, encrypted: bool) -> None:
    _smswire_errors_only(HttpRequest("POST", f"/push?{query}", (), body), encrypted)


@given(plain=st.binary(max_size=400), compress=st.booleans())
def test_arbitrary_bytes_under_the_right_key_give_only_smswire_errors(
    plain: bytes, compress: bool
) -> None:
    _smswire_errors_only(HttpRequest("POST", "/", (), encrypt(plain, compress=compress)), True)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "mobile",
                    "state",
                    "content",
                    "moTime",
                    "receiveTime ",
                    "submitTime",
                    "smsId",
                    "desc",
                    "x",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@given(value=_json_values)
def test_arbitrary_json_under_the_right_key_gives_records_or_smswire_errors(value: Any) -> None:
    text = json.dumps(value)
    _smswire_errors_only(encrypted_push(text), True)
    _smswire_errors_only(plain_push("reports", text), False)
    _smswire_errors_only(plain_push("mos", text), False)


@given(data=st.data())
def test_push_requests_strategy_decodes_cleanly(data: st.DataObject) -> None:
    encrypted = data.draw(st.booleans())
    request = data.draw(strategies.push_requests(ACCOUNT, encrypted=encrypted))
    batch = _push.decode_push(request, ACCOUNT, encrypted=encrypted)
    assert batch.items and batch.malformed == ()
