"""The pytest plugin: a user's suite gets a gateway double in one fixture.

Each check runs pytest in a subprocess on a user's test file written here, with
the plugin loaded the way any installation loads it (the ``pytest11`` entry
point), so what is tested is what a user gets.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from smswire.testing import plugin

USER_TESTS = """
import asyncio
import pytest
from smswire.codecs import GatewayError, VENDORS, traits_of
from smswire.codecs._traits import REPLIES
from smswire.transports import Client


def test_in_process_send_is_recorded(smswire_sim):
    async def send():
        async with smswire_sim.client("esms100") as sms:
            return await sms.send(["13800138000"], "验证码 1234")
    result = asyncio.run(send())
    assert result.accepted == 1
    assert [m.mobile for m in smswire_sim.sent("esms100")] == ["13800138000"]


def test_in_process_fault_is_the_vendors_refusal(smswire_sim):
    smswire_sim.faults.error("-1", vendor="esms100")
    async def balance():
        async with smswire_sim.client("esms100", retry=None) as sms:
            return await sms.balance()
    with pytest.raises(GatewayError) as caught:
        asyncio.run(balance())
    assert caught.value.code == "-1"


def test_loopback_server_serves_every_vendor(smswire_sim_server):
    sim = smswire_sim_server.simulator
    for name in VENDORS.available():
        with Client(name, sim.demo_accounts()[name], smswire_sim_server.url(name)) as client:
            assert client.balance().amount > 0


def test_pushes_are_captured(smswire_sim_server, smswire_pushes):
    vendor = next(n for n in VENDORS.available() if REPLIES in traits_of(n).pushes)
    box = smswire_pushes(vendor)
    smswire_sim_server.simulator.inject_reply(vendor, "13800138000", "收到")
    box.wait(inbound=1)
    assert [(m.mobile, m.content) for m in box.inbound] == [("13800138000", "收到")]
"""


def _pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(source))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_users_suite_gets_the_simulator_fixtures(tmp_path: Path) -> None:
    done = _pytest(tmp_path, USER_TESTS)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout


def test_the_fixtures_are_listed_by_pytest(tmp_path: Path) -> None:
    (tmp_path / "test_empty.py").write_text("def test_nothing():\n    assert True\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--fixtures", "-p", "no:cacheprovider", "test_empty.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    for name in ("smswire_sim", "smswire_sim_server", "smswire_simulator", "smswire_pushes"):
        assert name in done.stdout


def test_the_plugin_defines_no_hooks() -> None:
    # Fixtures only: a suite that asks for none runs as if the plugin were absent.
    assert [name for name in vars(plugin) if name.startswith("pytest_")] == []


def test_the_plugin_is_registered_by_entry_point(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.has_plugin("smswire")
