"""The vendor registry: codecs discovered through the ``smswire.vendors`` entry points.

A distribution registers a codec class in its ``pyproject.toml``::

    [project.entry-points."smswire.vendors"]
    acme = "acme_sms.codec:Codec"

and its strategies module (optional, for the conformance suite and users' fuzzing)::

    [project.entry-points."smswire.strategies"]
    acme = "acme_sms.strategies"

smswire's own vendors are registered the same way, in its own ``pyproject.toml``:
there is one path, not two. Discovery reads only the installed metadata; a
vendor's module is imported the first time that vendor is asked for, so
``import smswire.codecs`` imports no codec.

A broken registration never breaks the other vendors: a name two
distributions register, a module that raises on import, or a factory that is
not a codec class makes that one name unavailable, with a reason naming the
distribution (:meth:`Registry.unavailable`; ``VENDORS[name]`` and
``get_codec(name)`` raise :class:`VendorUnavailable` for it alone). When a
plug-in registers the name of one of smswire's own vendors, smswire's stays
and the plug-in's registration is refused (:meth:`Registry.problems`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ._codec import Codec
    from ._traits import WireTraits

__all__ = ["GROUP", "STRATEGIES_GROUP", "Registration", "Registry", "VendorUnavailable"]

#: The entry-point group codecs register under.
GROUP = "smswire.vendors"
#: The entry-point group a vendor's hypothesis strategies module registers under.
STRATEGIES_GROUP = "smswire.strategies"
#: The distribution whose registrations win a clash.
_OWN = "smswire"

# What a factory must offer to be a codec: the protocol's methods and the
# class attributes the rest of the package reads without building one.
_METHODS = (
    "operations",
    "plan",
    "encode_request",
    "decode_response",
    "decode_request",
    "encode_response",
    "encode_error",
)


class VendorUnavailable(ValueError):
    """A registered vendor that cannot be used; the message names its distribution."""


@attrs.frozen
class Registration:
    """One entry point: a vendor name, where its factory is, which distribution said so."""

    name: str
    target: str
    distribution: str

    def __str__(self) -> str:
        return f"{self.name} = {self.target!r} (distribution {self.distribution})"


def _distribution(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    if dist is None:  # pragma: no cover - metadata without a distribution
        return "<unknown distribution>"
    return f"{dist.name} {dist.version}"


def _points(group: str) -> tuple[EntryPoint, ...]:
    from importlib.metadata import entry_points

    return tuple(entry_points(group=group))


def _own(registration: Registration) -> bool:
    return registration.distribution.split(" ")[0] == _OWN


def _check_factory(registration: Registration, factory: Any) -> None:
    # A class is needed: traits and secrets are read from it without building a codec.
    from ._traits import WireTraits

    if not isinstance(factory, type):
        raise VendorUnavailable(
            f"vendor {registration}: {registration.target} is a "
            f"{type(factory).__name__}, not a codec class"
        )
    missing = [m for m in _METHODS if not callable(getattr(factory, m, None))]
    if not isinstance(getattr(factory, "traits", None), WireTraits):
        missing.append("traits (a WireTraits)")
    if not isinstance(getattr(factory, "vendor", None), str):
        missing.append("vendor (a str)")
    if not isinstance(getattr(factory, "secrets", None), frozenset):
        missing.append("secrets (a frozenset)")
    if missing:
        raise VendorUnavailable(
            f"vendor {registration}: {factory.__qualname__} is not a codec: "
            f"it lacks {', '.join(missing)}"
        )


@attrs.frozen
class _Found:
    chosen: Mapping[str, Registration]
    problems: tuple[str, ...]
    #: Names several plug-ins register → the problem (no one of them is used).
    clashed: Mapping[str, str]


class Registry(Mapping[str, "Callable[..., Codec[Any]]"]):
    """Vendor name → codec factory (a codec class), from the installed entry points.

    Iteration lists every registered name without importing anything (smswire's
    own vendors first, then plug-ins, each by name); looking a name up imports its
    module. :meth:`available` lists the names that load, :meth:`unavailable`
    the others with the reason.
    """

    def __init__(self, group: str = GROUP) -> None:
        self._group = group
        self._loaded: dict[str, Callable[..., Codec[Any]] | VendorUnavailable] = {}

    # -------------------------------------------------------------- discovery

    @functools.cached_property
    def _found(self) -> _Found:
        chosen: dict[str, Registration] = {}
        clashes: dict[str, list[Registration]] = {}
        problems: list[str] = []
        for point in _points(self._group):
            entry = Registration(point.name, point.value, _distribution(point))
            previous = chosen.get(entry.name)
            if previous is None:
                chosen[entry.name] = entry
                continue
            if _own(previous) or _own(entry):
                own, other = (previous, entry) if _own(previous) else (entry, previous)
                chosen[entry.name] = own
                problems.append(
                    f"vendor {other} refused: smswire's own vendor {entry.name!r} has that name"
                )
            else:
                clashes.setdefault(entry.name, [previous]).append(entry)
        clashed: dict[str, str] = {}
        for name, entries in clashes.items():
            chosen.pop(name, None)
            clashed[name] = (
                f"vendor {name!r} is registered by "
                + " and ".join(f"{e.distribution} ({e.target})" for e in entries)
                + ": uninstall one of them"
            )
        order = sorted(chosen.values(), key=lambda r: (not _own(r), r.name))
        return _Found(
            MappingProxyType({r.name: r for r in order}),
            (*problems, *clashed.values()),
            MappingProxyType(clashed),
        )

    def registration(self, name: str) -> Registration:
        """Where ``name``'s factory is registered (a :class:`KeyError` for an unknown name)."""
        return self._found.chosen[name]

    def _load(self, name: str) -> Callable[..., Codec[Any]]:
        # Each vendor is imported once; a failure is kept and raised again.
        outcome = self._loaded.get(name)
        if outcome is None:
            try:
                outcome = self._import(name)
            except VendorUnavailable as exc:
                outcome = exc
            self._loaded[name] = outcome
        if isinstance(outcome, VendorUnavailable):
            raise VendorUnavailable(str(outcome)) from outcome.__cause__
        return outcome

    def _import(self, name: str) -> Callable[..., Codec[Any]]:
        registration = self._found.chosen[name]
        module, _, attr = registration.target.partition(":")
        try:
            factory: Any = importlib.import_module(module)
            for part in attr.split(".") if attr else ():
                factory = getattr(factory, part)
        except Exception as exc:  # a plug-in's import may raise anything; it stays its own
            raise VendorUnavailable(
                f"vendor {registration} cannot be loaded: {type(exc).__name__}: {exc}"
            ) from exc
        _check_factory(registration, factory)
        loaded: Callable[..., Codec[Any]] = factory
        return loaded

    # -------------------------------------------------------------- Mapping

    def __getitem__(self, name: str) -> Callable[..., Codec[Any]]:
        if name not in self._found.chosen:
            if name in self._found.clashed:
                raise VendorUnavailable(self._found.clashed[name])
            raise KeyError(name)
        return self._load(name)

    def __contains__(self, name: object) -> bool:
        return name in self._found.chosen

    def __iter__(self) -> Iterator[str]:
        return iter(self._found.chosen)

    def __len__(self) -> int:
        return len(self._found.chosen)

    def __repr__(self) -> str:
        return f"VENDORS({', '.join(self)})"

    # -------------------------------------------------------------- health

    def available(self) -> tuple[str, ...]:
        """The registered names whose factory loads (imports every vendor module)."""
        return tuple(name for name in self if self._reason(name) is None)

    def unavailable(self) -> Mapping[str, str]:
        """Registered names that cannot be used → why (imports every vendor module)."""
        reasons = {name: reason for name in self if (reason := self._reason(name)) is not None}
        reasons.update(self._found.clashed)
        return MappingProxyType(reasons)

    def problems(self) -> tuple[str, ...]:
        """Every refused or broken registration, each naming its distribution."""
        loading = tuple(r for name in self if (r := self._reason(name)) is not None)
        return self._found.problems + loading

    def _reason(self, name: str) -> str | None:
        try:
            self._load(name)
        except VendorUnavailable as exc:
            return str(exc)
        return None

    def unknown(self, name: str) -> ValueError:
        """The error for a name nobody registered, or the one for an unavailable name."""
        reason = self._found.clashed.get(name)
        if reason is not None:
            return VendorUnavailable(reason)
        if not any(_own(r) for r in self._found.chosen.values()):
            # An install whose metadata predates the entry points (an old editable one).
            return ValueError(
                f"unknown vendor {name!r}: no smswire vendor is registered under the "
                f"{self._group!r} entry points; the installed metadata of smswire is stale "
                "or missing: reinstall it (pip install -e . or pip install smswire)"
            )
        return ValueError(f"unknown vendor {name!r}; known: {', '.join(self)}")

    def factory(self, name: str) -> Callable[..., Codec[Any]]:
        """``name``'s codec class; an unknown name is a ``ValueError`` listing the known."""
        if name not in self:
            raise self.unknown(name)
        return self[name]

    def traits(self, name: str) -> WireTraits:
        """The traits of ``name``'s codec class (no codec is built)."""
        traits: WireTraits = self.factory(name).traits  # type: ignore[attr-defined]
        return traits


@functools.cache
def _strategies() -> Mapping[str, str]:
    table: dict[str, str] = {}
    for point in _points(STRATEGIES_GROUP):
        # As for codecs, smswire's own registration of a name wins.
        if point.name not in table or _distribution(point).split(" ")[0] == _OWN:
            table[point.name] = point.value
    return MappingProxyType(table)


def strategies_target(name: str) -> str | None:
    """The module registered as vendor ``name``'s strategies, if any (read once)."""
    return _strategies().get(name)
