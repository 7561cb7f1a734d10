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

``_codec.py`` holds one section per document operation, in the document's
order, each an :class:`~smswire.codecs._exchange.Exchange`: §4 the send
(``/mt/``, and ``/mtutf8/`` from the same factory), §5 reports, §6.1 replies
(§6.2's pushes are the codec's push methods, their fields in ``_push.py``),
§7 the balance and §8 the sent count (both ``/mm/``, told apart by ``cmd``),
§10 the send log. ``_wire.py`` holds §1–§3, the shared wire, and the answer
formats; ``_model.py`` the account, the vendor's operations and the spec.

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
