"""Transports' shared core: masking, sequence numbers, the rate limiter, the retry policy.

Also home of the fakes the other transport tests use: a small codec (with a
push side) over a plain wire parsed here by hand, a fake clock, and a driver
that runs the sync and the async client alike.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlsplit

import attrs
import httpx
import pytest
from smswire.codecs import (
    Balance,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    RateLimit,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._spec import parse_spec
from smswire.transports import (
    AsyncClient,
    Client,
    FailoverError,
    PartialSendError,
    RateLimited,
    RateLimiter,
    RetryPolicy,
    TransportError,
    mask,
)
from smswire.transports._core import Core, Exchange, Pause, Sequencer, may_fail_over
from smswire.transports._errors import definitely_unsent

# ------------------------------------------------------------------ fakes

FAKE_SPEC = parse_spec(
    {
        "vendor": "fake",
        "document": "none",
        "base_url": "http://127.0.0.1:9",
        "rate_limits": {
            "send": {"per_second": 2},
            "balance": {"min_interval": 30.0},
        },
        "statuses": [
            {"code": "E1", "text": "忙", "english": "busy", "kind": "server", "retryable": True},
            {
                "code": "E2",
                "text": "拒",
                "english": "refused",
                "kind": "invalid_request",
                "retryable": False,
            },
            {"code": "E3", "text": "密", "english": "auth", "kind": "auth", "retryable": False},
            {
                "code": "E4",
                "text": "快",
                "english": "fast",
                "kind": "rate_limit",
                "retryable": True,
            },
            {"code": "E5", "text": "满", "english": "quota", "kind": "rate_limit"}
            | {"retryable": False},
        ],
    }
)
PASSWORD = "pa55-w0rd-secret"
NOW = datetime(2024, 5, 1, 9, 30, 15, tzinfo=CHINA)


@attrs.frozen
class FakeAccount:
    """Credentials of the fake wire."""

    user: str
    password: str = attrs.field(repr=False, default=PASSWORD)


@attrs.frozen
class Rename(Operation[None]):
    """A write: never retried."""

    effect: ClassVar[Effect] = Effect.WRITE
    rate_key: ClassVar[str] = "rename"

    name: str


class FakeCodec:
    """A codec over a plain wire: ``GET /send?user&pwd&to&text&seq&t``, answers ``OK id,id``.

    Sends split by two numbers; number ``"999"`` is refused by the encoder.
    Answers: ``ERR <code>`` is a refusal; a report line is ``mobile,code``.
    Pushes: ``POST`` (or ``GET`` with ``?data=``) lines ``R,mobile,code`` or
    ``M,mobile,text``, authenticated by an ``X-Token`` header.
    """

    vendor = "fake"
    spec = FAKE_SPEC

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        return (SendSms, QueryBalance, FetchReports, FetchInbound, Rename)

    def plan(self, op: Operation[Any]) -> tuple[Operation[Any], ...]:
        if isinstance(op, SendSms) and len(op.mobiles) > 2:
            return tuple(
                attrs.evolve(op, mobiles=op.mobiles[i : i + 2])
                for i in range(0, len(op.mobiles), 2)
            )
        return (op,)

    def encode_request(self, op: Operation[Any], account: FakeAccount, stamp: Stamp) -> HttpRequest:
        pairs = [("user", account.user), ("pwd", account.password), ("seq", str(stamp.seq))]
        pairs.append(("t", stamp.now.strftime("%Y%m%d%H%M%S")))
        if isinstance(op, SendSms):
            if "999" in op.mobiles:
                raise EncodeError("fake: number 999 cannot be carried")
            pairs += [("to", ",".join(op.mobiles)), ("text", op.content)]
            path = "/send"
        elif isinstance(op, SendPersonalized):
            pairs += [(m.mobile, m.content) for m in op.messages]
            path = "/personal"
        elif isinstance(op, Rename):
            pairs.append(("name", op.name))
            path = "/rename"
        else:
            path = {QueryBalance: "/balance", FetchReports: "/reports", FetchInbound: "/inbound"}[
                type(op)
            ]
        query = "&".join(f"{k}={quote(v, safe='', encoding='utf-8')}" for k, v in pairs)
        return HttpRequest("GET", f"{path}?{query}")

    def decode_response(self, op: Operation[Any], response: HttpResponse, account: Any) -> Any:
        if response.status != 200:
            raise DecodeError(f"fake answered HTTP {response.status}", response.body)
        text = response.body.decode("utf-8")
        if text.startswith("ERR "):
            raise FAKE_SPEC.error(text[4:], raw=response.body)
        if isinstance(op, (SendSms, SendPersonalized)):
            if not text.startswith("OK "):
                raise DecodeError("not OK", response.body)
            ids = text[3:].split(",")
            mobiles = op.mobiles if isinstance(op, SendSms) else [m.mobile for m in op.messages]
            return SendResult(tuple(Receipt(m, i) for m, i in zip(mobiles, ids, strict=True)))
        if isinstance(op, QueryBalance):
            return Balance(Decimal(text))
        if isinstance(op, Rename):
            return None
        if text == "???":
            # The fragment only: the core must widen it to the whole body.
            raise DecodeError("unreadable", b"???")
        items, bad = [], []
        for line in text.splitlines():
            mobile, _, code = line.partition(",")
            if mobile.isdigit() and code in ("1", "2"):
                status = DeliveryStatus.DELIVERED if code == "1" else DeliveryStatus.FAILED
                items.append(DeliveryReport(mobile, status, code))
            else:
                bad.append(line.encode())
        return Batch(tuple(items), tuple(bad))

    # push side
    def decode_push(
        self, request: HttpRequest, lookup: Callable[[str], FakeAccount | None]
    ) -> Batch[Any]:
        account = lookup(request.header("x-user", ""))
        if account is None or request.header("x-token") != account.password:
            raise FAKE_SPEC.error("E3")
        if request.method == "GET":
            data = dict(parse_qsl(request.query)).get("data", "")
        else:
            data = request.body.decode("utf-8", "replace")
        if not data:
            raise DecodeError("empty push", request.body)
        items: list[Any] = []
        bad: list[bytes] = []
        for line in data.split("\n"):
            kind, _, rest = line.partition(",")
            mobile, _, value = rest.partition(",")
            if kind == "R" and mobile.isdigit() and value in ("1", "2"):
                status = DeliveryStatus.DELIVERED if value == "1" else DeliveryStatus.FAILED
                items.append(DeliveryReport(mobile, status, value))
            elif kind == "M" and mobile.isdigit():
                items.append(InboundMessage(mobile, value))
            else:
                bad.append(line.encode())
        return Batch(tuple(items), tuple(bad))

    def push_ack(self) -> HttpResponse:
        return HttpResponse(200, (("Content-Type", "text/plain"),), b"ACK")


def params(request: httpx.Request) -> dict[str, str]:
    """The query of a request as sent on the wire, parsed independently."""
    return dict(parse_qsl(urlsplit(request.url.raw_path.decode("ascii")).query))


class FakeClock:
    """A monotonic clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


