"""``_digest``: the vendors' MD5 recipes and the constant-time comparisons.

Expected digests come from ``hashlib`` directly and the documents' recipes:
smscn.txt "接口密码（pwd）=md5(登录密码+用户名) … pwd=md5(123123test)" and
"小写32位MD5加密"; esms100.txt "cppwd 密码，32 位 MD5 加密后的密文，大写".
Written to kill mutants that survived ``tools/mutate.py codecs/_digest.py``
(issue 17).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs._digest import digest_equal, md5_hex, md5_hex_upper, secret_equal


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def test_smscn_document_recipe() -> None:
    # "pwd=md5(123123test)": login password 123123, account test, lower case; the
    # document's example request carries "uid=test&pwd=b9887c5ebb23ebb294acab183ecf0769".
    assert md5_hex("123123", "test") == md5(b"123123test")
    assert md5_hex("123123", "test") == "b9887c5ebb23ebb294acab183ecf0769"
    assert md5_hex("123123", "test").islower()


def test_esms100_cppwd_is_upper_case() -> None:
    # "32 位 MD5 加密后的密文，大写"
    expected = md5(b"secret").upper()
    assert md5_hex_upper("secret") == expected
    assert len(expected) == 32
    assert expected == expected.upper() and expected != expected.lower()


def test_parts_are_concatenated_without_separator() -> None:
    assert md5_hex() == md5(b"")
    assert md5_hex("app", "key", "20240102030405") == md5(b"appkey20240102030405")
    assert md5_hex_upper("a", "b") == md5(b"ab").upper()


def test_parts_are_utf8() -> None:
    assert md5_hex("密码", "用户") == md5("密码用户".encode())
    assert md5_hex_upper("密码") == md5("密码".encode()).upper()


@given(st.lists(st.text(st.characters(exclude_categories=["Cs"]), max_size=8), max_size=4))
@example(["", "a", "短信"])
def test_md5_hex_is_hashlib(parts: list[str]) -> None:
    data = "".join(parts).encode("utf-8")
    assert md5_hex(*parts) == md5(data)
    assert md5_hex_upper(*parts) == md5(data).upper()


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("abc", "abc", True),
        ("ABC", "abc", True),
        ("abc", "ABC", True),
        ("AbC", "aBc", True),
        ("abc", "abd", False),
        ("abc", "abcd", False),
        ("", "", True),
        # Non-ASCII from the wire is compared (each such character as "?"), never raised.
        ("é", "?", True),
        ("?", "é", True),
        ("ａｂ", "ab", False),
        ("ab", "ａｂ", False),
        ("短信", "短信", True),
    ],
)
def test_digest_equal(a: str, b: str, equal: bool) -> None:
    assert digest_equal(a, b) is equal


def test_digest_equal_real_digest_either_case() -> None:
    digest = md5(b"appkey")
    assert digest_equal(digest.upper(), digest)
    assert digest_equal(digest, digest.upper())
    assert not digest_equal(digest, "é" + digest[1:])
    assert not digest_equal("é" + digest[1:], digest)


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("secret", "secret", True),
        ("Secret", "secret", False),
        ("secret", "Secret", False),
        ("密码", "密码", True),
        ("密码", "密马", False),
        ("", "", True),
        ("\ud800", "\ud800", True),
        ("\ud800", "\ud801", False),
        ("a\udcff", "a\udcff", True),
    ],
)
def test_secret_equal(a: str, b: str, equal: bool) -> None:
    assert secret_equal(a, b) is equal
