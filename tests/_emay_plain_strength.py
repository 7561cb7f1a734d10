"""Helpers of the Emay simple-interface strength tests (§2.2): forms, signs and JSON answers.

§2.2: "普通接口所有参数均通过 post 参数提交 … 字符集：普通接口传出数据仅支持 UTF-8";
answers ``{"code": …, "data": …}``. Forms are read with ``urllib.parse``, signs
computed with ``hashlib`` (``md5(appId + secretKey + timestamp)``), JSON with
``json``; nothing here computes an expected value with the codec under test.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from smswire.codecs import GatewayError, HttpRequest, HttpResponse, Stamp, emay

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CST)
STAMP = Stamp(NOW)
TIMESTAMP = "20240501093000"
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-DDDD-3EEEE", KEY)
SIGN = hashlib.md5(("EUCP-EMY-DDDD-3EEEE" + KEY + TIMESTAMP).encode()).hexdigest()
SIGNED = [("appId", "EUCP-EMY-DDDD-3EEEE"), ("timestamp", TIMESTAMP), ("sign", SIGN)]
codec = emay.SimpleCodec()
JSON_TYPE = (("Content-Type", "application/json; charset=UTF-8"),)
T = datetime(2017, 3, 15, 12, 0, 0, tzinfo=CST)


def form(op: Any) -> tuple[str, list[tuple[str, str]]]:
    request = codec.encode_request(op, ACCOUNT, STAMP)
    assert request.method == "POST"
    pairs = parse_qsl(request.body.decode("ascii"), keep_blank_values=True, encoding="utf-8")
    assert pairs[:3] == SIGNED
    return request.target, pairs[3:]


def asked(path: str, pairs: list[tuple[str, str]], stamp: Stamp | None = STAMP) -> Any:
    body = "&".join(f"{k}={quote(v, encoding='utf-8')}" for k, v in SIGNED + pairs)
    request = HttpRequest(
        "POST", path, (("Content-Type", "application/x-www-form-urlencoded"),), body.encode()
    )
    op, account = codec.decode_request(request, {ACCOUNT.app_id: ACCOUNT}.get, stamp)
    assert account is ACCOUNT
    return op


def refused(
    path: str, pairs: list[tuple[str, str]], stamp: Stamp | None = STAMP, detail: str | None = None
) -> str:
    with pytest.raises(GatewayError) as info:
        asked(path, pairs, stamp)
    if detail is not None:
        assert info.value.detail == detail
    return info.value.code


def answer(document: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(status, JSON_TYPE, json.dumps(document, ensure_ascii=False).encode())


def answered(op: Any, result: Any) -> Any:
    response = codec.encode_response(op, result, ACCOUNT)
    assert response.status == 200
    assert response.headers == JSON_TYPE
    return json.loads(response.body.decode("utf-8"))
