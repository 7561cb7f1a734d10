"""Splitting operations to a vendor's per-request limits: the pure planners' one tool.

Every vendor caps how many numbers (or ids, or messages) one request may carry;
``codec.plan(op)`` cuts an operation into parts that fit, keeping parallel
fields (a send's ``client_ids``) aligned with the field being cut.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

__all__ = ["split_field"]

OpT = TypeVar("OpT")


def split_field(op: OpT, field: str, size: int, *parallel: str) -> tuple[OpT, ...]:
    """``op`` cut into parts whose tuple ``field`` holds at most ``size`` items.

    Each name in ``parallel`` is a tuple field cut at the same places (``None``
    stays ``None``). An operation that already fits comes back alone, unchanged.
    """
    items: tuple[Any, ...] = getattr(op, field)
    if len(items) <= size:
        return (op,)
    aligned = {name: getattr(op, name) for name in parallel}
    return tuple(
        attrs.evolve(  # type: ignore[misc]
            op,
            **{field: items[i : i + size]},
            **{name: None if v is None else v[i : i + size] for name, v in aligned.items()},
        )
        for i in range(0, len(items), size)
    )
