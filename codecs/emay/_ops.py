"""Emay-specific operations and results: templates, short links, per-message sends.

The vendor-neutral operations (``SendSms``, ``SendPersonalized``,
``FetchReports``, ``FetchInbound``, ``QueryBalance``) cover the rest of the
secure interface; what only Emay has lives here, built the same way (frozen
attrs, generic in the result type, ``effect``/``rate_key`` class variables).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs

from .._chinatime import to_china
from .._errors import EncodeError
from .._models import (
    Batch,
    DeliveryReport,
    Effect,
    InboundMessage,
    Operation,
    SendResult,
    check_opt_word,
    check_word,
)

__all__ = [
    "PLACEHOLDER",
    "CreateTemplate",
    "DeleteTemplate",
    "FetchInboundUpTo",
    "FetchReportsUpTo",
    "FetchShortLinkClicks",
    "PersonalityMessage",
    "QueryTemplate",
    "Recipient",
    "SendPersonalityAll",
    "SendShortLink",
    "SendTemplate",
    "SendTemplateVariables",
    "ShortLinkClick",
    "TemplateCreated",
    "TemplateDeleted",
    "TemplateState",
    "TemplateStatus",
    "TemplateVariables",
]

#: What a short-link text must contain; the gateway puts the short URL there.
PLACEHOLDER = "{#短网址#}"


def _opt_china(value: datetime | None) -> datetime | None:
    return None if value is None else to_china(value)


def _mobile(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip():
        raise EncodeError(f"{attribute.name}: {value!r} is not a phone number")


def _non_empty(_inst: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        raise EncodeError(f"{attribute.name}: at least one is needed")


def _opt_number(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise EncodeError(f"{attribute.name}: a positive integer is needed, got {value!r}")


def _recipients(value: Iterable[Recipient]) -> tuple[Recipient, ...]:
    return tuple(value)


def _personality(value: Iterable[PersonalityMessage]) -> tuple[PersonalityMessage, ...]:
    return tuple(value)


def _filled(value: Iterable[TemplateVariables]) -> tuple[TemplateVariables, ...]:
    return tuple(value)


def _variables(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = tuple(value.items() if isinstance(value, Mapping) else value)
    return tuple((k, v) for k, v in items)


def _check_variables(
    _inst: Any, attribute: attrs.Attribute[Any], value: tuple[tuple[str, str], ...]
) -> None:
    seen: set[str] = set()
    for key, text in value:
        if not isinstance(key, str) or not key or not isinstance(text, str):
            raise EncodeError(f"{attribute.name}: names and values must be strings")
        if key in seen:
            raise EncodeError(f"{attribute.name}: variable {key!r} given twice")
        seen.add(key)


# --------------------------------------------------------------------------- messages


@attrs.frozen
class Recipient:
    """One number of a template or short-link send, with the caller's own id."""

    mobile: str = attrs.field(validator=_mobile)
    client_id: str | None = attrs.field(default=None, validator=check_opt_word)


@attrs.frozen
class PersonalityMessage:
    """One message of ``sendPersonalityAllSMS``: its own text, schedule and extension."""

    mobile: str = attrs.field(validator=_mobile)
    content: str = attrs.field(validator=check_word)
    client_id: str | None = attrs.field(default=None, validator=check_opt_word)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None


@attrs.frozen
class TemplateVariables:
    """One number of ``sendTemplateVariableSMS`` and the values of its template variables.

    ``variables`` keeps the caller's order (a mapping is accepted and stored as pairs).
    """

    mobile: str = attrs.field(validator=_mobile)
    variables: tuple[tuple[str, str], ...] = attrs.field(
        converter=_variables, validator=_check_variables
    )
    client_id: str | None = attrs.field(default=None, validator=check_opt_word)


# --------------------------------------------------------------------------- results


class TemplateStatus(enum.Enum):
    """The review state ``queryTemplateSMS`` reports."""

    PENDING = "0"
    APPROVED = "1"
    REJECTED = "2"
    NOT_FOUND = "-1"
    UNKNOWN = "unknown"


@attrs.frozen
class TemplateCreated:
    """The id the gateway gave a new template."""

    template_id: str


@attrs.frozen
class TemplateDeleted:
    """Whether ``deleteTemplateSMS`` removed the template."""

    template_id: str
    deleted: bool


@attrs.frozen
class TemplateState:
    """A template's review state; ``code`` is the value as it appeared on the wire."""

    template_id: str
    code: str

    @property
    def status(self) -> TemplateStatus:
        """The meaning of ``code`` (``UNKNOWN`` for anything outside the document's table)."""
        try:
            return TemplateStatus(self.code)
        except ValueError:
            return TemplateStatus.UNKNOWN


