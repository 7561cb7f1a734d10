"""esms100: the document's examples, both directions, and the codec's refusals."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from smswire.codecs import (
    CHINA,
    DeliveryStatus,
    EncodeError,
    ErrorKind,
    FetchInbound,
    FetchReports,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PersonalizedMessage,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    esms100,
    get_codec,
)

SPEC = esms100.SPEC
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
codec = esms100.Codec()
DOC_ACCOUNT = esms100.Account("10000", cppwd="2D732A5F09BCC1E78039C1099E60F701")


def gbk(text: str) -> HttpResponse:
    return HttpResponse(200, (), text.encode("gbk"))


def lookup(cpid: str) -> esms100.Account | None:
    return DOC_ACCOUNT if cpid == DOC_ACCOUNT.cpid else None


# ------------------------------------------------------------------ issue "must show"


def test_send_query_decodes_to_numbers_text_and_upper_md5() -> None:
    account = esms100.Account(cpid="10000", password="s3cret!")
    op = SendSms(mobiles=("13866668888", "13988889999"), content="发送测试")
    request = get_codec("esms100").encode_request(op, account, STAMP)
    url = urlsplit(request.target)
    assert request.method == "GET"
    assert url.path == "/mt/"
    params = dict(parse_qsl(url.query, encoding="gbk"))
    assert params == {
        "cpid": "10000",
        "cppwd": hashlib.md5(b"s3cret!").hexdigest().upper(),
        "phone": "13866668888,13988889999",
        "msgtext": "发送测试",
    }


def test_send_minus_10_is_a_balance_error() -> None:
    op = SendSms(mobiles=("13866668888",), content="x")
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(op, gbk("-10"), DOC_ACCOUNT)
    assert caught.value.kind is ErrorKind.BALANCE
    assert caught.value.code == "-10"
    assert caught.value.message == "余额不足"
    assert not caught.value.retryable


# The document's examples are replayed in both roles by the conformance suite (smswire.testing).


@pytest.mark.parametrize("body", ["", "0", "0\r\n"])
def test_no_replies_is_an_empty_batch(body: str) -> None:
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)
    assert batch.items == () and batch.malformed == ()


def test_a_broken_reply_is_kept_raw_between_good_ones() -> None:
    body = (
        "3\n2010-03-16 12:00##13866889900##好||garbage without separators"
        "||2010-03-16 14:00##13866889922##也好"
    )
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)
    assert [m.content for m in batch] == ["好", "也好"]
    assert batch.malformed == (b"garbage without separators",)


def test_undecodable_bytes_stay_in_malformed_byte_for_byte() -> None:
    raw = "2\n2010-07-12 11:21:24||13855889933||1\n".encode("gbk") + b"\xff\xfe||1||2"
    batch = codec.decode_response(FetchReports(), HttpResponse(200, (), raw), DOC_ACCOUNT)
    assert [r.status for r in batch] == [DeliveryStatus.DELIVERED]
    assert batch.malformed == (b"\xff\xfe||1||2",)


def test_report_error_code_on_count_line() -> None:
    with pytest.raises(GatewayError) as caught:
        codec.decode_response(FetchReports(), gbk("-1"), DOC_ACCOUNT)
    assert caught.value.kind is ErrorKind.AUTH


# ------------------------------------------------------------------ refusals


def test_utf8_adds_encode_parameter_and_encodes_utf8() -> None:
    request = esms100.Codec(charset="utf-8").encode_request(
        SendSms(("13866668888",), "😀 ok"), DOC_ACCOUNT, STAMP
    )
    params = dict(parse_qsl(urlsplit(request.target).query, encoding="utf-8"))
    assert params["encode"] == "utf8" and params["msgtext"] == "😀 ok"


def test_character_outside_gbk_is_refused_by_name() -> None:
    with pytest.raises(EncodeError, match=r"U\+1F600"):
        codec.encode_request(SendSms(("13866668888",), "hi 😀"), DOC_ACCOUNT, STAMP)


def test_limits_are_refused_before_any_byte() -> None:
    with pytest.raises(EncodeError, match="134"):
        codec.encode_request(SendSms(("13866668888",), "字" * 135), DOC_ACCOUNT, STAMP)
    with pytest.raises(EncodeError, match="1000"):
        codec.encode_request(
            SendSms(tuple(f"138{i:08d}" for i in range(1001)), "x"), DOC_ACCOUNT, STAMP
        )
    with pytest.raises(EncodeError, match="schedule"):
        codec.encode_request(
            SendSms(("13866668888",), "x", send_at=datetime(2030, 1, 1, tzinfo=CHINA)),
            DOC_ACCOUNT,
            STAMP,
        )
    with pytest.raises(EncodeError, match="SendPersonalized"):
        codec.encode_request(
            SendPersonalized((PersonalizedMessage("13866668888", "x"),)), DOC_ACCOUNT, STAMP
        )


def test_plan_splits_sends_above_1000_numbers() -> None:
    op = SendSms(tuple(f"138{i:08d}" for i in range(2500)), "x")
    parts = codec.plan(op)
    assert [len(p.mobiles) for p in parts] == [1000, 1000, 500]
    assert sum((p.mobiles for p in parts), ()) == op.mobiles
    assert codec.plan(FetchReports()) == (FetchReports(),)


def test_reply_text_that_cannot_be_framed_is_refused_by_the_server_role() -> None:
    from smswire.codecs import Batch, InboundMessage

    # '||' before a record head would make the answer ambiguous; a final line
    # break is trimmed with the body's. ('a||b' and a final '|' frame: see
    # test_esms100_fidelity.py.)
    for text in ["a||2010-03-16 12:00##13866889900##b", "a|| 2010-03-16 12:00:01##1#b", "end\n"]:
        batch = Batch((InboundMessage("13800000000", text, datetime(2024, 1, 1, 8, tzinfo=CHINA)),))
        with pytest.raises(EncodeError):
            codec.encode_response(FetchInbound(), batch, DOC_ACCOUNT)


def test_server_role_checks_password_and_limits() -> None:
    good = codec.encode_request(SendSms(("13866668888",), "hi"), DOC_ACCOUNT, STAMP)
    wrong = esms100.Account("10000", password="not-the-password")
    bad = codec.encode_request(SendSms(("13866668888",), "hi"), wrong, STAMP)
    assert codec.decode_request(good, lookup)[1] is DOC_ACCOUNT
    with pytest.raises(GatewayError) as caught:
        codec.decode_request(bad, lookup)
    assert caught.value.code == "-1"
    assert codec.encode_error(bad, caught.value).body == b"-1"
    too_long = HttpRequest("GET", good.target.replace("msgtext=hi", "msgtext=" + "x" * 135))
    with pytest.raises(GatewayError, match="-7"):
        codec.decode_request(too_long, lookup)
    unknown = HttpRequest("GET", good.target.replace("cpid=10000", "cpid=99"))
    with pytest.raises(GatewayError, match="-1"):
        codec.decode_request(unknown, lookup)


def test_account_secrets_stay_out_of_repr() -> None:
    account = esms100.Account("10000", password="hunter2")
    assert "hunter2" not in repr(account)
    assert hashlib.md5(b"hunter2").hexdigest().upper() not in repr(account)
    assert "hunter2" not in repr(esms100.ChangePassword("hunter2"))


# ------------------------------------------------------------- issue 16: the send's costs


def test_refused_character_names_the_content_its_position_and_the_charset() -> None:
    # The content is encoded once (in the urlencoding); the refusal is the same message.
    with pytest.raises(EncodeError) as caught:
        codec.encode_request(SendSms(("13866668888",), "hi 😀"), DOC_ACCOUNT, STAMP)
    assert str(caught.value) == (
        "content: character '😀' (U+1F600) at position 3 cannot be encoded in GBK"
    )


class _CountingAccount(esms100.Account):
    """Counts how often the wire asks for the password's digest."""

    asked: list[int]

    @property
    def password_md5(self) -> str:
        self.asked.append(1)
        return super().password_md5


