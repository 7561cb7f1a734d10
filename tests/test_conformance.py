"""smswire's own vendors through the conformance suite that plug-ins run (smswire.testing)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from typing import Any

from Crypto.Cipher import AES
from smswire.codecs import CHINA, VENDORS, HttpRequest, HttpResponse, Stamp, emay
from smswire.codecs._spec import Example
from smswire.testing import ConformanceSuite
from smswire.testing._examples import PRINTED, Wire


class TestEsms100(ConformanceSuite):
    vendor = "esms100"


class TestEims(ConformanceSuite):
    vendor = "eims"


class TestSmscn(ConformanceSuite):
    vendor = "smscn"


class TestEmay(ConformanceSuite):
    vendor = "emay"
    # One spec for both interfaces: §2.1 is this codec's, §2.4 (retrieveReport) both's.
    example_sections = ("2.1.", "2.4")

    def example_wire(self, example: Any) -> Wire:
        # retrieveReport (§2.4) is plain text even beside the secure interface.
        return EMAY_SECURE if example.section.startswith("2.1.") else PRINTED


class TestEmaySimple(ConformanceSuite):
    vendor = "emay-simple"
    example_sections = ("2.2.", "2.4")


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


EMAY_SECURE = EmaySecure()


class TestChanglong(ConformanceSuite):
    vendor = "changlong"


def test_every_registered_vendor_runs_through_the_suite() -> None:
    suites = {cls.vendor for cls in ConformanceSuite.__subclasses__() if cls.__module__ == __name__}
    assert suites == set(VENDORS)


def test_a_calendar_day_crosses_the_converter() -> None:
    # Found by the suite's converter check: sms.cn's send-record query holds a date.
    from datetime import date

    from smswire.codecs import from_jsonable, to_jsonable
    from smswire.codecs.smscn import QuerySendRecords

    op = QuerySendRecords(date=date(2024, 5, 1))
    assert to_jsonable(op)["date"] == "2024-05-01"
    assert from_jsonable(to_jsonable(op), QuerySendRecords) == op
