"""``_traits``: a record cut down to what a wire carries, on hand-built traits.

The traits are a toy's, written in the test; the expected records are built
field by field (``DeliveryReport(…)`` with the values a wire of those fields
keeps), never through the module. Written to kill the mutants that survived
``tools/mutate.py codecs/_traits.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest
from smswire.codecs import (
    CHINA,
    BalanceUnit,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Receipt,
)
from smswire.codecs._traits import REPLIES, REPORTS, WireTraits, first_code

SENT = datetime(2024, 6, 1, 8, 30, 15, 123456, tzinfo=CHINA)
SENT_S = datetime(2024, 6, 1, 8, 30, 15, tzinfo=CHINA)
DONE = datetime(2024, 6, 1, 8, 31, 0, 999999, tzinfo=CHINA)
DONE_S = datetime(2024, 6, 1, 8, 31, 0, tzinfo=CHINA)
WHOLE = datetime(2024, 6, 1, 9, 0, 0, tzinfo=CHINA)


@attrs.frozen
class Account:
    cpid: int
    key: str = "k"


def read(code: str) -> DeliveryStatus:
    return {"DELIVRD": DeliveryStatus.DELIVERED, "UNDELIV": DeliveryStatus.FAILED}.get(
        code, DeliveryStatus.UNKNOWN
    )


def traits(**more: Any) -> WireTraits:
    given: dict[str, Any] = {
        "account_type": Account,
        "credential_field": "cpid",
        "demo_account": Account(7),
        "delivered_code": "DELIVRD",
        "failed_code": "UNDELIV",
        "read_status": read,
    }
    return WireTraits(**{**given, **more})


FULL = DeliveryReport("13800138000", DeliveryStatus.DELIVERED, "DELIVRD", message_id="m",
                      client_id="c", sent_at=SENT, reported_at=DONE, description="said",
                      extension="12")  # fmt: skip


def test_the_defaults_of_a_wire() -> None:
    bare = traits()
    assert bare.key_field is None
    assert bare.report_fields == frozenset() and bare.inbound_fields == frozenset()
    assert bare.push_report_fields is None and bare.push_inbound_fields is None
    assert bare.receipt_fields == frozenset({"message_id", "client_id"})
    assert bare.batch_ids is False and bare.pushes == frozenset() and bare.push_retries == ()
    assert bare.balance_unit is BalanceUnit.MESSAGES
    assert (bare.report_limit, bare.reply_limit, bare.query_reports) == (None, None, None)
    assert (bare.paths, bare.variants, bare.describe) == (frozenset(), (), None)
    assert (bare.default_destination, bare.simulations) == (None, None)
    assert (REPORTS, REPLIES) == ("reports", "replies")


def test_the_credential_is_the_named_field_as_text() -> None:
    assert traits().credential(Account(4711)) == "4711"
    assert traits(credential_field="key").credential(Account(1, "abc")) == "abc"


def test_the_outcome_of_a_delivered_and_a_failed_message() -> None:
    assert traits().outcome(True) == ("DELIVRD", DeliveryStatus.DELIVERED)
    assert traits().outcome(False) == ("UNDELIV", DeliveryStatus.FAILED)
    odd = traits(failed_code="X")
    assert odd.outcome(False) == ("X", DeliveryStatus.UNKNOWN)


def test_a_wire_carrying_nothing_optional_keeps_number_status_and_code() -> None:
    assert traits().fit_report(FULL) == DeliveryReport(
        "13800138000", DeliveryStatus.DELIVERED, "DELIVRD"
    )


def test_a_report_keeps_the_fields_its_wire_carries_in_whole_seconds() -> None:
    wire = traits(report_fields=frozenset({"message_id", "sent_at", "reported_at", "extension"}))
    assert wire.fit_report(FULL) == DeliveryReport(
        "13800138000", DeliveryStatus.DELIVERED, "DELIVRD", message_id="m", sent_at=SENT_S,
        reported_at=DONE_S, extension="12")  # fmt: skip
    # A time already in whole seconds and an absent field stay as they are.
    whole = DeliveryReport("1", DeliveryStatus.FAILED, "UNDELIV", sent_at=WHOLE)
    assert wire.fit_report(whole) is whole


def test_pushes_carry_their_own_fields_or_the_answers() -> None:
    wire = traits(report_fields=frozenset({"message_id"}),
                  push_report_fields=frozenset({"client_id"}))  # fmt: skip
    base = DeliveryReport("13800138000", DeliveryStatus.DELIVERED, "DELIVRD")
    assert wire.fit_report(FULL) == attrs.evolve(base, message_id="m")
    assert wire.fit_report(FULL, pushed=True) == attrs.evolve(base, client_id="c")
    same = traits(report_fields=frozenset({"message_id"}))
    assert same.fit_report(FULL, pushed=True) == attrs.evolve(base, message_id="m")
    assert wire.fit_report(FULL, pushed=False) == attrs.evolve(base, message_id="m")


def test_a_described_wire_writes_the_documents_description() -> None:
    wire = traits(report_fields=frozenset({"description"}), describe=lambda code: f"<{code}>")
    base = DeliveryReport("13800138000", DeliveryStatus.DELIVERED, "DELIVRD")
    assert wire.fit_report(FULL) == attrs.evolve(base, description="<DELIVRD>")
    # Without a description among its fields, or without `describe`, it is not written.
    quiet = traits(describe=lambda code: f"<{code}>")
    assert quiet.fit_report(FULL) == base
    plain = traits(report_fields=frozenset({"description"}))
    assert plain.fit_report(FULL) == attrs.evolve(base, description="said")
    pushed = traits(report_fields=frozenset(), push_report_fields=frozenset({"description"}),
                    describe=lambda code: code.lower())  # fmt: skip
    assert pushed.fit_report(FULL, pushed=True) == attrs.evolve(base, description="delivrd")


REPLY = InboundMessage("13800138000", "好的", SENT, message_id="9", destination="1068")


def test_a_reply_keeps_the_fields_its_wire_carries() -> None:
    assert traits().fit_inbound(REPLY) == InboundMessage("13800138000", "好的")
    wire = traits(inbound_fields=frozenset({"received_at", "message_id"}))
    assert wire.fit_inbound(REPLY) == InboundMessage("13800138000", "好的", SENT_S,
                                                     message_id="9")  # fmt: skip
    pushed = traits(inbound_fields=frozenset({"message_id"}),
                    push_inbound_fields=frozenset({"destination"}))  # fmt: skip
    assert pushed.fit_inbound(REPLY, pushed=True) == InboundMessage(
        "13800138000", "好的", destination="1068"
    )
    assert pushed.fit_inbound(REPLY) == InboundMessage("13800138000", "好的", message_id="9")
    same = traits(inbound_fields=frozenset({"message_id"}))
    assert same.fit_inbound(REPLY, pushed=True) == InboundMessage("13800138000", "好的",
                                                                  message_id="9")  # fmt: skip


def test_a_reply_naming_no_destination_gets_the_wires_default() -> None:
    wire = traits(inbound_fields=frozenset({"destination"}), default_destination="106")
    bare = InboundMessage("1", "x")
    assert wire.fit_inbound(bare) == InboundMessage("1", "x", destination="106")
    assert wire.fit_inbound(REPLY) == InboundMessage("13800138000", "好的", destination="1068")
    # A wire without destinations drops it, default or not.
    assert traits(default_destination="106").fit_inbound(bare) == bare
    pushed = traits(push_inbound_fields=frozenset({"destination"}), default_destination="106")
    assert pushed.fit_inbound(bare, pushed=True) == InboundMessage("1", "x", destination="106")
    assert pushed.fit_inbound(bare) == bare


def test_a_receipt_keeps_the_ids_its_wire_carries() -> None:
    receipt = Receipt("13800138000", "m", "c")
    assert traits().fit_receipt(receipt) is receipt
    assert traits(receipt_fields=frozenset({"message_id"})).fit_receipt(receipt) == Receipt(
        "13800138000", "m"
    )
    assert traits(receipt_fields=frozenset()).fit_receipt(receipt) == Receipt("13800138000")
    assert traits(receipt_fields=frozenset({"client_id"})).fit_receipt(receipt) == Receipt(
        "13800138000", None, "c"
    )


def test_first_code_is_the_first_meaning_the_wanted_status() -> None:
    table = {"0": DeliveryStatus.PENDING, "1": DeliveryStatus.DELIVERED,
             "2": DeliveryStatus.FAILED, "3": DeliveryStatus.FAILED}  # fmt: skip
    assert first_code(table, DeliveryStatus.FAILED) == "2"
    assert first_code(table, DeliveryStatus.DELIVERED) == "1"
    with pytest.raises(LookupError) as raised:
        first_code(table, DeliveryStatus.UNKNOWN)
    assert str(raised.value) == f"no report code means {DeliveryStatus.UNKNOWN}"