@attrs.frozen
class ShortLinkClick:
    """One click on a short link (``getShortLink``)."""

    mobile: str
    accessed_at: datetime | None = None
    equipment: str | None = None
    browser: str | None = None
    long_link: str | None = None
    access_address: str | None = None
    user_agent: str | None = None
    app_id: str | None = None


# --------------------------------------------------------------------------- operations


@attrs.frozen
class SendPersonalityAll(Operation[SendResult]):
    """``sendPersonalityAllSMS``: each message with its own text, schedule and extension."""

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    messages: tuple[PersonalityMessage, ...] = attrs.field(
        converter=_personality, validator=_non_empty
    )


@attrs.frozen
class CreateTemplate(Operation[TemplateCreated]):
    """``createTemplateSMS``: submit a template text for review."""

    effect: ClassVar[Effect] = Effect.WRITE
    rate_key: ClassVar[str] = "template"

    content: str = attrs.field(validator=check_word)


@attrs.frozen
class DeleteTemplate(Operation[TemplateDeleted]):
    """``deleteTemplateSMS``."""

    effect: ClassVar[Effect] = Effect.WRITE
    rate_key: ClassVar[str] = "template"

    template_id: str = attrs.field(validator=check_word)


@attrs.frozen
class QueryTemplate(Operation[TemplateState]):
    """``queryTemplateSMS``: a template's review state."""

    effect: ClassVar[Effect] = Effect.READ
    rate_key: ClassVar[str] = "template"

    template_id: str = attrs.field(validator=check_word)


@attrs.frozen
class SendTemplate(Operation[SendResult]):
    """``sendTemplateNormalSMS``: a template without variables to each recipient."""

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    template_id: str = attrs.field(validator=check_word)
    recipients: tuple[Recipient, ...] = attrs.field(converter=_recipients, validator=_non_empty)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None


@attrs.frozen
class SendTemplateVariables(Operation[SendResult]):
    """``sendTemplateVariableSMS``: a template filled with each recipient's own values."""

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    template_id: str = attrs.field(validator=check_word)
    messages: tuple[TemplateVariables, ...] = attrs.field(converter=_filled, validator=_non_empty)
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None


@attrs.frozen
class SendShortLink(Operation[SendResult]):
    """``sendShortLinkSMS``: ``content`` must hold :data:`PLACEHOLDER`, replaced by a short ``url``.

    ``rule`` 1 is the plain short link, 2 the precise one that tells which
    number clicked.
    """

    effect: ClassVar[Effect] = Effect.SEND
    rate_key: ClassVar[str] = "send"

    content: str = attrs.field(validator=check_word)
    url: str = attrs.field(validator=check_word)
    recipients: tuple[Recipient, ...] = attrs.field(converter=_recipients, validator=_non_empty)
    rule: int = 1
    send_at: datetime | None = attrs.field(default=None, converter=_opt_china)
    extension: str | None = None

    def __attrs_post_init__(self) -> None:
        if PLACEHOLDER not in self.content:
            raise EncodeError(f"content: a short-link text must contain {PLACEHOLDER}")
        # 1.0 == 1 too, but str(1.0) would put "1.0" on the wire ("值：1…，2…").
        if type(self.rule) is not int or self.rule not in (1, 2):
            raise EncodeError(f"rule: shortLinkRule is 1 or 2, got {self.rule!r}")


@attrs.frozen
class FetchReportsUpTo(Operation[Batch[DeliveryReport]]):
    """``getReport`` with its ``number``: at most that many reports (handed out once)."""

    effect: ClassVar[Effect] = Effect.DESTRUCTIVE_READ
    rate_key: ClassVar[str] = "reports"

    number: int = attrs.field(validator=_opt_number)


@attrs.frozen
class FetchInboundUpTo(Operation[Batch[InboundMessage]]):
    """``getMo`` with its ``number``: at most that many replies (handed out once)."""

    effect: ClassVar[Effect] = Effect.DESTRUCTIVE_READ
    rate_key: ClassVar[str] = "inbound"

    number: int = attrs.field(validator=_opt_number)


@attrs.frozen
class FetchShortLinkClicks(Operation[Batch[ShortLinkClick]]):
    """``getShortLink``: the short-link clicks waiting at the gateway (handed out once).

    §2.1.14 asks for clicks as getReport and getMo ask for reports and replies
    ("默认每次请求给 500个") and never says a click can be fetched again, so a
    fetch is treated as destructive: never retried (quirk ``short-link-read-once``).
    """

    effect: ClassVar[Effect] = Effect.DESTRUCTIVE_READ
    rate_key: ClassVar[str] = "short_link"

    number: int | None = attrs.field(default=None, validator=_opt_number)
