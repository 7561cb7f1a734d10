"""The simulator's pure parts: per-account state, billing, reports, rate pace, fault rules."""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from smswire.codecs import CHINA, ErrorKind, esms100
from smswire.transports.sim import (
    AccountState,
    Fault,
    FaultKind,
    Faults,
    Outcome,
    error_code,
    message_parts,
)

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=CHINA)


@pytest.mark.parametrize(
    ("length", "parts"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4), (335, 5)],
)
def test_message_parts_follow_the_70_and_67_rule(length: int, parts: int) -> None:
    # Independent computation: 70 fit in one; longer texts go 67 per part, rounded up.
    expected = 1 if length <= 70 else (length + 66) // 67
    assert expected == parts
    assert message_parts("字" * length) == parts


def test_send_charges_per_part_and_refuses_what_it_cannot_pay() -> None:
    state = AccountState(Decimal(5))
    sent = state.send([("13800000001", "x" * 71, None), ("13800000002", "hi", "c2")], T0)
    assert sent is not None
    assert [m.parts for m in sent] == [2, 1]
    assert state.balance == Decimal(2)
    assert sent[1].client_id == "c2"
    assert sent[0].batch_id == sent[1].batch_id
    assert len({m.message_id for m in sent}) == 2
    # Three parts are needed, two remain: nothing is charged, nothing is sent.
    assert state.send([("13800000003", "y" * 140, None)], T0) is None
    assert state.balance == Decimal(2)
    assert len(state.sent()) == 2


def test_reports_are_handed_out_once_and_only_when_ready() -> None:
    state = AccountState(Decimal(100), Outcome(delay=timedelta(seconds=30)))
    state.send([("13800000001", "a", None), ("13800000002", "b", None)], T0)
    assert state.take_reports(T0 + timedelta(seconds=29)) == []
    first = state.take_reports(T0 + timedelta(seconds=30), limit=1)
    rest = state.take_reports(T0 + timedelta(seconds=30))
    assert [r.message.mobile for r in first + rest] == ["13800000001", "13800000002"]
    assert state.take_reports(T0 + timedelta(hours=1)) == []
    state.requeue_reports(first)
    assert state.take_reports(T0 + timedelta(hours=1)) == first


def test_failure_ratio_draws_from_a_seeded_generator() -> None:
    state = AccountState(Decimal(1000), Outcome(failure_ratio=0.3, seed=7))
    state.send([(f"1380000{i:04d}", "x", None) for i in range(200)], T0)
    outcomes = [r.delivered for r in state.take_reports(T0)]
    rng = random.Random(7)
    assert outcomes == [rng.random() >= 0.3 for _ in range(200)]
    assert 30 < outcomes.count(False) < 90


def test_all_delivered_by_default() -> None:
    state = AccountState(Decimal(10))
    state.send([("13800000001", "x", None)] * 5, T0)
    assert all(r.delivered for r in state.take_reports(T0))


def test_replies_are_a_destructive_read() -> None:
    state = AccountState(Decimal(0))
    state.add_reply("13800000001", "一", T0)
    state.add_reply("13800000002", "二", T0)
    assert [r.content for r in state.take_replies(limit=1)] == ["一"]
    assert [r.content for r in state.take_replies()] == ["二"]
    assert state.take_replies() == []


def test_concurrent_sends_never_overspend() -> None:
    state = AccountState(Decimal(500))
    accepted: list[int] = []

    def worker() -> None:
        for _ in range(100):
            if state.send([("13800000001", "x", None)], T0) is not None:
                accepted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(accepted) == 500
    assert state.balance == 0
    assert len(state.take_reports(T0)) == 500


def test_rate_pace_per_second_and_min_interval() -> None:
    state = AccountState(Decimal(0))
    assert [state.admit("send", T0, 2, None) for _ in range(3)] == [True, True, False]
    assert state.admit("send", T0 + timedelta(seconds=1), 2, None)
    assert state.admit("balance", T0, None, 60.0)
    assert not state.admit("balance", T0 + timedelta(seconds=59), None, 60.0)
    assert state.admit("balance", T0 + timedelta(seconds=60), None, 60.0)


def test_error_codes_come_from_the_spec_table() -> None:
    # esms100's table: -10 余额不足; -15 操作频率过快 is the retryable rate limit.
    assert error_code(esms100.SPEC, ErrorKind.BALANCE) == "-10"
    assert error_code(esms100.SPEC, ErrorKind.RATE_LIMIT) == "-15"


def test_fault_rules_are_consumed_in_order_and_per_vendor() -> None:
    faults = Faults()
    faults.error("-10", count=2, vendor="esms100")
    faults.drop(vendor="smscn")
    faults.delay(0.5, count=None)
    assert faults.take("smscn") == Fault(FaultKind.DROP, 1, "smscn")
    assert faults.take("esms100") == Fault(FaultKind.ERROR, 2, "esms100", code="-10")
    assert faults.take("esms100") is not None
    # The error rule is used up; the endless delay applies from now on.
    for _ in range(3):
        fault = faults.take("esms100")
        assert fault is not None
        assert fault.kind is FaultKind.DELAY
    faults.clear()
    assert faults.take("esms100") is None


def test_fault_rules_from_json_are_checked() -> None:
    rule = Fault.from_json({"kind": "malformed", "body_base64": "/w==", "count": 3})
    assert rule.body == b"\xff"
    assert rule.count == 3
    with pytest.raises(ValueError, match="status code"):
        Fault.from_json({"kind": "error"})
    with pytest.raises(ValueError, match="unknown fault fields"):
        Fault.from_json({"kind": "drop", "when": "now"})
    with pytest.raises(ValueError, match="count"):
        Fault.from_json({"kind": "drop", "count": 0})
    with pytest.raises(ValueError, match="kind"):
        Fault.from_json({"count": 1})
