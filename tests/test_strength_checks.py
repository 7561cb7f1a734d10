"""``_checks`` and ``_digits``: limits at and over the edge, digits as the documents mean them.

esms100.txt "cppwd 密码，32 位 MD5 加密后的密文"; every document's mobile parameter is a
list of phone numbers (ASCII digits) joined by commas. Expected values are
literals or built with ``str.join``; written to kill mutants that survived
``tools/mutate.py codecs/_checks.py codecs/_digits.py`` (issue 17).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import Balance, BalanceUnit, DecodeError, EncodeError
from smswire.codecs._checks import (
    check_content,
    check_digits,
    check_mobiles,
    join_mobiles,
    parse_code,
    parse_message_count,
    render_message_count,
)
from smswire.codecs._digits import CheckedDigits, checked_digits, digits_joined

NOT_DIGITS = ["", "１２３", "²", "12a", "1 2", "+86138", "-1", "1.5", "١٢"]


@pytest.mark.parametrize("value", NOT_DIGITS)
def test_check_digits_refuses(value: str) -> None:
    with pytest.raises(EncodeError) as info:
        check_digits(value, "cpid")
    assert str(info.value) == f"cpid {value!r} must be ASCII digits"


def test_check_digits_length_limit_is_inclusive() -> None:
    assert check_digits("12345", "ext", 5) == "12345"
    assert check_digits("1" * 40, "ext") == "1" * 40
    with pytest.raises(EncodeError) as info:
        check_digits("123456", "ext", 5)
    assert str(info.value) == "ext '123456' is longer than 5 digits"
    with pytest.raises(EncodeError):
        check_digits("1", "ext", 0)


def test_check_mobiles_limit_at_and_over_the_edge() -> None:
    numbers = ["13800138000"] * 3
    check_mobiles(numbers, 3, "esms100")
    check_mobiles(checked_digits(numbers), 3, "esms100")
    with pytest.raises(EncodeError) as info:
        check_mobiles(numbers, 2, "esms100")
    assert str(info.value) == (
        "esms100 takes at most 2 numbers per request, got 3; use codec.plan(op) to split"
    )


@pytest.mark.parametrize(
    "numbers",
    [["13800138000", "1380013800x"], ["", "13800138000"], ["13800138000", ""], ["１３８"]],
)
def test_check_mobiles_names_the_bad_number(numbers: list[str]) -> None:
    with pytest.raises(EncodeError, match=r"^mobile '.*' must be ASCII digits$"):
        check_mobiles(numbers, 10, "esms100")


@given(
    st.lists(st.text("0123456789", min_size=1, max_size=12), min_size=1, max_size=6),
    st.sampled_from([",", ";", "|"]),
)
@example(["13800138000", "13900139000"], ",")
@example(["13800138000", "13900139000", "1"], ";")
@example(["1"], ",")
def test_join_mobiles_joins_good_numbers(numbers: list[str], separator: str) -> None:
    limit = len(numbers)
    assert join_mobiles(numbers, limit, "v", separator) == separator.join(numbers)
    checked = checked_digits(numbers)
    assert type(checked) is CheckedDigits
    assert join_mobiles(checked, limit, "v", separator) == separator.join(numbers)
    message = (
        f"v takes at most {limit - 1} numbers per request, got {limit}; use codec.plan(op) to split"
    )
    for mobiles in (numbers, checked):
        with pytest.raises(EncodeError) as info:
            join_mobiles(mobiles, limit - 1, "v", separator)
        assert str(info.value) == message


@pytest.mark.parametrize(
    "numbers", [["13800138000", "1,2"], ["13800138000", ""], ["a"], ["13800138000", "１"]]
)
def test_join_mobiles_refuses_bad_numbers(numbers: list[str]) -> None:
    with pytest.raises(EncodeError, match=r"^mobile '.*' must be ASCII digits$"):
        join_mobiles(numbers, 10, "v")


def test_check_content_limits() -> None:
    check_content("a" * 70, 70, "esms100")
    check_content("短" * 70, 70, "esms100")
    with pytest.raises(EncodeError) as info:
        check_content("a" * 71, 70, "esms100", "msg")
    assert str(info.value) == "msg: esms100 takes at most 70 characters, got 71"
    with pytest.raises(EncodeError) as info:
        check_content("", 70, "esms100")
    assert str(info.value) == "content: esms100 does not send an empty text"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", 0),
        ("-10", -10),
        ("1000\r\n", 1000),
        (" 7 ", 7),
        ("-0", 0),
        ("9" * 18, int("9" * 18)),
        ("-" + "9" * 18, -int("9" * 18)),
    ],
)
def test_parse_code_reads_integers(text: str, code: int) -> None:
    assert parse_code(text) == code


@pytest.mark.parametrize(
    "text", ["", "-", "--1", "+5", "1.5", "１", "9" * 19, "1 2", "0x10", "-a", "²"]
)
def test_parse_code_refuses_non_integers(text: str) -> None:
    assert parse_code(text) is None


@pytest.mark.parametrize(("text", "amount"), [("1000", 1000), (" 12\r\n", 12), ("0", 0)])
def test_parse_message_count(text: str, amount: int) -> None:
    assert parse_message_count(text, "esms100") == Balance(Decimal(amount))


@pytest.mark.parametrize("text", ["", "-1", "1.5", "１", "1e3", " ", "12a"])
def test_parse_message_count_refuses(text: str) -> None:
    with pytest.raises(
        DecodeError, match=r"^esms100 balance .* is not a whole message count$"
    ) as i:
        parse_message_count(text, "esms100", b"raw body")
    assert i.value.raw == b"raw body"


def test_parse_message_count_message_is_bounded() -> None:
    with pytest.raises(DecodeError) as info:
        parse_message_count("x" * 1000, "v")
    assert repr("x" * 40) in str(info.value)
    assert "x" * 41 not in str(info.value)


@pytest.mark.parametrize(
    ("amount", "wire"),
    [(Decimal(5), "5"), (Decimal("5.0"), "5"), (Decimal("1E+3"), "1000"), (Decimal(0), "0")],
)
def test_render_message_count(amount: Decimal, wire: str) -> None:
    assert render_message_count(Balance(amount), "v") == wire


@pytest.mark.parametrize(
    "balance",
    [
        Balance(Decimal("1.5")),
        Balance(Decimal(-1)),
        Balance(Decimal("NaN")),
        Balance(Decimal("Infinity")),
        Balance(Decimal(5), BalanceUnit.MONEY),
        Balance(Decimal(5), gift=Decimal(1)),
        Balance(Decimal(5), gift=Decimal(0)),
        Balance(5),  # type: ignore[arg-type]
        Decimal(5),
        "5",
    ],
)
def test_render_message_count_refuses(balance: object) -> None:
    with pytest.raises(
        EncodeError,
        match=(
            r"^v balances are a whole, non-negative message count"
            r" \(Balance\(Decimal\(n\)\)\), got .+$"
        ),
    ):
        render_message_count(balance, "v")


# ------------------------------------------------------------------------- _digits


def oracle_joined(numbers: list[str], separator: str) -> str | None:
    ok = all(n and all(c in "0123456789" for c in n) for n in numbers) and bool(numbers)
    return separator.join(numbers) if ok else None


@given(
    st.lists(
        st.one_of(
            st.text("0123456789", min_size=1, max_size=11),
            st.sampled_from(["", "1,2", "１", "1a", " 1", "13800138000"]),
        ),
        max_size=5,
    ),
    st.sampled_from([",", ";"]),
)
@example([], ",")
@example([""], ",")
@example(["", ""], ",")
@example(["13800138000", ""], ",")
@example(["", "13800138000"], ",")
@example(["13800138000", "13900139000"], ",")
@example(["138", "139", "1"], ",")
@example(["1", "", "1"], ",")
@example(["12", "3,4"], ",")
@example(["1,", "2"], ",")
@example(["11", ",1"], ",")
# Lists whose separators sit where a uniform list's would, but one number is empty.
@example(["1", "1", ""], ",")
@example(["1234", ""], ",")
@example(["1", ""], ",")
@example(["1", "11", ""], ",")
@example(["1", "", "11"], ",")
@example(["12", "", "1"], ",")
def test_digits_joined_matches_a_per_character_check(numbers: list[str], separator: str) -> None:
    assert digits_joined(numbers, separator) == oracle_joined(numbers, separator)


def test_digits_joined_refuses_non_strings() -> None:
    assert digits_joined([1, 2], ",") is None  # type: ignore[list-item]


def test_checked_digits_marks_only_good_lists() -> None:
    good = checked_digits(["13800138000", "139"])
    assert type(good) is CheckedDigits
    assert good == ("13800138000", "139")
    assert good.joined == "13800138000,139"
    for bad in ([], [""], ["1", "x"]):
        plain = checked_digits(bad)
        assert type(plain) is tuple
        assert plain == tuple(bad)


def test_defaults() -> None:
    assert join_mobiles(["13800138000", "13900139000"], 2, "v") == "13800138000,13900139000"
    with pytest.raises(DecodeError) as info:
        parse_message_count("x", "v")
    assert info.value.raw == b""
