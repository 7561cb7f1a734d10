"""The simple interface (``emay/_simple.py``) and the secure codec's own rules (``_secure.py``).

emay.txt §2.2: "所有参数均通过 post 参数提交", "传出数据仅支持 UTF-8"; sendSMS mobiles
"多个，逗号分隔，最多 500个"; sendPersonalitySMS "以手机号为参数名，内容为参数值传输";
getReport/getMo number "最多 500个，默认 500个"; the getMo answer of §2.2.4.2.2;
§2.3.3 the push answer "响应规定为英文字符串：success". Signs are computed here with
``hashlib``, forms with ``urllib.parse``, answers read with ``json``. Written to kill
the mutants that survived ``tools/mutate.py codecs/emay/_simple.py codecs/emay/_secure.py``
(issue 17).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from _emay_strength import ACCOUNT, CST, TIMES, java_seal, lookup, request
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    emay,
)

SIMPLE = emay.SimpleCodec()
NOW = datetime(2017, 1, 1, 12, 0, 0, tzinfo=CST)
STAMP = Stamp(NOW)
TIMESTAMP = "20170101120000"
SIGN = hashlib.md5((ACCOUNT.app_id + ACCOUNT.secret_key + TIMESTAMP).encode()).hexdigest()


def signed(path: str, pairs: list[tuple[str, str]]) -> HttpRequest:
    head = [("appId", ACCOUNT.app_id), ("timestamp", TIMESTAMP), ("sign", SIGN)]
    return HttpRequest("GET", f"/simpleinter/{path}?" + urlencode(head + pairs))


def refused(req: HttpRequest, stamp: Stamp | None = None) -> tuple[str, str | None]:
    with pytest.raises(GatewayError) as info:
        SIMPLE.decode_request(req, lookup, stamp)
    return info.value.code, info.value.detail


def numbers(count: int) -> list[str]:
    return [f"180{i:08d}" for i in range(count)]


# --------------------------------------------------------------------------- client role


def test_client_refuses_an_empty_send_text_naming_content() -> None:
    with pytest.raises(EncodeError, match=r"^content: emay does not send an empty text$"):
        SIMPLE.encode_request(SendSms(("18001098901",), ""), ACCOUNT, STAMP)


@pytest.mark.parametrize("make", [SendSms, SendPersonalized])
def test_client_refuses_501_numbers_naming_emay(make: Any) -> None:
    if make is SendSms:
        op = SendSms(tuple(numbers(501)), "hi")
    else:
        op = SendPersonalized(tuple(PersonalizedMessage(m, "hi") for m in numbers(501)))
    with pytest.raises(EncodeError) as info:
        SIMPLE.encode_request(op, ACCOUNT, STAMP)
    assert str(info.value) == (
        "emay takes at most 500 numbers per request, got 501; use codec.plan(op) to split"
    )


def test_personality_refusals_name_what_is_wrong() -> None:
    twice = SendPersonalized((PersonalizedMessage("18001098901", "a"),
                              PersonalizedMessage("18001098901", "b")))  # fmt: skip
    with pytest.raises(EncodeError) as info:
        SIMPLE.encode_request(twice, ACCOUNT, STAMP)
    assert str(info.value) == (
        "messages: a number may appear once per sendPersonalitySMS "
        "(the number is the parameter name)"
    )
    empty = SendPersonalized((PersonalizedMessage("18001098901", ""),))
    with pytest.raises(EncodeError, match=r"^content for 18001098901: emay does not send"):
        SIMPLE.encode_request(empty, ACCOUNT, STAMP)
    wrong = SendPersonalized((PersonalizedMessage("18001098901", "a"),), extension="12a")
    with pytest.raises(EncodeError, match=r"^extension \(extendedCode\) '12a' must be ASCII"):
        SIMPLE.encode_request(wrong, ACCOUNT, STAMP)


def test_fetch_without_number_sends_none() -> None:
    # getMo number "默认 500个": not given, not sent.
    for op, path in ((FetchInbound(), "getMo"), (FetchReports(), "getReport")):
        sent = SIMPLE.encode_request(op, ACCOUNT, STAMP)
        assert sent.target == f"/simpleinter/{path}"
        assert parse_qsl(sent.body.decode()) == [
            ("appId", ACCOUNT.app_id),
            ("timestamp", TIMESTAMP),
            ("sign", SIGN),
        ]
    with pytest.raises(EncodeError, match=r"^emay getMo cannot fetch replies since a time$"):
        SIMPLE.encode_request(FetchInbound(since=NOW), ACCOUNT, STAMP)


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("op", [FetchInbound(), FetchReports()])
def test_records_that_are_no_array_keep_the_body(op: Any) -> None:
    body = json.dumps({"code": "SUCCESS", "data": {"mobile": "1"}}).encode()
    with pytest.raises(DecodeError) as info:
        SIMPLE.decode_response(op, HttpResponse(200, (), body), ACCOUNT)
    assert (info.value.message, info.value.raw) == ("emay: records are not a JSON array", body)


def test_mo_answer_is_the_documents_json() -> None:
    # §2.2.4.2.2.
    message = InboundMessage("15538850000", "TD", datetime(2017, 3, 15, 12, tzinfo=CST),
                             destination="123")  # fmt: skip
    answer = SIMPLE.encode_response(FetchInbound(), Batch((message,)), ACCOUNT)
    assert json.loads(answer.body) == {
        "code": "SUCCESS",
        "data": [{"mobile": "15538850000", "content": "TD",
                  "moTime": "2017-03-15 12:00:00", "extendedCode": "123"}],
    }  # fmt: skip
    with pytest.raises(EncodeError, match=r"^emay answers carry a Batch of InboundMessage$"):
        SIMPLE.encode_response(FetchInbound(), Batch(("TD",)), ACCOUNT)


def test_balance_answer_renders_whole_counts_only() -> None:
    answer = SIMPLE.encode_response(QueryBalance(), Balance(Decimal(1000)), ACCOUNT)
    assert json.loads(answer.body) == {"code": "SUCCESS", "data": {"balance": 1000}}
    with pytest.raises(EncodeError) as info:
        SIMPLE.encode_response(QueryBalance(), Balance(Decimal("0.5")), ACCOUNT)
    assert str(info.value).startswith("emay-simple balances are a whole, non-negative")


# --------------------------------------------------------------------------- server role


def test_send_with_mobiles_is_a_send_even_beside_number_named_parameters() -> None:
    req = signed("sendSMS", [("mobiles", "18001098901,18001098902"), ("content", "hello"),
                             ("18001098903", "x")])  # fmt: skip
    assert SIMPLE.decode_request(req, lookup)[0] == SendSms(("18001098901", "18001098902"), "hello")


def test_send_takes_500_numbers() -> None:
    req = signed("sendSMS", [("mobiles", ",".join(numbers(500))), ("content", "hi")])
    assert SIMPLE.decode_request(req, lookup)[0] == SendSms(tuple(numbers(500)), "hi")
    more = signed("sendSMS", [("mobiles", ",".join(numbers(501))), ("content", "hi")])
    assert refused(more)[0] == "ERROR_MOBILE_NUMBER"


def test_personality_takes_500_numbers() -> None:
    req = signed("sendPersonalitySMS", [(m, "hi") for m in numbers(500)])
    op = SIMPLE.decode_request(req, lookup)[0]
    assert op == SendPersonalized(tuple(PersonalizedMessage(m, "hi") for m in numbers(500)))
    more = signed("sendPersonalitySMS", [(m, "hi") for m in numbers(501)])
    assert refused(more)[0] == "ERROR_MOBILE_NUMBER"


def test_personality_text_that_is_not_utf8_is_error_params() -> None:
    req = HttpRequest("POST", "/simpleinter/sendPersonalitySMS", (),
                      signed("x", []).query.encode() + b"&18001098901=%FF")  # fmt: skip
    assert refused(req) == ("ERROR_PARAMS", "a parameter is not UTF-8")


def test_personality_schedule_is_checked_against_the_servers_clock() -> None:
    # "定时时间在 90天之内".
    past = signed("sendPersonalitySMS", [("timerTime", "20161231120000"), ("18001098901", "x")])
    assert refused(past, STAMP) == ("ERROR_SMS_TIME", "timerTime outside the next 90 days")
    later = signed("sendPersonalitySMS", [("timerTime", "20170101120001"), ("18001098901", "x")])
    op = SIMPLE.decode_request(later, lookup, STAMP)[0]
    assert op.send_at == NOW + timedelta(seconds=1)


def test_report_fetch_without_number_is_fetch_reports() -> None:
    assert SIMPLE.decode_request(signed("getReport", []), lookup)[0] == FetchReports()
    assert SIMPLE.decode_request(signed("getMo", []), lookup)[0] == FetchInbound()


def test_push_ack_is_success() -> None:
    # §2.3.3 "响应规定为英文字符串：success".
    for codec in (SIMPLE, emay.Codec()):
        assert codec.decode_push_ack(HttpResponse(200, (), b"success")) is True
        assert codec.decode_push_ack(HttpResponse(200, (), b"fail")) is False


# --------------------------------------------------------------------------- the secure codec


def test_secure_codec_options_are_checked() -> None:
    with pytest.raises(EncodeError, match=r"^charset: unknown charset 'no-such'$"):
        emay.Codec(charset="no-such")
    for bad in (0, True, -1, "60"):
        with pytest.raises(EncodeError) as info:
            emay.Codec(request_valid_period=bad)  # type: ignore[arg-type]
        assert str(info.value) == (
            f"request_valid_period: a positive integer is needed, got {bad!r}"
        )
    assert emay.Codec(request_valid_period=1, max_decompressed=1).request_valid_period == 1


def test_for_request_keeps_the_codec_and_its_ciphers_when_gzip_agrees() -> None:
    # Codec.cipher: "built once per account and kept by this instance".
    codec = emay.Codec()
    agreeing = request({**TIMES}, gz=True)
    assert codec.for_request(agreeing) is codec
    plain = codec.for_request(request({**TIMES}, gz=False))
    assert plain == emay.Codec(gzip=False)


def test_responder_refuses_as_the_codec_does() -> None:
    req = request(None, body=java_seal(b"{}", gz=True))
    error = emay.Codec.spec.error("ERROR_APPID")
    answer = emay.Codec().answering(req).encode_error(req, error)
    assert (answer.status, answer.headers, answer.body) == (200, (("result", "ERROR_APPID"),), b"")
