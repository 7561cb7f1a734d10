"""Every document example of every vendor, replayed in both roles from its spec.

Each ``[[examples]]`` entry of ``specs/<vendor>.toml`` is an exchange printed by
the vendor's document: the operation and account, the request, the answer and
what it means (see :class:`smswire.codecs._spec.Example`). Client role: the
codec writes the document's request and reads the document's answer as the
example's result. Server role: the codec reads the document's request as the
example's operation and account, and writes the example's result as the
document's answer (or, for an example marked ``direction = "decode"``, as its
``canonical`` body). A vendor whose bodies are not the document's text on the wire
says how they travel in ``WIRES`` (Emay's secure interface: sealed plaintext JSON).
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from types import ModuleType
from typing import Any, get_args

import attrs
import pytest
from Crypto.Cipher import AES
from hypothesis import example, given
from hypothesis import strategies as st
from smswire import codecs
from smswire.codecs import (
    Batch,
    DeliveryReport,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    Stamp,
    changlong,
    eims,
    emay,
    esms100,
    from_jsonable,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._spec import Example
from smswire.codecs.strategies import esms100 as esms100_strategies

#: vendor → (its module, a codec in the document's defaults).
VENDORS: dict[str, tuple[ModuleType, Any]] = {
    "changlong": (changlong, changlong.Codec()),
    "eims": (eims, eims.Codec()),
    "emay": (emay, emay.Codec()),
    "emay-simple": (emay, emay.SimpleCodec()),
    "esms100": (esms100, esms100.Codec()),
    "smscn": (smscn, smscn.Codec()),
}
#: For codecs that share one spec: which of its examples each replays (by document section).
#: Emay's secure interface is §2.1, its simple interface §2.2; both speak §2.4's retrieveReport.
SERVES: dict[str, tuple[str, ...]] = {"emay": ("2.1.", "2.4"), "emay-simple": ("2.2.", "2.4")}
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))

CASES = [
    pytest.param(vendor, example, id=f"{vendor}:{example.name}")
    for vendor, (_, codec) in VENDORS.items()
    for example in codec.spec.examples
    if example.section.startswith(SERVES.get(vendor, ""))
]


def structure(module: ModuleType, data: Any) -> Any:
    """Converter data with a ``type`` key → that class of ``module``, else of smswire.codecs."""
    fields = dict(data)
    name = fields.pop("type")
    cls = getattr(module, name, None) or getattr(codecs, name)
    return from_jsonable(fields, cls)


def result_type(op: Operation[Any]) -> Any:
    for base in getattr(type(op), "__orig_bases__", ()):
        args = get_args(base)
        if args:
            return args[0]
    raise AssertionError(f"{type(op).__name__} names no result type")


def expected_result(op: Operation[Any], example: Example) -> Any:
    kind = result_type(op)
    if kind is type(None):
        assert example.result is None
        return None
    return from_jsonable(example.result, kind)


def wire_request(example: Example) -> HttpRequest:
    assert example.request is not None
    wire = example.request
    return HttpRequest(wire.method, wire.target, wire.headers, wire.body.encode(wire.charset))


def wire_answer(example: Example) -> HttpResponse:
    assert example.answer is not None
    wire = example.answer
    return HttpResponse(wire.status, wire.headers, wire.body.encode(wire.charset))


def parts(vendor: str, example: Example) -> tuple[Any, Operation[Any], Any]:
    module, codec = VENDORS[vendor]
    return codec, structure(module, example.operation), structure(module, example.account)


class Wire:
    """How a vendor's example texts travel: as printed (the default)."""

    def codec(self, codec: Any, example: Example) -> Any:
        return codec

    def stamp(self, example: Example) -> Stamp:
        return STAMP

    def request(self, example: Example, account: Any) -> HttpRequest:
        return wire_request(example)

    def answer(self, example: Example, account: Any) -> HttpResponse:
        return wire_answer(example)

    def written(self, body: bytes, example: Example, account: Any) -> Any:
        """What of a body the codec wrote is compared with the example's text."""
        return body

    def printed(self, text: str, charset: str) -> Any:
        """What of the example's text is compared with a body the codec wrote."""
        return text.encode(charset)


class EmaySecure(Wire):
    """Emay's secure interface (§2.1): an example's bodies are the document's plaintext
    JSON, AES/ECB/PKCS5-sealed (gzipped first under ``gzip: on``) with the account's
    key by pycryptodome and :mod:`gzip` here, never by the codec's envelope; written
    bodies are unsealed likewise and compared as JSON values."""

    def codec(self, codec: Any, example: Example) -> Any:
        if example.request is None:
            return codec
        period = json.loads(example.request.body)["requestValidPeriod"]
        return emay.Codec(gzip=self._gzip(example), request_valid_period=period)

    def stamp(self, example: Example) -> Stamp:
        assert example.request is not None
        millis = json.loads(example.request.body)["requestTime"]
        return Stamp(datetime.fromtimestamp(millis / 1000, CHINA))

    def request(self, example: Example, account: Any) -> HttpRequest:
        wire = example.request
        assert wire is not None
        body = self._seal(wire.body.encode(wire.charset), account, example)
        return HttpRequest(wire.method, wire.target, wire.headers, body)

    def answer(self, example: Example, account: Any) -> HttpResponse:
        wire = example.answer
        assert wire is not None
        body = self._seal(wire.body.encode(wire.charset), account, example)
        return HttpResponse(wire.status, wire.headers, body)

    def written(self, body: bytes, example: Example, account: Any) -> Any:
        data = AES.new(account.secret_key.encode(), AES.MODE_ECB).decrypt(body)
        assert 1 <= data[-1] <= 16 and data.endswith(data[-1:] * data[-1])
        data = data[: -data[-1]]
        return json.loads(gzip.decompress(data) if self._gzip(example) else data)

    def printed(self, text: str, charset: str) -> Any:
        return json.loads(text)

    @staticmethod
    def _gzip(example: Example) -> bool:
        return example.request is None or ("gzip", "on") in example.request.headers

    def _seal(self, data: bytes, account: Any, example: Example) -> bytes:
        if self._gzip(example):
            data = gzip.compress(data)
        pad = 16 - len(data) % 16
        return AES.new(account.secret_key.encode(), AES.MODE_ECB).encrypt(data + bytes([pad]) * pad)


