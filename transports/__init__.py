"""smswire.transports: everything that performs I/O on top of smswire.codecs."""

from __future__ import annotations

__all__: list[str] = []
