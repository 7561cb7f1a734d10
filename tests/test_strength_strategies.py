"""What each wire carries, from the documents: the tables the shared strategies fit by.

``smswire.codecs.strategies.fitted_reports`` / ``fitted_inbound`` /
``fitted_receipts`` cut a record down to what a codec's traits say its wire
carries, and the round-trip properties then expect that record back. A traits
table that forgot a field (or kept one the wire lacks) would be invisible to
such a round trip: the expectation would be cut by the same table. So the
tables themselves are pinned here, field by field, from the documents' words;
and the shared strategies are checked to fit by exactly those fields (issue 17
item 2: no expected value from the module under test).
"""

from __future__ import annotations

from datetime import datetime

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smswire.codecs import (
    CHINA,
    VENDORS,
    DeliveryReport,
    DeliveryStatus,
    InboundMessage,
    Receipt,
    traits_of,
)
from smswire.codecs.strategies import (
    EDGE_TOKENS,
    china_datetimes,
    fitted_inbound,
    fitted_receipts,
    fitted_reports,
    mobiles,
    sms_text,
)

EMAY_REPORT = frozenset(
    # emay.txt 2.1.12.2.1: "mobile 手机号(必填) smsId 消息 ID(选填） customSmsId 自定义消息
    # ID(选填) state 状态(必填) desc 状态描述(选填） receiveTime 状态报告返回时间(必填)
    # submitTime 信息提交时间(必填) extendedCode 扩展码(选填）"
    {"message_id", "client_id", "description", "reported_at", "sent_at", "extension"}
)
# emay.txt 2.1.13: "mobile 手机号(必填) content 上行内容(必填） moTime 上行返回时间(必填)
# extendedCode 扩展码(选填）"
EMAY_INBOUND = frozenset({"received_at", "destination"})
# emay.txt 2.1.1 响应: "smsId 消息 ID … mobile … customSmsId"
EMAY_RECEIPT = frozenset({"message_id", "client_id"})

#: vendor -> (reports, replies, pushed reports, pushed replies, send receipts)
CARRIED: dict[str, tuple[frozenset[str], ...]] = {
    # esms100.txt §7 "发送时间||目标号码||状态报告值"; §5 "回复信息的时间,手机号码,内容";
    # §4 "返回值“0”表示提交成功" (no ids).
    "esms100": (
        frozenset({"sent_at"}),
        frozenset({"received_at"}),
        frozenset({"sent_at"}),
        frozenset({"received_at"}),
        frozenset(),
    ),
    # smscn.txt 5.1 "手机号,状态,发送唯一编号,状态返回时间"; 6.1 "回复号码||回复内容||回复时间||
    # 回复网关号"; pushes "cmd=res&uid=…&mobileids=消息编号&mobile=…&status=…" and
    # "time 回复时间 … mobile … content"; sends echo "mobileids … 与接收号码一一对应".
    "smscn": (
        frozenset({"client_id", "reported_at"}),
        frozenset({"received_at", "destination"}),
        frozenset({"client_id"}),
        frozenset({"received_at"}),
        frozenset({"client_id"}),
    ),
    # changlong.txt 1.1.2 "短信批次编号+”;”+本批次中发送的号码+”;”+具体的状态报告值";
    # replies "短信编号+”;”+发送者的电话号码+”;”+接收到的具体内容"; sends "SMSID".
    "changlong": (
        frozenset({"message_id"}),
        frozenset({"message_id"}),
        frozenset({"message_id"}),
        frozenset({"message_id"}),
        frozenset({"message_id"}),
    ),
    # eims.txt §3 "号码的状态查询 ID（数字）、号码（字符串）、发送时间（数字）、状态（数字）"
    # (the status table's 英文描述 as the description); §4 "id(系统中唯一的 id),发送号码、
    # 接收号码、接收时间、短信内容"; §5 push "id … 发送号码 … 发送时间 … 发送结果 … 原因";
    # §1 send "数组中依次包含“号码、号码的发送结果查询 ID”".
    "eims": (
        frozenset({"message_id", "sent_at", "description"}),
        frozenset({"message_id", "received_at", "destination"}),
        frozenset({"message_id", "sent_at", "description"}),
        frozenset({"message_id", "received_at", "destination"}),
        frozenset({"message_id"}),
    ),
    # emay.txt 2.3 pushes carry the same fields as the reads (2.3.2.1, 2.3.2.2).
    "emay": (EMAY_REPORT, EMAY_INBOUND, EMAY_REPORT, EMAY_INBOUND, EMAY_RECEIPT),
    "emay-simple": (EMAY_REPORT, EMAY_INBOUND, EMAY_REPORT, EMAY_INBOUND, EMAY_RECEIPT),
}

