"""No credential in any log record: a masking filter on every logger the transports drive.

httpx logs each request's full URL at INFO (``HTTP Request: GET …?us_pwd=…``),
uvicorn's access log each request line with its query string; on these wires
the query carries passwords, password hashes (which are themselves the login)
and signatures. :class:`SecretFilter` rewrites a record before any handler sees
it, hiding the value of every parameter a registered codec lists in its
``secrets`` (:func:`smswire.codecs._masking.secret_names`).

A filter on a logger sees only the records logged on that very logger (not
those propagated from its children), so :func:`install` puts it on each logger
the dependencies log on by name; importing :mod:`smswire.transports` installs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from smswire.codecs._masking import mask_text

__all__ = ["LOGGERS", "SecretFilter", "install"]

#: Loggers that may see request targets or bodies: ours, httpx's, httpcore's, uvicorn's.
LOGGERS = (
    "smswire",
    "smswire.transports",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "uvicorn.asgi",
)

_PREFIXES = tuple(name + "." for name in ("smswire", "httpx", "httpcore", "uvicorn"))


def _masked(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    hidden = mask_text(text)
    # Leave an argument alone (its type intact, for %d and friends) when nothing was secret.
    return value if hidden == text else hidden


class SecretFilter(logging.Filter):
    """Hide credential values in a record's message, arguments and traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        else:
            record.msg = _masked(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(arg) for key, arg in record.args.items()}
        if record.exc_info and not record.exc_text:
            # Formatted once here, masked, and reused by every handler's formatter.
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


_FILTER = SecretFilter()


def install(names: Iterable[str] = LOGGERS) -> None:
    """Put the masking filter on ``names`` and on every existing logger below them."""
    wanted = set(names)
    wanted.update(name for name in logging.Logger.manager.loggerDict if name.startswith(_PREFIXES))
    for name in sorted(wanted):
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretFilter) for f in logger.filters):
            logger.addFilter(_FILTER)
