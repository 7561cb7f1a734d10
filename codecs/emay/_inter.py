"""The secure interface's document operations (§2.1.1–§2.1.15), one section each.

Each section holds what its endpoint's request JSON is (``_<name>_body``:
client role, refusing what the wire cannot carry), how the server role reads a
decrypted request (``_<name>_read``), how its answer's JSON reads and renders,
and its :func:`~._wire.inter` declaration; :data:`EXCHANGES` lists them in the
document's order. The envelope around them is :mod:`._wire`'s.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import EncodeError
from .._exchange import Exchange
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    FetchInbound,
    FetchReports,
    InboundMessage,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from .._plan import split_field
from . import _results as res
from ._account import Account
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
    ShortLinkClick,
    TemplateCreated,
    TemplateDeleted,
    TemplateState,
    TemplateVariables,
)
from ._records import decode_records, parse_mo, parse_report, render_mo, render_report
from ._requests import (
    MAX_MOBILES,
    Refusal,
    _cid,
    _common,
    _content,
    _ids,
    _list,
    _mobile,
    _number,
    _numbers,
    _sched,
    _smses,
    _str,
    _text,
    _variables,
)
from ._wire import inter

if TYPE_CHECKING:
    from ._secure import Codec

__all__ = ["EXCHANGES", "sends_single"]

Now = datetime | None
Listed = TypeVar("Listed", SendTemplate, SendShortLink)
Personal = TypeVar("Personal", SendPersonalized, SendPersonalityAll, SendTemplateVariables)


def _by_mobiles(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    return split_field(op, "mobiles", MAX_MOBILES, "client_ids")


def _by_recipients(codec: Codec, op: Listed) -> tuple[Listed, ...]:
    return split_field(op, "recipients", MAX_MOBILES)


def _by_messages(codec: Codec, op: Personal) -> tuple[Personal, ...]:
    return split_field(op, "messages", MAX_MOBILES)


def _wanted(op: object) -> dict[str, Any]:
    # The document operation with and without `number` ("默认每次请求给 500个").
    number = getattr(op, "number", None)
    return {} if number is None else {"number": number}


def _receipts(op: object, result: SendResult) -> Any:
    return res.render_receipts(result, single=False)


def _records(op: object, result: Batch[Any], kind: type[Any], write: Any) -> list[Any]:
    if result.malformed:
        raise EncodeError("emay: a batch answer cannot carry malformed records")
    if not all(isinstance(item, kind) for item in result.items):
        raise EncodeError(f"emay: {type(op).__name__} answers {kind.__name__}s")
    return [write(item) for item in result.items]


# ---- §2.1.1 发送单条短信接口


def sends_single(op: SendSms) -> bool:
    """Whether ``op`` goes to sendSingleSMS (one number; its answer is one object)."""
    return len(op.mobiles) == 1


def _single_body(op: SendSms, stamp: Stamp) -> dict[str, Any]:
    # One number: §2.1.1, which takes a customSmsId too (选填).
    _numbers(op.mobiles)
    common = _common(op.send_at, op.extension, stamp)
    single = {"mobile": op.mobiles[0], "content": _content(op.content), **common}
    if op.client_ids is not None:
        _ids(op.client_ids)
        single["customSmsId"] = op.client_ids[0]
    return single


def _single_read(obj: dict[str, Any], now: Now) -> SendSms:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    mobile = obj.get("mobile")
    cid = _cid(obj)
    return SendSms((_mobile(mobile),), content, send_at, ext, None if cid is None else (cid,))


def _single_write(op: SendSms, result: SendResult) -> Any:
    return res.render_receipts(result, single=True)


SEND_SINGLE = inter(SendSms, "send_single", _single_body, res.parse_receipts, _single_read,
                    _single_write, SendResult, split=_by_mobiles, picks=sends_single)  # fmt: skip


# ---- §2.1.2 发送批量短信接口【支持自定义 SMSID】


def _batch_body(op: SendSms, stamp: Stamp) -> dict[str, Any]:
    _numbers(op.mobiles)
    common = _common(op.send_at, op.extension, stamp)
    content = _content(op.content)
    assert op.client_ids is not None
    _ids(op.client_ids)
    smses = [
        {"mobile": m, "customSmsId": c} for m, c in zip(op.mobiles, op.client_ids, strict=True)
    ]
    return {"smses": smses, "content": content, **common}


def _batch_read(obj: dict[str, Any], now: Now) -> SendSms | SendPersonalized:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    records = _smses(obj)
    mobiles = tuple(_mobile(r.get("mobile")) for r in records)
    ids = [_cid(r) for r in records]
    given = [i for i in ids if i is not None]
    if given and len(given) < len(ids):
        # SendSms gives every number an id or none: some with ids and some
        # without is one text to numbers each with its own (possibly no) id.
        messages = [PersonalizedMessage(m, content, i) for m, i in zip(mobiles, ids, strict=True)]
        return SendPersonalized(messages, send_at, ext)
    return SendSms(mobiles, content, send_at, ext, tuple(given) if given else None)


def _sends_batch(op: SendSms) -> bool:
    # Several numbers with their ids: §2.1.2 (【支持自定义 SMSID】), else §2.1.3.
    return op.client_ids is not None


SEND_BATCH = inter(SendSms, "send_batch", _batch_body, res.parse_receipts, _batch_read,
                   _receipts, SendResult, split=_by_mobiles, picks=_sends_batch)  # fmt: skip


# ---- §2.1.3 发送批量短信接口【不支持自定义 SMSID】


def _batch_only_body(op: SendSms, stamp: Stamp) -> dict[str, Any]:
    _numbers(op.mobiles)
    common = _common(op.send_at, op.extension, stamp)
    return {"mobiles": list(op.mobiles), "content": _content(op.content), **common}


def _batch_only_read(obj: dict[str, Any], now: Now) -> SendSms:
    send_at, ext = _sched(obj, now)
    content = _text(obj)
    mobiles = tuple(_mobile(m) for m in _list(obj, "mobiles"))
    return SendSms(mobiles, content, send_at, ext)


SEND_BATCH_ONLY = inter(SendSms, "send_batch_only", _batch_only_body, res.parse_receipts,
                        _batch_only_read, _receipts, SendResult, split=_by_mobiles,
                        picks=lambda op: True)  # fmt: skip


# ---- §2.1.4 发送个性短信接口


def _personality_body(op: SendPersonalized, stamp: Stamp) -> dict[str, Any]:
    _numbers([m.mobile for m in op.messages])
    _ids([m.client_id for m in op.messages])
    smses = [
        {"mobile": m.mobile, "customSmsId": m.client_id, "content": _content(m.content)}
        for m in op.messages
    ]
    return {"smses": smses, **_common(op.send_at, op.extension, stamp)}


def _personality_read(obj: dict[str, Any], now: Now) -> SendPersonalized:
    send_at, ext = _sched(obj, now)
    messages = [
        PersonalizedMessage(_mobile(r.get("mobile")), _text(r), _cid(r)) for r in _smses(obj)
    ]
    return SendPersonalized(messages, send_at, ext)


SEND_PERSONALITY = inter(SendPersonalized, "send_personality", _personality_body,
                         res.parse_receipts, _personality_read, _receipts, SendResult,
                         split=_by_messages)  # fmt: skip


# ---- §2.1.5 发送个性短信接口【全属性个性】


def _personality_all_body(op: SendPersonalityAll, stamp: Stamp) -> dict[str, Any]:
    _numbers([m.mobile for m in op.messages])
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
    return {"smses": smses}


def _personality_all_read(obj: dict[str, Any], now: Now) -> SendPersonalityAll:
    messages = []
    for r in _smses(obj):
        send_at, ext = _sched(r, now)
        messages.append(
            PersonalityMessage(_mobile(r.get("mobile")), _text(r), _cid(r), send_at, ext)
        )
    return SendPersonalityAll(messages)


SEND_PERSONALITY_ALL = inter(SendPersonalityAll, "send_personality_all", _personality_all_body,
                             res.parse_receipts, _personality_all_read, _receipts, SendResult,
                             split=_by_messages)  # fmt: skip


# ---- §2.1.6 短信模板创建接口


CREATE_TEMPLATE = inter(CreateTemplate, "create_template",
                        lambda op, stamp: {"templateContent": op.content},
                        res.parse_template_created,
                        lambda obj, now: CreateTemplate(_text(obj, "templateContent")),
                        lambda op, result: {"templateId": result.template_id},
                        TemplateCreated)  # fmt: skip


# ---- §2.1.7 短信模板删除接口


def _deleted_write(op: DeleteTemplate, result: TemplateDeleted) -> Any:
    return {"code": "true" if result.deleted else "false", "templateId": result.template_id}


DELETE_TEMPLATE = inter(DeleteTemplate, "delete_template",
                        lambda op, stamp: {"templateId": op.template_id},
                        res.parse_template_deleted,
                        lambda obj, now: DeleteTemplate(_str(obj, "templateId")),
                        _deleted_write, TemplateDeleted)  # fmt: skip


# ---- §2.1.8 短信模板查询接口


QUERY_TEMPLATE = inter(QueryTemplate, "query_template",
                       lambda op, stamp: {"templateId": op.template_id},
                       res.parse_template_state,
                       lambda obj, now: QueryTemplate(_str(obj, "templateId")),
                       lambda op, result: {"status": result.code, "templateId": result.template_id},
                       TemplateState)  # fmt: skip


# ---- §2.1.9 发送普通模板短信接口


def _template_normal_body(op: SendTemplate, stamp: Stamp) -> dict[str, Any]:
    _numbers([r.mobile for r in op.recipients])
    _ids([r.client_id for r in op.recipients])
    smses = [{"mobile": r.mobile, "customSmsId": r.client_id} for r in op.recipients]
    return {
        "smses": smses,
        "templateId": op.template_id,
        **_common(op.send_at, op.extension, stamp),
    }


def _template_normal_read(obj: dict[str, Any], now: Now) -> SendTemplate:
    send_at, ext = _sched(obj, now)
    recipients = [Recipient(_mobile(r.get("mobile")), _cid(r)) for r in _smses(obj)]
    return SendTemplate(_str(obj, "templateId"), recipients, send_at, ext)


SEND_TEMPLATE_NORMAL = inter(SendTemplate, "send_template_normal", _template_normal_body,
                             res.parse_receipts, _template_normal_read, _receipts, SendResult,
                             split=_by_recipients)  # fmt: skip


# ---- §2.1.10 发送个性模板短信接口


def _template_variable_body(op: SendTemplateVariables, stamp: Stamp) -> dict[str, Any]:
    _numbers([m.mobile for m in op.messages])
    _ids([m.client_id for m in op.messages])
    filled = [
        {"mobile": m.mobile, "customSmsId": m.client_id, "content": dict(m.variables)}
        for m in op.messages
    ]
    return {
        "smses": filled,
        "templateId": op.template_id,
        **_common(op.send_at, op.extension, stamp),
    }


def _template_variable_read(obj: dict[str, Any], now: Now) -> SendTemplateVariables:
    send_at, ext = _sched(obj, now)
    messages = [
        TemplateVariables(_mobile(r.get("mobile")), _variables(r.get("content")), _cid(r))
        for r in _smses(obj)
    ]
    return SendTemplateVariables(_str(obj, "templateId"), messages, send_at, ext)


SEND_TEMPLATE_VARIABLE = inter(SendTemplateVariables, "send_template_variable",
                               _template_variable_body, res.parse_receipts,
                               _template_variable_read, _receipts, SendResult,
                               split=_by_messages)  # fmt: skip


# ---- §2.1.11 发送短链短信接口


def _short_link_body(op: SendShortLink, stamp: Stamp) -> dict[str, Any]:
    _numbers([r.mobile for r in op.recipients])
    _ids([r.client_id for r in op.recipients])
    smses = [{"mobile": r.mobile, "customSmsId": r.client_id} for r in op.recipients]
    return {
        "url": op.url,
        "shortLinkRule": str(op.rule),
        "smses": smses,
        "content": op.content,
        **_common(op.send_at, op.extension, stamp),
    }


def _short_link_read(obj: dict[str, Any], now: Now) -> SendShortLink:
    send_at, ext = _sched(obj, now)
    recipients = [Recipient(_mobile(r.get("mobile")), _cid(r)) for r in _smses(obj)]
    rule = obj.get("shortLinkRule")
    if rule not in ("1", "2", 1, 2) or isinstance(rule, bool):
        raise Refusal("ERROR_PARAMS", "shortLinkRule must be 1 or 2")
    return SendShortLink(_text(obj), _str(obj, "url"), recipients, int(rule), send_at, ext)


SEND_SHORT_LINK = inter(SendShortLink, "send_short_link", _short_link_body, res.parse_receipts,
                        _short_link_read, _receipts, SendResult,
                        split=_by_recipients)  # fmt: skip


# ---- §2.1.12 获取状态报告接口


def _reports_body(op: FetchReports | FetchReportsUpTo, stamp: Stamp) -> dict[str, Any]:
    return _wanted(op)


def _reports_read(obj: dict[str, Any], now: Now) -> FetchReports | FetchReportsUpTo:
    number = _number(obj)
    return FetchReports() if number is None else FetchReportsUpTo(number)


REPORTS = inter(FetchReports, "reports", _reports_body,
                lambda value, raw: decode_records(value, raw, parse_report), _reports_read,
                lambda op, result: _records(op, result, DeliveryReport, render_report),
                Batch, also=(FetchReportsUpTo,))  # fmt: skip


# ---- §2.1.13 获取上行接口


def _inbound_body(op: FetchInbound | FetchInboundUpTo, stamp: Stamp) -> dict[str, Any]:
    if getattr(op, "since", None) is not None:
        raise EncodeError("emay getMo cannot ask for replies since a time (since=…)")
    return _wanted(op)


def _inbound_read(obj: dict[str, Any], now: Now) -> FetchInbound | FetchInboundUpTo:
    number = _number(obj)
    return FetchInbound() if number is None else FetchInboundUpTo(number)


INBOUND = inter(FetchInbound, "inbound", _inbound_body,
                lambda value, raw: decode_records(value, raw, parse_mo), _inbound_read,
                lambda op, result: _records(op, result, InboundMessage, render_mo),
                Batch, also=(FetchInboundUpTo,))  # fmt: skip


# ---- §2.1.14 获取短链点击明细接口


SHORT_LINK_CLICKS = inter(FetchShortLinkClicks, "short_link_clicks", lambda op, stamp: _wanted(op),
                          lambda value, raw: decode_records(value, raw, res.parse_click),
                          lambda obj, now: FetchShortLinkClicks(_number(obj)),
                          lambda op, result: _records(op, result, ShortLinkClick,
                                                      res.render_click),
                          Batch)  # fmt: skip


# ---- §2.1.15 获取余额接口


BALANCE = inter(QueryBalance, "balance", lambda op, stamp: {}, res.parse_balance,
                lambda obj, now: QueryBalance(), lambda op, result: res.render_balance(result),
                Balance)  # fmt: skip


#: The fifteen ``/inter/`` exchanges in the document's order (§2.1.1–§2.1.15).
EXCHANGES: tuple[Exchange[Codec, Account, Any, Any], ...] = (
    SEND_SINGLE,
    SEND_BATCH,
    SEND_BATCH_ONLY,
    SEND_PERSONALITY,
    SEND_PERSONALITY_ALL,
    CREATE_TEMPLATE,
    DELETE_TEMPLATE,
    QUERY_TEMPLATE,
    SEND_TEMPLATE_NORMAL,
    SEND_TEMPLATE_VARIABLE,
    SEND_SHORT_LINK,
    REPORTS,
    INBOUND,
    SHORT_LINK_CLICKS,
    BALANCE,
)
