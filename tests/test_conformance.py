"""smswire's own vendors through the conformance suite that plug-ins run (smswire.testing)."""

from __future__ import annotations

from smswire.codecs import VENDORS
from smswire.testing import ConformanceSuite


class TestEsms100(ConformanceSuite):
    vendor = "esms100"


class TestEims(ConformanceSuite):
    vendor = "eims"


class TestSmscn(ConformanceSuite):
    vendor = "smscn"


class TestEmay(ConformanceSuite):
    vendor = "emay"


class TestEmaySimple(ConformanceSuite):
    vendor = "emay-simple"


class TestChanglong(ConformanceSuite):
    vendor = "changlong"


def test_every_registered_vendor_runs_through_the_suite() -> None:
    suites = {cls.vendor for cls in ConformanceSuite.__subclasses__() if cls.__module__ == __name__}
    assert suites == set(VENDORS)


def test_a_calendar_day_crosses_the_converter() -> None:
    # Found by the suite's converter check: sms.cn's send-record query holds a date.
    from datetime import date

    from smswire.codecs import from_jsonable, to_jsonable
    from smswire.codecs.smscn import QuerySendRecords

    op = QuerySendRecords(date=date(2024, 5, 1))
    assert to_jsonable(op)["date"] == "2024-05-01"
    assert from_jsonable(to_jsonable(op), QuerySendRecords) == op
