"""``emay._inter``, server role and answers: each §2.1 request read, each answer written and read.

Requests are sealed here with pycryptodome and ``gzip``, answers opened the
same way; the JSON is the document's examples (§2.1.1–§2.1.15) and its status
codes (§3: ERROR_MOBILE_EMPTY 手机号为空, ERROR_MOBILE_NUMBER 号码数量过多,
ERROR_MOBILE_ERROR 手机号码错误, ERROR_CONTENT_EMPTY 短信内容为空, ERROR_PARAMS
请求参数错误, ERROR_CUSTOM_SMSID 自定义消息 ID过长). Written to kill mutants that
survived ``tools/mutate.py codecs/emay/_inter.py`` (issue 17).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from _emay_inter_strength import (
    LATER,
    LATER_TEXT,
    NOW,
    asked,
    refused,
)
from smswire.codecs import (
    FetchInbound,
    FetchReports,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    emay,
)

# --------------------------------------------------------------------------- reading requests


def test_send_single_sms_is_read() -> None:
    obj = {
        "mobile": "15538850000",
        "content": "hi",
        "timerTime": LATER_TEXT,
        "extendedCode": "112",
        "customSmsId": "c1",
    }
    assert asked("/inter/sendSingleSMS", obj) == SendSms(
        ("15538850000",), "hi", LATER, "112", ("c1",)
    )
    assert asked(
        "/inter/sendSingleSMS", {"mobile": "1", "content": "hi", "customSmsId": None}
    ) == SendSms(("1",), "hi")
    assert (
        refused("/inter/sendSingleSMS", {"mobile": "1a", "content": "hi"}) == "ERROR_MOBILE_ERROR"
    )
    assert refused("/inter/sendSingleSMS", {"mobile": "1", "content": ""}) == "ERROR_CONTENT_EMPTY"
    long_id = {"mobile": "1", "content": "x", "customSmsId": "c" * 33}
    assert refused("/inter/sendSingleSMS", long_id) == "ERROR_CUSTOM_SMSID"
    assert (
        refused("/inter/sendSingleSMS", {"mobile": "1", "content": "x", "timerTime": "2024"})
        == "ERROR_SMS_TIME"
    )


def test_send_batch_sms_with_every_id_without_any_or_some() -> None:
    smses = [
        {"mobile": "15538867822", "customSmsId": "a"},
        {"mobile": "15538867823", "customSmsId": "b"},
    ]
    obj = {"smses": smses, "content": "hi", "timerTime": LATER_TEXT, "extendedCode": "1"}
    assert asked("/inter/sendBatchSMS", obj) == SendSms(
        ("15538867822", "15538867823"), "hi", LATER, "1", ("a", "b")
    )
    none = [{"mobile": "15538867822", "customSmsId": None}, {"mobile": "15538867823"}]
    assert asked("/inter/sendBatchSMS", {"smses": none, "content": "hi"}) == SendSms(
        ("15538867822", "15538867823"), "hi"
    )
    some = [
        {"mobile": "15538867822", "customSmsId": None},
        {"mobile": "15538867823", "customSmsId": "b"},
    ]
    assert asked(
        "/inter/sendBatchSMS", {"smses": some, "content": "hi", "extendedCode": "7"}
    ) == SendPersonalized(
        (PersonalizedMessage("15538867822", "hi"), PersonalizedMessage("15538867823", "hi", "b")),
        None,
        "7",
    )
    assert refused("/inter/sendBatchSMS", {"smses": [], "content": "hi"}) == "ERROR_MOBILE_EMPTY"
    assert (
        refused("/inter/sendBatchSMS", {"smses": [{"mobile": 1}], "content": "hi"})
        == "ERROR_MOBILE_ERROR"
    )
    assert refused("/inter/sendBatchSMS", {"smses": smses}) == "ERROR_CONTENT_EMPTY"
    assert refused("/inter/sendBatchSMS", {"smses": ["x"], "content": "hi"}) == "ERROR_PARAMS"


def test_send_batch_only_sms_is_read() -> None:
    obj = {"mobiles": ["15538867822", "15538867823"], "content": "hi", "timerTime": LATER_TEXT}
    assert asked("/inter/sendBatchOnlySMS", obj) == SendSms(
        ("15538867822", "15538867823"), "hi", LATER
    )
    assert (
        refused("/inter/sendBatchOnlySMS", {"mobiles": ["1", "x"], "content": "hi"})
        == "ERROR_MOBILE_ERROR"
    )
    assert (
        refused("/inter/sendBatchOnlySMS", {"mobiles": [], "content": "hi"}) == "ERROR_MOBILE_EMPTY"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/inter/sendBatchSMS",
        "/inter/sendBatchOnlySMS",
        "/inter/sendPersonalitySMS",
        "/inter/sendPersonalityAllSMS",
        "/inter/sendTemplateNormalSMS",
        "/inter/sendTemplateVariableSMS",
        "/inter/sendShortLinkSMS",
    ],
)
def test_500_numbers_are_read_501_refused(path: str) -> None:
    def obj(n: int) -> dict[str, Any]:
        mobiles = [f"155{i:08d}" for i in range(n)]
        if path.endswith("OnlySMS"):
            return {"mobiles": mobiles, "content": "hi"}
        content: Any = {} if "Variable" in path else "hi"
        smses = [{"mobile": m, "content": content} for m in mobiles]
        return {
            "smses": smses,
            "content": "a{#短网址#}",
            "templateId": "1",
            "url": "http://x",
            "shortLinkRule": "1",
        }

    assert asked(path, obj(500)) is not None
    assert refused(path, obj(501)) == "ERROR_MOBILE_NUMBER"


def test_send_personality_sms_is_read() -> None:
    smses = [
        {"mobile": "15538867822", "customSmsId": None, "content": "haha"},
        {"mobile": "15538867823", "customSmsId": "c", "content": "haha1"},
    ]
    obj = {"smses": smses, "timerTime": LATER_TEXT, "extendedCode": "112"}
    assert asked("/inter/sendPersonalitySMS", obj) == SendPersonalized(
        (
            PersonalizedMessage("15538867822", "haha"),
            PersonalizedMessage("15538867823", "haha1", "c"),
        ),
        LATER,
        "112",
    )
    assert (
        refused("/inter/sendPersonalitySMS", {"smses": [{"mobile": "1", "content": ""}]})
        == "ERROR_CONTENT_EMPTY"
    )


def test_send_personality_all_sms_is_read() -> None:
    smses = [
        {
            "mobile": "15538867822",
            "customSmsId": None,
            "content": "haha",
            "timerTime": LATER_TEXT,
            "extendedCode": "012",
        },
        {
            "mobile": "15538867823",
            "customSmsId": "c",
            "content": "haha1",
            "timerTime": None,
            "extendedCode": "013",
        },
    ]
    assert asked("/inter/sendPersonalityAllSMS", {"smses": smses}) == emay.SendPersonalityAll(
        (
            emay.PersonalityMessage("15538867822", "haha", None, LATER, "012"),
            emay.PersonalityMessage("15538867823", "haha1", "c", None, "013"),
        )
    )
    bad = [{"mobile": "1", "content": "x", "extendedCode": "12a"}]
    assert refused("/inter/sendPersonalityAllSMS", {"smses": bad}) == "ERROR_EXTENDED_CODE"


def test_template_requests_are_read() -> None:
    assert asked(
        "/inter/createTemplateSMS", {" templateContent ": "1300021"}
    ) == emay.CreateTemplate("1300021")
    assert refused("/inter/createTemplateSMS", {"templateContent": ""}) == "ERROR_CONTENT_EMPTY"
    assert asked("/inter/deleteTemplateSMS", {"templateId": "1300021"}) == emay.DeleteTemplate(
        "1300021"
    )
    assert refused("/inter/deleteTemplateSMS", {"templateId": 1300021}) == "ERROR_PARAMS"
    assert asked("/inter/queryTemplateSMS", {"templateId": "7"}) == emay.QueryTemplate("7")
    assert refused("/inter/queryTemplateSMS", {}) == "ERROR_PARAMS"
    # The operation model refuses "" (ERROR_PARAMS: the document has no other code for it).
    assert refused("/inter/queryTemplateSMS", {"templateId": ""}) == "ERROR_PARAMS"


def test_template_sends_are_read() -> None:
    smses = [
        {"mobile": "12100000000", "customSmsId": "1"},
        {"mobile": "12100000001", "customSmsId": None},
    ]
    obj = {"smses": smses, "templateId": "22222", "timerTime": None, "extendedCode": "111"}
    assert asked("/inter/sendTemplateNormalSMS", obj) == emay.SendTemplate(
        "22222", (emay.Recipient("12100000000", "1"), emay.Recipient("12100000001")), None, "111"
    )
    assert refused("/inter/sendTemplateNormalSMS", {"smses": smses}) == "ERROR_PARAMS"
    filled = [
        {
            "mobile": "15903201025",
            "customSmsId": "c",
            "content": {"money": "10983.4", "name": "王先生"},
        }
    ]
    obj = {"smses": filled, "templateId": "22222", "timerTime": LATER_TEXT}
    assert asked("/inter/sendTemplateVariableSMS", obj) == emay.SendTemplateVariables(
        "22222",
        (emay.TemplateVariables("15903201025", {"money": "10983.4", "name": "王先生"}, "c"),),
        LATER,
    )
    bad = {"smses": [{"mobile": "1", "content": {"a": 1}}], "templateId": "2"}
    assert refused("/inter/sendTemplateVariableSMS", bad) == "ERROR_PARAMS"
    assert refused("/inter/sendTemplateVariableSMS", {**obj, "templateId": None}) == "ERROR_PARAMS"


@pytest.mark.parametrize(("rule", "read_as"), [("1", 1), ("2", 2), (1, 1), (2, 2)])
def test_short_link_rules_read(rule: Any, read_as: int) -> None:
    smses = [{"mobile": "12100000000", "customSmsId": "1"}]
    obj = {
        "url": "http://wwww.baidu.com",
        "shortLinkRule": rule,
        "smses": smses,
        "content": "点击{#短网址#}",
        "timerTime": LATER_TEXT,
        "extendedCode": "111",
    }
    op = asked("/inter/sendShortLinkSMS", obj)
    assert op == emay.SendShortLink(
        "点击{#短网址#}",
        "http://wwww.baidu.com",
        (emay.Recipient("12100000000", "1"),),
        read_as,
        LATER,
        "111",
    )
    assert type(op.rule) is int


@pytest.mark.parametrize("rule", ["3", "0", 3, True, False, None, "", 1.5, "1 "])
def test_other_short_link_rules_are_refused(rule: Any) -> None:
    obj = {
        "url": "http://x",
        "shortLinkRule": rule,
        "smses": [{"mobile": "1"}],
        "content": "{#短网址#}",
    }
    assert refused("/inter/sendShortLinkSMS", obj) == "ERROR_PARAMS"


def test_short_link_without_text_or_url_is_refused() -> None:
    base = {
        "url": "http://x",
        "shortLinkRule": "1",
        "smses": [{"mobile": "1"}],
        "content": "{#短网址#}",
    }
    assert refused("/inter/sendShortLinkSMS", {**base, "content": ""}) == "ERROR_CONTENT_EMPTY"
    assert refused("/inter/sendShortLinkSMS", {**base, "url": None}) == "ERROR_PARAMS"
    assert refused("/inter/sendShortLinkSMS", {**base, "content": "no link"}) == "ERROR_PARAMS"


@pytest.mark.parametrize(
    ("path", "bare", "up_to"),
    [
        ("/inter/getReport", FetchReports(), emay.FetchReportsUpTo),
        ("/inter/getMo", FetchInbound(), emay.FetchInboundUpTo),
        ("/inter/getShortLink", emay.FetchShortLinkClicks(), emay.FetchShortLinkClicks),
    ],
)
def test_fetches_are_read_with_and_without_number(path: str, bare: Any, up_to: Any) -> None:
    assert asked(path, {}) == bare
    assert asked(path, {"number": None}) == bare
    assert asked(path, {"number": 300}) == up_to(300)
    assert asked(path, {"number": 1}) == up_to(1)
    for number in (0, -1, "300", True, 1.5):
        assert refused(path, {"number": number}) == "ERROR_PARAMS"


def test_balance_is_read() -> None:
    assert asked("/inter/getBalance", {}) == QueryBalance()


SCHEDULED = {
    "/inter/sendSingleSMS": {"mobile": "1", "content": "x"},
    "/inter/sendBatchSMS": {"smses": [{"mobile": "1", "customSmsId": "a"}], "content": "x"},
    "/inter/sendBatchOnlySMS": {"mobiles": ["1"], "content": "x"},
    "/inter/sendPersonalitySMS": {"smses": [{"mobile": "1", "content": "x"}]},
    "/inter/sendTemplateNormalSMS": {"smses": [{"mobile": "1"}], "templateId": "2"},
    "/inter/sendTemplateVariableSMS": {
        "smses": [{"mobile": "1", "content": {}}],
        "templateId": "2",
    },
    "/inter/sendShortLinkSMS": {
        "smses": [{"mobile": "1"}],
        "content": "{#短网址#}",
        "url": "http://x",
        "shortLinkRule": "1",
    },
}


@pytest.mark.parametrize("path", sorted(SCHEDULED))
def test_every_schedule_is_checked_against_the_request_time(path: str) -> None:
    # "定时时间在 90天之内": from now (exclusive) to now + 90 days (inclusive).
    obj = SCHEDULED[path]
    edge = "2024-07-30 09:30:00"
    assert asked(path, {**obj, "timerTime": edge}).send_at == NOW + timedelta(days=90)
    for bad in ("2024-05-01 09:30:00", "2024-07-30 09:30:01", "2023-01-01 00:00:00"):
        detail = "timerTime outside the next 90 days"
        assert refused(path, {**obj, "timerTime": bad}, detail) == "ERROR_SMS_TIME"
    assert refused(path, {**obj, "extendedCode": "1" * 13}) == "ERROR_EXTENDED_CODE"
    assert asked(path, {**obj, "extendedCode": "1" * 12}).extension == "1" * 12


def test_personality_all_schedules_are_checked_per_message() -> None:
    smses = [{"mobile": "1", "content": "x", "timerTime": "2024-07-30 09:30:01"}]
    detail = "timerTime outside the next 90 days"
    assert refused("/inter/sendPersonalityAllSMS", {"smses": smses}, detail) == "ERROR_SMS_TIME"


def test_short_link_rule_refusal_detail() -> None:
    obj = {**SCHEDULED["/inter/sendShortLinkSMS"], "shortLinkRule": "3"}
    assert refused("/inter/sendShortLinkSMS", obj, "shortLinkRule must be 1 or 2") == "ERROR_PARAMS"


def test_a_batch_with_some_ids_keeps_its_schedule_and_extension() -> None:
    some = [{"mobile": "1", "customSmsId": "a"}, {"mobile": "2", "customSmsId": None}]
    obj = {"smses": some, "content": "x", "timerTime": LATER_TEXT, "extendedCode": "5"}
    assert asked("/inter/sendBatchSMS", obj) == SendPersonalized(
        (PersonalizedMessage("1", "x", "a"), PersonalizedMessage("2", "x")), LATER, "5"
    )
