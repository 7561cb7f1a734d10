"""``_registry``: discovery, clashes and broken registrations, on hand-made entry points.

The entry points are the test's (``_points`` is replaced by a list of them), the
expected messages are the ones the module documents ("a name two distributions
register … makes that one name unavailable, with a reason naming the
distribution"), and smswire's own registrations are read with
:mod:`importlib.metadata` directly. Written to kill the mutants that survived
``tools/mutate.py codecs/_registry.py`` (issue 17).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import Any, ClassVar

import attrs
import pytest
from smswire.codecs import _registry, esms100
from smswire.codecs._registry import (
    GROUP,
    STRATEGIES_GROUP,
    Registration,
    Registry,
    VendorUnavailable,
    strategies_target,
)


@attrs.frozen
class Dist:
    name: str
    version: str


@attrs.frozen
class Point:
    name: str
    value: str
    dist: Dist | None


def point(name: str, value: str, dist: str = "acme 1.0") -> Point:
    dist_name, _, version = dist.partition(" ")
    return Point(name, value, Dist(dist_name, version))


def registry(monkeypatch: pytest.MonkeyPatch, points: Iterable[Point]) -> Registry:
    table = {"strength.group": tuple(points)}
    monkeypatch.setattr(_registry, "_points", lambda group: table[group])
    return Registry("strength.group")


class Half:
    """A class with part of the codec protocol."""

    operations = plan = encode_request = staticmethod(lambda *a: None)
    decode_response = "not callable"
    traits = None
    vendor = 3
    secrets: ClassVar[set[str]] = {"token"}


class Whole:
    """Everything a codec class must offer (a real codec's traits)."""

    operations = plan = encode_request = decode_response = staticmethod(lambda *a: None)
    decode_request = encode_response = encode_error = staticmethod(lambda *a: None)
    traits = esms100.Codec.traits
    vendor: ClassVar[str] = "whole"
    secrets: ClassVar[frozenset[str]] = frozenset()

    class Inner:
        pass


OWN = "smswire 0.1"
HERE = "test_strength_registry"
CODEC = "smswire.codecs.esms100:Codec"


def test_a_registration_names_itself_and_its_distribution() -> None:
    entry = Registration("acme", "acme.codec:Codec", "acme-sms 1.2")
    assert str(entry) == "acme = 'acme.codec:Codec' (distribution acme-sms 1.2)"
    assert (GROUP, STRATEGIES_GROUP) == ("smswire.vendors", "smswire.strategies")


def test_own_vendors_come_first_then_plugins_each_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    found = registry(monkeypatch, [point("zeta", f"{HERE}:Whole"), point("b", CODEC, OWN),
                                   point("alpha", f"{HERE}:Whole", "beta 2"),
                                   point("a", CODEC, OWN)])  # fmt: skip
    assert list(found) == ["a", "b", "alpha", "zeta"]
    assert len(found) == 4 and repr(found) == "VENDORS(a, b, alpha, zeta)"
    assert "alpha" in found and "omega" not in found and 3 not in found
    assert found.registration("alpha") == Registration("alpha", f"{HERE}:Whole", "beta 2")
    assert found.registration("a") == Registration("a", CODEC, "smswire 0.1")
    with pytest.raises(KeyError):
        found.registration("omega")
    assert found.problems() == ()
    assert found.available() == ("a", "b", "alpha", "zeta")
    assert dict(found.unavailable()) == {}


def test_a_distribution_only_named_like_smswire_is_a_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = registry(monkeypatch, [point("b", CODEC, "smswire-extra 1"), point("a", CODEC, "z 1")])
    assert list(found) == ["a", "b"]


def test_a_plugin_taking_an_own_vendors_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    for points in ([point("esms100", CODEC, OWN), point("esms100", f"{HERE}:Whole")],
                   [point("esms100", f"{HERE}:Whole"), point("esms100", CODEC, OWN)]):  # fmt: skip
        found = registry(monkeypatch, points)
        assert found.registration("esms100").distribution == "smswire 0.1"
        assert found["esms100"] is esms100.Codec
        assert found.problems() == (
            "vendor esms100 = 'test_strength_registry:Whole' (distribution acme 1.0) refused: "
            "smswire's own vendor 'esms100' has that name",
        )
        assert dict(found.unavailable()) == {}


def test_a_name_two_plugins_register_is_nobodys(monkeypatch: pytest.MonkeyPatch) -> None:
    found = registry(monkeypatch, [point("x", f"{HERE}:Whole", "acme 1.0"), point("y", CODEC),
                                   point("x", "beta.codec:Codec", "beta 2.0"),
                                   point("x", "gamma:C", "gamma 3")])  # fmt: skip
    reason = (
        "vendor 'x' is registered by acme 1.0 (test_strength_registry:Whole) and "
        "beta 2.0 (beta.codec:Codec) and gamma 3 (gamma:C): uninstall one of them"
    )
    assert list(found) == ["y"] and "x" not in found
    assert found.problems() == (reason,)
    assert dict(found.unavailable()) == {"x": reason}
    for call in (lambda: found["x"], lambda: found.factory("x")):
        with pytest.raises(VendorUnavailable) as raised:
            call()
        assert str(raised.value) == reason
    error = found.unknown("x")
    assert type(error) is VendorUnavailable and str(error) == reason


def test_problems_list_the_refused_before_the_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    found = registry(monkeypatch, [point("a", CODEC, OWN), point("a", CODEC, "p 1"),
                                   point("c", "math:pi"), point("x", CODEC, "q 1"),
                                   point("x", CODEC, "r 1")])  # fmt: skip
    problems = found.problems()
    assert [p.split(" ")[:3] for p in problems] == [
        ["vendor", "a", "="],
        ["vendor", "'x'", "is"],
        ["vendor", "c", "="],
    ]
    assert found.available() == ("a",)
    assert list(found.unavailable()) == ["c", "x"]


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("math:pi", "math:pi is a float, not a codec class"),
        ("math", "math is a module, not a codec class"),
        (f"{HERE}:Whole.traits", f"{HERE}:Whole.traits is a WireTraits, not a codec class"),
        (f"{HERE}:Half", "Half is not a codec: it lacks decode_response, decode_request, "
         "encode_response, encode_error, traits (a WireTraits), vendor (a str), "
         "secrets (a frozenset)"),
        (f"{HERE}:Whole.Inner", "Whole.Inner is not a codec: it lacks operations, plan, "
         "encode_request, decode_response, decode_request, encode_response, encode_error, "
         "traits (a WireTraits), vendor (a str), secrets (a frozenset)"),
    ],
)  # fmt: skip
def test_a_factory_that_is_not_a_codec_class_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, target: str, reason: str
) -> None:
    found = registry(monkeypatch, [point("bad", target), point("good", f"{HERE}:Whole", OWN)])
    whole = f"vendor bad = {target!r} (distribution acme 1.0): {reason}"
    with pytest.raises(VendorUnavailable) as raised:
        found["bad"]
    assert str(raised.value) == whole
    assert dict(found.unavailable()) == {"bad": whole}
    assert found.problems() == (whole,)
    assert found.available() == ("good",)
    assert found["good"] is Whole and found.factory("good") is Whole
    assert found.traits("good") is esms100.Codec.traits


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("no_such_module_strength:Codec",
         "ModuleNotFoundError: No module named 'no_such_module_strength'"),
        ("smswire.codecs.esms100:Nope",
         "AttributeError: module 'smswire.codecs.esms100' has no attribute 'Nope'"),
        (f"{HERE}:Whole.Nope", "AttributeError: type object 'Whole' has no attribute 'Nope'"),
    ],
)  # fmt: skip
def test_a_registration_that_cannot_be_loaded_names_why_each_time(
    monkeypatch: pytest.MonkeyPatch, target: str, reason: str
) -> None:
    found = registry(monkeypatch, [point("bad", target), point("good", CODEC, OWN)])
    whole = f"vendor bad = {target!r} (distribution acme 1.0) cannot be loaded: {reason}"
    causes = []
    for _ in range(2):
        with pytest.raises(VendorUnavailable) as raised:
            found["bad"]
        assert str(raised.value) == whole
        causes.append(raised.value.__cause__)
    assert type(causes[0]).__name__ == reason.split(":", maxsplit=1)[0]
    assert causes[0] is causes[1]
    assert found.available() == ("good",)


