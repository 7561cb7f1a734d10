"""The shared policies every vendor codec applies (issue 11, items 15, 16 and 18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from smswire.codecs import Balance, BalanceUnit, DecodeError, DeliveryStatus, EncodeError
from smswire.codecs._checks import parse_message_count, render_message_count
from smswire.codecs._query import parse_query
from smswire.codecs._records import report_status


@pytest.mark.parametrize("text", ["0", "1000", " 42\r\n", "007"])
def test_message_count_reads_whole_digits(text: str) -> None:
    assert parse_message_count(text, "v") == Balance(Decimal(text.strip()))


@pytest.mark.parametrize("text", ["", "-5", "+5", "1.5", "1e3", "１２", "²", "--5", "12 3", "NaN"])
def test_message_count_refuses_anything_else(text: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_message_count(text, "v", text.encode("utf-8"))
    assert info.value.raw == text.encode("utf-8")


def test_message_count_renders_digits() -> None:
    assert render_message_count(Balance(Decimal(1000)), "v") == "1000"
    assert render_message_count(Balance(Decimal("7.000")), "v") == "7"


@pytest.mark.parametrize(
    "balance",
    [
        Balance(Decimal("-1")),
        Balance(Decimal("1.5")),
        Balance(Decimal("NaN")),
        Balance(Decimal("Infinity")),
        Balance(Decimal(5), BalanceUnit.MONEY),
        Balance(Decimal(5), gift=Decimal(0)),
        Balance(1000),  # type: ignore[arg-type]
        "1000",
    ],
)
def test_message_count_refuses_what_no_count_wire_carries(balance: object) -> None:
    with pytest.raises(EncodeError):
        render_message_count(balance, "v")


def test_undocumented_report_code_is_unknown_and_kept() -> None:
    table = {"0": DeliveryStatus.DELIVERED, "2": DeliveryStatus.FAILED}
    assert report_status(table, "0") is DeliveryStatus.DELIVERED
    assert report_status(table, "2") is DeliveryStatus.FAILED
    assert report_status(table, "99") is DeliveryStatus.UNKNOWN


def test_lone_surrogate_in_target_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        parse_query("a=\ud800")


def test_request_line_bytes_survive_the_str_target() -> None:
    # A transport that decodes the request line as UTF-8 with surrogateescape hands
    # the codec the very bytes the line carried: raw GBK included.
    raw = "content=这条是测试短信".encode("gbk")
    target = raw.decode("utf-8", "surrogateescape")
    assert parse_query(target) == [("content", "这条是测试短信".encode("gbk"))]


def test_eims_and_emay_refuse_empty_words_with_one_shared_validator() -> None:
    # issue 14 item 5: one validator for "None or a non-empty string", not a copy per vendor.
    import attrs
    from smswire.codecs import eims, emay
    from smswire.codecs._models import check_opt_word, check_word

    assert attrs.fields(eims.SendMessage).sender.validator is check_opt_word
    assert attrs.fields(emay.CreateTemplate).content.validator is check_word
    with pytest.raises(EncodeError, match="sender"):
        eims.SendMessage(("13800138000",), "hi", sender="")
    with pytest.raises(EncodeError, match="content"):
        emay.CreateTemplate("")


@pytest.mark.parametrize("vendor", ["eims", "smscn"])
def test_an_unknown_method_is_refused_by_the_shared_choice_validator(vendor: str) -> None:
    from smswire.codecs import get_codec

    with pytest.raises(EncodeError, match=r"method must be one of auto, GET, POST, not 'PUT'"):
        get_codec(vendor, method="PUT")
