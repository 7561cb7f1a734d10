"""The push receiver with the real codecs of the vendors that push (sms.cn, EIMS, Emay).

Each vendor's pushes are checked three ways: a push written by hand from the
vendor document (percent-encoded here with urllib, or the spec's own golden
example), a push that cannot be read, and a round trip in which the codec's
gateway side pushes and reads the receiver's answer.
"""

from __future__ import annotations

import asyncio
import gzip
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad
from smswire.codecs import (
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    SmsWireError,
    eims,
    emay,
    load_spec,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.transports import PushReceiver, handle_push


class Sink:
    def __init__(self) -> None:
        self.items: list[DeliveryReport | InboundMessage] = []
        self.undecodable: list[tuple[bytes, SmsWireError]] = []

    async def item(self, value: DeliveryReport | InboundMessage) -> None:
        self.items.append(value)

    def bad(self, raw: bytes, error: SmsWireError) -> None:
        self.undecodable.append((raw, error))

    def app(self, codec: Any, account: Any) -> PushReceiver:
        return PushReceiver(
            codec, account, on_report=self.item, on_inbound=self.item, on_undecodable=self.bad
        )


def deliver(app: PushReceiver, requests: list[HttpRequest]) -> list[httpx.Response]:
    """Push ``requests`` into ``app`` over ASGI, their targets' bytes untouched."""

    async def main() -> list[httpx.Response]:
        base = httpx.URL("http://127.0.0.1")
        transport = httpx.ASGITransport(app=app)
        answers = []
        async with httpx.AsyncClient(transport=transport) as client:
            for request in requests:
                url = base.copy_with(raw_path=request.target.encode("ascii"))
                answers.append(
                    await client.send(
                        httpx.Request(
                            request.method, url, headers=request.headers, content=request.body
                        )
                    )
                )
        return answers

    return asyncio.run(main())


def as_response(answer: httpx.Response) -> HttpResponse:
    return HttpResponse(answer.status_code, answer.headers.multi_items(), answer.content)


# ------------------------------------------------------------------ sms.cn (GET pushes, GBK)

SMSCN = smscn.Codec()
SMSCN_ACCOUNT = smscn.Account("test", password="smscn-secret")


def gbk_query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={quote_plus(v, encoding='gbk')}" for k, v in pairs)


def test_smscn_reply_and_status_pushes_from_the_document_shapes() -> None:
    reply = gbk_query(
        [
            ("cmd", "res"),
            ("uid", "test"),
            ("time", "2024-05-01 09:30:00"),
            ("mobile", "13866668888"),
            ("content", "你好 & = % + ok"),
        ]
    )
    status = gbk_query(
        [
            ("cmd", "res"),
            ("uid", "test"),
            ("mobileids", "12345"),
            ("mobile", "13866668888"),
            ("status", "100"),
        ]
    )
    sink = Sink()
    answers = deliver(
        sink.app(SMSCN, SMSCN_ACCOUNT),
        [HttpRequest("GET", f"/?{reply}"), HttpRequest("GET", f"/?{status}")],
    )
    assert [(a.status_code, a.content) for a in answers] == [(200, b"ok"), (200, b"ok")]
    assert sink.items == [
        InboundMessage("13866668888", "你好 & = % + ok", datetime(2024, 5, 1, 9, 30, tzinfo=CHINA)),
        DeliveryReport("13866668888", DeliveryStatus.DELIVERED, "100", client_id="12345"),
    ]
    assert sink.undecodable == []


def test_smscn_push_for_another_account_is_refused_and_kept() -> None:
    query = gbk_query([("cmd", "res"), ("uid", "other"), ("mobile", "138"), ("status", "100")])
    result = handle_push(SMSCN, SMSCN_ACCOUNT, "GET", f"/?{query}", (), b"")
    assert result.status == 400 and isinstance(result.error, DecodeError)
    sink = Sink()
    (answer,) = deliver(sink.app(SMSCN, SMSCN_ACCOUNT), [HttpRequest("GET", f"/?{query}")])
    assert answer.status_code == 400 and sink.items == []
    # A GET push's data is its query: that is what on_undecodable receives.
    assert sink.undecodable[0][0] == f"/?{query}".encode("ascii")


def test_smscn_gateway_side_round_trips_through_the_receiver() -> None:
    batch: Batch[Any] = Batch(
        (
            DeliveryReport("13900001111", DeliveryStatus.DELIVERED, "100", client_id="77"),
            InboundMessage(
                "13900002222", "退订 T|#|{&}", datetime(2024, 6, 1, 8, 0, 5, tzinfo=CHINA)
            ),
        )
    )
    requests = SMSCN.encode_push(batch, SMSCN_ACCOUNT)
    sink = Sink()
    answers = deliver(sink.app(SMSCN, SMSCN_ACCOUNT), list(requests))
    assert all(SMSCN.decode_push_ack(as_response(a)) for a in answers)
    assert tuple(sink.items) == batch.items


# ------------------------------------------------------------------ EIMS (PUT JSON pushes)

EIMS = eims.Codec()
EIMS_ACCOUNT = eims.Account("acct", "eims-secret")


def test_eims_document_push_example_reaches_the_callbacks() -> None:
    vector = eims.SPEC.vector("push-report")
    sink = Sink()
    (answer,) = deliver(
        sink.app(EIMS, EIMS_ACCOUNT),
        [HttpRequest(vector["method"], "/push", (), vector["body"].encode("utf-8"))],
    )
    assert answer.status_code == 200 and EIMS.decode_push_ack(as_response(answer))
    got = [
        [r.message_id, r.mobile, r.sent_at.isoformat(), r.code, r.status.value, r.description]
        for r in sink.items
        if isinstance(r, DeliveryReport) and r.sent_at is not None
    ]
    assert got == [list(record) for record in vector["records"]]


def test_eims_unreadable_push_is_refused_and_kept() -> None:
    sink = Sink()
    (answer,) = deliver(
        sink.app(EIMS, EIMS_ACCOUNT), [HttpRequest("PUT", "/push", (), b'{"type":"report",')]
    )
    assert answer.status_code == 400
    assert sink.undecodable[0][0] == b'{"type":"report",' and sink.items == []
    assert handle_push(EIMS, EIMS_ACCOUNT, "GET", "/push", (), b"").status == 400


def test_eims_gateway_side_round_trips_through_the_receiver() -> None:
    reports = tuple(
        DeliveryReport(
            f"1390000{i:04d}",
            DeliveryStatus.DELIVERED if i % 3 else DeliveryStatus.FAILED,
            "0" if i % 3 else "1",
            message_id=str(1000 + i),
            sent_at=datetime(2024, 6, 1, 8, 0, i % 60, tzinfo=CHINA),
            description="success" if i % 3 else "no balance",
        )
        for i in range(60)
    )
    requests = EIMS.encode_push(Batch(reports), EIMS_ACCOUNT)
    assert len(requests) == 2  # the gateway pushes at most 50 reports at a time
    sink = Sink()
    answers = deliver(sink.app(EIMS, EIMS_ACCOUNT), list(requests))
    assert all(EIMS.decode_push_ack(as_response(a)) for a in answers)
    assert tuple(sink.items) == reports


# ------------------------------------------------------------------ Emay (encrypted and plain)

EMAY_ACCOUNT = emay.Account("EUCP-EMY-SMS1-TEST", "1234567890ABCDEF")


def emay_vector(name: str) -> Any:
    return load_spec("emay").vector(name)


def sealed(data: bytes, key: bytes) -> bytes:
    """§2.3.1 by hand: gzip, then AES/ECB with PKCS#5 padding (pycryptodome directly)."""
    return AES.new(key, AES.MODE_ECB).encrypt(pad(gzip.compress(data), 16))


def report_rows(items: list[Any]) -> list[list[str | None]]:
    return [
        [
            r.mobile,
            r.message_id,
            r.client_id,
            r.code,
            r.description,
            r.reported_at.isoformat() if r.reported_at else None,
            r.sent_at.isoformat() if r.sent_at else None,
        ]
        for r in items
    ]


def test_emay_encrypted_push_of_the_document_reports_is_read_and_acknowledged() -> None:
    vector = emay_vector("push-reports")
    # The document's own array, "receiveTime " key with its blank included.
    body = sealed(vector["document_json"].encode("utf-8"), EMAY_ACCOUNT.secret_key.encode())
    sink = Sink()
    headers = (("appId", EMAY_ACCOUNT.app_id),)
    (answer,) = deliver(
        sink.app(emay.Codec(), EMAY_ACCOUNT), [HttpRequest("POST", "/emay", headers, body)]
    )
    assert (answer.status_code, answer.content) == (200, emay_vector("push-ack")["body"].encode())
    assert report_rows(sink.items) == [list(row) for row in vector["reports"]]
    assert all(getattr(r, "status", None) is DeliveryStatus.DELIVERED for r in sink.items)


def test_emay_plain_push_of_the_document_replies_is_read() -> None:
    vector = emay_vector("push-mos")
    body = urlencode({vector["parameter"]: vector["json"]}).encode("ascii")
    headers = (
        ("appId", EMAY_ACCOUNT.app_id),
        ("Content-Type", "application/x-www-form-urlencoded"),
    )
    sink = Sink()
    (answer,) = deliver(
        sink.app(emay.SimpleCodec(), EMAY_ACCOUNT), [HttpRequest("POST", "/emay", headers, body)]
    )
    assert answer.content == b"success"
    got = [
        [m.mobile, m.content, m.received_at.isoformat() if m.received_at else None, m.destination]
        for m in sink.items
        if isinstance(m, InboundMessage)
    ]
    assert got == [list(row) for row in vector["messages"]]


def test_emay_push_under_another_key_or_app_id_is_refused_and_kept() -> None:
    body = sealed(emay_vector("push-reports")["json"].encode(), b"WRONGKEY12345678")
    sink = Sink()
    answers = deliver(
        sink.app(emay.Codec(), EMAY_ACCOUNT),
        [
            HttpRequest("POST", "/emay", (("appId", EMAY_ACCOUNT.app_id),), body),
            HttpRequest("POST", "/emay", (("appId", "someone-else"),), body),
        ],
    )
    assert [a.status_code for a in answers] == [400, 400]
    assert [a.content for a in answers] != [b"success", b"success"]
    assert [raw for raw, _ in sink.undecodable] == [body, body] and sink.items == []


def test_emay_gateway_side_round_trips_both_modes() -> None:
    when = datetime(2024, 6, 1, 8, 0, 5, tzinfo=CHINA)
    batch: Batch[Any] = Batch(
        (
            DeliveryReport(
                "13900001111",
                DeliveryStatus.DELIVERED,
                "DELIVRD",
                message_id="9001",
                client_id="c-1",
                sent_at=when,
                reported_at=when,
                description="成功",
            ),
            InboundMessage("13900002222", "回复 TD", when, destination="01"),
        )
    )
    for codec in (emay.Codec(), emay.SimpleCodec()):
        requests = codec.encode_push(batch, EMAY_ACCOUNT)
        sink = Sink()
        answers = deliver(sink.app(codec, EMAY_ACCOUNT), list(requests))
        assert all(codec.decode_push_ack(as_response(a)) for a in answers)
        assert tuple(sink.items) == batch.items
