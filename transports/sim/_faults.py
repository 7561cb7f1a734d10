"""Fault injection: what the simulator does wrong on purpose, for the next N requests.

A :class:`Faults` object holds a queue of :class:`Fault` rules. Each incoming
gateway request (control endpoints excepted) consumes at most one matching
rule; a rule with ``count=None`` never runs out. Kinds:

* ``delay``: answer normally, ``seconds`` late;
* ``drop``: close the connection without answering (the request is not performed);
* ``malformed``: answer HTTP 200 with ``body`` (default: bytes no vendor format reads);
* ``error``: refuse with the vendor's own status ``code`` (through the codec's server role).

The same rules arrive over HTTP as ``POST /_sim/faults`` with a JSON object
(``{"kind": "error", "code": "-10", "count": 2, "vendor": "esms100"}``) or a
list of them; ``{"clear": true}`` removes every rule.
"""

from __future__ import annotations

import base64
import enum
import threading
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["DEFAULT_MALFORMED", "Fault", "FaultKind", "Faults"]

#: A body no vendor format reads: bad GBK, bad UTF-8, stray separators.
DEFAULT_MALFORMED = b"\xff\xfe<html>\x81\x00|;||{&}##</html>"


class FaultKind(enum.Enum):
    """What a fault does to a request."""

    DELAY = "delay"
    DROP = "drop"
    MALFORMED = "malformed"
    ERROR = "error"


def _positive_count(_inst: Any, _attr: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError("count must be at least 1 (or None for every request)")


@attrs.frozen
class Fault:
    """One fault rule; ``vendor`` limits it to one vendor's prefix (``None``: any)."""

    kind: FaultKind = attrs.field(converter=FaultKind)
    count: int | None = attrs.field(default=1, validator=_positive_count)
    vendor: str | None = None
    seconds: float = attrs.field(default=0.0, validator=attrs.validators.ge(0.0))
    code: str | None = None
    body: bytes = DEFAULT_MALFORMED

    def __attrs_post_init__(self) -> None:
        if self.kind is FaultKind.ERROR and not self.code:
            raise ValueError("an error fault needs the vendor's status code")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """A rule from the control endpoint's JSON (``body_base64`` for raw bytes)."""
        known = {"kind", "count", "vendor", "seconds", "code", "body", "body_base64"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        if "kind" not in data:
            raise ValueError("a fault needs a kind: delay, drop, malformed or error")
        body = DEFAULT_MALFORMED
        if "body_base64" in data:
            body = base64.b64decode(str(data["body_base64"]), validate=True)
        elif "body" in data:
            body = str(data["body"]).encode("utf-8")
        count = data.get("count", 1)
        code = data.get("code")
        return cls(
            kind=data["kind"],
            count=None if count is None else int(count),
            vendor=data.get("vendor"),
            seconds=float(data.get("seconds", 0.0)),
            code=None if code is None else str(code),
            body=body,
        )


@attrs.define
class _Slot:
    fault: Fault
    left: int | None


class Faults:
    """The queue of active fault rules (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []

    def add(self, fault: Fault) -> None:
        """Queue ``fault`` after the rules already waiting."""
        with self._lock:
            self._slots.append(_Slot(fault, fault.count))

    def delay(self, seconds: float, count: int | None = 1, vendor: str | None = None) -> None:
        """Answer the next ``count`` requests ``seconds`` late."""
        self.add(Fault(FaultKind.DELAY, count, vendor, seconds=seconds))

    def drop(self, count: int | None = 1, vendor: str | None = None) -> None:
        """Close the connection of the next ``count`` requests without answering."""
        self.add(Fault(FaultKind.DROP, count, vendor))

    def malformed(
        self, count: int | None = 1, vendor: str | None = None, body: bytes = DEFAULT_MALFORMED
    ) -> None:
        """Answer the next ``count`` requests with ``body`` instead of the vendor's format."""
        self.add(Fault(FaultKind.MALFORMED, count, vendor, body=body))

    def error(self, code: str, count: int | None = 1, vendor: str | None = None) -> None:
        """Refuse the next ``count`` requests with the vendor's status ``code``."""
        self.add(Fault(FaultKind.ERROR, count, vendor, code=code))

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._slots.clear()

    def active(self) -> tuple[Fault, ...]:
        """The rules still waiting."""
        with self._lock:
            return tuple(slot.fault for slot in self._slots)

    def take(self, vendor: str) -> Fault | None:
        """The first rule that applies to a request to ``vendor``, consuming one use of it."""
        with self._lock:
            for index, slot in enumerate(self._slots):
                if slot.fault.vendor not in (None, vendor):
                    continue
                if slot.left is not None:
                    slot.left -= 1
                    if slot.left == 0:
                        del self._slots[index]
                return slot.fault
            return None
