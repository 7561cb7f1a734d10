"""The secure interface's shared wire (§2.1): what every ``/inter/`` exchange does.

A request is a JSON object with ``requestTime`` (milliseconds, from the stamp)
and ``requestValidPeriod``, in the ``encode`` header's charset, gzipped when
the codec says (header ``gzip: on``), AES-encrypted with the account's key and
POSTed with the ``appId`` header. An answer carries its status in the
``result`` header and, on ``SUCCESS``, the sealed JSON (UTF-8, gzipped exactly
when the request was). :func:`inter` builds one document operation's
:class:`~smswire.codecs._exchange.Exchange` from its four JSON-level functions.
"""

from __future__ import annotations

import codecs as _charsets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from .._chinatime import to_millis
from .._codec import Lookup
from .._errors import DecodeError, EncodeError
from .._exchange import Exchange
from .._http import HttpRequest, HttpResponse
from .._models import Operation, Stamp
from ._account import Account
from ._envelope import decrypt, dumps, inflate, loads, seal, unseal
from ._records import members
from ._requests import Refusal
from ._section import SPEC

if TYPE_CHECKING:
    from ._secure import Codec

__all__ = ["ANSWER_CHARSET", "SUCCESS", "gzipped", "inter"]

O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")

SUCCESS = SPEC.ok.code
#: Every §2.1 answer's step 4: ``new String(data,"UTF-8")``; the ``encode`` header
#: names the charset of the request's data only.
ANSWER_CHARSET = "utf-8"
_POST = ("POST",)


def gzipped(request: HttpRequest) -> bool:
    """Whether ``request`` carries ``gzip: on`` (its data, and so its answer, compressed)."""
    return (request.header("gzip") or "").strip().lower() == "on"


# --------------------------------------------------------------------------- client role


def _headers(codec: Codec, account: Account) -> tuple[tuple[str, str], ...]:
    headers = [("appId", account.app_id), ("encode", codec.charset.upper())]
    if codec.gzip:
        headers.append(("gzip", "on"))
    return tuple(headers)


def _post(
    codec: Codec, path: str, body: dict[str, Any], account: Account, stamp: Stamp
) -> HttpRequest:
    body["requestTime"] = to_millis(stamp.now)
    body["requestValidPeriod"] = codec.request_valid_period
    data = seal(dumps(body, codec.charset), codec.cipher(account), gzip=codec.gzip)
    return HttpRequest("POST", path, _headers(codec, account), data)


def _answer_charset(codec: Codec, plain: bytes) -> str:
    # The document reads answers as UTF-8 (step 4); the vendor's Java SDK reads them
    # in the request's `encode` charset. A body that is not UTF-8 can only be the
    # latter (quirk sdk-answer-charset), so it is read so rather than lost.
    try:
        plain.decode(ANSWER_CHARSET)
    except UnicodeDecodeError:
        return codec.charset
    return ANSWER_CHARSET


def _opened(codec: Codec, response: HttpResponse, account: Account) -> Any:
    """The JSON of a ``SUCCESS`` answer; another ``result`` is a :class:`GatewayError`."""
    code = response.header("result")
    if code is None:
        raise DecodeError(
            f"emay: answer (HTTP {response.status}) has no result header", response.body
        )
    code = code.strip()
    if code != SUCCESS:
        raise SPEC.error(code, raw=response.body)
    if not account.has_aes_key:
        raise DecodeError(
            "emay: the account's secret key is no AES key (16, 24 or 32 bytes)", response.body
        )
    plain = unseal(
        response.body, codec.cipher(account), gzip=codec.gzip, max_size=codec.max_decompressed
    )
    return loads(plain, _answer_charset(codec, plain), response.body)


# --------------------------------------------------------------------------- server role


def _open(codec: Codec, request: HttpRequest, account: Account) -> dict[str, Any]:
    """The JSON object a request's body seals, or the gateway's refusal."""
    body = request.body
    charset = (request.header("encode") or SPEC.section.default_charset).strip()
    try:
        _charsets.lookup(charset)
    except LookupError:
        raise SPEC.error("ERROR_PARAMS", raw=body, detail="unknown encode charset") from None
    try:
        plain = decrypt(body, account.key) if account.has_aes_key else None
    except DecodeError:
        plain = None
    if plain is None:
        raise SPEC.error("ERROR_ENCRYPTION", raw=body)
    try:
        # Decrypted but unreadable (bad gzip, a bomb): §3 has no code for it beyond
        # ERROR_PARAMS 请求参数错误; ERROR_ENCRYPTION (解密失败) would be untrue.
        plain = inflate(plain, body, gzip=gzipped(request), max_size=codec.max_decompressed)
    except DecodeError as exc:
        raise SPEC.error(
            "ERROR_PARAMS",
            raw=body,
            detail=f"decrypted, but {exc.message.removeprefix('emay: ')}",
        ) from None
    try:
        return members(loads(plain, charset, body))
    except DecodeError:
        raise SPEC.error("ERROR_PARAMS", raw=body, detail="not a JSON object") from None


