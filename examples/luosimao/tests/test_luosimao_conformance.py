"""The Luosimao codec through smswire's conformance suite: the one line a plug-in needs."""

from __future__ import annotations

from smswire.testing import ConformanceSuite


class TestLuosimao(ConformanceSuite):
    vendor = "luosimao"
