"""Emay simple interface (§2.2) and retrieveReport (§2.4): the document's examples, both roles.

The document gives no secretKey and prints a placeholder sign (quirk
simple-placeholder-sign): the tests sign with a test key and compute the
expected sign with hashlib, independently of the codec.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire import codecs
from smswire.codecs import (
    CHINA,
    VENDORS,
    Balance,
    DecodeError,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PersonalizedMessage,
    PushCodec,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    emay,
    from_jsonable,
    get_codec,
)
from smswire.codecs.strategies import china_datetimes
from smswire.codecs.strategies import emay_simple as strategies

SPEC = emay.SimpleCodec.spec
CN = timezone(timedelta(hours=8))
KEY = "0123456789abcdef"
DOC_APP_ID = "EUCP-EMY-DDDD-3EEEE"
ACCOUNT = emay.Account(DOC_APP_ID, KEY)
PLACEHOLDER_SIGN = "PIEUDJI987EUID62PKEDSESQEDSEDFSE"
codec = emay.SimpleCodec()


def lookup(app_id: str) -> emay.Account | None:
    return ACCOUNT if app_id == DOC_APP_ID else None


def md5(app_id: str, timestamp: str, key: str = KEY) -> str:
    return hashlib.md5((app_id + key + timestamp).encode()).hexdigest()


def signed_target(vector: Any) -> str:
    """The document's URL with its placeholder sign replaced by a real one."""
    target: str = vector["target"]
    assert PLACEHOLDER_SIGN in target
    return target.replace(PLACEHOLDER_SIGN, md5(vector["app_id"], vector["timestamp"]))


def form(request: HttpRequest) -> list[tuple[str, str]]:
    assert request.method == "POST"
    assert "x-www-form-urlencoded" in (request.header("content-type") or "")
    return parse_qsl(request.body.decode("ascii"), keep_blank_values=True, encoding="utf-8")


def doc_pairs(vector: Any) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(signed_target(vector)).query, keep_blank_values=True)


def when(text: str) -> datetime:
    # The document's times are China time.
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def stamp_of(vector: Any) -> Stamp:
    t = vector["timestamp"]
    parts = (int(t[:4]), int(t[4:6]), int(t[6:8]), int(t[8:10]), int(t[10:12]))
    return Stamp(datetime(*parts, tzinfo=CHINA))


def body(text: str) -> HttpResponse:
    return HttpResponse(200, (("Content-Type", "application/json;charset=UTF-8"),), text.encode())


# ------------------------------------------------------------------ registry and signature


def test_registry_builds_the_simple_codec_which_is_a_push_codec() -> None:
    made = get_codec("emay-simple")
    assert isinstance(made, emay.SimpleCodec)
    assert VENDORS["emay-simple"] is emay.SimpleCodec
    assert isinstance(made, PushCodec)


def test_sign_is_lower_md5_of_appid_key_timestamp_in_china_time() -> None:
    utc_stamp = Stamp(datetime(2017, 1, 1, 4, 0, 0, tzinfo=UTC))
    pairs = dict(form(codec.encode_request(QueryBalance(), ACCOUNT, utc_stamp)))
    assert pairs["timestamp"] == "20170101120000"
    expected = hashlib.md5(b"EUCP-EMY-DDDD-3EEEE0123456789abcdef20170101120000").hexdigest()
    assert pairs["sign"] == expected
    assert pairs["appId"] == DOC_APP_ID
    assert KEY not in codec.encode_request(QueryBalance(), ACCOUNT, utc_stamp).body.decode()


def test_secret_key_stays_out_of_reprs_and_errors() -> None:
    assert KEY not in repr(ACCOUNT)
    bad = HttpRequest("GET", "/simpleinter/getBalance?appId=EUCP-EMY-DDDD-3EEEE")
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(bad, lookup)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)


# ------------------------------------------------------------------ request vectors

