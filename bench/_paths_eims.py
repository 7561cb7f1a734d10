"""EIMS paths: ``/getreport`` and ``/getsms`` JSON batches, a 10,000-number JSON POST send.

The ``/getreport`` body comes from the codec's server role. The server role
answers at most 100 replies per ``/getsms`` (the document's cap), so that
10,000-row body is written here by hand in the document's shape:
``{"status":0,"cnt":N,"array":[[id, from, to, time, base64 text], …]}``.
"""

from __future__ import annotations

import base64
import json

from smswire.codecs import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    HttpResponse,
    InboundMessage,
    SendSms,
    Stamp,
    eims,
)

from . import _data
from ._floor import batch, compact_number, inbound, joined_numbers, report, request
from ._harness import BenchPath, Prepared, Scale

__all__ = ["PATHS"]

_CODEC = eims.Codec()
_ACCOUNT = eims.Account("benchaccount", "benchpass1")
_JSON = (("Content-Type", "application/json;charset=utf-8"),)
#: §3 getreport states: 0 sent, 1 not sent, 2 sending; anything else failed.
_STATES = {
    "0": DeliveryStatus.DELIVERED,
    "1": DeliveryStatus.PENDING,
    "2": DeliveryStatus.PENDING,
}
_FAILED = DeliveryStatus.FAILED
_STATE_CODES = ("0", "0", "0", "0", "1", "2", "1001", "3")
#: The reason names the document gives (only those the data above uses).
_REASONS = {"0": "success", "1001": "NoRoute"}

_new = object.__new__
_bind = object.__setattr__.__get__


def _report_query(
    counts: tuple[int, int, int, int, int], reports: Batch[DeliveryReport]
) -> eims.ReportQuery:
    query = _new(eims.ReportQuery)
    set_ = _bind(query)
    for name, value in zip(
        ("success", "fail", "unsent", "sending", "nofound"), counts, strict=True
    ):
        set_(name, value)
    set_("reports", reports)
    return query


def _reports(scale: Scale) -> Prepared:
    r = _data.rng(400)
    items = []
    for i in range(scale.size(10_000)):
        code = r.choice(_STATE_CODES)
        items.append(
            DeliveryReport(
                _data.mobile(r),
                _STATES.get(code, _FAILED),
                code,
                str(59_106_000 + i),
                None,
                _data.moment(r),
                None,
                _REASONS.get(code),
            )
        )
    op = eims.QueryReports(tuple(str(59_106_000 + i) for i in range(200)))
    answer = eims.ReportQuery(len(items), 0, 0, 0, 0, Batch(tuple(items)))
    response = _CODEC.encode_response(op, answer, _ACCOUNT)
    body = response.body

    def floor() -> eims.ReportQuery:
        obj = json.loads(body)
        get_state, get_reason = _STATES.get, _REASONS.get
        out: list[DeliveryReport] = []
        append = out.append
        for message_id, mobile, when, state in obj["array"]:
            code = str(state)
            sent = compact_number(when)
            status = get_state(code, _FAILED)
            append(
                report(mobile, status, code, str(message_id), None, sent, None, get_reason(code))
            )
        counts = (obj["success"], obj["fail"], obj["unsent"], obj["sending"], obj["nofound"])
        return _report_query(counts, batch(tuple(out)))

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _replies(scale: Scale) -> Prepared:
    r = _data.rng(401)
    n = scale.size(10_000)
    rows = []
    for i in range(n):
        text = _data.reply_text(r).encode("utf-8")
        when = int(_data.moment(r).strftime("%Y%m%d%H%M%S"))
        rows.append(
            [7_000_000 + i, _data.mobile(r), "10690001", when, base64.b64encode(text).decode()]
        )
    obj = {"status": 0, "cnt": n, "array": rows}
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(200, _JSON, data)
    op = FetchInbound()

    def floor() -> Batch[InboundMessage]:
        b64decode = base64.b64decode
        out: list[InboundMessage] = []
        append = out.append
        for message_id, mobile, destination, when, text in json.loads(data)["array"]:
            content = b64decode(text).decode("utf-8")
            append(inbound(mobile, content, compact_number(when), str(message_id), destination))
        return batch(tuple(out))

    return Prepared(n, lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _send(scale: Scale) -> Prepared:
    r = _data.rng(402)
    # The caller's inputs; the operation is built inside the timed call.
    mobiles = list(_data.mobiles(r, max(101, scale.size(10_000))))
    content = _data.chinese_text(r, 70)
    stamp = Stamp(_data.moment(r))

    def codec() -> object:
        return _CODEC.encode_request(SendSms(mobiles, content), _ACCOUNT, stamp)

    def floor() -> object:
        numbers = joined_numbers(mobiles, 10_000)  # §2 "post方式一次性最多提交 10000个号码"
        if not 0 < len(content) <= 1024:  # §2 content "长度不能超过 1024"
            raise ValueError("content length")
        body = {
            "account": "benchaccount",
            "password": "benchpass1",
            "content": content,
            "smstype": 0,
            "numbers": numbers,
        }
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return request("POST", "/sendsms", _JSON, data)

    return Prepared(len(mobiles), codec, floor)


PATHS = (
    BenchPath("eims decode /getreport reports", _reports),
    BenchPath("eims decode /getsms replies", _replies),
    BenchPath("eims encode /sendsms JSON POST send", _send),
)
