"""Client and AsyncClient over httpx.MockTransport: every behaviour, for both shims."""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from smswire.codecs import (
    Balance,
    DecodeError,
    EncodeError,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendSms,
    esms100,
)
from smswire.transports import (
    AsyncClient,
    Client,
    PartialSendError,
    RateLimiter,
    RetryPolicy,
    TransportError,
)
from test_transports_core import (
    PASSWORD,
    Driver,
    FakeClock,
    FakeCodec,
    Rename,
    answer,
    params,
)

KINDS = ("sync", "async")
ESMS_ACCOUNT = esms100.Account("10000", password=PASSWORD)
NO_JITTER = RetryPolicy(3, base_delay=0.5, max_delay=4.0, jitter=0.0)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def esms(kind: str, handler: Any, **options: Any) -> Driver:
    return Driver(kind, handler, esms100.Codec(), ESMS_ACCOUNT, **options)


def phones(request: httpx.Request) -> list[str]:
    return dict(parse_qsl(urlsplit(str(request.url)).query, encoding="gbk"))["phone"].split(",")


# ------------------------------------------------------------------ the wire


def test_gbk_target_is_sent_byte_for_byte_under_a_path_prefix(kind: str) -> None:
    d = esms(kind, answer(b"0"), base_url="http://127.0.0.1:8000/esms100/")
    d.send(["13866668888"], "发")
    (request,) = d.requests
    md5 = hashlib.md5(PASSWORD.encode()).hexdigest().upper()
    # 发 is B7 A2 in GBK; httpx must not re-encode the percent escapes.
    assert request.url.raw_path == (
        f"/esms100/mt/?cpid=10000&cppwd={md5}&phone=13866668888&msgtext=%B7%A2".encode()
    )
    assert request.method == "GET"
    assert request.url.host == "127.0.0.1" and request.url.port == 8000


def test_the_timeout_applies_to_every_request_and_names_hide_userinfo(kind: str) -> None:
    d = esms(kind, answer(b"0"), base_url="http://user:hunter2@127.0.0.1:8000/gw", timeout=2.5)
    d.send("13866668888", "x")
    assert d.requests[0].extensions["timeout"] == {
        "connect": 2.5,
        "read": 2.5,
        "write": 2.5,
        "pool": 2.5,
    }
    assert d.client.name == "esms100 http://127.0.0.1:8000/gw"
    assert "hunter2" not in repr(d.client)


def test_codec_built_from_the_vendor_name_with_options(kind: str) -> None:
    d = Driver(kind, answer(b"0"), "esms100", ESMS_ACCOUNT, charset="utf-8")
    assert d.send("13866668888", "发").receipts == (Receipt("13866668888"),)
    query = d.requests[0].url.raw_path.decode()
    assert query.endswith("msgtext=%E5%8F%91&encode=utf8")


def test_each_request_is_stamped_with_china_time_and_the_next_sequence_number(kind: str) -> None:
    d = Driver(kind, answer(b"OK a,b", b"OK c", b"7"))
    d.send(["1", "2", "3"], "hi")
    d.balance()
    assert [params(r)["seq"] for r in d.requests] == ["1", "2", "3"]
    assert {params(r)["t"] for r in d.requests} == {"20240501093015"}


def test_verbs_map_to_operations(kind: str) -> None:
    d = Driver(kind, answer(b"OK 9,8", b"5", b"138,1\nbad", b""))
    sent = d.send_personalized([("1", "x"), PersonalizedMessage("2", "y")])
    assert sent.receipts == (Receipt("1", "9"), Receipt("2", "8"))
    assert params(d.requests[0])["2"] == "y"
    assert d.balance() == Balance(Decimal(5))
    reports = d.fetch_reports()
    assert [r.mobile for r in reports] == ["138"] and reports.malformed == (b"bad",)
    assert len(d.fetch_inbound()) == 0
    paths = [r.url.path for r in d.requests]
    assert paths[1:] == ["/balance", "/reports", "/inbound"]


# ------------------------------------------------------------------ batching


def test_a_large_send_is_split_to_the_vendor_limit_and_merged(kind: str) -> None:
    numbers = [f"138{i:08d}" for i in range(2500)]
    d = esms(kind, answer(b"0", b"0", b"0"))
    result = d.send(numbers, "你好")
    assert [len(phones(r)) for r in d.requests] == [1000, 1000, 500]
    assert [p for r in d.requests for p in phones(r)] == numbers
    assert [r.mobile for r in result.receipts] == numbers