REQUESTS: dict[str, Any] = {
    "simple-sendSMS-request": lambda v: SendSms(
        tuple(v["mobiles"]),
        v["content"],
        send_at=when(v["timer_time"]),
        extension=v["extended_code"],
        client_ids=(v["custom_sms_id"],) * len(v["mobiles"]),
    ),
    "simple-sendPersonalitySMS-request": lambda v: SendPersonalized(
        tuple(PersonalizedMessage(m, c, v["custom_sms_id"]) for m, c in v["messages"]),
        send_at=when(v["timer_time"]),
        extension=v["extended_code"],
    ),
    # The examples ask "number=100" ("获取数量 最多 500个"): at most 100, honoured.
    "simple-getReport-request": lambda v: emay.FetchReportsUpTo(v["number"]),
    "simple-getMo-request": lambda v: emay.FetchInboundUpTo(v["number"]),
    "simple-getBalance-request": lambda v: QueryBalance(),
    "retrieveReport-request": lambda v: emay.RetrieveReport(
        when(v["start_time"]), when(v["end_time"]), tuple(v["sms_ids"])
    ),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_document_requests_decode(name: str, method: str) -> None:
    vector = SPEC.vector(name)
    target = signed_target(vector)
    if method == "POST":
        path, _, query = target.partition("?")
        request = HttpRequest("POST", path, (), query.encode("utf-8"))
    else:
        request = HttpRequest("GET", target)
    op, account = codec.decode_request(request, lookup)
    assert op == REQUESTS[name](vector)
    assert account is ACCOUNT


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_document_placeholder_sign_is_refused(name: str) -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", SPEC.vector(name)["target"]), lookup)
    assert caught.value.code == "ERROR_SIGN"
    assert caught.value.kind is ErrorKind.AUTH


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("simple-sendSMS-request", "/simpleinter/sendSMS"),
        # Quirk personality-example-path: the example URL says sendSMS.
        ("simple-sendPersonalitySMS-request", "/simpleinter/sendPersonalitySMS"),
        ("simple-getBalance-request", "/simpleinter/getBalance"),
    ],
)
def test_document_requests_encode_parameter_for_parameter(name: str, path: str) -> None:
    vector = SPEC.vector(name)
    op = REQUESTS[name](vector)
    if "timer_time" not in vector:
        request = codec.encode_request(op, ACCOUNT, stamp_of(vector))
        assert request.target == path
        assert form(request) == doc_pairs(vector)
        return
    # Quirk simple-timer-example-beyond-90-days: timerTime 20171211022000 is 344 days
    # after timestamp 20170101120000, outside "定时时间在 90天之内": refused at encode time.
    with pytest.raises(EncodeError, match="90"):
        codec.encode_request(op, ACCOUNT, stamp_of(vector))
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", signed_target(vector)), lookup, stamp_of(vector))
    assert caught.value.code == "ERROR_SMS_TIME"
    request = codec.encode_request(op, ACCOUNT, Stamp(when(vector["timer_time"]) - timedelta(1)))
    assert request.target == path
    signed = {"timestamp", "sign"}
    assert [p for p in form(request) if p[0] not in signed] == [
        p for p in doc_pairs(vector) if p[0] not in signed
    ]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("simple-getReport-request", "/simpleinter/getReport"),
        ("simple-getMo-request", "/simpleinter/getMo"),
    ],
)
def test_document_fetch_requests_encode_with_timestamp_and_full_number(
    name: str, path: str
) -> None:
    vector = SPEC.vector(name)
    request = codec.encode_request(REQUESTS[name](vector), ACCOUNT, stamp_of(vector))
    assert request.target == path
    # Quirk stimestamp-typo: the client writes `timestamp`; number=100 is asked as given.
    expected = [("timestamp" if k == "stimestamp" else k, v) for k, v in doc_pairs(vector)]
    assert form(request) == expected


