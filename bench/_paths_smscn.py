"""sms.cn paths: ``/st/`` reports, ``/rx/`` replies, ``/rd/`` send records, a 2000-number POST.

Wire bodies come from the codec's server role (``encode_response``); the
floors parse them with bare splits and build the same models; the replies'
peer splits, ``strptime``s and ``cattrs.structure``s them.
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
    smscn,
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
from ._peer import structure_inbound

__all__ = ["PATHS"]

_CODEC = smscn.Codec()
_ACCOUNT = smscn.Account("benchuid", "bench-password")
#: §5 shows only 100 (delivered); other values are kept as UNKNOWN.
_CODES = ("100", "100", "100", "101", "UNDELIV")
_STATUS = {"100": DeliveryStatus.DELIVERED}
_UNKNOWN = DeliveryStatus.UNKNOWN
_FORM = (("Content-Type", "application/x-www-form-urlencoded"),)

_new = object.__new__
_bind = object.__setattr__.__get__


def _reports(scale: Scale) -> Prepared:
    r = _data.rng(200)
    items = []
    for _ in range(scale.size(10_000)):
        mobile, code = _data.mobile(r), r.choice(_CODES)
        # §4: a message id is the number followed by a millisecond time stamp.
        client_id = (
            f"{mobile}{1_700_000_000_000 + r.randrange(10**9)}" if r.random() < 0.8 else None
        )
        status = _STATUS.get(code, _UNKNOWN)
        items.append(DeliveryReport(mobile, status, code, None, client_id, None, _data.moment(r)))
    op = FetchReports()
    response = _CODEC.encode_response(op, Batch(tuple(items)), _ACCOUNT)
    body = response.body

    def floor() -> Batch[DeliveryReport]:
        get = _STATUS.get
        out: list[DeliveryReport] = []
        append = out.append
        for line in ascii_first(body).split("\n"):
            mobile, code, client_id, when = line.split(",")
            # The document's lines have a blank before the time.
            sent = dashed_time(when[1:])
            append(report(mobile, get(code, _UNKNOWN), code, None, client_id or None, None, sent))
        return batch(tuple(out))

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _replies(scale: Scale) -> Prepared:
    r = _data.rng(201)
    items = tuple(
        InboundMessage(
            _data.mobile(r),
            _data.reply_text(r),
            _data.moment(r),
            None,
            f"106811222728{r.randrange(100):02d}" if r.random() < 0.9 else None,
        )
        for _ in range(scale.size(10_000))
    )
    op = FetchInbound()
    response = _CODEC.encode_response(op, Batch(items), _ACCOUNT)
    body = response.body

    def floor() -> Batch[InboundMessage]:
        out: list[InboundMessage] = []
        append = out.append
        for record in ascii_first(body).split("{&}")[1:]:
            mobile, content, when, gateway = record.split("||")
            append(inbound(mobile, content, dashed_time(when), None, gateway or None))
        return batch(tuple(out))

    def peer() -> Batch[InboundMessage]:
        rows = []
        for record in body.decode("gbk").split("{&}")[1:]:
            mobile, content, when, gateway = record.split("||")
            rows.append(
                {
                    "mobile": mobile,
                    "content": content,
                    "received_at": when,
                    "destination": gateway or None,
                }
            )
        return structure_inbound(rows)

    return Prepared(len(items), lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor, peer)


def _send_record(sent_at: object, mobile: str, content: str, status: str) -> smscn.SendRecord:
    record = _new(smscn.SendRecord)
    set_ = _bind(record)
    set_("sent_at", sent_at)
    set_("mobile", mobile)
    set_("content", content)
    set_("status", status)
    return record


def _send_records(
    total: int, count: int, pages: int, records: tuple[smscn.SendRecord, ...]
) -> smscn.SendRecords:
    page = _new(smscn.SendRecords)
    set_ = _bind(page)
    set_("total", total)
    set_("count", count)
    set_("pages", pages)
    set_("records", records)
    set_("malformed", ())
    return page


def _records(scale: Scale) -> Prepared:
    r = _data.rng(202)
    n = scale.size(10_000)
    records = tuple(
        smscn.SendRecord(
            _data.moment(r), _data.mobile(r), _data.chinese_text(r, r.randrange(5, 70)), code
        )
        for code in (r.choice(_CODES) for _ in range(n))
    )
    op = smscn.QuerySendRecords(page=1)
    # §10 "每次最多取50条记录": the log arrives a page of 50 at a time.
    per_page = smscn.SPEC.limit("send_records_per_page")
    pages = -(-n // per_page)
    responses = [
        _CODEC.encode_response(op, smscn.SendRecords(n, len(chunk), pages, chunk), _ACCOUNT)
        for chunk in (records[i : i + per_page] for i in range(0, n, per_page))
    ]
    bodies = [response.body for response in responses]

    def floor_page(body: bytes) -> smscn.SendRecords:
        head, *rest = ascii_first(body).split("|#|")
        total, count, pages = head.split("||")
        out: list[smscn.SendRecord] = []
        append = out.append
        for record in rest:
            when, mobile, content, status = record.split("||")
            append(_send_record(dashed_time(when), mobile, content, status))
        return _send_records(int(total), int(count), int(pages), tuple(out))

    def decode() -> list[smscn.SendRecords]:
        return [_CODEC.decode_response(op, response, _ACCOUNT) for response in responses]

    return Prepared(n, decode, lambda: [floor_page(body) for body in bodies])


def _send(scale: Scale) -> Prepared:
    r = _data.rng(203)
    # Above GET's 50 numbers, so a POST form (the full run sends POST's maximum, 2000).
    # The caller's inputs; the operation is built inside the timed call.
    mobiles = list(_data.mobiles(r, max(51, scale.size(2000))))
    content = _data.chinese_text(r, 70)
    stamp = Stamp(_data.moment(r))

    def codec() -> object:
        return _CODEC.encode_request(SendSms(mobiles, content), _ACCOUNT, stamp)

    def floor() -> object:
        numbers = joined_numbers(mobiles, 2000)  # §4 "POST 方式每次最多可以提交2000条号码"
        if not content:
            raise ValueError("empty content")
        pwd = hashlib.md5(b"bench-passwordbenchuid").hexdigest()
        text = percent(content.encode("gbk"))
        form = f"uid=benchuid&pwd={pwd}&mobile={numbers}&content={text}"
        return request("POST", "/mt/", _FORM, form.encode("ascii"))

    return Prepared(len(mobiles), codec, floor)


PATHS = (
    BenchPath("smscn decode /st/ reports", _reports),
    BenchPath("smscn decode /rx/ replies", _replies),
    BenchPath("smscn decode /rd/ send records", _records),
    BenchPath("smscn encode /mt/ POST send", _send),
)
