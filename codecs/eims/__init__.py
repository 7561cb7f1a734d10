"""EIMS (HTTP API on port 20003): GET queries or a JSON POST, JSON answers, PUT report pushes.

``_codec.py`` holds one section per document operation, in the document's
order, each an :class:`~smswire.codecs._exchange.Exchange`: §1
:class:`~smswire.codecs.QueryBalance` (``/getbalance``, an exact money
:class:`~smswire.codecs.Balance` with its gift part); §2
:class:`~smswire.codecs.SendSms` and the vendor's :class:`SendMessage` (MMS,
title, sender) on ``/sendsms``; §3 :class:`QueryReports` (``/getreport``,
delivery results by message id, answered as a :class:`ReportQuery`); §4
:class:`~smswire.codecs.FetchInbound` (``/getsms``, base64 UTF-8 texts,
repeated rows removed); §5 the report push. ``_wire.py`` is the shared wire,
``_rows.py`` the positional rows, ``_model.py`` the account and operations. There is no
:class:`~smswire.codecs.FetchReports`: the gateway pushes reports to the
customer's URL, which :meth:`Codec.decode_push` reads.

Everything is UTF-8. A non-zero ``status`` becomes a
:class:`~smswire.codecs.GatewayError` with the kind from ``specs/eims.toml``.
Sends go as GET up to 100 numbers and as a JSON POST up to 10000;
``codec.plan(op)`` splits larger sends, and report queries above 200 ids.

>>> from datetime import datetime
>>> from smswire.codecs import CHINA, SendSms, Stamp, eims
>>> codec = eims.Codec()
>>> request = codec.encode_request(
...     SendSms(("10010",), "test"), eims.Account("chenkc", "123456"), Stamp.current())
>>> request.target
'/sendsms?account=chenkc&password=123456&smstype=0&numbers=10010&content=test'
"""

from __future__ import annotations

from ._codec import Codec
from ._model import REASONS, REPORT_STATES, SPEC, Account, QueryReports, ReportQuery, SendMessage

__all__ = [
    "REASONS",
    "REPORT_STATES",
    "SPEC",
    "Account",
    "Codec",
    "QueryReports",
    "ReportQuery",
    "SendMessage",
]
