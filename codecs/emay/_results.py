"""Results of the secure interface as JSON values, both ways.

Readers take parsed JSON and build the shared models (tolerating the
document's spaced keys); a batch keeps each record it cannot read as raw JSON
bytes in ``Batch.malformed``. Writers produce the documented JSON for the
server role and refuse with :class:`EncodeError` what the wire cannot carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError
from .._models import (
    Balance,
    BalanceUnit,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Receipt,
    SendResult,
)
from .._spec import load_spec
from ._ops import ShortLinkClick, TemplateCreated, TemplateDeleted, TemplateState

__all__ = [
    "REPORT_STATES",
    "BadRecord",
    "normalize",
    "parse_balance",
    "parse_batch",
    "parse_click",
    "parse_inbound",
    "parse_receipts",
    "parse_report",
    "parse_template_created",
    "parse_template_deleted",
    "parse_template_state",
    "render_balance",
    "render_click",
    "render_inbound",
    "render_receipts",
    "render_report",
]

T = TypeVar("T")

#: §4 report state → neutral status, from the spec.
REPORT_STATES: Mapping[str, DeliveryStatus] = {
    code: DeliveryStatus(row["status"])
    for code, row in load_spec("emay").extra["report_states"].items()
}


class BadRecord(Exception):
    """A record that does not follow the document (kept raw by the caller)."""


def normalize(value: Any) -> dict[str, Any]:
    """A JSON object with surrounding blanks stripped from its keys (quirk ``spaced-keys``)."""
    if not isinstance(value, dict):
        raise BadRecord("not an object")
    return {key.strip(): item for key, item in value.items()}


def _req_str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise BadRecord(f"{key} is not a string")
    return value


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadRecord(f"{key} is not a string")


def _opt_time(obj: Mapping[str, Any], key: str) -> datetime | None:
    text = _opt_str(obj, key)
    if text is None:
        return None
    try:
        return parse_dashed(text)
    except DecodeError:
        raise BadRecord(f"{key} is not a time") from None


def _fmt(value: datetime | None) -> str | None:
    return None if value is None else format_seconds(value)


def _whole(obj: Any, raw: bytes, read: Callable[[Any], T], what: str) -> T:
    try:
        return read(obj)
    except BadRecord as exc:
        raise DecodeError(f"emay: {what} answer: {exc}", raw) from None


# --------------------------------------------------------------------------- sends


def _receipt(value: Any) -> Receipt:
    obj = normalize(value)
    return Receipt(_req_str(obj, "mobile"), _opt_str(obj, "smsId"), _opt_str(obj, "customSmsId"))


def parse_receipts(value: Any, raw: bytes) -> SendResult:
    """A send answer: one object (sendSingleSMS) or an array of them."""

    def read(v: Any) -> SendResult:
        if isinstance(v, list):
            return SendResult(tuple(_receipt(item) for item in v))
        return SendResult((_receipt(v),))

    return _whole(value, raw, read, "send")


def render_receipts(result: SendResult, single: bool) -> Any:
    """The JSON of a send answer; ``single`` renders sendSingleSMS's lone object."""
    if result.failed or result.batch_id is not None:
        raise EncodeError("emay send answers carry neither a failed count nor a batch id")
    items = []
    for receipt in result.receipts:
        if receipt.mobile is None:
            raise EncodeError("emay send answers tie every id to a number; mobile is missing")
        items.append(
            {
                "mobile": receipt.mobile,
                "smsId": receipt.message_id,
                "customSmsId": receipt.client_id,
            }
        )
    if single:
        if len(items) != 1:
            raise EncodeError(f"sendSingleSMS answers one number, not {len(items)}")
        return items[0]
    return items


# --------------------------------------------------------------------------- batches


def parse_batch(value: Any, raw: bytes, read: Callable[[Any], T]) -> Batch[T]:
    """An array answer: the records ``read`` accepts, the others kept as raw JSON."""
    if not isinstance(value, list):
        raise DecodeError("emay: a batch answer must be a JSON array", raw)
    items: list[T] = []
    malformed: list[bytes] = []
    for record in value:
        try:
            items.append(read(record))
        except BadRecord:
            # ASCII escapes: a record may hold lone surrogates that no charset encodes.
            malformed.append(json.dumps(record, ensure_ascii=True).encode("ascii"))
    return Batch(tuple(items), tuple(malformed))


def parse_report(value: Any) -> DeliveryReport:
    """One getReport record (``receiveTime`` with or without the document's trailing space)."""
    obj = normalize(value)
    state = _req_str(obj, "state")
    return DeliveryReport(
        mobile=_req_str(obj, "mobile"),
        status=REPORT_STATES.get(state, DeliveryStatus.UNKNOWN),
        code=state,
        message_id=_opt_str(obj, "smsId"),
        client_id=_opt_str(obj, "customSmsId"),
        sent_at=_opt_time(obj, "submitTime"),
        reported_at=_opt_time(obj, "receiveTime"),
        description=_opt_str(obj, "desc"),
    )


