"""``emay._account`` and ``emay._ops``: the credentials and Emay's own operations.

§2.1: "数据加密方式：AES；加密算法：AES/ECB/PKCS5Padding" with the secretKey as
the key (AES takes 16, 24 or 32 key bytes); §2.1.8 queryTemplateSMS "status …
0：待审核; 1：通过; 2：审核失败 -1：模板不存在"; §2.1.11 "content … 内容中应包含：
{#短网址#}", "shortLinkRule … 值：1（普通规则），2（精确规则…）". Expected values
are written out here. Written to kill mutants that survived
``tools/mutate.py codecs/emay/_account.py codecs/emay/_ops.py`` (issue 17).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from smswire.codecs import EncodeError, emay
from smswire.codecs.emay import _ops

CST = timezone(timedelta(hours=8))
UTC_NOON = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- Account


@pytest.mark.parametrize(
    ("secret", "size"),
    [
        ("0123456789abcdef", 16),
        ("0123456789abcdefGHIJKLMN", 24),
        ("0123456789abcdef0123456789abcdef", 32),
        ("密钥0123456789", 16),  # two three-byte characters and ten digits: 16 bytes in UTF-8
    ],
)
def test_a_key_of_16_24_or_32_utf8_bytes_is_the_aes_key(secret: str, size: int) -> None:
    account = emay.Account("EUCP-1", secret)
    assert account.key == secret.encode("utf-8")
    assert len(account.key) == size
    assert account.has_aes_key is True


@pytest.mark.parametrize("size", [1, 8, 15, 17, 23, 25, 31, 33, 64])
def test_a_key_of_another_size_is_no_aes_key(size: int) -> None:
    secret = "Z" * size  # no Z in the message: the key never reaches it
    account = emay.Account("EUCP-1", secret)
    assert account.has_aes_key is False
    with pytest.raises(EncodeError) as info:
        _ = account.key
    message = str(info.value)
    assert message.startswith("secret_key: the secure interface uses the secret key as its AES key")
    assert f"must be 16, 24 or 32 bytes in UTF-8, got {size};" in message
    assert secret not in message


def test_a_key_counted_in_utf8_bytes_not_characters() -> None:
    # 16 characters, 20 bytes: no AES key.
    account = emay.Account("EUCP-1", "密钥0123456789abcd")
    assert len(account.secret_key) == 16
    assert account.has_aes_key is False
    with pytest.raises(EncodeError, match=r"got 20;"):
        _ = account.key


@pytest.mark.parametrize("app_id", ["", " EUCP", "EUCP ", "\tEUCP", 5, None, b"EUCP"])
def test_an_app_id_must_be_a_non_empty_unpadded_string(app_id: Any) -> None:
    with pytest.raises(EncodeError, match=r"^app_id: an appId must be a non-empty string$"):
        emay.Account(app_id, "0123456789abcdef")


@pytest.mark.parametrize("secret", ["", None, 16, b"0123456789abcdef"])
def test_a_secret_key_must_be_a_non_empty_string(secret: Any) -> None:
    with pytest.raises(
        EncodeError, match=r"^secret_key: the secret key must be a non-empty string$"
    ):
        emay.Account("EUCP-1", secret)


def test_a_secret_key_of_any_length_serves_the_simple_interface() -> None:
    for secret in ("k", " padded ", "k" * 100):
        assert emay.Account("EUCP-1", secret).secret_key == secret
    assert "0123456789abcdef" not in repr(emay.Account("EUCP-1", "0123456789abcdef"))


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize("mobile", ["", " 155", "155 ", 155, None])
@pytest.mark.parametrize(
    "make",
    [
        emay.Recipient,
        lambda mobile: emay.PersonalityMessage(mobile, "x"),
        lambda mobile: emay.TemplateVariables(mobile, {}),
    ],
)
def test_a_message_number_must_be_an_unpadded_string(mobile: Any, make: Any) -> None:
    with pytest.raises(EncodeError, match=r"^mobile: .* is not a phone number$"):
        make(mobile)


def test_messages_keep_their_fields() -> None:
    assert emay.Recipient("155", "c") == emay.Recipient(mobile="155", client_id="c")
    with pytest.raises(EncodeError, match=r"^client_id: a non-empty string is needed$"):
        emay.Recipient("155", "")
    message = emay.PersonalityMessage("155", "hi", "c", UTC_NOON, "12")
    assert message.send_at == datetime(2024, 5, 1, 20, 0, tzinfo=CST)
    assert message.send_at.utcoffset() == timedelta(hours=8)
    assert message.extension == "12"
    assert emay.PersonalityMessage("155", "hi").send_at is None
    with pytest.raises(EncodeError, match=r"^content: a non-empty string is needed$"):
        emay.PersonalityMessage("155", "")


def test_template_variables_keep_the_callers_order() -> None:
    pairs = (("name", "王先生"), ("money", "10983.4"))
    assert emay.TemplateVariables("155", dict(pairs)).variables == pairs
    assert emay.TemplateVariables("155", list(pairs)).variables == pairs
    assert emay.TemplateVariables("155", iter(pairs)).variables == pairs
    assert emay.TemplateVariables("155", {}).variables == ()
    assert emay.TemplateVariables("155", {"a": ""}).variables == (("a", ""),)


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ([("", "x")], "^variables: names and values must be strings$"),
        ([(1, "x")], "^variables: names and values must be strings$"),
        ([("a", 1)], "^variables: names and values must be strings$"),
        ([("a", None)], "^variables: names and values must be strings$"),
        ([("a", "x"), ("b", "y"), ("a", "z")], "^variables: variable 'a' given twice$"),
    ],
)
def test_template_variables_refuse_what_json_cannot_carry(variables: Any, error: str) -> None:
    with pytest.raises(EncodeError, match=error):
        emay.TemplateVariables("155", variables)


# --------------------------------------------------------------------------- results


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("0", emay.TemplateStatus.PENDING),  # 0：待审核
        ("1", emay.TemplateStatus.APPROVED),  # 1：通过
        ("2", emay.TemplateStatus.REJECTED),  # 2：审核失败
        ("-1", emay.TemplateStatus.NOT_FOUND),  # -1：模板不存在
        ("false", emay.TemplateStatus.UNKNOWN),  # the document's own example answer
        ("3", emay.TemplateStatus.UNKNOWN),
        ("", emay.TemplateStatus.UNKNOWN),
        ("unknown", emay.TemplateStatus.UNKNOWN),
    ],
)
def test_template_state_means_what_section_2_1_8_says(
    code: str, status: emay.TemplateStatus
) -> None:
    state = emay.TemplateState("15538850000", code)
    assert state.status is status
    assert state.code == code


# --------------------------------------------------------------------------- operations


@pytest.mark.parametrize(
    "make",
    [
        lambda: emay.SendPersonalityAll(()),
        lambda: emay.SendTemplate("t", ()),
        lambda: emay.SendTemplateVariables("t", []),
        lambda: emay.SendShortLink("a{#短网址#}", "http://x", ()),
    ],
)
def test_a_send_needs_at_least_one_number(make: Any) -> None:
    with pytest.raises(EncodeError, match=r"^(messages|recipients): at least one is needed$"):
        make()


def test_sends_take_any_iterable_as_a_tuple() -> None:
    recipients = [emay.Recipient("155"), emay.Recipient("156", "c")]
    op = emay.SendTemplate("t1", iter(recipients), UTC_NOON, "9")
    assert op.recipients == tuple(recipients)
    assert op.send_at == datetime(2024, 5, 1, 20, 0, tzinfo=CST)
    assert op.send_at.utcoffset() == timedelta(hours=8)
    assert emay.SendTemplate("t1", recipients).send_at is None
    messages = [emay.PersonalityMessage("155", "a")]
    assert emay.SendPersonalityAll(iter(messages)).messages == tuple(messages)
    filled = [emay.TemplateVariables("155", {"a": "b"})]
    variables = emay.SendTemplateVariables("t", iter(filled), UTC_NOON)
    assert variables.messages == tuple(filled)
    assert variables.send_at is not None and variables.send_at.utcoffset() == timedelta(hours=8)
    link = emay.SendShortLink("a{#短网址#}", "http://x", iter(recipients), 2, UTC_NOON)
    assert link.recipients == tuple(recipients)
    assert link.send_at is not None and link.send_at.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("content", ["no placeholder", "{#短网址}", "#短网址#", "{#短链#}"])
def test_a_short_link_text_must_hold_the_placeholder(content: str) -> None:
    assert _ops.PLACEHOLDER == "{#短网址#}"
    with pytest.raises(EncodeError, match=r"^content: a short-link text must contain {#短网址#}$"):
        emay.SendShortLink(content, "http://x", [emay.Recipient("155")])


@pytest.mark.parametrize("rule", [0, 3, -1, True, False, "1", 1.0, 2.0])
def test_a_short_link_rule_is_1_or_2(rule: Any) -> None:
    # "shortLinkRule … 值：1（普通规则），2（精确规则…）": 1.0 equals 1, yet the request
    # would carry str(1.0) == "1.0" (a bug the mutation run showed; now refused).
    with pytest.raises(EncodeError, match=r"^rule: shortLinkRule is 1 or 2, got "):
        emay.SendShortLink("{#短网址#}", "http://x", [emay.Recipient("155")], rule)


@pytest.mark.parametrize("rule", [1, 2])
def test_short_link_rules_1_and_2_are_taken(rule: int) -> None:
    op = emay.SendShortLink("点击{#短网址#}", "http://x", [emay.Recipient("155")], rule)
    assert op.rule == rule


@pytest.mark.parametrize(
    "make", [emay.FetchReportsUpTo, emay.FetchInboundUpTo, emay.FetchShortLinkClicks]
)
def test_a_fetch_number_is_a_positive_integer(make: Any) -> None:
    assert make(1).number == 1
    assert make(500).number == 500
    for number in (0, -1, True, False, 1.0, "5"):
        with pytest.raises(EncodeError, match=r"^number: a positive integer is needed, got "):
            make(number)
    assert emay.FetchShortLinkClicks().number is None


@pytest.mark.parametrize("make", [emay.CreateTemplate, emay.DeleteTemplate, emay.QueryTemplate])
def test_template_operations_need_a_non_empty_string(make: Any) -> None:
    assert make("1300021") == make("1300021")
    for value in ("", None, 5):
        with pytest.raises(EncodeError, match=r"a non-empty string is needed$"):
            make(value)
