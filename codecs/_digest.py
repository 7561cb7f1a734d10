"""The MD5 recipes the vendors use for passwords and signatures.

Every recipe is ``md5`` over a concatenation of ASCII-ish credentials; only the
order of the parts and the case of the hex digest differ. Parts are encoded as
UTF-8 (identical to GBK and ASCII for the ASCII credentials these gateways issue).
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["digest_equal", "md5_hex", "md5_hex_upper", "secret_equal"]


def md5_hex(*parts: str) -> str:
    """Lower-case hex MD5 of the concatenated parts."""
    return hashlib.md5("".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def md5_hex_upper(*parts: str) -> str:
    """Upper-case hex MD5 of the concatenated parts."""
    return md5_hex(*parts).upper()


def digest_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two hex digests, ignoring case."""
    return hmac.compare_digest(
        a.lower().encode("ascii", "replace"), b.lower().encode("ascii", "replace")
    )


def secret_equal(a: str, b: str) -> bool:
    """Constant-time, case-sensitive comparison of two clear-text secrets (UTF-8)."""
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )
