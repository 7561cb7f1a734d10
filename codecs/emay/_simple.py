"""Emay's plain ``/simpleinter/`` interface (§2.2), ``retrieveReport`` (§2.4), plain pushes.

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

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar, cast

import attrs

from .._checks import check_digits, check_mobiles, render_message_count
from .._chinatime import format_compact, parse_compact
from .._codec import Lookup, unsupported
from .._errors import DecodeError, EncodeError, GatewayError
from .._http import HttpRequest, HttpResponse
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from .._plan import split_field
from .._query import QueryParams, encode_text
from .._spec import Spec
from .._traits import WireTraits
from . import _push, _retrieve
from ._account import Account
from ._envelope import dumps
from ._ops import FetchInboundUpTo, FetchReportsUpTo
from ._records import (
    decode_records,
    parse_mo,
    parse_receipt,
    parse_report,
    render_mo,
    render_receipt,
    render_report,
)
from ._results import read_message_count
from ._retrieve import RetrieveReport, form_request, read_params, signed_pairs, verify
from ._section import SPEC

__all__ = ["SimpleCodec"]

R = TypeVar("R")


_EP: dict[str, str] = dict(SPEC.section.simple_endpoints)
_LIMITS = SPEC.section.simple_limits
_MAX_MOBILES: int = _LIMITS["max_mobiles"]
_MAX_PERSONAL: int = _LIMITS["max_personality_mobiles"]
_MAX_CUSTOM_ID: int = _LIMITS["custom_sms_id_max_chars"]
_MAX_EXTENSION: int = _LIMITS["extended_code_max_digits"]
_FETCH_NUMBER: int = _LIMITS["fetch_number"]
_TIMER_DAYS = timedelta(days=SPEC.limit("timer_max_days"))
_SUCCESS = SPEC.ok.code
_JSON = (("Content-Type", "application/json; charset=UTF-8"),)
_PATHS: dict[str, str] = {path: kind for kind, path in _EP.items() if kind != "retrieve_report"}


# --------------------------------------------------------------------------- client checks


def _check_extension(extension: str | None) -> None:
    if extension is not None:
        check_digits(extension, "extension (extendedCode)", _MAX_EXTENSION)


def _one_client_id(ids: list[str | None]) -> str | None:
    """The request's single ``customSmsId``: every number must share it (or none has one)."""
    distinct = set(ids)
    if len(distinct) > 1:
        raise EncodeError(
            "client_ids: the emay simple interface carries one customSmsId per request; "
            "give every number the same id or send separately"
        )
    value = distinct.pop() if distinct else None
    if value is not None:
        if not value or len(value) > _MAX_CUSTOM_ID:
            raise EncodeError(f"client_ids: a customSmsId is 1 to {_MAX_CUSTOM_ID} characters")
        encode_text(value, "utf-8", "client_ids")
    return value


def _check_content(content: str, field: str) -> None:
    if not content:
        raise EncodeError(f"{field}: emay does not send an empty text")
    encode_text(content, "utf-8", field)


def _in_window(send_at: datetime, now: datetime) -> bool:
    return now < send_at <= now + _TIMER_DAYS


