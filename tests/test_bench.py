"""The benchmark harness: ``python -m bench --quick`` run in-process, its JSON shape,
and the floor check. No assertion on speed: CI machines vary too much for that."""

from __future__ import annotations

import contextlib
import json
import math
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import DecodeError, EncodeError
from smswire.codecs._checks import join_mobiles
from smswire.codecs._chinatime import from_compact_number, parse_compact, parse_dashed
from smswire.codecs._records import split_records

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # bench/ is a top-level directory of the checkout, not an installed package.
    sys.path.append(str(ROOT))

import bench  # noqa: E402
from bench import __main__ as bench_main  # noqa: E402
from bench._harness import (  # noqa: E402
    BenchPath,
    FloorMismatchError,
    Prepared,
    Result,
    Scale,
    format_table,
    measure,
)

KEYS = {"name", "records", "codec_per_s", "floor_per_s", "ratio"}
TINY = Scale(quick=True)


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    assert bench_main.main(["--quick", "--json", str(out)]) == 0
    data: list[dict[str, object]] = json.loads(out.read_text("utf-8"))
    return data


def test_quick_run_writes_one_object_per_path(quick_json: list[dict[str, object]]) -> None:
    paths, _missing = bench.collect_paths()
    assert [row["name"] for row in quick_json] == [p.name for p in paths]
    assert len({row["name"] for row in quick_json}) == len(quick_json)
    for row in quick_json:
        assert set(row) == KEYS
        assert isinstance(row["name"], str)
        assert isinstance(row["records"], int)
        assert row["records"] > 0
        codec, floor, ratio = row["codec_per_s"], row["floor_per_s"], row["ratio"]
        assert isinstance(codec, float)
        assert isinstance(floor, float)
        assert isinstance(ratio, float)
        assert codec > 0
        assert floor > 0
        assert math.isclose(ratio, codec / floor, rel_tol=0.01, abs_tol=0.001)


def test_quick_run_covers_the_reference_vendor(quick_json: list[dict[str, object]]) -> None:
    names = {str(row["name"]) for row in quick_json}
    assert {
        "esms100 decode /qreport/ reports",
        "esms100 decode /mo/ replies",
        "esms100 encode /mt/ send 134 GBK chars",
    } <= names


def test_every_vendor_is_benchmarked_or_reported_missing() -> None:
    paths, missing = bench.collect_paths()
    benchmarked = {p.name.split()[0] for p in paths}
    assert "esms100" in benchmarked
    assert benchmarked.isdisjoint(missing)
    assert benchmarked | set(missing) == set(bench.VENDORS)


def test_only_filters_by_substring() -> None:
    paths, _missing = bench.collect_paths("/qreport/")
    assert [p.name for p in paths] == ["esms100 decode /qreport/ reports"]
    assert bench.collect_paths("no such path")[0] == []


def test_only_flag_prints_just_the_chosen_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main.main(["--quick", "--only", "encode /mt/"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if line.startswith("esms100")]
    assert len(rows) == 1
    assert rows[0].split()[:3] == ["esms100", "encode", "/mt/"]


def test_a_floor_that_builds_something_else_is_refused() -> None:
    path = BenchPath("mismatch", lambda _scale: Prepared(3, lambda: [1, 2, 3], lambda: [1, 2]))
    with pytest.raises(FloorMismatchError, match="mismatch"):
        measure(path, TINY)


def test_measure_reports_rates_of_both_sides() -> None:
    data = list(range(2000))
    path = BenchPath(
        "sum", lambda _scale: Prepared(len(data), lambda: sum(data), lambda: sum(data))
    )
    result = measure(path, TINY)
    assert result.name == "sum"
    assert result.records == 2000
    assert result.codec_per_s > 0
    assert result.floor_per_s > 0
    assert result.ratio == result.codec_per_s / result.floor_per_s


def test_table_flags_paths_below_the_goal() -> None:
    slow = Result("slow path", 10, 50.0, 100.0)
    fast = Result("fast path", 10, 90.0, 100.0)
    lines = format_table([slow, fast]).splitlines()
    assert lines[0].split() == ["path", "records", "codec/s", "floor/s", "ratio"]
    assert lines[2].startswith("slow path")
    assert lines[2].endswith("0.50 <")
    assert lines[3].endswith("0.90")


def test_quick_scale_shrinks_batches_but_not_below_ten() -> None:
    assert Scale().size(10_000) == 10_000
    assert TINY.size(10_000) == 500
    assert TINY.size(50) == 10
    assert TINY.repeats < Scale().repeats


# ---------------------------------------------------------------- the fast paths it added
# Benchmark-driven fast paths in the shared primitives must say exactly what the
# slow paths say; the references below are written independently of them.

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=12)
NUMBERISH = st.text(alphabet="0123456789, ٣a", max_size=6)


