"""Hypothesis strategies for smswire: the ones our own tests use, as product.

Install the ``testing`` extra (``pip install 'smswire[testing]'``). For every
vendor, ``smswire.codecs.strategies.<vendor>`` offers the same functions
(:class:`VendorStrategies`), so one test can round-trip and fuzz any gateway:

>>> from hypothesis import given
>>> from smswire.codecs.strategies import for_vendor
>>> s = for_vendor("esms100")
>>> @given(s.codecs().flatmap(lambda c: s.operations(c).map(lambda op: (c, op))))
... def test_request_round_trip(pair): ...

Shared building blocks live here: phone numbers, China-time datetimes, and
message texts salted with every separator the five wires use (``##``, ``||``,
``{&}``, ``|#|``, ``|``, ``;``, ``,``, ``&``, ``=``, ``%``, ``+``, newlines,
full-width ``｜``), GBK-only and non-GBK characters.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from types import ModuleType
from typing import Any, Protocol

import attrs
from hypothesis import strategies as st

from .._chinatime import CHINA
from .._codec import Codec
from .._http import HttpResponse
from .._models import DeliveryReport, InboundMessage, Operation, Receipt
from .._traits import WireTraits

__all__ = [
    "EDGE_TOKENS",
    "GBK_ONLY",
    "NON_GBK",
    "VendorStrategies",
    "china_datetimes",
    "digits",
    "fitted_inbound",
    "fitted_receipts",
    "fitted_reports",
    "for_vendor",
    "mobiles",
    "mutate",
    "mutated_responses",
    "sms_text",
]

#: Separators and escapes of the five wire formats, and their look-alikes.
EDGE_TOKENS: tuple[str, ...] = (
    "##",
    "#",
    "||",
    "|",
    "{&}",
    "<&>",
    "|#|",
    ";",
    ",",
    "&",
    "=",
    "%",
    "+",
    "%2C",
    "\n",
    "\r\n",
    "\r",
    "｜",
    "｜｜",
    " ",
    "  ",
    "~",
    "*",
    "?",
    "/",
    '"',
    "\\",
    "'",
    "-",
    "_",
    ".",
)
#: Characters GBK has and GB2312 lacks, plus everyday Chinese and full-width forms.
GBK_ONLY = (
    "丂丄丅丆丏丒丗丟乗乛乣乧亅亪亯亴仈仌仐仒仚仛仜仠仢仦仧仩仭仮发送测试短信回复内容，。！？【】"
)
#: Characters no GBK byte sequence carries (UTF-8 only).
NON_GBK = "😀🎉𠀀𝄞ñ¢ŋ\u2028"


class VendorStrategies(Protocol):
    """What ``smswire.codecs.strategies.<vendor>`` provides."""

    def codecs(self) -> st.SearchStrategy[Codec[Any]]:
        """Codec instances over the vendor's wire options (charsets, gzip…)."""
        ...

    def accounts(self) -> st.SearchStrategy[Any]:
        """Valid accounts of the vendor."""
        ...

    def operations(self, codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
        """Operations ``codec`` can carry, within the vendor's limits."""
        ...

    def results(self, op: Operation[Any]) -> st.SearchStrategy[Any]:
        """Results (or ``GatewayError`` refusals) the server role can render for ``op``."""
        ...

    def answers(
        self, op: Operation[Any], codec: Any = None, account: Any = None
    ) -> st.SearchStrategy[HttpResponse]:
        """Well-formed gateway answers to ``op``, including documented variants.

        ``codec`` and ``account`` let vendors whose answers depend on them (Emay's
        encrypted bodies) produce successful answers too.
        """
        ...

    def mutated_answers(
        self, op: Operation[Any], codec: Any = None, account: Any = None
    ) -> st.SearchStrategy[HttpResponse]:
        """Broken answers to ``op``: truncated, spliced, byte-flipped, wrongly encoded."""
        ...


def for_vendor(name: str) -> VendorStrategies:
    """The strategies module of vendor ``name`` (a registry name such as ``"emay-simple"``).

    Each vendor registers its strategies module under the ``smswire.strategies``
    entry-point group with its registry name (smswire's own included), so a
    plug-in's strategies are found the same way; a vendor that registers none
    is a ``LookupError``.
    """
    from .._registry import strategies_target

    target = strategies_target(name)
    if target is None:
        raise LookupError(
            f"vendor {name!r} registers no strategies (entry point group 'smswire.strategies')"
        )
    module: ModuleType = importlib.import_module(target)
    return module  # type: ignore[return-value,unused-ignore]


def digits(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    """ASCII digit strings (leading zeros included)."""
    return st.text("0123456789", min_size=min_size, max_size=max_size)


def mobiles(min_size: int = 5, max_size: int = 15) -> st.SearchStrategy[str]:
    """Phone numbers: mostly Chinese mobiles, sometimes landlines with a leading zero."""
    return st.one_of(
        st.builds(lambda rest: "1" + rest, digits(10, 10)),
        digits(min_size, max_size),
    )


def china_datetimes(min_year: int = 2000, max_year: int = 2099) -> st.SearchStrategy[datetime]:
    """Aware China-time datetimes to the second (what these wires carry)."""
    return st.datetimes(
        min_value=datetime(min_year, 1, 1),
        max_value=datetime(max_year, 12, 31, 23, 59, 59),
        timezones=st.just(CHINA),
    ).map(lambda d: d.replace(microsecond=0))


def _extras(ids: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    # A value for every optional field: the codec's traits keep what its wire carries.
    when = st.none() | china_datetimes()
    return st.fixed_dictionaries(
        {
            "message_id": st.none() | ids,
            "client_id": st.none() | ids,
            "sent_at": when,
            "reported_at": when,
            "description": st.none() | st.sampled_from(["DELIVRD", "success", "失败"]),
            "extension": st.none() | digits(1, 6),
        }
    )


def fitted_reports(
    traits: WireTraits,
    reports: st.SearchStrategy[DeliveryReport],
    *,
    pushed: bool = False,
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[DeliveryReport]:
    """``reports`` as ``traits``' wire (its answers, or its pushes) carries them.

    The fields a report sets decide; every other optional field is drawn too
    (``ids`` for the message and client ids) and the traits drop what the
    wire has no place for, so that what a wire carries is said in one place:
    :meth:`~smswire.codecs._traits.WireTraits.fit_report`.
    """
    extras = _extras(ids if ids is not None else digits(1, 12))

    def fit(report: DeliveryReport, extra: dict[str, Any]) -> DeliveryReport:
        unset = {k: v for k, v in extra.items() if getattr(report, k) is None}
        return traits.fit_report(attrs.evolve(report, **unset), pushed=pushed)

    return st.builds(fit, reports, extras)


def fitted_inbound(
    traits: WireTraits,
    messages: st.SearchStrategy[InboundMessage],
    *,
    pushed: bool = False,
) -> st.SearchStrategy[InboundMessage]:
    """``messages`` as ``traits``' wire (its answers, or its pushes) carries them."""
    extras = st.fixed_dictionaries(
        {
            "received_at": st.none() | china_datetimes(),
            "message_id": st.none() | digits(1, 12),
            "destination": st.none() | digits(1, 12),
        }
    )

    def fit(message: InboundMessage, extra: dict[str, Any]) -> InboundMessage:
        unset = {k: v for k, v in extra.items() if getattr(message, k) is None}
        return traits.fit_inbound(attrs.evolve(message, **unset), pushed=pushed)

    return st.builds(fit, messages, extras)


def fitted_receipts(traits: WireTraits, receipts: tuple[Receipt, ...]) -> tuple[Receipt, ...]:
    """``receipts`` as ``traits``' send answer carries them."""
    return tuple(traits.fit_receipt(r) for r in receipts)


def _fits(charset: str | None) -> Any:
    def check(text: str) -> bool:
        if charset is None:
            return True
        try:
            text.encode(charset)
        except UnicodeEncodeError:
            return False
        return True

    return check


def sms_text(
    charset: str | None = "gbk",
    min_size: int = 1,
    max_size: int = 40,
    forbid: tuple[str, ...] = (),
) -> st.SearchStrategy[str]:
    """Message texts mixing separators, Chinese, GBK-only and (if ``charset`` allows) non-GBK.

    ``forbid`` lists substrings a wire format cannot carry; texts containing
    them are not generated (tests of the refusal generate them on purpose).
    """
    fits = _fits(charset)
    # Pieces are filtered one by one: filtering whole texts by charset threw
    # most GBK draws away and made hypothesis give up on a third of its tries.
    pieces = [
        st.sampled_from(EDGE_TOKENS),
        st.sampled_from(GBK_ONLY),
        st.characters(codec="utf-8", exclude_categories=["Cs"]).filter(fits),
        st.text("abcxyzABC0123456789 ", min_size=1, max_size=5),
    ]
    if fits(NON_GBK):
        pieces.append(st.sampled_from(NON_GBK))
    piece = st.one_of(pieces)
    texts = st.lists(piece, min_size=min_size, max_size=max_size).map("".join)
    return (
        texts.filter(lambda t: len(t) >= min_size)
        .filter(_fits(charset))
        .filter(lambda t: not any(f in t for f in forbid))
    )


@st.composite
def mutate(draw: st.DrawFn, body: bytes) -> bytes:
    """A broken variant of ``body``: truncated, spliced with separators, byte-flipped."""
    how = draw(st.sampled_from(["truncate", "splice", "flip", "bad-bytes", "drop", "double"]))
    if how == "truncate" and body:
        return body[: draw(st.integers(0, len(body) - 1))]
    if how == "splice":
        at = draw(st.integers(0, len(body)))
        token = draw(st.sampled_from(EDGE_TOKENS)).encode("utf-8")
        return body[:at] + token + body[at:]
    if how == "flip" and body:
        at = draw(st.integers(0, len(body) - 1))
        return body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1 :]
    if how == "bad-bytes":
        at = draw(st.integers(0, len(body)))
        return (
            body[:at]
            + draw(st.sampled_from([b"\xff", b"\x81", b"\xfe\xff", b"\x80\x00"]))
            + body[at:]
        )
    if how == "drop" and body:
        at = draw(st.integers(0, len(body) - 1))
        return body[:at] + body[at + 1 :]
    return body + body


def mutated_responses(
    responses: st.SearchStrategy[HttpResponse],
) -> st.SearchStrategy[HttpResponse]:
    """Each response of ``responses`` with its body broken by :func:`mutate`."""
    return responses.flatmap(
        lambda r: mutate(r.body).map(lambda b: HttpResponse(r.status, r.headers, b))
    )