def test_credentials_are_digested_once_per_account_and_kept_out_of_sight() -> None:
    # Issue 16 item 6: "cache password digests and credential query fragments per codec
    # instance (not in module-level caches that hold secrets process-wide)".
    account = _CountingAccount(cpid="10000", password="hunter2")
    object.__setattr__(account, "asked", [])
    mine = esms100.Codec()
    op = SendSms(("13866668888",), "测试")
    targets = {mine.encode_request(op, account, STAMP).target for _ in range(3)}
    (target,) = targets
    digest = hashlib.md5(b"hunter2").hexdigest().upper()
    assert dict(parse_qsl(urlsplit(target).query, encoding="gbk"))["cppwd"] == digest
    assert account.asked == [1]
    # Another codec has its own fragments: nothing is shared process-wide.
    esms100.Codec().encode_request(op, account, STAMP)
    assert account.asked == [1, 1]
    # Hidden: not in the repr, not in equality or hashing.
    assert digest not in repr(mine) and "hunter2" not in repr(mine)
    assert mine == esms100.Codec() and hash(mine) == hash(esms100.Codec())


def test_kept_credentials_follow_the_account() -> None:
    mine = esms100.Codec()
    op = QueryBalance()
    for n in range(100):
        account = esms100.Account(cpid=str(n), password=f"pw{n}")
        query = dict(parse_qsl(urlsplit(mine.encode_request(op, account, STAMP).target).query))
        assert query == {
            "cpid": str(n),
            "cppwd": hashlib.md5(f"pw{n}".encode()).hexdigest().upper(),
        }
    # A changed password is another account: its own digest, never the old one.
    changed = esms100.Account(cpid="7", password="new")
    target = mine.encode_request(op, changed, STAMP).target
    assert hashlib.md5(b"new").hexdigest().upper() in target