@given(st.lists(st.one_of(DIGITS, NUMBERISH), max_size=12), st.integers(0, 12))
def test_join_mobiles_accepts_exactly_what_check_mobiles_accepts(
    mobiles: list[str], limit: int
) -> None:
    reference_ok = len(mobiles) <= limit and all(
        m and all(c in "0123456789" for c in m) for m in mobiles
    )
    if reference_ok:
        assert join_mobiles(mobiles, limit, "bench") == ",".join(mobiles)
    else:
        with pytest.raises(EncodeError):
            join_mobiles(mobiles, limit, "bench")


@given(st.integers(-(10**15), 10**15) | st.integers(10**13, 10**14 - 1))
def test_from_compact_number_reads_the_fourteen_digits(value: int) -> None:
    digits = str(value)
    try:
        expected = (
            datetime(
                int(digits[0:4]),
                int(digits[4:6]),
                int(digits[6:8]),
                int(digits[8:10]),
                int(digits[10:12]),
                int(digits[12:14]),
                tzinfo=timezone(timedelta(hours=8)),
            )
            if len(digits) == 14 and digits.isdigit()
            else None
        )
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(DecodeError):
            from_compact_number(value)
    else:
        assert from_compact_number(value) == expected


def test_from_compact_number_examples() -> None:
    china = timezone(timedelta(hours=8))
    assert from_compact_number(20170930235959) == datetime(2017, 9, 30, 23, 59, 59, tzinfo=china)
    for bad in (0, 20171301000000, 20170230000000, 2017093023595, 201709302359590):
        with pytest.raises(DecodeError):
            from_compact_number(bad)


@given(st.text(alphabet="0123456789-: T+", min_size=14, max_size=20))
def test_time_parsers_fast_paths_match_a_regex_reference(text: str) -> None:
    china = timezone(timedelta(hours=8))
    dashed = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?::(\d\d))?", text.strip(), re.A)
    compact = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", text.strip(), re.A)
    for parse, match in ((parse_dashed, dashed), (parse_compact, compact)):
        expected: datetime | None = None
        if match is not None:
            y, mo, d, h, mi, sec = (int(g or 0) for g in match.groups())
            with contextlib.suppress(ValueError):
                expected = datetime(y, mo, d, h, mi, sec, tzinfo=china)
        if expected is None:
            with pytest.raises(DecodeError):
                parse(text)
        else:
            assert parse(text) == expected


@given(st.lists(st.text(alphabet="ab; \n", max_size=5), max_size=8))
def test_split_records_fast_path_keeps_what_the_tolerant_loop_keeps(parts: list[str]) -> None:
    def parse(fragment: str) -> tuple[str, str]:
        left, right = fragment.split(";")
        return left, right

    text = "|".join(parts)
    wanted = [p for p in parts if p and not p.isspace()]
    good = [tuple(p.split(";")) for p in wanted if p.count(";") == 1]
    bad = [p.encode() for p in wanted if p.count(";") != 1]
    assert split_records(text, "|", parse, "gbk") == (good, bad)
