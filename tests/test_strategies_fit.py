"""The public strategies fit their records through the codecs' traits (issue 14 item 2).

What a wire carries of each neutral record is said once, in the codec's
:class:`~smswire.codecs._traits.WireTraits`; a strategy that chose its own
fields drifted from it (one drift was a CI failure). Every record a strategy
draws is therefore already what the traits fit it to, answers and pushes alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import find, given
from hypothesis import strategies as st
from smswire.codecs import DeliveryReport, InboundMessage, changlong, eims, emay, esms100, smscn
from smswire.codecs._traits import WireTraits
from smswire.codecs.strategies import changlong as changlong_s
from smswire.codecs.strategies import eims as eims_s
from smswire.codecs.strategies import emay as emay_s
from smswire.codecs.strategies import emay_simple as emay_simple_s
from smswire.codecs.strategies import esms100 as esms100_s
from smswire.codecs.strategies import smscn as smscn_s

CASES: list[tuple[str, WireTraits, Callable[[], st.SearchStrategy[Any]], bool]] = [
    ("esms100 reports", esms100.Codec.traits, esms100_s.reports, False),
    ("esms100 replies", esms100.Codec.traits, esms100_s.replies, False),
    ("smscn reports", smscn.Codec.traits, smscn_s.reports, False),
    ("smscn replies", smscn.Codec.traits, smscn_s.replies, False),
    ("smscn pushes", smscn.Codec.traits, smscn_s.push_items, True),
    ("changlong reports", changlong.Codec.traits, changlong_s.reports, False),
    ("changlong replies", changlong.Codec.traits, changlong_s.replies, False),
    ("eims report rows", eims.Codec.traits, eims_s.report_rows, False),
    ("eims replies", eims.Codec.traits, eims_s.inbound_messages, False),
    ("emay reports", emay.Codec.traits, emay_s.reports, False),
    ("emay replies", emay.Codec.traits, emay_s.replies, False),
    ("emay-simple reports", emay.SimpleCodec.traits, emay_simple_s.reports, False),
    ("emay-simple replies", emay.SimpleCodec.traits, emay_simple_s.inbound_messages, False),
]


def _fit(traits: WireTraits, record: Any, pushed: bool) -> Any:
    if isinstance(record, DeliveryReport):
        return traits.fit_report(record, pushed=pushed)
    assert isinstance(record, InboundMessage)
    return traits.fit_inbound(record, pushed=pushed)


@pytest.mark.parametrize(("name", "traits", "records", "pushed"), CASES, ids=[c[0] for c in CASES])
def test_a_strategys_records_are_what_the_traits_fit(
    name: str,
    traits: WireTraits,
    records: Callable[[], st.SearchStrategy[Any]],
    pushed: bool,
) -> None:
    @given(records())
    def check(record: Any) -> None:
        assert _fit(traits, record, pushed) == record

    check()


def test_emay_reports_carry_their_description() -> None:
    # Emay's getReport record (and its pushes): "desc String 状态描述(选填）".
    assert "description" in emay.Codec.traits.report_fields
    assert "description" in emay.SimpleCodec.traits.report_fields


def test_emay_report_descriptions_are_still_drawn() -> None:
    # Fitting keeps what the wire carries: the strategy still exercises the field.
    found = find(emay_s.reports(), lambda r: r.description is not None)
    assert isinstance(found.description, str)


def test_a_field_the_wire_lacks_is_never_drawn() -> None:
    # esms100 §7 report lines are "time||number||status": no ids.
    @given(esms100_s.reports())
    def check(report: DeliveryReport) -> None:
        assert report.message_id is None
        assert report.client_id is None

    check()