def test_stimestamp_is_read_only_when_timestamp_is_absent() -> None:
    vector = SPEC.vector("simple-getReport-request")
    target = signed_target(vector) + "&timestamp=20990101000000"
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", target), lookup)
    assert caught.value.code == "ERROR_SIGN"


def test_document_retrieve_request_encodes_once_the_window_has_passed() -> None:
    vector = SPEC.vector("retrieveReport-request")
    op = REQUESTS["retrieveReport-request"](vector)
    # Quirk retrieve-example-end-after-timestamp: refused with the document's own timestamp.
    with pytest.raises(EncodeError, match="end_time"):
        codec.encode_request(op, ACCOUNT, stamp_of(vector))
    later = Stamp(datetime(2017, 1, 1, 12, 1, 0, tzinfo=CHINA))
    request = codec.encode_request(op, ACCOUNT, later)
    assert request.target == "/report/retrieveReport"
    expected = [
        (k, {"timestamp": "20170101120100", "sign": md5(DOC_APP_ID, "20170101120100")}.get(k, v))
        for k, v in doc_pairs(vector)
    ]
    assert form(request) == expected
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", signed_target(vector)), lookup, stamp_of(vector))
    assert caught.value.code == "ERROR_REPORT_TIME"


# ------------------------------------------------------------------ answer examples
# The §2.2 answers and §2.4's are [[examples]] replayed by tests/test_vectors.py
# (emay-simple): the printed body read as the result, the result written back as the
# compact JSON (`canonical`). What that replay does not check is kept here.

ANSWERS = [
    "simple-sendSMS",
    "simple-sendPersonalitySMS",
    "simple-getReport",
    "simple-getMo",
    "simple-getBalance",
]


@pytest.mark.parametrize("name", ANSWERS)
def test_document_answers_read_the_same_without_the_printing(name: str) -> None:
    # Quirks curly-quotes, full-width-comma, spaced-keys, simple-table-fragments: the
    # printed answer and the same JSON written plainly (the replay's canonical) are
    # one result.
    example = SPEC.example(name)
    assert example.answer is not None and example.canonical is not None
    op = from_jsonable(
        {k: v for k, v in example.operation.items() if k != "type"},
        getattr(emay, example.operation["type"], None)
        or getattr(codecs, example.operation["type"]),
    )
    printed = codec.decode_response(op, body(example.answer.body), ACCOUNT)
    assert codec.decode_response(op, body(example.canonical), ACCOUNT) == printed
    assert "“" in example.answer.body and "“" not in example.canonical


def test_balance_beside_code_is_accepted() -> None:
    # Quirk simple-fields-beside-code.
    answer = body('{"code":"SUCCESS","balance":77}')
    assert codec.decode_response(QueryBalance(), answer, ACCOUNT) == Balance(Decimal(77))


def test_document_retrieve_answers() -> None:
    # The answers themselves are the examples retrieveReport and retrieveReport-refused.
    op = emay.RetrieveReport(
        datetime(2017, 1, 1, 12, tzinfo=CHINA), datetime(2017, 1, 1, 12, 1, tzinfo=CHINA)
    )
    assert SPEC.example("retrieveReport").answer.body == "SUCCESS"  # type: ignore[union-attr]
    assert codec.decode_response(op, body("SUCCESS\r\n"), ACCOUNT) is None
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(op, body("ERROR_REPORT_TIME"), ACCOUNT)
    assert caught.value.message == "状态报告时间错误【重新获取状态报告接口专用】"
    assert codec.encode_response(op, caught.value, ACCOUNT).body == b"ERROR_REPORT_TIME"
    with pytest.raises(DecodeError):
        codec.decode_response(op, body('{"code":"SUCCESS"}'), ACCOUNT)


