"""Vendors plug in: the example distribution installed beside smswire, and broken ones.

``examples/luosimao`` is installed with pip into a temporary directory (never
into this environment), and each check runs in a subprocess with that
directory on ``PYTHONPATH``: the entry points are read from the installed
metadata, as they would be for a user's ``pip install smswire-luosimao``. No
file of smswire is touched. Broken plug-ins are hand-written distributions
(a ``.dist-info`` with ``METADATA`` and ``entry_points.txt``, the files any
installer writes).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luosimao"
BUILT_INS = {"esms100", "eims", "smscn", "emay", "emay-simple", "changlong"}


def _run(path: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout,
        cwd=path, check=False,
    )  # fmt: skip


def _python(path: Path, code: str) -> subprocess.CompletedProcess[str]:
    return _run(path, "-c", textwrap.dedent(code))


@pytest.fixture(scope="session")
def luosimao(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/luosimao installed into a temporary directory (not this environment)."""
    target = tmp_path_factory.mktemp("luosimao-site")
    build = tmp_path_factory.mktemp("luosimao-src")
    source = build / "luosimao"
    # A copy: setuptools writes build/ and *.egg-info beside the project it builds.
    subprocess.run(["cp", "-r", str(EXAMPLE), str(source)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert (target / "luosimao_sms" / "luosimao.toml").is_file()
    return target


def _distribution(site: Path, name: str, points: dict[str, str], modules: dict[str, str]) -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = "".join(f"{k} = {v}\n" for k, v in points.items())
    (info / "entry_points.txt").write_text(f"[smswire.vendors]\n{lines}")
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source))