def test_a_later_chunk_refused_raises_partial_send_with_exactly_what_went_out(kind: str) -> None:
    d = Driver(kind, answer(b"OK a,b", b"ERR E2"))
    with pytest.raises(PartialSendError) as info:
        d.send(["1", "2", "3", "4", "5"], "hi")
    error = info.value
    assert error.completed.receipts == (Receipt("1", "a"), Receipt("2", "b"))
    assert isinstance(error.error, GatewayError) and error.error.code == "E2"
    assert error.failed == SendSms(["3", "4"], "hi")
    # A refusal proves chunk 2 did not go out: it is unsent, with chunk 3.
    assert error.unsent == (SendSms(["3", "4"], "hi"), SendSms(["5"], "hi"))
    assert not error.maybe_sent
    assert len(d.requests) == 2


def test_a_later_chunk_timing_out_is_not_listed_as_unsent(kind: str) -> None:
    d = Driver(kind, answer(b"OK a,b", httpx.ReadTimeout("timed out")))
    with pytest.raises(PartialSendError) as info:
        d.send(["1", "2", "3", "4", "5"], "hi")
    assert info.value.maybe_sent
    assert info.value.unsent == (SendSms(["5"], "hi"),)
    assert isinstance(info.value.error, TransportError)


def test_a_first_chunk_failure_raises_the_error_itself(kind: str) -> None:
    d = Driver(kind, answer(b"ERR E2"))
    with pytest.raises(GatewayError):
        d.send(["1", "2", "3"], "hi")


def test_an_unencodable_chunk_is_refused_before_any_request(kind: str) -> None:
    d = Driver(kind, answer())
    with pytest.raises(EncodeError):
        d.send(["1", "2", "999"], "hi")
    assert d.requests == []


# ------------------------------------------------------------------ rate limits


def test_sends_are_paced_by_the_spec_without_wall_time(kind: str) -> None:
    d = esms(kind, answer(*[b"0"] * 12))
    for i in range(12):
        d.send(f"1380000{i:04d}", "x")
    # esms100: at most 10 sends per second; the 11th waits for the window
    # (and the limiter's margin for bytes that leave late).
    assert d.clock.sleeps == [pytest.approx(1.05)]
    assert len(d.requests) == 12


def test_balance_queries_keep_the_documented_interval(kind: str) -> None:
    d = esms(kind, answer(b"10", b"9"), max_wait=None)
    d.balance()
    d.clock.t += 20
    d.balance()
    assert d.clock.sleeps == [40.0]


def test_rate_limit_can_be_turned_off_or_shared(kind: str) -> None:
    d = esms(kind, answer(b"10", b"9"), rate_limit=False)
    d.balance()
    d.balance()
    assert d.clock.sleeps == []
    clock = FakeClock()
    sleep = clock.sleep if kind == "sync" else clock.asleep
    shared = RateLimiter(clock)
    options: dict[str, Any] = {"rate_limit": shared, "max_wait": None, "sleep": sleep}
    a = esms(kind, answer(b"10"), clock=clock, **options)
    b = esms(kind, answer(b"10"), clock=clock, **options)
    a.balance()
    b.balance()
    assert clock.sleeps == [60.0]


# ------------------------------------------------------------------ retries


def test_reads_retry_on_5xx_retryable_refusals_and_network_errors(kind: str) -> None:
    d = Driver(kind, answer(503, b"ERR E1", httpx.ConnectError("refused"), b"42"), retry=None)
    with pytest.raises(DecodeError):
        d.balance()
    d = Driver(
        kind,
        answer(503, b"ERR E1", httpx.ReadTimeout("slow"), b"42"),
        retry=RetryPolicy(4, base_delay=0.5, max_delay=1.5, jitter=0.0),
        rate_limit=False,
    )
    assert d.balance() == Balance(Decimal(42))
    assert d.clock.sleeps == [0.5, 1.0, 1.5]
    # Each try is a new request with a new stamp.
    assert len({params(r)["seq"] for r in d.requests}) == 4


def test_retries_give_up_after_the_last_attempt(kind: str) -> None:
    d = Driver(kind, answer(b"ERR E1", b"ERR E1", b"ERR E1"), retry=NO_JITTER, rate_limit=False)
    with pytest.raises(GatewayError) as info:
        d.balance()
    assert info.value.retryable and len(d.requests) == 3
    assert d.clock.sleeps == [0.5, 1.0]


