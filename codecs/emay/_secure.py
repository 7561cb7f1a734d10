"""The secure interface's codec (``/inter/…``): JSON → gzip → AES, ``result`` header.

The same codec carries §2.4's ``retrieveReport`` (a signed form, see
:mod:`._retrieve`) and is the encrypted-push codec (§2.3.1): ``decode_push``/
``push_ack`` for the customer, ``encode_push``/``decode_push_ack`` for the gateway.

Client role: ``encode_request`` builds the JSON object with ``requestTime``
(milliseconds, from the :class:`Stamp`) and ``requestValidPeriod``, encodes it
in the configured charset, gzips it when configured (header ``gzip: on``) and
encrypts it with the account's key; ``decode_response`` reads the ``result``
header and decrypts only a ``SUCCESS`` body. Server role: ``decode_request``
finds the account by the ``appId`` header and refuses with the vendor's codes
(``ERROR_APPID``, ``ERROR_ENCRYPTION``, ``ERROR_REQUEST_NO_VALID``…).
"""

from __future__ import annotations

import codecs as _charsets
from typing import Any, ClassVar, TypeVar, cast

import attrs
from Crypto.Cipher._mode_ecb import EcbMode

from .._chinatime import to_millis
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
    QueryBalance,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from .._plan import split_field
from .._query import CredentialMemo
from .._spec import Spec
from .._traits import WireTraits
from . import _push, _retrieve
from . import _results as res
from ._account import Account
from ._envelope import cipher, decrypt, dumps, inflate, loads, seal, unseal
from ._ops import (
    CreateTemplate,
    DeleteTemplate,
    FetchInboundUpTo,
    FetchReportsUpTo,
    FetchShortLinkClicks,
    QueryTemplate,
    SendPersonalityAll,
    SendShortLink,
    SendTemplate,
    SendTemplateVariables,
    ShortLinkClick,
    TemplateCreated,
    TemplateDeleted,
    TemplateState,
)
from ._push import PushItem
from ._records import decode_records, members, parse_mo, parse_report, render_mo, render_report
from ._requests import MAX_MOBILES, Refusal, operation, payload, route, sized
from ._retrieve import RetrieveReport
from ._section import SPEC

__all__ = ["Codec", "Responder"]

R = TypeVar("R")

SUCCESS = SPEC.ok.code
#: Every §2.1 answer's step 4: ``new String(data,"UTF-8")``; the ``encode`` header
#: names the charset of the request's data only.
ANSWER_CHARSET = "utf-8"
_PATHS = {path: name for name, path in SPEC.endpoints.items()}
_SENDS = (
    SendSms,
    SendPersonalized,
    SendPersonalityAll,
    SendTemplate,
    SendTemplateVariables,
    SendShortLink,
)
_OPERATIONS: tuple[type[Operation[Any]], ...] = (
    *_SENDS,
    CreateTemplate,
    DeleteTemplate,
    QueryTemplate,
    FetchReports,
    FetchReportsUpTo,
    FetchInbound,
    FetchInboundUpTo,
    FetchShortLinkClicks,
    QueryBalance,
)


def _charset(_inst: Any, _attr: Any, value: str) -> None:
    try:
        _charsets.lookup(value)
    except LookupError:
        raise EncodeError(f"charset: unknown charset {value!r}") from None


