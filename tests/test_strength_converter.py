"""``_converter``: every model to JSON-compatible data and back.

DESIGN.md: "Every model is picklable and round-trips through the package's
cattrs converter to JSON-compatible data, so results can cross a queue or a
process boundary"; naive datetimes are refused, "The CLI, whose input is
text, reads times without an offset as China time". Expected data is written
out by hand, bytes with ``base64`` directly. Written to kill mutants that
survived ``tools/mutate.py codecs/_converter.py`` (issue 17).

The package converter is built once per process; every test here starts with
none built (``fresh``), so a test sees the converter the code builds now, not
one built before it.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import smswire.codecs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from smswire.codecs import (
    CHINA,
    Balance,
    BalanceUnit,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Receipt,
    SendSms,
)
from smswire.codecs import _converter as module
from smswire.codecs._converter import from_jsonable, make_converter, to_jsonable


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "_built", {})


def test_the_converter_is_built_once_and_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    build = module.make_converter

    def counted(**kwargs: Any) -> Any:
        calls.append(1)
        return build(**kwargs)

    monkeypatch.setattr(module, "make_converter", counted)
    first = module.converter
    assert to_jsonable(Decimal("1")) == "1"
    assert from_jsonable("2", Decimal) == Decimal(2)
    assert module.converter is first
    assert smswire.codecs.converter is first
    assert len(calls) == 1


def test_other_module_attributes_are_missing() -> None:
    with pytest.raises(
        AttributeError, match=r"^module 'smswire.codecs._converter' has no attribute 'CONVERTER'$"
    ):
        module.CONVERTER  # noqa: B018


def test_decimals_are_strings() -> None:
    assert to_jsonable(Decimal("12.50")) == "12.50"
    assert from_jsonable("12.50", Decimal) == Decimal("12.50")
    assert str(from_jsonable("12.50", Decimal)) == "12.50"
    assert from_jsonable(12, Decimal) == Decimal(12)
    # A float is taken at its exact binary value, not re-read from its shortest repr.
    assert from_jsonable(0.5, Decimal) == Decimal("0.5")
    assert from_jsonable(0.1, Decimal) == Decimal(
        "0.1000000000000000055511151231257827021181583404541015625"
    )
    assert to_jsonable(Balance(Decimal("3.10"), BalanceUnit.MONEY, Decimal("0"))) == {
        "amount": "3.10",
        "unit": "money",
        "gift": "0",
    }


@pytest.mark.parametrize(("value", "shown"), [("abc", "'abc'"), (None, "None"), (True, "True")])
def test_not_a_decimal(value: object, shown: str) -> None:
    # A JSON true is no amount, although bool is an int.
    with pytest.raises(ValueError, match=rf"^not a decimal: {shown}$"):
        from_jsonable(value, Decimal)


def test_bytes_are_base64() -> None:
    raw = b"\xff\x00\x81|\r\n"
    text = base64.b64encode(raw).decode("ascii")
    assert to_jsonable(raw) == text
    assert from_jsonable(text, bytes) == raw
    assert to_jsonable(b"") == ""


@pytest.mark.parametrize("value", ["!/wA=", "/wA", "/w A=", "/wA=\n", 5, None])
def test_not_base64(value: object) -> None:
    with pytest.raises(ValueError, match=r"^not base64 data$"):
        from_jsonable(value, bytes)


def test_aware_datetimes_keep_their_offset() -> None:
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA)
    assert to_jsonable(when) == "2024-01-02T03:04:05+08:00"
    assert from_jsonable("2024-01-02T03:04:05+08:00", datetime) == when
    utc = from_jsonable("2024-01-02T03:04:05+00:00", datetime)
    assert utc.utcoffset() == timedelta(0)
    assert utc == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(
        ValueError,
        match=(
            r"^'2024-01-02T03:04:05' has no UTC offset \(write e.g. 2024-01-02T03:04:05\+08:00\)$"
        ),
    ):
        from_jsonable("2024-01-02T03:04:05", datetime)
    with pytest.raises(TypeError, match=r"^expected an ISO 8601 string, got int$"):
        from_jsonable(1704135845, datetime)


def test_naive_as_china() -> None:
    conv = make_converter(naive_as_china=True)
    naive = conv.structure("2024-01-02T03:04:05", datetime)
    assert naive == datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA)
    assert naive.utcoffset() == timedelta(hours=8)
    aware = conv.structure("2024-01-02T03:04:05+00:00", datetime)
    assert aware.utcoffset() == timedelta(0)
    assert aware == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(TypeError, match=r"^expected an ISO 8601 string, got float$"):
        conv.structure(1.5, datetime)
    # The default converter stays strict.
    with pytest.raises(ValueError, match=r"has no UTC offset"):
        make_converter().structure("2024-01-02T03:04:05", datetime)


def test_dates() -> None:
    assert to_jsonable(date(2024, 2, 29)) == "2024-02-29"
    assert from_jsonable("2024-02-29", date) == date(2024, 2, 29)
    assert make_converter().structure("2024-02-29", date) == date(2024, 2, 29)
    with pytest.raises(TypeError, match=r"^expected an ISO 8601 date string, got int$"):
        from_jsonable(20240229, date)


def test_a_bare_string_is_one_number() -> None:
    assert from_jsonable("13800000000", tuple[str, ...]) == ("13800000000",)
    assert from_jsonable(["1", "2"], tuple[str, ...]) == ("1", "2")
    assert from_jsonable([], tuple[str, ...]) == ()
    op = from_jsonable({"mobiles": "13800000000", "content": "hi"}, SendSms)
    assert op == SendSms(mobiles=("13800000000",), content="hi")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"13800000000", "expected a list of strings, got bytes"),
        ({"13800000000": 1}, "expected a list of strings, got dict"),
        (5, "expected a list of strings, got int"),
        (None, "expected a list of strings, got NoneType"),
        (["1", 2], "expected a list of strings, got an item 2"),
        ([b"1"], "expected a list of strings, got an item b'1'"),
    ],
)
def test_not_a_list_of_strings(value: object, message: str) -> None:
    with pytest.raises(TypeError, match=rf"^{message}$"):
        from_jsonable(value, tuple[str, ...])


def test_extra_keys() -> None:
    data = {"mobile": "1", "content": "hi", "surprise": 1}
    assert make_converter().structure(data, InboundMessage) == InboundMessage("1", "hi")
    assert from_jsonable(data, InboundMessage) == InboundMessage("1", "hi")
    with pytest.raises(ClassValidationError) as info:
        make_converter(forbid_extra_keys=True).structure(data, InboundMessage)
    (inner,) = info.value.exceptions
    assert isinstance(inner, ForbiddenExtraKeysError)
    assert inner.extra_fields == {"surprise"}


def test_a_mixed_push_batch_is_a_tagged_union() -> None:
    sent = datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA)
    report = DeliveryReport("13800000000", DeliveryStatus.DELIVERED, "DELIVRD", "m1", sent_at=sent)
    message = InboundMessage("13800000001", "回复", sent, "m2", "106")
    batch = Batch((report, message), (b"\xff|x",))
    kind = Batch[DeliveryReport | InboundMessage]
    data = to_jsonable(batch, kind)
    assert data == {
        "items": [
            {
                "mobile": "13800000000",
                "status": "delivered",
                "code": "DELIVRD",
                "message_id": "m1",
                "client_id": None,
                "sent_at": "2024-01-02T03:04:05+08:00",
                "reported_at": None,
                "description": None,
                "extension": None,
                "record": "DeliveryReport",
            },
            {
                "mobile": "13800000001",
                "content": "回复",
                "received_at": "2024-01-02T03:04:05+08:00",
                "message_id": "m2",
                "destination": "106",
                "record": "InboundMessage",
            },
        ],
        "malformed": [base64.b64encode(b"\xff|x").decode("ascii")],
    }
    assert from_jsonable(json.loads(json.dumps(data)), kind) == batch
    assert make_converter().structure(data, kind) == batch


def test_to_jsonable_without_a_type() -> None:
    assert to_jsonable(Receipt("1")) == {"mobile": "1", "message_id": None, "client_id": None}