def test_non_retryable_refusal_of_a_read_is_not_retried(kind: str) -> None:
    d = Driver(kind, answer(b"ERR E2"), retry=NO_JITTER)
    with pytest.raises(GatewayError):
        d.balance()
    assert len(d.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [b"ERR E1", 503, httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
    ids=["retryable-refusal", "http-503", "connect-error", "read-timeout"],
)
@pytest.mark.parametrize(
    "op", [SendSms("1", "x"), FetchReports(), Rename("n")], ids=["send", "destructive", "write"]
)
def test_sends_writes_and_destructive_reads_are_never_retried(
    kind: str, op: Operation[Any], failure: Any
) -> None:
    d = Driver(kind, answer(failure, b"OK 1"), retry=RetryPolicy(5))
    with pytest.raises((GatewayError, DecodeError, TransportError)):
        d.call(op)
    assert len(d.requests) == 1
    assert d.clock.sleeps == []


# ------------------------------------------------------------------ network errors


@pytest.mark.parametrize(
    ("error", "maybe_sent"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), False),
        (httpx.ConnectTimeout("timed out"), False),
        (httpx.PoolTimeout("no connection"), False),
        (httpx.ReadTimeout("timed out"), True),
        (httpx.WriteTimeout("timed out"), True),
        (httpx.WriteError("broken pipe"), True),
        (httpx.ReadError("reset"), True),
        (httpx.RemoteProtocolError("server disconnected"), True),
    ],
)
def test_network_failures_say_whether_the_send_may_have_gone_out(
    kind: str, error: Exception, maybe_sent: bool
) -> None:
    d = esms(kind, answer(error))
    with pytest.raises(TransportError) as info:
        d.send("13866668888", "hi")
    assert info.value.maybe_sent is maybe_sent
    assert type(error).__name__ in str(info.value)


def test_errors_and_logs_never_show_credentials(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    md5 = hashlib.md5(PASSWORD.encode()).hexdigest().upper()
    leak = httpx.ReadTimeout(f"timed out on /mt/?cpid=10000&cppwd={md5}&phone=1")
    caplog.set_level(logging.DEBUG, logger="smswire")
    d = esms(kind, answer(b"0", leak))
    d.send("13866668888", "hi")
    with pytest.raises(TransportError) as info:
        d.send("13866668888", "hi")
    text = caplog.text + str(info.value) + repr(info.value) + repr(d.client)
    assert "cppwd=***" in caplog.text
    assert md5 not in text and PASSWORD not in text
    assert "/mt/" in caplog.text


# ------------------------------------------------------------------ nothing lost


def test_on_raw_sees_every_exchange_before_decoding(kind: str) -> None:
    seen: list[tuple[Operation[Any], HttpRequest, HttpResponse]] = []
    d = esms(kind, answer(b"-1", b"garbage"), on_raw=lambda *args: seen.append(args))
    with pytest.raises(GatewayError):
        d.balance()
    with pytest.raises(DecodeError):
        d.fetch_reports()
    assert [(type(op), req.path, resp.body) for op, req, resp in seen] == [
        (QueryBalance, "/qamount/", b"-1"),
        (FetchReports, "/qreport/", b"garbage"),
    ]


def test_async_on_raw_may_be_a_coroutine() -> None:
    journal: list[bytes] = []

    async def keep(op: Any, request: HttpRequest, response: HttpResponse) -> None:
        journal.append(response.body)

    d = Driver(
        "async",
        answer(b"1\n2024-05-01 09:30:00||13866668888||1"),
        esms100.Codec(),
        ESMS_ACCOUNT,
        on_raw=keep,
    )
    assert [r.mobile for r in d.fetch_reports()] == ["13866668888"]
    assert journal == [b"1\n2024-05-01 09:30:00||13866668888||1"]


def test_a_destructive_read_decode_error_keeps_the_whole_body(kind: str) -> None:
    d = Driver(kind, answer(b"???"))
    with pytest.raises(DecodeError) as info:
        d.fetch_reports()
    assert info.value.raw == b"???"
    d = esms(kind, answer(502))
    with pytest.raises(DecodeError) as info:
        d.fetch_reports()
    assert info.value.raw == b"busy"
    assert len(d.requests) == 1


def test_a_codec_bug_on_a_destructive_read_still_keeps_the_body(kind: str) -> None:
    class Buggy(FakeCodec):
        def decode_response(self, op: Any, response: HttpResponse, account: Any) -> Any:
            raise IndexError("bug")

    d = Driver(kind, answer(b"138,1"), Buggy())
    with pytest.raises(DecodeError) as info:
        d.fetch_reports()
    assert info.value.raw == b"138,1"
    assert isinstance(info.value.__cause__, IndexError)


# ------------------------------------------------------------------ lifecycle


def test_sync_client_closes_only_the_httpx_client_it_built() -> None:
    mine = httpx.Client(transport=httpx.MockTransport(answer()))
    with Client("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1", http=mine):
        pass
    assert not mine.is_closed
    with Client("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1") as client:
        built = client._http
    assert built.is_closed and "cppwd" not in repr(client) and "esms100" in repr(client)


def test_async_client_closes_only_the_httpx_client_it_built() -> None:
    import asyncio

    async def main() -> tuple[bool, bool]:
        mine = httpx.AsyncClient(transport=httpx.MockTransport(answer()))
        async with AsyncClient("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1", http=mine):
            pass
        async with AsyncClient("esms100", ESMS_ACCOUNT, "http://127.0.0.1:1") as client:
            built = client._http
        return mine.is_closed, built.is_closed

    assert asyncio.run(main()) == (False, True)
