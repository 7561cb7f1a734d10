"""The transports' own errors, all :class:`~smswire.codecs.SmsWireError` subclasses.

Each says what a caller most needs after a failure: whether anything may have
reached the gateway, and for destructive reads whether items may have been
handed out and lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from smswire.codecs import EncodeError, GatewayError, Operation, SendResult, SmsWireError

__all__ = [
    "FailoverError",
    "PartialSendError",
    "RateLimited",
    "TransportError",
    "definitely_unsent",
]


class TransportError(SmsWireError):
    """The HTTP exchange itself failed (no usable answer from the gateway).

    ``maybe_sent`` is ``False`` only when the connection never opened (refused,
    connect timeout, no pooled connection free), so the gateway cannot have
    seen the request; ``True`` when it may have arrived (read or write
    timeout, connection dropped mid-exchange…) and a send may have gone out.

    ``maybe_consumed`` is ``True`` for a destructive read (reports, replies)
    that may have reached the gateway: the gateway may have handed its items
    out in the answer that was lost, and will not hand them out again.
    ``window`` is then the span (China time) in which the lost items became
    available: from the start of this client's previous completed fetch of
    the same kind (or the client's creation) to the failure. Where the vendor
    can push reports again, ``client.recover_reports(*error.window)`` asks it to.
    """

    def __init__(
        self,
        message: str,
        *,
        maybe_sent: bool,
        maybe_consumed: bool = False,
        window: tuple[datetime, datetime] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.maybe_sent = maybe_sent
        self.maybe_consumed = maybe_consumed
        self.window = window

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_transport_error,
            (type(self), self.message, self.maybe_sent, self.maybe_consumed, self.window),
        )

    def __repr__(self) -> str:
        extra = ", maybe_consumed=True" if self.maybe_consumed else ""
        return f"{type(self).__name__}({self.message!r}, maybe_sent={self.maybe_sent}{extra})"


def _rebuild_transport_error(
    cls: type[TransportError],
    message: str,
    maybe_sent: bool,
    maybe_consumed: bool = False,
    window: tuple[datetime, datetime] | None = None,
) -> TransportError:
    return cls(message, maybe_sent=maybe_sent, maybe_consumed=maybe_consumed, window=window)


class RateLimited(SmsWireError):
    """The client would have had to wait longer than its ``max_wait`` for the vendor's pace.

    Nothing was sent. ``retry_after`` is the number of seconds after which
    the request would have been within the pace (call again then, or raise
    ``max_wait``; ``max_wait=None`` waits as long as the pace needs).
    """

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_rate_limited, (type(self), self.message, self.retry_after))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, retry_after={self.retry_after:.3f})"


def _rebuild_rate_limited(cls: type[RateLimited], message: str, retry_after: float) -> RateLimited:
    return cls(message, retry_after=retry_after)


def definitely_unsent(error: BaseException) -> bool:
    """Whether ``error`` proves the gateway did not act on the request.

    A refusal (:class:`GatewayError`), an operation the codec would not encode
    (:class:`EncodeError`), a wait the client refused (:class:`RateLimited`),
    or a connection that never opened; never a timeout that may have
    delivered, nor an answer we could not read (the gateway answered, so it
    acted), nor a split send of which some part went out.
    """
    if isinstance(error, TransportError):
        return not error.maybe_sent
    if isinstance(error, PartialSendError):
        return False
    if isinstance(error, FailoverError):
        return not error.maybe_sent
    return isinstance(error, (GatewayError, EncodeError, RateLimited))


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
    """No gateway performed the operation (or all of its parts).

    ``failures`` pairs each gateway tried (its ``name``) with its error, in
    order. For a send, the parts of it are accounted for exactly once:

    * ``sent``: ``(gateway, SendResult)`` for what each gateway accepted;
    * ``uncertain``: ``(gateway, operation)`` for a request that may have gone
      out there (a timeout, an unreadable answer): never tried elsewhere;
    * ``unsent``: the operations that no gateway sent (safe to send again).

    ``maybe_sent`` is ``True`` when anything went out or may have.
    """

    def __init__(
        self,
        failures: Sequence[tuple[str, SmsWireError]],
        *,
        sent: Sequence[tuple[str, SendResult]] = (),
        uncertain: Sequence[tuple[str, Operation[Any]]] = (),
        unsent: Sequence[Operation[Any]] = (),
    ) -> None:
        self.failures = tuple(failures)
        self.sent = tuple(sent)
        self.uncertain = tuple(uncertain)
        self.unsent = tuple(unsent)
        listed = "; ".join(f"{name}: {error}" for name, error in self.failures)
        message = f"every gateway failed ({listed})" if failures else "no gateway given"
        if self.sent or self.uncertain:
            accepted = sum(result.accepted for _, result in self.sent)
            message += (
                f"; {accepted} numbers sent, {len(self.uncertain)} request(s) may have been "
                f"sent, {len(self.unsent)} request(s) not sent"
            )
        super().__init__(message)

    @property
    def maybe_sent(self) -> bool:
        """Whether any gateway tried may have acted on the operation."""
        if any(result.receipts for _, result in self.sent) or self.uncertain:
            return True
        return any(not definitely_unsent(error) for _, error in self.failures)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_failover_error, (self.failures, self.sent, self.uncertain, self.unsent))


def _rebuild_failover_error(
    failures: Sequence[tuple[str, SmsWireError]],
    sent: Sequence[tuple[str, SendResult]],
    uncertain: Sequence[tuple[str, Operation[Any]]],
    unsent: Sequence[Operation[Any]],
) -> FailoverError:
    return FailoverError(failures, sent=sent, uncertain=uncertain, unsent=unsent)
