"""The command line as a new user meets it (issue 13 items 4, 14, 15, 16, 19).

Masked output checked against values computed here (json.dumps' escaping,
hashlib's md5 of the documents' recipes); a base install simulated by blocking
the optional dependencies' imports in a subprocess.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from smswire.codecs import SendSms, from_jsonable
from test_cli import run

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}

#: Makes ``import httpx`` (and the rest of the extras) fail, as on ``pip install smswire``.
BLOCKER = """
import sys
for name in ("httpx", "httpcore", "uvicorn", "anyio", "h11"):
    sys.modules[name] = None
from smswire.transports.cli import main
sys.exit(main(sys.argv[1:]))
"""


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def base_install(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER, *argv],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )


# --------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("password", ['p"w\\d', "\\", '"', "plain-pw"])
def test_encode_masks_an_eims_json_password_whatever_it_holds(password: str) -> None:
    account = json.dumps({"account": "a1", "password": password})
    argv = ["encode", "eims", "send", "--option", "method=POST", "--account", account]
    code, out, err = run([*argv, "--json", '{"mobiles": ["13800138000"], "content": "hi"}'])
    assert code == 0, err
    body = out.split("\n\n", 1)[1]
    assert json.loads(body)["password"] == "***"
    assert json.dumps(password)[1:-1] not in body.replace('"***"', "")
    code, shown, _ = run([*argv, "--json", '{"mobiles": ["13800138000"], "content": "hi"}',
                          "--show-secrets"])  # fmt: skip
    assert json.loads(shown.split("\n\n", 1)[1])["password"] == password


def test_encode_masks_the_eims_signed_password() -> None:
    account = json.dumps({"account": "a1", "password": "pw-1", "key": "k-2"})
    argv = ["encode", "eims", "balance", "--account", account, "--seq", "5"]
    code, out, err = run([*argv, "--time", "2026-03-01T09:30:05+08:00"])
    assert code == 0, err
    query = dict(p.split("=", 1) for p in out.split()[1].partition("?")[2].split("&"))
    # eims.txt: password = md5(account + password + seq + time + key) when a key is set.
    signed = md5("a1" + "pw-1" + "5" + query["time"] + "k-2")
    assert query["password"] == "***" and signed not in out
    code, shown, _ = run([*argv, "--time", "2026-03-01T09:30:05+08:00", "--show-secrets"])
    assert signed in shown


@pytest.mark.parametrize(
    ("vendor", "hidden"),
    [
        ("esms100", md5("demo-esms100").upper()),
        ("smscn", md5("demo-smscn" + "demo")),
        ("changlong", "demo-changlong"),
    ],
)
def test_encode_masks_hashes_on_the_query_wires(vendor: str, hidden: str) -> None:
    code, out, err = run(["encode", vendor, "balance"])
    assert code == 0, err
    assert hidden not in out and "***" in out


# --------------------------------------------------------------------------- item 14


def test_base_install_encode_decode_and_help_work() -> None:
    done = base_install("encode", "esms100", "balance")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("GET /qamount/?cpid=10000&cppwd=***")
    done = base_install("decode", "esms100", "balance", stdin=b"1234")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["amount"] == "1234"
    done = base_install("--help")
    assert done.returncode == 0 and "usage: smswire" in done.stdout
    target = "/p?cmd=mo&uid=demo&mobile=13800138000&content=%BA%C3"
    done = base_install("decode", "smscn", "push", "--method", "GET", "--target", target)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["items"][0]["content"] == "好"


@pytest.mark.parametrize("command", ["demo", "sim"])
def test_base_install_demo_and_sim_name_the_extra(command: str) -> None:
    done = base_install(command)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"smswire: error: 'smswire {command}' needs httpx, uvicorn: pip install 'smswire[sim]'"
    )


# --------------------------------------------------------------------------- item 15


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sim", "--failure-ratio", "2"], "--failure-ratio must be between 0 and 1"),
        (["sim", "--port", "99999"], "--port must be between 0 and 65535"),
        (["sim", "--report-delay", "-5"], "--report-delay must be 0 or more"),
    ],
)
def test_sim_option_mistakes_are_one_line_and_exit_2(argv: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "smswire.transports.cli", *argv],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_pipe_is_one_line_and_exit_2() -> None:
    # What `smswire demo | head -3` does: the reader leaves while rows are still coming.
    script = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'smswire.transports.cli', 'demo'],"
        " stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "lines = [p.stdout.readline() for _ in range(3)]\n"
        "p.stdout.close()\n"
        "err = p.stderr.read().decode()\n"
        "print(p.wait(), repr(err))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=180,
        check=False,
    )
    status, _, err = done.stdout.strip().partition(" ")
    assert status == "2", done.stdout
    assert "Traceback" not in err and err.count("\\n") == 1, err
    assert "output closed" in err


def test_version_from_the_installed_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    import smswire.codecs
    import smswire.transports

    installed = version("smswire")
    assert smswire.transports.__version__ == installed
    assert smswire.codecs.__version__ == installed
    code, _, _ = run(["--version"])
    assert code == 0 and capsys.readouterr().out.strip() == f"smswire {installed}"


# --------------------------------------------------------------------------- item 16


def test_a_bare_string_of_mobiles_is_one_number() -> None:
    assert from_jsonable({"mobiles": "13866668888", "content": "x"}, SendSms).mobiles == (
        "13866668888",
    )
    code, out, err = run(["encode", "esms100", "send", "--json",
                          '{"mobiles": "13866668888", "content": "hi"}'])  # fmt: skip
    assert code == 0, err
    assert "phone=13866668888&" in out or "13866668888" in out.split()[1]
    assert "1,3,8" not in out


def test_an_unknown_field_is_refused_naming_the_known_ones() -> None:
    argv = ["encode", "esms100", "send", "--json"]
    code, _, err = run([*argv, '{"mobiles": ["13866668888"], "content": "hi", "sendat": "x"}'])
    assert code == 2
    assert "unknown field sendat for SendSms" in err
    assert "known: mobiles, content, send_at" in err
    code, _, err = run(["encode", "esms100", "balance", "--account", '{"cpid": "1", "pwd": "x"}'])
    assert code == 2 and "unknown field pwd" in err


def test_decode_emay_reports_without_a_result_header(capsys: pytest.CaptureFixture[str]) -> None:
    from Crypto.Cipher import AES
    from Crypto.Util.Padding import pad

    key = "0123456789abcdef"
    # emay.txt getReport's answer: a JSON array of reports, gzipped then AES/ECB/PKCS5.
    times = {"receiveTime": "2026-03-01 09:30:05", "submitTime": "2026-03-01 09:30:00"}
    rows = [{"mobile": "13800138000", "smsId": "1", "state": "DELIVRD", **times}]
    plain = gzip.compress(json.dumps(rows).encode("utf-8"))
    sealed = AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(plain, 16))
    code, out, err = run(["decode", "emay", "reports", "--key", key], sealed)
    assert code == 0, err
    assert [r["mobile"] for r in json.loads(out)["items"]] == ["13800138000"]
    # A refusal still reads as one when its header is given.
    code, _, err = run(["decode", "emay", "reports", "--header", "result: ERROR_BALANCE"], b"")
    assert code == 1 and "GatewayError" in err
    run(["decode", "--help"])
    assert "--header 'Name: value'" in " ".join(capsys.readouterr().out.split())


# --------------------------------------------------------------------------- item 19


def _bench(*argv: str, block: bool = False) -> subprocess.CompletedProcess[str]:
    code = "import sys\n"
    if block:
        code += "sys.modules['smswire'] = None\n"
    code += f"sys.path.insert(0, {str(ROOT)!r})\nfrom bench.__main__ import main\n"
    code += f"sys.exit(main({list(argv)!r}))\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )


def test_bench_without_smswire_is_an_error() -> None:
    done = _bench("--quick", block=True)
    assert done.returncode == 1
    assert "smswire" in done.stderr and done.stdout == ""


def test_bench_with_a_filter_matching_nothing_is_an_error() -> None:
    done = _bench("--quick", "--only", "nosuch")
    assert done.returncode == 2
    assert "no path matches 'nosuch'" in done.stderr