def test_error_codes_become_gateway_errors_with_the_table_kind() -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(QueryBalance(), body('{"code":"ERROR_BALANCE"}'), ACCOUNT)
    assert caught.value.kind is ErrorKind.BALANCE
    assert caught.value.message == "余额不足"
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(
            FetchReports(), body('{"code":"ERROR_OVER_SPEED","data":null}'), ACCOUNT
        )
    assert caught.value.kind is ErrorKind.RATE_LIMIT and caught.value.retryable
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(QueryBalance(), body('{"code":"ERROR_NEW"}'), ACCOUNT)
    assert caught.value.kind is ErrorKind.UNKNOWN


@pytest.mark.parametrize(
    "text",
    ["", "SUCCESS", "[]", '{"data":1}', '{"code":1}', "\xff", '{"code":"SUCCESS","data":{}}'],
)
def test_unreadable_balance_answers_are_decode_errors(text: str) -> None:
    with pytest.raises(DecodeError) as caught:
        codec.decode_response(QueryBalance(), body(text), ACCOUNT)
    assert caught.value.raw == text.encode()


def test_http_error_status_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        codec.decode_response(QueryBalance(), HttpResponse(500, (), b"oops"), ACCOUNT)


def test_a_broken_report_is_kept_raw_between_good_ones() -> None:
    text = (
        '{"code":"SUCCESS","data":[{"mobile":"1","state":"DELIVRD"},{"mobile":"2"},'
        '{"mobile":"3","state":"UNDELIV","receiveTime":"bad"},{"mobile":"4","state":"TIMEOUT"}]}'
    )
    batch = codec.decode_response(FetchReports(), body(text), ACCOUNT)
    assert [(r.mobile, r.status) for r in batch] == [
        ("1", DeliveryStatus.DELIVERED),
        ("4", DeliveryStatus.UNKNOWN),
    ]
    assert [json.loads(raw) for raw in batch.malformed] == [
        {"mobile": "2"},
        {"mobile": "3", "state": "UNDELIV", "receiveTime": "bad"},
    ]


def test_unlisted_report_states_are_unknown_with_the_code_kept() -> None:
    # Quirk report-state-fallback: §4 "错误状态码详细码表见《运营商状态错误码.doc》" gives no table.
    text = '{"code":"SUCCESS","data":[{"mobile":"1","state":"UNDELIV"}]}'
    (report,) = codec.decode_response(FetchReports(), body(text), ACCOUNT)
    assert report.status is DeliveryStatus.UNKNOWN and report.code == "UNDELIV"


def test_server_refuses_unknown_app_id_bad_timestamp_and_sign() -> None:
    def refused(target: str) -> str:
        with pytest.raises(GatewayError) as caught:
            codec.decode_request(HttpRequest("GET", target), lookup)
        return caught.value.code

    good = md5(DOC_APP_ID, "20170101120000")
    base = "/simpleinter/getBalance?"
    assert refused(f"{base}appId=OTHER&timestamp=20170101120000&sign={good}") == "ERROR_APPID"
    assert refused(f"{base}timestamp=20170101120000&sign={good}") == "ERROR_APPID"
    assert (
        refused(f"{base}appId={DOC_APP_ID}&timestamp=2017010112&sign={good}") == "ERROR_TIMESTAMP"
    )
    assert refused(f"{base}appId={DOC_APP_ID}&timestamp=20171301120000&sign={good}") == (
        "ERROR_TIMESTAMP"
    )
    assert refused(f"{base}appId={DOC_APP_ID}&timestamp=20170101120001&sign={good}") == "ERROR_SIGN"
    assert refused(f"{base}appId={DOC_APP_ID}&timestamp=20170101120000") == "ERROR_SIGN"
    # The upper-case spelling of the same digest is accepted (hex digits either case).
    upper = f"{base}appId={DOC_APP_ID}&timestamp=20170101120000&sign={good.upper()}"
    assert codec.decode_request(HttpRequest("GET", upper), lookup)[0] == QueryBalance()


