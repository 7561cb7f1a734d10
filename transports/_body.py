"""Reading an ASGI request body whole, bounded, or not at all.

Shared by :class:`~smswire.transports.PushReceiver` and the simulator: a body
is processed only when it arrived complete. A client that disconnects
mid-body, a body shorter than its ``Content-Length``, a body above the size
limit (refused with 413 as soon as the ``Content-Length`` or the bytes read
so far pass it) and one that does not finish within the read timeout are
never handed on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_MAX_BODY",
    "OFFLOAD_ABOVE",
    "BodyRefused",
    "ClientDisconnected",
    "read_body",
    "refuse",
    "request_target",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Default body size limit: far above any push or request the vendors document
#: (Emay's 500-record pages, EIMS's 50-report pushes), far below what hurts a server.
DEFAULT_MAX_BODY = 8 * 1024 * 1024
#: Default seconds for the whole body to arrive once the request line has.
DEFAULT_BODY_TIMEOUT = 30.0
#: Bodies larger than this are decoded on a worker thread, not on the event loop.
OFFLOAD_ABOVE = 256 * 1024


class ClientDisconnected(Exception):
    """The client went away before its body was complete: nothing to process or answer."""


class BodyRefused(Exception):
    """The body is not processed; ``status`` is the HTTP answer (400, 408, 413)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            if not text.isascii() or not text.isdigit():
                raise BodyRefused(400, "Content-Length is not a number")
            return int(text)
    return None


async def read_body(
    scope: Scope,
    receive: Receive,
    *,
    max_size: int = DEFAULT_MAX_BODY,
    timeout: float | None = DEFAULT_BODY_TIMEOUT,
) -> bytes:
    """The whole body, or :class:`BodyRefused` / :class:`ClientDisconnected`."""
    import anyio

    declared = _declared_length(scope)
    if declared is not None and declared > max_size:
        raise BodyRefused(413, f"body of {declared} bytes is above the limit of {max_size}")
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnected
                chunk: bytes = message.get("body", b"")
                size += len(chunk)
                if size > max_size:
                    raise BodyRefused(413, f"body above the limit of {max_size} bytes")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise BodyRefused(408, f"body not complete within {timeout} s") from None
    if declared is not None and size != declared:
        raise BodyRefused(400, f"body of {size} bytes, Content-Length said {declared}")
    return b"".join(chunks)


async def refuse(send: Send, error: BodyRefused) -> None:
    """Answer a refused body and ask for the connection to close (its rest is unread)."""
    text = f"{error.reason}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})


def request_target(scope: Scope) -> str:
    """The request target as the request line carried it (COMMON convention).

    ASGI's ``raw_path`` and ``query_string`` are the request line's bytes;
    decoded as UTF-8 with ``surrogateescape`` they come back byte for byte
    (``parse_query`` re-encodes them so), so raw GBK reaches the codec intact.
    """
    raw: bytes | None = scope.get("raw_path")
    if not raw:
        from urllib.parse import quote

        raw = quote(scope.get("path", "/"), safe="/").encode("ascii")
    query: bytes = scope.get("query_string", b"")
    data = raw + b"?" + query if query else raw
    return data.decode("utf-8", "surrogateescape")
