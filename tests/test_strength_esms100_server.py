"""esms100's server role and shared wire against the document's words.

Requests are written here by hand (``urllib.parse.urlencode``, ``hashlib``);
answers are compared with literal bytes. The exchanges built at import time
by ``_wire._plain`` and ``_wire._refusal`` are rebuilt inside the tests that
use them, so a change to those factories is seen (issue 17: a mutant of a
function that runs only at import is otherwise never called). Written to kill
mutants that survived ``tools/mutate.py codecs/esms100/``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from smswire.codecs import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    SendSms,
    Stamp,
    esms100,
)
from smswire.codecs._exchange import Exchange, Exchanges
from smswire.codecs.esms100 import _codec, _wire

CHINA = timezone(timedelta(hours=8))
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
GBK = esms100.Codec()
CPPWD = "2D732A5F09BCC1E78039C1099E60F701"
DOC = esms100.Account("10000", cppwd=CPPWD)
REPLY_AT = datetime(2010, 3, 16, 12, 0, tzinfo=CHINA)
SENT_AT = datetime(2010, 7, 12, 11, 21, 24, tzinfo=CHINA)


def lookup(cpid: str) -> esms100.Account | None:
    return DOC if cpid == "10000" else None


def refused(call: Any, *args: Any) -> str:
    with pytest.raises(EncodeError) as caught:
        call(*args)
    return str(caught.value)


def gateway_error(request: HttpRequest) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        GBK.decode_request(request, lookup)
    return caught.value


def get(path: str, **fields: str) -> HttpRequest:
    return HttpRequest("GET", f"{path}?{urlencode(fields, encoding='gbk')}")


# ------------------------------------------------------------------ §4 /mt/ read


def send(**fields: str) -> HttpRequest:
    return get("/mt/", cpid="10000", cppwd=CPPWD, **fields)


@pytest.mark.parametrize(
    ("fields", "code", "text"),
    [
        ({"msgtext": "x"}, "-5", "缺少目标号码"),
        ({"phone": "", "msgtext": "x"}, "-5", "缺少目标号码"),
        ({"phone": "13866668888"}, "-4", "缺少短信内容"),
        ({"phone": "13866668888", "msgtext": ""}, "-4", "缺少短信内容"),
        ({"phone": ",", "msgtext": "x"}, "-16", "目标号码不正确"),
        ({"phone": ",,,", "msgtext": "x"}, "-16", "目标号码不正确"),
        ({"phone": "1386666888a", "msgtext": "x"}, "-16", "目标号码不正确"),
        ({"phone": "13866668888,abc", "msgtext": "x"}, "-16", "目标号码不正确"),
        ({"phone": "１３８６６６６８８８８", "msgtext": "x"}, "-16", "目标号码不正确"),
    ],
)
def test_the_server_role_refuses_a_send_with_the_tables_code(
    fields: dict[str, str], code: str, text: str
) -> None:
    # 附表: "-4 缺少短信内容", "-5 缺少目标号码", "-16 目标号码不正确".
    error = gateway_error(send(**fields))
    assert (error.code, error.message) == (code, text)
    assert GBK.encode_error(send(**fields), error).body == code.encode()


def test_a_request_without_a_password_is_minus_3() -> None:
    # 附表 "-3 缺少密码", on every endpoint.
    for path in ["/mt/", "/mo/", "/qamount/", "/qreport/"]:
        error = gateway_error(get(path, cpid="10000", phone="13866668888", msgtext="x"))
        assert (error.code, error.message) == ("-3", "缺少密码")
    error = gateway_error(get("/ent/", cpid="10000", newpwd="abc"))
    assert (error.code, error.message) == ("-3", "缺少密码")


def test_a_request_without_a_cpid_is_refused_without_asking_for_an_account() -> None:
    asked: list[object] = []

    def recording(cpid: str) -> esms100.Account | None:
        asked.append(cpid)
        return DOC

    for query in [f"cppwd={CPPWD}", f"cpid=&cppwd={CPPWD}"]:
        with pytest.raises(GatewayError) as caught:
            GBK.decode_request(HttpRequest("GET", f"/qamount/?{query}"), recording)
        assert caught.value.code == "-1"
    assert asked == []


@pytest.mark.parametrize("spelling", ["utf8", "utf-8", "UTF-8", "UTF8"])
def test_the_server_role_reads_every_spelling_of_encode_utf8(spelling: str) -> None:
    # §2 "如提交的是UTF-8 编码字符,需要添加参数 encode=utf8".
    query = urlencode(
        {"cpid": "测试", "cppwd": CPPWD, "phone": "13866668888", "msgtext": "短信"},
        encoding="utf-8",
    )
    account = esms100.Account("测试", cppwd=CPPWD)
    request = HttpRequest("GET", f"/mt/?{query}&encode={spelling}")
    assert GBK.decode_request(request, {"测试": account}.get) == (
        SendSms(("13866668888",), "短信"),
        account,
    )


# ------------------------------------------------------------------ §8 /ent/


@pytest.mark.parametrize("length", [1, 20])
def test_a_new_password_of_1_or_20_characters_is_taken(length: int) -> None:
    # §8 "newpwd 新密码，字符串（1~20 位长度）".
    password = "p" * length
    assert esms100.ChangePassword(password).new_password == password
    request = get("/ent/", cpid="10000", oldpwd=CPPWD, newpwd=password)
    assert GBK.decode_request(request, lookup) == (esms100.ChangePassword(password), DOC)


@pytest.mark.parametrize("password", ["", "p" * 21, "密码", "é", "a\x00b", "tab\t"])
def test_a_new_password_outside_the_document_is_refused(password: str) -> None:
    message = "new_password must be 1 to 20 printable ASCII characters"
    assert refused(esms100.ChangePassword, password) == message


@pytest.mark.parametrize("fields", [{}, {"newpwd": ""}, {"newpwd": "p" * 21}])
def test_the_server_role_answers_a_bad_new_password_with_minus_1(fields: dict[str, str]) -> None:
    # §8 "“0”-成功，“-1”-失败".
    error = gateway_error(get("/ent/", cpid="10000", oldpwd=CPPWD, **fields))
    assert (error.code, error.message) == ("-1", "新密码不合规 (new password not 1~20 characters)")


# ------------------------------------------------------------------ answers the server writes


def test_reply_times_keep_seconds_only_when_there_are_some() -> None:
    # §5's example writes "2010-03-16 12:00": no seconds.
    batch = Batch(
        (
            InboundMessage("13866889900", "回复内容 1", REPLY_AT),
            InboundMessage("13866889911", "x", REPLY_AT.replace(hour=13, second=5)),
        )
    )
    body = "2\n2010-03-16 12:00##13866889900##回复内容 1||2010-03-16 13:00:05##13866889911##x"
    response = GBK.encode_response(FetchInbound(), batch, DOC)
    assert response == HttpResponse(
        200, (("Content-Type", "text/plain; charset=GBK"),), body.encode("gbk")
    )


def _write_replies(*messages: InboundMessage) -> HttpResponse:
    return GBK.encode_response(FetchInbound(), Batch(messages), DOC)


def test_replies_the_wire_cannot_carry_are_refused_with_their_reason() -> None:
    def reply(**changes: Any) -> InboundMessage:
        fields = {"mobile": "13866889900", "content": "x", "received_at": REPLY_AT}
        return InboundMessage(**{**fields, **changes})

    assert refused(_write_replies, reply(received_at=None)) == (
        "esms100 replies carry a time; received_at is required"
    )
    for extra in [{"message_id": "1"}, {"destination": "10690"}]:
        assert refused(_write_replies, reply(**extra)) == (
            "esms100 replies carry no message id or destination"
        )
    assert refused(_write_replies, reply(mobile="abc")) == "mobile 'abc' must be ASCII digits"
    for content in ["end\r", "end\n", "end\r\n", "a||2010-03-16 12:00##13866889900##b"]:
        assert refused(_write_replies, reply(content=content)) == (
            "reply content holding '||' before a record head, or ending in a line break, "
            "cannot be framed"
        )


def test_a_reply_outside_gbk_is_refused_naming_the_answer_text_and_position() -> None:
    # §2 "请求响应返回内容是 GBK 编码".
    message = InboundMessage("13866889900", "hi 😀", REPLY_AT)
    body = "1\n2010-03-16 12:00##13866889900##hi 😀"
    assert refused(_write_replies, message) == (
        f"answer text: character '😀' (U+1F600) at position {body.index('😀')} "
        "cannot be encoded in GBK"
    )


def _write_reports(*items: DeliveryReport) -> HttpResponse:
    return GBK.encode_response(FetchReports(), Batch(items), DOC)


def test_reports_are_written_as_section_7_shows_them() -> None:
    items = (
        DeliveryReport("13855889933", DeliveryStatus.DELIVERED, "1", sent_at=SENT_AT),
        DeliveryReport("13855889944", DeliveryStatus.FAILED, "2", sent_at=SENT_AT),
        DeliveryReport("13855889955", DeliveryStatus.PENDING, "0", sent_at=SENT_AT),
    )
    assert _write_reports(*items).body == (
        b"3\n2010-07-12 11:21:24||13855889933||1\n2010-07-12 11:21:24||13855889944||2"
        b"\n2010-07-12 11:21:24||13855889955||0"
    )


def test_reports_the_wire_cannot_carry_are_refused_with_their_reason() -> None:
    def report(code: str = "1", status: DeliveryStatus = DeliveryStatus.DELIVERED, **changes: Any):
        fields: dict[str, Any] = {"mobile": "13855889933", "sent_at": SENT_AT}
        return DeliveryReport(status=status, code=code, **{**fields, **changes})

    for code in ["", " 1", "1 ", "1||2", "1\n", "a\nb"]:
        assert refused(_write_reports, report(code)) == (
            f"esms100 report code {code!r} cannot be framed"
        )
    # §7 "0-未收到状态报告": 0 is no delivery.
    assert refused(_write_reports, report("0")) == (
        "esms100 report code '0' does not mean DeliveryStatus.DELIVERED"
    )
    assert refused(_write_reports, report(sent_at=None)) == (
        "esms100 reports carry the send time; sent_at is required"
    )
    for extra in [{"message_id": "m"}, {"extension": "01"}, {"description": "d"}]:
        assert refused(_write_reports, report(**extra)) == (
            "esms100 reports carry only time, phone and status"
        )
    assert refused(_write_reports, report(mobile="abc")) == "mobile 'abc' must be ASCII digits"


def test_a_balance_that_is_no_message_count_is_refused_naming_the_vendor() -> None:
    balance = Balance(Decimal("1.5"))
    assert refused(GBK.encode_response, QueryBalance(), balance, DOC) == (
        "esms100 balances are a whole, non-negative message count (Balance(Decimal(n))), "
        f"got {balance!r}"
    )


# ------------------------------------------------------------------ the account


@pytest.mark.parametrize("cppwd", ["ABC", "0" * 31, "0" * 33, "X" * 32, "G" * 32, "-" * 32])
def test_a_cppwd_that_is_no_md5_is_refused(cppwd: str) -> None:
    # §4 "cppwd 密码，32 位 MD5 加密后的密文，大写".
    assert refused(esms100.Account, "10000", None, cppwd) == (
        "esms100.Account: cppwd must be 32 hexadecimal digits"
    )


def test_an_account_needs_exactly_one_password() -> None:
    message = "esms100.Account needs exactly one of password= or cppwd="
    assert refused(esms100.Account, "10000") == message
    assert refused(esms100.Account, "10000", "pw", CPPWD) == message


def test_a_lower_case_cppwd_is_sent_upper_case() -> None:
    # The example: §4 "32 位 MD5 加密后的密文，大写".
    lower = hashlib.md5(b"pw").hexdigest()
    request = GBK.encode_request(QueryBalance(), esms100.Account("10000", cppwd=lower), STAMP)
    assert request.target == f"/qamount/?cpid=10000&cppwd={lower.upper()}"


def test_the_codec_takes_get_or_post_only() -> None:
    # §1 "通过 HTTP 的 GET/POST 方式交换".
    assert refused(esms100.Codec, "gbk", "PUT") == "method must be one of GET, POST, not 'PUT'"


# ------------------------------------------------------------------ rebuilt exchanges


def rebuilt() -> esms100.Codec:
    """A codec whose exchanges come from calling ``_plain`` and ``_refusal`` now.

    (``_plain`` writes the module's ``_COUNT`` refusal: the tests call a fresh
    ``_refusal`` themselves.)
    """
    status = _wire._refusal(positive=True)
    exchanges = Exchanges(
        "esms100",
        (
            Exchange(
                SendSms,
                "/mt/",
                ("GET", "POST"),
                _codec._mt_request,
                _codec._mt_answer,
                _codec._mt_read,
                _codec._answer_zero,
                status,
                _codec._mt_split,
            ),
            _wire._plain(
                FetchInbound, "/mo/", _codec._mo_answer, _codec._mo_write, _codec._mo_check
            ),
            _wire._plain(QueryBalance, "/qamount/", _codec._qamount_answer, _codec._qamount_write),
            _wire._plain(FetchReports, "/qreport/", _codec._qreport_answer, _codec._qreport_write),
        ),
    )

    class Rebuilt(esms100.Codec):
        pass

    Rebuilt.exchanges = exchanges  # type: ignore[misc]
    return Rebuilt()


PLAIN = [("/mo/", FetchInbound()), ("/qamount/", QueryBalance()), ("/qreport/", FetchReports())]
PLAIN_IDS = ["mo", "qamount", "qreport"]


@pytest.mark.parametrize(("path", "op"), PLAIN, ids=PLAIN_IDS)
def test_plain_requests_carry_cpid_and_cppwd_only(path: str, op: Operation[object]) -> None:
    # §5, §6, §7: "参数说明: cpid 用户名, cppwd 密码,MD5 加密后的密文，大写"; the examples:
    # ".../qamount/?cpid=10000&cppwd=2D732A5F09BCC1E78039C1099E60F701".
    codec = rebuilt()
    account = esms100.Account("10000", password="s3cret")
    digest = hashlib.md5(b"s3cret").hexdigest().upper()
    request = codec.encode_request(op, account, STAMP)
    assert (request.method, request.target) == ("GET", f"{path}?cpid=10000&cppwd={digest}")
    assert codec.decode_request(request, {"10000": account}.get) == (op, account)
    wrong = HttpRequest("GET", f"{path}?cpid=10000&cppwd={CPPWD}")
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(wrong, {"10000": account}.get)
    assert caught.value.code == "-1"
    form = HttpRequest("POST", path, (), f"cpid=10000&cppwd={digest}".encode())
    assert codec.decode_request(form, {"10000": account}.get) == (op, account)


def test_rebuilt_plain_exchanges_read_and_write_answers() -> None:
    codec = rebuilt()
    assert codec.decode_response(QueryBalance(), HttpResponse(200, (), b"1000"), DOC) == (
        Balance(Decimal(1000))
    )
    assert codec.encode_response(QueryBalance(), Balance(Decimal(7)), DOC).body == b"7"
    report = DeliveryReport("13855889933", DeliveryStatus.FAILED, "2", sent_at=SENT_AT)
    body = b"1\n2010-07-12 11:21:24||13855889933||2"
    assert codec.encode_response(FetchReports(), Batch((report,)), DOC).body == body
    assert codec.decode_response(FetchReports(), HttpResponse(200, (), body), DOC) == Batch(
        (report,)
    )
    assert codec.encode_response(FetchInbound(), Batch(), DOC).body == b""
    since = FetchInbound(since=REPLY_AT)
    assert refused(codec.encode_request, since, DOC, STAMP) == (
        "esms100 cannot fetch replies since a time"
    )


@pytest.mark.parametrize(("path", "op"), PLAIN, ids=PLAIN_IDS)
def test_a_count_is_refused_only_with_a_negative_code(path: str, op: Operation[object]) -> None:
    # §5/§6/§7: a positive first line is a count or a balance, "小于 0 为错误代码".
    codec = rebuilt()
    count = _wire._refusal(positive=False)
    assert codec.encode_response(op, esms100.SPEC.error("-10"), DOC).body == b"-10"
    assert count(codec, op, esms100.SPEC.error("-10"), DOC).body == b"-10"
    for code in ["1", "2", "0", "x"]:
        error = GatewayError("esms100", code, "?")
        message = f"esms100 cannot answer {type(op).__name__} with {code!r}"
        assert refused(codec.encode_response, op, error, DOC) == message
        assert refused(count, codec, op, error, DOC) == message


def test_a_send_is_refused_with_any_code_but_0() -> None:
    # §4 "返回值“0”表示提交成功，否则返回错误代码".
    codec = rebuilt()
    status = _wire._refusal(positive=True)
    op = SendSms(("13866668888",), "x")
    for code in ["1", "100", "-8"]:
        error = GatewayError("esms100", code, "?")
        assert codec.encode_response(op, error, DOC).body == code.encode()
        assert status(codec, op, error, DOC).body == code.encode()
    for code in ["0", "x"]:
        error = GatewayError("esms100", code, "?")
        message = f"esms100 cannot answer SendSms with {code!r}"
        assert refused(codec.encode_response, op, error, DOC) == message
        assert refused(status, codec, op, error, DOC) == message
