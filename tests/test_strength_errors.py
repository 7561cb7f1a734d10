"""``_errors``: the one error tree, its defaults, its text, and errors as values.

DESIGN.md: "``GatewayError`` carries the vendor, its ``code``, the document's
message, a ``kind`` … and ``retryable``"; a ``DecodeError`` keeps the raw bytes
it could not read. Expected texts are written out by hand. Written to kill
mutants that survived ``tools/mutate.py codecs/_errors.py`` (issue 17).
"""

from __future__ import annotations

import pickle

from smswire.codecs import DecodeError, EncodeError, ErrorKind, GatewayError, SmsWireError


def test_decode_error_defaults_and_pickle() -> None:
    error = DecodeError("bad body")
    assert error.message == "bad body"
    assert str(error) == "bad body"
    assert error.raw == b""
    assert isinstance(error, SmsWireError) and isinstance(error, ValueError)
    kept = pickle.loads(pickle.dumps(DecodeError("bad", b"\xff\x00")))
    assert (type(kept), kept.message, kept.raw) == (DecodeError, "bad", b"\xff\x00")


def test_encode_error_is_a_value_error() -> None:
    assert issubclass(EncodeError, SmsWireError) and issubclass(EncodeError, ValueError)
    assert not issubclass(GatewayError, ValueError)


def test_gateway_error_defaults() -> None:
    error = GatewayError("esms100", "-1", "帐号密码错误")
    assert str(error) == "esms100 error -1: 帐号密码错误"
    assert error.args == ("esms100 error -1: 帐号密码错误",)
    assert error.kind is ErrorKind.UNKNOWN
    assert error.retryable is False
    assert error.raw == b""
    assert error.detail is None
    assert (error.vendor, error.code, error.message) == ("esms100", "-1", "帐号密码错误")


def test_gateway_error_with_every_field() -> None:
    error = GatewayError(
        "changlong", "-3", "含有屏蔽词", ErrorKind.CONTENT_REJECTED, True, b"-3|abc", "abc"
    )
    assert str(error) == "changlong error -3: 含有屏蔽词 (abc)"
    assert error.kind is ErrorKind.CONTENT_REJECTED
    assert error.retryable is True
    assert error.raw == b"-3|abc"
    assert error.detail == "abc"
    assert repr(error) == (
        "GatewayError(vendor='changlong', code='-3', message='含有屏蔽词', "
        "kind=ErrorKind.CONTENT_REJECTED, retryable=True, detail='abc')"
    )
    kept = pickle.loads(pickle.dumps(error))
    assert kept == error
    assert kept.raw == b"-3|abc"


def test_an_empty_detail_adds_nothing() -> None:
    assert str(GatewayError("v", "1", "m", detail="")) == "v error 1: m"


def test_gateway_errors_compare_by_content_not_raw() -> None:
    a = GatewayError("v", "1", "m", ErrorKind.AUTH, False, b"one")
    b = GatewayError("v", "1", "m", ErrorKind.AUTH, False, b"two")
    assert a == b and hash(a) == hash(b)
    assert a != GatewayError("v", "2", "m", ErrorKind.AUTH)
    assert a != GatewayError("v", "1", "m", ErrorKind.SERVER)
    assert a != GatewayError("v", "1", "m", ErrorKind.AUTH, True)
    assert a != GatewayError("v", "1", "m", ErrorKind.AUTH, detail="x")
    assert a != GatewayError("w", "1", "m", ErrorKind.AUTH)
    assert a != GatewayError("v", "1", "n", ErrorKind.AUTH)
    assert a.__eq__("v error 1: m") is NotImplemented


def test_gateway_errors_of_different_codes_hash_apart() -> None:
    hashes = {hash(GatewayError("v", str(code), "m")) for code in range(50)}
    assert len(hashes) == 50
    assert hash(GatewayError("v", "1", "m", detail="a")) != hash(GatewayError("v", "1", "m"))
    assert len({GatewayError("v", "1", "m"), GatewayError("v", "1", "m", raw=b"x")}) == 1


def test_error_kinds_are_the_designs() -> None:
    assert {k.name: k.value for k in ErrorKind} == {
        "AUTH": "auth",
        "BALANCE": "balance",
        "RATE_LIMIT": "rate_limit",
        "INVALID_REQUEST": "invalid_request",
        "CONTENT_REJECTED": "content_rejected",
        "SERVER": "server",
        "UNKNOWN": "unknown",
    }
