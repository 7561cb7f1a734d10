"""``_records``: lenient decoding and record splitting that loses nothing.

Expected values are built by hand (Python's ``str.split`` and codecs, never
the module's helpers). Written to kill mutants that survived
``tools/mutate.py codecs/_records.py`` (issue 17).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import DecodeError, DeliveryStatus, EncodeError
from smswire.codecs._records import (
    check_field,
    decode_lenient,
    fragment_bytes,
    parse_fragments,
    render_records,
    report_status,
    split_records,
)


def pair(fragment: str) -> tuple[str, int]:
    """A record ``name|number``; anything else raises ValueError (unpacking) or int()'s."""
    name, number = fragment.split("|")
    return name, int(number)


@pytest.mark.parametrize("charset", ["gbk", "utf-8", "GBK", "ascii", "gb18030"])
def test_decode_lenient_ascii_body(charset: str) -> None:
    assert decode_lenient(b"a|1\r\nb|2", charset) == ("a|1\r\nb|2", True)


def test_decode_lenient_clean_and_unclean_gbk() -> None:
    body = "短信|1".encode("gbk")
    assert decode_lenient(body, "gbk") == ("短信|1", True)
    bad = b"ok|1\n\xff|2"
    text, clean = decode_lenient(bad, "gbk")
    assert clean is False
    assert text == bad.decode("gbk", "surrogateescape")
    assert fragment_bytes(text, "gbk") == bad


def test_decode_lenient_non_ascii_superset_charset() -> None:
    # UTF-16 is no ASCII superset: b"a\x00" is one character "a".
    assert decode_lenient(b"a\x00", "utf-16-le") == ("a", True)


def test_a_gbk_trail_byte_0x7c_is_not_a_separator() -> None:
    # "亅" is 0x81 0x7C in GBK: its trail byte is "|".
    body = "亅|7".encode("gbk")
    assert body == b"\x81\x7c|7"
    text, clean = decode_lenient(body, "gbk")
    assert split_records(text, "\n", pair, "gbk", clean) == ([("亅", 7)], [])


@pytest.mark.parametrize("separator", ["\n", "\r\n", ";", "||", "#"])
def test_split_records_skips_blank_fragments_for_every_separator(separator: str) -> None:
    text = separator.join(["a|1", "", "  ", "b|2", "\t"]) + separator
    assert split_records(text, separator, pair, "gbk") == ([("a", 1), ("b", 2)], [])


