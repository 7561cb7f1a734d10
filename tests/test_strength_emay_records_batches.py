"""``emay._records``: send receipts, batches and the raw bytes of records that do not read.

Expected values are literal, from the document (emay.txt): the report record of
§2.1.12 / §2.2.3 / §2.3 ("mobile … smsId … customSmsId … state … desc …
receiveTime … submitTime … extendedCode", times "格式：yyyy-MM-dd HH:mm:ss"),
the reply record of §2.1.13 ("mobile … content … moTime … extendedCode"), the
send receipt ("mobile … smsId … customSmsId") and §4's state table, written
out here rather than read from the codec's spec. Written to kill mutants that
survived ``tools/mutate.py codecs/emay/_records.py`` (issue 17).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _emay_records_strength import (
    T,
    exact,
)
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import (
    Batch,
    DecodeError,
    EncodeError,
    InboundMessage,
    Receipt,
)
from smswire.codecs.emay import _records as records

DOC_MO = {
    "mobile": "15538850000",
    "content": "TD",
    "moTime": "2017-03-15 12:00:00",
    "extendedCode": "123",
}

# --------------------------------------------------------------------------- receipts


def test_receipts_read_the_documents_members() -> None:
    element = {"mobile": " 15538850000", "smsId": "20170392833833891100", "customSmsId": None}
    assert records.parse_receipt(element) == Receipt("15538850000", "20170392833833891100")
    numbers = {"mobile ": 15538850000, " smsId": 2017, "customSmsId": ""}
    assert records.parse_receipt(numbers) == Receipt("15538850000", "2017")
    assert records.parse_receipt({"mobile": "1", "customSmsId": "c"}) == Receipt("1", None, "c")
    with pytest.raises(DecodeError, match=r"^emay record without 'mobile'$"):
        records.parse_receipt({"smsId": "1"})


def test_render_receipt_writes_null_for_absent_ids() -> None:
    assert list(records.render_receipt(Receipt("1", "2", "3")).items()) == [
        ("mobile", "1"),
        ("smsId", "2"),
        ("customSmsId", "3"),
    ]
    assert records.render_receipt(Receipt("1")) == {
        "mobile": "1",
        "smsId": None,
        "customSmsId": None,
    }
    for mobile in (None, ""):
        with pytest.raises(EncodeError, match=r"^emay answers tie every smsId to a number"):
            records.render_receipt(Receipt(mobile, "2"))
    with pytest.raises(EncodeError, match=r"^message_id: emay writes an absent value as null"):
        records.render_receipt(Receipt("1", ""))
    with pytest.raises(EncodeError, match=r"^client_id: emay writes an absent value as null"):
        records.render_receipt(Receipt("1", "2", ""))


def test_nullable_and_optional_time() -> None:
    assert records.nullable(None, "f") is None
    assert records.nullable("x", "f") == "x"
    with pytest.raises(EncodeError, match=r"^f: emay writes"):
        records.nullable("", "f")
    assert records.optional_time({"t": "2017-03-15 12:00:00"}, "t") == T
    assert records.optional_time({"t": ""}, "t") is None
    assert records.optional_time({}, "t") is None
    assert records.optional_text({"k": 0}, "k") == "0"
    assert records.required_text({"k": "v"}, "k") == "v"


# --------------------------------------------------------------------------- batches


def test_decode_records_null_is_an_empty_batch_and_a_non_array_is_refused() -> None:
    assert records.decode_records(None, b"null", records.parse_mo) == Batch()
    for data in ({}, "[]", 0):
        with pytest.raises(DecodeError, match=r"^emay: records are not a JSON array$") as info:
            records.decode_records(data, b"raw", records.parse_mo)
        assert info.value.raw == b"raw"


def test_decode_records_keeps_every_bad_record_as_json_bytes() -> None:
    bad = {"mobile": "1", "content": 5}
    surrogate = {"mobile": "1", "content": json.loads('"\\ud83d"')}
    data = [DOC_MO, bad, "x", None, surrogate, {"mobile": "2", "content": "ok"}]
    batch = records.decode_records(data, b"", records.parse_mo)
    assert batch.items == (
        InboundMessage("15538850000", "TD", T, None, "123"),
        InboundMessage("2", "ok"),
    )
    assert batch.malformed == (
        b'{"mobile": "1", "content": 5}',
        b'"x"',
        b"null",
        b'{"mobile": "1", "content": "\\ud83d"}',
    )


@given(st.lists(st.sampled_from(["DELIVRD", "FAIL_SIGN", "UNDELIV", None, 5]), max_size=8))
@example(["DELIVRD", "DELIVRD"])
@example([None, "DELIVRD", None])
@example([])
def test_decode_records_splits_good_and_bad_reports(states: list[Any]) -> None:
    data = [exact(state=s) for s in states]
    batch = records.decode_records(data, b"", records.parse_report)
    good = [s for s in states if s is not None]
    assert [r.code for r in batch.items] == [str(s) for s in good]
    assert len(batch.malformed) == states.count(None)
    for raw in batch.malformed:
        assert json.loads(raw)["state"] is None


def test_raw_record_is_ascii_json_or_ascii_repr() -> None:
    assert records.raw_record({"a": "短"}) == b'{"a": "\\u77ed"}'
    assert records.raw_record(json.loads('["\\ud800"]')) == b'["\\ud800"]'
    circular: list[Any] = []
    circular.append(circular)
    # No parsed JSON is circular; a value that is falls back to its ASCII repr.
    assert records.raw_record(circular) == b"[[...]]"


def test_members_strip_names_and_refuse_non_objects() -> None:
    assert records.members({" a ": 1, "b": 2}) == {"a": 1, "b": 2}
    with pytest.raises(DecodeError, match=r"^emay record is not a JSON object$"):
        records.members([("a", 1)])
