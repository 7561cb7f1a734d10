"""The ``smswire`` command line: demo, sim, encode, decode, and its error handling."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest
from smswire.codecs import VENDORS
from smswire.transports.cli import main

DOC_ACCOUNT = '{"cpid": "10000", "cppwd": "2D732A5F09BCC1E78039C1099E60F701"}'
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out = io.StringIO()
    err = io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        code = main(argv, stdout=out, stdin=_Stdin(stdin))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.stderr = old
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- demo


def _check_demo_output(text: str) -> None:
    rows = [line for line in text.splitlines() if re.match(r"^\S+\s+\S.*\s(ok|FAIL)\s", line)]
    vendors = {row.split()[0] for row in rows}
    assert vendors == set(VENDORS), f"demo rows for {sorted(vendors)}, registry {sorted(VENDORS)}"
    failed = [row for row in rows if " FAIL " in row]
    assert failed == []
    for vendor in VENDORS:
        steps = [row for row in rows if row.split()[0] == vendor]
        assert len(steps) >= 4, f"{vendor}: only {len(steps)} steps"
    assert "all " in text and "steps passed" in text


def test_demo_in_process() -> None:
    code, out, err = run(["demo"])
    _check_demo_output(out)
    assert code == 0, err


def test_demo_as_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "smswire.transports.cli", "demo"],
        capture_output=True,
        timeout=180,
        env=ENV,
        check=False,
    )
    out = done.stdout.decode("utf-8")
    _check_demo_output(out)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")


# --------------------------------------------------------------------------- sim


def test_sim_prints_urls_and_credentials_and_stops_on_ctrl_c() -> None:
    # A suite started in the background by a non-interactive shell (`bash .ci/run &`) runs
    # with SIGINT ignored, and an ignored signal stays ignored across exec, while a caught
    # one is reset to the default: catch it here, so the child meets Ctrl-C as a terminal's.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "smswire.transports.cli", "sim", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    # Whatever happens, the child does not outlive the test.
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        lines = []
        for raw in proc.stdout:
            lines.append(raw.decode("utf-8"))
            if raw.startswith(b"control:"):
                break
        text = "".join(lines)
        match = re.search(r"http://127\.0\.0\.1:(\d+)", lines[0])
        assert match, text
        for vendor in VENDORS:
            assert re.search(rf"^{re.escape(vendor)}\s+{match.group(0)}/", text, re.MULTILINE), (
                vendor
            )
        assert '"password": "demo-esms100"' in text
        accounts = httpx.get(match.group(0) + "/_sim/accounts", trust_env=False).json()
        assert set(accounts) == set(VENDORS)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert proc.stderr is not None
        assert b"Traceback" not in proc.stderr.read()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sim_refuses_a_non_loopback_host() -> None:
    code, _out, err = run(["sim", "--host", "0.0.0.0"])
    assert code == 2
    assert err.count("\n") == 1
    assert "loopback" in err


# --------------------------------------------------------------------------- encode


def test_encode_matches_the_documents_example() -> None:
    # esms100 §4: the document's own example URL.
    op = '{"mobiles": ["13866668888", "13988889999"], "content": "test"}'
    code, out, _ = run(
        ["encode", "esms100", "send", "--json", op, "--account", DOC_ACCOUNT, "--show-secrets"]
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "GET /mt/?cpid=10000&cppwd=2D732A5F09BCC1E78039C1099E60F701"
        "&phone=13866668888,13988889999&msgtext=test"
    )


def test_encode_masks_secrets_by_default() -> None:
    op = '{"mobiles": ["13866668888"], "content": "test"}'
    code, out, _ = run(["encode", "esms100", "send", "--json", op, "--account", DOC_ACCOUNT])
    assert code == 0
    assert "2D732A5F09BCC1E78039C1099E60F701" not in out
    assert "cppwd=***" in out
    # A clear password and its MD5 are both hidden (changlong sends it in clear).
    code, out, _ = run(
        [
            "encode",
            "changlong",
            "balance",
            "--account",
            '{"username": "mysms", "password": "s3cret-pw"}',
        ]
    )
    assert code == 0
    assert "s3cret-pw" not in out
    assert "us_name=mysms" in out


def test_encode_vendor_operation_and_codec_option() -> None:
    code, out, _ = run(
        [
            "encode",
            "esms100",
            "change-password",
            "--json",
            '{"new_password": "abc123"}',
            "--show-secrets",
        ]
    )
    assert code == 0
    assert out.startswith("GET /ent/?cpid=10000&oldpwd=")
    assert out.rstrip().endswith("newpwd=abc123")
    code, out, _ = run(
        [
            "encode",
            "esms100",
            "send",
            "--option",
            "charset=utf-8",
            "--json",
            '{"mobiles": ["13800000000"], "content": "你好"}',
        ]
    )
    assert code == 0
    # "你好" in UTF-8, percent-encoded, and the document's utf-8 switch.
    assert "msgtext=%E4%BD%A0%E5%A5%BD" in out
    assert "encode=utf8" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["encode", "nobody", "send"], "unknown vendor 'nobody'"),
        (["encode", "esms100", "fly"], "no operation 'fly'"),
        (["encode", "esms100", "send"], "send needs --json"),
        (["encode", "esms100", "send", "--json", "{"], "--json is not valid JSON"),
        (["encode", "esms100", "send", "--json", '{"mobiles": ["1"]}'], "missing field 'content'"),
        (
            ["encode", "esms100", "send", "--json", '{"mobiles": [], "content": "x"}'],
            "at least one number",
        ),
        (["encode", "esms100", "balance", "--account", '{"cpid": "1"}'], "exactly one of"),
        (["encode", "esms100", "balance", "--option", "charset"], "NAME=VALUE"),
        (["encode", "esms100", "balance", "--option", "charset=latin-1"], "codec options"),
        (["encode", "esms100", "balance", "--time", "yesterday"], "ISO 8601"),
        (["encode", "esms100", "balance", "--key", "k"], "no key"),
    ],
)
def test_user_mistakes_are_one_line_without_traceback(argv: list[str], message: str) -> None:
    code, out, err = run(argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_an_operation_the_vendor_cannot_carry_is_an_encode_error() -> None:
    op = json.dumps({"mobiles": ["13800000000"], "content": "字" * 135})
    code, out, err = run(["encode", "esms100", "send", "--json", op])
    assert code == 1
    assert out == ""
    assert err.startswith("smswire: EncodeError:")
    assert "134" in err
    assert err.count("\n") == 1


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], *([cmd, "--help"] for cmd in ("demo", "sim", "encode", "decode"))):
        with pytest.raises(SystemExit) as exited:
            main(list(argv))
        assert exited.value.code == 0
        assert capsys.readouterr().out.startswith("usage: smswire")
    code, _out, err = run([])
    assert code == 2
    assert "required" in err


# --------------------------------------------------------------------------- decode


def test_decode_the_documents_report_answer() -> None:
    # esms100 §7 example.
    body = "2\n2010-07-12 11:21:24||13855889933||1\n2010-07-12 11:25:52||13855889944||2"
    code, out, _ = run(["decode", "esms100", "reports"], body.encode("gbk"))
    assert code == 0
    data = json.loads(out)
    assert [(r["mobile"], r["status"], r["sent_at"]) for r in data["items"]] == [
        ("13855889933", "delivered", "2010-07-12T11:21:24+08:00"),
        ("13855889944", "failed", "2010-07-12T11:25:52+08:00"),
    ]


def test_decode_changlong_reports_from_the_document() -> None:
    # 1.1.2 example answer.
    body = b"3|6408676;13682250950;20|6408649;13711147169;20|6408649;13719445093;20"
    code, out, _ = run(["decode", "changlong", "reports"], body)
    assert code == 0
    items = json.loads(out)["items"]
    assert [(i["message_id"], i["mobile"], i["code"]) for i in items] == [
        ("6408676", "13682250950", "20"),
        ("6408649", "13711147169", "20"),
        ("6408649", "13719445093", "20"),
    ]


def test_decode_a_refusal_is_one_line() -> None:
    code, out, err = run(["decode", "esms100", "balance"], b"-10")
    assert code == 1
    assert out == ""
    assert err == "smswire: GatewayError: esms100 error -10: 余额不足\n"


def test_decode_a_push(monkeypatch: Any) -> None:
    # sms.cn §6.2 status push, built by hand: GET with the fields in the query string.
    target = "/hook?cmd=res&uid=demo&mobileids=&mobile=13800000000&status=100"
    code, out, err = run(["decode", "smscn", "push", "--method", "GET", "--target", target])
    assert code == 0, err
    items = json.loads(out)["items"]
    assert [(i["mobile"], i["status"], i["code"]) for i in items] == [
        ("13800000000", "delivered", "100")
    ]
    code, _out, err = run(["decode", "esms100", "push"])
    assert code == 2
    assert "does not push" in err


def test_decode_an_emay_encrypted_answer_with_the_key() -> None:
    if "emay" not in VENDORS:
        pytest.fail("emay has not landed")
    from Crypto.Cipher import AES
    from Crypto.Util.Padding import pad

    key = "0123456789abcdef"
    # The document's getBalance answer shape, sealed independently: JSON, AES/ECB/PKCS5.
    plain = json.dumps({"balance": 1234}).encode("utf-8")
    sealed = AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(plain, 16))
    account = json.dumps({"app_id": "EUCP-EMY-SMS1-00000", "secret_key": "x" * 16})
    argv = [
        "decode",
        "emay",
        "balance",
        "--account",
        account,
        "--key",
        key,
        "--header",
        "result: SUCCESS",
    ]
    code, out, err = run([*argv, "--option", "gzip=false"], sealed)
    assert code == 0, err
    assert json.loads(out)["amount"] == "1234"
    # The same answer gzipped first, as the document allows ("gzip: on").
    zipped = AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(gzip.compress(plain), 16))
    code, out, err = run(argv, zipped)
    assert code == 0, err
    assert json.loads(out)["amount"] == "1234"
    # Without the right key the body is unreadable: one line, no traceback.
    code, out, err = run([*argv[:-4], "--header", "result: SUCCESS"], zipped)
    assert code == 1
    assert err.startswith("smswire: DecodeError:")
    assert err.count("\n") == 1


def test_decode_an_emay_encrypted_push() -> None:
    from Crypto.Cipher import AES
    from Crypto.Util.Padding import pad

    key = "demo-emay-secret"
    # §2.3.1.1: a JSON array of reports, gzipped, then AES/ECB/PKCS5 under the secret key.
    records = [
        {
            "mobile": "15538850000",
            "smsId": "20170392833833891100",
            "customSmsId": None,
            "state": "DELIVRD",
            "desc": "成功",
            "receiveTime": "2017-03-15 12:00:00",
            "submitTime": "2017-03-15 11:59:58",
        }
    ]
    plain = json.dumps(records, ensure_ascii=False).encode("utf-8")
    body = AES.new(key.encode(), AES.MODE_ECB).encrypt(pad(gzip.compress(plain), 16))
    argv = ["decode", "emay", "push", "--header", "appId: EUCP-EMY-SMS1-DEMO0"]
    code, out, err = run(argv, body)
    assert code == 0, err
    (item,) = json.loads(out)["items"]
    assert (item["mobile"], item["status"], item["code"], item["message_id"]) == (
        "15538850000",
        "delivered",
        "DELIVRD",
        "20170392833833891100",
    )
    assert item["reported_at"] == "2017-03-15T12:00:00+08:00"
