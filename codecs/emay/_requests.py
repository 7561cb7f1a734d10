"""Secure-interface request fields, both ways (the sections of :mod:`._inter` use them).

Client role: the encode-time limits of the fields every send shares (id and
extension lengths, the 90-day schedule window, a non-empty text). Server role:
the readers of a decrypted JSON object's members, refusing with a
:class:`Refusal` that names the vendor's status code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from .._checks import check_digits, check_mobiles
from .._chinatime import format_seconds, parse_dashed
from .._errors import DecodeError, EncodeError
from .._models import (
    Stamp,
)
from ._records import members
from ._section import SPEC

__all__ = ["MAX_MOBILES", "Refusal"]

MAX_MOBILES = SPEC.limit("max_mobiles")
MAX_ID = SPEC.limit("custom_sms_id_max_chars")
MAX_EXT = SPEC.limit("extended_code_max_digits")
TIMER_DAYS = SPEC.limit("timer_max_days")


class Refusal(Exception):
    """The server role's refusal: ``code`` is a status of the spec's table."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------- client role


def _ids(ids: Sequence[str | None]) -> None:
    for client_id in ids:
        if client_id is not None and (not client_id or len(client_id) > MAX_ID):
            raise EncodeError(f"customSmsId {client_id!r} must be 1 to {MAX_ID} characters")


def _ext(extension: str | None) -> str | None:
    return None if extension is None else check_digits(extension, "extendedCode", MAX_EXT)


def _timer(send_at: datetime | None, stamp: Stamp) -> str | None:
    if send_at is None:
        return None
    if not stamp.now < send_at <= stamp.now + timedelta(days=TIMER_DAYS):
        raise EncodeError(
            f"timerTime {format_seconds(send_at)} must be after the request time and "
            f"within {TIMER_DAYS} days of it"
        )
    return format_seconds(send_at)


def _content(text: str, field: str = "content") -> str:
    if not text:
        raise EncodeError(f"{field}: emay does not send an empty text")
    return text


def _numbers(mobiles: Sequence[str]) -> None:
    if mobiles:
        check_mobiles(mobiles, MAX_MOBILES, "emay")


def _common(send_at: datetime | None, extension: str | None, stamp: Stamp) -> dict[str, Any]:
    return {"timerTime": _timer(send_at, stamp), "extendedCode": _ext(extension)}


# --------------------------------------------------------------------------- server role


def _str(
    obj: dict[str, Any], key: str, *, required: bool = True, code: str = "ERROR_PARAMS"
) -> Any:
    value = obj.get(key)
    if not required and (value is None or value == ""):
        # 选填 fields: null and "" both mean not given ("如果不填，则为及时发送").
        return None
    if not isinstance(value, str):
        raise Refusal(code, f"{key} must be a string")
    return value


def _mobile(value: Any) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise Refusal("ERROR_MOBILE_ERROR", "a phone number must be ASCII digits")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list) or not value:
        raise Refusal("ERROR_MOBILE_EMPTY", f"{key} must be a non-empty array")
    if len(value) > MAX_MOBILES:
        raise Refusal("ERROR_MOBILE_NUMBER", f"{key}: more than {MAX_MOBILES} numbers")
    return value


def _cid(obj: dict[str, Any]) -> str | None:
    value: str | None = _str(obj, "customSmsId", required=False)
    if value is not None and len(value) > MAX_ID:
        raise Refusal("ERROR_CUSTOM_SMSID", f"customSmsId longer than {MAX_ID} characters")
    return value


def _sched(obj: dict[str, Any], now: datetime | None) -> tuple[datetime | None, str | None]:
    text = _str(obj, "timerTime", required=False)
    send_at = None
    if text is not None:
        try:
            send_at = parse_dashed(text)
        except DecodeError:
            raise Refusal("ERROR_SMS_TIME", "timerTime is not yyyy-MM-dd HH:mm:ss") from None
        if now is not None and not now < send_at <= now + timedelta(days=TIMER_DAYS):
            raise Refusal("ERROR_SMS_TIME", f"timerTime outside the next {TIMER_DAYS} days")
    ext = _str(obj, "extendedCode", required=False)
    if ext is not None and (not ext.isascii() or not ext.isdigit() or len(ext) > MAX_EXT):
        raise Refusal("ERROR_EXTENDED_CODE", f"extendedCode must be 1 to {MAX_EXT} digits")
    return send_at, ext


def _text(obj: dict[str, Any], key: str = "content") -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise Refusal("ERROR_CONTENT_EMPTY", f"{key} must be a non-empty string")
    return value


def _smses(obj: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return [members(item) for item in _list(obj, "smses")]
    except DecodeError:
        raise Refusal("ERROR_PARAMS", "smses must hold objects") from None


def _number(obj: dict[str, Any]) -> int | None:
    value = obj.get("number")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Refusal("ERROR_PARAMS", "number must be a positive integer")
    return value


def _variables(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Refusal("ERROR_PARAMS", "content must map variable names to strings")
    return value
