"""Vendor-generic properties, run for every codec in the registry.

For each vendor, with its public strategies (smswire.codecs.strategies.<vendor>):
request round trip, response round trip, well-formed answers decode, and broken
or arbitrary bytes give a result or an smswire error, nothing else.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
    VENDORS,
    DecodeError,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PushCodec,
    SmsWireError,
    Stamp,
)
from smswire.codecs.strategies import china_datetimes, for_vendor

VENDOR_NAMES = sorted(VENDORS)
stamps = st.builds(Stamp, china_datetimes(2015, 2035), st.integers(0, 2**31))


def _setup(data: st.DataObject, vendor: str) -> tuple[Any, Any, Any]:
    s = for_vendor(vendor)
    codec = data.draw(s.codecs(), label="codec")
    account = data.draw(s.accounts(), label="account")
    op = data.draw(s.operations(codec), label="op")
    return codec, account, op


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(data=st.data())
def test_request_round_trip(vendor: str, data: st.DataObject) -> None:
    codec, account, op = _setup(data, vendor)
    stamp = data.draw(stamps, label="stamp")
    request = codec.encode_request(op, account, stamp)
    decoded, who = codec.decode_request(request, lambda _key: account, stamp)
    assert decoded == op
    assert who == account


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(data=st.data())
def test_response_round_trip(vendor: str, data: st.DataObject) -> None:
    codec, account, op = _setup(data, vendor)
    result = data.draw(for_vendor(vendor).results(op), label="result")
    response = codec.encode_response(op, result, account)
    if isinstance(result, GatewayError):
        with pytest.raises(GatewayError) as caught:
            codec.decode_response(op, response, account)
        assert caught.value == result
    else:
        assert codec.decode_response(op, response, account) == result


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(data=st.data())
def test_well_formed_answers_decode(vendor: str, data: st.DataObject) -> None:
    codec, account, op = _setup(data, vendor)
    response = data.draw(for_vendor(vendor).answers(op, codec, account), label="answer")
    try:
        result = codec.decode_response(op, response, account)
    except GatewayError:
        return
    malformed = getattr(result, "malformed", ())
    assert malformed == (), f"well-formed answer left fragments unparsed: {malformed!r}"


def _decode_or_smswire_error(codec: Any, op: Any, response: HttpResponse, account: Any) -> None:
    try:
        codec.decode_response(op, response, account)
    except DecodeError as exc:
        assert isinstance(exc.raw, bytes)
    except SmsWireError:
        return


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(data=st.data())
def test_mutated_answers_raise_only_smswire_errors(vendor: str, data: st.DataObject) -> None:
    codec, account, op = _setup(data, vendor)
    response = data.draw(for_vendor(vendor).mutated_answers(op, codec, account), label="mutated")
    _decode_or_smswire_error(codec, op, response, account)


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(data=st.data(), body=st.binary(max_size=512), status=st.sampled_from([200, 200, 500]))
def test_arbitrary_bytes_raise_only_smswire_errors(
    vendor: str, data: st.DataObject, body: bytes, status: int
) -> None:
    codec, account, op = _setup(data, vendor)
    real = data.draw(for_vendor(vendor).answers(op, codec, account), label="a real answer")
    headers = real.headers
    _decode_or_smswire_error(codec, op, HttpResponse(status, headers, body), account)


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@given(
    data=st.data(),
    method=st.sampled_from(["GET", "POST", "PUT"]),
    query=st.text(max_size=200),
    body=st.binary(max_size=300),
)
def test_server_role_raises_only_smswire_errors(
    vendor: str, data: st.DataObject, method: str, query: str, body: bytes
) -> None:
    codec, account, op = _setup(data, vendor)
    real = codec.encode_request(op, account, data.draw(stamps))
    target = data.draw(st.sampled_from([real.target, f"{real.path}?{query}", query]))
    with contextlib.suppress(SmsWireError):
        codec.decode_request(HttpRequest(method, target, real.headers, body), lambda _k: account)


@pytest.mark.parametrize("vendor", [v for v in VENDOR_NAMES if isinstance(VENDORS[v](), PushCodec)])
@given(data=st.data(), body=st.binary(max_size=512), query=st.text(max_size=120))
def test_push_decoder_raises_only_smswire_errors(
    vendor: str, data: st.DataObject, body: bytes, query: str
) -> None:
    codec, account, _ = _setup(data, vendor)
    method = data.draw(st.sampled_from(["GET", "POST", "PUT"]))
    with contextlib.suppress(SmsWireError):
        codec.decode_push(HttpRequest(method, f"/push?{query}", (), body), lambda _k: account)
