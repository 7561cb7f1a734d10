"""esms100 paths: ``/qreport/`` and ``/mo/`` batches, a maximum ``/mt/`` send.

Wire bodies come from the codec's server role (``encode_response``); the
floors parse them with bare ``str.split``/``partition`` and build the same
models.
"""

from __future__ import annotations

import hashlib

from smswire.codecs import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    SendSms,
    Stamp,
    esms100,
)

from . import _data
from ._floor import batch, dashed_time, inbound, percent, report, request
from ._harness import BenchPath, Prepared, Scale

__all__ = ["PATHS"]

_CODEC = esms100.Codec()
_ACCOUNT = esms100.Account(cpid="10000", password="bench-password")
_STATUS = {"0": DeliveryStatus.PENDING, "1": DeliveryStatus.DELIVERED, "2": DeliveryStatus.FAILED}


def _reports(scale: Scale) -> Prepared:
    r = _data.rng(100)
    codes = tuple(_STATUS)
    items = tuple(
        DeliveryReport(_data.mobile(r), _STATUS[c], c, sent_at=_data.moment(r))
        for c in (r.choice(codes) for _ in range(scale.size(10_000)))
    )
    op = FetchReports()
    response = _CODEC.encode_response(op, Batch(items), _ACCOUNT)
    body = response.body

    def floor() -> Batch[DeliveryReport]:
        rest = body.decode("gbk").partition("\n")[2]
        status = _STATUS
        out: list[DeliveryReport] = []
        append = out.append
        for line in rest.split("\n"):
            when, phone, code = line.split("||")
            append(report(phone, status[code], code, None, None, dashed_time(when)))
        return batch(tuple(out))

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _replies(scale: Scale) -> Prepared:
    r = _data.rng(101)
    items = tuple(
        InboundMessage(
            _data.mobile(r), _data.reply_text(r), _data.moment(r, whole_minute=r.random() < 0.5)
        )
        for _ in range(scale.size(10_000))
    )
    op = FetchInbound()
    response = _CODEC.encode_response(op, Batch(items), _ACCOUNT)
    body = response.body

    def floor() -> Batch[InboundMessage]:
        rest = body.decode("gbk").partition("\n")[2]
        out: list[InboundMessage] = []
        append = out.append
        for fragment in rest.split("||"):
            when, phone, content = fragment.split("##", 2)
            append(inbound(phone, content, dashed_time(when)))
        return batch(tuple(out))

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _send(scale: Scale) -> Prepared:
    r = _data.rng(102)
    op = SendSms(_data.mobiles(r, scale.size(1000)), _data.chinese_text(r, 134))
    stamp = Stamp(_data.moment(r))
    password = "bench-password"

    def floor() -> object:
        cppwd = hashlib.md5(password.encode()).hexdigest().upper()
        text = percent(op.content.encode("gbk"))
        target = f"/mt/?cpid=10000&cppwd={cppwd}&phone={','.join(op.mobiles)}&msgtext={text}"
        return request("GET", target)

    return Prepared(len(op.mobiles), lambda: _CODEC.encode_request(op, _ACCOUNT, stamp), floor)


PATHS = (
    BenchPath("esms100 decode /qreport/ reports", _reports),
    BenchPath("esms100 decode /mo/ replies", _replies),
    BenchPath("esms100 encode /mt/ send 134 GBK chars", _send),
)
