"""esms100 paths: ``/qreport/`` and ``/mo/`` batches, a maximum ``/mt/`` send.

Wire bodies come from the codec's server role (``encode_response``); the
floors parse them with bare ``str.split``/``partition`` and build the same
models. Peers: regex + ``strptime`` + ``cattrs.structure`` for reports,
``urlencode(..., encoding="gbk")`` + ``hashlib.md5`` for the send.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

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
from ._floor import (
    ascii_first,
    batch,
    dashed_time,
    inbound,
    joined_numbers,
    percent,
    report,
    request,
)
from ._harness import BenchPath, Prepared, Scale
from ._peer import query_difference, structure_reports

__all__ = ["PATHS"]

_CODEC = esms100.Codec()
_ACCOUNT = esms100.Account(cpid="10000", password="bench-password")
_STATUS = {"0": DeliveryStatus.PENDING, "1": DeliveryStatus.DELIVERED, "2": DeliveryStatus.FAILED}
#: What a user writes from §6's example: time||phone||status per line.
_REPORT_LINE = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\|\|(\d+)\|\|(\d)")
_MAX_MOBILES = 1000  # §4 "不多于1000号码"


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
        rest = ascii_first(body).partition("\n")[2]
        status = _STATUS
        out: list[DeliveryReport] = []
        append = out.append
        for line in rest.split("\n"):
            when, phone, code = line.split("||")
            append(report(phone, status[code], code, None, None, dashed_time(when)))
        return batch(tuple(out))

    def peer() -> Batch[DeliveryReport]:
        lines = body.decode("gbk").splitlines()[1:]
        rows = []
        for line in lines:
            match = _REPORT_LINE.fullmatch(line)
            if match is None:
                continue
            when, phone, code = match.groups()
            rows.append(
                {"mobile": phone, "status": _STATUS[code].value, "code": code, "sent_at": when}
            )
        return structure_reports(rows)

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor, peer)


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
        rest = ascii_first(body).partition("\n")[2]
        out: list[InboundMessage] = []
        append = out.append
        for fragment in rest.split("||"):
            when, phone, content = fragment.split("##", 2)
            append(inbound(phone, content, dashed_time(when)))
        return batch(tuple(out))

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _send(scale: Scale) -> Prepared:
    r = _data.rng(102)
    # The caller's inputs: a list of numbers and a text; the operation is built in the timed call.
    mobiles = list(_data.mobiles(r, scale.size(1000)))
    content = _data.chinese_text(r, 134)
    stamp = Stamp(_data.moment(r))
    password = "bench-password"

    def codec() -> object:
        return _CODEC.encode_request(SendSms(mobiles, content), _ACCOUNT, stamp)

    def floor() -> object:
        phones = joined_numbers(mobiles, _MAX_MOBILES)
        if not 0 < len(content) <= 134:  # §4 "不多于134字"
            raise ValueError("content length")
        cppwd = hashlib.md5(password.encode()).hexdigest().upper()
        text = percent(content.encode("gbk"))
        return request("GET", f"/mt/?cpid=10000&cppwd={cppwd}&phone={phones}&msgtext={text}")

    def peer() -> str:
        if not mobiles or len(mobiles) > _MAX_MOBILES or not all(m.isdigit() for m in mobiles):
            raise ValueError("bad numbers")
        params = {
            "cpid": "10000",
            "cppwd": hashlib.md5(password.encode()).hexdigest().upper(),
            "phone": ",".join(mobiles),
            "msgtext": content,
        }
        return "/mt/?" + urlencode(params, encoding="gbk")

    return Prepared(len(mobiles), codec, floor, peer, query_difference)


PATHS = (
    BenchPath("esms100 decode /qreport/ reports", _reports),
    BenchPath("esms100 decode /mo/ replies", _replies),
    BenchPath("esms100 encode /mt/ send 134 GBK chars", _send),
)
