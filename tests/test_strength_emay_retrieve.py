"""§2.4 retrieveReport and the shared signature (``emay/_retrieve.py``), against the document.

emay.txt §2.4: "http://ip:port/report/retrieveReport?appId=…&timestamp=…&sign=…&
startTime=20170101120000&endTime=20170101120100&smsId=123123123,321321321";
sign "md5(appId+ secretKey + timestamp)"; startTime/endTime "只能为当前时间 30天前
范围，不能大于当前时间", "应大于开始时间,开始结束时间最大间隔为 10分钟"; smsId
"多个用半角逗号分隔，最多 1000个"; the answer "成功返回：SUCCESS / 失败返回：errorCode".
Signs are computed here with ``hashlib`` and forms with ``urllib.parse``. Written to
kill the mutants that survived ``tools/mutate.py codecs/emay/_retrieve.py`` (issue 17).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from _emay_strength import ACCOUNT, CST
from smswire.codecs import (
    DecodeError,
    EncodeError,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Stamp,
    emay,
)
from smswire.codecs.emay import _retrieve

SIMPLE = emay.SimpleCodec()
SECURE = emay.Codec()
PATH = "/report/retrieveReport"
NOW = datetime(2017, 1, 1, 12, 1, 0, tzinfo=CST)
START, END = "20170101120000", "20170101120100"
TEXT_PLAIN = (("Content-Type", "text/plain; charset=UTF-8"),)


def lookup(app_id: str) -> emay.Account | None:
    return ACCOUNT if app_id == ACCOUNT.app_id else None


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def signed(timestamp: str = END, **params: str) -> HttpRequest:
    pairs = {
        "appId": ACCOUNT.app_id,
        "timestamp": timestamp,
        "sign": md5(ACCOUNT.app_id + ACCOUNT.secret_key + timestamp),
        **params,
    }
    return HttpRequest("GET", PATH + "?" + urlencode(pairs))


def refused(request: HttpRequest, stamp: Stamp | None = None) -> str:
    with pytest.raises(GatewayError) as info:
        SIMPLE.decode_request(request, lookup, stamp)
    return info.value.code


# --------------------------------------------------------------------------- the operation


def test_window_messages() -> None:
    with pytest.raises(EncodeError, match=r"^end_time: must be later than start_time \(§2\.4\)$"):
        emay.RetrieveReport(NOW, NOW)
    with pytest.raises(
        EncodeError, match=r"^end_time: at most 10 minutes after start_time \(§2\.4\)$"
    ):
        emay.RetrieveReport(NOW - timedelta(minutes=10, seconds=1), NOW)


@pytest.mark.parametrize("sms_id", ["", "é", "\x00", "1 2", "1,2", 5])
def test_sms_ids_must_be_printable_ascii_without_separators(sms_id: Any) -> None:
    with pytest.raises(EncodeError, match=r"^sms_ids: .* is not an Emay smsId$"):
        emay.RetrieveReport(NOW - timedelta(minutes=1), NOW, (sms_id,))


def test_window_against_the_stamp_message() -> None:
    op = emay.RetrieveReport(NOW - timedelta(minutes=1), NOW + timedelta(seconds=1))
    with pytest.raises(EncodeError) as info:
        SIMPLE.encode_request(op, ACCOUNT, Stamp(NOW))
    assert str(info.value) == (
        "end_time: later than the request's timestamp (§2.4: 不能大于当前时间)"
    )


# --------------------------------------------------------------------------- client role


@pytest.mark.parametrize("codec", [SIMPLE, SECURE])
def test_request_is_the_documents_form_with_commas_unescaped(codec: Any) -> None:
    op = emay.RetrieveReport(
        datetime(2017, 1, 1, 12, 0, tzinfo=CST), NOW, ("123123123", "321321321")
    )
    sent = codec.encode_request(op, ACCOUNT, Stamp(NOW))
    assert (sent.method, sent.target) == ("POST", PATH)
    assert sent.headers == (("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"),)
    sign = md5(ACCOUNT.app_id + ACCOUNT.secret_key + "20170101120100")
    assert sent.body == (
        f"appId={ACCOUNT.app_id}&timestamp=20170101120100&sign={sign}"
        "&startTime=20170101120000&endTime=20170101120100&smsId=123123123,321321321"
    ).encode("ascii")


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("body", [b"SUCCESS", b" SUCCESS\r\n", "\ufeffSUCCESS".encode()])
def test_success_answers(body: bytes) -> None:
    op = emay.RetrieveReport(NOW - timedelta(minutes=1), NOW)
    assert SIMPLE.decode_response(op, HttpResponse(200, (), body), ACCOUNT) is None


def test_error_code_answer_is_the_tables_error_keeping_the_body() -> None:
    op = emay.RetrieveReport(NOW - timedelta(minutes=1), NOW)
    body = b"ERROR_NO_RETRIEVE_SERVICE\n"
    with pytest.raises(GatewayError) as info:
        SIMPLE.decode_response(op, HttpResponse(200, (), body), ACCOUNT)
    assert (info.value.code, info.value.raw) == ("ERROR_NO_RETRIEVE_SERVICE", body)


NEITHER = "emay retrieveReport answer is neither SUCCESS nor an error code"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (502, b"SUCCESS", "emay answered HTTP 502"),
        (200, b"\xff\xfe", "emay retrieveReport answer is not UTF-8"),
        (200, b"FAIL", NEITHER),
        (
            200,
            "ERROR_坏".encode(),
            "emay retrieveReport answer is neither SUCCESS nor an error code",
        ),
        (200, b"ERROR_A B", NEITHER),
        (200, b"XSUCCESS", NEITHER),
        (200, b"", NEITHER),
    ],
)
def test_unreadable_answers_are_decode_errors_keeping_the_body(
    status: int, body: bytes, message: str
) -> None:
    op = emay.RetrieveReport(NOW - timedelta(minutes=1), NOW)
    with pytest.raises(DecodeError) as info:
        SIMPLE.decode_response(op, HttpResponse(status, (), body), ACCOUNT)
    assert (info.value.message, info.value.raw) == (message, body)


@pytest.mark.parametrize("codec", [SIMPLE, SECURE])
def test_server_answers_are_the_bare_code(codec: Any) -> None:
    # "成功返回：SUCCESS / 失败返回：errorCode".
    op = emay.RetrieveReport(NOW - timedelta(minutes=1), NOW)
    answer = codec.encode_response(op, None, ACCOUNT)
    assert (answer.status, answer.headers, answer.body) == (200, TEXT_PLAIN, b"SUCCESS")
    error = emay.Codec.spec.error("ERROR_REPORT_TIME")
    refusal = codec.encode_response(op, error, ACCOUNT)
    assert (refusal.status, refusal.headers, refusal.body) == (
        200,
        TEXT_PLAIN,
        b"ERROR_REPORT_TIME",
    )
    early = codec.encode_error(signed(), emay.Codec.spec.error("ERROR_SIGN"))
    assert (early.status, early.headers, early.body) == (200, TEXT_PLAIN, b"ERROR_SIGN")
    with pytest.raises(EncodeError, match=r"^emay retrieveReport has no result beyond SUCCESS$"):
        codec.encode_response(op, "SUCCESS", ACCOUNT)


def test_encode_response_of_a_refusal_is_its_code() -> None:
    answer = _retrieve.encode_response(emay.Codec.spec.error("ERROR_SIGN"))
    assert (answer.status, answer.headers, answer.body) == (200, TEXT_PLAIN, b"ERROR_SIGN")


# --------------------------------------------------------------------------- server role


def test_documents_request_is_read() -> None:
    op, account = SIMPLE.decode_request(
        signed(startTime=START, endTime=END, smsId="123123123,321321321"), lookup, Stamp(NOW)
    )
    assert account == ACCOUNT
    assert op == emay.RetrieveReport(
        datetime(2017, 1, 1, 12, 0, tzinfo=CST), NOW, ("123123123", "321321321")
    )


def test_request_at_another_path_is_a_decode_error() -> None:
    other = HttpRequest("GET", "/report/other")
    with pytest.raises(DecodeError) as info:
        _retrieve.decode_request(other, lookup)
    assert info.value.message == (
        "emay retrieveReport is served at '/report/retrieveReport', not '/report/other'"
    )


def test_1000_sms_ids_are_taken_and_1001_refused() -> None:
    ids = ",".join(str(100000 + i) for i in range(1000))
    op = SIMPLE.decode_request(signed(startTime=START, endTime=END, smsId=ids), lookup)[0]
    assert len(op.sms_ids) == 1000
    more = ids + ",9"
    assert refused(signed(startTime=START, endTime=END, smsId=more)) == "ERROR_TOO_MUCH_SMSIDS"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2017-01-01 12:00:00", END),
        (START, "2017010112010"),
        (START, END + " "),
        (" " + START, END),
        (END, START),
        (START, START),
        ("20170101115000", END),  # 11 minutes: "最大间隔为 10分钟"
    ],
)
def test_bad_windows_are_error_report_time(start: str, end: str) -> None:
    assert refused(signed(startTime=start, endTime=end)) == "ERROR_REPORT_TIME"


def test_bad_sms_id_is_error_params() -> None:
    assert refused(signed(startTime=START, endTime=END, smsId="12 3,456")) == "ERROR_PARAMS"


def test_window_edges_against_the_servers_clock() -> None:
    # "只能为当前时间 30天前范围，不能大于当前时间": end == now and start == now - 30 days are in.
    stamp = Stamp(NOW)
    ok = SIMPLE.decode_request(signed(startTime=START, endTime=END), lookup, stamp)[0]
    assert ok.end_time == NOW
    oldest = NOW - timedelta(days=30)
    start = oldest.strftime("%Y%m%d%H%M%S")
    end = (oldest + timedelta(minutes=1)).strftime("%Y%m%d%H%M%S")
    assert SIMPLE.decode_request(signed(startTime=start, endTime=end), lookup, stamp)[0] == (
        emay.RetrieveReport(oldest, oldest + timedelta(minutes=1))
    )
    early = (oldest - timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
    assert refused(signed(startTime=early, endTime=end), stamp) == "ERROR_REPORT_TIME"


def test_missing_app_id_is_refused_without_asking_the_lookup() -> None:
    asked: list[object] = []

    def recording(app_id: str) -> emay.Account | None:
        asked.append(app_id)
        return lookup(app_id)

    request = HttpRequest("GET", f"{PATH}?timestamp={END}&startTime={START}&endTime={END}")
    with pytest.raises(GatewayError) as info:
        SIMPLE.decode_request(request, recording)
    assert info.value.code == "ERROR_APPID"
    assert asked == []