def _signed(path: str, extra: str) -> HttpRequest:
    sign = md5(DOC_APP_ID, "20170101120000")
    query = f"appId={DOC_APP_ID}&timestamp=20170101120000&sign={sign}&{extra}"
    return HttpRequest("POST", path, (), query.encode())


@pytest.mark.parametrize(
    ("path", "extra", "code"),
    [
        ("/simpleinter/sendSMS", "content=x", "ERROR_MOBILE_EMPTY"),
        ("/simpleinter/sendSMS", "mobiles=,&content=x", "ERROR_MOBILE_EMPTY"),
        (
            "/simpleinter/sendSMS",
            "mobiles=" + ",".join(["13800000000"] * 501) + "&content=x",
            "ERROR_MOBILE_NUMBER",
        ),
        ("/simpleinter/sendSMS", "mobiles=1380000000a&content=x", "ERROR_MOBILE_ERROR"),
        ("/simpleinter/sendSMS", "mobiles=13800000000", "ERROR_CONTENT_EMPTY"),
        ("/simpleinter/sendSMS", "mobiles=13800000000&content=", "ERROR_CONTENT_EMPTY"),
        (
            "/simpleinter/sendSMS",
            "mobiles=13800000000&content=x&timerTime=2017-12-11",
            "ERROR_SMS_TIME",
        ),
        (
            "/simpleinter/sendSMS",
            "mobiles=13800000000&content=x&customSmsId=" + "9" * 33,
            "ERROR_CUSTOM_SMSID",
        ),
        (
            "/simpleinter/sendSMS",
            "mobiles=13800000000&content=x&extendedCode=1234567890123",
            "ERROR_EXTENDED_CODE",
        ),
        ("/simpleinter/sendSMS", "mobiles=13800000000&content=%FF", "ERROR_PARAMS"),
        ("/simpleinter/sendPersonalitySMS", "extendedCode=1", "ERROR_MOBILE_EMPTY"),
        ("/simpleinter/sendPersonalitySMS", "13800000000=", "ERROR_CONTENT_EMPTY"),
        (
            "/simpleinter/sendPersonalitySMS",
            "&".join(f"138{i:08d}=x" for i in range(501)),
            "ERROR_MOBILE_NUMBER",
        ),
        ("/simpleinter/getReport", "number=501", "ERROR_PARAMS"),
        ("/simpleinter/getMo", "number=0", "ERROR_PARAMS"),
        ("/simpleinter/getMo", "number=" + "9" * 5000, "ERROR_PARAMS"),
        ("/report/retrieveReport", "startTime=20170101120000", "ERROR_REPORT_TIME"),
        (
            "/report/retrieveReport",
            "startTime=20170101120000&endTime=20170101121001",
            "ERROR_REPORT_TIME",
        ),
        (
            "/report/retrieveReport",
            "startTime=20170101120000&endTime=20170101120000",
            "ERROR_REPORT_TIME",
        ),
        (
            "/report/retrieveReport",
            "startTime=20170101120000&endTime=20170101120100&smsId=" + ",".join(["1"] * 1001),
            "ERROR_TOO_MUCH_SMSIDS",
        ),
    ],
)
def test_server_refuses_what_the_gateway_refuses(path: str, extra: str, code: str) -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(_signed(path, extra), lookup)
    assert caught.value.code == code
    rendered = codec.encode_error(_signed(path, extra), caught.value)
    if path.startswith("/report/"):
        assert rendered.body == code.encode()
    else:
        assert json.loads(rendered.body) == {"code": code}


def test_retrieve_report_with_a_bad_sign_is_error_sign() -> None:
    # Quirk retrieve-sign-error-code.
    target = "/report/retrieveReport?appId=EUCP-EMY-DDDD-3EEEE&timestamp=20170101120000&sign=0"
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(HttpRequest("GET", target), lookup)
    assert caught.value.code == "ERROR_SIGN"


def test_unknown_path_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        codec.decode_request(HttpRequest("GET", "/inter/getBalance"), lookup)


