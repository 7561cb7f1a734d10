"""Delimited records: the plain-text batch formats of the text vendors.

Batches arrive from destructive reads, so a record that does not parse must
not take its neighbours down with it: :func:`split_records` keeps the records
that parse and the raw bytes of the ones that do not.

Splitting happens on decoded text, never on bytes: a GBK trail byte can be
``0x7C`` (``|``), so splitting GBK bytes on ``|`` would cut characters in two.
A body that is not valid in its charset is decoded with ``surrogateescape``;
the fragments holding the bad bytes become malformed and are given back byte
for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from ._errors import DecodeError, EncodeError
from ._models import DeliveryStatus

__all__ = [
    "RecordParseError",
    "check_field",
    "decode_lenient",
    "fragment_bytes",
    "parse_fragments",
    "render_records",
    "report_status",
    "split_records",
]

T = TypeVar("T")

#: What a per-record parser may raise to say "this record is malformed".
#: Parsers unpack with ``a, b, c = frag.split(sep)`` on the fast path, so
#: ValueError and IndexError mean the same as DecodeError here.
RecordParseError = (DecodeError, ValueError, IndexError, KeyError)


#: Charsets (as ``codecs.lookup`` names them, and common spellings) in which ASCII
#: bytes mean ASCII characters.
_ASCII_SUPERSETS = frozenset(
    {"gbk", "gb18030", "gb2312", "utf-8", "utf8", "ascii", "GBK", "GB18030", "UTF-8"}
)


def decode_lenient(raw: bytes, charset: str) -> tuple[str, bool]:
    """Decode a body; return the text and whether it was clean in ``charset``.

    ASCII first: report bodies are all ASCII, and the ASCII decoder is ~40 times
    cheaper than GBK's. For a charset that is an ASCII superset (every one the
    codecs take) the text is the same; a body with a non-ASCII byte pays only
    ``bytes.isascii``'s word-at-a-time scan up to it.
    """
    if charset in _ASCII_SUPERSETS and raw.isascii():
        return raw.decode("ascii"), True
    try:
        return raw.decode(charset), True
    except UnicodeDecodeError:
        return raw.decode(charset, "surrogateescape"), False


def fragment_bytes(fragment: str, charset: str) -> bytes:
    """The wire bytes of a fragment of a body decoded by :func:`decode_lenient`."""
    return fragment.encode(charset, "surrogateescape")


def _is_clean(fragment: str, charset: str) -> bool:
    try:
        fragment.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def split_records(
    text: str,
    separator: str,
    parse: Callable[[str], T],
    charset: str,
    clean: bool = True,
) -> tuple[list[T], list[bytes]]:
    """Split ``text`` on ``separator`` and parse each non-blank fragment.

    Returns the parsed records and the raw bytes of every fragment ``parse``
    rejected (by raising one of :data:`RecordParseError`). ``clean=False``
    (from :func:`decode_lenient`) routes fragments holding undecodable bytes to
    the malformed list before ``parse`` sees them.
    """
    return parse_fragments(text.split(separator), parse, charset, clean)


def parse_fragments(
    fragments: list[str],
    parse: Callable[[str], T],
    charset: str,
    clean: bool = True,
) -> tuple[list[T], list[bytes]]:
    """:func:`split_records` for a body already split (by a caller that counted the parts)."""
    if clean:
        # Fast path: a well-formed batch (the usual case) parses in one comprehension.
        # The first bad fragment sends the whole batch through the tolerant loop.
        try:
            return [parse(f) for f in fragments if f and not f.isspace()], []
        except RecordParseError:
            return _split_tolerant(fragments, parse, charset, clean)
    return _split_tolerant(fragments, parse, charset, clean)


def _split_tolerant(
    fragments: list[str], parse: Callable[[str], T], charset: str, clean: bool
) -> tuple[list[T], list[bytes]]:
    """Parse fragment by fragment, keeping the raw bytes of every one that fails."""
    items: list[T] = []
    malformed: list[bytes] = []
    append = items.append
    for fragment in fragments:
        if not fragment or fragment.isspace():
            continue
        if not clean and not _is_clean(fragment, charset):
            malformed.append(fragment_bytes(fragment, charset))
            continue
        try:
            append(parse(fragment))
        except RecordParseError:
            malformed.append(fragment_bytes(fragment, charset))
    return items, malformed


def check_field(value: str, forbidden: Sequence[str], field: str) -> str:
    """Refuse a field that would break its record's framing; return it unchanged."""
    for token in forbidden:
        if token in value:
            raise EncodeError(
                f"{field} {value!r} contains {token!r}, which this wire format cannot carry"
            )
    return value


def render_records(
    records: Iterable[Sequence[str]], record_separator: str, field_separator: str
) -> str:
    """Join fields and records; the caller has checked the fields."""
    return record_separator.join(field_separator.join(fields) for fields in records)


def report_status(table: Mapping[str, DeliveryStatus], code: str) -> DeliveryStatus:
    """The neutral meaning of a vendor's report ``code`` under its document's ``table``.

    One rule for every vendor: a code the document does not list is a report
    with status UNKNOWN (its code kept beside it), never a malformed record and
    never a guess at FAILED or DELIVERED.
    """
    return table.get(code, DeliveryStatus.UNKNOWN)
