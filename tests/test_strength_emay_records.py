"""``emay._records``: the report, reply and receipt records of every Emay answer and push.

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
from datetime import UTC, datetime
from typing import Any

import pytest
from _emay_records_strength import (
    _DROP,
    DOC_REPORT,
    DOC_REPORT_READ,
    DOCUMENT_STATES,
    EXACT_READ,
    T2,
    T,
    exact,
)
from smswire.codecs import (
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    InboundMessage,
)
from smswire.codecs.emay import _records as records

# --------------------------------------------------------------------------- states


@pytest.mark.parametrize(("state", "status"), sorted(DOCUMENT_STATES.items()))
def test_every_documented_state_means_what_section_4_says(
    state: str, status: DeliveryStatus
) -> None:
    assert records.report_status(state) is status
    for spelled in (exact(state=state), {**DOC_REPORT, "state": state}):
        report = records.parse_report(spelled)
        assert (report.status, report.code) == (status, state)


@pytest.mark.parametrize("state", ["UNDELIV", "MK:0001", "DB:0141", "delivrd", "0"])
def test_a_state_outside_section_4_is_unknown_and_kept(state: str) -> None:
    assert records.report_status(state) is DeliveryStatus.UNKNOWN
    for spelled in (exact(state=state), {**DOC_REPORT, "state": state}):
        report = records.parse_report(spelled)
        assert (report.status, report.code) == (DeliveryStatus.UNKNOWN, state)


# --------------------------------------------------------------------------- reports


def test_the_documents_report_example_reads_field_by_field() -> None:
    assert records.parse_report(DOC_REPORT) == DOC_REPORT_READ
    assert records.parse_report(exact()) == EXACT_READ


def test_report_members_given_as_json_numbers_are_their_digits() -> None:
    numbers = {
        **DOC_REPORT,
        "mobile": 15538850000,
        "smsId": 20170392833833891100,
        "customSmsId": 7,
        "extendedCode": 123,
    }
    report = records.parse_report(numbers)
    assert report.mobile == "15538850000"
    assert report.message_id == "20170392833833891100"
    assert report.client_id == "7"
    assert report.extension == "123"
    # The same record with exact names: not the fast path, the same reading.
    exact_numbers = exact(mobile=15538850001, smsId=42, customSmsId=7, extendedCode=9)
    assert records.parse_report(exact_numbers) == DeliveryReport(
        "15538850001",
        DeliveryStatus.FAILED,
        "FAIL_MOBILE",
        "42",
        "7",
        T,
        T2,
        "手机号错误",
        "9",
    )


def test_a_numeric_state_is_a_state_code_string() -> None:
    report = records.parse_report(exact(state=5))
    assert report.code == "5"
    assert report.status is DeliveryStatus.UNKNOWN


@pytest.mark.parametrize("key", ["smsId", "customSmsId", "desc", "extendedCode"])
@pytest.mark.parametrize("absent", [None, "", _DROP])
def test_optional_report_members_null_empty_or_missing_are_absent(key: str, absent: Any) -> None:
    field = {
        "smsId": "message_id",
        "customSmsId": "client_id",
        "desc": "description",
        "extendedCode": "extension",
    }[key]
    assert getattr(records.parse_report(exact(**{key: absent})), field) is None
    spaced = {k: v for k, v in DOC_REPORT.items() if k != key}
    if absent is not _DROP:
        spaced[key] = absent
    assert getattr(records.parse_report(spaced), field) is None


@pytest.mark.parametrize("key", ["submitTime", "receiveTime"])
@pytest.mark.parametrize("absent", [None, "", _DROP])
def test_report_times_null_empty_or_missing_are_absent(key: str, absent: Any) -> None:
    field = {"submitTime": "sent_at", "receiveTime": "reported_at"}[key]
    report = records.parse_report(exact(**{key: absent}))
    assert getattr(report, field) is None
    other = {"submitTime": "reported_at", "receiveTime": "sent_at"}[key]
    assert getattr(report, other) == (T2 if other == "reported_at" else T)


def test_report_times_read_as_china_time() -> None:
    report = records.parse_report(
        exact(submitTime="2020-07-03 11:04:36", receiveTime="2020-07-03 11:05:01")
    )
    assert report.sent_at == datetime(2020, 7, 3, 3, 4, 36, tzinfo=UTC)
    assert report.reported_at == datetime(2020, 7, 3, 3, 5, 1, tzinfo=UTC)
    spaced = records.parse_report({**DOC_REPORT, "submitTime": "2020-07-03 11:04:36"})
    assert spaced.sent_at == datetime(2020, 7, 3, 3, 4, 36, tzinfo=UTC)


@pytest.mark.parametrize("key", ["submitTime", "receiveTime", "receiveTime "])
def test_a_report_time_not_in_the_documents_layout_is_refused(key: str) -> None:
    record = {**DOC_REPORT, key: "20170315120000"}
    with pytest.raises(DecodeError):
        records.parse_report(record)
    if key != "receiveTime ":
        with pytest.raises(DecodeError):
            records.parse_report(exact(**{key: "2017/03/15 12:00:00"}))


def test_blanks_around_a_mobile_are_dropped() -> None:
    assert records.parse_report(exact(mobile=" 15538850001 ")).mobile == "15538850001"
    assert records.parse_report({**DOC_REPORT, "mobile": "15538850000 "}).mobile == "15538850000"


@pytest.mark.parametrize("key", ["mobile", "state"])
@pytest.mark.parametrize("absent", [None, "", _DROP])
def test_a_report_without_mobile_or_state_is_refused(key: str, absent: Any) -> None:
    with pytest.raises(DecodeError, match=rf"^emay record without '{key}'$"):
        records.parse_report(exact(**{key: absent}))
    spaced = {k: v for k, v in DOC_REPORT.items() if k != key}
    if absent is not _DROP:
        spaced[key] = absent
    with pytest.raises(DecodeError, match=rf"^emay record without '{key}'$"):
        records.parse_report(spaced)


@pytest.mark.parametrize(
    "key", ["mobile", "state", "smsId", "customSmsId", "desc", "submitTime", "receiveTime"]
)
@pytest.mark.parametrize("value", [True, False, 1.5, [], {}, ["1"]])
def test_a_member_of_another_type_is_refused_by_name(key: str, value: Any) -> None:
    with pytest.raises(DecodeError, match=rf"^emay record member '{key}' is not a string$"):
        records.parse_report(exact(**{key: value}))


@pytest.mark.parametrize("value", [True, 1.5, ["1"]])
def test_an_extension_of_another_type_is_refused(value: Any) -> None:
    with pytest.raises(DecodeError, match=r"^emay record member 'extendedCode' is not a string$"):
        records.parse_report(exact(extendedCode=value))


@pytest.mark.parametrize(
    "key", ["mobile", "state", "smsId", "customSmsId", "desc", "submitTime", "receiveTime"]
)
def test_a_lone_surrogate_in_any_member_is_refused(key: str) -> None:
    # json.loads('"\\ud800"') gives a lone surrogate: no text a gateway could have meant.
    value = json.loads('"1\\ud800"')
    with pytest.raises(DecodeError, match=rf"^emay record member '{key}' holds a lone surrogate$"):
        records.parse_report(exact(**{key: value}))
    with pytest.raises(DecodeError, match=rf"^emay record member '{key}' holds a lone surrogate$"):
        records.parse_report({**DOC_REPORT, key: value})


def test_a_lone_surrogate_in_the_extension_is_refused() -> None:
    value = json.loads('"\\udfff"')
    with pytest.raises(DecodeError, match=r"lone surrogate"):
        records.parse_report(exact(extendedCode=value))


def test_non_ascii_members_read_as_they_are() -> None:
    report = records.parse_report(
        exact(
            mobile="１５５",
            state="失败",
            smsId="号1",
            customSmsId="自定义",
            desc="成功\n",
            extendedCode="１２",
        )
    )
    assert report == DeliveryReport(
        "１５５", DeliveryStatus.UNKNOWN, "失败", "号1", "自定义", T, T2, "成功\n", "１２"
    )


def test_a_desc_with_unprintable_characters_is_still_read() -> None:
    # "\n" and "\x00" are not printable, yet no surrogate: the text is kept.
    for desc in ("a\nb", "\x00", "\u200b", "\t成功"):
        assert records.parse_report(exact(desc=desc)).description == desc


def test_a_report_with_an_extra_member_reads_the_same() -> None:
    assert records.parse_report({**exact(), "appId": "EUCP"}) == EXACT_READ
    assert records.parse_report({**exact(), " state ": "FAIL_MOBILE"}) == EXACT_READ


@pytest.mark.parametrize("element", [None, "DELIVRD", 5, ["mobile"], True])
def test_a_report_that_is_no_object_is_refused(element: Any) -> None:
    with pytest.raises(DecodeError, match=r"^emay record is not a JSON object$"):
        records.parse_report(element)


def test_render_report_writes_the_documents_members_in_order() -> None:
    rendered = records.render_report(EXACT_READ)
    assert list(rendered.items()) == [
        ("mobile", "15538850001"),
        ("smsId", "20170392833833891101"),
        ("customSmsId", "c-1"),
        ("state", "FAIL_MOBILE"),
        ("desc", "手机号错误"),
        ("receiveTime", "2017-03-15 12:00:07"),
        ("submitTime", "2017-03-15 12:00:00"),
        ("extendedCode", "123"),
    ]


def test_render_report_writes_absent_members_as_null_and_no_extension() -> None:
    report = DeliveryReport(
        "15538850000",
        DeliveryStatus.UNKNOWN,
        "TIMEOUT",
        sent_at=datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC),
        reported_at=datetime(2024, 1, 1, 16, 30, 5, tzinfo=UTC),
    )
    assert records.render_report(report) == {
        "mobile": "15538850000",
        "smsId": None,
        "customSmsId": None,
        "state": "TIMEOUT",
        "desc": None,
        "receiveTime": "2024-01-02 00:30:05",
        "submitTime": "2024-01-01 08:00:00",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message_id", "", "message_id: emay writes an absent value as null; use None, not ''"),
        ("client_id", "", "client_id: emay writes an absent value as null; use None, not ''"),
        ("description", "", "description: emay writes an absent value as null"),
        ("sent_at", None, "emay reports carry submitTime and receiveTime; both are required"),
        ("reported_at", None, "emay reports carry submitTime and receiveTime; both are required"),
        ("mobile", "1555a", "mobile '1555a' must be ASCII digits"),
        ("mobile", "", "mobile '' must be ASCII digits"),
        ("extension", "12a", r"extension \(extendedCode\) '12a' must be ASCII digits"),
        ("extension", "", r"extension \(extendedCode\) '' must be ASCII digits"),
    ],
)
def test_render_report_refuses_what_emay_cannot_write(field: str, value: Any, message: str) -> None:
    fields = {
        "mobile": "15538850001",
        "status": DeliveryStatus.FAILED,
        "code": "FAIL_MOBILE",
        "message_id": "1",
        "client_id": "c",
        "sent_at": T,
        "reported_at": T2,
        "description": "d",
        "extension": "12",
    }
    fields[field] = value
    with pytest.raises(EncodeError, match=rf"^{message}"):
        records.render_report(DeliveryReport(**fields))


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("DELIVRD", DeliveryStatus.FAILED),
        ("FAIL_SIGN", DeliveryStatus.DELIVERED),
        ("TIMEOUT", DeliveryStatus.FAILED),
        ("UNDELIV", DeliveryStatus.FAILED),
    ],
)
def test_render_report_refuses_a_state_that_does_not_mean_the_status(
    code: str, status: DeliveryStatus
) -> None:
    report = DeliveryReport("15538850001", status, code, sent_at=T, reported_at=T)
    with pytest.raises(EncodeError, match=rf"^emay report state '{code}' does not mean"):
        records.render_report(report)


@pytest.mark.parametrize("code", ["", " X", "X ", " "])
def test_render_report_refuses_a_blank_or_padded_state(code: str) -> None:
    report = DeliveryReport("15538850001", DeliveryStatus.UNKNOWN, code, sent_at=T, reported_at=T)
    with pytest.raises(EncodeError, match=r"is not a state code$"):
        records.render_report(report)


# --------------------------------------------------------------------------- replies


DOC_MO = {
    "mobile": "15538850000",
    "content": "TD",
    "moTime": "2017-03-15 12:00:00",
    "extendedCode": "123",
}


def test_the_documents_reply_example_reads_field_by_field() -> None:
    assert records.parse_mo(DOC_MO) == InboundMessage("15538850000", "TD", T, None, "123")
    spaced = {" mobile": " 15538850000 ", "content ": "", " moTime ": None}
    assert records.parse_mo(spaced) == InboundMessage("15538850000", "")


def test_a_reply_with_numbers_for_strings() -> None:
    message = records.parse_mo({"mobile": 15538850000, "content": "x", "extendedCode": 7})
    assert message == InboundMessage("15538850000", "x", None, None, "7")


@pytest.mark.parametrize("content", [None, 5, ["TD"], True])
def test_a_reply_without_a_content_string_is_refused(content: Any) -> None:
    with pytest.raises(DecodeError, match=r"^emay reply without a 'content' string$"):
        records.parse_mo({**DOC_MO, "content": content})
    with pytest.raises(DecodeError, match=r"^emay reply without a 'content' string$"):
        records.parse_mo({"mobile": "1"})


def test_a_reply_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(DecodeError, match=r"^emay record member 'content' holds a lone surrogate$"):
        records.parse_mo({**DOC_MO, "content": json.loads('"T\\udc00D"')})


@pytest.mark.parametrize("mobile", [None, "", True])
def test_a_reply_without_a_mobile_is_refused(mobile: Any) -> None:
    with pytest.raises(DecodeError, match=r"^emay record (without 'mobile'|member 'mobile')"):
        records.parse_mo({**DOC_MO, "mobile": mobile})


def test_render_mo_writes_the_documents_members_in_order() -> None:
    message = InboundMessage("15538850000", "TD", T2, None, "123")
    assert list(records.render_mo(message).items()) == [
        ("mobile", "15538850000"),
        ("content", "TD"),
        ("moTime", "2017-03-15 12:00:07"),
        ("extendedCode", "123"),
    ]
    plain = records.render_mo(InboundMessage("1", "", datetime(2024, 1, 1, tzinfo=UTC)))
    assert plain == {"mobile": "1", "content": "", "moTime": "2024-01-01 08:00:00"}


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (InboundMessage("1", "x", T, "id"), "^emay replies carry no message id$"),
        (InboundMessage("1", "x"), "^emay replies carry moTime; received_at is required$"),
        (InboundMessage("1a", "x", T), "^mobile '1a' must be ASCII digits$"),
        (InboundMessage("1", "x", T, None, "x"), r"^destination \(extendedCode\) 'x' must be"),
        (InboundMessage("1", "x", T, None, ""), r"^destination \(extendedCode\) '' must be"),
    ],
)
def test_render_mo_refuses_what_emay_cannot_write(message: InboundMessage, error: str) -> None:
    with pytest.raises(EncodeError, match=error):
        records.render_mo(message)
