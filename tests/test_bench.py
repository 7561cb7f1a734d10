"""The benchmark harness: ``python -m bench --quick`` run in-process, its JSON shape,
and the floor check. No assertion on speed: CI machines vary too much for that."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
    Batch,
    DecodeError,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    PersonalizedMessage,
    SendSms,
)
from smswire.codecs._checks import join_mobiles
from smswire.codecs._chinatime import (
    CHINA,
    TimeMemo,
    from_compact_number,
    parse_compact,
    parse_dashed,
)
from smswire.codecs._records import decode_lenient, split_records

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # bench/ is a top-level directory of the checkout, not an installed package.
    sys.path.append(str(ROOT))

import bench  # noqa: E402
from bench import __main__ as bench_main  # noqa: E402
from bench._compare import difference  # noqa: E402
from bench._harness import (  # noqa: E402
    BenchPath,
    FloorMismatchError,
    Prepared,
    Result,
    Scale,
    Side,
    Spread,
    format_table,
    measure,
)

KEYS = {"name", "kind", "records", "gc_on", "gc_off"}
SIDE_KEYS = {"codec_per_s", "floor_per_s", "peer_per_s", "ratio", "peer_speedup"}
SPREAD_KEYS = {"median", "q1", "q3", "low", "high"}
TINY = Scale(quick=True)
#: The paths the brief names for a peer column.
PEERED = {
    "esms100 decode /qreport/ reports",
    "esms100 encode /mt/ send 134 GBK chars",
    "smscn decode /rx/ replies",
    "emay decode /inter/getReport AES+gzip+JSON",
}


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    assert bench_main.main(["--quick", "--json", str(out)]) == 0
    data: list[dict[str, Any]] = json.loads(out.read_text("utf-8"))
    return data


def _check_spread(spread: dict[str, Any]) -> None:
    assert set(spread) == SPREAD_KEYS
    assert all(isinstance(v, float) and v > 0 for v in spread.values())
    assert spread["low"] <= spread["q1"] <= spread["median"] <= spread["q3"] <= spread["high"]


def test_quick_run_writes_one_object_per_path(quick_json: list[dict[str, Any]]) -> None:
    paths, _missing = bench.collect_paths()
    assert [row["name"] for row in quick_json] == [p.name for p in paths]
    assert len({row["name"] for row in quick_json}) == len(quick_json)
    for row in quick_json:
        assert set(row) == KEYS
        assert row["kind"] == ("send" if " encode " in row["name"] else "decode")
        assert isinstance(row["records"], int)
        assert row["records"] > 0
        for side in (row["gc_on"], row["gc_off"]):
            assert set(side) == SIDE_KEYS
            assert side["codec_per_s"] > 0
            assert side["floor_per_s"] > 0
            _check_spread(side["ratio"])
            if side["peer_per_s"] is None:
                assert side["peer_speedup"] is None
            else:
                assert side["peer_per_s"] > 0
                _check_spread(side["peer_speedup"])


def test_the_named_paths_carry_a_peer(quick_json: list[dict[str, Any]]) -> None:
    peered = {row["name"] for row in quick_json if row["gc_on"]["peer_per_s"] is not None}
    landed = {row["name"] for row in quick_json}
    assert PEERED & landed <= peered
    assert "esms100 decode /qreport/ reports" in peered


def test_quick_run_covers_the_reference_vendor(quick_json: list[dict[str, Any]]) -> None:
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


def test_only_flag_matching_nothing_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main.main(["--quick", "--only", "no such path"]) == 2
    assert "no path matches" in capsys.readouterr().err


def test_a_mismatching_floor_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = BenchPath("esms100 decode bad", lambda _s: Prepared(1, lambda: [1], lambda: [2]))
    monkeypatch.setattr(bench_main, "collect_paths", lambda _only: ([bad], []))
    assert bench_main.main(["--quick"]) == 1
    assert "floor's output differs" in capsys.readouterr().err


def test_a_floor_that_builds_something_else_is_refused() -> None:
    path = BenchPath("mismatch", lambda _scale: Prepared(3, lambda: [1, 2, 3], lambda: [1, 2]))
    with pytest.raises(FloorMismatchError, match="mismatch"):
        measure(path, TINY)


def test_a_peer_that_builds_something_else_is_refused() -> None:
    path = BenchPath(
        "peer mismatch", lambda _s: Prepared(1, lambda: (1,), lambda: (1,), lambda: (2,))
    )
    with pytest.raises(FloorMismatchError, match="peer's output"):
        measure(path, TINY)


def test_a_floor_with_a_differently_named_china_zone_is_refused() -> None:
    # datetime == compares instants and timezone == compares offsets: both call these equal.
    ours = datetime(2024, 5, 1, 8, tzinfo=CHINA)
    named = datetime(2024, 5, 1, 8, tzinfo=timezone(timedelta(hours=8), "CST"))
    assert ours == named
    assert ours.tzname() == "UTC+08:00"
    path = BenchPath("tz", lambda _s: Prepared(1, lambda: (ours,), lambda: (named,)))
    with pytest.raises(FloorMismatchError, match="tzname"):
        measure(path, TINY)


def test_the_comparison_sees_the_same_instant_in_another_zone_and_types() -> None:
    china = datetime(2024, 5, 1, 8, tzinfo=CHINA)
    assert china == china.astimezone(UTC)
    assert difference(china, china.astimezone(UTC)) is not None
    assert difference((1,), [1]) is not None
    assert difference(True, 1) is not None
    assert difference(DeliveryStatus.FAILED, DeliveryStatus.FAILED) is None


def test_every_floor_and_peer_equals_its_codec_including_tzinfo() -> None:
    # What measure() checks, with the reason shown: a floor that builds anything else
    # (a fresh UTC+08:00 instead of the codecs' zone, say) is no floor.
    for path in bench.collect_paths()[0]:
        prepared = path.build(TINY)
        expected = prepared.codec()
        assert difference(expected, prepared.floor()) is None, path.name
        if prepared.peer is not None:
            assert prepared.peer_difference(expected, prepared.peer()) is None, path.name


def test_the_comparison_reaches_the_times_of_decoded_records() -> None:
    (path,) = bench.collect_paths("/qreport/")[0]
    batch = path.build(TINY).codec()
    assert isinstance(batch, Batch)
    report = batch.items[0]
    assert isinstance(report, DeliveryReport)
    assert report.sent_at is not None
    moved = attrs.evolve(report, sent_at=report.sent_at.astimezone(UTC))
    other = Batch((moved, *batch.items[1:]))
    found = difference(batch, other)
    assert found is not None
    assert found.startswith("output.items[0].sent_at")


def test_measure_reports_rates_and_ratios_of_every_side() -> None:
    data = list(range(2000))
    path = BenchPath(
        "sum",
        lambda _scale: Prepared(len(data), lambda: sum(data), lambda: sum(data), lambda: sum(data)),
    )
    result = measure(path, TINY)
    assert result.name == "sum"
    assert result.records == 2000
    for side in (result.gc_on, result.gc_off):
        assert side.codec_per_s > 0
        assert side.floor_per_s > 0
        assert side.peer_per_s is not None
        assert side.peer_speedup is not None
        assert side.ratio.low <= side.ratio.median <= side.ratio.high
    assert result.ratio == result.gc_on.ratio.median


def test_send_paths_build_the_operation_inside_the_timed_call() -> None:
    # From the caller's inputs: every call constructs its SendSms, so its validation is paid.
    (path,) = bench.collect_paths("esms100 encode")[0]
    prepared = path.build(TINY)
    built: list[SendSms] = []
    original = SendSms.__init__

    def spy(self: SendSms, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SendSms, "__init__", spy)
        prepared.codec()
        prepared.codec()
    assert len(built) == 2


def test_spread_is_median_and_quartiles() -> None:
    spread = Spread.of([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (spread.median, spread.q1, spread.q3) == (3.0, 2.0, 4.0)
    assert (spread.low, spread.high) == (1.0, 100.0)
    assert Spread.of([0.5]).median == 0.5


def _result(name: str, ratio: float, peer: float | None = None) -> Result:
    spread = Spread.of([ratio])
    speedup = None if peer is None else Spread.of([peer])
    side = Side(100.0, 100.0 / ratio, None if peer is None else 100.0 / peer, spread, speedup)
    return Result(name, 10, side, side)


def test_table_flags_paths_below_the_goals() -> None:
    lines = format_table(
        [_result("slow path", 0.5), _result("fast path", 0.9, 5.0), _result("x", 0.9, 2.0)]
    ).splitlines()
    assert lines[0].split()[:5] == ["path", "records", "codec/s", "floor/s", "peer/s"]
    assert lines[2].startswith("slow path")
    assert "0.50 (0.50-0.50)" in lines[2]
    assert lines[2].endswith(" <")
    assert lines[3].endswith("5.0")
    assert lines[4].endswith("<peer")


def test_quick_scale_shrinks_batches_but_not_below_ten() -> None:
    assert Scale().size(10_000) == 10_000
    assert TINY.size(10_000) == 500
    assert TINY.size(50) == 10
    assert TINY.rounds < Scale().rounds


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


# ---------------------------------------------------------------- issue 16: shared fast paths
# SendSms checks its numbers in a few C-level passes; the rule is the per-number one
# it always had (a non-empty str without surrounding blanks), named offender included.

MOBILE_TEXT = st.text(alphabet="0123456789 a٣,", max_size=5)


def _reference_mobiles_error(mobiles: list[str]) -> str | None:
    if not mobiles:
        return "mobiles: at least one number is needed"
    for m in mobiles:
        if not isinstance(m, str) or not m or m != m.strip():
            return f"mobiles: {m!r} is not a phone number"
    return None


@given(st.lists(st.one_of(DIGITS, MOBILE_TEXT), max_size=8))
def test_send_sms_accepts_and_names_exactly_as_the_per_number_rule(mobiles: list[str]) -> None:
    expected = _reference_mobiles_error(mobiles)
    if expected is None:
        op = SendSms(mobiles, "text")
        assert op.mobiles == tuple(mobiles)
        assert repr(op.mobiles) == repr(tuple(mobiles))
    else:
        with pytest.raises(EncodeError) as info:
            SendSms(mobiles, "text")
        assert str(info.value) == expected


def test_send_sms_refuses_a_non_string_number_by_name() -> None:
    with pytest.raises(EncodeError, match=r"mobiles: 13800000000 is not a phone number"):
        SendSms(["13800000001", 13800000000], "text")  # type: ignore[list-item]


@given(st.lists(st.one_of(DIGITS, MOBILE_TEXT), min_size=1, max_size=8), st.sampled_from(",;"))
def test_an_operations_numbers_join_as_the_plain_join(mobiles: list[str], sep: str) -> None:
    # The mark an operation's numbers carry must never let a non-digit through.
    if _reference_mobiles_error(mobiles) is not None:
        return
    op = SendSms(mobiles, "text")
    if all(m and all(c in "0123456789" for c in m) for m in mobiles):
        assert join_mobiles(op.mobiles, 10, "bench", sep) == sep.join(mobiles)
    else:
        with pytest.raises(EncodeError):
            join_mobiles(op.mobiles, 10, "bench", sep)


def test_an_operations_numbers_still_respect_the_vendor_limit() -> None:
    op = SendSms(["13800000000"] * 3, "text")
    with pytest.raises(EncodeError, match="at most 2 numbers"):
        join_mobiles(op.mobiles, 2, "bench")


@given(st.one_of(DIGITS, MOBILE_TEXT))
def test_personalized_message_checks_its_number_as_before(mobile: str) -> None:
    expected = _reference_mobiles_error([mobile])
    if expected is None:
        assert PersonalizedMessage(mobile, "text").mobile == mobile
    else:
        with pytest.raises(EncodeError) as info:
            PersonalizedMessage(mobile, "text")
        assert str(info.value) == expected.replace("mobiles:", "mobile:")


@given(st.binary(max_size=12) | st.text(max_size=6).map(lambda t: t.encode("gbk", "replace")))
def test_decode_lenient_ascii_first_gives_what_the_charset_gives(raw: bytes) -> None:
    for charset in ("gbk", "utf-8"):
        try:
            expected = (raw.decode(charset), True)
        except UnicodeDecodeError:
            expected = (raw.decode(charset, "surrogateescape"), False)
        assert decode_lenient(raw, charset) == expected


# ---------------------------------------------------------------- issue 16 item 10: import cost


def _modules_after(statement: str, names: tuple[str, ...]) -> list[str]:
    code = f"import sys; {statement}; print(','.join(m for m in {names!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    return [m for m in out.stdout.strip().split(",") if m]


def test_import_codecs_builds_no_converter_and_reads_no_spec() -> None:
    lazy = ("cattrs", "tomllib", "importlib.resources")
    assert _modules_after("import smswire.codecs", lazy) == []
    assert _modules_after("import smswire.codecs as c; c.converter", lazy) == ["cattrs"]


def test_the_lazy_converter_is_one_converter_with_the_packages_hooks() -> None:
    import cattrs
    import smswire.codecs as package
    from smswire.codecs import _converter, from_jsonable, to_jsonable

    assert isinstance(package.converter, cattrs.Converter)
    assert package.converter is _converter.converter
    when = datetime(2024, 5, 1, 8, tzinfo=CHINA)
    report = DeliveryReport("13800000000", DeliveryStatus.DELIVERED, "1", sent_at=when)
    data = to_jsonable(report)
    assert data["sent_at"] == "2024-05-01T08:00:00+08:00"
    assert from_jsonable(data, DeliveryReport) == report
    with pytest.raises(AttributeError):
        _ = package.no_such_name  # type: ignore[attr-defined]


def test_import_transports_leaves_out_httpx_command_line_client() -> None:
    cli = ("click", "pygments", "rich", "httpx._main")
    assert _modules_after("import smswire.transports", cli) == []

    # httpx.main does what httpx alone does (its CLI, or its fallback without rich).
    def run(statement: str) -> tuple[int, str]:
        code = f"{statement}; httpx.main()"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=False
        )
        return out.returncode, out.stdout

    assert run("import smswire.transports, httpx") == run("import httpx")


# ---------------------------------------------------------------- issue 16 item 8: time memo


@given(
    st.lists(
        st.sampled_from(["2024-05-01 08:00:00", "2024-05-01 08:00", "bad", "2024-13-01 00:00"])
    )
)
def test_time_memo_gives_what_the_parser_gives_and_remembers_no_failure(texts: list[str]) -> None:
    memo = TimeMemo(parse_dashed)
    china = timezone(timedelta(hours=8))
    for text in texts:
        if text in ("bad", "2024-13-01 00:00"):
            with pytest.raises(DecodeError):
                memo[text]
            assert text not in memo
        else:
            assert memo[text] == datetime(2024, 5, 1, 8, tzinfo=china)
            assert memo[text] is memo[text]
            assert memo[text].tzname() == "UTC+08:00"
    assert set(memo) <= {"2024-05-01 08:00:00", "2024-05-01 08:00"}


# ---------------------------------------------------------------- the scaling table


def test_scaling_table_has_a_row_per_path_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import scaling

    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{scaling.BEGIN}\nold\n{scaling.END}\ntail\n", "utf-8")
    monkeypatch.setattr(scaling, "README", readme)
    monkeypatch.setattr(scaling, "SIZES", (200, 400))
    assert scaling.main(["--max", "400", "--write"]) == 0
    table = capsys.readouterr().out.strip().splitlines()
    assert table[0].startswith("| path | records |")
    rows = [line.split("|")[1:-1] for line in table[2:]]
    assert [(r[0].strip(), r[1].strip()) for r in rows] == [
        (name, size) for name in scaling.PATHS for size in ("200", "400")
    ]
    for row in rows:
        on, off, peak = float(row[2]), float(row[3]), float(row[5].replace(",", ""))
        assert on > 0
        assert off > 0
        assert peak > 0
    text = readme.read_text("utf-8")
    assert text.startswith(f"intro\n{scaling.BEGIN}\n| path |")
    assert text.endswith(f"{scaling.END}\ntail\n")
    assert "old" not in text
