"""Encode-time checks shared by the vendors: refuse before any byte leaves.

Each check raises :class:`EncodeError` with a message that names the field and
the limit, never a secret.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._errors import EncodeError

__all__ = ["check_content", "check_digits", "check_mobiles", "parse_code"]


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
    for mobile in mobiles:
        check_digits(mobile, "mobile")


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
