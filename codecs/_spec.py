"""Loading ``smswire.specs/<vendor>.toml``: the single source of truth.

Endpoints, limits, rate limits and status tables are written once, in the
vendor's spec file, and structured here into typed classes through a cattrs
converter (the lsprotocol pattern: generated hooks, ``override(rename=…)``
where the file's word is not the attribute's); no codec repeats a table and
none reads an untyped mapping.

Schema (every vendor file):

* ``vendor``, ``document``, ``base_url``
* ``[endpoints]`` name → path
* ``[limits]`` name → integer
* ``[rate_limits.<key>]`` with ``per_second`` and/or ``min_interval`` (seconds);
  ``<key>`` is an operation's ``rate_key``
* ``success`` (optional) ``{code, text, english}``: the vendor's "it worked"
* ``[[statuses]]`` ``code``, ``text`` (the document's words), ``english``,
  ``kind`` (an :class:`ErrorKind` value), ``retryable``, and optionally
  ``scope`` (a list of endpoint names) for vendors whose codes mean different
  things per endpoint; a code may then appear once per scope.
  ``spec.error(code, scope=…)`` prefers the row of that scope, then an
  unscoped row; ``spec.statuses[code]`` is the unscoped row, else the first
  scoped one listed
* ``[[report_states]]`` ``code``, ``status`` (a :class:`DeliveryStatus`
  value), ``text``, ``english``: the delivery-state table, one shape for
  every vendor
* ``[[quirks]]`` ``id``, ``description``: the document's known inconsistencies
* ``[[examples]]`` the document's own examples as exchanges (:class:`Example`):
  the operation and account, the request and the answer on the wire, and the
  result, all data the package converter structures, so one test replays
  every example of every vendor in both roles
* ``[[vectors]]`` the document's examples not yet written as exchanges
  (free-form, each with a ``name``)
* ``[<vendor>]`` what only that vendor has, structured into the section class
  its module passes to :func:`load_spec` (``spec.section``)

Every value is checked against its type at load (``retryable = "no"`` is an
error naming the file and the field, not ``bool("no") is True``), and a key
the schema does not know is an error too: a typo must not become a default.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import attrs

from ._errors import ErrorKind, GatewayError
from ._models import DeliveryStatus

if TYPE_CHECKING:
    import cattrs
    from typing_extensions import TypeVar as _TypeVar

    # A bare ``Spec`` (a codec's ``spec`` attribute) is ``Spec[Any]``.
    S = _TypeVar("S", default=Any)
else:
    S = TypeVar("S")

__all__ = [
    "Example",
    "ExampleError",
    "Quirk",
    "RateLimit",
    "ReportState",
    "Spec",
    "SpecError",
    "StatusEntry",
    "Success",
    "WireAnswer",
    "WireRequest",
    "load_spec",
    "parse_spec",
]


class SpecError(ValueError):
    """A spec file that does not follow the schema (the message names file and field)."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _frozen_all(mappings: tuple[Mapping[str, Any], ...]) -> tuple[Mapping[str, Any], ...]:
    return tuple(_frozen(m) for m in mappings)


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
class ReportState:
    """One row of a vendor's delivery-state table: its code and the neutral status."""

    code: str
    status: DeliveryStatus
    text: str
    """The document's words for the state."""
    english: str


@attrs.frozen
class Success:
    """The vendor's success code and the document's words for it."""

    code: str
    text: str
    english: str


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
class WireRequest:
    """A request on the wire, as text: ``body`` is encoded in ``charset``."""

    target: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    charset: str = "utf-8"
    canonical_target: str | None = None
    """What the client role writes when the printed ``target`` is not canonical."""


@attrs.frozen
class WireAnswer:
    """An answer on the wire, as text: ``body`` is encoded in ``charset``."""

    body: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    """Headers the answer carries (others may follow)."""
    charset: str = "utf-8"


@attrs.frozen
class ExampleError:
    """The refusal an example's answer is: the vendor's code and its detail."""

    code: str
    detail: str | None = None


