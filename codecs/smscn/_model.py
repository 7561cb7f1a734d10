"""sms.cn accounts, vendor operations and their results, and the spec's tables."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from .. import _records
from .._checks import check_digits
from .._digest import md5_hex
from .._errors import EncodeError
from .._models import DeliveryStatus, Effect, Operation
from .._spec import Spec, load_spec

__all__ = [
    "REPORT_STATUS",
    "SPEC",
    "Account",
    "QuerySendRecords",
    "QuerySentCount",
    "SendRecord",
    "SendRecords",
    "report_status",
]


@attrs.frozen
class SmscnSection:
    """``[smscn]``: requests GBK unless ``encode=utf8``; answers and pushed text GBK."""

    request_charset: str
    response_charset: str
    push_charset: str


SPEC: Spec[SmscnSection] = load_spec("smscn", SmscnSection)
VENDOR = SPEC.vendor

#: §5 shows only ``100`` (the §4 success code); see the quirk report-status-undefined.
REPORT_STATUS: Mapping[str, DeliveryStatus] = SPEC.report_status


def report_status(code: str) -> DeliveryStatus:
    """The neutral meaning of a report's status value under the shared rule
    (:func:`smswire.codecs._records.report_status`): unlisted values are ``UNKNOWN``."""
    return _records.report_status(REPORT_STATUS, code)


def _is_md5_hex(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdefABCDEF" for c in value)


def _check_uid(_inst: Any, _attr: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or not value.isprintable() or " " in value:
        raise EncodeError("smscn.Account: uid must be a non-empty name without blanks")


@attrs.frozen
class Account:
    """An sms.cn account: ``uid`` and either the login password or ``pwd``.

    ``pwd`` is what the wire carries, ``md5(password + uid)`` in lower-case
    hex (§1.1); a caller holding only that hash passes it as ``pwd=``.
    """

    uid: str = attrs.field(validator=_check_uid)
    password: str | None = attrs.field(default=None, repr=False)
    pwd: str | None = attrs.field(default=None, repr=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (self.password is None) == (self.pwd is None):
            raise EncodeError("smscn.Account needs exactly one of password= or pwd=")
        if self.pwd is not None and not _is_md5_hex(self.pwd):
            raise EncodeError("smscn.Account: pwd must be 32 hexadecimal digits")

    @property
    def password_md5(self) -> str:
        """``pwd`` as the wire carries it: lower-case hex ``md5(password + uid)``."""
        if self.pwd is not None:
            return self.pwd.lower()
        # Exactly one secret is set (__attrs_post_init__): here it is the password.
        return md5_hex(self.password or "", self.uid)


@attrs.frozen
class QuerySentCount(Operation[int]):
    """How many messages the account has sent (§8, ``/mm/?cmd=send``)."""

    rate_key: ClassVar[str] = "sent_count"


def _check_page(_inst: Any, _attr: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise EncodeError(f"page must be a whole number from 1, got {value!r}")


def _check_date(_inst: Any, _attr: attrs.Attribute[Any], value: _dt.date | None) -> None:
    # A datetime is a date too, but the filter is a calendar day: refuse the ambiguity.
    if value is not None and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
        raise EncodeError(f"date must be a datetime.date, got {type(value).__name__}")


def _check_key(_inst: Any, _attr: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        check_digits(value, "mobile")


@attrs.frozen
class SendRecord:
    """One sent message as ``/rd/`` lists it; ``status`` is the gateway's own value."""

    sent_at: _dt.datetime
    mobile: str
    content: str
    status: str


@attrs.frozen
class SendRecords:
    """One page of the send log (§10).

    ``total`` records in all, ``count`` on this page, ``pages`` in all;
    ``malformed`` keeps the raw bytes of records that did not parse.
    """

    total: int = 0
    count: int = 0
    pages: int = 0
    records: tuple[SendRecord, ...] = ()
    malformed: tuple[bytes, ...] = ()


@attrs.frozen
class QuerySendRecords(Operation[SendRecords]):
    """Read the send log (§10, ``/rd/``): one ``page``, optionally one ``date`` or ``mobile``.

    ``mobile`` is the document's ``key`` (查询号码).
    """

    effect: ClassVar[Effect] = Effect.READ
    rate_key: ClassVar[str] = "send_records"

    page: int | None = attrs.field(default=None, validator=_check_page)
    date: _dt.date | None = attrs.field(default=None, validator=_check_date)
    mobile: str | None = attrs.field(default=None, validator=_check_key)
