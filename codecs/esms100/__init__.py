"""esms100 (api.esms100.com:8080): GET or POST requests, plain-text GBK answers.

``_codec.py`` holds one section per document operation, in the document's
order, each an :class:`~smswire.codecs._exchange.Exchange`: §4 :class:`SendSms` (``/mt/``),
§5 :class:`FetchInbound` (``/mo/``), §6 :class:`QueryBalance` (``/qamount/``),
§7 :class:`FetchReports` (``/qreport/``) and §8 the vendor's own
:class:`ChangePassword` (``/ent/``). ``_wire.py`` holds §1–§3 (transport,
charset, answers): the shared wire all of them use.

``cppwd`` is the upper-case MD5 of the password; an :class:`Account` accepts
the password or the already-hashed value (either case). Requests are GBK
unless the codec is built with ``charset="utf-8"``, which adds ``encode=utf8``
to every request (quirk encode-listed-only-for-mt); answers are always GBK.
``method="POST"`` sends the same parameters as an
``application/x-www-form-urlencoded`` body (§1 "GET/POST"). Sends and password
changes succeed on ``0`` alone; any other code, and a negative count or
balance, is a :class:`GatewayError` with the kind from ``specs/esms100.toml``
(``UNKNOWN`` for a code the table lacks).

The reply (§5) and report (§7) formats are described where they are read.
"""

from __future__ import annotations

import attrs

from ._codec import REPORT_STATUS, ChangePassword, Codec
from ._wire import SPEC, VENDOR, Account

__all__ = ["REPORT_STATUS", "SPEC", "VENDOR", "Account", "ChangePassword", "Codec"]

# Their public home: error messages and docs name esms100.Account, not a private module.
# Their annotations name what their own modules import (ClassVar, Effect…): resolved
# there first, or cattrs (the CLI's --json) would look for them in this package.
for _cls in (Account, ChangePassword, Codec):
    attrs.resolve_types(_cls)
    _cls.__module__ = __name__
del _cls
