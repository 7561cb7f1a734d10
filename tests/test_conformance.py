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
