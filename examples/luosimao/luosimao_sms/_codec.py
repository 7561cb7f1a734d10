"""Luosimao (螺丝帽) SMS, one exchange per API operation, on smswire's exchange base.

Every request carries HTTP basic auth with the user ``api`` and the account's
key (``key-…``); every answer is a JSON object whose ``error`` is ``0`` or one
of the spec's status codes, with ``msg`` its words.
"""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

import attrs
from smswire.codecs import (
    Balance,
    DecodeError,
    DeliveryStatus,
    EncodeError,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Lookup,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Spec,
    Stamp,
    load_spec,
)
from smswire.codecs._exchange import Exchange, ExchangeCodec, Exchanges
from smswire.codecs._models import check_word
from smswire.codecs._plan import split_field
from smswire.codecs._query import FORM, build_query, request_pairs
from smswire.codecs._traits import WireTraits

__all__ = ["SPEC", "VENDOR", "Account", "Codec"]

VENDOR = "luosimao"
SPEC: Spec = load_spec(VENDOR, package="luosimao_sms")
_SEND = SPEC.endpoint("send")
_STATUS = SPEC.endpoint("status")
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
#: Quirk basic-auth-user-api: the user name of every request.
_USER = "api"
_JSON = (("Content-Type", "application/json; charset=utf-8"),)


@attrs.frozen
class Account:
    """A Luosimao account: its API key (``key-…``), which is both name and secret."""

    api_key: str = attrs.field(repr=False, validator=check_word)


# ---------------------------------------------------------------------- shared wire


def _authorization(account: Account) -> tuple[str, str]:
    token = base64.b64encode(f"{_USER}:{account.api_key}".encode()).decode("ascii")
    return ("Authorization", f"Basic {token}")


def _authorised(request: HttpRequest, lookup: Lookup[Account]) -> Account:
    """The account a request's basic auth names, or the vendor's -10 refusal."""
    header = request.header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    try:
        user, sep, key = base64.b64decode(token, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        user, sep, key = "", "", ""
    account = lookup(key) if scheme == "Basic" and sep and user == _USER and key else None
    if account is None:
        raise SPEC.error("-10", raw=header.encode("utf-8", "replace"))
    return account


def _answer(response: HttpResponse) -> dict[str, Any]:
    """The JSON object of an answer; a refusal raises the vendor's error."""
    try:
        data = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DecodeError("luosimao answer is not JSON", response.body) from None
    if not isinstance(data, dict) or type(data.get("error")) is not int:
        raise DecodeError("luosimao answer has no integer `error`", response.body)
    if data["error"] != 0:
        msg = data.get("msg")
        raise SPEC.error(str(data["error"]), raw=response.body, message=msg or None)
    return data


def _json(data: dict[str, Any]) -> HttpResponse:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(200, _JSON, text.encode("utf-8"))


def _field(request: HttpRequest, name: str) -> str | None:
    for key, value in request_pairs(request):
        if key == name:
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                raise DecodeError(f"luosimao {name} is not UTF-8", value) from None
    return None


# ---------------------------------------------------------------------- send.json


def _send_request(codec: Codec, op: SendSms, account: Account, stamp: Stamp) -> HttpRequest:
    if len(op.mobiles) > _MAX_MOBILES:
        raise EncodeError(f"luosimao send.json takes {_MAX_MOBILES} number; plan() splits")
    if not op.content or len(op.content) > _MAX_CHARS:
        raise EncodeError(f"luosimao messages hold 1 to {_MAX_CHARS} characters")
    body = build_query((("mobile", op.mobiles[0]), ("message", op.content)), "utf-8")
    return HttpRequest("POST", _SEND, (*FORM, _authorization(account)), body.encode("ascii"))


def _send_answer(codec: Codec, op: SendSms, response: HttpResponse, account: Account) -> SendResult:
    _answer(response)
    return SendResult(tuple(Receipt(m) for m in op.mobiles))


def _send_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[SendSms, Account]:
    account = _authorised(request, lookup)
    mobile = _field(request, "mobile")
    if not mobile or not mobile.isdigit():
        raise SPEC.error("-40", raw=request.body)
    content = _field(request, "message")
    if not content:
        raise SPEC.error("-30", raw=request.body)
    if len(content) > _MAX_CHARS:
        raise SPEC.error("-33", raw=request.body)
    return SendSms(mobiles=(mobile,), content=content), account


def _send_write(codec: Codec, op: SendSms, result: SendResult, account: Account) -> HttpResponse:
    return _json({"error": 0, "msg": "ok"})


def _send_split(codec: Codec, op: SendSms) -> tuple[SendSms, ...]:
    return split_field(op, "mobiles", _MAX_MOBILES)


SEND = Exchange(
    SendSms, _SEND, ("POST",), _send_request, _send_answer, _send_read, _send_write,
    split=_send_split,
)  # fmt: skip


# ---------------------------------------------------------------------- status.json


def _status_request(codec: Codec, op: QueryBalance, account: Account, stamp: Stamp) -> HttpRequest:
    return HttpRequest("GET", _STATUS, (_authorization(account),))


def _status_answer(
    codec: Codec, op: QueryBalance, response: HttpResponse, account: Account
) -> Balance:
    deposit = _answer(response).get("deposit")
    # Quirk deposit-is-a-string: digits in a string; a plain number is read as well.
    if isinstance(deposit, bool) or not isinstance(deposit, str | int):
        raise DecodeError("luosimao status answer has no deposit", response.body)
    try:
        amount = Decimal(str(deposit).strip())
    except InvalidOperation:
        raise DecodeError("luosimao deposit is not a number", response.body) from None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0:
        raise DecodeError("luosimao deposit is not a count of messages", response.body)
    return Balance(amount)


def _status_read(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[QueryBalance, Account]:
    return QueryBalance(), _authorised(request, lookup)


def _status_write(
    codec: Codec, op: QueryBalance, result: Balance, account: Account
) -> HttpResponse:
    return _json({"error": 0, "deposit": str(int(result.amount))})


STATUS = Exchange(
    QueryBalance, _STATUS, ("GET",), _status_request, _status_answer, _status_read, _status_write
)


# ---------------------------------------------------------------------- the codec


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """The Luosimao codec (no wire options: one charset, one method per endpoint)."""

    vendor: ClassVar[str] = VENDOR
    secrets: ClassVar[frozenset[str]] = frozenset({"authorization"})
    spec: ClassVar[Spec] = SPEC
    traits: ClassVar[WireTraits] = WireTraits(
        account_type=Account,
        credential_field="api_key",
        demo_account=Account(api_key="key-00000000000000000000000000demo"),
        # The v1 API this codec covers has no report read: these are never on its wire.
        delivered_code="DELIVRD",
        failed_code="UNDELIV",
        read_status=lambda code: DeliveryStatus.UNKNOWN,
        receipt_fields=frozenset(),
        paths=frozenset(SPEC.endpoints.values()),
    )
    exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(VENDOR, (SEND, STATUS))

    def refuse(self, error: GatewayError) -> HttpResponse:
        """The JSON refusal every endpoint answers: ``{"error": code, "msg": words}``."""
        try:
            code: int | str = int(error.code)
        except ValueError:
            code = error.code
        return _json({"error": code, "msg": error.message})
