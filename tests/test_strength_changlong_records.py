"""112088.net records read field by field: ``batch;phone;status`` and ``id;phone;text``.

Expected values come from the document's record layouts (1.1.2 "批次编号;手机号;状态值",
1.1.3 "id;手机号;内容", and its own example written ``id,手机号;内容``, quirk
inbound-comma-separator) and its status words ("-1-- 未收到状态报告；10—发送成功；
20—发送失败"). Written to kill mutants of ``tools/mutate.py codecs/changlong/`` that
survived ``test_strength_changlong.py`` (issue 17): texts holding ``;``, padded fields,
empty ids, a third comma.
"""

from __future__ import annotations

import pytest
from smswire.codecs import (
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    HttpResponse,
    InboundMessage,
    changlong,
)
from smswire.codecs.changlong import _codec

GBK = changlong.Codec()
DOC = changlong.Account("mysms", "123456")
PHONE = "13682250950"


@pytest.mark.parametrize(
    ("record", "mobile", "content", "msg_id"),
    [
        # The text is everything after the second ';', whatever it holds.
        (f"5;{PHONE};1;2", PHONE, "1;2", "5"),
        (f"5;{PHONE};x 1 2", PHONE, "x 1 2", "5"),
        (f"5;{PHONE};a;b;c", PHONE, "a;b;c", "5"),
        # Blanks around the id and phone are not part of them.
        (f" 5 ;{PHONE};hi", PHONE, "hi", "5"),
        (f" 5;{PHONE};a;b", PHONE, "a;b", "5"),
        (f"5; {PHONE} ;hi", PHONE, "hi", "5"),
        # The document's example form: id,phone;text (a ';' in the text stays text).
        (f"7,{PHONE};hi", PHONE, "hi", "7"),
        (f"1,2;{PHONE};hi", "2", f"{PHONE};hi", "1"),
    ],
)
def test_reply_records_read_as_id_phone_text(
    record: str, mobile: str, content: str, msg_id: str
) -> None:
    assert _codec._parse_reply(record) == InboundMessage(mobile, content, None, msg_id)


@pytest.mark.parametrize(
    "record",
    [
        f";{PHONE};hi",  # no id
        f" ;{PHONE};hi",  # an id of blanks
        f"1,2,{PHONE};hi",  # the comma form's phone holds a comma
        f"5;{PHONE}x;hi",  # a phone that is not digits
        "5;hi",  # no phone field
        "no separator",
    ],
)
def test_reply_records_without_an_id_and_a_phone_are_refused(record: str) -> None:
    with pytest.raises(DecodeError):
        _codec._parse_reply(record)


@pytest.mark.parametrize(
    ("record", "report"),
    [
        (
            "6408676;13682250950;10",
            DeliveryReport(PHONE, DeliveryStatus.DELIVERED, "10", "6408676"),
        ),
        # Padded fields take the general path, which must mean the same.
        (
            " 6408676 ; 13682250950 ;10",
            DeliveryReport(PHONE, DeliveryStatus.DELIVERED, "10", "6408676"),
        ),
        (
            "6408676; 13682250950 ; 20 ",
            DeliveryReport(PHONE, DeliveryStatus.FAILED, "20", "6408676"),
        ),
        ("6408676;13682250950 ;-1", DeliveryReport(PHONE, DeliveryStatus.PENDING, "-1", "6408676")),
        # A value the document does not list is a report of unknown status, kept as written.
        ("6408676;13682250950;0", DeliveryReport(PHONE, DeliveryStatus.UNKNOWN, "0", "6408676")),
    ],
)
def test_report_records_read_as_batch_phone_status(record: str, report: DeliveryReport) -> None:
    assert _codec._parse_report(record) == report


@pytest.mark.parametrize(
    "record",
    [
        f"7;{PHONE};1;0",  # a status holding ';' (one field too many)
        f"7;{PHONE};10;20",
        "7;abc;10",  # a phone that is not digits
        f";{PHONE};10",  # no batch number
        f" ;{PHONE};10",
        f"7;{PHONE};",  # no status
    ],
)
def test_report_records_that_break_the_layout_are_refused(record: str) -> None:
    with pytest.raises(DecodeError):
        _codec._parse_report(record)


def test_a_report_record_with_a_fourth_field_stays_raw_in_the_batch() -> None:
    body = f"2|7;{PHONE};1;0|8;{PHONE};10".encode("gbk")
    batch = GBK.decode_response(FetchReports(), HttpResponse(200, (), body), DOC)
    assert batch.items == (DeliveryReport(PHONE, DeliveryStatus.DELIVERED, "10", "8"),)
    assert batch.malformed == (f"7;{PHONE};1;0".encode("gbk"),)


def test_a_reply_whose_text_has_a_semicolon_after_any_bar_cannot_be_framed() -> None:
    # The reader re-joins a text cut at '|' only where no ';' follows (quirk
    # inbound-text-pipe): a ';' after the first bar, not only the last, is refused.
    for content in ("a|b;c|d", "a|b;c", "x|y|z;"):
        with pytest.raises(EncodeError, match="cannot be framed"):
            GBK.encode_response(
                FetchInbound(), Batch((InboundMessage(PHONE, content, None, "5"),)), DOC
            )
