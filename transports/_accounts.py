"""What the transports derive from a codec about its accounts and its extra operations.

Nothing here names a vendor: the account class comes from the codec's own
``encode_request`` annotation (or its module's ``Account``), the recovery
operation from the codec's ``operations()``.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from smswire.codecs import Codec, EncodeError, Operation

__all__ = ["RECOVERY_STEP", "RETRIEVE_REPORTS", "account_type", "check_account", "recovery_ops"]

#: The rate key of an operation that asks the gateway to push the reports of
#: messages submitted in a window again (``start_time``, ``end_time``, ``sms_ids``).
RETRIEVE_REPORTS = "retrieve_report"
#: How much submission time one recovery request covers (a vendor may allow
#: more; five minutes is what the one vendor with such an operation advises).
RECOVERY_STEP = timedelta(minutes=5)


def account_type(codec: Codec[Any]) -> type | None:
    """The account class ``codec`` expects, from its ``encode_request`` annotation.

    Falls back on the ``Account`` of the codec's module; ``None`` when neither
    names a class (then any account is let through to the codec).
    """
    try:
        hinted = typing.get_type_hints(type(codec).encode_request).get("account")
    except Exception:  # an annotation that cannot be resolved: use the module's Account
        hinted = None
    if isinstance(hinted, type) and hinted is not object:
        return hinted
    module = importlib.import_module(type(codec).__module__)
    found = getattr(module, "Account", None)
    return found if isinstance(found, type) else None


def check_account(codec: Codec[Any], account: object) -> None:
    """Refuse ``account`` unless it is the kind ``codec`` signs requests with."""
    expected = account_type(codec)
    if expected is None or isinstance(account, expected):
        return
    given = type(account)
    raise TypeError(
        f"{codec.vendor} client: the account must be a "
        f"{expected.__module__}.{expected.__qualname__}, "
        f"not a {given.__module__}.{given.__qualname__}"
    )


def recovery_ops(
    codec: Codec[Any],
    since: datetime,
    until: datetime,
    sms_ids: Iterable[str] = (),
    step: timedelta = RECOVERY_STEP,
) -> list[Operation[Any]]:
    """The requests asking ``codec``'s gateway to push again the reports of ``[since, until]``.

    ``since``/``until`` are the messages' submission times, to the second
    (the wire's resolution: a span within one second becomes the second
    before ``until`` and ``until``'s, since the request may not reach past
    the present); the span is cut into windows of ``step``.
    :class:`~smswire.codecs.EncodeError` when the vendor has no such operation.
    """
    found: list[Callable[..., Operation[Any]]] = [
        t for t in codec.operations() if getattr(t, "rate_key", None) == RETRIEVE_REPORTS
    ]
    if not found:
        raise EncodeError(f"{codec.vendor} cannot push reports again (no {RETRIEVE_REPORTS})")
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    if until < since:
        raise EncodeError("until: must not be earlier than since")
    ids = tuple(sms_ids)
    start, until = since.replace(microsecond=0), until.replace(microsecond=0)
    if until <= start:
        start = until - timedelta(seconds=1)
    ops: list[Operation[Any]] = []
    while start < until:
        end = min(start + step, until)
        ops.append(found[0](start_time=start, end_time=end, sms_ids=ids))
        start = end
    return ops