# ------------------------------------------------------------------ client refusals and planning

STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))


@pytest.mark.parametrize(
    ("op", "match"),
    [
        (SendSms(("13800000000",), ""), "empty"),
        (SendSms(("13800000000",), "\ud800"), "U\\+D800"),
        (SendSms(("1380000000x",), "x"), "digits"),
        (SendSms(("13800000000",), "x", extension="1234567890123"), "12"),
        (SendSms(("13800000000",), "x", extension="12a"), "digits"),
        (SendSms(("13800000000", "13900000000"), "x", client_ids=("a", "b")), "one customSmsId"),
        (SendSms(("13800000000",), "x", client_ids=("a" * 33,)), "32"),
        (SendSms(tuple(f"138{i:08d}" for i in range(501)), "x"), "500"),
        (
            SendPersonalized(
                (PersonalizedMessage("13800000000", "a"), PersonalizedMessage("13800000000", "b"))
            ),
            "once",
        ),
        (
            SendPersonalized(
                (
                    PersonalizedMessage("13800000000", "a", "1"),
                    PersonalizedMessage("13900000000", "b"),
                )
            ),
            "one customSmsId",
        ),
        (SendPersonalized((PersonalizedMessage("13800000000", ""),)), "empty"),
        (FetchInbound(since=datetime(2024, 1, 1, tzinfo=CHINA)), "since"),
    ],
)
def test_client_refuses_what_the_wire_cannot_carry(op: Any, match: str) -> None:
    with pytest.raises(EncodeError, match=match):
        codec.encode_request(op, ACCOUNT, STAMP)


def test_plan_splits_sends_at_500_keeping_client_ids_aligned() -> None:
    numbers = tuple(f"138{i:08d}" for i in range(1001))
    op = SendSms(numbers, "x", client_ids=("id",) * 1001)
    parts = codec.plan(op)
    assert [len(p.mobiles) for p in parts] == [500, 500, 1]
    assert all(p.client_ids == ("id",) * len(p.mobiles) for p in parts)
    assert sum((p.mobiles for p in parts), ()) == numbers
    for part in parts:
        codec.encode_request(part, ACCOUNT, STAMP)
    personal = SendPersonalized(tuple(PersonalizedMessage(m, "t") for m in numbers[:501]))
    assert [len(p.messages) for p in codec.plan(personal)] == [500, 1]
    assert codec.plan(QueryBalance()) == (QueryBalance(),)


# ------------------------------------------------------------------ retrieveReport window

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=CN)


def test_retrieve_window_is_checked_on_construction() -> None:
    with pytest.raises(EncodeError, match="later"):
        emay.RetrieveReport(NOW, NOW)
    with pytest.raises(EncodeError, match="10 minutes"):
        emay.RetrieveReport(NOW - timedelta(minutes=10, seconds=1), NOW)
    with pytest.raises(EncodeError, match="smsId"):
        emay.RetrieveReport(NOW - timedelta(minutes=1), NOW, ("1,2",))
    op = emay.RetrieveReport(NOW - timedelta(minutes=10), NOW.replace(microsecond=0), "42")
    assert op.sms_ids == ("42",)


def test_retrieve_window_is_checked_against_the_stamp() -> None:
    stamp = Stamp(NOW)
    ok = emay.RetrieveReport(NOW - timedelta(minutes=5), NOW)
    assert codec.decode_request(codec.encode_request(ok, ACCOUNT, stamp), lookup, stamp)[0] == ok
    future = emay.RetrieveReport(NOW - timedelta(minutes=5), NOW + timedelta(seconds=1))
    with pytest.raises(EncodeError, match="end_time"):
        codec.encode_request(future, ACCOUNT, stamp)
    old = emay.RetrieveReport(
        NOW - timedelta(days=30, seconds=1), NOW - timedelta(days=30) + timedelta(minutes=1)
    )
    with pytest.raises(EncodeError, match="30 days"):
        codec.encode_request(old, ACCOUNT, stamp)
    edge = emay.RetrieveReport(
        NOW - timedelta(days=30), NOW - timedelta(days=30) + timedelta(minutes=1)
    )
    codec.encode_request(edge, ACCOUNT, stamp)


