"""The one error tree of smswire.

Like h11's ``LocalProtocolError``/``RemoteProtocolError`` split, every error says
whose fault it is: :class:`EncodeError` is the caller's (something the vendor
cannot carry), :class:`DecodeError` and :class:`GatewayError` come from the
other side (bytes we cannot read, or a gateway that said no).
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["DecodeError", "EncodeError", "ErrorKind", "GatewayError", "SmsWireError"]


class ErrorKind(enum.Enum):
    """What a gateway refusal means to a caller deciding what to do next."""

    AUTH = "auth"
    BALANCE = "balance"
    RATE_LIMIT = "rate_limit"
    INVALID_REQUEST = "invalid_request"
    CONTENT_REJECTED = "content_rejected"
    SERVER = "server"
    UNKNOWN = "unknown"


class SmsWireError(Exception):
    """Base class of every error smswire raises on purpose."""


class EncodeError(SmsWireError, ValueError):
    """The caller asked for something the vendor cannot carry; nothing was sent."""


class DecodeError(SmsWireError, ValueError):
    """Bytes from the other side do not follow the vendor's format.

    ``raw`` keeps the whole body (or the fragment) that could not be read, so a
    destructive read is never lost to a parse failure.
    """

    def __init__(self, message: str, raw: bytes = b"") -> None:
        super().__init__(message)
        self.message = message
        self.raw = raw

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.raw))


class GatewayError(SmsWireError):
    """The gateway answered with one of its documented error codes.

    ``kind`` and ``retryable`` come from the vendor's status table in
    ``smswire.specs``; ``detail`` holds any extra value the answer carried
    (for example the forbidden word of 112088.net's ``-3|word``).
    """

    def __init__(
        self,
        vendor: str,
        code: str,
        message: str,
        kind: ErrorKind = ErrorKind.UNKNOWN,
        retryable: bool = False,
        raw: bytes = b"",
        detail: str | None = None,
    ) -> None:
        text = f"{vendor} error {code}: {message}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)
        self.vendor = vendor
        self.code = code
        self.message = message
        self.kind = kind
        self.retryable = retryable
        self.raw = raw
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (
                self.vendor,
                self.code,
                self.message,
                self.kind,
                self.retryable,
                self.raw,
                self.detail,
            ),
        )

    def __eq__(self, other: object) -> bool:
        # Errors are values on these wires (a server role renders them, a client
        # role reads them back), so two refusals with the same content are equal.
        if not isinstance(other, GatewayError):
            return NotImplemented
        return (self.vendor, self.code, self.message, self.kind, self.retryable, self.detail) == (
            other.vendor,
            other.code,
            other.message,
            other.kind,
            other.retryable,
            other.detail,
        )

    def __hash__(self) -> int:
        return hash((self.vendor, self.code, self.detail))

    def __repr__(self) -> str:
        return (
            f"GatewayError(vendor={self.vendor!r}, code={self.code!r}, message={self.message!r}, "
            f"kind={self.kind}, retryable={self.retryable}, detail={self.detail!r})"
        )
