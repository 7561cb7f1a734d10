"""Helpers of the Emay strength tests: the document's envelope done with pycryptodome and gzip.

emay.txt §2.1: "加密算法：AES/ECB/PKCS5Padding；压缩算法：gzip". Nothing here uses
the codec under test.
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
KEY = "0123456789abcdef"
ACCOUNT = emay.Account("EUCP-EMY-SMS1-1GXOA", KEY)
#: A key the simple interface takes but AES cannot (10 bytes).
SHORT = emay.Account("EUCP-EMY-SHORT", "0123456789")
#: The document's requestTime 1490588340964 ms, 2017-03-27 04:19:00.964 UTC.
DOC_MS = 1490588340964
DOC_NOW = datetime(2017, 3, 27, 12, 19, 0, 964000, tzinfo=CST)
STAMP = Stamp(DOC_NOW)
TIMES = {"requestTime": DOC_MS, "requestValidPeriod": 60}


def java_seal(plain: bytes, key: str = KEY, *, gz: bool) -> bytes:
    """gzip (mtime 0) when asked, then AES/ECB with PKCS#5 padding, as javax.crypto does."""
    if gz:
        plain = gzip.compress(plain, mtime=0)
    return AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(plain, 16, style="pkcs7"))


def java_open(body: bytes, key: str = KEY, *, gz: bool) -> bytes:
    plain = unpad(AES.new(key.encode(), AES.MODE_ECB).decrypt(body), 16, style="pkcs7")
    return gzip.decompress(plain) if gz else plain


def opened(body: bytes, *, gz: bool = True) -> Any:
    return json.loads(java_open(body, gz=gz))


def lookup(app_id: str) -> emay.Account | None:
    return {ACCOUNT.app_id: ACCOUNT, SHORT.app_id: SHORT}.get(app_id)


def request(
    obj: Any,
    *,
    path: str = "/inter/getBalance",
    gz: bool = True,
    app_id: str | None = ACCOUNT.app_id,
    encode: str | None = "UTF-8",
    body: bytes | None = None,
) -> HttpRequest:
    """A request as the document's steps 1-6 build it (``obj`` as its JSON)."""
    headers = []
    if app_id is not None:
        headers.append(("appId", app_id))
    if encode is not None:
        headers.append(("encode", encode))
    if gz:
        headers.append(("gzip", "on"))
    if body is None:
        body = java_seal(json.dumps(obj, ensure_ascii=False).encode(), gz=gz)
    return HttpRequest("POST", path, tuple(headers), body)


def success(obj: Any, *, gz: bool = True) -> HttpResponse:
    body = java_seal(json.dumps(obj, ensure_ascii=False).encode(), gz=gz)
    return HttpResponse(200, (("result", "SUCCESS"),), body)


def refusal(codec: Any, req: HttpRequest, stamp: Stamp | None = None) -> GatewayError:
    with pytest.raises(GatewayError) as info:
        codec.decode_request(req, lookup, stamp)
    return info.value