def test_retrieve_sms_ids_limit_and_plan() -> None:
    op = emay.RetrieveReport(NOW - timedelta(minutes=5), NOW, tuple(str(i) for i in range(2500)))
    with pytest.raises(EncodeError, match="1000"):
        codec.encode_request(op, ACCOUNT, Stamp(NOW))
    parts = codec.plan(op)
    assert [len(p.sms_ids) for p in parts] == [1000, 1000, 500]
    request = codec.encode_request(parts[0], ACCOUNT, Stamp(NOW))
    assert dict(form(request))["smsId"] == ",".join(str(i) for i in range(1000))


@given(data=st.data(), now=china_datetimes(2015, 2035))
def test_retrieve_report_round_trips(data: st.DataObject, now: datetime) -> None:
    stamp = Stamp(now)
    op = data.draw(strategies.retrieve_reports(stamp))
    request = codec.encode_request(op, ACCOUNT, stamp)
    assert codec.decode_request(request, lookup, stamp) == (op, ACCOUNT)


# ------------------------------------------------------------------ quirks

MY_QUIRKS = {
    "simple-timer-example-beyond-90-days": "test_document_requests_encode_parameter_for_parameter",
    "report-state-fallback": "test_unlisted_report_states_are_unknown_with_the_code_kept",
    "simple-placeholder-sign": "test_document_placeholder_sign_is_refused",
    "simple-url-wraps": "test_document_requests_decode",
    "stimestamp-typo": "test_document_fetch_requests_encode_with_timestamp_and_full_number",
    "personality-example-path": "test_document_requests_decode",
    "simple-get-examples": "test_document_requests_decode",
    "simple-custom-sms-id-single": "test_client_refuses_what_the_wire_cannot_carry",
    "simple-fields-beside-code": "test_balance_beside_code_is_accepted",
    "personality-example-spacing": "test_document_requests_decode",
    "retrieve-sign-error-code": "test_retrieve_report_with_a_bad_sign_is_error_sign",
    "retrieve-window-wording": "test_retrieve_window_is_checked_against_the_stamp",
    "retrieve-example-end-after-timestamp": (
        "test_document_retrieve_request_encodes_once_the_window_has_passed"
    ),
    "simple-table-fragments": "test_document_answers_read_the_same_without_the_printing",
    "push-spaced-receive-time": "test_emay_push.py::test_document_pushes_decode",
    "mo-push-described-as-reports": (
        "test_emay_push.py::test_encrypted_records_are_classed_by_members"
    ),
    "curly-quotes": "test_document_answers_read_the_same_without_the_printing",
    "full-width-comma": "test_document_answers_read_the_same_without_the_printing",
    "spaced-keys": "test_document_answers_read_the_same_without_the_printing",
}


def test_every_quirk_of_these_sections_is_listed_and_exercised() -> None:
    listed = {q.id for q in SPEC.quirks}
    assert set(MY_QUIRKS) <= listed
    names = {n for n in globals() if n.startswith("test_")}
    for quirk, test in MY_QUIRKS.items():
        if "::" not in test:
            assert test in names, quirk
    for vector in SPEC.vectors:
        assert set(vector.get("fixes", ())) <= listed, vector["name"]
    for example in SPEC.examples:
        assert set(example.quirks) <= listed, example.name


def test_curly_quotes_inside_ascii_strings_survive_the_lenient_parse() -> None:
    text = '{"code":"SUCCESS"，"data":[{"mobile":"1","content":"他说“好”，再见","moTime":null}]}'
    (message,) = codec.decode_response(FetchInbound(), body(text), ACCOUNT)
    assert message.content == "他说“好”，再见"
