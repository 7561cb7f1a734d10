"""The peers: what a user would write by hand instead of using smswire.

Typical integration code, as the vendors' own samples and the public clients
in ``third-party-clients.md`` do it: decode the body, split it or match a
regex, ``datetime.strptime`` each time, build dicts and hand them to
``cattrs.structure`` for the same models; for sends, a dict through
``urllib.parse.urlencode(..., encoding="gbk")`` and ``hashlib.md5``. Nothing
here is slowed on purpose, nor tuned beyond what such code usually is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import cattrs
from smswire.codecs import Batch, DeliveryReport, HttpRequest, InboundMessage

from ._compare import difference
from ._floor import CST

__all__ = ["query_difference", "structure_inbound", "structure_reports", "when"]

#: A plain converter with the one hook a user must add: times as the wire writes them.
_CONVERTER = cattrs.Converter()
_FORMAT = "%Y-%m-%d %H:%M:%S"


def when(text: str) -> datetime:
    """``yyyy-MM-dd HH:mm[:ss]`` by ``strptime``, in China time."""
    fmt = _FORMAT if len(text) == 19 else "%Y-%m-%d %H:%M"
    return datetime.strptime(text, fmt).replace(tzinfo=CST)


def _structure_time(value: Any, _: type) -> datetime:
    return value if isinstance(value, datetime) else when(value)


_CONVERTER.register_structure_hook(datetime, _structure_time)


def structure_reports(rows: list[dict[str, Any]]) -> Batch[DeliveryReport]:
    """``cattrs.structure`` of report dicts into the batch smswire returns."""
    result: Batch[DeliveryReport] = _CONVERTER.structure({"items": rows}, Batch[DeliveryReport])
    return result


def structure_inbound(rows: list[dict[str, Any]]) -> Batch[InboundMessage]:
    """``cattrs.structure`` of reply dicts into the batch smswire returns."""
    result: Batch[InboundMessage] = _CONVERTER.structure({"items": rows}, Batch[InboundMessage])
    return result


def query_difference(request: object, url: object, charset: str = "gbk") -> str | None:
    """Where a peer's URL departs from the codec's request: path and decoded query pairs."""
    if not isinstance(request, HttpRequest) or not isinstance(url, str):
        return f"peer: {type(request).__name__} against {type(url).__name__}"

    def pairs(target: str) -> tuple[str, list[tuple[str, str]]]:
        parts = urlsplit(target)
        return parts.path, parse_qsl(parts.query, encoding=charset)

    return difference(pairs(request.target), pairs(url), "query")
