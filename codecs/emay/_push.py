"""The gateway's pushes of reports and replies (§2.3), and the document's lenient JSON.

The records themselves are read and written by :mod:`._records` (the same
records as the ``getReport`` / ``getMo`` answers). Pushes come in two modes,
chosen per account by Emay's staff:

* encrypted (§2.3.1): the body is the JSON array, gzipped, then AES/ECB/PKCS5
  under the secret key; ``appId`` in a header. Reports and replies are told
  apart by their members (``state`` / ``content``);
* plain (§2.3.2): a UTF-8 form parameter ``reports`` or ``mos`` holding the
  JSON array; ``appId`` in a header.

Either way the receiver answers the body ``success`` (§2.3.3). Every function
here takes the mode as ``encrypted=``, so a codec exposes one mode with
one-line methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._errors import DecodeError, EncodeError
from .._http import HttpRequest, HttpResponse
from .._models import Batch, DeliveryReport, DeliveryStatus, InboundMessage
from .._query import build_query, parse_query
from .._traits import REPLIES, REPORTS, WireTraits, first_code
from ._account import Account
from ._envelope import decrypt, dumps, inflate, loads, seal
from ._records import (
    REPORT_STATUS,
    decode_records,
    members,
    parse_mo,
    parse_report,
    render_mo,
    render_report,
    report_status,
)
from ._section import SPEC

__all__ = [
    "PushItem",
    "decode_push",
    "decode_push_ack",
    "encode_push",
    "loads_lenient",
    "push_account",
    "push_ack",
    "push_credential",
]

PushItem = DeliveryReport | InboundMessage

_PUSH = SPEC.section.push
_ACK = _PUSH.ack
_MAX_BODY = _PUSH.max_body_bytes
_TARGET = _PUSH.target


# --------------------------------------------------------------------------- JSON


def loads_lenient(data: bytes, raw: bytes) -> Any:
    """JSON from UTF-8 ``data``, tolerating the document's typography; DecodeError with ``raw``."""
    return loads(data, "utf-8", raw)


def _parse_either(element: Any) -> PushItem:
    # An encrypted push names neither kind: a report has a state, a reply content.
    record = members(element)
    if "state" in record:
        return parse_report(element)
    if "content" in record:
        return parse_mo(element)
    raise DecodeError("emay push record is neither a report nor a reply")


# --------------------------------------------------------------------------- pushes


def push_credential(request: HttpRequest) -> str | None:
    """The ``appId`` header of a push (§2.3: "通过 HTTP 头传输 appId，用户根据 APPID 进行匹配"),
    blanks around it ignored; ``None`` when absent or empty.

    A receiver serving several accounts looks the account up by it before
    calling ``decode_push``.
    """
    app_id = request.header("appId")
    if app_id is None:
        return None
    return app_id.strip() or None


def _check_app_id(request: HttpRequest, account: Account) -> None:
    app_id = push_credential(request)
    if app_id is not None and app_id != account.app_id:
        raise DecodeError("emay push is for another appId", request.body)


def push_account(request: HttpRequest, lookup: Callable[[str], Account | None]) -> Account:
    """The receiving account, by the push's ``appId`` header (§2.3: "appId … Http头传输 … 必填")."""
    app_id = push_credential(request)
    if app_id is None:
        raise DecodeError("emay push without its appId header", request.body)
    account = lookup(app_id)
    if account is None:
        raise DecodeError("emay push for an unknown appId", request.body)
    return account


