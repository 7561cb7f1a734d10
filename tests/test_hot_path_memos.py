"""Issue 16 (vendor hot paths): what the faster paths remember, and what they still refuse.

Each codec instance keeps what it derives from the last account it saw (credential
query fragment, password digest, AES cipher). These tests pin that a memo never
hands one account's credentials to another, never shows in a repr, and that the
shortcuts taken on the decode paths refuse and strip exactly as before. Expected
values come from ``urllib.parse``, ``hashlib``, ``base64``, ``gzip`` and
pycryptodome directly.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote_plus

import pytest
from Crypto.Cipher import AES
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import (
    DecodeError,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    HttpResponse,
    SendSms,
    Stamp,
    changlong,
    eims,
    emay,
    smscn,
)
from smswire.codecs._chinatime import CHINA

STAMP = Stamp(datetime(2024, 5, 1, 8, 0, tzinfo=CHINA))
MOBILES = ["13800138000", "13900139000"]


def query_pairs(target: str, charset: str = "gbk") -> dict[str, str]:
    return dict(parse_qsl(target.partition("?")[2], encoding=charset))


# ------------------------------------------------------------ credential fragments


def test_changlong_one_codec_sends_each_account_its_own_credentials() -> None:
    codec = changlong.Codec()
    first = changlong.Account("user-one", "密码one")
    second = changlong.Account("user-two", "p&ss=2")
    for account in (first, second, first, changlong.Account("user-one", "密码one")):
        target = codec.encode_request(SendSms(MOBILES, "你好"), account, STAMP).target
        # 1.1.1: us_name / us_pwd, PHP-urlencoded in the request charset.
        expected = (
            f"us_name={quote_plus(account.username, encoding='gbk')}"
            f"&us_pwd={quote_plus(account.password, encoding='gbk')}"
        )
        assert target.partition("?")[2].startswith(expected + "&send_phone=")
        assert query_pairs(target)["send_content"] == "你好"
    assert "密码" not in repr(codec) and "p&ss" not in repr(codec)


def test_smscn_one_codec_signs_each_account_with_its_own_digest() -> None:
    codec = smscn.Codec(method="GET")
    for uid, password in (("uid1", "secret-a"), ("uid2", "secret-b"), ("uid1", "secret-a")):
        account = smscn.Account(uid, password)
        target = codec.encode_request(SendSms(MOBILES, "验证码"), account, STAMP).target
        pairs = query_pairs(target)
        # §2: pwd = md5(password + uid), lower-case hex.
        assert pairs["pwd"] == hashlib.md5(f"{password}{uid}".encode()).hexdigest()
        assert pairs["uid"] == uid
        assert pairs["content"] == "验证码"
        assert pairs["mobile"] == ",".join(MOBILES)
    assert "secret" not in repr(codec)


def test_smscn_utf8_send_still_declares_its_charset() -> None:
    # §2: "encode=utf8" travels with every UTF-8 request, after the text.
    codec = smscn.Codec(charset="utf-8", method="GET")
    target = codec.encode_request(SendSms(MOBILES, "你好"), smscn.Account("u", "p"), STAMP).target
    assert target.endswith(f"&content={quote_plus('你好', encoding='utf-8')}&encode=utf8")


# ------------------------------------------------------------ emay cipher per instance


def aes_open(body: bytes, key: bytes) -> bytes:
    plain = AES.new(key, AES.MODE_ECB).decrypt(body)
    return gzip.decompress(plain[: -plain[-1]])


def test_emay_one_codec_seals_each_account_with_its_own_key() -> None:
    codec = emay.Codec()
    keys = ("0123456789abcdef", "fedcba9876543210", "0123456789abcdef")
    for number, key in enumerate(keys):
        account = emay.Account(f"APP-{number}", key)
        req = codec.encode_request(SendSms(MOBILES, "你好"), account, STAMP)
        assert json.loads(aes_open(req.body, key.encode()))["content"] == "你好"
    assert "0123456789abcdef" not in repr(codec)


def test_emay_seals_at_gzip_level_6() -> None:
    # Issue 16 item 9: level 6 by measurement (the same sealed size as 9, less time).
    codec = emay.Codec()
    key = "0123456789abcdef"
    req = codec.encode_request(SendSms(MOBILES, "你好"), emay.Account("APP", key), STAMP)
    plain = AES.new(key.encode(), AES.MODE_ECB).decrypt(req.body)
    stream = plain[: -plain[-1]]
    assert stream == gzip.compress(gzip.decompress(stream), compresslevel=6, mtime=0)


def test_emay_report_with_members_left_out_reads_them_as_absent() -> None:
    # A JSON writer may drop null members: the record is still a report, not malformed.
    key = "0123456789abcdef"
    text = b'[{"mobile":"13800138000","state":"DELIVRD","submitTime":"2024-05-01 09:00:00"}]'
    data = gzip.compress(text, mtime=0)
    pad = 16 - len(data) % 16
    body = AES.new(key.encode(), AES.MODE_ECB).encrypt(data + bytes((pad,)) * pad)
    response = HttpResponse(200, (("result", "SUCCESS"),), body)
    batch = emay.Codec().decode_response(FetchReports(), response, emay.Account("APP", key))
    (report,) = batch.items
    assert (report.mobile, report.code, report.message_id, report.client_id) == (
        "13800138000",
        "DELIVRD",
        None,
        None,
    )
    assert report.sent_at == datetime(2024, 5, 1, 9, 0, tzinfo=CHINA)
    assert report.reported_at is None and not batch.malformed


# ------------------------------------------------------------ eims


def test_eims_unencodable_password_in_a_post_body_is_not_shown() -> None:
    codec = eims.Codec(method="POST")
    with pytest.raises(EncodeError) as caught:
        codec.encode_request(SendSms(MOBILES, "hi"), eims.Account("acct", "pa\udc80ss"), STAMP)
    message = str(caught.value)
    assert "password" in message
    assert "\udc80" not in message and "position" not in message and "pa" not in message[8:]


def eims_replies(*rows: list[Any]) -> HttpResponse:
    body = json.dumps({"status": 0, "cnt": len(rows), "array": list(rows)})
    return HttpResponse(200, (("Content-Type", "application/json"),), body.encode())


@given(st.binary(max_size=200), st.sampled_from([76, 64, 4]), st.sampled_from(["\n", "\r\n"]))
@example(b"\xe4\xbd\xa0\xe5\xa5\xbd", 4, "\r\n")
def test_eims_reply_text_decodes_in_mime_lines(data: bytes, width: int, newline: str) -> None:
    # Issue 11 item 12: base64 broken into lines (MIME) still decodes.
    text = data.decode("utf-8", "replace")
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    wrapped = newline.join(encoded[i : i + width] for i in range(0, len(encoded), width))
    row = [1, "13800000000", "106", 20240101080000, wrapped]
    batch = eims.Codec().decode_response(FetchInbound(), eims_replies(row), eims.Account("a", "b"))
    assert [m.content for m in batch.items] == [text]
    assert not batch.malformed


@pytest.mark.parametrize("text", ["5L2g5aW9!", "5L2g5aW", "5L2g5a=W9", "5L2g5a\u00e9W9", "=5L2g"])
def test_eims_reply_text_that_is_not_base64_is_malformed(text: str) -> None:
    # What base64.b64decode(..., validate=True) refuses (the oracle) stays refused.
    with pytest.raises(binascii.Error):
        base64.b64decode(text.encode("utf-8"), validate=True)
    row = [1, "13800000000", "106", 20240101080000, text]
    batch = eims.Codec().decode_response(FetchInbound(), eims_replies(row), eims.Account("a", "b"))
    assert not batch.items and len(batch.malformed) == 1


def test_eims_body_with_a_second_byte_order_mark_is_refused() -> None:
    # One BOM is skipped; json.loads refuses the text after it when it holds another.
    with pytest.raises(json.JSONDecodeError):
        json.loads('\ufeff{"status":0}')
    body = b"\xef\xbb\xbf\xef\xbb\xbf" + json.dumps({"status": 0, "array": []}).encode()
    response = HttpResponse(200, (("Content-Type", "application/json"),), body)
    with pytest.raises(DecodeError):
        eims.Codec().decode_response(FetchInbound(), response, eims.Account("a", "b"))


# ------------------------------------------------------------ smscn fields as they stand


def test_smscn_padded_report_and_reply_fields_are_still_stripped() -> None:
    account = smscn.Account("u", "p")
    # §5: "手机号码,状态值,消息ID, 时间"; blanks around a field are not part of it.
    body = (
        " 13800138000 , UNDELIV ,  , 2024-05-01 09:00:00\n13900139000,100, 42 , 2024-05-01 09:00:01"
    )
    batch = smscn.Codec().decode_response(
        FetchReports(), HttpResponse(200, (), body.encode("gbk")), account
    )
    first, second = batch.items
    assert (first.mobile, first.code, first.client_id, first.status) == (
        "13800138000",
        "UNDELIV",
        None,
        DeliveryStatus.UNKNOWN,
    )
    assert (second.mobile, second.client_id, second.status) == (
        "13900139000",
        "42",
        DeliveryStatus.DELIVERED,
    )
    rx = "100{&} 13800138000 ||你好||2024-05-01 09:00:00|| 106 "
    (reply,) = (
        smscn.Codec()
        .decode_response(FetchInbound(), HttpResponse(200, (), rx.encode("gbk")), account)
        .items
    )
    assert (reply.mobile, reply.content, reply.destination) == ("13800138000", "你好", "106")
