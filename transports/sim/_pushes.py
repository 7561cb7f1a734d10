"""Pushes: the simulator calls the customer's URL the way a pushing gateway does.

For an account configured with a URL (loopback only), a background task on
the server's event loop takes the reports and replies as they become ready
and sends them with the codec's gateway side (``encode_push``), through an
``httpx.AsyncClient``. An answer that ``decode_push_ack`` does not accept, or
no answer at all, is retried after the vendor's documented intervals (the
profile's ``push_retries``, e.g. Emay's 10 s, 1 min, 10 min; ``time_scale``
shrinks them for tests); after the last one the push is abandoned, as the
vendors do. Reports and replies travel in separate pushes. The task runs
while the app's ASGI lifespan is active (uvicorn, as :class:`SimServer` runs it).
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs
from smswire.codecs import Batch, EncodeError, HttpRequest, HttpResponse

from ._profile import Profile

if TYPE_CHECKING:
    import httpx

    from ._app import Simulator

__all__ = ["PushDispatcher", "PushRecord", "check_loopback"]


def check_loopback(url: str) -> None:
    """Refuse any push URL that is not plain HTTP to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"push URL must be http://<loopback>:<port>/…, got {url!r}")
    host = parts.hostname
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the simulator pushes to loopback addresses only, not {host!r}")


def _join(url: str, target: str) -> str:
    # The codec's target is the vendor's own path and query; the customer's URL
    # is where the gateway was told to push, so the customer's path wins.
    if target in ("", "/"):
        return url
    path, sep, query = target.partition("?")
    base = url if path in ("", "/") else url.rstrip("/") + path
    if not sep:
        return base
    return base + ("&" if "?" in base else "?") + query


@attrs.frozen
class PushRecord:
    """The fate of one push: what it carried, how many attempts, whether it was acknowledged."""

    vendor: str
    credential: str
    kind: str
    items: int
    attempts: int
    acknowledged: bool
    error: str | None = None


class PushDispatcher:
    """Runs the pushes of every configured account on the server's event loop."""

    def __init__(self, sim: Simulator, *, time_scale: float = 1.0, interval: float = 0.05) -> None:
        self._sim = sim
        self.time_scale = time_scale
        self.interval = interval
        self._targets: dict[tuple[str, str], tuple[Profile, str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None
        self.records: list[PushRecord] = []

    def configure(self, profile: Profile, credential: str, url: str | None) -> None:
        """Push ``credential``'s items to ``url`` from now on (``None``: stop pushing)."""
        key = (profile.name, credential)
        if url is None:
            self._targets.pop(key, None)
        else:
            self._targets[key] = (profile, url)

    def start(self) -> None:
        """Start the background task (called at ASGI lifespan start-up)."""
        import httpx

        if self._task is None:
            self._http = httpx.AsyncClient(timeout=5.0, trust_env=False)
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop pushing; pushes waiting for a retry are abandoned."""
        tasks = [t for t in (self._task, *self._inflight) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _run(self) -> None:
        while True:
            self.tick()
            await asyncio.sleep(self.interval)

    def tick(self) -> None:
        """Take what is ready for every configured account and start pushing it."""
        now = self._sim.clock()
        for (_vendor, credential), (profile, url) in list(self._targets.items()):
            state = self._sim.state(profile.name, credential)
            reports = []
            if "reports" in profile.pushes:
                reports = state.take_reports(now, profile.report_limit)
            if reports:
                pushed = tuple(profile.pushed_report(r, now) for r in reports)
                self._spawn(profile, credential, url, "reports", pushed, state.account)
            replies = []
            if "replies" in profile.pushes:
                replies = state.take_replies(profile.reply_limit)
            if replies:
                answered = tuple(profile.pushed_reply(r) for r in replies)
                self._spawn(profile, credential, url, "replies", answered, state.account)

    def _spawn(
        self,
        profile: Profile,
        credential: str,
        url: str,
        kind: str,
        items: Sequence[Any],
        account: Any,
    ) -> None:
        task = asyncio.get_running_loop().create_task(
            self._deliver(profile, credential, url, kind, tuple(items), account)
        )
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _deliver(
        self,
        profile: Profile,
        credential: str,
        url: str,
        kind: str,
        items: tuple[Any, ...],
        account: Any,
    ) -> None:
        codec: Any = profile.codec
        try:
            waiting: list[HttpRequest] = list(codec.encode_push(Batch(items), account))
        except EncodeError as exc:
            self.records.append(
                PushRecord(profile.name, credential, kind, len(items), 0, False, str(exc))
            )
            return
        attempts = 0
        for wait in (0.0, *profile.push_retries):
            if wait:
                await asyncio.sleep(wait * self.time_scale)
            attempts += 1
            waiting = [r for r in waiting if not await self._post(codec, url, r)]
            if not waiting:
                break
        self.records.append(
            PushRecord(profile.name, credential, kind, len(items), attempts, not waiting)
        )

    async def _post(self, codec: Any, url: str, request: HttpRequest) -> bool:
        import httpx

        if self._http is None:
            return False
        try:
            answer = await self._http.request(
                request.method,
                _join(url, request.target),
                headers=list(request.headers),
                content=request.body,
            )
        except httpx.HTTPError:
            return False
        response = HttpResponse(answer.status_code, tuple(answer.headers.items()), answer.content)
        return bool(codec.decode_push_ack(response))
