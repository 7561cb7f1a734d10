"""HTTP messages as plain values: what a codec produces and consumes.

A codec never performs I/O; it turns operations into :class:`HttpRequest`
values and :class:`HttpResponse` values into results. ``target`` is the path
plus the query string, already percent-encoded in the vendor's charset, so a
transport sends it as it is and never re-encodes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

__all__ = ["Headers", "HttpRequest", "HttpResponse", "normalize_headers"]

Headers = tuple[tuple[str, str], ...]


def normalize_headers(value: Iterable[tuple[str, str]] | Mapping[str, str]) -> Headers:
    """Accept a mapping or pairs; keep order and the spelling the wire used."""
    if value == ():
        # Most GET requests a codec writes: nothing to normalise (a third of their cost).
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), str(v)) for k, v in items)


def _find(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


@attrs.frozen(repr=False)
class HttpRequest:
    """One HTTP request: method, target (path + encoded query), headers, body.

    ``secrets`` names the parameters, JSON keys and headers that carry a
    credential (the codec that wrote the request knows them; ``None``: every
    registered vendor's). The repr hides their values; ``target``, ``headers``
    and ``body`` themselves stay exact.
    """

    method: str
    target: str
    headers: Headers = attrs.field(default=(), converter=normalize_headers)
    body: bytes = b""
    secrets: frozenset[str] | None = attrs.field(default=None, eq=False, kw_only=True)

    def __repr__(self) -> str:
        from ._masking import MASK, mask_text, secret_names

        names = secret_names() if self.secrets is None else self.secrets
        lowered = {name.lower() for name in names}
        headers = tuple((k, MASK if k.lower() in lowered else v) for k, v in self.headers)
        body = mask_text(self.body.decode("utf-8", "surrogateescape"), names)
        shown = body.encode("utf-8", "surrogateescape")
        return (
            f"HttpRequest(method={self.method!r}, target={mask_text(self.target, names)!r}, "
            f"headers={headers!r}, body={shown!r})"
        )

    def header(self, name: str, default: str | None = None) -> str | None:
        """Case-insensitive header look-up."""
        found = _find(self.headers, name)
        return default if found is None else found

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        """The raw (still percent-encoded) query string of the target."""
        return self.target.partition("?")[2]


@attrs.frozen
class HttpResponse:
    """One HTTP response: status, headers, body."""

    status: int
    headers: Headers = attrs.field(default=(), converter=normalize_headers)
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        """Case-insensitive header look-up."""
        found = _find(self.headers, name)
        return default if found is None else found
