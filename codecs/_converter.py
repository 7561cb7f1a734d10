"""The package's cattrs converter: every model to JSON-compatible data and back.

Results cross queues and process boundaries (a job queue, a journal of
destructive reads), so each model must survive ``json.dumps``. Hooks are
grouped here, as in cattrs' preconf converters: aware datetimes as ISO 8601,
decimals as strings (never floats), bytes as base64, and a tagged union for
the mixed report/message batches of pushes.

Built on first use, not at import: importing cattrs and generating its hooks
is about a fifth of ``import smswire.codecs``, and most users of the codecs
never serialise a model.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from ._chinatime import CHINA
from ._models import DeliveryReport, InboundMessage

if TYPE_CHECKING:
    import cattrs

    #: The package's converter (built on first access).
    converter: cattrs.Converter

__all__ = ["converter", "from_jsonable", "make_converter", "to_jsonable"]

T = TypeVar("T")


def _structure_datetime(value: Any, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        # Data that crossed a queue carries its offset (unstructuring writes it).
        raise ValueError(f"{value!r} has no UTC offset (write e.g. {value}+08:00)")
    return parsed


def _structure_china_datetime(value: Any, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=CHINA) if parsed.tzinfo is None else parsed


def _structure_date(value: Any, _: type) -> date:
    # A calendar day (sms.cn's send-record queries): no time, so no offset to lose.
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")
    return date.fromisoformat(value)


def _structure_decimal(value: Any, _: type) -> Decimal:
    try:
        return Decimal(str(value)) if isinstance(value, (str, int)) else Decimal(value)
    except (InvalidOperation, TypeError):
        raise ValueError(f"not a decimal: {value!r}") from None


def _structure_bytes(value: Any, _: type) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError):
        raise ValueError("not base64 data") from None


def _structure_str_tuple(value: Any, _: type) -> tuple[str, ...]:
    # As the models' constructors do: a bare string is one number, not its digits.
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (bytes, dict)) or not hasattr(value, "__iter__"):
        raise TypeError(f"expected a list of strings, got {type(value).__name__}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"expected a list of strings, got an item {item!r}")
    return items


def make_converter(
    *, forbid_extra_keys: bool = False, naive_as_china: bool = False
) -> cattrs.Converter:
    """A fresh converter with smswire's hooks (for callers who want to extend one).

    ``forbid_extra_keys`` refuses unknown fields (the CLI's strict input) instead
    of ignoring them. Times must carry their UTC offset; ``naive_as_china`` reads
    one without an offset as China time instead (the documents' convention, for
    text typed by a person, as the CLI does).
    """
    import cattrs
    from cattrs.strategies import configure_tagged_union

    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_str_tuple)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_structure_hook(
        datetime, _structure_china_datetime if naive_as_china else _structure_datetime
    )
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(bytes, lambda b: base64.b64encode(b).decode("ascii"))
    conv.register_structure_hook(bytes, _structure_bytes)
    configure_tagged_union(DeliveryReport | InboundMessage, conv, tag_name="record")
    return conv


_built: dict[str, cattrs.Converter] = {}


def _converter() -> cattrs.Converter:
    conv = _built.get("converter")
    if conv is None:
        # Two first callers may both build one; setdefault (atomic) keeps the first
        # stored, so every caller gets the same converter.
        conv = _built.setdefault("converter", make_converter())
    return conv


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_jsonable(value: Any, as_type: Any = None) -> Any:
    """``value`` as JSON-compatible data (``as_type`` for generic models such as ``Batch[…]``)."""
    if as_type is None:
        return _converter().unstructure(value)
    return _converter().unstructure(value, unstructure_as=as_type)


def from_jsonable(data: Any, cls: type[T] | Any) -> T:
    """The model of type ``cls`` from data made by :func:`to_jsonable`."""
    result: T = _converter().structure(data, cls)
    return result