#: (vendor, document section) → how its examples travel, where not as printed
#: (retrieveReport, §2.4, is plain text even beside the secure interface).
WIRES: dict[tuple[str, str], Wire] = {("emay", "2.1."): EmaySecure()}


def wire_of(vendor: str, example: Example) -> Wire:
    for (name, section), wire in WIRES.items():
        if name == vendor and example.section.startswith(section):
            return wire
    return Wire()


@pytest.mark.parametrize(("vendor", "example"), CASES)
def test_example_quirks_are_listed(vendor: str, example: Example) -> None:
    _, codec = VENDORS[vendor]
    assert set(example.quirks) <= {q.id for q in codec.spec.quirks}


def test_every_vendor_with_examples_is_replayed() -> None:
    with_examples = {name for name in codecs.VENDORS if codecs.get_codec(name).spec.examples}
    assert with_examples <= set(VENDORS)
    assert CASES


@pytest.mark.parametrize(("vendor", "example"), CASES)
def test_client_writes_the_documents_request(vendor: str, example: Example) -> None:
    if example.request is None:
        pytest.skip("the document prints no request for this answer")
    codec, op, account = parts(vendor, example)
    wire = wire_of(vendor, example)
    request = wire.codec(codec, example).encode_request(op, account, wire.stamp(example))
    target = example.request.canonical_target or example.request.target
    assert (request.method, request.target) == (example.request.method, target)
    written = wire.written(request.body, example, account)
    assert written == wire.printed(example.request.body, example.request.charset)
    for header in example.request.headers:
        assert header in request.headers


@pytest.mark.parametrize(("vendor", "example"), CASES)
def test_client_reads_the_documents_answer(vendor: str, example: Example) -> None:
    assert example.answer is not None, "every example prints an answer"
    codec, op, account = parts(vendor, example)
    answer = wire_of(vendor, example).answer(example, account)
    if example.error is not None:
        with pytest.raises(GatewayError) as caught:
            codec.decode_response(op, answer, account)
        assert (caught.value.code, caught.value.detail) == (
            example.error.code,
            example.error.detail,
        )
        return
    assert codec.decode_response(op, answer, account) == expected_result(op, example)


@pytest.mark.parametrize(("vendor", "example"), CASES)
def test_server_reads_the_documents_request(vendor: str, example: Example) -> None:
    if example.request is None:
        pytest.skip("the document prints no request for this answer")
    codec, op, account = parts(vendor, example)
    asked: list[str] = []

    def lookup(name: str) -> Any:
        asked.append(name)
        return account

    request = wire_of(vendor, example).request(example, account)
    assert codec.decode_request(request, lookup) == (op, account)
    # The credential looked up is one the account holds.
    assert asked and set(asked) <= {str(v) for v in attrs.asdict(account).values() if v is not None}


@pytest.mark.parametrize(("vendor", "example"), CASES)
def test_server_writes_the_documents_answer(vendor: str, example: Example) -> None:
    codec, op, account = parts(vendor, example)
    outcome: Any
    if example.error is not None:
        outcome = codec.spec.error(example.error.code, detail=example.error.detail)
    else:
        outcome = expected_result(op, example)
    wire = wire_of(vendor, example)
    response = wire.codec(codec, example).encode_response(op, outcome, account)
    answer = example.answer
    assert answer is not None
    text = answer.body
    if example.direction == "decode":
        assert example.canonical is not None, "a one-way example says what is written instead"
        text = example.canonical
    written = wire.written(response.body, example, account)
    assert (response.status, written) == (answer.status, wire.printed(text, answer.charset))
    for header in answer.headers:
        assert header in response.headers


# ------------------------------------------------------------------ pinned regressions

_INBOUND = esms100.SPEC.example("inbound")
_REPORTS = esms100.SPEC.example("reports")


def _batch(example: Example) -> Batch[Any]:
    op = structure(esms100, example.operation)
    batch: Batch[Any] = expected_result(op, example)
    return batch


@given(replies=st.lists(esms100_strategies.replies(), max_size=5))
# §5's records: minute-only times and contents with spaces (the typo's neighbours).
@example(replies=list(_batch(_INBOUND).items))
def test_esms100_replies_round_trip(replies: list[InboundMessage]) -> None:
    codec, op, account = parts("esms100", _INBOUND)
    batch = Batch(tuple(replies))
    assert codec.decode_response(op, codec.encode_response(op, batch, account), account) == batch


@given(reports=st.lists(esms100_strategies.reports(), max_size=5))
@example(reports=list(_batch(_REPORTS).items))
def test_esms100_reports_round_trip(reports: list[DeliveryReport]) -> None:
    codec, op, account = parts("esms100", _REPORTS)
    batch = Batch(tuple(reports))
    assert codec.decode_response(op, codec.encode_response(op, batch, account), account) == batch