def decode_push(
    request: HttpRequest, account: Account, *, encrypted: bool, max_size: int = _MAX_BODY
) -> Batch[PushItem]:
    """Receiver: the reports and replies of one push (§2.3.1 encrypted, §2.3.2 plain).

    ``max_size`` bounds the inflated (encrypted) or received (plain) body.
    """
    _check_app_id(request, account)
    if encrypted:
        if not account.has_aes_key:
            raise DecodeError(
                "emay encrypted push: the account's secret key is no AES key (16, 24 or 32 bytes)",
                request.body,
            )
        plain = inflate(
            decrypt(request.body, account.key), request.body, gzip=True, max_size=max_size
        )
        return decode_records(loads_lenient(plain, request.body), request.body, _parse_either)
    if len(request.body) > max_size:
        raise DecodeError(f"emay push larger than {max_size} bytes", request.body[:max_size])
    pairs = parse_query(request.query)
    pairs.extend(parse_query(request.body))
    parsers: dict[str, Callable[[Any], PushItem]] = {"reports": parse_report, "mos": parse_mo}
    items: list[PushItem] = []
    malformed: list[bytes] = []
    found = False
    for name, value in pairs:
        parse = parsers.get(name)
        if parse is None:
            continue
        found = True
        batch = decode_records(loads_lenient(value, request.body), request.body, parse)
        items.extend(batch.items)
        malformed.extend(batch.malformed)
    if not found:
        raise DecodeError("emay push has neither a 'reports' nor a 'mos' parameter", request.body)
    return Batch(tuple(items), tuple(malformed))


def push_ack() -> HttpResponse:
    """Receiver: the body ``success`` (§2.3.3), whatever the push held."""
    return HttpResponse(200, (("Content-Type", "text/plain; charset=UTF-8"),), _ACK.encode())


def encode_push(
    batch: Batch[PushItem],
    account: Account,
    *,
    encrypted: bool,
    target: str = _TARGET,
) -> tuple[HttpRequest, ...]:
    """Gateway: one request for the reports and one for the replies (none for an empty kind)."""
    if batch.malformed:
        raise EncodeError("emay pushes carry records, not the raw fragments of a batch")
    reports = [render_report(i) for i in batch.items if isinstance(i, DeliveryReport)]
    mos = [render_mo(i) for i in batch.items if isinstance(i, InboundMessage)]
    if len(reports) + len(mos) != len(batch.items):
        raise EncodeError("emay pushes carry DeliveryReport and InboundMessage items only")
    requests = []
    for name, records in (("reports", reports), ("mos", mos)):
        if not records:
            continue
        data = dumps(records, "utf-8")
        if encrypted:
            body = seal(data, account.key, gzip=True)
            content_type = "application/octet-stream"
        else:
            body = build_query([(name, data.decode("utf-8"))], "utf-8").encode("ascii")
            content_type = "application/x-www-form-urlencoded; charset=UTF-8"
        headers = (("appId", account.app_id), ("Content-Type", content_type))
        requests.append(HttpRequest("POST", target, headers, body))
    return tuple(requests)


def decode_push_ack(response: HttpResponse) -> bool:
    """Gateway: only HTTP 200 with the body ``success`` stops the retries (§2.3.3)."""
    return response.status == 200 and response.body.strip() == _ACK.encode()


#: Both interfaces serve one account (one appId, one secret key); each codec adds its paths.
TRAITS = WireTraits(
    account_type=Account,
    credential_field="app_id",
    demo_account=Account(app_id="EUCP-EMY-SMS1-DEMO0", secret_key="demo-emay-secret"),
    key_field="secret_key",
    delivered_code=first_code(REPORT_STATUS, DeliveryStatus.DELIVERED),
    # A §4 state: an undocumented one would read as UNKNOWN (quirk report-state-fallback).
    failed_code="FAIL_UNKNOW",
    read_status=report_status,
    report_limit=int(SPEC.limit("fetch_default_number")),
    reply_limit=int(SPEC.limit("fetch_default_number")),
    report_fields=frozenset(
        {"message_id", "client_id", "sent_at", "reported_at", "description", "extension"}
    ),
    inbound_fields=frozenset({"received_at", "destination"}),
    pushes=frozenset({REPORTS, REPLIES}),
    push_retries=tuple(float(s) for s in SPEC.section.push.retry_intervals_seconds),
    simulations="smswire.codecs.emay._simulate",
)
