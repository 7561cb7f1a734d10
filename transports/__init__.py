"""smswire.transports: everything that performs I/O on top of smswire.codecs.

>>> from smswire.transports import Client
>>> from smswire.codecs import esms100
>>> with Client("esms100", esms100.Account(cpid="10000", password="…"),
...             "http://127.0.0.1:8000/esms100") as client:    # doctest: +SKIP
...     client.send(["13866668888"], "你好")

:class:`Client` (``httpx.Client``) and :class:`AsyncClient` (``httpx.AsyncClient``)
are thin shims over one shared core: stamping each request with China time and
a per-account sequence number, splitting operations to the vendor's limits
with the codec's planner (:class:`PartialSendError` when a later part fails),
pacing requests by the spec's rate limits (:class:`RateLimiter`; a wait
longer than ``max_wait`` raises :class:`RateLimited`), retrying only what
cannot duplicate a message or lose a destructive read (:class:`RetryPolicy`),
handing the raw exchange to ``on_raw`` before decoding, and mapping network
failures to :class:`TransportError` with ``maybe_sent`` (and, for
destructive reads, ``maybe_consumed``). The caller's ``httpx`` client
governs timeouts unless ``timeout=`` is given. :class:`Failover` and
:class:`AsyncFailover` chain gateways without risking a double send (a split
send refused part way moves on only its unsent parts);
:func:`handle_push` and :class:`PushReceiver` receive pushed reports and replies.
Wire details are logged at debug level on the ``smswire.transports`` logger.
Importing this package puts a masking filter (:mod:`._logging`) on our
logger and on httpx's, httpcore's and uvicorn's, so that no record carries a
credential. The clients need the ``http`` extra (httpx); the names are
imported on first use, so the command line's ``encode``/``decode`` work
without it.
"""

from __future__ import annotations

import contextlib
import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from . import _logging

if TYPE_CHECKING:
    from ._async import AsyncClient
    from ._core import china_now, mask
    from ._errors import FailoverError, PartialSendError, RateLimited, TransportError
    from ._failover import AsyncFailover, Failover
    from ._logging import SecretFilter
    from ._push import PushReceiver, PushResult, handle_push, raw_push
    from ._ratelimit import RateLimiter, Ticket
    from ._retry import DEFAULT_RETRY, RetryPolicy
    from ._sync import Client

__all__ = [
    "DEFAULT_RETRY",
    "AsyncClient",
    "AsyncFailover",
    "Client",
    "Failover",
    "FailoverError",
    "PartialSendError",
    "PushReceiver",
    "PushResult",
    "RateLimited",
    "RateLimiter",
    "RetryPolicy",
    "SecretFilter",
    "Ticket",
    "TransportError",
    "__version__",
    "china_now",
    "handle_push",
    "mask",
    "raw_push",
]

_HOMES = {
    "AsyncClient": "._async",
    "china_now": "._core",
    "mask": "._core",
    "FailoverError": "._errors",
    "PartialSendError": "._errors",
    "RateLimited": "._errors",
    "TransportError": "._errors",
    "AsyncFailover": "._failover",
    "Failover": "._failover",
    "PushReceiver": "._push",
    "PushResult": "._push",
    "handle_push": "._push",
    "raw_push": "._push",
    "RateLimiter": "._ratelimit",
    "Ticket": "._ratelimit",
    "DEFAULT_RETRY": "._retry",
    "RetryPolicy": "._retry",
    "Client": "._sync",
    "SecretFilter": "._logging",
}

_logging.install()

try:
    #: The installed distribution's version (from its metadata).
    __version__ = version("smswire")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # First: httpx without its command-line client (a third of httpx's import time). In the
    # base install it is missing, and the name's own import says which extra to install.
    with contextlib.suppress(ImportError):
        from . import _httpx  # noqa: F401
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
