"""``emay._inter``, answers: each §2.1 answer written by the server role and read by the client.

Requests are sealed here with pycryptodome and ``gzip``, answers opened the
same way; the JSON is the document's examples (§2.1.1–§2.1.15) and its status
codes (§3: ERROR_MOBILE_EMPTY 手机号为空, ERROR_MOBILE_NUMBER 号码数量过多,
ERROR_MOBILE_ERROR 手机号码错误, ERROR_CONTENT_EMPTY 短信内容为空, ERROR_PARAMS
请求参数错误, ERROR_CUSTOM_SMSID 自定义消息 ID过长). Written to kill mutants that
survived ``tools/mutate.py codecs/emay/_inter.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from _emay_inter_strength import (
    ACCOUNT,
    CST,
    T,
    answered,
    codec,
    read,
    sealed,
)
from smswire.codecs import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    emay,
)

# --------------------------------------------------------------------------- answers


RECEIPTS = SendResult(
    (
        Receipt("15538850000", "20170392833833891100", "c0"),
        Receipt("15538850001", "20170392833833892100"),
    )
)
RECEIPTS_JSON = [
    {"mobile": "15538850000", "smsId": "20170392833833891100", "customSmsId": "c0"},
    {"mobile": "15538850001", "smsId": "20170392833833892100", "customSmsId": None},
]
TWO = SendSms(("15538850000", "15538850001"), "hi")


def test_send_single_sms_answers_one_object() -> None:
    op = SendSms(("15538850000",), "hi")
    one = SendResult((RECEIPTS.receipts[0],))
    assert answered(op, one) == RECEIPTS_JSON[0]
    assert read(op, RECEIPTS_JSON[0]) == one
    with pytest.raises(EncodeError, match=r"^sendSingleSMS answers one number, not 2$"):
        codec.encode_response(op, RECEIPTS, ACCOUNT)


@pytest.mark.parametrize(
    "op",
    [
        TWO,
        SendSms(TWO.mobiles, "hi", client_ids=("a", "b")),
        SendPersonalized([PersonalizedMessage("15538850000", "x")]),
        emay.SendPersonalityAll([emay.PersonalityMessage("15538850000", "x")]),
        emay.SendTemplate("1", [emay.Recipient("15538850000")]),
        emay.SendTemplateVariables("1", [emay.TemplateVariables("15538850000", {})]),
        emay.SendShortLink("{#短网址#}", "http://x", [emay.Recipient("15538850000")]),
    ],
)
def test_other_sends_answer_an_array(op: Any) -> None:
    assert answered(op, RECEIPTS) == RECEIPTS_JSON
    assert answered(op, SendResult()) == []
    assert read(op, RECEIPTS_JSON) == RECEIPTS
    assert read(op, RECEIPTS_JSON[:1]) == SendResult((RECEIPTS.receipts[0],))
    with pytest.raises(EncodeError, match=r"neither a failed count nor a batch id"):
        codec.encode_response(op, SendResult(failed=1), ACCOUNT)


def test_a_single_number_request_is_answered_as_single_even_for_a_batch_op() -> None:
    # The answer follows the endpoint the request called (§2.1.1's is one object).
    request = sealed("/inter/sendSingleSMS", {"mobile": "15538850000", "content": "hi"})
    op = SendSms(("15538850000",), "hi")
    assert answered(op, SendResult((RECEIPTS.receipts[0],)), request) == RECEIPTS_JSON[0]
    batch_request = sealed("/inter/sendBatchOnlySMS", {"mobiles": ["15538850000"], "content": "hi"})
    assert answered(op, SendResult((RECEIPTS.receipts[0],)), batch_request) == RECEIPTS_JSON[:1]


def test_template_answers() -> None:
    assert answered(emay.CreateTemplate("x"), emay.TemplateCreated("15538850000")) == {
        "templateId": "15538850000"
    }
    assert read(emay.CreateTemplate("x"), {"templateId": "15538850000"}) == emay.TemplateCreated(
        "15538850000"
    )
    delete = emay.DeleteTemplate("15538850000")
    assert answered(delete, emay.TemplateDeleted("15538850000", True)) == {
        "code": "true",
        "templateId": "15538850000",
    }
    assert answered(delete, emay.TemplateDeleted("15538850000", False)) == {
        "code": "false",
        "templateId": "15538850000",
    }
    assert read(delete, {"code": "false", "templateId": "15538850000"}) == emay.TemplateDeleted(
        "15538850000", False
    )
    assert read(delete, {"code": "true", "templateId": "1"}) == emay.TemplateDeleted("1", True)
    query = emay.QueryTemplate("15538850000")
    assert answered(query, emay.TemplateState("15538850000", "1")) == {
        "status": "1",
        "templateId": "15538850000",
    }
    assert read(query, {" status ": "false", "templateId": "15538850000"}) == emay.TemplateState(
        "15538850000", "false"
    )
    with pytest.raises(EncodeError, match=r"is not an answer to CreateTemplate"):
        codec.encode_response(emay.CreateTemplate("x"), emay.TemplateDeleted("1", True), ACCOUNT)


REPORT = DeliveryReport(
    "15538850000",
    DeliveryStatus.DELIVERED,
    "DELIVRD",
    "20170392833833891100",
    "1553885000011111",
    T,
    T,
    "成功",
    "123",
)
REPORT_JSON = {
    "mobile": "15538850000",
    "smsId": "20170392833833891100",
    "customSmsId": "1553885000011111",
    "state": "DELIVRD",
    "desc": "成功",
    "receiveTime": "2017-03-15 12:00:00",
    "submitTime": "2017-03-15 12:00:00",
    "extendedCode": "123",
}
MO = InboundMessage("15538850000", "TD", T, None, "123")
MO_JSON = {
    "mobile": "15538850000",
    "content": "TD",
    "moTime": "2017-03-15 12:00:00",
    "extendedCode": "123",
}
CLICK = emay.ShortLinkClick(
    "15900000006",
    datetime(2020, 7, 3, 11, 4, 36, tzinfo=CST),
    "Windows 10",
    "Chrome",
    "https://emay.cn",
    "http://y.m.cn:7080/002Jhm2Ml0",
    "Mozilla/5.0",
    "EUCP-EMY-SMS1-1GXOA",
)
CLICK_JSON = {
    "mobile": "15900000006",
    "accessTime": "2020-07-03 11:04:36",
    "equipment": "Windows 10",
    "browser": "Chrome",
    "longLink": "https://emay.cn",
    "accessAddress": "http://y.m.cn:7080/002Jhm2Ml0",
    "userAgent": "Mozilla/5.0",
    "appId": "EUCP-EMY-SMS1-1GXOA",
}


@pytest.mark.parametrize(
    ("ops", "item", "item_json", "other"),
    [
        ((FetchReports(), emay.FetchReportsUpTo(5)), REPORT, REPORT_JSON, MO),
        ((FetchInbound(), emay.FetchInboundUpTo(5)), MO, MO_JSON, REPORT),
        ((emay.FetchShortLinkClicks(), emay.FetchShortLinkClicks(5)), CLICK, CLICK_JSON, MO),
    ],
)
def test_fetch_answers_are_arrays_of_records(
    ops: Any, item: Any, item_json: Any, other: Any
) -> None:
    for op in ops:
        assert answered(op, Batch((item, item))) == [item_json, item_json]
        assert answered(op, Batch()) == []
        assert read(op, [item_json, {"x": 1}]) == Batch((item,), (b'{"x": 1}',))
        assert read(op, None) == Batch()
        with pytest.raises(
            EncodeError, match=r"^emay: a batch answer cannot carry malformed records$"
        ):
            codec.encode_response(op, Batch((item,), (b"x",)), ACCOUNT)
        with pytest.raises(
            EncodeError, match=rf"^emay: {type(op).__name__} answers {type(item).__name__}s$"
        ):
            codec.encode_response(op, Batch((item, other)), ACCOUNT)


def test_balance_answers() -> None:
    assert answered(QueryBalance(), Balance(Decimal(1000))) == {"balance": 1000}
    assert read(QueryBalance(), {"balance": 1000}) == Balance(Decimal(1000))
