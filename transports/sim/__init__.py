"""The gateway simulator: every vendor's server side, from the codecs, over real HTTP.

An ASGI 3 app (:class:`Simulator`) serves each vendor under a path prefix
(``/esms100/…``, ``/smscn/…``, ``/changlong/…``, ``/eims/…``, ``/emay/…``),
built only on the codecs' server role, with per-account state (balance,
message ids, delivery reports, replies, vendor extras), the vendors' own
refusals (credentials, limits, balance, rate limits), fault injection and
pushes. :class:`SimServer` runs it with uvicorn on 127.0.0.1 and an ephemeral
port::

    from smswire.transports.sim import SimServer
    with SimServer() as server:
        account = server.simulator.demo_accounts()["esms100"]
        base_url = server.url("esms100")

Install the ``sim`` extra (uvicorn, httpx). See :mod:`._app` for the URL
layout and the ``/_sim/…`` control endpoints.
"""

from __future__ import annotations

from ._app import DEFAULT_BALANCE, Simulator, error_code
from ._faults import Fault, FaultKind, Faults
from ._profile import Profile, missing_profiles
from ._pushes import PushRecord, check_loopback
from ._server import LoopbackServer, SimServer
from ._state import AccountState, Outcome, message_parts

__all__ = [
    "DEFAULT_BALANCE",
    "AccountState",
    "Fault",
    "FaultKind",
    "Faults",
    "LoopbackServer",
    "Outcome",
    "Profile",
    "PushRecord",
    "SimServer",
    "Simulator",
    "check_loopback",
    "error_code",
    "message_parts",
    "missing_profiles",
]