@given(
    st.lists(
        st.one_of(
            st.tuples(st.text("abc短信", min_size=1, max_size=4), st.integers(0, 99)).map(
                lambda t: f"{t[0]}|{t[1]}"
            ),
            st.sampled_from(["bad", "x|y", "a|1|2", "|", "短"]),
            st.sampled_from(["", " ", "\t"]),
        ),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n", ";"]),
)
@example(["a|1", "bad", "b|2"], "\r\n")
@example(["bad"], "\n")
@example(["a|1", "b|2", "c|3"], "\r\n")
@example(["", "a|1", ""], ";")
def test_split_records_keeps_good_records_and_raw_bad_ones(
    fragments: list[str], separator: str
) -> None:
    text = separator.join(fragments)
    expected_items: list[tuple[str, int]] = []
    expected_bad: list[bytes] = []
    for f in text.split(separator):
        if not f.strip():
            continue
        parts = f.split("|")
        if len(parts) == 2 and parts[1].isdigit():
            expected_items.append((parts[0], int(parts[1])))
        else:
            expected_bad.append(f.encode("gbk"))
    assert split_records(text, separator, pair, "gbk") == (expected_items, expected_bad)


def test_crlf_body_split_on_lf_keeps_cr_in_the_fragment() -> None:
    # Records split on "\n" keep a "\r": parse sees it (int() tolerates it, names do not).
    assert split_records("a|1\r\nb|2\r\n", "\n", pair, "gbk") == ([("a", 1), ("b", 2)], [])
    names, bad = split_records("a|1\r\nb\r|2", "\n", lambda f: f.split("|")[0], "gbk")
    assert names == ["a", "b\r"]
    assert bad == []


def test_unclean_fragments_are_malformed_before_parse_sees_them() -> None:
    body = "a|1\n".encode("gbk") + b"\xff\xfe|2\n" + "短|3".encode("gbk")
    text, clean = decode_lenient(body, "gbk")
    assert clean is False
    seen: list[str] = []

    def spy(fragment: str) -> tuple[str, int]:
        seen.append(fragment)
        return pair(fragment)

    items, bad = split_records(text, "\n", spy, "gbk", clean)
    assert items == [("a", 1), ("短", 3)]
    assert bad == [b"\xff\xfe|2"]
    assert seen == ["a|1", "短|3"]


def test_clean_flag_true_parses_every_fragment() -> None:
    items, bad = parse_fragments(["a|1", "b|x", "c|3"], pair, "gbk", True)
    assert items == [("a", 1), ("c", 3)]
    assert bad == [b"b|x"]


@pytest.mark.parametrize(
    "error", [DecodeError("bad"), ValueError("bad"), IndexError("bad"), KeyError("bad")]
)
def test_every_record_parse_error_makes_a_fragment_malformed(error: Exception) -> None:
    def parse(fragment: str) -> str:
        if fragment == "bad":
            raise error
        return fragment

    assert parse_fragments(["ok", "bad", "fine"], parse, "gbk") == (["ok", "fine"], [b"bad"])
    assert parse_fragments(["ok", "bad", "fine"], parse, "gbk", False) == (
        ["ok", "fine"],
        [b"bad"],
    )


def test_other_exceptions_are_not_swallowed() -> None:
    def parse(fragment: str) -> str:
        raise TypeError("a bug, not a bad record")

    with pytest.raises(TypeError):
        parse_fragments(["a"], parse, "gbk")
    with pytest.raises(TypeError):
        parse_fragments(["a"], parse, "gbk", False)


def test_check_field_refuses_framing_tokens() -> None:
    assert check_field("plain text", ["|", "\n"], "content") == "plain text"
    with pytest.raises(EncodeError) as info:
        check_field("a|b", ["\n", "|"], "content")
    assert str(info.value) == ("content 'a|b' contains '|', which this wire format cannot carry")
    with pytest.raises(EncodeError, match="contains '\\\\r\\\\n'"):
        check_field("x\r\ny", ["\r\n"], "text")


def test_render_records_joins_fields_then_records() -> None:
    assert render_records([("a", "1"), ("b", "2")], "\r\n", "|") == "a|1\r\nb|2"
    assert render_records([], "\n", ",") == ""
    assert render_records([("only",)], ";", ",") == "only"


def test_report_status_unknown_codes() -> None:
    table = {"0": DeliveryStatus.DELIVERED, "1": DeliveryStatus.FAILED}
    assert report_status(table, "0") is DeliveryStatus.DELIVERED
    assert report_status(table, "1") is DeliveryStatus.FAILED
    assert report_status(table, "2") is DeliveryStatus.UNKNOWN
    assert report_status({}, "") is DeliveryStatus.UNKNOWN


@pytest.mark.parametrize("clean", [True, False])
def test_blank_fragments_never_reach_an_accepting_parser(clean: bool) -> None:
    assert split_records("a\n\n \n\t\nb\n", "\n", str, "gbk", clean) == (["a", "b"], [])
    assert split_records("a\r\n\r\n b \r\n", "\r\n", str, "gbk", clean) == (["a", " b "], [])


def test_clean_text_goes_to_parse_even_if_the_charset_lacks_a_character() -> None:
    # clean=True: the caller decoded the text; every fragment is the parser's to judge.
    items, bad = parse_fragments(["😀|1", "bad", "x|2"], pair, "gbk", True)
    assert items == [("😀", 1), ("x", 2)]
    assert bad == [b"bad"]


def test_clean_is_the_default() -> None:
    # Text the caller decoded (clean) goes to parse as it is, whatever the charset lacks.
    assert split_records("😀|1\nx|2", "\n", pair, "gbk") == ([("😀", 1), ("x", 2)], [])
    assert parse_fragments(["😀|1", "bad"], pair, "gbk") == ([("😀", 1)], [b"bad"])