def test_each_vendor_is_imported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    found = registry(monkeypatch, [point("good", CODEC), point("bad", "math:pi")])
    imported: list[str] = []
    real = _registry.importlib.import_module

    def counting(name: str) -> Any:
        imported.append(name)
        return real(name)

    monkeypatch.setattr(_registry.importlib, "import_module", counting)
    for _ in range(3):
        assert found["good"] is esms100.Codec
        with pytest.raises(VendorUnavailable):
            found["bad"]
    found.available()
    assert imported == ["smswire.codecs.esms100", "math"]


def test_an_unknown_name_lists_the_known_or_says_the_metadata_is_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = registry(monkeypatch, [point("b", CODEC, OWN), point("a", CODEC)])
    with pytest.raises(KeyError) as missing:
        found["nope"]
    assert missing.value.args == ("nope",)
    with pytest.raises(ValueError, match=r"^unknown vendor") as raised:
        found.factory("nope")
    assert type(raised.value) is ValueError
    assert str(raised.value) == "unknown vendor 'nope'; known: b, a"
    stale = registry(monkeypatch, [point("a", CODEC)])
    error = stale.unknown("nope")
    assert type(error) is ValueError
    assert str(error) == (
        "unknown vendor 'nope': no smswire vendor is registered under the 'strength.group' "
        "entry points; the installed metadata of smswire is stale or missing: reinstall it "
        "(pip install -e . or pip install smswire)"
    )


