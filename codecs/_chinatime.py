"""China Standard Time, the clock of every wire in this package.

Decoded datetimes are aware (UTC+08:00). A naive datetime handed in at the
public boundary (operations, :class:`~smswire.codecs.Stamp`, results given to
the server role) is refused: on a server whose clock runs in UTC, a naive
``datetime.now()`` is eight hours off, and no codec can tell.

Parsing slices digits instead of calling ``strptime``: report batches parse
thousands of these per poll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from ._errors import DecodeError, EncodeError

__all__ = [
    "CHINA",
    "TimeMemo",
    "format_compact",
    "format_date",
    "format_minutes",
    "format_seconds",
    "from_compact_number",
    "from_millis",
    "from_unix",
    "naive_error",
    "parse_compact",
    "parse_dashed",
    "parse_date",
    "to_china",
    "to_millis",
    "to_unix",
]

#: China Standard Time, UTC+08:00 (no daylight saving since 1991). Unnamed on purpose: it
#: is then the zone ``datetime.fromisoformat`` gives "+08:00", so the parsers' fast path
#: returns the ISO parser's own result, and every time smswire builds has the one tzname
#: "UTC+08:00" (a name such as "CST" would also be ambiguous: US Central, Cuba).
CHINA = timezone(timedelta(hours=8))
_OFFSET = "+08:00"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_MILLISECOND = timedelta(milliseconds=1)
# Bound once: the parsers below run thousands of times per batch.
_FROM_ISO = datetime.fromisoformat


def _raw(text: str) -> bytes:
    """Best-effort wire bytes of a bad time for ``DecodeError.raw``; never raises.

    Text from a lenient GBK/UTF-8 decode carries its bad bytes as
    ``surrogateescape`` code points; text from JSON may hold any lone surrogate.
    """
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def naive_error(value: datetime) -> EncodeError:
    """The refusal of a naive datetime, naming the fix."""
    return EncodeError(
        f"naive datetime {value.isoformat()}: these wires run on China time and a naive value "
        "could be any zone (a naive datetime.now() on a UTC server is eight hours off); pass "
        "an aware one, e.g. datetime.now(CHINA) or Stamp.current() (CHINA from smswire.codecs)"
    )


def to_china(value: datetime) -> datetime:
    """``value`` in China time; a naive value is refused with :class:`EncodeError`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise naive_error(value)
    return value.astimezone(CHINA)


