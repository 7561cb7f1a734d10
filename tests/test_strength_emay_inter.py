"""``emay._inter``: the fifteen secure operations (§2.1.1–§2.1.15), both roles, exact JSON.

Each request is opened here with pycryptodome and ``gzip`` (the document's
recipe: "将参数拼装成 json 串 … gzip … AES. encryption (secretKey,data,算法)") and
compared member by member with the document's parameter tables; server-role
requests are sealed here the same way and answers are opened the same way.
Limits are the document's: "多个，最多 500个", "最长 32位", "最长支持 12 位",
"定时时间在 90天之内". Written to kill mutants that survived
``tools/mutate.py codecs/emay/_inter.py`` (issue 17).
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from _emay_inter_strength import (
    ACCOUNT,
    KEY,
    LATER,
    LATER_TEXT,
    NOW,
    NOW_MS,
    STAMP,
    TIME,
    codec,
)
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad
from smswire.codecs import (
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    emay,
)

plain_codec = emay.Codec(gzip=False)


def java_open(body: bytes, *, gz: bool = True) -> Any:
    data = unpad(AES.new(KEY.encode(), AES.MODE_ECB).decrypt(body), 16)
    return json.loads(gzip.decompress(data) if gz else data)


def java_seal(obj: Any, *, gz: bool = True) -> bytes:
    data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return AES.new(KEY.encode(), AES.MODE_ECB).encrypt(pad(gzip.compress(data) if gz else data, 16))


def sent(op: Any, c: emay.Codec = codec) -> tuple[str, dict[str, Any]]:
    request = c.encode_request(op, ACCOUNT, STAMP)
    body = java_open(request.body, gz=c.gzip)
    assert body.pop("requestTime") == NOW_MS
    assert body.pop("requestValidPeriod") == c.request_valid_period
    return request.target, body


def asked(path: str, obj: dict[str, Any], stamp: Stamp | None = STAMP) -> Any:
    headers = (("appId", ACCOUNT.app_id), ("encode", "UTF-8"), ("gzip", "on"))
    request = HttpRequest("POST", path, headers, java_seal({**obj, **TIME}))
    op, account = codec.decode_request(request, {ACCOUNT.app_id: ACCOUNT}.get, stamp)
    assert account is ACCOUNT
    return op


def refused(path: str, obj: dict[str, Any]) -> str:
    with pytest.raises(GatewayError) as info:
        asked(path, obj)
    return info.value.code


def answered(op: Any, result: Any) -> Any:
    response = codec.encode_response(op, result, ACCOUNT)
    assert response.header("result") == "SUCCESS"
    return java_open(response.body)


def read(op: Any, obj: Any) -> Any:
    return codec.decode_response(
        op, HttpResponse(200, (("result", "SUCCESS"),), java_seal(obj)), ACCOUNT
    )


def numbers(n: int) -> tuple[str, ...]:
    return tuple(f"155{i:08d}" for i in range(n))


# --------------------------------------------------------------------------- client role


def test_one_number_goes_to_send_single_sms() -> None:
    op = SendSms(
        ("15538850000",), "【清华大学】 i love you ! ", LATER, "112", ("2017010709302911",)
    )
    assert sent(op) == (
        "/inter/sendSingleSMS",
        {
            "mobile": "15538850000",
            "content": "【清华大学】 i love you ! ",
            "timerTime": LATER_TEXT,
            "extendedCode": "112",
            "customSmsId": "2017010709302911",
        },
    )
    path, body = sent(SendSms(("15538850000",), "hi"), plain_codec)
    assert path == "/inter/sendSingleSMS"
    assert body == {
        "mobile": "15538850000",
        "content": "hi",
        "timerTime": None,
        "extendedCode": None,
    }


def test_several_numbers_with_ids_go_to_send_batch_sms() -> None:
    op = SendSms(("15538867822", "15538867823"), "hi", extension="1", client_ids=("a", "b"))
    assert sent(op) == (
        "/inter/sendBatchSMS",
        {
            "smses": [
                {"mobile": "15538867822", "customSmsId": "a"},
                {"mobile": "15538867823", "customSmsId": "b"},
            ],
            "content": "hi",
            "timerTime": None,
            "extendedCode": "1",
        },
    )


def test_several_numbers_without_ids_go_to_send_batch_only_sms() -> None:
    op = SendSms(("15538867822", "15538867823"), "hi", LATER)
    assert sent(op) == (
        "/inter/sendBatchOnlySMS",
        {
            "mobiles": ["15538867822", "15538867823"],
            "content": "hi",
            "timerTime": LATER_TEXT,
            "extendedCode": None,
        },
    )


def test_personality_sends_carry_each_text() -> None:
    op = SendPersonalized(
        (
            PersonalizedMessage("15538867822", "haha"),
            PersonalizedMessage("15538867823", "haha1", "c"),
        ),
        LATER,
        "112",
    )
    assert sent(op) == (
        "/inter/sendPersonalitySMS",
        {
            "smses": [
                {"mobile": "15538867822", "customSmsId": None, "content": "haha"},
                {"mobile": "15538867823", "customSmsId": "c", "content": "haha1"},
            ],
            "timerTime": LATER_TEXT,
            "extendedCode": "112",
        },
    )


def test_personality_all_sends_carry_each_schedule_and_extension() -> None:
    op = emay.SendPersonalityAll(
        (
            emay.PersonalityMessage("15538867822", "haha", None, LATER, "012"),
            emay.PersonalityMessage("15538867823", "haha1", "c", None, "013"),
        )
    )
    assert sent(op) == (
        "/inter/sendPersonalityAllSMS",
        {
            "smses": [
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
        },
    )


def test_template_operations_carry_their_one_member() -> None:
    assert sent(emay.CreateTemplate("您的验证码是{#code#}")) == (
        "/inter/createTemplateSMS",
        {"templateContent": "您的验证码是{#code#}"},
    )
    assert sent(emay.DeleteTemplate("1300021")) == (
        "/inter/deleteTemplateSMS",
        {"templateId": "1300021"},
    )
    assert sent(emay.QueryTemplate("1300021")) == (
        "/inter/queryTemplateSMS",
        {"templateId": "1300021"},
    )


def test_template_sends() -> None:
    recipients = (emay.Recipient("12100000000", "1"), emay.Recipient("12100000001"))
    assert sent(emay.SendTemplate("22222", recipients, LATER, "111")) == (
        "/inter/sendTemplateNormalSMS",
        {
            "smses": [
                {"mobile": "12100000000", "customSmsId": "1"},
                {"mobile": "12100000001", "customSmsId": None},
            ],
            "templateId": "22222",
            "timerTime": LATER_TEXT,
            "extendedCode": "111",
        },
    )
    filled = (
        emay.TemplateVariables(
            "15903201025", {"money": "10983.4", "name": "王先生"}, "1592875962975"
        ),
        emay.TemplateVariables("15903201026", {"name": "李先生"}),
    )
    assert sent(emay.SendTemplateVariables("22222", filled, LATER, "9")) == (
        "/inter/sendTemplateVariableSMS",
        {
            "smses": [
                {
                    "mobile": "15903201025",
                    "customSmsId": "1592875962975",
                    "content": {"money": "10983.4", "name": "王先生"},
                },
                {"mobile": "15903201026", "customSmsId": None, "content": {"name": "李先生"}},
            ],
            "templateId": "22222",
            "timerTime": LATER_TEXT,
            "extendedCode": "9",
        },
    )


@pytest.mark.parametrize("rule", [1, 2])
def test_short_link_sends(rule: int) -> None:
    op = emay.SendShortLink(
        "北京欢迎您，旅游详情请点击{#短网址#}",
        "http://wwww.baidu.com",
        (emay.Recipient("12100000000", "1"), emay.Recipient("12100000000", "2")),
        rule,
        LATER,
        "111",
    )
    assert sent(op) == (
        "/inter/sendShortLinkSMS",
        {
            "url": "http://wwww.baidu.com",
            "shortLinkRule": str(rule),
            "smses": [
                {"mobile": "12100000000", "customSmsId": "1"},
                {"mobile": "12100000000", "customSmsId": "2"},
            ],
            "content": "北京欢迎您，旅游详情请点击{#短网址#}",
            "timerTime": LATER_TEXT,
            "extendedCode": "111",
        },
    )


def test_fetches_carry_number_only_when_given() -> None:
    assert sent(FetchReports()) == ("/inter/getReport", {})
    assert sent(emay.FetchReportsUpTo(300)) == ("/inter/getReport", {"number": 300})
    assert sent(FetchInbound()) == ("/inter/getMo", {})
    assert sent(emay.FetchInboundUpTo(1)) == ("/inter/getMo", {"number": 1})
    assert sent(emay.FetchShortLinkClicks()) == ("/inter/getShortLink", {})
    assert sent(emay.FetchShortLinkClicks(500)) == ("/inter/getShortLink", {"number": 500})
    assert sent(QueryBalance()) == ("/inter/getBalance", {})
    with pytest.raises(EncodeError, match=r"^emay getMo cannot ask for replies since a time"):
        codec.encode_request(FetchInbound(since=NOW), ACCOUNT, STAMP)


def make_send(kind: str, n: int) -> Any:
    mobiles = numbers(n)
    if kind == "batch":
        return SendSms(mobiles, "hi", client_ids=tuple(f"id{i}" for i in range(n)))
    if kind == "batch-only":
        return SendSms(mobiles, "hi")
    if kind == "personality":
        return SendPersonalized([PersonalizedMessage(m, "hi") for m in mobiles])
    if kind == "personality-all":
        return emay.SendPersonalityAll([emay.PersonalityMessage(m, "hi") for m in mobiles])
    if kind == "template":
        return emay.SendTemplate("1", [emay.Recipient(m) for m in mobiles])
    if kind == "variables":
        return emay.SendTemplateVariables("1", [emay.TemplateVariables(m, {}) for m in mobiles])
    return emay.SendShortLink("{#短网址#}", "http://x", [emay.Recipient(m) for m in mobiles])


def listed(kind: str, body: dict[str, Any]) -> list[str]:
    if "mobile" in body:
        return [body["mobile"]]  # one number: sendSingleSMS
    if kind == "batch-only":
        return list(body["mobiles"])
    return [s["mobile"] for s in body["smses"]]


def size(kind: str, op: Any) -> int:
    if isinstance(op, SendSms):
        return len(op.mobiles)
    return len(op.recipients if kind in ("template", "short-link") else op.messages)


SENDS = [
    "batch",
    "batch-only",
    "personality",
    "personality-all",
    "template",
    "variables",
    "short-link",
]


@pytest.mark.parametrize("kind", SENDS)
def test_exactly_500_numbers_go_in_one_request(kind: str) -> None:
    op = make_send(kind, 500)
    assert codec.plan(op) == (op,)
    assert listed(kind, sent(op, plain_codec)[1]) == list(numbers(500))


@pytest.mark.parametrize("kind", SENDS)
def test_501_numbers_are_refused_and_planned_as_500_and_1(kind: str) -> None:
    op = make_send(kind, 501)
    with pytest.raises(EncodeError, match=r"^emay takes at most 500 numbers per request, got 501"):
        codec.encode_request(op, ACCOUNT, STAMP)
    parts = codec.plan(op)
    assert [size(kind, p) for p in parts] == [500, 1]
    path, body = sent(parts[1], plain_codec)
    assert listed(kind, body) == [numbers(501)[500]]
    if kind in ("batch", "batch-only"):
        assert path == "/inter/sendSingleSMS"
    if kind == "batch":
        assert parts[1].client_ids == ("id500",)
    assert [size(kind, p) for p in codec.plan(make_send(kind, 1001))] == [500, 500, 1]


def test_a_single_number_is_not_split() -> None:
    op = SendSms(("15538850000",), "hi")
    assert codec.plan(op) == (op,)


@pytest.mark.parametrize(
    "kind", ["personality", "personality-all", "template", "variables", "short-link"]
)
def test_ids_of_33_characters_are_refused_32_taken(kind: str) -> None:
    for cid, ok in (("x" * 32, True), ("x" * 33, False)):
        if kind == "personality":
            op: Any = SendPersonalized([PersonalizedMessage("155", "hi", cid)])
        elif kind == "personality-all":
            op = emay.SendPersonalityAll([emay.PersonalityMessage("155", "hi", cid)])
        elif kind == "variables":
            op = emay.SendTemplateVariables("1", [emay.TemplateVariables("155", {}, cid)])
        elif kind == "template":
            op = emay.SendTemplate("1", [emay.Recipient("155", cid)])
        else:
            op = emay.SendShortLink("{#短网址#}", "http://x", [emay.Recipient("155", cid)])
        if ok:
            assert cid in json.dumps(sent(op)[1])
        else:
            with pytest.raises(EncodeError, match=r"must be 1 to 32 characters"):
                codec.encode_request(op, ACCOUNT, STAMP)


@pytest.mark.parametrize("kind", ["single", "batch"])
def test_send_sms_ids_are_checked(kind: str) -> None:
    mobiles = ("155",) if kind == "single" else ("155", "156")
    for cid, ok in (("x" * 32, True), ("x" * 33, False)):
        op = SendSms(mobiles, "hi", client_ids=(cid,) * len(mobiles))
        if ok:
            assert cid in json.dumps(sent(op)[1])
        else:
            with pytest.raises(EncodeError, match=r"must be 1 to 32 characters"):
                codec.encode_request(op, ACCOUNT, STAMP)


@pytest.mark.parametrize("kind", [*SENDS, "single"])
def test_a_bad_number_is_refused(kind: str) -> None:
    op = SendSms(("15a",), "hi") if kind == "single" else make_send(kind, 2)
    if kind != "single":
        op = _with_bad_number(kind, op)
    with pytest.raises(EncodeError, match=r"must be ASCII digits"):
        codec.encode_request(op, ACCOUNT, STAMP)


def _with_bad_number(kind: str, op: Any) -> Any:
    if kind in ("batch", "batch-only"):
        return SendSms(("155", "15a"), "hi", client_ids=op.client_ids)
    if kind == "personality":
        return SendPersonalized(
            [PersonalizedMessage("155", "hi"), PersonalizedMessage("15a", "hi")]
        )
    if kind == "personality-all":
        return emay.SendPersonalityAll([emay.PersonalityMessage("15a", "hi")])
    if kind == "variables":
        return emay.SendTemplateVariables("1", [emay.TemplateVariables("15a", {})])
    if kind == "template":
        return emay.SendTemplate("1", [emay.Recipient("15a")])
    return emay.SendShortLink("{#短网址#}", "http://x", [emay.Recipient("15a")])


@pytest.mark.parametrize(
    "kind", ["single", "batch", "batch-only", "personality", "personality-all"]
)
def test_schedules_and_extensions_are_checked_at_the_edges(kind: str) -> None:
    edge = NOW + timedelta(days=90)

    def op(send_at: datetime | None = None, ext: str | None = None) -> Any:
        if kind == "single":
            return SendSms(("155",), "hi", send_at, ext)
        if kind == "batch":
            return SendSms(("155", "156"), "hi", send_at, ext, ("a", "b"))
        if kind == "batch-only":
            return SendSms(("155", "156"), "hi", send_at, ext)
        if kind == "personality":
            return SendPersonalized([PersonalizedMessage("155", "hi")], send_at, ext)
        return emay.SendPersonalityAll([emay.PersonalityMessage("155", "hi", None, send_at, ext)])

    def timer(body: dict[str, Any]) -> Any:
        return body["smses"][0]["timerTime"] if kind == "personality-all" else body["timerTime"]

    def extension(body: dict[str, Any]) -> Any:
        return (
            body["smses"][0]["extendedCode"] if kind == "personality-all" else body["extendedCode"]
        )

    assert timer(sent(op(edge))[1]) == "2024-07-30 09:30:00"
    assert extension(sent(op(ext="1" * 12))[1]) == "1" * 12
    for bad in (NOW, edge + timedelta(seconds=1), NOW - timedelta(days=1)):
        with pytest.raises(EncodeError, match=r"^timerTime"):
            codec.encode_request(op(bad), ACCOUNT, STAMP)
    for ext in ("1" * 13, "1a", ""):
        with pytest.raises(EncodeError, match=r"extendedCode"):
            codec.encode_request(op(ext=ext), ACCOUNT, STAMP)


@pytest.mark.parametrize(
    "kind", ["single", "batch", "batch-only", "personality", "personality-all"]
)
def test_an_empty_text_is_refused(kind: str) -> None:
    if kind == "personality-all":
        # The message model refuses an empty text itself.
        with pytest.raises(EncodeError, match=r"^content: a non-empty string is needed$"):
            emay.PersonalityMessage("155", "")
        return
    if kind == "personality":
        op = SendPersonalized([PersonalizedMessage("155", "hi"), PersonalizedMessage("156", "")])
        with pytest.raises(EncodeError, match=r"^content: emay does not send an empty text$"):
            codec.encode_request(op, ACCOUNT, STAMP)
        return
    mobiles = ("155",) if kind == "single" else ("155", "156")
    ids = ("a", "b") if kind == "batch" else None
    with pytest.raises(EncodeError, match=r"^content: emay does not send an empty text$"):
        codec.encode_request(SendSms(mobiles, "", client_ids=ids), ACCOUNT, STAMP)
