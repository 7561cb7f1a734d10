"""``_plan.split_field``: an operation cut to a vendor's per-request limit.

The documents cap what one request carries (esms100.txt "每次 1000 个号码",
eims.txt "post方式一次性最多提交 10000个号码"); ``codec.plan(op)`` cuts with
this one function. Expected parts are written out by hand. Written to kill mutants that survived
``tools/mutate.py codecs/_plan.py`` (issue 17).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs import EncodeError, SendSms, get_codec
from smswire.codecs._plan import split_field

NUMBERS = tuple(f"1380000000{i}" for i in range(5))
IDS = ("a", "b", "c", "d", "e")


def test_fits_comes_back_alone_and_unchanged() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi", client_ids=IDS)
    for size in (5, 6, 1000):
        parts = split_field(op, "mobiles", size, "client_ids")
        assert len(parts) == 1
        assert parts[0] is op


def test_cut_at_the_limit_keeps_parallel_fields_aligned() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi", extension="12", client_ids=IDS)
    parts = split_field(op, "mobiles", 2, "client_ids")
    assert [p.mobiles for p in parts] == [NUMBERS[0:2], NUMBERS[2:4], NUMBERS[4:5]]
    assert [p.client_ids for p in parts] == [("a", "b"), ("c", "d"), ("e",)]
    assert all(p.content == "hi" and p.extension == "12" for p in parts)


def test_one_over_the_limit_is_two_parts() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi", client_ids=IDS)
    parts = split_field(op, "mobiles", 4, "client_ids")
    assert [p.mobiles for p in parts] == [NUMBERS[:4], NUMBERS[4:]]
    assert [p.client_ids for p in parts] == [IDS[:4], IDS[4:]]


def test_size_one() -> None:
    op = SendSms(mobiles=NUMBERS[:3], content="x", client_ids=IDS[:3])
    parts = split_field(op, "mobiles", 1, "client_ids")
    assert [(p.mobiles, p.client_ids) for p in parts] == [
        ((NUMBERS[0],), ("a",)),
        ((NUMBERS[1],), ("b",)),
        ((NUMBERS[2],), ("c",)),
    ]


def test_a_none_parallel_field_stays_none() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi")
    parts = split_field(op, "mobiles", 2, "client_ids")
    assert [p.mobiles for p in parts] == [NUMBERS[0:2], NUMBERS[2:4], NUMBERS[4:5]]
    assert [p.client_ids for p in parts] == [None, None, None]


def test_without_parallel_fields() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi")
    parts = split_field(op, "mobiles", 3)
    assert [p.mobiles for p in parts] == [NUMBERS[:3], NUMBERS[3:]]


def test_a_parallel_field_left_out_is_not_cut() -> None:
    op = SendSms(mobiles=NUMBERS, content="hi", client_ids=IDS)
    # client_ids not named: the first part keeps all five ids for three numbers.
    with pytest.raises(EncodeError, match=r"^client_ids: 5 ids for 3 numbers$"):
        split_field(op, "mobiles", 3)


@given(st.integers(1, 30), st.integers(1, 12))
@example(1000, 1)
@example(1000, 1000)
@example(1001, 1000)
@example(2000, 1000)
@example(7, 3)
def test_parts_rejoin_to_the_operation(count: int, size: int) -> None:
    numbers = tuple(f"{13800000000 + i}" for i in range(count))
    ids = tuple(str(i) for i in range(count))
    op = SendSms(mobiles=numbers, content="x", client_ids=ids)
    parts = split_field(op, "mobiles", size, "client_ids")
    assert len(parts) == -(-count // size)
    assert all(len(p.mobiles) == size for p in parts[:-1])
    assert 1 <= len(parts[-1].mobiles) <= size
    assert tuple(m for p in parts for m in p.mobiles) == numbers
    assert tuple(i for p in parts for i in (p.client_ids or ())) == ids
    for p in parts:
        assert p.client_ids == tuple(str(int(m) - 13800000000) for m in p.mobiles)


def test_esms100_plan_cuts_at_exactly_1000() -> None:
    # esms100.txt: "发送请求频率每秒不能超过 10 次，每次 1000 个号码"
    codec = get_codec("esms100")
    numbers = tuple(f"{13800000000 + i}" for i in range(2001))
    parts = codec.plan(SendSms(mobiles=numbers, content="x"))
    assert [len(p.mobiles) for p in parts] == [1000, 1000, 1]
    assert codec.plan(SendSms(mobiles=numbers[:1000], content="x"))[0].mobiles == numbers[:1000]