def format_seconds(value: datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in China time."""
    v = to_china(value)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"


def format_minutes(value: datetime) -> str:
    """``yyyy-MM-dd HH:mm`` in China time."""
    v = to_china(value)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"


def format_compact(value: datetime) -> str:
    """``yyyyMMddHHmmss`` (14 digits) in China time."""
    v = to_china(value)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}{v.hour:02d}{v.minute:02d}{v.second:02d}"


def _build(text: str, y: str, mo: str, d: str, h: str, mi: str, s: str) -> datetime:
    if not (y + mo + d + h + mi + s).isascii() or not (y + mo + d + h + mi + s).isdigit():
        raise DecodeError(f"not a time: {text!r}", _raw(text))
    try:
        # tzinfo by position: datetime's keyword parsing costs more than the six ints.
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), 0, CHINA)
    except ValueError:
        raise DecodeError(f"not a time: {text!r}", _raw(text)) from None


def parse_dashed(text: str) -> datetime:
    """``yyyy-MM-dd HH:mm:ss`` or ``yyyy-MM-dd HH:mm`` (seconds optional), China time.

    Surrounding blanks are ignored: several documents print a space after the
    field separator.
    """
    # Fast path (report batches parse thousands): C's ISO parser checks every digit; the
    # layout test confines it to these two layouts ("T", offsets, week dates stay out).
    # A full-length text has no blank to strip unless the parse fails.
    t = text if len(text) == 19 else text.strip()
    n = len(t)
    if (n == 19 and t[4:17:3] == "-- ::") or (n == 16 and t[4:14:3] == "-- :"):
        try:
            return _FROM_ISO(t + _OFFSET)
        except ValueError:
            pass
    t = text.strip()
    n = len(t)
    if n == 19 and t[4] == "-" and t[7] == "-" and t[10] == " " and t[13] == ":" and t[16] == ":":
        return _build(text, t[0:4], t[5:7], t[8:10], t[11:13], t[14:16], t[17:19])
    if n == 16 and t[4] == "-" and t[7] == "-" and t[10] == " " and t[13] == ":":
        return _build(text, t[0:4], t[5:7], t[8:10], t[11:13], t[14:16], "00")
    raise DecodeError(f"not a time: {text!r}", _raw(text))


def parse_compact(text: str) -> datetime:
    """``yyyyMMddHHmmss`` (14 digits), China time."""
    t = text.strip()
    if len(t) != 14:
        raise DecodeError(f"not a 14-digit time: {text!r}", _raw(text))
    if t.isdigit() and t.isascii():
        # Fast path: C's ISO parser (basic format) instead of six int() calls.
        try:
            return _FROM_ISO(f"{t[:8]}T{t[8:]}{_OFFSET}")
        except ValueError:
            pass
    return _build(text, t[0:4], t[4:6], t[6:8], t[8:10], t[10:12], t[12:14])


def from_compact_number(value: int) -> datetime:
    """``yyyyMMddHHmmss`` written as a number (JSON wires), China time.

    Splits the digits by arithmetic; anything but a valid 14-digit time raises
    as :func:`parse_compact` does on its text.
    """
    if 10**13 <= value < 10**14:
        rest, second = divmod(value, 100)
        rest, minute = divmod(rest, 100)
        rest, hour = divmod(rest, 100)
        rest, day = divmod(rest, 100)
        year, month = divmod(rest, 100)
        try:
            return datetime(year, month, day, hour, minute, second, 0, CHINA)
        except ValueError:
            return parse_compact(str(value))
    return parse_compact(str(value))


class TimeMemo(dict[str, datetime]):
    """A per-batch memo of wire times: ``memo[text]`` is ``parse(text)``, parsed once.

    The records of a bulk send share their times (one submit time, a few report
    times), so a batch of 10,000 reports often holds a few hundred distinct
    strings. A hit is a plain dict look-up in C, about a ninth of a parse; a
    miss costs one ``__missing__`` call more than the parse. Make one per
    batch (never module-wide): it holds every distinct time of the batch. A
    text that does not parse raises as ``parse`` does and is not remembered.
    """

    __slots__ = ("_parse",)

    def __init__(self, parse: Callable[[str], datetime]) -> None:
        super().__init__()
        self._parse = parse

    def __missing__(self, text: str) -> datetime:
        value = self[text] = self._parse(text)
        return value


def to_unix(value: datetime) -> int:
    """Unix seconds of an aware datetime (floored, before 1970 too, as :func:`to_millis`)."""
    return (to_china(value) - _EPOCH) // _SECOND


def from_unix(seconds: int) -> datetime:
    """Aware China-time datetime from Unix seconds."""
    try:
        return datetime.fromtimestamp(seconds, CHINA)
    except (OverflowError, OSError, ValueError):
        raise DecodeError(f"not a Unix time: {seconds!r}") from None


def to_millis(value: datetime) -> int:
    """Unix milliseconds of an aware datetime (floored, before 1970 too)."""
    # Integer arithmetic: int(timestamp()) truncates toward zero, which put a time
    # just before the epoch one second late.
    return (to_china(value) - _EPOCH) // _MILLISECOND


def from_millis(millis: int) -> datetime:
    """Aware China-time datetime from Unix milliseconds."""
    try:
        whole, rest = divmod(millis, 1000)
        return datetime.fromtimestamp(whole, CHINA).replace(microsecond=rest * 1000)
    except (OverflowError, OSError, ValueError):
        raise DecodeError(f"not a millisecond time: {millis!r}") from None


def format_date(value: date) -> str:
    """``yyyy-MM-dd`` (a calendar date, as query filters carry it)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def parse_date(text: str) -> date:
    """``yyyy-MM-dd`` exactly (``date.fromisoformat`` also takes week dates and ``yyyyMMdd``)."""
    t = text.strip()
    digits = t[0:4] + t[5:7] + t[8:10]
    if len(t) != 10 or t[4] != "-" or t[7] != "-" or not (digits.isascii() and digits.isdigit()):
        raise DecodeError(f"not a date: {text!r}", _raw(text))
    try:
        return date(int(t[0:4]), int(t[5:7]), int(t[8:10]))
    except ValueError:
        raise DecodeError(f"not a date: {text!r}", _raw(text)) from None
