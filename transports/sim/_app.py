"""The simulator as an ASGI 3 application: every vendor's server side, from the codecs.

URL layout (one app, one port):

* ``/esms100/…``, ``/smscn/…``, ``/changlong/…``, ``/eims/…``: the vendor's own
  paths under its prefix (``/esms100/mt/?cpid=…`` is esms100's ``/mt/``);
* ``/emay/…``: Emay's secure interface (``/emay/inter/…``), its plain one
  (``/emay/simpleinter/…``) and ``/emay/report/retrieveReport``: interfaces of
  one vendor share its prefix, and a request goes to the codec whose traits
  declare its path;
* ``/_sim/…``: control endpoints (JSON in, JSON out):

  - ``POST /_sim/inject`` ``{vendor, account, mobile, content}``: a handset replies;
  - ``POST /_sim/faults`` a fault rule or a list of them, or ``{"clear": true}``
    (see :mod:`._faults`);
  - ``POST /_sim/push`` ``{vendor, account, url}``: push this account's reports
    and replies to ``url`` (loopback only; ``url: null`` stops);
  - ``GET /_sim/accounts``: the demo accounts (credentials included: it is a simulator).

The prefix is stripped and the codec's server role gets an
``HttpRequest(method, target, headers, body)`` with the target exactly as it
arrived (still percent-encoded). Refusals use the vendor's own codes: a bad
credential or a broken limit is the codec's ``GatewayError``; an empty balance
and a broken rate limit are the codes the vendor's spec lists with kind
``BALANCE`` and ``RATE_LIMIT``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
from smswire.codecs import (
    Batch,
    DecodeError,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PushCodec,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Spec,
    Stamp,
    to_jsonable,
)
from smswire.codecs._chinatime import CHINA

from .._body import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_MAX_BODY,
    OFFLOAD_ABOVE,
    BodyRefused,
    ClientDisconnected,
    read_body,
    refuse,
    request_target,
)
from ._faults import Fault, FaultKind, Faults
from ._profile import Gateway, Profile, available_profiles, error_code
from ._pushes import PushDispatcher, check_loopback
from ._state import AccountState, Outcome, Reply

__all__ = ["Simulator", "error_code"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_BALANCE = Decimal(100_000)


class Simulator:
    """The ASGI app serving every vendor's server side, with state, faults and pushes.

    ``outcome`` sets how reports turn out; ``rate_limits`` switches the
    enforcement of the specs' paces; ``clock`` returns the current time
    (aware, China time) and exists for tests. Bodies are read whole or not at
    all: a client gone mid-body is not served, a body above ``max_body_size``
    gets 413, one short of its ``Content-Length`` 400, one slower than
    ``body_timeout`` seconds 408; large bodies are decoded on a worker thread.
    """

    def __init__(
        self,
        *,
        outcome: Outcome | None = None,
        rate_limits: bool = True,
        balance: Decimal = DEFAULT_BALANCE,
        clock: Callable[[], datetime] | None = None,
        push_time_scale: float = 1.0,
        max_body_size: int = DEFAULT_MAX_BODY,
        body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
    ) -> None:
        self.outcome = outcome or Outcome()
        self.max_body_size = max_body_size
        self.body_timeout = body_timeout
        self.rate_limits = rate_limits
        self.clock = clock or (lambda: datetime.now(CHINA))
        self.faults = Faults()
        self.profiles: dict[str, Profile] = available_profiles()
        self._prefixes: dict[str, list[Profile]] = {}
        for profile in self.profiles.values():
            self._prefixes.setdefault(profile.prefix, []).append(profile)
        self._states: dict[tuple[str, str], AccountState] = {}
        self._seq = itertools.count(1)
        self._accounts = itertools.count(20000)
        self.pushes = PushDispatcher(self, time_scale=push_time_scale)
        for profile in self.profiles.values():
            key = (profile.group, profile.credential(profile.demo_account))
            if key not in self._states:
                self.add_account(profile.name, profile.demo_account, balance)

    # ------------------------------------------------------------------ accounts

    def add_account(
        self,
        vendor: str,
        account: Any,
        balance: Decimal = DEFAULT_BALANCE,
        outcome: Outcome | None = None,
    ) -> AccountState:
        """Open ``account`` at ``vendor`` with ``balance`` messages (replacing any same-named one).

        Without ``outcome`` the simulator's own applies, seeded per account.
        """
        profile = self._profile(vendor)
        credential = profile.credential(account)
        if outcome is None:
            seed = self.outcome.seed + len(self._states)
            outcome = Outcome(self.outcome.failure_ratio, self.outcome.delay, seed)
        state = AccountState(Decimal(balance), outcome, account)
        self._states[(profile.group, credential)] = state
        return state

    def new_account(
        self, vendor: str, balance: Decimal = DEFAULT_BALANCE, outcome: Outcome | None = None
    ) -> Any:
        """A fresh account at ``vendor`` (the demo account under a new name), for isolated tests."""
        profile = self._profile(vendor)
        number = next(self._accounts)
        account = attrs.evolve(profile.demo_account, **{profile.credential_field: str(number)})
        self.add_account(vendor, account, balance, outcome)
        return account

    def state(self, vendor: str, credential: str | None = None) -> AccountState:
        """The state of an account (the vendor's demo account by default)."""
        profile = self._profile(vendor)
        if credential is None:
            credential = profile.credential(profile.demo_account)
        try:
            return self._states[(profile.group, credential)]
        except KeyError:
            raise LookupError(f"{vendor} has no account {credential!r}") from None

    def demo_accounts(self) -> dict[str, Any]:
        """Vendor name → its demo account (current credentials)."""
        return {name: self.state(name).account for name in self.profiles}

    def inject_reply(
        self, vendor: str, mobile: str, content: str, credential: str | None = None
    ) -> None:
        """A handset ``mobile`` replies ``content`` to the account (read once, or pushed)."""
        profile = self._profile(vendor)
        state = self.state(vendor, credential)
        if not mobile.isascii() or not mobile.isdigit():
            raise ValueError(f"{mobile!r} is not a phone number")
        now = self.clock()
        # Refuse at once what this vendor's wire cannot carry, not at the next read.
        probe = profile.reply(Reply("0", mobile, content, now))
        try:
            profile.codec.encode_response(FetchInbound(), Batch((probe,)), state.account)
        except EncodeError as exc:
            raise ValueError(f"{vendor} cannot carry this reply: {exc}") from None
        state.add_reply(mobile, content, now)

    def click_short_link(self, vendor: str, code: str, credential: str | None = None) -> Any:
        """A recipient opens short link ``code`` (Emay); the click ``getShortLink`` will list."""
        return self.play(vendor, "click", code, credential)

    def play(self, vendor: str, event: str, argument: str, credential: str | None = None) -> Any:
        """An event of the outside world the vendor's codec declares (a click…), now.

        Returns what the gateway recorded; an event the vendor does not know is a ``LookupError``.
        """
        profile = self._profile(vendor)
        happen = profile.simulation.events.get(event)
        if happen is None:
            raise LookupError(f"{vendor} has no event {event!r}")
        return happen(Gateway(self.state(vendor, credential), profile, self.clock()), argument)

    def set_push_url(self, vendor: str, url: str | None, credential: str | None = None) -> None:
        """Push the account's reports and replies to ``url`` (loopback only); ``None`` stops."""
        profile = self._profile(vendor)
        if url is not None:
            check_loopback(url)
            if not isinstance(profile.codec, PushCodec):
                raise ValueError(f"{vendor} does not push")
        self.state(vendor, credential)
        self.pushes.configure(profile, credential or profile.credential(profile.demo_account), url)

    def _profile(self, vendor: str) -> Profile:
        try:
            return self.profiles[vendor]
        except KeyError:
            known = ", ".join(self.profiles)
            raise LookupError(
                f"the simulator serves no vendor {vendor!r} (known: {known})"
            ) from None

    # ------------------------------------------------------------------ ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            body = await read_body(
                scope, receive, max_size=self.max_body_size, timeout=self.body_timeout
            )
        except ClientDisconnected:
            # Half a send is no send: nothing is performed, and no one is left to answer.
            return
        except BodyRefused as error:
            await refuse(send, error)
            return
        path: str = scope["path"]
        if path.startswith("/_sim/"):
            status, payload = self._control(scope["method"], path, body)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            await _respond(
                send, HttpResponse(status, (("Content-Type", "application/json"),), data)
            )
            return
        target = request_target(scope)
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
        vendor_prefix, inner = _split_prefix(target)
        profiles = self._prefixes.get(vendor_prefix)
        if profiles is None:
            await _respond(send, _plain(404, f"no simulated vendor at {vendor_prefix}"))
            return
        fault = self.faults.take(profiles[0].group)
        if fault is not None and fault.kind is FaultKind.DROP:
            await _drop(send)
            return
        if fault is not None and fault.kind is FaultKind.DELAY:
            await asyncio.sleep(fault.seconds)
        if fault is not None and fault.kind is FaultKind.MALFORMED:
            await _respond(send, HttpResponse(200, (), fault.body))
            return
        request = HttpRequest(scope["method"], inner, headers, body)
        now = self.clock()
        stamp = Stamp(now, next(self._seq))
        if len(body) > OFFLOAD_ABOVE:
            import anyio.to_thread

            # Decoding is pure: off the loop. The state changes stay on the loop's thread.
            decoded = await anyio.to_thread.run_sync(self._decode, profiles, request, stamp)
        else:
            decoded = self._decode(profiles, request, stamp)
        if isinstance(decoded, HttpResponse):
            await _respond(send, decoded)
            return
        await _respond(send, self._answer(decoded, request, fault, now))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pushes.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.pushes.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # ------------------------------------------------------------------ gateway logic

    def handle(
        self, profiles: list[Profile], request: HttpRequest, fault: Fault | None = None
    ) -> HttpResponse:
        """The gateway's answer to ``request`` (already stripped of the vendor prefix)."""
        now = self.clock()
        decoded = self._decode(profiles, request, Stamp(now, next(self._seq)))
        if isinstance(decoded, HttpResponse):
            return decoded
        return self._answer(decoded, request, fault, now)

    def _decode(
        self, profiles: list[Profile], request: HttpRequest, stamp: Stamp
    ) -> tuple[Profile, Any, Any] | HttpResponse:
        """The profile, operation and account of ``request``, or the refusal to answer."""
        profile = _route(profiles, request)
        if profile is None:
            return _plain(404, f"no simulated interface answers {request.path}")
        codec = profile.codec
        try:
            op, account = codec.decode_request(request, self._lookup(profile), stamp)
        except GatewayError as exc:
            return codec.encode_error(request, exc)
        except DecodeError as exc:
            return _plain(400, f"{profile.name}: {exc}")
        return profile, op, account

    def _answer(
        self,
        decoded: tuple[Profile, Any, Any],
        request: HttpRequest,
        fault: Fault | None,
        now: datetime,
    ) -> HttpResponse:
        """Perform a decoded request on the account's state and render the answer."""
        profile, op, account = decoded
        codec = profile.codec
        state = self._states[(profile.group, profile.credential(account))]
        result: Any
        if fault is not None and fault.kind is FaultKind.ERROR:
            result = codec.spec.error(str(fault.code))
        elif not self._admit(codec.spec, state, op, now):
            result = codec.spec.error(self._rate_code(codec.spec))
        else:
            try:
                result = self._perform(profile, state, op, now)
            except GatewayError as exc:
                result = exc
        try:
            # The answer to this request: some vendors' answers follow the request's options.
            return codec.encode_response_to(request, op, result, account)
        except EncodeError as exc:
            return _plain(500, f"simulator state {profile.name} cannot render: {exc}")

    @staticmethod
    def _rate_code(spec: Spec) -> str:
        return error_code(spec, ErrorKind.RATE_LIMIT)

    def _lookup(self, profile: Profile) -> Callable[[str], Any]:
        def lookup(credential: str) -> Any:
            state = self._states.get((profile.group, credential))
            return None if state is None else state.account

        return lookup

    def _admit(self, spec: Spec, state: AccountState, op: Any, now: datetime) -> bool:
        if not self.rate_limits or not any(
            row.kind is ErrorKind.RATE_LIMIT for row in spec.statuses.values()
        ):
            # A vendor without a "too fast" code has no way to say so: nothing to enforce.
            return True
        pace = spec.rate_limit(op.rate_key)
        if pace is None:
            return True
        return state.admit(op.rate_key, now, pace.per_second, pace.min_interval)

    def _perform(self, profile: Profile, state: AccountState, op: Any, now: datetime) -> Any:
        if isinstance(op, SendSms):
            ids = op.client_ids or (None,) * len(op.mobiles)
            wanted = [(m, op.content, cid) for m, cid in zip(op.mobiles, ids, strict=True)]
            return profile.send(state, wanted, now, op.extension)
        if isinstance(op, SendPersonalized):
            wanted = [(m.mobile, m.content, m.client_id) for m in op.messages]
            return profile.send(state, wanted, now, op.extension)
        if isinstance(op, QueryBalance):
            return profile.balance(state.balance)
        if isinstance(op, FetchReports):
            taken = state.take_reports(now, profile.report_limit)
            return Batch(tuple(profile.report(item, now) for item in taken))
        if isinstance(op, FetchInbound):
            replies = state.take_replies(profile.reply_limit, op.since)
            return Batch(tuple(profile.reply(item) for item in replies))
        handler = profile.simulation.operations.get(type(op))
        if handler is None:
            raise profile.codec.spec.error(
                error_code(profile.codec.spec, ErrorKind.SERVER),
                message=f"the simulator does not perform {type(op).__name__}",
            )
        return handler(op, Gateway(state, profile, now))

    # ------------------------------------------------------------------ control endpoints

    def _control(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        try:
            if method == "GET" and path == "/_sim/accounts":
                # A simulator's demo credentials are meant to be read: secrets included.
                accounts = self.demo_accounts().items()
                return 200, {name: to_jsonable(account) for name, account in accounts}
            if method != "POST":
                return 405, {"error": f"{method} {path} is not a control operation"}
            data = json.loads(body.decode("utf-8") or "null")
            if path == "/_sim/inject":
                _need(data, ("vendor", "mobile", "content"))
                self.inject_reply(
                    data["vendor"], data["mobile"], data["content"], data.get("account")
                )
                return 200, {"ok": True}
            if path == "/_sim/faults":
                if isinstance(data, dict) and data.get("clear"):
                    self.faults.clear()
                    return 200, {"ok": True, "active": 0}
                rules = data if isinstance(data, list) else [data]
                for rule in rules:
                    if not isinstance(rule, dict):
                        raise ValueError("a fault rule is a JSON object")
                    self.faults.add(Fault.from_json(rule))
                return 200, {"ok": True, "active": len(self.faults.active())}
            if path == "/_sim/push":
                _need(data, ("vendor", "url"))
                self.set_push_url(data["vendor"], data["url"], data.get("account"))
                return 200, {"ok": True}
            return 404, {"error": f"no control endpoint {path}"}
        except (ValueError, LookupError, TypeError) as exc:
            return 400, {"error": str(exc)}


def _need(data: Any, keys: tuple[str, ...]) -> None:
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    missing = [key for key in keys if key not in data]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")


def _split_prefix(target: str) -> tuple[str, str]:
    rest = target[1:]
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    prefix, inner = "/" + rest[:cut], rest[cut:]
    if not inner.startswith("/"):
        inner = "/" + inner
    return prefix, inner


def _route(profiles: list[Profile], request: HttpRequest) -> Profile | None:
    """The interface whose codec declares the request's path (the only one, if alone)."""
    if len(profiles) == 1:
        # Its own server role says what is wrong with a path it does not answer.
        return profiles[0]
    return next((p for p in profiles if request.path in p.traits.paths), None)


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(status, (("Content-Type", "text/plain; charset=utf-8"),), text.encode())


async def _respond(send: Send, response: HttpResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    if response.header("content-length") is None:
        headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _drop(send: Send) -> None:
    """Close the connection without a byte of answer.

    ASGI has no verb for this; uvicorn's h11 cycle exposes its transport on the
    bound ``send``. After closing it we yield so that uvicorn sees the
    disconnection and writes no fallback 500. Any other server gets an
    answer cut short (headers promising a body that never comes).
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()
        for _ in range(3):
            await asyncio.sleep(0)
        return
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-length", b"4096")],
    }
    await send(start)
    raise ConnectionAbortedError("simulated connection drop")
