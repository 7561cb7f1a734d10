"""``_simulate``: a vendor's simulation found by module name and cut to a codec's operations.

Checked on simulations a test builds and on small modules it writes, so the
expected handlers are the test's own objects. Written to kill the mutants that
survived ``tools/mutate.py codecs/_simulate.py`` (issue 17).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from smswire.codecs import Operation
from smswire.codecs._simulate import NOTHING, Simulation, simulation_of


@attrs.frozen
class Rename(Operation[None]):
    name: str


@attrs.frozen
class Count(Operation[int]):
    pass


@attrs.frozen
class Wipe(Operation[None]):
    pass


def rename(op: Any, state: Any) -> None:
    return None


def count(op: Any, state: Any) -> int:
    return 3


def click(state: Any, argument: str) -> str:
    return argument


def test_an_empty_simulation() -> None:
    assert dict(Simulation().operations) == {} and dict(Simulation().events) == {}
    assert dict(NOTHING.operations) == {} and dict(NOTHING.events) == {}


def test_the_part_a_codec_performs_keeps_its_operations_and_every_event() -> None:
    whole = Simulation({Rename: rename, Count: count, Wipe: rename}, {"click": click})
    part = whole.for_operations([Count, Rename, Operation])
    assert part == Simulation({Rename: rename, Count: count}, {"click": click})
    assert list(part.operations) == [Rename, Count]
    assert whole.for_operations(iter([Wipe])) == Simulation({Wipe: rename}, {"click": click})
    assert whole.for_operations(()) == Simulation({}, {"click": click})


def test_no_module_is_no_simulation() -> None:
    assert simulation_of(None) is NOTHING


def test_a_module_is_read_for_its_simulation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sim_strength_good.py").write_text(
        "from smswire.codecs._simulate import Simulation\n"
        "SIMULATION = Simulation({}, {'ping': lambda state, arg: arg})\n"
    )
    (tmp_path / "sim_strength_none.py").write_text("OTHER = 1\n")
    (tmp_path / "sim_strength_wrong.py").write_text("SIMULATION = {'ping': None}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        good = simulation_of("sim_strength_good")
        assert good is sys.modules["sim_strength_good"].SIMULATION
        assert list(good.events) == ["ping"]
        for name in ("sim_strength_none", "sim_strength_wrong"):
            with pytest.raises(TypeError) as raised:
                simulation_of(name)
            assert str(raised.value) == f"{name} declares no SIMULATION"
    finally:
        for name in ("sim_strength_good", "sim_strength_none", "sim_strength_wrong"):
            sys.modules.pop(name, None)


def test_esms100_simulates_its_password_change() -> None:
    # esms100 §8 修改密码 (/ent/) is its one operation beyond the neutral ones.
    from smswire.codecs.esms100 import ChangePassword

    simulation = simulation_of("smswire.codecs.esms100._simulate")
    assert list(simulation.operations) == [ChangePassword]
    assert dict(simulation.events) == {}
