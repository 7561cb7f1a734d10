"""The codec protocol and the vendor registry.

A codec has both roles of every exchange (h11 style, sans-IO):

* client: ``encode_request(op, account, stamp)`` → :class:`HttpRequest`;
  ``decode_response(op, response, account)`` → the operation's result;
* server: ``decode_request(request, lookup, stamp)`` → ``(op, account)``, verifying
  the credential recipe and the vendor's limits (a refusal is a
  :class:`GatewayError` with the vendor's own code, which
  ``encode_error(request, error)`` renders); ``encode_response(op, result,
  account)`` renders a result or a :class:`GatewayError`;
* pushes (vendors that push): ``decode_push(request, lookup)`` / ``push_ack`` on the
  receiver's side, ``encode_push`` / ``decode_push_ack`` on the gateway's.

``plan(op)`` splits an operation to the vendor's limits (a pure function; the
transports send each part and merge the results).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

from ._errors import EncodeError, GatewayError
from ._http import HttpRequest, HttpResponse
from ._models import Batch, DeliveryReport, InboundMessage, Operation, Stamp
from ._registry import Registry, VendorUnavailable
from ._spec import Spec
from ._traits import WireTraits

__all__ = [
    "VENDORS",
    "Codec",
    "Lookup",
    "PushCodec",
    "VendorUnavailable",
    "get_codec",
    "traits_of",
    "unsupported",
]

R = TypeVar("R")
A = TypeVar("A")

#: The server role's way from the credential on the wire (cpid, uid, account
#: name, appId…) to the account, or ``None`` when there is no such account.
Lookup = Callable[[str], A | None]

PushItem = DeliveryReport | InboundMessage


@runtime_checkable
class Codec(Protocol[A]):
    """What every vendor codec offers; ``A`` is the vendor's ``Account`` type."""

    @property
    def vendor(self) -> str:
        """The registry name of the vendor."""
        ...

    @property
    def secrets(self) -> frozenset[str]:
        """Names of the parameters, JSON keys and headers that carry a credential.

        Their values never appear in a repr, an error message or a log line.
        """
        ...

    @property
    def traits(self) -> WireTraits:
        """What the rest of the package knows of the wire: credential, records, pushes…"""
        ...

    @property
    def spec(self) -> Spec:
        """The vendor's specification (endpoints, limits, status tables)."""
        ...

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The operation types this codec can carry."""
        ...

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """Split ``op`` into operations that each fit the vendor's limits."""
        ...

    def encode_request(self, op: Operation[R], account: A, stamp: Stamp) -> HttpRequest:
        """Client role: the request that performs ``op``."""
        ...

    def decode_response(self, op: Operation[R], response: HttpResponse, account: A) -> R:
        """Client role: the result of ``op`` from the gateway's answer."""
        ...

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[A], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], A]:
        """Server role: the operation a request asks for, and whose account it is.

        ``stamp`` is the server's clock, for vendors whose requests carry a
        validity window (without it, windows are not checked).
        """
        ...

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: A
    ) -> HttpResponse:
        """Server role: the gateway's answer carrying ``result`` or the refusal."""
        ...

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: A
    ) -> HttpResponse:
        """Server role: the answer to ``request``, which :meth:`decode_request` read as ``op``.

        What a server calls: a vendor whose answer follows the request (Emay's
        compression, the endpoint called) reads it here; for every other vendor
        it is :meth:`encode_response`.
        """
        ...

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Server role: the answer refusing ``request`` before it was understood or trusted."""
        ...


@runtime_checkable
class PushCodec(Codec[A], Protocol[A]):
    """A codec whose gateway pushes reports and/or inbound messages to the customer."""

    def decode_push(self, request: HttpRequest, lookup: Lookup[A]) -> Batch[PushItem]:
        """Receiver: the reports and messages a push carries.

        ``lookup`` maps the credential the push carries (uid, appId…) to the
        receiving account, as in the server role; a push for no known account is
        a :class:`DecodeError`. A vendor whose pushes name no account does not
        call it.
        """
        ...

    def push_ack(self) -> HttpResponse:
        """Receiver: the answer that tells the gateway the push arrived."""
        ...

    def encode_push(self, batch: Batch[PushItem], account: A) -> tuple[HttpRequest, ...]:
        """Gateway: the push requests carrying ``batch`` (one per request the vendor makes)."""
        ...

    def decode_push_ack(self, response: HttpResponse) -> bool:
        """Gateway: whether the receiver's answer acknowledges the push."""
        ...


def unsupported(vendor: str, op: object) -> EncodeError:
    """The error for an operation a vendor does not have."""
    return EncodeError(f"{vendor} has no operation {type(op).__name__}")


#: Vendor name → codec factory (a codec class), discovered through the
#: ``smswire.vendors`` entry points (smswire's own five are registered there
#: too); see :mod:`._registry` for plug-ins, clashes and broken registrations.
VENDORS: Registry = Registry()


def traits_of(name: str) -> WireTraits:
    """The traits of vendor ``name``'s codec (a class attribute: no codec is built)."""
    return VENDORS.traits(name)


def get_codec(name: str, **options: Any) -> Codec[Any]:
    """A codec for vendor ``name`` built with its wire options (``charset=…``…).

    An unknown name is a ``ValueError`` listing the known ones; a registered
    vendor that cannot be loaded is a :class:`VendorUnavailable` naming its
    distribution (the other vendors are unaffected).
    """
    return VENDORS.factory(name)(**options)
