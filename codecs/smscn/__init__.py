"""smscn (api.sms.cn): GET/POST requests in GBK or UTF-8, plain-text GBK answers, pushes.

Operations: :class:`~smswire.codecs.SendSms` (``/mt/``; GET up to 50 numbers,
POST form up to 2000, ``plan`` splits larger sends; ``/mtutf8/`` as public
clients use it, with ``Codec(charset="utf-8", mtutf8=True)``), ``FetchReports``
(``/st/``), ``FetchInbound`` (``/rx/``), ``QueryBalance`` (``/mm/``) and the
vendor's own :class:`QuerySentCount` (``/mm/?cmd=send``) and
:class:`QuerySendRecords` (``/rd/``, 50 records a page). ``Codec(method=…)``
chooses GET, POST or ``"auto"`` (the default: POST only for sends above 50
numbers); the server role reads both on every path. The gateway also pushes
replies and status reports to the customer (§6.2): :class:`Codec` is a
``PushCodec``.

``pwd`` is ``md5(password + uid)`` in lower-case hex; an :class:`Account`
accepts the password or that hash. A ``stat`` other than 100 is a
:class:`~smswire.codecs.GatewayError` with the kind from ``specs/smscn.toml``;
the document's inconsistencies are listed there as quirks.
"""

from __future__ import annotations

from ._codec import Codec
from ._model import (
    REPORT_STATUS,
    SPEC,
    Account,
    QuerySendRecords,
    QuerySentCount,
    SendRecord,
    SendRecords,
    report_status,
)

__all__ = [
    "REPORT_STATUS",
    "SPEC",
    "Account",
    "Codec",
    "QuerySendRecords",
    "QuerySentCount",
    "SendRecord",
    "SendRecords",
    "report_status",
]
