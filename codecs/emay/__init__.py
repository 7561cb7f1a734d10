"""Emay EUCP (亿美软通): the secure ``/inter/`` interface and its AES/gzip envelope.

``Account(app_id, secret_key)`` holds the credentials; for the secure
interface the secret key is the AES key (16, 24 or 32 bytes in UTF-8), the
simple interface and ``retrieveReport`` only hash it. ``Codec`` is the secure interface
(registry name ``"emay"``); the operations only Emay has live here too.
``SimpleCodec`` is the plain ``/simpleinter/`` interface and the plain pushes
(registry name ``"emay-simple"``); ``RetrieveReport`` is §2.4's report re-push.

Both codecs are subclasses of :class:`~smswire.codecs._exchange.ExchangeCodec`; the
document's sections live in:

* §2.1 安全接口: the envelope in :mod:`._envelope` and :mod:`._wire`, the
  fifteen operations §2.1.1–§2.1.15 one section each in :mod:`._inter`
  (their fields in :mod:`._requests`, their answers in :mod:`._results`), the
  codec in :mod:`._secure`;
* §2.2 普通接口: the signed-form wire in :mod:`._plain`, §2.2.1–§2.2.5 and the
  codec in :mod:`._simple`;
* §2.3 推送: :mod:`._push`; §2.4 状态报告重新获取接口: :mod:`._retrieve`, an
  exchange of both codecs.
"""

from __future__ import annotations

from ._account import Account
from ._envelope import dumps, loads, seal, unseal
from ._ops import (
    PLACEHOLDER,
    CreateTemplate,
    DeleteTemplate,
    FetchInboundUpTo,
    FetchReportsUpTo,
    FetchShortLinkClicks,
    PersonalityMessage,
    QueryTemplate,
    Recipient,
    SendPersonalityAll,
    SendShortLink,
    SendTemplate,
    SendTemplateVariables,
    ShortLinkClick,
    TemplateCreated,
    TemplateDeleted,
    TemplateState,
    TemplateStatus,
    TemplateVariables,
)
from ._push import push_credential
from ._retrieve import RetrieveReport
from ._secure import Codec, Responder
from ._simple import SimpleCodec

__all__ = [
    "PLACEHOLDER",
    "Account",
    "Codec",
    "CreateTemplate",
    "DeleteTemplate",
    "FetchInboundUpTo",
    "FetchReportsUpTo",
    "FetchShortLinkClicks",
    "PersonalityMessage",
    "QueryTemplate",
    "Recipient",
    "Responder",
    "RetrieveReport",
    "SendPersonalityAll",
    "SendShortLink",
    "SendTemplate",
    "SendTemplateVariables",
    "ShortLinkClick",
    "SimpleCodec",
    "TemplateCreated",
    "TemplateDeleted",
    "TemplateState",
    "TemplateStatus",
    "TemplateVariables",
    "dumps",
    "loads",
    "push_credential",
    "seal",
    "unseal",
]
