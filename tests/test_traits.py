"""The codecs' traits say what their wires carry (issue 14 item 2).

A record fitted by a codec's traits must survive that codec's own answer
unchanged: the server role renders it, the client role reads it back, and
nothing was dropped that the wire carries or kept that it does not. The
expected codes come from the documents' tables, quoted below.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from smswire.codecs import (
    VENDORS,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    get_codec,
    traits_of,
)
from smswire.codecs._chinatime import CHINA

WHEN = datetime(2024, 6, 1, 8, 30, 15, 123456, tzinfo=CHINA)


@pytest.mark.parametrize("vendor", list(VENDORS))
@pytest.mark.parametrize("delivered", [True, False])
def test_a_fitted_report_survives_the_vendors_answer(vendor: str, delivered: bool) -> None:
    codec = get_codec(vendor)
    if FetchReports not in codec.operations():
        pytest.skip(f"{vendor} has no destructive report read")
    traits = codec.traits
    code, status = traits.outcome(delivered)
    full = DeliveryReport(
        "13800138000",
        status,
        code,
        message_id="4711",
        client_id="1001",
        sent_at=WHEN,
        reported_at=WHEN,
        extension="12",
    )
    fitted = traits.fit_report(full)
    account = traits.demo_account
    answer = codec.encode_response(FetchReports(), Batch((fitted,)), account)
    assert list(codec.decode_response(FetchReports(), answer, account)) == [fitted]


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_a_fitted_reply_survives_the_vendors_answer(vendor: str) -> None:
    codec = get_codec(vendor)
    traits = codec.traits
    full = InboundMessage("13800138000", "好的", WHEN, message_id="9", destination="1068")
    fitted = traits.fit_inbound(full)
    account = traits.demo_account
    answer = codec.encode_response(FetchInbound(), Batch((fitted,)), account)
    assert list(codec.decode_response(FetchInbound(), answer, account)) == [fitted]


@pytest.mark.parametrize(
    ("vendor", "failed"),
    [
        # esms100 §5: "状态 …0：未知，1：成功，2：失败".
        ("esms100", "2"),
        # Emay §4 状态报告状态码表 lists FAIL_UNKNOW (spelled so) among the failures.
        ("emay", "FAIL_UNKNOW"),
        ("emay-simple", "FAIL_UNKNOW"),
    ],
)
def test_the_failure_code_is_the_documents(vendor: str, failed: str) -> None:
    traits = traits_of(vendor)
    assert traits.outcome(False) == (failed, DeliveryStatus.FAILED)


def test_the_credential_is_the_field_the_wire_names_an_account_by() -> None:
    # esms100 ?cpid=…, sms.cn ?uid=…, 112088.net ?us_name=…, EIMS ?account=…, Emay appId.
    names = {v: traits_of(v).credential_field for v in VENDORS}
    assert names == {
        "esms100": "cpid",
        "smscn": "uid",
        "changlong": "username",
        "eims": "account",
        "emay": "app_id",
        "emay-simple": "app_id",
    }
