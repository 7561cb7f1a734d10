"""The simple interface's shared wire (§2.2): signed UTF-8 forms, ``{"code", "data"}`` answers.

Requests are signed with ``appId``, ``timestamp`` and ``sign`` (:mod:`._retrieve`,
shared with §2.4); answers are JSON whose ``code`` is ``SUCCESS`` or an
``ERROR_…`` of the status table. The checks every send shares live here, for
both roles, so that :mod:`._simple` holds one section per document operation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .._checks import check_digits
from .._chinatime import format_compact, parse_compact
from .._codec import Lookup
from .._errors import DecodeError, EncodeError
from .._http import HttpRequest, HttpResponse
from .._models import (
    Balance,
    Batch,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from .._plan import split_field
from .._query import QueryParams, encode_text
from . import _push
from ._account import Account
from ._envelope import dumps
from ._records import (
    parse_receipt,
    render_receipt,
)
from ._results import read_message_count
from ._retrieve import form_request, read_params, signed_pairs, verify
from ._section import SPEC

if TYPE_CHECKING:
    from ._simple import SimpleCodec

__all__: list[str] = []

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
_METHODS = ("GET", "POST")


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


def _signed(request: HttpRequest, lookup: Lookup[Account]) -> tuple[QueryParams, Account]:
    """Every endpoint's preamble: the parameters, and the account their signature proves."""
    params = read_params(request)
    return params, verify(params, lookup)


def _receipts(codec: SimpleCodec, op: object, result: SendResult, account: Account) -> HttpResponse:
    if not isinstance(result, SendResult):
        raise EncodeError(f"emay send answers carry a SendResult, not {type(result).__name__}")
    if result.failed or result.batch_id is not None:
        raise EncodeError("emay send answers list accepted numbers only (no count, batch)")
    return _data([render_receipt(r) for r in result.receipts])


def _sent(codec: SimpleCodec, op: object, response: HttpResponse, account: Account) -> SendResult:
    return _send_result(response)


def _data(data: Any) -> HttpResponse:
    return _json({"code": _SUCCESS, "data": data})


def _by_numbers(codec: SimpleCodec, op: SendSms) -> tuple[SendSms, ...]:
    return split_field(op, "mobiles", _MAX_MOBILES, "client_ids")


def _by_messages(codec: SimpleCodec, op: SendPersonalized) -> tuple[SendPersonalized, ...]:
    return split_field(op, "messages", _MAX_PERSONAL)


def _items(result: object, kind: type[Any]) -> tuple[Any, ...]:
    if not isinstance(result, Batch) or not all(isinstance(i, kind) for i in result.items):
        raise EncodeError(f"emay answers carry a Batch of {kind.__name__}")
    if result.malformed:
        raise EncodeError("emay answers carry records, not the raw fragments of a batch")
    return result.items
