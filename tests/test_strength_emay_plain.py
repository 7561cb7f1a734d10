"""``emay._plain``: the simple interface's shared wire (§2.2), both roles, exact forms and JSON.

§2.2: "普通接口所有参数均通过 post 参数提交 … 字符集：普通接口传出数据仅支持 UTF-8";
sendSMS "mobiles … 多个，逗号分隔，最多 500个", "timerTime … 格式：yyyyMMddHHmmss 14位
… 定时时间在 90天之内", "customSmsId … 最长 32位", "extendedCode … 最长支持 12 位";
getReport/getMo "number … 最多 500个，默认 500个"; answers ``{"code": …, "data": …}``
with §3's codes. Forms are read with ``urllib.parse``, signs computed with
``hashlib``. Written to kill mutants that survived ``tools/mutate.py
codecs/emay/_plain.py`` (issue 17).
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from _emay_plain_strength import (
    ACCOUNT,
    NOW,
    STAMP,
    T,
    answer,
    answered,
    codec,
    form,
)
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpResponse,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    emay,
)

# --------------------------------------------------------------------------- client role


def test_send_sms_form_in_the_documents_order() -> None:
    op = SendSms(
        ("18001098901", "18001098902"), "hello", NOW + timedelta(days=1), "123", ("10001", "10001")
    )
    assert form(op) == (
        "/simpleinter/sendSMS",
        [
            ("mobiles", "18001098901,18001098902"),
            ("content", "hello"),
            ("extendedCode", "123"),
            ("timerTime", "20240502093000"),
            ("customSmsId", "10001"),
        ],
    )
    assert form(SendSms(("1",), "短信 内容&="))[1] == [("mobiles", "1"), ("content", "短信 内容&=")]


def test_the_timer_window_is_after_now_and_within_90_days() -> None:
    edge = NOW + timedelta(days=90)
    assert form(SendSms(("1",), "x", edge))[1][-1] == ("timerTime", "20240730093000")
    for bad in (NOW, edge + timedelta(seconds=1), NOW - timedelta(seconds=1)):
        with pytest.raises(
            EncodeError,
            match=r"^send_at: timerTime must be after the request time and within 90 days of "
            r"it \(定时时间在 90天之内\)$",
        ):
            codec.encode_request(SendSms(("1",), "x", bad), ACCOUNT, STAMP)


def test_one_custom_sms_id_per_request() -> None:
    assert form(SendSms(("1", "2"), "x", client_ids=("c" * 32, "c" * 32)))[1][-1] == (
        "customSmsId",
        "c" * 32,
    )
    with pytest.raises(
        EncodeError,
        match=r"^client_ids: the emay simple interface carries one customSmsId per request; "
        r"give every number the same id or send separately$",
    ):
        codec.encode_request(SendSms(("1", "2"), "x", client_ids=("a", "b")), ACCOUNT, STAMP)
    for cid in ("c" * 33,):
        with pytest.raises(EncodeError, match=r"^client_ids: a customSmsId is 1 to 32 characters$"):
            codec.encode_request(SendSms(("1",), "x", client_ids=(cid,)), ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match=r"^client_ids"):
        codec.encode_request(SendSms(("1",), "x", client_ids=("\ud800",)), ACCOUNT, STAMP)
    messages = [PersonalizedMessage("1", "a", "c"), PersonalizedMessage("2", "b", None)]
    with pytest.raises(EncodeError, match=r"one customSmsId per request"):
        codec.encode_request(SendPersonalized(messages), ACCOUNT, STAMP)
    shared = [PersonalizedMessage("1", "a", "c"), PersonalizedMessage("2", "b", "c")]
    assert ("customSmsId", "c") in form(SendPersonalized(shared))[1]
    empty = [PersonalizedMessage("1", "a", ""), PersonalizedMessage("2", "b", "")]
    with pytest.raises(EncodeError, match=r"^client_ids: a customSmsId is 1 to 32 characters$"):
        codec.encode_request(SendPersonalized(empty), ACCOUNT, STAMP)


def test_texts_and_extensions_are_checked() -> None:
    with pytest.raises(EncodeError, match=r"^content: emay does not send an empty text$"):
        codec.encode_request(SendSms(("1",), ""), ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match=r"^content"):
        codec.encode_request(SendSms(("1",), "a\udc00"), ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match=r"^content for 2: emay does not send an empty text$"):
        codec.encode_request(
            SendPersonalized([PersonalizedMessage("1", "a"), PersonalizedMessage("2", "")]),
            ACCOUNT,
            STAMP,
        )
    assert ("extendedCode", "1" * 12) in form(SendSms(("1",), "x", extension="1" * 12))[1]
    for ext, why in (("1" * 13, "is longer than 12 digits"), ("1a", "must be ASCII digits")):
        message = rf"^extension \(extendedCode\) '{ext}' {why}$"
        with pytest.raises(EncodeError, match=message):
            codec.encode_request(SendSms(("1",), "x", extension=ext), ACCOUNT, STAMP)
        with pytest.raises(EncodeError, match=message):
            codec.encode_request(
                SendPersonalized([PersonalizedMessage("1", "a")], extension=ext), ACCOUNT, STAMP
            )


def test_personality_form_is_number_equals_text() -> None:
    op = SendPersonalized(
        [
            PersonalizedMessage("18001098901", "天气不错1啊"),
            PersonalizedMessage("18001098902", "天气不错2啊"),
        ],
        extension="123",
    )
    assert form(op) == (
        "/simpleinter/sendPersonalitySMS",
        [("extendedCode", "123"), ("18001098901", "天气不错1啊"), ("18001098902", "天气不错2啊")],
    )


@pytest.mark.parametrize("kind", ["sms", "personality"])
def test_500_numbers_go_in_one_request_501_are_planned(kind: str) -> None:
    def op(n: int) -> Any:
        mobiles = [f"1{i:010d}" for i in range(n)]
        if kind == "sms":
            return SendSms(tuple(mobiles), "x", client_ids=("c",) * n)
        return SendPersonalized([PersonalizedMessage(m, "x") for m in mobiles])

    full = op(500)
    assert codec.plan(full) == (full,)
    assert len(form(full)[1]) >= 1
    with pytest.raises(EncodeError, match=r"at most 500 numbers per request, got 501"):
        codec.encode_request(op(501), ACCOUNT, STAMP)
    parts = codec.plan(op(1001))
    sizes = [len(p.mobiles) if kind == "sms" else len(p.messages) for p in parts]
    assert sizes == [500, 500, 1]
    if kind == "sms":
        assert parts[2].client_ids == ("c",)
        assert parts[2].mobiles == ("10000001000",)


def test_fetches_carry_number_up_to_500() -> None:
    assert form(FetchReports()) == ("/simpleinter/getReport", [])
    assert form(emay.FetchReportsUpTo(500)) == ("/simpleinter/getReport", [("number", "500")])
    assert form(emay.FetchInboundUpTo(1)) == ("/simpleinter/getMo", [("number", "1")])
    assert form(FetchInbound()) == ("/simpleinter/getMo", [])
    for op in (emay.FetchReportsUpTo(501), emay.FetchInboundUpTo(501)):
        with pytest.raises(
            EncodeError, match=r"^number: the simple interface hands out at most 500$"
        ):
            codec.encode_request(op, ACCOUNT, STAMP)
    assert form(QueryBalance()) == ("/simpleinter/getBalance", [])


# --------------------------------------------------------------------------- answers


def test_send_answers_read_receipts() -> None:
    data = [
        {
            "mobile": "15538850000",
            "smsId": "20170392833833891100",
            "customSmsId": "20170392833833891100",
        },
        {"mobile": "15538850001", "smsId": "2"},
    ]
    op = SendSms(("15538850000", "15538850001"), "x")
    expected = SendResult(
        (
            Receipt("15538850000", "20170392833833891100", "20170392833833891100"),
            Receipt("15538850001", "2"),
        )
    )
    assert codec.decode_response(op, answer({"code": "SUCCESS", "data": data}), ACCOUNT) == expected
    assert (
        codec.decode_response(op, answer({" code ": "SUCCESS", " data": data}), ACCOUNT) == expected
    )
    assert codec.decode_response(op, answer({"code": "SUCCESS"}), ACCOUNT) == SendResult()
    assert (
        codec.decode_response(op, answer({"code": "SUCCESS", "data": None}), ACCOUNT)
        == SendResult()
    )
    body = json.dumps({"code": "SUCCESS", "data": {"mobile": "1"}}).encode()
    with pytest.raises(DecodeError, match=r"^emay send answer: data is not a JSON array$") as info:
        codec.decode_response(op, HttpResponse(200, (), body), ACCOUNT)
    assert info.value.raw == body
    body = json.dumps({"code": "SUCCESS", "data": [{"smsId": "1"}]}).encode()
    with pytest.raises(
        DecodeError, match=r"^emay send answer: emay record without 'mobile'$"
    ) as info:
        codec.decode_response(op, HttpResponse(200, (), body), ACCOUNT)
    assert info.value.raw == body


@pytest.mark.parametrize(
    "code",
    [
        "ERROR_SIGN",
        "ERROR_TIMESTAMP",
        "ERROR_MOBILE_NUMBER",
        "ERROR_BALANCE",
        "ERROR_SOMETHING_NEW",
    ],
)
def test_an_error_code_is_a_gateway_error(code: str) -> None:
    body = json.dumps({"code": code}).encode()
    for op in (SendSms(("1",), "x"), QueryBalance(), FetchReports()):
        with pytest.raises(GatewayError) as info:
            codec.decode_response(op, HttpResponse(200, (), body), ACCOUNT)
        assert info.value.code == code
        assert info.value.raw == body


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b'{"code":"SUCCESS","data":[]}', "^emay answered HTTP 500$"),
        (201, b'{"code":"SUCCESS","data":[]}', "^emay answered HTTP 201$"),
        (200, b'[{"code":"SUCCESS"}]', "^emay answer is not a JSON object$"),
        (200, b'"SUCCESS"', "^emay answer is not a JSON object$"),
        (200, b'{"data":[]}', "^emay answer without a 'code'$"),
        (200, b'{"code":"","data":[]}', "^emay answer without a 'code'$"),
        (200, b'{"code":0,"data":[]}', "^emay answer without a 'code'$"),
        (200, b"SUCCESS", "^emay"),
    ],
)
def test_answers_that_are_no_answer_are_refused_with_the_body(
    status: int, body: bytes, error: str
) -> None:
    with pytest.raises(DecodeError, match=error) as info:
        codec.decode_response(FetchReports(), HttpResponse(status, (), body), ACCOUNT)
    assert info.value.raw == body


def test_balance_answers_inside_data_or_beside_the_code() -> None:
    # §2.2.5's example: {"code":"SUCCESS","data":{"balance":1000}}; its table: balance beside code.
    for document in (
        {"code": "SUCCESS", "data": {"balance": 1000}},
        {"code": "SUCCESS", "balance": 1000},
        {"code": "SUCCESS", " balance ": "1000"},
    ):
        assert codec.decode_response(QueryBalance(), answer(document), ACCOUNT) == Balance(
            Decimal(1000)
        )
    both = {"code": "SUCCESS", "data": {"balance": 7}, "balance": 1000}
    assert codec.decode_response(QueryBalance(), answer(both), ACCOUNT) == Balance(Decimal(7))
    for document in (
        {"code": "SUCCESS", "data": [1000]},
        {"code": "SUCCESS"},
        {"code": "SUCCESS", "data": {"balance": -1}},
    ):
        with pytest.raises(DecodeError):
            codec.decode_response(QueryBalance(), answer(document), ACCOUNT)


def test_fetch_answers_keep_bad_records() -> None:
    report = {
        "mobile": "15538850000",
        "smsId": "1",
        "state": "DELIVRD",
        "receiveTime ": "2017-03-15 12:00:00",
        "submitTime": "2017-03-15 12:00:00",
    }
    batch = codec.decode_response(
        FetchReports(), answer({"code": "SUCCESS", "data": [report, {"mobile": "2"}]}), ACCOUNT
    )
    assert batch == Batch(
        (DeliveryReport("15538850000", DeliveryStatus.DELIVERED, "DELIVRD", "1", None, T, T),),
        (b'{"mobile": "2"}',),
    )
    mo = {
        "mobile": "15538850000",
        "content": "TD",
        "moTime": "2017-03-15 12:00:00",
        "extendedCode": "123",
    }
    got = codec.decode_response(FetchInbound(), answer({"code": "SUCCESS", "data": [mo]}), ACCOUNT)
    assert got == Batch((InboundMessage("15538850000", "TD", T, None, "123"),))


def test_server_answers_are_code_and_data() -> None:
    receipts = SendResult((Receipt("15538850000", "1", None),))
    assert answered(SendSms(("15538850000",), "x"), receipts) == {
        "code": "SUCCESS",
        "data": [{"mobile": "15538850000", "smsId": "1", "customSmsId": None}],
    }
    assert answered(SendSms(("1",), "x"), SendResult()) == {"code": "SUCCESS", "data": []}
    for bad in (SendResult(failed=1), SendResult(batch_id="b")):
        with pytest.raises(
            EncodeError, match=r"^emay send answers list accepted numbers only \(no count, batch\)$"
        ):
            codec.encode_response(SendSms(("1",), "x"), bad, ACCOUNT)
    with pytest.raises(EncodeError, match=r"^emay send answers carry a SendResult, not Balance$"):
        codec.encode_response(SendSms(("1",), "x"), Balance(Decimal(1)), ACCOUNT)
    mo = InboundMessage("15538850000", "TD", T, None, "123")
    assert answered(FetchInbound(), Batch((mo,))) == {
        "code": "SUCCESS",
        "data": [
            {
                "mobile": "15538850000",
                "content": "TD",
                "moTime": "2017-03-15 12:00:00",
                "extendedCode": "123",
            }
        ],
    }
    with pytest.raises(EncodeError, match=r"^emay answers carry a Batch of InboundMessage$"):
        codec.encode_response(FetchInbound(), Batch((mo, "x")), ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(EncodeError, match=r"^emay answers carry a Batch of DeliveryReport$"):
        codec.encode_response(FetchReports(), [mo], ACCOUNT)  # type: ignore[arg-type]
    with pytest.raises(
        EncodeError, match=r"^emay answers carry records, not the raw fragments of a batch$"
    ):
        codec.encode_response(FetchInbound(), Batch((mo,), (b"x",)), ACCOUNT)
    assert answered(QueryBalance(), Balance(Decimal(1000))) == {
        "code": "SUCCESS",
        "data": {"balance": 1000},
    }
