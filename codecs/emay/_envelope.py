"""The secure interface's envelope: optional gzip, then AES/ECB/PKCS5Padding.

Shared by the secure interface's requests and answers and by the encrypted
pushes. ``unseal`` turns every way a body can be unreadable (wrong key,
truncated block, bad padding, bad gzip, a gzip bomb) into a
:class:`DecodeError` carrying the raw body; its two steps, ``decrypt`` and
``inflate``, are public so the server role can tell a body it cannot decrypt
(``ERROR_ENCRYPTION``) from one it decrypted but cannot read.
"""

from __future__ import annotations

import gzip as _gzip
import json
import re
import zlib
from typing import Any

from Crypto.Cipher import AES
from Crypto.Cipher._mode_ecb import EcbMode

from .._errors import DecodeError, EncodeError
from .._json import mend_typography

__all__ = ["cipher", "decrypt", "dumps", "inflate", "loads", "seal", "unseal"]

_BLOCK = 16

#: gzip level of sealed bodies, chosen by measurement (issue 16 item 9): level 9 was 70%
#: of a 500-number encrypted send. On the bench's send (7,325 bytes of JSON) level 6
#: compresses in 201 µs against 284 µs, to 3,433 bytes against 3,427: 3,440 sealed
#: either way after AES padding. Java's GZIPOutputStream (zlib's default) uses 6 too.
GZIP_LEVEL = 6


def cipher(key: bytes) -> EcbMode:
    """The AES/ECB cipher of ``key``: no state beyond the key schedule, so a codec may
    keep one per account (building one is about a tenth of a 500-report answer)."""
    built: EcbMode = AES.new(key, AES.MODE_ECB)
    return built


def _cipher(key: bytes | EcbMode) -> EcbMode:
    return cipher(key) if isinstance(key, bytes) else key


def seal(data: bytes, key: bytes | EcbMode, *, gzip: bool) -> bytes:
    """``data`` gzipped when asked, then AES/ECB encrypted with PKCS#5 padding.

    ``key`` is the AES key or its :func:`cipher`. ``mtime=0`` keeps the gzip header
    free of the clock (codecs are pure).
    """
    if gzip:
        data = _gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    pad = _BLOCK - len(data) % _BLOCK
    encrypted: bytes = _cipher(key).encrypt(data + bytes((pad,)) * pad)
    return encrypted


def _gunzip(data: bytes, max_size: int, raw: bytes) -> bytes:
    # wbits=31: a gzip header and trailer; decompress in bounded steps so a
    # small hostile body cannot expand without limit. Members may follow one
    # another (RFC 1952 §2.2; Java's GZIPInputStream reads them as one stream);
    # the cap counts them together.
    out = bytearray()
    chunk = data
    try:
        while True:
            inflater = zlib.decompressobj(wbits=31)
            while True:
                out += inflater.decompress(chunk, max_size + 1 - len(out))
                if len(out) > max_size:
                    raise DecodeError(f"emay: body inflates beyond {max_size} bytes", raw)
                chunk = inflater.unconsumed_tail
                if not chunk:
                    break
            if not inflater.eof:
                raise DecodeError("emay: truncated gzip data in body", raw)
            chunk = inflater.unused_data
            if not chunk:
                return bytes(out)
            if chunk[:2] != b"\x1f\x8b":
                raise DecodeError("emay: data after the gzip member in body is not gzip", raw)
    except zlib.error as exc:
        raise DecodeError(f"emay: body is not valid gzip ({exc})", raw) from None


def decrypt(body: bytes, key: bytes | EcbMode) -> bytes:
    """AES/ECB/PKCS5 decryption of ``body`` (``key``: the AES key or its :func:`cipher`);
    :class:`DecodeError` (with the body) if impossible."""
    if not body or len(body) % _BLOCK:
        raise DecodeError(
            f"emay: encrypted body of {len(body)} bytes is not a whole number of AES blocks",
            body,
        )
    try:
        plain: bytes = _cipher(key).decrypt(body)
    except (ValueError, TypeError) as exc:
        raise DecodeError(f"emay: body cannot be decrypted ({exc})", body) from None
    pad = plain[-1]
    if not 1 <= pad <= _BLOCK or plain[-pad:] != bytes((pad,)) * pad:
        # The usual sign of a wrong key.
        raise DecodeError("emay: bad padding after decryption (wrong key?)", body)
    return plain[:-pad]


def inflate(plain: bytes, raw: bytes, *, gzip: bool, max_size: int) -> bytes:
    """Decrypted ``plain`` gunzipped when ``gzip``, at most ``max_size`` bytes either way."""
    if gzip:
        return _gunzip(plain, max_size, raw)
    if len(plain) > max_size:
        raise DecodeError(f"emay: body larger than {max_size} bytes", raw)
    return plain


def unseal(body: bytes, key: bytes | EcbMode, *, gzip: bool, max_size: int) -> bytes:
    """The plain bytes of a sealed ``body``; :class:`DecodeError` when unreadable."""
    return inflate(decrypt(body, key), body, gzip=gzip, max_size=max_size)


def dumps(value: Any, charset: str) -> bytes:
    """Compact JSON in ``charset`` (non-ASCII kept as characters, as Java's libraries write it).

    A character ``charset`` cannot carry is an :class:`EncodeError`.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode(charset)
    except UnicodeEncodeError as exc:
        raise EncodeError(
            f"emay: {text[exc.start : exc.end]!r} cannot be sent in charset {charset}"
        ) from None
    except LookupError:
        raise EncodeError(f"emay: unknown charset {charset!r}") from None


def loads(data: bytes, charset: str, raw: bytes) -> Any:
    """Parsed JSON from ``data`` in ``charset``; :class:`DecodeError` carrying ``raw`` if not.

    A byte-order mark is skipped, and when the strict parse fails the
    documents' typography (quirks ``curly-quotes``, ``full-width-comma``) and a
    comma before a closing bracket (quirk ``trailing-comma``) are mended and
    the text parsed again: on every Emay path alike.
    """
    try:
        text = data.decode(charset).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"emay: body is not JSON in {charset} ({exc})", raw) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        mended = _mend(text)
        if mended is None:
            raise DecodeError(f"emay: body is not JSON ({exc})", raw) from None
    try:
        return json.loads(mended)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"emay: body is not JSON ({exc})", raw) from None


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _mend(text: str) -> str | None:
    mended = mend_typography(text)
    base = text if mended is None else mended
    # Outside strings only: a comma before } or ] never sits in a valid body's structure.
    trimmed = _strip_trailing_commas(base)
    if trimmed == text:
        return None
    return trimmed


def _strip_trailing_commas(text: str) -> str:
    if "," not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        if c == ",":
            match = _TRAILING_COMMA.match(text, i)
            if match is not None:
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out)
