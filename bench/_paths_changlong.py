"""112088.net (changlong) paths: report and reply batches, a maximum send.

The server role refuses more than 100 reports or 50 replies per answer (the
document's caps), so the 10,000-record bodies are written here by hand in the
document's format: ``N|batch;phone;status|…`` and ``N|id;phone;text|…``.
"""

from __future__ import annotations

from smswire.codecs import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    HttpResponse,
    InboundMessage,
    SendSms,
    Stamp,
    changlong,
)

from . import _data
from ._floor import ascii_first, batch, inbound, joined_numbers, percent, report, request
from ._harness import BenchPath, Prepared, Scale

__all__ = ["PATHS"]

_CODEC = changlong.Codec()
_ACCOUNT = changlong.Account(username="benchuser", password="benchpass1")
_STATUS = {
    "-1": DeliveryStatus.PENDING,
    "10": DeliveryStatus.DELIVERED,
    "20": DeliveryStatus.FAILED,
}


def _gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), text.encode("gbk"))


def _reports(scale: Scale) -> Prepared:
    r = _data.rng(300)
    codes = tuple(_STATUS)
    n = scale.size(10_000)
    records = [
        f"{6_400_000 + r.randrange(100_000)};{_data.mobile(r)};{r.choice(codes)}" for _ in range(n)
    ]
    response = _gbk("|".join([str(n), *records]))
    body = response.body
    op = FetchReports()

    def floor() -> Batch[DeliveryReport]:
        rest = ascii_first(body).partition("|")[2]
        status = _STATUS
        out: list[DeliveryReport] = []
        append = out.append
        for fragment in rest.split("|"):
            batch_id, phone, code = fragment.split(";")
            append(report(phone, status[code], code, batch_id))
        return batch(tuple(out))

    return Prepared(n, lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _replies(scale: Scale) -> Prepared:
    r = _data.rng(301)
    n = scale.size(10_000)
    records = [f"{100 + i};{_data.mobile(r)};{_data.reply_text(r)}" for i in range(n)]
    response = _gbk("|".join([str(n), *records]))
    body = response.body
    op = FetchInbound()

    def floor() -> Batch[InboundMessage]:
        rest = ascii_first(body).partition("|")[2]
        out: list[InboundMessage] = []
        append = out.append
        for fragment in rest.split("|"):
            msg_id, phone, content = fragment.split(";", 2)
            append(inbound(phone, content, None, msg_id))
        return batch(tuple(out))

    return Prepared(n, lambda: _CODEC.decode_response(op, response, _ACCOUNT), floor)


def _send(scale: Scale) -> Prepared:
    r = _data.rng(302)
    # The caller's inputs; the operation is built inside the timed call.
    mobiles = list(_data.mobiles(r, scale.size(100)))
    content = _data.chinese_text(r, 335)
    stamp = Stamp(_data.moment(r))

    def codec() -> object:
        return _CODEC.encode_request(SendSms(mobiles, content), _ACCOUNT, stamp)

    def floor() -> object:
        phones = joined_numbers(mobiles, 100)  # 1.1.1 "最大允许每次提交号码 100 个号码"
        if not 0 < len(content) <= 335:  # 1.1.1 -8 "超过规定最大字符长度 335 个字符"
            raise ValueError("content length")
        text = percent(content.encode("gbk"))
        target = (
            f"/sendsms_txt.asp?us_name=benchuser&us_pwd=benchpass1"
            f"&send_phone={phones}&send_content={text}"
        )
        return request("GET", target)

    return Prepared(len(mobiles), codec, floor)


PATHS = (
    BenchPath("changlong decode get_report_txt reports", _reports),
    BenchPath("changlong decode get_receive_message_txt replies", _replies),
    BenchPath("changlong encode sendsms_txt send 335 GBK chars", _send),
)
