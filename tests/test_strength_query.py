"""``_query``: PHP ``urlencode`` and form parsing, pinned against ``urllib.parse``.

smscn.txt: "URL字符编码说明:返回字符串，此字符串中除了-_.之外的所有非字母数字字符都将被替换
成百分号（%）后跟两位十六进制数，空格则编码为加号（+）" and "默认接收数据是GBK编码". The
oracle is ``quote_plus(value, safe, encoding=charset)`` with ``~`` → ``%7E``
(quote_plus leaves ``~`` alone per RFC 3986; PHP's urlencode does not).
Written to kill mutants that survived ``tools/mutate.py codecs/_query.py``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote_plus, unquote_to_bytes

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import DecodeError, EncodeError, _query
from smswire.codecs._query import (
    QueryParams,
    build_query,
    check_charset,
    decode_text,
    encode_text,
    parse_query,
    urlencode_value,
)


@pytest.fixture(autouse=True)
def _fresh_quote_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    # The per-`safe` tables are cached module-wide: start each test without them, so the
    # tables are built (and checked) here rather than by whichever test ran first.
    monkeypatch.setattr(_query, "_QUOTE_TABLES", {})


def php_urlencode(value: str, charset: str, safe: str = "") -> str:
    return quote_plus(value, safe=safe, encoding=charset, errors="strict").replace("~", "%7E")


SAFES = st.sampled_from(["", ",", ",;", "~", " ", "~ ,", "%", ":/", "+", "é,", "短"])
GBK_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("短信内容签名【】，。中文\t\r\n"),
    ),
    max_size=30,
)


@given(GBK_TEXT, SAFES, st.sampled_from(["gbk", "utf-8"]))
@example("", "", "gbk")
@example("abc123", "", "gbk")
@example("a b", "", "gbk")
@example("a b", " ", "gbk")
@example("a~b", "~", "gbk")
@example("a~b", "", "utf-8")
@example("13800138000,13900139000", ",", "gbk")
@example("13800138000,13900139000", "", "gbk")
@example("-_.", "", "gbk")
@example("!*'()", "", "gbk")
@example("短信", "", "gbk")
@example("短信", "", "utf-8")
@example("短信 a,b", ",", "gbk")
@example("100%", "%", "gbk")
@example("line\r\nnext", "", "gbk")
@example("a,b é", "é,", "gbk")
@example("a,b!", "é,", "gbk")
@example("a~b c", "é~ ", "gbk")
@example("短,x", "短", "utf-8")
def test_urlencode_value_is_php_urlencode(value: str, safe: str, charset: str) -> None:
    assert urlencode_value(value, charset, safe) == php_urlencode(value, charset, safe)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("短信内容", "%B6%CC%D0%C5%C4%DA%C8%DD"),  # GBK bytes of 短信内容
        ("a b+c", "a+b%2Bc"),
        ("~", "%7E"),
        ("Az09-_.", "Az09-_."),
    ],
)
def test_urlencode_value_literal_gbk(value: str, expected: str) -> None:
    assert urlencode_value(value, "gbk") == expected


def test_urlencode_value_utf8_literal() -> None:
    assert urlencode_value("短", "utf-8") == "%E7%9F%AD"


def test_urlencode_value_refuses_what_gbk_cannot_carry() -> None:
    with pytest.raises(
        EncodeError,
        match=r"^content: character '😀' \(U\+1F600\) at position 2 cannot be encoded in GBK$",
    ):
        urlencode_value("ab😀", "gbk", field="content")


@pytest.mark.parametrize(
    ("given_name", "name"),
    [("gbk", "gbk"), ("GBK", "gbk"), ("cp936", "gbk"), ("utf-8", "utf-8"), ("UTF8", "utf-8")],
)
def test_check_charset_normalises(given_name: str, name: str) -> None:
    assert check_charset(given_name) == name


def test_check_charset_refuses_others() -> None:
    with pytest.raises(EncodeError, match=r"^unsupported charset 'latin-1'; use 'gbk' or 'utf-8'$"):
        check_charset("latin-1")
    with pytest.raises(EncodeError, match=r"^unknown charset 'nope'; use 'gbk' or 'utf-8'$"):
        check_charset("nope")


def test_encode_text_names_the_character_and_position() -> None:
    assert encode_text("短信", "gbk") == "短信".encode("gbk")
    with pytest.raises(EncodeError) as info:
        encode_text("ok中✓", "gbk", "content", secret=False)
    # "中" is in GBK; "✓" (U+2713) is not.
    assert str(info.value) == (
        "content: character '✓' (U+2713) at position 3 cannot be encoded in GBK"
    )


@pytest.mark.parametrize("field", ["cppwd", "CPPWD", "us_pwd", "password", "pwd"])
def test_encode_text_hides_credentials_by_field_name(field: str) -> None:
    # esms100.txt "cppwd 密码"; changlong.txt "us_pwd 用户密码"; eims "password"; smscn "pwd".
    with pytest.raises(EncodeError) as info:
        encode_text("se😀cret", "gbk", field)
    message = str(info.value)
    assert message == (
        f"{field}: the value holds a character that cannot be encoded in GBK "
        "(a credential: its content is not shown)"
    )
    assert "😀" not in message
    assert "se" not in message.replace("secret", "").replace("encoded", "")
    assert "position" not in message
    assert message.startswith(f"{field}: ")
    assert "GBK" in message


def test_encode_text_secret_flag_overrides_the_name() -> None:
    with pytest.raises(EncodeError) as info:
        encode_text("x😀", "gbk", "content", secret=True)
    assert "😀" not in str(info.value)
    with pytest.raises(EncodeError) as info:
        encode_text("x😀", "gbk", "cppwd", secret=False)
    assert "😀" in str(info.value)


def test_decode_text_names_the_byte_and_keeps_raw() -> None:
    raw = b"ab\xff\xfe"
    with pytest.raises(DecodeError) as info:
        decode_text(raw, "utf-8", "content")
    assert str(info.value) == "content: byte b'\\xff' at 2 is not UTF-8"
    assert info.value.raw == raw
    assert decode_text("短信".encode("gbk"), "gbk") == "短信"


def test_decode_text_hides_credentials() -> None:
    raw = b"s3\xff"
    with pytest.raises(DecodeError) as info:
        decode_text(raw, "utf-8", "cppwd")
    assert str(info.value) == "cppwd: the value is not UTF-8 (a credential: not shown)"
    assert info.value.raw == raw
    with pytest.raises(DecodeError) as info:
        decode_text(raw, "utf-8", "content", secret=True)
    assert "xff" not in str(info.value)


def test_build_query_joins_pairs_and_encodes_values() -> None:
    pairs = [("cpid", "10000"), ("msg", "短信 内容"), ("mobile", "13800138000,13900139000")]
    assert build_query(pairs, "gbk", ",") == (
        "cpid=10000&msg=" + php_urlencode("短信 内容", "gbk") + "&mobile=13800138000,13900139000"
    )
    assert build_query([], "gbk") == ""


def test_build_query_hides_a_credential_it_cannot_encode() -> None:
    with pytest.raises(EncodeError) as info:
        build_query([("cppwd", "p😀")], "gbk")
    assert "😀" not in str(info.value)
    assert str(info.value).startswith("cppwd: ")


def oracle_parse(query: bytes) -> list[tuple[str, bytes]]:
    text = query.decode("latin-1")
    return [
        (k, v.encode("latin-1"))
        for k, v in parse_qsl(text, keep_blank_values=True, encoding="latin-1")
    ]


QUERY_BYTES = st.lists(
    st.tuples(
        st.text("abcXYZ_%+2041", min_size=1, max_size=6),
        st.binary(max_size=8).map(lambda b: b.replace(b"&", b"").replace(b";", b"")),
    ),
    max_size=5,
).map(lambda pairs: b"&".join(k.encode() + b"=" + v for k, v in pairs))


@given(QUERY_BYTES)
@example(b"a=1&&b=2&")
@example(b"flag&a=")
@example(b"a+b=c+d&%41=%42")
@example(b"msg=%B6%CC%D0%C5+x")
@example(b"a=1=2")
def test_parse_query_matches_parse_qsl(query: bytes) -> None:
    # parse_qsl takes a key with no "=" only with keep_blank_values, as parse_query does.
    assert parse_query(query) == oracle_parse(query)


def test_parse_query_from_text_and_surrogates() -> None:
    assert parse_query("a=%41&b=短") == [("a", b"A"), ("b", "短".encode())]
    target = b"msg=\xb6\xcc".decode("utf-8", "surrogateescape")
    assert parse_query(target) == [("msg", b"\xb6\xcc")]
    with pytest.raises(
        DecodeError,
        match=r"^request target holds a lone surrogate: it is not bytes a request line carried$",
    ) as info:
        parse_query("a=\ud800")
    assert info.value.raw == "a=\ud800".encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("offset", range(6))
@pytest.mark.parametrize("chunk", [64 * 1024])
def test_large_values_unquote_across_chunk_boundaries(offset: int, chunk: int) -> None:
    value = b"a" * (chunk - offset) + b"%41%E4%B8%AD+" * 3000 + b"%4"
    assert parse_query(b"v=" + value) == [("v", unquote_to_bytes(value.replace(b"+", b" ")))]


@pytest.mark.parametrize("length", [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024 + 2])
def test_large_escaped_values_are_exact(length: int) -> None:
    value = (b"%E7%9F%AD" * (length // 9 + 1))[:length]
    assert parse_query(b"v=" + value) == [("v", unquote_to_bytes(value))]


def test_query_params_lookups() -> None:
    params = QueryParams.parse(b"a=1&msg=%B6%CC%D0%C5&a=2&empty=", "gbk")
    assert params.charset == "gbk"
    assert params.names() == ["a", "msg", "a", "empty"]
    assert params.raw("a") == b"1"
    assert params.raw("missing") is None
    assert params.text("msg") == "短信"
    assert params.text("missing") is None
    assert params.text("empty") == ""
    assert params.require("a") == "1"
    assert params.require("empty") == ""
    with pytest.raises(DecodeError, match=r"^missing parameter 'nope'$"):
        params.require("nope")
    assert params.all_text("a") == ["1", "2"]
    assert params.all_text("missing") == []
    assert params.items_text() == [("a", "1"), ("msg", "短信"), ("a", "2"), ("empty", "")]


def test_query_params_charset_is_applied_late() -> None:
    params = QueryParams.parse(b"msg=%E7%9F%AD", "gbk")
    params.charset = "utf-8"
    assert params.text("msg") == "短"
    with pytest.raises(DecodeError) as info:
        QueryParams.parse(b"msg=%FF", "utf-8").text("msg")
    assert info.value.raw == b"\xff"
    assert "msg" in str(info.value)


def test_default_field_names_in_errors() -> None:
    with pytest.raises(EncodeError, match=r"^text: character"):
        encode_text("😀", "gbk")
    with pytest.raises(DecodeError, match=r"^body: byte"):
        decode_text(b"\xff", "utf-8")
    with pytest.raises(EncodeError, match=r"^value: character"):
        urlencode_value("😀", "gbk")


def test_every_text_lookup_names_the_parameter_it_cannot_decode() -> None:
    params = QueryParams.parse(b"msg=%FF", "utf-8")
    for lookup in (params.items_text, lambda: params.all_text("msg")):
        with pytest.raises(DecodeError, match=r"^msg: byte b'\\xff' at 0 is not UTF-8$"):
            lookup()


def test_a_large_value_with_one_early_escape() -> None:
    value = b"%41" + b"a" * 200_000
    assert parse_query(b"v=" + value) == [("v", b"A" + b"a" * 200_000)]


@pytest.mark.parametrize("before_end", [1, 2])
def test_an_escape_straddling_the_piece_end_with_none_after(before_end: int) -> None:
    value = b"a" * (64 * 1024 - before_end) + b"%41" + b"a" * 1000
    assert parse_query(b"v=" + value) == [("v", unquote_to_bytes(value))]
