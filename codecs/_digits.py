"""Phone numbers checked as ASCII digits in a few C-level passes, and the mark that says so.

Sends carry up to 10,000 numbers: a Python loop per number costs more than
the whole encode. :func:`digits_joined` checks them all at once;
:class:`CheckedDigits` is the tuple a :class:`~smswire.codecs.SendSms` keeps
when its numbers passed, with their comma-joined text, so the encoder that
puts them on the wire need neither look at them again nor join them again.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CheckedDigits", "checked_digits", "digits_joined"]

_DIGITS = b"0123456789"


class CheckedDigits(tuple[str, ...]):
    """A tuple of numbers, each known to be a non-empty string of ASCII digits.

    Only :func:`checked_digits` makes one (after :func:`digits_joined` said so);
    it compares, hashes and prints as the plain tuple it is. ``joined`` is the
    numbers joined by commas, as most wires carry them.
    """

    joined: str


def digits_joined(mobiles: Sequence[str], separator: str) -> str | None:
    """The numbers joined by ``separator`` if each is non-empty ASCII digits, else ``None``.

    ``separator`` is one ASCII character that is not a digit. After the digits
    are deleted (``bytes.translate``, a table look-up; str methods consult
    Unicode data per character), only the ``len(mobiles) - 1`` joining
    separators may remain: then no number holds a separator or any other
    character.
    """
    try:
        joined = separator.join(mobiles)
    except TypeError:
        return None
    count = len(mobiles)
    if not joined.isascii() or len(joined.encode("ascii").translate(None, _DIGITS)) != count - 1:
        return None
    # Emptiness: numbers of one width (11-digit mobiles, the usual batch) show it in
    # one strided look at the separators (a substring search for a doubled separator
    # restarts at every separator); others ask each number.
    width = len(mobiles[0]) if count else 0
    uniform = width and len(joined) == count * (width + 1) - 1
    if uniform and joined[width :: width + 1] == separator * (count - 1):
        return joined
    return joined if count and all(mobiles) else None


def checked_digits(mobiles: Sequence[str]) -> tuple[str, ...]:
    """``mobiles`` as :class:`CheckedDigits` when every one is ASCII digits, else a plain tuple."""
    joined = digits_joined(mobiles, ",") if mobiles else None
    if joined is None:
        return tuple(mobiles)
    checked = CheckedDigits(mobiles)
    checked.joined = joined
    return checked
