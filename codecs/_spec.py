"""Loading ``smswire.specs/<vendor>.toml``: the single source of truth.

Endpoints, limits, rate limits and status tables are written once, in the
vendor's spec file, and read here at import time; no codec repeats a table.

Schema (every vendor file):

* ``vendor``, ``document``, ``base_url``
* ``[endpoints]`` name → path
* ``[limits]`` name → integer
* ``[rate_limits.<key>]`` with ``per_second`` and/or ``min_interval`` (seconds);
  ``<key>`` is an operation's ``rate_key``
* ``[[statuses]]`` ``code``, ``text`` (the document's words), ``english``,
  ``kind`` (an :class:`ErrorKind` value), ``retryable``, and optionally
  ``scope`` (a list of endpoint names) for vendors whose codes mean different
  things per endpoint; a code may then appear once per scope.
  ``spec.error(code, scope=…)`` prefers the row of that scope, then an
  unscoped row; ``spec.statuses[code]`` is the unscoped row, else the first
  scoped one listed
* ``[[quirks]]`` ``id``, ``description``: the document's known inconsistencies
* ``[[vectors]]`` the document's own examples (free-form per vendor, each with
  a ``name``)
* anything else (for example delivery-state tables) stays in ``extra``
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ._errors import ErrorKind, GatewayError

__all__ = ["RateLimit", "Spec", "StatusEntry", "load_spec"]


@attrs.frozen
class StatusEntry:
    """One row of a vendor status table."""

    code: str
    text: str
    english: str
    kind: ErrorKind
    retryable: bool
    scope: tuple[str, ...] = ()
    """The endpoints this row is for; empty means every endpoint."""


@attrs.frozen
class RateLimit:
    """A client-side pace: at most ``per_second`` requests, at least ``min_interval`` apart."""

    per_second: float | None = None
    min_interval: float | None = None


@attrs.frozen
class Quirk:
    """A known inconsistency of the vendor document that the codec tolerates."""

    id: str
    description: str


@attrs.frozen
class Spec:
    """A vendor's specification as loaded from its TOML file."""

    vendor: str
    document: str
    base_url: str
    endpoints: Mapping[str, str]
    limits: Mapping[str, int]
    rate_limits: Mapping[str, RateLimit]
    statuses: Mapping[str, StatusEntry]
    quirks: tuple[Quirk, ...]
    vectors: tuple[Mapping[str, Any], ...]
    extra: Mapping[str, Any]
    scoped_statuses: Mapping[str, Mapping[str, StatusEntry]] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    """Scope → code → row, for the rows that carry a ``scope``."""

    def endpoint(self, name: str) -> str:
        return self.endpoints[name]

    def limit(self, name: str) -> int:
        return self.limits[name]

    def rate_limit(self, key: str) -> RateLimit | None:
        return self.rate_limits.get(key)

    def status(self, code: str, scope: str | None = None) -> StatusEntry | None:
        """The row for ``code``; with ``scope``, that scope's row, else an unscoped one."""
        if scope is None:
            return self.statuses.get(code)
        entry = self.scoped_statuses.get(scope, {}).get(code)
        if entry is not None:
            return entry
        entry = self.statuses.get(code)
        # Another endpoint's row would put the wrong words on this refusal.
        return entry if entry is not None and not entry.scope else None

    def statuses_for(self, scope: str) -> Mapping[str, StatusEntry]:
        """Code → row as seen from endpoint ``scope`` (its own rows, then unscoped ones)."""
        table = {code: e for code, e in self.statuses.items() if not e.scope}
        table.update(self.scoped_statuses.get(scope, {}))
        return MappingProxyType(table)

    def vector(self, name: str) -> Mapping[str, Any]:
        for vector in self.vectors:
            if vector["name"] == name:
                return vector
        raise KeyError(name)

    def error(
        self,
        code: str,
        *,
        raw: bytes = b"",
        detail: str | None = None,
        message: str | None = None,
        scope: str | None = None,
    ) -> GatewayError:
        """The :class:`GatewayError` for ``code``, kind and retryability from the table.

        A code missing from the table is still an error (kind ``UNKNOWN``,
        not retryable): the gateway said no, we just do not know why.
        ``scope`` names the endpoint that answered, for scoped status rows.
        """
        entry = self.status(code, scope)
        if entry is None:
            return GatewayError(
                self.vendor,
                code,
                message or "undocumented status code",
                ErrorKind.UNKNOWN,
                False,
                raw,
                detail,
            )
        return GatewayError(
            self.vendor, code, message or entry.text, entry.kind, entry.retryable, raw, detail
        )


def _frozen(mapping: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(mapping)


def parse_spec(data: Mapping[str, Any]) -> Spec:
    """Build a :class:`Spec` from parsed TOML, checking the shared schema."""
    statuses: dict[str, StatusEntry] = {}
    scoped: dict[str, dict[str, StatusEntry]] = {}
    for row in data.get("statuses", ()):
        code = str(row["code"])
        scope = tuple(str(s) for s in row.get("scope", ()))
        entry = StatusEntry(
            code,
            row["text"],
            row["english"],
            ErrorKind(row["kind"]),
            bool(row["retryable"]),
            scope,
        )
        for name in scope:
            if code in scoped.setdefault(name, {}):
                raise ValueError(f"{data['vendor']}: status {code} listed twice for {name}")
            scoped[name][code] = entry
        previous = statuses.get(code)
        if previous is not None and not previous.scope and not scope:
            raise ValueError(f"{data['vendor']}: status {code} listed twice")
        if previous is None or (previous.scope and not scope):
            statuses[code] = entry
    rate_limits = {
        key: RateLimit(value.get("per_second"), value.get("min_interval"))
        for key, value in data.get("rate_limits", {}).items()
    }
    known = {
        "vendor",
        "document",
        "base_url",
        "endpoints",
        "limits",
        "rate_limits",
        "statuses",
        "quirks",
        "vectors",
    }
    return Spec(
        vendor=data["vendor"],
        document=data["document"],
        base_url=data["base_url"],
        endpoints=_frozen(dict(data.get("endpoints", {}))),
        limits=_frozen({k: int(v) for k, v in data.get("limits", {}).items()}),
        rate_limits=_frozen(rate_limits),
        statuses=_frozen(statuses),
        quirks=tuple(Quirk(q["id"], q["description"]) for q in data.get("quirks", ())),
        vectors=tuple(_frozen(dict(v)) for v in data.get("vectors", ())),
        extra=_frozen({k: v for k, v in data.items() if k not in known}),
        scoped_statuses=_frozen({k: MappingProxyType(v) for k, v in scoped.items()}),
    )


@functools.cache
def load_spec(name: str) -> Spec:
    """The spec of vendor ``name``, read from the installed ``smswire.specs`` package."""
    # Imported here: tomllib and importlib.resources (with pathlib, tempfile, zipfile
    # behind it) are a seventh of ``import smswire.codecs``, needed only by a vendor.
    import tomllib
    from importlib import resources

    text = resources.files("smswire.specs").joinpath(f"{name}.toml").read_text("utf-8")
    return parse_spec(tomllib.loads(text))