Handler = Callable[[httpx.Request], httpx.Response]


class Driver:
    """One client (sync or async) over a mock transport, called the same way in tests."""

    def __init__(
        self,
        kind: str,
        handler: Handler,
        codec: Any = None,
        account: Any = None,
        base_url: str = "http://127.0.0.1:8000",
        **options: Any,
    ) -> None:
        self.kind = kind
        self.clock = FakeClock()
        self.requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        transport = httpx.MockTransport(record)
        options.setdefault("clock", self.clock)
        options.setdefault("now", lambda: NOW)
        codec = FakeCodec() if codec is None else codec
        account = FakeAccount(f"u{id(self)}") if account is None else account
        if kind == "sync":
            options.setdefault("sleep", self.clock.sleep)
            self.client: Any = Client(
                codec, account, base_url, http=httpx.Client(transport=transport), **options
            )
        else:
            options.setdefault("sleep", self.clock.asleep)
            self.client = AsyncClient(
                codec, account, base_url, http=httpx.AsyncClient(transport=transport), **options
            )

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            outcome = method(*args, **kwargs)
            return asyncio.run(outcome) if inspect.iscoroutine(outcome) else outcome

        return run


def answer(*bodies: bytes | int | Exception) -> Handler:
    """A handler giving these answers in turn: a body (200), a status, or raising an error."""
    queue = list(bodies)

    def handle(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        if isinstance(item, int):
            return httpx.Response(item, content=b"busy")
        return httpx.Response(200, content=item)

    return handle


# ------------------------------------------------------------------ masking and stamps


def test_mask_hides_every_credential_parameter_and_nothing_else() -> None:
    target = "/mt/?cpid=1&cppwd=AB12&pwd=x&password=y&us_pwd=z&sign=s&oldpwd=o&newpwd=n&phone=138"
    assert mask(target) == (
        "/mt/?cpid=1&cppwd=***&pwd=***&password=***&us_pwd=***&sign=***"
        "&oldpwd=***&newpwd=***&phone=138"
    )
    assert mask("/x?mypwd=1&PWD=2") == "/x?mypwd=1&PWD=***"


def test_sequence_numbers_start_at_one_per_key() -> None:
    seq = Sequencer()
    assert [seq.next("a"), seq.next("a"), seq.next("b"), seq.next("a")] == [1, 2, 1, 3]


def test_core_stamps_china_time_and_increments_per_account() -> None:
    account = FakeAccount("stamp-test")
    first = Core(FakeCodec(), account, "http://127.0.0.1", clock=lambda: 0.0, now=lambda: NOW)
    second = Core(FakeCodec(), account, "http://127.0.0.1", clock=lambda: 0.0, now=lambda: NOW)
    other = Core(FakeCodec(), FakeAccount("x"), "http://127.0.0.1", clock=lambda: 0.0)
    assert first.stamp() == Stamp(NOW, 1)
    # Two clients of one account never reuse a number.
    assert second.stamp().seq == 2
    assert first.stamp().seq == 3
    assert other.stamp().seq == 1
    assert other.stamp().now.utcoffset() == CHINA.utcoffset(None)


def test_core_is_a_state_machine_of_steps() -> None:
    clock = FakeClock()
    core = Core(FakeCodec(), FakeAccount("steps"), "http://127.0.0.1", clock=clock, now=lambda: NOW)
    steps = core.perform(QueryBalance())
    first = next(steps)
    assert isinstance(first, Exchange)
    assert first.request.path == "/balance"
    with pytest.raises(StopIteration) as done:
        steps.send(HttpResponse(200, (), b"42"))
    assert done.value.value == Balance(Decimal(42))
    # The spec asks for 30 s between balance queries: the next one starts with a pause.
    steps = core.perform(QueryBalance())
    assert next(steps) == Pause(30.0)


def test_codec_by_name_takes_its_options_and_refuses_them_with_an_instance() -> None:
    from smswire.codecs import esms100

    account = esms100.Account("1", password="p")
    core = Core(
        "esms100",
        account,
        "http://127.0.0.1",
        clock=lambda: 0.0,
        codec_options={"charset": "utf-8"},
    )
    assert core.codec == esms100.Codec(charset="utf-8")
    with pytest.raises(TypeError):
        Core(
            esms100.Codec(),
            account,
            "http://127.0.0.1",
            clock=lambda: 0.0,
            codec_options={"charset": "utf-8"},
        )
    with pytest.raises(ValueError, match="query"):
        Core(esms100.Codec(), account, "http://127.0.0.1/?a=1", clock=lambda: 0.0)


# ------------------------------------------------------------------ rate limiter


def go(limiter: RateLimiter, key: str, limit: RateLimit | None) -> float:
    """Reserve and, when no wait is planned, start at once; the planned wait."""
    ticket = limiter.reserve(key, limit)
    if ticket.wait == 0:
        assert limiter.start(ticket) == 0.0
    return ticket.wait


def test_rate_limiter_allows_a_burst_per_second_then_plans_behind_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, margin=0.0)
    limit = RateLimit(per_second=2)
    tickets = [limiter.reserve("k", limit) for _ in range(5)]
    # Planned slots spread the callers: 1000, 1000, 1001, 1001, 1002.
    assert [t.wait for t in tickets] == [0.0, 0.0, 1.0, 1.0, 2.0]
    for ticket in tickets:
        limiter.release(ticket)
    clock.t += 10
    assert go(limiter, "k", limit) == 0.0
    assert go(limiter, "other", limit) == 0.0


