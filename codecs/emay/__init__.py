"""Emay EUCP (亿美软通): the secure ``/inter/`` interface and its AES/gzip envelope.

``Account(app_id, secret_key)`` holds the credentials; for the secure
interface the secret key is the AES key (16, 24 or 32 bytes in UTF-8), the
simple interface and ``retrieveReport`` only hash it. ``Codec`` is the secure interface
(registry name ``"emay"``); the operations only Emay has live here too.
``SimpleCodec`` is the plain ``/simpleinter/`` interface and the plain pushes
(registry name ``"emay-simple"``); ``RetrieveReport`` is §2.4's report re-push.
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
