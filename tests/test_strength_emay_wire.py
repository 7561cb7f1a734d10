"""The secure interface's shared wire (``emay/_wire.py``), pinned against the document.

emay.txt §2.1: the request is JSON "将参数拼装成 json 串", in the ``encode`` header's
charset, gzipped with "http.setHead("gzip","on")", AES/ECB/PKCS5Padding with the
secretKey, and "http.setHead("appId",appId)"; the answer's status is the
``result`` header ("当 result不是 SUCCESS时，不会响应下面参数数据"). ``requestTime``
and ``requestValidPeriod``: "请求时间 + 请求有效时间 > 当前时间 ? 有效 : 无效".
Every expected value is computed here with pycryptodome, ``gzip`` and ``json``,
never with the module under test. Written to kill the mutants that survived
``tools/mutate.py codecs/emay/_wire.py`` (issue 17). :func:`_wire.inter` runs at
import time, so its closures are tested on exchanges built here.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from _emay_strength import (
    ACCOUNT,
    DOC_MS,
    DOC_NOW,
    SHORT,
    STAMP,
    java_open,
    java_seal,
    lookup,
    refusal,
    request,
)
from smswire.codecs import (
    Balance,
    DecodeError,
    EncodeError,
    GatewayError,
    HttpResponse,
    QueryBalance,
    Stamp,
    emay,
)
from smswire.codecs.emay import _wire

# --------------------------------------------------------------------------- client role


@pytest.mark.parametrize(
    ("codec", "headers"),
    [
        (emay.Codec(), (("appId", ACCOUNT.app_id), ("encode", "UTF-8"), ("gzip", "on"))),
        (emay.Codec(gzip=False), (("appId", ACCOUNT.app_id), ("encode", "UTF-8"))),
        (emay.Codec(charset="gbk"), (("appId", ACCOUNT.app_id), ("encode", "GBK"), ("gzip", "on"))),
    ],
)
def test_request_headers_are_the_documents_names(
    codec: emay.Codec, headers: tuple[tuple[str, str], ...]
) -> None:
    # "http.setHead("appId",appId)", "http.setHead("gzip","on")", the `encode` header "字符集".
    sent = codec.encode_request(QueryBalance(), ACCOUNT, STAMP)
    assert sent.headers == headers
    assert (sent.method, sent.target) == ("POST", "/inter/getBalance")


def test_balance_request_is_the_documents_json() -> None:
    # §2.1.15.1.3: {"requestTime":1490588340964,"requestValidPeriod":30}
    sent = emay.Codec(request_valid_period=30).encode_request(QueryBalance(), ACCOUNT, STAMP)
    assert json.loads(java_open(sent.body, gz=True)) == {
        "requestTime": DOC_MS,
        "requestValidPeriod": 30,
    }


def test_success_answer_header_is_result() -> None:
    # The answer's status is the header named `result`.
    answer = emay.Codec().encode_response(QueryBalance(), Balance(Decimal(1000)), ACCOUNT)
    assert answer.headers == (("result", "SUCCESS"),)
    assert json.loads(java_open(answer.body, gz=True)) == {"balance": 1000}


def test_answer_without_result_header_is_a_decode_error_keeping_the_body() -> None:
    body = java_seal(b'{"balance":1000}', gz=True)
    with pytest.raises(DecodeError) as info:
        emay.Codec().decode_response(QueryBalance(), HttpResponse(200, (), body), ACCOUNT)
    assert info.value.message == "emay: answer (HTTP 200) has no result header"
    assert info.value.raw == body


def test_success_answer_for_an_account_without_an_aes_key() -> None:
    body = java_seal(b'{"balance":1000}', gz=True)
    answer = HttpResponse(200, (("result", "SUCCESS"),), body)
    with pytest.raises(DecodeError) as info:
        emay.Codec().decode_response(QueryBalance(), answer, SHORT)
    assert info.value.message == (
        "emay: the account's secret key is no AES key (16, 24 or 32 bytes)"
    )
    assert info.value.raw == body


def test_error_result_is_the_tables_gateway_error() -> None:
    answer = HttpResponse(200, (("result", " ERROR_BALANCE "),), b"")
    with pytest.raises(GatewayError) as info:
        emay.Codec().decode_response(QueryBalance(), answer, ACCOUNT)
    assert (info.value.code, info.value.message) == ("ERROR_BALANCE", "余额不足")


# --------------------------------------------------------------------------- server role


def test_unknown_encode_charset_is_error_params_with_the_body() -> None:
    req = request({"requestTime": DOC_MS, "requestValidPeriod": 30}, encode="no-such-charset")
    error = refusal(emay.Codec(), req)
    assert (error.code, error.detail, error.raw) == (
        "ERROR_PARAMS",
        "unknown encode charset",
        req.body,
    )


def test_no_encode_header_reads_utf8() -> None:
    # "如果不填，默认 UTF-8 编码集"
    req = request({"requestTime": DOC_MS, "requestValidPeriod": 30, "x": "短信"}, encode=None)
    assert emay.Codec().decode_request(req, lookup) == (QueryBalance(), ACCOUNT)


def test_account_without_an_aes_key_cannot_decrypt() -> None:
    # "ERROR_ENCRYPTION 解密失败【安全接口专用】": no AES key, nothing decrypts.
    req = request({"requestTime": DOC_MS, "requestValidPeriod": 30}, app_id=SHORT.app_id)
    error = refusal(emay.Codec(), req)
    assert (error.code, error.raw) == ("ERROR_ENCRYPTION", req.body)


def test_wrong_key_is_error_encryption_with_the_body() -> None:
    body = java_seal(b'{"requestTime":1,"requestValidPeriod":1}', "fedcba9876543210", gz=True)
    req = request(None, body=body)
    error = refusal(emay.Codec(), req)
    assert (error.code, error.raw) == ("ERROR_ENCRYPTION", body)


def test_decrypted_but_not_gzip_is_error_params_saying_why() -> None:
    body = java_seal(b'{"requestTime":1,"requestValidPeriod":1}', gz=False)
    req = request(None, body=body, gz=True)
    error = refusal(emay.Codec(), req)
    assert error.code == "ERROR_PARAMS"
    assert error.raw == body
    assert error.detail is not None
    assert error.detail.startswith("decrypted, but body is not valid gzip (")


def test_decrypted_gzip_bomb_is_error_params_naming_the_cap() -> None:
    body = java_seal(b"{}" + b" " * 5000, gz=True)
    error = refusal(emay.Codec(max_decompressed=1000), request(None, body=body))
    assert (error.code, error.detail, error.raw) == (
        "ERROR_PARAMS",
        "decrypted, but body inflates beyond 1000 bytes",
        body,
    )


@pytest.mark.parametrize("plain", [b"[1, 2]", b'"text"', b"not json"])
def test_decrypted_but_no_json_object_is_error_params(plain: bytes) -> None:
    body = java_seal(plain, gz=False)
    error = refusal(emay.Codec(), request(None, body=body, gz=False))
    assert (error.code, error.detail, error.raw) == ("ERROR_PARAMS", "not a JSON object", body)


@pytest.mark.parametrize("app_id", [None, ""])
def test_missing_app_id_is_error_appid_without_asking_the_lookup(app_id: str | None) -> None:
    asked: list[object] = []

    def recording(value: str) -> emay.Account | None:
        asked.append(value)
        return lookup(value)

    req = request({"requestTime": DOC_MS, "requestValidPeriod": 30}, app_id=app_id)
    with pytest.raises(GatewayError) as info:
        emay.Codec().decode_request(req, recording)
    assert (info.value.code, info.value.raw) == ("ERROR_APPID", req.body)
    assert asked == []


def test_unknown_app_id_is_error_appid_with_the_body() -> None:
    req = request({"requestTime": DOC_MS, "requestValidPeriod": 30}, app_id="EUCP-EMY-NOBODY")
    error = refusal(emay.Codec(), req)
    assert (error.code, error.raw) == ("ERROR_APPID", req.body)


@pytest.mark.parametrize(
    ("obj", "detail"),
    [
        ({"requestValidPeriod": 30}, "requestTime must be an integer"),
        (
            {"requestTime": "1490588340964", "requestValidPeriod": 30},
            "requestTime must be an integer",
        ),
        ({"requestTime": True, "requestValidPeriod": 30}, "requestTime must be an integer"),
        ({"requestTime": DOC_MS}, "requestValidPeriod must be an integer"),
        (
            {"requestTime": DOC_MS, "requestValidPeriod": 30.0},
            "requestValidPeriod must be an integer",
        ),
    ],
)
def test_request_time_fields_must_be_integers(obj: dict[str, Any], detail: str) -> None:
    # requestTime "long", requestValidPeriod "int", both 必填.
    req = request(obj)
    error = refusal(emay.Codec(), req)
    assert (error.code, error.detail, error.raw) == ("ERROR_PARAMS", detail, req.body)


def test_request_valid_until_request_time_plus_period() -> None:
    # "请求时间 + 请求有效时间 > 当前时间 ? 有效 : 无效" with requestValidPeriod in seconds.
    obj = {"requestTime": DOC_MS, "requestValidPeriod": 30}
    last_valid = Stamp(DOC_NOW + timedelta(seconds=30) - timedelta(milliseconds=1))
    assert emay.Codec().decode_request(request(obj), lookup, last_valid)[0] == QueryBalance()
    req = request(obj)
    error = refusal(emay.Codec(), req, Stamp(DOC_NOW + timedelta(seconds=30)))
    assert (error.code, error.detail, error.raw) == (
        "ERROR_REQUEST_NO_VALID",
        "requestTime + requestValidPeriod has passed",
        req.body,
    )


def test_model_refusal_is_error_params_with_its_message() -> None:
    # §2.1.11 content "内容中应包含：{#短网址#}": the model refuses it, the gateway's code is
    # ERROR_PARAMS with the model's reason.
    obj = {
        "url": "http://wwww.baidu.com",
        "shortLinkRule": "1",
        "smses": [{"customSmsId": "1", "mobile": "12100000000"}],
        "content": "北京欢迎您，旅游详情请点击",
        "requestTime": DOC_MS,
        "requestValidPeriod": 60,
    }
    req = request(obj, path="/inter/sendShortLinkSMS")
    error = refusal(emay.Codec(), req)
    assert (error.code, error.detail, error.raw) == (
        "ERROR_PARAMS",
        "content: a short-link text must contain {#短网址#}",
        req.body,
    )


def test_refusal_answer_is_the_result_header_and_no_body() -> None:
    error = emay.Codec.spec.error("ERROR_APPID")
    answer = emay.Codec().encode_error(request({}), error)
    assert (answer.status, answer.headers, answer.body) == (200, (("result", "ERROR_APPID"),), b"")
    answered = emay.Codec().encode_response(QueryBalance(), error, ACCOUNT)
    assert (answered.status, answered.headers, answered.body) == (
        200,
        (("result", "ERROR_APPID"),),
        b"",
    )


# --------------------------------------------------------------------------- inter(), built here


class Recorder:
    """The four JSON-level functions of an exchange, recording what they are given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def body(self, op: Any, stamp: Any) -> dict[str, Any]:
        self.calls.append(("body", (op, stamp)))
        return {"number": 7}

    def parse(self, value: Any, raw: bytes) -> Any:
        self.calls.append(("parse", (value, raw)))
        return Balance(Decimal(value["balance"]))

    def read(self, obj: dict[str, Any], now: datetime | None) -> Any:
        self.calls.append(("read", (obj, now)))
        return QueryBalance()

    def render(self, op: Any, result: Any) -> Any:
        self.calls.append(("render", (op, result)))
        return {"balance": 1000}


