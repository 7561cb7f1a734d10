"""Emay secure-interface paths: 500 reports through AES (+ gzip) + JSON, a 500-number send.

Bodies come from the codec's server role (``encode_response``). The floors
use pycryptodome's AES, zlib and ``json`` directly, as the document's Java
sample does, and build the same models.
"""

from __future__ import annotations

import gzip as gzip_module
import json
import zlib

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad
from smswire.codecs import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchReports,
    SendSms,
    Stamp,
    emay,
)

from . import _data
from ._floor import batch, dashed_time, joined_numbers, report, request
from ._harness import BenchPath, Prepared, Scale
from ._peer import structure_reports

__all__ = ["PATHS"]

_ACCOUNT = emay.Account("EUCP-EMY-SMS1-BENCH", "0123456789abcdef")
_KEY = b"0123456789abcdef"
#: §4's states (a few of them) and the document's descriptions; others mean unknown
#: (the shared rule for undocumented report states, quirk report-state-fallback).
_STATES = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "TIMEOUT": DeliveryStatus.UNKNOWN,
    "FAIL_MOBILE": DeliveryStatus.FAILED,
}
_CODES = ("DELIVRD", "DELIVRD", "DELIVRD", "DELIVRD", "TIMEOUT", "FAIL_MOBILE", "MK:0001")
_DESCRIPTIONS = {"DELIVRD": "成功", "TIMEOUT": None, "FAIL_MOBILE": "手机号错误", "MK:0001": None}
_OTHER = DeliveryStatus.UNKNOWN
#: The level the codec compresses with (emay/_envelope.GZIP_LEVEL, chosen by
#: measurement: level 6 seals this send to the same size as 9 in a third less
#: time): the floor must produce the same bytes.
_GZIP_LEVEL = 6


def _report_data(scale: Scale) -> tuple[DeliveryReport, ...]:
    r = _data.rng(500)
    items = []
    for i in range(scale.size(500)):
        code = r.choice(_CODES)
        sent = _data.moment(r)
        items.append(
            DeliveryReport(
                _data.mobile(r),
                _STATES.get(code, _OTHER),
                code,
                f"1521{i:014d}",
                f"c{i}" if r.random() < 0.5 else None,
                sent,
                _data.moment(r) if r.random() < 0.01 else sent.replace(second=59),
                _DESCRIPTIONS[code],
            )
        )
    return tuple(items)


def _reports(gzip: bool) -> BenchPath:
    codec = emay.Codec(gzip=gzip)

    def build(scale: Scale) -> Prepared:
        items = _report_data(scale)
        op = FetchReports()
        response = codec.encode_response(op, Batch(items), _ACCOUNT)
        body = response.body

        def floor() -> Batch[DeliveryReport]:
            plain = AES.new(_KEY, AES.MODE_ECB).decrypt(body)
            plain = plain[: -plain[-1]]
            if gzip:
                plain = zlib.decompress(plain, 31)
            get = _STATES.get
            out: list[DeliveryReport] = []
            append = out.append
            for rec in json.loads(plain):
                code = rec["state"]
                append(
                    report(
                        rec["mobile"],
                        get(code, _OTHER),
                        code,
                        rec["smsId"],
                        rec["customSmsId"],
                        dashed_time(rec["submitTime"]),
                        dashed_time(rec["receiveTime"]),
                        rec["desc"],
                    )
                )
            return batch(tuple(out))

        def peer() -> Batch[DeliveryReport]:
            plain = unpad(AES.new(_KEY, AES.MODE_ECB).decrypt(body), 16)
            if gzip:
                plain = gzip_module.decompress(plain)
            rows = [
                {
                    "mobile": rec["mobile"],
                    "status": _STATES.get(rec["state"], _OTHER).value,
                    "code": rec["state"],
                    "message_id": rec["smsId"],
                    "client_id": rec["customSmsId"],
                    "sent_at": rec["submitTime"],
                    "reported_at": rec["receiveTime"],
                    "description": rec["desc"],
                }
                for rec in json.loads(plain)
            ]
            return structure_reports(rows)

        return Prepared(
            len(items), lambda: codec.decode_response(op, response, _ACCOUNT), floor, peer
        )

    name = "AES+gzip+JSON" if gzip else "AES+JSON (no gzip)"
    return BenchPath(f"emay decode /inter/getReport {name}", build)


def _send(scale: Scale) -> Prepared:
    codec = emay.Codec()
    r = _data.rng(501)
    # The caller's inputs; the operation is built inside the timed call.
    mobiles = list(_data.mobiles(r, max(2, scale.size(500))))
    content = _data.chinese_text(r, 70)
    stamp = Stamp(_data.moment(r))
    now = stamp.now
    millis = int(now.timestamp()) * 1000 + now.microsecond // 1000
    headers = (("appId", _ACCOUNT.app_id), ("encode", "UTF-8"), ("gzip", "on"))

    def encode() -> object:
        return codec.encode_request(SendSms(mobiles, content), _ACCOUNT, stamp)

    def floor() -> object:
        joined_numbers(mobiles, 500)  # "多个，最多 500个"
        if not content:
            raise ValueError("empty content")
        obj = {
            "mobiles": mobiles,
            "content": content,
            "timerTime": None,
            "extendedCode": None,
            "requestTime": millis,
            "requestValidPeriod": 60,
        }
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        data = zlib.compress(text.encode("utf-8"), _GZIP_LEVEL, 31)
        pad = 16 - len(data) % 16
        sealed = AES.new(_KEY, AES.MODE_ECB).encrypt(data + bytes((pad,)) * pad)
        return request("POST", "/inter/sendBatchOnlySMS", headers, sealed)

    return Prepared(len(mobiles), encode, floor)


PATHS = (
    _reports(gzip=True),
    _reports(gzip=False),
    BenchPath("emay encode /inter/sendBatchOnlySMS AES+gzip send", _send),
)