def test_rate_limiter_min_interval_and_fractional_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock)
    assert go(limiter, "b", RateLimit(min_interval=60.0)) == 0.0
    clock.t += 15
    assert go(limiter, "b", RateLimit(min_interval=60.0)) == 45.0
    assert go(limiter, "h", RateLimit(per_second=0.5)) == 0.0
    assert go(limiter, "h", RateLimit(per_second=0.5)) == 2.0
    assert go(limiter, "none", None) == 0.0
    assert go(limiter, "none", RateLimit()) == 0.0


# ------------------------------------------------------------------ retry policy


def test_backoff_is_exponential_capped_and_jitter_is_seeded() -> None:
    exact = RetryPolicy(10, base_delay=0.5, max_delay=3.0, jitter=0.0)
    assert [exact.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    a = RetryPolicy(10, base_delay=1.0, max_delay=100.0, jitter=0.5, seed=7)
    b = RetryPolicy(10, base_delay=1.0, max_delay=100.0, jitter=0.5, seed=7)
    delays = [a.delay(n) for n in range(1, 6)]
    assert delays == [b.delay(n) for n in range(1, 6)]
    for n, d in enumerate(delays, start=1):
        assert 0.5 * 2 ** (n - 1) <= d <= 2 ** (n - 1)
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(0)


BUSY = FAKE_SPEC.error("E1")
REFUSED = FAKE_SPEC.error("E2")
TIMEOUT = TransportError("read timeout", maybe_sent=True)
TOO_FAST = FAKE_SPEC.error("E4")
QUOTA = FAKE_SPEC.error("E5")


@pytest.mark.parametrize(
    ("op", "failure", "expected"),
    [
        (QueryBalance(), TIMEOUT, True),
        (QueryBalance(), BUSY, True),
        (QueryBalance(), REFUSED, False),
        (QueryBalance(), HttpResponse(503), True),
        (QueryBalance(), HttpResponse(404), False),
        (QueryBalance(), DecodeError("x"), False),
        (SendSms("1", "x"), BUSY, False),
        # "Too fast" is refused before the gateway acts: safe to repeat, whatever the effect.
        (SendSms("1", "x"), TOO_FAST, True),
        (FetchReports(), TOO_FAST, True),
        (Rename("n"), TOO_FAST, True),
        (QueryBalance(), TOO_FAST, True),
        (SendSms("1", "x"), QUOTA, False),
        (SendSms("1", "x"), TransportError("refused", maybe_sent=False), False),
        (SendSms("1", "x"), HttpResponse(503), False),
        (FetchReports(), BUSY, False),
        (FetchReports(), HttpResponse(500), False),
        (FetchInbound(), TIMEOUT, False),
        (Rename("n"), BUSY, False),
    ],
)
def test_only_what_cannot_duplicate_or_lose_is_retried(
    op: Operation[Any], failure: Any, expected: bool
) -> None:
    policy = RetryPolicy(5)
    assert policy.retryable(op, failure, 1) is expected
    # The last attempt is never followed by another.
    assert policy.retryable(op, failure, 5) is False


def test_definitely_unsent_and_failover_rule() -> None:
    never = TransportError("connect", maybe_sent=False)
    assert definitely_unsent(never) and definitely_unsent(REFUSED)
    assert definitely_unsent(EncodeError("too long"))
    assert definitely_unsent(RateLimited("wait", retry_after=1.0))
    assert not definitely_unsent(TIMEOUT)
    assert not definitely_unsent(DecodeError("garbled answer"))
    partial = PartialSendError(SendResult(), TIMEOUT, SendSms("1", "x"), ())
    assert partial.maybe_sent and not definitely_unsent(partial)
    # Earlier parts went out: a split send refused part way is never "unsent".
    refused = PartialSendError(SendResult((Receipt("1"),)), REFUSED, SendSms("2", "x"), ())
    assert not refused.maybe_sent and not definitely_unsent(refused)
    assert not may_fail_over(SendSms(["1", "2"], "x"), refused)
    assert not definitely_unsent(FailoverError([("a", REFUSED), ("b", TIMEOUT)]))
    assert may_fail_over(SendSms("1", "x"), never)
    assert not may_fail_over(SendSms("1", "x"), TIMEOUT)
    assert not may_fail_over(Rename("x"), TIMEOUT)
    assert may_fail_over(QueryBalance(), TIMEOUT)
    assert may_fail_over(FetchReports(), DecodeError("x"))


def test_errors_pickle_with_their_fields() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(TIMEOUT))
    assert (type(error), error.message, error.maybe_sent) == (TransportError, "read timeout", True)
    partial = PartialSendError(SendResult((Receipt("1"),)), REFUSED, SendSms("2", "x"), ())
    again = pickle.loads(pickle.dumps(partial))
    assert again.completed == partial.completed and again.error == REFUSED
    assert pickle.loads(pickle.dumps(FailoverError([("a", REFUSED)]))).failures == (("a", REFUSED),)
    window = (NOW, NOW)
    lost = TransportError("lost", maybe_sent=True, maybe_consumed=True, window=window)
    again_lost = pickle.loads(pickle.dumps(lost))
    assert (again_lost.maybe_consumed, again_lost.window) == (True, window)
    limited = pickle.loads(pickle.dumps(RateLimited("wait", retry_after=1.5)))
    assert (type(limited), limited.retry_after) == (RateLimited, 1.5)
    routed = FailoverError(
        [("a", partial)], sent=[("a", partial.completed)], unsent=[SendSms("2", "x")]
    )
    again_routed = pickle.loads(pickle.dumps(routed))
    assert again_routed.sent == routed.sent and again_routed.unsent == routed.unsent
    assert again_routed.maybe_sent and str(again_routed) == str(routed)


def test_gateway_error_kinds_come_from_the_fake_spec() -> None:
    assert (BUSY.kind, BUSY.retryable) == (ErrorKind.SERVER, True)
    assert isinstance(REFUSED, GatewayError)
