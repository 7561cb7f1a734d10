"""smswire.codecs: pure, I/O-free codecs for five Chinese SMS-gateway HTTP APIs.

Bytes and text in, attrs models out, and back, for both roles of every
exchange. Nothing here opens a socket, reads the clock or draws a random
number: time and sequence numbers arrive in a :class:`Stamp`.

>>> from datetime import datetime
>>> from smswire.codecs import CHINA, get_codec, SendSms, Stamp, esms100
>>> codec = get_codec("esms100")
>>> account = esms100.Account(cpid="10000", password="secret")
>>> req = codec.encode_request(SendSms(mobiles=("13866668888",), content="test"),
...                            account, Stamp(datetime(2024, 1, 1, tzinfo=CHINA)))
>>> req.method, req.target.split("?")[0]
('GET', '/mt/')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._chinatime import CHINA
from ._codec import VENDORS, Codec, Lookup, PushCodec, VendorUnavailable, get_codec, traits_of
from ._converter import from_jsonable, make_converter, to_jsonable
from ._errors import DecodeError, EncodeError, ErrorKind, GatewayError, SmsWireError
from ._http import HttpRequest, HttpResponse
from ._models import (
    Balance,
    BalanceUnit,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Mergeable,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    Stamp,
    merge_results,
)
from ._spec import RateLimit, Spec, StatusEntry, load_spec

if TYPE_CHECKING:
    from ._capabilities import Capabilities, capabilities, capability_table
    from ._converter import converter

__all__ = [
    "CHINA",
    "VENDORS",
    "Balance",
    "BalanceUnit",
    "Batch",
    "Capabilities",
    "Codec",
    "DecodeError",
    "DeliveryReport",
    "DeliveryStatus",
    "Effect",
    "EncodeError",
    "ErrorKind",
    "FetchInbound",
    "FetchReports",
    "GatewayError",
    "HttpRequest",
    "HttpResponse",
    "InboundMessage",
    "Lookup",
    "Mergeable",
    "Operation",
    "PersonalizedMessage",
    "PushCodec",
    "QueryBalance",
    "RateLimit",
    "Receipt",
    "SendPersonalized",
    "SendResult",
    "SendSms",
    "SmsWireError",
    "Spec",
    "Stamp",
    "StatusEntry",
    "VendorUnavailable",
    "capabilities",
    "capability_table",
    "converter",
    "from_jsonable",
    "get_codec",
    "load_spec",
    "make_converter",
    "merge_results",
    "to_jsonable",
    "traits_of",
]


def __getattr__(name: str) -> Any:
    # The cattrs converter is built on first use (it is a fifth of this import's cost).
    if name == "converter":
        from . import _converter

        return _converter.converter
    if name in ("Capabilities", "capabilities", "capability_table"):
        from . import _capabilities

        return getattr(_capabilities, name)
    # From the installed distribution's metadata, read on first use.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("smswire")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