def split(codec: Any, op: Any) -> tuple[Any, ...]:
    return (op, op)


def picks(op: Any) -> bool:
    return True


def built(recorder: Recorder) -> Any:
    return _wire.inter(QueryBalance, "balance", recorder.body, recorder.parse, recorder.read,
                       recorder.render, Balance, split=split, picks=picks,
                       also=(emay.FetchReportsUpTo,))  # fmt: skip


def test_inter_declares_the_documents_endpoint_and_post() -> None:
    exchange = built(Recorder())
    # §2.1.15.1.1 "http://ip:port/inter/getBalance", §1.2 "POST 方法".
    assert exchange.op is QueryBalance
    assert exchange.path == "/inter/getBalance"
    assert exchange.methods == ("POST",)
    assert exchange.write_refusal is None
    assert exchange.split is split
    assert exchange.picks is picks
    assert exchange.also == (emay.FetchReportsUpTo,)
    assert exchange.refuse is None
    assert exchange.when is None


def test_inter_write_request_seals_the_body_with_request_time() -> None:
    recorder = Recorder()
    op = QueryBalance()
    codec = emay.Codec(request_valid_period=30)
    sent = built(recorder).write_request(codec, op, ACCOUNT, STAMP)
    assert recorder.calls == [("body", (op, STAMP))]
    assert (sent.method, sent.target) == ("POST", "/inter/getBalance")
    assert sent.headers == (("appId", ACCOUNT.app_id), ("encode", "UTF-8"), ("gzip", "on"))
    assert json.loads(java_open(sent.body, gz=True)) == {
        "number": 7,
        "requestTime": DOC_MS,
        "requestValidPeriod": 30,
    }


