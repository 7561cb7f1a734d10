"""Deep equality that ``==`` is too lenient for: types, and every datetime's tzinfo.

``datetime.__eq__`` compares instants, and ``timezone.__eq__`` compares offsets
only, so a floor that builds a fresh unnamed ``UTC+08:00`` would pass against
the codecs' named China zone while skipping work the codec does (or doing
less). :func:`difference` walks both values and names the first place where
their types, values, or a datetime's wall-clock fields, ``utcoffset()``,
``tzname()`` or ``dst()`` differ.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

__all__ = ["difference"]


def _datetime_difference(a: datetime, b: datetime, where: str) -> str | None:
    if a.replace(tzinfo=None) != b.replace(tzinfo=None):
        return f"{where}: {a!r} != {b!r}"
    if type(a.tzinfo) is not type(b.tzinfo):
        return f"{where}: tzinfo {a.tzinfo!r} is not {b.tzinfo!r}"
    for probe in ("utcoffset", "tzname", "dst"):
        if getattr(a, probe)() != getattr(b, probe)():
            return f"{where}: {probe}() {getattr(a, probe)()!r} != {getattr(b, probe)()!r}"
    return None


def _sequence_difference(a: Any, b: Any, where: str) -> str | None:
    if len(a) != len(b):
        return f"{where}: {len(a)} items != {len(b)} items"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        found = difference(x, y, f"{where}[{i}]")
        if found is not None:
            return found
    return None


def difference(a: Any, b: Any, where: str = "output") -> str | None:
    """Where ``a`` and ``b`` first differ (``None`` when they are the same in every respect)."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, datetime):
        return _datetime_difference(a, b, where)
    if isinstance(a, enum.Enum):
        return None if a is b else f"{where}: {a!r} != {b!r}"
    if attrs.has(type(a)):
        for field in attrs.fields(type(a)):
            name = field.name
            found = difference(getattr(a, name), getattr(b, name), f"{where}.{name}")
            if found is not None:
                return found
        return None
    if isinstance(a, (tuple, list)):
        return _sequence_difference(a, b, where)
    if isinstance(a, Mapping):
        if list(a) != list(b):
            return f"{where}: keys {list(a)!r} != {list(b)!r}"
        return _sequence_difference(list(a.values()), list(b.values()), where)
    return None if a == b else f"{where}: {a!r} != {b!r}"
