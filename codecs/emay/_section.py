"""Emay's spec: the shared part and its ``[emay]`` section, loaded once for the package."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._spec import Spec, load_spec

__all__ = ["SPEC", "EmayPush", "EmaySection"]


@attrs.frozen
class EmayPush:
    """``[emay.push]``: §2.3 pushes (gateway → customer)."""

    ack: str
    """§2.3.3 "响应规定为英文字符串：success"."""
    retry_intervals_seconds: tuple[float, ...]
    report_parameter: str
    mo_parameter: str
    target: str
    max_body_bytes: int
    """Our bound on an inflated push, against gzip bombs (not the document's)."""


@attrs.frozen
class EmaySection:
    """``[emay]``: what only Emay's spec has (the simple interface, pushes, the cipher)."""

    default_charset: str
    cipher: str
    simple_endpoints: Mapping[str, str]
    simple_limits: Mapping[str, int]
    push: EmayPush


SPEC: Spec[EmaySection] = load_spec("emay", EmaySection)
