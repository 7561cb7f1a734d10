"""The transports' own errors, all :class:`~smswire.codecs.SmsWireError` subclasses.

Each says what a caller most needs after a failure: whether anything may have
reached the gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smswire.codecs import EncodeError, GatewayError, Operation, SendResult, SmsWireError

__all__ = ["FailoverError", "PartialSendError", "TransportError", "definitely_unsent"]


class TransportError(SmsWireError):
    """The HTTP exchange itself failed (no usable answer from the gateway).

    ``maybe_sent`` is ``False`` only when the connection never opened (refused,
    connect timeout, no pooled connection free), so the gateway cannot have
    seen the request; ``True`` when it may have arrived (read or write
    timeout, connection dropped mid-exchange…) and a send may have gone out.
    """

    def __init__(self, message: str, *, maybe_sent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.maybe_sent = maybe_sent

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_transport_error, (type(self), self.message, self.maybe_sent))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, maybe_sent={self.maybe_sent})"


def _rebuild_transport_error(
    cls: type[TransportError], message: str, maybe_sent: bool
) -> TransportError:
    return cls(message, maybe_sent=maybe_sent)


def definitely_unsent(error: BaseException) -> bool:
    """Whether ``error`` proves the gateway did not act on the request.

    A refusal (:class:`GatewayError`), an operation the codec would not encode
    (:class:`EncodeError`), or a connection that never opened; never a timeout
    that may have delivered, nor an answer we could not read (the gateway
    answered, so it acted).
    """
    if isinstance(error, TransportError):
        return not error.maybe_sent
    if isinstance(error, (PartialSendError, FailoverError)):
        return not error.maybe_sent
    return isinstance(error, (GatewayError, EncodeError))


class PartialSendError(SmsWireError):
    """A send the planner split into several requests failed part way.

    ``completed`` merges the results of the requests that succeeded (the numbers
    in its receipts went out); ``error`` is the failing request's error;
    ``failed`` is the operation of that request; ``unsent`` are the operations
    that certainly did not go out: the ones never tried, preceded by ``failed``
    itself when its error proves it was not sent (see ``maybe_sent``).
    """

    def __init__(
        self,
        completed: SendResult,
        error: SmsWireError,
        failed: Operation[Any],
        unsent: Sequence[Operation[Any]],
    ) -> None:
        self.completed = completed
        self.error = error
        self.failed = failed
        self.unsent = tuple(unsent)
        super().__init__(
            f"sent {completed.accepted} numbers in earlier requests, then: {error}; "
            f"{len(self.unsent)} request(s) not sent"
        )

    @property
    def maybe_sent(self) -> bool:
        """Whether the failing request may have gone out (it is then not in ``unsent``)."""
        return not definitely_unsent(self.error)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.completed, self.error, self.failed, self.unsent))


class FailoverError(SmsWireError):
    """No gateway performed the operation.

    ``failures`` pairs each gateway tried (its ``name``) with its error, in
    order. When the last one may have sent (``maybe_sent``), failover stopped
    there instead of risking a second delivery.
    """

    def __init__(self, failures: Sequence[tuple[str, SmsWireError]]) -> None:
        self.failures = tuple(failures)
        listed = "; ".join(f"{name}: {error}" for name, error in self.failures)
        super().__init__(f"every gateway failed ({listed})" if failures else "no gateway given")

    @property
    def maybe_sent(self) -> bool:
        """Whether any gateway tried may have acted on the operation."""
        return any(not definitely_unsent(error) for _, error in self.failures)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.failures,))
