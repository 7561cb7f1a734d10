"""Run the simulator with uvicorn in-process, on 127.0.0.1 and an ephemeral port.

:class:`SimServer` starts uvicorn on its own thread and event loop, so
synchronous code, tests and async code alike can talk to it over real
loopback HTTP::

    with SimServer() as server:
        print(server.base_url)           # http://127.0.0.1:54321
        server.url("esms100")            # http://127.0.0.1:54321/esms100

The socket is bound before uvicorn starts, so the port is known at once and
no other process can take it in between.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from types import TracebackType
from typing import Any, Self

from ._app import Simulator

__all__ = ["LoopbackServer", "SimServer"]

_START_TIMEOUT = 10.0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackServer:
    """uvicorn serving any ASGI app on a loopback address, on a background thread.

    Also what tests use to run a push receiver for the simulator to call.
    ``access_log`` turns uvicorn's access log on (off by default; its lines go
    through the same credential-masking filter as every other record).
    """

    #: Default of the ``access_log`` option.
    access_log: bool = False

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        access_log: bool | None = None,
    ) -> None:
        if not _is_loopback(host):
            raise ValueError(f"the simulator listens on loopback addresses only, not {host!r}")
        self.app = app
        self.host = host
        self.port = port
        self.log_level = log_level
        if access_log is not None:
            self.access_log = access_log
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._socket is None:
            raise RuntimeError("the simulator is not running")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    def start(self) -> Self:
        """Bind, start uvicorn on a thread and wait until it accepts connections."""
        import uvicorn

        if self._thread is not None:
            raise RuntimeError("the simulator is already running")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self._socket = sock
        config = uvicorn.Config(
            self.app,
            log_level=self.log_level,
            # The h11 protocol lets a fault close a connection without answering.
            http="h11",
            lifespan="on",
            access_log=self.access_log,
            backlog=2048,
            timeout_keep_alive=30,
        )
        # uvicorn installs no signal handlers off the main thread: Ctrl-C stays the caller's.
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="smswire-sim", daemon=True
        )
        self._thread.start()
        for _ in range(int(_START_TIMEOUT / 0.01)):
            if server.started or not self._thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not server.started:
            self.stop()
            raise RuntimeError("the simulator did not start")
        return self

    def stop(self) -> None:
        """Ask uvicorn to finish and wait for its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=_START_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self._server = None
        self._thread = None
        self._socket = None

    def serve_forever(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class SimServer(LoopbackServer):
    """A :class:`LoopbackServer` running a :class:`Simulator` (a fresh one by default)."""

    def __init__(
        self,
        simulator: Simulator | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
    ) -> None:
        self.simulator = simulator or Simulator()
        super().__init__(self.simulator, host=host, port=port, log_level=log_level)

    def url(self, vendor: str) -> str:
        """The base URL a client of ``vendor`` uses (the server plus the vendor's prefix)."""
        return self.base_url + self.simulator.profiles[vendor].prefix
