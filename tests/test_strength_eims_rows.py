"""Strength tests of ``codecs/eims/_rows.py``: receipts, report rows, pushed rows, replies.

Expected values come from the document (/work/shared/vendor-docs/eims.txt: §2 "数组中依次
包含“号码、号码的发送结果查询 ID”", §3 "状态：0发送成功，1：未发送，2：正在发送， 非 012
发送失败" and its 状态编码 table, §4 base64 UTF-8 texts, §5 "0成功，非 0则失败") and from
``base64``; both the fast path (the gateway's own types) and the general one are pinned.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

import pytest
from smswire.codecs import (
    CHINA,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    InboundMessage,
    Receipt,
)
from smswire.codecs.eims import _rows as rec

T = datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
D, P, F, U = (
    DeliveryStatus.DELIVERED,
    DeliveryStatus.PENDING,
    DeliveryStatus.FAILED,
    DeliveryStatus.UNKNOWN,
)


def _report(mobile: str, status: DeliveryStatus, code: str, mid: str, **kw: Any) -> DeliveryReport:
    return DeliveryReport(mobile, status, code, message_id=mid, **kw)


# --------------------------------------------------------------------------- receipts


def test_receipts_tie_each_row_to_the_exact_number_sent() -> None:
    rows = [[10010, 1], ["1008611", "2"]]
    assert rec.receipts(rows, ("10010", "1008611")) == (
        Receipt("10010", "1"),
        Receipt("1008611", "2"),
    )


def test_a_number_matched_exactly_is_not_matched_again_loosely() -> None:
    rows = [["10010", 1], [10010, 2]]
    assert rec.receipts(rows, ("10010", "010010")) == (
        Receipt("10010", "1"),
        Receipt("010010", "2"),
    )


def test_a_row_matching_no_number_sent_keeps_the_gateways_spelling() -> None:
    assert rec.receipts([[10086, 9]], ("10010",)) == (Receipt("10086", "9"),)
    assert rec.receipts([["X12", 9]], ("12",)) == (Receipt("X12", "9"),)
    assert rec.receipts([["XX0XX", 9]], ("00",)) == (Receipt("XX0XX", "9"),)
    # Zero written as a number is the number "00" sent (leading zeros lost).
    assert rec.receipts([[0, 9]], ("00",)) == (Receipt("00", "9"),)
    assert rec.receipts(None, ("00",)) == ()


@pytest.mark.parametrize(
    ("array", "message"),
    [
        ({"10010": 1}, "eims send array is not an array"),
        ([[10010]], "eims send row is not an array of 2"),
        ([[-1, 1]], "eims number is neither a non-negative integer nor a string"),
        ([[10010, -1]], "eims id is neither a non-negative integer nor a string"),
    ],
)
def test_receipt_errors(array: Any, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        rec.receipts(array, ("10010",))
    assert info.value.message == message


# --------------------------------------------------------------------------- report rows


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # The gateway's own types: §3's example rows.
        (
            [1, "10010", 20171001123015, 0],
            _report("10010", D, "0", "1", sent_at=T, description="success"),
        ),
        ([2, "1008611", 20171001123015, 3], _report("1008611", F, "3", "2", sent_at=T)),
        ([3, "10010", 20171001123015, 1], _report("10010", P, "1", "3", sent_at=T)),
        ([4, "10010", 20171001123015, 2], _report("10010", P, "2", "4", sent_at=T)),
        (
            [0, "10010", 20171001123015, 1013],
            _report("10010", F, "1013", "0", sent_at=T, description="Daliy Limit"),
        ),
        ([5, "10010", 20171001123015, 1015], _report("10010", F, "1015", "5", sent_at=T)),
        ([6, "10010", 20171001123015, -1], _report("10010", F, "-1", "6", sent_at=T)),
        # Digits as text and numbers as integers (quirk numeric-strings).
        (
            ["1", "10010", "20171001123015", "0"],
            _report("10010", D, "0", "1", sent_at=T, description="success"),
        ),
        ([1, 10010, 20171001123015, "007"], _report("10010", F, "7", "1", sent_at=T)),
        # A text id with the other fields as the gateway types them.
        (["7", "10010", 20171001123015, 3], _report("10010", F, "3", "7", sent_at=T)),
        (
            ["2", "1008611", 20171001123015, "1003"],
            _report("1008611", F, "1003", "2", sent_at=T, description="NoBablance"),
        ),
        ([1, "10010", 0, 0], _report("10010", D, "0", "1", description="success")),
        ([1, "10010", "", "1"], _report("10010", P, "1", "1")),
        ([1, "10010", 20171001123015, "DELIVRD"], _report("10010", U, "DELIVRD", "1", sent_at=T)),
    ],
)
def test_report_rows(row: list[Any], expected: DeliveryReport) -> None:
    assert rec.parse_report_row(row) == expected


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([1, "10010", 20171001123015], "eims report row is not an array of 4"),
        ([1, "10010", 20171001123015, 0, 0], "eims report row is not an array of 4"),
        ([1, "10010", 20171001123015, " "], "eims state is neither an integer nor text"),
        ([1, "10010", 20171001123015, None], "eims state is neither an integer nor text"),
        ([1, -5, 20171001123015, 0], "eims number is neither a non-negative integer nor a string"),
        (
            [-1, "10010", 20171001123015, 0],
            "eims id is neither a non-negative integer nor a string",
        ),
        ([1, "10010", 1.5, 0], "eims time is not a 14-digit time"),
    ],
)
def test_report_row_errors(row: list[Any], message: str) -> None:
    with pytest.raises(DecodeError) as info:
        rec.parse_report_row(row)
    assert info.value.message == message


def test_report_states_by_the_documents_words() -> None:
    assert [rec.report_state_status(c) for c in ("0", "1", "2", "3", "-0", "00", "1015")] == [
        D, P, P, F, D, D, F,
    ]  # fmt: skip
    assert rec.report_state_status("DELIVRD") is U
    assert [rec.push_result_status(c) for c in ("0", "1", "2", "-0", "x")] == [D, F, F, D, U]
    assert rec.report_description("1001") == "NoRoute"
    assert rec.report_description("1015") is None


def test_report_rows_render_as_the_document_writes_them() -> None:
    report = _report("10010", D, "0", "1", sent_at=T, description="success")
    assert rec.render_report_row(report) == [1, "10010", 20171001123015, 0]
    assert rec.render_report_row(_report("10010", U, "DELIVRD", "01")) == [
        "01",
        "10010",
        0,
        "DELIVRD",
    ]


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (
            DeliveryReport("10010", D, "0"),
            "eims report rows carry the message id; message_id is required",
        ),
        (_report("10010", D, "0", "1", client_id="c"), "eims report rows carry no client id"),
        (_report("10010", D, "0", "1", extension="7"), "eims report rows carry no extension"),
        (
            _report("10010", F, "0", "1"),
            "eims report state '0' does not mean DeliveryStatus.FAILED",
        ),
        (_report("10010", F, " ", "1"), "eims report state ' ' is neither an integer nor text"),
        (
            _report("10010", F, "007", "1"),
            "eims report state '007' is not an integer as the wire writes it",
        ),
        (
            _report("10010", F, "3", "1", description="x"),
            "eims report rows carry no free description and no report time",
        ),
        (
            _report("10010", F, "3", "1", reported_at=T),
            "eims report rows carry no free description and no report time",
        ),
    ],
)
def test_report_row_refusals(report: DeliveryReport, message: str) -> None:
    with pytest.raises(EncodeError) as info:
        rec.render_report_row(report)
    assert str(info.value) == message


# --------------------------------------------------------------------------- pushed rows


def test_push_rows_five_and_seven_fields() -> None:
    row = [2, "2356844545", 20180801223015, 1, "no balance"]
    sent = datetime(2018, 8, 1, 22, 30, 15, tzinfo=CHINA)
    assert rec.parse_push_row(row) == _report(
        "2356844545", F, "1", "2", sent_at=sent, description="no balance"
    )
    seven = [3, "10010", 20180801223015, 0, "", 20180801223016, 1011]
    delivered = datetime(2018, 8, 1, 22, 30, 16, tzinfo=CHINA)
    assert rec.parse_push_row(seven) == _report(
        "10010", F, "1011", "3", sent_at=sent, reported_at=delivered
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([1, "10010", 0, 0, "x", 0], "eims push row is not an array of 5 or 7"),
        ([1, "10010", 0, None, "x"], "eims result is neither an integer nor text"),
        ([1, "10010", 0, 0, 5], "eims reason is not text"),
        ([1, -1, 0, 0, "x"], "eims number is neither a non-negative integer nor a string"),
        ([-1, "10010", 0, 0, "x"], "eims id is neither a non-negative integer nor a string"),
        ([1, "10010", 1.5, 0, "x"], "eims time is not a 14-digit time"),
        ([1, "10010", 0, 0, "x", 1.5, 0], "eims deliver time is not a 14-digit time"),
        ([1, "10010", 0, 0, "x", 0, None], "eims deliver status is neither an integer nor text"),
    ],
)
def test_push_row_errors(row: list[Any], message: str) -> None:
    with pytest.raises(DecodeError) as info:
        rec.parse_push_row(row)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"report", "eims push is not JSON"),
        (b'{"type":"report","cnt":"x","array":[]}', "eims push cnt is not an integer"),
        (b'{"array":[]}', "eims push names neither its type nor its count: not an EIMS push"),
        (b'{"type":"reports","array":[]}', "eims push of unknown type 'reports'"),
        (b'{"type":"report","cnt":0}', "eims push has no array of reports"),
    ],
)
def test_push_body_errors(body: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        rec.parse_push(body)
    assert info.value.message == message


def test_push_rows_render_five_fields_or_seven() -> None:
    sent = datetime(2018, 8, 1, 12, 30, 15, tzinfo=CHINA)
    report = _report("1234545456", D, "0", "1", sent_at=sent, description="success")
    assert rec.render_push_row(report) == [1, "1234545456", 20180801123015, 0, "success"]
    with pytest.raises(
        EncodeError, match=r"^eims push reason: an empty reason cannot be told from none$"
    ):
        rec.render_push_row(_report("1", D, "0", "1", description=""))
    with pytest.raises(
        EncodeError, match=r"^eims push result '1' does not mean DeliveryStatus.DELIVERED$"
    ):
        rec.render_push_row(_report("1", D, "1", "1"))
    with pytest.raises(EncodeError, match=r"^eims push rows carry no client id$"):
        rec.render_push_row(_report("1", D, "0", "1", client_id="c"))


# --------------------------------------------------------------------------- replies


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            [1, "10010", "123456", 20171001123015, _b64("你好")],
            InboundMessage("10010", "你好", T, "1", "123456"),
        ),
        (
            ["1", 10010, 123456, "20171001123015", _b64("a")],
            InboundMessage("10010", "a", T, "1", "123456"),
        ),
        ([1, "10010", "123456", 0, _b64("b")], InboundMessage("10010", "b", None, "1", "123456")),
        (
            [1, "10010", "123456", "", base64.encodebytes(("x" * 80).encode()).decode()],
            InboundMessage("10010", "x" * 80, None, "1", "123456"),
        ),
    ],
)
def test_reply_rows(row: list[Any], expected: InboundMessage) -> None:
    assert rec.parse_inbound(row) == expected


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([1, "10010", "123456", 0], "eims reply row is not an array of 5"),
        ([1, "10010", "123456", 0, 5], "eims reply text is not a base64 string"),
        ([1, "10010", "123456", 0, "!!!!"], "eims reply text is not base64 of UTF-8"),
        ([1, "10010", "123456", 0, "/w=="], "eims reply text is not base64 of UTF-8"),
        ([1, -1, "123456", 0, "YQ=="], "eims from is neither a non-negative integer nor a string"),
        ([1, "", "123456", 0, "YQ=="], "eims from is neither a non-negative integer nor a string"),
        ([1, "10010", -1, 0, "YQ=="], "eims to is neither a non-negative integer nor a string"),
        (
            [-1, "10010", "123456", 0, "YQ=="],
            "eims id is neither a non-negative integer nor a string",
        ),
        ([1, "10010", "123456", 1.5, "YQ=="], "eims time is not a 14-digit time"),
    ],
)
def test_reply_row_errors(row: list[Any], message: str) -> None:
    with pytest.raises(DecodeError) as info:
        rec.parse_inbound(row)
    assert info.value.message == message


def test_reply_rows_render_with_one_line_base64() -> None:
    message = InboundMessage("10010", "你好", T, "1", "123456")
    assert rec.render_inbound(message) == [1, "10010", "123456", 20171001123015, "5L2g5aW9"]


@pytest.mark.parametrize(
    ("message", "text"),
    [
        (
            InboundMessage("10010", "a", None, None, "1"),
            "eims reply rows carry an id and a destination; both are required",
        ),
        (
            InboundMessage("10010", "a", None, "1", None),
            "eims reply rows carry an id and a destination; both are required",
        ),
        (
            InboundMessage("10010", "a", None, "1", ""),
            "eims reply rows need a non-empty sender and destination",
        ),
        (
            InboundMessage("10010", "\ud800", None, "1", "2"),
            "reply content: character '\\ud800' (U+D800) at position 0 cannot be encoded in UTF-8",
        ),
    ],
)
def test_reply_row_refusals(message: InboundMessage, text: str) -> None:
    with pytest.raises(EncodeError) as info:
        rec.render_inbound(message)
    assert str(info.value) == text


def test_pushes_and_replies_are_json_as_written() -> None:
    body = json.dumps(
        {"type": "report", "cnt": 1, "array": [[1, "10010", 0, 0, "success"], [1]]}
    ).encode()
    items, malformed = rec.parse_push(body)
    assert items == [_report("10010", D, "0", "1", description="success")]
    assert malformed == [b"[1]"]