@pytest.fixture(scope="session")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Plug-ins that fail each way: raising on import, not a codec, clashing names."""
    site = tmp_path_factory.mktemp("broken-site")
    _distribution(
        site,
        "acme-broken",
        {"acme": "acme_broken:Codec", "notacodec": "acme_plain:Codec", "dup": "acme_plain:Codec"},
        {
            "acme_broken": "raise RuntimeError('acme cannot start: no licence file')\n",
            "acme_plain": "class Codec:\n    vendor = 'plain'\n",
        },
    )
    _distribution(site, "dup-sms", {"dup": "acme_plain:Codec"}, {})
    _distribution(site, "shadow-sms", {"esms100": "acme_plain:Codec"}, {})
    return site


# ---------------------------------------------------------------------- the example


def test_the_example_is_found_by_its_entry_point(luosimao: Path) -> None:
    done = _python(
        luosimao,
        """
        import json, sys
        import smswire.codecs as codecs
        names = list(codecs.VENDORS)
        # Discovery reads metadata only: listing the vendors imports none of them.
        early = [m for m in sys.modules if m.startswith(("luosimao_sms", "smswire.codecs.e"))]
        codec = codecs.get_codec("luosimao")
        print(json.dumps([type(codec).__module__, names, early, codecs.VENDORS.problems()]))
        """,
    )
    assert done.returncode == 0, done.stderr
    module, names, early, problems = json.loads(done.stdout)
    assert module == "luosimao_sms._codec"
    assert set(names) == BUILT_INS | {"luosimao"}
    assert early == []
    assert problems == []


def test_the_cli_encodes_the_plugin(luosimao: Path) -> None:
    account = json.dumps({"api_key": "key-0123456789abcdef0123456789abcdef"})
    operation = json.dumps({"mobiles": ["13928935535"], "content": "验证码：123456【铁壳测试】"})
    done = _run(
        luosimao, "-m", "smswire.transports.cli", "encode", "luosimao", "send",
        "--json", operation, "--account", account, "--show-secrets",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Independent oracle: the basic-auth header and the form body, computed here.
    token = base64.b64encode(b"api:key-0123456789abcdef0123456789abcdef").decode()
    assert "POST /v1/send.json" in done.stdout
    assert f"Basic {token}" in done.stdout
    assert "mobile=13928935535&message=%E9%AA%8C%E8%AF%81%E7%A0%81" in done.stdout


def test_the_simulator_serves_the_plugin_under_its_prefix(luosimao: Path) -> None:
    done = _python(
        luosimao,
        """
        import asyncio, base64, httpx
        from smswire.transports.sim import Simulator
        sim = Simulator()
        account = sim.demo_accounts()["luosimao"]
        token = base64.b64encode(f"api:{account.api_key}".encode()).decode()
        auth = {"Authorization": f"Basic {token}"}
        wrong = {"Authorization": "Basic eDp5"}
        async def main():
            transport = httpx.ASGITransport(app=sim)
            async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
                form = {"mobile": "13800138000", "message": "你好【smswire】"}
                return (await c.post("/luosimao/v1/send.json", data=form, headers=auth),
                        await c.get("/luosimao/v1/status.json", headers=auth),
                        await c.get("/luosimao/v1/status.json", headers=wrong))
        sent, balance, refused = asyncio.run(main())
        print(sent.text)
        print(balance.text)
        print(refused.text)
        """,
    )
    assert done.returncode == 0, done.stderr
    sent, balance, refused = (json.loads(line) for line in done.stdout.splitlines())
    assert sent == {"error": 0, "msg": "ok"}
    assert balance["error"] == 0 and int(balance["deposit"]) > 0
    assert refused["error"] == -10


def test_the_demo_runs_the_plugin(luosimao: Path) -> None:
    done = _run(luosimao, "-m", "smswire.transports.cli", "demo", "--no-color")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "luosimao" in done.stdout.split("all ")[-1]


def test_the_example_passes_its_conformance_suite(luosimao: Path) -> None:
    tests = EXAMPLE / "tests"
    done = _python(
        luosimao,
        f"""
        import sys, pytest
        from hypothesis import settings
        settings.register_profile("quick", max_examples=15, deadline=None)
        settings.load_profile("quick")
        sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", {str(tests)!r},
                              {str(tests)!r}]))
        """,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout


# ---------------------------------------------------------------------- broken plug-ins


def test_a_broken_plugin_leaves_the_others_working_and_is_named(broken: Path) -> None:
    done = _python(
        broken,
        """
        import json
        from smswire.codecs import VENDORS, VendorUnavailable, get_codec
        out = {"available": list(VENDORS.available()),
               "unavailable": dict(VENDORS.unavailable()),
               "problems": list(VENDORS.problems()),
               "esms100": type(get_codec("esms100")).__module__}
        for name in ("acme", "notacodec", "dup"):
            try:
                get_codec(name)
            except VendorUnavailable as exc:
                out[name] = str(exc)
        print(json.dumps(out))
        """,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out["available"]) == BUILT_INS
    assert set(out["unavailable"]) == {"acme", "notacodec", "dup"}
    assert "acme-broken 1.0" in out["acme"] and "no licence file" in out["acme"]
    assert "acme-broken 1.0" in out["notacodec"] and "is not a codec" in out["notacodec"]
    assert "acme-broken 1.0" in out["dup"] and "dup-sms 1.0" in out["dup"]
    # A plug-in cannot take a built-in's name: smswire's stays, the plug-in is reported.
    assert out["esms100"] == "smswire.codecs.esms100"
    assert any("shadow-sms 1.0" in p and "esms100" in p for p in out["problems"])


def test_the_cli_reports_a_broken_plugin_by_name(broken: Path) -> None:
    done = _run(broken, "-m", "smswire.transports.cli", "encode", "acme", "balance")
    assert done.returncode == 2
    assert "acme-broken 1.0" in done.stderr and "no licence file" in done.stderr
    works = _run(broken, "-m", "smswire.transports.cli", "encode", "esms100", "balance")
    assert works.returncode == 0, works.stderr


def test_the_simulator_serves_the_others_beside_a_broken_plugin(broken: Path) -> None:
    done = _python(
        broken,
        """
        from smswire.transports.sim import Simulator, missing_profiles
        print(sorted(Simulator().profiles), sorted(missing_profiles()))
        """,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"{sorted(BUILT_INS)} {sorted(['acme', 'dup', 'notacodec'])}")


def test_stale_metadata_is_named_as_the_cause(tmp_path: Path) -> None:
    done = _python(
        tmp_path,
        """
        from smswire.codecs._registry import Registry
        try:
            Registry("smswire.no-such-group")["esms100"]
        except KeyError:
            pass
        try:
            Registry("smswire.no-such-group").factory("esms100")
        except ValueError as exc:
            print(exc)
        """,
    )
    assert done.returncode == 0, done.stderr
    assert "reinstall" in done.stdout and "stale" in done.stdout
