"""The secure interface's envelope: optional gzip, then AES/ECB/PKCS5Padding.

Shared by the secure interface's requests and answers and by the encrypted
pushes. ``unseal`` turns every way a body can be unreadable (wrong key,
truncated block, bad padding, bad gzip, a gzip bomb) into a
:class:`DecodeError` carrying the raw body.
"""

from __future__ import annotations

import gzip as _gzip
import json
import zlib
from typing import Any

from Crypto.Cipher import AES

from .._errors import DecodeError, EncodeError

__all__ = ["dumps", "loads", "seal", "unseal"]

_BLOCK = 16


def _cipher(key: bytes) -> Any:
    return AES.new(key, AES.MODE_ECB)


def seal(data: bytes, key: bytes, *, gzip: bool) -> bytes:
    """``data`` gzipped when asked, then AES/ECB encrypted with PKCS#5 padding.

    ``mtime=0`` keeps the gzip header free of the clock (codecs are pure).
    """
    if gzip:
        data = _gzip.compress(data, mtime=0)
    pad = _BLOCK - len(data) % _BLOCK
    encrypted: bytes = _cipher(key).encrypt(data + bytes((pad,)) * pad)
    return encrypted


def _gunzip(data: bytes, max_size: int, raw: bytes) -> bytes:
    # wbits=31: a gzip header and trailer; decompress in bounded steps so a
    # small hostile body cannot expand without limit.
    inflater = zlib.decompressobj(wbits=31)
    out = bytearray()
    chunk = data
    try:
        while True:
            out += inflater.decompress(chunk, max_size + 1 - len(out))
            if len(out) > max_size:
                raise DecodeError(f"emay: body inflates beyond {max_size} bytes", raw)
            chunk = inflater.unconsumed_tail
            if not chunk:
                break
        if not inflater.eof:
            raise DecodeError("emay: truncated gzip data in body", raw)
        if inflater.unused_data:
            raise DecodeError("emay: data after the gzip member in body", raw)
    except zlib.error as exc:
        raise DecodeError(f"emay: body is not valid gzip ({exc})", raw) from None
    return bytes(out)


def unseal(body: bytes, key: bytes, *, gzip: bool, max_size: int) -> bytes:
    """The plain bytes of a sealed ``body``; :class:`DecodeError` when unreadable."""
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
    plain = plain[:-pad]
    if gzip:
        return _gunzip(plain, max_size, body)
    if len(plain) > max_size:
        raise DecodeError(f"emay: body larger than {max_size} bytes", body)
    return plain


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
    """Parsed JSON from ``data`` in ``charset``; :class:`DecodeError` carrying ``raw`` if not."""
    try:
        return json.loads(data.decode(charset))
    except (UnicodeDecodeError, LookupError, ValueError, RecursionError) as exc:
        raise DecodeError(f"emay: body is not JSON in {charset} ({exc})", raw) from None
