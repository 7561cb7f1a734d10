"""When a failed request may be repeated, and how long to wait first.

Operations whose :class:`~smswire.codecs.Effect` is ``READ`` are repeated
after network errors, 5xx answers and retryable refusals. Every other
operation is repeated only after a refusal the vendor's status table marks
as a retryable rate limit ("操作频率过快", kind ``RATE_LIMIT``): such a refusal
proves the gateway did nothing. Otherwise a send may have gone out, a write
may have taken effect, and a destructive read may have handed its items out
already, even when the error says "retry".
"""

from __future__ import annotations

import random

from smswire.codecs import Effect, ErrorKind, GatewayError, HttpResponse, Operation, SmsWireError

from ._errors import TransportError

__all__ = ["DEFAULT_RETRY", "RetryPolicy"]


class RetryPolicy:
    """Capped exponential backoff with jitter, for safe repetitions only (see the module).

    ``attempts`` counts the first try (``attempts=1`` never retries). The
    n-th retry waits ``min(max_delay, base_delay * 2**(n-1))``, shortened by
    up to ``jitter`` (a fraction) at random so that many clients do not retry
    in step; pass ``seed`` or ``rng`` for repeatable delays.
    """

    def __init__(
        self,
        attempts: int = 3,
        *,
        base_delay: float = 0.5,
        max_delay: float = 10.0,
        jitter: float = 0.5,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        if not 0.0 <= jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")
        if base_delay < 0 or max_delay < 0:
            raise ValueError("delays cannot be negative")
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.jitter = jitter
        self._rng = rng if rng is not None else random.Random(seed)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(attempts=1)

    def retryable(
        self, op: Operation[object], failure: SmsWireError | HttpResponse, attempt: int
    ) -> bool:
        """Whether try number ``attempt`` of ``op``, which ended in ``failure``, may be repeated.

        ``failure`` is a network error, a gateway refusal, or an HTTP answer
        with a 5xx status.
        """
        if attempt >= self.attempts:
            return False
        if (
            isinstance(failure, GatewayError)
            and failure.kind is ErrorKind.RATE_LIMIT
            and failure.retryable
        ):
            # "Too fast" is answered before the gateway acts: nothing went out.
            return True
        if op.effect is not Effect.READ:
            return False
        if isinstance(failure, HttpResponse):
            return failure.status >= 500
        if isinstance(failure, TransportError):
            return True
        return isinstance(failure, GatewayError) and failure.retryable

    def delay(self, attempt: int) -> float:
        """Seconds to wait after try number ``attempt`` failed."""
        full = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return full * (1.0 - self.jitter * self._rng.random())

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(attempts={self.attempts}, base_delay={self.base_delay}, "
            f"max_delay={self.max_delay}, jitter={self.jitter})"
        )


#: The clients' default: three tries, 0.5 s then 1 s apart (less jitter).
DEFAULT_RETRY = RetryPolicy()
