"""An answer's bytes are read in the document's charset, whatever its Content-Type says.

112088.net and sms.cn answer in GBK (their documents' encoding); a gateway or proxy
that labels the body ``charset=utf-8`` (or nothing) does not change the bytes. The
expected records are written from the documents' layouts (112088.net 1.1.3
``count|id;phone;text``; sms.cn §6.1 ``100{&}mobile||content||time||gateway``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from smswire.codecs import Batch, FetchInbound, HttpResponse, InboundMessage, changlong, smscn

CST = timezone(timedelta(hours=8))
LABELS = [(), (("Content-Type", "text/plain; charset=utf-8"),), (("Content-Type", "text/plain"),)]


@pytest.mark.parametrize("headers", LABELS)
def test_changlong_reply_text_is_gbk_under_any_label(headers: tuple[tuple[str, str], ...]) -> None:
    body = "1|5;13682250950;收到，谢谢".encode("gbk")
    batch = changlong.Codec().decode_response(
        FetchInbound(), HttpResponse(200, headers, body), changlong.Account("mysms", "123456")
    )
    assert batch == Batch((InboundMessage("13682250950", "收到，谢谢", None, "5"),))


@pytest.mark.parametrize("headers", LABELS)
def test_smscn_reply_text_is_gbk_under_any_label(headers: tuple[tuple[str, str], ...]) -> None:
    body = "100{&}13800000000||收到，谢谢||2024-05-01 08:00:00||10690000".encode("gbk")
    batch = smscn.Codec().decode_response(
        FetchInbound(), HttpResponse(200, headers, body), smscn.Account("uid", "pwd")
    )
    when = datetime(2024, 5, 1, 8, 0, 0, tzinfo=CST)
    assert batch == Batch((InboundMessage("13800000000", "收到，谢谢", when, None, "10690000"),))