# The decoders read the usual record without strips or look-ups; everything else takes
# the full reading. Expected values are the document's own example lines (§5, §7),
# written with the blanks and line ends real answers carry.


def test_report_lines_with_blanks_and_line_ends_read_as_the_plain_ones() -> None:
    # §7 "发送时间||目标号码||状态报告值", "0-未收到状态报告，1-发送成功，2-发送失败".
    body = (
        "4\r\n"
        "2010-07-12 11:21:24||13855889933||1\r\n"
        "2010-07-12 11:21:24|| 13855889944 ||2\r\n"
        "2010-07-12 11:21:24||13855889955||7\r\n"
        "2010-07-12 11:25:52||13855889966|| 0 \r\n"
    )
    batch = codec.decode_response(FetchReports(), gbk(body), DOC_ACCOUNT)
    first, later = (
        datetime(2010, 7, 12, 11, 21, 24, tzinfo=CHINA),
        datetime(2010, 7, 12, 11, 25, 52, tzinfo=CHINA),
    )
    assert [(r.sent_at, r.mobile, r.code, r.status) for r in batch] == [
        (first, "13855889933", "1", DeliveryStatus.DELIVERED),
        (first, "13855889944", "2", DeliveryStatus.FAILED),
        (first, "13855889955", "7", DeliveryStatus.UNKNOWN),
        (later, "13855889966", "0", DeliveryStatus.PENDING),
    ]
    assert batch.malformed == ()


def test_a_repeated_bad_report_time_is_kept_raw_each_time() -> None:
    # A time that repeats the previous line's is not parsed again: a bad one must
    # still fail on every line that carries it, and never lend a neighbour's time.
    lines = [
        "2010-07-12 11:21:24||13855889933||1",
        "2010-07-12 25:21:24||13855889944||1",
        "2010-07-12 25:21:24||13855889955||2",
        "2010-07-12 11:21:24||13855889966||2",
    ]
    batch = codec.decode_response(FetchReports(), gbk("4\n" + "\n".join(lines)), DOC_ACCOUNT)
    at = datetime(2010, 7, 12, 11, 21, 24, tzinfo=CHINA)
    assert [(r.mobile, r.sent_at) for r in batch] == [("13855889933", at), ("13855889966", at)]
    assert batch.malformed == (lines[1].encode(), lines[2].encode())


def test_reply_records_with_blanks_and_line_breaks_read_as_the_plain_ones() -> None:
    # §5 "回复时间##手机号码##回复内容", records joined by "||".
    body = (
        "3\n2010-03-16 12:00##13810000001##第一条||\r\n2010-03-16 12:01## 13810000002 ##第二条"
        "||2010-03-16 12:02##13810000003#第三条"
    )
    batch = codec.decode_response(FetchInbound(), gbk(body), DOC_ACCOUNT)
    assert [(m.received_at, m.mobile, m.content) for m in batch] == [
        (datetime(2010, 3, 16, 12, 0, tzinfo=CHINA), "13810000001", "第一条"),
        (datetime(2010, 3, 16, 12, 1, tzinfo=CHINA), "13810000002", "第二条"),
        (datetime(2010, 3, 16, 12, 2, tzinfo=CHINA), "13810000003", "第三条"),
    ]
    assert batch.malformed == ()
