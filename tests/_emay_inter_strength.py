"""Helpers of the Emay /inter/ strength tests (§2.1): requests sealed, answers opened.

emay.txt §2.1: "将参数拼装成 json 串 … gzip … AES. encryption (secretKey,data,算法)";
requests are sealed and answers opened here with pycryptodome (AES/ECB,
PKCS#5 padding) and ``gzip``, as the document's Java recipe does; nothing here
computes an expected value with the codec under test.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad
from smswire.codecs import GatewayError, HttpRequest, HttpResponse, Stamp, emay

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
NOW_MS = 1714527000000  # 2024-05-01 01:30:00 UTC, by hand
STAMP = Stamp(NOW)
LATER = datetime(2024, 5, 2, 8, 0, 0, tzinfo=CST)
LATER_TEXT = "2024-05-02 08:00:00"
T = datetime(2017, 3, 15, 12, 0, 0, tzinfo=CST)
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-SMS1-1GXOA", KEY)
codec = emay.Codec()
TIME = {"requestTime": NOW_MS, "requestValidPeriod": 60}


def java_open(body: bytes) -> Any:
    return json.loads(gzip.decompress(unpad(AES.new(KEY.encode(), AES.MODE_ECB).decrypt(body), 16)))


def java_seal(obj: Any) -> bytes:
    data = gzip.compress(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
    return AES.new(KEY.encode(), AES.MODE_ECB).encrypt(pad(data, 16))


def sealed(path: str, obj: dict[str, Any]) -> HttpRequest:
    headers = (("appId", ACCOUNT.app_id), ("encode", "UTF-8"), ("gzip", "on"))
    return HttpRequest("POST", path, headers, java_seal({**obj, **TIME}))


def asked(path: str, obj: dict[str, Any]) -> Any:
    op, account = codec.decode_request(sealed(path, obj), {ACCOUNT.app_id: ACCOUNT}.get, STAMP)
    assert account is ACCOUNT
    return op


def refused(path: str, obj: dict[str, Any], detail: str | None = None) -> str:
    with pytest.raises(GatewayError) as info:
        asked(path, obj)
    if detail is not None:
        assert info.value.detail == detail
    return info.value.code


def answered(op: Any, result: Any, request: HttpRequest | None = None) -> Any:
    if request is None:
        response = codec.encode_response(op, result, ACCOUNT)
    else:
        response = codec.encode_response_to(request, op, result, ACCOUNT)
    assert response.status == 200
    assert response.headers == (("result", "SUCCESS"),)
    return java_open(response.body)


def read(op: Any, obj: Any) -> Any:
    response = HttpResponse(200, (("result", "SUCCESS"),), java_seal(obj))
    return codec.decode_response(op, response, ACCOUNT)
