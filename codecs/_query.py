"""Charset-aware query strings and form bodies, PHP ``urlencode`` style.

The documents ask for ``urlencode()``/``URLEncoder.encode()``: every byte but
ASCII letters, digits and ``-_.`` becomes ``%XX`` (upper case), a space becomes
``+``. Text is first encoded in the vendor's charset (GBK by default on most of
these wires); a character the charset cannot carry is an :class:`EncodeError`
naming it, never a silent ``?``.
"""

from __future__ import annotations

import codecs as _stdlib_codecs
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar
from urllib.parse import unquote_to_bytes

from ._errors import DecodeError, EncodeError
from ._http import HttpRequest

__all__ = [
    "FORM",
    "CredentialMemo",
    "QueryParams",
    "build_query",
    "check_charset",
    "decode_text",
    "encode_text",
    "form_request",
    "parse_query",
    "request_pairs",
    "urlencode_value",
]


def check_charset(charset: str) -> str:
    """Normalise a charset option to ``gbk`` or ``utf-8``; refuse anything else."""
    try:
        name = _stdlib_codecs.lookup(charset).name
    except LookupError:
        raise EncodeError(f"unknown charset {charset!r}; use 'gbk' or 'utf-8'") from None
    if name not in ("gbk", "utf-8"):
        raise EncodeError(f"unsupported charset {charset!r}; use 'gbk' or 'utf-8'")
    return name


def _is_secret(field: str, secret: bool | None) -> bool:
    if secret is not None:
        return secret
    from ._masking import secret_names

    return field.lower() in secret_names()


def encode_text(
    text: str, charset: str, field: str = "text", *, secret: bool | None = None
) -> bytes:
    """Encode ``text`` strictly; name the first character the charset lacks.

    For a credential (``secret``; by default, a field some codec lists in its
    ``secrets``) the error names the field only, never a character or position.
    """
    try:
        return text.encode(charset)
    except UnicodeEncodeError as exc:
        if _is_secret(field, secret):
            raise EncodeError(
                f"{field}: the value holds a character that cannot be encoded in "
                f"{charset.upper()} (a credential: its content is not shown)"
            ) from None
        bad = text[exc.start]
        raise EncodeError(
            f"{field}: character {bad!r} (U+{ord(bad):04X}) at position {exc.start} "
            f"cannot be encoded in {charset.upper()}"
        ) from None


def decode_text(
    raw: bytes, charset: str, field: str = "body", *, secret: bool | None = None
) -> str:
    """Decode ``raw`` strictly; a bad byte is a :class:`DecodeError` carrying ``raw``.

    For a credential the message names the field only (``raw`` is still kept).
    """
    try:
        return raw.decode(charset)
    except UnicodeDecodeError as exc:
        if _is_secret(field, secret):
            message = f"{field}: the value is not {charset.upper()} (a credential: not shown)"
        else:
            message = (
                f"{field}: byte {raw[exc.start : exc.start + 1]!r} at {exc.start} "
                f"is not {charset.upper()}"
            )
        raise DecodeError(message, raw) from None


#: What PHP's urlencode leaves alone: ASCII letters, digits and ``-_.``.
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


def urlencode_value(value: str, charset: str, safe: str = "", field: str = "value") -> str:
    """PHP ``urlencode`` of ``value`` in ``charset``; ``safe`` characters stay as they are.

    Number lists keep their commas (``safe=","``) as the documents' examples do.
    """
    if value.isascii():
        if value.isalnum() or not value:
            return value
        # Long number lists ("1380…,1390…"): one C-level scan instead of quote's per-byte
        # strip. A space (always "+") and "~" (always "%7E") never pass unescaped.
        keep = _UNRESERVED + safe.encode("ascii", "ignore").replace(b"~", b"").replace(b" ", b"")
        if not value.encode("ascii").translate(None, keep):
            return value
    data = encode_text(value, charset, field)
    table, literal = _QUOTE_TABLES.get(safe) or _quote_table(safe)
    if len(data.translate(None, literal)) == len(data):
        # Every byte is escaped (Chinese text, mostly): one C call renders them all.
        return "%" + data.hex("%").upper()
    # One tuple index per byte: about twice as fast as quote_plus's per-byte dict look-up.
    return "".join([table[byte] for byte in data])


#: Per ``safe`` string: what each byte becomes, and the bytes that are not escaped.
_QUOTE_TABLES: dict[str, tuple[tuple[str, ...], bytes]] = {}


def _quote_table(safe: str) -> tuple[tuple[str, ...], bytes]:
    """Byte → text as ``quote_plus(data, safe).replace("~", "%7E")`` renders it."""
    keep = set(_UNRESERVED) | set(safe.encode("ascii", "ignore"))
    # quote_plus leaves "~" alone (RFC 3986); PHP and Java do not. A space is always "+".
    keep -= {ord("~"), ord(" ")}
    table = tuple("+" if b == 0x20 else chr(b) if b in keep else f"%{b:02X}" for b in range(256))
    literal = bytes(b for b in range(256) if len(table[b]) == 1)
    _QUOTE_TABLES[safe] = (table, literal)
    return table, literal


