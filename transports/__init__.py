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
pacing requests by the spec's rate limits (:class:`RateLimiter`), retrying
only safe reads (:class:`RetryPolicy`), handing the raw exchange to
``on_raw`` before decoding, and mapping network failures to
:class:`TransportError` with ``maybe_sent``. :class:`Failover` and
:class:`AsyncFailover` chain gateways without risking a double send;
:func:`handle_push` and :class:`PushReceiver` receive pushed reports and replies.
Wire details are logged at debug level on the ``smswire.transports`` logger,
credentials masked.
"""

from __future__ import annotations

# First: httpx without its command-line client (a third of httpx's import time).
from . import _httpx  # noqa: F401
from ._async import AsyncClient
from ._core import china_now, mask
from ._errors import FailoverError, PartialSendError, TransportError
from ._failover import AsyncFailover, Failover
from ._push import PushReceiver, PushResult, handle_push, raw_push
from ._ratelimit import RateLimiter
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
    "RateLimiter",
    "RetryPolicy",
    "TransportError",
    "china_now",
    "handle_push",
    "mask",
    "raw_push",
]
