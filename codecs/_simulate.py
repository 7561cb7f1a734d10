"""What a vendor's own operations *do* to a gateway's state, for simulators.

A wire says how an operation travels; a simulator also needs to know what it
does: a password change replaces the credential, a send-record query reads the
sent log, a template send fills in a stored template. Each vendor declares
those effects beside its codec, in its own small ``_simulate`` module, as a
:class:`Simulation`: pure handlers ``(op, state) -> result`` keyed by operation
type, and the outside world's events it can play (a recipient opening a short
link). The codec's traits name that module (``WireTraits.simulations``); it is
imported only when a simulator asks (:func:`simulation_of`), so that a client
never loads it.

Handlers stay pure like the rest of ``codecs/``: everything they touch comes
through the :class:`GatewayState` the simulator hands them, the time included.
The neutral operations (sends, balances, reports, replies) are the
simulator's own; a :class:`Simulation` holds what is left.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs

from ._models import Batch, DeliveryReport, InboundMessage, Operation, SendResult

__all__ = [
    "Event",
    "GatewayState",
    "Handler",
    "SentRecord",
    "Simulation",
    "Wanted",
    "simulation_of",
]

#: One message a request asks for: ``(mobile, content, client_id)``.
Wanted = tuple[str, str, str | None]


class SentRecord(Protocol):
    """One accepted message to one number, as the gateway's sent log holds it."""

    @property
    def message_id(self) -> str: ...
    @property
    def mobile(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def sent_at(self) -> datetime: ...
    @property
    def parts(self) -> int:
        """How many billable parts the message took."""
        ...

    @property
    def delivered(self) -> bool:
        """The carrier's verdict (its report may not be readable yet)."""
        ...


class GatewayState(Protocol):
    """One account at a simulated gateway, as a vendor's operation handler sees it."""

    @property
    def now(self) -> datetime:
        """The gateway's clock (aware): the only time a handler may use."""
        ...

    @property
    def account(self) -> Any:
        """The account the request was made for (current credentials)."""
        ...

    @property
    def balance(self) -> Decimal:
        """What the account has left, in the vendor's unit."""
        ...

    @property
    def store(self) -> MutableMapping[str, Any]:
        """A per-account key/value store for what only the vendor keeps (templates, clicks…)."""
        ...

    def new_id(self) -> str:
        """A fresh numeric id, unique within the account."""
        ...

    def replace_account(self, account: Any) -> None:
        """Swap the account's credentials (a password change)."""
        ...

    def send(self, wanted: Iterable[Wanted], extension: str | None = None) -> SendResult:
        """Accept ``wanted``, charging one unit per part, and answer as the wire does.

        Raises the vendor's own refusal (a ``GatewayError``) and charges
        nothing when the balance does not cover the whole request.
        """
        ...

    def sent(self) -> Sequence[SentRecord]:
        """Every message accepted so far, oldest first."""
        ...

    def find(self, message_id: str) -> SentRecord | None:
        """The accepted message with ``message_id``, if there is one."""
        ...

    def reported(self, message: SentRecord) -> bool:
        """Whether the carrier's report on ``message`` is in by now."""
        ...

    def report(self, message: SentRecord, code: str | None = None) -> DeliveryReport:
        """``message``'s report as the vendor's answers carry it (``code``: another state)."""
        ...

    def take_reports(self, limit: int | None) -> Batch[DeliveryReport]:
        """The ready reports (at most ``limit``), each handed out once."""
        ...

    def take_replies(self, limit: int | None) -> Batch[InboundMessage]:
        """The waiting replies (at most ``limit``), each handed out once."""
        ...

    def report_again(self, messages: Iterable[SentRecord]) -> None:
        """Queue the reports of ``messages`` to be read or pushed once more, from now."""
        ...


#: What one of the vendor's operations does: ``(op, state) -> result``.
Handler = Callable[[Any, GatewayState], Any]
#: An event of the outside world (a click…): ``(state, argument) -> what was recorded``.
Event = Callable[[GatewayState, str], Any]


@attrs.frozen
class Simulation:
    """A vendor's own operations and events, as a simulated gateway performs them."""

    operations: Mapping[type[Operation[Any]], Handler] = attrs.field(factory=dict)
    events: Mapping[str, Event] = attrs.field(factory=dict)

    def for_operations(self, ops: Iterable[type[Operation[Any]]]) -> Simulation:
        """The part of this simulation that a codec carrying ``ops`` performs."""
        wanted = set(ops)
        kept = {t: h for t, h in self.operations.items() if t in wanted}
        return Simulation(kept, self.events)


#: A vendor without operations or events of its own.
NOTHING = Simulation()


def simulation_of(module: str | None) -> Simulation:
    """The :class:`Simulation` a codec's traits name (``WireTraits.simulations``)."""
    if module is None:
        return NOTHING
    simulation = getattr(importlib.import_module(module), "SIMULATION", None)
    if not isinstance(simulation, Simulation):
        raise TypeError(f"{module} declares no SIMULATION")
    return simulation
