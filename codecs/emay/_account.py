"""Emay EUCP credentials: the ``appId`` and the ``secretKey`` that is also the AES key."""

from __future__ import annotations

import attrs

from .._errors import EncodeError

__all__ = ["Account"]

#: AES-128/192/256, as the JDK's ``SecretKeySpec(secretKey.getBytes(), "AES")`` takes them.
KEY_SIZES = (16, 24, 32)


def _check_app_id(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or value != value.strip():
        raise EncodeError(f"{attribute.name}: an appId must be a non-empty string")


def _check_secret_key(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    # Never echo the key itself. Its size matters to the secure interface only
    # (the AES key); the simple interface and retrieveReport merely hash it.
    if not isinstance(value, str) or not value:
        raise EncodeError(f"{attribute.name}: the secret key must be a non-empty string")


@attrs.frozen
class Account:
    """One Emay account: ``app_id`` (sent in the ``appId`` header) and ``secret_key``.

    The secret key is the AES key of the secure interface (its UTF-8 bytes,
    which must then be 16, 24 or 32 of them) and the salt of the simple
    interface's and retrieveReport's signature (any length); it never appears
    in a repr.
    """

    app_id: str = attrs.field(validator=_check_app_id)
    secret_key: str = attrs.field(repr=False, validator=_check_secret_key)

    @property
    def key(self) -> bytes:
        """The AES key: the secret key's UTF-8 bytes; :class:`EncodeError` unless 16/24/32 long."""
        key = self.secret_key.encode("utf-8")
        if len(key) not in KEY_SIZES:
            # Only the length reaches the message, never the key.
            raise EncodeError(
                "secret_key: the secure interface uses the secret key as its AES key, which "
                f"must be 16, 24 or 32 bytes in UTF-8, got {len(key)}; the simple interface "
                "(emay-simple) takes a key of any length"
            )
        return key

    @property
    def has_aes_key(self) -> bool:
        """Whether the secret key can serve as the secure interface's AES key."""
        return len(self.secret_key.encode("utf-8")) in KEY_SIZES
