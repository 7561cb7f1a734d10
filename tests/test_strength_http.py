"""``_http``: requests and responses as plain values, and a repr that hides secrets.

DESIGN.md: "Header look-up is case-insensitive"; "Passwords, keys, credential
hashes and signatures … never appear in exception messages, in any log record";
``target`` is sent as it is. Expected reprs are written out by hand. Written to
kill mutants that survived ``tools/mutate.py codecs/_http.py`` (issue 17).
"""

from __future__ import annotations

from smswire.codecs import HttpRequest, HttpResponse
from smswire.codecs._http import normalize_headers


def test_normalize_headers_keeps_order_and_spelling() -> None:
    assert normalize_headers(()) == ()
    assert normalize_headers([]) == ()
    assert normalize_headers({}) == ()
    assert normalize_headers({"Content-Type": "a", "X-B": "b"}) == (
        ("Content-Type", "a"),
        ("X-B", "b"),
    )
    assert normalize_headers([("b", "1"), ("A", "2"), ("b", "3")]) == (
        ("b", "1"),
        ("A", "2"),
        ("b", "3"),
    )
    assert normalize_headers(h for h in [("n", 1)]) == (("n", "1"),)  # type: ignore[list-item]


def test_request_header_lookup_is_case_insensitive() -> None:
    request = HttpRequest("GET", "/a", [("Content-Type", "text/plain"), ("X-A", "1")])
    assert request.header("content-type") == "text/plain"
    assert request.header("CONTENT-TYPE") == "text/plain"
    assert request.header("x-a", "default") == "1"
    assert request.header("missing") is None
    assert request.header("missing", "default") == "default"
    empty = HttpRequest("GET", "/a", [("X-Empty", "")])
    assert empty.header("x-empty", "default") == ""


def test_response_header_lookup_is_case_insensitive() -> None:
    response = HttpResponse(200, {"Content-Type": "text/plain; charset=gbk"})
    assert response.header("CONTENT-type") == "text/plain; charset=gbk"
    assert response.header("none", "x") == "x"


def test_path_and_query() -> None:
    request = HttpRequest("GET", "/mt/?cpid=1&msg=%B6%CC?x")
    assert request.path == "/mt/"
    assert request.query == "cpid=1&msg=%B6%CC?x"
    assert HttpRequest("GET", "/mt/").query == ""


def test_repr_hides_the_codecs_own_secrets() -> None:
    request = HttpRequest(
        "POST",
        "/a?MySecret=abc&cppwd=visible",
        [("MYSECRET", "k"), ("Accept", "x")],
        b"mysecret=s3&c=\xff\xfe",
        secrets=frozenset({"MySecret"}),
    )
    assert repr(request) == (
        "HttpRequest(method='POST', target='/a?MySecret=***&cppwd=visible', "
        "headers=(('MYSECRET', '***'), ('Accept', 'x')), body=b'mysecret=***&c=\\xff\\xfe')"
    )
    # The values themselves stay exact.
    assert request.target == "/a?MySecret=abc&cppwd=visible"
    assert request.body == b"mysecret=s3&c=\xff\xfe"
    assert request.headers == (("MYSECRET", "k"), ("Accept", "x"))


def test_repr_without_secrets_hides_every_vendors() -> None:
    # esms100.txt "cppwd 密码"; changlong.txt "us_pwd 用户密码"; emay "sign".
    request = HttpRequest(
        "POST",
        "/mt/?cpid=1&cppwd=2D732A5F&msg=hi",
        [("Sign", "abc"), ("Accept", "x")],
        "us_pwd=密码&x=1".encode(),
    )
    body = b"us_pwd=***&x=1"
    assert repr(request) == (
        "HttpRequest(method='POST', target='/mt/?cpid=1&cppwd=***&msg=hi', "
        f"headers=(('Sign', '***'), ('Accept', 'x')), body={body!r})"
    )


def test_repr_with_no_secrets_at_all() -> None:
    request = HttpRequest("GET", "/mt/?cppwd=abc", [("sign", "x")], b"", secrets=frozenset())
    assert repr(request) == (
        "HttpRequest(method='GET', target='/mt/?cppwd=abc', headers=(('sign', 'x'),), body=b'')"
    )


def test_requests_compare_without_secrets() -> None:
    a = HttpRequest("GET", "/a", (), b"x", secrets=frozenset({"a"}))
    b = HttpRequest("GET", "/a", (), b"x")
    assert a == b
