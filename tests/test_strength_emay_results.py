"""Secure-interface answers (``emay/_results.py``), both roles, against the document's examples.

emay.txt §2.1.6-§2.1.8 (templateId; code "true删除成功；false删除失败"; status
"0：待审核; 1：通过; 2：审核失败; -1：模板不存在"), §2.1.14 (the getShortLink record),
§2.1.15 ({"balance":1000}) and the send answers (one object for sendSingleSMS, an
array otherwise). Answers are sealed and opened here with pycryptodome and gzip
(``_emay_strength``). Written to kill the mutants that survived ``tools/mutate.py
codecs/emay/_results.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from _emay_strength import ACCOUNT, CST, opened, success
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    EncodeError,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    emay,
)

CODEC = emay.Codec()
SINGLE = SendSms(("15538850000",), "hi")
BATCH = SendSms(("15538850000", "15538850001"), "hi")
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/75.0.3770.100 Safari/537.36"
)
#: §2.1.14.2.2, one record.
CLICK_JSON = {
    "mobile": "15900000006",
    "accessTime": "2020-07-03 11:04:36",
    "equipment": "Windows 10",
    "browser": "Chrome",
    "longLink": "https://emay.cn",
    "accessAddress": "http://y.m.cn:7080/002Jhm2Ml0",
    "userAgent": UA,
    "appId": "EUCP-EMY-SMS1-1GXOA",
}
CLICK = emay.ShortLinkClick(
    "15900000006",
    datetime(2020, 7, 3, 11, 4, 36, tzinfo=CST),
    equipment="Windows 10",
    browser="Chrome",
    long_link="https://emay.cn",
    access_address="http://y.m.cn:7080/002Jhm2Ml0",
    user_agent=UA,
    app_id="EUCP-EMY-SMS1-1GXOA",
)


def decode_error(op: Any, obj: Any) -> DecodeError:
    answer = success(obj)
    with pytest.raises(DecodeError) as info:
        CODEC.decode_response(op, answer, ACCOUNT)
    assert info.value.raw == answer.body
    return info.value


# --------------------------------------------------------------------------- sends


def test_send_answers_one_object_or_an_array() -> None:
    one = {"mobile": "15538850000", "smsId": "20170392833833891100",
           "customSmsId": "20170392833833891100"}  # fmt: skip
    two = {"mobile": "15538850001", "smsId": "20170392833833892100",
           "customSmsId": "20170392833833891100"}  # fmt: skip
    first = Receipt("15538850000", "20170392833833891100", "20170392833833891100")
    second = Receipt("15538850001", "20170392833833892100", "20170392833833891100")
    assert CODEC.decode_response(SINGLE, success(one), ACCOUNT) == SendResult((first,))
    assert CODEC.decode_response(BATCH, success([one, two]), ACCOUNT) == SendResult((first, second))


def test_a_bad_send_answer_names_the_send() -> None:
    assert decode_error(SINGLE, [{"smsId": "1"}]).message == (
        "emay: send answer: emay record without 'mobile'"
    )


def test_send_answers_carry_neither_failed_count_nor_batch_id() -> None:
    receipt = Receipt("15538850000", "1")
    message = r"^emay send answers carry neither a failed count nor a batch id$"
    with pytest.raises(EncodeError, match=message):
        CODEC.encode_response(SINGLE, SendResult((receipt,), failed=1), ACCOUNT)
    with pytest.raises(EncodeError, match=message):
        CODEC.encode_response(SINGLE, SendResult((receipt,), batch_id="7"), ACCOUNT)


def test_single_answer_is_one_object_for_one_number() -> None:
    receipt = Receipt("15538850000", "20170392833833891100")
    answer = CODEC.encode_response(SINGLE, SendResult((receipt,)), ACCOUNT)
    assert opened(answer.body) == {
        "mobile": "15538850000",
        "smsId": "20170392833833891100",
        "customSmsId": None,
    }
    two = SendResult((receipt, Receipt("15538850001", "2")))
    with pytest.raises(EncodeError, match=r"^sendSingleSMS answers one number, not 2$"):
        CODEC.encode_response(SINGLE, two, ACCOUNT)


# --------------------------------------------------------------------------- templates


def test_template_answers_read_as_the_document_writes_them() -> None:
    created = CODEC.decode_response(
        emay.CreateTemplate("x"), success({"templateId": "15538850000"}), ACCOUNT
    )
    assert created == emay.TemplateCreated("15538850000")
    deleted = CODEC.decode_response(
        emay.DeleteTemplate("15538850000"),
        success({"code": "false", "templateId": "15538850000"}),
        ACCOUNT,
    )
    assert deleted == emay.TemplateDeleted("15538850000", False)
    state = CODEC.decode_response(
        emay.QueryTemplate("15538850000"),
        success({" status ": 1, "templateId": "15538850000"}),
        ACCOUNT,
    )
    assert state == emay.TemplateState("15538850000", "1")


def test_bad_template_answers_name_their_endpoint() -> None:
    assert decode_error(emay.CreateTemplate("x"), {}).message == (
        "emay: createTemplateSMS answer: emay record without 'templateId'"
    )
    assert decode_error(emay.DeleteTemplate("1"), {"code": "maybe", "templateId": "1"}).message == (
        "emay: deleteTemplateSMS answer: code is neither true nor false"
    )
    assert decode_error(emay.DeleteTemplate("1"), {"code": "true"}).message == (
        "emay: deleteTemplateSMS answer: emay record without 'templateId'"
    )
    assert decode_error(emay.QueryTemplate("1"), {"status": None, "templateId": "1"}).message == (
        "emay: queryTemplateSMS answer: status is not a string"
    )
    assert decode_error(emay.QueryTemplate("1"), {"status": "1"}).message == (
        "emay: queryTemplateSMS answer: emay record without 'templateId'"
    )


def test_a_boolean_status_is_no_template_status() -> None:
    # status is one of "0", "1", "2", "-1": a JSON true is not a number written bare.
    assert decode_error(emay.QueryTemplate("1"), {"status": True, "templateId": "1"}).message == (
        "emay: queryTemplateSMS answer: status is not a string"
    )


# --------------------------------------------------------------------------- short-link clicks


def test_click_record_reads_every_member() -> None:
    got = CODEC.decode_response(emay.FetchShortLinkClicks(), success([CLICK_JSON]), ACCOUNT)
    assert got == Batch((CLICK,))


def test_click_record_renders_as_the_document_writes_it() -> None:
    answer = CODEC.encode_response(emay.FetchShortLinkClicks(), Batch((CLICK,)), ACCOUNT)
    assert opened(answer.body) == [CLICK_JSON]
    bare = emay.ShortLinkClick("15900000006")
    answer = CODEC.encode_response(emay.FetchShortLinkClicks(), Batch((bare,)), ACCOUNT)
    assert opened(answer.body) == [{"mobile": "15900000006", "accessTime": None}]


@pytest.mark.parametrize("field", ["mobile", "equipment", "user_agent"])
def test_click_with_an_empty_string_is_refused_naming_the_field(field: str) -> None:
    values = {"mobile": "15900000006", field: ""}
    click = emay.ShortLinkClick(**values)
    with pytest.raises(EncodeError) as info:
        CODEC.encode_response(emay.FetchShortLinkClicks(), Batch((click,)), ACCOUNT)
    assert str(info.value) == f"{field}: emay writes an absent value as null; use None, not ''"


# --------------------------------------------------------------------------- balance


def test_balance_reads_an_integer_or_its_digits() -> None:
    # §2.1.15.2.2 {"balance":1000}.
    for value in (1000, "1000"):
        got = CODEC.decode_response(QueryBalance(), success({"balance": value}), ACCOUNT)
        assert got == Balance(Decimal(1000))


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([{"balance": 1000}], "emay: balance answer is not a JSON object"),
        ({"balance": 10.5}, "emay balance is not a whole message count"),
        ({"balance": None}, "emay balance is not a whole message count"),
        ({"balance": True}, "emay balance is not a whole message count"),
        ({"balance": "-5"}, "emay balance '-5' is not a whole message count"),
    ],
)
def test_unreadable_balances(obj: Any, message: str) -> None:
    assert decode_error(QueryBalance(), obj).message == message


def test_balance_renders_whole_counts_only() -> None:
    answer = CODEC.encode_response(QueryBalance(), Balance(Decimal(1000)), ACCOUNT)
    assert opened(answer.body) == {"balance": 1000}
    with pytest.raises(EncodeError) as info:
        CODEC.encode_response(QueryBalance(), Balance(Decimal("1.5")), ACCOUNT)
    assert str(info.value).startswith("emay balances are a whole, non-negative message count")