def _check_time(obj: dict[str, Any], stamp: Stamp | None) -> None:
    sent, period = obj.get("requestTime"), obj.get("requestValidPeriod")
    for name, value in (("requestTime", sent), ("requestValidPeriod", period)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refusal("ERROR_PARAMS", f"{name} must be an integer")
    assert isinstance(sent, int) and isinstance(period, int)
    # The document's rule: valid while requestTime + period > now.
    if stamp is not None and sent + period * 1000 <= to_millis(stamp.now):
        raise Refusal("ERROR_REQUEST_NO_VALID", "requestTime + requestValidPeriod has passed")


Reader = Callable[[dict[str, Any], datetime | None], Operation[Any]]


def _read(
    codec: Codec,
    request: HttpRequest,
    lookup: Lookup[Account],
    stamp: Stamp | None,
    read: Reader,
) -> tuple[Operation[Any], Account]:
    """The preamble every secure endpoint shares, then ``read`` on the decrypted object.

    Refusals in the gateway's order: ``ERROR_APPID``, the envelope's
    (``ERROR_ENCRYPTION``, ``ERROR_PARAMS``), ``requestTime``, then the endpoint's.
    """
    app_id = request.header("appId")
    account = lookup(app_id) if app_id else None
    if account is None:
        raise SPEC.error("ERROR_APPID", raw=request.body)
    obj = _open(codec, request, account)
    try:
        _check_time(obj, stamp)
        try:
            op = read(obj, None if stamp is None else stamp.now)
        except EncodeError as exc:
            # The operation models refuse what the document does not allow either.
            raise Refusal("ERROR_PARAMS", str(exc)) from None
    except Refusal as refusal:
        raise SPEC.error(refusal.code, raw=request.body, detail=refusal.detail) from None
    return op, account


def _sealed(codec: Codec, value: Any, account: Account) -> HttpResponse:
    body = seal(dumps(value, ANSWER_CHARSET), account.key, gzip=codec.gzip)
    return HttpResponse(200, (("result", SUCCESS),), body)


# --------------------------------------------------------------------------- the exchange


def inter(
    op: type[O],
    endpoint: str,
    body: Callable[[O, Stamp], dict[str, Any]],
    parse: Callable[[Any, bytes], R],
    read: Reader,
    render: Callable[[O, R], Any],
    answers: type[Any],
    *,
    split: Callable[[Codec, O], tuple[O, ...]] | None = None,
    picks: Callable[[O], bool] | None = None,
    also: tuple[type[Operation[Any]], ...] = (),
) -> Exchange[Codec, Account, O, R]:
    """The exchange of one ``/inter/`` endpoint (``endpoint``: its name in the spec).

    ``body`` builds the request's JSON (refusing what the wire cannot carry),
    ``parse`` reads the answer's JSON (with the raw body for errors), ``read``
    is the server role's reader of a decrypted object (refusing with
    :class:`Refusal`), ``render`` the answer's JSON for a result of type ``answers``.
    """
    path = SPEC.endpoint(endpoint)

    def write_request(codec: Codec, op: O, account: Account, stamp: Stamp) -> HttpRequest:
        return _post(codec, path, body(op, stamp), account, stamp)

    def read_answer(codec: Codec, op: O, response: HttpResponse, account: Account) -> R:
        return parse(_opened(codec, response, account), response.body)

    def read_request(
        codec: Codec, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
    ) -> tuple[Operation[Any], Account]:
        return _read(codec, request, lookup, stamp, read)

    def write_answer(codec: Codec, op: O, result: R, account: Account) -> HttpResponse:
        if not isinstance(result, answers):
            raise EncodeError(
                f"emay: {type(result).__name__} is not an answer to {type(op).__name__}"
            )
        return _sealed(codec, render(op, result), account)

    return Exchange(op, path, _POST, write_request, read_answer, read_request, write_answer,
                    None, split, picks=picks, also=also)  # fmt: skip
