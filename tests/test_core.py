"""The shared core: HTTP values, query encoding, China time, digests, specs, converter."""

from __future__ import annotations

import hashlib
import json
import pickle
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
    VENDORS,
    Balance,
    BalanceUnit,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
    from_jsonable,
    get_codec,
    load_spec,
    to_jsonable,
)
from smswire.codecs._chinatime import (
    CHINA,
    format_compact,
    format_seconds,
    from_millis,
    parse_compact,
    parse_dashed,
    to_millis,
)
from smswire.codecs._digest import md5_hex, md5_hex_upper
from smswire.codecs._query import QueryParams, build_query, urlencode_value
from smswire.codecs._records import split_records
from smswire.codecs.strategies import china_datetimes, sms_text

# ------------------------------------------------------------------ HTTP values


def test_header_lookup_is_case_insensitive_and_keeps_spelling() -> None:
    response = HttpResponse(200, {"Result": "SUCCESS"}, b"")
    assert response.header("result") == "SUCCESS"
    assert response.header("RESULT") == "SUCCESS"
    assert response.header("missing", "x") == "x"
    assert response.headers == (("Result", "SUCCESS"),)
    request = HttpRequest("GET", "/mt/?a=1&b=2")
    assert (request.path, request.query) == ("/mt/", "a=1&b=2")


# ------------------------------------------------------------------ query encoding


def _php_urlencode(data: bytes) -> str:
    # Independent reference: PHP urlencode's definition, byte by byte.
    out = []
    for b in data:
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in "-_."):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


@given(sms_text("gbk", min_size=0))
def test_urlencode_matches_php_definition_in_gbk(text: str) -> None:
    assert urlencode_value(text, "gbk") == _php_urlencode(text.encode("gbk"))


@given(sms_text(None, min_size=0))
def test_urlencode_matches_php_definition_in_utf8(text: str) -> None:
    assert urlencode_value(text, "utf-8") == _php_urlencode(text.encode("utf-8"))


def test_urlencode_known_values() -> None:
    # sms.cn document: 发送测试 in GBK.
    assert urlencode_value("发送测试", "gbk") == "%B7%A2%CB%CD%B2%E2%CA%D4"
    assert urlencode_value("a b~*", "gbk") == "a+b%7E%2A"
    assert urlencode_value("1,2", "gbk", safe=",") == "1,2"


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "msg"]), sms_text("gbk", min_size=0)), max_size=5)
)
def test_query_round_trip(pairs: list[tuple[str, str]]) -> None:
    parsed = QueryParams.parse(build_query(pairs, "gbk"), "gbk")
    assert parsed.items_text() == pairs


def test_query_decode_errors_are_decode_errors() -> None:
    params = QueryParams.parse("a=%FF%FF%FF", "utf-8")
    with pytest.raises(DecodeError):
        params.text("a")


# ------------------------------------------------------------------ China time


def test_china_time_formats() -> None:
    moment = datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
    assert format_compact(moment) == "20171001123015"
    assert format_seconds(moment) == "2017-10-01 12:30:15"
    assert parse_compact("20171001123015") == moment
    assert parse_dashed("2017-10-01 12:30:15") == moment
    assert parse_dashed(" 2017-10-01 12:30") == moment.replace(second=0)
    # Naive is China time; UTC is converted.
    assert format_compact(datetime(2017, 10, 1, 4, 30, 15, tzinfo=UTC)) == "20171001123015"
    assert to_millis(moment) == 1506832215000
    assert from_millis(1490588340964) == datetime(2017, 3, 27, 12, 19, 0, 964000, tzinfo=CHINA)


@pytest.mark.parametrize(
    "bad", ["", "2017-13-01 00:00:00", "2017-10-01T12:30:15", "２０１７-10-01 12:30"]
)
def test_bad_times_are_decode_errors(bad: str) -> None:
    with pytest.raises(DecodeError):
        parse_dashed(bad)


@given(china_datetimes())
def test_time_round_trips(moment: datetime) -> None:
    assert parse_compact(format_compact(moment)) == moment
    assert parse_dashed(format_seconds(moment)) == moment


# ------------------------------------------------------------------ digests


def test_md5_recipes_match_hashlib() -> None:
    # sms.cn's documented vector.
    assert md5_hex("123123", "test") == "b9887c5ebb23ebb294acab183ecf0769"
    assert md5_hex_upper("abc") == hashlib.md5(b"abc").hexdigest().upper()


# ------------------------------------------------------------------ records