def _positive(_inst: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise EncodeError(f"{attribute.name}: a positive integer is needed, got {value!r}")


def _account_cipher(account: Account) -> EcbMode:
    return cipher(account.key)


def _split(op: Operation[Any], size: int) -> tuple[Operation[Any], ...]:
    if isinstance(op, SendSms):
        return split_field(op, "mobiles", size, "client_ids")
    if isinstance(op, SendTemplate | SendShortLink):
        return split_field(op, "recipients", size)
    if isinstance(op, SendPersonalized | SendPersonalityAll | SendTemplateVariables):
        return split_field(op, "messages", size)
    return (op,)


@attrs.frozen
class Codec:
    """Emay's secure interface; takes :class:`~smswire.codecs.emay.Account`.

    ``gzip`` compresses requests (and expects compressed answers: §2.1 "如果请求信息中有
    压缩标示，返回的数据也是压缩过的"); ``charset`` is the ``encode`` header, the
    charset of the request's JSON (answers are UTF-8 whatever it is);
    ``request_valid_period`` (seconds) is sent with every request;
    ``max_decompressed`` caps what a gzipped body may inflate to, on every path
    (answers, requests, pushes).

    Server role: :meth:`answering` gives the :class:`Responder` for one request,
    whose answers follow that request (its ``gzip`` header, the endpoint it
    called); ``encode_response`` alone answers as this codec's ``gzip`` and the
    endpoint the operation is sent to.
    """

    gzip: bool = True
    charset: str = attrs.field(default="utf-8", validator=_charset)
    request_valid_period: int = attrs.field(default=60, validator=_positive)
    max_decompressed: int = attrs.field(default=4 * 1024 * 1024, validator=_positive)
    vendor: ClassVar[str] = "emay"
    secrets: ClassVar[frozenset[str]] = frozenset({"sign"})
    traits: ClassVar[WireTraits] = attrs.evolve(
        _push.TRAITS,
        paths=frozenset(_PATHS) | {_retrieve.PATH},
        # A client that does not ask for gzip, and one whose requests are GBK (issue 12).
        variants=({"gzip": False}, {"charset": "gbk"}),
    )
    #: What a success answer carries beside its body (a captured body lacks it: the CLI adds it).
    success_headers: ClassVar[tuple[tuple[str, str], ...]] = (("result", SUCCESS),)
    spec: ClassVar[Spec] = SPEC
    _ciphers: CredentialMemo[Account, EcbMode] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """Every operation of the secure interface, and §2.4's ``retrieveReport``."""
        return (*_OPERATIONS, RetrieveReport)

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Sends of more than 500 numbers (retrievals of more than 1000 smsIds) are split."""
        if isinstance(op, RetrieveReport):
            return cast("tuple[Operation[R], ...]", _retrieve.plan(op))
        if sized(op) <= MAX_MOBILES:
            return (op,)
        return cast("tuple[Operation[R], ...]", _split(op, MAX_MOBILES))

    # ------------------------------------------------------------------ client role

    def _cipher(self, account: Account) -> EcbMode:
        # Built once per account and kept by this instance (never module-wide).
        return self._ciphers.get(account, _account_cipher)

    def _headers(self, account: Account) -> tuple[tuple[str, str], ...]:
        headers = [("appId", account.app_id), ("encode", self.charset.upper())]
        if self.gzip:
            headers.append(("gzip", "on"))
        return tuple(headers)

    def encode_request(self, op: Operation[R], account: Account, stamp: Stamp) -> HttpRequest:
        """The encrypted POST that performs ``op`` (``retrieveReport``: §2.4's signed form)."""
        if isinstance(op, RetrieveReport):
            return _retrieve.encode_request(op, account, stamp)
        if not isinstance(op, _OPERATIONS):
            raise unsupported(self.vendor, op)
        endpoint, body = payload(op, stamp)
        body["requestTime"] = to_millis(stamp.now)
        body["requestValidPeriod"] = self.request_valid_period
        data = seal(dumps(body, self.charset), self._cipher(account), gzip=self.gzip)
        return HttpRequest("POST", SPEC.endpoint(endpoint), self._headers(account), data)

    def decode_response(self, op: Operation[R], response: HttpResponse, account: Account) -> R:
        """The result of ``op``; a ``result`` other than ``SUCCESS`` is a :class:`GatewayError`."""
        if isinstance(op, RetrieveReport):
            # §2.4 answers in the body (SUCCESS or a code), not in a result header.
            _retrieve.decode_response(response)
            return cast("R", None)
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
            response.body, self._cipher(account), gzip=self.gzip, max_size=self.max_decompressed
        )
        value = loads(plain, self._answer_charset(plain), response.body)
        return cast("R", self._read(op, value, response.body))

    def _answer_charset(self, plain: bytes) -> str:
        # The document reads answers as UTF-8 (step 4); the vendor's Java SDK reads them
        # in the request's `encode` charset. A body that is not UTF-8 can only be the
        # latter (quirk sdk-answer-charset), so it is read so rather than lost.
        try:
            plain.decode(ANSWER_CHARSET)
        except UnicodeDecodeError:
            return self.charset
        return ANSWER_CHARSET

    def _read(self, op: Operation[Any], value: Any, raw: bytes) -> object:
        if isinstance(op, _SENDS):
            return res.parse_receipts(value, raw)
        if isinstance(op, FetchReports | FetchReportsUpTo):
            return decode_records(value, raw, parse_report)
        if isinstance(op, FetchInbound | FetchInboundUpTo):
            return decode_records(value, raw, parse_mo)
        if isinstance(op, FetchShortLinkClicks):
            return decode_records(value, raw, res.parse_click)
        if isinstance(op, QueryBalance):
            return res.parse_balance(value, raw)
        if isinstance(op, CreateTemplate):
            return res.parse_template_created(value, raw)
        if isinstance(op, DeleteTemplate):
            return res.parse_template_deleted(value, raw)
        if isinstance(op, QueryTemplate):
            return res.parse_template_state(value, raw)
        raise unsupported(self.vendor, op)

    # ------------------------------------------------------------------ server role

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], Account]:
        """The operation an encrypted request asks for, and whose account it is.

        Refusals are :class:`GatewayError` with the vendor's codes; with a
        ``stamp``, an expired request is ``ERROR_REQUEST_NO_VALID`` and a
        schedule outside the next 90 days ``ERROR_SMS_TIME``. ``/report/retrieveReport``
        is §2.4's signed form, checked against ``stamp`` as :mod:`._retrieve` does.
        """
        if request.path == _retrieve.PATH:
            return _retrieve.decode_request(request, lookup, stamp)
        endpoint = _PATHS.get(request.path)
        if endpoint is None or request.method.upper() != "POST":
            raise DecodeError(
                f"emay: no secure endpoint {request.method} {request.path}", request.body
            )
        app_id = request.header("appId")
        account = lookup(app_id) if app_id else None
        if account is None:
            raise SPEC.error("ERROR_APPID", raw=request.body)
        obj = self._open(request, account)
        try:
            self._check_time(obj, stamp)
            op = operation(endpoint, obj, None if stamp is None else stamp.now)
        except Refusal as refusal:
            raise SPEC.error(refusal.code, raw=request.body, detail=refusal.detail) from None
        return op, account

    def _open(self, request: HttpRequest, account: Account) -> dict[str, Any]:
        """The JSON object a request's body seals, or the gateway's refusal."""
        body = request.body
        charset = (request.header("encode") or SPEC.section.default_charset).strip()
        gzipped = (request.header("gzip") or "").strip().lower() == "on"
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
            plain = inflate(plain, body, gzip=gzipped, max_size=self.max_decompressed)
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

    @staticmethod
    def _check_time(obj: dict[str, Any], stamp: Stamp | None) -> None:
        sent, period = obj.get("requestTime"), obj.get("requestValidPeriod")
        for name, value in (("requestTime", sent), ("requestValidPeriod", period)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise Refusal("ERROR_PARAMS", f"{name} must be an integer")
        assert isinstance(sent, int) and isinstance(period, int)
        # The document's rule: valid while requestTime + period > now.
        if stamp is not None and sent + period * 1000 <= to_millis(stamp.now):
            raise Refusal("ERROR_REQUEST_NO_VALID", "requestTime + requestValidPeriod has passed")

    def answering(self, request: HttpRequest) -> Responder:
        """The server role's :class:`Responder` to ``request``.

        Its answers are gzipped exactly when the request carried ``gzip: on``
        (§2.1: "如果请求信息中有压缩标示，返回的数据也是压缩过的"), and a send's answer
        has the shape of the endpoint called (§2.1.1 one object, the others arrays).
        """
        gzipped = (request.header("gzip") or "").strip().lower() == "on"
        return Responder(self, gzipped, _PATHS.get(request.path))

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The gateway's answer: ``result: SUCCESS`` and the sealed JSON, or the refusal's code.

        Compressed as this codec's ``gzip`` says; a send answers in the shape of
        the endpoint ``op`` is sent to. :meth:`answering` follows a request instead.
        """
        return self.answer(op, result, account, gzip=self.gzip, endpoint=None)

    def answer(
        self,
        op: Operation[R],
        result: R | GatewayError,
        account: Account,
        *,
        gzip: bool,
        endpoint: str | None,
    ) -> HttpResponse:
        """``encode_response`` with the compression and the called endpoint given."""
        if isinstance(op, RetrieveReport):
            return _retrieve.encode_response(cast("GatewayError | None", result))
        if isinstance(result, GatewayError):
            return HttpResponse(200, (("result", result.code),), b"")
        value = self._write(op, result, endpoint)
        body = seal(dumps(value, ANSWER_CHARSET), account.key, gzip=gzip)
        return HttpResponse(200, (("result", SUCCESS),), body)

    def _write(self, op: Operation[Any], result: object, endpoint: str | None) -> Any:
        if isinstance(op, _SENDS) and isinstance(result, SendResult):
            called = endpoint or route(op)
            return res.render_receipts(result, single=called == "send_single")
        if isinstance(result, Batch):
            writers: dict[tuple[type, ...], tuple[type, Any]] = {
                (FetchReports, FetchReportsUpTo): (DeliveryReport, render_report),
                (FetchInbound, FetchInboundUpTo): (InboundMessage, render_mo),
                (FetchShortLinkClicks,): (ShortLinkClick, res.render_click),
            }
            for kinds, (item_type, write) in writers.items():
                if isinstance(op, kinds):
                    if result.malformed:
                        raise EncodeError("emay: a batch answer cannot carry malformed records")
                    if not all(isinstance(item, item_type) for item in result.items):
                        raise EncodeError(
                            f"emay: {type(op).__name__} answers {item_type.__name__}s"
                        )
                    return [write(item) for item in result.items]
        if isinstance(op, QueryBalance) and isinstance(result, Balance):
            return res.render_balance(result)
        if isinstance(op, CreateTemplate) and isinstance(result, TemplateCreated):
            return {"templateId": result.template_id}
        if isinstance(op, DeleteTemplate) and isinstance(result, TemplateDeleted):
            return {"code": "true" if result.deleted else "false", "templateId": result.template_id}
        if isinstance(op, QueryTemplate) and isinstance(result, TemplateState):
            return {"status": result.code, "templateId": result.template_id}
        raise EncodeError(f"emay: {type(result).__name__} is not an answer to {type(op).__name__}")

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """A refusal: the ``result`` header with the code, no body (§2.4: the bare code)."""
        if request.path == _retrieve.PATH:
            return _retrieve.encode_error(error)
        return HttpResponse(200, (("result", error.code),), b"")

    # ------------------------------------------------------------------ encrypted pushes (§2.3.1)

    def decode_push(self, request: HttpRequest, lookup: Lookup[Account]) -> Batch[PushItem]:
        """Receiver: the reports and replies of an encrypted push (gzip, then AES).

        The account (and so the key) is looked up by the ``appId`` header; the
        inflated body is capped at ``max_decompressed``.
        """
        account = _push.push_account(request, lookup)
        return _push.decode_push(request, account, encrypted=True, max_size=self.max_decompressed)

    @staticmethod
    def push_credential(request: HttpRequest) -> str | None:
        """Receiver: the push's ``appId`` header, to look the account up by (§2.3)."""
        return _push.push_credential(request)

    def push_ack(self) -> HttpResponse:
        """Receiver: the body ``success``."""
        return _push.push_ack()

    def encode_push(self, batch: Batch[PushItem], account: Account) -> tuple[HttpRequest, ...]:
        """Gateway: an encrypted push of the reports and/or one of the replies."""
        return _push.encode_push(batch, account, encrypted=True)

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Gateway: whether the customer answered ``success``."""
        return _push.decode_push_ack(response)


@attrs.frozen
class Responder:
    """The secure interface's answer to one request (see :meth:`Codec.answering`).

    ``gzip`` is whether the request asked for compression, ``endpoint`` the
    name of the endpoint it called (``None`` when not a secure endpoint).
    """

    codec: Codec
    gzip: bool
    endpoint: str | None

    @property
    def spec(self) -> Spec:
        """The codec's spec."""
        return self.codec.spec

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The answer to the request, compressed and shaped as the request asked."""
        return self.codec.answer(op, result, account, gzip=self.gzip, endpoint=self.endpoint)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """A refusal, as :meth:`Codec.encode_error`."""
        return self.codec.encode_error(request, error)