def test_inter_read_answer_parses_the_opened_json_with_the_raw_body() -> None:
    recorder = Recorder()
    body = java_seal(b'{"balance":1000}', gz=False)
    answer = HttpResponse(200, (("result", "SUCCESS"),), body)
    result = built(recorder).read_answer(emay.Codec(gzip=False), QueryBalance(), answer, ACCOUNT)
    assert result == Balance(Decimal(1000))
    assert recorder.calls == [("parse", ({"balance": 1000}, body))]


def test_inter_read_request_reads_the_object_at_the_stamp() -> None:
    recorder = Recorder()
    obj = {"requestTime": DOC_MS, "requestValidPeriod": 30}
    req = request(obj)
    exchange = built(recorder)
    assert exchange.read_request(emay.Codec(), req, lookup, STAMP) == (QueryBalance(), ACCOUNT)
    assert recorder.calls == [("read", (obj, DOC_NOW))]
    recorder.calls.clear()
    late = Stamp(DOC_NOW + timedelta(seconds=30))
    with pytest.raises(GatewayError) as info:
        exchange.read_request(emay.Codec(), req, lookup, late)
    assert info.value.code == "ERROR_REQUEST_NO_VALID"
    assert recorder.calls == []


def test_inter_write_answer_seals_the_render_and_refuses_other_results() -> None:
    recorder = Recorder()
    exchange = built(recorder)
    op = QueryBalance()
    result = Balance(Decimal(5))
    answer = exchange.write_answer(emay.Codec(gzip=False), op, result, ACCOUNT)
    assert recorder.calls == [("render", (op, result))]
    assert (answer.status, answer.headers) == (200, (("result", "SUCCESS"),))
    assert json.loads(java_open(answer.body, gz=False)) == {"balance": 1000}
    with pytest.raises(EncodeError, match=r"^emay: str is not an answer to QueryBalance$"):
        exchange.write_answer(emay.Codec(), op, "1000", ACCOUNT)
