"""EIMS credentials, vendor operations and results, and the spec's tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from .._chinatime import to_unix
from .._digest import md5_hex
from .._errors import EncodeError
from .._models import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    Operation,
    SendResult,
    _check_mobiles,
    _opt_china,
    _str_tuple,
    check_opt_word,
    check_text,
)
from .._spec import Spec, load_spec

__all__ = [
    "REASONS",
    "REPORT_STATES",
    "SPEC",
    "Account",
    "QueryReports",
    "ReportQuery",
    "SendMessage",
]


@attrs.frozen
class DeliveryReason:
    """A row of §3's 状态编码 table: why a message failed, as the document spells it."""

    code: str
    english: str
    text: str


@attrs.frozen
class EimsSection:
    """``[eims]``: the charset, the answers' Content-Type, defaults and §3's reasons."""

    charset: str
    content_type: str
    default_versions: Mapping[str, str]
    """What each endpoint says ``version`` defaults to when it is not sent."""
    delivery_reasons: tuple[DeliveryReason, ...]


SPEC: Spec[EimsSection] = load_spec("eims", EimsSection)
VENDOR = SPEC.vendor

#: getreport row state → neutral status; any other state means failed (§3).
REPORT_STATES: Mapping[str, DeliveryStatus] = SPEC.report_status

#: Delivery reason code → (English name, Chinese name), as the document spells them.
REASONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {row.code: (row.english, row.text) for row in SPEC.section.delivery_reasons}
)


@attrs.frozen
class Account:
    """An EIMS account.

    Without ``key`` the password travels as it is (a server that does not
    encrypt). With ``key``, the key the server negotiated, the ``password``
    parameter is ``md5(account + password + seq + time + key)`` in lower-case
    hex, with ``seq`` and ``time`` taken from the request's :class:`Stamp`.
    """

    account: str
    password: str = attrs.field(repr=False)
    key: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.account, str) or not self.account:
            raise EncodeError("eims.Account: account must be a non-empty string")
        if not isinstance(self.password, str):
            raise EncodeError("eims.Account: password must be a string")
        if self.key is not None and not isinstance(self.key, str):
            raise EncodeError("eims.Account: key must be a string")

    def signed_password(self, seq: int, time: int) -> str:
        """The ``password`` parameter of an encrypting server for ``seq`` and ``time``."""
        return md5_hex(self.account, self.password, str(seq), str(time), self.key or "")

    def credentials(self, seq: int, now: datetime) -> list[tuple[str, str]]:
        """The authentication parameters of one request, in the document's order."""
        if self.key is None:
            return [("account", self.account), ("password", self.password)]
        time = to_unix(now)
        return [
            ("account", self.account),
            ("password", self.signed_password(seq, time)),
            ("seq", str(seq)),
            ("time", str(time)),
        ]


def _check_sms_type(_inst: Any, _attr: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value not in (0, 1):
        raise EncodeError("sms_type must be 0 (SMS) or 1 (MMS)")


@attrs.frozen
class SendMessage(Operation[SendResult]):
    """An EIMS send with the vendor's own options: MMS (``sms_type=1``), title, sender.

    ``mms_title`` is the MMS title (the document's GET example also sends one
    with ``smstype=0``); ``sender`` is the ``发件人`` parameter. A
    :class:`SendSms` is the same request without these options, and the
    server role decodes such a request as ``SendSms``.
    """

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    mobiles: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_check_mobiles)
    content: str = attrs.field(validator=check_text)
    sms_type: int = attrs.field(default=0, validator=_check_sms_type)
    mms_title: str | None = attrs.field(default=None, validator=check_opt_word)
    sender: str | None = attrs.field(default=None, validator=check_opt_word)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)

    @property
    def is_plain(self) -> bool:
        """Whether a plain :class:`SendSms` says the same (no MMS, title or sender)."""
        return self.sms_type == 0 and self.mms_title is None and self.sender is None


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return _str_tuple(value)


def _check_ids(_inst: Any, _attr: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        raise EncodeError("ids: at least one message id is needed")
    for item in value:
        if not isinstance(item, str) or not item.isascii() or not item.isdigit():
            raise EncodeError(f"ids: {item!r} is not an EIMS message id (ASCII digits)")


@attrs.frozen
class ReportQuery:
    """The answer to :class:`QueryReports`: the gateway's counters and one report per id.

    ``nofound`` counts ids the gateway did not know; ``unsent`` and
    ``sending`` count messages still pending.
    """

    success: int = 0
    fail: int = 0
    unsent: int = 0
    sending: int = 0
    nofound: int = 0
    reports: Batch[DeliveryReport] = attrs.field(factory=Batch)

    @classmethod
    def merge(cls, results: Iterable[ReportQuery]) -> ReportQuery:
        """One answer for a query the planner split into several requests."""
        parts = list(results)
        return cls(
            sum(p.success for p in parts),
            sum(p.fail for p in parts),
            sum(p.unsent for p in parts),
            sum(p.sending for p in parts),
            sum(p.nofound for p in parts),
            Batch(
                tuple(r for p in parts for r in p.reports.items),
                tuple(m for p in parts for m in p.reports.malformed),
            ),
        )


@attrs.frozen
class QueryReports(Operation[ReportQuery]):
    """Ask for the delivery results of messages by the ids their send returned (``/getreport``).

    A plain read: the gateway answers the same ids again.
    """

    effect: ClassVar[Effect] = Effect.READ
    rate_key: ClassVar[str] = "reports"

    ids: tuple[str, ...] = attrs.field(converter=_ids, validator=_check_ids)