def test_the_installed_registrations_are_smswires_entry_points() -> None:
    points = entry_points(group="smswire.vendors")
    own = {p.name: p.value for p in points if p.dist is not None and p.dist.name == "smswire"}
    assert own == {
        "esms100": "smswire.codecs.esms100:Codec",
        "eims": "smswire.codecs.eims:Codec",
        "smscn": "smswire.codecs.smscn:Codec",
        "emay": "smswire.codecs.emay:Codec",
        "emay-simple": "smswire.codecs.emay:SimpleCodec",
        "changlong": "smswire.codecs.changlong:Codec",
    }
    found = Registry()
    assert list(found)[:6] == sorted(own)
    version = next(p.dist.version for p in points if p.dist is not None)
    assert found.registration("esms100") == Registration(
        "esms100", "smswire.codecs.esms100:Codec", f"smswire {version}"
    )
    assert {n: found.registration(n).target for n in own} == own


def test_the_strategies_of_each_vendor_are_its_registered_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = entry_points(group="smswire.strategies")
    expected = {p.name: p.value for p in points}
    assert expected["emay-simple"] == "smswire.codecs.strategies.emay_simple"
    _registry._strategies.cache_clear()
    assert {name: strategies_target(name) for name in expected} == expected
    assert strategies_target("nope") is None
    # smswire's own registration of a name wins over a plug-in's, listed before or after.
    fake = [point("esms100", "plugin.one"), point("esms100", "smswire.own", OWN),
            point("esms100", "plugin.two"), point("acme", "acme.first"),
            point("acme", "acme.second")]  # fmt: skip
    monkeypatch.setattr(_registry, "_points", lambda group: fake if group == STRATEGIES_GROUP
                        else ())  # fmt: skip
    _registry._strategies.cache_clear()
    try:
        assert strategies_target("esms100") == "smswire.own"
        assert strategies_target("acme") == "acme.first"
    finally:
        _registry._strategies.cache_clear()


@attrs.frozen
class Bare:
    """An entry point read from metadata without a distribution (no ``dist`` at all)."""

    name: str
    value: str


def test_a_point_without_a_distribution_is_named_so(monkeypatch: pytest.MonkeyPatch) -> None:
    points = [Point("a", "math:pi", None), Bare("b", "math:e"), point("c", CODEC, OWN)]
    found = registry(monkeypatch, points)  # type: ignore[arg-type]
    assert list(found) == ["c", "a", "b"]
    assert found.registration("a").distribution == "<unknown distribution>"
    assert str(found.registration("b")) == "b = 'math:e' (distribution <unknown distribution>)"