def _options(
    op: SendSms | SendPersonalized, client_id: str | None, stamp: Stamp
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if op.extension is not None:
        pairs.append(("extendedCode", op.extension))
    if op.send_at is not None:
        if not _in_window(op.send_at, stamp.now):
            raise EncodeError(
                f"send_at: timerTime must be after the request time and within "
                f"{_TIMER_DAYS.days} days of it (定时时间在 90天之内)"
            )
        pairs.append(("timerTime", format_compact(op.send_at)))
    if client_id is not None:
        pairs.append(("customSmsId", client_id))
    return pairs


# --------------------------------------------------------------------------- answers


def _answer(response: HttpResponse) -> Any:
    """The ``data`` of a ``SUCCESS`` answer; an error code raises :class:`GatewayError`."""
    if response.status != 200:
        raise DecodeError(f"emay answered HTTP {response.status}", response.body)
    document = _push.loads_lenient(response.body, response.body)
    if not isinstance(document, dict):
        raise DecodeError("emay answer is not a JSON object", response.body)
    members = {key.strip(): value for key, value in document.items()}
    code = members.get("code")
    if not isinstance(code, str) or not code:
        raise DecodeError("emay answer without a 'code'", response.body)
    if code != _SUCCESS:
        raise SPEC.error(code, raw=response.body)
    if "data" not in members and "balance" in members:
        # Quirk simple-fields-beside-code: the table puts balance beside code.
        return {"balance": members["balance"]}
    return members.get("data")


def _send_result(response: HttpResponse) -> SendResult:
    data = _answer(response)
    if data is None:
        return SendResult()
    if not isinstance(data, list):
        raise DecodeError("emay send answer: data is not a JSON array", response.body)
    try:
        return SendResult(tuple(parse_receipt(e) for e in data))
    except DecodeError as exc:
        # Receipts are no destructive read: a broken one spoils the whole answer.
        raise DecodeError(f"emay send answer: {exc.message}", response.body) from None


def _balance(response: HttpResponse) -> Balance:
    data = _answer(response)
    value = data.get("balance") if isinstance(data, dict) else None
    return read_message_count(value, response.body)


def _json(document: dict[str, Any]) -> HttpResponse:
    return HttpResponse(200, _JSON, dumps(document, "utf-8"))


# --------------------------------------------------------------------------- server checks


def _param(params: QueryParams, name: str) -> str | None:
    try:
        value = params.text(name)
    except DecodeError:
        raise SPEC.error("ERROR_PARAMS", detail=f"{name} is not UTF-8") from None
    return value or None


def _server_options(params: QueryParams, now: datetime | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    timer = _param(params, "timerTime")
    if timer is not None:
        try:
            options["send_at"] = parse_compact(timer)
        except DecodeError:
            raise SPEC.error("ERROR_SMS_TIME") from None
        if now is not None and not _in_window(options["send_at"], now):
            raise SPEC.error("ERROR_SMS_TIME", detail="timerTime outside the next 90 days")
    extension = _param(params, "extendedCode")
    if extension is not None:
        if not (extension.isascii() and extension.isdigit()) or len(extension) > _MAX_EXTENSION:
            raise SPEC.error("ERROR_EXTENDED_CODE")
        options["extension"] = extension
    custom = _param(params, "customSmsId")
    if custom is not None and len(custom) > _MAX_CUSTOM_ID:
        raise SPEC.error("ERROR_CUSTOM_SMSID")
    options["client_id"] = custom
    return options


def _is_number(name: str) -> bool:
    return name.isascii() and name.isdigit()


def _read_number(params: QueryParams) -> int | None:
    """getReport/getMo ``number`` ("最多 500个，默认 500个"); ``None`` when not given."""
    number = _param(params, "number")
    if number is not None and not (
        number.isascii()
        and number.isdigit()
        and len(number) <= len(str(_FETCH_NUMBER))
        and 1 <= int(number) <= _FETCH_NUMBER
    ):
        raise SPEC.error("ERROR_PARAMS", detail=f"number must be 1 to {_FETCH_NUMBER}")
    return None if number is None else int(number)


def _fetch(path: str, number: int | None, account: Account, stamp: Stamp) -> HttpRequest:
    pairs = signed_pairs(account, stamp)
    if number is not None:
        if number > _FETCH_NUMBER:
            raise EncodeError(f"number: the simple interface hands out at most {_FETCH_NUMBER}")
        pairs.append(("number", str(number)))
    return form_request(path, pairs)


# --------------------------------------------------------------------------- the codec


@attrs.frozen
class SimpleCodec:
    """The Emay simple-interface codec (registry name ``"emay-simple"``); it has no options.

    Besides the client and server roles it is the plain-push codec (§2.3.2):
    ``decode_push``/``push_ack`` for the customer, ``encode_push``/
    ``decode_push_ack`` for the gateway.
    """

    vendor: ClassVar[str] = SPEC.vendor
    secrets: ClassVar[frozenset[str]] = frozenset({"sign"})
    traits: ClassVar[WireTraits] = attrs.evolve(_push.TRAITS, paths=frozenset(_EP.values()))
    spec: ClassVar[Spec] = SPEC

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The simple interface's operations and §2.4's ``retrieveReport``."""
        return (
            SendSms,
            SendPersonalized,
            FetchReports,
            FetchReportsUpTo,
            FetchInbound,
            FetchInboundUpTo,
            QueryBalance,
            RetrieveReport,
        )

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split sends of more than 500 numbers and retrievals of more than 1000 smsIds."""
        parts: tuple[Any, ...] = (op,)
        if isinstance(op, SendSms):
            parts = split_field(op, "mobiles", _MAX_MOBILES, "client_ids")
        elif isinstance(op, SendPersonalized):
            parts = split_field(op, "messages", _MAX_PERSONAL)
        elif isinstance(op, RetrieveReport):
            parts = _retrieve.plan(op)
        return cast(tuple[Operation[R], ...], parts)

    # ---------------------------------------------------------------- client role

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The signed form POST performing ``op``; ``timestamp`` comes from ``stamp``."""
        if isinstance(op, SendSms):
            check_mobiles(op.mobiles, _MAX_MOBILES, "emay")
            _check_content(op.content, "content")
            _check_extension(op.extension)
            client_id = _one_client_id(list(op.client_ids or (None,)))
            pairs = signed_pairs(account, stamp)
            pairs += [("mobiles", ",".join(op.mobiles)), ("content", op.content)]
            return form_request(_EP["send"], pairs + _options(op, client_id, stamp))
        if isinstance(op, SendPersonalized):
            return form_request(_EP["send_personality"], self._personalized(op, account, stamp))
        if isinstance(op, FetchReports | FetchReportsUpTo):
            return _fetch(_EP["reports"], getattr(op, "number", None), account, stamp)
        if isinstance(op, FetchInbound) and op.since is not None:
            raise EncodeError("emay getMo cannot fetch replies since a time")
        if isinstance(op, FetchInbound | FetchInboundUpTo):
            return _fetch(_EP["inbound"], getattr(op, "number", None), account, stamp)
        if isinstance(op, QueryBalance):
            return form_request(_EP["balance"], signed_pairs(account, stamp))
        if isinstance(op, RetrieveReport):
            return _retrieve.encode_request(op, account, stamp)
        raise unsupported("emay-simple", op)

    def _personalized(
        self, op: SendPersonalized, account: Account, stamp: Stamp
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

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; an ``ERROR_…`` code raises :class:`GatewayError`."""
        result: Any
        if isinstance(op, (SendSms, SendPersonalized)):
            result = _send_result(response)
        elif isinstance(op, FetchReports | FetchReportsUpTo):
            result = decode_records(_answer(response), response.body, parse_report)
        elif isinstance(op, FetchInbound | FetchInboundUpTo):
            result = decode_records(_answer(response), response.body, parse_mo)
        elif isinstance(op, QueryBalance):
            result = _balance(response)
        elif isinstance(op, RetrieveReport):
            _retrieve.decode_response(response)
            result = None
        else:
            raise unsupported("emay-simple", op)
        return cast(R, result)

    # ---------------------------------------------------------------- server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation and account of a signed request, refused as the gateway refuses.

        With a ``stamp``, a ``timerTime`` outside the next 90 days is
        ``ERROR_SMS_TIME`` and ``retrieveReport``'s window is checked; the
        document sets no freshness rule for ``timestamp``.
        """
        if request.path == _retrieve.PATH:
            return _retrieve.decode_request(request, lookup, stamp)
        kind = _PATHS.get(request.path)
        if kind is None:
            raise DecodeError(f"emay simple interface has no endpoint {request.path!r}")
        params = read_params(request)
        account = verify(params, lookup)
        if (
            kind == "send"
            and params.raw("mobiles") is None
            and any(map(_is_number, params.names()))
        ):
            # Quirk personality-example-path: the document posts personal texts to sendSMS.
            kind = "send_personality"
        fetches: dict[str, tuple[Callable[[], Operation[Any]], Callable[[int], Operation[Any]]]] = {
            "reports": (FetchReports, FetchReportsUpTo),
            "inbound": (FetchInbound, FetchInboundUpTo),
        }
        now = None if stamp is None else stamp.now
        if kind == "send":
            return self._decode_send(params, now), account
        if kind == "send_personality":
            return self._decode_personalized(params, now), account
        if kind in fetches:
            number = _read_number(params)
            every, up_to = fetches[kind]
            return (every() if number is None else up_to(number)), account
        return QueryBalance(), account

    def _decode_send(self, params: QueryParams, now: datetime | None) -> SendSms:
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

    def _decode_personalized(self, params: QueryParams, now: datetime | None) -> SendPersonalized:
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

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """Server role: the answer to ``request``; it does not depend on the request."""
        return self.encode_response(op, result, account)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The JSON answer carrying ``result``, or ``{"code": <error>}``."""
        if isinstance(op, RetrieveReport):
            return _retrieve.encode_response(cast(GatewayError | None, result))
        if isinstance(result, GatewayError):
            return _json({"code": result.code})
        data: Any
        if isinstance(op, (SendSms, SendPersonalized)):
            sent = cast(SendResult, result)
            if not isinstance(sent, SendResult):
                raise EncodeError(
                    f"emay send answers carry a SendResult, not {type(sent).__name__}"
                )
            if sent.failed or sent.batch_id is not None:
                raise EncodeError("emay send answers list accepted numbers only (no count, batch)")
            data = [render_receipt(r) for r in sent.receipts]
        elif isinstance(op, FetchReports | FetchReportsUpTo):
            data = [render_report(r) for r in _items(result, DeliveryReport)]
        elif isinstance(op, FetchInbound | FetchInboundUpTo):
            data = [render_mo(m) for m in _items(result, InboundMessage)]
        elif isinstance(op, QueryBalance):
            data = {"balance": int(render_message_count(result, "emay-simple"))}
        else:
            raise unsupported("emay-simple", op)
        return _json({"code": _SUCCESS, "data": data})

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """A refusal: ``{"code": …}``, or the bare code for ``retrieveReport``."""
        if request.path == _retrieve.PATH:
            return _retrieve.encode_error(error)
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


def _items(result: object, kind: type[Any]) -> tuple[Any, ...]:
    batch = cast(Batch[Any], result)
    if not isinstance(batch, Batch) or not all(isinstance(i, kind) for i in batch.items):
        raise EncodeError(f"emay answers carry a Batch of {kind.__name__}")
    if batch.malformed:
        raise EncodeError("emay answers carry records, not the raw fragments of a batch")
    return batch.items
