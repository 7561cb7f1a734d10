"""Helpers of the Emay records strength tests: the document's report records and state table.

Expected values are literal, from the document (emay.txt): the report record of
§2.1.12 / §2.2.3 / §2.3 ("mobile … smsId … customSmsId … state … desc …
receiveTime … submitTime … extendedCode", times "格式：yyyy-MM-dd HH:mm:ss")
and §4's state table, written out here rather than read from the codec's spec.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from smswire.codecs import DeliveryReport, DeliveryStatus

CST = timezone(timedelta(hours=8))
T = datetime(2017, 3, 15, 12, 0, 0, tzinfo=CST)
T2 = datetime(2017, 3, 15, 12, 0, 7, tzinfo=CST)

# §4 状态报告状态码表, as the document prints it; TIMEOUT (运营商状态报告超时) says nothing
# of the handset, so it is unknown; every FAIL_ state is a failure; DELIVRD is 成功.
DOCUMENT_STATES = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "TIMEOUT": DeliveryStatus.UNKNOWN,
    "FAIL_BALANCE": DeliveryStatus.FAILED,
    "FAIL_MOBILE": DeliveryStatus.FAILED,
    "FAIL_MOBILE_SUPPORT": DeliveryStatus.FAILED,
    "FAIL_MOBILE_REPEAT": DeliveryStatus.FAILED,
    "FAIL_AUDITING_REFUSED": DeliveryStatus.FAILED,
    "FAIL_BLACK_LIST": DeliveryStatus.FAILED,
    "FAIL_BLACK_DICT": DeliveryStatus.FAILED,
    "FAIL_UNSUBSCRIBE": DeliveryStatus.FAILED,
    "FAIL_WHITE_LIST": DeliveryStatus.FAILED,
    "FAIL_INTERCEPT": DeliveryStatus.FAILED,
    "FAIL_SIGN": DeliveryStatus.FAILED,
    "FAIL_SEND_FILTER": DeliveryStatus.FAILED,
    "FAIL_RESPONSE": DeliveryStatus.FAILED,
    "FAIL_UNKNOW": DeliveryStatus.FAILED,
}

# The document's report example (§2.1.12.2.2), its "receiveTime " with the trailing blank.
DOC_REPORT = {
    "mobile": "15538850000",
    "smsId": "20170392833833891100",
    "customSmsId": "1553885000011111",
    "state": "DELIVRD",
    "desc": "成功",
    "receiveTime ": "2017-03-15 12:00:00",
    "submitTime": "2017-03-15 12:00:00",
    "extendedCode": "123",
}
DOC_REPORT_READ = DeliveryReport(
    "15538850000",
    DeliveryStatus.DELIVERED,
    "DELIVRD",
    "20170392833833891100",
    "1553885000011111",
    T,
    T,
    "成功",
    "123",
)


def exact(**overrides: Any) -> dict[str, Any]:
    """A report as the gateway writes it (names spelled exactly: the fast path)."""
    record = {
        "mobile": "15538850001",
        "smsId": "20170392833833891101",
        "customSmsId": "c-1",
        "state": "FAIL_MOBILE",
        "desc": "手机号错误",
        "receiveTime": "2017-03-15 12:00:07",
        "submitTime": "2017-03-15 12:00:00",
        "extendedCode": "123",
    }
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not _DROP}


_DROP = object()

EXACT_READ = DeliveryReport(
    "15538850001",
    DeliveryStatus.FAILED,
    "FAIL_MOBILE",
    "20170392833833891101",
    "c-1",
    T,
    T2,
    "手机号错误",
    "123",
)
