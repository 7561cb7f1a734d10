"""``_spec``: the schema, its indexes and its errors, from hand-written TOML data.

Expected values are the literal tables a test writes (or the vendor file read
with :mod:`tomllib` directly), never the module's own structures. Written to
kill the mutants that survived ``tools/mutate.py codecs/_spec.py`` (issue 17).
"""

from __future__ import annotations

import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from smswire.codecs import DeliveryStatus, ErrorKind, GatewayError, _spec
from smswire.codecs._spec import (
    Example,
    RateLimit,
    ReportState,
    SpecError,
    StatusEntry,
    Success,
    load_spec,
    parse_spec,
)


def data(**more: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"vendor": "acme", "document": "acme.txt", "base_url": "http://a"}
    base.update(more)
    return base


def row(code: str, text: str, kind: str = "auth", retryable: bool = False, **more: Any) -> Any:
    return {"code": code, "text": text, "english": text.upper(), "kind": kind,
            "retryable": retryable, **more}  # fmt: skip


AUTH = StatusEntry("1", "bad", "BAD", ErrorKind.AUTH, False)


# ------------------------------------------------------------------ structure


@pytest.fixture(autouse=True)
def fresh_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A converter built anew: its hooks are made by this run's ``_strict``, not a cached one."""
    _spec._converter.cache_clear()
    _spec._spec_hook.cache_clear()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (int, True, "expected int, got bool"),
        (int, "1", "expected int, got str"),
        (str, 1, "expected str, got int"),
        (float, False, "expected float, got bool"),
        (float, "1.5", "expected float, got str"),
        (bool, 1, "expected bool, got int"),
        (bool, "no", "expected bool, got str"),
    ],
)
def test_the_strict_hooks_name_what_they_expected_and_got(
    kind: type, value: Any, message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        _spec._converter().structure(value, kind)
    assert str(raised.value) == message


def test_the_strict_hooks_keep_values_of_their_type() -> None:
    converter = _spec._converter()
    assert converter.structure(True, bool) is True and converter.structure(False, bool) is False
    assert converter.structure(7, int) == 7 and converter.structure("短信", str) == "短信"
    assert converter.structure(2, float) == 2.0 and type(converter.structure(2, float)) is float
    assert converter.structure(0.5, float) == 0.5


def test_a_minimal_spec_and_every_table_it_may_hold() -> None:
    spec = parse_spec(
        data(
            endpoints={"send": "/mt/"},
            limits={"max": 1000},
            rate_limits={"send": {"per_second": 10}, "poll": {"min_interval": 60.0}},
            success={"code": "0", "text": "ok", "english": "OK"},
            statuses=[row("1", "bad"), row("2", "busy", "server", True, scope=["send"])],
            report_states=[{"code": "D", "status": "delivered", "text": "达", "english": "d"}],
            quirks=[{"id": "q", "description": "odd"}],
            vectors=[{"name": "v1", "x": 1}],
        )
    )
    assert (spec.vendor, spec.document, spec.base_url, spec.section) == (
        "acme", "acme.txt", "http://a", {})  # fmt: skip
    assert spec.endpoint("send") == "/mt/" and spec.limit("max") == 1000
    assert spec.rate_limit("send") == RateLimit(per_second=10.0)
    assert spec.rate_limit("poll") == RateLimit(min_interval=60.0)
    assert spec.rate_limit("other") is None
    assert spec.ok == Success("0", "ok", "OK")
    busy = StatusEntry("2", "busy", "BUSY", ErrorKind.SERVER, True, ("send",))
    assert spec.status_rows == (AUTH, busy)
    assert spec.statuses == {"1": AUTH, "2": busy}
    assert spec.scoped_statuses == {"send": {"2": busy}}
    assert spec.report_states == (ReportState("D", DeliveryStatus.DELIVERED, "达", "d"),)
    assert spec.report_status == {"D": DeliveryStatus.DELIVERED}
    assert [(q.id, q.description) for q in spec.quirks] == [("q", "odd")]
    assert spec.vector("v1") == {"name": "v1", "x": 1}


def test_the_tables_are_read_only_copies() -> None:
    endpoints = {"send": "/mt/"}
    spec = parse_spec(data(endpoints=endpoints, vectors=[{"name": "v"}]))
    endpoints["send"] = "/changed/"
    assert spec.endpoint("send") == "/mt/"
    for table in (spec.endpoints, spec.limits, spec.rate_limits, spec.vectors[0], spec.statuses,
                  spec.scoped_statuses, spec.report_status):  # fmt: skip
        with pytest.raises(TypeError):
            table["x"] = 1  # type: ignore[index]


def test_an_integer_rate_is_a_float_and_a_boolean_is_no_number() -> None:
    spec = parse_spec(data(rate_limits={"send": {"per_second": 10, "min_interval": 2}}))
    limit = spec.rate_limit("send")
    assert limit is not None
    assert type(limit.per_second) is float and limit.per_second == 10.0
    assert type(limit.min_interval) is float and limit.min_interval == 2.0
    # cattrs words it: "invalid value for type, expected float | None @ $.rate_limits…".
    message = "expected float | None @ $.rate_limits['send'].per_second"
    for wrong in (True, "1"):
        with pytest.raises(SpecError) as raised:
            parse_spec(data(rate_limits={"send": {"per_second": wrong}}), source="acme.toml")
        assert message in str(raised.value)
        assert str(raised.value).startswith("acme.toml: ")


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"limits": {"max": True}}, "expected int @ $.limits['max']"),
        ({"limits": {"max": 1.5}}, "expected int @ $.limits['max']"),
        ({"endpoints": {"send": 1}}, "expected str @ $.endpoints['send']"),
        ({"statuses": [row("1", "a", retryable=1)]}, "expected bool @ $.statuses[0].retryable"),
        ({"document": 2}, "expected str @ $.document"),
    ],
)
def test_a_value_of_the_wrong_type_is_named_in_the_files_words(
    more: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(data(**more), source="acme.toml")
    assert str(raised.value).startswith("acme.toml: ")
    assert message in str(raised.value)


def test_ints_and_strings_keep_their_type() -> None:
    spec = parse_spec(data(limits={"max": 7}, endpoints={"send": "/x"}))
    assert type(spec.limit("max")) is int and type(spec.endpoint("send")) is str
    assert parse_spec(data(statuses=[row("1", "bad", retryable=True)])).statuses["1"].retryable


def test_the_vendors_own_table_is_the_section_and_errors_name_it() -> None:
    @attrs.frozen
    class Section:
        charset: str

    spec = parse_spec(data(acme={"charset": "gbk"}), Section)
    assert spec.section == Section("gbk")
    with pytest.raises(SpecError) as raised:
        parse_spec(data(acme={"charset": 936}), Section, source="acme.toml")
    assert "@ $.acme.charset" in str(raised.value)
    assert "section" not in str(raised.value)
    with pytest.raises(SpecError) as raised:
        parse_spec(data(statuses=[row("1", "a", kind="nope")]), source="acme.toml")
    assert "@ $.statuses[0].kind" in str(raised.value)
    assert "status_rows" not in str(raised.value)


def test_several_errors_are_all_named() -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(data(limits={"a": "1", "b": True}), source="acme.toml")
    assert str(raised.value) == (
        "acme.toml: invalid value for type, expected int @ $.limits['a']; "
        "invalid value for type, expected int @ $.limits['b']"
    )


def test_an_untyped_spec_with_a_section_keeps_it_as_data() -> None:
    spec = parse_spec(data(acme={"push": {"ack": "ok"}}))
    assert spec.section == {"push": {"ack": "ok"}}


@pytest.mark.parametrize("vendor", [None, 3, ["acme"]])
def test_a_vendor_that_is_no_string_is_an_error(vendor: Any) -> None:
    broken = data()
    if vendor is None:
        del broken["vendor"]
    else:
        broken["vendor"] = vendor
    with pytest.raises(SpecError) as raised:
        parse_spec(broken, source="acme.toml")
    assert str(raised.value) == "acme.toml: vendor: expected a string"
    with pytest.raises(SpecError, match=r"^<spec>: vendor: expected a string$"):
        parse_spec(broken)


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(SpecError, match=r"^acme\.toml: .*extra fields found \(limit\)"):
        parse_spec(data(limit={"x": 1}), source="acme.toml")


# ------------------------------------------------------------------ status tables


def test_a_code_listed_twice_is_an_error_naming_file_vendor_and_scope() -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(data(statuses=[row("1", "a"), row("1", "b")]), source="acme.toml")
    assert str(raised.value) == "acme.toml: acme: status 1 listed twice"
    twice = [row("1", "a", scope=["send"]), row("1", "b", scope=["poll", "send"])]
    with pytest.raises(SpecError) as raised:
        parse_spec(data(statuses=twice), source="acme.toml")
    assert str(raised.value) == "acme.toml: acme: status 1 listed twice for send"


def test_a_code_may_appear_once_per_scope_and_once_unscoped() -> None:
    rows = [row("1", "send", scope=["send"]), row("1", "poll", scope=["poll"]), row("1", "any"),
            row("2", "poll2", scope=["poll"]), row("2", "send2", scope=["send"])]  # fmt: skip
    spec = parse_spec(data(statuses=rows))
    # Code → the unscoped row, else the first scoped one listed.
    assert spec.statuses["1"].text == "any"
    assert spec.statuses["2"].text == "poll2"
    assert {s: {c: e.text for c, e in t.items()} for s, t in spec.scoped_statuses.items()} == {
        "send": {"1": "send", "2": "send2"},
        "poll": {"1": "poll", "2": "poll2"},
    }
    # Scoped look-ups: that scope's row, else an unscoped one, never another scope's.
    assert spec.status("1", "send").text == "send"  # type: ignore[union-attr]
    assert spec.status("1", "other").text == "any"  # type: ignore[union-attr]
    assert spec.status("2", "other") is None
    assert spec.status("2").text == "poll2"  # type: ignore[union-attr]
    assert spec.status("3") is None and spec.status("3", "send") is None
    assert {c: e.text for c, e in spec.statuses_for("send").items()} == {"1": "send", "2": "send2"}
    assert {c: e.text for c, e in spec.statuses_for("other").items()} == {"1": "any"}
    with pytest.raises(TypeError):
        spec.statuses_for("send")["9"] = AUTH  # type: ignore[index]


def test_an_unscoped_row_after_a_scoped_one_takes_the_code() -> None:
    spec = parse_spec(data(statuses=[row("1", "scoped", scope=["send"]), row("1", "plain")]))
    assert spec.statuses["1"].text == "plain" and spec.statuses["1"].scope == ()
    spec = parse_spec(data(statuses=[row("1", "plain"), row("1", "scoped", scope=["send"])]))
    assert spec.statuses["1"].text == "plain"


def test_a_report_state_listed_twice_with_two_meanings_is_an_error() -> None:
    def state(code: str, status: str) -> dict[str, str]:
        return {"code": code, "status": status, "text": "t", "english": "e"}

    with pytest.raises(SpecError) as raised:
        parse_spec(data(report_states=[state("0", "pending"), state("0", "failed")]),
                   source="acme.toml")  # fmt: skip
    assert str(raised.value) == "acme.toml: acme: report state 0 listed twice"
    # The same meaning twice (two words for one state) is one entry.
    spec = parse_spec(data(report_states=[state("0", "pending"), state("0", "pending"),
                                          state("1", "failed")]))  # fmt: skip
    assert spec.report_status == {"0": DeliveryStatus.PENDING, "1": DeliveryStatus.FAILED}


def test_a_spec_without_success_row_says_so() -> None:
    spec = parse_spec(data())
    assert spec.success is None
    with pytest.raises(SpecError) as raised:
        _ = spec.ok
    assert str(raised.value) == "acme: the spec has no success row"


def test_error_takes_kind_and_retryability_from_the_table() -> None:
    rows = [row("1", "bad"), row("2", "busy", "server", True, scope=["send"])]
    spec = parse_spec(data(statuses=rows))
    error = spec.error("1", raw=b"1", detail="why")
    assert isinstance(error, GatewayError)
    assert (error.vendor, error.code, error.message, error.kind, error.retryable, error.raw,
            error.detail) == ("acme", "1", "bad", ErrorKind.AUTH, False, b"1", "why")  # fmt: skip
    error = spec.error("2", scope="send", message="overridden")
    assert (error.code, error.message, error.kind, error.retryable, error.raw, error.detail) == (
        "2", "overridden", ErrorKind.SERVER, True, b"", None)  # fmt: skip
    assert spec.error("2").kind is ErrorKind.SERVER
    # A scoped row is not another endpoint's: undocumented there.
    error = spec.error("2", scope="poll", raw=b"x", detail="d")
    assert (error.vendor, error.code, error.message, error.kind, error.retryable, error.raw,
            error.detail) == ("acme", "2", "undocumented status code", ErrorKind.UNKNOWN, False,
                              b"x", "d")  # fmt: skip
    error = spec.error("9", message="said no")
    assert (error.message, error.kind, error.retryable) == ("said no", ErrorKind.UNKNOWN, False)


def test_example_and_vector_look_ups_by_name() -> None:
    spec = parse_spec(
        data(
            examples=[
                {"name": "one", "operation": {"type": "A"}},
                {"name": "two", "operation": {"type": "B"}},
            ],
            vectors=[{"name": "v1"}, {"name": "v2", "k": "x"}],
        )
    )
    assert isinstance(spec.example("two"), Example)
    assert spec.example("two").operation == {"type": "B"}
    assert spec.example("one").direction == "both"
    assert spec.vector("v2") == {"name": "v2", "k": "x"}
    with pytest.raises(KeyError, match="three"):
        spec.example("three")
    with pytest.raises(KeyError, match="v3"):
        spec.vector("v3")


# ------------------------------------------------------------------ the vendor files


def raw(name: str) -> dict[str, Any]:
    text = resources.files("smswire.specs").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize("vendor", ["esms100", "changlong", "eims", "emay", "smscn"])
def test_an_untyped_load_of_each_vendor_file_is_its_toml(vendor: str) -> None:
    toml = raw(vendor)
    spec = load_spec(vendor)
    assert spec.vendor == toml["vendor"] == vendor
    assert (spec.document, spec.base_url) == (toml["document"], toml["base_url"])
    assert dict(spec.endpoints) == toml.get("endpoints", {})
    assert dict(spec.limits) == toml.get("limits", {})
    assert spec.section == toml.get(vendor, {})
    assert [r.code for r in spec.status_rows] == [r["code"] for r in toml.get("statuses", [])]
    assert [(s.code, s.status.value) for s in spec.report_states] == [
        (s["code"], s["status"]) for s in toml["report_states"]
    ]
    assert [v["name"] for v in spec.vectors] == [v["name"] for v in toml.get("vectors", [])]


def test_esms100_spec_as_its_file_says() -> None:
    spec = load_spec("esms100")
    # specs/esms100.toml: §4 "不多于1000号码", "不多于134字"; 条件说明 1, 4.
    assert spec.limit("max_mobiles") == 1000 and spec.limit("max_content_chars") == 134
    assert spec.endpoint("send") == "/mt/"
    assert spec.rate_limit("send") == RateLimit(per_second=10.0)
    assert spec.rate_limit("inbound") == RateLimit(min_interval=60.0)
    assert spec.ok == Success("0", "操作成功", "Success")


def test_load_spec_reads_a_plugins_package_and_names_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "acme_specs_strength"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "acme.toml").write_text(
        'vendor = "acme"\ndocument = "甲.txt"\nbase_url = "http://a"\n[limits]\nmax = 5\n',
        "utf-8",
    )
    (package / "broken.toml").write_text('vendor = "broken"\nlimits = [\n', "utf-8")
    (package / "wrong.toml").write_text(
        'vendor = "wrong"\ndocument = "d"\nbase_url = "u"\n[limits]\nmax = "5"\n', "utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        spec = load_spec("acme", package="acme_specs_strength")
        assert (spec.vendor, spec.document, spec.limit("max")) == ("acme", "甲.txt", 5)
        with pytest.raises(SpecError) as raised:
            load_spec("broken", package="acme_specs_strength")
        assert str(raised.value).startswith("acme_specs_strength/broken.toml: ")
        assert raised.value.__cause__ is None and raised.value.__suppress_context__
        with pytest.raises(SpecError) as raised:
            load_spec("wrong", package="acme_specs_strength")
        assert str(raised.value).startswith("acme_specs_strength/wrong.toml: ")
        assert "$.limits['max']" in str(raised.value)
    finally:
        sys.modules.pop("acme_specs_strength", None)