def build_query(pairs: Iterable[tuple[str, str]], charset: str, safe: str = "") -> str:
    """``k=v&k=v`` with each value url-encoded in ``charset``.

    Keys are ASCII on every wire here and are written as they are.
    """
    return "&".join(f"{k}={urlencode_value(v, charset, safe, k)}" for k, v in pairs)


K = TypeVar("K")
V = TypeVar("V")


class CredentialMemo(Generic[K, V]):
    """What a codec instance derives from the last account it saw: a credential query
    fragment, a password digest, a cipher.

    Every send repeats the same few url-encoded credential pairs; building them is
    a fifth of a 100-number 112088.net send. The memo lives on the codec instance
    (never at module level: it would keep secrets process-wide), holds one account
    (bounded), and is keyed by identity: it keeps a reference to that account, so
    the identity cannot be reused while the entry lives. Its repr shows nothing.
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[K, V] | None = None

    def get(self, account: K, build: Callable[[K], V]) -> V:
        """``build(account)``, computed once for as long as the same account comes back."""
        last = self._last
        if last is not None and last[0] is account:
            return last[1]
        text = build(account)
        # One tuple, one store: a thread sees either the old entry or the new one.
        self._last = (account, text)
        return text

    def __repr__(self) -> str:
        return "CredentialMemo()"


def parse_query(query: str | bytes) -> list[tuple[str, bytes]]:
    """Split a query string or form body into ``(name, raw value bytes)`` pairs.

    Values stay bytes so the caller can decode them in the charset the request
    declares (``encode=utf8``) after reading that parameter. Raw (unescaped)
    bytes in a form body are kept byte for byte.
    """
    if isinstance(query, str):
        try:
            # A target decoded from request-line bytes with surrogateescape gives them back.
            data = query.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raise DecodeError(
                "request target holds a lone surrogate: it is not bytes a request line carried",
                query.encode("utf-8", "surrogatepass"),
            ) from None
    else:
        data = query
    pairs: list[tuple[str, bytes]] = []
    for part in data.split(b"&"):
        if not part:
            continue
        key, _, value = part.partition(b"=")
        name = unquote_to_bytes(key.replace(b"+", b" ")).decode("latin-1")
        pairs.append((name, _unquote(value.replace(b"+", b" "))))
    return pairs


#: The header of a POST whose parameters travel as a form body.
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def form_request(method: str, path: str, *query: str) -> HttpRequest:
    """A ``GET`` carrying the query in its target, or a ``POST`` carrying it as a form body.

    The query is the parts in ``query`` written one after the other: a send's
    numbers (12,000 characters) passed as a part of their own are copied once,
    into the target, rather than once per concatenation.
    """
    if method == "POST":
        return HttpRequest("POST", path, FORM, "".join(query).encode("ascii"))
    return HttpRequest("GET", "".join((path, "?", *query)))


def request_pairs(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The parameters of a request: its query string, then a POST's form body."""
    pairs = parse_query(request.query)
    if request.method == "POST":
        pairs += parse_query(request.body)
    return pairs


#: Above this, a value is unquoted piecewise (see :func:`_unquote`).
_UNQUOTE_CHUNK = 64 * 1024


def _unquote(value: bytes) -> bytes:
    """``unquote_to_bytes``, in bounded memory for large values.

    ``unquote_to_bytes`` splits its input at every ``%``: a 13 MB
    percent-encoded push becomes millions of small bytes objects at once, about
    fifty times the body. Unquoting 64 KiB at a time (never cutting an escape)
    keeps the overhead to one chunk's worth.
    """
    if len(value) <= _UNQUOTE_CHUNK:
        return unquote_to_bytes(value)
    out = bytearray()
    start = 0
    while start < len(value):
        end = min(start + _UNQUOTE_CHUNK, len(value))
        # An escape is "%XX": never end a piece inside one.
        cut = value.rfind(b"%", max(start, end - 2), end)
        if cut != -1 and end < len(value):
            end = cut
        out += unquote_to_bytes(value[start:end])
        start = end
    return bytes(out)


class QueryParams:
    """Decoded parameters of one request, looked up by name.

    ``charset`` is applied when text is asked for, so a server role can read
    the ``encode`` parameter first and then choose.
    """

    __slots__ = ("_pairs", "charset")

    def __init__(self, pairs: list[tuple[str, bytes]], charset: str) -> None:
        self._pairs = pairs
        self.charset = charset

    @classmethod
    def parse(cls, query: str | bytes, charset: str) -> QueryParams:
        return cls(parse_query(query), charset)

    def names(self) -> list[str]:
        return [k for k, _ in self._pairs]

    def raw(self, name: str) -> bytes | None:
        for k, v in self._pairs:
            if k == name:
                return v
        return None

    def text(self, name: str) -> str | None:
        """The parameter decoded in ``charset``; ``None`` when absent."""
        raw = self.raw(name)
        return None if raw is None else decode_text(raw, self.charset, name)

    def require(self, name: str) -> str:
        """The parameter decoded in ``charset``; a :class:`DecodeError` when absent."""
        value = self.text(name)
        if value is None:
            raise DecodeError(f"missing parameter {name!r}")
        return value

    def all_text(self, name: str) -> list[str]:
        return [decode_text(v, self.charset, name) for k, v in self._pairs if k == name]

    def items_text(self) -> list[tuple[str, str]]:
        return [(k, decode_text(v, self.charset, k)) for k, v in self._pairs]
