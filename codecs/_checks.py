"""Encode-time checks shared by the vendors: refuse before any byte leaves.

Each check raises :class:`EncodeError` with a message that names the field and
the limit, never a secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ._digits import CheckedDigits, digits_joined
from ._errors import DecodeError, EncodeError
from ._models import Balance, BalanceUnit

__all__ = [
    "check_content",
    "check_digits",
    "check_mobiles",
    "join_mobiles",
    "parse_code",
    "parse_message_count",
    "render_message_count",
]


def check_digits(value: str, field: str, max_len: int | None = None) -> str:
    """``value`` must be ASCII digits (and at most ``max_len`` of them)."""
    if not value or not value.isascii() or not value.isdigit():
        raise EncodeError(f"{field} {value!r} must be ASCII digits")
    if max_len is not None and len(value) > max_len:
        raise EncodeError(f"{field} {value!r} is longer than {max_len} digits")
    return value


def check_mobiles(mobiles: Sequence[str], limit: int, vendor: str) -> None:
    """At most ``limit`` numbers, each ASCII digits (what every gateway here takes)."""
    if len(mobiles) > limit:
        raise EncodeError(
            f"{vendor} takes at most {limit} numbers per request, got {len(mobiles)}; "
            "use codec.plan(op) to split"
        )
    if type(mobiles) is CheckedDigits or digits_joined(mobiles, ",") is not None:
        # CheckedDigits: an operation's numbers, checked when it was built.
        return
    # Only to name the offender.
    for mobile in mobiles:
        check_digits(mobile, "mobile")


def join_mobiles(mobiles: Sequence[str], limit: int, vendor: str, separator: str = ",") -> str:
    """:func:`check_mobiles`, then the numbers joined by ``separator`` (one non-digit
    ASCII character), ready for the wire: nothing in it needs percent-encoding."""
    if len(mobiles) > limit:
        joined = None
    elif type(mobiles) is CheckedDigits:
        # Checked (and comma-joined) when the operation was built.
        joined = mobiles.joined if separator == "," else separator.join(mobiles)
    else:
        joined = digits_joined(mobiles, separator)
    if joined is None:
        check_mobiles(mobiles, limit, vendor)
        joined = separator.join(mobiles)
    return joined


def check_content(content: str, limit: int, vendor: str, field: str = "content") -> None:
    """Non-empty and at most ``limit`` characters (the documents count characters)."""
    if not content:
        raise EncodeError(f"{field}: {vendor} does not send an empty text")
    if len(content) > limit:
        raise EncodeError(f"{field}: {vendor} takes at most {limit} characters, got {len(content)}")


def parse_code(text: str) -> int | None:
    """The integer a plain-text answer holds (``"0"``, ``"-10"``, ``"1000\\r\\n"``), or ``None``."""
    t = text.strip()
    body = t[1:] if t[:1] == "-" else t
    if not body or not body.isascii() or not body.isdigit() or len(body) > 18:
        return None
    return int(t)


# --------------------------------------------------------------------------- balances
#
# One policy for every wire whose balance is a number of messages (esms100, sms.cn,
# 112088.net, Emay): the count is a whole, non-negative number written in ASCII digits.
# A sign, a fraction, an exponent or a money amount is not a message count; reading one
# is a DecodeError (a balance is a safe read, nothing is lost by refusing it) and
# rendering one is an EncodeError. No wire here carries a gift part beside a count.


def parse_message_count(text: str, vendor: str, raw: bytes = b"") -> Balance:
    """The :class:`Balance` of a message-count answer (``"1000"``); anything else is refused."""
    digits = text.strip()
    if not digits or not digits.isascii() or not digits.isdigit():
        raise DecodeError(f"{vendor} balance {digits[:40]!r} is not a whole message count", raw)
    return Balance(Decimal(digits))


def render_message_count(balance: object, vendor: str) -> str:
    """The wire digits of a message-count balance; refuse what the wire cannot carry."""
    if (
        not isinstance(balance, Balance)
        or not isinstance(balance.amount, Decimal)
        or balance.unit is not BalanceUnit.MESSAGES
        or balance.gift is not None
        or not balance.amount.is_finite()
        or balance.amount != balance.amount.to_integral_value()
        or balance.amount < 0
    ):
        raise EncodeError(
            f"{vendor} balances are a whole, non-negative message count (Balance(Decimal(n))), "
            f"got {balance!r}"
        )
    return str(int(balance.amount))
