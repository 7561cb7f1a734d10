"""``emay._plain``, server role: the simple interface's requests read, refused with §3's codes.

§2.2: "普通接口所有参数均通过 post 参数提交 … 字符集：普通接口传出数据仅支持 UTF-8";
sendSMS "mobiles … 多个，逗号分隔，最多 500个", "timerTime … 格式：yyyyMMddHHmmss 14位
… 定时时间在 90天之内", "customSmsId … 最长 32位", "extendedCode … 最长支持 12 位";
getReport/getMo "number … 最多 500个，默认 500个"; answers ``{"code": …, "data": …}``
with §3's codes. Forms are read with ``urllib.parse``, signs computed with
``hashlib``. Written to kill mutants that survived ``tools/mutate.py
codecs/emay/_plain.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from _emay_plain_strength import (
    ACCOUNT,
    CST,
    NOW,
    SIGNED,
    STAMP,
    asked,
    codec,
    refused,
)
from smswire.codecs import (
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    emay,
)

# --------------------------------------------------------------------------- server role


def test_send_sms_is_read_with_its_options() -> None:
    pairs = [
        ("mobiles", "18001098901, 18001098902,"),
        ("content", "hello"),
        ("extendedCode", "123"),
        ("timerTime", "20240502093000"),
        ("customSmsId", "10001"),
    ]
    assert asked("/simpleinter/sendSMS", pairs) == SendSms(
        ("18001098901", "18001098902"), "hello", NOW + timedelta(days=1), "123", ("10001", "10001")
    )
    assert asked(
        "/simpleinter/sendSMS",
        [("mobiles", "1"), ("content", "x"), ("extendedCode", ""), ("customSmsId", "")],
    ) == SendSms(("1",), "x")


@pytest.mark.parametrize(
    ("pairs", "code"),
    [
        ([("content", "x")], "ERROR_MOBILE_EMPTY"),
        ([("mobiles", " , "), ("content", "x")], "ERROR_MOBILE_EMPTY"),
        ([("mobiles", "1a"), ("content", "x")], "ERROR_MOBILE_ERROR"),
        ([("mobiles", "1")], "ERROR_CONTENT_EMPTY"),
        ([("mobiles", "1"), ("content", "")], "ERROR_CONTENT_EMPTY"),
        (
            [("mobiles", "1"), ("content", "x"), ("timerTime", "2024-05-02 09:30:00")],
            "ERROR_SMS_TIME",
        ),
        ([("mobiles", "1"), ("content", "x"), ("timerTime", "20240501093000")], "ERROR_SMS_TIME"),
        ([("mobiles", "1"), ("content", "x"), ("timerTime", "20240730093001")], "ERROR_SMS_TIME"),
        ([("mobiles", "1"), ("content", "x"), ("extendedCode", "1" * 13)], "ERROR_EXTENDED_CODE"),
        ([("mobiles", "1"), ("content", "x"), ("extendedCode", "12a")], "ERROR_EXTENDED_CODE"),
        ([("mobiles", "1"), ("content", "x"), ("extendedCode", "１２")], "ERROR_EXTENDED_CODE"),
        ([("mobiles", "1"), ("content", "x"), ("customSmsId", "c" * 33)], "ERROR_CUSTOM_SMSID"),
    ],
)
def test_send_sms_refusals_are_the_documents_codes(pairs: list[tuple[str, str]], code: str) -> None:
    assert refused("/simpleinter/sendSMS", pairs) == code


def test_send_sms_limits_at_the_edge() -> None:
    def mobiles(n: int) -> str:
        return ",".join(f"1{i:010d}" for i in range(n))

    assert (
        len(asked("/simpleinter/sendSMS", [("mobiles", mobiles(500)), ("content", "x")]).mobiles)
        == 500
    )
    assert (
        refused("/simpleinter/sendSMS", [("mobiles", mobiles(501)), ("content", "x")])
        == "ERROR_MOBILE_NUMBER"
    )
    edge = [
        ("mobiles", "1"),
        ("content", "x"),
        ("timerTime", "20240730093000"),
        ("extendedCode", "1" * 12),
        ("customSmsId", "c" * 32),
    ]
    assert asked("/simpleinter/sendSMS", edge) == SendSms(
        ("1",), "x", NOW + timedelta(days=90), "1" * 12, ("c" * 32,)
    )
    # Without a stamp the server role has no clock: any well-formed timerTime is read.
    past = [("mobiles", "1"), ("content", "x"), ("timerTime", "20000101000000")]
    assert asked("/simpleinter/sendSMS", past, None).send_at == datetime(2000, 1, 1, tzinfo=CST)


def test_a_parameter_that_is_not_utf8_is_error_params() -> None:
    body = "&".join(f"{k}={quote(v)}" for k, v in SIGNED) + "&mobiles=1&content=%FF"
    request = HttpRequest("POST", "/simpleinter/sendSMS", (), body.encode())
    with pytest.raises(GatewayError) as info:
        codec.decode_request(request, {ACCOUNT.app_id: ACCOUNT}.get, STAMP)
    assert info.value.code == "ERROR_PARAMS"


def test_personality_is_read_and_refused() -> None:
    pairs = [
        ("extendedCode", "123"),
        ("customSmsId", "10001"),
        ("18001098901", "天气不错1啊"),
        ("18001098902", "天气不错2啊"),
    ]
    expected = SendPersonalized(
        [
            PersonalizedMessage("18001098901", "天气不错1啊", "10001"),
            PersonalizedMessage("18001098902", "天气不错2啊", "10001"),
        ],
        extension="123",
    )
    assert asked("/simpleinter/sendPersonalitySMS", pairs) == expected
    assert asked("/simpleinter/sendSMS", pairs) == expected  # the document posts them to sendSMS
    assert refused("/simpleinter/sendPersonalitySMS", [("content", "x")]) == "ERROR_MOBILE_EMPTY"
    assert refused("/simpleinter/sendPersonalitySMS", [("1", "")]) == "ERROR_CONTENT_EMPTY"
    many = [(f"1{i:010d}", "x") for i in range(501)]
    assert refused("/simpleinter/sendPersonalitySMS", many) == "ERROR_MOBILE_NUMBER"
    assert len(asked("/simpleinter/sendPersonalitySMS", many[:500]).messages) == 500


@pytest.mark.parametrize(
    ("path", "bare", "up_to"),
    [
        ("/simpleinter/getReport", FetchReports(), emay.FetchReportsUpTo),
        ("/simpleinter/getMo", FetchInbound(), emay.FetchInboundUpTo),
    ],
)
def test_number_is_1_to_500(path: str, bare: Any, up_to: Any) -> None:
    assert asked(path, []) == bare
    assert asked(path, [("number", "")]) == bare
    assert asked(path, [("number", "500")]) == up_to(500)
    assert asked(path, [("number", "1")]) == up_to(1)
    assert asked(path, [("number", "100")]) == up_to(100)
    for number in ("0", "501", "0500", "1000", "-1", "1a", "５", " 5", "99999999999999999999"):
        detail = "number must be 1 to 500"
        assert refused(path, [("number", number)], detail=detail) == "ERROR_PARAMS"


def test_balance_request_is_read() -> None:
    assert asked("/simpleinter/getBalance", []) == QueryBalance()


def test_server_refusal_details() -> None:
    late = [("mobiles", "1"), ("content", "x"), ("timerTime", "20240730093001")]
    detail = "timerTime outside the next 90 days"
    assert refused("/simpleinter/sendSMS", late, detail=detail) == "ERROR_SMS_TIME"
    body = "&".join(f"{k}={quote(v)}" for k, v in SIGNED) + "&mobiles=1&content=%FF"
    request = HttpRequest("POST", "/simpleinter/sendSMS", (), body.encode())
    with pytest.raises(GatewayError) as info:
        codec.decode_request(request, {ACCOUNT.app_id: ACCOUNT}.get, STAMP)
    assert info.value.detail == "content is not UTF-8"
