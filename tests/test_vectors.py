"""Pinned regressions around the document examples.

Every ``[[examples]]`` entry of every vendor is replayed in both roles by the
conformance suite (:class:`smswire.testing.ConformanceSuite`, run for our own
vendors by ``tests/test_conformance.py``); its engine is
``smswire.testing._examples``. Here: esms100's round trips seeded with the
document's own records.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import Batch, DeliveryReport, InboundMessage, esms100
from smswire.codecs._spec import Example
from smswire.codecs.strategies import esms100 as esms100_strategies
from smswire.testing._examples import expected_result, structure


def parts(example: Example) -> tuple[Any, Any, Any]:
    return (
        esms100.Codec(),
        structure(esms100, example.operation),
        structure(esms100, example.account),
    )


# ------------------------------------------------------------------ pinned regressions

_INBOUND = esms100.SPEC.example("inbound")
_REPORTS = esms100.SPEC.example("reports")


def _batch(example: Example) -> Batch[Any]:
    op = structure(esms100, example.operation)
    batch: Batch[Any] = expected_result(op, example)
    return batch


@given(replies=st.lists(esms100_strategies.replies(), max_size=5))
# §5's records: minute-only times and contents with spaces (the typo's neighbours).
@example(replies=list(_batch(_INBOUND).items))
def test_esms100_replies_round_trip(replies: list[InboundMessage]) -> None:
    codec, op, account = parts(_INBOUND)
    batch = Batch(tuple(replies))
    assert codec.decode_response(op, codec.encode_response(op, batch, account), account) == batch


@given(reports=st.lists(esms100_strategies.reports(), max_size=5))
@example(reports=list(_batch(_REPORTS).items))
def test_esms100_reports_round_trip(reports: list[DeliveryReport]) -> None:
    codec, op, account = parts(_REPORTS)
    batch = Batch(tuple(reports))
    assert codec.decode_response(op, codec.encode_response(op, batch, account), account) == batch
