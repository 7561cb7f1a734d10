"""Results of the secure interface as JSON values, both ways (reports and replies aside).

Readers take parsed JSON and build the models (tolerating the document's
spaced keys); writers produce the documented JSON for the server role and
refuse with :class:`EncodeError` what the wire cannot carry. Report and reply
records are :mod:`._records`' work, shared with the simple interface and the
pushes; a batch keeps each record it cannot read raw in ``Batch.malformed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._checks import parse_message_count, render_message_count
from .._chinatime import format_seconds
from .._errors import DecodeError, EncodeError
from .._models import Balance, SendResult
from ._ops import ShortLinkClick, TemplateCreated, TemplateDeleted, TemplateState
from ._records import (
    members,
    nullable,
    optional_text,
    optional_time,
    parse_receipt,
    render_receipt,
    required_text,
)

__all__ = [
    "parse_balance",
    "parse_click",
    "parse_receipts",
    "parse_template_created",
    "parse_template_deleted",
    "parse_template_state",
    "read_message_count",
    "render_balance",
    "render_click",
    "render_receipts",
]

T = TypeVar("T")


def _whole(obj: Any, raw: bytes, read: Callable[[Any], T], what: str) -> T:
    # A single-object answer is no batch: one bad member spoils it, with the raw body kept.
    try:
        return read(obj)
    except DecodeError as exc:
        raise DecodeError(f"emay: {what} answer: {exc.message}", raw) from None


# --------------------------------------------------------------------------- sends


def parse_receipts(value: Any, raw: bytes) -> SendResult:
    """A send answer: one object (sendSingleSMS) or an array of them."""

    def read(v: Any) -> SendResult:
        if isinstance(v, list):
            return SendResult(tuple(parse_receipt(item) for item in v))
        return SendResult((parse_receipt(v),))

    return _whole(value, raw, read, "send")


def render_receipts(result: SendResult, *, single: bool) -> Any:
    """The JSON of a send answer; ``single`` renders sendSingleSMS's lone object."""
    if result.failed or result.batch_id is not None:
        raise EncodeError("emay send answers carry neither a failed count nor a batch id")
    items = [render_receipt(receipt) for receipt in result.receipts]
    if single:
        if len(items) != 1:
            raise EncodeError(f"sendSingleSMS answers one number, not {len(items)}")
        return items[0]
    return items


# --------------------------------------------------------------------------- short-link clicks


_CLICK_KEYS = (
    ("equipment", "equipment"),
    ("browser", "browser"),
    ("long_link", "longLink"),
    ("access_address", "accessAddress"),
    ("user_agent", "userAgent"),
    ("app_id", "appId"),
)


def parse_click(value: Any) -> ShortLinkClick:
    """One getShortLink record (every member but ``mobile`` optional)."""
    obj = members(value)
    texts = {attr: optional_text(obj, key) for attr, key in _CLICK_KEYS}
    return ShortLinkClick(
        mobile=required_text(obj, "mobile"), accessed_at=optional_time(obj, "accessTime"), **texts
    )


def render_click(click: ShortLinkClick) -> dict[str, Any]:
    """One getShortLink record as the gateway writes it."""
    accessed = None if click.accessed_at is None else format_seconds(click.accessed_at)
    out: dict[str, Any] = {"mobile": nullable(click.mobile, "mobile"), "accessTime": accessed}
    for attr, key in _CLICK_KEYS:
        value = nullable(getattr(click, attr), attr)
        if value is not None:
            out[key] = value
    return out


# --------------------------------------------------------------------------- single objects


def read_message_count(amount: Any, raw: bytes) -> Balance:
    """A ``balance`` member: a JSON integer or its digits as a string, read by the shared
    message-count rule (whole, non-negative); :class:`DecodeError` with ``raw`` otherwise."""
    if type(amount) is int:
        amount = str(amount)
    if not isinstance(amount, str):
        raise DecodeError("emay balance is not a whole message count", raw)
    return parse_message_count(amount, "emay", raw)


def parse_balance(value: Any, raw: bytes) -> Balance:
    """``{"balance": 1000}``: a count of messages (a JSON integer, or its digits as a string)."""
    if not isinstance(value, dict):
        raise DecodeError("emay: balance answer is not a JSON object", raw)
    return read_message_count(members(value).get("balance"), raw)


def render_balance(balance: Balance) -> dict[str, Any]:
    """The getBalance answer; the wire carries a whole, non-negative number of messages only."""
    return {"balance": int(render_message_count(balance, "emay"))}


def parse_template_created(value: Any, raw: bytes) -> TemplateCreated:
    """The createTemplateSMS answer."""
    return _whole(
        value,
        raw,
        lambda v: TemplateCreated(required_text(members(v), "templateId")),
        "createTemplateSMS",
    )


def parse_template_deleted(value: Any, raw: bytes) -> TemplateDeleted:
    """The deleteTemplateSMS answer; ``code`` is ``"true"``/``"false"`` (or a JSON boolean)."""

    def read(v: Any) -> TemplateDeleted:
        obj = members(v)
        code = obj.get("code")
        if isinstance(code, str) and code.strip().lower() in ("true", "false"):
            code = code.strip().lower() == "true"
        if not isinstance(code, bool):
            raise DecodeError("code is neither true nor false")
        return TemplateDeleted(required_text(obj, "templateId"), code)

    return _whole(value, raw, read, "deleteTemplateSMS")


def parse_template_state(value: Any, raw: bytes) -> TemplateState:
    """The queryTemplateSMS answer; ``status`` kept as written (a JSON number as its digits)."""

    def read(v: Any) -> TemplateState:
        obj = members(v)
        status = obj.get("status")
        if isinstance(status, int) and not isinstance(status, bool):
            status = str(status)
        if not isinstance(status, str):
            raise DecodeError("status is not a string")
        return TemplateState(required_text(obj, "templateId"), status)

    return _whole(value, raw, read, "queryTemplateSMS")
