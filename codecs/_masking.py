"""Hiding credential values in text: reprs, log lines, the CLI's output.

Which request parameters carry a credential is each codec's knowledge: every
vendor codec names them in its ``secrets`` class attribute (query/form
parameters, JSON keys and headers alike, compared without regard to case).
:func:`secret_names` is the union over the registered vendors, for places that
do not know which vendor wrote a line (a dependency's log record).

Masking works on names, never on values: a value is hidden wherever its name
stands beside it as ``name=value`` (query strings, form bodies, URLs),
``"name": value`` (JSON) or ``('name', 'value')`` (header pairs as Python
prints them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["MASK", "mask_text", "secret_names"]

MASK = "***"


@functools.cache
def secret_names() -> frozenset[str]:
    """Every registered codec's secret parameter names (lower case)."""
    from ._codec import VENDORS

    names: set[str] = set()
    for vendor in VENDORS.available():
        names.update(name.lower() for name in VENDORS[vendor].secrets)  # type: ignore[attr-defined]
    return frozenset(names)


@functools.cache
def _pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    name = rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])"
    return re.compile(
        # name=value: query strings, form bodies, URLs (a value ends where the pair does).
        rf"(?P<q>{name}=)[^&\s#'\"]*"
        # "name": "value" or "name": 123 (JSON, escapes included).
        rf"|(?P<j>\"{name}\"\s*:\s*)(?:\"(?:[^\"\\]|\\.)*\"?|[^,}}\]\s]+)"
        # ('name', 'value') and (b'name', b'value'): header pairs as Python prints them.
        rf"|(?P<h>b?['\"]{name}['\"],\s*b?)(?P<quote>['\"])(?:(?!(?P=quote)).)*(?P=quote)",
        re.IGNORECASE,
    )


def _replace(match: re.Match[str]) -> str:
    if match.group("q"):
        return match.group("q") + MASK
    if match.group("j"):
        return match.group("j") + f'"{MASK}"'
    quote = match.group("quote")
    return f"{match.group('h')}{quote}{MASK}{quote}"


def mask_text(text: str, names: Iterable[str] | None = None) -> str:
    """``text`` with the value of every secret parameter replaced by ``***``.

    ``names`` defaults to :func:`secret_names` (every registered vendor's).
    """
    wanted = secret_names() if names is None else frozenset(n.lower() for n in names)
    pattern = _pattern(wanted)
    return text if pattern is None else pattern.sub(_replace, text)
