"""``_masking``: credential values hidden by name in query strings, JSON and header pairs.

The names are the documents' own: esms100.txt "cppwd 密码", changlong.txt
"us_pwd 用户密码", smscn "pwd", eims "password", emay "sign". Expected texts are
written out by hand; written to kill mutants that survived
``tools/mutate.py codecs/_masking.py`` (issue 17).
"""

from __future__ import annotations

import pytest
from smswire.codecs._masking import MASK, mask_text, secret_names


def test_secret_names_hold_every_documented_credential() -> None:
    names = secret_names()
    assert {"cppwd", "us_pwd", "pwd", "password", "sign"} <= names
    assert all(name == name.lower() for name in names)
    assert "content" not in names
    assert "mobile" not in names


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("cpid=1&cppwd=2D732A5F&msg=hi", "cpid=1&cppwd=***&msg=hi"),
        ("/mt/?cppwd=abc", "/mt/?cppwd=***"),
        ("us_name=a&us_pwd=secret", "us_name=a&us_pwd=***"),
        ("pwd=a b", "pwd=*** b"),
        ("pwd=abc#frag", "pwd=***#frag"),
        ("x='pwd=abc'", "x='pwd=***'"),
        ('x="pwd=abc"', 'x="pwd=***"'),
        ("CPPWD=abc", "CPPWD=***"),
        ("cppwd=", "cppwd=***"),
        ("a=1&cppwd=x&cppwd=y", "a=1&cppwd=***&cppwd=***"),
    ],
)
def test_query_values_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    ["mycppwd=abc", "cppwd_x=abc", "cppwd1=abc", "xpwd=1", "pwdx=1", "content=cppwd", "cppwd"],
)
def test_names_inside_other_words_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ('{"sign": "abc", "a": 1}', '{"sign": "***", "a": 1}'),
        ('{"sign":"a\\"b,c","a":1}', '{"sign":"***","a":1}'),
        ('{"Password" : 12345, "a": 1}', '{"Password" : "***", "a": 1}'),
        ('{"password":12345}', '{"password":"***"}'),
        ('["x", {"pwd": 7]', '["x", {"pwd": "***"]'),
        ('{"pwd": "unterminated', '{"pwd": "***"'),
        ('{"mysign": "abc"}', '{"mysign": "abc"}'),
    ],
)
def test_json_values_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("[('sign', 'abc'), ('x', 'y')]", "[('sign', '***'), ('x', 'y')]"),
        ("(b'sign', b'abc')", "(b'sign', b'***')"),
        ('("sign", "a\'b")', '("sign", "***")'),
        ("('SIGN', 'abc')", "('SIGN', '***')"),
        ("('signature', 'abc')", "('signature', 'abc')"),
    ],
)
def test_header_pairs_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_explicit_names_replace_the_registry() -> None:
    assert mask_text("token=1&cppwd=2", ["TOKEN"]) == "token=***&cppwd=2"
    assert mask_text("cppwd=2", []) == "cppwd=2"
    # Longer names win over their prefixes.
    assert mask_text("pass=1&pass.word=2", ["pass", "pass.word"]) == "pass=***&pass.word=***"
    assert mask_text("a.b=1&axb=2", ["a.b"]) == "a.b=***&axb=2"


def test_mask_is_three_stars() -> None:
    assert MASK == "***"
