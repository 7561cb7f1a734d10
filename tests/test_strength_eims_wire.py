"""Strength tests of ``codecs/eims/_wire.py``: EIMS's shared framing, fields and refusals.

Written from the document (/work/shared/vendor-docs/eims.txt) and independent
computations (``json``, ``str.index``, literal bytes); each pins a value a mutant of
``_wire.py`` would change (issue 17). Messages are pinned whole: they are what a caller
reads when an answer cannot be.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from smswire.codecs import (
    CHINA,
    DecodeError,
    EncodeError,
    ErrorKind,
    GatewayError,
    HttpRequest,
    HttpResponse,
    QueryBalance,
    eims,
)
from smswire.codecs.eims import _wire as w

DOC = eims.Account("chenkc", "123456")
codec = eims.Codec()
#: §1 "HTTP 头参数“Content-Type”的值为“application/json;charset=utf-8”".
JSON = (("Content-Type", "application/json;charset=utf-8"),)


def _reader() -> Any:
    # A reader built here, in the test: ``reads`` runs when the codec module is imported,
    # so only a reader built after that sees a change to it.
    return w.reads(lambda op, obj: (op, obj))


def _read(body: bytes, status: int = 200) -> Any:
    return _reader()(codec, QueryBalance(), HttpResponse(status, JSON, body), DOC)


# --------------------------------------------------------------------------- reads


def test_a_zero_status_answer_reaches_the_parser_with_its_operation_and_object() -> None:
    op, obj = _read(b'{"status":0, "balance":"99.990000"}')
    assert op == QueryBalance()
    assert obj == {"status": 0, "balance": "99.990000"}
    # Digits as text are the same status (quirk numeric-strings).
    assert _read(b'{"status":"0"}')[1] == {"status": "0"}


@pytest.mark.parametrize("status", [201, 204, 302, 500, 502])
def test_an_answer_other_than_http_200_is_refused_keeping_its_body(status: int) -> None:
    body = b'{"status":0}'
    with pytest.raises(DecodeError, match=rf"^eims answered HTTP {status}$") as info:
        _read(body, status)
    assert info.value.raw == body


def test_an_answer_without_status_is_refused_keeping_its_body() -> None:
    body = b'{"balance":"1.00"}'
    with pytest.raises(DecodeError, match=r"^eims answer has no status$") as info:
        _read(body)
    assert info.value.raw == body


def test_a_status_that_is_no_integer_is_refused_keeping_its_body() -> None:
    body = b'{"status":"ok"}'
    with pytest.raises(DecodeError, match=r"^eims status is not an integer$") as info:
        _read(body)
    assert info.value.raw == body


def test_an_answer_that_is_not_json_is_refused_keeping_its_body() -> None:
    body = b"<html>busy</html>"
    with pytest.raises(DecodeError, match=r"^eims answer is not JSON$") as info:
        _read(body)
    assert info.value.raw == body


@pytest.mark.parametrize(
    ("status", "text", "kind"),
    [
        (-1, "认证错误", ErrorKind.AUTH),
        (-5, "短信内容过长", ErrorKind.INVALID_REQUEST),
        (-10, "该通道余额不足，不能满足本次发送", ErrorKind.BALANCE),
    ],
)
def test_a_documented_non_zero_status_is_a_gateway_error_with_its_code(
    status: int, text: str, kind: ErrorKind
) -> None:
    body = json.dumps({"status": status}).encode()
    with pytest.raises(GatewayError) as info:
        _read(body)
    assert (info.value.code, info.value.message, info.value.kind) == (str(status), text, kind)
    assert info.value.raw == body


def test_status_one_is_an_undocumented_refusal_not_a_success() -> None:
    with pytest.raises(GatewayError) as info:
        _read(b'{"status":1}')
    assert info.value.code == "1"
    assert info.value.kind is ErrorKind.UNKNOWN


# --------------------------------------------------------------------------- load_object


def test_a_bom_before_the_object_is_not_data() -> None:
    assert w.load_object(b'\xef\xbb\xbf{"a":1}', "answer") == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a":"\xff"}', "eims push is not UTF-8"),
        (b"[1, 2]", "eims push is not a JSON object"),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", "eims push is not JSON"),
        (b"{", "eims push is not JSON"),
        (b'{"a":NaN}', "eims push holds NaN, which is not JSON"),
        (b'{"a":-Infinity}', "eims push holds -Infinity, which is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "eims push nests deeper than any answer"),
        (b'{"a":' + b"9" * 5000 + b"}", "eims push holds an integer too long to read"),
    ],
)
def test_unreadable_bodies_are_refused_with_their_reason_and_bytes(
    raw: bytes, message: str
) -> None:
    with pytest.raises(DecodeError) as info:
        w.load_object(raw, "push")
    assert info.value.message == message
    assert info.value.raw == raw


def test_a_number_beyond_any_exponent_is_named_by_its_first_40_characters() -> None:
    number = "1e" + "9" * 60
    raw = ('{"balance":' + number + "}").encode()
    with pytest.raises(DecodeError) as info:
        w.load_object(raw, "answer")
    assert info.value.message == (
        f"eims answer holds the number {number[:40]!r}, beyond any amount"
    )
    assert info.value.raw == raw


def test_curly_quotes_are_mended_and_the_first_reason_kept_when_mending_fails() -> None:
    # quirk curly-quotes: §1 prints {“status”:0, …}.
    assert w.load_object("{“status”:0}".encode(), "answer") == {"status": 0}
    # Mended, this would be {"a":NaN}; the text as sent is still "not JSON".
    with pytest.raises(DecodeError) as info:
        w.load_object("{“a”:NaN}".encode(), "answer")
    assert info.value.message == "eims answer is not JSON"


# --------------------------------------------------------------------------- dumps / dump


def test_dumps_writes_compact_utf8_json() -> None:
    value = {"content": "你好", "smstype": 0, "numbers": "10010,1008611"}
    expected = '{"content":"你好","smstype":0,"numbers":"10010,1008611"}'.encode()
    assert w.dumps(value) == expected
    assert w.dumps(value, frozenset({"password"})) == expected


def test_dumps_names_the_field_holding_unencodable_text_and_its_position() -> None:
    value = {"a": "x", "mmstitle": "t\ud800"}
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    at = text.index("\ud800")
    with pytest.raises(EncodeError) as info:
        w.dumps(value, frozenset())
    assert str(info.value) == (
        f"mmstitle: character '\\ud800' (U+D800) at position {at} cannot be encoded in UTF-8"
    )


def test_dumps_of_a_non_object_names_the_json_text() -> None:
    with pytest.raises(EncodeError) as info:
        w.dumps(["\udcff"])
    assert str(info.value) == (
        "JSON text: character '\\udcff' (U+DCFF) at position 2 cannot be encoded in UTF-8"
    )


_HIDDEN = (
    "the value holds a character that cannot be encoded in UTF-8"
    " (a credential: its content is not shown)"
)


def test_dumps_hides_a_secret_field_and_only_a_secret_one() -> None:
    value = {"account": "a", "password": "p\ud800"}
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # This codec's secrets: the password is not shown.
    with pytest.raises(EncodeError) as info:
        w.dumps(value, frozenset({"password"}))
    assert str(info.value) == f"password: {_HIDDEN}"
    # No secrets named: the field is not one, its character is shown.
    with pytest.raises(EncodeError) as info:
        w.dumps(value, frozenset({"key"}))
    assert str(info.value) == (
        f"password: character '\\ud800' (U+D800) at position {text.index(chr(0xD800))} "
        "cannot be encoded in UTF-8"
    )
    # Not told: any codec's secret names decide, and "password" is one.
    with pytest.raises(EncodeError) as info:
        w.dumps(value)
    assert str(info.value) == f"password: {_HIDDEN}"


def test_dump_keeps_a_rows_digits_its_text_and_its_lone_surrogates() -> None:
    row = {"id": [Decimal("1.50"), 7, "你", None, True], "n": "\ud800"}
    assert w.dump(row) == b'{"id":[1.50,7,"\xe4\xbd\xa0",null,true],"n":"\xed\xa0\x80"}'
    assert w.dump(["\ud800"]) == b'["\xed\xa0\x80"]'


def test_dump_of_what_json_cannot_write_is_its_repr() -> None:
    loop: list[Any] = []
    loop.append(loop)
    loop.append("é")
    assert w.dump(loop) == "[[...], 'é']".encode()


# --------------------------------------------------------------------------- fields


def test_as_int_refuses_what_is_no_integer() -> None:
    assert w.as_int(-13, "status") == -13
    assert w.as_int("-13", "status") == -13
    for value in (1.0, True, "x", None):
        with pytest.raises(DecodeError, match=r"^eims fail is not an integer$"):
            w.as_int(value, "fail")


def test_as_decimal_messages() -> None:
    with pytest.raises(DecodeError, match=r"^eims gift is not a decimal$"):
        w.as_decimal("--5", "gift")
    with pytest.raises(DecodeError, match=r"^eims gift is not a finite decimal$"):
        w.as_decimal(Decimal("NaN"), "gift")
    text = "1e" + "9" * 60
    with pytest.raises(DecodeError) as info:
        w.as_decimal(text, "balance")
    assert info.value.message == f"eims balance {text[:40]!r} is beyond any amount"


def test_token_takes_non_negative_integers_and_non_empty_text() -> None:
    assert w.token(0, "id") == "0"
    assert w.token("10010", "number") == "10010"
    for value in (-1, "", None, 1.5):
        with pytest.raises(
            DecodeError, match=r"^eims id is neither a non-negative integer nor a string$"
        ):
            w.token(value, "id")


def test_time_field_empty_and_zero_are_none_others_are_china_time() -> None:
    assert w.time_field("", "time") is None
    assert w.time_field(0, "time") is None
    assert w.time_field(None, "time") is None
    assert w.time_field(20171001123015, "time") == datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
    assert w.time_field("20171001123015", "time") == datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
    with pytest.raises(DecodeError, match=r"^eims deliver time is not a 14-digit time$"):
        w.time_field(1.5, "deliver time")


def test_opt_text() -> None:
    assert w.opt_text("", "reason") is None
    assert w.opt_text("no balance", "reason") == "no balance"
    with pytest.raises(DecodeError, match=r"^eims reason is not text$"):
        w.opt_text(0, "reason")


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("0", 0),
        ("10010", 10010),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, "9" * 19),
        ("0123", "0123"),
        ("00", "00"),
        ("abc", "abc"),
        ("12a", "12a"),
        ("١٢", "١٢"),
    ],
)
def test_wire_id_is_an_integer_only_when_no_digit_is_lost(value: str, wire: int | str) -> None:
    assert w.wire_id(value) == wire
    assert type(w.wire_id(value)) is type(wire)


def test_wire_time() -> None:
    assert w.wire_time(None) == 0
    assert w.wire_time(datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)) == 20171001123015
    # A year below 1000: the leading zero would be lost as a number.
    assert w.wire_time(datetime(999, 1, 2, 3, 4, 5, tzinfo=CHINA)) == "09990102030405"


def test_row_fields_refuses_other_sizes_and_non_arrays() -> None:
    assert w.row_fields([1, 2], (2,), "send") == [1, 2]
    with pytest.raises(DecodeError, match=r"^eims push row is not an array of 5 or 7$"):
        w.row_fields([1, 2, 3, 4, 5, 6], (5, 7), "push")
    # Four characters are no row of four fields.
    with pytest.raises(DecodeError, match=r"^eims report row is not an array of 4$"):
        w.row_fields("abcd", (4,), "report")


def test_parse_rows_refuses_an_array_that_is_not_one() -> None:
    assert w.parse_rows(None, int, "report") == ([], [])
    with pytest.raises(DecodeError, match=r"^eims report array is not an array$"):
        w.parse_rows({"a": 1}, int, "report")


# --------------------------------------------------------------------------- requests


def test_get_encodes_commas_unless_told_they_are_safe() -> None:
    pairs = [("numbers", "10010,1008611")]
    assert w.get("/sendsms", pairs).target == "/sendsms?numbers=10010%2C1008611"
    assert w.get("/sendsms", pairs, ",").target == "/sendsms?numbers=10010,1008611"


def _decode(request: HttpRequest, lookup: Any) -> Any:
    return codec.decode_request(request, lookup)


def test_a_request_naming_no_account_is_refused_even_by_a_lookup_that_takes_any_name() -> None:
    with pytest.raises(GatewayError) as info:
        _decode(HttpRequest("GET", "/getbalance?password=123456"), lambda name: DOC)
    assert info.value.code == "-1"
    with pytest.raises(GatewayError) as info:
        _decode(HttpRequest("GET", "/getbalance?account=&password=123456"), lambda name: DOC)
    assert info.value.code == "-1"


def _post(body: dict[str, Any]) -> HttpRequest:
    return HttpRequest("POST", "/sendsms", JSON, json.dumps(body).encode())


def test_lone_surrogates_in_either_password_are_a_wrong_password_not_a_crash() -> None:
    send = {"account": "chenkc", "numbers": "10010", "content": "x"}
    with pytest.raises(GatewayError) as info:
        _decode(_post({**send, "password": "\ud800"}), {"chenkc": DOC}.get)
    assert info.value.code == "-1"
    odd = eims.Account("chenkc", "\udcff")
    with pytest.raises(GatewayError) as info:
        _decode(_post({**send, "password": "123456"}), {"chenkc": odd}.get)
    assert info.value.code == "-1"


def test_post_parameters_of_another_type_are_refused_keeping_the_body() -> None:
    request = _post({"account": "chenkc", "password": "123456", "numbers": ["10010"]})
    with pytest.raises(DecodeError) as info:
        _decode(request, {"chenkc": DOC}.get)
    assert info.value.message == "eims request parameter 'numbers' is not a string or an integer"
    assert info.value.raw == request.body
    # A null is an absent parameter.
    op, _ = _decode(
        _post({"account": "chenkc", "password": "123456", "numbers": "10010", "content": "x",
               "sender": None}),
        {"chenkc": DOC}.get,
    )  # fmt: skip
    assert op.mobiles == ("10010",)


def test_a_post_body_that_is_not_json_is_refused_keeping_the_body() -> None:
    request = HttpRequest("POST", "/sendsms", JSON, b"account=chenkc")
    with pytest.raises(DecodeError) as info:
        _decode(request, {"chenkc": DOC}.get)
    assert info.value.message == "eims request body is not JSON"
    assert info.value.raw == b"account=chenkc"


@pytest.mark.parametrize("value", ["2017", "201710011230150", "20171301123015", "2017100112301x"])
def test_a_sendtime_not_of_14_digits_of_a_time_is_status_minus_11(value: str) -> None:
    # §2 "sendtime … 比如:20171001123015"; "-11：定时时间格式不对".
    with pytest.raises(GatewayError) as info:
        w.sendtime(value)
    assert (info.value.code, info.value.message) == ("-11", "定时时间格式不对")
    assert w.sendtime(None) is None
    assert w.sendtime("20171001123015") == datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999"])
def test_a_start_time_that_is_no_unix_second_is_minus_11(value: str) -> None:
    with pytest.raises(GatewayError) as info:
        w.start_time(value)
    assert str(info.value) == "eims error -11: 定时时间格式不对 (start_time is not Unix seconds)"


def test_start_time_zero_and_one_are_the_epoch() -> None:
    assert w.start_time(None) is None
    assert w.start_time("0") == datetime(1970, 1, 1, 8, 0, 0, tzinfo=CHINA)
    assert w.start_time("1") == datetime(1970, 1, 1, 8, 0, 1, tzinfo=CHINA)
    # §4's example: start_time=1543570302.
    assert w.start_time("1543570302") == datetime(2018, 11, 30, 17, 31, 42, tzinfo=CHINA)


# --------------------------------------------------------------------------- answers


def test_a_refusal_is_the_status_alone_and_codes_must_be_integers() -> None:
    response = w.refusal(eims.SPEC.error("-13"))
    assert (response.status, response.headers, response.body) == (200, JSON, b'{"status":-13}')
    with pytest.raises(EncodeError, match=r"^eims status codes are integers, not 'E1'$"):
        w.refusal(GatewayError("eims", "E1", "x"))


def test_refuse_malformed_message() -> None:
    from smswire.codecs import Batch

    w.refuse_malformed(Batch(()))
    with pytest.raises(
        EncodeError,
        match="^"
        + re.escape("eims cannot render malformed fragments; give parsed records only")
        + "$",
    ):
        w.refuse_malformed(Batch((), (b"[1]",)))
