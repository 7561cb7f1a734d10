"""The smswire pytest plugin: a gateway double in one line, the way respx gives one for httpx.

Registered through the ``pytest11`` entry point, so installing smswire with the
``testing`` extra makes these fixtures available to any test suite::

    async def test_signup_sends_a_code(smswire_sim):
        async with smswire_sim.client("esms100") as sms:     # an smswire AsyncClient
            await my_app.signup("13800138000", sms=sms)
        assert smswire_sim.sent("esms100")[0].mobile == "13800138000"

    def test_gateway_down(smswire_sim_server):
        smswire_sim_server.simulator.faults.drop(count=None, vendor="esms100")
        ...

Fixtures (each function-scoped, a fresh simulator each time):

* ``smswire_simulator``: a :class:`~smswire.transports.sim.Simulator`, every
  registered vendor (plug-ins included) with its demo account;
* ``smswire_sim``: that simulator in process, over ``httpx.ASGITransport`` (no
  socket): :class:`InProcessSim`;
* ``smswire_sim_server``: that simulator on a loopback port
  (:class:`~smswire.transports.sim.SimServer`), for code that opens its own
  connections, pushes included;
* ``smswire_pushes``: a factory, ``smswire_pushes("smscn")``, pointing the
  loopback simulator's pushes of a vendor's demo account at a receiver that
  captures them (:class:`PushCapture`).

Fault injection is the simulator's own (``.faults.error(code)``, ``.drop()``,
``.delay(seconds)``, ``.malformed()``). The plugin imports nothing of the
simulator until a fixture is used; without the ``sim`` extra (httpx, uvicorn)
the fixtures skip, saying which extra to install. It defines fixtures only (no
hooks), all named ``smswire_…``, so a suite that does not ask for them runs
exactly as it would without the plugin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["InProcessSim", "PushCapture"]


def _need_sim() -> None:
    for module in ("httpx", "uvicorn"):
        try:
            __import__(module)
        except ImportError:
            pytest.skip(
                f"smswire's simulator fixtures need the 'sim' extra ({module} is missing): "
                "pip install 'smswire[sim]'"
            )


class InProcessSim:
    """A simulator served in process: clients reach it through :attr:`transport`."""

    #: The base URL in-process clients use (nothing listens there).
    base_url = "http://smswire-sim.invalid"

    def __init__(self, simulator: Any) -> None:
        import httpx

        self.simulator = simulator
        self.transport = httpx.ASGITransport(app=simulator)
        self.faults = simulator.faults

    def url(self, vendor: str) -> str:
        """The base URL of ``vendor``'s gateway."""
        prefix: str = self.simulator.profiles[vendor].prefix
        return self.base_url + prefix

    def account(self, vendor: str) -> Any:
        """The demo account the simulator opened for ``vendor``."""
        return self.simulator.demo_accounts()[vendor]

    def http(self) -> Any:
        """A new ``httpx.AsyncClient`` on the in-process transport (the caller closes it)."""
        import httpx

        return httpx.AsyncClient(transport=self.transport, base_url=self.base_url)

    def client(self, vendor: str, account: Any = None, **options: Any) -> Any:
        """An smswire ``AsyncClient`` for ``vendor`` (its demo account by default)."""
        from smswire.transports import AsyncClient

        return AsyncClient(
            vendor,
            self.account(vendor) if account is None else account,
            self.url(vendor),
            http=self.http(),
            **options,
        )

    def sent(self, vendor: str) -> tuple[Any, ...]:
        """What the demo account of ``vendor`` was asked to send, in order."""
        sent: tuple[Any, ...] = self.simulator.state(vendor).sent()
        return sent

    def inject_reply(self, vendor: str, mobile: str, content: str) -> Any:
        """A reply from ``mobile`` to ``vendor``'s demo account, for the next inbound read."""
        return self.simulator.inject_reply(vendor, mobile, content)


class PushCapture:
    """The pushes a vendor's gateway made to a loopback receiver: reports and replies."""

    def __init__(self, vendor: str, url: str) -> None:
        self.vendor = vendor
        self.url = url
        self.reports: list[Any] = []
        self.inbound: list[Any] = []
        self.undecodable: list[bytes] = []
        self._arrived = threading.Condition()

    def _add(self, into: list[Any], item: Any) -> None:
        with self._arrived:
            into.append(item)
            self._arrived.notify_all()

    def wait(self, reports: int = 0, inbound: int = 0, timeout: float = 5.0) -> None:
        """Block until at least ``reports`` reports and ``inbound`` replies arrived."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.reports) < reports or len(self.inbound) < inbound:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{self.vendor}: {len(self.reports)} reports and {len(self.inbound)} "
                        f"replies pushed within {timeout}s, wanted {reports} and {inbound}"
                    )
                self._arrived.wait(left)


@pytest.fixture
def smswire_simulator() -> Any:
    """A fresh simulator of every registered vendor (push delays scaled down)."""
    _need_sim()
    from smswire.transports.sim import Simulator

    return Simulator(push_time_scale=0.01)


@pytest.fixture
def smswire_sim(smswire_simulator: Any) -> InProcessSim:
    """The simulator in process, over ``httpx.ASGITransport``."""
    return InProcessSim(smswire_simulator)


@pytest.fixture
def smswire_sim_server(smswire_simulator: Any) -> Iterator[Any]:
    """The simulator on an ephemeral loopback port (``.url(vendor)``, ``.simulator``)."""
    from smswire.transports.sim import SimServer

    with SimServer(smswire_simulator) as server:
        yield server


@pytest.fixture
def smswire_pushes(smswire_sim_server: Any) -> Iterator[Any]:
    """``smswire_pushes(vendor)``: capture that vendor's pushes from the loopback simulator."""
    from smswire.codecs import PushCodec, get_codec
    from smswire.transports import PushReceiver
    from smswire.transports.sim import LoopbackServer

    servers: list[Any] = []
    sim = smswire_sim_server.simulator

    def capture(vendor: str) -> PushCapture:
        codec = get_codec(vendor)
        if not isinstance(codec, PushCodec):
            raise ValueError(f"{vendor} does not push")
        account = sim.demo_accounts()[vendor]
        box = PushCapture(vendor, "")
        receiver = PushReceiver(
            codec,
            account,
            on_report=lambda item: box._add(box.reports, item),
            on_inbound=lambda item: box._add(box.inbound, item),
            on_undecodable=lambda raw, _error: box._add(box.undecodable, raw),
        )
        server = LoopbackServer(receiver).start()
        servers.append(server)
        box.url = server.base_url + "/push"
        sim.set_push_url(vendor, box.url)
        return box

    yield capture
    for server in servers:
        server.stop()