def test_split_records_keeps_bad_fragments() -> None:
    def parse(fragment: str) -> int:
        return int(fragment)

    items, malformed = split_records("1|x|3||", "|", parse, "gbk")
    assert items == [1, 3]
    assert malformed == [b"x"]


# ------------------------------------------------------------------ specs


@pytest.mark.parametrize("vendor", sorted({v.split("-")[0] for v in VENDORS}))
def test_every_spec_status_has_kind_and_flag(vendor: str) -> None:
    spec = load_spec(vendor)
    assert spec.statuses
    for entry in spec.statuses.values():
        assert entry.text and entry.english
        assert isinstance(entry.kind, ErrorKind)
        assert isinstance(entry.retryable, bool)
    assert spec.quirks, "every document has known inconsistencies to list"
    assert spec.vectors or spec.examples, "every document prints examples"


def test_unknown_status_code_is_still_an_error() -> None:
    error = load_spec("esms100").error("-999")
    assert error.kind is ErrorKind.UNKNOWN
    assert not error.retryable


def test_unknown_vendor() -> None:
    with pytest.raises(ValueError, match="unknown vendor"):
        get_codec("nope")


# ------------------------------------------------------------------ models


T0 = datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA)
MODELS: list[tuple[Any, Any]] = [
    (
        SendSms(
            ("13800000000", "13900000000"),
            "你好",
            send_at=T0,
            extension="12",
            client_ids=("1", "2"),
        ),
        SendSms,
    ),
    (
        SendPersonalized((PersonalizedMessage("13800000000", "a", "id1"),), send_at=T0),
        SendPersonalized,
    ),
    (QueryBalance(), QueryBalance),
    (FetchReports(), FetchReports),
    (FetchInbound(since=T0), FetchInbound),
    (SendResult((Receipt("13800000000", "m1", "c1"), Receipt(None, "m2")), 1, "b"), SendResult),
    (Balance(Decimal("99.990000"), BalanceUnit.MONEY, Decimal("50.00000")), Balance),
    (
        Batch(
            (DeliveryReport("138", DeliveryStatus.FAILED, "2", "m", "c", T0, T0, "why"),),
            (b"\xff\x00raw",),
        ),
        Batch[DeliveryReport],
    ),
    (Batch((InboundMessage("138", "回复", T0, "1", "106"),)), Batch[InboundMessage]),
    (
        Batch(
            (
                InboundMessage("138", "回复", T0),
                DeliveryReport("139", DeliveryStatus.DELIVERED, "0"),
            )
        ),
        Batch[DeliveryReport | InboundMessage],
    ),
    (Stamp(T0, 7), Stamp),
]


@pytest.mark.parametrize(("model", "cls"), MODELS, ids=lambda m: type(m).__name__)
def test_models_survive_pickle_and_the_converter(model: Any, cls: Any) -> None:
    assert pickle.loads(pickle.dumps(model)) == model
    data = json.loads(json.dumps(to_jsonable(model, cls)))
    assert from_jsonable(data, cls) == model


def test_errors_survive_pickle() -> None:
    error = GatewayError("esms100", "-10", "余额不足", ErrorKind.BALANCE, False, b"-10", "x")
    again = pickle.loads(pickle.dumps(error))
    assert again == error and again.raw == b"-10" and str(again) == str(error)
    decode = pickle.loads(pickle.dumps(DecodeError("bad", b"raw")))
    assert decode.raw == b"raw" and str(decode) == "bad"


def test_operations_validate_on_construction() -> None:
    with pytest.raises(EncodeError):
        SendSms((), "x")
    with pytest.raises(EncodeError):
        SendSms((" 138",), "x")
    with pytest.raises(EncodeError):
        SendSms(("138", "139"), "x", client_ids=("1",))
    with pytest.raises(EncodeError):
        SendPersonalized(())
    assert SendSms("13800000000", "x").mobiles == ("13800000000",)
    utc = SendSms(("138",), "x", send_at=datetime(2024, 1, 1, 0, tzinfo=UTC))
    assert utc.send_at == datetime(2024, 1, 1, 8, tzinfo=CHINA)
    assert utc.send_at is not None and utc.send_at.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("bad", ["\ud800", "2017-10-01 12:30:1\ud800", "2017100112301\udfff"])
def test_bad_times_with_lone_surrogates_are_decode_errors(bad: str) -> None:
    # JSON-decoded strings may hold any lone surrogate; the error must still be ours.
    for parse in (parse_dashed, parse_compact):
        with pytest.raises(DecodeError):
            parse(bad)
