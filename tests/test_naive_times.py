"""Naive datetimes are refused at the public boundary (issue 13, item 12).

Every wire here runs on China time. A naive ``datetime.now()`` on a server
whose clock runs in UTC is eight hours off, and no codec can tell; so a naive
value is an :class:`EncodeError` that names the fix, wherever a caller hands
one in: a :class:`Stamp`, an operation, or a result given to the server role.
Text (the CLI, the documents) keeps the documents' convention: a time written
without an offset is China time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from smswire.codecs import (
    CHINA,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    InboundMessage,
    PersonalizedMessage,
    SendPersonalized,
    SendSms,
    Stamp,
    eims,
    emay,
    esms100,
    make_converter,
    smscn,
)

NAIVE = datetime(2030, 1, 1, 10, 0)
AWARE = NAIVE.replace(tzinfo=CHINA)
MINUTES = timedelta(minutes=5)

OPERATIONS: dict[str, Callable[[datetime], object]] = {
    "Stamp": Stamp,
    "SendSms.send_at": lambda t: SendSms(("13800000000",), "x", send_at=t),
    "SendPersonalized.send_at": lambda t: SendPersonalized(
        (PersonalizedMessage("13800000000", "x"),), send_at=t
    ),
    "FetchInbound.since": lambda t: FetchInbound(since=t),
    "eims.SendMessage.send_at": lambda t: eims.SendMessage(("13800000000",), "x", send_at=t),
    "emay.PersonalityMessage.send_at": lambda t: emay.PersonalityMessage(
        "13800000000", "x", send_at=t
    ),
    "emay.SendTemplate.send_at": lambda t: emay.SendTemplate(
        "1", (emay.Recipient("13800000000"),), send_at=t
    ),
    "emay.RetrieveReport.start_time": lambda t: emay.RetrieveReport(t, AWARE + MINUTES),
    "emay.RetrieveReport.end_time": lambda t: emay.RetrieveReport(AWARE - MINUTES, t),
}


@pytest.mark.parametrize("where", sorted(OPERATIONS))
def test_a_naive_datetime_is_refused_naming_the_fix(where: str) -> None:
    with pytest.raises(EncodeError) as info:
        OPERATIONS[where](NAIVE)
    message = str(info.value)
    assert "naive" in message
    assert "datetime.now(CHINA)" in message
    assert "Stamp.current()" in message


@pytest.mark.parametrize("where", sorted(OPERATIONS))
def test_an_aware_datetime_in_any_zone_is_taken_as_that_instant(where: str) -> None:
    # 02:00 UTC is 10:00 in China: the same instant, written in China time.
    built = OPERATIONS[where](datetime(2030, 1, 1, 2, 0, tzinfo=UTC))
    times = [v for v in vars_of(built) if isinstance(v, datetime)]
    assert times, f"{where}: no datetime kept"
    assert any(t == AWARE and t.utcoffset() == timedelta(hours=8) for t in times)


def vars_of(obj: object) -> list[Any]:
    import attrs

    return [getattr(obj, f.name) for f in attrs.fields(type(obj))]


def test_stamp_current_is_china_time_now() -> None:
    before = datetime.now(UTC)
    stamp = Stamp.current(seq=7)
    after = datetime.now(UTC)
    assert stamp.seq == 7
    assert stamp.now.utcoffset() == timedelta(hours=8)
    assert before <= stamp.now <= after


def test_china_is_utc_plus_eight() -> None:
    assert CHINA.utcoffset(None) == timedelta(hours=8)


@pytest.mark.parametrize(
    ("codec", "account", "op", "result"),
    [
        (
            esms100.Codec(),
            esms100.Account("10000", "pw"),
            FetchReports(),
            Batch((DeliveryReport("13800000000", DeliveryStatus.DELIVERED, "1", sent_at=NAIVE),)),
        ),
        (
            esms100.Codec(),
            esms100.Account("10000", "pw"),
            FetchInbound(),
            Batch((InboundMessage("13800000000", "x", received_at=NAIVE),)),
        ),
        (
            smscn.Codec(),
            smscn.Account("test", "pw"),
            FetchInbound(),
            Batch((InboundMessage("13800000000", "x", received_at=NAIVE),)),
        ),
    ],
)
def test_the_server_role_refuses_a_naive_time_in_a_result(
    codec: Any, account: Any, op: Any, result: Any
) -> None:
    with pytest.raises(EncodeError, match="naive"):
        codec.encode_response(op, result, account)


def test_the_converter_refuses_a_time_without_offset_unless_told_it_is_china_time() -> None:
    data = {"mobiles": ["13800000000"], "content": "x", "send_at": "2030-01-01T10:00:00"}
    with pytest.raises(Exception, match="SendSms") as info:
        make_converter().structure(data, SendSms)
    assert "no UTC offset" in repr(info.value.exceptions)  # type: ignore[attr-defined]
    assert make_converter(naive_as_china=True).structure(data, SendSms).send_at == AWARE
    with_offset = {**data, "send_at": "2030-01-01T02:00:00+00:00"}
    assert make_converter().structure(with_offset, SendSms).send_at == AWARE


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from smswire.transports.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_cli_reads_times_without_offset_as_china_time() -> None:
    # emay-simple writes timerTime as 14 China-time digits (§2.2 "yyyyMMddHHmmss").
    op = {"mobiles": ["13800000000"], "content": "x", "send_at": "2030-01-01T10:00:00"}
    done = _cli(
        "encode",
        "emay-simple",
        "send",
        "--json",
        json.dumps(op),
        "--time",
        "2029-12-31T10:00:00",
    )
    assert done.returncode == 0, done.stderr
    assert "timerTime=20300101100000" in done.stdout
    help_text = _cli("encode", "--help").stdout
    assert "China time" in help_text
