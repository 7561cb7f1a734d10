"""The typed spec: every vendor file structured through one converter, checked at load."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest
from smswire.codecs import DeliveryStatus, changlong, eims, emay, esms100, smscn
from smswire.codecs._spec import ReportState, SpecError, load_spec, parse_spec

VENDOR_SPECS = {
    "changlong": changlong.SPEC,
    "eims": eims.SPEC,
    "emay": emay.Codec.spec,
    "esms100": esms100.SPEC,
    "smscn": smscn.SPEC,
}


def raw(name: str) -> dict[str, Any]:
    text = resources.files("smswire.specs").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_every_vendor_loads_typed_with_one_state_table_shape() -> None:
    for name, spec in VENDOR_SPECS.items():
        assert spec.vendor == name
        assert spec.report_states, name
        assert all(isinstance(s, ReportState) and s.text and s.english for s in spec.report_states)
        # The index against the file itself (tomllib), not against the rows it was built from.
        states = raw(name)["report_states"]
        assert dict(spec.report_status) == {s["code"]: DeliveryStatus(s["status"]) for s in states}
        # The vendor's own table is its section class, not a mapping to index.
        assert not isinstance(spec.section, dict), name
        assert not hasattr(spec, "extra")


def test_esms100_report_states_are_the_documents() -> None:
    # §7 "状态报告值为整数（0-未收到状态报告，1-发送成功，2-发送失败）"
    assert {s.code: (s.text, s.status) for s in esms100.SPEC.report_states} == {
        "0": ("未收到状态报告", DeliveryStatus.PENDING),
        "1": ("发送成功", DeliveryStatus.DELIVERED),
        "2": ("发送失败", DeliveryStatus.FAILED),
    }
    assert esms100.SPEC.report_status == esms100.REPORT_STATUS


def test_non_boolean_retryable_is_an_error_naming_file_and_field() -> None:
    data = raw("esms100")
    data["statuses"][3]["retryable"] = "no"  # bool("no") would be True
    with pytest.raises(SpecError, match=r"specs/esms100\.toml: .*\$\.statuses\[3\]\.retryable"):
        parse_spec(data, esms100._wire.Esms100Section, source="specs/esms100.toml")


@pytest.mark.parametrize(
    ("vendor", "section", "where", "key", "value", "field"),
    [
        (
            "esms100",
            esms100._wire.Esms100Section,
            "limits",
            "max_mobiles",
            "1000",
            r"limits\['max_mobiles'\]",
        ),
        (
            "esms100",
            esms100._wire.Esms100Section,
            "esms100",
            "response_charset",
            936,
            r"esms100\.response_charset",
        ),
        (
            "esms100",
            esms100._wire.Esms100Section,
            "esms100",
            "answer_charset",
            "gbk",
            r"extra fields found \(answer_charset\) @ \$\.esms100",
        ),
        ("emay", emay._section.EmaySection, "emay", "cipher", True, r"emay\.cipher"),
        ("eims", eims._model.EimsSection, None, "succes", {}, r"extra fields found \(succes\)"),
    ],
)
def test_wrong_types_and_unknown_keys_are_errors(
    vendor: str, section: type, where: str | None, key: str, value: Any, field: str
) -> None:
    data = raw(vendor)
    (data[where] if where else data)[key] = value
    with pytest.raises(SpecError, match=field):
        parse_spec(data, section, source=f"specs/{vendor}.toml")


def test_report_state_status_must_be_a_delivery_status() -> None:
    data = raw("changlong")
    data["report_states"][0]["status"] = "arrived"
    with pytest.raises(SpecError, match=r"report_states\[0\]\.status"):
        parse_spec(data, changlong.ChanglongSection)
    data["report_states"][0]["status"] = "pending"
    data["report_states"].append(dict(data["report_states"][1], status="failed"))
    with pytest.raises(SpecError, match="report state 10 listed twice"):
        parse_spec(data, changlong.ChanglongSection)


def test_untyped_load_keeps_the_section_as_data_and_is_cached() -> None:
    spec = load_spec("emay")
    assert spec.section["push"]["ack"] == "success"
    assert load_spec("emay") is spec
    assert load_spec("emay", emay._section.EmaySection) is emay.Codec.spec