@attrs.frozen
class Example:
    """One document example as an exchange, replayed in both roles by ``smswire.testing``.

    ``operation`` and ``account`` are converter data with the class named by
    ``type`` (the vendor module's, else ``smswire.codecs``'); ``result`` is
    the operation's result as converter data, or ``error`` its refusal.
    ``direction`` is ``"decode"`` for an answer the server role does not
    write back as printed (a typo of the document; ``canonical`` is the
    body it writes instead); a request's ``canonical_target`` is likewise
    what the client role writes for a target printed otherwise.
    """

    name: str
    operation: Mapping[str, Any]
    account: Mapping[str, Any] | None = None
    request: WireRequest | None = None
    answer: WireAnswer | None = None
    result: Any = None
    error: ExampleError | None = None
    direction: str = attrs.field(default="both", validator=attrs.validators.in_(("both", "decode")))
    canonical: str | None = None
    quirks: tuple[str, ...] = ()
    section: str = ""
    """The document section the example is printed in."""


def _index(
    vendor: str, rows: tuple[StatusEntry, ...]
) -> tuple[Mapping[str, StatusEntry], Mapping[str, Mapping[str, StatusEntry]]]:
    statuses: dict[str, StatusEntry] = {}
    scoped: dict[str, dict[str, StatusEntry]] = {}
    for entry in rows:
        for name in entry.scope:
            if entry.code in scoped.setdefault(name, {}):
                raise SpecError(f"{vendor}: status {entry.code} listed twice for {name}")
            scoped[name][entry.code] = entry
        previous = statuses.get(entry.code)
        if previous is not None and not previous.scope and not entry.scope:
            raise SpecError(f"{vendor}: status {entry.code} listed twice")
        if previous is None or (previous.scope and not entry.scope):
            statuses[entry.code] = entry
    return _frozen(statuses), _frozen({k: _frozen(v) for k, v in scoped.items()})


@attrs.frozen
class Spec(Generic[S]):
    """A vendor's specification as loaded from its TOML file.

    ``S`` is the vendor's own section (``[<vendor>]`` in the file), a typed
    class its module defines.
    """

    vendor: str
    document: str
    base_url: str
    section: S
    """The vendor's ``[<vendor>]`` table, structured into its section class."""
    endpoints: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    limits: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    rate_limits: Mapping[str, RateLimit] = attrs.field(factory=dict, converter=_frozen)
    success: Success | None = None
    status_rows: tuple[StatusEntry, ...] = ()
    """The ``[[statuses]]`` rows as listed (``statuses`` indexes them by code)."""
    report_states: tuple[ReportState, ...] = ()
    quirks: tuple[Quirk, ...] = ()
    examples: tuple[Example, ...] = ()
    vectors: tuple[Mapping[str, Any], ...] = attrs.field(default=(), converter=_frozen_all)
    statuses: Mapping[str, StatusEntry] = attrs.field(init=False, repr=False)
    """Code → the unscoped row, else the first scoped one listed."""
    scoped_statuses: Mapping[str, Mapping[str, StatusEntry]] = attrs.field(init=False, repr=False)
    """Scope → code → row, for the rows that carry a ``scope``."""
    report_status: Mapping[str, DeliveryStatus] = attrs.field(init=False, repr=False)
    """Delivery-state code → neutral status (for ``_records.report_status``)."""

    def __attrs_post_init__(self) -> None:
        statuses, scoped = _index(self.vendor, self.status_rows)
        states: dict[str, DeliveryStatus] = {}
        for state in self.report_states:
            if states.setdefault(state.code, state.status) is not state.status:
                raise SpecError(f"{self.vendor}: report state {state.code} listed twice")
        # Frozen: the indexes are derived once, here, from the rows just given.
        object.__setattr__(self, "statuses", statuses)
        object.__setattr__(self, "scoped_statuses", scoped)
        object.__setattr__(self, "report_status", _frozen(states))

    @property
    def ok(self) -> Success:
        """The ``success`` row; a spec without one is a :class:`SpecError`."""
        if self.success is None:
            raise SpecError(f"{self.vendor}: the spec has no success row")
        return self.success

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

    def example(self, name: str) -> Example:
        for example in self.examples:
            if example.name == name:
                return example
        raise KeyError(name)

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


