"""eims: the document's examples both ways, the signed password, sends, reports, replies, pushes."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from smswire.codecs import (
    CHINA,
    VENDORS,
    Balance,
    BalanceUnit,
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    Effect,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    PersonalizedMessage,
    PushCodec,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendSms,
    Stamp,
    eims,
    from_jsonable,
    get_codec,
    to_jsonable,
)

SPEC = eims.SPEC
CST = timezone(timedelta(hours=8))
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, 15, tzinfo=CHINA), seq=42)
codec = eims.Codec()
DOC = eims.Account("chenkc", "123456")
SIGNED = eims.Account("chenkc", "123456", key="negotiated-key")


def answer(body: str | bytes, status: int = 200) -> HttpResponse:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return HttpResponse(status, (("Content-Type", "application/json;charset=utf-8"),), data)


def lookup_of(*accounts: eims.Account) -> Callable[[str], eims.Account | None]:
    table = {a.account: a for a in accounts}
    return table.get


def params_of(request: HttpRequest) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request.target).query, keep_blank_values=True))


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ------------------------------------------------------------------ registry and protocol


def test_registered_and_a_push_codec() -> None:
    assert "eims" in VENDORS
    assert isinstance(get_codec("eims"), PushCodec)
    assert isinstance(get_codec("eims", version="1.0"), eims.Codec)


# ------------------------------------------------------------------ credentials


def test_signed_password_is_md5_of_the_documented_concatenation() -> None:
    request = codec.encode_request(QueryBalance(), SIGNED, STAMP)
    params = params_of(request)
    unix = int(datetime(2024, 5, 1, 1, 30, 15, tzinfo=UTC).timestamp())
    expected = hashlib.md5(f"chenkc123456{42}{unix}negotiated-key".encode()).hexdigest()
    assert params == {"account": "chenkc", "password": expected, "seq": "42", "time": str(unix)}


def test_plain_password_travels_as_is_without_seq_or_time() -> None:
    assert params_of(codec.encode_request(QueryBalance(), DOC, STAMP)) == {
        "account": "chenkc",
        "password": "123456",
    }


def test_signed_post_body_carries_seq_and_time_as_integers() -> None:
    op = SendSms(tuple(f"138{i:08d}" for i in range(101)), "你好")
    body = json.loads(codec.encode_request(op, SIGNED, STAMP).body)
    assert body["seq"] == 42 and body["time"] == int(STAMP.now.timestamp())
    assert (
        body["password"]
        == hashlib.md5(f"chenkc123456{42}{body['time']}negotiated-key".encode()).hexdigest()
    )


def test_server_role_verifies_both_modes() -> None:
    lookup = lookup_of(DOC, eims.Account("keyed", "pw", key="k"))
    plain = codec.encode_request(QueryBalance(), DOC, STAMP)
    assert codec.decode_request(plain, lookup) == (QueryBalance(), DOC)
    keyed = eims.Account("keyed", "pw", key="k")
    signed = codec.encode_request(QueryBalance(), keyed, STAMP)
    assert codec.decode_request(signed, lookup)[1] == keyed
    refused = [
        codec.encode_request(QueryBalance(), eims.Account("chenkc", "wrong"), STAMP),
        codec.encode_request(QueryBalance(), eims.Account("keyed", "pw", key="other"), STAMP),
        codec.encode_request(QueryBalance(), eims.Account("keyed", "pw"), STAMP),  # unsigned
        codec.encode_request(QueryBalance(), eims.Account("nobody", "123456"), STAMP),
        HttpRequest("GET", signed.target.replace("&seq=42", "")),
        HttpRequest("GET", "/getbalance?account=chenkc"),
    ]
    for request in refused:
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(request, lookup)
        assert caught.value.code == "-1" and caught.value.kind is ErrorKind.AUTH
        assert codec.encode_error(request, caught.value).body == b'{"status":-1}'


def test_secrets_stay_out_of_reprs_and_errors() -> None:
    account = eims.Account("chenkc", "hunter2", key="sekrit-key")
    assert "hunter2" not in repr(account) and "sekrit-key" not in repr(account)
    with pytest.raises(EncodeError) as caught:
        codec.encode_request(SendSms(("1",), "x" * 1025), account, STAMP)
    assert "hunter2" not in str(caught.value) and "sekrit" not in str(caught.value)


# ------------------------------------------------------------------ document examples
# The §1–§4 exchanges are replayed both ways from specs/eims.toml by the conformance suite;
# what follows checks what that replay does not.


def test_document_post_body_encodes_exactly_and_its_typo_decodes() -> None:
    vector = SPEC.vector("send-post-request")
    op = eims.SendMessage(tuple(vector["mobiles"]), vector["content"], 0, vector["mms_title"])
    request = eims.Codec(method="POST").encode_request(op, DOC, STAMP)
    assert (request.method, request.target) == ("POST", vector["target"])
    assert request.header("content-type") == "application/json;charset=utf-8"
    assert request.body.decode("utf-8") == vector["body"]
    for body in (vector["body"], vector["document_body"]):
        decoded = codec.decode_request(
            HttpRequest("POST", "/sendsms", (), body.encode("utf-8")), lookup_of(DOC)
        )
        assert decoded == (op, DOC)


# ------------------------------------------------------------------ balance


def test_document_balance_keeps_its_digits() -> None:
    # Decimal("99.99") == Decimal("99.990000"): the replay's equality cannot see digits.
    body = SPEC.example("balance").answer.body  # type: ignore[union-attr]
    balance = codec.decode_response(QueryBalance(), answer(body), DOC)
    assert balance == Balance(Decimal("99.99"), BalanceUnit.MONEY, Decimal("50"))
    assert isinstance(balance.amount, Decimal) and str(balance.amount) == "99.990000"
    assert str(balance.gift) == "50.00000"


def test_unquoted_balance_is_still_exact() -> None:
    balance = codec.decode_response(QueryBalance(), answer('{"status":0,"balance":0.1}'), DOC)
    assert balance.amount == Decimal("0.1") and balance.gift is None


# ------------------------------------------------------------------ sending


def test_integer_numbers_are_matched_back_with_leading_zeros() -> None:
    op = SendSms(("075512345678", "75512345678", "10010"), "x")
    body = '{"status":0,"success":2,"fail":1,"array":[[75512345678,7],["075512345678",8]]}'
    result = codec.decode_response(op, answer(body), DOC)
    assert result.receipts == (Receipt("75512345678", "7"), Receipt("075512345678", "8"))
    assert result.failed == 1
    lone = codec.decode_response(
        SendSms(("0086100",), "x"), answer('{"status":0,"array":[[86100,"9"]]}'), DOC
    )
    assert lone.receipts == (Receipt("0086100", "9"),)


def test_get_carries_100_numbers_and_post_takes_over_at_101() -> None:
    numbers = tuple(f"0{i:010d}" for i in range(101))
    get = codec.encode_request(SendSms(numbers[:100], "你好 & +"), DOC, STAMP)
    assert get.method == "GET" and get.body == b""
    params = params_of(get)
    assert params["numbers"].split(",") == list(numbers[:100])
    assert params["content"] == "你好 & +" and params["smstype"] == "0"
    post = codec.encode_request(SendSms(numbers, "你好"), DOC, STAMP)
    assert (post.method, post.target) == ("POST", "/sendsms")
    body = json.loads(post.body.decode("utf-8"))
    assert body == {
        "account": "chenkc",
        "password": "123456",
        "content": "你好",
        "smstype": 0,
        "numbers": ",".join(numbers),
    }
    with pytest.raises(EncodeError, match="100"):
        eims.Codec(method="GET").encode_request(SendSms(numbers, "x"), DOC, STAMP)
    too_many = HttpRequest("GET", get.target.replace("numbers=", "numbers=1,"))
    with pytest.raises(GatewayError, match="-7"):
        codec.decode_request(too_many, lookup_of(DOC))


def test_plan_splits_sends_above_the_limit() -> None:
    op = SendSms(tuple(f"138{i:08d}" for i in range(10001)), "x")
    parts = codec.plan(op)
    assert [len(p.mobiles) for p in parts] == [10000, 1]
    assert sum((p.mobiles for p in parts), ()) == op.mobiles
    assert [len(p.mobiles) for p in eims.Codec(method="GET").plan(op)][-2:] == [100, 1]
    with pytest.raises(EncodeError, match="10000"):
        codec.encode_request(op, DOC, STAMP)


def test_send_options_on_the_wire() -> None:
    op = eims.SendMessage(
        ("10010",),
        "彩信",
        sms_type=1,
        mms_title="标题",
        sender="EIMS",
        send_at=datetime(2017, 10, 1, 4, 30, 15, tzinfo=UTC),
    )
    params = params_of(codec.encode_request(op, DOC, STAMP))
    assert params["smstype"] == "1" and params["mmstitle"] == "标题"
    assert params["sender"] == "EIMS"
    assert params["sendtime"] == "20171001123015"  # 14 digits, China time
    assert codec.decode_request(codec.encode_request(op, DOC, STAMP), lookup_of(DOC))[0] == op
    assert eims.SendMessage(("1",), "x").is_plain and op.effect is Effect.SEND


def test_send_refusals_before_any_byte() -> None:
    with pytest.raises(EncodeError, match="1024"):
        codec.encode_request(SendSms(("10010",), "字" * 1025), DOC, STAMP)
    codec.encode_request(SendSms(("10010",), "字" * 1024), DOC, STAMP)
    with pytest.raises(EncodeError, match="extension"):
        codec.encode_request(SendSms(("10010",), "x", extension="01"), DOC, STAMP)
    with pytest.raises(EncodeError, match="client ids"):
        codec.encode_request(SendSms(("10010",), "x", client_ids=("a",)), DOC, STAMP)
    with pytest.raises(EncodeError, match="U\\+D800"):
        codec.encode_request(SendSms(("10010",), "a\ud800"), DOC, STAMP)
    with pytest.raises(EncodeError, match="digits"):
        codec.encode_request(SendSms(("+8610010",), "x"), DOC, STAMP)
    with pytest.raises(EncodeError, match="sms_type"):
        eims.SendMessage(("10010",), "x", sms_type=2)
    with pytest.raises(EncodeError, match="SendPersonalized"):
        codec.encode_request(SendPersonalized((PersonalizedMessage("10010", "x"),)), DOC, STAMP)


def test_request_status_codes_are_gateway_errors() -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(SendSms(("10010",), "x"), answer('{"status":-10}'), DOC)
    assert caught.value.kind is ErrorKind.BALANCE and caught.value.code == "-10"
    assert caught.value.message == "该通道余额不足，不能满足本次发送"
    assert sorted(SPEC.statuses, key=int) == [str(-i) for i in range(13, 0, -1)]


# ------------------------------------------------------------------ report queries


def test_report_states_and_reasons() -> None:
    body = (
        '{"status":0,"array":[[1,"1",20171001123015,1],[2,"2",20171001123015,"2"],'
        '[3,"3",20171001123015,1001],[4,"4",0,1015],"junk",[5,"5",20171301123015,0]]}'
    )
    result = codec.decode_response(eims.QueryReports(("1",)), answer(body), DOC)
    assert [(r.status, r.code, r.description) for r in result.reports] == [
        (DeliveryStatus.PENDING, "1", None),
        (DeliveryStatus.PENDING, "2", None),
        (DeliveryStatus.FAILED, "1001", "NoRoute"),
        (DeliveryStatus.FAILED, "1015", None),
    ]
    assert result.reports.items[3].sent_at is None
    assert result.reports.malformed == (b'"junk"', b'[5,"5",20171301123015,0]')


def test_report_queries_are_reads_limited_to_200_ids() -> None:
    assert eims.QueryReports.effect is Effect.READ
    op = eims.QueryReports(tuple(str(i) for i in range(1, 451)))
    parts = codec.plan(op)
    assert [len(p.ids) for p in parts] == [200, 200, 50]
    with pytest.raises(EncodeError, match="200"):
        codec.encode_request(op, DOC, STAMP)
    with pytest.raises(EncodeError, match="digits"):
        eims.QueryReports(("1", "x"))
    a = eims.ReportQuery(1, 0, 0, 0, 0, Batch((DeliveryReport("1", DeliveryStatus.FAILED, "3"),)))
    b = eims.ReportQuery(0, 1, 2, 3, 4, Batch((), (b"x",)))
    merged = eims.ReportQuery.merge([a, b])
    assert (merged.success, merged.fail, merged.nofound) == (1, 1, 4)
    assert len(merged.reports) == 1 and merged.reports.malformed == (b"x",)
    assert from_jsonable(to_jsonable(merged), eims.ReportQuery) == merged


def test_fetch_reports_is_not_an_eims_operation() -> None:
    with pytest.raises(EncodeError, match=r"push.*QueryReports"):
        codec.encode_request(FetchReports(), DOC, STAMP)


# ------------------------------------------------------------------ replies


def test_document_inbound_placeholders_are_kept_as_malformed() -> None:
    vector = SPEC.vector("inbound-response")
    batch = codec.decode_response(FetchInbound(), answer(vector["body"]), DOC)
    assert len(batch.items) == vector["items"] and len(batch.malformed) == vector["malformed"]
    assert all(b"*" * 32 in raw for raw in batch.malformed)


def test_document_inbound_filled_in_with_base64_of_utf8() -> None:
    # The example's texts are what base64 itself makes of them (not our encoder).
    example = SPEC.example("inbound")
    assert example.answer is not None
    for record in example.result["items"]:
        assert base64.b64encode(record["content"].encode("utf-8")).decode() in example.answer.body


def test_duplicates_removed_and_bad_rows_kept() -> None:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode()

    bad_utf8 = base64.b64encode(b"\xff\xfe").decode()
    body = json.dumps(
        {
            "status": 0,
            "cnt": 5,
            "array": [
                [7, "13800000000", "106", 20240101080000, b64("第一😀")],
                [8, "13800000001", "106", 20240101080001, "not base64!"],
                [7, "13800000000", "106", 20240101080000, b64("第一😀")],
                [9, "13800000002", "106", 20240101080002, bad_utf8],
                [10, "13800000003", "106", 20240101080003, b64("")],
            ],
        }
    )
    batch = codec.decode_response(FetchInbound(), answer(body), DOC)
    assert [(m.message_id, m.content) for m in batch] == [("7", "第一😀"), ("10", "")]
    assert batch.items[0] == InboundMessage(
        "13800000000", "第一😀", datetime(2024, 1, 1, 8, tzinfo=CST), "7", "106"
    )
    assert len(batch.malformed) == 2
    assert [json.loads(raw)[0] for raw in batch.malformed] == [8, 9]


def test_since_becomes_start_time() -> None:
    since = datetime(2018, 11, 30, 9, 31, 42, 500000, tzinfo=UTC)
    assert params_of(codec.encode_request(FetchInbound(since), DOC, STAMP))["start_time"] == (
        "1543570302"
    )
    assert "start_time" not in params_of(codec.encode_request(FetchInbound(), DOC, STAMP))
    assert FetchInbound.effect is Effect.DESTRUCTIVE_READ


# ------------------------------------------------------------------ pushes


def push(body: str | bytes, method: str = "PUT") -> HttpRequest:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return HttpRequest(method, "/eims/report", (), data)


def test_document_push_decodes() -> None:
    vector = SPEC.vector("push-report")
    batch = codec.decode_push(push(vector["body"], vector["method"]), {DOC.account: DOC}.get)
    got = [
        [r.message_id, r.mobile, iso(r.sent_at), r.code, r.status.value, r.description]
        for r in batch
    ]
    assert got == vector["records"]


def test_seven_field_push_rows_decode() -> None:
    body = (
        '{"type":"report","cnt":3,"array":['
        '[11,"13800000000",20240101080000,0,"DELIVRD",20240101080005,0],'
        '[12,"13800000001",20240101080000,0,"UNDELIV",20240101080006,1012],'
        '[13,"13800000002",20240101080000,1003,"NoBablance",0,0],'
        '[14,"13800000003"]]}'
    )
    batch = codec.decode_push(push(body), {DOC.account: DOC}.get)
    assert [(r.message_id, r.status, r.code, r.description) for r in batch] == [
        ("11", DeliveryStatus.DELIVERED, "0", "DELIVRD"),
        ("12", DeliveryStatus.FAILED, "1012", "UNDELIV"),
        ("13", DeliveryStatus.FAILED, "1003", "NoBablance"),
    ]
    assert batch.items[0].reported_at == datetime(2024, 1, 1, 8, 0, 5, tzinfo=CST)
    assert batch.items[2].reported_at is None
    assert batch.malformed == (b'[14,"13800000003"]',)


def test_encode_push_both_shapes_at_most_50_per_request() -> None:
    sent = datetime(2018, 8, 1, 12, 30, 15, tzinfo=CST)
    five = DeliveryReport("1234545456", DeliveryStatus.DELIVERED, "0", "1", sent_at=sent,
                          description="success")  # fmt: skip
    seven = DeliveryReport("0123", DeliveryStatus.FAILED, "1012", "2", sent_at=sent,
                           reported_at=sent + timedelta(seconds=5))  # fmt: skip
    requests = codec.encode_push(Batch((five, seven) * 60), DOC)
    assert [r.method for r in requests] == ["PUT"] * 3
    bodies = [json.loads(r.body) for r in requests]
    assert [b["cnt"] for b in bodies] == [50, 50, 20]
    assert all(b["type"] == "report" and len(b["array"]) == b["cnt"] for b in bodies)
    assert bodies[0]["array"][:2] == [
        [1, "1234545456", 20180801123015, 0, "success"],
        [2, "0123", 20180801123015, 0, "", 20180801123020, 1012],
    ]
    decoded = [
        r for request in requests for r in codec.decode_push(request, {DOC.account: DOC}.get)
    ]
    assert decoded == [five, seven] * 60
    assert codec.encode_push(Batch(), DOC) == ()


def test_push_acknowledgement_and_refusals() -> None:
    ack = codec.push_ack()
    assert (ack.status, ack.body) == (200, b"ok")
    assert codec.decode_push_ack(ack) and codec.decode_push_ack(HttpResponse(204))
    assert not codec.decode_push_ack(HttpResponse(500, (), b"ok"))
    with pytest.raises(EncodeError, match="reports only"):
        codec.encode_push(Batch((InboundMessage("1", "x"),)), DOC)
    with pytest.raises(EncodeError, match="does not mean"):
        codec.encode_push(Batch((DeliveryReport("1", DeliveryStatus.PENDING, "1", "1"),)), DOC)
    with pytest.raises(DecodeError):
        codec.decode_push(push(SPEC.vector("push-report")["body"], "GET"), {DOC.account: DOC}.get)
    with pytest.raises(DecodeError) as caught:
        codec.decode_push(push(b'{"type":"mo","array":[]}'), {DOC.account: DOC}.get)
    assert caught.value.raw == b'{"type":"mo","array":[]}'


# ------------------------------------------------------------------ unreadable answers


@pytest.mark.parametrize(
    "body", [b"", b"<html>502</html>", b"\xff{}", b"[]", b'{"balance":"1"}', b'{"status":"x"}']
)
def test_unreadable_bodies_raise_decode_error_with_raw(body: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(QueryBalance(), answer(body), DOC)
    assert caught.value.raw == body


def test_http_error_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="500"):
        codec.decode_response(QueryBalance(), answer(b'{"status":0}', 500), DOC)


# ------------------------------------------------------------------ quirks, each exercised


def _curly_quotes() -> None:
    body = SPEC.example("balance").answer.body  # type: ignore[union-attr]
    assert "“status”" in body
    assert codec.decode_response(QueryBalance(), answer(body), DOC).amount == Decimal("99.99")
    # Inside a real string the same characters are text, not quotes.
    batch = codec.decode_response(
        QueryBalance(), answer('{"status":0,"balance":"1","note":"“x”，y"}'), DOC
    )
    assert batch.amount == 1


def _fullwidth_comma() -> None:
    body = SPEC.vector("send-post-request")["document_body"]
    assert "，" in body
    op, _ = codec.decode_request(HttpRequest("POST", "/sendsms", (), body.encode()), lookup_of(DOC))
    assert isinstance(op, eims.SendMessage) and op.mobiles == ("123456",)


def _version_default() -> None:
    assert SPEC.section.default_versions == {
        "balance": "1.1",
        "send": "1.0",
        "reports": "1.0",
        "inbound": "1.0",
    }
    assert "version" not in params_of(codec.encode_request(QueryBalance(), DOC, STAMP))
    versioned = eims.Codec(version="1.0").encode_request(QueryBalance(), DOC, STAMP)
    assert versioned.target.startswith("/getbalance?version=1.0&account=")
    assert codec.decode_request(versioned, lookup_of(DOC))[0] == QueryBalance()


def _report_ids_called_numbers() -> None:
    ids = ",".join(str(i) for i in range(201))
    with pytest.raises(GatewayError, match="-7"):
        codec.decode_request(
            HttpRequest("GET", f"/getreport?account=chenkc&password=123456&ids={ids}"),
            lookup_of(DOC),
        )


def _fullwidth_semicolon() -> None:
    entry = SPEC.status("-13")
    assert entry is not None and entry.text == "用户被锁定" and entry.kind is ErrorKind.AUTH


def _getsms_errors_copied() -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(FetchInbound(), answer('{"status":-3}'), DOC)
    assert caught.value.kind is ErrorKind.CONTENT_REJECTED


def _numeric_strings() -> None:
    result = codec.decode_response(
        SendSms(("10010",), "x"), answer('{"status":0,"array":[["10010","1"]]}'), DOC
    )
    assert result.receipts == (Receipt("10010", "1"),)
    # §3's note writes the number unquoted: [1,10010,20171001123015,0].
    reports = codec.decode_response(
        eims.QueryReports(("1",)), answer('{"status":0,"array":[[1,10010,20171001123015,0]]}'), DOC
    ).reports
    assert reports.items[0].mobile == "10010" and reports.items[0].message_id == "1"


def _send_success_text() -> None:
    assert SPEC.ok.text == "获取成功"


def _placeholder_values() -> None:
    test_document_inbound_placeholders_are_kept_as_malformed()
    assert all("***" not in e.request.target for e in SPEC.examples if e.request is not None)


def _pdf_line_wraps() -> None:
    assert "&content=test" in SPEC.example("send").request.target  # type: ignore[union-attr]
    mobiles = [
        r.mobile
        for r in codec.decode_push(push(SPEC.vector("push-report")["body"]), {DOC.account: DOC}.get)
    ]
    assert mobiles == ["1234545456", "2356844545"]


def _mmstitle_with_sms() -> None:
    target = SPEC.example("send").request.target  # type: ignore[union-attr]
    op, _ = codec.decode_request(HttpRequest("GET", target), lookup_of(DOC))
    assert op == eims.SendMessage(("10010", "1008611"), "test", 0, "mmstitle_text")


def _reason_1015_missing() -> None:
    assert "1015" not in eims.REASONS and {"1014", "1016"} <= set(eims.REASONS)
    row = '{"status":0,"array":[[1,"1",20171001123015,1015]]}'
    report = codec.decode_response(eims.QueryReports(("1",)), answer(row), DOC).reports.items[0]
    assert (report.status, report.description) == (DeliveryStatus.FAILED, None)


def _reason_table_typos() -> None:
    assert eims.REASONS["1003"] == ("NoBablance", "余额不足")
    assert eims.REASONS["1013"] == ("Daliy Limit", "每天发送书限制")
    assert eims.REASONS["1004"][0] == "Unkown"
    assert not set(eims.REASONS) & set(SPEC.statuses)


def _push_result_vs_report_state() -> None:
    pushed = codec.decode_push(
        push('{"type":"report","array":[[1,"1",0,1,"x"]]}'), {DOC.account: DOC}.get
    )
    queried = codec.decode_response(
        eims.QueryReports(("1",)), answer('{"status":0,"array":[[1,"1",0,1]]}'), DOC
    )
    assert pushed.items[0].status is DeliveryStatus.FAILED
    assert queried.reports.items[0].status is DeliveryStatus.PENDING


def _push_seven_field_rows() -> None:
    test_seven_field_push_rows_decode()


def _push_answer_unspecified() -> None:
    test_push_acknowledgement_and_refusals()


def _report_states_exhaustive() -> None:
    # §3 "非 012 发送失败" and §5 "0成功，非 0则失败": integers the tables lack are failures.
    rows = '{"status":0,"array":[[1,"1",0,3],[2,"2",0,99],[3,"3",0,"DELIVRD"]]}'
    got = codec.decode_response(eims.QueryReports(("1",)), answer(rows), DOC).reports
    assert [(r.status, r.code) for r in got] == [
        (DeliveryStatus.FAILED, "3"),
        (DeliveryStatus.FAILED, "99"),
        (DeliveryStatus.UNKNOWN, "DELIVRD"),
    ]
    body = '{"type":"report","cnt":2,"array":[[1,"1",0,7,"x"],[2,"2",0,"UNDELIV","x"]]}'
    pushed = codec.decode_push(push(body), {DOC.account: DOC}.get)
    assert [(r.status, r.code) for r in pushed] == [
        (DeliveryStatus.FAILED, "7"),
        (DeliveryStatus.UNKNOWN, "UNDELIV"),
    ]


def _reply_same_id() -> None:
    first, second = (base64.b64encode(t.encode()).decode() for t in ("第一", "第二"))
    row = '[7,"13800000000","106",20240101080000,"{}"]'
    body = f'{{"status":0,"array":[{row.format(first)},{row.format(second)},{row.format(first)}]}}'
    batch = codec.decode_response(FetchInbound(), answer(body), DOC)
    assert [(m.message_id, m.content) for m in batch] == [("7", "第一"), ("7", "第二")]


def _base64_line_breaks() -> None:
    text = "回复内容" * 20  # 240 UTF-8 bytes, 320 base64 characters: five MIME lines
    wrapped = base64.encodebytes(text.encode("utf-8")).decode("ascii")
    assert wrapped.count("\n") == 5
    row = json.dumps([1, "10010", "123456", 20171001123015, wrapped])
    batch = codec.decode_response(FetchInbound(), answer(f'{{"status":0,"array":[{row}]}}'), DOC)
    assert [m.content for m in batch] == [text] and batch.malformed == ()


def _push_type_default() -> None:
    by_name = {DOC.account: DOC}.get
    body = '{"cnt":1,"array":[[1,"1",0,0,"success"]]}'
    assert len(codec.decode_push(push(body), by_name)) == 1
    with pytest.raises(DecodeError) as caught:
        codec.decode_push(push('{"not":"eims"}'), by_name)
    assert caught.value.raw == b'{"not":"eims"}'


QUIRK_CHECKS: dict[str, Callable[[], None]] = {
    "curly-quotes": _curly_quotes,
    "fullwidth-comma": _fullwidth_comma,
    "version-default": _version_default,
    "report-ids-called-numbers": _report_ids_called_numbers,
    "fullwidth-semicolon": _fullwidth_semicolon,
    "getsms-errors-copied": _getsms_errors_copied,
    "numeric-strings": _numeric_strings,
    "send-success-text": _send_success_text,
    "placeholder-values": _placeholder_values,
    "pdf-line-wraps": _pdf_line_wraps,
    "mmstitle-with-sms": _mmstitle_with_sms,
    "reason-1015-missing": _reason_1015_missing,
    "reason-table-typos": _reason_table_typos,
    "push-result-vs-report-state": _push_result_vs_report_state,
    "push-seven-field-rows": _push_seven_field_rows,
    "push-answer-unspecified": _push_answer_unspecified,
    "report-states-exhaustive": _report_states_exhaustive,
    "reply-same-id": _reply_same_id,
    "base64-line-breaks": _base64_line_breaks,
    "push-type-default": _push_type_default,
}


@pytest.mark.parametrize("quirk", [q.id for q in SPEC.quirks])
def test_every_quirk_is_exercised(quirk: str) -> None:
    QUIRK_CHECKS[quirk]()


def test_every_vector_quirk_is_listed() -> None:
    listed = {q.id for q in SPEC.quirks}
    assert set(QUIRK_CHECKS) == listed
    for vector in SPEC.vectors:
        assert set(vector.get("quirks", ())) <= listed
    for example in SPEC.examples:
        assert set(example.quirks) <= listed