def render_report(report: DeliveryReport) -> dict[str, Any]:
    """One getReport record as the gateway writes it."""
    out: dict[str, Any] = {
        "mobile": report.mobile,
        "smsId": report.message_id,
        "customSmsId": report.client_id,
        "state": report.code,
    }
    if report.description is not None:
        out["desc"] = report.description
    out["receiveTime"] = _fmt(report.reported_at)
    out["submitTime"] = _fmt(report.sent_at)
    return out


def parse_inbound(value: Any) -> InboundMessage:
    """One getMo record."""
    obj = normalize(value)
    return InboundMessage(
        mobile=_req_str(obj, "mobile"),
        content=_req_str(obj, "content"),
        received_at=_opt_time(obj, "moTime"),
        destination=_opt_str(obj, "extendedCode"),
    )


def render_inbound(message: InboundMessage) -> dict[str, Any]:
    """One getMo record as the gateway writes it (Emay gives replies no id)."""
    if message.message_id is not None:
        raise EncodeError("emay getMo records carry no message id")
    return {
        "mobile": message.mobile,
        "content": message.content,
        "moTime": _fmt(message.received_at),
        "extendedCode": message.destination,
    }


_CLICK_KEYS = (
    ("equipment", "equipment"),
    ("browser", "browser"),
    ("long_link", "longLink"),
    ("access_address", "accessAddress"),
    ("user_agent", "userAgent"),
    ("app_id", "appId"),
)


def parse_click(value: Any) -> ShortLinkClick:
    """One getShortLink record (``longLink`` is optional: the example lacks it)."""
    obj = normalize(value)
    texts = {attr: _opt_str(obj, key) for attr, key in _CLICK_KEYS}
    return ShortLinkClick(
        mobile=_req_str(obj, "mobile"), accessed_at=_opt_time(obj, "accessTime"), **texts
    )


def render_click(click: ShortLinkClick) -> dict[str, Any]:
    """One getShortLink record as the gateway writes it."""
    out: dict[str, Any] = {"mobile": click.mobile, "accessTime": _fmt(click.accessed_at)}
    for attr, key in _CLICK_KEYS:
        value = getattr(click, attr)
        if value is not None:
            out[key] = value
    return out


# --------------------------------------------------------------------------- single objects


def parse_balance(value: Any, raw: bytes) -> Balance:
    """``{"balance": 1000}``: a count of messages (a JSON integer, or its digits as a string)."""

    def read(v: Any) -> Balance:
        amount = normalize(v).get("balance")
        if isinstance(amount, str) and amount.strip().lstrip("-").isdigit():
            amount = int(amount.strip())
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise BadRecord("balance is not an integer")
        return Balance(Decimal(amount), BalanceUnit.MESSAGES)

    return _whole(value, raw, read, "balance")


def render_balance(balance: Balance) -> dict[str, Any]:
    """The getBalance answer; the wire carries a whole number of messages only."""
    amount = balance.amount
    if (
        balance.unit is not BalanceUnit.MESSAGES
        or balance.gift is not None
        or not amount.is_finite()
        or amount != amount.to_integral_value()
    ):
        raise EncodeError("emay balance is a whole number of messages, without gift credit")
    return {"balance": int(amount)}


def parse_template_created(value: Any, raw: bytes) -> TemplateCreated:
    """The createTemplateSMS answer."""
    return _whole(
        value,
        raw,
        lambda v: TemplateCreated(_req_str(normalize(v), "templateId")),
        "createTemplateSMS",
    )


def parse_template_deleted(value: Any, raw: bytes) -> TemplateDeleted:
    """The deleteTemplateSMS answer; ``code`` is ``"true"``/``"false"`` (or a JSON boolean)."""

    def read(v: Any) -> TemplateDeleted:
        obj = normalize(v)
        code = obj.get("code")
        if isinstance(code, str) and code.strip().lower() in ("true", "false"):
            code = code.strip().lower() == "true"
        if not isinstance(code, bool):
            raise BadRecord("code is neither true nor false")
        return TemplateDeleted(_req_str(obj, "templateId"), code)

    return _whole(value, raw, read, "deleteTemplateSMS")


def parse_template_state(value: Any, raw: bytes) -> TemplateState:
    """The queryTemplateSMS answer; ``status`` kept as written (a JSON number as its digits)."""

    def read(v: Any) -> TemplateState:
        obj = normalize(v)
        status = obj.get("status")
        if isinstance(status, int) and not isinstance(status, bool):
            status = str(status)
        if not isinstance(status, str):
            raise BadRecord("status is not a string")
        return TemplateState(_req_str(obj, "templateId"), status)

    return _whole(value, raw, read, "queryTemplateSMS")