def _strict(kind: type[Any], *accepted: type[Any]) -> Any:
    """A structure hook that takes only TOML values of ``accepted`` types, as is."""

    def hook(value: Any, _: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got bool")
        if not isinstance(value, accepted):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return kind(value)

    return hook


@functools.cache
def _converter() -> cattrs.Converter:
    # Imported here: cattrs and its generated hooks are needed only once a
    # vendor module loads its spec, never by ``import smswire.codecs``.
    import cattrs

    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(bool, _strict(bool, bool))
    converter.register_structure_hook(str, _strict(str, str))
    converter.register_structure_hook(int, _strict(int, int))
    converter.register_structure_hook(float, _strict(float, int, float))
    return converter


@functools.cache
def _spec_hook(name: str, section: Any) -> Any:
    from cattrs.gen import make_dict_structure_fn, override

    converter = _converter()
    return make_dict_structure_fn(
        Spec[section],
        converter,
        _cattrs_forbid_extra_keys=True,
        section=override(rename=name),
        status_rows=override(rename="statuses"),
    )


def parse_spec(
    data: Mapping[str, Any],
    section: type[S] = dict,  # type: ignore[assignment]
    *,
    source: str = "<spec>",
) -> Spec[S]:
    """Structure parsed TOML into a :class:`Spec`, its ``[<vendor>]`` table into ``section``.

    Any value of the wrong type, any key the schema does not know, and any
    status or state listed twice is a :class:`SpecError` naming ``source``.
    """
    import re

    import cattrs

    name = data.get("vendor")
    if not isinstance(name, str):
        raise SpecError(f"{source}: vendor: expected a string")
    if section is dict and name not in data:
        # An untyped load of a spec that has nothing of its own.
        data = {**data, name: {}}
    try:
        hook = _spec_hook(name, cast("Hashable", section))
        spec = cast("Spec[S]", hook(data, Spec[section]))  # type: ignore[valid-type]
    except cattrs.BaseValidationError as exc:
        # A table's own check (a code listed twice) fails inside the generated hook.
        own = exc.subgroup(SpecError)
        if own is not None:
            raise SpecError(f"{source}: {own.exceptions[0]}") from None
        # Paths in the file's words: the attributes renamed from TOML keys get their key back.
        words = {"status_rows": "statuses", "section": name}
        errors = [
            re.sub(r"@ \$\.(\w+)", lambda m: f"@ $.{words.get(m[1], m[1])}", error)
            for error in cattrs.transform_error(exc)
        ]
        raise SpecError(f"{source}: " + "; ".join(errors)) from None
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None
    return spec


@functools.cache
def load_spec(
    name: str,
    section: type[S] = dict,  # type: ignore[assignment]
    *,
    package: str = "smswire.specs",
) -> Spec[S]:
    """The spec of vendor ``name``, read from ``<package>/<name>.toml`` (package data).

    ``section`` is the class its ``[<vendor>]`` table structures into (the
    vendor module's; a plain ``dict`` when not given). ``package`` is where the
    file is installed: smswire's own specs by default; a plug-in names its own
    package (``load_spec("acme", package="acme_sms")``).
    """
    # Imported here: tomllib and importlib.resources (with pathlib, tempfile, zipfile
    # behind it) are a seventh of ``import smswire.codecs``, needed only by a vendor.
    import tomllib
    from importlib import resources

    source = f"{package}/{name}.toml"
    text = resources.files(package).joinpath(f"{name}.toml").read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{source}: {exc}") from None
    return parse_spec(data, section, source=source)
