"""``_models``: the operations' validation and the results' merges.

DESIGN.md: "Operations are frozen and validated on construction (caller
input)"; encoders "refuse what the vendor cannot carry … with ``EncodeError``";
"Naive datetimes are refused"; ``codec.plan(op)`` splits and the result types
merge. Expected values are written out by hand. Written to kill mutants that
survived ``tools/mutate.py codecs/_models.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from smswire.codecs import (
    CHINA,
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    InboundMessage,
    PersonalizedMessage,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    SmsWireError,
    Stamp,
)
from smswire.codecs._digits import CheckedDigits
from smswire.codecs._models import check_opt_word, check_text, check_word, merge_results, one_of

# --------------------------------------------------------------------------- numbers


def test_no_number_is_refused() -> None:
    with pytest.raises(EncodeError, match=r"^mobiles: at least one number is needed$"):
        SendSms(mobiles=(), content="x")


@pytest.mark.parametrize(
    ("mobiles", "shown"),
    [
        (("13800000000", ""), "''"),
        (("",), "''"),
        ((" 13800000000",), "' 13800000000'"),
        (("13800000000 ",), "'13800000000 '"),
        (("13800000000", 13800000001), "13800000001"),
        ((None,), "None"),
    ],
)
def test_a_bad_number_is_named(mobiles: tuple[object, ...], shown: str) -> None:
    with pytest.raises(EncodeError, match=rf"^mobiles: {shown} is not a phone number$"):
        SendSms(mobiles=mobiles, content="x")  # type: ignore[arg-type]


def test_numbers_that_are_not_digits_are_kept_for_the_codec() -> None:
    # Not every vendor's numbers are digits only (smscn's example "1390000test").
    op = SendSms(mobiles=["13900008888", "1390000test"], content="x")
    assert op.mobiles == ("13900008888", "1390000test")
    assert type(op.mobiles) is tuple


def test_number_containers() -> None:
    assert SendSms(mobiles="13800000000", content="x").mobiles == ("13800000000",)
    from_list = SendSms(mobiles=["13800000000", "13800000001"], content="x").mobiles
    assert from_list == ("13800000000", "13800000001")
    assert type(from_list) is CheckedDigits
    gen = SendSms(mobiles=(m for m in ["13800000000", "1380000000"]), content="x").mobiles
    assert gen == ("13800000000", "1380000000")
    assert type(gen) is CheckedDigits
    assert SendSms(mobiles=iter(["1"]), content="x").mobiles == ("1",)
    assert SendSms(mobiles={"13800000000"}, content="x").mobiles == ("13800000000",)
    assert SendSms(mobiles=("1",), content="x").mobiles.joined == "1"  # type: ignore[attr-defined]


def test_client_ids_one_per_number() -> None:
    op = SendSms(mobiles=["1", "2"], content="x", client_ids=["a", "b"])
    assert op.client_ids == ("a", "b")
    assert SendSms(mobiles=["1"], content="x", client_ids="a").client_ids == ("a",)
    with pytest.raises(EncodeError, match=r"^client_ids: 1 ids for 2 numbers$"):
        SendSms(mobiles=["1", "2"], content="x", client_ids=["a"])
    with pytest.raises(EncodeError, match=r"^client_ids: 3 ids for 2 numbers$"):
        SendSms(mobiles=["1", "2"], content="x", client_ids=["a", "b", "c"])


def test_content_must_be_a_string_and_may_be_empty() -> None:
    assert SendSms(mobiles=["1"], content="").content == ""
    with pytest.raises(TypeError, match=r"^content must be str, not bytes$"):
        SendSms(mobiles=["1"], content=b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^content must be str, not NoneType$"):
        PersonalizedMessage("1", None)  # type: ignore[arg-type]


def test_personalized_messages() -> None:
    message = PersonalizedMessage("13800000000", "hi", "c1")
    assert SendPersonalized([message]).messages == (message,)
    with pytest.raises(EncodeError, match=r"^messages: at least one message is needed$"):
        SendPersonalized([])
    for bad, shown in (("", "''"), (" 1", "' 1'"), (5, "5")):
        with pytest.raises(EncodeError, match=rf"^mobile: {shown} is not a phone number$"):
            PersonalizedMessage(bad, "x")  # type: ignore[arg-type]
    assert PersonalizedMessage("1390000test", "x").mobile == "1390000test"


# --------------------------------------------------------------------------- validators


@attrs.frozen
class _Probe:
    title: str | None = attrs.field(default=None, validator=check_opt_word)
    word: str = attrs.field(default="w", validator=check_word)
    text: str = attrs.field(default="", validator=check_text)


def test_check_opt_word() -> None:
    assert _Probe().title is None
    assert _Probe(title="t").title == "t"
    with pytest.raises(EncodeError, match=r"^title: a non-empty string is needed$"):
        _Probe(title="")
    with pytest.raises(EncodeError, match=r"^title: a non-empty string is needed$"):
        _Probe(title=5)  # type: ignore[arg-type]


def test_check_word() -> None:
    with pytest.raises(EncodeError, match=r"^word: a non-empty string is needed$"):
        _Probe(word="")


def test_check_text() -> None:
    assert _Probe(text="").text == ""
    with pytest.raises(TypeError, match=r"^text must be str, not int$"):
        _Probe(text=1)  # type: ignore[arg-type]


def test_one_of() -> None:
    # Built here, not at import: a validator made while the test module loads would be
    # made before any mutant is switched on.
    @attrs.frozen
    class Options:
        method: str = attrs.field(default="get", validator=one_of("get", "post"))

    assert Options(method="post").method == "post"
    assert Options().method == "get"
    with pytest.raises(EncodeError, match=r"^method must be one of get, post, not 'put'$"):
        Options(method="put")
    with pytest.raises(EncodeError, match=r"^method must be one of get, post, not 'GET'$"):
        Options(method="GET")


# --------------------------------------------------------------------------- stamps


def test_stamp_current_is_the_china_clock() -> None:
    before = datetime.now(CHINA)
    stamp = Stamp.current()
    after = datetime.now(CHINA)
    assert stamp.seq == 1
    assert before <= stamp.now <= after
    assert stamp.now.utcoffset() == timedelta(hours=8)
    assert Stamp.current(7).seq == 7
    assert Stamp(before).seq == 1


def test_stamp_refuses_a_negative_sequence() -> None:
    now = datetime(2024, 1, 2, tzinfo=CHINA)
    assert Stamp(now, 0).seq == 0
    with pytest.raises(ValueError, match=r"seq"):
        Stamp(now, -1)


# --------------------------------------------------------------------------- merges


def test_send_result_merge() -> None:
    a = SendResult((Receipt("1", "m1"),), failed=2, batch_id="b1")
    b = SendResult((), failed=0, batch_id=None)
    c = SendResult((Receipt("2", "m2", "c2"), Receipt("3")), failed=3, batch_id="b3")
    merged = SendResult.merge([a, b, c])
    assert merged == SendResult(
        (Receipt("1", "m1"), Receipt("2", "m2", "c2"), Receipt("3")), 5, "b1,b3"
    )
    assert merged.accepted == 3
    assert SendResult.merge([b, b]) == SendResult((), 0, None)
    assert SendResult.merge([]) == SendResult((), 0, None)
    assert SendResult.merge([SendResult(failed=4)]).failed == 4
    assert SendResult.merge(iter([a, c])).batch_id == "b1,b3"


def test_batch_merge_keeps_records_then_fragments_in_order() -> None:
    one: Batch[int] = Batch((1, 2), (b"x",))
    two: Batch[int] = Batch((3,), (b"y", b"z"))
    assert Batch.merge([one, two]) == Batch((1, 2, 3), (b"x", b"y", b"z"))
    assert Batch.merge(iter([two, one])) == Batch((3, 1, 2), (b"y", b"z", b"x"))
    assert Batch.merge([]) == Batch()


def test_batch_truth_iteration_and_length() -> None:
    assert not Batch()
    assert Batch(malformed=(b"x",))
    assert Batch(items=(0,))
    assert Batch((1,), (b"x",))
    batch: Batch[str] = Batch(("a", "b"))
    assert list(batch) == ["a", "b"]
    assert len(batch) == 2
    assert len(Batch(malformed=(b"x",))) == 0


def test_merge_results() -> None:
    one = SendResult((Receipt("1"),), 1, "a")
    two = SendResult((Receipt("2"),), 2, "b")
    assert merge_results([one]) == one
    assert merge_results([one, two]) == SendResult((Receipt("1"), Receipt("2")), 3, "a,b")
    assert merge_results([None, None]) is None
    assert merge_results([None]) is None
    report = DeliveryReport("1", DeliveryStatus.DELIVERED, "0")
    message = InboundMessage("1", "hi")
    assert merge_results([Batch((report,)), Batch((message,), (b"x",))]) == Batch(
        (report, message), (b"x",)
    )


def test_merge_results_refuses_what_it_cannot_put_together() -> None:
    with pytest.raises(
        SmsWireError, match=r"^cannot merge results of a split operation: Batch, SendResult$"
    ):
        merge_results([SendResult(), Batch()])
    with pytest.raises(
        SmsWireError, match=r"^cannot merge results of a split operation: NoneType, SendResult$"
    ):
        merge_results([SendResult(), None])
    with pytest.raises(SmsWireError, match=r"^cannot merge results of a split operation: Balance$"):
        merge_results([Balance(Decimal(1)), Balance(Decimal(2))])
