"""changlong (112088.net 企业短信通, 深圳市昌隆通泰科技有限公司): GET, pipe-delimited answers.

.. warning::

   **The password travels in clear text** in the query string (``us_pwd``) of
   every request, over plain HTTP on port 8088 as the document shows. Anyone
   who can see the URL (proxies, server logs, the network) can read it. The
   gateway offers no hashed or signed alternative; keep such logs private.

``_codec.py`` holds one section per document operation, in the document's
order, each an :class:`~smswire.codecs._exchange.Exchange`: 1.1.1 发送普通短信
:class:`SendSms` (``sendsms_txt.asp``), 1.1.2 接收状态报告 :class:`FetchReports`
(``get_report_txt.asp``), 1.1.3 接收短信 :class:`FetchInbound`
(``get_receive_message_txt.asp``) and 1.1.4 查询余额 :class:`QueryBalance`
(``Get_Account_Balance.asp``). ``_wire.py`` holds what all of them share (接口设计):
the account, the credentials every request carries, the answer's leading code.

The document names no charset; its examples are Chinese ASP pages, so requests
and answers are GBK unless the codec is built with ``charset="utf-8"``.

Wire formats (both directions):

* send: ``0|accepted|failed|d`` or a negative code (``-3|word``: the forbidden
  word, ``GatewayError.detail``); ``d`` is one id per accepted number
  (``id,id,…``) or one batch number for them all (``0|2|0|6408649``: the
  result's ``batch_id`` and every receipt's id, which the reports name). The
  server role writes the batch form when the result has a ``batch_id``;
* reports: ``N|batch;phone;status|…``, status ``-1`` none yet, ``10``
  delivered, ``20`` failed (any other code: UNKNOWN, code kept); ``0`` when
  there are none;
* replies: ``N|id;phone;text|…`` (the document's example writes ``id,phone``);
  ``0`` when there are none;
* balance: the number of messages left (a whole message count).

Query values are PHP-urlencoded (a comma in the text or password is ``%2C``)
but the commas between numbers. The server role reads a target as text in its
charset (the document's URL prints raw Chinese) or as the request-line bytes
it escapes (raw GBK). ASP page names match in any case, as IIS matches them.

Status codes differ per endpoint (``-3`` is a forbidden word for sends but
"busy" for reports and replies): ``specs/changlong.toml`` scopes every row, and
the codec asks for the answering endpoint's row.
"""

from __future__ import annotations

import attrs

from ._codec import REPORT_STATUS, Codec
from ._wire import SPEC, VENDOR, Account, ChanglongSection

__all__ = ["REPORT_STATUS", "SPEC", "VENDOR", "Account", "ChanglongSection", "Codec"]

# Their public home: error messages and docs name changlong.Account, not a private module.
# Annotations are resolved first, in the module that wrote them: cattrs and
# typing.get_type_hints would look them up in __module__'s namespace.
for _cls in (Account, ChanglongSection, Codec):
    attrs.resolve_types(_cls)
    _cls.__module__ = __name__
del _cls
