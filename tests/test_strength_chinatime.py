"""``_chinatime``: China Standard Time on the wire, pinned against ``strftime``/``strptime``.

The documents print times as ``yyyy-MM-dd HH:mm:ss`` (e.g. esms100.txt,
smscn.txt) or ``yyyyMMddHHmmss`` (emay.txt), in Beijing time (UTC+8).
Expected values come from the stdlib's ``strftime``/``strptime`` and
``timestamp`` arithmetic; written to kill mutants that survived
``tools/mutate.py codecs/_chinatime.py`` (issue 17).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import DecodeError, EncodeError
from smswire.codecs._chinatime import (
    CHINA,
    TimeMemo,
    format_compact,
    format_date,
    format_minutes,
    format_seconds,
    from_compact_number,
    from_millis,
    from_unix,
    parse_compact,
    parse_dashed,
    parse_date,
    to_china,
    to_millis,
    to_unix,
)

UTC8 = timezone(timedelta(hours=8))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ZONES = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
AWARE = st.datetimes(
    min_value=datetime(1001, 1, 2), max_value=datetime(9998, 12, 30), timezones=ZONES
)
WALL = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31))


@given(AWARE)
@example(datetime(2024, 1, 1, 16, 0, 0, tzinfo=UTC))
@example(datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC8))
@example(datetime(2023, 12, 31, 20, 5, 6, tzinfo=timezone(timedelta(hours=-5))))
def test_formats_are_china_wall_time(value: datetime) -> None:
    china = value.astimezone(UTC8)
    assert format_seconds(value) == china.strftime("%Y-%m-%d %H:%M:%S")
    assert format_minutes(value) == china.strftime("%Y-%m-%d %H:%M")
    assert format_compact(value) == china.strftime("%Y%m%d%H%M%S")
    assert to_china(value) == value
    assert to_china(value).utcoffset() == timedelta(hours=8)


def test_format_literals() -> None:
    value = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert format_seconds(value) == "2024-01-02 11:04:05"
    assert format_minutes(value) == "2024-01-02 11:04"
    assert format_compact(value) == "20240102110405"
    assert format_date(date(2024, 1, 2)) == "2024-01-02"
    assert format_date(date(999, 1, 2)) == "0999-01-02"


class _NoOffset(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


@pytest.mark.parametrize(
    "value", [datetime(2024, 1, 2, 3, 4, 5), datetime(2024, 1, 2, tzinfo=_NoOffset())]
)
def test_naive_values_are_refused_naming_the_fix(value: datetime) -> None:
    for render in (to_china, format_seconds, format_compact, to_unix, to_millis):
        with pytest.raises(EncodeError) as info:
            render(value)
        assert str(info.value) == (
            f"naive datetime {value.isoformat()}: these wires run on China time and a naive "
            "value could be any zone (a naive datetime.now() on a UTC server is eight hours "
            "off); pass an aware one, e.g. datetime.now(CHINA) or Stamp.current() (CHINA from "
            "smswire.codecs)"
        )


@given(WALL)
@example(datetime(2024, 1, 2, 3, 4, 5))
@example(datetime(2024, 12, 31, 23, 59, 59))
@example(datetime(1000, 1, 1, 0, 0, 0))
def test_parse_dashed_and_compact_match_strptime(wall: datetime) -> None:
    wall = wall.replace(microsecond=0)
    expected = wall.replace(tzinfo=UTC8)
    seconds = f"{wall.year:04d}-{wall:%m-%d %H:%M:%S}"
    minutes = f"{wall.year:04d}-{wall:%m-%d %H:%M}"
    compact = f"{wall.year:04d}{wall:%m%d%H%M%S}"
    assert datetime.strptime(seconds, "%Y-%m-%d %H:%M:%S") == wall
    for parsed in (parse_dashed(seconds), parse_dashed(f" {seconds}\r\n"), parse_compact(compact)):
        assert parsed == expected
        assert parsed.utcoffset() == timedelta(hours=8)
    assert parse_dashed(minutes) == expected.replace(second=0)
    assert parse_dashed(f"  {minutes} ") == expected.replace(second=0)
    assert from_compact_number(int(compact)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-01 00:00:00",
        "2024-02-30 00:00:00",
        "2024-01-02 24:00:00",
        "2024-01-02 03:60:00",
        "2024-01-02 03:04:60",
        "2024-01-02T03:04:05",
        "2024/01/02 03:04:05",
        "2024-01-02 03-04-05",
        "2024-01-02 03:04:5x",
        "2024-01-02 03:04:05+08",
        "2024-01-02 03:04:05.1",
        "２０２４-01-02 03:04:05",
        "2024-01-02 03:04",
        "2024-01-02",
        "2024-01-02 3:04:05",
        "2024-W01-1 03:04:05",
        "2024-01-02 03:04:",
        "",
        "2024-01-02 0304",
        "2024-01-02 03:4",
        "2024-1-02 03:04",
        "2024-01-2 03:04",
        "2024-01-02T03:04",
        "2024-01-02 03-04",
        "x024-01-02 03:04",
        # One separator wrong at a time: each layout check must hold on its own.
        "2024x01-02 03:04:05",
        "2024-01x02 03:04:05",
        "2024-01-02x03:04:05",
        "2024-01-02 03x04:05",
        "2024-01-02 03:04x05",
        "2024x01-02 03:04",
        "2024-01x02 03:04",
        "2024-01-02x03:04",
        "2024-01-02 03x04",
        # int() would take these fields ("+5", " 5"); the document's layout does not.
        "2024-01-02 03:04:+5",
        "2024-01-02 03:04: 5",
        "+024-01-02 03:04:05",
        "2024-01-02 03:+4",
        "2024-01-02 03:4 ",
        # One field's first character is not a digit (a slice that skips it would pass).
        "x024-01-02 03:04:05",
        "2024-x1-02 03:04:05",
        "2024-01-x2 03:04:05",
        "2024-01-02 x3:04:05",
        "2024-01-02 03:x4:05",
        "2024-01-02 03:04:x5",
        "2024-x1-02 03:04",
        "2024-01-x2 03:04",
        "2024-01-02 x3:04",
        "2024-01-02 03:x4",
        # One character too many; ISO 8601 offsets that fromisoformat would take.
        "2024-01-02 03:04:05x",
        "2024-01-02 03:04x",
        "2024-01-02 03:04:05Z",
        "2024-01-02 03:04Z",
        "2024-01-02 03:04+08:00",
    ],
)
def test_parse_dashed_refuses(text: str) -> None:
    if text == "2024-01-02 03:04":
        assert parse_dashed(text) == datetime(2024, 1, 2, 3, 4, tzinfo=UTC8)
        return
    with pytest.raises(DecodeError, match=rf"^not a time: {re.escape(repr(text))}$") as info:
        parse_dashed(text)
    assert info.value.raw == text.encode("utf-8")


def test_bad_time_raw_keeps_surrogates() -> None:
    escaped = b"2024-01-02 03:04:0\xff".decode("utf-8", "surrogateescape")
    with pytest.raises(DecodeError) as info:
        parse_dashed(escaped)
    assert info.value.raw == b"2024-01-02 03:04:0\xff"
    with pytest.raises(DecodeError) as info:
        parse_compact("2024010203040\ud800")
    assert info.value.raw == "2024010203040\ud800".encode("utf-8", "surrogatepass")


@pytest.mark.parametrize(
    "text",
    [
        "2024130100000",
        "202401020304050",
        "20241301000000",
        "20240230000000",
        "20240102240000",
        "2024010203046x",
        "２０２４0102030405",
        "2024-01-020304",
        "",
        "202401020304+5",
        "20240102 30405",
        "+02401020304 5",
        "x0240102030405",
        "20240012000000",
        "20240100100000",
        "2024x102030405",
        "20240x02030405",
        "2024010x030405",
        "202401020x0405",
        "20240102030x05",
        "202401x2030405",
        "20240102x30405",
        "2024010203x405",
        "202401020304x5",
        # An ISO 8601 week date ("2024W011" is 2024-01-01) fromisoformat would take.
        "2024W011030405",
    ],
)
def test_parse_compact_refuses(text: str) -> None:
    with pytest.raises(
        DecodeError, match=rf"^not a (14-digit )?time: {re.escape(repr(text))}$"
    ) as info:
        parse_compact(text)
    assert info.value.raw == text.encode("utf-8")


def test_parse_compact_message_names_the_length_rule() -> None:
    with pytest.raises(DecodeError, match=r"^not a 14-digit time: '2024'$"):
        parse_compact("2024")
    assert parse_compact(" 20240102030405\n") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC8)


@pytest.mark.parametrize(
    "number",
    [
        0,
        -20240102030405,
        10**13,
        10**13 - 1,
        10**14,
        20241301000000,
        99999999999999,
        # 13 digits that split into a valid year-100 time: still not 14 digits.
        1000101000000,
    ],
)
def test_from_compact_number_refuses(number: int) -> None:
    with pytest.raises(DecodeError, match=rf"^not a (14-digit )?time: '{number}'$"):
        from_compact_number(number)


def test_from_compact_number_literals() -> None:
    assert from_compact_number(20240102030405) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC8)
    assert from_compact_number(10000101000000) == datetime(1000, 1, 1, tzinfo=UTC8)
    assert from_compact_number(99991231235959) == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC8)


def test_time_memo_parses_each_text_once() -> None:
    calls: list[str] = []

    def parse(text: str) -> datetime:
        calls.append(text)
        return parse_dashed(text)

    memo = TimeMemo(parse)
    first = memo["2024-01-02 03:04:05"]
    again = memo["2024-01-02 03:04:05"]
    other = memo["2024-01-02 03:04"]
    assert first == again == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC8)
    assert other == datetime(2024, 1, 2, 3, 4, tzinfo=UTC8)
    assert calls == ["2024-01-02 03:04:05", "2024-01-02 03:04"]
    with pytest.raises(DecodeError):
        memo["bad"]
    assert "bad" not in memo
    assert len(memo) == 2


@given(st.integers(-2_000_000_000, 4_000_000_000))
@example(0)
@example(-1)
def test_unix_seconds(seconds: int) -> None:
    value = from_unix(seconds)
    assert value == EPOCH + timedelta(seconds=seconds)
    assert value.utcoffset() == timedelta(hours=8)
    assert to_unix(value) == seconds


@given(st.integers(0, 4_000_000_000_000))
@example(0)
@example(1)
@example(999)
@example(1000)
@example(1999)
@example(1_700_000_000_123)
def test_unix_millis(millis: int) -> None:
    value = from_millis(millis)
    assert value == EPOCH + timedelta(milliseconds=millis)
    assert value.utcoffset() == timedelta(hours=8)
    assert to_millis(value) == millis


# Found by mutation testing (issue 17): int(timestamp()) truncated toward zero, so
# 1969-12-31 23:59:59.999 UTC gave +999 instead of -1.
@pytest.mark.parametrize("millis", [-1, -1500, -999])
def test_to_millis_before_the_epoch(millis: int) -> None:
    value = EPOCH + timedelta(milliseconds=millis)
    assert from_millis(millis) == value
    assert to_millis(value) == millis


def test_to_millis_drops_sub_millisecond_digits() -> None:
    value = datetime(2024, 1, 2, 3, 4, 5, 123999, tzinfo=UTC)
    whole = int((value.replace(microsecond=0) - EPOCH).total_seconds())
    assert to_millis(value) == whole * 1000 + 123
    assert to_unix(value) == whole


@pytest.mark.parametrize("number", [10**20, -(10**20)])
def test_impossible_epoch_numbers_are_decode_errors(number: int) -> None:
    with pytest.raises(DecodeError, match=rf"^not a Unix time: {number}$"):
        from_unix(number)
    with pytest.raises(DecodeError, match=rf"^not a millisecond time: {number}$"):
        from_millis(number)


@pytest.mark.parametrize(
    ("text", "expected"), [("2024-01-02", date(2024, 1, 2)), (" 2024-02-29 ", date(2024, 2, 29))]
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "20240102",
        "2024-W01-1",
        "2024-02-30",
        "2024-1-02",
        "2024-01-2",
        "２０２４-01-02",
        "2024/01/02",
        "2024-01-02x",
        "",
        "2024-13-01",
        "2024-01-0x",
        "2024x01-02",
        "2024-01x02",
        "+024-01-02",
        "2024-+1-02",
        "2024- 1-02",
        "2024-01- 2",
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(DecodeError, match=rf"^not a date: {re.escape(repr(text))}$") as info:
        parse_date(text)
    assert info.value.raw == text.encode("utf-8")


def test_china_is_utc_plus_eight() -> None:
    assert CHINA.utcoffset(None) == timedelta(hours=8)