WHEN = datetime(2024, 6, 1, 8, 30, 15, tzinfo=CHINA)
FULL_REPORT = DeliveryReport(
    "13800138000",
    DeliveryStatus.DELIVERED,
    "1",
    message_id="4711",
    client_id="1001",
    sent_at=WHEN,
    reported_at=WHEN,
    description="DELIVRD",
    extension="12",
)
FULL_INBOUND = InboundMessage("13800138000", "好的", WHEN, message_id="9", destination="1068")
FULL_RECEIPT = Receipt("13800138000", "4711", "1001")


def full_report(vendor: str) -> DeliveryReport:
    # EIMS describes a report by its code (eims.txt §3 "状态编码 英文描述 … 1001 NoRoute").
    return attrs.evolve(FULL_REPORT, code="1001") if vendor == "eims" else FULL_REPORT


def kept(record: object, names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n for n in names if getattr(record, n) is not None)


REPORT_NAMES = ("message_id", "client_id", "sent_at", "reported_at", "description", "extension")
INBOUND_NAMES = ("received_at", "message_id", "destination")


def test_every_vendor_is_pinned() -> None:
    assert set(CARRIED) == set(VENDORS)


@pytest.mark.parametrize("vendor", sorted(CARRIED))
def test_the_traits_carry_the_documents_fields(vendor: str) -> None:
    reports, replies, pushed_reports, pushed_replies, receipts = CARRIED[vendor]
    traits = traits_of(vendor)
    report = full_report(vendor)
    assert kept(traits.fit_report(report), REPORT_NAMES) == reports
    assert kept(traits.fit_inbound(FULL_INBOUND), INBOUND_NAMES) == replies
    assert kept(traits.fit_report(report, pushed=True), REPORT_NAMES) == pushed_reports
    assert kept(traits.fit_inbound(FULL_INBOUND, pushed=True), INBOUND_NAMES) == pushed_replies
    assert kept(traits.fit_receipt(FULL_RECEIPT), ("message_id", "client_id")) == receipts


def test_eims_describes_a_report_by_its_code() -> None:
    assert traits_of("eims").fit_report(full_report("eims")).description == "NoRoute"


@pytest.mark.parametrize("vendor", sorted(CARRIED))
@settings(max_examples=15)
@given(data=st.data())
def test_the_shared_strategies_fit_by_those_fields(vendor: str, data: st.DataObject) -> None:
    reports, replies, pushed_reports, pushed_replies, receipts = CARRIED[vendor]
    traits = traits_of(vendor)
    pushed = data.draw(st.booleans())
    base = DeliveryReport("13800138000", DeliveryStatus.DELIVERED, "1")
    report = data.draw(fitted_reports(traits, st.just(base), pushed=pushed))
    assert kept(report, REPORT_NAMES) <= (pushed_reports if pushed else reports)
    assert (report.mobile, report.status, report.code) == ("13800138000", base.status, "1")
    message = data.draw(fitted_inbound(traits, st.just(InboundMessage("1", "x")), pushed=pushed))
    assert kept(message, INBOUND_NAMES) <= (pushed_replies if pushed else replies)
    assert (message.mobile, message.content) == ("1", "x")
    (receipt,) = fitted_receipts(traits, (FULL_RECEIPT,))
    assert kept(receipt, ("message_id", "client_id")) == receipts
    assert receipt.mobile == "13800138000"


@given(china_datetimes())
def test_china_datetimes_are_aware_whole_seconds(when: datetime) -> None:
    assert when.tzinfo is CHINA
    assert when.microsecond == 0
    assert 2000 <= when.year <= 2099


@given(mobiles())
def test_mobiles_are_ascii_digits(number: str) -> None:
    assert number.isascii() and number.isdigit()
    assert 5 <= len(number) <= 15


@given(sms_text("gbk", forbid=("##", "||")))
def test_sms_text_fits_its_charset_and_avoids_the_forbidden(text: str) -> None:
    text.encode("gbk")
    assert text
    assert "##" not in text and "||" not in text


def test_the_edge_tokens_hold_every_separator_of_the_five_wires() -> None:
    # DESIGN.md: "##, ||, {&}, |#|, |, ;, ,, &, =, %, +, newlines, full-width ｜".
    assert {"##", "||", "{&}", "|#|", "|", ";", ",", "&", "=", "%", "+"} <= set(EDGE_TOKENS)
    assert {"\n", "\r\n", "｜"} <= set(EDGE_TOKENS)
