"""Emay's plain ``/simpleinter/`` interface (§2.2), ``retrieveReport`` (§2.4), plain pushes.

One section per document operation (§2.2.1–§2.2.5), in the document's order,
then the codec, whose exchanges are those five and §2.4's.

Requests are UTF-8 form posts signed with ``appId``, ``timestamp``
(``yyyyMMddHHmmss``, China time, from the stamp) and ``sign =
md5(appId + secretKey + timestamp)``; answers are JSON ``{"code": …, "data":
…}`` where ``code`` is ``SUCCESS`` or an ``ERROR_…`` of the status table
(→ :class:`GatewayError`).

==========================  ===========================================
operation                   wire
==========================  ===========================================
:class:`SendSms`            ``sendSMS``: ``mobiles`` (comma-separated), ``content``
:class:`SendPersonalized`   ``sendPersonalitySMS``: ``<number>=<text>`` per message
:class:`FetchReports`       ``getReport`` (no ``number``: "默认 500个")
:class:`FetchReportsUpTo`   ``getReport`` with ``number`` (at most 500)
:class:`FetchInbound`       ``getMo`` (no ``number``)
:class:`FetchInboundUpTo`   ``getMo`` with ``number`` (at most 500)
:class:`QueryBalance`       ``getBalance``
:class:`RetrieveReport`     ``/report/retrieveReport``; answer ``SUCCESS`` or a code
==========================  ===========================================

``timerTime`` is 14 digits here (the secure interface writes it dashed) and,
as there, within the next 90 days ("定时时间在 90天之内");
``extendedCode`` is the operation's ``extension``; ``customSmsId`` is one
value per request (quirk ``simple-custom-sms-id-single``).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypeVar

import attrs

from .._checks import check_mobiles, render_message_count
from .._codec import Lookup
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange, ExchangeCodec, Exchanges
from .._http import HttpRequest, HttpResponse
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
    SendSms,
    Stamp,
)
from .._query import QueryParams
from .._spec import Spec
from .._traits import WireTraits
from . import _push
from ._account import Account
from ._ops import FetchInboundUpTo, FetchReportsUpTo
from ._plain import (
    _EP,
    _MAX_MOBILES,
    _MAX_PERSONAL,
    _METHODS,
    _answer,
    _balance,
    _by_messages,
    _by_numbers,
    _check_content,
    _check_extension,
    _data,
    _fetch,
    _is_number,
    _items,
    _json,
    _one_client_id,
    _options,
    _param,
    _read_number,
    _receipts,
    _sent,
    _server_options,
    _signed,
)
from ._records import decode_records, parse_mo, parse_report, render_mo, render_report
from ._retrieve import RETRIEVE, form_request, signed_pairs
from ._section import SPEC

R = TypeVar("R")

# ---- §2.2.1 发送短信接口 (sendSMS)


def _send_request(codec: SimpleCodec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
    check_mobiles(op.mobiles, _MAX_MOBILES, "emay")
    _check_content(op.content, "content")
    _check_extension(op.extension)
    client_id = _one_client_id(list(op.client_ids or (None,)))
    pairs = signed_pairs(account, stamp)
    pairs += [("mobiles", ",".join(op.mobiles)), ("content", op.content)]
    return form_request(_EP["send"], pairs + _options(op, client_id, stamp))


def _send_read(
    codec: SimpleCodec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[SendSms | SendPersonalized, Account]:
    params, account = _signed(request, lookup)
    now = None if stamp is None else stamp.now
    if params.raw("mobiles") is None and any(map(_is_number, params.names())):
        # Quirk personality-example-path: the document posts personal texts to sendSMS.
        return _personality_read_params(params, now), account
    return _send_read_params(params, now), account


def _send_read_params(params: QueryParams, now: datetime | None) -> SendSms:
    listed = _param(params, "mobiles") or ""
    mobiles = tuple(m.strip() for m in listed.split(",") if m.strip())
    if not mobiles:
        raise SPEC.error("ERROR_MOBILE_EMPTY")
    if len(mobiles) > _MAX_MOBILES:
        raise SPEC.error("ERROR_MOBILE_NUMBER")
    if not all(map(_is_number, mobiles)):
        raise SPEC.error("ERROR_MOBILE_ERROR")
    content = _param(params, "content")
    if content is None:
        raise SPEC.error("ERROR_CONTENT_EMPTY")
    options = _server_options(params, now)
    client_id = options.pop("client_id")
    client_ids = None if client_id is None else (client_id,) * len(mobiles)
    return SendSms(mobiles, content, client_ids=client_ids, **options)


SEND = Exchange(SendSms, _EP["send"], _METHODS, _send_request, _sent, _send_read, _receipts,
                None, _by_numbers)  # fmt: skip


# ---- §2.2.2 发送个性短信接口 (sendPersonalitySMS)


def _personality_request(
    codec: SimpleCodec, op: SendPersonalized, account: Account, stamp: Stamp
) -> HttpRequest:
    return form_request(_EP["send_personality"], _personality_pairs(op, account, stamp))


def _personality_pairs(
    op: SendPersonalized, account: Account, stamp: Stamp
) -> list[tuple[str, str]]:
    mobiles = [m.mobile for m in op.messages]
    check_mobiles(mobiles, _MAX_PERSONAL, "emay")
    if len(set(mobiles)) != len(mobiles):
        raise EncodeError(
            "messages: a number may appear once per sendPersonalitySMS "
            "(the number is the parameter name)"
        )
    for message in op.messages:
        _check_content(message.content, f"content for {message.mobile}")
    _check_extension(op.extension)
    client_id = _one_client_id([m.client_id for m in op.messages])
    numbered = [(m.mobile, m.content) for m in op.messages]
    return signed_pairs(account, stamp) + _options(op, client_id, stamp) + numbered


def _personality_read(
    codec: SimpleCodec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[SendPersonalized, Account]:
    params, account = _signed(request, lookup)
    return _personality_read_params(params, None if stamp is None else stamp.now), account


def _personality_read_params(params: QueryParams, now: datetime | None) -> SendPersonalized:
    numbers = [name for name in params.names() if _is_number(name)]
    if not numbers:
        raise SPEC.error("ERROR_MOBILE_EMPTY")
    if len(numbers) > _MAX_PERSONAL:
        raise SPEC.error("ERROR_MOBILE_NUMBER")
    options = _server_options(params, now)
    client_id = options.pop("client_id")
    try:
        pairs = params.items_text()
    except DecodeError:
        raise SPEC.error("ERROR_PARAMS", detail="a parameter is not UTF-8") from None
    messages = []
    for mobile, text in pairs:
        if not _is_number(mobile):
            continue
        if not text:
            raise SPEC.error("ERROR_CONTENT_EMPTY")
        messages.append(PersonalizedMessage(mobile, text, client_id))
    return SendPersonalized(tuple(messages), **options)


SEND_PERSONALITY = Exchange(SendPersonalized, _EP["send_personality"], _METHODS,
                            _personality_request, _sent, _personality_read, _receipts, None,
                            _by_messages)  # fmt: skip


# ---- §2.2.3 获取状态报告接口 (getReport)


def _report_request(
    codec: SimpleCodec, op: FetchReports | FetchReportsUpTo, account: Account, stamp: Stamp
) -> HttpRequest:
    return _fetch(_EP["reports"], getattr(op, "number", None), account, stamp)


def _report_answer(
    codec: SimpleCodec, op: object, response: HttpResponse, account: Account
) -> Batch[DeliveryReport]:
    return decode_records(_answer(response), response.body, parse_report)


def _report_read(
    codec: SimpleCodec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[FetchReports | FetchReportsUpTo, Account]:
    params, account = _signed(request, lookup)
    number = _read_number(params)
    return (FetchReports() if number is None else FetchReportsUpTo(number)), account


def _report_write(
    codec: SimpleCodec, op: object, result: Batch[DeliveryReport], account: Account
) -> HttpResponse:
    return _data([render_report(r) for r in _items(result, DeliveryReport)])


REPORTS = Exchange(FetchReports, _EP["reports"], _METHODS, _report_request, _report_answer,
                   _report_read, _report_write, also=(FetchReportsUpTo,))  # fmt: skip


# ---- §2.2.4 获取上行接口 (getMo)


def _mo_request(
    codec: SimpleCodec, op: FetchInbound | FetchInboundUpTo, account: Account, stamp: Stamp
) -> HttpRequest:
    if getattr(op, "since", None) is not None:
        raise EncodeError("emay getMo cannot fetch replies since a time")
    return _fetch(_EP["inbound"], getattr(op, "number", None), account, stamp)


def _mo_answer(
    codec: SimpleCodec, op: object, response: HttpResponse, account: Account
) -> Batch[InboundMessage]:
    return decode_records(_answer(response), response.body, parse_mo)


def _mo_read(
    codec: SimpleCodec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[FetchInbound | FetchInboundUpTo, Account]:
    params, account = _signed(request, lookup)
    number = _read_number(params)
    return (FetchInbound() if number is None else FetchInboundUpTo(number)), account


def _mo_write(
    codec: SimpleCodec, op: object, result: Batch[InboundMessage], account: Account
) -> HttpResponse:
    return _data([render_mo(m) for m in _items(result, InboundMessage)])


INBOUND = Exchange(FetchInbound, _EP["inbound"], _METHODS, _mo_request, _mo_answer, _mo_read,
                   _mo_write, also=(FetchInboundUpTo,))  # fmt: skip


# ---- §2.2.5 获取余额接口 (getBalance)


def _balance_request(
    codec: SimpleCodec, op: QueryBalance, account: Account, stamp: Stamp
) -> HttpRequest:
    return form_request(_EP["balance"], signed_pairs(account, stamp))


def _balance_answer(
    codec: SimpleCodec, op: QueryBalance, response: HttpResponse, account: Account
) -> Balance:
    return _balance(response)


def _balance_read(
    codec: SimpleCodec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QueryBalance, Account]:
    return QueryBalance(), _signed(request, lookup)[1]


def _balance_write(
    codec: SimpleCodec, op: QueryBalance, result: Balance, account: Account
) -> HttpResponse:
    return _data({"balance": int(render_message_count(result, "emay-simple"))})


BALANCE = Exchange(QueryBalance, _EP["balance"], _METHODS, _balance_request, _balance_answer,
                   _balance_read, _balance_write)  # fmt: skip


# --------------------------------------------------------------------------- the codec


_EXCHANGES: Exchanges[SimpleCodec, Account] = Exchanges(
    "emay-simple", (SEND, SEND_PERSONALITY, REPORTS, INBOUND, BALANCE, RETRIEVE)
)


@attrs.frozen
class SimpleCodec(ExchangeCodec[Account]):
    """The Emay simple-interface codec (registry name ``"emay-simple"``); it has no options.

    Sends of more than 500 numbers and retrievals of more than 1000 smsIds are
    split by ``plan``. Besides the client and server roles it is the plain-push
    codec (§2.3.2): ``decode_push``/``push_ack`` for the customer,
    ``encode_push``/``decode_push_ack`` for the gateway.
    """

    vendor: ClassVar[str] = SPEC.vendor
    exchanges: ClassVar[Exchanges[SimpleCodec, Account]] = _EXCHANGES
    secrets: ClassVar[frozenset[str]] = frozenset({"sign"})
    traits: ClassVar[WireTraits] = attrs.evolve(_push.TRAITS, paths=frozenset(_EP.values()))
    spec: ClassVar[Spec] = SPEC

    def refuse(self, error: GatewayError) -> HttpResponse:
        """A refusal: ``{"code": …}`` (``retrieveReport``'s is its bare code)."""
        return _json({"code": error.code})

    # ---------------------------------------------------------------- plain pushes (§2.3.2)

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[_push.PushItem]:
        """Receiver: the reports (``reports=``) and replies (``mos=``) of a plain push.

        The account is looked up by the ``appId`` header.
        """
        return _push.decode_push(request, _push.push_account(request, lookup), encrypted=False)

    @staticmethod
    def push_credential(request: HttpRequest) -> str | None:
        """Receiver: the push's ``appId`` header, to look the account up by (§2.3)."""
        return _push.push_credential(request)

    def push_ack(self) -> HttpResponse:
        """Receiver: the body ``success``."""
        return _push.push_ack()

    def encode_push(
        self, batch: Batch[_push.PushItem], account: Account
    ) -> tuple[HttpRequest, ...]:
        """Gateway: a ``reports=`` push and/or a ``mos=`` push."""
        return _push.encode_push(batch, account, encrypted=False)

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Gateway: whether the customer answered ``success``."""
        return _push.decode_push_ack(response)
