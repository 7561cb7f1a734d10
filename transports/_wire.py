"""The httpx side of the core: building requests, timeouts, mapping network failures.

Timeouts: the caller's ``httpx.Client`` governs unless the smswire client was
given ``timeout=`` explicitly (then that applies to every request; ``None``
means no timeout at all). Destructive reads (reports, replies) get a longer
read timeout (``destructive_read_timeout``, 60 s by default, used when it is
longer than the governing one): a fetch whose answer times out has lost the
items the gateway handed out in it.
"""

from __future__ import annotations

import enum
from typing import Any, Final

import attrs
import httpx
from smswire.codecs import Effect, EncodeError, HttpRequest, HttpResponse, Operation

__all__ = [
    "DESTRUCTIVE_READ_TIMEOUT",
    "NEVER_SENT",
    "UNSET",
    "TimeoutArg",
    "Timeouts",
    "Unset",
    "base_url",
    "from_httpx",
]


class Unset(enum.Enum):
    """The type of :data:`UNSET`: an argument the caller did not give."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


#: ``timeout=UNSET`` (the default): the httpx client's own timeout governs.
UNSET: Final = Unset.UNSET
TimeoutArg = float | httpx.Timeout | None | Unset

#: Seconds a destructive read may wait for its answer, by default.
DESTRUCTIVE_READ_TIMEOUT = 60.0

#: The connection never opened: the gateway cannot have seen the request.
NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


def base_url(value: str | httpx.URL) -> httpx.URL:
    """``value`` checked as a gateway's base URL (http or https, no query or fragment)."""
    url = httpx.URL(value)
    if url.query or url.fragment:
        raise ValueError("base_url cannot carry a query or a fragment")
    if url.scheme not in ("http", "https"):
        raise ValueError("base_url must be an http:// or https:// URL")
    return url


@attrs.frozen
class Timeouts:
    """Which timeout each request gets; see the module docstring."""

    explicit: httpx.Timeout | Unset | None = UNSET
    destructive_read: float | None = DESTRUCTIVE_READ_TIMEOUT

    @classmethod
    def of(cls, timeout: TimeoutArg, destructive_read: float | None) -> Timeouts:
        """From the clients' ``timeout=`` and ``destructive_read_timeout=`` arguments."""
        if destructive_read is not None and destructive_read <= 0:
            raise ValueError("destructive_read_timeout must be positive (or None)")
        if isinstance(timeout, Unset) or timeout is None:
            return cls(timeout, destructive_read)
        return cls(httpx.Timeout(timeout), destructive_read)

    def for_op(self, op: Operation[Any] | None, governing: httpx.Timeout) -> httpx.Timeout | None:
        """The timeout to set on ``op``'s request, or ``None`` to leave the httpx client's."""
        given = not isinstance(self.explicit, Unset)
        if isinstance(self.explicit, Unset):
            base = governing
        else:
            # An explicit None is "no timeout at all", which httpx spells Timeout(None).
            base = httpx.Timeout(None) if self.explicit is None else self.explicit
        if op is None or op.effect is not Effect.DESTRUCTIVE_READ or self.destructive_read is None:
            return base if given else None
        read = base.read
        if read is not None:
            read = max(read, self.destructive_read)
        return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)


def to_httpx(
    request: HttpRequest, url: httpx.URL, prefix: bytes, timeout: httpx.Timeout | None
) -> httpx.Request:
    """The httpx request for ``request``, its target's bytes kept exactly as encoded."""
    try:
        target = request.target.encode("ascii")
    except UnicodeEncodeError:
        raise EncodeError("request target is not percent-encoded") from None
    extensions = {} if timeout is None else {"timeout": timeout.as_dict()}
    return httpx.Request(
        request.method,
        url.copy_with(raw_path=prefix + target),
        headers=list(request.headers),
        content=request.body or None,
        extensions=extensions,
    )


def from_httpx(response: httpx.Response) -> HttpResponse:
    """The codec's view of an httpx response whose body has been read."""
    return HttpResponse(response.status_code, response.headers.multi_items(), response.content)
