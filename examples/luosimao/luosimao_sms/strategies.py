"""Hypothesis strategies for the Luosimao codec (the ``smswire.strategies`` entry point).

The functions of :class:`smswire.codecs.strategies.VendorStrategies`, built from
smswire's shared pieces (numbers, texts salted with every separator).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from smswire.codecs import (
    Balance,
    HttpResponse,
    Operation,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
)
from smswire.codecs import (
    Codec as CodecProtocol,
)
from smswire.codecs.strategies import mobiles, mutated_responses, sms_text

from ._codec import _MAX_CHARS, SPEC, Account, Codec

__all__ = ["accounts", "answers", "codecs", "mutated_answers", "operations", "results"]

_CODES = sorted(SPEC.statuses, key=int)
#: Codes the table lacks: still refusals, of kind UNKNOWN.
_UNDOCUMENTED = ["-1", "-99", "1"]


def codecs() -> st.SearchStrategy[CodecProtocol[Any]]:
    return st.just(Codec())


def accounts() -> st.SearchStrategy[Account]:
    key = st.text("0123456789abcdef", min_size=32, max_size=32).map(lambda k: f"key-{k}")
    return st.builds(Account, api_key=key)


def operations(codec: Any) -> st.SearchStrategy[Operation[Any]]:
    send = st.builds(
        SendSms,
        mobiles=mobiles().map(lambda m: (m,)),
        content=sms_text("utf-8", max_size=40).filter(lambda t: 0 < len(t) <= _MAX_CHARS),
    )
    return st.one_of(send, st.just(QueryBalance()))


def _errors() -> st.SearchStrategy[Any]:
    return st.sampled_from(_CODES + _UNDOCUMENTED).map(SPEC.error)


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    ok: st.SearchStrategy[Any]
    if isinstance(op, SendSms):
        ok = st.just(SendResult(tuple(Receipt(m) for m in op.mobiles)))
    else:
        ok = st.integers(0, 10**9).map(lambda n: Balance(Decimal(n)))
    return st.one_of(ok, _errors())


def _body(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(200, (), json.dumps(data, ensure_ascii=False).encode("utf-8"))


def answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    refusal = st.sampled_from(_CODES).map(lambda c: {"error": int(c), "msg": SPEC.statuses[c].text})
    ok: st.SearchStrategy[dict[str, Any]]
    if isinstance(op, SendSms):
        ok = st.just({"error": 0, "msg": "ok"})
    else:
        # Quirk deposit-is-a-string: a string of digits, sometimes a number.
        ok = st.integers(0, 10**9).flatmap(
            lambda n: st.sampled_from([{"error": 0, "deposit": str(n)}, {"error": 0, "deposit": n}])
        )
    return st.one_of(ok, refusal).map(_body)


def mutated_answers(
    op: Operation[Any], codec: Any = None, account: Any = None
) -> st.SearchStrategy[HttpResponse]:
    return mutated_responses(answers(op, codec, account))
