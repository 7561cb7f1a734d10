"""The secure interface's codec (``/inter/…``): JSON → gzip → AES, ``result`` header.

Its exchanges are the fifteen document operations of §2.1 (:mod:`._inter`,
over the shared envelope of :mod:`._wire`) and §2.4's ``retrieveReport`` (a
signed form, :mod:`._retrieve`). It is also the encrypted-push codec (§2.3.1):
``decode_push``/``push_ack`` for the customer, ``encode_push``/
``decode_push_ack`` for the gateway.

Client role: every request carries ``requestTime`` (milliseconds, from the
:class:`Stamp`) and ``requestValidPeriod``, is encoded in the configured
charset, gzipped when configured (header ``gzip: on``) and encrypted with the
account's key; an answer's ``result`` header is read first and only a
``SUCCESS`` body is decrypted. Server role: the account is found by the
``appId`` header and refusals are the vendor's codes (``ERROR_APPID``,
``ERROR_ENCRYPTION``, ``ERROR_REQUEST_NO_VALID``…); the answer to a request
follows it (:meth:`Codec.encode_response_to`).
"""

from __future__ import annotations

import codecs as _charsets
from typing import Any, ClassVar, TypeVar

import attrs
from Crypto.Cipher._mode_ecb import EcbMode

from .._codec import Lookup
from .._errors import EncodeError, GatewayError
from .._exchange import ExchangeCodec, Exchanges
from .._http import HttpRequest, HttpResponse
from .._models import Batch, Operation
from .._query import CredentialMemo
from .._spec import Spec
from .._traits import WireTraits
from . import _push
from ._account import Account
from ._envelope import cipher
from ._inter import EXCHANGES
from ._push import PushItem
from ._retrieve import RETRIEVE
from ._section import SPEC
from ._wire import SUCCESS, gzipped

__all__ = ["Codec", "Responder"]

R = TypeVar("R")

_EXCHANGES: Exchanges[Codec, Account] = Exchanges(SPEC.vendor, (*EXCHANGES, RETRIEVE))


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


@attrs.frozen
class Codec(ExchangeCodec[Account]):
    """Emay's secure interface; takes :class:`~smswire.codecs.emay.Account`.

    ``gzip`` compresses requests (and expects compressed answers: §2.1 "如果请求信息中有
    压缩标示，返回的数据也是压缩过的"); ``charset`` is the ``encode`` header, the
    charset of the request's JSON (answers are UTF-8 whatever it is);
    ``request_valid_period`` (seconds) is sent with every request;
    ``max_decompressed`` caps what a gzipped body may inflate to, on every path
    (answers, requests, pushes). Sends of more than 500 numbers (retrievals of
    more than 1000 smsIds) are split by ``plan``.

    Server role: :meth:`encode_response_to` answers a request as it asks (its
    ``gzip`` header, the endpoint it called); ``encode_response`` alone answers
    as this codec's ``gzip`` and the endpoint the operation is sent to.
    """

    gzip: bool = True
    charset: str = attrs.field(default="utf-8", validator=_charset)
    request_valid_period: int = attrs.field(default=60, validator=_positive)
    max_decompressed: int = attrs.field(default=4 * 1024 * 1024, validator=_positive)
    vendor: ClassVar[str] = SPEC.vendor
    exchanges: ClassVar[Exchanges[Codec, Account]] = _EXCHANGES
    secrets: ClassVar[frozenset[str]] = frozenset({"sign"})
    traits: ClassVar[WireTraits] = attrs.evolve(
        _push.TRAITS,
        paths=frozenset(_EXCHANGES.paths),
        # A client that does not ask for gzip, and one whose requests are GBK (issue 12).
        variants=({"gzip": False}, {"charset": "gbk"}),
    )
    #: What a success answer carries beside its body (a captured body lacks it: the CLI adds it).
    success_headers: ClassVar[tuple[tuple[str, str], ...]] = (("result", SUCCESS),)
    spec: ClassVar[Spec] = SPEC
    _ciphers: CredentialMemo[Account, EcbMode] = attrs.field(
        factory=CredentialMemo, init=False, repr=False, eq=False, hash=False
    )

    def cipher(self, account: Account) -> EcbMode:
        """The account's AES cipher, built once per account and kept by this instance."""
        return self._ciphers.get(account, _account_cipher)

    def refuse(self, error: GatewayError) -> HttpResponse:
        """A refusal: the ``result`` header with the code, no body."""
        return HttpResponse(200, (("result", error.code),), b"")

    def for_request(self, request: HttpRequest) -> Codec:
        """This codec compressing its answers exactly when ``request`` carried ``gzip: on``
        (§2.1: "如果请求信息中有压缩标示，返回的数据也是压缩过的")."""
        wanted = gzipped(request)
        return self if wanted == self.gzip else attrs.evolve(self, gzip=wanted)

    def answering(self, request: HttpRequest) -> Responder:
        """The server role's :class:`Responder` to ``request``."""
        return Responder(self, request)

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
    """The secure interface's answers to one request (see :meth:`Codec.answering`):
    compressed as the request asked, a send's answer shaped as its endpoint's."""

    codec: Codec
    request: HttpRequest

    @property
    def spec(self) -> Spec:
        """The codec's spec."""
        return self.codec.spec

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: Account
    ) -> HttpResponse:
        """The answer to the request, compressed and shaped as the request asked."""
        return self.codec.encode_response_to(self.request, op, result, account)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """A refusal, as :meth:`Codec.encode_error`."""
        return self.codec.encode_error(request, error)
