"""Secure-interface request payloads, both ways.

``payload(op, stamp)`` is the client role: the endpoint and the JSON object an
operation becomes, after the encode-time limits (numbers per request, id and
extension lengths, the 90-day schedule window). ``operation(endpoint, obj)`` is
the server role: the operation a decrypted JSON object asks for, or a
:class:`Refusal` naming the vendor's status code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from .._checks import check_digits, check_mobiles
from .._chinatime import format_seconds, parse_dashed
from .._codec import unsupported
from .._errors import DecodeError, EncodeError
from .._models import (
    FetchInbound,
    FetchReports,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
)
from ._ops import (
    CreateTemplate,
    DeleteTemplate,
    FetchInboundUpTo,
    FetchReportsUpTo,
    FetchShortLinkClicks,
    PersonalityMessage,
    QueryTemplate,
    Recipient,
    SendPersonalityAll,
    SendShortLink,
    SendTemplate,
    SendTemplateVariables,
    TemplateVariables,
)
from ._records import members
from ._section import SPEC

__all__ = ["Refusal", "operation", "payload", "route", "sized"]

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


def _common(send_at: datetime | None, extension: str | None, stamp: Stamp) -> dict[str, Any]:
    return {"timerTime": _timer(send_at, stamp), "extendedCode": _ext(extension)}


def sized(op: Operation[Any]) -> int:
    """How many numbers ``op`` addresses (what the 500-per-request limit counts)."""
    if isinstance(op, SendSms):
        return len(op.mobiles)
    if isinstance(op, SendPersonalized | SendPersonalityAll | SendTemplateVariables):
        return len(op.messages)
    if isinstance(op, SendTemplate | SendShortLink):
        return len(op.recipients)
    return 0


def _sms_endpoint(op: SendSms) -> str:
    # One number: §2.1.1, which takes a customSmsId too (选填). Several: §2.1.2 when
    # they carry ids (【支持自定义 SMSID】), else §2.1.3.
    if len(op.mobiles) == 1:
        return "send_single"
    return "send_batch" if op.client_ids is not None else "send_batch_only"


def route(op: Operation[Any]) -> str | None:
    """The name of the endpoint a send goes to (``None`` for other operations)."""
    if isinstance(op, SendSms):
        return _sms_endpoint(op)
    names: dict[type[Operation[Any]], str] = {
        SendPersonalized: "send_personality",
        SendPersonalityAll: "send_personality_all",
        SendTemplate: "send_template_normal",
        SendTemplateVariables: "send_template_variable",
        SendShortLink: "send_short_link",
    }
    return next((name for kind, name in names.items() if isinstance(op, kind)), None)


def _send_sms(op: SendSms, stamp: Stamp) -> tuple[str, dict[str, Any]]:
    common = _common(op.send_at, op.extension, stamp)
    content = _content(op.content)
    endpoint = _sms_endpoint(op)
    if op.client_ids is not None:
        _ids(op.client_ids)
    if endpoint == "send_single":
        single = {"mobile": op.mobiles[0], "content": content, **common}
        if op.client_ids is not None:
            single["customSmsId"] = op.client_ids[0]
        return endpoint, single
    if endpoint == "send_batch":
        assert op.client_ids is not None
        smses = [
            {"mobile": m, "customSmsId": c} for m, c in zip(op.mobiles, op.client_ids, strict=True)
        ]
        return endpoint, {"smses": smses, "content": content, **common}
    return endpoint, {"mobiles": list(op.mobiles), "content": content, **common}


def _body(op: Operation[Any], stamp: Stamp) -> tuple[str, dict[str, Any]]:
    if isinstance(op, SendSms):
        return _send_sms(op, stamp)
    if isinstance(op, SendPersonalized):
        _ids([m.client_id for m in op.messages])
        smses = [
            {"mobile": m.mobile, "customSmsId": m.client_id, "content": _content(m.content)}
            for m in op.messages
        ]
        return "send_personality", {"smses": smses, **_common(op.send_at, op.extension, stamp)}
    if isinstance(op, SendPersonalityAll):
        _ids([m.client_id for m in op.messages])
        smses = [
            {
                "mobile": m.mobile,
                "customSmsId": m.client_id,
                "content": _content(m.content),
                **_common(m.send_at, m.extension, stamp),
            }
            for m in op.messages
        ]
        return "send_personality_all", {"smses": smses}
    if isinstance(op, SendTemplate):
        _ids([r.client_id for r in op.recipients])
        smses = [{"mobile": r.mobile, "customSmsId": r.client_id} for r in op.recipients]
        return "send_template_normal", {
            "smses": smses,
            "templateId": op.template_id,
            **_common(op.send_at, op.extension, stamp),
        }
    if isinstance(op, SendTemplateVariables):
        _ids([m.client_id for m in op.messages])
        filled = [
            {"mobile": m.mobile, "customSmsId": m.client_id, "content": dict(m.variables)}
            for m in op.messages
        ]
        return "send_template_variable", {
            "smses": filled,
            "templateId": op.template_id,
            **_common(op.send_at, op.extension, stamp),
        }
    if isinstance(op, SendShortLink):
        _ids([r.client_id for r in op.recipients])
        smses = [{"mobile": r.mobile, "customSmsId": r.client_id} for r in op.recipients]
        return "send_short_link", {
            "url": op.url,
            "shortLinkRule": str(op.rule),
            "smses": smses,
            "content": op.content,
            **_common(op.send_at, op.extension, stamp),
        }
    return _plain(op)


def _plain(op: Operation[Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(op, CreateTemplate):
        return "create_template", {"templateContent": op.content}
    if isinstance(op, DeleteTemplate):
        return "delete_template", {"templateId": op.template_id}
    if isinstance(op, QueryTemplate):
        return "query_template", {"templateId": op.template_id}
    if isinstance(op, FetchReports):
        return "reports", {}
    if isinstance(op, FetchReportsUpTo):
        return "reports", {"number": op.number}
    if isinstance(op, FetchInbound):
        if op.since is not None:
            raise EncodeError("emay getMo cannot ask for replies since a time (since=…)")
        return "inbound", {}
    if isinstance(op, FetchInboundUpTo):
        return "inbound", {"number": op.number}
    if isinstance(op, FetchShortLinkClicks):
        return "short_link_clicks", {} if op.number is None else {"number": op.number}
    if isinstance(op, QueryBalance):
        return "balance", {}
    raise unsupported("emay", op)


def payload(op: Operation[Any], stamp: Stamp) -> tuple[str, dict[str, Any]]:
    """The endpoint name and JSON object (without the request time) that perform ``op``."""
    count = sized(op)
    if count:
        mobiles: list[str] = []
        if isinstance(op, SendSms):
            mobiles = list(op.mobiles)
        elif isinstance(op, SendTemplate | SendShortLink):
            mobiles = [r.mobile for r in op.recipients]
        elif isinstance(op, SendPersonalized | SendPersonalityAll | SendTemplateVariables):
            mobiles = [m.mobile for m in op.messages]
        check_mobiles(mobiles, MAX_MOBILES, "emay")
    return _body(op, stamp)


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


def _sms(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    mobile = obj.get("mobile")
    cid = _cid(obj)
    return SendSms((_mobile(mobile),), content, send_at, ext, None if cid is None else (cid,))


def _batch(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    records = _smses(obj)
    mobiles = tuple(_mobile(r.get("mobile")) for r in records)
    ids = [_cid(r) for r in records]
    if None in ids and any(i is not None for i in ids):
        # SendSms gives every number an id or none: some with ids and some
        # without is one text to numbers each with its own (possibly no) id.
        messages = [PersonalizedMessage(m, content, i) for m, i in zip(mobiles, ids, strict=True)]
        return SendPersonalized(messages, send_at, ext)
    client_ids = None if ids[0] is None else cast("tuple[str, ...]", tuple(ids))
    return SendSms(mobiles, content, send_at, ext, client_ids)


def _batch_only(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    mobiles = tuple(_mobile(m) for m in _list(obj, "mobiles"))
    return SendSms(mobiles, content, send_at, ext)


def _personality(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    messages = [
        PersonalizedMessage(_mobile(r.get("mobile")), _text(r), _cid(r)) for r in _smses(obj)
    ]
    return SendPersonalized(messages, send_at, ext)


def _personality_all(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    messages = []
    for r in _smses(obj):
        send_at, ext = _sched(r, now)
        messages.append(
            PersonalityMessage(_mobile(r.get("mobile")), _text(r), _cid(r), send_at, ext)
        )
    return SendPersonalityAll(messages)


def _template_normal(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    recipients = [Recipient(_mobile(r.get("mobile")), _cid(r)) for r in _smses(obj)]
    return SendTemplate(_str(obj, "templateId"), recipients, send_at, ext)


def _template_variable(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    messages = [
        TemplateVariables(_mobile(r.get("mobile")), _variables(r.get("content")), _cid(r))
        for r in _smses(obj)
    ]
    return SendTemplateVariables(_str(obj, "templateId"), messages, send_at, ext)


def _short_link(obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    send_at, ext = _sched(obj, now)
    recipients = [Recipient(_mobile(r.get("mobile")), _cid(r)) for r in _smses(obj)]
    rule = obj.get("shortLinkRule")
    if rule not in ("1", "2", 1, 2) or isinstance(rule, bool):
        raise Refusal("ERROR_PARAMS", "shortLinkRule must be 1 or 2")
    return SendShortLink(_text(obj), _str(obj, "url"), recipients, int(rule), send_at, ext)


def _reports(obj: dict[str, Any], _now: datetime | None) -> Operation[Any]:
    number = _number(obj)
    return FetchReports() if number is None else FetchReportsUpTo(number)


def _inbound(obj: dict[str, Any], _now: datetime | None) -> Operation[Any]:
    number = _number(obj)
    return FetchInbound() if number is None else FetchInboundUpTo(number)


_READERS: dict[str, Callable[[dict[str, Any], datetime | None], Operation[Any]]] = {
    "send_single": _sms,
    "send_batch": _batch,
    "send_batch_only": _batch_only,
    "send_personality": _personality,
    "send_personality_all": _personality_all,
    "create_template": lambda o, _n: CreateTemplate(_text(o, "templateContent")),
    "delete_template": lambda o, _n: DeleteTemplate(_str(o, "templateId")),
    "query_template": lambda o, _n: QueryTemplate(_str(o, "templateId")),
    "send_template_normal": _template_normal,
    "send_template_variable": _template_variable,
    "send_short_link": _short_link,
    "reports": _reports,
    "inbound": _inbound,
    "short_link_clicks": lambda o, _n: FetchShortLinkClicks(_number(o)),
    "balance": lambda _o, _n: QueryBalance(),
}


def operation(endpoint: str, obj: dict[str, Any], now: datetime | None) -> Operation[Any]:
    """Server role: the operation ``obj`` asks ``endpoint`` for (``now`` checks schedules)."""
    try:
        return _READERS[endpoint](obj, now)
    except EncodeError as exc:
        # The operation models refuse what the document does not allow either.
        raise Refusal("ERROR_PARAMS", str(exc)) from None
