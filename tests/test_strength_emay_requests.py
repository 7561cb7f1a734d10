"""Secure-interface request fields (``emay/_requests.py``), both roles, against the document.

emay.txt §2.1 parameter tables: mobile "多个，最多 500个"; customSmsId "最长 32位";
extendedCode "最长支持 12 位"; timerTime "定时时间在 90天之内", "格式：yyyy-MM-dd
HH:mm:ss", "如果不填，则为及时发送"; number "获取状态报告数量(非必填)"; and the
§3 codes ERROR_MOBILE_EMPTY 手机号为空, ERROR_MOBILE_NUMBER 号码数量过多,
ERROR_MOBILE_ERROR 手机号码错误, ERROR_CONTENT_EMPTY 短信内容为空, ERROR_SMS_TIME
定时时间过早或过久, ERROR_CUSTOM_SMSID 自定义消息 ID过长, ERROR_EXTENDED_CODE
扩展码错误, ERROR_PARAMS 请求参数错误. Requests are sealed here with pycryptodome
(``_emay_strength``). Written to kill the mutants that survived ``tools/mutate.py
codecs/emay/_requests.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from _emay_strength import ACCOUNT, CST, STAMP, TIMES, lookup, refusal, request
from smswire.codecs import EncodeError, FetchInbound, FetchReports, SendSms, Stamp, emay
from smswire.codecs.emay._requests import Refusal

CODEC = emay.Codec()
MOBILE = "15538850000"
#: A clock on a whole second, so that "timerTime == now" can be written.
NOW = datetime(2017, 3, 15, 12, 0, 0, tzinfo=CST)


def numbers(count: int) -> list[str]:
    return [f"155{i:08d}" for i in range(count)]


def decoded(path: str, obj: dict[str, Any], stamp: Stamp | None = None) -> Any:
    return CODEC.decode_request(request({**obj, **TIMES}, path=path), lookup, stamp)[0]


def refused(path: str, obj: dict[str, Any], stamp: Stamp | None = None) -> tuple[str, str | None]:
    error = refusal(CODEC, request({**obj, **TIMES}, path=path), stamp)
    return error.code, error.detail


SINGLE = "/inter/sendSingleSMS"
BATCH_ONLY = "/inter/sendBatchOnlySMS"
PERSONALITY = "/inter/sendPersonalitySMS"


def single(**extra: Any) -> dict[str, Any]:
    return {"mobile": MOBILE, "content": "【清华大学】 i love you ! ", **extra}


# --------------------------------------------------------------------------- client role


def test_client_refuses_an_empty_text_naming_content() -> None:
    with pytest.raises(EncodeError, match=r"^content: emay does not send an empty text$"):
        CODEC.encode_request(SendSms((MOBILE,), ""), ACCOUNT, STAMP)


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        ("12a", "extendedCode '12a' must be ASCII digits"),
        ("1234567890123", "extendedCode '1234567890123' is longer than 12 digits"),
    ],
)
def test_client_refuses_an_extended_code_naming_it(extension: str, message: str) -> None:
    with pytest.raises(EncodeError) as info:
        CODEC.encode_request(SendSms((MOBILE,), "hi", extension=extension), ACCOUNT, STAMP)
    assert str(info.value) == message


def test_client_takes_twelve_digit_extension() -> None:
    sent = CODEC.encode_request(SendSms((MOBILE,), "hi", extension="1" * 12), ACCOUNT, STAMP)
    assert sent.target == SINGLE


def test_client_refuses_501_numbers_naming_emay() -> None:
    op = SendSms(tuple(numbers(501)), "hi")
    with pytest.raises(EncodeError) as info:
        CODEC.encode_request(op, ACCOUNT, STAMP)
    assert str(info.value) == (
        "emay takes at most 500 numbers per request, got 501; use codec.plan(op) to split"
    )


# --------------------------------------------------------------------------- server role: ids


def test_custom_sms_id_of_32_is_taken_and_33_refused() -> None:
    # customSmsId "最长 32位".
    op = decoded(SINGLE, single(customSmsId="1" * 32))
    assert op == SendSms((MOBILE,), single()["content"], client_ids=("1" * 32,))
    assert refused(SINGLE, single(customSmsId="1" * 33)) == (
        "ERROR_CUSTOM_SMSID",
        "customSmsId longer than 32 characters",
    )


@pytest.mark.parametrize("absent", [None, ""])
def test_null_or_empty_optional_fields_are_not_given(absent: str | None) -> None:
    # "如果不填，则为及时发送": null and "" both mean not given.
    obj = single(customSmsId=absent, timerTime=absent, extendedCode=absent)
    assert decoded(SINGLE, obj) == SendSms((MOBILE,), obj["content"])


# --------------------------------------------------------------------------- numbers


def test_batch_only_takes_500_numbers_and_refuses_501() -> None:
    # sendBatchOnlySMS mobiles "多个，最多支持 500个".
    op = decoded(BATCH_ONLY, {"mobiles": numbers(500), "content": "hi"})
    assert op == SendSms(tuple(numbers(500)), "hi")
    assert refused(BATCH_ONLY, {"mobiles": numbers(501), "content": "hi"}) == (
        "ERROR_MOBILE_NUMBER",
        "mobiles: more than 500 numbers",
    )


@pytest.mark.parametrize("mobiles", [[], None, "15538867822"])
def test_batch_only_without_a_number_list_is_mobile_empty(mobiles: Any) -> None:
    assert refused(BATCH_ONLY, {"mobiles": mobiles, "content": "hi"}) == (
        "ERROR_MOBILE_EMPTY",
        "mobiles must be a non-empty array",
    )


@pytest.mark.parametrize("mobile", [15538850000, None, "１５５３８８５００００", "1553885000a"])
def test_a_number_that_is_not_ascii_digits_is_mobile_error(mobile: Any) -> None:
    assert refused(SINGLE, single(mobile=mobile)) == (
        "ERROR_MOBILE_ERROR",
        "a phone number must be ASCII digits",
    )


def test_smses_must_hold_objects() -> None:
    assert refused(PERSONALITY, {"smses": [MOBILE]}) == ("ERROR_PARAMS", "smses must hold objects")


# --------------------------------------------------------------------------- text and schedule


@pytest.mark.parametrize("content", ["", None, 5])
def test_empty_or_missing_content_is_content_empty(content: Any) -> None:
    assert refused(SINGLE, single(content=content)) == (
        "ERROR_CONTENT_EMPTY",
        "content must be a non-empty string",
    )


def test_template_content_names_its_key() -> None:
    assert refused("/inter/createTemplateSMS", {}) == (
        "ERROR_CONTENT_EMPTY",
        "templateContent must be a non-empty string",
    )


@pytest.mark.parametrize("timer", ["2017/03/15 12:00:00", "20170315120000", "2017-03-15"])
def test_timer_not_in_the_documents_format_is_sms_time(timer: str) -> None:
    assert refused(SINGLE, single(timerTime=timer)) == (
        "ERROR_SMS_TIME",
        "timerTime is not yyyy-MM-dd HH:mm:ss",
    )


def test_timer_window_is_after_now_and_within_90_days() -> None:
    # "定时时间在 90天之内"; now itself is no schedule (ERROR_SMS_TIME 定时时间过早).
    stamp = Stamp(NOW)
    content = single()["content"]
    for timer, when in [
        ("2017-03-15 12:00:01", NOW + timedelta(seconds=1)),
        ("2017-06-13 12:00:00", NOW + timedelta(days=90)),
    ]:
        op = decoded(SINGLE, single(timerTime=timer), stamp)
        assert op == SendSms((MOBILE,), content, send_at=when)
    for timer in ["2017-03-15 12:00:00", "2017-03-15 11:59:59", "2017-06-13 12:00:01"]:
        assert refused(SINGLE, single(timerTime=timer), stamp) == (
            "ERROR_SMS_TIME",
            "timerTime outside the next 90 days",
        )


def test_timer_without_a_clock_is_read_as_written() -> None:
    op = decoded(SINGLE, single(timerTime="2017-03-15 12:00:00"))
    assert op.send_at == NOW


@pytest.mark.parametrize("code", ["12a", "一二", "1234567890123", "1.5"])
def test_extended_code_that_is_not_1_to_12_digits_is_refused(code: str) -> None:
    assert refused(SINGLE, single(extendedCode=code)) == (
        "ERROR_EXTENDED_CODE",
        "extendedCode must be 1 to 12 digits",
    )


def test_extended_code_of_12_digits_is_taken() -> None:
    assert decoded(SINGLE, single(extendedCode="123456789012")).extension == "123456789012"


# --------------------------------------------------------------------------- number, ids, variables


@pytest.mark.parametrize(
    ("path", "plain", "up_to"),
    [
        ("/inter/getReport", FetchReports(), emay.FetchReportsUpTo),
        ("/inter/getMo", FetchInbound(), emay.FetchInboundUpTo),
    ],
)
def test_number_is_read_when_given(path: str, plain: Any, up_to: Any) -> None:
    # §2.1.12.1.3: {"number":300, ...}; no number: "默认每次请求给 500个".
    assert decoded(path, {"number": 300}) == up_to(300)
    assert decoded(path, {"number": 1}) == up_to(1)
    assert decoded(path, {}) == plain
    assert decoded("/inter/getShortLink", {"number": 300}) == emay.FetchShortLinkClicks(300)


@pytest.mark.parametrize("number", [0, -1, True, "300", 1.5])
def test_number_must_be_a_positive_integer(number: Any) -> None:
    assert refused("/inter/getReport", {"number": number}) == (
        "ERROR_PARAMS",
        "number must be a positive integer",
    )


@pytest.mark.parametrize("template_id", [None, 1300021])
def test_template_id_must_be_a_string(template_id: Any) -> None:
    # §2.1.7.1.3: {"templateId": "1300021", ...}.
    obj = {} if template_id is None else {"templateId": template_id}
    assert refused("/inter/deleteTemplateSMS", obj) == (
        "ERROR_PARAMS",
        "templateId must be a string",
    )
    assert decoded("/inter/deleteTemplateSMS", {"templateId": "1300021"}) == (
        emay.DeleteTemplate("1300021")
    )


VARIABLE = "/inter/sendTemplateVariableSMS"


def test_template_variables_are_the_documents_key_value_pairs() -> None:
    # §2.1.10.1.3.
    obj = {
        "smses": [
            {"mobile": "15903201025", "customSmsId": "1592875962975",
             "content": {"money": "10983.4", "name": "王先生"}},
        ],
        "templateId": "22222",
        "timerTime": None,
        "extendedCode": "111",
    }  # fmt: skip
    assert decoded(VARIABLE, obj) == emay.SendTemplateVariables(
        "22222",
        (
            emay.TemplateVariables(
                "15903201025", (("money", "10983.4"), ("name", "王先生")), "1592875962975"
            ),
        ),
        extension="111",
    )


@pytest.mark.parametrize("content", ["money=1", {"money": 10983.4}, None, ["money", "1"]])
def test_template_variables_must_map_names_to_strings(content: Any) -> None:
    obj = {"smses": [{"mobile": MOBILE, "content": content}], "templateId": "22222"}
    assert refused(VARIABLE, obj) == (
        "ERROR_PARAMS",
        "content must map variable names to strings",
    )


def test_refusal_carries_code_and_detail() -> None:
    refusal_ = Refusal("ERROR_PARAMS", "why")
    assert (refusal_.code, refusal_.detail, str(refusal_)) == ("ERROR_PARAMS", "why", "why")
