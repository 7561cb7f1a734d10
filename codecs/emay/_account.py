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
    # Never echo the key itself: only its length reaches the message.
    if not isinstance(value, str):
        raise EncodeError(f"{attribute.name}: the secret key must be a string")
    size = len(value.encode("utf-8"))
    if size not in KEY_SIZES:
        raise EncodeError(
            f"{attribute.name}: the secret key is the AES key and must be 16, 24 or 32 "
            f"bytes in UTF-8, got {size}"
        )


@attrs.frozen
class Account:
    """One Emay account: ``app_id`` (sent in the ``appId`` header) and ``secret_key``.

    The secret key is the AES key of the secure interface (its UTF-8 bytes) and
    the salt of the simple interface's signature; it never appears in a repr.
    """

    app_id: str = attrs.field(validator=_check_app_id)
    secret_key: str = attrs.field(repr=False, validator=_check_secret_key)

    @property
    def key(self) -> bytes:
        """The AES key: the secret key's UTF-8 bytes."""
        return self.secret_key.encode("utf-8")
