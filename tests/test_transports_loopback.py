"""A real socket on 127.0.0.1: the target's bytes arrive unchanged; a closed port is not-sent."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import uvicorn
from smswire.codecs import CHINA, SendSms, Stamp, esms100
from smswire.transports import Client, RetryPolicy, TransportError

ACCOUNT = esms100.Account("10000", password="loopback-secret")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server() -> Iterator[tuple[str, list[bytes]]]:
    seen: list[bytes] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        seen.append(scope["raw_path"] + b"?" + scope["query_string"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"0"})

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/esms100", seen
    finally:
        instance.should_exit = True
        thread.join(5)


def test_gbk_target_crosses_a_real_socket_unchanged(server: tuple[str, list[bytes]]) -> None:
    url, seen = server
    with Client("esms100", ACCOUNT, url) as client:
        # esms100 requests carry no clock, so any stamp gives the same target.
        op = SendSms("13866668888", "发 送")
        request = esms100.Codec().encode_request(
            op, ACCOUNT, Stamp(datetime(2024, 1, 1, tzinfo=CHINA))
        )
        client.send("13866668888", "发 送")
    assert seen == [b"/esms100" + request.target.encode("ascii")]
    assert b"msgtext=%B7%A2+%CB%CD" in seen[0]


def test_a_closed_port_is_a_transport_error_that_was_not_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with (
        Client("esms100", ACCOUNT, url, retry=RetryPolicy.never()) as client,
        pytest.raises(TransportError) as info,
    ):
        client.send("13866668888", "x")
    assert info.value.maybe_sent is False
