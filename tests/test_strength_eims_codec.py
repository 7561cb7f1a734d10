"""Strength tests of ``codecs/eims/_codec.py`` and ``_model.py``: each operation both ways.

Expected values come from the document (/work/shared/vendor-docs/eims.txt): §2's limits
("get 最多 100 个,post 最多 10000 个", content "长度不能超过 1024", the status table),
§3's "最多 200 个", §4's ``start_time`` example, and ``hashlib`` for the signed password.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from smswire.codecs import (
    CHINA,
    Balance,
    BalanceUnit,
    DecodeError,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    QueryBalance,
    Receipt,
    SendResult,
    SendSms,
    Stamp,
    eims,
)

DOC = eims.Account("chenkc", "123456")
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, 15, tzinfo=CHINA), seq=42)
codec = eims.Codec()
LOOKUP = {"chenkc": DOC}.get
AUTH = "account=chenkc&password=123456"
JSON = (("Content-Type", "application/json;charset=utf-8"),)


def _get(target: str) -> Any:
    return codec.decode_request(HttpRequest("GET", target), LOOKUP)


def _refused(target: str) -> GatewayError:
    with pytest.raises(GatewayError) as info:
        _get(target)
    return info.value


# --------------------------------------------------------------------------- §1


def test_balances_are_finite_money() -> None:
    good = Balance(Decimal("99.990000"), BalanceUnit.MONEY, Decimal("50.00000"))
    body = codec.encode_response(QueryBalance(), good, DOC).body
    assert body == b'{"status":0,"balance":"99.990000","gift":"50.00000"}'
    with pytest.raises(EncodeError, match=r"^eims balances are finite amounts of money$"):
        codec.encode_response(QueryBalance(), Balance(Decimal(5), BalanceUnit.MESSAGES), DOC)
    with pytest.raises(EncodeError, match=r"^eims balances are finite amounts of money$"):
        codec.encode_response(QueryBalance(), Balance(Decimal("Inf"), BalanceUnit.MONEY), DOC)
    infinite_gift = Balance(Decimal(1), BalanceUnit.MONEY, Decimal("NaN"))
    with pytest.raises(EncodeError, match=r"^eims gift balances are finite amounts of money$"):
        codec.encode_response(QueryBalance(), infinite_gift, DOC)


# --------------------------------------------------------------------------- §2


def test_a_get_send_keeps_its_commas_and_a_post_carries_sendtime() -> None:
    op = SendSms(("10010", "1008611"), "test")
    target = codec.encode_request(op, DOC, STAMP).target
    assert target == f"/sendsms?{AUTH}&smstype=0&numbers=10010,1008611&content=test"
    at = datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
    post = eims.Codec(method="POST").encode_request(
        SendSms(("10010",), "x", send_at=at), DOC, STAMP
    )
    assert json.loads(post.body) == {
        "account": "chenkc", "password": "123456", "content": "x", "smstype": 0,
        "numbers": "10010", "sendtime": "20171001123015",
    }  # fmt: skip


def test_send_limits_name_the_vendor() -> None:
    get = eims.Codec(method="GET")
    with pytest.raises(EncodeError) as info:
        get.encode_request(SendSms(("10010",) * 101, "x"), DOC, STAMP)
    assert str(info.value) == (
        "eims takes at most 100 numbers per request, got 101; use codec.plan(op) to split"
    )
    with pytest.raises(EncodeError) as info:
        codec.encode_request(SendSms(("10010",), "x" * 1025), DOC, STAMP)
    assert str(info.value) == "content: eims takes at most 1024 characters, got 1025"
    with pytest.raises(EncodeError, match=r"^eims sends have no extension and no client ids$"):
        codec.encode_request(SendSms(("10010",), "x", extension="7"), DOC, STAMP)


def test_unencodable_content_and_options_are_named() -> None:
    with pytest.raises(EncodeError) as info:
        codec.encode_request(SendSms(("10010",), "a\ud800"), DOC, STAMP)
    assert str(info.value) == (
        "content: character '\\ud800' (U+D800) at position 1 cannot be encoded in UTF-8"
    )
    message = eims.SendMessage(("10010",), "x", mms_title="\udcff")
    with pytest.raises(EncodeError) as info:
        codec.encode_request(message, DOC, STAMP)
    assert str(info.value) == (
        "mms_title: character '\\udcff' (U+DCFF) at position 0 cannot be encoded in UTF-8"
    )


def test_plan_cuts_sends_at_100_by_get_with_their_client_ids() -> None:
    get = eims.Codec(method="GET")
    mobiles = tuple(f"138{i:08d}" for i in range(101))
    chunks = get.plan(eims.SendMessage(mobiles, "x", sms_type=1))
    assert [c.mobiles for c in chunks] == [mobiles[:100], mobiles[100:]]
    ids = tuple(str(i) for i in range(101))
    plain = get.plan(SendSms(mobiles, "x", client_ids=ids))
    assert [c.client_ids for c in plain] == [ids[:100], ids[100:]]
    assert len(codec.plan(eims.SendMessage(mobiles, "x", sms_type=1))) == 1


def test_the_server_reads_sends_by_the_status_table() -> None:
    base = f"/sendsms?{AUTH}"
    assert _refused(f"{base}&numbers=10010").code == "-4"
    assert _refused(f"{base}&numbers=10010&content=").code == "-4"
    assert _refused(f"{base}&content=x").code == "-8"
    assert _refused(f"{base}&content=x&numbers=,").code == "-8"
    assert _refused(f"{base}&content=x&numbers=10010,%D9%A1").code == "-9"
    assert _refused(f"{base}&content=x&numbers=10010,1a").code == "-9"
    assert _refused(f"{base}&content={'x' * 1025}&numbers=10010").code == "-5"
    assert _get(f"{base}&content={'x' * 1024}&numbers=10010")[0] == SendSms(("10010",), "x" * 1024)
    assert _get(f"{base}&content=x&numbers=10010&smstype=") == (SendSms(("10010",), "x"), DOC)
    with pytest.raises(DecodeError, match=r"^eims smstype must be 0 or 1$"):
        _get(f"{base}&content=x&numbers=10010&smstype=2")
    at = datetime(2017, 10, 1, 12, 30, 15, tzinfo=CHINA)
    assert _get(f"{base}&content=x&numbers=10010&sendtime=20171001123015")[0] == SendSms(
        ("10010",), "x", send_at=at
    )


def test_send_answers_count_their_rows() -> None:
    result = SendResult((Receipt("10010", "1"), Receipt("1008611", "2")), 3)
    body = codec.encode_response(SendSms(("10010", "1008611"), "x"), result, DOC).body
    assert body == b'{"status":0,"success":2,"fail":3,"array":[[10010,1],[1008611,2]]}'


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (
            SendResult((Receipt(None, "1"),)),
            "eims send rows carry a number and its id; both are required",
        ),
        (
            SendResult((Receipt("10010", None),)),
            "eims send rows carry a number and its id; both are required",
        ),
        (SendResult((Receipt("10010", "1", client_id="c"),)), "eims send rows carry no client id"),
        (SendResult((), batch_id="b"), "eims send answers carry no batch id"),
    ],
)
def test_send_answer_refusals(result: SendResult, message: str) -> None:
    with pytest.raises(EncodeError) as info:
        codec.encode_response(SendSms(("10010",), "x"), result, DOC)
    assert str(info.value) == message


# --------------------------------------------------------------------------- §3


def test_report_queries_keep_commas_and_stop_at_200_ids() -> None:
    target = codec.encode_request(eims.QueryReports(("1", "2")), DOC, STAMP).target
    assert target == f"/getreport?{AUTH}&ids=1,2"
    with pytest.raises(EncodeError) as info:
        codec.encode_request(eims.QueryReports(tuple(map(str, range(201)))), DOC, STAMP)
    assert str(info.value) == (
        "eims takes at most 200 ids per report query, got 201; use codec.plan(op) to split"
    )


def test_the_server_reads_report_queries_by_the_status_table() -> None:
    base = f"/getreport?{AUTH}"
    assert str(_refused(base)) == "eims error -8: 号码为空 (no ids)"
    assert str(_refused(f"{base}&ids=,")) == "eims error -8: 号码为空 (no ids)"
    many = ",".join(map(str, range(201)))
    assert str(_refused(f"{base}&ids={many}")) == "eims error -7: 号码个数过多 (more than 200 ids)"
    assert _get(f"{base}&ids={','.join(map(str, range(200)))}")[0].ids == tuple(
        map(str, range(200))
    )
    assert str(_refused(f"{base}&ids=1,a")) == "eims error -9: 号码异常 (ids must be digits)"
    assert str(_refused(f"{base}&ids=1,%D9%A1")) == "eims error -9: 号码异常 (ids must be digits)"


# --------------------------------------------------------------------------- §4 / §5


def test_inbound_requests_both_ways() -> None:
    since = datetime(2018, 11, 30, 17, 31, 42, tzinfo=CHINA)
    target = codec.encode_request(FetchInbound(since), DOC, STAMP).target
    assert target == f"/getsms?{AUTH}&start_time=1543570302"
    assert _get(target) == (FetchInbound(since), DOC)
    assert _get(f"/getsms?{AUTH}") == (FetchInbound(None), DOC)


def test_pushes_by_put_or_post_and_their_acknowledgement() -> None:
    body = b'{"type":"report","cnt":1,"array":[[1,"10010",0,0,"success"]]}'
    for method in ("PUT", "POST"):
        batch = codec.decode_push(HttpRequest(method, "/", JSON, body), LOOKUP)
        assert [r.message_id for r in batch.items] == ["1"]
    with pytest.raises(DecodeError) as info:
        codec.decode_push(HttpRequest("GET", "/", JSON, body), LOOKUP)
    assert (info.value.message, info.value.raw) == ("eims pushes reports with PUT, not GET", body)
    with pytest.raises(DecodeError) as info:
        codec.decode_push(HttpRequest("PUT", "/", JSON, b"nope"), LOOKUP)
    assert (info.value.message, info.value.raw) == ("eims push is not JSON", b"nope")
    ack = codec.push_ack()
    assert (ack.status, ack.headers, ack.body) == (
        200,
        (("Content-Type", "text/plain;charset=utf-8"),),
        b"ok",
    )
    assert [codec.decode_push_ack(HttpResponse(s)) for s in (199, 200, 299, 300, 301)] == [
        False, True, True, False, False,
    ]  # fmt: skip


def test_pushes_render_as_put_json_and_refuse_replies() -> None:
    from smswire.codecs import Batch, DeliveryReport, DeliveryStatus, InboundMessage

    report = DeliveryReport("10010", DeliveryStatus.DELIVERED, "0", message_id="1")
    (request,) = codec.encode_push(Batch((report,)), DOC)
    assert (request.method, request.target, request.headers) == ("PUT", "/", JSON)
    assert request.body == b'{"type":"report","cnt":1,"array":[[1,"10010",0,0,""]]}'
    with pytest.raises(
        EncodeError, match=r"^eims pushes delivery reports only, not inbound messages$"
    ):
        codec.encode_push(Batch((InboundMessage("10010", "x"),)), DOC)


def test_codec_refusals_name_what_is_wrong() -> None:
    with pytest.raises(DecodeError) as info:
        codec.decode_request(HttpRequest("GET", "/nope?a=1"), LOOKUP)
    assert (info.value.message, info.value.raw) == ("eims has no endpoint '/nope'", b"/nope?a=1")
    with pytest.raises(EncodeError) as info:
        codec.encode_request(FetchReports(), DOC, STAMP)
    assert str(info.value) == (
        "eims has no FetchReports: reports arrive by push (codec.decode_push) "
        "or by message id (eims.QueryReports)"
    )


# --------------------------------------------------------------------------- _model


def test_account_checks() -> None:
    for args, message in [
        ((5, "p"), "eims.Account: account must be a non-empty string"),
        (("", "p"), "eims.Account: account must be a non-empty string"),
        (("a", 5), "eims.Account: password must be a string"),
        (("a", "p", 5), "eims.Account: key must be a string"),
    ]:
        with pytest.raises(EncodeError) as info:
            eims.Account(*args)
        assert str(info.value) == message


def test_signed_password_is_the_documents_md5() -> None:
    # "Md5 值 = md5（用户名+明文密码+seq+time+协商 key）".
    expected = hashlib.md5(b"chenkc123456" + b"7" + b"1543570302" + b"k").hexdigest()
    assert eims.Account("chenkc", "123456", "k").signed_password(7, 1543570302) == expected
    unkeyed = hashlib.md5(b"chenkc123456" + b"7" + b"1543570302").hexdigest()
    assert DOC.signed_password(7, 1543570302) == unkeyed


def test_operation_checks() -> None:
    with pytest.raises(EncodeError, match=r"^ids: at least one message id is needed$"):
        eims.QueryReports(())
    for item in (5, "a", "١"):
        with pytest.raises(EncodeError) as info:
            eims.QueryReports(("1", item))  # type: ignore[arg-type]
        assert str(info.value) == f"ids: {item!r} is not an EIMS message id (ASCII digits)"
    with pytest.raises(EncodeError, match=r"^sms_type must be 0 \(SMS\) or 1 \(MMS\)$"):
        eims.SendMessage(("10010",), "x", sms_type=2)
